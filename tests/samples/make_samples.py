"""Build the sample submissions of each assignment from its release and its solution.

    .venv/bin/python tests/samples/make_samples.py          # rewrite tests/samples/<assignment>/
    .venv/bin/python tests/samples/make_samples.py --check  # exit 1 if a sample is out of date

A sample is what a student would hand in: the released notebook with the answer cells filled
in (``reference``: the solution code; the ``mistake-*`` samples: typical wrong answers), or
left as released (``blank``), or damaged the way real submissions get damaged (copied cells,
a renamed file, metadata stripped by another editor, a deleted test cell). Each sample lives in
``tests/samples/<assignment>/<student>/`` and ``EXPECTED`` says the score it must get.
Re-run this script after changing a solution notebook (and releasing it).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

ASSIGNMENT = "ps00-tools"

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
MISTAKES = {
    "mistake-percent": {
        # a percentage instead of a fraction, and a working-age population of 15+ instead of 15-64
        "task2-answer": "share_65_plus = 100 * population[:, 65:].sum() / population.sum()\nshare_65_plus",
        "task3-answer": (
            "working = ages >= 15\nolder = ages >= 65\n"
            "old_age_dependency_by_sex = population[:, older].sum(axis=-1) / population[:, working].sum(axis=-1)\n"
            "old_age_dependency = population[:, older].sum() / population[:, working].sum()\n"
            "old_age_dependency_by_sex, old_age_dependency"
        ),
    },
    "mistake-axis": {
        # summing over the sex axis instead of the age axis, and a groupby that leaves the groups in the index
        "task1-answer": "total_by_sex = population.sum(axis=0)\ntotal_by_sex",
        "task4-answer": (
            "group_start = (population_long['age'] // 5) * 5\n"
            "group_label = np.where(group_start >= 100, '100+', group_start.astype(str) + '-' + (group_start + 4).astype(str))\n"
            "population_5y = population_long.assign(age_group=group_label).groupby(['sex', 'age_group'])[['population']].sum()\n"
            "population_5y.head()"
        ),
    },
}

# Points out of 14 that each sample must score (the tests assert these).
EXPECTED = {
    "reference": 14.0,
    "blank": 0.0,
    "mistake-percent": 8.0,   # loses task 2 (3 points) and task 3's hidden test (3 points)
    "mistake-axis": 7.0,      # loses task 1 (3 points) and task 4 (4 points)
    "copied-cells": 14.0,     # reference answers; copied cells and a renamed file, repaired
    "stripped-metadata": 7.0,  # the mistake-axis answers, with all nbgrader metadata stripped
    "deleted-test": 14.0,     # reference answers with a hidden test cell deleted: nbgrader puts it back
}
MAX_SCORE = 14.0


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _solution_code(source: str) -> str:
    lines = source.split("\n")
    return "\n".join(line for line in lines if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def _filled(release, solution, replacements: dict[str, str]):
    answers = {_grade_id(c): c.source for c in solution.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        name = _grade_id(cell)
        if name in replacements:
            cell.source = replacements[name]
        elif name in answers:
            cell.source = _solution_code(answers[name])
    return nb


def build(assignment: str = ASSIGNMENT) -> dict[str, dict[str, nbformat.NotebookNode]]:
    """``{student: {file name: notebook}}`` of every sample of ``assignment``."""
    release = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    name = f"{assignment}.ipynb"
    samples = {
        "reference": {name: _filled(release, solution, {})},
        "blank": {name: copy.deepcopy(release)},
    }
    for student, replacements in MISTAKES.items():
        samples[student] = {name: _filled(release, solution, replacements)}

    # Copied cells: the task-1 self-check pasted twice (same grade id and the same nbformat cell id),
    # the task-2 answer split in two cells that both keep its grade id; saved as "...-Copy1".
    copied = _filled(release, solution, {})
    cells = []
    for cell in copied.cells:
        cells.append(cell)
        if _grade_id(cell) == "task1-visible":
            cells.append(copy.deepcopy(cell))
        if _grade_id(cell) == "task2-answer":
            first = copy.deepcopy(cell)
            first.source = "older_people = population[:, 65:].sum()"
            first["id"] = cell["id"] + "-split"
            cell.source = "share_65_plus = older_people / population.sum()\nshare_65_plus"
            cells[-1:] = [first, cell]
    copied.cells = cells
    samples["copied-cells"] = {f"{assignment}-Copy1.ipynb": copied}

    # Stripped metadata: saved by an editor that keeps only the cell text.
    stripped = copy.deepcopy(samples["mistake-axis"][name])
    for cell in stripped.cells:
        cell.metadata = nbformat.NotebookNode()
    samples["stripped-metadata"] = {name: stripped}

    # A deleted hidden-test cell.
    deleted = _filled(release, solution, {})
    deleted.cells = [cell for cell in deleted.cells if _grade_id(cell) != "task3-hidden"]
    samples["deleted-test"] = {name: deleted}
    return samples


def _text(nb) -> str:
    # written like nbformat does, but without its validation, which would renumber repeated cell ids
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the samples are up to date")
    args = parser.parse_args(argv)
    stale = []
    for student, files in build().items():
        folder = HERE / ASSIGNMENT / student
        for filename, nb in files.items():
            path = folder / filename
            text = _text(nb)
            if path.is_file() and path.read_text() == text:
                continue
            stale.append(str(path.relative_to(ROOT)))
            if not args.check:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("rewrote " + ", ".join(stale)) if stale else "samples are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
