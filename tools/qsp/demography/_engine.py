"""Choice between the pure-numpy kernels and their optional compiled (numba) versions.

numba is an optional accelerator (DESIGN.md, section 3 "Speed"): the library works, and its
tests pass, with plain numpy. The compiled kernels live in :mod:`._numba_kernels`, which is
imported only when a kernel first asks for it, so ``import qsp`` never imports numba.

``engine="auto"`` (the default of the kernels that offer an ``engine`` keyword) uses the
compiled kernel when numba is installed and not disabled, and either

- that compiled kernel has already run in this session: it then costs nothing to start and
  is faster than numpy at every size; or
- the call is large (at least the kernel's threshold of values) and numba is already imported
  in this session: loading the cached machine code then costs a few tens of milliseconds once,
  less than a large call saves.

Otherwise it uses numpy: "auto" never imports numba by itself, because importing it takes
about 0.7-1.5 s on the course machines (2 cores), more than one large life table or
projection saves (measured by ``make bench``, which prints these costs). The first compiled
call after installing also compiles the kernel (a few seconds, once: the machine code is
cached on disk). Ask for ``engine="numba"`` to use it from the first call. Setting the
environment variable ``QSP_DISABLE_NUMBA=1`` makes ``"auto"`` always use numpy and
``"numba"`` an error, as in a Python without numba (e.g. one running in the browser).
"""

from __future__ import annotations

import importlib
import os
import sys

ENGINES = ("auto", "numpy", "numba")
"""Values of the ``engine`` keyword."""
DISABLE_VARIABLE = "QSP_DISABLE_NUMBA"
"""Environment variable that, when set to anything but ``""``/``0``/``false``/``no``, turns numba off."""
_MODULE = __name__.rsplit(".", 1)[0] + "._numba_kernels"


def numba_disabled() -> bool:
    """True when ``QSP_DISABLE_NUMBA`` is set to a true value."""
    return os.environ.get(DISABLE_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def compiled_kernels():
    """The module of compiled kernels (importing numba on first use), or None when numba is
    not installed or is disabled with ``QSP_DISABLE_NUMBA``."""
    if numba_disabled():
        return None
    try:
        return importlib.import_module(_MODULE)
    except ImportError:
        return None


def _loaded(kernel_name: str) -> bool:
    """Whether the compiled kernel ``kernel_name`` has already run in this session."""
    module = sys.modules.get(_MODULE)
    kernel = getattr(module, kernel_name, None) if module is not None else None
    return bool(getattr(kernel, "signatures", None))


def choose(engine: str, *, n_values: int, threshold: int, kernel_name: str):
    """The compiled kernels module to use, or None for numpy.

    Parameters
    ----------
    engine : {"auto", "numpy", "numba"}
        The caller's ``engine`` keyword.
    n_values : int
        Size of the problem (number of input values the kernel reads).
    threshold : int
        With ``"auto"``, numba is used from this size up when numba is already imported (and at
        any size when ``kernel_name`` has already run).
    kernel_name : str
        Name of the compiled function in :mod:`._numba_kernels` the caller would use.

    Raises
    ------
    ValueError
        For an unknown engine, or ``engine="numba"`` when numba is missing or disabled.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")
    if engine == "numpy":
        return None
    if engine == "numba":
        kernels = compiled_kernels()
        if kernels is None:
            reason = (f"it is disabled by the environment variable {DISABLE_VARIABLE}" if numba_disabled()
                      else "it is not installed (pip install numba, or the kit's 'fast' extra)")
            raise ValueError(f"engine='numba' needs the optional numba package, but {reason}; "
                             "use engine='numpy' or engine='auto'.")
        return kernels
    if numba_disabled():
        return None
    if _loaded(kernel_name) or (n_values >= threshold and "numba" in sys.modules):
        return compiled_kernels()
    return None
