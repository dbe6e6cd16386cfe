"""benchmarks/autograde.py prepares its submissions and reports correctly (fast: nothing is graded here).

The timing itself is `make bench`'s job; here the plan of submissions, the course copy, the
score check and the table are tested with made-up timings.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_autograde", ROOT / "benchmarks" / "autograde.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_submissions_cycle_through_the_samples_plain_nbgrader_can_grade(bench):
    plan = bench.plan_submissions("ps00-tools", 9)
    assert [s.student for s in plan] == [f"student-{i:02d}" for i in range(1, 10)]
    samples = [s.sample for s in plan]
    assert "copied-cells" not in samples  # a renamed notebook: only qsp's engine grades it as designed
    assert samples[:6] == ["blank", "deleted-test", "mistake-axis", "mistake-percent", "reference", "stripped-metadata"]
    assert samples[6:] == samples[:3]
    points = {s.sample: s.points for s in plan}
    assert points["reference"] == 14.0 and points["blank"] == 0.0 and points["mistake-axis"] == 7.0
    assert all(set(s.files) == {"ps00-tools.ipynb"} for s in plan)


def test_bad_requests_say_what_is_wrong(bench):
    with pytest.raises(ValueError, match="count must be at least 1 submission, got 0"):
        bench.plan_submissions("ps00-tools", 0)
    with pytest.raises(ValueError, match="no sample submissions declared for 'ps99-none'"):
        bench.plan_submissions("ps99-none", 3)


def test_the_course_copy_holds_the_solution_and_the_submissions(bench, tmp_path):
    from qsp.course.layout import Course

    plan = bench.plan_submissions("ps00-tools", 3)
    course = Course.find(bench.prepare_course(tmp_path / "copy", "ps00-tools", plan))
    assert course.root == (tmp_path / "copy" / "course").resolve()
    assert course.assignments() == ["ps00-tools"]
    assert course.submitted_students("ps00-tools") == ["student-01", "student-02", "student-03"]
    submitted = course.submitted / "student-01" / "ps00-tools" / "ps00-tools.ipynb"
    assert submitted.read_bytes() == plan[0].files["ps00-tools.ipynb"]
    assert not (course.root / "gradebook.db").exists()


def test_scores_are_checked_and_the_table_gives_the_ratio(bench):
    plan = bench.plan_submissions("ps00-tools", 4)
    right = {s.student: s.points for s in plan}
    serial = bench.Run("nbgrader autograde ps00-tools (serial)", [], seconds=40.0, load_before=0.5, scores=right)
    parallel = bench.Run("qsp course autograde ps00-tools --jobs 2", [], seconds=20.0, load_before=0.7,
                         scores={**right, "student-02": None})
    problems = bench.check_scores([serial, parallel], plan)
    assert problems == ["qsp course autograde ps00-tools --jobs 2: student-02 (a copy of deleted-test) scored "
                        "nothing (not graded), designed 14"]
    table = bench.format_table("ps00-tools", plan, serial, parallel, jobs=2)
    assert "Autograding 4 submissions of ps00-tools" in table
    assert "ratio serial / qsp --jobs 2: 2.00x" in table
    assert " 40.0 " in table and "10.00" in table and "3/4" in table and "4/4" in table


def test_the_table_compares_two_phase_grading_with_one_kernel(bench, tmp_path):
    plan = bench.plan_submissions("ps00-tools", 4)
    right = {s.student: s.points for s in plan}
    baseline = bench.Run("nbgrader autograde ps00-tools (one kernel)", [], seconds=20.0, scores=right)
    serial = bench.Run("nbgrader autograde ps00-tools (two-phase)", [], seconds=24.0, scores=right)
    parallel = bench.Run("qsp course autograde ps00-tools --jobs 2", [], seconds=13.0, scores=right)
    table = bench.format_table("ps00-tools", plan, serial, parallel, jobs=2, baseline=baseline)
    assert "per submission: 6.00 s against 5.00 s in one kernel (1.20x)" in table
    assert "qsp --jobs 2: 3.25 s per submission (0.65x the single-kernel serial time)" in table
    course = bench.prepare_course(tmp_path / "copy", "ps00-tools", plan)
    bench.single_kernel_course(course)
    config = (course / "nbgrader_config.py").read_text()
    assert config.rstrip().endswith("SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]")
