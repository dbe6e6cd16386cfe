"""Start a grading kernel that cannot see the course's files.

While nbgrader grades a submission, the student's code runs in a notebook kernel that, left
alone, could read the hidden tests (in the source folder and the gradebook), other students'
submissions and grades, or rewrite the gradebook. The grading worker therefore starts the
kernel through this module::

    python -m qsp.course.jail --hide COURSE_ROOT --hide SOURCE ... -- python -m ipykernel_launcher -f FILE

which, before it becomes the kernel (``exec``), enters a mount namespace of its own and lays an
empty, read-only folder over each ``--hide`` folder (``/dev/null`` over a hidden file), leaving
only the kernel's working folder - the submission being graded - visible and writable. The
library, the country data and Python itself stay visible. Nothing outside the kernel process
changes: nbgrader, in the worker, still sees everything.

Mount namespaces need administrator rights inside the namespace: a grader run as root (or in a
container) has them; otherwise the kernel enters a user namespace of its own first, where the
system allows that. Where neither works, the kernel starts anyway, unconfined, and says why on
its standard error, which goes to the submission's grading log.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .sandbox import CLONE_NEWUSER, _map_ids, _unshare

CLONE_NEWNS = 0x00020000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    def encode(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    if libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def _umount(target: str) -> None:
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.umount2(os.fsencode(target), ctypes.c_int(MNT_DETACH))


def _outermost(paths: list[Path]) -> list[Path]:
    """The existing paths, without those inside another one of them (hiding the outer hides them)."""
    existing = sorted({path.resolve() for path in paths if path.exists()}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in existing:
        if not any(path == outer or outer in path.parents for outer in kept):
            kept.append(path)
    return kept


def hide_files(hide: list[Path], keep: Path) -> tuple[bool, str]:
    """In a new mount namespace, lay empty read-only folders over ``hide``, except ``keep``.

    Parameters
    ----------
    hide : list of Path
        Folders (an empty tmpfs is mounted over each) and files (``/dev/null`` over each) to hide.
        Missing paths are ignored.
    keep : Path
        A folder that stays visible and writable, even inside a hidden folder (the kernel's
        working folder).

    Returns
    -------
    (done, how) : (bool, str)
        Whether the files are hidden, and how, or why not (plain words, for the grading log).
    """
    if not sys.platform.startswith("linux"):
        return False, f"hiding files needs Linux namespaces; this system is {sys.platform}"
    uid, gid = os.getuid(), os.getgid()
    error = _unshare(CLONE_NEWNS)
    if error != 0:
        error_user = _unshare(CLONE_NEWUSER | CLONE_NEWNS)
        if error_user != 0:
            return False, (f"could not create a mount namespace ({os.strerror(error)}; as an unprivileged "
                           f"user: {os.strerror(error_user)})")
        try:
            _map_ids(uid, gid)
        except OSError as failure:
            return False, f"could not map ids in a new user namespace ({failure})"
    keep = keep.resolve()
    targets = _outermost(hide)
    folders = [path for path in targets if path.is_dir()]
    staging = None
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE)  # our mounts stay ours
        if any(keep == folder or folder in keep.parents for folder in folders):
            staging = tempfile.mkdtemp(prefix="qsp-keep-")
            _mount(str(keep), staging, None, MS_BIND | MS_REC)
        for path in targets:
            if path.is_dir():
                _mount("tmpfs", str(path), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
            else:
                _mount("/dev/null", str(path), None, MS_BIND)
        if staging is not None:
            keep.mkdir(parents=True, exist_ok=True)
            _mount(staging, str(keep), None, MS_BIND | MS_REC)
            _umount(staging)
        for folder in folders:
            _mount(None, str(folder), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.chdir(keep)
    except OSError as failure:
        return False, f"could not hide the course files ({failure})"
    finally:
        if staging is not None:
            try:
                os.rmdir(staging)
            except OSError:
                pass
    shown = ", ".join(str(path) for path in targets) or "nothing to hide"
    return True, f"hidden: {shown}; visible: {keep}"


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if "--" not in arguments:
        raise SystemExit("usage: python -m qsp.course.jail [--hide PATH ...] -- COMMAND ...")
    split = arguments.index("--")
    parser = argparse.ArgumentParser(prog="python -m qsp.course.jail", description=__doc__.splitlines()[0])
    parser.add_argument("--hide", action="append", default=[], type=Path)
    options = parser.parse_args(arguments[:split])
    command = arguments[split + 1:]
    if not command:
        raise SystemExit("python -m qsp.course.jail: no command after --")
    done, how = hide_files(options.hide, Path.cwd())
    print(f"# files: {'confined' if done else 'NOT confined'} ({how})", file=sys.stderr, flush=True)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
