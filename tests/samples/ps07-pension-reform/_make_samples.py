"""Build the sample submissions of ps07-pension-reform from its release and its solution.

    .venv/bin/python tests/samples/ps07-pension-reform/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps07-pension-reform/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps07-pension-reform/<student>/ps07-pension-reform.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps07-pension-reform``).

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
ASSIGNMENT = "ps07-pension-reform"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-time-axis": {
        # quantiles taken over the time axis (one set per scenario) instead of over the scenarios
        "task3-answer": (
            "fan_levels = np.quantile(reserve, probabilities, axis=1)\n"
            "k2050 = int(np.flatnonzero(years == 2050)[0])\n"
            "median_2050 = float(fan_levels[2, k2050])\n"
            "band_2050 = float(fan_levels[4, k2050] - fan_levels[0, k2050])\n"
            "median_2050, band_2050"
        ),
    },
    "mistake-point-in-time-sign": {
        # exhaustion counted in each year only (recoveries forgotten), and the balance as cost minus income
        "task2-answer": (
            "t = np.arange(1, 41)\n"
            "discount = (1 / (1 + interest_rate)) ** t\n"
            "pv_earnings = np.sum(earnings[0] * discount)\n"
            "income_rate = float((initial_reserve + np.sum(contribution_rate * earnings[0] * discount)) / pv_earnings)\n"
            "cost_rate = float(np.sum(expenditure[0] * discount) / pv_earnings)\n"
            "balance = cost_rate - income_rate\n"
            "gap = float((np.sum(expenditure[0] * discount) - initial_reserve) / pv_earnings)\n"
            "print(income_rate, cost_rate, balance, gap)"
        ),
        "task4-answer": (
            "p_exhausted = (reserve <= 0).mean(axis=0)\n"
            "p_by_2050 = float(p_exhausted[int(np.flatnonzero(years == 2050)[0])])\n"
            "p_by_2050"
        ),
    },
    "mistake-reused-draw": {
        # one path of shocks drawn and broadcast to every scenario
        "task5-answer": (
            "rng = np.random.default_rng(2025)\n"
            "shocks = rng.standard_normal(n_steps)\n"
            "returns = np.empty((n_paths, n_steps))\n"
            "previous = np.full(n_paths, mu)\n"
            "for t in range(n_steps):\n"
            "    previous = mu + phi * (previous - mu) + sigma * shocks[t]\n"
            "    returns[:, t] = previous\n"
            "sd_last = float(np.std(returns[:, -1]))\n"
            "sd_stationary = sigma / np.sqrt(1 - phi**2)\n"
            "sd_last, sd_stationary"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-time-axis": 16.0,           # task 3 visible (1: shape), hidden levels (2) and 2050 figures (1)
    "mistake-point-in-time-sign": 16.0,  # task 2 hidden balance (1: sign), task 4 hidden curve (2) and 2050 (1)
    "mistake-reused-draw": 17.0,         # task 5 hidden returns (2) and sd (1: no spread)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
