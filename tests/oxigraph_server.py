"""A second real triplestore for the tests: Oxigraph's own server (``oxigraph serve``), on loopback for the session.

The ``oxigraph`` package (a test dependency, see docs/development.md) ships
the server as a command; it runs with its store in a temporary folder and
listens on ``127.0.0.1:<free port>`` only. It has no authentication of its
own: ``irgraph push`` sends no credentials to it. Its endpoints: ``/query``
(SPARQL 1.1 Protocol) and ``/store`` (Graph Store Protocol).

Tests that use the ``oxigraph_server`` fixture are skipped, with the reason,
only when the ``oxigraph`` command is not installed (``pip install '.[test]'``
installs it). A server that is installed but does not start is an error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from .virtuoso import _answers, _free_port

STARTUP_SECONDS = 60


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve``: its URLs."""

    http: str
    folder: Path

    @property
    def query_url(self) -> str:
        return f"{self.http}/query"

    @property
    def gsp_url(self) -> str:
        return f"{self.http}/store"

    def store(self, graph: str | None = None) -> str:
        """A ``--store`` value for this server, reading and writing ``graph`` (or irgraph's graph)."""
        query = self.query_url
        if graph is not None:
            query += "?" + urllib.parse.urlencode({"default-graph-uri": graph})
        return f"sparql:{query},{self.gsp_url}"


def _binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")  # installed into this virtual environment
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` on loopback for the whole session, stopped at the end."""
    binary = _binary()
    if binary is None:
        pytest.skip("the oxigraph command is not installed (pip install oxigraph; the test extra installs it)")
    folder = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    output = (folder / "console.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
        cwd=folder, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    server = OxigraphServer(http=f"http://127.0.0.1:{port}", folder=folder)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server.query_url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "console.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"oxigraph serve did not start (exit code {process.poll()}); its log ends:\n{log}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
