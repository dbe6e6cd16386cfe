"""Compiled (numba) versions of the hot yearly steps of :func:`qsp.pensions.project_insured`: an
optional accelerator.

Imported only on demand by :func:`qsp.pensions.insured._kernels` (importing this module imports
numba), with the conventions of :mod:`qsp.demography._engine`: ``engine="auto"|"numpy"|"numba"``,
``QSP_DISABLE_NUMBA=1`` turns it off. Each function applies the formulas of the numpy path of
:mod:`qsp.pensions.insured` in one pass over the service distributions, which live in the
internal layout ``(sex, member age, service, B)`` (the flattened scenario batch innermost, so the
innermost loop runs over contiguous scenarios). Factors by (sex, age) are ``(sex, age, Bf)``
with ``Bf`` 1 (the same for every scenario) or ``B``. The pensioners' year
(:func:`insured_pensioners`) works on ``(B, type, sex, age)`` stocks, one scenario at a time
(the few kilobytes of a scenario stay in cache). The tests check that both engines agree to
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


@_jit
def _shift_add(values, shift, out):  # pragma: no cover
    """``out[clip(x + shift, 0, omega)] += values[x]`` (``_shift_ages`` of the numpy path, mass kept)."""
    n_age = values.shape[0]
    for x in range(n_age):
        out[min(max(x + shift, 0), n_age - 1)] += values[x]


@_jit
def insured_pensioners(pensioners, amounts, q, q_disabled, married, orphans, member_deceased,
                       member_deceased_amount, new_disability, new_disability_amount, eligible, survivor_rate,
                       orphan_rate, difference, gap, limit, average, pensioners_next, amounts_next, deaths,
                       exposed, paid, new_counts, new_amounts, ending):  # pragma: no cover
    """The pensioners' year in one pass per scenario (steps 4 to 6 of the numpy path, for pensioners).

    By scenario ``b``, type ``k``, sex and age: deaths ``D = P q`` (``q_disabled`` for disability,
    type 1), survivors ``P - D`` and amounts ``A (1 - q)``; exposed pensioners and amounts paid
    (``(P + (P - D)) / 2`` with ``average``, else ``P``); deceased members and pensioners of
    types 0 and 1 (``member_deceased + D_0 + D_1`` and the amounts ``member_deceased_amount +
    A_0 q + A_1 q_disabled``) leave survivors' pensions (``married``, ``survivor_rate``, the
    spouse ``difference`` years younger for men) and orphans' pensions (``orphans`` by sex,
    ``eligible`` by age of the deceased, ``gap`` years, half to each sex, ``orphan_rate``);
    the survivors of the year plus the new pensions (``new_disability`` for type 1) are one
    year older in ``*_next``; orphans reaching ``limit`` leave (``ending``). The new pensions of
    types 1..3 are written one year older into ``new_counts``/``new_amounts`` (``(B, 3, 2, A)``).
    Stocks are ``(B, 4, 2, A)``; factors ``(B, 2, A)``; ``eligible`` ``(A,)``.
    """
    n_batch, n_type, n_sex, n_age = pensioners.shape
    alive = np.empty((n_type, n_sex, n_age))
    alive_amount = np.empty((n_type, n_sex, n_age))
    deceased = np.empty((n_sex, n_age))
    deceased_amount = np.empty((n_sex, n_age))
    fresh = np.empty((n_type, n_sex, n_age))
    fresh_amount = np.empty((n_type, n_sex, n_age))
    orphan_base = np.empty(n_age)
    orphan_base_amount = np.empty(n_age)
    shifted = np.empty(n_age)
    shifted_amount = np.empty(n_age)
    for b in range(n_batch):
        for k in range(n_type):
            rates = q_disabled[b] if k == 1 else q[b]
            for s in range(n_sex):
                count = pensioners[b, k, s]
                amount = amounts[b, k, s]
                rate = rates[s]
                dying = deaths[b, k, s]
                surviving = alive[k, s]
                surviving_amount = alive_amount[k, s]
                exposed_now = exposed[b, k, s]
                paid_now = paid[b, k, s]
                for x in range(n_age):
                    dying[x] = count[x] * rate[x]
                    surviving[x] = count[x] - dying[x]
                    surviving_amount[x] = amount[x] * (1.0 - rate[x])
                if average:
                    for x in range(n_age):
                        exposed_now[x] = (count[x] + surviving[x]) * 0.5
                        paid_now[x] = (amount[x] + surviving_amount[x]) * 0.5
                else:
                    for x in range(n_age):
                        exposed_now[x] = count[x]
                        paid_now[x] = amount[x]
        for s in range(n_sex):
            for x in range(n_age):
                deceased[s, x] = member_deceased[b, s, x] + (deaths[b, 0, s, x] + deaths[b, 1, s, x])
                deceased_amount[s, x] = member_deceased_amount[b, s, x] + (
                    amounts[b, 0, s, x] * q[b, s, x] + amounts[b, 1, s, x] * q_disabled[b, s, x])
        fresh[:] = 0.0
        fresh_amount[:] = 0.0
        for s in range(n_sex):
            for x in range(n_age):
                fresh[1, s, x] = new_disability[b, s, x]
                fresh_amount[1, s, x] = new_disability_amount[b, s, x]
        # widows (sex 0) from deceased men, d years younger; widowers from deceased women, d years older
        for s in range(n_sex):
            spouse = 1 - s
            shift = difference if s == 0 else -difference
            for x in range(n_age):
                widowed = deceased[s, x] * married[b, s, x]
                widowed_amount = survivor_rate * deceased_amount[s, x] * married[b, s, x]
                target = min(max(x + shift, 0), n_age - 1)
                fresh[2, spouse, target] += widowed
                fresh_amount[2, spouse, target] += widowed_amount
        for x in range(n_age):
            orphan_base[x] = (deceased[0, x] * orphans[b, 0, x] + deceased[1, x] * orphans[b, 1, x]) * eligible[x]
            orphan_base_amount[x] = (deceased_amount[0, x] * orphans[b, 0, x]
                                     + deceased_amount[1, x] * orphans[b, 1, x]) * eligible[x]
        shifted[:] = 0.0
        shifted_amount[:] = 0.0
        _shift_add(orphan_base, -gap, shifted)
        _shift_add(orphan_base_amount, -gap, shifted_amount)
        for s in range(n_sex):
            for x in range(n_age):
                fresh[3, s, x] = 0.5 * shifted[x]
                fresh_amount[3, s, x] = (0.5 * orphan_rate) * shifted_amount[x]
        # everyone one year older (the open age keeps its members)
        last = n_age - 1
        for k in range(n_type):
            for s in range(n_sex):
                added = fresh[k, s]
                added_amount = fresh_amount[k, s]
                if k > 0:
                    aged = new_counts[b, k - 1, s]
                    aged_amount = new_amounts[b, k - 1, s]
                    aged[0] = 0.0
                    aged_amount[0] = 0.0
                    for x in range(1, n_age):
                        aged[x] = added[x - 1]
                        aged_amount[x] = added_amount[x - 1]
                    aged[last] += added[last]
                    aged_amount[last] += added_amount[last]
                surviving = alive[k, s]
                surviving_amount = alive_amount[k, s]
                target = pensioners_next[b, k, s]
                target_amount = amounts_next[b, k, s]
                target[0] = 0.0
                target_amount[0] = 0.0
                for x in range(1, last):
                    target[x] = surviving[x - 1] + added[x - 1]
                    target_amount[x] = surviving_amount[x - 1] + added_amount[x - 1]
                target[last] = (surviving[last - 1] + added[last - 1]) + (surviving[last] + added[last])
                target_amount[last] = ((surviving_amount[last - 1] + added_amount[last - 1])
                                       + (surviving_amount[last] + added_amount[last]))
        for s in range(n_sex):
            for x in range(n_age):
                if x >= limit:
                    ending[b, s, x] = pensioners_next[b, 3, s, x]
                    pensioners_next[b, 3, s, x] = 0.0
                    amounts_next[b, 3, s, x] = 0.0
                else:
                    ending[b, s, x] = 0.0

