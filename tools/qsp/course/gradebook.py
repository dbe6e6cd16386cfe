"""Grades out of nbgrader's gradebook: CSV files for the learning platform, and the course status.

:func:`export_grades` writes two files:

- the **long** format, one row per student and assignment, with the columns
  ``student_id, assignment, score, max_score, percent, status, sandbox``;
- the **wide** format that Moodle ("Import grades from CSV") and Canvas (Gradebook, Import)
  read: one row per student and one column per assignment, with the identifier columns
  ``Student, SIS User ID, SIS Login ID, Section`` first (each holding the nbgrader student id,
  except ``Section``, left empty). Map ``SIS User ID`` to the user's ID number or username in
  Moodle; in Canvas it matches the students whose SIS id is their nbgrader id. The second row,
  ``Points Possible``, gives each assignment's maximum score, as in Canvas's own exports.

A student who submitted nothing gets an **empty** score (status ``missing``), never a 0 that
would overwrite a grade entered by hand on the platform, unless ``missing_as_zero`` (``qsp
course export --missing-as-zero``) asks for 0. A submission that could not be graded has an
empty score and the status ``not graded``. ``sandbox`` says how a graded submission was graded:
``yes`` (student code in the bubblewrap sandbox, the tests outside it), ``no``
(``--unsafe-no-sandbox``), empty when it was not graded.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from .actions import CourseError
from .layout import Course, ensure_venv_on_path

CSV_COLUMNS = ("student_id", "assignment", "score", "max_score", "percent", "status", "sandbox")
WIDE_ID_COLUMNS = ("Student", "SIS User ID", "SIS Login ID", "Section")


def _gradebook(course: Course):
    ensure_venv_on_path()
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, "qsp")


def _has_gradebook(course: Course) -> bool:
    database = course.db_url.removeprefix("sqlite:///")
    return not (course.db_url.startswith("sqlite:///") and not Path(database).exists())


def grade_rows(course: Course, assignments: list[str] | None = None, *, missing_as_zero: bool = False) -> list[dict]:
    """Rows of the long grade export (see the module docstring), sorted by assignment and student.

    Raises
    ------
    CourseError
        If nothing has been graded yet (no gradebook, or no assignment in it), or an assignment
        asked for is not in the gradebook.
    """
    from nbgrader.api import MissingEntry

    from .twophase import graded_in_sandbox

    if not _has_gradebook(course):
        raise CourseError(f"nothing to export: no gradebook in {course.root} yet (grade first: qsp course autograde)")
    rows = []
    with_folders = [p.name for p in course.submitted.iterdir() if p.is_dir()] if course.submitted.is_dir() else []
    with _gradebook(course) as gradebook:
        known = sorted(a.name for a in gradebook.assignments)
        if not known:
            raise CourseError("nothing to export: no assignment has been graded yet (qsp course autograde ASSIGNMENT)")
        unknown = [a for a in assignments or [] if a not in known]
        if unknown:
            raise CourseError(f"no grades for {', '.join(unknown)} in the gradebook; graded assignments: {', '.join(known)}")
        names = list(dict.fromkeys(assignments)) if assignments else known
        students = sorted({s.id for s in gradebook.students} | set(with_folders))
        for name in names:
            assignment = gradebook.find_assignment(name)
            max_score = float(assignment.max_score)
            for student in students:
                submitted = (course.submitted / student / name).is_dir()
                graded = (course.autograded / student / name).is_dir()
                try:
                    submission = gradebook.find_submission(name, student)
                except MissingEntry:
                    submission = None
                if submission is not None and graded:
                    score = float(submission.score)
                    status = "needs manual grading" if submission.needs_manual_grade else "graded"
                elif submitted or submission is not None:
                    score, status = None, "not graded"
                else:
                    score, status = (0.0 if missing_as_zero else None), "missing"
                sandboxed = graded_in_sandbox(course.autograded / student / name) if graded else None
                rows.append({
                    "student_id": student,
                    "assignment": name,
                    "score": "" if score is None else round(score, 4),
                    "max_score": round(max_score, 4),
                    "percent": "" if score is None or not max_score else round(100.0 * score / max_score, 2),
                    "status": status,
                    "sandbox": {True: "yes", False: "no"}.get(sandboxed, ""),
                })
    return rows


def wide_rows(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """The long rows pivoted to one row per student and one column per assignment: (header, rows).

    The first row is ``Points Possible`` (each assignment's maximum score); a score the long rows
    leave empty stays empty.
    """
    assignments = list(dict.fromkeys(row["assignment"] for row in rows))
    header = [*WIDE_ID_COLUMNS, *assignments]
    possible = {column: "" for column in WIDE_ID_COLUMNS}
    possible["Student"] = "Points Possible"
    possible.update({row["assignment"]: row["max_score"] for row in rows})
    by_student: dict[str, dict] = {}
    for row in rows:
        student = row["student_id"]
        line = by_student.setdefault(student, {"Student": student, "SIS User ID": student, "SIS Login ID": student,
                                               "Section": ""})
        line[row["assignment"]] = row["score"]
    return header, [possible, *(by_student[s] for s in sorted(by_student))]


def _writable(path: Path) -> Path:
    if path.is_dir():
        raise CourseError(f"{path} is a folder: give a file name, e.g. --to {path / 'grades.csv'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CourseError(f"cannot create the folder {path.parent} ({error.strerror}): choose another place with --to") from None
    return path


def export_grades(course: Course, path: str | os.PathLike, assignments: list[str] | None = None, *,
                  wide: str | os.PathLike | None = None, missing_as_zero: bool = False) -> list[dict]:
    """Write the grades as CSV: the long format to ``path``, the wide one to ``wide``; return the long rows.

    Parameters
    ----------
    course : Course
    path : path
        The long CSV (columns ``student_id, assignment, score, max_score, percent, status, sandbox``;
        percent of the maximum score, 0-100, rounded to 2 decimals).
    assignments : list of str, optional
        Only these assignments (default: every assignment in the gradebook).
    wide : path, optional
        The wide CSV for Moodle and Canvas (default: beside ``path``, named ``<stem>-wide.csv``).
    missing_as_zero : bool
        Write 0 for a missing submission (default: an empty score, which overwrites nothing).

    Raises
    ------
    CourseError
        If nothing is graded yet, an assignment is unknown, or a file cannot be written.
    """
    rows = grade_rows(course, assignments, missing_as_zero=missing_as_zero)
    path = _writable(Path(path))
    wide_path = _writable(Path(wide) if wide is not None else path.with_name(f"{path.stem}-wide{path.suffix or '.csv'}"))
    header, table = wide_rows(rows)
    try:
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        with wide_path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(table)
    except OSError as error:
        raise CourseError(f"cannot write {error.filename or path} ({error.strerror}): choose another place with --to") from None
    return rows


@dataclass(frozen=True)
class AssignmentStatus:
    """What is submitted, graded and missing for one assignment."""

    assignment: str
    released: bool
    submitted: list[str] = field(default_factory=list)
    graded: list[str] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)
    """Submitted but not (successfully) autograded yet."""
    missing: list[str] = field(default_factory=list)
    """Students known to the gradebook with no submission."""
    needs_manual_grading: list[str] = field(default_factory=list)

    def line(self) -> str:
        def names(group: list[str]) -> str:
            if not group:
                return ""
            shown = ", ".join(group[:8]) + (f", ... ({len(group)})" if len(group) > 8 else "")
            return f" [{shown}]"

        return (
            f"{self.assignment}: {'released' if self.released else 'NOT released'}; "
            f"{len(self.submitted)} submitted, {len(self.graded)} graded, "
            f"{len(self.not_graded)} not graded yet{names(self.not_graded)}, "
            f"{len(self.missing)} missing{names(self.missing)}"
            + (f", {len(self.needs_manual_grading)} need manual grading{names(self.needs_manual_grading)}"
               if self.needs_manual_grading else "")
        )


def course_status(course: Course) -> list[AssignmentStatus]:
    """Per assignment: released?, who submitted, who is graded, who is missing."""
    from nbgrader.api import MissingEntry

    statuses = []
    database = course.db_url.removeprefix("sqlite:///")
    known_students: list[str] = []
    graded_by: dict[str, set[str]] = {}
    manual_by: dict[str, set[str]] = {}
    in_gradebook: set[str] = set()
    if not (course.db_url.startswith("sqlite:///") and not Path(database).exists()):
        with _gradebook(course) as gradebook:
            known_students = sorted(s.id for s in gradebook.students)
            for assignment in gradebook.assignments:
                in_gradebook.add(assignment.name)
                graded_by[assignment.name] = set()
                manual_by[assignment.name] = set()
                for student in known_students:
                    try:
                        submission = gradebook.find_submission(assignment.name, student)
                    except MissingEntry:
                        continue
                    autograded = course.autograded / student / assignment.name
                    if autograded.is_dir():
                        graded_by[assignment.name].add(student)
                    if submission.needs_manual_grade:
                        manual_by[assignment.name].add(student)
    with_folders = [p.name for p in course.submitted.iterdir() if p.is_dir()] if course.submitted.is_dir() else []
    everyone = sorted(set(known_students) | set(with_folders))
    for name in sorted(set(course.assignments()) | in_gradebook):
        submitted = course.submitted_students(name)
        graded = sorted(graded_by.get(name, set()) & set(submitted))
        statuses.append(AssignmentStatus(
            assignment=name,
            released=(course.release / name).is_dir(),
            submitted=submitted,
            graded=graded,
            not_graded=[s for s in submitted if s not in graded],
            missing=[s for s in everyone if s not in submitted],
            needs_manual_grading=sorted(manual_by.get(name, set()) & set(graded)),
        ))
    return statuses
