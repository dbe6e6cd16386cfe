"""Importing qsp must stay fast: heavy modules load lazily (DESIGN.md section 3)."""

import subprocess
import sys


def _import_seconds(statement: str) -> float:
    code = (
        "import time; start = time.perf_counter(); "
        f"{statement}; "
        "print(time.perf_counter() - start)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def test_import_qsp_is_fast_and_loads_no_heavy_modules():
    seconds = _import_seconds("import qsp")
    assert seconds < 0.5, f"import qsp took {seconds:.3f} s; keep heavy imports lazy"
    code = "import sys, qsp; print(','.join(m for m in ('pandas', 'matplotlib', 'scipy', 'nbgrader', 'numba') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    assert loaded == "", f"import qsp loaded {loaded}: import them inside the functions that need them"


def test_lazy_attribute_access_and_unknown_names():
    import qsp

    assert qsp.demography.single_ages(3).tolist() == [0, 1, 2, 3]
    try:
        qsp.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:  # pragma: no cover - the assertion documents the contract
        raise AssertionError("unknown attribute must raise AttributeError")
