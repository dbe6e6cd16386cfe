"""Bad input to the social budget gives a ValueError that says what is wrong, where, and how to fix it."""

import numpy as np
import pytest
from qsp.budget import (
    Branch,
    RevenueSource,
    SocialBudgetModel,
    beneficiaries_from_population,
    compare,
    index_weights,
    pension_branch,
    project_budget,
)
from qsp.costing import Eligibility
from qsp.economy import MacroAssumptions, project_macro

YEARS = np.arange(2025, 2028)


def macro_frame(years=YEARS, **changes):
    values = dict(base_year=2025, nominal_gdp=10_000.0, employment=100.0, productivity_growth=0.02,
                  gdp_deflator_inflation=0.03, cpi_inflation=0.04, wage_share=0.5, nominal_interest_rate=0.06,
                  revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0, ppp_factor=1.0)
    values.update(changes)
    return project_macro(MacroAssumptions(**values), years=years)


def branch(**changes):
    values = dict(name="pensions", beneficiaries=[10.0, 11.0, 12.0], average_benefit=100.0)
    values.update(changes)
    return Branch(**values)


# --- shares above 1, negative counts, missing values ----------------------------------------------
def test_shares_above_one():
    with pytest.raises(ValueError, match=r"branch 'pensions': admin_share has a share of 1\.5.*at most 1"):
        branch(admin_share=1.5)
    with pytest.raises(ValueError, match=r"revenue source 'employers': rate has a rate of 1\.2 at year index 1.*"
                                         r"at most 1.*not percentages"):
        RevenueSource(name="employers", kind="employer_contributions", branch="pensions", rate=[0.1, 1.2, 0.1])
    with pytest.raises(ValueError, match=r"coverage has a share of -0\.1.*at least 0"):
        RevenueSource(name="employers", kind="employer_contributions", branch="pensions", rate=0.1, coverage=-0.1)
    with pytest.raises(ValueError, match=r"take_up has a take-up of 2.*at most 1"):
        beneficiaries_from_population(np.ones((1, 2, 3)), Eligibility(min_age=1), take_up=2.0)


def test_negative_or_missing_beneficiaries_and_amounts():
    with pytest.raises(ValueError, match=r"branch 'pensions': beneficiaries has a number of beneficiaries of -1 at "
                                         r"year index 1.*counts of people"):
        branch(beneficiaries=[10.0, -1.0, 12.0])
    with pytest.raises(ValueError, match=r"beneficiaries contains a missing or infinite number of beneficiaries"):
        branch(beneficiaries=[10.0, np.nan, 12.0])
    with pytest.raises(ValueError, match=r"average_benefit has a benefit amount of -5"):
        branch(average_benefit=-5.0)
    with pytest.raises(ValueError, match=r"beneficiaries must have a year axis"):
        branch(beneficiaries=10.0)
    with pytest.raises(ValueError, match=r"amount has a revenue amount of -1.*at least 0"):
        RevenueSource(name="grant", kind="government_transfers", branch="pensions", amount=[1.0, -1.0, 1.0])
    # investment income may be negative (a loss)
    RevenueSource(name="returns", kind="investment_income", branch="pensions", amount=[1.0, -1.0, 1.0])


def test_definition_errors():
    with pytest.raises(ValueError, match="exactly one of average_benefit .* and benefit_path .*; got both"):
        branch(benefit_path=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="got neither"):
        branch(average_benefit=None)
    with pytest.raises(ValueError, match=r"branch 'pensions': indexation must be 'prices', 'wages', 'none' or a share"):
        branch(indexation="gdp")
    with pytest.raises(ValueError, match=r"indexation must be .* got 1\.5"):
        index_weights(1.5)
    with pytest.raises(ValueError, match="a branch needs a non-empty name"):
        branch(name="")
    with pytest.raises(ValueError, match=r"kind must be one of \('employer_contributions'"):
        RevenueSource(name="x", kind="employers", branch="pensions", rate=0.1)
    with pytest.raises(ValueError, match=r"base must be one of \('wage_bill', 'gdp', 'expenditure'\)"):
        RevenueSource(name="x", kind="other", branch="pensions", rate=0.1, base="payroll")
    with pytest.raises(ValueError, match="exactly one of rate .* and amount .*; got neither"):
        RevenueSource(name="x", kind="other", branch="pensions")


# --- branches: empty, duplicate, missing -----------------------------------------------------------
def test_missing_and_duplicate_branches():
    macro = macro_frame()
    with pytest.raises(ValueError, match="branches is empty"):
        project_budget([], [], macro)
    with pytest.raises(ValueError, match=r"branch names must be distinct, but \['pensions'\]"):
        project_budget([branch(), branch()], [], macro)
    orphan = RevenueSource(name="child grant", kind="government_transfers", branch="children", rate=1.0,
                           base="expenditure")
    with pytest.raises(ValueError, match=r"revenue source 'child grant' finances branch 'children', which is missing "
                                         r"from the branches \['pensions'\]"):
        project_budget([branch()], [orphan], macro)


def test_missing_branches_in_a_reform():
    model = SocialBudgetModel(branches=[branch()], macro=macro_frame())
    with pytest.raises(ValueError, match=r"the reform changes branch\(s\) \['health'\], which the status quo does "
                                         r"not have; its branches are \['pensions'\]"):
        model.reform(branches={"health": {"admin_share": 0.1}})
    with pytest.raises(ValueError, match=r"the reform of branch 'pensions' changes unknown parameter\(s\) \['level'\]"):
        model.reform(branches={"pensions": {"level": 2.0}})
    with pytest.raises(ValueError, match=r"the reform removes revenue source\(s\) \['tax'\]"):
        model.reform(remove_revenues=["tax"])
    status_quo = model.project()
    other = project_budget([branch(), branch(name="health")], [], macro_frame())
    with pytest.raises(ValueError, match=r"branches \['health'\] of the reform are missing from the status quo.*"
                                         r"zero beneficiaries"):
        compare(other, status_quo)
    with pytest.raises(ValueError, match=r"branches \['health'\] of the status quo are missing from the reform"):
        compare(status_quo, other)
    with pytest.raises(ValueError, match="status_quo must be a SocialBudget"):
        compare(status_quo, model)


# --- horizons and year axes --------------------------------------------------------------------------
def test_horizon_beyond_the_inputs():
    macro = macro_frame(years=np.arange(2025, 2045))
    with pytest.raises(ValueError, match=r"branch 'pensions': the horizon 2044 is beyond the inputs: beneficiaries "
                                         r"covers 2025\.\.2027 only\. Pass horizon=2027"):
        project_budget([branch()], [], macro)
    project_budget([branch()], [], macro, horizon=2027)       # a horizon the inputs cover is fine
    with pytest.raises(ValueError, match=r"the horizon 2050 is beyond the inputs: the macro frame covers "
                                         r"2025\.\.2044 only"):
        project_budget([branch(beneficiaries=np.ones(40))], [], macro, horizon=2050)
    with pytest.raises(ValueError, match=r"horizon 2020 is before the base year 2025"):
        project_budget([branch()], [], macro, horizon=2020)
    grant = RevenueSource(name="grant", kind="government_transfers", branch="pensions", amount=[1.0, 1.0])
    with pytest.raises(ValueError, match=r"revenue source 'grant': the horizon 2027 is beyond the inputs: amount "
                                         r"covers 2025\.\.2026 only"):
        project_budget([branch()], [grant], macro_frame())


def test_mismatched_year_axes():
    with pytest.raises(ValueError, match=r"branch 'pensions': the year axes do not match: admin_share has 2 entries "
                                         r"on its last \(year\) axis.*have 3"):
        branch(admin_share=[0.1, 0.1])
    with pytest.raises(ValueError, match=r"the year axes do not match: benefit_path has 4 entries"):
        branch(average_benefit=None, benefit_path=[1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"the year axes do not match: years gives 2 labels \(2025\.\.2026\) but the "
                                         r"arrays have 3 entries"):
        branch(years=[2025, 2026])
    with pytest.raises(ValueError, match=r"years must be consecutive calendar years, but 2027 follows 2025"):
        branch(years=[2024, 2025, 2027])
    late = branch(years=[2026, 2027, 2028])
    with pytest.raises(ValueError, match=r"the year axes do not match: beneficiaries starts in 2026, after the "
                                         r"budget's base year 2025"):
        project_budget([late], [], macro_frame())
    with pytest.raises(ValueError, match=r"revenue source 'x': the year axes do not match: rate has 4 entries on its "
                                         r"last \(year\) axis.*inputs have 3"):
        RevenueSource(name="x", kind="other", branch="pensions", rate=[0.1] * 4, base=[1.0, 1.0, 1.0])
    first = project_budget([branch()], [], macro_frame())
    later = project_budget([branch()], [], macro_frame(), horizon=2026)
    with pytest.raises(ValueError, match=r"the year axes do not match: the reform covers 2025\.\.2026 and the status "
                                         r"quo 2025\.\.2027"):
        compare(later, first)


def test_scenarios_that_do_not_broadcast_and_tables_that_need_one():
    macro = macro_frame(cpi_inflation=np.full((3, 1), 0.04))
    two = branch(beneficiaries=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"the batch \(scenario\) axes of the arguments do not broadcast together: "
                                         r"macro frame \(3,\), pensions: beneficiaries \(2,\)"):
        project_budget([two], [], macro)
    budget = project_budget([branch()], [], macro)
    with pytest.raises(ValueError, match=r"the budget has scenario axes of shape \(3,\); pick one scenario"):
        budget.table()
    with pytest.raises(ValueError, match=r"scenario=5 is not an index into the scenario axes of shape \(3,\)"):
        budget.table(scenario=5)
    with pytest.raises(ValueError, match=r"measure must be one of"):
        budget.table(measure="percent", scenario=0)
    with pytest.raises(ValueError, match=r"years \[2030\] are not projection years of the budget"):
        budget.summary(scenario=0, years=[2030])
    with pytest.raises(ValueError, match=r"what must be one of"):
        budget.share_of_gdp("spending")


def test_macro_and_valuation_arguments():
    with pytest.raises(ValueError, match="macro must be a MacroFrame"):
        project_budget([branch()], [], {"nominal_gdp": 1.0})
    with pytest.raises(ValueError, match="valuation must be a SchemeValuation"):
        pension_branch(object())
    with pytest.raises(ValueError, match="branches must be Branch objects"):
        project_budget(["pensions"], [], macro_frame())


def test_out_of_another_layout():
    budget = project_budget([branch()], [], macro_frame())
    with pytest.raises(ValueError, match=r"out must come from a call with the same branches, revenue sources, years "
                                         r"and scenario axes; got branches \('pensions',\)"):
        project_budget([branch(name="health")], [], macro_frame(), out=budget)
    with pytest.raises(ValueError, match="out must be a SocialBudget from an earlier call"):
        project_budget([branch()], [], macro_frame(), out=np.zeros((1, 3)))
