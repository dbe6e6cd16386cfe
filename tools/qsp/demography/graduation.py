"""Graduation: split 5-year age-group values into single years of age, and group them back.

Census tables, survey tabulations and the UN World Population Prospects often give values by
5-year age group (0-4, 5-9, ..., 95-99, 100+). A cohort-component projection with a one-year
step needs single years. *Osculatory interpolation* splits each group into five single years
with fixed multipliers applied to the group and its neighbours:

.. math::

    v_{5g+j} = \\sum_{k} c^{(p)}_{j,k} \\, V_{g_0(p) + k}, \\qquad j = 0..4,

where :math:`V` are the group values, :math:`c^{(p)}` the 5 x 5 multiplier panel used for the
position :math:`p` of group :math:`g` (first, second, middle, next-to-last, last group) and
:math:`g_0(p)` the first of the five groups the panel reads. The middle panel reads groups
``g-2 .. g+2``; the first two and the last two groups read the five groups at their end of
the table. Both formulas offered here (Sprague 1880 and Beers "ordinary" 1945) have
multipliers whose columns sum to 1 for the group being split and to 0 for every neighbour, so
**each group's total is preserved exactly**, and both reproduce single-year values that follow
a cubic polynomial in age exactly.

Conventions (each a keyword parameter of :func:`graduate`):

- ``method="beers"``: the Beers *ordinary* six-term minimised-fifth-difference formula (the
  usual default for population counts and rates; smoother than Sprague's). ``"sprague"``
  gives Sprague's fifth-difference osculatory formula. Beers' *modified* formula is not
  offered: it smooths the data and does not preserve the group totals.
- ``open_interval=True``: the last group (e.g. 100+) is an open interval and becomes the single
  open age unchanged.
- ``nonnegative=True``: osculatory multipliers can give negative single-year values for a
  small group next to large ones (e.g. a few centenarians next to many people aged 90-94, or
  the first fertile ages). In every group whose split has a negative value, the negative
  values are set to zero and the group's remaining values are rescaled to the group total
  ("clip and rescale"); groups without negative values are left as the multipliers give them.
  Totals stay exact and no value is negative.
- Abridged input (ages 0, 1-4, 5-9, ...): the infant group and the 1-4 group are merged into
  0-4 for the multipliers; then age 0 keeps its observed value exactly and the graduated
  values of ages 1-4 are rescaled to the observed 1-4 total (the DemoTools ``keep0=TRUE``
  rule). This may leave a small step between ages 0 and 1, which is real (infant values
  differ from those at ages 1-4).

References
----------
Sprague, T. B. (1880). Explanation of a new formula for interpolation. *Journal of the
Institute of Actuaries* 22, 270-285.

Beers, H. S. (1945). Six-term formulas for routine actuarial interpolation. *The Record of the
American Institute of Actuaries* 34(69), 59-60.

Shryock, H. S., Siegel, J. S. and associates (1973). *The Methods and Materials of Demography*,
Appendix C "Selected general methods", tables of Sprague and Beers multipliers; reprinted in
Siegel, J. S. and Swanson, D. A. (2004), *The Methods and Materials of Demography*, 2nd ed.,
Elsevier, Appendix C, pp. 727-729.

Riffe, T. et al. DemoTools: an R package of tools for aggregate demographic analysis
(``sprague()``, ``beers()``, ``graduate()``), https://github.com/timriffe/DemoTools.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np

from .._validate import check_values
from .ages import check_ages

Method = Literal["beers", "sprague"]

METHODS = ("beers", "sprague")
"""Graduation formulas offered by :func:`graduate`."""

MIN_CLOSED_GROUPS = 5
"""Fewest closed 5-year groups the multiplier panels need (each panel reads five groups)."""

# ---------------------------------------------------------------------------------------------
# Multiplier panels (Siegel & Swanson 2004, Appendix C; identical to DemoTools' spragueExpand()
# and beersExpand(method = "ord")). Rows: the five single ages of the group being split;
# columns: the five groups the panel reads (the first five groups for the FIRST and SECOND
# panels, groups g-2..g+2 for the MIDDLE panel, the last five groups for the NEXT_TO_LAST and
# LAST panels). The last two panels are the first two reversed in both rows and columns (the
# formulas are symmetric); the published tables print them in full with the same values.
# ---------------------------------------------------------------------------------------------
SPRAGUE_FIRST = np.array([
    [0.3616, -0.2768, 0.1488, -0.0336, 0.0000],
    [0.2640, -0.0960, 0.0400, -0.0080, 0.0000],
    [0.1840, 0.0400, -0.0320, 0.0080, 0.0000],
    [0.1200, 0.1360, -0.0720, 0.0160, 0.0000],
    [0.0704, 0.1968, -0.0848, 0.0176, 0.0000],
])
SPRAGUE_SECOND = np.array([
    [0.0336, 0.2272, -0.0752, 0.0144, 0.0000],
    [0.0080, 0.2320, -0.0480, 0.0080, 0.0000],
    [-0.0080, 0.2160, -0.0080, 0.0000, 0.0000],
    [-0.0160, 0.1840, 0.0400, -0.0080, 0.0000],
    [-0.0176, 0.1408, 0.0912, -0.0144, 0.0000],
])
SPRAGUE_MIDDLE = np.array([
    [-0.0128, 0.0848, 0.1504, -0.0240, 0.0016],
    [-0.0016, 0.0144, 0.2224, -0.0416, 0.0064],
    [0.0064, -0.0336, 0.2544, -0.0336, 0.0064],
    [0.0064, -0.0416, 0.2224, 0.0144, -0.0016],
    [0.0016, -0.0240, 0.1504, 0.0848, -0.0128],
])
BEERS_FIRST = np.array([
    [0.3333, -0.1636, -0.0210, 0.0796, -0.0283],
    [0.2595, -0.0780, 0.0130, 0.0100, -0.0045],
    [0.1924, 0.0064, 0.0184, -0.0256, 0.0084],
    [0.1329, 0.0844, 0.0054, -0.0356, 0.0129],
    [0.0819, 0.1508, -0.0158, -0.0284, 0.0115],
])
BEERS_SECOND = np.array([
    [0.0404, 0.2000, -0.0344, -0.0128, 0.0068],
    [0.0093, 0.2268, -0.0402, 0.0028, 0.0013],
    [-0.0108, 0.2272, -0.0248, 0.0112, -0.0028],
    [-0.0198, 0.1992, 0.0172, 0.0072, -0.0038],
    [-0.0191, 0.1468, 0.0822, -0.0084, -0.0015],
])
BEERS_MIDDLE = np.array([
    [-0.0117, 0.0804, 0.1570, -0.0284, 0.0027],
    [-0.0020, 0.0160, 0.2200, -0.0400, 0.0060],
    [0.0050, -0.0280, 0.2460, -0.0280, 0.0050],
    [0.0060, -0.0400, 0.2200, 0.0160, -0.0020],
    [0.0027, -0.0284, 0.1570, 0.0804, -0.0117],
])
for _panel in (SPRAGUE_FIRST, SPRAGUE_SECOND, SPRAGUE_MIDDLE, BEERS_FIRST, BEERS_SECOND, BEERS_MIDDLE):
    _panel.setflags(write=False)


def multiplier_panels(method: Method = "beers") -> dict[str, np.ndarray]:
    """The five 5 x 5 multiplier panels of a graduation formula.

    Parameters
    ----------
    method : {"beers", "sprague"}
        Beers ordinary (default) or Sprague multipliers.

    Returns
    -------
    dict of str to ndarray
        Keys ``"first"``, ``"second"``, ``"middle"``, ``"next_to_last"``, ``"last"``; each a
        read-only (5, 5) array, rows = single ages of the group split, columns = the five groups
        read (see the module docstring). ``next_to_last`` and ``last`` are ``second`` and
        ``first`` reversed in rows and columns.

    Examples
    --------
    >>> multiplier_panels("sprague")["first"][0, 0]
    np.float64(0.3616)
    """
    method = _check_method(method)
    first, second, middle = (
        (SPRAGUE_FIRST, SPRAGUE_SECOND, SPRAGUE_MIDDLE)
        if method == "sprague"
        else (BEERS_FIRST, BEERS_SECOND, BEERS_MIDDLE)
    )
    return {
        "first": first,
        "second": second,
        "middle": middle,
        "next_to_last": second[::-1, ::-1],
        "last": first[::-1, ::-1],
    }


def graduation_matrix(n_groups: int, method: Method = "beers") -> np.ndarray:
    """The (5 * n_groups, n_groups) matrix that splits closed 5-year groups into single years.

    Single-year values are ``matrix @ group_values``. Every column sums to exactly one group's
    worth (each group's five rows sum to 1 in its own column and 0 in the others).

    Parameters
    ----------
    n_groups : int
        Number of closed 5-year groups (at least 5: each panel reads five groups).
    method : {"beers", "sprague"}
        Multipliers to use (default Beers ordinary).

    Returns
    -------
    ndarray
        Read-only array of shape ``(5 * n_groups, n_groups)``.

    Raises
    ------
    ValueError
        If ``n_groups`` is below 5 or ``method`` is unknown.

    Examples
    --------
    >>> graduation_matrix(6, "sprague").shape
    (30, 6)
    """
    method = _check_method(method)
    if int(n_groups) != n_groups or n_groups < MIN_CLOSED_GROUPS:
        raise ValueError(
            f"n_groups must be a whole number of at least {MIN_CLOSED_GROUPS} closed 5-year groups "
            f"(each multiplier panel reads five groups), got {n_groups!r}."
        )
    return _matrix(int(n_groups), method)


@lru_cache(maxsize=64)
def _matrix(n_groups: int, method: str) -> np.ndarray:
    panels = multiplier_panels(method)  # type: ignore[arg-type]
    matrix = np.zeros((5 * n_groups, n_groups))
    matrix[0:5, 0:5] = panels["first"]
    matrix[5:10, 0:5] = panels["second"]
    for g in range(2, n_groups - 2):
        matrix[5 * g : 5 * g + 5, g - 2 : g + 3] = panels["middle"]
    last5 = slice(n_groups - 5, n_groups)
    matrix[5 * (n_groups - 2) : 5 * (n_groups - 1), last5] = panels["next_to_last"]
    matrix[5 * (n_groups - 1) :, last5] = panels["last"]
    matrix.setflags(write=False)
    return matrix


def _check_method(method) -> str:
    if method not in METHODS:
        hint = ""
        if isinstance(method, str) and "beers" in method.lower():
            hint = (" Beers' modified formula is not offered because it smooths and does not "
                    "preserve group totals; 'beers' is the ordinary formula.")
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in METHODS)}, got {method!r}.{hint}")
    return method


def _group_grid(ages, omega, n_values: int, open_interval: bool) -> tuple[np.ndarray, bool]:
    """Resolve and check the group start ages; return them and whether they are abridged."""
    if ages is None:
        if omega is not None:
            if not open_interval:
                raise ValueError(
                    "omega names the start of the open age group, so it needs open_interval=True; "
                    "with closed groups give ages (or nothing) instead."
                )
            if int(omega) != omega or omega < 5 or omega % 5:
                raise ValueError(f"omega must be a multiple of 5 (the open group's start age), got {omega!r}.")
            grid = np.arange(0, int(omega) + 1, 5)
        else:
            grid = np.arange(n_values) * 5
    else:
        grid = np.asarray(check_ages(ages))
        if omega is not None and open_interval and grid[-1] != omega:
            raise ValueError(
                f"omega={omega!r} disagrees with ages, whose open group starts at {grid[-1]:g}; "
                "give one or the other."
            )
    if grid.size != n_values:
        raise ValueError(
            f"values has {n_values} age groups on its last axis, but the age grid has {grid.size} "
            f"groups ({grid[0]:g}..{grid[-1]:g}); give one value per group, last axis = age group."
        )
    abridged = grid.size >= 3 and grid[1] == 1 and grid[2] == 5
    regular = grid[2:] if abridged else grid
    steps = np.diff(regular)
    if np.any(steps != 5) or regular[0] % 5:
        i = int(np.argmax(steps != 5)) if np.any(steps != 5) else 0
        raise ValueError(
            f"ages must be 5-year groups 0, 5, 10, ... (or abridged 0, 1, 5, 10, ...), but the group "
            f"starting at {regular[i]:g} is followed by {regular[min(i + 1, regular.size - 1)]:g}. "
            "Regroup the data into 5-year groups first (qsp.demography.group)."
        )
    return grid, abridged


def graduate(
    values,
    *,
    ages=None,
    method: Method = "beers",
    open_interval: bool = True,
    omega: int | None = None,
    nonnegative: bool = True,
) -> np.ndarray:
    """Split values by 5-year age group into single years of age by osculatory interpolation.

    Applies the fixed multipliers of Beers' ordinary or Sprague's formula as one matrix product
    over all leading (batch) axes: :math:`v = C V`, where ``C`` is :func:`graduation_matrix`.
    Each group's total is preserved exactly: ``group(graduate(V)) == V``.

    Parameters
    ----------
    values : array_like, shape (..., group)
        Values by age group (counts of people, births, deaths, or rates times widths), last axis
        = age group. Default groups 0-4, 5-9, ..., with the last group open (e.g. 100+).
    ages : array_like, optional
        Start ages of the groups: ``0, 5, 10, ..., K`` or abridged ``0, 1, 5, 10, ..., K``.
        Default ``0, 5, ..., 5 * (n_groups - 1)`` (or ``0, 5, ..., omega`` when ``omega`` is
        given). Abridged input: 0 and 1-4 are merged for the multipliers; age 0 keeps its value
        and ages 1-4 are rescaled to the 1-4 total.
    method : {"beers", "sprague"}
        ``"beers"`` (default): Beers ordinary formula; ``"sprague"``: Sprague's formula.
    open_interval : bool
        True (default): the last group is open (``K+``) and is returned unchanged as the single
        open age ``K``. False: the last group is the closed group ``K..K+4`` and is split too.
    omega : int, optional
        Start of the open group when ``ages`` is not given (default: from the shape).
    nonnegative : bool
        True (default): values must be >= 0 and any group whose split has negative values is
        clipped at zero and rescaled to its total (see module docstring). False: signed values
        (e.g. net migration) are split by the multipliers alone, negatives allowed.

    Returns
    -------
    ndarray, shape (..., age)
        Single-year values for ages ``0..K`` (``K`` open) with ``open_interval``, else
        ``0..K+4``; each group's sum equals its input to rounding (1e-12 relative).

    Raises
    ------
    ValueError
        If values are NaN, infinite or (with ``nonnegative``) negative, if the age grid is not
        5-year or abridged, if it disagrees with the shape of ``values`` or with ``omega``, if
        there are fewer than 5 closed 5-year groups, or if ``method`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> pop5 = np.array([500., 480., 460., 440., 420., 400., 300.])   # 0-4, ..., 25-29, 30+
    >>> single = graduate(pop5)
    >>> single.shape
    (31,)
    >>> bool(np.allclose(single[:30].reshape(6, 5).sum(axis=1), pop5[:6]))
    True

    References
    ----------
    Siegel & Swanson (2004), *The Methods and Materials of Demography*, 2nd ed., Appendix C,
    pp. 727-729 (Sprague and Beers multipliers); Beers (1945); Sprague (1880); DemoTools
    ``graduate()`` (``keep0 = TRUE`` rule for abridged input).
    """
    method = _check_method(method)
    arr = np.asarray(values)
    if arr.ndim < 1:
        raise ValueError(f"values must have an age-group axis (last axis), got a scalar {values!r}.")
    grid, abridged = _group_grid(ages, omega, arr.shape[-1], open_interval)
    arr = check_values(
        "values", arr, trailing=("age",), ages=grid,
        lower=0.0 if nonnegative else None, what="value",
        hint="Use nonnegative=False to split signed values such as net migration." if nonnegative else "",
    )
    if abridged:
        infants = arr[..., 0]
        ages_1_4 = arr[..., 1]
        groups = np.concatenate([(infants + ages_1_4)[..., None], arr[..., 2:]], axis=-1)
    else:
        groups = arr
    n_closed = groups.shape[-1] - (1 if open_interval else 0)
    if n_closed < MIN_CLOSED_GROUPS:
        raise ValueError(
            f"values has {n_closed} closed 5-year groups (0-4 to {5 * n_closed - 1}), but the "
            f"{method} multipliers need at least {MIN_CLOSED_GROUPS}; add groups or use a simpler split."
        )
    closed = groups[..., :n_closed]
    split = (closed @ _matrix(n_closed, method).T).reshape(*closed.shape, 5)
    split = _fix_groups(split, closed[..., None], nonnegative)
    if abridged:
        split[..., 0, 0] = infants
        split[..., 0, 1:] = _fix_groups(split[..., 0, 1:], ages_1_4[..., None], nonnegative)
    single = split.reshape(*closed.shape[:-1], 5 * n_closed)
    if open_interval:
        single = np.concatenate([single, groups[..., -1:]], axis=-1)
    return single


def _fix_groups(split: np.ndarray, totals: np.ndarray, nonnegative: bool) -> np.ndarray:
    """Make each row of ``split`` (..., k) sum exactly to ``totals`` (..., 1).

    Non-negative case: clip at zero and rescale (a group without negatives changes only by a
    rounding-level factor); a group whose clipped split is all zero gets the uniform split.
    Signed case: spread the rounding residual evenly.
    """
    width = split.shape[-1]
    if not nonnegative:
        return split + (totals - split.sum(axis=-1, keepdims=True)) / width
    clipped = np.maximum(split, 0.0)
    positive_sum = clipped.sum(axis=-1, keepdims=True)
    has_mass = positive_sum > 0
    factor = np.divide(totals, positive_sum, out=np.zeros_like(positive_sum), where=has_mass)
    return np.where(has_mass, clipped * factor, totals / width)


def group(
    values_single,
    *,
    width: int = 5,
    open_interval: bool = True,
    abridged: bool = False,
) -> np.ndarray:
    """Aggregate single-year values into age groups (the inverse of :func:`graduate`).

    Parameters
    ----------
    values_single : array_like, shape (..., age)
        Values for single ages ``0..K`` (last axis).
    width : int
        Width of the groups in years (default 5).
    open_interval : bool
        True (default): the last single age is the open interval ``K+`` and stays a group of
        its own; ``K`` must then be a multiple of ``width``. False: every age is closed and the
        number of ages must be a multiple of ``width``.
    abridged : bool
        True: return the abridged groups 0, 1-4, 5-9, ... (needs ``width=5``).

    Returns
    -------
    ndarray, shape (..., group)
        Group sums; groups start at ``0, width, 2*width, ...`` (abridged: ``0, 1, 5, ...``).

    Raises
    ------
    ValueError
        If the number of ages does not fit whole groups, or values are not finite.

    Examples
    --------
    >>> group(np.arange(11.0))          # ages 0..9 and 10+
    array([10., 35., 10.])
    """
    arr = check_values("values_single", values_single, trailing=("age",), what="value")
    if arr.ndim < 1:
        raise ValueError("values_single must have an age axis (last axis), got a scalar.")
    if int(width) != width or width < 1:
        raise ValueError(f"width must be a whole number of years of at least 1, got {width!r}.")
    if abridged and width != 5:
        raise ValueError(f"abridged=True gives groups 0, 1-4, 5-9, ... and needs width=5, got width={width!r}.")
    width = int(width)
    n_closed = arr.shape[-1] - (1 if open_interval else 0)
    if n_closed < width or n_closed % width:
        closed_desc = f"{n_closed} closed single ages" + (" plus the open age" if open_interval else "")
        raise ValueError(
            f"values_single has {closed_desc}, which is not a whole number of {width}-year groups; "
            f"give single ages 0..K with K a multiple of {width}"
            + (" (the last age open)." if open_interval else " (all closed).")
        )
    closed = arr[..., :n_closed].reshape(*arr.shape[:-1], n_closed // width, width).sum(axis=-1)
    if abridged:
        closed = np.concatenate([arr[..., :1], arr[..., 1:5].sum(axis=-1, keepdims=True), closed[..., 1:]], axis=-1)
    if open_interval:
        closed = np.concatenate([closed, arr[..., -1:]], axis=-1)
    return closed
