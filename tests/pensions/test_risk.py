"""Stochastic valuation: the scenario generator, the summaries worked by hand, and the batch identities.

- the economic model reproduces its parameters (medians, volatilities, correlations, the AR(1)
  stationary variance) on a large sample; with zero volatility every scenario is the median path;
- fan quantiles and exhaustion probabilities on small arrays, worked by hand in the comments;
- with zero volatility (and a Lee-Carter model without noise) the stochastic run equals the
  deterministic valuation; scenario i of a batch equals scenario i run alone.
"""

import numpy as np
import pytest
from qsp.demography import fit_lee_carter, life_table
from qsp.pensions import (
    BenefitRules,
    Fan,
    StochasticAssumptions,
    fan,
    membership_from_arrays,
    probability_exhausted,
    project_insured,
    stochastic_assumptions,
    stochastic_valuation,
    value_scheme,
)

N_AGE = 101
AGES = np.arange(N_AGE)


def gompertz_qx():
    qx = np.minimum(0.0004 * np.exp(0.085 * AGES), 1.0)
    qx[-1] = 1.0
    return np.broadcast_to(qx, (2, N_AGE))


def lee_carter(noise=0.5, seed=0):
    """A two-sex Lee-Carter model fitted to 25 years of synthetic rates: ln m = a_x + b_x k_t (+ noise in k)."""
    rng = np.random.default_rng(seed)
    years = np.arange(1995, 2020)
    trend = np.linspace(8.0, -8.0, years.size) + noise * rng.standard_normal(years.size)
    base = np.log(0.0003 * np.exp(0.085 * AGES) + 0.0008)
    pattern = np.exp(-AGES / 40.0)
    pattern /= pattern.sum()
    log_mx = base + pattern * trend[:, None, None] + np.array([0.0, 0.25])[:, None]     # (year, sex, age)
    return fit_lee_carter(np.exp(log_mx), years=years)


def scheme():
    """A small open scheme: actives with a service distribution, inactives, pensioners of each type."""
    rng = np.random.default_rng(11)
    actives = np.zeros((2, N_AGE, 50))
    inactives = np.zeros((2, N_AGE, 50))
    for age in range(20, 62, 3):
        actives[:, age, : age - 19] = rng.uniform(5, 40, (2, age - 19))
        inactives[:, age, : age - 19] = rng.uniform(0, 10, (2, age - 19))
    pensioners = np.zeros((4, 2, N_AGE))
    pensioners[0, :, 62:90] = 20.0
    pensioners[1, :, 40:62] = 2.0
    pensioners[2, 0, 50:90] = 6.0
    pensioners[3, :, 5:18] = 1.0
    membership = membership_from_arrays(actives, active_wages=1500.0, inactives=inactives, pensioners=pensioners,
                                        pension_amounts=700.0)
    shares = np.zeros((2, N_AGE))
    shares[:, 20:30] = 0.05
    options = dict(new_entrants=300.0, entrant_distribution=shares, disability_incidence=0.003, withdrawal_rate=0.04,
                   reentry_rate=0.1, contribution_density=0.85, proportion_married=0.6, orphans_per_death=0.4,
                   wages=np.broadcast_to(1000.0 + 20.0 * AGES, (2, N_AGE)))
    return membership, options


def rules(reference_wage="final"):
    return BenefitRules(accrual_rate=0.02, minimum_years=10, minimum_pension=450.0, maximum_pension=3000.0,
                        normal_retirement_age=62, disability_minimum_years=3, survivor_minimum_years=3,
                        disability_future_service=True, survivor_rate=0.5, orphan_rate=0.2, grant_rate=0.1,
                        reference_wage=reference_wage, indexation=0.5)


# ---------------------------------------------------------------------------------------------
# the scenario generator
# ---------------------------------------------------------------------------------------------
def test_zero_volatility_gives_the_medians_in_every_scenario():
    scenarios = stochastic_assumptions(4, n_years=6, seed=3, volatility=0.0)
    np.testing.assert_allclose(scenarios.price_inflation, 0.04, rtol=1e-14)
    np.testing.assert_allclose(scenarios.real_wage_growth, 0.015, rtol=1e-13)
    np.testing.assert_allclose(scenarios.wage_growth, 1.04 * 1.015 - 1.0, rtol=1e-14)
    np.testing.assert_allclose(scenarios.interest_rate, 1.04 * 1.03 - 1.0, rtol=1e-14)
    np.testing.assert_allclose(scenarios.price_index[0], 1.04 ** np.arange(1, 7), rtol=1e-14)
    assert scenarios.mortality is None and scenarios.years.tolist() == [1, 2, 3, 4, 5, 6]


def test_economic_model_reproduces_its_parameters():
    # phi = 0: z_t ~ N(mu, sigma^2) with the given correlations, independent over the years
    medians, volatility = (0.03, 0.02, 0.04), (0.02, 0.01, 0.05)
    correlation = [[1.0, -0.5, 0.3], [-0.5, 1.0, 0.1], [0.3, 0.1, 1.0]]
    scenarios = stochastic_assumptions(20_000, n_years=2, seed=5, medians=medians, volatility=volatility,
                                       persistence=0.0, correlation=correlation)
    z = np.log1p(np.stack([scenarios.price_inflation, scenarios.real_wage_growth, scenarios.real_return]))
    sample = z[:, :, 0]
    np.testing.assert_allclose(np.median(sample, axis=1), np.log1p(medians), atol=0.002)
    np.testing.assert_allclose(sample.std(axis=1), volatility, rtol=0.03)
    np.testing.assert_allclose(np.corrcoef(sample), correlation, atol=0.03)
    assert abs(np.corrcoef(z[0, :, 0], z[0, :, 1])[0, 1]) < 0.03          # no correlation across years
    # AR(1) with phi = 0.8 from z_0 = mu: Var z_t = sigma^2 (1 - phi^(2t)) / (1 - phi^2); t = 30 is stationary
    persistent = stochastic_assumptions(20_000, n_years=30, seed=6, volatility=0.02, persistence=0.8)
    late = np.log1p(persistent.price_inflation[:, -1])
    assert late.std() == pytest.approx(0.02 / np.sqrt(1 - 0.8**2), rel=0.03)
    first = np.log1p(persistent.price_inflation[:, 0])
    assert first.std() == pytest.approx(0.02, rel=0.03)                      # one innovation from z_0 = mu
    lag = np.log1p(persistent.price_inflation[:, -2])
    assert np.corrcoef(late, lag)[0, 1] == pytest.approx(0.8, abs=0.02)


def test_seed_reproduces_and_the_first_scenarios_do_not_depend_on_n():
    one = stochastic_assumptions(5, n_years=4, seed=42)
    again = stochastic_assumptions(5, n_years=4, seed=42)
    more = stochastic_assumptions(9, n_years=4, seed=42)
    np.testing.assert_array_equal(one.interest_rate, again.interest_rate)
    np.testing.assert_array_equal(one.wage_growth, more.wage_growth[:5])
    assert not np.array_equal(one.interest_rate, stochastic_assumptions(5, n_years=4, seed=43).interest_rate)


def test_lee_carter_draws_become_qx():
    model = lee_carter()
    scenarios = stochastic_assumptions(50, n_years=20, seed=1, mortality=model)
    assert scenarios.mortality.shape == (50, 20, 2, N_AGE)
    assert np.all((scenarios.mortality >= 0) & (scenarios.mortality <= 1))
    np.testing.assert_array_equal(scenarios.mortality[..., -1], 1.0)            # open age
    assert scenarios.mortality[:, -1, 0, 5].std() > 0                           # the draws differ
    # the same draws by hand: the mortality stream is the second child of the seed
    stream = np.random.default_rng(1).spawn(2)[1]
    by_hand = life_table(model.forecast(20, n_draws=50, seed=stream, jump_off="observed").mx_draws).qx
    np.testing.assert_allclose(scenarios.mortality, by_hand, rtol=1e-14)
    frame = scenarios.to_frame()
    assert list(frame.columns) == ["scenario", "year", "variable", "value"]
    assert "deaths_per_1000_alive_65" in set(frame.variable)
    # a forecast with draws can be given instead of the model
    forecast = model.forecast(25, n_draws=60, seed=9)
    from_forecast = stochastic_assumptions(50, n_years=20, seed=1, mortality=forecast)
    np.testing.assert_allclose(from_forecast.mortality, life_table(forecast.mx_draws[:50, :20]).qx)


# ---------------------------------------------------------------------------------------------
# summaries, by hand
# ---------------------------------------------------------------------------------------------
def test_fan_quantiles_by_hand():
    # 5 scenarios, 2 years. Year 1 sorted: 1, 2, 3, 4, 5. Linear rule (Hyndman-Fan 7): position (n - 1) p = 4 p.
    #   p = 0.05 -> 0.2: 1 + 0.2 (2 - 1) = 1.2     p = 0.25 -> 1: 2     p = 0.5 -> 2: 3
    #   p = 0.75 -> 3: 4                            p = 0.95 -> 3.8: 4 + 0.8 (5 - 4) = 4.8
    # Year 2 (unsorted 50, 10, 40, 20, 30 = 10 x year 1): 12, 20, 30, 40, 48
    values = np.array([[5.0, 50.0], [1.0, 10.0], [4.0, 40.0], [2.0, 20.0], [3.0, 30.0]])
    bands = fan(values, years=[2030, 2031])
    assert isinstance(bands, Fan)
    np.testing.assert_allclose(bands.levels, [[1.2, 12.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [4.8, 48.0]])
    low, high = bands.band(0.05, 0.95)
    np.testing.assert_allclose(low, [1.2, 12.0])
    np.testing.assert_allclose(high, [4.8, 48.0])
    frame = bands.to_frame()
    assert list(frame.columns) == ["year", "quantile", "value"] and len(frame) == 10
    assert frame.query("year == 2031 and quantile == 0.95").value.item() == pytest.approx(48.0)
    # 4 scenarios, one NaN left out: 3, 1, 2 -> median 2; p = 0.25 of 1, 2, 3 -> position 0.5: 1.5
    with_nan = fan([[3.0], [np.nan], [1.0], [2.0]], quantiles=(0.25, 0.5))
    np.testing.assert_allclose(with_nan.levels[:, 0], [1.5, 2.0])
    # another rule: inverted CDF (definition 1) gives the smallest x with F(x) >= p: p = 0.25 of 1..5 -> 2
    np.testing.assert_allclose(fan(values, (0.25,), method="inverted_cdf").levels, [[2.0, 20.0]])
    # an extra axis between scenarios and time is kept: (n, 2, T) -> (q, 2, T)
    assert fan(np.stack([values, -values], axis=1), (0.5,)).levels.shape == (1, 2, 2)


def test_probability_exhausted_by_hand():
    # 4 scenarios over 5 years (end-of-year reserves):
    #   A: 5  3 -1  2  4   exhausted from year 3 (recovers later: still counted)
    #   B: 5  6  7  8  9   never
    #   C: 1  0 -2 -3 -4   from year 2 (a reserve of exactly 0 is exhausted)
    #   D: 4  2  1 -1 -2   from year 4
    # on or before year: 1: 0/4, 2: 1/4 (C), 3: 2/4 (A, C), 4: 3/4, 5: 3/4
    reserve = np.array([[5, 3, -1, 2, 4], [5, 6, 7, 8, 9], [1, 0, -2, -3, -4], [4, 2, 1, -1, -2]], dtype=float)
    np.testing.assert_allclose(probability_exhausted(reserve), [0.0, 0.25, 0.5, 0.75, 0.75])
    years = np.arange(2031, 2036)
    assert probability_exhausted(reserve, years, 2033) == pytest.approx(0.5)
    np.testing.assert_allclose(probability_exhausted(reserve, years, [2032, 2035]), [0.25, 0.75])
    # a level of 2: A from year 2 (3 > 2, -1 <= 2 -> year 3; no: 3 > 2 so year 3), C year 1, D year 2
    #   A: 5 3 -1 -> year 3; C: 1 -> year 1; D: 4 2 -> year 2; B never -> 1/4, 2/4, 3/4, 3/4, 3/4
    np.testing.assert_allclose(probability_exhausted(reserve, level=2.0), [0.25, 0.5, 0.75, 0.75, 0.75])
    # an extra axis (two funds) between scenarios and time
    two = np.stack([reserve, -reserve], axis=1)                     # the second fund is exhausted at once
    np.testing.assert_allclose(probability_exhausted(two)[1], [1.0, 1.0, 1.0, 1.0, 1.0])


def test_summary_bad_input_messages():
    with pytest.raises(ValueError, match=r"values must have a scenario axis first and time last"):
        fan([1.0, 2.0])
    with pytest.raises(ValueError, match=r"values has a infinite value at scenario 1, year index 0"):
        fan([[1.0], [np.inf]])
    with pytest.raises(ValueError, match=r"quantiles has a probability of 1.5"):
        fan([[1.0], [2.0]], quantiles=(0.5, 1.5))
    with pytest.raises(ValueError, match=r"years must hold one label per year \(1\)"):
        fan([[1.0], [2.0]], years=[2030, 2031])
    with pytest.raises(ValueError, match=r"method 'nearest-ish' is not a quantile method"):
        fan([[1.0], [2.0]], method="nearest-ish")
    with pytest.raises(ValueError, match=r"quantile 0.1 was not computed"):
        fan([[1.0], [2.0]]).band(0.1, 0.9)
    with pytest.raises(ValueError, match=r"reserve has a missing or infinite value at scenario 0, year index 1"):
        probability_exhausted([[1.0, np.nan], [1.0, 2.0]])
    with pytest.raises(ValueError, match=r"by_year 2040 is not one of the years 2031..2032"):
        probability_exhausted([[1.0, 2.0]], years=[2031, 2032], by_year=2040)


def test_generator_bad_input_messages():
    with pytest.raises(ValueError, match=r"n must be a whole number of at least 1, got 0"):
        stochastic_assumptions(0, n_years=3)
    with pytest.raises(ValueError, match=r"n_years must be a whole number of at least 1, got 2.5"):
        stochastic_assumptions(3, n_years=2.5)
    with pytest.raises(ValueError, match=r"medians has a median rate of -1 .*greater than -1"):
        stochastic_assumptions(3, n_years=3, medians=(-1.0, 0.0, 0.0))
    with pytest.raises(ValueError, match=r"volatility has a volatility of -0.1 at variable 2"):
        stochastic_assumptions(3, n_years=3, volatility=(0.01, 0.01, -0.1))
    with pytest.raises(ValueError, match=r"volatility must be one number or three"):
        stochastic_assumptions(3, n_years=3, volatility=(0.01, 0.01))
    with pytest.raises(ValueError, match=r"persistence of real_return is 1, but it must be below 1"):
        stochastic_assumptions(3, n_years=3, persistence=(0.5, 0.5, 1.0))
    with pytest.raises(ValueError, match=r"correlation must be symmetric, but entry \(0, 1\) is 0.5"):
        stochastic_assumptions(3, n_years=3, correlation=[[1, 0.5, 0], [0.2, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match=r"correlation must have ones on its diagonal"):
        stochastic_assumptions(3, n_years=3, correlation=[[0.5, 0, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match=r"correlation is not positive semi-definite"):
        stochastic_assumptions(3, n_years=3, correlation=[[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(ValueError, match=r"correlation must be a 3 x 3 matrix"):
        stochastic_assumptions(3, n_years=3, correlation=np.eye(2))
    with pytest.raises(ValueError, match=r"mortality must be a fitted Lee-Carter model"):
        stochastic_assumptions(3, n_years=3, mortality=gompertz_qx())
    with pytest.raises(ValueError, match=r"Lee-Carter forecast without draws"):
        stochastic_assumptions(3, n_years=3, mortality=lee_carter().forecast(5))
    with pytest.raises(ValueError, match=r"has 2 draws over 5 years, but 3 scenarios over 3 years are needed"):
        stochastic_assumptions(3, n_years=3, mortality=lee_carter().forecast(5, n_draws=2, seed=1))
    with pytest.raises(ValueError, match=r"mortality_jump_off must be 'observed' or 'fitted'"):
        stochastic_assumptions(3, n_years=3, mortality_jump_off="last")
    with pytest.raises(ValueError, match=r"index 5 is outside the 3 scenarios"):
        stochastic_assumptions(3, n_years=3).select(5)


# ---------------------------------------------------------------------------------------------
# the stochastic valuation
# ---------------------------------------------------------------------------------------------
def test_zero_volatility_equals_the_deterministic_valuation():
    membership, options = scheme()
    scenarios = stochastic_assumptions(3, n_years=25, seed=2, volatility=0.0)
    result = stochastic_valuation(membership, rules(), scenarios, contribution_rate=0.14, initial_reserve=2e6,
                                  mortality=gompertz_qx(), admin_cost_rate=0.03, **options)
    projection = project_insured(membership, rules(), n_years=25, mortality=gompertz_qx(),
                                 wage_growth=1.04 * 1.015 - 1.0, price_inflation=0.04, detail="total", **options)
    deterministic = value_scheme(projection, contribution_rate=0.14, interest_rate=1.04 * 1.03 - 1.0,
                                 initial_reserve=2e6, admin_cost_rate=0.03)
    assert result.reserve.shape == (3, 25)
    for k in range(3):
        np.testing.assert_allclose(result.reserve[k], deterministic.reserve.reserve, rtol=1e-10)
        np.testing.assert_allclose(result.payg_cost_rate[k], deterministic.payg_cost_rate, rtol=1e-10)
        np.testing.assert_allclose(result.valuation.benefit_expenditure[k], deterministic.benefit_expenditure,
                                   rtol=1e-10)
    np.testing.assert_allclose(result.general_average_premium(), deterministic.general_average_premium(), rtol=1e-10)


def test_lee_carter_without_noise_equals_the_deterministic_valuation():
    # k_t exactly linear: sigma = 0, every draw is the point forecast (on the observed jump-off)
    model = lee_carter(noise=0.0)
    assert float(model.sigma.max()) < 1e-12
    membership, options = scheme()
    scenarios = stochastic_assumptions(2, n_years=20, seed=4, volatility=0.0, mortality=model)
    result = stochastic_valuation(membership, rules(), scenarios, contribution_rate=0.14, initial_reserve=2e6,
                                  **options)
    qx = life_table(model.forecast(20, jump_off="observed").mx).qx                 # (year, sex, age)
    projection = project_insured(membership, rules(), n_years=20, mortality=qx, wage_growth=1.04 * 1.015 - 1.0,
                                 price_inflation=0.04, detail="total", **options)
    deterministic = value_scheme(projection, contribution_rate=0.14, interest_rate=1.04 * 1.03 - 1.0,
                                 initial_reserve=2e6)
    for k in range(2):
        np.testing.assert_allclose(result.reserve[k], deterministic.reserve.reserve, rtol=1e-9)
        np.testing.assert_allclose(result.valuation.pensioners[k], deterministic.pensioners, rtol=1e-9)


@pytest.mark.parametrize("reference_wage", ["final", "career"])
def test_scenario_i_of_a_batch_equals_scenario_i_alone(reference_wage):
    # economic AND mortality scenarios: the service distributions carry the scenario axis, and the money too
    membership, options = scheme()
    scenarios = stochastic_assumptions(4, n_years=15, seed=8, mortality=lee_carter(), start_year=2025)
    result = stochastic_valuation(membership, rules(reference_wage), scenarios, contribution_rate=0.12,
                                  initial_reserve=1e6, detail="age", **options)
    for k in range(4):
        alone = stochastic_valuation(membership, rules(reference_wage), scenarios.select(k), contribution_rate=0.12,
                                     initial_reserve=1e6, detail="age", **options)
        assert alone.reserve.shape == (1, 15)
        for name in ("reserve", "reserve_ratio", "payg_cost_rate"):
            np.testing.assert_allclose(getattr(result, name)[k], getattr(alone, name)[0], rtol=1e-10, err_msg=name)
        for name in ("contributions", "benefit_expenditure", "pensioners", "contributors"):
            np.testing.assert_allclose(getattr(result.valuation, name)[k], getattr(alone.valuation, name)[0],
                                       rtol=1e-10, err_msg=name)
        np.testing.assert_allclose(result.valuation.projection.final_actives[k],
                                   alone.valuation.projection.final_actives[0], rtol=1e-10, atol=1e-9)
    # members are conserved every year in every scenario
    for name, residual in result.valuation.projection.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-8, err_msg=name)


def test_result_summaries_plot_and_frame():
    membership, options = scheme()
    scenarios = stochastic_assumptions(30, n_years=12, seed=9, start_year=2026)
    result = stochastic_valuation(membership, rules(), scenarios, contribution_rate=0.05, initial_reserve=5e5,
                                  mortality=gompertz_qx(), **options)
    bands = result.fan("real_reserve")
    np.testing.assert_allclose(bands.levels[2], np.median(result.reserve / scenarios.price_index, axis=0))
    curve = result.probability_exhausted()
    assert curve.shape == (12,) and np.all(np.diff(curve) >= 0)
    np.testing.assert_allclose(curve, np.mean(np.minimum.accumulate(result.reserve, axis=1) <= 0, axis=0))
    assert result.probability_exhausted(2037) == curve[-1]
    ax = result.plot("reserve_ratio", title="Reserve ratio")          # the Agg backend is set in tests/conftest.py
    assert ax.get_title() == "Reserve ratio" and len(ax.collections) == 2          # the 90% and 50% bands
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
    frame = result.to_frame()
    assert list(frame.columns) == ["scenario", "year", "variable", "value"]
    assert {"reserve", "interest_rate"} <= set(frame.variable) and frame.year.min() == 2026
    assert frame.scenario.nunique() == 30
    with pytest.raises(ValueError, match=r"variable must be one of"):
        result.fan("happiness")


def test_valuation_bad_input_messages():
    membership, options = scheme()
    scenarios = stochastic_assumptions(2, n_years=3, seed=1)
    with pytest.raises(ValueError, match=r"assumptions must come from stochastic_assumptions"):
        stochastic_valuation(membership, rules(), {"wage_growth": 0.03}, contribution_rate=0.1,
                             mortality=gompertz_qx())
    with pytest.raises(ValueError, match=r"mortality is missing"):
        stochastic_valuation(membership, rules(), scenarios, contribution_rate=0.1, **options)
    with_mortality = stochastic_assumptions(2, n_years=3, seed=1, mortality=lee_carter())
    with pytest.raises(ValueError, match=r"mortality is given twice"):
        stochastic_valuation(membership, rules(), with_mortality, contribution_rate=0.1, mortality=gompertz_qx())
    with pytest.raises(ValueError, match=r"wage_growth comes from the assumptions"):
        stochastic_valuation(membership, rules(), scenarios, contribution_rate=0.1, mortality=gompertz_qx(),
                             wage_growth=0.03, **options)
    with pytest.raises(ValueError, match=r"contribution_rate has a contribution rate of 1.2"):
        stochastic_valuation(membership, rules(), scenarios, contribution_rate=1.2, mortality=gompertz_qx(),
                             **options)
    assert isinstance(scenarios.select(-1), StochasticAssumptions) and scenarios.select(-1).n_scenarios == 1


def test_docstring_examples():
    import doctest

    import qsp.pensions.risk as risk

    result = doctest.testmod(risk, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
