"""Loading: every file parsed on its own first; bad input is refused with file and line, loading nothing."""

from __future__ import annotations

import json

import pytest

import irgraph
from irgraph.errors import LoadError

BAD_TURTLE = """ir:bad-node a irg:Intervention ;
    rdfs:label "unterminated@en ;
    irg:targets ir:cd4-t-cell .
"""


def test_bundled_graph_loads_on_both_stores():
    default = irgraph.load_data()
    memory = irgraph.load_data(store="memory")
    assert len(default.graph) == len(memory.graph) > 1500
    assert default.files[0] == "ontology/irgraph.ttl"
    assert any(f.endswith("interventions.ttl") for f in default.files)


def test_origins_point_to_the_file_a_node_comes_from(loaded):
    from rdflib import URIRef

    il2 = URIRef("https://w3id.org/irgraph/id/il-2")
    assert "data/interventions.ttl" in loaded.origins[il2]
    assert "data/studies.ttl" in loaded.origins[il2]  # evaluatedIn is written next to each study


def test_malformed_turtle_names_file_and_line(data_dir):
    folder = data_dir("broken.ttl", BAD_TURTLE)
    with pytest.raises(LoadError) as caught:
        irgraph.load_data([folder])
    problem = caught.value.report.problems[0]
    assert problem.kind == "parse"
    assert problem.files[0].endswith("broken.ttl")
    # the prefixes take 7 lines; the string opens on line 9 of the file
    assert problem.line == 9
    assert "broken.ttl:9" in str(caught.value)


def test_every_bad_file_is_reported_and_nothing_is_loaded(data_dir):
    data_dir("a-broken.ttl", BAD_TURTLE)
    folder = data_dir("b-broken.ttl", "ir:x ir:y .\n")
    data_dir("c-good.ttl", 'ir:fine a irg:Mechanism ; rdfs:label "fine"@en .\n')
    with pytest.raises(LoadError) as caught:
        irgraph.load_data([folder])
    files = sorted(p.files[0].rsplit("/", 1)[-1] for p in caught.value.report.problems)
    assert files == ["a-broken.ttl", "b-broken.ttl"]


def test_missing_and_empty_data_folders_are_errors(tmp_path):
    with pytest.raises(LoadError, match="no such file or folder"):
        irgraph.load_data([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not data")
    with pytest.raises(LoadError, match="no RDF data files found"):
        irgraph.load_data([tmp_path / "empty"])


def test_unsupported_single_file_is_an_error(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(LoadError, match="unsupported file type"):
        irgraph.load_data([path])


def test_jsonld_with_inline_or_bundled_context_loads(tmp_path):
    doc = {
        "@context": "https://w3id.org/irgraph/context.jsonld",
        "@id": "ir:jsonld-mechanism",
        "@type": "Mechanism",
        "label": "A mechanism from JSON-LD",
        "definition": "Loaded from a JSON-LD file.",
    }
    path = tmp_path / "m.jsonld"
    path.write_text(json.dumps(doc))
    loaded = irgraph.load_data([path])
    from rdflib import RDFS, Literal, URIRef

    node = URIRef("https://w3id.org/irgraph/id/jsonld-mechanism")
    assert (node, RDFS.label, Literal("A mechanism from JSON-LD", lang="en")) in memory(loaded.graph)


def memory(graph):
    from irgraph.store import memory_copy

    return memory_copy(graph)


@pytest.mark.parametrize(
    "context",
    ["http://127.0.0.1:9/context.jsonld", "file:///etc/passwd", ["https://example.org/ctx.jsonld"]],
)
def test_jsonld_with_remote_or_file_context_is_refused(tmp_path, no_network, context):
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps({"@context": context, "@id": "ir:x", "label": "x"}))
    with pytest.raises(LoadError, match="refused JSON-LD context"):
        irgraph.load_data([path])
    assert no_network == []


def test_loading_validating_building_use_no_network(no_network, tmp_path):
    loaded = irgraph.load_data()
    assert irgraph.validate_graph(loaded).conforms
    irgraph.run_build(tmp_path / "out")
    assert no_network == []
    # the guard is real: a connection attempt is recorded and refused
    import socket

    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)


def test_blank_node_labels_stay_apart_across_files(data_dir):
    """_:b1 in two files names two different nodes (RDF merge, not union)."""
    data_dir("a.ttl", 'ir:fixture-a rdfs:seeAlso _:b1 . _:b1 rdfs:label "from a"@en .\n')
    folder = data_dir("b.ttl", 'ir:fixture-b rdfs:seeAlso _:b1 . _:b1 rdfs:label "from b"@en .\n')
    for store in ("oxigraph", "memory"):
        graph = irgraph.load_data([folder], store=store).graph
        from rdflib import URIRef

        a = graph.value(URIRef("https://w3id.org/irgraph/id/fixture-a"), URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))
        b = graph.value(URIRef("https://w3id.org/irgraph/id/fixture-b"), URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))
        assert a is not None and b is not None and a != b, store
