"""Demography: life tables, mortality models, fertility, graduation, migration, projection.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``. To add a public
function, add one line ``"name": "submodule"`` here.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # ages.py
    "single_ages": "ages",
    "abridged_ages": "ages",
    "interval_widths": "ages",
    "age_labels": "ages",
    # lifetable.py
    "life_table": "lifetable",
    "LifeTable": "lifetable",
    "a0_andreev_kingkade": "lifetable",
    "a0_coale_demeny": "lifetable",
    "mx_to_qx": "lifetable",
    "qx_to_mx": "lifetable",
    "survival_ratios": "lifetable",
    "SurvivalRatios": "lifetable",
    # projection.py and leslie.py
    "project": "projection",
    "Projection": "projection",
    "leslie_matrix": "leslie",
    "project_leslie": "leslie",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
