"""Year-by-year projection of a pension scheme's reserve (time on the last axis)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._series import (
    accumulate,
    at_date,
    batch_shape,
    check_timing,
    common_years,
    growth_and_flow_factors,
    interest_path,
    time_series,
)


@dataclass(frozen=True)
class ReserveProjection:
    """The reserve of a scheme projected year by year; every array has time on the last axis.

    Attributes
    ----------
    reserve : ndarray, shape (..., n_years)
        Reserve at the end of year t, ``R_t``.
    reserve_begin : ndarray, shape (..., n_years)
        Reserve at the beginning of year t, ``R_{t-1}`` (the first entry is the initial reserve).
    investment_income : ndarray, shape (..., n_years)
        Investment income of year t, ``I_t``.
    contributions, expenditure, admin_cost : ndarray, shape (..., n_years)
        The flows of year t, broadcast to the batch shape.
    interest_rate : ndarray, shape (..., n_years)
        The interest rate earned in year t.
    timing : str
        ``"mid"`` or ``"end"``: when the flows of a year are counted (see :func:`project_reserve`).
    """

    reserve: np.ndarray
    reserve_begin: np.ndarray
    investment_income: np.ndarray
    contributions: np.ndarray
    expenditure: np.ndarray
    admin_cost: np.ndarray
    interest_rate: np.ndarray
    timing: str

    @property
    def initial_reserve(self) -> np.ndarray:
        """Reserve at t = 0, shape ``(...)``."""
        return self.reserve_begin[..., 0]

    @property
    def net_cash_flow(self) -> np.ndarray:
        """Contributions less expenditure and administrative cost, ``C_t - B_t - A_t``."""
        return self.contributions - self.expenditure - self.admin_cost

    @property
    def total_expenditure(self) -> np.ndarray:
        """Benefit expenditure plus administrative cost, ``B_t + A_t``."""
        return self.expenditure + self.admin_cost

    @property
    def total_income(self) -> np.ndarray:
        """Contributions plus investment income, ``C_t + I_t``."""
        return self.contributions + self.investment_income

    @property
    def exhaustion_index(self) -> np.ndarray:
        """Position on the time axis of the first year whose end-of-year reserve is negative; -1 if none.

        Year index ``k`` is projection year ``t = k + 1``. Shape ``(...)``.
        """
        negative = self.reserve < 0
        first = np.argmax(negative, axis=-1)
        return np.where(negative.any(axis=-1), first, -1)

    def reserve_ratio(self, *, reserve_at: str = "begin") -> np.ndarray:
        """Reserve ratio of each year: reserve over the total expenditure ``B_t + A_t`` of the year.

        Parameters
        ----------
        reserve_at : {"begin", "end"}
            ``"begin"`` (default, the ILO convention): ``R_{t-1} / (B_t + A_t)``, the years of
            expenditure the reserve held when the year began. ``"end"``: ``R_t / (B_t + A_t)``.
        """
        from .ratios import reserve_ratio

        if reserve_at not in ("begin", "end"):
            raise ValueError(f"reserve_at must be 'begin' or 'end', got {reserve_at!r}.")
        reserve = self.reserve_begin if reserve_at == "begin" else self.reserve
        return reserve_ratio(reserve, self.total_expenditure)

    def to_frame(self, years=None):
        """Tidy long :class:`pandas.DataFrame`: one row per (scenario, year, variable).

        Columns ``scenario`` (flat index over the batch axes; absent without a batch), ``year``
        (the labels given, default 1..n), ``variable`` and ``value``. Variables: reserve_begin,
        contributions, investment_income, expenditure, admin_cost, reserve.
        """
        import pandas as pd

        n_years = self.reserve.shape[-1]
        labels = np.arange(1, n_years + 1) if years is None else np.asarray(years)
        if labels.shape != (n_years,):
            raise ValueError(f"years must hold {n_years} labels (one per projection year), got shape {labels.shape}.")
        variables = {
            "reserve_begin": self.reserve_begin,
            "contributions": self.contributions,
            "investment_income": self.investment_income,
            "expenditure": self.expenditure,
            "admin_cost": self.admin_cost,
            "reserve": self.reserve,
        }
        batch = self.reserve.shape[:-1]
        n_scenarios = int(np.prod(batch)) if batch else 1
        frames = []
        for name, values in variables.items():
            flat = np.broadcast_to(values, self.reserve.shape).reshape(n_scenarios, n_years)
            frame = pd.DataFrame({
                "scenario": np.repeat(np.arange(n_scenarios), n_years),
                "year": np.tile(labels, n_scenarios),
                "variable": name,
                "value": flat.ravel(),
            })
            frames.append(frame)
        tidy = pd.concat(frames, ignore_index=True)
        if not batch:
            tidy = tidy.drop(columns="scenario")
        return tidy


def project_reserve(
    contributions,
    expenditure,
    *,
    interest_rate,
    initial_reserve,
    admin_cost=0.0,
    timing: str = "mid",
) -> ReserveProjection:
    """Project the reserve of a scheme year by year from its cash flows.

    ``R_t = R_{t-1} (1 + i_t) + (C_t - B_t - A_t) (1 + i_t)^(1/2)``   (``timing="mid"``)

    ``R_t = R_{t-1} (1 + i_t) + (C_t - B_t - A_t)``                   (``timing="end"``)

    and the investment income of year t is the interest on the reserve at the start of the
    year plus the interest on the year's net cash flow,
    ``I_t = i_t R_{t-1} + (C_t - B_t - A_t) ((1 + i_t)^(1/2) - 1)`` (zero second term with
    ``timing="end"``), so that every year ``R_t - R_{t-1} = C_t + I_t - B_t - A_t``.

    Parameters
    ----------
    contributions : array_like, shape (..., n_years)
        Contribution income ``C_t`` of each projection year t = 1..n (money per year, >= 0).
        Time is the LAST axis; leading axes are scenarios and broadcast.
    expenditure : array_like, shape (..., n_years)
        Benefit expenditure ``B_t`` (money per year, >= 0).
    interest_rate : float or array_like, shape (..., 1) or (..., n_years)
        Rate of return ``i_t`` earned on the reserve in year t (0.04 for 4%), > -1. Nominal if
        the flows are nominal.
    initial_reserve : float or array_like, shape broadcastable with the batch
        Reserve ``R_0`` at the valuation date (start of year 1). May be negative (a debt).
    admin_cost : float or array_like, shape (..., n_years), default 0
        Administrative expenditure ``A_t`` (>= 0); a scalar 0 means none.
    timing : {"mid", "end"}, default "mid"
        When the cash flows of a year are counted. ``"mid"`` (the ILO pension model's
        convention): contributions, benefits and costs are paid evenly through the year, so on
        average they earn (or lose) interest for half a year. ``"end"``: all at the end of the
        year, as in the discrete model of Iyer (1999) that :func:`general_average_premium` uses
        by default. Use the same ``timing`` in both to reproduce the general average premium's
        final reserve with this projection.

    Returns
    -------
    ReserveProjection
        End-of-year reserve, reserve at the beginning of each year and investment income, shape
        ``batch + (n_years,)``, plus the flows broadcast to that shape.

    Raises
    ------
    ValueError
        On NaN or infinite values, negative contributions, expenditure or administrative cost
        (naming the batch index and year), an interest rate of -1 or less, series of different
        lengths (naming both and their lengths), or batch axes that do not broadcast.

    Notes
    -----
    A negative reserve is a debt that is charged the same rate of interest as a positive
    reserve earns (a simplification); :attr:`ReserveProjection.exhaustion_index` gives the
    first year whose end-of-year reserve is negative. Money is in the units of the inputs
    (nominal, unless all flows and rates are real).

    Examples
    --------
    >>> from qsp.pensions import project_reserve
    >>> result = project_reserve([20, 20, 20], [10, 15, 30], admin_cost=[1, 1, 1],
    ...                          interest_rate=0.10, initial_reserve=100, timing="end")
    >>> result.reserve.round(2).tolist()
    [119.0, 134.9, 137.39]
    >>> result.investment_income.round(2).tolist()
    [10.0, 11.9, 13.49]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, Quantitative
    Methods in Social Protection Series, ch. 1 (reserve recursion in discrete time).
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA
    (financial projection: investment income on the reserve and on mid-year cash flows).
    """
    check_timing(timing)
    contributions = time_series("contributions", contributions, lower=0, what="contribution income")
    expenditure = time_series("expenditure", expenditure, lower=0, what="benefit expenditure")
    series = {"contributions": contributions, "expenditure": expenditure}
    admin = np.asarray(admin_cost, dtype=float) if np.ndim(admin_cost) == 0 else None
    if admin is None:
        admin = time_series("admin_cost", admin_cost, lower=0, what="value")
        series["admin_cost"] = admin
    else:
        admin = at_date("admin_cost", admin, lower=0, what="value")[..., None]
    n_years = common_years(series)
    interest = interest_path(interest_rate, n_years)
    reserve0 = at_date("initial_reserve", initial_reserve, what="initial reserve")
    batch_shape({
        "contributions": contributions.shape[:-1],
        "expenditure": expenditure.shape[:-1],
        "admin_cost": admin.shape[:-1],
        "interest_rate": interest.shape[:-1],
        "initial_reserve": reserve0.shape,
    })
    return _project(contributions, expenditure, admin, interest, reserve0, timing)


def _project(contributions: np.ndarray, expenditure: np.ndarray, admin: np.ndarray, interest: np.ndarray,
             reserve0: np.ndarray, timing: str) -> ReserveProjection:
    """The projection on checked arrays (contributions may be negative here: used by the scaled premium)."""
    n_years = contributions.shape[-1]
    growth, flow_factor = growth_and_flow_factors(interest, n_years, timing)
    net = contributions - expenditure - admin
    reserve = accumulate(reserve0, net, growth, flow_factor)
    shape = reserve.shape
    reserve_begin = np.empty(shape)
    reserve_begin[..., 0] = reserve0
    reserve_begin[..., 1:] = reserve[..., :-1]
    rate = np.broadcast_to(growth - 1.0, shape)
    investment_income = reserve_begin * rate + np.broadcast_to(net * (flow_factor - 1.0), shape)
    return ReserveProjection(
        reserve=reserve,
        reserve_begin=reserve_begin,
        investment_income=investment_income,
        contributions=np.broadcast_to(contributions, shape),
        expenditure=np.broadcast_to(expenditure, shape),
        admin_cost=np.broadcast_to(admin, shape),
        interest_rate=rate,
        timing=timing,
    )
