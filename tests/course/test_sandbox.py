"""Grading processes leave the network before running student code (qsp.course.sandbox)."""

import json
import socket
import subprocess
import sys

CHILD = r"""
import json, socket, sys
from qsp.course.sandbox import isolate_network
port = int(sys.argv[1])
isolated, how = isolate_network()
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    reached = True
except OSError as error:
    reached = False
print(json.dumps({"isolated": isolated, "how": how, "reached": reached,
                  "interfaces": [name for _, name in socket.if_nameindex()]}))
"""


def _run_child(port: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_isolated_process_cannot_reach_a_server_its_parent_can():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # reachable from here
        child = _run_child(port)
    if child["isolated"]:
        assert not child["reached"], "an isolated grading process could still open a TCP connection"
        assert set(child["interfaces"]) <= {"lo"}, child["interfaces"]
        assert "namespace" in child["how"]
    else:  # a system without namespaces: grading goes on, and says why in plain words
        assert child["reached"]
        assert "namespace" in child["how"] or "Linux" in child["how"]

