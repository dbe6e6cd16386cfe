"""Benefit formulas of a DB scheme, worked by hand (Iyer 1999, ch. 3; Plamondon et al. 2002, ch. 3).

    P = clip(a x min(n, n_max) x W x f, P_min, P_max) if n >= n_qual else 0;  grant = g x n x W if n < n_qual
"""

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.pensions import (
    BenefitRules,
    indexation_share,
    lump_sum_grant,
    old_age_pension,
    reference_wage,
    retirement_adjustment,
)


def test_reference_wage_final_and_career_by_hand():
    history = [1000.0, 1100.0, 1210.0, 1331.0, 1464.1]          # wages growing 10% a year
    # final 3 years: (1210 + 1331 + 1464.1) / 3 = 4005.1 / 3 = 1335.0333...
    assert reference_wage(history, years=3) == pytest.approx(4005.1 / 3)
    # a history shorter than the window: the average of what there is
    assert reference_wage([1000.0, 2000.0], years=5) == pytest.approx(1500.0)
    # career average revalued with wages to the last year: every year becomes 1464.1
    revaluation = 1464.1 / np.array(history)
    assert reference_wage(history, method="career", revaluation=revaluation) == pytest.approx(1464.1)
    # career average without revaluation: 6105.1 / 5 = 1221.02
    assert reference_wage(history, method="career") == pytest.approx(1221.02)
    # a batch of members, one history each
    np.testing.assert_allclose(reference_wage([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], years=2), [2.5, 5.5])


def test_adjustment_by_hand():
    # 3 years early at 6% a year: 1 - 0.18 = 0.82; 2 years late at 5%: 1.10; never negative
    np.testing.assert_allclose(retirement_adjustment([62, 65, 67], 65, early_reduction=0.06, late_increment=0.05),
                               [0.82, 1.0, 1.10])
    assert retirement_adjustment(40, 65, early_reduction=0.06) == 0.0


def test_old_age_pension_by_hand():
    # accrual 1.5%, reference wage 20,000:
    #   35 years -> 0.015 x 35 x 20,000 = 10,500, capped at 10,000
    #   20 years -> 6,000; retiring 2 years early at 6%: 6,000 x 0.88 = 5,280
    #   16 years -> 4,800, below the minimum 5,000 -> 5,000
    #   14 years -> no pension (qualifying period 15)
    pensions = old_age_pension([35, 20, 16, 14], 20_000.0, accrual_rate=0.015, minimum_years=15,
                               minimum_pension=5_000.0, maximum_pension=10_000.0)
    np.testing.assert_allclose(pensions, [10_000.0, 6_000.0, 5_000.0, 0.0])
    early = old_age_pension(20, 20_000.0, accrual_rate=0.015, adjustment=0.88)
    assert early == pytest.approx(5_280.0)
    # the floor applies after the early reduction: 16 years early -> 4,800 x 0.88 = 4,224 -> 5,000
    assert old_age_pension(16, 20_000.0, accrual_rate=0.015, minimum_pension=5_000.0, adjustment=0.88) == 5_000.0
    # accrual stops at 40 years: 45 years at 2% = 80%
    assert old_age_pension(45, 1000.0, accrual_rate=0.02, maximum_years=40) == pytest.approx(800.0)


def test_grant_by_hand():
    # grant of 8% of the reference wage per year of service: 10 years x 0.08 x 15,000 = 12,000
    np.testing.assert_allclose(lump_sum_grant([10, 15, 0], 15_000.0, grant_rate=0.08, minimum_years=15),
                               [12_000.0, 0.0, 0.0])


@given(st.floats(0, 60), st.floats(0, 1e6), st.floats(0, 0.05), st.floats(0, 40))
def test_pension_or_grant_never_both(service, wage, accrual, qualifying):
    pension = old_age_pension(service, wage, accrual_rate=accrual, minimum_years=qualifying)
    grant = lump_sum_grant(service, wage, grant_rate=0.1, minimum_years=qualifying)
    assert pension == 0 or grant == 0
    assert pension >= 0 and grant >= 0


def test_rules_and_their_pension():
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, normal_retirement_age=65, early_reduction=0.05,
                         minimum_pension=3000.0)
    # 30 years x 2% x 12,000 = 7,200; at 63 (2 years early) x 0.90 = 6,480
    assert rules.old_age_pension(30, 12_000.0) == pytest.approx(7_200.0)
    assert rules.old_age_pension(30, 12_000.0, age=63) == pytest.approx(6_480.0)
    reform = rules.replace(accrual_rate=0.015)
    assert reform.old_age_pension(30, 12_000.0) == pytest.approx(5_400.0)
    assert rules.accrual_rate == 0.02
    assert indexation_share("prices") == 0.0 and indexation_share("wages") == 1.0 and indexation_share(0.5) == 0.5


def test_bad_input_messages():
    with pytest.raises(ValueError, match="accrual_rate has a accrual rate of -0.01"):
        BenefitRules(accrual_rate=-0.01)
    with pytest.raises(ValueError, match="reference_wage must be 'final' or 'career'"):
        BenefitRules(accrual_rate=0.02, reference_wage="best")
    with pytest.raises(ValueError, match="reference_years must be a whole number"):
        BenefitRules(accrual_rate=0.02, reference_years=0)
    with pytest.raises(ValueError, match="normal_retirement_age must hold whole ages"):
        BenefitRules(accrual_rate=0.02, normal_retirement_age=62.5)
    with pytest.raises(ValueError, match="survivor_rate has a rate of -0.5"):
        BenefitRules(accrual_rate=0.02, survivor_rate=-0.5)
    with pytest.raises(ValueError, match="indexation must be 'prices', 'wages' or a share"):
        BenefitRules(accrual_rate=0.02, indexation="gdp")
    with pytest.raises(ValueError, match="indexation has a share of wage growth of 1.5"):
        indexation_share(1.5)
    with pytest.raises(ValueError, match="service has a number of years of -1"):
        old_age_pension(-1, 1000.0, accrual_rate=0.02)
    with pytest.raises(ValueError, match="maximum_pension is below minimum_pension"):
        old_age_pension(10, 1000.0, accrual_rate=0.02, minimum_pension=500.0, maximum_pension=100.0)
    with pytest.raises(ValueError, match="wages has a wage of -5"):
        reference_wage([100.0, -5.0])
    with pytest.raises(ValueError, match="method must be 'final'"):
        reference_wage([100.0], method="best")
    with pytest.raises(ValueError, match="revaluation has 1 entries|revaluation has 2 entries"):
        reference_wage([100.0, 200.0, 300.0], method="career", revaluation=[1.0, 1.0])
    with pytest.raises(ValueError, match="early_reduction has a reduction per year of -0.06"):
        retirement_adjustment(60, 65, early_reduction=-0.06)
    with pytest.raises(ValueError, match="do not broadcast"):
        retirement_adjustment([60, 61], [65, 66, 67])


def test_docstring_examples():
    import qsp.pensions.benefits as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
