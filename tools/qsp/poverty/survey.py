"""A weighted household survey: households, their members, the design, and welfare per adult equivalent.

Conventions
-----------
- A *household* row has an id, a survey weight (the number of households it represents in the
  population), its total consumption (or income) per year in national currency, and optionally
  its stratum, cluster (primary sampling unit) and region.
- A *member* row has the id of its household, an age in completed years, a sex (0 = female,
  1 = male) and optionally a disability flag.
- Welfare is household consumption per adult equivalent (:mod:`qsp.poverty.scales`); every
  member of a household has the household's welfare (consumption is shared equally).
- Measures over *people* weight each household by ``weight x size`` (:attr:`Survey.person_weight`);
  money totals (the cost of a transfer) weight by ``weight``.

Every check raises a :class:`ValueError` that names the column, the row and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .scales import adult_equivalents


def _show(value) -> str:
    """A value of an id column as the user wrote it (1, not np.int64(1))."""
    return repr(value.item() if hasattr(value, "item") else value)


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _numeric(name: str, values, n: int | None, *, table: str, lower: float | None = None,
             lower_inclusive: bool = True, hint: str = "") -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{table} column {name!r} must be numeric: {exc}") from exc
    if arr.ndim != 1:
        raise ValueError(f"{table} column {name!r} must be one value per row (1-D), got shape {arr.shape}.")
    if n is not None and arr.size != n:
        raise ValueError(f"{table} column {name!r} has {arr.size} rows but the {table} table has {n}.")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{table} column {name!r} is missing (or infinite) at row {i}; fill or drop that row "
                         f"before building the survey. {hint}".rstrip())
    if lower is not None:
        bad = arr < lower if lower_inclusive else arr <= lower
        if bad.any():
            i = _first_bad(bad)
            relation = "at least" if lower_inclusive else "greater than"
            raise ValueError(f"{table} column {name!r} is {arr[i]:g} at row {i}, but it must be {relation} {lower:g}. "
                             f"{hint}".rstrip())
    return arr


def _codes(name: str, values, n: int, *, table: str = "household") -> tuple[np.ndarray, tuple]:
    """Integer codes 0..k-1 for a categorical column, and the labels in code order."""
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size != n:
        raise ValueError(f"{table} column {name!r} must have one value per row ({n}), got shape {arr.shape}.")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{table} column {name!r} is missing at row {_first_bad(np.isnan(arr))}.")
    if arr.dtype == object and any(v is None for v in arr):
        raise ValueError(f"{table} column {name!r} is missing at row {[v is None for v in arr].index(True)}.")
    labels, codes = np.unique(arr, return_inverse=True)
    return codes.astype(np.intp), tuple(labels.tolist())


@dataclass(frozen=True, eq=False)
class Survey:
    """A validated household survey (build it with :func:`make_survey`).

    Attributes
    ----------
    household_id : ndarray, shape (n,)
        The households' ids as given.
    weight : ndarray, shape (n,)
        Household survey weights (households represented).
    consumption : ndarray, shape (n,)
        Household consumption (or income) per year, national currency.
    size : ndarray, shape (n,)
        Members per household.
    adult_equivalents : ndarray, shape (n,)
        Adult equivalents per household under :attr:`scale`.
    welfare : ndarray, shape (n,)
        ``consumption / adult_equivalents``: the welfare of each of the household's members.
    person_weight : ndarray, shape (n,)
        ``weight x size``: the people each household row represents.
    member_household : ndarray of int, shape (m,)
        Position (0..n-1) of each member's household.
    age, sex : ndarray, shape (m,)
        Members' ages (completed years) and sexes (0 = female, 1 = male).
    disabled : ndarray of bool, shape (m,)
        Members with a qualifying disability (all False when the survey has no such column).
    stratum, cluster : ndarray of int, shape (n,)
        Design codes (one stratum and each household its own cluster when not given).
    region : ndarray of int, shape (n,)
        Region codes 0..k-1; :attr:`region_names` gives their labels.
    scale : str
        The equivalence scale used for :attr:`welfare`.
    """

    household_id: np.ndarray
    weight: np.ndarray
    consumption: np.ndarray
    size: np.ndarray
    adult_equivalents: np.ndarray
    member_household: np.ndarray
    age: np.ndarray
    sex: np.ndarray
    disabled: np.ndarray
    stratum: np.ndarray
    cluster: np.ndarray
    region: np.ndarray
    region_names: tuple
    scale: str
    extra: dict = field(default_factory=dict)

    @property
    def n_households(self) -> int:
        return int(self.weight.size)

    @property
    def welfare(self) -> np.ndarray:
        return self.consumption / self.adult_equivalents

    @property
    def person_weight(self) -> np.ndarray:
        return self.weight * self.size

    @property
    def population(self) -> float:
        """Estimated number of people (sum of ``weight x size``)."""
        return float(self.person_weight.sum())

    def member_count(self, mask: np.ndarray) -> np.ndarray:
        """Members per household for which ``mask`` (shape (m,)) is true; shape (n,)."""
        return np.bincount(self.member_household, weights=np.asarray(mask, dtype=np.float64),
                           minlength=self.n_households)

    def with_scale(self, scale: str, **parameters) -> Survey:
        """The same survey with welfare per adult equivalent under another equivalence scale."""
        ae = adult_equivalents(self.member_household, self.age, self.n_households, scale=scale, **parameters)
        return _replace(self, adult_equivalents=ae, scale=scale)

    def with_consumption(self, consumption) -> Survey:
        """The same survey with household consumption replaced (e.g. after a transfer), shape (n,)."""
        values = _numeric("consumption", consumption, self.n_households, table="household", lower=0.0)
        return _replace(self, consumption=values)


def _replace(survey: Survey, **changes) -> Survey:
    from dataclasses import replace

    return replace(survey, **changes)


def make_survey(household_id, weight, consumption, member_household_id, age, sex, *, disabled=None,
                stratum=None, cluster=None, region=None, scale: str = "per_capita", extra: dict | None = None,
                **scale_parameters) -> Survey:
    """Validate a household survey and build a :class:`Survey`.

    Parameters
    ----------
    household_id : array_like, shape (n,)
        Unique id of each household (numbers or strings).
    weight : array_like, shape (n,)
        Survey weight of each household (households represented), zero or more.
    consumption : array_like, shape (n,)
        Household consumption (or income) per year in national currency, zero or more.
    member_household_id : array_like, shape (m,)
        For each member, the id of their household (must be one of ``household_id``).
    age : array_like, shape (m,)
        Age in completed years, zero or more.
    sex : array_like, shape (m,)
        0 = female, 1 = male.
    disabled : array_like of bool, shape (m,), optional
        A qualifying disability (for the disability benefit).
    stratum, cluster : array_like, shape (n,), optional
        Sampling stratum and primary sampling unit (cluster) of each household; each cluster
        must lie in one stratum. Without them the survey is treated as a simple random sample of
        households (for standard errors).
    region : array_like, shape (n,), optional
        Region of each household (any labels).
    scale : str, default "per_capita"
        Equivalence scale (:func:`qsp.poverty.adult_equivalents`); ``scale_parameters`` are
        passed on to it.
    extra : dict of arrays of shape (n,), optional
        Further household characteristics kept with the survey (e.g. the proxy-means-test
        variables: ``{"urban": ..., "rooms": ...}``).

    Returns
    -------
    Survey

    Raises
    ------
    ValueError
        Duplicate household ids, members of unknown households, households without members,
        missing values, negative weights or consumption, a sex other than 0/1, a cluster in two
        strata, columns of the wrong length: the message names the column and the row.

    Examples
    --------
    >>> s = make_survey([1, 2], [100.0, 50.0], [1200.0, 400.0], [1, 1, 2], [40, 8, 70], [0, 1, 1])
    >>> s.welfare.tolist(), s.person_weight.tolist()
    ([600.0, 400.0], [200.0, 50.0])
    """
    ids = np.asarray(household_id)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"household_id must be a non-empty 1-D column, got shape {ids.shape}.")
    n = ids.size
    if ids.dtype.kind == "f" and np.isnan(ids).any():
        raise ValueError(f"household table column 'household_id' is missing at row {_first_bad(np.isnan(ids))}.")
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    dup = sorted_ids[1:] == sorted_ids[:-1]
    if dup.any():
        j = _first_bad(dup)
        rows = sorted(order[[j, j + 1]].tolist())
        raise ValueError(f"household_id {_show(sorted_ids[j])} appears more than once (rows {rows[0]} and {rows[1]}); "
                         "each household must be listed once in the household table.")
    w = _numeric("weight", weight, n, table="household", lower=0.0,
                 hint="Survey weights are the number of households each row represents: zero or more.")
    if w.sum() <= 0:
        raise ValueError("household column 'weight' sums to zero: at least one household needs a positive weight.")
    c = _numeric("consumption", consumption, n, table="household", lower=0.0,
                 hint="Consumption is a yearly amount in national currency, zero or more.")
    member_ids = np.asarray(member_household_id)
    if member_ids.ndim != 1 or member_ids.size == 0:
        raise ValueError(f"member_household_id must be a non-empty 1-D column, got shape {member_ids.shape}.")
    m = member_ids.size
    try:
        pos = np.searchsorted(sorted_ids, member_ids)
    except TypeError as exc:
        raise ValueError("member_household_id and household_id must be of the same kind (both numbers or both "
                         f"strings): {exc}") from exc
    pos_clipped = np.minimum(pos, n - 1)
    unknown = sorted_ids[pos_clipped] != member_ids
    if unknown.any():
        i = _first_bad(unknown)
        raise ValueError(f"member row {i} belongs to household {_show(member_ids[i])}, which is not in the household "
                         f"table ({int(unknown.sum())} member rows in all); check that both tables use the same "
                         "household ids.")
    member_household = order[pos_clipped].astype(np.intp)
    size = np.bincount(member_household, minlength=n).astype(np.float64)
    empty = size == 0
    if empty.any():
        i = _first_bad(empty)
        raise ValueError(f"household {_show(ids[i])} (row {i}) has no members in the member table "
                         f"({int(empty.sum())} such households); drop it or add its members.")
    a = _numeric("age", age, m, table="member", lower=0.0, hint="Ages are completed years, zero or more.")
    s = _numeric("sex", sex, m, table="member")
    bad_sex = (s != 0) & (s != 1)
    if bad_sex.any():
        i = _first_bad(bad_sex)
        raise ValueError(f"member column 'sex' is {s[i]:g} at row {i}; use 0 for female and 1 for male.")
    if disabled is None:
        dis = np.zeros(m, dtype=bool)
    else:
        d = _numeric("disabled", disabled, m, table="member")
        if ((d != 0) & (d != 1)).any():
            i = _first_bad((d != 0) & (d != 1))
            raise ValueError(f"member column 'disabled' is {d[i]:g} at row {i}; use 1 (true) or 0 (false).")
        dis = d.astype(bool)
    strata, _ = _codes("stratum", stratum, n) if stratum is not None else (np.zeros(n, dtype=np.intp), ())
    if cluster is not None:
        clusters, _ = _codes("cluster", cluster, n)
        pairs = np.unique(np.stack([clusters, strata]), axis=1)
        split = np.bincount(pairs[0]) > 1
        if split.any():
            k = _first_bad(split)
            i = _first_bad(clusters == k)
            raise ValueError(f"cluster {_show(np.asarray(cluster)[i])} lies in more than one stratum; clusters (primary "
                             "sampling units) must be nested in strata: give clusters ids unique across strata.")
    else:
        clusters = np.arange(n, dtype=np.intp)
    if region is not None:
        regions, names = _codes("region", region, n)
    else:
        regions, names = np.zeros(n, dtype=np.intp), ("all",)
    kept = {}
    for key, values in (extra or {}).items():
        kept[key] = _numeric(key, values, n, table="household")
    ae = adult_equivalents(member_household, a, n, scale=scale, **scale_parameters)
    return Survey(household_id=ids, weight=w, consumption=c, size=size, adult_equivalents=ae,
                  member_household=member_household, age=a, sex=s.astype(np.int8), disabled=dis, stratum=strata,
                  cluster=clusters, region=regions, region_names=names, scale=scale, extra=kept)
