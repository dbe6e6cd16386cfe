"""Parametric mortality laws: Gompertz, Makeham, Kannisto (and the old-age closure),
Heligman-Pollard and the Brass relational logit model."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.demography import (
    HP_AUSTRALIA_MALES_1970,
    Kannisto,
    abridged_ages,
    brass_logit,
    close_old_ages,
    fit_brass_logit,
    fit_gompertz,
    fit_gompertz_makeham,
    fit_heligman_pollard,
    fit_kannisto,
    gompertz,
    gompertz_makeham,
    heligman_pollard,
    kannisto,
)

AGES = np.arange(101)


# ---------------------------------------------------------------------------------------------
# Gompertz and Gompertz-Makeham
# ---------------------------------------------------------------------------------------------
def test_gompertz_and_makeham_formulas():
    assert gompertz(50.0, 1e-4, 0.1) == pytest.approx(1e-4 * math.exp(5.0))
    assert gompertz_makeham(50.0, 1e-4, 0.1, 5e-4) == pytest.approx(5e-4 + 1e-4 * math.exp(5.0))
    # parameters of shape (2,) and 101 ages give (2, 101)
    assert gompertz(AGES, np.array([1e-4, 2e-4]), np.array([0.1, 0.09])).shape == (2, 101)


@given(log_a=st.floats(-12.0, -6.0), b=st.floats(0.05, 0.14))
def test_gompertz_least_squares_recovers_exact_parameters(log_a, b):
    mx = gompertz(AGES + 0.5, math.exp(log_a), b)
    fit = fit_gompertz(mx)
    assert float(fit.a) == pytest.approx(math.exp(log_a), rel=1e-9)
    assert float(fit.b) == pytest.approx(b, rel=1e-9)
    assert float(fit.doubling_time) == pytest.approx(math.log(2) / b, rel=1e-9)


def test_gompertz_age_point_start_shifts_the_level_by_half_a_year():
    # Rates equal to mu(x + 1/2) read as mu(x): same slope, level a e^{b/2}.
    mx = gompertz(AGES + 0.5, 5e-5, 0.1)
    fit = fit_gompertz(mx, age_point="start")
    assert float(fit.b) == pytest.approx(0.1, rel=1e-10)
    assert float(fit.a) == pytest.approx(5e-5 * math.exp(0.05), rel=1e-10)


def test_gompertz_fit_is_vectorised_over_year_and_sex():
    a = np.array([[4e-5, 6e-5], [3e-5, 5e-5], [2e-5, 4e-5]])  # (year, sex)
    b = np.array([[0.10, 0.095], [0.105, 0.10], [0.11, 0.10]])
    mx = gompertz(AGES + 0.5, a, b)  # (3, 2, 101)
    fit = fit_gompertz(mx)
    assert fit.a.shape == (3, 2)
    np.testing.assert_allclose(fit.a, a, rtol=1e-9)
    np.testing.assert_allclose(fit.b, b, rtol=1e-9)


def test_gompertz_on_an_abridged_grid_uses_interval_midpoints():
    grid = abridged_ages(100)
    midpoints = grid + np.append(np.diff(grid), 0) / 2
    fit = fit_gompertz(gompertz(midpoints, 5e-5, 0.1), grid)
    assert float(fit.a) == pytest.approx(5e-5, rel=1e-9) and float(fit.b) == pytest.approx(0.1, rel=1e-9)


def test_gompertz_poisson_recovers_parameters_and_accepts_zero_deaths():
    mu = gompertz(AGES + 0.5, 5e-5, 0.1)
    exposure = np.full(101, 2e4)
    fit = fit_gompertz(deaths=exposure * mu, exposure=exposure, method="poisson")
    assert float(fit.a) == pytest.approx(5e-5, rel=1e-8) and float(fit.b) == pytest.approx(0.1, rel=1e-8)
    # random deaths, some zero at young ages: least squares on log rates fails, Poisson works
    exposure = np.full(101, 500.0)
    deaths = np.random.default_rng(7).poisson(exposure * mu).astype(float)
    assert (deaths[30:40] == 0).any()
    with pytest.raises(ValueError, match=r"mx is 0 at age 3\d, but it must be greater than 0"):
        fit_gompertz(deaths / exposure)
    fit = fit_gompertz(deaths=deaths, exposure=exposure, method="poisson")
    assert float(fit.b) == pytest.approx(0.1, rel=0.05)


def test_fit_argument_errors():
    mx = gompertz(AGES + 0.5, 5e-5, 0.1)
    exposure = np.full(101, 1e4)
    with pytest.raises(ValueError, match="weights apply to the least-squares fit only"):
        fit_gompertz(deaths=mx * exposure, exposure=exposure, method="poisson", weights=np.ones(101))
    with pytest.raises(ValueError, match="give both deaths and exposure"):
        fit_gompertz(mx, deaths=mx * exposure)
    with pytest.raises(ValueError, match="deaths are positive but exposure is 0 at age 50"):
        fit_gompertz(deaths=mx * exposure, exposure=np.where(AGES == 50, 0.0, exposure), method="poisson")
    with pytest.raises(ValueError, match="exposure has a person-years value of -1 at age 3"):
        fit_gompertz(deaths=mx * exposure, exposure=np.where(AGES == 3, -1.0, exposure), method="poisson")
    with pytest.raises(ValueError, match="age_point must be one of"):
        fit_gompertz(mx, age_point="end")


def test_gompertz_weights_by_deaths_on_exact_data_change_nothing():
    mx = gompertz(AGES + 0.5, 5e-5, 0.1)
    fit = fit_gompertz(mx, weights=np.linspace(1, 50, 101))
    assert float(fit.b) == pytest.approx(0.1, rel=1e-9)


@pytest.mark.parametrize("method", ["ls", "poisson"])
def test_gompertz_makeham_recovers_parameters(method):
    mu = gompertz_makeham(AGES + 0.5, 3e-5, 0.1, 8e-4)
    exposure = np.full(101, 1e5)
    if method == "ls":
        fit = fit_gompertz_makeham(mu)
    else:
        fit = fit_gompertz_makeham(deaths=exposure * mu, exposure=exposure, method="poisson")
    assert float(fit.a) == pytest.approx(3e-5, rel=1e-5)
    assert float(fit.b) == pytest.approx(0.1, rel=1e-6)
    assert float(fit.c) == pytest.approx(8e-4, rel=1e-5)
    np.testing.assert_allclose(fit(AGES + 0.5), mu, rtol=1e-6)


def test_gompertz_makeham_batch_loop_matches_single_fits():
    mu = gompertz_makeham(AGES + 0.5, np.array([3e-5, 6e-5]), np.array([0.1, 0.09]), np.array([8e-4, 3e-4]))
    fit = fit_gompertz_makeham(mu)
    assert fit.c.shape == (2,)
    np.testing.assert_allclose(fit.c, [8e-4, 3e-4], rtol=1e-5)


# ---------------------------------------------------------------------------------------------
# Kannisto
# ---------------------------------------------------------------------------------------------
def test_kannisto_formula():
    # logit mu(x) = ln a + b (x - 80)
    value = float(kannisto(90.0, 0.05, 0.1))
    odds = 0.05 * math.exp(1.0)
    assert value == pytest.approx(odds / (1 + odds))
    assert float(kannisto(100.0, 0.05, 0.1, x0=100)) == pytest.approx(0.05 / 1.05)


@given(log_a=st.floats(-4.0, -1.0), b=st.floats(0.05, 0.2))
def test_kannisto_logit_least_squares_recovers_exact_parameters(log_a, b):
    mx = kannisto(AGES + 0.5, math.exp(log_a), b)
    fit = fit_kannisto(mx)
    assert float(fit.a) == pytest.approx(math.exp(log_a), rel=1e-9)
    assert float(fit.b) == pytest.approx(b, rel=1e-9)


def test_kannisto_fits_are_vectorised_over_year_and_sex():
    a = np.array([[0.04, 0.06], [0.035, 0.055]])
    b = np.array([[0.11, 0.10], [0.115, 0.105]])
    mx = kannisto(AGES + 0.5, a, b)
    exposure = np.full(mx.shape, 5e3)
    for fit in (fit_kannisto(mx), fit_kannisto(deaths=exposure * mx, exposure=exposure, method="poisson")):
        assert fit.a.shape == (2, 2)
        np.testing.assert_allclose(fit.a, a, rtol=1e-8)
        np.testing.assert_allclose(fit.b, b, rtol=1e-8)


def test_kannisto_poisson_with_random_deaths_is_close():
    mu = kannisto(AGES + 0.5, 0.05, 0.11)
    exposure = np.full(101, 2e5) * np.exp(-0.1 * np.clip(AGES - 80, 0, None))  # shrinking exposure
    deaths = np.random.default_rng(3).poisson(exposure * mu).astype(float)
    fit = fit_kannisto(deaths=deaths, exposure=exposure, method="poisson")
    assert float(fit.a) == pytest.approx(0.05, rel=0.03) and float(fit.b) == pytest.approx(0.11, rel=0.03)


def _life_expectancy_by_quadrature(a, b, x0, age):
    # independent check: survival from the closed-form cumulative hazard, trapezoid rule
    t = np.linspace(age, age + 150, 600_001)
    cumulative = (np.log1p(a * np.exp(b * (t - x0))) - np.log1p(a * np.exp(b * (age - x0)))) / b
    survival = np.exp(-cumulative)
    return float(np.sum((survival[1:] + survival[:-1]) / 2 * np.diff(t)))


@pytest.mark.parametrize(("a", "b", "age"), [(0.05, 0.11, 100), (0.08, 0.09, 95), (0.02, 0.15, 85), (0.1, 0.05, 100)])
def test_kannisto_life_expectancy_matches_numerical_integration(a, b, age):
    model = Kannisto(a=np.asarray(a), b=np.asarray(b))
    expected = _life_expectancy_by_quadrature(a, b, 80.0, age)
    assert float(model.life_expectancy(age)) == pytest.approx(expected, rel=1e-7)
    assert float(model.open_interval_rate(age)) == pytest.approx(1 / expected, rel=1e-7)


def test_kannisto_life_expectancy_tends_to_one_over_the_hazard_when_the_slope_is_flat():
    model = Kannisto(a=np.asarray(0.5), b=np.asarray(1e-9))
    assert float(model.life_expectancy(80)) == pytest.approx(1 / float(model(80.0)), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# closing old ages
# ---------------------------------------------------------------------------------------------
def _single_age_schedule():
    """Gompertz-like adult mortality that bends at old ages (observed), as single ages 0..100."""
    return np.minimum(gompertz(AGES + 0.5, 3e-5, 0.105), 0.6) + 5e-4


def test_close_old_ages_keeps_young_ages_and_uses_the_curve_above_the_join():
    mx = _single_age_schedule()
    out = close_old_ages(mx)
    model = fit_kannisto(mx)
    assert out.shape == (101,)
    np.testing.assert_array_equal(out[:85], mx[:85])  # from_age 90 - blend 5
    np.testing.assert_allclose(out[90:100], model(np.arange(90, 100) + 0.5), rtol=1e-12)
    assert out[100] == pytest.approx(float(model.open_interval_rate(100)), rel=1e-12)


def test_close_old_ages_blends_linearly_on_the_log_scale_without_a_jump():
    mx = _single_age_schedule()
    mx[80:90] *= 1.25  # observed rates 25% above what the curve will say at the join
    out = close_old_ages(mx, from_age=90, blend=5)
    fitted = fit_kannisto(mx)(AGES[:100] + 0.5)
    for age in range(86, 90):
        weight = (age - 85) / 5
        expected = math.exp((1 - weight) * math.log(mx[age]) + weight * math.log(fitted[age]))
        assert out[age] == pytest.approx(expected, rel=1e-12)
    # no jump: each step in the zone is at most the larger of the two curves' own steps plus
    # the gap between them spread over the blend years
    steps = np.abs(np.diff(np.log(out[84:92])))
    own = max(np.abs(np.diff(np.log(mx[84:92]))).max(), np.abs(np.diff(np.log(fitted[84:92]))).max())
    gap = np.abs(np.log(mx[85:90] / fitted[85:90])).max()
    assert steps.max() <= own + gap / 5 + 1e-12
    hard = close_old_ages(mx, from_age=90, blend=0)
    assert np.abs(np.diff(np.log(hard[84:92]))).max() > steps.max()


def test_close_old_ages_open_interval_choices():
    mx = _single_age_schedule()
    model = fit_kannisto(mx)
    midpoint = close_old_ages(mx, open_rate="midpoint")
    assert midpoint[100] == pytest.approx(float(model(100.5)), rel=1e-12)
    # the survivorship-weighted mean hazard over 100+ exceeds the hazard at 100.5
    assert close_old_ages(mx)[100] > midpoint[100]


def test_close_old_ages_turns_abridged_wpp_style_rates_into_single_ages():
    grid = abridged_ages(100)  # 0, 1, 5, ..., 100+
    midpoints = grid + np.append(np.diff(grid), 0) / 2
    mx = np.minimum(gompertz(midpoints, 3e-5, 0.105), 0.6) + 5e-4
    mx[0], mx[1] = 0.02, 0.001
    out = close_old_ages(mx, grid, omega=110)
    assert out.shape == (111,)
    assert out[0] == mx[0] and np.all(out[1:5] == mx[1])  # constant rate within 1-4
    np.testing.assert_array_equal(out[60:65], np.full(5, mx[grid == 60][0]))
    model = fit_kannisto(mx, grid)  # fitted at midpoints 82.5, ..., 97.5
    np.testing.assert_allclose(out[95:110], model(np.arange(95, 110) + 0.5), rtol=1e-12)


def test_close_old_ages_is_vectorised_over_year_and_sex():
    base = _single_age_schedule()
    mx = base * np.array([[1.0, 1.2], [0.9, 1.1], [0.8, 1.0]])[..., None]  # (year, sex, age)
    out = close_old_ages(mx)
    assert out.shape == (3, 2, 101)
    np.testing.assert_allclose(out[2, 1], close_old_ages(mx[2, 1]), rtol=1e-12)


def test_close_old_ages_with_poisson_fit():
    mx = _single_age_schedule()
    exposure = np.full(101, 1e4)
    out = close_old_ages(mx, method="poisson", deaths=exposure * mx, exposure=exposure)
    model = fit_kannisto(deaths=exposure * mx, exposure=exposure, method="poisson")
    np.testing.assert_allclose(out[90:100], model(np.arange(90, 100) + 0.5), rtol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fit_ages": (80, 105)}, r"fit_ages=\(80, 105\) lies outside the age grid: the closed age intervals start at ages 0 to 99"),
        ({"fit_ages": (95, 80)}, "lower age first"),
        ({"from_age": 101}, r"from_age=101 is above the start of the open interval of mx \(100\+\)"),
        ({"from_age": 95, "omega": 90}, "from_age=95 must not exceed omega=90"),
        ({"blend": 2.5}, "blend must be a whole number"),
        ({"open_rate": "last"}, "open_rate must be"),
        ({"method": "ml"}, "method must be one of"),
        ({"method": "poisson"}, "method='poisson' needs deaths and exposure"),
    ],
)
def test_close_old_ages_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        close_old_ages(_single_age_schedule(), **kwargs)


def test_close_old_ages_bad_rates_name_the_position():
    mx = np.tile(_single_age_schedule(), (2, 1))
    mx[1, 40] = np.nan
    with pytest.raises(ValueError, match=r"mx contains a missing or infinite death rate \(nan\) at sex 1 \(male\), age 40"):
        close_old_ages(mx)
    mx = np.tile(_single_age_schedule(), (2, 1))
    mx[0, 93] = 1.3
    with pytest.raises(ValueError, match=r"mx is 1.3 at sex 0 \(female\), age 93, but it must be below 1 .*logit"):
        close_old_ages(mx)
    mx = np.tile(_single_age_schedule(), (2, 1))
    mx[1, 87] = 0.0
    with pytest.raises(ValueError, match=r"mx is 0 at sex 1 \(male\), age 87, inside the blend zone \(85-90\)"):
        close_old_ages(mx, fit_ages=(88, 95))


def test_close_old_ages_rejects_a_curve_falling_with_age():
    mx = _single_age_schedule()
    mx[80:100] = np.linspace(0.3, 0.1, 20)
    with pytest.raises(ValueError, match=r"falls with age \(b = -"):
        close_old_ages(mx)


def test_fit_ages_must_select_enough_intervals():
    with pytest.raises(ValueError, match="selects 1 age interval"):
        fit_kannisto(_single_age_schedule(), fit_ages=(80, 80.5))
    with pytest.raises(ValueError, match="ages has 3 entries but mx has 101"):
        fit_kannisto(_single_age_schedule(), [0, 1, 2])


# ---------------------------------------------------------------------------------------------
# Heligman-Pollard
# ---------------------------------------------------------------------------------------------
def _hp_by_hand(x, A, B, C, D, E, F, G, H):
    hump = 0.0 if x == 0 else D * math.exp(-E * (math.log(x) - math.log(F)) ** 2)
    odds = A ** ((x + B) ** C) + hump + G * H**x
    return odds / (1 + odds)


def test_heligman_pollard_formula_and_age_zero():
    # Heligman & Pollard (1980), Table 2: Australian males 1970-72 (also used by the pash
    # R package's test data): A=.00160 B=.00112 C=.1112 D=.00163 E=16.71 F=20.03 G=.0000502 H=1.1074
    assert HP_AUSTRALIA_MALES_1970 == (0.00160, 0.00112, 0.1112, 0.00163, 16.71, 20.03, 0.0000502, 1.1074)
    qx = heligman_pollard(AGES, HP_AUSTRALIA_MALES_1970)
    for age in (0, 1, 5, 20, 45, 70, 100):
        assert qx[age] == pytest.approx(_hp_by_hand(age, *HP_AUSTRALIA_MALES_1970), rel=1e-12)
    # age 0: the accident hump is 0 (its limit), no warning about log(0)
    A, B, C, *_, G, H = HP_AUSTRALIA_MALES_1970
    odds0 = A ** (B**C) + G
    assert qx[0] == pytest.approx(odds0 / (1 + odds0), rel=1e-12)
    assert qx[0] == pytest.approx(0.046391, rel=1e-4)
    # the shape of the curve: a minimum around age 10, then the accident hump near age 20
    assert 8 <= int(np.argmin(qx[:40])) <= 13
    assert qx[20] > qx[15] and qx[20] > qx[30]


def test_heligman_pollard_fit_recovers_the_published_parameters():
    qx = heligman_pollard(AGES, HP_AUSTRALIA_MALES_1970)
    fit = fit_heligman_pollard(qx)
    np.testing.assert_allclose(fit.params, HP_AUSTRALIA_MALES_1970, rtol=1e-6)
    np.testing.assert_allclose(fit(AGES[:86]), qx[:86], rtol=1e-9)


def test_heligman_pollard_fit_from_data_driven_start():
    true = np.array([0.0005, 0.02, 0.1, 0.0005, 10.0, 22.0, 3e-5, 1.11])
    qx = heligman_pollard(AGES, true)
    fit = fit_heligman_pollard(qx)
    np.testing.assert_allclose(fit(AGES[:86]), qx[:86], rtol=1e-6)
    np.testing.assert_allclose(fit.params, true, rtol=1e-4)


def test_heligman_pollard_poisson_fit():
    qx = heligman_pollard(AGES, HP_AUSTRALIA_MALES_1970)
    rate = -np.log1p(-qx)  # constant force within each year
    exposure = np.full(101, 5e5)
    fit = fit_heligman_pollard(deaths=exposure * rate, exposure=exposure, method="poisson")
    np.testing.assert_allclose(fit.params, HP_AUSTRALIA_MALES_1970, rtol=1e-6)
    deaths = np.random.default_rng(11).poisson(exposure * rate).astype(float)
    noisy = fit_heligman_pollard(deaths=deaths, exposure=exposure, method="poisson")
    assert float(noisy.F) == pytest.approx(20.03, abs=1.0)
    assert float(noisy.H) == pytest.approx(1.1074, rel=0.005)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda q: fit_heligman_pollard(np.where(AGES == 30, 0.0, q)), r"qx is 0 at age 30, but it must be greater than 0"),
        (lambda q: fit_heligman_pollard(q[:22], abridged_ages(100)), "needs single ages"),
        (lambda q: fit_heligman_pollard(q, fit_ages=(0, 5)), "needs at least 9"),
        (lambda q: fit_heligman_pollard(q, start=[0.5, 0.1, 0.1, 0.001, 10, 20, 1e-4, 2.0]), "start value of H"),
        (lambda q: fit_heligman_pollard(q, method="poisson"), "needs deaths and exposure"),
        (lambda q: heligman_pollard(AGES, [0.001, 0.01]), "8 Heligman-Pollard parameters"),
    ],
)
def test_heligman_pollard_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call(heligman_pollard(AGES, HP_AUSTRALIA_MALES_1970))


# ---------------------------------------------------------------------------------------------
# Brass relational logit
# ---------------------------------------------------------------------------------------------
def _standard_lx(radix=1.0):
    """A standard survivorship curve from a Gompertz-Makeham hazard (exact ages 0..100)."""
    cumulative = 2e-3 * AGES + 3e-5 / 0.1 * np.expm1(0.1 * AGES)
    return radix * np.exp(-cumulative)


def test_brass_known_values_and_sign_convention():
    # Y = 0.5 ln((1 - l)/l): Y_s(0.5) = 0, Y_s(0.25) = ln(3)/2; with beta = 2, Y = ln 3 -> l = 1/10
    np.testing.assert_allclose(brass_logit(np.array([1.0, 0.5, 0.25]), 0.0, 2.0), [1.0, 0.5, 0.1])
    standard = _standard_lx()
    # alpha > 0 means higher mortality (Brass 1971; Preston et al. 2001, section 9.3)
    assert np.all(brass_logit(standard, 0.2, 1.0)[1:] < standard[1:])
    assert np.all(brass_logit(standard, -0.2, 1.0)[1:] > standard[1:])


@given(radix=st.sampled_from([1.0, 1e5]), bend=st.floats(0.0, 0.05))
def test_brass_identity_parameters_return_the_standard(radix, bend):
    standard = _standard_lx(radix) * np.exp(-bend * np.sqrt(AGES))
    np.testing.assert_allclose(brass_logit(standard, 0.0, 1.0), standard, rtol=1e-12)


@given(alpha=st.floats(-1.0, 1.0), beta=st.floats(0.5, 1.5))
def test_brass_fit_recovers_alpha_and_beta(alpha, beta):
    standard = _standard_lx(1e5)
    lx = brass_logit(standard, alpha, beta)
    fit = fit_brass_logit(lx, standard)
    assert float(fit.alpha) == pytest.approx(alpha, abs=1e-9)
    assert float(fit.beta) == pytest.approx(beta, rel=1e-9)
    np.testing.assert_allclose(fit(), lx, rtol=1e-9)


def test_brass_fit_is_vectorised_and_accepts_ages_used():
    standard = _standard_lx()
    alpha, beta = np.array([[0.1, -0.2], [0.3, 0.0]]), np.array([[1.1, 0.9], [1.0, 1.2]])
    lx = brass_logit(standard, alpha, beta)  # (2, 2, 101)
    fit = fit_brass_logit(lx, standard, ages_used=range(5, 90))
    np.testing.assert_allclose(fit.alpha, alpha, atol=1e-10)
    np.testing.assert_allclose(fit.beta, beta, rtol=1e-10)


def test_brass_bad_input():
    standard = _standard_lx()
    with pytest.raises(ValueError, match="beta must be positive"):
        brass_logit(standard, 0.0, -1.0)
    bad = standard.copy()
    bad[10] = 1.2
    with pytest.raises(ValueError, match="standard_lx exceeds its radix l_0 at age 10"):
        brass_logit(bad, 0.0, 1.0)
    with pytest.raises(ValueError, match="ages_used contains age 120"):
        fit_brass_logit(standard, standard, ages_used=[10, 120])
    dead = standard.copy()
    dead[99:] = 0.0
    with pytest.raises(ValueError, match=r"lx relative to its radix is 0 at age 99.*Leave that age out"):
        fit_brass_logit(dead, standard)
    with pytest.raises(ValueError, match="lx has 50 ages but standard_lx has 101"):
        fit_brass_logit(standard[:50], standard)
