"""Conversions: PPP dollars to national currency, nominal to real, growth rates of a series."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_float_array, check_values


def ppp_dollars_to_national(amount_ppp: ArrayLike, ppp_factor: ArrayLike) -> np.ndarray:
    """Convert an amount in international (PPP) dollars to national currency.

    ``national = amount_ppp x ppp_factor``, where the PPP conversion factor is national currency
    per international dollar (World Bank indicator PA.NUS.PPP for GDP, PA.NUS.PRVT.PP for private
    consumption; the international poverty lines are set with the consumption factor).

    Parameters
    ----------
    amount_ppp : array_like
        Amount in PPP dollars (e.g. a poverty line of 1.0 PPP$ a day).
    ppp_factor : array_like
        National currency per PPP dollar, positive; broadcasts with ``amount_ppp``.

    Returns
    -------
    ndarray
        The amount in national currency (same time unit as ``amount_ppp``).

    Raises
    ------
    ValueError
        A missing amount, or a PPP factor that is not positive.

    Examples
    --------
    >>> float(ppp_dollars_to_national(1.0, 250.0) * 365)   # US$1 PPP a day, per year
    91250.0

    References
    ----------
    World Bank, *World Development Indicators*: "PPP conversion factor".
    """
    amount = check_values("amount_ppp", amount_ppp, trailing=(), what="amount")
    factor = check_values("ppp_factor", ppp_factor, trailing=(), lower=0.0, lower_inclusive=False,
                          what="PPP factor", hint="PPP factors are positive: national currency per PPP$.")
    return amount * factor


def national_to_ppp_dollars(amount_national: ArrayLike, ppp_factor: ArrayLike) -> np.ndarray:
    """Convert national currency to international (PPP) dollars: ``amount_national / ppp_factor``.

    Parameters
    ----------
    amount_national : array_like
        Amount in national currency.
    ppp_factor : array_like
        National currency per PPP dollar, positive; broadcasts with the amount.

    Returns
    -------
    ndarray
        The amount in PPP dollars.

    Raises
    ------
    ValueError
        A missing amount, or a PPP factor that is not positive.

    Examples
    --------
    >>> float(national_to_ppp_dollars(91_250.0, 250.0) / 365)   # a year's amount, per day
    1.0

    References
    ----------
    World Bank, *World Development Indicators*: "PPP conversion factor".
    """
    amount = check_values("amount_national", amount_national, trailing=(), what="amount")
    factor = check_values("ppp_factor", ppp_factor, trailing=(), lower=0.0, lower_inclusive=False,
                          what="PPP factor", hint="PPP factors are positive: national currency per PPP$.")
    return amount / factor


def to_real(nominal: ArrayLike, price_index: ArrayLike, *, base: int = 0) -> np.ndarray:
    """Express a nominal series at the prices of one year of the series.

    ``real_t = nominal_t x index_base / index_t``. Time is on the last axis of both arrays.

    Parameters
    ----------
    nominal : array_like
        Nominal amounts, shape ``(..., n_years)``.
    price_index : array_like
        Price index (CPI or GDP deflator) with the same years on its last axis; positive.
    base : int, default 0
        Position of the year whose prices are used (0 = the first year of the series).

    Returns
    -------
    ndarray
        Real amounts at the prices of year ``base``.

    Raises
    ------
    ValueError
        A price index that is not positive, series of different lengths, a bad ``base``.

    Examples
    --------
    >>> to_real([100.0, 110.0], [1.0, 1.1])
    array([100., 100.])

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 3 (real and nominal values).
    """
    values = as_float_array("nominal", nominal)
    index = check_values("price_index", price_index, trailing=("year",), lower=0.0, lower_inclusive=False,
                         what="price index", hint="Price indices are positive.")
    if values.ndim == 0 or index.ndim == 0:
        raise ValueError("nominal and price_index must be series with time on the last axis, not single numbers.")
    if values.shape[-1] != index.shape[-1]:
        raise ValueError(
            f"nominal covers {values.shape[-1]} years but price_index covers {index.shape[-1]} (last axes of "
            f"shapes {values.shape} and {index.shape}); both must cover the same years, time on the last axis."
        )
    n_years = index.shape[-1]
    if not -n_years <= base < n_years:
        raise ValueError(f"base must be a position on the year axis (0..{n_years - 1}), got {base}.")
    return values * np.take(index, [base], axis=-1) / index


def growth_rates(series: ArrayLike) -> np.ndarray:
    """Year-on-year growth rates ``x_t / x_{t-1} - 1`` along the last (time) axis.

    Parameters
    ----------
    series : array_like
        Positive levels, shape ``(..., n_years)`` with ``n_years >= 2``.

    Returns
    -------
    ndarray
        Growth rates into years 2..n, shape ``(..., n_years - 1)``.

    Raises
    ------
    ValueError
        Levels that are not positive, or fewer than two years.

    Examples
    --------
    >>> growth_rates([100.0, 103.0, 106.09])
    array([0.03, 0.03])

    References
    ----------
    Scholz, Cichon and Hagemejer (2000), *Social Budgeting*, ILO/ISSA, chapter 3.
    """
    values = check_values("series", series, trailing=("year",), lower=0.0, lower_inclusive=False,
                          what="level", hint="Growth rates need positive levels.")
    if values.ndim == 0 or values.shape[-1] < 2:
        raise ValueError("series must have at least two years on its last axis to compute growth rates.")
    return values[..., 1:] / values[..., :-1] - 1.0
