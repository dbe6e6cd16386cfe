"""The kit's processes skip an optional import that costs about 1.3 s and checks nothing they use."""

import subprocess
import sys

SCRIPT = """
import sys
import qsp._startup
import nbformat
from qsp._startup import SLOW_OPTIONAL_MODULES
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(notebook)  # validation still works without the IRI format checker
try:
    nbformat.validate(nbformat.from_dict({"cells": "not a list"}))
except nbformat.ValidationError:
    print("invalid notebook refused")
print(sorted(name for name in SLOW_OPTIONAL_MODULES if sys.modules.get(name) is not None))
"""


def test_notebooks_validate_without_the_slow_optional_module():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["invalid notebook refused", "[]"]


def test_the_command_line_and_the_grading_workers_skip_it():
    from qsp.course.worker import PRELOAD

    assert PRELOAD[0] == "qsp._startup"  # the forkserver of the autograding workers imports it first
    script = ("import sys\nfrom qsp.cli import main\ntry:\n    main(['course', '--help'])\n"
              "except SystemExit:\n    pass\nprint(repr(sys.modules.get('rfc3987_syntax', 'not marked')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "None"
