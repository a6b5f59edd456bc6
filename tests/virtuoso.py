"""A real triplestore for the tests: Debian's Virtuoso 7, started on loopback for the session.

The server runs as ``virtuoso-t +foreground +configfile FILE`` with its own
copy of the packaged ``virtuoso.ini``: database, temporary database,
transaction, log and lock files in a temporary folder, and ``ServerPort``
set to ``127.0.0.1:<free port>`` in both the ``[Parameters]`` (SQL) and
``[HTTPServer]`` sections, so nothing outside this machine can reach it.
A new database has the user ``dba`` with password ``dba``.

Tests that use the ``virtuoso`` fixture are skipped, with the reason, only
when ``virtuoso-t`` is not installed; ``.ci/run`` installs it, so CI runs
them. A server that is installed but does not start is an error.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
STARTUP_SECONDS = 120
USER = PASSWORD = "dba"


@dataclass
class Virtuoso:
    """A running server: its URLs and the credentials of a new database."""

    http: str
    folder: Path
    user: str = USER
    password: str = PASSWORD

    @property
    def query_url(self) -> str:
        return f"{self.http}/sparql"

    @property
    def gsp_url(self) -> str:
        """The Graph Store endpoint that accepts writes with digest authentication."""
        return f"{self.http}/sparql-graph-crud-auth"

    @property
    def gsp_open_url(self) -> str:
        """The Graph Store endpoint without authentication, which refuses writes."""
        return f"{self.http}/sparql-graph-crud"

    def store(self, graph: str | None = None) -> str:
        """A ``--store`` value for this server, reading and writing ``graph`` (or irgraph's graph)."""
        query = self.query_url
        if graph is not None:
            query += "?" + urllib.parse.urlencode({"default-graph-uri": graph})
        return f"sparql:{query},{self.gsp_url}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(packaged: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged ``virtuoso.ini`` with every file in ``folder`` and both ports on loopback.

    Only the values named here change; the rest of the packaged
    configuration (buffers, limits, plugins) stays as Debian ships it.
    """
    changes = {
        "Database": {
            "DatabaseFile": folder / "virtuoso.db",
            "ErrorLogFile": folder / "virtuoso.log",
            "LockFile": folder / "virtuoso.lck",
            "TransactionFile": folder / "virtuoso.trx",
            "xa_persistent_file": folder / "virtuoso.pxa",
        },
        "TempDatabase": {
            "DatabaseFile": folder / "virtuoso-temp.db",
            "TransactionFile": folder / "virtuoso-temp.trx",
        },
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
    }
    section = ""
    lines = []
    for line in packaged.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip()
        key = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", line)
        if key and key.group(1) in changes.get(section, {}):
            line = f"{key.group(1)} = {changes[section][key.group(1)]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200 and b"boolean" in response.read()
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server on loopback for the whole session, stopped at the end."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource; .ci/run installs it)")
    if not PACKAGED_INI.is_file():
        pytest.fail(f"virtuoso-t is installed but {PACKAGED_INI} is missing: reinstall virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = _free_port()
    sql_port = _free_port()
    config = folder / "virtuoso.ini"
    config.write_text(write_config(PACKAGED_INI.read_text(encoding="utf-8"), folder, sql_port, http_port), encoding="utf-8")
    output = (folder / "console.log").open("wb")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(config)],
        cwd=folder,
        stdout=output,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = Virtuoso(http=f"http://127.0.0.1:{http_port}", folder=folder)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server.query_url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "console.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"Virtuoso did not start (exit code {process.poll()}); its log ends:\n{log}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
