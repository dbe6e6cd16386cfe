"""Age grids: single-year and abridged ages, interval widths and labels.

An age grid is a 1-D array of the exact ages at which intervals start, beginning at 0; the
last interval is open (e.g. "100+"). Widths ``n`` are the distances to the next start, with
``inf`` for the open interval.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_increasing

DEFAULT_OMEGA = 100
"""Start of the open age interval used by default (ages 0..99 single, then 100+)."""


def single_ages(omega: int = DEFAULT_OMEGA) -> np.ndarray:
    """Single-year ages ``0, 1, ..., omega`` (the last is the open interval ``omega+``)."""
    if int(omega) != omega or omega < 1:
        raise ValueError(f"omega must be a whole number of years of at least 1, got {omega!r}.")
    return np.arange(int(omega) + 1)


def abridged_ages(omega: int = DEFAULT_OMEGA) -> np.ndarray:
    """Abridged ages ``0, 1, 5, 10, ..., omega`` (``omega`` a multiple of 5, the open interval)."""
    if int(omega) != omega or omega < 10 or omega % 5:
        raise ValueError(f"omega must be a multiple of 5 of at least 10 for an abridged table, got {omega!r}.")
    return np.concatenate(([0, 1], np.arange(5, int(omega) + 1, 5)))


def check_ages(ages, name: str = "ages") -> np.ndarray:
    """Validate an age grid: 1-D, increasing, starting at 0, at least two ages."""
    arr = check_increasing(name, ages, what="ages")
    if arr.size < 2:
        raise ValueError(f"{name} must hold at least two ages (the last one opens the final interval), got {arr}.")
    if arr[0] != 0:
        raise ValueError(f"{name} must start at age 0, but starts at {arr[0]}.")
    return arr.astype(np.float64) if not np.issubdtype(arr.dtype, np.integer) else arr


def interval_widths(ages) -> np.ndarray:
    """Widths ``n_x`` of the age intervals in years; the last (open) interval has width ``inf``."""
    arr = np.asarray(check_ages(ages), dtype=np.float64)
    return np.append(np.diff(arr), np.inf)


def is_single_year(ages) -> bool:
    """True when every closed interval is one year wide."""
    arr = np.asarray(ages)
    return bool(np.all(np.diff(arr) == 1))


def age_labels(ages) -> list[str]:
    """Human-readable labels: ``"0", "1-4", ..., "100+"`` (or ``"0", "1", ..., "100+"``)."""
    arr = np.asarray(check_ages(ages))
    labels = []
    for start, stop in zip(arr[:-1], arr[1:]):
        labels.append(f"{start:g}" if stop - start == 1 else f"{start:g}-{stop - 1:g}")
    labels.append(f"{arr[-1]:g}+")
    return labels
