"""Labour force, employment and the insured population by age and sex.

The chain that turns a population into the contributors of a pension scheme (ILO pension
model; Plamondon et al. 2002, ch. 4 "Projection of the insured population"):

- labour force ``LF = N x pi`` (population times participation rates);
- employed ``E = LF x (1 - u)`` and unemployed ``U = LF x u`` (unemployment rate ``u``);
- insured ``I = E x c`` (coverage rate ``c``: the share of the employed who are members of the
  scheme; informal or excluded workers are the rest);
- contributors ``C = I x d`` (contribution density ``d``: the share of the year in which an
  insured person actually contributes; ``C`` counts full-year contributor equivalents).

Every function works element by element on ``(..., sex, age)`` or ``(..., year, sex, age)``
arrays: rates broadcast against the population, so a rate by ``(sex, age)`` applies to every
year and every scenario, a rate by ``(..., year, sex, age)`` varies over time, and an
aggregate rate that varies by year only is given as ``(..., year, 1, 1)`` (see
:func:`by_year`). Leading axes are scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import SEX_NAMES, as_float_array, check_values

_RATE_HINT = "Rates are fractions between 0 and 1 (0.65 for 65%), not percentages."


def _trailing(arr: np.ndarray) -> tuple[str, ...]:
    """Axis names used in messages: (year, sex, age) for arrays of 3+ axes, else (sex, age)."""
    return ("year", "sex", "age") if arr.ndim >= 3 else ("sex", "age")


def _counts(name: str, value: ArrayLike, what: str = "number of persons") -> np.ndarray:
    arr = as_float_array(name, value)
    if arr.ndim < 2 or arr.shape[-2] != 2:
        raise ValueError(
            f"{name} must be laid out as (..., sex, age) or (..., year, sex, age) with a sex axis of length 2 "
            f"(0 = female, 1 = male) at axis -2, but it has shape {arr.shape}."
        )
    return check_values(name, arr, trailing=_trailing(arr), lower=0, what=what,
                        hint="Counts of people are zero or more.")


def _rate(name: str, value: ArrayLike, what: str) -> np.ndarray:
    arr = as_float_array(name, value)
    return check_values(name, arr, trailing=_trailing(arr), lower=0, upper=1, what=what, hint=_RATE_HINT)


def _broadcast(first: str, a: np.ndarray, second: str, b: np.ndarray) -> None:
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"{first} (shape {a.shape}) and {second} (shape {b.shape}) do not broadcast together. Both are "
            f"laid out as (..., sex, age) or (..., year, sex, age); a rate by (sex, age) applies to every year, "
            f"an aggregate rate by year has shape (..., year, 1, 1) (see qsp.labour.by_year)."
        ) from None


def by_year(values: ArrayLike) -> np.ndarray:
    """Turn a series by year ``(..., year)`` into ``(..., year, 1, 1)`` so it broadcasts over (sex, age).

    Use it for aggregate rates (an unemployment rate of the whole labour force, a coverage
    rate of the whole economy) that change from year to year.

    Parameters
    ----------
    values : array_like, shape (..., n_years)
        One value per year on the last axis.

    Returns
    -------
    ndarray, shape (..., n_years, 1, 1)

    Raises
    ------
    ValueError
        A single number (it broadcasts already: pass it as is).

    Examples
    --------
    >>> from qsp.labour import by_year
    >>> by_year([0.05, 0.06, 0.07]).shape
    (3, 1, 1)

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4.
    """
    arr = as_float_array("values", values)
    if arr.ndim == 0:
        raise ValueError("values is a single number; it broadcasts over (year, sex, age) as it is, so pass it directly.")
    return arr[..., None, None]


def labour_force(population: ArrayLike, participation_rate: ArrayLike) -> np.ndarray:
    """Labour force by age and sex: population times participation rates, ``LF = N x pi``.

    Parameters
    ----------
    population : array_like, shape (..., sex, age) or (..., year, sex, age)
        Persons by sex (0 female, 1 male) and single age (>= 0).
    participation_rate : array_like
        Labour-force participation rates (share of the population employed or looking for
        work), in [0, 1], broadcasting against ``population``: ``(sex, age)`` for rates
        constant over time, ``(..., year, sex, age)`` for rates by year.

    Returns
    -------
    ndarray
        Labour force, the broadcast shape of the inputs (persons).

    Raises
    ------
    ValueError
        Negative or missing population, rates outside [0, 1] (naming year, sex and age),
        shapes that do not broadcast.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.labour import labour_force
    >>> population = np.array([[100.0, 200.0], [100.0, 200.0]])   # (sex, age)
    >>> labour_force(population, [[0.5, 0.6], [0.7, 0.8]]).tolist()
    [[50.0, 120.0], [70.0, 160.0]]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4.
    ILO (2018). *ILO modelled estimates: labour force participation rates*, methodology.
    """
    pop = _counts("population", population)
    rate = _rate("participation_rate", participation_rate, "participation rate")
    _broadcast("population", pop, "participation_rate", rate)
    return pop * rate


def employment(labour_force: ArrayLike, unemployment_rate: ArrayLike = 0.0) -> np.ndarray:
    """Employed persons: labour force times one minus the unemployment rate, ``E = LF x (1 - u)``.

    Parameters
    ----------
    labour_force : array_like, shape (..., sex, age) or (..., year, sex, age)
        Labour force (persons, >= 0).
    unemployment_rate : array_like, default 0
        Share of the labour force without work, in [0, 1]: a number (aggregate and constant),
        ``(sex, age)``, ``(..., year, sex, age)``, or ``(..., year, 1, 1)`` for an aggregate
        rate by year (:func:`by_year`).

    Returns
    -------
    ndarray
        Employed persons, the broadcast shape of the inputs.

    Raises
    ------
    ValueError
        Negative or missing labour force, an unemployment rate outside [0, 1], shapes that do
        not broadcast.

    Examples
    --------
    >>> from qsp.labour import employment
    >>> employment([[100.0, 200.0], [50.0, 80.0]], 0.1).tolist()
    [[90.0, 180.0], [45.0, 72.0]]

    References
    ----------
    ILO (1982). Resolution concerning statistics of the economically active population,
    employment, unemployment and underemployment (13th ICLS). Plamondon et al. (2002), ch. 4.
    """
    force = _counts("labour_force", labour_force)
    rate = _rate("unemployment_rate", unemployment_rate, "unemployment rate")
    _broadcast("labour_force", force, "unemployment_rate", rate)
    return force * (1.0 - rate)


def unemployment(labour_force: ArrayLike, unemployment_rate: ArrayLike = 0.0) -> np.ndarray:
    """Unemployed persons: ``U = LF x u`` (so that employed + unemployed = labour force).

    Parameters
    ----------
    labour_force : array_like, shape (..., sex, age) or (..., year, sex, age)
        Labour force (persons, >= 0).
    unemployment_rate : array_like, default 0
        As in :func:`employment`.

    Returns
    -------
    ndarray
        Unemployed persons, the broadcast shape of the inputs.

    Raises
    ------
    ValueError
        As :func:`employment`.

    Examples
    --------
    >>> from qsp.labour import unemployment
    >>> unemployment([[100.0, 200.0], [50.0, 80.0]], 0.1).tolist()
    [[10.0, 20.0], [5.0, 8.0]]

    References
    ----------
    ILO (1982). Resolution concerning statistics of the economically active population (13th ICLS).
    """
    force = _counts("labour_force", labour_force)
    rate = _rate("unemployment_rate", unemployment_rate, "unemployment rate")
    _broadcast("labour_force", force, "unemployment_rate", rate)
    return force * rate


def insured_population(employed: ArrayLike, coverage_rate: ArrayLike = 1.0) -> np.ndarray:
    """Insured persons: the employed times the scheme's coverage rate, ``I = E x c``.

    Parameters
    ----------
    employed : array_like, shape (..., sex, age) or (..., year, sex, age)
        Employed persons (>= 0).
    coverage_rate : array_like, default 1
        Share of the employed who are insured (registered members of the scheme), in [0, 1],
        by ``(sex, age)``, ``(..., year, sex, age)`` or aggregate. Informal workers and groups
        outside the scheme make up the rest.

    Returns
    -------
    ndarray
        Insured persons, the broadcast shape of the inputs.

    Raises
    ------
    ValueError
        Negative or missing counts, a coverage rate outside [0, 1], shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.labour import insured_population
    >>> insured_population([[90.0, 180.0], [45.0, 72.0]], [[0.5, 0.5], [0.4, 0.5]]).tolist()
    [[45.0, 90.0], [18.0, 36.0]]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4
    (coverage and the insured population).
    """
    people = _counts("employed", employed)
    rate = _rate("coverage_rate", coverage_rate, "coverage rate")
    _broadcast("employed", people, "coverage_rate", rate)
    return people * rate


def contributors(insured: ArrayLike, contribution_density: ArrayLike = 1.0) -> np.ndarray:
    """Contributors in full-year equivalents: insured times contribution density, ``C = I x d``.

    The density is the average share of the year for which an insured person pays
    contributions (0.8 = ten months out of twelve, or 80% of the insured contributing all
    year). ``C`` times the average covered wage is the contribution base of the year.

    Parameters
    ----------
    insured : array_like, shape (..., sex, age) or (..., year, sex, age)
        Insured persons (>= 0).
    contribution_density : array_like, default 1
        Contribution density in [0, 1], by ``(sex, age)``, ``(..., year, sex, age)`` or aggregate.

    Returns
    -------
    ndarray
        Contributors (full-year equivalents), the broadcast shape of the inputs.

    Raises
    ------
    ValueError
        Negative or missing counts, a density outside [0, 1], shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.labour import contributors
    >>> contributors([[45.0, 90.0], [18.0, 36.0]], 0.8).tolist()
    [[36.0, 72.0], [14.4, 28.8]]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4
    (density of contributions).
    """
    people = _counts("insured", insured)
    rate = _rate("contribution_density", contribution_density, "contribution density")
    _broadcast("insured", people, "contribution_density", rate)
    return people * rate


@dataclass(frozen=True, eq=False)
class LabourMarket:
    """Result of :func:`project_labour`: the chain population -> contributors, element by element.

    Attributes
    ----------
    population, labour_force, employed, unemployed, insured, contributors : ndarray
        Persons, all with the broadcast shape of the inputs, ``(..., year, sex, age)`` for a
        projected population (contributors in full-year equivalents).
    wages : ndarray or None
        Covered wage per contributor by ``(..., year, sex, age)`` when wages were asked for.
    years : ndarray or None
        Labels of the year axis (when the population has one).
    """

    population: np.ndarray
    labour_force: np.ndarray
    employed: np.ndarray
    unemployed: np.ndarray
    insured: np.ndarray
    contributors: np.ndarray
    wages: np.ndarray | None
    years: np.ndarray | None

    @property
    def wage_bill(self) -> np.ndarray:
        """Covered wages of all contributors by year, ``sum over (sex, age) of C x w``, shape ``(..., year)``."""
        if self.wages is None:
            raise ValueError("no wages were projected: pass average_wage and salary_scale to project_labour.")
        return (self.contributors * self.wages).sum(axis=(-2, -1))

    def totals(self) -> dict[str, np.ndarray]:
        """Totals over sex and age of every count, shape ``(..., year)`` (or batch only)."""
        names = ("population", "labour_force", "employed", "unemployed", "insured", "contributors")
        return {name: getattr(self, name).sum(axis=(-2, -1)) for name in names}

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame`: scenario (with a batch), year, sex, age, variable, value."""
        import pandas as pd

        variables = {name: getattr(self, name) for name in
                     ("population", "labour_force", "employed", "unemployed", "insured", "contributors")}
        if self.wages is not None:
            variables["wage"] = self.wages
        shape = np.broadcast_shapes(*(v.shape for v in variables.values()))
        has_year = self.years is not None
        n_trailing = 3 if has_year else 2
        batch = shape[: len(shape) - n_trailing]
        index = np.indices(shape).reshape(len(shape), -1)
        frames = []
        for name, values in variables.items():
            columns = {}
            if batch:
                flat = np.ravel_multi_index(index[: len(batch)], batch) if len(batch) > 1 else index[0]
                columns["scenario"] = flat
            if has_year:
                columns["year"] = np.asarray(self.years)[index[-3]]
            columns["sex"] = np.array(SEX_NAMES)[index[-2]]
            columns["age"] = index[-1]
            columns["variable"] = name
            columns["value"] = np.broadcast_to(values, shape).reshape(-1)
            frames.append(pd.DataFrame(columns))
        return pd.concat(frames, ignore_index=True)


def project_labour(
    population: ArrayLike,
    *,
    participation_rate: ArrayLike,
    unemployment_rate: ArrayLike = 0.0,
    coverage_rate: ArrayLike = 1.0,
    contribution_density: ArrayLike = 1.0,
    average_wage: ArrayLike | None = None,
    salary_scale: ArrayLike | None = None,
    wage_growth: ArrayLike = 0.0,
    years: ArrayLike | None = None,
) -> LabourMarket:
    """From a (projected) population to labour force, employment, insured persons, contributors and wages.

    ``LF = N pi``, ``E = LF (1 - u)``, ``U = LF u``, ``I = E c``, ``C = I d`` element by element
    (see the module docstring) and, when ``average_wage`` is given, the covered wage
    ``w(t, s, x) = W_0 I_t scale(s, x)`` of :func:`covered_wages`, with the salary scale
    normalised so that the contributor-weighted average wage of each year is ``W_0 I_t``.

    Parameters
    ----------
    population : array_like, shape (..., year, sex, age) or (..., sex, age)
        Persons (e.g. ``qsp.demography.project(...).population``).
    participation_rate, unemployment_rate, coverage_rate, contribution_density : array_like
        Rates in [0, 1] broadcasting against ``population`` (see :func:`labour_force`,
        :func:`employment`, :func:`insured_population`, :func:`contributors`).
    average_wage : float or array_like (batch shape), optional
        Average covered wage per contributor in the first year (money per year). Needs a year
        axis in ``population``.
    salary_scale : array_like, shape (..., sex, age), optional
        Relative wage by sex and age (default: 1 everywhere, a flat profile).
    wage_growth : float or array_like, shape (..., 1) or (..., n_years), default 0
        Nominal growth of the average wage, year ``t`` over ``t - 1`` (the first entry, for the
        first year, is not used).
    years : array_like, optional
        Labels of the year axis, e.g. ``range(2025, 2101)`` (default ``0 .. n_years - 1``).

    Returns
    -------
    LabourMarket
        All counts with the broadcast shape; ``.totals()``, ``.wage_bill``, ``.to_frame()``.

    Raises
    ------
    ValueError
        Rates outside [0, 1] or negative populations (naming year, sex and age), shapes that do
        not broadcast, wages asked for without a year axis.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.labour import project_labour
    >>> population = np.full((2, 2, 3), 100.0)          # (year, sex, age)
    >>> market = project_labour(population, participation_rate=0.6, unemployment_rate=0.1,
    ...                         coverage_rate=0.5, contribution_density=0.8,
    ...                         average_wage=1000.0, wage_growth=0.05)
    >>> float(market.contributors[0, 0, 0])
    21.6
    >>> market.wage_bill.round(2).tolist()
    [129600.0, 136080.0]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4.
    ILO (1997). *The ILO Pension Model: A Technical Guide*, the labour-force and insured
    population modules.
    """
    pop = _counts("population", population)
    force = labour_force(pop, participation_rate)
    employed = employment(force, unemployment_rate)
    unemployed = unemployment(force, unemployment_rate)
    insured = insured_population(employed, coverage_rate)
    contributing = contributors(insured, contribution_density)
    has_year = pop.ndim >= 3
    labels = None
    if has_year:
        n_years = pop.shape[-3]
        labels = np.arange(n_years) if years is None else np.asarray(years)
        if labels.shape != (n_years,):
            raise ValueError(f"years must hold {n_years} labels (one per entry of the year axis), got shape "
                             f"{labels.shape}.")
    wages = None
    if average_wage is not None:
        if not has_year:
            raise ValueError(
                "average_wage was given but population has no year axis (shape "
                f"{pop.shape}); pass a projected population (..., year, sex, age) to project wages."
            )
        from .wages import covered_wages

        scale = np.ones(pop.shape[-2:]) if salary_scale is None else salary_scale
        wages = covered_wages(average_wage, scale, n_years=pop.shape[-3], wage_growth=wage_growth,
                              weights=contributing)
    return LabourMarket(population=np.broadcast_to(pop, force.shape), labour_force=force, employed=employed,
                        unemployed=unemployed, insured=insured, contributors=contributing, wages=wages, years=labels)
