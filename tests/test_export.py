"""JSON-LD given to irgraph: only inline or bundled contexts, nothing silently dropped or misread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import irgraph
from irgraph.errors import LoadError
from irgraph.export import CONTEXT_IRI
from irgraph.store import memory_copy

IR = "https://w3id.org/irgraph/id/"


# --- JSON-LD given to irgraph ------------------------------------------------------------


def write_jsonld(tmp_path, document) -> Path:
    path = tmp_path / "input.jsonld"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "context",
    [
        {"@import": "https://example.org/context.jsonld"},
        {"@import": "file:///etc/passwd"},
        {"term": {"@id": "http://example.org/term", "@context": "http://127.0.0.1:9/scoped.jsonld"}},
    ],
)
def test_imported_and_scoped_remote_contexts_are_refused(tmp_path, no_network, context):
    path = write_jsonld(tmp_path, {"@context": context, "@id": "http://example.org/x"})
    with pytest.raises(LoadError, match="refused JSON-LD context") as caught:
        irgraph.load([path])
    assert "input.jsonld" in str(caught.value)
    assert no_network == []


def test_importing_the_bundled_context_is_allowed(tmp_path, no_network):
    path = write_jsonld(
        tmp_path,
        {"@context": {"@import": CONTEXT_IRI}, "@id": "ir:from-import", "@type": "Mechanism", "label": "imported"},
    )
    graph = memory_copy(irgraph.load_graph([path]))
    assert (URIRef(IR + "from-import"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("imported", lang="en")) in graph
    assert no_network == []


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"@id": "ir:bad slug", "label": "x"}, "invalid IRI <https://w3id.org/irgraph/id/bad slug> in the @id of a node"),
        ({"@id": "ir:x", "targets": "ir:cd4 cell"}, "invalid IRI <https://w3id.org/irgraph/id/cd4 cell> in a value"),
        ({"@id": "ir:x", "lable": "typo"}, "unknown property 'lable'"),
        ({"@id": "ir:x", "@type": "Clam"}, "'Clam' in the @type of a node was read as a relative IRI"),
        ({"@id": "ir:x", "label": {"@value": "x", "@language": "e n"}}, "invalid language tag"),
    ],
)
def test_jsonld_that_would_lose_or_misread_statements_is_refused(tmp_path, invoke, node, expected):
    document = {"@context": CONTEXT_IRI, "@graph": [{"@id": "ir:fine", "label": "fine"}, node]}
    path = write_jsonld(tmp_path, document)
    with pytest.raises(LoadError) as caught:
        irgraph.load([path])
    message = str(caught.value)
    assert expected in message
    assert "input.jsonld:" in message  # the file and the line where it stands
    problem = caught.value.report.problems[0]
    text_lines = path.read_text().splitlines()
    assert problem.line is not None and any(key in text_lines[problem.line - 1] for key in ("bad slug", "cd4 cell", "lable", "Clam", "e n"))
    result = invoke("validate", "--data", path)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_jsonld_without_a_context_is_not_read_as_strange_iris(tmp_path):
    path = write_jsonld(tmp_path, {"@id": "ir:x", "http://www.w3.org/2000/01/rdf-schema#label": "x"})
    with pytest.raises(LoadError, match="does not define the prefix 'ir'"):
        irgraph.load([path])
