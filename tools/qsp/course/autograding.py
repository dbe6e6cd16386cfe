"""Autograde every submission of an assignment: inspected, repaired, isolated, in parallel.

For each ``course/submitted/<student>/<assignment>/`` folder:

1. :func:`inspect_submission` looks for the damage that makes nbgrader 0.9.6 fail or score 0
   silently, repairs what it can and says what it found, by student:

   - a *renamed notebook* (``ps00-tools-Copy1.ipynb``, ``Copy of ps00-tools.ipynb``) is copied
     to the expected name (the original is kept);
   - *copied graded cells* (a repeated grade id) and *stripped nbgrader metadata* are reported
     here and repaired inside nbgrader by ``qsp.course.preprocessors.RepairSubmission``;
   - *deleted test cells* are reported; nbgrader puts them back (``add_missing_cells``);
   - a file that is *not a readable notebook* is reported and not graded.

2. Each submission is graded by nbgrader in its own subprocess (:mod:`qsp.course.worker`),
   ``jobs`` at a time, so one broken submission never stops the others. Inside it, the
   notebook runs in a bubblewrap sandbox and the tests run outside it, on the values it
   recorded (:mod:`qsp.course.twophase`), with a time limit per cell and a memory limit.
   Failures are collected and reported by name, each with one line that says why; what a
   notebook did that grading neutralised is logged as an integrity note, by student
   (``course/logs/<assignment>/integrity.log``).

Grading refuses to start where the sandbox cannot (:func:`qsp.course.confine.probe` says why and
what to do) unless ``sandboxed=False`` (``--unsafe-no-sandbox``), which every grade records.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .actions import CourseError, ensure_in_gradebook
from .layout import Course, ensure_venv_on_path

DEFAULT_TIMEOUT = 60
"""Seconds one cell may run before nbgrader interrupts it."""

DEFAULT_MEMORY_MB = 4096
"""Address-space limit (MiB) of each process that runs a student's notebook."""

MIN_MEMORY_MB = 512
"""The smallest memory limit accepted: below it a notebook's kernel cannot even start."""

_LOG_NOTES = [
    (re.compile(r"Missing grade cell (\S+) encountered"), "test cell '{0}' had been deleted: nbgrader put it back"),
    (re.compile(r"Attribute 'points' for cell (\S+) has changed"),
     "the points of cell '{0}' had been changed: the original points were restored"),
    (re.compile(r"is ([0-9.]+) seconds late"), "submitted {0} seconds late"),
]

TRANSIENT_RETRIES = 2
"""How many times a submission is graded again after a failure that is not the student's doing."""

_TRANSIENT = re.compile(r"database is locked|Kernel died before replying to kernel_info|Kernel didn't respond in")
"""Failures before any student code runs: a gradebook busy with another process, a kernel that did not start."""

_LIMIT_ERRORS = {
    "MemoryError": "ran out of memory (limit {memory} MiB)",
    "CellTimeoutError": "ran out of time (limit {timeout} s per cell) and was stopped",
    "KeyboardInterrupt": "ran out of time (limit {timeout} s per cell) and was interrupted",
    "DeadKernelError": "crashed the kernel",
}


def execution_notes(course: Course, assignment: str, student: str, *, timeout: int, memory_mb: int) -> list[str]:
    """Cells of the autograded notebooks that hit a limit (memory, time) or killed the kernel."""
    import nbformat

    notes = []
    for path in sorted((course.autograded / student / assignment).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # a damaged output is reported elsewhere
            continue
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                message = _LIMIT_ERRORS.get(output.get("ename", "")) if output.get("output_type") == "error" else None
                if message:
                    name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
                    text = message.format(memory=memory_mb or "no", timeout=timeout)
                    notes.append(f"{path.name}: {name} {text}; the tests that need it score 0")
                    break
    return notes


@dataclass
class SubmissionResult:
    """How the grading of one student's submission went."""

    student: str
    status: str = "pending"
    """``"graded"``, ``"skipped"`` (already graded; use force) or ``"failed"``."""
    score: float | None = None
    max_score: float | None = None
    notes: list[str] = field(default_factory=list)
    """Repairs and warnings an instructor should know about, in plain words."""
    integrity: list[str] = field(default_factory=list)
    """What the notebook did that grading neutralised (a patched function, a rewritten cell...)."""
    error: str = ""
    """Why grading failed (empty when it did not)."""
    log: Path | None = None
    seconds: float = 0.0

    def line(self) -> str:
        score = f"{self.score:g}/{self.max_score:g}" if self.score is not None and self.max_score else "-"
        text = f"{self.student:<24} {self.status:<8} {score:>9}  {self.seconds:5.1f} s"
        details = [*self.notes, *(f"integrity: {note}" for note in self.integrity), *([self.error] if self.error else [])]
        return text + "".join(f"\n    - {detail}" for detail in details)


@dataclass
class AutogradeReport:
    """The outcome of :func:`autograde` for one assignment."""

    assignment: str
    results: list[SubmissionResult]
    seconds: float = 0.0

    @property
    def failed(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def by_student(self) -> dict[str, SubmissionResult]:
        return {r.student: r for r in self.results}

    def summary(self) -> str:
        graded = sum(r.status == "graded" for r in self.results)
        skipped = sum(r.status == "skipped" for r in self.results)
        lines = [f"{self.assignment}: {graded} graded, {skipped} skipped, {len(self.failed)} failed "
                 f"in {self.seconds:.1f} s"]
        lines += [r.line() for r in self.results]
        if self.failed:
            lines.append("NOT GRADED (see the logs; the others were graded): "
                         + ", ".join(f"{r.student} ({r.error.splitlines()[0] if r.error else 'error'})" for r in self.failed))
        return "\n".join(lines)


# --------------------------------------------------------------------------- inspection


def _expected_notebooks(course: Course, assignment: str) -> list[str]:
    return [p.stem for p in course.source_notebooks(assignment)]


def _pick_renamed(expected: str, candidates: list[Path], unmatched_expected: int) -> Path | None:
    related = [p for p in candidates if expected.lower() in p.stem.lower()]
    if related:
        return max(related, key=lambda p: p.stat().st_mtime)
    if unmatched_expected == 1 and len(candidates) == 1:
        return candidates[0]
    return None


def inspect_submission(course: Course, assignment: str, student: str, *, repair_files: bool = True) -> tuple[list[str], str]:
    """Find (and, for renamed notebooks, repair) the damage in one submission.

    Parameters
    ----------
    course : Course
    assignment, student : str
    repair_files : bool
        Copy a renamed notebook to its expected name in the submission folder.

    Returns
    -------
    notes : list of str
        What was found and done, for the instructor.
    fatal : str
        Why the submission cannot be graded at all ("" when it can).
    """
    import nbformat

    from . import repair

    folder = course.submitted / student / assignment
    notes: list[str] = []
    expected = _expected_notebooks(course, assignment)
    present = {p.stem: p for p in folder.glob("*.ipynb")}
    extra = [p for stem, p in sorted(present.items()) if stem not in expected]
    missing = [stem for stem in expected if stem not in present]
    used: set[Path] = set()
    for stem in missing:
        pick = _pick_renamed(stem, [p for p in extra if p not in used], len(missing))
        if pick is None:
            notes.append(f"notebook {stem}.ipynb is missing: it scores 0")
            continue
        used.add(pick)
        if repair_files:
            shutil.copy2(pick, folder / f"{stem}.ipynb")
            present[stem] = folder / f"{stem}.ipynb"
            notes.append(f"renamed notebook '{pick.name}' graded as '{stem}.ipynb' (copied; the original is kept)")
        else:
            notes.append(f"renamed notebook '{pick.name}' should be '{stem}.ipynb'")
    for path in extra:
        if path in used:
            continue
        same = any(
            (folder / f"{stem}.ipynb").is_file() and path.read_bytes() == (folder / f"{stem}.ipynb").read_bytes()
            for stem in expected
        )
        if same:
            notes.append(f"'{path.name}' is a renamed copy of the graded notebook")
        else:
            notes.append(f"extra notebook '{path.name}' is not graded")
    fatal = []
    for stem in expected:
        path = present.get(stem)
        if path is None:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            cell_ids = [cell.get("id") for cell in json.loads(text).get("cells", []) if isinstance(cell, dict)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # nbformat renumbers repeated cell ids, with a warning
                nb = nbformat.reads(text, as_version=4)
        except Exception as error:
            reason = (str(error).splitlines() or [""])[0][:120]
            fatal.append(f"{path.name} is not a readable notebook ({type(error).__name__}: {reason})")
            continue
        repeated = sorted({i for i in cell_ids if i is not None and cell_ids.count(i) > 1})
        if repeated:
            notes.append(f"{stem}.ipynb repeats the cell ids {', '.join(repeated)}: renumbered")
        notes += repair.deduplicate_grade_ids(nb)
        release_path = course.release_notebook(assignment, stem)
        if release_path.is_file():
            release = nbformat.read(release_path, as_version=4)
            graded_before = sum(repair.is_graded_cell(c) for c in nb.cells)
            restored = repair.restore_metadata(nb, release)
            if restored:
                kind = "all its" if graded_before == 0 else f"{len(restored)}"
                notes.append(f"{stem}.ipynb had lost {kind} nbgrader cell metadata (edited outside Jupyter?): "
                             f"restored by matching the release ({', '.join(restored)})")
            released_source = {repair.grade_id(c): c.source for c in release.cells if repair.is_graded_cell(c)}
            edited = [
                repair.grade_id(c) for c in nb.cells
                if repair.is_graded_cell(c) and c.metadata["nbgrader"].get("locked")
                and not c.metadata["nbgrader"].get("solution")
                and released_source.get(repair.grade_id(c), c.source).strip() != c.source.strip()
            ]
            if edited:
                notes.append(f"{stem}.ipynb: read-only cells {', '.join(edited)} had been edited: "
                             "nbgrader restores the originals")
            lost = repair.missing_grade_ids(nb, release)
            if lost:
                notes.append(f"{stem}.ipynb lacks the cells {', '.join(lost)}: deleted test cells are put back by "
                             "nbgrader, deleted answers score 0")
    return notes, "; ".join(fatal)


# --------------------------------------------------------------------------- grading


_CONTEXT = None


def _fork_context():
    """A multiprocessing context whose server process has imported nbgrader once."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing

        from .worker import CHILD_ENVIRONMENT, PRELOAD

        ensure_venv_on_path()
        os.environ.setdefault("MPLBACKEND", CHILD_ENVIRONMENT["MPLBACKEND"])
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _CONTEXT = context
    return _CONTEXT


def start_grading_server() -> None:
    """Start the process that the per-submission grading processes are forked from, if not running.

    It imports nbgrader (about 4 s) in the background: call it as early as possible (the
    ``qsp course autograde`` command does, before loading the course) so that this overlaps
    with the caller's own work. :func:`autograde` calls it too.
    """
    from multiprocessing import forkserver

    _fork_context()
    forkserver.ensure_running()


def _run_child(course: Course, assignment: str, student: str, *, timeout: int, memory_mb: int, force: bool,
               wall_seconds: float, log_path: Path, sandboxed: bool = True) -> dict:
    """Grade one submission in a fresh child process; kill it if it exceeds ``wall_seconds``."""
    import tempfile

    from .worker import grade_in_child

    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(f"# qsp course autograde {assignment} --student {student} (per-cell timeout {timeout} s, "
                        f"memory limit {memory_mb or 'none'} MB), queued at {time.strftime('%H:%M:%S')}\n")
    handle, result_path = tempfile.mkstemp(prefix="qsp-autograde-", suffix=".json")
    os.close(handle)
    try:
        process = _fork_context().Process(
            target=grade_in_child,
            args=(str(course.root), assignment, student, int(timeout), int(memory_mb or 0), force, result_path,
                  str(log_path), bool(sandboxed)),
            name=f"qsp-autograde-{student}",
        )
        process.start()
        process.join(wall_seconds)
        if process.is_alive():
            process.kill()
            process.join()
            return {"success": False, "error": f"grading took longer than {wall_seconds:.0f} s and was stopped"}
        text = Path(result_path).read_text()
        if not text:
            return {"success": False, "error": f"the grading process stopped with exit code {process.exitcode}"}
        return json.loads(text)
    finally:
        Path(result_path).unlink(missing_ok=True)


_EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception|Exit)): (.+)$")


def _short_error(result: dict) -> str:
    """One line saying why grading failed, from nbgrader's result (never "Traceback ...")."""
    text = (result.get("error") or "").strip()
    log = result.get("log", "")
    for pattern, reason in [
        (r"not a valid notebook|NotJSONError|JSONDecodeError|Notebook does not appear to be JSON",
         "the notebook file is damaged (not valid JSON)"),
        (r"add_missing_grade_cells|add_missing_task_cells", "cells are missing and could not be put back "
         "(nbgrader#1682): grade this one by hand"),
        (r"database is locked", "the gradebook was busy (database is locked)"),
        (r"Inconsistent checksums for cell", "a test cell was turned into an answer cell or its nbgrader metadata was "
         "edited: nbgrader will not grade it; ask for the original notebook or grade it by hand"),
        (r"grading took longer than|ran out of memory|stopped with exit code", None),
    ]:
        if re.search(pattern, text + "\n" + log):
            return reason or text.splitlines()[0]
    raised = [match for line in (text + "\n" + log).splitlines() if (match := _EXCEPTION_LINE.match(line))]
    if raised:  # the last exception raised: the innermost cause
        kind, message = raised[-1].groups()
        return (message if kind == "GradingError" else f"{kind}: {message}").strip()[:200]
    errors = [
        line.removeprefix("[ERROR] ") for line in log.splitlines()
        if line.startswith("[ERROR]") and "There was an error processing" not in line and "Please see" not in line
    ]
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(("Traceback", "  "))]
    return (errors or lines[-1:] or ["unknown error (see the log)"])[0].strip()[:200]


def _integrity_notes(log: str) -> list[str]:
    """The integrity notes the two-phase grading logged (see :mod:`qsp.course.twophase`)."""
    from .twophase import INTEGRITY_PREFIX

    return [line.split(INTEGRITY_PREFIX, 1)[1].strip() for line in log.splitlines() if INTEGRITY_PREFIX in line]


def _write_integrity_log(course: Course, assignment: str, results: list[SubmissionResult], sandboxed: bool) -> None:
    """Append this run's integrity notes, by student, to ``logs/<assignment>/integrity.log``."""
    lines = [f"{time.strftime('%Y-%m-%d %H:%M:%S')}\t{r.student}\t{note}" for r in results for note in r.integrity]
    if not sandboxed:
        lines.append(f"{time.strftime('%Y-%m-%d %H:%M:%S')}\t*\tgraded WITHOUT the sandbox (--unsafe-no-sandbox)")
    if not lines:
        return
    path = course.log_dir(assignment) / "integrity.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write("\n".join(lines) + "\n")


def _scores(course: Course, assignment: str, students: Sequence[str]) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(course.db_url, "qsp") as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            scores[student] = (float(submission.score), float(submission.max_score))
    return scores


def _progress(total: int, show: bool) -> Callable[[str], None]:
    if not show:
        return lambda _name: None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with the notebook stack
        done = [0]

        def tick(name: str) -> None:
            done[0] += 1
            print(f"[{done[0]}/{total}] {name}", file=sys.stderr, flush=True)

        return tick
    bar = tqdm(total=total, unit="submission", file=sys.stderr, leave=True)

    def tick(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return tick


MAX_TIMEOUT = 24 * 3600
"""The longest time limit per cell that makes sense (a day): a larger one is a typo."""


def max_jobs() -> int:
    """The most grading processes at once that make sense here: 4 per core, at least 8."""
    return max(8, 4 * (os.cpu_count() or 1))


def physical_memory_mb() -> int | None:
    """The machine's memory in MiB (None where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def check_limits(*, jobs: int, timeout: int | None = None, memory_mb: int | None = None) -> None:
    """Raise a ``ValueError`` that says what is wrong when a grading limit is negative, zero or absurd.

    ``jobs`` from 1 to :func:`max_jobs`; ``timeout`` from 1 s to a day; ``memory_mb`` 0 (no limit)
    or from :data:`MIN_MEMORY_MB` to the machine's memory.
    """
    if not 1 <= jobs <= max_jobs():
        raise ValueError(f"--jobs must be between 1 and {max_jobs()} (4 per core of this machine), got {jobs}.")
    if timeout is not None and not 1 <= timeout <= MAX_TIMEOUT:
        raise ValueError(f"--timeout must be between 1 and {MAX_TIMEOUT} seconds per cell, got {timeout}.")
    if memory_mb is not None:
        if memory_mb < 0 or 0 < memory_mb < MIN_MEMORY_MB:
            raise ValueError(f"--memory-mb must be 0 (no limit) or at least {MIN_MEMORY_MB} MiB (a notebook's kernel "
                             f"needs about that much to start), got {memory_mb}.")
        total = physical_memory_mb()
        if total is not None and memory_mb > total:
            raise ValueError(f"--memory-mb {memory_mb} is more than this machine's memory ({total} MiB): "
                             "give at most that, or 0 for no limit.")


def autograde(
    course: Course,
    assignment: str,
    *,
    students: Sequence[str] | None = None,
    jobs: int = 2,
    timeout: int = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    force: bool = False,
    progress: bool = True,
    sandboxed: bool = True,
) -> AutogradeReport:
    """Autograde the submissions of ``assignment``, each in its own process, ``jobs`` at a time.

    Parameters
    ----------
    course : Course
    assignment : str
        The assignment name (a folder of ``solutions/``).
    students : sequence of str, optional
        Only these students (default: every ``submitted/<student>/<assignment>``).
    jobs : int
        Submissions graded at the same time (default 2; use the number of cores).
    timeout : int
        Seconds one cell may run (nbgrader's ``Execute.timeout``). A whole submission is
        stopped after ``120 + timeout * (number of code cells)`` seconds.
    memory_mb : int
        Address-space limit of each grading process and its kernel, in MiB (0: no limit).
    force : bool
        Grade again submissions that are already graded (nbgrader skips them otherwise).
    progress : bool
        Show a progress bar (tqdm) on standard error.
    sandboxed : bool
        Run student code in the bubblewrap sandbox (default). False (``--unsafe-no-sandbox``) runs
        it as a plain process; every grade it produces records that.

    Returns
    -------
    AutogradeReport
        Per student: status, score, notes on repairs, and why grading failed.

    Raises
    ------
    ValueError
        If ``jobs`` or ``timeout`` is below 1.
    CourseError
        If the assignment is unknown, a named student has no submission of it, or the sandbox
        cannot start (the message says why and what to do).
    """
    if assignment not in course.assignments():
        raise CourseError(f"no assignment {assignment!r} in {course.source}; known: {', '.join(course.assignments())}")
    available = course.submitted_students(assignment)
    unknown = [s for s in (students or []) if s not in available]
    if unknown:
        raise CourseError(f"no submission of {assignment} by {', '.join(unknown)} in {course.submitted}")
    reports = autograde_assignments(course, [assignment], students=students, jobs=jobs, timeout=timeout,
                                    memory_mb=memory_mb, force=force, progress=progress, sandboxed=sandboxed)
    return reports[0] if reports else AutogradeReport(assignment, [], 0.0)


def autograde_assignments(
    course: Course,
    assignments: Sequence[str] | None = None,
    *,
    students: Sequence[str] | None = None,
    jobs: int = 2,
    timeout: int = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    force: bool = False,
    progress: bool = True,
    sandboxed: bool = True,
) -> list[AutogradeReport]:
    """Autograde the submissions of several assignments in one pool of ``jobs`` grading processes.

    Like :func:`autograde`, but the submissions of all the assignments share the pool, so no
    core waits for the slowest submission of one assignment before the next assignment starts
    (``qsp course autograde`` without an assignment, ``qsp course samples``).

    Parameters
    ----------
    course : Course
    assignments : sequence of str, optional
        Assignment names (default: every assignment with submissions).
    students : sequence of str, optional
        Only these students, in each assignment they submitted (default: everyone).
    jobs, timeout, memory_mb, force, progress, sandboxed
        As in :func:`autograde`.

    Returns
    -------
    list of AutogradeReport
        One per assignment that has submissions to grade, in the order given; each report's
        ``seconds`` runs from the start until that assignment's last submission was graded.

    Raises
    ------
    ValueError
        If ``jobs`` or ``timeout`` is below 1, or ``memory_mb`` is negative or below what a
        notebook needs to start.
    CourseError
        If an assignment is unknown, a named student submitted none of the assignments, or
        the sandbox cannot start.
    """
    check_limits(jobs=jobs, timeout=timeout, memory_mb=memory_mb)
    if sandboxed:
        from .confine import probe

        works, how = probe()
        if not works:
            raise CourseError(f"cannot grade safely on this machine: {how}")
    known = course.assignments()
    names = list(assignments) if assignments else [a for a in known if course.submitted_students(a)]
    unknown = [a for a in names if a not in known]
    if unknown:
        raise CourseError(f"no assignment {', '.join(map(repr, unknown))} in {course.source}; known: {', '.join(known)}")
    start = time.perf_counter()
    start_grading_server()  # it imports nbgrader while this process does the same and inspects submissions
    chosen: dict[str, list[str]] = {}
    for name in names:
        available = course.submitted_students(name)
        chosen[name] = [s for s in students if s in available] if students else available
    if students:
        nowhere = [s for s in students if not any(s in group for group in chosen.values())]
        if nowhere:
            raise CourseError(f"no submission of {', '.join(names)} by {', '.join(nowhere)} in {course.submitted}")
    names = [name for name in names if chosen[name]]

    import nbformat

    results: dict[tuple[str, str], SubmissionResult] = {}
    walls: dict[str, float] = {}
    to_grade: list[tuple[str, str]] = []
    for name in names:
        ensure_in_gradebook(course, name)
        code_cells = sum(
            c.cell_type == "code" for p in course.source_notebooks(name) for c in nbformat.read(p, as_version=4).cells
        )
        walls[name] = 300 + 2 * (timeout + 5) * max(code_cells, 1)  # the two phases each have their own limits
        for student in chosen[name]:
            entry = SubmissionResult(student=student, log=course.log_dir(name) / f"{student}.log")
            results[name, student] = entry
            notes, fatal = inspect_submission(course, name, student)
            entry.notes.extend(notes)
            if fatal:
                entry.status = "failed"
                entry.error = fatal
            else:
                to_grade.append((name, student))

    tick = _progress(len(results), progress)
    for (_, student), entry in results.items():
        if entry.status == "failed":
            tick(student)
    finished = {name: time.perf_counter() - start for name in names}

    def run(name: str, student: str) -> tuple[str, str, dict, float]:
        begin = time.perf_counter()
        options = {"timeout": timeout, "memory_mb": memory_mb, "force": force, "wall_seconds": walls[name],
                   "log_path": results[name, student].log, "sandboxed": sandboxed}
        result = _run_child(course, name, student, **options)
        for _ in range(TRANSIENT_RETRIES):
            if result.get("success") or not _TRANSIENT.search(result.get("error", "") + result.get("log", "")):
                break
            result = _run_child(course, name, student, **options)  # a busy gradebook or a kernel that failed to start
        return name, student, result, time.perf_counter() - begin

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run, name, student) for name, student in to_grade]
        for future in as_completed(futures):
            name, student, result, seconds = future.result()
            entry = results[name, student]
            entry.seconds = seconds
            if result.get("success"):
                entry.status = "skipped" if result.get("skipped") else "graded"
                if entry.status == "skipped":
                    entry.notes.append("already graded: not graded again (use --force)")
            else:
                entry.status = "failed"
                entry.error = _short_error(result)
            if entry.status == "graded":
                entry.notes.extend(execution_notes(course, name, student, timeout=timeout, memory_mb=memory_mb))
            log = result.get("log", "") + "\n" + result.get("error", "")
            entry.integrity.extend(dict.fromkeys(_integrity_notes(log)))
            for pattern, note in _LOG_NOTES:
                for match in dict.fromkeys(pattern.findall(log)):
                    text = note.format(match) if "{0}" in note else note
                    if text not in entry.notes:
                        entry.notes.append(text)
            finished[name] = time.perf_counter() - start
            tick(student)

    for name in names:
        _write_integrity_log(course, name, [results[name, s] for s in chosen[name]], sandboxed)
    reports = []
    for name in names:
        gradeable = [s for s in chosen[name] if results[name, s].status != "failed"]
        for student, (score, max_score) in _scores(course, name, gradeable).items():
            results[name, student].score, results[name, student].max_score = score, max_score
        reports.append(AutogradeReport(name, [results[name, s] for s in chosen[name]], finished[name]))
    return reports
