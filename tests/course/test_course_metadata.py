"""Every assignment's nbgrader metadata is valid; its samples are declared and in sync with the release."""

import importlib.util
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


SAMPLE_SETS = _load_samples_module().sample_sets()


def test_every_assignment_declares_its_samples():
    # DESIGN.md section 5: every assignment is tested automatically (tests/course/test_course_pipeline.py)
    missing = [a for a in ASSIGNMENTS if a not in SAMPLE_SETS]
    assert not missing, (f"no sample submissions declared for {', '.join(missing)}: add them to "
                         "tests/samples/make_samples.py (or tests/samples/<assignment>/_make_samples.py)")


@pytest.mark.parametrize("assignment", sorted(SAMPLE_SETS))
def test_samples_are_in_sync_with_the_release(assignment):
    module = _load_samples_module()
    sample_set = SAMPLE_SETS[assignment]
    built = sample_set.build()
    assert sorted(built) == sorted(sample_set.expected), "every sample needs its designed points, and vice versa"
    assert sample_set.students_on_disk() == sorted(built), (
        f"tests/samples/{assignment}/ does not hold exactly the declared samples: run tests/samples/make_samples.py"
    )
    for student, files in built.items():
        for filename, nb in files.items():
            path = sample_set.folder / student / filename
            assert path.read_text() == module._text(nb), f"{path} is out of date: run tests/samples/make_samples.py"
