"""Prefixes: read from the JSON-LD context, the one prefix map; compact and full IRIs.

The terms themselves are in :mod:`irgraph.vocab` (``IRG``, closed over the
terms the ontology declares, is re-exported here).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import Namespace, URIRef

from .prefixes import bundled_context, prefixes
from .resources import ontology_file
from .vocab import IR, IR_URI, IRG, IRG_URI, OWL, RDF_TYPE_NODE

ONTOLOGY_IRI = URIRef("https://w3id.org/irgraph/ontology")
#: Where the bundled context is published: exported JSON-LD that refers to
#: the context names this IRI, and a .jsonld data file may name it and gets
#: the bundled copy, never a download.
CONTEXT_IRI = "https://w3id.org/irgraph/context.jsonld"
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
__all__ = ["CONTEXT_IRI", "IR", "IRG", "IRG_URI", "IR_URI", "ONTOLOGY_IRI", "bind_prefixes", "bundled_context", "compact",
           "declared_terms", "expand", "prefixes"]


@cache
def declared_terms() -> frozenset[str]:
    """Local names of every class and property the ontology declares (read from the ontology itself).

    Validation reads the ontology rather than :class:`~irgraph.vocab.IRG`, so
    data may use a term as soon as the ontology declares it.
    """
    kinds = {str(OWL.Class), str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(OWL.AnnotationProperty)}
    names = set()
    for triple in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if (
            triple.predicate == RDF_TYPE_NODE
            and isinstance(subject, ox.NamedNode)
            and subject.value.startswith(IRG_URI)
            and isinstance(triple.object, ox.NamedNode)
            and triple.object.value in kinds
        ):
            names.add(subject.value[len(IRG_URI):])
    return frozenset(names)


@lru_cache(maxsize=1 << 16)  # the prefixes are fixed (prefixes() is cached), and projections compact the same IRIs over and over
def compact(iri: str) -> str:
    """Shorten an IRI with the project's prefixes: ``ir:il-2``; unknown IRIs stay whole.

    >>> compact("https://w3id.org/irgraph/id/il-2")
    'ir:il-2'
    """
    namespace, by_namespace = _namespaces()
    found = namespace.match(iri)
    if found:
        best = found.group()
        local = iri[len(best):]
        if _LOCAL_NAME.fullmatch(local) and not local.endswith("."):
            return f"{by_namespace[best]}:{local}"
    return iri


#: a local name ``compact`` writes after a prefix: letters and digits (``str.isalnum``, as ``\w``), ``-``, ``_``, ``.``
_LOCAL_NAME = re.compile(r"[\w.-]+")


@cache
def _namespaces() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern that matches the longest namespace an IRI starts with, and each namespace's prefix
    (the first listed, when two prefixes share a namespace): it runs once per IRI in the exports."""
    by_namespace: dict[str, str] = {}
    for prefix, namespace in prefixes().items():
        by_namespace.setdefault(namespace, prefix)
    longest_first = sorted(by_namespace, key=len, reverse=True)  # alternatives are tried in order
    return re.compile("|".join(map(re.escape, longest_first))), by_namespace


def expand(name: str) -> str:
    """Turn ``ir:il-2`` into the full IRI; a full IRI (or unknown prefix) is returned as is.

    >>> expand("irg:Intervention")
    'https://w3id.org/irgraph/ontology#Intervention'
    """
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if sep and prefix in prefixes() and not local.startswith("//"):
        return prefixes()[prefix] + local
    return name


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph (for serialisation)."""
    for prefix, namespace in prefixes().items():
        graph.bind(prefix, namespace, override=True, replace=True)
