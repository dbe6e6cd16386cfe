"""The social budget: a hand-worked 2-branch, 3-year budget, indexation rules, year alignment, horizons,
beneficiaries from a population and from a pension valuation, reforms and the report tables."""

import numpy as np
import pytest
from qsp.budget import (
    REVENUE_KINDS,
    Branch,
    RevenueSource,
    SocialBudgetModel,
    beneficiaries_from_population,
    compare,
    pension_branch,
    pension_revenues,
    project_budget,
)
from qsp.costing import Eligibility
from qsp.economy import MacroAssumptions, project_macro

YEARS = np.arange(2025, 2028)


def macro_frame(years=YEARS, **changes):
    """GDP 10,000; 100 workers; productivity +2%, deflator +3% (nominal GDP +5.06%); CPI +4%; wage share 0.5."""
    values = dict(base_year=2025, nominal_gdp=10_000.0, employment=100.0, employment_growth=0.0,
                  productivity_growth=0.02, gdp_deflator_inflation=0.03, cpi_inflation=0.04, wage_share=0.5,
                  nominal_interest_rate=0.06, revenue_share=0.2, expenditure_share=0.25, exchange_rate=1.0,
                  ppp_factor=1.0)
    values.update(changes)
    return project_macro(MacroAssumptions(**values), years=years)


def two_branches():
    pensions = Branch(name="pensions", beneficiaries=[10.0, 11.0, 12.0], average_benefit=100.0,
                      indexation="wages", admin_share=0.05)
    children = Branch(name="children_and_families", beneficiaries=[40.0, 40.0, 40.0], average_benefit=10.0,
                      indexation="prices", admin_share=0.1)
    return [pensions, children]


def four_sources():
    return [
        RevenueSource(name="employers", kind="employer_contributions", branch="pensions", rate=0.10, coverage=0.4),
        RevenueSource(name="workers", kind="worker_contributions", branch="pensions", rate=0.05, coverage=0.4),
        RevenueSource(name="child grant", kind="government_transfers", branch="children_and_families", rate=1.0,
                      base="expenditure"),
        RevenueSource(name="pension subsidy", kind="government_transfers", branch="pensions",
                      amount=[600.0, 700.0, 800.0]),
    ]


# ---------------------------------------------------------------------------------------------
# hand-worked budget
# ---------------------------------------------------------------------------------------------
def test_hand_worked_two_branch_three_year_budget():
    macro = macro_frame()
    # nominal GDP: 10,000 x (1.02 x 1.03)^t = 10,000, 10,506, 11,037.6036
    np.testing.assert_allclose(macro.nominal_gdp, [10_000.0, 10_506.0, 11_037.6036])
    # wage bill = 0.5 x GDP = 5,000, 5,253, 5,518.8018; average wage = bill / 100 = 50, 52.53, 55.188018
    np.testing.assert_allclose(macro.average_wage, [50.0, 52.53, 55.188018])
    budget = project_budget(two_branches(), four_sources(), macro)

    # pensions: wage-indexed 100 x (52.53 / 50) = 105.06, 100 x (55.188018 / 50) = 110.376036
    np.testing.assert_allclose(budget.average_benefit[0], [100.0, 105.06, 110.376036])
    # benefits = beneficiaries x benefit: 10 x 100 = 1,000; 11 x 105.06 = 1,155.66; 12 x 110.376036 = 1,324.512432
    np.testing.assert_allclose(budget.benefit_expenditure[0], [1000.0, 1155.66, 1324.512432])
    # administration 5%: 50, 57.783, 66.2256216; total 1,050, 1,213.443, 1,390.7380536
    np.testing.assert_allclose(budget.administration[0], [50.0, 57.783, 66.2256216])
    np.testing.assert_allclose(budget.expenditure[0], [1050.0, 1213.443, 1390.7380536])
    # children: price-indexed 10 x CPI (1, 1.04, 1.0816) = 10, 10.4, 10.816; x 40 = 400, 416, 432.64
    # plus 10% administration: 440, 457.6, 475.904
    np.testing.assert_allclose(budget.average_benefit[1], [10.0, 10.4, 10.816])
    np.testing.assert_allclose(budget.expenditure[1], [440.0, 457.6, 475.904])
    # total: 1,490, 1,671.043, 1,866.6420536
    np.testing.assert_allclose(budget.total_expenditure, [1490.0, 1671.043, 1866.6420536])

    # revenue: employers 10% x 40% x wage bill = 0.04 x (5,000, 5,253, 5,518.8018) = 200, 210.12, 220.752072
    # workers 0.02 x wage bill = 100, 105.06, 110.376036; the child grant pays 100% of the child branch;
    # the pension subsidy is given: 600, 700, 800
    np.testing.assert_allclose(budget.revenue, [[200.0, 210.12, 220.752072], [100.0, 105.06, 110.376036],
                                                [440.0, 457.6, 475.904], [600.0, 700.0, 800.0]])
    # pensions revenue 900, 1,015.18, 1,131.128108; balance 900 - 1,050 = -150; 1,015.18 - 1,213.443 = -198.263;
    # 1,131.128108 - 1,390.7380536 = -259.6099456. The child branch balances exactly.
    np.testing.assert_allclose(budget.revenue_by_branch[0], [900.0, 1015.18, 1131.128108])
    np.testing.assert_allclose(budget.balance, [[-150.0, -198.263, -259.6099456], [0.0, 0.0, 0.0]], atol=1e-9)
    np.testing.assert_allclose(budget.financing_gap[0], [150.0, 198.263, 259.6099456])
    np.testing.assert_allclose(budget.total_financing_gap, [150.0, 198.263, 259.6099456])
    # revenue by kind: employers, workers, government 600 + 440 = 1,040, ...
    by_kind = budget.revenue_by_kind
    np.testing.assert_allclose(by_kind[REVENUE_KINDS.index("government_transfers")], [1040.0, 1157.6, 1275.904])
    np.testing.assert_allclose(by_kind[REVENUE_KINDS.index("investment_income")], 0.0)

    # % of GDP: pensions 1,050 / 10,000 = 10.5%; 1,213.443 / 10,506 = 11.55...%
    np.testing.assert_allclose(budget.share_of_gdp()[0], [0.105, 1213.443 / 10_506, 1390.7380536 / 11_037.6036])
    # % of government expenditure (25% of GDP = 2,500 in 2025): 1,490 / 2,500 = 59.6%
    assert budget.share_of_government_expenditure("total_expenditure")[0] == pytest.approx(0.596)
    # the report table: percent of GDP, branches and a total row
    table = budget.table()
    assert list(table.index) == ["pensions", "children_and_families", "total"]
    assert list(table.columns) == [2025, 2026, 2027]
    assert table.loc["total", 2025] == pytest.approx(14.9)
    assert table.loc["children_and_families", 2025] == pytest.approx(4.4)


def test_mixed_and_no_indexation():
    macro = macro_frame()
    mixed = Branch(name="mixed", beneficiaries=[1.0, 1.0, 1.0], average_benefit=100.0, indexation=0.5)
    fixed = Branch(name="fixed", beneficiaries=[1.0, 1.0, 1.0], average_benefit=100.0, indexation="none")
    budget = project_budget([mixed, fixed], [], macro)
    # wage growth 5.06%, inflation 4%: half and half = 4.53% a year: 100, 104.53, 104.53 x 1.0453 = 109.265209
    np.testing.assert_allclose(budget.average_benefit[0], [100.0, 104.53, 109.265209])
    np.testing.assert_allclose(budget.average_benefit[1], 100.0)
    # no revenue: the balance is minus the expenditure
    np.testing.assert_allclose(budget.balance, -budget.expenditure)


def test_benefit_multiplier_and_path_and_admin_series():
    macro = macro_frame(cpi_inflation=0.0)
    raised = Branch(name="raised", beneficiaries=[2.0, 2.0, 2.0], average_benefit=50.0,
                    benefit_multiplier=[1.0, 1.5, 1.5], admin_share=[0.0, 0.1, 0.2])
    given = Branch(name="given", beneficiaries=[2.0, 4.0, 5.0], benefit_path=[10.0, 20.0, 30.0])
    budget = project_budget([raised, given], [], macro)
    # 2 x 50 x (1, 1.5, 1.5) = 100, 150, 150; admin 0, 15, 30
    np.testing.assert_allclose(budget.expenditure[0], [100.0, 165.0, 180.0])
    # 2 x 10, 4 x 20, 5 x 30
    np.testing.assert_allclose(budget.expenditure[1], [20.0, 80.0, 150.0])


def test_revenue_on_gdp_and_on_an_array_base():
    macro = macro_frame()
    branch = Branch(name="health", beneficiaries=[1.0, 1.0, 1.0], average_benefit=0.0)
    earmarked = RevenueSource(name="earmarked tax", kind="other", branch="health", rate=0.01, base="gdp")
    insured = RevenueSource(name="health insurance", kind="worker_contributions", branch="health", rate=0.03,
                            base=[1000.0, 2000.0, 3000.0])
    budget = project_budget([branch], [earmarked, insured], macro)
    np.testing.assert_allclose(budget.revenue[0], 0.01 * macro.nominal_gdp)
    np.testing.assert_allclose(budget.revenue[1], [30.0, 60.0, 90.0])


# ---------------------------------------------------------------------------------------------
# years: horizons and calendar labels
# ---------------------------------------------------------------------------------------------
def test_any_horizon_the_inputs_cover():
    macro = macro_frame(years=np.arange(2025, 2045))                      # 20 years
    branch = Branch(name="pensions", beneficiaries=np.linspace(10, 20, 30), average_benefit=1.0)  # 30 years
    full = project_budget([branch], [], macro)
    assert full.years[0] == 2025 and full.years[-1] == 2044 and full.expenditure.shape == (1, 20)
    short = project_budget([branch], [], macro, horizon=2040)             # a 16-year projection
    assert short.years.size == 16
    np.testing.assert_allclose(short.expenditure, full.expenditure[..., :16])


def test_inputs_are_matched_by_calendar_year():
    macro = macro_frame()
    # a population projection from 2020: 2025 is its sixth year
    early = Branch(name="b", beneficiaries=np.arange(10.0), average_benefit=1.0, indexation="none",
                   years=np.arange(2020, 2030))
    budget = project_budget([early], [], macro)
    np.testing.assert_allclose(budget.beneficiaries[0], [5.0, 6.0, 7.0])


def test_beneficiaries_from_population_reuse_the_costing_eligibility():
    # two years, ages 0, 1, 2+: women (10, 20, 5), men (12, 18, 3)
    population = np.array([[[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]]] * 2)
    older = beneficiaries_from_population(population, Eligibility(min_age=2), take_up=0.5)
    np.testing.assert_allclose(older, [4.0, 4.0])                          # (5 + 3) x 0.5
    children = beneficiaries_from_population(population, Eligibility(max_age=2, status_share=0.5))
    np.testing.assert_allclose(children, [30.0, 30.0])                     # (10 + 20 + 12 + 18) x 0.5
    women = beneficiaries_from_population(population, Eligibility(min_age=1, sexes=(0,)), take_up=[1.0, 0.2])
    np.testing.assert_allclose(women, [25.0, 5.0])


def test_pension_branch_from_a_scheme_valuation():
    from qsp.pensions import BenefitRules, membership_from_arrays, project_insured, value_scheme

    actives = np.zeros((2, 101, 86))
    actives[:, 50:64, 20] = 100.0
    members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 10.0))
    qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    projection = project_insured(members, BenefitRules(accrual_rate=0.02, minimum_years=10), n_years=3,
                                 mortality=qx, wages=np.full((2, 101), 10.0), start_year=2025)
    valuation = value_scheme(projection, contribution_rate=0.10, interest_rate=0.04, initial_reserve=1000.0,
                             admin_cost_rate=0.05)
    branch = pension_branch(valuation)
    sources = pension_revenues(valuation, employer_share=0.6)
    budget = project_budget([branch], sources, macro_frame())
    # the branch reproduces the valuation's flows
    np.testing.assert_allclose(budget.expenditure[0], valuation.benefit_expenditure + valuation.admin_cost)
    np.testing.assert_allclose(budget.revenue[0], 0.6 * valuation.contributions)
    np.testing.assert_allclose(budget.revenue_by_branch[0],
                               valuation.contributions + valuation.reserve.investment_income)


# ---------------------------------------------------------------------------------------------
# scenarios, reforms and comparison
# ---------------------------------------------------------------------------------------------
def test_scenarios_broadcast_over_a_leading_axis():
    macro = macro_frame(cpi_inflation=np.array([[0.02], [0.04], [0.08]]))   # 3 price scenarios
    budget = project_budget(two_branches(), four_sources(), macro)
    assert budget.batch_shape == (3,) and budget.expenditure.shape == (3, 2, 3)
    # the child benefit follows each scenario's prices: 10 x 1.08^2 in the third
    assert budget.average_benefit[2, 1, 2] == pytest.approx(10 * 1.08**2)
    one = project_budget(two_branches(), four_sources(), macro_frame(cpi_inflation=0.08))
    np.testing.assert_allclose(budget.expenditure[2], one.expenditure)
    assert budget.table(scenario=2).equals(one.table())


def test_reform_against_the_status_quo():
    model = SocialBudgetModel(branches=two_branches(), revenues=four_sources(), macro=macro_frame())
    status_quo = model.project()
    reform = model.reform(branches={"pensions": {"indexation": "prices"}},
                          revenues={"employers": {"rate": 0.12}}).project()
    comparison = compare(reform, status_quo)
    # pensions move with prices instead of wages: 2026 benefit 104 instead of 105.06, x 11 x 1.05
    expected = 11 * (104.0 - 105.06) * 1.05
    assert comparison.difference("expenditure")[0, 1] == pytest.approx(expected)
    np.testing.assert_allclose(comparison.difference("expenditure")[1], 0.0)       # children unchanged
    # employers pay 2 points more on 40% of the wage bill: 0.008 x 5,000 = 40 in 2025
    assert comparison.difference("revenue_by_branch")[0, 0] == pytest.approx(40.0)
    table = comparison.table("balance", measure="percent_of_gdp")
    assert table.loc["total", 2025] == pytest.approx(100 * 40.0 / 10_000)            # 0.4 points of GDP
    frame = comparison.to_frame()
    row = frame[(frame.account == "expenditure") & (frame.branch == "all") & (frame.year == 2026)].iloc[0]
    assert row.difference == pytest.approx(expected)
    assert row.difference_share_of_gdp == pytest.approx(expected / 10_506)


def test_comparison_aligns_branches_by_name():
    macro = macro_frame()
    forward = project_budget(two_branches(), [], macro)
    backward = project_budget(two_branches()[::-1], [], macro)
    np.testing.assert_allclose(compare(backward, forward).difference("expenditure"), 0.0)
    assert compare(forward, forward).table().to_numpy().max() == 0.0


def test_reform_can_add_a_branch_and_its_financing():
    model = SocialBudgetModel(branches=two_branches(), revenues=four_sources(), macro=macro_frame())
    new = Branch(name="social_assistance", beneficiaries=[5.0, 5.0, 5.0], average_benefit=20.0)
    grant = RevenueSource(name="assistance grant", kind="government_transfers", branch="social_assistance",
                          rate=1.0, base="expenditure")
    reform = model.reform(add_branches=[new], add_revenues=[grant], remove_revenues=["pension subsidy"]).project()
    assert reform.branch_names[-1] == "social_assistance"
    np.testing.assert_allclose(reform.balance[2], 0.0)
    np.testing.assert_allclose(reform.balance[0], model.project().balance[0] - [600.0, 700.0, 800.0])


# ---------------------------------------------------------------------------------------------
# frames
# ---------------------------------------------------------------------------------------------
def test_summary_and_tidy_frame():
    budget = project_budget(two_branches(), four_sources(), macro_frame())
    summary = budget.summary(years=[2025, 2027])
    assert list(summary.columns) == [2025, 2027]
    assert summary.loc[("expenditure", "total"), 2025] == pytest.approx(14.9)
    assert summary.loc[("balance", "deficit (sum of branch deficits)"), 2025] == pytest.approx(1.5)
    # no branch has a reserve: the whole deficit is a call on the state budget
    assert summary.loc[("balance", "paid from reserves"), 2025] == 0.0
    assert summary.loc[("balance", "financing gap (call on the state budget)"), 2025] == pytest.approx(1.5)
    assert summary.loc[("revenue", "total"), 2025] == pytest.approx(13.4)
    money = budget.summary(measure="money")
    assert money.loc[("expenditure", "of which administration"), 2025] == pytest.approx(90.0)
    frame = budget.to_frame()
    assert list(frame.columns) == ["year", "account", "branch", "item", "money", "share_of_gdp",
                                   "share_of_government_expenditure"]
    total = frame.query("account == 'expenditure' and branch == 'all' and item == 'total'")
    np.testing.assert_allclose(total.money, budget.total_expenditure)
    sources = frame.query("account == 'revenue' and item == 'employers'")
    assert set(sources.branch) == {"pensions"}
    by_kind = budget.table("revenue_by_kind", measure="money")
    assert by_kind.loc["total", 2025] == pytest.approx(1340.0)


def test_out_refills_the_arrays_of_an_earlier_budget():
    macro = macro_frame(cpi_inflation=np.array([[0.02], [0.05]]))
    first = project_budget(two_branches(), four_sources(), macro)
    kept = first.expenditure.copy()
    changed = [two_branches()[0].replace(average_benefit=200.0), two_branches()[1]]
    again = project_budget(changed, four_sources(), macro, out=first)
    assert np.shares_memory(again.expenditure, first.expenditure)
    fresh = project_budget(changed, four_sources(), macro)
    for name in ("beneficiaries", "average_benefit", "expenditure", "revenue", "revenue_by_branch", "balance"):
        np.testing.assert_array_equal(getattr(again, name), getattr(fresh, name))
    np.testing.assert_allclose(again.expenditure[:, 0], 2 * kept[:, 0])        # pensions doubled


def test_unemployment_branch_from_the_labour_market():
    from qsp.labour import by_year, project_labour

    population = np.full((3, 2, 101), 10.0)                          # (year, sex, age): 2,020 people a year
    participation = np.zeros((2, 101))
    participation[:, 15:65] = 0.7                                    # 2 x 50 x 10 x 0.7 = 700 in the labour force
    market = project_labour(population, participation_rate=participation,
                            unemployment_rate=by_year([0.10, 0.12, 0.15]), average_wage=1.0, years=YEARS)
    unemployed = market.unemployed.sum(axis=(-2, -1))                # 70, 84, 105
    np.testing.assert_allclose(unemployed, [70.0, 84.0, 105.0])
    branch = Branch(name="unemployment", beneficiaries=0.25 * unemployed, average_benefit=4.0, indexation="none")
    insurance = RevenueSource(name="unemployment insurance", kind="worker_contributions", branch="unemployment",
                              rate=0.02, base=market.wage_bill)      # 2% of the contributors' wages: 630, 616, 595
    budget = project_budget([branch], [insurance], macro_frame())
    np.testing.assert_allclose(budget.expenditure[0], [70.0, 84.0, 105.0])     # 0.25 x unemployed x 4
    np.testing.assert_allclose(budget.revenue[0], [12.6, 12.32, 11.9])
