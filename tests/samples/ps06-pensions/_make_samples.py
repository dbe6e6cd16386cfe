"""Build the sample submissions of ps06-pensions from its release and its solution.

    .venv/bin/python tests/samples/ps06-pensions/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps06-pensions/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps06-pensions/<student>/ps06-pensions.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps06-pensions``).

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
ASSIGNMENT = "ps06-pensions"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-percent-final-wage": {
        # the cost rate in percent (and so its decade average); replacement rates on the final wage
        "task1-answer": (
            "payg = 100 * expenditure / earnings\n"
            "payg_2045_2054 = payg[(years >= 2045) & (years <= 2054)].mean()\n"
            "payg_2045_2054"
        ),
        "task6-answer": (
            "pensions = np.maximum(0.014 * np.minimum(years_contributed, 35) * reference_wages, 2_400.0)\n"
            "replacement = pensions / final_wages\n"
            "required = np.where(years_contributed >= 30, 0.40, 0.40 * years_contributed / 30)\n"
            "meets = replacement >= required\n"
            "replacement, meets"
        ),
    },
    "mistake-no-initial-reserve": {
        # the GAP without the initial reserve; the reserve ratio with the end-of-year reserve
        "task3-answer": (
            "t = np.arange(1, 31)\n"
            "discount = (1 / (1 + interest)) ** t\n"
            "gap = np.sum(expenditure * discount) / np.sum(earnings * discount)\n"
            "gap"
        ),
        "task4-answer": (
            "reserve = np.empty(30)\n"
            "previous = initial_reserve\n"
            "for k in range(30):\n"
            "    previous = previous * (1 + interest) + (contributions[k] - expenditure[k]) * (1 + interest) ** 0.5\n"
            "    reserve[k] = previous\n"
            "reserve_ratio = reserve / expenditure\n"
            "reserve_ratio[:3]"
        ),
    },
    "mistake-discount-from-zero": {
        # discount factors from t = 0 (and the GAP with them); ages 20-58 for the working-age population
        "task2-answer": (
            "demographic_ratio = population[:, 60:].sum() / population[:, 20:59].sum()\n"
            "system_ratio = pensioners / contributors\n"
            "benefit_ratio = (pension_expenditure / pensioners) / (earnings / contributors)\n"
            "demographic_ratio"
        ),
        "task3-answer": (
            "t = np.arange(30)\n"
            "discount = (1 / (1 + interest)) ** t\n"
            "gap = (np.sum(expenditure * discount) - initial_reserve) / np.sum(earnings * discount)\n"
            "gap"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-percent-final-wage": 16.0,   # task 1 visible (1: not a fraction) and hidden cost rate (1); task 6 hidden (2)
    "mistake-no-initial-reserve": 17.0,   # task 3 hidden GAP (2: R_0 left out), task 4 hidden ratio (1: end-of-year reserve)
    "mistake-discount-from-zero": 16.0,   # task 2 hidden demographic (1: ages 20:59), task 3 hidden discount (1) and GAP (2)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
