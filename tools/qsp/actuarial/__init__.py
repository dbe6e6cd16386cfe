"""Actuarial mathematics of pensions: commutation functions, life annuities, the cost of a pension unit, and the valuation of a membership.

Layer 2 of the library (computation): the functions take arrays (or a kit life table) and
parameters, never files.

Conventions (stated once; each docstring repeats what it uses):

- Mortality is a kit life table (:func:`qsp.demography.life_table`, single ages) or an array
  of probabilities of dying ``q_x`` with ages ``0 .. omega`` on the LAST axis, the last age an
  open interval ("100+"): its probability of dying applies every year beyond omega (a life
  table's open-interval death rate is read as a constant force, ``p = exp(-m_omega)``). The
  sums to infinity are then geometric beyond omega and closed exactly.
- Results are given at EVERY age ``x = 0 .. omega`` on the last axis, with the mortality's
  leading axes (``(..., sex, age)`` for a kit table) broadcast with the rates'. A rate
  broadcasts against the mortality's shape WITHOUT the age axis: ``(k, 1)`` gives ``k``
  scenarios on a ``(sex, age)`` table. Values are NaN at ages nobody reaches.
- Rates are effective annual fractions (0.04 for 4%), > -1. Payments of 1 a year; ``m``
  payments a year are of ``1 / m`` each. Growing payments (indexation ``g``) are valued at the
  net rate ``(1 + i) / (1 + g) - 1``.
- Deaths are at the end of the year for insurances; m-thly annuities come from annual ones by
  a named approximation (``"udd"`` default, or ``"woolhouse"``).

References
----------
Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, Quantitative
Methods in Social Protection series (ch. 2: annuities and commutation functions; ch. 3-4:
pension and survivors' benefits, valuation of a scheme).
Bowers, N. L., Gerber, H. U., Hickman, J. C., Jones, D. A. and Nesbitt, C. J. (1997).
*Actuarial Mathematics*, 2nd ed. Society of Actuaries (ch. 5, 9; the Illustrative Life Table,
Appendix 2A).
Holzmann, R., Palacios, R. and Zviniene, A. (2004). *Implicit Pension Debt: Issues,
Measurement and Scope in International Perspective*. World Bank SP Discussion Paper 0403.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # commutation.py
    "commutation_functions": "commutation",
    "CommutationTable": "commutation",
    "qx_from_lx": "commutation",
    # annuities.py
    "net_interest_rate": "annuities",
    "annuity_due": "annuities",
    "annuity_immediate": "annuities",
    "pure_endowment": "annuities",
    "life_insurance": "annuities",
    "joint_life_annuity": "annuities",
    "reversionary_annuity": "annuities",
    "pension_unit_cost": "annuities",
    # valuation.py
    "value_membership": "valuation",
    "MembershipValuation": "valuation",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = list(_EXPORTS)
