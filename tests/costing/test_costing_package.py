"""Costing kernels, checked against values worked by hand on a tiny population.

The tiny country has three age groups (0, 1 and "2+", the last one open) and two years:

    year 0: female [10, 20, 5], male [12, 18, 3]   total 68
    year 1: female [11, 21, 6], male [12, 19, 4]   total 73

Its economy: employment = population (labour force 68, 73 with no unemployment), productivity
1000 growing 10%, no GDP-deflator inflation, so nominal GDP = 68 x 1000 = 68,000 and
73 x 1100 = 80,300 and GDP per capita = 1000, 1100. CPI inflation 5% (CPI 1, 1.05); wage share
0.5 (average wage 500, 550); government revenue 20% of GDP (13,600; 16,060) and expenditure 25%
(17,000; 20,075); PPP factor 2 national units per PPP$.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.costing import (
    BenefitLevel,
    CashBenefit,
    Eligibility,
    PackageCost,
    PhaseIn,
    benefit_cost,
    child_benefit,
    child_cap_upper_bound,
    cost_package,
    eligible_population,
    employment_guarantee,
    essential_health_care,
    universal_pension,
)
from qsp.economy import MacroAssumptions, project_macro

POPULATION = np.array([
    [[10.0, 20.0, 5.0], [12.0, 18.0, 3.0]],
    [[11.0, 21.0, 6.0], [12.0, 19.0, 4.0]],
])


def macro(ppp_factor=2.0, population=POPULATION, **changes):
    base = dict(base_year=2025, nominal_gdp=68_000.0, labour_force=[68.0, 73.0], productivity_growth=0.10,
                gdp_deflator_inflation=0.0, cpi_inflation=0.05, wage_share=0.5, nominal_interest_rate=0.06,
                revenue_share=0.2, expenditure_share=0.25, exchange_rate=5.0, ppp_factor=ppp_factor)
    base.update(changes)
    return project_macro(MacroAssumptions(**base), years=[2025, 2026],
                         population_total=population.sum(axis=(-2, -1)))


def pension(**changes):
    # the universal pension on the tiny age grid: everyone "2+" and the disabled aged 1
    options = dict(disability_prevalence=0.1, admin_loading=0.05, working_age_start=1, pension_age=2)
    options.update(changes)
    return universal_pension(**options)


def child(**changes):
    options = dict(qualifying_share=0.6, admin_loading=0.0, max_age=1)
    options.update(changes)
    return child_benefit(**options)


def employment(**changes):
    options = dict(target_share=0.1, admin_loading=0.0, daily_wage_ppp=1.0, min_age=1, max_age=2)
    options.update(changes)
    return employment_guarantee(**options)


def health(**changes):
    options = dict(staff_per_1000=3.0, wage_multiple=2.0, non_staff_markup=0.5)
    options.update(changes)
    return essential_health_care(**options)


def test_the_tiny_economy_is_as_described():
    frame = macro()
    np.testing.assert_allclose(frame.nominal_gdp, [68_000.0, 80_300.0])
    np.testing.assert_allclose(frame.gdp_per_capita, [1000.0, 1100.0])
    np.testing.assert_allclose(frame.cpi, [1.0, 1.05])
    np.testing.assert_allclose(frame.average_wage, [500.0, 550.0])
    np.testing.assert_allclose(frame.revenue, [13_600.0, 16_060.0])


# ---------------------------------------------------------------------------------------------
# each benefit by hand
# ---------------------------------------------------------------------------------------------
def test_universal_pension_cap_not_binding():
    cost = benefit_cost(POPULATION, pension(), macro())
    # eligible: everyone 2+ (5 + 3 = 8; 6 + 4 = 10) plus 10% of age 1 (0.1 x 38 = 3.8; 0.1 x 40 = 4)
    np.testing.assert_allclose(cost.eligible, [11.8, 14.0])
    # level: 30% of GDP per capita = 300 a year = 0.82 a day, below the cap of US$1 PPP x 2 = 2 a day;
    # indexed to prices: 300 x 1.05 = 315
    np.testing.assert_allclose(cost.level, [300.0, 315.0])
    assert not cost.cap_binding
    # expenditure 11.8 x 300 = 3540; 14 x 315 = 4410; administration 5%: 177, 220.5
    np.testing.assert_allclose(cost.benefit_expenditure, [3540.0, 4410.0])
    np.testing.assert_allclose(cost.administration, [177.0, 220.5])
    np.testing.assert_allclose(cost.total, [3717.0, 4630.5])
    # 3717 / 68,000 = 5.466% of GDP; 3717 / 13,600 = 27.33% of revenue; 4630.5 / 80,300 = 5.767% of GDP
    np.testing.assert_allclose(cost.share_of_gdp, [3717.0 / 68_000.0, 4630.5 / 80_300.0])
    np.testing.assert_allclose(cost.share_of_revenue, [3717.0 / 13_600.0, 4630.5 / 16_060.0])
    np.testing.assert_allclose(cost.share_of_expenditure, [3717.0 / 17_000.0, 4630.5 / 20_075.0])


def test_universal_pension_cap_binding():
    cost = benefit_cost(POPULATION, pension(admin_loading=0.0), macro(ppp_factor=0.5))
    # cap: US$1 PPP a day x 0.5 = 0.5 a day = 182.5 a year, below 30% of GDP per capita (300): it binds
    assert cost.cap_binding
    np.testing.assert_allclose(cost.level, [182.5, 182.5 * 1.05])
    # 11.8 x 182.5 = 2153.5; 14 x 191.625 = 2682.75
    np.testing.assert_allclose(cost.total, [2153.5, 2682.75])


def test_cap_binding_in_some_scenarios_only():
    scenarios = macro(ppp_factor=np.array([[2.0], [0.5]]))
    cost = benefit_cost(POPULATION, pension(admin_loading=0.0), scenarios)
    np.testing.assert_array_equal(cost.cap_binding, [False, True])
    np.testing.assert_allclose(cost.level[:, 0], [300.0, 182.5])
    assert cost.total.shape == (2, 2)


def test_child_benefit_with_two_child_share():
    cost = benefit_cost(POPULATION, child(), macro())
    # eligible: 60% of the children aged 0 (they are among the first two of their mother): 0.6 x 22 = 13.2,
    # 0.6 x 23 = 13.8; level 15% of GDP per capita = 150 (0.41 a day, below the cap 0.5 x 2 = 1 a day)
    np.testing.assert_allclose(cost.eligible, [13.2, 13.8])
    np.testing.assert_allclose(cost.level, [150.0, 157.5])
    # 13.2 x 150 = 1980; 13.8 x 157.5 = 2173.5
    np.testing.assert_allclose(cost.total, [1980.0, 2173.5])


def test_employment_guarantee_100_days():
    cost = benefit_cost(POPULATION, employment(), macro())
    # participants: 10% of age 1 = 3.8, 4; wage US$1 PPP a day = 2 national units, 100 days = 200 a year
    np.testing.assert_allclose(cost.beneficiaries, [3.8, 4.0])
    np.testing.assert_allclose(cost.level, [200.0, 210.0])
    np.testing.assert_allclose(cost.total, [760.0, 840.0])
    # the same wage as a share of GDP per capita: 0.73 x 1000 / 365 = 2 a day
    same = benefit_cost(POPULATION, employment(daily_wage_ppp=None, daily_wage_share_of_gdp_per_capita=0.73),
                        macro())
    np.testing.assert_allclose(same.total, [760.0, 840.0])
    # a minimum wage of 3 a day: 3 x 100 = 300 a year; 3.8 x 300 = 1140
    minimum = benefit_cost(POPULATION, employment(daily_wage_ppp=None, daily_wage_national=3.0), macro())
    np.testing.assert_allclose(minimum.total[0], 1140.0)


def test_essential_health_care_from_staff():
    cost = benefit_cost(POPULATION, health(), macro())
    # per person: 3 staff per 1,000 x wage 2 x GDP per capita x (1 + 0.5) = 0.009 x GDP per capita = 9, 9.9
    np.testing.assert_allclose(cost.level, [9.0, 9.9])
    # whole population covered: 68 x 9 = 612; 73 x 9.9 = 722.7
    np.testing.assert_allclose(cost.total, [612.0, 722.7])
    assert cost.cap_binding is None


def test_phasing_in():
    # take-up 50% in the first year, 100% a year later: 0.5 x 1980 = 990, then 2173.5
    fast = benefit_cost(POPULATION, child(phase_in=PhaseIn(initial=0.5, final=1.0, years=1)), macro())
    np.testing.assert_allclose(fast.take_up, [0.5, 1.0])
    np.testing.assert_allclose(fast.total, [990.0, 2173.5])
    # over two years: 50%, 75%: 0.75 x 13.8 x 157.5 = 1630.125
    slow = benefit_cost(POPULATION, child(phase_in=PhaseIn(initial=0.5, final=1.0, years=2)), macro())
    np.testing.assert_allclose(slow.take_up, [0.5, 0.75])
    np.testing.assert_allclose(slow.total, [990.0, 1630.125])


def test_indexation_choices():
    # wages: 300 x 550 / 500 = 330; none: 300 stays 300; GDP per capita: 300 x 1100 / 1000 = 330
    for indexation, second in (("wages", 330.0), ("none", 300.0), ("gdp_per_capita", 330.0), ("prices", 315.0)):
        cost = benefit_cost(POPULATION, pension(indexation=indexation), macro())
        np.testing.assert_allclose(cost.level, [300.0, second], err_msg=indexation)


def test_admin_loading():
    without = benefit_cost(POPULATION, pension(admin_loading=0.0), macro())
    with_admin = benefit_cost(POPULATION, pension(admin_loading=0.15), macro())
    # administration = 15% of benefit expenditure: 0.15 x 3540 = 531
    np.testing.assert_allclose(with_admin.administration[0], 531.0)
    np.testing.assert_allclose(with_admin.total, without.total * 1.15)


def test_package_totals_by_hand():
    package = cost_package(POPULATION, [pension(), child(), employment(), health()], macro())
    assert isinstance(package, PackageCost)
    assert package.names == ("universal pension", "child benefit", "employment guarantee", "essential health care")
    # year 0: 3717 + 1980 + 760 + 612 = 7069; year 1: 4630.5 + 2173.5 + 840 + 722.7 = 8366.7
    np.testing.assert_allclose(package.total, [7069.0, 8366.7])
    np.testing.assert_allclose(package.administration, [177.0, 220.5])
    # 7069 / 68,000 = 10.40% of GDP and 7069 / 13,600 = 51.98% of government revenue
    np.testing.assert_allclose(package.share_of_gdp, [7069.0 / 68_000.0, 8366.7 / 80_300.0])
    np.testing.assert_allclose(package.share_of_revenue, [7069.0 / 13_600.0, 8366.7 / 16_060.0])
    np.testing.assert_allclose(package.composition()[:, 0], [3717.0, 1980.0, 760.0, 612.0])


def test_package_frame():
    table = cost_package(POPULATION, [pension(), child()], macro()).to_frame()
    assert list(table.columns) == ["year", "benefit", "item", "money", "share_of_gdp", "share_of_revenue"]
    row = table[(table.benefit == "package") & (table["item"] == "total") & (table.year == 2025)]
    assert row.money.item() == pytest.approx(3717.0 + 1980.0)
    assert row.share_of_gdp.item() == pytest.approx((3717.0 + 1980.0) / 68_000.0)
    admin = table[(table.benefit == "universal pension") & (table["item"] == "administration") & (table.year == 2026)]
    assert admin.money.item() == pytest.approx(220.5)
    single = benefit_cost(POPULATION, child(), macro()).to_frame()
    assert set(single.columns) == {"year", "benefit", "variable", "value"}


def test_eligible_population_by_age_and_scenarios():
    by_age = eligible_population(POPULATION, pension(), by_age=True)
    assert by_age.shape == POPULATION.shape
    np.testing.assert_allclose(by_age[0, 0], [0.0, 2.0, 5.0])        # female: 0.1 x 20 disabled, all 5 aged 2+
    # a batch of 3 population scenarios with a batch of 3 macro scenarios gives 3 results, each as if alone
    populations = POPULATION * np.array([1.0, 2.0, 0.5])[:, None, None, None]
    frames = macro(population=populations, labour_force=np.array([68.0, 73.0]) * np.array([[1.0], [2.0], [0.5]]),
                   nominal_gdp=68_000.0 * np.array([1.0, 2.0, 0.5]))
    batch = cost_package(populations, [pension(), child(), health()], frames)
    for k in range(3):
        alone = cost_package(populations[k], [pension(), child(), health()],
                             macro(population=populations[k], labour_force=np.array([68.0, 73.0]) * [1.0, 2.0, 0.5][k],
                                   nominal_gdp=68_000.0 * [1.0, 2.0, 0.5][k]))
        np.testing.assert_allclose(batch.total[k], alone.total)
    # with GDP and people scaled alike, shares of GDP do not change
    np.testing.assert_allclose(batch.share_of_gdp, np.broadcast_to(batch.share_of_gdp[0], (3, 2)))


def test_child_cap_upper_bound():
    # at most one child per woman, children = age 0, women of childbearing age = age 1 (toy bounds):
    # min(1, 1 x 20 / 22) = 0.9090..., min(1, 21 / 23) = 0.9130...
    share = child_cap_upper_bound(POPULATION, max_children=1, child_max_age=1, mother_ages=(1, 2))
    assert share.shape == (2, 1, 1)
    np.testing.assert_allclose(share[:, 0, 0], [20.0 / 22.0, 21.0 / 23.0])
    # two children per woman: 40 / 22 > 1, capped at 1
    np.testing.assert_allclose(child_cap_upper_bound(POPULATION, child_max_age=1, mother_ages=(1, 2))[:, 0, 0], 1.0)


# ---------------------------------------------------------------------------------------------
# accounting identities (property test)
# ---------------------------------------------------------------------------------------------
@given(
    population=arrays(np.float64, (2, 3, 2, 4), elements=st.floats(0.0, 1e4)),
    shares=arrays(np.float64, (3, 2, 4), elements=st.floats(0.0, 1.0)),
    loading=st.floats(0.0, 0.3),
    gdp_per_person=st.floats(10.0, 1e5),
)
def test_accounting_identities(population, shares, loading, gdp_per_person):
    population = population + 1.0                    # no empty year
    totals = population.sum(axis=(-2, -1))
    frame = project_macro(MacroAssumptions(
        base_year=2030, nominal_gdp=gdp_per_person * totals[:, 0], employment=totals[:, 0],
        productivity_growth=0.02, gdp_deflator_inflation=0.03, cpi_inflation=0.04, wage_share=0.4,
        nominal_interest_rate=0.05, revenue_share=0.18, expenditure_share=0.22, exchange_rate=100.0,
        ppp_factor=40.0), years=[2030, 2031, 2032], population_total=totals)
    benefits = [
        CashBenefit(name="old", eligibility=Eligibility(min_age=3), admin_loading=loading,
                    level=BenefitLevel(share_of_gdp_per_capita=0.3, cap_ppp_per_day=1.0)),
        CashBenefit(name="young", eligibility=Eligibility(max_age=2, status_share=shares), indexation="wages",
                    level=BenefitLevel(share_of_gdp_per_capita=0.15, cap_ppp_per_day=0.5),
                    phase_in=PhaseIn(initial=0.2, final=0.9, years=2)),
        essential_health_care(staff_per_1000=2.0, wage_multiple=3.0, non_staff_markup=0.6, admin_loading=loading),
    ]
    package = cost_package(population, benefits, frame)
    # the sum of the components is the total, benefit by benefit and for the package
    np.testing.assert_allclose(package.total, sum(cost.total for cost in package.benefits), rtol=1e-12)
    np.testing.assert_allclose(package.total, package.benefit_expenditure + package.administration, rtol=1e-12)
    for cost in package.benefits:
        np.testing.assert_allclose(cost.total, cost.benefit_expenditure + cost.administration, rtol=1e-12)
        np.testing.assert_allclose(cost.benefit_expenditure, cost.beneficiaries * cost.level, rtol=1e-12)
    # share of GDP x GDP = money; share of revenue x revenue = money
    np.testing.assert_allclose(package.share_of_gdp * frame.nominal_gdp, package.total, rtol=1e-12)
    np.testing.assert_allclose(package.share_of_revenue * frame.revenue, package.total, rtol=1e-12)
    # eligible people never exceed the population
    assert np.all(package.benefits[1].eligible <= totals + 1e-9)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_bad_population_messages():
    bad = POPULATION.copy()
    bad[1, 0, 1] = -1.0
    with pytest.raises(ValueError, match=r"population has a population count of -1 at year index 1, sex 0 \(female\), age 1"):
        benefit_cost(bad, child(), macro())
    with pytest.raises(ValueError, match=r"population must be laid out \(\.\.\., year, sex, age\)"):
        benefit_cost(POPULATION[0, 0], child(), macro())
    with pytest.raises(ValueError, match=r"population has 3 entries on its year axis .* but 2 were expected"):
        benefit_cost(np.concatenate([POPULATION, POPULATION[:1]]), child(), macro())
    with pytest.raises(ValueError, match=r"must have a sex axis of length 2"):
        benefit_cost(POPULATION[:, :1], child(), macro())


def test_bad_eligibility_and_level_messages():
    with pytest.raises(ValueError, match=r"eligibility min_age=15 \(disabled 15-64\) is not the start of an age interval of the population.s age grid \(0..2\)"):
        benefit_cost(POPULATION, universal_pension(disability_prevalence=0.1, admin_loading=0.0), macro())
    with pytest.raises(ValueError, match=r"status_share has a share of 1.2"):
        Eligibility(status_share=1.2)
    with pytest.raises(ValueError, match=r"status_share of .* its age axis has 2 entries"):
        benefit_cost(POPULATION, child(qualifying_share=np.array([0.5, 0.6])), macro())
    with pytest.raises(ValueError, match=r"max_age \(3\) must be greater than min_age \(5\)"):
        Eligibility(min_age=5, max_age=3)
    with pytest.raises(ValueError, match=r"sexes must list 0 \(female\) and/or 1 \(male\)"):
        Eligibility(sexes=(2,))
    with pytest.raises(ValueError, match=r"exactly one basis.*\['share_of_gdp_per_capita', 'ppp_per_day'\]"):
        BenefitLevel(share_of_gdp_per_capita=0.3, ppp_per_day=1.0)
    with pytest.raises(ValueError, match=r"exactly one basis.*none"):
        BenefitLevel()
    with pytest.raises(ValueError, match=r"cap_ppp_per_day has a cap of 0"):
        BenefitLevel(share_of_gdp_per_capita=0.3, cap_ppp_per_day=0.0)
    with pytest.raises(ValueError, match=r"days has a number of days of 400"):
        BenefitLevel(ppp_per_day=1.0, days=400)
    with pytest.raises(ValueError, match=r"initial has a take-up of 1.5"):
        PhaseIn(initial=1.5)
    with pytest.raises(ValueError, match=r"phasing-in period\) must be a whole number"):
        PhaseIn(years=1.5)
    with pytest.raises(ValueError, match=r"indexation must be one of"):
        pension(indexation="inflation")
    with pytest.raises(ValueError, match=r"admin_loading has a loading of -0.1"):
        pension(admin_loading=-0.1)
    with pytest.raises(ValueError, match=r"counted twice"):
        CashBenefit(name="x", eligibility=(Eligibility(min_age=1), Eligibility(min_age=2)),
                    level=BenefitLevel(ppp_per_day=1.0))
    with pytest.raises(ValueError, match=r"not both"):
        employment(daily_wage=BenefitLevel(ppp_per_day=1.0, days=100))


def test_bad_package_and_macro_messages():
    with pytest.raises(ValueError, match=r"benefits is empty"):
        cost_package(POPULATION, [], macro())
    with pytest.raises(ValueError, match=r"names must be distinct, but \['child benefit'\]"):
        cost_package(POPULATION, [child(), child()], macro())
    with pytest.raises(ValueError, match=r"macro must be a MacroFrame"):
        benefit_cost(POPULATION, child(), {"gdp": 1.0})
    with pytest.raises(ValueError, match=r"different total population \(68\) than the population passed here \(136\)"):
        benefit_cost(POPULATION * 2, child(), macro())
    with pytest.raises(ValueError, match=r"scenario axes of population \(3,\) and of the macro frame \(2,\)"):
        benefit_cost(np.stack([POPULATION] * 3), child(), macro(ppp_factor=np.array([[2.0], [0.5]]), population=POPULATION))
    with pytest.raises(ValueError, match=r"benefit must be a CashBenefit or HealthCareBenefit"):
        eligible_population(POPULATION, "pension")


def test_share_scenarios_must_broadcast_with_population():
    shares = np.full((3, 1, 1, 1), 0.5)          # three scenarios of shares, two of population
    with pytest.raises(ValueError, match=r"shares of child benefit have shape \(3, 1, 2, 3\).*do not broadcast"):
        eligible_population(np.stack([POPULATION] * 2), child(qualifying_share=shares))


def test_shares_as_numbers_or_full_arrays_agree():
    # a share given as a number (matrix-vector path) or as a full (year, sex, age) array (general path)
    as_number = eligible_population(POPULATION, child(qualifying_share=0.6))
    as_array = eligible_population(POPULATION, child(qualifying_share=np.full((2, 2, 3), 0.6)))
    np.testing.assert_allclose(as_number, as_array)
    np.testing.assert_allclose(as_number, [13.2, 13.8])
