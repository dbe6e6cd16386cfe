"""qsp.actuarial: bad input is refused with a message that names the argument; docstrings.

Its place in layer 2 is checked with the rest of the library in tests/test_layers.py.
"""

import doctest
import importlib

import numpy as np
import pytest
import qsp.actuarial as actuarial
from qsp.actuarial import (
    annuity_due,
    commutation_functions,
    joint_life_annuity,
    pension_unit_cost,
    pure_endowment,
    qx_from_lx,
)
from qsp.demography import life_table

Q = np.linspace(0.001, 0.3, 101)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: annuity_due(np.where(np.arange(101) == 70, 1.2, Q), interest_rate=0.04),
         ["mortality", "probability of dying", "age 70", "q_x"]),
        (lambda: annuity_due(np.stack([Q, np.where(np.arange(101) == 3, np.nan, Q)]), interest_rate=0.04),
         ["mortality", "sex 1 (male)", "age 3"]),
        (lambda: annuity_due(Q, interest_rate=-1.0), ["interest_rate", "greater than -1"]),
        (lambda: annuity_due(np.stack([Q, Q]), interest_rate=[0.02, 0.04, 0.06]),
         ["interest_rate", "(3,)", "(2,)", "(3, 1)"]),
        (lambda: annuity_due(Q, interest_rate=0.04, escalation=np.nan), ["escalation"]),
        (lambda: annuity_due(Q, interest_rate=0.04, term=2.5), ["term", "whole number"]),
        (lambda: annuity_due(Q, interest_rate=0.04, deferral=-1), ["deferral", "negative"]),
        (lambda: annuity_due(Q, interest_rate=0.04, payments_per_year=0), ["payments_per_year", "whole number"]),
        (lambda: annuity_due(Q, interest_rate=0.04, payments_per_year=12, approximation="exact"),
         ["approximation", "udd", "woolhouse"]),
        (lambda: annuity_due(np.append(Q[:-1], 0.0), interest_rate=0.0), ["infinite", "open"]),
        (lambda: annuity_due(0.5, interest_rate=0.04), ["mortality", "ages 0 .. omega"]),
        (lambda: pure_endowment(Q, interest_rate=0.04, term=-3), ["term"]),
        (lambda: joint_life_annuity(Q, Q, interest_rate=0.04, age_difference=[1, 2]), ["age_difference", "one whole"]),
        (lambda: joint_life_annuity(Q, Q[:50], interest_rate=0.04), ["first", "second", "broadcast"]),
        (lambda: joint_life_annuity(Q, Q, interest_rate=0.04, timing="monthly"), ["timing", "advance", "arrears"]),
        (lambda: pension_unit_cost(Q, interest_rate=0.04, survivor_share=0.5), ["survivor_mortality"]),
        (lambda: pension_unit_cost(Q, interest_rate=0.04, survivor_share=50, survivor_mortality=Q),
         ["survivor_share", "at most 1", "percentage"]),
        (lambda: commutation_functions(Q, interest_rate=0.04, radix=0), ["radix", "positive"]),
        (lambda: qx_from_lx([100, 90, 95, 10]), ["lx", "increases from age 1 to 2", "l_x"]),
        (lambda: qx_from_lx([0, 0, 0]), ["lx", "radix"]),
        (lambda: qx_from_lx([100, 50, 20], open_qx=2), ["open_qx"]),
    ],
)
def test_bad_input_is_named(call, words):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"


def test_abridged_life_table_is_refused():
    ages = np.array([0, 1, 5, 10, 15])
    table = life_table(np.full(5, 0.02), ages=ages, sex="female")
    with pytest.raises(ValueError, match="abridged"):
        annuity_due(table, interest_rate=0.04)


@pytest.mark.parametrize("name", ["qsp.actuarial.annuities", "qsp.actuarial.commutation", "qsp.actuarial.valuation"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def test_every_public_name_is_documented():
    for name in actuarial.__all__:
        obj = getattr(actuarial, name)
        assert obj.__doc__ and len(obj.__doc__) > 80, f"{name} needs a docstring"
        if callable(obj) and not isinstance(obj, type):
            for section in ("Parameters", "Returns", "Raises", "Examples", "References"):
                assert section in obj.__doc__, f"{name} docstring lacks {section}"
        assert "{" + "params}" not in obj.__doc__
