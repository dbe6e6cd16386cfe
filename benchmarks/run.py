"""Benchmarks of the qsp kernels (``make bench``).

For (a) complete life tables of 1, 1,000 and 100,000 schedules of 101 ages (a schedule is one
sex's death rates: the batches are pairs of female and male schedules, ``(n/2, 2, 101)``) and
(b) a 50-year two-sex cohort-component projection of 1 and 1,000 scenarios, this script times

- the ``qsp`` kernel (best of several runs, ``time.perf_counter``), with each engine it offers
  (``engine="numpy"`` and, when numba is installed, ``engine="numba"``) and, at the largest
  sizes, once more with ``out=`` (the arrays of the previous call are refilled, so no fresh
  memory is allocated: the kernels' own option for repeated calls),
- a plain-Python loop reference (``benchmarks/reference.py``: lists and floats, no numpy),
  first checked to give the same numbers (max relative difference < 1e-9); at large sizes a
  subset of schedules/scenarios is timed and the time scaled linearly (the output says so),
- the bound set by this machine's memory bandwidth: the bytes the kernel must read and write
  (its inputs once, the arrays it returns once) divided by the bandwidth of a large
  ``numpy.copyto`` measured in the same run (read + write bytes counted),
- the write floor: the time to write the returned arrays once (fresh arrays, whose pages the
  operating system zeroes on first touch; with ``out=``, the same arrays again),

and prints the ratios, the time ``import qsp`` takes in a fresh interpreter, and what the first
compiled (numba) call costs in a fresh interpreter. The table is also written to
``build/bench.txt``. Aims (from the issue): at least 100x the plain loop and within 3x of the
bandwidth bound at the large sizes; ``import qsp`` well under a second.

Usage: ``.venv/bin/python benchmarks/run.py [--quick] [--repeats K] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import reference  # noqa: E402  (benchmarks/reference.py, found through the path set above)

N_AGES = 101
"""Single ages 0..100, the last open (100+)."""
RELATIVE_TOLERANCE = 1e-9
"""Largest relative difference allowed between a kernel and its plain-Python reference."""
SPEEDUP_AIM = 100.0
BOUND_AIM = 3.0


# ---------------------------------------------------------------------------------------------
# timing and bandwidth
# ---------------------------------------------------------------------------------------------
def best_time(func: Callable[[], object], *, repeats: int = 5, min_batch_seconds: float = 0.02,
              budget_seconds: float = 20.0) -> float:
    """Best (smallest) seconds per call of ``func`` over ``repeats`` timed batches.

    A batch repeats the call enough times to last ``min_batch_seconds`` (so calls of tens of
    microseconds are timed reliably); one untimed call first warms caches and compiled code.
    Stops early, after at least two batches, once ``budget_seconds`` have been spent.
    """
    start = time.perf_counter()
    func()
    first = time.perf_counter() - start
    calls = max(1, math.ceil(min_batch_seconds / max(first, 1e-7)))
    if calls > 1:  # calibrate on a real batch: the first call may have paid one-off costs
        tick = time.perf_counter()
        for _ in range(calls):
            func()
        per_call = (time.perf_counter() - tick) / calls
        calls = max(1, math.ceil(min_batch_seconds / max(per_call, 1e-9)))
    best = math.inf
    spent = time.perf_counter() - start
    for done in range(repeats):
        tick = time.perf_counter()
        for _ in range(calls):
            func()
        elapsed = time.perf_counter() - tick
        best = min(best, elapsed / calls)
        spent += elapsed
        if done >= 1 and spent > budget_seconds:
            break
    return best


def measure_bandwidth(*, megabytes: float = 256.0, repeats: int = 7) -> float:
    """Memory bandwidth in bytes per second: best ``numpy.copyto`` of a large array.

    The bytes counted are those read plus those written (``2 * nbytes``), the same way the
    kernels' bytes are counted below, so the two are comparable.
    """
    n = max(1, int(megabytes * 1e6 / 8))
    source = np.ones(n)
    target = np.zeros(n)  # touched once so that page faults are not timed
    seconds = best_time(lambda: np.copyto(target, source), repeats=repeats, min_batch_seconds=0.0)
    return 2 * source.nbytes / seconds


def fresh_output_seconds(shapes: list[tuple[int, ...]], *, repeats: int = 5, reuse: bool = False) -> float:
    """Best time to allocate float64 arrays of ``shapes`` and write each once (``fill``).

    Arrays of more than a few MB are fresh memory pages that the operating system zeroes on
    first touch, which costs about as much as writing them again: a kernel that returns new
    arrays cannot beat this. With ``reuse``, the same arrays are written again each time (the
    floor of a kernel that refills its outputs with ``out=``).
    """
    if reuse:
        arrays = [np.zeros(shape) for shape in shapes]

        def write() -> None:
            for array in arrays:
                array.fill(1.0)

        return best_time(write, repeats=repeats)

    def allocate_and_write() -> None:
        for shape in shapes:
            np.empty(shape).fill(1.0)

    return best_time(allocate_and_write, repeats=repeats)


def compiled_first_call_seconds(*, cache: bool = True) -> dict[str, float] | None:
    """Seconds of the first ``engine="numba"`` call of each kernel in a fresh interpreter (numba
    import and loading the machine code cached on disk; with ``cache=False`` numba's cache is
    pointed at an empty folder, so the code is compiled), or None without numba."""
    try:
        from qsp.demography._engine import compiled_kernels
    except ImportError:  # pragma: no cover
        return None
    if compiled_kernels() is None:
        return None
    code = (
        "import time, numpy as np, qsp.demography as d\n"
        "mx = np.full((2, 101), 0.01)\n"
        "tick = time.perf_counter(); d.life_table(mx, engine='numba'); life = time.perf_counter() - tick\n"
        "tick = time.perf_counter(); d.project(np.ones((2, 101)), mx=mx, asfr=np.zeros(101), years=[0, 1], "
        "engine='numba'); projection = time.perf_counter() - tick\n"
        "print(life, projection)"
    )
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        if not cache:
            env["NUMBA_CACHE_DIR"] = folder
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    life, projection = (float(x) for x in out.stdout.split())
    return {"life table": life, "projection": projection}


def import_seconds(statement: str = "import qsp", *, repeats: int = 5) -> float:
    """Best time to run ``statement`` in a fresh interpreter, measured inside that interpreter."""
    code = f"import time; tick = time.perf_counter(); {statement}; print(time.perf_counter() - tick)"
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        times.append(float(out.stdout.strip()))
    return min(times)


def interpreter_seconds(code: str, *, repeats: int = 5) -> float:
    """Best wall time of ``python -c code`` (interpreter start included)."""
    times = []
    for _ in range(repeats):
        tick = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - tick)
    return min(times)


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
@dataclass
class Result:
    """One benchmark case."""

    case: str
    size: int
    unit: str
    qsp_seconds: float
    plain_seconds: float
    plain_timed: int
    bytes_moved: int
    bound_seconds: float
    bytes_note: str
    fresh_floor_seconds: float = 0.0
    variant: str = "numpy"
    max_relative_difference: float = 0.0
    first_call_seconds: float = 0.0

    @property
    def speedup(self) -> float:
        return self.plain_seconds / self.qsp_seconds

    @property
    def ratio_to_bound(self) -> float:
        return self.qsp_seconds / self.bound_seconds

    @property
    def label(self) -> str:
        plural = self.unit if self.size == 1 else self.unit + "s"
        variant = "" if self.variant == "numpy" else f" [{self.variant}]"
        return f"{self.case}, {self.size:,} {plural}{variant}"


def run_sized_cases(case: Callable[..., Result], sizes: tuple[tuple[int, ...], ...], *, repeats: int,
                    ) -> tuple[list[Result], str]:
    """Run ``case(*size, bandwidth=..., repeats=...)`` for each size, then the largest with ``reuse=True``.

    The bandwidth is measured before and after the cases and each result's bound is taken from the
    better of the two (other work on the machine only ever lowers a measurement). Returns the
    results and a line describing the bandwidth, for the report.
    """
    bandwidth = measure_bandwidth(repeats=repeats + 2)
    results = []
    for size in sizes:
        results.append(case(*size, bandwidth=bandwidth, repeats=repeats))
        print(f"  done: {results[-1].label}", flush=True)
    results.append(case(*sizes[-1], bandwidth=bandwidth, repeats=repeats, reuse=True))
    print(f"  done: {results[-1].label}", flush=True)
    again = measure_bandwidth(repeats=repeats + 2)
    best = max(bandwidth, again)
    results = [dataclasses.replace(result, bound_seconds=result.bytes_moved / best) for result in results]
    line = (f"memory bandwidth (numpy.copyto of 256 MB, read + write bytes): {best / 1e9:.1f} GB/s, the best of "
            f"{bandwidth / 1e9:.1f} GB/s at the start and {again / 1e9:.1f} GB/s at the end of the run")
    return results, line


def max_relative_difference(actual: np.ndarray, expected: np.ndarray) -> float:
    """Largest ``|a - e| / max(|a|, |e|)`` over finite entries (NaN must match NaN)."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape:
        raise AssertionError(f"shapes differ: kernel {actual.shape}, reference {expected.shape}")
    nan_actual, nan_expected = np.isnan(actual), np.isnan(expected)
    if np.any(nan_actual != nan_expected):
        raise AssertionError("the kernel and the reference disagree on where the result is NaN")
    keep = ~nan_actual
    scale = np.maximum(np.abs(actual[keep]), np.abs(expected[keep]))
    diff = np.abs(actual[keep] - expected[keep])
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(scale > 0, diff / scale, 0.0)
    return float(relative.max(initial=0.0))


def _check_agreement(name: str, pairs: dict[str, tuple[np.ndarray, np.ndarray]]) -> float:
    worst = 0.0
    for column, (actual, expected) in pairs.items():
        difference = max_relative_difference(actual, expected)
        if not difference < RELATIVE_TOLERANCE:
            raise AssertionError(
                f"{name}: column {column} differs from the plain-Python reference by a relative "
                f"{difference:.3g} (allowed {RELATIVE_TOLERANCE:g}); the kernel or the reference is wrong."
            )
        worst = max(worst, difference)
    return worst


# ---------------------------------------------------------------------------------------------
# (a) life tables
# ---------------------------------------------------------------------------------------------
LIFE_TABLE_COLUMNS = ("ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex")
"""The columns compared with the plain-Python reference."""


def make_death_rates(n_schedules: int, *, seed: int = 0) -> np.ndarray:
    """``n_schedules`` plausible death-rate schedules (n, 101): Siler-like curves (infant,
    Makeham and Gompertz terms) with levels drawn at random, e0 about 55-85."""
    rng = np.random.default_rng(seed)
    ages = np.arange(N_AGES, dtype=np.float64)
    level = rng.uniform(0.3, 3.0, size=(n_schedules, 1))
    infant = 0.004 * level * np.exp(-1.5 * ages)
    makeham = 0.0004 * level
    gompertz = 0.00002 * rng.uniform(0.6, 1.6, size=(n_schedules, 1)) * np.exp(rng.uniform(0.085, 0.1, (n_schedules, 1)) * ages)
    return infant + makeham + gompertz


def make_life_table_rates(n_schedules: int, *, seed: int = 0) -> tuple[np.ndarray, str | None]:
    """Death rates of ``n_schedules`` schedules of 101 ages and the ``sex`` argument for them:
    one female schedule ``(1, 101)`` for ``n_schedules == 1``, otherwise ``n/2`` pairs of a
    female and a male schedule, ``(n/2, 2, 101)`` (each sex takes its own a0 rule)."""
    if n_schedules == 1:
        return make_death_rates(1, seed=seed), "female"
    if n_schedules % 2:
        raise ValueError(f"n_schedules must be 1 or even (pairs of female and male schedules), got {n_schedules}.")
    rates = make_death_rates(n_schedules, seed=seed).reshape(n_schedules // 2, 2, N_AGES)
    rates[:, 1] *= 1.2  # men die more
    return rates, None


def _sexes(mx: np.ndarray, sex: str | None) -> list[tuple[int, np.ndarray]]:
    """``(sex code, schedules (n, 101))`` of the rates made by :func:`make_life_table_rates`."""
    return [(0, mx)] if sex == "female" else [(0, mx[:, 0]), (1, mx[:, 1])]


def _reused(function: Callable) -> Callable:
    """``function`` called with ``out=`` its previous result (the first call allocates)."""
    previous = []

    def call(*args, **kwargs):
        result = function(*args, out=previous[-1] if previous else None, **kwargs)
        previous[:] = [result]
        return result

    return call


def compiled_available() -> bool:
    """Whether the optional compiled (numba) kernels can be used."""
    try:
        from qsp.demography._engine import compiled_kernels
    except ImportError:  # pragma: no cover - an older qsp
        try:
            import numba  # noqa: F401
        except ImportError:
            return False
        return True
    return compiled_kernels() is not None


def _engine_variants(function: Callable, bind: Callable) -> dict[str, Callable]:
    """One kernel per engine: a kernel with an ``engine=`` keyword ("numpy" or "numba") is timed
    with each engine explicitly (the default, "auto", picks one of them); numba only when it is
    installed; "<engine>, out=" variants refill the previous result when the kernel has ``out=``.
    A kernel without the keyword is timed as it is."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        parameters = {}
    if "engine" not in parameters:
        return {"numpy": bind(function)}
    engines = ["numpy", "numba"] if compiled_available() else ["numpy"]
    variants = {engine: bind(function, engine=engine) for engine in engines}
    if "out" in parameters:
        for engine in engines:
            variants[f"{engine}, out="] = bind(_reused(function), engine=engine)
    return variants


def life_table_kernels() -> dict[str, Callable]:
    """The life-table kernels to time, by variant: each takes ``(mx, sex)``."""
    from qsp.demography import life_table

    return _engine_variants(life_table, lambda f, **kw: (lambda mx, sex: f(mx, sex=sex, **kw)))


_PLAIN_SECONDS: dict[tuple, float] = {}
"""Plain-loop times already measured in this run, by case: each variant reuses them."""


def lifetable_case(n_schedules: int, *, bandwidth: float, repeats: int = 5, plain_subset: int = 100,
                   kernel: Callable | None = None, variant: str = "numpy") -> Result:
    """Time complete life tables of ``n_schedules`` schedules of 101 ages (pairs of sexes)."""
    kernel = kernel or life_table_kernels()["numpy"]
    mx, sex = make_life_table_rates(n_schedules)
    tick = time.perf_counter()
    table = kernel(mx, sex)
    first_call = time.perf_counter() - tick
    timed_rows = max(1, min(mx.shape[0], plain_subset // (1 if sex == "female" else 2)))
    timed = timed_rows * (1 if sex == "female" else 2)
    plain_input = [(code, rows[:timed_rows].tolist()) for code, rows in _sexes(mx, sex)]

    def plain():
        return [reference.life_tables(rows, code) for code, rows in plain_input]

    plain_tables = plain()
    pairs = {}
    for column in LIFE_TABLE_COLUMNS:
        expected = np.stack([np.array([t[column] for t in tables]) for tables in plain_tables], axis=1)
        actual = getattr(table, column)[:timed_rows]
        pairs[column] = (actual, expected.reshape(actual.shape))
    worst = _check_agreement(f"life table ({variant})", pairs)
    qsp_seconds = best_time(lambda: kernel(mx, sex), repeats=repeats)
    key = ("life table", n_schedules, timed)
    if key not in _PLAIN_SECONDS:
        _PLAIN_SECONDS[key] = best_time(plain, repeats=max(1, min(repeats, 3)), min_batch_seconds=0.0)
    plain_seconds = _PLAIN_SECONDS[key] * n_schedules / timed
    stored = [name for name in LIFE_TABLE_COLUMNS if name in {f.name for f in dataclasses.fields(table)}]
    written = sum(getattr(table, name).nbytes for name in stored)
    floor = fresh_output_seconds([mx.shape] * len(stored), repeats=repeats, reuse="out=" in variant)
    return Result(
        case="life table", size=n_schedules, unit="schedule", qsp_seconds=qsp_seconds,
        plain_seconds=plain_seconds, plain_timed=timed, bytes_moved=mx.nbytes + written,
        bound_seconds=(mx.nbytes + written) / bandwidth,
        bytes_note=(f"mx in + the {len(stored)} columns the table stores out ({' '.join(stored)}; "
                    f"{' and '.join(c for c in LIFE_TABLE_COLUMNS if c not in stored) or 'none'} derived when "
                    "read), 8 bytes each (DESIGN.md: mx in, six columns out)"),
        fresh_floor_seconds=floor, variant=variant, max_relative_difference=worst, first_call_seconds=first_call,
    )


# ---------------------------------------------------------------------------------------------
# (b) projections
# ---------------------------------------------------------------------------------------------
PROJECTION_OUTPUTS = ("population", "births", "deaths", "migrants")
BASE_YEAR = 2025


def projection_available() -> bool:
    """True once ``qsp.demography.project`` can be imported."""
    try:
        from qsp.demography import project  # noqa: F401
    except (ImportError, AttributeError):
        return False
    return True


def make_projection_inputs(n_scenarios: int, *, years: int = 50, mx_by_year: bool = False,
                           seed: int = 1) -> dict[str, np.ndarray]:
    """Inputs of ``n_scenarios`` plausible scenarios of a two-sex projection over ``years`` years.

    Each scenario has its own base population (a young pyramid), death rates (constant, or
    improving by about 1% a year with ``mx_by_year``), fertility (TFR 1.5-4.5, peak near 28)
    and net migration (a young-adult profile of net immigration or emigration).
    """
    rng = np.random.default_rng(seed)
    ages = np.arange(N_AGES, dtype=np.float64)
    female = make_death_rates(n_scenarios, seed=seed)
    mx = np.stack([female, 1.3 * female], axis=-2)  # (S, sex, age)
    if mx_by_year:
        improvement = np.exp(-0.01 * np.arange(years, dtype=np.float64))
        mx = mx[:, None, :, :] * improvement[None, :, None, None]  # (S, step, sex, age)
    growth = rng.uniform(0.0, 0.03, size=(n_scenarios, 1, 1))
    survivors = np.exp(-np.cumsum(np.stack([female, 1.3 * female], axis=-2), axis=-1))
    base = 50_000.0 * rng.uniform(0.5, 2.0, size=(n_scenarios, 1, 1)) * np.exp(-growth * ages) * survivors
    tfr = rng.uniform(1.5, 4.5, size=(n_scenarios, 1))
    shape = np.where((ages >= 15) & (ages < 50), (ages - 14.5) ** 3 * np.exp(-(ages - 14.5) / 4.5), 0.0)
    asfr = tfr * shape / shape.sum()
    profile = np.exp(-0.5 * ((ages - 27.0) / 8.0) ** 2)
    level = rng.uniform(-1.0, 1.0, size=(n_scenarios, 1, 1)) * 0.002 * base[..., 27:28]
    net_migrants = level * profile / profile.max()
    return {"population": base, "mx": mx, "asfr": asfr, "net_migrants": net_migrants}


def projection_kernels() -> dict[str, Callable]:
    """The projection kernels to time, by variant: each takes ``(inputs, years)``."""
    from qsp.demography import project

    def bind(function, **options):
        return lambda inputs, years: function(inputs["population"], mx=inputs["mx"], asfr=inputs["asfr"],
                                              net_migrants=inputs["net_migrants"], srb=1.05,
                                              years=range(BASE_YEAR, BASE_YEAR + years + 1), **options)

    return _engine_variants(project, bind)


def projection_case(n_scenarios: int, *, bandwidth: float, years: int = 50, repeats: int = 5,
                    plain_subset: int = 10, mx_by_year: bool = False, kernel: Callable | None = None,
                    variant: str = "numpy") -> Result:
    """Time a ``years``-year two-sex projection of ``n_scenarios`` scenarios."""
    kernel = kernel or projection_kernels()["numpy"]
    inputs = make_projection_inputs(n_scenarios, years=years, mx_by_year=mx_by_year)
    tick = time.perf_counter()
    result = kernel(inputs, years)
    first_call = time.perf_counter() - tick
    timed = min(n_scenarios, plain_subset)
    lists = {name: value[:timed].tolist() for name, value in inputs.items()}

    def plain():
        return reference.projections(lists["population"], lists["mx"], lists["asfr"], lists["net_migrants"],
                                     1.05, years, mx_by_year)

    plain_results = plain()
    worst = _check_agreement(
        f"projection ({variant})",
        {name: (getattr(result, name)[:timed], np.array([r[name] for r in plain_results]))
         for name in PROJECTION_OUTPUTS},
    )
    qsp_seconds = best_time(lambda: kernel(inputs, years), repeats=repeats)
    key = ("projection", n_scenarios, years, mx_by_year, timed)
    if key not in _PLAIN_SECONDS:
        _PLAIN_SECONDS[key] = best_time(plain, repeats=max(1, min(repeats, 3)), min_batch_seconds=0.0)
    plain_seconds = _PLAIN_SECONDS[key] * n_scenarios / timed

    read = sum(value.nbytes for value in inputs.values())
    outputs = [name for name in PROJECTION_OUTPUTS + ("emigration_shortfall",)
               if np.any(getattr(result, name))]  # an all-zero result costs nothing to return
    written = sum(getattr(result, name).nbytes for name in outputs)
    floor = fresh_output_seconds([getattr(result, name).shape for name in outputs], repeats=repeats,
                                 reuse="out=" in variant)
    rates = "death rates by year" if mx_by_year else "constant rates"
    return Result(
        case=f"projection {years} y" + (", mx by year" if mx_by_year else ""), size=n_scenarios,
        unit="scenario", qsp_seconds=qsp_seconds, plain_seconds=plain_seconds, plain_timed=timed,
        bytes_moved=read + written, bound_seconds=(read + written) / bandwidth,
        bytes_note=(f"inputs in ({', '.join(inputs)}; {rates}) + outputs out ({', '.join(outputs)}), "
                    "8 bytes each; all-zero outputs (the emigration shortfall, when no cohort was emptied) "
                    "not counted"),
        fresh_floor_seconds=floor, variant=variant, max_relative_difference=worst, first_call_seconds=first_call,
    )


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------
def _fmt_seconds(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:,.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.{1 if seconds < 1e-5 else 0}f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:,.{2 if seconds < 1e-2 else 1}f} ms"
    return f"{seconds:,.2f} s"


def _fmt_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,.0f} B"


def _fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.1f}x" if ratio < 10 else f"{ratio:,.0f}x"


def format_table(results: list[Result]) -> str:
    """The results as a fixed-width table, with the aims checked at the largest size of each case."""
    width = max([38] + [len(r.label) for r in results])
    header = (f"{'case':<{width}} {'qsp':>9} {'plain loop':>11} {'speedup':>8} {'moved':>9} {'bound':>9} "
              f"{'qsp/bound':>9} {'write floor':>11}")
    lines = [header, "-" * len(header)]
    for r in results:
        plain = _fmt_seconds(r.plain_seconds) + ("*" if r.plain_timed < r.size else " ")
        lines.append(
            f"{r.label:<{width}} {_fmt_seconds(r.qsp_seconds):>9} {plain:>11} {_fmt_ratio(r.speedup):>8} "
            f"{_fmt_bytes(r.bytes_moved):>9} {_fmt_seconds(r.bound_seconds):>9} {_fmt_ratio(r.ratio_to_bound):>9} "
            f"{_fmt_seconds(r.fresh_floor_seconds):>11}"
        )
    lines.append("")
    scaled = sorted({(r.case, r.plain_timed, r.unit) for r in results if r.plain_timed < r.size})
    for case, timed, unit in scaled:
        lines.append(f"* {case}: plain loop timed on the first {timed:,} {unit}s and scaled linearly to the full size")
    lines.append("moved: bytes the kernel must read and write; bound: moved / measured bandwidth")
    notes = {}
    for r in results:  # the note of the largest size of each case
        notes[r.case] = max((notes.get(r.case, (0, "")), (r.size, r.bytes_note)))
    for case, (size, note) in notes.items():
        lines.append(f"  {case} ({size:,} {'schedules' if case == 'life table' else 'scenarios'}): {note}")
    lines.append("write floor: time to allocate the kernel's output arrays and write them once (the OS zeroes "
                 "new pages on first touch), a floor for any kernel that returns new arrays; for the [.., out=] "
                 "rows, time to write the same arrays again")
    lines.append("[engine]: engine= passed explicitly; [engine, out=]: out= the result of the previous call, whose "
                 "arrays the kernel refills instead of allocating new ones")
    lines.append("")
    largest: dict[tuple[str, str], Result] = {}
    for r in results:
        best = largest.get((r.case, r.variant))
        if best is None or r.size > best.size:
            largest[(r.case, r.variant)] = r
    for r in largest.values():
        speed_ok = "met" if r.speedup >= SPEEDUP_AIM else "NOT met"
        bound_ok = "met" if r.ratio_to_bound <= BOUND_AIM else "NOT met"
        lines.append(
            f"aims at {r.label}: >= {SPEEDUP_AIM:.0f}x the plain loop: {_fmt_ratio(r.speedup)} ({speed_ok}); "
            f"within {BOUND_AIM:.0f}x of the bandwidth bound: {_fmt_ratio(r.ratio_to_bound)} ({bound_ok})"
        )
    return "\n".join(lines)


def environment_line() -> str:
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = "not installed"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"python {platform.python_version()}, numpy {np.__version__}, numba {numba_version}, "
        f"{platform.machine()} {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"load average {load:.1f} at the start (other work on the machine slows every timing)"
    )


def compiled_line() -> str:
    """What the compiled engine costs to start, and when ``engine="auto"`` uses it."""
    if not compiled_available():
        return "numba: not installed (or QSP_DISABLE_NUMBA is set): only the numpy engine is timed"
    warm = compiled_first_call_seconds(cache=True)
    cold = compiled_first_call_seconds(cache=False)
    try:
        from qsp.demography import lifetable, projection

        auto = (f"; engine='auto' uses numba from {lifetable._NUMBA_MIN_VALUES:,} rates (life table) and "
                f"{projection._NUMBA_MIN_VALUES:,} values per output (projection), or at any size once the "
                "kernel has run in the session")
    except (ImportError, AttributeError):  # pragma: no cover - an older qsp
        auto = ""
    return (f"numba first call in a fresh interpreter (imports numba, loads the machine code cached on disk): "
            f"life table {warm['life table']:.2f} s, then projection {warm['projection']:.2f} s; without the "
            f"cache (compiling): {cold['life table']:.2f} s and {cold['projection']:.2f} s{auto}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a quick look)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case; the best is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.txt", help="where to write the table")
    args = parser.parse_args(argv)

    repeats = 2 if args.quick else args.repeats
    table_sizes = (1, 1_000, 10_000) if args.quick else (1, 1_000, 100_000)  # schedules (pairs of sexes)
    scenario_sizes = (1, 100) if args.quick else (1, 1_000)

    lines = [f"qsp benchmarks, {time.strftime('%Y-%m-%d %H:%M')}", environment_line()]
    print("\n".join(lines), flush=True)

    bandwidth = measure_bandwidth(repeats=repeats + 2)
    print(f"memory bandwidth (numpy.copyto of 256 MB, read + write bytes): {bandwidth / 1e9:.1f} GB/s", flush=True)

    import_time = import_seconds("import qsp")
    first_use = import_seconds("import qsp; qsp.demography.life_table")
    start_only = interpreter_seconds("pass")
    with_qsp = interpreter_seconds("import qsp")
    line = (
        f"import qsp: {import_time * 1e3:.1f} ms in a fresh interpreter "
        f"(wall time of `python -c \"import qsp\"` minus `python -c pass`: {(with_qsp - start_only) * 1e3:.1f} ms; "
        f"with numpy and qsp.demography.life_table loaded too: {first_use * 1e3:.1f} ms)"
    )
    lines.append(line)
    print(line + "\n", flush=True)

    line = compiled_line()
    lines.append(line)
    print(line + "\n", flush=True)

    results: list[Result] = []
    for variant, kernel in life_table_kernels().items():
        for n in table_sizes if "out=" not in variant else table_sizes[-1:]:
            results.append(lifetable_case(n, bandwidth=bandwidth, repeats=repeats, kernel=kernel, variant=variant))
            print(f"  done: {results[-1].label}", flush=True)
    if projection_available():
        for variant, kernel in projection_kernels().items():
            for n in scenario_sizes if "out=" not in variant else scenario_sizes[-1:]:
                results.append(projection_case(n, bandwidth=bandwidth, repeats=repeats, kernel=kernel,
                                               variant=variant))
                print(f"  done: {results[-1].label}", flush=True)
            results.append(projection_case(scenario_sizes[-1], bandwidth=bandwidth, repeats=repeats,
                                           kernel=kernel, variant=variant, mx_by_year=True))
            print(f"  done: {results[-1].label}", flush=True)
    else:
        lines.append("projection: qsp.demography.project is not available; not timed")

    # the bound uses the best bandwidth seen, at the start or at the end of the run: other work on
    # the machine lowers a measurement, and a lower bandwidth would flatter every kernel
    again = measure_bandwidth(repeats=repeats + 2)
    best = max(bandwidth, again)
    results = [dataclasses.replace(r, bound_seconds=r.bytes_moved / best) for r in results]
    lines.insert(2, f"memory bandwidth (numpy.copyto of 256 MB, read + write bytes): {best / 1e9:.1f} GB/s, the best of "
                    f"{bandwidth / 1e9:.1f} GB/s at the start and {again / 1e9:.1f} GB/s at the end of the run")
    print(lines[2], flush=True)
    table = format_table(results)
    worst = max(r.max_relative_difference for r in results)
    lines += ["", table, "", f"every kernel agrees with its plain-Python reference: max relative difference {worst:.1e}"]
    print("\n" + table + "\n" + lines[-1])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
