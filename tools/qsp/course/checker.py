"""Run an assignment's tests on the values a student's notebook produced, in a process that never ran student code.

``python -I -m qsp.course.checker INPUT_FOLDER`` is the second phase of grading
(:mod:`qsp.course.twophase`). ``INPUT_FOLDER`` holds ``job.json`` (the instructor's cells of
the notebook, from the course's source: setup cells and test cells, in order), ``captures.zip``
(what the sandbox recorded, see :mod:`qsp.course.plaindata`) and the assignment's files. The
checker runs the instructor's cells in order in one namespace, as a kernel would:

- a *setup* cell (a code cell of the source that is neither an answer nor a test: imports,
  loading the data) runs as the instructor wrote it; the names it binds are the course's, and a
  student's notebook cannot replace them (its ``np`` or ``mx`` is not used);
- before a *test* cell, the values recorded where that cell stood in the student's notebook are
  put in the namespace (except the names the instructor's cells bound); then the test runs.
  It passes if it raises nothing. A failed check's message is kept (for a hidden test, without
  the lines that state the expected answer); any other error is reduced to one line.

It prints one JSON object: ``{"results": {grade_id: {"passed", "message", "stdout"}}, "notes": [...]}``.
Its ``-I`` (isolated) mode puts neither the working folder nor ``PYTHON*`` variables on the
import path, so nothing the student wrote can be imported here.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import shutil
import signal
import sys
from typing import Any

JOB = "job.json"
CAPTURES = "captures.zip"
MAX_MESSAGE = 4000
MAX_STDOUT = 4000


def python_source(source: str) -> str:
    """A cell's source as plain Python (IPython's ``%magics`` and ``!commands`` turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def bound_names(source: str) -> set[str]:
    """Names a cell binds anywhere (assignments, imports, definitions, loop and comprehension variables)."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


def free_names(source: str) -> list[str]:
    """Names a cell reads but does not bind itself, in order of first use (builtins left out).

    These are the values a test takes from the notebook: the answers, and whatever the earlier
    cells defined.
    """
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return []
    bound = bound_names(source)
    loaded = [node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)]
    provided = {"get_ipython", "display"}  # the shell's own
    return [name for name in dict.fromkeys(loaded)
            if name not in bound and name not in provided and not hasattr(builtins, name)]


class _CellTimeout(BaseException):
    """A test ran longer than its limit (a BaseException, so test code cannot swallow it)."""


def _on_alarm(_signum, _frame) -> None:
    raise _CellTimeout


def _one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def failure_message(error: BaseException, *, hidden: bool, names: list[str]) -> str:
    """What a learner is told about a failed test: the check's teaching message, or one line."""
    from qsp.grading.checks import AnswerError

    if isinstance(error, AnswerError):
        text = error.without_expected() if hidden else str(error)
    elif isinstance(error, NameError) and getattr(error, "name", None):
        text = (f"`{error.name}` is not defined: run the cell that computes it, and keep the name the task gives "
                "(the tests look for it by name).")
    elif isinstance(error, AssertionError):
        text = "a check failed" + (f": {str(error).splitlines()[0][:300]}" if str(error) and not hidden else ".")
    else:
        text = ("the tests could not use your answer: " + _one_line(error)
                + (f" (the test reads {', '.join(names[:6])})" if names else ""))
    return text[:MAX_MESSAGE]


def run(job: dict, captures: dict[str, dict[str, Any]], report: dict) -> dict:
    """Run the job's cells (see the module docstring); returns ``{"results": ..., "notes": ...}``."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from qsp.grading.selfcheck import set_grading

    from .plaindata import Ungradable

    set_grading(True)  # a self-check that says "not yet" only prints here: the hidden tests grade
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    namespace = shell.user_ns
    course_names: set[str] = set()
    results: dict[str, dict] = {}
    notes: list[str] = []
    timeout = int(job.get("timeout", 60))
    signal.signal(signal.SIGALRM, _on_alarm)
    stopped = report.get("stopped", "")
    redefined: set[str] = set()
    for cell in job["cells"]:
        if cell["kind"] == "answer":
            course_names.difference_update(cell.get("binds", []))
            continue
        if cell["kind"] == "setup":
            before = {name: id(value) for name, value in namespace.items()}
            _run_cell(shell, cell["source"], timeout)  # it may fail on an answer it uses: it binds what it can
            course_names.update(name for name, value in namespace.items() if before.get(name) != id(value))
            continue
        grade_id = cell["id"]
        values = captures.get(grade_id)
        names = cell.get("names", [])
        if values is None:
            reason = stopped or "the notebook did not reach this test (it stopped earlier, or the test cell was removed)"
            results[grade_id] = {"passed": False, "message": f"not graded: {reason}.", "stdout": "",
                                 "kind": "NotGraded"}
            continue
        ignored = []
        for name, value in values.items():
            if name in course_names:
                if not _same(namespace.get(name), value):
                    ignored.append(name)
                continue
            namespace[name] = value
        for name in names:
            if name not in values and name not in course_names and name not in cell.get("binds", []):
                namespace.pop(name, None)  # not defined in the student's notebook at this point
        redefined.update(ignored)
        unusable = [name for name in names if isinstance(values.get(name), Ungradable) and name not in course_names]
        if unusable:
            results[grade_id] = {"passed": False, "message": values[unusable[0]].message(unusable[0]), "stdout": "",
                                 "kind": "NotGradable"}
            continue
        before = {name: id(value) for name, value in namespace.items()}
        error, stdout = _run_cell(shell, cell["source"], timeout)
        course_names.update(name for name, value in namespace.items() if before.get(name) != id(value))
        if error is None:
            results[grade_id] = {"passed": True, "message": "", "stdout": "" if cell.get("hidden") else stdout}
        elif isinstance(error, _CellTimeout):
            results[grade_id] = {"passed": False, "stdout": "", "kind": "TestTimeout",
                                 "message": f"the test ran longer than {timeout} s on your answer and was stopped."}
        else:
            results[grade_id] = {"passed": False, "stdout": "" if cell.get("hidden") else stdout,
                                 "kind": type(error).__name__[:60],
                                 "message": failure_message(error, hidden=bool(cell.get("hidden")), names=names)}
    if redefined:
        notes.append(f"the notebook had redefined {', '.join(sorted(redefined))}, which the course defines; "
                     "the tests used the course's own")
    return {"results": results, "notes": notes}


def _same(course_value: Any, student_value: Any) -> bool:
    """Whether a student's value of a course-defined name is the course's own (no note then)."""
    import numpy as np

    if course_value is student_value:
        return True
    if isinstance(course_value, type(np)):
        return getattr(student_value, "__name__", None) == course_value.__name__
    try:
        if isinstance(course_value, np.ndarray | int | float):
            return bool(np.array_equal(np.asarray(course_value), np.asarray(student_value), equal_nan=True))
    except Exception:  # not comparable: not the same
        return False
    return type(course_value) is type(student_value)


def _run_cell(shell, source: str, timeout: int) -> tuple[BaseException | None, str]:
    """Run one instructor cell; returns (the exception it raised or None, what it printed)."""
    stdout = io.StringIO()
    error: BaseException | None = None
    signal.alarm(max(1, timeout))
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(source, store_history=False, silent=True)
        error = result.error_before_exec or result.error_in_exec
    except _CellTimeout as timed_out:
        error = timed_out
    finally:
        signal.alarm(0)
    return error, stdout.getvalue()[-MAX_STDOUT:]


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1:
        print("usage: python -I -m qsp.course.checker INPUT_FOLDER", file=sys.stderr)
        return 2
    source = arguments[0]
    with open(os.path.join(source, JOB)) as handle:
        job = json.load(handle)
    from .plaindata import PlainDataError, read_archive

    report: dict = {}
    try:
        captures, extra = read_archive(os.path.join(source, CAPTURES))
        try:
            report = json.loads(extra.get("runner.json", b"{}"))
            if not isinstance(report, dict):
                report = {}
        except ValueError:
            report = {}
        problem = ""
    except (PlainDataError, OSError) as error:
        captures, problem = {}, f"the record of the notebook's values could not be read ({error})"
    if problem:
        report = {"stopped": problem}
    stopped = job.get("stopped") or report.get("stopped")  # the grader's reason first (it saw the run end)
    report = {"stopped": str(stopped)[:500] if isinstance(stopped, str) else ""}
    work = os.path.join(os.path.expanduser("~"), "check")
    shutil.copytree(source, work, ignore=shutil.ignore_patterns(JOB, CAPTURES), dirs_exist_ok=True)
    os.chdir(work)
    output = run(job, captures, report)
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    output["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    real_stdout = sys.__stdout__
    real_stdout.write(json.dumps(output))
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
