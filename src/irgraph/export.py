"""Serialise the graph for other tools: Turtle, N-Triples, N-Quads, compact JSON-LD, GraphML.

Every writer starts from the same sorted list of triples (blank nodes
canonicalised by :mod:`irgraph.canonical`, in about linear time), so the same graph always gives the same bytes. Files are
written atomically by :func:`irgraph.writes.write_atomic`.

Which writer does what, and why (``benchmarks/export_speed.py`` measures it;
at 100,000 triples on two cores):

* Turtle and N-Triples are written by pyoxigraph from the sorted triples;
  Turtle is about five times faster than rdflib's writer, which also needs a
  copy of the graph in its own store.
* Compact JSON-LD is built here, straight from the sorted triples, with the
  project's context: each subject becomes one node object, each predicate the
  context's term for it, each value the plainest form that reads back as the
  same RDF term. pyoxigraph writes only expanded JSON-LD; rdflib's
  compaction, with the copy it needs, took about three times as long (the
  previous writer here took 15 s, this one 2 s). pyld and rdflib read the
  result back in the tests, which compare it with the graph.
* Framing (``frame="interventions"``) uses pyld, a complete JSON-LD 1.1
  processor, with a document loader that can only return the bundled context.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from . import formats
from .defaults import CONTEXT_MODES, FRAMES
from .errors import UsageError
from .formats import Format
from .load import LoadedGraph, input_files, load_data, parse_file
from .namespaces import CONTEXT_IRI, bundled_context, compact, expand, prefixes
from .ordered import rendered_by_subject, rendered_from_triples
from .resources import data_dir, ontology_file
from .store import DEFAULT_STORE, ox_triples, oxigraph_store, parse_store, sorted_triples
from .vocab import IRG, RDF_TYPE, XSD, file_scoped, labels_from
from .writes import checked_output_folder, cleanup_on_signals, remove_leftovers, replace_folder, staging_folder, write_file

_XSD = str(XSD)
#: Graph names of the bundled files in N-Quads: this base plus the file's
#: path in the repository (``ontology/irgraph.ttl``, ``data/studies.ttl``).
GRAPH_BASE = "https://w3id.org/irgraph/graph/"

#: the export formats (see :mod:`irgraph.formats`, which says what each writes)
FORMATS = formats.names(formats.GRAPH)
#: JSON numbers beyond this lose digits in JavaScript; larger integers stay strings.
_SAFE_INTEGER = 2**53


def _pieces(graph: Graph, render) -> Iterator[bytes]:
    """``render(triples)`` of each subject's sorted triples, in subject order (blank nodes canonical).

    On Oxigraph (in memory or on disk) the triples stream from the store
    (:func:`irgraph.ordered.rendered_by_subject`); on rdflib's store they
    come from :func:`~irgraph.store.sorted_triples`. Both give the same
    pieces in the same order.
    """
    store = oxigraph_store(graph)
    if store is not None:
        yield from rendered_by_subject(store, render)
        return
    for _subject, statements in itertools.groupby(sorted_triples(graph), key=lambda t: t.subject):
        yield render(list(statements))


def _ntriples_piece(triples: list) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def write_ntriples(graph: Graph, out: BinaryIO) -> None:
    """Write :func:`to_ntriples` of ``graph`` to the binary file ``out``, streaming from the store.

    >>> from irgraph import load_graph
    >>> buffer = io.BytesIO()
    >>> write_ntriples(load_graph(), buffer)
    >>> buffer.getvalue().decode() == to_ntriples(load_graph())
    True
    """
    for piece in _pieces(graph, _ntriples_piece):
        out.write(piece)


def _as_text(write, graph: Graph, **options) -> str:
    buffer = io.BytesIO()
    write(graph, buffer, **options)
    return buffer.getvalue().decode("utf-8")


def to_turtle(graph: Graph) -> str:
    """Readable, deterministic Turtle: sorted prefixes, triples grouped by subject and sorted.

    >>> from irgraph import load_graph
    >>> to_turtle(load_graph()).startswith("@prefix ")
    True
    """
    return _as_text(write_turtle, graph)


def _text(data: bytes | None) -> str:
    """What ``ox.serialize`` wrote (bytes, as no output file is given) as text."""
    return (data or b"").decode("utf-8")


class _TurtleLayout:
    """Turtle as irgraph writes it, line by line: the ``@prefix`` lines sorted, a blank line before each subject.

    Written as it comes, so that a store's Turtle never has to be in memory
    whole; lines are split at ``\n`` only (not at U+0085, U+2028… inside
    literals, as ``str.splitlines`` would).
    """

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.previous: str | None = None  # the last line laid out
        self.wrote_text = False
        self.blank_lines = 0  # blank lines not written yet (the last ones are dropped)

    def line(self, line: str) -> None:
        if line and not line.startswith(("\t", " ")) and self.previous not in (None, ""):
            self._put("")  # a blank line before each subject
        self._put(line)

    def _put(self, line: str) -> None:
        self.previous = line
        if not line:
            self.blank_lines += 1
            return
        separators = self.blank_lines + (1 if self.wrote_text else 0)
        self.out.write(("\n" * separators + line).encode("utf-8"))
        self.wrote_text, self.blank_lines = True, 0

    def header(self, lines: list[str]) -> None:
        for line in lines:
            self._put(line)
        self._put("")

    def subject(self, data: bytes) -> None:
        """Lay out one subject's Turtle, as :meth:`line` would each of its lines."""
        block = data[:-1] if data.endswith(b"\n") else data
        if block and block[:1] not in (b"\t", b" ", b"\n") and b"\n" not in block.replace(b"\n\t", b"").replace(b"\n ", b""):
            # the usual case, without a look at each line: a subject line, then indented lines
            if self.previous not in (None, ""):
                self.blank_lines += 1
            self.out.write(b"\n" * (self.blank_lines + (1 if self.wrote_text else 0)) + block)
            self.wrote_text = True
            self.previous, self.blank_lines = "", 1 if data.endswith(b"\n") else 0
            if not data.endswith(b"\n"):  # pragma: no cover - pyoxigraph ends every statement with a newline
                self.previous = "…"
            return
        for line in data.decode("utf-8").split("\n"):  # not splitlines(): it would also split at U+0085, U+2028…
            self.line(line)

    def close(self) -> None:
        self.out.write(b"\n")


def write_turtle(graph: Graph, out: BinaryIO) -> None:
    """Write :func:`to_turtle` of ``graph`` to the binary file ``out``, streaming from the store.

    Each subject's triples are written by pyoxigraph with the project's
    prefixes (it writes every prefix it is given, in the order given, and
    nothing else before the first triple); the prefix block is cut from
    each piece and written once, sorted, at the top.

    >>> from irgraph import load_graph
    >>> buffer = io.BytesIO()
    >>> write_turtle(load_graph(), buffer)
    >>> buffer.getvalue().decode() == to_turtle(load_graph())
    True
    """
    known = prefixes()
    sample = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"))
    written = _text(ox.serialize([sample], format=ox.RdfFormat.TURTLE, prefixes=known)).rpartition("<urn:x>")[0]
    block = written[: written.rfind("\n") + 1].encode("utf-8")  # the @prefix lines, as pyoxigraph writes them

    def piece(triples: list) -> bytes:
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=known) or b""
        if not data.startswith(block):  # pragma: no cover - pyoxigraph changed how it writes prefixes
            raise AssertionError("pyoxigraph no longer writes the prefixes it is given first")
        return data[len(block):]

    layout = _TurtleLayout(out)
    first = True
    for data in _pieces(graph, piece):
        if first:
            layout.header(sorted(line for line in block.decode("utf-8").split("\n") if line.startswith("@prefix ")))
            first = False
        layout.subject(data)
    if first:
        layout.header([])
    layout.close()


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted.

    >>> from irgraph import load_graph
    >>> to_ntriples(load_graph()).splitlines()[0].split(" ")[1]
    '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'
    """
    return _as_text(write_ntriples, graph)


def to_rdfxml(graph: Graph) -> str:
    """RDF/XML, by Oxigraph's writer, from the sorted triples and with the project's prefixes.

    >>> from irgraph import load_graph
    >>> "<rdf:RDF" in to_rdfxml(load_graph())
    True
    """
    return _text(ox.serialize(sorted_triples(graph), format=ox.RdfFormat.RDF_XML, prefixes=prefixes()))


def graph_name(path: Path) -> str:
    """The N-Quads graph name of an input file.

    A bundled file is named by its place in the repository under
    :data:`GRAPH_BASE`, the same on every machine; a file of your own by its
    ``file:`` IRI, which says where it was read from.

    >>> graph_name(data_dir() / "studies.ttl")
    'https://w3id.org/irgraph/graph/data/studies.ttl'
    """
    resolved = path.resolve()
    for root, folder in ((data_dir(), "data"), (ontology_file().parent, "ontology")):
        try:
            return GRAPH_BASE + folder + "/" + resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return resolved.as_uri()


def to_nquads(paths: Iterable[str | Path]) -> str:
    """N-Quads: every triple in the named graph of the file it was read from, sorted.

    A triple stated in two files appears once in each file's graph, so nothing
    about where a statement comes from is lost; loading the quads into a
    triplestore and querying the union of its graphs gives the merged graph.
    Graph names are given by :func:`graph_name`. Blank nodes are kept apart
    per file and canonicalised, so the output is deterministic.

    >>> text = to_nquads([data_dir() / "organizations.ttl"])
    >>> text.splitlines()[0].endswith("<https://w3id.org/irgraph/graph/data/organizations.ttl> .")
    True
    """
    buffer = io.BytesIO()
    write_nquads(paths, buffer)
    return buffer.getvalue().decode("utf-8")


def write_nquads(paths: Iterable[str | Path], out: BinaryIO) -> None:
    """Write :func:`to_nquads` of ``paths`` to the binary file ``out``, one graph at a time.

    The graphs are written in the order of their names, each as N-Triples
    are, subject by subject (:func:`irgraph.ordered.rendered_from_triples`),
    with the graph's name written into each line (N-Triples escape every
    line break in a literal, so each line ends in the one `` .\n``).
    Memory is one file's triples, not every file's.

    >>> buffer = io.BytesIO()
    >>> write_nquads([data_dir() / "organizations.ttl"], buffer)
    >>> buffer.getvalue().decode() == to_nquads([data_dir() / "organizations.ttl"])
    True
    """
    files: dict[str, list[tuple[int, Path]]] = defaultdict(list)
    for index, path in enumerate(Path(p) for p in paths):
        files[graph_name(path)].append((index, path))
    for name in sorted(files):
        triples = [ox.Triple(s, p, o) for index, path in files[name] for s, p, o in file_scoped(parse_file(path), index)]
        node = ox.NamedNode(name)
        end = f" {node} .\n".encode()
        for piece in rendered_from_triples(triples, _ntriples_piece, graph=node):
            out.write(piece.replace(b" .\n", end))
        del triples


@dataclass(frozen=True)
class _Term:
    """A context term for a property: its name and how it coerces plain values."""

    name: str
    coerce: str | None = None  # "@id", a datatype IRI, or None
    language: str | None = None


@dataclass(frozen=True)
class _Compactor:
    """What compaction needs from a context: terms by property IRI, class names, prefixes."""

    properties: dict
    classes: dict
    prefixes: dict

    def iri(self, iri: str) -> str:
        """A compact IRI (``ir:il-2``) when a prefix fits; else the IRI itself."""
        if not self.prefixes:
            return iri
        return compact(iri)


@cache
def _compactor(mode: str) -> _Compactor:
    if mode == "none":
        return _Compactor({}, {}, {})
    context = bundled_context()
    known = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}

    def expand(value: str) -> str:
        prefix, sep, local = value.partition(":")
        return known[prefix] + local if sep and prefix in known else value

    properties: dict[str, _Term] = {}
    classes: dict[str, str] = {}
    # the shortest, then alphabetically first, term wins (JSON-LD's term selection)
    for name in sorted(context, key=lambda n: (len(n), n)):
        value = context[name]
        if name.startswith("@") or name in known:
            continue
        if isinstance(value, str):
            classes.setdefault(expand(value), name)
        elif isinstance(value, dict) and "@id" in value and "@reverse" not in value and "@container" not in value:
            coerce = value.get("@type")
            term = _Term(name, coerce if coerce in (None, "@id") else expand(coerce), value.get("@language"))
            properties.setdefault(expand(value["@id"]), term)
    return _Compactor(properties, classes, known)


def _node_id(term, compactor: _Compactor) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else compactor.iri(term.value)


def _native(literal: ox.Literal):
    """The JSON value that reads back as exactly this literal, or None when there is none.

    Plain strings; integers in canonical form and within JavaScript's safe
    range; ``true``/``false``. Decimals and doubles never: a JSON number with
    a fraction means ``xsd:double`` and would not keep the literal's digits.
    """
    datatype = literal.datatype.value
    value = literal.value
    if datatype == _XSD + "string":
        return value
    if datatype == _XSD + "integer":
        try:
            number = int(value)
        except ValueError:
            return None
        return number if str(number) == value and abs(number) < _SAFE_INTEGER else None
    if datatype == _XSD + "boolean" and value in ("true", "false"):
        return value == "true"
    return None


def _value(obj, term: _Term | None, compactor: _Compactor):
    """The compact JSON-LD form of one object under ``term`` (None: the key is an IRI)."""
    coerce = term.coerce if term else None
    if not isinstance(obj, ox.Literal):
        node = _node_id(obj, compactor)
        return node if coerce == "@id" else {"@id": node}
    if obj.language:
        if term and term.language == obj.language and coerce is None:
            return obj.value
        return {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if coerce not in (None, "@id"):
        if datatype == coerce:
            return obj.value
    elif coerce is None and not (term and term.language):
        native = _native(obj)
        if native is not None:
            return native
    if datatype == _XSD + "string":
        return {"@value": obj.value}
    return {"@value": obj.value, "@type": compactor.iri(datatype)}


def _node_objects(triples: list[ox.Triple], compactor: _Compactor) -> list[dict]:
    """One node object per subject, from sorted triples."""
    nodes: list[dict] = []
    current = None
    node: dict = {}
    for triple in triples:
        if triple.subject != current:
            current = triple.subject
            node = {"@id": _node_id(current, compactor)}
            nodes.append(node)
        predicate = triple.predicate.value
        obj = triple.object
        if predicate == RDF_TYPE and not isinstance(obj, ox.Literal):
            key = "@type"
            value = compactor.classes.get(obj.value) or _node_id(obj, compactor)  # type: ignore[union-attr]  # no triple terms
        else:
            term = compactor.properties.get(predicate)
            key = term.name if term else compactor.iri(predicate)
            value = _value(obj, term, compactor)
        if key in node:
            if isinstance(node[key], list):
                node[key].append(value)
            else:
                node[key] = [node[key], value]
        else:
            node[key] = value
    ordered = []
    for node in nodes:
        keys = sorted(node, key=lambda k: (k not in ("@id", "@type"), k != "@id", k))
        ordered.append({k: node[k] for k in keys})
    return ordered


def to_jsonld(graph: Graph, *, context: str = "embed", frame: str | None = None) -> str:
    """Compact JSON-LD using the project's context; deterministic.

    ``context`` is ``embed`` (the context object inside the document, so the
    file stands alone), ``file`` (a reference to :data:`CONTEXT_IRI`, the
    name under which ``ontology/context.jsonld`` is published; irgraph maps
    that name to its bundled copy and never fetches it) or ``none`` (no
    context: full IRIs). Integers, booleans and plain strings are written as
    JSON values; every other literal keeps its exact lexical form, as a
    string when the context fixes its datatype (``"hazardRatio": "0.94"``)
    or else as a value object (``{"@value": "2000", "@type": "xsd:gYear"}``).

    ``frame="interventions"`` gives one nested object per intervention with
    its approach, studies, findings and sources (see :func:`frame_jsonld`).

    >>> from irgraph import load_graph
    >>> import json
    >>> doc = json.loads(to_jsonld(load_graph()))
    >>> node = next(n for n in doc["@graph"] if n["@id"] == "ir:study-esprit")
    >>> node["@type"], node["phase"], node["participants"]
    ('ClinicalStudy', 'ir:phase-3', 4111)
    """
    return _as_text(write_jsonld, graph, context=context, frame=frame)


_dumps = json.JSONEncoder(ensure_ascii=False).encode  # the C encoder (json.dumps with indent is pure Python)
_string = json.encoder.encode_basestring  # what that encoder writes for a str, without its checks first


def _indented(value, margin: str) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` with ``margin`` before every line but the first.

    The same text, several times faster: only objects and arrays are laid
    out here, every other value is written by the C encoder.

    >>> value = {"@id": "ir:x", "n": [1, {"@value": "é"}], "e": [], "o": {}}
    >>> _indented(value, "") == json.dumps(value, indent=2, ensure_ascii=False)
    True
    """
    kind = type(value)
    if kind is str:  # the usual value, first
        return _string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = margin + "  "
        items = [inner + _string(key) + ": " + (_string(item) if type(item) is str else _indented(item, inner))
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + margin + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = margin + "  "
        return "[\n" + ",\n".join([inner + _indented(item, inner) for item in value]) + "\n" + margin + "]"
    return _dumps(value)


#: stands for the node objects in the JSON text of the document around them
_NODES_GO_HERE = "\u0000irgraph-nodes"


def write_jsonld(graph: Graph, out: BinaryIO, *, context: str = "embed", frame: str | None = None) -> None:
    """Write :func:`to_jsonld` of ``graph`` to the binary file ``out``; without a frame, streaming from the store.

    Each subject's node object is made from its sorted triples and written
    as ``json.dumps`` writes it inside the whole document (indented two
    levels), so the bytes are those of the document built in one piece.
    Framing needs the whole graph (pyld), and so memory.

    >>> from irgraph import load_graph
    >>> buffer = io.BytesIO()
    >>> write_jsonld(load_graph(), buffer, context="file")
    >>> buffer.getvalue().decode() == to_jsonld(load_graph(), context="file")
    True
    """
    if context not in CONTEXT_MODES:
        raise UsageError(f"unknown JSON-LD context mode {context!r}; choose one of: {', '.join(CONTEXT_MODES)}")
    if frame is not None:
        document = frame_jsonld(graph, frame, context=context)
        out.write((json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        return
    compactor = _compactor(context)
    around: dict = {} if context == "none" else {"@context": bundled_context() if context == "embed" else CONTEXT_IRI}

    def piece(triples: list) -> bytes:
        (node,) = _node_objects(triples, compactor)
        return _indented(node, "    ").encode("utf-8")

    shell = json.dumps({**around, "@graph": [_NODES_GO_HERE]}, indent=2, ensure_ascii=False)
    before, _, after = shell.partition(json.dumps(_NODES_GO_HERE))
    written = False
    for data in _pieces(graph, piece):
        out.write(b",\n    " if written else before.encode("utf-8"))
        out.write(data)
        written = True
    if written:
        out.write((after + "\n").encode("utf-8"))
    else:
        out.write((json.dumps({**around, "@graph": []}, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def refuse_remote_documents(url: str, options=None) -> dict:  # noqa: ARG001 - pyld's loader signature
    """A pyld document loader that serves only the bundled context and refuses everything else.

    Give it to pyld as ``documentLoader`` so that no context is ever fetched.

    >>> refuse_remote_documents(CONTEXT_IRI)["document"]["@context"]["ir"]
    'https://w3id.org/irgraph/id/'
    >>> refuse_remote_documents("https://example.org/other.jsonld")
    Traceback (most recent call last):
    ...
    irgraph.errors.UsageError: refused to load 'https://example.org/other.jsonld': only the bundled context <https://w3id.org/irgraph/context.jsonld> is available (nothing is fetched)
    """
    if url == CONTEXT_IRI:
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": bundled_context()},
        }
    raise UsageError(f"refused to load {url!r}: only the bundled context <{CONTEXT_IRI}> is available (nothing is fetched)")


def frame_document(name: str) -> dict:
    """The JSON-LD frame called ``name`` (a file in the package's ``frames/`` folder).

    >>> frame_document("interventions")["@type"]
    ['CombinationIntervention', 'Intervention']
    """
    if name not in FRAMES:
        raise UsageError(f"unknown frame {name!r}; choose one of: {', '.join(FRAMES)}")
    text = (files("irgraph") / "frames" / f"{name}.jsonld").read_text(encoding="utf-8")
    return json.loads(text)


def _sort_values(value, key=None):
    """Keys ``@id``, ``@type``, ``label`` first, then alphabetical; set values sorted."""
    if isinstance(value, dict):
        first = {"@id": 0, "@type": 1, "label": 2}
        return {k: _sort_values(value[k], k) for k in sorted(value, key=lambda k: (first.get(k, 3), k))}
    if isinstance(value, list):
        items = [_sort_values(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def frame_jsonld(graph: Graph, name: str = "interventions", *, context: str = "embed") -> dict:
    """The graph framed by the named frame: a list of nested objects, deterministic.

    ``interventions``: one object per intervention with its approach,
    mechanisms, targets and developer (label only), the studies that
    evaluated it (with phase and sources), the findings about it (with
    endpoint, effect, verdict, figures and sources) under ``findings``, and
    its own sources. Other links are given by ``@id``. The frame's context
    is the bundled one plus the term ``findings`` (the reverse of
    ``aboutIntervention``); ``context="file"`` names the bundled context by
    :data:`CONTEXT_IRI` instead of embedding it.

    >>> from irgraph import load_graph
    >>> framed = frame_jsonld(load_graph())
    >>> il2 = next(n for n in framed["@graph"] if n["@id"] == "ir:il-2")
    >>> sorted(study["label"] for study in il2["evaluatedIn"])[:2]
    ['ESPRIT', 'SILCAAT']
    """
    if context == "none":
        raise UsageError("framing needs the context to name things; use --context embed or --context file")
    from pyld import jsonld  # only framing needs a full JSON-LD processor

    frame = frame_document(name)
    # the compact document, not pyoxigraph's expanded one, which writes types as rdf:type values
    document = {"@context": bundled_context(), "@graph": _node_objects(sorted_triples(graph), _compactor("embed"))}
    options = {"documentLoader": refuse_remote_documents, "embed": "@never", "omitDefault": True}
    try:
        framed = jsonld.frame(document, frame, options)
    except jsonld.JsonLdError as error:  # pragma: no cover - the bundled frame is tested
        raise UsageError(f"the frame {name!r} could not be applied: {error}") from None
    # the frame names the bundled context by its IRI; the output embeds it or keeps the IRI
    framed["@context"] = [bundled_context() if item == CONTEXT_IRI and context == "embed" else item for item in frame["@context"]]
    nodes = framed.get("@graph", [] if set(framed) == {"@context"} else [{k: v for k, v in framed.items() if k != "@context"}])
    nodes = sorted((_sort_values(node) for node in nodes), key=lambda node: node.get("@id", ""))
    return {"@context": framed["@context"], "@graph": nodes}


# --- GraphML: the property-graph projection ---------------------------------------

#: separator used when GraphML needs one text value for several
GRAPHML_JOIN = "; "

_NMTOKEN = re.compile(r"^[\w.:-]+$")
_HAS_APPROACH = compact(IRG.hasApproach)


def to_graphml(graph: Graph, *, provenance: bool = True) -> str:
    """GraphML of the projection, for Gephi and Cytoscape; deterministic.

    Node ids are compact names (``ir:il-2``), or ``n1``, ``n2``… where a
    compact name is not a valid XML name token. Node attributes: ``label``,
    ``class`` (compact name), ``class_label``, ``approach`` (labels of the
    node's ``irg:hasApproach`` values; only on nodes that have one) and
    ``iri``. Edge attributes: ``label``
    (the relation's label, e.g. ``has approach``), ``relation`` (compact name)
    ``predicate`` (IRI) and ``provenance`` (``true`` for a link that says
    where a statement comes from, so that a tool can filter them out;
    ``provenance=False`` leaves them out, with the sources, as
    :func:`~irgraph.network.to_networkx` does); edge ids ``e0``, ``e1``…. Every attribute is one
    text value: several values are sorted and joined with ``"; "`` (an
    intervention with two approaches), because GraphML and the tools that
    read it have no list type. Literal values other than labels are left out:
    they are in the RDF exports, and one key per predicate would make
    Gephi's attribute table unreadable.

    >>> from irgraph import load_graph
    >>> text = to_graphml(load_graph())
    >>> '<node id="ir:dermavir">' in text and "therapeutic vaccination" in text
    True
    """
    import networkx as nx  # only GraphML needs networkx (about 0.2 s and 13 MB to import)

    from .network import to_networkx

    network = to_networkx(graph, provenance=provenance)
    labels = {node: data["label"] for node, data in network.nodes(data=True)}
    class_labels = labels_from(ox_triples(graph))
    approaches: dict[str, list[str]] = defaultdict(list)
    for u, v, data in network.edges(data=True):
        if data["relation"] == _HAS_APPROACH:
            approaches[u].append(labels[v])
    ids: dict[str, str] = {}
    taken: set[str] = set()
    fallback = 0
    for node in sorted(network):
        name = compact(node)
        if not _NMTOKEN.match(name) or name in taken:
            fallback += 1
            name = f"n{fallback}"
        ids[node] = name
        taken.add(name)
    out = nx.MultiDiGraph()
    for node, data in sorted(network.nodes(data=True)):
        cls = data.get("class", "")
        attrs = {"label": str(data["label"]), "class": cls, "class_label": class_labels.get(expand(cls), cls)}
        if node in approaches:
            attrs["approach"] = GRAPHML_JOIN.join(sorted(approaches[node]))
        attrs["iri"] = node
        out.add_node(ids[node], **attrs)
    edges = sorted(network.edges(data=True), key=lambda e: (ids[e[0]], e[2]["predicate"], ids[e[1]]))
    for index, (u, v, data) in enumerate(edges):
        out.add_edge(ids[u], ids[v], key=f"e{index}", label=data["label"], relation=data["relation"], predicate=data["predicate"],
                     provenance=data["provenance"])
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def export_format(fmt: str, context: str = "embed", frame: str | None = None, *, provenance: bool = True) -> Format:
    """The export format ``fmt`` of :mod:`irgraph.formats`, after the checks of its options.

    Raises :class:`~irgraph.errors.UsageError` for an unknown format or an
    option that does not apply (callers check before loading anything).

    >>> export_format("turtle").media_type
    'text/turtle'
    """
    if fmt not in formats.names(formats.GRAPH):
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(formats.names(formats.GRAPH))}")
    entry = formats.get(fmt)
    if (context != "embed" or frame is not None) and "context" not in entry.options:
        takers = ", ".join(f.name for f in formats.formats_for(formats.GRAPH) if "context" in f.options)
        raise UsageError(f"--context and --frame apply to --format {takers} only")
    if not provenance and "provenance" not in entry.options:
        takers = ", ".join(f.name for f in formats.formats_for(formats.GRAPH) if "provenance" in f.options)
        raise UsageError(f"--no-provenance applies to --format {takers} only (the RDF formats keep every triple)")
    if frame is not None and frame not in FRAMES:
        raise UsageError(f"unknown frame {frame!r}; choose one of: {', '.join(FRAMES)}")
    if context not in CONTEXT_MODES:
        raise UsageError(f"unknown JSON-LD context mode {context!r}; choose one of: {', '.join(CONTEXT_MODES)}")
    return entry


def _paths_of(entry: Format, loaded: LoadedGraph) -> list[Path]:
    """The input files of ``loaded``, for a format that reads files (N-Quads)."""
    if not loaded.paths:
        raise UsageError(
            f"--format {entry.name} names one graph per input file, and the store {loaded.store} does not record "
            "which file each triple came from; export it with --format nt or turtle, "
            "or export N-Quads from the files themselves (leave out --store)"
        )
    return list(loaded.paths)


def _write(entry: Format, loaded: LoadedGraph, given: dict):
    """What ``entry``'s writer makes of ``loaded``, with the options it takes."""
    if entry.reads == "files":
        return entry.write(_paths_of(entry, loaded))
    return entry.write(loaded.graph, **{name: given[name] for name in entry.options})


def export_loaded(loaded: LoadedGraph, fmt: str = "jsonld", *, context: str = "embed", frame: str | None = None,
                  provenance: bool = True) -> str:
    """A loaded graph (what :func:`irgraph.load_data` returns) in one of the export formats, as text.

    The formats are those of :mod:`irgraph.formats` that write a whole
    graph: ``jsonld``, ``turtle``, ``nt``, ``nq`` (one named graph per input
    file, see :func:`to_nquads`), ``graphml`` (the property-graph
    projection, see :func:`to_graphml`) and ``sssom`` (the mappings, see
    :func:`irgraph.mappings.to_sssom`); the formats that write a folder
    (``kgx``, ``kgx-jsonl``) are :func:`export_files`' to write. ``context``
    and ``frame`` apply to JSON-LD only, ``provenance=False`` to GraphML
    only. ``nq`` needs the files, and so a graph loaded in memory (a
    persistent or remote store keeps no record of which file a triple came
    from): otherwise a :class:`~irgraph.errors.UsageError`, as for an
    unknown format or an option that does not apply.

    >>> from irgraph import load_data
    >>> export_loaded(load_data(), "nt") == to_ntriples(load_data().graph)
    True
    """
    entry = export_format(fmt, context, frame, provenance=provenance)
    if entry.writes == "folder":
        raise UsageError(f"--format {fmt} writes a folder ({', '.join(entry.files)}): give -o FOLDER "
                         "(in Python: irgraph.export.export_files)")
    return _write(entry, loaded, {"context": context, "frame": frame, "provenance": provenance})


def export_to(loaded: LoadedGraph, out: BinaryIO, fmt: str = "jsonld", *, context: str = "embed",
              frame: str | None = None, provenance: bool = True) -> None:
    """:func:`export_loaded` written into the binary file ``out``; N-Triples, Turtle and JSON-LD stream
    from the store (see :mod:`irgraph.ordered`), so a big store is never whole in memory.

    >>> from irgraph import load_data
    >>> buffer = io.BytesIO()
    >>> export_to(load_data(), buffer, "nt")
    >>> buffer.getvalue().decode() == export_loaded(load_data(), "nt")
    True
    """
    entry = export_format(fmt, context, frame, provenance=provenance)
    if entry.writes == "folder":
        raise UsageError(f"--format {fmt} writes a folder ({', '.join(entry.files)}): give -o FOLDER "
                         "(in Python: irgraph.export.export_files)")
    if entry.reads == "files":
        entry.write_to(_paths_of(entry, loaded), out)
        return
    entry.write_to(loaded.graph, out, **{name: {"context": context, "frame": frame, "provenance": provenance}[name]
                                         for name in entry.options})


def export_files(loaded: LoadedGraph, fmt: str) -> dict[str, str]:
    """The files of a folder format (``kgx``: ``nodes.tsv`` and ``edges.tsv``; ``kgx-jsonl``), name -> text.

    A format that writes one file gives ``{"irgraph" + suffix: text}``.
    Write them with :func:`write_folder`.

    >>> from irgraph import load_data
    >>> sorted(export_files(load_data(), "kgx"))
    ['edges.tsv', 'metadata.json', 'nodes.tsv']
    """
    entry = export_format(fmt)
    if entry.writes == "folder":
        return _write(entry, loaded, {})
    return {f"irgraph{entry.suffix}": _write(entry, loaded, {"context": "embed", "frame": None, "provenance": True})}


def write_folder(folder: str | Path, outputs: dict[str, str], *, follow_symlinks: bool = False) -> list[Path]:
    """Write ``outputs`` (file name -> text) as ``folder``, which takes the old folder's place in one step.

    The folder may be new, empty, or hold only files of these names (it is
    replaced whole): anything else in it is refused with
    :class:`~irgraph.errors.WriteError` before anything is written, as
    ``irgraph build`` refuses it (see :mod:`irgraph.writes`).
    """
    target = checked_output_folder(folder, outputs, follow_symlinks=follow_symlinks)
    remove_leftovers(target)
    with cleanup_on_signals():
        staging = staging_folder(target)
        try:
            for name, text in sorted(outputs.items()):
                write_file(staging / name, text.encode("utf-8"))
            replace_folder(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [Path(folder) / name for name in sorted(outputs)]


def export_graph(
    fmt: str = "jsonld",
    extra_data: Iterable[str | Path] = (),
    *,
    store: str = DEFAULT_STORE,
    context: str = "embed",
    frame: str | None = None,
    provenance: bool = True,
) -> str:
    """Load the ontology, bundled data and ``extra_data`` from ``store``, and :func:`export_loaded` them.

    Raises :class:`~irgraph.errors.LoadError` when a file does not parse and
    :class:`~irgraph.errors.UsageError` for an unknown format, an option
    that does not apply (both checked before anything is read), a store
    that is not there, or ``nq`` from a store on disk or on a server.

    >>> export_graph("turtle") == to_turtle(__import__("irgraph").load_graph())
    True
    """
    export_format(fmt, context, frame, provenance=provenance)
    spec = parse_store(store)
    if formats.get(fmt).reads == "files" and spec.in_memory:  # the files are all it needs
        return formats.get(fmt).write(input_files(extra_data))
    return export_loaded(load_data(extra_data, store=spec), fmt, context=context, frame=frame, provenance=provenance)
