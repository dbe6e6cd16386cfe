"""The assumptions of the ILO costing of a basic social protection package, with their sources.

Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
afford basic social protection? First results of a modelling exercise*. Issues in Social
Protection, Discussion Paper 13, Social Security Department, ILO, Geneva (ISBN 92-2-116934-0).
Updated in ILO (2008), *Can low-income countries afford basic social security?* Social Security
Policy Briefings, Paper 3, Social Security Department, ILO, Geneva.

The 2008 briefing (p. 7) states the child benefit in these words: its level is "equal to half
of the universal pension amount, that is 15 per cent of GDP per capita with a maximum of half of
one US dollar PPP per day increased in line with inflation and paid for up to two children under
the age of 14 per woman who has given birth", with "the proportion of children within the covered
age group who would qualify for the benefit" taken from the Demographic and Health Surveys ("for
Cameroon 46.4 per cent"). Half of the pension being 15 per cent of GDP per capita capped at half a
dollar, the pension is 30 per cent of GDP per capita capped at US$1 PPP a day.

Each entry of :data:`PAL_2005_ASSUMPTIONS` says where its value comes from. Values this kit
could not check against the text of the paper (the health-care staff ratio, health wage multiple
and non-staff mark-up, the employment guarantee's target share and wage, the administration
loading) have NO default: :func:`pal_2005_package` requires them, so that nobody reproduces the
study with a number the study did not use. Take them from the paper's tables when reproducing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from numpy.typing import ArrayLike

from .benefits import (
    CashBenefit,
    HealthCareBenefit,
    PhaseIn,
    child_benefit,
    employment_guarantee,
    essential_health_care,
    universal_pension,
)

_BRIEFING_P7 = "ILO (2008), Social Security Policy Briefing 3, p. 7"
_ISSUE = "Pal et al. (2005) as summarised in the kit's costing brief; not checked against the paper's text"


@dataclass(frozen=True)
class Assumption:
    """One assumption of the ILO costing: its value (None = a required input), unit and source."""

    name: str
    value: float | str | None
    unit: str
    source: str


PAL_2005_ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("pension share of GDP per capita", 0.30, "fraction of GDP per capita a year",
               f"{_BRIEFING_P7}: the child benefit (15%) is half of the pension amount"),
    Assumption("pension cap", 1.0, "PPP$ a day",
               f"{_BRIEFING_P7}: the child benefit's maximum (half a dollar PPP a day) is half the pension's"),
    Assumption("pension age", 65, "years", _ISSUE),
    Assumption("disabled of working age also receive the pension", "ages 15-64", "age band",
               f"{_ISSUE}; the working-age band 15-64 is the UN convention below age 65"),
    Assumption("disability prevalence", None, "share of working-age population", "country data (required input)"),
    Assumption("child benefit share of GDP per capita", 0.15, "fraction of GDP per capita a year", _BRIEFING_P7),
    Assumption("child benefit cap", 0.5, "PPP$ a day", _BRIEFING_P7),
    Assumption("child benefit age", "under 14", "ages 0-13", _BRIEFING_P7),
    Assumption("children per woman", 2, "children", f"{_BRIEFING_P7}: up to two children per woman who has given birth"),
    Assumption("qualifying share of children", None, "fraction of children under 14",
               f"{_BRIEFING_P7}: taken from Demographic and Health Surveys (Cameroon 46.4%); required input"),
    Assumption("indexation of cash benefits", "prices", "index",
               f"{_BRIEFING_P7}: 'increased in line with inflation'"),
    Assumption("employment guarantee days", 100, "days a year", _ISSUE),
    Assumption("employment guarantee target share", None, "share of working-age population",
               "not verified in this kit: required input"),
    Assumption("employment guarantee daily wage", None, "PPP$, national currency or share of GDP per capita a day",
               "not verified in this kit: required input"),
    Assumption("health staff per 1,000 population", None, "staff", "not verified in this kit: required input"),
    Assumption("health wage multiple of GDP per capita", None, "multiple", "not verified in this kit: required input"),
    Assumption("health non-staff mark-up", None, "share of staff costs", "not verified in this kit: required input"),
    Assumption("administration loading", None, "share of benefit expenditure",
               "not verified in this kit: required input"),
)
"""The assumptions of the ILO costing, each with its value (None: required input) and source."""


def pal_2005_package(*, disability_prevalence: ArrayLike, child_qualifying_share: ArrayLike,
                     employment_target_share: ArrayLike, health_staff_per_1000: float,
                     health_wage_multiple: float, health_non_staff_markup: float,
                     admin_loading: float | Mapping[str, float],
                     employment_daily_wage_ppp: float | None = None,
                     employment_daily_wage_national: float | None = None,
                     employment_daily_wage_share_of_gdp_per_capita: float | None = None,
                     phase_in: PhaseIn | None = None) -> tuple[CashBenefit, CashBenefit, CashBenefit, HealthCareBenefit]:
    """The four guarantees of the ILO basic package with the study's cited defaults.

    Returns a universal pension (30% of GDP per capita capped at US$1 PPP a day, 65+ and the
    disabled aged 15-64), a child benefit (15% of GDP per capita capped at US$0.5 PPP a day,
    children under 14, two per mother through ``child_qualifying_share``), a 100-day employment
    guarantee and essential health care, all cash benefits indexed to prices. The inputs without
    a default are country data or assumptions this kit could not verify in the paper (see
    :data:`PAL_2005_ASSUMPTIONS`).

    Parameters
    ----------
    disability_prevalence, child_qualifying_share, employment_target_share : array_like
        Shares broadcasting to ``(..., year, sex, age)`` (see :class:`Eligibility`).
    health_staff_per_1000, health_wage_multiple, health_non_staff_markup : float
        Health costing inputs (see :class:`HealthCareBenefit`).
    admin_loading : float or mapping
        One loading for every benefit, or a mapping from benefit name ("universal pension",
        "child benefit", "employment guarantee", "essential health care") to its loading.
    employment_daily_wage_ppp, employment_daily_wage_national, employment_daily_wage_share_of_gdp_per_capita : float
        The employment guarantee's daily wage (give exactly one).
    phase_in : PhaseIn, optional
        Take-up path used for every benefit (default: full take-up from the first year).

    Returns
    -------
    tuple
        ``(universal pension, child benefit, employment guarantee, essential health care)``, ready
        for :func:`qsp.costing.cost_package`.

    Raises
    ------
    ValueError
        A missing or repeated daily wage, an ``admin_loading`` mapping that does not name every
        benefit, or any bad share.

    Examples
    --------
    >>> package = pal_2005_package(disability_prevalence=0.02, child_qualifying_share=0.464,
    ...     employment_target_share=0.1, employment_daily_wage_ppp=1.0, health_staff_per_1000=2.0,
    ...     health_wage_multiple=3.0, health_non_staff_markup=0.5, admin_loading=0.05)
    >>> [benefit.name for benefit in package]
    ['universal pension', 'child benefit', 'employment guarantee', 'essential health care']

    References
    ----------
    Pal et al. (2005), ILO Issues in Social Protection Discussion Paper 13; ILO (2008), Social
    Security Policy Briefing 3.
    """
    names = ("universal pension", "child benefit", "employment guarantee", "essential health care")
    if isinstance(admin_loading, Mapping):
        unknown = sorted(set(admin_loading) - set(names))
        missing = sorted(set(names) - set(admin_loading))
        if unknown or missing:
            raise ValueError(f"admin_loading must give a loading for each of {list(names)}; "
                             f"unknown {unknown}, missing {missing}.")
        loading = dict(admin_loading)
    else:
        loading = dict.fromkeys(names, admin_loading)
    phase = phase_in or PhaseIn()
    return (
        universal_pension(disability_prevalence=disability_prevalence, admin_loading=loading[names[0]],
                          phase_in=phase),
        child_benefit(qualifying_share=child_qualifying_share, admin_loading=loading[names[1]], phase_in=phase),
        employment_guarantee(target_share=employment_target_share, admin_loading=loading[names[2]],
                             daily_wage_ppp=employment_daily_wage_ppp,
                             daily_wage_national=employment_daily_wage_national,
                             daily_wage_share_of_gdp_per_capita=employment_daily_wage_share_of_gdp_per_capita,
                             phase_in=phase),
        essential_health_care(staff_per_1000=health_staff_per_1000, wage_multiple=health_wage_multiple,
                              non_staff_markup=health_non_staff_markup, admin_loading=loading[names[3]],
                              phase_in=phase),
    )
