"""The real nbgrader pipeline, through the `qsp` command, on a temporary copy of the course.

Every assignment whose sample submissions are declared in tests/samples/make_samples.py
(``sample_sets()``: the designed points live there, nowhere else) and present on disk goes
through release -> samples placed under submitted/<student>/<assignment>/ -> one autograde of
everything (a single pool of 2 jobs, time and memory limits) -> feedback -> export -> status,
once per test session (the steps share state). Each sample must get exactly its designed
points: reference = full marks, blank = 0, each typical mistake strictly in between; feedback
hides the hidden tests but says which failed and why; the grade CSV has one right row per
student and assignment. Two more ps00-tools submissions test the engine: a damaged file is
reported by name without stopping the others; a runaway submission hits the memory and time
limits and is still graded.
"""

import contextlib
import csv
import html
import importlib.util
import io
import json
import os
import re
import shutil
import time
import traceback
from pathlib import Path

import nbformat
import pytest
from qsp.cli import main

ROOT = Path(__file__).resolve().parents[2]
ENGINE_ASSIGNMENT = "ps00-tools"  # the assignment that also gets the damaged and runaway submissions
ENGINE_STUDENTS = ("damaged-file", "runaway-code")
RUNAWAY_SCORE = 7.0  # the reference answers, except task 1 (3 points: out of memory) and task 4 (4: endless loop)
CELL_TIMEOUT = 20  # seconds per cell in the test run: the runaway loop waits this long

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader")]


def _load_sample_sets():
    path = ROOT / "tests" / "samples" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: sample_set for name, sample_set in module.sample_sets().items() if sample_set.students_on_disk()}


SAMPLE_SETS = _load_sample_sets()
ASSIGNMENTS = sorted(SAMPLE_SETS)
SAMPLES = [(assignment, student) for assignment in ASSIGNMENTS for student in SAMPLE_SETS[assignment].expected]
ALL_STUDENTS = sorted({student for _, student in SAMPLES} | set(ENGINE_STUDENTS))


def _qsp(course_dir: Path, *argv: str) -> tuple[int, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--course-dir", str(course_dir)])
    return code, out.getvalue() + err.getvalue(), time.perf_counter() - start


def _place(submitted: Path, assignment: str, student: str, files: dict[str, bytes]) -> None:
    folder = submitted / student / assignment
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)


def _engine_submissions(submitted: Path) -> None:
    """A damaged file, and reference answers that exhaust memory (task 1) and loop forever (task 4)."""
    reference = (SAMPLE_SETS[ENGINE_ASSIGNMENT].folder / "reference" / f"{ENGINE_ASSIGNMENT}.ipynb").read_bytes()
    _place(submitted, ENGINE_ASSIGNMENT, "damaged-file", {f"{ENGINE_ASSIGNMENT}.ipynb": reference[: len(reference) // 3]})
    runaway = json.loads(reference)
    for cell in runaway["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id == "task1-answer":
            cell["source"] = ("import numpy\nhog = numpy.ones(400_000_000)  # 3.2 GB, over the limit\n"
                              "total_by_sex = population.sum(axis=-1)")
        elif grade_id == "task4-answer":
            cell["source"] = "import time\nwhile True:  # an endless loop (sleeping, to spare the CPU of the test machine)\n    time.sleep(1)"
    _place(submitted, ENGINE_ASSIGNMENT, "runaway-code", {f"{ENGINE_ASSIGNMENT}.ipynb": json.dumps(runaway).encode()})


def _run_pipeline(base: Path) -> dict:
    shutil.copytree(ROOT / "course", base / "course", ignore=shutil.ignore_patterns(
        "gradebook.db", "submitted", "autograded", "feedback", "logs", "*.log", "__pycache__", "release", "source"))
    for assignment in ASSIGNMENTS:
        shutil.copytree(ROOT / "solutions" / assignment, base / "solutions" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    course = base / "course"
    steps = {"release": _qsp(course, "course", "release")}
    submitted = course / "submitted"
    for assignment, student in SAMPLES:
        folder = SAMPLE_SETS[assignment].folder / student
        _place(submitted, assignment, student, {p.name: p.read_bytes() for p in folder.glob("*.ipynb")})
    if ENGINE_ASSIGNMENT in SAMPLE_SETS:
        _engine_submissions(submitted)
    steps["autograde"] = _qsp(course, "course", "autograde", "--jobs", "2", "--timeout", str(CELL_TIMEOUT),
                              "--memory-mb", "2048", "--no-progress")
    steps["feedback"] = _qsp(course, "course", "feedback")
    steps["export"] = _qsp(course, "course", "export", "--to", str(base / "grades.csv"))
    steps["status"] = _qsp(course, "course", "status")
    steps["regrade"] = _qsp(course, "course", "autograde", ENGINE_ASSIGNMENT, "--student", "reference", "--no-progress")
    return steps


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    """Run the pipeline once per test session, even when pytest-xdist spreads these tests over workers.

    pytest-xdist's ``--dist loadgroup`` does not keep an xdist_group on one worker under pytest 9,
    so the tests of this module may land on several workers: the first to take the file lock runs
    the pipeline and writes its outcome (or its error) to ``steps.json``; the others wait on the
    lock and read it. The folder is shared by the workers of one session and fresh in each session.
    """
    temporary = tmp_path_factory.getbasetemp()
    under_xdist = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    shared = (temporary.parent if under_xdist else temporary) / "qsp-course-pipeline"
    shared.mkdir(exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no file locks (Windows): each worker runs its own copy
        fcntl = None
        shared = Path(tmp_path_factory.mktemp("qsp-course-pipeline"))
    result = shared / "steps.json"
    with open(shared / "lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.is_file():
            base = shared / "copy"
            if base.exists():
                shutil.rmtree(base)
            try:
                outcome = {"steps": _run_pipeline(base)}
            except Exception:  # recorded, so the other workers fail at once instead of running it again
                outcome = {"error": traceback.format_exc()}
            result.write_text(json.dumps(outcome))
        outcome = json.loads(result.read_text())
    if "error" in outcome:
        pytest.fail(f"the course pipeline could not run:\n{outcome['error']}", pytrace=False)
    steps = {name: tuple(value) for name, value in outcome["steps"].items()}
    print(f"\npipeline timings (s): { {name: round(seconds, 1) for name, (_, _, seconds) in steps.items()} }")
    base = shared / "copy"
    return {"base": base, "course": base / "course", "steps": steps}


def _step(pipeline, name):
    code, output, _ = pipeline["steps"][name]
    return code, output


def _rows(pipeline) -> list[dict]:
    with open(pipeline["base"] / "grades.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _grades(pipeline, assignment: str) -> dict[str, dict]:
    return {row["student_id"]: row for row in _rows(pipeline) if row["assignment"] == assignment}


def _report_sections(output: str) -> dict[tuple[str, str], list[str]]:
    """The notes of ``qsp course autograde``'s report, by (assignment, student)."""
    sections: dict[tuple[str, str], list[str]] = {}
    assignment = student = None
    for line in output.splitlines():
        header = re.match(r"^(\S+): \d+ graded, \d+ skipped, \d+ failed in ", line)
        if header:
            assignment = header.group(1)
        elif line and not line.startswith(" ") and assignment and not line.startswith(("NOT GRADED", "logs:")):
            student = line.split()[0]
            sections[assignment, student] = []
        elif line.strip().startswith("- ") and student:
            sections[assignment, student].append(line.strip()[2:])
    return sections


# --------------------------------------------------------------------------- the designed points


def test_samples_of_every_assignment_with_samples_are_tested():
    assert ENGINE_ASSIGNMENT in ASSIGNMENTS and "ps02-projection" in ASSIGNMENTS
    for assignment in ASSIGNMENTS:
        assert (ROOT / "solutions" / assignment).is_dir()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_designed_points_reference_full_blank_zero_mistakes_in_between(assignment):
    sample_set = SAMPLE_SETS[assignment]
    assert sample_set.expected["reference"] == sample_set.max_score
    assert sample_set.expected["blank"] == 0.0
    assert len(sample_set.mistakes) >= 2, "at least two typical-mistake samples (mistake-*) per assignment"
    for student, points in sample_set.mistakes.items():
        assert 0.0 < points < sample_set.max_score, f"{assignment}/{student}: a typical mistake must score in between"
    solution_points = sum(
        float(cell.metadata["nbgrader"].get("points", 0))
        for path in sorted((ROOT / "solutions" / assignment).glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    )
    assert solution_points == sample_set.max_score


# --------------------------------------------------------------------------- the pipeline


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_reproduces_the_committed_exercises(pipeline, assignment):
    code, output = _step(pipeline, "release")
    assert code == 0, output
    fresh = pipeline["base"] / "exercises" / assignment
    committed = ROOT / "exercises" / assignment
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
                             and ".ipynb_checkpoints" not in p.parts)
    assert fresh_files == committed_files
    for relative in fresh_files:
        assert (fresh / relative).read_bytes() == (committed / relative).read_bytes(), (
            f"exercises/{assignment}/{relative} differs from a fresh release: run `qsp course release` "
            "(exercises/ is generated, never edited by hand)"
        )


@pytest.mark.parametrize(("assignment", "student"), SAMPLES)
def test_each_sample_gets_the_designed_points(pipeline, assignment, student):
    row = _grades(pipeline, assignment)[student]
    assert row["status"] == "graded", row
    assert float(row["max_score"]) == SAMPLE_SETS[assignment].max_score
    assert float(row["score"]) == SAMPLE_SETS[assignment].expected[student], (
        f"{assignment}/{student} scored {row['score']}, designed {SAMPLE_SETS[assignment].expected[student]}: "
        f"see {pipeline['course'] / 'autograded' / student / assignment}"
    )


def test_damaged_submission_is_reported_by_name_and_the_others_are_graded(pipeline):
    code, output = _step(pipeline, "autograde")
    assert code == 1  # something needs the instructor's attention
    assert "NOT GRADED (see the logs; the others were graded): damaged-file (" in output
    assert "not a readable notebook" in output
    rows = _grades(pipeline, ENGINE_ASSIGNMENT)
    assert rows["damaged-file"]["status"] == "not graded" and rows["damaged-file"]["score"] == ""
    graded = sorted(name for name, row in rows.items() if row["status"] == "graded")
    assert graded == sorted([*SAMPLE_SETS[ENGINE_ASSIGNMENT].expected, "runaway-code"])
    for assignment in ASSIGNMENTS:
        assert re.search(rf"^{assignment}: {len(SAMPLE_SETS[assignment].expected) + (assignment == ENGINE_ASSIGNMENT)} "
                         rf"graded, 0 skipped, {int(assignment == ENGINE_ASSIGNMENT)} failed in ", output, re.M), output


def test_repairs_are_reported_by_student(pipeline):
    sections = _report_sections(_step(pipeline, "autograde")[1])
    notes = {student: " ".join(lines) for (assignment, student), lines in sections.items() if assignment == ENGINE_ASSIGNMENT}
    assert "renamed notebook 'ps00-tools-Copy1.ipynb' graded as 'ps00-tools.ipynb'" in notes["copied-cells"]
    assert "graded cell 'task1-visible' appears 2 times" in notes["copied-cells"]
    assert "graded cell 'task2-answer' appears 2 times" in notes["copied-cells"]
    assert "repeats the cell ids" in notes["copied-cells"]
    assert "lost all its nbgrader cell metadata" in notes["stripped-metadata"]
    assert "test cell 'task3-hidden' had been deleted: nbgrader put it back" in notes["deleted-test"]
    for assignment, student in SAMPLES:
        if student == "reference" or student == "blank" or student.startswith("mistake-"):
            assert sections[assignment, student] == [], f"{assignment}/{student}: nothing to repair or report"


def test_runaway_code_hits_the_limits_and_is_still_graded(pipeline):
    _, output = _step(pipeline, "autograde")
    row = _grades(pipeline, ENGINE_ASSIGNMENT)["runaway-code"]
    assert row["status"] == "graded" and float(row["score"]) == RUNAWAY_SCORE
    assert "task1-answer ran out of memory (limit 2048 MiB)" in output
    assert f"task4-answer ran out of time (limit {CELL_TIMEOUT} s per cell)" in output


def test_every_grading_process_ran_without_network_or_course_files(pipeline):
    # qsp.course.sandbox: each grading process says in its log whether it left the network.
    # On Linux machines that allow namespaces (this project's development and CI machines),
    # none of them can reach the network; elsewhere the log says why not.
    _step(pipeline, "autograde")
    logs = sorted((pipeline["course"] / "logs").glob("*/*.log"))
    assert logs, "no grading logs written"
    for log in logs:
        lines = [line for line in log.read_text().splitlines() if line.startswith("# network:")]
        assert lines, f"{log.name}: the grading log does not say whether the network was cut"
        assert all(line.startswith("# network: none") or "could not" in line or "needs Linux" in line
                   for line in lines), lines
        # qsp.course.twophase: the student's code ran in the bubblewrap sandbox
        if "Skipping existing assignment" in log.read_text():
            continue  # a re-run that found the submission graded already: nothing ran
        confined = [line for line in log.read_text().splitlines() if line.startswith("# student code:")]
        assert confined == ["# student code: sandboxed"] * len(confined) and confined, log.name


def _hidden_lines(assignment: str) -> list[str]:
    """Lines of the hidden tests of ``assignment`` that appear nowhere in its release."""
    released_lines = set()
    for path in sorted((ROOT / "exercises" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            released_lines |= {line.strip() for line in cell.source.splitlines()}
    hidden = []
    for path in sorted((ROOT / "solutions" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) >= 8 and line.strip() not in released_lines:
                    hidden.append(line.strip())
    return hidden


def _html_text(path: Path) -> str:
    """What a reader of the HTML sees: tags removed, entities decoded (code highlighting undone)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_is_written_without_hidden_tests(pipeline, assignment):
    code, output = _step(pipeline, "feedback")
    assert code == 0, output
    hidden = _hidden_lines(assignment)
    assert hidden, f"{assignment} has no hidden tests"
    feedback = pipeline["course"] / "feedback"
    sample_set = SAMPLE_SETS[assignment]
    students = [*sample_set.expected, *(["runaway-code"] if assignment == ENGINE_ASSIGNMENT else [])]
    for student in students:
        autograded = "\n".join(
            cell.source for path in sorted((pipeline["course"] / "autograded" / student / assignment).glob("*.ipynb"))
            for cell in nbformat.read(path, as_version=4).cells
        )
        assert all(line in autograded for line in hidden)  # the autograded notebook ran the hidden tests
        pages = sorted((feedback / student / assignment).glob("*.html"))
        assert pages, f"no feedback for {assignment}/{student}"
        text = "\n".join(_html_text(page) for page in pages)
        shown = [line for line in hidden if line in text]
        assert not shown, f"feedback of {assignment}/{student} shows hidden tests: {shown[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text and "hidden tests: not shown in feedback" in text
        points = sample_set.expected.get(student, RUNAWAY_SCORE)
        assert re.search(rf"Score: {points:.1f} / {sample_set.max_score:.1f}", text), f"{assignment}/{student}"
        if student.startswith("mistake-"):  # which test failed, and why, is kept
            assert re.search(r"Wrong\w*Error: |AnswerError: ", text), f"{assignment}/{student}: no failure message"
    assert not (feedback / "damaged-file" / assignment).exists()


def test_feedback_keeps_the_teaching_message_of_a_failed_hidden_test(pipeline):
    text = _html_text(pipeline["course"] / "feedback" / "mistake-percent" / ENGINE_ASSIGNMENT / f"{ENGINE_ASSIGNMENT}.html")
    assert "old_age_dependency_by_sex does not have the right values yet." in text
    assert "ages 15 to 64 inclusive" in text


def test_grade_csv_rows(pipeline):
    code, output = _step(pipeline, "export")
    rows = _rows(pipeline)
    assert code == 0 and f"wrote {len(rows)} grade row(s)" in output
    with open(pipeline["base"] / "grades.csv", newline="") as handle:
        assert next(csv.reader(handle)) == ["student_id", "assignment", "score", "max_score", "percent", "status",
                                            "sandbox"]
    # one row per student of the course and assignment, sorted by assignment and student
    assert [(row["assignment"], row["student_id"]) for row in rows] == [
        (assignment, student) for assignment in ASSIGNMENTS for student in ALL_STUDENTS
    ]
    for assignment in ASSIGNMENTS:
        sample_set = SAMPLE_SETS[assignment]
        for student, row in _grades(pipeline, assignment).items():
            assert float(row["max_score"]) == sample_set.max_score
            if student in sample_set.expected or (assignment == ENGINE_ASSIGNMENT and student == "runaway-code"):
                assert row["status"] == "graded" and row["sandbox"] == "yes"
            elif assignment == ENGINE_ASSIGNMENT and student == "damaged-file":
                assert row["status"] == "not graded" and row["score"] == row["percent"] == ""
            else:  # a student of the course with no submission: an empty score, never a 0 that overwrites a grade
                assert row["status"] == "missing" and row["score"] == row["percent"] == ""
            if row["score"]:
                assert float(row["percent"]) == round(100 * float(row["score"]) / sample_set.max_score, 2)
    assert _grades(pipeline, ENGINE_ASSIGNMENT)["mistake-percent"]["percent"] == "57.14"
    # the wide file Moodle and Canvas import: one column per assignment, the maximum scores in its first row
    with open(pipeline["base"] / "grades-wide.csv", newline="") as handle:
        wide = list(csv.DictReader(handle))
    assert list(wide[0]) == ["Student", "SIS User ID", "SIS Login ID", "Section", *ASSIGNMENTS]
    assert wide[0]["Student"] == "Points Possible"
    assert [line["Student"] for line in wide[1:]] == sorted(ALL_STUDENTS)
    for row in rows:
        line = next(line for line in wide[1:] if line["SIS User ID"] == row["student_id"])
        assert line[row["assignment"]] == row["score"]
        assert float(wide[0][row["assignment"]]) == float(row["max_score"])


def test_status_and_regrading(pipeline):
    code, output = _step(pipeline, "status")
    assert code == 0
    for assignment in ASSIGNMENTS:
        submitted = len(SAMPLE_SETS[assignment].expected) + (len(ENGINE_STUDENTS) if assignment == ENGINE_ASSIGNMENT else 0)
        missing = len(ALL_STUDENTS) - submitted
        not_graded = "1 not graded yet [damaged-file]" if assignment == ENGINE_ASSIGNMENT else "0 not graded yet"
        graded = submitted - (assignment == ENGINE_ASSIGNMENT)
        assert f"{assignment}: released; {submitted} submitted, {graded} graded, {not_graded}, {missing} missing" in output
    code, output = _step(pipeline, "regrade")
    assert code == 0 and "already graded: not graded again (use --force)" in output
