"""Execute the lecture notebooks in ``modules/`` and write them as loose HTML pages (:mod:`qsp.site` builds the course site).

Each notebook runs top to bottom in a fresh kernel, from its own folder, exactly as a learner
would run it; the executed copy is exported to ``<out>/<module>/<notebook>.html``. A failing
notebook is reported by name with the error, the others are still built, and the command exits
with status 1.

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

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
"""The matplotlib backend of the lecture kernels: figures stay in the notebook, as in JupyterLab."""


@dataclass(frozen=True)
class LectureRun:
    """Outcome of executing one notebook."""

    notebook: Path
    seconds: float
    html: Path | None
    error: str | None = None


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
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    # The kernel inherits this process's environment: a non-interactive MPLBACKEND (Agg, as CI and
    # `make` set for scripts) would make every plt.show() draw nothing. The inline backend leaves
    # each figure in the notebook as a PNG, as JupyterLab does.
    previous = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        client.execute()
    finally:
        if previous is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = previous
    return notebook


def build_one(path: Path, out: Path, timeout: int = 300) -> LectureRun:
    """Execute one notebook and write its HTML; never raises, reports the error instead."""
    from nbconvert import HTMLExporter

    start = time.perf_counter()
    try:
        notebook = execute_notebook(path, timeout=timeout)
    except Exception as error:
        return LectureRun(path, time.perf_counter() - start, None, f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - start
    body, _ = HTMLExporter().from_notebook_node(notebook)
    target = out / path.parent.name / f"{path.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return LectureRun(path, seconds, target)


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
        print(f"{name:<55} {run.seconds:6.1f} s  {status}")
    failed = [run for run in runs if run.error is not None]
    for run in failed:
        print(f"\n{run.notebook.parent.name}/{run.notebook.name} failed:\n{run.error[-3000:]}", file=sys.stderr)
    print(f"\n{len(runs) - len(failed)} of {len(runs)} lectures executed; HTML in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
