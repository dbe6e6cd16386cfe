"""Benchmark of the transfer simulation (``make bench``): 100 benefit levels x 3 designs on a 50,000-household
survey in one vectorised call of :func:`qsp.poverty.poverty_impact`.

The survey is drawn here (seeded; log-normal consumption, household sizes 1-9, ages): it times the kernel,
it is not a country's data. The three designs are a universal old-age pension (members 65+), a universal
child benefit (members under 14) and a transfer targeted by a proxy-means test to the 30% of people with
the lowest scores; each design has 100 benefit levels, so the transfers have shape (3, 100, households).
The case times

- the ``qsp`` path (best of several runs): transfers factored as levels x eligible counts (built block by
  block in cache, never in full), welfare after the transfer, headcount, gap and severity before and after, total cost (``inequality=False``: the Gini of
  every scenario needs a sort per scenario and is timed on its own as a second case),
- a plain-Python reference written as a learner would (loops over designs, levels and households with
  floats, no numpy), first checked to agree with the kernel (max relative difference < 1e-9); it is timed
  on the first levels of each design and scaled linearly to the full size,
- the memory-bandwidth bound: the survey columns read plus one write and one read of the
  (scenario, household) welfare array that any array-at-a-time method must hold (8 bytes each), divided
  by the bandwidth of a large ``numpy.copyto`` measured in the same run (``benchmarks/run.py``). A fused
  compiled loop need not hold that array; the bound is then the survey columns only (also printed).

Usage: ``.venv/bin/python benchmarks/poverty.py [--quick] [--repeats K] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run  # noqa: E402  (benchmarks/run.py: timer, bandwidth, table)

DESIGNS = ("old-age pension", "child benefit", "PMT-targeted transfer")
TARGET_COVERAGE = 0.30
"""Share of people the PMT-targeted design covers (lowest scores)."""


def make_inputs(n_households: int, n_levels: int, *, seed: int = 0) -> dict:
    """A seeded survey of ``n_households``, the three designs' eligible counts and ``n_levels`` levels each."""
    from qsp.poverty import fit_pmt, make_survey, pmt_eligible, relative_line

    rng = np.random.default_rng(seed)
    size = rng.integers(1, 10, n_households)
    members = np.repeat(np.arange(n_households), size)
    age = rng.integers(0, 90, members.size)
    sex = rng.integers(0, 2, members.size)
    assets = rng.normal(0, 1, n_households)
    urban = (rng.random(n_households) < 0.3).astype(float)
    consumption = np.exp(13.0 + 0.5 * assets + 0.3 * urban + rng.normal(0, 0.5, n_households)) * size ** 0.8
    survey = make_survey(np.arange(n_households), rng.uniform(50, 500, n_households), consumption, members, age, sex)
    line = float(relative_line(survey.welfare, survey.person_weight, 0.6))
    x = np.column_stack([assets, urban, size])
    pmt = fit_pmt(x, survey.welfare, survey.person_weight)
    targeted = pmt_eligible(pmt.score(x), survey.person_weight, coverage=TARGET_COVERAGE)
    counts = np.stack([survey.member_count(survey.age >= 65), survey.member_count(survey.age < 14),
                       targeted.astype(float)])                                 # per member, member, household
    mean_welfare = float(np.average(survey.welfare, weights=survey.person_weight))
    levels = np.linspace(0.01, 0.5, n_levels) * mean_welfare                   # (level,)
    amounts = np.stack([levels, levels / 2, levels * 2])                        # (design, level)
    return {"survey": survey, "line": line, "counts": counts, "amounts": amounts}


def kernel(inputs: dict, *, inequality: bool = False):
    from qsp.poverty import poverty_impact

    # transfers = amounts (design, level) x eligible units (design, 1, household), never built in full
    return poverty_impact(inputs["survey"], line=inputs["line"], amounts=inputs["amounts"],
                          units=inputs["counts"][:, None, :], inequality=inequality)


def kernel_outputs(result) -> dict[str, np.ndarray]:
    return {"fgt after": result.fgt_after, "cost": result.cost}


def plain_lists(inputs: dict, n_timed: int) -> dict:
    s = inputs["survey"]
    return {"consumption": s.consumption.tolist(), "ae": s.adult_equivalents.tolist(), "weight": s.weight.tolist(),
            "size": s.size.tolist(), "counts": inputs["counts"].tolist(),
            "amounts": inputs["amounts"][:, :n_timed].tolist(), "line": inputs["line"]}


def plain_impact(data: dict) -> dict:
    """Headcount, gap, severity after each transfer and its cost, with loops over designs, levels and households."""
    z = data["line"]
    out = {"fgt after": [], "cost": []}
    for d, counts in enumerate(data["counts"]):
        fgt_rows, cost_row = [], []
        for amount in data["amounts"][d]:
            people = poor = gap = severity = cost = 0.0
            for h in range(len(counts)):
                transfer = amount * counts[h]
                persons = data["weight"][h] * data["size"][h]
                welfare = (data["consumption"][h] + transfer) / data["ae"][h]
                people += persons
                cost += data["weight"][h] * transfer
                if welfare < z:
                    g = 1.0 - welfare / z
                    poor += persons
                    gap += persons * g
                    severity += persons * g * g
            fgt_rows.append([poor / people, gap / people, severity / people])
            cost_row.append(cost)
        out["fgt after"].append(fgt_rows)
        out["cost"].append(cost_row)
    return out


def bytes_moved(inputs: dict) -> tuple[int, int]:
    """(survey columns and eligible counts read, plus one write and read of the scenario x household welfare)."""
    s = inputs["survey"]
    columns = sum(a.nbytes for a in (s.consumption, s.adult_equivalents, s.weight, s.size)) + inputs["counts"].nbytes
    scenarios = inputs["amounts"].size
    return columns, columns + 2 * 8 * scenarios * s.n_households


def poverty_case(n_households: int, n_levels: int, *, bandwidth: float, repeats: int = 5, plain_subset: int = 2,
                 inequality: bool = False) -> run.Result:
    inputs = make_inputs(n_households, n_levels)
    tick = time.perf_counter()
    result = kernel(inputs, inequality=inequality)
    first_call = time.perf_counter() - tick
    timed = min(n_levels, plain_subset)
    data = plain_lists(inputs, timed)
    reference = plain_impact(data)
    computed = kernel_outputs(result)
    worst = run._check_agreement("poverty impact", {
        name: (computed[name][:, :timed], np.array(reference[name])) for name in ("fgt after", "cost")})
    qsp_seconds = run.best_time(lambda: kernel(inputs, inequality=inequality), repeats=repeats)
    plain_seconds = run.best_time(lambda: plain_impact(data), repeats=max(1, min(repeats, 2)),
                                  min_batch_seconds=0.0) * n_levels / timed
    if inequality:  # the plain reference does not compute the Gini: the speed-up is for the poverty part only
        plain_seconds = float("nan")
    _, moved = bytes_moved(inputs)
    return run.Result(
        case="poverty impact" + (" + Gini" if inequality else ""), size=3 * n_levels, unit="scenario",
        qsp_seconds=qsp_seconds, plain_seconds=plain_seconds, plain_timed=3 * timed,
        bytes_moved=moved, bound_seconds=moved / bandwidth,
        bytes_note=(f"{n_households:,} households x 3 designs x {n_levels} levels; survey columns (consumption, "
                    "adult equivalents, weight, size) and 3 eligible counts in, the (scenario, household) welfare "
                    "written and read once, 8 bytes each"),
        variant="numpy", max_relative_difference=worst, first_call_seconds=first_call,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a quick look)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per case; the best is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench_poverty.txt", help="where to write the table")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else args.repeats
    sizes = ((5_000, 10),) if args.quick else ((5_000, 10), (50_000, 100))
    lines = [f"qsp poverty impact benchmark, {time.strftime('%Y-%m-%d %H:%M')}", run.environment_line()]
    print("\n".join(lines), flush=True)
    bandwidth = run.measure_bandwidth(repeats=repeats + 2)
    results = [poverty_case(*size, bandwidth=bandwidth, repeats=repeats) for size in sizes]
    results.append(poverty_case(*sizes[-1], bandwidth=bandwidth, repeats=repeats, inequality=True))
    lines.append(f"memory bandwidth (numpy.copyto of 256 MB, read + write bytes): {bandwidth / 1e9:.1f} GB/s")
    columns, _ = bytes_moved(make_inputs(sizes[-1][0], 1))
    table = run.format_table(results)
    worst = max(r.max_relative_difference for r in results)
    lines += ["", table, "",
              f"a fused loop that never holds the (scenario, household) array reads only the survey columns: "
              f"{columns / 1e6:.1f} MB, {columns / bandwidth * 1e3:.2f} ms at the bandwidth bound",
              "[poverty impact + Gini]: one sort per scenario; its plain reference is not timed (nan)",
              f"the kernel agrees with its plain-Python reference: max relative difference {worst:.1e}"]
    print("\n".join(lines[-7:]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
