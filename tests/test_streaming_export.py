"""Exports that stream from the store write the same bytes as sorting the whole graph in memory did.

The reference writers below are irgraph's writers as they were before the
exports streamed (one sorted list of every triple, serialised in one call);
the streaming writers (:mod:`irgraph.ordered`) must give byte-identical
output on every store: the bundled data, graphs with blank nodes of every
shape (trees, shared nodes, cycles, blank subjects), a persistent store,
and a generated graph of 100,000 triples, which must also hold exactly the
store's triples.
"""

from __future__ import annotations

import io
import json
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import irgraph
from irgraph.canonical import canonical_statements
from irgraph.export import (
    _compactor,
    _node_objects,
    bundled_context,
    graph_name,
    to_jsonld,
    to_nquads,
    to_ntriples,
    to_turtle,
    write_ntriples,
)
from irgraph.load import input_files, parse_file
from irgraph.namespaces import CONTEXT_IRI, prefixes
from irgraph.store import memory_copy, new_graph, oxigraph_store, sorted_triples
from irgraph.vocab import file_scoped, triple_key

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

EX = "http://example.org/"


# --- the writers as they were: the whole graph sorted in one list -----------------


def reference_ntriples(graph) -> str:
    return (ox.serialize(sorted_triples(graph), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def reference_turtle(graph) -> str:
    body = (ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=prefixes()) or b"").decode("utf-8")
    lines = body.split("\n")
    header = sorted(line for line in lines if line.startswith("@prefix "))
    rest = [line for line in lines if not line.startswith("@prefix ")]
    out = [*header, ""]
    for line in rest:
        if line and not line.startswith(("\t", " ")) and out[-1] != "":
            out.append("")
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def reference_jsonld(graph, context: str = "embed") -> str:
    nodes = _node_objects(sorted_triples(graph), _compactor(context))
    if context == "none":
        document = {"@graph": nodes}
    else:
        document = {"@context": bundled_context() if context == "embed" else CONTEXT_IRI, "@graph": nodes}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def reference_nquads(paths) -> str:
    quads = []
    for index, path in enumerate(paths):
        name = ox.NamedNode(graph_name(path))
        quads.extend(ox.Quad(s, p, o, name) for s, p, o in file_scoped(parse_file(path), index))
    canonical = {ox.Quad(*st) for st in canonical_statements((q.subject, q.predicate, q.object, q.graph_name) for q in quads)}
    ordered = sorted(canonical, key=lambda q: (getattr(q.graph_name, "value", ""), *triple_key(q)))
    return (ox.serialize(ordered, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")


def assert_same_as_reference(graph) -> None:
    assert to_ntriples(graph) == reference_ntriples(graph)
    assert to_turtle(graph) == reference_turtle(graph)
    for context in ("embed", "file", "none"):
        assert to_jsonld(graph, context=context) == reference_jsonld(graph, context), context


def graph_of(triples) -> object:
    graph = new_graph()
    oxigraph_store(graph).extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return graph


# --- the bundled data ----------------------------------------------------------------


def test_bundled_data_exports_are_byte_identical_on_every_store(graph):
    assert_same_as_reference(graph)
    assert_same_as_reference(memory_copy(graph))  # rdflib's store: not streamed, the same bytes


def test_a_persistent_store_exports_what_the_files_give(graph, tmp_path):
    irgraph.fill_store(tmp_path / "store")
    persistent = irgraph.load_graph(store=f"oxigraph:{tmp_path / 'store'}")
    assert to_ntriples(persistent) == to_ntriples(graph)
    assert to_turtle(persistent) == to_turtle(graph)
    assert to_jsonld(persistent) == to_jsonld(graph)


def test_nquads_of_the_bundled_files_are_byte_identical():
    paths = input_files([])
    assert to_nquads(paths) == reference_nquads(paths)


# --- blank nodes of every shape -------------------------------------------------------

s, t, p, q = (ox.NamedNode(EX + name) for name in ("s", "t", "p", "q"))
a, b, c = (ox.BlankNode(name) for name in ("a", "b", "c"))
SHAPES = {
    "empty": [],
    "no blank nodes": [ox.Triple(t, p, ox.Literal("2")), ox.Triple(s, p, t), ox.Triple(s, q, ox.Literal("x", language="en"))],
    "a tree under an IRI": [ox.Triple(s, p, a), ox.Triple(a, p, b), ox.Triple(b, q, ox.Literal("leaf")), ox.Triple(s, q, t)],
    "a shared blank node": [ox.Triple(s, p, a), ox.Triple(t, p, a), ox.Triple(a, q, ox.Literal("1"))],
    "a cycle": [ox.Triple(a, p, b), ox.Triple(b, p, a), ox.Triple(s, q, a)],
    "equal groups": [ox.Triple(s, p, a), ox.Triple(s, p, b), ox.Triple(a, q, ox.Literal("1")), ox.Triple(b, q, ox.Literal("1"))],
    "a blank subject alone": [ox.Triple(c, p, s), ox.Triple(c, q, ox.Literal("alone"))],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_blank_nodes_get_the_same_labels_and_places(shape):
    graph = graph_of(SHAPES[shape])
    assert_same_as_reference(graph)
    assert_same_as_reference(memory_copy(graph))


_terms = st.sampled_from([s, t, ox.NamedNode(EX + "s/1"), ox.NamedNode(EX + "s-2"), a, b, c])
_objects = st.one_of(_terms, st.sampled_from([ox.Literal("1"), ox.Literal("é", language="fr"), ox.Literal("two\nlines\n\tand a tab"),
                                              ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]))
_predicates = st.sampled_from([p, q, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(ox.Triple, _terms, _predicates, _objects), max_size=15))
def test_random_graphs_stream_the_same_bytes(triples):
    assert_same_as_reference(graph_of(triples))


@pytest.mark.parametrize("shape", SHAPES)
def test_nquads_label_blank_nodes_as_the_whole_dataset_did(shape, tmp_path):
    # the shape twice (two files: their blank nodes stay apart), beside a decimal whose digits must stay
    for name in ("one.nt", "two.nt"):
        text = (ox.serialize(SHAPES[shape], format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        (tmp_path / name).write_text(text + f'<{EX}s> <{EX}d> "1.00"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')
    paths = [tmp_path / "one.nt", tmp_path / "two.nt", tmp_path / "one.nt"]
    assert to_nquads(paths) == reference_nquads(paths)


# --- a generated graph of 100,000 triples, on disk ------------------------------------


def test_a_generated_graph_on_disk_streams_exactly_its_triples(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with (data / "synthetic.nt").open("w", encoding="utf-8") as handle:
        generate(100_000, handle)
    irgraph.fill_store(tmp_path / "store", [data])
    persistent = irgraph.load_graph(store=f"oxigraph:{tmp_path / 'store'}")
    buffer = io.BytesIO()
    write_ntriples(persistent, buffer)
    streamed = buffer.getvalue()
    assert streamed.decode("utf-8") == reference_ntriples(persistent)
    # Turtle: many subjects written by one writer and split back (irgraph.export.write_turtle)
    assert to_turtle(persistent) == reference_turtle(persistent)
    dumped = oxigraph_store(persistent).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    # no blank nodes in the generated data, so the same graph is the same set of lines
    assert sorted(streamed.splitlines()) == sorted(dumped.splitlines())
    files = input_files([data])
    nquads = to_nquads(files)
    assert nquads == reference_nquads(files)
    assert sum(1 for _ in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) == sum(len(set(parse_file(f))) for f in files)
