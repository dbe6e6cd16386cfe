"""Pricing a community-based health micro-insurance scheme and its risk of ruin.

Expected claims are frequency x severity by benefit; the premium adds loadings; a small pool's
annual claims are simulated as a compound Poisson sum with gamma claim sizes (exact and fully
vectorised: the sum of ``N`` independent Gamma(alpha, theta) claims is Gamma(N alpha, theta));
the probability of ruin is the share of simulated paths whose reserve falls below zero.

References
----------
Churchill, C. (ed.) (2006). *Protecting the Poor: A Microinsurance Compendium*. ILO/Munich Re
Foundation (pricing: claims incidence x average claim, loadings; adverse selection).
Garand, D. (2005). *Pricing Microinsurance Products: Examples*. Workshop on microinsurance,
IRDA/IIRM/USAID, Hyderabad (expected claims per insured; the effect of the risk mix).
Klugman, S. A., Panjer, H. H. and Willmot, G. E. (2012). *Loss Models*, 4th ed. Wiley (compound
Poisson aggregate claims; stop-loss reinsurance; ruin).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_values


def expected_claims(frequency, severity):
    """Expected claims per member a year: ``E = sum_b f_b s_b`` over the benefits on the last axis.

    Parameters
    ----------
    frequency : array_like, shape (..., benefit)
        Claims per member per year for each benefit (hospitalisation, outpatient, maternity...).
    severity : array_like, shape (..., benefit)
        Average cost per claim (money).

    Returns
    -------
    ndarray, shape (...)
        The pure (risk) premium per member.

    Examples
    --------
    A benefit of Rs 5,000 on death with a probability of 2.96 per 1,000: ``5000 x 0.00296 = 14.8``
    (Garand 2005, life plan, scenario 1).

    >>> from qsp.health import expected_claims
    >>> round(float(expected_claims([0.00296], [5000.0])), 4)
    14.8
    """
    f = check_values("frequency", frequency, trailing=("benefit",), lower=0.0, what="claim frequency")
    s = check_values("severity", severity, trailing=("benefit",), lower=0.0, what="average claim")
    if f.ndim == 0 and s.ndim == 0:
        return (f * s)[()]
    try:
        return (f * s).sum(axis=-1)[()]
    except ValueError:
        raise ValueError(f"frequency {f.shape} and severity {s.shape} do not broadcast: benefits go on the last "
                         f"axis.") from None


def gross_premium(pure_premium, *, risk_margin=0.0, expense_ratio=0.0, admin_per_member=0.0):
    """Premium per member: ``P = (E (1 + m) + a) / (1 - e)``.

    ``E`` the pure premium (:func:`expected_claims`), ``m`` a contingency (risk) margin on the
    claims, ``a`` fixed administration per member, ``e`` the expenses charged as a share of the
    premium (commission, collection). Convention: the margin loads claims; ``e`` loads the premium.

    Parameters
    ----------
    pure_premium : float or array_like
        Expected claims per member (money a year).
    risk_margin : float or array_like, default 0
        ``m``, >= 0.
    expense_ratio : float or array_like, default 0
        ``e``, in [0, 1).
    admin_per_member : float or array_like, default 0
        ``a``, money a year.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> from qsp.health import gross_premium
    >>> float(gross_premium(100.0, risk_margin=0.1, expense_ratio=0.2, admin_per_member=10.0))
    150.0
    """
    e = check_values("pure_premium", pure_premium, trailing=(), lower=0.0, what="pure premium")
    m = check_values("risk_margin", risk_margin, trailing=(), lower=0.0, what="risk margin")
    r = check_values("expense_ratio", expense_ratio, trailing=(), lower=0.0, what="expense ratio")
    a = check_values("admin_per_member", admin_per_member, trailing=(), lower=0.0, what="administration per member")
    if np.any(r >= 1):
        raise ValueError("expense_ratio must be below 1: it is the share of the premium spent on expenses.")
    return ((e * (1.0 + m) + a) / (1.0 - r))[()]


def simulate_annual_claims(rng: np.random.Generator, members, frequency, severity, *, severity_cv=1.0,
                           years: int = 1, simulations: int = 1000):
    """Simulated total claims of a pool, year by year: compound Poisson with gamma claim sizes.

    For each benefit ``b``: ``N_b ~ Poisson(n f_b)`` claims in the year; given ``N_b``, the
    total ``S_b ~ Gamma(N_b alpha_b, theta_b)`` with ``alpha = 1 / cv^2`` and ``theta = s cv^2``
    (claims of mean ``s`` and coefficient of variation ``cv``); ``S = sum_b S_b``. Then
    ``E[S] = n sum_b f_b s_b`` and ``Var[S] = n sum_b f_b s_b^2 (1 + cv_b^2)``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The source of randomness (``np.random.default_rng(seed)``): the same seed gives the same draws.
    members : float or array_like, shape (...)
        Members of each pool (a batch: e.g. ``[200, 1000, 5000]``).
    frequency : array_like, shape (..., benefit)
        Claims per member per year.
    severity : array_like, shape (..., benefit)
        Mean cost per claim.
    severity_cv : float or array_like, shape (..., benefit), default 1
        Coefficient of variation of a claim's cost (> 0); 1 is an exponential claim size.
    years : int, default 1
        Years simulated per path.
    simulations : int, default 1000
        Paths per pool.

    Returns
    -------
    ndarray, shape (..., simulations, years)
        Total claims of the pool in each simulated year.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.health import simulate_annual_claims
    >>> claims = simulate_annual_claims(np.random.default_rng(1), [100, 1000], [0.1], [50.0], years=3,
    ...                                 simulations=2000)
    >>> claims.shape
    (2, 2000, 3)
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy Generator: pass np.random.default_rng(seed) so the draws can be "
                         "reproduced.")
    for name, value in (("years", years), ("simulations", simulations)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number, at least 1, got {value!r}.")
    n = check_values("members", members, trailing=(), lower=0.0, what="number of members")
    f = check_values("frequency", frequency, trailing=("benefit",), lower=0.0, what="claim frequency")
    s = check_values("severity", severity, trailing=("benefit",), lower=0.0, what="average claim")
    cv = check_values("severity_cv", severity_cv, trailing=("benefit",), lower=0.0, lower_inclusive=False,
                      what="coefficient of variation")
    if f.ndim == 0:
        raise ValueError("frequency needs a last axis of benefits, e.g. [0.1] for one benefit.")
    try:
        lam, s, cv = np.broadcast_arrays(np.asarray(n)[..., None] * f, s, cv)
    except ValueError:
        raise ValueError(f"members {n.shape} (pools), frequency {f.shape}, severity {s.shape} and severity_cv "
                         f"{np.shape(cv)} do not broadcast: pools first, benefits last.") from None
    batch, n_benefits = lam.shape[:-1], lam.shape[-1]
    shape = batch + (int(simulations), int(years), n_benefits)
    lam_full = lam[..., None, None, :]
    counts = rng.poisson(np.broadcast_to(lam_full, shape))
    alpha = 1.0 / cv**2
    theta = s * cv**2
    totals = rng.gamma(counts * alpha[..., None, None, :], np.broadcast_to(theta[..., None, None, :], shape))
    return totals.sum(axis=-1)


@dataclass(frozen=True)
class StopLoss:
    """Result of :func:`stop_loss`.

    Attributes
    ----------
    retained : ndarray, shape (..., simulations, years)
        ``min(S, R)``: claims the pool keeps.
    recovered : ndarray, shape (..., simulations, years)
        ``max(S - R, 0)``: claims the reinsurer pays.
    premium : ndarray, shape (...)
        The reinsurance premium per year, ``(1 + loading) E[max(S - R, 0)]`` estimated from the
        simulations.
    """

    retained: np.ndarray
    recovered: np.ndarray
    premium: np.ndarray


def stop_loss(claims, retention, *, loading=0.0) -> StopLoss:
    """Aggregate stop-loss reinsurance: the reinsurer pays the year's claims above the retention.

    ``retained = min(S, R)``, ``recovered = (S - R)+``, ``premium = (1 + l) mean((S - R)+)``
    (the mean over simulations and years).

    Parameters
    ----------
    claims : array_like, shape (..., simulations, years)
        Simulated annual claims (:func:`simulate_annual_claims`).
    retention : float or array_like, shape (...)
        ``R`` (money a year), >= 0; e.g. 120% of expected claims.
    loading : float, default 0
        The reinsurer's loading on expected recoveries.

    Returns
    -------
    StopLoss

    Examples
    --------
    >>> from qsp.health import stop_loss
    >>> result = stop_loss([[80.0, 150.0]], 100.0, loading=0.5)
    >>> result.retained.tolist(), float(result.premium)
    ([[80.0, 100.0]], 37.5)
    """
    s = check_values("claims", claims, trailing=("simulation", "year"), lower=0.0, what="claims")
    if s.ndim < 2:
        raise ValueError(f"claims must have axes (..., simulations, years), but it has shape {s.shape}.")
    r = np.asarray(check_values("retention", retention, trailing=(), lower=0.0, what="retention"))[..., None, None]
    lam = float(check_values("loading", loading, trailing=(), lower=0.0, what="loading"))
    recovered = np.maximum(s - r, 0.0)
    return StopLoss(retained=np.minimum(s, r), recovered=recovered,
                    premium=((1.0 + lam) * recovered.mean(axis=(-2, -1)))[()])


def ruin_probability(claims, premium_income, initial_reserve, *, interest_rate=0.0):
    """Probability that the reserve falls below zero at some year's end: ``P(min_t U_t < 0)``.

    ``U_t = (1 + i) U_(t-1) + P - S_t``, ``U_0`` the initial reserve, ``P`` the premium income
    net of expenses and of any reinsurance premium, ``S_t`` the (retained) claims of year t;
    the probability is the share of simulated paths ruined within the simulated years.

    Parameters
    ----------
    claims : array_like, shape (..., simulations, years)
        Simulated annual claims (retained claims with reinsurance).
    premium_income : float or array_like, shape (...)
        Premium income available for claims each year.
    initial_reserve : float or array_like, shape (...)
        ``U_0`` (>= 0).
    interest_rate : float, default 0
        Return on the reserve.

    Returns
    -------
    ndarray, shape (...)
        Probability of ruin within the horizon.

    Examples
    --------
    Premium 100, reserve 10; two paths: claims 90 then 115 (reserve 20, then 5: never below 0)
    and 150 (reserve -40: ruined at once):

    >>> from qsp.health import ruin_probability
    >>> float(ruin_probability([[90.0, 115.0], [150.0, 0.0]], 100.0, 10.0))
    0.5
    """
    s = check_values("claims", claims, trailing=("simulation", "year"), lower=0.0, what="claims")
    if s.ndim < 2:
        raise ValueError(f"claims must have axes (..., simulations, years), but it has shape {s.shape}.")
    p = np.asarray(check_values("premium_income", premium_income, trailing=(), lower=0.0, what="premium income"))
    u0 = np.asarray(check_values("initial_reserve", initial_reserve, trailing=(), lower=0.0, what="reserve"))
    i = float(check_values("interest_rate", interest_rate, trailing=(), lower=-1.0, lower_inclusive=False,
                           what="interest rate"))
    try:
        reserve = np.broadcast_to(u0[..., None], np.broadcast_shapes(u0[..., None].shape, s.shape[:-1])).copy()
        ruined = np.zeros(reserve.shape, dtype=bool)
        for t in range(s.shape[-1]):
            reserve = (1.0 + i) * reserve + p[..., None] - s[..., t]
            ruined |= reserve < 0
    except ValueError:
        raise ValueError(f"claims {s.shape}, premium_income {p.shape} and initial_reserve {u0.shape} do not "
                         f"broadcast: pools first, then simulations and years.") from None
    return ruined.mean(axis=-1)[()]


def enrolled_risk_mix(cost_by_risk, population_share, enrolment_rate):
    """Expected cost per member of a voluntary scheme, and its ratio to the whole population's.

    ``c_enrolled = sum_r s_r e_r c_r / sum_r s_r e_r`` and ``ratio = c_enrolled / sum_r s_r c_r``,
    with risk groups ``r`` on the last axis, population shares ``s`` and enrolment rates ``e``.
    When high risks enrol more readily than low risks (adverse selection), the ratio exceeds 1
    and a premium priced on the population average does not pay the claims.

    Parameters
    ----------
    cost_by_risk : array_like, shape (..., risk)
        Expected claims per person a year of each risk group.
    population_share : array_like, shape (..., risk)
        Shares of the target population (summing to 1).
    enrolment_rate : array_like, shape (..., risk)
        Share of each group that joins, in [0, 1].

    Returns
    -------
    tuple of ndarray, shape (...)
        ``(cost per enrolled member, ratio to the population average)``.

    Examples
    --------
    Garand (2005), life plan, scenario 2: half women aged 27 (q = 2.96 per 1,000), half men aged
    32 (4.53 per 1,000), benefit Rs 5,000: ``(14.8 + 22.65) / 2 = 18.725`` per insured.

    >>> from qsp.health import enrolled_risk_mix
    >>> cost, ratio = enrolled_risk_mix([14.8, 22.65], [0.5, 0.5], [1.0, 1.0])
    >>> round(float(cost), 3), float(ratio)
    (18.725, 1.0)
    """
    c = check_values("cost_by_risk", cost_by_risk, trailing=("risk",), lower=0.0, what="expected cost")
    s = check_values("population_share", population_share, trailing=("risk",), lower=0.0, upper=1.0, what="share")
    e = check_values("enrolment_rate", enrolment_rate, trailing=("risk",), lower=0.0, upper=1.0,
                     what="enrolment rate")
    if np.ndim(s) == 0 or np.any(np.abs(s.sum(axis=-1) - 1.0) > 1e-9):
        raise ValueError("population_share must give one share per risk group on the last axis, summing to 1.")
    try:
        weights = s * e
        enrolled = weights.sum(axis=-1)
        if np.any(enrolled <= 0):
            raise ValueError("nobody enrols (every enrolment rate is 0 in some scenario): the cost per member is "
                             "undefined.")
        cost = (weights * c).sum(axis=-1) / enrolled
        average = (s * c).sum(axis=-1)
    except ValueError as error:
        if "nobody" in str(error):
            raise
        raise ValueError(f"cost_by_risk {c.shape}, population_share {s.shape} and enrolment_rate {e.shape} do not "
                         f"broadcast: risk groups go on the last axis.") from None
    ratio = np.divide(cost, average, out=np.full(np.shape(cost), np.nan), where=np.asarray(average) > 0)
    return cost[()], ratio[()]
