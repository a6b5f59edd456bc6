"""Prefixes and namespaces: read from the JSON-LD context, the one prefix map.

``IRG`` is closed over the terms the ontology declares, so a misspelt term
raises AttributeError instead of minting a wrong IRI.
"""

from __future__ import annotations

import json
from functools import cache

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import ClosedNamespace

from .resources import context_file, ontology_file

IRG_URI = "https://w3id.org/irgraph/ontology#"
IR_URI = "https://w3id.org/irgraph/id/"
ONTOLOGY_IRI = URIRef("https://w3id.org/irgraph/ontology")


@cache
def prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI, in the order the JSON-LD context lists them."""
    with context_file().open(encoding="utf-8") as handle:
        context = json.load(handle)["@context"]
    return {
        key: value
        for key, value in context.items()
        if isinstance(value, str) and not key.startswith("@") and value.endswith(("/", "#"))
    }


@cache
def declared_terms() -> frozenset[str]:
    """Local names of every class and property the ontology declares."""
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = {
        "http://www.w3.org/2002/07/owl#Class",
        "http://www.w3.org/2002/07/owl#ObjectProperty",
        "http://www.w3.org/2002/07/owl#DatatypeProperty",
        "http://www.w3.org/2002/07/owl#AnnotationProperty",
    }
    names = set()
    for triple in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if (
            triple.predicate == rdf_type
            and isinstance(subject, ox.NamedNode)
            and subject.value.startswith(IRG_URI)
            and isinstance(triple.object, ox.NamedNode)
            and triple.object.value in kinds
        ):
            names.add(subject.value[len(IRG_URI):])
    return frozenset(names)


IRG = ClosedNamespace(IRG_URI, sorted(declared_terms()))
IR = Namespace(IR_URI)
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")


def compact(iri: str) -> str:
    """Shorten an IRI with the project's prefixes: ``ir:il-2``; unknown IRIs stay whole.

    >>> compact("https://w3id.org/irgraph/id/il-2")
    'ir:il-2'
    """
    best = ""
    best_prefix = ""
    for prefix, namespace in prefixes().items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    if best:
        local = iri[len(best):]
        if local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
            return f"{best_prefix}:{local}"
    return iri


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
