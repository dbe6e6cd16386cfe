"""Execute the lecture notebooks in ``modules/`` and write them as loose HTML pages (:mod:`qsp.site` builds the course site).

Each notebook runs top to bottom in a fresh kernel, from its own folder, exactly as a learner
would run it; the executed copy is exported to ``<out>/<module>/<notebook>.html``. A failing
notebook is reported by name with the error, the others are still built, and the command exits
with status 1.

Claims in the text are checked as the lectures run. A sentence of a lecture that states a number
or a comparison ("by 3.3 to 6.3 years", "already above the contribution rate") is either printed
from the value the code computed, or asserted right after that code by a **claim check**: a code
cell tagged ``claim-check`` that calls :func:`claim`::

    from qsp.lectures import claim
    claim("women outlive men in every country, by 3.3 to 6.3 years",
          gap.min() > 0 and round(gap.min(), 1) == 3.3 and round(gap.max(), 1) == 6.3,
          smallest=gap.min(), largest=gap.max())

A false claim stops the lecture with the sentence and the values, so a change of data or code
fails the build instead of leaving the text stale. A check asserts the *sentence*, not a digit
that happens to hold today. Claim-check cells are left out of the rendered HTML; every claim
checked is listed by this command and by the lecture tests.

Run it with ``python -m qsp.lectures --out build/lectures [--jobs 2] [PATTERN ...]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's top folder (``tools/qsp`` is two levels below it)."""

CLAIM_TAG = "claim-check"
"""The cell tag of a claim check: the cell runs with the lecture and is left out of its HTML."""

CLAIM_PREFIX = "claim checked: "
"""How :func:`claim` reports a claim that holds (one line of the cell's output)."""


class ClaimError(AssertionError):
    """A sentence of a lecture's text is no longer true of the values its code computed."""


def _shown(value: object) -> str:
    """A value as a claim's report shows it: numbers to 4 significant digits, arrays as ``[a, b]``."""
    import numpy as np

    if isinstance(value, np.ndarray) and value.ndim > 0 and value.dtype.kind in "biuf":
        return "[" + ", ".join(_shown(item) for item in value.ravel()) + "]"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(value)
    return f"{number:.4g}"


def claim(sentence: str, holds: object, **values: object) -> None:
    """Assert that a sentence of the lecture's text is true of the computed values.

    Parameters
    ----------
    sentence : str
        The claim, in the lecture's words (or close to them), e.g. ``"the PAYG cost rate in
        2025 is already above the 17.5 % contribution rate"``.
    holds : bool
        The comparison that makes the sentence true, computed from the lecture's own variables
        (a Python or numpy boolean; an array of several values is refused).
    **values
        The numbers the claim rests on, shown in the report and in the error.

    Raises
    ------
    ClaimError
        When ``holds`` is false: the message quotes the sentence and the values, and says how to
        fix the lecture.
    TypeError
        When ``sentence`` is not a non-empty string, or ``holds`` is not a single truth value.

    Examples
    --------
    >>> claim("the reserve lasts beyond 2050", 2061 > 2050, exhaustion_year=2061)
    claim checked: the reserve lasts beyond 2050 (exhaustion_year=2061)
    """
    if not isinstance(sentence, str) or not sentence.strip():
        raise TypeError(f"claim: sentence must be the lecture's sentence as a non-empty string, got {sentence!r}.")
    try:
        truth = bool(holds)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"claim {sentence!r}: holds must be one truth value, got {type(holds).__name__} ({error}). "
            "Reduce an array with .all() or .any(), or compare single numbers."
        ) from None
    shown = ", ".join(f"{name}={_shown(value)}" for name, value in values.items())
    if not truth:
        raise ClaimError(
            f"The lecture says {sentence!r}, but its computed values say otherwise"
            f"{f' ({shown})' if shown else ''}. The data or the code changed: rewrite the sentence "
            "so that it is true of the numbers (better: print it from them), then update this check."
        )
    print(f"{CLAIM_PREFIX}{sentence}{f' ({shown})' if shown else ''}")


def claim_cells(notebook) -> list[int]:
    """Indices of the code cells tagged ``claim-check`` in a notebook node."""
    return [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and CLAIM_TAG in cell.get("metadata", {}).get("tags", [])
    ]


def untagged_claims(notebook) -> list[int]:
    """Indices of code cells that call ``claim(`` without the ``claim-check`` tag (they would show)."""
    tagged = set(claim_cells(notebook))
    return [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and "claim(" in cell.source and i not in tagged
    ]


def checked_claims(notebook) -> list[str]:
    """The claims reported by the claim-check cells of an *executed* notebook node, in order.

    Raises
    ------
    ClaimError
        When a claim-check cell ran but reported no claim (a check that checks nothing).
    """
    found: list[str] = []
    for i in claim_cells(notebook):
        lines = [
            line[len(CLAIM_PREFIX) :]
            for output in notebook.cells[i].get("outputs", [])
            if output.get("output_type") == "stream"
            for line in output.get("text", "").splitlines()
            if line.startswith(CLAIM_PREFIX)
        ]
        if not lines:
            raise ClaimError(f"cell {i} is tagged {CLAIM_TAG!r} but reported no claim: call qsp.lectures.claim in it.")
        found.extend(lines)
    return found

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
"""The matplotlib backend of the lecture kernels: figures stay in the notebook, as in JupyterLab."""


@dataclass(frozen=True)
class LectureRun:
    """Outcome of executing one notebook."""

    notebook: Path
    seconds: float
    html: Path | None
    error: str | None = None
    claims: tuple[str, ...] = ()


def lecture_notebooks(modules_dir: Path | None = None, patterns: list[str] | None = None) -> list[Path]:
    """The lecture notebooks, ``modules/<module>/<notebook>.ipynb``, in course order.

    ``patterns`` keeps only the notebooks whose ``<module>/<notebook>`` path contains one of them.
    """
    folder = modules_dir or ROOT / "modules"
    found = sorted(path for path in folder.glob("*/*.ipynb") if ".ipynb_checkpoints" not in path.parts)
    if patterns:
        found = [path for path in found if any(p in f"{path.parent.name}/{path.name}" for p in patterns)]
    return found


def execute_notebook(path: Path, *, timeout: int = 300):
    """Execute ``path`` in a fresh ``python3`` kernel, from its own folder; return the notebook node.

    The kernel draws with the inline backend (:data:`INLINE_BACKEND`), whatever ``MPLBACKEND`` this
    process has, so each ``plt.show()`` leaves a PNG in the notebook's outputs.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell fails; the message holds the cell's traceback.
    """
    from ._startup import skip_slow_optional_imports

    skip_slow_optional_imports()  # before nbformat: qsp._startup says why
    import nbformat
    from nbclient import NotebookClient

    from .kernels import socket_kernel_config

    notebook = nbformat.read(path, as_version=4)
    # The kernel inherits this process's environment: a non-interactive MPLBACKEND (Agg, as CI and
    # `make` set for scripts) would make every plt.show() draw nothing. The inline backend leaves
    # each figure in the notebook as a PNG, as JupyterLab does.
    previous = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        with socket_kernel_config() as config:  # Unix sockets: kernels started side by side never collide
            client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", config=config,
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()
    finally:
        if previous is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = previous
    return notebook


def build_one(path: Path, out: Path, timeout: int = 300) -> LectureRun:
    """Execute one notebook, check its claims and write its HTML without the claim-check cells.

    Never raises: a failing cell, a false claim or a claim-check cell that checks nothing is
    reported as the run's error instead.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    start = time.perf_counter()
    try:
        notebook = execute_notebook(path, timeout=timeout)
        claims = tuple(checked_claims(notebook))
        untagged = untagged_claims(notebook)
        if untagged:
            raise ClaimError(f"cells {untagged} call claim( but are not tagged {CLAIM_TAG!r}: tag them.")
    except Exception as error:
        return LectureRun(path, time.perf_counter() - start, None, f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - start
    exporter = HTMLExporter()
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={CLAIM_TAG}), enabled=True)
    body, _ = exporter.from_notebook_node(notebook)
    target = out / path.parent.name / f"{path.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return LectureRun(path, seconds, target, claims=claims)


def build(out: Path, *, jobs: int = 2, patterns: list[str] | None = None, timeout: int = 300) -> list[LectureRun]:
    """Execute every lecture (``jobs`` at a time) and write the HTML under ``out``."""
    notebooks = lecture_notebooks(patterns=patterns)
    if not notebooks:
        raise ValueError(f"no lecture notebooks found under {ROOT / 'modules'} matching {patterns or 'anything'}.")
    out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(build_one, notebooks, [out] * len(notebooks), [timeout] * len(notebooks)))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m qsp.lectures", description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="only notebooks whose module/name contains one of these")
    parser.add_argument("--out", type=Path, default=Path("build/lectures"), help="output folder")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    args = parser.parse_args(argv)
    runs = build(args.out, jobs=args.jobs, patterns=args.patterns, timeout=args.timeout)
    for run in runs:
        name = f"{run.notebook.parent.name}/{run.notebook.name}"
        status = f"-> {run.html}" if run.error is None else "FAILED"
        print(f"{name:<55} {run.seconds:6.1f} s  {status}  ({len(run.claims)} claims checked)")
        for text in run.claims:
            print(f"    claim: {text}")
    failed = [run for run in runs if run.error is not None]
    for run in failed:
        print(f"\n{run.notebook.parent.name}/{run.notebook.name} failed:\n{run.error[-3000:]}", file=sys.stderr)
    claims = sum(len(run.claims) for run in runs)
    print(f"\n{len(runs) - len(failed)} of {len(runs)} lectures executed, {claims} claims in their text checked; HTML in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
