"""The instructor's workflow as thin calls to nbgrader's own API (``nbgrader.apps.NbGraderAPI``).

- :func:`release`: ``generate_assignment`` from ``solutions/`` into ``exercises/``;
- :func:`feedback`: ``generate_feedback`` (HTML, with hidden tests removed by the course's
  configuration);
- :func:`ensure_in_gradebook`: make sure an assignment's cells are in the gradebook before
  grading (a fresh clone has ``exercises/`` but no gradebook).

Autograding is in :mod:`qsp.course.autograding` (one subprocess per submission), grade export and
status in :mod:`qsp.course.gradebook`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .layout import Course, ensure_venv_on_path


class CourseError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's log."""


@dataclass(frozen=True)
class StepResult:
    """The outcome of one nbgrader step for one assignment (and student)."""

    assignment: str
    student: str | None
    success: bool
    log: str = ""
    error: str = ""
    outputs: list[Path] = field(default_factory=list)


def _result(assignment: str, student: str | None, raw: dict, outputs: list[Path] | None = None) -> StepResult:
    return StepResult(
        assignment=assignment,
        student=student,
        success=bool(raw.get("success")),
        log=raw.get("log", ""),
        error=raw.get("error", ""),
        outputs=outputs or [],
    )


def _check_assignments(course: Course, assignments: list[str] | None) -> list[str]:
    known = course.assignments()
    if not assignments:
        return known
    unknown = [a for a in assignments if a not in known]
    if unknown:
        raise CourseError(
            f"no assignment {', '.join(unknown)} in {course.source} (known: {', '.join(known) or 'none'}). "
            "An assignment is a folder of solutions/ holding its notebook."
        )
    return list(assignments)


def release(
    course: Course,
    assignments: list[str] | None = None,
    *,
    release_dir: str | os.PathLike | None = None,
    db_url: str | None = None,
) -> list[StepResult]:
    """Generate the student version of each assignment (nbgrader ``generate_assignment``).

    Parameters
    ----------
    course : Course
        The course (see :meth:`Course.find`).
    assignments : list of str, optional
        Assignment names (folders of ``solutions/``); all of them by default.
    release_dir : path, optional
        Write the releases here instead of the configured release directory (``exercises/``);
        used to check that ``exercises/`` is up to date.
    db_url : str, optional
        Gradebook to record the assignment in, instead of the course's.

    Returns
    -------
    list of StepResult
        One per assignment; ``outputs`` lists the released files.

    Raises
    ------
    CourseError
        If nbgrader fails for an assignment (with its log).
    """
    names = _check_assignments(course, assignments)
    overrides = {}
    if release_dir is not None:
        overrides["CourseDirectory.release_directory"] = str(Path(release_dir).resolve())
    if db_url is not None:
        overrides["CourseDirectory.db_url"] = db_url
    api = course.api(**overrides)
    target = Path(release_dir).resolve() if release_dir is not None else course.release
    results = []
    for name in names:
        raw = api.generate_assignment(name, force=True, create=True)
        outputs = sorted(p for p in (target / name).rglob("*") if p.is_file()) if (target / name).is_dir() else []
        result = _result(name, None, raw, outputs)
        if not result.success:
            raise CourseError(f"releasing {name} failed:\n{result.log}\n{result.error}")
        results.append(result)
    return results


def ensure_in_gradebook(course: Course, assignment: str) -> bool:
    """Record ``assignment`` in the gradebook if it is not there yet (by releasing it).

    Returns True when a release was needed. Releasing regenerates ``exercises/<assignment>``
    identically from ``solutions/``, so the committed release is not changed.
    """
    ensure_venv_on_path()
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, "qsp") as gradebook:
        try:
            gradebook.find_assignment(assignment)
            notebooks = gradebook.find_assignment(assignment).notebooks
            if notebooks:
                return False
        except MissingEntry:
            pass
    release(course, [assignment])
    return True


def feedback(course: Course, assignment: str | None = None, student: str | None = None) -> list[StepResult]:
    """Write feedback HTML for autograded submissions (nbgrader ``generate_feedback``).

    Hidden tests are removed from the feedback by the ``HideHiddenTests`` preprocessor the
    course configuration registers. Output: ``course/feedback/<student>/<assignment>/*.html``.

    Returns
    -------
    list of StepResult
        One per assignment (or per student when ``student`` is given).
    """
    names = [assignment] if assignment else sorted(
        p.name for p in course.autograded.glob("*/*") if p.is_dir()
    )
    names = sorted(set(names))
    api = course.api()
    results = []
    for name in names:
        raw = api.generate_feedback(name, student_id=student, force=True)
        outputs = sorted(course.feedback.glob(f"{student or '*'}/{name}/*.html"))
        results.append(_result(name, student, raw, outputs))
    return results


def release_differences(course: Course, assignments: list[str] | None = None) -> list[str]:
    """Files of ``exercises/`` that differ from a fresh release of ``solutions/`` (empty: in sync).

    The fresh release is generated into a temporary folder with a temporary gradebook, so
    neither ``exercises/`` nor the course's gradebook is touched.
    """
    import filecmp
    import tempfile

    differences = []
    with tempfile.TemporaryDirectory(prefix="qsp-release-") as scratch:
        fresh = Path(scratch) / "release"
        names = _check_assignments(course, assignments)
        release(course, names, release_dir=fresh, db_url=f"sqlite:///{Path(scratch) / 'gradebook.db'}")
        def files(folder: Path) -> set[Path]:
            if not folder.is_dir():
                return set()
            found = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
            return {p for p in found if not {".ipynb_checkpoints", "__pycache__"} & set(p.parts)}

        for name in names:
            old_folder = course.release / name
            new_files, old_files = files(fresh / name), files(old_folder)
            for relative in sorted(new_files | old_files):
                if relative not in old_files:
                    differences.append(f"{name}/{relative}: missing from {course.release.name}/")
                elif relative not in new_files:
                    differences.append(f"{name}/{relative}: in {course.release.name}/ but not in a fresh release")
                elif not filecmp.cmp(fresh / name / relative, old_folder / relative, shallow=False):
                    differences.append(f"{name}/{relative}: differs from a fresh release")
    return differences


def sample_students(folder: str | os.PathLike) -> list[Path]:
    """The sample submissions in ``folder``: sub-folders holding a notebook (not ``_*``, ``.*``, caches)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(("_", ".")) and any(p.glob("*.ipynb"))
    )


def sample_course(course: Course, out: str | os.PathLike, *, samples: str | os.PathLike | None = None) -> Course:
    """A throw-away copy of ``course`` under ``out``, with the bundled sample submissions placed.

    Copies ``nbgrader_config.py`` (and this folder's documents) to ``out/course``, the solutions
    to ``out/solutions``, and each ``tests/samples/<assignment>/<student>/`` to
    ``out/course/submitted/<student>/<assignment>/``. Nothing of the real course is touched;
    release, autograde, feedback and export then run on the copy (``qsp course samples``).
    """
    import shutil

    out = Path(out).resolve()
    samples_root = Path(samples) if samples is not None else course.root.parent / "tests" / "samples"
    if (out / "course").exists():
        shutil.rmtree(out / "course")
    for folder in ("solutions", "exercises"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    (out / "course").mkdir(parents=True)
    for path in course.root.iterdir():
        if path.is_file() and path.suffix in {".py", ".md"}:
            shutil.copy2(path, out / "course" / path.name)
    shutil.copytree(course.source, out / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    copy = Course.find(out / "course")
    for assignment in copy.assignments():
        for student in sample_students(samples_root / assignment):
            target = copy.submitted / student.name / assignment
            target.mkdir(parents=True)
            for notebook in student.glob("*.ipynb"):
                shutil.copy2(notebook, target / notebook.name)
    return copy
