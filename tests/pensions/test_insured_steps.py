"""The insured projection as steps (issue 16): inputs resolved once into frozen assumptions, one
function per step of the year over a state, so that a step (e.g. a compiled one) can be replaced
without touching the loop. The numbers of the steps are tested in test_insured*.py."""

import dataclasses
import inspect

import numpy as np
import pytest
from qsp.pensions import BenefitRules, membership_from_arrays, project_insured
from qsp.pensions.insured import Assumptions, _project, _steps
from qsp.pensions.insured._inputs import resolve

SIGNATURE = ("membership", "rules", "n_years", "mortality", "new_entrants", "entrant_distribution",
             "disability_incidence", "withdrawal_rate", "reentry_rate", "exit_rate", "exit_service_factor",
             "early_retirement_rate", "contribution_density", "retirement_age", "wages", "wage_growth",
             "price_inflation", "past_wage_growth", "wage_ceiling", "proportion_married", "spouse_age_difference",
             "orphans_per_death", "parent_age_gap", "disabled_mortality", "exposure", "start_year", "detail", "engine")


def small_case():
    actives = np.zeros((2, 101, 86))
    actives[:, 40, 20] = 1000.0
    actives[:, 58, 30] = 500.0
    members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 12000.0))
    qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60)
    return members, rules, {"n_years": 5, "mortality": qx, "wages": np.full((2, 101), 12000.0),
                            "proportion_married": 0.6, "engine": "numpy"}


def test_the_public_signature_is_kept():
    parameters = inspect.signature(project_insured).parameters
    assert tuple(parameters) == SIGNATURE
    assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in SIGNATURE[2:])
    with pytest.raises(TypeError, match="no_such_option"):
        project_insured(*small_case()[:2], no_such_option=1, **small_case()[2])


def test_the_assumptions_are_resolved_once_and_frozen():
    members, rules, kwargs = small_case()
    defaults = {name: p.default for name, p in inspect.signature(project_insured).parameters.items()
                if p.default is not inspect.Parameter.empty}
    a = resolve(members, rules, **{**defaults, **kwargs})
    assert isinstance(a, Assumptions)
    assert a.n_years == 5 and a.qx.shape == (1, 2, 101) and a.member_ages[0] == members.min_entry_age
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.n_years = 6


def test_the_steps_run_in_the_documented_order_and_a_step_can_be_replaced(monkeypatch):
    members, rules, kwargs = small_case()
    names = [step.__name__ for step in _steps.STEPS]
    assert names == ["index_pensions", "reference_wages", "retire", "retire_early", "enter", "decrements",
                     "pensioner_deaths", "awards", "survivors", "age"]
    expected = project_insured(members, rules, **kwargs)
    calls = []

    def ageing(a, s, y):                     # a stand-in for a compiled step: same numbers, counted
        calls.append(y.t)
        _steps.age(a, s, y)

    monkeypatch.setattr(_project, "STEPS", _steps.STEPS[:-1] + (ageing,))
    replaced = project_insured(members, rules, **kwargs)
    assert calls == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(replaced.actives, expected.actives)
    np.testing.assert_array_equal(replaced.pension_expenditure, expected.pension_expenditure)
    assert expected.new_pensioners["survivor"].sum() > 0          # the case exercises the survivors' step
