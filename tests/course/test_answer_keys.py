"""The self-check answer keys in qsp/grading/keys/ are in sync with the solutions and their typical mistakes.

Re-recording a key runs the solution once and once more per typical mistake; the sync test runs
the solution only (``mistakes=False``) and compares the right answers and hints, and checks that
the mistakes were recorded from the current solution and ``mistakes.toml`` (their fingerprint).
"""

import importlib.util
import json
from pathlib import Path

import pytest
from qsp.course.keys import (
    MISTAKES_FILE,
    key_path,
    make_keys,
    mistakes_in_sync,
    read_mistakes,
    without_mistakes,
)
from qsp.course.layout import Course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_key_is_in_sync_with_the_solution(assignment, tmp_path):
    committed = key_path(assignment)
    assert committed.is_file(), f"no answer key for {assignment}: run `qsp course keys {assignment}`"
    course = Course.find(ROOT / "course")
    key = json.loads(committed.read_text())
    assert mistakes_in_sync(course, assignment, key), (
        f"the typical mistakes of {assignment} were recorded from another solution or {MISTAKES_FILE}: "
        f"run `qsp course keys {assignment}`")
    fresh = make_keys(course, assignment, output=tmp_path / "key.json", mistakes=False)
    assert json.loads(fresh.read_text()) == without_mistakes(key), (
        f"the answer key of {assignment} is out of date: run `qsp course keys {assignment}`"
    )
    tiers = [set(task.get("hints", {})) for task in key["tasks"].values()]
    assert all(t == {"idea", "method", "code"} for t in tiers), "every self-check task needs the three hint tiers"


def _sample_mistakes(assignment: str) -> dict[str, dict[str, str]]:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tests" / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample_set = module.sample_sets()[assignment]
    samples = sample_set.build()
    release = samples["reference"][f"{assignment}.ipynb"]
    reference = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in release.cells}
    found = {}
    for student in sample_set.mistakes:
        notebook = samples[student][f"{assignment}.ipynb"]
        found[student] = {c.metadata["nbgrader"]["grade_id"]: c.source for c in notebook.cells
                          if c.metadata.get("nbgrader", {}).get("solution")
                          and c.source != reference.get(c.metadata["nbgrader"]["grade_id"])}
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_sample_mistake_is_a_declared_and_recorded_typical_mistake(assignment):
    declared = read_mistakes(ROOT / "solutions" / assignment / MISTAKES_FILE)
    cells = {(grade_id, code.strip("\n")) for mistake in declared for grade_id, code in mistake.cells.items()}
    for student, answers in _sample_mistakes(assignment).items():
        for grade_id, code in answers.items():
            assert (grade_id, code.strip("\n")) in cells, (
                f"the mistake of the sample {student} in {grade_id} is not in solutions/{assignment}/{MISTAKES_FILE}")
    key = json.loads(key_path(assignment).read_text())
    named = {m["says"] for task in key["tasks"].values() for m in task.get("mistakes", [])}
    assert {m.says for m in declared} <= named, "a declared mistake is named by no self-check: re-record the key"


def test_the_committed_key_names_the_a0_mistake_of_the_issue():
    # ps01 Task 1 with a_0 = 0.5 for everyone: the self-check names it, without the answer
    from qsp.grading.selfcheck import diagnose, is_right

    verdict, _, said = diagnose("ps01-life-tables/1", [0.5, 0.5])
    assert verdict is False and said.startswith("this is what you get with a_0 = 0.5 for everyone")
    assert not is_right("ps01-life-tables/1", [0.5, 0.5])
