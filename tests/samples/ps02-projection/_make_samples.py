"""Build the sample submissions of ps02-projection from its release and its solution.

    .venv/bin/python tests/samples/ps02-projection/_make_samples.py          # rewrite the samples
    .venv/bin/python tests/samples/ps02-projection/_make_samples.py --check  # exit 1 if out of date

Same structure as ``tests/samples/make_samples.py`` (whose helpers it reuses): one folder per
student, ``tests/samples/ps02-projection/<student>/ps02-projection.ipynb``; ``EXPECTED`` gives the
points (out of ``MAX_SCORE``) each sample must get. Re-run after changing the solution notebook
(and releasing it with ``qsp course release ps02-projection``).

The grading pipeline tests (tests/course/) are written for ps00-tools only; to test this
assignment there, fold ``MISTAKES``/``EXPECTED``/``MAX_SCORE`` into make_samples.py per assignment.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ASSIGNMENT = "ps02-projection"

_spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "make_samples.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)

MISTAKES = {
    "mistake-open-age": {
        # the shift forgets that the open group 100+ also keeps its own survivors
        "task1-answer": (
            "survivors = np.zeros_like(population)\n"
            "survivors[:, 1:] = population[:, :-1] * S[:, :-1]\n"
            "survivors[:, :4]"
        ),
    },
    "mistake-start-exposure": {
        # births from the women at the start of the year only (no average exposure)
        "task2-answer": (
            "births = np.sum(asfr * population[0])\n"
            "births_by_sex = births * np.array([1 / (1 + srb), srb / (1 + srb)])\n"
            "infants = births_by_sex * newborn_survival\n"
            "births, births_by_sex, infants"
        ),
    },
    "mistake-scenario": {
        # the OADR in percent, fertility halved instead of half a child less, r = lambda - 1
        "task4-answer": (
            "projection = ghana.project(until=2050)\n"
            "population_2050 = projection.population[-1]\n"
            "oadr_2050 = 100 * population_2050[:, 65:].sum() / population_2050[:, 15:65].sum()\n"
            "support_ratio_2050 = population_2050[:, 15:65].sum() / population_2050[:, 65:].sum()\n"
            "oadr_2050, support_ratio_2050"
        ),
        "task5-answer": (
            "asfr_low = ghana.asfr * 0.5\n"
            "low = ghana.project(until=2050, asfr=asfr_low)\n"
            "medium = ghana.project(until=2050)\n"
            "population_change_2050 = low.population[-1].sum() - medium.population[-1].sum()\n"
            "low_2050 = low.population[-1]\n"
            "oadr_2050_low = low_2050[:, 65:].sum() / low_2050[:, 15:65].sum()\n"
            "population_change_2050, oadr_2050_low"
        ),
        "task6-answer": (
            "eigenvalues = np.linalg.eigvals(A)\n"
            "growth_factor = float(eigenvalues[np.argmax(np.abs(eigenvalues))].real)\n"
            "growth_rate = growth_factor - 1\n"
            "doubling_time = np.log(2) / growth_rate\n"
            "growth_factor, growth_rate, doubling_time"
        ),
    },
}

MAX_SCORE = 20.0
EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-open-age": 18.0,        # task 1 open group (1) and task 3 hidden (1)
    "mistake-start-exposure": 16.0,  # task 2 hidden (2 + 1) and task 3 hidden (1)
    "mistake-scenario": 11.0,        # task 4 visible and hidden (3), task 5 all (4), task 6 hidden (2)
}


def build() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample."""
    release = nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    name = f"{ASSIGNMENT}.ipynb"
    samples = {
        "reference": {name: _common._filled(release, solution, {})},
        "blank": {name: copy.deepcopy(release)},
    }
    for student, replacements in MISTAKES.items():
        samples[student] = {name: _common._filled(release, solution, replacements)}
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the samples are up to date")
    args = parser.parse_args(argv)
    stale = []
    for student, files in build().items():
        for filename, nb in files.items():
            path = HERE / student / filename
            text = _common._text(nb)
            if path.is_file() and path.read_text() == text:
                continue
            stale.append(str(path.relative_to(ROOT)))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("rewrote " + ", ".join(stale)) if stale else "samples are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
