"""The SPARQL results writers irgraph has of its own, held against rdflib's serialisers and parsed back by Oxigraph."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef

from irgraph.catalog import catalog
from irgraph.query import ASK, SELECT, QueryResult, query_graph
from irgraph.results import to_sparql_json

#: every kind of term a row can hold, with the characters JSON must escape
AWKWARD = [
    {"a": URIRef("http://example.org/x"), "b": Literal("plain"), "c": Literal("CD4 count", lang="en")},
    {"a": BNode("b0"), "b": Literal("5", datatype=XSD.integer), "c": Literal('quote " and \\ back\nline\ttab')},
    {"b": Literal("naïve — ünïcode ✓ \u2028", lang="fr-CA")},  # ?a and ?c unbound
    {"a": URIRef("http://example.org/a%20b#frag"), "c": Literal("2024-01-01", datatype=XSD.date)},
    {},
]


def _rdflib_json(result: QueryResult) -> dict:
    data = result.to_rdflib().serialize(format="json")
    return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)


def _same_as_rdflib(result: QueryResult) -> None:
    written = to_sparql_json(result)
    assert written.endswith("\n")
    ours, theirs = json.loads(written), _rdflib_json(result)
    assert ours == theirs
    # and a SPARQL results parser of another engine reads it back, row for row
    parsed = ox.parse_query_results(io.BytesIO(written.encode("utf-8")), format=ox.QueryResultsFormat.JSON)
    if result.kind == ASK:
        assert bool(parsed) is bool(result.boolean)
    else:
        assert [v.value for v in parsed.variables] == result.variables
        assert sum(1 for _ in parsed) == len(result.rows)


def test_awkward_terms_are_written_as_rdflib_writes_them():
    _same_as_rdflib(QueryResult(SELECT, variables=["a", "b", "c"], rows=AWKWARD))


@pytest.mark.parametrize("answer", [True, False])
def test_ask(answer):
    _same_as_rdflib(QueryResult(ASK, boolean=answer))


def test_no_rows_and_no_variables():
    _same_as_rdflib(QueryResult(SELECT, variables=["x"], rows=[]))
    _same_as_rdflib(QueryResult(SELECT, variables=[], rows=[{}, {}]))


@pytest.mark.parametrize("name", [name for name, saved in catalog().items() if not saved.params])
def test_every_catalog_answer_on_the_bundled_data(graph, name):
    result = query_graph(graph, name, timeout=60)
    if result.kind in (SELECT, ASK):
        _same_as_rdflib(result)
