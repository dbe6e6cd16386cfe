"""Every assignment's nbgrader metadata is valid; samples and the release are in sync; the CLI answers."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from qsp.course.layout import Course
from qsp.course.validate import validate_assignment, validate_release, validate_source

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def _load_samples_module():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tests" / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_at_least_one_assignment():
    assert "ps00-tools" in ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_metadata_is_valid(assignment):
    course = Course.find(ROOT / "course")
    assert validate_assignment(course, assignment) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_and_grade_ids(assignment):
    for path in sorted((ROOT / "solutions" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        graded = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
        ids = [m["grade_id"] for m in graded]
        assert len(ids) == len(set(ids)), f"{path.name}: repeated grade ids"
        tests = [m for m in graded if m.get("grade") and not m.get("solution")]
        assert tests and all(m.get("points", 0) > 0 for m in tests)
        assert all(m.get("locked") for m in tests)


def test_validator_catches_leaked_solutions_and_missing_points(tmp_path):
    source = nbformat.read(ROOT / "solutions" / "ps00-tools" / "ps00-tools.ipynb", as_version=4)
    release = nbformat.read(ROOT / "exercises" / "ps00-tools" / "ps00-tools.ipynb", as_version=4)
    answer = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-answer")
    leaked = next(c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-answer")
    leaked.source = answer.source
    test = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-visible")
    test.metadata["nbgrader"]["points"] = 0
    nbformat.write(source, tmp_path / "source.ipynb")
    nbformat.write(release, tmp_path / "release.ipynb")
    source_problems = validate_source(tmp_path / "source.ipynb")
    assert any("task1-visible has no points" in p for p in source_problems)
    release_problems = validate_release(tmp_path / "source.ipynb", tmp_path / "release.ipynb")
    assert any("solution code left in task1-answer" in p for p in release_problems)
    assert any("still contains 'BEGIN SOLUTION'" in p for p in release_problems)


def test_samples_are_in_sync_with_the_release():
    module = _load_samples_module()
    for student, files in module.build().items():
        for filename, nb in files.items():
            path = ROOT / "tests" / "samples" / "ps00-tools" / student / filename
            assert path.read_text() == module._text(nb), f"{path} is out of date: run tests/samples/make_samples.py"
    assert set(module.EXPECTED) == {p.name for p in (ROOT / "tests" / "samples" / "ps00-tools").iterdir()}


def test_cli_help_lists_the_course_steps():
    out = subprocess.run([sys.executable, "-m", "qsp.cli", "course", "--help"], capture_output=True, text=True, check=True)
    for step in ("release", "autograde", "feedback", "export", "status", "keys", "check"):
        assert step in out.stdout
    script = Path(sys.executable).parent / "qsp"
    assert script.is_file(), "the `qsp` console script is not installed (pip install -e .)"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "usage: qsp" in out.stdout
