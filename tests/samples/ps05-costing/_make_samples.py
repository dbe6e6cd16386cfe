"""Build the sample submissions of ps05-costing from its release and its solution.

    .venv/bin/python tests/samples/ps05-costing/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps05-costing/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps05-costing/<student>/ps05-costing.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps05-costing``).

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
ASSIGNMENT = "ps05-costing"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-exchange-rate": {
        # the PPP caps converted with the market exchange rate
        "task2-answer": (
            "gdp_per_capita = gdp[0] / population[0].sum()\n"
            "pension_per_year = 365 * min(0.30 * gdp_per_capita / 365, 1.0 * exchange_rate)\n"
            "child_per_year = 365 * min(0.15 * gdp_per_capita / 365, 0.5 * exchange_rate)\n"
            "pension_per_year, child_per_year"
        ),
    },
    "mistake-per-day-admin-gdp": {
        # daily amounts not annualised (x 365); administration as a share of GDP instead of benefit expenditure
        "task2-answer": (
            "gdp_per_capita = gdp[0] / population[0].sum()\n"
            "pension_per_year = min(0.30 * gdp_per_capita / 365, 1.0 * ppp_factor)\n"
            "child_per_year = min(0.15 * gdp_per_capita / 365, 0.5 * ppp_factor)\n"
            "pension_per_year, child_per_year"
        ),
        "task5-answer": (
            "total_population = population.sum(axis=(-2, -1))\n"
            "health_cost = total_population * health_staff_per_1000 / 1000 * health_wage_multiple "
            "* (gdp / total_population) * (1 + health_non_staff_markup)\n"
            "benefit_expenditure = pension_cost + child_cost + health_cost\n"
            "package_total = benefit_expenditure + admin_loading * gdp\n"
            "package_share_of_gdp = package_total / gdp\n"
            "package_share_of_revenue = package_total / revenue\n"
            "package_share_of_gdp"
        ),
    },
    "mistake-cap-floor-revenue": {
        # the cap applied as a floor (max instead of min); the share of revenue divided by GDP
        "task2-answer": (
            "gdp_per_capita = gdp[0] / population[0].sum()\n"
            "pension_per_year = 365 * max(0.30 * gdp_per_capita / 365, 1.0 * ppp_factor)\n"
            "child_per_year = 365 * max(0.15 * gdp_per_capita / 365, 0.5 * ppp_factor)\n"
            "pension_per_year, child_per_year"
        ),
        "task5-answer": (
            "total_population = population.sum(axis=(-2, -1))\n"
            "health_cost = total_population * health_staff_per_1000 / 1000 * health_wage_multiple "
            "* (gdp / total_population) * (1 + health_non_staff_markup)\n"
            "package_total = (pension_cost + child_cost + health_cost) * (1 + admin_loading)\n"
            "package_share_of_gdp = package_total / gdp\n"
            "package_share_of_revenue = package_total / gdp\n"
            "package_share_of_gdp"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-exchange-rate": 17.0,       # task 2 hidden: pension (2) and child benefit (1)
    "mistake-per-day-admin-gdp": 16.0,   # task 2 hidden (3), task 5 hidden total (1: administration on GDP)
    "mistake-cap-floor-revenue": 15.0,   # task 2 hidden (3), task 5 visible (1) and hidden shares (1)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
