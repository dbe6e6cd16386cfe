"""Checks of an assignment's nbgrader metadata, in the source and in the release.

:func:`validate_assignment` returns a list of problems (empty when all is well):

- in ``solutions/``: nbgrader's own metadata validation passes; grade ids are unique; every
  test cell has points and is read-only; every answer cell has a solution region and is
  followed by a test cell; hidden tests are only in test cells;
- in ``exercises/``: the release has the same graded cells with the same points; no solution
  code, solution or hidden-test delimiters, or outputs are left in it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .layout import Course
from .repair import grade_id, is_graded_cell

SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _solution_lines(source: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        if SOLUTION_MARKERS[0] in line:
            inside = True
        elif SOLUTION_MARKERS[1] in line:
            inside = False
        elif inside and len(line.strip()) >= 6 and re.search(r"\w", line) and not line.strip().startswith("#"):
            lines.append(line.strip())
    return lines


def validate_source(path: Path) -> list[str]:
    """Problems in one source (solution) notebook."""
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    problems = []
    nb = nbformat.read(path, as_version=4)
    try:
        MetadataValidator().validate_nb(nb)
    except ValidationError as error:
        problems.append(f"{path.name}: nbgrader metadata invalid: {error}")
    ids = [grade_id(c) for c in nb.cells if is_graded_cell(c)]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(f"{path.name}: grade ids used more than once: {', '.join(repeated)}")
    cells = nb.cells
    for index, cell in enumerate(cells):
        meta = _meta(cell)
        name = meta.get("grade_id", f"cell {index}")
        source = cell.source
        if any(marker in source for marker in HIDDEN_MARKERS) and not meta.get("grade"):
            problems.append(f"{path.name}: {name} has hidden tests but is not a test (grade) cell")
        if meta.get("grade") and not meta.get("solution"):
            if not meta.get("points") or float(meta["points"]) <= 0:
                problems.append(f"{path.name}: test cell {name} has no points")
            if not meta.get("locked"):
                problems.append(f"{path.name}: test cell {name} is not read-only (locked)")
        if meta.get("solution") and cell.cell_type == "code":
            if not _solution_lines(source):
                problems.append(f"{path.name}: answer cell {name} has no '### BEGIN SOLUTION' region with code")
            following = cells[index + 1] if index + 1 < len(cells) else None
            if following is None or not (_meta(following).get("grade") and not _meta(following).get("solution")):
                problems.append(f"{path.name}: answer cell {name} is not followed by a test cell")
    points = sum(float(_meta(c).get("points", 0) or 0) for c in cells if _meta(c).get("grade"))
    if points <= 0:
        problems.append(f"{path.name}: no points to earn")
    return problems


def validate_release(source_path: Path, release_path: Path) -> list[str]:
    """Problems in a released notebook, compared with its source."""
    import nbformat

    if not release_path.is_file():
        return [f"{release_path} is missing: run `qsp course release`"]
    problems = []
    source = nbformat.read(source_path, as_version=4)
    release = nbformat.read(release_path, as_version=4)
    source_cells = {grade_id(c): c for c in source.cells if is_graded_cell(c)}
    release_cells = {grade_id(c): c for c in release.cells if is_graded_cell(c)}
    if set(source_cells) != set(release_cells):
        problems.append(f"{release_path.name}: graded cells differ from the source: "
                        f"{sorted(set(source_cells) ^ set(release_cells))}")
    for name, cell in release_cells.items():
        original = source_cells.get(name)
        if original is None:
            continue
        if _meta(cell).get("points") != _meta(original).get("points"):
            problems.append(f"{release_path.name}: {name} has {_meta(cell).get('points')} points, source {_meta(original).get('points')}")
        leaked = [line for line in _solution_lines(original.source) if line in cell.source]
        if leaked:
            problems.append(f"{release_path.name}: solution code left in {name}: {leaked[0]!r}")
    for index, cell in enumerate(release.cells):
        for marker in (*SOLUTION_MARKERS, *HIDDEN_MARKERS):
            if marker in cell.source:
                problems.append(f"{release_path.name}: cell {index} still contains {marker!r}")
        if cell.cell_type == "code" and cell.get("outputs"):
            problems.append(f"{release_path.name}: cell {index} has outputs (release notebooks are clean)")
    return problems


def validate_assignment(course: Course, assignment: str) -> list[str]:
    """Every problem in the source and release notebooks of ``assignment`` (empty list: valid)."""
    problems = []
    notebooks = course.source_notebooks(assignment)
    if not notebooks:
        return [f"no notebook in {course.source / assignment}"]
    for path in notebooks:
        problems += validate_source(path)
        problems += validate_release(path, course.release_notebook(assignment, path.stem))
    return problems
