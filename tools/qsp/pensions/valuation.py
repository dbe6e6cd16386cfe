"""From the projected insured population to the financial projection of the scheme.

``value_scheme`` turns an :class:`~qsp.pensions.insured.InsuredProjection` into yearly flows,
with time on the last axis as the financing kernels expect (position k = projection year
k + 1), and runs them through the existing kernels:

- contributions ``C_t = c_t S_t`` (``S_t`` insurable earnings: covered wages capped at the
  ceiling);
- benefit expenditure ``B_t`` = pensions of every type plus lump-sum grants;
- administrative cost ``A_t = a B_t`` (share of benefit expenditure) or ``a C_t`` (share of
  contributions);
- investment income and the reserve, :func:`~qsp.pensions.reserve.project_reserve`;
- the financing systems and ratios: PAYG cost rate, general average premium (and, on
  request, the scaled premium), reserve ratio, system dependency ratio, benefit ratio.

The expenditure the financing systems must cover is ``E_t = B_t + A_t`` with the
administrative cost expressed independently of the contribution rate: ``(1 + a) B_t`` when it
is a share of benefits, ``B_t / (1 - a)`` when it is a share of contributions (then a rate
``P`` with ``P S = B + a P S`` balances the year: ``P = B / ((1 - a) S)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_values
from ._series import check_timing, interest_path, rate_path
from .financing import ScaledPremium, general_average_premium, payg_cost_rate, scaled_premium
from .insured import InsuredProjection
from .membership import PENSION_TYPES
from .ratios import benefit_ratio, reserve_ratio, system_dependency_ratio
from .reserve import ReserveProjection, project_reserve

ADMIN_BASES = ("expenditure", "contributions")


def _where_positive(denominator, function, numerator, *args) -> np.ndarray:
    """``function(numerator, *args)`` where ``denominator > 0``, NaN elsewhere (the kernels reject zeros)."""
    shape = np.broadcast_shapes(np.shape(numerator), np.shape(denominator), *(np.shape(a) for a in args))
    positive = np.broadcast_to(np.asarray(denominator) > 0, shape)
    out = np.full(shape, np.nan)
    if positive.any():
        values = [np.broadcast_to(numerator, shape)[positive]] + [np.broadcast_to(a, shape)[positive] for a in args]
        out[positive] = function(*values)
    return out


@dataclass(frozen=True, eq=False)
class SchemeValuation:
    """Result of :func:`value_scheme`: the financial projection; series have time on the last axis.

    Attributes
    ----------
    years : ndarray, shape (n,)
        Labels of the projection years.
    projection : InsuredProjection
        The insured-population projection valued.
    reserve : ReserveProjection
        Reserve, investment income and flows (:func:`project_reserve`).
    contribution_rate : ndarray, shape (..., n)
        Contribution rate of each year.
    insurable_earnings, contributions : ndarray, shape (..., n)
        Contribution base ``S_t`` and contribution income ``C_t`` (money per year).
    expenditure_by_type : dict of str -> ndarray, shape (..., n)
        Pension expenditure by type (:data:`PENSION_TYPES`) and ``"lump_sums"``.
    benefit_expenditure, admin_cost : ndarray, shape (..., n)
        ``B_t`` and ``A_t``.
    cost_expenditure : ndarray, shape (..., n)
        ``E_t``, the expenditure the financing systems cover (see the module docstring).
    contributors, pensioners : ndarray, shape (..., n)
        Contributors (full-year equivalents) and pensioners of all types counted in the year.
    interest_rate : ndarray
        The interest rate, shape (..., 1) or (..., n).
    timing : str
        Timing of the flows within the year (``"mid"`` or ``"end"``), used for the reserve and the premiums.
    """

    years: np.ndarray
    projection: InsuredProjection
    reserve: ReserveProjection
    contribution_rate: np.ndarray
    insurable_earnings: np.ndarray
    contributions: np.ndarray
    expenditure_by_type: dict
    benefit_expenditure: np.ndarray
    admin_cost: np.ndarray
    cost_expenditure: np.ndarray
    contributors: np.ndarray
    pensioners: np.ndarray
    interest_rate: np.ndarray
    timing: str

    @property
    def pension_expenditure(self) -> np.ndarray:
        """Pensions of all types (no lump sums, no administration), shape ``(..., n)``."""
        return sum(self.expenditure_by_type[name] for name in PENSION_TYPES)

    @property
    def payg_cost_rate(self) -> np.ndarray:
        """PAYG cost rate ``E_t / S_t`` (benefits, grants and administration), shape ``(..., n)``.

        NaN in years without insurable earnings (a closed group after its last contributor).
        """
        return _where_positive(self.insurable_earnings, payg_cost_rate, self.cost_expenditure,
                               self.insurable_earnings)

    def general_average_premium(self, *, final_reserve: ArrayLike = 0.0) -> np.ndarray:
        """General average premium over the whole projection, from the initial reserve to ``final_reserve``.

        Uses the valuation's interest rate and ``timing`` (:func:`general_average_premium`), so that
        contributing this rate every year brings the reserve of :attr:`reserve` exactly to
        ``final_reserve`` at the end of year n.
        """
        return general_average_premium(self.cost_expenditure, self.insurable_earnings,
                                       interest_rate=self.interest_rate,
                                       initial_reserve=self.reserve.initial_reserve,
                                       final_reserve=final_reserve, timing=self.timing)

    def scaled_premium(self, *, period_length=10, criterion="non-decreasing", check: str = "period_end"
                       ) -> ScaledPremium:
        """Scaled premium of the projection (:func:`scaled_premium` with the valuation's flows and timing)."""
        return scaled_premium(self.cost_expenditure, self.insurable_earnings, interest_rate=self.interest_rate,
                              initial_reserve=self.reserve.initial_reserve, period_length=period_length,
                              criterion=criterion, check=check, timing=self.timing)

    @property
    def reserve_ratio(self) -> np.ndarray:
        """Reserve at the beginning of each year over its total expenditure ``B_t + A_t`` (ILO convention).

        NaN in years without expenditure.
        """
        return _where_positive(self.reserve.total_expenditure, reserve_ratio, self.reserve.reserve_begin,
                               self.reserve.total_expenditure)

    @property
    def system_dependency_ratio(self) -> np.ndarray:
        """Pensioners per contributor, ``N_p / N_c``, shape ``(..., n)`` (NaN in years without contributors)."""
        return _where_positive(self.contributors, system_dependency_ratio, self.pensioners, self.contributors)

    @property
    def benefit_ratio(self) -> np.ndarray:
        """Average pension over average insurable earnings per contributor, shape ``(..., n)``.

        ``(pension expenditure / N_p) / (S / N_c)``: times the system dependency ratio it gives
        the PAYG cost rate of the pensions (without grants and administration). 0 in years
        without pensioners, NaN in years without contributors.
        """
        pensioners = np.broadcast_to(self.pensioners, self.pension_expenditure.shape)
        average_pension = np.zeros(pensioners.shape)
        np.divide(self.pension_expenditure, pensioners, out=average_pension, where=pensioners > 0)
        contributors = np.broadcast_to(self.contributors, self.insurable_earnings.shape)
        average_earnings = np.zeros(contributors.shape)
        np.divide(self.insurable_earnings, contributors, out=average_earnings, where=contributors > 0)
        return _where_positive(average_earnings, benefit_ratio, average_pension, average_earnings)

    def to_frame(self, *, wide: bool = False):
        """The yearly results as a :class:`pandas.DataFrame`.

        Long (default): columns scenario (with a batch), year, variable, value. ``wide=True``:
        one row per (scenario, year), one column per variable. Variables: contributors,
        pensioners, insurable_earnings, contribution_rate, contributions, investment_income,
        expenditure_<type>, lump_sums, benefit_expenditure, admin_cost, reserve_begin,
        reserve, payg_cost_rate, reserve_ratio, system_dependency_ratio.
        """
        from ..economy._frame import long_frame, wide_frame

        variables = {
            "contributors": self.contributors,
            "pensioners": self.pensioners,
            "insurable_earnings": self.insurable_earnings,
            "contribution_rate": self.contribution_rate,
            "contributions": self.contributions,
            "investment_income": self.reserve.investment_income,
        }
        for name, values in self.expenditure_by_type.items():
            variables[name if name == "lump_sums" else f"expenditure_{name}"] = values
        variables.update({
            "benefit_expenditure": self.benefit_expenditure,
            "admin_cost": self.admin_cost,
            "reserve_begin": self.reserve.reserve_begin,
            "reserve": self.reserve.reserve,
            "payg_cost_rate": self.payg_cost_rate,
        })
        variables["reserve_ratio"] = _where_positive(self.reserve.total_expenditure, reserve_ratio,
                                                     self.reserve.reserve_begin, self.reserve.total_expenditure)
        variables["system_dependency_ratio"] = self.system_dependency_ratio
        return (wide_frame if wide else long_frame)(self.years, variables)


def value_scheme(
    projection: InsuredProjection,
    *,
    contribution_rate: ArrayLike,
    interest_rate: ArrayLike,
    initial_reserve: ArrayLike = 0.0,
    admin_cost_rate: float = 0.0,
    admin_cost_basis: str = "expenditure",
    wage_ceiling: float | None = None,
    timing: str = "mid",
) -> SchemeValuation:
    """Financial projection of a scheme: contributions, benefits, administration, investment income, reserve.

    ``C_t = c_t S_t``, ``B_t`` = pensions + grants, ``A_t = a B_t`` (or ``a C_t``), and the reserve
    ``R_t = R_{t-1}(1 + i_t) + (C_t - B_t - A_t)(1 + i_t)^(1/2)`` (``timing="mid"``) or without
    the half-year factor (``"end"``), by :func:`project_reserve`. Ratios come from the existing
    kernels (:func:`payg_cost_rate`, :func:`general_average_premium`, :func:`scaled_premium`,
    :func:`reserve_ratio`, :func:`system_dependency_ratio`, :func:`benefit_ratio`).

    Parameters
    ----------
    projection : InsuredProjection
        Output of :func:`project_insured`.
    contribution_rate : float or array_like, shape (..., 1) or (..., n)
        Contribution rate on insurable earnings (0.12 for 12%), in [0, 1], constant or per year.
    interest_rate : float or array_like, shape (..., 1) or (..., n)
        Nominal rate of return on the reserve in each year (> -1).
    initial_reserve : float or array_like (batch shape), default 0
        Reserve at the valuation date.
    admin_cost_rate : float, default 0
        Administrative cost as a share of benefit expenditure or of contributions (in [0, 1)).
    admin_cost_basis : {"expenditure", "contributions"}, default "expenditure"
        What ``admin_cost_rate`` is a share of.
    wage_ceiling : float, optional
        A ceiling on contributions only, as a multiple of the average wage of each year, applied
        to the wage of each (sex, age) cell (needs ``detail="age"``). Default: the projection's
        insurable earnings as they are (set the ceiling in :func:`project_insured` to cap the
        reference wages of benefits as well, as most schemes do).
    timing : {"mid", "end"}, default "mid"
        Timing of the flows within the year for the reserve and the premiums.

    Returns
    -------
    SchemeValuation
        Flows, ``.reserve`` (a :class:`ReserveProjection`), ``.payg_cost_rate``,
        ``.general_average_premium()``, ``.scaled_premium()``, ``.reserve_ratio``,
        ``.system_dependency_ratio``, ``.benefit_ratio``, ``.to_frame()``.

    Raises
    ------
    ValueError
        A contribution rate outside [0, 1], an interest rate of -1 or less, an administrative
        cost rate outside [0, 1), an unknown basis or timing, a ceiling with ``detail="total"``,
        a projection of another length.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, project_insured, value_scheme
    >>> actives = np.zeros((2, 101, 86))
    >>> actives[:, 30:60, 10] = 100.0
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 10000.0))
    >>> qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    >>> projection = project_insured(members, BenefitRules(accrual_rate=0.02, minimum_years=10), n_years=20,
    ...                              mortality=qx, wages=np.full((2, 101), 10000.0))
    >>> valuation = value_scheme(projection, contribution_rate=0.10, interest_rate=0.04, initial_reserve=1e7)
    >>> round(float(valuation.contributions[0]))        # 10% x 10,000 x 5,933.7 contributors (average of the year)
    5933671
    >>> bool(valuation.reserve.reserve[-1] > 0), valuation.to_frame(wide=True).shape
    (True, (20, 19))

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 6-8
    (financial projection, financing systems). Iyer, S. (1999). *Actuarial Mathematics of
    Social Security Pensions*. ILO/ISSA, ch. 1. ILO (1997). *The ILO Pension Model: A Technical Guide*.
    """
    if not isinstance(projection, InsuredProjection):
        raise ValueError(f"projection must be the result of project_insured, got {type(projection).__name__}.")
    check_timing(timing)
    n_years = projection.years.size
    rate = rate_path("contribution_rate", contribution_rate, n_years, lower=0.0, lower_inclusive=True, upper=1.0,
                     what="contribution rate", hint="Give a fraction of insurable earnings, 0.12 for 12%.")
    interest = interest_path(interest_rate, n_years)
    admin_rate = float(check_values("admin_cost_rate", admin_cost_rate, trailing=(), lower=0.0, upper=1.0,
                                    what="share", hint="Give a fraction, 0.03 for 3%."))
    if np.ndim(admin_cost_rate) != 0:
        raise ValueError("admin_cost_rate must be a single number.")
    if admin_cost_basis not in ADMIN_BASES:
        raise ValueError(f"admin_cost_basis must be 'expenditure' or 'contributions', got {admin_cost_basis!r}.")
    if admin_cost_basis == "contributions" and admin_rate >= 1.0:
        raise ValueError("admin_cost_rate must be below 1 as a share of contributions (all contributions would go to "
                         "administration).")

    total = projection.total
    if wage_ceiling is None:
        earnings = total(projection.insurable_earnings)
    else:
        if projection.detail != "age":
            raise ValueError("wage_ceiling needs the wages by (sex, age): project with detail='age', or set the "
                             "ceiling in project_insured.")
        ceiling = float(check_values("wage_ceiling", wage_ceiling, trailing=(), lower=0, lower_inclusive=False,
                                     what="multiple of the average wage"))
        people = projection.contributors
        with np.errstate(invalid="ignore", divide="ignore"):
            wage = np.where(people > 0, projection.covered_wages / np.where(people > 0, people, 1.0), 0.0)
        cap = ceiling * projection.average_wage[..., None, None]
        earnings = (people * np.minimum(wage, cap)).sum(axis=(-2, -1))
    contributions = rate * earnings
    by_type = {name: total(projection.expenditure[name]) for name in PENSION_TYPES}
    by_type["lump_sums"] = projection.lump_sums
    benefits = sum(by_type.values())
    benefits = np.broadcast_to(benefits, np.broadcast_shapes(*(np.shape(v) for v in by_type.values())))
    if admin_cost_basis == "expenditure":
        admin = admin_rate * benefits
        cost = benefits + admin
    else:
        admin = admin_rate * contributions
        cost = benefits / (1.0 - admin_rate)
    reserve = project_reserve(contributions, benefits, admin_cost=admin, interest_rate=interest,
                              initial_reserve=initial_reserve, timing=timing)
    shape = reserve.reserve.shape
    return SchemeValuation(
        years=projection.years,
        projection=projection,
        reserve=reserve,
        contribution_rate=np.broadcast_to(rate, shape),
        insurable_earnings=np.broadcast_to(earnings, np.broadcast_shapes(np.shape(earnings), shape)),
        contributions=reserve.contributions,
        expenditure_by_type={name: np.broadcast_to(values, shape) for name, values in by_type.items()},
        benefit_expenditure=reserve.expenditure,
        admin_cost=reserve.admin_cost,
        cost_expenditure=np.broadcast_to(cost, shape),
        contributors=np.broadcast_to(projection.number_of_contributors, shape),
        pensioners=np.broadcast_to(projection.number_of_pensioners, shape),
        interest_rate=interest,
        timing=timing,
    )
