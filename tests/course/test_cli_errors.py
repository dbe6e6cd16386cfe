"""Every `qsp course` step, invoked wrongly, ends with one clear line and a non-zero exit (no traceback).

The course here is a copy of ps00-tools' source with one submission folder (``ada``) and nothing
graded: cheap, no notebook is run and no grading process is started. The grade export is tested
on a gradebook filled through nbgrader's API (one graded, one not graded, one missing student).
"""

import contextlib
import csv
import io
import shutil
from pathlib import Path

import pytest
from qsp.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("cli-errors")
    (base / "course").mkdir()
    shutil.copy2(ROOT / "course" / "nbgrader_config.py", base / "course" / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / "ps00-tools", base / "solutions" / "ps00-tools")
    (base / "course" / "submitted" / "ada" / "ps00-tools").mkdir(parents=True)
    return base / "course"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code
    return code, out.getvalue(), err.getvalue()


# (arguments after `qsp course`, the text the one error line must hold)
WRONG = [
    (["autograde", "ps00-tools", "--memory-mb", "-1"], "--memory-mb must be 0 (no limit) or at least 512 MiB"),
    (["autograde", "--memory-mb", "100000000"], "more than this machine's memory"),
    (["autograde", "ps00-tools", "--jobs", "0"], "--jobs must be between 1 and"),
    (["autograde", "ps00-tools", "--jobs", "-4"], "--jobs must be between 1 and"),
    (["autograde", "ps00-tools", "--jobs", "100000"], "--jobs must be between 1 and"),
    (["autograde", "ps00-tools", "--timeout", "0"], "--timeout must be between 1 and 86400"),
    (["autograde", "ps00-tools", "--timeout", "99999999"], "--timeout must be between 1 and 86400"),
    (["autograde", "ps99-nothing"], "no assignment 'ps99-nothing'"),
    (["autograde", "ps00-tools", "--student", "nobody"], "no submission of ps00-tools by nobody in"),
    (["autograde", "--student", "nobody"], "no submission of any assignment by nobody in"),
    (["autograde", "--jobs", "abc"], "invalid int value: 'abc'"),
    (["feedback"], "nothing is graded yet"),
    (["feedback", "ps00-tools"], "nothing of ps00-tools is graded yet"),
    (["feedback", "ps99-nothing"], "no assignment 'ps99-nothing'"),
    (["feedback", "ps00-tools", "--student", "nobody"], "nothing of ps00-tools is graded yet"),
    (["export"], "nothing to export"),
    (["export", "--assignment", "ps99-nothing"], "nothing to export"),
    (["keys", "ps99-nothing"], "no assignment 'ps99-nothing'"),
    (["keys", "ps99-nothing", "--check"], "no assignment 'ps99-nothing'"),
    (["check", "ps99-nothing"], "no assignment 'ps99-nothing'"),
    (["release", "ps99-nothing"], "no assignment ps99-nothing"),
    (["samples", "--jobs", "0"], "--jobs must be between 1 and"),
    (["samples", "--jobs", "1000"], "--jobs must be between 1 and"),
    (["nonsense"], "invalid choice: 'nonsense'"),
]


@pytest.mark.parametrize(("arguments", "says"), WRONG, ids=[" ".join(a) for a, _ in WRONG])
def test_a_wrong_invocation_ends_with_one_clear_line_and_a_non_zero_exit(course, arguments, says):
    code, out, err = _run(["course", *arguments, "--course-dir", str(course)]
                          if arguments != ["nonsense"] else ["course", *arguments])
    assert code != 0, f"exit 0 for a wrong invocation: {out}{err}"
    last = err.strip().splitlines()[-1]
    assert says in last, f"the last line does not say what is wrong: {last!r}"
    assert "Traceback" not in out + err


@pytest.mark.parametrize("arguments", [["autograde"], ["autograde", "ps00-tools"]])
def test_autograde_with_no_submission_is_an_error(tmp_path, arguments):
    (tmp_path / "course").mkdir()
    shutil.copy2(ROOT / "course" / "nbgrader_config.py", tmp_path / "course" / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / "ps00-tools", tmp_path / "solutions" / "ps00-tools")
    code, _, err = _run(["course", *arguments, "--course-dir", str(tmp_path / "course")])
    assert code == 1 and err.strip().splitlines() == [err.strip()] and "nothing to grade: no submission" in err
    assert not (tmp_path / "course" / "gradebook.db").exists()


def test_a_missing_course_folder_is_one_line(tmp_path):
    code, _, err = _run(["course", "status", "--course-dir", str(tmp_path / "nowhere")])
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_unforeseen_failure_is_one_line_and_qsp_debug_shows_the_traceback(course, monkeypatch):
    import qsp.course.gradebook

    def broken(*args, **kwargs):
        raise RuntimeError("while reading the gradebook:\nthe gradebook is corrupt")

    monkeypatch.setattr(qsp.course.gradebook, "course_status", broken)
    code, _, err = _run(["course", "status", "--course-dir", str(course)])
    assert code == 1 and err.strip().splitlines() == [
        "qsp: error: RuntimeError: the gradebook is corrupt (set QSP_DEBUG=1 for the traceback)"]
    monkeypatch.setenv("QSP_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["course", "status", "--course-dir", str(course)])


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    """A gradebook with ps00-tools (14 points): ada graded (10), bob submitted but not graded, cy missing."""
    from nbgrader.api import Gradebook
    from qsp.course.layout import ensure_venv_on_path

    ensure_venv_on_path()  # nbgrader runs `alembic` to create the gradebook
    tmp_path = tmp_path_factory.mktemp("graded")
    (tmp_path / "course").mkdir()
    shutil.copy2(ROOT / "course" / "nbgrader_config.py", tmp_path / "course" / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / "ps00-tools", tmp_path / "solutions" / "ps00-tools")
    course = tmp_path / "course"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "qsp") as gradebook:
        gradebook.add_assignment("ps00-tools")
        gradebook.add_notebook("ps00-tools", "ps00-tools")
        gradebook.add_grade_cell("task1", "ps00-tools", "ps00-tools", max_score=14, cell_type="code")
        for student in ("ada", "bob", "cy"):
            gradebook.add_student(student)
        gradebook.add_submission("ps00-tools", "ada")
        grade = gradebook.find_grade("task1", "ps00-tools", "ps00-tools", "ada")
        grade.auto_score = 10.0
        grade.needs_manual_grade = False
        gradebook.db.commit()
    (course / "autograded" / "ada" / "ps00-tools").mkdir(parents=True)
    (course / "submitted" / "ada" / "ps00-tools").mkdir(parents=True)
    (course / "submitted" / "bob" / "ps00-tools").mkdir(parents=True)
    return course


def _csv(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_long_and_wide_files_and_no_zero_for_a_missing_submission(graded_course, tmp_path):
    code, out, err = _run(["course", "export", "--to", str(tmp_path / "g.csv"), "--course-dir", str(graded_course)])
    assert code == 0, err
    assert "1 missing submission(s) left empty" in out
    long = {row["student_id"]: row for row in _csv(tmp_path / "g.csv")}
    assert (long["ada"]["score"], long["ada"]["percent"], long["ada"]["status"]) == ("10.0", "71.43", "graded")
    assert (long["bob"]["score"], long["bob"]["status"]) == ("", "not graded")
    assert (long["cy"]["score"], long["cy"]["percent"], long["cy"]["status"]) == ("", "", "missing")
    wide = _csv(tmp_path / "g-wide.csv")
    assert list(wide[0]) == ["Student", "SIS User ID", "SIS Login ID", "Section", "ps00-tools"]
    assert (wide[0]["Student"], wide[0]["ps00-tools"]) == ("Points Possible", "14.0")
    assert {line["SIS User ID"]: line["ps00-tools"] for line in wide[1:]} == {"ada": "10.0", "bob": "", "cy": ""}


def test_export_writes_zero_for_a_missing_submission_only_when_asked(graded_course, tmp_path):
    code, out, _ = _run(["course", "export", "--to", str(tmp_path / "g.csv"), "--wide-to", str(tmp_path / "w.csv"),
                         "--missing-as-zero", "--course-dir", str(graded_course)])
    assert code == 0 and "1 missing submission(s) as 0" in out
    assert {row["student_id"]: row["score"] for row in _csv(tmp_path / "g.csv")} == {"ada": "10.0", "bob": "", "cy": "0.0"}
    assert {line["SIS User ID"]: line["ps00-tools"] for line in _csv(tmp_path / "w.csv")[1:]}["cy"] == "0.0"


@pytest.mark.parametrize(("arguments", "says"), [
    (["--assignment", "ps99-nothing"], "no grades for ps99-nothing in the gradebook; graded assignments: ps00-tools"),
    (["--to", "{tmp}"], "is a folder: give a file name"),
    (["--to", "/proc/qsp-nowhere/grades.csv"], "cannot create the folder /proc/qsp-nowhere"),
])
def test_export_refuses_unknown_assignments_and_places_it_cannot_write(graded_course, tmp_path, arguments, says):
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    code, _, err = _run(["course", "export", *arguments, "--course-dir", str(graded_course)])
    assert code == 1 and says in err.strip().splitlines()[-1] and "Traceback" not in err


def test_feedback_for_an_unknown_student_names_who_is_graded(graded_course):
    code, _, err = _run(["course", "feedback", "ps00-tools", "--student", "nobody", "--course-dir", str(graded_course)])
    assert code == 1 and "no graded submission of ps00-tools by 'nobody' (graded: ada)" in err
