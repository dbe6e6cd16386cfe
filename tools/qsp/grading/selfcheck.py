"""Self-checks for learners without an instructor: "right" or "not yet", never the answer.

An answer key (``qsp/grading/keys/<assignment>.json``) holds, for each task, salted hashes of
the correctly rounded answer, element by element: ``pbkdf2_sha256(salt + task + position,
canonical text of the value rounded to ``sig`` significant figures)``. Checking a learner's
value rounds it the same way and compares the hash of the rounded value *and of its two
neighbours* (one unit up and down in the last significant figure), so a value that differs
from the answer by less than about one unit in the last kept figure is accepted even when the
two round to different neighbours. Nothing in the key file says what the answer is.

Feedback that teaches (DESIGN.md section 5):

- **Typical mistakes are named.** The key also holds, hashed the same way, the values that the
  typical mistakes of a task produce (``mistakes``, each with the sentence that names it: "this
  is what you get with a_0 = 0.5 for everyone"). ``qsp course keys`` computes them by running
  the solution with the mistaken code of each mistake declared in
  ``solutions/<assignment>/mistakes.toml``; a learner whose value matches one is told which
  mistake it is, never the right value.
- **Hints come in tiers**: 1 the idea, 2 the method, 3 the code. A failed check shows the idea
  (the method from the second failed attempt on); the code only when asked:
  ``hint("ps01/3", level=3)``.
- :func:`check_all` prints the notebook's summary: tasks right, not yet, not attempted.
- A "not yet" raises :class:`NotYetError` (an ``AssertionError``), so the cell fails visibly
  and nbgrader's *Validate* does not say "Success" while a self-check says "not yet". In
  Jupyter the kit's own frames are left out of the traceback: the message is what remains. The
  grader's checking process (:mod:`qsp.course.checker`) turns the raising off
  (:func:`set_grading`), so self-checks cost no points: the hidden tests do the grading.

What this protects and what it does not: the key cannot be read, but it can be searched. A
determined learner who hashes every 4-figure number could find an answer; the slow hash
(``iterations`` rounds of PBKDF2) makes this tedious, not impossible. The self-check is a
learning aid, not an exam: graded work is checked by the hidden tests of nbgrader.

How keys are made: ``qsp course keys ASSIGNMENT`` executes the solution notebook with the
environment variable ``QSP_SELFCHECK_RECORD`` pointing at a key file; in that mode
:func:`check_answer` records the hashes of the value it is given and :func:`selfcheck_hint`
records the hints, instead of checking. The hints live in the hidden tests of the solution
notebook, so the released notebook does not show them.

Examples
--------
In a notebook, after computing ``total_by_sex``::

    from qsp.grading import check_all, check_answer, hint
    check_answer("ps00-tools/1", total_by_sex)   # "right", or raises NotYetError: "not yet ..."
    hint("ps00-tools/1")                          # the idea; level=2 the method, level=3 the code
    check_all()                                   # right / not yet / not attempted, task by task
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

import numpy as np

from .checks import AnswerError

KEYS_DIRECTORY = Path(__file__).resolve().parent / "keys"
"""Where the answer keys of the bundled assignments live."""

RECORD_ENVIRONMENT_VARIABLE = "QSP_SELFCHECK_RECORD"
"""When set to a key file path, :func:`check_answer` records answers instead of checking them."""

KEYS_ENVIRONMENT_VARIABLE = "QSP_SELFCHECK_KEYS"
"""Optional directory to read answer keys from instead of :data:`KEYS_DIRECTORY`."""

GRADING_RUN_VARIABLE = "QSP_GRADING_RUN"
"""Set in every process of a grading run (:data:`qsp.course.confine.LABEL_VARIABLE`): there the
test cells do not run in the notebook, so :func:`check_all` has nothing to count and says so."""

DEFAULT_SIGNIFICANT_FIGURES = 4
DEFAULT_ITERATIONS = 2000
METHOD_AFTER_FAILURES = 2
"""Failed attempts after which a failed check shows the method (tier 2) instead of the idea (tier 1)."""

HINT_LEVELS = {1: "idea", 2: "method", 3: "code"}
"""The tiers of a hint, from the least to the most telling."""

_failures: dict[str, int] = {}
_status: dict[str, tuple[str, str | None]] = {}
"""task id -> ("right" | "not yet", the named mistake or None), for :func:`check_all`."""
_grading = False

__all__ = ["check_answer", "check_all", "hint", "selfcheck_hint", "is_right", "diagnose", "NotYetError",
           "new_key", "mistake_entry", "named_in_cell", "canonical_numbers", "set_grading", "HINT_LEVELS"]


class NotYetError(AnswerError):
    """A self-check found an answer that is not right yet (raised so the cell, and Validate, fail visibly)."""


def set_grading(grading: bool = True) -> None:
    """Turn raising off (``True``) in the grader's checking process: self-checks then only print.

    The visible points of a test cell come from its other checks; whether an answer is right is
    graded by the hidden tests, so a self-check must not take points a second time.
    """
    global _grading
    _grading = bool(grading)


# --------------------------------------------------------------------------- canonical form


def _mantissa_exponent(value: float, sig: int) -> tuple[int, int, int]:
    """``value`` rounded to ``sig`` significant figures as (sign, integer mantissa, exponent)."""
    text = format(abs(value), f".{sig - 1}e")
    digits, exponent = text.split("e")
    return (-1 if value < 0 else 1), int(digits.replace(".", "")), int(exponent)


def _text(sign: int, mantissa: int, exponent: int, sig: int) -> str:
    digits = str(mantissa)
    body = f"{digits[0]}.{digits[1:]}" if sig > 1 else digits
    return f"{'-' if sign < 0 else ''}{body}e{exponent:+03d}"


def _candidates(value: float, sig: int, zero: float) -> list[str]:
    """The rounded text of ``value`` and of its neighbours one unit away in the last figure."""
    if not np.isfinite(value):
        return [str(value)]
    if abs(value) <= zero:
        return ["0"]
    sign, mantissa, exponent = _mantissa_exponent(value, sig)
    low, high = 10 ** (sig - 1), 10**sig
    texts = [_text(sign, mantissa, exponent, sig)]
    up = (mantissa + 1, exponent) if mantissa + 1 < high else (low, exponent + 1)
    down = (mantissa - 1, exponent) if mantissa > low else (high - 1, exponent - 1)
    texts += [_text(sign, m, e, sig) for m, e in (up, down)]
    return texts


def canonical_numbers(value: Any) -> tuple[str, np.ndarray | list[str]]:
    """Turn an answer into ``("numbers", float array)`` or ``("text", [str])``.

    DataFrames give their numeric columns (row by row), Series and arrays their values,
    strings and booleans their lower-case text.
    """
    if isinstance(value, (str, bool, np.bool_)):
        return "text", [str(value).strip().lower()]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(value, pd.DataFrame):
        value = value.select_dtypes("number").to_numpy(dtype=float)
    elif pd is not None and isinstance(value, pd.Series):
        value = value.to_numpy(dtype=float)
    return "numbers", np.asarray(value, dtype=float)


def _hash(salt: str, iterations: int, task_id: str, position: int, text: str) -> str:
    material = f"{salt}|{task_id}|{position}".encode()
    return hashlib.pbkdf2_hmac("sha256", text.encode(), material, iterations).hex()[:32]


# --------------------------------------------------------------------------- keys


def new_key(assignment: str, *, salt: str | None = None, iterations: int = DEFAULT_ITERATIONS) -> dict:
    """An empty answer key for ``assignment`` (a fresh random salt unless one is given)."""
    return {
        "assignment": assignment,
        "scheme": "pbkdf2-sha256 of each value rounded to 'sig' significant figures; "
        "a value is right when it or a neighbour one unit away in the last figure matches",
        "salt": salt or secrets.token_hex(16),
        "iterations": iterations,
        "tasks": {},
    }


def _keys_directory() -> Path:
    return Path(os.environ.get(KEYS_ENVIRONMENT_VARIABLE) or KEYS_DIRECTORY)


def _key_path(assignment: str) -> Path:
    return _keys_directory() / f"{assignment}.json"


def _load_key(assignment: str) -> dict | None:
    path = _key_path(assignment)
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def _record(path: Path, task_id: str, update: dict) -> None:
    key = json.loads(path.read_text())
    task = key["tasks"].setdefault(task_id, {})
    for name, value in update.items():
        if isinstance(value, dict) and isinstance(task.get(name), dict):
            task[name].update(value)
        else:
            task[name] = value
    path.write_text(json.dumps(key, indent=1, sort_keys=True) + "\n")


def _entry(key: dict, task_id: str, value: Any, sig: int, zero: float) -> dict:
    kind, canonical = canonical_numbers(value)
    if kind == "text":
        hashes = [_hash(key["salt"], key["iterations"], task_id, 0, canonical[0])]
        return {"kind": kind, "shape": [], "hashes": hashes}
    flat = canonical.ravel()
    hashes = [
        _hash(key["salt"], key["iterations"], task_id, i, _candidates(float(x), sig, zero)[0]) for i, x in enumerate(flat)
    ]
    return {"kind": kind, "shape": list(canonical.shape), "sig": sig, "zero": zero, "hashes": hashes}


def mistake_entry(right: dict, wrong: dict, says: str) -> dict | None:
    """The key entry of a typical mistake: the hashes of its value where they differ from the right ones.

    ``right`` and ``wrong`` are entries recorded for the same task (:func:`check_answer` in
    recording mode) from the solution and from the solution with the mistaken code. Returns
    ``None`` when the mistake leaves this task's value unchanged. Positions where the two agree
    are stored as ``None`` (they say only that the mistake does not change them).
    """
    if wrong.get("kind") != right.get("kind"):
        return None
    if wrong["shape"] == right["shape"]:
        if wrong["hashes"] == right["hashes"]:
            return None
        hashes = [None if w == r else w for w, r in zip(wrong["hashes"], right["hashes"])]
    else:
        hashes = list(wrong["hashes"])
    return {"says": says, "shape": list(wrong["shape"]), "hashes": hashes}


# --------------------------------------------------------------------------- public checks


def _assignment_of(task_id: str) -> str:
    if not isinstance(task_id, str) or "/" not in task_id:
        raise ValueError(f"task_id must look like 'assignment/task' (e.g. 'ps00-tools/1'), got {task_id!r}.")
    return task_id.split("/", 1)[0]


def _known_assignments() -> list[str]:
    directory = _keys_directory()
    return sorted(p.stem for p in directory.glob("*.json")) if directory.is_dir() else []


def _resolve_assignment(name: str) -> str:
    """An assignment's full name from itself or a unique prefix ("ps01" -> "ps01-life-tables")."""
    known = _known_assignments()
    if name in known:
        return name
    matches = [a for a in known if a.startswith(name + "-") or a.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValueError(f"no self-check answer key for the assignment {name!r}; known: {', '.join(known) or 'none'}.")
    raise ValueError(f"{name!r} could be any of {', '.join(matches)}: give the full assignment name.")


def _resolve_task(task_id: str) -> tuple[str, dict, dict]:
    """(full task id, key, task entry) from "assignment/task", the assignment as a unique prefix allowed."""
    assignment, task = _assignment_of(task_id).strip(), task_id.split("/", 1)[1].strip()
    assignment = _resolve_assignment(assignment)
    key = _load_key(assignment) or {"tasks": {}}
    full = f"{assignment}/{task}"
    if full not in key["tasks"]:
        tasks = ", ".join(t.split("/", 1)[1] for t in _ordered(key["tasks"]))
        raise ValueError(f"{assignment} has no self-checked task {task!r}; its tasks are {tasks}.")
    return full, key, key["tasks"][full]


def _matches(key: dict, task_id: str, flat: np.ndarray, task: dict) -> tuple[int, list[bool]]:
    """How many positions match the right answer, and for each mistake whether every position matches it."""
    mistakes = [m for m in task.get("mistakes", []) if tuple(m["shape"]) == tuple(task["shape"])]
    right = 0
    fits = [True] * len(mistakes)
    for i, (x, wanted) in enumerate(zip(flat, task["hashes"])):
        texts = _candidates(float(x), task["sig"], task["zero"])
        found = {_hash(key["salt"], key["iterations"], task_id, i, text) for text in texts}
        if wanted in found:
            right += 1
        for k, mistake in enumerate(mistakes):
            if fits[k]:
                target = mistake["hashes"][i] or wanted
                fits[k] = target in found
    return right, fits


def _other_shape_mistake(key: dict, task_id: str, flat: np.ndarray, shape: tuple, task: dict) -> str | None:
    """The mistake whose value has the learner's (unexpected) shape and values, if any."""
    for mistake in task.get("mistakes", []):
        if tuple(mistake["shape"]) != shape or tuple(mistake["shape"]) == tuple(task["shape"]):
            continue
        if all(
            any(_hash(key["salt"], key["iterations"], task_id, i, text) == mistake["hashes"][i]
                for text in _candidates(float(x), task["sig"], task["zero"]))
            for i, x in enumerate(flat)
        ):
            return mistake["says"]
    return None


def diagnose(task_id: str, value: Any) -> tuple[bool | None, str, str | None]:
    """(right?, detail, the named mistake or None). ``right?`` is ``None`` when there is no key for the task."""
    key = _load_key(_assignment_of(task_id))
    if key is None or task_id not in key["tasks"]:
        return None, f"there is no answer key for {task_id!r} (ask your instructor, or run `qsp course keys`).", None
    task = key["tasks"][task_id]
    try:
        kind, canonical = canonical_numbers(value)
    except (TypeError, ValueError):
        return False, "the answer should be a number or an array of numbers.", None
    if kind != task["kind"]:
        return False, "the answer should be " + ("text." if task["kind"] == "text" else "a number or numbers."), None
    if kind == "text":
        text_hash = _hash(key["salt"], key["iterations"], task_id, 0, canonical[0])
        if text_hash == task["hashes"][0]:
            return True, "", None
        said = next((m["says"] for m in task.get("mistakes", []) if m["hashes"][0] == text_hash), None)
        return False, "", said
    shape = tuple(task["shape"])
    flat = canonical.ravel()
    if canonical.shape != shape:
        expected = "a single number" if shape == () else f"an array of shape {shape}"
        said = _other_shape_mistake(key, task_id, flat, canonical.shape, task)
        return False, f"the answer should be {expected}; yours has shape {canonical.shape}.", said
    right, fits = _matches(key, task_id, flat, task)
    if right == flat.size:
        return True, "", None
    mistakes = [m for m in task.get("mistakes", []) if tuple(m["shape"]) == shape]
    said = next((m["says"] for m, fit in zip(mistakes, fits) if fit), None)
    detail = f"{right} of {flat.size} values are right." if flat.size > 1 else ""
    return False, detail, said


def _verdict(task_id: str, value: Any) -> tuple[bool | None, str]:
    """(right?, detail). ``None`` when there is no key for the task."""
    verdict, detail, _ = diagnose(task_id, value)
    return verdict, detail


def is_right(task_id: str, value: Any) -> bool:
    """True when ``value`` matches the answer key of ``task_id`` (to the key's significant figures)."""
    verdict, _ = _verdict(task_id, value)
    return bool(verdict)


def _hints(task: dict) -> dict[str, str]:
    hints = dict(task.get("hints", {}))
    if task.get("hint") and "code" not in hints:  # a key recorded before hints had tiers
        hints["code"] = task["hint"]
    return hints


def _more_help(task_id: str, hints: dict[str, str], shown: int) -> str:
    levels = [level for level, name in HINT_LEVELS.items() if name in hints and level > shown]
    if not levels:
        return ""
    names = {2: "the method", 3: "the code"}
    parts = [f'hint("{task_id}", level={level})' + (f" for {names[level]}" if level in names else "") for level in levels]
    return "More help: " + "; ".join(parts) + "."


def check_answer(task_id: str, value: Any, *, sig: int = DEFAULT_SIGNIFICANT_FIGURES, zero: float = 1e-12) -> None:
    """Say whether a learner's answer to task ``task_id`` is right; name a typical mistake if it is one.

    Parameters
    ----------
    task_id : str
        ``"assignment/task"``, e.g. ``"ps00-tools/1"``.
    value : number, array, pandas Series or DataFrame, or str
        The learner's answer. DataFrames are compared by their numeric columns, row by row.
    sig : int
        Significant figures kept when the key is recorded (ignored when checking: the key
        says how many figures it kept).
    zero : float
        Absolute values at or below this count as zero (recording only).

    Raises
    ------
    NotYetError
        When the answer is not right yet. Its message says how many values are right, names the
        mistake when the value is one a typical mistake gives, and shows the idea of the hint
        (the method after :data:`METHOD_AFTER_FAILURES` failed attempts); never the answer.
        Nothing is raised in the grader's checking process (:func:`set_grading`), nor when
        there is no key for the task (a note is printed).

    Notes
    -----
    The answer is accepted when it agrees with the key to about one unit in the last kept
    significant figure (4 by default: a relative difference of about 0.01 % to 0.1 %).
    """
    record = os.environ.get(RECORD_ENVIRONMENT_VARIABLE)
    if record:
        path = Path(record)
        key = json.loads(path.read_text())
        _record(path, task_id, _entry(key, task_id, value, sig, zero))
        print(f"[self-check] recorded the answer key of {task_id}")
        return
    verdict, detail, said = diagnose(task_id, value)
    if verdict is None:
        print(f"[self-check {task_id}] {detail}")
        return
    if verdict:
        _failures.pop(task_id, None)
        _status[task_id] = ("right", None)
        print(f"[self-check {task_id}] right.")
        return
    _failures[task_id] = _failures.get(task_id, 0) + 1
    _status[task_id] = ("not yet", said)
    lines = []
    if detail:
        lines.append(f"{detail[0].upper()}{detail[1:]}")
    if said:
        lines.append(f"{said[0].upper()}{said[1:]}")
    key = _load_key(_assignment_of(task_id)) or {"tasks": {}}
    hints = _hints(key["tasks"].get(task_id, {}))
    shown = 0
    if _failures[task_id] >= METHOD_AFTER_FAILURES and "method" in hints:
        lines.append(f"method: {hints['method']}")
        shown = 2
    elif "idea" in hints:
        lines.append(f"idea: {hints['idea']}")
        shown = 1
    more = _more_help(task_id, hints, shown)
    if more:
        lines.append(more)
    message = f"[self-check {task_id}] not yet."
    if _grading:
        print("\n  ".join([message, *lines]))
        return
    raise NotYetError(task_id, message, lines)


def named_in_cell(source_lines: list[str], namespace: dict) -> list[str]:
    """Lines naming the mistake behind a failed form check of a self-check cell, if the value is a known one.

    When a check before ``check_answer("task", expression)`` fails (a shape, a plausible
    range), the cell never reaches the self-check. Called by the short traceback of
    :mod:`qsp.grading.checks` with the failed cell's source and the notebook's namespace: it
    evaluates each ``check_answer`` expression of the cell, and returns the sentence of the
    typical mistake whose value it is (the task is then counted "not yet" by :func:`check_all`).
    """
    import ast

    if _grading:
        return []
    source = "".join(source_lines)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    said = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "check_answer"
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        task_id = node.args[0].value
        expression = ast.get_source_segment(source, node.args[1])
        try:  # the expression is the course's own (a locked self-check cell), evaluated on the learner's values
            value = eval(compile(expression, "<self-check>", "eval"), dict(namespace))
            verdict, _, mistake = diagnose(task_id, value)
        except Exception:  # the value cannot even be computed: the failed check said why
            continue
        if verdict is False:
            _status[task_id] = ("not yet", mistake)
            if mistake:
                said.append(f"{mistake[0].upper()}{mistake[1:]}")
    return said


def hint(task_id: str, level: int = 1) -> None:
    """Print a tier of the hint of a self-checked task: 1 the idea, 2 the method, 3 the code.

    Parameters
    ----------
    task_id : str
        ``"assignment/task"``; the assignment may be shortened to a unique prefix:
        ``hint("ps01/3", level=2)``.
    level : int
        1 (the idea), 2 (the method) or 3 (the code: the answer's lines, only when asked).

    Raises
    ------
    ValueError
        For an unknown task or a level other than 1, 2 or 3.
    """
    if level not in HINT_LEVELS:
        raise ValueError(f"level must be 1 (the idea), 2 (the method) or 3 (the code), got {level!r}.")
    full, _, task = _resolve_task(task_id)
    hints = _hints(task)
    name = HINT_LEVELS[level]
    if name in hints:
        print(f"[hint {full}, level {level}: {name}] {hints[name]}")
    else:
        available = [f"level {lv} ({n})" for lv, n in HINT_LEVELS.items() if n in hints]
        print(f"[hint {full}] there is no {name} hint for this task; there is " + (", ".join(available) or "none") + ".")


def _ordered(tasks) -> list[str]:
    def natural(task_id: str):
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", task_id)]

    return sorted(tasks, key=natural)


def check_all(assignment: str | None = None) -> dict[str, list[str]]:
    """Print the summary of a notebook's self-checks: tasks right, not yet, not attempted.

    Counts the self-checks run in this session (since the kernel started): run the notebook's
    cells first, then ``check_all()``.

    Parameters
    ----------
    assignment : str, optional
        The assignment (or a unique prefix, "ps01"). Default: the one whose self-checks ran in
        this session, else the folder the notebook runs in.

    Returns
    -------
    dict
        ``{"right": [...], "not yet": [...], "not attempted": [...]}`` (task ids).

    Raises
    ------
    ValueError
        When the assignment cannot be told (no self-check ran and the folder is not an assignment).
    """
    if os.environ.get(GRADING_RUN_VARIABLE):
        print("[self-check] while a notebook is graded its self-checks run with the tests: the test cells' "
              "results (points and messages) take the place of this summary.")
        return {"right": [], "not yet": [], "not attempted": []}
    if assignment is None:
        seen = sorted({task.split("/", 1)[0] for task in _status})
        if len(seen) == 1:
            assignment = seen[0]
        elif len(seen) > 1:
            raise ValueError(f"self-checks of several assignments ran ({', '.join(seen)}): "
                             "name one, e.g. check_all('" + seen[0] + "').")
        elif Path.cwd().name in _known_assignments():
            assignment = Path.cwd().name
        else:
            raise ValueError("no self-check has run yet and this folder is not an assignment: run the notebook's "
                             "cells, or name the assignment, e.g. check_all('ps01-life-tables').")
    assignment = _resolve_assignment(assignment)
    key = _load_key(assignment) or {"tasks": {}}
    groups: dict[str, list[str]] = {"right": [], "not yet": [], "not attempted": []}
    notes = {}
    for task_id in _ordered(key["tasks"]):
        state, said = _status.get(task_id, ("not attempted", None))
        groups[state].append(task_id)
        if said:
            notes[task_id] = said
    total = len(key["tasks"])
    print(f"{assignment}: {len(groups['right'])} of {total} self-checked tasks right, "
          f"{len(groups['not yet'])} not yet, {len(groups['not attempted'])} not attempted")

    def short(task_id: str) -> str:
        return task_id.split("/", 1)[1]

    if groups["right"]:
        print("  right:         " + ", ".join(short(t) for t in groups["right"]))
    if groups["not yet"]:
        print("  not yet:       " + ", ".join(short(t) for t in groups["not yet"]))
        for task_id in groups["not yet"]:
            if task_id in notes:
                print(f"    {short(task_id)}: {notes[task_id]}")
        print(f'  help: hint("{groups["not yet"][0]}") shows the idea; level=2 the method, level=3 the code.')
    if groups["not attempted"]:
        print("  not attempted: " + ", ".join(short(t) for t in groups["not attempted"])
              + " (run their self-check cells)")
    return groups


def selfcheck_hint(task_id: str, text: str | None = None, *, idea: str | None = None, method: str | None = None,
                   code: str | None = None) -> None:
    """Record the hints of a task in its answer key (only while keys are being recorded; otherwise nothing).

    Parameters
    ----------
    task_id : str
    text : str, optional
        A hint without a tier: recorded as the code (tier 3), shown only when asked.
    idea, method, code : str, optional
        The tiers: the idea (shown after a first failed attempt), the method (from the second),
        the code (only when asked with ``hint(task_id, level=3)``).

    Put the call in a hidden test of the solution notebook, so the released notebook does not
    show the hints before the learner has tried.
    """
    record = os.environ.get(RECORD_ENVIRONMENT_VARIABLE)
    if not record:
        return
    hints = {name: value for name, value in (("idea", idea), ("method", method), ("code", code or text)) if value}
    if hints:
        _record(Path(record), task_id, {"hints": hints})
