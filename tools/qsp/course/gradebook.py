"""Grades out of nbgrader's gradebook: a CSV for the learning platform, and the course status.

:func:`export_grades` writes one row per student and assignment with the columns
``student_id, assignment, score, max_score, percent, status, sandbox``: the long format that Moodle
("Import grades from CSV", mapping ``student_id`` to the username or ID number) and Canvas
(through a spreadsheet pivot, or the gradebook import of one assignment at a time) accept.
Students with no submission get a score of 0 and the status ``missing``; a submission that could
not be graded has an empty score and the status ``not graded`` (a platform then leaves the
grade unchanged). ``sandbox`` says how a graded submission was graded: ``yes`` (student code in
the bubblewrap sandbox, the tests outside it), ``no`` (``--unsafe-no-sandbox``), empty when it
was not graded.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from .layout import Course, ensure_venv_on_path

CSV_COLUMNS = ("student_id", "assignment", "score", "max_score", "percent", "status", "sandbox")


def _gradebook(course: Course):
    ensure_venv_on_path()
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, "qsp")


def grade_rows(course: Course, assignments: list[str] | None = None) -> list[dict]:
    """Rows of the grade export (see the module docstring), sorted by assignment and student."""
    from nbgrader.api import MissingEntry

    from .twophase import graded_in_sandbox

    rows = []
    with_folders = [p.name for p in course.submitted.iterdir() if p.is_dir()] if course.submitted.is_dir() else []
    with _gradebook(course) as gradebook:
        names = assignments or sorted(a.name for a in gradebook.assignments)
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
                    score, status = 0.0, "missing"
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


def export_grades(course: Course, path: str | os.PathLike, assignments: list[str] | None = None) -> list[dict]:
    """Write the grades as CSV to ``path`` and return the rows written.

    Columns: ``student_id, assignment, score, max_score, percent, status, sandbox`` (percent of the
    maximum score, 0-100, rounded to 2 decimals).
    """
    rows = grade_rows(course, assignments)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
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
