"""tools/build_datasets.py: provenance of every file, determinism, and its derivation steps."""

import csv
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.data.loader import data_dir

ROOT = Path(__file__).resolve().parents[2]
ISO3 = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]


def _load_build_module():
    spec = importlib.util.spec_from_file_location("build_datasets", ROOT / "tools" / "build_datasets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_datasets"] = module  # dataclasses look the module up while it is executed
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
build.wpp = __import__("qsp.data.wpp", fromlist=["wpp"])


@pytest.mark.parametrize("iso3", ISO3)
def test_datapackage_describes_every_file_completely(iso3):
    folder = data_dir() / iso3
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-3.0-IGO"
    csv_files = {p.name for p in folder.glob("*.csv")}
    assert {r["path"] for r in package["resources"]} == csv_files
    for resource in package["resources"]:
        path = folder / resource["path"]
        data = path.read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["type"] in ("integer", "number", "string") and f["description"] for f in resource["schema"]["fields"])
        if resource["name"] in ("economy", "labour", "social_protection"):
            continue  # the economic files cite a source per row: tests/data/test_economy_data.py
        license_ = resource["licenses"][0]
        assert license_["name"] == "CC-BY-3.0-IGO" and license_["path"].startswith("https://creativecommons.org/")
        assert "United Nations, Department of Economic and Social Affairs, Population Division (2024). World " \
               "Population Prospects 2024." in resource["citation"]
        assert resource["reference_date"] == "1 July"
        assert len(resource["transformation"]) > 20
        for source in resource["sources"]:
            assert source["via"]["package"].startswith(("starsim-data", "wpp2024")) and source["via"]["version"]
            assert source["revision"] == "WPP 2024" and source["variant"]
            for name, digest in source["via"].get("files", {}).items():  # the committed UN extracts
                assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, name
    meta = json.loads((folder / "country.json").read_text(encoding="utf-8"))
    assert meta["iso3"] == iso3 and meta["reference_date"] == "1 July" and meta["method"] == "components: full"


def test_the_un_extracts_are_committed_small_and_documented():
    sources = data_dir() / "sources" / "wpp2024"
    readme = (sources / "README.md").read_text(encoding="utf-8")
    assert "CC BY 3.0 IGO" in readme and "wpp2024" in readme and "1.1-3" in readme
    for name in build.SOURCE_FILES.values():
        path = sources / name
        assert path.stat().st_size < 1_000_000 and f"`{name}`" in readme
        with path.open(newline="", encoding="utf-8") as handle:
            assert set(next(csv.reader(handle))) >= {"iso3"}
    assert build.read_components("NPL", sources).mx.shape == (10, 2, 22)


def test_component_migrants_keep_wpp_levels_by_step_and_the_period_by_age():
    comp = build.read_components("NPL", data_dir() / "sources" / "wpp2024")
    years = np.arange(2020, 2071)
    migrants = build.wpp.component_migrants(comp, years)
    totals = comp.migrant_totals
    # steps 2020-2022: half of calendar years t and t+1 of WPP's annual totals (Nepal: 162,139 in 2020,
    # 130,001 in 2021: step 2020 = 146,070)
    assert migrants[0].sum() == pytest.approx((totals[2020] + totals[2021]) / 2, rel=1e-9)
    assert migrants[0].sum() == pytest.approx(146_070, abs=1)
    # the five steps of 2020-2025 together are WPP's period migrants by sex and 5-year group (Beers keeps
    # groups), up to the difference between WPP's annual and period totals (rounding: 0.4 persons for Nepal)
    period = np.add.reduceat(migrants[:5].sum(axis=0), np.arange(0, 101, 5), axis=-1)
    np.testing.assert_allclose(period, comp.migrants_5yr, rtol=0, atol=1e-5 * np.abs(comp.migrants_5yr).max())
    # from 2023: the mean of the two calendar years of WPP's single-age series
    np.testing.assert_allclose(migrants[3], (comp.migrants_1yr[2023] + comp.migrants_1yr[2024]) / 2)


def test_rebuilding_one_country_gives_the_committed_files(capsys):
    # the whole build takes about 10 s; one country is enough to show it is deterministic and current
    # (`python tools/build_datasets.py --check` compares all of them and README.md)
    assert build.main(["--countries", "GHA", "--check"]) == 0, capsys.readouterr().out


def test_readme_lists_every_country_and_the_measured_agreement():
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    for iso3 in ISO3:
        assert f"| `{iso3}` |" in text and f"| {iso3} |" in text
    assert "index of dissimilarity" in text and "CC BY 3.0 IGO" in text
    assert "worst 0-84" in text and "components: full" in text


# WPP 2024 life expectancy at birth in 2020, as published in the UN's data files distributed with the R
# package wpp2024 (github.com/PPgp/wpp2024, data-raw/e0F.txt and e0M.txt, column 2020).
PUBLISHED_E0_2020 = [("GHA", 0, 66.6715), ("GHA", 1, 62.0282), ("SEN", 1, 65.4846)]


@pytest.mark.parametrize(("iso3", "sex", "published"), PUBLISHED_E0_2020)
def test_single_age_table_has_wpp_published_life_expectancy(iso3, sex, published):
    from qsp.demography.lifetable import life_table

    wpp = build.read_wpp2024(iso3)
    mx = build.single_age_mortality(wpp.mx[wpp.at(2020)])
    assert life_table(mx).e0[sex] == pytest.approx(published, abs=0.02)


@given(level=st.floats(1e-5, 5e-4), slope=st.floats(0.06, 0.11), infant=st.floats(0.002, 0.08),
       hump=st.floats(0.0, 0.002))
def test_expansion_regroups_to_the_abridged_rates(level, slope, infant, hump):
    ages = np.arange(101) + 0.5
    single = level * np.exp(slope * ages) + hump * np.exp(-((ages - 22) / 6) ** 2) + 0.0003
    single[0] = infant
    single = np.minimum(np.stack([single, 1.2 * single]), 0.9)  # (sex, age): women, men
    abridged = build.regroup_mx(single)
    expanded = build.expand_abridged_mx(abridged)
    assert (expanded > 0).all()
    np.testing.assert_allclose(build.regroup_mx(expanded), abridged, rtol=1e-6)


def test_interpolation_is_log_linear_between_decades():
    series = np.exp(np.arange(build.DECADES.size, dtype=float))  # e^0 in 1950, e^1 in 1960, ...
    assert build.interpolate(series, np.array([1955.0]), log=True)[0] == pytest.approx(np.exp(0.5))
    assert build.interpolate(series, np.array([1955.0]))[0] == pytest.approx((1 + np.e) / 2)
    assert build.step_labels(np.array([2020, 2021, 2022])).tolist() == [2020.5, 2021.5]


def test_written_values_have_no_negative_zero_and_fixed_precision():
    text = build.as_text(np.array([-0.04, 0.05, 1234.56, -12.34]), "migrants").tolist()
    assert text == ["0.0", "0.1", "1234.6", "-12.3"] or text == ["0.0", "0.0", "1234.6", "-12.3"]
    assert build.as_text(np.array([0.000123456789]), "rate").tolist() == ["0.000123457"]


def test_emigration_pattern_never_takes_more_people_than_there_are():
    population = np.zeros((2, 101))
    population[:, :90] = 1000.0  # nobody aged 90 or over
    migrants = build.migration_pattern(population, -5000.0)
    assert migrants.sum() == pytest.approx(-5000.0, abs=20)
    assert (migrants[:, 90:] == 0).all()
    immigrants = build.migration_pattern(population, 5000.0)
    assert (immigrants >= 0).all() and immigrants.sum() == pytest.approx(5000.0, abs=20)


def test_un_population_bounds_are_the_extract_read_at_1_july():
    import qsp.data

    bounds = qsp.data.un_population_bounds("TZA")
    assert bounds.index[0] == 2025 and bounds.index[-1] == 2070
    # 1 July 2050 = mean of the UN's 31 December 2049 and 2050 (extract, thousands): Tanzania's medians
    rows = {r["year"]: r for r in csv.DictReader((data_dir() / "sources" / "wpp2024" / "pop_total_annual_bounds.csv")
                                                 .open(encoding="utf-8")) if r["iso3"] == "TZA"}
    assert bounds.loc[2050, "median"] == pytest.approx(500 * (float(rows["2049"]["pop"]) + float(rows["2050"]["pop"])))
    assert (bounds.lower_95 < bounds.lower_80).all() and (bounds.lower_80 < bounds["median"]).all()
    assert (bounds["median"] < bounds.upper_80).all() and (bounds.upper_80 < bounds.upper_95).all()
    with pytest.raises(KeyError, match="no probabilistic projection of 'PER'"):
        qsp.data.un_population_bounds("PER")
