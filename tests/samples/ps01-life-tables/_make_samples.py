"""Build the sample submissions of ps01-life-tables from its release and its solution.

    .venv/bin/python tests/samples/ps01-life-tables/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps01-life-tables/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps01-life-tables/<student>/ps01-life-tables.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps01-life-tables``).

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
ASSIGNMENT = "ps01-life-tables"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-a0-half": {
        # infant deaths spread evenly over the first year, and 45q15 read up to age 60 instead of 65
        "task1-answer": "a0 = np.array([0.5, 0.5])  # deaths spread evenly over the first year\na0",
        "task5-answer": (
            "q_45_15 = 1 - table.lx[:, 60] / table.lx[:, 15]\n"
            "e65 = table.ex[:, 65]\n"
            "survive_to_65 = table.lx[:, 65] / table.lx[:, 0]\n"
            "q_45_15, e65, survive_to_65"
        ),
    },
    "mistake-shifted-lx": {
        # the cumulative product starts at p_0, so l_x holds l_{x+1} (and l_0 is not the radix)
        "task3-answer": (
            "lx = radix * np.cumprod(1 - qx, axis=-1)\n"
            "dx = np.empty_like(lx)\n"
            "dx[:, :-1] = lx[:, :-1] - lx[:, 1:]\n"
            "dx[:, -1] = lx[:, -1]\n"
            "lx[:, [0, 1, 5, 65, 100]].round(1)"
        ),
    },
    "mistake-forward-sum-log10": {
        # T_x summed from age 0 up to x instead of from x to the end; Gompertz fitted on log10
        "task4-answer": (
            "Lx = np.empty_like(lx)\n"
            "Lx[:, :-1] = lx[:, 1:] + ax[:, :-1] * dx[:, :-1]\n"
            "Lx[:, -1] = lx[:, -1] / mx[:, -1]\n"
            "Tx = np.cumsum(Lx, axis=-1)\n"
            "ex = Tx / lx\n"
            "e0 = ex[:, 0]\n"
            "e0"
        ),
        "task7-answer": (
            "fit_ages = np.arange(60, 90)\n"
            "x = fit_ages + 0.5\n"
            "slopes, intercepts = np.polyfit(x, np.log10(mx[:, fit_ages]).T, 1)\n"
            "gompertz_b = slopes\n"
            "gompertz_a = 10 ** intercepts\n"
            "doubling_time = np.log(2) / gompertz_b\n"
            "gompertz_a, gompertz_b, doubling_time"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-a0-half": 17.0,            # task 1 hidden (1), task 5 hidden (2: 45q15); task 2 grades q_x on its own a_0
    "mistake-shifted-lx": 17.0,         # task 3 visible (1: l_0 is not the radix) and hidden (2)
    "mistake-forward-sum-log10": 15.0,  # task 4 visible (1: e_0 < 1) and hidden (2), task 7 hidden (2: log10)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
