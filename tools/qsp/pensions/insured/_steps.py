"""The steps of a projection year of :func:`~qsp.pensions.insured.project_insured`.

Each step reads the resolved :class:`~._inputs.Assumptions` ``a``, updates the :class:`State` ``s``
(the insured population at the current point of the year) and leaves what later steps of the
same year need in the :class:`Year` ``y``. The order is that of the module docstring of
:mod:`qsp.pensions.insured`: :func:`index_pensions`, :func:`reference_wages`, :func:`retire`,
:func:`retire_early`, :func:`enter`, :func:`decrements`, :func:`pensioner_deaths`,
:func:`awards`, :func:`survivors`, :func:`age`. A compiled engine replaces a step (or the
inner pass of one: the ageing of the service distributions, the pensioners' year, the sums of
pensions awarded), not the loop.
"""

from __future__ import annotations

import numpy as np

from ..membership import PENSION_TYPES
from ._award import _Award, _grant_base
from ._inputs import Assumptions, _at
from ._layout import (
    _add_in_place,
    _age,
    _age_in_place,
    _age_members,
    _by_type,
    _fits,
    _Layout,
    _multiply_in_place,
    _pad,
    _Recorder,
    _shift_ages,
)


class State:
    """The insured population during the projection, and the records of stocks and flows.

    Actives and inactives live in an internal layout ``(sex, age, service, batch)`` with the
    flattened batch innermost: the yearly passes over them are then contiguous (measured: about
    1.7 times faster than ``(batch, sex, age, service)`` for shifted slices). Their counts by
    (sex, member age) are tracked alongside (``active_count``, ``inactive_count``). Pensioners
    and their total annual amounts are ``(..., type, sex, age)``.
    """

    def __init__(self, a: Assumptions):
        layout, membership = a.layout, a.membership
        self.actives = layout.state(_grid(a, membership.actives))
        self.inactives = layout.state(_grid(a, membership.inactives))
        self.actives_next, self.inactives_next, self.scratch = (np.empty(self.actives.shape) for _ in range(3))
        self.active_count = layout.full(_grid(a, membership.actives).sum(axis=-1))   # by (sex, member age)
        self.inactive_count = layout.full(_grid(a, membership.inactives).sum(axis=-1))
        self.pensioners = np.broadcast_to(membership.pensioners,
                                          a.count_batch + membership.pensioners.shape[-3:]).copy()
        self.amounts = membership.pensioners * membership.pension_amounts           # total annual amounts
        self.no_future = np.zeros(a.n_member)
        self.award = _Award(a.rules.accrual_rate, a.rules.maximum_years, a.use_thresholds, layout,
                            self.actives.shape, a.kernels)
        self.record = _Recorder(a.detail)                     # flows of each year
        self.stock = _Recorder(a.detail)                      # stocks at each date
        self.lump_sums: list = []
        self.settlements: list = []
        self.pensioner_buffers: list[np.ndarray] = []         # the compiled pensioners' year reuses these


class Year:
    """What the steps of projection year ``t + 1`` (``t`` from 0) pass on to the later steps of the year.

    Set by :func:`index_pensions` (``lower``, ``upper``: the pension limits of the year),
    :func:`reference_wages` (``ref_final``, ``ref_career``, ``reference``), :func:`retire` and
    :func:`retire_early` (the new old-age pensions, retirements, ``grants_paid``), :func:`decrements`
    (the factors of the year by (sex, member age): ``dying``, ``disabling``, ``staying``, ...),
    :func:`pensioner_deaths`, :func:`awards` and :func:`survivors`.
    """

    def __init__(self, t: int):
        self.t = t


def _grid(a: Assumptions, arr: np.ndarray) -> np.ndarray:
    """Membership cells on the projection grid (member ages, service 0 .. n_service - 1)."""
    out = arr[..., a.members, :a.n_service]
    if out.shape[-1] < a.n_service:
        out = np.concatenate([out, np.zeros(out.shape[:-1] + (a.n_service - out.shape[-1],))], axis=-1)
    return out


def _embed(a: Assumptions, values: np.ndarray) -> np.ndarray:
    """Member-grid (..., 2, n_member) values on the full age grid."""
    out = np.zeros(values.shape[:-1] + (a.n_age,))
    out[..., a.members] = values
    return out


def _place(a: Assumptions, values: np.ndarray, start: int) -> np.ndarray:
    """Values for member ages ``start .. start + k - 1`` on the member grid (zeros elsewhere)."""
    out = np.zeros(values.shape[:-1] + (a.n_member,))
    out[..., start:start + values.shape[-1]] = values
    return out


def _adjustment_at(rules, ages: np.ndarray, normal: np.ndarray):
    """Early/late factor by (sex, age) against the normal ages ``normal`` (sex,), or None without adjustment."""
    if not (rules.early_reduction or rules.late_increment):
        return None
    gap = ages[None, :] - normal[:, None]
    return np.maximum(1.0 - rules.early_reduction * np.maximum(-gap, 0)
                      + rules.late_increment * np.maximum(gap, 0), 0.0)


def put_stocks(a: Assumptions, s: State) -> None:
    """Record the stocks at the current date."""
    stock = s.stock
    stock.add("actives", _embed(a, s.active_count))
    stock.add("inactives", _embed(a, s.inactive_count))
    if a.kernels is not None and a.detail == "total":  # the sums by type in one call per array
        for label, values in (("pensioners", s.pensioners), ("amounts", s.amounts)):
            sums = values.sum(axis=(-2, -1))[..., None, None]
            for k, name in enumerate(PENSION_TYPES):
                stock.keep(f"{label}_{name}", sums[..., k, :, :])
        return
    for k, name in enumerate(PENSION_TYPES):
        stock.add(f"pensioners_{name}", s.pensioners[..., k, :, :])
        stock.add(f"amounts_{name}", s.amounts[..., k, :, :])


def index_pensions(a: Assumptions, s: State, y: Year) -> None:
    """1. Indexation of the pensions in payment (a cap in money per pension, on the cell averages)."""
    rate_year = _at(a.adjustment_rate, y.t, -1)[..., None, None, None]
    if a.index_cap is None:
        s.amounts = _multiply_in_place(s.amounts, 1.0 + rate_year)
    else:
        cap_year = _at(a.index_cap, y.t, -1)[..., None, None, None]
        s.amounts = s.amounts + np.minimum(s.amounts * rate_year, cap_year * s.pensioners)
    y.lower = _at(a.floor, y.t, -1)
    y.upper = None if a.cap is None else _at(a.cap, y.t, -1)


def reference_wages(a: Assumptions, s: State, y: Year) -> None:
    """Reference wages of the year by member age: final average ``(..., 2, X)`` or career ``(..., 2, X, S)``."""
    t, n_ref = y.t, a.n_ref
    if a.rules.reference_wage == "career":
        level = a.index_ext[..., t + n_ref - 1]                                     # I_t (the year before)
        y.ref_final, y.ref_career = None, level[..., None, None, None] * a.career_profile
        y.reference = y.ref_career                                                # (..., 2, n_member, n_service)
    else:
        window = a.index_ext[..., t:t + n_ref][..., ::-1]                           # I_t, ..., I_{t+1-N}
        y.ref_final = (window[..., :, None, None] * a.final_profile).sum(axis=-3) / n_ref   # (..., 2, n_member)
        y.ref_career, y.reference = None, y.ref_final[..., None]


def _award_from(s: State, y: Year, counts, count_total, first_service, start, stop, future, adjustment):
    """:class:`._award._Award` of ``counts`` at member ages ``start:stop`` with the reference wages of the year."""
    return s.award(counts, count_total, first_service, future, adjustment,
                   None if y.ref_final is None else y.ref_final[..., start:stop],
                   None if y.ref_career is None else y.ref_career[..., start:stop, :], y.lower, y.upper)


def retire(a: Assumptions, s: State, y: Year) -> None:
    """2. Retirement at the start of the year (from the lower of the two sexes' ages, masked by sex).

    Those with the qualifying period become old-age pensioners, the others receive a grant.
    """
    t, layout, rules = y.t, a.layout, a.rules
    first = int(a.retire[t].min()) - a.entry
    retired_ages = slice(a.entry + first, a.top + 1)
    by_sex = a.retire[t, 0] != a.retire[t, 1]
    leaving = s.actives[:, first:] + s.inactives[:, first:]                          # internal layout
    if by_sex:
        retiring = (a.member_ages[first:][None, :] >= a.retire[t][:, None]).astype(float)   # (sex, ages from first)
        leaving *= retiring[:, :, None, None]
    adjustment = _adjustment_at(rules, a.member_ages[first:], a.normal_age[t])
    leaving_count = s.active_count[..., first:] + s.inactive_count[..., first:]
    if by_sex:
        leaving_count = leaving_count * retiring
        y.retired_active_now = _pad(s.active_count[..., first:] * retiring, first)
        y.retired_inactive_now = _pad(s.inactive_count[..., first:] * retiring, first)
    else:
        y.retired_active_now = _pad(s.active_count[..., first:], first)
        y.retired_inactive_now = _pad(s.inactive_count[..., first:], first)
    new_old_age_amount, new_old_age = _award_from(s, y, leaving, leaving_count, a.qualifying["minimum_years"],
                                                   first, None, s.no_future[first:], adjustment)
    not_qualified = layout.public(leaving[:, :, :a.qualifying["minimum_years"]])
    retirement_grants = leaving_count - new_old_age
    y.grants_paid = rules.grant_rate * _grant_base(not_qualified, y.reference[..., first:, :])
    s.record.add("retirement_grants", _embed(a, _pad(retirement_grants, first)))
    s.active_count = s.active_count.copy()
    s.inactive_count = s.inactive_count.copy()
    if by_sex:
        staying_on = (1.0 - retiring)
        s.actives[:, first:] *= staying_on[:, :, None, None]
        s.inactives[:, first:] *= staying_on[:, :, None, None]
        s.active_count[..., first:] *= staying_on
        s.inactive_count[..., first:] *= staying_on
    else:
        s.actives[:, first:] = 0.0
        s.inactives[:, first:] = 0.0
        s.active_count[..., first:] = 0.0
        s.inactive_count[..., first:] = 0.0
    s.pensioners[..., 0, :, retired_ages] += new_old_age
    s.amounts = np.broadcast_to(s.amounts, np.broadcast_shapes(s.amounts.shape, new_old_age_amount.shape[:-2]
                                                               + s.amounts.shape[-3:])).copy()
    s.amounts[..., 0, :, retired_ages] += new_old_age_amount
    y.new_old_age_full = np.zeros(new_old_age.shape[:-2] + (2, a.n_age))
    y.new_old_age_full[..., retired_ages] = new_old_age
    y.new_old_age_amount_full = np.zeros(new_old_age_amount.shape[:-2] + (2, a.n_age))
    y.new_old_age_amount_full[..., retired_ages] = new_old_age_amount


def retire_early(a: Assumptions, s: State, y: Year) -> None:
    """2b. Early retirement: a share of those aged ``E_t(s) .. R_t(s) - 1`` with the early qualifying service.

    Records the retirements of the year (early ones included).
    """
    y.early_active_now = y.early_inactive_now = np.zeros((2, a.n_member))
    if a.early_age is not None:
        low, high = int(a.early_age[y.t].min()) - a.entry, int(a.retire[y.t].max()) - a.entry   # member-grid window
        if high > low:
            _retire_early_window(a, s, y, low, high)
        s.record.add("early_retired_active", _embed(a, y.early_active_now))
        s.record.add("early_retired_inactive", _embed(a, y.early_inactive_now))
        y.retired_active_now = y.retired_active_now + y.early_active_now
        y.retired_inactive_now = y.retired_inactive_now + y.early_inactive_now
    s.record.add("retired_active", _embed(a, y.retired_active_now))
    s.record.add("retired_inactive", _embed(a, y.retired_inactive_now))


def _retire_early_window(a: Assumptions, s: State, y: Year, low: int, high: int) -> None:
    """The early retirements from member ages ``low .. high - 1`` (member-grid positions)."""
    t, layout = y.t, a.layout
    window_ages = a.member_ages[low:high]
    allowed = (window_ages[None, :] >= a.early_age[t][:, None]) & (window_ages[None, :] < a.retire[t][:, None])
    chance = _at(a.early_schedule, t, -3)[..., a.members][..., low:high] * allowed         # (..., sex, ages)
    cells = layout.factor(chance)                                                  # (sex, ages, 1, B)
    if a.early_service_mask is not None:
        cells = cells * a.early_service_mask
    from_first = int(a.early_first.min())
    early_active_cells = s.actives[:, low:high] * cells
    early_inactive_cells = s.inactives[:, low:high] * cells
    early_active_cells[:, :, :from_first] = 0.0
    early_inactive_cells[:, :, :from_first] = 0.0
    s.actives[:, low:high] -= early_active_cells
    s.inactives[:, low:high] -= early_inactive_cells
    early_active = layout.reduced(early_active_cells.sum(axis=2))
    early_inactive = layout.reduced(early_inactive_cells.sum(axis=2))
    early_cells = early_active_cells + early_inactive_cells
    early_amount, early_number = _award_from(s, y, early_cells, early_active + early_inactive, from_first, low, high,
                                             s.no_future[low:high],
                                             _adjustment_at(a.rules, window_ages, a.normal_age[t]))
    s.active_count = s.active_count - _place(a, early_active, low)
    s.inactive_count = s.inactive_count - _place(a, early_inactive, low)
    y.early_active_now, y.early_inactive_now = _place(a, early_active, low), _place(a, early_inactive, low)
    early_ages = slice(a.entry + low, a.entry + high)
    s.pensioners = np.broadcast_to(s.pensioners, np.broadcast_shapes(
        s.pensioners.shape, early_number.shape[:-2] + s.pensioners.shape[-3:])).copy()
    s.pensioners[..., 0, :, early_ages] += early_number
    s.amounts = np.broadcast_to(s.amounts, np.broadcast_shapes(s.amounts.shape, early_amount.shape[:-2]
                                                               + s.amounts.shape[-3:])).copy()
    s.amounts[..., 0, :, early_ages] += early_amount
    y.new_old_age_full = y.new_old_age_full + _embed(a, _place(a, early_number, low))
    y.new_old_age_amount_full = y.new_old_age_amount_full + _embed(a, _place(a, early_amount, low))


def enter(a: Assumptions, s: State, y: Year) -> None:
    """3. New entrants join as actives with no service."""
    entering = _at(a.entrant_total, y.t, -1)[..., None, None] * _at(a.shares, y.t, -3)[..., a.members]
    s.actives[:, :, 0, :] += a.layout.factor(entering)[:, :, 0, :]
    s.active_count = s.active_count + entering
    s.record.add("entrants", _embed(a, entering))


def decrements(a: Assumptions, s: State, y: Year) -> None:
    """4. Decrements during the year, as factors by (sex, member age) applied to whole cells; the members' flows.

    Sets the factors ``dying``, ``disabling``, ``staying``, ``withdrawing``, ``reentering``,
    ``remaining`` (and ``exiting``, ``exit_year``), the contribution density of the year and the
    counts at the end of the year (``actives_end``, ``inactives_end``).
    """
    t, members, record = y.t, a.members, s.record
    active_count, inactive_count = s.active_count, s.inactive_count
    y.q_year = _at(a.qx, t, -3)
    y.dying = dying = y.q_year[..., members]
    surviving = 1.0 - dying
    incidence_year = _at(a.incidence, t, -3)[..., members]
    withdrawal_year = _at(a.withdrawal, t, -3)[..., members]
    reentry_year = _at(a.reentry, t, -3)[..., members]
    y.disabling = surviving * incidence_year
    able = surviving * (1.0 - incidence_year)                    # actives alive and not disabled
    kept = active_count
    if a.has_exits:
        y.exit_year = _at(a.exit_schedule, t, -3)[..., members]
        if not a.exit_factor_given:
            exit_base = active_count                             # exits: able x e x actives of the cell
            y.exiting = able * y.exit_year
            able = able * (1.0 - y.exit_year)
        else:                                                    # e x sum_n A_n f_n, by (sex, age)
            exit_base = a.layout.reduced(np.einsum("ijnb,n->ijb", s.actives, a.exit_share))
            y.exiting = able * y.exit_year
            kept = active_count - y.exit_year * exit_base        # actives left once the exits are out
        exits_now = y.exiting * exit_base
    y.withdrawing = able * withdrawal_year
    y.staying = able * (1.0 - withdrawal_year)                   # actives still active at the end
    y.reentering = surviving * reentry_year
    y.remaining = surviving * (1.0 - reentry_year)                # inactives still inactive at the end
    y.density_year = _at(a.density, t, -3)[..., members]
    y.actives_end = y.staying * kept + y.reentering * inactive_count
    y.inactives_end = y.remaining * inactive_count + y.withdrawing * kept
    exposed_actives = active_count if a.exposure == "start" else 0.5 * (active_count + y.actives_end)
    contributing = exposed_actives * y.density_year
    record.add("contributors", _embed(a, contributing))
    record.add("covered_wages", _embed(a, contributing * a.profile[..., members] * a.index[..., t, None, None]))
    record.add("insurable_earnings", _embed(a, contributing * a.ref_profile * a.index[..., t, None, None]))
    record.add("deaths_active", _embed(a, dying * active_count))
    record.add("deaths_inactive", _embed(a, dying * inactive_count))
    record.add("disabled", _embed(a, y.disabling * active_count))
    record.add("withdrawals", _embed(a, y.withdrawing * kept))
    if a.has_exits:
        record.add("exits", _embed(a, exits_now))
    record.add("reentries", _embed(a, y.reentering * inactive_count))


def pensioner_deaths(a: Assumptions, s: State, y: Year) -> None:
    """4b. Deaths of pensioners (the disabled with their own table) and the pensioners counted in the year.

    With the numba engine the pensioners' whole year is one compiled pass (:func:`survivors`), when
    every array of it fits in the batch of the members (the usual case); otherwise these numpy steps.
    """
    # no stacked copy of q: the disabled die with q_disabled, the others with q
    y.q_disabled_year = y.q_year if not a.own_disabled_mortality else _at(a.qx_disabled, y.t, -3)
    y.compiled_pensioners = (a.kernels is not None and a.money_fits
                             and _fits(a.layout.batch, s.pensioners.shape[:-3], s.amounts.shape[:-3]))
    if y.compiled_pensioners:
        return
    y.pensioner_deaths = _by_type(s.pensioners, y.q_year, y.q_disabled_year)
    y.pensioners_alive = s.pensioners - y.pensioner_deaths
    y.amounts_alive = _by_type(s.amounts, 1.0 - y.q_year, 1.0 - y.q_disabled_year)
    if a.exposure == "start":
        exposed_pensioners, paid = s.pensioners, s.amounts
    else:
        exposed_pensioners = s.pensioners + y.pensioners_alive
        exposed_pensioners *= 0.5
        paid = s.amounts + y.amounts_alive
        paid *= 0.5
    for k, name in enumerate(PENSION_TYPES):
        s.record.add(f"exposed_{name}", exposed_pensioners[..., k, :, :])
        s.record.add(f"expenditure_{name}", paid[..., k, :, :])
        s.record.add(f"deaths_{name}", y.pensioner_deaths[..., k, :, :])


def awards(a: Assumptions, s: State, y: Year) -> None:
    """5a. Pensions and grants of the year's disabled, the settlements of exits, the lump sums of the year,
    and the pensions of the insured members who die (the basis of the survivors' pensions)."""
    rules = a.rules
    survivor_from = a.qualifying["survivor_minimum_years"]
    base_actives, qualified_actives = _award_from(s, y, s.actives, s.active_count, survivor_from, None, None,
                                                  s.no_future, None)
    base_inactives, qualified_inactives = _award_from(s, y, s.inactives, s.inactive_count, survivor_from, None,
                                                      None, s.no_future, None)
    disability_from = a.qualifying["disability_minimum_years"]
    if disability_from == survivor_from and not rules.disability_future_service:
        disability_sum, disability_qualified = base_actives, qualified_actives
    else:
        future = (np.maximum(a.normal_age[y.t][:, None] - a.member_ages[None, :], 0)
                  if rules.disability_future_service else s.no_future)
        disability_sum, disability_qualified = _award_from(s, y, s.actives, s.active_count, disability_from, None,
                                                           None, future, None)
    y.new_disability = y.disabling * disability_qualified
    y.new_disability_amount = y.disabling * disability_sum
    disability_grants = y.disabling * (s.active_count - disability_qualified)
    s.record.add("disability_grants", _embed(a, disability_grants))
    y.grants_paid = y.grants_paid + rules.grant_rate * _grant_base(
        a.layout.public(s.actives[:, :, :disability_from]), y.reference, factor=y.disabling)
    if a.has_exits:
        _settle_exits(a, s, y)
    s.lump_sums.append(y.grants_paid)
    # deaths of insured members with the survivor qualifying period
    y.member_deceased = _embed(a, y.dying * (qualified_actives + qualified_inactives))
    y.member_deceased_amount = _embed(a, y.dying * (base_actives + base_inactives))


def _settle_exits(a: Assumptions, s: State, y: Year) -> None:
    """Settlements ``g x n x W`` of the exits, on the actives before the year's decrements (added to the grants)."""
    layout = a.layout
    exit_cells = layout.public(s.actives if not a.exit_factor_given else s.actives * a.exit_share_internal)
    paid_settlements = a.settlement_rate * _grant_base(exit_cells, y.reference, factor=y.exiting)
    if a.exit_factor_given:                                      # the exits leave the state here
        s.actives *= 1.0 - layout.factor(y.exit_year) * a.exit_share_internal
    s.settlements.append(paid_settlements)
    y.grants_paid = y.grants_paid + paid_settlements


def survivors(a: Assumptions, s: State, y: Year) -> None:
    """5b. New pensions at the end of the year: disability, survivors and orphans (of deceased members and of
    old-age and disability pensioners); records the new pensions of the year."""
    married_year = _at(a.married, y.t, -3)
    orphans_year = _at(a.orphans, y.t, -3)
    eligible = (a.ages - a.parent_age_gap + 1) < a.rules.orphan_age_limit          # by age of the deceased
    # new pensions of the end of the year are recorded at their age at the end of the year
    s.record.add("new_old_age", y.new_old_age_full)
    s.record.add("new_amount_old_age", y.new_old_age_amount_full)
    if y.compiled_pensioners:
        s.pensioners, s.amounts, y.ending = _pensioners_compiled(
            a.kernels, a.layout, s.record, s.pensioners, s.amounts, y.q_year, y.q_disabled_year, married_year,
            orphans_year, y.member_deceased, y.member_deceased_amount, _embed(a, y.new_disability),
            _embed(a, y.new_disability_amount), eligible, a.rules, a.spouse_age_difference, a.parent_age_gap,
            a.exposure, s.pensioner_buffers)
        return
    rules, difference, gap = a.rules, a.spouse_age_difference, a.parent_age_gap
    deceased = y.member_deceased + (y.pensioner_deaths[..., 0, :, :] + y.pensioner_deaths[..., 1, :, :])
    deceased_amount = y.member_deceased_amount + (s.amounts[..., 0, :, :] * y.q_year
                                                  + s.amounts[..., 1, :, :] * y.q_disabled_year)
    widowed = deceased * married_year
    widowed_amount = rules.survivor_rate * deceased_amount * married_year
    new_survivors = np.stack([_shift_ages(widowed[..., 1, :], -difference),
                              _shift_ages(widowed[..., 0, :], difference)], axis=-2)
    new_survivors_amount = np.stack([_shift_ages(widowed_amount[..., 1, :], -difference),
                                     _shift_ages(widowed_amount[..., 0, :], difference)], axis=-2)
    orphaned = 0.5 * _shift_ages(((deceased * orphans_year).sum(axis=-2)) * eligible, -gap)
    orphaned_amount = (0.5 * rules.orphan_rate) * _shift_ages(
        (deceased_amount * orphans_year).sum(axis=-2) * eligible, -gap)
    zero = np.zeros((2, a.n_age))
    y.new_counts = np.stack(np.broadcast_arrays(zero, _embed(a, y.new_disability), new_survivors,
                                                orphaned[..., None, :]), axis=-3)
    y.new_amounts = np.stack(np.broadcast_arrays(zero, _embed(a, y.new_disability_amount),
                                                 new_survivors_amount, orphaned_amount[..., None, :]), axis=-3)
    for k, name in enumerate(PENSION_TYPES[1:], start=1):
        s.record.add(f"new_{name}", _age(y.new_counts[..., k, :, :]))
        s.record.add(f"new_amount_{name}", _age(y.new_amounts[..., k, :, :]))


def age(a: Assumptions, s: State, y: Year) -> None:
    """6. Ageing, with the credit of service (preallocated buffers, whole-array passes only); orphans
    reaching the age limit leave; records the stocks at the end of the year."""
    layout = a.layout
    factors = (y.staying, y.reentering, y.remaining, y.withdrawing, y.density_year)
    if a.kernels is not None:                              # one per scenario, writable: one compiled signature
        factors = [np.array(np.broadcast_to(layout._flat(value) if value.ndim > 2 else value[:, :, None],
                                            (2, a.n_member, layout.size)), dtype=float, order="C")
                   for value in factors]
        a.kernels.insured_end_of_year(s.actives, s.inactives, *factors, s.actives_next, s.inactives_next)
    else:
        factors = [layout.factor(value) for value in factors]
        _end_of_year(s.actives, s.inactives, *factors, s.actives_next, s.inactives_next, s.scratch)
    s.actives, s.actives_next = s.actives_next, s.actives
    s.inactives, s.inactives_next = s.inactives_next, s.inactives
    s.active_count = _age_members(y.actives_end)
    s.inactive_count = _age_members(y.inactives_end)
    if not y.compiled_pensioners:
        s.pensioners = _age_in_place(_add_in_place(y.pensioners_alive, y.new_counts))
        s.amounts = _age_in_place(_add_in_place(y.amounts_alive, y.new_amounts))
        limit = a.rules.orphan_age_limit
        y.ending = np.zeros(s.pensioners.shape[:-3] + (2, a.n_age))
        if limit <= a.omega:
            y.ending[..., limit:] = s.pensioners[..., 3, :, limit:]
            s.pensioners[..., 3, :, limit:] = 0.0
            s.amounts[..., 3, :, limit:] = 0.0
    s.record.add("orphans_ending", y.ending)
    put_stocks(a, s)


STEPS = (index_pensions, reference_wages, retire, retire_early, enter, decrements, pensioner_deaths, awards,
         survivors, age)
"""The steps of a projection year, in order, each ``step(a, s, y)``."""


def _end_of_year(actives, inactives, staying, reentering, remaining, withdrawing, density, actives_next,
                 inactives_next, scratch) -> None:
    """Members at the end of the year, one year older, into the preallocated ``*_next`` arrays.

    Internal layout ``(sex, age, service, B)``; factors ``(sex, age, 1, B or 1)``. Actives at the
    end are ``staying x actives + reentering x inactives``, and a fraction ``density`` of each
    cell gains a year of service (the weighted shift along the service axis):
    ``next[x+1, n] = (1 - d) end[x, n] + d end[x, n-1]``. Inactives at the end are
    ``remaining x inactives + withdrawing x actives``, service unchanged. The factors are folded
    into the shifts, so that each source costs one pass (two when the density is fractional).
    The oldest member age is empty (members there have retired).
    """
    def shift_in(source, share, first):
        keep = (share * (1.0 - density))[:, :-1]
        move = (share * density)[:, :-1]
        partial = bool(np.any(keep != 0))
        target = actives_next[:, 1:]
        if first and partial:
            np.multiply(source[:, :-1], keep, out=target)
        elif first:
            target[:, :, 0] = 0.0
        elif partial:
            np.multiply(source[:, :-1], keep, out=scratch[:, :-1])
            target += scratch[:, :-1]
        if first and not partial:
            np.multiply(source[:, :-1, :-1], move, out=target[:, :, 1:])
        else:
            np.multiply(source[:, :-1, :-1], move, out=scratch[:, :-1, :-1])
            target[:, :, 1:] += scratch[:, :-1, :-1]

    actives_next[:, 0] = 0.0
    shift_in(actives, staying, True)
    if np.any(reentering > 0):
        shift_in(inactives, reentering, False)
    inactives_next[:, 0] = 0.0
    np.multiply(inactives[:, :-1], remaining[:, :-1], out=inactives_next[:, 1:])
    if np.any(withdrawing > 0):
        np.multiply(actives[:, :-1], withdrawing[:, :-1], out=scratch[:, :-1])
        inactives_next[:, 1:] += scratch[:, :-1]



def _pensioners_compiled(kernels, layout: _Layout, record: _Recorder, pensioners, amounts, q_year, q_disabled_year,
                         married_year, orphans_year, member_deceased, member_deceased_amount, new_disability,
                         new_disability_amount, eligible, rules, difference: int, gap: int, exposure: str,
                         buffers: list):
    """The pensioners' year by the compiled kernel (:func:`._numba_kernels.insured_pensioners`): deaths,
    exposure, survivors' and orphans' pensions, ageing and orphans reaching the age limit, the same
    formulas as the numpy steps of :func:`project_insured`. Records the flows; returns the pensioners and
    amounts one year older and the orphans leaving, each ``batch + (type, sex, age)`` or ``batch + (sex, age)``.
    ``buffers`` (a list, empty at first) keeps the arrays of the flows from year to year with ``detail="total"``.
    """
    batch, size = layout.batch, layout.size
    n_type, n_sex, n_age = pensioners.shape[-3:]

    def flat(values, trailing):
        full = np.broadcast_to(values, batch + trailing).reshape((size,) + trailing)
        return np.ascontiguousarray(full, dtype=float)

    stocks = flat(pensioners, (n_type, n_sex, n_age))
    money = flat(amounts, (n_type, n_sex, n_age))
    factors = [flat(value, (n_sex, n_age)) for value in (q_year, q_disabled_year, married_year, orphans_year,
                                                        member_deceased, member_deceased_amount, new_disability,
                                                        new_disability_amount)]
    pensioners_next, amounts_next = np.empty(stocks.shape), np.empty(stocks.shape)
    if record.detail == "total" and buffers:           # only the sums are kept: the flows reuse their buffers
        deaths, exposed, paid, new_counts, new_amounts = buffers
    else:
        deaths, exposed, paid = (np.empty(stocks.shape) for _ in range(3))
        new_counts, new_amounts = (np.empty((size, n_type - 1, n_sex, n_age)) for _ in range(2))
        buffers[:] = [deaths, exposed, paid, new_counts, new_amounts]
    ending = np.empty((size, n_sex, n_age))
    kernels.insured_pensioners(stocks, money, *factors, np.asarray(eligible, dtype=float),
                               float(rules.survivor_rate), float(rules.orphan_rate), difference, gap,
                               int(rules.orphan_age_limit), exposure != "start", pensioners_next, amounts_next,
                               deaths, exposed, paid, new_counts, new_amounts, ending)

    def public(values):
        if record.detail == "total":                   # the sums by type, in one call per array
            values = values.sum(axis=(-2, -1))[..., None, None]
        return values.reshape(batch + values.shape[1:])

    flows = {"exposed": public(exposed), "expenditure": public(paid), "deaths": public(deaths)}
    new_flows = {"new": public(new_counts), "new_amount": public(new_amounts)}
    for k, name in enumerate(PENSION_TYPES):
        for flow, values in flows.items():
            record.keep(f"{flow}_{name}", values[..., k, :, :])
        if k > 0:
            for flow, values in new_flows.items():
                record.keep(f"{flow}_{name}", values[..., k - 1, :, :])
    return (pensioners_next.reshape(batch + stocks.shape[1:]), amounts_next.reshape(batch + stocks.shape[1:]),
            ending.reshape(batch + ending.shape[1:]))

