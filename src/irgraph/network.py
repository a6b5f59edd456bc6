"""A property-graph projection of the RDF graph for networkx.

Nodes are the graph's entities: IRIs and blank nodes that have an
``rdf:type`` outside the vocabulary itself (classes, properties and the
ontology header are left out: they describe the data, they are not in it).
Each node carries ``label``, ``class`` (compact name of its most specific
``irg:`` class, else its first type) and its literal values by compact
predicate name. Each edge carries ``predicate`` (full IRI), ``relation``
(compact name) and ``label`` (the property's ontology label). Literals never
become nodes; ``rdf:type`` becomes the ``class`` attribute instead of edges.
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from .namespaces import IRG_URI, compact

_VOCABULARY_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology, RDFS.Class}


def _specific_class(graph: Graph, types: set) -> str:
    irg_types = [t for t in types if str(t).startswith(IRG_URI)]
    if irg_types:
        # the most specific: a type that is not a superclass of another of the node's types
        for candidate in sorted(irg_types, key=str):
            if not any((other, RDFS.subClassOf, candidate) in graph for other in irg_types if other != candidate):
                return compact(str(candidate))
    return compact(str(sorted(types, key=str)[0])) if types else ""


def _plain(value: Literal):
    """A literal as a plain Python value: str, int, float or bool (dates and others as text)."""
    python = value.toPython()
    if isinstance(python, bool | int | float | str):
        return python
    if isinstance(python, Decimal):
        return float(python)
    return str(value)


def property_labels(graph: Graph) -> dict:
    """Property IRI -> its English label from the ontology (or its compact name)."""
    labels = {}
    for prop, label in graph.subject_objects(RDFS.label):
        if isinstance(prop, URIRef) and (prop, RDF.type, OWL.ObjectProperty) in graph:
            labels[prop] = str(label)
    return labels


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Project ``graph`` onto a networkx ``MultiDiGraph`` (see the module docstring for the choices).

    >>> from irgraph import load_graph
    >>> g = to_networkx(load_graph())
    >>> g.nodes["https://w3id.org/irgraph/id/il-2"]["label"]
    'IL-2'
    """
    types: dict = {}
    for subject, cls in graph.subject_objects(RDF.type):
        types.setdefault(subject, set()).add(cls)
    entities = {node for node, node_types in types.items() if not node_types & _VOCABULARY_TYPES}
    labels = property_labels(graph)
    network = nx.MultiDiGraph()
    for node in sorted(entities, key=str):
        attrs: dict = {"class": _specific_class(graph, types[node]), "label": compact(str(node))}
        for predicate, value in sorted(graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if not isinstance(value, Literal):
                continue
            key = "label" if predicate == RDFS.label else compact(str(predicate))
            plain = _plain(value)
            if key == "label":
                attrs["label"] = str(value)
            elif key in attrs:
                previous = attrs[key] if isinstance(attrs[key], list) else [attrs[key]]
                attrs[key] = [*previous, plain]
            else:
                attrs[key] = plain
        network.add_node(str(node), **attrs)
    for subject, predicate, obj in graph:
        if predicate == RDF.type or subject not in entities or obj not in entities:
            continue
        if not isinstance(obj, (URIRef, BNode)):
            continue
        network.add_edge(
            str(subject),
            str(obj),
            key=str(predicate),
            predicate=str(predicate),
            relation=compact(str(predicate)),
            label=labels.get(predicate, compact(str(predicate))),
        )
    return network
