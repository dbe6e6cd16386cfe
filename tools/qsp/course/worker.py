"""Grade one submission in its own process, under limits.

:func:`qsp.course.autograding.autograde` runs :func:`grade_in_child` in a fresh child process per
submission, forked from a server process that has imported nbgrader once (multiprocessing's
"forkserver"), so a submission that crashes the grader, exhausts memory or hangs affects
nobody else, and no child pays nbgrader's import time again. ``python -m qsp.course.worker``
does the same from the command line (for debugging one submission). A worker

1. limits its address space (``resource.RLIMIT_AS``); the notebook kernel it starts inherits
   the limit, so student code that allocates too much gets a ``MemoryError``;
   and leaves the network (:func:`qsp.course.sandbox.isolate_network`: an empty network
   namespace where Linux allows one, recorded in the grading log either way);
2. runs nbgrader's ``autograde`` for one student through ``NbGraderAPI`` with the per-cell
   timeout (``Execute.timeout``), the kernel talking over Unix sockets in a private folder
   (no TCP ports that a process grading next to it could also pick) and started through
   :mod:`qsp.course.jail`, which hides the course's files (hidden tests, gradebook, other
   students' work) from the student's code;
3. prints one line of JSON: ``{"success": ..., "skipped": ..., "log": ..., "error": ...}``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from .sandbox import isolate_network


def limit_memory(megabytes: int | None) -> None:
    """Cap the address space of this process and its children at ``megabytes`` MiB (no-op if None/0)."""
    if not megabytes:
        return
    import resource

    limit = int(megabytes) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def kernel_sockets() -> tuple[dict[str, str], str | None]:
    """nbgrader settings that make the notebook's kernel talk over Unix sockets in a private folder.

    With the default TCP transport, each grading process picks free ports for its kernel by
    binding and releasing them; two processes grading side by side can pick the same port,
    and the second kernel then dies at start ("Kernel died before replying to kernel_info",
    jupyter/jupyter_client#487: its port cache is per process). Unix sockets in a folder of
    their own cannot collide, and the kernel listens on no network port. Returns the settings
    and the folder (to remove afterwards); on Windows, which has no Unix sockets here, none.
    """
    import os
    import tempfile

    if os.name == "nt":  # pragma: no cover - no ipc transport: keep TCP
        return {}, None
    base = tempfile.gettempdir()
    if len(base) > 60:  # a Unix socket path must stay under about 100 bytes
        base = "/tmp"
    folder = tempfile.mkdtemp(prefix="qsp-kernel-", dir=base)
    return {"KernelManager.transport": "ipc", "KernelManager.ip": os.path.join(folder, "kernel")}, folder


CONFINED_KERNEL = "qsp-graded"


def confined_kernel(course, folder: str) -> str:
    """Write a kernel spec that starts Python through :mod:`qsp.course.jail`; return its name.

    The spec lives in ``folder/kernels/`` (found through ``JUPYTER_PATH``, set here for this
    process). Its kernel hides the course root, the source, release, submitted, autograded and
    feedback folders and the gradebook from the student's code, all but the submission being
    graded (the kernel's working folder).
    """
    import os
    from pathlib import Path

    hidden = [course.root, course.source, course.release, course.submitted, course.autograded, course.feedback]
    if course.db_url.startswith("sqlite:///"):
        hidden.append(Path(course.db_url[len("sqlite:///"):]))
    argv = [sys.executable, "-m", "qsp.course.jail"]
    for path in hidden:
        argv += ["--hide", str(path)]
    argv += ["--", sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = Path(folder) / "kernels" / CONFINED_KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (graded, confined)", "language": "python"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [folder, os.environ.get("JUPYTER_PATH")]))
    return CONFINED_KERNEL


def grade(course_dir: str, assignment: str, student: str, *, timeout: int, force: bool) -> dict:
    """Autograde one student's submission with nbgrader; returns nbgrader's result dict.

    The notebook's kernel talks to the grader over Unix sockets (see :func:`kernel_sockets`).
    """
    import shutil

    from .layout import Course

    course = Course.find(course_dir)
    sockets, folder = kernel_sockets()
    try:
        if folder is not None:
            sockets["Execute.kernel_name"] = confined_kernel(course, folder)
        api = course.api(**{"Execute.timeout": int(timeout), **sockets})
        api.log.setLevel(logging.INFO)  # the log goes to the submission's log file; "Skipping ..." is at INFO
        result = api.autograde(assignment, student, force=force, create=True)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
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

PRELOAD = ["nbgrader.apps", "nbgrader.converters", "nbgrader.preprocessors", "qsp.course.preprocessors"]
"""Modules the fork server imports once, so each per-submission child starts without importing them."""


def grade_in_child(course_dir: str, assignment: str, student: str, timeout: int, memory_mb: int, force: bool,
                   result_path: str, log_path: str) -> None:
    """Entry point of a per-submission child process (forked from a server that preloaded nbgrader).

    Sends its output (and the kernel's) to ``log_path``, applies the memory limit, sets a quiet
    single-threaded environment for the kernel, grades, and writes nbgrader's result as JSON
    to ``result_path`` (and its log to ``log_path``).
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
    limit_memory(memory_mb)
    isolated, how = isolate_network()
    log.write(f"# network: {'none' if isolated else 'NOT isolated'} ({how})\n")
    try:
        result = grade(course_dir, assignment, student, timeout=timeout, force=force)
    except MemoryError:
        result = {"success": False, "error": f"the grader ran out of memory (limit {memory_mb} MB)"}
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
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    limit_memory(args.memory_mb)
    isolated, how = isolate_network()
    print(f"# network: {'none' if isolated else 'NOT isolated'} ({how})", file=sys.stderr)
    try:
        result = grade(args.course_dir, args.assignment, args.student, timeout=args.timeout, force=args.force)
    except MemoryError:
        result = {"success": False, "error": f"the grader ran out of memory (limit {args.memory_mb} MB)"}
    except Exception as error:
        import traceback

        result = {"success": False, "error": f"{type(error).__name__}: {error}\n{traceback.format_exc()}"}
    print(json.dumps(result))
    return 0 if result.get("success") else 1


if __name__ == "__main__":
    sys.exit(main())
