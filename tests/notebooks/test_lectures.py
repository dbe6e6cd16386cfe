"""Every lecture notebook executes top to bottom in a fresh kernel, is committed clean, and its
text's claims hold: each claim-check cell asserts a sentence against the computed values; the
claims checked are listed at the end of the test run (see tests/notebooks/conftest.py)."""

import functools
import time
from pathlib import Path

import nbformat
import pytest
from qsp.lectures import (
    CLAIM_TAG,
    ClaimError,
    checked_claims,
    claim,
    claim_cells,
    execute_notebook,
    lecture_notebooks,
    main,
    untagged_claims,
)

LECTURES = lecture_notebooks()
SECONDS_ALLOWED = 60
SITE_CACHE = Path(__file__).resolve().parents[2] / "build" / "site" / "executed"
"""Where `make site` and the site's browser test look for executed lectures before executing one."""


@functools.cache
def _library_fingerprint() -> str:
    from qsp.site import library_fingerprint

    return library_fingerprint()


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_there_are_lectures_for_modules_0_to_2():
    modules = {path.parent.name for path in LECTURES}
    assert {"00-tools", "01-life-tables", "02-projection"} <= modules, f"lecture modules found: {sorted(modules)}"


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not dirty, f"{_id(path)} has outputs in cells {dirty}: clear them (jupyter nbconvert --clear-output --inplace)"


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_claim_checks_are_tagged_so_they_stay_off_the_page(path):
    notebook = nbformat.read(path, as_version=4)
    assert not untagged_claims(notebook), (
        f"{_id(path)}: cells {untagged_claims(notebook)} call claim( without the {CLAIM_TAG!r} tag"
    )
    for i in claim_cells(notebook):
        assert "claim(" in notebook.cells[i].source, f"{_id(path)}: cell {i} is tagged {CLAIM_TAG!r} but calls no claim"


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.xdist_group("site")  # on the site test's worker, before it: the site then reads what they executed
@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_executes_in_a_fresh_kernel(path, record_property):
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    notebook = execute_notebook(path, timeout=SECONDS_ALLOWED * 2)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the kernel's processor time (it is this process's child, reaped at shutdown): what the lecture
    # costs a learner's machine, whatever else the test machine is running at the same time
    processor = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    claims = checked_claims(notebook)  # raises if a claim-check cell reported nothing
    assert len(claims) >= len(claim_cells(notebook))
    record_property("claims", claims)
    from qsp.site import store_executed

    store_executed(path, notebook, SITE_CACHE, _library_fingerprint())  # the site need not run it again
    assert processor < SECONDS_ALLOWED, (
        f"{_id(path)} used {processor:.0f} s of processor time ({seconds:.0f} s on the clock); lectures must run "
        "in well under a minute")


def test_claim_reports_a_true_claim_with_its_values(capsys):
    claim("the cost rate is above the contribution rate", 0.1781 > 0.175, cost_rate=0.17812, contribution=0.175)
    assert capsys.readouterr().out == (
        "claim checked: the cost rate is above the contribution rate (cost_rate=0.1781, contribution=0.175)\n"
    )


def test_a_false_claim_fails_with_the_sentence_and_the_values():
    with pytest.raises(ClaimError, match=r"says 'women outlive men by 3 to 6\.5 years'.*largest=6\.3.*rewrite"):
        claim("women outlive men by 3 to 6.5 years", round(6.3, 1) == 6.5, largest=6.3)


@pytest.mark.parametrize("sentence, holds", [("", True), ("fine", [True, False])])
def test_claim_refuses_an_empty_sentence_or_an_ambiguous_truth(sentence, holds):
    import numpy as np

    with pytest.raises(TypeError, match="claim"):
        claim(sentence, np.array(holds))


def _tagged(source: str):
    return nbformat.v4.new_code_cell(source, metadata={"tags": [CLAIM_TAG]})


def test_lecture_builder_checks_claims_and_leaves_the_checks_off_the_page(tmp_path, monkeypatch, capsys):
    import qsp.lectures as lectures

    cells = [
        nbformat.v4.new_code_cell("from qsp.lectures import claim\ngap = 4.25"),
        _tagged("claim('the gap is above four years', gap > 4, gap=gap)  # HIDDEN-CHECK"),
    ]
    good = tmp_path / "modules" / "98-claims" / "01-holds.ipynb"
    good.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), good)
    stale = tmp_path / "modules" / "98-claims" / "02-stale.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cells[0], _tagged("claim('the gap is below two years', gap < 2, gap=gap)")]), stale)
    empty = tmp_path / "modules" / "98-claims" / "03-empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cells[0], _tagged("x = 1  # a check that checks nothing")]), empty)
    monkeypatch.setattr(lectures, "ROOT", tmp_path)

    assert main(["--out", str(tmp_path / "html"), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert "claim: the gap is above four years (gap=4.25)" in captured.out
    assert "1 of 3 lectures executed, 1 claims in their text checked" in captured.out
    assert "02-stale.ipynb" in captured.err and "the gap is below two years" in captured.err
    assert "03-empty.ipynb" in captured.err and "reported no claim" in captured.err
    page = (tmp_path / "html" / "98-claims" / "01-holds.html").read_text()
    assert "from" in page and "4.25" in page and "HIDDEN" not in page and "four years" not in page


def test_lecture_builder_reports_a_failing_notebook_by_name(tmp_path, monkeypatch, capsys):
    import qsp.lectures as lectures

    broken = tmp_path / "modules" / "99-broken" / "01-fails.ipynb"
    broken.parent.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('on purpose')")])
    nbformat.write(notebook, broken)
    monkeypatch.setattr(lectures, "ROOT", tmp_path)
    assert main(["--out", str(tmp_path / "html"), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert "99-broken/01-fails.ipynb" in captured.err and "on purpose" in captured.err
    assert "0 of 1 lectures executed" in captured.out
