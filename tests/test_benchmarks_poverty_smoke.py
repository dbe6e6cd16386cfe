"""The poverty benchmark (benchmarks/poverty.py) runs at tiny sizes and its plain-Python reference agrees with
the kernel. No timing assertions: speed is reported by `make bench`, not tested."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("bench_poverty", BENCHMARKS / "poverty.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_plain_reference_agrees_with_the_kernel(bench):
    inputs = bench.make_inputs(400, 4, seed=2)
    result = bench.kernel(inputs)
    assert result.fgt_after.shape == (3, 4, 3) and result.cost.shape == (3, 4)
    plain = bench.plain_impact(bench.plain_lists(inputs, 4))
    for name, computed in bench.kernel_outputs(result).items():
        assert bench.run.max_relative_difference(computed, np.array(plain[name])) < bench.run.RELATIVE_TOLERANCE
    # higher levels of the same design never raise the headcount, and they cost more
    assert np.all(np.diff(result.fgt_after[..., 0], axis=1) <= 1e-12)
    assert np.all(np.diff(result.cost, axis=1) > 0)
    # the reference is an independent loop: a wrong kernel would be caught
    with pytest.raises(AssertionError, match="differs from the plain-Python reference"):
        bench.run._check_agreement("poverty", {"cost": (result.cost * 1.001, np.array(plain["cost"]))})


def test_case_runs_and_counts_bytes(bench):
    result = bench.poverty_case(300, 3, bandwidth=1e10, repeats=1, plain_subset=1)
    assert result.size == 9 and result.plain_timed == 3
    assert result.max_relative_difference < bench.run.RELATIVE_TOLERANCE
    columns, moved = bench.bytes_moved(bench.make_inputs(300, 3))
    assert moved == columns + 2 * 8 * 9 * 300
