"""Financing systems of a pension scheme: PAYG cost rate, general average premium, scaled premium.

All functions take projected series with TIME ON THE LAST AXIS, shape ``(..., n_years)``:
position ``k`` on that axis is projection year ``t = k + 1``, the valuation date is ``t = 0``
(start of year 1). Leading axes are scenarios and broadcast. Expenditure means everything the
contribution must pay for (benefits, plus administrative cost if it is financed by
contributions); insurable earnings are the contribution base (covered wages up to any ceiling).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._series import (
    accumulate,
    at_date,
    batch_shape,
    check_timing,
    common_years,
    discount_factors,
    growth_and_flow_factors,
    interest_path,
    position,
    rate_path,
    time_series,
)
from .reserve import ReserveProjection, _project


def _flows(expenditure, insurable_earnings) -> tuple[np.ndarray, np.ndarray, int]:
    expenditure = time_series("expenditure", expenditure, lower=0, what="value")
    earnings = time_series("insurable_earnings", insurable_earnings, lower=0, what="value",
                           hint="Insurable earnings are the contribution base in money per year.")
    n_years = common_years({"expenditure": expenditure, "insurable_earnings": earnings})
    return expenditure, earnings, n_years


def payg_cost_rate(expenditure, insurable_earnings):
    """Pay-as-you-go (PAYG) cost rate: the contribution rate that balances each year on its own.

    ``P_t = B_t / S_t``: expenditure of year t over the insurable earnings of year t. It equals
    the system dependency ratio times the benefit ratio, ``(N_p / N_c) (b / w)``.

    Parameters
    ----------
    expenditure : array_like, shape (..., n_years)
        Expenditure ``B_t`` (money per year, >= 0). Time is the last axis.
    insurable_earnings : array_like, shape (..., n_years)
        Insurable earnings ``S_t`` (money per year, > 0 in every year).

    Returns
    -------
    ndarray, shape (..., n_years)
        Cost rate of each year as a fraction of insurable earnings (0.12 = 12%).

    Raises
    ------
    ValueError
        NaN or infinite values, negative expenditure or earnings, zero earnings (naming the
        batch index and year), series of different lengths, batch axes that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions import payg_cost_rate
    >>> payg_cost_rate([10.0, 12.0, 15.0], [100.0, 110.0, 120.0]).round(4).tolist()
    [0.1, 0.1091, 0.125]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1
    (the PAYG cost rate and the financial systems). Cichon, M. et al. (1999). *Modelling in
    Health Care Finance*. ILO/ISSA (pay-as-you-go cost rates of social insurance).
    """
    expenditure, earnings, _ = _flows(expenditure, insurable_earnings)
    batch_shape({"expenditure": expenditure.shape[:-1], "insurable_earnings": earnings.shape[:-1]})
    zero = earnings == 0
    if zero.any():
        where = position(np.argwhere(zero)[0])
        raise ValueError(
            f"insurable_earnings is 0 at {where}, and the PAYG cost rate divides expenditure by it. "
            f"A year without insurable earnings has no cost rate: check the projection or leave that year out."
        )
    return expenditure / earnings


def _present_values(expenditure, insurable_earnings, interest_rate, initial_reserve, final_reserve, timing):
    """Checked inputs and the present values at t = 0 of expenditure, earnings and the final reserve."""
    check_timing(timing)
    expenditure, earnings, n_years = _flows(expenditure, insurable_earnings)
    interest = interest_path(interest_rate, n_years)
    reserve0 = at_date("initial_reserve", initial_reserve, what="initial reserve")
    reserve_n = at_date("final_reserve", final_reserve, what="final reserve")
    batch_shape({
        "expenditure": expenditure.shape[:-1],
        "insurable_earnings": earnings.shape[:-1],
        "interest_rate": interest.shape[:-1],
        "initial_reserve": reserve0.shape,
        "final_reserve": reserve_n.shape,
    })
    flow_discount, end_discount = discount_factors(interest, n_years, timing)
    pv_expenditure = np.sum(expenditure * flow_discount, axis=-1)
    pv_earnings = np.sum(earnings * flow_discount, axis=-1)
    pv_final = reserve_n * end_discount[..., -1]
    if np.any(pv_earnings <= 0):
        index = np.argwhere(np.broadcast_to(pv_earnings <= 0, np.shape(pv_earnings)))[0]
        where = f"batch index {tuple(int(i) for i in index)}" if index.size else "the series"
        raise ValueError(
            f"insurable_earnings are zero in every year for {where}: there is no contribution base to "
            f"spread the cost over."
        )
    return pv_expenditure, pv_earnings, pv_final, reserve0, expenditure, earnings, interest, n_years


def general_average_premium(
    expenditure,
    insurable_earnings,
    *,
    interest_rate,
    initial_reserve=0.0,
    final_reserve=0.0,
    timing: str = "end",
):
    """General average premium (GAP): the constant contribution rate that finances the whole period.

    ``GAP = (sum_t B_t d_t + F / A_n - R_0) / sum_t S_t d_t``, t = 1..n,

    where ``A_t = prod_{s<=t} (1 + i_s)`` accumulates interest to the end of year t (``v^t`` for
    a constant rate, ``v = 1 / (1 + i)``), ``R_0`` is the reserve at the valuation date t = 0,
    ``F`` the reserve wanted at the end of year n, and ``d_t`` discounts the flows of year t:

    - ``timing="end"`` (default, Iyer 1999): flows at the end of year t, ``d_t = 1 / A_t = v^t``;
    - ``timing="mid"``: flows at mid-year, ``d_t = (1 + i_t)^(1/2) / A_t = v^(t - 1/2)``.

    Contributing ``GAP x S_t`` every year, a reserve projected with :func:`project_reserve`
    (same ``timing``, same rates) ends at exactly ``F``.

    Parameters
    ----------
    expenditure : array_like, shape (..., n_years)
        Expenditure ``B_t`` (money per year, >= 0). Time is the last axis.
    insurable_earnings : array_like, shape (..., n_years)
        Insurable earnings ``S_t`` (money per year, >= 0, not zero in every year).
    interest_rate : float or array_like, shape (..., 1) or (..., n_years)
        Rate of return ``i_t`` of year t (0.04 for 4%), > -1. An array gives one rate per year
        (the discount factors are then cumulative products).
    initial_reserve : float or array_like (batch shape), default 0
        Reserve ``R_0`` at t = 0.
    final_reserve : float or array_like (batch shape), default 0
        Reserve ``F`` required at the end of year n (e.g. a reserve ratio times expenditure).
    timing : {"end", "mid"}, default "end"
        When the flows of a year are discounted from (see above).

    Returns
    -------
    ndarray or float, shape (...)
        The GAP as a fraction of insurable earnings, one per scenario. It can be negative when
        the initial reserve alone covers the period.

    Raises
    ------
    ValueError
        NaN or infinite values, negative expenditure or earnings, an interest rate of -1 or
        less, series of different lengths (naming both), earnings zero in every year, an
        unknown ``timing``.

    Notes
    -----
    With ``R_0 = F = 0`` the GAP is a weighted average of the PAYG cost rates ``P_t`` with
    weights ``S_t d_t``; with zero interest it is total expenditure over total earnings. With a
    constant cost rate ``P`` it equals ``P`` whenever ``F / A_n = R_0`` (for instance no reserve
    at either end), at any interest rate.

    Examples
    --------
    Three years at 10% interest whose discounted flows are 10 and 100 a year:

    >>> from qsp.pensions import general_average_premium
    >>> gap = general_average_premium([11.0, 12.1, 13.31], [110.0, 121.0, 133.1], interest_rate=0.10)
    >>> round(float(gap), 6)
    0.1

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1
    (general average premium, discrete-time formula with the initial reserve at t = 0).
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA
    (financing systems).
    """
    pv_expenditure, pv_earnings, pv_final, reserve0, *_ = _present_values(
        expenditure, insurable_earnings, interest_rate, initial_reserve, final_reserve, timing
    )
    return ((pv_expenditure + pv_final - reserve0) / pv_earnings)[()]


@dataclass(frozen=True)
class ActuarialBalance:
    """Summarised income rate, summarised cost rate and their difference over a valuation period.

    Attributes
    ----------
    summarized_income_rate : ndarray, shape (...)
        ``(R_0 + sum_t c_t S_t d_t) / sum_t S_t d_t``.
    summarized_cost_rate : ndarray, shape (...)
        ``(sum_t B_t d_t + F / A_n) / sum_t S_t d_t``.
    balance : ndarray, shape (...)
        Income rate less cost rate, as a fraction of insurable earnings; negative = actuarial
        deficit.
    pv_insurable_earnings : ndarray, shape (...)
        ``sum_t S_t d_t``: times ``balance`` it gives the deficit (or surplus) in money at t = 0.
    """

    summarized_income_rate: np.ndarray
    summarized_cost_rate: np.ndarray
    balance: np.ndarray
    pv_insurable_earnings: np.ndarray


def actuarial_balance(
    contribution_rate,
    expenditure,
    insurable_earnings,
    *,
    interest_rate,
    initial_reserve=0.0,
    final_reserve=0.0,
    timing: str = "end",
) -> ActuarialBalance:
    """Actuarial balance over a valuation period: summarised income rate less summarised cost rate.

    Follows the definition of the US Social Security Trustees' reports:

    - summarised income rate ``= (R_0 + sum_t c_t S_t d_t) / sum_t S_t d_t``: the reserve at the
      start plus the present value of contribution income;
    - summarised cost rate ``= (sum_t B_t d_t + F / A_n) / sum_t S_t d_t``: the present value
      of expenditure plus that of a target reserve ``F`` at the end (the Trustees take ``F`` =
      100% of the expenditure of year n+1);
    - actuarial balance = income rate - cost rate (negative: an actuarial deficit, the
      increase in the contribution rate that would close the gap over the period).

    Discounting ``d_t`` and ``A_n`` are as in :func:`general_average_premium`. For a constant
    legislated rate ``c`` the balance is ``c - GAP``, the ILO's way of stating the same
    result (legislated contribution rate against the general average premium).

    Parameters
    ----------
    contribution_rate : float or array_like, shape (..., 1) or (..., n_years)
        Legislated contribution rate ``c_t`` (a fraction of insurable earnings in [0, 1]), one
        for all years or one per year. Other non-interest income (e.g. a state subsidy) can be
        added to it as a rate of insurable earnings.
    expenditure, insurable_earnings : array_like, shape (..., n_years)
        As in :func:`general_average_premium`.
    interest_rate, initial_reserve, final_reserve, timing
        As in :func:`general_average_premium`.

    Returns
    -------
    ActuarialBalance

    Raises
    ------
    ValueError
        As :func:`general_average_premium`, and a contribution rate outside [0, 1] (rates are
        fractions: 0.18, not 18).

    Examples
    --------
    >>> from qsp.pensions import actuarial_balance
    >>> result = actuarial_balance(0.09, [11.0, 12.1, 13.31], [110.0, 121.0, 133.1], interest_rate=0.10,
    ...                            initial_reserve=6.0, final_reserve=13.31)
    >>> round(float(result.balance), 6)
    -0.023333

    References
    ----------
    Board of Trustees, Federal OASDI Trust Funds (2024). *Annual Report*, glossary: actuarial
    balance, summarized income rate, summarized cost rate.
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (financing systems).
    """
    pv_expenditure, pv_earnings, pv_final, reserve0, _, earnings, interest, n_years = _present_values(
        expenditure, insurable_earnings, interest_rate, initial_reserve, final_reserve, timing
    )
    rates = rate_path("contribution_rate", contribution_rate, n_years, lower=0.0, lower_inclusive=True, upper=1.0,
                      what="contribution rate", hint="Rates are fractions of insurable earnings (0.18 for 18%).")
    other = np.broadcast_shapes(np.shape(pv_expenditure), np.shape(pv_final), np.shape(reserve0))
    batch_shape({"contribution_rate": rates.shape[:-1], "the other arguments (together)": other})
    flow_discount, _ = discount_factors(interest, n_years, timing)
    pv_contributions = np.sum(rates * earnings * flow_discount, axis=-1)
    income_rate = (reserve0 + pv_contributions) / pv_earnings
    cost_rate = (pv_expenditure + pv_final) / pv_earnings
    shape = np.broadcast_shapes(np.shape(income_rate), np.shape(cost_rate))
    return ActuarialBalance(
        summarized_income_rate=np.broadcast_to(income_rate, shape)[()],
        summarized_cost_rate=np.broadcast_to(cost_rate, shape)[()],
        balance=np.broadcast_to(income_rate - cost_rate, shape)[()],
        pv_insurable_earnings=np.broadcast_to(pv_earnings, shape)[()],
    )


@dataclass(frozen=True)
class ScaledPremium:
    """The staircase of scaled premiums and the reserve it produces.

    Attributes
    ----------
    rates : ndarray, shape (..., n_periods)
        Contribution rate of each period of equilibrium (fraction of insurable earnings).
    boundaries : ndarray of int, shape (n_periods + 1,)
        Period p covers positions ``boundaries[p] .. boundaries[p+1] - 1`` of the time axis,
        i.e. projection years ``boundaries[p] + 1 .. boundaries[p+1]``.
    rate_by_year : ndarray, shape (..., n_years)
        The staircase: the rate in force in each year.
    projection : ReserveProjection
        The reserve projected with contributions ``rate_by_year x insurable_earnings``.
    criterion : str
        ``"non-decreasing"`` or ``"reserve_ratio"``.
    reserve_ratio_target : ndarray or None
        ``k`` for the reserve-ratio criterion.
    check : str
        ``"period_end"`` or ``"every_year"``.
    """

    rates: np.ndarray
    boundaries: np.ndarray
    rate_by_year: np.ndarray
    projection: ReserveProjection
    criterion: str
    reserve_ratio_target: np.ndarray | None
    check: str

    @property
    def reserve(self) -> np.ndarray:
        """End-of-year reserve ``R_t``, shape (..., n_years)."""
        return self.projection.reserve

    @property
    def period_lengths(self) -> np.ndarray:
        """Length of each period in years."""
        return np.diff(self.boundaries)


def _boundaries(period_length, n_years: int) -> np.ndarray:
    if period_length is None:
        return np.array([0, n_years])
    if np.ndim(period_length) == 0:
        length = period_length
        if isinstance(length, bool) or int(length) != length or length < 1:
            raise ValueError(f"period_length must be a whole number of years of at least 1, got {period_length!r}.")
        return np.append(np.arange(0, n_years, int(length)), n_years)
    lengths = np.asarray(period_length)
    if lengths.ndim != 1 or lengths.size == 0 or np.any(lengths != np.round(lengths)) or np.any(lengths < 1):
        raise ValueError(
            f"period_length must be one whole number of years, or a list of the lengths of successive "
            f"periods (each at least 1), got {period_length!r}."
        )
    if int(lengths.sum()) != n_years:
        raise ValueError(
            f"the period lengths {lengths.astype(int).tolist()} add up to {int(lengths.sum())} years, but the "
            f"series cover {n_years} years; the periods of equilibrium must cover the projection exactly."
        )
    return np.concatenate(([0], np.cumsum(lengths.astype(int))))


def _parse_criterion(criterion) -> tuple[str, np.ndarray | None]:
    if isinstance(criterion, str):
        if criterion == "non-decreasing":
            return "non-decreasing", None
        if criterion == "reserve_ratio":
            raise ValueError("criterion 'reserve_ratio' needs a target: pass ('reserve_ratio', k), e.g. ('reserve_ratio', 2.0).")
    elif isinstance(criterion, tuple) and len(criterion) == 2 and criterion[0] == "reserve_ratio":
        target = at_date("criterion", criterion[1], lower=0, what="reserve ratio")
        return "reserve_ratio", target
    raise ValueError(
        f"criterion must be 'non-decreasing' or ('reserve_ratio', k) with k >= 0 years of expenditure, "
        f"got {criterion!r}."
    )


def scaled_premium(
    expenditure,
    insurable_earnings,
    *,
    interest_rate,
    initial_reserve,
    period_length=10,
    criterion="non-decreasing",
    check: str = "period_end",
    timing: str = "mid",
) -> ScaledPremium:
    """Scaled premium: contribution rates held constant over successive periods of equilibrium.

    The projection years are split into periods (default 10 years). In each period the rate
    ``pi_p`` is the lowest constant rate that meets the criterion, given the reserve the
    previous periods left:

    - ``"non-decreasing"`` (the classical criterion, Iyer 1999): at the end of the period the
      income of the year (contributions plus investment income) covers its expenditure, so
      the reserve stops growing just then: ``R_m - R_{m-1} = 0`` in the last year m. The
      next period starts at a higher rate when costs keep rising;
    - ``("reserve_ratio", k)``: the reserve at the end of the period holds at least k years
      of that year's expenditure, ``R_m >= k B_m``.

    With ``check="every_year"`` the criterion must hold in every year of the period
    (``R_t >= R_{t-1}``, or ``R_t >= k B_t``), not only in its last year.

    Within a period the reserve is linear in the rate, ``R_t(pi) = alpha_t + pi beta_t``, where
    ``alpha`` is the reserve projected with no contributions and ``beta`` the one of a unit
    rate from a zero reserve (same recursion as :func:`project_reserve`). Each condition reads
    ``a_t + pi b_t >= 0`` with ``b_t > 0``, so ``pi_p = max_t (-a_t / b_t)`` in closed form,
    for all scenarios at once.

    Parameters
    ----------
    expenditure : array_like, shape (..., n_years)
        Expenditure ``B_t`` to be financed (benefits, plus administrative cost if it is paid
        from contributions), money per year, >= 0. Time is the last axis.
    insurable_earnings : array_like, shape (..., n_years)
        Insurable earnings ``S_t`` (money per year, >= 0).
    interest_rate : float or array_like, shape (..., 1) or (..., n_years)
        Rate of return of year t, > -1.
    initial_reserve : float or array_like (batch shape)
        Reserve at t = 0.
    period_length : int, sequence of int, or None, default 10
        Length of the periods of equilibrium in years (the last one shorter if needed), the
        list of successive lengths (adding up to n_years), or None for a single period.
    criterion : "non-decreasing" or ("reserve_ratio", k), default "non-decreasing"
        See above.
    check : {"period_end", "every_year"}, default "period_end"
        Where the criterion must hold.
    timing : {"mid", "end"}, default "mid"
        Timing of the flows within the year, as in :func:`project_reserve`.

    Returns
    -------
    ScaledPremium
        ``rates`` (..., n_periods), ``boundaries``, ``rate_by_year`` (..., n_years) and the
        resulting ``projection`` (a :class:`ReserveProjection`).

    Raises
    ------
    ValueError
        Invalid series, rates or reserves (as :func:`general_average_premium`); periods that
        do not cover the projection; an unknown criterion or check; a year where a higher rate
        would not raise the reserve (zero earnings, or a strongly negative interest rate that
        makes the checked condition fall as the rate rises), naming the scenario and year.

    Notes
    -----
    With no initial reserve, non-negative interest and a PAYG cost rate that does not fall,
    the first scaled premium (criterion "non-decreasing") lies between the PAYG cost rate of
    the first year and that of the last year of the period (it is a weighted average of the
    period's cost rates), and it is at least the GAP computed over that period alone with no
    final reserve. It is often, but NOT always, below the GAP over a longer horizon: a scheme
    whose cost rate jumps early and then stays flat can have a first scaled premium above the
    long-run GAP. Rates are not floored at zero: a large initial reserve can make a rate
    negative.

    Examples
    --------
    >>> from qsp.pensions import scaled_premium
    >>> result = scaled_premium([5.0, 10.0, 15.0, 20.0], [100.0] * 4, interest_rate=0.10,
    ...                         initial_reserve=0.0, period_length=2, timing="end")
    >>> result.rates.round(6).tolist()
    [0.095455, 0.190909]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1
    (scaled premium system, periods of equilibrium).
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (financing systems).
    """
    check_timing(timing)
    if check not in ("period_end", "every_year"):
        raise ValueError(f"check must be 'period_end' or 'every_year', got {check!r}.")
    kind, target = _parse_criterion(criterion)
    expenditure, earnings, n_years = _flows(expenditure, insurable_earnings)
    interest = interest_path(interest_rate, n_years)
    reserve0 = at_date("initial_reserve", initial_reserve, what="initial reserve")
    shapes = {
        "expenditure": expenditure.shape[:-1],
        "insurable_earnings": earnings.shape[:-1],
        "interest_rate": interest.shape[:-1],
        "initial_reserve": reserve0.shape,
    }
    if target is not None:
        shapes["criterion (reserve ratio target)"] = target.shape
    batch = batch_shape(shapes)
    boundaries = _boundaries(period_length, n_years)

    growth, flow_factor = growth_and_flow_factors(interest, n_years, timing)
    rates = np.empty(batch + (len(boundaries) - 1,))
    reserve_start = np.broadcast_to(reserve0, batch)
    for period, (start, stop) in enumerate(zip(boundaries[:-1], boundaries[1:])):
        years = slice(start, stop)
        alpha = accumulate(reserve_start, -expenditure[..., years], growth[..., years], flow_factor[..., years])
        beta = accumulate(np.zeros(()), earnings[..., years], growth[..., years], flow_factor[..., years])
        alpha, beta = np.broadcast_arrays(alpha, beta)
        if kind == "non-decreasing":
            constant = np.diff(alpha, axis=-1, prepend=reserve_start[..., None])
            slope = np.diff(beta, axis=-1, prepend=0.0)
        else:
            constant = alpha - target[..., None] * expenditure[..., years]
            slope = beta
        if check == "period_end":
            constant, slope = constant[..., -1:], slope[..., -1:]
            offset = stop - 1
        else:
            offset = start
        constant, slope = np.broadcast_arrays(constant, slope)
        if np.any(slope <= 0):
            index = tuple(np.argwhere(slope <= 0)[0])
            where = position(index[:-1] + (index[-1] + offset,))
            raise ValueError(
                f"no scaled premium for the period of years {start + 1}-{stop}: at {where} a higher "
                f"contribution rate would not improve the checked condition (its effect is {slope[index]:g}). "
                f"This happens when insurable_earnings are zero there and no earlier contribution of the period "
                f"carries over (no interest), or when the interest rate is so negative that the reserve loses more "
                f"than contributions add; check those inputs."
            )
        rate = np.max(-constant / slope, axis=-1)
        rates[..., period] = rate
        reserve_start = alpha[..., -1] + rate * beta[..., -1]

    rate_by_year = np.repeat(rates, np.diff(boundaries), axis=-1)
    projection = _project(rate_by_year * earnings, expenditure, np.zeros(1), interest, reserve0, timing)
    return ScaledPremium(
        rates=rates,
        boundaries=boundaries,
        rate_by_year=rate_by_year,
        projection=projection,
        criterion=kind,
        reserve_ratio_target=target,
        check=check,
    )
