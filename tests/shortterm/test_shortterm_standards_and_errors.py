"""ILO minimum standards of short-term benefits, the articles cited, and the errors bad input gets."""

import doctest

import numpy as np
import pytest
import qsp.shortterm
from qsp.shortterm import (
    ILO_STANDARDS,
    assessment_premium,
    cash_benefit_cost,
    expected_paid_days,
    experience_rating,
    exponential_paid_days,
    ilo_standard_check,
    maternity_cost,
    paid_days,
    pension_capital_factor,
    steady_state_premium,
)

# the level, the most waiting days and the shortest allowed maximum duration, read from the Conventions
EXPECTED = {
    ("C102", "sickness"): (0.45, 3, 182, "Art. 18(1)"),
    ("C130", "sickness"): (0.60, 3, 364, "Art. 26"),
    ("C102", "unemployment"): (0.45, 7, 91, "Art. 24"),
    ("C168", "unemployment"): (0.50, 7, 182, "Art. 19"),
    ("C102", "employment_injury"): (0.50, 3, np.inf, "Art. 38"),
    ("C121", "employment_injury"): (0.60, 3, np.inf, "Schedule II"),
    ("C102", "maternity"): (0.45, 0, 84, "Art. 52"),
    ("C183", "maternity"): (2 / 3, 0, 98, "Art. 4(1)"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_standards_table(key):
    level, waiting, duration, article = EXPECTED[key]
    std = ILO_STANDARDS[key]
    assert std.minimum_rate == pytest.approx(level)
    assert std.maximum_waiting_days == waiting
    assert std.minimum_duration_days == duration
    cited = std.level_article + std.waiting_article + std.duration_article
    assert article in cited and key[0] in cited


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_requirement_is_tested_at_its_edge(key):
    convention, branch = key
    level, waiting, duration, _ = EXPECTED[key]
    at_edge = ilo_standard_check(branch, level, waiting_days=waiting, maximum_days=duration, convention=convention)
    assert bool(at_edge)
    low = ilo_standard_check(branch, level - 0.01, waiting_days=waiting, maximum_days=duration, convention=convention)
    assert not low and not low.meets_level and low.meets_waiting and low.meets_duration
    assert low.shortfall == pytest.approx(0.01)
    assert "below" in low.messages[0] and ILO_STANDARDS[key].level_article in low.messages[0]
    late = ilo_standard_check(branch, level, waiting_days=waiting + 1, maximum_days=duration, convention=convention)
    assert not late.meets_waiting and "exceeds" in late.messages[1]
    short = ilo_standard_check(branch, level, waiting_days=waiting,
                               maximum_days=(duration - 1) if np.isfinite(duration) else 365, convention=convention)
    assert not short.meets_duration and "shorter than" in short.messages[2]


def test_c102_sickness_scheme_in_words():
    # 50% after 3 waiting days for 26 weeks meets C102 but not C130 (60%, 52 weeks)
    c102 = ilo_standard_check("sickness", 0.5, waiting_days=3, maximum_days=182)
    assert bool(c102)
    c130 = ilo_standard_check("sickness", 0.5, waiting_days=3, maximum_days=182, convention="C130")
    assert not c130
    assert "10.0 percentage points short of the minimum 60.0%" in c130.message
    assert "C130 Art. 26 (may be limited to 52 weeks" in c130.message


def test_batch_check():
    rates = np.array([0.4, 0.5, 0.7])
    check = ilo_standard_check("unemployment", rates, waiting_days=7, maximum_days=182, convention="C168")
    assert check.meets.tolist() == [False, True, True]
    assert "2 of 3 cases" in check.messages[0] and "index (0,)" in check.message


def test_module_doctests():
    for name in ("benefits", "premium", "standards"):
        module = __import__(f"qsp.shortterm.{name}", fromlist=[name])
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, name


def test_public_names_resolve():
    for name in qsp.shortterm.__all__:
        assert getattr(qsp.shortterm, name) is not None


# ----------------------------------------------------------------------------- errors that teach


@pytest.mark.parametrize(("call", "text"), [
    (lambda: ilo_standard_check("pensions", 0.5), "branch must be one of"),
    (lambda: ilo_standard_check("sickness", 0.5, convention="C183"), "choose one of ['C102', 'C130']"),
    (lambda: ilo_standard_check("sickness", -0.1), "must be at least 0"),
    (lambda: ilo_standard_check("sickness", 0.5, maximum_days=np.nan), "pass np.inf"),
    (lambda: paid_days([5, -1]), "duration has a spell duration (days) of -1 at group 1"),
    (lambda: expected_paid_days([5, 10], [0.5, 0.6]), "sum to 1"),
    (lambda: expected_paid_days(5, 1.0), "last axis of duration classes"),
    (lambda: exponential_paid_days(0.0), "greater than 0"),
    (lambda: cash_benefit_cost([100], [1000], 0.5, 10, 60), "Replacement rates are fractions"),
    (lambda: cash_benefit_cost([100, 200], [1000, 2000, 3000], 0.5, 10, 0.6), "do not broadcast"),
    (lambda: cash_benefit_cost([0.0], [1000], 0.5, 10, 0.6), "contribution base"),
    (lambda: cash_benefit_cost(100, 1000, 0.5, 10, 0.6), "last axis of groups"),
    (lambda: cash_benefit_cost([100], [np.nan], 0.5, 10, 0.6), "missing or infinite"),
    (lambda: cash_benefit_cost([100], [1000], 0.5, 10, 0.6, days_per_year=0), "days_per_year"),
    (lambda: maternity_cost(np.ones(3), np.ones(3), [0.1]), "sex axis of length 2"),
    (lambda: pension_capital_factor(np.full(5, 0.1), [7], interest_rate=0.03), "whole ages between 0 and 4"),
    (lambda: steady_state_premium(0.02, reserve_ratio=-1, interest_rate=0.03, growth=0.02), "six months"),
    (lambda: assessment_premium([1.0], [0.0], reserve_ratio=0.5, interest_rate=0.0), "greater than 0"),
    (lambda: assessment_premium([1.0], [1.0], reserve_ratio=0.5, interest_rate=0.0, build_up_years=0),
     "build_up_years"),
    (lambda: experience_rating([1.0, 2.0], [1.0, 1.0], [-5, 1]), "number of claims"),
    (lambda: assessment_premium([1.0, 1.0], [1.0, 1.0], reserve_ratio=0.5, interest_rate=[0.1, 0.2, 0.3]),
     "as a column (k, 1)"),
])
def test_bad_input_gets_a_clear_error(call, text):
    with pytest.raises(ValueError) as error:
        call()
    assert text in str(error.value)


@pytest.mark.parametrize(("call", "text"), [
    (lambda: paid_days(10, maximum_days=np.nan), "maximum_days contains NaN"),
    (lambda: exponential_paid_days(10.0, maximum_days=np.nan), "maximum_days contains NaN"),
    (lambda: expected_paid_days([5, 10], [0.5, 0.5], maximum_days=np.nan), "maximum_days contains NaN"),
    (lambda: cash_benefit_cost([100], [1000], 0.5, 10, 0.6, ceiling=np.nan), "ceiling contains NaN"),
    (lambda: cash_benefit_cost([100], [1000], 0.5, 10, 0.6, contribution_ceiling=np.nan), "contribution_ceiling"),
    (lambda: cash_benefit_cost([100], [1000], 0.5, 10, 0.6, ceiling=0.0), "greater than 0"),
])
def test_limits_may_be_infinite_but_not_missing(call, text):
    with pytest.raises(ValueError) as error:
        call()
    assert text in str(error.value)
    # and infinite limits are the defaults that work
    assert float(paid_days(10, maximum_days=np.inf)) == 10.0
