"""Benchmark of the social budget (``make bench``): a 30-year social budget of 8 countries x 1,000
scenarios in one vectorised run of :func:`qsp.budget.project_budget`.

Each country has the seven branches of a social budget (pensions indexed to a wage-price mix,
health and unemployment and employment injury to wages, children and social assistance to
prices, other benefits fixed) and eleven revenue sources (contributions on the wage bill,
government transfers paying a share of a branch's expenditure, an earmarked tax on GDP, the
investment income of the pension reserve). Scenarios differ in their macroeconomic paths
(productivity, employment, prices, wage share) and in the number of unemployed and the
pension reserve's returns. The macro frame is projected once beforehand (not timed): the case
times the budget itself. The script times

- the ``qsp`` kernel (best of several runs),
- a plain-Python reference (loops over countries, scenarios, branches and years with floats,
  no numpy), first checked to agree with the kernel (max relative difference < 1e-9); it is
  timed on the first scenarios of each country and scaled linearly to the full size,
- the memory-bandwidth bound: the bytes the kernel must read (the macro series it uses and the
  branch and source inputs) and write (the arrays it returns), divided by the bandwidth of a
  large ``numpy.copyto`` measured in the same run (``benchmarks/run.py``),

and prints the ratios. Usage: ``.venv/bin/python benchmarks/budget.py [--quick] [--repeats K] [--out PATH]``.
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

BASE_YEAR = 2025
BRANCH_SPECS = (
    # name, indexation, admin share, benefit per beneficiary (share of base-year GDP per capita), varies by scenario
    ("pensions", 0.5, 0.03, 0.35, False),
    ("health", "wages", 0.05, 0.04, False),
    ("children_and_families", "prices", 0.04, 0.05, False),
    ("social_assistance", "prices", 0.06, 0.10, False),
    ("unemployment", "wages", 0.05, 0.30, True),
    ("employment_injury", "wages", 0.08, 0.40, False),
    ("other", "none", 0.05, 0.05, False),
)
SOURCE_SPECS = (
    # name, kind, branch, rate, base
    ("employer contributions, pensions", "employer_contributions", "pensions", 0.08, "wage_bill"),
    ("worker contributions, pensions", "worker_contributions", "pensions", 0.06, "wage_bill"),
    ("investment income, pensions", "investment_income", "pensions", None, None),
    ("worker contributions, health", "worker_contributions", "health", 0.03, "wage_bill"),
    ("government, health", "government_transfers", "health", 0.7, "expenditure"),
    ("government, children", "government_transfers", "children_and_families", 1.0, "expenditure"),
    ("government, social assistance", "government_transfers", "social_assistance", 1.0, "expenditure"),
    ("employer contributions, unemployment", "employer_contributions", "unemployment", 0.01, "wage_bill"),
    ("worker contributions, unemployment", "worker_contributions", "unemployment", 0.01, "wage_bill"),
    ("employer contributions, injury", "employer_contributions", "employment_injury", 0.015, "wage_bill"),
    ("earmarked tax, other", "other", "other", 0.002, "gdp"),
)
_PLAIN_SECONDS: dict[tuple, float] = {}
"""Plain-loop times already measured in this run: the out= variant reuses them."""
BUDGET_OUTPUTS = ("expenditure", "revenue", "balance")
"""Arrays compared with the plain-Python reference."""


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------
def make_budget_inputs(n_countries: int, n_scenarios: int, *, years: int = 30, seed: int = 0) -> dict:
    """Macro frame, branches and sources of ``n_countries`` x ``n_scenarios`` budgets over ``years`` years."""
    from qsp.budget import Branch, RevenueSource
    from qsp.economy import MacroAssumptions, project_macro

    rng = np.random.default_rng(seed)
    batch = (n_countries, n_scenarios)
    t = np.arange(years)
    population = rng.uniform(1e6, 5e7, (n_countries, 1, 1)) * (1.0 + rng.uniform(0.0, 0.03, (n_countries, 1, 1))) ** t
    base_population = population[:, 0, :1]                  # (countries, 1): one per country, all scenarios
    gdp = base_population * rng.uniform(500.0, 20_000.0, (n_countries, 1))
    employment = base_population * rng.uniform(0.3, 0.5, (n_countries, 1))
    macro = project_macro(MacroAssumptions(
        base_year=BASE_YEAR, nominal_gdp=gdp, employment=employment,
        employment_growth=rng.uniform(0.0, 0.04, batch + (years,)),
        productivity_growth=rng.uniform(-0.01, 0.05, batch + (years,)),
        gdp_deflator_inflation=rng.uniform(0.01, 0.12, batch + (years,)),
        cpi_inflation=rng.uniform(0.01, 0.12, batch + (years,)), wage_share=rng.uniform(0.25, 0.6, batch + (1,)),
        nominal_interest_rate=0.06, revenue_share=rng.uniform(0.12, 0.35, (n_countries, 1, 1)),
        expenditure_share=rng.uniform(0.15, 0.4, (n_countries, 1, 1)), exchange_rate=1.0, ppp_factor=1.0,
    ), years=np.arange(BASE_YEAR, BASE_YEAR + years))
    gdp_per_capita = gdp / base_population
    shares = {"pensions": 0.06, "health": 1.0, "children_and_families": 0.3, "social_assistance": 0.05,
              "unemployment": 0.02, "employment_injury": 0.002, "other": 0.01}
    branches = []
    for name, indexation, admin, level, by_scenario in BRANCH_SPECS:
        growth = (1.0 + rng.uniform(-0.01, 0.04, (n_countries, n_scenarios if by_scenario else 1, 1))) ** t
        beneficiaries = shares[name] * population * rng.uniform(0.5, 1.5, (n_countries, 1, 1)) * growth
        branches.append(Branch(name=name, beneficiaries=beneficiaries, average_benefit=level * gdp_per_capita,
                               indexation=indexation, admin_share=admin))
    coverage = rng.uniform(0.1, 0.8, (n_countries, 1, 1))
    returns = gdp[..., None] * rng.uniform(0.0, 0.01, batch + (years,))
    sources = []
    for name, kind, branch, rate, base in SOURCE_SPECS:
        if rate is None:
            sources.append(RevenueSource(name=name, kind=kind, branch=branch, amount=returns))
        else:
            sources.append(RevenueSource(name=name, kind=kind, branch=branch, rate=rate, base=base,
                                         coverage=coverage if base == "wage_bill" else 1.0))
    return {"macro": macro, "branches": branches, "sources": sources}


def kernel(inputs: dict, out=None):
    from qsp.budget import project_budget

    return project_budget(inputs["branches"], inputs["sources"], inputs["macro"], out=out)


def outputs_floor_seconds(shapes: list[tuple[int, ...]], *, repeats: int = 5, reuse: bool = False) -> float:
    """Best time to allocate all the output arrays together and write each once (or, with ``reuse``, to
    write the same arrays again).

    Unlike ``run.fresh_output_seconds``, which frees each array before allocating the next (so the
    allocator hands back the same memory), every array stays alive until all are written, as in a
    kernel that returns them: above the allocator's thresholds they are fresh pages from the
    operating system, zeroed on first touch.
    """
    if reuse:
        return run.fresh_output_seconds(shapes, repeats=repeats, reuse=True)

    def allocate_and_write() -> None:
        arrays = [np.empty(shape) for shape in shapes]
        for array in arrays:
            array.fill(1.0)

    return run.best_time(allocate_and_write, repeats=repeats)


# ---------------------------------------------------------------------------------------------
# plain-Python reference
# ---------------------------------------------------------------------------------------------
def plain_lists(inputs: dict, n_timed: int) -> dict:
    """The inputs of the first ``n_timed`` scenarios of each country as nested lists [country][scenario][...]."""
    macro = inputs["macro"]
    batch = macro.batch_shape                       # (countries, scenarios)

    def take(values, trailing=1):
        shape = batch + ((macro.years.size,) if trailing else ())
        return np.broadcast_to(values, shape)[:, :n_timed].tolist()

    branches = []
    for branch in inputs["branches"]:
        wage, price = branch.weights
        branches.append({"beneficiaries": take(branch.beneficiaries), "level": take(branch.average_benefit, 0),
                         "wage": wage, "price": price, "admin": take(branch.admin_share)})
    names = [branch.name for branch in inputs["branches"]]
    sources = []
    for source in inputs["sources"]:
        entry = {"branch": names.index(source.branch)}
        if source.amount is not None:
            entry["amount"] = take(source.amount)
        else:
            entry.update(rate=take(source.rate), coverage=take(source.coverage), base=source.base)
        sources.append(entry)
    return {"wage": take(macro.average_wage), "cpi": take(macro.cpi), "wage_bill": take(macro.wage_bill),
            "gdp": take(macro.nominal_gdp), "branches": branches, "sources": sources}


def plain_budget(data: dict) -> dict:
    """Social budgets with loops over countries, scenarios, branches, sources and years (floats only).

    Returns lists [country][scenario][branch or source][year] of expenditure, revenue and balance.
    """
    out = {"expenditure": [], "revenue": [], "balance": []}
    for c in range(len(data["wage"])):
        rows = {key: [] for key in out}
        for s in range(len(data["wage"][c])):
            wage, cpi = data["wage"][c][s], data["cpi"][c][s]
            n_years = len(wage)
            expenditure = []
            for branch in data["branches"]:
                index = 1.0
                series = []
                for t in range(n_years):
                    if t > 0:
                        if branch["wage"] == 1.0 and branch["price"] == 0.0:
                            index = wage[t] / wage[0]
                        elif branch["wage"] == 0.0 and branch["price"] == 1.0:
                            index = cpi[t] / cpi[0]
                        else:
                            index *= (1.0 + branch["wage"] * (wage[t] / wage[t - 1] - 1.0)
                                      + branch["price"] * (cpi[t] / cpi[t - 1] - 1.0))
                    benefits = branch["beneficiaries"][c][s][t] * (branch["level"][c][s] * index)
                    series.append(benefits + branch["admin"][c][s][t] * benefits)
                expenditure.append(series)
            revenue = []
            by_branch = [[0.0] * n_years for _ in expenditure]
            for source in data["sources"]:
                series = []
                for t in range(n_years):
                    if "amount" in source:
                        value = source["amount"][c][s][t]
                    else:
                        if source["base"] == "expenditure":
                            base = expenditure[source["branch"]][t]
                        else:
                            base = data[source["base"]][c][s][t]
                        value = source["rate"][c][s][t] * source["coverage"][c][s][t] * base
                    series.append(value)
                    by_branch[source["branch"]][t] += value
                revenue.append(series)
            balance = [[by_branch[b][t] - expenditure[b][t] for t in range(n_years)] for b in range(len(expenditure))]
            rows["expenditure"].append(expenditure)
            rows["revenue"].append(revenue)
            rows["balance"].append(balance)
        for key in out:
            out[key].append(rows[key])
    return out


# ---------------------------------------------------------------------------------------------
# the case
# ---------------------------------------------------------------------------------------------
def bytes_moved(inputs: dict, result) -> tuple[int, int]:
    """Bytes the kernel must read (macro series used, branch and source arrays) and write (its outputs)."""
    macro = inputs["macro"]
    read = sum(getattr(macro, name).nbytes for name in ("average_wage", "cpi", "wage_bill", "nominal_gdp",
                                                        "expenditure", "revenue"))
    for branch in inputs["branches"]:
        read += branch.beneficiaries.nbytes + branch.average_benefit.nbytes + branch.admin_share.nbytes
    for source in inputs["sources"]:
        read += sum(value.nbytes for value in (source.amount, source.rate, source.coverage)
                    if isinstance(value, np.ndarray))
    written = sum(getattr(result, name).nbytes for name in (
        "beneficiaries", "average_benefit", "benefit_expenditure", "administration", "expenditure", "revenue",
        "revenue_by_branch", "balance"))
    return read, written


def budget_case(n_countries: int, n_scenarios: int, *, bandwidth: float, years: int = 30, repeats: int = 5,
                plain_subset: int = 25, reuse: bool = False) -> run.Result:
    """Time a ``years``-year social budget of ``n_countries`` x ``n_scenarios`` (``reuse``: with ``out=``)."""
    inputs = make_budget_inputs(n_countries, n_scenarios, years=years)
    tick = time.perf_counter()
    result = kernel(inputs)
    first_call = time.perf_counter() - tick
    if reuse:
        if not np.shares_memory(kernel(inputs, out=result).expenditure, result.expenditure):
            raise AssertionError("project_budget(..., out=) did not refill the arrays of the previous budget")
    timed = min(n_scenarios, plain_subset)
    data = plain_lists(inputs, timed)

    def plain():
        return plain_budget(data)

    reference = plain()
    worst = run._check_agreement("social budget", {
        name: (getattr(result, name)[:, :timed], np.array(reference[name])) for name in BUDGET_OUTPUTS})
    qsp_seconds = run.best_time((lambda: kernel(inputs, out=result)) if reuse else (lambda: kernel(inputs)),
                                repeats=repeats)
    key = (n_countries, n_scenarios, years, timed)
    if key not in _PLAIN_SECONDS:
        _PLAIN_SECONDS[key] = run.best_time(plain, repeats=max(1, min(repeats, 3)), min_batch_seconds=0.0)
    plain_seconds = _PLAIN_SECONDS[key] * n_scenarios / timed
    read, written = bytes_moved(inputs, result)
    shapes = [getattr(result, name).shape for name in ("beneficiaries", "average_benefit", "benefit_expenditure",
                                                       "administration", "expenditure", "revenue",
                                                       "revenue_by_branch", "balance")]
    return run.Result(
        case=f"social budget {years} y, {n_countries} countries", size=n_countries * n_scenarios,
        unit="country-scenario",
        qsp_seconds=qsp_seconds, plain_seconds=plain_seconds, plain_timed=n_countries * timed,
        bytes_moved=read + written, bound_seconds=(read + written) / bandwidth,
        bytes_note=("macro series in (average wage, CPI, wage bill, GDP, government expenditure and revenue), "
                    "branch and source inputs in, 7 branch arrays (beneficiaries, average benefit, benefits, "
                    "administration, expenditure, revenue by branch, balance) and revenue by source out, 8 bytes "
                    "each; the macro frame is projected before timing"),
        fresh_floor_seconds=outputs_floor_seconds(shapes, repeats=repeats, reuse=reuse),
        variant="numpy, out=" if reuse else "numpy", max_relative_difference=worst, first_call_seconds=first_call,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a quick look)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case; the best is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-budget.txt",
                        help="where to write the table")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else args.repeats
    sizes = ((8, 1), (8, 100)) if args.quick else ((1, 1), (8, 1), (8, 1_000))

    lines = [f"qsp social budget benchmark, {time.strftime('%Y-%m-%d %H:%M')}", run.environment_line()]
    print("\n".join(lines), flush=True)
    results, bandwidth_line = run.run_sized_cases(budget_case, sizes, repeats=repeats)
    lines.append(bandwidth_line)
    table = run.format_table(results)
    worst = max(r.max_relative_difference for r in results)
    lines += ["", table, "", "write floor here: all output arrays allocated together (fresh pages, as the kernel "
              "returns them) and written once; [numpy, out=]: project_budget(..., out=previous budget) refills them",
              f"the kernel agrees with its plain-Python reference: max relative difference {worst:.1e}"]
    print("\n".join(lines[-5:]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
