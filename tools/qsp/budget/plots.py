"""Charts of a social budget: expenditure by branch as % of GDP, revenue against expenditure, reform
against status quo. Each function draws on ``ax`` (or a new figure) and returns the Axes; it
imports matplotlib only when called and works with the non-interactive Agg backend.
"""

from __future__ import annotations

import numpy as np

from .model import BudgetComparison, SocialBudget, _select

_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
"""Okabe-Ito colours (safe for colour-blind readers), as in :mod:`qsp.plots`."""


def _axes(ax, figsize=(8, 5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _label(name: str) -> str:
    return name.replace("_", " ")


def plot_expenditure_by_branch(budget: SocialBudget, *, scenario=None, ax=None, title: str | None = None):
    """Stacked areas of expenditure by branch as % of GDP, year by year.

    Parameters
    ----------
    budget : SocialBudget
    scenario : int or tuple of int, optional
        The scenario to draw (required when the budget has scenario axes).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        Not a SocialBudget; a missing or wrong ``scenario`` for a budget with scenario axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, RevenueSource, project_budget
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=1e4, employment=100.0,
    ...     productivity_growth=0.02, gdp_deflator_inflation=0.03, cpi_inflation=0.03, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=range(2025, 2041))
    >>> pensions = Branch(name="pensions", beneficiaries=[10.0 + t for t in range(16)], average_benefit=30.0,
    ...                   indexation="wages")
    >>> budget = project_budget([pensions], [RevenueSource(name="contributions", kind="worker_contributions",
    ...                                                     branch="pensions", rate=0.08)], macro)
    >>> plot_expenditure_by_branch(budget).get_ylabel()
    'expenditure, % of GDP'

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 10 (presenting the
    results of a social budget).
    """
    if not isinstance(budget, SocialBudget):
        raise ValueError(f"budget must be a SocialBudget, got {type(budget).__name__}.")
    ax = _axes(ax)
    shares = 100.0 * _select(budget.share_of_gdp("expenditure"), budget.batch_shape, scenario)
    ax.stackplot(budget.years, shares, labels=[_label(name) for name in budget.branch_names],
                 colors=_COLOURS[: len(budget.branch_names)] if len(budget.branch_names) <= len(_COLOURS) else None,
                 alpha=0.85)
    ax.set_xlabel("year")
    ax.set_ylabel("expenditure, % of GDP")
    ax.set_xlim(budget.years[0], budget.years[-1])
    ax.set_title(title or "Social expenditure by branch")
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    return ax


def plot_revenue_expenditure(budget: SocialBudget, *, scenario=None, measure: str = "percent_of_gdp", ax=None,
                             title: str | None = None):
    """Total revenue (stacked by kind) against total expenditure, with the overall deficit shaded.

    The shaded area is where total expenditure exceeds total revenue (the overall deficit, branch
    surpluses netted against deficits); it is smaller than :attr:`SocialBudget.total_financing_gap`
    (the sum of the branches' deficits) when some branch is in surplus.

    Parameters
    ----------
    budget : SocialBudget
    scenario : int or tuple of int, optional
    measure : {"percent_of_gdp", "money"}, default "percent_of_gdp"
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        Not a SocialBudget, an unknown measure, a missing or wrong ``scenario``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, RevenueSource, project_budget
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=1e4, employment=100.0,
    ...     productivity_growth=0.02, gdp_deflator_inflation=0.03, cpi_inflation=0.03, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=range(2025, 2041))
    >>> pensions = Branch(name="pensions", beneficiaries=[10.0 + t for t in range(16)], average_benefit=30.0,
    ...                   indexation="wages")
    >>> budget = project_budget([pensions], [RevenueSource(name="contributions", kind="worker_contributions",
    ...                                                     branch="pensions", rate=0.08)], macro)
    >>> plot_revenue_expenditure(budget).get_title()
    'Revenue by kind and expenditure'

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 10 (presenting the
    results of a social budget).
    """
    from .branches import REVENUE_KINDS

    if not isinstance(budget, SocialBudget):
        raise ValueError(f"budget must be a SocialBudget, got {type(budget).__name__}.")
    if measure not in ("percent_of_gdp", "money"):
        raise ValueError(f"measure must be 'percent_of_gdp' or 'money', got {measure!r}.")
    ax = _axes(ax)
    scale = 100.0 / budget.nominal_gdp if measure == "percent_of_gdp" else 1.0
    by_kind = _select(budget.revenue_by_kind * (scale[..., None, :] if measure != "money" else 1.0),
                      budget.batch_shape, scenario)
    expenditure = _select(budget.total_expenditure * scale, budget.batch_shape, scenario)
    present = [k for k in range(len(REVENUE_KINDS)) if np.any(by_kind[k] != 0)]
    ax.stackplot(budget.years, by_kind[present] if present else np.zeros((1, budget.years.size)),
                 labels=[_label(REVENUE_KINDS[k]) for k in present] or ["revenue"],
                 colors=[_COLOURS[k] for k in present] or None, alpha=0.6)
    ax.plot(budget.years, expenditure, color="black", linewidth=2, label="total expenditure")
    revenue = by_kind.sum(axis=0)
    ax.fill_between(budget.years, revenue, expenditure, where=expenditure > revenue, color="#D55E00", alpha=0.25,
                    hatch="//", label="overall deficit", interpolate=True)
    ax.set_xlabel("year")
    ax.set_ylabel("% of GDP" if measure == "percent_of_gdp" else "national currency per year")
    ax.set_xlim(budget.years[0], budget.years[-1])
    ax.set_title(title or "Revenue by kind and expenditure")
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    return ax


def plot_reform_comparison(comparison: BudgetComparison, *, account: str = "expenditure", scenario=None,
                           by_branch: bool = True, ax=None, title: str | None = None):
    """Reform against status quo: total of an account (% of GDP) under both, and the difference by branch.

    Lines show the status quo (dashed) and the reform (solid) totals; bars show the difference
    ``reform - status quo`` of each branch in percentage points of GDP (stacked), when
    ``by_branch``.

    Parameters
    ----------
    comparison : BudgetComparison
    account : {"expenditure", "revenue_by_branch", "balance", "financing_gap"}, default "expenditure"
    scenario : int or tuple of int, optional
    by_branch : bool, default True
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        Not a BudgetComparison, an unknown account, a missing or wrong ``scenario``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> from qsp.budget import Branch, RevenueSource, project_budget
    >>> macro = project_macro(MacroAssumptions(base_year=2025, nominal_gdp=1e4, employment=100.0,
    ...     productivity_growth=0.02, gdp_deflator_inflation=0.03, cpi_inflation=0.03, wage_share=0.5,
    ...     nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
    ...     ppp_factor=1.0), years=range(2025, 2041))
    >>> pensions = Branch(name="pensions", beneficiaries=[10.0 + t for t in range(16)], average_benefit=30.0,
    ...                   indexation="wages")
    >>> budget = project_budget([pensions], [RevenueSource(name="contributions", kind="worker_contributions",
    ...                                                     branch="pensions", rate=0.08)], macro)
    >>> from qsp.budget import compare
    >>> reform = project_budget([pensions.replace(indexation="prices")], [], macro)
    >>> ax = plot_reform_comparison(compare(reform, project_budget([pensions], [], macro)))
    >>> len(ax.lines)                     # status quo and reform totals (and the zero line)
    3

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 10 (presenting the
    results of a social budget).
    """
    if not isinstance(comparison, BudgetComparison):
        raise ValueError(f"comparison must be a BudgetComparison (from compare), got {type(comparison).__name__}.")
    totals = {"expenditure": "total_expenditure", "revenue_by_branch": "total_revenue", "balance": "total_balance",
              "financing_gap": "total_financing_gap"}
    if account not in totals:
        raise ValueError(f"account must be one of {tuple(totals)}, got {account!r}.")
    ax = _axes(ax)
    years = comparison.years
    difference = 100.0 * comparison.difference(account, share_of_gdp=True)
    batch = difference.shape[:-2]
    if by_branch:
        difference = _select(difference, batch, scenario)
        positive = np.zeros(years.size)
        negative = np.zeros(years.size)
        for b, name in enumerate(comparison.branch_names):
            values = difference[b]
            if not np.any(values != 0):
                continue
            bottom = np.where(values >= 0, positive, negative)
            ax.bar(years, values, bottom=bottom, color=_COLOURS[b % len(_COLOURS)], alpha=0.6,
                   label=f"difference: {_label(name)}")
            positive = positive + np.maximum(values, 0)
            negative = negative + np.minimum(values, 0)
    for role, style in (("status_quo", "--"), ("reform", "-")):
        budget = getattr(comparison, role)
        total = 100.0 * budget.share_of_gdp(totals[account])
        total = _select(np.broadcast_to(total, batch + (years.size,)), batch, scenario)
        ax.plot(years, total, style, color="black", linewidth=2, label=f"{role.replace('_', ' ')}: total")
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel(f"{_label(account)}, % of GDP")
    ax.set_title(title or "Reform against the status quo")
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    return ax
