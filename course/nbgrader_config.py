"""nbgrader configuration of the QSP course kit.

Layout (DESIGN.md section 5): this folder, ``course/``, is nbgrader's course root;
``solutions/`` (next to it) is the source directory and ``exercises/`` the release
directory. Submissions, autograded notebooks, feedback and the gradebook database live
here and are never committed (see .gitignore).

Every path is relative to this file, so a fresh clone works wherever it is. The ``qsp``
command loads this file (``qsp course release | autograde | feedback | export | status``);
plain ``nbgrader`` commands and the JupyterLab formgrader load it when started from this
folder (``cd course && nbgrader autograde ps00-tools`` or
``cd course && jupyter lab --ServerApp.root_dir=..``).

Changes to nbgrader 0.9.6's defaults, each for a known problem:

- Submissions are sanitised by ``qsp.course.preprocessors.RepairSubmission`` instead of
  nbgrader's ``DeduplicateIds``: a copied graded cell (duplicate grade id) no longer stops the
  whole run with a misleading "old metadata format" error (jupyter/nbgrader#1083), and cells
  whose nbgrader metadata was stripped by another editor get it back by matching them
  with the released notebook.
- Deleted test cells are put back (``OverwriteCells.add_missing_cells``), so deleting a test
  does not earn its points.
- Feedback hides hidden tests (jupyter/nbgrader#917): ``qsp.course.preprocessors.HideHiddenTests``
  removes their source and the traceback lines that would quote it, keeping which test
  failed and its message.
- Grading runs in two phases (``qsp.course.twophase``), in place of nbgrader's ``Execute``: the
  student's notebook runs in a bubblewrap sandbox with every test cell replaced by a record of
  the values it reads; the tests then run, outside the student's kernel, on those values.
  Scores come from the tests' results (``SaveCheckedGrades``), not from the cells' outputs.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
)
from qsp.course.preprocessors import HideHiddenTests, RepairSubmission
from qsp.course.twophase import GradeOutsideNotebook, SaveCheckedGrades

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "qsp"
c.CourseDirectory.source_directory = os.path.join("..", "solutions")
c.CourseDirectory.release_directory = os.path.join("..", "exercises")
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
# mistakes.toml: the typical mistakes the self-check answer keys are recorded from (qsp.course.keys),
# the instructor's source, never released.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.log", "mistakes.toml"]

# Autograding: per-cell time limit (``qsp course autograde --timeout`` overrides it).
c.Execute.timeout = 60
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    RepairSubmission,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
c.OverwriteCells.add_missing_cells = True
c.Autograde.autograde_preprocessors = [
    GradeOutsideNotebook,  # replaces Execute: the notebook runs sandboxed, the tests run outside it
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveCheckedGrades,  # scores from the tests' results, not from the cells' outputs
    AssignLatePenalties,
    CheckCellMetadata,
]
c.GradeOutsideNotebook.timeout = 60

# Feedback: never show the hidden tests.
c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
