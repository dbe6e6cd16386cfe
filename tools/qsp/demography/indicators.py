"""Summary indicators of a population: totals, age groups, dependency ratios, median and mean
age, sex ratio, life expectancy, total fertility, and crude rates of a projection.

Every function takes a population laid out as ``(..., sex, age)`` (sex 0 = female, 1 = male;
single ages 0..omega with the last one open, "100+") and works over any leading axes, so one
call gives the indicator for every year of a projection and every scenario: a projection's
population ``(..., year, sex, age)`` gives ``(..., year)``.

Conventions (each a keyword parameter):

- Dependency ratios use the United Nations age bounds: children 0-14, working ages 15-64,
  older persons 65+ (UN DESA, *World Population Prospects 2024: Methodology*, "Definition of
  indicators"). Ratios are fractions (0.52, not 52 per 100).
- Median and mean age assume that the people of each single year of age are spread uniformly
  over the year, so the median is interpolated linearly inside the year that holds the middle
  person and the mean age of the people aged ``x`` is ``x + 0.5`` (the UN convention).
- Crude rates are per person-year (a fraction) by default; ``per=1000`` gives the usual
  "per 1,000 population".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_sex_axis, check_trailing_shape, check_values, describe_position
from .ages import check_ages, single_ages

UN_WORKING_START = 15
"""First age of the working-age population in the UN definition (15-64)."""
UN_OLD_START = 65
"""First age of the older population in the UN definition (65+)."""


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
def _population(population, ages=None, *, name: str = "population") -> tuple[np.ndarray, np.ndarray]:
    """Check a (..., sex, age) population; return it as float64 and the age grid."""
    arr = check_values(name, population, lower=0.0, what="population count",
                       hint="Populations are counts of people (zero or more) by sex and age.")
    check_sex_axis(name, arr)
    if ages is None:
        grid = single_ages(arr.shape[-1] - 1)
    else:
        grid = check_ages(ages)
        check_trailing_shape(name, arr, (2, grid.size), ("sex", "age"),
                             hint=f"ages has {grid.size} entries; give one population count per age.")
    return arr, np.asarray(grid, dtype=np.float64)


def _age_index(ages: np.ndarray, age: float, name: str) -> int:
    """Position of ``age`` on the grid ``ages``, with a clear error when it is not a start age."""
    hits = np.flatnonzero(ages == float(age))
    if hits.size == 0:
        raise ValueError(
            f"{name}={float(age):g} is not an age on the population's age grid "
            f"({ages[0]:g}..{ages[-1]:g}); choose one of the grid's starting ages."
        )
    return int(hits[0])


def _check_positive(name: str, denominator: np.ndarray, *, what: str, trailing=()) -> None:
    """Raise when a denominator is zero somewhere, saying where."""
    bad = ~(denominator > 0)
    if bad.any():
        idx = tuple(np.argwhere(bad)[0]) if denominator.ndim else ()
        where = f" at {describe_position(idx, trailing)}" if idx else ""
        raise ValueError(
            f"{name} has no {what}{where}, so the indicator is undefined there; "
            f"check that the population is not empty (all zeros) there."
        )


# ---------------------------------------------------------------------------------------------
# totals and age groups
# ---------------------------------------------------------------------------------------------
def total_population(population, *, by_sex: bool = False) -> np.ndarray:
    """Total population, summed over ages (and over sexes unless ``by_sex``).

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    by_sex : bool, default False
        Keep the sex axis: return ``(..., sex)`` instead of ``(..., )``.

    Returns
    -------
    numpy.ndarray
        ``sum_x P_x`` with shape ``(...)`` or ``(..., sex)``.

    Raises
    ------
    ValueError
        If the population is negative, missing or lacks a sex axis of length 2.

    Examples
    --------
    >>> float(total_population([[1.0, 2.0], [3.0, 4.0]]))
    10.0
    """
    arr, _ = _population(population)
    by_age = arr.sum(axis=-1)
    return by_age if by_sex else by_age.sum(axis=-1)


def age_group_totals(population, bounds, *, ages=None, by_sex: bool = False) -> np.ndarray:
    """Population in broad age groups whose lower bounds are ``bounds``.

    Group ``i`` holds the ages ``bounds[i] <= x < bounds[i+1]``; the last group is open
    (``x >= bounds[-1]``, up to and including the open interval). Ages below ``bounds[0]``
    are left out, so ``bounds=(65,)`` gives the population 65+, ``bounds=(0, 15, 65)`` the
    groups 0-14, 15-64 and 65+.

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    bounds : sequence of int
        Increasing lower bounds of the groups; each must be an age of the grid.
    ages : array_like, optional
        Age grid of the population (default single ages ``0..omega``).
    by_sex : bool, default False
        Keep the sex axis.

    Returns
    -------
    numpy.ndarray, shape (..., group) or (..., sex, group)

    Raises
    ------
    ValueError
        If ``bounds`` is not increasing or holds an age not on the grid.

    Examples
    --------
    >>> pop = np.ones((2, 101))
    >>> age_group_totals(pop, (0, 15, 65))
    array([ 30., 100.,  72.])
    """
    arr, grid = _population(population, ages)
    starts = np.atleast_1d(np.asarray(bounds))
    if starts.ndim != 1 or starts.size == 0:
        raise ValueError(f"bounds must be a non-empty 1-D sequence of ages, got {bounds!r}.")
    if np.any(np.diff(starts) <= 0):
        raise ValueError(f"bounds must be in increasing order, got {list(starts)}.")
    positions = [_age_index(grid, b, "bounds") for b in starts]
    grouped = np.add.reduceat(arr, positions, axis=-1)
    return grouped if by_sex else grouped.sum(axis=-2)


# ---------------------------------------------------------------------------------------------
# dependency ratios
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DependencyRatios:
    """Dependency ratios of a population (fractions), each of shape ``(...)``.

    Attributes
    ----------
    youth : children (under ``working_start``) per person of working age
    old_age : older persons (``old_start`` and over) per person of working age
    total : ``youth + old_age``
    potential_support : persons of working age per older person (``1 / old_age``)
    working_start, old_start : the age bounds used
    """

    youth: np.ndarray
    old_age: np.ndarray
    total: np.ndarray
    potential_support: np.ndarray
    working_start: float
    old_start: float


def _broad_groups(population, ages, working_start, old_start):
    arr, grid = _population(population, ages)
    if not working_start < old_start:
        raise ValueError(
            f"working_start ({working_start}) must be below old_start ({old_start}): "
            "working ages run from working_start up to old_start - 1."
        )
    first = _age_index(grid, working_start, "working_start")
    if first == 0:
        raise ValueError(f"working_start must be above the first age ({grid[0]:g}) so that there are children.")
    last = _age_index(grid, old_start, "old_start")
    by_age = arr.sum(axis=-2)
    children = by_age[..., :first].sum(axis=-1)
    working = by_age[..., first:last].sum(axis=-1)
    older = by_age[..., last:].sum(axis=-1)
    return children, working, older


def dependency_ratios(
    population, *, ages=None, working_start: float = UN_WORKING_START, old_start: float = UN_OLD_START
) -> DependencyRatios:
    """Youth, old-age and total dependency ratios and the potential support ratio.

    With ``C`` the population under ``working_start``, ``W`` those aged ``working_start`` to
    ``old_start - 1`` and ``O`` those aged ``old_start`` and over (both sexes):

    - youth dependency ratio ``C / W``
    - old-age dependency ratio ``O / W``
    - total dependency ratio ``(C + O) / W``
    - potential support ratio ``W / O``

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    ages : array_like, optional
        Age grid (default single ages).
    working_start : int, default 15
        First working age. The UN definition is 15 (working ages 15-64).
    old_start : int, default 65
        First "older" age. The UN definition is 65.

    Returns
    -------
    DependencyRatios
        Fractions (multiply by 100 for "per 100 persons of working age").

    Raises
    ------
    ValueError
        If the bounds are not ages of the grid or out of order, or if there is nobody of
        working age (or nobody older, for the support ratio).

    References
    ----------
    UN DESA Population Division (2024), *World Population Prospects 2024: Methodology of the
    United Nations population estimates and projections*, definitions of indicators.
    Preston, Heuveline & Guillot (2001), *Demography*, section 1.6.

    Examples
    --------
    >>> pop = np.ones((2, 101))
    >>> r = dependency_ratios(pop)
    >>> float(r.youth), float(r.old_age)
    (0.3, 0.72)
    """
    children, working, older = _broad_groups(population, ages, working_start, old_start)
    _check_positive("population", working, what="people of working age", trailing=())
    _check_positive("population", older, what=f"people aged {old_start}+", trailing=())
    youth = children / working
    old_age = older / working
    return DependencyRatios(
        youth=youth,
        old_age=old_age,
        total=youth + old_age,
        potential_support=working / older,
        working_start=working_start,
        old_start=old_start,
    )


def youth_dependency_ratio(
    population, *, ages=None, working_start: float = UN_WORKING_START, old_start: float = UN_OLD_START
) -> np.ndarray:
    """Children per person of working age: ``P(0..14) / P(15..64)`` by default (UN).

    See :func:`dependency_ratios` for the parameters; returns a fraction of shape ``(...)``.
    """
    children, working, _ = _broad_groups(population, ages, working_start, old_start)
    _check_positive("population", working, what="people of working age", trailing=())
    return children / working


def old_age_dependency_ratio(
    population, *, ages=None, working_start: float = UN_WORKING_START, old_start: float = UN_OLD_START
) -> np.ndarray:
    """Older persons per person of working age: ``P(65+) / P(15..64)`` by default (UN).

    See :func:`dependency_ratios` for the parameters; returns a fraction of shape ``(...)``.
    """
    _, working, older = _broad_groups(population, ages, working_start, old_start)
    _check_positive("population", working, what="people of working age", trailing=())
    return older / working


def total_dependency_ratio(
    population, *, ages=None, working_start: float = UN_WORKING_START, old_start: float = UN_OLD_START
) -> np.ndarray:
    """``(P(0..14) + P(65+)) / P(15..64)`` by default (UN): youth plus old-age dependency.

    See :func:`dependency_ratios` for the parameters; returns a fraction of shape ``(...)``.
    """
    children, working, older = _broad_groups(population, ages, working_start, old_start)
    _check_positive("population", working, what="people of working age", trailing=())
    return (children + older) / working


def potential_support_ratio(
    population, *, ages=None, working_start: float = UN_WORKING_START, old_start: float = UN_OLD_START
) -> np.ndarray:
    """Persons of working age per older person: ``P(15..64) / P(65+)`` by default (UN).

    The inverse of the old-age dependency ratio. See :func:`dependency_ratios`.
    """
    _, working, older = _broad_groups(population, ages, working_start, old_start)
    _check_positive("population", older, what=f"people aged {old_start}+", trailing=())
    return working / older


# ---------------------------------------------------------------------------------------------
# median and mean age, sex ratio
# ---------------------------------------------------------------------------------------------
def _by_age(population, ages, by_sex: bool, open_interval_width: float):
    arr, grid = _population(population, ages)
    if not open_interval_width > 0:
        raise ValueError(f"open_interval_width must be positive (years), got {open_interval_width!r}.")
    widths = np.append(np.diff(grid), float(open_interval_width))
    counts = arr if by_sex else arr.sum(axis=-2)
    trailing = ("sex",) if by_sex else ()
    total = counts.sum(axis=-1)
    _check_positive("population", total, what="people", trailing=trailing)
    return counts, grid, widths


def median_age(population, *, ages=None, by_sex: bool = False, open_interval_width: float = 1.0) -> np.ndarray:
    """Median age, interpolated within the age interval that holds the middle person.

    The people of each age interval ``[x, x + n)`` are taken to be spread uniformly over it
    (the UN convention for single ages), so with ``N`` the total, ``C_x`` the number of people
    younger than ``x`` and ``P_x`` the number aged ``x`` in the interval where ``C_x < N/2 <=
    C_x + P_x``::

        median = x + n * (N/2 - C_x) / P_x

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    ages : array_like, optional
        Age grid (default single ages ``0..omega``; abridged grids work too).
    by_sex : bool, default False
        Median of each sex (``(..., sex)``) instead of both sexes together.
    open_interval_width : float, default 1.0
        Width given to the open last interval ("100+") if the median falls in it (it then
        behaves like one more single year). Only matters for populations where half the
        people are in the open interval.

    Returns
    -------
    numpy.ndarray, shape (...) or (..., sex)
        Median age in years.

    Raises
    ------
    ValueError
        If the population is empty somewhere (the median is undefined).

    References
    ----------
    Shryock & Siegel (1976), *The Methods and Materials of Demography*, ch. 7 (median of
    grouped data); UN DESA (2024), *World Population Prospects 2024: Methodology*.

    Examples
    --------
    >>> median_age([[0.0, 10.0, 10.0], [0.0, 0.0, 0.0]])
    array(2.)
    """
    counts, grid, widths = _by_age(population, ages, by_sex, open_interval_width)
    cumulative = np.cumsum(counts, axis=-1)
    half = cumulative[..., -1:] / 2.0
    # first interval whose cumulative count reaches half the total
    position = np.minimum((cumulative < half).sum(axis=-1, keepdims=True), grid.size - 1)
    in_interval = np.take_along_axis(counts, position, axis=-1)
    before = np.take_along_axis(cumulative, position, axis=-1) - in_interval
    start = grid[position]
    width = widths[position]
    return (start + width * (half - before) / in_interval)[..., 0]


def mean_age(population, *, ages=None, by_sex: bool = False, open_interval_width: float = 1.0) -> np.ndarray:
    """Mean age of the population, counting the people aged ``x`` as ``x + n/2`` years old.

    ``mean = sum_x P_x (x + n_x / 2) / sum_x P_x``. For single ages this is ``x + 0.5`` (people
    spread uniformly over each year of age).

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    ages : array_like, optional
        Age grid (default single ages).
    by_sex : bool, default False
        Mean of each sex instead of both sexes together.
    open_interval_width : float, default 1.0
        Width given to the open last interval, so its people count as ``omega + width/2``.
        The default treats "100+" like one more single year, which slightly understates the
        mean age of centenarians but matters little for a whole population.

    Returns
    -------
    numpy.ndarray, shape (...) or (..., sex)

    Examples
    --------
    >>> float(mean_age([[1.0, 1.0], [0.0, 0.0]]))
    1.0
    """
    counts, grid, widths = _by_age(population, ages, by_sex, open_interval_width)
    midpoints = grid + widths / 2.0
    return (counts @ midpoints) / counts.sum(axis=-1)


def sex_ratio(population, *, by_age: bool = False, per: float = 1.0) -> np.ndarray:
    """Males per female: ``P_male / P_female`` (overall or by age).

    Parameters
    ----------
    population : array_like, shape (..., sex, age)
        Population counts.
    by_age : bool, default False
        Ratio at each age (``(..., age)``) instead of the whole population (``(...)``).
    per : float, default 1.0
        Scale: the default gives males per female (a fraction, the kit's convention);
        ``per=100`` gives the usual "males per 100 females".

    Raises
    ------
    ValueError
        If there are no females where a ratio is asked for.

    Examples
    --------
    >>> float(sex_ratio([[100.0, 100.0], [105.0, 95.0]], per=100))
    100.0
    """
    arr, _ = _population(population)
    females, males = (arr[..., 0, :], arr[..., 1, :]) if by_age else (arr[..., 0, :].sum(-1), arr[..., 1, :].sum(-1))
    trailing = ("age",) if by_age else ()
    _check_positive("population", females, what="females", trailing=trailing)
    return per * males / females


# ---------------------------------------------------------------------------------------------
# life expectancy and fertility (thin wrappers)
# ---------------------------------------------------------------------------------------------
def life_expectancy(
    mx,
    *,
    at_age: float | None = 0,
    ages=None,
    sex: int | None = None,
    a0: str = "andreev-kingkade",
    ax=None,
) -> np.ndarray:
    """Life expectancy ``e_x`` from death rates, through :func:`qsp.demography.life_table`.

    Parameters
    ----------
    mx : array_like, shape (..., sex, age) or (..., age) when ``sex`` is given
        Central death rates per person-year.
    at_age : float or None, default 0
        Age at which to read the life expectancy (``e_0`` by default); ``None`` returns the
        whole ``e_x`` column.
    ages, sex, a0, ax
        Passed to :func:`qsp.demography.life_table` (see there for the conventions:
        Andreev-Kingkade ``a_0`` by default, ``a_x = 0.5`` at other single ages).

    Returns
    -------
    numpy.ndarray
        ``e_x`` in years, shape ``(..., sex)`` (or ``(..., sex, age)`` when ``at_age`` is None).

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, ch. 3.
    """
    from .lifetable import life_table

    table = life_table(mx, ages=ages, sex=sex, a0=a0, ax=ax)
    if at_age is None:
        return table.ex
    position = _age_index(np.asarray(table.ages, dtype=np.float64), at_age, "at_age")
    return table.ex[..., position]


def total_fertility_rate(asfr, *, ages=None, width=None) -> np.ndarray:
    """Total fertility rate ``TFR = sum_x n_x f_x``: see :func:`qsp.demography.tfr`."""
    from .fertility import tfr

    return tfr(asfr, ages=ages, width=width)


# ---------------------------------------------------------------------------------------------
# rates of a projection
# ---------------------------------------------------------------------------------------------
def _person_years(projection) -> np.ndarray:
    """Person-years lived in each projection interval: mean of the start and end populations."""
    totals = np.asarray(projection.population, dtype=np.float64).sum(axis=(-2, -1))
    return 0.5 * (totals[..., :-1] + totals[..., 1:]) * _interval_lengths(projection)


def _interval_lengths(projection) -> np.ndarray | float:
    """Lengths of the projection intervals in years (1 when the projection has no ``years``)."""
    years = getattr(projection, "years", None)
    if years is None:
        return 1.0
    return np.diff(np.asarray(years, dtype=np.float64))


def crude_birth_rate(projection, *, per: float = 1.0) -> np.ndarray:
    """Births per person-year lived in each interval of a projection.

    ``CBR_t = B_t / (n_t (P_t + P_{t+1}) / 2)`` where ``B_t`` are the births (both sexes)
    between ``years[t]`` and ``years[t+1]``, ``n_t`` the length of that interval and ``P_t``
    the total population at the start of year ``t`` (the average of the two populations
    approximates the mid-year population, as in UN WPP).

    Parameters
    ----------
    projection : Projection
        A result of :func:`qsp.demography.project` (any object with ``.population``
        ``(..., T, sex, age)``, ``.births`` ``(..., T-1, sex)`` and ``.years``).
    per : float, default 1.0
        The default gives a fraction (births per person-year); ``per=1000`` gives the
        conventional "per 1,000 population".

    Returns
    -------
    numpy.ndarray, shape (..., T-1)

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, section 1.5 (crude rates).
    """
    births = np.asarray(projection.births, dtype=np.float64).sum(axis=-1)
    return per * births / _person_years(projection)


def crude_death_rate(projection, *, per: float = 1.0) -> np.ndarray:
    """Deaths per person-year lived in each interval of a projection.

    ``CDR_t = D_t / (n_t (P_t + P_{t+1}) / 2)`` with ``D_t`` the deaths of both sexes and all
    ages between ``years[t]`` and ``years[t+1]``; see :func:`crude_birth_rate`.

    Parameters
    ----------
    projection : Projection
        With ``.population`` ``(..., T, sex, age)`` and ``.deaths`` ``(..., T-1, sex, age)``.
    per : float, default 1.0
        ``per=1000`` for "per 1,000 population".

    Returns
    -------
    numpy.ndarray, shape (..., T-1)
    """
    deaths = np.asarray(projection.deaths, dtype=np.float64).sum(axis=(-2, -1))
    return per * deaths / _person_years(projection)


def crude_net_migration_rate(projection, *, per: float = 1.0) -> np.ndarray:
    """Net migrants per person-year lived in each interval of a projection.

    ``CNMR_t = M_t / (n_t (P_t + P_{t+1}) / 2)`` with ``M_t`` the (realised) net migrants of both
    sexes and all ages between ``years[t]`` and ``years[t+1]``; see :func:`crude_birth_rate`.
    With the same denominator, ``CBR - CDR + CNMR`` equals the crude growth rate
    ``(P_{t+1} - P_t) / (n_t (P_t + P_{t+1}) / 2)`` (the balancing equation).

    Parameters
    ----------
    projection : Projection
        With ``.population`` ``(..., T, sex, age)`` and ``.migrants`` ``(..., T-1, sex, age)``.
    per : float, default 1.0
        ``per=1000`` for "per 1,000 population".

    Returns
    -------
    numpy.ndarray, shape (..., T-1)
    """
    migrants = np.asarray(projection.migrants, dtype=np.float64).sum(axis=(-2, -1))
    return per * migrants / _person_years(projection)


def growth_rate(population, *, years=None, method: str = "exponential") -> np.ndarray:
    """Growth rate of the total population between successive years.

    Parameters
    ----------
    population : array_like, shape (..., T, sex, age), or a Projection
        Populations at the start of each year (a Projection's ``.population`` and ``.years``
        are used when one is given).
    years : array_like, shape (T,), optional
        The years (default consecutive years, ``n = 1``).
    method : {"exponential", "geometric"}, default "exponential"
        ``"exponential"``: ``r = ln(P_{t+1} / P_t) / n`` (the UN WPP "rate of population
        change"); ``"geometric"``: ``(P_{t+1} / P_t)^(1/n) - 1`` (the annual percentage change,
        as a fraction).

    Returns
    -------
    numpy.ndarray, shape (..., T-1)
        Per year, as a fraction.

    Raises
    ------
    ValueError
        For an unknown method, fewer than two years, or an empty population.

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, section 1.2.
    """
    if hasattr(population, "population"):
        if years is None:
            years = getattr(population, "years", None)
        population = population.population
    if method not in ("exponential", "geometric"):
        raise ValueError(f"method must be 'exponential' or 'geometric', got {method!r}.")
    arr, _ = _population(population)
    if arr.ndim < 3 or arr.shape[-3] < 2:
        raise ValueError(
            f"population must have a year axis with at least two years before (sex, age), "
            f"but it has shape {arr.shape}."
        )
    totals = arr.sum(axis=(-2, -1))
    _check_positive("population", totals, what="people", trailing=("year",))
    if years is None:
        lengths = np.float64(1.0)
    else:
        grid = np.asarray(years, dtype=np.float64)
        if grid.shape != (arr.shape[-3],):
            raise ValueError(f"years must hold one entry per year of population ({arr.shape[-3]}), got {grid.shape}.")
        lengths = np.diff(grid)
        if np.any(lengths <= 0):
            raise ValueError(f"years must be increasing, got {grid.tolist()}.")
    ratio = totals[..., 1:] / totals[..., :-1]
    if method == "exponential":
        return np.log(ratio) / lengths
    return ratio ** (1.0 / lengths) - 1.0
