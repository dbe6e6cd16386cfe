"""Migration: the Rogers-Castro model age schedule and the distribution of net migration totals
by sex and single year of age.

Projections usually receive net migration as one number a year (e.g. the UN World Population
Prospects' net number of migrants). The cohort-component method needs it by sex and age. A
*model migration schedule* gives the age pattern; this module uses the one of Rogers & Castro
(1981):

.. math::

    m(x) = a_1 e^{-\\alpha_1 x}
         + a_2 \\exp\\left[-\\alpha_2 (x - \\mu_2) - e^{-\\lambda_2 (x - \\mu_2)}\\right]
         + a_3 \\exp\\left[-\\alpha_3 (x - \\mu_3) - e^{-\\lambda_3 (x - \\mu_3)}\\right]
         + a_4 e^{\\lambda_4 x} + c,

a childhood curve (children move with their parents), a labour-force peak at young adult
ages, an optional retirement hump and an optional rise at the oldest ages, plus a constant.
The 7-parameter form keeps the first two terms and ``c``; the 9-parameter form adds the
elderly rise (``a4``, ``lambda4``), the 11-parameter form the retirement hump (``a3``,
``alpha3``, ``mu3``, ``lambda3``) and the 13-parameter form both.

Conventions (each a keyword parameter):

- The schedule is evaluated at each single age ``x`` (the start of the year of age, as
  DemoTools' ``mig_calculate_rc`` does) and normalised to sum to 1 over the ages, so it
  gives the *share* of the migrants at each age. The open age (100+) gets ``m(100)``.
- Default parameters (:data:`ROGERS_CASTRO_STANDARD`): the "fundamental" 7-parameter
  schedule of Rogers & Castro (1981), ``a1 = 0.02, alpha1 = 0.1, a2 = 0.06, alpha2 = 0.1,
  mu2 = 20, lambda2 = 0.4, c = 0.003``, as tabulated by the R packages migest (``rc9.fund``)
  and DemoTools (``rc_model_fund``). Its labour-force peak is at
  ``mu2 + ln(lambda2 / alpha2) / lambda2 = 23.5`` years.
- Net migration is split between the sexes by ``sex_share_male`` (default 0.5, half men)
  and within each sex by the schedule. Negative totals (net emigration) are split the same
  way and give negative counts.

References
----------
Rogers, A. and Castro, L. J. (1981). *Model Migration Schedules*. IIASA Research Report
RR-81-030. International Institute for Applied Systems Analysis, Laxenburg.

Rogers, A., Raquillet, R. and Castro, L. J. (1978). Model migration schedules and their
applications. *Environment and Planning A* 10(5), 475-502.

Abel, G. J. migest: Methods for the indirect estimation of bilateral migration (R package),
``rc9`` and ``rc9.fund``. Riffe, T. et al. DemoTools (R package), ``mig_calculate_rc``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validate import check_values, describe_position
from .ages import DEFAULT_OMEGA, check_ages, is_single_year, single_ages

ROGERS_CASTRO_STANDARD: dict[str, float] = {
    "a1": 0.02,
    "alpha1": 0.1,
    "a2": 0.06,
    "alpha2": 0.1,
    "mu2": 20.0,
    "lambda2": 0.4,
    "c": 0.003,
}
"""Fundamental 7-parameter Rogers-Castro schedule (Rogers & Castro 1981; migest ``rc9.fund``)."""

_COMPONENTS = {
    "childhood": ("a1", "alpha1"),
    "labour force": ("a2", "alpha2", "mu2", "lambda2"),
    "retirement": ("a3", "alpha3", "mu3", "lambda3"),
    "elderly": ("a4", "lambda4"),
    "constant": ("c",),
}
_REQUIRED = ("childhood", "labour force", "constant")
_NONNEGATIVE = ("a1", "alpha1", "a2", "alpha2", "lambda2", "a3", "alpha3", "lambda3", "a4", "c")


def _check_params(params: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Validate a Rogers-Castro parameter mapping; return the parameters as float arrays."""
    if not isinstance(params, Mapping):
        raise ValueError(
            f"params must be a mapping of parameter names to values such as {ROGERS_CASTRO_STANDARD}, "
            f"got {type(params).__name__}."
        )
    known = {name for names in _COMPONENTS.values() for name in names}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(
            f"params has unknown Rogers-Castro parameter(s) {unknown}; the parameters are "
            f"{', '.join(sorted(known))}."
        )
    for label, names in _COMPONENTS.items():
        present = [name for name in names if name in params]
        if (label in _REQUIRED or present) and len(present) != len(names):
            missing = [name for name in names if name not in params]
            raise ValueError(
                f"params gives an incomplete {label} component: missing {missing}. The {label} "
                f"component needs all of {list(names)}."
            )
    values = {}
    for name, value in params.items():
        lower = 0.0 if name in _NONNEGATIVE else None
        values[name] = check_values(f"params[{name!r}]", value, trailing=(), lower=lower,
                                    what="parameter value")
    return values


def rogers_castro(ages=None, *, params: Mapping[str, object] | None = None, normalize: bool = True) -> np.ndarray:
    """Rogers-Castro (1981) model migration schedule, normalised to sum to 1 over ages.

    .. math::

        m(x) = a_1 e^{-\\alpha_1 x} + a_2 e^{-\\alpha_2 (x-\\mu_2) - e^{-\\lambda_2 (x-\\mu_2)}}
             + a_3 e^{-\\alpha_3 (x-\\mu_3) - e^{-\\lambda_3 (x-\\mu_3)}} + a_4 e^{\\lambda_4 x} + c

    Parameters
    ----------
    ages : array_like, optional
        Ages at which to evaluate the schedule (default single ages ``0..100``). The values are
        point values at each age, so the normalised schedule is a share per single year; for
        grouped ages, weight by the interval widths yourself.
    params : mapping, optional
        Parameter values by name: ``a1, alpha1, a2, alpha2, mu2, lambda2, c`` (7-parameter
        form, required), optionally ``a4, lambda4`` (elderly rise), ``a3, alpha3, mu3,
        lambda3`` (retirement hump). Values may be arrays; they broadcast together and give
        a batch of schedules. Default :data:`ROGERS_CASTRO_STANDARD`.
    normalize : bool
        True (default): divide by the sum over ages, so the result is the share of migrants at
        each age. False: return the raw ``m(x)``.

    Returns
    -------
    ndarray, shape (..., age)
        Schedule over ``ages``; sums to 1 along the last axis when ``normalize``.

    Raises
    ------
    ValueError
        On unknown or incomplete parameter groups, negative rates or intensities, NaN, or a
        schedule that is zero at every age.

    Examples
    --------
    >>> schedule = rogers_castro()
    >>> round(float(schedule.sum()), 12), int(schedule[15:40].argmax()) + 15
    (1.0, 23)

    References
    ----------
    Rogers & Castro (1981), *Model Migration Schedules*, IIASA RR-81-030.
    """
    grid = single_ages(DEFAULT_OMEGA) if ages is None else np.asarray(check_ages(ages), dtype=np.float64)
    values = _check_params(ROGERS_CASTRO_STANDARD if params is None else params)
    p = {name: value[..., None] for name, value in values.items()}
    x = np.asarray(grid, dtype=np.float64)
    schedule = (
        p["a1"] * np.exp(-p["alpha1"] * x)
        + p["a2"] * np.exp(-p["alpha2"] * (x - p["mu2"]) - np.exp(-p["lambda2"] * (x - p["mu2"])))
        + p["c"]
    )
    if "a3" in p:
        schedule = schedule + p["a3"] * np.exp(-p["alpha3"] * (x - p["mu3"]) - np.exp(-p["lambda3"] * (x - p["mu3"])))
    if "a4" in p:
        schedule = schedule + p["a4"] * np.exp(p["lambda4"] * x)
    schedule = np.broadcast_to(schedule, np.broadcast_shapes(*(v.shape for v in p.values()), x.shape)).copy()
    if not normalize:
        return schedule
    total = schedule.sum(axis=-1, keepdims=True)
    if np.any(total <= 0) or not np.all(np.isfinite(total)):
        bad = (total[..., 0] <= 0) | ~np.isfinite(total[..., 0])
        where = describe_position(tuple(np.argwhere(bad)[0]) if bad.ndim else (), ())
        raise ValueError(
            f"the Rogers-Castro schedule is zero at every age (or overflows) at {where}, so it cannot be "
            "normalised; give positive intensities a1, a2 or c and moderate rates."
        )
    return schedule / total


def distribute_net_migration(
    total,
    *,
    sex_share_male=0.5,
    schedule=None,
    ages=None,
    omega: int = DEFAULT_OMEGA,
) -> np.ndarray:
    """Split net migration totals by sex and single year of age.

    ``migrants[..., s, x] = total * share_s * schedule_s(x) / sum_x schedule_s(x)``, with
    ``share_male = sex_share_male`` and ``share_female = 1 - sex_share_male``, so the counts
    add up to ``total`` over sex and age (to rounding). Negative totals (net emigration) give
    negative counts with the same age pattern.

    Parameters
    ----------
    total : float or array_like, shape (...)
        Net migrants (immigrants minus emigrants) per period, e.g. one per year: ``(..., year)``.
    sex_share_male : float or array_like
        Share of the net migrants who are men (default 0.5); broadcast against ``total``.
    schedule : array_like, optional
        Age pattern, shape ``(..., age)`` (same for both sexes) or ``(..., sex, age)`` with sex
        0 = female, 1 = male; non-negative, each sex's pattern with a positive sum; rescaled to
        sum to 1. It is broadcast against ``total.shape + (sex, age)``, so a scenario-specific
        pattern for totals with a year axis needs shape ``(scenario, 1, sex, age)``. Default:
        :func:`rogers_castro` with the standard parameters on ``ages``.
    ages : array_like, optional
        Single-year age grid of the default schedule (default ``0..omega``); with ``schedule``
        given, only used to check its length.
    omega : int
        Open age of the default grid (default 100).

    Returns
    -------
    ndarray, shape (..., 2, age)
        Net migrants by sex and age: ``total.shape + (2, n_ages)`` (broadcast with the
        leading axes of ``schedule`` and ``sex_share_male``).

    Raises
    ------
    ValueError
        If ``total`` is not finite, ``sex_share_male`` is outside [0, 1], or the schedule is
        negative, not finite, all zero for a sex, or does not match ``ages``.

    Examples
    --------
    >>> migrants = distribute_net_migration([-12000.0, 5000.0])     # two years
    >>> migrants.shape
    (2, 2, 101)
    >>> [round(float(v), 6) for v in migrants.sum(axis=(-2, -1))]
    [-12000.0, 5000.0]

    References
    ----------
    Rogers & Castro (1981); United Nations (2024), *World Population Prospects 2024:
    Methodology* (net migration by age and sex from model patterns).
    """
    totals = check_values("total", total, trailing=("year",), what="net migration total",
                          hint="Net migration may be negative (emigration) but must be a number.")
    share_male = check_values("sex_share_male", sex_share_male, trailing=(), lower=0.0, upper=1.0,
                              what="share of men", hint="Give a fraction such as 0.55, not a percentage.")
    if schedule is None:
        grid = single_ages(omega) if ages is None else check_ages(ages)
        if not is_single_year(grid):
            raise ValueError(
                "ages must be single years 0, 1, 2, ... for the default Rogers-Castro schedule (it gives the "
                "share of migrants at each single age); for grouped ages pass your own schedule."
            )
        pattern = rogers_castro(grid)[None, :]
    else:
        pattern = np.asarray(schedule)
        if pattern.ndim < 1:
            raise ValueError("schedule must have an age axis (last axis), got a scalar.")
        if ages is not None:
            grid = check_ages(ages)
            if pattern.shape[-1] != grid.size:
                raise ValueError(
                    f"schedule has {pattern.shape[-1]} ages on its last axis but ages has {grid.size}; "
                    "give one schedule value per age."
                )
        pattern = check_values("schedule", pattern, trailing=("sex", "age") if pattern.ndim >= 2 else ("age",),
                               lower=0.0, what="schedule value",
                               hint="The schedule is an age pattern (shares); put the sign in total.")
        if pattern.ndim == 1:
            pattern = pattern[None, :]
        elif pattern.shape[-2] not in (1, 2):
            raise ValueError(
                f"schedule has shape {pattern.shape}: give (..., age) for one pattern or (..., sex, age) "
                "with a sex axis of length 2 (0 = female, 1 = male)."
            )
        sums = pattern.sum(axis=-1, keepdims=True)
        if np.any(sums <= 0):
            idx = tuple(np.argwhere(sums[..., 0] <= 0)[0])
            raise ValueError(
                f"schedule is zero at every age at {describe_position(idx, ('sex',))}; each sex needs a "
                "positive age pattern."
            )
        pattern = pattern / sums
    shares = np.stack([1.0 - share_male, share_male], axis=-1)
    return totals[..., None, None] * shares[..., :, None] * pattern
