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

:func:`to_graphml` writes the projection for Gephi and Cytoscape, with
scalar attributes only (see its docstring).
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from .catalog import saved_query
from .errors import UsageError
from .namespaces import IRG_URI, compact, expand
from .store import ox_triples, to_rdflib
from .terms import resolve

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = _RDF + "type"
_RDFS_LABEL = _RDFS + "label"
_VOCABULARY_TYPES = {
    _OWL + "Class",
    _OWL + "ObjectProperty",
    _OWL + "DatatypeProperty",
    _OWL + "AnnotationProperty",
    _OWL + "Ontology",
    _RDFS + "Class",
}
#: links that record where a statement comes from or which scheme a concept
#: is in: left out of statistics and paths unless asked for
BOOKKEEPING_RELATIONS = frozenset(
    {"prov:wasDerivedFrom", "rdfs:seeAlso", "skos:inScheme", "skos:topConceptOf", "skos:hasTopConcept"}
)
#: nodes left out with them: sources, concept schemes and controlled values
BOOKKEEPING_CLASSES = frozenset(
    {
        "irg:Source",
        "skos:ConceptScheme",
        "irg:TrialPhase",
        "irg:Effect",
        "irg:Verdict",
        "irg:Certainty",
        "irg:EndpointKind",
        "irg:DonorType",
        "irg:Route",
        "irg:EvidenceDirection",
        "irg:EvidenceStrength",
        "irg:LinkBasis",
        "irg:StudyDesign",
        "irg:CertaintyLevel",
        "irg:CertaintyDomain",
        "irg:CountKind",
        "prov:Derivation",
    }
)
#: separator used when GraphML needs one text value for several
GRAPHML_JOIN = "; "


def _node_key(term) -> str:
    return term.value


def _plain(value: ox.Literal):
    """A literal as a plain Python value: str, int, float or bool (dates and others as text)."""
    python = to_rdflib(value).toPython()
    if isinstance(python, bool | int | float | str):
        return python
    if isinstance(python, Decimal):
        return float(python)
    return value.value


def _specific_class(types: set[str], superclasses: dict[str, set[str]]) -> str:
    irg_types = sorted(t for t in types if t.startswith(IRG_URI))
    for candidate in irg_types:
        # the most specific: not a superclass of another of the node's types
        if not any(candidate in superclasses.get(other, ()) for other in irg_types if other != candidate):
            return compact(candidate)
    return compact(sorted(types)[0]) if types else ""


def property_labels(graph: Graph) -> dict:
    """Property IRI (rdflib term) -> its English label from the ontology.

    >>> from irgraph import load_graph, IRG
    >>> property_labels(load_graph())[IRG.hasApproach]
    'has approach'
    """
    labels = {}
    for key, value in _labels(ox_triples(graph)).items():
        if key.startswith(("http://", "https://")):
            labels[to_rdflib(ox.NamedNode(key))] = value
    return labels


def _labels(triples) -> dict[str, str]:
    """Node -> label: English first, then untagged, then any, each time the first in text order."""
    found: dict[str, tuple] = {}
    for triple in triples:
        if triple.predicate.value == _RDFS_LABEL and isinstance(triple.object, ox.Literal):
            language = triple.object.language or ""
            rank = (0 if language == "en" else 1 if language == "" else 2, triple.object.value)
            key = _node_key(triple.subject)
            if key not in found or rank < found[key]:
                found[key] = rank
    return {key: rank[1] for key, rank in found.items()}


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Project ``graph`` onto a networkx ``MultiDiGraph`` (the module docstring lists the choices).

    >>> from irgraph import load_graph
    >>> g = to_networkx(load_graph())
    >>> g.nodes["https://w3id.org/irgraph/id/il-2"]["label"]
    'IL-2'
    >>> g.nodes["https://w3id.org/irgraph/id/study-esprit"]["irg:participants"]
    4111
    """
    triples = ox_triples(graph)
    types: dict[str, set[str]] = defaultdict(set)
    superclasses: dict[str, set[str]] = defaultdict(set)
    for triple in triples:
        if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types[_node_key(triple.subject)].add(triple.object.value)
        elif triple.predicate.value == _RDFS + "subClassOf" and isinstance(triple.object, ox.NamedNode):
            superclasses[_node_key(triple.subject)].add(triple.object.value)
    entities = {node for node, node_types in types.items() if not node_types & _VOCABULARY_TYPES}
    labels = _labels(triples)
    attributes: dict[str, dict] = {}
    for node in entities:
        attributes[node] = {"class": _specific_class(types[node], superclasses), "label": labels.get(node, compact(node))}
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    edges = []
    for triple in triples:
        subject = _node_key(triple.subject)
        if subject not in entities or triple.predicate.value == _RDF_TYPE:
            continue
        obj = triple.object
        if isinstance(obj, ox.Literal):
            if triple.predicate.value != _RDFS_LABEL:
                values[subject][compact(triple.predicate.value)].append(_plain(obj))
        elif _node_key(obj) in entities:
            edges.append((subject, _node_key(obj), triple.predicate.value))
    network = nx.MultiDiGraph()
    for node in sorted(entities):
        attrs = attributes[node]
        for key, items in sorted(values[node].items()):
            items = sorted(items, key=lambda v: (type(v).__name__, v))
            attrs[key] = items[0] if len(items) == 1 else items
        network.add_node(node, **attrs)
    for subject, obj, predicate in sorted(edges):
        relation = compact(predicate)
        network.add_edge(
            subject, obj, key=predicate, predicate=predicate, relation=relation, label=labels.get(predicate, relation)
        )
    return network


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


# --- GraphML -----------------------------------------------------------------

_NMTOKEN = re.compile(r"^[\w.:-]+$")


def to_graphml(graph: Graph) -> str:
    """GraphML of the projection, for Gephi and Cytoscape; deterministic.

    Node ids are compact names (``ir:il-2``), or ``n1``, ``n2``… where a
    compact name is not a valid XML name token. Node attributes: ``label``,
    ``class`` (compact name), ``class_label``, ``approach`` (labels of the
    node's ``irg:hasApproach`` values; only on nodes that have one) and
    ``iri``. Edge attributes: ``label``
    (the relation's label, e.g. ``has approach``), ``relation`` (compact name)
    and ``predicate`` (IRI); edge ids ``e0``, ``e1``…. Every attribute is one
    text value: several values are sorted and joined with ``"; "`` (an
    intervention with two approaches), because GraphML and the tools that
    read it have no list type. Literal values other than labels are left out:
    they are in the RDF exports, and one key per predicate would make
    Gephi's attribute table unreadable.

    >>> from irgraph import load_graph
    >>> text = to_graphml(load_graph())
    >>> '<node id="ir:dermavir">' in text and "therapeutic vaccination" in text
    True
    """
    network = to_networkx(graph)
    labels = {node: data["label"] for node, data in network.nodes(data=True)}
    class_labels = _labels(ox_triples(graph))
    approaches: dict[str, list[str]] = defaultdict(list)
    for u, v, data in network.edges(data=True):
        if data["relation"] == "irg:hasApproach":
            approaches[u].append(labels[v])
    ids: dict[str, str] = {}
    taken: set[str] = set()
    fallback = 0
    for node in sorted(network):
        name = compact(node)
        if not _NMTOKEN.match(name) or name in taken:
            fallback += 1
            name = f"n{fallback}"
        ids[node] = name
        taken.add(name)
    out = nx.MultiDiGraph()
    for node, data in sorted(network.nodes(data=True)):
        cls = data.get("class", "")
        attrs = {"label": str(data["label"]), "class": cls, "class_label": class_labels.get(expand(cls), cls)}
        if node in approaches:
            attrs["approach"] = GRAPHML_JOIN.join(sorted(approaches[node]))
        attrs["iri"] = node
        out.add_node(ids[node], **attrs)
    edges = sorted(network.edges(data=True), key=lambda e: (ids[e[0]], e[2]["predicate"], ids[e[1]]))
    for index, (u, v, data) in enumerate(edges):
        out.add_edge(ids[u], ids[v], key=f"e{index}", label=data["label"], relation=data["relation"], predicate=data["predicate"])
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


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


def _rows(graph: Graph, name: str) -> list[dict]:
    """The rows of a catalog query, through the same checked path as ``irgraph query``."""
    from .query import run_query

    return run_query(graph, saved_query(name).text).rows


def _text(value) -> str:
    return "" if value is None else str(value)


def _int(value) -> int:
    return 0 if value is None else int(value)


def graph_stats(graph: Graph, *, top: int = 10, all_links: bool = False) -> Stats:
    """Counts per class and property (SPARQL), degree and betweenness centrality,
    connected components (networkx), interventions by approach and the furthest
    trial phase each reached (SPARQL).

    Centrality and components are computed on :func:`explanation_view`
    (bookkeeping left out unless ``all_links``); betweenness is normalised.
    Ties are broken by IRI, so the output is deterministic.

    >>> from irgraph import load_graph
    >>> stats = graph_stats(load_graph(), top=3)
    >>> len(stats.degree), stats.triples > 1000
    (3, True)
    """
    if top < 1:
        raise UsageError(f"--top must be at least 1 (got {top})")
    stats = Stats(triples=len(graph), all_links=all_links)
    stats.classes = [{"class": compact(str(r["class"])), "count": _int(r["count"])} for r in _rows(graph, "count-instances-per-class")]
    stats.properties = [
        {"property": compact(str(r["property"])), "count": _int(r["count"])} for r in _rows(graph, "count-triples-per-property")
    ]
    network = to_networkx(graph)
    view = explanation_view(network, all_links=all_links)

    def describe(node) -> dict:
        data = network.nodes[node]
        return {"id": compact(node), "label": str(data.get("label", compact(node))), "class": data.get("class", "")}

    ranked = sorted(view.degree(), key=lambda item: (-item[1], item[0]))[:top]
    stats.degree = [{**describe(node), "degree": degree} for node, degree in ranked]
    betweenness = nx.betweenness_centrality(view, normalized=True)
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
        for r in _rows(graph, "interventions-by-approach")
    ]
    stats.furthest_phase = [
        {
            "id": compact(str(r["intervention"])),
            "label": _text(r.get("interventionLabel")),
            "phase": _text(r.get("phaseLabel")) or None,
            "studies": _int(r.get("studies")),
        }
        for r in _rows(graph, "furthest-phase")
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
                    "relations": [{"label": l, "relation": r, "direction": "forward" if f else "backward"} for l, r, f in s.relations],
                }
                for s in self.steps
            ],
        }


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
    nodes = []
    for text in (start, end):
        node = str(resolve(graph, text))
        nodes.append(node)
    network = to_networkx(graph)
    view = explanation_view(network, all_links=all_links)
    for text, node in zip((start, end), nodes, strict=True):
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
    source, target = nodes
    if not nx.has_path(view, source, target):
        return []
    paths = []
    for found in nx.all_shortest_paths(view, source, target):
        paths.append(found)
        if len(paths) >= 1000:  # enough to choose a stable first few from
            break
    paths.sort()
    result = []
    for path in paths[:limit]:
        steps = []
        for before, node in zip(path, path[1:], strict=False):
            relations = []
            for u, v in ((before, node), (node, before)):
                for data in network.get_edge_data(u, v, default={}).values():
                    if all_links or data["relation"] not in BOOKKEEPING_RELATIONS:
                        relations.append((data["label"], data["relation"], u == before))
            steps.append(Step(node, str(network.nodes[node]["label"]), tuple(sorted(relations, key=lambda r: (not r[2], r[1])))))
        result.append(ExplanationPath(source, str(network.nodes[source]["label"]), tuple(steps)))
    return result
