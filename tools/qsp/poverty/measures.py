"""Weighted poverty and inequality measures, vectorised over a leading batch of scenarios.

Conventions
-----------
- ``welfare`` has shape ``(..., n)``: one value per record (a household, whose members share its
  welfare per adult equivalent) and any leading batch (policy scenarios, bootstrap replicates).
- ``weights`` broadcast to ``(..., n)``: the people each record represents (household weight x
  household size, :attr:`qsp.poverty.Survey.person_weight`), so every measure is a share of
  *people*, not of households. Weights are zero or more with a positive total.
- ``line`` (the poverty line ``z``, same unit as welfare) broadcasts to the batch ``(...)``.
- A person is poor when welfare is *strictly* below the line (Foster, Greer and Thorbecke 1984;
  Haughton and Khandker 2009, eq. 4.1-4.6).
- Results are fractions (0.25, not 25%), with the batch shape ``(...)``.

References
----------
Foster, J., Greer, J. and Thorbecke, E. (1984), "A class of decomposable poverty measures",
*Econometrica* 52(3), 761-766. Haughton, J. and Khandker, S. R. (2009), *Handbook on Poverty and
Inequality*, World Bank, chapters 4 (poverty measures) and 6 (inequality measures). Watts, H.
(1968), "An economic definition of poverty". Shorrocks, A. F. (1980), "The class of additively
decomposable inequality measures", *Econometrica* 48(3), 613-625.
"""

from __future__ import annotations

import numpy as np


def _prepare(welfare, weights) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(welfare, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if y.ndim == 0:
        raise ValueError("welfare must have at least one axis (records), got a single number.")
    try:
        shape = np.broadcast_shapes(y.shape, w.shape)
    except ValueError:
        raise ValueError(f"weights of shape {w.shape} do not broadcast to welfare of shape {y.shape}; give one "
                         "weight per record (the last axis).") from None
    if y.shape[-1] == 0:
        raise ValueError("welfare has no records (its last axis is empty).")
    if not np.isfinite(y).all():
        raise ValueError("welfare contains a missing or infinite value; fill or drop it before measuring.")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and zero or more (they count the people each record represents).")
    if (w.sum(axis=-1) <= 0).any():
        raise ValueError("weights sum to zero: at least one record needs a positive weight.")
    del shape
    if w.ndim == 0 or w.shape[-1] == 1:   # one weight for every record: give it the records axis
        w = np.broadcast_to(w, w.shape[:-1] + y.shape[-1:])
    return y, w


def _line(line, batch: tuple[int, ...]) -> np.ndarray:
    z = np.asarray(line, dtype=np.float64)
    if not np.isfinite(z).all() or (z <= 0).any():
        raise ValueError(f"line must be positive and finite (a poverty line in the welfare's unit), got {line!r}.")
    try:
        return np.broadcast_to(z, np.broadcast_shapes(z.shape, batch))[..., None]
    except ValueError:
        raise ValueError(f"line of shape {z.shape} does not broadcast to the batch of welfare {batch}.") from None


def fgt(welfare, weights, line, alpha: float = 0.0) -> np.ndarray:
    r"""Foster-Greer-Thorbecke poverty measure :math:`P_\alpha`.

    .. math:: P_\alpha = \frac{\sum_i w_i \, (1 - y_i/z)^\alpha \, 1[y_i < z]}{\sum_i w_i}

    ``alpha = 0`` is the headcount ratio (the share of people who are poor), ``alpha = 1`` the
    poverty gap index (the mean shortfall from the line as a share of the line, the non-poor
    counting zero: *not* the mean over the poor only), ``alpha = 2`` the squared poverty gap
    (severity).

    Parameters
    ----------
    welfare : array_like, shape (..., n)
        Welfare per adult equivalent of each record.
    weights : array_like, broadcasting to (..., n)
        People each record represents.
    line : float or array_like broadcasting to (...)
        Poverty line ``z`` (same unit as welfare), positive.
    alpha : float, default 0
        Poverty aversion, zero or more.

    Returns
    -------
    ndarray, shape (...)
        The measure, a fraction.

    Raises
    ------
    ValueError
        Missing welfare, negative weights, a non-positive line, a negative alpha, shapes that do
        not broadcast.

    Examples
    --------
    Haughton and Khandker (2009, pp. 70-72), "country C": expenditures 100, 110, 150, 160 and a
    line of 125 give P0 = 0.5, P1 = 0.08, P2 = 0.0136.

    >>> [round(float(fgt([100, 110, 150, 160], 1.0, 125, a)), 4) for a in (0, 1, 2)]
    [0.5, 0.08, 0.0136]
    """
    if not alpha >= 0:
        raise ValueError(f"alpha must be zero or more (0 headcount, 1 gap, 2 severity), got {alpha}.")
    y, w = _prepare(welfare, weights)
    z = _line(line, y.shape[:-1])
    poor = y < z
    if alpha == 0:
        index = poor
    else:
        gap = np.where(poor, 1.0 - y / z, 0.0)
        index = gap if alpha == 1 else gap ** alpha
    return np.sum(w * index, axis=-1) / np.sum(w, axis=-1)


def headcount(welfare, weights, line) -> np.ndarray:
    """Share of people strictly below the line: :func:`fgt` with ``alpha = 0``."""
    return fgt(welfare, weights, line, 0.0)


def poverty_gap(welfare, weights, line) -> np.ndarray:
    """Poverty gap index :math:`P_1` (mean shortfall as a share of the line over *everyone*)."""
    return fgt(welfare, weights, line, 1.0)


def poverty_severity(welfare, weights, line) -> np.ndarray:
    """Squared poverty gap :math:`P_2`."""
    return fgt(welfare, weights, line, 2.0)


def watts(welfare, weights, line) -> np.ndarray:
    r"""Watts index :math:`W = \sum_i w_i \ln(z / y_i) 1[y_i < z] / \sum_i w_i`.

    Needs positive welfare for everyone below the line (the log of zero is undefined).

    Examples
    --------
    >>> round(float(watts([100, 110, 150, 160], 1.0, 125)), 6)   # (ln 1.25 + ln(125/110)) / 4
    0.087744
    """
    y, w = _prepare(welfare, weights)
    z = _line(line, y.shape[:-1])
    poor = y < z
    if (poor & (y <= 0)).any():
        raise ValueError("the Watts index needs positive welfare for the poor; a record below the line has welfare 0 "
                         "or less (drop it or use fgt instead).")
    logs = np.log(z / np.where(poor, y, z))
    return np.sum(w * logs, axis=-1) / np.sum(w, axis=-1)


def _sorted(y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    shape = np.broadcast_shapes(y.shape, w.shape)
    y = np.broadcast_to(y, shape)
    w = np.broadcast_to(w, shape)
    order = np.argsort(y, axis=-1, kind="stable")
    return np.take_along_axis(y, order, axis=-1), np.take_along_axis(w, order, axis=-1)


def lorenz(welfare, weights) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve: cumulative population share and cumulative welfare share, records sorted by welfare.

    Returns
    -------
    population_share, welfare_share : ndarray, shape (..., n + 1)
        Both start at 0 and end at 1; the curve is the broken line through the points.

    Examples
    --------
    >>> p, L = lorenz([4, 1, 3, 2], 1.0)
    >>> p.tolist(), L.tolist()
    ([0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 0.1, 0.3, 0.6, 1.0])
    """
    y, w = _prepare(welfare, weights)
    if (y < 0).any():
        raise ValueError("welfare must be zero or more for a Lorenz curve.")
    ys, ws = _sorted(y, w)
    people = np.cumsum(ws, axis=-1)
    money = np.cumsum(ws * ys, axis=-1)
    if (money[..., -1] <= 0).any():
        raise ValueError("total welfare is zero: a Lorenz curve needs some positive welfare.")
    zero = np.zeros(ys.shape[:-1] + (1,))
    return (np.concatenate([zero, people / people[..., -1:]], axis=-1),
            np.concatenate([zero, money / money[..., -1:]], axis=-1))


def gini(welfare, weights) -> np.ndarray:
    r"""Gini coefficient: one minus twice the area under the Lorenz curve.

    .. math:: G = 1 - \sum_k (p_k - p_{k-1}) (L_k + L_{k-1})

    over the points of :func:`lorenz` (records sorted by welfare; ties in any order give the same
    value). With equal weights this is the population Gini
    :math:`\sum_i \sum_j |y_i - y_j| / (2 n^2 \bar y)`, without the small-sample factor
    ``n / (n - 1)`` (the convention of the World Bank's Poverty and Inequality Platform and of
    Haughton and Khandker 2009, eq. 6.2).

    Examples
    --------
    >>> float(gini([1, 2, 3, 4], 1.0))    # sum |yi - yj| = 20, 2 n^2 mean = 80
    0.25
    """
    y, w = _prepare(welfare, weights)
    if (y < 0).any():
        raise ValueError("welfare must be zero or more for a Gini coefficient.")
    ys, ws = _sorted(y, w)
    # the trapezoids of the Lorenz curve: (p_k - p_{k-1})(L_k + L_{k-1}) = w_k (2 C_k - w_k y_k) / (W Y),
    # with C_k the cumulative welfare mass up to record k
    mass = ws * ys
    cumulative = np.cumsum(mass, axis=-1)
    total_people = np.sum(ws, axis=-1)
    total_welfare = cumulative[..., -1].copy()
    if (total_welfare <= 0).any():
        raise ValueError("total welfare is zero: the Gini coefficient needs some positive welfare.")
    cumulative *= 2.0
    cumulative -= mass
    area = np.einsum("...i,...i->...", ws, cumulative)
    return np.maximum(1.0 - area / (total_people * total_welfare), 0.0)   # rounding can leave -1e-16


def mean(welfare, weights) -> np.ndarray:
    """Weighted mean welfare (per person), shape (...)."""
    y, w = _prepare(welfare, weights)
    return np.sum(w * y, axis=-1) / np.sum(w, axis=-1)


def generalized_entropy(welfare, weights, theta: float = 1.0) -> np.ndarray:
    r"""Generalised entropy inequality index :math:`GE(\theta)`.

    .. math::

        GE(\theta) = \frac{1}{\theta(\theta - 1)} \left[\frac{1}{W}\sum_i w_i (y_i/\mu)^\theta - 1\right],
        \quad GE(0) = \frac{1}{W}\sum_i w_i \ln(\mu / y_i),
        \quad GE(1) = \frac{1}{W}\sum_i w_i \frac{y_i}{\mu} \ln\frac{y_i}{\mu}

    ``GE(0)`` is the mean log deviation (Theil L), ``GE(1)`` the Theil index (Theil T),
    ``GE(2)`` half the squared coefficient of variation. ``theta <= 0`` needs positive welfare.

    Examples
    --------
    >>> round(float(generalized_entropy([1, 3], 1.0, 0)), 6)   # ln 2 - (ln 1 + ln 3) / 2
    0.143841
    """
    y, w = _prepare(welfare, weights)
    if theta <= 0 and (y <= 0).any():
        raise ValueError(f"GE({theta:g}) needs positive welfare for everyone; a record has welfare 0 or less.")
    if (y < 0).any():
        raise ValueError("welfare must be zero or more for an inequality index.")
    total = np.sum(w, axis=-1, keepdims=True)
    mu = np.sum(w * y, axis=-1, keepdims=True) / total
    r = y / mu
    if theta == 0:
        return np.sum(w * -np.log(r), axis=-1) / total[..., 0]
    if theta == 1:
        rlogr = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
        return np.sum(w * rlogr, axis=-1) / total[..., 0]
    return (np.sum(w * r ** theta, axis=-1) / total[..., 0] - 1.0) / (theta * (theta - 1.0))


def theil(welfare, weights) -> np.ndarray:
    """Theil T index, :func:`generalized_entropy` with ``theta = 1``."""
    return generalized_entropy(welfare, weights, 1.0)


def mean_log_deviation(welfare, weights) -> np.ndarray:
    """Mean log deviation (Theil L), :func:`generalized_entropy` with ``theta = 0``."""
    return generalized_entropy(welfare, weights, 0.0)


def weighted_quantile(welfare, weights, q) -> np.ndarray:
    """Weighted quantile: the smallest welfare whose cumulative population share reaches ``q``.

    Parameters
    ----------
    q : float or array_like broadcasting to the batch (...), in [0, 1]

    Examples
    --------
    >>> float(weighted_quantile([1, 2, 3, 4], 1.0, 0.5))
    2.0
    """
    y, w = _prepare(welfare, weights)
    qs = np.asarray(q, dtype=np.float64)
    if not ((qs >= 0) & (qs <= 1)).all():
        raise ValueError(f"q must be between 0 and 1, got {q!r}.")
    ys, ws = _sorted(y, w)
    share = np.cumsum(ws, axis=-1)
    share /= share[..., -1:]
    target = np.broadcast_to(qs, np.broadcast_shapes(qs.shape, ys.shape[:-1]))[..., None]
    index = np.sum(share < target - 1e-12, axis=-1, keepdims=True)
    index = np.minimum(index, ys.shape[-1] - 1)
    return np.take_along_axis(np.broadcast_to(ys, index.shape[:-1] + ys.shape[-1:]), index, axis=-1)[..., 0]


def quantile_groups(welfare, weights, n_groups: int = 5) -> np.ndarray:
    """Quantile group (0 = poorest) of each record: quintiles by default, of people ranked by welfare.

    A record goes to the group that holds the middle of its population weight, so groups hold
    about ``1 / n_groups`` of the people each (exactly when no record straddles a boundary).

    Returns
    -------
    ndarray of int, shape (..., n)
    """
    if int(n_groups) != n_groups or n_groups < 1:
        raise ValueError(f"n_groups must be a positive whole number (5 for quintiles), got {n_groups}.")
    y, w = _prepare(welfare, weights)
    shape = np.broadcast_shapes(y.shape, w.shape)
    y = np.broadcast_to(y, shape)
    w = np.broadcast_to(w, shape)
    order = np.argsort(y, axis=-1, kind="stable")
    ws = np.take_along_axis(w, order, axis=-1)
    cum = np.cumsum(ws, axis=-1)
    middle = (cum - ws / 2.0) / cum[..., -1:]
    groups_sorted = np.minimum((middle * n_groups).astype(np.intp), n_groups - 1)
    groups = np.empty(shape, dtype=np.intp)
    np.put_along_axis(groups, order, groups_sorted, axis=-1)
    return groups
