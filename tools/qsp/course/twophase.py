"""Grading in two phases: the student's code runs where no test is, the tests run where no student code is.

nbgrader's ``autograde`` normally runs the whole notebook, hidden tests included, in one kernel
that the student's code controls: code that rewrites later cells, patches ``numpy`` or the
checks, or kills the kernel at the right moment decides its own grade. Here nbgrader's
``Execute`` step is replaced (``c.Autograde.autograde_preprocessors`` in
``course/nbgrader_config.py``) by :class:`GradeOutsideNotebook`:

1. **Execute** (:mod:`qsp.course.runner`, in a bubblewrap sandbox, :mod:`qsp.course.confine`):
   the student's notebook runs, answers and all, but every autograded test cell is replaced by
   a call that records the values that test reads (the names its code uses) as plain data
   (:mod:`qsp.course.plaindata`). The sandbox holds the student's notebook, the assignment's
   files, the kit and Python, read-only; not one test, not the gradebook, not the source.
2. **Check** (:mod:`qsp.course.checker`, a fresh Python process, sandboxed too): the course's
   own cells run in order - setup cells as the instructor wrote them, then each visible and
   hidden test on the values recorded where it stood. Pass or fail is the test's own result
   in that process.

The results are written into the autograded notebook (the test cells' outputs, each failed
test with its teaching message; a hidden test's message leaves out the expected values) and
into the gradebook by :class:`SaveCheckedGrades`, which scores each test cell from the check's
result, never from the cell's output. Whatever the student's code patches, it can only change
its own recorded values: it can only lose its own points.

What a student's notebook did that was neutralised (an IPython input transformer, a trace
function, a patched ``numpy``/``qsp`` function, a redefined course variable) is logged as an
*integrity note* for the instructor (``qsp course autograde`` prints it by student and writes
``course/logs/<assignment>/integrity.log``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from traitlets import Bool, Integer

from . import confine
from .checker import CAPTURES, JOB, bound_names, free_names

INTEGRITY_PREFIX = "qsp-integrity: "
"""Log lines with this prefix are integrity notes (see :mod:`qsp.course.autograding`)."""
RECORD_NAME = ".qsp-grading.json"
"""File in each autograded submission folder: how it was graded (sandbox or not) and the notes."""
KERNEL_DID_NOT_START = "the notebook could not be run"
"""How the runner's report starts when the kernel did not start (see :mod:`qsp.course.runner`)."""
KEEP_SCRATCH = "QSP_KEEP_GRADING_SCRATCH"
"""Set this environment variable to keep each submission's scratch folders (plan, captures, job) for debugging."""
MAX_RUNNER_REPORT = 64 * 1024 * 1024
MAX_INPUT_FILE = 100 * 1024 * 1024


class GradingError(RuntimeError):
    """Grading itself failed (not the student's answers): the submission is reported as not graded."""


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test: a code cell with points and no answer in it."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def instructor_cells(source: NotebookNode) -> list[dict]:
    """The cells of the course's notebook the check phase runs: setup cells and tests, in order.

    A setup cell is a code cell that is neither an answer (``solution``) nor a test; a test is
    :func:`is_test_cell`. Each test lists the names it reads (:func:`qsp.course.checker.free_names`)
    and whether it holds hidden tests; an answer cell is listed with the names the reference
    solution binds in it (from there on, those names are the student's, not the course's).
    """
    cells = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        if utils.is_solution(cell):  # the student's answer: the names it binds are the student's from here on
            cells.append({"kind": "answer", "binds": sorted(bound_names(cell.source))})
            continue
        if is_test_cell(cell):
            cells.append({"kind": "test", "id": cell.metadata["nbgrader"]["grade_id"], "source": cell.source,
                          "names": free_names(cell.source), "binds": sorted(bound_names(cell.source)),
                          "hidden": "BEGIN HIDDEN TESTS" in cell.source})
        elif not utils.is_grade(cell):
            cells.append({"kind": "setup", "source": cell.source})
    return cells


def execution_plan(nb: NotebookNode, tests: dict[str, dict], timeout: int) -> tuple[dict, list[int]]:
    """The runner's plan for the student's notebook: its code cells, each test replaced by a capture.

    Returns the plan and, for each step, the index of the notebook cell it comes from.
    """
    steps, positions = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_test_cell(cell):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            names = tests.get(grade_id, {}).get("names", [])
            steps.append({"kind": "capture", "id": grade_id, "names": names})
        else:
            steps.append({"kind": "run", "source": cell.source})
        positions.append(index)
    return {"timeout": int(timeout), "startup_timeout": 120, "cells": steps}, positions


def _copy_files(source: Path, target: Path) -> None:
    """Copy the assignment's files (not notebooks, nothing huge, no links) from ``source`` to ``target``."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink() or any(part.startswith(".") or part in ("__pycache__", ".ipynb_checkpoints")
                                    for part in relative.parts):
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.suffix != ".ipynb" and path.stat().st_size <= MAX_INPUT_FILE:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


def _output(raw: dict) -> NotebookNode | None:
    """One output recorded by the sandbox, rebuilt through nbformat (untrusted: only known fields; None if odd)."""
    try:
        return _rebuilt_output(raw)
    except (AttributeError, TypeError, ValueError, KeyError):
        return None


def _rebuilt_output(raw: dict) -> NotebookNode | None:
    kind = raw.get("output_type")
    if kind == "stream":
        return nbformat.v4.new_output("stream", name="stderr" if raw.get("name") == "stderr" else "stdout",
                                      text=str(raw.get("text", "")))
    if kind in ("display_data", "execute_result"):
        data = {mime: str(value) for mime, value in (raw.get("data") or {}).items()
                if mime in ("text/plain", "image/png", "image/jpeg")}
        if not data:
            return None
        if kind == "execute_result":
            return nbformat.v4.new_output("execute_result", data=data, execution_count=None)
        return nbformat.v4.new_output("display_data", data=data)
    if kind == "error":
        return nbformat.v4.new_output("error", ename=str(raw.get("ename", "Error"))[:200],
                                      evalue=str(raw.get("evalue", ""))[:20000],
                                      traceback=[str(line)[:5000] for line in (raw.get("traceback") or [])[-30:]])
    return None


def _runner_report(archive: Path) -> dict:
    """The runner's report (cells' outputs, how the run ended) from its archive; empty if unreadable."""
    try:
        with zipfile.ZipFile(archive) as handle:
            info = handle.getinfo("runner.json")
            if info.file_size > MAX_RUNNER_REPORT:
                return {"stopped": "the notebook printed too much to be recorded"}
            report = json.loads(handle.read(info))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RecursionError, MemoryError):
        return {}
    return report if isinstance(report, dict) else {}


class GradeOutsideNotebook(NbGraderPreprocessor):
    """nbgrader step that replaces ``Execute``: run the notebook sandboxed, then the tests outside it."""

    timeout = Integer(60, help="Seconds one cell may run (student cells and tests).").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of each sandboxed process, in MiB (0: none).").tag(config=True)
    sandbox = Bool(True, help="Run both phases in the bubblewrap sandbox. False only with --unsafe-no-sandbox.").tag(
        config=True)

    def _source_notebook(self, resources: ResourcesDict) -> tuple[NotebookNode, Path]:
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"]))
        path = folder / f"{resources['nbgrader']['notebook']}.ipynb"
        if not path.is_file():
            raise GradingError(f"the course's source notebook {path} is missing: cannot run the tests")
        return nbformat.read(path, as_version=4), folder

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        source, source_folder = self._source_notebook(resources)
        cells = instructor_cells(source)
        tests = {cell["id"]: cell for cell in cells if cell["kind"] == "test"}
        plan, positions = execution_plan(nb, tests, self.timeout)
        submission = Path(resources["metadata"]["path"])
        student = resources["nbgrader"].get("student", "?")
        label = confine.run_label(CourseDirectory(config=self.config).root)
        scratch = Path(tempfile.mkdtemp(prefix=f"qsp-grade-{label}-"))
        try:
            execute_in = scratch / "execute"
            execute_in.mkdir()
            _copy_files(submission, execute_in)
            (execute_in / "plan.json").write_text(json.dumps(plan))
            code_cells = len(plan["cells"])
            ran = confine.run_confined(
                [sys.executable, "-m", "qsp.course.runner", confine.INPUT_MOUNT], input_dir=execute_in,
                sandboxed=self.sandbox, wall_seconds=120 + (self.timeout + 5) * (code_cells + 2),
                memory_mb=self.memory_mb, output_limit=768 * 1024 * 1024, label=label)
            if not ran.stdout and "bwrap:" in ran.stderr_tail:
                raise GradingError("the sandbox did not start: " + ran.stderr_tail.strip().splitlines()[-1][:300])
            check_in = scratch / "check"
            check_in.mkdir()
            _copy_files(source_folder, check_in)
            (check_in / CAPTURES).write_bytes(ran.stdout)
            report = _runner_report(check_in / CAPTURES)
            cells_run = report.get("cells") if isinstance(report.get("cells"), list) else []
            stopped = report.get("stopped") if isinstance(report.get("stopped"), str) else ""
            if not cells_run and stopped.startswith(KERNEL_DID_NOT_START):
                # before any student code ran: the machine's doing, not the student's (retried by qsp course autograde)
                raise GradingError(stopped)
            if ran.timed_out:
                report["stopped"] = "the notebook ran past the time limit of the whole submission and was stopped"
            elif ran.output_cut:
                report["stopped"] = "the notebook produced more data than can be recorded"
            elif not ran.stdout:
                report["stopped"] = (f"the notebook's run ended without a record (exit code {ran.returncode}; did the "
                                     "code end its own process?)")
            stop_reason = report.get("stopped") if isinstance(report.get("stopped"), str) else ""
            job = {"timeout": self.timeout, "cells": cells, "stopped": stop_reason}
            (check_in / JOB).write_text(json.dumps(job))
            checked = confine.run_confined(
                [sys.executable, "-I", "-m", "qsp.course.checker", confine.INPUT_MOUNT], input_dir=check_in,
                sandboxed=self.sandbox, wall_seconds=120 + self.timeout * (len(cells) + 1),
                memory_mb=self.memory_mb, output_limit=64 * 1024 * 1024, label=label)
            try:
                outcome = json.loads(checked.stdout)
                results = outcome["results"]
            except (ValueError, KeyError, TypeError):
                tail = (checked.stderr_tail.strip().splitlines() or [f"exit code {checked.returncode}"])[-1]
                raise GradingError(f"the tests could not be run: {tail[:300]}") from None
        finally:
            if os.environ.get(KEEP_SCRATCH):
                self.log.info("scratch kept for debugging: %s", scratch)
            else:
                shutil.rmtree(scratch, ignore_errors=True)

        entries = report.get("cells") if isinstance(report.get("cells"), list) else []
        runner_cells = {entry.get("step"): entry for entry in entries if isinstance(entry, dict)}
        for step, index in enumerate(positions):
            cell = nb.cells[index]
            cell.outputs = []
            cell.execution_count = None
            if is_test_cell(cell):
                grade_id = cell.metadata["nbgrader"]["grade_id"]
                result = results.get(grade_id) or {"passed": False, "message": "not graded: no result for this test."}
                if result.get("stdout"):
                    cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=str(result["stdout"])))
                if not result.get("passed"):
                    message = str(result.get("message", ""))
                    kind = str(result.get("kind") or "TestFailed")
                    cell.outputs.append(nbformat.v4.new_output("error", ename=kind, evalue=message,
                                                               traceback=[f"{kind}: {message}"]))
            else:
                entry = runner_cells.get(step) or {}
                outputs = entry.get("outputs") if isinstance(entry.get("outputs"), list) else []
                for raw in outputs[:200]:
                    output = _output(raw) if isinstance(raw, dict) else None
                    if output is not None:
                        cell.outputs.append(output)
        tamper = report.get("tamper") if isinstance(report.get("tamper"), list) else []
        notes = [f"{INTEGRITY_PREFIX}{note[:300]}" for note in tamper[:50] if isinstance(note, str)]
        notes += [f"{INTEGRITY_PREFIX}{note}" for note in outcome.get("notes", []) if isinstance(note, str)]
        for note in notes:
            self.log.warning("%s", note)
        self.log.info("%s: notebook run in %.1f s (processor %s s; sandboxed: %s), tests in %.1f s (processor %s s)",
                      student, ran.seconds, report.get("cpu_seconds", "?"), self.sandbox, checked.seconds,
                      outcome.get("cpu_seconds", "?"))
        stopped = report.get("stopped") if isinstance(report.get("stopped"), str) else ""
        if stopped:
            self.log.warning("%s: %s", student, stopped)
        passed = {grade_id: bool(result.get("passed")) for grade_id, result in results.items() if isinstance(result, dict)}
        resources.setdefault("qsp", {})["check"] = passed
        record = {"sandbox": "bubblewrap" if self.sandbox else "NONE (--unsafe-no-sandbox)",
                  "sandboxed": bool(self.sandbox), "stopped": stopped or "",
                  "integrity": [note[len(INTEGRITY_PREFIX):] for note in notes]}
        try:
            (submission / RECORD_NAME).write_text(json.dumps(record))
        except OSError:
            pass
        return nb, resources


class SaveCheckedGrades(SaveAutoGrades):
    """nbgrader's ``SaveAutoGrades``, scoring each test cell from the check phase's result (not its output)."""

    def _add_score(self, cell: NotebookNode, resources: ResourcesDict) -> None:
        if not is_test_cell(cell):
            super()._add_score(cell, resources)
            return
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        passed = resources.get("qsp", {}).get("check", {}).get(grade_id) is True
        grade.auto_score = float(cell.metadata["nbgrader"]["points"]) if passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()


def graded_in_sandbox(folder: str | os.PathLike) -> bool | None:
    """Whether the autograded submission in ``folder`` was graded in the sandbox (None: no record)."""
    path = Path(folder) / RECORD_NAME
    try:
        return bool(json.loads(path.read_text()).get("sandboxed"))
    except (OSError, ValueError, AttributeError):
        return None
