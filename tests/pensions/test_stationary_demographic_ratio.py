"""Closed form: in a stationary insured population the financing systems equal benefit ratio x demographic ratio.

What the other files already check (not repeated here): the financing systems coincide and equal
the benefit ratio times the SYSTEM dependency ratio in a stationary scheme (test_valuation.py,
test_financing.py); a fully funded closed cohort's reserve runs out when its last member dies
(test_valuation.py); members are conserved every year (test_insured.py, test_risk.py for
stochastic batches).

Here the population itself is the stationary population of a life table (Preston, Heuveline and
Guillot 2001, section 3.5: with constant entries and constant mortality the number at each age
is proportional to L_x), every member contributes and every old member draws the same pension,
so the scheme's dependency ratio is the population's demographic dependency ratio, and

    PAYG cost rate = general average premium = scaled premium
                   = benefit ratio x demographic dependency ratio        (Iyer 1999, ch. 1).
"""

import numpy as np
import pytest
from qsp.pensions import (
    BenefitRules,
    benefit_ratio,
    demographic_dependency_ratio,
    general_average_premium,
    membership_from_arrays,
    payg_cost_rate,
    project_insured,
    scaled_premium,
    value_scheme,
)

N_AGE = 101
ENTRY, RETIREMENT, LAST = 20, 60, 95          # nobody lives beyond 95 (q = 1 from 95)


def qx_by_age():
    qx = np.minimum(0.00003 * np.exp(0.095 * np.arange(N_AGE)), 1.0)    # q_60 = 0.009, q_80 = 0.058
    qx[LAST:] = 1.0
    return qx


@pytest.mark.parametrize("interest", [0.0, 0.04])
def test_stationary_population_payg_gap_scaled_equal_benefit_ratio_times_demographic_ratio(interest):
    # 1,000 entrants a year at age 20 (500 of each sex), flat wage 1,000 at every age, no wage growth nor
    # inflation, retirement at 60 with 40 years of service: pension 0.02 x 40 x 1,000 = 800 for everyone.
    qx = qx_by_age()
    shares = np.zeros((2, N_AGE))
    shares[:, ENTRY] = 0.5
    rules = BenefitRules(accrual_rate=0.02, minimum_years=0, normal_retirement_age=RETIREMENT)
    projection = project_insured(membership_from_arrays(np.zeros((2, N_AGE, 86)), active_wages=1.0), rules,
                                 n_years=85, mortality=np.broadcast_to(qx, (2, N_AGE)), new_entrants=1000.0,
                                 entrant_distribution=shares, wages=np.full((2, N_AGE), 1000.0), detail="total")
    # Stationary population by hand: l_20 = 1,000, l_{x+1} = l_x (1 - q_x), and the members counted in a
    # year (exposure "average": half those at the start plus half those at the end of the year) are
    # L_x = (l_x + l_{x+1}) / 2, the person-years of the life table with deaths spread evenly over the year.
    survivors = 1000.0 * np.concatenate([[1.0], np.cumprod(1.0 - qx[ENTRY:LAST + 1])])       # l_20 .. l_96
    person_years = 0.5 * (survivors[:-1] + survivors[1:])                                    # L_20 .. L_95
    ages = np.arange(ENTRY, LAST + 1)
    working = person_years[ages < RETIREMENT].sum()
    older = person_years[ages >= RETIREMENT].sum()
    ratio = demographic_dependency_ratio(older, working)
    assert ratio == pytest.approx(older / working, rel=1e-15)

    valuation = value_scheme(projection, contribution_rate=0.0, interest_rate=interest)
    mature = slice(LAST - ENTRY + 1, 85)             # from year 77 every age 20..95 is filled: every flow constant
    cost = valuation.cost_expenditure[mature]
    earnings = valuation.insurable_earnings[mature]
    np.testing.assert_allclose(valuation.contributors[mature], working, rtol=1e-12)
    np.testing.assert_allclose(valuation.pensioners[mature], older, rtol=1e-12)
    np.testing.assert_allclose(valuation.system_dependency_ratio[mature], ratio, rtol=1e-12)
    np.testing.assert_allclose(valuation.benefit_ratio[mature], 0.8, rtol=1e-12)

    expected = benefit_ratio(800.0, 1000.0) * ratio                   # 0.8 x demographic dependency ratio
    payg = payg_cost_rate(cost, earnings)
    np.testing.assert_allclose(payg, expected, rtol=1e-12)
    # GAP from R0 = 0 to F = 0: (B sum v^t) / (S sum v^t) = B / S at any interest rate
    gap = general_average_premium(cost, earnings, interest_rate=interest)
    assert gap == pytest.approx(expected, rel=1e-12)
    # scaled premium from R0 = 0: at rate B / S the reserve stays 0, so every step of the staircase is B / S
    staircase = scaled_premium(cost, earnings, interest_rate=interest, initial_reserve=0.0, period_length=3)
    np.testing.assert_allclose(staircase.rates, expected, rtol=1e-10)
    assert 0.3 < expected < 0.5                      # 0.8 x a demographic ratio of about 0.5
