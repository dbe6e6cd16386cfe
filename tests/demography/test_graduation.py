"""Graduation of 5-year age groups into single years (Sprague and Beers ordinary multipliers).

Published multipliers: Siegel, J. S. and Swanson, D. A. (2004), *The Methods and Materials of
Demography*, 2nd ed., Appendix C, pp. 727-729 (after Shryock & Siegel 1973); the same tables
are coded in DemoTools' ``spragueExpand()`` and ``beersExpand(method = "ord")``.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import graduate, graduation_matrix, group, multiplier_panels

PANEL_NAMES = ("first", "second", "middle", "next_to_last", "last")


# ---------------------------------------------------------------------------------------------
# the multipliers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "panel", "row", "expected"),
    [
        # Sprague multipliers (Siegel & Swanson 2004, Appendix C)
        ("sprague", "first", 0, [0.3616, -0.2768, 0.1488, -0.0336, 0.0]),
        ("sprague", "first", 4, [0.0704, 0.1968, -0.0848, 0.0176, 0.0]),
        ("sprague", "second", 2, [-0.0080, 0.2160, -0.0080, 0.0, 0.0]),
        ("sprague", "middle", 0, [-0.0128, 0.0848, 0.1504, -0.0240, 0.0016]),
        ("sprague", "middle", 2, [0.0064, -0.0336, 0.2544, -0.0336, 0.0064]),
        ("sprague", "next_to_last", 0, [0.0, -0.0144, 0.0912, 0.1408, -0.0176]),
        ("sprague", "last", 4, [0.0, -0.0336, 0.1488, -0.2768, 0.3616]),
        # Beers ordinary multipliers (Siegel & Swanson 2004, Appendix C)
        ("beers", "first", 0, [0.3333, -0.1636, -0.0210, 0.0796, -0.0283]),
        ("beers", "second", 1, [0.0093, 0.2268, -0.0402, 0.0028, 0.0013]),
        ("beers", "middle", 0, [-0.0117, 0.0804, 0.1570, -0.0284, 0.0027]),
        ("beers", "middle", 2, [0.0050, -0.0280, 0.2460, -0.0280, 0.0050]),
        ("beers", "next_to_last", 4, [0.0068, -0.0128, -0.0344, 0.2000, 0.0404]),
        ("beers", "last", 4, [-0.0283, 0.0796, -0.0210, -0.1636, 0.3333]),
    ],
)
def test_multipliers_match_the_published_tables(method, panel, row, expected):
    np.testing.assert_array_equal(multiplier_panels(method)[panel][row], expected)


@pytest.mark.parametrize("method", ["sprague", "beers"])
@pytest.mark.parametrize("position", range(5))
def test_each_panel_gives_its_own_group_and_nothing_of_the_neighbours(method, position):
    # The group being split is column 0 of the first panel, 1 of the second, 2 of the middle...
    panel = multiplier_panels(method)[PANEL_NAMES[position]]
    np.testing.assert_allclose(panel.sum(axis=0), np.eye(5)[position], atol=1e-15)
    np.testing.assert_allclose(panel.sum(axis=1), 0.2, atol=1e-15)  # a constant stays constant


@pytest.mark.parametrize("method", ["sprague", "beers"])
def test_matrix_rows_of_each_group_sum_to_the_identity(method):
    matrix = graduation_matrix(9, method)
    assert matrix.shape == (45, 9)
    np.testing.assert_allclose(matrix.reshape(9, 5, 9).sum(axis=1), np.eye(9), atol=1e-15)
    assert not matrix.flags.writeable


@pytest.mark.parametrize("method", ["sprague", "beers"])
@pytest.mark.parametrize("coefficients", [(3.0, 0, 0, 0), (1.0, 0.4, 0, 0), (5.0, 0.2, -0.003, 0), (40, 1, 0.03, -0.0006)])
def test_single_year_values_on_a_cubic_are_reproduced_exactly(method, coefficients):
    # Both formulas interpolate the cumulated values with polynomials exact to degree 4, so
    # single-year values that follow a cubic in age come back unchanged from their group sums.
    ages = np.arange(50)
    single = np.polynomial.polynomial.polyval(ages, coefficients)
    assert single.min() > 0
    groups = single.reshape(10, 5).sum(axis=1)
    result = graduate(groups, method=method, open_interval=False)
    np.testing.assert_allclose(result, single, rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# graduate(): totals, non-negativity, shapes
# ---------------------------------------------------------------------------------------------
group_values = st.one_of(st.just(0.0), st.floats(0.0, 1e7, allow_nan=False, allow_subnormal=False))


@given(values=arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(6, 22)), elements=group_values),
       method=st.sampled_from(["sprague", "beers"]),
       open_interval=st.booleans())
def test_group_totals_are_preserved_and_nothing_is_negative(values, method, open_interval):
    single = graduate(values, method=method, open_interval=open_interval)
    assert single.shape == (values.shape[0], 5 * values.shape[1] - (4 if open_interval else 0))
    assert np.all(single >= 0)
    np.testing.assert_allclose(group(single, open_interval=open_interval), values, rtol=1e-9, atol=0)


@given(values=arrays(np.float64, st.integers(7, 15), elements=st.floats(-1e5, 1e5, allow_nan=False)))
def test_signed_values_keep_their_totals_without_the_nonnegative_rule(values):
    single = graduate(values, nonnegative=False)
    np.testing.assert_allclose(group(single), values, rtol=1e-9, atol=1e-9)


def test_a_small_group_next_to_large_ones_is_clipped_and_rescaled():
    values = np.array([1e6] * 9 + [1.0, 1e6, 5.0])  # 45-49 is tiny between two large groups
    raw = graduation_matrix(11, "beers") @ values[:11]
    assert raw[45:50].min() < 0  # the multipliers alone give negative people
    single = graduate(values)
    assert single.min() >= 0
    np.testing.assert_allclose(single[45:50].sum(), 1.0, rtol=1e-12)
    clipped = np.maximum(raw[45:50], 0)
    np.testing.assert_allclose(single[45:50], clipped / clipped.sum(), rtol=1e-12)
    # groups whose split had no negative value are left as the multipliers give them
    np.testing.assert_allclose(single[:40], raw[:40], rtol=1e-12)


def test_the_open_group_is_kept_as_the_open_age():
    values = np.arange(21, 0, -1) * 1000.0  # 0-4, ..., 95-99, 100+
    single = graduate(values)
    assert single.shape == (101,)
    assert single[100] == values[-1]


def test_batches_broadcast_and_match_one_at_a_time():
    rng = np.random.default_rng(7)
    values = rng.uniform(100, 1000, size=(3, 2, 21))
    batch = graduate(values, method="sprague")
    assert batch.shape == (3, 2, 101)
    for index in np.ndindex(3, 2):
        np.testing.assert_allclose(batch[index], graduate(values[index], method="sprague"), rtol=1e-12, atol=1e-9)


def test_omega_and_ages_set_the_grid():
    values = np.linspace(900, 100, 17)
    np.testing.assert_array_equal(graduate(values, omega=80), graduate(values, ages=np.arange(0, 81, 5)))
    assert graduate(values, omega=80).shape == (81,)


def test_abridged_input_keeps_age_zero_and_the_1_4_total():
    values = np.array([980.0, 3900.0, 4700.0, 4600.0, 4500.0, 4300.0, 4000.0, 3500.0, 2000.0])
    ages = [0, 1, 5, 10, 15, 20, 25, 30, 35]
    single = graduate(values, ages=ages)
    assert single.shape == (36,)
    assert single[0] == 980.0
    np.testing.assert_allclose(single[1:5].sum(), 3900.0, rtol=1e-12)
    np.testing.assert_allclose(group(single, abridged=True), values, rtol=1e-12)
    # ages 1-4 follow the graduated 0-4 pattern, rescaled
    merged = graduate(np.concatenate([[values[0] + values[1]], values[2:]]))
    np.testing.assert_allclose(single[1:5] / single[1:5].sum(), merged[1:5] / merged[1:5].sum(), rtol=1e-12)


def test_group_sums_single_years():
    single = np.arange(11.0)  # ages 0..9 and 10+
    np.testing.assert_array_equal(group(single), [10.0, 35.0, 10.0])
    np.testing.assert_array_equal(group(np.arange(10.0), width=2, open_interval=False), [1, 5, 9, 13, 17])
    np.testing.assert_array_equal(group(np.ones(11), abridged=True), [1, 4, 5, 1])


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_negative_values_are_rejected_with_their_age():
    values = np.full(21, 100.0)
    values[3] = -5
    with pytest.raises(ValueError, match=r"values has a value of -5 at age 15, but it must be at least 0.*nonnegative=False"):
        graduate(values)


def test_nan_is_rejected_with_its_position():
    values = np.full((2, 21), 100.0)
    values[1, 20] = np.nan
    with pytest.raises(ValueError, match=r"values contains a missing or infinite value \(nan\) at batch index \(1,\), age 100"):
        graduate(values)


def test_unknown_method_and_beers_modified_are_explained():
    with pytest.raises(ValueError, match=r"method must be one of 'beers', 'sprague', got 'karup'"):
        graduate(np.ones(21), method="karup")
    with pytest.raises(ValueError, match=r"modified formula is not offered because it smooths"):
        graduate(np.ones(21), method="beers(mod)")


def test_too_few_groups_are_rejected():
    with pytest.raises(ValueError, match=r"values has 4 closed 5-year groups .* need at least 5"):
        graduate(np.ones(5))


def test_irregular_grids_are_rejected():
    with pytest.raises(ValueError, match=r"ages must be 5-year groups 0, 5, 10, .* the group starting at 10 is followed by 20"):
        graduate(np.ones(7), ages=[0, 5, 10, 20, 25, 30, 35])


def test_shape_and_grid_must_agree():
    with pytest.raises(ValueError, match=r"values has 20 age groups on its last axis, but the age grid has 21 groups"):
        graduate(np.ones(20), omega=100)
    with pytest.raises(ValueError, match=r"omega=95 disagrees with ages, whose open group starts at 100"):
        graduate(np.ones(21), ages=np.arange(0, 101, 5), omega=95)
    with pytest.raises(ValueError, match=r"omega must be a multiple of 5"):
        graduate(np.ones(21), omega=102)
    with pytest.raises(ValueError, match=r"omega names the start of the open age group, so it needs open_interval=True"):
        graduate(np.ones(21), omega=100, open_interval=False)


def test_graduation_matrix_needs_five_groups():
    with pytest.raises(ValueError, match=r"n_groups must be a whole number of at least 5"):
        graduation_matrix(4)


def test_group_rejects_ages_that_do_not_fill_whole_groups():
    with pytest.raises(ValueError, match=r"values_single has 12 closed single ages plus the open age, which is not a whole number of 5-year groups"):
        group(np.ones(13))
    with pytest.raises(ValueError, match=r"abridged=True gives groups 0, 1-4, 5-9, ... and needs width=5"):
        group(np.ones(11), width=2, abridged=True)
