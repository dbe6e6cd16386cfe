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


def test_life_table_case_runs_and_counts_bytes(bench):
    result = bench.lifetable_case(3, bandwidth=1e10, repeats=1, plain_subset=2)
    assert result.size == 3 and result.plain_timed == 2
    # mx in and the eight columns out, 8 bytes per value
    assert result.bytes_moved == 9 * 3 * 101 * 8
    assert result.qsp_seconds > 0 and result.plain_seconds > 0 and result.bound_seconds > 0
    assert result.max_relative_difference < bench.RELATIVE_TOLERANCE
    text = bench.format_table([result])
    assert "life table, 3 schedules" in text and "plain loop timed on the first 2 schedules" in text


def test_agreement_check_catches_a_wrong_kernel(bench):
    with pytest.raises(AssertionError, match="column lx differs from the plain-Python reference"):
        bench._check_agreement("test", {"lx": (np.array([1.0, 2.0]), np.array([1.0, 2.1]))})
    with pytest.raises(AssertionError, match="disagree on where the result is NaN"):
        bench.max_relative_difference(np.array([np.nan]), np.array([1.0]))
    assert bench.max_relative_difference(np.array([0.0, np.nan]), np.array([0.0, np.nan])) == 0.0


def test_import_time_is_measured_in_a_fresh_interpreter(bench):
    assert 0 < bench.import_seconds("import qsp", repeats=1) < 5
