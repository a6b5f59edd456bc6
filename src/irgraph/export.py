"""Serialise the graph: deterministic Turtle and N-Triples, compact JSON-LD.

Every writer starts from the same sorted list of triples (blank nodes
canonicalised), so the same graph always gives the same bytes. Files are
written atomically: a temporary file in the target folder, then a rename.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .namespaces import prefixes
from .resources import context_file
from .store import memory_copy, ox_triples

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Where the bundled context is published; exported JSON-LD that refers to
#: the context instead of embedding it names this IRI.
CONTEXT_IRI = "https://w3id.org/irgraph/context.jsonld"


def _term_key(term) -> tuple:
    if isinstance(term, ox.Literal):
        return (2, term.value, term.datatype.value if term.datatype else "", term.language or "")
    return (0 if isinstance(term, ox.NamedNode) else 1, term.value, "", "")


def sorted_triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples in a stable order: by subject, ``rdf:type`` first, then predicate and object.

    Blank nodes get canonical labels first, so two runs over the same data agree.
    """
    triples = ox_triples(graph)
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]
    return sorted(
        triples,
        key=lambda t: (_term_key(t.subject), t.predicate.value != _RDF_TYPE, t.predicate.value, _term_key(t.object)),
    )


def to_turtle(graph: Graph) -> str:
    """Readable, deterministic Turtle: sorted prefixes, triples grouped by subject and sorted."""
    body = ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=prefixes()).decode("utf-8")
    lines = body.splitlines()
    header = sorted(line for line in lines if line.startswith("@prefix "))
    rest = [line for line in lines if not line.startswith("@prefix ")]
    out = [*header, ""]
    for line in rest:
        if line and not line.startswith(("\t", " ")) and out[-1] != "":
            out.append("")  # a blank line before each subject
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted."""
    return ox.serialize(sorted_triples(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def bundled_context() -> dict:
    """The project's JSON-LD context (the ``@context`` object)."""
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


def _sort_jsonld(value):
    if isinstance(value, dict):
        return {key: _sort_jsonld(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sort_jsonld(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph, *, context: str = "embed") -> str:
    """Compact JSON-LD using the project's context.

    ``context`` is ``embed`` (the context object inside the document),
    ``file`` (a reference to the published context IRI, which irgraph resolves
    to its bundled copy and never fetches) or ``none`` (expanded form, full IRIs).
    """
    memory = Graph()
    memory += memory_copy(graph)
    if context == "none":
        document = json.loads(memory.serialize(format="json-ld", auto_compact=False))
        return json.dumps(_sort_jsonld(document), indent=2, ensure_ascii=False) + "\n"
    ctx = bundled_context()
    compacted = json.loads(memory.serialize(format="json-ld", context=ctx, auto_compact=True, use_native_types=True))
    nodes = compacted.get("@graph", [compacted] if "@id" in compacted else [])
    nodes = [_sort_jsonld({k: v for k, v in node.items() if k != "@context"}) for node in nodes]
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    document = {"@context": ctx if context == "embed" else CONTEXT_IRI, "@graph": nodes}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` so that readers see the old file or the new one, never half.

    The data goes to a temporary file in the same folder, is flushed to disk,
    then renamed over the target. On any error the temporary file is removed
    and the old file stays as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
