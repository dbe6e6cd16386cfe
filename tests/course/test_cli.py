"""The `qsp` command: its help lists the documented commands; `qsp course check` passes on the committed course."""

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from qsp.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
QSP = Path(sys.executable).parent / "qsp"


def _run(*argv: str) -> subprocess.CompletedProcess:
    assert QSP.is_file(), "the `qsp` console script is not installed (pip install -e .)"
    return subprocess.run([str(QSP), *argv], capture_output=True, text=True, cwd=ROOT, timeout=120)


def _documented_steps() -> set[str]:
    """The ``qsp course STEP`` commands that the READMEs and the command's own docstring name."""
    import qsp.cli

    text = "\n".join([(ROOT / "README.md").read_text(), (ROOT / "course" / "README.md").read_text(), qsp.cli.__doc__])
    return set(re.findall(r"qsp course (\w+)", text))


def _steps_in_parser() -> set[str]:
    course = build_parser()._subparsers._group_actions[0].choices["course"]
    return set(course._subparsers._group_actions[0].choices)


def test_qsp_help_lists_the_commands():
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: qsp")
    for command in ("course", "demo"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), f"`qsp --help` does not list {command}"
    assert "qsp course autograde ps00-tools --jobs 2" in result.stdout  # the typical round, as an epilog


def test_course_help_lists_every_documented_step_and_documents_every_step():
    documented, offered = _documented_steps(), _steps_in_parser()
    assert {"release", "autograde", "feedback", "export", "status", "keys", "check", "samples"} <= offered
    assert documented <= offered, f"documented but not offered: {sorted(documented - offered)}"
    assert offered <= documented, f"offered but documented nowhere: {sorted(offered - documented)}"
    result = _run("course", "--help")
    assert result.returncode == 0, result.stderr
    for step in offered:
        assert re.search(rf"^\s+{step}\s", result.stdout, re.M), f"`qsp course --help` does not list {step}"
    autograde = _run("course", "autograde", "--help").stdout
    for option in ("--jobs", "--timeout", "--memory-mb", "--force", "--student"):
        assert option in autograde


def test_usage_errors_and_unknown_assignments_say_what_is_wrong():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
        main(["course", "nonsense"])
    assert exit_info.value.code == 2 and "invalid choice: 'nonsense'" in err.getvalue()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["course", "release", "ps99-nothing", "--course-dir", str(ROOT / "course")])
    assert code == 1
    assert "no assignment ps99-nothing" in err.getvalue() and "known: ps00-tools" in err.getvalue()


def test_course_check_passes_on_the_committed_course():
    result = _run("course", "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^checked ps00-tools, .*: no problems$", result.stdout, re.M), result.stdout
