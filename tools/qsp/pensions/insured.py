"""Projection of the insured population of a pension scheme, in the manner of the ILO pension model.

State at each date (the valuation date is date 0, date t is the end of projection year t):

- active members (contributors) and inactive insured ``(..., sex, age, service)``, service in
  whole credited years ``0 .. S``;
- pensioners by type (old-age, disability, survivor, orphan) ``(..., sex, age)`` with the total
  annual amount of their pensions (the average pension is amount / number).

Projection year t (from date t-1 to date t) runs in this order:

1. **Indexation**: pensions in payment are adjusted by the rate of the rules' indexation
   (:func:`~qsp.pensions.benefits.indexation_rate`): ``theta g_t + (1 - theta) pi_t`` (wage
   growth ``g``, inflation ``pi``, indexation share ``theta``) or ``min(g_t, pi_t)``
   (``"lesser"``). With ``rules.indexation_cap`` ``C_t`` the increase of a cell of ``N``
   pensions of total amount ``P`` is ``min(r_t P, C_t N)`` (the cap applied to the cell's
   average pension; with ``rules.indexation_cap_indexed`` ``C_t = C prod_{k<=t} (1 + pi_k)``). The amounts of the membership file are those of year 0, so they are
   adjusted at the start of year 1 too.
2. **Retirement** at the start of the year: actives and inactives aged ``R_t(s)`` or more (the
   retirement age of year t and sex s) leave the insured population. Those with the qualifying
   period become old-age pensioners with a pension from the benefit formula (service,
   reference wage of year t, early/late adjustment against the normal retirement age); the
   others receive a lump-sum grant, paid in year t. Inactives with the qualifying period thus
   receive deferred pensions.
   **Early retirement** (when ``rules.early_retirement_age`` ``E_t(s)`` is set): of the actives
   and inactives aged ``E_t(s) <= x < R_t(s)`` with at least ``early_minimum_years`` of service,
   a fraction ``early_retirement_rate(s, x)`` retires at the same time, with the pension reduced
   by ``early_reduction`` per year before the normal retirement age.
3. **New entrants** join as actives with no service: ``E_t x distribution(sex, age)``.
4. **Decrements during the year**, by age at the start of the year ``x``. Actives: death
   ``q_x``, then disability ``i_x`` among the survivors, then exit with a lump-sum settlement
   ``e_x`` (``exit_rate``, times ``exit_service_factor(n)`` if given) among those left, then
   withdrawal to inactive ``w_x`` among those left (dependent probabilities applied in this
   order, so that ``deaths + disabled + exits + withdrawals <= actives`` whatever the rates).
   Members who exit leave the insured population with ``settlement_rate x n x W`` (service
   ``n``, reference wage ``W`` of year t), paid in year t and counted in ``lump_sums``.
   Inactives: death, then re-entry ``r_x`` into active membership (keeping their service).
   Pensioners: death (the disabled with their own table if given).
5. **New pensions at the end of the year**: qualifying disabled actives become disability
   pensioners (the others receive a grant); deaths of insured members with
   ``survivor_minimum_years`` of service and deaths of old-age and disability pensioners
   leave a widow(er) with probability ``proportion_married`` (sex of the deceased, age ``x``),
   of the other sex, aged ``x - d`` for a deceased man and ``x + d`` for a deceased woman
   (``d = spouse_age_difference``, clipped to the age grid), with ``survivor_rate`` times the
   deceased's pension; and ``orphans_per_death`` orphans aged ``x - parent_age_gap`` (half
   girls, half boys), each with ``orphan_rate`` times the deceased's pension. Orphans who would
   be at or above ``orphan_age_limit`` at the end of the year are not eligible and are not
   counted. Deaths of survivors and orphans generate no further pensions; deaths of insured
   members without the qualifying service generate none (no death grant is modelled).
6. **Ageing**: everyone still present is one year older at date t. Actives earn credited
   service: a fraction ``d`` (the contribution density of their sex and age) of each
   (sex, age, service) cell moves to ``service + 1`` and the rest stays: the expected service
   gained is ``d`` years, and the distribution spreads as a sum of yearly Bernoulli credits
   (a weighted shift along the service axis, vectorised). Inactives keep their service.
   Orphans who reach ``orphan_age_limit`` leave (end of entitlement).

The pension of a member with ``n`` years of service and reference wage ``W`` is that of
:class:`~qsp.pensions.benefits.BenefitRules`: ``clip(a min(n, n_max) W f, P_min, P_max)``. The
reference wage of an event in year t at age x is built from the wage profile ``w_0(s, x)`` (wage
at age x in year 0, fixed over time) and the wage index ``I_t``:

- ``"final"``: ``(1/N) sum_{k=1..N} I_{t-k} w_0(s, x - k)``, the nominal average of the wages of
  the N years before year t (index before the valuation extrapolated with ``past_wage_growth``);
- ``"career"``: ``I_{t-1} (1/n) sum_{k=1..n} w_0(s, x - k)``, the career average of the n
  credited years, each revalued with wages to year t - 1 (assuming the credited years are the
  years just before the event).

Wages are capped at ``wage_ceiling`` times the average wage of the year, both for
contributions and for reference wages (applied to the average wage of the age cell, an
approximation to capping each member's wage). Disability pensions use the credited service
(plus the years up to the normal retirement age if ``disability_future_service``), no early
reduction. Deferred pensions of inactives use the reference wage of an active of the same age.

Flows of year t are counted on the members present at the start of the year (after retirement
and entry; ``exposure="start"``) or on the average of the start and the end of the year
(``exposure="average"``, default, as the ILO pension model counts average contributors and
pensioners). Members are conserved every year: for actives
``A_{t-1} + entrants + re-entries = A_t + deaths + disabled + exits + withdrawals + retirements``
(retirements include early retirements), for
inactives ``I_{t-1} + withdrawals = I_t + deaths + re-entries + retirements``, for each type of
pension ``P_{t-1} + new = P_t + deaths + ended``; :meth:`InsuredProjection.conservation` returns
the residuals.

Only the loop over years is in Python; each year works on whole ``(..., sex, age, service)``
arrays. Counts carry the batch shape of the inputs that shape them (membership, mortality,
rates, entrants); money arrays carry that of every input (wages, inflation, limits too), so
economic scenarios do not multiply the work on the service distribution.

Speed: the hot yearly steps, the ageing of the service distributions with the credit of
service, the sums of the pensions awarded over service and the pensioners' year (deaths,
exposure, survivors' and orphans' pensions, ageing: about a hundred small numpy operations),
have an optional compiled version (numba, :mod:`._numba_kernels`, one pass each), chosen with
``engine=`` as in :mod:`qsp.demography._engine`; the numpy path stays the reference and the
tests check that both agree. Measured on the 75-year, 1,000-scenario run of
benchmarks/pensions.py (2 cores, shared): numpy about 7.5 s, numba about 3.8 s (4.2 s before the
pensioners' year was compiled); one scenario about 55 ms with numpy, 45 ms with numba.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_float_array, check_values
from ..demography import _engine
from .benefits import BenefitRules, ages_by_sex, indexation_rate, years_by_sex
from .membership import PENSION_TYPES, Membership

EXPOSURES = ("average", "start")
DETAILS = ("age", "total")

_COUNT_FLOWS = ("contributors", "entrants", "deaths_active", "deaths_inactive", "disabled", "disability_grants",
                "withdrawals", "reentries", "retired_active", "retired_inactive", "retirement_grants",
                "orphans_ending")
_MONEY_FLOWS = ("covered_wages", "insurable_earnings")

_NUMBA_MIN_VALUES = 1_000_000
"""With ``engine="auto"``, numba is used from this many service cells x years (``2 x member ages x
service values x scenarios x years``; the benchmark scheme has 390,000 per scenario over 75 years)
when numba is already imported, and at any size once the compiled kernels have run in the session
(the rule of :mod:`qsp.demography._engine`)."""
_KERNELS_MODULE = __name__.rsplit(".", 1)[0] + "._numba_kernels"


def _kernels(engine: str, *, n_values: int):
    """The compiled kernels module (:mod:`._numba_kernels`) to use, or None for the numpy path.

    The choice of :func:`qsp.demography._engine.choose`, for the kernels of this module.
    """
    import importlib
    import sys

    if engine not in _engine.ENGINES:
        raise ValueError(f"engine must be one of {_engine.ENGINES}, got {engine!r}.")
    if engine == "numpy":
        return None
    disabled = _engine.numba_disabled()
    if engine == "auto":
        loaded = sys.modules.get(_KERNELS_MODULE)
        ran = loaded is not None and bool(getattr(loaded.insured_end_of_year, "signatures", None))
        if disabled or not (ran or (n_values >= _NUMBA_MIN_VALUES and "numba" in sys.modules)):
            return None
    kernels = None
    if not disabled:
        try:
            kernels = importlib.import_module(_KERNELS_MODULE)
        except ImportError:
            kernels = None
    if engine == "numba" and kernels is None:
        reason = (f"it is disabled by the environment variable {_engine.DISABLE_VARIABLE}" if disabled
                  else "it is not installed (pip install numba, or the kit's 'fast' extra)")
        raise ValueError(f"engine='numba' needs the optional numba package, but {reason}; use engine='numpy' or "
                         "engine='auto'.")
    return kernels


@dataclass(frozen=True, eq=False)
class InsuredProjection:
    """Result of :func:`project_insured`.

    Stocks are at the dates 0..n (date 0 = valuation date, date t = end of year t); flows are
    those of the projection years 1..n. With ``detail="age"`` arrays end with ``(sex, age)``
    on the full age grid; with ``detail="total"`` the (sex, age) axes are summed away.

    Attributes
    ----------
    years : ndarray, shape (n,)
        Labels of the projection years (``start_year + 0 .. n-1``, default 1..n).
    ages : ndarray
        Single ages ``0 .. omega``.
    actives, inactives : ndarray, shape (..., n + 1, sex, age)
        Active and inactive insured at each date.
    pensioners : dict of str -> ndarray, shape (..., n + 1, sex, age)
        Pensioners at each date, by type (:data:`~qsp.pensions.membership.PENSION_TYPES`).
    pension_amounts : dict of str -> ndarray, shape (..., n + 1, sex, age)
        Total annual amount of the pensions in payment at each date (before the indexation of
        the next year), by type.
    contributors : ndarray, shape (..., n, sex, age)
        Contributors of each year (exposure times contribution density: full-year equivalents).
    covered_wages, insurable_earnings : ndarray, shape (..., n, sex, age)
        Wages of the contributors of each year, without and with the ceiling (money per year).
        ``insurable_earnings`` is the contribution base.
    pensioners_exposed : dict of str -> ndarray, shape (..., n, sex, age)
        Pensioners counted in each year's expenditure (start or average, see ``exposure``).
    expenditure : dict of str -> ndarray, shape (..., n, sex, age)
        Pension expenditure of each year by type (money per year).
    new_pensioners, new_pension_amounts, pensioner_deaths : dict of str -> ndarray, shape (..., n, sex, age)
        New pensions awarded in each year (number and total annual amount; old-age pensions
        at the age at retirement, the others at the age at the end of the year) and deaths of
        pensioners (at the age at the start of the year).
    entrants, deaths_active, deaths_inactive, disabled, disability_grants, withdrawals, reentries,
    retired_active, retired_inactive, retirement_grants, orphans_ending : ndarray, shape (..., n, sex, age)
        Flows of members in each year. ``disabled`` includes the disabled without the
        qualifying period (``disability_grants``); ``retired_*`` include those who leave at the
        retirement age with a grant (``retirement_grants``).
    lump_sums : ndarray, shape (..., n)
        Lump-sum grants paid in each year (money).
    average_wage : ndarray, shape (..., n)
        Average wage of each year, ``W_0 I_t`` (the basis of the ceiling).
    wage_index : ndarray, shape (..., n)
        ``I_t``, 1 in year 0.
    final_actives, final_inactives : ndarray, shape (..., sex, age, service)
        The service distribution at date n, on the full age grid; the service axis is the
        projection's, ``0 .. (highest member age - min_entry_age)``.
    retirement_age : ndarray, shape (n,) or (n, 2)
        Retirement age of each year: shape (n,) when it is the same for both sexes, (n, sex)
        otherwise (see ``retirement_age_by_sex``).
    exposure, detail : str
        The options used.
    exits : ndarray, shape (..., n, sex, age)
        Actives who leave the insured population with a lump-sum settlement (``exit_rate``).
    settlements : ndarray, shape (..., n)
        Settlements paid to them (money); included in ``lump_sums``.
    early_retired_active, early_retired_inactive : ndarray, shape (..., n, sex, age)
        Early retirements (included in ``retired_active`` / ``retired_inactive``), at the age at
        retirement.
    retirement_age_by_sex : ndarray, shape (n, 2)
        Retirement age of each year and sex.
    """

    years: np.ndarray
    ages: np.ndarray
    actives: np.ndarray
    inactives: np.ndarray
    pensioners: dict
    pension_amounts: dict
    contributors: np.ndarray
    covered_wages: np.ndarray
    insurable_earnings: np.ndarray
    pensioners_exposed: dict
    expenditure: dict
    new_pensioners: dict
    new_pension_amounts: dict
    pensioner_deaths: dict
    entrants: np.ndarray
    deaths_active: np.ndarray
    deaths_inactive: np.ndarray
    disabled: np.ndarray
    disability_grants: np.ndarray
    withdrawals: np.ndarray
    reentries: np.ndarray
    retired_active: np.ndarray
    retired_inactive: np.ndarray
    retirement_grants: np.ndarray
    orphans_ending: np.ndarray
    lump_sums: np.ndarray
    average_wage: np.ndarray
    wage_index: np.ndarray
    final_actives: np.ndarray
    final_inactives: np.ndarray
    retirement_age: np.ndarray
    exposure: str
    detail: str
    exits: np.ndarray = None
    settlements: np.ndarray = None
    early_retired_active: np.ndarray = None
    early_retired_inactive: np.ndarray = None
    retirement_age_by_sex: np.ndarray = None

    def total(self, values) -> np.ndarray:
        """Sum over (sex, age) of a stock or flow (a no-op with ``detail="total"``); a dict is summed over types too."""
        if isinstance(values, dict):
            return sum(self.total(v) for v in values.values())
        values = np.asarray(values)
        return values if self.detail == "total" else values.sum(axis=(-2, -1))

    @property
    def pension_expenditure(self) -> np.ndarray:
        """Expenditure on pensions of all types in each year, shape ``(..., n)`` (lump sums not included)."""
        return self.total(self.expenditure)

    @property
    def benefit_expenditure(self) -> np.ndarray:
        """Pensions of all types plus lump-sum grants in each year, shape ``(..., n)``."""
        return self.pension_expenditure + self.lump_sums

    @property
    def number_of_contributors(self) -> np.ndarray:
        """Contributors (full-year equivalents) in each year, shape ``(..., n)``."""
        return self.total(self.contributors)

    @property
    def number_of_pensioners(self) -> np.ndarray:
        """Pensioners of all types counted in each year's expenditure, shape ``(..., n)``."""
        return self.total(self.pensioners_exposed)

    def conservation(self) -> dict[str, np.ndarray]:
        """Residuals of the yearly balances of members, shape ``(..., n)`` each (zero up to rounding).

        ``actives``: ``A_{t-1} + entrants + reentries - A_t - deaths - disabled - exits - withdrawals -
        retired`` (retired including early retirements); ``inactives``: ``I_{t-1} + withdrawals - I_t - deaths - reentries - retired``;
        ``insured``: their sum; ``pensioners_<type>``: ``P_{t-1} + new - P_t - deaths - ended``.
        """
        total = self.total
        actives = total(self.actives)
        inactives = total(self.inactives)
        result = {
            "actives": actives[..., :-1] + total(self.entrants) + total(self.reentries) - actives[..., 1:]
            - total(self.deaths_active) - total(self.disabled) - total(self.exits) - total(self.withdrawals)
            - total(self.retired_active),
            "inactives": inactives[..., :-1] + total(self.withdrawals) - inactives[..., 1:]
            - total(self.deaths_inactive) - total(self.reentries) - total(self.retired_inactive),
        }
        result["insured"] = result["actives"] + result["inactives"]
        for name in PENSION_TYPES:
            stock = total(self.pensioners[name])
            ended = total(self.orphans_ending) if name == "orphan" else 0.0
            result[f"pensioners_{name}"] = (stock[..., :-1] + total(self.new_pensioners[name]) - stock[..., 1:]
                                            - total(self.pensioner_deaths[name]) - ended)
        return result

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame` of the yearly totals: scenario (with a batch), year, variable, value.

        Variables: contributors, insurable_earnings, covered_wages, actives and inactives (end
        of year), pensioners_<type> (exposed), expenditure_<type>, lump_sums (settlements
        included), settlements, entrants, deaths_active, disabled, exits, withdrawals,
        reentries, retired_active, retired_inactive, early_retired, average_wage.
        """
        from ..economy._frame import long_frame

        total = self.total
        variables = {
            "contributors": total(self.contributors),
            "insurable_earnings": total(self.insurable_earnings),
            "covered_wages": total(self.covered_wages),
            "actives": total(self.actives)[..., 1:],
            "inactives": total(self.inactives)[..., 1:],
        }
        for name in PENSION_TYPES:
            variables[f"pensioners_{name}"] = total(self.pensioners_exposed[name])
        for name in PENSION_TYPES:
            variables[f"expenditure_{name}"] = total(self.expenditure[name])
        variables["lump_sums"] = self.lump_sums
        variables["settlements"] = self.settlements
        for name in ("entrants", "deaths_active", "disabled", "exits", "withdrawals", "reentries", "retired_active",
                     "retired_inactive"):
            variables[name] = total(getattr(self, name))
        variables["early_retired"] = total(self.early_retired_active) + total(self.early_retired_inactive)
        variables["average_wage"] = self.average_wage
        return long_frame(self.years, variables)


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
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
# the projection
# ---------------------------------------------------------------------------------------------
def project_insured(
    membership: Membership,
    rules: BenefitRules,
    *,
    n_years: int,
    mortality,
    new_entrants: ArrayLike = 0.0,
    entrant_distribution: ArrayLike | None = None,
    disability_incidence: ArrayLike = 0.0,
    withdrawal_rate: ArrayLike = 0.0,
    reentry_rate: ArrayLike = 0.0,
    exit_rate: ArrayLike = 0.0,
    exit_service_factor: ArrayLike | None = None,
    early_retirement_rate: ArrayLike = 0.0,
    contribution_density: ArrayLike = 1.0,
    retirement_age: ArrayLike | None = None,
    wages: ArrayLike | None = None,
    wage_growth: ArrayLike = 0.0,
    price_inflation: ArrayLike = 0.0,
    past_wage_growth: ArrayLike | None = None,
    wage_ceiling: float | None = None,
    proportion_married: ArrayLike = 0.0,
    spouse_age_difference: int = 3,
    orphans_per_death: ArrayLike = 0.0,
    parent_age_gap: int = 30,
    disabled_mortality=None,
    exposure: str = "average",
    start_year: int | None = None,
    detail: str = "age",
    engine: str = "auto",
) -> InsuredProjection:
    """Project actives, inactives and pensioners of a defined-benefit scheme year by year.

    See the module docstring for the order of events within a year and the formulas. Assumptions
    by sex and age are ``(sex, age)`` arrays on the age grid of ``mortality`` (constant over
    time), or ``(..., year, sex, age)`` with a year axis of ``n_years`` (or 1) entries; leading
    axes are scenarios and broadcast. Quantities by year are a number, ``(..., 1)`` or
    ``(..., n_years)`` (entry k for projection year k + 1).

    Parameters
    ----------
    membership : Membership
        The valuation-date membership (:func:`load_membership`, :func:`membership_from_arrays`).
    rules : BenefitRules
        The benefit provisions.
    n_years : int
        Number of projection years.
    mortality : array_like or LifeTable
        Probabilities of dying within the year ``q_x`` by sex and age (e.g.
        ``qsp.demography.life_table(mx).qx``), applied to everyone (age at the start of the year).
    new_entrants : float or array_like, default 0
        Number of new entrants in each year (>= 0).
    entrant_distribution : array_like, optional
        Shares of the entrants by sex and age (each year's shares sum to 1), zero below
        ``membership.min_entry_age`` and at or above the retirement age. Required with entrants.
    disability_incidence, withdrawal_rate, reentry_rate : array_like, default 0
        Probabilities per year by sex and age (see the module docstring), in [0, 1].
        ``withdrawal_rate`` moves actives to the inactive insured (they keep their service and
        rights).
    exit_rate : array_like, default 0
        Probability per year by sex and age that an active member (alive and not disabled)
        leaves the insured population with a lump-sum settlement ``rules.settlement_rate x n x
        W`` (e.g. migrant workers leaving the country), in [0, 1]. Default 0: nobody exits.
    exit_service_factor : array_like, shape (k,), optional
        Share of ``exit_rate`` that applies at credited service ``0 .. k-1`` (the last entry for
        all longer service), in [0, 1]: e.g. ``np.arange(40) < 15`` lets only members without
        15 years exit (a service band). Default None: the same rate at every service.
    early_retirement_rate : array_like, default 0
        Probability by sex and age that an active or inactive member who may retire early
        (aged from ``rules.early_retirement_age`` to the retirement age, with
        ``rules.early_minimum_years`` of service) retires at the start of the year, in [0, 1].
        Needs ``rules.early_retirement_age``.
    contribution_density : array_like, default 1
        Share of the year an active member contributes, by sex and age, in [0, 1]: it scales the
        contributors and the service credited (a fraction ``d`` of each cell gains a year).
    retirement_age : int, sequence, (year, sex) array or mapping, optional
        Age at which members retire, one per year if it changes, by sex if it differs
        (``{"female": 55, "male": 60}``; the forms of :func:`~qsp.pensions.benefits.ages_by_sex`);
        default the rules' ``normal_retirement_age``. Must lie on the age grid, above
        ``min_entry_age``.
    wages : array_like, shape (..., sex, age), optional
        Annual wage by sex and age in year 0 (the wage profile, salary scale times the average
        wage). Default: :meth:`Membership.wage_by_age`.
    wage_growth, price_inflation : float or array_like, default 0
        Nominal growth of wages and prices in each projection year (> -1).
    past_wage_growth : float or array_like, optional
        Wage growth assumed for the years before the valuation date, used by final-average
        reference wages (default: the growth of the first projection year).
    wage_ceiling : float, optional
        Insurable earnings ceiling as a multiple of the average wage (e.g. 2.5); default none.
    proportion_married : array_like, default 0
        Probability that a deceased member or pensioner of that sex and age leaves an eligible
        widow(er). There is no neutral default: 0 means no survivors' pensions.
    spouse_age_difference : int, default 3
        Years by which husbands are older than their wives.
    orphans_per_death : array_like, default 0
        Expected number of eligible orphans left by a deceased of that sex and age (>= 0).
    parent_age_gap : int, default 30
        Age of the deceased minus the age of the orphans.
    disabled_mortality : array_like or LifeTable, optional
        ``q_x`` of disability pensioners (default ``mortality``).
    exposure : {"average", "start"}, default "average"
        Members counted in the flows of a year: the average of the start and the end of the year
        (after retirement and entry at the start), or the start only.
    start_year : int, optional
        Calendar label of projection year 1 (default: years labelled 1..n).
    detail : {"age", "total"}, default "age"
        Keep stocks and flows by (sex, age), or only their totals (for large batches).
    engine : {"auto", "numpy", "numba"}, default "auto"
        How the yearly update of the service distributions (ageing, credit of service), the
        sums of the pensions awarded and the pensioners' year are computed: with numpy, or with
        the optional compiled kernels (numba, one pass each). The engines agree to rounding (1e-10
        relative). ``"auto"`` uses numba when it is installed and either the kernels have already
        run in this session or the projection is large (at least ``_NUMBA_MIN_VALUES`` service
        cells x years, about 3 scenarios of 75 years) and numba is already imported; otherwise
        numpy (importing numba takes about a second). ``"numba"`` always uses it (compiling once
        per installation, a few seconds); the environment variable ``QSP_DISABLE_NUMBA=1`` turns
        it off, as in a Python without numba (see :mod:`qsp.demography._engine`).

    Returns
    -------
    InsuredProjection
        Stocks at dates 0..n, flows of years 1..n, ``.conservation()``, ``.to_frame()``.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1], negative entrants, a retirement age outside the age grid
        (or not above ``min_entry_age``), an early-retirement rate without an early-retirement
        age, an exit service factor outside [0, 1], entrant shares that do not sum to 1 or fall outside the
        working ages, mortality on another age grid than the membership, unknown options, shapes
        that do not broadcast; each naming the argument and the year, sex and age;
        ``engine="numba"`` without numba.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, project_insured
    >>> actives = np.zeros((2, 101, 86))
    >>> actives[:, 40, 20] = 1000.0                      # 1,000 women and 1,000 men aged 40, 20 years' service
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 12000.0))
    >>> qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    >>> rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60)
    >>> result = project_insured(members, rules, n_years=30, mortality=qx, wages=np.full((2, 101), 12000.0),
    ...                          exposure="start")
    >>> result.number_of_contributors[[0, 19]].round(1).tolist()
    [2000.0, 1171.4]
    >>> int(result.total(result.new_pensioners["old_age"])[20])       # all survivors retire in year 21
    1105
    >>> float(result.new_pension_amounts["old_age"][20].sum() / result.new_pensioners["old_age"][20].sum())
    9600.0

    References
    ----------
    Plamondon, P., Drouin, A., Binet, G., Cichon, M., McGillivray, W. R., Bédard, M. and
    Perez-Montas, H. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, Quantitative
    Methods in Social Protection, ch. 4-6 (projection of the insured population, benefits).
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2-4.
    ILO (1997). *The ILO Pension Model: A Technical Guide*. Geneva, ILO.
    """
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
    n_years = int(n_years)
    n_age = membership.ages.size
    omega = n_age - 1
    entry = membership.min_entry_age

    # -- schedules by (sex, age) ----------------------------------------------------------------
    qx = _schedule("mortality", mortality, n_years, n_age, what="probability of dying")
    if qx.shape[-1] != n_age:
        raise ValueError(f"mortality must give q_x for every age 0..{omega} of the membership (shape (..., sex, "
                         f"{n_age})), got shape {qx.shape}.")
    qx_disabled = qx if disabled_mortality is None else _schedule("disabled_mortality", disabled_mortality, n_years,
                                                                  n_age, what="probability of dying")
    incidence = _schedule("disability_incidence", disability_incidence, n_years, n_age, what="probability")
    withdrawal = _schedule("withdrawal_rate", withdrawal_rate, n_years, n_age, what="probability")
    reentry = _schedule("reentry_rate", reentry_rate, n_years, n_age, what="probability")
    exit_schedule = _schedule("exit_rate", exit_rate, n_years, n_age, what="probability")
    early_schedule = _schedule("early_retirement_rate", early_retirement_rate, n_years, n_age, what="probability")
    has_exits = bool(np.any(exit_schedule > 0))
    has_early = bool(np.any(early_schedule > 0))
    density = _schedule("contribution_density", contribution_density, n_years, n_age, what="density")
    married = _schedule("proportion_married", proportion_married, n_years, n_age, what="proportion")
    orphans = _schedule("orphans_per_death", orphans_per_death, n_years, n_age, upper=None,
                        what="number of orphans")

    # -- ages ------------------------------------------------------------------------------------
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
    if exit_service_factor is not None:
        service_share = check_values("exit_service_factor", exit_service_factor, trailing=("service",), lower=0,
                                     upper=1, what="share", hint="Give the share of exit_rate that applies at each "
                                     "credited service 0, 1, 2, ... (1 = the full rate, 0 = no exits).")
        if service_share.ndim != 1 or service_share.size == 0:
            raise ValueError(f"exit_service_factor must be one share per credited service 0, 1, ... (shape (k,)), "
                             f"got shape {service_share.shape}.")
    if int(spouse_age_difference) != spouse_age_difference or abs(spouse_age_difference) > omega:
        raise ValueError(f"spouse_age_difference must be a whole number of years, got {spouse_age_difference!r}.")
    if int(parent_age_gap) != parent_age_gap or not 0 <= parent_age_gap <= omega:
        raise ValueError(f"parent_age_gap must be a whole number of years between 0 and {omega}, "
                         f"got {parent_age_gap!r}.")

    members_present = (membership.actives + membership.inactives).sum(axis=tuple(range(membership.actives.ndim - 3))
                                                                        + (-3, -1))
    oldest = int(np.max(np.nonzero(members_present)[0])) if members_present.any() else entry
    top = max(int(retire.max()), oldest)
    member_ages = np.arange(entry, top + 1)
    n_member = member_ages.size
    n_service = n_member                                   # service 0 .. top - entry
    members = slice(entry, top + 1)

    # -- entrants --------------------------------------------------------------------------------
    entrant_total = _path("new_entrants", new_entrants, n_years, lower=0, what="number of entrants")
    has_entrants = bool(np.any(entrant_total > 0))
    if has_entrants:
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
    else:
        shares = np.zeros((1, 2, n_age))

    # -- economy ---------------------------------------------------------------------------------
    rate_hint = "Growth rates are fractions per year (0.03 for 3%), greater than -1."
    growth = _path("wage_growth", wage_growth, n_years, lower=-1, lower_inclusive=False, what="growth rate",
                   hint=rate_hint)
    inflation = _path("price_inflation", price_inflation, n_years, lower=-1, lower_inclusive=False,
                      what="inflation rate", hint=rate_hint)
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

    if wages is None:
        if not np.all(membership.actives.sum(axis=(-3, -2, -1)) > 0):
            raise ValueError("the membership has no active members to take a wage profile from: give wages (the "
                             "annual wage by sex and age in year 0, shape (2, n_age)).")
        profile = membership.wage_by_age()
    else:
        profile = check_values("wages", wages, lower=0, what="wage")
        if profile.ndim < 2 or profile.shape[-2:] != (2, n_age):
            raise ValueError(f"wages must be (..., sex, age) with shape (..., 2, {n_age}), got {profile.shape}.")
    # the average wage of year 0 (basis of the ceiling): over the actives, else the entrants, else the working ages
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
    average_wage = average0[..., None] * index                     # (..., n)
    if wage_ceiling is not None:
        ceiling = float(check_values("wage_ceiling", wage_ceiling, trailing=(), lower=0, lower_inclusive=False,
                                     what="multiple of the average wage", hint="e.g. 2.5 for 2.5 times the average."))
        profile_capped = np.minimum(profile, ceiling * average0[..., None, None])
    else:
        profile_capped = profile
    ref_profile = profile_capped[..., members]                    # (..., 2, n_member)
    # final average: w0c(s, x - k), k = 1..N, for member ages x
    lagged = np.clip(member_ages[None, :] - np.arange(1, n_ref + 1)[:, None], 0, omega)     # (N, n_member)
    final_profile = np.moveaxis(profile_capped[..., lagged], -2, -3)                        # (..., N, 2, n_member)
    if rules.reference_wage == "career":
        cumulative = np.concatenate([np.zeros(profile_capped.shape[:-1] + (1,)), np.cumsum(profile_capped, axis=-1)],
                                    axis=-1)                                               # C[j] = sum_{a<j}
        services = np.arange(n_service)
        low = np.clip(member_ages[:, None] - services[None, :], 0, omega)                  # (n_member, n_service)
        career_profile = (cumulative[..., member_ages][..., :, None] - cumulative[..., low]) / np.maximum(services, 1)
    floor = _path("minimum_pension", rules.minimum_pension, n_years, lower=0, what="pension")
    cap = None if rules.maximum_pension is None else _path("maximum_pension", rules.maximum_pension, n_years, lower=0,
                                                           what="pension")

    # -- state -----------------------------------------------------------------------------------
    # Actives and inactives live in an internal layout (sex, age, service, batch) with the flattened
    # batch innermost: the yearly passes over them are then contiguous (measured: about 1.7 times
    # faster than (batch, sex, age, service) for shifted slices). Everything else is (..., sex, age).
    def grid(arr):
        """Membership cells on the projection grid (member ages, service 0 .. n_service - 1)."""
        out = arr[..., members, :n_service]
        if out.shape[-1] < n_service:
            out = np.concatenate([out, np.zeros(out.shape[:-1] + (n_service - out.shape[-1],))], axis=-1)
        return out

    count_batch = np.broadcast_shapes(membership.batch_shape, qx.shape[:-3], qx_disabled.shape[:-3],
                                      incidence.shape[:-3], withdrawal.shape[:-3], reentry.shape[:-3],
                                      exit_schedule.shape[:-3], early_schedule.shape[:-3],
                                      density.shape[:-3], married.shape[:-3], orphans.shape[:-3],
                                      entrant_total.shape[:-1], shares.shape[:-3])
    layout = _Layout(count_batch)
    kernels = _kernels(engine, n_values=2 * n_member * n_service * layout.size * n_years)
    actives = layout.state(grid(membership.actives))
    inactives = layout.state(grid(membership.inactives))
    actives_next, inactives_next, scratch = (np.empty(actives.shape) for _ in range(3))
    active_count = layout.full(grid(membership.actives).sum(axis=-1))        # by (sex, member age), tracked
    inactive_count = layout.full(grid(membership.inactives).sum(axis=-1))
    pensioners = np.broadcast_to(membership.pensioners, count_batch + membership.pensioners.shape[-3:]).copy()
    amounts = membership.pensioners * membership.pension_amounts                    # total annual amounts

    money_batch = np.broadcast_shapes(money_batch, profile.shape[:-2], floor.shape[:-1],
                                      () if cap is None else cap.shape[:-1],
                                      () if index_cap is None else index_cap.shape[:-1])
    use_thresholds = rules.reference_wage == "final" and int(np.prod(money_batch, dtype=np.int64)) > 1
    money_fits = _fits(layout.batch, money_batch)          # money scenarios within the members' batch
    qualifying = {name: min(int(np.ceil(getattr(rules, name))), n_service) for name in
                  ("minimum_years", "disability_minimum_years", "survivor_minimum_years")}
    early_years = years_by_sex("early_minimum_years", rules.minimum_years if rules.early_minimum_years is None
                               else rules.early_minimum_years)
    early_first = np.minimum(np.ceil(early_years).astype(int), n_service)             # (sex,)
    services = np.arange(n_service)
    # service eligibility for early retirement when it differs by sex, internal layout (sex, 1, service, 1)
    early_service_mask = None if early_first[0] == early_first[1] else (
        services[None, :] >= early_first[:, None]).astype(float)[:, None, :, None]
    if exit_service_factor is not None:
        exit_share = np.concatenate([service_share, np.full(max(n_service - service_share.size, 0),
                                                             service_share[-1])])[:n_service]
        exit_share_internal = exit_share[None, None, :, None]
    settlement_rate = rules.settlement
    no_future = np.zeros(n_member)
    award = _Award(rules.accrual_rate, rules.maximum_years, use_thresholds, layout, actives.shape, kernels)

    ages = np.arange(n_age)
    record = _Recorder(detail)
    stock = _Recorder(detail)

    def embed(values):
        """Member-grid (..., 2, n_member) values on the full age grid."""
        out = np.zeros(values.shape[:-1] + (n_age,))
        out[..., members] = values
        return out

    def put_stocks():
        stock.add("actives", embed(active_count))
        stock.add("inactives", embed(inactive_count))
        if kernels is not None and detail == "total":  # the sums by type in one call per array
            for label, values in (("pensioners", pensioners), ("amounts", amounts)):
                sums = values.sum(axis=(-2, -1))[..., None, None]
                for k, name in enumerate(PENSION_TYPES):
                    stock.keep(f"{label}_{name}", sums[..., k, :, :])
            return
        for k, name in enumerate(PENSION_TYPES):
            stock.add(f"pensioners_{name}", pensioners[..., k, :, :])
            stock.add(f"amounts_{name}", amounts[..., k, :, :])

    def adjustment_at(ages, normal):
        """Early/late factor by (sex, age) against the normal ages ``normal`` (sex,), or None without adjustment."""
        if not (rules.early_reduction or rules.late_increment):
            return None
        gap = ages[None, :] - normal[:, None]
        return np.maximum(1.0 - rules.early_reduction * np.maximum(-gap, 0)
                          + rules.late_increment * np.maximum(gap, 0), 0.0)

    def place(values, start):
        """Values for member ages ``start .. start + k - 1`` on the member grid (zeros elsewhere)."""
        out = np.zeros(values.shape[:-1] + (n_member,))
        out[..., start:start + values.shape[-1]] = values
        return out

    put_stocks()
    lump_sums, settlements = [], []
    pensioner_buffers: list[np.ndarray] = []                 # the compiled pensioners' year reuses these
    for t in range(n_years):
        # 1. indexation of pensions in payment (a cap in money per pension, on the cell averages)
        rate_year = _at(adjustment_rate, t, -1)[..., None, None, None]
        if index_cap is None:
            amounts = _multiply_in_place(amounts, 1.0 + rate_year)
        else:
            cap_year = _at(index_cap, t, -1)[..., None, None, None]
            amounts = amounts + np.minimum(amounts * rate_year, cap_year * pensioners)
        lower = _at(floor, t, -1)
        upper = None if cap is None else _at(cap, t, -1)

        # reference wages of projection year t + 1, member ages
        if rules.reference_wage == "career":
            level = index_ext[..., t + n_ref - 1]                                     # I_t (the year before)
            ref_final, ref_career = None, level[..., None, None, None] * career_profile
            reference = ref_career                                                    # (..., 2, n_member, n_service)
        else:
            window = index_ext[..., t:t + n_ref][..., ::-1]                           # I_t, ..., I_{t+1-N}
            ref_final = (window[..., :, None, None] * final_profile).sum(axis=-3) / n_ref   # (..., 2, n_member)
            ref_career, reference = None, ref_final[..., None]

        # 2. retirement at the start of the year (from the lower of the two sexes' ages, masked by sex)
        first = int(retire[t].min()) - entry
        retired_ages = slice(entry + first, top + 1)
        by_sex = retire[t, 0] != retire[t, 1]
        leaving = actives[:, first:] + inactives[:, first:]                          # internal layout
        if by_sex:
            retiring = (member_ages[first:][None, :] >= retire[t][:, None]).astype(float)   # (sex, ages from first)
            leaving *= retiring[:, :, None, None]
        adjustment = adjustment_at(member_ages[first:], normal_age[t])
        leaving_count = active_count[..., first:] + inactive_count[..., first:]
        if by_sex:
            leaving_count = leaving_count * retiring
            retired_active_now = _pad(active_count[..., first:] * retiring, first)
            retired_inactive_now = _pad(inactive_count[..., first:] * retiring, first)
        else:
            retired_active_now = _pad(active_count[..., first:], first)
            retired_inactive_now = _pad(inactive_count[..., first:], first)
        new_old_age_amount, new_old_age = award(
            leaving, leaving_count, qualifying["minimum_years"], no_future[first:], adjustment,
            None if ref_final is None else ref_final[..., first:],
            None if ref_career is None else ref_career[..., first:, :], lower, upper)
        not_qualified = layout.public(leaving[:, :, :qualifying["minimum_years"]])
        retirement_grants = leaving_count - new_old_age
        grants_paid = rules.grant_rate * _grant_base(not_qualified, reference[..., first:, :])
        record.add("retirement_grants", embed(_pad(retirement_grants, first)))
        active_count = active_count.copy()
        inactive_count = inactive_count.copy()
        if by_sex:
            staying_on = (1.0 - retiring)
            actives[:, first:] *= staying_on[:, :, None, None]
            inactives[:, first:] *= staying_on[:, :, None, None]
            active_count[..., first:] *= staying_on
            inactive_count[..., first:] *= staying_on
        else:
            actives[:, first:] = 0.0
            inactives[:, first:] = 0.0
            active_count[..., first:] = 0.0
            inactive_count[..., first:] = 0.0
        pensioners[..., 0, :, retired_ages] += new_old_age
        amounts = np.broadcast_to(amounts, np.broadcast_shapes(amounts.shape, new_old_age_amount.shape[:-2]
                                                               + amounts.shape[-3:])).copy()
        amounts[..., 0, :, retired_ages] += new_old_age_amount
        new_old_age_full = np.zeros(new_old_age.shape[:-2] + (2, n_age))
        new_old_age_full[..., retired_ages] = new_old_age
        new_old_age_amount_full = np.zeros(new_old_age_amount.shape[:-2] + (2, n_age))
        new_old_age_amount_full[..., retired_ages] = new_old_age_amount

        # early retirement: a share of those aged E_t(s) .. R_t(s) - 1 with the early qualifying service
        early_active_now = early_inactive_now = np.zeros((2, n_member))
        if early_age is not None:
            low, high = int(early_age[t].min()) - entry, int(retire[t].max()) - entry     # member-grid window
            if high > low:
                window_ages = member_ages[low:high]
                allowed = (window_ages[None, :] >= early_age[t][:, None]) & (window_ages[None, :] < retire[t][:, None])
                chance = _at(early_schedule, t, -3)[..., members][..., low:high] * allowed         # (..., sex, ages)
                cells = layout.factor(chance)                                                  # (sex, ages, 1, B)
                if early_service_mask is not None:
                    cells = cells * early_service_mask
                from_first = int(early_first.min())
                early_active_cells = actives[:, low:high] * cells
                early_inactive_cells = inactives[:, low:high] * cells
                early_active_cells[:, :, :from_first] = 0.0
                early_inactive_cells[:, :, :from_first] = 0.0
                actives[:, low:high] -= early_active_cells
                inactives[:, low:high] -= early_inactive_cells
                early_active = layout.reduced(early_active_cells.sum(axis=2))
                early_inactive = layout.reduced(early_inactive_cells.sum(axis=2))
                early_cells = early_active_cells + early_inactive_cells
                early_amount, early_number = award(
                    early_cells, early_active + early_inactive, from_first, no_future[low:high],
                    adjustment_at(window_ages, normal_age[t]), None if ref_final is None else ref_final[..., low:high],
                    None if ref_career is None else ref_career[..., low:high, :], lower, upper)
                active_count = active_count - place(early_active, low)
                inactive_count = inactive_count - place(early_inactive, low)
                early_active_now, early_inactive_now = place(early_active, low), place(early_inactive, low)
                early_ages = slice(entry + low, entry + high)
                pensioners = np.broadcast_to(pensioners, np.broadcast_shapes(
                    pensioners.shape, early_number.shape[:-2] + pensioners.shape[-3:])).copy()
                pensioners[..., 0, :, early_ages] += early_number
                amounts = np.broadcast_to(amounts, np.broadcast_shapes(amounts.shape, early_amount.shape[:-2]
                                                                       + amounts.shape[-3:])).copy()
                amounts[..., 0, :, early_ages] += early_amount
                new_old_age_full = new_old_age_full + embed(place(early_number, low))
                new_old_age_amount_full = new_old_age_amount_full + embed(place(early_amount, low))
        if early_age is not None:
            record.add("early_retired_active", embed(early_active_now))
            record.add("early_retired_inactive", embed(early_inactive_now))
            retired_active_now = retired_active_now + early_active_now
            retired_inactive_now = retired_inactive_now + early_inactive_now
        record.add("retired_active", embed(retired_active_now))
        record.add("retired_inactive", embed(retired_inactive_now))

        # 3. entrants
        entering = _at(entrant_total, t, -1)[..., None, None] * _at(shares, t, -3)[..., members]
        actives[:, :, 0, :] += layout.factor(entering)[:, :, 0, :]
        active_count = active_count + entering
        record.add("entrants", embed(entering))

        # 4. decrements during the year, as factors by (sex, age) applied to whole cells
        q_year = _at(qx, t, -3)
        dying = q_year[..., members]
        surviving = 1.0 - dying
        incidence_year = _at(incidence, t, -3)[..., members]
        withdrawal_year = _at(withdrawal, t, -3)[..., members]
        reentry_year = _at(reentry, t, -3)[..., members]
        disabling = surviving * incidence_year
        able = surviving * (1.0 - incidence_year)                    # actives alive and not disabled
        if has_exits:
            exit_year = _at(exit_schedule, t, -3)[..., members]
            if exit_service_factor is None:
                exit_base = active_count                             # exits: able x e x actives of the cell
                exiting = able * exit_year
                able = able * (1.0 - exit_year)
                kept = active_count
            else:                                                    # e x sum_n A_n f_n, by (sex, age)
                exit_base = layout.reduced(np.einsum("ijnb,n->ijb", actives, exit_share))
                exiting = able * exit_year
                kept = active_count - exit_year * exit_base          # actives left once the exits are out
            exits_now = exiting * exit_base
        else:
            kept = active_count
        withdrawing = able * withdrawal_year
        staying = able * (1.0 - withdrawal_year)                     # actives still active at the end
        reentering = surviving * reentry_year
        remaining = surviving * (1.0 - reentry_year)                  # inactives still inactive at the end
        density_year = _at(density, t, -3)[..., members]
        actives_end = staying * kept + reentering * inactive_count
        inactives_end = remaining * inactive_count + withdrawing * kept
        exposed_actives = active_count if exposure == "start" else 0.5 * (active_count + actives_end)
        contributing = exposed_actives * density_year
        record.add("contributors", embed(contributing))
        record.add("covered_wages", embed(contributing * profile[..., members] * index[..., t, None, None]))
        record.add("insurable_earnings", embed(contributing * ref_profile * index[..., t, None, None]))
        record.add("deaths_active", embed(dying * active_count))
        record.add("deaths_inactive", embed(dying * inactive_count))
        record.add("disabled", embed(disabling * active_count))
        record.add("withdrawals", embed(withdrawing * kept))
        if has_exits:
            record.add("exits", embed(exits_now))
        record.add("reentries", embed(reentering * inactive_count))

        # pensioners by type: the disabled die with q_disabled, the others with q (no stacked copy of q)
        q_disabled_year = q_year if disabled_mortality is None else _at(qx_disabled, t, -3)
        # numba engine: the pensioners' whole year is one compiled pass (below), when every array of it
        # fits in the batch of the members (the usual case); otherwise the numpy steps
        compiled_pensioners = (kernels is not None and money_fits
                               and _fits(layout.batch, pensioners.shape[:-3], amounts.shape[:-3]))
        if not compiled_pensioners:
            pensioner_deaths = _by_type(pensioners, q_year, q_disabled_year)
            pensioners_alive = pensioners - pensioner_deaths
            amounts_alive = _by_type(amounts, 1.0 - q_year, 1.0 - q_disabled_year)
            if exposure == "start":
                exposed_pensioners, paid = pensioners, amounts
            else:
                exposed_pensioners = pensioners + pensioners_alive
                exposed_pensioners *= 0.5
                paid = amounts + amounts_alive
                paid *= 0.5
            for k, name in enumerate(PENSION_TYPES):
                record.add(f"exposed_{name}", exposed_pensioners[..., k, :, :])
                record.add(f"expenditure_{name}", paid[..., k, :, :])
                record.add(f"deaths_{name}", pensioner_deaths[..., k, :, :])

        # 5. new pensions at the end of the year: disability, survivors, orphans
        survivor_from = qualifying["survivor_minimum_years"]
        base_actives, qualified_actives = award(actives, active_count, survivor_from, no_future, None, ref_final,
                                                ref_career, lower, upper)
        base_inactives, qualified_inactives = award(inactives, inactive_count, survivor_from, no_future, None,
                                                    ref_final, ref_career, lower, upper)
        disability_from = qualifying["disability_minimum_years"]
        if disability_from == survivor_from and not rules.disability_future_service:
            disability_sum, disability_qualified = base_actives, qualified_actives
        else:
            future = (np.maximum(normal_age[t][:, None] - member_ages[None, :], 0) if rules.disability_future_service
                      else no_future)
            disability_sum, disability_qualified = award(actives, active_count, disability_from, future, None,
                                                         ref_final, ref_career, lower, upper)
        new_disability = disabling * disability_qualified
        new_disability_amount = disabling * disability_sum
        disability_grants = disabling * (active_count - disability_qualified)
        record.add("disability_grants", embed(disability_grants))
        grants_paid = grants_paid + rules.grant_rate * _grant_base(
            layout.public(actives[:, :, :disability_from]), reference, factor=disabling)
        if has_exits:
            # settlements g x n x W of the exits, on the actives before the year's decrements
            exit_cells = layout.public(actives if exit_service_factor is None else actives * exit_share_internal)
            paid_settlements = settlement_rate * _grant_base(exit_cells, reference, factor=exiting)
            if exit_service_factor is not None:                      # the exits leave the state here
                actives *= 1.0 - layout.factor(exit_year) * exit_share_internal
            settlements.append(paid_settlements)
            grants_paid = grants_paid + paid_settlements
        lump_sums.append(grants_paid)

        # deaths of insured members with the survivor qualifying period and of old-age and disability pensioners
        member_deceased = embed(dying * (qualified_actives + qualified_inactives))
        member_deceased_amount = embed(dying * (base_actives + base_inactives))
        married_year = _at(married, t, -3)
        orphans_year = _at(orphans, t, -3)
        eligible = (ages - parent_age_gap + 1) < rules.orphan_age_limit          # by age of the deceased
        difference = int(spouse_age_difference)
        # new pensions of the end of the year are recorded at their age at the end of the year
        record.add("new_old_age", new_old_age_full)
        record.add("new_amount_old_age", new_old_age_amount_full)
        if compiled_pensioners:
            pensioners, amounts, ending = _pensioners_compiled(
                kernels, layout, record, pensioners, amounts, q_year, q_disabled_year, married_year, orphans_year,
                member_deceased, member_deceased_amount, embed(new_disability), embed(new_disability_amount),
                eligible, rules, difference, int(parent_age_gap), exposure, pensioner_buffers)
        else:
            deceased = member_deceased + (pensioner_deaths[..., 0, :, :] + pensioner_deaths[..., 1, :, :])
            deceased_amount = member_deceased_amount + (amounts[..., 0, :, :] * q_year
                                                        + amounts[..., 1, :, :] * q_disabled_year)
            widowed = deceased * married_year
            widowed_amount = rules.survivor_rate * deceased_amount * married_year
            new_survivors = np.stack([_shift_ages(widowed[..., 1, :], -difference),
                                      _shift_ages(widowed[..., 0, :], difference)], axis=-2)
            new_survivors_amount = np.stack([_shift_ages(widowed_amount[..., 1, :], -difference),
                                             _shift_ages(widowed_amount[..., 0, :], difference)], axis=-2)
            orphaned = 0.5 * _shift_ages(((deceased * orphans_year).sum(axis=-2)) * eligible, -int(parent_age_gap))
            orphaned_amount = (0.5 * rules.orphan_rate) * _shift_ages(
                (deceased_amount * orphans_year).sum(axis=-2) * eligible, -int(parent_age_gap))
            new_counts = np.stack(np.broadcast_arrays(np.zeros((2, n_age)), embed(new_disability), new_survivors,
                                                      orphaned[..., None, :]), axis=-3)
            new_amounts = np.stack(np.broadcast_arrays(np.zeros((2, n_age)), embed(new_disability_amount),
                                                       new_survivors_amount, orphaned_amount[..., None, :]), axis=-3)
            for k, name in enumerate(PENSION_TYPES[1:], start=1):
                record.add(f"new_{name}", _age(new_counts[..., k, :, :]))
                record.add(f"new_amount_{name}", _age(new_amounts[..., k, :, :]))

        # 6. ageing, with the credit of service (preallocated buffers, whole-array passes only)
        factors = (staying, reentering, remaining, withdrawing, density_year)
        if kernels is not None:                                # one per scenario, writable: one compiled signature
            factors = [np.array(np.broadcast_to(layout._flat(value) if value.ndim > 2 else value[:, :, None],
                                                (2, n_member, layout.size)), dtype=float, order="C")
                       for value in factors]
            kernels.insured_end_of_year(actives, inactives, *factors, actives_next, inactives_next)
        else:
            factors = [layout.factor(value) for value in factors]
            _end_of_year(actives, inactives, *factors, actives_next, inactives_next, scratch)
        actives, actives_next = actives_next, actives
        inactives, inactives_next = inactives_next, inactives
        active_count = _age_members(actives_end)
        inactive_count = _age_members(inactives_end)
        if not compiled_pensioners:
            pensioners = _age_in_place(_add_in_place(pensioners_alive, new_counts))
            amounts = _age_in_place(_add_in_place(amounts_alive, new_amounts))
            limit = rules.orphan_age_limit
            ending = np.zeros(pensioners.shape[:-3] + (2, n_age))
            if limit <= omega:
                ending[..., limit:] = pensioners[..., 3, :, limit:]
                pensioners[..., 3, :, limit:] = 0.0
                amounts[..., 3, :, limit:] = 0.0
        record.add("orphans_ending", ending)
        put_stocks()

    # -- result ----------------------------------------------------------------------------------
    labels = np.arange(1, n_years + 1) if start_year is None else int(start_year) + np.arange(n_years)

    def full_service(state):
        public = layout.public(state)
        out = np.zeros(public.shape[:-2] + (n_age, n_service))
        out[..., members, :] = public
        return out

    lump = np.stack(np.broadcast_arrays(*lump_sums), axis=-1)
    settled = np.zeros(lump.shape) if not has_exits else np.broadcast_to(
        np.stack(np.broadcast_arrays(*settlements), axis=-1), lump.shape)
    no_flow = np.zeros(np.shape(record.stacked("entrants")))           # a flow that the options leave empty
    same_for_both = bool(np.all(retire[:, 0] == retire[:, 1]))
    return InsuredProjection(
        years=labels,
        ages=ages,
        actives=stock.stacked("actives"),
        inactives=stock.stacked("inactives"),
        pensioners={name: stock.stacked(f"pensioners_{name}") for name in PENSION_TYPES},
        pension_amounts={name: stock.stacked(f"amounts_{name}") for name in PENSION_TYPES},
        contributors=record.stacked("contributors"),
        covered_wages=record.stacked("covered_wages"),
        insurable_earnings=record.stacked("insurable_earnings"),
        pensioners_exposed={name: record.stacked(f"exposed_{name}") for name in PENSION_TYPES},
        expenditure={name: record.stacked(f"expenditure_{name}") for name in PENSION_TYPES},
        new_pensioners={name: record.stacked(f"new_{name}") for name in PENSION_TYPES},
        new_pension_amounts={name: record.stacked(f"new_amount_{name}") for name in PENSION_TYPES},
        pensioner_deaths={name: record.stacked(f"deaths_{name}") for name in PENSION_TYPES},
        entrants=record.stacked("entrants"),
        deaths_active=record.stacked("deaths_active"),
        deaths_inactive=record.stacked("deaths_inactive"),
        disabled=record.stacked("disabled"),
        disability_grants=record.stacked("disability_grants"),
        withdrawals=record.stacked("withdrawals"),
        reentries=record.stacked("reentries"),
        retired_active=record.stacked("retired_active"),
        retired_inactive=record.stacked("retired_inactive"),
        retirement_grants=record.stacked("retirement_grants"),
        orphans_ending=record.stacked("orphans_ending"),
        lump_sums=lump,
        average_wage=average_wage,
        wage_index=index,
        final_actives=full_service(actives),
        final_inactives=full_service(inactives),
        retirement_age=retire[:, 0].copy() if same_for_both else retire.copy(),
        exposure=exposure,
        detail=detail,
        exits=record.stacked("exits") if has_exits else no_flow,
        settlements=settled,
        early_retired_active=record.stacked("early_retired_active") if early_age is not None else no_flow,
        early_retired_inactive=record.stacked("early_retired_inactive") if early_age is not None else no_flow,
        retirement_age_by_sex=retire.copy(),
    )


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


def _fits(batch: tuple[int, ...], *shapes: tuple[int, ...]) -> bool:
    """Whether every batch shape of ``shapes`` broadcasts into ``batch`` (no axis or length of its own)."""
    try:
        return np.broadcast_shapes(batch, *shapes) == batch
    except ValueError:
        return False


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
