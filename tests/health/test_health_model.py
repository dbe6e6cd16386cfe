"""qsp.health: the health budget model's kernels and provider payment, by hand, from identities and from print.

Published worked example: Towse, A., Mills, A. and Tangcharoensathien, V. (2004). Learning from
Thailand's health reforms. *BMJ* 328: 103-105, web extra Table A, "Actuarial estimation of resource
requirement" for the universal coverage capitation (https://pmc.ncbi.nlm.nih.gov/articles/instance/314057/
bin/bmj_328_7431_103__.html): "Reported illness rate 4.34 per capita per year * 0.151 * 60 B/visit = 39
B/cap/yr at health centres. Admission rate 0.066 per capita per year * 0.332 * 2,857 B/adm. = 63 B/cap/yr
at District hospital." (0.151 and 0.332 are the shares of visits and admissions at each level.)
No worked table of Cichon et al. (1999) was found in the sources available, so the health budget
model is checked here by hand and by identities.
"""

import doctest

import numpy as np
import pytest
import qsp.health
from hypothesis import given, settings
from hypothesis import strategies as st
from qsp.health import (
    age_cost_profile,
    ageing_effect,
    budget_neutral_capitation,
    capitation_cost,
    case_rate_cost,
    covered_population,
    fee_for_service_cost,
    health_financing,
    per_diem_cost,
    project_health_cost,
    unit_cost_index,
)


def test_thailand_capitation_worked_example():
    # per capita: utilisation x share at the level x unit cost; printed rounded to the baht: 39 and 63
    covered = np.full((1, 1, 2, 1), 0.5)                      # one person: half female, half male
    utilisation = np.array([[[4.34 * 0.151]] * 2, [[0.066 * 0.332]] * 2])   # (service, sex, age)
    projection = project_health_cost(covered, utilisation, [60.0, 2857.0])
    per_capita = projection.by_service[0]
    assert np.round(per_capita).tolist() == [39.0, 63.0]
    assert per_capita == pytest.approx([4.34 * 0.151 * 60, 0.066 * 0.332 * 2857])
    # a capitation rate set budget-neutral on these two services pays the same per person
    kappa = budget_neutral_capitation(per_capita.sum(), np.full((2, 1), 0.5))
    assert kappa == pytest.approx(39.3204 + 62.6032, abs=1e-3)


def _toy():
    # 2 years, 2 groups (insured, dependants), 2 sexes, 2 ages; 2 services (visits, inpatient days)
    covered = np.array([[[[100.0, 20.0], [120.0, 10.0]], [[50.0, 0.0], [30.0, 0.0]]],
                        [[[110.0, 25.0], [125.0, 15.0]], [[55.0, 0.0], [30.0, 0.0]]]])
    utilisation = np.array([[[2.0, 6.0], [1.5, 5.0]], [[0.2, 1.0], [0.3, 1.2]]])
    return covered, utilisation, np.array([10.0, 100.0])


def test_projection_by_hand():
    covered, u, c = _toy()
    result = project_health_cost(covered, u, c, wage_growth=0.10, price_inflation=0.02, wage_share=[0.5, 0.7],
                                 medical_excess=0.01, utilisation_trend=[0.0, 0.05])
    # year 0, insured, visits: 100 x 2 + 20 x 6 + 120 x 1.5 + 10 x 5 = 200 + 120 + 180 + 50 = 550 -> cost 5,500
    assert result.volume[0, 0, 0] == pytest.approx(550)
    assert result.cost[0, 0, 0] == pytest.approx(5500)
    # year 1, dependants, inpatient days: (55 x 0.2 + 30 x 0.3) x 1.05 = (11 + 9) x 1.05 = 21
    assert result.volume[1, 1, 1] == pytest.approx(21)
    # unit cost of a day in year 1: 100 x (1 + 0.7 x 0.10 + 0.3 x 0.02 + 0.01) = 100 x 1.086
    assert result.unit_cost[1, 1] == pytest.approx(108.6)
    assert result.cost[1, 1, 1] == pytest.approx(21 * 108.6)
    # totals add up; per capita = cost / persons
    np.testing.assert_allclose(result.total, result.cost.sum(axis=(-2, -1)))
    assert result.per_capita[0, 1] == pytest.approx(result.cost[0, 1].sum() / 80)


def test_group_factor_and_unit_cost_index_by_hand():
    covered, u, c = _toy()
    base = project_health_cost(covered, u, c)
    more = project_health_cost(covered, u, c, group_factor=np.array([[1.0], [1.5]]))
    np.testing.assert_allclose(more.cost[..., 1, :], 1.5 * base.cost[..., 1, :])
    np.testing.assert_allclose(more.cost[..., 0, :], base.cost[..., 0, :])
    # prices +2% then +4%, all wage-free: 1, 1.04 ... year-1 growth is not used; 1, 1.02, 1.02 x 1.04
    index = unit_cost_index(3, price_inflation=[0.5, 0.02, 0.04])
    np.testing.assert_allclose(index, [1.0, 1.02, 1.02 * 1.04])


def test_age_cost_profile_and_ageing_effect_by_hand():
    u = np.array([[[2.0, 5.0], [1.0, 4.0]], [[0.5, 2.0], [0.4, 2.5]]])   # (service, sex, age)
    profile = age_cost_profile(u, [10.0, 50.0])
    # female young: 2 x 10 + 0.5 x 50 = 45; male old: 4 x 10 + 2.5 x 50 = 165
    assert profile.tolist() == [[45.0, 150.0], [30.0, 165.0]]
    base = np.array([[90.0, 10.0], [90.0, 10.0]])
    older = np.array([[70.0, 30.0], [70.0, 30.0]])
    # base: (90 x 45 + 10 x 150 + 90 x 30 + 10 x 165) / 200 = (4050 + 1500 + 2700 + 1650) / 200 = 49.5
    # older: (3150 + 4500 + 2100 + 4950) / 200 = 73.5 -> 73.5 / 49.5
    assert ageing_effect(profile, base, older) == pytest.approx(73.5 / 49.5)
    # the same structure at a different size: no ageing effect
    assert ageing_effect(profile, base, 3 * base) == pytest.approx(1.0)


def test_covered_population_by_hand():
    pop = np.array([[[100.0, 40.0], [90.0, 30.0]]])                       # (year, sex, age)
    shares = np.array([[[0.5, 0.0], [0.6, 0.0]], [[0.3, 0.0], [0.2, 0.0]], [[0.0, 0.8], [0.0, 0.9]]])
    covered = covered_population(pop, shares)
    assert covered.shape == (1, 3, 2, 2)
    assert covered[0].sum(axis=(-2, -1)).tolist() == [104.0, 48.0, 59.0]     # 50 + 54; 30 + 18; 32 + 27


def test_financing_by_hand():
    # cost 100, 120; earnings 2,000, 2,200; 5% contribution; admin 10%; k = 0.5; i = 10%; R0 = 0
    f = health_financing([100.0, 120.0], [2000.0, 2200.0], contribution_rate=0.05, admin_loading=0.1,
                         reserve_ratio=0.5, interest_rate=0.1)
    # E = 110, 132; contributions 100, 110; balance -10, -22; reserve -10, -11 - 22 = -33
    np.testing.assert_allclose(f.expenditure, [110, 132])
    np.testing.assert_allclose(f.balance, [-10, -22])
    np.testing.assert_allclose(f.reserve, [-10, -33])
    np.testing.assert_allclose(f.payg_rate, [110 / 2000, 132 / 2200])
    # premium: year 1 (110 + 55 - 0) / 2000; year 2 (132 + 66 - 1.1 x 55) / 2200
    np.testing.assert_allclose(f.premium_rate, [165 / 2000, (198 - 60.5) / 2200])


def test_provider_payment_levers_by_hand():
    assert fee_for_service_cost([1000, 200], [5.0, 20.0]) == pytest.approx(9000)
    # per diem: (100 x 4 + 10 x 12) x 50 = 520 x 50; case rates: (100 x 0.7 + 10 x 3) x 300 = 100 x 300
    assert per_diem_cost([100, 10], [4.0, 12.0], 50.0) == pytest.approx(26_000)
    assert case_rate_cost([100, 10], 300.0, [0.7, 3.0]) == pytest.approx(30_000)
    # shorter stays: the per diem bill falls, the case-rate bill does not
    assert per_diem_cost([100, 10], [3.0, 9.0], 50.0) == pytest.approx(19_500)
    # capitation: (100 x 1 + 20 x 2.5 + 100 x 0.9 + 20 x 2.5) x 12 = 290 x 12
    enrolled = np.array([[100.0, 20.0], [100.0, 20.0]])
    weights = np.array([[1.0, 2.5], [0.9, 2.5]])
    assert capitation_cost(enrolled, 12.0, weights) == pytest.approx(3480)
    assert budget_neutral_capitation(3480.0, enrolled, weights) == pytest.approx(12.0)


def test_capitation_moves_the_utilisation_trend_off_the_payer():
    covered, u, c = _toy()
    trend = project_health_cost(covered, u, c, utilisation_trend=0.10)
    flat = project_health_cost(covered, u, c)
    kappa = budget_neutral_capitation(flat.total[0], covered[0].sum(axis=0))
    capitation = capitation_cost(covered.sum(axis=1), kappa)               # by year
    assert trend.total[1] > flat.total[1]                                  # fee-for-service pays the trend
    # capitation pays for persons only: the same in both cases, and equal to FFS in the base year
    assert capitation[0] == pytest.approx(flat.total[0])
    assert capitation[1] == pytest.approx(kappa * covered[1].sum())


# ----------------------------------------------------------------------------- identities


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(0.1, 10.0), g=st.floats(-0.05, 0.2), p=st.floats(-0.05, 0.2), w=st.floats(0, 1))
def test_projection_identities(scale, g, p, w):
    covered, u, c = _toy()
    base = project_health_cost(covered, u, c, wage_growth=g, price_inflation=p, wage_share=w)
    # linear in persons and in unit costs
    np.testing.assert_allclose(project_health_cost(scale * covered, u, c, wage_growth=g, price_inflation=p,
                                                   wage_share=w).cost, scale * base.cost, rtol=1e-12)
    np.testing.assert_allclose(project_health_cost(covered, u, scale * c, wage_growth=g, price_inflation=p,
                                                   wage_share=w).cost, scale * base.cost, rtol=1e-12)
    # equal wage growth and inflation: the staff share does not matter
    same = project_health_cost(covered, u, c, wage_growth=g, price_inflation=g, wage_share=w)
    np.testing.assert_allclose(same.unit_cost[1], c * (1 + g), rtol=1e-12)
    # the cost equals covered persons x the age-cost profile in the first year
    profile = age_cost_profile(u, c)
    assert base.total[0] == pytest.approx((covered[0] * profile).sum(), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(theta=st.floats(0, 0.2), k=st.floats(0, 1), i=st.floats(0, 0.1), copay=st.floats(0, 0.5))
def test_financing_identities(theta, k, i, copay):
    cost = np.array([100.0, 110.0, 125.0])
    earnings = np.array([1500.0, 1600.0, 1700.0])
    f = health_financing(cost, earnings, contribution_rate=theta, copayment_rate=copay, reserve_ratio=k,
                         interest_rate=i)
    # at the PAYG rate the balance is zero
    at_payg = health_financing(cost, earnings, contribution_rate=f.payg_rate, copayment_rate=copay)
    np.testing.assert_allclose(at_payg.balance, 0.0, atol=1e-10)
    # at the premium rate the reserve is k x expenditure at each year's end
    at_premium = health_financing(cost, earnings, contribution_rate=np.clip(f.premium_rate, 0, 1),
                                  copayment_rate=copay, reserve_ratio=k, interest_rate=i)
    if np.all(f.premium_rate >= 0):
        np.testing.assert_allclose(at_premium.reserve, k * at_premium.expenditure, rtol=1e-9, atol=1e-9)


def test_batches_of_scenarios():
    covered, u, c = _toy()
    growth = np.array([[0.02], [0.05], [0.08]])                               # 3 scenarios x (year)
    result = project_health_cost(covered, u, c, wage_growth=growth, price_inflation=0.03, wage_share=0.6)
    assert result.total.shape == (3, 2)
    assert np.all(np.diff(result.total[:, 1]) > 0)
    assert np.allclose(result.total[:, 0], result.total[0, 0])
    big = project_health_cost(np.broadcast_to(covered, (1000,) + covered.shape), u, c,
                              medical_excess=np.linspace(0, 0.05, 1000)[:, None])
    assert big.total.shape == (1000, 2)
    f = health_financing(result.total, np.full((3, 2), 5000.0), contribution_rate=0.05)
    assert f.premium_rate.shape == (3, 2)


def test_module_doctests_and_names():
    for name in ("model", "payment", "microinsurance"):
        module = __import__(f"qsp.health.{name}", fromlist=[name])
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, name
    for name in qsp.health.__all__:
        assert getattr(qsp.health, name) is not None


@pytest.mark.parametrize(("call", "text"), [
    (lambda: covered_population(np.ones((2, 3)), np.full((2, 2, 3), 0.6)), "sum to 1 or less"),
    (lambda: covered_population(np.ones((3,)), np.full((1, 2, 3), 0.5)), "axes (..., sex, age)"),
    (lambda: project_health_cost(np.ones((1, 1, 2, 3)), np.ones((2, 2, 4)), [1.0, 2.0]), "same ages"),
    (lambda: project_health_cost(np.ones((1, 1, 2, 3)), np.ones((2, 2, 3)), [1.0]), "one unit cost per service"),
    (lambda: project_health_cost(np.ones((1, 1, 2, 3)), -np.ones((1, 2, 3)), [1.0]), "units of service per"),
    (lambda: project_health_cost(np.ones((1, 2, 3)), np.ones((1, 2, 3)), [1.0]), "(..., year, group, sex, age)"),
    (lambda: unit_cost_index(0), "n_years"),
    (lambda: unit_cost_index(3, wage_share=[1.2]), "at most 1"),
    (lambda: ageing_effect(np.ones((2, 3)), np.zeros((2, 3)), np.ones((2, 3))), "empty"),
    (lambda: health_financing([100.0], [0.0], contribution_rate=0.05), "greater than 0"),
    (lambda: health_financing([100.0], [1000.0], contribution_rate=5), "(0.04 for 4%)"),
    (lambda: case_rate_cost(100, 300.0), "case groups"),
    (lambda: capitation_cost(np.ones(3), 10.0), "(..., sex, age)"),
    (lambda: budget_neutral_capitation(10.0, np.zeros((2, 2))), "nobody is enrolled"),
    (lambda: fee_for_service_cost([1, 2], [1, 2, 3]), "do not broadcast"),
])
def test_bad_input_gets_a_clear_error(call, text):
    with pytest.raises(ValueError) as error:
        call()
    assert text in str(error.value)
