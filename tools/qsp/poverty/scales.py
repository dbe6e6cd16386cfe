"""Equivalence scales: how many "adult equivalents" a household of given ages counts as.

Consumption per adult equivalent is household consumption divided by the household's number of
adult equivalents ``AE``. The scales, with ``A`` adults (aged ``adult_age`` or more) and ``K``
children:

- ``"per_capita"``: ``AE = A + K`` (every member counts 1; the World Bank's Poverty and
  Inequality Platform and most national poverty lines use it);
- ``"oecd"`` (Oxford scale): ``AE = 1 + 0.7 (A - 1) + 0.5 K``;
- ``"oecd_modified"``: ``AE = 1 + 0.5 (A - 1) + 0.3 K`` (Eurostat);
- ``"square_root"``: ``AE = (A + K) ** 0.5``;
- ``"parametric"``: ``AE = (A + child_weight K) ** economies`` (Deaton and Zaidi 2002).

A household with no adult counts its first member as the "first adult" of the OECD scales.

References
----------
OECD (2013), *OECD Framework for Statistics on the Distribution of Household Income,
Consumption and Wealth*, box 8.2 (the Oxford, modified and square-root scales). Deaton, A. and
Zaidi, S. (2002), *Guidelines for Constructing Consumption Aggregates for Welfare Analysis*,
LSMS Working Paper 135, World Bank, section 4.
"""

from __future__ import annotations

import numpy as np

SCALES = ("per_capita", "oecd", "oecd_modified", "square_root", "parametric")
"""The equivalence scales :func:`adult_equivalents` knows."""


def adult_equivalents(household: np.ndarray, age: np.ndarray, n_households: int, *,
                      scale: str = "per_capita", adult_age: float = 14.0, child_weight: float = 0.5,
                      economies: float = 0.9) -> np.ndarray:
    """Number of adult equivalents of each household.

    Parameters
    ----------
    household : int array, shape (m,)
        For each member, the position (0..n_households-1) of the household it belongs to.
    age : array, shape (m,)
        Each member's age in completed years.
    n_households : int
        Number of households ``n``.
    scale : str, default "per_capita"
        One of :data:`SCALES` (see the module's docstring for the formulas).
    adult_age : float, default 14
        First age counted as an adult (the OECD scales count members aged 14 or more as adults).
    child_weight, economies : float
        The parameters of the ``"parametric"`` scale (a child counts ``child_weight`` adults;
        ``economies`` below 1 gives economies of scale). Ignored by the other scales.

    Returns
    -------
    ndarray, shape (n,)
        Adult equivalents per household; households without members get 0.

    Raises
    ------
    ValueError
        For an unknown scale or parameters out of range.

    Examples
    --------
    >>> adult_equivalents(np.array([0, 0, 0, 0]), np.array([40, 38, 10, 5]), 1, scale="oecd")
    array([2.7])
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}.")
    if not (0.0 <= child_weight <= 1.0):
        raise ValueError(f"child_weight must be between 0 and 1 (a child counts that many adults), got {child_weight}.")
    if not (0.0 < economies <= 1.0):
        raise ValueError(f"economies must be in (0, 1] (1 = no economies of scale), got {economies}.")
    adult = np.asarray(age) >= adult_age
    adults = np.bincount(household, weights=adult.astype(np.float64), minlength=n_households)
    members = np.bincount(household, minlength=n_households).astype(np.float64)
    children = members - adults
    if scale == "per_capita":
        return members
    if scale == "square_root":
        return np.sqrt(members)
    if scale == "parametric":
        return (adults + child_weight * children) ** economies
    second, child = (0.7, 0.5) if scale == "oecd" else (0.5, 0.3)
    # a household of children only: its first member counts as the first adult
    first_is_child = (adults == 0) & (members > 0)
    other_adults = np.maximum(adults - 1.0, 0.0)
    kids = children - first_is_child
    ae = 1.0 + second * other_adults + child * kids
    return np.where(members > 0, ae, 0.0)
