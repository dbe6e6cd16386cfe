"""Bad input to the financing kernels gives a ValueError naming the argument, the problem and where."""

import numpy as np
import pytest
from qsp.pensions import (
    actuarial_balance,
    general_average_premium,
    payg_cost_rate,
    project_reserve,
    scaled_premium,
)

B = [10.0, 12.0, 15.0]
S = [100.0, 110.0, 120.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # negative earnings, with the position
        (lambda: payg_cost_rate(B, [100.0, -5.0, 120.0]),
         r"insurable_earnings has a value of -5 at year index 1, but it must be at least 0"),
        (lambda: payg_cost_rate([B, B], [S, [100.0, 110.0, -1.0]]),
         r"insurable_earnings has a value of -1 at batch index \(1,\), year index 2"),
        # zero earnings where dividing
        (lambda: payg_cost_rate(B, [100.0, 0.0, 120.0]),
         r"insurable_earnings is 0 at year index 1 \(projection year t = 2\).*divides expenditure by it"),
        (lambda: general_average_premium(B, [0.0, 0.0, 0.0], interest_rate=0.03),
         r"insurable_earnings are zero in every year"),
        (lambda: general_average_premium([B, B], [S, [0.0, 0.0, 0.0]], interest_rate=0.03),
         r"insurable_earnings are zero in every year for batch index \(1,\)"),
        # NaN
        (lambda: payg_cost_rate([10.0, np.nan, 15.0], S),
         r"expenditure contains a missing or infinite value \(nan\) at year index 1"),
        (lambda: general_average_premium(B, S, interest_rate=[0.03, np.nan, 0.03]),
         r"interest_rate contains a missing or infinite rate"),
        (lambda: project_reserve(B, B, interest_rate=0.03, initial_reserve=np.nan),
         r"initial_reserve contains a missing or infinite initial reserve"),
        # interest rate <= -1
        (lambda: general_average_premium(B, S, interest_rate=-1.0),
         r"interest_rate has a rate of -1.* greater than -1\. Interest rates are fractions"),
        (lambda: project_reserve(B, B, interest_rate=[0.03, 0.03, -1.5], initial_reserve=0.0),
         r"interest_rate has a rate of -1.5 at year index 2"),
        # mismatched time axes: which argument, which lengths
        (lambda: payg_cost_rate(B, S[:2]),
         r"expenditure covers 3 years but insurable_earnings covers 2 years"),
        (lambda: project_reserve(B, B, admin_cost=[1.0, 1.0], interest_rate=0.0, initial_reserve=0.0),
         r"contributions covers 3 years but admin_cost covers 2 years"),
        (lambda: general_average_premium(B, S, interest_rate=[0.03, 0.04]),
         r"interest_rate has 2 entries on its last \(time\) axis.* the series cover 3 years"),
        (lambda: payg_cost_rate(np.ones((2, 3)), np.ones((3, 3))),
         r"batch \(scenario\) axes of the arguments do not broadcast together: expenditure \(2,\), "
         r"insurable_earnings \(3,\)"),
        (lambda: general_average_premium(B, S, interest_rate=0.03, initial_reserve=[1.0, 2.0, 3.0, 4.0],
                                         final_reserve=[1.0, 2.0]),
         r"initial_reserve \(4,\), final_reserve \(2,\)"),
        # a single number where a series is needed
        (lambda: payg_cost_rate(10.0, S), r"expenditure must be a series over the projection years"),
        (lambda: payg_cost_rate(np.ones((2, 0)), np.ones((2, 0))), r"expenditure has no years"),
        # negative flows
        (lambda: project_reserve([1.0, -2.0, 3.0], B, interest_rate=0.0, initial_reserve=0.0),
         r"contributions has a contribution income of -2 at year index 1"),
        (lambda: project_reserve(B, B, admin_cost=-1.0, interest_rate=0.0, initial_reserve=0.0),
         r"admin_cost has a value of -1"),
        # conventions spelled wrongly
        (lambda: general_average_premium(B, S, interest_rate=0.03, timing="middle"),
         r"timing must be 'end'.* or 'mid'.*got 'middle'"),
        (lambda: project_reserve(B, B, interest_rate=0.0, initial_reserve=0.0, timing="begin"),
         r"timing must be 'end'"),
        # not numeric
        (lambda: payg_cost_rate(["a", "b"], [1.0, 2.0]), r"expenditure must be numeric"),
        # contribution rate in percent
        (lambda: actuarial_balance(18.0, B, S, interest_rate=0.03),
         r"contribution_rate has a contribution rate of 18.* at most 1\. Rates are fractions"),
        (lambda: actuarial_balance([0.1, 0.1], B, S, interest_rate=0.03),
         r"contribution_rate has 2 entries on its last \(time\) axis"),
    ],
)
def test_financing_bad_input_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(period_length=0), r"period_length must be a whole number of years of at least 1"),
        (dict(period_length=2.5), r"period_length must be a whole number"),
        (dict(period_length=[2, 2]), r"the period lengths \[2, 2\] add up to 4 years, but the series cover 6 years"),
        (dict(period_length=[3, 0, 3]), r"period_length must be one whole number of years, or a list"),
        (dict(criterion="reserve_ratio"), r"criterion 'reserve_ratio' needs a target: pass \('reserve_ratio', k\)"),
        (dict(criterion="level"), r"criterion must be 'non-decreasing' or \('reserve_ratio', k\)"),
        (dict(criterion=("reserve_ratio", -1.0)), r"criterion has a reserve ratio of -1"),
        (dict(check="always"), r"check must be 'period_end' or 'every_year'"),
    ],
)
def test_scaled_premium_bad_options(kwargs, message):
    arguments = dict(interest_rate=0.03, initial_reserve=0.0, period_length=3)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        scaled_premium(np.full(6, 10.0), np.full(6, 100.0), **arguments)


def test_scaled_premium_without_a_contribution_base_in_the_checked_year():
    # No interest and no earnings in the last year of the period: a higher rate cannot stop the reserve falling.
    with pytest.raises(ValueError, match=r"no scaled premium for the period of years 1-3: at year index 2 "
                                         r"\(projection year t = 3\) a higher contribution rate would not improve"):
        scaled_premium([10.0, 10.0, 10.0], [100.0, 100.0, 0.0], interest_rate=0.0, initial_reserve=0.0,
                       period_length=3)
    # With 'every_year' the failing year is named inside the period and for the right scenario.
    with pytest.raises(ValueError, match=r"period of years 4-6: at batch index \(1,\), year index 3"):
        scaled_premium(np.full((2, 6), 10.0), [[100.0] * 6, [100.0] * 3 + [0.0] * 3], interest_rate=0.0,
                       initial_reserve=0.0, period_length=3, check="every_year")
