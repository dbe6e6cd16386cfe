"""The benchmark harness (benchmarks/run.py) runs at tiny sizes and its plain-Python references
agree with the kernels. No timing assertions: speed is reported by `make bench`, not tested."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("run")


@pytest.fixture(scope="module")
def reference():
    return _load("reference")


def test_bandwidth_and_timer_return_positive_numbers(bench):
    assert bench.measure_bandwidth(megabytes=2, repeats=1) > 0
    assert bench.best_time(lambda: sum(range(100)), repeats=1, min_batch_seconds=0.0) > 0
    assert bench.fresh_output_seconds([(3, 4)], repeats=1) > 0


def test_life_table_reference_agrees_with_the_kernel(bench, reference):
    from qsp.demography import life_table

    mx = bench.make_death_rates(4, seed=3)
    table = life_table(mx, sex="female")
    plain = reference.life_tables(mx.tolist(), 0)
    for column in bench.LIFE_TABLE_COLUMNS:
        expected = np.array([t[column] for t in plain])
        assert bench.max_relative_difference(getattr(table, column), expected) < bench.RELATIVE_TOLERANCE, column
    # both sexes: each its own a0 rule
    pairs, sex = bench.make_life_table_rates(6, seed=3)
    assert pairs.shape == (3, 2, 101) and sex is None
    table = life_table(pairs)
    for code in (0, 1):
        plain = reference.life_tables(pairs[:, code].tolist(), code)
        expected = np.array([t["ex"] for t in plain])
        assert bench.max_relative_difference(table.ex[:, code], expected) < bench.RELATIVE_TOLERANCE


def test_life_table_case_runs_and_counts_bytes(bench):
    result = bench.lifetable_case(6, bandwidth=1e10, repeats=1, plain_subset=4)
    assert result.size == 6 and result.plain_timed == 4  # 3 pairs of sexes, 2 pairs timed
    # mx in and the six columns the table stores out (DESIGN.md), 8 bytes per value
    assert result.bytes_moved == 7 * 6 * 101 * 8
    assert result.qsp_seconds > 0 and result.plain_seconds > 0 and result.bound_seconds > 0
    assert result.max_relative_difference < bench.RELATIVE_TOLERANCE
    text = bench.format_table([result])
    assert "life table, 6 schedules" in text and "plain loop timed on the first 4 schedules" in text
    assert "ax qx lx Lx Tx ex; px and dx derived when read" in text
    one = bench.lifetable_case(1, bandwidth=1e10, repeats=1)
    assert one.size == 1 and one.bytes_moved == 7 * 101 * 8
    with pytest.raises(ValueError, match="pairs of female and male schedules"):
        bench.make_life_table_rates(3)


def test_engine_variants_include_numpy_and_out_reuse(bench):
    variants = bench.life_table_kernels()
    assert {"numpy", "numpy, out="} <= set(variants)
    mx, sex = bench.make_life_table_rates(4)
    reuse = variants["numpy, out="]
    first = reuse(mx, sex)
    assert reuse(mx * 1.1, sex) is first  # the second call refills the first table
    result = bench.projection_case(2, bandwidth=1e10, years=3, repeats=1, plain_subset=1,
                                   kernel=bench.projection_kernels()["numpy, out="], variant="numpy, out=")
    assert "[numpy, out=]" in result.label and result.max_relative_difference < bench.RELATIVE_TOLERANCE


def test_agreement_check_catches_a_wrong_kernel(bench):
    with pytest.raises(AssertionError, match="column lx differs from the plain-Python reference"):
        bench._check_agreement("test", {"lx": (np.array([1.0, 2.0]), np.array([1.0, 2.1]))})
    with pytest.raises(AssertionError, match="disagree on where the result is NaN"):
        bench.max_relative_difference(np.array([np.nan]), np.array([1.0]))
    assert bench.max_relative_difference(np.array([0.0, np.nan]), np.array([0.0, np.nan])) == 0.0


def test_import_time_is_measured_in_a_fresh_interpreter(bench):
    assert 0 < bench.import_seconds("import qsp", repeats=1) < 5


def test_projection_reference_agrees_with_the_kernel(bench, reference):
    from qsp.demography import project

    for mx_by_year in (False, True):
        inputs = bench.make_projection_inputs(3, years=4, mx_by_year=mx_by_year)
        result = project(inputs["population"], mx=inputs["mx"], asfr=inputs["asfr"],
                         net_migrants=inputs["net_migrants"], srb=1.05, years=range(2025, 2030))
        plain = reference.projections(*(inputs[k].tolist() for k in ("population", "mx", "asfr", "net_migrants")),
                                      1.05, 4, mx_by_year)
        for name in bench.PROJECTION_OUTPUTS:
            expected = np.array([r[name] for r in plain])
            assert bench.max_relative_difference(getattr(result, name), expected) < bench.RELATIVE_TOLERANCE, name


def test_projection_inputs_include_emigration_and_immigration(bench):
    inputs = bench.make_projection_inputs(20, years=3)
    totals = inputs["net_migrants"].sum(axis=(-2, -1))
    assert totals.min() < 0 < totals.max()
    assert inputs["mx"].shape == (20, 2, 101) and inputs["asfr"].shape == (20, 101)
    assert bench.make_projection_inputs(2, years=3, mx_by_year=True)["mx"].shape == (2, 3, 2, 101)


def test_projection_case_runs_and_counts_bytes(bench):
    result = bench.projection_case(2, bandwidth=1e10, years=3, repeats=1, plain_subset=1)
    assert result.plain_timed == 1 and result.size == 2
    inputs = 3 * (2 * 2 * 101) + 2 * 101  # population, mx, net migrants (sex, age); asfr (women)
    outputs = 2 * 4 * 2 * 101 + 2 * 3 * 2 + 2 * (2 * 3 * 2 * 101)  # population, births, deaths, migrants
    assert result.bytes_moved in (8 * (inputs + outputs), 8 * (inputs + outputs + 2 * 3 * 2 * 101))
    assert result.max_relative_difference < bench.RELATIVE_TOLERANCE
    assert "projection 3 y, 2 scenarios" in bench.format_table([result])


def test_main_writes_the_table(bench, tmp_path, monkeypatch):
    # the whole run at the smallest sizes, to check that main() wires everything together
    monkeypatch.setattr(bench, "measure_bandwidth", lambda repeats=1: 1e10)
    monkeypatch.setattr(bench, "import_seconds", lambda statement, repeats=5: 0.01)
    monkeypatch.setattr(bench, "interpreter_seconds", lambda code, repeats=5: 0.02)
    monkeypatch.setattr(bench, "compiled_first_call_seconds",
                        lambda cache=True: {"life table": 0.5, "projection": 0.1 if cache else 2.0})
    calls = []

    def tiny_lifetable(n, **kwargs):
        calls.append(("life table", n))
        return bench.Result("life table", n, "schedule", 1e-3, 1e-1, n, 8 * 7 * 101 * n, 1e-4, "note")

    def tiny_projection(n, **kwargs):
        calls.append(("projection", n, kwargs.get("mx_by_year", False)))
        return bench.Result("projection 50 y", n, "scenario", 1e-3, 1e-1, 1, 1000 * n, 1e-4, "note")

    monkeypatch.setattr(bench, "lifetable_case", tiny_lifetable)
    monkeypatch.setattr(bench, "projection_case", tiny_projection)
    out = tmp_path / "bench.txt"
    assert bench.main(["--quick", "--out", str(out)]) == 0
    text = out.read_text()
    assert "memory bandwidth" in text and "import qsp:" in text and "aims at" in text
    assert "numba first call in a fresh interpreter" in text or "numba: not installed" in text
    assert ("life table", 10_000) in calls and ("projection", 100, True) in calls
