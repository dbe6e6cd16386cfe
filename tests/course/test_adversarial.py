"""Cheating submissions gain nothing and cost no one else a point (issue: grades an instructor can defend).

The corpus of ``adversarial_corpus.py`` (transformers that rewrite cells, patched checks and
numpy, lying objects, reading and writing the gradebook, startup files, daemons, the network,
fork and memory bombs, killed kernels, doctored files...) is graded in one run, two at a time,
together with the honest sample submissions of ps01-life-tables, through the real pipeline
(``qsp course autograde``, ``feedback``, ``export``). Then:

- every cheat scores at most the points of the honest notebook it was built on;
- every honest submission scores exactly its designed points;
- no connection reached a server on this machine's loopback;
- no process the grading started is still running, and no scratch folder is left;
- no feedback page carries a line of the hidden tests;
- the instructor's integrity log names the students whose notebooks rewrote cells or patched
  the checks.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest
from qsp.cli import main


def _load_corpus():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("adversarial_corpus", Path(__file__).with_name("adversarial_corpus.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("adversarial_corpus", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return sys.modules["adversarial_corpus"]


_corpus = _load_corpus()
ASSIGNMENT, ATTACKS, ROOT, SAMPLES = _corpus.ASSIGNMENT, _corpus.ATTACKS, _corpus.ROOT, _corpus.SAMPLES
build, honest_students = _corpus.build, _corpus.honest_students

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("adversarial")]

MARKER = "qsp-daemon-marker-7f3a"
CELL_TIMEOUT = 30  # generous: a loaded test machine must not make an honest cell time out


class _Listener:
    """A TCP server on 127.0.0.1 that records every connection (none may arrive)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, address = self.server.accept()
            except OSError:
                continue
            self.connections.append(str(address))
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.server.close()


def _qsp(course: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([*argv, "--course-dir", str(course)])
    return code, out.getvalue()


def _processes_with(word: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if word in command and str(os.getpid()) != entry.name:
            found.append(f"{entry.name}: {command[:120]}")
    return found


def _processes_labelled(label: str) -> list[str]:
    """Processes whose environment says they graded this test's course (``QSP_GRADING_RUN``)."""
    found = []
    needle = f"QSP_GRADING_RUN={label}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes():
                    found.append(entry.name)
            except OSError:
                continue
    return found


def _scratch_folders(course: Path) -> set[str]:
    """Scratch folders of this course's grading (``qsp-grade-<label>-*``) still on disk."""
    import tempfile

    from qsp.course.confine import run_label

    return {p.name for p in Path(tempfile.gettempdir()).glob(f"qsp-grade-{run_label(course)}-*")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("adversarial")
    shutil.copytree(ROOT / "course", base / "course", ignore=shutil.ignore_patterns(
        "gradebook.db", "submitted", "autograded", "feedback", "logs", "*.log", "__pycache__", "*.md", "*.toml", "jupyter"))
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, base / "solutions" / ASSIGNMENT)
    course = base / "course"
    code, output = _qsp(course, "course", "release", ASSIGNMENT)
    assert code == 0, output
    listener = _Listener()
    honest = honest_students()
    submitted = course / "submitted"
    for student in honest:
        folder = submitted / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy2(SAMPLES / student / f"{ASSIGNMENT}.ipynb", folder)
    for attack in ATTACKS:
        folder = submitted / f"cheat-{attack.name}" / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, content in build(attack, listener.port, MARKER).items():
            (folder / name).write_bytes(content)
    start = time.perf_counter()
    code, output = _qsp(course, "course", "autograde", ASSIGNMENT, "--jobs", "2", "--timeout", str(CELL_TIMEOUT),
                        "--memory-mb", "2048", "--no-progress")
    seconds = time.perf_counter() - start
    time.sleep(1)
    feedback_code, feedback_output = _qsp(course, "course", "feedback", ASSIGNMENT)
    export_code, export_output = _qsp(course, "course", "export", "--to", str(base / "grades.csv"))
    listener.close()
    with open(base / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return {
        "course": course, "code": code, "output": output, "seconds": seconds, "rows": rows, "honest": honest,
        "connections": listener.connections, "scratch_left": _scratch_folders(course),
        "feedback": (feedback_code, feedback_output), "export": (export_code, export_output),
    }


def _score(graded, student: str) -> float | None:
    row = graded["rows"].get(student)
    assert row is not None, f"{student} is missing from the grade export"
    return None if row["score"] == "" else float(row["score"])


def test_the_corpus_is_large_and_varied():
    assert len(ATTACKS) >= 30
    assert len({attack.name for attack in ATTACKS}) == len(ATTACKS)


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_no_cheat_gains_a_point(graded, attack):
    score = _score(graded, f"cheat-{attack.name}")
    assert score is None or score <= attack.honest_points, (
        f"{attack.name} scored {score}, more than its honest {attack.honest_points}\n{graded['output']}")


def test_every_honest_submission_keeps_its_designed_points(graded):
    for student, expected in graded["honest"].items():
        assert _score(graded, student) == expected, f"{student}\n{graded['output']}"


def test_every_submission_ends_graded_or_with_one_line_why(graded):
    output = graded["output"]
    assert "Traceback" not in output
    not_graded = {student for student, row in graded["rows"].items() if row["status"] == "not graded"}
    assert not_graded <= {"cheat-not-json", "cheat-cells-not-a-list", "cheat-tests-turned-into-answers"}, output
    for line in output.splitlines():
        if line.startswith("NOT GRADED"):
            for student in not_graded:
                assert f"{student} (" in line  # with its reason
    for student in graded["honest"]:
        assert graded["rows"][student]["status"] == "graded"
    assert graded["rows"]["cheat-not-json"]["status"] == "not graded"


def test_nothing_reached_the_network(graded):
    assert graded["connections"] == []


def test_no_process_and_no_scratch_folder_is_left(graded):
    from qsp.course.confine import run_label

    assert _processes_with(MARKER) == []  # the daemon of the corpus
    assert _processes_labelled(run_label(graded["course"])) == []  # anything else the grading started
    assert graded["scratch_left"] == set()


def test_the_gradebook_and_the_course_folder_are_untouched(graded):
    course = graded["course"]
    assert (course / "gradebook.db").stat().st_size > 0
    assert not list(course.rglob("00-zero.py"))
    assert sorted(p.name for p in course.iterdir()) == sorted(
        ["autograded", "feedback", "gradebook.db", "logs", "nbgrader_config.py", "submitted"])


def _hidden_lines() -> list[str]:
    released = set()
    for cell in nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4).cells:
        released |= {line.strip() for line in cell.source.splitlines()}
    hidden, inside = [], False
    for cell in nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4).cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 12 and line.strip() not in released:
                hidden.append(line.strip())
    return hidden


def test_feedback_never_shows_hidden_tests(graded):
    assert graded["feedback"][0] == 0, graded["feedback"][1]
    pages = sorted((graded["course"] / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert len(pages) >= len(graded["honest"])
    hidden = _hidden_lines()
    assert len(hidden) > 20
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page.parent.parent.name}: {leaked[:3]}"
        assert "SQLite format" not in text


def test_the_integrity_log_names_the_cheats(graded):
    log = (graded["course"] / "logs" / ASSIGNMENT / "integrity.log").read_text()
    for student in ("cheat-ast-transformer", "cheat-input-transformer-post", "cheat-patch-checks", "cheat-patch-numpy",
                    "cheat-settrace", "cheat-redefine-course-data"):
        assert student in log, log
    for student in graded["honest"]:
        assert f"\t{student}\t" not in log
