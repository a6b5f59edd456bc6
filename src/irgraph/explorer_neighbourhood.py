"""What a focused explorer page reads, fetched from an Oxigraph store by lookups instead of walking the whole graph.

A focused page (``irgraph viz --focus X --depth N``) draws a few nodes of a
store that may hold millions of triples. :func:`neighbourhood_graph` copies
into a small in-memory graph exactly what the projection
(:func:`irgraph.explorer_projection.explorer_data`) reads for that page, so
that the projection runs on it unchanged and draws the page it draws from
the whole graph (``tests/test_explorer_neighbourhood.py`` compares the two on
the bundled data and on a generated graph):

* the vocabulary: every class and property with its triples (labels,
  superclasses), and the superclasses of every type met;
* the drawn nodes: breadth first from the focus over the links the page
  draws, ``depth`` links out, not spreading through the classes the
  projection does not expand (sources, endpoints, phases, evidence lines),
  each with every triple it is the subject of;
* what their details show: the types and labels of whatever those triples
  point at, and the triples of their sources and studies (citations, trial
  phases) and of the sources their claims' ledger entries cite;
* every trial phase and every approach (the page's filters list them all);
* the evidence trails that reach a drawn node from an intervention, found
  backwards from each drawn node (the trail of an intervention is its
  studies, findings, the claims they bear on and their sources), with the
  approaches of each such intervention, so the approach filter shows on
  this page the nodes it shows on the whole graph's;
* the types and labels of every node copied, so that each keeps its class
  and name.

What is copied is a part of the store's triples, and every rule of the
projection only adds nodes when triples are added, so the small graph can
show no node that the whole graph would not; what each rule needs is
copied, so it misses none. The drawn claims' ledger entries are computed
on the store with the ledger's queries bound to each claim
(:func:`irgraph.claims.ledger_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph

from .claims import Ledger, ledger_of
from .namespaces import compact, expand
from .query import DEFAULT_TIMEOUT
from .store import new_graph, oxigraph_store
from .vocab import IRG, OWL, PROV, RDF, RDF_TYPE, RDFS, RDFS_LABEL, RDFS_SUBCLASS_OF, most_specific_class

_TYPE, _LABEL, _SUBCLASS_OF = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_LABEL), ox.NamedNode(RDFS_SUBCLASS_OF)
_DEFAULT = ox.DefaultGraph()
#: types that make a node part of the vocabulary rather than of the data (as in :mod:`irgraph.network`)
_VOCABULARY_TYPES = frozenset(
    str(term) for term in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology, RDFS.Class)
)
#: the types whose instances' triples the projection reads for its labels (the property types, and rdf:Property)
_DECLARED = tuple(ox.NamedNode(str(term)) for term in (*sorted(_VOCABULARY_TYPES), RDF.Property))
_DERIVED_FROM, _FROM_STUDY, _HAS_APPROACH = (ox.NamedNode(str(term)) for term in (PROV.wasDerivedFrom, IRG.fromStudy, IRG.hasApproach))
#: every instance of these is listed by the page's filters, drawn or not
_LISTED = (ox.NamedNode(str(IRG.TrialPhase)), ox.NamedNode(str(IRG.Approach)))
_INTERVENTION = compact(str(IRG.Intervention))


@dataclass(frozen=True)
class Rules:
    """What the projection draws and how a focus neighbourhood and an evidence trail spread (its constants)."""

    drawn: Callable[[str, set[str]], bool]
    """whether a node of this (compact) class, with these ancestors (itself included), is drawn"""
    hidden_relations: frozenset[str]
    not_expanded: frozenset[str]
    statement_classes: frozenset[str]
    trail_classes: frozenset[str]


@dataclass(frozen=True)
class Neighbourhood:
    """The small graph a focused page is drawn from, and the ledger entries of its drawn nodes."""

    graph: Graph
    ledger: Ledger
    nodes: frozenset[str]


class _Reader:
    """Lookups on the store, each remembered: a node's triples either way, its types and class."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._out: dict = {}
        self._in: dict = {}
        self._types: dict = {}
        self._superclasses: dict[str, set[str]] = {}
        self._classes: dict = {}
        self._ancestors: dict[str, set[str]] = {}
        self._links: dict = {}

    def out(self, node) -> list[ox.Quad]:
        if node not in self._out:
            self._out[node] = list(self.store.quads_for_pattern(node, None, None, _DEFAULT))
        return self._out[node]

    def into(self, node) -> list[ox.Quad]:
        if node not in self._in:
            self._in[node] = list(self.store.quads_for_pattern(None, None, node, _DEFAULT))
        return self._in[node]

    def types(self, node) -> set[str]:
        if node not in self._types:
            self._types[node] = {q.object.value for q in self.store.quads_for_pattern(node, _TYPE, None, _DEFAULT)
                                 if isinstance(q.object, ox.NamedNode)}
        return self._types[node]

    def superclasses(self, cls: str) -> set[str]:
        if cls not in self._superclasses:
            self._superclasses[cls] = {q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(cls), _SUBCLASS_OF, None, _DEFAULT)
                                       if isinstance(q.object, ox.NamedNode)}
        return self._superclasses[cls]

    def ancestors(self, cls: str) -> set[str]:
        """``cls`` (compact) and every class above it."""
        if cls not in self._ancestors:
            found, stack = {cls}, [cls]
            while stack:
                for parent in self.superclasses(expand(stack.pop())):
                    name = compact(parent)
                    if name not in found:
                        found.add(name)
                        stack.append(name)
            self._ancestors[cls] = found
        return self._ancestors[cls]

    def class_of(self, node) -> str | None:
        """The compact class of an entity of the projection (as :func:`irgraph.network.to_networkx` gives it); None for others."""
        if isinstance(node, ox.Literal):
            return None
        if node not in self._classes:
            types = self.types(node)
            entity = bool(types) and not types & _VOCABULARY_TYPES
            self._classes[node] = compact(most_specific_class(types, {t: self.superclasses(t) for t in types})) if entity else None
        return self._classes[node]

    def links(self, node) -> list[tuple[ox.Quad, object]]:
        """Each link of the projection between ``node`` and another entity (either direction), with that other end."""
        if node not in self._links:
            class_of = self.class_of
            self._links[node] = [
                *((quad, quad.object) for quad in self.out(node) if quad.predicate != _TYPE and class_of(quad.object) is not None),
                *((quad, quad.subject) for quad in self.into(node) if quad.predicate != _TYPE and class_of(quad.subject) is not None),
            ]
        return self._links[node]


def present_classes(graph: Graph) -> dict[str, set[str]]:
    """The class of every entity of ``graph`` (compact), each with its ancestors: what ``--include-classes`` may name.

    Read from the store: the types in use, and for each a node that has it as
    its class (most types are the class of their first instance).
    """
    store = oxigraph_store(graph)
    assert store is not None  # only called for a graph on Oxigraph
    reader = _Reader(store)
    answer = store.query("SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(isIRI(?c)) }")
    assert isinstance(answer, ox.QuerySolutions)  # a SELECT
    used = sorted({solution["c"] for solution in answer}, key=str)
    present: dict[str, set[str]] = {}
    for cls in used:
        name = compact(cls.value)
        for quad in store.quads_for_pattern(None, _TYPE, cls, _DEFAULT):
            if reader.class_of(quad.subject) == name:
                present[name] = reader.ancestors(name)
                break
    return present


def _spread(reader: _Reader, centre, depth: int, rules: Rules) -> set:
    """The drawn nodes within ``depth`` links of ``centre``, as the projection's ``_neighbourhood`` finds them."""
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        following = []
        for node in frontier:
            if node != centre and reader.class_of(node) in rules.not_expanded:
                continue
            for quad, other in reader.links(node):
                cls = reader.class_of(other)
                if other not in seen and compact(quad.predicate.value) not in rules.hidden_relations and cls is not None and rules.drawn(cls, reader.ancestors(cls)):
                    seen.add(other)
                    following.append(other)
        frontier = following
    return seen


def _is_intervention(reader: _Reader, node) -> bool:
    cls = reader.class_of(node)
    return cls is not None and _INTERVENTION in reader.ancestors(cls)


def _bases(reader: _Reader, node, rules: Rules) -> list[tuple[object, list[ox.Quad]]]:
    """Each intervention whose trail holds ``node`` before its sources are added, with the triples that put it there.

    The trail of an intervention holds, of the class of a trail: its
    neighbours, and what the statements among them link to.
    """
    found: list[tuple[object, list[ox.Quad]]] = []
    if _is_intervention(reader, node):
        found.append((node, []))
    if reader.class_of(node) not in rules.trail_classes:
        return found
    for quad, other in reader.links(node):
        if _is_intervention(reader, other):
            found.append((other, [quad]))
    for quad in reader.into(node):
        statement = quad.subject
        if quad.predicate == _TYPE or reader.class_of(statement) not in rules.statement_classes:
            continue
        for link, other in reader.links(statement):
            if _is_intervention(reader, other):
                found.append((other, [quad, link]))
    return found


def _trails_into(reader: _Reader, nodes: set, rules: Rules) -> list[ox.Quad]:
    """The triples of every evidence trail that reaches one of ``nodes``, and the approaches of each intervention on one."""
    quads: list[ox.Quad] = []
    interventions = set()
    for node in nodes:
        reached = _bases(reader, node, rules)
        for quad in reader.into(node):
            if quad.predicate == _DERIVED_FROM and reader.class_of(quad.subject) is not None:
                reached.extend((intervention, [*path, quad]) for intervention, path in _bases(reader, quad.subject, rules))
        for intervention, path in reached:
            interventions.add(intervention)
            quads.extend(path)
    for intervention in interventions:
        quads.extend(q for q in reader.out(intervention) if q.predicate == _HAS_APPROACH)
    return quads


def _with_names(reader: _Reader, quads: list[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with the types and labels of every node they name, and the triples of every class among those types."""
    done: set = set()
    classes_done: set[str] = set()
    stack = [term for q in quads for term in (q.subject, q.predicate, q.object) if not isinstance(term, ox.Literal)]
    extra: list[ox.Quad] = []
    while stack:
        node = stack.pop()
        if node in done:
            continue
        done.add(node)
        named = [q for q in reader.out(node) if q.predicate in (_TYPE, _LABEL)]
        extra.extend(named)
        for cls in reader.types(node):
            pending = [cls]
            while pending:  # the class, its superclasses, theirs: what the class of a node and its ancestors are read from
                current = pending.pop()
                if current in classes_done:
                    continue
                classes_done.add(current)
                triples = reader.out(ox.NamedNode(current))
                extra.extend(triples)
                stack.extend(t for q in triples for t in (q.predicate, q.object) if not isinstance(t, ox.Literal))
                pending.extend(reader.superclasses(current))
    return quads + extra


def neighbourhood_graph(graph: Graph, focus: str, depth: int, rules: Rules, *, ledger: Ledger | None = None,
                        timeout: float | None = DEFAULT_TIMEOUT) -> Neighbourhood:
    """The small graph holding what the projection reads to draw the page of ``focus`` (an IRI) at ``depth``.

    ``graph`` is on Oxigraph (:func:`irgraph.store.oxigraph_store`). The
    focus is resolved by the caller; a focus that is not drawn gets its own
    triples only, so that the projection refuses it as it would on the whole
    graph. ``ledger``: the claim ledger to draw the claims' records from
    (default: their entries, computed on the store).
    """
    store = oxigraph_store(graph)
    assert store is not None  # the caller checks
    reader = _Reader(store)
    centre = ox.NamedNode(focus)
    cls = reader.class_of(centre)
    drawn = _spread(reader, centre, depth, rules) if cls is not None and rules.drawn(cls, reader.ancestors(cls)) else {centre}
    if ledger is None:
        ledger = ledger_of(graph, sorted(node.value for node in drawn), timeout=timeout)

    quads: list[ox.Quad] = []
    for kind in (*_DECLARED, *_LISTED):
        for typed in store.quads_for_pattern(None, _TYPE, kind, _DEFAULT):
            quads.extend(reader.out(typed.subject))
    described = set(drawn)  # nodes whose own triples the details read: the drawn, their sources and studies
    for node in drawn:
        for quad in reader.out(node):
            quads.append(quad)
            if quad.predicate in (_DERIVED_FROM, _FROM_STUDY) and not isinstance(quad.object, ox.Literal):
                described.add(quad.object)
    for entry in ledger.entries:
        for line in entry.lines:
            described.update(ox.NamedNode(c.source) for c in line.sources)
        if entry.certainty is not None:
            described.update(ox.NamedNode(c.source) for c in entry.certainty.sources)
    for node in described - drawn:
        quads.extend(reader.out(node))
    if not reader.out(centre):
        quads.extend(reader.into(centre)[:1])  # so that the focus is in the small graph, as it is in the store
    quads.extend(_trails_into(reader, drawn, rules))

    local = new_graph()
    local_store = oxigraph_store(local)
    assert local_store is not None  # new_graph() is on Oxigraph
    local_store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in _with_names(reader, quads))
    return Neighbourhood(local, ledger, frozenset(node.value for node in drawn))
