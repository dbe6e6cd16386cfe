"""Economy: the macroeconomic frame of a social budget (GDP, prices, wages, interest, government
revenue and expenditure, exchange rate and PPP), year by year and vectorised over scenarios.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # macro.py
    "MacroAssumptions": "macro",
    "MacroFrame": "macro",
    "project_macro": "macro",
    # convert.py
    "ppp_dollars_to_national": "convert",
    "national_to_ppp_dollars": "convert",
    "to_real": "convert",
    "growth_rates": "convert",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
