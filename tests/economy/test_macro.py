"""The macroeconomic frame: hand-worked values, identities, scenarios and bad-input messages."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.economy import MacroAssumptions, MacroFrame, growth_rates, project_macro, to_real

YEARS = np.arange(2025, 2028)


def assumptions(**changes) -> MacroAssumptions:
    """A small economy: GDP 1000, 100 workers, employment +2%, productivity +3%, deflator +5%, CPI +4%."""
    base = dict(
        base_year=2025, nominal_gdp=1000.0, employment=100.0, employment_growth=0.02,
        productivity_growth=0.03, gdp_deflator_inflation=0.05, cpi_inflation=0.04, wage_share=0.5,
        nominal_interest_rate=0.07, revenue_share=0.2, expenditure_share=0.25, exchange_rate=10.0,
        ppp_factor=4.0,
    )
    base.update(changes)
    return MacroAssumptions(**base)


# ---------------------------------------------------------------------------------------------
# hand-worked values
# ---------------------------------------------------------------------------------------------
def test_hand_worked_frame():
    frame = project_macro(assumptions(), years=YEARS, population_total=[200.0, 204.0, 208.08])
    # employment E: 100, 100 x 1.02 = 102, 102 x 1.02 = 104.04
    np.testing.assert_allclose(frame.employment, [100.0, 102.0, 104.04])
    # productivity P_0 = GDP_0 / E_0 = 1000 / 100 = 10; then 10 x 1.03 = 10.3, 10.3 x 1.03 = 10.609
    np.testing.assert_allclose(frame.productivity, [10.0, 10.3, 10.609])
    # real GDP = E x P: 100 x 10 = 1000; 102 x 10.3 = 1050.6; 104.04 x 10.609 = 1103.76036
    np.testing.assert_allclose(frame.real_gdp, [1000.0, 1050.6, 1103.76036])
    # deflator 1, 1.05, 1.1025; nominal = real x deflator: 1000, 1103.13, 1216.8957969
    np.testing.assert_allclose(frame.gdp_deflator, [1.0, 1.05, 1.1025])
    np.testing.assert_allclose(frame.nominal_gdp, [1000.0, 1103.13, 1216.8957969])
    # CPI 1, 1.04, 1.0816
    np.testing.assert_allclose(frame.cpi, [1.0, 1.04, 1.0816])
    # wage bill = 0.5 x nominal GDP = 500, 551.565, 608.44789845; average wage = bill / E:
    # 500 / 100 = 5; 551.565 / 102 = 5.4075; 608.44789845 / 104.04 = 5.84821125
    np.testing.assert_allclose(frame.wage_bill, [500.0, 551.565, 608.44789845])
    np.testing.assert_allclose(frame.average_wage, [5.0, 5.4075, 5.84821125])
    # real wage = wage / CPI: 5, 5.4075 / 1.04 = 5.19951923..., 5.84821125 / 1.0816 = 5.40700...
    np.testing.assert_allclose(frame.real_average_wage[:2], [5.0, 5.19951923076923])
    # real interest = 1.07 / 1.04 - 1 = 0.0288461538...
    np.testing.assert_allclose(frame.real_interest_rate, 0.028846153846153966)
    # government: revenue 0.2 x 1103.13 = 220.626, expenditure 0.25 x 1103.13 = 275.7825 in 2026
    np.testing.assert_allclose(frame.revenue[1], 220.626)
    np.testing.assert_allclose(frame.expenditure[1], 275.7825)
    np.testing.assert_allclose(frame.balance[1], 220.626 - 275.7825)
    # GDP in US$ = 1103.13 / 10 = 110.313; per capita 1216.8957969 / 208.08 = 5.84821125
    np.testing.assert_allclose(frame.gdp_usd[1], 110.313)
    np.testing.assert_allclose(frame.gdp_per_capita[2], 5.84821125)


def test_real_wage_growth_route():
    frame = project_macro(assumptions(real_wage_growth=0.01), years=YEARS)
    # base wage = 0.5 x 1000 / 100 = 5; 2026: 5 x 1.01 x 1.04 = 5.252; 2027: 5 x 1.0201 x 1.0816 = 5.5167008
    np.testing.assert_allclose(frame.average_wage, [5.0, 5.252, 5.5167008])
    # implied wage share 2026 = 5.252 x 102 / 1103.13 = 0.48562182...
    np.testing.assert_allclose(frame.wage_share[1], 0.48562182154415157)


def test_wages_tied_to_productivity():
    frame = project_macro(assumptions(real_wage_growth="productivity"), years=YEARS)
    # real wage grows with productivity (3%): 2026 wage = 5 x 1.03 x 1.04 = 5.356
    np.testing.assert_allclose(frame.average_wage[1], 5.356)


def test_labour_force_route():
    frame = project_macro(assumptions(employment=None, labour_force=[110.0, 112.0, 115.0],
                                      unemployment_rate=[0.1, 0.1, 0.08]), years=YEARS)
    # employment = LF x (1 - u): 110 x 0.9 = 99, 112 x 0.9 = 100.8, 115 x 0.92 = 105.8
    np.testing.assert_allclose(frame.employment, [99.0, 100.8, 105.8])
    # productivity starts at 1000 / 99; real GDP_0 stays the base-year GDP 1000
    np.testing.assert_allclose(frame.real_gdp[0], 1000.0)


def test_scenarios_broadcast_and_to_frame():
    growth = np.array([[0.01], [0.03]])              # two scenarios of constant productivity growth
    frame = project_macro(assumptions(productivity_growth=growth), years=YEARS)
    assert frame.real_gdp.shape == (2, 3) and frame.cpi.shape == (2, 3)
    np.testing.assert_allclose(frame.real_gdp[:, 1], [1000 * 1.02 * 1.01, 1000 * 1.02 * 1.03])
    table = frame.to_frame()
    assert list(table.columns) == ["scenario", "year", "variable", "value"]
    row = table[(table.scenario == 1) & (table.year == 2026) & (table.variable == "real_gdp")]
    assert row.value.item() == pytest.approx(1000 * 1.02 * 1.03)
    assert "gdp_per_capita" not in set(table.variable)


def test_from_mapping_and_replace():
    values = dict(base_year=2025, nominal_gdp=1000.0, employment=100.0, productivity_growth=0.03,
                  gdp_deflator_inflation=0.05, cpi_inflation=0.04, wage_share=0.5, nominal_interest_rate=0.07,
                  revenue_share=0.2, expenditure_share=0.25, exchange_rate=10.0, ppp_factor=4.0)
    base = MacroAssumptions.from_mapping(values)
    high = base.replace(cpi_inflation=0.10)
    assert project_macro(high, years=YEARS).cpi[1] == pytest.approx(1.10)
    assert project_macro(base, years=YEARS).cpi[1] == pytest.approx(1.04)


# ---------------------------------------------------------------------------------------------
# identities (property tests)
# ---------------------------------------------------------------------------------------------
rates = arrays(np.float64, (3, 5), elements=st.floats(-0.2, 0.3))


@given(g_employment=rates, g_productivity=rates, deflator=rates, cpi=rates,
       shares=arrays(np.float64, (3, 5), elements=st.floats(0.05, 0.6)))
def test_macro_identities(g_employment, g_productivity, deflator, cpi, shares):
    years = np.arange(2030, 2035)
    frame = project_macro(assumptions(base_year=2030, employment=[50.0, 80.0, 120.0], nominal_gdp=[1e3, 2e4, 3e5],
                                      employment_growth=g_employment, productivity_growth=g_productivity,
                                      gdp_deflator_inflation=deflator, cpi_inflation=cpi, wage_share=shares,
                                      revenue_share=shares / 2, expenditure_share=shares),
                          years=years)
    # real GDP growth = (1 + employment growth)(1 + productivity growth) - 1
    np.testing.assert_allclose(frame.real_gdp_growth, (1 + g_employment[:, 1:]) * (1 + g_productivity[:, 1:]) - 1,
                               atol=1e-12)
    # nominal = real x deflator, and deflating nominal GDP gives real GDP back
    np.testing.assert_allclose(frame.nominal_gdp, frame.real_gdp * frame.gdp_deflator, rtol=1e-12)
    np.testing.assert_allclose(to_real(frame.nominal_gdp, frame.gdp_deflator), frame.real_gdp, rtol=1e-12)
    np.testing.assert_allclose(growth_rates(frame.cpi), cpi[:, 1:], atol=1e-12)
    # wage bill = average wage x employment = wage share x GDP; revenue and balance
    np.testing.assert_allclose(frame.wage_bill, frame.average_wage * frame.employment, rtol=1e-12)
    np.testing.assert_allclose(frame.wage_bill, shares * frame.nominal_gdp, rtol=1e-12)
    np.testing.assert_allclose(frame.revenue, shares / 2 * frame.nominal_gdp, rtol=1e-12)
    np.testing.assert_allclose(frame.balance, frame.revenue - frame.expenditure, rtol=1e-12, atol=1e-9)
    # the base year reproduces the base-year GDP exactly
    np.testing.assert_allclose(frame.nominal_gdp[:, 0], [1e3, 2e4, 3e5])


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(employment=-5.0), r"employment has a number of employed persons of -5.* greater than 0"),
        (dict(wage_share=1.2), r"wage_share has a share of 1.2.* at most 1"),
        (dict(revenue_share=[0.2, 0.2, -0.1]), r"revenue_share has a share of -0.1 at year 2027"),
        (dict(productivity_growth=-1.0), r"productivity_growth has a growth rate of -1.* greater than -1"),
        (dict(cpi_inflation=[0.02, -1.5, 0.02]), r"cpi_inflation has a rate of -1.5 at year 2026"),
        (dict(gdp_deflator_inflation=[0.02, 0.02]), r"gdp_deflator_inflation has 2 entries on its last \(year\) axis"),
        (dict(nominal_gdp=0.0), r"nominal_gdp has a base-year GDP of 0"),
        (dict(exchange_rate=-3.0), r"exchange_rate has a value of -3"),
        (dict(ppp_factor=np.nan), r"ppp_factor contains a missing or infinite PPP factor"),
        (dict(labour_force=[100.0, 100.0, 100.0]), r"exactly one employment route.*both"),
        (dict(employment=None), r"exactly one employment route.*neither"),
        (dict(employment=None, labour_force=[100.0, 100.0, 100.0], unemployment_rate=1.0),
         r"unemployment_rate must be below 1"),
        (dict(real_wage_growth="wages"), r"real_wage_growth must be None, a series of rates or 'productivity'"),
        # real wages +50% a year: wage share 0.5 x 1.5 x 1.04 x 102 / 1103.13 = 0.72 in 2026, 1.04 in 2027
        (dict(real_wage_growth=0.5), r"wage bill exceed GDP \(implied wage share 1.040\) in year 2027"),
        (dict(employment=[100.0, 90.0], nominal_gdp=[1.0, 2.0, 3.0]), r"batch \(scenario\) axes .* do not broadcast"),
    ],
)
def test_bad_assumptions_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        project_macro(assumptions(**changes), years=YEARS)


def test_bad_years_and_population():
    with pytest.raises(ValueError, match=r"years must start at the base year of the assumptions \(2025\)"):
        project_macro(assumptions(), years=np.arange(2026, 2029))
    with pytest.raises(ValueError, match=r"consecutive calendar years .* 2028 follows 2026"):
        project_macro(assumptions(), years=[2025, 2026, 2028])
    with pytest.raises(ValueError, match=r"population_total has a population of -1 at year 2026"):
        project_macro(assumptions(), years=YEARS, population_total=[10.0, -1.0, 10.0])
    with pytest.raises(ValueError, match=r"population_total must give one total per projection year"):
        project_macro(assumptions(), years=YEARS, population_total=[10.0])
    with pytest.raises(ValueError, match=r"assumptions must be a MacroAssumptions"):
        project_macro({"base_year": 2025}, years=YEARS)


def test_from_mapping_names_unknown_and_missing_keys():
    with pytest.raises(ValueError, match=r"unknown macro assumption\(s\) \['gdp'\]"):
        MacroAssumptions.from_mapping({"gdp": 1.0})
    with pytest.raises(ValueError, match=r"missing \['cpi_inflation'"):
        MacroAssumptions.from_mapping({"base_year": 2025})


def test_frame_type():
    assert isinstance(project_macro(assumptions(), years=YEARS), MacroFrame)
