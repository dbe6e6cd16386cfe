"""Execute a student's notebook inside the grading sandbox, and record what the tests will read.

``python -m qsp.course.runner INPUT_FOLDER`` is started by :mod:`qsp.course.confine` inside a
bubblewrap sandbox (or, with ``--unsafe-no-sandbox``, as a plain process). ``INPUT_FOLDER``
(read-only) holds ``plan.json`` and the assignment's files. The runner

1. copies the files to a scratch working folder (``$HOME/work``, in memory);
2. starts a Jupyter kernel (over Unix sockets) and runs the plan's cells one by one, with a time
   limit per cell (the kernel is interrupted at the limit; a kernel that ignores interrupts is
   given up on and the remaining cells are not run);
3. where a test cell stood, runs one call of :func:`qsp.course.capture.capture`, which writes
   the values the test reads as plain data;
4. writes one zip archive to its standard output (the original one, which the kernel does not
   share): the captures, each cell's outputs, and what it noticed (``runner.json``).

Nothing here is trusted by the grader: the student's code runs in the same sandbox and could
change anything the runner does; it can only spoil the record of its own work.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import shutil
import sys
import time

PLAN = "plan.json"
MAX_TEXT_OUTPUT = 50_000
"""Characters of text output kept per cell (the rest is cut)."""
MAX_IMAGE_BYTES = 1_500_000
KEPT_MIME_TYPES = ("text/plain", "image/png", "image/jpeg")
"""Rich outputs kept for feedback: plain text and bitmaps (no HTML, SVG or JavaScript)."""

PROBE_START = "__import__('qsp.course.capture', fromlist=['_']).probe_start(get_ipython())"
PROBE_END = "__import__('qsp.course.capture', fromlist=['_']).probe_report(get_ipython())"
"""Expressions evaluated before the first and after the last cell, as ``user_expressions`` of an empty
execution: IPython evaluates those with ``eval``, so cells rewritten by the notebook do not hide them."""


def _capture_code(capture_id: str, names: list[str], folder: str) -> str:
    return (f"__import__('qsp.course.capture', fromlist=['_']).capture(globals(), {capture_id!r}, {names!r}, "
            f"{folder!r})")


def _trim_outputs(outputs: list) -> list:
    """Outputs of one cell, reduced to plain text and bitmaps of bounded size."""
    kept = []
    for output in outputs[:200]:
        kind = output.get("output_type")
        if kind == "stream":
            kept.append({"output_type": "stream", "name": output.get("name", "stdout") if output.get("name") in ("stdout", "stderr") else "stdout",
                         "text": str(output.get("text", ""))[:MAX_TEXT_OUTPUT]})
        elif kind in ("display_data", "execute_result"):
            data = {}
            for mime in KEPT_MIME_TYPES:
                value = output.get("data", {}).get(mime)
                if isinstance(value, str) and len(value) <= (MAX_TEXT_OUTPUT if mime == "text/plain" else MAX_IMAGE_BYTES):
                    data[mime] = value
            if data:
                kept.append({"output_type": kind, "data": data, "metadata": {},
                             **({"execution_count": None} if kind == "execute_result" else {})})
        elif kind == "error":
            kept.append({"output_type": "error", "ename": str(output.get("ename", ""))[:200],
                         "evalue": str(output.get("evalue", ""))[:MAX_TEXT_OUTPUT],
                         "traceback": [str(line)[:5000] for line in output.get("traceback", [])[-30:]]})
    return kept


async def _execute(plan: dict, work: str, captures: str) -> dict:
    from .._startup import skip_slow_optional_imports

    skip_slow_optional_imports()  # before nbformat: qsp._startup says why
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    timeout = int(plan.get("timeout", 60))
    cells = []
    for step in plan["cells"]:
        if step["kind"] == "capture":
            cells.append(nbformat.v4.new_code_cell(_capture_code(step["id"], list(step["names"]), captures)))
        else:
            cells.append(nbformat.v4.new_code_cell(step["source"]))
    notebook = nbformat.v4.new_notebook(cells=cells)
    sockets = os.path.join(os.environ.get("TMPDIR", "/tmp"), "qsp-kernel")
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=sockets)
    client = NotebookClient(
        notebook, km=manager, timeout=timeout, allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeoutError", "evalue": f"the cell ran longer than {timeout} s and was stopped",
                          "traceback": [f"CellTimeoutError: the cell ran longer than {timeout} s and was stopped"]},
        startup_timeout=int(plan.get("startup_timeout", 60)), record_timing=False, shutdown_kernel="immediate",
        resources={"metadata": {"path": work}},
    )
    report: dict = {"cells": [], "stopped": "", "tamper": []}
    async with client.async_setup_kernel():
        await _expression(client, PROBE_START)
        for position, cell in enumerate(cells):
            begin = time.monotonic()
            try:
                await asyncio.wait_for(client.async_execute_cell(cell, position), timeout + 15)
            except DeadKernelError:
                report["stopped"] = f"the kernel died (out of memory, or the code ended it) in cell {position}"
            except TimeoutError:
                report["stopped"] = (f"the kernel stopped responding in cell {position} (a loop that ignores "
                                     "interrupts?): the cells after it were not run")
            except Exception as error:  # anything else stops the run, with its reason
                report["stopped"] = f"{type(error).__name__} in cell {position}: {str(error)[:300]}"
            seconds = time.monotonic() - begin
            timed_out = seconds >= timeout
            outputs = _trim_outputs(cell.get("outputs", []))
            if timed_out and not any(output["output_type"] == "error" for output in outputs):
                outputs.append({"output_type": "error", "ename": "CellTimeoutError",
                                "evalue": f"the cell ran longer than {timeout} s and was stopped", "traceback": []})
            report["cells"].append({"position": position, "seconds": round(seconds, 3), "timed_out": timed_out,
                                    "outputs": outputs})
            if report["stopped"]:
                break
            if timed_out:
                try:
                    await asyncio.wait_for(client.kc.execute_interactive("pass", timeout=5, output_hook=lambda _m: None), 8)
                except Exception:  # no answer: the kernel is stuck
                    report["stopped"] = (f"the kernel did not stop when interrupted in cell {position} (a loop that "
                                         "ignores interrupts?): the cells after it were not run")
                    break
        if not report["stopped"]:
            value = await _expression(client, PROBE_END)
            try:
                report["tamper"] = [str(item)[:300] for item in json.loads(ast.literal_eval(value))][:50]
            except (ValueError, TypeError, SyntaxError):
                report["tamper"] = ["the end-of-run check could not run (the notebook changed the interpreter)"]
    for entry in report["cells"]:
        entry["step"] = entry.pop("position")
    return report


async def _expression(client, expression: str) -> str | None:
    """Evaluate ``expression`` in the kernel as a user expression; its ``text/plain`` value, or None."""
    try:
        reply = await asyncio.wait_for(client.kc.execute_interactive(
            "", silent=True, store_history=False, user_expressions={"value": expression}, timeout=10,
            output_hook=lambda _message: None), 15)
        return reply["content"]["user_expressions"]["value"]["data"]["text/plain"]
    except Exception:  # the kernel did not answer, or the expression failed
        return None


def _processor_seconds() -> float:
    """Processor time of this process and of the children it waited for (the kernel), in seconds."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1:
        print("usage: python -m qsp.course.runner INPUT_FOLDER", file=sys.stderr)
        return 2
    source = arguments[0]
    result = os.fdopen(os.dup(1), "wb")  # not inherited by the kernel (dup'ed descriptors are close-on-exec)
    temporary = os.environ.get("TMPDIR", "/tmp")
    log_path = os.path.join(temporary, "qsp-runner.log")
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = open(1, "w", buffering=1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    with open(os.path.join(source, PLAN)) as handle:
        plan = json.load(handle)
    work = os.path.join(os.path.expanduser("~"), "work")
    shutil.copytree(source, work, ignore=shutil.ignore_patterns(PLAN), dirs_exist_ok=True)
    captures = os.path.join(temporary, "qsp-captures")
    os.makedirs(captures, exist_ok=True)
    os.chdir(work)
    begin = time.monotonic()
    try:
        report = asyncio.run(_execute(plan, work, captures))
    except Exception as error:  # the kernel could not start, or the runner was broken
        report = {"cells": [], "stopped": f"the notebook could not be run: {type(error).__name__}: {str(error)[:300]}",
                  "tamper": []}
    report["seconds"] = round(time.monotonic() - begin, 3)
    report["cpu_seconds"] = round(_processor_seconds(), 2)
    sys.stdout.flush()
    sys.stderr.flush()
    with open(log_path, "rb") as handle:
        handle.seek(max(0, os.path.getsize(log_path) - 20_000))
        tail = handle.read()
    from .plaindata import write_archive

    write_archive(captures, result, {"runner.json": json.dumps(report).encode(), "runner.log": tail})
    result.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
