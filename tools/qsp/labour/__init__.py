"""Labour market for the pension model: labour force, employment, the insured and contributing
population, and covered wages by age and sex.

Arrays follow the kit's convention: trailing axes ``(sex, age)`` (sex 0 = female, 1 = male,
single ages 0..omega, the last open), projections ``(..., year, sex, age)``, leading axes a
batch of scenarios that broadcasts. Rates and shares are fractions.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``. To add a public
function, add one line ``"name": "submodule"`` here.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # market.py
    "labour_force": "market",
    "employment": "market",
    "unemployment": "market",
    "insured_population": "market",
    "contributors": "market",
    "by_year": "market",
    "project_labour": "market",
    "LabourMarket": "market",
    # wages.py
    "wage_index": "wages",
    "normalise_salary_scale": "wages",
    "covered_wages": "wages",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
