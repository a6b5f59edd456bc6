"""Load the ontology, the bundled data and any extra data into one RDF graph.

In memory (``oxigraph``, ``memory``), every file is parsed into its own list
of triples first; they are merged only when all of them parsed, so one bad
file changes nothing. Parse errors name the file, line and column. The
origin of every subject (which files describe it) is kept so that
validation can say where a problem comes from.

A persistent store (``oxigraph:PATH``) is filled once by :func:`fill_store`
(``irgraph load``): a streaming bulk load into a new folder that replaces
the old store only when every file loaded. :func:`load` then opens it
read-only instead of parsing anything. A remote store (``sparql:…``) is
queried where it is, never loaded.
"""

from __future__ import annotations

import errno
import gc
import io
import json
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .deprecation import callable_module
from .errors import LoadError, UsageError, WriteError
from .limits import MAX_TERM_BYTES, NO_TRIPLE_TERMS, TRIPLE_TERM_HINT, check_text, too_long, triple_term
from .namespaces import CONTEXT_IRI, bundled_context, prefixes
from .report import ERROR, Problem, Report
from .resources import data_dir, ontology_file
from .store import (
    DEFAULT_STORE,
    MANIFEST_NAME,
    PERSISTENT,
    SPARQL,
    STORE_VERSION,
    StoreSpec,
    holds_triple_term,
    new_graph,
    open_persistent,
    oxigraph_store,
    parse_store,
    read_manifest,
    to_rdflib,
)
from .vocab import RDF_TYPE
from .writes import cleanup_on_signals, remove_leftovers, replace_folder, staging_folder

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass
class LoadedGraph:
    """The merged graph with what validation needs to point back at files.

    ``graph`` holds the ontology and all data; ``origins`` maps each subject
    to the files that describe it; ``term_origins`` maps each IRI used as a
    predicate or object to the files that use it that way; ``files`` lists the
    files read, in order (``paths``: where they are); ``store`` is the
    ``--store`` the graph was read from.
    """

    graph: Graph
    origins: Mapping = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    term_origins: Mapping = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    store: str = DEFAULT_STORE


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
    return json.dumps(_Contexts(path, text).resolve(document)).encode("utf-8")


class _Contexts:
    """Replaces every context of a JSON-LD document by what it names, refusing all but the bundled one."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.bundled = bundled_context()

    def resolve(self, node):
        """``node`` with each ``@context`` in it resolved."""
        if isinstance(node, dict):
            return {key: self.context(value) if key == "@context" else self.resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        return node

    def refuse(self, value) -> LoadError:
        return _parse_error(
            self.path,
            f"refused JSON-LD context {value!r}: only inline contexts or the bundled "
            f"context <{CONTEXT_IRI}> are allowed (contexts are never fetched)",
            _line_of(self.text, value),
            hint=f"put the context inline, or name <{CONTEXT_IRI}>; nothing was loaded",
        )

    def context(self, value):
        """One context value: a list of contexts, the bundled context's IRI, or an inline context."""
        if isinstance(value, list):
            return [self.context(item) for item in value]
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return self.bundled
            raise self.refuse(value)
        if isinstance(value, dict):
            return self.definitions(value)
        return value

    def definitions(self, value: dict) -> dict:
        """An inline context: ``@import`` of the bundled context, scoped contexts in term definitions."""
        resolved: dict = {}
        for key, definition in value.items():
            if key == "@import":
                # JSON-LD 1.1: the imported context, overridden by this one's terms
                if definition != CONTEXT_IRI:
                    raise self.refuse(definition)
                resolved = {**self.bundled, **resolved}
            elif isinstance(definition, dict) and "@context" in definition:
                # a scoped context inside a term definition
                resolved[key] = {**definition, "@context": self.context(definition["@context"])}
            else:
                resolved[key] = definition
        return resolved


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
    _refuse_misread(path, text, base_iri, quads)
    _refuse_dropped(path, text, data, base_iri, quads)


_ROLES = (("subject", "the @id of a node"), ("predicate", "a property name"), ("object", "a value"))
_TERM_HINT = (
    "use a term of the context, a compact name with a prefix the context defines (ir:…, irg:…) "
    "or a full IRI; nothing was loaded"
)


def _named_iris(quad):
    """(IRI, role) of every IRI a JSON-LD statement names: nodes, property, types of nodes and values."""
    for attribute, role in _ROLES:
        term = getattr(quad, attribute)
        if isinstance(term, ox.NamedNode):
            is_type = attribute == "object" and quad.predicate.value == RDF_TYPE
            yield term.value, "the @type of a node" if is_type else role
        elif isinstance(term, ox.Literal) and not term.language:
            yield term.datatype.value, "the @type of a value"


def _refuse_misread(path: Path, text: str, base_iri: str, quads: list) -> None:
    """Refuse names read as relative IRIs, and compact names whose prefix the context does not define."""
    folder = base_iri.rsplit("/", 1)[0] + "/"
    for quad in quads:
        for iri, role in _named_iris(quad):
            scheme, _, rest = iri.partition(":")
            if iri.startswith(folder):
                raise _parse_error(
                    path,
                    f"{iri[len(folder):]!r} in {role} was read as a relative IRI, <{iri}>: "
                    "it is not a term of the context and has no prefix",
                    _where(text, iri),
                    hint=_TERM_HINT,
                )
            if scheme in prefixes() and not rest.startswith("//"):
                raise _parse_error(
                    path,
                    f"{iri!r} in {role} was read as an IRI with the scheme {scheme!r}: "
                    f"the document's context does not define the prefix {scheme!r}",
                    _where(text, iri),
                    hint=f'add "@context": "{CONTEXT_IRI}" (the bundled context) or define the prefix; nothing was loaded',
                )


def _refuse_dropped(path: Path, text: str, data: bytes, base_iri: str, quads: list) -> None:
    """Refuse a file some of whose statements a strict JSON-LD parser drops without a word, naming the first."""
    lenient = list(ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=base_iri, lenient=True))
    if len(lenient) <= len(quads):
        return
    for quad in lenient:
        for attribute, role in _ROLES:
            term = getattr(quad, attribute)
            reason = _invalid_term(term)
            if reason is None:
                continue
            shown, line = _dropped_message(text, attribute, role, term, reason)
            raise _parse_error(
                path,
                f"{shown}; JSON-LD processors silently drop such statements, so the file is refused",
                line,
                hint=_TERM_HINT.replace("full IRI;", "full IRI (no spaces, <, >, quotes or braces);"),
            )
    raise _parse_error(  # pragma: no cover - every drop seen so far has an invalid term
        path,
        f"{len(lenient) - len(quads)} statements would be silently dropped by the JSON-LD parser",
        hint="check @id, @type, property names and language tags; nothing was loaded",
    )


def _dropped_message(text: str, attribute: str, role: str, term, reason: str) -> tuple[str, int | None]:
    """Why an invalid term is refused, and the line it stands on."""
    if isinstance(term, ox.Literal):
        shown = (
            f"invalid language tag {term.language!r}: {reason}"
            if term.language
            else f"invalid datatype <{term.datatype.value}>: {reason}"
        )
        return shown, _line_of(text, term.language) if term.language else _where(text, term.datatype.value)
    if attribute == "predicate" and ":" not in term.value:
        return f"unknown property {term.value!r}: not a term of the context, a compact name or an IRI", _where(text, term.value)
    return f"invalid IRI <{term.value}> in {role}: {reason}", _where(text, term.value)


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


_SYNTAX = {ox.RdfFormat.TURTLE: "turtle", ox.RdfFormat.TRIG: "turtle", ox.RdfFormat.N_TRIPLES: "ntriples",
           ox.RdfFormat.N_QUADS: "ntriples", ox.RdfFormat.JSON_LD: "json"}


def _syntax(path: Path) -> str:
    """How :mod:`irgraph.limits` reads ``path`` (``turtle``, ``ntriples`` or ``json``)."""
    return _SYNTAX[FORMATS[path.suffix.lower()]]


def _check_text(path: Path) -> None:
    """Refuse a file no parser may be given (:func:`irgraph.limits.check_text`: a triple term, deep nesting), naming the line."""
    excess = check_text(path, _syntax(path))
    if excess is not None:
        raise _parse_error(path, excess.message, excess.line, excess.column, hint=excess.hint)


def _triple_term_error(path: Path) -> LoadError:
    """The error for a file whose parsed statements hold an RDF 1.2 triple term, with its line when the text shows it."""
    excess = triple_term(path, _syntax(path))
    if excess is not None:
        return _parse_error(path, excess.message, excess.line, excess.column, hint=excess.hint)
    return _parse_error(path, f"the file holds an RDF 1.2 triple term. {NO_TRIPLE_TERMS}", hint=TRIPLE_TERM_HINT)


def _rdf_1_1(quads: Iterable, path: Path) -> Iterator:
    """``quads`` as they are, or :func:`_triple_term_error` at the first triple term (only an object can be one)."""
    for quad in quads:
        if isinstance(quad.object, ox.Triple):
            raise _triple_term_error(path)
        yield quad


@contextmanager
def _reading(path: Path, outcome: str = ""):
    """Parser errors while reading ``path`` as a :class:`LoadError` naming the file and line.

    ``outcome`` is added to the message (what became of the target). A
    term too long for the parser's buffer (a ``MemoryError``) is found in
    the file and reported with its line.
    """
    try:
        yield
    except SyntaxError as error:
        raise _parse_error(path, (error.msg or str(error)).strip() + outcome, error.lineno, error.offset) from None
    except MemoryError:
        excess = too_long(path, _syntax(path))
        if excess is None:
            raise _parse_error(
                path, f"the parser ran out of memory reading the file (its buffer holds {MAX_TERM_BYTES // (1024 * 1024)} "
                f"MiB: a term longer than that?){outcome}", hint="split long terms and large files; nothing was loaded",
            ) from None
        raise _parse_error(path, excess.message + outcome, excess.line, excess.column, hint=excess.hint) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _parse_error(path, f"cannot read the file: {error}{outcome}") from None


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one RDF file into quads, or raise :class:`LoadError` naming file and line."""
    fmt = FORMATS[path.suffix.lower()]
    with _reading(path):
        _check_text(path)
        if fmt == ox.RdfFormat.JSON_LD:
            data = _jsonld_input(path)
            quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True))
            _check_jsonld_terms(path, data, path.resolve().as_uri(), quads)
        else:
            quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True))
        return [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in _rdf_1_1(quads, path)]


def load_data(
    extra_data: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    store: str | StoreSpec = DEFAULT_STORE,
) -> LoadedGraph:
    """Parse every input file, then merge them into one graph; or open a persistent or remote store.

    ``extra_data`` are folders (or single files) added to the bundled data.
    Raises :class:`LoadError` with every parse problem when any file fails;
    in that case nothing is merged.

    With ``store="oxigraph:PATH"`` the store filled by :func:`fill_store` is
    opened read-only (no parsing); with ``store="sparql:…"`` the graph is
    the remote endpoint's. Neither takes ``extra_data`` (a
    :class:`UsageError` says how to add them), and neither knows which file
    a node came from (``origins`` is empty).

    >>> loaded = load_data()
    >>> len(loaded.graph) > 1000
    True
    """
    spec = parse_store(store)
    if not spec.in_memory:
        return _open_existing(spec, list(extra_data))
    files = input_files(extra_data, bundled=bundled)
    names = [display_path(p) for p in files]
    # A new graph that is returned only when every file loaded: a bad file
    # changes nothing. After the first bad file the rest are only parsed, so
    # that every bad file is reported at once.
    graph = new_graph(spec)
    ox_store = oxigraph_store(graph)
    problems: list[Problem] = []
    for path in files:
        try:
            if problems:
                _check_syntax(path)
            elif ox_store is not None:
                _load_into(ox_store, path)
            else:
                graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in parse_file(path))
        except LoadError as error:
            problems.extend(error.report.problems if error.report else [])
    if not problems and ox_store is not None and holds_triple_term(ox_store):  # a few ms
        problems = _triple_term_problems(files)
    if problems:
        report = Report(checked_files=names)
        report.extend(problems)
        count = len(problems)
        raise LoadError(
            f"{count} file{'s' if count != 1 else ''} could not be parsed; nothing was loaded\n\n" + report.to_text(),
            report,
        )
    index = _FileIndex(files)
    return LoadedGraph(graph=graph, origins=_Origins(index, "subjects"), files=names, term_origins=_Origins(index, "terms"),
                       paths=files, store=str(spec))


#: Formats whose files hold triples only, loaded by Oxigraph straight into the default graph.
_TRIPLE_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)


def _load_into(store: ox.Store, path: Path) -> None:
    """Load one file into the default graph of an in-memory Oxigraph store (quads lose their graph name)."""
    fmt = FORMATS[path.suffix.lower()]
    with _reading(path):
        if fmt in _TRIPLE_FORMATS and not _has_blank_node_labels(path):
            _check_text(path)  # a triple term that got past it is found after loading (load_data)
            store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
        else:  # blank-node labels are renamed so that _:b1 in two files stays two nodes
            store.extend(_stream(path, lambda _count: None))


def _triple_term_problems(files: list[Path]) -> list[Problem]:
    """The problem of the first of ``files`` whose statements hold a triple term, read again one by one.

    Only for a triple term that got past the check of the text into a bulk load
    (:func:`_load_into`), which no test has found.
    """
    for path in files:
        try:
            _check_syntax(path)
        except LoadError as error:
            return list(error.report.problems) if error.report else []
    return [Problem(severity=ERROR, kind="parse", message=f"the data holds an RDF 1.2 triple term. {NO_TRIPLE_TERMS}",
                    hint=TRIPLE_TERM_HINT)]  # pragma: no cover - a file read again shows it


def _has_blank_node_labels(path: Path) -> bool:
    """Whether a file may name blank nodes (``_:x``), which Oxigraph's bulk load would merge across files."""
    with path.open("rb") as handle:
        tail = b""
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            if b"_:" in tail + chunk:
                return True
            tail = chunk[-1:]
    return False


def _check_syntax(path: Path) -> None:
    """Parse one file and throw the triples away: only its errors matter."""
    with _reading(path):
        for _quad in _stream(path, lambda _count: None):
            pass


class _FileIndex:
    """Which files describe each subject and use each term, worked out on first use.

    Only validation problems need to know where a node came from, so the
    files are read again for it then, instead of indexing every triple of a
    big load in Python. (Blank nodes get new names when a file is read
    again; a problem on a blank node is located through the node pointing
    at it.)
    """

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self._index: dict | None = None

    def get(self, kind: str) -> dict:
        if self._index is None:
            origins: dict = defaultdict(set)
            terms: dict = defaultdict(set)
            for path in self.files:
                name = display_path(path)
                for quad in parse_file(path):
                    origins[to_rdflib(quad.subject)].add(name)
                    terms[quad.predicate.value].add(name)
                    if isinstance(quad.object, ox.NamedNode):
                        terms[quad.object.value].add(name)
            self._index = {"subjects": dict(origins), "terms": dict(terms)}
        return self._index[kind]


class _Origins(Mapping):
    """A read-only mapping filled from a :class:`_FileIndex` when it is first read."""

    def __init__(self, index: _FileIndex, kind: str) -> None:
        self._source = index
        self._kind = kind

    def __getitem__(self, key):
        return self._source.get(self._kind)[key]

    def __iter__(self):
        return iter(self._source.get(self._kind))

    def __len__(self) -> int:
        return len(self._source.get(self._kind))


def load_graph(extra_data: Iterable[str | Path] = (), *, store: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """The merged rdflib graph of the ontology, bundled data and ``extra_data``.

    >>> from irgraph import load_graph
    >>> graph = load_graph()
    >>> from rdflib import URIRef
    >>> (URIRef("https://w3id.org/irgraph/id/il-2"), None, None) in graph
    True
    """
    return load_data(extra_data, store=store).graph


def _open_existing(spec: StoreSpec, extra_data: list) -> LoadedGraph:
    """A persistent store opened read-only, or a remote one: their data is already there."""
    if extra_data:
        extra = " ".join(f"--data {d}" for d in extra_data)
        if spec.kind == PERSISTENT:
            where, how = f"the store at {spec.path}", f"fill it again with them: irgraph load --store {spec} {extra}"
        else:
            where, how = "a remote store", f"upload them first: irgraph push --store {spec} {extra}"
        raise UsageError(f"{where} holds its data already, so --data cannot be added when reading it; {how}")
    if spec.kind == PERSISTENT:
        assert spec.path is not None  # parse_store sets it for every persistent store
        graph = open_persistent(spec.path)
        manifest = read_manifest(spec.path) or {}
        return LoadedGraph(graph=graph, files=[f["name"] for f in manifest.get("files", [])], store=str(spec))
    if spec.kind == SPARQL:
        from .remote import remote_graph  # only remote stores need the HTTP client: the CLI starts faster without it

        return LoadedGraph(graph=remote_graph(spec), files=[], store=str(spec))
    raise UsageError(f"unknown store {spec}")  # pragma: no cover - parse_store allows no other kind


def open_graph(store: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """The rdflib graph on any store: empty in memory, opened on disk, or remote.

    >>> len(open_graph("oxigraph"))
    0
    """
    spec = parse_store(store)
    if spec.in_memory:
        return new_graph(spec)
    return _open_existing(spec, []).graph


@dataclass
class LoadProgress:
    """How far :func:`fill_store` is: bytes read and triples stored so far, over all files."""

    file: str
    bytes_done: int
    bytes_total: int
    triples: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


@dataclass
class FillResult:
    """What :func:`fill_store` loaded."""

    path: Path
    triples: int
    files: list[str]
    seconds: float

    def summary(self) -> str:
        rate = self.triples / self.seconds if self.seconds > 0 else 0
        return (
            f"{self.triples} triples from {len(self.files)} file{'s' if len(self.files) != 1 else ''} "
            f"loaded into {self.path} in {self.seconds:.1f} s ({rate:,.0f} triples/s)"
        )


class _CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes have been read from it."""

    def __init__(self, handle, on_read: Callable[[int], None]) -> None:
        self._handle = handle
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._handle.readinto(buffer)
        if count:
            self._on_read(count)
        return count


def _stream(path: Path, on_read: Callable[[int], None]) -> Iterator[ox.Quad]:
    """The triples of one file, streamed, all in the default graph (as :func:`load` merges them)."""
    fmt = FORMATS[path.suffix.lower()]
    base = path.resolve().as_uri()
    _check_text(path)
    if fmt == ox.RdfFormat.JSON_LD:
        data = _jsonld_input(path)  # contexts checked first; a JSON document is read whole
        on_read(path.stat().st_size)
        quads = list(ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True))
        _check_jsonld_terms(path, data, base, quads)  # nothing the parser would drop or misread
        for quad in _rdf_1_1(quads, path):
            yield ox.Quad(quad.subject, quad.predicate, quad.object)
        return
    with path.open("rb") as handle:
        reader = io.BufferedReader(_CountingReader(handle, on_read), 1 << 20)
        for quad in _rdf_1_1(ox.parse(reader, format=fmt, base_iri=base, rename_blank_nodes=True), path):
            yield ox.Quad(quad.subject, quad.predicate, quad.object)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a folder for the store (a new one, or one filled by irgraph load)")
    if target.is_dir() and read_manifest(target) is None and any(target.iterdir()):
        raise UsageError(
            f"{target} is a folder that is not an irgraph store (it has no {MANIFEST_NAME}); "
            "give a new or empty folder: irgraph load never replaces a folder it did not fill"
        )


@contextmanager
def _writing(target: Path, new: Path):
    """An error writing the new store ``new`` (a full disk) as a :class:`WriteError`, not as a file that cannot be read."""
    try:
        yield
    except OSError as error:
        if error.errno != errno.ENOSPC and str(new) not in str(error):
            raise  # reading an input file failed: _reading names it
        reason = error.strerror or str(error)
        raise WriteError(f"{target}: the new store cannot be written: {reason}; the store was left as it was") from None


def fill_store(
    path: str | Path,
    extra_data: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    progress: Callable[[LoadProgress], None] | None = None,
    progress_every: int = 100_000,
) -> FillResult:
    """Fill the persistent store at ``path`` with the ontology, the bundled data and ``extra_data``.

    A bulk load that streams each file (Turtle, N-Triples, N-Quads, TriG,
    JSON-LD; big files are never held in memory) into a new folder next to
    ``path``, which replaces the old store only when every file loaded: a
    load that fails part-way (a bad line, an interrupt, a full disk) leaves
    the store as it was and raises :class:`LoadError` naming the file, line
    and column. ``progress`` is called about every ``progress_every``
    triples and once at the end of each file.

    A folder that is not empty and was not filled by irgraph is refused
    (:class:`UsageError`), never replaced.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = fill_store(f"{folder}/store")
    ...     result.triples == len(load_graph(store=f"oxigraph:{folder}/store")) > 1000
    True
    """
    target = Path(os.path.abspath(Path(path).expanduser()))
    files = input_files(extra_data, bundled=bundled)
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    total = sum(f.stat().st_size for f in files)
    started = time.perf_counter()
    state: dict[str, Any] = {"bytes": 0, "triples": 0, "file": ""}

    def report() -> None:
        if progress is not None:
            progress(LoadProgress(state["file"], min(state["bytes"], total), total, state["triples"], time.perf_counter() - started))

    def on_read(count: int) -> None:
        state["bytes"] += count

    def counted(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            state["triples"] += 1
            if state["triples"] % progress_every == 0:
                report()
            yield quad

    with cleanup_on_signals():
        new = staging_folder(target, "loading")
        store: ox.Store | None = None
        try:
            try:
                store = ox.Store(str(new))
            except OSError as error:
                raise WriteError(f"{target}: a new store cannot be made beside it: {error}") from None
            loaded_files = []
            for file in files:
                name = display_path(file)
                state["file"] = name
                before = state["triples"]
                with _reading(file, "; the store was left as it was"), _writing(target, new):
                    store.bulk_extend(counted(_stream(file, on_read)))
                loaded_files.append({"name": name, "triples": state["triples"] - before})
                report()
            with _writing(target, new):
                store.flush()
                store.optimize()
                triples = len(store)
                store = None  # closed before its folder is swapped in
                gc.collect()
                manifest = {"irgraph-store": STORE_VERSION, "triples": triples, "files": loaded_files}
                (new / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            replace_folder(new, target)
        finally:
            del store  # a failed load's store is closed before its folder goes (a traceback would keep it open)
            shutil.rmtree(new, ignore_errors=True)
    return FillResult(target, triples, [f["name"] for f in loaded_files], time.perf_counter() - started)


#: the name before 0.2 (``irgraph.load(...)``, deprecated there, still works; this one does not warn)
load = load_data
callable_module(__name__, "load_data")
