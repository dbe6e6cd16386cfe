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


def _index(indexation: str | None, macro: MacroFrame, gdp_per_capita: np.ndarray) -> np.ndarray:
    """``index_t / index_0`` of the benefit's indexation, shape batch + (n_years,)."""
    if indexation == "prices":
        index = macro.cpi
    elif indexation == "wages":
        index = macro.average_wage
    elif indexation == "gdp_per_capita":
        index = gdp_per_capita
    else:
        return np.ones(macro.years.size)
    return index / index[..., :1]


def _eligible(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, *, by_age: bool = False) -> np.ndarray:
    """Eligible persons of a checked population (see :func:`eligible_population`)."""
    if isinstance(benefit, HealthCareBenefit):
        return pop.copy() if by_age else pop.sum(axis=(-2, -1))
    if not isinstance(benefit, CashBenefit):
        raise ValueError(f"benefit must be a CashBenefit or HealthCareBenefit, got {type(benefit).__name__}.")
    n_years = pop.shape[-3]
    weights = 0.0
    for group in benefit.eligibility:
        status = _share("status_share", group.status_share, n_years, grid.size, group.label or benefit.name)
        target = _share("targeting_share", group.targeting_share, n_years, grid.size, group.label or benefit.name)
        weights = weights + _age_mask(group, grid) * status * target
    try:
        np.broadcast_shapes(pop.shape, np.shape(weights))
    except ValueError:
        raise ValueError(
            f"the shares of {benefit.name} have shape {np.shape(weights)}, whose scenario axes do not broadcast "
            f"with the population's {pop.shape}; leading axes are scenarios (equal lengths or 1)."
        ) from None
    if by_age:
        return pop * weights
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim <= 2:
        # one (sex, age) weight profile for every year and scenario: a matrix-vector product, no temporary
        profile = np.broadcast_to(weights, (2, grid.size)).reshape(-1)
        return pop.reshape(pop.shape[:-2] + (-1,)) @ profile
    return np.einsum("...sa,...sa->...", pop, weights)


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
                 ages: ArrayLike | None = None) -> BenefitCost:
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
    return _benefit_cost(pop, grid, benefit, macro, _gdp_per_capita(pop, macro))


def _benefit_cost(pop: np.ndarray, grid: np.ndarray, benefit: Benefit, macro: MacroFrame,
                  gdp_per_capita: np.ndarray) -> BenefitCost:
    """Cost of one benefit for a checked population and macro frame (see :func:`benefit_cost`)."""
    n_years = macro.years.size
    eligible = _eligible(pop, grid, benefit)
    take_up = benefit.phase_in.take_up(n_years)
    cap_binding = None
    if isinstance(benefit, HealthCareBenefit):
        level = benefit.cost_per_person(gdp_per_capita)
    else:
        first, cap_binding = benefit.level.annual_amount(gdp_per_capita[..., 0], macro.ppp_factor[..., 0])
        level = first[..., None] * _index(benefit.indexation, macro, gdp_per_capita)
    beneficiaries = eligible * take_up
    expenditure = beneficiaries * level
    administration = benefit.admin_loading * expenditure
    total = expenditure + administration
    shape = np.broadcast_shapes(total.shape, macro.nominal_gdp.shape)
    full = {name: np.broadcast_to(value, shape).copy() for name, value in (
        ("eligible", eligible), ("beneficiaries", beneficiaries), ("level", level),
        ("benefit_expenditure", expenditure), ("administration", administration), ("total", total))}
    return BenefitCost(
        name=benefit.name, years=macro.years, take_up=take_up, cap_binding=cap_binding,
        share_of_gdp=full["total"] / macro.nominal_gdp, share_of_revenue=full["total"] / macro.revenue,
        share_of_expenditure=full["total"] / macro.expenditure, **full,
    )


def cost_package(population: ArrayLike, benefits: Sequence[Benefit], macro: MacroFrame, *,
                 ages: ArrayLike | None = None) -> PackageCost:
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

    Returns
    -------
    PackageCost

    Raises
    ------
    ValueError
        An empty package, duplicate names, or any error of :func:`benefit_cost`.

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
    pop, grid = _population(population, ages, macro.years.size)
    gdp_per_capita = _gdp_per_capita(pop, macro)
    costs = tuple(_benefit_cost(pop, grid, benefit, macro, gdp_per_capita) for benefit in benefits)
    expenditure = sum(cost.benefit_expenditure for cost in costs)
    administration = sum(cost.administration for cost in costs)
    total = expenditure + administration
    return PackageCost(
        years=macro.years, benefits=costs, benefit_expenditure=expenditure, administration=administration,
        total=total, share_of_gdp=total / macro.nominal_gdp, share_of_revenue=total / macro.revenue,
        share_of_expenditure=total / macro.expenditure, nominal_gdp=macro.nominal_gdp, revenue=macro.revenue,
    )


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
