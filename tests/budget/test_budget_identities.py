"""Accounting identities of the social budget hold in every year and scenario (hypothesis)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from qsp.budget import REVENUE_KINDS, Branch, RevenueSource, SocialBudgetModel, compare, project_budget
from qsp.economy import MacroAssumptions, project_macro

N_YEARS = 6
YEARS = np.arange(2030, 2030 + N_YEARS)
INDEXATIONS = st.sampled_from(["prices", "wages", "none", 0.0, 0.3, 1.0])


@st.composite
def budgets(draw):
    n_scenarios = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    macro = project_macro(MacroAssumptions(
        base_year=2030, nominal_gdp=rng.uniform(1e3, 1e6, n_scenarios), employment=rng.uniform(10, 1000),
        employment_growth=rng.uniform(-0.02, 0.04, (n_scenarios, N_YEARS)),
        productivity_growth=rng.uniform(-0.03, 0.06, (n_scenarios, 1)),
        gdp_deflator_inflation=rng.uniform(0.0, 0.2, (n_scenarios, N_YEARS)),
        cpi_inflation=rng.uniform(-0.01, 0.25, (n_scenarios, N_YEARS)), wage_share=rng.uniform(0.2, 0.7),
        nominal_interest_rate=0.05, revenue_share=rng.uniform(0.1, 0.4), expenditure_share=rng.uniform(0.1, 0.5),
        exchange_rate=1.0, ppp_factor=1.0), years=YEARS)
    n_branches = draw(st.integers(1, 4))
    branches = []
    for b in range(n_branches):
        length = N_YEARS + draw(st.integers(0, 3))     # inputs may run beyond the horizon
        multiplier = rng.uniform(0.5, 2.0, length) if draw(st.booleans()) else 1.0
        branches.append(Branch(name=f"branch {b}", beneficiaries=rng.uniform(0, 1e3, (n_scenarios, length)),
                               average_benefit=rng.uniform(0, 100), indexation=draw(INDEXATIONS),
                               admin_share=rng.uniform(0, 0.2, (n_scenarios, 1)), benefit_multiplier=multiplier))
    sources = []
    for s in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(REVENUE_KINDS))
        branch = f"branch {draw(st.integers(0, n_branches - 1))}"
        if draw(st.booleans()):
            sources.append(RevenueSource(name=f"source {s}", kind=kind, branch=branch, rate=rng.uniform(0, 1),
                                         base=draw(st.sampled_from(["wage_bill", "gdp", "expenditure"])),
                                         coverage=rng.uniform(0, 1, N_YEARS)))
        else:
            sources.append(RevenueSource(name=f"source {s}", kind=kind, branch=branch,
                                         amount=rng.uniform(0, 1e3, N_YEARS)))
    horizon = int(YEARS[draw(st.integers(0, N_YEARS - 1))])
    return SocialBudgetModel(branches=branches, revenues=sources, macro=macro, horizon=horizon)


@given(budgets())
def test_accounting_identities(model):
    budget = model.project()
    n_years = budget.years.size
    assert budget.years[-1] == model.horizon and budget.expenditure.shape[-1] == n_years
    # expenditure = benefits + administration, branch by branch; benefits = beneficiaries x average benefit
    np.testing.assert_allclose(budget.expenditure, budget.benefit_expenditure + budget.administration, rtol=1e-12)
    np.testing.assert_allclose(budget.benefit_expenditure, budget.beneficiaries * budget.average_benefit, rtol=1e-12)
    # branches sum to the total; sources sum to the total, by branch and by kind alike
    np.testing.assert_allclose(budget.total_expenditure, budget.expenditure.sum(axis=-2), rtol=1e-12)
    np.testing.assert_allclose(budget.revenue_by_branch.sum(axis=-2), budget.total_revenue, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(budget.revenue_by_kind.sum(axis=-2), budget.total_revenue, rtol=1e-9, atol=1e-9)
    # revenue - expenditure = balance, per branch and in total
    np.testing.assert_allclose(budget.balance, budget.revenue_by_branch - budget.expenditure, rtol=1e-12)
    np.testing.assert_allclose(budget.total_balance, budget.balance.sum(axis=-2), rtol=1e-9, atol=1e-6)
    # the financing gap is the sum of branch deficits: non-negative and at least the overall deficit
    assert np.all(budget.financing_gap >= 0)
    assert np.all(budget.total_financing_gap >= -budget.total_balance - 1e-6)
    # % of GDP and of government expenditure are consistent with money
    np.testing.assert_allclose(budget.share_of_gdp() * budget.nominal_gdp[..., None, :], budget.expenditure,
                               rtol=1e-12)
    np.testing.assert_allclose(budget.share_of_gdp("total_balance") * budget.nominal_gdp, budget.total_balance,
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(budget.share_of_government_expenditure("total_expenditure")
                               * budget.government_expenditure, budget.total_expenditure, rtol=1e-12)
    np.testing.assert_allclose(budget.share_of_gdp("revenue_by_kind").sum(axis=-2),
                               budget.share_of_gdp("total_revenue"), rtol=1e-9, atol=1e-12)
    # the report table's total row is the sum of its branch rows
    table = budget.table(scenario=0)
    np.testing.assert_allclose(table.iloc[:-1].sum().to_numpy(), table.loc["total"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table.loc["total"].to_numpy(), 100 * budget.share_of_gdp("total_expenditure")[0],
                               rtol=1e-9)


@given(budgets(), st.floats(0.1, 5.0))
def test_a_reform_of_nothing_differs_by_nothing_and_scaling_scales(model, factor):
    status_quo = model.project()
    same = compare(model.reform().project(), status_quo)
    assert np.all(same.difference("expenditure") == 0) and np.all(same.difference("balance") == 0)
    scaled = model.reform(branches={b.name: {"beneficiaries": factor * b.beneficiaries} for b in model.branches})
    comparison = compare(scaled.project(), status_quo)
    np.testing.assert_allclose(comparison.difference("expenditure"), (factor - 1) * status_quo.expenditure,
                               rtol=1e-9, atol=1e-9)


@given(budgets())
def test_one_scenario_equals_its_slice_of_the_batch(model):
    budget = model.project()
    macro = model.macro
    first = type(macro)(**{name: (value[:1] if isinstance(value, np.ndarray) and value.ndim == 2 else value)
                           for name, value in vars(macro).items()})
    branches = [b.replace(beneficiaries=b.beneficiaries[:1], admin_share=b.admin_share[:1]) for b in model.branches]
    alone = project_budget(branches, model.revenues, first, horizon=model.horizon)
    np.testing.assert_allclose(alone.expenditure[0], budget.expenditure[0], rtol=1e-12)
    np.testing.assert_allclose(alone.balance[0], budget.balance[0], rtol=1e-12, atol=1e-9)
