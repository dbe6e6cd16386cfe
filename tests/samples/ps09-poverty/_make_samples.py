"""Build the sample submissions of ps09-poverty from its release and its solution.

    .venv/bin/python tests/samples/ps09-poverty/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps09-poverty/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps09-poverty/<student>/ps09-poverty.ipynb``; ``EXPECTED`` gives
the points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution
notebook (and releasing it with ``qsp course release ps09-poverty``).

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
ASSIGNMENT = "ps09-poverty"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-unweighted": {
        # every household counts the same: means over households instead of weighted by people
        "task2-answer": (
            "poor = y < line\n"
            "gap = np.where(poor, (line - y) / line, 0.0)\n"
            "headcount = poor.mean()\n"
            "poverty_gap = gap.mean()\n"
            "severity = (gap ** 2).mean()\n"
            "headcount, poverty_gap, severity"
        ),
    },
    "mistake-per-capita": {
        # welfare per capita (divided by the household size) against a line per adult equivalent
        "task1-answer": "welfare = consumption / size\npeople = weight * size\nwelfare[:3], people[:3]",
    },
    "mistake-gap-over-poor": {
        # the poverty gap averaged over the poor only (the income gap ratio), not over everyone
        "task2-answer": (
            "poor = y < line\n"
            "gap = np.where(poor, (line - y) / line, 0.0)\n"
            "headcount = np.sum(w * poor) / np.sum(w)\n"
            "poverty_gap = np.sum(w * gap) / np.sum(w * poor)\n"
            "severity = np.sum(w * gap ** 2) / np.sum(w)\n"
            "headcount, poverty_gap, severity"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-unweighted": 14.0,     # task 2: visible (2, names the unweighted means), hidden P0 (1), P1 (2), P2 (1)
    "mistake-per-capita": 18.0,     # task 1: visible (1, names per capita) and hidden welfare (1)
    "mistake-gap-over-poor": 16.0,  # task 2: visible (2, names the gap over the poor) and hidden P1 (2)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    return _common.typical_samples(ASSIGNMENT, MISTAKES)


def main(argv: list[str] | None = None) -> int:
    """``make_samples.py ASSIGNMENT [--check]`` for this assignment."""
    return _common.main([ASSIGNMENT, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
