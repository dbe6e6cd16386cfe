"""Self-check answer keys, recorded by executing the solution notebooks.

``qsp course keys ps00-tools`` runs ``solutions/ps00-tools/*.ipynb`` top to bottom in a fresh
kernel with ``QSP_SELFCHECK_RECORD`` set: every ``check_answer(task, value)`` then records the
salted hashes of ``value`` and every ``selfcheck_hint(task, text)`` its hint (see
:mod:`qsp.grading.selfcheck`). The key is written to ``qsp/grading/keys/<assignment>.json``.
The salt of an existing key is kept, so re-recording an unchanged solution gives the same
file (a test checks that the committed keys are in sync with the solutions).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .actions import CourseError
from .layout import Course


def key_path(assignment: str) -> Path:
    """Where the answer key of ``assignment`` is stored in the package."""
    from qsp.grading.selfcheck import KEYS_DIRECTORY

    return KEYS_DIRECTORY / f"{assignment}.json"


def _execute(notebook: Path, environment: dict[str, str], timeout: int) -> list[str]:
    """Execute ``notebook`` in its folder; return the errors of failing cells."""
    import nbformat
    from nbclient import NotebookClient

    from ..kernels import socket_kernel_config

    nb = nbformat.read(notebook, as_version=4)
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        # no TCP ports that a kernel started next to it could also pick
        with socket_kernel_config() as config:
            client = NotebookClient(
                nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                resources={"metadata": {"path": str(notebook.parent)}}, config=config,
            )
            client.execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(f"{notebook.name} cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return errors


def make_keys(course: Course, assignment: str, *, output: str | os.PathLike | None = None, timeout: int = 120) -> Path:
    """Record the self-check answer key of ``assignment`` from its solution notebooks.

    Parameters
    ----------
    course : Course
    assignment : str
        A folder of ``solutions/``.
    output : path, optional
        Where to write the key (default: the package's ``qsp/grading/keys/<assignment>.json``).
        The salt is taken from the existing key at the default location, if any.
    timeout : int
        Seconds a cell may run.

    Returns
    -------
    Path
        The key file written.

    Raises
    ------
    CourseError
        If a cell of the solution fails (a solution must run cleanly), or no task was recorded.
    """
    from qsp.grading.selfcheck import RECORD_ENVIRONMENT_VARIABLE, new_key

    notebooks = course.source_notebooks(assignment)
    if not notebooks:
        raise CourseError(f"no solution notebook in {course.source / assignment}")
    default = key_path(assignment)
    salt = json.loads(default.read_text())["salt"] if default.is_file() else None
    target = Path(output) if output is not None else default
    handle, scratch = tempfile.mkstemp(prefix=f"qsp-key-{assignment}-", suffix=".json")
    os.close(handle)
    try:
        Path(scratch).write_text(json.dumps(new_key(assignment, salt=salt)))
        environment = {RECORD_ENVIRONMENT_VARIABLE: scratch, "MPLBACKEND": "Agg"}
        errors = []
        for notebook in notebooks:
            errors += _execute(notebook, environment, timeout)
        if errors:
            raise CourseError("the solution must run without errors to record its answer key:\n" + "\n".join(errors))
        key = json.loads(Path(scratch).read_text())
    finally:
        Path(scratch).unlink(missing_ok=True)
    if not key["tasks"]:
        raise CourseError(f"no check_answer(...) call ran in {assignment}: nothing to record")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(key, indent=1, sort_keys=True) + "\n")
    return target
