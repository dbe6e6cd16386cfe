"""Standard errors that respect the survey design: strata and clusters (primary sampling units).

Two methods, both with the usual "with-replacement sampling of clusters within strata"
approximation (Stata's ``svy`` default; Wolter 2007):

- :func:`linearized_se` for ratio-type measures (the FGT family, means): the measure is
  :math:`R = \\sum_i w_i u_i / \\sum_i w_i`; its linearised variable is
  :math:`e_i = w_i (u_i - R) / \\sum_j w_j`, and
  :math:`V = \\sum_h \\frac{n_h}{n_h - 1} \\sum_c (e_{hc} - \\bar e_h)^2`, with :math:`e_{hc}` the
  cluster totals of :math:`e` in stratum :math:`h`, which has :math:`n_h` clusters.
- :func:`bootstrap_se` for any measure (Gini, Theil, quantiles): the rescaling bootstrap of
  Rao and Wu (1988) with :math:`n_h - 1` clusters drawn with replacement in each stratum and
  weights multiplied by :math:`n_h/(n_h - 1)` times the times drawn; the standard error is the
  standard deviation of the replicate estimates. The replicates are a leading batch axis, so the
  measure is evaluated once on all of them.

A stratum with a single cluster has no variance estimate: both functions say so and ask to
merge it with a neighbouring stratum (the "collapsed strata" technique).

References
----------
Rao, J. N. K. and Wu, C. F. J. (1988), "Resampling inference with complex survey data", *JASA*
83, 231-241. Wolter, K. (2007), *Introduction to Variance Estimation*, 2nd ed., Springer.
Haughton and Khandker (2009), section 5.3 (standard errors of poverty measures).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .measures import _line, _prepare


def _design(stratum, cluster, n: int) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    strata = np.zeros(n, dtype=np.intp) if stratum is None else np.asarray(stratum, dtype=np.intp)
    clusters = np.arange(n, dtype=np.intp) if cluster is None else np.asarray(cluster, dtype=np.intp)
    if strata.shape != (n,) or clusters.shape != (n,):
        raise ValueError(f"stratum and cluster must give one code per record, shape ({n},).")
    _, cluster_codes = np.unique(clusters, return_inverse=True)
    n_clusters = int(cluster_codes.max()) + 1
    cluster_stratum = np.zeros(n_clusters, dtype=np.intp)
    cluster_stratum[cluster_codes] = strata
    per_stratum = np.bincount(cluster_stratum)
    lonely = (per_stratum == 1)
    if lonely.any():
        h = int(np.flatnonzero(lonely)[0])
        raise ValueError(f"stratum {h} has a single cluster, so its sampling variance cannot be estimated; merge it "
                         "with a similar stratum (collapsed strata) before computing standard errors.")
    return strata, cluster_codes, n_clusters, cluster_stratum


def linearized_se(values, weights, *, stratum=None, cluster=None) -> np.ndarray:
    """Design-based standard error of a weighted mean ``sum w u / sum w`` by linearisation.

    Parameters
    ----------
    values : array_like, shape (..., n)
        The variable averaged, e.g. ``welfare < line`` for the headcount, or
        ``(1 - welfare / line) ** alpha`` for the poor for FGT(alpha) (:func:`fgt_se` does this).
    weights : array_like, shape (n,)
        Person weights.
    stratum, cluster : int arrays, shape (n,), optional
        Design codes (default: one stratum, each record its own cluster).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    A simple random sample of 4 with 2 poor: SE = sqrt(p (1 - p) / (n - 1)) = sqrt(0.25 / 3).

    >>> round(float(linearized_se([1.0, 1.0, 0.0, 0.0], np.ones(4))), 6)
    0.288675
    """
    u, w = _prepare(values, weights)
    if w.ndim != 1:
        raise ValueError("weights must be one per record, shape (n,).")
    n = w.size
    strata, codes, n_clusters, cluster_stratum = _design(stratum, cluster, n)
    total = w.sum()
    ratio = np.sum(w * u, axis=-1, keepdims=True) / total
    e = w * (u - ratio) / total
    flat = e.reshape(-1, n)
    per_stratum = np.bincount(cluster_stratum).astype(np.float64)
    variance = np.empty(flat.shape[0])
    for row in range(flat.shape[0]):
        cluster_totals = np.bincount(codes, weights=flat[row], minlength=n_clusters)
        stratum_means = np.bincount(cluster_stratum, weights=cluster_totals) / per_stratum
        dev = cluster_totals - stratum_means[cluster_stratum]
        factor = per_stratum / (per_stratum - 1.0)
        variance[row] = np.sum(factor * np.bincount(cluster_stratum, weights=dev * dev, minlength=factor.size))
    return np.sqrt(variance).reshape(u.shape[:-1])


def fgt_se(welfare, weights, line, alpha: float = 0.0, *, stratum=None, cluster=None) -> np.ndarray:
    """Design-based standard error of :func:`qsp.poverty.fgt` by linearisation (the line taken as fixed)."""
    y, w = _prepare(welfare, weights)
    z = _line(line, y.shape[:-1])
    poor = y < z
    index = poor.astype(np.float64) if alpha == 0 else np.where(poor, 1.0 - y / z, 0.0) ** alpha
    return linearized_se(index, w, stratum=stratum, cluster=cluster)


def bootstrap_weights(weights, *, stratum=None, cluster=None, replicates: int = 200, seed: int = 0) -> np.ndarray:
    """Rao-Wu rescaling bootstrap replicate weights, shape (replicates, n).

    In each stratum with ``n_h`` clusters, ``n_h - 1`` clusters are drawn with replacement; a
    record's replicate weight is its weight x ``n_h / (n_h - 1)`` x the times its cluster was drawn.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("weights must be one per record, shape (n,).")
    if int(replicates) != replicates or replicates < 2:
        raise ValueError(f"replicates must be a whole number of at least 2, got {replicates}.")
    n = w.size
    strata, codes, n_clusters, cluster_stratum = _design(stratum, cluster, n)
    rng = np.random.default_rng(seed)
    per_stratum = np.bincount(cluster_stratum)
    # clusters listed stratum by stratum, so draw k in stratum h = start_h + floor(U x n_h)
    order = np.argsort(cluster_stratum, kind="stable")
    start = np.concatenate([[0], np.cumsum(per_stratum)[:-1]])
    draws_per_stratum = per_stratum - 1
    draw_stratum = np.repeat(np.arange(per_stratum.size), draws_per_stratum)
    counts = np.zeros((replicates, n_clusters))
    u = rng.random((replicates, draw_stratum.size))
    drawn = order[start[draw_stratum] + (u * per_stratum[draw_stratum]).astype(np.intp)]
    rows = np.repeat(np.arange(replicates), draw_stratum.size)
    np.add.at(counts, (rows, drawn.ravel()), 1.0)
    scale = per_stratum / (per_stratum - 1.0)
    return w * (counts * scale[cluster_stratum])[:, codes]


def bootstrap_se(measure: Callable[[np.ndarray], np.ndarray], weights, *, stratum=None, cluster=None,
                 replicates: int = 200, seed: int = 0) -> np.ndarray:
    """Design-based standard error of any measure by the Rao-Wu rescaling bootstrap.

    Parameters
    ----------
    measure : callable
        ``measure(weights)`` with weights of shape ``(replicates, n)`` returns the estimates with
        a leading replicate axis, e.g. ``lambda w: qsp.poverty.gini(survey.welfare, w)``.
    weights : array_like, shape (n,)
        Person weights.
    replicates : int, default 200
    seed : int, default 0

    Returns
    -------
    ndarray
        Standard deviation over the replicates (``ddof=1``) of the measure.

    Examples
    --------
    >>> from qsp.poverty import gini
    >>> rng = np.random.default_rng(1)
    >>> y = rng.lognormal(size=400)
    >>> se = bootstrap_se(lambda w: gini(y, w), np.ones(400), replicates=100)
    >>> 0.005 < float(se) < 0.05
    True
    """
    replicate_weights = bootstrap_weights(weights, stratum=stratum, cluster=cluster, replicates=replicates, seed=seed)
    estimates = np.asarray(measure(replicate_weights))
    if estimates.shape[:1] != (replicates,):
        raise ValueError(f"measure must return one estimate per replicate on its first axis ({replicates}), got shape "
                         f"{estimates.shape}: write it to accept weights of shape (replicates, n).")
    return estimates.std(axis=0, ddof=1)
