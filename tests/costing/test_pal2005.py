"""The ILO basic package (Pal et al. 2005; ILO Social Security Policy Briefing 3, 2008): cited
defaults, and a hand-worked costing on single ages 0..100+.

ILO (2008), p. 7: the child benefit is "equal to half of the universal pension amount, that is
15 per cent of GDP per capita with a maximum of half of one US dollar PPP per day increased in
line with inflation and paid for up to two children under the age of 14 per woman who has given
birth"; hence the pension is 30 per cent of GDP per capita capped at US$1 PPP a day.
"""

import numpy as np
import pytest
from qsp.costing import PAL_2005_ASSUMPTIONS, cost_package, pal_2005_package
from qsp.economy import MacroAssumptions, project_macro

# one person of each sex at each single age 0..100+, in each of two years: 202 people a year
POPULATION = np.ones((2, 2, 101))


def frame():
    # GDP 202,000 for 202 people (GDP per capita 1000, constant); CPI +5%; PPP factor 2
    return project_macro(MacroAssumptions(
        base_year=2025, nominal_gdp=202_000.0, labour_force=202.0, productivity_growth=0.0,
        gdp_deflator_inflation=0.0, cpi_inflation=0.05, wage_share=0.5, nominal_interest_rate=0.05,
        revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0, ppp_factor=2.0),
        years=[2025, 2026], population_total=POPULATION.sum(axis=(-2, -1)))


def package(**changes):
    options = dict(disability_prevalence=0.1, child_qualifying_share=0.5, employment_target_share=0.1,
                   employment_daily_wage_ppp=1.0, health_staff_per_1000=2.5, health_wage_multiple=3.0,
                   health_non_staff_markup=0.4, admin_loading=0.1)
    options.update(changes)
    return pal_2005_package(**options)


def test_cited_defaults():
    table = {entry.name: entry for entry in PAL_2005_ASSUMPTIONS}
    assert table["pension share of GDP per capita"].value == 0.30
    assert table["pension cap"].value == 1.0
    assert table["child benefit share of GDP per capita"].value == 0.15
    assert table["child benefit cap"].value == 0.5
    assert "Policy Briefing 3, p. 7" in table["child benefit cap"].source
    # the inputs this kit could not verify have no default
    assert table["administration loading"].value is None
    assert table["health staff per 1,000 population"].value is None

    pension, child, employment, health = package()
    assert pension.level.share_of_gdp_per_capita == 0.30 and pension.level.cap_ppp_per_day == 1.0
    assert [(group.min_age, group.max_age) for group in pension.eligibility] == [(15, 65), (65, None)]
    assert child.level.share_of_gdp_per_capita == 0.15 and child.level.cap_ppp_per_day == 0.5
    assert child.eligibility[0].max_age == 14
    assert employment.level.days == 100
    assert {benefit.indexation for benefit in (pension, child, employment)} == {"prices"}


def test_basic_package_by_hand():
    cost = cost_package(POPULATION, package(), frame())
    pension, child, employment, health = cost.benefits
    # pension: everyone 65..100+ (36 ages x 2 sexes = 72) + 10% of ages 15..64 (0.1 x 100 = 10) = 82 people;
    # level 30% x 1000 = 300 (0.82 a day, below the cap 1 x 2 = 2 a day); 82 x 300 = 24,600; +10% admin = 27,060
    np.testing.assert_allclose(pension.eligible, 82.0)
    np.testing.assert_allclose(pension.total[0], 27_060.0)
    # indexed to prices: 24,600 x 1.05 x 1.1 = 28,413
    np.testing.assert_allclose(pension.total[1], 28_413.0)
    # child benefit: ages 0..13 (14 x 2 = 28) x 50% qualifying = 14; 15% x 1000 = 150; 2,100 + 10% = 2,310
    np.testing.assert_allclose(child.total[0], 2_310.0)
    # employment guarantee: 10% of ages 15..64 = 10 people x 100 days x (US$1 PPP x 2) = 2,000 + 10% = 2,200
    np.testing.assert_allclose(employment.total[0], 2_200.0)
    # health care: 202 people x 2.5 / 1000 x 3 x 1000 x 1.4 = 202 x 10.5 = 2,121 + 10% = 2,333.1
    np.testing.assert_allclose(health.total[0], 2_333.1)
    # package: 27,060 + 2,310 + 2,200 + 2,333.1 = 33,903.1 = 16.78% of GDP (202,000), 83.9% of revenue
    np.testing.assert_allclose(cost.total[0], 33_903.1)
    np.testing.assert_allclose(cost.share_of_gdp[0], 33_903.1 / 202_000.0)
    np.testing.assert_allclose(cost.share_of_revenue[0], 33_903.1 / 40_400.0)


def test_admin_loading_per_benefit():
    loadings = {"universal pension": 0.05, "child benefit": 0.1, "employment guarantee": 0.15,
                "essential health care": 0.0}
    pension, child, employment, health = package(admin_loading=loadings)
    assert (pension.admin_loading, child.admin_loading, employment.admin_loading, health.admin_loading) == (
        0.05, 0.1, 0.15, 0.0)
    with pytest.raises(ValueError, match=r"unknown \['pensions'\], missing \['universal pension'\]"):
        package(admin_loading={**{k: v for k, v in loadings.items() if k != "universal pension"}, "pensions": 0.1})


def test_employment_wage_must_be_given_once():
    with pytest.raises(ValueError, match=r"exactly one basis"):
        package(employment_daily_wage_ppp=None)
    with pytest.raises(ValueError, match=r"exactly one basis"):
        package(employment_daily_wage_national=3.0)
