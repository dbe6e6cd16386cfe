"""The ILO health budget model's logic: covered persons x utilisation x unit cost, revenue, balance and premium."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_values

_REFERENCE = """Cichon, M., Newbrander, W., Yamabana, H. et al. (1999). *Modelling in Health Care Finance*.
    ILO/ISSA (the health budget model: covered population, utilisation by age and sex, unit
    costs, their indexation, expenditure, revenue and balance)."""


def _broadcast(**arrays) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        described = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items())
        raise ValueError(f"the inputs do not broadcast together: {described}. See the layout in the docstring; "
                         f"leading axes are scenarios and must have equal lengths or 1.") from None


def _need_axes(name: str, arr: np.ndarray, labels: tuple[str, ...]) -> None:
    if arr.ndim < len(labels):
        raise ValueError(f"{name} must have axes (..., {', '.join(labels)}), but it has shape {arr.shape}.")
    if "sex" in labels and arr.shape[-2] != 2:
        raise ValueError(f"{name} must have a sex axis of length 2 (0 = female, 1 = male) second to last, but it has "
                         f"shape {arr.shape}.")


def covered_population(population, shares):
    """Persons in each membership group: ``N[..., g, s, a] = P[..., s, a] x share[..., g, s, a]``.

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Persons by sex and age (e.g. a projection's ``(..., year, sex, age)``).
    shares : array_like, shape (group, sex, age) or broadcastable to (..., group, sex, age)
        Share of each sex-age cell in each group (insured persons, dependants, pensioners...),
        each in [0, 1], summing to at most 1 over groups (the rest is not covered).

    Returns
    -------
    ndarray, shape (..., group, sex, age)

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.health import covered_population
    >>> pop = np.array([[100.0, 50.0], [80.0, 40.0]])                 # (sex, age)
    >>> shares = np.array([np.full((2, 2), 0.6), np.full((2, 2), 0.3)])  # insured, dependants
    >>> covered_population(pop, shares).sum(axis=(-2, -1)).tolist()
    [162.0, 81.0]
    """
    pop = check_values("population", population, lower=0.0, what="number of persons")
    share = check_values("shares", shares, trailing=("group", "sex", "age"), lower=0.0, upper=1.0, what="share",
                         hint="Shares are fractions of each sex-age cell.")
    _need_axes("population", pop, ("sex", "age"))
    _need_axes("shares", share, ("group", "sex", "age"))
    total = share.sum(axis=-3)
    if np.any(total > 1 + 1e-9):
        idx = np.unravel_index(int(np.argmax(total)), total.shape)
        raise ValueError(f"shares add up to {float(total[idx]):.4g} over the groups at sex {idx[-2]}, age index "
                         f"{idx[-1]}: a person belongs to one group at most, so they must sum to 1 or less.")
    pop, share = _broadcast(population=pop[..., None, :, :], shares=share)
    return pop * share


def unit_cost_index(n_years: int, *, wage_growth=0.0, price_inflation=0.0, wage_share=0.0, medical_excess=0.0):
    """Index of unit costs by year and service: ``I_0 = 1``, ``I_t = I_(t-1) (1 + w g_t + (1 - w) pi_t + x)``.

    The staff share ``w`` of a unit cost follows wages (growth ``g_t``), the rest follows prices
    (inflation ``pi_t``), and every service adds the medical-inflation excess ``x`` (new
    technology, a richer mix of care) a year.

    Parameters
    ----------
    n_years : int
        Number of projection years (>= 1). Year 0 is the first projection year, whose unit costs
        are the ones given.
    wage_growth, price_inflation : float or array_like, shape (..., year) or (..., 1)
        Nominal growth of wages and prices from year t-1 to t; the first entry (year 0) is not
        used. The last axis is always the year: give scenarios of constant rates as a column
        ``(k, 1)``.
    wage_share : float or array_like, shape (..., service)
        Share of staff costs in each service's unit cost, in [0, 1].
    medical_excess : float or array_like, shape (..., service)
        Annual excess of medical inflation, > -1.

    Returns
    -------
    ndarray, shape (..., year, service) (or (..., year) without a service axis)

    Examples
    --------
    Wages +5%, prices +3%, staff share 0.6, excess 1%: ``1 + 0.03 + 0.012 + 0.01 = 1.052`` a year.

    >>> from qsp.health import unit_cost_index
    >>> unit_cost_index(3, wage_growth=0.05, price_inflation=0.03, wage_share=[0.6], medical_excess=0.01
    ...                 ).round(6).tolist()
    [[1.0], [1.052], [1.106704]]
    """
    if isinstance(n_years, bool) or int(n_years) != n_years or n_years < 1:
        raise ValueError(f"n_years must be a whole number of years, at least 1, got {n_years!r}.")
    n_years = int(n_years)
    w = check_values("wage_share", wage_share, trailing=("service",), lower=0.0, upper=1.0, what="staff share")
    x = check_values("medical_excess", medical_excess, trailing=("service",), lower=-1.0, lower_inclusive=False,
                     what="medical-inflation excess")
    growth = []
    for name, value in (("wage_growth", wage_growth), ("price_inflation", price_inflation)):
        arr = check_values(name, value, trailing=("year",), lower=-1.0, lower_inclusive=False, what="growth rate")
        if arr.ndim == 0:
            arr = arr[..., None]
        elif arr.shape[-1] not in (1, n_years):
            raise ValueError(f"{name} has {arr.shape[-1]} entries on its last (year) axis, but the projection has "
                             f"{n_years} years. Give one rate per year, or scenarios as a column (k, 1).")
        arr = np.broadcast_to(arr, arr.shape[:-1] + (n_years,))
        growth.append(arr[..., None])                                   # (..., year, 1): a service axis
    g, p = growth
    service_axis = np.ndim(w) > 0 or np.ndim(x) > 0
    w_s, x_s = np.atleast_1d(w), np.atleast_1d(x)
    try:
        factor = 1.0 + w_s[..., None, :] * g + (1.0 - w_s[..., None, :]) * p + x_s[..., None, :]
    except ValueError:
        raise ValueError(f"wage_share {np.shape(w)}, medical_excess {np.shape(x)} (by service) and the growth rates "
                         f"(by year) do not broadcast: scenarios first, then year or service.") from None
    factor = np.array(factor, dtype=float)
    factor[..., 0, :] = 1.0
    if np.any(factor <= 0):
        raise ValueError("unit costs would fall to zero or below: check the growth rates and the medical excess.")
    index = np.cumprod(factor, axis=-2)
    return index if service_axis else index[..., 0]


@dataclass(frozen=True)
class HealthProjection:
    """Result of :func:`project_health_cost`.

    Attributes
    ----------
    volume : ndarray, shape (..., year, group, service)
        Units of service used (visits, days...).
    unit_cost : ndarray, shape (..., year, service)
        Cost per unit in each year.
    cost : ndarray, shape (..., year, group, service)
        ``volume x unit_cost`` (money a year).
    persons : ndarray, shape (..., year, group)
        Covered persons.
    """

    volume: np.ndarray
    unit_cost: np.ndarray
    cost: np.ndarray
    persons: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Total cost by year, shape ``(..., year)``."""
        return self.cost.sum(axis=(-2, -1))

    @property
    def by_service(self) -> np.ndarray:
        """Cost by year and service, shape ``(..., year, service)``."""
        return self.cost.sum(axis=-2)

    @property
    def per_capita(self) -> np.ndarray:
        """Cost per covered person by year and group, shape ``(..., year, group)``."""
        persons = self.persons
        return np.divide(self.cost.sum(axis=-1), persons, out=np.full(np.broadcast_shapes(persons.shape,
                         self.cost.shape[:-1]), np.nan), where=persons > 0)


def project_health_cost(covered, utilisation, unit_cost, *, wage_growth=0.0, price_inflation=0.0, wage_share=0.0,
                        medical_excess=0.0, utilisation_trend=0.0, group_factor=1.0) -> HealthProjection:
    """Project health expenditure: covered persons x utilisation x unit cost, by year, group and service.

    ``V[t, g, k] = sum_(s, a) N[t, g, s, a] u[k, s, a] f[g, k] (1 + tau_k)^t``,
    ``C[t, g, k] = V[t, g, k] c_k I[t, k]``

    with ``N`` covered persons, ``u`` utilisation per person-year, ``f`` the relative
    utilisation of group ``g`` (e.g. pensioners who use more care than their age predicts, or
    the non-covered who use less), ``tau`` the utilisation trend, ``c`` the unit costs of the
    first year and ``I`` their index (:func:`unit_cost_index`).

    Parameters
    ----------
    covered : array_like, shape (..., year, group, sex, age)
        Covered persons (:func:`covered_population`).
    utilisation : array_like, shape (..., service, sex, age)
        Units of each service per person-year by sex and age, >= 0.
    unit_cost : array_like, shape (..., service)
        Cost per unit in the first projection year, >= 0.
    wage_growth, price_inflation, wage_share, medical_excess
        As :func:`unit_cost_index`.
    utilisation_trend : float or array_like, shape (..., service)
        Annual change of the utilisation rates, > -1.
    group_factor : float or array_like, shape (..., group, service) or (..., group, 1)
        Relative utilisation of each group (>= 0), 1 by default.

    Returns
    -------
    HealthProjection
        ``volume``, ``unit_cost``, ``cost``, ``persons``; ``.total``, ``.by_service``, ``.per_capita``.

    Examples
    --------
    One year, one group of 1,000 women and 1,000 men aged 0; 2 and 3 visits a year at 10:
    ``(2,000 + 3,000) x 10 = 50,000``.

    >>> import numpy as np
    >>> from qsp.health import project_health_cost
    >>> covered = np.full((1, 1, 2, 1), 1000.0)            # (year, group, sex, age)
    >>> visits = np.array([[[2.0], [3.0]]])                # (service, sex, age)
    >>> project_health_cost(covered, visits, [10.0]).total.tolist()
    [50000.0]

    References
    ----------
    {ref}
    """
    n = check_values("covered", covered, lower=0.0, what="number of covered persons")
    u = check_values("utilisation", utilisation, lower=0.0, what="utilisation rate",
                     hint="Utilisation is in units of service per person-year.")
    c = check_values("unit_cost", unit_cost, trailing=("service",), lower=0.0, what="unit cost")
    _need_axes("covered", n, ("year", "group", "sex", "age"))
    _need_axes("utilisation", u, ("service", "sex", "age"))
    if c.ndim < 1:
        raise ValueError("unit_cost must have a service axis: one cost per service, e.g. [10.0, 120.0].")
    if n.shape[-1] != u.shape[-1]:
        raise ValueError(f"covered has {n.shape[-1]} ages but utilisation has {u.shape[-1]}: give both the same ages.")
    if u.shape[-3] != c.shape[-1]:
        raise ValueError(f"utilisation has {u.shape[-3]} services but unit_cost has {c.shape[-1]}: one unit cost per "
                         f"service, in the same order.")
    trend = check_values("utilisation_trend", utilisation_trend, trailing=("service",), lower=-1.0,
                         lower_inclusive=False, what="utilisation trend")
    f = check_values("group_factor", group_factor, trailing=("group", "service"), lower=0.0,
                     what="relative utilisation")
    n_years = n.shape[-4]
    index = unit_cost_index(n_years, wage_growth=wage_growth, price_inflation=price_inflation,
                            wage_share=np.broadcast_to(wage_share, np.broadcast_shapes(np.shape(wage_share),
                                                                                        c.shape[-1:])),
                            medical_excess=medical_excess)                # (..., year, service)
    years = np.arange(n_years, dtype=float)
    trend_index = (1.0 + np.asarray(trend)[..., None, :] if np.ndim(trend) else 1.0 + trend) ** years[:, None]
    try:
        base = np.einsum("...ygsa,...ksa->...ygk", n, u)
        f_full = f[..., None, :, :] if np.ndim(f) >= 2 else f
        volume = base * f_full * np.asarray(trend_index)[..., :, None, :]
        yearly_cost = c[..., None, :] * index
        cost = volume * yearly_cost[..., :, None, :]
    except ValueError:
        raise ValueError(f"covered {n.shape}, utilisation {u.shape}, unit_cost {c.shape} and the growth inputs do "
                         f"not broadcast: their leading (scenario) axes must have equal lengths or 1.") from None
    return HealthProjection(volume=volume, unit_cost=yearly_cost, cost=cost, persons=n.sum(axis=(-2, -1)))


project_health_cost.__doc__ = project_health_cost.__doc__.replace("{ref}", _REFERENCE)


def age_cost_profile(utilisation, unit_cost):
    """Cost per person-year by sex and age: ``p[s, a] = sum_k u[k, s, a] c_k``.

    Parameters
    ----------
    utilisation : array_like, shape (..., service, sex, age)
    unit_cost : array_like, shape (..., service)

    Returns
    -------
    ndarray, shape (..., sex, age)
        Money per person-year.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.health import age_cost_profile
    >>> u = np.array([[[2.0, 4.0], [1.0, 3.0]], [[0.1, 0.5], [0.1, 0.6]]])   # visits, days: (service, sex, age)
    >>> age_cost_profile(u, [10.0, 100.0]).tolist()
    [[30.0, 90.0], [20.0, 90.0]]
    """
    u = check_values("utilisation", utilisation, lower=0.0, what="utilisation rate")
    c = check_values("unit_cost", unit_cost, trailing=("service",), lower=0.0, what="unit cost")
    _need_axes("utilisation", u, ("service", "sex", "age"))
    if c.ndim < 1 or c.shape[-1] != u.shape[-3]:
        raise ValueError(f"unit_cost {c.shape} needs one cost per service of utilisation ({u.shape[-3]} services).")
    return np.einsum("...ksa,...k->...sa", u, c)


def ageing_effect(profile, base_population, population):
    """The pure effect of the age structure on cost per head: ``(sum P_t p / sum P_t) / (sum P_0 p / sum P_0)``.

    The age-cost profile ``p`` is held fixed: the ratio is how much more (or less) a person
    costs on average because the population is older, everything else unchanged.

    Parameters
    ----------
    profile : array_like, shape (..., sex, age)
        Cost per person-year (:func:`age_cost_profile`).
    base_population : array_like, shape (..., sex, age)
        Population of the base year.
    population : array_like, shape (..., sex, age)
        Population of the years compared (e.g. ``(..., year, sex, age)``).

    Returns
    -------
    ndarray, shape (...)
        1.10 = a person costs 10% more on average because of ageing alone.

    Examples
    --------
    Young cost 1, old cost 5; the old share rises from 10% to 20%: ``(0.8 + 1.0) / (0.9 + 0.5) = 1.2857``.

    >>> from qsp.health import ageing_effect
    >>> round(float(ageing_effect([[1.0, 5.0]], [[90.0, 10.0]], [[80.0, 20.0]])), 4)
    1.2857

    References
    ----------
    {ref}
    """
    p = check_values("profile", profile, lower=0.0, what="cost per person")
    p0 = check_values("base_population", base_population, lower=0.0, what="number of persons")
    pt = check_values("population", population, lower=0.0, what="number of persons")
    for name, arr in (("profile", p), ("base_population", p0), ("population", pt)):
        if arr.ndim < 2:
            raise ValueError(f"{name} must have axes (..., sex, age), but it has shape {arr.shape}.")
    if not (p.shape[-1] == p0.shape[-1] == pt.shape[-1]):
        raise ValueError(f"profile, base_population and population must have the same ages: {p.shape[-1]}, "
                         f"{p0.shape[-1]}, {pt.shape[-1]}.")
    base_total = p0.sum(axis=(-2, -1))
    total = pt.sum(axis=(-2, -1))
    if np.any(base_total <= 0) or np.any(total <= 0):
        raise ValueError("a population is empty: the average cost per head needs people.")
    base = (p0 * p).sum(axis=(-2, -1)) / base_total
    try:
        now = (pt * p).sum(axis=(-2, -1)) / total
        return (now / base)[()]
    except ValueError:
        raise ValueError(f"profile {p.shape}, base_population {p0.shape} and population {pt.shape} do not "
                         f"broadcast.") from None


ageing_effect.__doc__ = ageing_effect.__doc__.replace("{ref}", _REFERENCE)


@dataclass(frozen=True)
class HealthFinancing:
    """Result of :func:`health_financing`; arrays ``(..., year)``.

    Attributes
    ----------
    expenditure : ndarray
        Health care cost plus administration.
    contributions, subsidies, copayments : ndarray
        Revenue by source.
    balance : ndarray
        Revenue less expenditure (before interest).
    reserve : ndarray
        End-of-year reserve, ``R_t = (1 + i) R_(t-1) + balance_t``.
    payg_rate : ndarray
        Contribution rate that balances each year: ``(E - subsidies - co-payments) / S`` (negative
        when subsidies and co-payments alone exceed the expenditure).
    premium_rate : ndarray
        Contribution rate that also brings the contingency reserve to ``k`` times expenditure at
        each year's end: ``(E_t - G_t - kappa cost_t + k E_t - (1 + i) R*_(t-1)) / S_t`` with
        ``R*_(t-1) = k E_(t-1)`` (and ``R_0`` in the first year). It can be negative when the
        initial reserve exceeds its target.
    reserve_ratio : ndarray
        ``R_t / E_t``: years of expenditure held.
    """

    expenditure: np.ndarray
    contributions: np.ndarray
    subsidies: np.ndarray
    copayments: np.ndarray
    balance: np.ndarray
    reserve: np.ndarray
    payg_rate: np.ndarray
    premium_rate: np.ndarray
    reserve_ratio: np.ndarray


def health_financing(cost, insurable_earnings, *, contribution_rate, subsidies=0.0, copayment_rate=0.0,
                     admin_loading=0.0, reserve_ratio=0.25, interest_rate=0.0, initial_reserve=0.0) -> HealthFinancing:
    """Revenue, balance, reserve, PAYG contribution rate and the premium with a contingency reserve.

    ``E_t = cost_t (1 + alpha)``; revenue ``= theta S_t + G_t + kappa cost_t`` (contributions,
    subsidies, co-payments collected on the cost of care); ``B_t`` = revenue - ``E_t``;
    ``R_t = (1 + i) R_(t-1) + B_t``; ``PAYG_t = (E_t - G_t - kappa cost_t) / S_t``.

    Parameters
    ----------
    cost : array_like, shape (..., year)
        Cost of care (e.g. :attr:`HealthProjection.total`), >= 0.
    insurable_earnings : array_like, shape (..., year)
        The contribution base (> 0).
    contribution_rate : float or array_like, shape (...) or (..., year)
        ``theta``, a fraction of insurable earnings.
    subsidies : float or array_like, default 0
        ``G_t``, government subsidies (money a year).
    copayment_rate : float or array_like, default 0
        ``kappa``: the share of the cost of care paid by patients at the point of use, in [0, 1).
    admin_loading : float, default 0
        ``alpha``: administrative cost as a fraction of the cost of care.
    reserve_ratio : float, default 0.25
        ``k``: the contingency reserve in years of expenditure (0.25 = three months).
    interest_rate : float or array_like, default 0
        Return on the reserve.
    initial_reserve : float or array_like, default 0
        ``R_0``.

    Returns
    -------
    HealthFinancing

    Examples
    --------
    Cost 100, administration 5%, earnings 2,000, contribution 4%, subsidy 10, co-payment 10%:
    revenue 80 + 10 + 10 = 100 against 105, a deficit of 5; PAYG rate ``(105 - 20) / 2000 = 4.25%``.

    >>> from qsp.health import health_financing
    >>> f = health_financing([100.0], [2000.0], contribution_rate=0.04, subsidies=10.0, copayment_rate=0.1,
    ...                      admin_loading=0.05)
    >>> f.balance.tolist(), f.payg_rate.tolist()
    ([-5.0], [0.0425])

    References
    ----------
    {ref}
    """
    cost = check_values("cost", cost, trailing=("year",), lower=0.0, what="cost")
    s = check_values("insurable_earnings", insurable_earnings, trailing=("year",), lower=0.0, lower_inclusive=False,
                     what="insurable earnings")
    if cost.ndim == 0:
        raise ValueError("cost needs a last axis of years, e.g. [100.0, 105.0].")
    theta = check_values("contribution_rate", contribution_rate, trailing=("year",), lower=0.0, upper=1.0,
                         what="contribution rate", hint="Contribution rates are fractions (0.04 for 4%).")
    g = check_values("subsidies", subsidies, trailing=("year",), lower=0.0, what="subsidy")
    kappa = check_values("copayment_rate", copayment_rate, trailing=("year",), lower=0.0, upper=1.0,
                         what="co-payment rate")
    alpha = check_values("admin_loading", admin_loading, trailing=(), lower=0.0, what="administrative loading")
    i = check_values("interest_rate", interest_rate, trailing=("year",), lower=-1.0, lower_inclusive=False,
                     what="interest rate")
    r0 = check_values("initial_reserve", initial_reserve, trailing=(), lower=0.0, what="reserve")
    cost, s, theta, g, kappa, i = _broadcast(cost=cost, insurable_earnings=s, contribution_rate=theta, subsidies=g,
                                             copayment_rate=kappa, interest_rate=i)
    expenditure = cost * (1.0 + alpha)
    contributions = theta * s
    copayments = kappa * cost
    balance = contributions + g + copayments - expenditure
    k = check_values("reserve_ratio", reserve_ratio, trailing=(), lower=0.0, what="reserve ratio",
                     hint="The reserve is a multiple of a year's expenditure: 0.25 for three months.")
    net = expenditure - g - copayments
    reserve = np.empty_like(balance)
    premium = np.empty_like(balance)
    held = np.broadcast_to(r0, balance.shape[:-1]).astype(float)          # the reserve with the actual rate
    kept = held.copy()                                                     # the reserve with the premium rate
    for t in range(balance.shape[-1]):
        held = (1.0 + i[..., t]) * held + balance[..., t]
        reserve[..., t] = held
        # contributions that pay the net expenditure and bring the reserve to k E_t at the year's end
        premium[..., t] = (net[..., t] + k * expenditure[..., t] - (1.0 + i[..., t]) * kept) / s[..., t]
        kept = k * expenditure[..., t]
    return HealthFinancing(expenditure=expenditure, contributions=contributions, subsidies=g, copayments=copayments,
                           balance=balance, reserve=reserve, payg_rate=net / s, premium_rate=premium,
                           reserve_ratio=reserve / np.where(expenditure > 0, expenditure, np.nan))


health_financing.__doc__ = health_financing.__doc__.replace("{ref}", _REFERENCE)
