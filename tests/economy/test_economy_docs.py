"""The examples in the docstrings of qsp.economy and qsp.costing run and give what they show,
and every public name is documented with the numpy sections."""

import doctest
import importlib

import pytest

MODULES = ["qsp.economy.macro", "qsp.economy.convert", "qsp.costing.benefits", "qsp.costing.cost",
           "qsp.costing.pal2005"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


@pytest.mark.parametrize("package", ["qsp.economy", "qsp.costing"])
def test_every_public_name_is_exported_and_documented(package):
    module = importlib.import_module(package)
    for name in module.__all__:
        obj = getattr(module, name)
        if isinstance(obj, tuple):          # a table of assumptions
            continue
        assert obj.__doc__ and len(obj.__doc__) > 80, f"{name} needs a docstring"
        if callable(obj) and not isinstance(obj, type):
            for section in ("Parameters", "Returns", "Raises", "Examples", "References"):
                assert section in obj.__doc__, f"{name} docstring lacks {section}"
