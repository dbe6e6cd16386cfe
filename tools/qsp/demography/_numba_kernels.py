"""Compiled (numba) versions of the life-table and projection kernels: an optional accelerator.

Imported only on demand by :mod:`._engine` (importing this module imports numba). Each function
applies the same formulas, in the same order of floating-point operations wherever that is
cheap, as the pure-numpy path of :func:`qsp.demography.life_table` and
:func:`qsp.demography.project`; the tests check that both engines agree to 1e-12 (relative).
Sums over ages (births) use four partial sums, so they differ from numpy's in the last bits.

The machine code is cached on disk (``cache=True``, next to this file or in numba's user cache
directory), so it is compiled once per installation; later sessions only load it.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")

@_jit
def life_table_rows(mx, first, second, given, widths, single, radix, ax, qx, lx, Lx, Tx, ex):  # pragma: no cover
    """Fill the stored life-table columns of every schedule (row), one row at a time, so that the
    whole table is written in one pass over memory.

    ``mx`` and the outputs ``ax, qx, lx, Lx, Tx, ex`` are (rows, ages), C-contiguous. ``first``
    holds a0 per row and ``second`` 4a1 per row (abridged tables; empty otherwise); ``given``
    the user's a_x (rows, ages), or an empty array. ``widths`` are the interval widths with 1
    for the open interval; ``single`` says whether they are all 1. The operations are those of
    the numpy engine (``lifetable._table_block``), in the same order.
    """
    rows, n_age = mx.shape
    last = n_age - 1
    use_given = given.shape[0] > 0
    use_second = second.shape[0] > 0 and last > 1
    for r in range(rows):
        rates = mx[r]
        sep = ax[r]
        prob = qx[r]
        alive = lx[r]
        lived = Lx[r]
        total = Tx[r]
        expectancy = ex[r]
        # a_x, then q_x = n m / (1 + (n - a) m), capped at 1 (independent across ages)
        if use_given:
            for j in range(last):
                sep[j] = given[r, j]
        else:
            for j in range(last):
                sep[j] = widths[j] / 2.0
            sep[0] = first[r]
            if use_second:
                sep[1] = second[r]
        sep[last] = 1.0 / rates[last]
        if single:
            for j in range(last):
                rate = rates[j]
                prob[j] = min(rate / ((1.0 - sep[j]) * rate + 1.0), 1.0)
        else:
            for j in range(last):
                rate = rates[j]
                prob[j] = min(rate / ((widths[j] - sep[j]) * rate + 1.0) * widths[j], 1.0)
        prob[last] = 1.0
        # l_x = radix * prod_{y<x} p_y
        survivors = 1.0
        for j in range(n_age):
            alive[j] = survivors * radix
            survivors = survivors * (1.0 - prob[j])
        # L_x = n l_{x+1} + a_x d_x (open interval: a d = l / m), T_x from the top
        following = alive[last]
        running = sep[last] * following
        lived[last] = running
        total[last] = running
        for j in range(last - 1, -1, -1):
            current = alive[j]
            if single:
                value = sep[j] * (current - following) + following
            else:
                value = sep[j] * (current - following) + following * widths[j]
            lived[j] = value
            running = running + value
            total[j] = running
            following = current
        # e_x = T_x / l_x, NaN where nobody survives to x
        for j in range(n_age):
            expectancy[j] = total[j] / alive[j]
        if not alive[last] > 0.0:
            for j in range(n_age):
                if not alive[j] > 0.0:
                    expectancy[j] = np.nan


@_jit
def _survival_row(mx, a0, ratio, person_years):  # pragma: no cover
    """Survival ratios of one single-year schedule (a life table of radix 1) into ``ratio``;
    returns ``L_0 / l_0``. The formulas of :func:`qsp.demography.survival_ratios`."""
    n_age = mx.shape[0]
    last = n_age - 1
    alive = 1.0
    for j in range(last):
        rate = mx[j]
        sep = a0 if j == 0 else 0.5
        q = min(rate / ((1.0 - sep) * rate + 1.0), 1.0)
        following = alive * (1.0 - q)
        person_years[j] = sep * (alive - following) + following
        alive = following
    person_years[last] = (1.0 / mx[last]) * alive
    for j in range(last - 1):
        ratio[j] = person_years[j + 1] / person_years[j] if person_years[j] > 0.0 else 0.0
    open_total = person_years[last] + person_years[last - 1]
    open_ratio = person_years[last] / open_total if open_total > 0.0 else 0.0
    ratio[last - 1] = open_ratio
    ratio[last] = open_ratio
    return person_years[0]


@_jit
def _dot(values, rates, start):  # pragma: no cover
    """``sum(values[start:] * rates[start:])`` with four partial sums."""
    n = values.shape[0]
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    j = start
    while j + 4 <= n:
        s0 += values[j] * rates[j]
        s1 += values[j + 1] * rates[j + 1]
        s2 += values[j + 2] * rates[j + 2]
        s3 += values[j + 3] * rates[j + 3]
        j += 4
    while j < n:
        s0 += values[j] * rates[j]
        j += 1
    return (s0 + s1) + (s2 + s3)


@_jit
def project_rows(population, mx, a0, fert, shares, mig, start_share, clip, average,
                 births, deaths, migrants, shortfall):  # pragma: no cover
    """The cohort-component projection of every scenario, one scenario at a time.

    ``population`` (B, T, 2, A) has the base population in ``[:, 0]`` and receives the rest;
    ``births`` (B, T-1, 2), ``deaths``, ``migrants`` (B, T-1, 2, A) are written; ``shortfall``
    (B, T-1, 2, A), zero on entry, receives the emigration that could not happen (only when
    ``clip``). The inputs carry a batch axis and a step axis of length B or 1 and T-1 or 1:
    ``mx`` (., ., 2, A) with ``a0`` (., ., 2); ``fert`` (., ., A), already halved with the
    average exposure; ``shares`` (., ., 2) of girls and boys; ``mig`` (., ., 2, A) (empty when
    there is no migration), of which ``start_share`` arrives at the start of the year.
    Survival ratios are computed from ``mx`` as they are needed.
    """
    n_batch, n_years, n_sex, n_age = population.shape
    last = n_age - 1
    has_start = mig.shape[0] > 0 and start_share > 0.0
    has_end = mig.shape[0] > 0 and start_share < 1.0
    end_share = 1.0 - start_share
    ratio = np.empty((n_sex, n_age))
    newborn = np.empty(n_sex)
    exposed = np.empty((n_sex, n_age))
    person_years = np.empty(n_age)
    loaded_b = -1
    loaded_t = -1
    for b in range(n_batch):
        bm = b if mx.shape[0] > 1 else 0
        bf = b if fert.shape[0] > 1 else 0
        bs = b if shares.shape[0] > 1 else 0
        bg = b if mig.shape[0] > 1 else 0
        for t in range(n_years - 1):
            tm = t if mx.shape[1] > 1 else 0
            if bm != loaded_b or tm != loaded_t:
                for s in range(n_sex):
                    newborn[s] = _survival_row(mx[bm, tm, s], a0[bm, tm, s], ratio[s], person_years)
                loaded_b = bm
                loaded_t = tm
            tf = t if fert.shape[1] > 1 else 0
            ts = t if shares.shape[1] > 1 else 0
            tg = t if mig.shape[1] > 1 else 0
            now = population[b, t]
            nxt = population[b, t + 1]
            died = deaths[b, t]
            moved = migrants[b, t]
            for s in range(n_sex):
                # 1. migrants at the start; a cohort never goes below zero
                for x in range(n_age):
                    value = now[s, x]
                    if has_start:
                        value = value + mig[bg, tg, s, x] * start_share
                        if clip and value < 0.0:
                            shortfall[b, t, s, min(x + 1, last)] += -value
                            value = 0.0
                    exposed[s, x] = value
                # 2. survivors a year older; the open group gathers omega-1 and omega+
                for x in range(last):
                    nxt[s, x + 1] = exposed[s, x] * ratio[s, x]
                nxt[s, last] = nxt[s, last] + exposed[s, last] * ratio[s, last]
                for x in range(last):
                    died[s, x + 1] = exposed[s, x] - nxt[s, x + 1]
                died[s, last] = died[s, last] + exposed[s, last]
            # 3. births from the women exposed over the year
            rates = fert[bf, tf]
            total = _dot(exposed[0], rates, 0)
            if average:
                total = total + _dot(nxt[0], rates, 1)
            for s in range(n_sex):
                born = total * shares[bs, ts, s]
                births[b, t, s] = born
                nxt[s, 0] = born * newborn[s]
                died[s, 0] = born - nxt[s, 0]
                # 4. realised migrants by cohort (age at the end), then the end-of-year arrivals
                moved[s, 0] = 0.0
                if has_start:
                    for x in range(last):
                        moved[s, x + 1] = exposed[s, x] - now[s, x]
                    moved[s, last] = moved[s, last] + (exposed[s, last] - now[s, last])
                else:
                    for x in range(1, n_age):
                        moved[s, x] = 0.0
                if has_end:
                    for x in range(n_age):
                        arriving = mig[bg, tg, s, x] * end_share
                        if clip and arriving < -nxt[s, x]:
                            shortfall[b, t, s, x] += -nxt[s, x] - arriving
                            arriving = -nxt[s, x]
                        nxt[s, x] = nxt[s, x] + arriving
                        moved[s, x] = moved[s, x] + arriving
