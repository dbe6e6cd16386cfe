"""Build the sample submissions of ps04-social-budget from its release and its solution.

    .venv/bin/python tests/samples/ps04-social-budget/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps04-social-budget/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps04-social-budget/<student>/ps04-social-budget.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps04-social-budget``).

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
ASSIGNMENT = "ps04-social-budget"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-index-year": {
        # the indices start one year too late: the base year already carries a year of growth (t = 1, 2, ...)
        "task1-answer": (
            "inflation = macro.cpi[1] / macro.cpi[0] - 1\n"
            "wage_growth = macro.average_wage[1] / macro.average_wage[0] - 1\n"
            "t = np.arange(1, n_years + 1)\n"
            "price_index = (1 + inflation) ** t\n"
            "wage_index = (1 + wage_growth) ** t\n"
            "price_index[:3], wage_index[:3]"
        ),
    },
    "mistake-admin-on-revenue": {
        # administration left out of expenditure and taken off the revenue instead (also in the reform)
        "task2-answer": (
            "pensioners = pension_coverage * population[:, :, ages >= pension_age].sum(axis=(-2, -1))\n"
            "child_beneficiaries = child_coverage * population[:, :, ages < child_max_age].sum(axis=(-2, -1))\n"
            "average_pension_0 = pension_share_of_wage * macro.average_wage[0]\n"
            "expenditure = np.array([pensioners * average_pension_0 * price_index,\n"
            "                        child_beneficiaries * child_benefit * price_index])\n"
            "expenditure[:, :3]"
        ),
        "task3-answer": (
            "revenue = np.array([contribution_rate * insured_share * macro.wage_bill * (1 - pension_admin),\n"
            "                    child_allocation * macro.nominal_gdp * (1 - child_admin)])\n"
            "balance = revenue - expenditure\n"
            "balance[:, :3]"
        ),
        "task6-answer": (
            "reform_expenditure = expenditure.copy()\n"
            "reform_expenditure[0] = pensioners * average_pension_0 * wage_index\n"
            "reform_difference_pp = 100 * (reform_expenditure.sum(axis=0) - expenditure.sum(axis=0)) / macro.nominal_gdp\n"
            "reform_difference_pp[:3]"
        ),
    },
    "mistake-real-gdp-net-gap": {
        # nominal expenditure divided by real GDP; the gap computed from the net balance (surplus hides the deficit)
        "task4-answer": (
            "expenditure_share_of_gdp = expenditure / macro.real_gdp\n"
            "total_share_of_gdp = expenditure.sum(axis=0) / macro.real_gdp\n"
            "share_of_government_expenditure = expenditure.sum(axis=0) / macro.expenditure\n"
            "total_share_of_gdp[:3]"
        ),
        "task5-answer": (
            "financing_gap = np.maximum(-balance, 0.0)\n"
            "total_gap = np.maximum(-balance.sum(axis=0), 0.0)\n"
            "total_gap[:3]"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-index-year": 17.0,         # task 1 visible (1: index is not 1 in 2023) and hidden (2)
    "mistake-admin-on-revenue": 15.0,   # task 2 hidden expenditure (2), task 3 hidden revenue (2), task 6 hidden expenditure (1)
    "mistake-real-gdp-net-gap": 16.0,   # task 4 hidden (2: real GDP), task 5 hidden (2: netted gap)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
