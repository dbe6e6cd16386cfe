"""qsp.labour: labour force, employment, insured and contributing population, covered wages.

Hand-worked values: LF = N x pi, E = LF (1 - u), U = LF u, I = E c, C = I d (Plamondon et al.
2002, ch. 4); w(t, s, x) = W_0 I_t scale(s, x) with I_t = prod_{k=1..t} (1 + g_k).
"""

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.labour import (
    by_year,
    contributors,
    covered_wages,
    employment,
    insured_population,
    labour_force,
    normalise_salary_scale,
    project_labour,
    unemployment,
    wage_index,
)


def test_chain_by_hand():
    # women aged 30: 1,000 persons, participation 70%, unemployment 10%, coverage 60%, density 75%
    #   LF = 700, E = 630, U = 70, I = 378, C = 283.5
    population = np.array([[1000.0], [800.0]])
    force = labour_force(population, [[0.7], [0.9]])
    np.testing.assert_allclose(force, [[700.0], [720.0]])
    employed = employment(force, 0.1)
    np.testing.assert_allclose(employed, [[630.0], [648.0]])
    np.testing.assert_allclose(unemployment(force, 0.1), [[70.0], [72.0]])
    insured = insured_population(employed, [[0.6], [0.5]])
    np.testing.assert_allclose(insured, [[378.0], [324.0]])
    np.testing.assert_allclose(contributors(insured, 0.75), [[283.5], [243.0]])


def test_rates_by_year_and_batch_broadcast():
    population = np.full((3, 2, 4), 100.0)                   # (year, sex, age)
    rate = by_year([0.0, 0.1, 0.2])                          # aggregate unemployment by year
    assert rate.shape == (3, 1, 1)
    employed = employment(population, rate)
    np.testing.assert_allclose(employed[:, 0, 0], [100.0, 90.0, 80.0])
    participation = np.array([0.5, 0.6])[:, None, None, None]   # two scenarios (scenario, 1, 1, 1)
    force = labour_force(population, participation)
    assert force.shape == (2, 3, 2, 4)
    np.testing.assert_allclose(force[1], 60.0)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1e6))
def test_employed_plus_unemployed_is_the_labour_force(rate, participation, people):
    force = labour_force(np.full((2, 3), people), participation)
    np.testing.assert_allclose(employment(force, rate) + unemployment(force, rate), force, rtol=1e-12, atol=1e-9)


def test_project_labour_by_hand():
    # 100 persons in each (year, sex, age) cell: C = 100 x 0.6 x 0.9 x 0.5 x 0.8 = 21.6 per cell, 6 cells a year
    # flat salary scale: wage 1,000 in year 0 and 1,050 in year 1 -> wage bill 129.6 x 1,000 and x 1,050
    market = project_labour(np.full((2, 2, 3), 100.0), participation_rate=0.6, unemployment_rate=0.1,
                            coverage_rate=0.5, contribution_density=0.8, average_wage=1000.0, wage_growth=0.05,
                            years=[2025, 2026])
    np.testing.assert_allclose(market.contributors, 21.6)
    np.testing.assert_allclose(market.wage_bill, [129_600.0, 136_080.0])
    totals = market.totals()
    np.testing.assert_allclose(totals["labour_force"], [360.0, 360.0])     # 6 cells x 60
    frame = market.to_frame()
    assert set(frame.columns) == {"year", "sex", "age", "variable", "value"}
    assert len(frame) == 7 * 12
    row = frame[(frame.variable == "wage") & (frame.year == 2026) & (frame.sex == "male") & (frame.age == 2)]
    assert row.value.item() == pytest.approx(1050.0)


def test_wage_index_and_covered_wages_by_hand():
    # I = 1, 1.1, 1.1 x 1.05 = 1.155 (the base-year growth entry is not used)
    np.testing.assert_allclose(wage_index([0.5, 0.10, 0.05], 3), [1.0, 1.1, 1.155])
    np.testing.assert_allclose(wage_index(0.02, 3), [1.0, 1.02, 1.0404])
    wages = covered_wages(2000.0, [[0.5, 1.5], [1.0, 1.0]], n_years=2, wage_growth=0.10)
    assert wages.shape == (2, 2, 2)
    np.testing.assert_allclose(wages[1], [[1100.0, 3300.0], [2200.0, 2200.0]])
    batch = covered_wages([1000.0, 2000.0], np.ones((2, 2)), n_years=2, wage_growth=[[0.0, 0.1], [0.0, 0.2]])
    np.testing.assert_allclose(batch[:, 1, 0, 0], [1100.0, 2400.0])


def test_normalised_scale_gives_the_average_wage():
    # scale 1 and 3 with weights 3 and 1: weighted mean 1.5 -> scale 2/3 and 2, mean wage exactly W
    scale = normalise_salary_scale([[1.0, 3.0], [1.0, 3.0]], [[3.0, 1.0], [3.0, 1.0]])
    np.testing.assert_allclose(scale, [[2 / 3, 2.0], [2 / 3, 2.0]])
    weights = np.array([[[3.0, 1.0], [3.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]])       # (year, sex, age)
    wages = covered_wages(900.0, [[1.0, 3.0], [1.0, 3.0]], n_years=2, weights=weights)
    average = (wages * weights).sum(axis=(-2, -1)) / weights.sum(axis=(-2, -1))
    np.testing.assert_allclose(average, [900.0, 900.0])


def test_bad_input_messages():
    population = np.full((2, 3), 10.0)
    with pytest.raises(ValueError, match=r"participation_rate has a participation rate of 1.2 at sex 1 \(male\), age 2"):
        labour_force(population, [[0.5, 0.5, 0.5], [0.5, 0.5, 1.2]])
    with pytest.raises(ValueError, match="unemployment_rate has a unemployment rate of -0.1"):
        employment(population, -0.1)
    with pytest.raises(ValueError, match="population has a number of persons of -1 at sex 0 \\(female\\), age 0"):
        labour_force([[-1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 0.5)
    with pytest.raises(ValueError, match="coverage_rate contains a missing"):
        insured_population(population, np.nan)
    with pytest.raises(ValueError, match="contribution_density has a contribution density of 2"):
        contributors(population, 2.0)
    with pytest.raises(ValueError, match="do not broadcast together"):
        labour_force(population, np.full((2, 4), 0.5))
    with pytest.raises(ValueError, match="sex axis of length 2"):
        labour_force(np.ones(5), 0.5)
    with pytest.raises(ValueError, match="average_wage has a average wage of 0"):
        covered_wages(0.0, np.ones((2, 2)), n_years=2)
    with pytest.raises(ValueError, match="wage_growth has a growth rate of -1"):
        wage_index(-1.0, 3)
    with pytest.raises(ValueError, match="wage_growth has 2 entries on its last \\(year\\) axis"):
        wage_index([0.1, 0.2], 3)
    with pytest.raises(ValueError, match="no year axis"):
        project_labour(population, participation_rate=0.5, average_wage=100.0)
    with pytest.raises(ValueError, match="weighted mean salary scale of zero"):
        normalise_salary_scale(np.ones((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="single number"):
        by_year(0.1)


@pytest.mark.parametrize("name", ["qsp.labour.market", "qsp.labour.wages"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_name_is_documented():
    import qsp.labour as labour

    for name in labour.__all__:
        obj = getattr(labour, name)
        assert obj.__doc__ and len(obj.__doc__) > 80, name
        if callable(obj) and not isinstance(obj, type):
            for section in ("Parameters", "Returns", "Raises", "Examples", "References"):
                assert section in obj.__doc__, f"{name} lacks {section}"
