"""Tidy (long) frames from dictionaries of ``(..., year)`` arrays, shared by economy and costing."""

from __future__ import annotations

import numpy as np


def batch_columns(batch: tuple[int, ...]) -> list[str]:
    """Names of the scenario columns: none, ``scenario``, or ``scenario_0``, ``scenario_1``, ..."""
    if len(batch) == 0:
        return []
    if len(batch) == 1:
        return ["scenario"]
    return [f"scenario_{k}" for k in range(len(batch))]


def long_frame(years: np.ndarray, variables: dict[str, np.ndarray], *, extra: dict[str, object] | None = None):
    """One row per (scenario..., year, variable): columns scenario..., year, variable, value.

    Every array in ``variables`` has shape ``batch + (n_years,)`` (broadcast first); ``extra``
    adds constant columns placed before ``variable``.
    """
    import pandas as pd

    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in variables.items()}
    batch = np.broadcast_shapes(*(a.shape[:-1] for a in arrays.values()))
    n_years = len(years)
    n_cells = int(np.prod(batch, dtype=np.int64)) * n_years
    index = np.indices(batch + (n_years,)).reshape(len(batch) + 1, -1)
    pieces = []
    for name, arr in arrays.items():
        values = np.broadcast_to(arr, batch + (n_years,)).reshape(-1)
        columns = {col: index[k] for k, col in enumerate(batch_columns(batch))}
        columns["year"] = np.asarray(years)[index[-1]]
        for key, constant in (extra or {}).items():
            columns[key] = np.full(n_cells, constant, dtype=object)
        columns["variable"] = np.full(n_cells, name, dtype=object)
        columns["value"] = values
        pieces.append(pd.DataFrame(columns))
    return pd.concat(pieces, ignore_index=True)


def wide_frame(years: np.ndarray, columns: dict[str, np.ndarray], *, extra: dict[str, object] | None = None):
    """One row per (scenario..., year) with one column per array (all ``batch + (n_years,)``)."""
    import pandas as pd

    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in columns.items()}
    batch = np.broadcast_shapes(*(a.shape[:-1] for a in arrays.values()))
    n_years = len(years)
    index = np.indices(batch + (n_years,)).reshape(len(batch) + 1, -1)
    data = {col: index[k] for k, col in enumerate(batch_columns(batch))}
    data["year"] = np.asarray(years)[index[-1]]
    for key, constant in (extra or {}).items():
        data[key] = np.full(index.shape[1], constant, dtype=object)
    for name, arr in arrays.items():
        data[name] = np.broadcast_to(arr, batch + (n_years,)).reshape(-1)
    return pd.DataFrame(data)
