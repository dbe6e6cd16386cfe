"""Run a grading step in a bubblewrap sandbox that holds no secret and leaves nothing behind.

Both phases of grading (:mod:`qsp.course.twophase`) run through :func:`run_confined`:

- the *execute* phase runs the student's notebook (:mod:`qsp.course.runner`);
- the *check* phase runs the tests on the recorded values (:mod:`qsp.course.checker`): it never
  runs student code, and is confined too, so that no value a student crafted can make the tests
  read anything but the kit and the assignment's own files.

The sandbox is `bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``; Debian and
Ubuntu package ``bubblewrap``), the tool Flatpak uses. Each run gets:

- its own user, PID, mount, network, IPC, UTS and cgroup namespaces (``--unshare-all``): no
  network interface but an isolated loopback, and ``/proc`` shows only the sandbox's processes;
- an unprivileged user: the grader drops to ``nobody`` (65534) before starting ``bwrap`` when it
  runs as root, and ``bwrap`` drops every capability;
- a file system made of read-only binds of the system (``/usr``, a few files of ``/etc``), the
  Python environment, the kit's library and country data, and the step's input folder, with
  ``/tmp`` and a fresh ``HOME`` (and ``IPYTHONDIR``, Jupyter's folders) in memory, size-capped.
  The course folder, the solutions, the gradebook, the feedback and other students' work are not
  in it at all;
- limits: address space (``RLIMIT_AS``), processes, file size, open files; a wall-clock limit
  after which the whole sandbox is killed;
- an end: ``--die-with-parent`` and the end of the PID namespace kill every process it started,
  double-forked or not, when the step ends.

The only way out is the step's standard output, which the grader reads up to a size limit and
treats as untrusted data.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
SANDBOX_HOME = "/home/student"
INPUT_MOUNT = "/grading/input"
TMPFS_BYTES = 512 * 1024 * 1024
"""Size of the in-memory ``/tmp`` and ``HOME`` of a sandbox (each)."""
MAX_PROCESSES = 256
MAX_FILE_BYTES = 512 * 1024 * 1024

ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "nsswitch.conf", "mime.types",
             "passwd", "group", "hosts")
"""The few files of ``/etc`` a Python process needs (no ``shadow``, keys or configuration of services)."""

UNSAFE_FLAG = "--unsafe-no-sandbox"
LABEL_VARIABLE = "QSP_GRADING_RUN"


def run_label(course_root: str | os.PathLike) -> str:
    """The label of the grading steps of a course (see ``label`` in :func:`run_confined`)."""
    import hashlib

    return "course-" + hashlib.sha256(str(Path(course_root).resolve()).encode()).hexdigest()[:16]

SANDBOX_HELP = (
    "Autograding runs student code and needs the bubblewrap sandbox: install it (Debian/Ubuntu: "
    "`sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`), on Linux with user namespaces "
    "allowed (Ubuntu 24.04: `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`, or run the grader as "
    "root in a container). On macOS or Windows, grade inside a Linux container or VM. Only if you trust every "
    f"submission, pass {UNSAFE_FLAG} (recorded in every grade it produces)."
)


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start on this machine; the message says why and what to do."""


@dataclass
class ConfinedResult:
    """What a confined step gave back."""

    returncode: int | None
    stdout: bytes
    stderr_tail: str
    seconds: float
    timed_out: bool = False
    output_cut: bool = False
    notes: list[str] = field(default_factory=list)


def _python_roots() -> list[Path]:
    """Folders the Python environment lives in (the venv, the base install, the kit's sources)."""
    import qsp

    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.base_exec_prefix),
             Path(qsp.__file__).resolve().parent.parent}
    executable = Path(sys.executable)
    roots.add(executable.resolve().parent.parent)
    from qsp.data.loader import data_dir

    try:
        roots.add(data_dir().resolve())
    except Exception:  # no data folder: nothing to bind
        pass
    system = (Path("/usr"), Path("/etc"), Path("/"))
    return sorted({root for root in roots if root.exists() and root not in system}, key=lambda p: len(p.parts))


def _outermost(paths: list[Path]) -> list[Path]:
    kept: list[Path] = []
    for path in sorted(paths, key=lambda p: len(p.parts)):
        if not any(path == outer or outer in path.parents for outer in kept):
            kept.append(path)
    return kept


def bwrap_command(argv: list[str], *, input_dir: Path, environment: dict[str, str]) -> list[str]:
    """The ``bwrap`` command line that runs ``argv`` confined (see the module docstring).

    Run by root, ``bwrap`` makes every namespace but the user one and the command drops to
    ``nobody`` through ``setpriv`` (util-linux) with no capability left and ``no_new_privs``: a
    real unprivileged user outside the sandbox too. Run by anyone else, ``bwrap`` makes a user
    namespace as well and drops every capability; the command runs as that user, unprivileged.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed. " + SANDBOX_HELP)
    as_root = os.geteuid() == 0
    if as_root:
        setpriv = shutil.which("setpriv", path="/usr/bin:/bin")
        if setpriv is None:
            raise SandboxUnavailable("setpriv (util-linux) is missing: it drops the sandbox to the user nobody.")
        namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all",
                  "--bounding-set=-all", "--no-new-privs", "--"]
    else:
        namespaces = ["--unshare-all", "--cap-drop", "ALL"]
        prefix = []
    command = [bwrap, *namespaces, "--die-with-parent", "--new-session",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               # the in-memory folders first: a checkout or venv under /tmp is bound on top of them below
               "--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp",
               "--perms", "0755", "--dir", "/home",
               "--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", SANDBOX_HOME]
    for name in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    for name in ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            command += ["--ro-bind", str(path), str(path)]
    roots = [root for root in _outermost(_python_roots())
             if not str(root).startswith(("/usr/", "/proc/", "/dev/")) and root != Path("/tmp")]
    kept = {Path("/"), Path("/tmp"), Path("/home")}
    parents = sorted({parent for root in roots for parent in root.parents if parent not in kept},
                     key=lambda p: len(p.parts))
    for parent in parents:  # folders bwrap would otherwise make private (0700) on the way to a bind
        if not any(parent == root or root in parent.parents for root in roots):
            command += ["--perms", "0755", "--dir", str(parent)]
    for root in roots:
        command += ["--ro-bind", str(root), str(root)]
    command += ["--perms", "0755", "--dir", str(Path(INPUT_MOUNT).parent),
                "--ro-bind", str(input_dir), INPUT_MOUNT,
                "--chdir", SANDBOX_HOME, "--clearenv"]
    for key, value in environment.items():
        command += ["--setenv", key, value]
    return [*command, "--", *prefix, *argv]


def sandbox_environment(home: str, temporary: str) -> dict[str, str]:
    """Environment of a grading step: fresh HOME and Jupyter/IPython folders, one thread, no plotting window."""
    bin_dir = str(Path(sys.executable).parent)
    environment = {
        "PATH": os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": temporary,
        "USER": "student",
        "LANG": "C.UTF-8",
        "IPYTHONDIR": f"{temporary}/ipython",
        "JUPYTER_CONFIG_DIR": f"{temporary}/jupyter/config",
        "JUPYTER_DATA_DIR": f"{temporary}/jupyter/data",
        "JUPYTER_RUNTIME_DIR": f"{temporary}/jupyter/runtime",
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLCONFIGDIR": f"{temporary}/matplotlib",
        "MPLBACKEND": "Agg",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",  # each thread's malloc arena would reserve address space under RLIMIT_AS
        "NUMBA_CACHE_DIR": f"{temporary}/numba",
    }
    for key in ("QSP_DATA_DIR", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if os.environ.get(key):
            environment[key] = os.environ[key]
    return environment


def _limits(memory_mb: int):
    """A ``preexec_fn``: resource limits of the step's processes."""

    def apply() -> None:
        import resource

        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, memory_mb * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    return apply


def _read_capped(stream, limit: int, sink: list[bytes], cut: list[bool]) -> None:
    total = 0
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            return
        total += len(chunk)
        if total > limit:
            cut[0] = True
            return
        sink.append(chunk)


def prepare_input(folder: Path) -> None:
    """Make ``folder`` (the step's input) readable by the sandbox's unprivileged user."""
    if os.geteuid() != 0:
        return
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def run_confined(
    argv: list[str],
    *,
    input_dir: Path,
    sandboxed: bool = True,
    wall_seconds: float,
    memory_mb: int = 0,
    output_limit: int = 1024 * 1024 * 1024,
    stdin: bytes | None = None,
    label: str = "",
) -> ConfinedResult:
    """Run ``argv`` with ``input_dir`` mounted read-only at :data:`INPUT_MOUNT`; return its standard output.

    Parameters
    ----------
    argv : list of str
        The command, with :data:`INPUT_MOUNT` standing for the input folder.
    input_dir : Path
        The step's input (read-only inside).
    sandboxed : bool
        False runs the command as a plain process (``--unsafe-no-sandbox``): limits and a fresh
        HOME still apply, nothing else.
    wall_seconds : float
        The whole step is killed after this many seconds.
    memory_mb : int
        Address-space limit of every process of the step (MiB; 0: none).
    output_limit : int
        Most bytes of standard output read; past it the step is killed and ``output_cut`` set.
    stdin : bytes, optional
        Sent to the step's standard input.
    label : str
        Set as ``QSP_GRADING_RUN`` in the step's environment: which course the step graded (for
        the instructor, and for tests that look for processes left behind).

    Raises
    ------
    SandboxUnavailable
        If ``sandboxed`` and bubblewrap is missing.
    """
    scratch = None
    if sandboxed:
        home, temporary = SANDBOX_HOME, "/tmp"
        environment = sandbox_environment(home, temporary)
        if label:
            environment[LABEL_VARIABLE] = label
        command = bwrap_command(argv, input_dir=input_dir, environment=environment)
        prepare_input(input_dir)
        cwd = None
    else:
        scratch = Path(tempfile.mkdtemp(prefix="qsp-unsafe-"))
        (scratch / "home").mkdir()
        (scratch / "tmp").mkdir()
        environment = sandbox_environment(str(scratch / "home"), str(scratch / "tmp"))
        if label:
            environment[LABEL_VARIABLE] = label
        command = [part.replace(INPUT_MOUNT, str(input_dir)) for part in argv]
        cwd = str(scratch / "home")
    stderr_file = tempfile.TemporaryFile()
    begin = time.monotonic()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=stderr_file, cwd=cwd, env=environment if not sandboxed else {"PATH": "/usr/bin:/bin"},
        preexec_fn=_limits(memory_mb), start_new_session=True,
    )
    chunks: list[bytes] = []
    cut = [False]
    reader = threading.Thread(target=_read_capped, args=(process.stdout, output_limit, chunks, cut), daemon=True)
    reader.start()
    if stdin is not None:
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
    timed_out = False
    deadline = begin + wall_seconds
    while True:
        try:
            process.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if cut[0] or time.monotonic() > deadline:
                timed_out = not cut[0]
                _kill(process)
                break
    reader.join(timeout=10)
    _kill(process)  # the session of a plain (unsandboxed) step: whatever it left running
    stderr_file.seek(0, os.SEEK_END)
    size = stderr_file.tell()
    stderr_file.seek(max(0, size - 8000))
    tail = stderr_file.read().decode(errors="replace")
    stderr_file.close()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    return ConfinedResult(process.returncode, b"".join(chunks), tail, time.monotonic() - begin,
                          timed_out=timed_out, output_cut=cut[0])


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


_PROBE: tuple[bool, str] | None = None


def probe(force: bool = False) -> tuple[bool, str]:
    """Whether the sandbox starts on this machine: ``(True, how)`` or ``(False, why and what to do)``."""
    global _PROBE
    if _PROBE is not None and not force:
        return _PROBE
    if not sys.platform.startswith("linux"):
        _PROBE = (False, f"this system is {sys.platform}, and the sandbox needs Linux. " + SANDBOX_HELP)
        return _PROBE
    folder = Path(tempfile.mkdtemp(prefix="qsp-probe-"))
    try:
        (folder / "probe.txt").write_text("ok")
        code = ("import os, sys; print(open(sys.argv[1]).read(), os.getuid(), len(os.listdir('/proc')) < 40, "
                "os.path.exists(sys.argv[2]))")
        result = run_confined([sys.executable, "-I", "-c", code, f"{INPUT_MOUNT}/probe.txt", str(_course_marker())],
                              input_dir=folder, wall_seconds=30)
    except SandboxUnavailable as error:
        _PROBE = (False, str(error))
        return _PROBE
    except OSError as error:
        _PROBE = (False, f"bubblewrap could not start ({error}). " + SANDBOX_HELP)
        return _PROBE
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    words = result.stdout.decode(errors="replace").split()
    if result.returncode != 0 or not words or words[0] != "ok":
        reason = result.stderr_tail.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        _PROBE = (False, f"bubblewrap did not start a sandbox ({reason[0][:200]}). " + SANDBOX_HELP)
    elif words[-1] != "False":
        _PROBE = (False, "the sandbox could see the course folder: refusing to grade. " + SANDBOX_HELP)
    else:
        how = ("pid, mount, network, ipc and uts namespaces; runs as nobody" if os.geteuid() == 0 else
               "user, pid, mount, network, ipc and uts namespaces; runs as the grader's user, without capabilities")
        _PROBE = (True, f"bubblewrap sandbox ({how})")
    return _PROBE


def _course_marker() -> Path:
    """A file the sandbox must not see (the kit's checkout root, where the course and solutions live)."""
    import qsp

    return Path(qsp.__file__).resolve().parents[2] / "course"
