"""A kit country's status-quo social budget, calibrated on base-year expenditure figures.

The social-protection rows added below to a copy of Ghana's data are test figures (not the
published ones): the test checks the wiring and the calibration, not the data."""

import shutil

import numpy as np
import pytest
import qsp.data
from qsp.budget import base_year_figures, compare, status_quo_budget

ROWS = """\
sp_expenditure,total,total,2023,1.5,percent of GDP,assumption,n/a,test figure,for the test only
sp_expenditure_old_age,total,total,2023,0.9,percent of GDP,assumption,n/a,test figure,for the test only
sp_expenditure_children,total,total,2023,0.2,percent of GDP,assumption,n/a,test figure,for the test only
health_expenditure_public,total,total,2023,1.8,percent of GDP,assumption,n/a,test figure,for the test only
sp_coverage_old_age,total,total,2023,20,percent,assumption,n/a,test figure,for the test only
"""


@pytest.fixture(scope="module")
def ghana(tmp_path_factory):
    folder = tmp_path_factory.mktemp("datasets")
    shutil.copytree(qsp.data.data_dir() / "GHA", folder / "GHA")
    path = folder / "GHA" / "social_protection.csv"
    replaced = tuple(line.split(",")[0] + "," for line in ROWS.splitlines())   # the kit's own rows give way
    text = "".join(line for line in path.read_text().splitlines(keepends=True) if not line.startswith(replaced))
    path.write_text(text + ("" if text.endswith("\n") else "\n") + ROWS)
    return qsp.data.load_country("GHA", directory=folder)


@pytest.fixture(scope="module")
def model(ghana):
    return status_quo_budget(ghana, until=2040)


def test_base_year_expenditure_matches_the_figures(ghana, model):
    budget = model.project()
    assert budget.years[0] == ghana.economy.base_year == 2023 and budget.years[-1] == 2040   # 18 years
    shares = budget.share_of_gdp()[:, 0]
    # pensions 0.9%, children 0.2%, health 1.8%, other = 1.5 - 0.9 - 0.2 = 0.4% of GDP
    np.testing.assert_allclose(shares, [0.009, 0.002, 0.018, 0.004], rtol=1e-12)
    assert budget.nominal_gdp[0] == pytest.approx(ghana.economy["gdp_lcu"])
    # financed at the base-year share of GDP: balanced in the base year, then the gap is the cost's growth
    np.testing.assert_allclose(budget.balance[:, 0], 0.0, atol=1e-6 * budget.nominal_gdp[0])
    np.testing.assert_allclose(budget.share_of_gdp("total_revenue"), 0.033, rtol=1e-12)


def test_beneficiaries_come_from_the_population_and_coverage(ghana, model):
    budget = model.project()
    population = ghana.project(until=2040).population[2023 - ghana.base_year:]
    # pensions: everyone 65+ times the 20% old-age coverage; children: everyone under 15 (no coverage figure)
    np.testing.assert_allclose(budget.beneficiaries[0], 0.2 * population[:, :, 65:].sum(axis=(-2, -1)))
    np.testing.assert_allclose(budget.beneficiaries[1], population[:, :, :15].sum(axis=(-2, -1)))
    # the calibrated base-year pension: 0.9% of GDP / pensioners
    expected = 0.009 * ghana.economy["gdp_lcu"] / budget.beneficiaries[0, 0]
    assert budget.average_benefit[0, 0] == pytest.approx(expected)


def test_a_reform_of_the_country_budget(model):
    reform = model.reform(branches={"pensions": {"indexation": "wages"}})
    comparison = compare(reform.project(), model.project())
    difference = comparison.difference("expenditure")[0]
    assert difference[0] == 0 and np.all(difference[1:] > 0)      # real wages grow: wage indexation costs more


def test_missing_figures_and_overrides():
    real = qsp.data.load_country("GHA")
    if "sp_expenditure_old_age" not in real.social_protection:
        with pytest.raises(ValueError, match=r"GHA has no base-year figure 'sp_expenditure_old_age' .*pass "
                                             r"expenditure_shares=\{'pensions': fraction_of_gdp\}"):
            status_quo_budget(real, until=2040)
    model = status_quo_budget(real, until=2038, financing="none", expenditure_shares={
        "pensions": 0.01, "children_and_families": 0.002, "health": 0.02, "other": 0.003})
    budget = model.project()
    assert budget.years.size == 16
    np.testing.assert_allclose(budget.share_of_gdp("total_expenditure")[0], 0.035)
    np.testing.assert_allclose(budget.total_financing_gap, budget.total_expenditure)
    with pytest.raises(ValueError, match=r"expenditure_shares names unknown branch\(es\) \['pension'\]"):
        status_quo_budget(real, expenditure_shares={"pension": 0.01})
    with pytest.raises(ValueError, match="financing must be one of"):
        status_quo_budget(real, financing="balanced")


BRANCH_FIGURES = ("sp_expenditure", "sp_expenditure_old_age", "sp_expenditure_children", "health_expenditure_public")


@pytest.mark.parametrize("iso3", ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"])
def test_the_published_figures_calibrate_the_budget_where_a_country_has_them(iso3):
    country = qsp.data.load_country(iso3)
    social = country.social_protection
    if not all(name in social for name in BRANCH_FIGURES):
        missing = next(name for name in ("sp_expenditure_old_age", "sp_expenditure_children",
                                         "health_expenditure_public", "sp_expenditure") if name not in social)
        with pytest.raises(ValueError, match=rf"{iso3} has no base-year figure '{missing}'"):
            status_quo_budget(country, until=2040)
        return
    budget = status_quo_budget(country, until=2040).project()
    figure = {name: social[name] / 100 for name in BRANCH_FIGURES}
    expected = [figure["sp_expenditure_old_age"], figure["sp_expenditure_children"], figure["health_expenditure_public"],
                figure["sp_expenditure"] - figure["sp_expenditure_old_age"] - figure["sp_expenditure_children"]]
    np.testing.assert_allclose(budget.share_of_gdp()[:, 0], expected, rtol=1e-12)
    assert budget.years[0] == 2023 and budget.years[-1] == 2040
    assert np.all(np.isfinite(budget.share_of_gdp("total_expenditure")))


def test_switzerland_runs_on_its_social_security_accounts():
    # BFS GRSS 2021 (old age 11.37%, health 8.73%, total excl. health 19.07% of GDP) and families 1.6% (2018)
    budget = status_quo_budget("CHE", until=2040).project()
    np.testing.assert_allclose(budget.share_of_gdp()[:, 0], [0.113702, 0.016, 0.087292, 0.061006], rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# every kit country runs on its data alone; each base-year share says how far to trust it
# ---------------------------------------------------------------------------------------------
KIT = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]


@pytest.mark.parametrize("iso3", KIT)
def test_every_kit_country_runs_without_expenditure_shares(iso3):
    country = qsp.data.load_country(iso3)
    budget = status_quo_budget(country, until=2040).project()
    figures = base_year_figures(country)
    assert list(figures.branch) == list(budget.branch_names) == ["pensions", "children_and_families", "health",
                                                                 "other"]
    np.testing.assert_allclose(budget.share_of_gdp()[:, 0], figures.value.to_numpy(), rtol=1e-12)
    assert budget.years[0] == 2023 and budget.years[-1] == 2040
    assert np.all(np.isfinite(budget.share_of_gdp("total_expenditure"))) and np.all(budget.expenditure >= 0)
    assert set(figures.status) <= {"published", "derived", "assumption"}
    # every row the calibration uses is published or derived, or a labelled assumption naming its benchmark
    social = country.social_protection
    for name in BRANCH_FIGURES:
        row = social.figure(name)
        assert row.status in {"published", "derived", "assumption"} and row.source, (iso3, name)
        if row.status == "published":
            assert row.check in {"confirmed", "recall"}
        else:
            assert row.check == "n/a" and len(row.note) > 40, (iso3, name)
        if row.status == "assumption":
            assert "ILO" in row.source or row.source.startswith("kit assumption from the rows"), (iso3, name)
            note = row.note.lower()
            assert "labelled assumption" in note and ("benchmark" in note or "old age plus children" in note), \
                (iso3, name)
            if "income-group benchmark" in row.note.lower():
                assert "World Bank income group" in row.note, (iso3, name)


def test_base_year_figures_show_status_and_provenance():
    figures = base_year_figures("GHA").set_index("branch")
    # old age: SSNIT benefits 2023 / GDP 2023 = 5,445.91 m / 841,630 m GHS (derived)
    assert figures.loc["pensions", "status"] == "derived"
    assert figures.loc["pensions", "value"] == pytest.approx(5_445.91e6 / 841_630e6, rel=1e-4)
    # children: 0.10 x the lower-middle-income average 4.1% (assumption); health: WHO GHED 2022 (published)
    assert figures.loc["children_and_families", ["status", "value"]].tolist() == ["assumption", pytest.approx(0.0041)]
    assert figures.loc["health", ["status", "year"]].tolist() == ["published", 2022]
    # other = 4.1% - 0.6471% - 0.41% carries the status of its least certain part
    assert figures.loc["other", "value"] == pytest.approx(0.041 - 0.006471 - 0.0041)
    assert figures.loc["other", "status"] == "assumption" and "sp_expenditure 4.1%" in figures.loc["other", "note"]
    given = base_year_figures("GHA", expenditure_shares={"pensions": 0.012}).set_index("branch")
    assert given.loc["pensions", ["status", "value"]].tolist() == ["given", 0.012]
    assert given.loc["other", "value"] == pytest.approx(0.041 - 0.012 - 0.0041)
    switzerland = base_year_figures("CHE").set_index("branch")
    assert switzerland.loc["children_and_families", ["status", "year"]].tolist() == ["published", 2018]
    assert switzerland.loc["other", "status"] == "derived"
    with pytest.raises(ValueError, match=r"expenditure_shares names unknown branch\(es\) \['pension'\]"):
        base_year_figures("GHA", expenditure_shares={"pension": 0.01})


def test_a_country_without_the_figures_still_gets_a_clear_error(tmp_path):
    shutil.copytree(qsp.data.data_dir() / "GHA", tmp_path / "GHA")
    path = tmp_path / "GHA" / "social_protection.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(("sp_expenditure_old_age,",
                                                                             "sp_expenditure,"))))
    country = qsp.data.load_country("GHA", directory=tmp_path)
    with pytest.raises(ValueError, match=r"GHA has no base-year figure 'sp_expenditure_old_age' .*pass "
                                         r"expenditure_shares=\{'pensions': fraction_of_gdp\}"):
        status_quo_budget(country, until=2040)
    with pytest.raises(ValueError, match=r"GHA has no base-year figure 'sp_expenditure' .*expenditure_shares="
                                         r"\{'other': fraction_of_gdp\}"):
        base_year_figures(country, expenditure_shares={"pensions": 0.01})
    figures = base_year_figures(country, expenditure_shares={"pensions": 0.01, "other": 0.0})
    assert figures.status.tolist() == ["given", "assumption", "published", "given"]
