"""The pension benchmark (benchmarks/pensions.py) runs at tiny sizes and its plain-Python reference
agrees with the kernel. No timing assertions: speed is reported by `make bench`, not tested."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("bench_pensions", BENCHMARKS / "pensions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_plain_reference_agrees_with_the_kernel(bench):
    scheme = bench.make_scheme(n_years=6)
    assumptions = bench.make_assumptions(scheme, 3, n_years=6)
    result = bench.run_kernel(scheme, assumptions)
    plain = bench.plain_valuation(bench.reference_inputs(scheme, assumptions, 3))
    assert bench.check_agreement(result, plain) < bench.RELATIVE_TOLERANCE
    for name in bench.COMPARED:
        expected = np.array([scenario[name] for scenario in plain])
        np.testing.assert_allclose(bench.kernel_outputs(result)[name], expected, rtol=1e-9, err_msg=name)
    # the scheme is a real one: contributors, pensioners, a reserve, scenarios that differ
    assert result.valuation.contributors.min() > 1e5 and result.valuation.pensioners.min() > 1e4
    assert np.ptp(result.reserve[:, -1]) > 0


def test_case_runs_and_formats(bench):
    scheme = bench.make_scheme(n_years=3)
    result = bench.pension_case(2, bandwidth=1e10, repeats=1, plain_subset=1, n_years=3, scheme=scheme)
    assert result.plain_timed == 1 and result.qsp_seconds > 0 and result.plain_seconds > 0
    assert result.io_bytes > 0 and result.state_bytes > 0 and result.max_relative_difference < 1e-9
    table = bench.format_table([result], 3)
    assert "pension valuation 3 y, 2 scenarios" in table and "plain loop timed on 1 scenarios" in table
