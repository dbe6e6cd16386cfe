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
    actions: list = field(default_factory=list)


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


RECORD_NAME = ".release-record.json"
"""The file in the release directory (``exercises/``) recording, per assignment and file, the SHA-256
of what the last release wrote there: a file that no longer matches it was changed by a learner."""

_IGNORED_PARTS = {".ipynb_checkpoints", "__pycache__"}


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> set[Path]:
    """The files under ``folder`` (relative paths), without notebook checkpoints and caches."""
    if not folder.is_dir():
        return set()
    found = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    return {p for p in found if not _IGNORED_PARTS & set(p.parts)}


def read_release_record(release_dir: Path) -> dict[str, dict[str, str]]:
    """``{assignment: {relative file: sha256}}`` of the last release into ``release_dir`` (empty if none).

    Raises
    ------
    CourseError
        If the record exists but is not a JSON object of that shape (it was edited by hand).
    """
    import json

    path = Path(release_dir) / RECORD_NAME
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CourseError(f"{path} is not valid JSON ({error}): restore it with `git checkout {path.name}` "
                          "or delete it (every changed file is then treated as a learner's work)") from None
    if not isinstance(record, dict) or not all(isinstance(v, dict) for v in record.values()):
        raise CourseError(f"{path} should map each assignment to {{file: sha256}}: restore or delete it")
    return record


def _write_release_record(release_dir: Path, record: dict[str, dict[str, str]]) -> None:
    import json

    text = json.dumps({name: dict(sorted(files.items())) for name, files in sorted(record.items())}, indent=1)
    (Path(release_dir) / RECORD_NAME).write_text(text + "\n", encoding="utf-8")


@dataclass(frozen=True)
class FileAction:
    """What a release did with one file of ``exercises/<assignment>/``.

    ``action`` is one of ``"written"`` (new file), ``"unchanged"``, ``"updated"`` (the previous
    release, untouched, replaced), ``"kept"`` (a learner changed it and the release has not changed
    since: nothing written), ``"beside"`` (a learner changed it and the release has changed: the new
    release written to ``beside``), ``"forced"`` (overwritten with ``force``; the learner's copy saved
    to ``backup``), ``"removed"`` (no longer released and untouched) or ``"left"`` (no longer
    released but changed by a learner: left in place).
    """

    path: Path
    action: str
    beside: Path | None = None
    backup: Path | None = None

    def message(self) -> str:
        """One line for the instructor or learner."""
        if self.action == "kept":
            return (f"kept {self.path}: it was changed since it was released (your work?) and the release "
                    "has not changed since; nothing written")
        if self.action == "beside":
            return (f"kept {self.path}: it was changed since it was released (your work?); the NEW release "
                    f"is written beside it as {self.beside.name}: copy your answers into it, or use "
                    "`qsp course release --force` to replace your copy (a backup is kept)")
        if self.action == "forced":
            return f"replaced {self.path} (--force); your copy is saved as {self.backup.name}"
        if self.action == "left":
            return f"left {self.path}: no longer part of the release, but changed since it was released"
        return f"{self.action} {self.path}"


def _stamped(path: Path, label: str) -> Path:
    """``name.<label>-YYYYMMDD-HHMMSS.ext`` beside ``path``, never an existing file."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{number}{path.suffix}")
        number += 1
    return candidate


def _sync(fresh: Path, target: Path, recorded: dict[str, str], *, force: bool) -> tuple[list[FileAction], dict[str, str]]:
    """Copy a fresh release ``fresh`` into ``target`` without losing a learner's changes.

    A file of ``target`` that differs from both the fresh release and what the last release wrote
    (``recorded``: relative path -> sha256) was changed by someone: it is never overwritten unless
    ``force``, and then a backup is kept. Returns the actions and the new record.
    """
    import shutil

    actions, record = [], {}
    new_files = _files(fresh)
    for relative in sorted(new_files):
        source, destination, key = fresh / relative, target / relative, relative.as_posix()
        new = _sha256(source)
        record[key] = new
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
            actions.append(FileAction(destination, "written"))
            continue
        current = _sha256(destination)
        if current == new:
            actions.append(FileAction(destination, "unchanged"))
        elif current == recorded.get(key):
            shutil.copy2(source, destination)
            actions.append(FileAction(destination, "updated"))
        elif force:
            backup = _stamped(destination, "backup")
            shutil.copy2(destination, backup)
            shutil.copy2(source, destination)
            actions.append(FileAction(destination, "forced", backup=backup))
        elif new == recorded.get(key):
            actions.append(FileAction(destination, "kept"))
        else:
            beside = _stamped(destination, "new-release")
            shutil.copy2(source, beside)
            actions.append(FileAction(destination, "beside", beside=beside))
    for key in sorted(set(recorded) - {p.as_posix() for p in new_files}):
        destination = target / key
        if not destination.is_file():
            continue
        if _sha256(destination) == recorded[key]:
            destination.unlink()
            actions.append(FileAction(destination, "removed"))
        elif force:
            backup = _stamped(destination, "backup")
            destination.rename(backup)
            actions.append(FileAction(destination, "forced", backup=backup))
        else:
            actions.append(FileAction(destination, "left"))
    return actions, record


def release(
    course: Course,
    assignments: list[str] | None = None,
    *,
    release_dir: str | os.PathLike | None = None,
    db_url: str | None = None,
    force: bool = False,
) -> list[StepResult]:
    """Generate the student version of each assignment (nbgrader ``generate_assignment``), losing no work.

    nbgrader writes each release into a scratch folder; it is then copied into the release
    directory (``exercises/``) file by file. A file there that differs from both the new release
    and what the previous release wrote (recorded in ``exercises/.release-record.json``) was
    changed by a learner and is never overwritten: if the release has not changed since, it is
    kept as it is; if it has, the new release is written beside it
    (``<name>.new-release-<time>.ipynb``). Only ``force`` overwrites it, after saving it as
    ``<name>.backup-<time>.ipynb``. Files a learner added are left alone.

    Parameters
    ----------
    course : Course
        The course (see :meth:`Course.find`).
    assignments : list of str, optional
        Assignment names (folders of ``solutions/``); all of them by default.
    release_dir : path, optional
        Write the releases here instead of the configured release directory (``exercises/``).
    db_url : str, optional
        Gradebook to record the assignment in, instead of the course's.
    force : bool, default False
        Overwrite files a learner changed, keeping a backup of each beside it.

    Returns
    -------
    list of StepResult
        One per assignment; ``outputs`` lists the released files and ``actions`` what was done
        with each (see :class:`FileAction`).

    Raises
    ------
    CourseError
        If nbgrader fails for an assignment (with its log), or the release record is damaged.
    """
    import shutil
    import tempfile

    names = _check_assignments(course, assignments)
    target = Path(release_dir).resolve() if release_dir is not None else course.release
    record = read_release_record(target)
    results = []
    with tempfile.TemporaryDirectory(prefix="qsp-release-") as scratch:
        overrides = {"CourseDirectory.release_directory": str(Path(scratch).resolve())}
        if db_url is not None:
            overrides["CourseDirectory.db_url"] = db_url
        api = course.api(**overrides)
        for name in names:
            raw = api.generate_assignment(name, force=True, create=True)
            result = _result(name, None, raw)
            if not result.success:
                raise CourseError(f"releasing {name} failed:\n{result.log}\n{result.error}")
            target.mkdir(parents=True, exist_ok=True)
            actions, record[name] = _sync(Path(scratch) / name, target / name, record.get(name, {}), force=force)
            shutil.rmtree(Path(scratch) / name)
            outputs = sorted(target / name / p for p in record[name])
            results.append(StepResult(name, None, True, result.log, result.error, outputs, actions))
            _write_release_record(target, record)
    return results


def ensure_in_gradebook(course: Course, assignment: str) -> bool:
    """Record ``assignment`` in the gradebook if it is not there yet (by releasing it).

    Returns True when a release was needed. Releasing regenerates ``exercises/<assignment>``
    identically from ``solutions/``, so the committed release is not changed (and a learner's
    changed copy is never overwritten: see :func:`release`).
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


@dataclass(frozen=True)
class ReleaseCheck:
    """How ``exercises/`` stands against a fresh release of ``solutions/`` (:func:`check_release`).

    ``problems``: the release is out of date (the last release differs from a fresh one, or files
    are missing): run ``qsp course release``. ``changed``: files changed since they were released
    (a learner's work, or a hand edit), kept by every release. ``validation``: problems in the
    fresh release notebooks themselves (solution code left, outputs, graded cells lost).
    """

    problems: list[str]
    changed: list[str]
    validation: list[str]


def check_release(course: Course, assignments: list[str] | None = None) -> ReleaseCheck:
    """Compare ``exercises/`` and its release record with a fresh release of ``solutions/``.

    The fresh release is generated into a temporary folder with a temporary gradebook, so
    neither ``exercises/`` nor the course's gradebook is touched. Out of date means: what the last
    release wrote (``exercises/.release-record.json``; the files themselves where there is no
    record) differs from the fresh release. A file changed since its release is reported apart,
    since a learner answering in ``exercises/`` is expected.
    """
    import tempfile

    from .validate import validate_release

    names = _check_assignments(course, assignments)
    record = read_release_record(course.release)
    problems, changed, validation = [], [], []
    folder = course.release.name
    with tempfile.TemporaryDirectory(prefix="qsp-release-") as scratch:
        fresh = Path(scratch) / "release"
        release(course, names, release_dir=fresh, db_url=f"sqlite:///{Path(scratch) / 'gradebook.db'}")
        for name in names:
            recorded = record.get(name)
            new_files = {p.as_posix(): _sha256(fresh / name / p) for p in _files(fresh / name)}
            old_folder = course.release / name
            for key, new in sorted(new_files.items()):
                path = old_folder / key
                if not path.is_file():
                    problems.append(f"{name}/{key}: missing from {folder}/")
                    continue
                current = _sha256(path)
                if recorded is None:
                    if current != new:
                        problems.append(f"{name}/{key}: differs from a fresh release (and {folder}/ has no "
                                        f"release record)")
                elif recorded.get(key) != new:
                    problems.append(f"{name}/{key}: the last release differs from a fresh release")
                elif current != new:
                    changed.append(f"{folder}/{name}/{key}")
            stale = set(recorded or {}) - set(new_files) if recorded is not None else (
                {p.as_posix() for p in _files(old_folder)} - set(new_files))
            for key in sorted(stale):
                if (old_folder / key).is_file():
                    problems.append(f"{name}/{key}: in {folder}/ but not in a fresh release")
            for path in course.source_notebooks(name):
                validation += validate_release(path, fresh / name / f"{path.stem}.ipynb")
    return ReleaseCheck(problems, changed, validation)


def release_differences(course: Course, assignments: list[str] | None = None) -> list[str]:
    """Why ``exercises/`` is not a fresh release of ``solutions/`` (empty: in sync, nothing changed).

    Out-of-date files and files changed since their release together; see :func:`check_release`.
    """
    found = check_release(course, assignments)
    return found.problems + [f"{path}: changed since it was released" for path in found.changed]


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
