"""Short-term cash benefits: sickness, maternity, employment injury and unemployment.

Layer 2 of the library (computation): the functions take arrays and parameters, never files.

Conventions (stated once; each docstring repeats what it uses):

- The cost of a branch is ``incidence x paid days x daily benefit``: incidence in spells (or
  births, or awards) per insured person per year; paid days per spell after the waiting days
  and up to the maximum duration; the daily benefit is the replacement rate times the insured
  daily earnings, ``min(earnings, ceiling) / days_per_year`` (calendar days, 365, by default).
- The cost rate of a branch is its expenditure over the insurable earnings (the contribution
  base, the same ceiling applied): a fraction, 0.012 = 1.2% of insurable earnings.
- Rates, replacement rates and shares are fractions, not percent; money is per year in
  national currency. Any leading axes are a batch of scenarios that every kernel broadcasts
  over; the last axis of per-group inputs (earnings classes, ages, industry classes) is summed.
- Permanent incapacity and survivors' pensions of employment injury are financed by the
  assessment of constituted capitals: the capital value of the year's new awards, with an
  annuity factor from a kit life table (:func:`qsp.actuarial.pension_unit_cost`).
- ILO minimum standards are checked per branch by :func:`ilo_standard_check`, each check
  citing its article.

References
----------
Plamondon, P., Drouin, A., Binet, G., Cichon, M., McGillivray, W. R., Bédard, M. and
Perez-Montas, H. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, Quantitative
Methods in Social Protection series (short-term benefits; employment injury; financing
systems). ILO (1952) Convention No. 102, Parts III, IV, VI, VIII and XI; Conventions No. 121
(1964), 130 (1969), 168 (1988) and 183 (2000).

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # benefits.py
    "insured_daily_earnings": "benefits",
    "paid_days": "benefits",
    "expected_paid_days": "benefits",
    "exponential_paid_days": "benefits",
    "cash_benefit_cost": "benefits",
    "maternity_cost": "benefits",
    "pension_capital_factor": "benefits",
    "permanent_incapacity_cost": "benefits",
    "BranchCost": "benefits",
    # premium.py
    "steady_state_premium": "premium",
    "assessment_premium": "premium",
    "AssessmentPremium": "premium",
    "experience_rating": "premium",
    "ExperienceRating": "premium",
    "limited_fluctuation_credibility": "premium",
    "full_credibility_standard": "premium",
    # standards.py
    "ILO_STANDARDS": "standards",
    "ShortTermStandard": "standards",
    "ilo_standard_check": "standards",
    "StandardCheck": "standards",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
