"""The examples in the docstrings of qsp.pensions run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["qsp.pensions.financing", "qsp.pensions.reserve", "qsp.pensions.ratios", "qsp.pensions.c102"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def test_every_public_name_is_exported_and_documented():
    import qsp.pensions as pensions

    for name in pensions.__all__:
        obj = getattr(pensions, name)
        assert obj.__doc__ and len(obj.__doc__) > 80, f"{name} needs a docstring"
        if callable(obj) and not isinstance(obj, type):
            for section in ("Parameters", "Returns", "Raises", "Examples", "References"):
                assert section in obj.__doc__, f"{name} docstring lacks {section}"
