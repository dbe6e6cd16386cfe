"""Targeting by proxy-means test (PMT) and the measures of targeting performance.

A proxy-means test predicts a household's welfare from characteristics that are easy to observe
and hard to hide (location, dwelling, assets, household composition): a weighted least-squares
regression of log welfare per adult equivalent on those characteristics, estimated on a survey
(:func:`fit_pmt`). Households whose predicted welfare (the *score*) is at or below a cut-off are
eligible (:func:`pmt_eligible`): the cut-off is either a score value or the score quantile that
covers a chosen share of the population.

Performance (Coady, Grosh and Hoddinott 2004; Grosh et al. 2008, ch. 4), in people, against a
target group (by default the poor before the transfer):

- *exclusion error* (under-coverage): share of the target group living in households that
  receive nothing;
- *inclusion error* (leakage): share of the people in recipient households who are not in the
  target group;
- *coverage* of a quintile: share of its people in recipient households;
- *benefit incidence*: share of the total transfer received by each quintile of welfare before
  the transfer (money weighted by household weights).

References
----------
Coady, D., Grosh, M. and Hoddinott, J. (2004), *Targeting of Transfers in Developing Countries*,
World Bank. Grosh, M., del Ninno, C., Tesliuc, E. and Ouerghi, A. (2008), *For Protection and
Promotion*, World Bank, chapter 4 and annex on proxy means tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .measures import _prepare, quantile_groups, weighted_quantile


@dataclass(frozen=True)
class ProxyMeansTest:
    """A fitted proxy-means test: ``score = intercept + X @ coefficients`` predicts log welfare.

    Attributes
    ----------
    names : tuple of str
        The characteristics, in the order of the columns of ``X``.
    intercept : float
    coefficients : ndarray, shape (k,)
    r_squared : float
        Weighted share of the variance of log welfare the characteristics explain.
    """

    names: tuple[str, ...]
    intercept: float
    coefficients: np.ndarray
    r_squared: float

    def score(self, characteristics) -> np.ndarray:
        """Predicted log welfare of each household, shape (n,), from ``X`` of shape (n, k)."""
        x = np.asarray(characteristics, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.coefficients.size:
            raise ValueError(f"characteristics must have shape (n, {self.coefficients.size}) with columns "
                             f"{self.names}, got {x.shape}.")
        if not np.isfinite(x).all():
            raise ValueError("characteristics contain a missing value; a PMT needs every characteristic observed.")
        return self.intercept + x @ self.coefficients


def fit_pmt(characteristics, welfare, weights, names=None) -> ProxyMeansTest:
    """Fit a proxy-means test by weighted least squares of log welfare on household characteristics.

    Parameters
    ----------
    characteristics : array_like, shape (n, k)
        Observable characteristics (dummies for regions and dwelling materials, counts of
        members by age, assets).
    welfare : array_like, shape (n,)
        Welfare per adult equivalent, positive.
    weights : array_like, shape (n,)
        Person weights (so the fit represents people, as the poverty measures do).
    names : sequence of str, optional

    Returns
    -------
    ProxyMeansTest

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> pmt = fit_pmt(x, np.exp(1.0 + 0.5 * x[:, 0]), np.ones(4))
    >>> round(pmt.intercept, 6), round(float(pmt.coefficients[0]), 6), round(pmt.r_squared, 6)
    (1.0, 0.5, 1.0)
    """
    x = np.asarray(characteristics, dtype=np.float64)
    y, w = _prepare(welfare, weights)
    if x.ndim != 2 or x.shape[0] != y.shape[-1] or y.ndim != 1 or w.ndim != 1:
        raise ValueError(f"characteristics must be (n, k) and welfare and weights (n,); got {x.shape}, {y.shape}, "
                         f"{w.shape}.")
    if not np.isfinite(x).all():
        raise ValueError("characteristics contain a missing value; impute or drop it before fitting the PMT.")
    if (y <= 0).any():
        raise ValueError("welfare must be positive to fit a PMT on its logarithm.")
    names = tuple(names) if names is not None else tuple(f"x{j}" for j in range(x.shape[1]))
    if len(names) != x.shape[1]:
        raise ValueError(f"names has {len(names)} entries for {x.shape[1]} characteristics.")
    design = np.column_stack([np.ones(x.shape[0]), x])
    root = np.sqrt(w)
    target = np.log(y)
    beta, *_ = np.linalg.lstsq(design * root[:, None], target * root, rcond=None)
    if np.linalg.matrix_rank(design * root[:, None]) < design.shape[1]:
        raise ValueError("the characteristics are collinear (e.g. a full set of region dummies with the intercept); "
                         "drop one category of each set of dummies.")
    fitted = design @ beta
    centre = np.sum(w * target) / w.sum()
    total = np.sum(w * (target - centre) ** 2)
    r2 = 1.0 - np.sum(w * (target - fitted) ** 2) / total if total > 0 else 1.0
    return ProxyMeansTest(names=names, intercept=float(beta[0]), coefficients=beta[1:], r_squared=float(r2))


def pmt_eligible(score, weights, *, coverage=None, cutoff=None) -> np.ndarray:
    """Households eligible by their PMT score: at or below a cut-off.

    Give exactly one of

    - ``coverage``: share of people to cover (batch allowed, e.g. ``np.linspace(0.1, 0.5, 5)``);
      the cut-off is the weighted ``coverage`` quantile of the score;
    - ``cutoff``: the score value (predicted log welfare; e.g. ``np.log(line)``), batch allowed.

    Households tied at the cut-off are all eligible, so with a coarse score (few distinct values)
    the share covered can exceed ``coverage``.

    Returns
    -------
    ndarray of bool, shape ``batch + (n,)``
    """
    if (coverage is None) == (cutoff is None):
        raise ValueError("give exactly one of coverage (a share of people) or cutoff (a score value).")
    s, w = _prepare(score, weights)
    if cutoff is None:
        share = np.asarray(coverage, dtype=np.float64)
        if not ((share >= 0) & (share <= 1)).all():
            raise ValueError(f"coverage must be between 0 and 1, got {coverage!r}.")
        cut = weighted_quantile(s, w, share)
        return (s <= cut[..., None]) & (share[..., None] > 0)
    cut = np.asarray(cutoff, dtype=np.float64)
    return s <= cut[..., None]


@dataclass(frozen=True)
class TargetingPerformance:
    """How well transfers reach a target group (people, weighted); all shares are fractions.

    Attributes (batch ``(...)`` of the transfers)
    ----------
    exclusion_error, inclusion_error : ndarray, shape (...)
    coverage_by_quintile : ndarray, shape (..., 5)
        Share of each quintile's people (welfare before the transfer, poorest first) in recipient
        households.
    incidence_by_quintile : ndarray, shape (..., 5)
        Share of the transfer money received by each quintile (sums to 1).
    recipients_share : ndarray, shape (...)
        Share of all people in recipient households.
    """

    exclusion_error: np.ndarray
    inclusion_error: np.ndarray
    coverage_by_quintile: np.ndarray
    incidence_by_quintile: np.ndarray
    recipients_share: np.ndarray

    @property
    def coverage_poorest_quintile(self) -> np.ndarray:
        return self.coverage_by_quintile[..., 0]


def targeting_performance(transfers, welfare, person_weight, household_weight, *, target=None, line=None,
                          n_groups: int = 5) -> TargetingPerformance:
    """Exclusion and inclusion errors, coverage and benefit incidence by quantile group.

    Parameters
    ----------
    transfers : array_like, shape (..., n)
        Transfer to each household (zero for non-recipients).
    welfare : array_like, shape (n,)
        Welfare *before* the transfer (ranks the quintiles, defines the poor).
    person_weight, household_weight : array_like, shape (n,)
        People and households each record represents (:attr:`Survey.person_weight`,
        :attr:`Survey.weight`).
    target : bool array, shape (n,), optional
        The target group; default: the poor, ``welfare < line``.
    line : float, optional
        Poverty line defining the target group when ``target`` is not given.

    Examples
    --------
    >>> t = np.array([1.0, 0.0, 1.0, 0.0])            # the 1st and 3rd of four households receive
    >>> p = targeting_performance(t, [1.0, 2.0, 3.0, 4.0], np.ones(4), np.ones(4), line=2.5)
    >>> float(p.exclusion_error), float(p.inclusion_error)   # 1 of the 2 poor missed; 1 of 2 recipients not poor
    (0.5, 0.5)
    """
    y, pw = _prepare(welfare, person_weight)
    tr = np.asarray(transfers, dtype=np.float64)
    hw = np.asarray(household_weight, dtype=np.float64)
    if y.ndim != 1 or tr.shape[-1] != y.size or hw.shape != y.shape or pw.shape != y.shape:
        raise ValueError(f"transfers must be (..., n) and welfare and weights (n,) with the same n; got "
                         f"{tr.shape}, {y.shape}, {pw.shape}, {hw.shape}.")
    if not np.isfinite(tr).all() or (tr < 0).any():
        raise ValueError("transfers must be finite and zero or more.")
    if target is None:
        if line is None:
            raise ValueError("give the target group (target=...) or a poverty line (line=...) that defines it.")
        target = y < line
    target = np.asarray(target, dtype=bool)
    received = tr > 0
    people = pw.sum()
    target_people = np.sum(pw * target)
    recipients = np.sum(pw * received, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        exclusion = np.sum(pw * (target & ~received), axis=-1) / target_people
        inclusion = np.sum(pw * (received & ~target), axis=-1) / recipients
    groups = quantile_groups(y, pw, n_groups)
    onehot = (groups[:, None] == np.arange(n_groups)).astype(np.float64)        # (n, g)
    group_people = pw @ onehot
    money = (tr * hw) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):       # an empty group (tiny samples) gives NaN
        coverage = (received * pw) @ onehot / group_people
        incidence = money / money.sum(axis=-1, keepdims=True)
    return TargetingPerformance(exclusion_error=exclusion, inclusion_error=inclusion, coverage_by_quintile=coverage,
                                incidence_by_quintile=incidence, recipients_share=recipients / people)
