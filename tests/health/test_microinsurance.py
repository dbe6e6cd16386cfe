"""Community-based health micro-insurance: pricing, simulated claims, ruin, reinsurance, adverse selection.

Published worked example: Garand, D. (2005). *Pricing Microinsurance Products: Examples*. Workshop on
microinsurance, IRDA/IIRM/USAID, Hyderabad, 14-15 October 2005 (slides, "Life plan design"): a Rs 5,000
benefit; scenario 1, 10,000 women aged 27 (2.96 deaths per 1,000): expected claims
(5 x 2.96 x 10,000)/10,000 = Rs 14.8 per insured; scenario 2, 5,000 women aged 27 and 5,000 men aged 32
(4.53 per 1,000): (5 x 2.96 x 5,000 + 5 x 4.53 x 5,000)/10,000 = Rs 18.7 per insured.
The Monte-Carlo tests use a seeded numpy Generator and compare with the compound Poisson moments.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qsp.health import (
    enrolled_risk_mix,
    expected_claims,
    gross_premium,
    ruin_probability,
    simulate_annual_claims,
    stop_loss,
)


def test_garand_life_plan_worked_example():
    # scenario 1: Rs 14.8 per insured
    assert expected_claims([2.96 / 1000], [5000.0]) == pytest.approx(14.8)
    # scenario 2: the mix of women and men, printed as Rs 18.7 (18.725 before rounding)
    women, men = expected_claims([[2.96 / 1000], [4.53 / 1000]], [5000.0])
    cost, ratio = enrolled_risk_mix([women, men], [0.5, 0.5], [1.0, 1.0])
    assert round(float(cost), 1) == 18.7
    assert cost == pytest.approx((5 * 2.96 * 5000 + 5 * 4.53 * 5000) / 10_000)


def test_pricing_by_hand():
    # hospitalisation 0.05 a year x 2,000; outpatient 1.2 x 40; maternity 0.03 x 600
    # E = 100 + 48 + 18 = 166; P = (166 x 1.1 + 12) / (1 - 0.15) = 194.6 / 0.85
    pure = expected_claims([0.05, 1.2, 0.03], [2000.0, 40.0, 600.0])
    assert pure == pytest.approx(166.0)
    assert gross_premium(pure, risk_margin=0.1, expense_ratio=0.15, admin_per_member=12.0) == pytest.approx(
        194.6 / 0.85)


def test_adverse_selection_by_hand():
    # low risks cost 50, high risks 200; 80% / 20% of the population; voluntary enrolment 20% and 60%
    # enrolled: (0.16 x 50 + 0.12 x 200) / 0.28 = (8 + 24) / 0.28 = 114.29; population: 40 + 40 = 80
    cost, ratio = enrolled_risk_mix([50.0, 200.0], [0.8, 0.2], [0.2, 0.6])
    assert cost == pytest.approx(32 / 0.28)
    assert ratio == pytest.approx(32 / 0.28 / 80)
    # compulsory (or group) enrolment removes it
    assert enrolled_risk_mix([50.0, 200.0], [0.8, 0.2], [1.0, 1.0])[1] == pytest.approx(1.0)


def test_stop_loss_and_ruin_by_hand():
    claims = np.array([[[80.0, 150.0], [120.0, 90.0]]])                    # (pool, simulation, year)
    result = stop_loss(claims, 110.0, loading=0.2)
    # recoveries 0, 40, 10, 0 -> mean 12.5 -> premium 15
    assert result.recovered.tolist() == [[[0.0, 40.0], [10.0, 0.0]]]
    assert result.premium == pytest.approx(15.0)
    # premium 100, reserve 5: path 1 85 (then 85 - 50 = 35 < 0? no: 25 + 100 - 150 = -25) -> ruined
    # path 1: 5 + 100 - 80 = 25, 25 + 100 - 150 = -25 (ruined); path 2: 5 - 20 = -15 (ruined)
    assert ruin_probability(claims, 100.0, 5.0) == pytest.approx(1.0)
    # with the stop-loss at 110 the retained claims are 80, 110 / 110, 90; income net of its premium 85:
    # path 1: 5 + 5 = 10, 10 - 25 = -15 (ruined); path 2: 5 - 25 = -20 (ruined); with reserve 30: none
    assert ruin_probability(result.retained, 100.0 - result.premium, 30.0) == pytest.approx(0.0)


def test_simulated_claims_match_compound_poisson_moments():
    rng = np.random.default_rng(2026)
    members = np.array([200.0, 2000.0])
    f, s, cv = np.array([0.05, 1.0]), np.array([1000.0, 30.0]), np.array([1.5, 0.8])
    claims = simulate_annual_claims(rng, members, f, s, severity_cv=cv, years=4, simulations=20_000)
    assert claims.shape == (2, 20_000, 4)
    mean = members * (f * s).sum()
    var = members * (f * s**2 * (1 + cv**2)).sum()
    sims = claims.reshape(2, -1)
    # 80,000 draws per pool: the standard error of the mean is sd / 283
    assert np.all(np.abs(sims.mean(axis=-1) - mean) < 4 * np.sqrt(var / 80_000))
    np.testing.assert_allclose(sims.var(axis=-1), var, rtol=0.05)
    # the same seed gives the same draws
    again = simulate_annual_claims(np.random.default_rng(2026), members, f, s, severity_cv=cv, years=4,
                                   simulations=20_000)
    np.testing.assert_array_equal(again, claims)


def test_ruin_falls_with_pool_size_and_with_reinsurance():
    rng = np.random.default_rng(7)
    members = np.array([100.0, 1000.0, 10_000.0])
    f, s = np.array([0.06, 1.5]), np.array([1500.0, 25.0])                # hospital stays, outpatient visits
    pure = expected_claims(f, s)                                          # 90 + 37.5 = 127.5 per member
    claims = simulate_annual_claims(rng, members, f, s, severity_cv=np.array([1.2, 1.0]), years=3,
                                    simulations=4000)
    income = members * pure * 1.10                                        # a 10% risk margin
    reserve = 0.25 * members * pure                                       # a quarter of a year's claims
    ruin = ruin_probability(claims, income, reserve)
    assert ruin[0] > ruin[1] > ruin[2]
    assert ruin[0] > 0.25 and ruin[1] < 0.06 and ruin[2] < 0.005         # seed 7: 0.357, 0.029, 0.0
    # stop-loss at 110% of expected claims, reinsurer's loading 30%: ruin falls (seed 7: 0.26 and 0.0)
    cover = stop_loss(claims, 1.1 * members * pure, loading=0.3)
    reinsured = ruin_probability(cover.retained, income - cover.premium, reserve)
    assert reinsured[0] < ruin[0] - 0.05 and reinsured[1] < ruin[1]
    # the cover is dear for a small pool: its premium is a far larger share of expected claims
    share = cover.premium / (members * pure)
    assert share[0] > 5 * share[1] > 25 * share[2]


@settings(max_examples=25, deadline=None)
@given(f=st.floats(0.0, 2.0), s=st.floats(0.0, 1000.0), m=st.floats(0.0, 0.5), e=st.floats(0.0, 0.5))
def test_premium_identities(f, s, m, e):
    pure = expected_claims([f], [s])
    premium = gross_premium(pure, risk_margin=m, expense_ratio=e)
    assert premium * (1 - e) == pytest.approx(pure * (1 + m), rel=1e-12, abs=1e-12)
    assert premium >= pure - 1e-12


@settings(max_examples=25, deadline=None)
@given(reserve=st.floats(0, 500), extra=st.floats(0, 500), retention=st.floats(0, 300))
def test_ruin_and_stop_loss_identities(reserve, extra, retention):
    claims = np.random.default_rng(3).gamma(2.0, 50.0, size=(200, 3))
    # more reserve never raises the probability of ruin
    assert ruin_probability(claims, 100.0, reserve + extra) <= ruin_probability(claims, 100.0, reserve)
    cover = stop_loss(claims, retention)
    np.testing.assert_allclose(cover.retained + cover.recovered, claims)
    assert np.all(cover.retained <= retention + 1e-12)


@pytest.mark.parametrize(("call", "text"), [
    (lambda: simulate_annual_claims(np.random.default_rng(0), 100, [0.1], [10.0], years=0), "years"),
    (lambda: simulate_annual_claims(0, 100, [0.1], [10.0]), "np.random.default_rng(seed)"),
    (lambda: simulate_annual_claims(np.random.default_rng(0), 100, 0.1, 10.0), "last axis of benefits"),
    (lambda: simulate_annual_claims(np.random.default_rng(0), 100, [0.1], [10.0], severity_cv=0), "greater than 0"),
    (lambda: simulate_annual_claims(np.random.default_rng(0), [100, 200], [[0.1], [0.2], [0.3]], [10.0]),
     "do not broadcast"),
    (lambda: expected_claims([-0.1], [10.0]), "claim frequency"),
    (lambda: gross_premium(100.0, expense_ratio=1.0), "below 1"),
    (lambda: ruin_probability([1.0, 2.0], 1.0, 0.0), "(..., simulations, years)"),
    (lambda: stop_loss([[1.0]], -1.0), "retention"),
    (lambda: enrolled_risk_mix([1.0, 2.0], [0.5, 0.6], [1, 1]), "summing to 1"),
    (lambda: enrolled_risk_mix([1.0, 2.0], [0.5, 0.5], [0, 0]), "nobody enrols"),
])
def test_bad_input_gets_a_clear_error(call, text):
    with pytest.raises(ValueError) as error:
        call()
    assert text in str(error.value)
