"""Mortality models: the public face of :mod:`.mortality_laws` and :mod:`.lee_carter`.

- Parametric laws, each with an evaluating function, a frozen parameter dataclass and a fit:
  Gompertz and Gompertz-Makeham (``fit_gompertz``, ``fit_gompertz_makeham``), Kannisto
  (``fit_kannisto``) and the HMD-style closure of old ages (``close_old_ages``),
  Heligman-Pollard (``fit_heligman_pollard``) and the Brass relational logit model
  (``fit_brass_logit``).
- The Lee-Carter model and its random-walk forecast (``fit_lee_carter``).

See the two modules for the formulas, conventions and references.
"""

from .lee_carter import LeeCarter, LeeCarterForecast, fit_lee_carter
from .mortality_laws import (
    HP_AUSTRALIA_MALES_1970,
    BrassLogit,
    Gompertz,
    GompertzMakeham,
    HeligmanPollard,
    Kannisto,
    brass_logit,
    close_old_ages,
    fit_brass_logit,
    fit_gompertz,
    fit_gompertz_makeham,
    fit_heligman_pollard,
    fit_kannisto,
    gompertz,
    gompertz_makeham,
    heligman_pollard,
    kannisto,
)

__all__ = [
    "HP_AUSTRALIA_MALES_1970",
    "BrassLogit",
    "Gompertz",
    "GompertzMakeham",
    "HeligmanPollard",
    "Kannisto",
    "LeeCarter",
    "LeeCarterForecast",
    "brass_logit",
    "close_old_ages",
    "fit_brass_logit",
    "fit_gompertz",
    "fit_gompertz_makeham",
    "fit_heligman_pollard",
    "fit_kannisto",
    "fit_lee_carter",
    "gompertz",
    "gompertz_makeham",
    "heligman_pollard",
    "kannisto",
]
