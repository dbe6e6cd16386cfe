"""Autograding throughput: ``qsp course autograde --jobs 2`` against serial ``nbgrader autograde``.

Builds three identical throw-away copies of the course (in a temporary folder, or ``--work DIR``)
holding ``--submissions`` (default 40) submissions of one assignment (default ``ps00-tools``):
copies of its bundled sample submissions (``tests/samples/<assignment>/<sample>/``), cycled
(``student-01`` gets the first sample, ``student-02`` the second, ...). Samples that only
``qsp``'s engine can grade as designed (a renamed notebook: plain nbgrader does not find it) are
left out, so every command does the same work. Each copy is released first (not timed). Then,
timed with a wall clock, from start to exit of the command:

- **one kernel**: ``nbgrader autograde ASSIGNMENT`` with nbgrader's own ``Execute`` step (the
  notebook and its tests in one kernel, as grading ran before the sandbox): the baseline of
  speed, not a safe way to grade;
- **two-phase**: the same command with the course's ``nbgrader_config.py``: each notebook runs
  in the bubblewrap sandbox, the tests in a separate process (``qsp.course.twophase``), one
  submission after another;
- **qsp**: ``qsp course autograde ASSIGNMENT --jobs 2``: two-phase, each submission in its own
  process, two at a time, with the per-cell time and memory limits.

Every run must give every submission the points designed for its sample (read back from each
gradebook; the script exits with status 1 otherwise). The table, the ratio serial / qsp and
the cost of two-phase grading against one kernel are printed and written to
``build/bench-autograde.txt``. Other work on the machine slows every run: the load average
before each run is printed with the table.

Usage::

    .venv/bin/python benchmarks/autograde.py [--submissions 40] [--jobs 2] [--assignment ps00-tools]
                                             [--out build/bench-autograde.txt] [--work DIR]

It takes about 10 minutes for 40 submissions on 2 cores (the two serial runs are most of it).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent

DEFAULT_ASSIGNMENT = "ps00-tools"
DEFAULT_SUBMISSIONS = 40
DEFAULT_JOBS = 2


@dataclass(frozen=True)
class Submission:
    """One generated submission: a copy of a bundled sample under a new student id."""

    student: str
    sample: str
    files: dict[str, bytes] = field(repr=False)
    points: float
    """The points designed for the sample (tests/samples/make_samples.py)."""


@dataclass
class Run:
    """One timed autograde run."""

    label: str
    command: list[str]
    seconds: float = 0.0
    load_before: float = 0.0
    returncode: int = 0
    scores: dict[str, float | None] = field(default_factory=dict)
    output: str = ""

    def graded(self) -> int:
        return sum(score is not None for score in self.scores.values())


def _sample_sets():
    path = ROOT / "tests" / "samples" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sample_sets()


def plan_submissions(assignment: str = DEFAULT_ASSIGNMENT, count: int = DEFAULT_SUBMISSIONS) -> list[Submission]:
    """``count`` submissions of ``assignment``, cycling through the samples plain nbgrader can grade.

    A sample is used when its notebooks have exactly the names of the assignment's notebooks.

    Raises
    ------
    ValueError
        If ``count`` is below 1, or the assignment has no usable sample submissions.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1 submission, got {count}.")
    sets = _sample_sets()
    if assignment not in sets:
        raise ValueError(f"no sample submissions declared for {assignment!r} (declared: {', '.join(sets)}).")
    sample_set = sets[assignment]
    expected_names = {p.name for p in (ROOT / "solutions" / assignment).glob("*.ipynb")}
    usable = []
    for sample in sample_set.students_on_disk():
        files = {p.name: p.read_bytes() for p in sorted((sample_set.folder / sample).glob("*.ipynb"))}
        if set(files) == expected_names and sample in sample_set.expected:
            usable.append((sample, files))
    if not usable:
        raise ValueError(f"no sample of {assignment} has the notebook names {sorted(expected_names)}: "
                         "run tests/samples/make_samples.py")
    width = len(str(count))
    return [
        Submission(f"student-{index + 1:0{max(width, 2)}d}", usable[index % len(usable)][0],
                   usable[index % len(usable)][1], float(sample_set.expected[usable[index % len(usable)][0]]))
        for index in range(count)
    ]


def prepare_course(work: Path, assignment: str, submissions: list[Submission]) -> Path:
    """A copy of the course under ``work`` with the assignment's solution and the submissions; returns its root."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ROOT / "course", work / "course", ignore=shutil.ignore_patterns(
        "gradebook.db", "submitted", "autograded", "feedback", "logs", "*.log", "__pycache__", "release", "source"))
    shutil.copytree(ROOT / "solutions" / assignment, work / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for submission in submissions:
        folder = work / "course" / "submitted" / submission.student / assignment
        folder.mkdir(parents=True)
        for name, content in submission.files.items():
            (folder / name).write_bytes(content)
    return work / "course"


def release_course(course_dir: Path, assignment: str) -> None:
    """Release the assignment in the copy (records it in the copy's gradebook; not timed)."""
    from qsp.course.actions import release
    from qsp.course.layout import Course

    release(Course.find(course_dir), [assignment])


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PATH"] = os.pathsep.join([str(BIN), environment.get("PATH", "")])  # nbgrader runs `alembic`
    environment["MPLBACKEND"] = "Agg"
    environment.pop("QSP_COURSE_DIR", None)
    return environment


def read_scores(course_dir: Path, assignment: str, students: list[str]) -> dict[str, float | None]:
    """Each student's score in the copy's gradebook (None: not graded)."""
    from nbgrader.api import Gradebook, MissingEntry
    from qsp.course.layout import Course, ensure_venv_on_path

    ensure_venv_on_path()
    scores: dict[str, float | None] = {}
    with Gradebook(Course.find(course_dir).db_url, "qsp") as gradebook:
        for student in students:
            try:
                scores[student] = float(gradebook.find_submission(assignment, student).score)
            except MissingEntry:
                scores[student] = None
    return scores


def timed_run(label: str, command: list[str], course_dir: Path, assignment: str, students: list[str]) -> Run:
    """Run ``command`` in ``course_dir``, timing it from start to exit, and read the scores back."""
    run = Run(label, command, load_before=os.getloadavg()[0])
    start = time.perf_counter()
    result = subprocess.run(command, cwd=course_dir, env=_environment(), capture_output=True, text=True)
    run.seconds = time.perf_counter() - start
    run.returncode = result.returncode
    run.output = result.stdout + result.stderr
    run.scores = read_scores(course_dir, assignment, students)
    return run


def check_scores(runs: list[Run], submissions: list[Submission]) -> list[str]:
    """Submissions whose score differs from the designed points, by run (empty: all right)."""
    problems = []
    for run in runs:
        for submission in submissions:
            score = run.scores.get(submission.student)
            if score != submission.points:
                problems.append(f"{run.label}: {submission.student} (a copy of {submission.sample}) scored "
                                f"{'nothing (not graded)' if score is None else f'{score:g}'}, "
                                f"designed {submission.points:g}")
    return problems


SINGLE_KERNEL_CONFIG = """
# The benchmark's baseline: nbgrader's own Execute step, the notebook and its tests in one kernel
# (how grading ran before the two-phase sandboxed grading; unsafe with untrusted code).
from nbgrader.preprocessors import Execute, SaveAutoGrades

c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
"""


def single_kernel_course(course_dir: Path) -> None:
    """Make a course copy grade the old way (nbgrader's Execute: notebook and tests in one kernel)."""
    config = course_dir / "nbgrader_config.py"
    config.write_text(config.read_text() + SINGLE_KERNEL_CONFIG)


def format_table(assignment: str, submissions: list[Submission], serial: Run, parallel: Run, jobs: int,
                 baseline: Run | None = None) -> str:
    """The benchmark table, the ratios and the machine it ran on.

    ``baseline`` is the single-kernel serial run (nbgrader's own Execute), when it was timed.
    """
    samples = list(dict.fromkeys(s.sample for s in submissions))
    count = len(submissions)
    lines = [
        f"Autograding {count} submissions of {assignment} (copies of {len(samples)} samples: {', '.join(samples)})",
        f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}",
        "",
        f"{'run':<48} {'wall (s)':>9} {'per submission (s)':>19} {'graded':>8} {'load before':>12}",
    ]
    for run in (*([baseline] if baseline else []), serial, parallel):
        lines.append(f"{run.label:<48} {run.seconds:>9.1f} {run.seconds / count:>19.2f} "
                     f"{f'{run.graded()}/{count}':>8} {run.load_before:>12.2f}")
    ratio = serial.seconds / parallel.seconds if parallel.seconds else float("nan")
    lines += [
        "",
        f"ratio serial / qsp --jobs {jobs}: {ratio:.2f}x "
        f"(qsp --jobs {jobs} takes {100 / ratio:.0f}% of the serial time; the ideal on {jobs} cores is {jobs:.2f}x)",
    ]
    if baseline is not None and baseline.seconds:
        lines.append(f"two-phase sandboxed grading, serial, per submission: {serial.seconds / count:.2f} s against "
                     f"{baseline.seconds / count:.2f} s in one kernel ({serial.seconds / baseline.seconds:.2f}x); "
                     f"qsp --jobs {jobs}: {parallel.seconds / count:.2f} s per submission "
                     f"({parallel.seconds / baseline.seconds:.2f}x the single-kernel serial time)")
    return "\n".join(lines)


def run_benchmark(*, assignment: str = DEFAULT_ASSIGNMENT, submissions: int = DEFAULT_SUBMISSIONS,
                  jobs: int = DEFAULT_JOBS, work: Path | None = None, echo=print) -> tuple[str, list[str]]:
    """Run both autograde commands; returns the table and the score problems (empty: all right)."""
    plan = plan_submissions(assignment, submissions)
    students = [s.student for s in plan]
    with tempfile.TemporaryDirectory(prefix="qsp-bench-autograde-") as scratch:
        base = Path(work) if work is not None else Path(scratch)
        echo(f"preparing three copies of the course with {len(plan)} submissions of {assignment} in {base} ...")
        single_dir = prepare_course(base / "single-kernel", assignment, plan)
        single_kernel_course(single_dir)
        serial_dir = prepare_course(base / "serial", assignment, plan)
        parallel_dir = prepare_course(base / "qsp", assignment, plan)
        for folder in (single_dir, serial_dir, parallel_dir):
            release_course(folder, assignment)
        echo("timing serial nbgrader autograde, notebook and tests in one kernel (the old way) ...")
        baseline = timed_run(f"nbgrader autograde {assignment} (one kernel)",
                             [str(BIN / "nbgrader"), "autograde", assignment], single_dir, assignment, students)
        echo(f"  {baseline.seconds:.1f} s")
        echo("timing serial nbgrader autograde ...")
        serial = timed_run(f"nbgrader autograde {assignment} (two-phase)",
                           [str(BIN / "nbgrader"), "autograde", assignment], serial_dir, assignment, students)
        echo(f"  {serial.seconds:.1f} s")
        echo(f"timing qsp course autograde --jobs {jobs} ...")
        parallel = timed_run(
            f"qsp course autograde {assignment} --jobs {jobs}",
            [str(BIN / "qsp"), "course", "autograde", assignment, "--jobs", str(jobs), "--no-progress",
             "--course-dir", str(parallel_dir)],
            parallel_dir, assignment, students,
        )
        echo(f"  {parallel.seconds:.1f} s")
        problems = check_scores([baseline, serial, parallel], plan)
        for run in (baseline, serial, parallel):
            if run.returncode != 0:
                problems.append(f"{run.label} exited with status {run.returncode}:\n{run.output[-3000:]}")
    return format_table(assignment, plan, serial, parallel, jobs, baseline), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default=DEFAULT_ASSIGNMENT, help=f"default {DEFAULT_ASSIGNMENT}")
    parser.add_argument("--submissions", type=int, default=DEFAULT_SUBMISSIONS, help=f"default {DEFAULT_SUBMISSIONS}")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help=f"qsp's --jobs (default {DEFAULT_JOBS})")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-autograde.txt",
                        help="where the table is written (default build/bench-autograde.txt)")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the two course copies in this folder (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table, problems = run_benchmark(assignment=args.assignment, submissions=args.submissions, jobs=args.jobs,
                                    work=args.work)
    footer = ("scores: every submission got the points designed for its sample, in every run"
              if not problems else "SCORES DIFFER:\n  " + "\n  ".join(problems))
    text = f"{table}\n{footer}\n(benchmark took {time.perf_counter() - start:.0f} s in all)"
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
