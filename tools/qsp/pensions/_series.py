"""Input checks for the financing kernels, whose series have TIME ON THE LAST AXIS.

A series is an array of shape ``(..., n_years)``: leading axes are a batch (scenarios) that
broadcasts, the last axis is the projection year ``t = 1..n`` (array position ``t - 1``).
Rates that may be constant over time (interest, contribution rates) are a scalar, shape
``(..., 1)`` (a batch of constant rates) or ``(..., n_years)`` (one rate per year). Amounts
fixed at one date (initial and final reserve) have no time axis: their shape broadcasts with
the batch shape.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, broadcast_batch_shapes, check_values

TIME = ("year",)
TIMINGS = ("end", "mid")


def time_series(name: str, value, *, lower: float | None = None, lower_inclusive: bool = True,
                what: str = "value", hint: str = "") -> np.ndarray:
    """Return ``value`` as a float array with a non-empty last (time) axis, checked for NaN and bounds."""
    arr = as_float_array(name, value)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} must be a series over the projection years with time on the last axis "
            f"(shape (..., n_years)), but it is a single number ({float(arr):g}). Pass one value per year, "
            f"e.g. np.full(n_years, {float(arr):g})."
        )
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} has no years: its last (time) axis is empty (shape {arr.shape}).")
    return check_values(name, arr, trailing=TIME, lower=lower, lower_inclusive=lower_inclusive, what=what,
                        hint=hint)


def common_years(series: dict[str, np.ndarray]) -> int:
    """Check that every series covers the same number of years; return that number."""
    names = list(series)
    first = names[0]
    n_years = series[first].shape[-1]
    for name in names[1:]:
        other = series[name].shape[-1]
        if other != n_years:
            raise ValueError(
                f"{first} covers {n_years} years but {name} covers {other} years (lengths of the last, time, "
                f"axis; shapes {series[first].shape} and {series[name].shape}). Time must be the last axis of "
                f"every series and all series must cover the same projection years. If you passed a "
                f"(year, sex, age) projection, sum over sex and age first; if time is on the first axis, "
                f"transpose the array."
            )
    return n_years


batch_shape = broadcast_batch_shapes


def rate_path(name: str, value, n_years: int, *, lower: float, lower_inclusive: bool,
              upper: float | None = None, what: str, hint: str) -> np.ndarray:
    """A rate that is a scalar, constant per scenario (``(..., 1)``) or given per year (``(..., n_years)``).

    Returns an array whose last axis has length 1 or ``n_years``.
    """
    arr = check_values(name, value, trailing=TIME, lower=lower, lower_inclusive=lower_inclusive, upper=upper,
                       what=what, hint=hint)
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.shape[-1] not in (1, n_years):
        raise ValueError(
            f"{name} has {arr.shape[-1]} entries on its last (time) axis (shape {arr.shape}), but the series "
            f"cover {n_years} years. Give a single number, one {what} per year on the last axis "
            f"(shape (..., {n_years})), or shape (..., 1) for a batch of constant rates."
        )
    return arr


def interest_path(value, n_years: int, name: str = "interest_rate") -> np.ndarray:
    """Check an interest rate (finite, greater than -1) and return it with a time axis of length 1 or n."""
    return rate_path(name, value, n_years, lower=-1.0, lower_inclusive=False, what="rate",
                     hint="Interest rates are fractions per year (0.04 for 4%), each greater than -1 "
                          "(a rate of -1 or less would wipe out the reserve).")


def at_date(name: str, value, *, lower: float | None = None, what: str = "amount") -> np.ndarray:
    """An amount fixed at one date (no time axis), e.g. the initial reserve."""
    return check_values(name, value, trailing=(), lower=lower, what=what)


def check_timing(timing: str) -> str:
    """``timing`` must be ``"end"`` or ``"mid"``."""
    if timing not in TIMINGS:
        raise ValueError(
            f"timing must be 'end' (flows of year t at the end of the year) or 'mid' (flows spread over "
            f"the year, counted at mid-year), got {timing!r}."
        )
    return timing


def growth_and_flow_factors(interest: np.ndarray, n_years: int, timing: str) -> tuple[np.ndarray, np.ndarray]:
    """``(1 + i_t)`` and the factor carrying the flows of year t to its end: 1 or ``(1 + i_t)^(1/2)``.

    Both have a time axis of length ``n_years`` (broadcast views where the rate is constant).
    """
    growth = np.broadcast_to(1.0 + interest, interest.shape[:-1] + (n_years,))
    if timing == "mid":
        flow_factor = np.sqrt(growth)
    else:
        flow_factor = np.broadcast_to(1.0, growth.shape)
    return growth, flow_factor


def discount_factors(interest: np.ndarray, n_years: int, timing: str) -> tuple[np.ndarray, np.ndarray]:
    """Discount factors to t = 0 for the flows of each year and for the end of each year.

    With accumulation factors ``A_t = prod_{s<=t} (1 + i_s)``, a flow of year t is discounted by
    ``1 / A_t`` (``timing="end"``) or ``(1 + i_t)^(1/2) / A_t = 1 / (A_{t-1} (1 + i_t)^(1/2))``
    (``timing="mid"``); an amount at the end of year t by ``1 / A_t``.
    """
    growth, flow_factor = growth_and_flow_factors(interest, n_years, timing)
    end_of_year = 1.0 / np.cumprod(growth, axis=-1)
    return (end_of_year * flow_factor if timing == "mid" else end_of_year), end_of_year


def accumulate(start: np.ndarray, flows: np.ndarray, growth: np.ndarray, flow_factor: np.ndarray) -> np.ndarray:
    """End-of-year balances ``R_t = R_{t-1} (1 + i_t) + N_t f_t`` from ``R_0 = start``.

    A loop over years, vectorised over the batch; returns shape ``batch + (n_years,)``.
    """
    n_years = flows.shape[-1]
    shape = np.broadcast_shapes(np.shape(start), flows.shape[:-1], growth.shape[:-1], flow_factor.shape[:-1])
    balances = np.empty(shape + (n_years,))
    balance = np.broadcast_to(start, shape)
    for t in range(n_years):
        balance = balance * growth[..., t] + flows[..., t] * flow_factor[..., t]
        balances[..., t] = balance
    return balances


def position(index) -> str:
    """Words for a position in a ``(..., year)`` array: batch index and year index (t = index + 1)."""
    index = tuple(int(i) for i in index)
    if not index:
        return "the single value"
    parts = []
    if len(index) > 1:
        parts.append(f"batch index {index[:-1]}")
    parts.append(f"year index {index[-1]} (projection year t = {index[-1] + 1})")
    return ", ".join(parts)
