"""The social budget benchmark (benchmarks/budget.py) runs at tiny sizes and its plain-Python reference
agrees with the kernel. No timing assertions: speed is reported by `make bench`, not tested."""

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
    spec = importlib.util.spec_from_file_location("bench_budget", BENCHMARKS / "budget.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_inputs_have_seven_branches_and_scenario_axes(bench):
    inputs = bench.make_budget_inputs(2, 3, years=4)
    assert [b.name for b in inputs["branches"]] == ["pensions", "health", "children_and_families",
                                                   "social_assistance", "unemployment", "employment_injury", "other"]
    assert inputs["macro"].nominal_gdp.shape == (2, 3, 4)
    budget = bench.kernel(inputs)
    assert budget.expenditure.shape == (2, 3, 7, 4) and budget.revenue.shape == (2, 3, 11, 4)


def test_plain_reference_agrees_with_the_kernel(bench):
    inputs = bench.make_budget_inputs(2, 3, years=5, seed=4)
    budget = bench.kernel(inputs)
    plain = bench.plain_budget(bench.plain_lists(inputs, 3))
    for name in bench.BUDGET_OUTPUTS:
        expected = np.array(plain[name])
        assert bench.run.max_relative_difference(getattr(budget, name), expected) < bench.run.RELATIVE_TOLERANCE, name
    # the reference is an independent loop: a wrong kernel would be caught
    with pytest.raises(AssertionError, match="differs from the plain-Python reference"):
        bench.run._check_agreement("budget", {"expenditure": (budget.expenditure * 1.001, np.array(plain["expenditure"]))})


def test_case_runs_counts_bytes_and_reuses_outputs(bench):
    result = bench.budget_case(2, 3, bandwidth=1e10, years=4, repeats=1, plain_subset=2)
    assert result.size == 6 and result.plain_timed == 4
    assert result.max_relative_difference < bench.run.RELATIVE_TOLERANCE
    inputs = bench.make_budget_inputs(2, 3, years=4)
    read, written = bench.bytes_moved(inputs, bench.kernel(inputs))
    # 7 branch arrays (7 branches) and revenue (11 sources) of 2 x 3 x 4 values written, 8 bytes each
    assert written == 8 * (7 * 7 + 11) * 2 * 3 * 4
    assert read >= 8 * 6 * 2 * 3 * 4                  # at least the six macro series
    assert result.bytes_moved == read + written
    reused = bench.budget_case(2, 3, bandwidth=1e10, years=4, repeats=1, plain_subset=2, reuse=True)
    assert "[numpy, out=]" in reused.label
    assert bench.outputs_floor_seconds([(3, 4), (5,)], repeats=1) > 0
    assert "social budget 4 y, 2 countries" in bench.run.format_table([result, reused])


def test_main_writes_the_table(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench.run, "measure_bandwidth", lambda repeats=1: 1e10)
    calls = []
    original = bench.budget_case

    def tiny(n_countries, n_scenarios, **kwargs):
        calls.append((n_countries, n_scenarios, kwargs.get("reuse", False)))
        return original(1, 2, bandwidth=1e10, years=3, repeats=1, plain_subset=1,
                                 reuse=kwargs.get("reuse", False))

    monkeypatch.setattr(bench, "budget_case", tiny)
    out = tmp_path / "bench-budget.txt"
    assert bench.main(["--quick", "--out", str(out)]) == 0
    text = out.read_text()
    assert "memory bandwidth" in text and "plain-Python reference" in text and "aims at" in text
    assert calls == [(8, 1, False), (8, 100, False), (8, 100, True)]
