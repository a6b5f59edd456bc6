"""SPARQL protocol conformance of `irgraph serve`: SPARQLWrapper in every return format, Rasqal's roqet, curl.

The endpoint serves the ledger fixture (tests/fixtures/ledger, with the
ontology only), so every expected answer is computed from that small graph.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
import warnings

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

import irgraph
from irgraph import formats
from irgraph.serve import make_server, negotiate, serve_in_thread

from .conftest import FIXTURES
from .test_serve import request

IR = "https://w3id.org/irgraph/id/"
SELECT_CLAIMS = "SELECT ?claim ?label WHERE { ?claim a irg:Claim ; rdfs:label ?label } ORDER BY ?label"
CONSTRUCT_CLAIMS = "CONSTRUCT { ?claim rdfs:label ?label } WHERE { ?claim a irg:Claim ; rdfs:label ?label }"
ASK_SUPPORTED = "ASK { ir:ledger-supported a irg:Claim }"
#: prefixes spelt out, for clients that send the text as it is (roqet parses it itself first)
PROLOGUE = ("PREFIX irg: <https://w3id.org/irgraph/ontology#> PREFIX ir: <https://w3id.org/irgraph/id/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")


@pytest.fixture(scope="module")
def fixture_graph():
    return irgraph.load_data([FIXTURES / "ledger"], bundled=False).graph


@pytest.fixture(scope="module")
def endpoint(fixture_graph):
    server = make_server(fixture_graph, port=0, timeout=20, quiet=True)
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def claims(fixture_graph):
    """The claims' labels and the CONSTRUCT's graph, computed from the fixture itself."""
    expected = Graph()
    rows = irgraph.query_graph(fixture_graph, SELECT_CLAIMS).rows
    for row in rows:
        expected.add((row["claim"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"), row["label"]))
    return sorted(str(row["label"]) for row in rows), expected


def wrapper(endpoint, query, fmt):
    sparql = SPARQLWrapper(endpoint.endpoint_url)
    sparql.setQuery(PROLOGUE + query)
    sparql.setReturnFormat(fmt)
    return sparql


# --- SPARQLWrapper, every return format ---------------------------------------------

@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_every_results_format(endpoint, claims, fmt, method, no_network):
    sparql = wrapper(endpoint, SELECT_CLAIMS, fmt)
    sparql.setMethod(method)
    answer = sparql.queryAndConvert()
    if fmt == JSON:
        labels = [b["label"]["value"] for b in answer["results"]["bindings"]]
    elif fmt == XML:
        labels = [node.firstChild.data for node in answer.getElementsByTagName("literal")]
    else:
        separator = "," if fmt == CSV else "\t"
        lines = answer.decode("utf-8").splitlines()[1:]
        labels = [line.split(separator, 1)[1] for line in lines]
        if fmt == TSV:  # TSV writes terms in Turtle syntax
            labels = [label.rsplit("@", 1)[0].strip('"') for label in labels]
    assert sorted(labels) == claims[0]
    assert no_network == []


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, fmt):
    answer = wrapper(endpoint, ASK_SUPPORTED, fmt).queryAndConvert()
    value = answer["boolean"] if fmt == JSON else answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert value is True


@pytest.mark.parametrize("fmt", [XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON])
def test_sparqlwrapper_construct_in_every_graph_format(endpoint, claims, fmt):
    with warnings.catch_warnings():
        # SPARQLWrapper warns that it sends */* for JSON with a CONSTRUCT: the endpoint's answer is JSON-LD
        warnings.simplefilter("ignore", RuntimeWarning)
        answer = wrapper(endpoint, CONSTRUCT_CLAIMS, fmt).queryAndConvert()
    graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="json-ld" if fmt == JSON else "turtle")
    assert isomorphic(graph, claims[1])


def test_sparqlwrapper_describe_default_format(endpoint, fixture_graph):
    answer = wrapper(endpoint, "DESCRIBE ir:ledger-supported", XML).queryAndConvert()
    assert isinstance(answer, Graph)
    assert set(answer.predicate_objects(URIRef(IR + "ledger-supported"))) == \
        set(fixture_graph.predicate_objects(URIRef(IR + "ledger-supported")))


# --- content negotiation -----------------------------------------------------------------

GRAPH_MEDIA = [(m, f.name) for f in formats.formats_for(formats.CONSTRUCT) for m in (f.media_type, *f.also_accepted) if m]
SELECT_MEDIA = [(m, f.name) for f in formats.formats_for(formats.SELECT) for m in (f.media_type, *f.also_accepted) if m]


def test_negotiation_follows_quality_and_order():
    assert negotiate("text/turtle;q=0.2, application/rdf+xml;q=0.9", "graph") == "rdfxml"
    assert negotiate("application/rdf+xml;q=0, */*;q=0.1", "graph") == "turtle"
    assert negotiate("text/*", "select") == "csv"
    assert negotiate("application/*;q=0.5, text/tab-separated-values", "select") == "tsv"
    assert negotiate("application/rdf+xml", "select") is None
    assert negotiate("", "ask") == "json"


def test_nothing_acceptable_is_406_with_the_offer(endpoint):
    url = endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": PROLOGUE + CONSTRUCT_CLAIMS})
    status, headers, body = request(url, headers={"Accept": "image/png, text/html"})
    assert status == 406 and "text/turtle" in body and "application/rdf+xml" in body and headers["Vary"] == "Accept"
    status, _, body = request(url, headers={"Accept": "text/turtle;q=0"})
    assert status == 406
    select = endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": SELECT_CLAIMS})
    status, _, body = request(select, headers={"Accept": "application/rdf+xml"})
    assert status == 406 and "application/sparql-results+json" in body


def test_format_and_output_parameters_take_client_names(endpoint, claims):
    for param, value, media in [("format", "json-ld", "application/ld+json"), ("output", "rdf+xml", "application/rdf+xml"),
                                ("format", "xml", "application/rdf+xml"), ("format", "n3", "text/turtle"),
                                ("output", "turtle", "text/turtle"), ("format", "application/n-triples", "application/n-triples")]:
        url = endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": CONSTRUCT_CLAIMS, param: value})
        status, headers, body = request(url)
        assert status == 200 and headers["Content-Type"] == media, (param, value)
        parsed = Graph().parse(data=body, format={"application/ld+json": "json-ld", "application/rdf+xml": "xml",
                                                  "text/turtle": "turtle", "application/n-triples": "nt"}[media])
        assert isomorphic(parsed, claims[1])


def test_service_description_in_every_graph_format_with_w3c_format_iris(endpoint):
    for media, name in GRAPH_MEDIA:
        status, headers, body = request(endpoint.endpoint_url, headers={"Accept": media})
        assert status == 200 and headers["Vary"] == "Accept", media
        parsed = Graph().parse(data=body, format={"jsonld": "json-ld", "turtle": "turtle", "nt": "nt", "rdfxml": "xml"}[name])
        described = {str(o) for o in parsed.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#resultFormat"))}
        assert "http://www.w3.org/ns/formats/RDF_XML" in described
        assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in described


# --- curl, every media type ------------------------------------------------------------------

CURL = shutil.which("curl")


def curl(url: str, accept: str, query: str) -> tuple[int, str, bytes]:
    done = subprocess.run([CURL, "-s", "-G", "-o", "-", "-w", "\n%{http_code} %{content_type}", "-H", f"Accept: {accept}",
                           "--data-urlencode", f"query={query}", url], capture_output=True, check=True, timeout=60)
    body, _, tail = done.stdout.rpartition(b"\n")
    status, _, media = tail.decode().partition(" ")
    return int(status), media, body


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.parametrize(("media", "name"), GRAPH_MEDIA)
def test_curl_construct_in_every_graph_media_type(endpoint, claims, media, name):
    status, served, body = curl(endpoint.endpoint_url, media, CONSTRUCT_CLAIMS)
    assert status == 200 and served.split(";")[0] == formats.get(name).media_type
    parsed = Graph().parse(data=body, format={"jsonld": "json-ld", "turtle": "turtle", "nt": "nt", "rdfxml": "xml"}[name])
    assert isomorphic(parsed, claims[1])


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.parametrize(("media", "name"), SELECT_MEDIA)
def test_curl_select_in_every_results_media_type(endpoint, claims, media, name):
    status, served, body = curl(endpoint.endpoint_url, media, SELECT_CLAIMS)
    assert status == 200 and served.split(";")[0] == formats.get(name).media_type
    text = body.decode("utf-8")
    assert all(label in text for label in claims[0] if "'" not in label)


# --- roqet (Rasqal), an independent client --------------------------------------------------

ROQET = shutil.which("roqet")


def roqet(endpoint, query: str, *extra: str) -> str:
    done = subprocess.run([ROQET, "-q", "-i", "sparql11", "-p", endpoint.endpoint_url, *extra, "-e", PROLOGUE + query],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(ROQET is None, reason="roqet is not installed (Debian: rasqal-utils)")
def test_roqet_select_ask_and_construct(endpoint, claims):
    listed = roqet(endpoint, SELECT_CLAIMS)
    assert all(label in listed for label in claims[0] if "'" not in label)
    # Rasqal 0.9.33 reads no boolean from any results XML (not even from a file, roqet -t): it reports
    # "0 results"; what can be checked is that it gets a well-formed answer and reports no error
    done = subprocess.run([ROQET, "-i", "sparql11", "-p", endpoint.endpoint_url, "-e", PROLOGUE + ASK_SUPPORTED],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Error" not in done.stderr, done.stderr
    url = endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": PROLOGUE + ASK_SUPPORTED})
    status, _, body = request(url, headers={"Accept": "application/sparql-results+xml"})  # what roqet sends
    assert status == 200 and "<boolean>true</boolean>" in body
    # roqet -p asks for results XML whatever the query: a graph comes as one row per triple
    rows = roqet(endpoint, CONSTRUCT_CLAIMS, "-r", "tsv").splitlines()
    assert rows[0].split("\t") == ["?subject", "?predicate", "?object"]
    shown = Graph().parse(data="".join(f"{line.replace(chr(9), ' ')} .\n" for line in rows[1:]), format="nt")
    assert isomorphic(shown, claims[1])


def test_a_graph_for_a_client_of_results_only_is_a_table_of_its_triples(endpoint, claims):
    url = endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": CONSTRUCT_CLAIMS})
    status, headers, body = request(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    import json

    bindings = json.loads(body)["results"]["bindings"]
    assert len(bindings) == len(claims[1]) and set(bindings[0]) == {"subject", "predicate", "object"}
