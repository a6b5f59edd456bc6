"""The IRIs irgraph's code uses, and the RDF helpers every module shares.

Terms are rdflib ``DefinedNamespace`` classes, closed, so a misspelt term
raises ``AttributeError`` instead of minting a wrong IRI: :class:`IRG` (the
ontology's own terms, generated from ``ontology/irgraph.ttl`` into
``_irg.py``) and rdflib's ``RDF``, ``RDFS``, ``OWL``, ``SKOS``, ``PROV``,
``DCTERMS`` and ``XSD``. ``IR`` (the data's entities) is open: its names
are data, not vocabulary. Code that works on pyoxigraph terms compares
IRIs as text, so the few it needs are also given as strings (``RDF_TYPE``…).

The helpers hold the rules that must be the same everywhere:

* :func:`best_label` / :func:`label_of` / :func:`labels_from`: which of a
  node's ``rdfs:label`` values names it (English, then untagged, then any
  language; among equals the first in text order);
* :func:`most_specific_class`: which of a node's types to show (an ``irg:``
  class that is not a superclass of another of its types);
* :func:`term_key` / :func:`triple_key`: the one sort order of terms and
  triples (``rdf:type`` first within a subject);
* :func:`file_scoped`: blank-node labels kept apart per input file.

>>> from rdflib import Literal
>>> best_label([Literal("IL-2", lang="de"), Literal("interleukin 2", lang="en")])
'interleukin 2'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ._irg import IRG

__all__ = [
    "DCTERMS", "IR", "IRG", "IRG_URI", "IR_URI", "OWL", "PROV", "RDF", "RDFS", "RDFS_LABEL", "RDFS_SUBCLASS_OF",
    "RDF_TYPE", "RDF_TYPE_NODE", "SKOS", "XSD", "XSD_STRING", "best_label", "file_scoped", "label_of", "labels_from",
    "most_specific_class", "predicate_object_key", "term_key", "triple_key",
]

IRG_URI = str(IRG)
IR_URI = "https://w3id.org/irgraph/id/"
IR = Namespace(IR_URI)

#: the IRIs pyoxigraph-level code compares with ``term.value``
RDF_TYPE = str(RDF.type)
RDFS_LABEL = str(RDFS.label)
RDFS_SUBCLASS_OF = str(RDFS.subClassOf)
XSD_STRING = str(XSD.string)
RDF_TYPE_NODE = ox.NamedNode(RDF_TYPE)


# --- labels -------------------------------------------------------------------

def _label_rank(text: str, language: str | None) -> tuple[int, str]:
    return (0 if language == "en" else 1 if not language else 2, text)


def best_label(labels: Iterable) -> str | None:
    """The label that names a node: English, then untagged, then any; the first in text order among equals.

    Takes rdflib or pyoxigraph literals; None when there are none.
    """
    ranked = [_label_rank(str(getattr(label, "value", label)), label.language) for label in labels
              if isinstance(label, (Literal, ox.Literal))]
    return min(ranked)[1] if ranked else None


def label_of(graph: Graph, node, default: str = "") -> str:
    """The :func:`best_label` of ``node`` in ``graph``, or ``default``."""
    found = best_label(graph.objects(node, RDFS.label))
    return default if found is None else found


def labels_from(triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> dict[str, str]:
    """Subject (IRI or blank-node label) -> its :func:`best_label`, from pyoxigraph triples in one pass."""
    found: dict[str, tuple[int, str]] = {}
    for triple in triples:
        if triple.predicate.value == RDFS_LABEL and isinstance(triple.object, ox.Literal):
            rank = _label_rank(triple.object.value, triple.object.language)
            key = str(triple.subject.value)  # type: ignore[union-attr]  # subjects are never triple terms here
            if key not in found or rank < found[key]:
                found[key] = rank
    return {key: rank[1] for key, rank in found.items()}


# --- classes ------------------------------------------------------------------

def most_specific_class(types: Iterable[str], superclasses: Mapping[str, Iterable[str]]) -> str:
    """The type to show for a node with ``types`` (IRIs): ``irg:`` classes first, then by IRI, the
    first that is not a direct superclass of another of them; ``""`` for an untyped node.

    ``superclasses`` maps a class IRI (as ``str``) to its direct superclasses.

    >>> combination, intervention = str(IRG.CombinationIntervention), str(IRG.Intervention)
    >>> most_specific_class({intervention, combination}, {combination: {intervention}}) == combination
    True
    """
    ranked = sorted((str(t) for t in types), key=lambda t: (not t.startswith(IRG_URI), t))
    for candidate in ranked:
        if not any(candidate in superclasses.get(other, ()) for other in ranked if other != candidate):
            return candidate
    return ranked[0] if ranked else ""


# --- order ----------------------------------------------------------------------

def term_key(term) -> tuple:
    """The sort key of a pyoxigraph term: IRIs, then blank nodes, then literals (by text, datatype, language)."""
    if isinstance(term, ox.Literal):
        return (2, term.value, term.datatype.value if term.datatype else "", term.language or "")
    return (0 if isinstance(term, ox.NamedNode) else 1, term.value, "", "")


def predicate_object_key(predicate: ox.NamedNode, obj) -> tuple:
    """The sort key of a statement within its subject: ``rdf:type`` first, then predicate and object."""
    return (predicate.value != RDF_TYPE, predicate.value, term_key(obj))


def triple_key(triple: ox.Triple | ox.Quad) -> tuple:
    """The sort key of a triple: by subject, then :func:`predicate_object_key`."""
    return (term_key(triple.subject), *predicate_object_key(triple.predicate, triple.object))


# --- blank nodes ------------------------------------------------------------------

def file_scoped(quads: Iterable[ox.Quad | ox.Triple], index: int) -> Iterator[tuple]:
    """``(subject, predicate, object)`` of each statement of input file number ``index``, its blank
    nodes renamed ``f{index}x{label}`` so that ``_:b1`` in two files stays two nodes.

    >>> [s.value for s, _, _ in file_scoped([ox.Triple(ox.BlankNode("b1"), RDF_TYPE_NODE, RDF_TYPE_NODE)], 3)]
    ['f3xb1']
    """
    renamed: dict[str, ox.BlankNode] = {}

    def local(term):
        if isinstance(term, ox.BlankNode):
            return renamed.setdefault(term.value, ox.BlankNode(f"f{index}x{term.value}"))
        return term

    for quad in quads:
        yield local(quad.subject), quad.predicate, local(quad.object)

