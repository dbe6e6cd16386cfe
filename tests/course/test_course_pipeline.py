"""The real nbgrader pipeline, through the `qsp` command, on a temporary copy of the course.

release -> submissions placed under submitted/<student>/ps00-tools/ -> autograde (2 jobs, time and
memory limits) -> feedback -> export -> status, once per test module (the steps share state).
The bundled samples (tests/samples/ps00-tools/) must get exactly the points designed for them
(make_samples.EXPECTED); a damaged file is reported by name without stopping the others; a
runaway submission hits the memory and time limits and is still graded.
"""

import contextlib
import csv
import importlib.util
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from qsp.cli import main

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ps00-tools"
SAMPLES = ROOT / "tests" / "samples" / ASSIGNMENT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader")]


def _expected_scores() -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tests" / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.EXPECTED)


EXPECTED = _expected_scores()
RUNAWAY_SCORE = 7.0  # the reference answers, except task 1 (3 points: out of memory) and task 4 (4: endless loop)


def _qsp(course_dir: Path, *argv: str) -> tuple[int, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--course-dir", str(course_dir)])
    return code, out.getvalue() + err.getvalue(), time.perf_counter() - start


def _place(submitted: Path, student: str, files: dict[str, bytes]) -> None:
    folder = submitted / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)


def _run_pipeline(base: Path) -> dict:
    shutil.copytree(ROOT / "course", base / "course", ignore=shutil.ignore_patterns(
        "gradebook.db", "submitted", "autograded", "feedback", "logs", "*.log", "__pycache__", "release", "source"))
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, base / "solutions" / ASSIGNMENT)
    course = base / "course"
    steps = {}
    steps["release"] = _qsp(course, "course", "release", ASSIGNMENT)

    submitted = course / "submitted"
    for folder in sorted(SAMPLES.iterdir()):
        _place(submitted, folder.name, {p.name: p.read_bytes() for p in folder.glob("*.ipynb")})
    reference = (SAMPLES / "reference" / f"{ASSIGNMENT}.ipynb").read_bytes()
    _place(submitted, "damaged-file", {f"{ASSIGNMENT}.ipynb": reference[: len(reference) // 3]})
    runaway = json.loads(reference)
    for cell in runaway["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id == "task1-answer":
            cell["source"] = ("import numpy\nhog = numpy.ones(400_000_000)  # 3.2 GB, over the limit\n"
                              "total_by_sex = population.sum(axis=-1)")
        elif grade_id == "task4-answer":
            cell["source"] = "import time\nwhile True:  # an endless loop (sleeping, to spare the CPU of the test machine)\n    time.sleep(1)"
    _place(submitted, "runaway-code", {f"{ASSIGNMENT}.ipynb": json.dumps(runaway).encode()})

    steps["autograde"] = _qsp(course, "course", "autograde", ASSIGNMENT, "--jobs", "2", "--timeout", "30",
                              "--memory-mb", "2048", "--no-progress")
    steps["feedback"] = _qsp(course, "course", "feedback", ASSIGNMENT)
    steps["export"] = _qsp(course, "course", "export", "--to", str(base / "grades.csv"))
    steps["status"] = _qsp(course, "course", "status")
    steps["regrade"] = _qsp(course, "course", "autograde", ASSIGNMENT, "--student", "reference", "--no-progress")
    return steps


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """Run the pipeline once per test session, even when pytest-xdist spreads this module's tests.

    (pytest-xdist's loadgroup does not keep groups together under pytest 9, so the module's
    tests may land on both workers: the first one runs the pipeline, the other waits and reads
    its results.)
    """
    temporary = tmp_path_factory.getbasetemp()
    under_xdist = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    shared = (temporary.parent if under_xdist else temporary) / "qsp-course-pipeline"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - no file locks (Windows): each worker runs its own copy
            shared = Path(tmp_path_factory.mktemp("qsp-course-pipeline"))
        result = shared / "steps.json"
        if not result.is_file():
            base = shared / "copy"
            if base.exists():
                shutil.rmtree(base)
            steps = _run_pipeline(base)
            result.write_text(json.dumps(steps))
        steps = {name: tuple(value) for name, value in json.loads(result.read_text()).items()}
    timings = {name: round(seconds, 1) for name, (_, _, seconds) in steps.items()}
    print(f"\npipeline timings (s): {timings}")
    base = shared / "copy"
    return {"base": base, "course": base / "course", "steps": steps}


def _step(pipeline, name):
    code, output, _ = pipeline["steps"][name]
    return code, output


def test_release_reproduces_the_committed_exercises(pipeline):
    code, output = _step(pipeline, "release")
    assert code == 0, output
    fresh = pipeline["base"] / "exercises" / ASSIGNMENT
    committed = ROOT / "exercises" / ASSIGNMENT
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
                             and ".ipynb_checkpoints" not in p.parts)
    assert fresh_files == committed_files
    for relative in fresh_files:
        assert (fresh / relative).read_bytes() == (committed / relative).read_bytes(), (
            f"exercises/{ASSIGNMENT}/{relative} differs from a fresh release: run `qsp course release` "
            "(exercises/ is generated, never edited by hand)"
        )


def _grades(pipeline) -> dict[str, dict]:
    with open(pipeline["base"] / "grades.csv", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_sample_gets_the_designed_points(pipeline, student):
    row = _grades(pipeline)[student]
    assert row["status"] == "graded"
    assert float(row["score"]) == EXPECTED[student]
    assert float(row["max_score"]) == 14.0


def test_reference_full_blank_zero_mistakes_in_between():
    assert EXPECTED["reference"] == 14.0 and EXPECTED["blank"] == 0.0
    mistakes = [score for name, score in EXPECTED.items() if name.startswith("mistake-")]
    assert len(mistakes) >= 2 and all(0.0 < score < 14.0 for score in mistakes)


def test_damaged_submission_is_reported_by_name_and_the_others_are_graded(pipeline):
    code, output = _step(pipeline, "autograde")
    assert code == 1  # something needs the instructor's attention
    assert "NOT GRADED (see the logs; the others were graded): damaged-file (" in output
    assert "not a readable notebook" in output
    rows = _grades(pipeline)
    assert rows["damaged-file"]["status"] == "not graded" and rows["damaged-file"]["score"] == ""
    graded = [name for name, row in rows.items() if row["status"] == "graded"]
    assert sorted(graded) == sorted([*EXPECTED, "runaway-code"])


def test_repairs_are_reported_by_student(pipeline):
    _, output = _step(pipeline, "autograde")
    sections = {}
    for line in output.splitlines():
        if line and not line.startswith(" "):
            current = line.split()[0]
            sections[current] = []
        elif line.strip().startswith("- "):
            sections[current].append(line.strip()[2:])
    copied = " ".join(sections["copied-cells"])
    assert "renamed notebook 'ps00-tools-Copy1.ipynb' graded as 'ps00-tools.ipynb'" in copied
    assert "graded cell 'task1-visible' appears 2 times" in copied
    assert "graded cell 'task2-answer' appears 2 times" in copied
    assert "repeats the cell ids" in copied
    assert "lost all its nbgrader cell metadata" in " ".join(sections["stripped-metadata"])
    assert "test cell 'task3-hidden' had been deleted: nbgrader put it back" in " ".join(sections["deleted-test"])
    assert sections["reference"] == [] and sections["blank"] == []


def test_runaway_code_hits_the_limits_and_is_still_graded(pipeline):
    _, output = _step(pipeline, "autograde")
    assert _grades(pipeline)["runaway-code"]["status"] == "graded"
    assert float(_grades(pipeline)["runaway-code"]["score"]) == RUNAWAY_SCORE
    assert "task1-answer ran out of memory (limit 2048 MiB)" in output
    assert "task4-answer ran out of time (limit 30 s per cell)" in output


def test_feedback_is_written_without_hidden_tests(pipeline):
    code, output = _step(pipeline, "feedback")
    assert code == 0, output
    feedback = pipeline["course"] / "feedback"
    for student in [*EXPECTED, "runaway-code"]:
        html = (feedback / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "selfcheck_hint" not in html
        assert "check_array_close" not in html and "check_frame_close" not in html
        assert "hidden tests: not shown in feedback" in html
    mistakes = (feedback / "mistake-percent" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    # which hidden test failed, and its teaching message, are kept
    assert "old_age_dependency_by_sex does not have the right values yet." in mistakes
    assert "ages 15 to 64 inclusive" in mistakes
    assert not (feedback / "damaged-file").exists()


def test_grade_csv_rows(pipeline):
    code, output = _step(pipeline, "export")
    assert code == 0 and "wrote 9 grade row(s)" in output
    with open(pipeline["base"] / "grades.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["student_id", "assignment", "score", "max_score", "percent", "status"]
    assert len(rows) == len(EXPECTED) + 2 and {row["assignment"] for row in rows} == {ASSIGNMENT}
    for row in rows:
        if row["score"]:
            assert float(row["percent"]) == pytest.approx(round(100 * float(row["score"]) / 14.0, 2))
    assert _grades(pipeline)["mistake-percent"]["percent"] == "57.14"


def test_status_and_regrading(pipeline):
    code, output = _step(pipeline, "status")
    assert code == 0
    assert "ps00-tools: released; 9 submitted, 8 graded, 1 not graded yet [damaged-file], 0 missing" in output
    code, output = _step(pipeline, "regrade")
    assert code == 0 and "already graded: not graded again (use --force)" in output
