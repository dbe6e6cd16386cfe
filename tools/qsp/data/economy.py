"""A country's base-year economic, labour-market and social-protection figures, each with its source.

The files ``datasets/<ISO3>/economy.csv``, ``labour.csv`` and ``social_protection.csv`` are written
by ``tools/build_datasets.py`` from the hand-edited ``tools/economic_sources/<ISO3>.csv`` (one row per
figure: ``indicator, sex, age_group, year, value, unit, status, check, source, note``; see
``datasets/README.md``). Every figure says how far to trust it: ``status`` is ``published``,
``derived`` (computed from published figures, the formula in the note) or ``assumption`` (chosen
where no public figure was found or checked, the note says how); ``check`` is ``confirmed`` (read in
the source when the file was compiled), ``recall`` (the compiler's recollection of the cited series:
verify it) or ``n/a``.

>>> import qsp.data
>>> gha = qsp.data.load_country("GHA")
>>> gha.economy.base_year
2023
>>> round(gha.economy["gdp_lcu"] / 1e9, 2)                     # GH¢ billion
841.63
>>> gha.participation.shape                                   # fractions by (sex, age 0..100)
(2, 101)

Files are in percent (as published); :attr:`EconomicTable.__getitem__` returns the file's number and
:func:`macro_inputs` turns percentages into the fractions :class:`qsp.economy.MacroAssumptions` takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .loader import FIX, OMEGA, DatasetError, MissingDatasetError, _read_table

ECONOMIC_FILES = {"economy": "economy.csv", "labour": "labour.csv", "social_protection": "social_protection.csv"}
"""Table name -> file in the country's folder."""
STATUSES = ("published", "derived", "assumption")
CHECKS = ("confirmed", "recall", "n/a")
LFPR_GROUPS = ("15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65+")
"""The 5-year groups of the participation rates (65+ is open)."""
_COLUMNS = {"indicator": "str", "sex": "str", "age_group": "str", "year": "int", "value": "float", "unit": "str",
            "status": "str", "check": "str", "source": "str"}

_BUILD = (
    "Build it with `python tools/build_datasets.py --only economy --countries {iso3}` from the curated source "
    "file tools/economic_sources/{iso3}.csv (create that file first if it does not exist: one row per figure, "
    "see datasets/README.md)."
)


@dataclass(frozen=True)
class Figure:
    """One row of an economic file: a figure with its unit, year, status, check, source and note."""

    indicator: str
    sex: str
    age_group: str
    year: int
    value: float
    unit: str
    status: str
    check: str
    source: str
    note: str

    @property
    def citation(self) -> str:
        """``"<source> (<year>, <status>)"``, e.g. for a table footnote."""
        return f"{self.source} ({self.year}, {self.status})"


@dataclass(frozen=True, eq=False)
class EconomicTable:
    """The figures of one economic file of one country.

    ``table["gdp_lcu"]`` is the base-year value (sex and age "total") of an indicator: the row of the
    base year, or else the latest earlier year (:meth:`figure` says which year was used). Values are as
    in the file (percent where the unit says percent).

    Attributes
    ----------
    iso3, table : str
        Country and table name ("economy", "labour" or "social_protection").
    base_year : int
        The base year of the figures (2023).
    figures : tuple of Figure
        Every row of the file.
    path : Path
        The file.
    """

    iso3: str
    table: str
    base_year: int
    figures: tuple[Figure, ...]
    path: Path

    def __repr__(self) -> str:
        return f"EconomicTable({self.iso3!r}, {self.table!r}, {len(self.figures)} figures, base year {self.base_year})"

    @property
    def names(self) -> tuple[str, ...]:
        """The indicators in the file, in file order."""
        return tuple(dict.fromkeys(f.indicator for f in self.figures))

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def figure(self, name: str, *, year: int | None = None, sex: str = "total", age_group: str | None = None) -> Figure:
        """The row of ``name`` for ``year`` (default: the base year, else the latest earlier year, else the
        earliest later year), ``sex`` and ``age_group`` (default: "total", or the only group there is).

        Raises
        ------
        ValueError
            Unknown indicator (the message lists those available), or no row for that year, sex or group.
        """
        if name not in self.names:
            raise ValueError(
                f"no indicator {name!r} in {self.path} ({self.iso3} {self.table}); available: {', '.join(self.names)}."
            )
        rows = [f for f in self.figures if f.indicator == name and f.sex == sex]
        groups = sorted({f.age_group for f in rows})
        if age_group is None:
            age_group = "total" if "total" in groups or len(groups) != 1 else groups[0]
        rows = [f for f in rows if f.age_group == age_group]
        if not rows:
            raise ValueError(f"{self.iso3} {name}: no row for sex {sex!r} and age group {age_group!r}; the rows have "
                             f"sex {sorted({f.sex for f in self.figures if f.indicator == name})} and age groups "
                             f"{sorted({f.age_group for f in self.figures if f.indicator == name})}.")
        if year is not None:
            exact = [f for f in rows if f.year == year]
            if not exact:
                raise ValueError(f"{self.iso3} {name}: no figure for {year}; years available: "
                                 f"{sorted(f.year for f in rows)}.")
            return exact[0]
        earlier = [f for f in rows if f.year <= self.base_year]
        return max(earlier, key=lambda f: f.year) if earlier else min(rows, key=lambda f: f.year)

    def __getitem__(self, name: str) -> float:
        return self.figure(name).value

    def get(self, name: str, default: float | None = None) -> float | None:
        """The base-year value of ``name``, or ``default`` if the file has no such indicator."""
        return self.figure(name).value if name in self.names else default

    def source(self, name: str, **where) -> str:
        """The citation of the base-year figure of ``name`` (keywords as :meth:`figure`)."""
        return self.figure(name, **where).citation

    def status(self, name: str, **where) -> str:
        """``published``, ``derived`` or ``assumption`` for the base-year figure of ``name``."""
        return self.figure(name, **where).status

    def to_frame(self):
        """Every row as a tidy pandas DataFrame with the file's columns."""
        import pandas as pd

        columns = ["indicator", "sex", "age_group", "year", "value", "unit", "status", "check", "source", "note"]
        return pd.DataFrame([[getattr(f, c) for c in columns] for f in self.figures], columns=columns)


def load_table(folder: Path | str, iso3: str, table: str, *, base_year: int = 2023) -> EconomicTable:
    """Read and check ``<folder>/<table>.csv`` of one country.

    Raises
    ------
    ValueError
        Unknown table name.
    MissingDatasetError
        The file does not exist; the message names the country and the file and says how to build it.
    DatasetError
        A missing column or value, an unknown status or check, a row without a source.
    """
    if table not in ECONOMIC_FILES:
        raise ValueError(f"no economic table named {table!r}; choose one of {', '.join(ECONOMIC_FILES)}.")
    path = Path(folder) / ECONOMIC_FILES[table]
    if not path.is_file():
        raise MissingDatasetError(
            f"{iso3} has no economic file {ECONOMIC_FILES[table]} ({path} does not exist). " + _BUILD.format(iso3=iso3)
        )
    frame = _read_table(path, iso3, _COLUMNS)
    fix = FIX.format(folder=path.parent, iso3=iso3)
    notes = frame["note"].fillna("").astype(str).str.strip() if "note" in frame.columns else [""] * len(frame)
    for column, allowed in (("status", STATUSES), ("check", CHECKS)):
        bad = sorted(set(frame[column]) - set(allowed))
        if bad:
            raise DatasetError(f"{path}: unknown {column} value(s) {bad}; allowed: {list(allowed)}. {fix}")
    figures = tuple(
        Figure(row.indicator, row.sex, row.age_group, int(row.year), float(row.value), row.unit, row.status,
               row.check, row.source, note)
        for row, note in zip(frame.itertuples(index=False), notes)
    )
    return EconomicTable(iso3=iso3, table=table, base_year=int(base_year), figures=figures, path=path)


def table_from_sources(path: Path | str, iso3: str, table: str) -> EconomicTable:
    """One table of an instructor's source file (:mod:`qsp.data.economic_sources`), checked row by row.

    The rows of ``table`` (participation by 5-year group derived from ``lfpr_prime_age x
    lfpr_relative`` where not given), as :func:`load_table` gives them for a curated country.
    """
    from .economic_sources import ECONOMIC_BASE_YEAR, economic_tables

    if table not in ECONOMIC_FILES:
        raise ValueError(f"no economic table named {table!r}; choose one of {', '.join(ECONOMIC_FILES)}.")
    rows = economic_tables(iso3, path=Path(path))[table]
    figures = tuple(Figure(r["indicator"], r["sex"], r["age_group"], int(r["year"]), float(r["value"]), r["unit"],
                           r["status"], r["check"], r["source"], r["note"]) for r in rows)
    return EconomicTable(iso3=iso3, table=table, base_year=ECONOMIC_BASE_YEAR, figures=figures, path=Path(path))


def participation_by_age(labour: EconomicTable, *, method: str = "step", omega: int = OMEGA) -> np.ndarray:
    """Labour force participation rates by sex and single age from the 5-year groups of ``labour.csv``.

    Convention: rates are fractions (the file's percent / 100); zero below age 15; ``method="step"``
    (default) gives every age of a group the group's rate (65+ applies to 65..omega), which keeps each
    group's average; ``method="linear"`` interpolates linearly between the group midpoints (17.5, 22.5,
    ..., 62.5, and 67.5 for 65+, in exact age; single age x is read at x + 0.5), flat beyond the first
    and last midpoints from 15 on; smoother, but the group averages are only approximately kept.

    Parameters
    ----------
    labour : EconomicTable
        The country's labour table (``country.labour``).
    method : {"step", "linear"}
        Expansion to single ages.
    omega : int
        Last age (open interval), default 100.

    Returns
    -------
    ndarray, shape (2, omega + 1)
        Sex 0 = female, 1 = male; fractions in [0, 1].

    Raises
    ------
    ValueError
        Unknown method, or a sex and group without a rate.

    Examples
    --------
    >>> import qsp.data
    >>> p = qsp.data.load_country("TZA").participation
    >>> float(p[0, 14]), bool(p[0, 30] > 0.5)
    (0.0, True)
    """
    if method not in ("step", "linear"):
        raise ValueError(f"method must be 'step' or 'linear', got {method!r}.")
    rates = np.array([[labour.figure("lfpr", sex=sex, age_group=group).value / 100.0 for group in LFPR_GROUPS]
                      for sex in ("female", "male")])
    ages = np.arange(omega + 1)
    starts = np.array([int(g[:2]) for g in LFPR_GROUPS])
    if method == "step":
        index = np.clip(np.searchsorted(starts, ages, side="right") - 1, 0, len(starts) - 1)
        out = rates[:, index]
    else:
        midpoints = starts + 2.5  # exact ages; single age x is centred on x + 0.5
        out = np.stack([np.interp(ages + 0.5, midpoints, rates[s]) for s in range(2)])
    out[:, ages < starts[0]] = 0.0
    return out


# ---------------------------------------------------------------------------------------------
# inputs of qsp.economy.MacroAssumptions
# ---------------------------------------------------------------------------------------------
MACRO_DEFAULTS = {
    "base_year": "base year of the economic figures (economy.csv)",
    "nominal_gdp": "gdp_lcu of the base year (published): national currency, full units",
    "productivity_growth": "assumed_productivity_growth / 100 every year (assumption)",
    "gdp_deflator_inflation": "assumed_inflation / 100 every year (assumption; the base-year inflation is not used "
                              "after the base year)",
    "cpi_inflation": "assumed_inflation / 100 every year (assumption)",
    "wage_share": "wage_share / 100, constant (assumption unless the file says published)",
    "nominal_interest_rate": "(1 + assumed_real_interest_rate/100)(1 + assumed_inflation/100) - 1 (assumption)",
    "revenue_share": "revenue / 100 of the base year, held constant",
    "expenditure_share": "expenditure / 100 of the base year, held constant",
    "exchange_rate": "exchange_rate of the base year, held constant",
    "ppp_factor": "ppp_private_consumption (ppp='private_consumption', default) or ppp_gdp (ppp='gdp') of the base "
                  "year, held constant",
    "labour_force": "the country's population projection (Country.project) from the base year to `until`, times "
                    "the participation rates by sex and age (step), summed; participation held constant",
    "unemployment_rate": "unemployment_rate / 100 of the latest year up to the base year, held constant",
}
"""Where each default of :func:`macro_inputs` comes from (and whether it is an assumption)."""


def macro_inputs(country, *, until: int = 2050, ppp: str = "private_consumption") -> dict:
    """Keyword arguments for :class:`qsp.economy.MacroAssumptions` from a country's data.

    Levels (GDP, exchange rate, PPP factor, government shares) are base-year figures; rates of change
    after the base year are the country's long-run *assumptions* (``assumed_*`` rows, status
    assumption). :data:`MACRO_DEFAULTS` says where each value comes from. The labour force is a series
    for the years ``base_year .. until``: call ``project_macro(a, years=np.arange(a.base_year, until + 1))``.

    Parameters
    ----------
    country : Country
        From :func:`qsp.data.load_country`.
    until : int
        Last projection year (the labour force series covers ``base_year .. until``; at most the
        country's ``end_year``).
    ppp : {"private_consumption", "gdp"}
        Which PPP conversion factor to use: private consumption (the basis of the international
        poverty lines and of the Pal et al. 2005 caps in PPP$ a day) or GDP.

    Returns
    -------
    dict
        Keyword arguments of :class:`~qsp.economy.MacroAssumptions` (rates as fractions).

    Raises
    ------
    ValueError
        ``until`` not after the base year or beyond the data; unknown ``ppp``.
    MissingDatasetError
        The country has no economic files.
    """
    if ppp not in ("private_consumption", "gdp"):
        raise ValueError(f"ppp must be 'private_consumption' or 'gdp', got {ppp!r}.")
    economy, labour = country.economy, country.labour
    base = economy.base_year
    last = int(country.years[-1])
    if int(until) != until or not base < until <= last:
        raise ValueError(f"until must be a year from {base + 1} to {last} for {country.iso3} (economic base year "
                         f"{base}, population data to {last}), got {until!r}.")
    inflation = economy["assumed_inflation"] / 100.0
    population = country.project(until=int(until)).population  # (year, sex, age) from the demographic base year
    population = population[base - country.base_year:]
    labour_force = (population * country.participation).sum(axis=(-2, -1))
    return {
        "base_year": base,
        "nominal_gdp": economy.figure("gdp_lcu", year=base).value,
        "productivity_growth": economy["assumed_productivity_growth"] / 100.0,
        "gdp_deflator_inflation": inflation,
        "cpi_inflation": inflation,
        "wage_share": economy["wage_share"] / 100.0,
        "nominal_interest_rate": (1.0 + economy["assumed_real_interest_rate"] / 100.0) * (1.0 + inflation) - 1.0,
        "revenue_share": economy["revenue"] / 100.0,
        "expenditure_share": economy["expenditure"] / 100.0,
        "exchange_rate": economy["exchange_rate"],
        "ppp_factor": economy["ppp_private_consumption" if ppp == "private_consumption" else "ppp_gdp"],
        "labour_force": labour_force,
        "unemployment_rate": labour["unemployment_rate"] / 100.0,
    }
