"""qsp.actuarial.value_membership against a plain member-by-member valuation, and its balance sheet."""

import numpy as np
import pytest
from qsp.actuarial import annuity_due, value_membership

OMEGA = 100
AGES = np.arange(OMEGA + 1)


def qx_two_sexes():
    mu_f = 4e-5 * np.exp(0.092 * AGES)
    mu_m = 7e-5 * np.exp(0.090 * AGES)
    return -np.expm1(-np.stack([mu_f, mu_m]))


Q = qx_two_sexes()


def membership(seed=3):
    rng = np.random.default_rng(seed)
    actives = np.zeros((2, OMEGA + 1, 41))
    wages = np.zeros_like(actives)
    for _ in range(60):
        sex, age = rng.integers(0, 2), rng.integers(20, 70)
        service = rng.integers(0, min(age - 18, 40) + 1)
        actives[sex, age, service] += rng.integers(1, 20)
        wages[sex, age, service] = rng.uniform(3_000, 12_000)
    pensioners = np.zeros((2, OMEGA + 1))
    amounts = np.zeros_like(pensioners)
    pensioners[:, 60:95] = rng.integers(0, 30, size=(2, 35))
    amounts[:, 60:95] = rng.uniform(1_000, 5_000, size=(2, 35))
    return actives, wages, pensioners, amounts


def survival(q, x, years):
    p = 1 - q[np.minimum(np.arange(x, x + years), OMEGA)]
    return np.concatenate([[1.0], np.cumprod(p)[:-1]])


def plain_valuation(actives, wages, pensioners, amounts, *, i, k, R, c, scale, w, g, m):
    """Member-cell by member-cell, with the survival paths summed year by year."""
    unit = annuity_due(Q, interest_rate=i, escalation=g, payments_per_year=m)  # a-due^(m) checked elsewhere
    pvfb = accrued = wages_pv = 0.0
    for sex, age, service in zip(*np.nonzero(actives)):
        n, wage = actives[sex, age, service], wages[sex, age, service]
        r = R[sex]
        u = max(r - age, 0)
        tp = survival(Q[sex], age, u + 1)
        years = np.arange(u)
        # wages of each remaining year, at its start
        path = wage * scale[sex, age + years] / scale[sex, age] * (1 + w) ** years
        wages_pv += n * np.sum(path * tp[:u] * (1 + i) ** -years)
        final = wage * scale[sex, r - 1] / scale[sex, age] * (1 + w) ** (r - 1 - age) if u > 0 else wage
        value = (1 + i) ** -u * tp[u] * unit[sex, age + u]
        pvfb += n * k * (service + u) * final * value
        accrued += n * k * service * final * value
    in_payment = np.sum(pensioners * amounts * unit)
    return dict(pvfb=pvfb, accrued=accrued, wages=wages_pv, contributions=c * wages_pv, in_payment=in_payment)


def test_against_a_plain_member_by_member_valuation():
    actives, wages, pensioners, amounts = membership()
    scale = np.broadcast_to(1.0 + 0.02 * np.clip(AGES - 20, 0, 30), (2, OMEGA + 1))
    params = dict(i=0.045, k=0.018, R=np.array([60, 65]), c=0.15, scale=scale, w=0.03, g=0.02, m=12)
    result = value_membership(actives, wages, Q, interest_rate=0.045, accrual_rate=0.018, retirement_age=[60, 65],
                              contribution_rate=0.15, salary_scale=scale, wage_growth=0.03, indexation=0.02,
                              pensioners=pensioners, pension_amounts=amounts, assets=2e6)
    plain = plain_valuation(actives, wages, pensioners, amounts, **params)
    assert result.pv_accrued_benefits == pytest.approx(plain["accrued"], rel=1e-12)
    assert result.pv_accrued_benefits + result.pv_future_accruals == pytest.approx(plain["pvfb"], rel=1e-12)
    assert result.pv_future_wages == pytest.approx(plain["wages"], rel=1e-12)
    assert result.pv_future_contributions == pytest.approx(plain["contributions"], rel=1e-12)
    assert result.pv_pensions_in_payment == pytest.approx(plain["in_payment"], rel=1e-12)
    # the balance sheet adds up, and the balancing rate closes it
    assert result.assets + result.pv_future_contributions == pytest.approx(result.pv_future_benefits + result.surplus)
    balanced = value_membership(actives, wages, Q, interest_rate=0.045, accrual_rate=0.018, retirement_age=[60, 65],
                                contribution_rate=result.balancing_contribution_rate, salary_scale=scale,
                                wage_growth=0.03, indexation=0.02, pensioners=pensioners, pension_amounts=amounts,
                                assets=2e6)
    assert abs(balanced.surplus) < 1e-6 * result.pv_future_benefits
    assert result.accrued_to_date_liability == pytest.approx(result.liability_by_age.sum())
    assert result.funding_ratio == pytest.approx(2e6 / result.accrued_to_date_liability)
    other = value_membership(actives, wages, Q, interest_rate=0.045, accrual_rate=0.018, retirement_age=[60, 65],
                             contribution_rate=0.15, salary_scale=scale, wage_growth=0.03, indexation=0.02,
                             pensioners=pensioners, pension_amounts=amounts, assets=2e6, other_accrued_liabilities=5e5)
    assert other.accrued_to_date_liability == pytest.approx(result.accrued_to_date_liability + 5e5)
    assert other.surplus == pytest.approx(result.surplus - 5e5)
    sheet = other.balance_sheet()
    by_side = sheet.groupby("side")["value"].sum()
    assert by_side["resources"] == pytest.approx(by_side["liabilities"])


def test_a_check_against_the_plain_valuation_catches_a_wrong_kernel():
    # the same plain valuation with retirement one year later must NOT agree
    actives, wages, pensioners, amounts = membership()
    scale = np.ones((2, OMEGA + 1))
    result = value_membership(actives, wages, Q, interest_rate=0.04, accrual_rate=0.02, retirement_age=65,
                              contribution_rate=0.1)
    wrong = plain_valuation(actives, wages, pensioners * 0, amounts, i=0.04, k=0.02, R=[66, 66], c=0.1, scale=scale,
                            w=0.0, g=0.0, m=12)
    assert result.pv_accrued_benefits != pytest.approx(wrong["accrued"], rel=1e-6)


def test_salary_basis_batches_and_edge_cases():
    actives, wages, *_ = membership()
    common = dict(interest_rate=0.04, accrual_rate=0.02, retirement_age=65, contribution_rate=0.1)
    projected = value_membership(actives, wages, Q, wage_growth=0.03, **common)
    current = value_membership(actives, wages, Q, wage_growth=0.03, salary_basis="current", **common)
    # the accrued benefit on current wages is smaller, and the total is the same
    assert current.pv_accrued_benefits < projected.pv_accrued_benefits
    assert current.pv_future_benefits == pytest.approx(projected.pv_future_benefits, rel=1e-12)
    # a batch of interest rates over both sexes: shape (3, 1) -> results of shape (3,)
    batch = value_membership(actives, wages, Q, interest_rate=np.array([[0.02], [0.04], [0.06]]), accrual_rate=0.02,
                             retirement_age=65, contribution_rate=0.1)
    assert batch.pv_future_benefits.shape == (3,)
    assert batch.pv_future_benefits[1] == pytest.approx(value_membership(actives, wages, Q, **common).pv_future_benefits)
    assert np.all(np.diff(batch.pv_future_benefits) < 0)
    assert list(batch.balance_sheet().columns) == ["cell", "side", "item", "value"]
    # members past the retirement age retire at once on their current wage and service
    old = np.zeros_like(actives)
    old[1, 70, 35] = 1
    result = value_membership(old, 10_000.0, Q, **common)
    expected = 0.02 * 35 * 10_000 * annuity_due(Q, interest_rate=0.04, payments_per_year=12)[1, 70]
    assert result.pv_accrued_benefits == pytest.approx(expected, rel=1e-13)
    assert result.pv_future_accruals == 0 and result.pv_future_wages == 0
    # a cap of 30 years: 30 instead of 35 count
    capped = value_membership(old, 10_000.0, Q, maximum_years=30, **common)
    assert capped.pv_accrued_benefits == pytest.approx(expected * 30 / 35, rel=1e-13)
    young = np.zeros_like(actives)
    young[0, 30, 10] = 1  # 10 years now, 35 more until 65: 45 capped at 30, of which 10 accrued
    full = value_membership(young, 10_000.0, Q, **common)
    capped = value_membership(young, 10_000.0, Q, maximum_years=30, **common)
    assert capped.pv_future_benefits == pytest.approx(full.pv_future_benefits * 30 / 45, rel=1e-13)
    assert capped.pv_accrued_benefits == pytest.approx(full.pv_accrued_benefits, rel=1e-13)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (dict(actives=-np.ones((2, 101, 41))), ["actives", "count"]),
        (dict(active_wages=np.ones((2, 101, 5))), ["active_wages", "broadcast"]),
        (dict(mortality=Q[:, :90]), ["mortality", "age axis", "same single ages"]),
        (dict(mortality=Q[0]), ["mortality", "sex axis"]),
        (dict(retirement_age=64.5), ["retirement_age", "whole age"]),
        (dict(retirement_age=120), ["retirement_age", "last age 100"]),
        (dict(salary_basis="final"), ["salary_basis", "projected"]),
        (dict(pensioners=np.ones((2, 101))), ["pension_amounts"]),
        (dict(accrual_rate=-0.02), ["accrual_rate"]),
        (dict(salary_scale=np.zeros(101)), ["salary_scale", "greater than 0"]),
    ],
)
def test_bad_input_is_named(change, words):
    args = dict(actives=np.ones((2, 101, 41)), active_wages=1000.0, mortality=Q, interest_rate=0.04, accrual_rate=0.02,
                retirement_age=65, contribution_rate=0.1)
    args.update(change)
    with pytest.raises(ValueError) as error:
        value_membership(args.pop("actives"), args.pop("active_wages"), args.pop("mortality"), **args)
    for word in words:
        assert word in str(error.value), f"{word!r} missing from: {error.value}"
