"""Premium rates of short-term benefits: the assessment system with a contingency reserve, and experience rating."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .._validate import check_values


def _rate(name, value, *, lower=-1.0, lower_inclusive=False, upper=None, what="rate") -> np.ndarray:
    return check_values(name, value, trailing=("year",), lower=lower, lower_inclusive=lower_inclusive, upper=upper,
                        what=what)


def steady_state_premium(cost_rate, *, reserve_ratio, interest_rate, growth, admin_loading=0.0):
    """Premium rate that pays a branch's cost and keeps a contingency reserve of ``k`` times a year's expenditure.

    ``pi = c (1 + alpha) [1 + k (g - i) / (1 + g)]``

    Derivation (flows at the end of the year): expenditure ``E_t = c (1 + alpha) S_t`` grows with
    the insurable earnings ``S_t`` at ``g`` a year; the reserve ``R_t = k E_t`` earns ``i`` on
    ``R_(t-1)``; ``R_t = (1 + i) R_(t-1) + C_t - E_t`` gives the contributions
    ``C_t = E_t (1 + k) - (1 + i) k E_(t-1) = E_t [1 + k (g - i) / (1 + g)]``.
    With ``g = i`` the reserve's interest pays exactly for its growth and the premium is the
    cost rate plus administration. This is the assessment (pay-as-you-go) system with a
    contingency reserve, the financing ILO actuaries use for short-term benefits.

    Parameters
    ----------
    cost_rate : float or array_like
        Benefit expenditure over insurable earnings (a fraction), >= 0. Any shape (batch).
    reserve_ratio : float or array_like
        The contingency reserve as a multiple ``k`` of a year's expenditure (0.5 = six months), >= 0.
    interest_rate : float or array_like
        Annual return on the reserve, > -1.
    growth : float or array_like
        Annual growth of insurable earnings (and so of expenditure), > -1.
    admin_loading : float or array_like, default 0
        Administrative cost as a fraction of benefit expenditure, >= 0.

    Returns
    -------
    ndarray
        The premium rate (fraction of insurable earnings), broadcast over the inputs.

    Examples
    --------
    A cost rate of 2% with 5% administration, a reserve of half a year's expenditure, growth 8%
    and interest 5%: ``0.02 x 1.05 x (1 + 0.5 x 0.03 / 1.08) = 0.021292``.

    >>> from qsp.shortterm import steady_state_premium
    >>> round(float(steady_state_premium(0.02, reserve_ratio=0.5, interest_rate=0.05, growth=0.08,
    ...                                  admin_loading=0.05)), 6)
    0.021292

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (financing
    systems of short-term benefits; the contingency reserve). Iyer, S. (1999). *Actuarial
    Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1 (financing systems).
    """
    c = check_values("cost_rate", cost_rate, trailing=(), lower=0.0, what="cost rate")
    k = check_values("reserve_ratio", reserve_ratio, trailing=(), lower=0.0, what="reserve ratio",
                     hint="The reserve is a multiple of a year's expenditure: 0.5 for six months.")
    i = _rate("interest_rate", interest_rate, what="interest rate")
    g = _rate("growth", growth, what="growth rate")
    a = check_values("admin_loading", admin_loading, trailing=(), lower=0.0, what="administrative loading")
    return (c * (1.0 + a) * (1.0 + k * (g - i) / (1.0 + g)))[()]


@dataclass(frozen=True)
class AssessmentPremium:
    """Result of :func:`assessment_premium`; arrays have time on the last axis, ``(..., year)``.

    Attributes
    ----------
    contributions : ndarray
        Contributions ``C_t`` the premium must raise.
    premium_rate : ndarray
        ``C_t / S_t``.
    payg_cost_rate : ndarray
        ``E_t / S_t``, the rate without any reserve.
    reserve : ndarray
        Reserve at the end of each year ``R_t``.
    target_reserve : ndarray
        ``k E_t``.
    """

    contributions: np.ndarray
    premium_rate: np.ndarray
    payg_cost_rate: np.ndarray
    reserve: np.ndarray
    target_reserve: np.ndarray


def assessment_premium(expenditure, insurable_earnings, *, reserve_ratio, interest_rate, initial_reserve=0.0,
                       build_up_years: int = 1) -> AssessmentPremium:
    """Year-by-year premium of the assessment system with a contingency reserve of ``k`` times expenditure.

    Each year the contributions pay the expenditure and close ``1/n`` of the gap between the
    reserve and its target ``k E_t`` (flows at the end of the year, interest on the opening
    reserve):

    ``R_t = R_(t-1) + (k E_t - R_(t-1)) / n``,
    ``C_t = E_t - i R_(t-1) + (k E_t - R_(t-1)) / n``, ``premium_t = C_t / S_t``.

    With ``n = 1`` the reserve equals its target at the end of every year; with expenditure
    growing at a constant ``g`` the premium then equals :func:`steady_state_premium` from the
    second year on.

    Parameters
    ----------
    expenditure : array_like, shape (..., year)
        Benefit and administrative expenditure ``E_t`` (money a year), >= 0.
    insurable_earnings : array_like, shape (..., year)
        The contribution base ``S_t`` (> 0).
    reserve_ratio : float or array_like, shape (...)
        ``k``, the target reserve in years of expenditure (>= 0).
    interest_rate : float or array_like, shape (..., year) or (..., 1)
        Return on the reserve (> -1). The last axis is always the year: give scenarios of
        constant rates as a column ``(k, 1)``.
    initial_reserve : float or array_like, shape (...), default 0
        Reserve at the start ``R_0`` (>= 0).
    build_up_years : int, default 1
        ``n``: the number of years over which a gap to the target is spread (>= 1).

    Returns
    -------
    AssessmentPremium

    Examples
    --------
    Expenditure 100 then 110, earnings 1,000 then 1,100, k = 0.5, i = 0, no initial reserve:
    year 1 ``C = 100 + 50 = 150`` (15%); year 2 ``C = 110 + 55 - 50 = 115`` (10.45%).

    >>> from qsp.shortterm import assessment_premium
    >>> result = assessment_premium([100.0, 110.0], [1000.0, 1100.0], reserve_ratio=0.5, interest_rate=0.0)
    >>> result.contributions.tolist(), result.premium_rate.round(4).tolist()
    ([150.0, 115.0], [0.15, 0.1045])

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA.
    """
    e = check_values("expenditure", expenditure, trailing=("year",), lower=0.0, what="expenditure")
    s = check_values("insurable_earnings", insurable_earnings, trailing=("year",), lower=0.0, lower_inclusive=False,
                     what="insurable earnings")
    if e.ndim == 0 or s.ndim == 0:
        raise ValueError("expenditure and insurable_earnings need a last axis of years, e.g. [100.0, 110.0].")
    k = np.asarray(check_values("reserve_ratio", reserve_ratio, trailing=(), lower=0.0, what="reserve ratio"))[..., None]
    i = np.asarray(_rate("interest_rate", interest_rate, what="interest rate"))
    if i.ndim == 0:
        i = i[..., None]
    elif i.shape[-1] not in (1, e.shape[-1]):
        raise ValueError(f"interest_rate has {i.shape[-1]} entries on its last (year) axis, but expenditure has "
                         f"{e.shape[-1]} years. Give one rate per year, or scenarios as a column (k, 1).")
    r0 = check_values("initial_reserve", initial_reserve, trailing=(), lower=0.0, what="reserve")
    if isinstance(build_up_years, bool) or int(build_up_years) != build_up_years or build_up_years < 1:
        raise ValueError(f"build_up_years must be a whole number of years, at least 1, got {build_up_years!r}.")
    try:
        e, s, k, i = np.broadcast_arrays(e, s, k, i)
    except ValueError:
        raise ValueError(f"expenditure {np.shape(e)}, insurable_earnings {np.shape(s)}, reserve_ratio and "
                         f"interest_rate do not broadcast: years go on the last axis, scenarios before.") from None
    reserve = np.empty_like(e)
    contributions = np.empty_like(e)
    previous = np.broadcast_to(r0, e.shape[:-1]).astype(float)
    for t in range(e.shape[-1]):
        target = k[..., t] * e[..., t]
        step = (target - previous) / build_up_years
        contributions[..., t] = e[..., t] - i[..., t] * previous + step
        reserve[..., t] = previous + step
        previous = reserve[..., t]
    return AssessmentPremium(contributions=contributions, premium_rate=contributions / s, payg_cost_rate=e / s,
                             reserve=reserve, target_reserve=k * e)


def full_credibility_standard(probability: float = 0.90, tolerance: float = 0.05) -> float:
    """Expected claims for full credibility (limited fluctuation): ``(z_((1+p)/2) / k)^2``.

    The number of claims (Poisson) for which the observed frequency is within ``k`` of its
    mean with probability ``p``. The classic standard, ``p = 90%``, ``k = 5%``, is 1,082 claims.

    Examples
    --------
    >>> from qsp.shortterm.premium import full_credibility_standard
    >>> round(full_credibility_standard(0.90, 0.05))
    1082

    References
    ----------
    Longley-Cook, L. H. (1962). An introduction to credibility theory. *Proceedings of the
    Casualty Actuarial Society* 49, 194-221 (the table of full-credibility standards).
    """
    if not 0 < probability < 1 or not tolerance > 0:
        raise ValueError(f"probability must be in (0, 1) and tolerance > 0, got {probability!r} and {tolerance!r}.")
    z = NormalDist().inv_cdf((1.0 + probability) / 2.0)
    return (z / tolerance) ** 2


def limited_fluctuation_credibility(claim_counts, *, full_standard=None):
    """Credibility of a class's own experience: ``Z = min(1, sqrt(n / n_full))`` (the square-root rule).

    Parameters
    ----------
    claim_counts : array_like
        Number of claims observed in each class (>= 0). Any shape.
    full_standard : float, optional
        Claims for full credibility; default :func:`full_credibility_standard` (1,082).

    Returns
    -------
    ndarray
        ``Z`` in [0, 1], the shape of ``claim_counts``.

    Examples
    --------
    >>> from qsp.shortterm import limited_fluctuation_credibility
    >>> limited_fluctuation_credibility([0, 270.6, 5000], full_standard=1082.4).round(3).tolist()
    [0.0, 0.5, 1.0]

    References
    ----------
    Longley-Cook (1962), op. cit.; Klugman, S. A., Panjer, H. H. and Willmot, G. E. (2012).
    *Loss Models*, 4th ed. Wiley, ch. 17 (limited fluctuation credibility).
    """
    n = check_values("claim_counts", claim_counts, trailing=("class",), lower=0.0, what="number of claims")
    full = full_credibility_standard() if full_standard is None else float(
        check_values("full_standard", full_standard, trailing=(), lower=0.0, lower_inclusive=False,
                     what="full-credibility standard"))
    return np.minimum(1.0, np.sqrt(n / full))[()]


@dataclass(frozen=True)
class ExperienceRating:
    """Result of :func:`experience_rating`; arrays ``(..., class)`` unless said.

    Attributes
    ----------
    observed_rate : ndarray
        Each class's own cost rate, claims over insurable earnings.
    credibility : ndarray
        ``Z`` of each class.
    pooled_rate : ndarray, shape (...)
        The whole scheme's cost rate.
    off_balance : ndarray, shape (...)
        The factor that makes the credibility-weighted rates raise the scheme's cost.
    rate : ndarray
        The class premium rates (with the loading).
    """

    observed_rate: np.ndarray
    credibility: np.ndarray
    pooled_rate: np.ndarray
    off_balance: np.ndarray
    rate: np.ndarray


def experience_rating(claims_cost, insurable_earnings, claim_counts, *, full_standard=None,
                      loading=0.0) -> ExperienceRating:
    """Employment-injury premium rates by industry class from each class's own claims experience.

    ``r_c = L_c / S_c`` (the class's observed cost rate over the experience period),
    ``r = sum L / sum S`` (the pooled rate), ``Z_c = min(1, sqrt(n_c / n_full))``,
    ``r~_c = Z_c r_c + (1 - Z_c) r``, and the rates are rebalanced so that they raise the
    scheme's whole cost: ``rate_c = r~_c x sum L / sum(r~_c S_c) x (1 + loading)``.

    A class with many claims pays its own experience; a small class pays mostly the pooled
    rate, so one bad year does not ruin a small industry and safety still pays off for a large one.

    Parameters
    ----------
    claims_cost : array_like, shape (..., class)
        Cost of claims of each class over the experience period (money), >= 0.
    insurable_earnings : array_like, shape (..., class)
        Insurable earnings of each class over the same period (> 0).
    claim_counts : array_like, shape (..., class)
        Number of claims of each class (>= 0), for the credibility.
    full_standard : float, optional
        Claims for full credibility (default 1,082).
    loading : float, default 0
        Loading for administration and the contingency reserve, a fraction of the rate.

    Returns
    -------
    ExperienceRating

    Examples
    --------
    Two classes: mining (2,000 claims, cost 30 on earnings 1,000) and offices (100 claims, cost 1
    on earnings 1,000); the pooled rate is 31/2,000 = 1.55%. Offices: ``Z = sqrt(100/1082.4) = 0.304``,
    ``r~ = 0.304 x 0.1% + 0.696 x 1.55% = 1.109%``; the weighted rates raise 30 + 11.09 = 41.09
    against a cost of 31, so both are scaled by 31/41.09 = 0.754.

    >>> from qsp.shortterm import experience_rating
    >>> result = experience_rating([30.0, 1.0], [1000.0, 1000.0], [2000, 100], full_standard=1082.4)
    >>> result.credibility.round(4).tolist(), result.rate.round(5).tolist()
    ([1.0, 0.304], [0.02263, 0.00837])

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (employment
    injury: rates by class of industry, experience rating). Klugman, Panjer and Willmot (2012),
    *Loss Models*, ch. 17.
    """
    cost = check_values("claims_cost", claims_cost, trailing=("class",), lower=0.0, what="claims cost")
    s = check_values("insurable_earnings", insurable_earnings, trailing=("class",), lower=0.0, lower_inclusive=False,
                     what="insurable earnings")
    z = limited_fluctuation_credibility(claim_counts, full_standard=full_standard)
    a = float(check_values("loading", loading, trailing=(), lower=0.0, what="loading"))
    try:
        cost, s, z = np.broadcast_arrays(cost, s, np.asarray(z))
    except ValueError:
        raise ValueError(f"claims_cost {np.shape(cost)}, insurable_earnings {np.shape(s)} and claim_counts "
                         f"{np.shape(z)} do not broadcast: industry classes go on the last axis.") from None
    if cost.ndim == 0:
        raise ValueError("experience_rating needs a last axis of industry classes, e.g. claims_cost=[30.0, 1.0].")
    observed = cost / s
    total_cost = cost.sum(axis=-1)
    pooled = total_cost / s.sum(axis=-1)
    weighted = z * observed + (1.0 - z) * pooled[..., None]
    raised = (weighted * s).sum(axis=-1)
    off_balance = np.where(raised > 0, total_cost / np.where(raised > 0, raised, 1.0), 1.0)
    return ExperienceRating(observed_rate=observed, credibility=z, pooled_rate=pooled[()],
                            off_balance=off_balance[()], rate=weighted * off_balance[..., None] * (1.0 + a))
