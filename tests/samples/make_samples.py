"""Build the sample submissions of every assignment, and declare the points each must score.

    .venv/bin/python tests/samples/make_samples.py                    # rewrite tests/samples/<assignment>/
    .venv/bin/python tests/samples/make_samples.py --check            # exit 1 if a sample is out of date
    .venv/bin/python tests/samples/make_samples.py ps02-projection    # only this assignment
    .venv/bin/python tests/samples/make_samples.py --list             # assignments, samples, designed points

A sample is what a student would hand in: the released notebook with the answer cells filled
in (``reference``: the solution code; the ``mistake-*`` samples: typical wrong answers), or
left as released (``blank``), or damaged the way real submissions get damaged (copied cells,
a renamed file, metadata stripped by another editor, a deleted test cell). Each sample lives in
``tests/samples/<assignment>/<student>/``.

This file is the one place where the designed points are declared: :func:`sample_sets` returns,
per assignment, a :class:`SampleSet` with ``expected`` (points each sample must score) and
``max_score``; the grading tests (tests/course/) read them from here. An assignment can also
keep its samples next to them, in ``tests/samples/<assignment>/_make_samples.py`` (a module
with ``MISTAKES``, ``EXPECTED``, ``MAX_SCORE`` and ``build()``, built with the helpers below);
:func:`sample_sets` picks such a module up for an assignment not declared here.

Re-run this script after changing a solution notebook (and releasing it).
"""

# (no ``from __future__ import annotations``: the per-assignment modules load this file without
# registering it in sys.modules, and dataclasses need real annotations then)
import argparse
import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

Samples = dict[str, dict[str, nbformat.NotebookNode]]
"""``{student: {file name: notebook}}``."""


@dataclass(frozen=True)
class SampleSet:
    """The sample submissions of one assignment and the points each must score."""

    assignment: str
    max_score: float
    expected: Mapping[str, float]
    """Points (out of ``max_score``) that each sample, by student name, must score."""
    build: Callable[[], Samples] = field(repr=False)
    """Builds the samples from the committed release and solution."""
    declared_in: Path = field(default=Path(__file__).resolve())

    @property
    def folder(self) -> Path:
        return HERE / self.assignment

    @property
    def mistakes(self) -> dict[str, float]:
        """The typical-mistake samples (``mistake-*``) and their points."""
        return {name: points for name, points in self.expected.items() if name.startswith("mistake-")}

    def students_on_disk(self) -> list[str]:
        """Sample folders present in ``tests/samples/<assignment>/`` (a folder holding a notebook)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name for p in self.folder.iterdir()
            if p.is_dir() and not p.name.startswith(("_", ".")) and any(p.glob("*.ipynb"))
        )


# --------------------------------------------------------------------------- helpers (also used by
# the per-assignment ``_make_samples.py`` modules: keep their names)


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _solution_code(source: str) -> str:
    lines = source.split("\n")
    return "\n".join(line for line in lines if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def _filled(release, solution, replacements: dict[str, str]):
    """The release with every answer cell filled with the solution, or with ``replacements[grade id]``."""
    answers = {_grade_id(c): c.source for c in solution.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        name = _grade_id(cell)
        if name in replacements:
            cell.source = replacements[name]
        elif name in answers:
            cell.source = _solution_code(answers[name])
    return nb


def _text(nb) -> str:
    # written like nbformat does, but without its validation, which would renumber repeated cell ids
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _notebooks(assignment: str):
    release = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return release, solution


def typical_samples(assignment: str, mistakes: dict[str, dict[str, str]]) -> Samples:
    """``reference`` (the solution), ``blank`` (the release) and one sample per entry of ``mistakes``."""
    release, solution = _notebooks(assignment)
    name = f"{assignment}.ipynb"
    samples = {
        "reference": {name: _filled(release, solution, {})},
        "blank": {name: copy.deepcopy(release)},
    }
    for student, replacements in mistakes.items():
        samples[student] = {name: _filled(release, solution, replacements)}
    return samples


# --------------------------------------------------------------------------- ps00-tools

# Typical mistakes, per answer cell: the code a student might write instead of the solution.
PS00_MISTAKES = {
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

PS00_MAX_SCORE = 14.0
PS00_EXPECTED = {
    "reference": 14.0,
    "blank": 0.0,
    "mistake-percent": 8.0,   # loses task 2 (3 points) and task 3's hidden test (3 points)
    "mistake-axis": 7.0,      # loses task 1 (3 points) and task 4 (4 points)
    "copied-cells": 14.0,     # reference answers; copied cells and a renamed file, repaired
    "stripped-metadata": 7.0,  # the mistake-axis answers, with all nbgrader metadata stripped
    "deleted-test": 14.0,     # reference answers with a hidden test cell deleted: nbgrader puts it back
}


def build_ps00() -> Samples:
    """The typical samples of ps00-tools, and three damaged the way real submissions get damaged."""
    assignment = "ps00-tools"
    release, solution = _notebooks(assignment)
    name = f"{assignment}.ipynb"
    samples = typical_samples(assignment, PS00_MISTAKES)

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


# --------------------------------------------------------------------------- ps02-projection

PS02_MISTAKES = {
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

PS02_MAX_SCORE = 20.0
PS02_EXPECTED = {
    "reference": 20.0,
    "blank": 0.0,
    "mistake-open-age": 18.0,        # task 1 open group (1) and task 3 hidden (1)
    "mistake-start-exposure": 16.0,  # task 2 hidden (2 + 1) and task 3 hidden (1)
    "mistake-scenario": 11.0,        # task 4 visible and hidden (3), task 5 all (4), task 6 hidden (2)
}


# --------------------------------------------------------------------------- the register

DECLARED = {
    "ps00-tools": (PS00_MAX_SCORE, PS00_EXPECTED, build_ps00),
    "ps02-projection": (PS02_MAX_SCORE, PS02_EXPECTED, lambda: typical_samples("ps02-projection", PS02_MISTAKES)),
}
"""Assignments whose samples are declared in this file: ``name: (max score, expected, build)``."""

LOCAL_MODULE = "_make_samples.py"
"""An assignment may declare its samples in ``tests/samples/<assignment>/_make_samples.py``."""


def _load_local(path: Path):
    name = f"_samples_{path.parent.name.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for attribute in ("EXPECTED", "MAX_SCORE", "build"):
        if not hasattr(module, attribute):
            raise ValueError(f"{path} must define {attribute} (see {Path(__file__).name}'s docstring)")
    return module


def sample_sets() -> dict[str, SampleSet]:
    """Every assignment of ``solutions/`` whose samples are declared, here or in its ``_make_samples.py``.

    An assignment declared in both places is an error (the points must be declared once).
    """
    sets = {}
    solutions = ROOT / "solutions"
    assignments = sorted(p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    for assignment in assignments:
        local = HERE / assignment / LOCAL_MODULE
        if assignment in DECLARED and local.is_file():
            raise ValueError(f"the samples of {assignment} are declared twice: in {Path(__file__).name} and in {local}")
        if assignment in DECLARED:
            max_score, expected, build = DECLARED[assignment]
            sets[assignment] = SampleSet(assignment, max_score, dict(expected), build)
        elif local.is_file():
            module = _load_local(local)
            sets[assignment] = SampleSet(assignment, float(module.MAX_SCORE), dict(module.EXPECTED), module.build, local)
    return sets


def build(assignment: str = "ps00-tools") -> Samples:
    """``{student: {file name: notebook}}`` of every sample of ``assignment``."""
    return sample_sets()[assignment].build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: all with declared samples")
    parser.add_argument("--check", action="store_true", help="only check that the samples are up to date")
    parser.add_argument("--list", action="store_true", help="list the samples and their designed points")
    args = parser.parse_args(argv)
    sets = sample_sets()
    unknown = [a for a in args.assignments if a not in sets]
    if unknown:
        parser.error(f"no samples declared for {', '.join(unknown)} (declared: {', '.join(sets)})")
    chosen = [sets[a] for a in (args.assignments or sets)]
    if args.list:
        for sample_set in chosen:
            points = ", ".join(f"{student} {score:g}" for student, score in sample_set.expected.items())
            print(f"{sample_set.assignment} (out of {sample_set.max_score:g}): {points}")
        return 0
    stale = []
    for sample_set in chosen:
        for student, files in sample_set.build().items():
            folder = sample_set.folder / student
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
