"""Health care financing: the ILO health budget model's logic, provider payment, community micro-insurance.

Layer 2 of the library (computation): the functions take arrays and parameters, never files.

Conventions (stated once; each docstring repeats what it uses):

- Persons are laid out ``(..., year, group, sex, age)``: membership groups (insured persons,
  dependants, pensioners, the non-covered) before the kit's trailing ``(sex, age)``; sex 0 =
  female, 1 = male. Any leading axes are a batch of scenarios that every kernel broadcasts over.
- Utilisation is a rate per person-year by service, sex and age, ``(..., service, sex, age)``
  (outpatient visits, inpatient days, prescriptions...); unit costs are money per unit of
  service, ``(..., service)``, in the first projection year.
- Cost = covered persons x utilisation x unit cost, summed over sex and age. From one year to
  the next a unit cost grows with wages for its staff share and with prices for the rest, plus a
  medical-inflation excess; utilisation rates follow their own trend.
- Rates and shares are fractions (0.05 for 5%); money is per year in national currency, nominal.

References
----------
Cichon, M., Newbrander, W., Yamabana, H., Weber, A., Normand, C., Dror, D. and Preker, A. (1999).
*Modelling in Health Care Finance: A compendium of quantitative techniques for health care
financing*. ILO/ISSA, Quantitative Methods in Social Protection series (the ILO health budget
model: population, utilisation, unit costs, revenue and balance).
Langenbrunner, J. C., Cashin, C. and O'Dougherty, S. (eds.) (2009). *Designing and Implementing
Health Care Provider Payment Systems: How-To Manuals*. World Bank (capitation, case-based payment).

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # model.py
    "covered_population": "model",
    "unit_cost_index": "model",
    "project_health_cost": "model",
    "HealthProjection": "model",
    "age_cost_profile": "model",
    "ageing_effect": "model",
    "health_financing": "model",
    "HealthFinancing": "model",
    # payment.py
    "fee_for_service_cost": "payment",
    "capitation_cost": "payment",
    "budget_neutral_capitation": "payment",
    "case_rate_cost": "payment",
    "per_diem_cost": "payment",
    # microinsurance.py
    "expected_claims": "microinsurance",
    "gross_premium": "microinsurance",
    "simulate_annual_claims": "microinsurance",
    "stop_loss": "microinsurance",
    "StopLoss": "microinsurance",
    "ruin_probability": "microinsurance",
    "enrolled_risk_mix": "microinsurance",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
