"""Every lecture notebook executes top to bottom in a fresh kernel, and is committed clean."""

import time
from pathlib import Path

import nbformat
import pytest
from qsp.lectures import execute_notebook, lecture_notebooks, main

LECTURES = lecture_notebooks()
SECONDS_ALLOWED = 60


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_there_are_lectures_for_modules_0_to_2():
    modules = {path.parent.name for path in LECTURES}
    assert {"00-tools", "01-life-tables", "02-projection"} <= modules, f"lecture modules found: {sorted(modules)}"


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not dirty, f"{_id(path)} has outputs in cells {dirty}: clear them (jupyter nbconvert --clear-output --inplace)"


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_executes_in_a_fresh_kernel(path):
    start = time.perf_counter()
    execute_notebook(path, timeout=SECONDS_ALLOWED * 2)
    seconds = time.perf_counter() - start
    assert seconds < SECONDS_ALLOWED, f"{_id(path)} took {seconds:.0f} s; lectures must run in well under a minute"


def test_lecture_builder_reports_a_failing_notebook_by_name(tmp_path, monkeypatch, capsys):
    import qsp.lectures as lectures

    broken = tmp_path / "modules" / "99-broken" / "01-fails.ipynb"
    broken.parent.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('on purpose')")])
    nbformat.write(notebook, broken)
    monkeypatch.setattr(lectures, "ROOT", tmp_path)
    assert main(["--out", str(tmp_path / "html"), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert "99-broken/01-fails.ipynb" in captured.err and "on purpose" in captured.err
    assert "0 of 1 lectures executed" in captured.out
