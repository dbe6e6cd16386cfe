"""Reserve projection: hand-worked values, the yearly identity, batches and the tidy frame.

Recursion (Iyer 1999, ch. 1; ILO pension model, mid-year cash flows):
    R_t = R_{t-1} (1 + i) + (C_t - B_t - A_t) (1 + i)^(1/2)   (mid)   or   + (C_t - B_t - A_t)   (end)
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.pensions import project_reserve, reserve_ratio

CONTRIBUTIONS = [20.0, 20.0, 20.0]
EXPENDITURE = [10.0, 15.0, 30.0]
ADMIN = [1.0, 1.0, 1.0]


def test_end_of_year_timing_by_hand():
    # R0 = 100, i = 10%, net flows C - B - A = 9, 4, -11
    #   year 1: I = 0.10 * 100   = 10      R1 = 100 + 10 + 9     = 119
    #   year 2: I = 0.10 * 119   = 11.9    R2 = 119 + 11.9 + 4   = 134.9
    #   year 3: I = 0.10 * 134.9 = 13.49   R3 = 134.9 + 13.49 - 11 = 137.39
    result = project_reserve(CONTRIBUTIONS, EXPENDITURE, admin_cost=ADMIN, interest_rate=0.10,
                             initial_reserve=100.0, timing="end")
    np.testing.assert_allclose(result.reserve, [119.0, 134.9, 137.39], rtol=1e-13)
    np.testing.assert_allclose(result.investment_income, [10.0, 11.9, 13.49], rtol=1e-13)
    np.testing.assert_allclose(result.reserve_begin, [100.0, 119.0, 134.9], rtol=1e-13)


def test_mid_year_timing_by_hand():
    # i = 21% so that (1 + i)^(1/2) = 1.1 exactly; R0 = 100, net flows 9, 4, -11
    #   year 1: R1 = 100 * 1.21 + 9 * 1.1 = 121 + 9.9 = 130.9
    #           I1 = 0.21 * 100 + 9 * 0.1 = 21 + 0.9 = 21.9
    #   year 2: R2 = 130.9 * 1.21 + 4 * 1.1 = 158.389 + 4.4 = 162.789
    #           I2 = 0.21 * 130.9 + 4 * 0.1 = 27.489 + 0.4 = 27.889
    #   year 3: R3 = 162.789 * 1.21 - 11 * 1.1 = 196.97469 - 12.1 = 184.87469
    #           I3 = 0.21 * 162.789 - 11 * 0.1 = 34.18569 - 1.1 = 33.08569
    result = project_reserve(CONTRIBUTIONS, EXPENDITURE, admin_cost=ADMIN, interest_rate=0.21,
                             initial_reserve=100.0)
    assert result.timing == "mid"
    np.testing.assert_allclose(result.reserve, [130.9, 162.789, 184.87469], rtol=1e-13)
    np.testing.assert_allclose(result.investment_income, [21.9, 27.889, 33.08569], rtol=1e-13)


def test_reserve_ratio_and_exhaustion():
    # End-timing example above: total expenditure B + A = 11, 16, 31
    #   ILO convention, reserve at the beginning of the year: 100/11, 119/16, 134.9/31
    #   end of year: 119/11, 134.9/16, 137.39/31
    result = project_reserve(CONTRIBUTIONS, EXPENDITURE, admin_cost=ADMIN, interest_rate=0.10,
                             initial_reserve=100.0, timing="end")
    np.testing.assert_allclose(result.reserve_ratio(), [100 / 11, 119 / 16, 134.9 / 31], rtol=1e-13)
    np.testing.assert_allclose(result.reserve_ratio(reserve_at="end"), [119 / 11, 134.9 / 16, 137.39 / 31],
                               rtol=1e-13)
    np.testing.assert_allclose(reserve_ratio(result.reserve_begin, result.total_expenditure),
                               result.reserve_ratio(), rtol=0)
    assert result.exhaustion_index == -1
    # No interest, R0 = 5, net flows -2, -2, -2: R = 3, 1, -1 -> first negative at year index 2 (t = 3)
    falling = project_reserve([0.0, 0.0, 0.0], [2.0, 2.0, 2.0], interest_rate=0.0, initial_reserve=5.0)
    np.testing.assert_allclose(falling.reserve, [3.0, 1.0, -1.0])
    assert falling.exhaustion_index == 2


reserve_inputs = st.integers(1, 15).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.0, 1e4), min_size=n, max_size=n),      # contributions
    st.lists(st.floats(0.0, 1e4), min_size=n, max_size=n),      # expenditure
    st.lists(st.floats(0.0, 1e3), min_size=n, max_size=n),      # admin cost
    st.lists(st.floats(-0.5, 0.5), min_size=n, max_size=n),     # interest per year
    st.floats(-1e4, 1e5),                                       # initial reserve
    st.sampled_from(["mid", "end"]),
))


@given(reserve_inputs)
def test_yearly_identity_change_in_reserve_equals_income_less_outgo(inputs):
    # R_t - R_{t-1} = C_t + I_t - B_t - A_t, every year
    contributions, expenditure, admin, interest, reserve0, timing = inputs
    result = project_reserve(contributions, expenditure, admin_cost=admin, interest_rate=interest,
                             initial_reserve=reserve0, timing=timing)
    change = result.reserve - result.reserve_begin
    flows = (np.array(contributions) + result.investment_income - np.array(expenditure) - np.array(admin))
    scale = 1.0 + np.abs(result.reserve).max() + np.abs(result.reserve_begin).max()
    np.testing.assert_allclose(change, flows, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(result.reserve_begin[1:], result.reserve[:-1], rtol=0)


@given(st.integers(1, 4), st.integers(1, 10), st.sampled_from(["mid", "end"]), st.randoms(use_true_random=False))
def test_batch_gives_the_same_as_one_by_one(n_scenarios, n_years, timing, rng):
    generator = np.random.default_rng(rng.randint(0, 2**32 - 1))
    contributions = generator.uniform(0, 100, (n_scenarios, n_years))
    expenditure = generator.uniform(0, 100, n_years)              # shared by all scenarios
    interest = generator.uniform(-0.1, 0.2, (n_scenarios, n_years))
    reserve0 = generator.uniform(0, 500, n_scenarios)
    batch = project_reserve(contributions, expenditure, interest_rate=interest, initial_reserve=reserve0,
                            timing=timing)
    assert batch.reserve.shape == (n_scenarios, n_years)
    for k in range(n_scenarios):
        one = project_reserve(contributions[k], expenditure, interest_rate=interest[k], initial_reserve=reserve0[k],
                              timing=timing)
        np.testing.assert_allclose(batch.reserve[k], one.reserve, rtol=1e-13)
        np.testing.assert_allclose(batch.investment_income[k], one.investment_income, rtol=1e-13, atol=1e-12)


def test_to_frame_is_tidy():
    result = project_reserve(CONTRIBUTIONS, EXPENDITURE, admin_cost=ADMIN, interest_rate=0.10,
                             initial_reserve=100.0, timing="end")
    frame = result.to_frame(years=[2025, 2026, 2027])
    assert list(frame.columns) == ["year", "variable", "value"]
    assert len(frame) == 6 * 3
    reserve_2027 = frame.query("variable == 'reserve' and year == 2027")["value"].item()
    assert reserve_2027 == pytest.approx(137.39)
    batch = project_reserve(np.tile(CONTRIBUTIONS, (2, 1)), EXPENDITURE, interest_rate=0.1, initial_reserve=100.0)
    assert list(batch.to_frame().columns) == ["scenario", "year", "variable", "value"]
    with pytest.raises(ValueError, match="years must hold 3 labels"):
        result.to_frame(years=[2025, 2026])
