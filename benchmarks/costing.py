"""Benchmark of the package costing (``make bench``): the basic social protection package of Pal et
al. (2005) costed for the 8 kit countries x 1,000 scenarios over 30 years in one vectorised run of
:func:`qsp.costing.cost_package`.

The package is :func:`qsp.costing.pal_2005_package`: a universal pension (30% of GDP per capita
capped at US$1 PPP a day, everyone 65+ and the disabled aged 15-64), a child benefit (15% capped
at US$0.5 PPP a day, the qualifying share of children under 14), a 100-day employment guarantee
for a targeted share of people aged 15-64, essential health care for everyone, and an
administration loading on each. The inputs the study's cited text does not give are supplied
here as labelled benchmark inputs (:data:`BENCHMARK_INPUTS`): they are chosen to time the
kernel, not taken from the paper.

Each country's base population projection (``Country.project``) and base-year economy
(``qsp.data.economy.macro_inputs``: GDP, labour force, PPP factor, revenue and expenditure
shares) give the frame from its economic base year; the countries are stacked on a leading
axis, so population is ``(country, 1, year, sex, age)`` and the macro frame has the batch
``(country, scenario)``. Scenarios draw productivity growth, inflation, disability prevalence,
the qualifying share of children and the employment guarantee's target share around each
country's values (:data:`SCENARIO_DRAWS`). The populations and the macro frame are projected
before timing: the case times the costing itself. The script times

- the ``qsp`` kernel (best of several runs), and once more with ``out=`` (the arrays of the
  previous package cost are refilled),
- a plain-Python reference written the way a spreadsheet-minded learner would (loops over
  countries, scenarios, benefits, years, sexes and ages with floats, no numpy), first checked to
  agree with the kernel (max relative difference < 1e-9); it is timed on the first scenarios of
  each country and scaled linearly to the full size,
- the memory-bandwidth bound: the bytes the kernel must read (population, the macro series it
  uses, the scenario shares) and write (the arrays it returns), divided by the bandwidth of a
  large ``numpy.copyto`` measured in the same run (``benchmarks/run.py``),

and prints the ratios. Usage: ``.venv/bin/python benchmarks/costing.py [--quick] [--repeats K] [--out PATH]``.
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

YEARS = 30
"""Projection years, from each country's economic base year."""
BENCHMARK_INPUTS = {
    # the inputs pal_2005_package requires (no default in qsp: the kit could not check them against the
    # paper); chosen to time the kernel, NOT the study's values
    "health_staff_per_1000": 2.3,
    "health_wage_multiple": 3.0,
    "health_non_staff_markup": 0.5,
    "admin_loading": {"universal pension": 0.05, "child benefit": 0.06, "employment guarantee": 0.10,
                      "essential health care": 0.05},
    "employment_daily_wage_ppp": 1.0,
    # take-up of every benefit: 50% in the first year rising to 100% after 10 years
    "take_up_initial": 0.5, "take_up_final": 1.0, "take_up_years": 10,
}
"""Benchmark inputs (labelled: not Pal et al.'s values) for the costing assumptions without a default."""
SCENARIO_DRAWS = {
    # name: (low, high) of a uniform draw per country and scenario
    "productivity_growth_shift": (-0.015, 0.015),    # added to the country's assumed growth, every year
    "inflation_shift": (-0.01, 0.03),                # added to the country's assumed inflation, every year
    "disability_prevalence": (0.01, 0.04),           # share of people aged 15-64
    "child_qualifying_share": (0.35, 0.60),          # Cameroon's DHS share 46.4% (ILO 2008, p. 7) in the range
    "employment_target_share": (0.05, 0.15),         # share of people aged 15-64
}
"""Scenario draws; on top, productivity growth and inflation get a yearly noise of sd 0.5 points."""
YEARLY_NOISE = 0.005
BENEFITS = ("universal pension", "child benefit", "employment guarantee", "essential health care")
COSTING_OUTPUTS = ("total by benefit", "administration", "package total", "share of GDP", "share of revenue")
"""Outputs compared with the plain-Python reference."""
_COUNTRY_DATA: dict[str, dict] = {}
"""Each country's population projection and macro inputs, loaded once per run."""
_PLAIN_SECONDS: dict[tuple, float] = {}
"""Plain-loop times already measured in this run: the out= variant reuses them."""


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------
def country_data(iso3: str, *, years: int = YEARS) -> dict:
    """One country's population ``(year, sex, age)`` and macro inputs over ``years`` years from its economic base year."""
    key = f"{iso3}-{years}"
    if key not in _COUNTRY_DATA:
        from qsp.data import load_country
        from qsp.data.economy import macro_inputs

        country = load_country(iso3)
        base = country.economy.base_year
        until = base + years - 1
        population = country.project(until=until).population[base - country.base_year:]
        _COUNTRY_DATA[key] = {"population": population, "macro": macro_inputs(country, until=until), "base": base}
    return _COUNTRY_DATA[key]


def make_costing_inputs(n_countries: int, n_scenarios: int, *, years: int = YEARS, seed: int = 0) -> dict:
    """Population, macro frame and package of the first ``n_countries`` kit countries x ``n_scenarios``."""
    from qsp.costing import PhaseIn, pal_2005_package
    from qsp.data import countries
    from qsp.economy import MacroAssumptions, project_macro

    codes = list(countries())[:n_countries]
    if len(codes) < n_countries:
        raise ValueError(f"only {len(codes)} kit countries have data, {n_countries} asked for.")
    data = [country_data(code, years=years) for code in codes]
    bases = {d["base"] for d in data}
    if len(bases) != 1:
        raise ValueError(f"the countries' economic base years differ ({sorted(bases)}); stacking them needs one.")
    base = bases.pop()
    rng = np.random.default_rng(seed)
    batch = (len(codes), n_scenarios)

    def stacked(name: str) -> np.ndarray:
        """The countries' values of a macro input, laid out (country, 1, 1) or (country, 1, year)."""
        values = np.array([np.broadcast_to(d["macro"][name], ()) if np.ndim(d["macro"][name]) == 0
                           else d["macro"][name] for d in data], dtype=np.float64)
        return values[:, None, None] if values.ndim == 1 else values[:, None, :]

    def draw(name: str) -> np.ndarray:
        low, high = SCENARIO_DRAWS[name]
        return rng.uniform(low, high, batch)

    productivity = (stacked("productivity_growth") + draw("productivity_growth_shift")[..., None]
                    + rng.normal(0.0, YEARLY_NOISE, batch + (years,)))
    inflation = (stacked("cpi_inflation") + draw("inflation_shift")[..., None]
                 + rng.normal(0.0, YEARLY_NOISE, batch + (years,)))
    macro = project_macro(MacroAssumptions(
        base_year=base, nominal_gdp=stacked("nominal_gdp")[..., 0], labour_force=stacked("labour_force"),
        unemployment_rate=stacked("unemployment_rate"), productivity_growth=productivity,
        gdp_deflator_inflation=inflation, cpi_inflation=inflation, wage_share=stacked("wage_share"),
        nominal_interest_rate=stacked("nominal_interest_rate"), revenue_share=stacked("revenue_share"),
        expenditure_share=stacked("expenditure_share"), exchange_rate=stacked("exchange_rate"),
        ppp_factor=stacked("ppp_factor"),
    ), years=np.arange(base, base + years))
    shares = {name: draw(name) for name in ("disability_prevalence", "child_qualifying_share",
                                            "employment_target_share")}
    inputs = BENCHMARK_INPUTS
    package = pal_2005_package(
        **{name: share[..., None, None, None] for name, share in shares.items()},   # (country, scenario, 1, 1, 1)
        health_staff_per_1000=inputs["health_staff_per_1000"], health_wage_multiple=inputs["health_wage_multiple"],
        health_non_staff_markup=inputs["health_non_staff_markup"], admin_loading=inputs["admin_loading"],
        employment_daily_wage_ppp=inputs["employment_daily_wage_ppp"],
        phase_in=PhaseIn(initial=inputs["take_up_initial"], final=inputs["take_up_final"],
                         years=inputs["take_up_years"]),
    )
    population = np.stack([d["population"] for d in data])[:, None]            # (country, 1, year, sex, age)
    return {"countries": codes, "population": population, "macro": macro, "package": package, "shares": shares}


def kernel(inputs: dict, out=None):
    from qsp.costing import cost_package

    return cost_package(inputs["population"], inputs["package"], inputs["macro"], out=out)


def kernel_outputs(result) -> dict[str, np.ndarray]:
    """The kernel's arrays compared with the reference, laid out [country, scenario, (benefit,) year]."""
    return {"total by benefit": result.composition("total"), "administration": result.composition("administration"),
            "package total": result.total, "share of GDP": result.share_of_gdp,
            "share of revenue": result.share_of_revenue}


# ---------------------------------------------------------------------------------------------
# plain-Python reference
# ---------------------------------------------------------------------------------------------
def plain_lists(inputs: dict, n_timed: int) -> dict:
    """The inputs of the first ``n_timed`` scenarios of each country as nested lists and floats."""
    macro = inputs["macro"]
    batch = macro.batch_shape

    def take(values):
        return np.broadcast_to(values, batch + (macro.years.size,))[:, :n_timed].tolist()

    return {
        "population": inputs["population"][:, 0].tolist(),               # [country][year][sex][age]
        "gdp": take(macro.nominal_gdp), "cpi": take(macro.cpi), "ppp": take(macro.ppp_factor),
        "revenue": take(macro.revenue),
        "shares": {name: share[:, :n_timed].tolist() for name, share in inputs["shares"].items()},
    }


def plain_costing(data: dict) -> dict:
    """The Pal et al. (2005) package costed with loops over countries, scenarios, benefits, years, sexes and ages.

    Written as a learner would from the study's rules (ILO 2008, p. 7) and the benchmark inputs:
    GDP per capita = GDP / population; pension = min(30% of GDP per capita, US$1 PPP a day x 365)
    in the first year, then with the CPI; child benefit the same with 15% and US$0.5; employment
    guarantee 100 days at the daily wage; health care per person = staff per 1,000 / 1,000 x wage
    multiple x GDP per capita x (1 + non-staff mark-up); beneficiaries = eligible x take-up;
    administration = loading x benefits. Returns lists [country][scenario][(benefit)][year].
    """
    inputs = BENCHMARK_INPUTS
    loading = inputs["admin_loading"]
    out = {name: [] for name in COSTING_OUTPUTS}
    for c in range(len(data["gdp"])):
        population = data["population"][c]
        n_years = len(population)
        n_ages = len(population[0][0])
        totals = []
        for t in range(n_years):
            people = 0.0
            for sex in range(2):
                for age in range(n_ages):
                    people += population[t][sex][age]
            totals.append(people)
        rows = {name: [] for name in COSTING_OUTPUTS}
        for s in range(len(data["gdp"][c])):
            gdp, cpi, ppp, revenue = data["gdp"][c][s], data["cpi"][c][s], data["ppp"][c][s], data["revenue"][c][s]
            disabled = data["shares"]["disability_prevalence"][c][s]
            qualifying = data["shares"]["child_qualifying_share"][c][s]
            targeted = data["shares"]["employment_target_share"][c][s]
            first_gdp_per_capita = gdp[0] / totals[0]
            pension_0 = min(0.30 * first_gdp_per_capita / 365.0, 1.0 * ppp[0]) * 365.0
            child_0 = min(0.15 * first_gdp_per_capita / 365.0, 0.5 * ppp[0]) * 365.0
            wage_0 = inputs["employment_daily_wage_ppp"] * ppp[0] * 100.0
            by_benefit = {name: [] for name in BENEFITS}
            admin_by_benefit = {name: [] for name in BENEFITS}
            for t in range(n_years):
                years_in = min(t / inputs["take_up_years"], 1.0)
                take_up = inputs["take_up_initial"] + (inputs["take_up_final"] - inputs["take_up_initial"]) * years_in
                old, disabled_adults, children, working_age = 0.0, 0.0, 0.0, 0.0
                for sex in range(2):
                    for age in range(n_ages):
                        people = population[t][sex][age]
                        if age >= 65:
                            old += people
                        elif age >= 15:
                            disabled_adults += people * disabled
                            working_age += people * targeted
                        elif age < 14:
                            children += people * qualifying
                prices = cpi[t] / cpi[0]
                health_per_person = (inputs["health_staff_per_1000"] / 1000.0 * inputs["health_wage_multiple"]
                                     * (gdp[t] / totals[t]) * (1.0 + inputs["health_non_staff_markup"]))
                benefits = {
                    "universal pension": (disabled_adults + old) * take_up * pension_0 * prices,
                    "child benefit": children * take_up * child_0 * prices,
                    "employment guarantee": working_age * take_up * wage_0 * prices,
                    "essential health care": totals[t] * take_up * health_per_person,
                }
                for name in BENEFITS:
                    admin = loading[name] * benefits[name]
                    by_benefit[name].append(benefits[name] + admin)
                    admin_by_benefit[name].append(admin)
            package = [sum(by_benefit[name][t] for name in BENEFITS) for t in range(n_years)]
            rows["total by benefit"].append([by_benefit[name] for name in BENEFITS])
            rows["administration"].append([admin_by_benefit[name] for name in BENEFITS])
            rows["package total"].append(package)
            rows["share of GDP"].append([package[t] / gdp[t] for t in range(n_years)])
            rows["share of revenue"].append([package[t] / revenue[t] for t in range(n_years)])
        for name in COSTING_OUTPUTS:
            out[name].append(rows[name])
    return out


# ---------------------------------------------------------------------------------------------
# the case
# ---------------------------------------------------------------------------------------------
PACKAGE_ARRAYS = ("benefit_expenditure", "administration", "total", "share_of_gdp", "share_of_revenue",
                  "share_of_expenditure")
"""The package's own arrays (its ``nominal_gdp`` and ``revenue`` are the macro frame's, not written)."""


def output_arrays(result) -> list[np.ndarray]:
    """Every array the kernel writes: each benefit's year-by-year variables and cap flags, and the package's."""
    arrays = []
    for cost in result.benefits:
        arrays += list(cost.variables().values())
        if cost.cap_binding is not None:
            arrays.append(cost.cap_binding)
    return arrays + [getattr(result, name) for name in PACKAGE_ARRAYS]


def outputs_floor_seconds(arrays: list[np.ndarray], *, repeats: int = 5, reuse: bool = False) -> float:
    """Best time to allocate the kernel's output arrays as one block of fresh memory and write it once (or,
    with ``reuse``, to write the same arrays again).

    ``cost_package`` allocates its outputs as one block (large blocks get huge pages from the operating
    system; many separate arrays page-fault page by page, several times slower), so its floor is one block
    of the outputs' bytes; see ``budget.outputs_floor_seconds`` for separate arrays.
    """
    if reuse:
        return run.fresh_output_seconds([array.shape for array in arrays], repeats=repeats, reuse=True)
    n_values = sum(array.nbytes for array in arrays) // 8

    def allocate_and_write() -> None:
        np.empty(n_values).fill(1.0)

    return run.best_time(allocate_and_write, repeats=repeats)


def bytes_moved(inputs: dict, result) -> tuple[int, int]:
    """Bytes the kernel must read (population, macro series used, scenario shares) and write (its outputs)."""
    macro = inputs["macro"]
    read = inputs["population"].nbytes
    read += sum(getattr(macro, name).nbytes for name in ("nominal_gdp", "cpi", "revenue", "expenditure"))
    read += macro.ppp_factor[..., 0].nbytes                  # the first-year PPP factor sets the caps
    read += sum(share.nbytes for share in inputs["shares"].values())
    written = sum(array.nbytes for array in output_arrays(result))
    return read, written


def costing_case(n_countries: int, n_scenarios: int, *, bandwidth: float, years: int = YEARS, repeats: int = 5,
                 plain_subset: int = 4, reuse: bool = False) -> run.Result:
    """Time the package costing of ``n_countries`` x ``n_scenarios`` over ``years`` years (``reuse``: with ``out=``)."""
    inputs = make_costing_inputs(n_countries, n_scenarios, years=years)
    tick = time.perf_counter()
    result = kernel(inputs)
    first_call = time.perf_counter() - tick
    if reuse:
        if not np.shares_memory(kernel(inputs, out=result).total, result.total):
            raise AssertionError("cost_package(..., out=) did not refill the arrays of the previous package cost")
    timed = min(n_scenarios, plain_subset)
    data = plain_lists(inputs, timed)

    def plain():
        return plain_costing(data)

    reference = plain()
    computed = kernel_outputs(result)
    worst = run._check_agreement("package costing", {
        name: (computed[name][:, :timed], np.array(reference[name])) for name in COSTING_OUTPUTS})
    qsp_seconds = run.best_time((lambda: kernel(inputs, out=result)) if reuse else (lambda: kernel(inputs)),
                                repeats=repeats)
    key = (n_countries, n_scenarios, years, timed)
    if key not in _PLAIN_SECONDS:
        _PLAIN_SECONDS[key] = run.best_time(plain, repeats=max(1, min(repeats, 3)), min_batch_seconds=0.0)
    plain_seconds = _PLAIN_SECONDS[key] * n_scenarios / timed
    read, written = bytes_moved(inputs, result)
    return run.Result(
        case=f"package costing {years} y", size=n_countries * n_scenarios,
        unit="country-scenario",
        qsp_seconds=qsp_seconds, plain_seconds=plain_seconds, plain_timed=n_countries * timed,
        bytes_moved=read + written, bound_seconds=(read + written) / bandwidth,
        bytes_note=(f"{n_countries} countries x {n_scenarios:,} scenarios stacked (country, scenario, ...); "
                    "population (country, year, sex, age), macro series (GDP, CPI, government revenue and "
                    "expenditure, first-year PPP factor) and 3 scenario shares in; for each of the 4 benefits "
                    "10 year-by-year arrays (eligible, take-up, beneficiaries, level, benefits, administration, "
                    "total, 3 shares) and the cap flags, and 6 package arrays out, 8 bytes each; populations "
                    "and the macro frame are projected before timing"),
        fresh_floor_seconds=outputs_floor_seconds(output_arrays(result), repeats=repeats, reuse=reuse),
        variant="numpy, out=" if reuse else "numpy", max_relative_difference=worst, first_call_seconds=first_call,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a quick look)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case; the best is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench_costing.txt",
                        help="where to write the table")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else args.repeats
    sizes = ((8, 1), (8, 100)) if args.quick else ((1, 1), (8, 1), (8, 1_000))

    lines = [f"qsp package costing benchmark, {time.strftime('%Y-%m-%d %H:%M')}", run.environment_line()]
    print("\n".join(lines), flush=True)
    results, bandwidth_line = run.run_sized_cases(costing_case, sizes, repeats=repeats)
    lines.append(bandwidth_line)
    lines.append("package: qsp.costing.pal_2005_package (universal pension, child benefit, employment guarantee, "
                 "essential health care, administration); benchmark inputs (not the study's values): "
                 + ", ".join(f"{name}={value}" for name, value in BENCHMARK_INPUTS.items()))
    table = run.format_table(results)
    worst = max(r.max_relative_difference for r in results)
    lines += ["", table, "", "write floor here: the output arrays allocated as one block (fresh pages, as the kernel "
              "allocates them) and written once; [numpy, out=]: cost_package(..., out=previous package cost) "
              "refills them", f"the kernel agrees with its plain-Python reference: max relative difference {worst:.1e}"]
    print("\n".join(lines[-6:]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
