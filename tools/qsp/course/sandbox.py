"""Cut a grading process off the network before it runs student code.

Autograding runs untrusted code: a submission could try to send the hidden tests it sees while
being graded to somewhere else, or fetch answers. Grading never needs the network (the
notebook's kernel talks to nbgrader over Unix sockets, its kernel runs in the sandbox of :mod:`qsp.course.confine`),
so each grading process moves itself into a new, empty *network namespace* (Linux
``unshare(CLONE_NEWNET)``): it and the kernel it starts see no network interface at all, not
even a working loopback, while files and Unix sockets work as before.

Creating a network namespace needs administrator rights (``CAP_SYS_ADMIN``), which a grading
machine run as root or in a container has; otherwise, where the system allows unprivileged user
namespaces, the process first enters a user namespace of its own, which grants that right inside
it only. Where neither is possible (macOS, Windows, a locked-down Linux), grading goes on with the
network reachable and :func:`isolate_network` says why, and the grading log records it: the time
and memory limits still apply.
"""

from __future__ import annotations

import os
import sys

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> int:
    """Call the C library's ``unshare``; returns 0 or the ``errno`` of the failure."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def _map_ids(uid: int, gid: int) -> None:
    """After ``unshare(CLONE_NEWUSER)``: keep our own user and group ids inside the new namespace."""
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid} {gid} 1")


def isolate_network() -> tuple[bool, str]:
    """Move this process (and every process it starts from now on) into an empty network namespace.

    Returns
    -------
    isolated : bool
        True when the process now has no network.
    how : str
        How it was done, or why it could not be (in plain words, for the grading log).

    Notes
    -----
    Call it in a process of its own, before starting threads (a multithreaded process cannot
    enter a new user namespace). The process keeps its files and Unix sockets; only network
    interfaces disappear. It cannot be undone within the process.
    """
    if not sys.platform.startswith("linux"):
        return False, f"network isolation needs Linux namespaces; this system is {sys.platform}"
    error = _unshare(CLONE_NEWNET)
    if error == 0:
        return True, "new network namespace (no interfaces)"
    uid, gid = os.getuid(), os.getgid()
    error_user = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if error_user == 0:
        try:
            _map_ids(uid, gid)
        except OSError as failure:
            return True, f"new user and network namespace (no interfaces; ids not mapped: {failure})"
        return True, "new user and network namespace (no interfaces)"
    return False, (f"could not create a network namespace ({os.strerror(error)}; as an unprivileged user: "
                   f"{os.strerror(error_user)}); run the grader as root or in a container, or allow "
                   "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)")
