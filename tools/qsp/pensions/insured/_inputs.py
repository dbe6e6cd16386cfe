"""The inputs of :func:`~qsp.pensions.insured.project_insured`, checked and resolved once.

:func:`resolve` turns the keyword arguments into an :class:`Assumptions` object: every schedule on
the ``(..., year, sex, age)`` grid, the member ages and service values of the projection, the wage
index, reference-wage profiles and benefit limits, and the engine. The steps of the year
(:mod:`._steps`) only read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._validate import as_float_array, check_values
from ...demography import _engine
from ..benefits import BenefitRules, ages_by_sex, indexation_rate, years_by_sex
from ..membership import Membership
from ._engine import _kernels
from ._layout import _fits, _Layout

EXPOSURES = ("average", "start")
DETAILS = ("age", "total")


def _schedule(name: str, value, n_years: int, n_age: int, *, lower: float = 0.0, upper: float | None = 1.0,
              what: str = "rate") -> np.ndarray:
    """An assumption by (sex, age): ``(sex, age)`` (or less) constant, or ``(..., year, sex, age)``.

    Returns an array of at least 3 axes ``(..., T, S, A)`` with ``T`` in {1, n_years}, ``S`` in
    {1, 2}, ``A`` in {1, n_age}.
    """
    if hasattr(value, "qx") and hasattr(value, "lx"):            # a LifeTable
        value = value.qx
    arr = as_float_array(name, value)
    if arr.ndim >= 1 and arr.shape[-1] not in (1, n_age):
        raise ValueError(
            f"{name} has {arr.shape[-1]} entries on its age axis (shape {arr.shape}), but the age grid has {n_age} "
            f"single ages 0..{n_age - 1}. Give (sex, age), or (..., year, sex, age) for values that change over time."
        )
    if arr.ndim >= 2 and arr.shape[-2] not in (1, 2):
        raise ValueError(f"{name} has {arr.shape[-2]} entries on its sex axis (shape {arr.shape}); it must be 2 "
                         f"(0 = female, 1 = male).")
    if arr.ndim >= 3 and arr.shape[-3] not in (1, n_years):
        raise ValueError(
            f"{name} has shape {arr.shape}: with three or more axes its axis -3 is the projection year, which must "
            f"have {n_years} entries (or 1), but it has {arr.shape[-3]}. Give (sex, age) for a constant schedule, "
            f"(..., 1, sex, age) for a batch of constant schedules, or one schedule per year."
        )
    trailing = ("year", "sex", "age")[-max(arr.ndim, 1):] if arr.ndim <= 3 else ("year", "sex", "age")
    hint = "Probabilities and shares are fractions between 0 and 1." if upper == 1.0 else ""
    check_values(name, arr, trailing=trailing, lower=lower, upper=upper, what=what,
                 years=np.arange(1, n_years + 1) if arr.ndim >= 3 and arr.shape[-3] == n_years else None, hint=hint)
    while arr.ndim < 3:
        arr = arr[None]
    return np.broadcast_to(arr, arr.shape[:-2] + (2, n_age))


def _path(name: str, value, n_years: int, *, lower: float | None, lower_inclusive: bool = True,
          what: str = "value", hint: str = "") -> np.ndarray:
    """A quantity by year: scalar, ``(..., 1)`` or ``(..., n_years)``; returned with a last axis of 1 or n_years."""
    arr = check_values(name, value, trailing=("year",), lower=lower, lower_inclusive=lower_inclusive, what=what,
                       hint=hint)
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.shape[-1] not in (1, n_years):
        raise ValueError(f"{name} has {arr.shape[-1]} entries on its last (year) axis (shape {arr.shape}), but the "
                         f"projection has {n_years} years: give a number, shape (..., 1) or one per year.")
    return arr


def _at(arr: np.ndarray, t: int, axis: int) -> np.ndarray:
    """Entry t of a year axis of length 1 or n (position ``axis``)."""
    index = t if arr.shape[axis] > 1 else 0
    return np.take(arr, index, axis=axis)




@dataclass(frozen=True, eq=False)
class Assumptions:
    """Everything a projection year reads, resolved from the arguments of :func:`project_insured`.

    Schedules by (sex, age) are ``(..., T, 2, n_age)`` with ``T`` in {1, n_years}; quantities by
    year ``(..., 1)`` or ``(..., n_years)``; the member grid is the ages ``entry .. top`` (``members``
    on the full age grid) and the service values ``0 .. n_service - 1``. Money arrays carry the
    money batch (``money_batch``), counts the batch of the members (``count_batch``, ``layout``).
    """

    membership: Membership
    rules: BenefitRules
    n_years: int
    n_age: int
    omega: int
    entry: int                       # min_entry_age: the first member age
    exposure: str
    detail: str
    start_year: int | None
    # decrements and family assumptions, (..., T, 2, n_age)
    qx: np.ndarray
    qx_disabled: np.ndarray
    own_disabled_mortality: bool     # disabled pensioners die with their own table
    incidence: np.ndarray
    withdrawal: np.ndarray
    reentry: np.ndarray
    exit_schedule: np.ndarray
    early_schedule: np.ndarray
    has_exits: bool
    density: np.ndarray
    married: np.ndarray
    orphans: np.ndarray
    spouse_age_difference: int
    parent_age_gap: int
    # ages, (n_years, 2); early_age None without early retirement
    retire: np.ndarray
    normal_age: np.ndarray
    early_age: np.ndarray | None
    # the member grid
    top: int
    member_ages: np.ndarray
    n_member: int
    n_service: int
    members: slice
    # entrants
    entrant_total: np.ndarray
    shares: np.ndarray
    # economy and wages
    index: np.ndarray                # I_1 .. I_n, (..., n)
    index_ext: np.ndarray            # I_{1-N} .. I_{n-1}
    n_ref: int
    adjustment_rate: np.ndarray
    index_cap: np.ndarray | None
    profile: np.ndarray
    average_wage: np.ndarray
    ref_profile: np.ndarray
    final_profile: np.ndarray
    career_profile: np.ndarray | None
    floor: np.ndarray
    cap: np.ndarray | None
    # batches, engine and service thresholds
    count_batch: tuple
    layout: _Layout
    kernels: object                  # the compiled kernels module, or None for numpy
    use_thresholds: bool
    money_fits: bool
    qualifying: dict
    early_first: np.ndarray
    early_service_mask: np.ndarray | None
    exit_factor_given: bool
    exit_share: np.ndarray | None
    exit_share_internal: np.ndarray | None
    settlement_rate: float

    @property
    def ages(self) -> np.ndarray:
        """Single ages ``0 .. omega``."""
        return np.arange(self.n_age)


def _check_options(membership, rules, n_years, exposure, detail, engine) -> int:
    if not isinstance(membership, Membership):
        raise ValueError(f"membership must be a Membership (see load_membership), got {type(membership).__name__}.")
    if not isinstance(rules, BenefitRules):
        raise ValueError(f"rules must be a BenefitRules, got {type(rules).__name__}.")
    if int(n_years) != n_years or n_years < 1:
        raise ValueError(f"n_years must be a whole number of at least 1, got {n_years!r}.")
    if exposure not in EXPOSURES:
        raise ValueError(f"exposure must be 'average' or 'start', got {exposure!r}.")
    if detail not in DETAILS:
        raise ValueError(f"detail must be 'age' or 'total', got {detail!r}.")
    if engine not in _engine.ENGINES:
        raise ValueError(f"engine must be one of {_engine.ENGINES}, got {engine!r}.")
    return int(n_years)


def _schedules(n_years: int, n_age: int, args: dict) -> dict:
    """The assumptions by (sex, age), checked."""
    omega = n_age - 1
    qx = _schedule("mortality", args["mortality"], n_years, n_age, what="probability of dying")
    if qx.shape[-1] != n_age:
        raise ValueError(f"mortality must give q_x for every age 0..{omega} of the membership (shape (..., sex, "
                         f"{n_age})), got shape {qx.shape}.")
    disabled_mortality = args["disabled_mortality"]
    out = {"qx": qx, "own_disabled_mortality": disabled_mortality is not None}
    out["qx_disabled"] = qx if disabled_mortality is None else _schedule(
        "disabled_mortality", disabled_mortality, n_years, n_age, what="probability of dying")
    for key, name in (("incidence", "disability_incidence"), ("withdrawal", "withdrawal_rate"),
                      ("reentry", "reentry_rate"), ("exit_schedule", "exit_rate"),
                      ("early_schedule", "early_retirement_rate")):
        out[key] = _schedule(name, args[name], n_years, n_age, what="probability")
    out["has_exits"] = bool(np.any(out["exit_schedule"] > 0))
    out["density"] = _schedule("contribution_density", args["contribution_density"], n_years, n_age, what="density")
    out["married"] = _schedule("proportion_married", args["proportion_married"], n_years, n_age, what="proportion")
    out["orphans"] = _schedule("orphans_per_death", args["orphans_per_death"], n_years, n_age, upper=None,
                               what="number of orphans")
    return out


def _ages(rules: BenefitRules, entry: int, omega: int, n_years: int, has_early: bool, args: dict) -> dict:
    """Retirement ages by year and sex, the exit service factor, the family age gaps, checked."""
    retirement_age = args["retirement_age"]
    why = (f"members retire at that age, so it must be above min_entry_age={entry} and at most omega={omega}. "
           f"Give whole ages, one per projection year if it rises.")
    retire = ages_by_sex("retirement_age", rules.normal_retirement_age if retirement_age is None else retirement_age,
                         n_years, low=entry + 1, high=omega, why=why)                  # (n_years, sex)
    normal_age = ages_by_sex("normal_retirement_age", rules.normal_retirement_age, n_years, low=entry + 1,
                             high=omega, why="it must lie on the age grid above min_entry_age.")
    if has_early and rules.early_retirement_age is None:
        raise ValueError("early_retirement_rate is given but the rules have no early_retirement_age: set "
                         "BenefitRules(early_retirement_age=...), the first age at which a pension may be drawn early.")
    early_age = None if rules.early_retirement_age is None or not has_early else ages_by_sex(
        "early_retirement_age", rules.early_retirement_age, n_years, low=entry + 1, high=omega,
        why="it must lie on the age grid above min_entry_age.")
    service_share = None
    if args["exit_service_factor"] is not None:
        service_share = check_values("exit_service_factor", args["exit_service_factor"], trailing=("service",),
                                     lower=0, upper=1, what="share", hint="Give the share of exit_rate that applies "
                                     "at each credited service 0, 1, 2, ... (1 = the full rate, 0 = no exits).")
        if service_share.ndim != 1 or service_share.size == 0:
            raise ValueError(f"exit_service_factor must be one share per credited service 0, 1, ... (shape (k,)), "
                             f"got shape {service_share.shape}.")
    spouse_age_difference, parent_age_gap = args["spouse_age_difference"], args["parent_age_gap"]
    if int(spouse_age_difference) != spouse_age_difference or abs(spouse_age_difference) > omega:
        raise ValueError(f"spouse_age_difference must be a whole number of years, got {spouse_age_difference!r}.")
    if int(parent_age_gap) != parent_age_gap or not 0 <= parent_age_gap <= omega:
        raise ValueError(f"parent_age_gap must be a whole number of years between 0 and {omega}, "
                         f"got {parent_age_gap!r}.")
    return {"retire": retire, "normal_age": normal_age, "early_age": early_age, "service_share": service_share,
            "spouse_age_difference": int(spouse_age_difference), "parent_age_gap": int(parent_age_gap)}


def _member_grid(membership: Membership, entry: int, retire: np.ndarray) -> dict:
    """Member ages ``entry .. top`` (the oldest member or retirement age) and service ``0 .. top - entry``."""
    members_present = (membership.actives + membership.inactives).sum(axis=tuple(range(membership.actives.ndim - 3))
                                                                        + (-3, -1))
    oldest = int(np.max(np.nonzero(members_present)[0])) if members_present.any() else entry
    top = max(int(retire.max()), oldest)
    member_ages = np.arange(entry, top + 1)
    return {"top": top, "member_ages": member_ages, "n_member": member_ages.size,
            "n_service": member_ages.size, "members": slice(entry, top + 1)}


def _entrants(new_entrants, entrant_distribution, n_years: int, n_age: int, entry: int, retire: np.ndarray):
    """The number of entrants by year and their shares by (sex, age), checked; ``(total, shares, any)``."""
    entrant_total = _path("new_entrants", new_entrants, n_years, lower=0, what="number of entrants")
    has_entrants = bool(np.any(entrant_total > 0))
    if not has_entrants:
        return entrant_total, np.zeros((1, 2, n_age)), False
    if entrant_distribution is None:
        raise ValueError("new_entrants are given but entrant_distribution is missing: give the shares of the "
                         "entrants by (sex, age), summing to 1.")
    shares = _schedule("entrant_distribution", entrant_distribution, n_years, n_age, what="share")
    shares = np.broadcast_to(shares, shares.shape[:-2] + (2, n_age))
    sums = shares.sum(axis=(-2, -1))
    if np.any(np.abs(sums - 1.0) > 1e-6):
        index = tuple(int(i) for i in np.argwhere(np.abs(sums - 1.0) > 1e-6)[0])
        raise ValueError(f"entrant_distribution sums to {sums[index]:.6g} (at index {index} of its batch/year "
                         f"axes), but the shares of the entrants by sex and age must sum to 1.")
    per_year = shares.shape[-3] > 1
    limit = retire[:, :, None] if per_year else retire.min(axis=0)[None, :, None]     # (T, sex, 1)
    outside = (shares > 0) & ((np.arange(n_age) < entry) | (np.arange(n_age) >= limit))
    if outside.any():
        where = np.argwhere(outside)[0]
        year = f"projection year {int(where[-3]) + 1}, " if per_year else ""
        highest = int(limit[int(where[-3]) if per_year else 0, int(where[-2]), 0]) - 1
        raise ValueError(
            f"entrant_distribution puts entrants at {year}sex {int(where[-2])}, age {int(where[-1])}, outside the "
            f"working ages {entry}..{highest} (from min_entry_age to the age before the retirement age). "
            f"Entrants join with no service, below the retirement age."
        )
    return entrant_total, shares, True


def _economy(rules: BenefitRules, n_years: int, args: dict) -> dict:
    """The wage index ``I_t`` (extended before the valuation date), the indexation rate and cap."""
    rate_hint = "Growth rates are fractions per year (0.03 for 3%), greater than -1."
    growth = _path("wage_growth", args["wage_growth"], n_years, lower=-1, lower_inclusive=False, what="growth rate",
                   hint=rate_hint)
    inflation = _path("price_inflation", args["price_inflation"], n_years, lower=-1, lower_inclusive=False,
                      what="inflation rate", hint=rate_hint)
    past_wage_growth = args["past_wage_growth"]
    past = _at(growth, 0, -1)[..., None] if past_wage_growth is None else _path(
        "past_wage_growth", past_wage_growth, 1, lower=-1, lower_inclusive=False, what="growth rate", hint=rate_hint)
    growth_full = np.broadcast_to(growth, growth.shape[:-1] + (n_years,))
    index = np.cumprod(1.0 + growth_full, axis=-1)                   # I_1 .. I_n
    # index_ext position p holds I_{p + 1 - N}: years 1 - N .. n - 1 (N = reference_years; I_0 = 1)
    n_ref = int(rules.reference_years)
    backward = (1.0 + past) ** -np.arange(n_ref - 1, 0, -1.0)                     # I_{1-N} .. I_{-1}
    money_batch = np.broadcast_shapes(backward.shape[:-1], index.shape[:-1])
    index_ext = np.concatenate([np.broadcast_to(backward, money_batch + (n_ref - 1,)),
                                np.ones(money_batch + (1,)),
                                np.broadcast_to(index[..., :-1], money_batch + (n_years - 1,))], axis=-1)
    adjustment_rate = indexation_rate(rules.indexation, growth, inflation)
    index_cap = None if rules.indexation_cap is None else _path("indexation_cap", rules.indexation_cap, n_years,
                                                                lower=0, what="cap")
    if index_cap is not None and rules.indexation_cap_indexed:        # C_t = C prod_{k<=t} (1 + pi_k)
        index_cap = index_cap * np.cumprod(1.0 + np.broadcast_to(inflation, inflation.shape[:-1] + (n_years,)),
                                           axis=-1)
    return {"index": index, "index_ext": index_ext, "n_ref": n_ref, "money_batch": money_batch,
            "adjustment_rate": adjustment_rate, "index_cap": index_cap}


def _average_wage_year0(membership, profile, shares, entrant_total, has_entrants, entry, retire, n_age):
    """The average wage of year 0 (basis of the ceiling): over the actives, else the entrants, else the working ages."""
    active_by_age = membership.actives.sum(axis=-1)
    working_ages = ((np.arange(n_age) >= entry) & (np.arange(n_age) < retire[0][:, None])) * 1.0
    if np.all(active_by_age.sum(axis=(-2, -1)) > 0):
        weight = active_by_age
    elif has_entrants:
        weight = shares[..., int(np.argmax(np.any(entrant_total > 0, axis=tuple(range(entrant_total.ndim - 1)))))
                        if shares.shape[-3] > 1 else 0, :, :]
    else:
        weight = working_ages
    average0 = (weight * profile).sum(axis=(-2, -1)) / weight.sum(axis=(-2, -1))
    if np.any(average0 <= 0):
        raise ValueError("wages are zero at every age where there are members; give the wage profile (wages=...).")
    return average0


def _wages(membership, rules, n_years, grid, entrants, index, args) -> dict:
    """The wage profile, capped, and the reference-wage profiles (final average and career) on the member grid."""
    wages, n_age = args["wages"], membership.ages.size
    omega, entry, member_ages = n_age - 1, membership.min_entry_age, grid["member_ages"]
    if wages is None:
        if not np.all(membership.actives.sum(axis=(-3, -2, -1)) > 0):
            raise ValueError("the membership has no active members to take a wage profile from: give wages (the "
                             "annual wage by sex and age in year 0, shape (2, n_age)).")
        profile = membership.wage_by_age()
    else:
        profile = check_values("wages", wages, lower=0, what="wage")
        if profile.ndim < 2 or profile.shape[-2:] != (2, n_age):
            raise ValueError(f"wages must be (..., sex, age) with shape (..., 2, {n_age}), got {profile.shape}.")
    average0 = _average_wage_year0(membership, profile, entrants["shares"], entrants["entrant_total"],
                                   entrants["has_entrants"], entry, grid["retire"], n_age)
    average_wage = average0[..., None] * index                     # (..., n)
    if args["wage_ceiling"] is not None:
        ceiling = float(check_values("wage_ceiling", args["wage_ceiling"], trailing=(), lower=0,
                                     lower_inclusive=False, what="multiple of the average wage",
                                     hint="e.g. 2.5 for 2.5 times the average."))
        profile_capped = np.minimum(profile, ceiling * average0[..., None, None])
    else:
        profile_capped = profile
    n_ref = int(rules.reference_years)
    # final average: w0c(s, x - k), k = 1..N, for member ages x
    lagged = np.clip(member_ages[None, :] - np.arange(1, n_ref + 1)[:, None], 0, omega)     # (N, n_member)
    career_profile = None
    if rules.reference_wage == "career":
        cumulative = np.concatenate([np.zeros(profile_capped.shape[:-1] + (1,)), np.cumsum(profile_capped, axis=-1)],
                                    axis=-1)                                               # C[j] = sum_{a<j}
        services = np.arange(grid["n_service"])
        low = np.clip(member_ages[:, None] - services[None, :], 0, omega)                  # (n_member, n_service)
        career_profile = (cumulative[..., member_ages][..., :, None] - cumulative[..., low]) / np.maximum(services, 1)
    floor = _path("minimum_pension", rules.minimum_pension, n_years, lower=0, what="pension")
    cap = None if rules.maximum_pension is None else _path("maximum_pension", rules.maximum_pension, n_years, lower=0,
                                                           what="pension")
    return {"profile": profile, "average_wage": average_wage, "ref_profile": profile_capped[..., grid["members"]],
            "final_profile": np.moveaxis(profile_capped[..., lagged], -2, -3),            # (..., N, 2, n_member)
            "career_profile": career_profile, "floor": floor, "cap": cap}


def _service_rules(rules: BenefitRules, n_service: int, service_share) -> dict:
    """Qualifying periods on the service grid, the early-retirement service mask, the exit share by service."""
    qualifying = {name: min(int(np.ceil(getattr(rules, name))), n_service) for name in
                  ("minimum_years", "disability_minimum_years", "survivor_minimum_years")}
    early_years = years_by_sex("early_minimum_years", rules.minimum_years if rules.early_minimum_years is None
                               else rules.early_minimum_years)
    early_first = np.minimum(np.ceil(early_years).astype(int), n_service)             # (sex,)
    services = np.arange(n_service)
    # service eligibility for early retirement when it differs by sex, internal layout (sex, 1, service, 1)
    early_service_mask = None if early_first[0] == early_first[1] else (
        services[None, :] >= early_first[:, None]).astype(float)[:, None, :, None]
    exit_share = exit_share_internal = None
    if service_share is not None:
        exit_share = np.concatenate([service_share, np.full(max(n_service - service_share.size, 0),
                                                             service_share[-1])])[:n_service]
        exit_share_internal = exit_share[None, None, :, None]
    return {"qualifying": qualifying, "early_first": early_first, "early_service_mask": early_service_mask,
            "exit_factor_given": service_share is not None, "exit_share": exit_share,
            "exit_share_internal": exit_share_internal, "settlement_rate": rules.settlement}


def resolve(membership: Membership, rules: BenefitRules, *, n_years: int, exposure: str, detail: str, engine: str,
            start_year, **args) -> Assumptions:
    """Check the arguments of :func:`project_insured` and resolve them into :class:`Assumptions`.

    ``args`` are the other keyword arguments of :func:`project_insured`, all of them (its defaults
    included). The checks run in a fixed order, so that the first error named is the same whatever
    else is wrong.

    Raises
    ------
    ValueError
        Each bad argument, as listed in :func:`project_insured`.
    """
    n_years = _check_options(membership, rules, n_years, exposure, detail, engine)
    n_age = membership.ages.size
    omega, entry = n_age - 1, membership.min_entry_age
    schedules = _schedules(n_years, n_age, args)
    has_early = bool(np.any(schedules["early_schedule"] > 0))
    ages = _ages(rules, entry, omega, n_years, has_early, args)
    grid = _member_grid(membership, entry, ages["retire"])
    grid["retire"] = ages["retire"]
    entrant_total, shares, has_entrants = _entrants(args["new_entrants"], args["entrant_distribution"], n_years,
                                                    n_age, entry, ages["retire"])
    economy = _economy(rules, n_years, args)
    wages = _wages(membership, rules, n_years, grid,
                   {"entrant_total": entrant_total, "shares": shares, "has_entrants": has_entrants},
                   economy["index"], args)
    count_batch = np.broadcast_shapes(membership.batch_shape, *(schedules[key].shape[:-3] for key in (
        "qx", "qx_disabled", "incidence", "withdrawal", "reentry", "exit_schedule", "early_schedule", "density",
        "married", "orphans")), entrant_total.shape[:-1], shares.shape[:-3])
    layout = _Layout(count_batch)
    n_member, n_service = grid["n_member"], grid["n_service"]
    kernels = _kernels(engine, n_values=2 * n_member * n_service * layout.size * n_years)
    cap, index_cap = wages["cap"], economy["index_cap"]
    money_batch = np.broadcast_shapes(economy.pop("money_batch"), wages["profile"].shape[:-2],
                                      wages["floor"].shape[:-1], () if cap is None else cap.shape[:-1],
                                      () if index_cap is None else index_cap.shape[:-1])
    grid.pop("retire")
    return Assumptions(
        membership=membership, rules=rules, n_years=n_years, n_age=n_age, omega=omega, entry=entry,
        exposure=exposure, detail=detail, start_year=start_year, **schedules, **_ages_kept(ages), **grid,
        entrant_total=entrant_total, shares=shares, **economy, **wages, count_batch=count_batch, layout=layout,
        kernels=kernels,
        use_thresholds=rules.reference_wage == "final" and int(np.prod(money_batch, dtype=np.int64)) > 1,
        money_fits=_fits(layout.batch, money_batch),                 # money scenarios within the members' batch
        **_service_rules(rules, n_service, ages["service_share"]),
    )


def _ages_kept(ages: dict) -> dict:
    """The ages of :func:`_ages` that :class:`Assumptions` keeps (the exit service share is resolved later)."""
    return {key: value for key, value in ages.items() if key != "service_share"}
