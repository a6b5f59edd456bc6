"""`irgraph serve`: a read-only SPARQL 1.1 endpoint, checked with SPARQLWrapper, an independent client."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import irgraph
from irgraph.serve import make_server, serve_in_thread

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint():
    graph = irgraph.load_graph()
    server = make_server(graph, port=0, timeout=2, cors_origins=["https://allowed.example"], quiet=True)
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


def client(endpoint, query, fmt=JSON):
    sparql = SPARQLWrapper(endpoint.endpoint_url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def request(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def test_select_with_sparqlwrapper(endpoint, no_network):
    results = client(endpoint, "SELECT ?l WHERE { ?i a irg:Intervention ; rdfs:label ?l } ORDER BY ?l").queryAndConvert()
    labels = [b["l"]["value"] for b in results["results"]["bindings"]]
    assert "DermaVir" in labels and len(labels) >= 12
    assert no_network == []


def test_select_over_post_and_csv(endpoint):
    sparql = client(endpoint, "SELECT ?l WHERE { ir:he2000 rdfs:label ?l }", CSV)
    sparql.setMethod("POST")
    assert sparql.queryAndConvert().decode("utf-8").splitlines() == ["l", "HE2000"]


def test_ask_and_construct(endpoint):
    assert client(endpoint, "ASK { ir:he2000 skos:altLabel 'Immunitin'@en }").queryAndConvert()["boolean"] is True
    turtle = client(endpoint, "CONSTRUCT { ?i rdfs:label ?l } WHERE { ?i a irg:Intervention ; rdfs:label ?l }", TURTLE).queryAndConvert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) >= 12 and (URIRef("https://w3id.org/irgraph/id/il-2"), None, None) in graph


def test_post_sparql_query_body_and_accept(endpoint):
    status, headers, body = request(endpoint.endpoint_url, b"SELECT ?l WHERE { ir:il-2 rdfs:label ?l }",
                                    {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.splitlines() == ["?l", '"IL-2"@en']


def test_update_is_refused_and_nothing_changes(endpoint):
    before = len(endpoint.graph)
    sparql = client(endpoint, "INSERT DATA { ir:x ir:y ir:z }")
    sparql.setMethod("POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403
    status, _, _ = request(endpoint.endpoint_url, urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = request(endpoint.endpoint_url, b"LOAD <http://127.0.0.1:9/x>", {"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, _ = request(endpoint.endpoint_url, b"x", {"Content-Type": "text/turtle"}, method="PUT")
    assert status == 403
    assert len(endpoint.graph) == before


def test_service_and_from_are_refused(endpoint, no_network):
    with pytest.raises(QueryBadFormed):
        client(endpoint, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{endpoint.server_address[1]}/sparql> {{ ?s ?p ?o }} }}").query()
    status, _, body = request(endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": "SELECT * FROM <http://127.0.0.1:9/> WHERE { ?s ?p ?o }"}))
    assert status == 400 and "FROM" in body
    status, _, _ = request(endpoint.endpoint_url + "?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "http://127.0.0.1:9/"}))
    assert status == 400
    assert no_network == []


def test_cors_only_for_allowed_origins(endpoint):
    query = "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    _, foreign, _ = request(endpoint.endpoint_url + query, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign
    _, allowed, _ = request(endpoint.endpoint_url + query, headers={"Origin": "https://allowed.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://allowed.example"
    assert "Access-Control-Allow-Credentials" not in allowed


def test_request_size_limit(endpoint):
    status, _, _ = request(endpoint.endpoint_url, b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 200_000,
                           {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_still_answers_after_a_timed_out_query(endpoint):
    with pytest.raises(urllib.error.HTTPError) as timed_out:
        client(endpoint, SLOW).query()
    assert timed_out.value.code == 503
    results = client(endpoint, "SELECT ?l WHERE { ir:il-2 rdfs:label ?l }").queryAndConvert()
    assert results["results"]["bindings"][0]["l"]["value"] == "IL-2"


def test_service_description_and_query_page(endpoint):
    status, headers, body = request(endpoint.endpoint_url, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"] == "text/turtle"
    description = Graph().parse(data=body, format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), URIRef(endpoint.endpoint_url)) in description
    status, headers, page = request(endpoint.endpoint_url.rsplit("/", 1)[0] + "/")
    assert status == 200 and "not medical advice" in page
    # the editor's scripts and styles come from this server only, and its policy forbids any other origin
    assert re.findall(r'(?:src|href)="(?!/)[^"#]*"', page) == []
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "connect-src 'self';" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy and "http" not in policy


def test_syntax_error_is_400_with_position(endpoint):
    status, _, body = request(endpoint.endpoint_url + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and "line 1" in body


def test_bad_cors_origin_is_refused():
    with pytest.raises(irgraph.UsageError):
        make_server(irgraph.load_graph(store="memory"), port=0, cors_origins=["*"])
