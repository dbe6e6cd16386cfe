"""The optional compiled (numba) engine of life_table and project: it agrees with the numpy
engine, numba is imported lazily and only on demand, everything works without it (numba missing
or QSP_DISABLE_NUMBA=1), and out= refills an earlier result."""

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import _engine, life_table, project

AGES = np.arange(101)
MX = np.stack([0.00015 * np.exp(0.085 * AGES) + 0.003 * np.exp(-2.0 * AGES),
               0.00020 * np.exp(0.085 * AGES) + 0.004 * np.exp(-2.0 * AGES)])
ASFR = np.where((AGES >= 15) & (AGES < 50), 0.06, 0.0)
BASE = np.stack([np.linspace(1500.0, 100.0, 101), np.linspace(1550.0, 60.0, 101)])
COLUMNS = ("ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex")
OUTPUTS = ("population", "births", "deaths", "migrants", "emigration_shortfall")


def needs_numba():
    pytest.importorskip("numba")
    if _engine.numba_disabled():
        pytest.skip("QSP_DISABLE_NUMBA is set")


def assert_projections_agree(fast, plain):
    scale = 1.0 + np.abs(plain.population).max()
    for name in OUTPUTS:
        # deaths and migrants are differences of nearly equal numbers: compare them on the scale
        # of the population (1e-12 of it), everything else to 1e-12 relative
        np.testing.assert_allclose(getattr(fast, name), getattr(plain, name), rtol=1e-12, atol=1e-12 * scale,
                                   err_msg=name)


# ---------------------------------------------------------------------------------------------
# the compiled engine agrees with numpy
# ---------------------------------------------------------------------------------------------
@st.composite
def projection_inputs(draw):
    n_batch = draw(st.integers(1, 3))
    n_age = draw(st.integers(3, 12))
    n_steps = draw(st.integers(1, 5))
    by_step = draw(st.booleans())
    step = (n_steps,) if by_step else ()
    pop = draw(arrays(np.float64, (n_batch, 2, n_age), elements=st.floats(0, 1e5)))
    mx = draw(arrays(np.float64, (n_batch, *step, 2, n_age), elements=st.floats(1e-4, 2.0)))
    asfr = draw(arrays(np.float64, (1, *step, n_age), elements=st.floats(0, 0.6)))
    migrants = draw(arrays(np.float64, (n_batch, *step, 2, n_age), elements=st.floats(-2e5, 2e5)))
    srb = draw(st.floats(0.8, 1.3))
    timing = draw(st.sampled_from(["half", "start", "end"]))
    exposure = draw(st.sampled_from(["average", "average-survivors", "start"]))
    return pop, mx, asfr, migrants, srb, n_steps, timing, exposure


@given(projection_inputs())
def test_projection_engines_agree(inputs):
    needs_numba()
    pop, mx, asfr, migrants, srb, n_steps, timing, exposure = inputs
    kwargs = dict(mx=mx, asfr=asfr, net_migrants=migrants, srb=srb, years=range(2020, 2021 + n_steps),
                  migration_timing=timing, birth_exposure=exposure)
    assert_projections_agree(project(pop, engine="numba", **kwargs), project(pop, engine="numpy", **kwargs))


def test_projection_engines_agree_on_large_batches_with_shared_and_varying_inputs():
    needs_numba()
    rng = np.random.default_rng(11)
    n_steps = 20
    pop = BASE * rng.uniform(0.5, 1.5, size=(4, 5, 1, 1))
    mx = MX * rng.uniform(0.8, 1.2, size=(4, 1, n_steps, 1, 1))  # by first batch axis and by step
    migrants = rng.normal(0, 40, size=(5, 2, 101))  # by second batch axis only, some cohorts emptied
    asfr = (ASFR * np.linspace(1.0, 0.6, n_steps)[:, None])[None, None]  # shared, by step
    srb = np.linspace(1.03, 1.07, n_steps)[None, None]  # shared, by step
    kwargs = dict(mx=mx, asfr=asfr, net_migrants=migrants, srb=srb, years=range(2020, 2021 + n_steps), a0=0.1)
    fast, plain = project(pop, engine="numba", **kwargs), project(pop, engine="numpy", **kwargs)
    assert fast.population.shape == (4, 5, n_steps + 1, 2, 101)
    assert_projections_agree(fast, plain)


def test_life_table_engines_agree_with_given_ax_and_radix():
    needs_numba()
    rng = np.random.default_rng(2)
    mx = MX * np.exp(rng.normal(0, 0.3, size=(30, 2, 101)))
    ax = rng.uniform(0.2, 0.8, size=mx.shape)
    for options in ({"ax": ax}, {"a0": "coale-demeny", "radix": 1.0}, {"a0": 0.15}):
        fast, plain = life_table(mx, engine="numba", **options), life_table(mx, engine="numpy", **options)
        radix = options.get("radix", 100_000)
        for column in COLUMNS:  # d_x is a difference: compare it on the scale of the radix
            np.testing.assert_allclose(getattr(fast, column), getattr(plain, column), rtol=1e-12,
                                       atol=1e-12 * radix if column == "dx" else 0.0, err_msg=column)


# ---------------------------------------------------------------------------------------------
# out= refills an earlier result
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_life_table_out_refills_the_earlier_table(engine):
    if engine == "numba":
        needs_numba()
    rng = np.random.default_rng(3)
    first_rates = MX * np.exp(rng.normal(0, 0.2, size=(6, 2, 101)))
    second_rates = MX * np.exp(rng.normal(0, 0.2, size=(6, 2, 101)))
    table = life_table(first_rates, engine=engine)
    first_dx = table.dx.copy()  # computed (and cached) before the refill
    arrays_before = [getattr(table, c) for c in ("ax", "qx", "lx", "Lx", "Tx", "ex")]
    refilled = life_table(second_rates, engine=engine, out=table)
    assert refilled is table
    assert all(getattr(table, c) is a for c, a in zip(("ax", "qx", "lx", "Lx", "Tx", "ex"), arrays_before))
    expected = life_table(second_rates, engine=engine)
    for column in COLUMNS:
        np.testing.assert_array_equal(getattr(refilled, column), getattr(expected, column), err_msg=column)
    assert refilled.mx is not first_rates and not np.array_equal(refilled.dx, first_dx)
    with pytest.raises(ValueError, match=r"out must be a table of the same shape as mx \(3, 2, 101\)"):
        life_table(second_rates[:3], out=table)
    with pytest.raises(ValueError, match=r"out must be a LifeTable from an earlier call of life_table"):
        life_table(second_rates, out=np.empty(3))


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_projection_out_refills_the_earlier_projection(engine):
    if engine == "numba":
        needs_numba()
    rng = np.random.default_rng(4)
    pop = BASE * rng.uniform(0.5, 1.5, size=(3, 1, 1))
    emigration = np.full((2, 101), -400.0)  # empties the oldest cohorts: a shortfall
    clipped = project(pop, mx=MX, asfr=ASFR, net_migrants=emigration, years=range(2020, 2031), engine=engine)
    assert clipped.emigration_shortfall.max() > 0
    again = project(pop * 2, mx=MX, asfr=ASFR, net_migrants=np.full((2, 101), 5.0), years=range(2030, 2041),
                    engine=engine, out=clipped)
    assert again is clipped and again.years[0] == 2030
    expected = project(pop * 2, mx=MX, asfr=ASFR, net_migrants=np.full((2, 101), 5.0), years=range(2030, 2041),
                       engine=engine)
    for name in OUTPUTS:
        np.testing.assert_array_equal(getattr(again, name), getattr(expected, name), err_msg=name)
    assert (again.emigration_shortfall == 0).all()  # the earlier shortfall was cleared
    with pytest.raises(ValueError, match=r"out must be a projection with the same shapes as this one"):
        project(pop, mx=MX, asfr=ASFR, years=range(2020, 2025), out=again)
    with pytest.raises(ValueError, match=r"out must be a Projection from an earlier call of project"):
        project(pop, mx=MX, asfr=ASFR, years=range(2020, 2025), out="table")


def test_projection_out_keeps_the_engine_that_laid_out_its_arrays():
    needs_numba()
    pop = np.stack([BASE, 2 * BASE])
    kwargs = dict(mx=MX, asfr=ASFR, years=range(2020, 2026))
    compiled = project(pop, engine="numba", **kwargs)
    assert compiled.population.flags.c_contiguous  # batch first: each scenario is one block
    assert project(pop * 1.5, out=compiled, **kwargs) is compiled  # "auto" follows out's engine
    np.testing.assert_allclose(compiled.population, project(pop * 1.5, engine="numpy", **kwargs).population,
                               rtol=1e-12)
    with pytest.raises(ValueError, match=r"out was made by engine='numba', whose arrays are laid out differently"):
        project(pop, engine="numpy", out=compiled, **kwargs)
    single = project(BASE, engine="numba", **kwargs)  # one scenario: the layouts are the same
    assert project(BASE, engine="numpy", out=single, **kwargs) is single


def test_life_table_px_and_dx_are_derived_when_read():
    table = life_table(MX)
    assert "px" not in vars(table) and "dx" not in vars(table)
    np.testing.assert_array_equal(table.px, 1.0 - table.qx)
    np.testing.assert_array_equal(table.dx[..., :-1], table.lx[..., :-1] - table.lx[..., 1:])
    np.testing.assert_array_equal(table.dx[..., -1], table.lx[..., -1])
    assert table.dx is table.dx  # computed once, then kept
    assert list(table.to_frame().columns)[-9:] == ["mx", "ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex"]


# ---------------------------------------------------------------------------------------------
# numba is optional and imported only on demand
# ---------------------------------------------------------------------------------------------
def _without_numba(monkeypatch):
    """Make ``import numba`` (and the module of compiled kernels) fail, as when numba is missing."""
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setitem(sys.modules, "qsp.demography._numba_kernels", None)


def _run_all_kernels():
    table = life_table(np.broadcast_to(MX, (6000, 2, 101)))  # large: above the auto threshold
    result = project(np.broadcast_to(BASE, (40, 2, 101)), mx=MX, asfr=ASFR, net_migrants=np.full((2, 101), -3.0),
                     years=range(2020, 2051))
    return table, result


def test_everything_works_without_numba(monkeypatch):
    expected_table = life_table(MX, engine="numpy")
    _without_numba(monkeypatch)
    assert _engine.compiled_kernels() is None
    assert _engine.choose("auto", n_values=10**9, threshold=1, kernel_name="life_table_rows") is None
    table, result = _run_all_kernels()
    np.testing.assert_array_equal(table.ex[0], expected_table.ex)
    assert np.all(result.population >= 0)
    with pytest.raises(ValueError, match=r"engine='numba' needs the optional numba package, but it is not "
                                         r"installed"):
        life_table(MX, engine="numba")
    with pytest.raises(ValueError, match=r"engine='numba' needs the optional numba package"):
        project(BASE, mx=MX, asfr=ASFR, years=range(2020, 2022), engine="numba")


def test_environment_variable_disables_numba(monkeypatch):
    monkeypatch.setenv("QSP_DISABLE_NUMBA", "1")
    assert _engine.numba_disabled() and _engine.compiled_kernels() is None
    assert _engine.choose("auto", n_values=10**9, threshold=1, kernel_name="project_rows") is None
    _run_all_kernels()
    with pytest.raises(ValueError, match=r"it is disabled by the environment variable QSP_DISABLE_NUMBA"):
        life_table(MX, engine="numba")
    monkeypatch.setenv("QSP_DISABLE_NUMBA", "0")
    assert not _engine.numba_disabled()


def test_auto_engine_uses_numba_only_when_it_costs_nothing_to_start():
    needs_numba()
    life_table(MX, engine="numba")  # loads the compiled life-table kernel
    assert _engine.choose("auto", n_values=1, threshold=10**9, kernel_name="life_table_rows") is not None
    assert _engine.choose("auto", n_values=10**9, threshold=10, kernel_name="not_loaded") is not None  # numba imported
    with pytest.raises(ValueError, match=r"engine must be one of \('auto', 'numpy', 'numba'\)"):
        project(BASE, mx=MX, asfr=ASFR, years=range(2020, 2022), engine="fast")


def test_auto_never_imports_numba_and_the_disabled_library_works_in_a_fresh_interpreter():
    code = (
        "import sys, numpy as np, qsp.demography as d\n"
        "mx = np.full((2, 101), 0.02)\n"
        "d.life_table(mx); d.project(np.ones((2, 101)), mx=mx, asfr=np.zeros(101), years=range(2020, 2031))\n"
        "d.life_table(np.broadcast_to(mx, (20000, 2, 101)))  # large, but numba is not imported yet\n"
        "assert 'numba' not in sys.modules, 'engine=auto imported numba'\n"
    )
    for env in ({"QSP_DISABLE_NUMBA": "1"}, {}):
        environment = {k: v for k, v in os.environ.items() if k != "QSP_DISABLE_NUMBA"} | env
        subprocess.run([sys.executable, "-c", code], check=True, env=environment, capture_output=True)


def test_bad_death_rates_give_the_same_message_with_either_engine():
    needs_numba()
    for position, value, message in (((1, 40), -0.1, r"mx has a death rate of -0.1 at sex 1 \(male\), age 40"),
                                     ((0, 7), np.nan, r"mx contains a missing or infinite death rate \(nan\) at "
                                                      r"sex 0 \(female\), age 7"),
                                     ((0, 0), np.inf, r"missing or infinite death rate \(inf\) at sex 0"),
                                     ((1, 100), 0.0, r"mx is 0 at the open age interval \(sex 1 \(male\), age 100\)")):
        bad = MX.copy()
        bad[position] = value
        messages = []
        for engine in ("numpy", "numba"):
            with pytest.raises(ValueError, match=message):
                life_table(bad, engine=engine)
            with pytest.raises(ValueError, match=r"^mx ") as error:
                project(BASE, mx=np.stack([MX, bad]), asfr=ASFR, years=range(2020, 2023), engine=engine)
            messages.append(str(error.value))
        assert messages[0] == messages[1]
