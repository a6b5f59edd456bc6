"""The RDF graph as a property graph for networkx, GraphML, statistics and paths.

:func:`to_networkx` projects the RDF graph onto a networkx ``MultiDiGraph``.
What it keeps and what it drops, and why:

* **Nodes** are the graph's entities: IRIs and blank nodes that have an
  ``rdf:type`` other than a vocabulary type (``owl:Class``, the property
  types, ``owl:Ontology``, ``rdfs:Class``). Classes and properties describe
  the data rather than being in it, so they are not nodes; untyped IRIs
  (external identifiers such as ``obo:CL_0000624`` reached by
  ``skos:exactMatch``, and web addresses in ``irg:url``) are not entities of
  this graph, so they and the links to them are dropped. Node keys are full
  IRIs (blank nodes: their label, which is not stable across loads).
* **Node attributes**: ``label`` (the English ``rdfs:label``, else any
  label, else the compact name), ``class`` (the compact name of the most
  specific ``irg:`` type, else the first type in IRI order) and every other
  literal value under its compact predicate name (``skos:definition``,
  ``irg:participants``…) as a Python value: text, int, float (decimals
  become floats: this is for analysis; the RDF exports keep exact digits)
  or bool; dates and other datatypes as their text. A predicate with
  several values gives a sorted list. ``rdf:type`` becomes ``class``, not
  edges: every node would otherwise link to its class.
* **Edges**: one per triple linking two entities, keyed by the predicate IRI,
  with ``predicate`` (IRI), ``relation`` (compact name) and ``label`` (the
  property's English label from the ontology, else the compact name).
  Literals never become nodes.

:func:`explanation_view` is the undirected graph that statistics and paths
use. It leaves out what connects everything and so explains nothing:
provenance links (``prov:wasDerivedFrom``, ``rdfs:seeAlso``) with the source
nodes, concept-scheme membership (``skos:inScheme``, ``skos:topConceptOf``,
``skos:hasTopConcept``) with the scheme nodes, and the controlled values
(trial phases, effects, verdicts, certainty, endpoint kinds, donor types,
routes), which act as attribute values: "finding A is favourable, finding
B is favourable" is not an explanation, and these hubs would top every
centrality ranking. ``all_links=True`` keeps them all.

:func:`irgraph.export.to_graphml` writes the projection for Gephi and Cytoscape, with
scalar attributes only (see its docstring).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, URIRef

from .errors import UsageError
from .namespaces import compact
from .query import DEFAULT_TIMEOUT, run_saved_query
from .store import new_graph, ox_triples, oxigraph_store, to_rdflib
from .terms import resolve
from .vocab import IRG, OWL, PROV, RDF_TYPE, RDFS, RDFS_LABEL, RDFS_SUBCLASS_OF, SKOS, labels_from, most_specific_class

_VOCABULARY_TYPES = {
    str(term)
    for term in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology, RDFS.Class)
}
#: links that record where a statement comes from or which scheme a concept
#: is in: left out of statistics and paths unless asked for
BOOKKEEPING_RELATIONS = frozenset(
    compact(term)
    for term in (PROV.wasDerivedFrom, RDFS.seeAlso, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept)
)
#: links that say where a statement comes from or whose judgement it is:
#: left out by ``to_networkx(provenance=False)`` and marked ``provenance`` in GraphML
PROVENANCE_RELATIONS = frozenset(
    compact(term)
    for term in (PROV.wasDerivedFrom, PROV.qualifiedDerivation, PROV.wasAttributedTo, PROV.entity, RDFS.seeAlso)
)
#: the nodes left out with them: sources and the derivations that pair a source with its section
PROVENANCE_CLASSES = frozenset(compact(term) for term in (IRG.Source, PROV.Derivation))
#: nodes left out with them: sources, concept schemes and controlled values
BOOKKEEPING_CLASSES = frozenset(
    compact(term)
    for term in (
        IRG.Source, SKOS.ConceptScheme, IRG.TrialPhase, IRG.Effect, IRG.Verdict, IRG.Certainty, IRG.EndpointKind,
        IRG.DonorType, IRG.Route, IRG.EvidenceDirection, IRG.EvidenceStrength, IRG.LinkBasis, IRG.StudyDesign,
        IRG.CertaintyLevel, IRG.CertaintyDomain, IRG.CountKind, PROV.Derivation,
    )
)


_TYPE, _SUBCLASS_OF, _DEFAULT = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_SUBCLASS_OF), ox.DefaultGraph()
_LABEL = ox.NamedNode(RDFS_LABEL)


def _node_key(term) -> str:
    return term.value


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TEXT_TYPES = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
_INTEGER, _DIGITS = _XSD + "integer", re.compile(r"[+-]?[0-9]+")


def _plain(value: ox.Literal):
    """A literal as a plain Python value: str, int, float or bool (dates and others as text).

    Text and well-formed integers, most of the values, directly; the rest as rdflib reads them.

    >>> [_plain(ox.Literal(text, datatype=ox.NamedNode(_XSD + kind))) for text, kind in (("a", "string"), ("-7", "integer"), ("0.5", "decimal"), ("true", "boolean"))]
    ['a', -7, 0.5, True]
    """
    datatype = value.datatype.value
    if datatype in _TEXT_TYPES:
        return value.value
    if datatype == _INTEGER and _DIGITS.fullmatch(value.value):
        return int(value.value)
    python = to_rdflib(value).toPython()
    if isinstance(python, bool | int | float | str):
        return python
    if isinstance(python, Decimal):
        return float(python)
    return value.value


def property_labels(graph: Graph) -> dict:
    """Property IRI (rdflib term) -> its English label from the ontology.

    >>> from irgraph import load_graph, IRG
    >>> property_labels(load_graph())[IRG.hasApproach]
    'has approach'
    """
    labels = {}
    for key, value in labels_from(ox_triples(graph)).items():
        if key.startswith(("http://", "https://")):
            labels[to_rdflib(ox.NamedNode(key))] = value
    return labels


def _types(triples) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Node -> its types, and class -> its direct superclasses."""
    types: dict[str, set[str]] = defaultdict(set)
    superclasses: dict[str, set[str]] = defaultdict(set)
    for triple in triples:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types[_node_key(triple.subject)].add(triple.object.value)
        elif triple.predicate.value == RDFS_SUBCLASS_OF and isinstance(triple.object, ox.NamedNode):
            superclasses[_node_key(triple.subject)].add(triple.object.value)
    return types, superclasses


def _values_and_links(triples, entities: set[str]) -> tuple[dict[str, dict[str, list]], list[tuple[str, str, str]]]:
    """The literal values of each entity (but labels) by compact predicate, and the links between entities.

    It runs once per triple of the graph: the compact name of each predicate is made once, and each
    node and predicate is kept as one string (the node's key), not as a copy per triple.
    """
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    edges = []
    names: dict[str, str] = {}
    predicates: dict[str, str] = {}
    nodes = {node: node for node in entities}
    literal = ox.Literal
    for triple in triples:
        subject = nodes.get(triple.subject.value)
        if subject is None:
            continue
        predicate = triple.predicate.value
        if predicate == RDF_TYPE:
            continue
        obj = triple.object
        if type(obj) is literal:
            if predicate != RDFS_LABEL:
                name = names.get(predicate)
                if name is None:
                    name = names[predicate] = compact(predicate)
                values[subject][name].append(_plain(obj))
        else:
            target = nodes.get(obj.value)
            if target is not None:
                edges.append((subject, target, predicates.setdefault(predicate, predicate)))
    return values, edges


def _parts(graph: Graph):
    """The triples ``to_networkx`` reads: those with ``rdf:type`` or ``rdfs:subClassOf``, with
    ``rdfs:label``, and every triple. On Oxigraph the first two are index lookups and the last a scan
    of the store, not a list of the graph."""
    store = oxigraph_store(graph)
    if store is None:
        triples = ox_triples(graph)
        return triples, triples, triples
    typed = [*store.quads_for_pattern(None, _TYPE, None, _DEFAULT), *store.quads_for_pattern(None, _SUBCLASS_OF, None, _DEFAULT)]
    return typed, store.quads_for_pattern(None, _LABEL, None, _DEFAULT), store.quads_for_pattern(None, None, None, _DEFAULT)


def to_networkx(graph: Graph, *, provenance: bool = True) -> nx.MultiDiGraph:
    """Project ``graph`` onto a networkx ``MultiDiGraph`` (the module docstring lists the choices).

    ``provenance=False`` leaves out the sources, the derivations that pair
    them with sections, every provenance link (:data:`PROVENANCE_RELATIONS`)
    and the nodes only those links connected (the curators, to whom
    judgements are attributed), so that centrality and shortest paths speak
    of the research rather than of the fact sheet most things come from.
    Each edge has ``provenance`` (True for a provenance link) either way.

    >>> from irgraph import load_graph
    >>> g = to_networkx(load_graph())
    >>> g.nodes["https://w3id.org/irgraph/id/il-2"]["label"]
    'IL-2'
    >>> g.nodes["https://w3id.org/irgraph/id/study-esprit"]["irg:participants"]
    4111
    >>> "https://w3id.org/irgraph/id/source-fact-sheet-immune-restoration-overview" in to_networkx(load_graph(), provenance=False)
    False
    """
    typed, labelled, triples = _parts(graph)
    types, superclasses = _types(typed)
    entities = {node for node, node_types in types.items() if not node_types & _VOCABULARY_TYPES}
    labels = labels_from(labelled)
    classes: dict[frozenset, str] = {}  # most nodes share their few sets of types
    attributes: dict[str, dict] = {}
    for node in entities:
        node_types = frozenset(types[node])
        if node_types not in classes:
            classes[node_types] = compact(most_specific_class(node_types, superclasses))
        label = labels.get(node)
        attributes[node] = {"class": classes[node_types], "label": compact(node) if label is None else label}
    values, edges = _values_and_links(triples, entities)
    network = nx.MultiDiGraph()
    no_values: dict = {}
    for node in sorted(entities):
        attrs = attributes[node]
        for key, items in sorted(values.get(node, no_values).items()):
            if len(items) > 1:
                items = sorted(items, key=lambda v: (type(v).__name__, v))
            attrs[key] = items[0] if len(items) == 1 else items
        network.add_node(node, **attrs)
    edge_attributes: dict[str, dict] = {}
    for predicate in {predicate for _, _, predicate in edges}:
        relation = compact(predicate)
        edge_attributes[predicate] = {"predicate": predicate, "relation": relation, "label": labels.get(predicate, relation),
                                      "provenance": relation in PROVENANCE_RELATIONS}
    edges.sort()
    network.add_edges_from((subject, obj, predicate, edge_attributes[predicate]) for subject, obj, predicate in edges)
    return network if provenance else without_provenance(network)


def without_provenance(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a projection without sources, derivations, provenance links and the nodes only they connected."""
    kept = network.copy()
    kept.remove_edges_from([(u, v, k) for u, v, k, data in network.edges(keys=True, data=True) if data["provenance"]])
    kept.remove_nodes_from([n for n, data in network.nodes(data=True) if data.get("class") in PROVENANCE_CLASSES])
    kept.remove_nodes_from([n for n in list(kept) if kept.degree(n) == 0 and network.degree(n) > 0])
    return kept


def explanation_view(network: nx.MultiDiGraph, *, all_links: bool = False) -> nx.Graph:
    """The undirected simple graph used for statistics and paths (bookkeeping left out, see above).

    Nodes that only bookkeeping links connected are left out with them.

    >>> from irgraph import load_graph
    >>> view = explanation_view(to_networkx(load_graph()))
    >>> "https://w3id.org/irgraph/id/source-fact-sheet-immune-restoration-overview" in view
    False
    >>> "https://w3id.org/irgraph/id/il-2" in view
    True
    """
    view = nx.Graph()
    for node, data in network.nodes(data=True):
        if all_links or data.get("class") not in BOOKKEEPING_CLASSES:
            view.add_node(node)
    for u, v, data in network.edges(data=True):
        if u in view and v in view and u != v and (all_links or data["relation"] not in BOOKKEEPING_RELATIONS):
            view.add_edge(u, v)
    if not all_links:
        view.remove_nodes_from([n for n in list(view) if view.degree(n) == 0 and network.degree(n) > 0])
    return view


# --- statistics --------------------------------------------------------------


@dataclass
class Stats:
    """Counts and network measures of a graph (``to_text()`` for people, ``to_json()`` for machines)."""

    triples: int
    classes: list[dict] = field(default_factory=list)
    properties: list[dict] = field(default_factory=list)
    degree: list[dict] = field(default_factory=list)
    betweenness: list[dict] = field(default_factory=list)
    components: dict = field(default_factory=dict)
    interventions_by_approach: list[dict] = field(default_factory=list)
    furthest_phase: list[dict] = field(default_factory=list)
    all_links: bool = False

    def to_json(self) -> str:
        """The statistics as indented JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """The statistics as readable tables."""
        scope = "all links" if self.all_links else "without sources, schemes and controlled values"
        parts = [f"{self.triples} triples"]
        parts.append(_table("Instances per class", ["class", "instances"], [[r["class"], r["count"]] for r in self.classes]))
        parts.append(_table("Triples per property", ["property", "triples"], [[r["property"], r["count"]] for r in self.properties]))
        parts.append(
            _table(
                f"Degree, top {len(self.degree)} ({scope})",
                ["entity", "class", "degree"],
                [[f"{r['label']} ({r['id']})", r["class"], r["degree"]] for r in self.degree],
            )
        )
        parts.append(
            _table(
                f"Betweenness centrality, top {len(self.betweenness)} ({scope})",
                ["entity", "class", "betweenness"],
                [[f"{r['label']} ({r['id']})", r["class"], f"{r['betweenness']:.4f}"] for r in self.betweenness],
            )
        )
        comp = self.components
        parts.append(
            _table(
                f"Connected components: {comp.get('count', 0)} ({scope})",
                ["size", "largest members"],
                [[c["size"], ", ".join(c["members"])] for c in comp.get("largest", [])],
            )
        )
        parts.append(
            _table(
                "Interventions by approach",
                ["strategy", "approach", "interventions"],
                [[r["strategy"], r["approach"], r["interventions"]] for r in self.interventions_by_approach],
            )
        )
        parts.append(
            _table(
                "Furthest trial phase per intervention",
                ["intervention", "furthest phase", "studies"],
                [[r["label"], r["phase"] or "no study", r["studies"]] for r in self.furthest_phase],
            )
        )
        return "\n\n".join(parts) + "\n"


def _table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(
            cell.rjust(widths[i]) if i == len(row) - 1 and i > 0 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(row) for row in cells[1:]] or ["(none)"]
    return "\n".join([title, line(cells[0]), rule, *body])


def _rows(graph: Graph, name: str, timeout: float | None) -> list[dict]:
    return run_saved_query(graph, name, timeout=timeout).rows


def _text(value) -> str:
    return "" if value is None else str(value)


def _int(value) -> int:
    return 0 if value is None else int(value)


#: Up to this many nodes in the view betweenness is exact (Brandes: a breadth-first search from every
#: node); above, it is estimated from :data:`BETWEENNESS_SAMPLES` of them, chosen with a fixed seed
#: (networkx's ``k``), so the same graph gives the same ranking. The exact measure on a million-triple
#: store (about 150,000 nodes) would take hours; the bundled data stays far below the limit.
EXACT_BETWEENNESS_NODES = 5_000
BETWEENNESS_SAMPLES = 16


def _triple_count(graph: Graph) -> int:
    """``len(graph)``; on Oxigraph by counting the default graph's triples, which are distinct there
    (rdflib's ``len`` on Oxigraph counts distinct triple terms over the union of the graphs: 2.4 s at
    100,000 triples, against 0.05 s).

    >>> from irgraph import load_graph
    >>> graph = load_graph()
    >>> _triple_count(graph) == len(graph)
    True
    """
    store = oxigraph_store(graph)
    if store is None:
        return len(graph)
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(solutions, ox.QuerySolutions)
    (count,) = next(solutions)
    return int(count.value)


def _betweenness(view: nx.Graph) -> dict:
    """Normalised betweenness centrality: exact up to :data:`EXACT_BETWEENNESS_NODES` nodes, else sampled."""
    if view.number_of_nodes() <= EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(view, normalized=True)
    return nx.betweenness_centrality(view, k=BETWEENNESS_SAMPLES, normalized=True, seed=0)


def graph_stats(graph: Graph, *, top: int = 10, all_links: bool = False,
                timeout: float | None = DEFAULT_TIMEOUT) -> Stats:
    """Counts per class and property (SPARQL), degree and betweenness centrality,
    connected components (networkx), interventions by approach and the furthest
    trial phase each reached (SPARQL).

    Centrality and components are computed on :func:`explanation_view`
    (bookkeeping left out unless ``all_links``); betweenness is normalised,
    and estimated from a sample of nodes on views larger than
    :data:`EXACT_BETWEENNESS_NODES` (see there).
    Ties are broken by IRI, so the output is deterministic. Each of the
    four queries has ``timeout`` seconds (None: no limit).

    >>> from irgraph import load_graph
    >>> stats = graph_stats(load_graph(), top=3)
    >>> len(stats.degree), stats.triples > 1000
    (3, True)
    """
    if top < 1:
        raise UsageError(f"--top must be at least 1 (got {top})")
    stats = Stats(triples=_triple_count(graph), all_links=all_links)
    stats.classes = [{"class": compact(str(r["class"])), "count": _int(r["count"])} for r in _rows(graph, "count-instances-per-class", timeout)]
    stats.properties = [
        {"property": compact(str(r["property"])), "count": _int(r["count"])} for r in _rows(graph, "count-triples-per-property", timeout)
    ]
    network = to_networkx(graph)
    view = explanation_view(network, all_links=all_links)

    def describe(node) -> dict:
        data = network.nodes[node]
        return {"id": compact(node), "label": str(data.get("label", compact(node))), "class": data.get("class", "")}

    ranked = sorted(view.degree(), key=lambda item: (-item[1], item[0]))[:top]
    stats.degree = [{**describe(node), "degree": degree} for node, degree in ranked]
    betweenness = _betweenness(view)
    ranked_b = sorted(betweenness.items(), key=lambda item: (-round(item[1], 12), item[0]))[:top]
    stats.betweenness = [{**describe(node), "betweenness": round(value, 6)} for node, value in ranked_b]
    components = sorted((sorted(c) for c in nx.connected_components(view)), key=lambda c: (-len(c), c[0]))
    largest = []
    for members in components[:top]:
        by_degree = sorted(members, key=lambda n: (-view.degree(n), n))
        largest.append({"size": len(members), "members": [describe(n)["label"] for n in by_degree[:3]]})
    stats.components = {"count": len(components), "sizes": [len(c) for c in components], "largest": largest}
    stats.interventions_by_approach = [
        {
            "strategy": _text(r.get("strategyLabel")),
            "approach": _text(r.get("approachLabel")),
            "id": compact(str(r["approach"])),
            "interventions": _int(r.get("interventions")),
        }
        for r in _rows(graph, "interventions-by-approach", timeout)
    ]
    stats.furthest_phase = [
        {
            "id": compact(str(r["intervention"])),
            "label": _text(r.get("interventionLabel")),
            "phase": _text(r.get("phaseLabel")) or None,
            "studies": _int(r.get("studies")),
        }
        for r in _rows(graph, "furthest-phase", timeout)
    ]
    return stats


# --- explanation paths -------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One hop of a path: the relations between two neighbours, with their direction.

    ``relations`` holds ``(label, compact name, forward)`` triples; ``forward``
    is True when the link points from the previous node to this one.
    """

    node: str
    label: str
    relations: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class ExplanationPath:
    """A shortest path between two entities: where it starts and its steps."""

    start: str
    start_label: str
    steps: tuple[Step, ...]

    def to_text(self) -> str:
        """The path, one node a line, with each link's label and direction."""
        lines = [f"{self.start_label} ({compact(self.start)})"]
        for step in self.steps:
            links = " / ".join(f"--{label}-->" if forward else f"<--{label}--" for label, _, forward in step.relations)
            lines.append(f"  {links} {step.label} ({compact(step.node)})")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The path as plain data."""
        return {
            "start": compact(self.start),
            "label": self.start_label,
            "steps": [
                {
                    "node": compact(s.node),
                    "label": s.label,
                    "relations": [{"label": label, "relation": r, "direction": "forward" if f else "backward"}
                                  for label, r, f in s.relations],
                }
                for s in self.steps
            ],
        }


def _check_end(network: nx.MultiDiGraph, view: nx.Graph, text: str, node: str) -> None:
    """Refuse an end of a path that is not a node of the explanation view, saying why."""
    if node not in network:
        raise UsageError(
            f"{text!r} ({compact(node)}) is not an entity of the network: classes, properties and untyped "
            "identifiers are not nodes; name an intervention, study, finding, entity or source"
        )
    if node not in view:
        raise UsageError(
            f"{text!r} ({compact(node)}) is a {network.nodes[node].get('class')}, left out of paths "
            "with sources, schemes and controlled values; use --all-links to include it"
        )


def explain_paths(graph: Graph, start: str, end: str, *, limit: int = 5, all_links: bool = False) -> list[ExplanationPath]:
    """The shortest paths between two entities named by label, synonym, compact name or IRI.

    Paths are found on :func:`explanation_view` (links followed in either
    direction; provenance and scheme links only with ``all_links``), at most
    ``limit`` of them, in a deterministic order. Between two neighbours every
    linking relation is given with its direction. An empty list means the two
    are not connected. Raises :class:`~irgraph.errors.UsageError` when a name
    is unknown or is not an entity of the network (classes and properties are
    not).

    >>> from irgraph import load_graph
    >>> paths = explain_paths(load_graph(), "DermaVir", "HIV-specific T cell")
    >>> print(paths[0].to_text())
    DermaVir (ir:dermavir)
      --targets--> HIV-specific T cell (ir:hiv-specific-t-cell)
    """
    if limit < 1:
        raise UsageError(f"--limit must be at least 1 (got {limit})")
    ends = [resolve(graph, text) for text in (start, end)]
    source, target = (str(node) for node in ends)
    store = oxigraph_store(graph)
    if store is None or not all(isinstance(node, URIRef) for node in ends):  # rdflib's store, or a blank node named
        return _paths_on(graph, start, end, source, target, limit=limit, all_links=all_links)
    return _paths_on(_path_ball(store, source, target, all_links), start, end, source, target, limit=limit, all_links=all_links)


def _paths_on(graph: Graph, start: str, end: str, source: str, target: str, *, limit: int, all_links: bool) -> list[ExplanationPath]:
    """:func:`explain_paths` between the IRIs ``source`` and ``target`` on the projection of ``graph``."""
    network = to_networkx(graph)
    view = explanation_view(network, all_links=all_links)
    for text, node in ((start, source), (end, target)):
        _check_end(network, view, text, node)
    if not nx.has_path(view, source, target):
        return []
    paths = []
    for found in nx.all_shortest_paths(view, source, target):
        paths.append(found)
        if len(paths) >= 1000:  # enough to choose a stable first few from
            break
    paths.sort()
    return [
        ExplanationPath(source, str(network.nodes[source]["label"]),
                        tuple(_step(network, before, node, all_links) for before, node in itertools.pairwise(path)))
        for path in paths[:limit]
    ]


class _StoreView:
    """The explanation view (:func:`explanation_view`) read from an Oxigraph store node by node, by lookups."""

    def __init__(self, store: ox.Store, all_links: bool) -> None:
        self.store = store
        self.all_links = all_links
        self.superclasses: dict[str, set[str]] = {}
        self.kept: dict = {}
        self.followed: dict[str, bool] = {}  # predicate IRI -> whether its links are in the view

    def types(self, node) -> set[str]:
        return {q.object.value for q in self.store.quads_for_pattern(node, _TYPE, None, _DEFAULT) if isinstance(q.object, ox.NamedNode)}

    def _superclasses(self, cls: str) -> set[str]:
        if cls not in self.superclasses:
            self.superclasses[cls] = {q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(cls), _SUBCLASS_OF, None, _DEFAULT)
                                      if isinstance(q.object, ox.NamedNode)}
        return self.superclasses[cls]

    def in_view(self, node) -> bool:
        """Whether ``node`` is an entity of the projection that the view keeps."""
        if node not in self.kept:
            types = self.types(node)
            keep = bool(types) and not types & _VOCABULARY_TYPES
            if keep and not self.all_links:
                cls = most_specific_class(types, {t: self._superclasses(t) for t in types})
                keep = compact(cls) not in BOOKKEEPING_CLASSES
            self.kept[node] = keep
        return self.kept[node]

    def linked(self, quad) -> bool:
        predicate = quad.predicate.value
        followed = self.followed.get(predicate)
        if followed is None:
            followed = self.followed[predicate] = predicate != RDF_TYPE and (
                self.all_links or compact(predicate) not in BOOKKEEPING_RELATIONS)
        return followed

    def neighbours(self, node) -> Iterator:
        for quad in self.store.quads_for_pattern(node, None, None, _DEFAULT):
            if not isinstance(quad.object, ox.Literal) and quad.object != node and self.linked(quad) and self.in_view(quad.object):
                yield quad.object
        for quad in self.store.quads_for_pattern(None, None, node, _DEFAULT):
            if quad.subject != node and self.linked(quad) and self.in_view(quad.subject):
                yield quad.subject


def _closer_than(view: _StoreView, start, end) -> tuple[dict, bool]:
    """The nodes of the view closer to ``start`` than ``end`` is, each with its distance from ``start``, and
    whether ``end`` was reached (when it is not, the whole component of ``start``)."""
    if not (view.in_view(start) and view.in_view(end)):
        return {start: 0}, False  # refused by the checks of _paths_on, which need only the two ends
    levels, frontier, depth = {start: 0}, [start], 0
    while frontier:
        found: list = []
        for node in frontier:
            for other in view.neighbours(node):
                if other == end:
                    for far in found:  # those found at this level are as far as the end: on no shortest path
                        del levels[far]
                    return levels, True
                if other not in levels:
                    levels[other] = depth + 1
                    found.append(other)
        frontier, depth = found, depth + 1
    return levels, False


def _on_shortest_paths(view: _StoreView, levels: dict, end) -> set:
    """The nodes on some shortest path to ``end``: back from it, one level of ``levels`` at a time."""
    on, layer = {end}, {end}
    for level in range(max(levels.values()), -1, -1):
        layer = {other for node in layer for other in view.neighbours(node) if levels.get(other) == level}
        on |= layer
    return on


def _path_ball(store: ox.Store, source: str, target: str, all_links: bool) -> Graph:
    """A graph holding every shortest path between ``source`` and ``target``, read from ``store`` by lookups.

    Breadth first from ``source`` over the explanation view until
    ``target`` is reached at distance ``d``, then back from ``target``
    through the nodes closer than ``d``: every node on a shortest path
    (with all its triples), the two ends (with the links into them and the
    types of every neighbour, so that their checks see what the whole graph
    shows), and the types and properties named (their labels and
    superclasses). :func:`_paths_on` finds on it the paths it finds on the
    whole graph; a test compares the two. Unconnected ends: the search
    reads the whole component of ``source``.
    """
    view = _StoreView(store, all_links)
    start, end = ox.NamedNode(source), ox.NamedNode(target)
    levels, reached = _closer_than(view, start, end)
    keep = (_on_shortest_paths(view, levels, end) if reached else set(levels)) | {start, end}
    quads: list = []
    for node in keep:
        quads.extend(store.quads_for_pattern(node, None, None, _DEFAULT))
    for node in (start, end):
        into = list(store.quads_for_pattern(None, None, node, _DEFAULT))
        quads.extend(into)
        neighbours = {q.subject for q in into} | {q.object for q in store.quads_for_pattern(node, None, None, _DEFAULT)
                                                   if not isinstance(q.object, ox.Literal)}
        for other in neighbours - keep:
            quads.extend(store.quads_for_pattern(other, _TYPE, None, _DEFAULT))
    named = {q.predicate for q in quads} | {q.object for q in quads if q.predicate == _TYPE and isinstance(q.object, ox.NamedNode)}
    for term in named:
        quads.extend(store.quads_for_pattern(term, None, None, _DEFAULT))
    local = new_graph()
    local_store = oxigraph_store(local)
    assert local_store is not None  # new_graph() is on Oxigraph
    local_store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return local


def _step(network: nx.MultiDiGraph, before: str, node: str, all_links: bool) -> Step:
    """The hop from ``before`` to ``node``: every relation linking the two, forward ones first."""
    relations = []
    for u, v in ((before, node), (node, before)):
        for data in network.get_edge_data(u, v, default={}).values():
            if all_links or data["relation"] not in BOOKKEEPING_RELATIONS:
                relations.append((data["label"], data["relation"], u == before))
    return Step(node, str(network.nodes[node]["label"]), tuple(sorted(relations, key=lambda r: (not r[2], r[1]))))
