"""Notebook kernels that talk over Unix sockets in a private folder, never over TCP ports.

With Jupyter's default TCP transport each process picks free ports for its kernel by binding and
releasing them; two processes running notebooks side by side can pick the same port, and the
second kernel then dies at start ("Kernel died before replying to kernel_info",
jupyter/jupyter_client#487) or, worse, a client waits on a kernel that is not its own until its
timeout. Every kernel also prints "Kernel is running over TCP without encryption". Unix sockets in
a folder of their own cannot collide, and the kernel listens on no network port.

Used by the lecture runner (``qsp.lectures``, the site and the lecture tests) and by the course's
key builder (``qsp.course.keys``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator


def kernel_sockets() -> tuple[dict[str, str], str | None]:
    """nbclient settings that make a notebook's kernel talk over Unix sockets in a private folder.

    Returns the settings (``{"KernelManager.transport": "ipc", "KernelManager.ip": ...}``) and the
    folder, which the caller removes afterwards; on Windows, which has no Unix sockets here,
    ``({}, None)`` (TCP is kept).
    """
    if os.name == "nt":  # pragma: no cover - no ipc transport: keep TCP
        return {}, None
    base = tempfile.gettempdir()
    if len(base) > 60:  # a Unix socket path must stay under about 100 bytes
        base = "/tmp"
    folder = tempfile.mkdtemp(prefix="qsp-kernel-", dir=base)
    return {"KernelManager.transport": "ipc", "KernelManager.ip": os.path.join(folder, "kernel")}, folder


@contextlib.contextmanager
def socket_kernel_config() -> Iterator[object]:
    """A ``traitlets`` ``Config`` for ``nbclient.NotebookClient(config=...)`` with socket kernels.

    The socket folder is removed when the ``with`` block ends.
    """
    from traitlets.config import Config

    sockets, folder = kernel_sockets()
    config = Config()
    for dotted, value in sockets.items():
        section, trait = dotted.split(".")
        config[section][trait] = value
    try:
        yield config
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
