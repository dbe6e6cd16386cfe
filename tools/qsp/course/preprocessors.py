"""nbgrader preprocessors of the course kit, registered in ``course/nbgrader_config.py``.

- :class:`RepairSubmission` replaces nbgrader's ``DeduplicateIds`` in the sanitising step of
  ``autograde``: copies of a graded cell become ordinary cells (instead of stopping the run,
  jupyter/nbgrader#1083), repeated nbformat cell ids get fresh ids, and stripped nbgrader
  metadata is restored from the released notebook (see :mod:`qsp.course.repair`).
- :class:`HideHiddenTests` runs first in ``generate_feedback``: it removes the hidden-test
  regions of test cells and reduces the tracebacks of those cells to their last line (the
  failed check and its message), so feedback says which test failed and why without
  showing the hidden tests (jupyter/nbgrader#917).
"""

from __future__ import annotations

import os
import re

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from . import repair

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class RepairSubmission(NbGraderPreprocessor):
    """Sanitise a submission before nbgrader's ``OverwriteCells``: de-duplicate ids, restore stripped metadata."""

    def _release_notebook(self, resources: ResourcesDict) -> NotebookNode | None:
        coursedir = CourseDirectory(config=self.config)
        assignment = resources["nbgrader"]["assignment"]
        notebook = resources["nbgrader"]["notebook"]
        path = os.path.join(
            coursedir.format_path(coursedir.release_directory, ".", assignment), f"{notebook}.ipynb"
        )
        if not os.path.exists(path):
            self.log.warning("No released notebook %s: cannot restore stripped nbgrader metadata", path)
            return None
        return nbformat.read(path, as_version=4)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        messages = repair.deduplicate_grade_ids(nb) + repair.deduplicate_cell_ids(nb)
        release = self._release_notebook(resources)
        if release is not None:
            restored = repair.restore_metadata(nb, release)
            if restored:
                messages.append(f"restored stripped nbgrader metadata of {len(restored)} cell(s): {', '.join(restored)}")
        for message in messages:
            self.log.warning("%s: %s", resources["nbgrader"].get("student", "?"), message)
        resources.setdefault("qsp", {})["repairs"] = messages
        return nb, resources


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from feedback; keep which test failed and its message."""

    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS", help="Marks the start of hidden tests.").tag(config=True)
    end_test_delimeter = Unicode("END HIDDEN TESTS", help="Marks the end of hidden tests.").tag(config=True)
    placeholder = Unicode(
        "# (hidden tests: not shown in feedback)", help="Line that replaces each hidden-test region."
    ).tag(config=True)

    def _strip(self, source: str) -> tuple[str, bool]:
        lines, kept, inside, found = source.split("\n"), [], False, False
        for line in lines:
            if self.begin_test_delimeter in line:
                inside, found = True, True
                kept.append(line[: len(line) - len(line.lstrip())] + self.placeholder)
            elif self.end_test_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        return "\n".join(kept), found

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code":
            return cell, resources
        source, found = self._strip(cell.source)
        if not found:
            return cell, resources
        cell.source = source
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = ANSI_ESCAPE.sub("", f"{output.get('ename', 'Error')}: {output.get('evalue', '')}")
                output["traceback"] = [message]
        return cell, resources
