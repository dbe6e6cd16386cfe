#!/usr/bin/env python
"""Build the kit's SYNTHETIC pension scheme (``datasets/schemes/jor-ssc-synthetic/``).

A synthetic but realistic national defined-benefit pension scheme to practise actuarial
valuation on, modelled on the old-age, disability and death insurance of Jordan's Social
Security Corporation (SSC) and calibrated to figures the SSC and the Social Security
Investment Fund (SSIF) have published. THE MEMBERSHIP IS SYNTHETIC: no record describes a real
person, and the scheme is not the SSC (its rules are simplified to what the kit's engine
models; see "Simplifications" in the README it writes).

    python tools/build_scheme.py            # write datasets/schemes/jor-ssc-synthetic/
    python tools/build_scheme.py --check    # rebuild into a temporary folder and compare

Re-runnable and deterministic (seed ``SEED``, numpy's PCG64 generator): the same installed
packages give byte-identical files. Reads only the kit's own ``datasets/JOR/`` (UN WPP 2024,
real data), never the network.

Method
------
1. Population at the valuation date (31 December 2024): the mean of the kit's projections of
   Jordan's WPP 2024 population to 1 July 2024 and 1 July 2025 (``load_country("JOR").project``).
2. Labour force: participation rates by sex and age (a documented age pattern, scaled to the
   aggregate rates of ``PARTICIPATION_15_PLUS``) times that population.
3. Actives: ``ACTIVES`` members (``WOMEN_SHARE_ACTIVES`` women) drawn one by one (multinomial)
   over ages 16-59 in proportion to labour force x a formality profile. Each member draws an
   entry age from a shifted-gamma distribution truncated at the current age, and credited
   service ~ Binomial(years since entry, historical contribution density): a service
   distribution from entry ages and densities, not one average. Wages: average wage x salary
   scale by age x women's pay ratio x seniority x a lognormal individual factor, clipped to
   the minimum wage and the ceiling, scaled so the average equals ``AVERAGE_WAGE``. Members are
   then summed into (sex, age, service) cells with their average wage.
4. Inactives: ``INACTIVE_RATIO`` x actives former contributors, who entered as the actives did
   and stopped at an age drawn uniformly between entry and today.
5. Pensioners consistent with past entitlement rules: old-age (normal and early) and disability
   pensions awarded in 1995-2024 (inflows growing at ``PENSION_INFLOW_GROWTH`` a year), by age
   at award (early retirement from 45 as the law allowed), surviving to the valuation date
   with the country's 2024 life table; service at award at least the qualifying period of the
   route (15 years normal, 21/19 years early at 50+, 25 years early before 50, 5 years
   disability) and at most the years since the scheme began (1980); pension at award = 2.5% x
   min(service, 30) x the wage at award (average wage of the year x salary scale x lognormal),
   indexed each year by ``PAST_INDEXATION`` (early pensions only from the normal age, as the
   2014 law says), floored at the minimum pension in payment. Survivors (widow(er)s and other
   adult heirs) and orphans get shares of a deceased's pension. One scale factor on all
   pensions is solved (bisection) so that the annual pension bill equals ``PENSION_BILL``.
6. New entrants of each projection year: proportional to the WPP population aged 18-29 of that
   year, with the level set so that the actives grow in the first year at the rate observed
   in 2019-2025 (two one-year projections: the number of actives is linear in the entrants).
7. Calibration: every target recomputed from the written files (and, for the reserve ratio,
   from a one-year valuation) into ``calibration.csv``.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
METHOD = __doc__.split("Method\n------\n", 1)[1].strip()
DATASETS = ROOT / "datasets"
sys.path.insert(0, str(ROOT / "tools"))

NAME = "jor-ssc-synthetic"
TITLE = "SYNTHETIC Jordan-like social security pension scheme (old-age, disability and death insurance)"
SEED = 20241231
COUNTRY = "JOR"
CURRENCY = "JOD"
VALUATION_DATE = "2024-12-31"
FIRST_YEAR = 2025
HORIZON = 100                       # projection years of the stored paths
OMEGA = 100
MIN_ENTRY_AGE = 16
MAX_ACTIVE_AGE = 59                 # oldest active in the membership file (men retire at 60)
MEMBER_AGE_LIMIT = np.array([[54], [59]])   # oldest member by sex (women retire at 55, men at 60), (sex, 1)
SCHEME_START = 1980

# --- calibration targets (see SOURCES and CALIBRATION below) ---------------------------------
ACTIVES = 1_600_000
WOMEN_SHARE_ACTIVES = 0.285
AVERAGE_WAGE_2019 = 542.0 * 12      # JD a year
WAGE_GROWTH_2019_2024 = 0.015
AVERAGE_WAGE = round(AVERAGE_WAGE_2019 * (1 + WAGE_GROWTH_2019_2024) ** 5, 2)
GDP_2024 = 37.8e9                   # JD, current prices (recall)
COVERAGE_LABOUR_FORCE = 0.64
PARTICIPATION_15_PLUS = {"female": 0.14, "male": 0.53}
DIRECT_PENSIONERS = 250_000
WOMEN_DIRECT_PENSIONERS = 58_751
DEPENDANTS = 166_161
PENSION_BILL_DEC_2022 = 130e6       # JD a month
PENSION_BILL_GROWTH = 0.08
PENSION_BILL = round(12 * PENSION_BILL_DEC_2022 * (1 + PENSION_BILL_GROWTH) ** 2, -3)
SSIF_ASSETS = 17.3e9 - 1.2e9
PENSION_SHARE_OF_RESERVE = 0.90
INITIAL_RESERVE = round(SSIF_ASSETS * PENSION_SHARE_OF_RESERVE, -6)
ADMIN_COST_RATE = 0.03
ACTIVES_GROWTH = (1_600_000 / 1_316_000) ** (1 / 5.5) - 1

# --- generation assumptions -------------------------------------------------------------------
HISTORICAL_DENSITY = {"female": 0.72, "male": 0.80}
WOMEN_PAY_RATIO = 0.88
WAGE_SIGMA = 0.45
SENIORITY = 0.008                   # wage premium per year of service
MINIMUM_WAGE = 260.0 * 12
WAGE_CEILING = 5.0                  # x average wage
INACTIVE_RATIO = 0.6
WOMEN_SHARE_INACTIVES = 0.35
DISABILITY_SHARE = 0.08
SURVIVOR_SHARE_OF_DEPENDANTS = 0.6
PENSION_INFLOW_GROWTH = 0.07
PAST_WAGE_GROWTH = (542 / 429) ** (1 / 7) - 1
PAST_INDEXATION = 0.025
MINIMUM_PENSION_IN_PAYMENT = 100.0 * 12
PENSION_SIGMA = 0.5

# --- projection assumptions -------------------------------------------------------------------
WAGE_GROWTH = 0.034
PRICE_INFLATION = 0.025
INTEREST_RATE = 0.06
CONTRIBUTION_DENSITY = 0.95
REENTRY_RATE = 0.10
RETIREMENT_AGE = {"female": 55, "male": 60}                  # S8
EARLY_RETIREMENT_AGE = {"female": 50, "male": 50}            # S10, S20 (the route at 45 with 25 years is not modelled)
EARLY_MINIMUM_YEARS = {"female": 19, "male": 21}             # S10, S20 (228 / 252 actual contributions)
EARLY_REDUCTION = 0.03                                       # per year before the normal age (assumption)
EARLY_PENSIONS = round(3 * 3_893, -2)    # new early pensions in a year: 3,893 in January-April 2023 (S21) x 3
EXIT_SERVICE_YEARS = 10             # settlements of exits only below 10 years (120 contributions, S19's 10% band)
NON_NATIONAL_SHARE = 1 - 1_375_000 / 1_600_000               # S1: 1.375 million of the 1.6 million actives are Jordanian
NON_NATIONAL_STAY = 5.0                                      # average years in the scheme of a non-Jordanian (assumption)
SETTLEMENTS = round(NON_NATIONAL_SHARE * ACTIVES / NON_NATIONAL_STAY, -2)      # exits with a lump sum in year 1
EXIT_SERVICE_FACTOR = [1.0] * EXIT_SERVICE_YEARS + [0.0]
SETTLEMENT_RATE = 0.10              # S19: 10% of the insured wages for up to 120 contributions
GRANT_RATE = 0.12                   # S19: 12% of the insured wages for 121-215 contributions (no pension at the age)
INDEXATION_CAP = round(12 * 21.46 * 1.025**5, 2)             # S4: JD 21.46 a month in 2019, indexed; 2024 money

SOURCES = {
    "S1": "Jordan Times (via MENAFN), 30 April 2025, '1.6 Million Active Subscribers At SSC, Including 1.375 Million "
          "Jordanians': 1.6 million active subscribers; about 250,000 living retirees, 58,751 of them women; 166,161 "
          "dependants receiving pensions. https://menafn.com/1109494186",
    "S2": "Ammon News, 7 May 2019, 'Social Security subscriptions at 1.3 million': 1,305,000 insured, 372,000 women "
          "(28.5%), average wage of the insured JD 542 a month. http://en.ammonnews.net/print.aspx?articleno=40739",
    "S3": "Jordan Times, 5 November 2019, 'Social Security Corporation's revenues rise': 1.316 million active "
          "subscribers (October 2019); coverage 73% of workers and 64% of the labour force (January-September 2019); "
          "238,000 retirees, 48.7% early. http://jordantimes.com/news/local/social-security-corporations-revenues-rise",
    "S4": "Al Bawaba / Petra, May 2019, 'Social Security announces 2.74% pension raise': Law No. 1 of 2014 indexes "
          "pensions each May by the lesser of CPI inflation and average-wage growth, capped at JD 20 (itself indexed); "
          "average wage JD 511 (2017) and JD 525 (2018). "
          "https://www.albawaba.com/business/social-security-announces-274-pension-raise-1517793",
    "S5": "Jordan Times, 19 May 2014, 'Pensions rise by 5.6%': average wage JD 429 (2012) and JD 453 (2013); early "
          "pensions are not indexed before age 60 (men) or 55 (women). http://www.jordantimes.com/news/local/pensions-rise-56",
    "S6": "M. Al-Subaihi (former SSC spokesman), Sawaleif, May 2023: 305,000 cumulative retirees, 49% early, 17% women; "
          "monthly pension bill JD 130 million (December 2022) and JD 135.5 million (May 2023); 50% of pensions under "
          "JD 300 and 75% under JD 500 a month; average age at retirement 52. https://sawaleif.com/ (article 788214)",
    "S7": "Jordan Times, 13 April 2019, 'SSC receives over 4,000 subscription applications during first quarter': "
          "optional subscribers pay 17.5% of their wage (the old-age, disability and death insurance rate). "
          "http://jordantimes.com/news/local/ssc-receives-over-4000-subscription-applications-during-first-quarter",
    "S8": "Jordan News, 29 April 2025, 'Conditions and Mechanism for Obtaining Old-Age Pension': age 60 (men) or 55 "
          "(women) with 180 contributions (15 years), at least 84 of them actual. "
          "https://www.daily8.com/en/article/216109db26ddb8869d19e820c5b1dca7",
    "S9": "Jordan News, 'SSC amends minimum pension to JD200' (amendment to the Social Security Law). "
          "https://www.jordannews.jo/Section-109/News/SSC-amends-minimum-pension-to-JD200-20266",
    "S10": "Jordan Times, 2 December 2015, 'SSC generated JD10.523b in revenues since establishment in 1978': wage "
           "subject to pension capped at JD 3,000 a month; early retirement at 45 with 25 years or at 50 with 21 "
           "(men) / 19 (women) years; monthly pension bill JD 63 million. "
           "http://jordantimes.com/news/local/ssc-generated-jd10523b-revenues-establishment-1978%E2%80%99",
    "S11": "Arabi Facts Hub, 2025, on the SSIF's first half of 2025: assets grew by JD 1.2 billion in January-June "
           "2025 to about JD 17.3 billion; and Petra, 27 April 2025: JD 16.7 billion end-March 2025 (JD 16.2 billion "
           "a year earlier). http://www.petranews.gov.jo/nepras/2025/Apr/27/14000.htm",
    "S12": "Petra (via MENAFN), 22 February 2026, SSIF chairman: average return on investments 13.5% in 2025, 10% "
           "over the last two years, 8.5% over the last five; bonds 55.6% of assets. https://menafn.com/1110774069",
    "S13": "Jordan Times, 14 April 2021, 'Social security funds': SSIF assets JD 11.2 billion end-2020; government "
           "bonds 58.2% of the portfolio, returning 6.1%; nominal return on assets about 4.4% in 2020. "
           "https://jordantimes.com/node/341975",
    "S14": "Jordan News, February 2026, 'Social Security: Our Revenues Will Not Cover Our Expenditures in 2038': the "
           "11th actuarial study puts the first breakeven point (contributions = insurance expenditure) in 2030 and "
           "the second (contributions + investment income < expenditure) in 2038. https://www.jordannews.jo/"
           "Section-112/Economy/Social-Security-Our-Revenues-Will-Not-Cover-Our-Expenditures-in-2038-47339",
    "S15": "CareerAddict, 'Social Security in Jordan' (2010 law): old-age pension = 2.5% of average earnings x years of "
           "contributions. http://www.careeraddict.com/social-security-in-jordan",
    "S16": "Jordan News, 2023, 'SSC to increase pensions of retirees by JD4.7': average-wage growth of the insured "
           "1.3% (2021-2022), inflation 4.23% (2022); disability and survivors' pensions indexed at any age. "
           "https://www.jordannews.jo/Section-113/All/SSC-to-increase-pensions-of-retirees-by-JD4-7-28523",
    "S17": "Jordan Times (via ammannewsdaily), 27 January 2020: minimum pensions in payment raised from JD 50 to "
           "JD 100 a month. http://ammannewsdaily.com/story-z21240864",
    "S18": "US Social Security Administration, Social Security Programs Throughout the World: Asia and the Pacific, "
           "2006, Jordan: employees older than 16 are covered. https://ssa.gov/policy/docs/progdesc/ssptw/2006-2007/"
           "asia/jordan.html",
    "S19": "Workers' House Jordan (migrant workers' portal), 'Lump sum compensation': paid to non-Jordanian insured "
           "when their service ends, to the insured reaching the pensionable age without the qualifying period, and "
           "in other cases; 10% of the total wages subject to deduction for up to 120 contributions, 12% for 121-215, "
           "15% beyond. https://workershousejo.org/?p=4504",
    "S20": "Workers' House Jordan, 'Early retirement salary': age 50 with 252 (men) / 228 (women) actual "
           "contributions, or 45 with 300; members first insured after 1 October 2019 (Law No. 24 of 2019): 55 "
           "(men) / 52 (women). https://workershousejo.org/migrant-workers-portal/social-security/insurance-benefits-"
           "for-migrant-workers/early-retirement-salary",
    "S21": "Jordan News, 2023, 'Social Security retirement salaries and monthly allocations reach JD135 million': "
           "early retirement pensions JD 74 million of the JD 135 million monthly bill; 3,893 new early pensions in "
           "January-April; 151,596 cumulative early retirees. https://www.jordannews.jo/Section-113/All/"
           "Social-Security-retirement-salaries-and-monthly-allocations-reach-JD135-million-29040",
    "S22": "Jordan News, 'Social Security Reform in Early Retirement (2)': early retirees about 64% of retirees, "
           "receiving about 61% of the pension payroll. https://www.jordannews.jo/Section-29/Analysis/"
           "Social-Security-Reform-in-Early-Retirement-2-48500",
    "WPP": "United Nations, Department of Economic and Social Affairs, Population Division (2024). World Population "
           "Prospects 2024 (the kit's datasets/JOR/, CC BY 3.0 IGO).",
}
"""Sources found and read (excerpts) with the search tool while building this scheme."""


# =============================================================================================
# 1. Inputs from the kit's country data
# =============================================================================================
def country_inputs():
    """Jordan's WPP data: population at the valuation date, the 2024 life table and the population by year."""
    from qsp.data import load_country
    from qsp.demography import life_table

    country = load_country(COUNTRY)
    projection = country.project(until=int(country.years[-1]))
    population = projection.population                                   # (year, sex, age), 1 July
    years = np.asarray(country.years)
    k2024 = int(np.searchsorted(years, 2024))
    valuation_population = 0.5 * (population[k2024] + population[k2024 + 1])
    table = life_table(country.mx[int(np.searchsorted(country.step_years, 2024))])
    return country, years, population, valuation_population, table


def interpolate_groups(starts, values, ages) -> np.ndarray:
    """Piecewise-linear schedule through the mid-points of 5-year groups (flat beyond the ends)."""
    mids = np.asarray(starts, dtype=float) + 2.0
    return np.interp(ages, mids, values)


AGES = np.arange(OMEGA + 1)
GROUP_STARTS = [15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70]
PARTICIPATION_SHAPE = {
    "female": [0.01, 0.12, 0.26, 0.24, 0.20, 0.17, 0.13, 0.09, 0.05, 0.02, 0.01, 0.005],
    "male": [0.10, 0.55, 0.80, 0.85, 0.85, 0.83, 0.78, 0.66, 0.48, 0.27, 0.12, 0.06],
}


def participation_rates(population: np.ndarray) -> np.ndarray:
    """Participation by sex and age, calibrated to the coverage of the labour force.

    The age shape of each sex is first scaled to the recalled aggregate 15+ rates
    (``PARTICIPATION_15_PLUS``); both sexes are then scaled by one common factor so that
    ``ACTIVES / labour force = COVERAGE_LABOUR_FORCE`` (the confirmed figure). The implied 15+ rates
    are compared with the recalled ones in the calibration table (WPP counts every resident,
    refugees included, whose participation is lower than that of the Jordanians the recalled
    rates describe).
    """
    rates = np.zeros((2, OMEGA + 1))
    for sex, name in enumerate(("female", "male")):
        shape = np.where(AGES >= 15, interpolate_groups(GROUP_STARTS, PARTICIPATION_SHAPE[name], AGES), 0.0)
        adult = population[sex] * (AGES >= 15)
        scale = PARTICIPATION_15_PLUS[name] * adult.sum() / (shape * population[sex]).sum()
        rates[sex] = shape * scale
    labour_force = (rates * population).sum()
    return np.clip(rates * ACTIVES / (COVERAGE_LABOUR_FORCE * labour_force), 0.0, 1.0)


def salary_scale(ages) -> np.ndarray:
    """Relative wage by age: ``exp(0.035 (x - 16) - 0.0005 (x - 16)^2)`` (peak at 51, 1.84 x the wage at 16)."""
    years = np.asarray(ages, dtype=float) - MIN_ENTRY_AGE
    return np.exp(0.035 * years - 0.0005 * years**2)


def entry_age_pmf(sex: int) -> np.ndarray:
    """Entry-age distribution on ages 0..100: 16 + Gamma(shape 2, scale 3.5 men / 4.5 women), discretised."""
    from scipy import stats

    scale = 4.5 if sex == 0 else 3.5
    edges = np.arange(OMEGA + 2) - MIN_ENTRY_AGE
    cdf = stats.gamma.cdf(np.clip(edges, 0, None), a=2.0, scale=scale)
    pmf = np.diff(cdf)
    pmf[:MIN_ENTRY_AGE] = 0.0
    pmf[MAX_ACTIVE_AGE + 1:] = 0.0
    return pmf / pmf.sum()


def draw_entry_ages(rng, sex: np.ndarray, age: np.ndarray) -> np.ndarray:
    """One entry age per member, from the entry-age distribution of its sex truncated at its age (inverse CDF)."""
    cdfs = np.cumsum(np.stack([entry_age_pmf(0), entry_age_pmf(1)]), axis=1)     # (sex, age)
    top = cdfs[sex, age]
    u = rng.random(sex.size) * top
    entry = np.empty(sex.size, dtype=np.int64)
    for s in (0, 1):
        mask = sex == s
        entry[mask] = np.searchsorted(cdfs[s], u[mask], side="right")
    return np.minimum(entry, age)


def draw_cells(rng, totals: dict[int, int], weights: np.ndarray):
    """Members' sex and age: multinomial over ages for each sex (``weights`` (sex, age))."""
    sexes, ages = [], []
    for s, total in totals.items():
        counts = rng.multinomial(total, weights[s] / weights[s].sum())
        sexes.append(np.full(total, s))
        ages.append(np.repeat(AGES, counts))
    return np.concatenate(sexes), np.concatenate(ages)


def scale_wages(raw: np.ndarray, target: float) -> np.ndarray:
    """Scale raw wages so that, after clipping to [MINIMUM_WAGE, ceiling], their mean is ``target``."""
    low, high = 0.01, 100.0
    for _ in range(80):
        factor = 0.5 * (low + high)
        mean = np.clip(raw * factor, MINIMUM_WAGE, WAGE_CEILING * target).mean()
        low, high = (factor, high) if mean < target else (low, factor)
    wages = np.clip(raw * 0.5 * (low + high), MINIMUM_WAGE, WAGE_CEILING * target)
    return wages * (target / wages.mean())


def cells(sex, age, service, values=None):
    """Sum members into (sex, age, service) cells: counts and, with ``values``, their mean."""
    n_service = OMEGA - MIN_ENTRY_AGE + 1
    flat = (sex * (OMEGA + 1) + age) * n_service + service
    counts = np.bincount(flat, minlength=2 * (OMEGA + 1) * n_service)
    index = np.nonzero(counts)[0]
    sex_c, rest = np.divmod(index, (OMEGA + 1) * n_service)
    age_c, service_c = np.divmod(rest, n_service)
    mean = None
    if values is not None:
        mean = np.bincount(flat, weights=values, minlength=counts.size)[index] / counts[index]
    return sex_c, age_c, service_c, counts[index], mean


# =============================================================================================
# 2. Members
# =============================================================================================
def generate_actives(rng, population, participation):
    formality = np.where(AGES < 20, 0.35, 1.0) * np.where(AGES >= 55, 0.8, 1.0) * (AGES >= MIN_ENTRY_AGE) \
        * (AGES <= MEMBER_AGE_LIMIT)
    weights = population * participation * formality
    women = int(round(ACTIVES * WOMEN_SHARE_ACTIVES))
    sex, age = draw_cells(rng, {0: women, 1: ACTIVES - women}, weights)
    entry = draw_entry_ages(rng, sex, age)
    density = np.where(sex == 0, HISTORICAL_DENSITY["female"], HISTORICAL_DENSITY["male"])
    service = rng.binomial(age - entry, density)
    raw = salary_scale(age) * np.where(sex == 0, WOMEN_PAY_RATIO, 1.0) * (1 + SENIORITY * service) \
        * rng.lognormal(-0.5 * WAGE_SIGMA**2, WAGE_SIGMA, sex.size)
    wages = scale_wages(raw, AVERAGE_WAGE)
    return cells(sex, age, service, wages)


def generate_inactives(rng, population):
    ever = np.clip((AGES - 17) / 15.0, 0.0, 1.0) * (AGES >= 18) * (AGES <= MEMBER_AGE_LIMIT)
    total = int(round(INACTIVE_RATIO * ACTIVES))
    women = int(round(total * WOMEN_SHARE_INACTIVES))
    sex, age = draw_cells(rng, {0: women, 1: total - women}, population * ever)
    entry = draw_entry_ages(rng, sex, np.maximum(age - 1, MIN_ENTRY_AGE))
    stop = entry + 1 + np.floor(rng.random(sex.size) * np.maximum(age - entry, 1)).astype(np.int64)
    stop = np.minimum(stop, age)
    density = np.where(sex == 0, HISTORICAL_DENSITY["female"], HISTORICAL_DENSITY["male"])
    service = rng.binomial(np.maximum(stop - entry, 0), density)
    return cells(sex, age, service)


# =============================================================================================
# 3. Pensioners
# =============================================================================================
def award_age_weights(kind: str, sex: int) -> np.ndarray:
    """Distribution of the age at award by route, ages 0..100 (documented shapes, see README)."""
    w = np.zeros(OMEGA + 1)
    if kind == "old_age":
        normal = 55 if sex == 0 else 60
        early = (AGES >= 45) & (AGES < normal)
        bump = np.exp(-0.5 * ((AGES - (49 if sex == 0 else 51)) / 3.5) ** 2)
        w[early] = bump[early] / bump[early].sum() * (0.45 if sex == 0 else 0.55)
        w[normal] = 0.45 if sex == 0 else 0.40
        late = (AGES > normal) & (AGES <= normal + 5)
        w[late] = (0.10 if sex == 0 else 0.05) / late.sum()
    else:                                                     # disability: onset 25-59, rising with age
        mask = (AGES >= 25) & (AGES <= MAX_ACTIVE_AGE)
        w[mask] = np.exp(0.06 * (AGES[mask] - 25))
        w /= w.sum()
    return w


def qualifying_years(kind: str, sex: int, award_age: np.ndarray) -> np.ndarray:
    """Service a route needs: 5 (disability), 15 (normal age), 21/19 (early at 50+), 25 (early before 50)."""
    if kind == "disability":
        return np.full(award_age.shape, 5)
    normal = 55 if sex == 0 else 60
    early = np.where(award_age >= 50, 19 if sex == 0 else 21, 25)
    return np.where(award_age >= normal, 15, early)


def generate_direct(rng, kind: str, sex: int, total: int, lx: np.ndarray):
    """Living pensioners of one route and sex: age now, age and year at award, service, pension in 2024 money."""
    award_ages = np.arange(40, 71)
    years = np.arange(SCHEME_START + 5, 2025)
    r, y = np.meshgrid(award_ages, years, indexing="ij")
    now = r + (2024 - y)
    qualify = qualifying_years(kind, sex, r)
    weight = award_age_weights(kind, sex)[r] * (1 + PENSION_INFLOW_GROWTH) ** (y - 2024) \
        * lx[sex, np.minimum(now, OMEGA)] / lx[sex, r] * (y - SCHEME_START >= qualify) * (now <= OMEGA)
    counts = rng.multinomial(total, (weight / weight.sum()).ravel())
    pick = np.repeat(np.arange(weight.size), counts)
    award_age, award_year = r.ravel()[pick], y.ravel()[pick]
    qualify = qualifying_years(kind, sex, award_age)
    room = np.maximum(award_age - MIN_ENTRY_AGE - qualify, 0)
    service = np.minimum(qualify + rng.binomial(room, 0.45), award_year - SCHEME_START)
    wage_at_award = AVERAGE_WAGE / (1 + PAST_WAGE_GROWTH) ** (2024 - award_year) * salary_scale(award_age) \
        * (WOMEN_PAY_RATIO if sex == 0 else 1.0) * rng.lognormal(-0.5 * PENSION_SIGMA**2, PENSION_SIGMA, total)
    base = 0.025 * np.minimum(service, 30) * wage_at_award
    now = award_age + (2024 - award_year)
    if kind == "old_age":
        normal = 55 if sex == 0 else 60
        indexed_years = np.clip(np.minimum(2024 - award_year, now - normal), 0, None)
    else:
        indexed_years = 2024 - award_year
    return np.minimum(now, OMEGA), base * (1 + PAST_INDEXATION) ** indexed_years


def generate_pensioners(rng, population, lx):
    """All pensioner records before the amount calibration: type index, sex, age, unscaled amount, share."""
    records = []
    men = DIRECT_PENSIONERS - WOMEN_DIRECT_PENSIONERS
    for sex, total in ((0, WOMEN_DIRECT_PENSIONERS), (1, men)):
        disabled = int(round(total * DISABILITY_SHARE))
        for kind, number in (("old_age", total - disabled), ("disability", disabled)):
            age, amount = generate_direct(rng, kind, sex, number, lx)
            records.append((0 if kind == "old_age" else 1, np.full(number, sex), age, amount, np.ones(number)))
    male_direct = np.concatenate([r[3] for r in records if r[1][0] == 1])
    survivors = int(round(DEPENDANTS * SURVIVOR_SHARE_OF_DEPENDANTS))
    orphans = DEPENDANTS - survivors
    widowhood = population * np.clip((AGES - 20) / 60.0, 0, 1) ** 2 * np.array([[1.0], [0.05]])
    sex, age = draw_cells(rng, {0: int(round(survivors * 0.95)), 1: survivors - int(round(survivors * 0.95))},
                          widowhood)
    deceased = rng.choice(male_direct, size=survivors)
    records.append((2, sex, age, deceased, np.full(survivors, 0.5)))
    orphan_weights = population * ((AGES <= 22) * (1 + AGES / 11.0))
    sex, age = draw_cells(rng, {0: orphans // 2, 1: orphans - orphans // 2}, orphan_weights)
    deceased = rng.choice(male_direct, size=orphans)
    records.append((3, sex, age, deceased, np.full(orphans, 0.25)))
    return records


def calibrate_amounts(records) -> tuple[float, list]:
    """Solve the factor k with sum(max(k x share x amount, floor)) = PENSION_BILL (bisection); amounts in 2024 JD."""
    base = np.concatenate([r[3] * r[4] for r in records])
    low, high = 0.01, 100.0
    for _ in range(100):
        k = 0.5 * (low + high)
        bill = np.maximum(k * base, MINIMUM_PENSION_IN_PAYMENT).sum()
        low, high = (k, high) if bill < PENSION_BILL else (low, k)
    k = 0.5 * (low + high)
    return k, [(t, s, a, np.maximum(k * amount * share, MINIMUM_PENSION_IN_PAYMENT))
               for t, s, a, amount, share in records]


# =============================================================================================
# 4. Assumptions by age and by year
# =============================================================================================
def exit_shape() -> np.ndarray:
    """Age-sex pattern of exits with a lump-sum settlement (before scaling): mostly non-Jordanian men aged 20-45.

    Men 1 at 20-44 falling linearly to 0.2 at 59; women 0.3 at all working ages (non-Jordanian women and single
    women leaving, S19). An assumption; the level is set by ``calibrate_exits``.
    """
    working = (AGES >= MIN_ENTRY_AGE) & (AGES <= MAX_ACTIVE_AGE)
    men = np.clip(1.0 - 0.8 * (AGES - 44) / 15.0, 0.2, 1.0) * np.clip((AGES - 15) / 5.0, 0.0, 1.0)
    return np.stack([np.where(working, 0.3, 0.0), np.where(working, men, 0.0)])


def schedules(population, participation) -> dict[str, np.ndarray]:
    """Decrement and family schedules by (sex, age) used by the projection (assumptions, see README)."""
    working = (AGES >= MIN_ENTRY_AGE) & (AGES <= MAX_ACTIVE_AGE)
    withdrawal = np.zeros((2, OMEGA + 1))
    withdrawal[1] = np.where(working, 0.03 + 0.09 * np.exp(-(AGES - 18) / 10.0), 0.0)
    withdrawal[0] = np.where(working, 0.05 + 0.09 * np.exp(-(AGES - 18) / 12.0), 0.0)
    disability = np.where(working, 0.0004 * np.exp(0.065 * (AGES - 20)), 0.0)
    disability = np.stack([0.8 * disability, disability])
    married = np.stack([
        np.clip((AGES - 17) / 10.0, 0, 1) * np.clip(0.85 - 0.012 * np.maximum(AGES - 50, 0), 0.25, 0.85),
        np.clip((AGES - 20) / 12.0, 0, 1) * np.clip(0.92 - 0.004 * np.maximum(AGES - 70, 0), 0.7, 0.92),
    ])
    children = np.stack([
        np.clip(2.2 * np.exp(-0.5 * ((AGES - 38) / 8.0) ** 2), 0, None) * (AGES >= 18),
        np.clip(2.4 * np.exp(-0.5 * ((AGES - 43) / 9.0) ** 2), 0, None) * (AGES >= 20),
    ])
    entrants = np.stack([entry_age_pmf(0) * 0.30, entry_age_pmf(1) * 0.70])
    entrants[:, AGES > 45] = 0.0
    entrants /= entrants.sum()
    return {
        "participation_rate": participation,
        "contribution_density": np.where(working, CONTRIBUTION_DENSITY, 0.0) * np.ones((2, 1)),
        "withdrawal_rate": withdrawal,
        "reentry_rate": np.where(working, REENTRY_RATE, 0.0) * np.ones((2, 1)),
        "disability_incidence": disability,
        "proportion_married": married,
        "orphans_per_death": children,
        "entrant_share": entrants,
        "population": population,
        "exit_rate": exit_shape(),                                   # scaled by calibrate_exits
        "early_retirement_rate": np.zeros((2, OMEGA + 1)),           # set by calibrate_early_retirement
    }


# =============================================================================================
# 5. Writing
# =============================================================================================
def write_csv(path: Path, columns: dict[str, np.ndarray], formats: dict[str, str]) -> None:
    names = list(columns)
    n_rows = len(next(iter(columns.values())))
    lines = [",".join(names)]
    text = {name: [format(v, formats.get(name, "")) for v in columns[name]] for name in names}
    lines.extend(",".join(text[name][i] for name in names) for i in range(n_rows))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SEX_LABELS = np.array(["female", "male"])
TYPE_LABELS = np.array(["old_age", "disability", "survivor", "orphan"])


def rules_and_financing() -> tuple[dict, dict, dict]:
    rules = {
        "accrual_rate": 0.025,
        "reference_wage": "final",
        "reference_years": 5,
        "minimum_years": 15.0,
        "maximum_years": 30.0,
        "minimum_pension": 200.0 * 12,
        "maximum_pension": None,
        "normal_retirement_age": RETIREMENT_AGE,
        "early_reduction": EARLY_REDUCTION,
        "late_increment": 0.0,
        "grant_rate": GRANT_RATE,
        "disability_minimum_years": 5.0,
        "disability_future_service": False,
        "survivor_rate": 0.5,
        "survivor_minimum_years": 2.0,
        "orphan_rate": 0.25,
        "orphan_age_limit": 23,
        "indexation": "lesser",
        "early_retirement_age": EARLY_RETIREMENT_AGE,
        "early_minimum_years": EARLY_MINIMUM_YEARS,
        "settlement_rate": SETTLEMENT_RATE,
        "indexation_cap": INDEXATION_CAP,
        "indexation_cap_indexed": True,
    }
    financing = {
        "contribution_rate": 0.175,
        "initial_reserve": INITIAL_RESERVE,
        "admin_cost_rate": ADMIN_COST_RATE,
        "admin_cost_basis": "expenditure",
        "investment_policy": "SSIF-like portfolio: government bonds about 56%, money market, equities, loans, real "
                             "estate and tourism (S12, S13)",
        "interest_rate": INTEREST_RATE,
    }
    assumptions = {
        "wage_growth": WAGE_GROWTH,
        "price_inflation": PRICE_INFLATION,
        "interest_rate": INTEREST_RATE,
        "wage_ceiling": WAGE_CEILING,
        "spouse_age_difference": 5,
        "parent_age_gap": 30,
        "retirement_age": RETIREMENT_AGE,
        "exit_service_factor": EXIT_SERVICE_FACTOR,
        "contribution_density": CONTRIBUTION_DENSITY,
        "reentry_rate": REENTRY_RATE,
        "new_entrants": "proportional to the WPP population aged 18-29 of each year; level set so that actives grow "
                        f"by {ACTIVES_GROWTH:.2%} in the first year (the 2019-2025 growth, S1 and S3)",
        "mortality": "the country's WPP 2024 death rates of the projection step starting on 1 July of each year, as "
                     "q_x (qsp.demography.life_table); the last step (2069) thereafter",
    }
    return rules, financing, assumptions


PARAMETERS = [
    # parameter, value, unit, source, status
    ("contribution_rate", "0.175", "share of insurable wages", "S7 (optional subscribers pay 17.5%, the rate of the "
     "old-age, disability and death insurance)", "confirmed"),
    ("accrual_rate", "0.025", "per year of service", "S15 (2.5% x average wage x years, 2010 law); Law No. 1 of 2014 "
     "lowers the rate on wage bands above a threshold (not modelled)", "confirmed (2010 law); band structure recall"),
    ("reference_wage", "final average of 5 years", "", "Law No. 1 of 2014 uses the last 60 months' wages; S15 says "
     "the last 2 years under the 2010 law", "recall"),
    ("minimum_years", "15", "years", "S8 (180 contributions, 84 of them actual)", "confirmed"),
    ("maximum_years", "30", "years", "pension capped at 75% of the reference wage (2.5% x 30)", "recall"),
    ("minimum_pension", "2400", "JOD a year", "S9 (JD 200 a month), fixed in money as the amendment says", "confirmed"),
    ("normal_retirement_age", "55 women, 60 men", "years", "S8 (60 men, 55 women, with 180 contributions)",
     "confirmed"),
    ("early_retirement_age, early_minimum_years", "50; 19 women, 21 men", "years", "S10, S20 (50 with 228 / 252 "
     "actual contributions; the route at 45 with 25 years and the ages 55/52 of members insured after October 2019 "
     "are not modelled)", "confirmed"),
    ("early_reduction", str(EARLY_REDUCTION), "per year before the normal age", "the law's reduction factors were "
     "not found; S22: early retirees are 64% of retirees and get 61% of the pension bill", "assumption"),
    ("early_retirement_rate", "see assumptions_by_age.csv", "probability a year, ages 50 to the normal age", "one "
     "rate for both sexes, solved so that the first year has 11,700 early pensions (S21); S3 and S6 say about half "
     "of the retirees are early", "derived"),
    ("exit_rate", "see assumptions_by_age.csv", "probability a year, service below 10 years", "age-sex pattern "
     "(mostly men 20-44: non-Jordanian workers), only below 120 contributions (exit_service_factor), scaled so that the first year's settlements equal the non-Jordanian actives (S1: 225,000) over a "
     f"{NON_NATIONAL_STAY:.0f}-year average stay (assumption)", "derived (assumption: stay)"),
    ("settlement_rate", str(SETTLEMENT_RATE), "x reference wage per year", "S19: lump-sum compensation 10% of the "
     "insured wages for up to 120 contributions (12% to 215, 15% beyond); credited years x the final 5-year average "
     "stand for the total insured wages", "confirmed (rate); simplified"),
    ("indexation", "lesser of prices and wages", "", "S4 (lesser of inflation and average-wage growth, each May)",
     "confirmed"),
    ("indexation_cap", f"{INDEXATION_CAP:.2f}", "JOD a year, 2024 money, raised with inflation", "S4 (JD 20 a "
     "month, itself indexed: JD 21.46 in 2019) x 1.025^5 (inflation 2019-2024 assumed 2.5% a year) x 12",
     "derived"),
    ("wage_ceiling", str(WAGE_CEILING), "x average wage", "S10 (JD 3,000 a month) / JD 584 = 5.1, rounded to 5",
     "derived"),
    ("grant_rate", str(GRANT_RATE), "x reference wage per year", "S19 (12% of the insured wages for 121-215 "
     "contributions: members at the pensionable age without 180 contributions)", "confirmed (rate); simplified"),
    ("disability_minimum_years", "5", "years", "60 contributions for a natural disability pension", "recall"),
    ("survivor_rate, orphan_rate", "0.5, 0.25", "x deceased's pension", "shares of the heirs (simplified)",
     "assumption"),
    ("orphan_age_limit", "23", "years", "sons' pensions to 23 (daughters while unmarried: counted as survivors)",
     "recall"),
    ("initial_reserve", f"{INITIAL_RESERVE:.0f}", "JOD", "S11: SSIF assets about JD 17.3 bn end-June 2025 less the JD "
     "1.2 bn growth of January-June 2025 = JD 16.1 bn end-2024, x 90% attributed to the pension branch (assumption)",
     "confirmed (assets); share assumption"),
    ("interest_rate", str(INTEREST_RATE), "nominal a year", "S12 (8.5% average over 2021-2025), S13 (4.4% in 2020, "
     "bonds 6.1%): 6% long-term (assumption)", "assumption"),
    ("admin_cost_rate", str(ADMIN_COST_RATE), "x benefit expenditure", "no published figure found", "assumption"),
    ("wage_growth", str(WAGE_GROWTH), "nominal a year", "average wage of the insured JD 429 (2012) to JD 542 (2019): "
     "3.4% a year (S5, S2)", "derived"),
    ("price_inflation", str(PRICE_INFLATION), "a year", "4.46% (2018, S4), 4.23% (2022, S16); 2.5% long-term",
     "assumption"),
    ("contribution_density", str(CONTRIBUTION_DENSITY), "share of the year", "no published figure found",
     "assumption"),
]


def write_scheme(out: Path, *, verbose: bool = True) -> dict:
    """Generate and write every file of the scheme into ``out``; return the calibration rows."""
    from qsp.pensions import load_membership

    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(SEED))
    country, years, population_by_year, population, table = country_inputs()
    lx = table.lx
    participation = participation_rates(population)

    sex, age, service, count, wage = generate_actives(rng, population, participation)
    write_csv(out / "actives.csv", {"sex": SEX_LABELS[sex], "age": age, "service": service, "count": count,
                                    "wage": np.round(wage, 2)}, {"wage": ".2f"})
    sex, age, service, count, _ = generate_inactives(rng, population)
    write_csv(out / "inactives.csv", {"sex": SEX_LABELS[sex], "age": age, "service": service, "count": count}, {})

    records = generate_pensioners(rng, population, lx)
    factor, records = calibrate_amounts(records)
    kind = np.concatenate([np.full(len(r[1]), r[0]) for r in records])
    sex = np.concatenate([r[1] for r in records])
    age = np.concatenate([r[2] for r in records])
    amount = np.concatenate([r[3] for r in records])
    flat = (kind * 2 + sex) * (OMEGA + 1) + age
    number = np.bincount(flat, minlength=4 * 2 * (OMEGA + 1))
    total = np.bincount(flat, weights=amount, minlength=number.size)
    index = np.nonzero(number)[0]
    kind_c, rest = np.divmod(index, 2 * (OMEGA + 1))
    sex_c, age_c = np.divmod(rest, OMEGA + 1)
    order = np.lexsort((age_c, sex_c, kind_c))
    write_csv(out / "pensioners.csv", {"sex": SEX_LABELS[sex_c[order]], "age": age_c[order],
                                       "type": TYPE_LABELS[kind_c[order]], "count": number[index][order],
                                       "amount": np.round(total[index][order] / number[index][order], 2)},
              {"amount": ".2f"})

    table_by_age = schedules(population, participation)
    rules, financing, assumptions = rules_and_financing()
    table_by_age["exit_rate"] = np.zeros((2, OMEGA + 1))
    table_by_age["early_retirement_rate"] = calibrate_early_retirement(out, table_by_age, rules, assumptions)
    shape = exit_shape()
    table_by_age["exit_rate"] = shape
    scale = SETTLEMENTS / first_year_exits(out, table_by_age, rules, assumptions, 0.0)   # without entrants
    for _ in range(2):                      # the entrants exit too: solve the scale and the entrants in turn
        table_by_age["exit_rate"] = _six_digits(shape * scale)
        entrants = entrants_path(out, years, population_by_year, table_by_age, rules, assumptions)
        scale *= SETTLEMENTS / first_year_exits(out, table_by_age, rules, assumptions, entrants[0])
    table_by_age["exit_rate"] = _six_digits(shape * scale)
    if table_by_age["exit_rate"].max() > 1:
        raise RuntimeError("the exit rates needed for SETTLEMENTS exceed 1: check the exit pattern.")
    sexes = np.repeat([0, 1], OMEGA + 1)
    ages = np.tile(AGES, 2)
    columns = {"sex": SEX_LABELS[sexes], "age": ages}
    formats = {}
    for name, values in table_by_age.items():
        columns[name] = values.reshape(-1)
        formats[name] = ".1f" if name == "population" else ".6g"
    write_csv(out / "assumptions_by_age.csv", columns, formats)

    entrants = entrants_path(out, years, population_by_year, table_by_age, rules, assumptions)
    calendar = FIRST_YEAR + np.arange(HORIZON)
    write_csv(out / "assumptions_by_year.csv",
              {"year": calendar, "new_entrants": entrants, "wage_growth": np.full(HORIZON, WAGE_GROWTH),
               "price_inflation": np.full(HORIZON, PRICE_INFLATION), "interest_rate": np.full(HORIZON, INTEREST_RATE)},
              {"new_entrants": ".0f", "wage_growth": ".4f", "price_inflation": ".4f", "interest_rate": ".4f"})

    meta = {
        "name": NAME,
        "title": TITLE,
        "synthetic": True,
        "note": "SYNTHETIC data generated by tools/build_scheme.py; calibrated to published summary figures of "
                "Jordan's Social Security Corporation (see calibration.csv); no record is real.",
        "calibrated_to": "published figures of Jordan's Social Security Corporation (2019-2025)",
        "seed": SEED,
        "generator": "numpy.random.Generator(PCG64(seed))",
        "country": COUNTRY,
        "currency": CURRENCY,
        "valuation_date": VALUATION_DATE,
        "first_projection_year": FIRST_YEAR,
        "min_entry_age": MIN_ENTRY_AGE,
        "pension_scale_factor": round(factor, 6),
        "rules": rules,
        "financing": financing,
        "assumptions": assumptions,
    }
    (out / "scheme.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _write_rows(out / "parameters.csv", ["parameter", "value", "unit", "source", "status"], PARAMETERS)

    membership = load_membership(out / "actives.csv", inactives=out / "inactives.csv",
                                 pensioners=out / "pensioners.csv", min_entry_age=MIN_ENTRY_AGE)
    _write_calibration(out / "calibration.csv", [])          # header only: the loader needs the file
    import pandas as pd

    written = pd.read_csv(out / "assumptions_by_age.csv")               # achieved values come from the files
    by_age = {name: written[name].to_numpy(dtype=float).reshape(2, OMEGA + 1) for name in table_by_age}
    rows = calibration_rows(out, membership, by_age, years, population_by_year)
    _write_calibration(out / "calibration.csv", rows)
    _write_datapackage(out, rows)
    (out / "README.md").write_text(readme_text(rows, factor), encoding="utf-8")
    if verbose:
        print(f"{NAME}: written to {out}", file=sys.stderr)
    return rows


def _write_rows(path: Path, header: list[str], rows) -> None:
    """Write rows of free text with the csv module (quoting fields that hold commas)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _six_digits(values: np.ndarray) -> np.ndarray:
    """Values as written to the CSV files (6 significant digits), so that calibration uses what is read back."""
    return np.array([float(f"{v:.6g}") for v in np.ravel(values)]).reshape(np.shape(values))


def _projection(out: Path, table_by_age, rules: dict, assumptions: dict, n_years: int, entrants: float = 0.0):
    """The scheme's projection (totals) from the written membership files and the schedules in memory."""
    from qsp.data import load_country
    from qsp.data.scheme import mortality_path
    from qsp.pensions import BenefitRules, load_membership, project_insured

    membership = load_membership(out / "actives.csv", inactives=out / "inactives.csv",
                                 pensioners=out / "pensioners.csv", min_entry_age=MIN_ENTRY_AGE)
    return project_insured(
        membership, BenefitRules(**rules), n_years=n_years, mortality=mortality_path(load_country(COUNTRY),
                                                                                        FIRST_YEAR, n_years),
        new_entrants=entrants, entrant_distribution=table_by_age["entrant_share"],
        withdrawal_rate=table_by_age["withdrawal_rate"], reentry_rate=table_by_age["reentry_rate"],
        disability_incidence=table_by_age["disability_incidence"], exit_rate=table_by_age["exit_rate"],
        early_retirement_rate=table_by_age["early_retirement_rate"], exit_service_factor=EXIT_SERVICE_FACTOR,
        contribution_density=table_by_age["contribution_density"], retirement_age=assumptions["retirement_age"],
        wage_growth=WAGE_GROWTH, price_inflation=PRICE_INFLATION, wage_ceiling=WAGE_CEILING, detail="total")


def early_share(projection, n_years: int = 5) -> float:
    """Early pensions among the new old-age pensions of the first ``n_years`` projection years."""
    early = projection.total(projection.early_retired_active) + projection.total(projection.early_retired_inactive)
    return float(early[:n_years].sum() / projection.total(projection.new_pensioners["old_age"])[:n_years].sum())


def calibrate_early_retirement(out: Path, table_by_age, rules: dict, assumptions: dict) -> np.ndarray:
    """One early-retirement probability for both sexes at ages 50-59, solved so that the first projection year has
    ``EARLY_PENSIONS`` early pensions. They come from the valuation-date members only (entrants are too young and
    exits stop at 10 years of service), so the number is linear in the probability: one projection solves it."""
    window = (AGES >= min(EARLY_RETIREMENT_AGE.values())) & (AGES < max(RETIREMENT_AGE.values()))
    table = dict(table_by_age, early_retirement_rate=np.where(window, 0.1, 0.0) * np.ones((2, 1)))
    projection = _projection(out, table, rules, assumptions, 1)
    early = float(projection.total(projection.early_retired_active)[0]
                  + projection.total(projection.early_retired_inactive)[0])
    return _six_digits(np.where(window, round(0.1 * EARLY_PENSIONS / early, 6), 0.0) * np.ones((2, 1)))


def first_year_exits(out: Path, table_by_age, rules: dict, assumptions: dict, entrants: float) -> float:
    """Members leaving with a settlement in the first projection year."""
    projection = _projection(out, table_by_age, rules, assumptions, 1, entrants)
    return float(projection.total(projection.exits)[0])


def entrants_path(out: Path, years, population_by_year, table_by_age, rules: dict, assumptions: dict) -> np.ndarray:
    """New entrants of each projection year: c x WPP population aged 18-29, c solved from the first-year growth."""
    from qsp.data import load_country
    from qsp.data.scheme import mortality_path
    from qsp.pensions import BenefitRules, load_membership, project_insured

    youth = population_by_year[:, :, 18:30].sum(axis=(1, 2))              # 1 July of years
    calendar = FIRST_YEAR + np.arange(HORIZON)
    youth_path = np.interp(np.minimum(calendar, years[-1]), years, youth)
    membership = load_membership(out / "actives.csv", inactives=out / "inactives.csv", min_entry_age=MIN_ENTRY_AGE)
    qx = mortality_path(load_country(COUNTRY), FIRST_YEAR, 1)

    def actives_after_one_year(entrants: float) -> float:
        projection = project_insured(
            membership, BenefitRules(**rules), n_years=1, mortality=qx, new_entrants=entrants,
            entrant_distribution=table_by_age["entrant_share"], withdrawal_rate=table_by_age["withdrawal_rate"],
            reentry_rate=table_by_age["reentry_rate"], disability_incidence=table_by_age["disability_incidence"],
            exit_rate=table_by_age["exit_rate"], early_retirement_rate=table_by_age["early_retirement_rate"],
            exit_service_factor=EXIT_SERVICE_FACTOR,
            contribution_density=table_by_age["contribution_density"], retirement_age=assumptions["retirement_age"],
            detail="total")
        return float(projection.actives[..., -1])

    without = actives_after_one_year(0.0)
    per_entrant = (actives_after_one_year(100_000.0) - without) / 100_000.0
    first = (ACTIVES * (1 + ACTIVES_GROWTH) - without) / per_entrant
    return np.round(first * youth_path / youth_path[0])                    # whole persons


# =============================================================================================
# 6. Calibration table
# =============================================================================================
def achieved_values(membership, by_age: dict, population_2024: float, reserve_ratio: float) -> dict[str, float]:
    """Each calibration quantity computed from the membership file and the assumptions."""
    totals = membership.totals()
    actives = float(totals["actives"])
    women = float(membership.actives[0].sum())
    labour_force = float((by_age["participation_rate"] * by_age["population"]).sum())
    direct = float(totals["pensioners_old_age"] + totals["pensioners_disability"])
    bill = sum(float(totals[f"pensions_{k}"]) for k in ("old_age", "disability", "survivor", "orphan"))
    return {
        "active_contributors": actives,
        "women_share_of_actives": women / actives,
        "average_monthly_insurable_wage": float(membership.average_wage()) / 12,
        "average_wage_over_gdp_per_capita": float(membership.average_wage()) / (GDP_2024 / population_2024),
        "coverage_of_labour_force": actives / labour_force,
        "living_direct_pensioners": direct,
        "women_direct_pensioners": float(membership.pensioners[:2, 0].sum()),
        "dependants_in_payment": float(totals["pensioners_survivor"] + totals["pensioners_orphan"]),
        "annual_pension_bill": bill,
        "participation_rate_men_15_plus": _participation(by_age, 1),
        "participation_rate_women_15_plus": _participation(by_age, 0),
        "reserve_in_years_of_expenditure": reserve_ratio,
    }


def _participation(by_age: dict, sex: int) -> float:
    adults = by_age["population"][sex] * (AGES >= 15)
    return float((by_age["participation_rate"][sex] * adults).sum() / adults.sum())


CALIBRATION = [
    # quantity, target, tolerance (absolute), unit, source, status
    ("active_contributors", ACTIVES, 0.005 * ACTIVES, "persons", "S1 (April 2025)", "confirmed"),
    ("women_share_of_actives", WOMEN_SHARE_ACTIVES, 0.005, "share", "S2 (May 2019: 372,000 of 1,305,000)",
     "confirmed"),
    ("average_monthly_insurable_wage", round(AVERAGE_WAGE / 12, 2), 0.01 * AVERAGE_WAGE / 12, "JOD a month",
     "S2 (JD 542 in 2019) x 1.015^5 (growth close to the 1.3% of 2021-2022, S16)", "derived"),
    ("average_wage_over_gdp_per_capita", None, 0.03, "ratio", "average wage above / (GDP 2024 JD 37.8 bn / WPP "
     "population 2024); GDP is recalled (Department of Statistics / IMF), not confirmed", "derived (recall GDP)"),
    ("coverage_of_labour_force", COVERAGE_LABOUR_FORCE, 0.06, "share", "S3 (64% of the labour force, 2019); "
     "labour force = participation (men 53%, women 14% of 15+, recalled DoS 2024 rates) x WPP population",
     "confirmed (target); participation recall"),
    ("participation_rate_men_15_plus", PARTICIPATION_15_PLUS["male"], 0.06, "share", "recalled Department of "
     "Statistics Employment and Unemployment Survey 2024 (about 53% of Jordanian men 15+); achieved: implied by the "
     "coverage target and the WPP population", "recall"),
    ("participation_rate_women_15_plus", PARTICIPATION_15_PLUS["female"], 0.03, "share", "recalled Department of "
     "Statistics 2024 (about 14% of Jordanian women 15+); achieved as for men", "recall"),
    ("living_direct_pensioners", DIRECT_PENSIONERS, 0.005 * DIRECT_PENSIONERS, "persons",
     "S1 (about 250,000 living retirees, April 2025), old-age incl. early + disability", "confirmed"),
    ("women_direct_pensioners", WOMEN_DIRECT_PENSIONERS, 0.01 * WOMEN_DIRECT_PENSIONERS, "persons",
     "S1 (58,751 women among the living retirees, April 2025)", "confirmed"),
    ("dependants_in_payment", DEPENDANTS, 0.005 * DEPENDANTS, "persons", "S1 (166,161 eligible dependants)",
     "confirmed"),
    ("annual_pension_bill", PENSION_BILL, 0.01 * PENSION_BILL, "JOD a year", "S6 (JD 130 million in December 2022) "
     "x 1.08^2 (growth between that of cumulative retirees 2019-2025, 7.5%, and of the bill 2015-2022, 10.9%, S10) "
     "x 12", "derived"),
    ("reserve_in_years_of_expenditure", None, None, "years", "initial reserve (S11 x 90%) / (pension bill x "
     "(1 + admin cost rate)); achieved: the valuation's reserve ratio of year 1 (reserve at the valuation date over "
     "the first year's expenditure)", "derived"),
    ("early_pensions_first_year", EARLY_PENSIONS, 0.05 * EARLY_PENSIONS, "persons", "S21 (3,893 new early pensions "
     "in January-April 2023) x 3; achieved: early retirements in the projection's first year", "derived"),
    ("settlements_first_year", SETTLEMENTS, 0.05 * SETTLEMENTS, "persons", "S1 (225,000 non-Jordanian actives) / "
     f"{NON_NATIONAL_STAY:.0f}-year average stay (assumption); S19 (non-Jordanians get the lump sum when their "
     "service ends); achieved: exits with a settlement in the projection's first year", "derived (assumption: stay)"),
]
ENGINE_QUANTITIES = ("reserve_in_years_of_expenditure", "early_pensions_first_year",
                     "settlements_first_year")
"""Calibration quantities that come from the projection engine (4 significant digits in calibration.csv)."""


def calibration_rows(out: Path, membership, by_age, years, population_by_year) -> list[dict]:
    from qsp.data.scheme import load_scheme

    population_2024 = float(population_by_year[int(np.searchsorted(years, 2024))].sum())
    scheme = load_scheme(NAME, directory=out.parent.parent)
    valuation = scheme.value(years=1)
    reserve_ratio = float(valuation.reserve_ratio[0])
    achieved = achieved_values(membership, by_age, population_2024, reserve_ratio)
    projection = scheme.project(years=5)
    achieved["early_pensions_first_year"] = float(projection.total(projection.early_retired_active)[0]
                                                  + projection.total(projection.early_retired_inactive)[0])
    achieved["settlements_first_year"] = float(projection.total(projection.exits)[0])
    rows = []
    for quantity, target, tolerance, unit, source, status in CALIBRATION:
        if quantity == "average_wage_over_gdp_per_capita":
            target = AVERAGE_WAGE / (GDP_2024 / population_2024)
        if quantity == "reserve_in_years_of_expenditure":
            target = INITIAL_RESERVE / (PENSION_BILL * (1 + ADMIN_COST_RATE))
            tolerance = 0.15 * target
        if quantity == "average_wage_over_gdp_per_capita":
            tolerance = tolerance * target
        rows.append({"quantity": quantity, "target": target, "achieved": achieved[quantity], "tolerance": tolerance,
                     "unit": unit, "source": source, "status": status})
    return rows


def _write_calibration(path: Path, rows: list[dict]) -> None:
    _write_rows(path, ["quantity", "target", "achieved", "tolerance", "unit", "source", "status"],
                [[r["quantity"], f"{r['target']:.10g}", f"{r['achieved']:.{_digits(r)}g}", f"{r['tolerance']:.10g}",
                  r["unit"], r["source"], r["status"]] for r in rows])


def _digits(row: dict) -> int:
    """Significant digits of an achieved value: 4 for what comes from the projection engine (so that --check does
    not flag last-digit changes of the engine), 10 for what is counted in the files."""
    return 4 if row["quantity"] in ENGINE_QUANTITIES else 10


RESOURCE_TEXT = {
    "actives.csv": "Active members (contributors) by sex, age and credited service: number and average annual "
                   "insurable wage (JOD). SYNTHETIC.",
    "inactives.csv": "Inactive insured persons by sex, age and credited service. SYNTHETIC.",
    "pensioners.csv": "Pensioners by sex, age and type (old_age incl. early, disability, survivor, orphan): number "
                      "and average annual pension (JOD). SYNTHETIC.",
    "assumptions_by_age.csv": "Assumptions by sex and age (participation, contribution density, withdrawal, "
                              "re-entry, disability incidence, proportion married, orphans per death, entrant "
                              "shares) and the WPP 2024 population at the valuation date (real data).",
    "assumptions_by_year.csv": "Assumptions by projection year: new entrants, wage growth, price inflation, "
                               "interest rate.",
    "calibration.csv": "Calibration targets, achieved values recomputed from the files, tolerances and sources.",
    "parameters.csv": "Scheme parameters with their sources and status (confirmed, recall, derived, assumption).",
}


def _write_datapackage(out: Path, rows: list[dict]) -> None:
    resources = []
    for name, text in RESOURCE_TEXT.items():
        data = (out / name).read_bytes()
        header = data.split(b"\n", 1)[0].decode("utf-8").split(",")
        resources.append({"name": name[:-4], "path": name, "format": "csv", "synthetic": True, "description": text,
                          "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                          "fields": header})
    package = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "synthetic": True,
        "description": "SYNTHETIC membership, rules and assumptions of a defined-benefit pension scheme, generated "
                       "by tools/build_scheme.py (seeded) and calibrated to published summary figures of Jordan's "
                       "Social Security Corporation. For teaching actuarial valuation; not the SSC's data.",
        "seed": SEED,
        "method": METHOD,
        "valuation_date": VALUATION_DATE,
        "country_data": f"datasets/{COUNTRY}/ (UN WPP 2024)",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (the synthetic data); the WPP population column is "
                               "CC BY 3.0 IGO"}],
        "calibration": [{k: (float(f"{v:.{_digits(row)}g}") if isinstance(v, float) else v) for k, v in row.items()}
                        for row in rows],
        "sources": SOURCES,
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")


def _fmt(value: float, unit: str) -> str:
    if unit in ("share",):
        return f"{value:.1%}"
    if unit == "persons":
        return f"{value:,.0f}"
    if unit == "JOD a year":
        return f"{value / 1e9:,.3f} bn"
    return f"{value:,.2f}"


def _fmt_tolerance(value: float, unit: str) -> str:
    return f"{100 * value:.1f} pp" if unit == "share" else _fmt(value, unit)


def readme_text(rows: list[dict], factor: float) -> str:
    table = "\n".join(
        f"| {r['quantity'].replace('_', ' ')} | {_fmt(r['target'], r['unit'])} | {_fmt(r['achieved'], r['unit'])} | "
        f"± {_fmt_tolerance(r['tolerance'], r['unit'])} | {r['unit']} | {r['source']} | {r['status']} |" for r in rows)
    parameters = "\n".join(f"| {p} | {v} | {u} | {s} | {st} |" for p, v, u, s, st in PARAMETERS)
    sources = "\n".join(f"- **{key}** {text}" for key, text in SOURCES.items())
    return f"""# {TITLE}

**SYNTHETIC DATA.** Generated by `tools/build_scheme.py` (seed {SEED}); no record describes a real person and
this is not the Social Security Corporation's membership. **Generated — do not edit by hand**:
`python tools/build_scheme.py` rewrites every file here; `python tools/build_scheme.py --check` rebuilds into a
temporary folder and compares.

A national defined-benefit social insurance pension scheme modelled on the old-age, disability and death
insurance of Jordan's Social Security Corporation (SSC), valuation date {VALUATION_DATE}, money in Jordanian
dinars (JOD) a year. Demography: Jordan's UN WPP 2024 data in `datasets/{COUNTRY}/`.

```python
import qsp.data
scheme = qsp.data.load_scheme("{NAME}")       # SYNTHETIC
scheme.membership.totals()                       # actives, inactives, pensioners by type, wage and pension bills
valuation = scheme.value(years=75)               # qsp.pensions.SchemeValuation
valuation.payg_cost_rate, valuation.reserve_ratio, valuation.general_average_premium()
scheme.value(normal_retirement_age=63, contribution_rate=0.20)   # a reform: any rule or assumption
```

## Files

| File | What |
|---|---|
| `actives.csv` | sex, age, service, count, wage: active members by credited service, average annual wage |
| `inactives.csv` | sex, age, service, count: insured persons no longer contributing |
| `pensioners.csv` | sex, age, type, count, amount: pensions in payment (old_age includes early pensions) |
| `assumptions_by_age.csv` | schedules by sex and age, and the WPP population at the valuation date |
| `assumptions_by_year.csv` | new entrants, wage growth, inflation, interest, {FIRST_YEAR}-{FIRST_YEAR + HORIZON - 1} |
| `scheme.json` | identity (synthetic, seed), benefit rules, financing parameters, scalar assumptions |
| `parameters.csv`, `calibration.csv` | parameters and calibration targets with sources |
| `datapackage.json` | descriptor: synthetic flag, seed, method, calibration table, sources, file hashes |

## Calibration

Achieved values are recomputed from the files (tests/data/test_scheme.py recomputes them again). Status:
*confirmed* = read in the cited source while building; *recall* = from memory of the law or statistics, not
re-read; *derived* = computed from confirmed figures with a stated assumption; *assumption* = no published
figure found. Pensions were scaled by one factor ({factor:.3f}) to reach the pension bill.

| Quantity | Target | Achieved | Tolerance | Unit | Source | Status |
|---|---|---|---|---|---|---|
{table}

## Parameters

| Parameter | Value | Unit | Source | Status |
|---|---|---|---|---|
{parameters}

## Simplifications (what the engine does not model)

- Retirement at 55 (women) and 60 (men), or earlier: from 50 with 19 (women) / 21 (men) years, with one
  probability a year for both sexes solved so that the first year has 11,700 early pensions (S21), and
  a reduction of 3% a year before the normal age (an assumption: the law's factors were not found). The route at
  45 with 25 years, the ages 55/52 of those insured after October 2019 (which bind from about 2040), work
  beyond the normal age, and the law's rule that early pensions are indexed only from the normal age are not
  modelled; the membership file has no women insured above 54 (they retire at 55 in the engine).
- Exits with a lump-sum settlement (non-Jordanian workers leaving, S19) of members with less than 10 years of
  service, by an age-sex pattern scaled to the non-Jordanian actives over an assumed 5-year stay; the
  settlement and the grant at the pensionable age are
  the rate x credited years x the final 5-year average wage (the law: 10-15% of the total insured wages).
- Indexation by the lesser of inflation and average-wage growth with the cap (JD 20 a month in 2014 money,
  itself indexed) applied to each cell's average pension; the accrual bands of Law No. 1 of 2014, dependants'
  supplements and the work-injury, maternity and unemployment branches are not modelled; the reserve is 90% of
  the SSIF's assets. Compare the breakeven years with the SSC's 11th actuarial study (S14: contributions fall
  below expenditure in 2030, contributions plus investment income in 2038). The model's first breakeven comes
  earlier (2025): year-1 expenditure includes JD 0.12 bn of settlements and grants, and the study probably
  compares the contributions of all branches (work injury, maternity and unemployment run surpluses).

## Reading the dependency ratio

The projected system dependency ratio (pensioners of every type per contributor) rises from 0.27 (2025) to
about 1.06 (2074). Compare it with the population ratio *at the scheme's own pension ages* (women 55+, men 60+
over women 18-54 and men 18-59: about 0.18 in 2025 and 0.55 in 2070 in Jordan's WPP projection), not with
the usual 65+/20-64 ratio (0.09 and 0.33). The rest is the scheme maturing (it began in 1980: few of today's
old have pensions, while almost everyone who joins and does not leave with a settlement reaches 15 years of
service) and survivors' and orphans' pensions, about 0.37 per old-age pension. After 2070, the end of the
kit's WPP data, the population and mortality are held at their 2070 values.

## How the data were generated

{METHOD}

## Sources

{sources}
"""


# =============================================================================================
# 7. Command line
# =============================================================================================
def compare(built: Path, committed: Path) -> list[str]:
    problems = []
    for path in sorted(built.iterdir()):
        target = committed / path.name
        if not target.exists():
            problems.append(f"{path.name}: missing from {committed}")
        elif not filecmp.cmp(path, target, shallow=False):
            problems.append(f"{path.name}: differs from a fresh build")
    if committed.is_dir():
        extra = {p.name for p in committed.iterdir()} - {p.name for p in built.iterdir()}
        problems.extend(f"{name}: not produced by the build" for name in sorted(extra))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATASETS,
                        help="datasets folder (default: datasets/); the scheme goes to <out>/schemes/" + NAME)
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with --out; exit 1 on any difference")
    args = parser.parse_args(argv)
    target = args.out / "schemes" / NAME
    if args.check:
        import shutil

        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            shutil.copytree(args.out / COUNTRY, root / COUNTRY)          # the loader needs the country data
            write_scheme(root / "schemes" / NAME, verbose=False)
            problems = compare(root / "schemes" / NAME, target)
        for problem in problems:
            print(problem)
        print("scheme is up to date" if not problems else f"{len(problems)} file(s) differ: run "
              "`python tools/build_scheme.py`")
        return 1 if problems else 0
    write_scheme(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
