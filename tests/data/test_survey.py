"""The SYNTHETIC Tanzania survey: calibration recomputed from the files, provenance, the loader's checks."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest
import qsp.poverty as pv
from qsp.data import DatasetError, load_survey, read_survey, survey_from_frames, survey_metadata, surveys
from qsp.data.survey import surveys_dir

NAME = "tza-hbs-synthetic"


@pytest.fixture(scope="module")
def survey():
    return load_survey(NAME)


@pytest.fixture(scope="module")
def meta():
    return survey_metadata(NAME)


def test_the_survey_is_labelled_synthetic_and_small(meta):
    assert NAME in surveys()
    assert meta["synthetic"] is True and "SYNTHETIC" in meta["title"]
    folder = surveys_dir() / NAME
    assert "SYNTHETIC DATA" in (folder / "README.md").read_text()
    assert sum(p.stat().st_size for p in folder.iterdir()) < 2_000_000
    for resource in meta["resources"]:
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        header = data.split(b"\n", 1)[0].decode().split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_calibration_targets_hold_when_recomputed_from_the_files(survey, meta):
    targets = {row["quantity"]: row for row in meta["calibration"]}
    line = meta["poverty_lines"]["basic_needs"]["value"]
    assert line == 12 * 49_320                                   # NBS basic-needs line, per adult equivalent
    achieved = {
        "national_basic_needs_headcount": pv.fgt(survey.welfare, survey.person_weight, line),
        "gini_per_capita": pv.gini(survey.with_scale("per_capita").welfare, survey.person_weight),
        "household_size": survey.person_weight.sum() / survey.weight.sum(),
        "population": survey.population,
    }
    for key, value in achieved.items():
        row = targets[key]
        assert abs(value - row["target"]) <= row["tolerance"], key
        assert value == pytest.approx(row["achieved"], rel=1e-5), key
    assert targets["national_basic_needs_headcount"]["target"] == 0.264
    assert targets["gini_per_capita"]["target"] == 0.40
    # the weighted population by sex and age group is WPP 2020's (raking)
    from qsp.data import load_country

    wpp = load_country("TZA").base_population
    weights = survey.weight[survey.member_household]
    for sex in (0, 1):
        for low, high in ((0, 5), (15, 25), (65, 101)):
            mask = (survey.sex == sex) & (survey.age >= low) & (survey.age < high)
            assert weights[mask].sum() == pytest.approx(wpp[sex, low:high].sum(), rel=1e-6)


def test_the_survey_teaches_what_module_9_needs(survey, meta):
    line = meta["poverty_lines"]["basic_needs"]["value"]
    # urban over-sampling: the unweighted headcount is biased (a typical mistake shows)
    unweighted = pv.fgt(survey.welfare, 1.0, line)
    weighted = pv.fgt(survey.welfare, survey.person_weight, line)
    assert weighted - unweighted > 0.01
    # poverty is highest in rural areas, lowest in Dar es Salaam
    by = pv.fgt_by_group(survey.welfare, survey.person_weight, line, survey.region)
    assert survey.region_names == ("Dar es Salaam", "other urban", "rural")
    assert by.by_group[0] < by.by_group[1] < by.by_group[2]
    # a proxy-means test from the characteristics explains a realistic share of log consumption
    names = [k for k in survey.extra if k != "urban"]
    x = np.column_stack([survey.extra[k] for k in names] + [survey.region == 0, survey.region == 1])
    assert 0.3 < pv.fit_pmt(x, survey.welfare, survey.person_weight).r_squared < 0.7
    # design: clusters in strata give a standard error above the simple-random-sample one
    se = pv.fgt_se(survey.welfare, survey.person_weight, line, stratum=survey.stratum, cluster=survey.cluster)
    srs = pv.fgt_se(survey.welfare, survey.person_weight, line)
    assert se > srs > 0


def test_generator_reproduces_the_committed_files(tmp_path):
    from qsp.data.build_survey import write
    from qsp.data.loader import data_dir

    write(data_dir(), tmp_path)
    for name in ("households.csv", "members.csv", "datapackage.json", "README.md"):
        assert (tmp_path / "surveys" / NAME / name).read_bytes() == (surveys_dir() / NAME / name).read_bytes(), name


def _tables():
    households = pd.DataFrame({"household_id": ["a", "b"], "weight": [10.0, 20.0], "consumption": [1200.0, 900.0],
                               "stratum": [1, 1], "cluster": [1, 2], "rooms": [2, 1]})
    members = pd.DataFrame({"household_id": ["a", "a", "b"], "age": [40, 9, 70], "sex": ["female", "male", "F"]})
    return households, members


def test_read_survey_round_trip_and_layout(tmp_path):
    households, members = _tables()
    households.to_csv(tmp_path / "households.csv", index=False)
    members.to_csv(tmp_path / "members.csv", index=False)
    s = read_survey(tmp_path)
    np.testing.assert_allclose(s.welfare, [600.0, 900.0])
    np.testing.assert_array_equal(s.sex, [0, 1, 0])
    assert set(s.extra) == {"rooms"}
    assert read_survey(tmp_path, scale="oecd_modified").adult_equivalents.tolist() == [1.3, 1.0]


@pytest.mark.parametrize("change, message", [
    (lambda h, m: h.drop(columns="weight"), r"lacks the column\(s\) \['weight'\]"),
    (lambda h, m: h.assign(weight=[10.0, -1.0]), "'weight' is -1 at row 1"),
    (lambda h, m: m.assign(household_id=["a", "a", "z"]), "member row 2 belongs to household 'z'"),
    (lambda h, m: m.assign(sex=["female", "x", "male"]), "'sex' is 'x' at row 1"),
    (lambda h, m: h.assign(rooms=["two", "one"]), "extra column 'rooms' is not numeric"),
])
def test_loader_names_what_is_wrong(change, message):
    households, members = _tables()
    changed = change(households, members)
    if "age" in changed.columns:
        members = changed
    else:
        households = changed
    with pytest.raises(DatasetError, match=message):
        survey_from_frames(households, members)


def test_missing_files_and_unknown_names(tmp_path):
    with pytest.raises(FileNotFoundError, match="households.csv and members.csv"):
        read_survey(tmp_path)
    with pytest.raises(ValueError, match="no survey named 'xyz'. Available: tza-hbs-synthetic"):
        load_survey("xyz")
    assert json.loads((surveys_dir() / NAME / "datapackage.json").read_text())["seed"] == 2018
