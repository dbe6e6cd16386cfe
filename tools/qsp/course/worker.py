"""Grade one submission in its own process, under limits.

:func:`qsp.course.autograding.autograde` runs :func:`grade_in_child` in a fresh child process per
submission, forked from a server process that has imported nbgrader once (multiprocessing's
"forkserver"), so a submission that crashes the grader, exhausts memory or hangs affects
nobody else, and no child pays nbgrader's import time again. ``python -m qsp.course.worker``
does the same from the command line (for debugging one submission). A worker

1. leaves the network (:func:`qsp.course.sandbox.isolate_network`: an empty network namespace
   where Linux allows one, recorded in the grading log either way);
2. runs nbgrader's ``autograde`` for one student through ``NbGraderAPI``; the course's
   configuration replaces nbgrader's ``Execute`` step by the two-phase grading of
   :mod:`qsp.course.twophase` (the notebook in a bubblewrap sandbox under the per-cell time
   limit and the memory limit, the tests in a separate process that never runs student code);
3. writes nbgrader's result: ``{"success": ..., "skipped": ..., "log": ..., "error": ...}``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from .sandbox import isolate_network


def grade(course_dir: str, assignment: str, student: str, *, timeout: int, memory_mb: int, sandboxed: bool,
          force: bool) -> dict:
    """Autograde one student's submission with nbgrader; returns nbgrader's result dict.

    nbgrader's own steps (copying, repairing and restoring cells, the gradebook) run here; the
    notebook and its tests run in the two phases of :mod:`qsp.course.twophase`, with these limits.
    """
    from .layout import Course

    course = Course.find(course_dir)
    api = course.api(**{"GradeOutsideNotebook.timeout": int(timeout), "GradeOutsideNotebook.memory_mb": int(memory_mb),
                        "GradeOutsideNotebook.sandbox": bool(sandboxed)})
    api.log.setLevel(logging.INFO)  # the log goes to the submission's log file; "Skipping ..." is at INFO
    result = api.autograde(assignment, student, force=force, create=True)
    log = result.get("log", "")
    result["skipped"] = "Skipping existing assignment" in log
    return result


CHILD_ENVIRONMENT = {
    # jobs run side by side: one thread each, no interactive plotting
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "PYTHONUNBUFFERED": "1",
}

PRELOAD = ["qsp._startup", "nbgrader.apps", "nbgrader.converters", "nbgrader.preprocessors", "qsp.course.preprocessors",
           "qsp.course.twophase"]
"""Modules the fork server imports once, so each per-submission child starts without importing them."""


def grade_in_child(course_dir: str, assignment: str, student: str, timeout: int, memory_mb: int, force: bool,
                   result_path: str, log_path: str, sandboxed: bool = True) -> None:
    """Entry point of a per-submission child process (forked from a server that preloaded nbgrader).

    Sends its output to ``log_path``, leaves the network, grades, and writes nbgrader's result
    as JSON to ``result_path`` (and its log to ``log_path``).
    """
    import os

    from .layout import ensure_venv_on_path

    log = open(log_path, "a", buffering=1)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    log.write(f"# grading process {os.getpid()} started at {time.strftime('%H:%M:%S')}\n")
    os.environ.update(CHILD_ENVIRONMENT)
    os.environ.pop("QSP_SELFCHECK_RECORD", None)
    ensure_venv_on_path()
    isolated, how = isolate_network()
    log.write(f"# network: {'none' if isolated else 'NOT isolated'} ({how})\n")
    log.write(f"# student code: {'sandboxed' if sandboxed else 'NOT SANDBOXED (--unsafe-no-sandbox)'}\n")
    try:
        result = grade(course_dir, assignment, student, timeout=timeout, memory_mb=memory_mb, sandboxed=sandboxed,
                       force=force)
    except MemoryError:
        result = {"success": False, "error": "the grading process ran out of memory"}
    except Exception as error:
        import traceback

        result = {"success": False, "error": f"{type(error).__name__}: {error}\n{traceback.format_exc()}"}
    log.write(f"\n# finished at {time.strftime('%H:%M:%S')}\n# nbgrader log\n{result.get('log', '')}\n# error\n{result.get('error', '')}\n")
    log.flush()
    with open(result_path, "w") as handle:
        json.dump(result, handle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qsp.course.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", required=True)
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--student", required=True)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--memory-mb", type=int, default=4096)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--unsafe-no-sandbox", action="store_true")
    args = parser.parse_args(argv)
    isolated, how = isolate_network()
    print(f"# network: {'none' if isolated else 'NOT isolated'} ({how})", file=sys.stderr)
    try:
        result = grade(args.course_dir, args.assignment, args.student, timeout=args.timeout, memory_mb=args.memory_mb,
                       sandboxed=not args.unsafe_no_sandbox, force=args.force)
    except Exception as error:
        import traceback

        result = {"success": False, "error": f"{type(error).__name__}: {error}\n{traceback.format_exc()}"}
    print(json.dumps(result))
    return 0 if result.get("success") else 1


if __name__ == "__main__":
    sys.exit(main())
