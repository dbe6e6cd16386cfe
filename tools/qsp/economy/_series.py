"""Input checks for the macroeconomic frame, whose series have TIME ON THE LAST AXIS.

A *series* is an array of shape ``(..., n_years)`` aligned with the projection years
``years[0] = base year, years[1], ...``: leading axes are a batch (scenarios) that broadcasts,
the last axis is the year. A quantity that does not change over time may be given as a single
number or with a last axis of length 1 (a batch of constants). A *base-year* quantity (base-year
GDP, base-year employment) has no time axis: its shape is a batch shape.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, broadcast_batch_shapes, check_values

TIME = ("year",)


def series(
    name: str,
    value,
    years: np.ndarray,
    *,
    lower: float | None = None,
    lower_inclusive: bool = True,
    upper: float | None = None,
    what: str = "value",
    hint: str = "",
) -> np.ndarray:
    """Check a series (scalar, ``(..., 1)`` or ``(..., n_years)``); return it with a time axis.

    The returned array always has at least one axis; its last axis has length 1 or ``n_years``.
    """
    arr = as_float_array(name, value)
    n_years = len(years)
    if arr.ndim >= 1 and arr.shape[-1] not in (1, n_years):
        raise ValueError(
            f"{name} has {arr.shape[-1]} entries on its last (year) axis (shape {arr.shape}), but the "
            f"projection covers {n_years} years ({years[0]}..{years[-1]}). Give a single number, one {what} "
            f"per projection year on the last axis (shape (..., {n_years}), the first entry for the base "
            f"year {years[0]}), or shape (..., 1) for a batch of constants. If time is on the first axis, "
            f"transpose the array."
        )
    labels = years if arr.ndim >= 1 and arr.shape[-1] == n_years else None
    arr = check_values(name, arr, trailing=TIME, lower=lower, lower_inclusive=lower_inclusive, upper=upper,
                       years=labels, what=what, hint=hint)
    return arr.reshape(1) if arr.ndim == 0 else arr


def at_base_year(name: str, value, *, lower: float | None = None, lower_inclusive: bool = True,
                 what: str = "value", hint: str = "") -> np.ndarray:
    """A base-year amount: no time axis, its shape is a batch shape (a scalar for one scenario)."""
    return check_values(name, value, trailing=(), lower=lower, lower_inclusive=lower_inclusive, what=what,
                        hint=hint)


def batch_shape(shapes: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """Broadcast the batch shapes of the arguments, naming them when they do not broadcast."""
    return broadcast_batch_shapes(
        shapes,
        hint="Base-year amounts have only batch axes; series have the batch axes and then the year axis.",
    )


def growth_index(rate: np.ndarray, n_years: int) -> np.ndarray:
    """Index that starts at 1 in the base year and grows by ``1 + rate[..., t]`` into each year ``t >= 1``.

    ``index[..., 0] = 1`` and ``index[..., t] = prod_{s=1..t} (1 + rate[..., s])``: the rate in
    year ``t`` is the change from year ``t - 1`` to year ``t``, so the base-year entry of ``rate``
    is not used.
    """
    factors = np.broadcast_to(1.0 + rate, rate.shape[:-1] + (n_years,)).copy()
    factors[..., 0] = 1.0
    return np.cumprod(factors, axis=-1)


def check_years(years, base_year: int | None = None) -> np.ndarray:
    """Projection years: 1-D, whole, consecutive, starting at ``base_year`` when given."""
    arr = np.asarray(years)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"years must be a non-empty 1-D sequence of calendar years, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr.astype(float))) or not np.all(arr == np.round(arr)):
        raise ValueError(f"years must be whole calendar years, got {arr.tolist()[:5]}...")
    arr = arr.astype(np.int64)
    steps = np.diff(arr)
    if np.any(steps != 1):
        i = int(np.flatnonzero(steps != 1)[0])
        raise ValueError(
            f"years must be consecutive calendar years (one step a year), but {arr[i + 1]} follows {arr[i]} "
            f"(positions {i} and {i + 1}). Give e.g. np.arange(2025, 2041)."
        )
    if base_year is not None and arr[0] != base_year:
        raise ValueError(
            f"years must start at the base year of the assumptions ({base_year}), but start at {arr[0]}. "
            f"The base year is the anchor of every index (prices, productivity) and comes first."
        )
    return arr
