"""The examples in the docstrings of qsp.budget run; every public function is documented; the charts draw
what they say on the Agg backend and return their Axes."""

import doctest
import importlib

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from qsp.budget import (
    Branch,
    RevenueSource,
    compare,
    plot_expenditure_by_branch,
    plot_reform_comparison,
    plot_revenue_expenditure,
    project_budget,
)
from qsp.economy import MacroAssumptions, project_macro

MODULES = ["qsp.budget.branches", "qsp.budget.model", "qsp.budget.plots", "qsp.budget.country"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
    plt.close("all")


def test_every_public_name_is_exported_and_documented():
    import qsp
    import qsp.budget as budget

    assert "budget" in dir(qsp) and qsp.budget is budget
    for name in budget.__all__:
        obj = getattr(budget, name)
        if isinstance(obj, tuple) or name == "plots":
            continue
        assert obj.__doc__ and len(obj.__doc__) > 80, f"{name} needs a docstring"
        if callable(obj) and not isinstance(obj, type):
            for section in ("Parameters", "Returns", "Raises", "Examples", "References"):
                assert section in obj.__doc__, f"{name} docstring lacks {section}"


def small_budgets(n_scenarios=None):
    cpi = 0.03 if n_scenarios is None else np.linspace(0.0, 0.1, n_scenarios)[:, None]
    macro = project_macro(MacroAssumptions(
        base_year=2025, nominal_gdp=1e4, employment=100.0, productivity_growth=0.02, gdp_deflator_inflation=0.03,
        cpi_inflation=cpi, wage_share=0.5, nominal_interest_rate=0.05, revenue_share=0.2, expenditure_share=0.25,
        exchange_rate=1.0, ppp_factor=1.0), years=np.arange(2025, 2041))
    branches = [Branch(name="pensions", beneficiaries=np.linspace(10, 25, 16), average_benefit=30.0,
                       indexation="wages", admin_share=0.03),
                Branch(name="health", beneficiaries=np.full(16, 100.0), average_benefit=2.0, indexation=0.5),
                Branch(name="children_and_families", beneficiaries=np.full(16, 40.0), average_benefit=3.0)]
    sources = [RevenueSource(name="contributions", kind="worker_contributions", branch="pensions", rate=0.08),
               RevenueSource(name="health budget", kind="government_transfers", branch="health", rate=0.9,
                             base="expenditure"),
               RevenueSource(name="child grant", kind="government_transfers", branch="children_and_families",
                             rate=1.0, base="expenditure")]
    status_quo = project_budget(branches, sources, macro)
    reform = project_budget([branches[0].replace(indexation="prices")] + branches[1:], sources, macro)
    return status_quo, reform


def test_stacked_expenditure_chart_draws_one_area_per_branch():
    status_quo, _ = small_budgets()
    ax = plot_expenditure_by_branch(status_quo)
    assert len(ax.collections) == 3
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["pensions", "health",
                                                                         "children and families"]
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(100 * status_quo.share_of_gdp("total_expenditure").max())
    plt.close("all")


def test_revenue_against_expenditure_chart_marks_the_gap():
    status_quo, _ = small_budgets()
    fig, ax = plt.subplots()
    assert plot_revenue_expenditure(status_quo, ax=ax) is ax
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:2] == ["worker contributions", "government transfers"]
    assert "total expenditure" in labels
    # the shaded area is the overall (net) deficit, not the financing gap (the sum of branch deficits)
    assert "overall deficit" in labels and "financing gap" not in labels
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 100 * status_quo.share_of_gdp("total_expenditure"))
    money = plot_revenue_expenditure(status_quo, measure="money")
    np.testing.assert_allclose(money.lines[0].get_ydata(), status_quo.total_expenditure)
    with pytest.raises(ValueError, match="measure must be 'percent_of_gdp' or 'money'"):
        plot_revenue_expenditure(status_quo, measure="share")
    plt.close("all")


def test_reform_chart_with_scenarios():
    status_quo, reform = small_budgets(n_scenarios=3)
    comparison = compare(reform, status_quo)
    ax = plot_reform_comparison(comparison, scenario=2)
    assert len(ax.patches) == 16                       # one bar a year: only pensions change
    heights = np.array([patch.get_height() for patch in ax.patches])
    np.testing.assert_allclose(heights, 100 * comparison.difference("expenditure", share_of_gdp=True)[2, 0])
    with pytest.raises(ValueError, match="pick one scenario"):
        plot_reform_comparison(comparison)
    with pytest.raises(ValueError, match="account must be one of"):
        plot_reform_comparison(comparison, account="revenue", scenario=0)
    with pytest.raises(ValueError, match="comparison must be a BudgetComparison"):
        plot_reform_comparison(status_quo)
    with pytest.raises(ValueError, match="budget must be a SocialBudget"):
        plot_expenditure_by_branch(comparison)
    plt.close("all")
