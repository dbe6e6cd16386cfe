"""The parts of two-phase grading, one by one: plain data, the names a test reads, the sandbox, the checker.

The whole pipeline, and the cheats it must defeat, are in test_adversarial.py and
test_course_pipeline.py.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from qsp.course import confine
from qsp.course.checker import bound_names, free_names
from qsp.course.plaindata import (
    FORMAT,
    PlainDataError,
    Ungradable,
    read_archive,
    write_archive,
    write_capture,
)

ROOT = Path(__file__).resolve().parents[2]


def _round_trip(tmp_path, values: dict) -> dict:
    folder = tmp_path / "captures"
    write_capture(str(folder), "task1-hidden", values)
    archive = tmp_path / "captures.zip"
    with open(archive, "wb") as handle:
        write_archive(str(folder), handle, {"runner.json": b"{}"})
    captures, extra = read_archive(str(archive))
    assert extra == {"runner.json": b"{}"}
    return captures["task1-hidden"]


def test_plain_values_come_back_equal_with_their_types(tmp_path):
    frame = pd.DataFrame({"sex": ["female", "male"], "population": [1.5, 2.5]}, index=pd.Index([3, 7], name="row"))
    multi = pd.Series([1.0, 2.0], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k", "n"]), name="v")
    values = {
        "number": 0.1 + 0.2, "count": 10 ** 30, "flag": True, "nothing": None, "text": "ünïcode", "z": 1 + 2j,
        "array": np.arange(12.0).reshape(3, 4), "ints": np.arange(5, dtype=np.int32), "scalar": np.float64(0.0926),
        "nested": {"a": [1, (2.5, "x")], 3: {4, 5}}, "frame": frame, "series": multi,
        "categorical": pd.Series(["a", "b", "a"], dtype="category"), "nan": float("nan"),
        "objects": np.array([1, "a", None], dtype=object), "np": np, "path": Path("/tmp/x.csv"),
    }
    back = _round_trip(tmp_path, values)
    assert back["number"] == values["number"] and type(back["count"]) is int and back["count"] == 10 ** 30
    assert back["flag"] is True and back["nothing"] is None and back["text"] == "ünïcode" and back["z"] == 1 + 2j
    assert np.array_equal(back["array"], values["array"]) and back["ints"].dtype == np.int32
    assert type(back["scalar"]) is np.float64 and back["scalar"] == np.float64(0.0926)
    assert back["nested"] == {"a": [1, (2.5, "x")], 3: {4, 5}}
    pd.testing.assert_frame_equal(back["frame"], frame)
    pd.testing.assert_series_equal(back["series"], multi)
    assert list(back["categorical"]) == ["a", "b", "a"]
    assert np.isnan(back["nan"]) and back["np"] is np and back["path"] == Path("/tmp/x.csv")
    assert back["objects"].tolist() == [1, "a", None]


def test_qsp_objects_travel_field_by_field_and_code_does_not(tmp_path):
    from qsp.demography import life_table

    table = life_table(np.full((2, 101), 0.02))

    def answer():
        return 1

    class Mine:
        pass

    back = _round_trip(tmp_path, {"table": table, "f": answer, "obj": Mine(), "gen": (i for i in range(3)),
                                  "lam": lambda: 0, "allclose": np.allclose})
    assert type(back["table"]) is type(table) and np.array_equal(back["table"].ex, table.ex)
    for name in ("f", "obj", "gen", "lam"):
        assert isinstance(back[name], Ungradable), name
        assert "could not be graded" in back[name].message(name)
    assert "function" in back["f"].message("f") and back["allclose"] is np.allclose


def test_lying_objects_arrive_as_plain_data_or_not_at_all(tmp_path):
    class Always(np.ndarray):
        def __eq__(self, other):
            return True

    class Liar(float):
        def __eq__(self, other):
            return True

    back = _round_trip(tmp_path, {"a": np.zeros(2).view(Always), "b": Liar(3.0), "c": [Liar(1.0)]})
    assert type(back["a"]) is np.ndarray and not bool(np.all(back["a"] == 1))
    assert isinstance(back["b"], Ungradable) and isinstance(back["c"][0], Ungradable)


def _archive(tmp_path, members: dict[str, bytes]) -> str:
    path = tmp_path / "forged.zip"
    with zipfile.ZipFile(path, "w") as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return str(path)


def test_a_forged_archive_yields_only_data_never_code(tmp_path):
    capture = {"id": "t", "values": {
        "modules": {"t": "module", "name": "os"},
        "escape": {"t": "ref", "module": "numpy", "qualname": "__class__.__subclasses__"},
        "system": {"t": "ref", "module": "subprocess", "qualname": "run"},
        "bad_array": {"t": "array", "ref": "../../etc/passwd"},
        "bad_float": {"t": "float", "v": "__import__('os')"},
        "klass": {"t": "dataclass", "module": "builtins", "qualname": "object", "fields": {}},
        "good": {"t": "int", "v": "7"},
        "deep": json.loads("[" * 50 + "]" * 50) and {"t": "list", "items": [{"t": "list", "items": []}]},
    }}
    buffer = io.BytesIO()
    np.save(buffer, np.array([1, 2], dtype=object), allow_pickle=True)
    members = {"format": FORMAT.encode(), "captures/t.json": json.dumps(capture).encode(),
               "arrays/" + "0" * 32 + ".npy": buffer.getvalue()}
    captures, _ = read_archive(_archive(tmp_path, members))
    values = captures["t"]
    assert values["good"] == 7 and values["deep"] == [[]]
    for name in ("modules", "escape", "system", "bad_array", "bad_float", "klass"):
        assert isinstance(values[name], Ungradable), name
    pickled = {"t": "array", "ref": "0" * 32}
    members["captures/t.json"] = json.dumps({"id": "t", "values": {"x": pickled}}).encode()
    assert isinstance(read_archive(_archive(tmp_path, members))[0]["t"]["x"], Ungradable)


def test_an_archive_that_is_not_one_is_refused(tmp_path):
    with pytest.raises(PlainDataError):
        read_archive(_archive(tmp_path, {"captures/t.json": b"{}"}))
    (tmp_path / "junk").write_bytes(b"not a zip")
    with pytest.raises(PlainDataError):
        read_archive(str(tmp_path / "junk"))
    big = {"format": FORMAT.encode(), "x": b"0" * 2000}
    with pytest.raises(PlainDataError, match="size limit"):
        read_archive(_archive(tmp_path, big), limit=1000)


def test_the_names_a_test_reads_are_its_free_names():
    source = (
        "from qsp.grading import check_array_close\n"
        "_m = pd.read_csv('mortality.csv')\n"
        "for _name, _value in [('Lx', Lx), ('Tx', Tx)]:\n"
        "    check_array_close(_name, _value, table.ex, hint=f'{radix}')\n"
        "x = [y for y in qx]\n"
        "%matplotlib inline\n"
    )
    assert sorted(free_names(source)) == sorted(["pd", "Lx", "Tx", "table", "radix", "qx"])
    assert {"check_array_close", "_m", "_name", "_value", "x", "y"} <= bound_names(source)
    assert free_names("print(len(a0))") == ["a0"]  # builtins are never taken from the notebook


def test_the_sandbox_starts_and_sees_no_course(tmp_path):
    works, how = confine.probe(force=True)
    assert works, how
    (tmp_path / "input.txt").write_text("hello")
    code = (
        "import os, socket, sys\n"
        "print(open(sys.argv[1]).read())\n"
        "print(os.getuid() if os.getuid() != 0 else 'ROOT')\n"
        "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))\n"
        f"print(os.path.exists({str(ROOT / 'course')!r}), os.path.exists({str(ROOT / 'solutions')!r}))\n"
        "try:\n    open(sys.argv[1], 'a')\nexcept OSError as error:\n    print('read-only')\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\nexcept OSError:\n    print('no network')\n"
        "print(os.environ['HOME'], sorted(os.listdir(os.environ['HOME'])))\n"
    )
    result = confine.run_confined([sys.executable, "-I", "-c", code, f"{confine.INPUT_MOUNT}/input.txt"],
                                  input_dir=tmp_path, wall_seconds=60, memory_mb=1024)
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0, result.stderr_tail
    assert lines[0] == "hello" and lines[1] != "ROOT"
    assert len(eval(lines[2])) <= 3  # only the sandbox's own processes: its init, python
    assert lines[3] == "False False" and lines[4] == "read-only" and lines[5] == "no network"
    assert lines[6] == f"{confine.SANDBOX_HOME} []"


def test_the_sandbox_ends_every_process_it_started(tmp_path):
    marker = "qsp-orphan-check-51c2"
    code = ("import subprocess, sys\n"
            f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)  # {marker}'], "
            "start_new_session=True)\nprint('started', flush=True)\n")
    result = confine.run_confined([sys.executable, "-I", "-c", code], input_dir=tmp_path, wall_seconds=60)
    assert result.stdout.decode().strip() == "started"
    alive = [p for p in Path("/proc").iterdir() if p.name.isdigit()
             and marker.encode() in (p / "cmdline").read_bytes() if (p / "cmdline").exists()]
    assert alive == []


def test_the_wall_clock_and_output_limits_stop_a_step(tmp_path):
    slow = confine.run_confined([sys.executable, "-I", "-c", "import time; time.sleep(60)"], input_dir=tmp_path,
                                wall_seconds=2)
    assert slow.timed_out and slow.seconds < 20
    loud = confine.run_confined([sys.executable, "-I", "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"],
                                input_dir=tmp_path, wall_seconds=60, output_limit=1_000_000)
    assert loud.output_cut and len(loud.stdout) <= 1_000_000


def test_autograde_refuses_without_a_sandbox_and_says_what_to_do(monkeypatch, tmp_path):
    from qsp.course.actions import CourseError
    from qsp.course.autograding import autograde_assignments
    from qsp.course.layout import Course

    monkeypatch.setattr(confine, "probe", lambda force=False: (False, "bubblewrap (bwrap) is not installed. "
                                                               + confine.SANDBOX_HELP))
    course = Course.find(ROOT / "course")
    with pytest.raises(CourseError, match="apt-get install bubblewrap.*--unsafe-no-sandbox"):
        autograde_assignments(course, progress=False)
    with pytest.raises(ValueError, match="--memory-mb must be 0"):
        autograde_assignments(course, memory_mb=-1, progress=False)


def test_the_check_runs_setup_cells_as_written_and_hides_expected_values(tmp_path):
    """The checker alone, as a plain process, on a hand-made job (no sandbox needed to test its logic)."""
    (tmp_path / "data.csv").write_text("x\n1\n2\n")
    captures = tmp_path / "captures"
    write_capture(str(captures), "t-visible", {"answer": np.array([1.0, 2.0]), "data": "forged", "np": "fake"})
    write_capture(str(captures), "t-hidden", {"answer": np.array([1.0, 2.5])})
    write_capture(str(captures), "t-code", {"answer": (lambda: 0)})
    with open(tmp_path / "captures.zip", "wb") as handle:
        write_archive(str(captures), handle, {"runner.json": json.dumps({"stopped": ""}).encode()})
    job = {"timeout": 20, "cells": [
        {"kind": "setup", "source": "import numpy as np\nimport pandas as pd\ndata = pd.read_csv('data.csv')['x'].to_numpy(float)"},
        {"kind": "answer", "binds": ["answer"]},
        {"kind": "test", "id": "t-visible", "hidden": False, "names": ["answer", "data", "np"], "binds": [],
         "source": "from qsp.grading import check_array_close\ncheck_array_close('answer', answer, data)\nprint('ok')"},
        {"kind": "test", "id": "t-hidden", "hidden": True, "names": ["answer", "data", "np"], "binds": [],
         "source": "### BEGIN HIDDEN TESTS\nfrom qsp.grading import check_array_close\n"
                   "check_array_close('answer', answer, data * 1.0, hint='add them up')\n### END HIDDEN TESTS"},
        {"kind": "test", "id": "t-code", "hidden": False, "names": ["answer"], "binds": [], "source": "answer + 1"},
        {"kind": "test", "id": "t-missing", "hidden": False, "names": ["answer"], "binds": [], "source": "answer"},
    ]}
    (tmp_path / "job.json").write_text(json.dumps(job))
    result = confine.run_confined([sys.executable, "-I", "-m", "qsp.course.checker", confine.INPUT_MOUNT],
                                  input_dir=tmp_path, sandboxed=False, wall_seconds=120)
    outcome = json.loads(result.stdout)
    results = outcome["results"]
    assert results["t-visible"] == {"passed": True, "message": "", "stdout": "ok\n"}
    hidden = results["t-hidden"]
    assert not hidden["passed"] and "found 2.5" in hidden["message"] and "add them up" in hidden["message"]
    assert "expected" not in hidden["message"].replace("expected value", "")
    assert "could not be graded" in results["t-code"]["message"]
    assert results["t-missing"]["passed"] is False and "did not reach" in results["t-missing"]["message"]
    assert outcome["notes"] == ["the notebook had redefined data, np, which the course defines; the tests used the "
                                "course's own"]


def test_the_plan_replaces_every_test_by_a_capture_and_keeps_no_test_code():
    from qsp.course.twophase import execution_plan, instructor_cells

    source = nbformat.read(ROOT / "solutions" / "ps01-life-tables" / "ps01-life-tables.ipynb", as_version=4)
    cells = instructor_cells(source)
    tests = {cell["id"]: cell for cell in cells if cell["kind"] == "test"}
    plan, positions = execution_plan(source, tests, 30)
    text = json.dumps(plan)
    assert "BEGIN HIDDEN TESTS" not in text and "check_array_close" not in text and "selfcheck_hint" not in text
    captures = [step for step in plan["cells"] if step["kind"] == "capture"]
    assert len(captures) == len(tests) == 14
    assert {"pd", "np", "qx"} <= set(next(step for step in captures if step["id"] == "task2-hidden")["names"])
    assert len(positions) == len(plan["cells"])
    assert os.environ.get("QSP_SELFCHECK_RECORD") is None


@pytest.mark.slow
def test_unsafe_grading_is_recorded_in_every_grade_row(tmp_path):
    import csv
    import shutil

    from qsp.cli import main

    shutil.copytree(ROOT / "course", tmp_path / "course", ignore=shutil.ignore_patterns(
        "gradebook.db", "submitted", "autograded", "feedback", "logs", "*.log", "__pycache__", "*.md"))
    shutil.copytree(ROOT / "solutions" / "ps00-tools", tmp_path / "solutions" / "ps00-tools")
    course = tmp_path / "course"
    folder = course / "submitted" / "trusted" / "ps00-tools"
    folder.mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "samples" / "ps00-tools" / "reference" / "ps00-tools.ipynb", folder)
    assert main(["course", "release", "ps00-tools", "--course-dir", str(course)]) == 0
    assert main(["course", "autograde", "ps00-tools", "--unsafe-no-sandbox", "--no-progress", "--course-dir", str(course)]) == 0
    assert main(["course", "export", "--to", str(tmp_path / "grades.csv"), "--course-dir", str(course)]) == 0
    with open(tmp_path / "grades.csv") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["student_id"] == "trusted" and float(row["score"]) == 14.0 and row["sandbox"] == "no"
    assert "WITHOUT the sandbox" in (course / "logs" / "ps00-tools" / "integrity.log").read_text()
    assert "# student code: NOT SANDBOXED" in (course / "logs" / "ps00-tools" / "trusted.log").read_text()
