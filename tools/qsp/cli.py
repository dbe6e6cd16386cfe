"""The ``qsp`` command line.

    qsp course release [ASSIGNMENT ...] [--force]  solutions/ -> exercises/ (nbgrader generate_assignment);
                                                 never overwrites a learner's changes unless --force (backup kept)
    qsp course autograde [ASSIGNMENT] [--jobs N] [--timeout S] [--memory-mb M] [--force] [--student ID ...]
                         [--unsafe-no-sandbox]
    qsp course feedback [ASSIGNMENT] [--student ID]
    qsp course export [--to grades.csv]          CSV for Moodle / Canvas
    qsp course status                            submitted, graded, missing per assignment
    qsp course keys [ASSIGNMENT ...] [--check]   self-check answer keys from the solutions
    qsp course check [ASSIGNMENT ...] [--strict] nbgrader metadata valid, exercises/ up to date
    qsp course samples [--out build/grading]     grade the bundled samples in a copy of the course
    qsp demo [--out build] ...                   the demography demo of ``make course`` (qsp.demo)

Every ``course`` command finds the course (the folder holding ``nbgrader_config.py``, i.e.
``course/``) from the current directory, or takes ``--course-dir``. Each is a thin layer over
nbgrader's own API (see :mod:`qsp.course`).

Exit status: 0 when everything worked; 1 when something needs the instructor's attention
(a submission could not be graded, a check failed); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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
    from qsp.course.autograding import autograde, autograde_assignments, start_grading_server

    start_grading_server()  # it imports nbgrader in the background while this process loads the course
    course = _course(args)
    options = {"jobs": args.jobs, "timeout": args.timeout, "memory_mb": args.memory_mb, "force": args.force,
               "progress": not args.no_progress, "sandboxed": not args.unsafe_no_sandbox}
    if args.unsafe_no_sandbox:
        print("WARNING: --unsafe-no-sandbox: student code runs WITHOUT the sandbox; every grade records this.",
              file=sys.stderr)
    if args.assignment:
        reports = [autograde(course, args.assignment, students=args.student or None, **options)]
    else:  # every assignment with submissions, all in one pool of --jobs processes
        if not any(course.submitted_students(a) for a in course.assignments()):
            print(f"nothing to grade: no submissions in {course.submitted}/<student>/<assignment>/")
            return 0
        reports = autograde_assignments(course, students=args.student or None, **options)
    for report in reports:
        print(report.summary())
    print(f"logs: {course.root / 'logs'}")
    return 1 if any(report.failed for report in reports) else 0


def _feedback(args) -> int:
    from qsp.course.actions import feedback

    course = _course(args)
    status = 0
    for result in feedback(course, args.assignment, args.student):
        if result.success:
            print(f"feedback {result.assignment}: {len(result.outputs)} file(s) in {course.feedback}")
        else:
            status = 1
            print(f"feedback {result.assignment} FAILED:\n{result.log}\n{result.error}", file=sys.stderr)
    return status


def _export(args) -> int:
    from pathlib import Path

    from qsp.course.gradebook import export_grades

    course = _course(args)
    target = Path(args.to) if args.to else course.root.parent / "build" / "grades.csv"
    rows = export_grades(course, target, args.assignment or None)
    print(f"wrote {len(rows)} grade row(s) to {target}")
    return 0


def _status(args) -> int:
    from qsp.course.gradebook import course_status

    for status in course_status(_course(args)):
        print(status.line())
    return 0


def _keys(args) -> int:
    import json
    import tempfile
    from pathlib import Path

    from qsp.course.keys import key_path, make_keys

    course = _course(args)
    status = 0
    for name in args.assignments or course.assignments():
        if args.check:
            with tempfile.TemporaryDirectory() as scratch:
                fresh = json.loads(make_keys(course, name, output=Path(scratch) / f"{name}.json").read_text())
            committed = json.loads(key_path(name).read_text()) if key_path(name).is_file() else None
            same = committed == fresh
            print(f"{name}: answer key {'in sync' if same else 'OUT OF DATE: run qsp course keys ' + name}")
            status |= 0 if same else 1
        else:
            print(f"{name}: wrote {make_keys(course, name)}")
    return status


def _samples(args) -> int:
    from pathlib import Path

    from qsp.course.actions import feedback, release, sample_course
    from qsp.course.autograding import autograde_assignments, start_grading_server
    from qsp.course.gradebook import export_grades

    start_grading_server()
    course = _course(args)
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

    step = steps.add_parser("export", parents=[common], help="grades as CSV for Moodle / Canvas")
    step.add_argument("--to", metavar="PATH", help="the CSV file (default: build/grades.csv)")
    step.add_argument("--assignment", action="append", metavar="NAME", help="only this assignment (repeatable)")
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
    except (FileNotFoundError, ValueError) as error:
        print(f"qsp: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        from qsp.course.actions import CourseError

        if isinstance(error, CourseError):
            print(f"qsp: error: {error}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
