"""Repairs of damaged submissions and the feedback preprocessor, on small notebooks (fast)."""

import copy
import os
import sys
from pathlib import Path

import nbformat
import pytest
from qsp.course import repair
from qsp.course.layout import find_course_root

ROOT = Path(__file__).resolve().parents[2]


def _graded(cell, grade_id, **flags):
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                                 "locked": False, "task": False, **flags}
    return cell


def _release():
    v4 = nbformat.v4
    return v4.new_notebook(cells=[
        v4.new_markdown_cell("# Task 1"),
        _graded(v4.new_code_cell("# YOUR CODE HERE\nraise NotImplementedError()"), "t1-answer", solution=True),
        _graded(v4.new_code_cell("check(total)"), "t1-test", grade=True, locked=True, points=1),
        v4.new_markdown_cell("# Task 2"),
        _graded(v4.new_code_cell("# YOUR CODE HERE\nraise NotImplementedError()"), "t2-answer", solution=True),
        _graded(v4.new_code_cell("check(share)"), "t2-test", grade=True, locked=True, points=2),
    ])


def _submission():
    nb = copy.deepcopy(_release())
    nb.cells[1].source = "total = population.sum(axis=-1)"
    nb.cells[4].source = "share = old / total"
    return nb


def test_copies_of_a_graded_cell_become_ordinary_cells_keeping_the_first():
    nb = _submission()
    nb.cells.insert(3, copy.deepcopy(nb.cells[2]))  # the test pasted below itself
    messages = repair.deduplicate_grade_ids(nb)
    assert messages == ["graded cell 't1-test' appears 2 times (a copied or split cell): the first is graded, "
                        "the copies are treated as ordinary cells"]
    assert repair.grade_id(nb.cells[2]) == "t1-test"
    assert "nbgrader" not in nb.cells[3].metadata  # removed, not left as {} (nbgrader#1083)
    assert repair.deduplicate_grade_ids(nb) == []


def test_repeated_cell_ids_are_renumbered():
    nb = _submission()
    for cell in nb.cells:
        cell["id"] = "same"
    messages = repair.deduplicate_cell_ids(nb)
    assert len({cell["id"] for cell in nb.cells}) == len(nb.cells)
    assert "repeated an nbformat cell id (same)" in messages[0]


def test_stripped_metadata_is_restored_by_aligning_with_the_release():
    nb = _submission()
    nb.cells.insert(2, nbformat.v4.new_code_cell("print(total)"))  # the learner added a cell
    for cell in nb.cells:
        cell.metadata = nbformat.NotebookNode()
    restored = repair.restore_metadata(nb, _release())
    assert restored == ["t1-answer", "t1-test", "t2-answer", "t2-test"]
    assert repair.grade_id(nb.cells[1]) == "t1-answer" and nb.cells[1].source.startswith("total =")
    assert "nbgrader" not in nb.cells[2].metadata  # the learner's extra cell stays ordinary
    assert repair.grade_id(nb.cells[3]) == "t1-test"
    assert repair.missing_grade_ids(nb, _release()) == []


def test_restore_leaves_intact_cells_alone_and_reports_deleted_ones():
    nb = _submission()
    del nb.cells[5]  # a deleted test
    nb.cells[4].metadata = nbformat.NotebookNode()  # and an answer that lost its metadata
    assert repair.restore_metadata(nb, _release()) == ["t2-answer"]
    assert repair.missing_grade_ids(nb, _release()) == ["t2-test"]


def test_hide_hidden_tests_keeps_the_failure_message_only():
    from qsp.course.preprocessors import HideHiddenTests

    cell = nbformat.v4.new_code_cell(
        "# Hidden tests (2 points)\n### BEGIN HIDDEN TESTS\ncheck_close('x', x, 0.0926)\n### END HIDDEN TESTS"
    )
    cell.outputs = [nbformat.v4.new_output(
        "error", ename="WrongValueError", evalue="x is not right yet.\n  expected: 0.0926",
        traceback=["\x1b[0;31m---------\x1b[0m", "\x1b[0;32m----> 3\x1b[0m check_close('x', x, 0.0926)",
                   "\x1b[0;31mWrongValueError\x1b[0m: x is not right yet."],
    )]
    visible = nbformat.v4.new_code_cell("check_type('x', x, float)")
    visible.outputs = [nbformat.v4.new_output("error", ename="WrongTypeError", evalue="no", traceback=["a", "b"])]
    nb = nbformat.v4.new_notebook(cells=[cell, visible])
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert nb.cells[0].source == "# Hidden tests (2 points)\n# (hidden tests: not shown in feedback)"
    assert nb.cells[0].outputs[0].traceback == ["WrongValueError: x is not right yet.\n  expected: 0.0926"]
    assert nb.cells[1].outputs[0].traceback == ["a", "b"]  # visible tests keep their traceback


def test_course_root_is_found_from_the_checkout_and_errors_say_how_to_fix(tmp_path, monkeypatch):
    assert find_course_root(ROOT / "course") == ROOT / "course"
    monkeypatch.chdir(ROOT / "tools")
    monkeypatch.delenv("QSP_COURSE_DIR", raising=False)
    assert find_course_root() == ROOT / "course"
    with pytest.raises(FileNotFoundError, match="pass --course-dir"):
        find_course_root(tmp_path)


def test_venv_bin_goes_first_on_path(monkeypatch):
    from qsp.course.layout import ensure_venv_on_path

    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", str(Path(sys.executable).parent)]))
    ensure_venv_on_path()
    parts = os.environ["PATH"].split(os.pathsep)
    assert parts[0] == str(Path(sys.executable).parent) and parts.count(parts[0]) == 1


def test_kernels_of_grading_processes_use_private_unix_sockets():
    from qsp.kernels import kernel_sockets

    first, first_folder = kernel_sockets()
    second, second_folder = kernel_sockets()
    try:
        assert first["KernelManager.transport"] == "ipc"  # no TCP ports two grading processes could both pick
        assert first["KernelManager.ip"] != second["KernelManager.ip"]
        assert Path(first["KernelManager.ip"]).parent == Path(first_folder) and Path(first_folder).is_dir()
        assert len(first["KernelManager.ip"]) + len("-65535") < 100  # the limit of a Unix socket path
    finally:
        for folder in (first_folder, second_folder):
            Path(folder).rmdir()


def test_only_failures_before_student_code_runs_are_retried():
    from qsp.course.autograding import _TRANSIENT

    assert _TRANSIENT.search("RuntimeError: Kernel died before replying to kernel_info")
    assert _TRANSIENT.search("sqlite3.OperationalError: database is locked")
    assert _TRANSIENT.search("RuntimeError: Kernel didn't respond in 60 seconds")
    assert not _TRANSIENT.search("DeadKernelError: Kernel died")  # the student's code killed it: graded as is
    assert not _TRANSIENT.search("JSONDecodeError: Expecting value")


def test_sample_folders_are_the_ones_holding_notebooks(tmp_path):
    from qsp.course.actions import sample_students

    for name in ("reference", "blank", "__pycache__", "_scratch", ".ipynb_checkpoints", "empty"):
        (tmp_path / name).mkdir()
    for name in ("reference", "blank", "__pycache__", "_scratch", ".ipynb_checkpoints"):
        (tmp_path / name / "ps00-tools.ipynb").write_text("{}")
    (tmp_path / "_make_samples.py").write_text("")
    assert [p.name for p in sample_students(tmp_path)] == ["blank", "reference"]
    assert sample_students(tmp_path / "nowhere") == []
