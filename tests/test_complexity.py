"""Small functions (issue 16): ruff's McCabe rule (C901, at most 25) runs with ``ruff check``; this keeps
its exceptions honest, and holds the pension package to short functions.

The functions still above the limit are listed in pyproject.toml ([tool.ruff.lint.per-file-ignores],
one file per line, the functions named in the comment). The list may only shrink: a listed file whose
offenders are not exactly the named functions fails here (split one, delete its name; a new complex
function in a listed file is not hidden by the file's entry).
"""

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
MAX_LINES = 120
"""Longest function body allowed in qsp.pensions, in lines, docstring excluded."""


def listed_exceptions() -> dict[str, set[str]]:
    """``{file: {function names}}`` of the C901 per-file ignores of pyproject.toml, names from the comments."""
    ignores = tomllib.loads(PYPROJECT.read_text())["tool"]["ruff"]["lint"]["per-file-ignores"]
    files = {name for name, rules in ignores.items() if "C901" in rules}
    named = {}
    for line in PYPROJECT.read_text().splitlines():
        match = re.match(r'"([^"]+)" = \["C901"\]\s*#\s*(.*)$', line)
        if match:
            named[match.group(1)] = set(re.findall(r"(\w+) \(\d+\)", match.group(2)))
    assert files == set(named), f"name the functions of every C901 exception in a comment: {sorted(files - set(named))}"
    return named


def complex_functions(paths: list[str]) -> dict[str, set[str]]:
    """Functions of each file above the complexity limit, by ruff (one run, without the files' exceptions)."""
    limit = tomllib.loads(PYPROJECT.read_text())["tool"]["ruff"]["lint"]["mccabe"]["max-complexity"]
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "C901", "--config",
                          f"lint.mccabe.max-complexity = {limit}", "--output-format", "json", *paths],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    found = {path: set() for path in paths}
    for item in json.loads(run.stdout):
        path = Path(item["filename"]).resolve().relative_to(ROOT).as_posix()
        found[path].add(re.search(r"`([^`]+)`", item["message"]).group(1))
    return found


def test_the_complexity_exceptions_only_shrink():
    listed = listed_exceptions()
    for path, found in complex_functions(sorted(listed)).items():
        names = listed[path]
        assert found == names, (
            f"{path}: ruff finds {sorted(found)} above the complexity limit, pyproject.toml lists {sorted(names)}. "
            "Delete what is no longer too complex from the list (and the whole line when nothing is left); split "
            "a new complex function into steps rather than listing it."
        )


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function after its docstring."""
    first = function.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
        first.value.value, str)
    start = first.end_lineno + 1 if docstring else first.lineno
    return function.end_lineno - start + 1


def test_body_lines_skip_the_docstring():
    tree = ast.parse('def f():\n    """Doc\n    string."""\n    a = 1\n    return a\n\ndef g():\n    return 1\n')
    assert [body_lines(node) for node in tree.body] == [2, 1]


def test_pension_functions_are_short():
    package = ROOT / "tools" / "qsp" / "pensions"
    long = [f"{path.relative_to(ROOT)}::{node.name} ({body_lines(node)} lines)"
            for path in sorted(package.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and body_lines(node) > MAX_LINES]
    assert not long, f"functions over {MAX_LINES} lines (docstring excluded): {long}; split them into steps."
