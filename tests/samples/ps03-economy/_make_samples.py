"""Build the sample submissions of ps03-economy from its release and its solution.

    .venv/bin/python tests/samples/ps03-economy/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps03-economy/_make_samples.py --check  # exit 1 if out of date
    .venv/bin/python tests/samples/ps03-economy/_make_samples.py --data   # rewrite the assignment's data files

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps03-economy/<student>/ps03-economy.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps03-economy``).

``tests/samples/make_samples.py`` picks this module up (:func:`sample_sets`), and the grading
pipeline tests (tests/course/test_course_pipeline.py) grade these samples with the real nbgrader.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ASSIGNMENT = "ps03-economy"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-children-percent": {
        # np.clip puts ages 0-14 in the 15-19 group and the children are never set to zero;
        # the pension's cost reported in percent instead of as a fraction of GDP
        "task1-answer": (
            "groups = ['15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65+']\n"
            "rates = participation_table.pivot(index='sex', columns='age_group', values='lfpr_percent')"
            ".loc[['female', 'male'], groups]\n"
            "rates = rates.to_numpy(dtype=float) / 100\n"
            "participation = rates[:, np.clip((ages - 15) // 5, 0, len(groups) - 1)]\n"
            "labour_force = population * participation\n"
            "print(f'labour force 2023: {labour_force.sum():,.0f}')"
        ),
        "task5-answer": (
            "benefit_2023 = 3000.0\n"
            "cost_prices = 100 * older_path * benefit_2023 * cpi / nominal_gdp\n"
            "cost_wages = 100 * older_path * benefit_2023 * (average_wage / average_wage[0]) / nominal_gdp\n"
            "cost_prices[-1], cost_wages[-1]"
        ),
    },
    "mistake-base-year-nominal": {
        # prices compounded from the wrong base year (the index is 1.08 in 2023), and the "real"
        # wage left in money terms
        "task3-answer": (
            "employment = labour_force_path * (1 - unemployment_rate)\n"
            "productivity = nominal_gdp_2023 / employment[0] * (1 + productivity_growth) ** t\n"
            "real_gdp = employment * productivity\n"
            "gdp_deflator = (1 + inflation) ** (t + 1)\n"
            "nominal_gdp = real_gdp * gdp_deflator\n"
            "nominal_gdp[[0, -1]]"
        ),
        "task4-answer": (
            "average_wage = wage_share * nominal_gdp / employment\n"
            "cpi = (1 + inflation) ** t\n"
            "real_average_wage = average_wage\n"
            "real_average_wage[[0, -1]]"
        ),
    },
    "mistake-cpi-base-year": {
        # the CPI compounded from the wrong base year (1.08 in 2023); the pension indexed with that
        # CPI is then graded on it (a mistake is charged once), except by the visible self-check
        "task4-answer": (
            "average_wage = wage_share * nominal_gdp / employment\n"
            "cpi = (1 + inflation) ** (t + 1)\n"
            "real_average_wage = average_wage / cpi\n"
            "real_average_wage[[0, -1]]"
        ),
    },
    "mistake-real-nominal-mix": {
        # a wage-indexed pension indexed with the real wage; r = i - pi, and a reserve grown at
        # the real rate compared with nominal GDP
        "task5-answer": (
            "benefit_2023 = 3000.0\n"
            "cost_prices = older_path * benefit_2023 * cpi / nominal_gdp\n"
            "cost_wages = older_path * benefit_2023 * (real_average_wage / real_average_wage[0]) / nominal_gdp\n"
            "cost_prices[-1], cost_wages[-1]"
        ),
        "task6-answer": (
            "real_interest_rate = nominal_interest_rate - inflation\n"
            "reserve = 0.05 * nominal_gdp[0] * (1 + (1 + nominal_interest_rate) / (1 + inflation) - 1) ** t\n"
            "reserve_share = reserve / nominal_gdp\n"
            "real_interest_rate, reserve_share[-1]"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-children-percent": 13.0,   # task 1 all 4 (visible total, participation, labour force); task 5 all 3
    "mistake-base-year-nominal": 14.0,  # task 3 visible (1) and deflator/nominal (2); task 4 visible (1) and hidden (2)
    "mistake-real-nominal-mix": 17.0,   # task 5 wage-indexed (1); task 6 real rate (1) and reserve (1)
    "mistake-cpi-base-year": 16.0,      # task 4 visible (1) and hidden (2); task 5 visible (1: 2023 costs differ);
                                        # task 5's hidden tests grade on the student's own CPI (was 15 before)
}


def make_data() -> None:
    """Rewrite the assignment's data files in solutions/ps03-economy/ from the kit's Ghana data.

    population_2023.csv: the kit's projection of the WPP 2024 base population to 1 July 2023 (rounded
    to 0.1 person); participation.csv: ``lfpr`` of datasets/GHA/labour.csv (percent); projection.csv:
    the labour force (rounded population x participation by single age, step expansion) and the
    population 65+ of 2023-2053. Release again and rebuild the keys and samples afterwards.
    """
    import numpy as np
    import pandas as pd
    import qsp.data

    folder = ROOT / "solutions" / ASSIGNMENT
    ghana = qsp.data.load_country("GHA")
    projection = ghana.project(until=2053)
    keep = projection.years >= 2023
    population = np.round(projection.population[keep], 1)
    sexes = ["female", "male"]
    rows = [(sexes[s], age, float(population[0, s, age])) for s in range(2) for age in range(101)]
    pd.DataFrame(rows, columns=["sex", "age", "population"]).to_csv(folder / "population_2023.csv", index=False)
    groups = ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65+"]
    rows = [(sex, group, ghana.labour.figure("lfpr", sex=sex, age_group=group).value) for sex in sexes for group in groups]
    pd.DataFrame(rows, columns=["sex", "age_group", "lfpr_percent"]).to_csv(folder / "participation.csv", index=False)
    pd.DataFrame({
        "year": projection.years[keep],
        "labour_force": np.round((population * ghana.participation).sum(axis=(-2, -1)), 1),
        "population_65_plus": np.round(population[:, :, 65:].sum(axis=(-2, -1)), 1),
    }).to_csv(folder / "projection.csv", index=False)


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment; ``--data`` rewrites the solution's data files."""
    arguments = sys.argv[1:] if argv is None else argv
    if "--data" in arguments:
        make_data()
        print(f"rewrote the data files of solutions/{ASSIGNMENT}/")
        return 0
    return _common.main([ASSIGNMENT, *arguments])


if __name__ == "__main__":
    sys.exit(main())
