"""Measures by population group (region, sex of head, age group, household type) and their decomposition.

FGT measures are additively decomposable (Foster, Greer and Thorbecke 1984):
:math:`P_\\alpha = \\sum_g s_g P_{\\alpha,g}`, with :math:`s_g` the group's population share; a
group's *contribution* to total poverty is :math:`s_g P_{\\alpha,g} / P_\\alpha`. Generalised
entropy indices split into within- and between-group parts (Shorrocks 1980):
:math:`GE(\\theta) = \\sum_g s_g^{1-\\theta} v_g^{\\theta} GE_g(\\theta) + GE_B(\\theta)`, with
:math:`v_g` the group's share of total welfare and :math:`GE_B` the index of a distribution where
everyone has their group's mean.

``group`` holds integer codes ``0..k-1`` of shape ``(n,)`` (one per record); the results carry
a trailing group axis ``(..., k)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .measures import _line, _prepare, generalized_entropy


def _groups(group, n: int, n_groups: int | None) -> tuple[np.ndarray, int]:
    g = np.asarray(group)
    if g.shape != (n,):
        raise ValueError(f"group must give one code per record, shape ({n},), got {g.shape}.")
    if g.dtype.kind not in "iub" or (g.size and g.min() < 0):
        raise ValueError("group must hold integer codes 0..k-1 (e.g. survey.region); convert labels with "
                         "numpy.unique(labels, return_inverse=True).")
    k = int(g.max()) + 1 if n_groups is None else int(n_groups)
    if g.max() >= k:
        raise ValueError(f"group has code {int(g.max())} but n_groups is {k}.")
    return g.astype(np.intp), k


def _group_sums(values: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
    """Sums of ``values`` (..., n) by group: (..., k)."""
    flat = values.reshape(-1, values.shape[-1])
    out = np.empty((flat.shape[0], k))
    for row in range(flat.shape[0]):
        out[row] = np.bincount(g, weights=flat[row], minlength=k)
    return out.reshape(values.shape[:-1] + (k,))


@dataclass(frozen=True)
class GroupDecomposition:
    """A measure by group: the group values, population shares and contributions to the total.

    Attributes
    ----------
    total : ndarray, shape (...)
    by_group : ndarray, shape (..., k)
        The measure within each group (NaN for a group without people).
    population_share : ndarray, shape (..., k)
    contribution : ndarray, shape (..., k)
        Share of the total due to each group (sums to 1 when the total is positive).
    """

    total: np.ndarray
    by_group: np.ndarray
    population_share: np.ndarray
    contribution: np.ndarray


def fgt_by_group(welfare, weights, line, group, alpha: float = 0.0, *, n_groups: int | None = None
                 ) -> GroupDecomposition:
    """FGT measure within each group, with population shares and contributions to the national total.

    ``total = sum_g population_share_g x by_group_g`` holds exactly (additive decomposability).

    Examples
    --------
    >>> d = fgt_by_group([100, 110, 150, 160], 1.0, 125, [0, 1, 0, 1])
    >>> d.by_group.tolist(), d.contribution.tolist()
    ([0.5, 0.5], [0.5, 0.5])
    """
    if not alpha >= 0:
        raise ValueError(f"alpha must be zero or more, got {alpha}.")
    y, w = _prepare(welfare, weights)
    shape = np.broadcast_shapes(y.shape, w.shape)
    y, w = np.broadcast_to(y, shape), np.broadcast_to(w, shape)
    g, k = _groups(group, shape[-1], n_groups)
    z = _line(line, shape[:-1])
    poor = y < z
    index = poor.astype(np.float64) if alpha == 0 else np.where(poor, 1.0 - y / z, 0.0) ** alpha
    people = _group_sums(w, g, k)
    poor_sum = _group_sums(w * index, g, k)
    total_people = people.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        by_group = poor_sum / people
        total = poor_sum.sum(axis=-1) / total_people[..., 0]
        contribution = poor_sum / poor_sum.sum(axis=-1, keepdims=True)
    return GroupDecomposition(total=total, by_group=by_group, population_share=people / total_people,
                              contribution=contribution)


@dataclass(frozen=True)
class EntropyDecomposition:
    """A generalised entropy index split into within- and between-group inequality.

    ``total = within + between``; ``by_group`` holds each group's own index.
    """

    total: np.ndarray
    within: np.ndarray
    between: np.ndarray
    by_group: np.ndarray
    population_share: np.ndarray
    welfare_share: np.ndarray


def entropy_by_group(welfare, weights, group, theta: float = 1.0, *, n_groups: int | None = None
                     ) -> EntropyDecomposition:
    """Generalised entropy ``GE(theta)`` decomposed into within- and between-group parts (Shorrocks 1980).

    Examples
    --------
    >>> d = entropy_by_group([1, 1, 3, 3], 1.0, [0, 0, 1, 1], theta=0)
    >>> round(float(d.within), 6), round(float(d.between), 6)   # all inequality is between the groups
    (0.0, 0.143841)
    """
    y, w = _prepare(welfare, weights)
    shape = np.broadcast_shapes(y.shape, w.shape)
    y, w = np.broadcast_to(y, shape), np.broadcast_to(w, shape)
    g, k = _groups(group, shape[-1], n_groups)
    total = generalized_entropy(y, w, theta)
    people = _group_sums(w, g, k)
    money = _group_sums(w * y, g, k)
    s = people / people.sum(axis=-1, keepdims=True)
    v = money / money.sum(axis=-1, keepdims=True)
    by_group = np.full(shape[:-1] + (k,), np.nan)
    for code in range(k):
        members = g == code
        if members.any() and (w[..., members].sum(axis=-1) > 0).all():
            by_group[..., code] = generalized_entropy(y[..., members], w[..., members], theta)
    present = s > 0
    safe = np.where(present, by_group, 0.0)
    if theta == 0:
        within = np.sum(s * safe, axis=-1)
    elif theta == 1:
        within = np.sum(v * safe, axis=-1)
    else:
        factor = np.where(present, s, 1.0) ** (1 - theta) * np.where(present, v, 1.0) ** theta
        within = np.sum(np.where(present, factor, 0.0) * safe, axis=-1)
    # between: the index of a population where everyone has their group's mean (computed on its own, so
    # that total = within + between is a check of the formula, not a definition)
    group_mean = np.where(present, money / np.where(present, people, 1.0), 1.0)
    between = generalized_entropy(group_mean, np.where(present, people, 0.0), theta)
    return EntropyDecomposition(total=total, within=within, between=between, by_group=by_group,
                                population_share=s, welfare_share=v)
