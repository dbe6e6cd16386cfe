"""The curated economic, labour-market and social-protection figures of a country: rules and reading.

One CSV per country, one row per figure (the template the kit's own ``tools/economic_sources/<ISO3>.csv``
follow, and the one an instructor fills in for any other country):

    indicator,sex,age_group,year,value,unit,status,check,source,note

- ``indicator``: one of :data:`INDICATORS` (their units, plausible ranges and disaggregation);
  the required ones (``Indicator.required``) and ``lfpr_prime_age`` for both sexes must have a
  figure in or before the base year :data:`ECONOMIC_BASE_YEAR`.
- ``sex`` / ``age_group``: ``total`` / ``total`` for national figures; ``female`` or ``male`` with
  ``25-54`` for ``lfpr_prime_age``, with a 5-year group of :data:`LFPR_GROUPS` for ``lfpr`` and
  ``lfpr_relative``.
- ``unit``: as :data:`INDICATORS` says, with the country's ISO 4217 currency code for money.
- ``status`` / ``check``: see :data:`STATUSES` and :data:`CHECKS` ("n/a" exactly for derived
  figures and assumptions, which need a ``note`` saying how they were obtained); every row a
  ``source``.

:func:`read_economic_sources` checks every rule and names the file, the line and the fix;
:func:`write_template` writes an empty template for a country; :func:`economic_tables` splits the
rows into the three tables (``economy``, ``labour``, ``social_protection``), deriving participation
by 5-year group as ``lfpr_prime_age x lfpr_relative`` where no published rate is given.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ECONOMIC_SOURCES = Path(__file__).resolve().parents[2] / "economic_sources"
"""The kit's curated files (``tools/economic_sources/<ISO3>.csv``), one per country."""
ECONOMIC_BASE_YEAR = 2023
"""Base year of the economic figures (a fiscal year 2022/23 for Nepal, ending mid-July 2023)."""
CURRENCIES = {"TZA": "TZS", "ZMB": "ZMW", "SEN": "XOF", "MOZ": "MZN", "GHA": "GHS", "NPL": "NPR", "JOR": "JOD",
              "CHE": "CHF"}
SOURCE_COLUMNS = ["indicator", "sex", "age_group", "year", "value", "unit", "status", "check", "source", "note"]
STATUSES = {
    "published": "the figure as published by the cited source",
    "derived": "computed by the kit from published figures; the formula is in the note",
    "assumption": "chosen by the kit's authors where no public figure was found or checked; the note says how",
}
CHECKS = {
    "confirmed": "the figure was read in the cited source (or a report quoting it) when the file was compiled",
    "recall": "the compiler's recollection of the cited series, not re-read: verify before relying on it",
    "n/a": "derived figures and assumptions",
}
LFPR_GROUPS = ("15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65+")
ECONOMIC_TABLES = ("economy", "labour", "social_protection")
ECONOMIC_FILES = {table: f"{table}.csv" for table in ECONOMIC_TABLES}
ECONOMIC_YEARS = (2015, 2026)
class EconomicSourceError(ValueError):
    """A curated economic source file breaks a rule (the message names the file and the line)."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of the curated sources: its table, unit, plausible range and disaggregation."""

    table: str
    unit: str  # "{currency}" is replaced by the country's ISO 4217 code
    lower: float
    upper: float
    description: str
    by: str = "total"  # "total", "sex" (age group 25-54) or "sex_age" (the 5-year groups)
    required: bool = False


INDICATORS: dict[str, Indicator] = {
    "gdp_lcu": Indicator("economy", "{currency}", 1e9, 1e16, "Gross domestic product at current prices, national "
                         "currency (full units, not millions)", required=True),
    "gdp_usd": Indicator("economy", "US$", 1e9, 2e12, "GDP at current prices, US dollars"),
    "gdp_per_capita_usd": Indicator("economy", "US$", 100, 200_000, "GDP per capita, current US dollars"),
    "real_gdp_growth": Indicator("economy", "percent", -20, 25, "Growth of real GDP", required=True),
    "gdp_deflator_inflation": Indicator("economy", "percent", -10, 100, "Growth of the GDP deflator"),
    "cpi_inflation": Indicator("economy", "percent", -10, 100, "Consumer price inflation, annual average",
                               required=True),
    "exchange_rate": Indicator("economy", "{currency} per US$", 1e-3, 1e5, "Official exchange rate, period average",
                               required=True),
    "ppp_gdp": Indicator("economy", "{currency} per international $", 1e-3, 1e5,
                         "PPP conversion factor, GDP", required=True),
    "ppp_private_consumption": Indicator("economy", "{currency} per international $", 1e-3, 1e5,
                                         "PPP conversion factor, private consumption (the basis of the "
                                         "international poverty lines)", required=True),
    "revenue": Indicator("economy", "percent of GDP", 5, 70, "Government revenue: general government, or "
                         "central government where the note says so", required=True),
    "expenditure": Indicator("economy", "percent of GDP", 5, 70, "Government expenditure: general government, "
                             "or central government where the note says so", required=True),
    "policy_rate": Indicator("economy", "percent", -2, 60, "Central bank policy rate"),
    "wage_share": Indicator("economy", "percent of GDP", 10, 80, "Labour income share of GDP", required=True),
    "assumed_inflation": Indicator("economy", "percent", 0, 20, "Long-run inflation (CPI and GDP deflator), "
                                   "projection assumption", required=True),
    "assumed_productivity_growth": Indicator("economy", "percent", -2, 8, "Long-run growth of output per "
                                             "employed person, projection assumption", required=True),
    "assumed_real_interest_rate": Indicator("economy", "percent", -3, 10, "Long-run real interest rate, "
                                            "projection assumption", required=True),
    "unemployment_rate": Indicator("labour", "percent", 0, 50, "Unemployed as a share of the labour force",
                                   required=True),
    "informality_share": Indicator("labour", "percent", 0, 100, "Informal employment as a share of employment"),
    "lfpr": Indicator("labour", "percent", 0, 100, "Labour force participation rate", by="sex_age"),
    "lfpr_prime_age": Indicator("labour", "percent", 5, 100, "Labour force participation rate, ages 25-54",
                                by="sex"),
    "lfpr_relative": Indicator("labour", "ratio to lfpr_prime_age", 0, 1.5, "Participation by 5-year group "
                               "relative to ages 25-54", by="sex_age"),
    "sp_expenditure": Indicator("social_protection", "percent of GDP", 0, 40, "Public social protection "
                                "expenditure excluding health"),
    "sp_expenditure_old_age": Indicator("social_protection", "percent of GDP", 0, 30, "of which old age"),
    "sp_expenditure_children": Indicator("social_protection", "percent of GDP", 0, 10, "of which children"),
    "sp_expenditure_disability": Indicator("social_protection", "percent of GDP", 0, 10, "of which disability "
                                           "(part of the social budget's 'other' branch)"),
    "health_expenditure_public": Indicator("social_protection", "percent of GDP", 0, 20,
                                           "Domestic general government health expenditure (WHO GHED GGHE-D), or "
                                           "the social-security health function where the note says so"),
    "sp_coverage_any": Indicator("social_protection", "percent", 0, 100, "SDG 1.3.1: population covered by at "
                                 "least one social protection benefit"),
    "sp_coverage_old_age": Indicator("social_protection", "percent", 0, 100, "Persons above statutory "
                                     "pensionable age receiving a pension"),
    "sp_coverage_children": Indicator("social_protection", "percent", 0, 100, "Children receiving a child or "
                                      "family cash benefit"),
    "scheme_contributors": Indicator("social_protection", "persons", 1_000, 1e8, "Active contributors of the main "
                                     "contributory scheme (named in the note)"),
    "scheme_pensioners": Indicator("social_protection", "persons", 100, 1e8, "Pensioners of the main contributory "
                                   "scheme (named in the note)"),
    "scheme_benefit_expenditure": Indicator("social_protection", "{currency}", 1e5, 1e14, "Benefits paid by the main "
                                            "contributory scheme in the year (named in the note), national currency"),
    "scheme_contribution_income": Indicator("social_protection", "{currency}", 1e5, 1e14, "Contributions collected by "
                                            "the main contributory scheme in the year (named in the note), national "
                                            "currency"),
}


def read_economic_sources(iso3: str, folder: Path = ECONOMIC_SOURCES, *, path: Path | str | None = None,
                          currency: str | None = None) -> list[dict]:
    """Read and validate ``<folder>/<iso3>.csv``; return its rows (value as float, year as int).

    Rules: the columns of :data:`SOURCE_COLUMNS`; a known indicator; sex and age group as the indicator's
    disaggregation requires; a year in :data:`ECONOMIC_YEARS`; a number within the indicator's plausible
    range; the indicator's unit (currency code of the country); a status of :data:`STATUSES` and a check of
    :data:`CHECKS` ("n/a" exactly for derived figures and assumptions); a source; a note for every derived
    figure and assumption; no duplicate (indicator, sex, age group, year); every required indicator and both
    sexes of the prime-age participation rate in the base year :data:`ECONOMIC_BASE_YEAR`.
    """
    path = Path(path) if path is not None else Path(folder) / f"{iso3}.csv"
    if not path.is_file():
        raise EconomicSourceError(f"{path} is missing: no economic sources for {iso3}. Write one from the template: "
                                  f"qsp.data.economic_sources.write_template({iso3!r}, {str(path)!r}).")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != SOURCE_COLUMNS:
            raise EconomicSourceError(f"{path}: the columns must be {SOURCE_COLUMNS}, got {reader.fieldnames}.")
        raw = list(reader)
    currency = currency or CURRENCIES.get(iso3) or _currency_of(raw, path)
    rows, seen = [], set()
    for line, row in enumerate(raw, start=2):
        where = f"{path}, line {line}"
        row = {key: (value or "").strip() for key, value in row.items()}
        name = row["indicator"]
        if name not in INDICATORS:
            raise EconomicSourceError(f"{where}: unknown indicator {name!r}; known: {', '.join(INDICATORS)}.")
        spec = INDICATORS[name]
        sexes = ("total",) if spec.by == "total" else ("female", "male")
        groups = {"total": ("total",), "sex": ("25-54",), "sex_age": LFPR_GROUPS}[spec.by]
        if row["sex"] not in sexes:
            raise EconomicSourceError(f"{where}: sex of {name} must be one of {sexes}, got {row['sex']!r}.")
        if row["age_group"] not in groups:
            raise EconomicSourceError(f"{where}: age_group of {name} must be one of {groups}, got {row['age_group']!r}.")
        try:
            year, value = int(row["year"]), float(row["value"])
        except ValueError:
            raise EconomicSourceError(f"{where}: year must be a whole number and value a number, got "
                                      f"{row['year']!r} and {row['value']!r}.") from None
        if not ECONOMIC_YEARS[0] <= year <= ECONOMIC_YEARS[1]:
            raise EconomicSourceError(f"{where}: year {year} outside {ECONOMIC_YEARS}.")
        if not (np.isfinite(value) and spec.lower <= value <= spec.upper):
            raise EconomicSourceError(f"{where}: {name} = {value} outside its plausible range "
                                      f"[{spec.lower:g}, {spec.upper:g}] ({spec.unit.format(currency=currency)}).")
        unit = spec.unit.format(currency=currency)
        if row["unit"] != unit:
            raise EconomicSourceError(f"{where}: the unit of {name} is {unit!r}, got {row['unit']!r}.")
        if row["status"] not in STATUSES:
            raise EconomicSourceError(f"{where}: status must be one of {list(STATUSES)}, got {row['status']!r}.")
        if row["check"] not in CHECKS:
            raise EconomicSourceError(f"{where}: check must be one of {list(CHECKS)}, got {row['check']!r}.")
        if (row["check"] == "n/a") != (row["status"] != "published"):
            raise EconomicSourceError(f"{where}: check is 'n/a' exactly for derived figures and assumptions "
                                      f"(status {row['status']!r}, check {row['check']!r}).")
        if not row["source"]:
            raise EconomicSourceError(f"{where}: every figure needs a source.")
        if row["status"] != "published" and not row["note"]:
            raise EconomicSourceError(f"{where}: every {row['status']} figure needs a note saying how it was obtained.")
        key = (name, row["sex"], row["age_group"], year)
        if key in seen:
            raise EconomicSourceError(f"{where}: {key} appears twice.")
        seen.add(key)
        rows.append({**row, "year": year, "value": value, "text": row["value"]})
    base = {(r["indicator"], r["sex"]) for r in rows if r["year"] <= ECONOMIC_BASE_YEAR}
    missing = [name for name, spec in INDICATORS.items() if spec.required and (name, "total") not in base]
    missing += [f"lfpr_prime_age ({sex})" for sex in ("female", "male") if ("lfpr_prime_age", sex) not in base]
    if missing:
        raise EconomicSourceError(f"{path}: no figure for {missing} in or before {ECONOMIC_BASE_YEAR}; give a published "
                                  "figure or a labelled assumption.")
    return rows


def participation_rows(rows: list[dict]) -> list[dict]:
    """Participation by sex and 5-year group for the base year: published ``lfpr`` rows where given, else
    ``lfpr_prime_age x lfpr_relative`` (capped at 100, 1 decimal), labelled like its least certain input."""
    given = {(r["sex"], r["age_group"]) for r in rows if r["indicator"] == "lfpr"}
    prime = {r["sex"]: r for r in rows if r["indicator"] == "lfpr_prime_age" and r["year"] <= ECONOMIC_BASE_YEAR}
    relative = {(r["sex"], r["age_group"]): r for r in rows if r["indicator"] == "lfpr_relative"}
    out = []
    for sex in ("female", "male"):
        for group in LFPR_GROUPS:
            if (sex, group) in given:
                continue
            if (sex, group) not in relative:
                raise EconomicSourceError(f"no lfpr or lfpr_relative row for {sex} {group}.")
            p, r = prime[sex], relative[(sex, group)]
            value = min(100.0, round(p["value"] * r["value"], 1))
            status = "assumption" if "assumption" in (p["status"], r["status"]) else "derived"
            out.append({"indicator": "lfpr", "sex": sex, "age_group": group, "year": p["year"], "value": value,
                        "text": f"{value:g}", "unit": "percent", "status": status, "check": "n/a",
                        "source": "kit calculation from lfpr_prime_age and lfpr_relative",
                        "note": f"lfpr_prime_age {p['text']} x lfpr_relative {r['text']}, capped at 100"})
    return out


def economic_tables(iso3: str, folder: Path = ECONOMIC_SOURCES, *, path: Path | str | None = None
                    ) -> dict[str, list[dict]]:
    """The rows of economy.csv, labour.csv and social_protection.csv (sources, then derived participation)."""
    rows = read_economic_sources(iso3, folder, path=path)
    rows = rows + participation_rows(rows)
    order = {name: k for k, name in enumerate(INDICATORS)}
    sex_order = {"total": 0, "female": 1, "male": 2}
    group_order = {g: k for k, g in enumerate(("total", "25-54", *LFPR_GROUPS))}
    rows.sort(key=lambda r: (order[r["indicator"]], sex_order[r["sex"]], group_order[r["age_group"]], r["year"]))
    return {table: [r for r in rows if INDICATORS[r["indicator"]].table == table] for table in ECONOMIC_TABLES}




def _currency_of(raw: list[dict], path: Path) -> str:
    """The currency code of a country the kit does not know: the unit of its ``gdp_lcu`` row."""
    units = {(row.get("unit") or "").strip() for row in raw if (row.get("indicator") or "").strip() == "gdp_lcu"}
    codes = [u for u in units if len(u) == 3 and u.isalpha() and u.isupper()]
    if len(codes) != 1:
        raise EconomicSourceError(f"{path}: the unit of gdp_lcu must be the country's ISO 4217 currency code (e.g. "
                                  f"'PEN' for Peru's sol), the same on every gdp_lcu row; got {sorted(units)}.")
    return codes[0]


def write_template(iso3: str, path: Path | str, *, currency: str = "LCU") -> Path:
    """Write an empty source file for ``iso3``: one row per indicator (and sex and age group) to fill in.

    ``value``, ``status``, ``check``, ``source`` and ``note`` are left empty (``status`` and ``check``
    list the allowed words), ``year`` is :data:`ECONOMIC_BASE_YEAR` and money units carry ``currency``
    (replace "LCU" by the ISO 4217 code). Fill in every required indicator, delete the rows you have no
    figure for, and check the file with :func:`read_economic_sources` (``qsp.data.load_country(iso3,
    economic_sources=path)`` does it too). Returns the path.

    Raises
    ------
    FileExistsError
        If ``path`` exists (the template never overwrites a file).
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists already; write_template never overwrites a file. Choose another path.")
    rows = []
    for name, spec in INDICATORS.items():
        cells = {"total": [("total", "total")], "sex": [(s, "25-54") for s in ("female", "male")],
                 "sex_age": [(s, g) for s in ("female", "male") for g in LFPR_GROUPS]}[spec.by]
        for sex, group in cells:
            note = ("REQUIRED. " if spec.required or name == "lfpr_prime_age" else "") + spec.description
            rows.append([name, sex, group, str(ECONOMIC_BASE_YEAR), "", spec.unit.format(currency=currency),
                         "|".join(STATUSES), "|".join(CHECKS), "", note])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCE_COLUMNS)
        writer.writerows(rows)
    return path
