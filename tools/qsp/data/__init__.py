"""The kit's country data: UN World Population Prospects 2024 inputs as validated arrays.

>>> import qsp.data
>>> sorted(qsp.data.countries())[:3]                     # ISO3 -> name
['CHE', 'GHA', 'JOR']
>>> tza = qsp.data.load_country("Tanzania")
>>> tza.base_population.shape, tza.mx.shape, tza.asfr.shape
((2, 101), (50, 2, 101), (50, 101))
>>> tza.method                                          # what its demography rests on
'components: full'

Any of the 187 countries of WPP 2024 in the registry package ``starsim-data`` loads too
(``countries(registry=True)``), built on the fly and labelled ``"migration: calibrated to totals"``
with its measured agreement with WPP (``Country.label``); see :func:`load_country`.

The files live in ``datasets/<ISO3>/`` at the top of the repository (override the folder with
the environment variable ``QSP_DATA_DIR``); ``datasets/README.md`` and each
``datapackage.json`` say where every number comes from. ``tools/build_datasets.py`` rebuilds
them (``make data``).

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # loader.py
    "load_country": "loader",
    "countries": "loader",
    "resolve_country": "loader",
    "data_dir": "loader",
    "Country": "loader",
    "DatasetError": "loader",
    "MissingDatasetError": "loader",
    "DATA_DIR_ENV": "loader",
    # wpp.py: deriving demography from UN WPP 2024 (the build, and countries built on the fly)
    "wpp": "wpp",
    "un_population_bounds": "wpp",
    # economic_sources.py: the curated economic figures' rules, and the instructor's template
    "economic_sources": "economic_sources",
    "EconomicSourceError": "economic_sources",
    # scheme.py (SYNTHETIC pension schemes)
    "load_scheme": "scheme",
    "schemes": "scheme",
    "Scheme": "scheme",
    "SchemeAssumptions": "scheme",
    # survey.py (household surveys: SYNTHETIC ones and an instructor's real one)
    "load_survey": "survey",
    "read_survey": "survey",
    "survey_from_frames": "survey",
    "survey_metadata": "survey",
    "surveys": "survey",
    # economy.py
    "EconomicTable": "economy",
    "Figure": "economy",
    "load_table": "economy",
    "participation_by_age": "economy",
    "macro_inputs": "economy",
    "MACRO_DEFAULTS": "economy",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
