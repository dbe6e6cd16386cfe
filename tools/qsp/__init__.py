"""qsp: quantitative social protection, the helper library of the course kit.

Sub-packages (imported lazily, so ``import qsp`` is fast):

- :mod:`qsp.demography`: life tables, mortality models, fertility, graduation, migration,
  cohort-component projection and indicators.
- :mod:`qsp.data`: the kit's country data as validated arrays (``qsp.data.load_country``).
- :mod:`qsp.plots`: the figures the lectures use (population pyramids and the like).
- :mod:`qsp.pensions`: pension scheme financing.
- :mod:`qsp.actuarial`: commutation functions, life annuities, the cost of a pension unit,
  present values of a membership and the actuarial balance sheet.
- :mod:`qsp.shortterm`: short-term cash benefits (sickness, maternity, employment injury,
  unemployment), their premium rates and the ILO minimum standards.
- :mod:`qsp.health`: the ILO health budget model's logic, provider payment and community
  micro-insurance pricing.
- :mod:`qsp.grading`: assertion helpers with teaching feedback and self-checks.
- :mod:`qsp.cli`: the ``qsp`` command line.

Array conventions: trailing axes ``(sex, age)``, sex 0 = female, 1 = male, single ages
0..100 with the last one open ("100+"); leading axes are a batch that every kernel broadcasts
over. See DESIGN.md in the project's shared notes.
"""

from ._lazy import lazy_exports

__version__ = "0.1.0"

_SUBPACKAGES = ("demography", "data", "plots", "pensions", "grading", "cli", "course", "widgets", "labour", "economy", "budget", "costing", "health", "poverty", "actuarial", "shortterm")

__getattr__, __dir__ = lazy_exports(__name__, {name: name for name in _SUBPACKAGES})
__all__ = list(_SUBPACKAGES)
