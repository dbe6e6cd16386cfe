"""Fertility indices, model schedules, single years from 5-year groups, sex ratio at birth.

Definitions: Preston, Heuveline & Guillot (2001), *Demography*, ch. 5 (TFR = sum f_x n_x; mean
age at childbearing with births at mid-interval). Hadwiger function in the form of Chandola,
Coleman & Hiorns (1999), *Population Studies* 53(3), 317-329; gamma schedule of Hoem et al.
(1981), *Demography* 18(2), 231-244.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import (
    DEFAULT_SRB,
    asfr_single_from_groups,
    female_share_of_births,
    gamma_schedule,
    graduate,
    hadwiger,
    mean_age_at_childbearing,
    scale_to_tfr,
    srb_from_births,
    tfr,
)
from scipy import stats

ASFR5 = np.array([0.030, 0.120, 0.130, 0.090, 0.045, 0.015, 0.002])  # 15-19, ..., 45-49
AGES5 = np.arange(15, 50, 5)


# ---------------------------------------------------------------------------------------------
# TFR and mean age
# ---------------------------------------------------------------------------------------------
def test_tfr_of_five_year_rates_is_five_times_their_sum():
    # 5 * (0.03 + 0.12 + 0.13 + 0.09 + 0.045 + 0.015 + 0.002) = 5 * 0.432 = 2.16 children
    assert tfr(ASFR5, width=5) == pytest.approx(2.16, rel=1e-14)
    assert tfr(ASFR5, ages=AGES5) == pytest.approx(2.16, rel=1e-14)


def test_tfr_of_single_year_rates_is_their_sum():
    rates = np.zeros(101)
    rates[20:30] = 0.2
    assert tfr(rates) == pytest.approx(2.0, rel=1e-14)


def test_mean_age_places_births_at_the_middle_of_each_interval():
    # one 5-year group 25-29: all births at 27.5; single age 27: at 27.5
    assert mean_age_at_childbearing([0.1], ages=[25], width=5) == pytest.approx(27.5)
    single = np.zeros(101)
    single[27] = 0.3
    assert mean_age_at_childbearing(single) == pytest.approx(27.5)
    # hand computation for ASFR5: sum (x + 2.5) f / sum f
    expected = ((AGES5 + 2.5) * ASFR5).sum() / ASFR5.sum()
    assert mean_age_at_childbearing(ASFR5, ages=AGES5) == pytest.approx(expected, rel=1e-14)
    assert expected == pytest.approx(28.1134259, abs=1e-6)


def test_indices_work_over_a_batch():
    batch = np.stack([ASFR5, 2 * ASFR5, ASFR5[::-1]])
    np.testing.assert_allclose(tfr(batch, width=5), [2.16, 4.32, 2.16])
    means = mean_age_at_childbearing(batch, ages=AGES5)
    assert means.shape == (3,)
    assert means[0] == pytest.approx(means[1])


def test_scale_to_tfr_keeps_the_age_pattern():
    scaled = scale_to_tfr(ASFR5, [1.5, 3.0], width=5)
    np.testing.assert_allclose(tfr(scaled, width=5), [1.5, 3.0], rtol=1e-14)
    np.testing.assert_allclose(scaled / ASFR5, np.broadcast_to(np.array([[1.5], [3.0]]) / 2.16, (2, 7)), rtol=1e-14)


# ---------------------------------------------------------------------------------------------
# model schedules
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model", [hadwiger, gamma_schedule])
@given(target_tfr=st.floats(0.5, 8.0), target_mean=st.floats(22.0, 36.0), sd=st.floats(3.0, 8.0))
def test_model_schedules_hit_the_targets_exactly(model, target_tfr, target_mean, sd):
    rates = model(tfr=target_tfr, mean_age=target_mean, sd=sd)
    assert rates.shape == (101,)
    assert np.all(rates >= 0)
    assert np.all(rates[:12] == 0) and np.all(rates[53:] == 0)
    assert tfr(rates) == pytest.approx(target_tfr, rel=1e-12)
    assert abs(mean_age_at_childbearing(rates) - target_mean) <= 1e-9


def test_hadwiger_has_the_hadwiger_form_with_the_requested_spread():
    # log f(x) = const - 1.5 log x - b^2 c / x - (b^2 / c) x at the mid-year ages x
    rates = hadwiger(tfr=2.0, mean_age=29.0, sd=5.5)
    mid = np.arange(12, 53) + 0.5
    design = np.column_stack([np.ones_like(mid), np.log(mid), 1 / mid, mid])
    coef, *_ = np.linalg.lstsq(design, np.log(rates[12:53]), rcond=None)
    np.testing.assert_allclose(design @ coef, np.log(rates[12:53]), atol=1e-9)
    assert coef[1] == pytest.approx(-1.5, abs=1e-6)
    c = np.sqrt(coef[2] / coef[3])
    b = np.sqrt(np.sqrt(coef[2] * coef[3]))
    assert c / (b * np.sqrt(2)) == pytest.approx(5.5, rel=1e-6)  # the continuous sd
    # the same shape as an inverse Gaussian density with mean c and shape 2 b^2 c (scipy)
    shape = 2 * b * b * c
    density = stats.invgauss.pdf(mid, mu=c / shape, scale=shape)
    np.testing.assert_allclose(rates[12:53] / rates[12:53].sum(), density / density.sum(), rtol=1e-6)


def test_gamma_schedule_is_a_gamma_density_from_min_age():
    rates = gamma_schedule(tfr=1.8, mean_age=30.0, sd=6.0, min_age=14, max_age=50)
    assert np.all(rates[:14] == 0) and np.all(rates[51:] == 0)
    mid = np.arange(14, 51) + 0.5
    design = np.column_stack([np.ones_like(mid), np.log(mid - 14), mid - 14])
    coef, *_ = np.linalg.lstsq(design, np.log(rates[14:51]), rcond=None)
    alpha, beta = coef[1] + 1, -1 / coef[2]
    assert np.sqrt(alpha) * beta == pytest.approx(6.0, rel=1e-6)
    density = stats.gamma.pdf(mid, a=alpha, loc=14, scale=beta)
    np.testing.assert_allclose(rates[14:51], 1.8 * density / density.sum(), rtol=1e-9)


@pytest.mark.parametrize("model", [hadwiger, gamma_schedule])
def test_model_schedules_broadcast_over_targets(model):
    tfrs = np.array([[1.5], [2.5], [4.0]])
    means = np.array([26.0, 28.0, 30.0, 32.0])
    rates = model(tfr=tfrs, mean_age=means, sd=5.0)
    assert rates.shape == (3, 4, 101)
    np.testing.assert_allclose(tfr(rates), np.broadcast_to(tfrs, (3, 4)), rtol=1e-12)
    np.testing.assert_allclose(mean_age_at_childbearing(rates), np.broadcast_to(means, (3, 4)), atol=1e-9)
    np.testing.assert_allclose(rates[1, 2], model(tfr=2.5, mean_age=30.0, sd=5.0)[...], rtol=1e-9, atol=1e-15)
    varied = model(tfr=2.0, mean_age=means, sd=np.array([4.0, 5.0, 6.0, 7.0]))
    np.testing.assert_allclose(mean_age_at_childbearing(varied), means, atol=1e-9)


def test_model_schedule_on_a_shorter_age_grid():
    rates = hadwiger(np.arange(10, 60), tfr=2.0, mean_age=30.0)
    assert rates.shape == (50,)
    assert mean_age_at_childbearing(rates, ages=np.arange(10, 60)) == pytest.approx(30.0, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# single years from 5-year groups
# ---------------------------------------------------------------------------------------------
@given(rates=arrays(np.float64, st.tuples(st.integers(1, 3), st.just(7)),
                    elements=st.floats(0.0, 0.4, allow_subnormal=False)),
       method=st.sampled_from(["beers", "sprague"]))
def test_single_year_rates_keep_each_groups_births(rates, method):
    single = asfr_single_from_groups(rates, method=method)
    assert single.shape == (rates.shape[0], 101)
    assert np.all(single >= 0)
    assert np.all(single[:, :15] == 0) and np.all(single[:, 50:] == 0)
    births_by_group = single[:, 15:50].reshape(-1, 7, 5).sum(axis=-1)
    np.testing.assert_allclose(births_by_group, 5 * rates, rtol=1e-9, atol=0)
    np.testing.assert_allclose(tfr(single), tfr(rates, width=5), rtol=1e-9)


def test_single_year_rates_are_the_graduated_births_with_zero_padding():
    single = asfr_single_from_groups(ASFR5)
    padded = np.concatenate([[0.0], 5 * ASFR5, [0.0]])
    np.testing.assert_allclose(single[10:55], graduate(padded, open_interval=False), rtol=1e-12)
    assert tfr(single) == pytest.approx(2.16, rel=1e-12)
    # the mean age barely moves (births spread inside each group around its middle)
    assert mean_age_at_childbearing(single) == pytest.approx(mean_age_at_childbearing(ASFR5, ages=AGES5), abs=0.05)


def test_single_year_rates_for_other_groups_and_grids():
    single = asfr_single_from_groups([0.05, 0.1, 0.08, 0.02], group_starts=(20, 25, 30, 35), omega=90)
    assert single.shape == (91,)
    np.testing.assert_allclose(single[20:40].reshape(4, 5).sum(axis=1), [0.25, 0.5, 0.4, 0.1], rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# sex ratio at birth
# ---------------------------------------------------------------------------------------------
def test_female_share_of_births():
    assert DEFAULT_SRB == 1.05
    assert female_share_of_births() == pytest.approx(1 / 2.05, rel=1e-15)  # 0.4878...
    np.testing.assert_allclose(female_share_of_births(np.array([1.0, 1.10])), [0.5, 1 / 2.1])


def test_srb_from_births():
    assert srb_from_births(10500, 10000) == pytest.approx(1.05)
    np.testing.assert_allclose(srb_from_births([106, 110], 100), [1.06, 1.10])
    assert female_share_of_births(srb_from_births(512, 488)) == pytest.approx(0.488)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_negative_and_missing_rates_are_rejected_with_their_age():
    rates = ASFR5.copy()
    rates[2] = -0.01
    with pytest.raises(ValueError, match=r"asfr has a fertility rate of -0.01 at age 25, but it must be at least 0"):
        tfr(rates, ages=AGES5)
    rates[2] = np.nan
    with pytest.raises(ValueError, match=r"asfr contains a missing or infinite fertility rate \(nan\) at age 25"):
        mean_age_at_childbearing(rates, ages=AGES5)


def test_ages_must_match_the_rates():
    with pytest.raises(ValueError, match=r"ages has 6 entries but asfr has 7 on its last \(age\) axis"):
        tfr(ASFR5, ages=AGES5[:-1])
    with pytest.raises(ValueError, match=r"width must be a positive number of years, got 0"):
        tfr(ASFR5, width=0)


def test_mean_age_of_a_schedule_without_births_is_undefined():
    with pytest.raises(ValueError, match=r"asfr has no births \(all rates zero\) at batch index \(1,\)"):
        mean_age_at_childbearing(np.stack([ASFR5, np.zeros(7)]), ages=AGES5)


def test_scale_to_tfr_rejects_bad_targets_and_empty_schedules():
    with pytest.raises(ValueError, match=r"tfr has a target total fertility rate of 0.* must be greater than 0"):
        scale_to_tfr(ASFR5, 0.0, width=5)
    with pytest.raises(ValueError, match=r"asfr is zero at every age"):
        scale_to_tfr(np.zeros(7), 2.0, width=5)


@pytest.mark.parametrize("model", [hadwiger, gamma_schedule])
def test_model_schedules_reject_bad_targets(model):
    with pytest.raises(ValueError, match=r"tfr has a target total fertility rate of -1"):
        model(tfr=-1.0, mean_age=28.0)
    with pytest.raises(ValueError, match=r"mean_age of 60 at the scalar value lies outside the childbearing span: it must be between 12.5 and 52.5"):
        model(tfr=2.0, mean_age=60.0)
    with pytest.raises(ValueError, match=r"mean_age of 55 at batch index \(1,\) lies outside"):
        model(tfr=2.0, mean_age=[28.0, 55.0])
    with pytest.raises(ValueError, match=r"sd has a standard deviation \(years\) of 0"):
        model(tfr=2.0, mean_age=28.0, sd=0.0)
    with pytest.raises(ValueError, match=r"mean_age contains a missing or infinite mean age at childbearing \(nan\)"):
        model(tfr=2.0, mean_age=np.nan)


@pytest.mark.parametrize("model", [hadwiger, gamma_schedule])
def test_unreachable_mean_ages_are_explained(model):
    with pytest.raises(ValueError, match=r"mean_age of 13 with sd 8 at the scalar value cannot be reached.* on ages 12..52 \(reachable: about"):
        model(tfr=2.0, mean_age=13.0, sd=8.0)


def test_model_schedules_need_consecutive_single_ages_covering_the_span():
    with pytest.raises(ValueError, match=r"ages must be consecutive single years of age"):
        hadwiger(np.arange(0, 101, 5), tfr=2.0, mean_age=28.0)
    with pytest.raises(ValueError, match=r"the childbearing span 12..52 must lie inside ages 15..49"):
        gamma_schedule(np.arange(15, 50), tfr=2.0, mean_age=28.0)
    with pytest.raises(ValueError, match=r"min_age \(40\) must be below max_age \(30\)"):
        hadwiger(tfr=2.0, mean_age=35.0, min_age=40, max_age=30)


def test_single_year_rates_reject_bad_groups():
    with pytest.raises(ValueError, match=r"asfr5 has shape \(6,\), but group_starts lists 7 groups"):
        asfr_single_from_groups(ASFR5[:6])
    with pytest.raises(ValueError, match=r"group_starts must be at least 3 consecutive 5-year start ages"):
        asfr_single_from_groups(ASFR5[:3], group_starts=(15, 20, 30))
    with pytest.raises(ValueError, match=r"leave no room for a zero padding group.* the first start must be at least 5"):
        asfr_single_from_groups(ASFR5[:3], group_starts=(0, 5, 10))
    with pytest.raises(ValueError, match=r"asfr5 has a fertility rate of -0.1 at age 20"):
        asfr_single_from_groups([0.1, -0.1, 0.1], group_starts=(15, 20, 25))
    with pytest.raises(ValueError, match=r"method must be one of"):
        asfr_single_from_groups(ASFR5, method="linear")


def test_sex_ratio_inputs_are_checked():
    with pytest.raises(ValueError, match=r"srb of 105 is implausible.* give 1.05"):
        female_share_of_births(105)
    with pytest.raises(ValueError, match=r"srb has a sex ratio at birth of 0"):
        female_share_of_births(0.0)
    with pytest.raises(ValueError, match=r"female has a birth count of 0.* needs at least one female birth"):
        srb_from_births(10, 0)
