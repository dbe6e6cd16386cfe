"""The poverty and inequality impact of transfers, their cost, and the cost per point of poverty reduced.

Transfers (national currency per household per year, shape ``(..., n)`` for a batch of policy
scenarios) are added to household consumption; welfare after the transfer is
``(consumption + transfer) / adult equivalents`` (a first-round, static simulation: no
behavioural response). The cost is the grossed-up total ``sum_h household_weight_h x
transfer_h`` times ``1 + admin_loading`` (the administration loading of Module 5's costing).

The *cost per point* is the cost divided by the fall of the headcount ratio in percentage
points: what one percentage point less poverty costs with this design (infinite when poverty
does not fall).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .measures import _line, gini
from .survey import Survey


@dataclass(frozen=True)
class PolicyImpact:
    """Poverty, inequality and cost of a batch of transfer scenarios.

    Attributes
    ----------
    fgt_before : ndarray, shape (3,)
        Headcount, gap and severity (FGT 0, 1, 2) before the transfers.
    fgt_after : ndarray, shape (..., 3)
        The same after, for each scenario.
    gini_before : float
    gini_after : ndarray, shape (...), or None when not asked for
    cost : ndarray, shape (...)
        Total yearly cost, national currency, administration included.
    benefits : ndarray, shape (...)
        Total transfers paid, without administration.
    line : float
    """

    fgt_before: np.ndarray
    fgt_after: np.ndarray
    gini_before: float
    gini_after: np.ndarray | None
    cost: np.ndarray
    benefits: np.ndarray
    line: np.ndarray

    @property
    def headcount_reduction_points(self) -> np.ndarray:
        """Fall of the headcount ratio, in percentage points."""
        return 100.0 * (self.fgt_before[0] - self.fgt_after[..., 0])

    @property
    def cost_per_point(self) -> np.ndarray:
        """Cost per percentage point of headcount reduced (inf where poverty does not fall)."""
        points = self.headcount_reduction_points
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(points > 0, self.cost / np.where(points > 0, points, 1.0), np.inf)

    def share_of(self, total) -> np.ndarray:
        """The cost as a share of a total, e.g. GDP or government revenue (Module 5)."""
        return self.cost / np.asarray(total, dtype=np.float64)


def fgt_012(welfare: np.ndarray, weights: np.ndarray, line) -> np.ndarray:
    """Headcount, gap and severity in one pass over the data, shape (..., 3).

    Same conventions as :func:`qsp.poverty.fgt` (which checks its inputs; this one trusts them).
    """
    z = _line(line, welfare.shape[:-1])
    total = np.sum(weights, axis=-1)
    gap = 1.0 - welfare / z
    np.maximum(gap, 0.0, out=gap)                 # zero for the non-poor (and for welfare exactly at z)
    poor = welfare < z
    out = np.empty(welfare.shape[:-1] + (3,))
    out[..., 0] = (poor @ weights if weights.ndim == 1 else np.sum(poor * weights, axis=-1)) / total
    wg = gap * weights
    out[..., 1] = np.sum(wg, axis=-1) / total
    out[..., 2] = np.einsum("...i,...i->...", wg, gap) / total
    return out


def poverty_impact(survey: Survey, transfers, line, *, admin_loading=0.0, inequality: bool = True
                   ) -> PolicyImpact:
    """Poverty and inequality before and after transfers, and their cost.

    Parameters
    ----------
    survey : Survey
    transfers : array_like, shape (..., n)
        Transfer to each household per year (national currency), for a batch of scenarios.
    line : float
        Poverty line per adult equivalent per year (same scale as ``survey.welfare``).
    admin_loading : float or array_like, default 0
        Administration cost as a share of benefits (batch allowed).
    inequality : bool, default True
        Also compute the Gini after the transfers (one sort per scenario: skip it for large batches
        when only poverty matters).

    Returns
    -------
    PolicyImpact

    Examples
    --------
    >>> from qsp.poverty import make_survey
    >>> s = make_survey([1, 2, 3, 4], [1.0] * 4, [100.0, 110.0, 150.0, 160.0], [1, 2, 3, 4], [30] * 4, [0] * 4)
    >>> impact = poverty_impact(s, np.array([[20.0, 20.0, 0.0, 0.0]]), 125.0)
    >>> impact.fgt_after[0].round(6).tolist(), float(impact.cost[0]), float(impact.cost_per_point[0])
    ([0.25, 0.01, 0.0004], 40.0, 1.6)
    """
    t = np.asarray(transfers, dtype=np.float64)
    n = survey.n_households
    if t.shape[-1:] != (n,):
        raise ValueError(f"transfers must have the survey's {n} households on the last axis, got shape {t.shape}.")
    if not np.isfinite(t).all() or (t < 0).any():
        raise ValueError("transfers must be finite and zero or more (a tax is not a transfer here).")
    loading = np.asarray(admin_loading, dtype=np.float64)
    if not np.isfinite(loading).all() or (loading < 0).any():
        raise ValueError(f"admin_loading must be zero or more, got {admin_loading!r}.")
    pw = survey.person_weight
    before = survey.welfare
    after = (survey.consumption + t) / survey.adult_equivalents
    benefits = t @ survey.weight
    return PolicyImpact(
        fgt_before=fgt_012(before, pw, line), fgt_after=fgt_012(after, pw, line),
        gini_before=float(gini(before, pw)), gini_after=gini(after, pw) if inequality else None,
        cost=benefits * (1.0 + loading), benefits=benefits, line=np.asarray(line, dtype=np.float64),
    )
