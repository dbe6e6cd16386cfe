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
    fgt_before : ndarray, shape (3,), or (..., 3) when the line varies by scenario
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
        return 100.0 * (self.fgt_before[..., 0] - self.fgt_after[..., 0])

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
    out = np.empty(gap.shape[:-1] + (3,))
    out[..., 0] = (poor @ weights if weights.ndim == 1 else np.sum(poor * weights, axis=-1)) / total
    wg = gap * weights
    out[..., 1] = np.sum(wg, axis=-1) / total
    out[..., 2] = np.einsum("...i,...i->...", wg, gap) / total
    return out


CHUNK_VALUES = 1 << 17
"""Scenario rows are processed in blocks of about this many (scenario, household) values (1 MB of float64),
so the working arrays stay in the processor's cache and are reused from block to block."""


def poverty_impact(survey: Survey, transfers=None, line=None, *, amounts=None, units=None, admin_loading=0.0,
                   inequality: bool = True) -> PolicyImpact:
    """Poverty and inequality before and after transfers, and their cost.

    Give the transfers either as an array, or factored as ``amounts x units`` (never built in
    full: a batch of 300 scenarios on 50,000 households stays in cache block by block).

    Parameters
    ----------
    survey : Survey
    transfers : array_like, shape (..., n), optional
        Transfer to each household per year (national currency), for a batch of scenarios.
    line : float or array_like broadcasting to the batch
        Poverty line per adult equivalent per year (same scale as ``survey.welfare``).
    amounts : array_like, shape (...), optional
        With ``units``: transfers are ``amounts[..., None] x units``, e.g. benefit levels per
        eligible member.
    units : array_like, broadcasting to (..., n), optional
        Units paid per household (eligible members, ``survey.member_count(...)``; 1 for a flat
        household transfer; 0 for households not eligible).
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
    >>> factored = poverty_impact(s, line=125.0, amounts=[20.0, 40.0], units=[1.0, 1.0, 0.0, 0.0])
    >>> factored.fgt_after[:, 0].tolist()
    [0.25, 0.0]
    """
    n = survey.n_households
    if line is None:
        raise ValueError("give the poverty line (line=...), per adult equivalent per year.")
    if (transfers is None) == (amounts is None or units is None):
        raise ValueError("give either transfers (an array (..., n)) or both amounts and units (transfers = "
                         "amounts[..., None] x units), not both and not neither.")
    if transfers is not None:
        t = np.asarray(transfers, dtype=np.float64)
        if t.shape[-1:] != (n,):
            raise ValueError(f"transfers must have the survey's {n} households on the last axis, got shape {t.shape}.")
        if not np.isfinite(t).all() or (t < 0).any():
            raise ValueError("transfers must be finite and zero or more (a tax is not a transfer here).")
        batch = t.shape[:-1]
        rows = t.reshape(-1, n) if t.flags.c_contiguous else np.ascontiguousarray(t).reshape(-1, n)
        scale = None
    else:
        a = np.asarray(amounts, dtype=np.float64)
        u = np.asarray(units, dtype=np.float64)
        if u.shape[-1:] != (n,):
            raise ValueError(f"units must have the survey's {n} households on the last axis, got shape {u.shape}.")
        for name, v in (("amounts", a), ("units", u)):
            if not np.isfinite(v).all() or (v < 0).any():
                raise ValueError(f"{name} must be finite and zero or more.")
        try:
            batch = np.broadcast_shapes(a.shape, u.shape[:-1])
        except ValueError:
            raise ValueError(f"amounts of shape {a.shape} and units of shape {u.shape} do not broadcast "
                             "(units: (..., n) with the batch axes of amounts, or (n,)).") from None
        scale = np.broadcast_to(a, batch).reshape(-1)
        rows = np.broadcast_to(u, batch + (n,))
    loading = np.asarray(admin_loading, dtype=np.float64)
    if not np.isfinite(loading).all() or (loading < 0).any():
        raise ValueError(f"admin_loading must be zero or more, got {admin_loading!r}.")
    z_all = _line(line, batch)[..., 0].reshape(-1)
    # households in order of welfare before the transfers: welfare after them is then nearly sorted, which
    # the stable sort of the Gini handles in close to linear time
    order = np.argsort(survey.welfare, kind="stable")
    pw = survey.person_weight[order]
    hw = survey.weight[order]
    consumption = survey.consumption[order]
    inverse_ae = 1.0 / survey.adult_equivalents[order]
    n_rows = int(np.prod(batch, dtype=np.int64))
    fgt_after = np.empty((n_rows, 3))
    benefits = np.empty(n_rows)
    gini_after = np.empty(n_rows) if inequality else None
    block = max(1, min(n_rows, CHUNK_VALUES // n))
    welfare = np.empty((block, n))
    gap = np.empty((block, n))
    poor = np.empty((block, n), dtype=bool)
    total_people = pw.sum()
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        k = stop - start
        y, g, p = welfare[:k], gap[:k], poor[:k]
        if scale is None:
            np.take(rows[start:stop], order, axis=-1, out=y)
        else:
            index = np.unravel_index(np.arange(start, stop), batch) if batch else ()
            block_units = rows[index] if batch else rows[None]
            np.multiply(scale[start:stop, None], np.take(block_units, order, axis=-1), out=y)
        benefits[start:stop] = y @ hw
        y += consumption
        y *= inverse_ae
        z = z_all[start:stop, None]
        np.less(y, z, out=p)
        np.divide(y, z, out=g)
        np.subtract(1.0, g, out=g)
        np.maximum(g, 0.0, out=g)
        fgt_after[start:stop, 0] = p @ pw
        fgt_after[start:stop, 1] = g @ pw
        g *= g
        fgt_after[start:stop, 2] = g @ pw
        if inequality:
            gini_after[start:stop] = gini(y, pw)
    fgt_after /= total_people
    benefits = benefits.reshape(batch)
    return PolicyImpact(
        fgt_before=fgt_012(survey.welfare, survey.person_weight, line),
        fgt_after=fgt_after.reshape(batch + (3,)),
        gini_before=float(gini(survey.welfare, survey.person_weight)),
        gini_after=gini_after.reshape(batch) if inequality else None,
        cost=benefits * (1.0 + loading), benefits=benefits, line=np.asarray(line, dtype=np.float64),
    )
