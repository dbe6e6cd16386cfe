"""Benchmark of the stochastic valuation of a pension scheme (issue 3, section 6).

A 75-year projection of a synthetic national defined-benefit scheme (built here from the
membership helpers: SYNTHETIC, calibrated to nothing in particular, about 1 million insured) for
1 and for 1,000 stochastic scenarios (investment returns, wage growth, inflation and Lee-Carter
mortality, :func:`qsp.pensions.stochastic_assumptions`) with
:func:`qsp.pensions.stochastic_valuation` (:func:`project_insured` + :func:`value_scheme`, one
vectorised run), timed against

- a plain-Python reference (:func:`plain_valuation`: lists and floats, loops over scenarios,
  years, sexes, ages and service), checked first to agree with the kernel (max relative
  difference < 1e-9 on the reserve, benefit expenditure and insurable earnings); at 1,000
  scenarios it is timed on a few scenarios and scaled linearly (the output says so);
- two memory-bandwidth bounds (bandwidth of a large ``numpy.copyto`` as measured by
  ``benchmarks/run.py``): the I/O bound (the inputs read once, the series returned written
  once, as for the other kernels), and the state bound: the service distributions of actives
  and inactives, ``(sex, member age, service, scenario)``, read and written once a year, the
  least a year-by-year projection that keeps them must move.

The kernel is timed with each engine of :func:`project_insured` (``engine="numpy"`` and, when numba
is installed and not disabled, ``engine="numba"``: the compiled yearly update of the service
distributions, sums of awarded pensions and the pensioners' year), as ``benchmarks/run.py`` does for life tables and
projections; the numba row is timed after a first call that imports numba and loads its cached
machine code (that first call is reported separately).

Usage: ``.venv/bin/python benchmarks/pensions.py [--quick] [--repeats K] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from run import best_time, environment_line, max_relative_difference, measure_bandwidth  # noqa: E402

N_AGES = 101
N_YEARS = 75
ENTRY_AGE = 15
RELATIVE_TOLERANCE = 1e-9
COMPARED = ("reserve", "benefit_expenditure", "insurable_earnings")


# ---------------------------------------------------------------------------------------------
# the scheme (synthetic)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scheme:
    """A synthetic scheme: membership, rules, the options of project_insured, the valuation's options."""

    membership: object
    rules: object
    options: dict
    contribution_rate: float
    initial_reserve: float
    admin_cost_rate: float
    lee_carter: object


def make_scheme(*, n_years: int = N_YEARS, seed: int = 0) -> Scheme:
    """A synthetic national scheme of about 1 million insured: a young membership with a service
    distribution, inactives, pensioners of the four types; rules in the manner of many social
    insurance schemes (1.5% accrual on a 5-year final average, 15 qualifying years, a minimum
    pension, retirement age rising from 60 to 65, price indexation, survivors at 50%)."""
    from qsp.demography import fit_lee_carter
    from qsp.pensions import BenefitRules, membership_from_arrays

    rng = np.random.default_rng(seed)
    ages = np.arange(N_AGES, dtype=float)
    n_service = 60
    # actives: 800,000, 60% men, younger ages more numerous; service n <= age - 15, recent entry more likely
    by_age = np.where((ages >= 18) & (ages < 60), np.exp(-0.03 * (ages - 18)), 0.0)
    by_age /= by_age.sum()
    actives = np.zeros((2, N_AGES, n_service))
    inactives = np.zeros((2, N_AGES, n_service))
    for sex, share in ((0, 0.4), (1, 0.6)):
        for age in range(18, 60):
            span = min(age - ENTRY_AGE, n_service - 1) + 1
            weights = 0.93 ** np.arange(span) * rng.uniform(0.8, 1.2, span)
            actives[sex, age, :span] = 800_000 * share * by_age[age] * weights / weights.sum()
            weights = 0.85 ** np.arange(span)
            inactives[sex, age, :span] = 0.3 * 800_000 * share * by_age[age] * weights / weights.sum()
    base_wage = 6_000.0
    profile = base_wage * (1.0 + 0.04 * (ages - 15) - 0.0006 * (ages - 15) ** 2)
    wages = np.stack([0.85 * profile, profile])                                   # women earn 85% of men
    wages = np.clip(wages, 0.3 * base_wage, None)
    pensioners = np.zeros((4, 2, N_AGES))
    amounts = np.zeros((4, 2, N_AGES))
    pensioners[0, :, 60:96] = np.array([[2_500.0], [4_000.0]]) * np.exp(-0.06 * (ages[60:96] - 60))
    amounts[0] = 0.4 * base_wage
    pensioners[1, :, 30:60] = 150.0
    amounts[1] = 0.35 * base_wage
    pensioners[2, 0, 35:96] = 600.0 * np.exp(-0.02 * (ages[35:96] - 35))
    pensioners[2, 1, 35:96] = 60.0
    amounts[2] = 0.2 * base_wage
    pensioners[3, :, 3:18] = 300.0
    amounts[3] = 0.08 * base_wage
    membership = membership_from_arrays(actives, active_wages=wages[..., None], inactives=inactives,
                                        pensioners=pensioners, pension_amounts=amounts, min_entry_age=ENTRY_AGE)
    retirement = np.minimum(60 + np.maximum(np.arange(n_years) - 4, 0) // 3, 65)  # +1 year every 3 years from 5
    rules = BenefitRules(accrual_rate=0.015, reference_wage="final", reference_years=5, minimum_years=15,
                         minimum_pension=0.3 * base_wage, normal_retirement_age=retirement, grant_rate=0.1,
                         disability_minimum_years=5, survivor_minimum_years=5, survivor_rate=0.5, orphan_rate=0.2,
                         orphan_age_limit=18, indexation="prices")
    shares = np.where((ages >= 18) & (ages < 36), np.exp(-0.5 * ((ages - 23) / 4.0) ** 2), 0.0)
    shares = np.stack([0.45 * shares, 0.55 * shares]) / shares.sum()
    married = np.where((ages >= 25) & (ages < 90), 0.7, 0.2)
    options = dict(
        new_entrants=40_000.0 * 1.01 ** np.arange(n_years), entrant_distribution=shares,
        disability_incidence=np.broadcast_to(np.where(ages >= 15, 0.0004 * np.exp(0.07 * (ages - 15)), 0.0),
                                             (2, N_AGES)),
        withdrawal_rate=np.broadcast_to(np.where(ages < 60, 0.02 + 0.06 * np.exp(-(ages - 15) / 8.0), 0.0),
                                        (2, N_AGES)),
        reentry_rate=np.full((2, N_AGES), 0.08),
        contribution_density=np.broadcast_to(np.clip(0.7 + 0.005 * (ages - 15), 0.7, 0.9), (2, N_AGES)),
        proportion_married=np.broadcast_to(married, (2, N_AGES)), spouse_age_difference=3, wages=wages,
    )
    # Lee-Carter fitted to 30 years of synthetic rates (e0 about 68 at the jump-off, improving)
    years = np.arange(1994, 2024)
    trend = np.linspace(12.0, -12.0, years.size) + 0.8 * rng.standard_normal(years.size)
    log_base = np.log(0.0006 * np.exp(0.085 * (ages - 30)) + 0.0012 + 0.03 * np.exp(-2.0 * ages))
    pattern = np.exp(-ages / 35.0)
    pattern /= pattern.sum()
    log_mx = log_base + pattern * trend[:, None, None] + np.array([-0.15, 0.15])[:, None]
    lee_carter = fit_lee_carter(np.exp(log_mx), years=years)
    return Scheme(membership=membership, rules=rules, options=options, contribution_rate=0.12,
                  initial_reserve=1.5e9, admin_cost_rate=0.03, lee_carter=lee_carter)


def make_assumptions(scheme: Scheme, n_scenarios: int, *, n_years: int = N_YEARS, seed: int = 1):
    """``n_scenarios`` stochastic scenarios (default economic model, Lee-Carter mortality)."""
    from qsp.pensions import stochastic_assumptions

    return stochastic_assumptions(n_scenarios, n_years=n_years, seed=seed, mortality=scheme.lee_carter)


def run_kernel(scheme: Scheme, assumptions, engine: str | None = None):
    """The qsp stochastic valuation of the scheme (one vectorised run), with ``engine`` of project_insured."""
    from qsp.pensions import stochastic_valuation

    options = scheme.options if engine is None else {**scheme.options, "engine": engine}
    return stochastic_valuation(scheme.membership, scheme.rules, assumptions,
                                contribution_rate=scheme.contribution_rate, initial_reserve=scheme.initial_reserve,
                                admin_cost_rate=scheme.admin_cost_rate, **options)


def available_engines() -> tuple[str, ...]:
    """The engines of project_insured that can run here: numpy, and numba when installed and not disabled."""
    from qsp.pensions.insured import _kernels

    try:
        _kernels("numba", n_values=0)
    except ValueError:
        return ("numpy",)
    return ("numpy", "numba")


def kernel_outputs(result) -> dict[str, np.ndarray]:
    return {"reserve": result.reserve, "benefit_expenditure": result.valuation.benefit_expenditure,
            "insurable_earnings": result.valuation.insurable_earnings}


# ---------------------------------------------------------------------------------------------
# the plain-Python reference (lists and floats, the same model as project_insured/value_scheme)
# ---------------------------------------------------------------------------------------------
def reference_inputs(scheme: Scheme, assumptions, scenarios: int) -> dict:
    """Everything the plain reference needs, as nested lists (first ``scenarios`` scenarios)."""
    rules, options, members = scheme.rules, scheme.options, scheme.membership
    n_years = assumptions.n_years
    retirement = np.broadcast_to(np.asarray(rules.normal_retirement_age), (n_years,))
    return {
        "actives": members.actives.tolist(), "inactives": members.inactives.tolist(),
        "pensioners": members.pensioners.tolist(), "pension_amounts": members.pension_amounts.tolist(),
        "entry": members.min_entry_age, "wages": np.asarray(options["wages"]).tolist(),
        "entrants": np.broadcast_to(options["new_entrants"], (n_years,)).tolist(),
        "shares": np.asarray(options["entrant_distribution"]).tolist(),
        "incidence": np.asarray(options["disability_incidence"]).tolist(),
        "withdrawal": np.asarray(options["withdrawal_rate"]).tolist(),
        "reentry": np.asarray(options["reentry_rate"]).tolist(),
        "density": np.asarray(options["contribution_density"]).tolist(),
        "married": np.asarray(options["proportion_married"]).tolist(),
        "spouse_gap": int(options["spouse_age_difference"]),
        "retirement": [int(a) for a in retirement],
        "accrual": float(rules.accrual_rate), "reference_years": int(rules.reference_years),
        "minimum_years": int(math.ceil(rules.minimum_years)), "minimum_pension": float(rules.minimum_pension),
        "grant_rate": float(rules.grant_rate), "disability_years": int(math.ceil(rules.disability_minimum_years)),
        "survivor_years": int(math.ceil(rules.survivor_minimum_years)), "survivor_rate": float(rules.survivor_rate),
        "orphan_limit": int(rules.orphan_age_limit),
        "contribution_rate": scheme.contribution_rate, "initial_reserve": scheme.initial_reserve,
        "admin_rate": scheme.admin_cost_rate,
        "qx": assumptions.mortality[:scenarios].tolist(),
        "growth": assumptions.wage_growth[:scenarios].tolist(),
        "inflation": assumptions.price_inflation[:scenarios].tolist(),
        "interest": assumptions.interest_rate[:scenarios].tolist(),
    }


def plain_valuation(data: dict) -> list[dict[str, list[float]]]:
    """Plain-Python valuation of each scenario: loops over scenarios, years, sexes, ages and service.

    The model of :func:`project_insured` (order of events of its module docstring) restricted to
    what the benchmark scheme uses: final-average reference wages, no maximum pension, no early
    reduction, no ceiling, no orphans' new pensions, prices indexation, ``exposure="average"``;
    then :func:`value_scheme` with administration as a share of benefits and mid-year timing.
    """
    return [_plain_scenario(data, k) for k in range(len(data["qx"]))]


def _plain_scenario(data: dict, k: int) -> dict[str, list[float]]:
    n_age = len(data["wages"][0])
    omega = n_age - 1
    entry = data["entry"]
    n_years = len(data["growth"][k])
    retirement = data["retirement"]
    present = [a for a in range(n_age) for s in range(2)
               if sum(data["actives"][s][a]) + sum(data["inactives"][s][a]) > 0]
    top = max(max(retirement), max(present) if present else entry)
    n_service = top - entry + 1
    member_ages = range(entry, top + 1)
    # state: [sex][age][service] on the full age grid (member ages only used)
    actives = [[[0.0] * n_service for _ in range(n_age)] for _ in range(2)]
    inactives = [[[0.0] * n_service for _ in range(n_age)] for _ in range(2)]
    for s in range(2):
        for a in member_ages:
            for n in range(min(n_service, len(data["actives"][s][a]))):
                actives[s][a][n] = data["actives"][s][a][n]
                inactives[s][a][n] = data["inactives"][s][a][n]
    pensioners = [[list(data["pensioners"][j][s]) for s in range(2)] for j in range(4)]
    amounts = [[[data["pensioners"][j][s][a] * data["pension_amounts"][j][s][a] for a in range(n_age)]
                for s in range(2)] for j in range(4)]
    growth, inflation, interest, qx = data["growth"][k], data["inflation"][k], data["interest"][k], data["qx"][k]
    wages = data["wages"]
    n_ref = data["reference_years"]

    def index(year: int) -> float:
        """I_year: 1 at 0, prod (1 + g) after, (1 + g_1)^year before the valuation."""
        if year <= 0:
            return (1.0 + growth[0]) ** year
        value = 1.0
        for j in range(year):
            value *= 1.0 + growth[j]
        return value

    def reference_wage(s: int, a: int, year: int) -> float:
        """Final average: (1/N) sum_{k=1..N} I_{year-k} w_0(s, a - k)."""
        total = 0.0
        for lag in range(1, n_ref + 1):
            total += index(year - lag) * wages[s][min(max(a - lag, 0), omega)]
        return total / n_ref

    def pension(n: int, wage: float) -> float:
        return max(data["accrual"] * n * wage, data["minimum_pension"])

    reserve = data["initial_reserve"]
    out = {"reserve": [], "benefit_expenditure": [], "insurable_earnings": []}
    for t in range(n_years):
        year = t + 1
        q = qx[t]
        for j in range(4):
            for s in range(2):
                for a in range(n_age):
                    amounts[j][s][a] *= 1.0 + inflation[t]


        grants = 0.0
        # retirement at the start of the year
        age_r = retirement[t]
        for s in range(2):
            for a in range(age_r, top + 1):
                wage = reference_wage(s, a, year)
                for n in range(n_service):
                    leaving = actives[s][a][n] + inactives[s][a][n]
                    if n >= data["minimum_years"]:
                        pensioners[0][s][a] += leaving
                        amounts[0][s][a] += leaving * pension(n, wage)
                    else:
                        grants += data["grant_rate"] * leaving * n * wage
                    actives[s][a][n] = 0.0
                    inactives[s][a][n] = 0.0
        # entrants
        for s in range(2):
            for a in member_ages:
                actives[s][a][0] += data["entrants"][t] * data["shares"][s][a]
        # decrements; contributions; pensions paid
        earnings = 0.0
        paid = 0.0
        new_disability = [[0.0] * n_age for _ in range(2)]
        new_disability_amount = [[0.0] * n_age for _ in range(2)]
        deceased = [[0.0] * n_age for _ in range(2)]
        deceased_amount = [[0.0] * n_age for _ in range(2)]
        next_actives = [[[0.0] * n_service for _ in range(n_age)] for _ in range(2)]
        next_inactives = [[[0.0] * n_service for _ in range(n_age)] for _ in range(2)]
        for s in range(2):
            for a in member_ages:
                dying = q[s][a]
                surviving = 1.0 - dying
                incidence = data["incidence"][s][a]
                withdrawal = data["withdrawal"][s][a]
                reentry = data["reentry"][s][a]
                density = data["density"][s][a]
                disabling = surviving * incidence
                withdrawing = surviving * (1.0 - incidence) * withdrawal
                staying = surviving * (1.0 - incidence) * (1.0 - withdrawal)
                reentering = surviving * reentry
                remaining = surviving * (1.0 - reentry)
                wage = reference_wage(s, a, year)
                count_a = sum(actives[s][a])
                count_i = sum(inactives[s][a])
                end_a = staying * count_a + reentering * count_i
                earnings += 0.5 * (count_a + end_a) * density * wages[s][a] * index(year)
                qualified_a = qualified_i = base_a = base_i = 0.0
                for n in range(n_service):
                    if n >= data["survivor_years"]:
                        qualified_a += actives[s][a][n]
                        qualified_i += inactives[s][a][n]
                        base_a += actives[s][a][n] * pension(n, wage)
                        base_i += inactives[s][a][n] * pension(n, wage)
                    if n < data["disability_years"]:
                        grants += data["grant_rate"] * actives[s][a][n] * n * wage * disabling
                new_disability[s][a] = disabling * qualified_a                # disability_years == survivor_years
                new_disability_amount[s][a] = disabling * base_a
                deceased[s][a] += dying * (qualified_a + qualified_i)
                deceased_amount[s][a] += dying * (base_a + base_i)
                if a < top:
                    for n in range(n_service):
                        end_cell = staying * actives[s][a][n] + reentering * inactives[s][a][n]
                        next_actives[s][a + 1][n] += (1.0 - density) * end_cell
                        if n + 1 < n_service:
                            next_actives[s][a + 1][n + 1] += density * end_cell
                        next_inactives[s][a + 1][n] = remaining * inactives[s][a][n] + withdrawing * actives[s][a][n]
        alive = [[[0.0] * n_age for _ in range(2)] for _ in range(4)]
        alive_amounts = [[[0.0] * n_age for _ in range(2)] for _ in range(4)]
        for j in range(4):
            for s in range(2):
                for a in range(n_age):
                    deaths = pensioners[j][s][a] * q[s][a]
                    alive[j][s][a] = pensioners[j][s][a] - deaths
                    alive_amounts[j][s][a] = amounts[j][s][a] * (1.0 - q[s][a])
                    paid += 0.5 * (amounts[j][s][a] + alive_amounts[j][s][a])
                    if j < 2:
                        deceased[s][a] += deaths
                        deceased_amount[s][a] += amounts[j][s][a] * q[s][a]
        # new pensions at the end of the year: disability, survivors (spouse of the other sex)
        gap = data["spouse_gap"]
        for s in range(2):
            for a in range(n_age):
                alive[1][s][a] += new_disability[s][a]
                alive_amounts[1][s][a] += new_disability_amount[s][a]
                widowed = deceased[s][a] * data["married"][s][a]
                widowed_amount = data["survivor_rate"] * deceased_amount[s][a] * data["married"][s][a]
                spouse = min(max(a - gap if s == 1 else a + gap, 0), omega)
                alive[2][1 - s][spouse] += widowed
                alive_amounts[2][1 - s][spouse] += widowed_amount
        # everyone one year older (the open age keeps its members); orphans leave at the age limit
        for j in range(4):
            for s in range(2):
                counts, money = alive[j][s], alive_amounts[j][s]
                pensioners[j][s] = [0.0] + counts[:-1]
                amounts[j][s] = [0.0] + money[:-1]
                pensioners[j][s][omega] += counts[omega]
                amounts[j][s][omega] += money[omega]
                if j == 3:
                    for a in range(data["orphan_limit"], n_age):
                        pensioners[j][s][a] = 0.0
                        amounts[j][s][a] = 0.0
        actives, inactives = next_actives, next_inactives
        # the financial projection (value_scheme, timing "mid")
        benefits = paid + grants
        admin = data["admin_rate"] * benefits
        contributions = data["contribution_rate"] * earnings
        growth_factor = 1.0 + interest[t]
        reserve = reserve * growth_factor + (contributions - benefits - admin) * math.sqrt(growth_factor)
        out["reserve"].append(reserve)
        out["benefit_expenditure"].append(benefits)
        out["insurable_earnings"].append(earnings)
    return out


# ---------------------------------------------------------------------------------------------
# the case
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    size: int
    qsp_seconds: float
    plain_seconds: float
    plain_timed: int
    io_bytes: int
    state_bytes: int
    bandwidth: float
    max_relative_difference: float
    assumptions_seconds: float
    engine: str = "numpy"
    first_call_seconds: float = float("nan")

    @property
    def speedup(self) -> float:
        return self.plain_seconds / self.qsp_seconds

    @property
    def io_ratio(self) -> float:
        return self.qsp_seconds / (self.io_bytes / self.bandwidth)

    @property
    def state_ratio(self) -> float:
        return self.qsp_seconds / (self.state_bytes / self.bandwidth)


def check_agreement(result, plain: list[dict[str, list[float]]]) -> float:
    """Largest relative difference between the kernel and the plain reference (raises above the tolerance)."""
    outputs = kernel_outputs(result)
    worst = 0.0
    for name in COMPARED:
        expected = np.array([scenario[name] for scenario in plain])
        difference = max_relative_difference(outputs[name][: len(plain)], expected)
        if not difference < RELATIVE_TOLERANCE:
            raise AssertionError(f"{name} differs from the plain-Python reference by a relative {difference:.3g} "
                                 f"(allowed {RELATIVE_TOLERANCE:g}); the kernel or the reference is wrong.")
        worst = max(worst, difference)
    return worst


def bytes_moved(scheme: Scheme, assumptions, result) -> tuple[int, int]:
    """(I/O bytes, state bytes) of a run: see the module docstring."""
    inputs = [assumptions.mortality, assumptions.wage_growth, assumptions.price_inflation, assumptions.interest_rate,
              scheme.membership.actives, scheme.membership.inactives, scheme.membership.pensioners]
    read = sum(np.asarray(value).nbytes for value in inputs)
    valuation = result.valuation
    outputs = [valuation.reserve.reserve, valuation.reserve.reserve_begin, valuation.reserve.investment_income,
               valuation.contributions, valuation.benefit_expenditure, valuation.insurable_earnings,
               valuation.admin_cost]
    written = sum(np.asarray(value).nbytes for value in outputs)
    n_service = result.valuation.projection.final_actives.shape[-1]             # service 0 .. top - entry
    n_member = n_service                                                        # member ages entry .. top
    state = 2 * (2 * n_member * n_service * 8) * assumptions.n_scenarios        # actives and inactives
    return read + written, 2 * state * assumptions.n_years                      # read and written each year


def pension_cases(n_scenarios: int, *, bandwidth: float, engines: tuple[str, ...] = ("numpy",), repeats: int = 3,
                  plain_subset: int = 2, n_years: int = N_YEARS, scheme: Scheme | None = None) -> list[Result]:
    """Time the valuation of ``n_scenarios`` scenarios over ``n_years`` years with each engine (one
    plain-Python reference for all; each engine checked against it before it is timed)."""
    scheme = scheme or make_scheme(n_years=n_years)
    tick = time.perf_counter()
    assumptions = make_assumptions(scheme, n_scenarios, n_years=n_years)
    assumptions_seconds = time.perf_counter() - tick
    timed = min(n_scenarios, plain_subset)
    data = reference_inputs(scheme, assumptions, timed)
    tick = time.perf_counter()
    plain = plain_valuation(data)
    plain_once = time.perf_counter() - tick
    results = []
    for engine in engines:
        tick = time.perf_counter()
        result = run_kernel(scheme, assumptions, engine)        # the first call (numba: imports and loads)
        first_call = time.perf_counter() - tick
        worst = check_agreement(result, plain)
        qsp_seconds = best_time(lambda engine=engine: run_kernel(scheme, assumptions, engine), repeats=repeats,
                                min_batch_seconds=0.0, budget_seconds=60.0)
        io, state = bytes_moved(scheme, assumptions, result)
        results.append(Result(size=n_scenarios, qsp_seconds=qsp_seconds, plain_seconds=plain_once * n_scenarios / timed,
                              plain_timed=timed, io_bytes=io, state_bytes=state, bandwidth=bandwidth,
                              max_relative_difference=worst, assumptions_seconds=assumptions_seconds, engine=engine,
                              first_call_seconds=first_call))
    return results


def pension_case(n_scenarios: int, *, bandwidth: float, repeats: int = 3, plain_subset: int = 2,
                 n_years: int = N_YEARS, scheme: Scheme | None = None, engine: str = "numpy") -> Result:
    """Time the valuation of ``n_scenarios`` scenarios over ``n_years`` years with one engine."""
    return pension_cases(n_scenarios, bandwidth=bandwidth, engines=(engine,), repeats=repeats,
                         plain_subset=plain_subset, n_years=n_years, scheme=scheme)[0]


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:,.0f} us"
    if value < 1.0:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.2f} s"


def _ratio(value: float) -> str:
    return f"{value:,.1f}x" if value < 10 else f"{value:,.0f}x"


def format_table(results: list[Result], n_years: int) -> str:
    width = 52
    header = (f"{'case':<{width}} {'qsp':>9} {'plain loop':>11} {'speedup':>8} {'I/O bound':>10} {'qsp/I/O':>8} "
              f"{'state bound':>12} {'qsp/state':>9}")
    lines = [header, "-" * len(header)]
    for r in results:
        label = f"pension valuation {n_years} y, {r.size:,} scenario{'s' if r.size > 1 else ''} [{r.engine}]"
        plain = _seconds(r.plain_seconds) + ("*" if r.plain_timed < r.size else " ")
        lines.append(f"{label:<{width}} {_seconds(r.qsp_seconds):>9} {plain:>11} {_ratio(r.speedup):>8} "
                     f"{_seconds(r.io_bytes / r.bandwidth):>10} {_ratio(r.io_ratio):>8} "
                     f"{_seconds(r.state_bytes / r.bandwidth):>12} {_ratio(r.state_ratio):>9}")
    lines.append("")
    for size in dict.fromkeys(r.size for r in results):
        r = next(r for r in results if r.size == size)
        if r.plain_timed < r.size:
            lines.append(f"* {r.size:,} scenarios: plain loop timed on {r.plain_timed} scenarios, scaled linearly")
    lines.append("[engine]: engine= of project_insured; numba after a first call in the process, which imports "
                 "numba and loads the cached machine code: "
                 + ", ".join(f"{_seconds(r.first_call_seconds)} ({r.size:,} scenarios)" for r in results
                             if r.engine == "numba") if any(r.engine == "numba" for r in results)
                 else "[engine]: engine= of project_insured (numba not installed or disabled: numpy only)")
    lines.append("I/O bound: inputs (Lee-Carter q_x by scenario, year, sex and age; wage growth, inflation, returns; "
                 "membership) read once and the yearly series returned written once, over the bandwidth")
    lines.append("state bound: the service distributions of actives and inactives (sex, member age, service, "
                 "scenario) read and written once a year, over the bandwidth")
    for r in {r.size: r for r in results}.values():
        lines.append(f"drawing the {r.size:,} scenarios (not timed above; Lee-Carter paths to q_x by life tables): "
                     f"{_seconds(r.assumptions_seconds)}")
    worst = max(r.max_relative_difference for r in results)
    lines.append(f"the kernel agrees with the plain-Python reference: max relative difference {worst:.1e}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 100 scenarios, fewer repeats")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case; the best is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench_pensions.txt")
    args = parser.parse_args(argv)
    sizes = (1, 100) if args.quick else (1, 1_000)
    repeats = 1 if args.quick else args.repeats
    lines = [f"qsp pension benchmark, {time.strftime('%Y-%m-%d %H:%M')}", environment_line()]
    print("\n".join(lines), flush=True)
    bandwidth = measure_bandwidth(repeats=repeats + 2)
    scheme = make_scheme()
    totals = scheme.membership.totals()
    lines.append(f"synthetic scheme: {totals['actives']:,.0f} actives, {totals['inactives']:,.0f} inactives, "
                 f"{sum(totals[f'pensioners_{t}'] for t in ('old_age', 'disability', 'survivor', 'orphan')):,.0f} "
                 f"pensioners")
    engines = available_engines()
    results = []
    for n in sizes:
        results += pension_cases(n, bandwidth=bandwidth, engines=engines, repeats=repeats, scheme=scheme)
        print(f"  done: {n:,} scenarios ({', '.join(engines)})", flush=True)
    again = measure_bandwidth(repeats=repeats + 2)
    best = max(bandwidth, again)
    results = [Result(**{**r.__dict__, "bandwidth": best}) for r in results]
    lines.append(f"memory bandwidth (numpy.copyto of 256 MB, read + write bytes): {best / 1e9:.1f} GB/s")
    table = format_table(results, N_YEARS)
    lines += ["", table]
    print("\n".join(lines[2:]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
