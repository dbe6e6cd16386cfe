"""The survey structure, equivalence scales, standard errors, benefits, targeting and impact."""

import numpy as np
import pytest
from qsp.poverty import (
    Benefit,
    adult_equivalents,
    amount_from_costing,
    bootstrap_se,
    bootstrap_weights,
    child_benefit,
    disability_benefit,
    fgt,
    fgt_se,
    fit_pmt,
    gini,
    linearized_se,
    make_survey,
    old_age_pension,
    pmt_eligible,
    poverty_impact,
    simulate_transfers,
    targeting_performance,
)


def small_survey(**changes):
    """Three households: a couple with two children (1), a pensioner alone (2), a disabled adult with a parent (3)."""
    args = dict(
        household_id=[1, 2, 3], weight=[100.0, 50.0, 80.0], consumption=[4000.0, 600.0, 1500.0],
        member_household_id=[1, 1, 1, 1, 2, 3, 3], age=[40, 38, 10, 5, 70, 30, 66], sex=[1, 0, 0, 1, 0, 1, 0],
        disabled=[0, 0, 0, 0, 0, 1, 0], stratum=["a", "a", "b"], cluster=[10, 11, 12], region=["north", "north", "south"],
    )
    args.update(changes)
    return make_survey(**args)


def test_survey_welfare_and_weights():
    s = small_survey()
    np.testing.assert_array_equal(s.size, [4, 1, 2])
    np.testing.assert_allclose(s.welfare, [1000.0, 600.0, 750.0])
    np.testing.assert_allclose(s.person_weight, [400.0, 50.0, 160.0])
    assert s.population == 610.0
    assert s.region_names == ("north", "south")
    # OECD-modified: 1 + 0.5 + 0.3 x 2 = 2.1 for household 1; 1 for 2; 1 + 0.5 for 3
    oecd = s.with_scale("oecd_modified")
    np.testing.assert_allclose(oecd.adult_equivalents, [2.1, 1.0, 1.5])
    np.testing.assert_allclose(oecd.welfare, [4000 / 2.1, 600.0, 1000.0])


def test_equivalence_scales_by_hand():
    hh, age = np.array([0, 0, 0, 0, 1]), np.array([40, 38, 10, 5, 8])
    np.testing.assert_allclose(adult_equivalents(hh, age, 2, scale="oecd"), [1 + 0.7 + 1.0, 1.0])
    np.testing.assert_allclose(adult_equivalents(hh, age, 2, scale="square_root"), [2.0, 1.0])
    np.testing.assert_allclose(adult_equivalents(hh, age, 2, scale="parametric", child_weight=0.5, economies=1.0),
                               [3.0, 0.5])
    with pytest.raises(ValueError, match="scale must be one of"):
        adult_equivalents(hh, age, 2, scale="per_adult")


@pytest.mark.parametrize("changes, message", [
    (dict(household_id=[1, 1, 3]), "household_id 1 appears more than once"),
    (dict(member_household_id=[1, 1, 1, 1, 2, 3, 9]), "member row 6 belongs to household 9"),
    (dict(member_household_id=[1, 1, 1, 1, 3, 3, 3]), r"household 2 \(row 1\) has no members"),
    (dict(weight=[100.0, -5.0, 80.0]), "'weight' is -5 at row 1"),
    (dict(consumption=[4000.0, np.nan, 1500.0]), "'consumption' is missing .* at row 1"),
    (dict(age=[40, 38, 10, 5, 70, np.nan, 66]), "'age' is missing .* at row 5"),
    (dict(sex=[1, 0, 0, 1, 2, 1, 0]), "use 0 for female and 1 for male"),
    (dict(cluster=[10, 10, 10]), "lies in more than one stratum"),
    (dict(weight=[1.0, 2.0]), "'weight' has 2 rows but the household table has 3"),
])
def test_bad_surveys_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        small_survey(**changes)


def test_linearized_se_by_hand():
    # simple random sample: sqrt(p (1 - p) / (n - 1))
    assert linearized_se([1.0, 1.0, 0.0, 0.0], np.ones(4)) == pytest.approx(np.sqrt(0.25 / 3))
    # two strata of two clusters each: e = (u - R) / 4 with R = 0.5; stratum 1 holds (1, 0) -> deviations
    # +-0.125, sum of squares 2 x 0.125^2 x 2/(2-1); stratum 2 holds (1, 1)... -> both 0.125: no deviation
    u = np.array([1.0, 0.0, 1.0, 1.0])
    se = linearized_se(u, np.ones(4), stratum=[0, 0, 1, 1], cluster=[0, 1, 2, 3])
    r = 0.75
    e = (u - r) / 4
    expected = 2 * ((e[0] - e[:2].mean()) ** 2 + (e[1] - e[:2].mean()) ** 2)
    assert se == pytest.approx(np.sqrt(expected))
    # clustering: whole clusters of identical households inflate the SE by the cluster size's square root
    y = np.repeat([1.0, 0.0, 1.0, 0.0], 5)
    se_clustered = linearized_se(y, np.ones(20), cluster=np.repeat(np.arange(4), 5))
    assert se_clustered == pytest.approx(np.sqrt(0.25 / 3))
    with pytest.raises(ValueError, match="single cluster"):
        linearized_se(u, np.ones(4), stratum=[0, 0, 0, 1], cluster=[0, 1, 2, 3])


def test_bootstrap_agrees_with_linearization_for_the_headcount():
    rng = np.random.default_rng(7)
    n = 2000
    cluster = np.repeat(np.arange(200), 10)
    stratum = cluster // 50
    level = rng.normal(0, 0.4, 200)[cluster]
    y = np.exp(5 + level + rng.normal(0, 0.5, n))
    w = rng.uniform(1, 3, n)
    line = np.exp(5)
    lin = fgt_se(y, w, line, 0, stratum=stratum, cluster=cluster)
    boot = bootstrap_se(lambda rw: fgt(y, rw, line, 0), w, stratum=stratum, cluster=cluster, replicates=400, seed=1)
    assert boot == pytest.approx(lin, rel=0.15)
    rw = bootstrap_weights(w, stratum=stratum, cluster=cluster, replicates=3)
    assert rw.shape == (3, n)
    # each replicate keeps each stratum's total weight on average, and whole clusters move together
    np.testing.assert_allclose(rw.reshape(3, 200, 10) / w.reshape(200, 10),
                               np.repeat((rw.reshape(3, 200, 10) / w.reshape(200, 10))[..., :1], 10, axis=-1))
    se_gini = bootstrap_se(lambda rw: gini(y, rw), w, stratum=stratum, cluster=cluster, replicates=100)
    assert 0.002 < se_gini < 0.05


def test_universal_benefits_pay_eligible_members():
    s = small_survey()
    draws = np.zeros(3)                                     # everyone takes up
    np.testing.assert_allclose(old_age_pension(100.0).transfers(s, draws), [0.0, 100.0, 100.0])
    np.testing.assert_allclose(child_benefit(50.0).transfers(s, draws), [100.0, 0.0, 0.0])
    np.testing.assert_allclose(disability_benefit(100.0).transfers(s, draws), [0.0, 0.0, 100.0])
    # a batch of amounts and take-up: the draw decides, and higher take-up only adds households
    benefit = old_age_pension(np.array([100.0, 200.0]), take_up=np.array([0.5, 0.9]))
    t = benefit.transfers(s, np.array([0.1, 0.7, 0.3]))
    np.testing.assert_allclose(t, [[0.0, 0.0, 100.0], [0.0, 200.0, 200.0]])
    package = simulate_transfers(s, [old_age_pension(100.0), child_benefit(50.0)], seed=3)
    assert set(package) == {"old-age pension", "child benefit"}
    with pytest.raises(ValueError, match="take_up must be finite and between 0 and 1"):
        Benefit(name="x", amount=1.0, take_up=1.5)


def test_module5_benefit_level_gives_the_amount():
    from qsp.costing import BenefitLevel

    level = BenefitLevel(share_of_gdp_per_capita=0.30, cap_ppp_per_day=1.0)
    # 30% of 2,000,000 = 600,000 a year = 1,643.8 a day > cap 1 x 1,000 a day -> 365,000
    assert amount_from_costing(level, 2_000_000.0, 1000.0) == pytest.approx(365_000.0)
    assert amount_from_costing(level, 1_000_000.0, 1000.0) == pytest.approx(300_000.0)


def test_impact_cost_and_cost_per_point():
    s = small_survey()
    line = 700.0                                             # only household 2 (600, 50 people) is poor
    impact = poverty_impact(s, np.array([[0.0, 150.0, 0.0], [0.0, 50.0, 0.0]]), line, admin_loading=0.1)
    # before: 50 / 610 poor; after 150: welfare 750, nobody poor; after 50: 650, still poor
    assert impact.fgt_before[0] == pytest.approx(50 / 610)
    np.testing.assert_allclose(impact.fgt_after[:, 0], [0.0, 50 / 610])
    np.testing.assert_allclose(impact.fgt_after[1, 1], 50 / 610 * (1 - 650 / 700))
    # cost: household weight 50 x transfer, plus 10% administration
    np.testing.assert_allclose(impact.cost, [50 * 150 * 1.1, 50 * 50 * 1.1])
    assert impact.cost_per_point[0] == pytest.approx(50 * 150 * 1.1 / (100 * 50 / 610))
    assert impact.cost_per_point[1] == np.inf
    assert impact.gini_after[0] < impact.gini_before
    # the factored form (amounts x units) and a line per scenario give the same numbers
    factored = poverty_impact(s, line=np.array([700.0, 700.0]), amounts=np.array([150.0, 50.0]),
                              units=np.array([0.0, 1.0, 0.0]), admin_loading=0.1)
    np.testing.assert_allclose(factored.fgt_after, impact.fgt_after)
    np.testing.assert_allclose(factored.cost, impact.cost)
    np.testing.assert_allclose(factored.gini_after, impact.gini_after)
    np.testing.assert_allclose(factored.cost_per_point, impact.cost_per_point)
    # a batch larger than one block of the kernel agrees with the measures applied scenario by scenario
    rng = np.random.default_rng(2)
    big = make_survey(np.arange(3000), rng.uniform(1, 9, 3000), rng.lognormal(7, 0.7, 3000),
                      np.repeat(np.arange(3000), 2), rng.integers(0, 90, 6000), rng.integers(0, 2, 6000))
    amounts = np.linspace(0, 500, 60).reshape(3, 20)
    units = big.member_count(big.age >= 65)
    result = poverty_impact(big, line=800.0, amounts=amounts, units=units)
    after = (big.consumption + amounts[2, 7] * units) / big.adult_equivalents
    assert result.fgt_after[2, 7] == pytest.approx([fgt(after, big.person_weight, 800.0, a) for a in (0, 1, 2)])
    assert result.gini_after[2, 7] == pytest.approx(gini(after, big.person_weight))
    assert result.cost[2, 7] == pytest.approx(np.sum(big.weight * amounts[2, 7] * units))
    with pytest.raises(ValueError, match="either transfers .* or both amounts and units"):
        poverty_impact(s, line=700.0, amounts=[1.0])
    with pytest.raises(ValueError, match="transfers must have the survey's 3 households"):
        poverty_impact(s, np.zeros(4), line)


def test_pmt_recovers_a_known_model_and_targets_by_coverage():
    rng = np.random.default_rng(5)
    n = 3000
    x = np.column_stack([rng.integers(0, 2, n), rng.poisson(2, n), rng.uniform(0, 1, n)]).astype(float)
    welfare = np.exp(6.0 + 0.4 * x[:, 0] - 0.2 * x[:, 1] + 0.5 * x[:, 2] + rng.normal(0, 0.3, n))
    w = rng.uniform(1, 4, n)
    pmt = fit_pmt(x, welfare, w, names=["urban", "children", "land"])
    assert pmt.coefficients == pytest.approx([0.4, -0.2, 0.5], abs=0.05)
    assert 0.3 < pmt.r_squared < 0.9
    eligible = pmt_eligible(pmt.score(x), w, coverage=np.array([0.0, 0.2, 0.4]))
    assert eligible.shape == (3, n)
    assert not eligible[0].any()
    np.testing.assert_allclose([w[e].sum() / w.sum() for e in eligible[1:]], [0.2, 0.4], atol=0.01)
    # a coarse score (whole numbers) ties many households at the cut-off: all of them are eligible
    coarse = pmt_eligible(x[:, 1], w, coverage=0.2)
    assert w[coarse].sum() / w.sum() >= 0.2
    with pytest.raises(ValueError, match="collinear"):
        fit_pmt(np.column_stack([x, x[:, :1]]), welfare, w)


def test_targeting_errors_by_hand():
    # four households of one person; poor: the two below 2.5; recipients: 1st and 3rd
    p = targeting_performance(np.array([[1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]]), [1.0, 2.0, 3.0, 4.0],
                              np.ones(4), np.ones(4), line=2.5, n_groups=2)
    np.testing.assert_allclose(p.exclusion_error, [0.5, 0.0])
    np.testing.assert_allclose(p.inclusion_error, [0.5, 0.0])
    np.testing.assert_allclose(p.coverage_by_quintile, [[0.5, 0.5], [1.0, 0.0]])
    np.testing.assert_allclose(p.incidence_by_quintile, [[0.5, 0.5], [1.0, 0.0]])
    # incidence weights money by households, coverage counts people
    p = targeting_performance(np.array([2.0, 1.0]), [1.0, 2.0], np.array([4.0, 4.0]), np.array([1.0, 3.0]),
                              line=1.5, n_groups=2)
    np.testing.assert_allclose(p.incidence_by_quintile, [2 / 5, 3 / 5])
