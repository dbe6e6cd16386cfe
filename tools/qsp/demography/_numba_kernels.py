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
    for the open interval; ``single`` says whether they are all 1. The formulas are those of the
    numpy engine (``lifetable._table_block``); the running product (l) and sum (T) are split in
    two halves of the ages, computed side by side, so the last bits of l and T can differ from
    numpy's (by about 1e-15, relative). Returns True when a rate
    is negative, missing or infinite, or not positive in the open interval (the table is then
    meaningless: the caller raises the error).
    """
    rows, n_age = mx.shape
    last = n_age - 1
    use_given = given.shape[0] > 0
    use_second = second.shape[0] > 0 and last > 1
    half = n_age // 2
    bad = False
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
        bad |= not (rates[last] > 0.0 and rates[last] < np.inf)
        if single:
            for j in range(last):
                rate = rates[j]
                bad |= not (rate >= 0.0 and rate < np.inf)
                prob[j] = min(rate / ((1.0 - sep[j]) * rate + 1.0), 1.0)
        else:
            for j in range(last):
                rate = rates[j]
                bad |= not (rate >= 0.0 and rate < np.inf)
                prob[j] = min(rate / ((widths[j] - sep[j]) * rate + 1.0) * widths[j], 1.0)
        prob[last] = 1.0
        # l_x = radix * prod_{y<x} p_y: two running products side by side (ages below ``half``,
        # and from ``half`` on starting at 1), the upper one then scaled by the lower's total.
        # Half as long a chain of dependent multiplications; the same numbers to 1e-15.
        low = 1.0
        high = 1.0
        for j in range(half):
            alive[j] = low
            alive[half + j] = high
            low = low * (1.0 - prob[j])
            high = high * (1.0 - prob[half + j])
        for j in range(2 * half, n_age):
            alive[j] = high
            high = high * (1.0 - prob[j])
        for j in range(half):
            alive[j] = alive[j] * radix
        scale = low * radix
        for j in range(half, n_age):
            alive[j] = alive[j] * scale
        # L_x = n l_{x+1} + a_x d_x (open interval: a d = l / m)
        if single:
            for j in range(last):
                following = alive[j + 1]
                lived[j] = sep[j] * (alive[j] - following) + following
        else:
            for j in range(last):
                following = alive[j + 1]
                lived[j] = sep[j] * (alive[j] - following) + following * widths[j]
        lived[last] = sep[last] * alive[last]
        # T_x = sum_{y>=x} L_y: two running sums from the top of each half, side by side
        top = 0.0
        bottom = 0.0
        for k in range(n_age - half):
            top = top + lived[last - k]
            total[last - k] = top
            if k < half:
                bottom = bottom + lived[half - 1 - k]
                total[half - 1 - k] = bottom
        for j in range(half):
            total[j] = total[j] + top
        # e_x = T_x / l_x, NaN where nobody survives to x
        for j in range(n_age):
            expectancy[j] = total[j] / alive[j]
        if not alive[last] > 0.0:
            for j in range(n_age):
                if not alive[j] > 0.0:
                    expectancy[j] = np.nan
    return bad


@_jit
def _survival_rows(mx, a0, ratio, newborn, person_years):  # pragma: no cover
    """Survival ratios of the schedules ``mx`` (sex, age) (a life table of radix 1 each) into
    ``ratio`` (sex, age), and ``L_0 / l_0`` into ``newborn`` (sex). The formulas of
    :func:`qsp.demography.survival_ratios`, in the same order of operations; ``person_years``
    (sex, age) is scratch (it first holds q_x). The running products of the sexes are computed
    side by side, so that the processor overlaps them. Returns True when a rate is negative,
    missing or infinite (the ratios are then meaningless)."""
    n_sex, n_age = mx.shape
    last = n_age - 1
    invalid = False
    for s in range(n_sex):  # q_x (a_x = 1/2 after age 0), independent across ages
        rates = mx[s]
        prob = person_years[s]
        for j in range(1, last):
            invalid |= not (rates[j] >= 0.0 and rates[j] < np.inf)
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
    return invalid


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
def project_rows(population, mx, a0, fert, shares, mig, start_share, clip, average, arrivals_exposed,
                 births, deaths, migrants, shortfall):  # pragma: no cover
    """The cohort-component projection of every scenario, one scenario at a time.

    The outputs are laid out batch first, so that each scenario is written in one sweep:
    ``population`` (B, T, 2, A) has the base population in ``[:, 0]`` and receives the rest;
    ``births`` (B, T-1, 2), ``deaths``, ``migrants`` (B, T-1, 2, A) are written; ``shortfall``
    (B, T-1, 2, A), zero on entry, receives the emigration that could not happen (``clip``: some migrants are negative).
    Returns 1 when some emigration was clipped, plus 2 when a death rate is negative, missing or
    infinite (the results are then meaningless: the caller raises the error). The inputs carry a batch axis and a step axis of
    length B or 1 and T-1 or 1: ``mx`` (., ., 2, A) with ``a0`` (., ., 2); ``fert`` (., ., A),
    already halved with the average exposure; ``shares`` (., ., 2) of girls and boys; ``mig``
    (., ., 2, A) (empty when there is no migration), of which ``start_share`` arrives at the
    start of the year and the rest at the end; with ``arrivals_exposed`` the women who arrive at
    the end (ages 1 and over, never below zero) count among the women at the end in the births
    (``birth_exposure="average"``). Survival ratios are computed from ``mx`` as they
    are needed. Each year of a scenario is computed in two passes over the ages, in small
    scratch arrays, and written in one pass (population, deaths and migrants side by side).
    Without clipping, ``max(x, 0)`` and ``max(asked, -alive)`` change nothing, and timings
    without start or end arrivals add zeros, so one code path serves every case.
    """
    n_batch, n_years, n_sex, n_age = population.shape
    last = n_age - 1
    end_share = 1.0 - start_share
    ratio = np.empty((n_sex, n_age))
    newborn = np.empty(n_sex)
    exposed = np.empty((n_sex, n_age))
    survivors = np.empty((n_sex, n_age))
    person_years = np.empty((n_sex, n_age))
    no_migrants = np.zeros((n_sex, n_age))
    loaded_b = -1
    loaded_t = -1
    clipped = False
    invalid = False
    for b in range(n_batch):
        bm = b if mx.shape[0] > 1 else 0
        bf = b if fert.shape[0] > 1 else 0
        bs = b if shares.shape[0] > 1 else 0
        bg = b if mig.shape[0] > 1 else 0
        for t in range(n_years - 1):
            tm = t if mx.shape[1] > 1 else 0
            if bm != loaded_b or tm != loaded_t:
                invalid |= _survival_rows(mx[bm, tm], a0[bm, tm], ratio, newborn, person_years)
                loaded_b = bm
                loaded_t = tm
            tf = t if fert.shape[1] > 1 else 0
            ts = t if shares.shape[1] > 1 else 0
            tg = t if mig.shape[1] > 1 else 0
            now = population[b, t]
            moving = mig[bg, tg] if mig.shape[0] > 0 else no_migrants
            for s in range(n_sex):
                # 1-2. migrants at the start (never below zero), survivors a year older
                negative = False
                for x in range(last):
                    value = max(now[s, x] + moving[s, x] * start_share, 0.0)
                    negative |= now[s, x] + moving[s, x] * start_share < 0.0
                    exposed[s, x] = value
                    survivors[s, x + 1] = value * ratio[s, x]
                value = now[s, last] + moving[s, last] * start_share
                negative |= value < 0.0
                exposed[s, last] = max(value, 0.0)
                survivors[s, last] = survivors[s, last] + exposed[s, last] * ratio[s, last]
                if clip and negative:
                    clipped = True
                    for x in range(n_age):
                        value = now[s, x] + moving[s, x] * start_share
                        if value < 0.0:
                            shortfall[b, t, s, min(x + 1, last)] += -value
            rates = fert[bf, tf]
            total = _dot(exposed[0], rates, 0)
            if average:
                total = total + _dot(survivors[0], rates, 1)
                if arrivals_exposed:
                    for x in range(1, n_age):
                        alive = survivors[0, x]
                        total += (max(alive + moving[0, x] * end_share, 0.0) - alive) * rates[x]
            for s in range(n_sex):
                born = total * shares[bs, ts, s]
                births[b, t, s] = born
                survivors[s, 0] = born * newborn[s]
                nxt = population[b, t + 1, s]
                died = deaths[b, t, s]
                moved = migrants[b, t, s]
                # x = 0: the births of the year
                alive = survivors[s, 0]
                asked = moving[s, 0] * end_share
                negative = asked < -alive
                arriving = max(asked, -alive)
                nxt[0] = alive + arriving
                died[0] = born - alive
                moved[0] = 0.0 + arriving
                for x in range(1, last):
                    alive = survivors[s, x]
                    asked = moving[s, x] * end_share
                    negative |= asked < -alive
                    arriving = max(asked, -alive)
                    nxt[x] = alive + arriving
                    died[x] = exposed[s, x - 1] - alive
                    moved[x] = (exposed[s, x - 1] - now[s, x - 1]) + arriving
                alive = survivors[s, last]
                asked = moving[s, last] * end_share
                negative |= asked < -alive
                arriving = max(asked, -alive)
                nxt[last] = alive + arriving
                died[last] = (exposed[s, last - 1] - alive) + exposed[s, last]
                arrived = (exposed[s, last - 1] - now[s, last - 1]) + (exposed[s, last] - now[s, last])
                moved[last] = arrived + arriving
                if clip and negative:
                    clipped = True
                    for x in range(n_age):
                        asked = moving[s, x] * end_share
                        if asked < -survivors[s, x]:
                            shortfall[b, t, s, x] += -survivors[s, x] - asked
    return (1 if clipped else 0) + (2 if invalid else 0)
