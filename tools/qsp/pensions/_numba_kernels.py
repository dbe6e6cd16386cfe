"""Compiled (numba) versions of the hot yearly steps of :func:`qsp.pensions.project_insured`: an
optional accelerator.

Imported only on demand by :func:`qsp.pensions.insured._kernels` (importing this module imports
numba), with the conventions of :mod:`qsp.demography._engine`: ``engine="auto"|"numpy"|"numba"``,
``QSP_DISABLE_NUMBA=1`` turns it off. Each function applies the formulas of the numpy path of
:mod:`qsp.pensions.insured` in one pass over the service distributions, which live in the
internal layout ``(sex, member age, service, B)`` (the flattened scenario batch innermost, so the
innermost loop runs over contiguous scenarios). Factors by (sex, age) are ``(sex, age, Bf)``
with ``Bf`` 1 (the same for every scenario) or ``B``. The tests check that both engines agree to
1e-10 (relative); sums over service are accumulated in another order than numpy's, so the last
bits differ.

The machine code is cached on disk (``cache=True``), so it is compiled once per installation.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def insured_end_of_year(actives, inactives, staying, reentering, remaining, withdrawing, density,
                        actives_next, inactives_next):  # pragma: no cover
    """Members at the end of the year, one year older, in one pass (``_end_of_year`` of the numpy path).

    ``actives_next[s, x+1, n] = (1 - d)(st A + re I)[s, x, n] + d (st A + re I)[s, x, n-1]`` and
    ``inactives_next[s, x+1, n] = rm I[s, x, n] + wd A[s, x, n]`` (``st`` staying, ``re``
    reentering, ``rm`` remaining, ``wd`` withdrawing, ``d`` the contribution density, all by
    (sex, age) at x), summed in the order of the numpy path; the youngest member age of
    ``*_next`` is empty. State arrays are ``(2, X, S, B)``; factors ``(2, X, B)``.
    """
    n_sex, n_member, n_service, n_batch = actives.shape
    keep_active = np.empty(n_batch)
    move_active = np.empty(n_batch)
    keep_inactive = np.empty(n_batch)
    move_inactive = np.empty(n_batch)
    for s in range(n_sex):
        for n in range(n_service):
            for b in range(n_batch):
                actives_next[s, 0, n, b] = 0.0
                inactives_next[s, 0, n, b] = 0.0
        for x in range(n_member - 1):
            for b in range(n_batch):
                d = density[s, x, b]
                keep_active[b] = staying[s, x, b] * (1.0 - d)
                move_active[b] = staying[s, x, b] * d
                keep_inactive[b] = reentering[s, x, b] * (1.0 - d)
                move_inactive[b] = reentering[s, x, b] * d
            stay = remaining[s, x]
            leave = withdrawing[s, x]
            source_a = actives[s, x]
            source_i = inactives[s, x]
            target_a = actives_next[s, x + 1]
            target_i = inactives_next[s, x + 1]
            for b in range(n_batch):
                target_a[0, b] = source_a[0, b] * keep_active[b] + source_i[0, b] * keep_inactive[b]
                target_i[0, b] = source_i[0, b] * stay[b] + source_a[0, b] * leave[b]
            for n in range(1, n_service):
                for b in range(n_batch):
                    active = source_a[n, b]
                    inactive = source_i[n, b]
                    value = active * keep_active[b] + source_a[n - 1, b] * move_active[b]
                    value = value + inactive * keep_inactive[b]
                    target_a[n, b] = value + source_i[n - 1, b] * move_inactive[b]
                    target_i[n, b] = inactive * stay[b] + active * leave[b]


@_jit
def insured_award(counts, first, unit, slope, lower, upper, has_upper, amount):  # pragma: no cover
    """``amount[s, x, b] = sum_{n >= first} counts[s, x, n, b] clip(unit[s, x, n] slope[s, x, b], lower[b], upper[b])``.

    The sum of the pensions awarded to the qualifying cells (``_Award`` of the numpy path):
    ``unit`` holds the credited years ``min(n + future, n_max)`` (times the career-average wage
    profile for career reference wages), ``slope`` the accrual rate times the adjustment and the
    reference wage (or the wage index) by scenario. ``counts`` is ``(2, X, K, B)``; ``slope``
    ``(2, X, B)``, ``lower`` and ``upper`` ``(B,)``; ``amount`` ``(2, X, B)``.
    """
    n_sex, n_member, n_service, n_batch = counts.shape
    for s in range(n_sex):
        for x in range(n_member):
            total = amount[s, x]
            rate = slope[s, x]
            for b in range(n_batch):
                total[b] = 0.0
            for n in range(first, n_service):
                credit = unit[s, x, n]
                cells = counts[s, x, n]
                if has_upper:
                    for b in range(n_batch):
                        total[b] += cells[b] * min(max(credit * rate[b], lower[b]), upper[b])
                else:
                    for b in range(n_batch):
                        total[b] += cells[b] * max(credit * rate[b], lower[b])
