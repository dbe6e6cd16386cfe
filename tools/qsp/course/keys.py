"""Self-check answer keys, recorded by executing the solution notebooks (and their typical mistakes).

``qsp course keys ps00-tools`` runs ``solutions/ps00-tools/*.ipynb`` top to bottom in a fresh
kernel with ``QSP_SELFCHECK_RECORD`` set: every ``check_answer(task, value)`` then records the
salted hashes of ``value`` and every ``selfcheck_hint(task, ...)`` its hints (see
:mod:`qsp.grading.selfcheck`). The key is written to ``qsp/grading/keys/<assignment>.json``.
The salt of an existing key is kept, so re-recording an unchanged solution gives the same
file (a test checks that the committed keys are in sync with the solutions).

Typical mistakes are declared in ``solutions/<assignment>/mistakes.toml`` (left out of the
release by ``CourseDirectory.ignore``), one table per mistake::

    [a0-half]
    says = "this is what you get with a_0 = 0.5 for everyone: ..."
    [a0-half.cells]
    task1-answer = '''
    a0 = np.array([0.5, 0.5])
    a0'''

For each one the builder runs the solution again with those answer cells (by nbgrader grade id)
replaced by the mistaken code, and stores, for every self-checked task whose value that changes,
the hashes of the wrong value with the sentence ``says`` (:func:`qsp.grading.selfcheck.mistake_entry`).
The key records a fingerprint of the solution and the declarations (``mistakes_fingerprint``),
so a stale key is found without running the mistakes again (:func:`mistakes_in_sync`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .actions import CourseError
from .layout import Course

MISTAKES_FILE = "mistakes.toml"
"""The declarations of an assignment's typical mistakes, in its folder of ``solutions/``."""


def key_path(assignment: str) -> Path:
    """Where the answer key of ``assignment`` is stored in the package."""
    from qsp.grading.selfcheck import KEYS_DIRECTORY

    return KEYS_DIRECTORY / f"{assignment}.json"


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: the answer cells (grade id -> code) a learner who makes it writes."""

    name: str
    says: str
    cells: dict[str, str]


def read_mistakes(path: str | os.PathLike) -> list[Mistake]:
    """The mistakes declared in a ``mistakes.toml`` (an empty list when there is no such file).

    Raises
    ------
    CourseError
        If the file is not valid TOML, or a mistake lacks ``says`` (a sentence) or ``cells``
        (answer cell grade id -> code).
    """
    import tomllib

    path = Path(path)
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CourseError(f"{path} is not valid TOML: {error}") from None
    mistakes = []
    for name, table in data.items():
        says = table.get("says") if isinstance(table, dict) else None
        cells = table.get("cells") if isinstance(table, dict) else None
        if not isinstance(says, str) or not says.strip():
            raise CourseError(f"{path}: mistake [{name}] needs says = \"...\" (the sentence that names the mistake)")
        if not isinstance(cells, dict) or not cells or not all(isinstance(v, str) for v in cells.values()):
            raise CourseError(f"{path}: mistake [{name}] needs a [{name}.cells] table: answer cell grade id = code")
        mistakes.append(Mistake(name, " ".join(says.split()), {k: v.strip("\n") for k, v in cells.items()}))
    return mistakes


def mistakes_fingerprint(course: Course, assignment: str) -> str:
    """SHA-256 of the solution notebooks and the mistake declarations the key was recorded from."""
    digest = hashlib.sha256()
    for path in [*course.source_notebooks(assignment), course.source / assignment / MISTAKES_FILE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def mistakes_in_sync(course: Course, assignment: str, key: dict) -> bool:
    """Whether ``key``'s mistakes were recorded from the current solution and declarations."""
    return key.get("mistakes_fingerprint") == mistakes_fingerprint(course, assignment)


def without_mistakes(key: dict) -> dict:
    """A copy of ``key`` without its typical mistakes (what ``make_keys(..., mistakes=False)`` records)."""
    key = json.loads(json.dumps(key))
    key.pop("mistakes_fingerprint", None)
    for task in key.get("tasks", {}).values():
        task.pop("mistakes", None)
    return key


def _execute(nb, folder: Path, environment: dict[str, str], timeout: int) -> list[str]:
    """Execute the notebook ``nb`` in ``folder``; return the errors of failing cells."""
    from nbclient import NotebookClient

    from ..kernels import socket_kernel_config

    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        # no TCP ports that a kernel started next to it could also pick
        with socket_kernel_config() as config:
            client = NotebookClient(
                nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                resources={"metadata": {"path": str(folder)}}, config=config,
            )
            client.execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return errors


def _record_run(notebooks: list, salt: str | None, assignment: str, timeout: int,
                mistake: bool = False) -> tuple[dict, list[str]]:
    """Run ``[(path, nb), ...]`` recording check_answer values into a fresh key; (key, errors).

    For a ``mistake`` run, failed checks do not stop a cell (``QSP_SELFCHECK_MISTAKE_RUN``), so
    each self-check records the value the mistake gives even where a form check catches it first.
    """
    from qsp.grading.checks import MISTAKE_RUN_VARIABLE
    from qsp.grading.selfcheck import RECORD_ENVIRONMENT_VARIABLE, new_key

    handle, scratch = tempfile.mkstemp(prefix=f"qsp-key-{assignment}-", suffix=".json")
    os.close(handle)
    try:
        Path(scratch).write_text(json.dumps(new_key(assignment, salt=salt)))
        environment = {RECORD_ENVIRONMENT_VARIABLE: scratch, "MPLBACKEND": "Agg",
                       MISTAKE_RUN_VARIABLE: "1" if mistake else ""}
        errors = []
        for path, nb in notebooks:
            errors += [f"{path.name} {e}" for e in _execute(nb, path.parent, environment, timeout)]
        return json.loads(Path(scratch).read_text()), errors
    finally:
        Path(scratch).unlink(missing_ok=True)


def _with_mistake(nb, mistake: Mistake, used: set[str]):
    """A copy of the solution notebook ``nb`` with the mistake's answer cells in place of the solution's."""
    mutated = copy.deepcopy(nb)
    for cell in mutated.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in mistake.cells:
            cell.source = mistake.cells[grade_id]
            used.add(grade_id)
    return mutated


def make_keys(course: Course, assignment: str, *, output: str | os.PathLike | None = None, timeout: int = 120,
              mistakes: bool = True, notes: list[str] | None = None) -> Path:
    """Record the self-check answer key of ``assignment`` from its solution notebooks and typical mistakes.

    Parameters
    ----------
    course : Course
    assignment : str
        A folder of ``solutions/``.
    output : path, optional
        Where to write the key (default: the package's ``qsp/grading/keys/<assignment>.json``).
        The salt is taken from the existing key at the default location, if any.
    timeout : int
        Seconds a cell may run.
    mistakes : bool
        Also run each typical mistake of ``solutions/<assignment>/mistakes.toml`` and record the
        values it gives (one more run of the notebook per mistake). ``False`` records only the
        right answers and hints (what the quick sync test compares).
    notes : list, optional
        Receives one line per mistake: the tasks whose self-check names it, or that none does
        (a visible check of its cell catches it first, e.g. a wrong shape).

    Returns
    -------
    Path
        The key file written.

    Raises
    ------
    CourseError
        If a cell of the solution fails (a solution must run cleanly), no task was recorded, or a
        mistake names an answer cell the notebook does not have.
    """
    from qsp.grading.selfcheck import mistake_entry

    if assignment not in course.assignments():
        raise CourseError(f"no assignment {assignment!r} in {course.source} (known: {', '.join(course.assignments())})")
    import nbformat

    paths = course.source_notebooks(assignment)
    if not paths:
        raise CourseError(f"no solution notebook in {course.source / assignment}")
    declared = read_mistakes(course.source / assignment / MISTAKES_FILE) if mistakes else []
    default = key_path(assignment)
    salt = json.loads(default.read_text())["salt"] if default.is_file() else None
    target = Path(output) if output is not None else default
    solution = [(path, nbformat.read(path, as_version=4)) for path in paths]
    key, errors = _record_run(solution, salt, assignment, timeout)
    if errors:
        raise CourseError("the solution must run without errors to record its answer key:\n" + "\n".join(errors))
    if not key["tasks"]:
        raise CourseError(f"no check_answer(...) call ran in {assignment}: nothing to record")
    for mistake in declared:
        used: set[str] = set()
        mutated = [(path, _with_mistake(nb, mistake, used)) for path, nb in solution]
        unknown = sorted(set(mistake.cells) - used)
        if unknown:
            raise CourseError(f"{assignment}/{MISTAKES_FILE}: mistake [{mistake.name}] replaces {', '.join(unknown)}, "
                              "which is not an answer cell (grade id) of the solution")
        wrong, _ = _record_run(mutated, key["salt"], assignment, timeout, mistake=True)  # its hidden tests fail: expected
        changed = []
        for task_id, right in key["tasks"].items():
            if task_id not in wrong["tasks"]:
                continue
            entry = mistake_entry(right, wrong["tasks"][task_id], mistake.says)
            known = right.setdefault("mistakes", [])
            if entry is not None and all(m["hashes"] != entry["hashes"] or m["shape"] != entry["shape"] for m in known):
                known.append(entry)
                changed.append(task_id.split("/", 1)[1])
            if not known:
                del right["mistakes"]
        if notes is not None:
            notes.append(f"[{mistake.name}] named in the self-check of task(s) {', '.join(changed)}" if changed else
                         f"[{mistake.name}] changes no self-checked value, or gives the values of an earlier mistake")
    if mistakes:
        key["mistakes_fingerprint"] = mistakes_fingerprint(course, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(key, indent=1, sort_keys=True) + "\n")
    return target
