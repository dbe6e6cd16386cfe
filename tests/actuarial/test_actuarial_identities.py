"""qsp.actuarial: textbook identities, plain-loop references, batches and the open age interval.

The references are computed here term by term (a Python loop over payments, fine in a test) so
that the vectorised kernels (cumulative products and reversed cumulative sums) are checked
against the definitions, not against themselves.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.actuarial import (
    annuity_due,
    annuity_immediate,
    commutation_functions,
    joint_life_annuity,
    life_insurance,
    net_interest_rate,
    pension_unit_cost,
    pure_endowment,
    reversionary_annuity,
)
from qsp.demography import life_table

HORIZON = 400  # years summed in the plain references (far past the end of every test table)


def survival_path(q: np.ndarray, x: int, years: int = HORIZON) -> np.ndarray:
    """tp_x for t = 0..years-1, the last q applying every year past the last age."""
    omega = q.size - 1
    p = 1.0 - q[np.minimum(np.arange(x, x + years), omega)]
    return np.concatenate([[1.0], np.cumprod(p)[:-1]])


def plain_annuity_due(q, i, x, *, term=None, escalation=0.0):
    tpx = survival_path(q, x)
    t = np.arange(tpx.size)
    paid = t < term if term is not None else np.ones(t.size, bool)
    return float(np.sum((((1 + escalation) / (1 + i)) ** t * tpx)[paid]))


def gompertz_qx(omega=100, a=5e-5, b=0.095, open_q=None):
    x = np.arange(omega + 1.0)
    mu_int = a / b * (np.exp(b * (x + 1)) - np.exp(b * x))
    q = -np.expm1(-mu_int)
    if open_q is not None:
        q[-1] = open_q
    return q


Q = gompertz_qx()


def test_annuity_due_is_the_sum_of_discounted_survival_probabilities():
    values = annuity_due(Q, interest_rate=0.04)
    for x in (0, 30, 65, 90, 100):
        assert values[x] == pytest.approx(plain_annuity_due(Q, 0.04, x), rel=1e-12)


def test_temporary_deferred_and_escalating_against_plain_sums():
    assert annuity_due(Q, interest_rate=0.03, term=10)[60] == pytest.approx(plain_annuity_due(Q, 0.03, 60, term=10), rel=1e-12)
    # a temporary annuity running past omega uses the open interval
    assert annuity_due(Q, interest_rate=0.03, term=8)[97] == pytest.approx(plain_annuity_due(Q, 0.03, 97, term=8), rel=1e-12)
    assert annuity_due(Q, interest_rate=0.05, escalation=0.02)[65] == pytest.approx(
        plain_annuity_due(Q, 0.05, 65, escalation=0.02), rel=1e-12)
    # deferred 25 years at i, then indexed from the first payment: uE_x(i) * a-due_{x+u}(j)
    tpx = survival_path(Q, 40)
    expected = 1.05**-25 * tpx[25] * plain_annuity_due(Q, 0.05, 65, escalation=0.02)
    assert annuity_due(Q, interest_rate=0.05, deferral=25, escalation=0.02)[40] == pytest.approx(expected, rel=1e-12)


def test_deferral_that_varies_by_age_defers_everyone_to_65():
    ages = np.arange(Q.size)
    deferred = annuity_due(Q, interest_rate=0.04, deferral=np.maximum(65 - ages, 0))
    at_65 = annuity_due(Q, interest_rate=0.04)[65]
    endowment = pure_endowment(Q, interest_rate=0.04, term=np.maximum(65 - ages, 0))
    np.testing.assert_allclose(deferred[:66], endowment[:66] * at_65, rtol=1e-13)
    np.testing.assert_allclose(deferred[65:], annuity_due(Q, interest_rate=0.04)[65:], rtol=1e-13)


def test_commutation_recursions_and_relations():
    i = 0.035
    v, d = 1 / (1 + i), i / (1 + i)
    t = commutation_functions(Q, interest_rate=i)
    np.testing.assert_allclose(t.Nx[:-1], t.Dx[:-1] + t.Nx[1:], rtol=1e-13)      # N_x = D_x + N_{x+1}
    np.testing.assert_allclose(t.Sx[:-1], t.Nx[:-1] + t.Sx[1:], rtol=1e-13)      # S_x = N_x + S_{x+1}
    np.testing.assert_allclose(t.Mx[:-1], t.Cx[:-1] + t.Mx[1:], rtol=1e-12)      # M_x = C_x + M_{x+1}
    np.testing.assert_allclose(t.Rx[:-1], t.Mx[:-1] + t.Rx[1:], rtol=1e-12)
    np.testing.assert_allclose(t.Dx[1:], v * t.Dx[:-1] * (1 - Q[:-1]), rtol=1e-13)  # D_{x+1} = v p_x D_x
    np.testing.assert_allclose(t.Mx, t.Dx - d * t.Nx, rtol=1e-10)                # M_x = D_x - d N_x
    np.testing.assert_allclose(t.Cx[:-1], v * t.Dx[:-1] - t.Dx[1:], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(t.Nx / t.Dx, annuity_due(Q, interest_rate=i), rtol=1e-13)
    np.testing.assert_allclose(t.Mx / t.Dx, life_insurance(Q, interest_rate=i), rtol=1e-10)
    assert t.lx[0] == 100_000 and t.dx.sum() < 100_000  # d_omega: first year of the open interval only
    frame = t.to_frame()
    assert list(frame.columns) == ["age", "lx", "dx", "Dx", "Nx", "Sx", "Cx", "Mx", "Rx"] and len(frame) == Q.size


def test_increasing_annuity_from_S():
    # (I a-due)_x = sum_t (t + 1) v^t tp_x = S_x / D_x
    i = 0.04
    t = commutation_functions(Q, interest_rate=i)
    tpx = survival_path(Q, 60)
    k = np.arange(tpx.size)
    assert t.Sx[60] / t.Dx[60] == pytest.approx(np.sum((k + 1) * (1 + i) ** -k * tpx), rel=1e-11)


def test_immediate_and_insurance_identities():
    i = 0.06
    due = annuity_due(Q, interest_rate=i)
    np.testing.assert_allclose(annuity_immediate(Q, interest_rate=i), due - 1, rtol=1e-13)
    np.testing.assert_allclose(life_insurance(Q, interest_rate=i), 1 - i / (1 + i) * due, rtol=1e-12)
    # temporary: a_x:n = a-due_x:n - 1 + nE_x
    n = 15
    np.testing.assert_allclose(annuity_immediate(Q, interest_rate=i, term=n),
                               annuity_due(Q, interest_rate=i, term=n) - 1 + pure_endowment(Q, interest_rate=i, term=n),
                               rtol=1e-12)
    # whole = temporary + deferred
    np.testing.assert_allclose(due, annuity_due(Q, interest_rate=i, term=n) + annuity_due(Q, interest_rate=i, deferral=n),
                               rtol=1e-12)


def test_mthly_udd_is_exact_under_linear_survivors_and_woolhouse_is_close():
    # Under UDD, l_{x+s} is linear within each year: sum the 1/m payments term by term.
    i, m, x = 0.05, 12, 65
    q = gompertz_qx(open_q=1.0)
    tpx = survival_path(q, x, 60)
    steps = np.arange(60 * m) / m
    whole = steps.astype(int)
    frac = steps - whole
    q_at = q[np.minimum(x + whole, q.size - 1)]
    s_p = tpx[whole] * (1 - frac * q_at)
    exact = np.sum(s_p * (1 + i) ** -steps) / m
    udd = annuity_due(q, interest_rate=i, payments_per_year=m)[x]
    assert udd == pytest.approx(exact, rel=1e-12)
    wool = annuity_due(q, interest_rate=i, payments_per_year=m, approximation="woolhouse")[x]
    assert 0 < wool - udd < 1e-2  # the omitted third Woolhouse term, (m^2-1)/(12 m^2) (delta + mu), is about 0.006 here
    assert annuity_due(q, interest_rate=i)[x] - wool == pytest.approx(11 / 24, rel=1e-12)
    # arrears: a^(m) = a-due^(m) - 1/m
    assert annuity_immediate(q, interest_rate=i, payments_per_year=m)[x] == pytest.approx(udd - 1 / m, rel=1e-13)


def test_joint_life_against_plain_sum_and_symmetry():
    qm, qf = gompertz_qx(a=7e-5), gompertz_qx(a=4e-5)
    i, x, k = 0.04, 65, -3
    expected = float(np.sum((1 + i) ** -np.arange(HORIZON) * survival_path(qm, x) * survival_path(qf, x + k)))
    joint = joint_life_annuity(qm, qf, interest_rate=i, age_difference=k)
    assert joint[x] == pytest.approx(expected, rel=1e-12)
    swapped = joint_life_annuity(qf, qm, interest_rate=i, age_difference=-k)
    np.testing.assert_allclose(joint[3:], swapped[:-3], rtol=1e-12)
    assert np.isnan(joint[:3]).all()  # no spouse of age below 0
    # arrears: a_xy = a-due_xy - 1
    np.testing.assert_allclose(joint_life_annuity(qm, qf, interest_rate=i, age_difference=k, timing="arrears")[3:],
                               joint[3:] - 1, rtol=1e-12)


def test_reversionary_identity_and_plain_sum():
    qm, qf = gompertz_qx(a=7e-5), gompertz_qx(a=4e-5)
    i, x, k = 0.04, 65, -5
    rev = reversionary_annuity(qm, qf, interest_rate=i, age_difference=k)
    single = annuity_due(qf, interest_rate=i)
    joint = joint_life_annuity(qm, qf, interest_rate=i, age_difference=k)
    np.testing.assert_allclose(rev[5:], single[:-5] - joint[5:], rtol=1e-12, atol=1e-13)   # a_{x|y} = a_y - a_xy
    # paid at t >= 1 to (y) alive with (x) dead
    t = np.arange(HORIZON)
    direct = np.sum((1 + i) ** -t * survival_path(qf, x + k) * (1 - survival_path(qm, x)))
    assert rev[x] == pytest.approx(direct, rel=1e-11)
    # Woolhouse: the m-thly corrections cancel; UDD: alpha(12) times the annual value
    assert reversionary_annuity(qm, qf, interest_rate=i, age_difference=k, payments_per_year=12,
                                approximation="woolhouse")[x] == pytest.approx(rev[x], rel=1e-12)


def test_pension_unit_cost_and_its_survivor_part():
    qm, qf = gompertz_qx(a=7e-5), gompertz_qx(a=4e-5)
    base = pension_unit_cost(qm, interest_rate=0.05, indexation=0.02)
    np.testing.assert_allclose(base, annuity_due(qm, interest_rate=0.05, escalation=0.02, payments_per_year=12), rtol=1e-13)
    with_survivor = pension_unit_cost(qm, interest_rate=0.05, indexation=0.02, survivor_mortality=qf, survivor_share=0.5,
                                      married_share=0.8, age_difference=-4)
    reversion = reversionary_annuity(qm, qf, interest_rate=0.05, escalation=0.02, age_difference=-4, payments_per_year=12)
    np.testing.assert_allclose(with_survivor[4:], base[4:] + 0.4 * reversion[4:], rtol=1e-13)
    # the cost falls with interest and rises with indexation and with lower mortality
    assert pension_unit_cost(qm, interest_rate=0.06)[65] < pension_unit_cost(qm, interest_rate=0.04)[65]
    assert pension_unit_cost(qm, interest_rate=0.04, indexation=0.02)[65] > pension_unit_cost(qm, interest_rate=0.04)[65]
    assert pension_unit_cost(qm * 0.7, interest_rate=0.04)[65] > pension_unit_cost(qm, interest_rate=0.04)[65]
    # equal interest and indexation: the net rate is 0 and the cost is the curtate expectation + 1 (m = 1)
    assert net_interest_rate(0.03, 0.03) == 0
    e = np.sum(survival_path(qm, 65)) - 1
    assert pension_unit_cost(qm, interest_rate=0.03, indexation=0.03, payments_per_year=1)[65] == pytest.approx(1 + e)


def test_batch_of_rates_over_a_two_sex_life_table():
    mx = np.stack([np.exp(-9.5 + 0.085 * np.arange(101.0)), np.exp(-9.0 + 0.088 * np.arange(101.0))])
    table = life_table(mx)
    rates = np.array([[0.02], [0.04], [0.06]])
    values = annuity_due(table, interest_rate=rates, payments_per_year=12)
    assert values.shape == (3, 2, 101)
    for k, r in enumerate(rates[:, 0]):
        np.testing.assert_allclose(values[k], annuity_due(table, interest_rate=r, payments_per_year=12), rtol=1e-14)
    assert np.all(np.diff(values[:, :, 65], axis=0) < 0)  # higher interest, cheaper annuity
    assert np.all(values[:, 0, 65] > values[:, 1, 65])  # women (lower mortality) cost more
    # the open interval 100+ at a constant force m_100: a-due_100 = 1 / (1 - v exp(-m_100))
    expected = 1 / (1 - np.exp(-mx[:, -1]) / 1.04)
    np.testing.assert_allclose(annuity_due(table, interest_rate=0.04)[:, -1], expected, rtol=1e-13)
    # per-sex rates broadcast on the sex axis
    per_sex = annuity_due(table, interest_rate=[0.02, 0.06])
    assert per_sex[0, 65] == pytest.approx(values[0, 0, 65] + 11 / 24, abs=5e-3)


def test_nobody_reaches_an_age_gives_nan():
    q = np.array([0.1, 1.0, 0.5, 0.5])
    values = annuity_due(q, interest_rate=0.0)
    assert values[1] == 1.0 and np.isnan(values[2:]).all()


finite_q = st.lists(st.floats(0.0, 0.9), min_size=3, max_size=12).map(lambda v: np.array(v + [0.5]))


@given(q=finite_q, i=st.floats(0.0, 0.15), g=st.floats(0.0, 0.05), n=st.integers(0, 15))
def test_identities_hold_for_any_table(q, i, g, n):
    due = annuity_due(q, interest_rate=i, escalation=g)
    j = (1 + i) / (1 + g) - 1
    np.testing.assert_allclose(due, [plain_annuity_due(q, i, x, escalation=g) for x in range(q.size)], rtol=1e-10)
    np.testing.assert_allclose(annuity_immediate(q, interest_rate=i, escalation=g), due - 1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(life_insurance(q, interest_rate=j), 1 - j / (1 + j) * due, rtol=1e-9, atol=1e-12)
    whole = annuity_due(q, interest_rate=j, term=n) + annuity_due(q, interest_rate=j, deferral=n)
    np.testing.assert_allclose(whole, due, rtol=1e-10)
    t = commutation_functions(q, interest_rate=i)
    np.testing.assert_allclose(t.Nx[:-1] - t.Nx[1:], t.Dx[:-1], rtol=1e-9, atol=1e-9)


@given(q1=finite_q, q2=finite_q, i=st.floats(0.0, 0.1), k=st.integers(-3, 3))
def test_reversionary_identity_for_any_pair(q1, q2, i, k):
    size = min(q1.size, q2.size)
    q1, q2 = q1[-size:], q2[-size:]
    rev = reversionary_annuity(q1, q2, interest_rate=i, age_difference=k)
    single = annuity_due(q2, interest_rate=i)
    joint = joint_life_annuity(q1, q2, interest_rate=i, age_difference=k)
    x = np.arange(size)
    y = x + k
    ok = y >= 0
    expected = single[np.minimum(y[ok], size - 1)] - joint[ok]
    np.testing.assert_allclose(rev[ok], expected, rtol=1e-10, atol=1e-12)
    assert np.all(rev[ok] >= -1e-12)
