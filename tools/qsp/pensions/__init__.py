"""Pension scheme financing: the actuarial projection of a scheme, financing systems, reserve and ratios.

The projection engine: :func:`load_membership` (valuation-date membership file), :class:`BenefitRules`
and the benefit formulas, :func:`project_insured` (actives, inactives and pensioners by sex, age
and credited service, year by year, ``(..., year, sex, age)``) and :func:`value_scheme`
(contributions, benefits, administration, reserve and ratios from that projection, with time
on the last axis as below).

Conventions of the financing kernels (see each docstring):

- Series have TIME ON THE LAST AXIS, shape ``(..., n_years)``; position ``k`` is projection
  year ``t = k + 1`` and the valuation date is ``t = 0``. Leading axes are scenarios and
  broadcast. (Projections of members keep ``(..., year, sex, age)``: sum over sex and age to
  get the series these functions take.)
- Rates are fractions per year (0.04 for 4%); money is per year in the units of the inputs.
- Timing of the flows within a year is a named parameter: ``"end"`` (default of
  :func:`general_average_premium`, as in Iyer 1999) or ``"mid"`` (default of
  :func:`project_reserve` and :func:`scaled_premium`, as in the ILO pension model).
- The reserve ratio relates the reserve at the beginning of year t to the expenditure of year
  t (ILO convention); pass the reserve you mean to :func:`reserve_ratio`.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``. To add a public
function, add one line ``"name": "submodule"`` here.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # financing.py
    "payg_cost_rate": "financing",
    "general_average_premium": "financing",
    "scaled_premium": "financing",
    "ScaledPremium": "financing",
    "actuarial_balance": "financing",
    "ActuarialBalance": "financing",
    # reserve.py
    "project_reserve": "reserve",
    "ReserveProjection": "reserve",
    # ratios.py
    "reserve_ratio": "ratios",
    "funding_ratio": "ratios",
    "demographic_dependency_ratio": "ratios",
    "system_dependency_ratio": "ratios",
    "replacement_rate": "ratios",
    "benefit_ratio": "ratios",
    # c102.py
    "c102_old_age_check": "c102",
    "C102OldAgeCheck": "c102",
    # membership.py
    "PENSION_TYPES": "membership",
    "Membership": "membership",
    "membership_from_arrays": "membership",
    "load_membership": "membership",
    # benefits.py
    "BenefitRules": "benefits",
    "reference_wage": "benefits",
    "retirement_adjustment": "benefits",
    "old_age_pension": "benefits",
    "lump_sum_grant": "benefits",
    "indexation_share": "benefits",
    "indexation_rate": "benefits",
    # insured/
    "project_insured": "insured",
    "InsuredProjection": "insured",
    # plots.py
    "plot_scheme_financing": "plots",
    "financing_summary": "plots",
    "FinancingSummary": "plots",
    # valuation.py
    "value_scheme": "valuation",
    "SchemeValuation": "valuation",
    # risk.py
    "stochastic_assumptions": "risk",
    "StochasticAssumptions": "risk",
    "stochastic_valuation": "risk",
    "StochasticValuation": "risk",
    "fan": "risk",
    "Fan": "risk",
    "probability_exhausted": "risk",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
