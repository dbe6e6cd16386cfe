"""Economic, labour-market and social-protection data: the curated sources, their build and the loader.

Known values are those of the cited sources (e.g. Ghana Statistical Service, GDP 2023 GH¢841.63 billion,
March 2024; ZamStats, preliminary GDP 2023 K569,223.5 million); tools/economic_sources/<ISO3>.csv says
where every figure comes from.
"""

import csv
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import qsp.data
from qsp.data.economy import LFPR_GROUPS, MACRO_DEFAULTS, participation_by_age
from qsp.data.loader import DatasetError, MissingDatasetError, data_dir
from qsp.economy import MacroAssumptions, project_macro

ROOT = Path(__file__).resolve().parents[2]
ISO3 = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]
LOW_AND_MIDDLE_INCOME = ["GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]


def _load_build_module():
    if "build_datasets" in sys.modules:
        return sys.modules["build_datasets"]
    spec = importlib.util.spec_from_file_location("build_datasets", ROOT / "tools" / "build_datasets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_datasets"] = module
    spec.loader.exec_module(module)
    return module


build = _load_build_module()


@pytest.fixture(scope="module")
def loaded():
    return {iso: qsp.data.load_country(iso) for iso in ISO3}


def _population(country, year):
    """WPP 2024 total population in ``year``, log-linear between the decadal reference years."""
    totals = country.wpp_totals.sum(axis=-1)
    return float(np.exp(np.interp(year, country.wpp_years, np.log(totals))))


# ---------------------------------------------------------------------------------------------
# the curated sources
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("iso3", ISO3)
def test_every_source_row_has_a_source_status_check_and_plausible_value(iso3):
    rows = build.read_economic_sources(iso3)  # raises on any broken rule
    assert rows
    for row in rows:
        assert row["source"] and row["status"] in build.STATUSES and row["check"] in build.CHECKS
        spec = build.INDICATORS[row["indicator"]]
        assert spec.lower <= row["value"] <= spec.upper
        if row["status"] != "published":
            assert row["check"] == "n/a" and len(row["note"]) > 20, row


def test_some_figures_of_every_country_were_confirmed_in_a_source():
    for iso3 in ISO3:
        rows = build.read_economic_sources(iso3)
        confirmed = {r["indicator"] for r in rows if r["check"] == "confirmed"}
        assert confirmed & {"gdp_lcu", "real_gdp_growth", "cpi_inflation"}, iso3


def test_known_published_values():
    ghana = {(r["indicator"], r["year"]): r["value"] for r in build.read_economic_sources("GHA")}
    assert ghana[("gdp_lcu", 2023)] == 841.63e9  # GSS, March 2024
    assert ghana[("scheme_contributors", 2023)] == 1_951_494  # SSNIT active members
    zambia = {(r["indicator"], r["year"]): r["value"] for r in build.read_economic_sources("ZMB")}
    assert zambia[("gdp_lcu", 2023)] == 569_223.5e6  # ZamStats preliminary


def _base(iso3):
    return {r["indicator"]: r for r in build.read_economic_sources(iso3) if r["sex"] == "total"
            and r["year"] == 2023}


@pytest.mark.parametrize(("iso3", "value"), [("TZA", 656.8), ("ZMB", 6.8), ("MOZ", 24.8)])
def test_published_ppp_for_private_consumption(iso3, value):
    # World Bank WDI PA.NUS.PRVT.PP 2023 (ICP 2021 basis) as tabulated by Knoema (SADC table)
    row = _base(iso3)["ppp_private_consumption"]
    assert row["value"] == value and (row["status"], row["check"]) == ("published", "confirmed")
    assert "PA.NUS.PRVT.PP" in row["source"] and "ICP 2021" in row["source"]


def test_published_and_derived_government_finance():
    nepal = _base("NPL")  # IMF PR 23/413, central government, FY2022/23
    assert (nepal["revenue"]["value"], nepal["expenditure"]["value"]) == (19.3, 25.1)
    assert nepal["cpi_inflation"]["value"] == 7.8
    assert _base("GHA")["revenue"]["value"] == 15.7  # IMF Fiscal Monitor April 2024
    switzerland = _base("CHE")  # FFA 2023 state indicators: expenditure 32.0, surplus 0.5 (% of GDP)
    assert switzerland["expenditure"]["value"] == 32.0 and switzerland["revenue"]["status"] == "derived"
    assert switzerland["revenue"]["value"] == pytest.approx(32.0 + 0.5)
    # Senegal (DPEE 2023): resources 3,907.8 and expenditure 4,825.7 billion FCFA over GDP 18,619.5 billion
    senegal = _base("SEN")
    gdp = senegal["gdp_lcu"]["value"] / 1e9
    assert senegal["revenue"]["value"] == pytest.approx(100 * 3907.8 / gdp, abs=0.05)
    assert senegal["expenditure"]["value"] == pytest.approx(100 * 4825.7 / gdp, abs=0.05)
    deficit = senegal["expenditure"]["value"] - senegal["revenue"]["value"]
    assert deficit == pytest.approx(4.9, abs=0.1)  # the DPEE's published deficit, 4.9% of GDP


@pytest.mark.parametrize("iso3", ISO3)
def test_central_government_figures_say_so(iso3):
    for name in ("revenue", "expenditure"):
        row = _base(iso3)[name]
        if row["status"] != "assumption":
            assert ("central government" in row["note"]) or ("general government" in row["note"]), (iso3, name)


@pytest.mark.parametrize("iso3", ["GHA", "JOR", "TZA", "ZMB"])  # the countries with GDP for 2022 and 2023
def test_derived_deflators_follow_from_nominal_and_real_growth(iso3):
    rows = build.read_economic_sources(iso3)
    value = {(r["indicator"], r["year"]): r for r in rows}
    deflator = value[("gdp_deflator_inflation", 2023)]
    assert deflator["status"] == "derived"
    nominal = value[("gdp_lcu", 2023)]["value"] / value[("gdp_lcu", 2022)]["value"]
    real = 1 + value[("real_gdp_growth", 2023)]["value"] / 100
    assert deflator["value"] == pytest.approx(100 * (nominal / real - 1), abs=0.05)


def test_cfa_franc_rate_is_the_euro_parity_over_the_dollar_rate():
    rate = {r["indicator"]: r["value"] for r in build.read_economic_sources("SEN")}["exchange_rate"]
    assert rate == pytest.approx(655.957 / 1.0813, abs=0.05)


@pytest.mark.parametrize("iso3", ISO3)
def test_gdp_per_head_in_dollars_is_plausible_with_the_kit_population(loaded, iso3):
    country = loaded[iso3]
    per_head = country.economy["gdp_lcu"] / country.economy["exchange_rate"] / _population(country, 2023)
    low, high = (60_000, 130_000) if iso3 == "CHE" else (3_000, 7_000) if iso3 == "JOR" else (400, 3_000)
    assert low < per_head < high, (iso3, per_head)


def test_gdp_in_lcu_dollars_and_per_head_agree_where_all_are_published(loaded):
    zambia = loaded["ZMB"].economy
    implied_rate = zambia["gdp_lcu"] / zambia["gdp_usd"]
    assert implied_rate == pytest.approx(zambia["exchange_rate"], rel=0.05)
    per_head = zambia["gdp_usd"] / _population(loaded["ZMB"], 2023)
    assert per_head == pytest.approx(zambia["gdp_per_capita_usd"], rel=0.05)
    # Tanzania: GDP in TZS is the Mainland's, in US$ the United Republic's (Zanzibar adds a few percent)
    tanzania = loaded["TZA"].economy
    assert 0.9 < tanzania["gdp_lcu"] / tanzania["exchange_rate"] / tanzania["gdp_usd"] < 1.02


@pytest.mark.parametrize("iso3", ISO3)
def test_ppp_factors_are_below_the_exchange_rate_except_in_switzerland(loaded, iso3):
    economy = loaded[iso3].economy
    for name in ("ppp_gdp", "ppp_private_consumption"):
        ratio = economy[name] / economy["exchange_rate"]
        assert (1.0 < ratio < 1.6) if iso3 == "CHE" else (0.2 < ratio < 0.7), (iso3, name, ratio)


# ---------------------------------------------------------------------------------------------
# the built files and their package
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("iso3", ISO3)
def test_datapackage_lists_the_economic_files_with_their_source(iso3):
    folder = data_dir() / iso3
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for table in ("economy", "labour", "social_protection"):
        resource = resources[table]
        assert resource["path"] == f"{table}.csv" and resource["base_year"] == 2023
        assert resource["sources"][0]["path"] == f"tools/economic_sources/{iso3}.csv"
        assert resource["licenses"][0]["title"] and len(resource["transformation"]) > 50
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert sum(resource["rows_by_status"].values()) == len(rows)
        assert all(r["source"] and r["status"] in ("published", "derived", "assumption") for r in rows)
    assert any(s["path"] == f"tools/economic_sources/{iso3}.csv" for s in package["sources"])


def test_economic_build_needs_no_registry_package_and_is_current(capsys):
    assert build.main(["--only", "economy", "--check"]) == 0, capsys.readouterr().out
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    assert text.count(build.README_ECONOMIC_MARKER) == 1 and "index of dissimilarity" in text


@pytest.mark.parametrize("iso3", ISO3)
def test_participation_is_prime_age_rate_times_relative_profile(loaded, iso3):
    labour = loaded[iso3].labour
    for sex in ("female", "male"):
        prime = labour.figure("lfpr_prime_age", sex=sex).value
        for group in LFPR_GROUPS:
            relative = labour.figure("lfpr_relative", sex=sex, age_group=group).value
            lfpr = labour.figure("lfpr", sex=sex, age_group=group)
            assert lfpr.value == pytest.approx(min(100.0, prime * relative), abs=0.051)
            assert lfpr.status == "assumption"


# ---------------------------------------------------------------------------------------------
# the loader
# ---------------------------------------------------------------------------------------------
def test_economy_table_values_sources_and_frames(loaded):
    ghana = loaded["GHA"]
    assert ghana.economy["gdp_lcu"] == 841.63e9
    assert ghana.economy.figure("gdp_lcu", year=2022).value == 614.33e9
    assert "Ghana Statistical Service" in ghana.economy.source("gdp_lcu")
    assert ghana.economy.status("ppp_private_consumption") == "assumption"
    assert "gdp_lcu" in ghana.economy and ghana.economy.get("nothing", -1.0) == -1.0
    frame = ghana.economy.to_frame()
    assert list(frame.columns) == ["indicator", "sex", "age_group", "year", "value", "unit", "status", "check",
                                   "source", "note"]
    assert len(frame) == len(ghana.economy.figures)
    # a figure only published for an earlier year: the latest year up to the base year is used
    nepal = loaded["NPL"].labour.figure("unemployment_rate")
    assert nepal.year == 2018 and nepal.value == 11.4
    # social protection: contributors of the main scheme, with the scheme named in the note
    assert loaded["GHA"].social_protection.figure("scheme_contributors").note.startswith("SSNIT")
    assert list(loaded["SEN"].social_protection.to_frame()["indicator"]) == [
        "sp_expenditure", "sp_expenditure_old_age", "sp_expenditure_children", "health_expenditure_public"]


def test_participation_array_conventions(loaded):
    tanzania = loaded["TZA"]
    p = tanzania.participation
    assert p.shape == (2, 101) and np.all((p >= 0) & (p <= 1))
    assert np.all(p[:, :15] == 0)
    female_25_29 = tanzania.labour.figure("lfpr", sex="female", age_group="25-29").value / 100
    assert np.all(p[0, 25:30] == female_25_29)
    male_65 = tanzania.labour.figure("lfpr", sex="male", age_group="65+").value / 100
    assert np.all(p[1, 65:] == male_65)
    linear = participation_by_age(tanzania.labour, method="linear")
    assert linear[0, 27] == pytest.approx(female_25_29) and np.all(linear[:, :15] == 0)
    with pytest.raises(ValueError, match="method must be 'step' or 'linear'"):
        participation_by_age(tanzania.labour, method="spline")


@pytest.mark.parametrize("iso3", ISO3)
def test_aggregate_participation_is_plausible(loaded, iso3):
    country = loaded[iso3]
    population = country.base_population[:, 15:]
    rate = (population * country.participation[:, 15:]).sum(axis=-1) / population.sum(axis=-1)
    assert np.all((rate > 0.1) & (rate < 0.95)), (iso3, rate)


def test_unknown_indicator_lists_the_available_ones(loaded):
    with pytest.raises(ValueError, match=r"no indicator 'gdp' in .*economy.csv \(GHA economy\); available: gdp_lcu"):
        loaded["GHA"].economy["gdp"]
    with pytest.raises(ValueError, match=r"GHA gdp_lcu: no figure for 2019; years available: \[2022, 2023\]"):
        loaded["GHA"].economy.figure("gdp_lcu", year=2019)
    with pytest.raises(ValueError, match="no row for sex 'total' and age group '15-19'"):
        loaded["GHA"].labour.figure("lfpr", age_group="15-19")
    with pytest.raises(ValueError, match="no economic table named 'budget'"):
        qsp.data.load_table(loaded["GHA"].path, "GHA", "budget")


@pytest.fixture
def ghana_copy(tmp_path, monkeypatch):
    root = tmp_path / "datasets"
    shutil.copytree(data_dir() / "GHA", root / "GHA")
    monkeypatch.setenv("QSP_DATA_DIR", str(root))
    return root / "GHA"


def test_missing_economic_file_names_country_file_and_build_command(ghana_copy):
    (ghana_copy / "economy.csv").unlink()
    country = qsp.data.load_country("GHA")
    with pytest.raises(MissingDatasetError, match=r"GHA has no economic file economy.csv .*--only economy "
                                                  r"--countries GHA.*tools/economic_sources/GHA.csv"):
        _ = country.economy
    with pytest.raises(MissingDatasetError, match="GHA has no economic file economy.csv"):
        MacroAssumptions.for_country(country, until=2030)


def test_corrupt_economic_file_names_the_problem(ghana_copy):
    path = ghana_copy / "labour.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",assumption,", ",guess,", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"labour.csv: unknown status value\(s\) \['guess'\]"):
        _ = qsp.data.load_country("GHA").labour
    path = ghana_copy / "economy.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Ghana Statistical Service, annual GDP, March 2024 (ghanaweb)", "")
    path.write_text("\n".join(lines).replace(',"",', ",,") + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="column 'source' has a missing value on line 2"):
        _ = qsp.data.load_country("GHA").economy


# ---------------------------------------------------------------------------------------------
# validation of the curated sources (the build's messages)
# ---------------------------------------------------------------------------------------------
def _sources_with(tmp_path, old, new):
    text = (build.ECONOMIC_SOURCES / "GHA.csv").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "GHA.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("gdp_lcu,total,total,2023", "gdp_nominal,total,total,2023", "line 2: unknown indicator 'gdp_nominal'"),
    ("841630000000,GHS", "841630,GHS", r"gdp_lcu = 841630.0 outside its plausible range"),
    ("841630000000,GHS", "841630000000,USD", r"the unit of gdp_lcu is 'GHS', got 'USD'"),
    ("2.9,percent,published,confirmed", "2.9,percent,published,n/a", "check is 'n/a' exactly for derived"),
    ("2.9,percent,published,confirmed", "2.9,percent,estimate,confirmed", "status must be one of"),
    ("wage_share,total,total,2023,40,percent of GDP,assumption,n/a,kit assumption,\"assumption:",
     "wage_share,total,total,2023,40,percent of GDP,assumption,n/a,,\"assumption:", "every figure needs a source"),
    ("lfpr_prime_age,female,25-54", "lfpr_prime_age,total,25-54", "sex of lfpr_prime_age must be one of"),
    ("exchange_rate,total,total,2023", "exchange_rate,total,total,2010", "line 7: year 2010 outside"),
])
def test_source_validation_messages(tmp_path, old, new, message):
    folder = _sources_with(tmp_path, old, new)
    with pytest.raises(build.EconomicSourceError, match=message):
        build.read_economic_sources("GHA", folder)


def test_assumption_without_note_and_missing_required_figure(tmp_path):
    text = (build.ECONOMIC_SOURCES / "GHA.csv").read_text(encoding="utf-8").splitlines()
    wage = next(i for i, line in enumerate(text) if line.startswith("wage_share,"))
    fields = next(csv.reader([text[wage]]))
    text[wage] = ",".join(fields[:9]) + ","
    (tmp_path / "GHA.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(build.EconomicSourceError, match="line 17: every assumption figure needs a note"):
        build.read_economic_sources("GHA", tmp_path)
    del text[wage]
    (tmp_path / "GHA.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(build.EconomicSourceError, match=r"no figure for \['wage_share'\] in or before 2023"):
        build.read_economic_sources("GHA", tmp_path)


# ---------------------------------------------------------------------------------------------
# MacroAssumptions.for_country
# ---------------------------------------------------------------------------------------------
def test_macro_assumptions_take_base_year_facts_and_labelled_assumptions(loaded):
    ghana = loaded["GHA"]
    a = MacroAssumptions.for_country(ghana, until=2030)
    e = ghana.economy
    assert a.base_year == 2023 and a.nominal_gdp == 841.63e9
    assert a.cpi_inflation == a.gdp_deflator_inflation == e["assumed_inflation"] / 100
    assert e.status("assumed_inflation") == "assumption"
    assert a.nominal_interest_rate == pytest.approx((1 + e["assumed_real_interest_rate"] / 100)
                                                    * (1 + e["assumed_inflation"] / 100) - 1)
    assert a.ppp_factor == e["ppp_private_consumption"]
    assert MacroAssumptions.for_country(ghana, until=2030, ppp="gdp").ppp_factor == e["ppp_gdp"]
    assert set(MACRO_DEFAULTS) <= {f for f in a.__dataclass_fields__} | {"base_year"}
    # labour force = projected population x participation, one value per year 2023..2030
    population = ghana.project(until=2030).population[3:]
    expected = (population * ghana.participation).sum(axis=(-2, -1))
    np.testing.assert_allclose(a.labour_force, expected)
    frame = project_macro(a, years=np.arange(2023, 2031))
    # hand check of the first step: nominal GDP grows with employment, productivity and prices
    employment_growth = frame.employment[1] / frame.employment[0]
    assert frame.nominal_gdp[1] == pytest.approx(841.63e9 * employment_growth * (1 + a.productivity_growth)
                                                 * (1 + a.gdp_deflator_inflation))
    assert frame.employment[0] == pytest.approx(expected[0] * (1 - ghana.labour["unemployment_rate"] / 100))
    assert frame.employment[0] < population[0, :, 15:].sum()


def test_macro_assumptions_overrides_and_errors(loaded):
    scenario = loaded["TZA"].macro_assumptions(until=2040, cpi_inflation=0.08, employment=2.0e7)
    assert scenario.cpi_inflation == 0.08 and scenario.employment == 2.0e7 and scenario.labour_force is None
    assert MacroAssumptions.for_country("Zambia", until=2025).base_year == 2023
    with pytest.raises(ValueError, match=r"unknown macro assumption\(s\) \['inflation'\]"):
        MacroAssumptions.for_country(loaded["TZA"], inflation=0.05)
    with pytest.raises(ValueError, match="until must be a year from 2024 to 2070 for TZA"):
        MacroAssumptions.for_country(loaded["TZA"], until=2023)
    with pytest.raises(ValueError, match="ppp must be 'private_consumption' or 'gdp'"):
        MacroAssumptions.for_country(loaded["TZA"], ppp="market")


def test_docstring_examples_run():
    import doctest

    import qsp.data.economy

    result = doctest.testmod(qsp.data.economy, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


# ---------------------------------------------------------------------------------------------
# social-protection expenditure, coverage and the main schemes' finances
# ---------------------------------------------------------------------------------------------
def _rows(iso3):
    return {(r["indicator"], r["year"]): r for r in build.read_economic_sources(iso3) if r["sex"] == "total"}


@pytest.mark.parametrize(("iso3", "value"), [("GHA", 2.05082), ("MOZ", 2.7057), ("SEN", 0.89602),
                                             ("TZA", 0.98245), ("ZMB", 2.50694), ("NPL", 2.106)])
def test_public_health_expenditure_is_who_ghed_2022(iso3, value):
    # WHO GHED, GHED_GGHE-DGDP_SHA2011 (GHO download 2025-05-20): domestic general government health, % of GDP
    row = _rows(iso3)[("health_expenditure_public", 2022)]
    assert row["value"] == value and (row["status"], row["check"]) == ("published", "confirmed")
    assert "GHED_GGHE-DGDP_SHA2011" in row["source"] and "base year differs" in row["note"]


def test_ilo_profile_figures_for_tanzania():
    # ILO World Social Protection Database, country profile TZ: expenditure 1.7% of GDP (2019), SDG 1.3.1 14.0%
    rows = _rows("TZA")
    assert rows[("sp_expenditure", 2019)]["value"] == 1.7 and rows[("sp_coverage_any", 2019)]["value"] == 14.0
    assert all("ShowCountryProfile" in rows[key]["source"] for key in [("sp_expenditure", 2019), ("sp_coverage_any", 2019)])


def test_swiss_branches_are_derived_from_the_grss_shares():
    # BFS GRSS 2021: social benefits 27.8% of GDP; old age 40.9%, sickness/health 31.4%, disability 8.0%
    rows = _rows("CHE")
    expected = {"sp_expenditure": 27.8 * (1 - 0.314), "sp_expenditure_old_age": 27.8 * 0.409,
                "health_expenditure_public": 27.8 * 0.314, "sp_expenditure_disability": 27.8 * 0.080}
    for name, value in expected.items():
        row = rows[(name, 2021)]
        assert row["value"] == pytest.approx(value, abs=5e-5) and row["status"] == "derived", name
        assert "27.8" in row["note"] and "GRSS" in row["note"]
    assert rows[("sp_expenditure_children", 2018)]["value"] == 1.6   # BFS yearbook: CHF 10.5 bn in 2018
    other = rows[("sp_expenditure", 2021)]["value"] - rows[("sp_expenditure_old_age", 2021)]["value"] \
        - rows[("sp_expenditure_children", 2018)]["value"]
    assert other >= rows[("sp_expenditure_disability", 2021)]["value"]  # disability is part of "other"


def test_ssnit_benefits_and_contributions():
    # SSNIT 2019-2023 (newscenta): GH¢19,481.38 m benefits and GH¢25,200.89 m contributions in five years
    rows = _rows("GHA")
    years = range(2019, 2024)
    benefits = sum(rows[("scheme_benefit_expenditure", y)]["value"] for y in years)
    contributions = sum(rows[("scheme_contribution_income", y)]["value"] for y in years)
    assert benefits == pytest.approx(19_481.38e6, abs=0.02e6)
    assert contributions == pytest.approx(25_200.89e6, abs=0.02e6)
    assert rows[("scheme_benefit_expenditure", 2023)]["unit"] == "GHS"
    share = rows[("scheme_benefit_expenditure", 2023)]["value"] / rows[("gdp_lcu", 2023)]["value"]
    assert 0.005 < share < 0.008   # SSNIT benefits are about 0.65% of GDP in 2023


def test_social_protection_table_in_the_readme():
    text = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert "| ISO3 | social protection excl. health | old age | children | health (public) | SDG 1.3.1 |" in text
    assert "`scheme_benefit_expenditure`" in text and "`sp_expenditure_disability`" in text


# ---------------------------------------------------------------------------------------------
# social-protection figures the social budget calibrates on: published where found, else labelled
# ---------------------------------------------------------------------------------------------
BRANCH_FIGURES = ("sp_expenditure", "sp_expenditure_old_age", "sp_expenditure_children", "health_expenditure_public")


@pytest.mark.parametrize("iso3", ISO3)
def test_every_country_has_the_four_branch_figures_each_labelled(iso3):
    rows = build.read_economic_sources(iso3)
    for name in BRANCH_FIGURES:
        found = [r for r in rows if r["indicator"] == name and r["year"] <= build.ECONOMIC_BASE_YEAR]
        assert found, (iso3, name)
        row = max(found, key=lambda r: r["year"])
        if row["status"] == "assumption":
            assert row["check"] == "n/a" and "Labelled assumption" in row["note"], (iso3, name)
            assert "ILO" in row["source"] or row["source"].startswith("kit assumption"), (iso3, name)


# ILO (2014) Africa: older persons 1.3, children 0.2, working age 0.5 percent of GDP -> shares 0.65 and 0.10
@pytest.mark.parametrize(("iso3", "year", "total"), [("TZA", 2019, 1.7), ("SEN", 2021, 2.5), ("ZMB", 2023, 0.7),
                                                     ("MOZ", 2023, 0.7)])
def test_benchmark_split_of_the_total_by_the_ilo_africa_composition(iso3, year, total):
    rows = _rows(iso3)
    assert rows[("sp_expenditure", year)]["value"] == total
    old_age, children = rows[("sp_expenditure_old_age", year)], rows[("sp_expenditure_children", year)]
    assert old_age["value"] == pytest.approx(total * 1.3 / 2.0) and children["value"] == pytest.approx(total * 0.2 / 2.0)
    for row in (old_age, children):
        assert row["status"] == "assumption" and "ILO (2014)" in row["source"] and f"{total:g} x" in row["note"]


def test_income_group_benchmarks_of_the_wspr_2024_26():
    # WSPR 2024-26 (2023): low income 0.7, lower-middle 4.1 percent of GDP (socialprotection.org summary)
    for iso3, value, group in [("ZMB", 0.7, "low income"), ("MOZ", 0.7, "low income"), ("GHA", 4.1, "lower-middle")]:
        row = _rows(iso3)[("sp_expenditure", 2023)]
        assert row["value"] == value and row["status"] == "assumption", iso3
        assert "World Social Protection Report 2024-26" in row["source"] and f"World Bank income group: {group}" in \
            row["note"], iso3
    ghana = _rows("GHA")
    assert ghana[("sp_expenditure_children", 2023)]["value"] == pytest.approx(0.41)


def test_derived_and_published_old_age_and_health_figures():
    ghana = _rows("GHA")
    derived = ghana[("sp_expenditure_old_age", 2023)]
    ratio = 100 * ghana[("scheme_benefit_expenditure", 2023)]["value"] / ghana[("gdp_lcu", 2023)]["value"]
    assert derived["status"] == "derived" and derived["value"] == pytest.approx(ratio, abs=5e-5)   # 0.6471
    jordan = _rows("JOR")
    # World Bank (Jordan Times, 8 April 2021): pensions and workers' compensation some 9 percent of GDP in 2019
    assert jordan[("sp_expenditure_old_age", 2019)]["value"] == 9.0
    assert jordan[("sp_expenditure_old_age", 2019)]["status"] == "published"
    # WHO GHED GGHE-D, Jordan 2018: 3.00018 percent of GDP
    health = jordan[("health_expenditure_public", 2018)]
    assert health["value"] == 3.00018 and "GHED_GGHE-DGDP_SHA2011" in health["source"]
    # total = old age + children (0.4, ILO world level), so the 'other' branch is zero
    assert jordan[("sp_expenditure", 2019)]["value"] == pytest.approx(9.0 + jordan[("sp_expenditure_children", 2019)]
                                                                      ["value"])
    # Senegal: CICODEV 'dépenses globales de protection sociale' 2.5 percent of GDP in 2021
    senegal = _rows("SEN")[("sp_expenditure", 2021)]
    assert (senegal["value"], senegal["status"], senegal["check"]) == (2.5, "published", "confirmed")
    nepal = _rows("NPL")
    assert nepal[("sp_expenditure_children", 2019)]["value"] == 0.2 and "Southern Asia" in \
        nepal[("sp_expenditure_children", 2019)]["note"]
    assert nepal[("sp_expenditure_old_age", 2019)]["value"] == pytest.approx(3.9 * 0.65)


def test_readme_explains_the_labelled_assumptions():
    text = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert "**labelled assumption**" in text and "qsp.budget.base_year_figures(iso3)" in text
    for rule in build.SOCIAL_ASSUMPTION_RULES:
        assert rule in text
    assert "| ZMB | 0.7 (a) | 0.455 (a) | 0.07 (a) |" in text
