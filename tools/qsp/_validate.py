"""Input checks shared by every kernel.

Each check raises :class:`ValueError` with a message that names the argument, says what is
wrong, where it is (batch index, sex, age, year), and how to fix it, as DESIGN.md asks.
Checks cost one or two vectorised passes over the input; kernels call them once per call,
never inside a loop over years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SEX_NAMES = ("female", "male")


def describe_position(
    index: Sequence[int],
    trailing: Sequence[str] = ("sex", "age"),
    *,
    ages: np.ndarray | None = None,
    years: np.ndarray | None = None,
) -> str:
    """Say in words where element ``index`` of an array sits.

    Parameters
    ----------
    index : sequence of int
        Full index of the element (batch axes first).
    trailing : sequence of str
        Names of the trailing axes, e.g. ``("year", "sex", "age")``. Leading axes beyond
        these are reported as a batch index.
    ages, years : array, optional
        Labels for the ``age`` and ``year`` axes; positions are reported when absent.
    """
    index = [int(i) for i in index]
    n_trailing = min(len(trailing), len(index))
    n_batch = len(index) - n_trailing
    parts = []
    if n_batch > 0:
        parts.append(f"batch index {tuple(index[:n_batch])}")
    for label, i in zip(trailing[len(trailing) - n_trailing :], index[n_batch:]):
        if label == "sex":
            parts.append(f"sex {i} ({SEX_NAMES[i]})" if i < len(SEX_NAMES) else f"sex {i}")
        elif label == "age":
            parts.append(f"age {ages[i]:g}" if ages is not None and i < len(ages) else f"age {i}")
        elif label == "year":
            parts.append(f"year {years[i]}" if years is not None and i < len(years) else f"year index {i}")
        else:
            parts.append(f"{label} {i}")
    return ", ".join(parts) if parts else "the scalar value"


def _at(index, trailing, ages, years) -> str:
    """`` at <position>`` for an element of an array, or nothing for a scalar."""
    if len(index) == 0:
        return ""
    return f" at {describe_position(index, trailing, ages=ages, years=years)}"


def as_float_array(name: str, value) -> np.ndarray:
    """Convert ``value`` to a float64 array, with a clear error when that is impossible."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric (an array of numbers); got {type(value).__name__}: {exc}") from exc


def check_values(
    name: str,
    value,
    *,
    trailing: Sequence[str] = ("sex", "age"),
    lower: float | None = None,
    upper: float | None = None,
    lower_inclusive: bool = True,
    finite: bool = True,
    ages: np.ndarray | None = None,
    years: np.ndarray | None = None,
    what: str = "value",
    hint: str = "",
) -> np.ndarray:
    """Return ``value`` as a float array after checking that it is finite and within bounds.

    Parameters
    ----------
    name : str
        Argument name used in the message (e.g. ``"mx"``).
    value : array_like
        The input.
    trailing : sequence of str
        Names of the trailing axes, used to say where a bad value is.
    lower, upper : float, optional
        Allowed bounds (``upper`` inclusive; ``lower`` inclusive unless ``lower_inclusive``
        is False).
    finite : bool
        Reject NaN and infinities.
    ages, years : array, optional
        Axis labels for the message.
    what : str
        Noun for the quantity, e.g. ``"death rate"``.
    hint : str
        Extra advice appended to the message.

    Raises
    ------
    ValueError
        On the first offending element, naming its position.
    """
    arr = as_float_array(name, value)
    suffix = f" {hint}" if hint else ""
    if finite:
        bad = ~np.isfinite(arr)
        if bad.any():
            idx = tuple(np.argwhere(bad)[0]) if arr.ndim else ()
            raise ValueError(
                f"{name} contains a missing or infinite {what} ({arr[idx]}){_at(idx, trailing, ages, years)}; "
                f"fill or remove it before calling.{suffix}"
            )
    if lower is not None:
        bad = arr < lower if lower_inclusive else arr <= lower
        if bad.any():
            idx = tuple(np.argwhere(bad)[0]) if arr.ndim else ()
            relation = "at least" if lower_inclusive else "greater than"
            raise ValueError(
                f"{name} has a {what} of {arr[idx]:g}{_at(idx, trailing, ages, years)}, "
                f"but it must be {relation} {lower:g}.{suffix}"
            )
    if upper is not None:
        bad = arr > upper
        if bad.any():
            idx = tuple(np.argwhere(bad)[0]) if arr.ndim else ()
            raise ValueError(
                f"{name} has a {what} of {arr[idx]:g}{_at(idx, trailing, ages, years)}, "
                f"but it must be at most {upper:g}.{suffix}"
            )
    return arr


def check_trailing_shape(
    name: str,
    arr: np.ndarray,
    expected: Sequence[int | None],
    labels: Sequence[str],
    *,
    hint: str = "",
) -> None:
    """Check that the trailing axes of ``arr`` have the expected lengths.

    ``expected`` holds one length per label (``None`` accepts any length). For example
    ``check_trailing_shape("mx", mx, (2, 101), ("sex", "age"))``.
    """
    suffix = f" {hint}" if hint else ""
    if arr.ndim < len(expected):
        layout = ", ".join(labels)
        raise ValueError(
            f"{name} must have at least {len(expected)} axes ({layout}), but it has shape {arr.shape}.{suffix}"
        )
    actual = arr.shape[arr.ndim - len(expected) :]
    for label, want, got in zip(labels, expected, actual):
        if want is not None and want != got:
            raise ValueError(
                f"{name} has {got} entries on its {label} axis (shape {arr.shape}), but {want} were expected.{suffix}"
            )


def check_sex_axis(name: str, arr: np.ndarray, *, axis: int = -2) -> None:
    """Check that the sex axis (default: second to last) has length 2 (0 = female, 1 = male)."""
    if arr.ndim < -axis or arr.shape[axis] != 2:
        raise ValueError(
            f"{name} must have a sex axis of length 2 (0 = female, 1 = male) at position {axis}, "
            f"but it has shape {arr.shape}. Arrays are laid out as (..., sex, age)."
        )


def check_increasing(name: str, values, *, strict: bool = True, what: str = "values") -> np.ndarray:
    """Check that a 1-D sequence (years, ages) is in increasing order; return it as an array."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, but it has shape {arr.shape}.")
    step = np.diff(arr)
    bad = step <= 0 if strict else step < 0
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name} must list {what} in increasing order, but {arr[i + 1]} comes after {arr[i]} "
            f"(positions {i} and {i + 1})."
        )
    return arr


def broadcast_batch_shapes(shapes: dict[str, tuple[int, ...]], *, hint: str = "") -> tuple[int, ...]:
    """Broadcast the batch (scenario) shapes of several arguments, naming them when they do not fit.

    Parameters
    ----------
    shapes : dict
        Argument name -> its batch shape.
    hint : str
        Extra advice appended to the message.
    """
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        described = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        suffix = f" {hint}" if hint else ""
        raise ValueError(
            f"the batch (scenario) axes of the arguments do not broadcast together: {described}. "
            f"Leading axes are scenarios and must follow numpy broadcasting rules (equal lengths or 1).{suffix}"
        ) from None
