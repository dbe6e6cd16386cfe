"""Lazy attribute loading for sub-packages, so ``import qsp`` stays fast (DESIGN.md section 3)."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Build ``__getattr__`` and ``__dir__`` for a package whose public names live in submodules.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : dict
        Public name -> submodule name (relative, e.g. ``"lifetable"``).
    """

    def __getattr__(name: str) -> object:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{exports[name]}")
        value = module if exports[name] == name else getattr(module, name)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
