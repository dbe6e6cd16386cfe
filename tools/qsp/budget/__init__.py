"""Social budgeting: the expenditure and revenue of a country's whole social protection system.

A social budget (Scholz, Cichon and Hagemejer, *Social Budgeting*, ILO/ISSA 2000; the ILO
social budget model) projects, year by year and for every scenario at once, each branch's
expenditure (beneficiaries x average benefit, indexed to prices, wages or a mix, plus
administration) and revenue by source (employers' and workers' contributions, government
transfers, investment income, other), in money and as shares of GDP and of government
expenditure; the balance and deficit of each branch, the part of a funded branch's deficit paid
from its reserve (reserve drawdown) and the rest, the financing gap (the call on the state
budget); and reforms against the status quo.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # branches.py
    "BRANCHES": "branches",
    "REVENUE_KINDS": "branches",
    "REVENUE_BASES": "branches",
    "Branch": "branches",
    "RevenueSource": "branches",
    "index_weights": "branches",
    "beneficiaries_from_population": "branches",
    "pension_branch": "branches",
    "pension_revenues": "branches",
    # model.py
    "ACCOUNTS": "model",
    "MEASURES": "model",
    "SocialBudget": "model",
    "SocialBudgetModel": "model",
    "BudgetComparison": "model",
    "project_budget": "model",
    "compare": "model",
    # country.py
    "status_quo_budget": "country",
    "EXPENDITURE_INDICATORS": "country",
    "base_year_figures": "country",
    # plots.py
    "plots": "plots",
    "plot_expenditure_by_branch": "plots",
    "plot_revenue_expenditure": "plots",
    "plot_reform_comparison": "plots",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
