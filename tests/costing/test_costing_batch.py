"""Costing kernels over a leading (country, scenario) batch, shares drawn per scenario, and ``out=``.

A batch run must give, for every (country, scenario), exactly what a run of that one country and
scenario gives; a share drawn per scenario (shape (..., 1, 1, 1), counted as ``population @ mask x
share``) must give what the same share spelt out age by age gives; ``out=`` must refill the arrays
of an earlier result with the values of a fresh call.

The tiny two-year country of test_costing_package.py is used, with ages 0, 1 and "2+":

    year 0: female [10, 20, 5], male [12, 18, 3]   total 68
    year 1: female [11, 21, 6], male [12, 19, 4]   total 73
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.costing import (
    PhaseIn,
    benefit_cost,
    child_benefit,
    cost_package,
    eligible_population,
    employment_guarantee,
    essential_health_care,
    universal_pension,
)
from qsp.economy import MacroAssumptions, project_macro

POPULATION = np.array([
    [[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]],
    [[11.0, 21.0, 6.0], [12.0, 19.0, 4.0]],
])
YEARS = [2025, 2026]


def macro(gdp=68_000.0, productivity_growth=0.10, cpi_inflation=0.05, ppp_factor=2.0, labour_force=(68.0, 73.0)):
    return project_macro(MacroAssumptions(
        base_year=2025, nominal_gdp=gdp, labour_force=labour_force, productivity_growth=productivity_growth,
        gdp_deflator_inflation=0.0, cpi_inflation=cpi_inflation, wage_share=0.5, nominal_interest_rate=0.06,
        revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0, ppp_factor=ppp_factor), years=YEARS)


def package(disability=0.1, qualifying=0.6, target=0.2, phase_in=None):
    """The four benefits on the tiny age grid: pension 2+ and disabled aged 1, children aged 0, works aged 1."""
    phase = phase_in or PhaseIn()
    return [
        universal_pension(disability_prevalence=disability, admin_loading=0.05, working_age_start=1, pension_age=2,
                          phase_in=phase),
        child_benefit(qualifying_share=qualifying, admin_loading=0.02, max_age=1, phase_in=phase),
        employment_guarantee(target_share=target, admin_loading=0.1, daily_wage_ppp=1.0, min_age=1, max_age=2,
                             phase_in=phase),
        essential_health_care(staff_per_1000=2.0, wage_multiple=3.0, non_staff_markup=0.5, admin_loading=0.03,
                              phase_in=phase),
    ]


# two countries (the second one 1.5 times the first) x three scenarios
POPULATIONS = np.stack([POPULATION, 1.5 * POPULATION])                        # (country, year, sex, age)
GDP = np.array([[68_000.0], [150_000.0]])                                      # (country, 1)
GROWTH = np.array([[0.0, 0.05, 0.10], [0.02, 0.03, 0.04]])                     # (country, scenario)
INFLATION = np.array([[0.0, 0.05, 0.20], [0.01, 0.02, 0.03]])
DISABILITY = np.array([[0.05, 0.1, 0.2], [0.0, 0.3, 1.0]])
QUALIFYING = np.array([[0.4, 0.5, 0.6], [0.2, 0.7, 0.9]])
TARGET = np.array([[0.1, 0.2, 0.3], [0.0, 0.05, 0.5]])


def batch_run(out=None, scale=1.0):
    population = scale * POPULATIONS[:, None]                                 # (country, 1, year, sex, age)
    frame = macro(gdp=scale * GDP, productivity_growth=GROWTH[..., None], cpi_inflation=INFLATION[..., None],
                  labour_force=scale * POPULATIONS.sum(axis=(-2, -1))[:, None])
    benefits = package(DISABILITY[..., None, None, None], QUALIFYING[..., None, None, None],
                       TARGET[..., None, None, None], phase_in=PhaseIn(initial=0.5, final=1.0, years=1))
    return cost_package(population, benefits, frame, out=out)


def test_batch_equals_one_country_and_scenario_at_a_time():
    batch = batch_run()
    assert batch.total.shape == (2, 3, 2) and batch.composition().shape == (2, 3, 4, 2)
    for c in range(2):
        for s in range(3):
            one = cost_package(
                POPULATIONS[c],
                package(DISABILITY[c, s], QUALIFYING[c, s], TARGET[c, s], phase_in=PhaseIn(initial=0.5, final=1.0,
                                                                                           years=1)),
                macro(gdp=GDP[c, 0], productivity_growth=GROWTH[c, s], cpi_inflation=INFLATION[c, s],
                      labour_force=POPULATIONS[c].sum(axis=(-2, -1))))
            for name in ("total", "share_of_gdp", "share_of_revenue", "administration"):
                np.testing.assert_allclose(getattr(batch, name)[c, s], getattr(one, name), rtol=1e-14)
            np.testing.assert_allclose(batch.composition("eligible")[c, s], one.composition("eligible"), rtol=1e-14)


def test_batch_by_hand_for_one_country_and_scenario():
    # country 0, scenario 1: disability 0.1, children qualifying 0.5, target 0.2, growth 5%, CPI +5%;
    # take-up 0.5 then 1. GDP 68,000 then 68,000 x 73/68 x 1.05 = 76,650; GDP per capita 1000, 1050.
    cost = batch_run()
    pension_eligible = [0.1 * 38 + 8, 0.1 * 40 + 10]              # disabled aged 1 + everyone 2+
    pension_level = [min(0.3 * 1000, 2.0 * 365), min(0.3 * 1000, 2.0 * 365) * 1.05]
    pension = [pension_eligible[t] * [0.5, 1.0][t] * pension_level[t] * 1.05 for t in range(2)]
    health = [68 * 0.5 * 0.002 * 3 * 1000 * 1.5 * 1.03, 73 * 1.0 * 0.002 * 3 * 1050 * 1.5 * 1.03]
    np.testing.assert_allclose(cost.benefits[0].total[0, 1], pension, rtol=1e-13)
    np.testing.assert_allclose(cost.benefits[3].total[0, 1], health, rtol=1e-13)
    np.testing.assert_allclose(cost.nominal_gdp[0, 1], [68_000.0, 76_650.0], rtol=1e-13)


def test_scenario_shares_agree_with_shares_spelt_out_by_age():
    # a share per scenario (the population @ mask route) and the same share as a full (scenario, year, sex,
    # age) array (weighted age by age) count the same people
    shares = np.array([0.1, 0.45, 1.0])
    population = np.stack([POPULATION] * 3)
    per_scenario = universal_pension(disability_prevalence=shares[:, None, None, None], admin_loading=0.0,
                                     working_age_start=1, pension_age=2)
    by_age = universal_pension(disability_prevalence=np.broadcast_to(shares[:, None, None, None], (3, 2, 2, 3)).copy(),
                               admin_loading=0.0, working_age_start=1, pension_age=2)
    counted = eligible_population(population, per_scenario)
    np.testing.assert_allclose(counted, eligible_population(population, by_age), rtol=1e-14)
    np.testing.assert_allclose(counted[:, 0], shares * 38 + 8, rtol=1e-14)          # 38 aged 1, 8 aged 2+
    np.testing.assert_allclose(eligible_population(population, per_scenario, by_age=True).sum(axis=(-2, -1)),
                               counted, rtol=1e-14)


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(-0.05, 0.2))
def test_year_series_and_scenario_shares_agree_with_numbers(share, target, inflation):
    # a share given as a number, as a series over years (n_years, 1, 1) or per scenario (1, 1, 1, 1) costs the same
    frame = macro(cpi_inflation=inflation)
    as_number = benefit_cost(POPULATION, child_benefit(qualifying_share=share, admin_loading=0.0, max_age=1), frame)
    for shaped in (np.full((2, 1, 1), share), np.full((1, 1, 1, 1), share)):
        other = benefit_cost(POPULATION, child_benefit(qualifying_share=shaped, admin_loading=0.0, max_age=1), frame)
        np.testing.assert_allclose(np.squeeze(other.total, axis=tuple(range(other.total.ndim - 1))),
                                   as_number.total, rtol=1e-14)
    works = employment_guarantee(target_share=np.full((2, 1, 1), target), admin_loading=0.0, daily_wage_ppp=1.0,
                                 min_age=1, max_age=2)
    np.testing.assert_allclose(eligible_population(POPULATION, works), [target * 38, target * 40], rtol=1e-14)


def test_out_refills_the_arrays_of_an_earlier_package_cost():
    first = batch_run()
    kept = {name: first.total.copy() for name in ("total",)}
    second = batch_run(out=first, scale=2.0)                  # twice the people and GDP: the same shares of GDP
    fresh = batch_run(scale=2.0)
    assert np.shares_memory(second.total, first.total)
    assert all(np.shares_memory(new.level, old.level) for new, old in zip(second.benefits, first.benefits))
    for name in ("total", "benefit_expenditure", "administration", "share_of_gdp", "share_of_revenue",
                 "share_of_expenditure"):
        np.testing.assert_array_equal(getattr(second, name), getattr(fresh, name))
    for variable in ("eligible", "beneficiaries", "level", "benefit_expenditure", "total", "share_of_gdp"):
        np.testing.assert_array_equal(second.composition(variable), fresh.composition(variable))
    np.testing.assert_allclose(first.total, 2 * kept["total"], rtol=1e-13)   # out holds the new values
    np.testing.assert_allclose(second.share_of_gdp, batch_run().share_of_gdp, rtol=1e-13)


def test_benefit_cost_out_refills_its_arrays():
    care = essential_health_care(staff_per_1000=2.0, wage_multiple=3.0, non_staff_markup=0.5)
    first = benefit_cost(POPULATION, care, macro())
    again = benefit_cost(POPULATION, care, macro(cpi_inflation=0.2), out=first)
    assert np.shares_memory(again.total, first.total)
    np.testing.assert_array_equal(again.total, benefit_cost(POPULATION, care, macro(cpi_inflation=0.2)).total)


def test_fresh_outputs_do_not_overlap():
    # the outputs are views of one block of memory: writing one array must leave every other unchanged
    cost = batch_run()
    arrays = [getattr(cost, name) for name in ("benefit_expenditure", "administration", "total", "share_of_gdp",
                                                "share_of_revenue", "share_of_expenditure")]
    for benefit in cost.benefits:
        arrays += [value for name, value in benefit.variables().items() if name != "take_up"]
    for i, first in enumerate(arrays):
        assert first.flags.writeable and first.flags.c_contiguous
        for second in arrays[i + 1:]:
            assert not np.shares_memory(first, second)
    before = [array.copy() for array in arrays]
    arrays[0][...] = -1.0
    for array, saved in zip(arrays[1:], before[1:]):
        np.testing.assert_array_equal(array, saved)


def test_bad_out_messages():
    first = batch_run()
    population = POPULATIONS[:, None]
    with pytest.raises(ValueError, match=r"out must be a PackageCost from an earlier call, got dict"):
        cost_package(POPULATION, package(), macro(), out={})
    with pytest.raises(ValueError, match=r"out is the cost of the package \['universal pension', 'child benefit', "
                                         r"'employment guarantee', 'essential health care'\], not of \['child benefit'\]"):
        cost_package(POPULATION, package()[1:2], macro(), out=first)
    with pytest.raises(ValueError, match=r"out \(cost of universal pension\) has eligible of shape \(2, 3, 2\), but "
                                         r"this call gives shape \(2,\).*same scenario axes"):
        cost_package(POPULATION, package(), macro(), out=first)
    with pytest.raises(ValueError, match=r"covers the years 2025\.\.2026, but this call covers 2025\.\.2025"):
        cost_package(POPULATION[:1], package(), project_macro(MacroAssumptions(
            base_year=2025, nominal_gdp=68_000.0, labour_force=[68.0], productivity_growth=0.0,
            gdp_deflator_inflation=0.0, cpi_inflation=0.0, wage_share=0.5, nominal_interest_rate=0.06,
            revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0, ppp_factor=2.0), years=[2025]),
            out=cost_package(POPULATION, package(), macro()))
    first.benefits[0].total.flags.writeable = False
    with pytest.raises(ValueError, match=r"read-only total"):
        cost_package(population, package(DISABILITY[..., None, None, None], QUALIFYING[..., None, None, None],
                                         TARGET[..., None, None, None]), macro(
            gdp=GDP, productivity_growth=GROWTH[..., None], cpi_inflation=INFLATION[..., None],
            labour_force=POPULATIONS.sum(axis=(-2, -1))[:, None]), out=first)
    pension = universal_pension(disability_prevalence=0.1, admin_loading=0.0, working_age_start=1, pension_age=2)
    child = child_benefit(qualifying_share=0.5, admin_loading=0.0, max_age=1)
    with pytest.raises(ValueError, match=r"out is the cost of 'child benefit', not of 'universal pension'"):
        benefit_cost(POPULATION, pension, macro(), out=benefit_cost(POPULATION, child, macro()))
    with pytest.raises(ValueError, match=r"out must be a BenefitCost from an earlier call, got PackageCost"):
        benefit_cost(POPULATION, pension, macro(), out=first)
