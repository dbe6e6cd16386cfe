"""A funded branch: its deficit is paid from its reserve first (a reserve drawdown); only what the
reserve cannot pay is a financing gap, a call on the state budget. Hand-worked, batched, and
against a scheme valuation's own reserve."""

import numpy as np
import pytest
from qsp.budget import Branch, RevenueSource, compare, pension_branch, pension_revenues, project_budget
from qsp.economy import MacroAssumptions, project_macro

YEARS = np.arange(2025, 2030)


def flat_macro():
    """No growth and no inflation: every amount stays as given."""
    return project_macro(MacroAssumptions(
        base_year=2025, nominal_gdp=10_000.0, employment=100.0, employment_growth=0.0, productivity_growth=0.0,
        gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5, nominal_interest_rate=0.0, revenue_share=0.2,
        expenditure_share=0.25, exchange_rate=1.0, ppp_factor=1.0), years=YEARS)


def scheme(reserve):
    # expenditure 100, 120, 140, 160, 180; contributions 110 a year: balance +10, -10, -30, -50, -70
    branch = Branch(name="pensions", beneficiaries=[10.0, 12.0, 14.0, 16.0, 18.0], average_benefit=10.0,
                    indexation="none", reserve=reserve)
    contributions = RevenueSource(name="contributions", kind="worker_contributions", branch="pensions",
                                  amount=np.full(5, 110.0))
    return project_budget([branch], [contributions], flat_macro())


def test_deficits_are_drawn_from_the_reserve_until_it_runs_out():
    budget = scheme(reserve=50.0)
    np.testing.assert_allclose(budget.balance[0], [10, -10, -30, -50, -70])
    np.testing.assert_allclose(budget.deficit[0], [0, 10, 30, 50, 70])
    # reserve: 50 + 10 = 60; 60 - 10 = 50; 50 - 30 = 20; 20 - 50 -> 0 (30 short); 0 - 70 -> 0 (70 short)
    np.testing.assert_allclose(budget.reserve[0], [60, 50, 20, 0, 0])
    np.testing.assert_allclose(budget.reserve_drawdown[0], [0, 10, 30, 20, 0])
    np.testing.assert_allclose(budget.financing_gap[0], [0, 0, 0, 30, 70])
    # every deficit is paid: from the reserve or by the state
    np.testing.assert_allclose(budget.reserve_drawdown + budget.financing_gap, budget.deficit)
    # reserve ratio: reserve over the year's expenditure (60 / 100, 50 / 120, ...)
    np.testing.assert_allclose(budget.reserve_ratio()[0], [0.6, 50 / 120, 20 / 140, 0, 0])
    summary = budget.summary(measure="money")
    assert summary.loc[("balance", "paid from reserves"), 2027] == pytest.approx(30.0)
    assert summary.loc[("balance", "financing gap (call on the state budget)"), 2028] == pytest.approx(30.0)
    assert summary.loc[("reserve", "reserves at the end of the year"), 2025] == pytest.approx(60.0)


def test_an_unfunded_branch_has_its_whole_deficit_as_a_gap():
    budget = scheme(reserve=None)
    np.testing.assert_allclose(budget.financing_gap[0], [0, 10, 30, 50, 70])
    assert not budget.reserve.any() and not budget.reserve_drawdown.any()
    # a funded branch with an empty reserve still keeps its first surplus (10) for the next year
    empty = scheme(reserve=0.0)
    np.testing.assert_allclose(empty.financing_gap[0], [0, 0, 30, 50, 70])


def test_reserves_broadcast_over_scenarios():
    budget = scheme(reserve=np.array([0.0, 50.0, 1_000.0]))
    assert budget.reserve.shape == (3, 1, 5)
    np.testing.assert_allclose(budget.financing_gap[:, 0, -1], [70, 70, 0])
    np.testing.assert_allclose(budget.reserve[2, 0, -1], 1_000 + 10 - 10 - 30 - 50 - 70)
    for k, reserve in enumerate([0.0, 50.0, 1_000.0]):
        np.testing.assert_allclose(budget.financing_gap[k], scheme(reserve=reserve).financing_gap)


def test_comparison_and_tidy_frame_carry_the_drawdown():
    funded, unfunded = scheme(reserve=50.0), scheme(reserve=None)
    comparison = compare(funded, unfunded)
    np.testing.assert_allclose(comparison.difference("financing_gap")[0], [0, -10, -30, -20, 0])
    frame = funded.to_frame()
    drawn = frame.query("account == 'balance' and branch == 'all' and item == 'reserve_drawdown'")
    np.testing.assert_allclose(drawn.money, [0, 10, 30, 20, 0])
    assert set(comparison.to_frame().account) >= {"deficit", "reserve_drawdown", "financing_gap"}


def test_a_reserve_must_start_with_the_budget():
    early = Branch(name="pensions", beneficiaries=np.ones(6), average_benefit=1.0, years=np.arange(2024, 2030),
                   reserve=10.0)
    with pytest.raises(ValueError, match=r"reserve is the reserve at the start of 2024, but the budget starts in 2025"):
        project_budget([early], [], flat_macro())
    with pytest.raises(ValueError, match=r"reserve of -5"):
        Branch(name="pensions", beneficiaries=np.ones(3), average_benefit=1.0, reserve=-5.0)


def test_a_valuation_branch_follows_the_schemes_own_reserve():
    from qsp.pensions import BenefitRules, membership_from_arrays, project_insured, value_scheme

    actives = np.zeros((2, 101, 86))
    actives[:, 40:64, 20] = 100.0
    members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 10.0))
    qx = np.full((2, 101), 0.01)
    qx[:, -1] = 1.0
    projection = project_insured(members, BenefitRules(accrual_rate=0.02, minimum_years=10), n_years=5,
                                 mortality=qx, wages=np.full((2, 101), 10.0), start_year=2025)
    valuation = value_scheme(projection, contribution_rate=0.08, interest_rate=0.04, initial_reserve=3_000.0,
                             timing="end")
    budget = project_budget([pension_branch(valuation)], pension_revenues(valuation), flat_macro())
    assert budget.deficit[0, 1] > 0  # the scheme runs cash deficits from 2026; its reserve pays them first
    # the budget's reserve is the valuation's, year by year, while it lasts (3 years here) ...
    lasts = valuation.reserve.reserve > 0
    assert lasts.tolist() == [True, True, True, False, False]
    np.testing.assert_allclose(budget.reserve[0, lasts], valuation.reserve.reserve[lasts], rtol=1e-12)
    assert not budget.financing_gap[0, lasts].any()
    # ... then the state pays what the reserve cannot: in 2028 the deficit less the last 360.7 of reserve
    assert budget.reserve[0, 3] == 0.0
    np.testing.assert_allclose(budget.financing_gap[0, 3], budget.deficit[0, 3] - budget.reserve[0, 2], rtol=1e-12)
    unfunded = project_budget([pension_branch(valuation, funded=False)], pension_revenues(valuation), flat_macro())
    np.testing.assert_allclose(unfunded.financing_gap, budget.deficit)
