"""Population indicators: hand-computed values, identities (hypothesis) and bad-input messages."""

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import indicators as ind


def _population(female, male):
    return np.array([female, male], dtype=float)


# a small hand-made population on single ages 0..100: 2 people at each age 0-14, 3 at each
# age 15-64, 1 at each age 65-100, for each sex
HAND = np.concatenate([np.full(15, 2.0), np.full(50, 3.0), np.full(36, 1.0)])
HAND_POP = np.stack([HAND, HAND])


# ------------------------------------------------------------------------------- known values
def test_total_population_and_by_sex():
    pop = _population([1, 2, 3], [4, 5, 6])
    assert ind.total_population(pop) == 21
    np.testing.assert_array_equal(ind.total_population(pop, by_sex=True), [6, 15])


def test_age_group_totals_hand_values():
    # 0-14: 2*15*2 = 60, 15-64: 3*50*2 = 300, 65+: 1*36*2 = 72
    np.testing.assert_array_equal(ind.age_group_totals(HAND_POP, (0, 15, 65)), [60, 300, 72])
    np.testing.assert_array_equal(ind.age_group_totals(HAND_POP, (65,)), [72])
    np.testing.assert_array_equal(ind.age_group_totals(HAND_POP, (15, 65), by_sex=True), [[150, 36], [150, 36]])


def test_age_group_totals_on_an_abridged_grid():
    ages = [0, 1, 5, 10]
    pop = _population([1, 2, 3, 4], [10, 20, 30, 40])
    np.testing.assert_array_equal(ind.age_group_totals(pop, (0, 5), ages=ages), [33, 77])


def test_dependency_ratios_hand_values():
    ratios = ind.dependency_ratios(HAND_POP)
    assert ratios.youth == pytest.approx(60 / 300)
    assert ratios.old_age == pytest.approx(72 / 300)
    assert ratios.total == pytest.approx(132 / 300)
    assert ratios.potential_support == pytest.approx(300 / 72)
    assert (ratios.working_start, ratios.old_start) == (15, 65)
    assert ind.youth_dependency_ratio(HAND_POP) == pytest.approx(0.2)
    assert ind.old_age_dependency_ratio(HAND_POP) == pytest.approx(0.24)
    assert ind.total_dependency_ratio(HAND_POP) == pytest.approx(0.44)
    assert ind.potential_support_ratio(HAND_POP) == pytest.approx(300 / 72)


def test_dependency_ratio_bounds_are_keywords():
    # working ages 20-64: children 0-19 = 2*15*2 + 3*5*2 = 90, working 3*45*2 = 270
    assert ind.youth_dependency_ratio(HAND_POP, working_start=20) == pytest.approx(90 / 270)
    # older 60+: 3*5*2 + 72 = 102, working 15-59 = 3*45*2 = 270
    assert ind.old_age_dependency_ratio(HAND_POP, old_start=60) == pytest.approx(102 / 270)


def test_median_age_interpolates_within_the_year():
    # counts 10, 20, 30, 20, 20 at ages 0..4: half = 50 people; 30 are under 2, so the median
    # lies 20/30 of the way through age 2
    pop = _population([10, 20, 30, 20, 20], [0, 0, 0, 0, 0])
    assert ind.median_age(pop) == pytest.approx(2 + 20 / 30)


def test_median_age_on_an_abridged_grid_uses_interval_widths():
    # ages 0, 1-4, 5-9, 10+: 10 under 1, then 40 spread over 1-4, so the median is 1 + 4 * 40/40
    pop = _population([10, 40, 30, 20], [0, 0, 0, 0])
    assert ind.median_age(pop, ages=[0, 1, 5, 10]) == pytest.approx(5.0)


def test_median_age_by_sex_and_exact_half():
    # one female aged 0 and one aged 1: half the women (1) are under exact age 1
    pop = _population([1, 1, 0], [0, 0, 4])
    np.testing.assert_allclose(ind.median_age(pop, by_sex=True), [1.0, 2.0 + 2 / 4])


def test_median_age_in_the_open_interval_uses_its_width():
    pop = _population([0, 0, 10], [0, 0, 0])
    assert ind.median_age(pop) == pytest.approx(2.5)
    assert ind.median_age(pop, open_interval_width=5) == pytest.approx(4.5)


def test_mean_age_uses_midpoints():
    pop = _population([10, 20, 30, 20, 20], [0, 0, 0, 0, 0])
    assert ind.mean_age(pop) == pytest.approx((10 * 0.5 + 20 * 1.5 + 30 * 2.5 + 20 * 3.5 + 20 * 4.5) / 100)
    # abridged: midpoints 0.5, 3, 7.5 and the open 10+ at 10 + 5/2
    pop = _population([1, 1, 1, 1], [0, 0, 0, 0])
    assert ind.mean_age(pop, ages=[0, 1, 5, 10], open_interval_width=5) == pytest.approx((0.5 + 3 + 7.5 + 12.5) / 4)


def test_sex_ratio_overall_and_by_age():
    pop = _population([100, 100], [105, 95])
    assert ind.sex_ratio(pop) == pytest.approx(1.0)
    assert ind.sex_ratio(pop, per=100) == pytest.approx(100.0)
    np.testing.assert_allclose(ind.sex_ratio(pop, by_age=True, per=100), [105, 95])


def test_growth_rate_exponential_and_geometric():
    pop = np.zeros((3, 2, 2))
    pop[:, 0, 0] = [100.0, 110.0, 121.0]
    np.testing.assert_allclose(ind.growth_rate(pop), np.log([1.1, 1.1]))
    np.testing.assert_allclose(ind.growth_rate(pop, method="geometric"), [0.1, 0.1])
    # five-year steps: 1.1 over five years
    np.testing.assert_allclose(ind.growth_rate(pop, years=[2025, 2030, 2035]), np.log([1.1, 1.1]) / 5)
    np.testing.assert_allclose(ind.growth_rate(pop, years=[2025, 2030, 2035], method="geometric"), [1.1 ** 0.2 - 1] * 2)


def _fake_projection():
    # two years; population 1,000 then 1,100 (average 1,050); 60 births, 21 deaths
    population = np.zeros((2, 2, 3))
    population[0] = [[300, 150, 50], [300, 150, 50]]
    population[1] = [[330, 165, 55], [330, 165, 55]]
    births = np.array([[30.0, 30.0]])
    deaths = np.zeros((1, 2, 3))
    deaths[0, :, 2] = [10.0, 11.0]
    return SimpleNamespace(years=np.array([2025, 2026]), population=population, births=births, deaths=deaths)


def test_crude_rates_from_a_projection():
    projection = _fake_projection()
    np.testing.assert_allclose(ind.crude_birth_rate(projection), [60 / 1050])
    np.testing.assert_allclose(ind.crude_birth_rate(projection, per=1000), [60_000 / 1050])
    np.testing.assert_allclose(ind.crude_death_rate(projection, per=1000), [21_000 / 1050])
    projection.migrants = np.full((1, 2, 3), 5.0)
    np.testing.assert_allclose(ind.crude_net_migration_rate(projection), [30 / 1050])
    np.testing.assert_allclose(ind.growth_rate(projection), [np.log(1.1)])


def test_crude_rates_of_a_projection_satisfy_the_balancing_equation():
    from qsp.demography import project

    ages = np.arange(101)
    mx = 0.00005 * np.exp(0.09 * ages) * np.array([[0.8], [1.0]]) + 0.0005
    asfr = np.where((ages >= 15) & (ages < 50), 0.06, 0.0)
    migrants = np.where((ages >= 20) & (ages < 35), 5.0, -1.0) * np.ones((2, 1))
    projection = project(np.full((2, 101), 1000.0), mx=mx, asfr=asfr, net_migrants=migrants,
                         years=range(2025, 2036))
    totals = projection.population.sum(axis=(-2, -1))
    crude_growth = (totals[1:] - totals[:-1]) / ((totals[1:] + totals[:-1]) / 2)
    balance = (ind.crude_birth_rate(projection) - ind.crude_death_rate(projection)
               + ind.crude_net_migration_rate(projection))
    np.testing.assert_allclose(balance, crude_growth, rtol=1e-9)
    assert np.all(ind.crude_birth_rate(projection, per=1000) > 10)


def test_crude_rates_divide_by_person_years_over_longer_intervals():
    projection = _fake_projection()
    five_years = SimpleNamespace(**{**vars(projection), "years": np.array([2025, 2030])})
    np.testing.assert_allclose(ind.crude_birth_rate(five_years), [60 / (5 * 1050)])


def test_indicators_broadcast_over_leading_axes():
    rng = np.random.default_rng(7)
    pops = rng.uniform(0, 100, size=(3, 4, 2, 101))
    for function in (ind.median_age, ind.mean_age, ind.total_dependency_ratio, ind.sex_ratio, ind.total_population):
        batch = function(pops)
        assert batch.shape == (3, 4)
        np.testing.assert_allclose(batch[2, 1], function(pops[2, 1]), rtol=1e-12)
    assert ind.age_group_totals(pops, (0, 15, 65)).shape == (3, 4, 3)
    assert ind.median_age(pops, by_sex=True).shape == (3, 4, 2)
    assert ind.growth_rate(pops).shape == (3, 3)


# ------------------------------------------------------------------------------- wrappers
def test_life_expectancy_matches_the_life_table():
    from qsp.demography.lifetable import life_table

    ages = np.arange(101)
    mx = 0.00005 * np.exp(0.09 * ages) * np.array([[0.8], [1.0]]) + 0.0005
    table = life_table(mx)
    np.testing.assert_allclose(ind.life_expectancy(mx), table.ex[..., 0])
    np.testing.assert_allclose(ind.life_expectancy(mx, at_age=65), table.ex[..., 65])
    np.testing.assert_allclose(ind.life_expectancy(mx, at_age=None), table.ex)
    # in the open interval e_omega = 1 / m_omega (Preston et al. 2001, eq. 3.7)
    np.testing.assert_allclose(ind.life_expectancy(mx, at_age=100), 1 / mx[:, 100])
    # women (lower mortality) live longer
    e0 = ind.life_expectancy(mx)
    assert e0[0] > e0[1]


def test_total_fertility_rate_sums_single_year_rates():
    asfr = np.zeros(101)
    asfr[15:50] = 2.1 / 35
    assert ind.total_fertility_rate(asfr) == pytest.approx(2.1)


# ------------------------------------------------------------------------------- identities
populations = arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.just(2), st.integers(70, 101)),
    elements=st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
).filter(lambda pop: pop[..., 15:65].sum(axis=(-2, -1)).min() > 1 and pop[..., 65:].sum(axis=(-2, -1)).min() > 1)


@given(populations)
def test_total_dependency_is_youth_plus_old_age_and_support_is_its_inverse(pop):
    ratios = ind.dependency_ratios(pop)
    np.testing.assert_allclose(ratios.total, ratios.youth + ratios.old_age, rtol=1e-12)
    np.testing.assert_allclose(ratios.potential_support * ratios.old_age, 1.0, rtol=1e-12)
    np.testing.assert_allclose(ind.total_dependency_ratio(pop), ratios.total, rtol=1e-12)


@given(populations, st.floats(1e-3, 1e3))
def test_indicators_do_not_change_when_the_population_is_scaled(pop, factor):
    for function in (ind.median_age, ind.mean_age, ind.total_dependency_ratio, ind.potential_support_ratio):
        np.testing.assert_allclose(function(pop * factor), function(pop), rtol=1e-9)


@given(populations)
def test_median_and_mean_lie_within_the_ages_that_hold_people(pop):
    by_age = pop.sum(axis=-2)
    ages = np.arange(pop.shape[-1])
    for median, mean, counts in zip(ind.median_age(pop), ind.mean_age(pop), by_age):
        held = ages[counts > 0]
        assert held.min() <= median <= held.max() + 1
        assert held.min() <= mean <= held.max() + 1


@given(populations)
def test_combined_median_lies_between_the_two_sexes(pop):
    assume(pop.sum(axis=-1).min() > 0)  # both sexes present
    by_sex = ind.median_age(pop, by_sex=True)
    combined = ind.median_age(pop)
    assert np.all(combined >= by_sex.min(axis=-1) - 1e-9)
    assert np.all(combined <= by_sex.max(axis=-1) + 1e-9)


@given(populations)
def test_age_groups_add_up_to_the_total(pop):
    np.testing.assert_allclose(
        ind.age_group_totals(pop, (0, 15, 65)).sum(axis=-1), ind.total_population(pop), rtol=1e-12
    )


# ------------------------------------------------------------------------------- bad input
def test_bad_population_values_and_shapes():
    with pytest.raises(ValueError, match=r"population has a population count of -1 at sex 1 \(male\), age 2"):
        ind.total_population(_population([1, 1, 1], [1, 1, -1]))
    with pytest.raises(ValueError, match="population contains a missing or infinite population count"):
        ind.median_age(_population([1, np.nan, 1], [1, 1, 1]))
    with pytest.raises(ValueError, match="population must have a sex axis of length 2"):
        ind.mean_age(np.ones(101))
    with pytest.raises(ValueError, match="population has 3 entries on its age axis"):
        ind.median_age(_population([1, 1, 1], [1, 1, 1]), ages=[0, 1, 5, 10])


def test_bad_bounds():
    with pytest.raises(ValueError, match="bounds must be in increasing order"):
        ind.age_group_totals(HAND_POP, (15, 0))
    with pytest.raises(ValueError, match=r"bounds=2 is not an age on the population's age grid"):
        ind.age_group_totals(_population([1, 1, 1, 1], [1, 1, 1, 1]), (0, 2), ages=[0, 1, 5, 10])
    with pytest.raises(ValueError, match="bounds must be a non-empty"):
        ind.age_group_totals(HAND_POP, [])
    with pytest.raises(ValueError, match=r"working_start \(65\) must be below old_start \(65\)"):
        ind.dependency_ratios(HAND_POP, working_start=65)
    with pytest.raises(ValueError, match="old_start=120 is not an age"):
        ind.old_age_dependency_ratio(HAND_POP, old_start=120)
    with pytest.raises(ValueError, match="working_start must be above the first age"):
        ind.youth_dependency_ratio(HAND_POP, working_start=0)


def test_empty_populations_name_where():
    pops = np.ones((2, 2, 101))
    pops[1, :, 15:65] = 0
    with pytest.raises(ValueError, match=r"no people of working age at batch index \(1,\)"):
        ind.dependency_ratios(pops)
    with pytest.raises(ValueError, match="no people aged 65\\+"):
        ind.potential_support_ratio(np.pad(np.ones((2, 65)), ((0, 0), (0, 36))))
    with pytest.raises(ValueError, match="population has no people, so"):
        ind.median_age(np.zeros((2, 101)))
    with pytest.raises(ValueError, match=r"no females at age 1"):
        ind.sex_ratio(_population([1, 0], [1, 1]), by_age=True)
    with pytest.raises(ValueError, match="open_interval_width must be positive"):
        ind.mean_age(HAND_POP, open_interval_width=0)


def test_bad_growth_rate_arguments():
    pops = np.ones((3, 2, 101))
    with pytest.raises(ValueError, match="method must be 'exponential' or 'geometric'"):
        ind.growth_rate(pops, method="linear")
    with pytest.raises(ValueError, match="must have a year axis with at least two years"):
        ind.growth_rate(HAND_POP)
    with pytest.raises(ValueError, match=r"years must hold one entry per year of population \(3\)"):
        ind.growth_rate(pops, years=[2020, 2021])
    with pytest.raises(ValueError, match="years must be increasing"):
        ind.growth_rate(pops, years=[2020, 2022, 2021])
    pops[0, :, :] = 0
    with pytest.raises(ValueError, match="no people at year index 0"):
        ind.growth_rate(pops)


def test_bad_life_expectancy_age():
    with pytest.raises(ValueError, match="at_age=30.5 is not an age"):
        ind.life_expectancy(np.full((2, 101), 0.01), at_age=30.5)
