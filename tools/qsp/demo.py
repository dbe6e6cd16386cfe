"""The demography demo that ``make course`` builds: every kit country projected 2020-2070.

For each country in ``datasets/`` it projects the 2020 base population with the country's
derived UN WPP 2024 (medium variant) rates, and writes to the output folder:

- ``summary.csv``: one row per country and year: total population, youth, old-age and total
  dependency ratios, potential support ratio, median age;
- ``wpp_agreement_by_decade.csv``: the kit's projection against WPP 2024's own figures for
  every decade: totals and their relative difference, the index of dissimilarity of the age-sex
  structures (share of the population that would have to move between the 42 sex x 5-year
  cells to make the two structures equal), and the worst single 5-year age-sex group aged 0-84
  and 85-99 (``make data`` writes the same measures for 2030-2070 to ``build/wpp_agreement.csv``);
- ``pyramids/<ISO3>.png``: the 2020 and the final-year pyramids, the latter with WPP's
  outline for comparison.

Run it with ``python -m qsp.demo --out build`` (what ``make course`` does).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np


def index_of_dissimilarity(population, reference) -> np.ndarray:
    """Index of dissimilarity ``D = 1/2 sum |a_i / A - b_i / B|`` over the cells of the last axes.

    Parameters
    ----------
    population, reference : array_like, shape (..., sex, group)
        Two populations on the same grid.

    Returns
    -------
    ndarray, shape (...)
        ``D`` as a fraction (0: identical structures, 1: no overlap).
    """
    population = np.asarray(population, dtype=float)
    reference = np.asarray(reference, dtype=float)
    share = population / population.sum(axis=(-2, -1), keepdims=True)
    reference_share = reference / reference.sum(axis=(-2, -1), keepdims=True)
    return 0.5 * np.abs(share - reference_share).sum(axis=(-2, -1))


def country_tables(iso3: str, *, until: int = 2070):
    """Project one country and return its summary and WPP-agreement tables (pandas frames)."""
    import pandas as pd

    from qsp.data import load_country
    from qsp.data.wpp import compare_with_wpp
    from qsp.demography.graduation import group
    from qsp.demography.indicators import dependency_ratios, median_age

    country = load_country(iso3)
    projection = country.project(until=until)
    population = projection.population  # (year, sex, age)
    ratios = dependency_ratios(population)
    summary = pd.DataFrame(
        {
            "iso3": country.iso3,
            "country": country.name,
            "year": projection.years,
            "population": population.sum(axis=(-2, -1)),
            "youth_dependency": ratios.youth,
            "old_age_dependency": ratios.old_age,
            "total_dependency": ratios.total,
            "potential_support": ratios.potential_support,
            "median_age": median_age(population),
        }
    )

    rows = []
    years = list(projection.years)
    for position, year in enumerate(country.wpp_years):
        if year not in years:
            continue
        grouped = group(population[years.index(year)], width=5)
        reference = country.wpp_reference[position]
        ours, theirs = grouped.sum(), reference.sum()
        measures = compare_with_wpp(grouped, reference)
        rows.append(
            {
                "iso3": country.iso3,
                "year": int(year),
                "method": country.method,
                "qsp_population": ours,
                "wpp_population": theirs,
                "relative_difference": ours / theirs - 1,
                "index_of_dissimilarity": float(index_of_dissimilarity(grouped, reference)),
                "worst_group_0_84": measures["worst_0-84"],
                "worst_group_0_84_where": measures["worst_0-84_where"],
                "worst_group_85_99": measures["worst_85-99"],
                "worst_group_85_99_where": measures["worst_85-99_where"],
            }
        )
    return country, projection, summary, pd.DataFrame(rows)


def draw_pyramids(country, projection, path: Path) -> None:
    """Save the base-year and final-year pyramids of one country, the latter against WPP."""
    import matplotlib.pyplot as plt

    from qsp.demography.graduation import graduate
    from qsp.plots import pyramid

    final_year = int(projection.years[-1])
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 5), sharey=True)
    pyramid(projection.population[0], ax=left, title=f"{country.short_name}, {int(projection.years[0])}")
    compare = None
    matches = np.flatnonzero(country.wpp_years == final_year)
    if matches.size:
        compare = graduate(country.wpp_reference[matches[0]], method="beers")
    pyramid(
        projection.population[-1],
        ax=right,
        compare=compare,
        compare_label="UN WPP 2024",
        title=f"{country.short_name}, {final_year} (qsp projection)",
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def build(out: Path, *, until: int = 2070, countries: list[str] | None = None) -> dict[str, Path]:
    """Build the demo into ``out``; return the paths written, by kind."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from qsp.data import countries as available

    codes = countries or sorted(available())
    out.mkdir(parents=True, exist_ok=True)
    summaries, agreements = [], []
    for iso3 in codes:
        country, projection, summary, agreement = country_tables(iso3, until=until)
        summaries.append(summary)
        agreements.append(agreement)
        draw_pyramids(country, projection, out / "pyramids" / f"{country.iso3}.png")
    paths = {"summary": out / "summary.csv", "wpp_agreement": out / "wpp_agreement_by_decade.csv", "pyramids": out / "pyramids"}
    pd.concat(summaries).to_csv(paths["summary"], index=False, float_format="%.6g")
    pd.concat(agreements).to_csv(paths["wpp_agreement"], index=False, float_format="%.6g")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m qsp.demo [--out build] [--until 2070] [--countries ...]``."""
    parser = argparse.ArgumentParser(prog="python -m qsp.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    parser.add_argument("--until", type=int, default=2070, help="last projection year (default: 2070)")
    parser.add_argument("--countries", nargs="*", help="ISO3 codes or names (default: all)")
    args = parser.parse_args(argv)
    import pandas as pd

    paths = build(args.out, until=args.until, countries=args.countries)
    summary = pd.read_csv(paths["summary"])
    agreement = pd.read_csv(paths["wpp_agreement"])
    final = summary[summary.year == summary.year.max()]
    start = summary[summary.year == summary.year.min()]
    table = pd.DataFrame(
        {
            "country": start.country.values,
            f"pop {start.year.iloc[0]} (M)": (start.population.values / 1e6).round(1),
            f"pop {final.year.iloc[0]} (M)": (final.population.values / 1e6).round(1),
            f"old-age dep. {final.year.iloc[0]}": final.old_age_dependency.values.round(3),
            f"median age {final.year.iloc[0]}": final.median_age.values.round(1),
        }
    )
    print(table.to_string(index=False))
    worst = agreement.loc[agreement.index_of_dissimilarity.idxmax()]
    group_row = agreement.loc[agreement.worst_group_0_84.abs().idxmax()]
    print(
        f"\nAgainst UN WPP 2024: largest total difference {agreement.relative_difference.abs().max():.2%} "
        f"(relative); largest age-structure dissimilarity {worst.index_of_dissimilarity:.2%} "
        f"({worst.iso3}, {int(worst.year)}); worst single 5-year age-sex group aged 0-84 "
        f"{group_row.worst_group_0_84:+.2%} ({group_row.iso3} {group_row.worst_group_0_84_where}, {int(group_row.year)})."
    )
    print(f"\nWrote {paths['summary']}, {paths['wpp_agreement']} and {paths['pyramids']}/<ISO3>.png")
    print("Open the course in JupyterLab with: make lab")
    return 0


if __name__ == "__main__":
    sys.exit(main())
