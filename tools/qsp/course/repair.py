"""Repairs of damaged submissions, as pure functions on notebooks (nbformat ``NotebookNode``).

Three kinds of damage make nbgrader 0.9.6 grade a submission wrongly or not at all:

- a *copied or split graded cell* repeats a grade id; nbgrader's own de-duplication then
  leaves an empty metadata dict that fails validation as "old metadata format" and stops the
  whole autograde run (jupyter/nbgrader#1083). :func:`deduplicate_grade_ids` removes the
  nbgrader metadata of every copy but the first, so the copy is an ordinary cell;
- *stripped metadata* (a notebook saved by an editor that drops cell metadata) leaves no
  graded cells, so the submission scores 0 silently. :func:`restore_metadata` puts the
  metadata back by aligning the submitted cells with the released notebook: unchanged cells
  match exactly, answer cells match by position between unchanged neighbours;
- *repeated nbformat cell ids* (cells pasted by hand in a text editor) make the notebook
  invalid; :func:`deduplicate_cell_ids` gives the copies fresh ids.

Each function changes the notebook in place and returns what it did, in words an instructor
can act on.
"""

from __future__ import annotations

import copy
import difflib
import uuid

from nbformat import NotebookNode


def grade_id(cell: NotebookNode) -> str | None:
    """The nbgrader grade id of a cell, or None for an ordinary cell."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(meta, dict):
        return None
    return meta.get("grade_id")


def is_graded_cell(cell: NotebookNode) -> bool:
    """True for the cells nbgrader tracks (answer, test, read-only and task cells)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(meta, dict) or "grade_id" not in meta:
        return False
    return bool(meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task"))


def deduplicate_grade_ids(nb: NotebookNode) -> list[str]:
    """Keep the nbgrader metadata of the first cell with each grade id; make later copies ordinary cells.

    Returns
    -------
    list of str
        One message per removed copy, e.g. ``"cell 'task1-visible' appears 2 times ..."``.
    """
    seen: dict[str, int] = {}
    copies: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        if not is_graded_cell(cell):
            continue
        name = grade_id(cell)
        if name in seen:
            del cell.metadata["nbgrader"]
            copies[name] = copies.get(name, 1) + 1
        else:
            seen[name] = index
    return [
        f"graded cell '{name}' appears {count} times (a copied or split cell): the first is graded, "
        "the copies are treated as ordinary cells"
        for name, count in copies.items()
    ]


def deduplicate_cell_ids(nb: NotebookNode) -> list[str]:
    """Give cells that repeat an nbformat cell id (``cell["id"]``) a fresh id."""
    seen = set()
    repaired = []
    for cell in nb.cells:
        cell_id = cell.get("id")
        if cell_id is None:
            continue
        if cell_id in seen:
            cell["id"] = uuid.uuid4().hex[:8]
            repaired.append(cell_id)
        seen.add(cell.get("id"))
    if not repaired:
        return []
    return [f"{len(repaired)} cell(s) repeated an nbformat cell id ({', '.join(sorted(set(repaired)))}): gave them new ids"]


def _key(cell: NotebookNode) -> tuple[str, str]:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    return cell.get("cell_type", ""), "\n".join(line.rstrip() for line in source.strip().splitlines())


def restore_metadata(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Give back nbgrader metadata that an editor stripped, by aligning ``nb`` with its release.

    Cells of the submission whose text equals a released cell get that cell's metadata; within
    a stretch of changed cells (the learner's answers), each released answer or test cell is
    paired, in order, with the next submitted cell of the same type. Only cells without
    nbgrader metadata are changed, and only with grade ids the submission lacks.

    Returns
    -------
    list of str
        The grade ids that were restored.
    """
    present = {grade_id(cell) for cell in nb.cells if is_graded_cell(cell)}
    released = list(release.cells)
    submitted = list(nb.cells)
    matcher = difflib.SequenceMatcher(None, [_key(c) for c in released], [_key(c) for c in submitted], autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            cursor = j1
            for i in range(i1, i2):
                if not is_graded_cell(released[i]):
                    continue
                for j in range(cursor, j2):
                    if submitted[j].get("cell_type") == released[i].get("cell_type") and not is_graded_cell(submitted[j]):
                        pairs.append((i, j))
                        cursor = j + 1
                        break
    restored = []
    for i, j in pairs:
        name = grade_id(released[i]) if is_graded_cell(released[i]) else None
        if name is None or name in present or is_graded_cell(submitted[j]):
            continue
        submitted[j].setdefault("metadata", NotebookNode())
        submitted[j].metadata["nbgrader"] = copy.deepcopy(released[i].metadata["nbgrader"])
        present.add(name)
        restored.append(name)
    return restored


def missing_grade_ids(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Grade ids of the release that the submission lacks (after any repair)."""
    present = {grade_id(cell) for cell in nb.cells if is_graded_cell(cell)}
    return [grade_id(cell) for cell in release.cells if is_graded_cell(cell) and grade_id(cell) not in present]
