"""Lee-Carter (1992): estimation by SVD, normalisation, random walk with drift forecast."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import LeeCarter, fit_lee_carter, gompertz, life_table

AGES = np.arange(0, 101, 5)
YEARS = np.arange(1990, 2020)


def _known_model():
    """a_x, b_x (sum 1) and k_t (sum 0) of an exact Lee-Carter surface."""
    ax = np.log(gompertz(AGES + 2.5, 5e-5, 0.1) + 3e-4)
    bx = np.linspace(2.0, 0.5, AGES.size)
    bx /= bx.sum()
    kt = np.linspace(15.0, -15.0, YEARS.size) + 2.0 * np.sin(np.arange(YEARS.size))
    kt -= kt.mean()
    return ax, bx, kt


def test_fit_recovers_an_exact_lee_carter_surface():
    ax, bx, kt = _known_model()
    mx = np.exp(ax + bx * kt[:, None])  # (year, age)
    fit = fit_lee_carter(mx, years=YEARS, ages=AGES)
    assert isinstance(fit, LeeCarter) and not fit.has_sex_axis
    np.testing.assert_allclose(fit.ax, ax, atol=1e-12)
    np.testing.assert_allclose(fit.bx, bx, atol=1e-12)
    np.testing.assert_allclose(fit.kt, kt, atol=1e-10)
    np.testing.assert_allclose(fit.fitted_mx(), mx, rtol=1e-12)
    assert float(fit.explained_variance) == pytest.approx(1.0)


@given(
    arrays(np.float64, (6, 8), elements=st.floats(-0.5, 0.5)),
    st.floats(-0.3, -0.05),
)
def test_normalisation_identities_hold_for_any_surface(noise, trend):
    # a declining surface with noise: sum_x b_x = 1, sum_t k_t = 0, a_x = mean over years
    log_mx = np.log(0.01) + trend * np.arange(6)[:, None] * np.linspace(1, 2, 8) + 0.1 * noise
    fit = fit_lee_carter(np.exp(log_mx))
    assert fit.bx.sum() == pytest.approx(1.0, abs=1e-10)
    assert fit.kt.sum() == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(fit.ax, log_mx.mean(axis=0), atol=1e-12)
    assert 0.0 < float(fit.explained_variance) <= 1.0 + 1e-12
    # the rank-one term is the best rank-one approximation: its residual is no larger than
    # that of the surface's own mean (k = 0)
    residual = np.log(fit.fitted_mx()) - log_mx
    assert (residual**2).sum() <= ((log_mx - fit.ax) ** 2).sum() + 1e-12


def test_two_sexes_are_fitted_separately_and_vectorised_over_a_batch():
    ax, bx, kt = _known_model()
    female = np.exp(ax + bx * kt[:, None])
    male = np.exp(ax + 0.2 + bx[::-1] / bx.sum() * 0.8 * kt[:, None])
    mx = np.stack([female, male], axis=-2)  # (year, sex, age)
    batch = np.stack([mx, mx * 1.1])  # (scenario, year, sex, age)
    fit = fit_lee_carter(batch, years=YEARS)
    assert fit.has_sex_axis
    assert fit.ax.shape == (2, 2, AGES.size) and fit.kt.shape == (2, YEARS.size, 2)
    assert fit.explained_variance.shape == (2, 2)
    alone = fit_lee_carter(male)
    np.testing.assert_allclose(fit.bx[0, 1], alone.bx, atol=1e-12)
    np.testing.assert_allclose(fit.kt[0, :, 1], alone.kt, atol=1e-10)
    np.testing.assert_allclose(fit.ax[1, 1], alone.ax + np.log(1.1), atol=1e-12)
    np.testing.assert_allclose(fit.fitted_mx(), batch, rtol=1e-10)


def test_drift_and_sigma_are_the_textbook_random_walk_estimates():
    # Lee & Carter (1992): k_t = k_{t-1} + d + e_t; d = (k_T - k_1)/(T - 1),
    # sigma^2 = sum (dk - d)^2 / (T - 2)
    ax, bx, kt = _known_model()
    fit = fit_lee_carter(np.exp(ax + bx * kt[:, None]), years=YEARS)
    k = fit.kt
    assert float(fit.drift) == pytest.approx((k[-1] - k[0]) / (len(k) - 1), rel=1e-12)
    assert float(fit.sigma) == pytest.approx(np.std(np.diff(k), ddof=1), rel=1e-10)
    assert float(fit.drift) == pytest.approx((kt[-1] - kt[0]) / (YEARS.size - 1), rel=1e-9)


def test_point_forecast_is_a_straight_line_in_k():
    ax, bx, kt = _known_model()
    fit = fit_lee_carter(np.exp(ax + bx * kt[:, None]), years=YEARS, ages=AGES)
    forecast = fit.forecast(10)
    np.testing.assert_array_equal(forecast.years, np.arange(2020, 2030))
    np.testing.assert_allclose(forecast.kt, fit.kt[-1] + fit.drift * np.arange(1, 11), rtol=1e-12)
    np.testing.assert_allclose(forecast.mx, np.exp(fit.ax + fit.bx * forecast.kt[:, None]), rtol=1e-12)
    assert forecast.kt_draws is None and forecast.mx_draws is None


def test_observed_jump_off_starts_from_the_last_observed_rates():
    ax, bx, kt = _known_model()
    mx = np.exp(ax + bx * kt[:, None]) * np.exp(0.05 * np.cos(np.arange(YEARS.size)))[:, None]
    fit = fit_lee_carter(mx, years=YEARS)
    forecast = fit.forecast(3, jump_off="observed")
    np.testing.assert_allclose(forecast.mx[0], mx[-1] * np.exp(fit.bx * fit.drift), rtol=1e-12)
    fitted = fit.forecast(3)
    assert not np.allclose(forecast.mx[0], fitted.mx[0])


def test_stochastic_draws_are_seeded_vectorised_and_centred_on_the_point_forecast():
    ax, bx, kt = _known_model()
    female = np.exp(ax + bx * kt[:, None])
    mx = np.stack([female, female * 1.3], axis=-2)  # (year, sex, age)
    fit = fit_lee_carter(mx, years=YEARS)
    n_draws, horizon = 4000, 20
    forecast = fit.forecast(horizon, n_draws=n_draws, seed=42)
    assert forecast.mx_draws.shape == (n_draws, horizon, 2, AGES.size)
    assert forecast.kt_draws.shape == (n_draws, horizon, 2)
    assert np.all(forecast.mx_draws > 0)
    again = fit.forecast(horizon, n_draws=n_draws, seed=42)
    np.testing.assert_array_equal(again.mx_draws, forecast.mx_draws)
    # mean of k draws = point forecast, within 4 standard errors; spread sigma sqrt(h)
    sigma = fit.sigma  # (sex,)
    h = np.arange(1, horizon + 1)[:, None]
    standard_error = sigma * np.sqrt(h) / np.sqrt(n_draws)
    assert np.all(np.abs(forecast.kt_draws.mean(axis=0) - forecast.kt) < 4 * standard_error)
    np.testing.assert_allclose(forecast.kt_draws.std(axis=0), sigma * np.sqrt(h), rtol=0.08)
    # log rates: the point forecast is the mean; rates: it is the median
    np.testing.assert_allclose(np.log(forecast.mx_draws).mean(axis=0), np.log(forecast.mx), atol=0.02)
    np.testing.assert_allclose(np.median(forecast.mx_draws, axis=0), forecast.mx, rtol=0.02)


def test_drift_uncertainty_widens_the_fan():
    # var k_{T+h} = sigma^2 h + h^2 sigma^2 / (T - 1) when the drift is drawn too
    ax, bx, kt = _known_model()
    fit = fit_lee_carter(np.exp(ax + bx * kt[:, None]), years=YEARS)
    horizon, n_draws = 30, 20000
    forecast = fit.forecast(horizon, n_draws=n_draws, seed=1, drift_uncertainty=True)
    expected = fit.sigma**2 * (horizon + horizon**2 / (YEARS.size - 1))
    assert forecast.kt_draws[:, -1].var() == pytest.approx(float(expected), rel=0.05)


def test_five_year_periods_step_by_five():
    ax, bx, kt = _known_model()
    fit = fit_lee_carter(np.exp(ax + bx * kt[:6, None]), years=[1990, 1995, 2000, 2005, 2010, 2015])
    np.testing.assert_array_equal(fit.forecast(2).years, [2020, 2025])


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda mx: mx.__setitem__((4, 1, 20), 0.0), {},
         r"mx has a death rate of 0 at year 1994, sex 1 \(male\), age 100, but it must be greater than 0.*close_old_ages"),
        (lambda mx: mx.__setitem__((2, 0, 3), np.nan), {},
         r"mx contains a missing or infinite death rate \(nan\) at year 1992, sex 0 \(female\), age 15"),
    ],
)
def test_bad_rates_name_year_sex_and_age(change, kwargs, message):
    ax, bx, kt = _known_model()
    mx = np.stack([np.exp(ax + bx * kt[:, None])] * 2, axis=-2)
    change(mx)
    with pytest.raises(ValueError, match=message):
        fit_lee_carter(mx, years=YEARS, ages=AGES, **kwargs)


def test_bad_input_messages():
    ax, bx, kt = _known_model()
    mx = np.exp(ax + bx * kt[:, None])
    with pytest.raises(ValueError, match="Lee-Carter needs at least 3 years"):
        fit_lee_carter(mx[:2])
    with pytest.raises(ValueError, match="years has 5 entries but mx has 30 years"):
        fit_lee_carter(mx, years=np.arange(5))
    with pytest.raises(ValueError, match="years must be equally spaced"):
        fit_lee_carter(mx[:4], years=[2000, 2001, 2002, 2005])
    with pytest.raises(ValueError, match="increasing order"):
        fit_lee_carter(mx[:3], years=[2002, 2001, 2000])
    with pytest.raises(ValueError, match="ages has 3 entries but mx has 21 ages"):
        fit_lee_carter(mx, ages=[0, 1, 2])
    with pytest.raises(ValueError, match="has_sex_axis=True needs mx laid out as"):
        fit_lee_carter(mx, has_sex_axis=True)
    with pytest.raises(ValueError, match="at least a year and an age axis"):
        fit_lee_carter(mx[0])
    with pytest.raises(ValueError, match="does not change over the years"):
        fit_lee_carter(np.tile(mx[0], (5, 1)))
    fit = fit_lee_carter(mx)
    with pytest.raises(ValueError, match="horizon must be a whole number"):
        fit.forecast(0)
    with pytest.raises(ValueError, match="n_draws must be a whole number"):
        fit.forecast(5, n_draws=-1)
    with pytest.raises(ValueError, match="jump_off must be one of"):
        fit.forecast(5, jump_off="last")


def test_forecast_life_expectancy_uses_the_life_table():
    ax, bx, kt = _known_model()
    female = np.exp(ax + bx * kt[:, None])
    grid = np.concatenate([[0, 1], np.arange(5, 105, 5)])
    mx = np.concatenate([female[:, :1], female], axis=-1)  # 0, 1-4, 5-9, ..., 100+ (22 groups)
    two_sexes = fit_lee_carter(np.stack([mx, mx * 1.2], axis=-2), years=YEARS, ages=grid)
    forecast = two_sexes.forecast(5, n_draws=3, seed=0)
    e0 = forecast.e0()
    assert e0.shape == (5, 2) and forecast.e0(draws=True).shape == (3, 5, 2)
    np.testing.assert_allclose(e0, life_table(forecast.mx, ages=grid).e0)
    assert np.all(np.diff(e0, axis=0) > 0)  # falling k: rising life expectancy
    one_sex = fit_lee_carter(mx, years=YEARS, ages=grid).forecast(5)
    np.testing.assert_allclose(one_sex.e0(sex="female"), e0[:, 0], rtol=1e-12)
    with pytest.raises(ValueError, match="sex='female' or sex='male'"):
        one_sex.e0()
    with pytest.raises(ValueError, match="has no draws"):
        one_sex.e0(draws=True, sex="female")
