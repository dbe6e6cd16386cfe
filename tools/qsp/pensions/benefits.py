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
INDEXATION_RULES = ("prices", "wages", "lesser")
SEX_KEYS = ("female", "male")


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
        if indexation == "lesser":
            raise ValueError("indexation 'lesser' (the lesser of inflation and wage growth) is not a fixed share of "
                             "wage growth: use indexation_rate(indexation, wage_growth, price_inflation).")
        if indexation not in INDEXATION_NAMES:
            raise ValueError(f"indexation must be 'prices', 'wages' or a share of wage growth between 0 and 1, "
                             f"got {indexation!r}.")
        return INDEXATION_NAMES[indexation]
    share = check_values("indexation", indexation, trailing=(), lower=0, upper=1, what="share of wage growth",
                         hint="0 = prices, 1 = wages, 0.5 = half and half.")
    if share.ndim != 0:
        raise ValueError(f"indexation must be a single rule, got shape {share.shape}; compare rules in separate runs.")
    return float(share)


def indexation_rate(indexation, wage_growth: ArrayLike, price_inflation: ArrayLike) -> np.ndarray:
    """Adjustment rate of pensions in payment in each year under an indexation rule.

    - ``"prices"``: ``pi_t``; ``"wages"``: ``g_t``; a number ``theta`` in [0, 1]:
      ``theta g_t + (1 - theta) pi_t`` (see :func:`indexation_share`);
    - ``"lesser"``: ``min(g_t, pi_t)``, the lesser of inflation and wage growth (e.g. Jordan's
      Social Security Law No. 1 of 2014). When wages grow faster than prices it equals price
      indexation; in years when real wages fall it follows wages.

    A cap in money on the yearly increase of each pension is a separate provision
    (``BenefitRules.indexation_cap``, applied by :func:`~qsp.pensions.project_insured`).

    Parameters
    ----------
    indexation : {"prices", "wages", "lesser"} or float in [0, 1]
        The rule.
    wage_growth, price_inflation : array_like
        Nominal growth of the average wage and of prices (fractions per year, > -1), broadcast together.

    Returns
    -------
    ndarray
        The adjustment rate, the broadcast shape of the growth rates.

    Raises
    ------
    ValueError
        An unknown rule, a share outside [0, 1], growth rates of -1 or less or missing.

    Examples
    --------
    >>> from qsp.pensions.benefits import indexation_rate
    >>> indexation_rate("lesser", [0.034, 0.01], [0.025, 0.042]).tolist()      # min(3.4%, 2.5%), min(1%, 4.2%)
    [0.025, 0.01]
    >>> round(float(indexation_rate(0.5, 0.04, 0.02)), 6)                      # half and half
    0.03

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3
    (adjustment of pensions in payment). Jordan, Social Security Law No. 1 of 2014 (the lesser
    of inflation and average-wage growth).
    """
    hint = "Growth rates are fractions per year (0.03 for 3%), greater than -1."
    growth = check_values("wage_growth", wage_growth, trailing=("year",), lower=-1, lower_inclusive=False,
                          what="growth rate", hint=hint)
    inflation = check_values("price_inflation", price_inflation, trailing=("year",), lower=-1,
                             lower_inclusive=False, what="inflation rate", hint=hint)
    growth, inflation = _broadcast(wage_growth=growth, price_inflation=inflation)
    if isinstance(indexation, str) and indexation == "lesser":
        return np.minimum(growth, inflation)[()]
    theta = indexation_share(indexation)
    return (theta * growth + (1.0 - theta) * inflation)[()]


def check_indexation(indexation) -> None:
    """Raise a ValueError unless ``indexation`` is ``"prices"``, ``"wages"``, ``"lesser"`` or a share in [0, 1]."""
    if isinstance(indexation, str) and indexation == "lesser":
        return
    try:
        indexation_share(indexation)
    except ValueError as error:
        raise ValueError(f"indexation must be 'prices', 'wages', 'lesser' (the lesser of inflation and wage growth) "
                         f"or a share of wage growth between 0 and 1, got {indexation!r}. ({error})") from None


def ages_by_sex(name: str, value, n_years: int | None = None, *, low: float = 0, high: float = np.inf,
                why: str = "") -> np.ndarray:
    """An age rule (e.g. a retirement age) as whole ages by year and sex, shape ``(T, 2)``.

    Accepted forms (sex 0 = female, 1 = male):

    - a number: the same age for both sexes every year;
    - a 1-D sequence: one age per projection year, both sexes (a 1-D sequence is ALWAYS by
      year, even with two entries);
    - a 2-D array ``(n_years, 2)`` or ``(1, 2)``: by year and sex;
    - a mapping ``{"female": a, "male": b}`` whose values are numbers or per-year sequences.

    Parameters
    ----------
    name : str
        Argument name for messages.
    value : number, sequence, array or mapping
        The rule.
    n_years : int, optional
        Number of projection years: the result then has ``T = n_years`` rows (a constant rule is
        broadcast); without it ``T`` is 1 or the length of the rule's year axis.
    low, high : float
        Allowed range of the ages (inclusive).
    why : str
        Explanation appended to an out-of-range message.

    Returns
    -------
    ndarray of int, shape (T, 2)

    Raises
    ------
    ValueError
        Fractional or missing ages, ages outside ``[low, high]`` (naming the year and sex), a
        mapping with other keys than ``"female"``/``"male"``, a year axis of the wrong length.

    Examples
    --------
    >>> from qsp.pensions.benefits import ages_by_sex
    >>> ages_by_sex("normal_retirement_age", {"female": 55, "male": 60}).tolist()
    [[55, 60]]
    >>> ages_by_sex("normal_retirement_age", [60, 61, 62]).tolist()
    [[60, 60], [61, 61], [62, 62]]
    """
    if isinstance(value, dict):
        if set(value) != set(SEX_KEYS):
            raise ValueError(f"{name} given by sex must have the keys 'female' and 'male', got {sorted(value)}.")
        parts = [as_float_array(f"{name}['{key}']", value[key]) for key in SEX_KEYS]
        for key, part in zip(SEX_KEYS, parts):
            if part.ndim > 1:
                raise ValueError(f"{name}['{key}'] must be one age or one age per projection year, got shape "
                                 f"{part.shape}.")
        length = max((part.shape[0] if part.ndim else 1) for part in parts)
        try:
            arr = np.stack([np.broadcast_to(part.reshape(-1) if part.ndim else part, (length,)) for part in parts],
                           axis=-1)
        except ValueError:
            raise ValueError(f"{name}['female'] and {name}['male'] have different numbers of years "
                             f"({parts[0].shape} and {parts[1].shape}).") from None
    else:
        arr = as_float_array(name, value)
        if arr.ndim == 0:
            arr = np.broadcast_to(arr, (1, 2))
        elif arr.ndim == 1:
            arr = np.broadcast_to(arr[:, None], (arr.shape[0], 2))
        elif arr.ndim == 2:
            if arr.shape[1] != 2:
                raise ValueError(f"{name} has shape {arr.shape}: a 2-D age rule is (year, sex) with 2 columns "
                                 f"(0 = female, 1 = male).")
        else:
            raise ValueError(f"{name} must be one age, one per projection year, (year, sex) or a mapping "
                             f"{{'female': ..., 'male': ...}}, got shape {arr.shape}.")
    if n_years is not None:
        if arr.shape[0] not in (1, n_years):
            raise ValueError(f"{name} has {arr.shape[0]} entries but the projection has {n_years} years.")
        arr = np.broadcast_to(arr, (n_years, 2))
    def where(year: int, sex: int) -> str:
        same = arr[year, 0] == arr[year, 1] or (np.isnan(arr[year, 0]) and np.isnan(arr[year, 1]))
        return f"projection year {year + 1}" + ("" if same else f" for sex {sex} ({SEX_KEYS[sex]})")

    bad = ~np.isfinite(arr) | (arr != np.round(np.where(np.isfinite(arr), arr, 0)))
    if bad.any():
        year, sex = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must hold whole ages; it is {arr[year, sex]} in {where(year, sex)}.")
    out = (arr < low) | (arr > high)
    if out.any():
        year, sex = (int(i) for i in np.argwhere(out)[0])
        grid = f"{low:g}..{high:g}" if np.isfinite(high) else f"at least {low:g}"
        raise ValueError(f"{name} is {arr[year, sex]:g} in {where(year, sex)}, outside the age grid of the "
                         f"projection ({grid})" + (f": {why}" if why else "."))
    return np.ascontiguousarray(arr, dtype=float).astype(int)


def years_by_sex(name: str, value) -> np.ndarray:
    """A number of years by sex, shape ``(2,)``: a number, a ``(2,)`` array or ``{"female": a, "male": b}`` (>= 0).

    Examples
    --------
    >>> from qsp.pensions.benefits import years_by_sex
    >>> years_by_sex("early_minimum_years", {"female": 19, "male": 21}).tolist()
    [19.0, 21.0]
    """
    if isinstance(value, dict):
        if set(value) != set(SEX_KEYS):
            raise ValueError(f"{name} given by sex must have the keys 'female' and 'male', got {sorted(value)}.")
        value = [value[key] for key in SEX_KEYS]
    arr = check_values(name, value, trailing=("sex",), lower=0, what="number of years")
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != 2):
        raise ValueError(f"{name} must be a number of years, or one per sex (shape (2,), 0 = female, 1 = male), "
                         f"got shape {arr.shape}.")
    return np.broadcast_to(arr, (2,)).astype(float)


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
    normal_retirement_age : int, sequence, (year, sex) array or mapping, default 60
        Pensionable age: one number for both sexes; one per projection year if it rises over
        time (a 1-D sequence is always by year); by year and sex ``(n_years, 2)`` or ``(1, 2)``;
        or ``{"female": 55, "male": 60}`` (values numbers or per-year sequences). See
        :func:`ages_by_sex`.
    early_reduction, late_increment : float, default 0
        Adjustment per year of retirement before/after the normal age.
    early_retirement_age : same forms as ``normal_retirement_age``, or None, default None
        First age at which an old-age pension may be drawn early (reduced by
        ``early_reduction`` per year before the normal age). None: no early retirement (the
        default, today's behaviour). Who retires early is a behavioural assumption:
        ``early_retirement_rate`` of :func:`~qsp.pensions.project_insured`.
    early_minimum_years : float, (2,) or mapping, optional
        Credited service needed to retire early, one number or one per sex (``{"female": 19,
        "male": 21}``); default ``minimum_years``.
    grant_rate : float, default 0
        Lump-sum grant per year of service as a fraction of the reference wage, for members
        retiring (or becoming disabled) without the qualifying period.
    settlement_rate : float, optional
        Lump-sum settlement per year of service as a fraction of the reference wage, paid to
        active members who leave the insured population before retirement (``exit_rate`` of
        :func:`~qsp.pensions.project_insured`): the :func:`lump_sum_grant` formula ``g n W``
        without a qualifying condition. Default ``grant_rate``. With ``g`` the contribution rate
        and career-average wages revalued with wages, ``g n W`` is a refund of contributions
        accumulated at the rate of wage growth; with a final-average ``W`` it is somewhat more.
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
    indexation : {"prices", "wages", "lesser"} or float, default "prices"
        Adjustment of pensions in payment: with inflation, with wage growth, the lesser of the
        two (``"lesser"``), or a mix (the share of wage growth, see :func:`indexation_share`);
        :func:`indexation_rate` gives the rate of each year.
    indexation_cap : float or array_like, optional
        Largest yearly increase of one pension in money (per year of pension, the currency of
        the pensions): a number, or ``(..., n_years)`` (e.g. a cap itself indexed). Default None,
        no cap. The projection applies it to the average pension of each (type, sex, age) cell:
        ``increase = N min(r P_avg, cap)``, which slightly overstates the increases where
        pensions within a cell straddle ``cap / r``.
    indexation_cap_indexed : bool, default False
        Raise the cap itself each year with price inflation: ``indexation_cap`` is then in money
        of the valuation year and the cap of year t is ``C_t = C prod_{k=1..t} (1 + pi_k)``
        (following each scenario's inflation in a stochastic run). False: the cap is as given.

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
    early_retirement_age: ArrayLike | None = None
    early_minimum_years: ArrayLike | None = None
    settlement_rate: float | None = None
    indexation_cap: ArrayLike | None = None
    indexation_cap_indexed: bool = False

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
        ages_by_sex("normal_retirement_age", self.normal_retirement_age, low=0,
                    why="give whole ages (the projection moves in whole years).")
        if self.early_retirement_age is not None:
            ages_by_sex("early_retirement_age", self.early_retirement_age, low=0,
                        why="give whole ages (the projection moves in whole years).")
        if self.early_minimum_years is not None:
            years_by_sex("early_minimum_years", self.early_minimum_years)
        if self.settlement_rate is not None:
            check_values("settlement_rate", self.settlement_rate, trailing=(), lower=0, what="settlement rate",
                         hint="Give a fraction of the reference wage per year of service, 0.1 for 10%.")
            if np.ndim(self.settlement_rate) != 0:
                raise ValueError("settlement_rate must be a single number.")
        if self.indexation_cap is not None:
            check_values("indexation_cap", self.indexation_cap, trailing=("year",), lower=0, what="cap",
                         hint="Give the largest yearly increase of one pension in money per year (e.g. 240 for 20 a "
                              "month).")
        check_indexation(self.indexation)
        if not isinstance(self.indexation_cap_indexed, (bool, np.bool_)):
            raise ValueError(f"indexation_cap_indexed must be True or False, got {self.indexation_cap_indexed!r}.")

    @property
    def settlement(self) -> float:
        """Settlement rate of exits: ``settlement_rate``, or ``grant_rate`` when it is None."""
        return float(self.grant_rate if self.settlement_rate is None else self.settlement_rate)

    def replace(self, **changes) -> BenefitRules:
        """A copy with some provisions changed (a reform), e.g. ``rules.replace(accrual_rate=0.02)``."""
        import dataclasses

        return dataclasses.replace(self, **changes)

    def old_age_pension(self, service, reference_wage, *, age=None, normal_retirement_age=None,
                        minimum_pension=None, maximum_pension=None, sex=None) -> np.ndarray:
        """The old-age pension of these rules (:func:`old_age_pension` with the early/late adjustment).

        ``age`` and ``normal_retirement_age`` give the adjustment (none if ``age`` is None);
        ``minimum_pension``/``maximum_pension`` override the rules' limits (e.g. one year's value
        of a path). With a normal retirement age by sex, give ``sex`` (0 = female, 1 = male) or
        ``normal_retirement_age``.
        """
        adjustment = 1.0
        if age is not None:
            normal = self.normal_retirement_age if normal_retirement_age is None else normal_retirement_age
            if normal_retirement_age is None:
                by_sex = ages_by_sex("normal_retirement_age", normal)
                if np.any(by_sex[:, 0] != by_sex[:, 1]):
                    if sex not in (0, 1):
                        raise ValueError("normal_retirement_age differs by sex: give sex=0 (female) or sex=1 (male), "
                                         "or normal_retirement_age=, to compute the early/late adjustment.")
                    column = by_sex[:, sex]
                    normal = column[0] if column.size == 1 else column
                elif isinstance(normal, dict) or np.ndim(normal) == 2:
                    column = by_sex[:, 0]
                    normal = column[0] if column.size == 1 else column
            adjustment = retirement_adjustment(age, normal, early_reduction=self.early_reduction,
                                               late_increment=self.late_increment)
        return old_age_pension(service, reference_wage, accrual_rate=self.accrual_rate,
                               minimum_years=self.minimum_years, maximum_years=self.maximum_years,
                               minimum_pension=self.minimum_pension if minimum_pension is None else minimum_pension,
                               maximum_pension=self.maximum_pension if maximum_pension is None else maximum_pension,
                               adjustment=adjustment)
