"""Called in the student's kernel (in the sandbox) where a test cell stood: record what it reads.

The runner (:mod:`qsp.course.runner`) replaces each autograded test cell of the student's
notebook by one call of :func:`capture` with the names the test reads. Nothing here is trusted
by the grader: whatever the student's code does to this module only changes the record of its
own values, which the checking process reads as plain data (:mod:`qsp.course.plaindata`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def capture(namespace: Mapping[str, Any], capture_id: str, names: Sequence[str], folder: str) -> None:
    """Write the values of ``names`` found in ``namespace`` to ``folder`` under ``capture_id``."""
    from .plaindata import write_capture

    values = {name: namespace[name] for name in names if name in namespace}
    write_capture(folder, capture_id, values)


# --------------------------------------------------------------------------- what the notebook changed

_WATCHED = {
    "numpy": ("allclose", "isclose", "array_equal", "asarray", "array", "isfinite", "abs"),
    "numpy.testing": ("assert_allclose", "assert_array_equal"),
    "builtins": ("isinstance", "float", "abs", "print", "__import__", "compile", "exec"),
    "qsp.grading.checks": ("check_array_close", "check_close", "check_shape", "check_type", "check_between"),
    "qsp.grading.selfcheck": ("check_answer",),
}
_start: dict = {}


def _watched_now(shell) -> dict:
    import importlib
    import sys

    found = {"trace": sys.gettrace() is not None or sys.getprofile() is not None}
    for attribute in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
        found[attribute] = len(getattr(shell, attribute, []) or [])
    for module_name, names in _WATCHED.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in names:
            found[f"{module_name}.{name}"] = id(getattr(module, name, None))
    return found


def probe_start(shell) -> None:
    """Note, before the student's first cell, what :func:`probe_report` compares with."""
    _start.clear()
    _start.update(_watched_now(shell))


def probe_report(shell) -> str:
    """What the notebook changed in the interpreter (transformers, tracers, patched functions), as JSON."""
    import json

    now = _watched_now(shell)
    changes = []
    if now.get("trace"):
        changes.append("set a trace or profile function (sys.settrace / sys.setprofile)")
    for attribute in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
        if now.get(attribute, 0) != _start.get(attribute, 0):
            changes.append(f"installed an IPython {attribute.replace('_', ' ')} (rewrites later cells)")
    patched = [key for key, value in now.items() if "." in key and key in _start and value != _start[key]]
    if patched:
        changes.append("replaced " + ", ".join(patched))
    return json.dumps(changes)
