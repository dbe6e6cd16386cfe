"""The self-check answer keys in qsp/grading/keys/ are in sync with the solutions (slow: runs them)."""

import json
from pathlib import Path

import pytest
from qsp.course.keys import key_path, make_keys
from qsp.course.layout import Course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_key_is_in_sync_with_the_solution(assignment, tmp_path):
    committed = key_path(assignment)
    assert committed.is_file(), f"no answer key for {assignment}: run `qsp course keys {assignment}`"
    fresh = make_keys(Course.find(ROOT / "course"), assignment, output=tmp_path / "key.json")
    assert json.loads(fresh.read_text()) == json.loads(committed.read_text()), (
        f"the answer key of {assignment} is out of date: run `qsp course keys {assignment}`"
    )
    tasks = json.loads(committed.read_text())["tasks"]
    assert all(task.get("hint") for task in tasks.values()), "every self-check task needs a hint"
