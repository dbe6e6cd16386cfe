"""Cohort-component projection: hand-worked values, a plain-Python reference, the balancing
equation, stable growth at Lotka's r, batches, and bad-input messages."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import life_table, project, survival_ratios
from scipy.optimize import brentq

AGES = np.arange(101)
MX = np.stack([0.00015 * np.exp(0.085 * AGES) + 0.003 * np.exp(-2.0 * AGES),
               0.00020 * np.exp(0.085 * AGES) + 0.004 * np.exp(-2.0 * AGES)])
ASFR = np.where((AGES >= 15) & (AGES < 50), 0.06, 0.0)
BASE = np.stack([np.linspace(1500.0, 100.0, 101), np.linspace(1550.0, 60.0, 101)])


def cohort_balance_residual(result):
    """population[t+1] - (population[t] moved one age up + births - deaths + migrants), by cohort."""
    pop = result.population
    expected = np.zeros_like(pop[..., 1:, :, :])
    expected[..., 1:] = pop[..., :-1, :, :-1]
    expected[..., -1] += pop[..., :-1, :, -1]
    expected[..., 0] = result.births
    expected += result.migrants - result.deaths
    return pop[..., 1:, :, :] - expected


# ---------------------------------------------------------------------------------------------
# a hand-worked step
# ---------------------------------------------------------------------------------------------
def test_one_step_worked_by_hand():
    # ages 0, 1, 2+; a0 = 0.1 for both sexes; the same rates for both sexes
    m = np.array([0.02, 0.01, 0.5])
    q0 = 0.02 / (1 + 0.9 * 0.02)
    q1 = 0.01 / (1 + 0.5 * 0.01)
    l1 = 1 - q0
    l2 = l1 * (1 - q1)
    L0 = l1 + 0.1 * q0
    L1 = l2 + 0.5 * (l1 - l2)
    L2 = l2 / 0.5
    s0, s_open = L1 / L0, L2 / (L1 + L2)
    women = np.array([100.0, 80.0, 60.0])
    men = np.array([110.0, 70.0, 40.0])
    f = np.array([0.0, 0.5, 0.2])
    migrants = np.array([[10.0, -4.0, 6.0], [0.0, 8.0, -2.0]])
    result = project(np.stack([women, men]), mx=np.stack([m, m]), asfr=f, net_migrants=migrants, srb=1.05,
                     years=[2020, 2021], a0=0.1, migration_timing="half", birth_exposure="average")
    start = np.stack([women, men]) + migrants / 2
    survivors = np.stack([np.zeros(2), start[:, 0] * s0, (start[:, 1] + start[:, 2]) * s_open], axis=1)
    # the women at the end include the half of the migrants who arrive at the end (Preston Box 6.2)
    births = (f @ start[0] + f[1:] @ (survivors[0, 1:] + migrants[0, 1:] / 2)) / 2
    girls, boys = births / 2.05, births * 1.05 / 2.05
    expected = survivors + migrants / 2
    expected[:, 0] = np.array([girls, boys]) * L0 + migrants[:, 0] / 2
    np.testing.assert_allclose(result.population[1], expected, rtol=1e-13)
    np.testing.assert_allclose(result.births[0], [girls, boys], rtol=1e-13)
    # "average-survivors" (the default): the end arrivals (-4/2 women at age 1, +6/2 at age 2) are
    # not exposed: (0.5 x -2 + 0.2 x 3) / 2 = -0.2 births fewer with "average", so 0.2 more here
    survivors_only = project(np.stack([women, men]), mx=np.stack([m, m]), asfr=f, net_migrants=migrants, srb=1.05,
                             years=[2020, 2021], a0=0.1, migration_timing="half")
    np.testing.assert_allclose(survivors_only.births[0].sum(), births - (0.5 * -4.0 + 0.2 * 6.0) / 2 / 2,
                               rtol=1e-13)
    # deaths by cohort: births, those aged 0 at the start, and the open group (aged 1 or 2+)
    np.testing.assert_allclose(result.deaths[0][:, 0], np.array([girls, boys]) * (1 - L0), rtol=1e-12)
    np.testing.assert_allclose(result.deaths[0][:, 1], start[:, 0] * (1 - s0), rtol=1e-12)
    np.testing.assert_allclose(result.deaths[0][:, 2], (start[:, 1] + start[:, 2]) * (1 - s_open), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# a plain-Python reference (loops over sex and age) for the three timings and emigration
# ---------------------------------------------------------------------------------------------
def reference_projection(pop, mx, asfr, migrants, srb, n_steps, start_share, exposure):
    surv = survival_ratios(mx)
    ratios, newborn = surv.ratios, surv.births
    n_age = pop.shape[-1]
    out = [pop.copy()]
    for _ in range(n_steps):
        now = out[-1]
        start = [[max(now[s][x] + start_share * migrants[s][x], 0.0) for x in range(n_age)] for s in range(2)]
        nxt = [[0.0] * n_age for _ in range(2)]
        for s in range(2):
            for x in range(n_age - 1):
                nxt[s][min(x + 1, n_age - 1)] += start[s][x] * ratios[s][x]
            nxt[s][n_age - 1] += start[s][n_age - 1] * ratios[s][n_age - 1]
        average = exposure != "start"
        arrivals = exposure == "average"  # the women at the end include the end arrivals
        births = 0.0
        for x in range(n_age):
            at_end = max(nxt[0][x] + (1 - start_share) * migrants[0][x], 0.0) if arrivals else nxt[0][x]
            women = start[0][x] + (at_end if (average and x > 0) else 0.0)
            births += asfr[x] * (women / 2 if average else women)
        nxt[0][0] = births / (1 + srb) * newborn[0]
        nxt[1][0] = births * srb / (1 + srb) * newborn[1]
        for s in range(2):
            for x in range(n_age):
                nxt[s][x] = max(nxt[s][x] + (1 - start_share) * migrants[s][x], 0.0)
        out.append(np.array(nxt))
    return np.array(out)


@pytest.mark.parametrize("timing,share", [("half", 0.5), ("start", 1.0), ("end", 0.0)])
@pytest.mark.parametrize("exposure", ["average", "average-survivors", "start"])
def test_matches_plain_python_reference(timing, share, exposure):
    n_age = 12
    rng = np.random.default_rng(3)
    mx = MX[:, :n_age] * 20
    asfr = np.where((np.arange(n_age) >= 3) & (np.arange(n_age) < 9), 0.4, 0.0)
    pop = BASE[:, :n_age]
    migrants = rng.normal(0, 400, size=(2, n_age))  # large: some cohorts are emptied
    result = project(pop, mx=mx, asfr=asfr, net_migrants=migrants, srb=1.06, years=range(2000, 2008),
                     migration_timing=timing, birth_exposure=exposure)
    ref = reference_projection(pop, mx, asfr, migrants, 1.06, 7, share, exposure)
    np.testing.assert_allclose(result.population, ref, rtol=1e-12, atol=1e-9)
    assert result.emigration_shortfall.sum() > 0
    assert np.abs(cohort_balance_residual(result)).max() < 1e-9


# ---------------------------------------------------------------------------------------------
# properties (hypothesis)
# ---------------------------------------------------------------------------------------------
@st.composite
def projection_inputs(draw):
    n_batch = draw(st.integers(1, 3))
    n_age = draw(st.integers(3, 10))
    n_steps = draw(st.integers(1, 6))
    pop = draw(arrays(np.float64, (n_batch, 2, n_age), elements=st.floats(0, 1e5)))
    mx = draw(arrays(np.float64, (n_batch, n_steps, 2, n_age), elements=st.floats(1e-4, 2.0)))
    asfr = draw(arrays(np.float64, (n_age,), elements=st.floats(0, 0.6)))
    migrants = draw(arrays(np.float64, (n_batch, n_steps, 2, n_age), elements=st.floats(-2e5, 2e5)))
    srb = draw(st.floats(0.8, 1.3))
    timing = draw(st.sampled_from(["half", "start", "end"]))
    exposure = draw(st.sampled_from(["average", "average-survivors", "start"]))
    return pop, mx, asfr, migrants, srb, n_steps, timing, exposure


@given(projection_inputs())
def test_never_negative_and_every_cohort_balances(inputs):
    pop, mx, asfr, migrants, srb, n_steps, timing, exposure = inputs
    result = project(pop, mx=mx, asfr=asfr, net_migrants=migrants, srb=srb, years=range(2020, 2021 + n_steps),
                     migration_timing=timing, birth_exposure=exposure)
    assert np.all(result.population >= 0)
    assert np.all(result.births >= 0)
    assert np.all(result.deaths >= -1e-9 * (1 + np.abs(result.population).max()))
    assert np.all(result.emigration_shortfall >= 0)
    scale = 1 + max(np.abs(result.population).max(), np.abs(migrants).max())
    assert np.abs(cohort_balance_residual(result)).max() <= 1e-12 * scale


def test_without_emigration_shortfall_migrants_are_as_requested():
    migrants = np.full((2, 101), 50.0)
    result = project(BASE, mx=MX, asfr=ASFR, net_migrants=migrants, years=range(2020, 2031))
    assert result.emigration_shortfall.max() == 0
    np.testing.assert_allclose(result.migrants[..., 1:-1], 50.0)  # 25 at the start + 25 at the end
    np.testing.assert_allclose(result.migrants[..., 0], 25.0)  # newborns: only the end half
    np.testing.assert_allclose(result.migrants[..., -1], 75.0)  # open group: 25 + 25 at the start, 25 at the end


def _engines():
    import importlib.util

    from qsp.demography import _engine

    return ["numpy"] + (["numba"] if importlib.util.find_spec("numba") and not _engine.numba_disabled() else [])


@pytest.mark.parametrize("engine", _engines())
def test_emigration_shortfall_is_exactly_zero_unless_a_cohort_is_emptied(engine):
    # emigration of a few people a year never empties a cohort here: the shortfall must be exactly
    # 0, not the rounding noise of "realised minus requested" (a bug once: ~1e-11 in many cells)
    emigration = np.where((AGES >= 15) & (AGES < 45), -3.3, 0.0) * np.array([[1.0], [1.1]])
    kwargs = dict(mx=MX, asfr=ASFR, net_migrants=emigration, years=range(2020, 2071), engine=engine)
    result = project(BASE, **kwargs)
    assert result.population.min() > 0
    assert not np.any(result.emigration_shortfall)
    # a cohort emptied at one place: the shortfall is there, and it is what was asked minus what happened
    emptying = emigration.copy()
    emptying[1, 95] = -500.0
    result = project(BASE, **dict(kwargs, net_migrants=emptying))
    short = result.emigration_shortfall
    assert short.min() == 0 and short[..., 1, 95:].sum() > 0
    assert not np.any(short[..., 0, :]) and not np.any(short[..., 1, :95])  # nowhere else
    asked = np.zeros_like(short)
    asked[..., 1:] += emptying[:, :-1] / 2  # half at the start, counted at the age at the end
    asked[..., -1] += emptying[:, -1] / 2
    asked += emptying / 2  # half at the end
    np.testing.assert_allclose(result.migrants - short, asked, rtol=1e-12, atol=1e-9)  # realised = asked + shortfall


# ---------------------------------------------------------------------------------------------
# stable population theory
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fertility", [0.03, 0.06, 0.15])
def test_long_run_growth_is_lotkas_r(fertility):
    asfr = np.where((AGES >= 15) & (AGES < 50), fertility, 0.0)
    srb = 1.05
    result = project(BASE, mx=MX, asfr=asfr, srb=srb, years=range(2000, 2401))
    total = result.total()
    growth = np.log(total[-1] / total[-2])
    # Lotka: sum_x exp(-r (x + 1/2)) L_x f_x / (1 + srb) = 1, L_x from a radix-1 female table
    Lx = life_table(MX[0], sex="female", radix=1.0).Lx
    maternity = Lx * asfr / (1 + srb)
    r = brentq(lambda rate: np.sum(np.exp(-rate * (AGES + 0.5)) * maternity) - 1, -0.2, 0.2)
    # One-year steps average the exposure of women over each year (trapezoid) where Lotka
    # discounts at mid-year: the net maternity function is off by about r^2/8 relatively, which
    # moves r by about (r^2/8) / (mean age at childbearing). Allow three times that.
    mean_age = np.sum((AGES + 0.5) * np.exp(-r * (AGES + 0.5)) * maternity)
    tolerance = 3 * (r**2 / 8) / mean_age + 1e-9
    assert abs(growth - r) < tolerance
    # and the age structure has stopped changing
    shares = result.population[-1] / total[-1]
    np.testing.assert_allclose(shares, result.population[-2] / total[-2], rtol=1e-4)


# ---------------------------------------------------------------------------------------------
# batches and time-varying inputs
# ---------------------------------------------------------------------------------------------
def test_batches_agree_with_single_scenarios():
    rng = np.random.default_rng(5)
    n_steps = 6
    years = range(2020, 2021 + n_steps)
    pop = BASE * rng.uniform(0.5, 1.5, size=(3, 1, 1))
    mx_by_step = MX * rng.uniform(0.8, 1.2, size=(n_steps, 1, 1))  # shared by scenarios, varies by step
    asfr = ASFR * rng.uniform(0.5, 1.5, size=(3, 1))  # per scenario, constant
    srb = np.array([1.03, 1.05, 1.07])
    migrants = rng.normal(0, 30, size=(3, n_steps, 2, 101))
    batch = project(pop, mx=mx_by_step[None], asfr=asfr, srb=srb, net_migrants=migrants, years=years)
    assert batch.population.shape == (3, n_steps + 1, 2, 101)
    assert batch.births.shape == (3, n_steps, 2)
    for k in range(3):
        one = project(pop[k], mx=mx_by_step, asfr=asfr[k], srb=srb[k], net_migrants=migrants[k], years=years)
        np.testing.assert_allclose(batch.population[k], one.population, rtol=1e-13)
        np.testing.assert_allclose(batch.deaths[k], one.deaths, rtol=1e-12, atol=1e-12)
    # a step-varying srb and fertility shared by all scenarios
    srb_steps = np.linspace(1.03, 1.07, n_steps)
    asfr_steps = ASFR * np.linspace(1, 0.7, n_steps)[:, None]
    both = project(pop, mx=MX, asfr=asfr_steps[None], srb=np.broadcast_to(srb_steps, (3, n_steps)), years=years)
    first = project(pop[0], mx=MX, asfr=asfr_steps, srb=srb_steps, years=years)
    np.testing.assert_allclose(both.population[0], first.population, rtol=1e-13)
    ratio = first.births[:, 1] / first.births[:, 0]
    np.testing.assert_allclose(ratio, srb_steps)


def test_shared_base_population_with_scenario_rates():
    scenario_mx = MX * np.array([0.9, 1.0, 1.1])[:, None, None]
    result = project(BASE[None], mx=scenario_mx, asfr=ASFR, years=range(2020, 2026))
    assert result.population.shape == (3, 6, 2, 101)
    assert result.total()[0, -1] > result.total()[2, -1]


def test_total_and_tidy_frame():
    result = project(np.stack([BASE, BASE]), mx=MX, asfr=ASFR, years=range(2020, 2023))
    np.testing.assert_allclose(result.total(), result.population.sum(axis=(-2, -1)))
    frame = result.to_frame()
    assert list(frame.columns) == ["scenario", "year", "sex", "age", "population"]
    assert len(frame) == 2 * 3 * 2 * 101
    row = frame[(frame.scenario == 1) & (frame.year == 2021) & (frame.sex == "male") & (frame.age == 30)]
    assert row.population.item() == result.population[1, 1, 1, 30]
    single = project(BASE, mx=MX, asfr=ASFR, years=range(2020, 2023)).to_frame()
    assert "scenario" not in single and single.year.tolist()[:1] == [2020]


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def run(**changes):
    kwargs = {"mx": MX, "asfr": ASFR, "years": range(2020, 2025)}
    population = changes.pop("population", BASE)
    kwargs.update(changes)
    return project(population, **kwargs)


def test_negative_or_missing_population():
    bad = BASE.copy()
    bad[1, 40] = -3
    with pytest.raises(ValueError, match=r"population has a population count of -3 at sex 1 \(male\), age 40"):
        run(population=bad)
    bad[1, 40] = np.nan
    with pytest.raises(ValueError, match=r"population contains a missing or infinite population count"):
        run(population=bad)


def test_bad_rates_name_argument_and_position():
    bad = MX.copy()
    bad[0, 7] = -0.1
    with pytest.raises(ValueError, match=r"mx has a death rate of -0.1 at sex 0 \(female\), age 7"):
        run(mx=bad)
    by_step = np.broadcast_to(MX, (4, 2, 101)).copy()
    by_step[2, 1, 3] = np.nan
    with pytest.raises(ValueError, match=r"mx contains a missing or infinite death rate \(nan\) at year 2022, "
                                         r"sex 1 \(male\), age 3"):
        run(mx=by_step)
    asfr = ASFR.copy()
    asfr[20] = -0.01
    with pytest.raises(ValueError, match=r"asfr has a fertility rate of -0.01 at age 20"):
        run(asfr=asfr)
    migrants = np.zeros((2, 101))
    migrants[0, 5] = np.inf
    with pytest.raises(ValueError, match=r"net_migrants contains a missing or infinite number of migrants"):
        run(net_migrants=migrants)


def test_wrong_shapes_name_argument_and_axis():
    with pytest.raises(ValueError, match=r"population must be laid out as \(\.\.\., sex, age\)"):
        run(population=BASE[0])
    with pytest.raises(ValueError, match=r"mx must end with \(sex, age\) axes of lengths \(2, 101\)"):
        run(mx=MX[:, :90])
    with pytest.raises(ValueError, match=r"asfr must end with an age axis of 101 entries"):
        run(asfr=ASFR[:50])
    with pytest.raises(ValueError, match=r"net_migrants must end with \(sex, age\) axes"):
        run(net_migrants=np.zeros(101))
    with pytest.raises(ValueError, match=r"batch \(scenario\) axes of the inputs do not broadcast"):
        run(population=np.stack([BASE] * 3), mx=np.stack([MX] * 2))


def test_step_axis_must_match_years():
    with pytest.raises(ValueError, match=r"mx has shape \(3, 2, 101\).*read as the projection step.*must have "
                                         r"len\(years\) - 1 = 4 entries but has 3"):
        run(mx=np.stack([MX] * 3))
    with pytest.raises(ValueError, match=r"asfr has shape \(5, 101\).*must have len\(years\) - 1 = 4"):
        run(asfr=np.stack([ASFR] * 5))
    with pytest.raises(ValueError, match=r"net_migrants has shape \(2, 2, 101\)"):
        run(net_migrants=np.zeros((2, 2, 101)))
    with pytest.raises(ValueError, match=r"srb has shape \(3,\).*must have 4 entries"):
        run(srb=[1.05, 1.05, 1.05])


def test_bad_srb_years_and_options():
    with pytest.raises(ValueError, match=r"srb \(sex ratio at birth, males per female birth\) must be a positive"):
        run(srb=0.0)
    with pytest.raises(ValueError, match=r"years must be consecutive calendar years increasing by 1.*2022 follows 2020"):
        run(years=[2020, 2022, 2023])
    with pytest.raises(ValueError, match=r"years must be whole calendar years"):
        run(years=[2020.5, 2021.5])
    with pytest.raises(ValueError, match=r"migration_timing must be one of \('start', 'half', 'end'\)"):
        run(migration_timing="middle")
    with pytest.raises(ValueError, match=r"birth_exposure must be one of"):
        run(birth_exposure="end")
    with pytest.raises(ValueError, match=r"omega=90 but population has 101 ages"):
        run(omega=90)
    zero_open = MX.copy()
    zero_open[1, -1] = 0
    with pytest.raises(ValueError, match=r"mx is 0 at the open age interval"):
        run(mx=zero_open)


def test_two_batch_axes_with_rates_varying_by_step_shared_along_one_axis():
    rng = np.random.default_rng(9)
    pop = BASE * rng.uniform(0.5, 1.5, size=(2, 3, 1, 1))
    mx = MX * rng.uniform(0.8, 1.2, size=(2, 1, 4, 1, 1))  # varies by first batch axis and by step
    migrants = rng.normal(0, 20, size=(3, 2, 101))  # varies by second batch axis only
    result = project(pop, mx=mx, asfr=ASFR, net_migrants=migrants, years=range(2020, 2025))
    assert result.population.shape == (2, 3, 5, 2, 101)
    for i in range(2):
        for j in range(3):
            one = project(pop[i, j], mx=mx[i, 0], asfr=ASFR, net_migrants=migrants[j], years=range(2020, 2025))
            np.testing.assert_allclose(result.population[i, j], one.population, rtol=1e-13)
            np.testing.assert_allclose(result.migrants[i, j], one.migrants, rtol=1e-13, atol=1e-12)
