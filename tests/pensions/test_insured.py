"""Insured-population projection: hand-worked years, conservation of members, batches, bad input.

The order of events in a year (module docstring of qsp.pensions.insured, after the ILO pension
model, Plamondon et al. 2002 ch. 4-6): indexation, retirement at the start of the year, entry,
decrements (death, then disability, then withdrawal; inactives: death, then re-entry), new
disability/survivor/orphan pensions at the end of the year, ageing with the credit of service.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qsp.pensions import BenefitRules, membership_from_arrays, project_insured
from qsp.pensions.insured import _by_thresholds

N_AGE = 101
N_SERVICE = 86
MEN, WOMEN = 1, 0
OLD_AGE, DISABILITY, SURVIVOR, ORPHAN = range(4)


def members(actives=(), inactives=(), pensioners=(), wage=1000.0):
    """Membership from cells (sex, age, service, count) and pensioners (type, sex, age, count, amount)."""
    active = np.zeros((2, N_AGE, N_SERVICE))
    inactive = np.zeros((2, N_AGE, N_SERVICE))
    for sex, age, service, count in actives:
        active[sex, age, service] = count
    for sex, age, service, count in inactives:
        inactive[sex, age, service] = count
    counts = np.zeros((4, 2, N_AGE))
    amounts = np.zeros((4, 2, N_AGE))
    for kind, sex, age, count, amount in pensioners:
        counts[kind, sex, age] = count
        amounts[kind, sex, age] = amount
    return membership_from_arrays(active, active_wages=wage, inactives=inactive, pensioners=counts,
                                  pension_amounts=amounts)


def constant_qx(q=0.0):
    qx = np.full((2, N_AGE), q)
    qx[:, -1] = 1.0
    return qx


FLAT_WAGES = np.full((2, N_AGE), 1000.0)


def test_a_cohort_year_by_year():
    # 1,000 men aged 58 with 30 years of service; q = 1% at every age; retirement at 60; accrual 2%.
    #   year 1: 1,000 contribute, 10 die, 990 reach 59          year 2: 990 contribute, 9.9 die, 980.1 reach 60
    #   year 3: 980.1 retire at the start with 32 years: 0.02 x 32 x 10,000 = 6,400 each; 9.801 die
    #   year 4: 970.299 pensioners paid 6,400 (no indexation: prices constant)
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60)
    wages = np.full((2, N_AGE), 10_000.0)
    result = project_insured(members(actives=[(MEN, 58, 30, 1000.0)]), rules, n_years=4, mortality=constant_qx(0.01),
                             wages=wages, exposure="start")
    np.testing.assert_allclose(result.total(result.contributors), [1000.0, 990.0, 0.0, 0.0])
    np.testing.assert_allclose(result.total(result.covered_wages), [10_000_000.0, 9_900_000.0, 0.0, 0.0])
    assert result.deaths_active[0, MEN, 58] == pytest.approx(10.0)
    assert result.actives[1, MEN, 59] == pytest.approx(990.0)
    assert result.new_pensioners["old_age"][2, MEN, 60] == pytest.approx(980.1)
    assert result.new_pension_amounts["old_age"][2, MEN, 60] == pytest.approx(980.1 * 6400)
    np.testing.assert_allclose(result.pension_expenditure, [0.0, 0.0, 980.1 * 6400, 970.299 * 6400])
    assert result.pensioner_deaths["old_age"][2, MEN, 60] == pytest.approx(9.801)
    assert result.pensioners["old_age"][3, MEN, 61] == pytest.approx(970.299)
    assert result.final_actives.sum() == 0
    # the average exposure counts half of those who leave during the year: (1,000 + 990) / 2 = 995
    average = project_insured(members(actives=[(MEN, 58, 30, 1000.0)]), rules, n_years=4,
                              mortality=constant_qx(0.01), wages=wages)
    np.testing.assert_allclose(average.number_of_contributors[:2], [995.0, 985.05])
    np.testing.assert_allclose(average.pension_expenditure[2], 0.5 * (980.1 + 970.299) * 6400)


def test_density_spreads_service_as_yearly_credits():
    # density 0.5: after two years the service of a cohort that started with none is 0, 1, 2 years for
    # 1/4, 1/2, 1/4 of it (a weighted shift along the service axis each year); contributors = 0.5 x actives
    result = project_insured(members(actives=[(WOMEN, 30, 0, 1000.0)]), BenefitRules(accrual_rate=0.02), n_years=2,
                             mortality=constant_qx(), contribution_density=0.5, wages=FLAT_WAGES)
    np.testing.assert_allclose(result.final_actives[WOMEN, 32, :4], [250.0, 500.0, 250.0, 0.0])
    np.testing.assert_allclose(result.number_of_contributors, [500.0, 500.0])
    np.testing.assert_allclose(result.final_actives.sum(axis=-1), result.actives[-1])


def test_final_average_wage_and_indexation_by_hand():
    # Wages grow 10% a year; final average over N = 2 years; a man aged 59 with 20 years retires at the
    # start of year 2 (aged 60, 21 years): reference (I_1 + I_0) / 2 x 1,000 = (1,100 + 1,000) / 2 = 1,050,
    # pension 0.02 x 21 x 1,050 = 441. Year 3: indexed with prices (5%): 463.05; with wages (10%): 485.1;
    # half and half: 441 x 1.075 = 474.075.
    membership = members(actives=[(MEN, 59, 20, 1.0)])
    for indexation, expected in (("prices", 463.05), ("wages", 485.1), (0.5, 474.075)):
        rules = BenefitRules(accrual_rate=0.02, reference_years=2, normal_retirement_age=60, indexation=indexation)
        result = project_insured(membership, rules, n_years=3, mortality=constant_qx(), wages=FLAT_WAGES,
                                 wage_growth=0.10, price_inflation=0.05, exposure="start")
        np.testing.assert_allclose(result.pension_expenditure, [0.0, 441.0, expected])
        np.testing.assert_allclose(result.total(result.covered_wages), [1100.0, 0.0, 0.0])
    # retiring in year 1 with N = 3 needs the wages of years -1 and -2: they grow at past_wage_growth
    # (default: the first year's growth): (1 + 1/1.1 + 1/1.21) / 3 x 1,000 = 911.64...
    rules = BenefitRules(accrual_rate=0.02, reference_years=3, normal_retirement_age=60, minimum_years=0)
    old = members(actives=[(MEN, 60, 10, 1.0)])
    result = project_insured(old, rules, n_years=1, mortality=constant_qx(), wages=FLAT_WAGES, wage_growth=0.10)
    reference = (1 + 1 / 1.1 + 1 / 1.21) / 3 * 1000
    assert result.total(result.new_pension_amounts["old_age"])[0] == pytest.approx(0.02 * 10 * reference)
    flat_past = project_insured(old, rules, n_years=1, mortality=constant_qx(), wages=FLAT_WAGES, wage_growth=0.10,
                                past_wage_growth=0.0)
    assert flat_past.total(flat_past.new_pension_amounts["old_age"])[0] == pytest.approx(200.0)


def test_career_average_revalued_with_wages():
    # Wage profile 1,000 + 100 (x - 20) in year 0; a man aged 60 with 3 years retires at the start of year 1:
    # career average of ages 57, 58, 59 revalued to year 0: (4,700 + 4,800 + 4,900) / 3 = 4,800;
    # pension 0.02 x 3 x 4,800 = 288. With growth 10% and retirement at 61, in year 2, after a fourth year of
    # service (ages 57..60): I_1 x (4,700 + 4,800 + 4,900 + 5,000) / 4 = 1.1 x 4,850 = 5,335 -> 0.02 x 4 x 5,335
    # = 426.8
    profile = np.broadcast_to(np.maximum(1000.0 + 100.0 * (np.arange(N_AGE) - 20), 100.0), (2, N_AGE))
    rules = BenefitRules(accrual_rate=0.02, reference_wage="career", minimum_years=0, normal_retirement_age=60)
    result = project_insured(members(actives=[(MEN, 60, 3, 1.0)]), rules, n_years=1, mortality=constant_qx(),
                             wages=profile)
    assert result.total(result.new_pension_amounts["old_age"])[0] == pytest.approx(288.0)
    later = project_insured(members(actives=[(MEN, 60, 3, 1.0)]), rules.replace(normal_retirement_age=61), n_years=2,
                            mortality=constant_qx(), wages=profile, wage_growth=0.10)
    assert later.total(later.new_pension_amounts["old_age"])[1] == pytest.approx(426.8)


def test_disability_pensions_and_grants():
    # 100 men aged 40 with 10 years and 100 with 3 years; incidence 10% at 40; qualifying period 5 years.
    #   10 + 10 become disabled; the first 10 get 0.02 x 10 x 1,000 = 200 each (aged 41 at the end of the year),
    #   the other 10 a grant of 0.1 x 3 x 1,000 = 300 each = 3,000.
    #   Crediting future service to 60: 10 + 20 = 30 years -> 600 each.
    incidence = np.zeros((2, N_AGE))
    incidence[MEN, 40] = 0.1
    membership = members(actives=[(MEN, 40, 10, 100.0), (MEN, 40, 3, 100.0)])
    rules = BenefitRules(accrual_rate=0.02, disability_minimum_years=5, grant_rate=0.1, normal_retirement_age=60)
    result = project_insured(membership, rules, n_years=1, mortality=constant_qx(), disability_incidence=incidence,
                             wages=FLAT_WAGES)
    assert result.total(result.disabled)[0] == pytest.approx(20.0)
    assert result.new_pensioners["disability"][0, MEN, 41] == pytest.approx(10.0)
    assert result.new_pension_amounts["disability"][0, MEN, 41] == pytest.approx(2000.0)
    assert result.total(result.disability_grants)[0] == pytest.approx(10.0)
    np.testing.assert_allclose(result.lump_sums, [3000.0])
    assert result.pensioners["disability"][1, MEN, 41] == pytest.approx(10.0)
    future = project_insured(membership, rules.replace(disability_future_service=True), n_years=1,
                             mortality=constant_qx(), disability_incidence=incidence, wages=FLAT_WAGES)
    assert future.new_pension_amounts["disability"][0, MEN, 41] == pytest.approx(6000.0)


def test_survivors_and_orphans():
    # 100 male old-age pensioners aged 70 (6,000 a year) and 50 active men aged 45 (20 years, base pension
    # 0.02 x 20 x 1,000 = 400) all die in year 1 (q = 1 at those ages, 0 elsewhere).
    #   widows (80% married, husbands 3 years older): 80 aged 67 -> 68 at the end, 0.5 x 6,000 x 80 = 240,000;
    #                                                  40 aged 42 -> 43, 0.5 x 400 x 40 = 8,000
    #   orphans (2 per deceased man aged 45, 30 years younger): 100 aged 15 -> 16, half girls half boys,
    #   0.2 x 400 = 80 each = 8,000; they leave at 18, at the end of year 3.
    qx = constant_qx()
    qx[MEN, 70] = qx[MEN, 45] = 1.0
    orphans = np.zeros((2, N_AGE))
    orphans[MEN, 45] = 2.0
    membership = members(actives=[(MEN, 45, 20, 50.0)], pensioners=[(OLD_AGE, MEN, 70, 100.0, 6000.0)])
    rules = BenefitRules(accrual_rate=0.02, survivor_rate=0.5, orphan_rate=0.2, orphan_age_limit=18)
    result = project_insured(membership, rules, n_years=4, mortality=qx, proportion_married=0.8,
                             orphans_per_death=orphans, wages=FLAT_WAGES, exposure="start")
    new_survivors = result.new_pensioners["survivor"][0]
    assert new_survivors[WOMEN, 68] == pytest.approx(80.0) and new_survivors[WOMEN, 43] == pytest.approx(40.0)
    assert result.total(result.new_pension_amounts["survivor"])[0] == pytest.approx(248_000.0)
    np.testing.assert_allclose(result.new_pensioners["orphan"][0][:, 16], [50.0, 50.0])
    assert result.total(result.new_pension_amounts["orphan"])[0] == pytest.approx(8_000.0)
    np.testing.assert_allclose(result.total(result.expenditure["survivor"]), [0.0, 248_000.0, 248_000.0, 248_000.0])
    np.testing.assert_allclose(result.total(result.expenditure["orphan"]), [0.0, 8_000.0, 8_000.0, 0.0])
    np.testing.assert_allclose(result.total(result.orphans_ending), [0.0, 0.0, 100.0, 0.0])
    np.testing.assert_allclose(result.total(result.pensioners["old_age"]), [100.0, 0.0, 0.0, 0.0, 0.0])
    # widowers of women: a woman aged 50 leaves a husband aged 53
    qx_women = constant_qx()
    qx_women[WOMEN, 50] = 1.0
    widowers = project_insured(members(actives=[(WOMEN, 50, 10, 10.0)]), rules, n_years=1, mortality=qx_women,
                               proportion_married=1.0, wages=FLAT_WAGES)
    assert widowers.new_pensioners["survivor"][0, MEN, 54] == pytest.approx(10.0)


def test_withdrawal_reentry_and_deferred_pensions():
    # Inactive men aged 59: 10 with 20 years (deferred pension 0.02 x 20 x 1,000 = 400 from year 2) and 4 with
    # 5 years (grant 0.1 x 5 x 1,000 = 500 each = 2,000 in year 2). Actives aged 40 with 10 years: 20% withdraw;
    # a year later half of them re-enter (re-entry 50% at 41) and earn the year's credit.
    withdrawal = np.zeros((2, N_AGE))
    withdrawal[MEN, 40] = 0.2
    reentry = np.zeros((2, N_AGE))
    reentry[MEN, 41] = 0.5
    membership = members(actives=[(MEN, 40, 10, 100.0)], inactives=[(MEN, 59, 20, 10.0), (MEN, 59, 5, 4.0)])
    rules = BenefitRules(accrual_rate=0.02, minimum_years=15, grant_rate=0.1, normal_retirement_age=60)
    result = project_insured(membership, rules, n_years=2, mortality=constant_qx(), withdrawal_rate=withdrawal,
                             reentry_rate=reentry, wages=FLAT_WAGES, exposure="start")
    np.testing.assert_allclose(result.total(result.withdrawals), [20.0, 0.0])
    np.testing.assert_allclose(result.total(result.reentries), [0.0, 10.0])
    assert result.final_actives[MEN, 42, 12] == pytest.approx(80.0)
    assert result.final_actives[MEN, 42, 11] == pytest.approx(10.0)
    assert result.final_inactives[MEN, 42, 10] == pytest.approx(10.0)
    np.testing.assert_allclose(result.total(result.retired_inactive), [0.0, 14.0])
    np.testing.assert_allclose(result.total(result.retirement_grants), [0.0, 4.0])
    np.testing.assert_allclose(result.lump_sums, [0.0, 2000.0])
    np.testing.assert_allclose(result.pension_expenditure, [0.0, 4000.0])


def test_rising_retirement_age_and_early_reduction():
    # retirement age 60, 61, 62: men aged 59 at the valuation reach 60 at date 1 but the age is then 61, at date 2
    # it is 62: they retire at the start of year 4 aged 62. With a normal age of 60 and 5% increment per year of
    # deferral, their pension is 1.10 x 0.02 x 23 x 1,000 = 506.
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60, late_increment=0.05)
    result = project_insured(members(actives=[(MEN, 59, 20, 1.0)]), rules, n_years=4, mortality=constant_qx(),
                             retirement_age=[60, 61, 62, 62], wages=FLAT_WAGES)
    np.testing.assert_allclose(result.total(result.retired_active), [0.0, 0.0, 0.0, 1.0])
    assert result.new_pension_amounts["old_age"][3, MEN, 62] == pytest.approx(506.0)
    early = BenefitRules(accrual_rate=0.02, normal_retirement_age=62, early_reduction=0.06)
    result = project_insured(members(actives=[(MEN, 59, 20, 1.0)]), early, n_years=2, mortality=constant_qx(),
                             retirement_age=60, wages=FLAT_WAGES)
    # retiring at 60, two years early: 0.88 x 0.02 x 21 x 1,000 = 369.6
    assert result.total(result.new_pension_amounts["old_age"])[1] == pytest.approx(369.6)


def test_entrants_and_ceiling():
    # 100 entrants a year, all women aged 25; wages 1,000 at 25 and 3,000 from 40 with a ceiling of 1.5 times
    # the average wage of the actives (here the entrants: 1,000) -> insurable 1,000 at 25
    shares = np.zeros((2, N_AGE))
    shares[WOMEN, 25] = 1.0
    profile = np.where(np.arange(N_AGE) < 40, 1000.0, 3000.0) * np.ones((2, 1))
    empty = members()
    result = project_insured(empty, BenefitRules(accrual_rate=0.02), n_years=3, mortality=constant_qx(),
                             new_entrants=100.0, entrant_distribution=shares, wages=profile, wage_ceiling=1.5,
                             exposure="start")
    np.testing.assert_allclose(result.total(result.entrants), [100.0, 100.0, 100.0])
    np.testing.assert_allclose(result.number_of_contributors, [100.0, 200.0, 300.0])
    np.testing.assert_allclose(result.total(result.actives), [0.0, 100.0, 200.0, 300.0])
    np.testing.assert_allclose(result.average_wage, [1000.0, 1000.0, 1000.0])
    old = members(actives=[(WOMEN, 45, 10, 1.0), (WOMEN, 25, 0, 1.0)])
    capped = project_insured(old, BenefitRules(accrual_rate=0.02), n_years=1, mortality=constant_qx(), wages=profile,
                             wage_ceiling=1.5)
    # average wage (3,000 + 1,000) / 2 = 2,000, ceiling 3,000: nothing capped; at 1.2 times: 2,400
    assert capped.total(capped.insurable_earnings)[0] == pytest.approx(4000.0)
    capped = project_insured(old, BenefitRules(accrual_rate=0.02), n_years=1, mortality=constant_qx(), wages=profile,
                             wage_ceiling=1.2)
    assert capped.total(capped.insurable_earnings)[0] == pytest.approx(3400.0)
    assert capped.total(capped.covered_wages)[0] == pytest.approx(4000.0)


# ---------------------------------------------------------------------------------------------
# conservation and batches
# ---------------------------------------------------------------------------------------------
@st.composite
def scenarios(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_years = draw(st.integers(1, 12))
    active = np.zeros((2, N_AGE, N_SERVICE))
    inactive = np.zeros((2, N_AGE, N_SERVICE))
    for _ in range(draw(st.integers(0, 8))):
        sex, age = rng.integers(0, 2), rng.integers(15, 72)
        active[sex, age, rng.integers(0, age - 14)] += rng.uniform(0, 100)
        inactive[sex, age, rng.integers(0, age - 14)] += rng.uniform(0, 50)
    pensioners = rng.uniform(0, 20, (4, 2, N_AGE)) * (rng.uniform(size=(4, 2, N_AGE)) < 0.1)
    membership = membership_from_arrays(active, active_wages=rng.uniform(500, 3000), inactives=inactive,
                                        pensioners=pensioners, pension_amounts=rng.uniform(100, 900, (4, 2, N_AGE)))
    shares = np.zeros((2, N_AGE))
    shares[:, 18:40] = rng.uniform(size=(2, 22))
    shares /= shares.sum()
    retirement = np.sort(rng.integers(55, 71, n_years))
    rules = BenefitRules(accrual_rate=rng.uniform(0.005, 0.03), minimum_years=int(rng.integers(0, 20)),
                         minimum_pension=rng.uniform(0, 500), disability_minimum_years=int(rng.integers(0, 10)),
                         survivor_minimum_years=int(rng.integers(0, 10)), grant_rate=0.1,
                         disability_future_service=bool(rng.integers(0, 2)), normal_retirement_age=retirement,
                         orphan_age_limit=int(rng.integers(10, 25)),
                         reference_wage=draw(st.sampled_from(["final", "career"])))

    def probability(high):
        return rng.uniform(0, high, (2, N_AGE))

    qx = np.minimum(probability(0.2), 1.0)
    qx[:, -1] = 1.0
    options = dict(
        n_years=n_years, mortality=qx, new_entrants=rng.uniform(0, 300, n_years), entrant_distribution=shares,
        disability_incidence=probability(0.1), withdrawal_rate=probability(0.3), reentry_rate=probability(0.3),
        contribution_density=rng.uniform(0, 1, (2, N_AGE)), proportion_married=probability(1.0),
        orphans_per_death=probability(2.0), spouse_age_difference=int(rng.integers(-5, 8)),
        parent_age_gap=int(rng.integers(15, 40)), wage_growth=rng.uniform(-0.05, 0.1, n_years),
        exposure=draw(st.sampled_from(["average", "start"])), detail=draw(st.sampled_from(["age", "total"])),
        wages=rng.uniform(300, 3000, (2, N_AGE)) if draw(st.booleans()) or not active.any() else None,
    )
    return membership, rules, options


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_members_are_conserved_every_year(case):
    membership, rules, options = case
    result = project_insured(membership, rules, **options)
    scale = 1.0 + result.total(result.actives).max() + result.total(result.inactives).max() \
        + max(result.total(result.pensioners[name]).max() for name in result.pensioners)
    for name, residual in result.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-9 * scale, err_msg=name)
    for name in ("actives", "inactives"):
        assert np.all(getattr(result, name) >= -1e-9 * scale), name
    for name, stock in result.pensioners.items():
        assert np.all(stock >= -1e-9 * scale), name
    # the service distribution carried along agrees with the counts by (sex, age)
    np.testing.assert_allclose(result.final_actives.sum(), result.total(result.actives)[-1], atol=1e-9 * scale)
    np.testing.assert_allclose(result.final_inactives.sum(), result.total(result.inactives)[-1], atol=1e-9 * scale)
    if result.detail == "age":
        np.testing.assert_allclose(result.final_actives.sum(axis=-1), result.actives[-1], atol=1e-9 * scale)
    assert np.all(result.lump_sums >= 0) and np.all(result.pension_expenditure >= 0)


@given(st.integers(1, 30), st.floats(0, 5000), st.floats(0, 3000), st.floats(0, 0.05), st.integers(0, 40),
       st.floats(0, 20), st.booleans(), st.integers(0, 2**32 - 1))
def test_threshold_sums_equal_the_direct_sums(n_cells, floor, width, accrual, first, max_years, capped, seed):
    # sum_k cells_k clip(slope min(first + k + future, n_max), floor, cap) computed two ways
    rng = np.random.default_rng(seed)
    cells = rng.uniform(0, 10, (3, 2, 4, n_cells))
    future = rng.integers(0, 10, 4).astype(float)
    reference = rng.uniform(0, 5000, (3, 2, 4))
    n_max = first + max_years
    cap = floor + width if capped else None
    credited = np.minimum(np.arange(first, first + n_cells) + future[:, None], n_max)
    pension = np.maximum(accrual * credited * reference[..., None], floor)
    if cap is not None:
        pension = np.minimum(pension, cap)
    direct = (cells * pension).sum(axis=-1)
    upper = None if cap is None else np.full(3, cap)
    fast = _by_thresholds(cells, first, future, accrual, reference, np.full(3, floor), upper, n_max)
    np.testing.assert_allclose(fast, direct, rtol=1e-10, atol=1e-6)


def test_batches_equal_single_runs():
    # A batch of money scenarios (wage growth, pension limits) takes the threshold path; each scenario alone
    # takes the direct one. A batch of mortality scenarios carries the service distribution per scenario.
    membership = members(actives=[(MEN, 40, 10, 100.0), (WOMEN, 55, 30, 80.0), (MEN, 58, 3, 20.0)],
                         inactives=[(WOMEN, 50, 12, 30.0)], pensioners=[(OLD_AGE, MEN, 70, 10.0, 500.0)])
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, maximum_years=25, minimum_pension=[300.0, 400.0, 500.0],
                         maximum_pension=[600.0, 650.0, 700.0], disability_future_service=True,
                         disability_minimum_years=3, normal_retirement_age=[60, 60, 61], grant_rate=0.1)
    growth = np.array([[0.0, 0.1, 0.2], [0.3, 0.0, -0.1]])
    qx = np.stack([constant_qx(0.01), constant_qx(0.05)])
    options = dict(n_years=3, disability_incidence=0.05, withdrawal_rate=0.1, reentry_rate=0.2,
                   proportion_married=0.7, wages=np.full((2, N_AGE), 1000.0))
    batch = project_insured(membership, rules, mortality=constant_qx(0.02), wage_growth=growth, **options)
    assert batch.lump_sums.shape == (2, 3) and batch.actives.shape == (4, 2, N_AGE)      # counts carry no batch
    for k in range(2):
        single = project_insured(membership, rules, mortality=constant_qx(0.02), wage_growth=growth[k], **options)
        for name in ("old_age", "disability", "survivor"):
            np.testing.assert_allclose(batch.expenditure[name][k], single.expenditure[name], rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(batch.lump_sums[k], single.lump_sums, rtol=1e-12)
    mortality_batch = project_insured(membership, rules, mortality=qx[:, None], wage_growth=0.03, **options)
    assert mortality_batch.final_actives.shape[:3] == (2, 2, N_AGE)     # service axis: the projection's grid
    for k in range(2):
        single = project_insured(membership, rules, mortality=qx[k], wage_growth=0.03, **options)
        np.testing.assert_allclose(mortality_batch.final_actives[k], single.final_actives, rtol=1e-12)
        np.testing.assert_allclose(mortality_batch.pension_expenditure[k], single.pension_expenditure, rtol=1e-12)


def test_detail_total_and_life_table_input():
    from qsp.demography import life_table

    mx = np.broadcast_to(0.0003 * np.exp(0.09 * np.arange(N_AGE)), (2, N_AGE))
    table = life_table(mx)
    membership = members(actives=[(MEN, 40, 10, 100.0), (WOMEN, 62, 30, 80.0)])
    rules = BenefitRules(accrual_rate=0.02)
    by_age = project_insured(membership, rules, n_years=5, mortality=table, wages=FLAT_WAGES)
    totals = project_insured(membership, rules, n_years=5, mortality=table.qx, wages=FLAT_WAGES, detail="total")
    np.testing.assert_allclose(totals.number_of_contributors, by_age.number_of_contributors, rtol=1e-12)
    np.testing.assert_allclose(totals.pension_expenditure, by_age.pension_expenditure, rtol=1e-12)
    assert totals.actives.shape == (6,)
    frame = by_age.to_frame()
    assert {"year", "variable", "value"} <= set(frame.columns)
    assert frame[frame.variable == "contributors"].value.to_numpy() == pytest.approx(by_age.number_of_contributors)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_bad_input_messages():
    membership = members(actives=[(MEN, 40, 10, 100.0)])
    rules = BenefitRules(accrual_rate=0.02)
    qx = constant_qx(0.01)
    shares = np.zeros((2, N_AGE))
    shares[:, 20] = 0.5

    def run(**changes):
        options = dict(n_years=3, mortality=qx, wages=FLAT_WAGES)
        options.update(changes)
        return project_insured(changes.pop("membership", membership), changes.pop("rules", rules), **options)

    with pytest.raises(ValueError, match="retirement_age is 101 in projection year 1, outside the age grid of the "
                                         "projection \\(16..100\\)"):
        run(retirement_age=101)
    with pytest.raises(ValueError, match="retirement_age is 15 in projection year 2"):
        run(retirement_age=[60, 15, 60])
    with pytest.raises(ValueError, match="retirement_age must hold whole ages; it is 60.5 in projection year 1"):
        run(retirement_age=60.5)
    with pytest.raises(ValueError, match="retirement_age has 2 entries but the projection has 3 years"):
        run(retirement_age=[60, 61])
    bad_q = qx.copy()
    bad_q[1, 50] = 1.5
    with pytest.raises(ValueError, match="mortality has a probability of dying of 1.5 at sex 1 \\(male\\), age 50"):
        run(mortality=bad_q)
    with pytest.raises(ValueError, match="withdrawal_rate has a probability of -0.1"):
        run(withdrawal_rate=-0.1)
    by_year = np.zeros((3, 2, N_AGE))
    by_year[2, 0, 30] = -0.2
    with pytest.raises(ValueError, match="disability_incidence has a probability of -0.2 at year 3, sex 0 "
                                         "\\(female\\), age 30"):
        run(disability_incidence=by_year)
    with pytest.raises(ValueError, match="mortality has 100 entries on its age axis"):
        run(mortality=np.full((2, 100), 0.01))
    with pytest.raises(ValueError, match="its axis -3 is the projection year, which must have 3 entries"):
        run(reentry_rate=np.zeros((5, 2, N_AGE)))
    with pytest.raises(ValueError, match="new_entrants has a number of entrants of -5"):
        run(new_entrants=-5.0, entrant_distribution=shares)
    with pytest.raises(ValueError, match="entrant_distribution is missing"):
        run(new_entrants=10.0)
    with pytest.raises(ValueError, match="entrant_distribution sums to 0.5"):
        run(new_entrants=10.0, entrant_distribution=shares * 0.5)
    late = np.zeros((2, N_AGE))
    late[1, 65] = 1.0
    with pytest.raises(ValueError, match="entrant_distribution puts entrants at sex 1, age 65, outside the working "
                                         "ages 15..59"):
        run(new_entrants=10.0, entrant_distribution=late)
    with pytest.raises(ValueError, match="wage_growth has a growth rate of -1"):
        run(wage_growth=-1.0)
    with pytest.raises(ValueError, match="wage_ceiling has a multiple of the average wage of 0"):
        run(wage_ceiling=0.0)
    with pytest.raises(ValueError, match="exposure must be 'average' or 'start'"):
        run(exposure="end")
    with pytest.raises(ValueError, match="detail must be 'age' or 'total'"):
        run(detail="sex")
    with pytest.raises(ValueError, match="n_years must be a whole number of at least 1"):
        run(n_years=0)
    with pytest.raises(ValueError, match="membership must be a Membership"):
        project_insured({"actives": 1}, rules, n_years=3, mortality=qx)
    with pytest.raises(ValueError, match="rules must be a BenefitRules"):
        project_insured(membership, {"accrual_rate": 0.02}, n_years=3, mortality=qx)
    with pytest.raises(ValueError, match="spouse_age_difference must be a whole number"):
        run(spouse_age_difference=2.5)
    with pytest.raises(ValueError, match="proportion_married has a proportion of 1.2"):
        run(proportion_married=1.2)
