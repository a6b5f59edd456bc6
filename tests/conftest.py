"""Shared fixtures: the loaded bundled graph, a CLI runner, a network blocker."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import irgraph
from irgraph.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

PREFIXES = """\
@prefix irg: <https://w3id.org/irgraph/ontology#> .
@prefix ir: <https://w3id.org/irgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


@pytest.fixture(scope="session")
def loaded():
    """The bundled data, loaded once on the default store (read-only in tests)."""
    return irgraph.load_data()


@pytest.fixture(scope="session")
def graph(loaded):
    return loaded.graph


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory):
    """A persistent store of the bundled data and 20,000 generated triples (``benchmarks/generate.py``), read-only."""
    import io
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    folder = tmp_path_factory.mktemp("generated")
    buffer = io.StringIO()
    generate(len(irgraph.load_graph()) + 20_000, buffer)
    (folder / "synthetic.nt").write_text(buffer.getvalue(), encoding="utf-8")
    irgraph.fill_store(folder / "store", [folder])
    return irgraph.load_graph(store=f"oxigraph:{folder / 'store'}")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def data_dir(tmp_path):
    """A function writing Turtle (with the project's prefixes) into a fresh data folder."""
    folder = tmp_path / "my-data"
    folder.mkdir()

    def write(name: str, body: str, *, prefixes: bool = True) -> Path:
        path = folder / name
        path.write_text((PREFIXES if prefixes else "") + body, encoding="utf-8")
        return folder

    return write


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test runs with the network blocked: any connection other than loopback fails.

    Tests that care can take this fixture and assert the list of attempts is empty.
    """
    attempts = []
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost"))) or self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(address)
        raise OSError(f"network blocked in tests: {address!r}")

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host in (None, "localhost") or str(host).startswith("127.") or host == "::1":
            return real_getaddrinfo(host, *args, **kwargs)
        attempts.append(host)
        raise OSError(f"DNS blocked in tests: {host!r}")

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


@pytest.fixture(autouse=True)
def no_query_left_running():
    """A query thread a test abandoned at its time limit has ended before the next test starts.

    Without this, a later test could find the process threaded (so unable to
    fork) or slowed down by the test before it.
    """
    yield
    for thread in threading.enumerate():
        if thread.name == "irgraph-query":
            thread.join(60)
            assert not thread.is_alive(), "a query abandoned at its time limit was still running a minute later"
