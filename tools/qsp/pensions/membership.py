"""The membership of a pension scheme at the valuation date: loading and validation.

An actuarial valuation starts from the scheme's records summarised into cells (Plamondon et
al. 2002, ch. 5 "Data"):

- **actives** (contributors) by sex, age and credited service in whole years, with their
  number and average annual insurable wage;
- **inactives** (insured persons who no longer contribute but keep their credited service)
  by sex, age and service;
- **pensioners** by type (old-age, disability, survivor, orphan), sex and age, with their
  number and average annual pension.

As arrays: actives and inactives ``(..., sex, age, service)`` on single ages ``0 .. omega`` and
service ``0 .. max_service``; pensioners ``(..., type, sex, age)`` with the types in the order
of :data:`PENSION_TYPES`. Ages are completed ages at the valuation date. Service cannot exceed
``age - min_entry_age``: nobody earns credit before the minimum age of entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from .._validate import SEX_NAMES, as_float_array, check_values

PENSION_TYPES = ("old_age", "disability", "survivor", "orphan")
"""Types of pension in payment, in the order of the type axis."""

_TYPE_ALIASES = {
    "old_age": "old_age", "oldage": "old_age", "old-age": "old_age", "old age": "old_age", "retirement": "old_age",
    "disability": "disability", "invalidity": "disability",
    "survivor": "survivor", "survivors": "survivor", "widow": "survivor", "widower": "survivor",
    "widows": "survivor", "spouse": "survivor",
    "orphan": "orphan", "orphans": "orphan",
}
_SEX_ALIASES = {"female": 0, "f": 0, "woman": 0, "women": 0, "0": 0, "male": 1, "m": 1, "man": 1, "men": 1, "1": 1}

ACTIVE_COLUMNS = ("sex", "age", "service", "count", "wage")
INACTIVE_COLUMNS = ("sex", "age", "service", "count")
PENSIONER_COLUMNS = ("sex", "age", "type", "count", "amount")


@dataclass(frozen=True, eq=False)
class Membership:
    """Membership of a scheme at the valuation date, as validated arrays.

    Attributes
    ----------
    actives : ndarray, shape (..., sex, age, service)
        Number of active members (contributors).
    active_wages : ndarray, shape (..., sex, age, service)
        Average annual insurable wage of the actives of each cell (0 where there are none).
    inactives : ndarray, shape (..., sex, age, service)
        Number of inactive insured persons (credited service kept, no longer contributing).
    pensioners : ndarray, shape (..., type, sex, age)
        Number of pensioners by type (:data:`PENSION_TYPES`).
    pension_amounts : ndarray, shape (..., type, sex, age)
        Average annual pension per pensioner of each cell (0 where there are none).
    ages : ndarray
        Single ages ``0 .. omega`` (the last one open).
    min_entry_age : int
        Youngest age at which service is credited.
    """

    actives: np.ndarray
    active_wages: np.ndarray
    inactives: np.ndarray
    pensioners: np.ndarray
    pension_amounts: np.ndarray
    ages: np.ndarray
    min_entry_age: int

    @property
    def omega(self) -> int:
        """Start of the open age interval."""
        return int(self.ages[-1])

    @property
    def services(self) -> np.ndarray:
        """Credited service in whole years, ``0 .. max_service``."""
        return np.arange(self.actives.shape[-1])

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Leading (scenario) axes of the arrays."""
        return self.actives.shape[:-3]

    def totals(self) -> dict[str, np.ndarray]:
        """Numbers of actives, inactives and pensioners of each type, and the annual wage and pension bills."""
        result = {
            "actives": self.actives.sum(axis=(-3, -2, -1)),
            "inactives": self.inactives.sum(axis=(-3, -2, -1)),
            "wage_bill": (self.actives * self.active_wages).sum(axis=(-3, -2, -1)),
        }
        for k, name in enumerate(PENSION_TYPES):
            result[f"pensioners_{name}"] = self.pensioners[..., k, :, :].sum(axis=(-2, -1))
            result[f"pensions_{name}"] = (self.pensioners * self.pension_amounts)[..., k, :, :].sum(axis=(-2, -1))
        return result

    def average_wage(self) -> np.ndarray:
        """Average annual wage of the actives (count-weighted), shape of the batch."""
        count = self.actives.sum(axis=(-3, -2, -1))
        if np.any(count <= 0):
            raise ValueError("the membership has no active members, so it has no average wage; give wages directly.")
        return (self.actives * self.active_wages).sum(axis=(-3, -2, -1)) / count

    def wage_by_age(self) -> np.ndarray:
        """Average wage of the actives by sex and age, ``(..., sex, age)``, with empty cells filled.

        Each (sex, age) cell holds the count-weighted mean wage over service. Ages without
        actives take the wage of the nearest age with actives of the same sex (the younger one
        on a tie); a sex without any actives takes the other sex's profile. This is the wage
        profile (salary scale times the average wage) that :func:`project_insured` uses by
        default.
        """
        count = self.actives.sum(axis=-1)
        mass = (self.actives * self.active_wages).sum(axis=-1)
        if np.any(count.sum(axis=(-2, -1)) <= 0):
            raise ValueError("the membership has no active members, so it has no wage profile; give wages directly.")
        present = count > 0
        mean = np.divide(mass, count, out=np.zeros_like(mass), where=present)
        n_age = count.shape[-1]
        positions = np.arange(n_age)
        # distance from every age to every age with actives: choose the nearest (vectorised over batch and sex)
        distance = np.abs(positions[:, None] - positions[None, :]) + 0.5 * (positions[None, :] > positions[:, None])
        distance = np.where(present[..., None, :], distance, np.inf)          # (..., sex, age, source age)
        nearest = np.argmin(distance, axis=-1)
        filled = np.take_along_axis(mean, nearest, axis=-1)
        sex_present = present.any(axis=-1)                                     # (..., sex)
        other = filled[..., ::-1, :]
        return np.where(sex_present[..., None], filled, other)

    def to_frame(self, which: str = "actives"):
        """Tidy :class:`pandas.DataFrame` of the non-empty cells of ``"actives"``, ``"inactives"`` or ``"pensioners"``.

        Columns are those :func:`load_membership` reads (sex as "female"/"male", type as in
        :data:`PENSION_TYPES`), with a ``scenario`` column first when there are batch axes.
        """
        import pandas as pd

        if which not in ("actives", "inactives", "pensioners"):
            raise ValueError(f"which must be 'actives', 'inactives' or 'pensioners', got {which!r}.")
        counts = getattr(self, which)
        values = {"actives": self.active_wages, "pensioners": self.pension_amounts}.get(which)
        index = np.argwhere(counts > 0)
        batch = counts.ndim - 3
        columns = {}
        if batch:
            columns["scenario"] = np.ravel_multi_index(tuple(index[:, :batch].T), counts.shape[:batch])
        if which == "pensioners":
            columns["sex"] = np.array(SEX_NAMES)[index[:, batch + 1]]
            columns["age"] = self.ages[index[:, batch + 2]]
            columns["type"] = np.array(PENSION_TYPES)[index[:, batch]]
        else:
            columns["sex"] = np.array(SEX_NAMES)[index[:, batch]]
            columns["age"] = self.ages[index[:, batch + 1]]
            columns["service"] = index[:, batch + 2]
        cells = tuple(index.T)
        columns["count"] = counts[cells]
        if values is not None:
            columns["wage" if which == "actives" else "amount"] = values[cells]
        return pd.DataFrame(columns)


# ---------------------------------------------------------------------------------------------
# from arrays
# ---------------------------------------------------------------------------------------------
def _cells(name: str, value, n_age: int | None, what: str) -> np.ndarray:
    arr = as_float_array(name, value)
    if arr.ndim < 3 or arr.shape[-3] != 2 or (n_age is not None and arr.shape[-2] != n_age):
        ages = f"{n_age}" if n_age is not None else "n_age"
        raise ValueError(
            f"{name} must be laid out as (..., sex, age, service) with a sex axis of length 2 and {ages} single ages, "
            f"but it has shape {arr.shape}."
        )
    return check_values(name, arr, trailing=("sex", "age", "service"), lower=0, what=what)


def membership_from_arrays(
    actives: ArrayLike,
    *,
    active_wages: ArrayLike,
    inactives: ArrayLike | None = None,
    pensioners: ArrayLike | None = None,
    pension_amounts: ArrayLike | None = None,
    min_entry_age: int = 15,
) -> Membership:
    """Build a validated :class:`Membership` from arrays.

    Parameters
    ----------
    actives : array_like, shape (..., sex, age, service)
        Active members on single ages ``0 .. omega`` (the age axis sets ``omega``) and service
        ``0 .. max_service``.
    active_wages : array_like, shape (..., sex, age, service) or broadcastable, e.g. (..., sex, age, 1)
        Average annual wage of each cell (> 0 where there are actives).
    inactives : array_like, shape (..., sex, age, service), optional
        Inactive insured persons (default none).
    pensioners : array_like, shape (..., type, sex, age), optional
        Pensioners by type in the order of :data:`PENSION_TYPES` (default none).
    pension_amounts : array_like, shape (..., type, sex, age), optional
        Average annual pension of each cell (>= 0; required when there are pensioners).
    min_entry_age : int, default 15
        Youngest age at which service is credited.

    Returns
    -------
    Membership

    Raises
    ------
    ValueError
        Wrong shapes, negative or missing numbers, a wage of zero where there are actives,
        impossible service (service greater than ``age - min_entry_age``, naming the sex, age
        and service), members younger than ``min_entry_age``.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import membership_from_arrays
    >>> actives = np.zeros((2, 101, 41))
    >>> actives[1, 40, 10] = 250.0                 # 250 men aged 40 with 10 years of service
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 41), 12000.0))
    >>> float(members.totals()["actives"]), float(members.average_wage())
    (250.0, 12000.0)

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 5
    (data for an actuarial valuation).
    """
    if int(min_entry_age) != min_entry_age or min_entry_age < 0:
        raise ValueError(f"min_entry_age must be a whole age, got {min_entry_age!r}.")
    min_entry_age = int(min_entry_age)
    active = _cells("actives", actives, None, "number of members")
    n_age, n_service = active.shape[-2], active.shape[-1]
    if n_age < 3:
        raise ValueError(f"actives needs single ages 0..omega (at least 3), but its age axis has {n_age} entries.")
    if min_entry_age >= n_age - 1:
        raise ValueError(f"min_entry_age={min_entry_age} leaves no working ages below omega={n_age - 1}.")
    wages = check_values("active_wages", active_wages, trailing=("sex", "age", "service"), lower=0, what="wage")
    try:
        wages = np.broadcast_to(wages, np.broadcast_shapes(wages.shape, active.shape))
        active = np.broadcast_to(active, wages.shape)
    except ValueError:
        raise ValueError(f"active_wages (shape {np.shape(wages)}) does not broadcast with actives "
                         f"(shape {active.shape}).") from None
    inactive = np.zeros_like(active) if inactives is None else _cells("inactives", inactives, n_age,
                                                                      "number of members")
    if inactive.shape[-1] != n_service:
        raise ValueError(f"inactives has {inactive.shape[-1]} service entries but actives has {n_service}; use the "
                         f"same service axis 0..max_service for both.")
    ages = np.arange(n_age)
    services = np.arange(n_service)
    impossible = services[None, :] > ages[:, None] - min_entry_age        # (age, service)
    for name, counts in (("actives", active), ("inactives", inactive)):
        bad = (counts > 0) & impossible
        if bad.any():
            index = np.argwhere(bad)[0]
            sex, age, service = (int(i) for i in index[-3:])
            batch = f"batch index {tuple(int(i) for i in index[:-3])}, " if len(index) > 3 else ""
            raise ValueError(
                f"{name} has {counts[tuple(index)]:g} members with impossible service at {batch}sex {sex} "
                f"({SEX_NAMES[sex]}), age {age}, service {service}: service cannot exceed age - min_entry_age = "
                f"{age} - {min_entry_age} = {age - min_entry_age} years. Check the service and age fields (service "
                f"is in whole years of credited contributions) or lower min_entry_age."
            )
    missing_wage = (active > 0) & (wages <= 0)
    if missing_wage.any():
        index = np.argwhere(missing_wage)[0]
        raise ValueError(
            f"active_wages is 0 where there are active members (sex {int(index[-3])}, age {int(index[-2])}, "
            f"service {int(index[-1])}); every cell with actives needs its average wage (> 0)."
        )
    n_types = len(PENSION_TYPES)
    if pensioners is None:
        if pension_amounts is not None:
            raise ValueError("pension_amounts was given without pensioners.")
        pens = np.zeros((n_types, 2, n_age))
        amounts = np.zeros((n_types, 2, n_age))
    else:
        pens = as_float_array("pensioners", pensioners)
        if pens.ndim < 3 or pens.shape[-3:] != (n_types, 2, n_age):
            raise ValueError(
                f"pensioners must be laid out as (..., type, sex, age) with {n_types} types {PENSION_TYPES}, 2 sexes "
                f"and {n_age} ages, but it has shape {pens.shape}."
            )
        pens = check_values("pensioners", pens, trailing=("type", "sex", "age"), lower=0, what="number of pensioners")
        if pension_amounts is None:
            raise ValueError("pensioners was given without pension_amounts (average annual pension of each cell).")
        amounts = check_values("pension_amounts", pension_amounts, trailing=("type", "sex", "age"), lower=0,
                               what="pension")
        try:
            amounts = np.broadcast_to(amounts, np.broadcast_shapes(amounts.shape, pens.shape))
        except ValueError:
            raise ValueError(f"pension_amounts (shape {amounts.shape}) does not broadcast with pensioners "
                             f"(shape {pens.shape}).") from None
    return Membership(actives=np.ascontiguousarray(active), active_wages=np.ascontiguousarray(wages),
                      inactives=np.ascontiguousarray(inactive), pensioners=np.ascontiguousarray(pens),
                      pension_amounts=np.ascontiguousarray(amounts), ages=ages, min_entry_age=min_entry_age)


# ---------------------------------------------------------------------------------------------
# from tables (pandas DataFrame or CSV file)
# ---------------------------------------------------------------------------------------------
def _read(name: str, table):
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table, False
    if isinstance(table, str | Path):
        path = Path(table)
        if not path.exists():
            raise ValueError(f"{name}: no such file {str(path)!r}.")
        return pd.read_csv(path), True
    raise ValueError(f"{name} must be a pandas DataFrame or the path of a CSV file, got {type(table).__name__}.")


def _row(frame, position: int, from_file: bool) -> str:
    label = frame.index[position]
    if from_file:
        return f"row {label} (line {position + 2} of the file, after the header)"
    return f"row {label!r}"


def _require_columns(name: str, frame, required: tuple[str, ...]) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} lacks the column(s) {', '.join(repr(c) for c in missing)}; it has {list(frame.columns)}. "
            f"A {name} table needs the columns {', '.join(required)} (one row per cell)."
        )


def _numeric(name: str, frame, column: str, from_file: bool, *, lower: float | None = 0.0, whole: bool = False,
             upper: float | None = None) -> np.ndarray:
    import pandas as pd

    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: field {column!r} is missing or not a number ({frame[column].iloc[i]!r}) at "
                         f"{_row(frame, i, from_file)}.")
    if lower is not None and (values < lower).any():
        i = int(np.argmax(values < lower))
        raise ValueError(f"{name}: field {column!r} is {values[i]:g} at {_row(frame, i, from_file)}, but it must be at "
                         f"least {lower:g}.")
    if upper is not None and (values > upper).any():
        i = int(np.argmax(values > upper))
        raise ValueError(f"{name}: field {column!r} is {values[i]:g} at {_row(frame, i, from_file)}, but it must be at "
                         f"most {upper:g}.")
    if whole and (values != np.round(values)).any():
        i = int(np.argmax(values != np.round(values)))
        raise ValueError(f"{name}: field {column!r} is {values[i]:g} at {_row(frame, i, from_file)}, but it must be a "
                         f"whole number of years.")
    return values


def _codes(name: str, frame, column: str, aliases: dict[str, object], allowed: str, from_file: bool) -> np.ndarray:
    raw = frame[column]
    keys = raw.astype(str).str.strip().str.lower().str.replace("_", " ").str.replace("-", " ")
    normalised = {k.replace("_", " ").replace("-", " "): v for k, v in aliases.items()}
    numeric_keys = keys.str.replace(r"\.0$", "", regex=True)
    mapped = numeric_keys.map(normalised)
    bad = mapped.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: field {column!r} has the unknown value {raw.iloc[i]!r} at "
                         f"{_row(frame, i, from_file)}; allowed: {allowed}.")
    return mapped.to_numpy()


def _service_check(name: str, frame, age: np.ndarray, service: np.ndarray, min_entry_age: int,
                   from_file: bool) -> None:
    bad = service > age - min_entry_age
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name}: field 'service' is impossible at {_row(frame, i, from_file)}: {service[i]:g} years of service at "
            f"age {age[i]:g}, but service cannot exceed age - min_entry_age = {age[i] - min_entry_age:g} years. "
            f"Correct the record or lower min_entry_age (now {min_entry_age})."
        )


def _aggregate(shape: tuple[int, ...], index: tuple[np.ndarray, ...], weights: np.ndarray) -> np.ndarray:
    out = np.zeros(shape)
    np.add.at(out, index, weights)
    return out


def load_membership(
    actives,
    *,
    pensioners=None,
    inactives=None,
    omega: int = 100,
    min_entry_age: int = 15,
    max_service: int | None = None,
) -> Membership:
    """Read a valuation-date membership file (pandas DataFrames or CSV files) into a :class:`Membership`.

    Tables (one row per cell; rows with the same key are added up, wages and amounts
    count-weighted):

    - actives: ``sex, age, service, count, wage`` (wage = average annual insurable wage);
    - inactives: ``sex, age, service, count`` (other columns ignored);
    - pensioners: ``sex, age, type, count, amount`` (amount = average annual pension).

    ``sex`` is ``female``/``male`` (or ``f``/``m``, 0/1); ``type`` is one of
    :data:`PENSION_TYPES` (``old_age``, ``disability``, ``survivor``, ``orphan``; "old-age",
    "invalidity", "widow" are understood); ``age`` and ``service`` are whole years (age
    completed at the valuation date, ages above ``omega`` go to the open age ``omega``).

    Parameters
    ----------
    actives : pandas.DataFrame or str or Path
        The actives table (a CSV path is read with :func:`pandas.read_csv`).
    pensioners, inactives : pandas.DataFrame or str or Path, optional
        The other tables (default: none).
    omega : int, default 100
        Open age of the grid.
    min_entry_age : int, default 15
        Youngest age at which service is credited; service must not exceed ``age - min_entry_age``.
    max_service : int, optional
        Length of the service axis minus one; default ``omega - min_entry_age``.

    Returns
    -------
    Membership

    Raises
    ------
    ValueError
        A missing column (naming it and the table), a missing or non-numeric value, a negative
        count, wage or amount, a non-whole age or service, an unknown sex or type, an age below
        ``min_entry_age`` for actives and inactives, impossible service, or a wage of zero with
        members: each naming the table, the field and the row.

    Examples
    --------
    >>> import pandas as pd
    >>> from qsp.pensions import load_membership
    >>> actives = pd.DataFrame({"sex": ["female", "male"], "age": [30, 45], "service": [5, 20],
    ...                         "count": [120, 80], "wage": [10000.0, 15000.0]})
    >>> pensioners = pd.DataFrame({"sex": ["male"], "age": [70], "type": ["old_age"], "count": [40],
    ...                            "amount": [6000.0]})
    >>> members = load_membership(actives, pensioners=pensioners)
    >>> float(members.average_wage()), float(members.totals()["pensioners_old_age"])
    (12000.0, 40.0)

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 5
    (data: the membership file and its checks).
    """
    if int(omega) != omega or omega < 2:
        raise ValueError(f"omega must be a whole age of at least 2, got {omega!r}.")
    if int(min_entry_age) != min_entry_age or not 0 <= min_entry_age < omega:
        raise ValueError(f"min_entry_age must be a whole age below omega={omega}, got {min_entry_age!r}.")
    omega, min_entry_age = int(omega), int(min_entry_age)
    n_service = (omega - min_entry_age if max_service is None else int(max_service)) + 1
    n_age = omega + 1
    sex_aliases = {k: v for k, v in _SEX_ALIASES.items()}
    sexes = "female/male (or f/m, 0/1)"

    def insured_table(name, table, with_wage):
        frame, from_file = _read(name, table)
        _require_columns(name, frame, ACTIVE_COLUMNS if with_wage else INACTIVE_COLUMNS)
        sex = _codes(name, frame, "sex", sex_aliases, sexes, from_file).astype(int)
        age = _numeric(name, frame, "age", from_file, whole=True)
        service = _numeric(name, frame, "service", from_file, whole=True)
        count = _numeric(name, frame, "count", from_file)
        young = age < min_entry_age
        if young.any():
            i = int(np.argmax(young))
            raise ValueError(f"{name}: field 'age' is {age[i]:g} at {_row(frame, i, from_file)}, below the minimum "
                             f"entry age {min_entry_age}; correct the record or lower min_entry_age.")
        _service_check(name, frame, age, service, min_entry_age, from_file)
        too_long = service >= n_service
        if too_long.any():
            i = int(np.argmax(too_long))
            raise ValueError(f"{name}: field 'service' is {service[i]:g} at {_row(frame, i, from_file)}, beyond "
                             f"max_service={n_service - 1}; raise max_service.")
        index = (sex, np.minimum(age, omega).astype(int), service.astype(int))
        counts = _aggregate((2, n_age, n_service), index, count)
        if not with_wage:
            return counts, None
        wage = _numeric(name, frame, "wage", from_file)
        no_wage = (count > 0) & (wage <= 0)
        if no_wage.any():
            i = int(np.argmax(no_wage))
            raise ValueError(f"{name}: field 'wage' is 0 at {_row(frame, i, from_file)}, which has "
                             f"{count[i]:g} members; every cell with members needs its average wage (> 0).")
        mass = _aggregate((2, n_age, n_service), index, count * wage)
        return counts, np.divide(mass, counts, out=np.zeros_like(mass), where=counts > 0)

    active_counts, wages = insured_table("actives", actives, True)
    inactive_counts = None
    if inactives is not None:
        inactive_counts, _ = insured_table("inactives", inactives, False)
    pension_counts = amounts = None
    if pensioners is not None:
        frame, from_file = _read("pensioners", pensioners)
        _require_columns("pensioners", frame, PENSIONER_COLUMNS)
        sex = _codes("pensioners", frame, "sex", sex_aliases, sexes, from_file).astype(int)
        age = _numeric("pensioners", frame, "age", from_file, whole=True)
        kind = _codes("pensioners", frame, "type", _TYPE_ALIASES, ", ".join(PENSION_TYPES), from_file)
        type_index = np.array([PENSION_TYPES.index(k) for k in kind], dtype=int) if len(kind) else np.zeros(0, int)
        count = _numeric("pensioners", frame, "count", from_file)
        amount = _numeric("pensioners", frame, "amount", from_file)
        index = (type_index, sex, np.minimum(age, omega).astype(int))
        shape = (len(PENSION_TYPES), 2, n_age)
        pension_counts = _aggregate(shape, index, count)
        mass = _aggregate(shape, index, count * amount)
        amounts = np.divide(mass, pension_counts, out=np.zeros_like(mass), where=pension_counts > 0)
    return membership_from_arrays(active_counts, active_wages=wages, inactives=inactive_counts,
                                  pensioners=pension_counts, pension_amounts=amounts, min_entry_age=min_entry_age)
