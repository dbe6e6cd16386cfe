"""Fertility: summary indices, model age schedules, single-year rates from 5-year groups, sex
ratio at birth.

An age-specific fertility rate (ASFR) :math:`f_x` is births in a year to women aged
``x..x+n-1`` divided by the person-years lived by those women (per woman-year). Its two
summaries are

.. math::

    \\mathrm{TFR} = \\sum_x f_x \\, n_x, \\qquad
    \\mathrm{MAC} = \\frac{\\sum_x (x + n_x/2)\\, f_x n_x}{\\sum_x f_x n_x},

the total fertility rate (children per woman surviving to the end of the childbearing span)
and the mean age at childbearing, with births of each interval placed at its middle
(``x + n/2``: age 27.5 for single age 27, age 27.5 for group 25-29), as the UN World
Population Prospects do.

Conventions (each a keyword parameter):

- ASFR arrays have the age axis last, ``(..., age)``; single ages by default (``n = 1``).
- Model schedules (:func:`hadwiger`, :func:`gamma_schedule`) are positive only on single ages
  ``min_age..max_age`` inclusive (default 12..52; zero elsewhere), evaluated at the middle of
  each year of age, normalised so their TFR is exactly the target and located so their
  mean age at childbearing (mid-interval convention) is the target to 1e-9 years.
- Sex ratio at birth: :data:`DEFAULT_SRB` = 1.05 males per female birth (the usual
  biological level, used by the UN World Population Prospects when no data say otherwise).

References
----------
Preston, S. H., Heuveline, P. and Guillot, M. (2001). *Demography: Measuring and Modeling
Population Processes*. Blackwell, ch. 5 (fertility indices).

Hadwiger, H. (1940). Eine analytische Reproduktionsfunktion für biologische Gesamtheiten.
*Skandinavisk Aktuarietidskrift* 23, 101-113.

Chandola, T., Coleman, D. A. and Hiorns, R. W. (1999). Recent European fertility patterns:
fitting curves to 'distorted' distributions. *Population Studies* 53(3), 317-329.

Hoem, J. M. et al. (1981). Experiments in modelling recent Danish fertility curves.
*Demography* 18(2), 231-244 (gamma fertility schedule).

United Nations (2024). *World Population Prospects 2024: Methodology of the United Nations
population estimates and projections*. UN DESA, Population Division.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_increasing, check_values, describe_position
from .ages import DEFAULT_OMEGA, single_ages
from .graduation import _check_method, graduate

DEFAULT_SRB = 1.05
"""Default sex ratio at birth: 1.05 male births per female birth (105 boys per 100 girls)."""

DEFAULT_MIN_AGE = 12
"""First single age with non-zero fertility in the model schedules."""
DEFAULT_MAX_AGE = 52
"""Last single age with non-zero fertility in the model schedules."""

WPP_GROUP_STARTS = (15, 20, 25, 30, 35, 40, 45)
"""Start ages of the 5-year ASFR groups published by the UN World Population Prospects."""

MEAN_AGE_TOLERANCE = 1e-9
"""Largest difference (years) between a model schedule's mean age and its target."""


# ---------------------------------------------------------------------------------------------
# summary indices
# ---------------------------------------------------------------------------------------------
def _asfr_and_widths(asfr, ages, width, *, name: str = "asfr") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check ASFR (..., age); return it, the start ages and the widths of its intervals."""
    arr = np.asarray(asfr)
    if arr.ndim < 1:
        raise ValueError(f"{name} must have an age axis (last axis), got a scalar.")
    if width is not None and (not np.isfinite(width) or width <= 0):
        raise ValueError(f"width must be a positive number of years, got {width!r}.")
    if ages is None:
        step = 1.0 if width is None else float(width)
        grid = np.arange(arr.shape[-1]) * step
        widths = np.full(arr.shape[-1], step)
    else:
        grid = check_increasing("ages", np.asarray(ages, dtype=np.float64), what="ages")
        if grid.size != arr.shape[-1]:
            raise ValueError(
                f"ages has {grid.size} entries but {name} has {arr.shape[-1]} on its last (age) axis; "
                "give one start age per rate."
            )
        if width is not None:
            last = float(width)
        else:
            last = float(grid[-1] - grid[-2]) if grid.size >= 2 else 1.0
        widths = np.append(np.diff(grid), last)
    arr = check_values(name, arr, trailing=("age",), ages=grid, lower=0.0, what="fertility rate",
                       hint="Fertility rates are births per woman-year (zero or more).")
    return arr, grid, widths


def tfr(asfr, *, ages=None, width: float | None = None) -> np.ndarray:
    """Total fertility rate: ``TFR = sum_x f_x * n_x``.

    Parameters
    ----------
    asfr : array_like, shape (..., age)
        Age-specific fertility rates (births per woman-year), last axis = age.
    ages : array_like, optional
        Start ages of the intervals (e.g. ``15, 20, ..., 45``). Widths are the differences
        between start ages; the last interval has width ``width`` or, if not given, the width
        of the one before. Default: intervals of ``width`` years.
    width : float, optional
        Interval width in years when ``ages`` is not given (default 1, single ages; 5 for
        5-year groups), or the width of the last interval when it is.

    Returns
    -------
    ndarray, shape (...)
        Children per woman.

    Raises
    ------
    ValueError
        If a rate is negative, NaN or infinite (the message names the age), or the ages do not
        match the last axis of ``asfr``.

    Examples
    --------
    >>> tfr([0.02, 0.1, 0.12, 0.09, 0.05, 0.02, 0.004], width=5)
    np.float64(2.02)

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, section 5.2.
    """
    arr, _, widths = _asfr_and_widths(asfr, ages, width)
    return (arr * widths).sum(axis=-1)


def mean_age_at_childbearing(asfr, *, ages=None, width: float | None = None) -> np.ndarray:
    """Mean age at childbearing: ``MAC = sum (x + n/2) f_x n / sum f_x n``.

    Births in each interval are placed at its middle, ``x + n/2`` (the UN convention): single
    age 27 counts as 27.5, group 25-29 as 27.5.

    Parameters
    ----------
    asfr : array_like, shape (..., age)
        Age-specific fertility rates, last axis = age.
    ages : array_like, optional
        Start ages of the intervals. Default ``0, w, 2w, ...`` with ``w = width`` (i.e. the rates
        are on the full age grid starting at age 0, single ages by default).
    width : float, optional
        Interval width when ``ages`` is not given (default 1), or the last interval's width.

    Returns
    -------
    ndarray, shape (...)
        Mean age in years.

    Raises
    ------
    ValueError
        If a rate is negative or not finite, or a schedule has no births at all (the mean is
        undefined; the message names the batch position).

    Examples
    --------
    >>> float(mean_age_at_childbearing([0.1, 0.1], ages=[25, 30]))
    30.0

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, section 5.2; United Nations (2024),
    *World Population Prospects 2024: Methodology*.
    """
    arr, grid, widths = _asfr_and_widths(asfr, ages, width)
    births = arr * widths
    total = births.sum(axis=-1)
    if np.any(total <= 0):
        where = describe_position(tuple(np.argwhere(np.asarray(total <= 0))[0]) if total.ndim else (), ())
        raise ValueError(
            f"asfr has no births (all rates zero) at {where}, so the mean age at childbearing is undefined; "
            "give at least one positive rate."
        )
    return (births * (grid + widths / 2)).sum(axis=-1) / total


def scale_to_tfr(asfr, tfr, *, ages=None, width: float | None = None) -> np.ndarray:
    """Rescale a fertility schedule to a target TFR, keeping its age pattern.

    ``f'_x = f_x * TFR_target / TFR(f)``.

    Parameters
    ----------
    asfr : array_like, shape (..., age)
        Age-specific fertility rates; at least one positive rate per schedule.
    tfr : float or array_like, shape (...)
        Target total fertility rate(s), broadcast against the leading axes of ``asfr``.
    ages, width : optional
        Interval layout, as in :func:`tfr` (default single ages).

    Returns
    -------
    ndarray, shape (..., age)
        Rescaled rates whose TFR equals the target.

    Raises
    ------
    ValueError
        If the target is not positive and finite, a rate is negative, or a schedule is all zero.

    Examples
    --------
    >>> scale_to_tfr([0.1, 0.3, 0.1], 2.5, width=5)
    array([0.1, 0.3, 0.1])
    """
    arr, _, widths = _asfr_and_widths(asfr, ages, width)
    target = check_values("tfr", tfr, trailing=(), lower=0.0, lower_inclusive=False,
                          what="target total fertility rate", hint="A TFR is children per woman, above 0.")
    current = (arr * widths).sum(axis=-1)
    if np.any(current <= 0):
        where = describe_position(tuple(np.argwhere(np.asarray(current <= 0))[0]) if current.ndim else (), ())
        raise ValueError(f"asfr is zero at every age at {where}, so it has no age pattern to rescale.")
    return arr * (target / current)[..., None]


# ---------------------------------------------------------------------------------------------
# model schedules
# ---------------------------------------------------------------------------------------------
def _model_inputs(ages, tfr_target, mean_age, sd, min_age, max_age):
    grid = single_ages(DEFAULT_OMEGA) if ages is None else np.asarray(ages)
    if grid.ndim != 1 or grid.size < 2 or np.any(np.diff(grid) != 1) or grid[0] < 0 or np.any(grid != np.round(grid)):
        raise ValueError(
            "ages must be consecutive single years of age (e.g. qsp.demography.single_ages(100)), "
            f"got {np.asarray(ages)!r}."
        )
    for label, value in (("min_age", min_age), ("max_age", max_age)):
        if int(value) != value:
            raise ValueError(f"{label} must be a whole age in years, got {value!r}.")
    if not min_age < max_age:
        raise ValueError(f"min_age ({min_age}) must be below max_age ({max_age}).")
    if min_age < grid[0] or max_age > grid[-1]:
        raise ValueError(
            f"the childbearing span {min_age}..{max_age} must lie inside ages {grid[0]}..{grid[-1]}."
        )
    target = check_values("tfr", tfr_target, trailing=(), lower=0.0, lower_inclusive=False,
                          what="target total fertility rate", hint="A TFR is children per woman, above 0.")
    spread = check_values("sd", sd, trailing=(), lower=0.0, lower_inclusive=False,
                          what="standard deviation (years)")
    mean = check_values("mean_age", mean_age, trailing=(), what="mean age at childbearing")
    outside = (mean <= min_age + 0.5) | (mean >= max_age + 0.5)
    if np.any(outside):
        idx = tuple(np.argwhere(outside)[0]) if mean.ndim else ()
        raise ValueError(
            f"mean_age of {mean[idx]:g} at {describe_position(idx, ())} lies outside the childbearing span: "
            f"it must be between {min_age + 0.5:g} and {max_age + 0.5:g} (the middles of the first and last "
            f"fertile years, min_age={min_age}, max_age={max_age}); typical values are 25-32."
        )
    target, mean, spread = np.broadcast_arrays(target, mean, spread)
    span = np.arange(int(min_age), int(max_age) + 1, dtype=np.float64)
    return grid, target, mean, spread, span


def _locate(log_kernel, span_mid, mean, spread, lo, hi, model: str, min_age, max_age):
    """Find the location ``c`` whose discrete schedule has mean age ``mean`` (vectorised).

    ``log_kernel(c, spread)`` returns log-density values on ``span_mid`` (shape (..., n_span)).
    The discrete mean ``m(c)`` is tabulated on a grid of ``c`` from ``lo`` to ``hi``; it first
    falls (very small ``c`` gives J-shaped schedules with long tails) and then rises. The root
    is bracketed on the rising branch (bell-shaped schedules) and refined by the Illinois
    (modified regula falsi) method.
    """

    def discrete(c, s):
        log_k = log_kernel(c[..., None], s[..., None])
        weights = np.exp(log_k - log_k.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        return weights, (weights * span_mid).sum(axis=-1)

    n_grid = 48
    steps = np.linspace(0.0, 1.0, n_grid)
    hi = np.broadcast_to(hi, mean.shape)
    if np.all(spread == spread.flat[0]):  # one spread: tabulate m(c) once for the whole batch
        c_grid = lo + (hi.flat[0] - lo) * steps
        _, m_grid = discrete(c_grid, np.full(n_grid, spread.flat[0]))
        c_grid = np.broadcast_to(c_grid, (*mean.shape, n_grid))
        m_grid = np.broadcast_to(m_grid, (*mean.shape, n_grid))
    else:
        c_grid = lo + (hi[..., None] - lo) * steps
        _, m_grid = discrete(c_grid, np.broadcast_to(spread[..., None], c_grid.shape))
    lowest = m_grid.argmin(axis=-1)
    rising = np.arange(n_grid) >= lowest[..., None]
    crossed = rising & (m_grid >= mean[..., None])
    reachable = crossed.any(axis=-1) & (m_grid.min(axis=-1) <= mean)
    if not np.all(reachable):
        idx = tuple(np.argwhere(~reachable)[0]) if mean.ndim else ()
        raise ValueError(
            f"mean_age of {mean[idx]:g} with sd {spread[idx]:g} at {describe_position(idx, ())} cannot be "
            f"reached by a {model} schedule on ages {min_age}..{max_age} (reachable: about "
            f"{m_grid[idx].min():.2f} to {m_grid[idx].max():.2f}); use a mean age nearer the middle of the "
            "span or a smaller sd."
        )
    upper = np.maximum(crossed.argmax(axis=-1), 1)
    c_hi = np.take_along_axis(c_grid, upper[..., None], axis=-1)[..., 0]
    c_lo = np.take_along_axis(c_grid, (upper - 1)[..., None], axis=-1)[..., 0]
    f_hi = np.take_along_axis(m_grid, upper[..., None], axis=-1)[..., 0] - mean
    f_lo = np.take_along_axis(m_grid, (upper - 1)[..., None], axis=-1)[..., 0] - mean
    # Illinois (modified regula falsi) inside the bracket: f_lo < 0 <= f_hi throughout.
    retained = np.zeros(mean.shape, dtype=np.int8)  # +1: hi kept last step, -1: lo kept
    tolerance = 1e-12 * np.maximum(1.0, np.abs(mean))
    for _ in range(100):
        gap = f_hi - f_lo
        ratio = np.divide(f_hi, gap, out=np.full_like(gap, 0.5), where=gap > 0)
        c_new = c_hi - ratio * (c_hi - c_lo)
        weights, achieved = discrete(c_new, spread)
        f_new = achieved - mean
        if np.all(np.abs(f_new) <= tolerance):
            break
        keep_hi = f_new < 0
        f_hi = np.where(keep_hi & (retained == 1), 0.5 * f_hi, f_hi)
        f_lo = np.where(~keep_hi & (retained == -1), 0.5 * f_lo, f_lo)
        c_lo, f_lo = np.where(keep_hi, c_new, c_lo), np.where(keep_hi, f_new, f_lo)
        c_hi, f_hi = np.where(keep_hi, c_hi, c_new), np.where(keep_hi, f_hi, f_new)
        retained = np.where(keep_hi, 1, -1).astype(np.int8)
    return weights, achieved


def _place(grid, span, weights, target, mean, achieved, model):
    off = np.abs(achieved - mean) > MEAN_AGE_TOLERANCE
    if np.any(off):  # pragma: no cover - guarded by the bracket check; kept as a safety net
        idx = tuple(np.argwhere(off)[0]) if mean.ndim else ()
        raise ValueError(f"the {model} schedule could not match mean_age at {describe_position(idx, ())}.")
    out = np.zeros((*target.shape, grid.size))
    start = int(span[0] - grid[0])
    out[..., start : start + span.size] = target[..., None] * weights
    return out


def hadwiger(
    ages=None,
    *,
    tfr,
    mean_age,
    sd: float = 6.0,
    min_age: int = DEFAULT_MIN_AGE,
    max_age: int = DEFAULT_MAX_AGE,
) -> np.ndarray:
    """Hadwiger (1940) model fertility schedule with a given TFR, mean age and spread.

    Hadwiger's function, in the form of Chandola, Coleman & Hiorns (1999),

    .. math::

        f(x) = \\frac{a\\,b}{c\\sqrt{\\pi}} \\left(\\frac{c}{x}\\right)^{3/2}
               \\exp\\left[-b^2\\left(\\frac{c}{x} + \\frac{x}{c} - 2\\right)\\right],

    is ``a`` times an inverse Gaussian density in age ``x`` with mean ``c`` and standard
    deviation ``c / (b sqrt 2)``. Here ``a`` = ``tfr``, ``b = c / (sd * sqrt 2)``, and ``c`` is
    chosen (vectorised root search) so that the *discrete* schedule has mean age exactly
    ``mean_age``: the function is evaluated at the middle ``x + 0.5`` of each single year
    ``min_age..max_age``, set to zero elsewhere, and scaled so that ``sum f_x = tfr``.

    Parameters
    ----------
    ages : array_like, optional
        Consecutive single ages of the output (default ``0..100``).
    tfr : float or array_like
        Target total fertility rate(s) (> 0).
    mean_age : float or array_like
        Target mean age(s) at childbearing, strictly between ``min_age + 0.5`` and
        ``max_age + 0.5`` (mid-interval convention, see :func:`mean_age_at_childbearing`).
    sd : float or array_like
        Spread: standard deviation (years) of the continuous Hadwiger density (default 6.0;
        the discrete schedule's standard deviation is close to it unless the span truncates it).
    min_age, max_age : int
        First and last single ages with non-zero fertility (default 12 and 52, inclusive).

    Returns
    -------
    ndarray, shape (*broadcast(tfr, mean_age, sd).shape, age)
        Single-year ASFR (births per woman-year) on ``ages``.

    Raises
    ------
    ValueError
        If ``tfr`` or ``sd`` is not positive, ``mean_age`` lies outside the span or cannot be
        reached with that ``sd``, or the ages are not consecutive single years.

    Examples
    --------
    >>> f = hadwiger(tfr=2.1, mean_age=29.0)
    >>> round(float(f.sum()), 12), round(float(mean_age_at_childbearing(f)), 9)
    (2.1, 29.0)

    References
    ----------
    Hadwiger (1940); Chandola, Coleman & Hiorns (1999), *Population Studies* 53(3), 317-329.
    """
    grid, target, mean, spread, span = _model_inputs(ages, tfr, mean_age, sd, min_age, max_age)
    mid = span + 0.5

    def log_kernel(c, s):
        b2 = c * c / (2.0 * s * s)
        return -1.5 * np.log(mid) - b2 * (c / mid + mid / c - 2.0)

    lo = 1.0
    hi = max_age + 1.0 + 10.0 * spread
    weights, achieved = _locate(log_kernel, mid, mean, spread, lo, hi, "Hadwiger", min_age, max_age)
    return _place(grid, span, weights, target, mean, achieved, "Hadwiger")


def gamma_schedule(
    ages=None,
    *,
    tfr,
    mean_age,
    sd: float = 6.0,
    min_age: int = DEFAULT_MIN_AGE,
    max_age: int = DEFAULT_MAX_AGE,
) -> np.ndarray:
    """Gamma model fertility schedule with a given TFR, mean age and standard deviation.

    .. math::

        f(x) = \\mathrm{TFR}\\; \\frac{(x - d)^{\\alpha - 1} e^{-(x-d)/\\beta}}{\\beta^{\\alpha}\\,\\Gamma(\\alpha)},
        \\qquad \\alpha = \\left(\\frac{c - d}{sd}\\right)^2, \\quad \\beta = \\frac{sd^2}{c - d},

    a gamma density starting at ``d = min_age`` with mean ``c`` and standard deviation ``sd``
    (Hoem et al. 1981). It is evaluated at the middle ``x + 0.5`` of each single year
    ``min_age..max_age``, zero elsewhere, scaled so that ``sum f_x = tfr``, and ``c`` is chosen
    by a vectorised root search so that the discrete mean age is exactly ``mean_age``.

    Parameters
    ----------
    ages : array_like, optional
        Consecutive single ages of the output (default ``0..100``).
    tfr : float or array_like
        Target total fertility rate(s) (> 0).
    mean_age : float or array_like
        Target mean age(s) at childbearing (mid-interval convention), strictly between
        ``min_age + 0.5`` and ``max_age + 0.5``.
    sd : float or array_like
        Standard deviation (years) of the continuous gamma density (default 6.0).
    min_age, max_age : int
        First and last single ages with non-zero fertility (default 12 and 52, inclusive).

    Returns
    -------
    ndarray, shape (*broadcast(tfr, mean_age, sd).shape, age)
        Single-year ASFR on ``ages``.

    Raises
    ------
    ValueError
        As :func:`hadwiger`.

    Examples
    --------
    >>> f = gamma_schedule(tfr=[1.5, 3.0], mean_age=[28.0, 31.0], sd=5.5)
    >>> f.shape
    (2, 101)

    References
    ----------
    Hoem, J. M. et al. (1981), *Demography* 18(2), 231-244.
    """
    grid, target, mean, spread, span = _model_inputs(ages, tfr, mean_age, sd, min_age, max_age)
    mid = span + 0.5
    offset = mid - float(min_age)

    def log_kernel(c, s):
        excess = c - float(min_age)
        shape = (excess / s) ** 2
        scale = s * s / excess
        return (shape - 1.0) * np.log(offset) - offset / scale

    lo = min_age + 1e-3
    hi = max_age + 1.0 + 10.0 * spread
    weights, achieved = _locate(log_kernel, mid, mean, spread, lo, hi, "gamma", min_age, max_age)
    return _place(grid, span, weights, target, mean, achieved, "gamma")


# ---------------------------------------------------------------------------------------------
# single years from 5-year groups
# ---------------------------------------------------------------------------------------------
def asfr_single_from_groups(
    asfr5,
    *,
    group_starts=WPP_GROUP_STARTS,
    omega: int = DEFAULT_OMEGA,
    method: str = "beers",
) -> np.ndarray:
    """Single-year ASFR from rates by 5-year age group, preserving each group's births.

    A group rate ``F`` (births per woman-year at ages ``g..g+4``) means ``5 F`` births per woman
    over the five years of age. These are graduated as counts with :func:`graduate`
    (``method``), after padding one group of zero births on each side (e.g. 10-14 and 50-54)
    so that the schedule falls towards zero at its ends; rates come out non-negative, exactly
    zero outside the given groups, and each group's five single-year rates sum to ``5 F``
    (rounding aside), so the TFR is unchanged: ``sum f_x = 5 sum F``.

    Parameters
    ----------
    asfr5 : array_like, shape (..., group)
        Rates by 5-year group (births per woman-year), last axis = group.
    group_starts : sequence of int
        Start ages of the groups, consecutive multiples of 5 (default 15, 20, ..., 45 as in the
        UN World Population Prospects). At least 3 groups; the first at least 5 and the last at
        most ``omega - 10`` (room for the padding groups).
    omega : int
        Open age of the output grid ``0..omega`` (default 100).
    method : {"beers", "sprague"}
        Graduation multipliers (default Beers ordinary).

    Returns
    -------
    ndarray, shape (..., omega + 1)
        Single-year ASFR on ages ``0..omega``.

    Raises
    ------
    ValueError
        If a rate is negative or not finite, the group starts are not consecutive 5-year
        starts, or they do not fit on ``0..omega`` with a padding group on each side.

    Examples
    --------
    >>> f5 = [0.03, 0.12, 0.13, 0.09, 0.045, 0.015, 0.002]
    >>> f1 = asfr_single_from_groups(f5)
    >>> round(float(f1.sum()), 12), round(float(tfr(f5, width=5)), 12)
    (2.16, 2.16)

    References
    ----------
    Siegel & Swanson (2004), Appendix C (Beers and Sprague multipliers); United Nations (2024),
    *World Population Prospects 2024: Methodology* (single-year fertility from 5-year groups).
    """
    method = _check_method(method)
    starts = np.asarray(group_starts)
    if (starts.ndim != 1 or starts.size < 3 or np.any(np.diff(starts) != 5) or starts[0] % 5
            or np.any(starts != np.round(starts))):
        raise ValueError(
            "group_starts must be at least 3 consecutive 5-year start ages such as (15, 20, ..., 45), "
            f"got {tuple(np.asarray(group_starts).tolist())!r}."
        )
    if int(omega) != omega or omega < 1:
        raise ValueError(f"omega must be a whole number of years of at least 1, got {omega!r}.")
    if starts[0] < 5 or starts[-1] + 10 > omega:
        raise ValueError(
            f"group_starts {int(starts[0])}..{int(starts[-1])} leave no room for a zero padding group on "
            f"each side within ages 0..{omega}: the first start must be at least 5 and the last at most "
            f"omega - 10 = {omega - 10}."
        )
    rates = np.asarray(asfr5)
    if rates.ndim < 1 or rates.shape[-1] != starts.size:
        raise ValueError(
            f"asfr5 has shape {rates.shape}, but group_starts lists {starts.size} groups; the last axis of "
            "asfr5 must hold one rate per group."
        )
    rates = check_values("asfr5", rates, trailing=("age",), ages=starts, lower=0.0, what="fertility rate",
                         hint="Fertility rates are births per woman-year (zero or more).")
    zeros = np.zeros((*rates.shape[:-1], 1))
    births = np.concatenate([zeros, 5.0 * rates, zeros], axis=-1)
    single_births = graduate(births, method=method, open_interval=False)
    out = np.zeros((*rates.shape[:-1], int(omega) + 1))
    first = int(starts[0]) - 5
    out[..., first : first + single_births.shape[-1]] = single_births  # one year of age each: rate = births
    return out


# ---------------------------------------------------------------------------------------------
# sex ratio at birth
# ---------------------------------------------------------------------------------------------
def female_share_of_births(srb=DEFAULT_SRB) -> np.ndarray | float:
    """Share of births that are girls: ``1 / (1 + SRB)``.

    Parameters
    ----------
    srb : float or array_like
        Sex ratio at birth, male births per female birth (default 1.05).

    Returns
    -------
    float or ndarray
        Fraction of births that are female (0.4878 for SRB 1.05).

    Raises
    ------
    ValueError
        If ``srb`` is not positive and finite (a ratio such as 105 per 100 must be given as 1.05).

    Examples
    --------
    >>> round(female_share_of_births(), 4)
    0.4878
    """
    ratio = check_values("srb", srb, trailing=(), lower=0.0, lower_inclusive=False, what="sex ratio at birth",
                         hint="Give male births per female birth, e.g. 1.05.")
    if np.any(ratio > 3.0):
        raise ValueError(
            f"srb of {float(np.max(ratio)):g} is implausible for male births per female birth; "
            "if you have 105 boys per 100 girls, give 1.05."
        )
    share = 1.0 / (1.0 + ratio)
    return float(share) if share.ndim == 0 else share


def srb_from_births(male, female) -> np.ndarray | float:
    """Sex ratio at birth from birth counts: ``SRB = male births / female births``.

    Parameters
    ----------
    male, female : float or array_like
        Male and female births (broadcast together); female births must be positive.

    Returns
    -------
    float or ndarray
        Male births per female birth.

    Raises
    ------
    ValueError
        If a count is negative or not finite, or female births are zero.

    Examples
    --------
    >>> srb_from_births(10500, 10000)
    1.05
    """
    boys = check_values("male", male, trailing=(), lower=0.0, what="birth count")
    girls = check_values("female", female, trailing=(), lower=0.0, lower_inclusive=False, what="birth count",
                         hint="The sex ratio at birth needs at least one female birth.")
    ratio = boys / girls
    return float(ratio) if ratio.ndim == 0 else ratio
