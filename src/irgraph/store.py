"""The RDF store behind the one graph.

``oxigraph`` (the default) keeps triples in an in-memory Oxigraph store
wrapped by oxrdflib, so rdflib's API works and SPARQL runs on Oxigraph's fast
engine. ``memory`` is rdflib's own in-memory store, kept as a reference and
fallback engine.
"""

from __future__ import annotations

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import UsageError
from .namespaces import bind_prefixes

STORES = ("oxigraph", "memory")
DEFAULT_STORE = "oxigraph"


def new_graph(store: str = DEFAULT_STORE) -> Graph:
    """An empty rdflib graph on the named store, with the project's prefixes bound.

    >>> len(new_graph("memory"))
    0
    """
    if store == "oxigraph":
        # The default graph of the Oxigraph store is the one graph.
        graph = Graph(store=OxigraphStore(store=ox.Store()), identifier=DATASET_DEFAULT_GRAPH_ID)
    elif store == "memory":
        graph = Graph()
    else:
        raise UsageError(f"unknown store {store!r}; choose one of: {', '.join(STORES)}")
    bind_prefixes(graph)
    return graph


def oxigraph_store(graph: Graph) -> ox.Store | None:
    """The pyoxigraph store under ``graph``, or None when it is not on Oxigraph."""
    inner = graph.store
    return getattr(inner, "_store", None) if isinstance(inner, OxigraphStore) else None


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term):
    """Convert a pyoxigraph term to rdflib, keeping simple literals simple.

    RDF 1.1 makes ``"a"`` and ``"a"^^xsd:string`` the same literal, but rdflib
    treats them as different terms; irgraph always uses the plain form.
    """
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"cannot convert {term!r} to rdflib")


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
        return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)]
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


def memory_copy(graph: Graph) -> Graph:
    """A copy of ``graph`` in rdflib's memory store, with simple literals kept plain."""
    if oxigraph_store(graph) is None:
        return graph
    copy = new_graph("memory")
    copy.addN((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), copy) for t in ox_triples(graph))
    return copy
