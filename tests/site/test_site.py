"""The course site (`make site`), opened page by page in a real headless Chromium, offline.

The site is built once per test session (`qsp.site`, with its executed-notebook cache in
build/site/executed, shared with `make site`), served from 127.0.0.1, and every page is checked
as a learner would meet it: its figures are images that loaded, its equations were rendered by
MathJax (no raw TeX left), no request left the machine, and the console shows no error.

Needs Debian's `chromium` (`.ci/run` installs it) and the Python package `playwright` (the `site`
extra); Playwright drives the system browser, since browser downloads are impossible here.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import traceback
from pathlib import Path

import nbformat
import pytest
from qsp.lectures import lecture_notebooks

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LECTURES = lecture_notebooks()

pytestmark = [pytest.mark.slow, pytest.mark.notebooks, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the site once per session, even when several pytest-xdist workers ask for it."""
    import fcntl

    from qsp.site import build_site

    temporary = tmp_path_factory.getbasetemp()
    shared = (temporary.parent if os.environ.get("PYTEST_XDIST_WORKER") else temporary) / "qsp-site"
    shared.mkdir(exist_ok=True)
    outcome = shared / "outcome.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.is_file():
            try:
                lectures, html = build_site(shared / "site", jobs=2, cache=ROOT / "build" / "site" / "executed")
                failed = {f"{x.notebook.parent.name}/{x.notebook.name}": x.error for x in lectures if x.error}
                result = {"html": str(html), "failed": failed}
            except Exception:
                result = {"error": traceback.format_exc()}
            outcome.write_text(json.dumps(result))
        result = json.loads(outcome.read_text())
    if "error" in result:
        pytest.fail(f"the site could not be built:\n{result['error']}", pytrace=False)
    assert not result["failed"], f"lectures that failed to execute: {result['failed']}"
    return Path(result["html"])


def _pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if not {"_static", "_sources", "_images"} & set(p.parts))


def test_every_lecture_and_module_has_a_page_in_course_order(site):
    pages = {p.relative_to(site).as_posix() for p in _pages(site)}
    for lecture in LECTURES:
        assert f"modules/{lecture.parent.name}/{lecture.stem}.html" in pages
    for readme in sorted((ROOT / "modules").glob("*/README.md")):
        assert f"modules/{readme.parent.name}/README.html" in pages
    for name in ("syllabus", "schedule-intensive-2-weeks", "schedule-semester-14-weeks", "schedule-self-paced",
                 "glossary"):
        assert f"course/{name}.html" in pages
    assert {"index.html", "search.html"} <= pages
    # The home page's table of contents follows the course map: module 0, 1, 2, ... in order.
    index = (site / "index.html").read_text()
    positions = [index.find(f'href="modules/{readme.parent.name}/README.html"')
                 for readme in sorted((ROOT / "modules").glob("*/README.md"))]
    assert all(p > 0 for p in positions) and positions == sorted(positions), positions


def test_every_glossary_term_has_its_anchor_and_every_lecture_link_lands(site):
    """Each term of course/glossary.toml is a heading of the glossary page with the anchor the lectures use,
    the search index holds the page, and every glossary link of a lecture points at an existing anchor."""
    from qsp.glossary import load_glossary

    glossary = (site / "course" / "glossary.html").read_text()
    ids = set(re.findall(r'id="([^"]+)"', glossary))
    missing = sorted(term.anchor for term in load_glossary(check_functions=False).terms if term.anchor not in ids)
    assert not missing, f"terms without their anchor on the glossary page: {missing}"
    assert "course/glossary" in (site / "searchindex.js").read_text(), "the glossary page is not in the search index"
    for lecture in LECTURES:
        page = (site / "modules" / lecture.parent.name / f"{lecture.stem}.html").read_text()
        for target in re.findall(r'href="\.\./\.\./course/glossary\.html#([^"]+)"', page):
            assert target in ids, f"{lecture.name} links the glossary at #{target}, which the page does not have"


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_plt_show_leaves_a_figure(site, lecture):
    notebook = nbformat.read(lecture, as_version=4)
    shows = sum(cell.source.count("plt.show()") for cell in notebook.cells if cell.cell_type == "code")
    page = (site / "modules" / lecture.parent.name / f"{lecture.stem}.html").read_text()
    images = re.findall(r'<img [^>]*src="([^"]+\.png)"', page)
    assert len(images) >= min(shows, 1), f"{lecture.name} calls plt.show() {shows} times but its page has {len(images)} images"
    for source in images:
        assert (site / "modules" / lecture.parent.name / source).resolve().is_file(), source
    widgets = sum('"@jupyter-widgets' in line or "interact" in line for cell in notebook.cells
                  for line in cell.source.splitlines() if cell.cell_type == "code")
    assert "widget-view+json" not in page and "@jupyter-widgets/html-manager" not in page
    if widgets and "qsp.widgets" in "".join(c.source for c in notebook.cells):
        assert "qsp-widget-note" in page, f"{lecture.name} has an explorer but its page says nothing about it"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports what matters
        pass


@pytest.fixture(scope="module")
def served(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


CHECK_PAGE = """async () => {
  document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = 'eager'; });
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  const mathCount = document.querySelectorAll('.math').length;
  const mathjax = Boolean(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise);
  if (mathjax) { await window.MathJax.startup.promise; }
  const unrendered = Array.from(document.querySelectorAll('.math'))
    .filter(m => !m.querySelector('mjx-container'))
    .map(m => m.textContent.slice(0, 60));
  const prose = document.querySelector('body').cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container, .math').forEach(e => e.remove());
  const text = prose.textContent;
  return {
    images: document.images.length,
    broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    mathCount, unrendered, mathjax,
    errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    rawTex: ['$$', '\\\\[', '\\\\(', '\\\\begin{', '\\\\frac'].filter(t => text.includes(t)),
    title: document.title,
  };
}"""


def test_every_page_renders_offline_in_chromium(site, served, tmp_path):
    if not CHROMIUM.is_file():
        pytest.fail("Debian's chromium is not installed (/usr/bin/chromium): `apt-get install -y chromium` "
                    "(.ci/run does this)", pytrace=False)
    from playwright.sync_api import sync_playwright

    problems, external = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(served + "/") or url.startswith(("data:", "blob:")):
                request_route.continue_()
            else:
                external.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
        failed_requests: list[str] = []
        # A request cut short by the next page's navigation (ERR_ABORTED, e.g. the favicon) is not a fault.
        page.on("requestfailed", lambda request: None if "ERR_ABORTED" in (request.failure or "")
                else failed_requests.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: failed_requests.append(f"{response.url} (HTTP {response.status})")
                if response.status >= 400 else None)
        pages = _pages(site)
        for path in pages:
            relative = path.relative_to(site).as_posix()
            console.clear()
            failed_requests.clear()
            seen_external = len(external)
            response = page.goto(f"{served}/{relative}", wait_until="load")
            result = page.evaluate(CHECK_PAGE)
            page.wait_for_load_state("networkidle")  # this page's late events arrive before the next page
            if response is None or response.status != 200:
                problems.append(f"{relative}: HTTP {response.status if response else 'no response'}")
            if result["broken"]:
                problems.append(f"{relative}: images that did not load: {result['broken']}")
            if result["mathCount"] and not result["mathjax"]:
                problems.append(f"{relative}: {result['mathCount']} equations but MathJax did not load")
            if result["unrendered"]:
                problems.append(f"{relative}: equations not rendered: {result['unrendered'][:3]}")
            if result["errors"]:
                problems.append(f"{relative}: {result['errors']} TeX errors")
            if result["rawTex"]:
                problems.append(f"{relative}: raw TeX in the text: {result['rawTex']}")
            if console:
                problems.append(f"{relative}: console errors: {console[:3]}")
            if len(external) > seen_external:
                problems.append(f"{relative}: requests that would leave the machine: {external[seen_external:][:3]}")
            local_failures = [u for u in failed_requests if u.startswith(served)]
            if local_failures:
                problems.append(f"{relative}: requests that failed: {local_failures[:3]}")
            if relative == "modules/01-life-tables/01-complete-life-table.html":
                assert result["images"] >= 3 and result["mathCount"] >= 5, result
        # Search works offline: Sphinx's own index finds a lecture by a word of its text.
        page.goto(f"{served}/search.html?q=Gompertz", wait_until="load")
        page.wait_for_selector("#search-results li, ul.search li", timeout=20_000)
        hits = page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.getAttribute('href'))")
        assert any("03-mortality-laws" in href for href in hits), hits
        # ... and the glossary by a term, and a lecture's glossary link lands on the term's heading.
        page.goto(f"{served}/search.html?q=scaled%20premium", wait_until="load")
        page.wait_for_selector("#search-results li, ul.search li", timeout=20_000)
        hits = page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.getAttribute('href'))")
        assert any("course/glossary.html" in href for href in hits), hits
        page.goto(f"{served}/modules/06-pensions/01-financing-systems.html", wait_until="load")
        page.click("a[href$='course/glossary.html#payg-cost-rate']")
        assert page.url.endswith("course/glossary.html#payg-cost-rate")
        assert page.locator("#payg-cost-rate h3").inner_text().strip().startswith("PAYG cost rate")
        # Navigation: the home page's table of contents leads to module 1 and its first lecture.
        page.goto(f"{served}/index.html", wait_until="load")
        page.click("text=Module 1")
        assert page.url.endswith("modules/01-life-tables/README.html")
        page.click("article >> text=01-complete-life-table.ipynb")
        assert "01-complete-life-table" in page.url
        browser.close()
    assert not problems, f"{len(problems)} problem(s) in {len(pages)} pages:\n" + "\n".join(problems)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_failing_lecture_is_reported_and_the_cache_reexecutes_only_what_changed(tmp_path):
    """A small course in tmp_path: one lecture that works (with a figure and a widget), one that fails."""
    from qsp.site import build_site

    module = tmp_path / "modules" / "00-demo"
    module.mkdir(parents=True)
    (module / "README.md").write_text("# Module 0 · Demo\n\nThe lectures, in order.\n")
    (tmp_path / "course").mkdir()
    for name in ("syllabus", "schedule-intensive-2-weeks", "schedule-semester-14-weeks", "schedule-self-paced"):
        (tmp_path / "course" / f"{name}.md").write_text(f"# {name}\n\nSee $e_0$.\n")
    (tmp_path / "course" / "glossary.toml").write_text(
        '[sources]\npreston2001 = "Preston, S. H. et al. (2001). Demography."\n\n[[term]]\nterm = "death rate"\n'
        'definition = "Deaths per person-year."\nsource = "preston2001"\nlecture = "modules/00-demo/01-works.ipynb"\n')
    good = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A figure\n\nThe [death rate](../../course/glossary.md#death-rate):\n\n"
                                      "$$m_x = D_x / E_x$$"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"),
        nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3)"),
    ])
    nbformat.write(good, module / "01-works.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('on purpose')")]),
                   module / "02-fails.ipynb")
    cache = tmp_path / "cache"
    lectures, html = build_site(tmp_path / "out", jobs=1, cache=cache, root=tmp_path)
    by_name = {lecture.notebook.name: lecture for lecture in lectures}
    assert by_name["01-works.ipynb"].error is None and not by_name["01-works.ipynb"].cached
    assert "on purpose" in by_name["02-fails.ipynb"].error and by_name["02-fails.ipynb"].executed is None
    page = (html / "modules" / "00-demo" / "01-works.html").read_text()
    assert re.search(r'<img [^>]*src="[^"]+\.png"', page), "the figure of plt.show() is not on the page"
    assert "qsp-widget-note" in page and "widget-view+json" not in page
    assert 'href="../../course/glossary.html#death-rate"' in page, "the lecture's glossary link did not resolve"
    assert 'id="death-rate"' in (html / "course" / "glossary.html").read_text()
    assert not (html / "modules" / "00-demo" / "02-fails.html").exists()
    # A second build takes the working lecture from the cache; changing it executes it again.
    lectures, _ = build_site(tmp_path / "out", jobs=1, cache=cache, root=tmp_path)
    assert {x.notebook.name: x.cached for x in lectures}["01-works.ipynb"] is True
    good.cells[1].source = good.cells[1].source.replace("[1, 2, 3]", "[3, 2, 1]")
    nbformat.write(good, module / "01-works.ipynb")
    lectures, _ = build_site(tmp_path / "out", jobs=1, cache=cache, root=tmp_path)
    assert {x.notebook.name: x.cached for x in lectures}["01-works.ipynb"] is False
    assert len(list(cache.glob("*.ipynb"))) == 1, "the executed copy of the old version was not pruned"
