"""Figures of a scheme's financing: the reserve ratio and the financing systems side by side.

>>> import qsp.data
>>> from qsp.pensions.plots import plot_scheme_financing
>>> valuation = qsp.data.load_scheme("jor-ssc-synthetic").value(years=75)    # doctest: +SKIP
>>> figure = plot_scheme_financing(valuation, title="SYNTHETIC scheme")       # doctest: +SKIP

Run ``python -m qsp.pensions.plots --out docs/figures/scheme-financing.png`` to write the
README's figure for the kit's synthetic scheme.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class FinancingSummary:
    """Headline figures of a valuation (one scenario).

    Attributes
    ----------
    years : ndarray, shape (n,)
        Projection years.
    payg_cost_rate : ndarray, shape (n,)
        PAYG cost rate of each year.
    general_average_premiums : dict of int -> float
        GAP over the first ``h`` years for each horizon ``h`` (initial reserve counted, no final reserve).
    scaled_premium : ndarray, shape (n,)
        Staircase of scaled premiums (criterion "non-decreasing", periods of ``period_length`` years).
    contribution_rate : ndarray, shape (n,)
        Contribution rate in force.
    reserve_ratio : ndarray, shape (n,)
        Reserve at the start of each year over its expenditure.
    exhaustion_year : int or None
        First year whose end-of-year reserve is negative (None if it never is).
    first_deficit_year : int or None
        First year whose contributions fall short of expenditure (benefits and administration).
    """

    years: np.ndarray
    payg_cost_rate: np.ndarray
    general_average_premiums: dict
    scaled_premium: np.ndarray
    contribution_rate: np.ndarray
    reserve_ratio: np.ndarray
    exhaustion_year: int | None
    first_deficit_year: int | None


def financing_summary(valuation, *, horizons=(50, 75), period_length: int = 10) -> FinancingSummary:
    """Headline figures of one scenario's :class:`~qsp.pensions.SchemeValuation`.

    The GAP over ``h`` years is that of the first ``h`` years' flows with the valuation's
    initial reserve and interest (:func:`~qsp.pensions.general_average_premium`, no final reserve).

    Parameters
    ----------
    valuation : qsp.pensions.SchemeValuation
        One scenario (no batch axes), e.g. ``qsp.data.load_scheme(...).value()``.
    horizons : sequence of int, default (50, 75)
        Horizons (years) of the general average premiums.
    period_length : int, default 10
        Length in years of the scaled premium's periods of equilibrium.

    Returns
    -------
    FinancingSummary
        PAYG cost rate, GAPs, scaled-premium staircase, contribution rate and reserve ratio by
        year, and the years of the first deficit and of exhaustion.

    Raises
    ------
    ValueError
        A valuation with scenario axes (summarise one scenario), or a horizon longer than the projection.

    Examples
    --------
    >>> import qsp.data
    >>> summary = financing_summary(qsp.data.load_scheme("jor-ssc-synthetic").value(years=75))
    >>> sorted(summary.general_average_premiums)
    [50, 75]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, chapters 3-4
    (financing systems).
    """
    from .financing import general_average_premium

    if np.ndim(valuation.cost_expenditure) != 1:
        raise ValueError(f"financing_summary takes one scenario; this valuation has batch shape "
                         f"{np.shape(valuation.cost_expenditure)[:-1]}: select one scenario first.")
    n_years = valuation.years.size
    gaps = {}
    for horizon in horizons:
        if int(horizon) != horizon or not 1 <= horizon <= n_years:
            raise ValueError(f"horizons must be whole numbers of years from 1 to {n_years}, got {horizon!r}.")
        interest = valuation.interest_rate
        interest = interest[..., :horizon] if np.shape(interest)[-1] > 1 else interest
        gaps[int(horizon)] = float(general_average_premium(
            valuation.cost_expenditure[:horizon], valuation.insurable_earnings[:horizon], interest_rate=interest,
            initial_reserve=valuation.reserve.initial_reserve, timing=valuation.timing))
    reserve = valuation.reserve.reserve
    negative = np.nonzero(reserve < 0)[0]
    deficit = np.nonzero(valuation.contributions < valuation.reserve.total_expenditure)[0]
    return FinancingSummary(
        years=np.asarray(valuation.years),
        payg_cost_rate=np.asarray(valuation.payg_cost_rate),
        general_average_premiums=gaps,
        scaled_premium=np.asarray(valuation.scaled_premium(period_length=period_length).rate_by_year),
        contribution_rate=np.asarray(valuation.contribution_rate),
        reserve_ratio=np.asarray(valuation.reserve_ratio),
        exhaustion_year=int(valuation.years[negative[0]]) if negative.size else None,
        first_deficit_year=int(valuation.years[deficit[0]]) if deficit.size else None,
    )


def plot_scheme_financing(valuation, *, title: str | None = None, horizons=(50, 75), period_length: int = 10,
                          figsize=(10, 4)):
    """Two panels: the projected reserve ratio, and the financing systems' rates against the contribution rate.

    Left: reserve at the start of each year over that year's expenditure (years of
    expenditure), with the year the reserve is exhausted marked. Right: the PAYG cost rate, the
    general average premium over each horizon (flat lines over their horizon), the scaled
    premium staircase (periods of ``period_length`` years) and the contribution rate in force.

    Parameters
    ----------
    valuation : qsp.pensions.SchemeValuation
        One scenario (no batch axes).
    title : str, optional
        Figure title (say SYNTHETIC when the data are).
    horizons : sequence of int, default (50, 75)
        GAP horizons in years.
    period_length : int, default 10
        Length of the scaled premium's periods of equilibrium.
    figsize : tuple, default (10, 4)

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        As :func:`financing_summary` (a valuation with scenario axes, a horizon too long).

    Examples
    --------
    >>> import qsp.data
    >>> figure = plot_scheme_financing(qsp.data.load_scheme("jor-ssc-synthetic").value(),
    ...                                title="SYNTHETIC scheme")   # doctest: +SKIP

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, chapters 3-4.
    """
    import matplotlib.pyplot as plt

    summary = financing_summary(valuation, horizons=horizons, period_length=period_length)
    years = summary.years
    figure, (left, right) = plt.subplots(1, 2, figsize=figsize, constrained_layout=True)
    ratio = summary.reserve_ratio
    left.plot(years, ratio, color="tab:blue", lw=2)
    left.axhline(0.0, color="black", lw=0.8)
    if np.isfinite(ratio).any():                 # keep the positive part readable after an exhaustion
        top = max(float(np.nanmax(ratio)), 1.0)
        left.set_ylim(max(float(np.nanmin(ratio)), -0.5 * top) - 0.5, top + 1.0)
    if summary.exhaustion_year is not None:
        left.axvline(summary.exhaustion_year, color="tab:red", ls=":", lw=1)
        left.annotate(f"reserve exhausted\n{summary.exhaustion_year}", (summary.exhaustion_year, 0.0),
                      xytext=(6, 20), textcoords="offset points", color="tab:red", fontsize=8)
    left.set_title("Reserve ratio (years of expenditure)", fontsize=10)
    left.set_xlabel("year")
    left.grid(alpha=0.3)

    percent = 100.0
    right.plot(years, percent * summary.payg_cost_rate, color="tab:red", lw=2, label="PAYG cost rate")
    right.step(years, percent * summary.scaled_premium, where="post", color="tab:green", lw=1.5,
               label=f"scaled premium ({period_length}-year periods)")
    styles = ["--", "-."]
    for k, (horizon, gap) in enumerate(summary.general_average_premiums.items()):
        right.hlines(percent * gap, years[0], years[horizon - 1], colors="tab:purple", linestyles=styles[k % 2],
                     lw=1.5, label=f"GAP {horizon} years: {gap:.1%}")
    right.step(years, percent * summary.contribution_rate, where="post", color="black", lw=1.2,
               label="contribution rate")
    right.set_title("Financing systems (% of insurable earnings)", fontsize=10)
    right.set_xlabel("year")
    right.set_ylim(bottom=0)
    right.grid(alpha=0.3)
    right.legend(fontsize=7, loc="upper left")
    if title:
        figure.suptitle(title, fontsize=10)
    return figure


def write_scheme_figure(path: Path | str = "docs/figures/scheme-financing.png", *, scheme: str = "jor-ssc-synthetic",
                        years: int = 75, dpi: int = 90) -> FinancingSummary:
    """Value a synthetic scheme of ``qsp.data`` and save the financing figure as a PNG; return its headline figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..data.scheme import load_scheme

    loaded = load_scheme(scheme)
    valuation = loaded.value(years=years)
    title = (f"SYNTHETIC scheme {loaded.name} (calibrated to Jordan's SSC, valuation {loaded.valuation_date}): "
             f"{years}-year projection")
    figure = plot_scheme_financing(valuation, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, metadata={"Software": None})
    plt.close(figure)
    return financing_summary(valuation)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the financing figure of a synthetic scheme.")
    parser.add_argument("--out", type=Path, default=Path("docs/figures/scheme-financing.png"))
    parser.add_argument("--scheme", default="jor-ssc-synthetic")
    parser.add_argument("--years", type=int, default=75)
    args = parser.parse_args(argv)
    summary = write_scheme_figure(args.out, scheme=args.scheme, years=args.years)
    rates = summary.payg_cost_rate
    picks = [k for k in (0, 24, 49, 74) if k < rates.size]
    print(f"{args.out}: PAYG cost rate " + ", ".join(f"{summary.years[k]}: {rates[k]:.1%}" for k in picks)
          + "; " + ", ".join(f"GAP {h} years {g:.1%}" for h, g in summary.general_average_premiums.items())
          + f"; contributions below expenditure from {summary.first_deficit_year}; reserve exhausted in "
          f"{summary.exhaustion_year}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
