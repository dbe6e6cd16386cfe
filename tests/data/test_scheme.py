"""The SYNTHETIC pension scheme (datasets/schemes/jor-ssc-synthetic): calibration, loading, valuation.

Every achieved calibration value is recomputed here from the CSV files with pandas (not read
from calibration.csv, not computed by the loader) and compared with the cited target within the
tolerance stated in calibration.csv.
"""

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import qsp.data
from qsp.data.scheme import FILES, schemes_dir

ROOT = Path(__file__).resolve().parents[2]
NAME = "jor-ssc-synthetic"
FOLDER = schemes_dir() / NAME
PENSION_TYPES = ("old_age", "disability", "survivor", "orphan")


def _load_build_module():
    spec = importlib.util.spec_from_file_location("build_scheme", ROOT / "tools" / "build_scheme.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_scheme"] = module
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
SOURCES = json.loads((FOLDER / "datapackage.json").read_text())["sources"]


@pytest.fixture(scope="module")
def scheme():
    return qsp.data.load_scheme(NAME)


@pytest.fixture(scope="module")
def valuation(scheme):
    return scheme.value(years=75)


@pytest.fixture(scope="module")
def files():
    return {name: pd.read_csv(FOLDER / path) for name, path in FILES.items()}


def _recomputed(files, scheme) -> dict[str, float]:
    actives, pensioners, by_age = files["actives"], files["pensioners"], files["assumptions_by_age"]
    count = actives["count"].sum()
    wage = (actives["count"] * actives["wage"]).sum() / count                  # JD a year
    labour_force = (by_age["participation_rate"] * by_age["population"]).sum()
    country = qsp.data.load_country("JOR")
    population_2024 = country.project(until=2024).population[-1].sum()        # 1 July 2024
    adults = by_age[by_age["age"] >= 15]

    def participation(sex):
        rows = adults[adults["sex"] == sex]
        return (rows["participation_rate"] * rows["population"]).sum() / rows["population"].sum()

    direct = pensioners[pensioners["type"].isin(["old_age", "disability"])]
    dependants = pensioners[pensioners["type"].isin(["survivor", "orphan"])]
    first_year = scheme.project(years=1)
    return {
        "active_contributors": count,
        "women_share_of_actives": actives.loc[actives["sex"] == "female", "count"].sum() / count,
        "average_monthly_insurable_wage": wage / 12,
        "average_wage_over_gdp_per_capita": wage / (build.GDP_2024 / population_2024),
        "coverage_of_labour_force": count / labour_force,
        "participation_rate_men_15_plus": participation("male"),
        "participation_rate_women_15_plus": participation("female"),
        "living_direct_pensioners": direct["count"].sum(),
        "women_direct_pensioners": direct.loc[direct["sex"] == "female", "count"].sum(),
        "dependants_in_payment": dependants["count"].sum(),
        "annual_pension_bill": (pensioners["count"] * pensioners["amount"]).sum(),
        # reserve at the valuation date over the first projection year's expenditure
        "reserve_in_years_of_expenditure": float(scheme.value(years=1).reserve_ratio[0]),
        # early retirements and exits with a settlement in the first projection year (engine)
        "early_pensions_first_year": float(first_year.total(first_year.early_retired_active)[0]
                                           + first_year.total(first_year.early_retired_inactive)[0]),
        "settlements_first_year": float(first_year.total(first_year.exits)[0]),
    }


def test_calibration_targets_are_reproduced_within_tolerance(files, scheme):
    calibration = files["calibration"]
    achieved = _recomputed(files, scheme)
    assert set(calibration["quantity"]) == set(achieved), "every calibration row is recomputed here"
    for row in calibration.itertuples():
        value = achieved[row.quantity]
        assert abs(value - row.target) <= row.tolerance, (
            f"{row.quantity}: achieved {value:.6g}, target {row.target:.6g} ± {row.tolerance:.6g} ({row.source})")
        # the table states what the files give (10 significant digits)
        engine = row.quantity in build.ENGINE_QUANTITIES                  # 4 digits: they come from the engine
        assert value == pytest.approx(row.achieved, rel=1e-3 if engine else 1e-8), row.quantity
        cited = re.findall(r"\bS\d+\b", row.source)
        assert set(cited) <= set(SOURCES) and (cited or "recall" in row.source), row.source
        assert row.status.split()[0] in ("confirmed", "recall", "derived", "assumption"), row.status


def test_confirmed_targets_are_the_published_figures(files):
    # figures read in the sources while building (S1: Jordan Times 30 April 2025; S2: Ammon News 7 May 2019;
    # S3: Jordan Times 5 November 2019)
    targets = dict(zip(files["calibration"]["quantity"], files["calibration"]["target"]))
    assert targets["active_contributors"] == 1_600_000
    assert targets["living_direct_pensioners"] == 250_000
    assert targets["women_direct_pensioners"] == 58_751
    assert targets["dependants_in_payment"] == 166_161
    assert targets["women_share_of_actives"] == pytest.approx(372_000 / 1_305_000, abs=0.001)
    assert targets["coverage_of_labour_force"] == 0.64
    # JD 542 a month in 2019 grown at 1.5% a year for 5 years: 542 x 1.015^5 = 583.89
    assert targets["average_monthly_insurable_wage"] == pytest.approx(542 * 1.015**5, abs=0.01)
    # JD 130 million a month in December 2022, 8% a year for two years, 12 months: 1.8196 bn
    assert targets["annual_pension_bill"] == pytest.approx(12 * 130e6 * 1.08**2, rel=1e-6)


def test_members_are_conserved_between_files_and_arrays(files, scheme):
    members = scheme.membership
    for name, sex in (("female", 0), ("male", 1)):
        for table, counts in (("actives", members.actives), ("inactives", members.inactives)):
            frame = files[table]
            assert counts[sex].sum() == frame.loc[frame["sex"] == name, "count"].sum()
    for k, kind in enumerate(PENSION_TYPES):
        rows = files["pensioners"][files["pensioners"]["type"] == kind]
        assert members.pensioners[k].sum() == rows["count"].sum()
        assert (members.pensioners[k] * members.pension_amounts[k]).sum() == pytest.approx(
            (rows["count"] * rows["amount"]).sum(), rel=1e-12)
    wage_bill = (files["actives"]["count"] * files["actives"]["wage"]).sum()
    assert float(members.totals()["wage_bill"]) == pytest.approx(wage_bill, rel=1e-12)
    # a service distribution, not one average: each age holds many service values, never above age - 16
    actives = files["actives"]
    assert (actives["service"] <= actives["age"] - 16).all()
    assert actives.query("sex == 'male' and age == 45")["service"].nunique() > 15


def test_valuation_runs_75_years_with_plausible_figures(scheme, valuation):
    cost = valuation.payg_cost_rate
    assert cost.shape == (75,) and np.isfinite(cost).all()
    assert int(valuation.years[0]) == 2025 and int(valuation.years[-1]) == 2099
    # first year near the 17.5% contribution rate (the SSC's own study: contributions equal expenditure in 2030),
    # then rising as the scheme matures and the population ages
    assert 0.12 < cost[0] < 0.22
    assert cost[0] < cost[24] < cost[49]
    assert (cost < 0.8).all()
    gap_75 = valuation.general_average_premium()
    assert cost.min() < gap_75 < cost.max()
    target = files_target("reserve_in_years_of_expenditure")
    assert valuation.reserve_ratio[0] == pytest.approx(target[0], abs=target[1])
    residuals = valuation.projection.conservation()
    for name, values in residuals.items():
        assert np.abs(values).max() < 1e-6 * 4e6, name


def files_target(quantity):
    calibration = pd.read_csv(FOLDER / FILES["calibration"]).set_index("quantity")
    return calibration.loc[quantity, "target"], calibration.loc[quantity, "tolerance"]


def test_retirement_rules_of_the_law(scheme, valuation):
    # S8: 55 (women) and 60 (men); S10/S20: early from 50 with 19 (women) / 21 (men) years; S4: lesser of inflation
    # and wage growth with a cap (itself indexed); S19: settlements for exits below 120 contributions
    rules = scheme.rules
    assert rules.normal_retirement_age == {"female": 55, "male": 60}
    assert rules.early_retirement_age == {"female": 50, "male": 50}
    assert rules.early_minimum_years == {"female": 19, "male": 21}
    assert rules.indexation == "lesser" and rules.indexation_cap_indexed
    assert valuation.projection.retirement_age_by_sex[0].tolist() == [55, 60]
    assert scheme.assumptions.exit_service_factor[9] == 1 and scheme.assumptions.exit_service_factor[-1] == 0
    projection = valuation.projection
    # no member retires before 50 nor (women) after 55 / (men) after 60; early pensions about half of new ones
    new = projection.new_pensioners["old_age"]
    assert new[:, :, :50].sum() == 0 and new[:, 0, 56:].sum() == 0 and new[:, 1, 61:].sum() == 0
    early = projection.total(projection.early_retired_active) + projection.total(projection.early_retired_inactive)
    share = early[1:10].sum() / projection.total(new)[1:10].sum()
    assert 0.3 < share < 0.6, share
    # settlements are paid (counted in the lump sums) and members are conserved with the new flows
    assert np.all(projection.settlements > 0) and np.all(projection.lump_sums >= projection.settlements)


def test_overrides_route_to_rules_projection_and_valuation(scheme, valuation):
    later = scheme.value(years=30, normal_retirement_age=62)
    assert later.payg_cost_rate[24] < valuation.payg_cost_rate[24]           # fewer pensions, more contributors
    higher = scheme.value(years=5, contribution_rate=0.20)
    assert higher.contributions[0] == pytest.approx(valuation.contributions[0] * 0.20 / 0.175, rel=1e-12)
    with pytest.raises(ValueError, match="unknown override 'retirement_rate'"):
        scheme.value(years=5, retirement_rate=0.1)
    with pytest.raises(ValueError, match="years must be a whole number of projection years from 1 to 100"):
        scheme.value(years=101)


def test_bad_scheme_name_lists_the_available_ones():
    with pytest.raises(ValueError, match=r"no synthetic scheme named 'jordan'\. Available: jor-ssc-synthetic"):
        qsp.data.load_scheme("jordan")
    assert NAME in qsp.data.schemes() and "SYNTHETIC" in qsp.data.schemes()[NAME]


def test_everything_says_synthetic(scheme):
    assert scheme.synthetic and "SYNTHETIC" in repr(scheme) and "SYNTHETIC" in repr(scheme.assumptions)
    for frame in (scheme.calibration, scheme.parameters, *(scheme.frame(name) for name in FILES)):
        assert frame["synthetic"].all() and frame.attrs["synthetic"] is True
        assert "SYNTHETIC" in frame.attrs["title"]
    with pytest.raises(ValueError, match="no frame named 'members'"):
        scheme.frame("members")
    meta = json.loads((FOLDER / "scheme.json").read_text())
    package = json.loads((FOLDER / "datapackage.json").read_text())
    assert meta["synthetic"] is True and package["synthetic"] is True and package["seed"] == meta["seed"]
    assert "SYNTHETIC" in (FOLDER / "README.md").read_text()
    for resource in package["resources"]:
        data = (FOLDER / resource["path"]).read_bytes()
        assert resource["synthetic"] is True
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert len(package["calibration"]) == len(pd.read_csv(FOLDER / FILES["calibration"]))


def test_check_mode_passes(capsys):
    assert build.main(["--check"]) == 0
    assert "scheme is up to date" in capsys.readouterr().out


def test_financing_figure(valuation, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from qsp.pensions.plots import financing_summary, plot_scheme_financing

    summary = financing_summary(valuation)
    assert set(summary.general_average_premiums) == {50, 75}
    assert summary.general_average_premiums[75] == pytest.approx(valuation.general_average_premium())
    assert summary.scaled_premium.shape == (75,)
    if summary.exhaustion_year is not None:
        k = summary.exhaustion_year - 2025
        assert valuation.reserve.reserve[k] < 0 <= valuation.reserve.reserve[:k].min()
    figure = plot_scheme_financing(valuation, title="SYNTHETIC")
    path = tmp_path / "figure.png"
    figure.savefig(path, dpi=90)
    plt.close(figure)
    assert 10_000 < path.stat().st_size < 150_000
    committed = ROOT / "docs" / "figures" / "scheme-financing.png"
    assert committed.stat().st_size < 150_000
    with pytest.raises(ValueError, match="horizons must be whole numbers of years from 1 to 75"):
        financing_summary(valuation, horizons=(80,))


def test_docstring_examples_run():
    import doctest

    import qsp.data.scheme

    result = doctest.testmod(qsp.data.scheme, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
