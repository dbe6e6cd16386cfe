"""The package costing benchmark (benchmarks/costing.py) runs at tiny sizes and its plain-Python reference
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
    spec = importlib.util.spec_from_file_location("bench_costing", BENCHMARKS / "costing.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_inputs_stack_the_countries_on_a_leading_axis(bench):
    inputs = bench.make_costing_inputs(2, 3, years=4)
    assert inputs["countries"] == ["CHE", "GHA"]
    assert inputs["population"].shape == (2, 1, 4, 2, 101)
    assert inputs["macro"].nominal_gdp.shape == (2, 3, 4)
    assert [benefit.name for benefit in inputs["package"]] == list(bench.BENEFITS)
    cost = bench.kernel(inputs)
    assert cost.total.shape == (2, 3, 4) and cost.composition().shape == (2, 3, 4, 4)
    # the population is each country's own projection: its base-year total is the country's
    from qsp.data import load_country

    ghana = load_country("GHA")
    base = ghana.economy.base_year
    np.testing.assert_allclose(inputs["population"][1, 0, 0].sum(),
                               ghana.project(until=base + 1).population[base - ghana.base_year].sum())
    assert np.all((cost.share_of_gdp > 0) & (cost.share_of_gdp < 0.2))


def test_plain_reference_agrees_with_the_kernel(bench):
    inputs = bench.make_costing_inputs(2, 3, years=5, seed=4)
    cost = bench.kernel(inputs)
    plain = bench.plain_costing(bench.plain_lists(inputs, 3))
    computed = bench.kernel_outputs(cost)
    for name in bench.COSTING_OUTPUTS:
        expected = np.array(plain[name])
        assert bench.run.max_relative_difference(computed[name], expected) < bench.run.RELATIVE_TOLERANCE, name
    # the reference is an independent loop: a wrong kernel would be caught
    with pytest.raises(AssertionError, match="differs from the plain-Python reference"):
        bench.run._check_agreement("costing", {"package total": (cost.total * 1.001, np.array(plain["package total"]))})


def test_case_runs_counts_bytes_and_reuses_outputs(bench):
    result = bench.costing_case(2, 3, bandwidth=1e10, years=4, repeats=1, plain_subset=2)
    assert result.size == 6 and result.plain_timed == 4
    assert result.max_relative_difference < bench.run.RELATIVE_TOLERANCE
    inputs = bench.make_costing_inputs(2, 3, years=4)
    read, written = bench.bytes_moved(inputs, bench.kernel(inputs))
    # 4 benefits x 9 arrays and 6 package arrays of 2 x 3 x 4 values, 4 take-up paths of 4 years (8 bytes
    # each), 3 cap flags (1 byte) per country and scenario
    assert written == 8 * (4 * 9 + 6) * 2 * 3 * 4 + 8 * 4 * 4 + 3 * 2 * 3
    assert read == 8 * (2 * 4 * 2 * 101 + 4 * 2 * 3 * 4 + 2 * 3 + 3 * 2 * 3)
    assert result.bytes_moved == read + written
    reused = bench.costing_case(2, 3, bandwidth=1e10, years=4, repeats=1, plain_subset=2, reuse=True)
    assert "[numpy, out=]" in reused.label
    table = bench.run.format_table([result, reused])
    assert "package costing 4 y, 6 country-scenarios [numpy, out=]" in table and "2 countries x 3 scenarios" in table


def test_main_writes_the_table(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench.run, "measure_bandwidth", lambda repeats=1: 1e10)
    calls = []
    original = bench.costing_case

    def tiny(n_countries, n_scenarios, **kwargs):
        calls.append((n_countries, n_scenarios, kwargs.get("reuse", False)))
        return original(1, 2, bandwidth=1e10, years=3, repeats=1, plain_subset=1, reuse=kwargs.get("reuse", False))

    monkeypatch.setattr(bench, "costing_case", tiny)
    out = tmp_path / "bench_costing.txt"
    assert bench.main(["--quick", "--out", str(out)]) == 0
    text = out.read_text()
    assert "memory bandwidth" in text and "plain-Python reference" in text and "aims at" in text
    assert "not the study's values" in text
    assert calls == [(8, 1, False), (8, 100, False), (8, 100, True)]
