"""Array plumbing of the insured projection: the internal layout of the service distributions, the
recorder of yearly stocks and flows, and small moves along the age axis."""

from __future__ import annotations

import numpy as np


class _Layout:
    """Conversions between the public layout ``batch + (sex, age[, service])`` and the internal
    layout of the service-distribution state, ``(sex, age, service, B)`` with the batch flattened
    and innermost."""

    def __init__(self, batch: tuple[int, ...]):
        self.batch = batch
        self.size = int(np.prod(batch, dtype=np.int64))

    def _flat(self, values: np.ndarray) -> np.ndarray:
        trailing = values.shape[-2:] if values.ndim >= 2 else values.shape
        full = np.broadcast_to(values, self.batch + trailing)
        return np.moveaxis(full.reshape((self.size,) + trailing), 0, -1)

    def state(self, public: np.ndarray) -> np.ndarray:
        """``batch + (2, X, S)`` -> a contiguous ``(2, X, S, B)`` copy."""
        full = np.broadcast_to(public, self.batch + public.shape[-3:]).reshape((self.size,) + public.shape[-3:])
        return np.ascontiguousarray(np.moveaxis(full, 0, -1), dtype=float)

    def full(self, values: np.ndarray) -> np.ndarray:
        """``(..., 2, X)`` broadcast to ``batch + (2, X)`` (a copy)."""
        return np.broadcast_to(values, self.batch + values.shape[-2:]).astype(float)

    def factor(self, values: np.ndarray) -> np.ndarray:
        """A factor by (sex, age) ``(..., 2, X)`` as ``(2, X, 1, B)`` (or ``(2, X, 1, 1)`` without a batch)."""
        if values.ndim == 2:
            return values[:, :, None, None]
        return np.ascontiguousarray(self._flat(values))[:, :, None, :]

    def public(self, internal: np.ndarray) -> np.ndarray:
        """``(2, X, S, B)`` -> ``batch + (2, X, S)``."""
        return np.moveaxis(internal, -1, 0).reshape(self.batch + internal.shape[:-1])

    def reduced(self, internal: np.ndarray) -> np.ndarray:
        """``(2, X, B)`` (a sum over service) -> ``batch + (2, X)``."""
        return np.moveaxis(internal, -1, 0).reshape(self.batch + internal.shape[:-1])



class _Recorder:
    """Collect one array per year and stack them on a year axis (summing (sex, age) for detail='total')."""

    def __init__(self, detail: str):
        self.detail = detail
        self.data: dict[str, list] = {}

    def add(self, name: str, value: np.ndarray) -> None:
        value = value.sum(axis=(-2, -1)) if self.detail == "total" else np.array(value, dtype=float)   # a copy
        self.data.setdefault(name, []).append(value)

    def keep(self, name: str, value: np.ndarray) -> None:
        """:meth:`add` without the copy, for a fresh float array that nothing changes afterwards."""
        self.data.setdefault(name, []).append(value.sum(axis=(-2, -1)) if self.detail == "total" else value)

    def stacked(self, name: str) -> np.ndarray:
        values = self.data[name]
        axis = -1 if self.detail == "total" else -3
        if len({np.shape(v) for v in values}) == 1:          # the usual case: no broadcasting needed (faster)
            return np.stack(values, axis=axis)
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        return np.stack([np.broadcast_to(v, shape) for v in values], axis=axis)


# ---------------------------------------------------------------------------------------------

def _fits(batch: tuple[int, ...], *shapes: tuple[int, ...]) -> bool:
    """Whether every batch shape of ``shapes`` broadcasts into ``batch`` (no axis or length of its own)."""
    try:
        return np.broadcast_shapes(batch, *shapes) == batch
    except ValueError:
        return False


def _shift_ages(values: np.ndarray, shift: int) -> np.ndarray:
    """Move counts from age ``x`` to ``clip(x + shift, 0, omega)`` along the last axis (mass kept)."""
    n_age = values.shape[-1]
    out = np.zeros(values.shape)
    if abs(shift) >= n_age:
        out[..., -1 if shift > 0 else 0] = values.sum(axis=-1)
        return out
    if shift >= 0:
        out[..., shift:] = values[..., :n_age - shift]
        out[..., -1] += values[..., n_age - shift:].sum(axis=-1)
    else:
        out[..., :n_age + shift] = values[..., -shift:]
        out[..., 0] += values[..., :-shift].sum(axis=-1)
    return out


def _age_members(values: np.ndarray) -> np.ndarray:
    """Counts by member age one year older (the oldest member age is empty: its members retired)."""
    out = np.zeros(values.shape)
    out[..., 1:] = values[..., :-1]
    return out


def _pad(values: np.ndarray, first: int) -> np.ndarray:
    """Values for member ages from position ``first`` on, padded with zeros below (member grid)."""
    out = np.zeros(values.shape[:-1] + (values.shape[-1] + first,))
    out[..., first:] = values
    return out


def _by_type(values: np.ndarray, common: np.ndarray, disabled: np.ndarray) -> np.ndarray:
    """``values (..., type, sex, age) x factor``: ``common (..., sex, age)`` for every type but disability
    (type 1), which takes ``disabled`` (the same products as multiplying by the stacked factors)."""
    out = values * common[..., None, :, :]
    if disabled is not common:
        np.multiply(values[..., 1, :, :], disabled, out=out[..., 1, :, :])
    return out


def _multiply_in_place(values: np.ndarray, factor) -> np.ndarray:
    """``values * factor``, in place when ``values`` is a writable array of the broadcast shape."""
    if values.flags.writeable and np.broadcast_shapes(values.shape, np.shape(factor)) == values.shape:
        values *= factor
        return values
    return values * factor


def _add_in_place(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``values + other``, in place when ``values`` (a temporary) has the broadcast shape."""
    if values.flags.writeable and np.broadcast_shapes(values.shape, other.shape) == values.shape:
        values += other
        return values
    return values + other


def _age_in_place(values: np.ndarray) -> np.ndarray:
    """:func:`_age` of a temporary, in place (the same numbers)."""
    oldest = values[..., -2] + values[..., -1]
    values[..., 1:] = values[..., :-1]
    values[..., -1] = oldest
    values[..., 0] = 0.0
    return values


def _age(values: np.ndarray) -> np.ndarray:
    """Everyone one year older; the open age keeps its members (``out[omega] = in[omega-1] + in[omega]``)."""
    out = np.zeros(values.shape)
    out[..., 1:] = values[..., :-1]
    out[..., -1] += values[..., -1]
    return out
