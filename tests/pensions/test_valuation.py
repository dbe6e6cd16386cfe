"""Financial projection of a scheme and the closed-form checks of the financing systems.

- Stationary population with stationary wages and benefits (Iyer 1999, ch. 1): once the scheme
  is mature every flow is constant, so the PAYG cost rate, the general average premium and the
  scaled premium coincide, and equal the benefit ratio times the system dependency ratio.
- A fully funded closed cohort: contributing the general average premium of the cohort, its
  reserve runs out exactly in the year its last member dies; the premium equals the ratio of
  the present values of its pensions and of its wages (commutation functions, worked here).
"""

import doctest

import numpy as np
import pytest
from qsp.pensions import (
    BenefitRules,
    general_average_premium,
    membership_from_arrays,
    payg_cost_rate,
    project_insured,
    scaled_premium,
    value_scheme,
)

N_AGE = 101


def gompertz_qx(limit=90):
    """q_x = 0.0004 e^(0.085 x), capped at 1, and 1 from age ``limit``: nobody lives beyond it."""
    qx = np.minimum(0.0004 * np.exp(0.085 * np.arange(N_AGE)), 1.0)
    qx[limit:] = 1.0
    return np.broadcast_to(qx, (2, N_AGE))


def cohort(count=1000.0, age=30, service=0):
    actives = np.zeros((2, N_AGE, 86))
    actives[0, age, service] = count
    return membership_from_arrays(actives, active_wages=1000.0)


def test_flows_by_hand():
    # 100 women aged 40 and one pensioner; contribution rate 10%, administration 5% of benefits, interest 0
    actives = np.zeros((2, N_AGE, 86))
    actives[0, 40, 10] = 100.0
    pensioners = np.zeros((4, 2, N_AGE))
    pensioners[0, 1, 70] = 1.0
    members = membership_from_arrays(actives, active_wages=1000.0, pensioners=pensioners, pension_amounts=600.0)
    projection = project_insured(members, BenefitRules(accrual_rate=0.02), n_years=2, mortality=np.zeros((2, N_AGE)),
                                 wages=np.full((2, N_AGE), 1000.0))
    valuation = value_scheme(projection, contribution_rate=0.10, interest_rate=0.0, initial_reserve=50.0,
                             admin_cost_rate=0.05, timing="end")
    # S = 100 x 1,000 = 100,000 -> C = 10,000; B = 600; A = 30; reserve 50 + 10,000 - 630 = 9,420
    np.testing.assert_allclose(valuation.insurable_earnings, [100_000.0, 100_000.0])
    np.testing.assert_allclose(valuation.contributions, [10_000.0, 10_000.0])
    np.testing.assert_allclose(valuation.admin_cost, [30.0, 30.0])
    np.testing.assert_allclose(valuation.reserve.reserve, [9_420.0, 18_790.0])
    # PAYG cost rate of benefits and administration: 630 / 100,000
    np.testing.assert_allclose(valuation.payg_cost_rate, [0.0063, 0.0063])
    np.testing.assert_allclose(valuation.system_dependency_ratio, [0.01, 0.01])
    np.testing.assert_allclose(valuation.benefit_ratio, [0.6, 0.6])
    # administration as 5% of contributions: A = 500, and the cost rate P solves P S = B + 0.05 P S
    on_contributions = value_scheme(projection, contribution_rate=0.10, interest_rate=0.0,
                                    admin_cost_rate=0.05, admin_cost_basis="contributions")
    np.testing.assert_allclose(on_contributions.admin_cost, [500.0, 500.0])
    np.testing.assert_allclose(on_contributions.payg_cost_rate, [600 / 0.95 / 100_000] * 2)
    # a ceiling on contributions only, at 0.5 times the average wage: S = 100 x 500
    capped = value_scheme(projection, contribution_rate=0.10, interest_rate=0.0, wage_ceiling=0.5)
    np.testing.assert_allclose(capped.contributions, [5_000.0, 5_000.0])
    frame = valuation.to_frame(wide=True)
    assert list(frame.year) == [1, 2] and frame.reserve.tolist() == pytest.approx([9_420.0, 18_790.0])
    long = valuation.to_frame()
    assert set(long.columns) == {"year", "variable", "value"}


def test_stationary_scheme_financing_systems_coincide():
    # constant entrants (women and men aged 20-29), constant rates, no wage growth nor inflation: after about
    # 75 years (the longest path: an entrant dies young, the widow lives to 90) every flow is constant.
    shares = np.zeros((2, N_AGE))
    shares[:, 20:30] = 0.05
    orphans = np.zeros((2, N_AGE))
    orphans[:, 30:50] = 0.6
    profile = np.broadcast_to(800.0 + 20.0 * np.arange(N_AGE), (2, N_AGE))
    rules = BenefitRules(accrual_rate=0.015, minimum_years=10, minimum_pension=500.0, normal_retirement_age=62,
                         disability_minimum_years=3, survivor_rate=0.5, orphan_rate=0.2)
    projection = project_insured(
        membership_from_arrays(np.zeros((2, N_AGE, 86)), active_wages=1.0), rules, n_years=110,
        mortality=gompertz_qx(), new_entrants=1000.0, entrant_distribution=shares,
        disability_incidence=0.002, withdrawal_rate=0.05, reentry_rate=0.1, contribution_density=0.8,
        proportion_married=0.7, orphans_per_death=orphans, wages=profile, detail="total")
    mature = slice(85, 110)
    for name, series in (("contributors", projection.number_of_contributors),
                         ("pensioners", projection.number_of_pensioners),
                         ("expenditure", projection.pension_expenditure),
                         ("actives", projection.total(projection.actives)[1:])):
        np.testing.assert_allclose(series[mature], series[mature][0], rtol=1e-9, err_msg=name)
    assert projection.pension_expenditure[20] < 0.5 * projection.pension_expenditure[100]    # it did mature
    valuation = value_scheme(projection, contribution_rate=0.0, interest_rate=0.04)
    cost = valuation.cost_expenditure[mature]
    earnings = valuation.insurable_earnings[mature]
    payg = payg_cost_rate(cost, earnings)
    gap = general_average_premium(cost, earnings, interest_rate=0.04)
    scaled = scaled_premium(cost, earnings, interest_rate=0.04, initial_reserve=0.0, period_length=25)
    ratio_product = valuation.benefit_ratio[mature] * valuation.system_dependency_ratio[mature]
    np.testing.assert_allclose(payg, payg[0], rtol=1e-9)
    np.testing.assert_allclose(gap, payg[0], rtol=1e-9)
    np.testing.assert_allclose(scaled.rates, payg[0], rtol=1e-9)
    np.testing.assert_allclose(ratio_product, payg, rtol=1e-12)
    assert 0.01 < payg[0] < 0.5


@pytest.mark.parametrize("exposure,timing", [("start", "end"), ("average", "mid")])
def test_funded_cohort_reserve_runs_out_when_the_last_member_dies(exposure, timing):
    # 1,000 women aged 30, no entrants, retirement at 60 after 30 years: pension 0.02 x 30 x 1,000 = 600.
    # Mortality q_x with q = 1 from 90: the last members die in year 61 (aged 90 at its start).
    rules = BenefitRules(accrual_rate=0.02, minimum_years=0, normal_retirement_age=60)
    qx = gompertz_qx()
    projection = project_insured(cohort(), rules, n_years=70, mortality=qx, wages=np.full((2, N_AGE), 1000.0),
                                 exposure=exposure)
    pensioners = projection.total(projection.pensioners["old_age"])
    assert pensioners[60] > 0 and np.all(pensioners[61:] == 0)          # alive at date 60, all dead by date 61
    interest = 0.03
    gap = value_scheme(projection, contribution_rate=0.0, interest_rate=interest,
                       timing=timing).general_average_premium()
    funded = value_scheme(projection, contribution_rate=gap, interest_rate=interest, timing=timing)
    reserve = funded.reserve.reserve
    scale = funded.contributions.sum()
    assert np.all(reserve[:60] > 0)                                     # positive while members are alive
    np.testing.assert_allclose(reserve[60:], 0.0, atol=1e-9 * scale)    # exhausted at the end of year 61
    if exposure == "start":
        # commutation functions: l_30 = 1,000, l_{x+1} = l_x (1 - q_x); year t pays those alive at age 29 + t,
        # at its end (v^t): GAP = sum_{x>=60} v^(x-29) l_x 600 / sum_{x<60} v^(x-29) l_x 1,000
        survivors = 1000.0 * np.concatenate([[1.0], np.cumprod(1.0 - qx[0, 30:100])])     # l_30 .. l_100
        ages = np.arange(30, 101)
        discount = (1.0 + interest) ** -(ages - 29.0)
        pensions = np.sum(discount * survivors * 600.0 * (ages >= 60))
        wages = np.sum(discount * survivors * 1000.0 * (ages < 60))
        assert gap == pytest.approx(pensions / wages, rel=1e-12)


def test_batch_of_scenarios():
    # three interest and wage scenarios in one run: the reserve has a scenario axis
    projection = project_insured(cohort(age=40, service=10), BenefitRules(accrual_rate=0.02), n_years=30,
                                 mortality=gompertz_qx(), wages=np.full((2, N_AGE), 1000.0),
                                 wage_growth=np.array([[0.02], [0.03], [0.04]]), detail="total")
    valuation = value_scheme(projection, contribution_rate=0.15, interest_rate=np.array([[0.03], [0.04], [0.05]]))
    assert valuation.reserve.reserve.shape == (3, 30)
    assert valuation.general_average_premium().shape == (3,)
    frame = valuation.to_frame()
    assert "scenario" in frame.columns and frame.scenario.nunique() == 3


def test_bad_input_messages():
    projection = project_insured(cohort(), BenefitRules(accrual_rate=0.02), n_years=3, mortality=gompertz_qx(),
                                 wages=np.full((2, N_AGE), 1000.0))
    with pytest.raises(ValueError, match="contribution_rate has a contribution rate of 12"):
        value_scheme(projection, contribution_rate=12, interest_rate=0.03)
    with pytest.raises(ValueError, match="contribution_rate has a contribution rate of -0.1"):
        value_scheme(projection, contribution_rate=-0.1, interest_rate=0.03)
    with pytest.raises(ValueError, match="interest_rate has a rate of -1"):
        value_scheme(projection, contribution_rate=0.1, interest_rate=-1.0)
    with pytest.raises(ValueError, match="contribution_rate has 2 entries on its last \\(time\\) axis"):
        value_scheme(projection, contribution_rate=[0.1, 0.2], interest_rate=0.03)
    with pytest.raises(ValueError, match="admin_cost_basis must be 'expenditure' or 'contributions'"):
        value_scheme(projection, contribution_rate=0.1, interest_rate=0.03, admin_cost_basis="wages")
    with pytest.raises(ValueError, match="admin_cost_rate has a share of 1.5"):
        value_scheme(projection, contribution_rate=0.1, interest_rate=0.03, admin_cost_rate=1.5)
    with pytest.raises(ValueError, match="timing must be 'end'"):
        value_scheme(projection, contribution_rate=0.1, interest_rate=0.03, timing="start")
    with pytest.raises(ValueError, match="projection must be the result of project_insured"):
        value_scheme({"years": [1]}, contribution_rate=0.1, interest_rate=0.03)
    totals = project_insured(cohort(), BenefitRules(accrual_rate=0.02), n_years=3, mortality=gompertz_qx(),
                             wages=np.full((2, N_AGE), 1000.0), detail="total")
    with pytest.raises(ValueError, match="wage_ceiling needs the wages by \\(sex, age\\)"):
        value_scheme(totals, contribution_rate=0.1, interest_rate=0.03, wage_ceiling=2.0)


@pytest.mark.parametrize("name", ["qsp.pensions.valuation", "qsp.pensions.insured._project"])
def test_docstring_examples(name):
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
