"""The grading kernel cannot see the course's files (qsp.course.jail)."""

import json
import subprocess
import sys

SNOOP = r"""
import json, os
found = {}
for name in ["source/ps01/ps01.ipynb", "submitted/bob/ps01/ps01.ipynb", "gradebook.db"]:
    path = os.path.join(os.environ["COURSE"], name)
    try:
        with open(path) as handle:
            found[name] = handle.read()
    except OSError as error:
        found[name] = type(error).__name__
try:
    with open(os.path.join(os.environ["COURSE"], "gradebook.db"), "w") as handle:
        handle.write("all grades 100")
    found["write gradebook"] = "written"
except OSError as error:
    found["write gradebook"] = type(error).__name__
with open("answer.txt") as handle:
    found["own file"] = handle.read()
with open("scratch.txt", "w") as handle:
    handle.write("mine")
found["cwd"] = os.getcwd()
print(json.dumps(found))
"""


def test_student_code_sees_only_its_own_submission(tmp_path):
    course = tmp_path / "course"
    for name, text in {"source/ps01/ps01.ipynb": "HIDDEN TESTS", "submitted/bob/ps01/ps01.ipynb": "BOB",
                       "gradebook.db": "GRADES", "autograded/alice/ps01/answer.txt": "ALICE"}.items():
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        (course / name).write_text(text)
    own = course / "autograded" / "alice" / "ps01"
    done = subprocess.run(
        [sys.executable, "-m", "qsp.course.jail", "--hide", str(course), "--hide", str(course / "gradebook.db"),
         "--", sys.executable, "-c", SNOOP],
        cwd=own, capture_output=True, text=True, timeout=60, env={"COURSE": str(course), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["own file"] == "ALICE" and found["cwd"] == str(own)
    assert (own / "scratch.txt").read_text() == "mine", "the kernel's writes to its own folder must be kept"
    assert (course / "gradebook.db").read_text() == "GRADES", "the gradebook must be untouched"
    if "# files: confined" in done.stderr:
        assert found["source/ps01/ps01.ipynb"] == "FileNotFoundError"
        assert found["submitted/bob/ps01/ps01.ipynb"] == "FileNotFoundError"
        assert found["gradebook.db"] in ("", "FileNotFoundError")
        assert found["write gradebook"] != "written"
    else:  # a system without namespaces: the kernel runs, and says why it is not confined
        assert "# files: NOT confined (" in done.stderr, done.stderr


def test_jail_needs_a_command():
    done = subprocess.run([sys.executable, "-m", "qsp.course.jail", "--hide", "/nonexistent"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "usage" in done.stderr
