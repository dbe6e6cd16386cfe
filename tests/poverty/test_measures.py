"""Poverty and inequality measures against hand computations, a published worked example and theory."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.poverty import (
    entropy_by_group,
    fgt,
    fgt_by_group,
    generalized_entropy,
    gini,
    headcount,
    line_from_ppp,
    lorenz,
    mean_log_deviation,
    poverty_gap,
    poverty_severity,
    quantile_groups,
    relative_line,
    theil,
    watts,
    weighted_quantile,
)

COUNTRY_C = np.array([100.0, 110.0, 150.0, 160.0])
"""Haughton and Khandker (2009), Handbook on Poverty and Inequality, World Bank, pp. 70-72: the
expenditures of the four people of "country C", with a poverty line of 125."""


def test_haughton_khandker_country_c():
    # the book's tables: P0 = 2/4; P1 = (25 + 15) / 125 / 4 = 0.32 / 4 = 0.08;
    # P2 = (0.2^2 + 0.12^2) / 4 = 0.0544 / 4 = 0.0136
    assert fgt(COUNTRY_C, 1.0, 125.0, 0) == pytest.approx(0.5)
    assert fgt(COUNTRY_C, 1.0, 125.0, 1) == pytest.approx(0.08)
    assert fgt(COUNTRY_C, 1.0, 125.0, 2) == pytest.approx(0.0136)
    assert (headcount(COUNTRY_C, 1, 125), poverty_gap(COUNTRY_C, 1, 125), poverty_severity(COUNTRY_C, 1, 125)) == \
        pytest.approx((0.5, 0.08, 0.0136))


def test_weights_count_people_as_repeated_records():
    # two households: welfare 100 with 3 people, 200 with 1; line 150 -> 3 of 4 people poor
    assert fgt([100.0, 200.0], [3.0, 1.0], 150.0) == pytest.approx(0.75)
    # gap: 3 x (1 - 100/150) / 4 = 3 x (1/3) / 4 = 0.25
    assert fgt([100.0, 200.0], [3.0, 1.0], 150.0, 1) == pytest.approx(0.25)
    repeated = np.array([100.0, 100.0, 100.0, 200.0])
    for statistic in (gini, theil, mean_log_deviation):
        assert statistic([100.0, 200.0], [3.0, 1.0]) == pytest.approx(statistic(repeated, 1.0))


def test_poverty_line_is_strict_and_gap_averages_over_everyone():
    assert fgt([125.0, 200.0], 1.0, 125.0) == 0.0            # at the line is not poor
    # the gap over everyone, not over the poor only: (1 - 50/100) / 2 = 0.25, not 0.5
    assert poverty_gap([50.0, 200.0], 1.0, 100.0) == pytest.approx(0.25)


def test_watts_by_hand():
    # (ln(125/100) + ln(125/110)) / 4
    assert watts(COUNTRY_C, 1.0, 125.0) == pytest.approx((np.log(1.25) + np.log(125 / 110)) / 4)
    with pytest.raises(ValueError, match="positive welfare for the poor"):
        watts([0.0, 200.0], 1.0, 125.0)


def test_gini_and_lorenz_by_hand():
    # sum_ij |yi - yj| = 2 x (1 + 2 + 3 + 1 + 2 + 1) = 20; 2 n^2 mean = 2 x 16 x 2.5 = 80
    assert gini([1.0, 2.0, 3.0, 4.0], 1.0) == pytest.approx(0.25)
    assert gini([5.0, 5.0, 5.0], 1.0) == pytest.approx(0.0)
    assert gini([0.0, 0.0, 0.0, 1.0], 1.0) == pytest.approx(0.75)        # (n - 1) / n: one person has all
    p, L = lorenz([4.0, 1.0, 3.0, 2.0], 1.0)
    np.testing.assert_allclose(p, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(L, [0, 0.1, 0.3, 0.6, 1.0])


def test_entropy_by_hand():
    y = np.array([1.0, 3.0])                                  # mean 2
    assert mean_log_deviation(y, 1.0) == pytest.approx(np.log(2) - np.log(3) / 2)
    assert theil(y, 1.0) == pytest.approx((0.5 * np.log(0.5) + 1.5 * np.log(1.5)) / 2)
    # GE(2) = half the squared coefficient of variation: variance 1, mean 2 -> 0.5 x 1/4
    assert generalized_entropy(y, 1.0, 2) == pytest.approx(0.125)


def test_quantiles_and_lines():
    assert weighted_quantile([1.0, 2.0, 3.0, 4.0], 1.0, 0.5) == 2.0
    assert weighted_quantile([1.0, 2.0], [1.0, 3.0], 0.5) == 2.0
    assert relative_line([1.0, 2.0, 3.0, 4.0], 1.0, 0.5, of="mean") == pytest.approx(1.25)
    assert line_from_ppp(2.15, 700.0) == pytest.approx(2.15 * 700 * 365)
    np.testing.assert_array_equal(quantile_groups(np.arange(10.0), 1.0), np.repeat(np.arange(5), 2))
    with pytest.raises(ValueError, match="ppp_factor must be positive"):
        line_from_ppp(2.15, -1.0)


def test_batch_of_scenarios_matches_one_by_one():
    rng = np.random.default_rng(3)
    y = rng.lognormal(5, 0.6, (4, 3, 50))
    w = rng.uniform(1, 5, 50)
    lines = np.array([100.0, 150.0, 200.0])
    for alpha in (0, 1, 2):
        batch = fgt(y, w, lines, alpha)
        assert batch.shape == (4, 3)
        assert batch[2, 1] == pytest.approx(fgt(y[2, 1], w, lines[1], alpha))
    assert gini(y, w)[1, 2] == pytest.approx(gini(y[1, 2], w))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="weights must be finite and zero or more"):
        fgt([1.0, 2.0], [1.0, -1.0], 1.5)
    with pytest.raises(ValueError, match="missing or infinite"):
        gini([1.0, np.nan], 1.0)
    with pytest.raises(ValueError, match="line must be positive"):
        fgt([1.0, 2.0], 1.0, 0.0)
    with pytest.raises(ValueError, match="alpha must be zero or more"):
        fgt([1.0, 2.0], 1.0, 1.0, -1)
    with pytest.raises(ValueError, match="do not broadcast"):
        fgt([1.0, 2.0], [1.0, 1.0, 1.0], 1.0)


def test_group_decomposition_by_hand():
    # country C split in two groups: {100, 150} and {110, 160}
    d = fgt_by_group(COUNTRY_C, 1.0, 125.0, [0, 1, 0, 1], alpha=1)
    np.testing.assert_allclose(d.by_group, [0.2 / 2, 0.12 / 2])
    np.testing.assert_allclose(d.population_share, [0.5, 0.5])
    np.testing.assert_allclose(d.contribution, [0.2 / 0.32, 0.12 / 0.32])
    assert d.total == pytest.approx(0.08)


# ---------------------------------------------------------------------------------------------
# identities (property tests, modest sizes)
# ---------------------------------------------------------------------------------------------
welfare_arrays = arrays(np.float64, st.integers(2, 30), elements=st.floats(1.0, 1000.0))


@settings(max_examples=30)
@given(welfare_arrays, st.floats(10.0, 800.0), st.integers(0, 2**32 - 1))
def test_fgt0_is_the_weighted_share_below_the_line(y, line, seed):
    w = np.random.default_rng(seed).uniform(0.1, 10.0, y.size)
    assert fgt(y, w, line, 0) == pytest.approx(w[y < line].sum() / w.sum())
    # and P2 <= P1 <= P0
    p0, p1, p2 = (fgt(y, w, line, a) for a in (0, 1, 2))
    assert p2 <= p1 + 1e-12 and p1 <= p0 + 1e-12


@settings(max_examples=30)
@given(welfare_arrays, st.floats(10.0, 800.0), st.integers(0, 2**32 - 1), st.floats(0.0, 2.0))
def test_group_decomposition_sums_to_the_total(y, line, seed, alpha):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 10.0, y.size)
    group = rng.integers(0, 3, y.size)
    d = fgt_by_group(y, w, line, group, alpha=alpha, n_groups=3)
    present = d.population_share > 0
    assert np.sum(d.population_share[present] * d.by_group[present]) == pytest.approx(fgt(y, w, line, alpha),
                                                                                    abs=1e-12)
    for theta in (0.0, 1.0, 2.0):
        e = entropy_by_group(y, w, group, theta=theta, n_groups=3)
        assert e.within + e.between == pytest.approx(generalized_entropy(y, w, theta), rel=1e-9, abs=1e-12)
        assert e.between >= -1e-12 and e.within >= -1e-12


@settings(max_examples=30)
@given(welfare_arrays, st.floats(10.0, 800.0), st.floats(0.0, 500.0), st.integers(0, 2**32 - 1))
def test_a_transfer_to_the_poorest_never_raises_poverty(y, line, amount, seed):
    w = np.random.default_rng(seed).uniform(0.1, 10.0, y.size)
    after = y.copy()
    after[np.argmin(y)] += amount
    for alpha in (0.0, 1.0, 2.0):
        assert fgt(after, w, line, alpha) <= fgt(y, w, line, alpha) + 1e-12
    assert watts(np.maximum(after, 1e-9), w, line) <= watts(np.maximum(y, 1e-9), w, line) + 1e-12


@settings(max_examples=30)
@given(welfare_arrays, st.floats(0.1, 10.0), st.integers(0, 2**32 - 1))
def test_inequality_is_scale_invariant_and_bounded(y, factor, seed):
    w = np.random.default_rng(seed).uniform(0.1, 10.0, y.size)
    g = gini(y, w)
    assert 0.0 <= g < 1.0
    assert gini(y * factor, w) == pytest.approx(g, abs=1e-12)
    assert theil(y * factor, w) == pytest.approx(theil(y, w), abs=1e-12)
    # the Gini equals the mean absolute difference over twice the mean (weighted, without n/(n-1))
    diff = np.abs(y[:, None] - y[None, :])
    expected = (w[:, None] * w[None, :] * diff).sum() / (2 * w.sum() ** 2 * np.average(y, weights=w))
    assert g == pytest.approx(expected, rel=1e-9, abs=1e-12)
