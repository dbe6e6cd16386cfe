"""Definitions of a social budget: the branches of social protection and the sources of their revenue.

A social budget (Scholz, Cichon and Hagemejer, *Social Budgeting*, ILO/ISSA 2000) projects the
expenditure and revenue of every social protection scheme of a country, grouped by *branch*
(function): pensions, health, children and families, social assistance, unemployment,
employment injury and the rest. For each branch the model follows the ILO social budget
model's basic identity

    expenditure_t = beneficiaries_t x average benefit_t + administration_t,

with the average benefit a base-year amount moved by an index (prices, wages or a mix of the
two), and each revenue source (employers' and workers' contributions, government transfers,
investment income, other receipts) a rate times a base (the wage bill, GDP, the branch's own
expenditure) or an amount given year by year.

:class:`Branch` and :class:`RevenueSource` are small frozen dataclasses checked when they are
made; :func:`beneficiaries_from_population` turns a population projection and an eligibility
rule (:class:`qsp.costing.Eligibility`) into beneficiaries; :func:`pension_branch` and
:func:`pension_revenues` take the pensions branch from a scheme valuation
(:func:`qsp.pensions.value_scheme`).

Time-varying inputs of a branch or a source share one year axis, the last axis: by default it
starts at the budget's base year, or it carries its own calendar labels (``years=``) and is
matched to the budget's years by label. It may run longer than the projection (the budget uses
the years it needs); it must not end before the projection's horizon.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_float_array, check_values

BRANCHES = (
    "pensions",
    "health",
    "children_and_families",
    "social_assistance",
    "unemployment",
    "employment_injury",
    "other",
)
"""The branches of a social budget in the order reports list them (a branch may have any name)."""

REVENUE_KINDS = (
    "employer_contributions",
    "worker_contributions",
    "government_transfers",
    "investment_income",
    "other",
)
"""Kinds of revenue, the receipts of the ILO Social Accounting System: contributions of employers
and of protected persons (workers), general government transfers, income from investments, and
other receipts."""

REVENUE_BASES = ("wage_bill", "gdp", "expenditure")
"""Named bases of a revenue rate: the economy's wage bill and nominal GDP (from the macro frame),
or the total expenditure (benefits + administration) of the branch the source finances."""

_SHARE_HINT = "Shares and rates are fractions between 0 and 1 (0.05 for 5%), not percentages."


def _name(kind: str, name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a {kind} needs a non-empty name (a string), got {name!r}.")
    return name


def _year_labels(owner: str, years, n_years: int) -> np.ndarray | None:
    """Check the calendar labels of an input's year axis: consecutive whole years, one per entry."""
    if years is None:
        return None
    arr = np.asarray(years)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{owner}: years must be a 1-D sequence of calendar years, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr.astype(float))) or not np.all(arr == np.round(arr)):
        raise ValueError(f"{owner}: years must be whole calendar years, got {arr.tolist()[:5]}...")
    arr = arr.astype(np.int64)
    steps = np.diff(arr)
    if np.any(steps != 1):
        i = int(np.flatnonzero(steps != 1)[0])
        raise ValueError(f"{owner}: years must be consecutive calendar years, but {arr[i + 1]} follows {arr[i]}.")
    if arr.size != n_years:
        raise ValueError(
            f"{owner}: the year axes do not match: years gives {arr.size} labels ({arr[0]}..{arr[-1]}) but the "
            f"arrays have {n_years} entries on their last (year) axis. Give one label per entry."
        )
    return arr


def _series(owner: str, name: str, value, *, lower: float | None = 0.0, upper: float | None = None,
            lower_inclusive: bool = True, what: str = "value", hint: str = "") -> np.ndarray:
    """A checked array whose last axis is the year axis (a scalar becomes shape (1,))."""
    arr = check_values(f"{owner}: {name}", value, trailing=("year",), lower=lower, upper=upper,
                       lower_inclusive=lower_inclusive, what=what, hint=hint)
    return arr.reshape(1) if arr.ndim == 0 else arr


def _check_year_length(owner: str, name: str, arr: np.ndarray, n_years: int, *, allow_constant: bool) -> None:
    allowed = (1, n_years) if allow_constant else (n_years,)
    if arr.shape[-1] not in allowed:
        raise ValueError(
            f"{owner}: the year axes do not match: {name} has {arr.shape[-1]} entries on its last (year) axis "
            f"(shape {arr.shape}) but the other year-by-year inputs have {n_years}. Give "
            + ("a number, shape (..., 1) for a constant per scenario, or " if allow_constant else "")
            + f"one value per year, shape (..., {n_years}), on the same years."
        )


def _common_length(owner: str, series: dict[str, tuple[np.ndarray, bool]]) -> int | None:
    """The common length of the year axes of ``series`` (name -> (array, may be constant)).

    Arrays that may be constant have a last axis of 1 or the common length; the others set it.
    Returns None when every array is a constant.
    """
    fixed = [arr.shape[-1] for arr, constant in series.values() if not constant]
    varying = [arr.shape[-1] for arr, constant in series.values() if constant and arr.shape[-1] != 1]
    candidates = fixed or varying
    if not candidates:
        return None
    n_years = candidates[0]
    for name, (arr, constant) in series.items():
        _check_year_length(owner, name, arr, n_years, allow_constant=constant)
    return n_years


def index_weights(indexation) -> tuple[float, float]:
    """Weights ``(wage, price)`` of an indexation rule: the index grows by ``w g_wage + p inflation``.

    Parameters
    ----------
    indexation : {"prices", "wages", "none"} or float
        ``"prices"`` -> (0, 1), ``"wages"`` -> (1, 0), a number ``theta`` in [0, 1] ->
        ``(theta, 1 - theta)`` (a "mixed" or Swiss index for 0.5, as
        :func:`qsp.pensions.benefits.indexation_share`), and ``"none"`` -> (0, 0): a fixed
        nominal amount.

    Returns
    -------
    tuple of float
        ``(w, p)``.

    Raises
    ------
    ValueError
        An unknown name or a share outside [0, 1].

    Examples
    --------
    >>> from qsp.budget.branches import index_weights
    >>> index_weights("prices"), index_weights(0.5), index_weights("none")
    ((0.0, 1.0), (0.5, 0.5), (0.0, 0.0))

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 3 (adjustment
    of benefits in payment); Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, chapter 9.
    """
    if isinstance(indexation, str) and indexation == "none":
        return 0.0, 0.0
    from ..pensions.benefits import indexation_share

    try:
        theta = indexation_share(indexation)
    except ValueError as error:
        raise ValueError(f"indexation must be 'prices', 'wages', 'none' or a share of wage growth between 0 and 1 "
                         f"(0.5 = half wages, half prices), got {indexation!r}. ({error})") from None
    return theta, 1.0 - theta


@dataclass(frozen=True, kw_only=True, eq=False)
class Branch:
    """One branch of the social budget: beneficiaries x average benefit, plus administration.

    In projection year ``t`` (``t = 0`` the base year)::

        average_benefit_t = average_benefit_0 x index_t x benefit_multiplier_t
        benefit_expenditure_t = beneficiaries_t x average_benefit_t
        administration_t = admin_share_t x benefit_expenditure_t
        expenditure_t = benefit_expenditure_t + administration_t

    with ``index_0 = 1`` and ``index_t = index_{t-1} (1 + w g_wage,t + p inflation_t)`` (weights
    from ``indexation``; the wage growth and CPI inflation of year ``t`` come from the macro frame,
    and the adjustment applies to the whole of year ``t``, without lag). Alternatively,
    ``benefit_path`` gives the average benefit of every year directly (e.g. from a pension
    scheme valuation) and the index is not used.

    Parameters
    ----------
    name : str
        Name of the branch in outputs (see :data:`BRANCHES` for the usual ones).
    beneficiaries : array_like, shape (..., n_years)
        Persons receiving the benefit in each year (annual average), on the branch's year axis
        (the last axis). Leading axes are scenarios. Use :func:`beneficiaries_from_population`
        to derive them from a population projection, or the labour market
        (``qsp.labour.project_labour(...).unemployed.sum(axis=(-2, -1)) x coverage``).
    average_benefit : array_like, optional
        Annual benefit per beneficiary in the base year, national currency (a number or a batch
        shape, no year axis). Give this or ``benefit_path``.
    indexation : {"prices", "wages", "none"} or float, default "prices"
        How the average benefit moves after the base year: with consumer prices, with the
        average wage, not at all, or a share ``theta`` in [0, 1] of wage growth (the rest prices).
    admin_share : array_like, default 0
        Administrative cost as a share of benefit expenditure, in [0, 1]: a number, a batch
        shape with a last axis of 1, or one value per year.
    benefit_multiplier : array_like, default 1
        Policy changes of the benefit level on top of indexation (1.5 from 2028 = a 50% rise),
        a number or one value per year (>= 0).
    benefit_path : array_like, shape (..., n_years), optional
        Average benefit per beneficiary in each year, national currency, instead of
        ``average_benefit`` and ``indexation``.
    years : array_like of int, optional
        Calendar labels of the year axis of the year-by-year inputs. Default: the axis starts at
        the budget's base year.
    reserve : array_like, optional
        The branch's reserve (fund) at the start of its first year, national currency (a number
        or a batch shape): the branch is then **funded**. A deficit of a funded branch is paid
        from its reserve first (a *reserve drawdown*); only what the reserve cannot pay is a
        financing gap, a call on the state budget; a surplus is added to the reserve. Default
        ``None``: an unfunded branch, whose every deficit is a financing gap. The reserve must
        be given at the start of the budget's base year (``years[0]`` equal to it). Its
        investment income is revenue of the branch only when a source of kind
        ``"investment_income"`` says so (as :func:`pension_revenues` does).

    Raises
    ------
    ValueError
        An empty name, negative or missing beneficiaries or amounts, a negative reserve, shares outside [0, 1], both
        or neither of ``average_benefit`` and ``benefit_path``, an unknown indexation, year axes of
        different lengths, year labels that do not match the arrays.

    Examples
    --------
    >>> from qsp.budget import Branch
    >>> child = Branch(name="children_and_families", beneficiaries=[100.0, 104.0, 108.0],
    ...                average_benefit=50.0, indexation="prices", admin_share=0.05)
    >>> child.n_years
    3

    References
    ----------
    Scholz, W., Cichon, M. and Hagemejer, K. (2000). *Social Budgeting*. Quantitative Methods in
    Social Protection Series, ILO/ISSA, Geneva, chapters 8-9 (the social budget model: benefit
    expenditure as beneficiaries times average benefits). ILO (1999). *The ILO Social Budget
    Model: A Technical Guide*.
    """

    name: str
    beneficiaries: ArrayLike
    average_benefit: ArrayLike | None = None
    indexation: str | float = "prices"
    admin_share: ArrayLike = 0.0
    benefit_multiplier: ArrayLike = 1.0
    benefit_path: ArrayLike | None = None
    years: ArrayLike | None = None
    reserve: ArrayLike | None = None

    def __post_init__(self) -> None:
        owner = f"branch {_name('branch', self.name)!r}"
        if self.reserve is not None:
            object.__setattr__(self, "reserve", check_values(
                f"{owner}: reserve", self.reserve, trailing=(), lower=0.0, what="reserve",
                hint="The reserve is an amount of money at the start of the base year, zero or more, with no year "
                     "axis (reserve=None for an unfunded branch)."))
        beneficiaries = as_float_array(f"{owner}: beneficiaries", self.beneficiaries)
        if beneficiaries.ndim == 0:
            raise ValueError(
                f"{owner}: beneficiaries must have a year axis (the last axis, one count per year), got a single "
                f"number. For a constant count use np.full(n_years, count)."
            )
        beneficiaries = _series(owner, "beneficiaries", beneficiaries, what="number of beneficiaries",
                                hint="Beneficiaries are counts of people, zero or more.")
        n_years = beneficiaries.shape[-1]
        object.__setattr__(self, "beneficiaries", beneficiaries)
        object.__setattr__(self, "years", _year_labels(owner, self.years, n_years))
        if (self.average_benefit is None) == (self.benefit_path is None):
            raise ValueError(
                f"{owner}: give exactly one of average_benefit (the base-year amount, indexed) and benefit_path "
                f"(the amount of every year); got " + ("both." if self.average_benefit is not None else "neither.")
            )
        if self.average_benefit is not None:
            amount = check_values(f"{owner}: average_benefit", self.average_benefit, trailing=(), lower=0.0,
                                  what="benefit amount", hint="The base-year benefit is an amount of money per year, "
                                  "zero or more, with no year axis (index it with indexation=).")
            object.__setattr__(self, "average_benefit", amount)
            try:
                weights = index_weights(self.indexation)
            except ValueError as error:
                raise ValueError(f"{owner}: {error}") from None
        else:
            path = _series(owner, "benefit_path", self.benefit_path, what="benefit amount",
                           hint="Average benefits are amounts of money per year, zero or more.")
            _common_length(owner, {"beneficiaries": (beneficiaries, False), "benefit_path": (path, False)})
            object.__setattr__(self, "benefit_path", path)
            weights = (0.0, 0.0)
        object.__setattr__(self, "_weights", weights)
        admin = _series(owner, "admin_share", self.admin_share, upper=1.0, what="share", hint=_SHARE_HINT)
        _common_length(owner, {"beneficiaries": (beneficiaries, False), "admin_share": (admin, True)})
        object.__setattr__(self, "admin_share", admin)
        multiplier = _series(owner, "benefit_multiplier", self.benefit_multiplier, what="multiplier",
                             hint="A multiplier of the benefit level is zero or more (1 = no change).")
        _common_length(owner, {"beneficiaries": (beneficiaries, False), "benefit_multiplier": (multiplier, True)})
        object.__setattr__(self, "benefit_multiplier", multiplier)

    @property
    def n_years(self) -> int:
        """Length of the branch's year axis."""
        return int(self.beneficiaries.shape[-1])

    @property
    def weights(self) -> tuple[float, float]:
        """``(wage, price)`` weights of the indexation (both 0 with a ``benefit_path``)."""
        return self._weights  # type: ignore[attr-defined]

    def replace(self, **changes: Any) -> Branch:
        """A copy with some parameters changed (a reform): ``branch.replace(indexation="wages")``."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, kw_only=True, eq=False)
class RevenueSource:
    """One source of revenue of one branch: a rate times a base, or an amount given year by year.

    ``revenue_t = rate_t x coverage_t x base_t`` where the base is the economy's wage bill,
    nominal GDP, the branch's own total expenditure, or an array of money (e.g. the covered
    wages of a scheme's contributors); or ``revenue_t = amount_t``.

    Parameters
    ----------
    name : str
        Name in outputs, e.g. ``"employer contributions, pensions"``; unique within a budget.
    kind : str
        One of :data:`REVENUE_KINDS`: ``"employer_contributions"``, ``"worker_contributions"``,
        ``"government_transfers"``, ``"investment_income"``, ``"other"``.
    branch : str
        Name of the branch this source finances.
    rate : array_like, optional
        Contribution rate or share of the base, in [0, 1] (a number, a batch with last axis 1, or
        one value per year). Give ``rate`` or ``amount``.
    base : {"wage_bill", "gdp", "expenditure"} or array_like, default "wage_bill"
        What the rate applies to: the macro frame's wage bill or nominal GDP, the total
        expenditure (benefits + administration) of the branch (a government transfer that pays
        a share of the branch), or money per year ``(..., n_years)`` on the source's year axis.
    coverage : array_like, default 1
        Share of the base that is covered (e.g. the share of the wage bill earned by insured
        workers), in [0, 1].
    amount : array_like, shape (..., n_years), optional
        Revenue in money per year, given directly (e.g. investment income of a scheme's reserve).
    years : array_like of int, optional
        Calendar labels of the year axis of the array inputs (default: starts at the base year).

    Raises
    ------
    ValueError
        An empty name, an unknown kind or base, rates or coverage outside [0, 1], both or neither
        of ``rate`` and ``amount``, a negative or missing amount or base, year axes that differ.

    Examples
    --------
    >>> from qsp.budget import RevenueSource
    >>> RevenueSource(name="employers", kind="employer_contributions", branch="pensions",
    ...               rate=0.06, coverage=0.4).kind
    'employer_contributions'

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 6 (the Social
    Accounting System: receipts by type) and chapter 9 (the financing of the social budget).
    """

    name: str
    kind: str
    branch: str
    rate: ArrayLike | None = None
    base: str | ArrayLike = "wage_bill"
    coverage: ArrayLike = 1.0
    amount: ArrayLike | None = None
    years: ArrayLike | None = None

    def __post_init__(self) -> None:
        owner = f"revenue source {_name('revenue source', self.name)!r}"
        _name("branch (of a revenue source)", self.branch)
        if self.kind not in REVENUE_KINDS:
            raise ValueError(f"{owner}: kind must be one of {REVENUE_KINDS}, got {self.kind!r}.")
        if (self.rate is None) == (self.amount is None):
            raise ValueError(
                f"{owner}: give exactly one of rate (applied to base) and amount (money per year); got "
                + ("both." if self.rate is not None else "neither.")
            )
        series: dict[str, tuple[np.ndarray, bool]] = {}
        if self.amount is not None:
            amount = as_float_array(f"{owner}: amount", self.amount)
            if amount.ndim == 0:
                raise ValueError(f"{owner}: amount must have a year axis (one amount per year on the last axis).")
            lower = None if self.kind == "investment_income" else 0.0
            amount = _series(owner, "amount", amount, lower=lower, what="revenue amount",
                             hint="Revenue is money per year, zero or more (investment income may be negative).")
            object.__setattr__(self, "amount", amount)
            series["amount"] = (amount, False)
        else:
            rate = _series(owner, "rate", self.rate, upper=1.0, what="rate", hint=_SHARE_HINT)
            object.__setattr__(self, "rate", rate)
            if isinstance(self.base, str):
                if self.base not in REVENUE_BASES:
                    raise ValueError(f"{owner}: base must be one of {REVENUE_BASES} or an array of money per year, "
                                     f"got {self.base!r}.")
            else:
                base = as_float_array(f"{owner}: base", self.base)
                if base.ndim == 0:
                    raise ValueError(f"{owner}: an array base must have a year axis (money per year on the last axis).")
                base = _series(owner, "base", base, what="money amount", hint="The base is money per year, zero or more.")
                object.__setattr__(self, "base", base)
                series["base"] = (base, False)
            coverage = _series(owner, "coverage", self.coverage, upper=1.0, what="share", hint=_SHARE_HINT)
            object.__setattr__(self, "coverage", coverage)
            series["rate"] = (rate, True)
            series["coverage"] = (coverage, True)
        n_years = _common_length(owner, series)
        if self.years is not None and n_years is None:
            raise ValueError(f"{owner}: years labels were given but no input has a year axis; drop years=.")
        object.__setattr__(self, "years", None if n_years is None else _year_labels(owner, self.years, n_years))
        object.__setattr__(self, "_n_years", n_years)

    @property
    def n_years(self) -> int | None:
        """Length of the source's year axis, or None when every input is constant over time."""
        return self._n_years  # type: ignore[attr-defined]

    def replace(self, **changes: Any) -> RevenueSource:
        """A copy with some parameters changed (a reform): ``source.replace(rate=0.08)``."""
        return dataclasses.replace(self, **changes)


def beneficiaries_from_population(population: ArrayLike, eligibility, *, take_up: ArrayLike = 1.0,
                                  ages: ArrayLike | None = None) -> np.ndarray:
    """Beneficiaries by year from a population projection: eligible persons x take-up.

    ``beneficiaries_t = take_up_t x sum over groups, sexes and ages in the band of population x
    status_share x targeting_share``; the eligible count is :func:`qsp.costing.eligible_population`.

    Parameters
    ----------
    population : array_like
        Population ``(..., year, sex, age)`` (sex 0 = female, 1 = male).
    eligibility : qsp.costing.Eligibility or tuple of them
        Who is eligible: age band, sexes, status and targeting shares (disjoint groups are added).
    take_up : array_like, default 1
        Share of the eligible who receive the benefit, in [0, 1]: a number or one per year
        ``(..., n_years)``.
    ages : array_like, optional
        Age grid (starts of the intervals); default single ages ``0..omega``.

    Returns
    -------
    ndarray
        Beneficiaries, shape ``(..., year)``. Pass them to :class:`Branch` with the population's
        calendar years as ``years=``.

    Raises
    ------
    ValueError
        A population not laid out ``(..., year, sex, age)``, negative counts, age bounds off the
        grid, take-up outside [0, 1] or with the wrong number of years.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.costing import Eligibility
    >>> from qsp.budget import beneficiaries_from_population
    >>> population = np.array([[[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]]] * 2)   # 2 years, ages 0, 1, 2+
    >>> beneficiaries_from_population(population, Eligibility(min_age=2), take_up=[0.5, 1.0])
    array([4., 8.])

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, chapter 8 (beneficiaries from the
    demographic and labour-market frame).
    """
    from ..costing.benefits import BenefitLevel, CashBenefit
    from ..costing.cost import eligible_population

    rule = CashBenefit(name="beneficiaries", eligibility=eligibility, level=BenefitLevel(national_per_day=0.0))
    eligible = eligible_population(population, rule, ages=ages)
    share = _series("beneficiaries_from_population", "take_up", take_up, upper=1.0, what="take-up",
                    hint=_SHARE_HINT)
    if share.shape[-1] not in (1, eligible.shape[-1]):
        raise ValueError(
            f"take_up has {share.shape[-1]} entries on its last (year) axis but the population has "
            f"{eligible.shape[-1]} years; give a number or one take-up per year."
        )
    return eligible * share


def pension_branch(valuation, *, name: str = "pensions", funded: bool = True) -> Branch:
    """The pensions branch from a scheme valuation (:func:`qsp.pensions.value_scheme`).

    Beneficiaries are the valuation's pensioners, the average benefit of each year is benefit
    expenditure (pensions and lump sums) over pensioners (0 in a year without pensioners, when
    the expenditure is 0 too), and the administration share is the valuation's administrative
    cost over benefit expenditure, so that the branch's expenditure equals the valuation's
    ``benefit_expenditure + admin_cost`` every year. The year axis carries the valuation's
    calendar labels (``project_insured(..., start_year=)``): give the budget's base year as
    ``start_year`` so that the two line up.

    Parameters
    ----------
    valuation : SchemeValuation
        Result of :func:`qsp.pensions.value_scheme`.
    name : str, default "pensions"
        Name of the branch.
    funded : bool, default True
        Give the branch the valuation's initial reserve (:attr:`Branch.reserve`): its deficits
        are then paid from the reserve until it runs out, and only the rest is a financing gap
        (a call on the state budget). ``False`` leaves the reserve out: every deficit is a gap.

    Returns
    -------
    Branch
        With ``benefit_path``, ``years`` and (``funded``) ``reserve`` from the valuation.

    Raises
    ------
    ValueError
        Not a SchemeValuation; benefit expenditure in a year without pensioners (lump sums only).

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, project_insured, value_scheme
    >>> actives = np.zeros((2, 101, 86)); actives[:, 55:64, 20] = 100.0
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 10.0))
    >>> qx = np.full((2, 101), 0.01); qx[:, -1] = 1.0
    >>> projection = project_insured(members, BenefitRules(accrual_rate=0.02, minimum_years=10), n_years=3,
    ...                              mortality=qx, wages=np.full((2, 101), 10.0), start_year=2025)
    >>> valuation = value_scheme(projection, contribution_rate=0.1, interest_rate=0.04, admin_cost_rate=0.05)
    >>> branch = pension_branch(valuation)
    >>> branch.years.tolist(), bool(np.allclose(branch.admin_share, 0.05))
    ([2025, 2026, 2027], True)

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*, ILO/ISSA; Scholz, Cichon
    and Hagemejer (2000), *Social Budgeting*, chapter 9 (the pension module feeds the social budget).
    """
    from ..pensions.valuation import SchemeValuation

    if not isinstance(valuation, SchemeValuation):
        raise ValueError(f"valuation must be a SchemeValuation (qsp.pensions.value_scheme), got "
                         f"{type(valuation).__name__}.")
    pensioners = np.asarray(valuation.pensioners, dtype=np.float64)
    benefits = np.asarray(valuation.benefit_expenditure, dtype=np.float64)
    shape = np.broadcast_shapes(pensioners.shape, benefits.shape)
    pensioners, benefits = np.broadcast_to(pensioners, shape), np.broadcast_to(benefits, shape)
    if np.any((pensioners <= 0) & (benefits > 0)):
        raise ValueError(f"branch {name!r}: the valuation pays benefits in a year without pensioners (lump sums "
                         f"only), which beneficiaries x average benefit cannot represent; define the branch "
                         f"from its own beneficiaries and amounts instead.")
    path = np.divide(benefits, pensioners, out=np.zeros(shape), where=pensioners > 0)
    admin = np.asarray(valuation.admin_cost, dtype=np.float64)
    admin_share = np.divide(admin, benefits, out=np.zeros(np.broadcast_shapes(admin.shape, shape)), where=benefits > 0)
    return Branch(name=name, beneficiaries=pensioners, benefit_path=path, admin_share=admin_share,
                  years=valuation.years,
                  reserve=np.asarray(valuation.reserve.initial_reserve, dtype=np.float64) if funded else None)


def pension_revenues(valuation, *, branch: str = "pensions", employer_share: float = 0.5,
                     include_investment_income: bool = True) -> tuple[RevenueSource, ...]:
    """Revenue sources of the pensions branch from a scheme valuation.

    Contributions ``C_t`` split ``employer_share x C_t`` (employers) and the rest (workers), and
    the investment income of the reserve, as amounts on the valuation's calendar years.

    Parameters
    ----------
    valuation : SchemeValuation
    branch : str, default "pensions"
    employer_share : float, default 0.5
        Share of the contribution rate paid by employers (0.5: an equal split), in [0, 1].
    include_investment_income : bool, default True
        Add the reserve's investment income as a source of kind ``"investment_income"``.

    Returns
    -------
    tuple of RevenueSource
        Employers' and workers' contributions (and investment income), named
        ``"employer contributions, <branch>"`` and so on.

    Raises
    ------
    ValueError
        Not a SchemeValuation, a share outside [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, project_insured, value_scheme
    >>> actives = np.zeros((2, 101, 86)); actives[:, 30:40, 5] = 100.0
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 10.0))
    >>> qx = np.full((2, 101), 0.01); qx[:, -1] = 1.0
    >>> projection = project_insured(members, BenefitRules(accrual_rate=0.02, minimum_years=10), n_years=2,
    ...                              mortality=qx, wages=np.full((2, 101), 10.0), start_year=2025)
    >>> valuation = value_scheme(projection, contribution_rate=0.1, interest_rate=0.04, initial_reserve=500.0)
    >>> sources = pension_revenues(valuation, employer_share=0.6)
    >>> [source.kind for source in sources]
    ['employer_contributions', 'worker_contributions', 'investment_income']
    >>> bool(np.allclose(sources[0].amount, 0.6 * valuation.contributions))
    True

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, chapter 6 (receipts by type: employers'
    and protected persons' contributions, income from capital).
    """
    from ..pensions.valuation import SchemeValuation

    if not isinstance(valuation, SchemeValuation):
        raise ValueError(f"valuation must be a SchemeValuation (qsp.pensions.value_scheme), got "
                         f"{type(valuation).__name__}.")
    share = float(check_values("employer_share", employer_share, trailing=(), lower=0.0, upper=1.0, what="share",
                               hint=_SHARE_HINT))
    contributions = np.asarray(valuation.contributions, dtype=np.float64)
    sources = [
        RevenueSource(name=f"employer contributions, {branch}", kind="employer_contributions", branch=branch,
                      amount=share * contributions, years=valuation.years),
        RevenueSource(name=f"worker contributions, {branch}", kind="worker_contributions", branch=branch,
                      amount=(1.0 - share) * contributions, years=valuation.years),
    ]
    if include_investment_income:
        sources.append(RevenueSource(name=f"investment income, {branch}", kind="investment_income", branch=branch,
                                     amount=np.asarray(valuation.reserve.investment_income, dtype=np.float64),
                                     years=valuation.years))
    return tuple(sources)
