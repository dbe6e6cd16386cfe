"""The figures the lectures use: population pyramids, survival curves, projections, fan charts
and dependency ratios.

Every function draws on the Axes it is given (or on a new figure) and returns that Axes, so a
notebook can add to it. matplotlib is imported inside the functions: ``import qsp`` stays fast.

Colours come from the Okabe & Ito (2008) palette, which stays distinguishable under the common
forms of colour blindness: females orange, males blue, comparisons black outlines.
Counts are shown in thousands by default (``scale=1000``); pass ``scale=1`` for data that is
already in thousands (as UN WPP tables are) and change ``xlabel``/``ylabel`` if needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import check_sex_axis, check_values
from .demography.ages import age_labels, check_ages, single_ages

# Okabe & Ito (2008), "Color Universal Design": https://jfly.uni-koeln.de/color/
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
FEMALE_COLOUR = OKABE_ITO["orange"]
MALE_COLOUR = OKABE_ITO["blue"]
CYCLE = [OKABE_ITO[name] for name in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "black")]

_SCALE_WORDS = {1: "", 1_000: " (thousands)", 1_000_000: " (millions)"}


def _new_axes(ax, figsize=(7, 5)):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _count_label(what: str, scale: float) -> str:
    if scale <= 0:
        raise ValueError(f"scale must be a positive divisor of the counts (e.g. 1000 for thousands), got {scale!r}.")
    return what + _SCALE_WORDS.get(scale, f" (per {scale:g})")


def _group_population(population: np.ndarray, grid: np.ndarray, group: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Sum single ages into groups of ``group`` years (the last group open); return (2, G), starts."""
    from .demography.indicators import age_group_totals

    if group is None or group == 1:
        return population, grid
    if int(group) != group or group < 1:
        raise ValueError(f"group must be a whole number of years (1 for single ages, 5 for five-year groups), got {group!r}.")
    starts = np.arange(0, grid[-1] + 1, int(group), dtype=np.float64)
    missing = [f"{start:g}" for start in starts if start not in grid]
    if missing:
        raise ValueError(
            f"group={group} needs groups starting at ages {', '.join(missing)}, which the age grid lacks; "
            "use group=None to plot the grid's own age intervals."
        )
    return age_group_totals(population, starts, ages=grid, by_sex=True), starts


def pyramid(
    population,
    *,
    ages=None,
    ax=None,
    compare=None,
    compare_label: str = "comparison",
    title: str | None = None,
    as_share: bool = False,
    group: int | None = 5,
    scale: float = 1_000,
    xlabel: str | None = None,
):
    """Population pyramid: males to the left, females to the right, youngest at the bottom.

    Parameters
    ----------
    population : array_like, shape (sex, age)
        One population (sex 0 = female, 1 = male); pick a year or scenario first, e.g.
        ``projection.population[-1]``.
    ages : array_like, optional
        Age grid (default single ages ``0..omega``).
    ax : matplotlib Axes, optional
        Where to draw (default a new figure).
    compare : array_like, shape (sex, age), optional
        A second population on the same age grid, drawn as a black outline over the bars
        (e.g. the UN WPP estimate to compare a projection with).
    compare_label : str
        Legend label of ``compare``.
    title : str, optional
        Axes title.
    as_share : bool, default False
        Plot each bar as a share of the total population (both sexes), shown in percent, so
        that populations of different sizes can be compared by shape.
    group : int or None, default 5
        Width of the age groups in years (5 gives 0-4, 5-9, ..., with the last group open,
        e.g. "100+"); 1 or None plots the grid's own intervals.
    scale : float, default 1000
        Divide counts by this for display (1000: thousands). Ignored when ``as_share``.
    xlabel : str, optional
        Override the horizontal-axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the population has batch axes, negative or missing counts, or ``compare`` does not
        match its shape.

    Examples
    --------
    >>> import numpy as np
    >>> ax = pyramid(np.full((2, 101), 1000.0), title="Uniform population")
    """
    from matplotlib.ticker import FuncFormatter

    counts = check_values("population", population, lower=0.0, what="population count")
    check_sex_axis("population", counts)
    if counts.ndim != 2:
        raise ValueError(
            f"population must be one population of shape (sex, age), but it has shape {counts.shape}; "
            "select one year or scenario first, e.g. projection.population[-1]."
        )
    grid = np.asarray(check_ages(ages) if ages is not None else single_ages(counts.shape[-1] - 1), dtype=np.float64)
    if grid.size != counts.shape[-1]:
        raise ValueError(f"population has {counts.shape[-1]} ages but ages has {grid.size} entries; give one per age.")
    grouped, starts = _group_population(counts, grid, group)
    if compare is not None:
        other = check_values("compare", compare, lower=0.0, what="population count")
        if other.shape != counts.shape:
            raise ValueError(
                f"compare must have the same shape as population {counts.shape}, but it has shape {other.shape}."
            )
        other_grouped, _ = _group_population(other, grid, group)
    total = grouped.sum()
    if as_share:
        if total <= 0:
            raise ValueError("population is all zeros, so shares are undefined; plot counts instead.")
        divisor = total
        label = xlabel or "Share of the total population (%)"
    else:
        divisor = scale
        label = xlabel or _count_label("Population", scale)
    values = grouped / divisor

    ax = _new_axes(ax, figsize=(7, 6))
    positions = np.arange(starts.size)
    height = 0.9 if starts.size <= 30 else 1.0
    ax.barh(positions, -values[1], height=height, color=MALE_COLOUR, label="Males")
    ax.barh(positions, values[0], height=height, color=FEMALE_COLOUR, label="Females")
    extent = values.max()
    if compare is not None:
        other_total = other_grouped.sum()
        other_values = other_grouped / (other_total if as_share and other_total > 0 else divisor)
        edges = np.arange(starts.size + 1) - 0.5
        outline = ax.stairs(-other_values[1], edges, orientation="horizontal", color="black", linewidth=1.2,
                            baseline=None, label=compare_label)
        ax.stairs(other_values[0], edges, orientation="horizontal", color="black", linewidth=1.2, baseline=None)
        extent = max(extent, other_values.max())
    ax.axvline(0.0, color="black", linewidth=0.6)
    if extent > 0:
        ax.set_xlim(-1.08 * extent, 1.08 * extent)
    ax.set_ylim(-0.6, starts.size - 0.4)

    labels = age_labels(starts)
    step = 1 if starts.size <= 30 else 10
    ax.set_yticks(positions[::step], labels[::step])
    ax.set_ylabel("Age")
    if as_share:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{abs(x) * 100:g}"))
    else:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{abs(x):,.6g}"))
    ax.set_xlabel(label)
    ax.text(0.02, 0.98, "Males", transform=ax.transAxes, ha="left", va="top", color=MALE_COLOUR, fontweight="bold")
    ax.text(0.98, 0.98, "Females", transform=ax.transAxes, ha="right", va="top", color=FEMALE_COLOUR, fontweight="bold")
    if compare is not None:
        ax.legend(handles=[outline], loc="upper right", bbox_to_anchor=(1.0, 0.94), frameon=False)
    if title:
        ax.set_title(title)
    return ax


def _curves(lx, labels) -> list[tuple[str, np.ndarray]]:
    """Normalise the inputs of :func:`survival_curves` to (label, 1-D curve) pairs."""
    if isinstance(lx, Mapping):
        pairs = [(str(key), getattr(value, "lx", value)) for key, value in lx.items()]
    else:
        values = getattr(lx, "lx", lx)
        arr = np.asarray(values, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[None]
        if arr.ndim != 2:
            raise ValueError(
                f"lx must be one curve (age,) or a stack of curves (curve, age), got shape {arr.shape}; "
                "pass a dict {label: lx} for several tables."
            )
        if labels is None:
            labels = ["Females", "Males"] if arr.shape[0] == 2 else [f"curve {i}" for i in range(arr.shape[0])]
        if len(labels) != arr.shape[0]:
            raise ValueError(f"labels has {len(labels)} entries but there are {arr.shape[0]} curves.")
        pairs = list(zip(labels, arr))
    checked = []
    for label, values in pairs:
        curve = check_values(f"lx[{label!r}]", values, lower=0.0, trailing=("age",), what="number of survivors")
        if curve.ndim != 1:
            raise ValueError(f"lx[{label!r}] must be one curve over ages, got shape {curve.shape}.")
        checked.append((label, curve))
    if not checked:
        raise ValueError("lx holds no curves to plot.")
    return checked


def survival_curves(
    lx,
    *,
    ages=None,
    ax=None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    as_share: bool = False,
):
    """Survival curves ``l_x``: the survivors to each exact age out of the radix ``l_0``.

    Parameters
    ----------
    lx : dict, LifeTable or array_like
        ``{label: lx}`` (each a 1-D array or a single-sex LifeTable), a LifeTable (its ``lx``),
        one curve ``(age,)`` or a stack ``(curve, age)``; a stack of two is labelled
        Females/Males (sex 0, 1).
    ages : array_like, optional
        Exact ages of the curve points (default ``0, 1, ..., len - 1``).
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        Legend labels for an array of curves.
    title : str, optional
    as_share : bool, default False
        Divide each curve by its own ``l_0`` and show the share surviving in percent.

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Preston, Heuveline & Guillot (2001), *Demography*, section 3.1.
    """
    from matplotlib.ticker import StrMethodFormatter

    curves = _curves(lx, labels)
    ax = _new_axes(ax)
    by_sex = [label for label, _ in curves] == ["Females", "Males"]
    for i, (label, curve) in enumerate(curves):
        grid = np.arange(curve.size) if ages is None else np.asarray(ages, dtype=np.float64)
        if grid.shape != curve.shape:
            raise ValueError(f"ages has {grid.size} entries but lx[{label!r}] has {curve.size}.")
        values = curve / curve[0] * 100 if as_share and curve[0] > 0 else curve
        colour = (FEMALE_COLOUR, MALE_COLOUR)[i] if by_sex else CYCLE[i % len(CYCLE)]
        ax.plot(grid, values, color=colour, linewidth=1.8, label=label)
    radix = curves[0][1][0]
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("Exact age x (years)")
    ax.set_ylabel("Survivors to age x (% of births)" if as_share else f"Survivors l(x) out of {radix:,.0f} births")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    if len(curves) > 1:
        ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


def _population_over_time(data, years, name: str = "projection") -> tuple[np.ndarray, np.ndarray]:
    """Return (population (..., T, sex, age), years (T,)) from a Projection or an array."""
    if hasattr(data, "population"):
        years = getattr(data, "years", None) if years is None else years
        data = data.population
    arr = check_values(name, data, lower=0.0, trailing=("year", "sex", "age"), what="population count")
    if arr.ndim < 3:
        raise ValueError(
            f"{name} must be a Projection or an array (..., year, sex, age), got shape {arr.shape}."
        )
    check_sex_axis(name, arr)
    grid = np.arange(arr.shape[-3]) if years is None else np.asarray(years)
    if grid.shape != (arr.shape[-3],):
        raise ValueError(f"years must hold one entry per projected year ({arr.shape[-3]}), got shape {grid.shape}.")
    return arr, grid


def plot_projection(
    projection,
    *,
    years=None,
    ax=None,
    by: str = "total",
    bounds: Sequence[int] = (0, 15, 65),
    labels: Sequence[str] | None = None,
    scale: float = 1_000,
    title: str | None = None,
):
    """Projected population over time.

    Parameters
    ----------
    projection : Projection or array_like
        A result of :func:`qsp.demography.project`, a population ``(..., year, sex, age)`` or
        totals ``(..., year)``. Leading axes are scenarios: one line each.
    years : array_like, optional
        The years (taken from the Projection when given one).
    ax : matplotlib Axes, optional
    by : {"total", "sex", "age_group"}, default "total"
        ``"total"``: one line per scenario; ``"sex"``: females and males (one scenario);
        ``"age_group"``: stacked areas of the groups starting at ``bounds`` (one scenario).
    bounds : sequence of int, default (0, 15, 65)
        Lower bounds of the age groups for ``by="age_group"`` (UN broad groups 0-14, 15-64, 65+).
    labels : sequence of str, optional
        Scenario labels for ``by="total"``.
    scale : float, default 1000
        Divide counts by this for display (thousands).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.ticker import StrMethodFormatter

    if by not in ("total", "sex", "age_group"):
        raise ValueError(f"by must be 'total', 'sex' or 'age_group', got {by!r}.")
    ylabel = _count_label("Population", scale)
    if hasattr(projection, "population") or np.ndim(projection) >= 3:
        population, grid = _population_over_time(projection, years)
        totals = population.sum(axis=(-2, -1))
    else:
        if by != "total":
            raise ValueError(f"by={by!r} needs populations by sex and age (..., year, sex, age), not totals.")
        totals = check_values("projection", projection, lower=0.0, trailing=("year",), what="population total")
        if totals.ndim == 0:
            raise ValueError("projection must have a year axis: give totals (..., year) or a population.")
        grid = np.arange(totals.shape[-1]) if years is None else np.asarray(years)
        if grid.shape != (totals.shape[-1],):
            raise ValueError(f"years must hold one entry per year ({totals.shape[-1]}), got shape {grid.shape}.")
    ax = _new_axes(ax)
    if by == "total":
        lines = totals.reshape(-1, totals.shape[-1])
        if labels is None:
            labels = ["Total population"] if lines.shape[0] == 1 else [f"scenario {i}" for i in range(lines.shape[0])]
        if len(labels) != lines.shape[0]:
            raise ValueError(f"labels has {len(labels)} entries but there are {lines.shape[0]} scenarios.")
        for i, (label, line) in enumerate(zip(labels, lines)):
            ax.plot(grid, line / scale, color=CYCLE[i % len(CYCLE)], linewidth=1.8, label=label)
        if lines.shape[0] > 1:
            ax.legend(frameon=False)
    else:
        if population.ndim != 3:
            raise ValueError(
                f"by={by!r} plots one scenario (year, sex, age), but the population has shape {population.shape}; "
                "select a scenario first."
            )
        if by == "sex":
            ax.plot(grid, population[:, 0].sum(-1) / scale, color=FEMALE_COLOUR, linewidth=1.8, label="Females")
            ax.plot(grid, population[:, 1].sum(-1) / scale, color=MALE_COLOUR, linewidth=1.8, label="Males")
        else:
            from .demography.indicators import age_group_totals

            groups = age_group_totals(population, bounds)
            group_labels = _group_labels(bounds)
            colours = [OKABE_ITO[c] for c in ("bluish_green", "sky_blue", "vermillion", "reddish_purple", "orange")]
            ax.stackplot(grid, (groups / scale).T, labels=group_labels,
                         colors=[colours[i % len(colours)] for i in range(groups.shape[-1])], alpha=0.9)
        ax.legend(frameon=False, loc="upper left")
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.6g}"))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def _group_labels(bounds: Sequence[int]) -> list[str]:
    starts = [int(b) for b in bounds]
    labels = [f"{a}-{b - 1}" for a, b in zip(starts[:-1], starts[1:])]
    labels.append(f"{starts[-1]}+")
    return labels


def fan_chart(
    years,
    draws,
    *,
    quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    ax=None,
    color: str = MALE_COLOUR,
    label: str | None = None,
    title: str | None = None,
    ylabel: str | None = None,
):
    """Fan chart of stochastic draws: shaded bands between symmetric quantiles, median line.

    For quantiles ``q_1 < ... < q_k`` the band ``i`` spans ``q_i`` to ``q_{k+1-i}`` (e.g. the
    90% band 5-95% and the 50% band 25-75%), darker towards the centre; the middle quantile
    (the median for the default) is drawn as a line.

    Parameters
    ----------
    years : array_like, shape (T,)
    draws : array_like, shape (n_draws, T)
        One simulated path per row (e.g. e0 or the total population of each draw).
    quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
        Increasing, in (0, 1), symmetric around 0.5 and an odd number of them.
    ax : matplotlib Axes, optional
    color : str
        Colour of the bands and the median line.
    label, title, ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Britton, Fisher & Whitley (1998), "The Inflation Report projections: understanding the fan
    chart", Bank of England Quarterly Bulletin 38(1).
    """
    grid = np.asarray(years)
    paths = check_values("draws", draws, trailing=("draw", "year"), what="value")
    if paths.ndim != 2:
        raise ValueError(f"draws must have shape (n_draws, year), got {paths.shape}.")
    if grid.shape != (paths.shape[1],):
        raise ValueError(f"years has shape {grid.shape} but draws has {paths.shape[1]} years (columns).")
    if paths.shape[0] < 2:
        raise ValueError(f"draws must hold at least two draws (rows) to form quantiles, got {paths.shape[0]}.")
    probs = np.asarray(quantiles, dtype=np.float64)
    if probs.ndim != 1 or probs.size % 2 == 0 or np.any(np.diff(probs) <= 0) or probs[0] <= 0 or probs[-1] >= 1:
        raise ValueError(
            f"quantiles must be an odd number of increasing probabilities in (0, 1), e.g. (0.05, 0.5, 0.95); "
            f"got {tuple(quantiles)}."
        )
    if not np.allclose(probs + probs[::-1], 1.0):
        raise ValueError(f"quantiles must be symmetric around 0.5 (e.g. 0.05 with 0.95), got {tuple(quantiles)}.")
    levels = np.quantile(paths, probs, axis=0)
    ax = _new_axes(ax)
    half = probs.size // 2
    for i in range(half):
        coverage = probs[-1 - i] - probs[i]
        ax.fill_between(grid, levels[i], levels[-1 - i], color=color, alpha=0.18 + 0.22 * i / max(half - 1, 1),
                        linewidth=0, label=f"{coverage:.0%} interval")
    ax.plot(grid, levels[half], color=color, linewidth=2.0, label=label or f"{probs[half]:.0%} quantile (median)")
    ax.set_xlabel("Year")
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


def dependency_ratios(
    projection,
    *,
    years=None,
    ax=None,
    working_start: int = 15,
    old_start: int = 65,
    title: str | None = None,
):
    """Youth, old-age and total dependency ratios over time (per 100 persons of working age).

    Parameters
    ----------
    projection : Projection or array_like, shape (year, sex, age)
        One scenario's population over time.
    years : array_like, optional
        The years (taken from the Projection when given one).
    ax : matplotlib Axes, optional
    working_start, old_start : int, default 15 and 65
        UN age bounds: children under 15, working ages 15-64, older persons 65+
        (see :func:`qsp.demography.dependency_ratios`).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from .demography.indicators import dependency_ratios as ratios_of

    population, grid = _population_over_time(projection, years)
    if population.ndim != 3:
        raise ValueError(
            f"dependency_ratios plots one scenario (year, sex, age), but the population has shape "
            f"{population.shape}; select a scenario first."
        )
    ratios = ratios_of(population, working_start=working_start, old_start=old_start)
    ax = _new_axes(ax)
    ax.plot(grid, 100 * ratios.total, color=OKABE_ITO["black"], linewidth=2.0, label="Total")
    ax.plot(grid, 100 * ratios.youth, color=OKABE_ITO["bluish_green"], linewidth=1.8, linestyle="--",
            label=f"Youth (0-{working_start - 1})")
    ax.plot(grid, 100 * ratios.old_age, color=OKABE_ITO["vermillion"], linewidth=1.8, linestyle="-.",
            label=f"Old-age ({old_start}+)")
    ax.set_xlabel("Year")
    ax.set_ylabel(f"Dependants per 100 persons aged {working_start}-{old_start - 1}")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax
