"""Grade one submission in this process, under limits: ``python -m qsp.course.worker ...``.

:func:`qsp.course.autograde.autograde` starts one of these per submission, so a submission
that crashes the grader, exhausts memory or hangs affects nobody else. The worker

1. limits its address space (``resource.RLIMIT_AS``); the notebook kernel it starts inherits
   the limit, so student code that allocates too much gets a ``MemoryError``;
2. runs nbgrader's ``autograde`` for one student through ``NbGraderAPI`` with the per-cell
   timeout (``Execute.timeout``);
3. prints one line of JSON: ``{"success": ..., "skipped": ..., "log": ..., "error": ...}``.
"""

from __future__ import annotations

import argparse
import json
import sys


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


def grade(course_dir: str, assignment: str, student: str, *, timeout: int, force: bool) -> dict:
    """Autograde one student's submission with nbgrader; returns nbgrader's result dict."""
    from .layout import Course

    course = Course.find(course_dir)
    api = course.api(**{"Execute.timeout": int(timeout)})
    result = api.autograde(assignment, student, force=force, create=True)
    log = result.get("log", "")
    result["skipped"] = "Skipping existing assignment" in log
    return result


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
    try:
        result = grade(args.course_dir, args.assignment, args.student, timeout=args.timeout, force=args.force)
    except MemoryError:
        result = {"success": False, "error": f"the grader ran out of memory (limit {args.memory_mb} MB)"}
    except Exception as error:  # noqa: BLE001 - reported to the parent, never raised
        import traceback

        result = {"success": False, "error": f"{type(error).__name__}: {error}\n{traceback.format_exc()}"}
    print(json.dumps(result))
    return 0 if result.get("success") else 1


if __name__ == "__main__":
    sys.exit(main())
