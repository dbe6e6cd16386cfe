"""Poverty lines: absolute (international PPP dollars a day, or a national line) and relative.

- :func:`line_from_ppp`: an international line such as US$2.15 a day at 2017 PPP (the World
  Bank's extreme poverty line since September 2022; US$1.90 at 2011 PPP before) converted to
  national currency per person per year: ``dollars_a_day x PPP factor x price_ratio x days``,
  where the PPP factor is national currency per international dollar for *private consumption*
  in the PPP base year and ``price_ratio`` moves it to the survey's prices (CPI of the survey
  year / CPI of the PPP year).
- :func:`relative_line`: a fraction of the weighted median (or mean) welfare, e.g. 60% of the
  median (the EU's at-risk-of-poverty line) or 50% (the OECD's).
- A national line is a number from the national statistics office in national currency per
  adult equivalent (or per person) per year: pass it as ``line`` directly.

References
----------
Jolliffe, D. M. et al. (2022), "Assessing the Impact of the 2017 PPPs on the International Poverty
Line and Global Poverty", World Bank Policy Research Working Paper 9941.
"""

from __future__ import annotations

import numpy as np

from .measures import _prepare, mean, weighted_quantile

DAYS_PER_YEAR = 365.0


def line_from_ppp(dollars_per_day, ppp_factor, *, price_ratio=1.0, days: float = DAYS_PER_YEAR) -> np.ndarray:
    """An international poverty line in national currency per person per year.

    Parameters
    ----------
    dollars_per_day : float or array_like
        The line in international (PPP) dollars a day, e.g. 2.15.
    ppp_factor : float or array_like
        National currency per international dollar (private consumption PPP) in the PPP base year.
    price_ratio : float or array_like, default 1
        Consumer prices of the survey period over those of the PPP base year.
    days : float, default 365

    Returns
    -------
    ndarray
        Broadcast of the inputs.

    Examples
    --------
    >>> round(float(line_from_ppp(2.15, 100.0, price_ratio=1.1)), 6)   # 2.15 x 100 x 1.1 x 365
    86322.5
    """
    values = [np.asarray(v, dtype=np.float64) for v in (dollars_per_day, ppp_factor, price_ratio)]
    for name, v in zip(("dollars_per_day", "ppp_factor", "price_ratio"), values):
        if not np.isfinite(v).all() or (v <= 0).any():
            raise ValueError(f"{name} must be positive and finite, got {v!r}.")
    return values[0] * values[1] * values[2] * days


def relative_line(welfare, weights, fraction=0.6, *, of: str = "median") -> np.ndarray:
    """A relative poverty line: ``fraction`` of the weighted median (or mean) welfare, shape (...).

    Examples
    --------
    >>> float(relative_line([1, 2, 3, 4], 1.0, 0.5))
    1.0
    """
    f = np.asarray(fraction, dtype=np.float64)
    if not np.isfinite(f).all() or (f <= 0).any():
        raise ValueError(f"fraction must be positive (0.6 for 60% of the median), got {fraction!r}.")
    y, w = _prepare(welfare, weights)
    if of == "median":
        centre = weighted_quantile(y, w, 0.5)
    elif of == "mean":
        centre = mean(y, w)
    else:
        raise ValueError(f"of must be 'median' or 'mean', got {of!r}.")
    return f * centre
