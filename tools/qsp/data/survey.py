"""Household surveys for Module 9: the kit's SYNTHETIC surveys and an instructor's real one.

Real household surveys (LSMS, DHS, a national household budget survey) cannot be redistributed, so
the kit ships SYNTHETIC surveys (``datasets/surveys/<name>/``, built by ``python -m
qsp.data.build_survey``) calibrated to published figures, and reads a real survey from two CSV
files in the same layout:

``households.csv``, one row per household:

==================  =========================================================================
column              meaning
==================  =========================================================================
household_id        unique id (number or text)
weight              survey weight: households the row represents (zero or more)
consumption         household consumption (or income) per year, national currency
stratum             sampling stratum (optional; text or number)
cluster             primary sampling unit, nested in strata (optional)
region              region or reporting domain (optional)
any other column    numeric household characteristics kept in ``survey.extra`` (e.g. the
                    proxy-means-test variables ``urban``, ``rooms``, ``electricity``)
==================  =========================================================================

``members.csv``, one row per person:

==================  =========================================================================
household_id        the id of their household (must be in households.csv)
age                 age in completed years
sex                 0 = female, 1 = male (or the words "female"/"male")
disabled            1 if a qualifying disability, else 0 (optional)
==================  =========================================================================

From an LSMS-ISA survey, for instance, ``households.csv`` comes from the consumption aggregate
file (household id, the household weight, total annual consumption, the strata and enumeration
area ids) and ``members.csv`` from the household roster (age, sex, the disability module's
questions). Annualise consumption and put it in nominal national currency of the survey period.
:func:`read_survey` checks the layout and every value (:func:`qsp.poverty.make_survey`), and says
which column of which file is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .loader import DatasetError, MissingDatasetError, data_dir

HOUSEHOLD_COLUMNS = ("household_id", "weight", "consumption")
"""Required columns of households.csv."""
OPTIONAL_HOUSEHOLD_COLUMNS = ("stratum", "cluster", "region")
MEMBER_COLUMNS = ("household_id", "age", "sex")
"""Required columns of members.csv (``disabled`` is optional)."""
SEX_WORDS = {"female": 0, "f": 0, "male": 1, "m": 1}


def surveys_dir(directory: Path | str | None = None) -> Path:
    """``datasets/surveys`` (or ``<directory>/surveys``)."""
    return (data_dir() if directory is None else Path(directory)) / "surveys"


def surveys(*, directory: Path | str | None = None) -> dict[str, str]:
    """The kit's surveys: folder name -> title.

    >>> "tza-hbs-synthetic" in surveys()
    True
    """
    folder = surveys_dir(directory)
    if not folder.is_dir():
        return {}
    out = {}
    for sub in sorted(folder.iterdir()):
        meta = sub / "datapackage.json"
        if meta.is_file():
            out[sub.name] = json.loads(meta.read_text(encoding="utf-8")).get("title", sub.name)
    return out


def _read_csv(path: Path, required: tuple[str, ...]):
    import pandas as pd

    if not path.is_file():
        raise MissingDatasetError(f"{path} does not exist: a survey folder needs households.csv and members.csv "
                                  "(see qsp.data.survey for the column layout).")
    try:
        frame = pd.read_csv(path)
    except Exception as exc:
        raise DatasetError(f"{path} could not be read as CSV: {exc}") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DatasetError(f"{path.name} lacks the column(s) {missing}; it has {list(frame.columns)}. The layout is "
                           "described in qsp.data.survey (rename your columns to these names).")
    return frame


def _sex(values, path: Path) -> np.ndarray:
    import pandas as pd

    series = values
    if not pd.api.types.is_numeric_dtype(series):
        lowered = series.astype(str).str.strip().str.lower()
        unknown = ~lowered.isin(list(SEX_WORDS))
        if unknown.any():
            row = int(np.flatnonzero(unknown.to_numpy())[0])
            raise DatasetError(f"{path.name}: column 'sex' is {series.iloc[row]!r} at row {row}; use 0/1 or "
                               "female/male.")
        return lowered.map(SEX_WORDS).to_numpy(dtype=np.float64)
    return series.to_numpy(dtype=np.float64)


def survey_from_frames(households, members, *, scale: str = "per_capita", source: str = "the tables",
                       **scale_parameters):
    """Build a :class:`qsp.poverty.Survey` from two pandas DataFrames in the documented layout.

    Raises
    ------
    qsp.data.DatasetError
        A required column is missing, or a value is wrong (the message names the table, the column
        and the row, as :func:`qsp.poverty.make_survey` found it).
    """
    from ..poverty import make_survey

    households_path = Path(f"households ({source})")
    members_path = Path(f"members ({source})")
    for frame, required, path in ((households, HOUSEHOLD_COLUMNS, households_path),
                                  (members, MEMBER_COLUMNS, members_path)):
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DatasetError(f"{path.name} lacks the column(s) {missing}; it has {list(frame.columns)}.")
    optional = {c: households[c].to_numpy() for c in OPTIONAL_HOUSEHOLD_COLUMNS if c in households.columns}
    extra_columns = [c for c in households.columns if c not in HOUSEHOLD_COLUMNS + OPTIONAL_HOUSEHOLD_COLUMNS]
    import pandas as pd

    extra = {}
    for column in extra_columns:
        if not pd.api.types.is_numeric_dtype(households[column]):
            raise DatasetError(f"{households_path.name}: extra column {column!r} is not numeric; household "
                               "characteristics must be numbers (dummies 0/1 for categories).")
        extra[column] = households[column].to_numpy(dtype=np.float64)
    try:
        return make_survey(
            households["household_id"].to_numpy(), households["weight"].to_numpy(),
            households["consumption"].to_numpy(), members["household_id"].to_numpy(),
            members["age"].to_numpy(), _sex(members["sex"], members_path),
            disabled=members["disabled"].to_numpy() if "disabled" in members.columns else None,
            extra=extra, scale=scale, **optional, **scale_parameters)
    except ValueError as exc:
        raise DatasetError(f"{source}: {exc}") from exc


def read_survey(folder: Path | str, *, scale: str = "per_capita", **scale_parameters):
    """Read a survey (households.csv and members.csv in the documented layout) from ``folder``.

    This is how an instructor loads a real survey (LSMS, DHS, a household budget survey) that the
    kit cannot ship: export the two tables in the layout of :mod:`qsp.data.survey` and point this
    function at the folder.
    """
    folder = Path(folder)
    households = _read_csv(folder / "households.csv", HOUSEHOLD_COLUMNS)
    members = _read_csv(folder / "members.csv", MEMBER_COLUMNS)
    return survey_from_frames(households, members, scale=scale, source=str(folder), **scale_parameters)


def survey_metadata(name: str = "tza-hbs-synthetic", *, directory: Path | str | None = None) -> dict:
    """The survey's ``datapackage.json``: title, the SYNTHETIC flag, calibration table, poverty lines."""
    available = surveys(directory=directory)
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in available:
        listing = ", ".join(available) or f"none (no folder {surveys_dir(directory)})"
        raise ValueError(f"no survey named {name!r}. Available: {listing}.")
    return json.loads((surveys_dir(directory) / key / "datapackage.json").read_text(encoding="utf-8"))


def load_survey(name: str = "tza-hbs-synthetic", *, scale: str | None = None, directory: Path | str | None = None,
                **scale_parameters):
    """Load one of the kit's SYNTHETIC household surveys as a :class:`qsp.poverty.Survey`.

    Parameters
    ----------
    name : str, default "tza-hbs-synthetic"
        Folder under ``datasets/surveys/`` (see :func:`surveys`).
    scale : str, optional
        Equivalence scale; default: the one the survey was calibrated with (its metadata's
        ``scale``).

    Examples
    --------
    >>> s = load_survey()
    >>> s.n_households > 1000, s.region_names[:2]
    (True, ('Dar es Salaam', 'other urban'))
    """
    meta = survey_metadata(name, directory=directory)
    if scale is None:
        scale = meta["scale"]["name"]
        scale_parameters = {**meta["scale"].get("parameters", {}), **scale_parameters}
    return read_survey(surveys_dir(directory) / name.strip().lower(), scale=scale, **scale_parameters)
