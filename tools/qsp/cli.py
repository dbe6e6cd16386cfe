"""The ``qsp`` command line.

    qsp course release [ASSIGNMENT ...] [--force]  solutions/ -> exercises/ (nbgrader generate_assignment);
                                                 never overwrites a learner's changes unless --force (backup kept)
    qsp course autograde [ASSIGNMENT] [--jobs N] [--timeout S] [--memory-mb M] [--force] [--student ID ...]
                         [--unsafe-no-sandbox]
    qsp course feedback [ASSIGNMENT] [--student ID]
    qsp course export [--to grades.csv] [--wide-to F] [--missing-as-zero]
                                                 long CSV, and wide CSV (a column per assignment) for Moodle / Canvas
    qsp course status                            submitted, graded, missing per assignment
    qsp course keys [ASSIGNMENT ...] [--check]   self-check answer keys from the solutions
    qsp course check [ASSIGNMENT ...] [--strict] nbgrader metadata valid, exercises/ up to date
    qsp course samples [--out build/grading]     grade the bundled samples in a copy of the course
    qsp demo [--out build] ...                   the demography demo of ``make course`` (qsp.demo)

Every ``course`` command finds the course (the folder holding ``nbgrader_config.py``, i.e.
``course/``) from the current directory, or takes ``--course-dir``. Each is a thin layer over
nbgrader's own API (see :mod:`qsp.course`).

Exit status: 0 when everything worked; 1 when something needs the instructor's attention
(a submission could not be graded, a check failed, nothing to grade, export or give feedback
on, an unknown assignment or student, a limit out of range), with one line saying what and how
to fix it (``QSP_DEBUG=1`` shows the traceback); 2 for a usage error (argparse's message).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

DEBUG_VARIABLE = "QSP_DEBUG"
"""Set it (``QSP_DEBUG=1 qsp course ...``) to see the traceback of an error instead of its one line."""

EPILOG = """\
A typical round:
  qsp course release ps00-tools          # exercises/ps00-tools for the students
  (collect submissions into course/submitted/<student>/ps00-tools/)
  qsp course autograde ps00-tools --jobs 2
  qsp course feedback ps00-tools         # course/feedback/<student>/ps00-tools/*.html
  qsp course export --to grades.csv
"""


def _course(args):
    from qsp.course.layout import Course

    return Course.find(args.course_dir)


def _release(args) -> int:
    from qsp.course.actions import release

    course = _course(args)
    for result in release(course, args.assignments or None, force=args.force):
        files = ", ".join(p.name for p in result.outputs)
        print(f"released {result.assignment} -> {course.release / result.assignment} ({files})")
        for action in result.actions:
            if action.action in {"kept", "beside", "forced", "left"}:
                print(f"  {action.message()}")
    return 0


def _autograde(args) -> int:
    from qsp.course.actions import CourseError
    from qsp.course.autograding import autograde, autograde_assignments, check_limits, start_grading_server

    check_limits(jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory_mb)  # before any process starts
    course = _course(args)
    if args.assignment:
        _known_assignment(course, args.assignment)
        if not course.submitted_students(args.assignment):
            raise CourseError(f"nothing to grade: no submission of {args.assignment} in "
                              f"{course.submitted}/<student>/{args.assignment}/ (collect the notebooks there first)")
    elif not any(course.submitted_students(a) for a in course.assignments()):
        raise CourseError(f"nothing to grade: no submissions in {course.submitted}/<student>/<assignment>/ "
                          "(collect the notebooks there first)")
    if args.student:
        names = [args.assignment] if args.assignment else course.assignments()
        submitted = sorted({s for name in names for s in course.submitted_students(name)})
        unknown = [s for s in args.student if s not in submitted]
        if unknown:
            raise CourseError(f"no submission of {args.assignment or 'any assignment'} by {', '.join(unknown)} in "
                              f"{course.submitted} (submitted: {', '.join(submitted[:10])}"
                              f"{', ...' if len(submitted) > 10 else ''})")
    start_grading_server()  # it imports nbgrader in the background while this process loads the course
    options = {"jobs": args.jobs, "timeout": args.timeout, "memory_mb": args.memory_mb, "force": args.force,
               "progress": not args.no_progress, "sandboxed": not args.unsafe_no_sandbox}
    if args.unsafe_no_sandbox:
        print("WARNING: --unsafe-no-sandbox: student code runs WITHOUT the sandbox; every grade records this.",
              file=sys.stderr)
    if args.assignment:
        reports = [autograde(course, args.assignment, students=args.student or None, **options)]
    else:  # every assignment with submissions, all in one pool of --jobs processes
        reports = autograde_assignments(course, students=args.student or None, **options)
    for report in reports:
        print(report.summary())
    print(f"logs: {course.root / 'logs'}")
    return 1 if any(report.failed for report in reports) else 0


def _known_assignment(course, name: str) -> None:
    from qsp.course.actions import CourseError

    if name not in course.assignments():
        raise CourseError(f"no assignment {name!r} in {course.source} (known: {', '.join(course.assignments()) or 'none'})")


def _feedback(args) -> int:
    from qsp.course.actions import CourseError, feedback

    course = _course(args)
    graded = sorted({p.name for p in course.autograded.glob("*/*") if p.is_dir()}) if course.autograded.is_dir() else []
    if args.assignment:
        _known_assignment(course, args.assignment)
        if args.assignment not in graded:
            raise CourseError(f"no feedback to write: nothing of {args.assignment} is graded yet "
                              f"(run qsp course autograde {args.assignment} first)")
    elif not graded:
        raise CourseError("no feedback to write: nothing is graded yet (run qsp course autograde first)")
    if args.student:
        names = [args.assignment] if args.assignment else graded
        if not any((course.autograded / args.student / name).is_dir() for name in names):
            students = sorted({p.parent.name for name in names for p in course.autograded.glob(f"*/{name}")})
            raise CourseError(f"no graded submission of {', '.join(names)} by {args.student!r} "
                              f"(graded: {', '.join(students[:10]) or 'nobody'}{', ...' if len(students) > 10 else ''})")
    status = 0
    log_folder = course.root / "logs"
    for result in feedback(course, args.assignment, args.student):
        if result.success:
            print(f"feedback {result.assignment}: {len(result.outputs)} file(s) in {course.feedback}")
            continue
        status = 1
        log_folder.mkdir(parents=True, exist_ok=True)
        log = log_folder / f"feedback-{result.assignment}.log"
        log.write_text(f"{result.log}\n{result.error}\n")
        lines = [line.strip() for line in f"{result.error}\n{result.log}".splitlines() if line.strip()]
        reason = next((line for line in reversed(lines) if "Error" in line or "Exception" in line), lines[-1] if lines else "")
        print(f"qsp: error: feedback {result.assignment} failed: {reason[:200]} (nbgrader's log: {log})", file=sys.stderr)
    return status


def _export(args) -> int:
    from pathlib import Path

    from qsp.course.gradebook import export_grades

    course = _course(args)
    target = Path(args.to) if args.to else course.root.parent / "build" / "grades.csv"
    wide = Path(args.wide_to) if args.wide_to else target.with_name(f"{target.stem}-wide{target.suffix or '.csv'}")
    rows = export_grades(course, target, args.assignment or None, wide=wide, missing_as_zero=args.missing_as_zero)
    missing = sum(row["status"] == "missing" for row in rows)
    print(f"wrote {len(rows)} grade row(s) to {target} (one per student and assignment) and {wide} "
          "(one column per assignment, for Moodle and Canvas)"
          + (f"; {missing} missing submission(s) {'as 0' if args.missing_as_zero else 'left empty'}" if missing else ""))
    return 0


def _status(args) -> int:
    from qsp.course.actions import CourseError
    from qsp.course.gradebook import course_status

    course = _course(args)
    statuses = course_status(course)
    if not statuses:
        raise CourseError(f"no assignments: {course.source} holds no folder with a notebook")
    for status in statuses:
        print(status.line())
    return 0


def _keys(args) -> int:
    import json
    import tempfile
    from pathlib import Path

    from qsp.course.keys import key_path, make_keys, mistakes_in_sync, without_mistakes

    course = _course(args)
    for name in args.assignments:
        _known_assignment(course, name)
    status = 0
    for name in args.assignments or course.assignments():
        if args.check:  # the right answers and hints recorded again; the mistakes by their fingerprint
            with tempfile.TemporaryDirectory() as scratch:
                fresh = json.loads(make_keys(course, name, output=Path(scratch) / f"{name}.json",
                                             mistakes=False).read_text())
            committed = json.loads(key_path(name).read_text()) if key_path(name).is_file() else None
            same = (committed is not None and without_mistakes(committed) == fresh
                    and mistakes_in_sync(course, name, committed))
            print(f"{name}: answer key {'in sync' if same else 'OUT OF DATE: run qsp course keys ' + name}")
            status |= 0 if same else 1
        else:
            notes: list[str] = []
            print(f"{name}: wrote {make_keys(course, name, notes=notes)}")
            for note in notes:
                print(f"  {note}")
    return status


def _samples(args) -> int:
    from pathlib import Path

    from qsp.course.actions import feedback, release, sample_course
    from qsp.course.autograding import autograde_assignments, check_limits, start_grading_server
    from qsp.course.gradebook import export_grades

    check_limits(jobs=args.jobs)
    course = _course(args)
    start_grading_server()
    out = Path(args.out) if args.out else course.root.parent / "build" / "grading"
    copy = sample_course(course, out)
    release(copy)
    reports = autograde_assignments(copy, jobs=args.jobs, progress=not args.no_progress)
    for report in reports:
        print(report.summary())
        feedback(copy, report.assignment)
    rows = export_grades(copy, out / "grades.csv")
    print(f"\nsample course: {copy.root}\n  grades ({len(rows)} rows): {out / 'grades.csv'}\n"
          f"  feedback: {copy.feedback}/<student>/<assignment>/*.html\n  logs: {copy.root / 'logs'}")
    return 1 if any(report.failed for report in reports) else 0


def _check(args) -> int:
    from qsp.course.actions import check_release
    from qsp.course.validate import validate_source

    course = _course(args)
    for name in args.assignments:
        _known_assignment(course, name)
    names = args.assignments or course.assignments()
    problems = [p for name in names for path in course.source_notebooks(name) for p in validate_source(path)]
    found = check_release(course, names)
    problems += found.validation + [f"{d} (run qsp course release)" for d in found.problems]
    if args.strict:
        problems += [f"{path} was changed since it was released (exercises/ is generated, never edited "
                     "by hand: run qsp course release --force, which keeps a backup)" for path in found.changed]
    else:
        for path in found.changed:
            print(f"note: {path} was changed since it was released (a learner's work?); "
                  "releases keep it (--strict counts it as a problem)")
    for problem in problems:
        print(f"problem: {problem}")
    print(f"checked {', '.join(names)}: {'no problems' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``qsp`` (exposed for tests and documentation)."""
    from qsp import __version__

    parser = argparse.ArgumentParser(
        prog="qsp",
        description="Quantitative social protection course kit: build, release and grade the course.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qsp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("demo", help="project every kit country into build/ (python -m qsp.demo; see qsp demo --help)",
                        add_help=False)

    course = commands.add_parser("course", help="release, autograde, feedback, export, status (nbgrader)",
                                 description="The instructor's workflow, over nbgrader.", epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", metavar="DIR", default=None,
                        help="the folder holding nbgrader_config.py (default: found from the current directory)")
    steps = course.add_subparsers(dest="step", metavar="STEP")
    steps.required = True

    step = steps.add_parser("release", parents=[common],
                            help="generate exercises/ from solutions/ (never overwrites a learner's changes)")
    step.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: all")
    step.add_argument("--force", action="store_true",
                      help="overwrite files changed since their release, keeping a backup of each beside it")
    step.set_defaults(handler=_release)

    step = steps.add_parser("autograde", parents=[common], help="grade submissions in parallel, under limits")
    step.add_argument("assignment", nargs="?", metavar="ASSIGNMENT",
                      help="default: every assignment with submissions, graded in one pool")
    step.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    step.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="submissions graded at once (default 2)")
    step.add_argument("--timeout", type=int, default=60, metavar="S", help="seconds per cell (default 60)")
    step.add_argument("--memory-mb", type=int, default=4096, metavar="M",
                      help="memory limit per submission in MiB (default 4096; 0: none)")
    step.add_argument("--force", action="store_true", help="grade again submissions already graded")
    step.add_argument("--no-progress", action="store_true", help="no progress bar")
    step.add_argument("--unsafe-no-sandbox", action="store_true",
                      help="run student code without the bubblewrap sandbox (only for trusted submissions; "
                           "recorded in every grade)")
    step.set_defaults(handler=_autograde)

    step = steps.add_parser("feedback", parents=[common], help="feedback HTML, hidden tests removed")
    step.add_argument("assignment", nargs="?", metavar="ASSIGNMENT", help="default: every autograded assignment")
    step.add_argument("--student", metavar="ID", help="only this student")
    step.set_defaults(handler=_feedback)

    step = steps.add_parser("export", parents=[common],
                            help="grades as CSV: one row per student and assignment, and one column per "
                                 "assignment (Moodle / Canvas)")
    step.add_argument("--to", metavar="PATH", help="the long CSV, a row per student and assignment "
                                                  "(default: build/grades.csv)")
    step.add_argument("--wide-to", metavar="PATH", help="the wide CSV, a column per assignment, for Moodle and "
                                                       "Canvas (default: beside --to, named <name>-wide.csv)")
    step.add_argument("--assignment", action="append", metavar="NAME", help="only this assignment (repeatable)")
    step.add_argument("--missing-as-zero", action="store_true",
                      help="write 0 for a missing submission (default: an empty score, which overwrites no grade "
                           "entered by hand)")
    step.set_defaults(handler=_export)

    step = steps.add_parser("status", parents=[common], help="submitted, graded and missing per assignment")
    step.set_defaults(handler=_status)

    step = steps.add_parser("keys", parents=[common], help="record self-check answer keys from the solutions")
    step.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: all")
    step.add_argument("--check", action="store_true", help="only check that the stored keys are in sync")
    step.set_defaults(handler=_keys)

    step = steps.add_parser("samples", parents=[common],
                            help="grade the bundled sample submissions in a copy of the course (make course)")
    step.add_argument("--out", metavar="DIR", help="where the copy goes (default: build/grading)")
    step.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="submissions graded at once (default 2)")
    step.add_argument("--no-progress", action="store_true", help="no progress bar")
    step.set_defaults(handler=_samples)

    step = steps.add_parser("check", parents=[common], help="validate nbgrader metadata; exercises/ up to date?")
    step.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: all")
    step.add_argument("--strict", action="store_true",
                      help="count files changed since their release as problems (for the committed course)")
    step.set_defaults(handler=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``qsp`` command; returns the exit status."""
    from qsp._startup import skip_slow_optional_imports

    skip_slow_optional_imports()  # before anything imports nbformat (qsp._startup says why)
    from qsp.course.layout import ensure_venv_on_path

    ensure_venv_on_path()  # nbgrader runs `alembic` as a command
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["demo"]:  # the demography demo has its own options (qsp.demo)
        from qsp.demo import main as demo_main

        return demo_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("qsp: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        import os

        from qsp.course.actions import CourseError

        if os.environ.get(DEBUG_VARIABLE):
            raise
        text = str(error).strip()
        if isinstance(error, (CourseError, FileNotFoundError, ValueError, PermissionError)):
            print(f"qsp: error: {text}", file=sys.stderr)
        else:  # a failure the kit did not foresee: one line, and how to see the rest
            first = text.splitlines()[-1] if text else ""
            print(f"qsp: error: {type(error).__name__}: {first[:300]} (set {DEBUG_VARIABLE}=1 for the traceback)",
                  file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
