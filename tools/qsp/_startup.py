"""Start-up cost of the kit's own processes: skip optional imports that cost much and do nothing here.

``jsonschema`` (which ``nbformat`` imports to validate notebooks) loads ``rfc3987_syntax`` if it is
installed (it comes with ``jupyter-events``' ``jsonschema[format-nongpl]``), to check the ``iri``
string format. That module builds a ``lark`` grammar when imported: about 1.3 s of processor time,
measured, in every process that reads or runs a notebook, for a format no notebook schema uses.
The kit's own processes (the ``qsp`` command, the grading sandbox, the autograding workers, the
lecture runner) mark it as absent, so ``jsonschema`` skips that one check, as it does when the
package is not installed.

Importing this module applies :func:`skip_slow_optional_imports` (so that a ``multiprocessing``
forkserver can preload it by name); calling the function again does nothing more.
"""

from __future__ import annotations

import sys

SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)
"""Optional modules that a dependency tries to import and that the kit never needs."""


def skip_slow_optional_imports() -> None:
    """Mark :data:`SLOW_OPTIONAL_MODULES` as absent in this process, unless already imported.

    Call it before the first ``import nbformat`` (or ``nbclient``, ``nbgrader``): an
    ``import rfc3987_syntax`` then raises ``ImportError``, which ``jsonschema`` expects for an
    optional format checker.
    """
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


skip_slow_optional_imports()
