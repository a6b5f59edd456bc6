"""Load the ontology, the bundled data and any extra data into one RDF graph.

Every file is parsed into its own list of triples first; they are merged only
when all of them parsed, so one bad file changes nothing. Parse errors name
the file, line and column. The origin of every subject (which files describe
it) is kept so that validation can say where a problem comes from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import LoadError
from .report import ERROR, Problem, Report
from .resources import context_file, data_dir, ontology_file
from .store import DEFAULT_STORE, new_graph, oxigraph_store, to_rdflib

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: The IRI under which the bundled JSON-LD context is published; a .jsonld
#: file may name it and gets the bundled copy, never a download.
CONTEXT_IRI = "https://w3id.org/irgraph/context.jsonld"


@dataclass
class LoadedGraph:
    """The merged graph with what validation needs to point back at files.

    ``graph`` holds the ontology and all data; ``origins`` maps each subject
    to the files that describe it; ``term_origins`` maps each IRI used as a
    predicate or object to the files that use it that way; ``files`` lists the
    files read, in order.
    """

    graph: Graph
    origins: dict = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    term_origins: dict = field(default_factory=dict)


def display_path(path: Path) -> str:
    """A short, stable name for a file: relative to the package or working folder."""
    path = path.resolve()
    for root in (data_dir().parent, ontology_file().parent.parent, Path.cwd()):
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def data_files(folder: Path) -> list[Path]:
    """The RDF files in a data folder (recursively), sorted; a file is returned as is."""
    if not folder.exists():
        raise LoadError(f"{folder}: no such file or folder; give a folder of .ttl/.nt/.nq/.trig/.jsonld files")
    if folder.is_file():
        if folder.suffix.lower() not in FORMATS:
            raise LoadError(
                f"{folder}: unsupported file type '{folder.suffix}'; use one of {', '.join(sorted(FORMATS))}"
            )
        return [folder]
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
    if not found:
        raise LoadError(
            f"{folder}: no RDF data files found; expected files ending in {', '.join(sorted(FORMATS))}"
        )
    return found


def input_files(extra_data: Iterable[str | Path] = (), *, bundled: bool = True) -> list[Path]:
    """The ontology, then the bundled data, then each extra folder's files, in order."""
    files = [ontology_file()]
    if bundled:
        files += data_files(data_dir())
    for extra in extra_data:
        files += data_files(Path(extra))
    seen: set[Path] = set()
    unique = []
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _jsonld_input(path: Path) -> bytes:
    """A .jsonld file with its contexts checked: only inline or the bundled context.

    Remote and ``file:`` contexts are refused so that loading never reaches the
    network or reads files the user did not name.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _parse_error(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    bundled = json.loads(context_file().read_text(encoding="utf-8"))["@context"]

    def resolve(node):
        if isinstance(node, dict):
            resolved = {}
            for key, value in node.items():
                if key == "@context":
                    resolved[key] = resolve_context(value)
                else:
                    resolved[key] = resolve(value)
            return resolved
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    def resolve_context(value):
        if isinstance(value, list):
            return [resolve_context(item) for item in value]
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return bundled
            raise _parse_error(
                path,
                f"refused JSON-LD context {value!r}: only inline contexts or the bundled "
                f"context <{CONTEXT_IRI}> are allowed (contexts are never fetched)",
            )
        return value

    return json.dumps(resolve(document)).encode("utf-8")


def _parse_error(path: Path, message: str, line: int | None = None, column: int | None = None) -> LoadError:
    problem = Problem(
        severity=ERROR,
        kind="parse",
        message=message,
        files=(display_path(path),),
        line=line,
        column=column,
        hint="correct the syntax at that position; nothing was loaded",
    )
    return LoadError(problem.to_text(), Report([problem], [display_path(path)]))


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one RDF file into quads, or raise :class:`LoadError` naming file and line."""
    fmt = FORMATS[path.suffix.lower()]
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            quads = ox.parse(_jsonld_input(path), format=fmt, base_iri=path.resolve().as_uri())
        else:
            quads = ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        return [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    except SyntaxError as error:
        message = (error.msg or str(error)).strip()
        raise _parse_error(path, message, error.lineno, error.offset) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _parse_error(path, f"cannot read the file: {error}") from None


def load(
    extra_data: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    store: str = DEFAULT_STORE,
) -> LoadedGraph:
    """Parse every input file, then merge them into one graph.

    ``extra_data`` are folders (or single files) added to the bundled data.
    Raises :class:`LoadError` with every parse problem when any file fails;
    in that case nothing is merged.

    >>> loaded = load()
    >>> len(loaded.graph) > 1000
    True
    """
    files = input_files(extra_data, bundled=bundled)
    parsed: list[tuple[Path, list[ox.Quad]]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            parsed.append((path, parse_file(path)))
        except LoadError as error:
            problems.extend(error.report.problems if error.report else [])
    names = [display_path(p) for p in files]
    if problems:
        report = Report(checked_files=names)
        report.extend(problems)
        count = len(problems)
        raise LoadError(
            f"{count} file{'s' if count != 1 else ''} could not be parsed; nothing was loaded\n\n" + report.to_text(),
            report,
        )

    graph = new_graph(store)
    origins: dict = defaultdict(set)
    term_origins: dict = defaultdict(set)
    ox_store = oxigraph_store(graph)
    for path, quads in parsed:
        name = display_path(path)
        triples = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        for quad in triples:
            origins[to_rdflib(quad.subject)].add(name)
            term_origins[quad.predicate.value].add(name)
            if isinstance(quad.object, ox.NamedNode):
                term_origins[quad.object.value].add(name)
        if ox_store is not None:
            ox_store.extend(triples)
        else:
            graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in triples)
    return LoadedGraph(graph=graph, origins=dict(origins), files=names, term_origins=dict(term_origins))


def load_graph(extra_data: Iterable[str | Path] = (), *, store: str = DEFAULT_STORE) -> Graph:
    """The merged rdflib graph of the ontology, bundled data and ``extra_data``.

    >>> from irgraph import load_graph
    >>> graph = load_graph()
    >>> from rdflib import URIRef
    >>> (URIRef("https://w3id.org/irgraph/id/il-2"), None, None) in graph
    True
    """
    return load(extra_data, store=store).graph
