"""Options of the insured-population projection added for realistic national schemes, worked by hand.

Retirement age by sex, early retirement (a probability of retiring at each age between the early
and the normal age, with the early reduction of the rules), exits of actives with a lump-sum
settlement (by age and sex, optionally by service band), indexation by the lesser of prices and
wages with a cap in money, and the conservation of members with all of them (Plamondon et al.
2002, Actuarial Practice in Social Security, ch. 4-6: decrements of the insured population,
grants and settlements; Jordan, Social Security Law No. 1 of 2014: lesser-of indexation with a cap).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qsp.pensions import BenefitRules, membership_from_arrays, project_insured
from qsp.pensions.benefits import ages_by_sex, indexation_rate, indexation_share, years_by_sex

N_AGE = 101
N_SERVICE = 86
MEN, WOMEN = 1, 0
OLD_AGE = 0
FLAT_WAGES = np.full((2, N_AGE), 1000.0)


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


# ---------------------------------------------------------------------------------------------
# retirement age by sex
# ---------------------------------------------------------------------------------------------
def test_retirement_age_by_sex_by_hand():
    # A woman and a man aged 54 with 20 years; women retire at 55, men at 60; accrual 2%, wage 1,000, no deaths.
    #   the woman is 55 at date 1: she retires at the start of year 2 with 21 years: 0.02 x 21 x 1,000 = 420
    #   the man is 60 at date 6: he retires at the start of year 7 with 26 years: 0.02 x 26 x 1,000 = 520
    #   contributors (start of year): 2 in year 1, 1 in years 2-6, 0 in year 7
    membership = members(actives=[(WOMEN, 54, 20, 1.0), (MEN, 54, 20, 1.0)])
    for ages in ({"female": 55, "male": 60}, [[55, 60]], np.tile([55, 60], (7, 1))):
        rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=ages)
        result = project_insured(membership, rules, n_years=7, mortality=constant_qx(), wages=FLAT_WAGES,
                                 exposure="start")
        np.testing.assert_allclose(result.number_of_contributors, [2, 1, 1, 1, 1, 1, 0])
        assert result.new_pension_amounts["old_age"][1, WOMEN, 55] == pytest.approx(420.0)
        assert result.new_pension_amounts["old_age"][6, MEN, 60] == pytest.approx(520.0)
        np.testing.assert_allclose(result.total(result.retired_active), [0, 1, 0, 0, 0, 0, 1])
        assert result.retirement_age.shape == (7, 2) and result.retirement_age_by_sex[0].tolist() == [55, 60]
        np.testing.assert_allclose(result.pension_expenditure, [0, 420, 420, 420, 420, 420, 940])
    # the same age for both sexes keeps the old shape (n,)
    same = project_insured(membership, BenefitRules(accrual_rate=0.02), n_years=2, mortality=constant_qx(),
                           wages=FLAT_WAGES)
    assert same.retirement_age.shape == (2,) and same.retirement_age_by_sex.shape == (2, 2)
    # a rising age by sex: (year, sex); women 55, 56, men 60, 61 -> the woman (55 at date 1) waits for 56
    rising = BenefitRules(accrual_rate=0.02, normal_retirement_age={"female": [55, 56, 56], "male": [60, 61, 61]})
    result = project_insured(membership, rising, n_years=3, mortality=constant_qx(), wages=FLAT_WAGES)
    np.testing.assert_allclose(result.total(result.retired_active), [0, 0, 1])


def test_early_reduction_against_the_normal_age_of_each_sex():
    # normal ages: women 57, men 60; members retire at 55 (women) and 60 (men); 6% less per year early.
    #   the woman aged 54 with 20 years retires at the start of year 2 aged 55 with 21 years, two years early:
    #   0.88 x 0.02 x 21 x 1,000 = 369.6; the man is not reduced
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age={"female": 57, "male": 60}, early_reduction=0.06)
    result = project_insured(members(actives=[(WOMEN, 54, 20, 1.0)]), rules, n_years=2, mortality=constant_qx(),
                             retirement_age={"female": 55, "male": 60}, wages=FLAT_WAGES)
    assert result.total(result.new_pension_amounts["old_age"])[1] == pytest.approx(369.6)
    assert rules.old_age_pension(21, 1000.0, age=55, sex=WOMEN) == pytest.approx(369.6)
    with pytest.raises(ValueError, match="normal_retirement_age differs by sex: give sex=0"):
        rules.old_age_pension(21, 1000.0, age=55)


# ---------------------------------------------------------------------------------------------
# early retirement
# ---------------------------------------------------------------------------------------------
def test_early_retirement_by_hand():
    # Men aged 50: 100 with 25 years, 100 with 10 years. Early retirement from 50 with 21 years, normal age 60,
    # 4% less per year early, 30% of those who may retire early do so each year (ages 50-59), no deaths.
    #   year 1: 0.3 x 100 = 30 retire aged 50 with 25 years: 0.02 x 25 x 1,000 x (1 - 0.04 x 10) = 300 each
    #   year 2: 70 left, now 51 with 26 years: 21 retire with 0.02 x 26 x 1,000 x (1 - 0.04 x 9) = 332.8 each
    #   the men with 10 years never qualify early; contributors (start): 200 - 30 = 170, then 170 - 21 = 149
    rate = np.zeros((2, N_AGE))
    rate[:, 50:60] = 0.3
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60, early_retirement_age=50,
                         early_minimum_years=21, early_reduction=0.04)
    membership = members(actives=[(MEN, 50, 25, 100.0), (MEN, 50, 10, 100.0)])
    result = project_insured(membership, rules, n_years=2, mortality=constant_qx(), early_retirement_rate=rate,
                             wages=FLAT_WAGES, exposure="start")
    assert result.new_pensioners["old_age"][0, MEN, 50] == pytest.approx(30.0)
    assert result.new_pension_amounts["old_age"][0, MEN, 50] == pytest.approx(30 * 300.0)
    assert result.new_pensioners["old_age"][1, MEN, 51] == pytest.approx(21.0)
    assert result.new_pension_amounts["old_age"][1, MEN, 51] == pytest.approx(21 * 332.8)
    np.testing.assert_allclose(result.total(result.early_retired_active), [30.0, 21.0])
    np.testing.assert_allclose(result.total(result.retired_active), [30.0, 21.0])      # retirements include them
    np.testing.assert_allclose(result.number_of_contributors, [170.0, 149.0])
    np.testing.assert_allclose(result.pension_expenditure, [9000.0, 9000.0 + 21 * 332.8])
    # the default (no rate) is today's behaviour: nobody retires before the retirement age
    default = project_insured(membership, rules, n_years=2, mortality=constant_qx(), wages=FLAT_WAGES)
    assert default.total(default.retired_active).sum() == 0


def test_early_retirement_service_by_sex_and_inactives():
    # Early retirement from 50 with 19 years (women) or 21 years (men), rate 50%. Women and men aged 50 with 19
    # years: only the women qualify (5 of 10). An inactive man aged 52 with 22 years qualifies too: 0.5 x 4 = 2,
    # with 0.02 x 22 x 1,000 = 440 each (no reduction).
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age={"female": 55, "male": 60}, early_retirement_age=50,
                         early_minimum_years={"female": 19, "male": 21})
    membership = members(actives=[(WOMEN, 50, 19, 10.0), (MEN, 50, 19, 10.0)], inactives=[(MEN, 52, 22, 4.0)])
    result = project_insured(membership, rules, n_years=1, mortality=constant_qx(), early_retirement_rate=0.5,
                             wages=FLAT_WAGES)
    np.testing.assert_allclose(result.early_retired_active[0].sum(axis=-1), [5.0, 0.0])
    assert result.early_retired_inactive[0, MEN, 52] == pytest.approx(2.0)
    assert result.new_pension_amounts["old_age"][0, WOMEN, 50] == pytest.approx(5 * 380.0)
    assert result.new_pension_amounts["old_age"][0, MEN, 52] == pytest.approx(2 * 440.0)
    np.testing.assert_allclose(result.total(result.retired_inactive), [2.0])


# ---------------------------------------------------------------------------------------------
# exits with a lump-sum settlement
# ---------------------------------------------------------------------------------------------
def test_exits_with_settlement_by_hand():
    # 1,000 men aged 30 with 5 years; q = 1%; exit 10%, then withdrawal to inactive 20%; settlement 10% of the
    # reference wage per year of service; wage 1,000.
    #   deaths 10; exits 0.1 x 990 = 99; withdrawals 0.2 x 891 = 178.2; still active 712.8 (6 years at 31)
    #   settlements 99 x 0.1 x 5 x 1,000 = 49,500 (in lump_sums); members: 1,000 = 10 + 99 + 178.2 + 712.8
    rules = BenefitRules(accrual_rate=0.02, settlement_rate=0.1)
    result = project_insured(members(actives=[(MEN, 30, 5, 1000.0)]), rules, n_years=1, mortality=constant_qx(0.01),
                             exit_rate=0.1, withdrawal_rate=0.2, wages=FLAT_WAGES)
    assert result.total(result.exits)[0] == pytest.approx(99.0)
    assert result.total(result.withdrawals)[0] == pytest.approx(178.2)
    assert result.final_actives[MEN, 31, 6] == pytest.approx(712.8)
    assert result.final_inactives[MEN, 31, 5] == pytest.approx(178.2)
    np.testing.assert_allclose(result.settlements, [49_500.0])
    np.testing.assert_allclose(result.lump_sums, [49_500.0])
    for name, residual in result.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-9, err_msg=name)
    # contributors, average exposure: (1,000 + 712.8) / 2 = 856.4
    np.testing.assert_allclose(result.number_of_contributors, [856.4])
    # the settlement rate defaults to the grant rate: 0.175 x 5 x 1,000 x 99 = 86,625
    grants = project_insured(members(actives=[(MEN, 30, 5, 1000.0)]), BenefitRules(accrual_rate=0.02, grant_rate=0.175),
                             n_years=1, mortality=constant_qx(0.01), exit_rate=0.1, wages=FLAT_WAGES)
    np.testing.assert_allclose(grants.settlements, [86_625.0])


def test_exits_by_service_band():
    # Only members with fewer than 5 years may exit (exit_service_factor = 1 below 5 years, 0 from 5 on):
    # 1,000 men aged 30 with 3 years and 1,000 with 10 years, exit 10%, no deaths:
    #   exits 100 (all from the 3-year cell), settlements 100 x 0.1 x 3 x 1,000 = 30,000;
    #   at 31: 900 with 4 years, 1,000 with 11 years
    membership = members(actives=[(MEN, 30, 3, 1000.0), (MEN, 30, 10, 1000.0)])
    rules = BenefitRules(accrual_rate=0.02, settlement_rate=0.1)
    result = project_insured(membership, rules, n_years=1, mortality=constant_qx(), exit_rate=0.1,
                             exit_service_factor=np.arange(40) < 5, wages=FLAT_WAGES)
    np.testing.assert_allclose(result.total(result.exits), [100.0])
    np.testing.assert_allclose(result.settlements, [30_000.0])
    assert result.final_actives[MEN, 31, 4] == pytest.approx(900.0)
    assert result.final_actives[MEN, 31, 11] == pytest.approx(1000.0)
    # a half share from 5 years: 0.1 x 1,000 + 0.05 x 1,000 = 150 exits; 30,000 + 50 x 0.1 x 10 x 1,000 = 80,000
    half = project_insured(membership, rules, n_years=1, mortality=constant_qx(), exit_rate=0.1,
                           exit_service_factor=[1, 1, 1, 1, 1, 0.5], wages=FLAT_WAGES)
    np.testing.assert_allclose(half.total(half.exits), [150.0])
    np.testing.assert_allclose(half.settlements, [80_000.0])
    assert half.final_actives[MEN, 31, 11] == pytest.approx(950.0)


def test_settlements_count_in_the_valuation():
    from qsp.pensions import value_scheme

    rules = BenefitRules(accrual_rate=0.02, settlement_rate=0.1)
    projection = project_insured(members(actives=[(MEN, 30, 5, 1000.0)]), rules, n_years=1,
                                 mortality=constant_qx(0.01), exit_rate=0.1, wages=FLAT_WAGES)
    valuation = value_scheme(projection, contribution_rate=0.1, interest_rate=0.0)
    np.testing.assert_allclose(valuation.benefit_expenditure, [49_500.0])
    np.testing.assert_allclose(valuation.expenditure_by_type["lump_sums"], [49_500.0])


# ---------------------------------------------------------------------------------------------
# indexation: lesser of prices and wages, cap in money
# ---------------------------------------------------------------------------------------------
def test_lesser_indexation_with_a_cap_by_hand():
    # 10 men aged 70 with 1,000 a year and 10 aged 75 with 20,000; wage growth 3%, 1%; inflation 2%, 4%;
    # indexation by the lesser: 2% in year 1, 1% in year 2; cap 300 a year per pension; no deaths.
    #   year 1: 1,000 -> 1,020; 20,000 + min(400, 300) = 20,300 -> expenditure 10 x 1,020 + 10 x 20,300 = 213,200
    #   year 2: 1,020 -> 1,030.2; 20,300 + min(203, 300) = 20,503 -> 10 x 1,030.2 + 10 x 20,503 = 215,332
    #   with a cap of 300 then 100: 20,300 + 100 = 20,400 -> 10 x 1,030.2 + 10 x 20,400 = 214,302
    membership = members(pensioners=[(OLD_AGE, MEN, 70, 10.0, 1000.0), (OLD_AGE, MEN, 75, 10.0, 20_000.0)])
    options = dict(n_years=2, mortality=constant_qx(), wages=FLAT_WAGES, wage_growth=[0.03, 0.01],
                   price_inflation=[0.02, 0.04], exposure="start")
    rules = BenefitRules(accrual_rate=0.02, indexation="lesser", indexation_cap=300.0)
    result = project_insured(membership, rules, **options)
    np.testing.assert_allclose(result.pension_expenditure, [213_200.0, 215_332.0])
    falling = project_insured(membership, rules.replace(indexation_cap=[300.0, 100.0]), **options)
    np.testing.assert_allclose(falling.pension_expenditure, [213_200.0, 214_302.0])
    # without a cap, the lesser rule: 1.02 x 1.01 x 210,000 = 216,342
    uncapped = project_insured(membership, rules.replace(indexation_cap=None), **options)
    np.testing.assert_allclose(uncapped.pension_expenditure, [214_200.0, 216_342.0])
    # a batch of economic scenarios: each equals its single run
    growth = np.array([[0.03, 0.01], [0.0, 0.05]])
    batch = project_insured(membership, rules, **{**options, "wage_growth": growth})
    for k in range(2):
        single = project_insured(membership, rules, **{**options, "wage_growth": growth[k]})
        np.testing.assert_allclose(batch.pension_expenditure[k], single.pension_expenditure, rtol=1e-12)


def test_cap_indexed_with_prices_by_hand():
    # 10 men aged 75 with 20,000; price indexation at 2%; a cap of 300 in money of year 0, itself raised with
    # inflation: year 1 cap 306, increase min(400, 306) = 306 -> 20,306; year 2 cap 306 x 1.02 = 312.12,
    # increase min(406.12, 312.12) = 312.12 -> 20,618.12 (expenditure x 10, exposure at the start)
    membership = members(pensioners=[(OLD_AGE, MEN, 75, 10.0, 20_000.0)])
    rules = BenefitRules(accrual_rate=0.02, indexation_cap=300.0, indexation_cap_indexed=True)
    result = project_insured(membership, rules, n_years=2, mortality=constant_qx(), wages=FLAT_WAGES,
                             price_inflation=0.02, exposure="start")
    np.testing.assert_allclose(result.pension_expenditure, [203_060.0, 206_181.2])
    with pytest.raises(ValueError, match="indexation_cap_indexed must be True or False"):
        rules.replace(indexation_cap_indexed="yes")


def test_indexation_rate_and_share():
    np.testing.assert_allclose(indexation_rate("lesser", [0.034, 0.01], [0.025, 0.042]), [0.025, 0.01])
    np.testing.assert_allclose(indexation_rate("prices", 0.04, 0.02), 0.02)
    np.testing.assert_allclose(indexation_rate("wages", 0.04, 0.02), 0.04)
    np.testing.assert_allclose(indexation_rate(0.25, 0.04, 0.02), 0.025)          # 0.25 x 4% + 0.75 x 2%
    with pytest.raises(ValueError, match="'lesser' .* is not a fixed share of wage growth"):
        indexation_share("lesser")


# ---------------------------------------------------------------------------------------------
# conservation and batches with the new flows
# ---------------------------------------------------------------------------------------------
@st.composite
def scenarios(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_years = draw(st.integers(1, 10))
    active = np.zeros((2, N_AGE, N_SERVICE))
    inactive = np.zeros((2, N_AGE, N_SERVICE))
    for _ in range(draw(st.integers(0, 8))):
        sex, age = rng.integers(0, 2), rng.integers(16, 70)
        active[sex, age, rng.integers(0, age - 15)] += rng.uniform(0, 100)
        inactive[sex, age, rng.integers(0, age - 15)] += rng.uniform(0, 50)
    pensioners = rng.uniform(0, 20, (4, 2, N_AGE)) * (rng.uniform(size=(4, 2, N_AGE)) < 0.1)
    membership = membership_from_arrays(active, active_wages=rng.uniform(500, 3000), inactives=inactive,
                                        pensioners=pensioners, pension_amounts=rng.uniform(100, 900, (4, 2, N_AGE)))
    shares = np.zeros((2, N_AGE))
    shares[:, 18:40] = rng.uniform(size=(2, 22))
    shares /= shares.sum()
    normal = np.sort(rng.integers(55, 71, (n_years, 2)), axis=0)
    early = normal - rng.integers(0, 12, (1, 2))
    rules = BenefitRules(accrual_rate=rng.uniform(0.005, 0.03), minimum_years=int(rng.integers(0, 20)),
                         minimum_pension=rng.uniform(0, 500), grant_rate=0.1, settlement_rate=rng.uniform(0, 0.2),
                         normal_retirement_age=normal, early_retirement_age=early,
                         early_minimum_years={"female": int(rng.integers(0, 25)), "male": int(rng.integers(0, 25))},
                         early_reduction=rng.uniform(0, 0.06), indexation=draw(st.sampled_from(["lesser", "prices"])),
                         indexation_cap=rng.uniform(10, 100) if draw(st.booleans()) else None,
                         indexation_cap_indexed=draw(st.booleans()),
                         reference_wage=draw(st.sampled_from(["final", "career"])))

    def probability(high):
        return rng.uniform(0, high, (2, N_AGE))

    qx = np.minimum(probability(0.2), 1.0)
    qx[:, -1] = 1.0
    options = dict(
        n_years=n_years, mortality=qx, new_entrants=rng.uniform(0, 300, n_years), entrant_distribution=shares,
        disability_incidence=probability(0.1), withdrawal_rate=probability(0.3), reentry_rate=probability(0.3),
        exit_rate=probability(0.3), early_retirement_rate=probability(1.0),
        exit_service_factor=rng.uniform(0, 1, int(rng.integers(1, 30))) if draw(st.booleans()) else None,
        contribution_density=rng.uniform(0, 1, (2, N_AGE)), proportion_married=probability(1.0),
        wage_growth=rng.uniform(-0.05, 0.1, n_years), price_inflation=rng.uniform(-0.02, 0.08, n_years),
        exposure=draw(st.sampled_from(["average", "start"])), detail=draw(st.sampled_from(["age", "total"])),
        wages=rng.uniform(300, 3000, (2, N_AGE)),
    )
    return membership, rules, options


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_members_are_conserved_with_exits_and_early_retirement(case):
    # in = out + change for actives, inactives and each type of pensioner, every year, with exits (settlements),
    # early retirement, retirement ages by sex and lesser-of indexation with a cap
    membership, rules, options = case
    result = project_insured(membership, rules, **options)
    scale = 1.0 + result.total(result.actives).max() + result.total(result.inactives).max() \
        + max(result.total(result.pensioners[name]).max() for name in result.pensioners)
    for name, residual in result.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-9 * scale, err_msg=name)
    for name in ("actives", "inactives", "exits", "early_retired_active", "early_retired_inactive"):
        assert np.all(getattr(result, name) >= -1e-9 * scale), name
    assert np.all(result.total(result.early_retired_active) <= result.total(result.retired_active) + 1e-9 * scale)
    np.testing.assert_allclose(result.final_actives.sum(), result.total(result.actives)[-1], atol=1e-9 * scale)
    np.testing.assert_allclose(result.final_inactives.sum(), result.total(result.inactives)[-1], atol=1e-9 * scale)
    assert np.all(result.settlements >= 0) and np.all(result.lump_sums >= result.settlements - 1e-9)
    assert np.all(result.pension_expenditure >= 0)


def test_batches_equal_single_runs_with_the_new_options():
    # counts batch (early retirement and exit rates by scenario) and money batch (wage growth) both broadcast
    membership = members(actives=[(MEN, 52, 25, 100.0), (WOMEN, 50, 20, 80.0), (MEN, 30, 3, 50.0)],
                         inactives=[(WOMEN, 51, 22, 30.0)], pensioners=[(OLD_AGE, MEN, 70, 10.0, 5000.0)])
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, normal_retirement_age={"female": 55, "male": 60},
                         early_retirement_age=50, early_minimum_years=20, early_reduction=0.03, settlement_rate=0.1,
                         minimum_pension=[300.0, 400.0, 500.0], indexation="lesser", indexation_cap=100.0)
    early = np.array([0.2, 0.6])[:, None, None, None] * np.ones((2, N_AGE))
    exits = np.array([0.05, 0.15])[:, None, None, None] * np.ones((2, N_AGE))
    growth = np.array([[0.01, 0.05, 0.03], [0.04, 0.0, 0.02]])
    options = dict(n_years=3, mortality=constant_qx(0.01), wages=FLAT_WAGES, price_inflation=0.02)
    batch = project_insured(membership, rules, early_retirement_rate=early, exit_rate=exits, wage_growth=growth,
                            **options)
    for k in range(2):
        single = project_insured(membership, rules, early_retirement_rate=early[k, 0], exit_rate=exits[k, 0],
                                 wage_growth=growth[k], **options)
        np.testing.assert_allclose(batch.pension_expenditure[k], single.pension_expenditure, rtol=1e-12)
        np.testing.assert_allclose(batch.settlements[k], single.settlements, rtol=1e-12)
        np.testing.assert_allclose(batch.total(batch.early_retired_active)[k],
                                   single.total(single.early_retired_active), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_bad_input_messages_of_the_new_options():
    membership = members(actives=[(MEN, 40, 10, 100.0)])
    rules = BenefitRules(accrual_rate=0.02)

    def run(rules=rules, **changes):
        options = dict(n_years=3, mortality=constant_qx(0.01), wages=FLAT_WAGES)
        options.update(changes)
        return project_insured(membership, rules, **options)

    with pytest.raises(ValueError, match="early_retirement_rate is given but the rules have no early_retirement_age"):
        run(early_retirement_rate=0.1)
    with pytest.raises(ValueError, match="early_retirement_rate has a probability of 1.5"):
        run(rules=rules.replace(early_retirement_age=50), early_retirement_rate=1.5)
    with pytest.raises(ValueError, match="exit_rate has a probability of -0.1"):
        run(exit_rate=-0.1)
    with pytest.raises(ValueError, match="exit_service_factor has a share of 2"):
        run(exit_rate=0.1, exit_service_factor=[1.0, 2.0])
    with pytest.raises(ValueError, match="exit_service_factor must be one share per credited service"):
        run(exit_rate=0.1, exit_service_factor=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"retirement_age is 101 in projection year 2 for sex 1 \(male\), outside "
                                         r"the age grid of the projection \(16..100\)"):
        run(retirement_age={"female": 55, "male": [60, 101, 60]})
    with pytest.raises(ValueError, match="early_retirement_age is 10 in projection year 1, outside the age grid"):
        run(rules=rules.replace(early_retirement_age=10), early_retirement_rate=0.1)
    with pytest.raises(ValueError, match="retirement_age has 2 entries but the projection has 3 years"):
        run(retirement_age={"female": [55, 56], "male": [60, 61]})
    with pytest.raises(ValueError, match="normal_retirement_age given by sex must have the keys 'female' and 'male'"):
        BenefitRules(accrual_rate=0.02, normal_retirement_age={"women": 55, "men": 60})
    with pytest.raises(ValueError, match=r"normal_retirement_age must hold whole ages; it is 55.5 in projection year 1 "
                                         r"for sex 0 \(female\)"):
        BenefitRules(accrual_rate=0.02, normal_retirement_age={"female": 55.5, "male": 60})
    with pytest.raises(ValueError, match=r"a 2-D age rule is \(year, sex\) with 2 columns"):
        BenefitRules(accrual_rate=0.02, normal_retirement_age=np.full((3, 3), 60))
    with pytest.raises(ValueError, match="early_minimum_years has a number of years of -1"):
        BenefitRules(accrual_rate=0.02, early_minimum_years={"female": -1, "male": 21})
    with pytest.raises(ValueError, match="settlement_rate has a settlement rate of -0.1"):
        BenefitRules(accrual_rate=0.02, settlement_rate=-0.1)
    with pytest.raises(ValueError, match="indexation_cap has a cap of -20"):
        BenefitRules(accrual_rate=0.02, indexation_cap=-20.0)
    with pytest.raises(ValueError, match="indexation must be 'prices', 'wages', 'lesser'"):
        BenefitRules(accrual_rate=0.02, indexation="min")
    with pytest.raises(ValueError, match="indexation_cap has 2 entries on its last \\(year\\) axis"):
        run(rules=rules.replace(indexation_cap=[1.0, 2.0]))


def test_age_and_year_helpers():
    assert ages_by_sex("a", {"female": 55, "male": [60, 61]}).tolist() == [[55, 60], [55, 61]]
    assert ages_by_sex("a", 60, 2).tolist() == [[60, 60], [60, 60]]
    assert years_by_sex("y", 15).tolist() == [15.0, 15.0]
    with pytest.raises(ValueError, match=r"y must be a number of years, or one per sex \(shape \(2,\)"):
        years_by_sex("y", [1, 2, 3])
