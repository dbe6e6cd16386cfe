"""Sums of the pensions awarded to cells of members by service, and of lump-sum grants."""

from __future__ import annotations

import numpy as np

from ._layout import _Layout


class _Award:
    """Sums of pensions awarded to the cells of an internal ``(sex, age, service, B)`` array of members.

    ``award(counts, count_total, first, future, adjustment, ref_final, ref_career, lower, upper)``
    returns ``(sum_n counts_n P_n, sum_n counts_n)`` over the qualifying service ``n >= first``,
    each ``batch + (sex, age)``, where ``P_n = clip(a min(n + future, n_max) f W_n, lower, upper)``
    and ``W_n`` is ``ref_final`` (one reference wage per sex and age) or ``ref_career`` (one per
    cell); ``count_total`` is ``sum_n counts_n`` over all service. Two exact methods:

    - direct: the pension of every cell, then a contraction over service (one pass over the
      members when the money has no batch);
    - thresholds (final-average wages with a batch of money scenarios): the pension is the
      floor for the first ``N1`` service values, linear up to ``N2`` and the cap beyond, because
      ``min(n + future, n_max)`` does not decrease with ``n``; ``N1`` and ``N2`` have closed forms
      and the sum is read off cumulative sums of the counts, so the work on money scenarios is
      per (sex, age), not per (sex, age, service).
    - batched direct (final-average wages when the counts carry the scenario batch too, e.g.
      stochastic mortality with stochastic economies): the counts are already one per
      (sex, age, service, scenario), so the pension of every cell is formed in the internal
      layout (scenario innermost, in a preallocated buffer) and contracted over service. The
      cumulative sums of the thresholds method would run along a strided axis there: with them
      the 75-year, 1,000-scenario run of benchmarks/pensions.py took 25 s, with this 7 s.
      The contraction over service is an ``einsum`` (about 3 times faster than multiply-then-sum
      along the strided service axis).

    With the compiled kernels (``kernels``, the numba engine) the direct and batched sums are
    one pass over the counts (:func:`._numba_kernels.insured_award`) whenever the money
    scenarios fit in the batch of the counts (and career reference wages do not differ by
    scenario); otherwise the numpy methods above are used.
    """

    def __init__(self, accrual: float, max_years: float | None, thresholds: bool, layout: _Layout,
                 shape: tuple[int, ...] | None = None, kernels=None):
        self.kernels = kernels                # the compiled kernels (numba engine), or None
        self.accrual = float(accrual)
        self.max_years = np.inf if max_years is None else float(max_years)
        self.thresholds = thresholds
        self.layout = layout
        self.shape = shape                    # (2, n_member, n_service, B): the largest counts awarded
        self.buffer = None

    def __call__(self, counts, count_total, first, future, adjustment, ref_final, ref_career, lower, upper):
        layout = self.layout
        if first > 0:
            qualified = np.clip(count_total - layout.reduced(counts[:, :, :first].sum(axis=2)), 0.0, count_total)
        else:
            qualified = count_total
        n_cells = counts.shape[2] - first
        if n_cells <= 0:
            return np.zeros(np.shape(qualified)), qualified
        factor = self.accrual if adjustment is None else self.accrual * adjustment
        if self.kernels is not None and self.layout.size > 1:      # one scenario: numpy's one einsum costs less
            compiled = self._compiled(counts, first, future, factor, ref_final, ref_career, lower, upper)
            if compiled is not None:
                return compiled, qualified
        if self.thresholds and ref_final is not None:
            if layout.size > 1 and self._within_counts(ref_final, lower, upper):
                return self._batched(counts, first, future, factor, ref_final, lower, upper), qualified
            cells = layout.public(counts[:, :, first:])
            return _by_thresholds(cells, first, future, factor, ref_final, lower, upper, self.max_years), qualified
        credited = np.minimum(np.arange(first, first + n_cells) + future[..., None], self.max_years)  # ([2,] X, K)
        unit = credited * (factor[..., None] if np.ndim(factor) else factor)
        reference = ref_final[..., None] if ref_final is not None else ref_career[..., first:]
        pension = unit * reference
        if np.any(lower > 0):
            pension = np.maximum(pension, lower[..., None, None, None])
        if upper is not None:
            pension = np.minimum(pension, upper[..., None, None, None])
        if pension.ndim == 3:                            # no money batch: one contiguous pass
            return layout.reduced(np.einsum("ijnb,ijn->ijb", counts[:, :, first:], pension)), qualified
        return np.einsum("...n,...n->...", layout.public(counts[:, :, first:]), pension), qualified

    def _compiled(self, counts, first, future, factor, ref_final, ref_career, lower, upper):
        """``sum_n counts_n P_n`` by the compiled kernel, or None when the money scenarios do not fit
        in the batch of the counts (or career reference wages differ by scenario): numpy then."""
        layout = self.layout
        if ref_final is not None:
            if not self._within_counts(ref_final, lower, upper):
                return None
            slope = factor * ref_final                                                     # (..., 2, X)
            credited = np.minimum(np.arange(counts.shape[2]) + future[..., None], self.max_years)
        else:
            if ref_career.ndim > 3 or not self._within_counts(np.zeros((2, 1)), lower, upper):
                return None
            slope = np.broadcast_to(factor, (2, counts.shape[1]))
            credited = np.minimum(np.arange(counts.shape[2]) + future[..., None], self.max_years) * ref_career
        unit = np.array(np.broadcast_to(credited, counts.shape[:3]), dtype=float, order="C")
        limits = [lower] + ([] if upper is None else [upper])
        if slope.ndim > 2:
            slope = layout.factor(np.broadcast_to(slope, layout.batch + slope.shape[-2:]))[:, :, 0, :]
        else:
            slope = slope[:, :, None]
        slope = np.array(np.broadcast_to(slope, slope.shape[:2] + (layout.size,)), dtype=float, order="C")
        lower_flat, upper_flat = (np.array(np.broadcast_to(value, layout.batch).reshape(-1), dtype=float)
                                  for value in (limits + [0.0])[:2])
        amount = np.empty((2, counts.shape[1], layout.size))
        self.kernels.insured_award(np.ascontiguousarray(counts), first, unit, slope, lower_flat, upper_flat,
                                   upper is not None, amount)
        return layout.reduced(amount)

    def _within_counts(self, ref_final, lower, upper) -> bool:
        """Whether the money scenarios broadcast into the batch of the counts (no axis of their own)."""
        batch = self.layout.batch
        shapes = [ref_final.shape[:-2], np.shape(lower)] + ([] if upper is None else [np.shape(upper)])
        try:
            return np.broadcast_shapes(batch, *shapes) == batch
        except ValueError:
            return False

    def _batched(self, counts, first, future, factor, ref_final, lower, upper):
        """``sum_n counts_n P_n`` over ``n >= first`` with the pensions formed in the internal layout."""
        layout = self.layout
        n_age, n_cells = counts.shape[1], counts.shape[2] - first
        if self.buffer is None:
            self.buffer = np.empty(self.shape if self.shape is not None else counts.shape)
        pension = self.buffer[:, :n_age, :n_cells]                                      # (2, X, K, B)
        credited = np.minimum(np.arange(first, first + n_cells) + future[..., None], self.max_years)  # ([2,] X, K)
        credited = np.broadcast_to(credited, (2,) + credited.shape[-2:])
        slope = layout.factor(factor * ref_final)                                        # (2, X, 1, B)
        np.multiply(credited[..., None], slope, out=pension)
        if np.any(lower > 0):
            np.maximum(pension, np.broadcast_to(lower, layout.batch).reshape(-1), out=pension)
        if upper is not None:
            np.minimum(pension, np.broadcast_to(upper, layout.batch).reshape(-1), out=pension)
        return layout.reduced(np.einsum("ijnb,ijnb->ijb", pension, counts[:, :, first:]))


def _by_thresholds(cells, first, future, factor, ref_final, lower, upper, max_years):
    """``sum_k cells_k clip(slope c_k, lower, upper)``, ``c_k = min(first + k + future, max_years)``, by thresholds.

    ``cells`` is ``batch + (2, X, K)``; the result ``batch' + (2, X)``.
    """
    n_cells = cells.shape[-1]
    credited = np.minimum(np.arange(first, first + n_cells) + future[..., None], max_years)
    slope = factor * ref_final                                  # pension per credited year, (..., 2, X)
    base = first + future                                       # credited years of the first cell, (X,)
    zero = np.zeros(cells.shape[:-1] + (1,))
    cum_counts = np.concatenate([zero, np.cumsum(cells, axis=-1)], axis=-1)
    cum_years = np.concatenate([zero, np.cumsum(cells * credited, axis=-1)], axis=-1)
    floor = lower[..., None, None]
    below = _count_below(slope, floor, base, max_years, n_cells, strict=True)
    total = floor * _take(cum_counts, below)
    if upper is None:
        linear_end = np.full(below.shape, n_cells)
    else:
        ceiling = upper[..., None, None]
        linear_end = _count_below(slope, ceiling, base, max_years, n_cells, strict=False)
        total = total + ceiling * (cum_counts[..., -1] - _take(cum_counts, linear_end))
    return total + slope * (_take(cum_years, linear_end) - _take(cum_years, below))


def _count_below(slope, bound, base, max_years, n_cells, *, strict):
    """How many ``k = 0 .. n_cells-1`` have ``slope min(base + k, max_years) < bound`` (``<=`` if not strict)."""
    positive = slope > 0
    # a tiny positive slope makes bound / slope overflow to inf, which is the right threshold
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tau = np.where(positive, bound / np.where(positive, slope, 1.0), np.inf)
    if strict:
        linear = np.clip(np.ceil(tau - base), 0, n_cells)
        count = np.where(max_years < tau, n_cells, linear)
        count = np.where(positive, count, np.where(bound > 0, n_cells, 0))
    else:
        linear = np.clip(np.floor(tau - base) + 1, 0, n_cells)
        count = np.where(max_years <= tau, n_cells, linear)
        count = np.where(positive, count, n_cells)
    return count.astype(np.intp)


def _take(cumulative: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``cumulative[..., positions]`` element by element, broadcasting the leading axes of both."""
    shape = np.broadcast_shapes(cumulative.shape[:-1], positions.shape)
    cells = np.arange(int(np.prod(cumulative.shape[:-1], dtype=np.int64))).reshape(cumulative.shape[:-1])
    flat_index = np.broadcast_to(cells * cumulative.shape[-1], shape) + np.broadcast_to(positions, shape)
    return np.ascontiguousarray(cumulative).reshape(-1)[flat_index]


def _grant_base(counts: np.ndarray, reference: np.ndarray, factor=None) -> np.ndarray:
    """``sum counts_n x n x W_n`` over sex, age and the (non-qualifying) service values of ``counts``.

    ``counts`` is ``batch + (2, X, K)``; ``reference`` ``(..., 2, X, 1)`` or ``(..., 2, X, S)``.
    """
    n_cells = counts.shape[-1]
    if n_cells == 0:
        return np.zeros(())
    weighted = counts * np.arange(n_cells)
    if reference.shape[-1] == 1:
        per_cell = weighted.sum(axis=-1) * reference[..., 0]
    else:
        per_cell = np.einsum("...n,...n->...", weighted, reference[..., :n_cells])
    if factor is not None:
        per_cell = per_cell * factor
    return per_cell.sum(axis=(-2, -1))


