"""The course glossary: social security, demographic and actuarial terms in the kit's own words.

The glossary lives in one hand-edited file, ``course/glossary.toml`` (TOML: read by the standard
library, no dependency). Each ``[[term]]`` entry gives:

``term``
    the term as a learner meets it ("PAYG cost rate"); its page anchor is made from it
    (:func:`anchor`: lower case, spaces to hyphens, other punctuation dropped), so a lecture
    links it as ``[PAYG cost rate](../../course/glossary.md#payg-cost-rate)``;
``definition``
    1-3 plain sentences written for this kit (never copied from a source);
``source``
    the key of a reference in the ``[sources]`` table (a citable book, convention or method
    report), optionally followed by where in it (``"plamondon2002"``, ``"c102: Part V"``);
``lecture``
    the lecture notebook that teaches it (``modules/06-pensions/01-financing-systems.ipynb``);
``function`` (optional)
    the dotted name of the ``qsp`` function or class that computes it
    (``qsp.pensions.payg_cost_rate``): it must import;
``aliases`` (optional)
    other spellings and symbols of the same term ("pay-as-you-go cost rate", "m_x"): a lecture
    that defines an alias in bold is covered by this entry;
``symbol`` (optional)
    the usual mathematical symbol, as TeX without dollars (``m_x``).

:func:`load_glossary` validates all of it and reports every problem at once (duplicate terms or
aliases, missing fields, unknown sources, lectures that do not exist, functions that do not
import). :func:`render_markdown` writes the glossary page; ``python -m qsp.glossary`` writes it
to ``course/glossary.md`` (committed, so the lectures' links work in JupyterLab and on a forge),
``python -m qsp.glossary --check`` only checks that the page is up to date. The course site
(:mod:`qsp.site`) builds its glossary page from the same file, where Sphinx's search finds it.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .lectures import ROOT

GLOSSARY_FILE = ROOT / "course" / "glossary.toml"
"""The one file that holds the glossary."""

PAGE_FILE = ROOT / "course" / "glossary.md"
"""The generated glossary page (``python -m qsp.glossary`` writes it)."""

REQUIRED = ("term", "definition", "source", "lecture")
OPTIONAL = ("function", "aliases", "symbol")
TERM_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9 '(),-]*")
"""What a term may contain, so that GitHub, JupyterLab's renderer and MyST agree on its anchor."""
RESERVED_ANCHORS = ("glossary", "references")
"""Anchors of the page's own headings (the letters too), which no term may take."""


@dataclass(frozen=True)
class Term:
    """One glossary entry (see the module's docstring for the meaning of each field)."""

    term: str
    definition: str
    source: str
    lecture: str
    function: str | None = None
    aliases: tuple[str, ...] = ()
    symbol: str | None = None

    @property
    def anchor(self) -> str:
        """The term's anchor on the glossary page (``payg-cost-rate``)."""
        return anchor(self.term)

    @property
    def source_key(self) -> str:
        """The key of the reference in the ``[sources]`` table (before any ``:``)."""
        return self.source.split(":", 1)[0].strip()


@dataclass(frozen=True)
class Glossary:
    """The validated glossary: its terms in alphabetical order and its references by key."""

    terms: tuple[Term, ...]
    sources: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def anchors(self) -> set[str]:
        """Every anchor of the page."""
        return {term.anchor for term in self.terms}

    @functools.cached_property
    def names(self) -> dict[str, Term]:
        """Every term and alias, normalised by :func:`normalise`, mapped to its entry."""
        found: dict[str, Term] = {}
        for term in self.terms:
            for name in (term.term, *term.aliases):
                found[normalise(name)] = term
        return found

    def find(self, text: str) -> Term | None:
        """The entry whose term or alias is ``text`` (case, spacing and a plural ``s`` ignored)."""
        names = self.names
        key = normalise(text)
        for candidate in (key, key.removesuffix("s"), key.removesuffix("es"), key + "s"):
            if candidate in names:
                return names[candidate]
        return None


def anchor(term: str) -> str:
    """The anchor of a term on the glossary page, as Markdown renderers make it from a heading.

    Lower case; letters, digits, spaces and hyphens kept, other characters dropped; spaces become
    hyphens. This is both GitHub's and MyST's heading slug (``myst_heading_anchors``), so the same
    link works on the course site, in JupyterLab's repository view and on a forge.

    >>> anchor("PAYG cost rate")
    'payg-cost-rate'
    >>> anchor("Social Security (Minimum Standards) Convention")
    'social-security-minimum-standards-convention'
    """
    return re.sub(r"[^a-z0-9 -]", "", term.strip().lower()).replace(" ", "-")


def normalise(text: str) -> str:
    """A term or bold text compared loosely: lower case, one space, no outer punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: keep its text
    text = re.sub(r"\s+", " ", text.replace("’", "'").replace('"', "").replace("“", "").replace("”", "")).strip().lower()
    return text.strip(" .,:;")


def resolve(dotted: str):
    """Import a dotted name (``qsp.pensions.payg_cost_rate``) and return the object it names.

    Raises
    ------
    ImportError
        If no prefix of the name is a module, or an attribute along the way is missing.
    """
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for position, name in enumerate(parts[split:], start=split):
            try:
                obj = getattr(obj, name)
            except AttributeError:
                raise ImportError(f"{'.'.join(parts[:position])} has no attribute {name!r}") from None
        return obj
    raise ImportError(f"no module named {parts[0]!r}")


def _entry_problems(index: int, raw: object, sources: dict, root: Path, check_functions: bool) -> list[str]:
    where = f"entry {index + 1}"
    if not isinstance(raw, dict):
        return [f"{where}: expected a [[term]] table, got {type(raw).__name__}"]
    name = raw.get("term")
    if isinstance(name, str) and name.strip():
        where = f"entry {index + 1} ({name!r})"
    problems = []
    for key in REQUIRED:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: missing field {key!r} (a non-empty string); every term needs "
                            f"{', '.join(REQUIRED)}")
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        problems.append(f"{where}: unknown field(s) {sorted(unknown)}; the fields are "
                        f"{', '.join(REQUIRED + OPTIONAL)}")
    if problems:
        return problems
    slug = anchor(name)
    if not TERM_PATTERN.fullmatch(name.strip()) or "--" in slug or slug.endswith("-"):
        problems.append(f"{where}: the term makes the anchor {slug!r}, on which renderers would not agree; "
                        "start it with a letter, use letters, digits, spaces, hyphens, apostrophes, commas and "
                        "parentheses only (no underscore: write 'commutation column D', not 'D_x'), and no "
                        "punctuation next to a space")
    sentences = len(re.findall(r"[.!?](\s|$)", raw["definition"].strip()))
    if not 1 <= sentences <= 3:
        problems.append(f"{where}: the definition has {sentences} sentences; write 1 to 3 plain sentences "
                        "ending with a full stop")
    key = raw["source"].split(":", 1)[0].strip()
    if key not in sources:
        problems.append(f"{where}: source {key!r} is not in the [sources] table; add its full reference "
                        f"there or use one of {sorted(sources)}")
    lecture = raw["lecture"]
    if not (lecture.startswith("modules/") and lecture.endswith(".ipynb")):
        problems.append(f"{where}: lecture {lecture!r} should be a notebook path such as "
                        "'modules/06-pensions/01-financing-systems.ipynb'")
    elif not (root / lecture).is_file():
        problems.append(f"{where}: lecture {lecture!r} does not exist (renamed or moved? give its path "
                        "from the repository's top folder)")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{where}: aliases must be a list of non-empty strings, e.g. [\"PAYG\"]")
    for key in ("function", "symbol"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            problems.append(f"{where}: {key!r} must be a non-empty string (or leave the field out)")
    function = raw.get("function")
    if isinstance(function, str) and function.strip():
        if not function.startswith("qsp."):
            problems.append(f"{where}: function {function!r} should be a dotted name in qsp, e.g. "
                            "'qsp.pensions.payg_cost_rate'")
        elif check_functions:
            try:
                resolve(function)
            except ImportError as error:
                problems.append(f"{where}: function {function!r} does not import ({error}); fix the name "
                                "or leave the field out")
    return problems


def load_glossary(path: Path | str = GLOSSARY_FILE, *, root: Path | str = ROOT,
                  check_functions: bool = True) -> Glossary:
    """Read and validate the glossary file.

    Parameters
    ----------
    path : path
        The TOML file (default ``course/glossary.toml``).
    root : path
        The repository's top folder, from which the ``lecture`` paths are read.
    check_functions : bool
        Import every ``function`` to check that it exists (imports ``qsp`` sub-packages).

    Returns
    -------
    Glossary
        The terms, sorted alphabetically (case ignored), and the references.

    Raises
    ------
    ValueError
        Listing every problem found, each with the entry's number and term: a file that is not
        valid TOML, missing or unknown fields, duplicate terms or aliases (also two terms whose
        anchors coincide), a source not in ``[sources]``, a lecture that does not exist, a
        function that does not import, a definition of more than three sentences.
    """
    path, root = Path(path), Path(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"the glossary file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path} is not valid TOML: {error}") from None
    sources = data.get("sources", {})
    entries = data.get("term", [])
    problems = []
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v.strip() for v in sources.values()):
        problems.append("[sources] must map each key to the full reference as a string")
        sources = {}
    if set(data) - {"sources", "term"}:
        problems.append(f"unknown top-level tables {sorted(set(data) - {'sources', 'term'})}: "
                        "the file holds [sources] and [[term]] entries only")
    if not isinstance(entries, list) or not entries:
        problems.append("no [[term]] entries")
        entries = []
    terms: list[Term] = []
    seen: dict[str, str] = {}
    anchors: dict[str, str] = {}
    for index, raw in enumerate(entries):
        entry_problems = _entry_problems(index, raw, sources, root, check_functions)
        problems += entry_problems
        if entry_problems:
            continue
        term = Term(term=raw["term"].strip(), definition=" ".join(raw["definition"].split()),
                    source=raw["source"].strip(), lecture=raw["lecture"].strip(),
                    function=raw.get("function"), aliases=tuple(a.strip() for a in raw.get("aliases", [])),
                    symbol=raw.get("symbol"))
        for name in (term.term, *term.aliases):
            key = normalise(name)
            if key in seen:
                other = seen[key]
                problems.append(f"entry {index + 1} ({term.term!r}): {name!r} is listed twice in this entry"
                                if other == term.term else
                                f"entry {index + 1} ({term.term!r}): the term or alias {name!r} is already used "
                                f"by {other!r}; merge the two entries or rename one")
            seen.setdefault(key, term.term)
        if term.anchor in anchors or term.anchor in RESERVED_ANCHORS or len(term.anchor) == 1:
            problems.append(f"entry {index + 1} ({term.term!r}): its anchor #{term.anchor} is already used "
                            f"by {anchors.get(term.anchor, 'the page itself')!r}; rename one of them")
        anchors.setdefault(term.anchor, term.term)
        terms.append(term)
    used = {term.source_key for term in terms}
    unused = set(sources) - used
    if unused and not problems:
        problems.append(f"references in [sources] that no term cites: {sorted(unused)}; remove them")
    if problems:
        raise ValueError(f"{path} has {len(problems)} problem(s):\n- " + "\n- ".join(problems))
    terms.sort(key=lambda t: t.term.lower())
    return Glossary(terms=tuple(terms), sources=dict(sources))


BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*", re.S)
"""Bold text in Markdown (``**term**``), possibly over several lines."""

GLOSSARY_LINK = re.compile(r"\]\(([^)\s]*glossary\.md)#([^)\s]+)\)")
"""A Markdown link to the glossary page: captures the path and the anchor."""


FUNCTION_WORDS = frozenset("""
a all already also an and any both by each every for from half how in is it its later less more much no
none not now on one only or over plus same than the to very what when where which who why with without zero
""".split())
"""Words that open emphasis, never a term: articles, pronouns, conjunctions, prepositions, adverbs."""


@dataclass(frozen=True)
class Bold:
    """One bold span of a lecture's Markdown cell, with what surrounds it."""

    text: str
    cell: int
    before: str
    after: str

    @property
    def label(self) -> str | None:
        """Why this bold is not a defined term, or None if it may be one.

        ``"formula"``: it holds math, code or a figure (``$``, a backtick, a digit); ``"run-in
        heading"``: it ends with ``.``/``:``/``?``/``!``, is followed by ``:`` or ``.``, or fills its
        line (a paragraph's label such as **Next**, **References**, **Fertility.**);
        ``"sentence"``: more than five words of emphasis; ``"emphasis"``: it starts with a word
        no term starts with (:data:`FUNCTION_WORDS`: **not**, **the UN's assumed path**, **one call**).
        """
        text = " ".join(self.text.split())
        if re.search(r"[$`\d]", text):
            return "formula"
        opens_line = re.fullmatch(r"\s*(?:[-*>]|\d+\.)?\s*\[?", self.before) is not None
        if text[-1] in ".:?!" or (opens_line and (self.after[:1] in (":", ".") or self.after.strip() == "")):
            return "run-in heading"
        if len(text.split()) > 5:
            return "sentence"
        if text.split()[0].lower() in FUNCTION_WORDS:
            return "emphasis"
        return None


def markdown_cells(notebook: Path | str) -> list[tuple[int, str]]:
    """The Markdown cells of a notebook as ``(cell index, source)``, read as plain JSON (fast)."""
    import json

    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [(index, "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
            for index, cell in enumerate(cells) if cell["cell_type"] == "markdown"]


def bold_spans(notebook: Path | str) -> list[Bold]:
    """Every bold span of the notebook's Markdown cells (headings excluded: a heading is no definition)."""
    found = []
    for index, source in markdown_cells(notebook):
        for match in BOLD.finditer(source):
            start = source.rfind("\n", 0, match.start()) + 1
            end = source.find("\n", match.end())
            before = source[start:match.start()]
            if before.lstrip().startswith("#"):
                continue
            found.append(Bold(match.group(1), index, before, source[match.end():end if end >= 0 else None]))
    return found


def glossary_links(notebook: Path | str) -> list[tuple[int, str, str]]:
    """Every link of the notebook's Markdown cells to the glossary page: ``(cell, path, anchor)``."""
    return [(index, match.group(1), match.group(2))
            for index, source in markdown_cells(notebook) for match in GLOSSARY_LINK.finditer(source)]


def render_markdown(glossary: Glossary, *, lecture_prefix: str = "../") -> str:
    """The glossary page as Markdown (MyST and CommonMark alike).

    One ``##`` heading per initial letter and one ``###`` heading per term, whose slug is the
    term's :attr:`Term.anchor`; each term shows its definition, symbol, the lecture that teaches
    it (linked with ``lecture_prefix`` + its path, relative to the page), the ``qsp`` function
    and the source; the full references close the page.
    """
    lines = [
        "# Glossary",
        "",
        f"{len(glossary)} terms of social security financing, demography and actuarial mathematics, "
        "in the kit's own words. Each says where it is taught, which `qsp` function computes it, "
        "and where to read more. This page is generated from `course/glossary.toml` by "
        "`python -m qsp.glossary`: edit that file, not this page.",
        "",
    ]
    letters = sorted({t.term[0].upper() for t in glossary.terms})
    lines += [" · ".join(f"[{letter}](#{letter.lower()})" for letter in letters), ""]
    current = None
    for term in glossary.terms:
        letter = term.term[0].upper()
        if letter != current:
            lines += [f"## {letter}", ""]
            current = letter
        lines += [f"### {term.term}", "", term.definition, ""]
        facts = []
        if term.symbol:
            facts.append(f"Symbol: ${term.symbol}$")
        if term.aliases:
            facts.append("Also: " + ", ".join(term.aliases))
        module, name = term.lecture.split("/")[1:3]
        facts.append(f"Taught in: [{module} / {name.removesuffix('.ipynb')}]({lecture_prefix}{term.lecture})")
        if term.function:
            facts.append(f"In `qsp`: `{term.function}`")
        source = term.source_key + (f", {term.source.split(':', 1)[1].strip()}" if ":" in term.source else "")
        facts.append(f"Source: [{source}](#references)")
        lines += [" · ".join(facts), ""]
    lines += ["## References", ""]
    for key in sorted(glossary.sources):
        lines += [f"- **{key}**: {glossary.sources[key]}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m qsp.glossary [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m qsp.glossary",
                                     description="Validate course/glossary.toml and write course/glossary.md.")
    parser.add_argument("--check", action="store_true",
                        help="only check that course/glossary.md is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    try:
        glossary = load_glossary()
    except ValueError as error:
        print(f"qsp.glossary: error: {error}", file=sys.stderr)
        return 1
    page = render_markdown(glossary)
    if args.check:
        current = PAGE_FILE.read_text(encoding="utf-8") if PAGE_FILE.is_file() else ""
        if current != page:
            print(f"qsp.glossary: {PAGE_FILE} is out of date: run python -m qsp.glossary", file=sys.stderr)
            return 1
        print(f"{PAGE_FILE}: up to date ({len(glossary)} terms)")
        return 0
    PAGE_FILE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE_FILE} ({len(glossary)} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
