"""The choice of engine of :func:`~qsp.pensions.insured.project_insured`: numpy, or the compiled kernels."""

from __future__ import annotations

import importlib
import sys

from ...demography import _engine

_NUMBA_MIN_VALUES = 1_000_000
"""With ``engine="auto"``, numba is used from this many service cells x years (``2 x member ages x
service values x scenarios x years``; the benchmark scheme has 390,000 per scenario over 75 years)
when numba is already imported, and at any size once the compiled kernels have run in the session
(the rule of :mod:`qsp.demography._engine`)."""
_KERNELS_MODULE = __name__.rsplit(".", 2)[0] + "._numba_kernels"      # qsp.pensions._numba_kernels


def _kernels(engine: str, *, n_values: int):
    """The compiled kernels module (:mod:`qsp.pensions._numba_kernels`) to use, or None for the numpy path.

    The choice of :func:`qsp.demography._engine.choose`, for the kernels of the insured projection.

    Parameters
    ----------
    engine : {"auto", "numpy", "numba"}
        The ``engine=`` of :func:`~qsp.pensions.insured.project_insured`.
    n_values : int
        Service cells x years of the projection (the size that makes the compiled kernels pay).

    Returns
    -------
    module or None
        The kernels, or None for the numpy path.

    Raises
    ------
    ValueError
        An unknown engine, or ``engine="numba"`` without numba.
    """
    if engine not in _engine.ENGINES:
        raise ValueError(f"engine must be one of {_engine.ENGINES}, got {engine!r}.")
    if engine == "numpy":
        return None
    disabled = _engine.numba_disabled()
    if engine == "auto":
        loaded = sys.modules.get(_KERNELS_MODULE)
        ran = loaded is not None and bool(getattr(loaded.insured_end_of_year, "signatures", None))
        if disabled or not (ran or (n_values >= _NUMBA_MIN_VALUES and "numba" in sys.modules)):
            return None
    kernels = None
    if not disabled:
        try:
            kernels = importlib.import_module(_KERNELS_MODULE)
        except ImportError:
            kernels = None
    if engine == "numba" and kernels is None:
        reason = (f"it is disabled by the environment variable {_engine.DISABLE_VARIABLE}" if disabled
                  else "it is not installed (pip install numba, or the kit's 'fast' extra)")
        raise ValueError(f"engine='numba' needs the optional numba package, but {reason}; use engine='numpy' or "
                         "engine='auto'.")
    return kernels
