"""qsp: quantitative social protection, the helper library of the course kit.

Sub-packages (imported lazily, so ``import qsp`` is fast), by layer (DESIGN.md section 3):

Computation (arrays and parameters in, arrays out; no files read):

- :mod:`qsp.demography`: life tables, mortality models, fertility, graduation, migration,
  cohort-component projection and indicators.
- :mod:`qsp.economy`: the macroeconomic frame (GDP, wages, inflation, interest).
- :mod:`qsp.labour`: labour force, employment, informality and contributors.
- :mod:`qsp.pensions`: pension scheme financing: the insured-population projection, benefits,
  valuation, financing systems, ratios, ILO C102, stochastic risk.
- :mod:`qsp.actuarial`: commutation functions, life annuities, the cost of a pension unit,
  present values of a membership and the actuarial balance sheet.
- :mod:`qsp.costing`: costing a basic social protection package.
- :mod:`qsp.poverty`: poverty and inequality from a household survey, and cash transfers.
- :mod:`qsp.shortterm`: short-term cash benefits (sickness, maternity, employment injury,
  unemployment), their premium rates and the ILO minimum standards.
- :mod:`qsp.health`: the ILO health budget model's logic, provider payment and community
  micro-insurance pricing.

The social budget and the data:

- :mod:`qsp.budget`: the social budget: branches, revenue by source, status quo and reforms.
- :mod:`qsp.data`: the kit's country data and the synthetic pension scheme as validated arrays
  (``qsp.data.load_country``, ``qsp.data.load_scheme``).

Presentation and tools:

- :mod:`qsp.plots`: the figures the lectures use (population pyramids and the like).
- :mod:`qsp.grading`: assertion helpers with teaching feedback and self-checks.
- :mod:`qsp.course`: the nbgrader engine behind ``qsp course`` (release, autograde, feedback).
- :mod:`qsp.cli`: the ``qsp`` command line.

Array conventions: trailing axes ``(sex, age)``, sex 0 = female, 1 = male, single ages
0..100 with the last one open ("100+"); leading axes are a batch that every kernel broadcasts
over. See DESIGN.md in the project's shared notes.
"""

from ._lazy import lazy_exports

__version__ = "0.1.0"
"""The one version string of the kit (pyproject.toml reads it; CITATION.cff repeats it, checked by a test)."""

_SUBPACKAGES = ("demography", "economy", "labour", "pensions", "actuarial", "costing", "poverty", "shortterm", "health",
                "budget", "data", "plots", "grading", "course", "cli")

__getattr__, __dir__ = lazy_exports(__name__, {name: name for name in _SUBPACKAGES})
__all__ = list(_SUBPACKAGES)
