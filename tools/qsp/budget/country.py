"""A status-quo social budget of a kit country, calibrated on its base-year figures.

:func:`status_quo_budget` wires the kit's country data (:func:`qsp.data.load_country`) into a
:class:`~qsp.budget.model.SocialBudgetModel`:

- the macro frame from the country's base-year figures and labelled long-run assumptions
  (``Country.macro_assumptions``, :func:`qsp.economy.project_macro`);
- the population from the country's cohort-component projection (``Country.project``), from
  the economic base year on;
- one branch per published expenditure figure of ``social_protection.csv`` (percent of GDP):
  pensions (``sp_expenditure_old_age``), children and families (``sp_expenditure_children``),
  health (``health_expenditure_public``) and the rest of social protection (``sp_expenditure``
  less the first two), with beneficiaries from the population (age bands times the published
  coverage, when there is one) and the base-year average benefit *calibrated* so that the
  branch's base-year expenditure equals the published share of GDP (Scholz, Cichon and
  Hagemejer 2000, chapter 8: the model is calibrated on the Social Accounting System's base
  year); where the country publishes no figure, the data hold a labelled assumption (status
  ``assumption``, the note names the benchmark), listed with :func:`base_year_figures`;
- financing: by default each branch keeps the revenue it had in the base year as a constant
  share of GDP (an assumption, labelled), so that the financing gap shows how far the cost
  outgrows the economy.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .branches import Branch, RevenueSource, beneficiaries_from_population
from .model import SocialBudgetModel

EXPENDITURE_INDICATORS = {
    "pensions": "sp_expenditure_old_age",
    "children_and_families": "sp_expenditure_children",
    "health": "health_expenditure_public",
}
"""Branch -> indicator of ``social_protection.csv`` giving its base-year expenditure (percent of GDP).
The branch ``"other"`` is ``sp_expenditure - sp_expenditure_old_age - sp_expenditure_children``
(``sp_expenditure`` excludes health)."""

COVERAGE_INDICATORS = {"pensions": "sp_coverage_old_age", "children_and_families": "sp_coverage_children"}
"""Branch -> indicator giving the share (percent) of its age group that receives the benefit."""

DEFAULT_INDEXATION = {"pensions": "prices", "children_and_families": "prices", "health": "wages", "other": "prices"}
"""Default indexation of each branch: cash benefits with prices, health care (mostly wages of health
staff) with wages."""

FINANCING = ("base_year_share_of_gdp", "none")


def status_quo_budget(country, *, until: int = 2040, expenditure_shares: Mapping[str, float] | None = None,
                      pension_age: int = 65, child_max_age: int = 15, admin_share: float = 0.0,
                      indexation: Mapping[str, str | float] | None = None,
                      financing: str = "base_year_share_of_gdp") -> SocialBudgetModel:
    """A status-quo social budget of a kit country, calibrated on its base-year expenditure by branch.

    For each branch ``b`` with base-year expenditure ``e_b`` (a share of GDP) and beneficiaries
    ``N_b,0`` in the base year::

        average_benefit_b,0 = e_b x GDP_0 / (N_b,0 x (1 + admin_share))

    so that ``expenditure_b,0 = e_b x GDP_0``; later years follow the beneficiaries (from the
    population projection) and the indexation. Beneficiaries: pensions, everyone aged
    ``pension_age``+ times the old-age coverage; children and families, everyone under
    ``child_max_age`` times the child coverage; health, the whole population; other, the
    working-age population ``15 .. pension_age - 1``. With ``financing="base_year_share_of_gdp"``
    each branch is financed by a government transfer equal to its base-year share of GDP every
    year (an assumption: base-year balances are zero); with ``"none"`` there is no revenue and
    the financing gap is the whole expenditure.

    Parameters
    ----------
    country : str or Country
        A kit country (name or ISO3 code) or the result of :func:`qsp.data.load_country`.
    until : int, default 2040
        Last projection year (at least 15 years after the base year is what a social budget needs).
    expenditure_shares : mapping, optional
        Branch -> base-year expenditure as a fraction of GDP, for figures the data lacks or to
        replace them (e.g. ``{"pensions": 0.021}``); branches: pensions, children_and_families,
        health, other.
    pension_age, child_max_age : int, default 65 and 15
        Age bands of the pension and child branches.
    admin_share : float, default 0
        Administration as a share of benefit expenditure (the published totals include it).
    indexation : mapping, optional
        Branch -> indexation, replacing :data:`DEFAULT_INDEXATION`.
    financing : {"base_year_share_of_gdp", "none"}, default "base_year_share_of_gdp"

    Returns
    -------
    SocialBudgetModel
        ``.project()`` gives the status quo; ``.reform(...)`` a reform. Where a country has no published
        figure for a branch, its data hold a labelled assumption (an ILO income-group or regional
        benchmark, see datasets/README.md): :func:`base_year_figures` lists each base-year share with its
        status, source and note.

    Raises
    ------
    ValueError
        A branch with no base-year figure in the data and none in ``expenditure_shares`` (the
        message names the indicator), a negative "other" remainder, an unknown branch or financing,
        shares outside [0, 1].
    MissingDatasetError
        The country has no economic files.

    Examples
    --------
    >>> from qsp.budget import status_quo_budget
    >>> model = status_quo_budget("GHA", until=2040, expenditure_shares={
    ...     "pensions": 0.012, "children_and_families": 0.002, "health": 0.02, "other": 0.004})
    >>> budget = model.project()                    # budget.table(), budget.summary(), plots
    >>> int(budget.years[-1] - budget.years[0]), round(float(budget.share_of_gdp("total_expenditure")[0]), 6)
    (17, 0.038)

    References
    ----------
    Scholz, W., Cichon, M. and Hagemejer, K. (2000). *Social Budgeting*. ILO/ISSA, chapters 7-8 (the
    Social Accounting System as the base year of the social budget model). ILO (2021). *World Social
    Protection Report 2020-22*, Annex tables (expenditure by function, SDG 1.3.1 coverage).
    """
    from ..costing.benefits import Eligibility
    from ..data import load_country
    from ..economy.macro import project_macro

    if isinstance(country, str):
        country = load_country(country)
    if financing not in FINANCING:
        raise ValueError(f"financing must be one of {FINANCING}, got {financing!r}.")
    branches_known = tuple(DEFAULT_INDEXATION)
    for label, mapping in (("expenditure_shares", expenditure_shares), ("indexation", indexation)):
        unknown = sorted(set(mapping or {}) - set(branches_known))
        if unknown:
            raise ValueError(f"{label} names unknown branch(es) {unknown}; the branches are {list(branches_known)}.")
    shares = _base_year_shares(country, expenditure_shares)[0]
    social = country.social_protection

    def figure(indicator: str) -> float | None:
        value = social.get(indicator)
        return None if value is None else value / 100.0

    assumptions = country.macro_assumptions(until=until)
    base_year = int(assumptions.base_year)
    years = np.arange(base_year, int(until) + 1)
    population = country.project(until=int(until)).population[base_year - country.base_year:]
    macro = project_macro(assumptions, years=years, population_total=population.sum(axis=(-2, -1)))
    gdp0 = float(macro.nominal_gdp[..., 0])

    def coverage(branch: str) -> float:
        value = figure(COVERAGE_INDICATORS[branch]) if branch in COVERAGE_INDICATORS else None
        return 1.0 if value is None else value

    groups = {
        "pensions": Eligibility(min_age=pension_age, label=f"aged {pension_age}+"),
        "children_and_families": Eligibility(max_age=child_max_age, label=f"under {child_max_age}"),
        "health": Eligibility(label="everyone"),
        "other": Eligibility(min_age=15, max_age=pension_age, label=f"aged 15-{pension_age - 1}"),
    }
    rules = dict(DEFAULT_INDEXATION)
    rules.update(indexation or {})
    branches, revenues = [], []
    for name, group in groups.items():
        beneficiaries = beneficiaries_from_population(population, group, take_up=coverage(name))
        base = float(beneficiaries[0])
        level = shares[name] * gdp0 / (base * (1.0 + admin_share)) if base > 0 else 0.0
        branches.append(Branch(name=name, beneficiaries=beneficiaries, average_benefit=level, indexation=rules[name],
                               admin_share=admin_share, years=years))
        if financing == "base_year_share_of_gdp":
            revenues.append(RevenueSource(name=f"government, {name}", kind="government_transfers", branch=name,
                                          rate=shares[name], base="gdp"))
    return SocialBudgetModel(branches=branches, revenues=revenues, macro=macro, horizon=int(until))


_STATUS_RANK = {"published": 0, "given": 1, "derived": 2, "assumption": 3}
"""Order of certainty ("given" = passed by the user): a remainder is as uncertain as its least certain part."""


def _base_year_shares(country, expenditure_shares: Mapping[str, float] | None):
    """Base-year expenditure by branch (fractions of GDP) and, per branch, the record of where it comes from.

    The records are dicts with the columns of :func:`base_year_figures`. Raises the ValueErrors documented in
    :func:`status_quo_budget`.
    """
    social = country.social_protection
    overrides = dict(expenditure_shares or {})

    def figure(indicator: str) -> float | None:
        value = social.get(indicator)
        return None if value is None else value / 100.0

    def record(branch: str, indicator: str, value: float) -> dict:
        if branch in overrides:
            return {"branch": branch, "indicator": indicator, "year": None, "value": value, "status": "given",
                    "check": "n/a", "source": "expenditure_shares argument of status_quo_budget",
                    "note": "passed by the user, replacing the data"}
        row = social.figure(indicator)
        return {"branch": branch, "indicator": indicator, "year": row.year, "value": value, "status": row.status,
                "check": row.check, "source": row.source, "note": row.note}

    shares: dict[str, float] = {}
    records: dict[str, dict] = {}
    for branch, indicator in EXPENDITURE_INDICATORS.items():
        value = overrides.get(branch, figure(indicator))
        if value is None:
            raise ValueError(
                f"{country.iso3} has no base-year figure {indicator!r} (the {branch} branch's expenditure, percent of "
                f"GDP) in {social.path}; pass expenditure_shares={{'{branch}': fraction_of_gdp}} (e.g. from the ILO "
                f"World Social Protection Report) or add the figure with its source."
            )
        shares[branch] = float(value)
        records[branch] = record(branch, indicator, shares[branch])
    other_indicator = "sp_expenditure - sp_expenditure_old_age - sp_expenditure_children"
    if "other" in overrides:
        shares["other"] = float(overrides["other"])
        records["other"] = record("other", other_indicator, shares["other"])
    else:
        total = figure("sp_expenditure")
        if total is None:
            raise ValueError(
                f"{country.iso3} has no base-year figure 'sp_expenditure' (social protection expenditure excluding "
                f"health, percent of GDP) from which to take the 'other' branch; pass expenditure_shares="
                f"{{'other': fraction_of_gdp}} (0 to leave it out)."
            )
        shares["other"] = total - shares["pensions"] - shares["children_and_families"]
        if shares["other"] < -1e-12:
            raise ValueError(
                f"{country.iso3}: sp_expenditure ({100 * total:g}% of GDP) is less than old-age plus children's "
                f"expenditure ({100 * (shares['pensions'] + shares['children_and_families']):g}%); the figures are "
                f"inconsistent: pass expenditure_shares={{'other': ...}}."
            )
        shares["other"] = max(shares["other"], 0.0)
        parts = [record("other", "sp_expenditure", total), records["pensions"], records["children_and_families"]]
        status = max((part["status"] for part in parts), key=lambda name: _STATUS_RANK.get(name, 3))
        records["other"] = {
            "branch": "other", "indicator": other_indicator, "year": parts[0]["year"], "value": shares["other"],
            "status": status, "check": "n/a", "source": "kit calculation from the three figures named",
            "note": "; ".join(f"{part['indicator']} {100 * part['value']:g}% ({part['status']}, {part['year']})"
                              for part in parts) + "; negative remainders are set to 0",
        }
    for branch, value in shares.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"the base-year expenditure of {branch} is {value:g} of GDP; give a fraction between 0 "
                             f"and 1 (0.02 for 2% of GDP).")
    return shares, records


def base_year_figures(country, *, expenditure_shares: Mapping[str, float] | None = None):
    """Where each base-year branch share of :func:`status_quo_budget` comes from, and how far to trust it.

    One row per branch (pensions, children_and_families, health, other) with the fraction of GDP the
    budget is calibrated on and the provenance of the figure in the country's ``social_protection.csv``:
    ``status`` is ``published`` (as the cited source gives it), ``derived`` (computed by the kit from
    published figures, formula in the note), ``assumption`` (a labelled benchmark where no figure for the
    country was found: the note names the benchmark and the rule) or ``given`` (passed in
    ``expenditure_shares``). The "other" branch, ``sp_expenditure - sp_expenditure_old_age -
    sp_expenditure_children``, carries the status of its least certain part.

    Parameters
    ----------
    country : str or Country
        A kit country (name or ISO3 code) or the result of :func:`qsp.data.load_country`.
    expenditure_shares : mapping, optional
        As in :func:`status_quo_budget`.

    Returns
    -------
    pandas.DataFrame
        Columns ``branch, indicator, year, value, status, check, source, note``; ``value`` is a fraction of
        GDP, ``year`` the year the figure refers to (it may precede the economic base year).

    Raises
    ------
    ValueError
        As :func:`status_quo_budget` for missing or inconsistent figures.

    Examples
    --------
    >>> from qsp.budget import base_year_figures
    >>> figures = base_year_figures("GHA")
    >>> figures[["branch", "status"]].to_dict("records")[0]
    {'branch': 'pensions', 'status': 'derived'}

    References
    ----------
    ILO (2024). *World Social Protection Report 2024-26*, Annex 2 (measuring social protection expenditure).
    """
    import pandas as pd

    from ..data import load_country

    if isinstance(country, str):
        country = load_country(country)
    unknown = sorted(set(expenditure_shares or {}) - set(DEFAULT_INDEXATION))
    if unknown:
        raise ValueError(f"expenditure_shares names unknown branch(es) {unknown}; the branches are "
                         f"{list(DEFAULT_INDEXATION)}.")
    records = _base_year_shares(country, expenditure_shares)[1]
    columns = ["branch", "indicator", "year", "value", "status", "check", "source", "note"]
    return pd.DataFrame([records[branch] for branch in DEFAULT_INDEXATION], columns=columns)
