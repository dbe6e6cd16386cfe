"""Benefit formulas of a defined-benefit social insurance pension scheme.

The old-age pension of a member with ``n`` years of credited service and reference wage ``W``
is (Iyer 1999, ch. 3; Plamondon et al. 2002, ch. 3)

    ``P = clip(a x min(n, n_max) x W x f(age), P_min, P_max)``  if ``n >= n_qual``, else 0,

where ``a`` is the accrual rate per year of service (0.02 = 2% of the reference wage per year),
``f`` the early/late retirement adjustment, ``P_min`` and ``P_max`` the minimum and maximum
pensions, and ``n_qual`` the qualifying period. Members who retire without the qualifying
period receive a lump-sum grant ``G = g x n x W`` instead (``g`` per year of service: e.g. the
contribution rate, a rough refund of contributions without interest, or 1/12, one month's
wage per year).

The reference wage is either the average of the last ``N`` years' wages (``"final"``) or the
career average of all credited years' wages, each revalued to the last year (``"career"``).
All functions are element-wise and broadcast (leading axes are scenarios or members); money
is per year in any currency, the same for wages, pensions and limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_float_array, check_values

REFERENCE_METHODS = ("final", "career")
INDEXATION_NAMES = {"prices": 0.0, "wages": 1.0}


def _nonneg(name: str, value, what: str, hint: str = "") -> np.ndarray:
    return check_values(name, value, trailing=(), lower=0, what=what, hint=hint)


def _broadcast(**arrays) -> tuple[np.ndarray, ...]:
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        described = ", ".join(f"{name} {np.shape(value)}" for name, value in arrays.items())
        raise ValueError(f"the arguments do not broadcast together: {described}.") from None


def reference_wage(wages: ArrayLike, *, method: str = "final", years: int = 5,
                   revaluation: ArrayLike | None = None) -> np.ndarray:
    """Reference wage of a pension formula from a wage history (last entry = most recent year).

    - ``method="final"``: the average of the last ``years`` entries,
      ``W = (1/N) sum_{k=0}^{N-1} w_{n-k}`` (all entries if the history is shorter);
    - ``method="career"``: the career average of all entries, each multiplied by its
      revaluation factor, ``W = (1/n) sum_k w_k r_k`` (``r_k`` brings year k's wage to the level
      of the last year: e.g. the wage index of the last year over that of year k; default 1,
      no revaluation).

    Parameters
    ----------
    wages : array_like, shape (..., n_career)
        Annual covered wages of the credited years, oldest first (>= 0). Leading axes are
        members or scenarios.
    method : {"final", "career"}, default "final"
        Which average.
    years : int, default 5
        ``N`` for ``method="final"`` (>= 1).
    revaluation : array_like, shape (..., n_career), optional
        Revaluation factors for ``method="career"`` (> 0).

    Returns
    -------
    ndarray, shape (...)
        The reference wage (money per year).

    Raises
    ------
    ValueError
        Negative or missing wages, an empty history, an unknown method, ``years < 1``,
        revaluation factors of zero or less or of the wrong length.

    Examples
    --------
    >>> from qsp.pensions.benefits import reference_wage
    >>> float(reference_wage([100.0, 110.0, 121.0, 133.1], years=2))       # (121 + 133.1) / 2
    127.05
    >>> float(reference_wage([100.0, 110.0], method="career", revaluation=[1.1, 1.0]))  # (110 + 110) / 2
    110.0

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 3
    (pensionable earnings). Plamondon, P. et al. (2002). *Actuarial Practice in Social
    Security*. ILO/ISSA, ch. 3.
    """
    history = check_values("wages", wages, trailing=("year",), lower=0, what="wage")
    if history.ndim == 0 or history.shape[-1] == 0:
        raise ValueError(f"wages must hold a history of at least one year on its last axis, got shape {history.shape}.")
    if method not in REFERENCE_METHODS:
        raise ValueError(f"method must be 'final' (average of the last years) or 'career' (career average), "
                         f"got {method!r}.")
    if method == "final":
        if int(years) != years or years < 1:
            raise ValueError(f"years must be a whole number of at least 1, got {years!r}.")
        return history[..., -int(years):].mean(axis=-1)
    factors = np.ones(1) if revaluation is None else check_values(
        "revaluation", revaluation, trailing=("year",), lower=0, lower_inclusive=False, what="revaluation factor")
    if factors.ndim and factors.shape[-1] not in (1, history.shape[-1]):
        raise ValueError(f"revaluation has {factors.shape[-1]} entries on its last axis but wages has "
                         f"{history.shape[-1]}: give one factor per year of the history.")
    return (history * factors).mean(axis=-1)


def retirement_adjustment(retirement_age: ArrayLike, normal_retirement_age: ArrayLike, *,
                          early_reduction: ArrayLike = 0.0, late_increment: ArrayLike = 0.0) -> np.ndarray:
    """Early/late retirement factor: ``f = 1 - e max(R - x, 0) + l max(x - R, 0)``, at least 0.

    ``x`` is the age at retirement, ``R`` the normal retirement age, ``e`` the reduction per
    year of early retirement (0.06 = 6% less per year) and ``l`` the increment per year of
    deferral (linear, not compounded).

    Parameters
    ----------
    retirement_age, normal_retirement_age : array_like
        Ages in years (may be fractional); broadcast together.
    early_reduction, late_increment : array_like, default 0
        Fractions per year (>= 0).

    Returns
    -------
    ndarray
        The factor multiplying the pension (1 at the normal age, never negative).

    Raises
    ------
    ValueError
        Negative or missing ages or adjustment rates, shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions.benefits import retirement_adjustment
    >>> retirement_adjustment([58, 60, 63], 60, early_reduction=0.06, late_increment=0.05).round(4).tolist()
    [0.88, 1.0, 1.15]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3
    (flexible retirement). Iyer, S. (1999), ch. 3.
    """
    age = _nonneg("retirement_age", retirement_age, "age")
    normal = _nonneg("normal_retirement_age", normal_retirement_age, "age")
    early = _nonneg("early_reduction", early_reduction, "reduction per year",
                    hint="Give a fraction per year, 0.06 for 6%.")
    late = _nonneg("late_increment", late_increment, "increment per year", hint="Give a fraction per year, 0.05 for 5%.")
    age, normal, early, late = _broadcast(retirement_age=age, normal_retirement_age=normal,
                                          early_reduction=early, late_increment=late)
    factor = 1.0 - early * np.maximum(normal - age, 0.0) + late * np.maximum(age - normal, 0.0)
    return np.maximum(factor, 0.0)[()]


def old_age_pension(service: ArrayLike, reference_wage: ArrayLike, *, accrual_rate: ArrayLike,
                    minimum_years: ArrayLike = 0.0, maximum_years: ArrayLike | None = None,
                    minimum_pension: ArrayLike = 0.0, maximum_pension: ArrayLike | None = None,
                    adjustment: ArrayLike = 1.0) -> np.ndarray:
    """Defined-benefit pension: ``clip(a min(n, n_max) W f, P_min, P_max)`` if ``n >= n_qual``, else 0.

    The minimum pension is applied after the early/late adjustment ``f`` (a floor on what is
    paid), and only to members who qualify; the maximum caps the adjusted amount.

    Parameters
    ----------
    service : array_like
        Credited years of service ``n`` (>= 0, may be fractional).
    reference_wage : array_like
        Reference wage ``W`` (money per year, >= 0), see :func:`reference_wage`.
    accrual_rate : array_like
        ``a``, fraction of the reference wage per year of service (0.02 for 2%), >= 0.
    minimum_years : array_like, default 0
        Qualifying period ``n_qual`` in years.
    maximum_years : array_like, optional
        Service beyond which nothing more accrues (e.g. 40); default no cap.
    minimum_pension, maximum_pension : array_like, optional
        Floor (default 0) and cap (default none) of the pension, money per year.
    adjustment : array_like, default 1
        Early/late factor ``f`` (:func:`retirement_adjustment`).

    Returns
    -------
    ndarray
        Annual pension, the broadcast shape of the inputs; 0 where the member does not qualify.

    Raises
    ------
    ValueError
        Negative or missing inputs, a maximum pension below the minimum, shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions.benefits import old_age_pension
    >>> # 30 years x 1.5% x 12,000 = 5,400; 10 years do not qualify; 40 years capped at 35 years
    >>> old_age_pension([30, 10, 40], 12000.0, accrual_rate=0.015, minimum_years=15,
    ...                 maximum_years=35).round(2).tolist()
    [5400.0, 0.0, 6300.0]
    >>> old_age_pension(16, 12000.0, accrual_rate=0.015, minimum_years=15, minimum_pension=3600.0).item()
    3600.0

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 3.
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3.
    """
    years = _nonneg("service", service, "number of years")
    wage = _nonneg("reference_wage", reference_wage, "wage")
    accrual = _nonneg("accrual_rate", accrual_rate, "accrual rate", hint="Give a fraction per year, 0.02 for 2%.")
    qualifying = _nonneg("minimum_years", minimum_years, "number of years")
    factor = _nonneg("adjustment", adjustment, "adjustment factor")
    floor = _nonneg("minimum_pension", minimum_pension, "pension")
    credited = years if maximum_years is None else np.minimum(
        years, _nonneg("maximum_years", maximum_years, "number of years"))
    amount = accrual * credited * wage * factor
    amount = np.maximum(amount, floor)
    if maximum_pension is not None:
        cap = _nonneg("maximum_pension", maximum_pension, "pension")
        if np.any(cap < floor):
            raise ValueError("maximum_pension is below minimum_pension somewhere; the cap must be at least the floor.")
        amount = np.minimum(amount, cap)
    return np.where(years >= qualifying, amount, 0.0)[()]


def lump_sum_grant(service: ArrayLike, reference_wage: ArrayLike, *, grant_rate: ArrayLike,
                   minimum_years: ArrayLike = 0.0) -> np.ndarray:
    """Lump-sum grant for members without the qualifying period: ``g x n x W`` if ``n < n_qual``, else 0.

    ``g`` is the grant per year of service as a fraction of the reference wage: the
    contribution rate gives roughly a refund of the member's contributions (without interest,
    the reference wage standing for the wages of the career); 1/12 gives one month's wage per
    year of service.

    Parameters
    ----------
    service : array_like
        Credited years ``n`` (>= 0).
    reference_wage : array_like
        ``W`` (money per year, >= 0).
    grant_rate : array_like
        ``g`` (>= 0).
    minimum_years : array_like, default 0
        Qualifying period of the pension the grant replaces.

    Returns
    -------
    ndarray
        The grant (money, paid once); 0 where the member qualifies for a pension.

    Raises
    ------
    ValueError
        Negative or missing inputs, shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions.benefits import lump_sum_grant
    >>> lump_sum_grant([10, 20], 12000.0, grant_rate=0.08, minimum_years=15).tolist()   # 0.08 x 10 x 12,000
    [9600.0, 0.0]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3 (grants).
    ILO (1967). Invalidity, Old-Age and Survivors' Benefits Convention, No. 128.
    """
    years = _nonneg("service", service, "number of years")
    wage = _nonneg("reference_wage", reference_wage, "wage")
    rate = _nonneg("grant_rate", grant_rate, "grant rate")
    qualifying = _nonneg("minimum_years", minimum_years, "number of years")
    return np.where(years < qualifying, rate * years * wage, 0.0)[()]


def indexation_share(indexation) -> float:
    """Weight of wage growth in the indexation of pensions: 0 for ``"prices"``, 1 for ``"wages"``, or the number.

    A mix ``theta`` indexes pensions by ``theta x wage growth + (1 - theta) x inflation`` (a
    "Swiss" mix for ``theta = 0.5``).

    Parameters
    ----------
    indexation : {"prices", "wages"} or float in [0, 1]
        The rule.

    Returns
    -------
    float
        ``theta``.

    Raises
    ------
    ValueError
        An unknown name or a number outside [0, 1].

    Examples
    --------
    >>> from qsp.pensions.benefits import indexation_share
    >>> indexation_share("wages"), indexation_share(0.5)
    (1.0, 0.5)

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3
    (adjustment of pensions in payment).
    """
    if isinstance(indexation, str):
        if indexation not in INDEXATION_NAMES:
            raise ValueError(f"indexation must be 'prices', 'wages' or a share of wage growth between 0 and 1, "
                             f"got {indexation!r}.")
        return INDEXATION_NAMES[indexation]
    share = check_values("indexation", indexation, trailing=(), lower=0, upper=1, what="share of wage growth",
                         hint="0 = prices, 1 = wages, 0.5 = half and half.")
    if share.ndim != 0:
        raise ValueError(f"indexation must be a single rule, got shape {share.shape}; compare rules in separate runs.")
    return float(share)


@dataclass(frozen=True, kw_only=True)
class BenefitRules:
    """The benefit provisions of a defined-benefit scheme, as used by :func:`project_insured`.

    Amounts are money per year. Limits and ages that change over time may be given as one
    value per projection year (a sequence of ``n_years``, or ``(..., n_years)`` for limits).

    Parameters
    ----------
    accrual_rate : float
        Pension per year of credited service, as a fraction of the reference wage (0.015).
    reference_wage : {"final", "career"}, default "final"
        Average of the last ``reference_years`` years' wages, or career average revalued with
        wages to the last year before retirement.
    reference_years : int, default 5
        ``N`` of the final average.
    minimum_years : float, default 15
        Qualifying period for the old-age pension (years of credited service). Without it the
        member receives a grant.
    maximum_years : float or None, default None
        Service beyond which no more pension accrues.
    minimum_pension, maximum_pension : float or array_like, default 0 and None
        Floor and cap of a pension at award, money per year of projection year t: a number
        (fixed in money) or ``(..., n_years)`` (e.g. 30% of the projected average wage). They
        apply when a pension is awarded (pensions in payment are then indexed).
    normal_retirement_age : int or sequence of int, default 60
        Pensionable age, one per projection year if it rises over time.
    early_reduction, late_increment : float, default 0
        Adjustment per year of retirement before/after the normal age.
    grant_rate : float, default 0
        Lump-sum grant per year of service as a fraction of the reference wage, for members
        retiring (or becoming disabled) without the qualifying period.
    disability_minimum_years : float, default 5
        Qualifying period for a disability pension.
    disability_future_service : bool, default False
        Credit the years from the onset of disability to the normal retirement age (a common
        provision); otherwise only the service actually credited counts.
    survivor_rate : float, default 0.5
        Widow(er)'s pension as a fraction of the deceased's pension (or of the pension an
        insured member would have received with the service credited at death).
    survivor_minimum_years : float, default 5
        Service an insured member who dies must have for survivors' pensions to be due.
    orphan_rate : float, default 0.2
        Pension of each orphan as a fraction of the deceased's pension.
    orphan_age_limit : int, default 18
        Orphans' pensions end at this age.
    indexation : {"prices", "wages"} or float, default "prices"
        Adjustment of pensions in payment: with inflation, with wage growth, or a mix (the share
        of wage growth, see :func:`indexation_share`).

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 3.
    ILO (1952). Social Security (Minimum Standards) Convention, No. 102, Parts V, IX, X.
    """

    accrual_rate: float
    reference_wage: str = "final"
    reference_years: int = 5
    minimum_years: float = 15.0
    maximum_years: float | None = None
    minimum_pension: ArrayLike = 0.0
    maximum_pension: ArrayLike | None = None
    normal_retirement_age: ArrayLike = 60
    early_reduction: float = 0.0
    late_increment: float = 0.0
    grant_rate: float = 0.0
    disability_minimum_years: float = 5.0
    disability_future_service: bool = False
    survivor_rate: float = 0.5
    survivor_minimum_years: float = 5.0
    orphan_rate: float = 0.2
    orphan_age_limit: int = 18
    indexation: str | float = "prices"

    def __post_init__(self) -> None:
        scalars = {
            "accrual_rate": ("accrual rate", "Give a fraction per year of service, 0.015 for 1.5%."),
            "minimum_years": ("number of years", ""),
            "early_reduction": ("reduction per year", "Give a fraction per year, 0.06 for 6%."),
            "late_increment": ("increment per year", "Give a fraction per year, 0.05 for 5%."),
            "grant_rate": ("grant rate", ""),
            "disability_minimum_years": ("number of years", ""),
            "survivor_minimum_years": ("number of years", ""),
        }
        for name, (what, hint) in scalars.items():
            check_values(name, getattr(self, name), trailing=(), lower=0, what=what, hint=hint)
        for name in ("survivor_rate", "orphan_rate"):
            check_values(name, getattr(self, name), trailing=(), lower=0, what="rate",
                         hint="Give a fraction of the deceased's pension, 0.5 for 50%.")
        if self.maximum_years is not None:
            check_values("maximum_years", self.maximum_years, trailing=(), lower=0, what="number of years")
        if self.reference_wage not in REFERENCE_METHODS:
            raise ValueError(f"reference_wage must be 'final' or 'career', got {self.reference_wage!r}.")
        if int(self.reference_years) != self.reference_years or self.reference_years < 1:
            raise ValueError(f"reference_years must be a whole number of at least 1, got {self.reference_years!r}.")
        if int(self.orphan_age_limit) != self.orphan_age_limit or self.orphan_age_limit < 0:
            raise ValueError(f"orphan_age_limit must be a whole age, got {self.orphan_age_limit!r}.")
        check_values("minimum_pension", self.minimum_pension, trailing=("year",), lower=0, what="pension")
        if self.maximum_pension is not None:
            check_values("maximum_pension", self.maximum_pension, trailing=("year",), lower=0, what="pension")
        ages = as_float_array("normal_retirement_age", self.normal_retirement_age)
        check_values("normal_retirement_age", ages, trailing=("year",), lower=0, what="age")
        if np.any(ages != np.round(ages)):
            raise ValueError("normal_retirement_age must hold whole ages (the projection moves in whole years).")
        indexation_share(self.indexation)

    def replace(self, **changes) -> BenefitRules:
        """A copy with some provisions changed (a reform), e.g. ``rules.replace(accrual_rate=0.02)``."""
        import dataclasses

        return dataclasses.replace(self, **changes)

    def old_age_pension(self, service, reference_wage, *, age=None, normal_retirement_age=None,
                        minimum_pension=None, maximum_pension=None) -> np.ndarray:
        """The old-age pension of these rules (:func:`old_age_pension` with the early/late adjustment).

        ``age`` and ``normal_retirement_age`` give the adjustment (none if ``age`` is None);
        ``minimum_pension``/``maximum_pension`` override the rules' limits (e.g. one year's value
        of a path).
        """
        adjustment = 1.0
        if age is not None:
            normal = self.normal_retirement_age if normal_retirement_age is None else normal_retirement_age
            adjustment = retirement_adjustment(age, normal, early_reduction=self.early_reduction,
                                               late_increment=self.late_increment)
        return old_age_pension(service, reference_wage, accrual_rate=self.accrual_rate,
                               minimum_years=self.minimum_years, maximum_years=self.maximum_years,
                               minimum_pension=self.minimum_pension if minimum_pension is None else minimum_pension,
                               maximum_pension=self.maximum_pension if maximum_pension is None else maximum_pension,
                               adjustment=adjustment)
