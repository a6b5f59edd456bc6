"""Stores: the same answers on every store; a persistent store that loads atomically; push to a real server.

The differential test runs every query file in ``src/irgraph/queries/`` (new
ones are picked up automatically) on rdflib's memory store, Oxigraph on disk
and Virtuoso, and compares each answer with Oxigraph in memory. The known,
documented differences (README, "Stores") are normalised in ``canonical``:
row order (ties under ORDER BY are the engine's choice), the order inside
GROUP_CONCAT (the catalog separates with " | "), the numeric datatype of a
number, a boolean that Virtuoso 7.2 gives as the integer 1 or 0 (from
``BIND(NOT EXISTS …)``), and ``xsd:string`` on a plain string. Nothing else is, with one
exception, also documented: Virtuoso 7.2 loses or repeats rows of some
queries that combine transitive property paths (``*``, ``+``) with other
patterns; for those queries every row it returns must still be a right one.
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import re
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

import irgraph
from irgraph.catalog import catalog
from irgraph.cli import main
from irgraph.errors import LoadError, RemoteError, UsageError
from irgraph.load import fill_store
from irgraph.remote import push, remote_graph
from irgraph.store import DEFAULT_GRAPH_IRI, MANIFEST_NAME, StoreSpec, many_objects, memory_copy, parse_store, rdflib_converter

from .oxigraph_server import oxigraph_server  # noqa: F401 - the fixture is used by name
from .virtuoso import PACKAGED_INI, virtuoso, write_config  # noqa: F401 - the fixture is used by name

CATALOG = sorted(catalog())
#: the longest answer Virtuoso gives with the configuration Debian ships (``ResultSetMaxRows``)
VIRTUOSO_MAX_ROWS = 10_000
#: a transitive property path such as ``skos:broader*`` or ``a/rdfs:subClassOf+``
TRANSITIVE_PATH = re.compile(r"[\w>)][*+](?=[\s/;.)|])")
SECRET = "s3cr3t-Pa55word-never-shown"
_NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.decimal, XSD.double, XSD.float,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.unsignedInt, XSD.unsignedLong}


# --- answers, compared across stores ----------------------------------------------


def run_query(graph: Graph, text: str):
    """The one place these tests run a query: the same checked path as `irgraph query`."""
    from irgraph.query import run_query as checked_run_query

    return checked_run_query(graph, text)


def canonical_term(term):
    """A term with the documented differences between engines taken out."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if term.language:
        return ("text", str(term), term.language.lower())
    if term.datatype in _NUMERIC:
        return ("number", Decimal(str(term.toPython())).normalize())
    if term.datatype == XSD.boolean and str(term) in ("true", "false", "1", "0"):  # Virtuoso 7.2 answers 1 or 0
        return ("number", Decimal(1 if str(term) in ("true", "1") else 0))
    if term.datatype in (None, XSD.string):
        text = str(term)
        if " | " in text:  # GROUP_CONCAT's order is the engine's choice
            text = " | ".join(sorted(text.split(" | ")))
        return ("text", text, "")
    return ("typed", str(term), str(term.datatype))


def canonical(result) -> dict:
    """A query answer as comparable data: variables, and rows as a sorted list (row order is the engine's)."""
    if result.kind == "ask":
        return {"ask": bool(result.boolean)}
    if result.kind == "graph":
        return {"triples": sorted(tuple(map(repr, map(canonical_term, t))) for t in result.triples)}
    variables = list(result.variables)
    rows = [tuple(canonical_term(row.get(v)) for v in variables) for row in result.rows]
    return {"variables": variables, "rows": sorted(rows, key=repr)}


def answers(graph: Graph) -> dict:
    return {name: canonical(run_query(graph, catalog()[name].text)) for name in CATALOG}


@pytest.fixture(scope="module")
def embedded_answers(graph):
    return answers(graph)


@pytest.fixture(scope="module")
def persistent_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("persistent") / "store"
    fill_store(folder)
    return folder


@pytest.fixture(scope="module")
def pushed(virtuoso, graph):
    """The bundled graph pushed into irgraph's graph on Virtuoso; the --store value to read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IRGRAPH_SPARQL_USER", virtuoso.user)
        patch.setenv("IRGRAPH_SPARQL_PASSWORD", virtuoso.password)
        push(graph, virtuoso.store())
    return virtuoso.store()


@pytest.fixture(scope="module")
def pushed_to_oxigraph(oxigraph_server, graph):
    """The bundled graph pushed into irgraph's graph on ``oxigraph serve`` (no credentials); the --store value."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("IRGRAPH_SPARQL_USER", raising=False)
        patch.delenv("IRGRAPH_SPARQL_PASSWORD", raising=False)
        push(graph, oxigraph_server.store())
    return oxigraph_server.store()


STORES = {
    "memory": lambda request: irgraph.load_graph(store="memory"),
    "oxigraph-server": lambda request: remote_graph(request.getfixturevalue("pushed_to_oxigraph")),
    "oxigraph-on-disk": lambda request: irgraph.load_graph(store=f"oxigraph:{request.getfixturevalue('persistent_store')}"),
    "virtuoso": lambda request: remote_graph(request.getfixturevalue("pushed")),
}


@pytest.fixture(scope="module", params=sorted(STORES))
def store_answers(request):
    return request.param, answers(STORES[request.param](request))


def test_the_catalog_is_not_empty():
    assert "summary-counts" in CATALOG and len(CATALOG) >= 5


def test_transitive_paths_are_recognised():
    assert TRANSITIVE_PATH.search("?i a/rdfs:subClassOf* irg:Intervention ;")
    assert TRANSITIVE_PATH.search("?d skos:broader+ ir:donor-other-person .")
    assert not TRANSITIVE_PATH.search("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)")


@pytest.mark.parametrize("name", CATALOG)
def test_every_store_gives_the_embedded_answer(store_answers, embedded_answers, name):
    store, got = store_answers
    expected = embedded_answers[name]
    if store == "virtuoso" and TRANSITIVE_PATH.search(catalog()[name].text) and got[name] != expected:
        # Virtuoso 7.2's known property-path bug (README, "Stores"): rows may be
        # lost or repeated, but every row it returns must be a right one.
        assert got[name]["variables"] == expected["variables"]
        assert set(got[name]["rows"]) <= set(expected["rows"]), f"{name}.rq returns wrong rows on {store}"
        pytest.xfail(f"Virtuoso 7.2 loses or repeats rows of {name}.rq (transitive property paths)")
    if store == "virtuoso" and "rows" in got[name] and len(got[name]["rows"]) == VIRTUOSO_MAX_ROWS < len(expected["rows"]):
        # Virtuoso's ResultSetMaxRows (docs/stores.md: 10,000 as Debian ships it) cuts a longer answer;
        # the parameterised vocabulary-* queries run unbound here are the ones this long
        assert set(got[name]["rows"]) <= set(expected["rows"]), f"{name}.rq returns wrong rows on {store}"
        pytest.xfail(f"Virtuoso cuts {name}.rq at its ResultSetMaxRows ({VIRTUOSO_MAX_ROWS:,} rows)")
    assert got[name] == expected, f"{name}.rq differs on {store}"


def test_the_comparison_sees_real_differences(graph, embedded_answers):
    """The normalisation keeps what matters: a changed graph gives a different answer."""
    smaller = memory_copy(graph)
    smaller = Graph() + smaller
    smaller.remove((None, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("https://w3id.org/irgraph/ontology#Claim")))
    assert canonical(run_query(smaller, catalog()["summary-counts"].text)) != embedded_answers["summary-counts"]
    assert canonical_term(Literal("7", datatype=XSD.int)) == canonical_term(Literal(7))
    assert canonical_term(Literal("7", datatype=XSD.string)) == canonical_term(Literal("7"))
    assert canonical_term(Literal("7")) != canonical_term(Literal(7))
    assert canonical_term(Literal("b | a")) == canonical_term(Literal("a | b"))
    assert canonical_term(Literal("a", lang="en")) != canonical_term(Literal("a"))


# --- store values -------------------------------------------------------------------


def test_store_forms_parse():
    assert parse_store("oxigraph") == StoreSpec("oxigraph")
    assert parse_store("memory") == StoreSpec("memory")
    assert parse_store("oxigraph:some/folder").path == Path("some/folder")
    spec = parse_store("sparql:http://h:1/q")
    assert (spec.query_url, spec.update_url, spec.graph) == ("http://h:1/q", None, DEFAULT_GRAPH_IRI)
    spec = parse_store("sparql:http://h/q?default-graph-uri=urn%3Ax%3Ag&x=1,https://h/gsp")
    assert (spec.query_url, spec.update_url, spec.graph) == ("http://h/q?x=1", "https://h/gsp", "urn:x:g")
    assert parse_store("sparql:http://h/q?default-graph-uri=").graph is None


@pytest.mark.parametrize(
    "bad",
    ["nowhere", "oxigraph:", "sparql:", "sparql:ftp://h/q", "sparql:http:///q", "sparql:http://h/q,http://h/g,http://h/x", "sparql:http://h:99999/q"],
)
def test_bad_store_values_are_usage_errors_listing_the_forms(invoke, bad):
    with pytest.raises(UsageError):
        parse_store(bad)
    result = invoke("validate", "--store", bad)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for form in ("oxigraph", "memory", "oxigraph:PATH", "sparql:QUERY_URL"):
        assert form in result.output or "holds credentials" in result.output


def test_every_command_that_reads_the_graph_takes_every_store_form(invoke):
    for name, command in main.commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        if "--store" not in options:
            continue
        result = invoke(name, "--store", "postgres:x")
        assert result.exit_code == 2, name
        assert "sparql:QUERY_URL" in result.output, name


def test_credentials_in_a_url_are_refused_and_not_echoed(invoke):
    result = invoke("validate", "--store", f"sparql:http://dba:{SECRET}@127.0.0.1:9/sparql")
    assert result.exit_code == 2
    assert "IRGRAPH_SPARQL_USER" in result.output
    assert SECRET not in result.output


# --- the persistent store -------------------------------------------------------------


def test_persistent_store_reopens_with_the_same_triples(tmp_path, graph):
    folder = tmp_path / "store"
    result = fill_store(folder)
    assert result.triples == len(graph)
    first = irgraph.load_data(store=f"oxigraph:{folder}")
    assert first.files[0] == "ontology/irgraph.ttl"
    count = len(first.graph)
    del first
    gc.collect()
    again = irgraph.load_graph(store=f"oxigraph:{folder}")
    assert len(again) == count == len(graph)
    assert set(memory_copy(again)) == set(memory_copy(graph))


def test_a_load_that_fails_part_way_leaves_the_store_as_it_was(tmp_path, invoke):
    folder = tmp_path / "store"
    fill_store(folder)
    before = len(irgraph.load_graph(store=f"oxigraph:{folder}"))
    manifest = (folder / MANIFEST_NAME).read_text()
    extra = tmp_path / "extra"
    extra.mkdir()
    # a good file loads first (in name order), then the bad one fails on line 3
    good = "".join(f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" .\n" for i in range(5000))
    (extra / "a-good.nt").write_text(good)
    (extra / "b-bad.ttl").write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b "unterminated .\n')
    with pytest.raises(LoadError) as caught:
        fill_store(folder, [extra])
    problem = caught.value.report.problems[0]
    assert problem.files[0].endswith("b-bad.ttl") and problem.line == 3
    assert len(irgraph.load_graph(store=f"oxigraph:{folder}")) == before
    assert (folder / MANIFEST_NAME).read_text() == manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extra", "store"], "a half-built store was left behind"
    result = invoke("load", "--store", f"oxigraph:{folder}", "--data", extra)
    assert result.exit_code == 2, result.output
    assert "b-bad.ttl:3" in result.stderr and "loaded into" not in result.stdout
    assert len(irgraph.load_graph(store=f"oxigraph:{folder}")) == before


def test_load_command_fills_a_store_that_other_commands_open(tmp_path, invoke, data_dir):
    folder = tmp_path / "store"
    data = data_dir("mine.ttl", 'ir:my-mechanism a irg:Mechanism ; rdfs:label "mine"@en ; skos:definition "Mine."@en .\n')
    result = invoke("load", "--store", f"oxigraph:{folder}", "--data", data)
    assert result.exit_code == 0, result.output
    assert "loaded into" in result.stdout and "triples/s" in result.stdout
    graph = irgraph.load_graph(store=f"oxigraph:{folder}")
    assert (URIRef("https://w3id.org/irgraph/id/my-mechanism"), None, None) in graph
    result = invoke("validate", "--store", f"oxigraph:{folder}")
    assert result.exit_code == 0, result.output


def test_load_needs_a_store_on_disk(invoke):
    result = invoke("load", "--store", "oxigraph")
    assert result.exit_code == 2 and "oxigraph:PATH" in result.stderr


def test_reading_a_persistent_store_refuses_data_and_missing_stores(tmp_path, invoke, persistent_store):
    result = invoke("validate", "--store", f"oxigraph:{tmp_path / 'nothing-here'}")
    assert result.exit_code == 2 and "irgraph load --store oxigraph:" in result.stderr
    result = invoke("validate", "--store", f"oxigraph:{persistent_store}", "--data", tmp_path)
    assert result.exit_code == 2 and "--data" in result.stderr and "irgraph load" in result.stderr


def test_load_never_replaces_a_folder_it_did_not_fill(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    with pytest.raises(UsageError, match="not an irgraph store"):
        fill_store(folder)
    assert (folder / "thesis.txt").read_text() == "years of work"


def test_load_reads_every_format_and_reports_progress(tmp_path):
    triples = [ox.Triple(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"), ox.Literal(f"v{i}"))
               for i in range(300)]
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.nt").write_bytes(ox.serialize(triples[:100], format=ox.RdfFormat.N_TRIPLES))
    (folder / "b.ttl").write_bytes(ox.serialize(triples[100:150], format=ox.RdfFormat.TURTLE))
    graph_name = ox.NamedNode("https://example.org/g")
    (folder / "c.nq").write_bytes(ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples[150:200]],
                                               format=ox.RdfFormat.N_QUADS))
    (folder / "d.trig").write_bytes(ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples[200:250]],
                                                 format=ox.RdfFormat.TRIG))
    (folder / "e.jsonld").write_bytes(ox.serialize(triples[250:], format=ox.RdfFormat.JSON_LD))
    reports = []
    result = fill_store(tmp_path / "store", [folder], progress=reports.append, progress_every=100)
    bundled = len(irgraph.load_graph())
    assert result.triples == bundled + 300
    in_memory = irgraph.load_graph([folder])
    on_disk = irgraph.load_graph(store=f"oxigraph:{tmp_path / 'store'}")
    assert set(memory_copy(on_disk)) == set(memory_copy(in_memory))
    counts = [r.triples for r in reports]
    assert counts == sorted(counts) and counts[-1] == bundled + 300
    assert reports[-1].bytes_done == reports[-1].bytes_total > 0
    assert result.files[-1].endswith("e.jsonld")


# --- push to a Graph Store: a small local server that asks for basic authentication ------


class _GraphStore(BaseHTTPRequestHandler):
    """Accepts PUT and POST of N-Triples with basic authentication; refuses request number ``fail_at``."""

    def log_message(self, *args):  # keep the test output clean
        pass

    def _handle(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "Basic " + base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="graphs"')
            self.end_headers()
            return
        server.requests.append((self.command, self.path, body))
        if len(server.requests) == server.fail_at:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"<html><body><h1>disk full</h1></body></html>")
            return
        self.send_response(201 if self.command == "PUT" else 204)
        self.end_headers()

    do_PUT = do_POST = _handle


@pytest.fixture
def basic_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GraphStore)
    server.user, server.password, server.requests, server.fail_at = "curator", SECRET, [], None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    server.store = f"sparql:{url}/sparql,{url}/gsp"
    yield server
    server.shutdown()
    server.server_close()


def _uploaded(requests) -> set:
    triples = set()
    for _method, _path, body in requests:
        triples |= {(t.subject, t.predicate, t.object) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    return triples


def test_push_in_batches_with_basic_authentication(basic_server, graph, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)
    result = push(graph, basic_server.store, batch_size=700)
    methods = [method for method, _path, _body in basic_server.requests]
    assert methods[0] == "PUT" and set(methods[1:]) == {"POST"}
    assert len(methods) == result.batches == -(-len(graph) // 700)
    assert all("graph=https%3A%2F%2Fw3id.org%2Firgraph%2Fgraph" in path for _m, path, _b in basic_server.requests)
    local = {(t.subject, t.predicate, t.object) for t in irgraph.store.ox_triples(graph)}
    assert _uploaded(basic_server.requests) == local
    basic_server.requests.clear()
    push(graph, basic_server.store, mode="add", graph_iri="urn:example:g")
    assert {m for m, _p, _b in basic_server.requests} == {"POST"}


def test_push_to_the_default_graph_uses_the_protocols_default_parameter(basic_server, graph, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)
    store = basic_server.store.replace("/sparql,", "/sparql?default-graph-uri=,")
    result = push(graph, store)
    assert result.graph is None and basic_server.requests[0][1] == "/gsp?default"


def test_a_batch_refused_part_way_says_how_far_the_upload_got(basic_server, invoke, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)
    basic_server.fail_at = 2
    result = invoke("push", "--store", basic_server.store, "--batch-size", 500)
    assert result.exit_code == 2
    assert "HTTP 500" in result.stderr and "disk full" in result.stderr
    assert "accepted 1 of" in result.stderr and "--replace" in result.stderr
    assert result.stdout == ""
    assert SECRET not in result.output


def test_push_without_credentials_says_which_variables_to_set(basic_server, invoke, monkeypatch):
    monkeypatch.delenv("IRGRAPH_SPARQL_USER", raising=False)
    monkeypatch.delenv("IRGRAPH_SPARQL_PASSWORD", raising=False)
    result = invoke("push", "--store", basic_server.store)
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr and "IRGRAPH_SPARQL_USER" in result.stderr
    assert result.stdout == "" and basic_server.requests == []


def test_push_to_an_unreachable_server_is_exit_2(invoke, monkeypatch, no_network):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)
    result = invoke("push", "--store", "sparql:http://127.0.0.1:9/sparql,http://127.0.0.1:9/gsp")
    assert result.exit_code == 2
    assert "cannot reach http://127.0.0.1:9/gsp" in result.stderr
    assert result.stdout == "" and SECRET not in result.output
    with pytest.raises(RemoteError):
        irgraph.push(irgraph.load_graph(), "sparql:http://127.0.0.1:9/sparql,http://127.0.0.1:9/gsp")


def test_push_needs_a_graph_store_url(invoke):
    result = invoke("push", "--store", "sparql:http://127.0.0.1:9/sparql")
    assert result.exit_code == 2 and "GSP_URL" in result.stderr


def test_credentials_never_appear_in_help_errors_or_logs(basic_server, invoke, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)
    encoded = base64.b64encode(f"curator:{SECRET}".encode()).decode()
    outputs = [invoke("--help").output]
    outputs += [invoke(name, "--help").output for name in main.commands]
    outputs.append(invoke("push", "--store", basic_server.store).output)  # succeeds
    basic_server.fail_at = len(basic_server.requests) + 1
    outputs.append(invoke("push", "--store", basic_server.store).output)  # refused
    outputs.append(invoke("push", "--store", "sparql:http://127.0.0.1:9/q,http://127.0.0.1:9/gsp").output)  # unreachable
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", "wrong")
    outputs.append(invoke("push", "--store", basic_server.store).output)  # wrong password
    assert "replaced <https://w3id.org/irgraph/graph>" in outputs[-4]
    text = "\n".join(outputs) + caplog.text
    assert caplog.text, "nothing was logged: the check would prove nothing"
    assert SECRET not in text and encoded not in text


# --- Virtuoso: a real triplestore ------------------------------------------------------


def test_virtuoso_config_keeps_everything_in_its_folder(tmp_path):
    if not PACKAGED_INI.is_file():
        pytest.skip("virtuoso-opensource is not installed")
    text = write_config(PACKAGED_INI.read_text(encoding="utf-8"), tmp_path, 5001, 5002)
    assert text.count("ServerPort = 127.0.0.1:") == 2
    files = [line.split("=", 1)[1].strip() for line in text.splitlines()
             if line.split("=")[0].strip() in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")]
    assert len(files) == 7 and all(f.startswith(str(tmp_path)) for f in files)


def test_virtuoso_refuses_unauthenticated_writes(virtuoso, graph, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", virtuoso.user)
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", virtuoso.password)
    with pytest.raises(RemoteError, match="HTTP 403"):
        push(graph, f"sparql:{virtuoso.query_url},{virtuoso.gsp_open_url}", graph_iri="urn:irgraph-test:refused")
    assert len(remote_graph(virtuoso.store("urn:irgraph-test:refused"))) == 0


def test_virtuoso_push_replace_twice_leaves_no_duplicates(virtuoso, graph, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", virtuoso.user)
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", virtuoso.password)
    name = "urn:irgraph-test:replace"
    push(graph, virtuoso.store(), graph_iri=name, batch_size=500)
    push(graph, virtuoso.store(), graph_iri=name, batch_size=500)
    remote = remote_graph(virtuoso.store(name))
    assert len(remote) == len(graph)
    assert set(memory_copy(remote)) == set(memory_copy(graph))


def test_virtuoso_push_add_gives_the_union(virtuoso, graph, monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", virtuoso.user)
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", virtuoso.password)
    name = "urn:irgraph-test:add"
    push(graph, virtuoso.store(), graph_iri=name)
    extra = Graph()
    shared = next(iter(memory_copy(graph)))
    new = (URIRef("https://example.org/new"), URIRef("https://example.org/p"), Literal("added"))
    extra.add(shared)
    extra.add(new)
    push(extra, virtuoso.store(), graph_iri=name, mode="add")
    remote = memory_copy(remote_graph(virtuoso.store(name)))
    assert len(remote) == len(graph) + 1
    assert new in remote and shared in remote
    push(graph, virtuoso.store(), graph_iri=name)  # replace again: back to exactly the graph
    assert len(remote_graph(virtuoso.store(name))) == len(graph)


def test_virtuoso_through_the_command_line(virtuoso, invoke, monkeypatch, data_dir):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", virtuoso.user)
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", virtuoso.password)
    name = "urn:irgraph-test:cli"
    data = data_dir("mine.ttl", 'ir:my-mechanism a irg:Mechanism ; rdfs:label "mine"@en ; skos:definition "Mine."@en .\n')
    result = invoke("push", "--store", virtuoso.store(name), "--data", data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"replaced <{name}>")
    remote = remote_graph(virtuoso.store(name))
    assert (URIRef("https://w3id.org/irgraph/id/my-mechanism"), None, None) in remote
    result = invoke("validate", "--store", virtuoso.store(name))
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", "not-the-password")
    result = invoke("push", "--store", virtuoso.store(name))
    assert result.exit_code == 2 and "HTTP 401" in result.stderr and result.stdout == ""
    assert "not-the-password" not in result.output


def test_virtuoso_answers_a_broken_query_with_a_clear_error(virtuoso):
    from irgraph.errors import QueryError

    with pytest.raises(QueryError, match="refused the query"):
        # straight to the store: irgraph's own check would stop this query before it is sent
        remote_graph(virtuoso.store()).query("SELECT ?s WHERE { ?s ?p }")


def test_pushed_graph_is_what_the_embedded_store_holds(pushed, graph):
    assert set(memory_copy(remote_graph(pushed))) == set(memory_copy(graph))



def test_build_from_every_store_writes_the_same_files(pushed, persistent_store, invoke, tmp_path):
    outputs = {}
    for name, store in (("embedded", "oxigraph"), ("on-disk", f"oxigraph:{persistent_store}"), ("virtuoso", pushed)):
        result = invoke("build", "--store", store, "--out", tmp_path / name)
        assert result.exit_code == 0, (name, result.output)
        outputs[name] = {f: (tmp_path / name / f).read_bytes() for f in ("irgraph.ttl", "irgraph.jsonld")}
    assert outputs["on-disk"] == outputs["embedded"]
    assert outputs["virtuoso"] == outputs["embedded"]


def test_collector_pauses_overlap_and_restore_its_state():
    assert gc.isenabled()
    with many_objects():
        with many_objects():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with many_objects():
            pass
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()


def test_converted_literals_keep_text_and_datatypes():
    convert = rdflib_converter()
    assert convert(ox.Literal("0.50", datatype=ox.NamedNode(str(XSD.decimal)))) == Literal("0.50", datatype=XSD.decimal)
    assert convert(ox.Literal(" spaced  text ")) == Literal(" spaced  text ")
    assert convert(ox.Literal("CD4", language="en")).language == "en"
    assert convert(None) is None


# --- the second real server: oxigraph serve ----------------------------------------------------


def test_oxigraph_server_push_replace_twice_and_add(oxigraph_server, graph, monkeypatch):
    monkeypatch.delenv("IRGRAPH_SPARQL_USER", raising=False)
    monkeypatch.delenv("IRGRAPH_SPARQL_PASSWORD", raising=False)
    name = "urn:irgraph-test:oxigraph-replace"
    push(graph, oxigraph_server.store(), graph_iri=name, batch_size=500)
    push(graph, oxigraph_server.store(), graph_iri=name, batch_size=500)
    remote = remote_graph(oxigraph_server.store(name))
    assert len(remote) == len(graph)
    assert set(memory_copy(remote)) == set(memory_copy(graph))
    new = (URIRef("https://example.org/new"), URIRef("https://example.org/p"), Literal("added"))
    extra = Graph()
    extra.add(new)
    push(extra, oxigraph_server.store(), graph_iri=name, mode="add")
    assert len(remote_graph(oxigraph_server.store(name))) == len(graph) + 1


def test_oxigraph_server_through_the_command_line(oxigraph_server, invoke, monkeypatch, tmp_path):
    monkeypatch.delenv("IRGRAPH_SPARQL_USER", raising=False)
    monkeypatch.delenv("IRGRAPH_SPARQL_PASSWORD", raising=False)
    name = "urn:irgraph-test:oxigraph-cli"
    fill_store(tmp_path / "store")
    pushed = invoke("push", "--store", oxigraph_server.store(), "--graph", name, "--from", f"oxigraph:{tmp_path / 'store'}")
    assert pushed.exit_code == 0, pushed.output
    on_server = invoke("query", "--name", "summary-counts", "--format", "json", "--store", oxigraph_server.store(name))
    on_disk = invoke("query", "--name", "summary-counts", "--format", "json", "--store", f"oxigraph:{tmp_path / 'store'}")
    assert on_server.exit_code == 0, on_server.output
    assert json.loads(on_server.stdout)["results"] == json.loads(on_disk.stdout)["results"]
