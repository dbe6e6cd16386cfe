"""PAYG cost rate, general average premium and actuarial balance: hand-worked values and identities.

References for the formulas: Iyer, S. (1999) "Actuarial Mathematics of Social Security Pensions",
ILO/ISSA, ch. 1; US Social Security Trustees' Reports (actuarial balance).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.pensions import (
    actuarial_balance,
    benefit_ratio,
    general_average_premium,
    payg_cost_rate,
    project_reserve,
    scaled_premium,
    system_dependency_ratio,
)

# --------------------------------------------------------------------------- hand-worked values


def test_payg_cost_rate_by_hand():
    # P_t = B_t / S_t:  10/100 = 0.1,  12/110 = 0.109090...,  15/120 = 0.125
    rates = payg_cost_rate([10.0, 12.0, 15.0], [100.0, 110.0, 120.0])
    np.testing.assert_allclose(rates, [0.1, 12 / 110, 0.125], rtol=1e-14)


# Three years at i = 10%, flows chosen so that each year's discounted value is round:
#   expenditure B = 11, 12.1, 13.31 -> B_t v^t = 11/1.1, 12.1/1.21, 13.31/1.331 = 10, 10, 10
#   earnings    S = 110, 121, 133.1 -> S_t v^t = 100, 100, 100
EXPENDITURE = np.array([11.0, 12.1, 13.31])
EARNINGS = np.array([110.0, 121.0, 133.1])


def test_gap_end_of_year_timing_by_hand():
    # No reserve at either end: GAP = (10 + 10 + 10) / (100 + 100 + 100) = 30 / 300 = 0.1
    assert general_average_premium(EXPENDITURE, EARNINGS, interest_rate=0.10) == pytest.approx(0.1, rel=1e-12)
    # Initial reserve R0 = 6 (stands at t = 0, not discounted): (30 - 6) / 300 = 0.08
    assert general_average_premium(EXPENDITURE, EARNINGS, interest_rate=0.10,
                                   initial_reserve=6.0) == pytest.approx(0.08, rel=1e-12)
    # Final reserve F = 13.31 at the end of year 3: v^3 F = 13.31 / 1.331 = 10
    # GAP = (30 + 10 - 6) / 300 = 34 / 300 = 0.113333...
    gap = general_average_premium(EXPENDITURE, EARNINGS, interest_rate=0.10, initial_reserve=6.0,
                                  final_reserve=13.31)
    assert gap == pytest.approx(34 / 300, rel=1e-12)


def test_gap_mid_year_timing_by_hand():
    # Mid-year flows are discounted by v^(t - 1/2) = v^t * 1.1^(1/2):
    #   PV B = 30 * sqrt(1.1) = 31.4642...,  PV S = 300 * sqrt(1.1) = 314.642...
    # while the final reserve keeps v^3 (= 10) and the initial reserve stays at t = 0 (= 6):
    #   GAP = (30 sqrt(1.1) + 10 - 6) / (300 sqrt(1.1)) = 0.1 + 4 / 314.6426... = 0.1127128...
    gap = general_average_premium(EXPENDITURE, EARNINGS, interest_rate=0.10, initial_reserve=6.0,
                                  final_reserve=13.31, timing="mid")
    expected = 0.1 + 4.0 / (300.0 * np.sqrt(1.1))
    assert gap == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.1127128, abs=1e-7)


def test_gap_with_a_rate_per_year_by_hand():
    # i = 10%, 20%, 0%: cumulative discount factors 1/1.1, 1/(1.1*1.2) = 1/1.32, 1/1.32
    #   B = 11, 13.2, 6.6  -> discounted 10, 10, 5  (PV 25)
    #   S = 110, 132, 66   -> discounted 100, 100, 50 (PV 250)
    #   F = 13.2 -> 13.2 / 1.32 = 10;  R0 = 5
    # GAP = (25 + 10 - 5) / 250 = 0.12
    gap = general_average_premium([11.0, 13.2, 6.6], [110.0, 132.0, 66.0], interest_rate=[0.1, 0.2, 0.0],
                                  initial_reserve=5.0, final_reserve=13.2)
    assert gap == pytest.approx(0.12, rel=1e-12)


@pytest.mark.parametrize("timing", ["end", "mid"])
def test_contributing_the_gap_leaves_exactly_the_final_reserve(timing):
    # The defining property: contributions GAP x S_t, projected with the same timing and rates,
    # carry the initial reserve to the final reserve.
    rates = np.array([0.03, 0.05, -0.02, 0.04, 0.06])
    expenditure = np.array([10.0, 14.0, 19.0, 25.0, 33.0])
    earnings = np.array([200.0, 206.0, 212.0, 219.0, 225.0])
    gap = general_average_premium(expenditure, earnings, interest_rate=rates, initial_reserve=40.0,
                                  final_reserve=55.0, timing=timing)
    projection = project_reserve(gap * earnings, expenditure, interest_rate=rates, initial_reserve=40.0,
                                 timing=timing)
    assert projection.reserve[-1] == pytest.approx(55.0, rel=1e-12)


def test_actuarial_balance_by_hand():
    # Same three years as above (PV B = 30, PV S = 300, v^3 F = 10, R0 = 6), legislated rate 9%:
    #   summarized income rate = (R0 + 0.09 * 300) / 300 = (6 + 27) / 300 = 0.11
    #   summarized cost rate   = (30 + 10) / 300 = 0.133333...
    #   balance = 0.11 - 0.133333 = -0.023333  (= 0.09 - GAP, GAP = 0.113333)
    result = actuarial_balance(0.09, EXPENDITURE, EARNINGS, interest_rate=0.10, initial_reserve=6.0,
                               final_reserve=13.31)
    assert result.summarized_income_rate == pytest.approx(0.11, rel=1e-12)
    assert result.summarized_cost_rate == pytest.approx(40 / 300, rel=1e-12)
    assert result.balance == pytest.approx(0.11 - 40 / 300, rel=1e-12)
    assert result.pv_insurable_earnings == pytest.approx(300.0, rel=1e-12)
    # deficit in money at t = 0: -0.023333 * 300 = -7
    assert result.balance * result.pv_insurable_earnings == pytest.approx(-7.0, rel=1e-12)


def test_actuarial_balance_with_rates_per_year_equals_pv_of_contributions():
    # c = 8%, 9%, 10%: PV of contributions = 0.08*100 + 0.09*100 + 0.10*100 = 27 (as for a flat 9%)
    result = actuarial_balance([0.08, 0.09, 0.10], EXPENDITURE, EARNINGS, interest_rate=0.10)
    assert result.summarized_income_rate == pytest.approx(27 / 300, rel=1e-12)
    assert result.balance == pytest.approx(27 / 300 - 0.1, rel=1e-12)


@given(rate=st.floats(0.0, 0.5), interest=st.floats(-0.05, 0.10), reserve=st.floats(0.0, 500.0))
def test_actuarial_balance_is_contribution_rate_minus_gap(rate, interest, reserve):
    expenditure = np.array([10.0, 12.0, 15.0, 19.0])
    earnings = np.array([100.0, 104.0, 108.0, 112.0])
    gap = general_average_premium(expenditure, earnings, interest_rate=interest, initial_reserve=reserve,
                                  final_reserve=20.0)
    result = actuarial_balance(rate, expenditure, earnings, interest_rate=interest, initial_reserve=reserve,
                               final_reserve=20.0)
    assert result.balance == pytest.approx(rate - gap, abs=1e-12)


# --------------------------------------------------------------------------- stationary closed form


def _stationary_scheme():
    """A stationary population (Gompertz mortality, constant births) with stationary wages and benefits.

    Contributors are the survivors at ages 20-64 (a salary scale rising 2% a year of age), pensioners
    those aged 65+ (a flat pension). Every year looks the same, so B_t and S_t are constant.
    """
    ages = np.arange(0, 111)
    hazard = 0.0002 * np.exp(0.09 * ages)
    survivors = 1000.0 * np.exp(-np.concatenate(([0.0], np.cumsum(hazard)[:-1])))  # l_x, radix 1000
    person_years = 0.5 * (survivors + np.append(survivors[1:], 0.0))  # L_x by the trapezoid
    working = (ages >= 20) & (ages < 65)
    retired = ages >= 65
    wage = np.where(working, 1000.0 * 1.02 ** (ages - 20), 0.0)
    pension = 450.0
    contributors = person_years[working].sum()
    pensioners = person_years[retired].sum()
    earnings = (person_years * wage).sum()
    expenditure = pensioners * pension
    return contributors, pensioners, earnings, expenditure, pension


@pytest.mark.parametrize("interest", [0.0, 0.03, 0.07])
@pytest.mark.parametrize("timing", ["end", "mid"])
def test_stationary_scheme_financing_systems_coincide(interest, timing):
    # In a stationary population with stationary wages and benefits, B_t = B and S_t = S every year.
    #   PAYG: P_t = B / S for every t.
    #   GAP with R0 = 0 and F = 0: (B sum d_t) / (S sum d_t) = B / S at ANY interest rate (the
    #     discount factors cancel); what must hold is that the discounted reserves balance,
    #     F / A_n = R0 (tested below), not that the interest rate is zero.
    #   Scaled premium with R0 = 0: at rate B/S the reserve stays 0, R_t - R_{t-1} = 0 in every
    #     year, so every step of the staircase is B / S.
    #   B / S = (N_p * pension) / (N_c * average wage) = benefit ratio x system dependency ratio.
    contributors, pensioners, earnings_total, expenditure_total, pension = _stationary_scheme()
    years = 30
    expenditure = np.full(years, expenditure_total)
    earnings = np.full(years, earnings_total)

    payg = payg_cost_rate(expenditure, earnings)
    gap = general_average_premium(expenditure, earnings, interest_rate=interest, timing=timing)
    scaled = scaled_premium(expenditure, earnings, interest_rate=interest, initial_reserve=0.0, period_length=10,
                            timing=timing)
    product = benefit_ratio(pension, earnings_total / contributors) * system_dependency_ratio(pensioners,
                                                                                              contributors)
    np.testing.assert_allclose(payg, product, rtol=1e-12)
    assert gap == pytest.approx(product, rel=1e-12)
    np.testing.assert_allclose(scaled.rates, product, rtol=1e-10)
    np.testing.assert_allclose(scaled.reserve, 0.0, atol=1e-6 * earnings_total)


@pytest.mark.parametrize("interest", [0.0, 0.04])
def test_stationary_gap_equals_payg_exactly_when_discounted_reserves_balance(interest):
    # Constant cost rate P = 0.12: GAP = P + (F v^n - R0) / PV S, so GAP = P iff F v^n = R0.
    # With R0 = 50 and F = 50 (1 + i)^n the reserve is kept intact in value: GAP = P.
    # With F = R0 = 50 and i = 4% the reserve shrinks in value (50 v^20 < 50): GAP < P.
    years = 20
    expenditure = np.full(years, 12.0)
    earnings = np.full(years, 100.0)
    intact = general_average_premium(expenditure, earnings, interest_rate=interest, initial_reserve=50.0,
                                     final_reserve=50.0 * (1 + interest) ** years)
    assert intact == pytest.approx(0.12, rel=1e-12)
    same_nominal = general_average_premium(expenditure, earnings, interest_rate=interest, initial_reserve=50.0,
                                           final_reserve=50.0)
    if interest == 0.0:
        assert same_nominal == pytest.approx(0.12, rel=1e-12)
    else:
        assert same_nominal < 0.12


# --------------------------------------------------------------------------- properties

positive_series = st.lists(st.floats(1.0, 1000.0), min_size=1, max_size=12)


@given(data=st.data())
def test_gap_with_zero_interest_is_total_expenditure_over_total_earnings(data):
    earnings = np.array(data.draw(positive_series))
    expenditure = np.array(data.draw(st.lists(st.floats(0.0, 500.0), min_size=len(earnings),
                                              max_size=len(earnings))))
    reserve0 = data.draw(st.floats(0.0, 100.0))
    final = data.draw(st.floats(0.0, 100.0))
    timing = data.draw(st.sampled_from(["end", "mid"]))
    gap = general_average_premium(expenditure, earnings, interest_rate=0.0, timing=timing)
    assert gap == pytest.approx(expenditure.sum() / earnings.sum(), rel=1e-12, abs=1e-15)
    gap_reserves = general_average_premium(expenditure, earnings, interest_rate=0.0, initial_reserve=reserve0,
                                           final_reserve=final, timing=timing)
    expected = (expenditure.sum() + final - reserve0) / earnings.sum()
    assert gap_reserves == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(data=st.data())
def test_batch_broadcasting_gives_the_same_as_one_by_one(data):
    n_years = data.draw(st.integers(1, 8))
    n_scenarios = data.draw(st.integers(1, 4))
    shape = (n_scenarios, n_years)
    expenditure = np.array(data.draw(st.lists(st.floats(0.0, 100.0), min_size=n_years * n_scenarios,
                                              max_size=n_years * n_scenarios))).reshape(shape)
    earnings = np.array(data.draw(st.lists(st.floats(10.0, 1000.0), min_size=n_years,
                                           max_size=n_years)))  # shared by all scenarios
    interest = np.array(data.draw(st.lists(st.floats(-0.05, 0.1), min_size=n_scenarios,
                                           max_size=n_scenarios)))[:, None]  # constant per scenario
    reserve0 = np.array(data.draw(st.lists(st.floats(0.0, 50.0), min_size=n_scenarios, max_size=n_scenarios)))
    timing = data.draw(st.sampled_from(["end", "mid"]))

    payg = payg_cost_rate(expenditure, earnings)
    gap = general_average_premium(expenditure, earnings, interest_rate=interest, initial_reserve=reserve0,
                                  final_reserve=5.0, timing=timing)
    balance = actuarial_balance(0.1, expenditure, earnings, interest_rate=interest, initial_reserve=reserve0,
                                timing=timing)
    assert payg.shape == shape
    assert gap.shape == (n_scenarios,)
    for k in range(n_scenarios):
        np.testing.assert_allclose(payg[k], payg_cost_rate(expenditure[k], earnings), rtol=1e-14)
        one = general_average_premium(expenditure[k], earnings, interest_rate=float(interest[k, 0]),
                                      initial_reserve=float(reserve0[k]), final_reserve=5.0, timing=timing)
        assert gap[k] == pytest.approx(one, rel=1e-12, abs=1e-14)
        one_balance = actuarial_balance(0.1, expenditure[k], earnings, interest_rate=float(interest[k, 0]),
                                        initial_reserve=float(reserve0[k]), timing=timing)
        assert balance.balance[k] == pytest.approx(one_balance.balance, rel=1e-12, abs=1e-14)


def test_scalar_series_return_plain_numbers():
    gap = general_average_premium([1.0, 2.0], [10.0, 10.0], interest_rate=0.0)
    assert np.ndim(gap) == 0
    assert gap == pytest.approx(0.15)
