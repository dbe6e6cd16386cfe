"""The optional compiled (numba) engine of project_insured: it agrees with the numpy engine (1e-10
relative) on the cases of test_insured.py and test_insured_options.py (batches, retirement ages by
sex, early retirement, exits with settlements, lesser-of indexation with a cap), members are
conserved with it, and everything works without numba (missing, or QSP_DISABLE_NUMBA=1), as in
qsp.demography (tests/demography/test_engines.py)."""

import os
import subprocess
import sys

import numpy as np
import pytest
import test_insured as basic
import test_insured_options as options
from hypothesis import given, settings
from qsp.demography import _engine
from qsp.pensions import BenefitRules, project_insured
from qsp.pensions import insured as insured_module
from qsp.pensions.insured import _steps as insured_steps

MEN, WOMEN = 1, 0
OLD_AGE = 0
FIELDS = ("actives", "inactives", "contributors", "covered_wages", "insurable_earnings", "entrants", "deaths_active",
          "deaths_inactive", "disabled", "disability_grants", "withdrawals", "reentries", "retired_active",
          "retired_inactive", "retirement_grants", "orphans_ending", "lump_sums", "final_actives", "final_inactives",
          "exits", "settlements", "early_retired_active", "early_retired_inactive")
BY_TYPE = ("pensioners", "pension_amounts", "pensioners_exposed", "expenditure", "new_pensioners",
           "new_pension_amounts", "pensioner_deaths")


def needs_numba():
    pytest.importorskip("numba")
    if _engine.numba_disabled():
        pytest.skip("QSP_DISABLE_NUMBA is set")


def assert_engines_agree(fast, plain):
    """Every stock and flow to 1e-10 relative (on the scale of the largest value of each)."""
    pairs = [(name, getattr(fast, name), getattr(plain, name)) for name in FIELDS]
    pairs += [(f"{name}[{kind}]", getattr(fast, name)[kind], getattr(plain, name)[kind]) for name in BY_TYPE
              for kind in getattr(plain, name)]
    for name, got, expected in pairs:
        assert np.shape(got) == np.shape(expected), name
        scale = 1.0 + np.abs(expected).max(initial=0.0)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10 * scale, err_msg=name)


def both(membership, rules, **kwargs):
    return (project_insured(membership, rules, engine="numba", **kwargs),
            project_insured(membership, rules, engine="numpy", **kwargs))


# ---------------------------------------------------------------------------------------------
# the compiled engine agrees with numpy and conserves members
# ---------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(basic.scenarios())
def test_engines_agree_on_the_conservation_cases(case):
    needs_numba()
    membership, rules, kwargs = case
    fast, plain = both(membership, rules, **kwargs)
    assert_engines_agree(fast, plain)
    scale = 1.0 + fast.total(fast.actives).max() + fast.total(fast.inactives).max()
    for name, residual in fast.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-9 * scale, err_msg=name)


@settings(max_examples=40, deadline=None)
@given(options.scenarios())
def test_engines_agree_with_exits_early_retirement_and_capped_indexation(case):
    needs_numba()
    membership, rules, kwargs = case
    fast, plain = both(membership, rules, **kwargs)
    assert_engines_agree(fast, plain)
    scale = 1.0 + fast.total(fast.actives).max() + fast.total(fast.inactives).max()
    for name, residual in fast.conservation().items():
        np.testing.assert_allclose(residual, 0.0, atol=1e-9 * scale, err_msg=name)
    assert np.all(fast.settlements >= 0)


@pytest.mark.parametrize("reference_wage", ["final", "career"])
def test_engines_agree_on_batches_of_counts_and_money(reference_wage):
    # mortality, exits and early retirement by scenario (the service distribution carries the batch), wage
    # growth and inflation by scenario (money within the batch), retirement ages by sex, a service band for
    # exits, lesser-of indexation with an indexed cap, minimum and maximum pensions, future service
    needs_numba()
    membership = options.members(actives=[(MEN, 52, 25, 100.0), (WOMEN, 50, 20, 80.0), (MEN, 30, 3, 50.0),
                                          (WOMEN, 40, 12, 60.0)],
                                 inactives=[(WOMEN, 51, 22, 30.0), (MEN, 45, 8, 20.0)],
                                 pensioners=[(OLD_AGE, MEN, 70, 10.0, 5000.0)])
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, normal_retirement_age={"female": 55, "male": 60},
                         early_retirement_age=50, early_minimum_years={"female": 15, "male": 20}, early_reduction=0.03,
                         settlement_rate=0.1, minimum_pension=[300.0, 400.0, 500.0, 500.0], maximum_pension=900.0,
                         maximum_years=30, disability_minimum_years=3, disability_future_service=True,
                         survivor_minimum_years=5, indexation="lesser", indexation_cap=100.0,
                         indexation_cap_indexed=True, reference_wage=reference_wage, reference_years=3)
    n_scenarios = 3
    qx = np.stack([basic.constant_qx(q) for q in (0.01, 0.02, 0.04)])[:, None]
    early = np.array([0.2, 0.6, 0.0])[:, None, None, None] * np.ones((2, 101))
    exits = np.array([0.05, 0.15, 0.3])[:, None, None, None] * np.ones((2, 101))
    growth = np.array([[0.01, 0.05, 0.03, 0.0], [0.04, 0.0, 0.02, 0.1], [0.0, 0.0, 0.0, 0.0]])
    shares = np.zeros((2, 101))
    shares[:, 20:30] = 0.05
    kwargs = dict(n_years=4, mortality=qx, early_retirement_rate=early, exit_rate=exits,
                  exit_service_factor=np.arange(30) < 15, wage_growth=growth, price_inflation=growth[::-1] * 0.5,
                  wages=np.linspace(500.0, 3000.0, 202).reshape(2, 101), new_entrants=[10.0, 20.0, 30.0, 40.0],
                  entrant_distribution=shares, disability_incidence=0.02, withdrawal_rate=0.1, reentry_rate=0.2,
                  contribution_density=0.8, proportion_married=0.6, orphans_per_death=0.5, wage_ceiling=2.0)
    fast, plain = both(membership, rules, **kwargs)
    assert fast.final_actives.shape[0] == n_scenarios
    assert_engines_agree(fast, plain)
    for k in (0, 2):                                       # scenario k of the batch is the run of scenario k alone
        single = project_insured(membership, rules, engine="numba", **{
            **kwargs, "mortality": qx[k, 0], "early_retirement_rate": early[k, 0], "exit_rate": exits[k, 0],
            "wage_growth": growth[k], "price_inflation": growth[::-1][k] * 0.5})
        np.testing.assert_allclose(fast.pension_expenditure[k], single.pension_expenditure, rtol=1e-10)
        np.testing.assert_allclose(fast.lump_sums[k], single.lump_sums, rtol=1e-10)
        np.testing.assert_allclose(fast.final_actives[k], single.final_actives, rtol=1e-10, atol=1e-12)


def test_engines_agree_when_only_the_money_has_a_batch():
    # deterministic mortality with economic scenarios: the counts carry no batch, the money does (the numpy
    # threshold sums are kept for the pensions; the state update is compiled)
    needs_numba()
    membership = basic.members(actives=[(MEN, 40, 10, 100.0), (WOMEN, 55, 30, 80.0), (MEN, 58, 3, 20.0)],
                               inactives=[(WOMEN, 50, 12, 30.0)], pensioners=[(OLD_AGE, MEN, 70, 10.0, 500.0)])
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, maximum_years=25, minimum_pension=[300.0, 400.0, 500.0],
                         maximum_pension=[600.0, 650.0, 700.0], disability_future_service=True,
                         disability_minimum_years=3, normal_retirement_age=[60, 60, 61], grant_rate=0.1)
    growth = np.array([[0.0, 0.1, 0.2], [0.3, 0.0, -0.1]])
    fast, plain = both(membership, rules, n_years=3, mortality=basic.constant_qx(0.02), wage_growth=growth,
                       disability_incidence=0.05, withdrawal_rate=0.1, reentry_rate=0.2, proportion_married=0.7,
                       wages=basic.FLAT_WAGES, contribution_density=0.6)
    assert fast.lump_sums.shape == (2, 3)
    assert_engines_agree(fast, plain)


def test_a_hand_worked_cohort_with_the_compiled_engine():
    # the cohort of test_insured.test_a_cohort_year_by_year: 1,000 men aged 58 with 30 years, q = 1%,
    # retirement at 60, accrual 2% of 10,000: 980.1 retire in year 3 with 32 years, 6,400 each
    needs_numba()
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60)
    result = project_insured(basic.members(actives=[(MEN, 58, 30, 1000.0)]), rules, n_years=4,
                             mortality=basic.constant_qx(0.01), wages=np.full((2, 101), 10_000.0), exposure="start",
                             engine="numba")
    np.testing.assert_allclose(result.total(result.contributors), [1000.0, 990.0, 0.0, 0.0])
    assert result.new_pension_amounts["old_age"][2, MEN, 60] == pytest.approx(980.1 * 6400)
    np.testing.assert_allclose(result.pension_expenditure, [0.0, 0.0, 980.1 * 6400, 970.299 * 6400])


# ---------------------------------------------------------------------------------------------
# numba is optional: chosen by engine=, imported only on demand
# ---------------------------------------------------------------------------------------------
def _small_case():
    membership = basic.members(actives=[(MEN, 40, 10, 100.0), (WOMEN, 62, 30, 80.0)])
    return membership, BenefitRules(accrual_rate=0.02), dict(n_years=5, mortality=basic.constant_qx(0.01),
                                                             wages=basic.FLAT_WAGES, withdrawal_rate=0.1)


def test_everything_works_without_numba(monkeypatch):
    membership, rules, kwargs = _small_case()
    expected = project_insured(membership, rules, engine="numpy", **kwargs)
    monkeypatch.delenv("QSP_DISABLE_NUMBA", raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setitem(sys.modules, "qsp.pensions._numba_kernels", None)
    assert insured_module._kernels("auto", n_values=10**12) is None
    result = project_insured(membership, rules, **kwargs)
    np.testing.assert_array_equal(result.pension_expenditure, expected.pension_expenditure)
    np.testing.assert_array_equal(result.final_actives, expected.final_actives)
    with pytest.raises(ValueError, match=r"engine='numba' needs the optional numba package, but it is not installed"):
        project_insured(membership, rules, engine="numba", **kwargs)


def test_environment_variable_disables_numba(monkeypatch):
    membership, rules, kwargs = _small_case()
    monkeypatch.setenv("QSP_DISABLE_NUMBA", "1")
    assert insured_module._kernels("auto", n_values=10**12) is None
    assert project_insured(membership, rules, **kwargs).pension_expenditure.shape == (5,)
    with pytest.raises(ValueError, match=r"it is disabled by the environment variable QSP_DISABLE_NUMBA"):
        project_insured(membership, rules, engine="numba", **kwargs)


def test_auto_uses_numba_once_loaded_and_bad_engines_are_refused():
    membership, rules, kwargs = _small_case()
    with pytest.raises(ValueError, match=r"engine must be one of \('auto', 'numpy', 'numba'\), got 'fast'"):
        project_insured(membership, rules, engine="fast", **kwargs)
    needs_numba()
    project_insured(membership, rules, engine="numba", **kwargs)        # loads the compiled kernels
    assert insured_module._kernels("auto", n_values=1) is not None
    assert insured_module._kernels("numpy", n_values=10**12) is None


def test_auto_never_imports_numba_in_a_fresh_interpreter():
    code = (
        "import sys, numpy as np\n"
        "from qsp.pensions import BenefitRules, membership_from_arrays, project_insured\n"
        "actives = np.zeros((2, 101, 86)); actives[:, 30:60, 5] = 10.0\n"
        "members = membership_from_arrays(actives, active_wages=1000.0)\n"
        "qx = np.full((20, 1, 2, 101), 0.01); qx[..., -1] = 1.0\n"
        "project_insured(members, BenefitRules(accrual_rate=0.02), n_years=40, mortality=qx)  # large\n"
        "assert 'numba' not in sys.modules, 'engine=auto imported numba'\n"
    )
    for env in ({"QSP_DISABLE_NUMBA": "1"}, {}):
        environment = {k: v for k, v in os.environ.items() if k != "QSP_DISABLE_NUMBA"} | env
        subprocess.run([sys.executable, "-c", code], check=True, env=environment, capture_output=True)


# ---------------------------------------------------------------------------------------------
# the pensioners' year in one compiled pass (deaths, survivors' and orphans' pensions, ageing)
# ---------------------------------------------------------------------------------------------
def _pensioner_case(n_scenarios):
    """Pensioners of every type (orphans on both sides of the age limit, some at the open age 100),
    members who die with and without the survivor qualifying period, and assumptions by scenario."""
    membership = basic.members(actives=[(MEN, 50, 20, 100.0), (WOMEN, 45, 2, 80.0), (MEN, 30, 8, 40.0)],
                               inactives=[(WOMEN, 52, 15, 30.0)],
                               pensioners=[(OLD_AGE, MEN, 70, 10.0, 5000.0), (OLD_AGE, WOMEN, 100, 3.0, 900.0),
                                           (1, MEN, 55, 4.0, 1200.0), (1, WOMEN, 99, 2.0, 700.0),
                                           (2, WOMEN, 66, 6.0, 2000.0), (2, MEN, 3, 1.0, 100.0),
                                           (3, MEN, 16, 5.0, 400.0), (3, WOMEN, 9, 2.0, 300.0)])
    rng = np.random.default_rng(n_scenarios)
    qx = np.stack([basic.constant_qx(q) for q in rng.uniform(0.005, 0.05, n_scenarios)])[:, None]
    disabled_qx = np.minimum(2.5 * qx, 1.0)
    return membership, dict(
        n_years=4, mortality=qx, disabled_mortality=disabled_qx, disability_incidence=0.03, withdrawal_rate=0.1,
        reentry_rate=0.2, wages=basic.FLAT_WAGES, wage_growth=rng.uniform(0.0, 0.05, (n_scenarios, 4)),
        price_inflation=rng.uniform(0.0, 0.03, (n_scenarios, 4)),
        proportion_married=rng.uniform(0.3, 0.9, (n_scenarios, 1, 2, 101)),
        orphans_per_death=rng.uniform(0.0, 2.0, (n_scenarios, 1, 2, 101)))


@pytest.mark.parametrize("n_scenarios", [1, 3])
@pytest.mark.parametrize("exposure, detail", [("average", "age"), ("start", "total"), ("average", "total")])
@pytest.mark.parametrize("difference, gap, limit", [(3, 25, 18), (-100, 0, 0), (100, 100, 120)])
def test_compiled_pensioners_year_agrees_with_numpy(monkeypatch, n_scenarios, exposure, detail, difference, gap,
                                                    limit):
    # every option of the pensioners' year: exposure, detail, spouses older or younger (to the ends of the age
    # grid), orphans' gap and age limit (0: every orphan leaves; above omega: none does), disabled mortality,
    # lesser-of indexation with a cap, married shares and orphans by scenario
    needs_numba()
    calls = []
    compiled = insured_steps._pensioners_compiled
    monkeypatch.setattr(insured_steps, "_pensioners_compiled", lambda *a: calls.append(1) or compiled(*a))
    membership, kwargs = _pensioner_case(n_scenarios)
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10, survivor_minimum_years=5, survivor_rate=0.6,
                         orphan_rate=0.25, orphan_age_limit=limit, indexation="lesser", indexation_cap=50.0,
                         normal_retirement_age=60)
    fast, plain = both(membership, rules, exposure=exposure, detail=detail, spouse_age_difference=difference,
                       parent_age_gap=gap, **kwargs)
    assert len(calls) == kwargs["n_years"]                 # the compiled pass ran every year
    assert_engines_agree(fast, plain)
    assert fast.new_pensioners["survivor"].sum() > 0 and fast.pensioner_deaths["disability"].sum() > 0


def test_pensioners_fall_back_to_numpy_when_the_money_has_its_own_batch(monkeypatch):
    # counts without a batch, money with one: the pensioners' year stays on the numpy path (same results)
    needs_numba()
    calls = []
    monkeypatch.setattr(insured_steps, "_pensioners_compiled", lambda *a: calls.append(1))
    membership, kwargs = _pensioner_case(1)
    kwargs = {**kwargs, "mortality": kwargs["mortality"][0, 0], "disabled_mortality": None,
              "proportion_married": 0.5, "orphans_per_death": 0.4}
    rules = BenefitRules(accrual_rate=0.02, minimum_years=10)
    fast, plain = both(membership, rules, **kwargs)
    assert calls == []
    assert_engines_agree(fast, plain)
