"""The course glossary (course/glossary.toml, qsp.glossary): its data, its page and the lectures' links.

Cheap: the notebooks are read as JSON, never executed. The site test (tests/site) checks the built
page: every term's anchor is there and every lecture link lands on one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qsp.glossary import (
    PAGE_FILE,
    Bold,
    anchor,
    bold_spans,
    glossary_links,
    load_glossary,
    main,
    render_markdown,
)
from qsp.lectures import lecture_notebooks

ROOT = Path(__file__).resolve().parents[1]
LECTURES = lecture_notebooks(ROOT / "modules")

# Bold text in lectures that is emphasis or a label, not the definition of a term. The rules of
# qsp.glossary.Bold.label already pass formulas, run-in headings ("**Fertility.**", "**Next**:"),
# sentences and phrases that open with a function word ("**not**", "**the UN's assumed path**").
# What is left here is listed by hand, lower case. Before adding to it, ask: does the lecture
# *define* this word? If so, add it to course/glossary.toml instead (as a term or an alias).
NOT_DEFINITIONS = {
    # single words stressed in a sentence
    "aggregate", "assume", "beginning", "bound", "cells", "changes", "choose", "closes", "cost",
    "die", "distribution", "end", "exactly", "fractions", "frozen", "high", "illustrative", "income", "linear",
    "logarithmic", "low", "men", "model", "multiply", "negative", "new", "observed", "other", "overall", "pays",
    "percent", "position", "projected", "smooth", "start", "sum", "tables", "source", "rate", "yearly",
    # phrases stressed in a sentence
    "leave them out", "worst single group", "lower bound", "administration", "at equal cost",
    "averaged over the poor only", "batch", "before", "between", "everyone", "household", "households", "mistakes",
    "people", "per capita", "unweighted", "within", "poor left out", "perfect targeting",
    # the names of parts the lectures walk through (budget branches, components, parameters)
    "children", "children and families", "health", "pensions", "fertility", "mortality", "level", "shape",
    "standard", "cap", "capped", "young end", "neighbouring groups", "government's",
    # short phrases stressed in a sentence, each explained where it stands
    "accrual cut", "constant percentage", "cost path", "dates", "element by element",
    "growth of the economy", "illustrative teaching assumptions", "includes production for own use",
    "indexes it to prices", "inflation does not appear", "last line", "longer lives", "positive and negative",
    "rate times a base", "shares are fractions", "shifted by one age", "size relative to gdp", "wrong sign",
    "staircase",  # the naive step graduation (02/01) and the scaled premium's shape (06/01): a picture
    "shift", "shift+enter",  # keys to press
    "cameroon",  # a country named in a comparison
    "you will learn to",  # the opening label of a lecture
}


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()  # also imports every `function` and checks every `lecture` exists


def test_the_glossary_has_enough_terms_each_complete(glossary):
    assert len(glossary) >= 150
    for term in glossary.terms:
        assert term.definition and term.source and term.lecture, term
        assert (ROOT / term.lecture).is_file(), term.lecture
        assert term.source_key in glossary.sources, term
    # The terms the issue names are all there.
    for name in ("coverage", "contingency", "PAYG", "general average premium", "scaled premium", "reserve ratio",
                 "replacement rate", "demographic dependency ratio", "system dependency ratio", "social budget",
                 "social protection floor", "fiscal envelope", "standard beneficiary", "qualifying period",
                 "l_x", "d_x", "q_x", "m_x", "L_x", "T_x", "e_x", "a_x", "TFR", "NRR", "net migration",
                 "cohort-component method", "graduation", "commutation functions", "annuity"):
        assert glossary.find(name) is not None or any(t.symbol == name for t in glossary.terms), name


def test_functions_resolve_to_what_computes_the_term(glossary):
    import qsp.pensions

    by_term = {term.term: term for term in glossary.terms}
    assert by_term["PAYG cost rate"].function == "qsp.pensions.payg_cost_rate"
    from qsp.glossary import resolve

    assert resolve("qsp.pensions.general_average_premium") is qsp.pensions.general_average_premium
    assert resolve("qsp.labour.LabourMarket.wage_bill") is not None  # a method of a class resolves too
    with pytest.raises(ImportError, match="no attribute 'not_a_function'"):
        resolve("qsp.pensions.not_a_function")


def test_the_committed_page_is_up_to_date(glossary):
    assert PAGE_FILE.read_text(encoding="utf-8") == render_markdown(glossary), (
        "course/glossary.md is out of date: run `.venv/bin/python -m qsp.glossary`")
    assert main(["--check"]) == 0


def test_the_page_has_one_heading_per_term_with_its_anchor(glossary):
    from myst_parser.slugs import github_slugify  # the slug MyST (the site) and GitHub give a heading

    page = render_markdown(glossary)
    headings = [line[4:] for line in page.splitlines() if line.startswith("### ")]
    assert headings == [term.term for term in glossary.terms]
    for term in glossary.terms:
        assert term.anchor == github_slugify(term.term), term.term
    assert anchor("Lotka's equation") == "lotkas-equation"


def test_every_glossary_link_of_a_lecture_points_to_an_existing_anchor(glossary):
    links = 0
    for lecture in LECTURES:
        for cell, path, target in glossary_links(lecture):
            links += 1
            where = f"{lecture.relative_to(ROOT)} (cell {cell})"
            assert (lecture.parent / path).resolve() == PAGE_FILE.resolve(), (
                f"{where} links the glossary as {path!r}; from a lecture it is '../../course/glossary.md'")
            assert target in glossary.anchors, (
                f"{where} links #{target}, which is not a glossary term; the anchors are made by "
                f"qsp.glossary.anchor (e.g. 'PAYG cost rate' -> #payg-cost-rate)")
    assert links >= 100, f"only {links} glossary links in the lectures"


def test_every_term_a_lecture_defines_in_bold_is_in_the_glossary(glossary):
    missing = {}
    for lecture in LECTURES:
        for bold in bold_spans(lecture):
            if bold.label or _normal(bold.text) in NOT_DEFINITIONS or glossary.find(bold.text):
                continue
            missing.setdefault(_normal(bold.text), f"{lecture.relative_to(ROOT)} (cell {bold.cell})")
    assert not missing, (
        "bold text in lectures that is neither a glossary term nor an alias: "
        + "; ".join(f"**{text}** in {where}" for text, where in sorted(missing.items()))
        + ". Add each defined term to course/glossary.toml (then `python -m qsp.glossary`), or, if it is only "
        "emphasis, to NOT_DEFINITIONS in tests/test_glossary.py")


def test_the_allow_list_holds_nothing_stale_or_defined(glossary):
    used = {_normal(b.text) for lecture in LECTURES for b in bold_spans(lecture) if not b.label}
    assert not NOT_DEFINITIONS - used, f"no lecture has these in bold any more: {sorted(NOT_DEFINITIONS - used)}"
    defined = sorted(text for text in NOT_DEFINITIONS if glossary.find(text))
    assert not defined, f"these are glossary terms now: remove them from NOT_DEFINITIONS: {defined}"


def test_the_bold_rules_tell_labels_from_terms(tmp_path):
    cells = ["**Next**: the reserve.\n\n**You will learn to**\n\n- **Fertility.** The TFR falls.\n\n"
             "The **PAYG cost rate** is $B/S$; it is **not** a premium, and **45%** is a figure.\n\n"
             "## A **bold** heading\n\nThe **made-up ratio** is defined here."]
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": cells, "metadata": {}}],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    labels = {b.text: b.label for b in bold_spans(notebook)}
    assert labels == {"Next": "run-in heading", "You will learn to": "run-in heading", "Fertility.": "run-in heading",
                      "PAYG cost rate": None, "not": "emphasis", "45%": "formula", "made-up ratio": None}
    assert Bold("a b c d e f", 0, "In ", " here").label == "sentence"
    glossary = load_glossary(check_functions=False)
    assert glossary.find("PAYG cost rate").term == "PAYG cost rate"
    assert glossary.find("central death rates").term == "central death rate"  # a plural
    assert glossary.find("GAP").term == "general average premium"  # an alias
    assert glossary.find("made-up ratio") is None


# ----------------------------------------------------------------------------- the loader's errors

SOURCES = '[sources]\npreston2001 = "Preston, S. H. et al. (2001). Demography."\n\n'
LECTURE = "modules/01-life-tables/01-complete-life-table.ipynb"


def _entry(term="life table", **fields) -> str:
    values = {"term": term, "definition": "A table of survival.", "source": "preston2001", "lecture": LECTURE,
              **fields}
    return "[[term]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items()
                                  if value is not None) + "\n"


def _load(tmp_path, text):
    path = tmp_path / "glossary.toml"
    path.write_text(text, encoding="utf-8")
    return load_glossary(path, root=ROOT)


def test_a_valid_small_glossary_loads(tmp_path):
    glossary = _load(tmp_path, SOURCES + _entry("survivors", aliases=["l_x"], function="qsp.demography.life_table")
                     + _entry("Abridged table"))
    assert [t.term for t in glossary.terms] == ["Abridged table", "survivors"]  # sorted, case ignored
    assert glossary.find("l_x").anchor == "survivors"


@pytest.mark.parametrize(("text", "message"), [
    (SOURCES + _entry() + _entry("Life Table"), "'Life Table' is already used by 'life table'"),
    (SOURCES + _entry() + _entry("life tables", aliases=["life table"]), "already used by 'life table'"),
    (SOURCES + _entry(definition=None), "missing field 'definition'"),
    (SOURCES + _entry(lecture="modules/01-life-tables/99-gone.ipynb"), "does not exist"),
    (SOURCES + _entry(lecture="lecture one"), "should be a notebook path"),
    (SOURCES + _entry(function="qsp.demography.no_such_function"), "does not import"),
    (SOURCES + _entry(function="numpy.mean"), "should be a dotted name in qsp"),
    (SOURCES + _entry(source="nobody2020"), "source 'nobody2020' is not in the [sources] table"),
    (SOURCES + _entry(term="l_x"), "no underscore"),
    (SOURCES + _entry(colour="red"), "unknown field(s) ['colour']"),
    (SOURCES + _entry(definition="One. Two. Three. Four."), "has 4 sentences"),
    (SOURCES + _entry(aliases="lt"), "aliases must be a list"),
    (SOURCES, "no [[term]] entries"),
    (SOURCES + 'extra = "x"\n' + _entry(), "that no term cites: ['extra']"),
    ("[sources\n", "is not valid TOML"),
])
def test_problems_are_reported_with_the_entry_and_the_fix(tmp_path, text, message):
    with pytest.raises(ValueError) as error:
        _load(tmp_path, text)
    assert message in str(error.value)


def test_every_problem_is_reported_at_once(tmp_path):
    with pytest.raises(ValueError, match="2 problem") as error:
        _load(tmp_path, SOURCES + _entry(definition=None) + _entry("survivors", lecture="modules/x.ipynb"))
    assert "entry 1 ('life table')" in str(error.value) and "entry 2 ('survivors')" in str(error.value)


def test_the_command_writes_and_checks_the_page(tmp_path, monkeypatch, capsys):
    import qsp.glossary as module

    monkeypatch.setattr(module, "PAGE_FILE", tmp_path / "glossary.md")
    assert main(["--check"]) == 1 and "out of date" in capsys.readouterr().err
    assert main([]) == 0 and (tmp_path / "glossary.md").read_text() == PAGE_FILE.read_text()
    assert main(["--check"]) == 0


def test_the_readme_says_how_many_terms(glossary):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`course/glossary.md` explains {len(glossary)} terms" in readme, "update the number of terms in README.md"
