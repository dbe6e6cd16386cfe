"""qsp.shortterm: the cost of short-term cash benefits, by hand, from identities and from print.

Hand computations carry their arithmetic in comments. Published figures:

- Bowers, Gerber, Hickman, Jones & Nesbitt (1997), *Actuarial Mathematics*, 2nd ed., Appendix 2A,
  Illustrative Life Table at 6%: a-due_40 = 14.8166, a-due_65 = 9.8969 (the capital factor of an
  annual injury pension, rebuilt from the table's Makeham law as in tests/actuarial).
- Longley-Cook, L. H. (1962), "An introduction to credibility theory", PCAS 49: the standard for
  full credibility, 1,082 claims for a 90% probability of being within 5%.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qsp.shortterm import (
    assessment_premium,
    cash_benefit_cost,
    expected_paid_days,
    experience_rating,
    exponential_paid_days,
    full_credibility_standard,
    insured_daily_earnings,
    limited_fluctuation_credibility,
    maternity_cost,
    paid_days,
    pension_capital_factor,
    permanent_incapacity_cost,
    steady_state_premium,
)


def makeham_qx(a: float, b: float, c: float, omega: int) -> np.ndarray:
    x = np.arange(omega + 1.0)
    log_l = -a * x - b / np.log(c) * (c**x - 1.0)
    return np.append(-np.expm1(log_l[1:] - log_l[:-1]), 1.0)


ILT = makeham_qx(0.0007, 0.00005, 10**0.04, 140)

# ----------------------------------------------------------------------------- hand computations


def test_paid_days_by_hand():
    # 3 waiting days, maximum 182 paid: 2 -> 0, 3 -> 0, 10 -> 7, 185 -> 182, 400 -> 182
    assert paid_days([2, 3, 10, 185, 400], waiting_days=3, maximum_days=182).tolist() == [0, 0, 7, 182, 182]


def test_expected_paid_days_discrete_by_hand():
    # durations 5, 30, 300 with shares 0.6, 0.3, 0.1; 3 waiting days; max 182:
    # 0.6 x 2 + 0.3 x 27 + 0.1 x 182 = 1.2 + 8.1 + 18.2 = 27.5
    assert expected_paid_days([5, 30, 300], [0.6, 0.3, 0.1], waiting_days=3, maximum_days=182) == pytest.approx(27.5)


def test_exponential_paid_days_by_hand():
    # mean 20 days, 3 waiting, max 26 weeks = 182: 20 (e^-0.15 - e^-9.25)
    expected = 20 * (np.exp(-3 / 20) - np.exp(-185 / 20))
    assert exponential_paid_days(20.0, waiting_days=3, maximum_days=182) == pytest.approx(expected, rel=1e-14)
    assert exponential_paid_days(20.0) == pytest.approx(20.0)            # no waiting, no maximum: the mean


def test_cash_benefit_cost_with_a_ceiling_by_hand():
    # two earnings classes: 600 earning 20,000 and 400 earning 80,000; ceiling 50,000.
    # benefit base: 20,000 and 50,000 -> daily 20,000/365 and 50,000/365
    # sickness: 0.8 spells a year x 10 paid days x 60%
    # B = 0.6 x 0.8 x 10 x (600 x 20,000 + 400 x 50,000) / 365 = 4.8 x 32,000,000 / 365
    # S = 600 x 20,000 + 400 x 50,000 = 32,000,000 -> cost rate 4.8 / 365 = 1.315%
    cost = cash_benefit_cost([600, 400], [20_000, 80_000], 0.8, 10.0, 0.6, ceiling=50_000)
    assert cost.expenditure == pytest.approx(4.8 * 32e6 / 365)
    assert cost.insurable_earnings == pytest.approx(32e6)
    assert cost.cost_rate == pytest.approx(4.8 / 365)
    assert cost.benefit_days == pytest.approx(1000 * 0.8 * 10)
    # a contribution base without a ceiling: S = 12e6 + 32e6 = 44e6
    uncapped = cash_benefit_cost([600, 400], [20_000, 80_000], 0.8, 10.0, 0.6, ceiling=50_000,
                                 contribution_ceiling=np.inf)
    assert uncapped.cost_rate == pytest.approx(4.8 * 32e6 / 365 / 44e6)


def test_unemployment_branch_by_hand():
    # 10,000 insured earning 36,500; 5% become unemployed a year; spells exponential with mean 120 days;
    # 7 waiting days, maximum 26 weeks; 50% of earnings.
    days = exponential_paid_days(120.0, waiting_days=7, maximum_days=182)   # 120 (e^-7/120 - e^-189/120)
    cost = cash_benefit_cost([10_000], [36_500], [0.05], days, 0.5)
    # per insured: 0.05 x days x 0.5 x 100 a day over 36,500
    assert cost.cost_rate == pytest.approx(0.05 * days * 0.5 * 100 / 36_500)
    # days = 120 (0.94334 - 0.20695) = 88.36 -> 0.05 x 88.36 x 0.5 / 365 = 0.605% of insurable earnings
    assert days == pytest.approx(88.36, abs=0.01)
    assert cost.cost_rate == pytest.approx(0.00605, abs=1e-5)


def test_maternity_c183_defaults_by_hand():
    # 2 ages; women: 100 and 50 insured earning 30,000 and 40,000, fertility 0.12 and 0.05;
    # men: 100 and 50 earning 30,000 and 40,000.
    # births: 12 and 2.5; benefit 98 days x 2/3 x daily earnings
    # B = 98 x 2/3 x (12 x 30,000 + 2.5 x 40,000) / 365 = 98 x 2/3 x 460,000 / 365
    # S = 2 x (100 x 30,000 + 50 x 40,000) = 10,000,000
    insured = np.array([[100.0, 50.0], [100.0, 50.0]])
    earnings = np.array([[30_000.0, 40_000.0], [30_000.0, 40_000.0]])
    cost = maternity_cost(insured, earnings, [0.12, 0.05])
    assert cost.expenditure == pytest.approx(98 * 2 / 3 * 460_000 / 365)
    assert cost.cost_rate == pytest.approx(98 * 2 / 3 * 460_000 / 365 / 10e6)
    assert cost.benefit_days == pytest.approx(14.5 * 98)


def test_permanent_incapacity_capital_by_hand():
    # awards at ages 30 and 50: 500 insured each, earning 10,000 and 20,000; 3 and 5 awards per 1,000;
    # degree 0.4; 60%; factors 18 and 13:
    # K = 0.4 x 0.6 x (1.5 x 10,000 x 18 + 2.5 x 20,000 x 13) = 0.24 x (270,000 + 650,000) = 220,800
    cost = permanent_incapacity_cost([500, 500], [10_000, 20_000], [0.003, 0.005], 0.4, 0.6, [18.0, 13.0])
    assert cost.expenditure == pytest.approx(220_800)
    assert cost.cost_rate == pytest.approx(220_800 / 15e6)
    assert cost.benefit_days == pytest.approx(4.0)                       # 1.5 + 2.5 new awards


def test_premium_and_reserve_by_hand():
    # the docstring case: 0.02 x 1.05 x (1 + 0.5 x 0.03 / 1.08)
    assert steady_state_premium(0.02, reserve_ratio=0.5, interest_rate=0.05, growth=0.08,
                                admin_loading=0.05) == pytest.approx(0.021 * (1 + 0.015 / 1.08))
    # build the reserve over 2 years: E = 100, 100; S = 1000; k = 0.5, i = 0
    # year 1: gap 50 -> step 25, C = 125; year 2: gap 25 -> step 12.5, C = 112.5
    result = assessment_premium([100.0, 100.0], [1000.0, 1000.0], reserve_ratio=0.5, interest_rate=0.0,
                                build_up_years=2)
    assert result.contributions.tolist() == [125.0, 112.5]
    assert result.reserve.tolist() == [25.0, 37.5]
    # interest by year, 0% then 10%, k = 0.5: year 1 C = 100 + 50 = 150; year 2 C = 100 - 5 + 0 = 95
    by_year = assessment_premium([100.0, 100.0], [1000.0, 1000.0], reserve_ratio=0.5, interest_rate=[0.0, 0.1])
    assert by_year.contributions.tolist() == [150.0, 95.0]
    # scenarios of interest rates as a column: 0% and 10% in every year
    scenarios = assessment_premium([100.0, 100.0], [1000.0, 1000.0], reserve_ratio=0.5,
                                   interest_rate=[[0.0], [0.1]])
    assert scenarios.contributions.tolist() == [[150.0, 100.0], [150.0, 95.0]]


def test_experience_rating_by_hand():
    # three classes; costs 40, 10, 2 on earnings 1000 each; claims 2000, 300, 30; full standard 1200
    # observed 4%, 1%, 0.2%; pooled 52/3000; Z = 1, 0.5, sqrt(30/1200) = 0.158114
    result = experience_rating([40.0, 10.0, 2.0], [1000.0] * 3, [2000, 300, 30], full_standard=1200, loading=0.1)
    pooled = 52 / 3000
    z = np.array([1.0, 0.5, np.sqrt(30 / 1200)])
    weighted = z * np.array([0.04, 0.01, 0.002]) + (1 - z) * pooled
    off = 52 / (weighted * 1000).sum()
    np.testing.assert_allclose(result.credibility, z)
    np.testing.assert_allclose(result.rate, weighted * off * 1.1)
    # the rates raise the scheme's cost plus the loading
    assert (result.rate * 1000).sum() == pytest.approx(52 * 1.1)


# ----------------------------------------------------------------------------- published figures


def test_capital_factor_matches_bowers_illustrative_life_table():
    # Bowers et al. (1997) Appendix 2A, ILT at 6%: a-due_40 = 14.8166, a-due_65 = 9.8969 (annual payments)
    factors = pension_capital_factor(ILT, [40, 65], interest_rate=0.06, payments_per_year=1)
    np.testing.assert_allclose(factors, [14.8166, 9.8969], atol=0.5e-4)
    # a permanent injury pension of 60% of 10,000 awarded at 40 (degree 1) costs 6,000 x 14.8166
    cost = permanent_incapacity_cost([1.0], [10_000.0], [1.0], 1.0, 0.6, factors[:1])
    assert cost.expenditure == pytest.approx(6_000 * 14.8166, abs=6_000 * 0.5e-4)


def test_full_credibility_standard_matches_longley_cook():
    # Longley-Cook (1962), table of full-credibility standards: P = 90%, k = 5% -> 1,082 claims;
    # P = 95%, k = 5% -> 1,537; P = 90%, k = 10% -> 271
    assert round(full_credibility_standard(0.90, 0.05)) == 1082
    assert round(full_credibility_standard(0.95, 0.05)) == 1537
    assert round(full_credibility_standard(0.90, 0.10)) == 271
    assert limited_fluctuation_credibility(1082.41) == pytest.approx(1.0, abs=1e-4)


# ----------------------------------------------------------------------------- identities (properties)

durations = st.floats(0.1, 400.0)


@settings(max_examples=40, deadline=None)
@given(mean=st.floats(1.0, 200.0), waiting=st.floats(0.0, 10.0), maximum=st.floats(1.0, 400.0))
def test_exponential_paid_days_agrees_with_a_fine_discretisation(mean, waiting, maximum):
    # integrate P(D > t) on a fine grid of durations: the discrete formula with exponential weights
    edges = np.linspace(0.0, 40 * mean, 40_001)
    mids = 0.5 * (edges[1:] + edges[:-1])
    weights = np.exp(-edges[:-1] / mean) - np.exp(-edges[1:] / mean)
    weights /= weights.sum()
    discrete = expected_paid_days(mids, weights, waiting_days=waiting, maximum_days=maximum)
    assert discrete == pytest.approx(exponential_paid_days(mean, waiting_days=waiting, maximum_days=maximum),
                                     rel=2e-3, abs=1e-3)


@settings(max_examples=40, deadline=None)
@given(duration=durations, waiting=st.floats(0.0, 10.0), maximum=st.floats(1.0, 400.0))
def test_paid_days_bounds(duration, waiting, maximum):
    days = paid_days(duration, waiting_days=waiting, maximum_days=maximum)
    assert 0.0 <= days <= min(maximum, duration) + 1e-12
    assert paid_days(duration, waiting_days=waiting) >= days - 1e-12   # removing the maximum never pays less


@settings(max_examples=40, deadline=None)
@given(rate=st.floats(0.0, 1.0), scale=st.floats(0.5, 2.0), incidence=st.floats(0.0, 2.0), days=st.floats(0, 100))
def test_cost_rate_is_linear_in_rate_and_free_of_the_earnings_scale(rate, scale, incidence, days):
    base = cash_benefit_cost([10.0, 20.0], [1000.0, 3000.0], incidence, days, rate)
    scaled = cash_benefit_cost([10.0, 20.0], [1000.0 * scale, 3000.0 * scale], incidence, days, rate)
    assert scaled.cost_rate == pytest.approx(base.cost_rate, rel=1e-12, abs=1e-15)
    # no ceiling, one earnings level: cost rate = incidence x days x rate / 365
    flat = cash_benefit_cost([10.0, 20.0], [1000.0, 1000.0], incidence, days, rate)
    assert flat.cost_rate == pytest.approx(incidence * days * rate / 365, rel=1e-12, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(cost=st.floats(0.001, 0.2), k=st.floats(0.0, 2.0, allow_subnormal=False), i=st.floats(-0.02, 0.1), g=st.floats(-0.02, 0.12))
def test_assessment_premium_reaches_the_steady_state(cost, k, i, g):
    years = np.arange(6)
    earnings = 1000.0 * (1 + g) ** years
    result = assessment_premium(cost * earnings, earnings, reserve_ratio=k, interest_rate=i, initial_reserve=k * cost
                                * earnings[0] / (1 + g))
    steady = steady_state_premium(cost, reserve_ratio=k, interest_rate=i, growth=g)
    np.testing.assert_allclose(result.premium_rate, steady, rtol=1e-10)
    np.testing.assert_allclose(result.reserve, k * cost * earnings, rtol=1e-10, atol=1e-12 * cost * earnings.max())


@settings(max_examples=30, deadline=None)
@given(costs=st.lists(st.floats(0.0, 100.0), min_size=2, max_size=5), seed=st.integers(0, 1000))
def test_experience_rating_is_balanced(costs, seed):
    rng = np.random.default_rng(seed)
    earnings = rng.uniform(100, 1000, len(costs))
    counts = rng.integers(0, 3000, len(costs))
    result = experience_rating(costs, earnings, counts)
    assert (result.rate * earnings).sum() == pytest.approx(sum(costs), rel=1e-10, abs=1e-10)
    assert np.all((result.credibility >= 0) & (result.credibility <= 1))


# ----------------------------------------------------------------------------- batches


def test_everything_broadcasts_over_scenarios():
    rates = np.array([[0.5], [0.6], [0.7]])                        # 3 scenarios x 1
    cost = cash_benefit_cost([100.0, 200.0], [1000.0, 2000.0], [0.5, 0.7], [10.0, 12.0], rates)
    assert cost.cost_rate.shape == (3,)
    np.testing.assert_allclose(cost.cost_rate / cost.cost_rate[0], [1.0, 1.2, 1.4])
    days = exponential_paid_days(np.array([10.0, 20.0]), waiting_days=3)
    assert days.shape == (2,)
    premium = assessment_premium(np.ones((4, 5)), np.full((4, 5), 10.0), reserve_ratio=np.array([0, 0.5, 1, 2]),
                                 interest_rate=0.03)
    assert premium.premium_rate.shape == (4, 5)
    assert premium.premium_rate[0].tolist() == [0.1] * 5
    assert insured_daily_earnings(np.array([[365.0, 730.0]]), ceiling=500.0).shape == (1, 2)
