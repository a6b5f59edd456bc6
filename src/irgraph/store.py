"""The RDF store behind the one graph, chosen with one ``--store`` value.

=============================  ==================================================
``oxigraph`` (the default)     Oxigraph in memory, wrapped by oxrdflib so that
                               rdflib's API works and SPARQL runs on Oxigraph's
                               fast engine; the data is parsed at every run
``memory``                     rdflib's own in-memory store and SPARQL engine,
                               kept as the reference and fallback engine
``oxigraph:PATH``              a persistent Oxigraph store on disk, filled once by
                               ``irgraph load`` and opened read-only afterwards
``sparql:QUERY_URL[,GSP_URL]`` a remote SPARQL 1.1 endpoint; ``GSP_URL`` is its
                               Graph Store Protocol endpoint, used by ``irgraph push``
=============================  ==================================================

:func:`parse_store` turns the text into a :class:`StoreSpec` or a
:class:`~irgraph.errors.UsageError` that lists the forms; :func:`irgraph.load.open_graph`
gives the rdflib graph on it (the one place that tells the kinds of store apart to open them).
"""

from __future__ import annotations

import faulthandler
import gc
import threading
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .canonical import canonical_triples
from .defaults import DEFAULT_STORE, MANIFEST_NAME, STORE_VERSION
from .errors import UsageError
from .namespaces import bind_prefixes
from .processes import can_fork, in_child
from .sandbox import run_sandboxed
from .store_spec import (
    DEFAULT_GRAPH_IRI,
    MEMORY,
    OXIGRAPH,
    PERSISTENT,
    SPARQL,
    StoreSpec,
    filled_by_this_version,
    parse_store,
    read_manifest,
    redacted,
)
from .vocab import XSD_STRING, triple_key

__all__ = ["DEFAULT_GRAPH_IRI", "DEFAULT_STORE", "MANIFEST_NAME", "MEMORY", "OXIGRAPH", "PERSISTENT", "SPARQL", "STORE_VERSION", "StoreSpec",
           "holds_triple_term", "is_remote", "many_objects", "memory_copy", "new_graph", "open_persistent", "ox_triples",
           "oxigraph_store", "parse_store", "rdflib_converter", "read_manifest", "redacted", "sorted_triples", "to_ox",
           "to_rdflib"]

def new_graph(store: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """An empty in-memory rdflib graph on the named store, with the project's prefixes bound.

    >>> len(new_graph("memory"))
    0
    """
    spec = parse_store(store)
    if spec.kind == OXIGRAPH:
        # The default graph of the Oxigraph store is the one graph.
        graph = Graph(store=OxigraphStore(store=ox.Store()), identifier=DATASET_DEFAULT_GRAPH_ID)
    elif spec.kind == MEMORY:
        graph = Graph()
    else:
        raise UsageError(f"new_graph() makes in-memory graphs only; open {spec} with irgraph.open_graph() instead")
    bind_prefixes(graph)
    return graph


def open_persistent(path: str | Path) -> Graph:
    """The graph in the persistent store at ``path``, opened read-only (a fraction of a second).

    Raises :class:`UsageError` when ``path`` holds no store filled by
    ``irgraph load``.
    """
    path = Path(path)
    manifest = read_manifest(path)
    if manifest is None:
        raise UsageError(
            f"{path}: no irgraph store there; fill one first with: irgraph load --store oxigraph:{path}"
        )
    if not filled_by_this_version(manifest):
        _refuse_triple_terms(path)
    try:
        store = ox.Store.read_only(str(path))
    except OSError as error:
        raise UsageError(f"{path}: the store cannot be opened ({error}); fill it again with: irgraph load --store oxigraph:{path}") from None
    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(graph)
    return graph


def holds_triple_term(store: ox.Store) -> bool:
    """Whether an RDF 1.2 triple term is in ``store``, in any graph (decoding a deeply nested one can crash the process).

    >>> holds_triple_term(ox.Store())
    False
    """
    return bool(store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }", use_default_graph_as_union=True))


def _holds_triple_terms(path: str) -> bool:
    return holds_triple_term(ox.Store.read_only(path))


def _holds_triple_terms_in_child(path: str) -> bool:
    faulthandler.disable()  # a crash here is an answer, not something to report with a Python traceback
    return _holds_triple_terms(path)


def _refuse_triple_terms(path: Path) -> None:
    """Refuse a store filled before irgraph refused RDF 1.2 triple terms when it holds one.

    The search runs in a child process where one can be started, so that a
    term nested too deep to decode crashes the child, not this process;
    elsewhere on a thread with a large stack.
    """
    again = f"fill it again with: irgraph load --store oxigraph:{path} (which refuses them, naming the file and line)"
    try:
        if can_fork(threads_allowed=True):
            found, _ = in_child(_holds_triple_terms_in_child, str(path))
        else:
            found = run_sandboxed(partial(_holds_triple_terms, str(path)), name="irgraph-store-check")
    except ChildProcessError:
        raise UsageError(
            f"{path}: reading the store crashed: it holds a term nested too deep to read, an RDF 1.2 triple term "
            f"written before irgraph refused them; {again}"
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: the store cannot be opened ({error}); {again}") from None
    if found:
        raise UsageError(
            f"{path}: the store holds RDF 1.2 triple terms (written before irgraph refused them), which irgraph "
            f"cannot read (rdflib cannot hold a triple term); {again}"
        )


def oxigraph_store(graph: Graph) -> ox.Store | None:
    """The pyoxigraph store under ``graph``, or None when it is not on Oxigraph."""
    inner = graph.store
    return getattr(inner, "_store", None) if isinstance(inner, OxigraphStore) else None


def is_remote(graph: Graph) -> bool:
    """True when ``graph`` is a remote SPARQL endpoint (every access is an HTTP request)."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    return isinstance(graph.store, SPARQLStore)


def to_rdflib(term):
    """Convert a pyoxigraph term to rdflib, keeping simple literals simple.

    RDF 1.1 makes ``"a"`` and ``"a"^^xsd:string`` the same literal, but rdflib
    treats them as different terms; irgraph always uses the plain form.

    >>> to_rdflib(ox.Literal("CD4", language="en"))
    rdflib.term.Literal('CD4', lang='en')
    >>> to_rdflib(ox.Literal("x", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")))
    rdflib.term.Literal('x')
    """
    if isinstance(term, ox.Literal):
        if term.language:
            # text needs no normalising; skipping rdflib's pass halves the cost of a literal
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"cannot convert {term!r} to rdflib")


def rdflib_converter() -> Callable[[Any], Any]:
    """A :func:`to_rdflib` that remembers what it converted (``None`` stays ``None``).

    Query results and graphs repeat the same terms (predicates, classes,
    labels) many times; converting each once makes a large result cheap.
    Use one converter per result: it keeps every term it has seen.

    >>> convert = rdflib_converter()
    >>> convert(ox.NamedNode("https://w3id.org/irgraph/id/il-2")) is convert(ox.NamedNode("https://w3id.org/irgraph/id/il-2"))
    True
    """
    seen: dict = {}

    def convert(term):
        if term is None:
            return None
        converted = seen.get(term)
        if converted is None:
            converted = seen[term] = to_rdflib(term)
        return converted

    return convert


_collector_pauses = 0
_collector_lock = threading.Lock()
_collector_was_enabled = False


@contextmanager
def many_objects():
    """Pause Python's cyclic garbage collector while a large result is built.

    Building hundreds of thousands of small objects otherwise triggers
    collections that scan the whole heap again and again (measured: three
    times slower at a million triples). Nothing built here forms cycles.
    Pauses may overlap (threads, nesting): the collector comes back on, if
    it was on, when the last one ends (a ``gc.disable()`` made by other code
    during a pause is undone then).
    """
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                gc.enable()


def to_ox(term):
    """Convert an rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def ox_triples(graph: Graph) -> list[ox.Triple]:
    """All triples of ``graph`` as pyoxigraph triples, read straight from Oxigraph when possible."""
    store = oxigraph_store(graph)
    if store is not None:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        ]
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


def sorted_triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples in a stable order: by subject, ``rdf:type`` first, then predicate and object.

    Blank nodes get canonical labels first (:mod:`irgraph.canonical`), so
    two runs over the same data agree. Every serialiser starts from this list.

    >>> from irgraph import load_graph
    >>> str(sorted_triples(load_graph())[0].predicate.value)
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
    """
    return sorted(canonical_triples(ox_triples(graph)), key=triple_key)


def memory_copy(graph: Graph) -> Graph:
    """A copy of ``graph`` in rdflib's memory store, with simple literals kept plain."""
    if oxigraph_store(graph) is None and not is_remote(graph):
        return graph
    copy = new_graph("memory")
    convert = rdflib_converter()
    with many_objects():
        copy.addN((convert(t.subject), convert(t.predicate), convert(t.object), copy) for t in ox_triples(graph))
    return copy
