"""Rogers-Castro model migration schedule and the split of net migration by sex and age.

Model and "fundamental" parameters: Rogers, A. and Castro, L. J. (1981), *Model Migration
Schedules*, IIASA RR-81-030 (a1 = 0.02, alpha1 = 0.1, a2 = 0.06, alpha2 = 0.1, mu2 = 20,
lambda2 = 0.4, c = 0.003, as tabulated in migest ``rc9.fund`` and DemoTools ``rc_model_fund``).
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import ROGERS_CASTRO_STANDARD, distribute_net_migration, rogers_castro


# ---------------------------------------------------------------------------------------------
# the schedule
# ---------------------------------------------------------------------------------------------
def test_raw_schedule_follows_the_rogers_castro_formula():
    raw = rogers_castro(normalize=False)
    # m(20) = a1 e^{-20 alpha1} + a2 e^{0 - e^0} + c = 0.02 e^-2 + 0.06 e^-1 + 0.003
    assert raw[20] == pytest.approx(0.02 * math.exp(-2) + 0.06 * math.exp(-1) + 0.003, rel=1e-14)
    # m(0) = a1 + a2 exp(alpha2 mu2 - exp(lambda2 mu2)) + c
    assert raw[0] == pytest.approx(0.02 + 0.06 * math.exp(2 - math.exp(8)) + 0.003, rel=1e-14)


def test_standard_schedule_sums_to_one_and_peaks_at_young_adult_ages():
    schedule = rogers_castro()
    assert schedule.shape == (101,)
    assert schedule.sum() == pytest.approx(1.0, rel=1e-14)
    assert np.all(schedule > 0)
    # labour-force peak at mu2 + ln(lambda2 / alpha2) / lambda2 = 20 + ln 4 / 0.4 = 23.47
    assert int(schedule.argmax()) == 23
    assert 20 <= int(schedule[15:].argmax()) + 15 <= 25
    # children move with their parents: the childhood curve falls from age 0 to the teens
    assert np.all(np.diff(schedule[:12]) < 0)


def test_retirement_and_elderly_components():
    params = {**ROGERS_CASTRO_STANDARD, "a3": 0.0005, "alpha3": 0.8, "mu3": 65.0, "lambda3": 0.5}
    with_hump = rogers_castro(params=params, normalize=False)
    base = rogers_castro(normalize=False)
    hump = with_hump - base
    assert 60 <= int(hump.argmax()) <= 70  # peak of the retirement hump near mu3
    elderly = rogers_castro(params={**ROGERS_CASTRO_STANDARD, "a4": 1e-6, "lambda4": 0.1}, normalize=False)
    np.testing.assert_allclose(elderly - base, 1e-6 * np.exp(0.1 * np.arange(101)), rtol=1e-9)
    thirteen = rogers_castro(params={**params, "a4": 1e-6, "lambda4": 0.1})
    assert thirteen.sum() == pytest.approx(1.0)


def test_parameters_broadcast_to_a_batch_of_schedules():
    schedules = rogers_castro(params={**ROGERS_CASTRO_STANDARD, "mu2": np.array([18.0, 22.0, 26.0])})
    assert schedules.shape == (3, 101)
    np.testing.assert_allclose(schedules.sum(axis=-1), 1.0, rtol=1e-14)
    assert list(schedules.argmax(axis=-1)) == [21, 25, 29]


def test_schedule_on_another_grid():
    schedule = rogers_castro(np.arange(86))
    assert schedule.shape == (86,)
    assert schedule.sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# distributing net migration
# ---------------------------------------------------------------------------------------------
@given(totals=arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 5)),
                     elements=st.floats(-1e7, 1e7, allow_subnormal=False)),
       share_male=st.floats(0.0, 1.0))
def test_distributed_migrants_add_up_to_the_totals(totals, share_male):
    migrants = distribute_net_migration(totals, sex_share_male=share_male)
    assert migrants.shape == (*totals.shape, 2, 101)
    np.testing.assert_allclose(migrants.sum(axis=(-2, -1)), totals, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(migrants[..., 1, :].sum(axis=-1), share_male * totals, rtol=1e-12, atol=1e-6)
    # every count has the sign of its total (emigration stays emigration)
    assert np.all(migrants * totals[..., None, None] >= 0)


def test_negative_totals_are_net_emigration():
    migrants = distribute_net_migration(-10000.0, sex_share_male=0.6)
    assert migrants.shape == (2, 101)
    assert migrants.sum() == pytest.approx(-10000.0, rel=1e-14)
    assert migrants[1].sum() == pytest.approx(-6000.0, rel=1e-14)
    np.testing.assert_allclose(migrants[0] / migrants[0].sum(), rogers_castro(), rtol=1e-14)


def test_custom_schedules_by_sex_and_by_scenario():
    ages = np.arange(101)
    female = np.exp(-0.5 * ((ages - 25) / 5.0) ** 2)
    male = np.exp(-0.5 * ((ages - 28) / 6.0) ** 2)
    migrants = distribute_net_migration([1000.0, 2000.0], schedule=np.stack([female, male]), sex_share_male=0.5)
    assert migrants.shape == (2, 2, 101)
    np.testing.assert_allclose(migrants[1, 0], 1000.0 * female / female.sum(), rtol=1e-14)
    np.testing.assert_allclose(migrants[0, 1], 500.0 * male / male.sum(), rtol=1e-14)
    # scenario-specific patterns for (scenario, year) totals: schedule (scenario, 1, sex, age)
    patterns = rogers_castro(params={**ROGERS_CASTRO_STANDARD, "mu2": np.array([18.0, 24.0])})
    schedule = np.broadcast_to(patterns[:, None, None, :], (2, 1, 2, 101))
    totals = np.array([[100.0, 200.0, 300.0], [-50.0, 0.0, 50.0]])
    migrants = distribute_net_migration(totals, schedule=schedule, sex_share_male=[0.5, 0.5, 0.6])
    assert migrants.shape == (2, 3, 2, 101)
    np.testing.assert_allclose(migrants.sum(axis=(-2, -1)), totals, atol=1e-9)
    np.testing.assert_allclose(migrants[1, 2, 0], 50.0 * 0.4 * patterns[1], rtol=1e-12)  # women: 1 - 0.6


def test_default_schedule_follows_omega():
    assert distribute_net_migration(100.0, omega=85).shape == (2, 86)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_unknown_and_incomplete_parameters_are_named():
    with pytest.raises(ValueError, match=r"params has unknown Rogers-Castro parameter\(s\) \['mu1'\]"):
        rogers_castro(params={**ROGERS_CASTRO_STANDARD, "mu1": 3.0})
    with pytest.raises(ValueError, match=r"incomplete retirement component: missing \['alpha3', 'mu3', 'lambda3'\]"):
        rogers_castro(params={**ROGERS_CASTRO_STANDARD, "a3": 0.001})
    incomplete = {k: v for k, v in ROGERS_CASTRO_STANDARD.items() if k != "lambda2"}
    with pytest.raises(ValueError, match=r"incomplete labour force component: missing \['lambda2'\]"):
        rogers_castro(params=incomplete)
    with pytest.raises(ValueError, match=r"params must be a mapping"):
        rogers_castro(params=[0.02, 0.1])


def test_negative_parameters_and_empty_schedules_are_rejected():
    with pytest.raises(ValueError, match=r"params\['a1'\] has a parameter value of -0.02.* must be at least 0"):
        rogers_castro(params={**ROGERS_CASTRO_STANDARD, "a1": -0.02})
    zero = {**ROGERS_CASTRO_STANDARD, "a1": 0.0, "a2": 0.0, "c": 0.0}
    with pytest.raises(ValueError, match=r"the Rogers-Castro schedule is zero at every age"):
        rogers_castro(params=zero)


def test_bad_totals_and_shares_are_rejected():
    with pytest.raises(ValueError, match=r"total contains a missing or infinite net migration total \(nan\) at year index 1"):
        distribute_net_migration([100.0, np.nan])
    with pytest.raises(ValueError, match=r"sex_share_male has a share of men of 55.* at most 1.*not a percentage"):
        distribute_net_migration(100.0, sex_share_male=55)


def test_bad_schedules_are_rejected():
    bad = rogers_castro().copy()
    bad[30] = -0.01
    with pytest.raises(ValueError, match=r"schedule has a schedule value of -0.01 at age 30.*put the sign in total"):
        distribute_net_migration(100.0, schedule=bad)
    with pytest.raises(ValueError, match=r"schedule is zero at every age at sex 1 \(male\)"):
        distribute_net_migration(100.0, schedule=np.stack([np.ones(101), np.zeros(101)]))
    with pytest.raises(ValueError, match=r"schedule has 101 ages on its last axis but ages has 86"):
        distribute_net_migration(100.0, schedule=np.ones(101), ages=np.arange(86))
    with pytest.raises(ValueError, match=r"sex axis of length 2"):
        distribute_net_migration(100.0, schedule=np.ones((3, 101)))
    with pytest.raises(ValueError, match=r"ages must be single years 0, 1, 2, ... for the default Rogers-Castro schedule"):
        distribute_net_migration(100.0, ages=[0, 1, 5, 10, 15])
