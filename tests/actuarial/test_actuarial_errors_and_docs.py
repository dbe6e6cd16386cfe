"""qsp.actuarial: bad input is refused with a message that names the argument; docstrings and layers."""

import ast
import doctest
import importlib
from pathlib import Path

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


# Layer 2 (DESIGN.md section 3): qsp.actuarial may use the shared infrastructure (layer 1) and the
# other computation packages, never the data front door, the social budget or the presentation
# layer - imports inside functions included.
ALLOWED = {"_validate", "_lazy", "actuarial", "demography", "pensions", "economy", "labour"}
FORBIDDEN = {"data", "budget", "plots", "widgets", "grading", "course", "cli", "lectures", "demo"}


def _qsp_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                continue  # inside qsp.actuarial
            if node.level == 2:
                found |= {(node.module or alias.name).split(".")[0] for alias in node.names}
            elif node.module and node.module.startswith("qsp"):
                parts = node.module.split(".")
                found |= {parts[1]} if len(parts) > 1 else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("qsp.")}
    return found


def test_actuarial_stays_in_layer_2():
    folder = Path(actuarial.__file__).parent
    for path in folder.glob("*.py"):
        imported = _qsp_imports(path)
        assert not imported & FORBIDDEN, f"{path.name} imports {sorted(imported & FORBIDDEN)} (layers 3-5)"
        assert imported <= ALLOWED, f"{path.name} imports {sorted(imported - ALLOWED)}: add it to the layer map"


def test_layer_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ..data import load_scheme\n    import qsp.plots\n")
    assert _qsp_imports(bad) >= {"data", "plots"}
