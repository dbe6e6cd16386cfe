"""Covered wages by age and sex: an average wage, a salary scale and general wage growth.

``w(t, s, x) = W_0 x I_t x scale(s, x)``, where ``W_0`` is the average covered wage of the
base year, ``I_t = prod_{k=1..t} (1 + g_k)`` the general wage index (``I_0 = 1``) and
``scale(s, x)`` the salary scale: the wage at sex ``s`` and age ``x`` relative to the average.
A cohort's wage therefore grows with general wage growth and with the slope of the scale as it
ages (the career profile), while the profile itself is fixed (Plamondon et al. 2002, ch. 4;
ILO pension model, "salary scale").

Time runs along the year axis as in the economy module: index 0 is the base year, and a
growth rate given for year ``t`` is the change from ``t - 1`` to ``t`` (its base-year entry is
not used).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_float_array, check_values


def wage_index(wage_growth: ArrayLike, n_years: int) -> np.ndarray:
    """General wage index ``I_t = prod_{k=1..t} (1 + g_k)`` with ``I_0 = 1`` (base year).

    Parameters
    ----------
    wage_growth : float or array_like, shape (..., 1) or (..., n_years)
        Growth of the average wage in year ``t`` over year ``t - 1`` (0.05 for 5%), > -1. The
        entry for the base year (position 0) is not used.
    n_years : int
        Number of years including the base year (>= 1).

    Returns
    -------
    ndarray, shape (..., n_years)
        The index, 1 in the base year.

    Raises
    ------
    ValueError
        Growth of -100% or less, NaN, a year axis of the wrong length, ``n_years < 1``.

    Examples
    --------
    >>> from qsp.labour import wage_index
    >>> wage_index([0.0, 0.10, 0.05], 3).round(4).tolist()
    [1.0, 1.1, 1.155]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4.
    """
    if int(n_years) != n_years or n_years < 1:
        raise ValueError(f"n_years must be a whole number of at least 1 (the base year counts), got {n_years!r}.")
    n_years = int(n_years)
    growth = check_values("wage_growth", wage_growth, trailing=("year",), lower=-1, lower_inclusive=False,
                          what="growth rate",
                          hint="Growth rates are fractions per year (0.03 for 3%), greater than -1.")
    if growth.ndim == 0:
        growth = growth.reshape(1)
    if growth.shape[-1] not in (1, n_years):
        raise ValueError(
            f"wage_growth has {growth.shape[-1]} entries on its last (year) axis (shape {growth.shape}), but "
            f"there are {n_years} years (base year included). Give a single number, shape (..., 1), or one "
            f"rate per year (..., {n_years}) whose first entry (the base year) is not used."
        )
    factors = np.broadcast_to(1.0 + growth, growth.shape[:-1] + (n_years,)).copy()
    factors[..., 0] = 1.0
    return np.cumprod(factors, axis=-1)


def normalise_salary_scale(salary_scale: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """Rescale a salary scale so that its ``weights``-weighted mean over (sex, age) is 1.

    ``scale'(s, x) = scale(s, x) / (sum w scale / sum w)``: with contributors as the weights,
    ``W x scale'`` then has the contributor-weighted average ``W`` exactly, so ``W`` really is
    the average covered wage.

    Parameters
    ----------
    salary_scale : array_like, shape (..., sex, age)
        Relative wages (>= 0), any level.
    weights : array_like, shape (sex, age) or (..., year, sex, age)
        Weights (usually contributors, >= 0), not all zero. An array of three or more axes is
        read as having a year axis at position -3 (the labour module's convention).

    Returns
    -------
    ndarray
        The rescaled scale: ``(..., sex, age)``, or ``(..., year, sex, age)`` when ``weights``
        has a year axis.

    Raises
    ------
    ValueError
        Negative or missing values, weights that are zero everywhere (or give a zero mean wage).

    Examples
    --------
    >>> from qsp.labour import normalise_salary_scale
    >>> normalise_salary_scale([[1.0, 3.0], [1.0, 3.0]], [[1.0, 1.0], [1.0, 1.0]]).tolist()
    [[0.5, 1.5], [0.5, 1.5]]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4 (salary scale).
    """
    scale = check_values("salary_scale", salary_scale, lower=0, what="relative wage")
    weight = as_float_array("weights", weights)
    weight = check_values("weights", weight, trailing=("year", "sex", "age") if weight.ndim >= 3 else ("sex", "age"),
                          lower=0, what="weight")
    if scale.ndim < 2 or weight.ndim < 2:
        raise ValueError(f"salary_scale and weights must be (..., sex, age) arrays; got shapes {scale.shape} and "
                         f"{weight.shape}.")
    if weight.ndim >= 3:                     # weights by (..., year, sex, age): one scale per year
        scale = scale[..., None, :, :]
    try:
        np.broadcast_shapes(scale.shape, weight.shape)
    except ValueError:
        raise ValueError(f"salary_scale (shape {scale.shape}) and weights (shape {weight.shape}) do not broadcast "
                         f"together.") from None
    total_weight = weight.sum(axis=(-2, -1), keepdims=True)
    weighted = (weight * scale).sum(axis=(-2, -1), keepdims=True)
    bad = (total_weight <= 0) | (weighted <= 0)
    if np.any(bad):
        index = tuple(int(i) for i in np.argwhere(bad)[0][:-2])
        where = f" at batch/year index {index}" if index else ""
        raise ValueError(
            f"weights{where} give a weighted mean salary scale of zero (no weight where the scale is positive); "
            f"there is no average to normalise to. Check the contributors and the salary scale."
        )
    return scale * (total_weight / weighted)


def covered_wages(
    average_wage: ArrayLike,
    salary_scale: ArrayLike,
    *,
    n_years: int,
    wage_growth: ArrayLike = 0.0,
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Covered wage per contributor by year, sex and age: ``w(t, s, x) = W_0 I_t scale(s, x)``.

    Parameters
    ----------
    average_wage : float or array_like (batch shape)
        ``W_0``: average covered wage in the base year (money per year, > 0).
    salary_scale : array_like, shape (..., sex, age)
        Relative wage by sex (0 female, 1 male) and age; ``1`` is the average. With ``weights``
        it is rescaled first (:func:`normalise_salary_scale`), so only its shape matters.
    n_years : int
        Number of years including the base year.
    wage_growth : float or array_like, shape (..., 1) or (..., n_years), default 0
        Nominal growth of the average wage, year ``t`` over ``t - 1`` (:func:`wage_index`).
    weights : array_like, shape (..., sex, age) or (..., year, sex, age), optional
        Contributors used to normalise the scale each year, so that the contributor-weighted
        average wage of year ``t`` is exactly ``W_0 I_t``. Without weights the scale is used as
        given (its weighted mean should then be 1 for ``W_0`` to be the average).

    Returns
    -------
    ndarray, shape (..., n_years, sex, age)
        Wage per contributor (money per year).

    Raises
    ------
    ValueError
        A non-positive or missing average wage, a negative salary scale, growth of -100% or
        less, shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.labour import covered_wages
    >>> wages = covered_wages(1000.0, [[0.8, 1.2], [0.9, 1.1]], n_years=3, wage_growth=0.10)
    >>> wages[:, 0, 1].round(2).tolist()       # women at the second age, years 0, 1, 2
    [1200.0, 1320.0, 1452.0]

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, ch. 4.
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA (salary scales).
    """
    wage0 = check_values("average_wage", average_wage, trailing=(), lower=0, lower_inclusive=False,
                         what="average wage", hint="The average wage is money per year, more than zero.")
    scale = check_values("salary_scale", salary_scale, lower=0, what="relative wage",
                         hint="The salary scale holds wages relative to the average (1 = average).")
    if scale.ndim < 2 or scale.shape[-2] != 2:
        raise ValueError(f"salary_scale must be laid out as (..., sex, age) with a sex axis of length 2, but it has "
                         f"shape {scale.shape}.")
    index = wage_index(wage_growth, n_years)
    if weights is not None:
        normalised = normalise_salary_scale(scale, weights)
        per_year = normalised if np.ndim(weights) >= 3 else normalised[..., None, :, :]
    else:
        per_year = scale[..., None, :, :]
    try:
        return wage0[..., None, None, None] * index[..., :, None, None] * per_year
    except ValueError:
        raise ValueError(
            f"average_wage (shape {wage0.shape}), wage_growth (index shape {index.shape}) and salary_scale "
            f"(shape {scale.shape}) do not broadcast together: leading axes are scenarios and must match or be 1."
        ) from None
