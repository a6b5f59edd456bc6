"""A VoID and DCAT description of the graph, so catalogues and triplestores can list it.

Everything except the list of files comes from the ``construct-void-*.rq``
queries: title, version and licence from the ontology header; the counts of
triples, entities, subjects, properties and classes; one partition
per class and per property; the vocabularies used; every cited source. The
files a build writes are added as ``dcat:Distribution``\\ s with their media
types (by name only: where they are published is not known here).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from .catalog import catalog
from .formats import media_type_of_file
from .namespaces import prefixes
from .query import WHOLE_ANSWER, run_saved_query
from .store import new_graph, ox_triples, rdflib_converter, to_ox, to_rdflib

#: the IRI of the dataset in the description (the queries name it too)
DATASET_IRI = URIRef("https://w3id.org/irgraph/dataset")
VOID = Namespace(prefixes()["void"])


def dataset_description(graph: Graph, distributions: Iterable[str] = (), *, timeout: float | None = None) -> Graph:
    """The VoID/DCAT description of ``graph`` as a new graph (rdflib memory store).

    ``distributions`` are file names (``irgraph.ttl``…) to list as
    ``dcat:Distribution`` with their media type (by suffix, from
    :mod:`irgraph.formats`). ``timeout`` bounds each ``construct-void-*``
    query (None: none, as for the build, which writes the description).

    >>> from irgraph import load_graph
    >>> graph = load_graph()
    >>> described = dataset_description(graph)
    >>> int(described.value(DATASET_IRI, VOID.triples)) == len(graph)
    True
    """
    description = new_graph("memory")
    for name, saved in catalog().items():
        if name.startswith("construct-void-"):
            for triple in run_saved_query(graph, saved, timeout=timeout, limits=WHOLE_ANSWER).triples:
                # through pyoxigraph terms and back: "x"^^xsd:string becomes the plain "x"
                description.add(tuple(to_rdflib(to_ox(term)) for term in triple))
    for index, name in enumerate(sorted(distributions)):
        node = BNode(f"distribution{index}")
        description.add((DATASET_IRI, DCAT.distribution, node))
        description.add((node, RDF.type, DCAT.Distribution))
        description.add((node, DCTERMS.title, Literal(name)))
        media_type = media_type_of_file(name)
        if media_type:
            description.add((node, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media_type)))
    return description


def to_void(graph: Graph, distributions: Iterable[str] = ()) -> str:
    """The description as deterministic Turtle (what ``irgraph build`` writes to ``void.ttl``).

    Blank nodes (the partitions and distributions) get the W3C RDF
    Canonicalization (RDFC-1.0) labels, computed by Oxigraph, then rdflib
    writes them nested in ``[ ]``, which reads better than labels.

    >>> from irgraph import load_graph
    >>> "void:triples" in to_void(load_graph())
    True
    """
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ox_triples(dataset_description(graph, distributions)))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    canonical = new_graph("memory")
    convert = rdflib_converter()
    canonical.addN((convert(q.subject), convert(q.predicate), convert(q.object), canonical) for q in dataset)
    return canonical.serialize(format="turtle")
