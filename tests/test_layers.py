"""The library's layers (DESIGN.md section 3): each part of qsp imports only its own layer and those below.

1. shared infrastructure (``_validate``, ``_lazy``); 2. computation (demography, economy, labour,
pensions, actuarial, costing, health, poverty); 3. the social budget; 4. ``qsp.data``, the front
door; 5. presentation and tools (plots, widgets, grading, course, cli, lectures, site, demo, glossary).
Imports inside functions count too: every ``import`` statement of every file is read.

``KNOWN_UPWARD`` lists the upward imports that existed when this test was written (a country
constructor that still lives in a computation package). They are tolerated, not endorsed: move
each constructor to ``qsp.data`` and delete its line; the last test fails when a listed import
is gone, so the list cannot go stale.
"""

import ast
from pathlib import Path

import qsp

ROOT = Path(qsp.__file__).parent

LAYERS = {
    "_validate": 1, "_lazy": 1, "_startup": 1,
    "demography": 2, "economy": 2, "labour": 2, "pensions": 2, "actuarial": 2, "costing": 2, "health": 2, "shortterm": 2,
    "poverty": 2,
    "budget": 3,
    "data": 4,
    "plots": 5, "widgets": 5, "grading": 5, "course": 5, "cli": 5, "lectures": 5, "site": 5, "demo": 5,
    "glossary": 5,
    "kernels": 5,
}

KNOWN_UPWARD = {
    ("economy/macro.py", "data"),
    ("budget/country.py", "data"),
    ("pensions/plots.py", "data"),
    ("pensions/risk.py", "plots"),
}


def imported_parts(path: Path, root: Path = ROOT) -> set[str]:
    """Top-level parts of qsp (``"data"``, ``"plots"``, ...) that the file at ``path`` imports."""
    package = list(path.relative_to(root).parent.parts)        # e.g. ["pensions"] for pensions/risk.py
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "qsp" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "qsp":
                    continue
                target = parts[1:]
            else:
                keep = len(package) - (node.level - 1)
                if keep < 0:
                    continue
                target = package[:keep] + ((node.module or "").split(".") if node.module else [])
            if target:
                found.add(target[0])
            else:  # "from qsp import data" or "from .. import plots" at the top of qsp
                found |= {alias.name for alias in node.names}
    return found


def layer_of(path: Path, root: Path = ROOT) -> tuple[str, int | None]:
    part = path.relative_to(root).parts[0].removesuffix(".py")
    return part, LAYERS.get(part)


def upward_imports(root: Path = ROOT) -> set[tuple[str, str]]:
    upward = set()
    for path in sorted(root.rglob("*.py")):
        part, layer = layer_of(path, root)
        if layer is None:
            continue  # qsp/__init__.py: the lazy front door names every sub-package
        for target in imported_parts(path, root):
            if target in LAYERS and LAYERS[target] > layer:
                upward.add((path.relative_to(root).as_posix(), target))
    return upward


def test_every_part_of_qsp_has_a_layer():
    parts = {p.name.removesuffix(".py") for p in ROOT.iterdir()
             if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())) and p.name != "__init__.py"}
    assert parts <= set(LAYERS), f"give these a layer in LAYERS: {sorted(parts - set(LAYERS))}"


def test_no_part_of_qsp_imports_a_higher_layer():
    new = upward_imports() - KNOWN_UPWARD
    assert not new, (
        f"imports from a higher layer: {sorted(new)}. Computation (layer 2) takes arrays; loading data belongs "
        "to qsp.data (layer 4), figures to the presentation layer (5). See DESIGN.md section 3."
    )


def test_the_known_exceptions_still_exist():
    gone = KNOWN_UPWARD - upward_imports()
    assert not gone, f"these upward imports are gone (well done): delete them from KNOWN_UPWARD: {sorted(gone)}"


def test_the_scan_catches_imports_inside_functions(tmp_path):
    package = tmp_path / "pensions"
    package.mkdir()
    (package / "bad.py").write_text(
        "def f():\n    from ..data import load_scheme\n    import qsp.plots\n    from . import benefits\n"
    )
    assert imported_parts(package / "bad.py", tmp_path) == {"data", "plots", "pensions"}
    assert upward_imports(tmp_path) == {("pensions/bad.py", "data"), ("pensions/bad.py", "plots")}
