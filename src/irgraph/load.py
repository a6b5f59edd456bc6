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
from .namespaces import prefixes
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
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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
    network or reads files the user did not name; that holds for ``@import``
    and for scoped contexts inside term definitions too.
    """
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
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

    def refuse(value):
        return _parse_error(
            path,
            f"refused JSON-LD context {value!r}: only inline contexts or the bundled "
            f"context <{CONTEXT_IRI}> are allowed (contexts are never fetched)",
            _line_of(text, value),
            hint=f"put the context inline, or name <{CONTEXT_IRI}>; nothing was loaded",
        )

    def resolve_context(value):
        if isinstance(value, list):
            return [resolve_context(item) for item in value]
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return bundled
            raise refuse(value)
        if isinstance(value, dict):
            resolved = {}
            for key, definition in value.items():
                if key == "@import":
                    # JSON-LD 1.1: the imported context, overridden by this one's terms
                    if definition != CONTEXT_IRI:
                        raise refuse(definition)
                    resolved = {**bundled, **resolved}
                elif isinstance(definition, dict) and "@context" in definition:
                    # a scoped context inside a term definition
                    resolved[key] = {**definition, "@context": resolve_context(definition["@context"])}
                else:
                    resolved[key] = definition
            return resolved
        return value

    return json.dumps(resolve(document)).encode("utf-8")


def _line_of(text: str, value: str) -> int | None:
    """The line of the first JSON string equal to ``value`` in ``text``, if any."""
    position = text.find(json.dumps(value, ensure_ascii=False))
    if position < 0:
        position = text.find(json.dumps(value))
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def _invalid_term(term) -> str | None:
    """Why a term read leniently is not a valid RDF term, or None when it is."""
    try:
        if isinstance(term, ox.NamedNode):
            ox.NamedNode(term.value)
        elif isinstance(term, ox.Literal):
            if term.language:
                ox.Literal(term.value, language=term.language)
            else:
                ox.NamedNode(term.datatype.value)
    except ValueError as error:
        return str(error)
    return None


def _where(text: str, iri: str) -> int | None:
    """The line where an IRI stands in a JSON-LD file: as written, compact, or relative."""
    candidates = [
        iri,
        *(f"{prefix}:{iri[len(ns):]}" for prefix, ns in prefixes().items() if iri.startswith(ns)),
        iri.rsplit("/", 1)[-1],
    ]
    return next((n for n in (_line_of(text, c) for c in candidates if c) if n), None)


def _check_jsonld_terms(path: Path, data: bytes, base_iri: str, quads: list) -> None:
    """Refuse a JSON-LD file whose statements were silently dropped or silently mis-read.

    JSON-LD processors (pyoxigraph included) drop, without a word, any
    statement whose ``@id``, property or ``@type`` is not a valid IRI (a
    property name missing from the context, an ``@id`` with a space) or whose
    language tag is invalid; parsing again without those checks shows what was
    dropped, so it can be named. Two mistakes parse without loss but mean
    something else: a name resolved against the file's own location (``"@type":
    "Clam"`` becomes ``<file:///…/Clam>``) and a compact name whose prefix the
    context does not define (``ir:x`` read as an IRI with the scheme ``ir``).
    Both are refused too.
    """
    text = path.read_text(encoding="utf-8")
    folder = base_iri.rsplit("/", 1)[0] + "/"
    roles = (("subject", "the @id of a node"), ("predicate", "a property name"), ("object", "a value"))
    hint = (
        "use a term of the context, a compact name with a prefix the context defines (ir:…, irg:…) "
        "or a full IRI; nothing was loaded"
    )

    def named(quad):
        for attribute, role in roles:
            term = getattr(quad, attribute)
            if isinstance(term, ox.NamedNode):
                is_type = attribute == "object" and quad.predicate.value == _RDF_TYPE
                yield term.value, "the @type of a node" if is_type else role
            elif isinstance(term, ox.Literal) and not term.language:
                yield term.datatype.value, "the @type of a value"

    for quad in quads:
        for iri, role in named(quad):
            scheme, _, rest = iri.partition(":")
            if iri.startswith(folder):
                raise _parse_error(
                    path,
                    f"{iri[len(folder):]!r} in {role} was read as a relative IRI, <{iri}>: "
                    "it is not a term of the context and has no prefix",
                    _where(text, iri),
                    hint=hint,
                )
            if scheme in prefixes() and not rest.startswith("//"):
                raise _parse_error(
                    path,
                    f"{iri!r} in {role} was read as an IRI with the scheme {scheme!r}: "
                    f"the document's context does not define the prefix {scheme!r}",
                    _where(text, iri),
                    hint=f'add "@context": "{CONTEXT_IRI}" (the bundled context) or define the prefix; nothing was loaded',
                )

    lenient = list(ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=base_iri, lenient=True))
    if len(lenient) <= len(quads):
        return
    for quad in lenient:
        for attribute, role in roles:
            term = getattr(quad, attribute)
            reason = _invalid_term(term)
            if reason is None:
                continue
            if isinstance(term, ox.Literal):
                shown = (
                    f"invalid language tag {term.language!r}: {reason}"
                    if term.language
                    else f"invalid datatype <{term.datatype.value}>: {reason}"
                )
                line = _line_of(text, term.language) if term.language else _where(text, term.datatype.value)
            elif attribute == "predicate" and ":" not in term.value:
                shown = f"unknown property {term.value!r}: not a term of the context, a compact name or an IRI"
                line = _where(text, term.value)
            else:
                shown = f"invalid IRI <{term.value}> in {role}: {reason}"
                line = _where(text, term.value)
            raise _parse_error(
                path,
                f"{shown}; JSON-LD processors silently drop such statements, so the file is refused",
                line,
                hint=hint.replace("full IRI;", "full IRI (no spaces, <, >, quotes or braces);"),
            )
    raise _parse_error(  # pragma: no cover - every drop seen so far has an invalid term
        path,
        f"{len(lenient) - len(quads)} statements would be silently dropped by the JSON-LD parser",
        hint="check @id, @type, property names and language tags; nothing was loaded",
    )


def _parse_error(
    path: Path,
    message: str,
    line: int | None = None,
    column: int | None = None,
    *,
    hint: str = "correct the syntax at that position; nothing was loaded",
) -> LoadError:
    problem = Problem(
        severity=ERROR,
        kind="parse",
        message=message,
        files=(display_path(path),),
        line=line,
        column=column,
        hint=hint,
    )
    return LoadError(problem.to_text(), Report([problem], [display_path(path)]))


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one RDF file into quads, or raise :class:`LoadError` naming file and line."""
    fmt = FORMATS[path.suffix.lower()]
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            data = _jsonld_input(path)
            quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
            _check_jsonld_terms(path, data, path.resolve().as_uri(), quads)
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
