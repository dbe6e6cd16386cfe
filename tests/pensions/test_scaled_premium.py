"""Scaled premium: hand-worked staircases and the properties of the classical criterion.

Iyer (1999) "Actuarial Mathematics of Social Security Pensions", ILO/ISSA, ch. 1: the scaled
premium of a period of equilibrium is the constant rate at which, at the end of the period,
contributions plus investment income just cover expenditure (the reserve stops growing).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.pensions import general_average_premium, payg_cost_rate, project_reserve, scaled_premium

EARNINGS = np.full(4, 100.0)
EXPENDITURE = np.array([5.0, 10.0, 15.0, 20.0])


def test_non_decreasing_criterion_by_hand():
    # End-of-year timing, i = 10%, R0 = 0, two periods of two years, S_t = 100.
    # Period 1 (years 1-2), rate p:
    #   R1 = 100p - 5
    #   R2 - R1 = 0.1 R1 + 100p - 10 = 10p - 0.5 + 100p - 10 = 110p - 10.5 = 0  ->  p1 = 10.5/110
    #   then R1 = 9.5454... - 5 = 4.5454... = 50/11 and R2 = R1 (the reserve stops growing)
    # Period 2 (years 3-4), from R2 = 50/11:
    #   R3 = 1.1 * 50/11 + 100p - 15 = 100p - 10
    #   R4 - R3 = 0.1 R3 + 100p - 20 = 110p - 21 = 0  ->  p2 = 21/110
    result = scaled_premium(EXPENDITURE, EARNINGS, interest_rate=0.10, initial_reserve=0.0, period_length=2,
                            timing="end")
    np.testing.assert_allclose(result.rates, [10.5 / 110, 21 / 110], rtol=1e-13)
    np.testing.assert_array_equal(result.boundaries, [0, 2, 4])
    np.testing.assert_allclose(result.rate_by_year, [10.5 / 110, 10.5 / 110, 21 / 110, 21 / 110], rtol=1e-13)
    np.testing.assert_allclose(result.reserve[:2], [50 / 11, 50 / 11], rtol=1e-12)
    assert result.reserve[3] - result.reserve[2] == pytest.approx(0.0, abs=1e-12)


def test_reserve_ratio_criterion_by_hand():
    # Same data, criterion R_m >= k B_m at the end of each period with k = 1:
    # Period 1: R2 = 1.1 (100p - 5) + 100p - 10 = 210p - 15.5 >= 1 * B_2 = 10  ->  p1 = 25.5/210
    #           so R2 = 10
    # Period 2: R3 = 1.1 * 10 + 100p - 15 = 100p - 4
    #           R4 = 1.1 (100p - 4) + 100p - 20 = 210p - 24.4 >= 1 * B_4 = 20  ->  p2 = 44.4/210
    result = scaled_premium(EXPENDITURE, EARNINGS, interest_rate=0.10, initial_reserve=0.0, period_length=2,
                            criterion=("reserve_ratio", 1.0), timing="end")
    np.testing.assert_allclose(result.rates, [25.5 / 210, 44.4 / 210], rtol=1e-13)
    np.testing.assert_allclose(result.reserve[[1, 3]], [10.0, 20.0], rtol=1e-12)
    assert result.criterion == "reserve_ratio"


def test_mid_year_timing_by_hand():
    # One period of two years, i = 21% so (1 + i)^(1/2) = 1.1, R0 = 0, S = 100, B = 5, 10:
    #   R1 = (100p - 5) * 1.1
    #   R2 - R1 = 0.21 R1 + (100p - 10) * 1.1 = 0.231 (100p - 5) + 110p - 11 = 133.1p - 12.155 = 0
    #   -> p = 12.155 / 133.1
    result = scaled_premium([5.0, 10.0], [100.0, 100.0], interest_rate=0.21, initial_reserve=0.0,
                            period_length=None)
    np.testing.assert_allclose(result.rates, [12.155 / 133.1], rtol=1e-13)


def test_every_year_check_is_the_strictest_year():
    # One period of 3 years, end timing, no interest, S = 100, R0 = 0, B = 10, 5, 8.
    # Reserve change in year t is 100p - B_t: non-decreasing in every year needs p >= max(B_t)/100 = 0.10,
    # at the end of the period only p >= B_3/100 = 0.08.
    kwargs = dict(interest_rate=0.0, initial_reserve=0.0, period_length=3, timing="end")
    end = scaled_premium([10.0, 5.0, 8.0], [100.0] * 3, **kwargs)
    every = scaled_premium([10.0, 5.0, 8.0], [100.0] * 3, check="every_year", **kwargs)
    np.testing.assert_allclose(end.rates, [0.08])
    np.testing.assert_allclose(every.rates, [0.10])


def test_period_lengths_as_a_list_and_the_last_period_shorter():
    expenditure = np.linspace(10, 30, 7)
    earnings = np.full(7, 100.0)
    listed = scaled_premium(expenditure, earnings, interest_rate=0.03, initial_reserve=0.0, period_length=[3, 3, 1])
    uneven = scaled_premium(expenditure, earnings, interest_rate=0.03, initial_reserve=0.0, period_length=3)
    np.testing.assert_array_equal(uneven.boundaries, [0, 3, 6, 7])
    np.testing.assert_array_equal(uneven.period_lengths, [3, 3, 1])
    np.testing.assert_allclose(listed.rates, uneven.rates, rtol=1e-14)


def test_first_scaled_premium_can_exceed_the_long_run_gap():
    # The textbook picture PAYG <= scaled premium <= GAP holds for a steadily maturing scheme, but the
    # second inequality is not a theorem. Counter-example (end timing, S_t = 1, i = 3%): the cost rate
    # jumps from 0 in year 1 to 1 from year 2 on, first period = 10 years, horizon 11 years.
    #   R_9 = sum_{t=1..9} (p - P_t) 1.03^(9-t);  R_10 - R_9 = 0.03 R_9 + p - 1
    #   0.03 * sum_{t=1..9} 1.03^(9-t) = 1.03^9 - 1 and 0.03 * sum_{t=2..9} 1.03^(9-t) = 1.03^8 - 1, so
    #   R_10 - R_9 = p (1.03^9 - 1) - (1.03^8 - 1) + p - 1 = p 1.03^9 - 1.03^8 = 0  ->  p = 1/1.03 = 0.9709
    #   GAP over 11 years = sum_{t=2..11} v^t / sum_{t=1..11} v^t = 1 - v / a_11 = 1 - 0.9709/9.2526 = 0.8951
    cost = np.array([0.0] + [1.0] * 10)
    ones = np.ones(11)
    first = scaled_premium(cost, ones, interest_rate=0.03, initial_reserve=0.0, period_length=10,
                           timing="end").rates[0]
    assert first == pytest.approx(1 / 1.03, rel=1e-12)
    gap = general_average_premium(cost, ones, interest_rate=0.03)
    v = 1 / 1.03
    annuity = sum(v**t for t in range(1, 12))
    assert gap == pytest.approx(1 - v / annuity, rel=1e-12)
    assert first > gap


def test_staircase_for_a_maturing_scheme_lies_between_payg_and_gap():
    # A cost rate rising linearly from 5% to 25% over 50 years, 4% interest, 10-year periods: the
    # first step lies between the PAYG rate of year 1 and the GAP over the 50 years, and the steps rise.
    years = 50
    earnings = 100.0 * 1.02 ** np.arange(years)
    expenditure = np.linspace(0.05, 0.25, years) * earnings
    result = scaled_premium(expenditure, earnings, interest_rate=0.04, initial_reserve=0.0, period_length=10)
    gap = general_average_premium(expenditure, earnings, interest_rate=0.04, timing="mid")
    payg = payg_cost_rate(expenditure, earnings)
    assert payg[0] < result.rates[0] < gap
    assert np.all(np.diff(result.rates) > 0)


growing_paths = st.integers(2, 30).flatmap(lambda n: st.tuples(
    st.floats(0.01, 0.2),                                        # first-year cost rate
    st.lists(st.floats(0.0, 0.02), min_size=n - 1, max_size=n - 1),  # yearly rise of the cost rate
    st.lists(st.floats(0.0, 0.05), min_size=n, max_size=n),     # wage-bill growth
    st.lists(st.floats(0.0, 0.08), min_size=n, max_size=n),     # interest per year
    st.integers(1, 12),                                          # period length
    st.sampled_from(["mid", "end"]),
))


@given(growing_paths)
def test_staircase_properties_on_growing_expenditure(path):
    first_rate, rises, growth, interest, length, timing = path
    cost_rate = first_rate + np.concatenate(([0.0], np.cumsum(rises)))   # non-decreasing PAYG rate
    earnings = 1000.0 * np.cumprod(1.0 + np.array(growth))
    expenditure = cost_rate * earnings
    interest = np.array(interest)
    result = scaled_premium(expenditure, earnings, interest_rate=interest, initial_reserve=0.0,
                            period_length=length, timing=timing)
    scale = 1e-9 * earnings.sum()

    # 1. The reserve is non-decreasing at the end of every period (and exactly level: the rate is the lowest).
    ends = result.boundaries[1:] - 1
    change = result.reserve - result.projection.reserve_begin
    assert np.all(change[ends] >= -scale)
    np.testing.assert_allclose(change[ends], 0.0, atol=scale)

    # 2. The projection is the public reserve projection at the staircase of rates.
    again = project_reserve(result.rate_by_year * earnings, expenditure, interest_rate=interest,
                            initial_reserve=0.0, timing=timing)
    np.testing.assert_allclose(again.reserve, result.reserve, rtol=1e-9, atol=scale)

    # 3. First step: PAYG of year 1 <= first rate <= PAYG of the period's last year (a weighted average of
    #    the period's cost rates), and >= the GAP over the first period alone (no reserve at either end).
    m = result.boundaries[1]
    tolerance = 1e-10
    assert cost_rate[0] - tolerance <= result.rates[0] <= cost_rate[m - 1] + tolerance
    gap_first = general_average_premium(expenditure[:m], earnings[:m], interest_rate=interest[:m], timing=timing)
    assert gap_first <= result.rates[0] + tolerance

    # 4. With a non-decreasing cost rate, non-decreasing earnings and a CONSTANT interest rate the steps do
    #    not fall: at the old rate the reserve would shrink by the end of the next period. (With rates that
    #    vary, a later rise in interest can lower the next step, so the property needs the constant rate.)
    constant = scaled_premium(expenditure, earnings, interest_rate=interest[0], initial_reserve=0.0,
                              period_length=length, timing=timing)
    assert np.all(np.diff(constant.rates) >= -tolerance)


@given(st.integers(1, 4), st.randoms(use_true_random=False))
def test_batch_gives_the_same_as_one_by_one(n_scenarios, rng):
    generator = np.random.default_rng(rng.randint(0, 2**32 - 1))
    years = 12
    earnings = 100.0 * np.cumprod(1 + generator.uniform(0, 0.05, (n_scenarios, years)), axis=-1)
    expenditure = earnings * np.linspace(0.05, 0.2, years)
    interest = generator.uniform(0.0, 0.08, (n_scenarios, 1))
    reserve0 = generator.uniform(0, 100, n_scenarios)
    batch = scaled_premium(expenditure, earnings, interest_rate=interest, initial_reserve=reserve0,
                           period_length=5, criterion=("reserve_ratio", 1.5))
    assert batch.rates.shape == (n_scenarios, 3)
    for k in range(n_scenarios):
        one = scaled_premium(expenditure[k], earnings[k], interest_rate=float(interest[k, 0]),
                             initial_reserve=float(reserve0[k]), period_length=5, criterion=("reserve_ratio", 1.5))
        np.testing.assert_allclose(batch.rates[k], one.rates, rtol=1e-12)
        np.testing.assert_allclose(batch.reserve[k], one.reserve, rtol=1e-12)
