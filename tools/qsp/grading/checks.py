"""Assertion helpers with teaching feedback, for the test cells of graded assignments.

A bare ``assert`` tells a learner only that something is wrong. These helpers say what was
expected, what was found, where the first difference is (in the words of the data: "sex
female, age 65", not "index (0, 65)"), and what the likely mistake is. The likely mistake is
found by looking at how the answer differs from the expected one: a factor of 100 is a
percentage instead of a fraction, a reversed shape is a transposed array, a shape with one
axis too many is a forgotten sum, and so on. An instructor can add a ``hint`` of their own.

Every failure raises a subclass of :class:`AnswerError`, itself an :class:`AssertionError`,
so nbgrader counts a failed check exactly like a failed ``assert``.

Examples
--------
>>> import numpy as np
>>> check_close("share_65_plus", 0.0926, 0.09264, rtol=1e-3)
>>> try:
...     check_close("share_65_plus", 9.264, 0.09264, rtol=1e-3)
... except AnswerError as failure:
...     print(str(failure).splitlines()[0])
share_65_plus is not right yet.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

SEX_NAMES = ("female", "male")

__all__ = [
    "AnswerError",
    "WrongTypeError",
    "WrongShapeError",
    "WrongValueError",
    "WrongColumnsError",
    "check_type",
    "check_shape",
    "check_close",
    "check_array_close",
    "check_between",
    "check_columns",
    "check_frame_close",
]


class ExpectedLine(str):
    """A line of a failure message that states the expected answer.

    Feedback on a *hidden* test leaves these lines out (:meth:`AnswerError.without_expected`):
    the learner learns where and how the answer differs, not what it should be.
    """


class AnswerError(AssertionError):
    """A learner's answer failed a check. ``str(error)`` is a multi-line teaching message.

    Attributes
    ----------
    name : str
        The name of the variable that was checked.
    lines : list of str
        The message, one line per entry (without the first, summary line).
    """

    def __init__(self, name: str, summary: str, lines: Sequence[str] = (), hint: str | None = None):
        self.name = name
        self.summary = summary
        self.lines = [line for line in lines if line]
        if hint:
            self.lines.append(f"hint: {hint}")
        text = "\n".join([summary, *("  " + line for line in self.lines)])
        super().__init__(text)

    def without_expected(self) -> str:
        """The message without the lines that state the expected answer (for feedback on hidden tests)."""
        kept = [line for line in self.lines if not isinstance(line, ExpectedLine)]
        return "\n".join([self.summary, *("  " + line for line in kept)])


class WrongTypeError(AnswerError):
    """The answer is not of the expected kind (a number, an array, a DataFrame...)."""


class WrongShapeError(AnswerError):
    """The answer has the wrong shape or number of rows."""


class WrongValueError(AnswerError):
    """The answer has the right form but wrong values."""


class WrongColumnsError(AnswerError):
    """A table lacks columns it should have (or has them under other names)."""


# --------------------------------------------------------------------------- formatting


def _format_number(value: float, grouping: bool = True) -> str:
    """A number as a person would write it: 2,859,910 or 0.171354 (``grouping`` adds thousands commas)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-4):
        return f"{value:.6g}"
    comma = "," if grouping else ""
    if value.is_integer():
        return f"{value:{comma}.0f}"
    return f"{value:{comma}.6g}" if abs(value) >= 1 else f"{value:.6g}"


def _format_array(array: np.ndarray) -> str:
    if array.ndim == 0:
        return _format_number(float(array))
    return np.array2string(
        array,
        threshold=12,
        edgeitems=3,
        max_line_width=100,
        separator=", ",
        formatter={"float_kind": lambda x: _format_number(x, grouping=False)},
    )


def _type_name(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    if module in ("builtins", ""):
        return kind.__name__
    package = module.split(".")[0]
    return f"{ {'numpy': 'np', 'pandas': 'pd'}.get(package, package)}.{kind.__name__}"


def _tolerance(rtol: float, atol: float) -> str:
    parts = []
    if rtol:
        parts.append(f"relative tolerance {rtol:g}")
    if atol:
        parts.append(f"absolute tolerance {atol:g}")
    return "within " + " and ".join(parts) if parts else "exactly"


def _position(index: Sequence[int], labels: Sequence[str] | None, coords: Mapping[str, Sequence] | None) -> str:
    """Describe an array position in words: ``sex female, age 65``."""
    index = [int(i) for i in index]
    if not index:
        return "the value"
    labels = list(labels) if labels is not None else []
    # labels name the trailing axes; earlier axes are reported by position
    if len(labels) >= len(index):
        names = labels[len(labels) - len(index):]
    else:
        names = [f"axis {k}" for k in range(len(index) - len(labels))] + labels
    parts = []
    for name, i in zip(names, index):
        if coords and name in coords and i < len(coords[name]):
            parts.append(f"{name} {coords[name][i]}")
        elif name == "sex" and i < len(SEX_NAMES):
            parts.append(f"sex {SEX_NAMES[i]} (index {i})")
        elif name == "age":
            parts.append(f"age {i}")
        else:
            parts.append(f"{name} index {i}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- diagnosis


def _close(a, b, rtol=1e-3, atol=0.0) -> bool:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isclose(a, b, rtol=rtol, atol=atol)))


def _diagnose_values(found: np.ndarray, expected: np.ndarray, labels: Sequence[str] | None) -> list[str]:
    """Guess the likely mistake from how ``found`` differs from ``expected`` (same shape)."""
    if np.isnan(found).any() and not np.isnan(expected).any():
        return ["your answer contains NaN (not a number): a division by zero, an empty selection, or a "
                "missing value carried through a sum?"]
    nonzero = expected != 0
    if not nonzero.any():
        return []
    guesses = []
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = found[nonzero] / expected[nonzero]
    factors = {
        100.0: "it is 100 times too large: a percentage instead of a fraction? Shares are fractions (0.25, not 25).",
        0.01: "it is 100 times too small: a fraction divided by 100 once too often?",
        1000.0: "it is 1,000 times too large: are the units thousands where persons are expected?",
        0.001: "it is 1,000 times too small: persons where thousands are expected, or the reverse?",
        2.0: "it is twice the expected value: did you add both sexes (or count something twice)?",
        0.5: "it is half the expected value: only one sex, or one of two parts missing?",
        -1.0: "it has the wrong sign.",
    }
    for factor, message in factors.items():
        if np.allclose(ratio, factor, rtol=1e-3):
            guesses.append(message)
            break
    if not guesses and _close(found, 1.0 / np.where(expected == 0, np.nan, expected), rtol=1e-3):
        guesses.append("it is the inverse of the expected value: numerator and denominator swapped?")
    if not guesses and labels and found.ndim >= 1:
        axis_names = list(labels)[-found.ndim:]
        if "sex" in axis_names:
            axis = axis_names.index("sex") - len(axis_names) + found.ndim
            if found.shape[axis] == 2 and _close(np.flip(found, axis=axis), expected):
                guesses.append("the two sexes are swapped: sex 0 is female and sex 1 is male.")
    if not guesses and found.ndim >= 1 and found.shape[-1] > 2:
        if _close(found[..., :-1], expected[..., 1:]) or _close(found[..., 1:], expected[..., :-1]):
            guesses.append("the values are shifted by one position along the last axis: an off-by-one in an "
                           "age index? Python slices stop before the end index (ages[15:65] is 15..64).")
    if not guesses and found.size > 1 and np.isclose(found.sum(), expected.sum(), rtol=1e-6):
        guesses.append("the total is right but it is distributed differently: are the groups (or the order "
                       "of the rows) the expected ones?")
    return guesses


def _diagnose_shape(found: tuple, expected: tuple, labels: Sequence[str] | None) -> list[str]:
    guesses = []
    if len(found) == len(expected) and found == expected[::-1] and found != expected:
        guesses.append("the axes are swapped (transposed): the convention is one row per sex, one column per age.")
    elif len(found) == len(expected) + 1 and expected == found[: len(expected)]:
        guesses.append(f"there is one axis too many: did you forget to sum over the last axis (axis=-1, of length {found[-1]})?")
    elif len(found) == len(expected) + 1 and expected == found[1:]:
        guesses.append(f"there is one axis too many: did you forget to sum over the first axis (of length {found[0]})?")
    elif len(found) == len(expected) and len(found) >= 1 and found != expected:
        diffs = [k for k in range(len(found)) if found[k] != expected[k]]
        if len(diffs) == 1 and abs(found[diffs[0]] - expected[diffs[0]]) == 1:
            guesses.append("one axis is one element too long or too short: an off-by-one in a slice or a range? "
                           "range(0, 100) and ages[0:100] stop before 100.")
        elif len(found) == 1 and labels:
            guesses.append(f"one value per {labels[-1]} was expected: did you sum over the wrong axis?")
    elif len(found) == 0 and len(expected) > 0:
        guesses.append("a single number where an array was expected: did you sum over all axes instead of one?")
    elif len(expected) == 0 and len(found) > 0:
        guesses.append("a single number was expected: did you forget to sum (or to pick one element)?")
    if not guesses and int(np.prod(found)) == int(np.prod(expected)) and found != expected:
        guesses.append("it has the right number of elements in another arrangement: reshape or transpose?")
    return guesses


# --------------------------------------------------------------------------- checks


def check_type(name: str, value: Any, expected_type: type | tuple[type, ...], *, hint: str | None = None) -> None:
    """Check that ``value`` is an instance of ``expected_type``.

    Use ``numbers.Real`` to accept any real number (Python float or int, numpy scalars).

    Raises
    ------
    WrongTypeError
        Naming the expected and the found type.
    """
    if isinstance(value, expected_type):
        return
    types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
    wanted = " or ".join(_describe_type(kind) for kind in types)
    lines = [f"expected: {wanted}", f"found:    {_type_name(value)}"]
    if value is None:
        lines.append("likely mistake: the cell assigns the result of a function that returns None "
                     "(print(...) or an in-place method such as .sort()), or the variable was never set.")
    elif any(kind in (numbers.Real, float, int) for kind in types) and isinstance(value, np.ndarray | list | tuple):
        lines.append("likely mistake: a single number was expected but you have a collection: sum it, or pick one element.")
    elif any(getattr(kind, "__name__", "") == "ndarray" for kind in types) and _type_name(value).startswith("pd."):
        lines.append("likely mistake: a pandas object where a numpy array was expected: use .to_numpy().")
    elif any(getattr(kind, "__name__", "") == "DataFrame" for kind in types) and _type_name(value) == "pd.Series":
        lines.append("likely mistake: a Series where a DataFrame was expected: call .reset_index() after the aggregation.")
    raise WrongTypeError(name, f"{name} is not the right kind of object yet.", lines, hint)


def _describe_type(kind: type) -> str:
    if kind is numbers.Real:
        return "a real number (float)"
    if kind is numbers.Integral:
        return "a whole number (int)"
    if kind.__name__ == "ndarray":
        return "a numpy array (np.ndarray)"
    if kind.__name__ == "DataFrame":
        return "a pandas DataFrame"
    return kind.__name__


def check_shape(
    name: str,
    value: Any,
    expected_shape: tuple[int, ...],
    *,
    labels: Sequence[str] | None = None,
    hint: str | None = None,
) -> None:
    """Check the shape of an array (or the ``(rows, columns)`` of a DataFrame).

    Parameters
    ----------
    name : str
        The variable's name, used in the message.
    value : array_like
        The learner's answer.
    expected_shape : tuple of int
        The expected shape, e.g. ``(2, 101)`` for (sex, age).
    labels : sequence of str, optional
        Names of the expected axes, e.g. ``("sex", "age")``, used to explain the mistake.
    hint : str, optional
        Advice shown after the automatic diagnosis.

    Raises
    ------
    WrongShapeError
    """
    shape = tuple(np.shape(value))
    expected_shape = tuple(int(n) for n in expected_shape)
    if shape == expected_shape:
        return
    described = f"{expected_shape}" + (f" = ({', '.join(labels)})" if labels else "")
    lines = [f"expected shape: {described}", f"found shape:    {shape}"]
    lines += [f"likely mistake: {guess}" for guess in _diagnose_shape(shape, expected_shape, labels)]
    raise WrongShapeError(name, f"{name} does not have the right shape yet.", lines, hint)


def _as_numbers(name: str, value: Any, hint: str | None) -> np.ndarray:
    if value is None:
        check_type(name, value, (numbers.Real, np.ndarray), hint=hint)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise WrongTypeError(
            name,
            f"{name} is not a number or an array of numbers yet.",
            [f"found: {_type_name(value)} {str(value)[:80]!r}"],
            hint,
        ) from None
    return array


def check_close(
    name: str,
    value: Any,
    expected: float,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    hint: str | None = None,
) -> None:
    """Check that a single number is close to the expected one: ``|value - expected| <= atol + rtol * |expected|``.

    Raises
    ------
    WrongTypeError
        If ``value`` is not a single number.
    WrongValueError
        Saying what was expected, what was found, their ratio, and the likely mistake.
    """
    array = _as_numbers(name, value, hint)
    if array.ndim != 0 and array.size != 1:
        raise WrongShapeError(
            name,
            f"{name} should be a single number.",
            [f"found: an array of shape {array.shape}",
             *(f"likely mistake: {g}" for g in _diagnose_shape(array.shape, (), None))],
            hint,
        )
    found = float(array.reshape(()))
    if np.isclose(found, expected, rtol=rtol, atol=atol) and np.isfinite(found):
        return
    lines = [ExpectedLine(f"expected: {_format_number(expected)} ({_tolerance(rtol, atol)})"),
             f"found:    {_format_number(found)}"]
    lines += [f"likely mistake: {guess}" for guess in _diagnose_values(np.asarray(found), np.asarray(float(expected)), None)]
    raise WrongValueError(name, f"{name} is not right yet.", lines, hint)


def check_between(
    name: str, value: Any, lower: float, upper: float, *, what: str = "value", hint: str | None = None
) -> None:
    """Check that every element of ``value`` lies in ``[lower, upper]`` (a plausibility check).

    Raises
    ------
    WrongValueError
        At the first element outside the range.
    """
    array = _as_numbers(name, value, hint)
    bad = ~((array >= lower) & (array <= upper))
    if not bad.any():
        return
    index = tuple(np.argwhere(bad)[0]) if array.ndim else ()
    where = f" at {_position(index, None, None)}" if index else ""
    found = float(array[index]) if array.ndim else float(array)
    lines = [f"expected: a {what} between {_format_number(lower)} and {_format_number(upper)}",
             f"found:    {_format_number(found)}{where}"]
    if upper <= 1 and 1 < found <= 100:
        lines.append("likely mistake: a percentage instead of a fraction? Shares are fractions (0.25, not 25).")
    raise WrongValueError(name, f"{name} is not plausible yet.", lines, hint)


def check_array_close(
    name: str,
    value: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    labels: Sequence[str] | None = None,
    coords: Mapping[str, Sequence] | None = None,
    hint: str | None = None,
) -> None:
    """Check an array element by element: shape first, then values within tolerance.

    Parameters
    ----------
    name : str
        The variable's name.
    value, expected : array_like
        The learner's answer and the expected array.
    rtol, atol : float
        Tolerances as in :func:`numpy.isclose`.
    labels : sequence of str, optional
        Names of the trailing axes, e.g. ``("sex", "age")``: the first mismatch is reported as
        "sex female (index 0), age 65" rather than as an index.
    coords : mapping, optional
        Labels of the positions along named axes, e.g. ``{"age group": ["0-4", "5-9", ...]}``.
    hint : str, optional
        Advice shown after the automatic diagnosis.

    Raises
    ------
    WrongShapeError, WrongValueError
    """
    expected_array = np.asarray(expected, dtype=float)
    check_shape(name, value, expected_array.shape, labels=labels, hint=hint)
    found = _as_numbers(name, value, hint)
    matches = np.isclose(found, expected_array, rtol=rtol, atol=atol) & np.isfinite(found)
    if matches.all():
        return
    index = tuple(np.argwhere(~matches)[0])
    lines = [
        ExpectedLine(f"expected ({_tolerance(rtol, atol)}): {_format_array(expected_array)}"),
        f"found:    {_format_array(found)}",
        f"first difference at {_position(index, labels, coords)}: found {_format_number(found[index])}",
        ExpectedLine(f"expected there: {_format_number(expected_array[index])}"),
        f"{int((~matches).sum())} of {matches.size} values differ.",
    ]
    lines += [f"likely mistake: {guess}" for guess in _diagnose_values(found, expected_array, labels)]
    raise WrongValueError(name, f"{name} does not have the right values yet.", lines, hint)


def check_columns(name: str, frame: Any, columns: Sequence[str], *, hint: str | None = None) -> None:
    """Check that a DataFrame has (at least) the given columns.

    Raises
    ------
    WrongTypeError
        If ``frame`` is not a DataFrame.
    WrongColumnsError
        Listing the missing columns and, when they are found in the index, how to fix that.
    """
    import pandas as pd

    check_type(name, frame, pd.DataFrame, hint=hint)
    missing = [column for column in columns if column not in frame.columns]
    if not missing:
        return
    lines = [f"expected columns: {list(columns)}", f"found columns:    {list(frame.columns)}",
             f"missing: {missing}"]
    in_index = [column for column in missing if column in (frame.index.names or [])]
    if in_index:
        lines.append(f"likely mistake: {in_index} are in the index, not in the columns: call .reset_index() "
                     "after groupby(...).sum().")
    raise WrongColumnsError(name, f"{name} does not have the right columns yet.", lines, hint)


def check_frame_close(
    name: str,
    frame: Any,
    expected: Any,
    *,
    keys: Sequence[str],
    value: str,
    rtol: float = 1e-6,
    atol: float = 0.0,
    hint: str | None = None,
) -> None:
    """Check a tidy table: the same rows (identified by ``keys``) with values close to the expected.

    Rows are matched on the key columns, so their order does not matter.

    Parameters
    ----------
    frame : pandas.DataFrame
        The learner's table.
    expected : pandas.DataFrame
        The expected table with the columns ``[*keys, value]``.
    keys : sequence of str
        Columns that identify a row, e.g. ``("sex", "age_group")``.
    value : str
        The column holding the numbers to compare.

    Raises
    ------
    WrongTypeError, WrongColumnsError, WrongShapeError, WrongValueError
    """
    check_columns(name, frame, [*keys, value], hint=hint)
    keys = list(keys)
    found_keys = frame[keys].astype(str).apply(tuple, axis=1)
    expected_keys = expected[keys].astype(str).apply(tuple, axis=1)
    duplicated = found_keys[found_keys.duplicated()]
    if len(duplicated):
        raise WrongShapeError(name, f"{name} has repeated rows.",
                              [f"the row {dict(zip(keys, duplicated.iloc[0]))} appears more than once: "
                               "every combination of " + ", ".join(keys) + " should appear once (aggregate with groupby)."],
                              hint)
    missing = [k for k in expected_keys if k not in set(found_keys)]
    extra = [k for k in found_keys if k not in set(expected_keys)]
    if missing or extra:
        lines = [f"expected {len(expected_keys)} rows, found {len(found_keys)}."]
        if missing:
            lines.append(f"missing rows ({len(missing)}), first: {dict(zip(keys, missing[0]))}")
        if extra:
            lines.append(f"unexpected rows ({len(extra)}), first: {dict(zip(keys, extra[0]))}")
        lines.append("likely mistake: the groups are not the expected ones: check the group boundaries and labels.")
        raise WrongShapeError(name, f"{name} does not have the right rows yet.", lines, hint)
    found_values = dict(zip(found_keys, _as_numbers(name, frame[value], hint)))
    expected_values = np.asarray(expected[value], dtype=float)
    found_aligned = np.array([found_values[k] for k in expected_keys])
    matches = np.isclose(found_aligned, expected_values, rtol=rtol, atol=atol)
    if matches.all():
        return
    first = int(np.argmin(matches))
    lines = [
        f"first difference in row {dict(zip(keys, expected_keys.iloc[first]))}: found {value} = "
        f"{_format_number(found_aligned[first])}",
        ExpectedLine(f"expected there: {_format_number(expected_values[first])} ({_tolerance(rtol, atol)})"),
        f"{int((~matches).sum())} of {matches.size} rows differ.",
    ]
    lines += [f"likely mistake: {guess}" for guess in _diagnose_values(found_aligned, expected_values, None)]
    raise WrongValueError(name, f"{name} does not have the right values yet.", lines, hint)


# --------------------------------------------------------------------------- short tracebacks in Jupyter


def _short_traceback(shell, etype, value, tb, tb_offset=None) -> None:
    """IPython's report of a failed check: its message and the line of the learner's cell, not the kit's frames."""
    import linecache
    from pathlib import Path

    package = str(Path(__file__).resolve().parent)
    where = ""
    cell_file = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith(package):
            line = linecache.getline(code.co_filename, tb.tb_lineno).strip()
            where = f"(in this cell, line {tb.tb_lineno}: {line})" if line else ""
            cell_file = code.co_filename
        tb = tb.tb_next
    lines = str(value).splitlines() or [""]
    if cell_file is not None and not isinstance(value, _not_yet_type()):
        from .selfcheck import named_in_cell  # the task this cell self-checks: is the value a known mistake?

        lines += named_in_cell(linecache.getlines(cell_file), getattr(shell, "user_ns", {}))
    red, reset = ("\x1b[0;31m", "\x1b[0m") if getattr(shell, "colors", "NoColor") != "NoColor" else ("", "")
    text = [f"{red}{etype.__name__}{reset}: {lines[0]}", *lines[1:]]
    if where:
        text.append(where)
    # IPython ignores what a custom handler returns: show it (ipykernel sends it as the cell's error
    # output and as the traceback of the execute reply, which nbgrader's Validate reads)
    shell._showtraceback(etype, value, ["\n".join(text)])
    return None


def _not_yet_type() -> type:
    from .selfcheck import NotYetError

    return NotYetError


def install_short_tracebacks() -> bool:
    """In IPython/Jupyter, show a failed check as its message only (no traceback through the kit's frames).

    Called when :mod:`qsp.grading.checks` is imported. The error stays an error: the cell fails,
    "Run All" stops there and nbgrader's Validate counts it. Returns whether it was installed
    (not outside IPython, nor where another library already set IPython's custom exception handler).
    """
    import sys

    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return False
    existing = tuple(getattr(shell, "custom_exceptions", ()) or ())
    if existing and existing != (AnswerError,):
        return False
    shell.set_custom_exc((AnswerError,), _short_traceback)
    return True


MISTAKE_RUN_VARIABLE = "QSP_SELFCHECK_MISTAKE_RUN"
"""Set to ``1`` by ``qsp course keys`` while it runs a solution with a typical mistake in it: failed
checks then do not stop the cell, so the self-check after them records the value the mistake gives."""


def _lenient(function):
    """``function``, whose failures are let through while a typical mistake is being recorded."""
    import functools
    import os

    @functools.wraps(function)
    def checked(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except AnswerError:
            if os.environ.get(MISTAKE_RUN_VARIABLE) == "1":
                return None
            raise

    return checked


check_type = _lenient(check_type)
check_shape = _lenient(check_shape)
check_close = _lenient(check_close)
check_between = _lenient(check_between)
check_array_close = _lenient(check_array_close)
check_columns = _lenient(check_columns)
check_frame_close = _lenient(check_frame_close)
install_short_tracebacks()
