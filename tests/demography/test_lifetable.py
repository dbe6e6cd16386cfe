"""Life tables: published values, the a0 rules, identities (hypothesis) and bad-input messages."""

import numpy as np
import pytest
import qsp.demography.lifetable as lifetable_module
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from qsp.demography import (
    LifeTable,
    a0_andreev_kingkade,
    a0_coale_demeny,
    a1_4_coale_demeny,
    life_table,
    mx_to_qx,
    qx_to_mx,
    survival_ratios,
)

# ---------------------------------------------------------------------------------------------
# Preston, Heuveline & Guillot (2001), Demography, Box 3.1 (p. 49): abridged period life table,
# Austria, males, 1992 (data: United Nations 1994). nNx, nDx and nax as printed; lx, ndx and nLx
# as printed (radix 100,000). The nax of 0 and 1-4 are the Coale-Demeny values of Table 3.3.
# ---------------------------------------------------------------------------------------------
AUSTRIA_AGES = np.r_[0, 1, np.arange(5, 90, 5)]
AUSTRIA_POP = np.array([47925, 189127, 234793, 238790, 254996, 326831, 355086, 324222, 269963, 261971,
                        238011, 261612, 181385, 187962, 153832, 105169, 73694, 57512, 32248], dtype=float)
AUSTRIA_DEATHS = np.array([419, 70, 36, 46, 249, 420, 403, 441, 508, 769, 1154, 1866, 2043, 3496, 4366,
                           4337, 5279, 6460, 6146], dtype=float)
AUSTRIA_AX = np.array([0.068, 1.626, 2.5, 3.143, 2.724, 2.520, 2.481, 2.601, 2.701, 2.663, 2.698, 2.676,
                       2.645, 2.624, 2.619, 2.593, 2.518, 2.423, 5.247])
AUSTRIA_LX = [100000, 99133, 98986, 98910, 98815, 98334, 97704, 97151, 96492, 95588, 94195, 91937, 88711,
              83845, 76377, 66225, 53803, 37441, 21134]
AUSTRIA_DX = [867, 147, 76, 95, 481, 630, 553, 659, 904, 1393, 2258, 3225, 4867, 7467, 10152, 12422, 16362,
              16307, 21134]
AUSTRIA_NLX = [99192, 396183, 494741, 494375, 492980, 490106, 487127, 484175, 480384, 474686, 465777,
               452188, 432096, 401480, 357713, 301224, 228404, 145182, 110889]


def austria_table(**kwargs) -> LifeTable:
    return life_table(AUSTRIA_DEATHS / AUSTRIA_POP, ages=AUSTRIA_AGES, sex="male", **kwargs)


def test_reproduces_preston_box_3_1_to_printed_precision():
    table = austria_table(ax=AUSTRIA_AX)
    np.testing.assert_array_equal(np.round(table.lx), AUSTRIA_LX)
    np.testing.assert_array_equal(np.round(table.dx), AUSTRIA_DX)
    np.testing.assert_array_equal(np.round(table.Lx), AUSTRIA_NLX)
    # open interval: a = 1/m = 5.247 (printed), q = 1
    assert table.ax[-1] == pytest.approx(5.247, abs=5e-4)
    assert table.qx[-1] == 1.0
    # e0 from the printed nLx column (sum) and l0
    assert table.e0 == pytest.approx(sum(AUSTRIA_NLX) / 100000, abs=5e-5)


def test_coale_demeny_rules_give_prestons_printed_a0_and_4a1():
    m0 = AUSTRIA_DEATHS[0] / AUSTRIA_POP[0]
    assert round(float(a0_coale_demeny(m0, sex="male")), 3) == 0.068
    assert round(float(a1_4_coale_demeny(m0, sex="male")), 3) == 1.626
    table = austria_table(a0="coale-demeny")
    np.testing.assert_allclose(table.ax[:2], [0.045 + 2.684 * m0, 1.651 - 2.816 * m0])
    assert np.all(table.ax[2:-1] == 2.5)


# ---------------------------------------------------------------------------------------------
# a0 rules
# ---------------------------------------------------------------------------------------------
def test_andreev_kingkade_segments_and_breakpoints():
    # HMD Methods Protocol v6, Table 3
    assert a0_andreev_kingkade(0.0, "female") == pytest.approx(0.14903)
    assert a0_andreev_kingkade(0.0, "male") == pytest.approx(0.14929)
    assert a0_andreev_kingkade(0.01, "female") == pytest.approx(0.14903 - 2.05527 * 0.01)
    assert a0_andreev_kingkade(0.01724, "female") == pytest.approx(0.04667 + 3.88089 * 0.01724)
    assert a0_andreev_kingkade(0.02299, "male") == pytest.approx(0.14929 - 1.99545 * 0.02299)
    assert a0_andreev_kingkade(0.02300, "male") == pytest.approx(0.02832 + 3.26021 * 0.02300)
    assert a0_andreev_kingkade(0.05, "male") == pytest.approx(0.02832 + 3.26021 * 0.05)
    assert a0_andreev_kingkade(0.06891, "female") == pytest.approx(0.31411)
    assert a0_andreev_kingkade(0.08307, "male") == pytest.approx(0.29915)
    assert a0_andreev_kingkade(0.5, "female") == pytest.approx(0.31411)
    # the middle segments meet the caps (continuity at the upper breakpoints, to 5 decimals)
    assert 0.04667 + 3.88089 * 0.06891 == pytest.approx(0.31411, abs=1e-5)
    assert 0.02832 + 3.26021 * 0.08307 == pytest.approx(0.29915, abs=1e-5)


def test_a0_rules_are_vectorised_over_sex_codes_and_names():
    m0 = np.array([[0.003, 0.003], [0.05, 0.05]])
    by_code = a0_andreev_kingkade(m0, np.array([0, 1]))
    assert by_code.shape == (2, 2)
    assert by_code[1, 0] == a0_andreev_kingkade(0.05, "f")
    assert by_code[1, 1] == a0_andreev_kingkade(0.05, "Male")
    assert a0_coale_demeny(m0, sex=[0, 1])[0, 1] == pytest.approx(0.045 + 2.684 * 0.003)


def test_coale_demeny_caps_and_q0_version():
    assert a0_coale_demeny(0.107, sex="male") == pytest.approx(0.330)
    assert a0_coale_demeny(0.2, sex="female") == pytest.approx(0.350)
    assert a0_coale_demeny(0.05, sex="female") == pytest.approx(0.053 + 2.800 * 0.05)
    assert a1_4_coale_demeny(0.2, sex="female") == pytest.approx(1.361)
    assert a1_4_coale_demeny(0.05, sex="female") == pytest.approx(1.522 - 1.518 * 0.05)
    # Coale & Demeny (1983), p. 20: in terms of q0
    assert a0_coale_demeny(q0=0.05, sex="male") == pytest.approx(0.0425 + 2.875 * 0.05)
    assert a0_coale_demeny(q0=0.05, sex="female") == pytest.approx(0.050 + 3.000 * 0.05)
    assert a0_coale_demeny(q0=0.1, sex="male") == pytest.approx(0.330)
    assert a1_4_coale_demeny(q0=0.05, sex="male") == pytest.approx(1.653 - 3.013 * 0.05)
    assert a1_4_coale_demeny(q0=0.12, sex="female") == pytest.approx(1.361)


def test_each_sex_uses_its_own_a0_rule():
    mx = np.full((2, 5), 0.01)
    mx[:, -1] = 0.3
    table = life_table(mx)
    assert table.ax[0, 0] == pytest.approx(a0_andreev_kingkade(0.01, "female"))
    assert table.ax[1, 0] == pytest.approx(a0_andreev_kingkade(0.01, "male"))
    np.testing.assert_allclose(table.ax[:, 1:-1], 0.5)
    np.testing.assert_allclose(table.ax[:, -1], 1 / 0.3)
    assert life_table(mx, a0=0.2).ax[1, 0] == 0.2
    assert life_table(mx, a0=[0.1, 0.2]).ax[:, 0].tolist() == [0.1, 0.2]


# ---------------------------------------------------------------------------------------------
# agreement with a plain-Python reference (one schedule at a time, loops over ages)
# ---------------------------------------------------------------------------------------------
def reference_table(mx, ages, ax, radix=100_000.0):
    n_age = len(mx)
    widths = [ages[i + 1] - ages[i] for i in range(n_age - 1)]
    ax = list(ax)
    ax[-1] = 1 / mx[-1]
    qx = [min(widths[i] * mx[i] / (1 + (widths[i] - ax[i]) * mx[i]), 1.0) for i in range(n_age - 1)] + [1.0]
    lx = [radix]
    for i in range(n_age - 1):
        lx.append(lx[-1] * (1 - qx[i]))
    dx = [lx[i] - lx[i + 1] for i in range(n_age - 1)] + [lx[-1]]
    Lx = [widths[i] * lx[i + 1] + ax[i] * dx[i] for i in range(n_age - 1)] + [lx[-1] / mx[-1]]
    Tx = [sum(Lx[i:]) for i in range(n_age)]
    ex = [Tx[i] / lx[i] for i in range(n_age)]
    return {"qx": qx, "lx": lx, "dx": dx, "Lx": Lx, "Tx": Tx, "ex": ex}


def gompertz_mx(n_age=101, level=1e-4, slope=0.09):
    ages = np.arange(n_age)
    return level * np.exp(slope * ages) + 0.004 * np.exp(-2.0 * ages)


@pytest.mark.parametrize("grid", ["single", "abridged"])
def test_matches_plain_python_reference(grid):
    if grid == "single":
        ages = np.arange(101)
        mx = gompertz_mx()
    else:
        ages = np.r_[0, 1, np.arange(5, 90, 5)]
        mx = gompertz_mx(101)[ages]
    table = life_table(mx, ages=ages, sex="female")
    ref = reference_table(mx, ages, table.ax)
    for column in ("qx", "lx", "dx", "Lx", "Tx", "ex"):
        np.testing.assert_allclose(getattr(table, column), ref[column], rtol=1e-12, atol=1e-7, err_msg=column)


def test_batches_and_blocks_agree_with_single_schedules(monkeypatch):
    monkeypatch.setattr(lifetable_module, "_CHUNK_ROWS", 3)  # force several blocks, a partial last one
    rng = np.random.default_rng(1)
    mx = gompertz_mx() * np.exp(rng.normal(0, 0.2, size=(4, 2, 2, 101)))
    table = life_table(mx)
    assert table.ex.shape == mx.shape and table.e0.shape == (4, 2, 2)
    for idx in np.ndindex(4, 2):
        for sex in (0, 1):
            single = life_table(mx[idx][sex], sex=sex)
            np.testing.assert_allclose(table.ex[idx][sex], single.ex, rtol=1e-13)
            np.testing.assert_allclose(table.Lx[idx][sex], single.Lx, rtol=1e-13)


@pytest.mark.parametrize("grid", ["single", "abridged"])
def test_numba_engine_agrees_with_numpy(grid):
    pytest.importorskip("numba")  # the optional accelerator (tests/demography/test_engines.py)
    rng = np.random.default_rng(4)
    ages = np.arange(101) if grid == "single" else np.r_[0, 1, np.arange(5, 105, 5)]
    mx = gompertz_mx()[ages] * np.exp(rng.normal(0, 0.3, size=(50, 2, ages.size)))
    mx[3, 1, 40:] = 4.0  # an extinct cohort: q capped at 1, l = 0, e undefined
    fast = life_table(mx, ages=ages, engine="numba")
    plain = life_table(mx, ages=ages, engine="numpy")
    for column in ("ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex"):
        np.testing.assert_allclose(getattr(fast, column), getattr(plain, column), rtol=1e-12, atol=1e-8,
                                   err_msg=column)
    assert np.isnan(fast.ex[3, 1, -1]) and np.isnan(plain.ex[3, 1, -1])


# ---------------------------------------------------------------------------------------------
# identities (hypothesis)
# ---------------------------------------------------------------------------------------------
rates = arrays(np.float64, st.tuples(st.integers(1, 3), st.just(2), st.integers(3, 30)),
               elements=st.floats(1e-6, 3.0, allow_nan=False, allow_infinity=False))


@given(rates)
def test_life_table_identities(mx):
    table = life_table(mx)
    n = table.widths
    assert np.all((table.qx >= 0) & (table.qx <= 1))
    assert np.all(np.diff(table.lx, axis=-1) <= 0)
    np.testing.assert_allclose(table.dx.sum(axis=-1), 100_000, rtol=1e-12)
    np.testing.assert_allclose(table.px, 1 - table.qx)
    np.testing.assert_allclose(table.Tx[..., 0] / table.lx[..., 0], table.e0, rtol=1e-14)
    closed = table.Lx[..., :-1] <= n[:-1] * table.lx[..., :-1] * (1 + 1e-12)
    assert np.all(closed)
    np.testing.assert_allclose(table.Tx[..., 0], table.Lx.sum(axis=-1), rtol=1e-12)
    # life-table death rate d/L equals the input rate wherever q was not capped at 1
    uncapped = table.qx[..., :-1] < 1
    implied = table.dx[..., :-1] / np.where(table.Lx[..., :-1] > 0, table.Lx[..., :-1], 1)
    alive = table.lx[..., :-1] > 0
    np.testing.assert_allclose(implied[uncapped & alive], table.mx[..., :-1][uncapped & alive], rtol=1e-9)


@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(0, 0.6)),
       st.floats(0, 1), st.sampled_from([1.0, 4.0, 5.0]))
def test_mx_qx_round_trip(mx, share, width):
    ax = share * width
    qx = mx_to_qx(mx, ax=ax, n=width)
    assert np.all((qx >= 0) & (qx <= 1))
    back = qx_to_mx(qx, ax=ax, n=width)
    ok = qx < 1  # capped values cannot round-trip
    np.testing.assert_allclose(back[ok], mx[ok], rtol=1e-10, atol=1e-15)


def test_mx_to_qx_default_ax_is_half_interval():
    assert mx_to_qx(0.02) == pytest.approx(0.02 / 1.01)
    assert mx_to_qx(0.02, n=5) == pytest.approx(0.1 / 1.05)
    assert qx_to_mx(0.1, n=5, ax=2.5) == pytest.approx(0.1 / (5 - 2.5 * 0.1))


# ---------------------------------------------------------------------------------------------
# survival ratios
# ---------------------------------------------------------------------------------------------
def test_survival_ratios_definitions_with_batch_and_year_axes():
    rng = np.random.default_rng(2)
    mx = gompertz_mx() * np.exp(rng.normal(0, 0.1, size=(3, 4, 2, 101)))  # scenario, year, sex, age
    surv = survival_ratios(mx)
    table = life_table(mx, radix=1.0)
    assert surv.ratios.shape == mx.shape and surv.births.shape == (3, 4, 2)
    np.testing.assert_allclose(surv.ratios[..., :99], table.Lx[..., 1:100] / table.Lx[..., :99])
    open_ratio = table.Tx[..., 100] / table.Tx[..., 99]
    np.testing.assert_allclose(surv.ratios[..., 99], open_ratio)
    np.testing.assert_allclose(surv.ratios[..., 100], open_ratio)
    np.testing.assert_allclose(surv.births, table.Lx[..., 0])
    same = survival_ratios(life_table(mx))
    np.testing.assert_allclose(same.ratios, surv.ratios)
    assert np.all((surv.ratios > 0) & (surv.ratios <= 1))


def test_to_frame_is_tidy():
    frame = life_table(np.tile(gompertz_mx(5), (3, 2, 1))).to_frame()
    assert list(frame.columns) == ["scenario", "sex", "age", "mx", "ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex"]
    assert len(frame) == 3 * 2 * 5
    assert frame.loc[5, "sex"] == "male" and frame.loc[5, "age"] == 0 and frame.loc[10, "scenario"] == 1
    one = life_table(gompertz_mx(5), sex="female").to_frame()
    assert "scenario" not in one and set(one["sex"]) == {"female"}


def test_extreme_rates_cap_q_and_leave_ex_undefined_after_extinction():
    mx = np.array([0.01, 5.0, 0.1, 0.2])
    table = life_table(mx, sex="male", ax=[0.1, 0.9, 0.5, 0.0])  # a m = 4.5 > 1 at age 1
    assert table.qx[1] == 1.0 and table.lx[2] == 0.0
    assert np.isnan(table.ex[2:]).all() and np.isfinite(table.ex[:2]).all()


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_negative_rate_is_reported_with_sex_and_age():
    mx = np.full((2, 5), 0.01)
    mx[1, 3] = -0.5
    with pytest.raises(ValueError, match=r"mx has a death rate of -0.5 at sex 1 \(male\), age 3"):
        life_table(mx)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_missing_or_infinite_rate_is_reported(bad):
    mx = np.full((3, 2, 5), 0.01)
    mx[2, 0, 1] = bad
    with pytest.raises(ValueError, match=r"missing or infinite death rate .* batch index \(2,\), sex 0 \(female\), age 1"):
        life_table(mx)


def test_wrong_sex_axis_explains_both_options():
    with pytest.raises(ValueError, match=r"sex axis of length 2.*sex='female' or sex='male'"):
        life_table(np.full((3, 5), 0.01))
    with pytest.raises(ValueError, match=r"sex axis of length 2"):
        life_table(np.full(5, 0.01))


def test_bad_sex_name():
    with pytest.raises(ValueError, match=r"sex must be 'female' \(or 0\) or 'male' \(or 1\)"):
        life_table(np.full(5, 0.01), sex="both")


def test_bad_age_grids():
    mx = np.full(5, 0.01)
    with pytest.raises(ValueError, match=r"ages must start at age 0"):
        life_table(mx, sex=0, ages=[1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match=r"ages must list ages in increasing order"):
        life_table(mx, sex=0, ages=[0, 1, 5, 5, 10])
    with pytest.raises(ValueError, match=r"ages has 4 entries but mx has 5 on its age axis"):
        life_table(mx, sex=0, ages=[0, 1, 5, 10])


def test_zero_rate_in_open_interval():
    mx = np.full((2, 5), 0.01)
    mx[0, -1] = 0.0
    with pytest.raises(ValueError, match=r"mx is 0 at the open age interval \(sex 0 \(female\), age 4\)"):
        life_table(mx)


def test_ax_outside_interval():
    mx = np.full(5, 0.01)
    with pytest.raises(ValueError, match=r"ax is 1.5 at age 2, outside \[0, n\] = \[0, 1\]"):
        life_table(mx, sex="male", ax=[0.1, 0.5, 1.5, 0.5, 0.0])
    with pytest.raises(ValueError, match=r"ax is -0.1 at age 0"):
        life_table(mx, sex="male", ax=[-0.1, 0.5, 0.5, 0.5, 0.0])
    with pytest.raises(ValueError, match=r"ax has shape \(3,\) but must match mx"):
        life_table(mx, sex="male", ax=[0.1, 0.5, 0.5])
    with pytest.raises(ValueError, match=r"ax must lie between 0 and the interval width n"):
        mx_to_qx(0.1, ax=2.0, n=1.0)


def test_bad_a0_and_radix():
    mx = np.full(5, 0.01)
    with pytest.raises(ValueError, match=r"a0 must be one of \('andreev-kingkade', 'coale-demeny'\)"):
        life_table(mx, sex="male", a0="brass")
    with pytest.raises(ValueError, match=r"a0 given as a number must lie in \[0, 1\]"):
        life_table(mx, sex="male", a0=1.5)
    with pytest.raises(ValueError, match=r"first age interval of one year, but it is 5 years wide"):
        life_table(mx, sex="male", ages=[0, 5, 10, 15, 20])
    with pytest.raises(ValueError, match=r"radix must be a positive number"):
        life_table(mx, sex="male", radix=0)
    with pytest.raises(ValueError, match=r"engine must be one of \('auto', 'numpy', 'numba'\)"):
        life_table(mx, sex="male", engine="fortran")


def test_bad_conversion_inputs():
    with pytest.raises(ValueError, match=r"qx has a probability of dying of 1.5 at age 1, but it must be at most 1"):
        qx_to_mx([0.1, 1.5])
    with pytest.raises(ValueError, match=r"infinite death rate"):
        qx_to_mx(1.0, ax=0.0)
    with pytest.raises(ValueError, match=r"give exactly one of m0"):
        a0_coale_demeny(0.01, q0=0.01, sex="male")
    with pytest.raises(ValueError, match=r"m0 has a death rate at age 0 of -0.01"):
        a0_andreev_kingkade(-0.01, "male")


def test_survival_ratios_need_single_ages():
    mx = gompertz_mx(101)[AUSTRIA_AGES]
    with pytest.raises(ValueError, match=r"survival_ratios needs single-year ages"):
        survival_ratios(mx, ages=AUSTRIA_AGES, sex="male")
