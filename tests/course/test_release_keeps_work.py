"""No lost work: `qsp course release` (as `make course` runs it) never overwrites a learner's answers.

Each test works on a copy of the course (course/, solutions/ps00-tools, exercises/ps00-tools and
the release record), runs the release and check steps of `make course` through the `qsp` command,
and looks at the files.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
QSP = Path(sys.executable).parent / "qsp"
ASSIGNMENT = "ps00-tools"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
ANSWER = "# my answer, typed by a learner\nx = 42\n"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader")]


@pytest.fixture
def course(tmp_path):
    (tmp_path / "course").mkdir()
    for path in (ROOT / "course").iterdir():
        if path.is_file() and path.suffix in {".py", ".md"}:
            shutil.copy2(path, tmp_path / "course" / path.name)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, tmp_path / "exercises" / ASSIGNMENT)
    record = json.loads((ROOT / "exercises" / ".release-record.json").read_text())
    (tmp_path / "exercises" / ".release-record.json").write_text(json.dumps({ASSIGNMENT: record[ASSIGNMENT]}))
    return tmp_path


def _qsp(base: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(QSP), "course", *argv, "--course-dir", str(base / "course")],
                          capture_output=True, text=True, timeout=300)


def _answer_in_first_answer_cell(path: Path, text: str = ANSWER) -> None:
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    cell.source = text
    nbformat.write(notebook, path)


def _change_the_solutions(base: Path) -> None:
    """An instructor's change to the assignment: one more markdown cell at the end."""
    path = base / "solutions" / ASSIGNMENT / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("An erratum from the instructor."))
    nbformat.write(notebook, path)


def test_make_course_steps_keep_a_learners_edit(course):
    exercise = course / "exercises" / ASSIGNMENT / NOTEBOOK
    _answer_in_first_answer_cell(exercise)
    edited = exercise.read_bytes()
    released = _qsp(course, "release")
    checked = _qsp(course, "check")
    assert released.returncode == 0, released.stdout + released.stderr
    assert exercise.read_bytes() == edited, "the release overwrote the learner's answer"
    assert f"kept {exercise}" in released.stdout and "your work?" in released.stdout
    assert sorted(p.name for p in exercise.parent.iterdir()) == ["population.csv", NOTEBOOK]  # nothing new beside
    # The check of `make course` passes (the release is up to date) and names the changed file.
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"note: exercises/{ASSIGNMENT}/{NOTEBOOK} was changed since it was released" in checked.stdout
    strict = _qsp(course, "check", "--strict")
    assert strict.returncode == 1 and "was changed since it was released" in strict.stdout


def test_a_new_release_goes_beside_the_learners_copy(course):
    exercise = course / "exercises" / ASSIGNMENT / NOTEBOOK
    _answer_in_first_answer_cell(exercise)
    edited = exercise.read_bytes()
    _change_the_solutions(course)
    stale = _qsp(course, "check")
    assert stale.returncode == 1 and "the last release differs from a fresh release (run qsp course release)" in stale.stdout
    released = _qsp(course, "release")
    assert released.returncode == 0, released.stderr
    assert exercise.read_bytes() == edited
    beside = sorted(exercise.parent.glob(f"{ASSIGNMENT}.new-release-*.ipynb"))
    assert len(beside) == 1 and f"written beside it as {beside[0].name}" in released.stdout
    assert "An erratum from the instructor." in beside[0].read_text()
    assert _qsp(course, "check").returncode == 0
    again = _qsp(course, "release")  # a second `make course`: nothing more written, the edit still there
    assert exercise.read_bytes() == edited and "kept" in again.stdout
    assert len(list(exercise.parent.glob("*.ipynb"))) == 2


def test_force_replaces_the_learners_copy_and_keeps_a_backup(course):
    exercise = course / "exercises" / ASSIGNMENT / NOTEBOOK
    pristine = exercise.read_bytes()
    _answer_in_first_answer_cell(exercise)
    edited = exercise.read_bytes()
    forced = _qsp(course, "release", "--force")
    assert forced.returncode == 0, forced.stderr
    assert exercise.read_bytes() == pristine
    backups = list(exercise.parent.glob(f"{ASSIGNMENT}.backup-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    assert f"your copy is saved as {backups[0].name}" in forced.stdout
    assert _qsp(course, "check", "--strict").returncode == 0  # the backup is the learner's own file


def test_an_untouched_release_is_updated_and_a_learners_own_files_are_left(course):
    folder = course / "exercises" / ASSIGNMENT
    (folder / "my-notes.txt").write_text("scratch work")
    _change_the_solutions(course)
    released = _qsp(course, "release")
    assert released.returncode == 0, released.stderr
    assert "An erratum from the instructor." in (folder / NOTEBOOK).read_text()
    assert (folder / "my-notes.txt").read_text() == "scratch work"
    assert not list(folder.glob("*.new-release-*")) and "kept" not in released.stdout
    assert _qsp(course, "check", "--strict").returncode == 0


def test_a_damaged_release_record_is_a_clear_error(course):
    (course / "exercises" / ".release-record.json").write_text("{not json")
    result = _qsp(course, "release")
    assert result.returncode == 1
    assert ".release-record.json is not valid JSON" in result.stderr and "Traceback" not in result.stderr
