"""The chain data -> loader -> projection kernel reproduces WPP 2024.

Each country is projected from 1 July 2020 with its own files (``Country.project``) and compared
with WPP 2024's population by sex and 5-year group (``wpp_reference.csv``).

Measured (tools/build_datasets.py, WPP 2024 via starsim-data 2.0.0; also in datasets/README.md):

- Total population: relative error below 1e-6 at 2030, 2050 and 2070 for every country. The
  migration totals are calibrated (one rate per decade) so that the projection reaches WPP's
  totals, within 1 person per million, using the rounded values that are written, so the
  chain reproduces it (measured at most 9e-7, Senegal 2030). Tolerance 1e-5.
- Age-sex structure, index of dissimilarity D = 0.5 sum |p_i/P - w_i/W| over 42 cells (NOT
  calibrated): at most 1.10% in 2030 (Jordan), 1.77% in 2050 and 1.91% in 2070 (Switzerland);
  0.1-0.3% for Tanzania, Zambia, Mozambique and Ghana. The error is due to the one standard
  Rogers-Castro age pattern of migrants (WPP uses country-specific ones) and to interpolating
  WPP's rates between decadal years. Tolerances: 1.5% (2030) and 2.5% (2050, 2070), about 1.3x
  the worst measurement; a change of method that worsens the structure fails the test.
- Births: the crude birth rate of every projection step equals WPP's (interpolated at the
  middle of the step) within 1e-5 relative (measured at most 1.4e-6: ASFR rounded to 6 digits).
- Sex ratio of the population aged 0-4 in 2030: within 0.5% of WPP's (the sex ratio at birth
  is implied by WPP; measured at most 0.15%, Switzerland).
"""

import numpy as np
import pytest
import qsp.data

ISO3 = ["CHE", "GHA", "JOR", "MOZ", "NPL", "SEN", "TZA", "ZMB"]
YEARS = (2030, 2050, 2070)
TOTAL_TOLERANCE = 1e-5
D_TOLERANCE = {2030: 0.015, 2050: 0.025, 2070: 0.025}


def dissimilarity(projected, reference):
    return 0.5 * np.abs(projected / projected.sum() - reference / reference.sum()).sum()


@pytest.fixture(scope="module")
def measured():
    rows = {}
    for iso3 in ISO3:
        country = qsp.data.load_country(iso3)
        result = country.project(until=int(country.years[-1]))
        by_year = {}
        for year in YEARS:
            projected = np.add.reduceat(result.population[year - country.base_year], np.arange(0, 101, 5), axis=-1)
            reference = country.wpp_reference[list(country.wpp_years).index(year)]
            by_year[year] = (projected.sum() / reference.sum() - 1.0, dissimilarity(projected, reference),
                             projected, reference)
        rows[iso3] = (country, result, by_year)
    return rows


def test_print_agreement_table(measured):
    print("\nAgreement with WPP 2024: relative error of the total (%) and index of dissimilarity D (%)")
    print("ISO3 " + "".join(f"| {y} total % | {y} D % " for y in YEARS))
    for iso3, (_, _, by_year) in measured.items():
        print(f"{iso3}  " + "".join(f"| {100 * e:+11.5f} | {100 * d:8.2f} " for e, d, _, _ in by_year.values()))


@pytest.mark.parametrize("iso3", ISO3)
def test_projected_totals_match_wpp(measured, iso3):
    _, _, by_year = measured[iso3]
    for year, (error, _, _, _) in by_year.items():
        assert abs(error) < TOTAL_TOLERANCE, f"{iso3} {year}: total off WPP by {100 * error:+.5f}%"


@pytest.mark.parametrize("iso3", ISO3)
def test_projected_age_structure_close_to_wpp(measured, iso3):
    _, _, by_year = measured[iso3]
    for year, (_, d, _, _) in by_year.items():
        assert d < D_TOLERANCE[year], (
            f"{iso3} {year}: index of dissimilarity of the age-sex structure {100 * d:.2f}% exceeds "
            f"{100 * D_TOLERANCE[year]:.1f}%"
        )


@pytest.mark.parametrize("iso3", ISO3)
def test_births_reproduce_wpp_crude_birth_rate(measured, iso3):
    country, result, _ = measured[iso3]
    middle = country.step_years + 0.5
    cbr = np.interp(middle, country.wpp_years, country.wpp_cbr)
    population = np.exp(np.interp(middle, country.wpp_years, np.log(country.wpp_totals.sum(axis=-1))))
    np.testing.assert_allclose(result.births.sum(axis=-1), cbr / 1000 * population, rtol=1e-5)


@pytest.mark.parametrize("iso3", ISO3)
def test_sex_ratio_of_young_children(measured, iso3):
    _, _, by_year = measured[iso3]
    _, _, projected, reference = by_year[2030]
    ratio = projected[1, 0] / projected[0, 0]
    assert ratio == pytest.approx(reference[1, 0] / reference[0, 0], rel=5e-3)
