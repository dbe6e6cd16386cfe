"""Self-checks for learners without an instructor: "right" or "not yet", never the answer.

An answer key (``qsp/grading/keys/<assignment>.json``) holds, for each task, salted hashes of
the correctly rounded answer, element by element: ``pbkdf2_sha256(salt + task + position,
canonical text of the value rounded to ``sig`` significant figures)``. Checking a learner's
value rounds it the same way and compares the hash of the rounded value *and of its two
neighbours* (one unit up and down in the last significant figure), so a value that differs
from the answer by less than about one unit in the last kept figure is accepted even when the
two round to different neighbours. Nothing in the key file says what the answer is; a hint
written by the instructor is shown after repeated failed attempts.

What this protects and what it does not: the key cannot be read, but it can be searched. A
determined learner who hashes every 4-figure number could find an answer; the slow hash
(``iterations`` rounds of PBKDF2) makes this tedious, not impossible. The self-check is a
learning aid, not an exam: graded work is checked by the hidden tests of nbgrader.

How keys are made: ``qsp course keys ASSIGNMENT`` executes the solution notebook with the
environment variable ``QSP_SELFCHECK_RECORD`` pointing at a key file; in that mode
:func:`check_answer` records the hashes of the value it is given and :func:`selfcheck_hint`
records the hint, instead of checking. The hints live in the hidden tests of the solution
notebook, so the released notebook does not show them.

Examples
--------
In a notebook, after computing ``total_by_sex``::

    from qsp.grading import check_answer
    check_answer("ps00-tools/1", total_by_sex)      # prints "right" or "not yet"
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import numpy as np

KEYS_DIRECTORY = Path(__file__).resolve().parent / "keys"
"""Where the answer keys of the bundled assignments live."""

RECORD_ENVIRONMENT_VARIABLE = "QSP_SELFCHECK_RECORD"
"""When set to a key file path, :func:`check_answer` records answers instead of checking them."""

KEYS_ENVIRONMENT_VARIABLE = "QSP_SELFCHECK_KEYS"
"""Optional directory to read answer keys from instead of :data:`KEYS_DIRECTORY`."""

DEFAULT_SIGNIFICANT_FIGURES = 4
DEFAULT_ITERATIONS = 2000
HINT_AFTER_FAILURES = 2
"""Number of failed attempts after which :func:`check_answer` shows the task's hint."""

_failures: dict[str, int] = {}

__all__ = ["check_answer", "selfcheck_hint", "is_right", "new_key", "canonical_numbers"]


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


def _key_path(assignment: str) -> Path:
    directory = Path(os.environ.get(KEYS_ENVIRONMENT_VARIABLE) or KEYS_DIRECTORY)
    return directory / f"{assignment}.json"


def _load_key(assignment: str) -> dict | None:
    path = _key_path(assignment)
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def _record(path: Path, task_id: str, update: dict) -> None:
    key = json.loads(path.read_text())
    key["tasks"].setdefault(task_id, {}).update(update)
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


# --------------------------------------------------------------------------- public checks


def _assignment_of(task_id: str) -> str:
    if "/" not in task_id:
        raise ValueError(f"task_id must look like 'assignment/task' (e.g. 'ps00-tools/1'), got {task_id!r}.")
    return task_id.split("/", 1)[0]


def _verdict(task_id: str, value: Any) -> tuple[bool | None, str]:
    """(right?, detail). ``None`` when there is no key for the task."""
    key = _load_key(_assignment_of(task_id))
    if key is None or task_id not in key["tasks"]:
        return None, f"there is no answer key for {task_id!r} (ask your instructor, or run `qsp course keys`)."
    task = key["tasks"][task_id]
    try:
        kind, canonical = canonical_numbers(value)
    except (TypeError, ValueError):
        return False, "the answer should be a number or an array of numbers."
    if kind != task["kind"]:
        return False, "the answer should be " + ("text." if task["kind"] == "text" else "a number or numbers.")
    if kind == "text":
        right = _hash(key["salt"], key["iterations"], task_id, 0, canonical[0]) == task["hashes"][0]
        return right, ""
    shape = tuple(task["shape"])
    if canonical.shape != shape:
        expected = "a single number" if shape == () else f"an array of shape {shape}"
        return False, f"the answer should be {expected}; yours has shape {canonical.shape}."
    flat = canonical.ravel()
    right = 0
    for i, (x, wanted) in enumerate(zip(flat, task["hashes"])):
        texts = _candidates(float(x), task["sig"], task["zero"])
        if any(_hash(key["salt"], key["iterations"], task_id, i, text) == wanted for text in texts):
            right += 1
    if right == flat.size:
        return True, ""
    detail = f"{right} of {flat.size} values are right." if flat.size > 1 else ""
    return False, detail


def is_right(task_id: str, value: Any) -> bool:
    """True when ``value`` matches the answer key of ``task_id`` (to the key's significant figures)."""
    verdict, _ = _verdict(task_id, value)
    return bool(verdict)


def check_answer(task_id: str, value: Any, *, sig: int = DEFAULT_SIGNIFICANT_FIGURES, zero: float = 1e-12) -> None:
    """Print "right" or "not yet" for a learner's answer to task ``task_id``; a hint after repeated failures.

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

    Notes
    -----
    The answer is accepted when it agrees with the key to about one unit in the last kept
    significant figure (4 by default: a relative difference of about 0.01 % to 0.1 %).
    Nothing is raised: a self-check never stops a notebook.
    """
    record = os.environ.get(RECORD_ENVIRONMENT_VARIABLE)
    if record:
        path = Path(record)
        key = json.loads(path.read_text())
        _record(path, task_id, _entry(key, task_id, value, sig, zero))
        print(f"[self-check] recorded the answer key of {task_id}")
        return
    verdict, detail = _verdict(task_id, value)
    if verdict is None:
        print(f"[self-check {task_id}] {detail}")
        return
    if verdict:
        _failures.pop(task_id, None)
        print(f"[self-check {task_id}] right.")
        return
    _failures[task_id] = _failures.get(task_id, 0) + 1
    message = f"[self-check {task_id}] not yet." + (f" {detail[0].upper()}{detail[1:]}" if detail else "")
    key = _load_key(_assignment_of(task_id)) or {"tasks": {}}
    hint = key["tasks"].get(task_id, {}).get("hint")
    if hint and _failures[task_id] >= HINT_AFTER_FAILURES:
        message += f"\n  hint: {hint}"
    elif hint:
        message += " Try again; a hint appears if the next attempt is not right either."
    print(message)


def selfcheck_hint(task_id: str, text: str) -> None:
    """Record the hint of a task in its answer key (only while keys are being recorded; otherwise nothing).

    Put the call in a hidden test of the solution notebook, so the released notebook does not
    show the hint before the learner has tried.
    """
    record = os.environ.get(RECORD_ENVIRONMENT_VARIABLE)
    if record:
        _record(Path(record), task_id, {"hint": text})
