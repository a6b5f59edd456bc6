"""The one table of output formats: each written once, read by the library, the CLI and the server.

An entry says what a format is called, its media type and file suffix, what
it can serialise and which function writes it:

* ``graph``: a whole graph (``irgraph export --format``); its ``writer``
  takes an rdflib graph (or, with ``reads="files"``, the input files: N-Quads
  keeps one named graph per file) and the options it lists in ``options``;
* ``construct``: the graph a CONSTRUCT or DESCRIBE query returns, written by
  the same ``writer``;
* ``select`` / ``ask``: query results, written by ``result_writer`` (a
  function of a :class:`~irgraph.query.QueryResult`);
* ``ledger``: the claim ledger (``irgraph claims --format``), written by
  ``writer`` from a :class:`~irgraph.claims.Ledger`;
* ``figure``: a plot (``irgraph plot forest --format``), whose ``writer``
  takes a :class:`~irgraph.forest.DrawnPlot` and returns the file's bytes.

A name may stand for one format of each kind (``json`` is SPARQL results
JSON for a query and the ledger's own JSON for the ledger):
:func:`for_kind` finds the one of a kind, :func:`get` the first listed.

``irgraph query --format``, ``irgraph export --format``, the SPARQL
endpoint's content negotiation and service description, and the media types
of the VoID distributions all come from here. Writers are named as
``module:function`` and imported when first used, as rdflib's plugin table
does: the table sits below every layer that writes, and a format whose
writer needs a heavy import costs nothing until asked for.

Adding a format is one :class:`Format` in :data:`FORMATS` and its writer.

>>> [f.name for f in formats_for(CONSTRUCT)]
['jsonld', 'turtle', 'nt', 'rdfxml']
>>> get("nt").media_type
'application/n-triples'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError

#: what a format can serialise
GRAPH, CONSTRUCT, SELECT, ASK = "graph", "construct", "select", "ask"
LEDGER, FIGURE = "ledger", "figure"


@dataclass(frozen=True)
class Format:
    """One output format (see the module docstring for what each field means)."""

    name: str
    title: str
    media_type: str | None
    suffix: str | None
    serialises: frozenset[str]
    writer: str | None = None
    result_writer: str | None = None
    #: where ``writer`` reads from: ``graph`` (an rdflib graph) or ``files`` (the input files)
    reads: str = "graph"
    #: keyword options ``writer`` takes besides what it writes (``context``, ``frame`` for JSON-LD)
    options: tuple[str, ...] = ()
    #: other media types a client may ask for that mean this format (``application/json``)
    also_accepted: tuple[str, ...] = field(default=())
    #: ``text`` (one file, or standard output) or ``folder`` (``writer`` returns file name -> text)
    writes: str = "text"
    #: the files a ``folder`` format writes
    files: tuple[str, ...] = ()
    #: other names a SPARQL protocol client may give in ``format=`` / ``output=`` (SPARQLWrapper's ``json-ld``,
    #: ``rdf+xml``, ``n3`` …); they count only among formats of the kind asked for, so ``xml`` is results XML
    #: for a SELECT and RDF/XML for a CONSTRUCT
    request_names: tuple[str, ...] = ()
    #: the format's IRI in the W3C registry ``http://www.w3.org/ns/formats/`` (service descriptions name it)
    w3c: str | None = None
    #: a writer like ``writer`` that writes into a binary file as it goes (same options, same bytes)
    streamer: str | None = None

    def can(self, kind: str) -> bool:
        """Whether this format serialises ``kind`` (``graph``, ``construct``, ``select`` or ``ask``)."""
        return kind in self.serialises

    def write(self, source, **options) -> Any:
        """Write ``source`` (a graph, or the input files) with this format's writer (text, or file name -> text)."""
        return _resolve(self.writer, self.name)(source, **options)

    def write_to(self, source, out, **options) -> None:
        """Write ``source`` into the binary file ``out``: streamed by ``streamer`` where there is one."""
        if self.streamer is not None:
            _resolve(self.streamer, self.name)(source, out, **options)
        else:
            out.write(self.write(source, **options).encode("utf-8"))

    def write_result(self, result) -> str:
        """Write a query result with this format's result writer."""
        return _resolve(self.result_writer, self.name)(result)


def _resolve(path: str | None, name: str) -> Callable[..., Any]:
    if path is None:
        raise UsageError(f"the format {name!r} has no writer for this")
    module, _, function = path.partition(":")
    return getattr(importlib.import_module(module), function)


_RESULTS = frozenset({SELECT, ASK})
W3C = "http://www.w3.org/ns/formats/"

#: every format, in the order the command line lists them
FORMATS: tuple[Format, ...] = (
    Format("table", "aligned text table", None, ".txt", frozenset({SELECT}),
           result_writer="irgraph.results:to_text_table"),
    Format("csv", "W3C SPARQL CSV", "text/csv", ".csv", frozenset({SELECT}), result_writer="irgraph.results:to_csv",
           w3c=W3C + "SPARQL_Results_CSV"),
    Format("tsv", "W3C SPARQL TSV", "text/tab-separated-values", ".tsv", frozenset({SELECT}),
           result_writer="irgraph.results:to_tsv", w3c=W3C + "SPARQL_Results_TSV"),
    Format("json", "SPARQL 1.1 Query Results JSON", "application/sparql-results+json", ".srj", _RESULTS,
           result_writer="irgraph.results:to_sparql_json", also_accepted=("application/json",),
           w3c=W3C + "SPARQL_Results_JSON"),
    Format("xml", "SPARQL Query Results XML", "application/sparql-results+xml", ".srx", _RESULTS,
           result_writer="irgraph.results:to_sparql_xml", also_accepted=("application/xml",),
           w3c=W3C + "SPARQL_Results_XML"),
    Format("md", "Markdown table", None, ".md", frozenset({SELECT}), result_writer="irgraph.results:to_markdown"),
    Format("jsonld", "compact JSON-LD with the project's context", "application/ld+json", ".jsonld",
           frozenset({GRAPH, CONSTRUCT}), writer="irgraph.export:to_jsonld", options=("context", "frame"),
           request_names=("json-ld", "json"), w3c=W3C + "JSON-LD", streamer="irgraph.export:write_jsonld"),
    Format("turtle", "Turtle, sorted", "text/turtle", ".ttl", frozenset({GRAPH, CONSTRUCT}),
           writer="irgraph.export:to_turtle",
           # Turtle is N3 without N3's extensions: a client asking for N3 can read it
           also_accepted=("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3", "application/n3"),
           request_names=("ttl", "n3"), w3c=W3C + "Turtle", streamer="irgraph.export:write_turtle"),
    Format("nt", "N-Triples, sorted", "application/n-triples", ".nt", frozenset({GRAPH, CONSTRUCT}),
           writer="irgraph.export:to_ntriples", also_accepted=("text/plain",), request_names=("ntriples", "n-triples"),
           w3c=W3C + "N-Triples", streamer="irgraph.export:write_ntriples"),
    Format("rdfxml", "RDF/XML, sorted", "application/rdf+xml", ".rdf", frozenset({GRAPH, CONSTRUCT}),
           writer="irgraph.export:to_rdfxml", request_names=("rdf+xml", "xml", "rdf"), w3c=W3C + "RDF_XML"),
    Format("nq", "N-Quads, one graph per input file", "application/n-quads", ".nq", frozenset({GRAPH}),
           writer="irgraph.export:to_nquads", reads="files", w3c=W3C + "N-Quads",
           streamer="irgraph.export:write_nquads"),
    Format("graphml", "GraphML (Gephi, Cytoscape)", "application/graphml+xml", ".graphml", frozenset({GRAPH}),
           writer="irgraph.export:to_graphml", options=("provenance",)),
    Format("kgx", "KGX TSV, Biolink: a folder with nodes.tsv and edges.tsv", None, None, frozenset({GRAPH}),
           writer="irgraph.kgx:to_kgx_tsv", writes="folder", files=("nodes.tsv", "edges.tsv", "metadata.json")),
    Format("kgx-jsonl", "KGX JSON Lines, Biolink: a folder with nodes.jsonl and edges.jsonl", None, None,
           frozenset({GRAPH}), writer="irgraph.kgx:to_kgx_jsonl", writes="folder", files=("nodes.jsonl", "edges.jsonl", "metadata.json")),
    Format("sssom", "SSSOM TSV: every mapping, with its metadata", "text/tab-separated-values", ".sssom.tsv",
           frozenset({GRAPH}), writer="irgraph.mappings:to_sssom"),
    Format("html", "the explorer page", "text/html", ".html", frozenset(), writer="irgraph.visualize:to_html"),
    Format("text", "the ledger for people", None, ".txt", frozenset({LEDGER}), writer="irgraph.claims:to_text"),
    Format("json", "the ledger as JSON (docs/claims.md)", "application/json", ".json", frozenset({LEDGER}),
           writer="irgraph.claims:to_json"),
    Format("csv", "one row per claim", "text/csv", ".csv", frozenset({LEDGER}), writer="irgraph.claims:to_csv"),
    Format("svg", "SVG, text as text, the same bytes every run", "image/svg+xml", ".svg", frozenset({FIGURE}),
           writer="irgraph.forest:to_svg"),
    Format("png", "PNG of the requested size", "image/png", ".png", frozenset({FIGURE}), writer="irgraph.forest:to_png"),
)
_BY_NAME: dict[str, Format] = {}
for _format in FORMATS:
    _BY_NAME.setdefault(_format.name, _format)  # the first of a name: the query formats come before the ledger's
del _format


def get(name: str) -> Format:
    """The format called ``name``, or a :class:`UsageError` listing them."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(_BY_NAME)}") from None


def for_kind(kind: str, name: str) -> Format:
    """The format called ``name`` that serialises ``kind``, or a :class:`UsageError` listing those of the kind.

    >>> for_kind(LEDGER, "json").writer
    'irgraph.claims:to_json'
    """
    for entry in FORMATS:
        if entry.name == name and entry.can(kind):
            return entry
    raise UsageError(f"unknown format {name!r} for a {kind}; choose one of: {', '.join(names(kind))}")


def formats_for(*kinds: str) -> tuple[Format, ...]:
    """The formats that serialise any of ``kinds``, in table order."""
    return tuple(f for f in FORMATS if any(f.can(kind) for kind in kinds))


def names(*kinds: str) -> tuple[str, ...]:
    """The names of :func:`formats_for` ``kinds``.

    >>> names(GRAPH)
    ('jsonld', 'turtle', 'nt', 'rdfxml', 'nq', 'graphml', 'kgx', 'kgx-jsonl', 'sssom')
    """
    return tuple(f.name for f in formats_for(*kinds))


def help_text(*kinds: str) -> str:
    """``name (title), …`` for a command's ``--help``."""
    return ", ".join(f"{f.name} ({f.title})" for f in formats_for(*kinds))


def media_types(*kinds: str) -> dict[str, str]:
    """Media type (and every type also accepted) -> format name, for content negotiation.

    >>> media_types(CONSTRUCT)["text/plain"]
    'nt'
    """
    table: dict[str, str] = {}
    for f in formats_for(*kinds):
        for media in (f.media_type, *f.also_accepted):
            if media:
                table.setdefault(media, f.name)
    return table


def requested(kind: str, value: str) -> Format | None:
    """The format of ``kind`` a protocol client means by ``value`` (a ``format=`` / ``output=`` value), or None.

    ``value`` may be a format's name, one of its :attr:`Format.request_names`
    or one of its media types; names come first, so ``json`` is SPARQL JSON
    for a SELECT and JSON-LD only for a CONSTRUCT.

    >>> requested(CONSTRUCT, "xml").name, requested(SELECT, "xml").name, requested(CONSTRUCT, "json-ld").name
    ('rdfxml', 'xml', 'jsonld')
    >>> requested(CONSTRUCT, "application/rdf+xml").name, requested(SELECT, "turtle") is None
    ('rdfxml', True)
    """
    wanted = value.strip().lower()
    candidates = formats_for(kind)
    for matches in (lambda f: f.name == wanted, lambda f: wanted in f.request_names,
                    lambda f: wanted in (f.media_type, *f.also_accepted)):
        for entry in candidates:
            if matches(entry):
                return entry
    return None


def media_type_of_file(file_name: str) -> str | None:
    """The media type of a file by its suffix (``irgraph.ttl`` -> ``text/turtle``), or None.

    >>> media_type_of_file("irgraph.graphml")
    'application/graphml+xml'
    """
    suffix = file_name[file_name.rfind("."):] if "." in file_name else ""
    for f in FORMATS:
        if f.suffix == suffix and f.media_type:
            return f.media_type
    return None
