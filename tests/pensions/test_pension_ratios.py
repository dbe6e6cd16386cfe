"""Ratios of a pension scheme and the ILO Convention No. 102 old-age benchmark.

C102 (1952), Part V Art. 28-29 and the Schedule to Part XI: 40% of the reference wage for the
standard beneficiary (man with wife of pensionable age) after 30 years of contribution or
employment; a reduced benefit after 15 years (Art. 29(2)); proportional reduction (Art. 29(4)).
"""

import numpy as np
import pytest
from qsp.pensions import (
    benefit_ratio,
    c102_old_age_check,
    demographic_dependency_ratio,
    funding_ratio,
    payg_cost_rate,
    replacement_rate,
    reserve_ratio,
    system_dependency_ratio,
)


def test_ratios_by_hand():
    assert reserve_ratio(300.0, 100.0) == pytest.approx(3.0)             # 300 / 100 = 3 years
    assert funding_ratio(80.0, 100.0) == pytest.approx(0.8)              # 80 / 100
    assert demographic_dependency_ratio(20.0, 80.0) == pytest.approx(0.25)  # 20 aged 65+ per 80 aged 15-64
    assert system_dependency_ratio(10.0, 50.0) == pytest.approx(0.2)     # 10 pensioners per 50 contributors
    assert replacement_rate(400.0, 1000.0) == pytest.approx(0.4)
    assert benefit_ratio(300.0, 1000.0) == pytest.approx(0.3)            # 300 / 1000
    assert np.ndim(benefit_ratio(300.0, 1000.0)) == 0


def test_payg_cost_rate_is_benefit_ratio_times_system_dependency_ratio():
    # 10 pensioners at 300 and 50 contributors at 1000: B = 3000, S = 50000, P = 0.06
    #   = (300 / 1000) x (10 / 50) = 0.3 x 0.2 = 0.06
    pensioners = np.array([10.0, 12.0, 15.0])
    contributors = np.array([50.0, 51.0, 52.0])
    pension = np.array([300.0, 310.0, 320.0])
    wage = np.array([1000.0, 1030.0, 1061.0])
    payg = payg_cost_rate(pensioners * pension, contributors * wage)
    assert payg[0] == pytest.approx(0.06)
    np.testing.assert_allclose(payg, benefit_ratio(pension, wage) * system_dependency_ratio(pensioners, contributors),
                               rtol=1e-14)


def test_ratios_broadcast_over_a_batch_with_time_last():
    reserve = np.array([[100.0, 120.0], [50.0, 40.0]])      # 2 scenarios x 2 years
    expenditure = np.array([50.0, 60.0])                     # shared
    np.testing.assert_allclose(reserve_ratio(reserve, expenditure), [[2.0, 2.0], [1.0, 40 / 60]])
    with pytest.raises(ValueError, match=r"reserve \(shape \(2, 2\)\) and expenditure \(shape \(3,\)\) do not broadcast"):
        reserve_ratio(reserve, [1.0, 2.0, 3.0])


def test_c102_full_benefit_after_30_years():
    # 35% after 30 years: below the 40% minimum by 5 percentage points
    below = c102_old_age_check(0.35)
    assert not below.meets and not bool(below)
    assert below.required_rate == pytest.approx(0.40)
    assert below.shortfall == pytest.approx(0.05)
    assert below.message.startswith("Below ILO C102")
    assert "5.0 percentage points" in below.message
    assert "man with a wife of pensionable age" in below.message
    # 40% exactly meets it; 45% after 35 years also (the requirement does not rise after 30 years)
    assert c102_old_age_check(0.40).meets
    above = c102_old_age_check(0.45, years_of_contribution=35)
    assert above.meets and above.required_rate == pytest.approx(0.40) and above.shortfall == 0
    assert above.message.startswith("Meets ILO C102")


def test_c102_reduced_benefit_between_15_and_30_years():
    # 20 years: benchmark 40% x 20/30 = 26.67%; 25% falls 1.67 points short, 30% meets it
    short = c102_old_age_check(0.25, years_of_contribution=20)
    assert short.required_rate == pytest.approx(0.4 * 20 / 30)
    assert short.shortfall == pytest.approx(0.4 * 20 / 30 - 0.25)
    assert not short.meets
    assert "reduced pension" in short.message and "1.7 percentage points" in short.message
    assert c102_old_age_check(0.30, years_of_contribution=20).meets
    # 15 years: 40% x 15/30 = 20%
    assert c102_old_age_check(0.2, years_of_contribution=15).required_rate == pytest.approx(0.20)


def test_c102_no_benefit_required_under_15_years():
    result = c102_old_age_check(0.05, years_of_contribution=10)
    assert not result.benefit_required
    assert result.required_rate == 0 and result.meets
    assert "does not yet require" in result.message


def test_c102_batch_and_c128():
    rates = np.array([0.30, 0.42, 0.38])
    result = c102_old_age_check(rates, years_of_contribution=np.array([30, 30, 20]))
    np.testing.assert_array_equal(result.meets, [False, True, True])   # 0.38 >= 0.2667 after 20 years
    np.testing.assert_allclose(result.shortfall, [0.10, 0.0, 0.0], atol=1e-15)
    assert result.message.startswith("2 of 3 cases meet the ILO C102")
    assert "index (0,)" in result.message
    c128 = c102_old_age_check(0.42, minimum_rate=0.45)
    assert not c128.meets and c128.message.startswith("Below ILO C128")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: c102_old_age_check(np.nan), r"replacement_rate contains a missing or infinite"),
        (lambda: c102_old_age_check(-0.1), r"replacement_rate has a replacement rate of -0.1.* at least 0"),
        (lambda: c102_old_age_check(0.4, years_of_contribution=-1), r"years_of_contribution has a number of years"),
        (lambda: c102_old_age_check(0.4, minimum_rate=40), r"minimum_rate.* at most 1.*0.40 for 40%"),
        (lambda: c102_old_age_check([0.4, 0.3], years_of_contribution=[30, 20, 10]), r"do not broadcast"),
        (lambda: funding_ratio(80.0, 0.0), r"liabilities has a liability of 0.* greater than 0"),
        (lambda: system_dependency_ratio([10.0, -1.0], [50.0, 50.0]),
         r"pensioners has a number of pensioners of -1 at year index 1"),
        (lambda: system_dependency_ratio(10.0, np.nan), r"contributors contains a missing or infinite"),
        (lambda: reserve_ratio([1.0, 2.0], [1.0, 0.0]), r"expenditure has a total expenditure of 0 at year index 1, but it must be greater than 0"),
        (lambda: replacement_rate(400.0, -5.0), r"reference_wage has a wage of -5"),
        (lambda: benefit_ratio(-1.0, 100.0), r"average_pension has a mean pension of -1"),
        (lambda: demographic_dependency_ratio(5.0, 0.0), r"working_age_population.* greater than 0"),
    ],
)
def test_bad_input_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
