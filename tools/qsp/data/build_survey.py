"""Build the SYNTHETIC Tanzania household survey ``datasets/surveys/tza-hbs-synthetic/`` (seeded, re-runnable).

Usage: ``python -m qsp.data.build_survey [--out DATASETS_FOLDER] [--households N]``.

The survey imitates the design of Tanzania Mainland's Household Budget Survey 2017-18 (strata by
reporting domain, clusters of households, household weights) and is calibrated to published
figures (``TARGETS``, each with its source). It is NOT the HBS: no record describes a real
household. Method:

1. Design: ``CLUSTERS`` clusters of ``HOUSEHOLDS_PER_CLUSTER`` households in three strata
   (Dar es Salaam, other urban, rural); urban strata are over-sampled, so the design weights
   differ by stratum and unweighted means are biased (as in the real survey).
2. Households: size ``1 + Poisson`` by stratum; a head aged 18+ drawn from the WPP 2020 adult
   age-sex distribution, a spouse (opposite sex, age near the head's) in most households of two
   or more, children drawn from the WPP ages 0-17, other members from all ages. Disability by age
   (ASSUMED prevalence, see ``DISABILITY``).
3. Weights: design weights raked (iterative calibration, Deville and Särndal 1992) so that
   weighted persons match WPP 2020 by sex and age group, weighted households match the WPP
   population divided by the census household size, and each stratum's population share is the
   ASSUMED share in ``STRATUM_SHARES``.
4. Characteristics: a latent living standard per household (a cluster effect plus a household
   effect) drives observable proxy-means-test variables (dwelling, electricity, head's schooling,
   rooms, phone, land) with noise.
5. Consumption per adult equivalent (children under 14 count half an adult): log-normal around
   the latent standard, stratum effects and the dependency ratio. Two numbers are solved: the
   spread (bisection) so that the Gini of consumption per capita equals the published Gini, then
   the level so that the headcount under the national basic-needs line equals the published one.
6. The files are written, read back with :func:`qsp.data.read_survey`, and every target is
   recomputed from them into the calibration table of ``datapackage.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

NAME = "tza-hbs-synthetic"
SEED = 2018
CLUSTERS = {"Dar es Salaam": 40, "other urban": 60, "rural": 150}
"""Clusters sampled per stratum (urban over-sampled)."""
HOUSEHOLDS_PER_CLUSTER = 20
STRATUM_SHARES = {"Dar es Salaam": 0.10, "other urban": 0.22, "rural": 0.68}
"""ASSUMED population shares of the strata (round numbers of the order of Tanzania's urban share; not a
cited figure: replace them with census shares when calibrating to a real survey)."""
SIZE_POISSON = {"Dar es Salaam": 2.9, "other urban": 3.3, "rural": 4.0}
"""Mean of ``size - 1`` before weighting (the weighted mean size is then raked to the census figure)."""
STRATUM_EFFECT = {"Dar es Salaam": 0.9, "other urban": 0.45, "rural": 0.0}
"""ASSUMED log-consumption premium of each stratum over rural areas."""
DISABILITY = (0.01, 0.0006)
"""ASSUMED disability prevalence: 1% at age 0 rising by 0.06 points a year of age (about 5% at 65)."""
CHILD_WEIGHT = 0.5
"""Adult equivalents: adults (14+) count 1, children 0.5, no economies of scale (qsp.poverty "parametric"
scale with economies 1). The NBS uses a nutrition-based adult-equivalent scale not in the kit; this is
a stand-in."""
ADULT_AGE = 14
AGE_GROUPS = (0, 5, 15, 25, 45, 65, 200)

TARGETS = {
    "national_basic_needs_headcount": {
        "target": 0.264, "tolerance": 0.002, "unit": "share of people",
        "source": "Tanzania Mainland HBS 2017-18 (NBS and MoFP 2019); World Bank Poverty & Equity Brief, "
                  "Tanzania, April 2020: 'poverty based on the national poverty line declined from 28.2 percent "
                  "in 2011/12 to 26.4 percent in 2018'"},
    "gini_per_capita": {
        "target": 0.40, "tolerance": 0.005, "unit": "Gini (0-1) of consumption per capita",
        "source": "World Bank Poverty & Equity Brief, Tanzania, April 2020: 'the Gini index rising from 38 in "
                  "2011/12 to 40 in 2018' (Poverty and Inequality Platform)"},
    "household_size": {
        "target": 4.8, "tolerance": 0.02, "unit": "persons per household",
        "source": "NBS, 2012 Population and Housing Census: 'Average household size was 4.9 persons per "
                  "household in 2002 and 4.8 in 2012' (Population, Households and Average Household size by "
                  "Region 2002 and 2012, openAFRICA)"},
    "population": {
        "target": None, "tolerance": None, "unit": "persons",
        "source": "UN WPP 2024, Tanzania, 1 July 2020 (datasets/TZA/population_2020.csv), CC BY 3.0 IGO"},
}
BASIC_NEEDS_LINE_MONTHLY = 49_320.0
"""TZS per adult equivalent per month, 2017-18 prices: NBS, Household Budget Survey 2017-18 Tanzania Mainland
final report ('the estimated Basic Needs Poverty Line for Tanzania Mainland was TZS 49,320 per adult
equivalent per month, and the Food Poverty Line is TZS 33,748')."""
FOOD_LINE_MONTHLY = 33_748.0
INTERNATIONAL_HEADCOUNT_190 = 0.49
"""World Bank Poverty & Equity Brief, Tanzania, April 2020: 'Using the international extreme poverty rate of
US$ 1.9 per day, poverty in Tanzania has remained stagnant at 49 percent between 2011/12 and 2018'."""


def wpp_population(directory: Path) -> np.ndarray:
    """WPP 2020 population of Tanzania, shape (2, 101) (sex 0 female, 1 male; ages 0..100+)."""
    import pandas as pd

    frame = pd.read_csv(directory / "TZA" / "population_2020.csv")
    out = np.zeros((2, 101))
    for sex, code in (("female", 0), ("male", 1)):
        rows = frame[frame["sex"] == sex]
        out[code, rows["age"].to_numpy()] = rows["population"].to_numpy()
    return out


def _draw_age_sex(rng, population: np.ndarray, ages: slice, size: int) -> tuple[np.ndarray, np.ndarray]:
    block = population[:, ages]
    p = (block / block.sum()).ravel()
    cells = rng.choice(p.size, size=size, p=p)
    sex, age = np.divmod(cells, block.shape[1])
    return age + (ages.start or 0), sex


def rake(design: np.ndarray, x: np.ndarray, totals: np.ndarray, *, iterations: int = 50) -> np.ndarray:
    """Calibrated weights ``w = design x exp(x @ lam)`` with ``x.T @ w = totals`` (raking, Newton steps)."""
    lam = np.zeros(x.shape[1])
    for _ in range(iterations):
        w = design * np.exp(x @ lam)
        gap = totals - x.T @ w
        if np.max(np.abs(gap) / totals) < 1e-10:
            return w
        jacobian = x.T @ (x * w[:, None])
        lam += np.linalg.lstsq(jacobian, gap, rcond=None)[0]
    w = design * np.exp(x @ lam)
    worst = np.max(np.abs(totals - x.T @ w) / totals)
    if worst > 1e-6:
        raise RuntimeError(f"raking did not converge (worst relative gap {worst:.2e}).")
    return w


def generate(directory: Path, *, seed: int = SEED, households_per_cluster: int = HOUSEHOLDS_PER_CLUSTER) -> dict:
    """Draw the survey; returns the two tables as dicts of arrays and the solved parameters."""
    from qsp.poverty import adult_equivalents, gini, weighted_quantile

    rng = np.random.default_rng(seed)
    population = wpp_population(directory)
    strata_names = list(CLUSTERS)
    stratum = np.repeat(np.arange(3), [CLUSTERS[s] * households_per_cluster for s in strata_names])
    n = stratum.size
    cluster = np.repeat(np.arange(sum(CLUSTERS.values())), households_per_cluster)
    poisson = np.array([SIZE_POISSON[s] for s in strata_names])[stratum]
    size = 1 + rng.poisson(poisson)
    # members: head, spouse, children, others
    head_age, head_sex = _draw_age_sex(rng, population, slice(18, 86), n)
    member_hh, member_age, member_sex = [np.arange(n)], [head_age], [head_sex]
    has_spouse = (size >= 2) & (rng.random(n) < 0.75)
    spouse_hh = np.flatnonzero(has_spouse)
    spouse_age = np.clip(head_age[spouse_hh] + np.where(head_sex[spouse_hh] == 1, -4, 4)
                         + rng.integers(-5, 6, spouse_hh.size), 16, 95)
    member_hh.append(spouse_hh)
    member_age.append(spouse_age)
    member_sex.append(1 - head_sex[spouse_hh])
    others = size - 1 - has_spouse
    other_hh = np.repeat(np.arange(n), others)
    is_child = rng.random(other_hh.size) < 0.85
    child_age, child_sex = _draw_age_sex(rng, population, slice(0, 18), other_hh.size)
    any_age, any_sex = _draw_age_sex(rng, population, slice(0, 101), other_hh.size)
    member_hh.append(other_hh)
    member_age.append(np.where(is_child, child_age, any_age))
    member_sex.append(np.where(is_child, child_sex, any_sex))
    hh = np.concatenate(member_hh)
    age = np.concatenate(member_age)
    sex = np.concatenate(member_sex)
    order = np.lexsort((-age, hh))                      # members listed by household, oldest first
    hh, age, sex = hh[order], age[order], sex[order]
    disabled = rng.random(hh.size) < DISABILITY[0] + DISABILITY[1] * age

    # weights: design weights, then raking to WPP by sex and age group, households, stratum shares
    total_people = population.sum()
    shares = np.array([STRATUM_SHARES[s] for s in strata_names])
    design = (shares[stratum] * total_people / size.mean()) / np.bincount(stratum)[stratum]
    group = np.searchsorted(AGE_GROUPS, age, side="right") - 1
    n_groups = len(AGE_GROUPS) - 1
    cells = sex * n_groups + group
    x_people = np.zeros((n, 2 * n_groups))
    np.add.at(x_people, (hh, cells), 1.0)
    wpp_cells = np.array([population[s, AGE_GROUPS[g]:min(AGE_GROUPS[g + 1], 101)].sum()
                          for s in range(2) for g in range(n_groups)])
    x_strata = (stratum[:, None] == np.arange(2)[None, :]) * size[:, None]      # people in the first 2 strata
    x = np.column_stack([x_people, x_strata, np.ones(n)])
    totals = np.concatenate([wpp_cells, shares[:2] * total_people,
                             [total_people / TARGETS["household_size"]["target"]]])
    weight = rake(design, x, totals)

    # characteristics driven by a latent living standard
    urban = (stratum < 2).astype(float)
    cluster_effect = rng.normal(0.0, 0.35, cluster.max() + 1)[cluster]
    latent = cluster_effect + rng.normal(0.0, 0.6, n) + np.array([STRATUM_EFFECT[s] for s in strata_names])[stratum]
    adults = np.bincount(hh, weights=(age >= ADULT_AGE).astype(float), minlength=n)
    children = size - adults
    elderly = np.bincount(hh, weights=(age >= 65).astype(float), minlength=n)
    head_female = (sex[np.r_[0, np.flatnonzero(np.diff(hh)) + 1]] == 0).astype(float)

    def bernoulli(index):
        return (rng.random(n) < 1.0 / (1.0 + np.exp(-index))).astype(float)

    characteristics = {
        "urban": urban,
        "improved_roof": bernoulli(0.4 + 1.6 * latent + 0.8 * urban),
        "electricity": bernoulli(-1.6 + 1.8 * latent + 1.4 * urban),
        "mobile_phone": bernoulli(0.5 + 1.5 * latent),
        "head_schooling_years": np.clip(np.round(6.0 + 3.0 * latent + 1.0 * urban + rng.normal(0, 2.5, n)), 0, 18),
        "rooms": 1.0 + rng.poisson(np.exp(0.2 + 0.35 * latent + 0.12 * size)),
        "owns_land": bernoulli(1.5 - 2.5 * urban - 0.3 * latent),
        "head_female": head_female,
        "children": children,
        "elderly": elderly,
    }
    dependency = (children + elderly) / size
    noise = rng.normal(0.0, 1.0, n)
    ae = adult_equivalents(hh, age, n, scale="parametric", child_weight=CHILD_WEIGHT, economies=1.0)
    person_weight = weight * size

    def log_welfare(spread: float) -> np.ndarray:
        return 0.8 * latent - 0.35 * dependency + spread * noise

    def gini_for(spread: float) -> float:
        per_ae = np.exp(log_welfare(spread))
        return float(gini(per_ae * ae / size, person_weight))

    target = TARGETS["gini_per_capita"]["target"]
    low, high = 0.01, 1.5
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if gini_for(middle) < target else (low, middle)
    spread = (low + high) / 2
    shape = log_welfare(spread)
    line = 12 * BASIC_NEEDS_LINE_MONTHLY
    # level: the headcount-th quantile of welfare per adult equivalent sits at the line
    quantile = float(weighted_quantile(shape, person_weight, TARGETS["national_basic_needs_headcount"]["target"]))
    level = np.log(line) - quantile + 1e-6      # the quantile's own household just above: strict "below the line"
    consumption = np.exp(level + shape) * ae
    return {"stratum": np.array(strata_names)[stratum], "cluster": cluster, "weight": weight, "size": size,
            "consumption": consumption, "characteristics": characteristics, "hh": hh, "age": age, "sex": sex,
            "disabled": disabled, "spread": spread, "level": level, "n": n}


def write(directory: Path, out: Path, *, seed: int = SEED) -> dict:
    """Generate, write the CSV files and the datapackage with the calibration recomputed from the files."""
    import pandas as pd

    from qsp.poverty import fgt, gini, weighted_quantile

    from .survey import read_survey

    d = generate(directory, seed=seed)
    folder = out / "surveys" / NAME
    folder.mkdir(parents=True, exist_ok=True)
    ids = np.arange(1, d["n"] + 1)
    households = pd.DataFrame({
        "household_id": ids, "weight": np.round(d["weight"], 3), "consumption": np.round(d["consumption"]),
        "stratum": d["stratum"], "cluster": d["cluster"] + 1, "region": d["stratum"],
        **{k: v.astype(int) for k, v in d["characteristics"].items()},
    })
    members = pd.DataFrame({"household_id": ids[d["hh"]], "age": d["age"], "sex": d["sex"],
                            "disabled": d["disabled"].astype(int)})
    households.to_csv(folder / "households.csv", index=False)
    members.to_csv(folder / "members.csv", index=False)

    survey = read_survey(folder, scale="parametric", child_weight=CHILD_WEIGHT, economies=1.0)
    line = 12 * BASIC_NEEDS_LINE_MONTHLY
    per_capita = survey.with_scale("per_capita")
    achieved = {
        "national_basic_needs_headcount": float(fgt(survey.welfare, survey.person_weight, line)),
        "gini_per_capita": float(gini(per_capita.welfare, per_capita.person_weight)),
        "household_size": float(survey.person_weight.sum() / survey.weight.sum()),
        "population": float(survey.population),
    }
    wpp_total = float(wpp_population(directory).sum())
    calibration = []
    for key, spec in TARGETS.items():
        target = wpp_total if key == "population" else spec["target"]
        tolerance = 1e-6 * wpp_total if key == "population" else spec["tolerance"]
        calibration.append({"quantity": key, "target": target, "achieved": round(achieved[key], 6),
                            "tolerance": tolerance, "unit": spec["unit"], "source": spec["source"]})
        if abs(achieved[key] - target) > tolerance:
            raise RuntimeError(f"calibration of {key} missed: {achieved[key]} vs {target} +- {tolerance}")
    implied_190 = float(weighted_quantile(per_capita.welfare, per_capita.person_weight, INTERNATIONAL_HEADCOUNT_190))
    shares = {name: float(survey.person_weight[survey.region == code].sum() / survey.population)
              for code, name in enumerate(survey.region_names)}

    def resource(path: str, title: str, fields: list[tuple[str, str, str]]) -> dict:
        data = (folder / path).read_bytes()
        return {"name": path.removesuffix(".csv"), "path": path, "title": title, "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": {"fields": [{"name": a, "type": b, "description": c} for a, b, c in fields]}}

    characteristic_notes = {
        "urban": "1 if the household lives in an urban stratum",
        "improved_roof": "1 if the roof is of improved material (metal sheets, tiles, concrete)",
        "electricity": "1 if the dwelling has electricity",
        "mobile_phone": "1 if a member owns a mobile phone",
        "head_schooling_years": "years of schooling of the household head",
        "rooms": "rooms used for sleeping",
        "owns_land": "1 if the household owns agricultural land",
        "head_female": "1 if the household head (the first member listed) is a woman",
        "children": "members aged under 14",
        "elderly": "members aged 65 or more",
    }
    package = {
        "profile": "tabular-data-package", "name": NAME, "synthetic": True,
        "title": "SYNTHETIC Tanzania household survey (HBS 2017-18-like design), for Module 9",
        "description": "SYNTHETIC households and members generated by `python -m qsp.data.build_survey` (seeded), "
                       "calibrated to published figures of Tanzania Mainland (calibration below). No record "
                       "describes a real household; not the NBS's data. Consumption is in TZS a year, 2017-18 "
                       "prices.",
        "seed": seed, "method": __doc__,
        "scale": {"name": "parametric", "parameters": {"child_weight": CHILD_WEIGHT, "economies": 1.0},
                  "note": "children under 14 count 0.5 adult, no economies of scale: a stand-in for the NBS "
                          "nutrition-based scale"},
        "poverty_lines": {
            "basic_needs": {"value": line, "unit": "TZS per adult equivalent per year (2017-18 prices)",
                            "source": "NBS, HBS 2017-18 final report: TZS 49,320 per adult equivalent per month"},
            "food": {"value": 12 * FOOD_LINE_MONTHLY, "unit": "TZS per adult equivalent per year (2017-18 prices)",
                     "source": "NBS, HBS 2017-18 final report: TZS 33,748 per adult equivalent per month"},
            "international_190_implied": {
                "value": round(implied_190), "unit": "TZS per person per year",
                "source": "NOT an official PPP conversion: the per-capita consumption below which 49% of people "
                          "live in this synthetic survey, the World Bank's 2018 headcount at US$1.90 a day (2011 "
                          "PPP), Poverty & Equity Brief, Tanzania, April 2020"},
        },
        "stratum_population_shares": {k: round(v, 6) for k, v in shares.items()},
        "stratum_shares_status": "ASSUMED (not a cited figure): " + ", ".join(f"{k} {v:.0%}" for k, v in
                                                                              STRATUM_SHARES.items()),
        "assumed": {"stratum_effect": STRATUM_EFFECT, "disability_prevalence": "1% at age 0 + 0.06 points a year",
                    "household_size_poisson": SIZE_POISSON, "clusters": CLUSTERS,
                    "households_per_cluster": HOUSEHOLDS_PER_CLUSTER},
        "solved": {"log_spread": round(float(d["spread"]), 6), "log_level": round(float(d["level"]), 6)},
        "calibration": calibration,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (synthetic data); the WPP margins are CC BY 3.0 IGO"}],
        "resources": [
            resource("households.csv", "SYNTHETIC households: weight, consumption, design, characteristics", [
                ("household_id", "integer", "unique household id"),
                ("weight", "number", "survey weight: households represented (raked)"),
                ("consumption", "number", "household consumption, TZS a year, 2017-18 prices"),
                ("stratum", "string", "sampling stratum (reporting domain)"),
                ("cluster", "integer", "primary sampling unit, nested in strata"),
                ("region", "string", "reporting domain (same as the stratum here)"),
            ] + [(k, "integer", v) for k, v in characteristic_notes.items()]),
            resource("members.csv", "SYNTHETIC household members", [
                ("household_id", "integer", "the member's household"),
                ("age", "integer", "age in completed years"),
                ("sex", "integer", "0 = female, 1 = male"),
                ("disabled", "integer", "1 if a qualifying disability (ASSUMED prevalence by age)"),
            ]),
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    (folder / "README.md").write_text(readme(package), encoding="utf-8")
    return package


def readme(package: dict) -> str:
    """The folder's README (provenance), written from the datapackage."""
    rows = "\n".join(f"| {r['quantity']} | {r['target']:g} | {r['achieved']:g} | {r['unit']} | {r['source']} |"
                      for r in package["calibration"])
    lines = "\n".join(f"| {k} | {v['value']:,.0f} | {v['unit']} | {v['source']} |"
                       for k, v in package["poverty_lines"].items())
    shares = ", ".join(f"{k} {v:.1%}" for k, v in package["stratum_population_shares"].items())
    return f"""# {package['title']}

**SYNTHETIC DATA.** Generated by `python -m qsp.data.build_survey` (seed {package['seed']}); no record
describes a real household and this is not the National Bureau of Statistics' survey. **Generated -
do not edit by hand**: the command rewrites every file here; `python -m qsp.data.build_survey --check`
rebuilds into a temporary folder and compares.

Households of Tanzania Mainland with the design of a household budget survey (strata, clusters,
raked weights), members by age, sex and disability, yearly consumption in TZS (2017-18 prices) and
the characteristics a proxy-means test uses. For Module 9 (poverty impact of social transfers).

```python
import qsp.data, qsp.poverty
survey = qsp.data.load_survey("{package['name']}")          # SYNTHETIC; a qsp.poverty.Survey
line = qsp.data.survey_metadata()["poverty_lines"]["basic_needs"]["value"]
qsp.poverty.fgt(survey.welfare, survey.person_weight, line)   # the national headcount, 0.264
```

## Files

| File | What |
|---|---|
| `households.csv` | household_id, weight, consumption, stratum, cluster, region, then the proxy-means-test characteristics |
| `members.csv` | household_id, age, sex (0 female, 1 male), disabled (0/1) |
| `datapackage.json` | schema of every column, method, calibration, poverty lines, assumptions |

The layout is the one `qsp.data.read_survey(folder)` reads, so an instructor can replace these files
with a real survey (LSMS, DHS, a household budget survey) exported in the same columns: see the
docstring of `qsp.data.survey`.

## Calibration (recomputed from the written files)

| quantity | target | achieved | unit | source |
|---|---|---|---|---|
{rows}

Welfare is consumption per adult equivalent with the scale {package['scale']['name']}
({package['scale']['note']}).

## Poverty lines

| line | value | unit | source |
|---|---|---|---|
{lines}

## Assumed, not calibrated

Stratum population shares ({shares}) are ASSUMED round numbers, as are the stratum effects on
consumption, disability prevalence by age and household sizes before raking (`assumed` in
`datapackage.json`). Replace them with census figures before using the survey for anything but
teaching.

## Method

{package['method']}
"""


def main(argv: list[str] | None = None) -> int:
    from .loader import data_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="datasets folder to write into (default: the kit's)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="rebuild into a temporary folder and compare")
    args = parser.parse_args(argv)
    directory = data_dir()
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write(directory, Path(tmp), seed=args.seed)
            differ = [name for name in ("households.csv", "members.csv", "datapackage.json", "README.md")
                      if (Path(tmp) / "surveys" / NAME / name).read_bytes()
                      != (directory / "surveys" / NAME / name).read_bytes()]
        print("differs: " + ", ".join(differ) if differ else "the committed survey is reproduced exactly")
        return 1 if differ else 0
    package = write(directory, args.out or directory, seed=args.seed)
    for row in package["calibration"]:
        print(f"{row['quantity']}: target {row['target']}, achieved {row['achieved']}")
    print(f"written to {(args.out or directory) / 'surveys' / NAME}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
