"""The social budget: project every branch's expenditure and revenue, year by year, for all scenarios at once.

:func:`project_budget` combines :class:`~qsp.budget.branches.Branch` and
:class:`~qsp.budget.branches.RevenueSource` definitions with a macroeconomic frame
(:func:`qsp.economy.project_macro`) into a :class:`SocialBudget`: expenditure by branch
(benefits and administration), revenue by source, the balance, deficit, reserve drawdown and
financing gap (call on the state budget) of each branch,
in money and as shares of GDP and of government expenditure. :class:`SocialBudgetModel` holds
the inputs so that a reform is the status quo with some parameters changed
(:meth:`SocialBudgetModel.reform`), and :func:`compare` sets a reform against the status quo.

Layout: a money array by branch has shape ``batch + (n_branches, n_years)`` (branch axis before
the year axis, time last as in :mod:`qsp.economy`); by source ``batch + (n_sources, n_years)``;
totals ``batch + (n_years,)``. ``years[0]`` is the macro frame's base year. Money is nominal
national currency per year, in the macro frame's unit; shares are fractions (0.012 = 1.2% of GDP).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import broadcast_batch_shapes
from ..economy._frame import batch_columns, wide_frame
from ..economy.macro import MacroFrame
from .branches import REVENUE_KINDS, Branch, RevenueSource

MEASURES = ("money", "share_of_gdp", "percent_of_gdp", "share_of_government_expenditure",
            "percent_of_government_expenditure")
"""What a table shows: money, or a share (fraction) or percentage of GDP or of government expenditure."""

_BY_BRANCH = ("expenditure", "benefit_expenditure", "administration", "revenue_by_branch", "balance",
              "deficit", "reserve_drawdown", "financing_gap", "reserve")
_TOTALS = ("total_expenditure", "total_benefit_expenditure", "total_administration", "total_revenue",
           "total_balance", "total_deficit", "total_reserve_drawdown", "total_financing_gap", "total_reserve")
ACCOUNTS = _BY_BRANCH + ("revenue", "revenue_by_kind") + _TOTALS
"""Money arrays of a :class:`SocialBudget` that :meth:`SocialBudget.share_of_gdp` and the tables accept."""


# ---------------------------------------------------------------------------------------------
# result
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class SocialBudget:
    """A projected social budget. Money arrays are nominal national currency per year.

    Attributes
    ----------
    years : ndarray, shape (n_years,)
        Calendar years, ``years[0]`` the base year.
    branch_names : tuple of str
        Branches, in the order of the branch axis.
    source_names, source_kinds, source_branches : tuple of str
        Revenue sources in the order of the source axis, their kind (:data:`REVENUE_KINDS`) and
        the branch each finances.
    beneficiaries, average_benefit : ndarray, shape batch + (n_branches, n_years)
        Persons and annual benefit per beneficiary.
    benefit_expenditure, administration, expenditure : ndarray, shape batch + (n_branches, n_years)
        ``beneficiaries x average_benefit``, ``admin_share x benefit_expenditure``, and their sum.
    revenue : ndarray, shape batch + (n_sources, n_years)
        Revenue of each source.
    revenue_by_branch, balance : ndarray, shape batch + (n_branches, n_years)
        Revenue of the sources of each branch, and ``revenue_by_branch - expenditure``.
    reserve, reserve_drawdown : ndarray, shape batch + (n_branches, n_years)
        For a funded branch (:attr:`Branch.reserve`), its reserve at the end of each year and the
        part of each year's deficit paid from it; zero for an unfunded branch. Year by year,
        ``reserve_drawdown_t = min(deficit_t, reserve_{t-1})`` and
        ``reserve_t = reserve_{t-1} + balance_t + financing_gap_t`` (never below zero).
    nominal_gdp, government_expenditure, government_revenue : ndarray, shape batch + (n_years,)
        The macro frame's denominators over the budget's years.
    """

    years: np.ndarray
    branch_names: tuple[str, ...]
    source_names: tuple[str, ...]
    source_kinds: tuple[str, ...]
    source_branches: tuple[str, ...]
    beneficiaries: np.ndarray
    average_benefit: np.ndarray
    benefit_expenditure: np.ndarray
    administration: np.ndarray
    expenditure: np.ndarray
    revenue: np.ndarray
    revenue_by_branch: np.ndarray
    balance: np.ndarray
    reserve: np.ndarray
    reserve_drawdown: np.ndarray
    nominal_gdp: np.ndarray
    government_expenditure: np.ndarray
    government_revenue: np.ndarray

    # --- totals and derived arrays ------------------------------------------------------------
    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes (``()`` for one scenario)."""
        return self.expenditure.shape[:-2]

    @property
    def total_expenditure(self) -> np.ndarray:
        """Expenditure of all branches, ``batch + (n_years,)``."""
        return self.expenditure.sum(axis=-2)

    @property
    def total_benefit_expenditure(self) -> np.ndarray:
        """Benefit expenditure of all branches, ``batch + (n_years,)``."""
        return self.benefit_expenditure.sum(axis=-2)

    @property
    def total_administration(self) -> np.ndarray:
        """Administrative cost of all branches, ``batch + (n_years,)``."""
        return self.administration.sum(axis=-2)

    @property
    def total_revenue(self) -> np.ndarray:
        """Revenue of all sources, ``batch + (n_years,)``."""
        return self.revenue.sum(axis=-2)

    @property
    def total_balance(self) -> np.ndarray:
        """Revenue less expenditure of the whole system, ``batch + (n_years,)`` (branch surpluses net deficits)."""
        return self.total_revenue - self.total_expenditure

    @property
    def deficit(self) -> np.ndarray:
        """Cash deficit of each branch, ``max(expenditure - revenue, 0)``, ``batch + (n_branches, n_years)``.

        A surplus of one branch is not assumed to finance another. Who pays the deficit depends
        on the branch: see :attr:`reserve_drawdown` and :attr:`financing_gap`.
        """
        return np.maximum(-self.balance, 0.0)

    @property
    def financing_gap(self) -> np.ndarray:
        """The call on the state budget of each branch, ``deficit - reserve_drawdown``, ``batch + (n_branches, n_years)``.

        What must be found beyond the branch's own sources *and its reserve* (typically a further
        government transfer). For an unfunded branch this is the whole deficit; for a funded
        branch (:attr:`Branch.reserve`) it is zero while the reserve pays the deficit, and the
        rest of the deficit once the reserve runs out.
        """
        return np.maximum(-self.balance, 0.0) - self.reserve_drawdown

    @property
    def total_deficit(self) -> np.ndarray:
        """Sum of the branches' cash deficits, ``batch + (n_years,)`` (at least ``max(-total_balance, 0)``)."""
        return self.deficit.sum(axis=-2)

    @property
    def total_reserve_drawdown(self) -> np.ndarray:
        """Sum of the branches' reserve drawdowns, ``batch + (n_years,)``."""
        return self.reserve_drawdown.sum(axis=-2)

    @property
    def total_financing_gap(self) -> np.ndarray:
        """Sum of the branches' financing gaps (the call on the state budget), ``batch + (n_years,)``."""
        return self.financing_gap.sum(axis=-2)

    @property
    def total_reserve(self) -> np.ndarray:
        """Sum of the funded branches' reserves at the end of each year, ``batch + (n_years,)``."""
        return self.reserve.sum(axis=-2)

    def reserve_ratio(self) -> np.ndarray:
        """Reserve at the end of each year over that year's expenditure, by branch (0 for unfunded branches).

        The *reserve ratio* of actuarial reports (ILO; Plamondon et al. 2002): how many years of
        expenditure the reserve would pay. Shape ``batch + (n_branches, n_years)``.
        """
        return np.divide(self.reserve, self.expenditure, out=np.zeros(np.broadcast_shapes(self.reserve.shape,
                                                                                           self.expenditure.shape)),
                         where=self.expenditure > 0)

    @property
    def revenue_by_kind(self) -> np.ndarray:
        """Revenue by kind (:data:`REVENUE_KINDS`, in that order), ``batch + (n_kinds, n_years)``."""
        out = np.zeros(self.batch_shape + (len(REVENUE_KINDS), self.years.size))
        for index, kind in enumerate(self.source_kinds):
            out[..., REVENUE_KINDS.index(kind), :] += self.revenue[..., index, :]
        return out

    def account(self, what: str) -> np.ndarray:
        """The money array named ``what`` (one of :data:`ACCOUNTS`)."""
        if what not in ACCOUNTS:
            raise ValueError(f"what must be one of {ACCOUNTS}, got {what!r}.")
        return getattr(self, what)

    def _ratio(self, what: str, denominator: np.ndarray) -> np.ndarray:
        values = self.account(what)
        return values / (denominator if what in _TOTALS else denominator[..., None, :])

    def share_of_gdp(self, what: str = "expenditure") -> np.ndarray:
        """A money array (default expenditure by branch) as a share of nominal GDP (fractions).

        ``what`` is one of :data:`ACCOUNTS`; the result has the shape of that array.
        """
        return self._ratio(what, self.nominal_gdp)

    def share_of_government_expenditure(self, what: str = "expenditure") -> np.ndarray:
        """A money array (default expenditure by branch) as a share of general government expenditure."""
        return self._ratio(what, self.government_expenditure)

    def share_of_government_revenue(self, what: str = "expenditure") -> np.ndarray:
        """A money array (default expenditure by branch) as a share of general government revenue."""
        return self._ratio(what, self.government_revenue)

    # --- frames -----------------------------------------------------------------------------------
    def _measure(self, values: np.ndarray, measure: str, by_row: bool) -> np.ndarray:
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}.")
        if measure == "money":
            return values
        denominator = self.nominal_gdp if measure.endswith("gdp") else self.government_expenditure
        denominator = denominator[..., None, :] if by_row else denominator
        scale = 100.0 if measure.startswith("percent") else 1.0
        return scale * values / denominator

    def table(self, account: str = "expenditure", *, measure: str = "percent_of_gdp", scenario=None,
              years: Iterable[int] | None = None):
        """A branch x year table the way social budget reports lay it out, with a total row.

        Parameters
        ----------
        account : str, default "expenditure"
            ``"expenditure"``, ``"benefit_expenditure"``, ``"administration"``, ``"revenue_by_branch"``,
            ``"balance"``, ``"financing_gap"`` (rows are branches) or ``"revenue"`` (rows are sources)
            or ``"revenue_by_kind"`` (rows are kinds).
        measure : str, default "percent_of_gdp"
            One of :data:`MEASURES` (``percent_...`` are multiplied by 100 for display).
        scenario : int or tuple of int, optional
            Index of the scenario to show; required when the budget has scenario axes.
        years : iterable of int, optional
            Calendar years to show as columns (default all).

        Returns
        -------
        pandas.DataFrame
            Index: the rows and ``"total"``; columns: years.
        """
        import pandas as pd

        if account not in _BY_BRANCH + ("revenue", "revenue_by_kind"):
            raise ValueError(f"account must be one of {_BY_BRANCH + ('revenue', 'revenue_by_kind')}, got {account!r}.")
        rows = {"revenue": self.source_names, "revenue_by_kind": REVENUE_KINDS}.get(account, self.branch_names)
        values = self._measure(self.account(account), measure, by_row=True)
        total = values.sum(axis=-2)
        values, total = _select(values, self.batch_shape, scenario), _select(total, self.batch_shape, scenario)
        columns = _year_positions(self.years, years)
        data = np.vstack([values[:, columns], total[None, columns]])
        label = {"revenue": "source", "revenue_by_kind": "kind"}.get(account, "branch")
        return pd.DataFrame(data, index=pd.Index(list(rows) + ["total"], name=label),
                            columns=pd.Index(self.years[columns], name="year"))

    def summary(self, *, measure: str = "percent_of_gdp", scenario=None, years: Iterable[int] | None = None):
        """The summary table of a social budget: expenditure by branch, revenue by kind, balance and gap.

        Rows (a two-level index ``(section, item)``): expenditure of every branch, total
        expenditure and the administration in it; revenue of every kind and total revenue;
        the overall balance; the sum of the branches' deficits, the part paid from their reserves
        and the rest, the financing gap (the call on the state budget); the reserves of the funded
        branches. Columns are years. ``measure``, ``scenario`` and ``years`` as in :meth:`table`.
        """
        import pandas as pd

        columns = _year_positions(self.years, years)
        entries = [("expenditure", name, self.expenditure[..., b, :]) for b, name in enumerate(self.branch_names)]
        entries += [("expenditure", "total", self.total_expenditure),
                    ("expenditure", "of which administration", self.total_administration)]
        by_kind = self.revenue_by_kind
        entries += [("revenue", kind, by_kind[..., k, :]) for k, kind in enumerate(REVENUE_KINDS)]
        entries += [("revenue", "total", self.total_revenue), ("balance", "revenue - expenditure", self.total_balance),
                    ("balance", "deficit (sum of branch deficits)", self.total_deficit),
                    ("balance", "paid from reserves", self.total_reserve_drawdown),
                    ("balance", "financing gap (call on the state budget)", self.total_financing_gap),
                    ("reserve", "reserves at the end of the year", self.total_reserve)]
        data = np.stack([_select(self._measure(values, measure, by_row=False), self.batch_shape, scenario)[columns]
                         for _, _, values in entries])
        index = pd.MultiIndex.from_tuples([(section, item) for section, item, _ in entries], names=["section", "item"])
        return pd.DataFrame(data, index=index, columns=pd.Index(self.years[columns], name="year"))

    def to_frame(self):
        """Tidy frame of every account: one row per (scenario..., year, account, branch, item).

        Columns: scenario columns (``scenario`` or ``scenario_0``, ...), ``year``, ``account``
        (``"expenditure"``, ``"revenue"``, ``"balance"``, ``"reserve"``), ``branch`` (a branch name or
        ``"all"``), ``item`` (``"benefits"``, ``"administration"``, ``"total"``; a source name or kind
        for revenue; ``"balance"``, ``"deficit"``, ``"reserve_drawdown"``, ``"financing_gap"``;
        ``"reserve"``), ``money``, ``share_of_gdp`` and
        ``share_of_government_expenditure`` (fractions).
        """
        import pandas as pd

        pieces = []

        def add(account: str, branch: str, item: str, money: np.ndarray) -> None:
            pieces.append(wide_frame(self.years, {
                "money": money, "share_of_gdp": money / self.nominal_gdp,
                "share_of_government_expenditure": money / self.government_expenditure,
            }, extra={"account": account, "branch": branch, "item": item}))

        for b, name in enumerate(self.branch_names):
            add("expenditure", name, "benefits", self.benefit_expenditure[..., b, :])
            add("expenditure", name, "administration", self.administration[..., b, :])
            add("expenditure", name, "total", self.expenditure[..., b, :])
        add("expenditure", "all", "benefits", self.total_benefit_expenditure)
        add("expenditure", "all", "administration", self.total_administration)
        add("expenditure", "all", "total", self.total_expenditure)
        for s, (name, branch) in enumerate(zip(self.source_names, self.source_branches)):
            add("revenue", branch, name, self.revenue[..., s, :])
        for b, name in enumerate(self.branch_names):
            add("revenue", name, "total", self.revenue_by_branch[..., b, :])
        by_kind = self.revenue_by_kind
        for k, kind in enumerate(REVENUE_KINDS):
            add("revenue", "all", kind, by_kind[..., k, :])
        add("revenue", "all", "total", self.total_revenue)
        gap, deficit = self.financing_gap, self.deficit
        for b, name in enumerate(self.branch_names):
            add("balance", name, "balance", self.balance[..., b, :])
            add("balance", name, "deficit", deficit[..., b, :])
            add("balance", name, "reserve_drawdown", self.reserve_drawdown[..., b, :])
            add("balance", name, "financing_gap", gap[..., b, :])
            add("reserve", name, "reserve", self.reserve[..., b, :])
        add("balance", "all", "balance", self.total_balance)
        add("balance", "all", "deficit", self.total_deficit)
        add("balance", "all", "reserve_drawdown", self.total_reserve_drawdown)
        add("balance", "all", "financing_gap", self.total_financing_gap)
        add("reserve", "all", "reserve", self.total_reserve)
        frame = pd.concat(pieces, ignore_index=True)
        order = batch_columns(self.batch_shape) + ["year", "account", "branch", "item", "money", "share_of_gdp",
                                                   "share_of_government_expenditure"]
        return frame[order]


def _select(values: np.ndarray, batch: tuple[int, ...], scenario) -> np.ndarray:
    """The slice of ``values`` (batch + rest) of one scenario."""
    if not batch:
        if scenario not in (None, ()):
            raise ValueError(f"scenario={scenario!r} was given but the budget has no scenario axes; drop it.")
        return values
    if scenario is None:
        raise ValueError(
            f"the budget has scenario axes of shape {batch}; pick one scenario for the table with scenario=index "
            f"(e.g. scenario=0{', 0' * (len(batch) - 1)})."
        )
    index = (scenario,) if isinstance(scenario, (int, np.integer)) else tuple(scenario)
    if len(index) != len(batch) or any(not 0 <= int(i) < n and not -n <= int(i) < 0 for i, n in zip(index, batch)):
        raise ValueError(f"scenario={scenario!r} is not an index into the scenario axes of shape {batch}.")
    return values[tuple(int(i) for i in index)]


def _year_positions(grid: np.ndarray, years) -> np.ndarray:
    if years is None:
        return np.arange(grid.size)
    wanted = np.atleast_1d(np.asarray(list(years) if not np.isscalar(years) else [years]))
    missing = [int(y) for y in wanted if y not in grid]
    if missing:
        raise ValueError(f"years {missing} are not projection years of the budget ({grid[0]}..{grid[-1]}).")
    return np.searchsorted(grid, wanted)


# ---------------------------------------------------------------------------------------------
# the projection
# ---------------------------------------------------------------------------------------------
def _check_items(branches, revenues) -> tuple[tuple[Branch, ...], tuple[RevenueSource, ...]]:
    branches = tuple(branches)
    revenues = tuple(revenues)
    if not branches:
        raise ValueError("branches is empty: a social budget needs at least one Branch.")
    for branch in branches:
        if not isinstance(branch, Branch):
            raise ValueError(f"branches must be Branch objects, got {type(branch).__name__}.")
    for source in revenues:
        if not isinstance(source, RevenueSource):
            raise ValueError(f"revenues must be RevenueSource objects, got {type(source).__name__}.")
    for what, names in (("branch", [b.name for b in branches]), ("revenue source", [s.name for s in revenues])):
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"{what} names must be distinct, but {duplicates} appear more than once.")
    names = [b.name for b in branches]
    for source in revenues:
        if source.branch not in names:
            raise ValueError(
                f"revenue source {source.name!r} finances branch {source.branch!r}, which is missing from the "
                f"branches {names}; add the branch or correct the source's branch=."
            )
    return branches, revenues


_CONSTANT_OK = ("admin_share", "benefit_multiplier", "rate", "coverage")
"""Inputs that may be constant over time (last axis of length 1)."""


def _window(owner: str, name: str, arr: np.ndarray, labels: np.ndarray | None, base_year: int, n_years: int,
            horizon: int) -> np.ndarray:
    """The entries of ``arr``'s year axis for the budget years ``base_year .. horizon`` (a constant as is)."""
    if arr.shape[-1] == 1 and name in _CONSTANT_OK:
        return arr
    first = base_year if labels is None else int(labels[0])
    last = first + arr.shape[-1] - 1
    if first > base_year:
        raise ValueError(
            f"{owner}: the year axes do not match: {name} starts in {first}, after the budget's base year "
            f"{base_year}. Give values from {base_year} on, or project the macro frame from {first}."
        )
    if last < horizon:
        raise ValueError(
            f"{owner}: the horizon {horizon} is beyond the inputs: {name} covers {first}..{last} only. Pass "
            f"horizon={last} (or earlier), or extend {name} to {horizon}."
        )
    start = base_year - first
    return arr[..., start:start + n_years]


def _reuse(out, names, branches, revenues, years, batch) -> list[np.ndarray]:
    """The working arrays of an earlier budget, checked to have the layout of this one."""
    if not isinstance(out, SocialBudget):
        raise ValueError(f"out must be a SocialBudget from an earlier call, got {type(out).__name__}.")
    if (out.branch_names != tuple(b.name for b in branches) or out.source_names != tuple(s.name for s in revenues)
            or out.years.shape != years.shape or np.any(out.years != years) or out.batch_shape != batch):
        raise ValueError(
            "out must come from a call with the same branches, revenue sources, years and scenario axes; got "
            f"branches {out.branch_names}, sources {out.source_names}, years {out.years[0]}..{out.years[-1]}, "
            f"scenario axes {out.batch_shape}."
        )
    arrays = [np.moveaxis(getattr(out, name), -2, 0) for name in names]
    if not all(arr.flags.writeable and arr.flags.c_contiguous for arr in arrays):
        raise ValueError("out's arrays are not the ones project_budget made (read-only or rearranged); pass the "
                         "SocialBudget itself, as returned.")
    return arrays


def project_budget(branches: Sequence[Branch], revenues: Sequence[RevenueSource], macro: MacroFrame, *,
                   horizon: int | None = None, out: SocialBudget | None = None) -> SocialBudget:
    """Project a social budget: expenditure by branch, revenue by source, balance, year by year.

    For every branch ``b`` and projection year ``t`` (``t = 0`` the macro frame's base year)::

        average_benefit_b,t = average_benefit_b,0 x index_b,t x multiplier_b,t      (or benefit_path_b,t)
        index_b,t = prod_{s=1..t} (1 + w_b g_wage,s + p_b inflation_s),  index_b,0 = 1
        benefits_b,t = beneficiaries_b,t x average_benefit_b,t
        expenditure_b,t = benefits_b,t + admin_share_b,t x benefits_b,t

    with ``g_wage,t = W_t / W_{t-1} - 1`` the growth of the macro frame's average wage and
    ``inflation_t = CPI_t / CPI_{t-1} - 1``; ``(w, p) = (0, 1)`` for prices, ``(1, 0)`` for
    wages (the index is then exactly ``CPI_t`` or ``W_t / W_0``), ``(theta, 1 - theta)`` for a
    mix and ``(0, 0)`` for none. For every revenue source ``s`` of branch ``b``::

        revenue_s,t = rate_s,t x coverage_s,t x base_t     (wage bill, GDP, or expenditure_b,t)
                      or amount_s,t
        balance_b,t = sum of revenue_s,t over the sources of b - expenditure_b,t

    Parameters
    ----------
    branches : sequence of Branch
        The branches (distinct names).
    revenues : sequence of RevenueSource
        The revenue sources (distinct names), each financing one of the branches. May be empty
        (then every branch's balance is minus its expenditure).
    macro : MacroFrame
        Macroeconomic frame (:func:`qsp.economy.project_macro`): GDP, CPI, average wage, wage bill,
        government expenditure and revenue; its first year is the budget's base year.
    horizon : int, optional
        Last projection year (a calendar year). Default: the macro frame's last year. Every input
        with a year axis must cover the base year to the horizon.
    out : SocialBudget, optional
        A budget returned by an earlier call with the same branches, sources, years and scenario
        axes, whose arrays are refilled instead of allocating new ones (for repeated runs, e.g.
        a sensitivity loop: fresh memory costs about as much as the computation). ``out`` then
        holds the new values too.

    Returns
    -------
    SocialBudget

    Raises
    ------
    ValueError
        No branches; duplicate names; a source financing a branch that is missing; a horizon
        before the base year, beyond the macro frame or beyond an input's years; an input whose
        year axis starts after the base year; scenario axes that do not broadcast; an ``out`` of
        another layout.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, RevenueSource, project_budget
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=10_000.0, employment=100.0,
    ...     productivity_growth=0.0, gdp_deflator_inflation=0.0, cpi_inflation=0.05, wage_share=0.5,
    ...     nominal_interest_rate=0.06, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=[2025, 2026])
    >>> pensions = Branch(name="pensions", beneficiaries=[10.0, 11.0], average_benefit=20.0, admin_share=0.1)
    >>> contributions = RevenueSource(name="contributions", kind="worker_contributions", branch="pensions",
    ...                               rate=0.05)                        # 5% of the wage bill (5,000)
    >>> budget = project_budget([pensions], [contributions], macro)
    >>> budget.expenditure[0], budget.balance[0]    # 10 x 20 x 1.1 = 220; 11 x 21 x 1.1 = 254.1
    (array([220. , 254.1]), array([30. , -4.1]))

    References
    ----------
    Scholz, W., Cichon, M. and Hagemejer, K. (2000). *Social Budgeting*. Quantitative Methods in
    Social Protection Series, ILO/ISSA, Geneva, chapters 8-9. ILO (1999). *The ILO Social Budget
    Model: A Technical Guide*. ILO Social Security Department, Geneva.
    """
    branches, revenues = _check_items(branches, revenues)
    if not isinstance(macro, MacroFrame):
        raise ValueError(f"macro must be a MacroFrame (from qsp.economy.project_macro), got {type(macro).__name__}.")
    grid = macro.years
    base_year = int(grid[0])
    if horizon is None:
        horizon = int(grid[-1])
    if isinstance(horizon, bool) or int(horizon) != horizon:
        raise ValueError(f"horizon must be a calendar year (a whole number), got {horizon!r}.")
    horizon = int(horizon)
    if horizon < base_year:
        raise ValueError(f"horizon {horizon} is before the base year {base_year} of the macro frame.")
    if horizon > grid[-1]:
        raise ValueError(
            f"the horizon {horizon} is beyond the inputs: the macro frame covers {grid[0]}..{grid[-1]} only. Pass "
            f"horizon={grid[-1]} (or earlier), or project the macro frame to {horizon}."
        )
    n_years = horizon - base_year + 1
    years = grid[:n_years]

    # --- inputs over the budget's years -------------------------------------------------------
    window = {}
    for branch in branches:
        owner = f"branch {branch.name!r}"
        fields = {"beneficiaries": branch.beneficiaries, "admin_share": branch.admin_share,
                  "benefit_multiplier": branch.benefit_multiplier}
        if branch.benefit_path is not None:
            fields["benefit_path"] = branch.benefit_path
        window[branch.name] = {name: _window(owner, name, arr, branch.years, base_year, n_years, horizon)
                               for name, arr in fields.items()}
        if branch.reserve is not None and branch.years is not None and int(branch.years[0]) != base_year:
            raise ValueError(
                f"{owner}: its reserve is the reserve at the start of {int(branch.years[0])}, but the budget starts "
                f"in {base_year}; the reserve must be given at the start of the budget's base year (start the "
                f"valuation in {base_year}, or give the reserve of {base_year} with years from {base_year})."
            )
    source_window = {}
    for source in revenues:
        owner = f"revenue source {source.name!r}"
        fields = {}
        for name in ("amount", "rate", "coverage", "base"):
            value = getattr(source, name)
            if isinstance(value, np.ndarray):
                fields[name] = _window(owner, name, value, source.years, base_year, n_years, horizon)
        source_window[source.name] = fields

    shapes = {"macro frame": macro.batch_shape}
    for branch in branches:
        for name, arr in window[branch.name].items():
            shapes[f"{branch.name}: {name}"] = arr.shape[:-1]
        if branch.average_benefit is not None:
            shapes[f"{branch.name}: average_benefit"] = branch.average_benefit.shape
        if branch.reserve is not None:
            shapes[f"{branch.name}: reserve"] = branch.reserve.shape
    for source in revenues:
        for name, arr in source_window[source.name].items():
            shapes[f"{source.name}: {name}"] = arr.shape[:-1]
    batch = broadcast_batch_shapes(
        shapes, hint="Base-year amounts have only scenario axes; year-by-year inputs have them and then the year axis.")

    # --- macro series ----------------------------------------------------------------------------
    def macro_series(values: np.ndarray) -> np.ndarray:
        return values[..., :n_years]

    wage = macro_series(macro.average_wage)
    cpi = macro_series(macro.cpi)
    indices: dict[tuple[float, float], np.ndarray | float] = {(0.0, 0.0): 1.0}

    def benefit_index(weights: tuple[float, float]) -> np.ndarray | float:
        """``index_t`` of an indexation rule, computed once per rule."""
        if weights not in indices:
            wage_weight, price_weight = weights
            if weights == (0.0, 1.0):
                indices[weights] = cpi / cpi[..., :1]
            elif weights == (1.0, 0.0):
                indices[weights] = wage / wage[..., :1]
            else:  # index_t = index_{t-1} (1 + w (W_t / W_{t-1} - 1) + p (CPI_t / CPI_{t-1} - 1))
                factors = np.empty(np.broadcast_shapes(wage.shape, cpi.shape))
                factors[..., 0] = 1.0
                np.multiply(wage_weight, wage[..., 1:] / wage[..., :-1] - 1.0, out=factors[..., 1:])
                factors[..., 1:] += price_weight * (cpi[..., 1:] / cpi[..., :-1] - 1.0)
                factors[..., 1:] += 1.0
                indices[weights] = np.cumprod(factors, axis=-1, out=factors)
        return indices[weights]

    # --- expenditure, revenue and balance, branch by branch ----------------------------------------
    # Working arrays are laid out (branch or source, *batch, year) so that each branch's slice is
    # contiguous and its few operations run one after the other while the slice is in cache; the
    # result exposes them as batch + (branch, year) views.
    n_branches = len(branches)
    shape = (n_branches,) + batch + (n_years,)
    names = ("beneficiaries", "average_benefit", "benefit_expenditure", "administration", "expenditure",
             "revenue_by_branch", "balance", "reserve", "reserve_drawdown", "revenue")
    if out is None:
        arrays = [np.empty(shape) for _ in names[:-1]] + [np.empty((len(revenues),) + batch + (n_years,))]
    else:
        arrays = _reuse(out, names, branches, revenues, years, batch)
    (beneficiaries, average_benefit, benefit_expenditure, administration, expenditure, revenue_by_branch, balance,
     reserve, reserve_drawdown, revenue) = arrays
    named_base = {"wage_bill": macro_series(macro.wage_bill), "gdp": macro_series(macro.nominal_gdp)}
    for b, branch in enumerate(branches):
        inputs = window[branch.name]
        beneficiaries[b] = inputs["beneficiaries"]
        if branch.benefit_path is not None:
            average_benefit[b] = inputs["benefit_path"]
        else:
            np.multiply(branch.average_benefit[..., None], benefit_index(branch.weights), out=average_benefit[b])
        multiplier = inputs["benefit_multiplier"]
        if multiplier.shape != (1,) or multiplier[0] != 1.0:
            average_benefit[b] *= multiplier
        np.multiply(beneficiaries[b], average_benefit[b], out=benefit_expenditure[b])
        np.multiply(inputs["admin_share"], benefit_expenditure[b], out=administration[b])
        np.add(benefit_expenditure[b], administration[b], out=expenditure[b])

        first = True
        for s, source in enumerate(revenues):
            if source.branch != branch.name:
                continue
            source_inputs = source_window[source.name]
            if source.amount is not None:
                revenue[s] = source_inputs["amount"]
            else:
                if isinstance(source.base, str):
                    base = expenditure[b] if source.base == "expenditure" else named_base[source.base]
                else:
                    base = source_inputs["base"]
                np.multiply(source_inputs["rate"] * source_inputs["coverage"], base, out=revenue[s])
            if first:
                revenue_by_branch[b] = revenue[s]
                first = False
            else:
                revenue_by_branch[b] += revenue[s]
        if first:
            revenue_by_branch[b] = 0.0
        np.subtract(revenue_by_branch[b], expenditure[b], out=balance[b])
        # a funded branch pays its deficits from its reserve first (a loop over years, vectorised
        # over scenarios); an unfunded branch has no reserve
        if branch.reserve is None:
            reserve[b] = 0.0
            reserve_drawdown[b] = 0.0
        else:
            held = np.broadcast_to(branch.reserve, batch).copy()
            for t in range(n_years):
                np.minimum(np.maximum(-balance[b][..., t], 0.0), held, out=reserve_drawdown[b][..., t])
                held += balance[b][..., t]
                np.maximum(held, 0.0, out=held)
                reserve[b][..., t] = held

    def by_row(values: np.ndarray) -> np.ndarray:
        return np.moveaxis(values, 0, -2)

    def full(values: np.ndarray) -> np.ndarray:
        return np.broadcast_to(macro_series(values), batch + (n_years,))

    return SocialBudget(
        years=years, branch_names=tuple(b.name for b in branches), source_names=tuple(s.name for s in revenues),
        source_kinds=tuple(s.kind for s in revenues), source_branches=tuple(s.branch for s in revenues),
        beneficiaries=by_row(beneficiaries), average_benefit=by_row(average_benefit),
        benefit_expenditure=by_row(benefit_expenditure), administration=by_row(administration),
        expenditure=by_row(expenditure), revenue=by_row(revenue), revenue_by_branch=by_row(revenue_by_branch),
        balance=by_row(balance), reserve=by_row(reserve), reserve_drawdown=by_row(reserve_drawdown), nominal_gdp=full(macro.nominal_gdp),
        government_expenditure=full(macro.expenditure), government_revenue=full(macro.revenue),
    )


# ---------------------------------------------------------------------------------------------
# status quo and reforms
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class SocialBudgetModel:
    """The inputs of a social budget, so that a reform is the status quo with some parameters changed.

    Parameters
    ----------
    branches : sequence of Branch
    revenues : sequence of RevenueSource
    macro : MacroFrame
    horizon : int, optional
        Last projection year (default: the macro frame's last year).

    Examples
    --------
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, SocialBudgetModel, compare
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=10_000.0, employment=100.0,
    ...     productivity_growth=0.0, gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=[2025, 2026])
    >>> model = SocialBudgetModel(macro=macro, branches=[
    ...     Branch(name="pensions", beneficiaries=[10.0, 12.0], average_benefit=50.0)])
    >>> reform = model.reform(branches={"pensions": {"benefit_multiplier": [1.0, 1.2]}})   # +20% from 2026
    >>> compare(reform.project(), model.project()).table(measure="money")
    year      2025   2026
    branch
    pensions   0.0  120.0
    total      0.0  120.0

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 10 (status quo and
    reform scenarios).
    """

    branches: tuple[Branch, ...]
    revenues: tuple[RevenueSource, ...] = ()
    macro: MacroFrame
    horizon: int | None = None

    def __post_init__(self) -> None:
        branches, revenues = _check_items(self.branches, self.revenues)
        object.__setattr__(self, "branches", branches)
        object.__setattr__(self, "revenues", revenues)
        if not isinstance(self.macro, MacroFrame):
            raise ValueError(f"macro must be a MacroFrame (from qsp.economy.project_macro), got "
                             f"{type(self.macro).__name__}.")

    def project(self) -> SocialBudget:
        """The projected budget (:func:`project_budget`)."""
        return project_budget(self.branches, self.revenues, self.macro, horizon=self.horizon)

    def reform(self, *, branches: Mapping[str, Mapping[str, Any]] | None = None,
               revenues: Mapping[str, Mapping[str, Any]] | None = None, add_branches: Sequence[Branch] = (),
               add_revenues: Sequence[RevenueSource] = (), remove_revenues: Sequence[str] = (),
               macro: MacroFrame | None = None, horizon: int | None = None) -> SocialBudgetModel:
        """A reform: a copy of the model with some parameters changed.

        Parameters
        ----------
        branches : mapping, optional
            Branch name -> changes, e.g. ``{"pensions": {"indexation": "prices", "admin_share": 0.03}}``.
        revenues : mapping, optional
            Source name -> changes, e.g. ``{"employer contributions": {"rate": 0.10}}``.
        add_branches, add_revenues : sequence, optional
            New branches and sources (a new benefit and its financing).
        remove_revenues : sequence of str, optional
            Names of sources to drop.
        macro : MacroFrame, optional
            Another macro frame (an economic scenario); it must start in the same base year.
        horizon : int, optional
            Another horizon (default: the status quo's).

        Raises
        ------
        ValueError
            A branch or source name that the status quo does not have, an unknown parameter.
        """
        def changed(items, changes, kind):
            names = [item.name for item in items]
            unknown = sorted(set(changes or {}) - set(names))
            if unknown:
                plural = "branches" if kind == "branch" else f"{kind}s"
                raise ValueError(f"the reform changes {kind}(s) {unknown}, which the status quo does not have; its "
                                 f"{plural} are {names}.")
            out = []
            for item in items:
                update = dict((changes or {}).get(item.name, {}))
                fields = {f.name for f in dataclasses.fields(item)}
                bad = sorted(set(update) - fields)
                if bad:
                    raise ValueError(f"the reform of {kind} {item.name!r} changes unknown parameter(s) {bad}; "
                                     f"the parameters are {sorted(fields)}.")
                out.append(item.replace(**update) if update else item)
            return out

        missing = sorted(set(remove_revenues) - {s.name for s in self.revenues})
        if missing:
            raise ValueError(f"the reform removes revenue source(s) {missing}, which the status quo does not have.")
        new_branches = changed(self.branches, branches, "branch") + list(add_branches)
        kept = [s for s in self.revenues if s.name not in set(remove_revenues)]
        new_revenues = changed(kept, revenues, "revenue source") + list(add_revenues)
        new_macro = self.macro if macro is None else macro
        if isinstance(new_macro, MacroFrame) and new_macro.years[0] != self.macro.years[0]:
            raise ValueError(f"the reform's macro frame starts in {new_macro.years[0]}, the status quo's in "
                             f"{self.macro.years[0]}; a reform is compared year by year from the same base year.")
        return SocialBudgetModel(branches=new_branches, revenues=new_revenues, macro=new_macro,
                                 horizon=self.horizon if horizon is None else horizon)


@dataclass(frozen=True, kw_only=True, eq=False)
class BudgetComparison:
    """A reform against the status quo, branch by branch and year by year.

    Differences are ``reform - status quo``. Branches follow the status quo's order; revenue is
    compared by branch and by kind (a reform may add or remove sources). Money differences use
    each budget's own money; share differences are differences of shares of each budget's own
    GDP (in fractions: 0.005 = half a percentage point).
    """

    years: np.ndarray
    branch_names: tuple[str, ...]
    reform: SocialBudget
    status_quo: SocialBudget
    _order: np.ndarray

    def _aligned(self, what: str, budget: SocialBudget, share: bool) -> np.ndarray:
        values = budget.share_of_gdp(what) if share else budget.account(what)
        if budget is self.reform and what in _BY_BRANCH:
            values = values[..., self._order, :]
        return values

    def difference(self, what: str = "expenditure", *, share_of_gdp: bool = False) -> np.ndarray:
        """``reform - status quo`` of an account (:data:`ACCOUNTS` except ``"revenue"``), in money or GDP shares."""
        if what == "revenue":
            raise ValueError("revenue by source is not compared (a reform may change the sources); use "
                             "'revenue_by_branch' or 'revenue_by_kind'.")
        return self._aligned(what, self.reform, share_of_gdp) - self._aligned(what, self.status_quo, share_of_gdp)

    def table(self, account: str = "expenditure", *, measure: str = "percent_of_gdp", scenario=None,
              years: Iterable[int] | None = None):
        """Branch x year table of the differences ``reform - status quo`` with a total row.

        ``measure`` is ``"money"``, ``"share_of_gdp"`` or ``"percent_of_gdp"`` (percentage points);
        ``account`` is a by-branch account (``"expenditure"``, ``"revenue_by_branch"``, ``"balance"``,
        ``"financing_gap"``, ...) or ``"revenue_by_kind"``.
        """
        import pandas as pd

        if account not in _BY_BRANCH + ("revenue_by_kind",):
            raise ValueError(f"account must be one of {_BY_BRANCH + ('revenue_by_kind',)}, got {account!r}.")
        if measure not in ("money", "share_of_gdp", "percent_of_gdp"):
            raise ValueError(f"measure must be 'money', 'share_of_gdp' or 'percent_of_gdp', got {measure!r}.")
        values = self.difference(account, share_of_gdp=measure != "money") * (100.0 if measure.startswith("percent")
                                                                              else 1.0)
        batch = values.shape[:-2]
        values = _select(values, batch, scenario)
        columns = _year_positions(self.years, years)
        rows = REVENUE_KINDS if account == "revenue_by_kind" else self.branch_names
        data = np.vstack([values[:, columns], values.sum(axis=0)[None, columns]])
        return pd.DataFrame(data, index=pd.Index(list(rows) + ["total"], name="kind" if rows is REVENUE_KINDS
                                                 else "branch"), columns=pd.Index(self.years[columns], name="year"))

    def to_frame(self):
        """Tidy frame: scenario..., year, account, branch, status_quo, reform, difference (money) and the same
        three as shares of GDP (``*_share_of_gdp``). Accounts: expenditure, revenue (by branch), balance,
        deficit, reserve_drawdown, financing_gap; branch ``"all"`` holds the totals."""
        import pandas as pd

        pieces = []
        for account, by_branch, total in (("expenditure", "expenditure", "total_expenditure"),
                                          ("revenue", "revenue_by_branch", "total_revenue"),
                                          ("balance", "balance", "total_balance"),
                                          ("deficit", "deficit", "total_deficit"),
                                          ("reserve_drawdown", "reserve_drawdown", "total_reserve_drawdown"),
                                          ("financing_gap", "financing_gap", "total_financing_gap")):
            for label, what, index in [(name, by_branch, b) for b, name in enumerate(self.branch_names)] + [
                    ("all", total, None)]:
                columns = {}
                for role, budget in (("status_quo", self.status_quo), ("reform", self.reform)):
                    money = self._aligned(what, budget, False)
                    shares = self._aligned(what, budget, True)
                    if index is not None:
                        money, shares = money[..., index, :], shares[..., index, :]
                    columns[role], columns[f"{role}_share_of_gdp"] = money, shares
                columns["difference"] = columns["reform"] - columns["status_quo"]
                columns["difference_share_of_gdp"] = columns["reform_share_of_gdp"] - columns["status_quo_share_of_gdp"]
                ordered = {key: columns[key] for key in ("status_quo", "reform", "difference", "status_quo_share_of_gdp",
                                                         "reform_share_of_gdp", "difference_share_of_gdp")}
                pieces.append(wide_frame(self.years, ordered, extra={"account": account, "branch": label}))
        return pd.concat(pieces, ignore_index=True)


def compare(reform: SocialBudget, status_quo: SocialBudget) -> BudgetComparison:
    """Compare a reform with the status quo: differences by branch and year, in money and % of GDP.

    Parameters
    ----------
    reform, status_quo : SocialBudget
        Two projected budgets over the same years with the same branches (in any order).

    Returns
    -------
    BudgetComparison
        ``.difference(what)``, ``.table()``, ``.to_frame()``.

    Raises
    ------
    ValueError
        Not SocialBudget objects; year axes that differ; branches missing from either budget;
        scenario axes that do not broadcast.

    Examples
    --------
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, project_budget
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=10_000.0, employment=100.0,
    ...     productivity_growth=0.0, gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=[2025, 2026])
    >>> status_quo = project_budget([Branch(name="health", beneficiaries=[100.0, 100.0], average_benefit=2.0)],
    ...                             [], macro)
    >>> reform = project_budget([Branch(name="health", beneficiaries=[100.0, 150.0], average_benefit=2.0)],
    ...                         [], macro)
    >>> compare(reform, status_quo).difference("total_expenditure", share_of_gdp=True)   # 100 / 10,000
    array([0.  , 0.01])

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 10 (simulating
    reform options against the status quo projection).
    """
    for name, budget in (("reform", reform), ("status_quo", status_quo)):
        if not isinstance(budget, SocialBudget):
            raise ValueError(f"{name} must be a SocialBudget (from project_budget), got {type(budget).__name__}.")
    if reform.years.shape != status_quo.years.shape or np.any(reform.years != status_quo.years):
        raise ValueError(
            f"the year axes do not match: the reform covers {reform.years[0]}..{reform.years[-1]} and the status quo "
            f"{status_quo.years[0]}..{status_quo.years[-1]}; project both over the same years (same base year and "
            f"horizon=)."
        )
    missing = [name for name in status_quo.branch_names if name not in reform.branch_names]
    extra = [name for name in reform.branch_names if name not in status_quo.branch_names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"branches {missing} of the status quo are missing from the reform")
        if extra:
            parts.append(f"branches {extra} of the reform are missing from the status quo")
        raise ValueError(
            "; ".join(parts) + ". Compare budgets with the same branches: to abolish a benefit keep its branch with "
            "zero beneficiaries or benefit_multiplier=0; to add one, give the status quo the branch with zero "
            "beneficiaries."
        )
    broadcast_batch_shapes({"reform": reform.batch_shape, "status_quo": status_quo.batch_shape})
    order = np.array([reform.branch_names.index(name) for name in status_quo.branch_names])
    return BudgetComparison(years=status_quo.years, branch_names=status_quo.branch_names, reform=reform,
                            status_quo=status_quo, _order=order)
