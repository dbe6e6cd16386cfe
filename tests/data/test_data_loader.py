"""qsp.data: every country loads as validated arrays; names, errors and corrupt files."""

import shutil

import numpy as np
import pytest
import qsp.data
from qsp.data.loader import DatasetError, MissingDatasetError, data_dir

ISO3 = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]


@pytest.fixture(scope="module")
def loaded():
    return {iso: qsp.data.load_country(iso) for iso in ISO3}


@pytest.fixture
def copy_of(tmp_path):
    """Copy one country's folder into a fresh datasets folder and return (root, folder)."""

    def make(iso3="GHA"):
        root = tmp_path / "datasets"
        shutil.copytree(data_dir() / iso3, root / iso3)
        return root, root / iso3

    return make


def test_countries_lists_the_eight_countries():
    available = qsp.data.countries()
    assert sorted(available) == ISO3
    assert available["TZA"] == "United Republic of Tanzania"


@pytest.mark.parametrize("iso3", ISO3)
def test_country_loads_with_library_shapes_and_plausible_values(loaded, iso3):
    country = loaded[iso3]
    n_years = country.years.size
    assert country.years[0] == 2020 and np.all(np.diff(country.years) == 1)
    assert country.base_population.shape == (2, 101)
    assert country.mx.shape == (n_years - 1, 2, 101)
    assert country.asfr.shape == (n_years - 1, 101)
    assert country.net_migrants.shape == (n_years - 1, 2, 101)
    for arr in (country.base_population, country.mx, country.asfr, country.net_migrants, country.wpp_reference):
        assert arr.dtype == np.float64 and np.isfinite(arr).all()
    # the graduated base population keeps WPP's 2020 totals by sex (rounding to whole persons aside)
    np.testing.assert_allclose(country.base_population.sum(axis=-1), country.wpp_totals[0], atol=60)
    # and WPP's 5-year groups
    groups = np.add.reduceat(country.base_population, np.arange(0, 101, 5), axis=-1)
    np.testing.assert_allclose(groups, country.wpp_reference[0], atol=5)
    # death rates: positive, below 1.5 per person-year, rising from 60 to 100+
    assert (country.mx > 0).all() and (country.mx < 1.5).all()
    assert (np.diff(country.mx[..., 60:], axis=-1) > 0).all()
    # fertility: zero outside 10-54, TFR between 1 and 8 children per woman
    assert (country.asfr[:, :10] == 0).all() and (country.asfr[:, 55:] == 0).all()
    tfr = country.asfr.sum(axis=-1)
    assert ((tfr > 1.0) & (tfr < 8.0)).all()
    # net migration: below 1.5% of the population per year in absolute value
    assert (np.abs(country.net_migrants.sum(axis=(-2, -1))) < 0.015 * country.base_population.sum() * 2).all()
    assert 1.0 < country.srb < 1.08


def test_name_aliases_are_case_and_accent_insensitive():
    for name in ("Tanzania", "United Republic of Tanzania", "tza", "  TANZANIA "):
        assert qsp.data.resolve_country(name) == "TZA"
    assert qsp.data.load_country("zambia").iso3 == "ZMB"
    assert qsp.data.resolve_country("Moçambique") == "MOZ"
    assert qsp.data.resolve_country("mocambique") == "MOZ"
    assert qsp.data.resolve_country("Sénégal") == "SEN"
    assert qsp.data.resolve_country("Schweiz") == "CHE"


def test_unknown_country_says_how_to_list_the_available_ones():
    with pytest.raises(ValueError, match=r"no country data for 'Narnia'\. Give an ISO3 code or a name: "
                                         r"qsp.data.countries\(registry=True\) lists every country"):
        qsp.data.load_country("Narnia")
    with pytest.raises(ValueError, match=r"Did you mean 'Tanzania' \(TZA\)\?"):
        qsp.data.load_country("Tanzanai")
    with pytest.raises(ValueError, match="must be a name or ISO3 code"):
        qsp.data.load_country("")


def test_frames_are_the_tidy_files(loaded):
    mortality = loaded["GHA"].frame("mortality")
    assert list(mortality.columns) == ["year", "sex", "age", "mx"]
    assert set(mortality["sex"]) == {"female", "male"}
    population = loaded["GHA"].to_frame()
    assert population["population"].sum() == loaded["GHA"].base_population.sum()
    with pytest.raises(ValueError, match="no frame named 'deaths'; choose one of population, mortality"):
        loaded["GHA"].frame("deaths")


def test_project_uses_the_country_rates_and_accepts_overrides(loaded):
    che = loaded["CHE"]
    result = che.project(until=2030)
    assert result.population.shape == (11, 2, 101)
    np.testing.assert_allclose(result.population[0], che.base_population)
    closed = che.project(until=2030, net_migrants=None)  # Switzerland without immigration is smaller
    assert closed.total()[-1] < result.total()[-1]
    higher_mortality = che.project(until=2030, mx=che.mx * 1.2)  # full-horizon override, cut to 10 steps
    assert higher_mortality.total()[-1] < result.total()[-1]
    scenarios = che.project(until=2030, asfr=np.stack([che.asfr, 0.8 * che.asfr]))  # a batch of two
    assert scenarios.population.shape == (2, 11, 2, 101)
    with pytest.raises(ValueError, match="until must be a year from 2021 to 2070"):
        che.project(until=2100)
    with pytest.raises(ValueError, match="years is set from `until`"):
        che.project(until=2030, years=range(2020, 2031))


# ---------------------------------------------------------------------------------------------
# corrupt and missing files
# ---------------------------------------------------------------------------------------------
def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_removed_column_names_the_file_and_the_fix(copy_of):
    root, folder = copy_of()
    path = folder / "mortality.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:3]) for line in lines) + "\n")
    with pytest.raises(DatasetError, match=r"mortality\.csv has no column 'mx'.*make data"):
        qsp.data.load_country("GHA", directory=root)


def test_negative_value_names_the_file_and_position(copy_of):
    root, folder = copy_of()
    _edit(folder / "population_2020.csv", "2020,female,0,", "2020,female,0,-")
    with pytest.raises(DatasetError, match=r"population_2020\.csv: population has a population count of -\d+ at "
                                           r"sex 0 \(female\), age 0, but it must be at least 0"):
        qsp.data.load_country("GHA", directory=root)
    assert issubclass(DatasetError, ValueError)


def test_missing_value_and_non_number_name_the_line(copy_of):
    root, folder = copy_of()
    path = folder / "migration.csv"
    lines = path.read_text().splitlines()
    lines[3] = ",".join(lines[3].split(",")[:3] + [""])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"migration\.csv: column 'net_migrants' has a missing value on line 4"):
        qsp.data.load_country("GHA", directory=root)
    lines[3] = ",".join(lines[3].split(",")[:3] + ["NaN"])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"'NaN' on line 4, which is not a number"):
        qsp.data.load_country("GHA", directory=root)


def test_missing_and_duplicated_rows(copy_of):
    root, folder = copy_of()
    path = folder / "fertility.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:5] + lines[6:]) + "\n")
    with pytest.raises(DatasetError, match=r"fertility\.csv: the row year=2020, age=14 is missing"):
        qsp.data.load_country("GHA", directory=root)
    path.write_text("\n".join(lines[:5] + [lines[4]] + lines[6:]) + "\n")
    with pytest.raises(DatasetError, match=r"the row year=2020, age=13 appears more than once"):
        qsp.data.load_country("GHA", directory=root)


def test_missing_file_folder_and_bad_json(copy_of, tmp_path, monkeypatch):
    root, folder = copy_of()
    (folder / "migration.csv").unlink()
    with pytest.raises(MissingDatasetError, match=r"migration\.csv is missing\. Restore the committed file"):
        qsp.data.load_country("GHA", directory=root)
    assert issubclass(MissingDatasetError, FileNotFoundError)
    (folder / "country.json").write_text("{not json")
    with pytest.raises(DatasetError, match=r"country\.json is not valid JSON"):
        qsp.data.countries(directory=root)
    monkeypatch.setenv("QSP_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(MissingDatasetError, match=r"does not exist\. Run `make data`"):
        qsp.data.countries()


def test_environment_variable_points_to_another_folder(copy_of, monkeypatch):
    root, _ = copy_of("NPL")
    monkeypatch.setenv("QSP_DATA_DIR", str(root))
    assert qsp.data.countries() == {"NPL": "Nepal"}
    assert qsp.data.load_country("nepal").path == root / "NPL"


def test_docstring_examples_run():
    import doctest

    import qsp.data.loader

    for module in (qsp.data, qsp.data.loader):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, module.__name__
