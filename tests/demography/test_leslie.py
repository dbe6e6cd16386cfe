"""Leslie matrix: its elements, equality with the female part of `project`, stable growth."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import leslie_matrix, project, project_leslie, survival_ratios

AGES = np.arange(101)
MX_F = 0.00015 * np.exp(0.085 * AGES) + 0.003 * np.exp(-2.0 * AGES)
MX_M = 0.00020 * np.exp(0.085 * AGES) + 0.004 * np.exp(-2.0 * AGES)
ASFR = np.where((AGES >= 15) & (AGES < 50), 0.06, 0.0)


def test_elements_follow_the_projection_conventions():
    matrix = leslie_matrix(MX_F, ASFR, srb=1.05)
    surv = survival_ratios(MX_F, sex="female")
    S, newborn = surv.ratios, surv.births
    assert matrix.shape == (101, 101)
    np.testing.assert_allclose(np.diag(matrix, -1), S[:-1])
    assert matrix[100, 100] == S[100] == S[99]
    # first row: F_x = L0/l0 * 1/(1+srb) * (f_x + S_x f_{x+1}) / 2
    assert matrix[0, 14] == pytest.approx(newborn / 2.05 * (0 + S[14] * 0.06) / 2)
    assert matrix[0, 30] == pytest.approx(newborn / 2.05 * (0.06 + S[30] * 0.06) / 2)
    assert matrix[0, 49] == pytest.approx(newborn / 2.05 * 0.06 / 2)
    assert matrix[0, 50] == 0.0
    # nothing else is non-zero
    mask = np.ones_like(matrix, dtype=bool)
    mask[0] = False
    mask[AGES[1:], AGES[:-1]] = False
    mask[100, 100] = False
    assert not matrix[mask].any()
    start = leslie_matrix(MX_F, ASFR, birth_exposure="start")
    assert start[0, 30] == pytest.approx(newborn / 2.05 * 0.06)


def test_equals_female_part_of_project():
    rng = np.random.default_rng(7)
    women = rng.uniform(100, 2000, 101)
    leslie = project_leslie(women, MX_F, ASFR, srb=1.06, steps=40)
    both = project(np.stack([women, women * 1.1]), mx=np.stack([MX_F, MX_M]), asfr=ASFR, srb=1.06,
                   years=range(2000, 2041))
    np.testing.assert_allclose(leslie, both.population[:, 0, :], rtol=1e-9)


@given(arrays(np.float64, (2, 8), elements=st.floats(1e-4, 1.5)),
       arrays(np.float64, 8, elements=st.floats(0, 0.8)),
       arrays(np.float64, 8, elements=st.floats(0, 1e4)),
       st.floats(0.9, 1.2), st.sampled_from(["average", "start"]))
def test_leslie_equals_project_for_random_rates(mx, asfr, women, srb, exposure):
    leslie = project_leslie(women, mx[0], asfr, srb=srb, steps=5, birth_exposure=exposure)
    both = project(np.stack([women, women]), mx=mx, asfr=asfr, srb=srb, years=range(2000, 2006),
                   birth_exposure=exposure)
    np.testing.assert_allclose(leslie, both.population[:, 0, :], rtol=1e-9, atol=1e-9)


def test_dominant_eigenvalue_is_the_long_run_growth_of_project():
    matrix = leslie_matrix(MX_F, ASFR * 1.5)
    growth_factor = np.max(np.abs(np.linalg.eigvals(matrix)))
    result = project(np.full((2, 101), 1000.0), mx=np.stack([MX_F, MX_M]), asfr=ASFR * 1.5,
                     years=range(2000, 2401))
    total = result.total()
    assert total[-1] / total[-2] == pytest.approx(growth_factor, rel=1e-10)


def test_batches_of_matrices():
    mx = np.stack([MX_F, MX_F * 1.2])
    matrices = leslie_matrix(mx, ASFR, srb=np.array([1.05, 1.07]))
    assert matrices.shape == (2, 101, 101)
    np.testing.assert_allclose(matrices[1], leslie_matrix(MX_F * 1.2, ASFR, srb=1.07))
    paths = project_leslie(np.full(101, 10.0), mx, ASFR, srb=np.array([1.05, 1.07]), steps=3)
    assert paths.shape == (2, 4, 101)
    np.testing.assert_allclose(paths[1], project_leslie(np.full(101, 10.0), MX_F * 1.2, ASFR, srb=1.07, steps=3))


def test_bad_input():
    with pytest.raises(ValueError, match=r"asfr has a fertility rate of -0.1 at age 3"):
        leslie_matrix(MX_F, np.r_[0, 0, 0, -0.1, np.zeros(97)])
    with pytest.raises(ValueError, match=r"asfr must have 101 entries on its age axis"):
        leslie_matrix(MX_F, ASFR[:50])
    with pytest.raises(ValueError, match=r"srb .* must be positive and finite"):
        leslie_matrix(MX_F, ASFR, srb=-1)
    with pytest.raises(ValueError, match=r"mx has a death rate of -0.5 at age 2"):
        leslie_matrix(np.r_[0.01, 0.01, -0.5, MX_F[3:]], ASFR)
    with pytest.raises(ValueError, match=r"birth_exposure must be 'average' or 'start'"):
        leslie_matrix(MX_F, ASFR, birth_exposure="end")
    with pytest.raises(ValueError, match=r"population_female must have 101 entries"):
        project_leslie(np.ones(50), MX_F, ASFR, steps=2)
    with pytest.raises(ValueError, match=r"population_female has a population count of -1"):
        project_leslie(-np.ones(101), MX_F, ASFR, steps=2)
    with pytest.raises(ValueError, match=r"steps must be a whole number of years"):
        project_leslie(np.ones(101), MX_F, ASFR, steps=-1)
