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
def _survival_rows(mx, a0, ratio, newborn, person_years):  # pragma: no cover
    """Survival ratios of the schedules ``mx`` (sex, age) (a life table of radix 1 each) into
    ``ratio`` (sex, age), and ``L_0 / l_0`` into ``newborn`` (sex). The formulas of
    :func:`qsp.demography.survival_ratios`, in the same order of operations; ``person_years``
    (sex, age) is scratch (it first holds q_x). The running products of the sexes are computed
    side by side, so that the processor overlaps them."""
    n_sex, n_age = mx.shape
    last = n_age - 1
    for s in range(n_sex):  # q_x (a_x = 1/2 after age 0), independent across ages
        rates = mx[s]
        prob = person_years[s]
        for j in range(1, last):
            prob[j] = min(rates[j] / ((1.0 - 0.5) * rates[j] + 1.0), 1.0)
        prob[0] = min(rates[0] / ((1.0 - a0[s]) * rates[0] + 1.0), 1.0)
    # l_x and L_x = l_{x+1} + a_x d_x (L_x overwrites q_x), both sexes at once
    female = person_years[0]
    male = person_years[1]
    alive_f = 1.0
    alive_m = 1.0
    following_f = alive_f * (1.0 - female[0])
    following_m = alive_m * (1.0 - male[0])
    female[0] = a0[0] * (alive_f - following_f) + following_f
    male[0] = a0[1] * (alive_m - following_m) + following_m
    alive_f = following_f
    alive_m = following_m
    for j in range(1, last):
        following_f = alive_f * (1.0 - female[j])
        following_m = alive_m * (1.0 - male[j])
        female[j] = 0.5 * (alive_f - following_f) + following_f
        male[j] = 0.5 * (alive_m - following_m) + following_m
        alive_f = following_f
        alive_m = following_m
    female[last] = (1.0 / mx[0, last]) * alive_f
    male[last] = (1.0 / mx[1, last]) * alive_m
    for s in range(n_sex):
        lived = person_years[s]
        out = ratio[s]
        for j in range(last - 1):
            out[j] = lived[j + 1] / lived[j] if lived[j] > 0.0 else 0.0
        open_total = lived[last] + lived[last - 1]
        open_ratio = lived[last] / open_total if open_total > 0.0 else 0.0
        out[last - 1] = open_ratio
        out[last] = open_ratio
        newborn[s] = lived[0]


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

    The outputs have the working layout of the numpy engine, time first: ``population`` (T, B,
    2, A) has the base population in ``[0]`` and receives the rest; ``births`` (T-1, B, 2),
    ``deaths``, ``migrants`` (T-1, B, 2, A) are written; ``shortfall`` (T-1, B, 2, A), zero on
    entry, receives the emigration that could not happen (only when ``clip``). Returns whether
    any emigration was clipped. The inputs carry a batch axis and a step axis of length B or 1 and T-1 or 1:
    ``mx`` (., ., 2, A) with ``a0`` (., ., 2); ``fert`` (., ., A), already halved with the
    average exposure; ``shares`` (., ., 2) of girls and boys; ``mig`` (., ., 2, A) (empty when
    there is no migration), of which ``start_share`` arrives at the start of the year.
    Survival ratios are computed from ``mx`` as they are needed.
    """
    n_years, n_batch, n_sex, n_age = population.shape
    last = n_age - 1
    has_start = mig.shape[0] > 0 and start_share > 0.0
    has_end = mig.shape[0] > 0 and start_share < 1.0
    end_share = 1.0 - start_share
    ratio = np.empty((n_sex, n_age))
    newborn = np.empty(n_sex)
    exposed = np.empty((n_sex, n_age))
    survivors = np.empty((n_sex, n_age))
    dead = np.empty(n_age)
    arrived = np.empty(n_age)
    person_years = np.empty((n_sex, n_age))
    loaded_b = -1
    loaded_t = -1
    clipped = False
    for b in range(n_batch):
        bm = b if mx.shape[0] > 1 else 0
        bf = b if fert.shape[0] > 1 else 0
        bs = b if shares.shape[0] > 1 else 0
        bg = b if mig.shape[0] > 1 else 0
        for t in range(n_years - 1):
            tm = t if mx.shape[1] > 1 else 0
            if bm != loaded_b or tm != loaded_t:
                _survival_rows(mx[bm, tm], a0[bm, tm], ratio, newborn, person_years)
                loaded_b = bm
                loaded_t = tm
            tf = t if fert.shape[1] > 1 else 0
            ts = t if shares.shape[1] > 1 else 0
            tg = t if mig.shape[1] > 1 else 0
            now = population[t, b]
            for s in range(n_sex):
                # 1. migrants at the start; a cohort never goes below zero
                if has_start and clip:
                    negative = False
                    for x in range(n_age):
                        value = now[s, x] + mig[bg, tg, s, x] * start_share
                        negative |= value < 0.0
                        exposed[s, x] = max(value, 0.0)
                    if negative:  # the emigration that could not happen, by cohort (age at the end)
                        clipped = True
                        for x in range(n_age):
                            value = now[s, x] + mig[bg, tg, s, x] * start_share
                            if value < 0.0:
                                shortfall[t, b, s, min(x + 1, last)] += -value
                elif has_start:
                    for x in range(n_age):
                        exposed[s, x] = now[s, x] + mig[bg, tg, s, x] * start_share
                else:
                    for x in range(n_age):
                        exposed[s, x] = now[s, x]
                # 2. survivors a year older; the open group gathers omega-1 and omega+
                survivors[s, 0] = 0.0
                for x in range(last):
                    survivors[s, x + 1] = exposed[s, x] * ratio[s, x]
                survivors[s, last] = survivors[s, last] + exposed[s, last] * ratio[s, last]
            # 3. births from the women exposed over the year
            rates = fert[bf, tf]
            total = _dot(exposed[0], rates, 0)
            if average:
                total = total + _dot(survivors[0], rates, 1)
            # 4. write the year: population, deaths and realised migrants by cohort (age at the end)
            for s in range(n_sex):
                born = total * shares[bs, ts, s]
                births[t, b, s] = born
                survivors[s, 0] = born * newborn[s]
                nxt = population[t + 1, b, s]
                died = deaths[t, b, s]
                moved = migrants[t, b, s]
                # by cohort: born in the year (0), aged x-1 at the start, the open group (omega-1, omega+)
                dead[0] = born - survivors[s, 0]
                for x in range(1, n_age):
                    dead[x] = exposed[s, x - 1] - survivors[s, x]
                dead[last] = dead[last] + exposed[s, last]
                arrived[0] = 0.0
                if has_start:
                    for x in range(1, n_age):
                        arrived[x] = exposed[s, x - 1] - now[s, x - 1]
                    arrived[last] = arrived[last] + (exposed[s, last] - now[s, last])
                else:
                    for x in range(1, n_age):
                        arrived[x] = 0.0
                # the end-of-year arrivals (never below zero), then one pass writing the three outputs
                if has_end and clip:
                    negative = False
                    for x in range(n_age):
                        alive = survivors[s, x]
                        asked = mig[bg, tg, s, x] * end_share
                        negative |= asked < -alive
                        arriving = max(asked, -alive)
                        nxt[x] = alive + arriving
                        died[x] = dead[x]
                        moved[x] = arrived[x] + arriving
                    if negative:
                        clipped = True
                        for x in range(n_age):
                            asked = mig[bg, tg, s, x] * end_share
                            if asked < -survivors[s, x]:
                                shortfall[t, b, s, x] += -survivors[s, x] - asked
                elif has_end:
                    for x in range(n_age):
                        arriving = mig[bg, tg, s, x] * end_share
                        nxt[x] = survivors[s, x] + arriving
                        died[x] = dead[x]
                        moved[x] = arrived[x] + arriving
                else:
                    for x in range(n_age):
                        nxt[x] = survivors[s, x]
                        died[x] = dead[x]
                        moved[x] = arrived[x]
    return clipped
