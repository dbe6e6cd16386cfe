"""Build the course site (``make site``): every lecture executed with its figures, as static HTML.

The site is a Sphinx project written into ``<out>/_source`` and built with ``myst-nb`` and the
``sphinx-book-theme`` into ``<out>/html``:

- a home page whose table of contents follows the course map (module 0, 1, 2, ...), each module
  a page made from its ``README.md`` with its lecture notebooks below it in course order;
- the syllabus and the three schedules of ``course/``, and the glossary (``qsp.glossary``: one
  page made from ``course/glossary.toml``, one heading per term, so Sphinx's search finds it);
- every lecture notebook of ``modules/`` executed top to bottom in a fresh kernel with the inline
  matplotlib backend, so each ``plt.show()`` leaves its figure in the page. Executed notebooks
  are cached in ``<cache>/<sha256>.ipynb``, keyed by the notebook and by everything it can read
  (the ``qsp`` sources and ``datasets/``): a rebuild executes only what changed;
- interactive widgets (ipywidgets explorers) cannot run in a static page: each is replaced by a
  note saying where it runs (JupyterLab, ``make lab``);
- equations rendered by MathJax 3 served from the site itself (the files of the
  ``django-static-mathjax`` package), on every page (the navigation shows titles with math),
  Sphinx's own search, and nothing loaded from a network:
  the site reads offline, e.g. from ``file://`` or ``python -m http.server -d build/site/html``.

Run it with ``python -m qsp.site [--out build/site] [--jobs 2]``. A lecture that fails to execute
is reported by name with its error; the site is still built from the others, and the command
exits with status 1.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .glossary import load_glossary, render_markdown
from .lectures import ROOT, execute_notebook, lecture_notebooks

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "Interactive explorer: it runs in JupyterLab (<code>make lab</code>, then open this notebook in "
    "<code>modules/</code>). The static course site cannot run it; move the sliders there."
)
COURSE_PAGES = ("syllabus.md", "schedule-intensive-2-weeks.md", "schedule-semester-14-weeks.md",
                "schedule-self-paced.md")


@dataclass(frozen=True)
class ExecutedLecture:
    """One lecture of the site: where its executed copy is, and how it was obtained."""

    notebook: Path
    executed: Path | None
    seconds: float
    cached: bool
    error: str | None = None


NOT_READ_BY_LECTURES = ("site.py", "cli.py", "demo.py", "glossary.py", "course/")
"""Parts of ``qsp`` that no lecture runs (the site and course builders): changing them re-executes nothing."""


def library_fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the ``qsp`` sources and ``datasets/``: what an executed lecture depends on."""
    digest = hashlib.sha256()
    package = root / "tools" / "qsp"
    sources = [p for p in package.rglob("*.py")
               if not p.relative_to(package).as_posix().startswith(NOT_READ_BY_LECTURES)]
    files = sorted(sources) + sorted(
        p for p in (root / "datasets").rglob("*") if p.is_file() and ".cache" not in p.parts)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(notebook: Path, fingerprint: str) -> str:
    """The cache key of one lecture: its own bytes, its path and the library's fingerprint."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(f"{notebook.parent.name}/{notebook.name}".encode())
    digest.update(notebook.read_bytes())
    return digest.hexdigest()


def replace_widgets(notebook) -> int:
    """Replace every widget output by a static note (a widget cannot run in a static page).

    Also drops the saved widget state, so no widget manager is loaded. Returns how many widget
    outputs were replaced.
    """
    import nbformat

    replaced = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                replaced += 1
                outputs.append(nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": f'<div class="admonition note qsp-widget-note"><p>{WIDGET_NOTE}</p></div>',
                          "text/plain": re.sub("<[^>]+>", "", WIDGET_NOTE)}))
            else:
                outputs.append(output)
        cell.outputs = outputs
    notebook.metadata.pop("widgets", None)
    return replaced


def execute_lecture(notebook: Path, cache: Path, fingerprint: str, timeout: int = 300) -> ExecutedLecture:
    """Execute ``notebook`` (or take it from ``cache``); never raises, reports the error instead."""
    target = cache / f"{cache_key(notebook, fingerprint)}.ipynb"
    if target.is_file():
        return ExecutedLecture(notebook, target, 0.0, True)
    start = time.perf_counter()
    try:
        executed = execute_notebook(notebook, timeout=timeout)
        stored = store_executed(notebook, executed, cache, fingerprint)
    except Exception as error:
        return ExecutedLecture(notebook, None, time.perf_counter() - start, False, f"{type(error).__name__}: {error}")
    return ExecutedLecture(notebook, stored, time.perf_counter() - start, False)


def store_executed(notebook: Path, executed, cache: Path, fingerprint: str) -> Path:
    """Keep an executed lecture in the site's ``cache``, as its page will show it; return its path.

    Its widget outputs become static notes and its claim-check cells are left out (they ran with
    the lecture). The lecture tests store what they executed here too, so a site built after them
    (``make site``, the site's browser test) executes nothing again.

    Raises
    ------
    ClaimError
        If a claim-check cell of ``executed`` reported nothing (nothing is stored then).
    """
    import nbformat

    from .lectures import checked_claims, claim_cells

    executed = copy.deepcopy(executed)
    replace_widgets(executed)
    checked_claims(executed)  # a claim-check cell that checked nothing fails the lecture
    hidden = set(claim_cells(executed))  # the checks run with the lecture but are not part of the page
    executed.cells = [cell for index, cell in enumerate(executed.cells) if index not in hidden]
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"{cache_key(notebook, fingerprint)}.ipynb"
    partial = target.with_suffix(f".{os.getpid()}.partial")  # two writers never share a file
    nbformat.write(executed, partial)
    partial.replace(target)
    return target


def _title(markdown: Path) -> str:
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return markdown.parent.name


CONF = '''\
# Generated by qsp.site: the Sphinx configuration of the course site (do not edit; edit qsp/site.py).
project = "Quantitative social protection"
author = "QSP course kit contributors"
extensions = ["myst_nb", "sphinx.ext.mathjax"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"          # executed beforehand by qsp.site, with its cache
nb_ipywidgets_js = {{}}              # no widget manager from a CDN: widgets are replaced by a note
suppress_warnings = ["myst.xref_missing", "myst.header", "misc.highlighting_failure"]
html_theme = "sphinx_book_theme"
html_title = "Quantitative social protection"
html_static_path = ["_static"]
html_theme_options = {{"show_toc_level": 2, "navigation_with_keys": False}}
html_context = {{"default_mode": "light"}}
html_last_updated_fmt = None
# MathJax 3 from this site's own _static/mathjax (the files of the django-static-mathjax package,
# a plain copy of MathJax's es5 build with no Python dependency), never from a CDN.
mathjax_path = "mathjax/tex-mml-chtml.js"
mathjax3_config = {{"options": {{"menuOptions": {{"settings": {{"explorer": False}}}}}}}}
html_favicon = "_static/favicon.svg"


def setup(app):
    # MathJax on every page: the navigation of every page shows titles with math in them.
    app.set_html_assets_policy("always")
'''


def _mathjax_folder() -> Path:
    try:
        import mathjax
    except ImportError:
        raise RuntimeError(
            "the course site needs the package django-static-mathjax (MathJax served from the site, no "
            "CDN): run `make setup` or `pip install -e \".[site]\"`"
        ) from None
    folder = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (folder / "tex-mml-chtml.js").is_file():
        raise RuntimeError(f"{folder} holds no tex-mml-chtml.js: reinstall django-static-mathjax")
    return folder


FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
           'fill="#1f5f8b"/><text x="8" y="12" font-size="10" text-anchor="middle" fill="#fff" '
           'font-family="sans-serif">Q</text></svg>\n')


def write_source(source: Path, lectures: list[ExecutedLecture], root: Path = ROOT) -> list[str]:
    """Write the Sphinx project of the site into ``source``; returns the module pages in order."""
    if source.exists():
        shutil.rmtree(source)
    (source / "_static").mkdir(parents=True)
    shutil.copytree(_mathjax_folder(), source / "_static" / "mathjax",
                    ignore=shutil.ignore_patterns("sre", "*svg*", "*full*", "*speech*", "node-main*", "*.map"))
    (source / "_static" / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    (source / "conf.py").write_text(CONF.format(), encoding="utf-8")
    (source / "course").mkdir()
    for name in COURSE_PAGES:
        shutil.copy2(root / "course" / name, source / "course" / name)
    # The glossary page, made afresh from course/glossary.toml (never a stale copy); Sphinx's search
    # indexes it and each term is a heading, so a lecture's link ...glossary.md#<term> lands on it.
    pages = [f"course/{Path(name).stem}" for name in COURSE_PAGES]
    if (root / "course" / "glossary.toml").is_file():
        glossary = load_glossary(root / "course" / "glossary.toml", root=root)
        (source / "course" / "glossary.md").write_text(render_markdown(glossary), encoding="utf-8")
        pages.append("course/glossary")
    by_module: dict[str, list[ExecutedLecture]] = {}
    for lecture in lectures:
        by_module.setdefault(lecture.notebook.parent.name, []).append(lecture)
    module_pages = []
    for module_dir in sorted(p for p in (root / "modules").iterdir() if (p / "README.md").is_file()):
        built = [lecture for lecture in by_module.get(module_dir.name, []) if lecture.executed is not None]
        target = source / "modules" / module_dir.name
        target.mkdir(parents=True)
        readme = (module_dir / "README.md").read_text(encoding="utf-8")
        toctree = "\n".join(lecture.notebook.stem for lecture in built)
        readme += f"\n\n## Lectures\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"
        (target / "README.md").write_text(readme, encoding="utf-8")
        for lecture in built:
            shutil.copy2(lecture.executed, target / lecture.notebook.name)
        module_pages.append(f"modules/{module_dir.name}/README")
    modules = "\n".join(module_pages)
    course = "\n".join(pages)
    (source / "index.md").write_text(f"""# Quantitative social protection

A course for the people who cost, finance and plan social security systems: project a
population, cost a benefit package, and show how a scheme is financed for decades. Every lecture
below was executed when this site was built; its figures and numbers are the code's own output.
The interactive explorers and the graded assignments run in JupyterLab on your own machine
(`make lab`; see the kit's README).

Start with the [syllabus](course/syllabus.md) and choose a pace: a
[two-week intensive](course/schedule-intensive-2-weeks.md), a
[14-week semester](course/schedule-semester-14-weeks.md) or
[self-paced study](course/schedule-self-paced.md). Then work through the modules in order; the
[glossary](course/glossary.md) explains every term the lectures define.

```{{toctree}}
:caption: The course
:maxdepth: 1

{course}
```

```{{toctree}}
:caption: Modules
:maxdepth: 2
:titlesonly:

{modules}
```
""", encoding="utf-8")
    return module_pages


def build_site(out: Path, *, jobs: int = 2, cache: Path | None = None, timeout: int = 300,
               root: Path = ROOT) -> tuple[list[ExecutedLecture], Path]:
    """Execute the lectures (cached) and build the site; returns the lectures and the HTML folder.

    Raises
    ------
    RuntimeError
        If Sphinx fails (its message says why) or a package of the ``site`` extra is missing.
    ValueError
        If there are no lectures, or ``course/glossary.toml`` has a problem (each one is named).
    """
    from sphinx.cmd.build import build_main

    notebooks = lecture_notebooks(root / "modules")
    if not notebooks:
        raise ValueError(f"no lecture notebooks under {root / 'modules'}")
    cache = cache or out / "executed"
    fingerprint = library_fingerprint(root)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        lectures = list(pool.map(execute_lecture, notebooks, [cache] * len(notebooks),
                                 [fingerprint] * len(notebooks), [timeout] * len(notebooks)))
    used = {lecture.executed.name for lecture in lectures if lecture.executed is not None}
    for stale in cache.glob("*.ipynb"):  # executed copies of older versions: never read again
        if stale.name not in used:
            stale.unlink()
    source, html = out / "_source", out / "html"
    write_source(source, lectures, root)
    if html.exists():
        shutil.rmtree(html)
    status = build_main(["-b", "html", "-q", "-j", str(max(1, jobs)), "-d", str(out / "_doctrees"),
                         str(source), str(html)])
    if status != 0:
        raise RuntimeError(f"sphinx could not build the site (status {status}); its messages are above")
    return lectures, html


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``python -m qsp.site``)."""
    parser = argparse.ArgumentParser(prog="python -m qsp.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder (default build/site)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="executed notebooks, keyed by content (default: <out>/executed)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        lectures, html = build_site(args.out, jobs=args.jobs, cache=args.cache, timeout=args.timeout)
    except (RuntimeError, ValueError) as error:
        print(f"qsp.site: error: {error}", file=sys.stderr)
        return 1
    for lecture in lectures:
        name = f"{lecture.notebook.parent.name}/{lecture.notebook.name}"
        how = "FAILED" if lecture.error else ("cached" if lecture.cached else f"{lecture.seconds:5.1f} s")
        print(f"{name:<55} {how}")
    failed = [lecture for lecture in lectures if lecture.error]
    for lecture in failed:
        print(f"\n{lecture.notebook.parent.name}/{lecture.notebook.name} failed:\n{lecture.error[-3000:]}",
              file=sys.stderr)
    print(f"\n{len(lectures) - len(failed)} of {len(lectures)} lectures on the site "
          f"({sum(lecture.cached for lecture in lectures)} from the cache); built in "
          f"{time.perf_counter() - start:.0f} s.\nOpen {html / 'index.html'} in a browser "
          f"(offline), or serve it: python -m http.server -d {html}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
