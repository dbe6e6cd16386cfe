"""Every lecture notebook executes top to bottom in a fresh kernel, and is committed clean."""

import os
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LECTURES = sorted((ROOT / "modules").glob("*/*.ipynb"))
SECONDS_ALLOWED = 60


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_there_are_lectures():
    assert LECTURES, "modules/ holds no lecture notebooks"


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not dirty, f"{_id(path)} has outputs in cells {dirty}: clear them (jupyter nbconvert --clear-output --inplace)"


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_executes_in_a_fresh_kernel(path, tmp_path):
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    os.environ.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(notebook, timeout=SECONDS_ALLOWED * 2, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    assert seconds < SECONDS_ALLOWED, f"{_id(path)} took {seconds:.0f} s; lectures must run in well under a minute"
