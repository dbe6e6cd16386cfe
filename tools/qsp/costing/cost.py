"""Costing kernels: eligible people, benefit expenditure and the package as shares of GDP and of
government revenue, year by year and for every scenario at once.

Inputs are a population projection ``(..., year, sex, age)`` (sex 0 = female, 1 = male; ages
0..omega, the last one open) and a :class:`qsp.economy.MacroFrame` over the same years. GDP per
capita is computed here as ``nominal GDP / total population`` of the population given, so the
two always agree (if the macro frame carries its own population, it must be the same one).
Money is nominal national currency per year; shares are fractions (0.012 = 1.2% of GDP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_sex_axis, check_trailing_shape, check_values
from ..demography.ages import check_ages, single_ages
from ..economy._frame import long_frame, wide_frame
from ..economy.macro import MacroFrame
from .benefits import Benefit, CashBenefit, Eligibility, HealthCareBenefit

_TRAILING = ("year", "sex", "age")


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
def _population(population, ages, n_years: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    arr = check_values("population", population, trailing=_TRAILING, lower=0.0, what="population count",
                       hint="Populations are counts of people (zero or more), laid out (..., year, sex, age).")
    if arr.ndim < 3:
        raise ValueError(
            f"population must be laid out (..., year, sex, age), but it has shape {arr.shape}. For a single "
            f"year, add a year axis: population[None]."
        )
    check_sex_axis("population", arr)
    grid = single_ages(arr.shape[-1] - 1) if ages is None else check_ages(ages)
    check_trailing_shape("population", arr, (n_years, 2, len(grid)), _TRAILING,
                         hint=(f"The macro frame covers {n_years} years; give one population per projection "
                               f"year, and one count per age of the age grid ({len(grid)} ages).")
                         if n_years is not None else f"Give one count per age of the age grid ({len(grid)} ages).")
    return arr, np.asarray(grid, dtype=np.float64)


def _check_macro(macro) -> MacroFrame:
    if not isinstance(macro, MacroFrame):
        raise ValueError(
            f"macro must be a MacroFrame (from qsp.economy.project_macro), got {type(macro).__name__}."
        )
    return macro


def _gdp_per_capita(population: np.ndarray, macro: MacroFrame) -> np.ndarray:
    """Nominal GDP / total population, checking the macro frame's own population if it has one."""
    totals = population.sum(axis=(-2, -1))
    try:
        np.broadcast_shapes(totals.shape, macro.nominal_gdp.shape)
    except ValueError:
        raise ValueError(
            f"the scenario axes of population {population.shape[:-3]} and of the macro frame "
            f"{macro.batch_shape} do not broadcast together; leading axes are scenarios and must have equal "
            f"lengths or length 1."
        ) from None
    if np.any(totals <= 0):
        idx = tuple(np.argwhere(totals <= 0)[0])
        raise ValueError(f"population is empty (total 0) in year {macro.years[idx[-1]]}; GDP per capita is undefined.")
    if macro.population_total is not None:
        own = np.broadcast_to(macro.population_total, np.broadcast_shapes(totals.shape, macro.population_total.shape))
        gap = np.abs(own - totals) > 1e-9 * np.abs(own)
        if np.any(gap):
            idx = tuple(np.argwhere(gap)[0])
            raise ValueError(
                f"the macro frame was projected with a different total population ({own[idx]:g}) than the "
                f"population passed here ({np.broadcast_to(totals, own.shape)[idx]:g}) in year "
                f"{macro.years[idx[-1]]}; GDP per capita would disagree. Project the macro frame with "
                f"population_total=population.sum(axis=(-2, -1))."
            )
    return macro.nominal_gdp / totals


def _age_mask(group: Eligibility, ages: np.ndarray) -> np.ndarray:
    """(2, n_ages) mask of the group's sexes and ages, checking that its bounds are on the grid."""
    for label, bound in (("min_age", group.min_age), ("max_age", group.max_age)):
        if bound is not None and not np.any(ages == float(bound)):
            raise ValueError(
                f"eligibility {label}={float(bound):g}{f' ({group.label})' if group.label else ''} is not the start "
                f"of an age interval of the population's age grid ({ages[0]:g}..{ages[-1]:g}); use one of the "
                f"grid's ages so that no interval is split."
            )
    upper = np.inf if group.max_age is None else float(group.max_age)
    in_band = (ages >= float(group.min_age)) & (ages < upper)
    mask = np.zeros((2, ages.size))
    mask[list(group.sexes)] = in_band
    return mask


def _share(name: str, share: np.ndarray, n_years: int, n_ages: int, label: str) -> np.ndarray:
    """Check that a share broadcasts to (..., year, sex, age) with the right trailing lengths."""
    expected = (n_years, 2, n_ages)
    trailing = share.shape[max(share.ndim - 3, 0):]
    names = _TRAILING[3 - len(trailing):]
    wanted = expected[3 - len(trailing):]
    for axis_name, got, want in zip(names, trailing, wanted):
        if got not in (1, want):
            raise ValueError(
                f"{name} of {label} has shape {share.shape}, which does not broadcast to (..., year, sex, age) = "
                f"(..., {n_years}, 2, {n_ages}): its {axis_name} axis has {got} entries. A share is a number, an "
                f"age profile (2, {n_ages}), or a series over years shaped (n_years, 1, 1) "
                f"(share[:, None, None])."
            )
    return share


def _index_series(indexation: str | None, macro: MacroFrame, gdp_per_capita: np.ndarray) -> np.ndarray | None:
    """The series a benefit's amount follows (None: a fixed amount)."""
    return {"prices": macro.cpi, "wages": macro.average_wage, "gdp_per_capita": gdp_per_capita}.get(indexation)


def _index(indexation: str | None, macro: MacroFrame, gdp_per_capita: np.ndarray,
           out: np.ndarray | None = None) -> np.ndarray:
    """``index_t / index_0`` of the benefit's indexation, shape batch + (n_years,) (written into ``out`` if given)."""
    index = _index_series(indexation, macro, gdp_per_capita)
    if index is None:
        if out is None:
            return np.ones(macro.years.size)
        out.fill(1.0)
        return out
    return np.divide(index, index[..., :1], out=out)


def _eligible_terms(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, *,
                    by_age: bool = False) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Eligible persons of a checked population as a sum of terms ``counted x share`` (share None: 1).

    A group whose share (``status_share x targeting_share``) is the same at every sex and age (a
    number, a series over years or one share per scenario) is counted as ``(population @ mask) x
    share``: a matrix-vector product over (sex, age), then a product over ``(..., year)``, so that a
    share per scenario never builds a ``(..., year, sex, age)`` array. Other groups are weighted
    age by age. With ``by_age``, one term ``(population x weights, None)`` by sex and age.
    """
    if isinstance(benefit, HealthCareBenefit):
        return [(pop.copy() if by_age else pop.sum(axis=(-2, -1)), None)]
    if not isinstance(benefit, CashBenefit):
        raise ValueError(f"benefit must be a CashBenefit or HealthCareBenefit, got {type(benefit).__name__}.")
    n_years = pop.shape[-3]
    groups = []
    for group in benefit.eligibility:
        status = _share("status_share", group.status_share, n_years, grid.size, group.label or benefit.name)
        target = _share("targeting_share", group.targeting_share, n_years, grid.size, group.label or benefit.name)
        groups.append((_age_mask(group, grid), status, target))
    weights_shape = np.broadcast_shapes((2, grid.size), *(s.shape for _, status, target in groups
                                                          for s in (status, target)))
    try:
        np.broadcast_shapes(pop.shape, weights_shape)
    except ValueError:
        raise ValueError(
            f"the shares of {benefit.name} have shape {weights_shape}, whose scenario axes do not broadcast "
            f"with the population's {pop.shape}; leading axes are scenarios (equal lengths or 1)."
        ) from None
    if by_age:
        return [(pop * sum(mask * status * target for mask, status, target in groups), None)]
    flat = pop.reshape(pop.shape[:-2] + (-1,))
    terms = []
    by_age_weights = None
    for mask, status, target in groups:
        share = status * target
        if all(length == 1 for length in share.shape[-2:]):
            # the same share at every sex and age: count the band, the share applies per (..., year)
            counted = flat @ mask.reshape(-1)
            if share.size == 1 and share.ndim <= 2:
                terms.append((counted, None) if share.reshape(()) == 1.0 else (counted, share.reshape(())))
            else:
                terms.append((counted, share.reshape(share.shape[:-2])))
        else:
            by_age_weights = mask * share if by_age_weights is None else by_age_weights + mask * share
    if by_age_weights is not None:
        if by_age_weights.ndim <= 2:
            # one (sex, age) weight profile for every year and scenario: a matrix-vector product, no temporary
            counted = flat @ np.broadcast_to(by_age_weights, (2, grid.size)).reshape(-1)
        else:
            counted = np.einsum("...sa,...sa->...", pop, by_age_weights)
        terms.append((counted, None))
    return terms


def _terms_shape(terms: list[tuple[np.ndarray, np.ndarray | None]]) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(part) for term in terms for part in term if part is not None))


def _sum_terms(terms: list[tuple[np.ndarray, np.ndarray | None]], out: np.ndarray | None = None) -> np.ndarray:
    """``sum of counted x share`` over the terms, written into ``out`` (new array if None)."""
    if out is None:
        out = np.empty(_terms_shape(terms))
    counted, share = terms[0]
    if share is None:
        np.copyto(out, counted)
    else:
        np.multiply(counted, share, out=out)
    for counted, share in terms[1:]:
        out += counted if share is None else counted * share
    return out


def _eligible(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, *, by_age: bool = False) -> np.ndarray:
    """Eligible persons of a checked population (see :func:`eligible_population`)."""
    terms = _eligible_terms(pop, grid, benefit, by_age=by_age)
    return terms[0][0] if len(terms) == 1 and terms[0][1] is None else _sum_terms(terms)


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class BenefitCost:
    """Cost of one benefit; arrays have shape ``batch + (n_years,)`` unless said otherwise.

    Attributes
    ----------
    name : str
    years : ndarray
    eligible : eligible persons (before take-up)
    take_up : share of the eligible reached, shape ``(n_years,)``
    beneficiaries : ``eligible x take_up``
    level : annual amount per beneficiary (health care: cost per covered person), national currency
    benefit_expenditure : ``beneficiaries x level``
    administration : ``admin_loading x benefit_expenditure``
    total : ``benefit_expenditure + administration``
    share_of_gdp, share_of_revenue, share_of_expenditure : ``total`` over nominal GDP, government
        revenue and government expenditure (fractions)
    cap_binding : bool array of batch shape (first-year level capped at the PPP line) or None
    """

    name: str
    years: np.ndarray
    eligible: np.ndarray
    take_up: np.ndarray
    beneficiaries: np.ndarray
    level: np.ndarray
    benefit_expenditure: np.ndarray
    administration: np.ndarray
    total: np.ndarray
    share_of_gdp: np.ndarray
    share_of_revenue: np.ndarray
    share_of_expenditure: np.ndarray
    cap_binding: np.ndarray | None = None

    def variables(self) -> dict[str, np.ndarray]:
        """The year-by-year arrays by name."""
        names = ("eligible", "take_up", "beneficiaries", "level", "benefit_expenditure", "administration",
                 "total", "share_of_gdp", "share_of_revenue", "share_of_expenditure")
        return {name: getattr(self, name) for name in names}

    def to_frame(self):
        """Tidy frame: scenario..., year, benefit, variable, value."""
        return long_frame(self.years, self.variables(), extra={"benefit": self.name})


@dataclass(frozen=True, kw_only=True, eq=False)
class PackageCost:
    """Cost of a package of benefits: the per-benefit costs and their totals.

    ``benefit_expenditure``, ``administration`` and ``total`` are sums over the benefits, shape
    ``batch + (n_years,)``; ``share_of_*`` are ``total`` over GDP, government revenue and
    government expenditure; ``nominal_gdp`` and ``revenue`` are the macro frame's denominators.
    """

    years: np.ndarray
    benefits: tuple[BenefitCost, ...]
    benefit_expenditure: np.ndarray
    administration: np.ndarray
    total: np.ndarray
    share_of_gdp: np.ndarray
    share_of_revenue: np.ndarray
    share_of_expenditure: np.ndarray
    nominal_gdp: np.ndarray
    revenue: np.ndarray

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the benefits, in package order."""
        return tuple(cost.name for cost in self.benefits)

    def composition(self, variable: str = "total") -> np.ndarray:
        """One variable of every benefit stacked on a benefit axis: shape ``batch + (n_benefits, n_years)``."""
        arrays = [getattr(cost, variable) for cost in self.benefits]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        return np.stack([np.broadcast_to(a, shape) for a in arrays], axis=-2)

    def to_frame(self):
        """Tidy frame: scenario..., year, benefit, item, money, share_of_gdp, share_of_revenue.

        ``item`` is ``"benefits"``, ``"administration"`` or ``"total"``; the rows with
        ``benefit == "package"`` hold the sums over the benefits.
        """
        import pandas as pd

        pieces = []
        entries = [(cost.name, cost) for cost in self.benefits] + [("package", self)]
        for name, cost in entries:
            for item, money in (("benefits", cost.benefit_expenditure), ("administration", cost.administration),
                                ("total", cost.total)):
                pieces.append(wide_frame(self.years, {
                    "money": money, "share_of_gdp": money / self.nominal_gdp,
                    "share_of_revenue": money / self.revenue,
                }, extra={"benefit": name, "item": item}))
        return pd.concat(pieces, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------------------------
def eligible_population(population: ArrayLike, benefit: Benefit, *, ages: ArrayLike | None = None,
                        by_age: bool = False) -> np.ndarray:
    """Number of people eligible for a benefit (before take-up), year by year.

    For a cash benefit, ``sum over groups, sexes and ages in the group's band of population x
    status_share x targeting_share``; for health care, the whole population.

    Parameters
    ----------
    population : array_like
        Population ``(..., year, sex, age)``.
    benefit : CashBenefit or HealthCareBenefit
    ages : array_like, optional
        Age grid (starts of the age intervals); default single ages ``0..omega``.
    by_age : bool, default False
        Return ``(..., year, sex, age)`` instead of totals ``(..., year)``.

    Returns
    -------
    ndarray
        Eligible persons, ``(..., year)`` or ``(..., year, sex, age)``.

    Raises
    ------
    ValueError
        Negative or missing counts, a population not laid out ``(..., year, sex, age)``, age bounds
        that are not on the age grid, shares that do not broadcast.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.costing import Eligibility, BenefitLevel, CashBenefit, eligible_population
    >>> population = np.array([[[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]]])     # one year, ages 0, 1, 2+
    >>> old = CashBenefit(name="pension", eligibility=Eligibility(min_age=2),
    ...                   level=BenefitLevel(share_of_gdp_per_capita=0.3))
    >>> eligible_population(population, old)
    array([8.])

    References
    ----------
    Pal et al. (2005), ILO Issues in Social Protection Discussion Paper 13; ILO (2008), Social Security
    Policy Briefing 3.
    """
    pop, grid = _population(population, ages)
    return _eligible(pop, grid, benefit, by_age=by_age)


def benefit_cost(population: ArrayLike, benefit: Benefit, macro: MacroFrame, *,
                 ages: ArrayLike | None = None, out: BenefitCost | None = None) -> BenefitCost:
    """Cost of one benefit, year by year, in money and as shares of GDP and government revenue.

    Cash benefit::

        level_0   = min(basis_0, cap_ppp_per_day x PPP_0) x days      (basis: share x GDPpc_0 / 365,
                                                                        PPP$ x PPP_0, or national)
        level_t   = level_0 x index_t / index_0                        (prices: CPI; wages: average wage;
                                                                        gdp_per_capita; none: 1)
        cost_t    = eligible_t x take_up_t x level_t
        admin_t   = admin_loading x cost_t

    Health care: ``level_t = staff_per_1000 / 1000 x wage_multiple x GDPpc_t x (1 + markup)`` per
    covered person, covered = population x take-up.

    Parameters
    ----------
    population : array_like
        Population ``(..., year, sex, age)`` over the macro frame's years.
    benefit : CashBenefit or HealthCareBenefit
    macro : MacroFrame
        Macroeconomic frame over the same years (GDP, CPI, wages, revenue, PPP factor).
    ages : array_like, optional
        Age grid; default single ages.
    out : BenefitCost, optional
        The cost of the same benefit from an earlier call with the same years and scenario axes,
        whose arrays are refilled instead of allocating new ones (for repeated runs, e.g. a
        sensitivity loop: fresh memory costs about as much as the computation). ``out`` then
        holds the new values too.

    Returns
    -------
    BenefitCost

    Raises
    ------
    ValueError
        Bad population, a year axis that does not match the macro frame, scenario axes that do not
        broadcast, a macro frame projected with another population.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.costing import BenefitLevel, CashBenefit, Eligibility, benefit_cost
    >>> population = np.array([[[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]]])   # one year, ages 0, 1, 2+: 68 people
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=68_000.0, employment=30.0,
    ...     productivity_growth=0.0, gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0,
    ...     ppp_factor=2.0), years=[2025])
    >>> pension = CashBenefit(name="pension", eligibility=Eligibility(min_age=2),
    ...     level=BenefitLevel(share_of_gdp_per_capita=0.3, cap_ppp_per_day=1.0))
    >>> cost = benefit_cost(population, pension, macro)     # 8 people x 300 a year
    >>> cost.total, cost.share_of_gdp
    (array([2400.]), array([0.03529412]))

    References
    ----------
    Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
    afford basic social protection? First results of a modelling exercise*. Issues in Social Protection,
    Discussion Paper 13, ILO, Geneva. ILO (2008). *Can low-income countries afford basic social
    security?* Social Security Policy Briefings, Paper 3, ILO, Geneva.
    """
    macro = _check_macro(macro)
    pop, grid = _population(population, ages, macro.years.size)
    if out is not None and not isinstance(out, BenefitCost):
        raise ValueError(f"out must be a BenefitCost from an earlier call, got {type(out).__name__}.")
    return _benefit_cost(pop, grid, benefit, macro, _gdp_per_capita(pop, macro), out=out)


_BENEFIT_ARRAYS = ("eligible", "beneficiaries", "level", "benefit_expenditure", "administration", "total",
                   "share_of_gdp", "share_of_revenue", "share_of_expenditure")
"""The year-by-year arrays of a :class:`BenefitCost` that the kernel writes (``out=`` refills them)."""
_PACKAGE_ARRAYS = ("benefit_expenditure", "administration", "total", "share_of_gdp", "share_of_revenue",
                   "share_of_expenditure")
"""The arrays of a :class:`PackageCost` (besides its benefits') that the kernel writes."""


def _reused(out, names: tuple[str, ...], shape: tuple[int, ...], years: np.ndarray, what: str) -> dict:
    """The arrays of an earlier result, checked to have this call's layout and to be writeable."""
    if out.years.shape != years.shape or np.any(out.years != years):
        raise ValueError(f"out ({what}) covers the years {out.years[0]}..{out.years[-1]}, but this call covers "
                         f"{years[0]}..{years[-1]}; pass the result of a call with the same years.")
    arrays = {name: getattr(out, name) for name in names}
    for name, array in arrays.items():
        if array.shape != shape:
            raise ValueError(f"out ({what}) has {name} of shape {array.shape}, but this call gives shape {shape}; "
                             f"pass the result of a call with the same scenario axes and years.")
        if not array.flags.writeable:
            raise ValueError(f"out ({what}) has a read-only {name}; pass the result of an earlier call as returned.")
    return arrays


def _prepare(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, macro: MacroFrame,
             gdp_per_capita: np.ndarray) -> dict:
    """The small parts of a benefit's cost (terms of the eligible count, take-up, first-year amount) and its
    output shape."""
    n_years = macro.years.size
    eligible = _eligible_terms(pop, grid, benefit)
    take_up = benefit.phase_in.take_up(n_years)
    first = cap_binding = None
    if isinstance(benefit, HealthCareBenefit):
        level_shape = gdp_per_capita.shape
    else:
        first, cap_binding = benefit.level.annual_amount(gdp_per_capita[..., 0], macro.ppp_factor[..., 0])
        index = _index_series(benefit.indexation, macro, gdp_per_capita)
        level_shape = np.broadcast_shapes(first.shape + (1,), (n_years,) if index is None else index.shape)
    shape = np.broadcast_shapes(_terms_shape(eligible), take_up.shape, level_shape, macro.nominal_gdp.shape)
    return {"eligible": eligible, "take_up": take_up, "first": first, "cap_binding": cap_binding, "shape": shape}


def _new_arrays(layouts: list[tuple[tuple[str, ...], tuple[int, ...]]]) -> list[dict[str, np.ndarray]]:
    """New arrays for several results, as contiguous views of ONE block of memory.

    ``layouts`` lists (names, shape) per result. One large allocation costs several times less
    than many separate ones: the operating system zeroes fresh memory on first touch, page by
    page, and a large block gets huge pages (numpy asks for them from 4 MB). Measured: writing
    the 42 arrays of a package of 4 benefits for 8 x 1,000 scenarios x 30 years into fresh memory
    took about 80 ms as separate arrays and 18 ms as one block (benchmarks/costing.py).
    """
    block = np.empty(sum(len(names) * int(np.prod(shape)) for names, shape in layouts))
    offset = 0
    arrays = []
    for names, shape in layouts:
        size = int(np.prod(shape))
        views = {}
        for name in names:
            views[name] = block[offset:offset + size].reshape(shape)
            offset += size
        arrays.append(views)
    return arrays


def _fill(benefit: Benefit, prepared: dict, macro: MacroFrame, gdp_per_capita: np.ndarray,
          arrays: dict[str, np.ndarray]) -> BenefitCost:
    """Write a benefit's year-by-year arrays (each by one numpy call with ``out=``) and wrap them."""
    _sum_terms(prepared["eligible"], out=arrays["eligible"])
    level = arrays["level"]
    if isinstance(benefit, HealthCareBenefit):
        benefit.cost_per_person(gdp_per_capita, out=level)
    else:
        # level_t = level_0 x index_t / index_0
        _index(benefit.indexation, macro, gdp_per_capita, out=level)
        level *= prepared["first"][..., None]
    np.multiply(arrays["eligible"], prepared["take_up"], out=arrays["beneficiaries"])
    np.multiply(arrays["beneficiaries"], level, out=arrays["benefit_expenditure"])
    np.multiply(benefit.admin_loading, arrays["benefit_expenditure"], out=arrays["administration"])
    np.add(arrays["benefit_expenditure"], arrays["administration"], out=arrays["total"])
    np.divide(arrays["total"], macro.nominal_gdp, out=arrays["share_of_gdp"])
    np.divide(arrays["total"], macro.revenue, out=arrays["share_of_revenue"])
    np.divide(arrays["total"], macro.expenditure, out=arrays["share_of_expenditure"])
    return BenefitCost(name=benefit.name, years=macro.years, take_up=prepared["take_up"],
                       cap_binding=prepared["cap_binding"], **arrays)


def _reused_benefit(out: BenefitCost, benefit: Benefit, shape: tuple[int, ...], years: np.ndarray) -> dict:
    if out.name != benefit.name:
        raise ValueError(f"out is the cost of {out.name!r}, not of {benefit.name!r}; pass the cost of the same "
                         f"benefit from an earlier call.")
    return _reused(out, _BENEFIT_ARRAYS, shape, years, f"cost of {benefit.name}")


def _benefit_cost(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, macro: MacroFrame,
                  gdp_per_capita: np.ndarray, out: BenefitCost | None = None) -> BenefitCost:
    """Cost of one benefit for a checked population and macro frame (see :func:`benefit_cost`)."""
    prepared = _prepare(pop, grid, benefit, macro, gdp_per_capita)
    if out is None:
        arrays = _new_arrays([(_BENEFIT_ARRAYS, prepared["shape"])])[0]
    else:
        arrays = _reused_benefit(out, benefit, prepared["shape"], macro.years)
    return _fill(benefit, prepared, macro, gdp_per_capita, arrays)


def _sum_over_benefits(arrays: list[np.ndarray], out: np.ndarray) -> np.ndarray:
    """Sum of the benefits' arrays (which may differ in their scenario axes), written into ``out``."""
    if len(arrays) == 1:
        np.copyto(out, arrays[0])
        return out
    np.add(arrays[0], arrays[1], out=out)
    for array in arrays[2:]:
        out += array
    return out


def cost_package(population: ArrayLike, benefits: Sequence[Benefit], macro: MacroFrame, *,
                 ages: ArrayLike | None = None, out: PackageCost | None = None) -> PackageCost:
    """Cost of a package of benefits: each benefit's cost and the totals, year by year.

    ``total = sum over benefits of (benefit expenditure + administration)``; shares divide the total
    by nominal GDP, government revenue and government expenditure of the macro frame.

    Parameters
    ----------
    population : array_like
        Population ``(..., year, sex, age)`` over the macro frame's years.
    benefits : sequence of CashBenefit / HealthCareBenefit
        The package; names must be distinct.
    macro : MacroFrame
    ages : array_like, optional
    out : PackageCost, optional
        The cost of the same package (same benefit names, in the same order) from an earlier call
        with the same years and scenario axes, whose arrays are refilled instead of allocating new
        ones (for repeated runs, e.g. a sensitivity loop over many scenarios: fresh memory costs
        about as much as the computation). ``out`` then holds the new values too.

    Returns
    -------
    PackageCost

    Raises
    ------
    ValueError
        An empty package, duplicate names, an ``out`` of another package or layout, or any error of
        :func:`benefit_cost`.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.costing import child_benefit, cost_package, essential_health_care
    >>> population = np.array([[[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]]])   # one year, ages 0, 1, 2+: 68 people
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=68_000.0, employment=30.0,
    ...     productivity_growth=0.0, gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0,
    ...     ppp_factor=2.0), years=[2025])
    >>> package = cost_package(population, [
    ...     child_benefit(qualifying_share=0.5, admin_loading=0.0, max_age=1),   # 11 children x 150
    ...     essential_health_care(staff_per_1000=2.0, wage_multiple=3.0, non_staff_markup=0.5)],  # 68 x 9
    ...     macro)
    >>> package.composition()[:, 0], package.total
    (array([1650.,  612.]), array([2262.]))

    References
    ----------
    Pal et al. (2005), ILO Discussion Paper 13; ILO (2008), Social Security Policy Briefing 3.
    """
    benefits = tuple(benefits)
    if not benefits:
        raise ValueError("benefits is empty: give at least one benefit to cost.")
    names = [benefit.name for benefit in benefits]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"benefit names must be distinct, but {duplicates} appear more than once.")
    macro = _check_macro(macro)
    if out is not None:
        if not isinstance(out, PackageCost):
            raise ValueError(f"out must be a PackageCost from an earlier call, got {type(out).__name__}.")
        if out.names != tuple(names):
            raise ValueError(f"out is the cost of the package {list(out.names)}, not of {names}; pass the cost of the "
                             f"same benefits, in the same order, from an earlier call.")
    pop, grid = _population(population, ages, macro.years.size)
    gdp_per_capita = _gdp_per_capita(pop, macro)
    prepared = [_prepare(pop, grid, benefit, macro, gdp_per_capita) for benefit in benefits]
    shape = np.broadcast_shapes(*(part["shape"] for part in prepared))
    if out is None:
        # every benefit's arrays and the package's in one block of memory (see _new_arrays)
        *by_benefit, arrays = _new_arrays([(_BENEFIT_ARRAYS, part["shape"]) for part in prepared]
                                          + [(_PACKAGE_ARRAYS, shape)])
    else:
        by_benefit = [_reused_benefit(previous, benefit, part["shape"], macro.years)
                      for previous, benefit, part in zip(out.benefits, benefits, prepared)]
        arrays = _reused(out, _PACKAGE_ARRAYS, shape, macro.years, "package cost")
    costs = tuple(_fill(benefit, part, macro, gdp_per_capita, benefit_arrays)
                  for benefit, part, benefit_arrays in zip(benefits, prepared, by_benefit))
    _sum_over_benefits([cost.benefit_expenditure for cost in costs], arrays["benefit_expenditure"])
    _sum_over_benefits([cost.administration for cost in costs], arrays["administration"])
    total = np.add(arrays["benefit_expenditure"], arrays["administration"], out=arrays["total"])
    np.divide(total, macro.nominal_gdp, out=arrays["share_of_gdp"])
    np.divide(total, macro.revenue, out=arrays["share_of_revenue"])
    np.divide(total, macro.expenditure, out=arrays["share_of_expenditure"])
    return PackageCost(years=macro.years, benefits=costs, nominal_gdp=macro.nominal_gdp, revenue=macro.revenue,
                       **arrays)


def child_cap_upper_bound(population: ArrayLike, *, max_children: int = 2, child_max_age: float = 14,
                          mother_ages: tuple[float, float] = (15, 50), ages: ArrayLike | None = None) -> np.ndarray:
    """Demographic upper bound of the share of children who are among the first ``max_children`` per mother.

    ``share = min(1, max_children x women[mother_ages] / children[0, child_max_age))``, per year.
    Qualifying children are ``sum over mothers of min(own children, max_children)``, which is at
    most ``min(children, max_children x mothers)``; counting every woman of childbearing age as a
    mother makes this an upper bound (it also ignores mothers outside ``mother_ages``). Use it only
    when no survey gives the share: the ILO costing (ILO 2008, p. 7) took the qualifying
    proportion from Demographic and Health Surveys instead, and the survey share is much lower
    (46.4 per cent for Cameroon).

    Parameters
    ----------
    population : array_like
        Population ``(..., year, sex, age)``.
    max_children : int, default 2
        Children per mother who qualify.
    child_max_age : float, default 14
        Children are aged ``0 <= age < child_max_age``.
    mother_ages : (float, float), default (15, 50)
        Ages of the women counted as mothers, ``[start, end)``.
    ages : array_like, optional
        Age grid; default single ages.

    Returns
    -------
    ndarray
        Shape ``(..., year, 1, 1)``, ready to pass as ``qualifying_share``.

    Raises
    ------
    ValueError
        A bad population, ages not on the age grid, a non-integer ``max_children``.

    Examples
    --------
    >>> import numpy as np
    >>> population = np.ones((1, 2, 101))                   # one person per sex and single age
    >>> float(child_cap_upper_bound(population)[0, 0, 0])   # min(1, 2 x 35 women / 28 children)
    1.0

    References
    ----------
    ILO (2008), *Can low-income countries afford basic social security?* Social Security Policy
    Briefings, Paper 3, p. 7 (the two-child rule and the survey-based qualifying share).
    """
    pop, grid = _population(population, ages)
    if int(max_children) != max_children or max_children < 1:
        raise ValueError(f"max_children must be a whole number >= 1, got {max_children!r}.")
    children = (pop * _age_mask(Eligibility(max_age=child_max_age, label="children"), grid)).sum(axis=(-2, -1))
    mothers = Eligibility(min_age=mother_ages[0], max_age=mother_ages[1], sexes=(0,), label="women")
    women = (pop * _age_mask(mothers, grid)).sum(axis=(-2, -1))
    share = np.minimum(1.0, np.divide(max_children * women, children, out=np.ones_like(children),
                                      where=children > 0))
    return share[..., None, None]
