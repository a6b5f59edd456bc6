"""What the explorer draws: its projection of the graph, as the plain data the page embeds.

Built on :func:`irgraph.network.to_networkx`:

* every entity of the data is a node, except concept schemes and the
  controlled values of :data:`ATTRIBUTE_CLASSES` (effects, verdicts,
  certainty, endpoint kinds, donor types, routes): a link to one of those
  becomes an attribute of the node, shown in its details ("verdict:
  unfavourable");
* every link between two drawn nodes is an edge labelled with the
  property's ontology label, except the concept-scheme bookkeeping of
  :data:`HIDDEN_RELATIONS`;
* the nodes of :data:`HIDDEN_BY_DEFAULT` (sources, endpoints, trial phases,
  mechanisms, biological entities, background facts, organisations) are in
  the page but switched off in the class filter of a whole-graph page, so
  that the first picture is readable; their content is one click away in
  the details panel.

Each claim (and each statement an evidence line bears on) carries its entry
of the claim ledger (:mod:`irgraph.claims`): a badge with its status and
certainty on the node, and the ledger in its details.

Positions come from :mod:`irgraph.explorer_layout`; the page itself from
:mod:`irgraph.visualize`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import networkx as nx
from rdflib import Graph, URIRef

from .claims import ClaimEntry, EvidenceLine, Ledger, claim_ledger
from .defaults import DEFAULT_DEPTH, LARGE_GRAPH
from .errors import UsageError
from .explorer_layout import CLASS_ORDER, CLASS_STYLE, COLUMN_NAMES, DEFAULT_STYLE, FONT_SIZE, layout, readable_scale
from .explorer_neighbourhood import Rules, neighbourhood_graph, present_classes
from .namespaces import compact, expand
from .network import to_networkx
from .store import oxigraph_store
from .terms import resolve
from .vocab import DCTERMS, IRG, IRG_URI, OWL, PROV, RDF, RDFS, SKOS, label_of

IRG_NAMESPACE = IRG_URI


def _c(term) -> str:
    return compact(str(term))


#: a finding's border says its verdict at a glance (each at least 3:1 against the light and the dark page, WCAG AA for non-text)
VERDICT_COLOURS = {
    "ir:verdict-favourable": "#2e7d32",
    "ir:verdict-unfavourable": "#d32f2f",
    "ir:verdict-mixed": "#c47200",
    "ir:verdict-inconclusive": "#7e57c2",
    "ir:verdict-pending": "#808080",
}
#: controlled values: shown as attributes of the nodes that use them, not as nodes
ATTRIBUTE_CLASSES = frozenset(
    _c(term)
    for term in (
        IRG.Effect, IRG.Verdict, IRG.Certainty, IRG.EndpointKind, IRG.DonorType, IRG.Route, IRG.EvidenceDirection,
        IRG.EvidenceStrength, IRG.LinkBasis, IRG.StudyDesign, IRG.CertaintyLevel, IRG.CertaintyDomain, IRG.CountKind,
        IRG.SampleSize, IRG.CertaintyAssessment,
    )
)
#: drawn, but off in the class filter of a whole-graph page (they link to almost everything)
HIDDEN_BY_DEFAULT = frozenset(
    _c(term)
    for term in (
        IRG.Mechanism, IRG.BiologicalEntity, IRG.BiologicalFact, IRG.ClinicalThreshold, IRG.Organization,
        IRG.Source, IRG.Endpoint, IRG.TrialPhase, IRG.EvidenceLine,
    )
)
#: a focus neighbourhood includes these when adjacent but does not spread through them
NOT_EXPANDED = frozenset(_c(term) for term in (IRG.Source, IRG.Endpoint, IRG.TrialPhase, IRG.EvidenceLine))
#: never drawn
HIDDEN_CLASSES = frozenset({_c(SKOS.ConceptScheme), _c(PROV.Derivation)})
HIDDEN_RELATIONS = frozenset(_c(term) for term in (SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept))
#: labels of the properties borrowed from other vocabularies (the ontology labels only its own)
BORROWED_LABELS = {
    _c(PROV.wasDerivedFrom): "derived from",
    _c(SKOS.broader): "broader",
    _c(SKOS.narrower): "narrower",
    _c(SKOS.exactMatch): "exact match",
    _c(SKOS.closeMatch): "close match",
    _c(SKOS.relatedMatch): "related match",
    _c(SKOS.notation): "notation",
    _c(RDFS.seeAlso): "see also",
    _c(DCTERMS.publisher): "publisher",
    _c(DCTERMS.title): "title",
    _c(DCTERMS.issued): "issued",
    _c(DCTERMS.bibliographicCitation): "citation",
}
_DERIVED_FROM = _c(PROV.wasDerivedFrom)
_ALT_LABEL, _DEFINITION, _SECTION = _c(SKOS.altLabel), _c(SKOS.definition), _c(IRG.sourceSection)
#: literal properties shown in their own place in the details panel, not among the facts
_OWN_PLACE = {"label", _ALT_LABEL, _DEFINITION, _SECTION}
_STATEMENT_CLASSES = {
    _c(term) for term in (IRG.ClinicalStudy, IRG.Finding, IRG.Claim, IRG.BiologicalFact, IRG.ClinicalThreshold)
}
_TRAIL_CLASSES = _STATEMENT_CLASSES | {_c(IRG.Intervention), _c(IRG.CombinationIntervention), _c(IRG.Source)}
_NCT = re.compile(r"^NCT\d{8}$")
_PMID = re.compile(r"^\d{1,9}$")


def web_link(href: str) -> str | None:
    """``href`` if it is an http or https address with a host, else ``None``.

    Only these become links in the page (never ``javascript:`` or ``data:``).

    >>> web_link("https://doi.org/10.1000/x"), web_link("javascript:alert(1)"), web_link("http:///x")
    ('https://doi.org/10.1000/x', None, None)
    """
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc and not any(ch.isspace() for ch in href):
        return href
    return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _labels_of_properties(graph: Graph) -> dict[str, str]:
    """Compact property name -> English label: the ontology's, then the borrowed ones."""
    labels = dict(BORROWED_LABELS)
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    for kind in kinds:
        for prop in sorted(graph.subjects(RDF.type, kind), key=str):
            label = label_of(graph, prop)
            if isinstance(prop, URIRef) and label:
                labels[compact(str(prop))] = label
    return labels


def _class_labels(graph: Graph) -> dict[str, str]:
    labels = {}
    for cls in sorted(set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class)), key=str):
        label = label_of(graph, cls)
        if isinstance(cls, URIRef) and label:
            labels[compact(str(cls))] = label
    return labels


def _class_ancestors(graph: Graph, classes: Iterable[str]) -> dict[str, set[str]]:
    """Class (compact) -> itself and every superclass, so ``irg:Statement`` selects findings and claims."""
    ancestors = {}
    for cls in classes:
        node = URIRef(expand(cls))
        ancestors[cls] = {compact(str(c)) for c in graph.transitive_objects(node, RDFS.subClassOf)}
        ancestors[cls].add(cls)
    return ancestors


def _external_links(graph: Graph, node: str, entities, labels: dict[str, str]) -> list[list[str]]:
    """Links from ``node`` to IRIs that are not entities of the data (alignments, web pages)."""
    rows = []
    for prop, value in graph.predicate_objects(URIRef(node)):
        if prop == RDF.type or not isinstance(value, URIRef) or str(value) in entities:
            continue
        name = compact(str(prop))
        rows.append([labels.get(name, name), compact(str(value)), web_link(str(value)) or ""])
    return sorted(rows)


def _identifier_links(attrs: dict) -> list[list[str]]:
    """Identifiers as [kind, identifier, address]: DOI, PubMed and ClinicalTrials.gov numbers."""
    links = []
    for doi in _as_list(attrs.get(_c(IRG.doi))):
        text = str(doi).strip()
        links.append(["DOI", text, web_link("https://doi.org/" + quote(text, safe="/:;()._-")) or ""])
    for pmid in _as_list(attrs.get(_c(IRG.pmid))):
        text = _text(pmid).strip()
        address = f"https://pubmed.ncbi.nlm.nih.gov/{text}/" if _PMID.match(text) else ""
        links.append(["PMID", text, address])
    for registry in _as_list(attrs.get(_c(IRG.registryId))):
        text = str(registry).strip()
        address = f"https://clinicaltrials.gov/study/{text}" if _NCT.match(text) else ""
        links.append(["ClinicalTrials.gov" if address else "registry", text, address])
    return links


def _source_record(graph: Graph, network: nx.MultiDiGraph, source: str, entities, labels) -> dict:
    attrs = network.nodes[source] if source in network else {}
    publishers = sorted(
        str(network.nodes[v].get("label", compact(v)))
        for _, v, d in (network.out_edges(source, data=True) if source in network else [])
        if d["relation"] == _c(DCTERMS.publisher)
    )
    dates = [_text(v) for v in _as_list(attrs.get(_c(DCTERMS.issued)))] or [
        _text(v) for v in _as_list(attrs.get(_c(IRG.dateNote)))
    ]
    web = _external_links(graph, source, entities, labels)
    return {
        "label": str(attrs.get("label", compact(source))),
        "title": [_text(v) for v in _as_list(attrs.get(_c(DCTERMS.title)))],
        "citation": [_text(v) for v in _as_list(attrs.get(_c(DCTERMS.bibliographicCitation)))],
        "date": dates,
        "publisher": publishers,
        "ids": _identifier_links(attrs),
        "web": web,
    }


def _chosen_classes(
    present: set[str], ancestors: dict[str, set[str]], include: Iterable[str], exclude: Iterable[str]
) -> tuple[set[str], set[str]]:
    """The classes named by ``--include-classes`` and ``--exclude-classes``, each checked against the classes ``present``."""

    def parse(names: Iterable[str], option: str) -> set[str]:
        chosen = set()
        known = set().union(*ancestors.values()) if ancestors else set()
        for raw in names:
            for name in (part.strip() for part in str(raw).split(",")):
                if not name:
                    continue
                candidate = compact(expand(name)) if ":" in name else _c(IRG_NAMESPACE + name)
                if candidate not in known:
                    listed = ", ".join(sorted(present - HIDDEN_CLASSES))
                    raise UsageError(
                        f"{option} {name}: no node of the graph has this class; "
                        f"use compact class names such as irg:Finding; the classes are: {listed}"
                    )
                chosen.add(candidate)
        return chosen

    return parse(include, "--include-classes"), parse(exclude, "--exclude-classes")


def _is_drawn(cls: str, ancestors: set[str], included: set[str], excluded: set[str]) -> bool:
    """Whether nodes of ``cls`` (with its ``ancestors``, itself included) are drawn, given the chosen classes."""
    if cls in HIDDEN_CLASSES or ancestors & excluded:
        return False
    return bool(ancestors & included) if included else cls not in ATTRIBUTE_CLASSES


def _selected_classes(
    present: set[str], ancestors: dict[str, set[str]], include: Iterable[str], exclude: Iterable[str]
) -> tuple[set[str], bool]:
    """The classes to draw, and whether the page shows them all (True when the user chose)."""
    included, excluded = _chosen_classes(present, ancestors, include, exclude)
    return {cls for cls in present if _is_drawn(cls, ancestors[cls], included, excluded)}, bool(included)


def _neighbourhood(network: nx.MultiDiGraph, centre: str, depth: int, classes: dict[str, str]) -> set[str]:
    """Nodes within ``depth`` links of ``centre`` (either direction), not spreading through hubs."""
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        following = []
        for node in frontier:
            if node != centre and classes[node] in NOT_EXPANDED:
                continue
            for neighbour in sorted(set(network.successors(node)) | set(network.predecessors(node))):
                if neighbour not in seen:
                    seen.add(neighbour)
                    following.append(neighbour)
        frontier = following
    return seen


def _trail(network: nx.MultiDiGraph, intervention: str, classes: dict[str, str]) -> list[str]:
    """An intervention's evidence trail: its studies, its findings, the claims they bear on, and their sources.

    Combinations that contain the intervention come too; what is linked
    beyond (mechanisms, targets, endpoints, phases) is left to the details
    panel, so the trail stays a short picture.
    """
    nodes = {intervention}
    first = set(network.successors(intervention)) | set(network.predecessors(intervention))
    nodes |= first
    for node in sorted(first):
        if classes.get(node) in _STATEMENT_CLASSES:
            nodes |= set(network.successors(node))
    nodes = {n for n in nodes if classes.get(n) in _TRAIL_CLASSES or n == intervention}
    for node in sorted(nodes):
        for _, source, data in network.out_edges(node, data=True):
            if data["relation"] == _DERIVED_FROM:
                nodes.add(source)
    return sorted(nodes)


@dataclass
class _Context:
    """What every step of the projection reads: the whole network and the names of things."""

    graph: Graph
    full: nx.MultiDiGraph
    labels: dict[str, str]
    class_labels: dict[str, str]
    classes: dict[str, str]
    ancestors: dict[str, set[str]]

    def name(self, node: str) -> str:
        return str(self.full.nodes[node].get("label", compact(node)))


def _drawn_network(ctx: _Context, drawn_classes: set[str]):
    """The network of drawn nodes, with the facts that links to controlled values become, before those go."""
    link_facts: dict[str, list[list[str]]] = {}
    verdicts: dict[str, set[str]] = {}
    network = nx.MultiDiGraph()
    network.add_nodes_from(sorted(n for n in ctx.full.nodes if ctx.classes[n] in drawn_classes))
    for u, v, key, data in sorted(ctx.full.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        if data["relation"] in HIDDEN_RELATIONS:
            continue
        label = ctx.labels.get(data["relation"], data["label"])
        if u in network and v in network:
            network.add_edge(u, v, key=key, relation=data["relation"], label=label)
        elif u in network and ctx.classes[v] in ATTRIBUTE_CLASSES:
            link_facts.setdefault(u, []).append([label, ctx.name(v)])
            if data["relation"] == _c(IRG.verdict):
                verdicts.setdefault(u, set()).add(compact(v))
    return network, link_facts, verdicts


def _focused(ctx: _Context, network: nx.MultiDiGraph, focus: str | None, focus_iri: str | None, depth: int):
    """The neighbourhood of ``focus_iri``, which the user called ``focus`` (the whole network without one)."""
    if focus_iri is None:
        return network
    if focus_iri not in network:
        why = f"its class {ctx.classes[focus_iri]} is not drawn" if focus_iri in ctx.classes else "it is not an entity of the data"
        raise UsageError(f"--focus {focus}: {compact(focus_iri)} cannot be the centre of the picture: {why}")
    keep = _neighbourhood(network, focus_iri, depth, ctx.classes)
    return network.subgraph(sorted(keep)).copy()


def _phases_of(ctx: _Context, node: str, study_phase: dict[str, list[str]]) -> list[str]:
    """The trial phases of a study, of a finding through its studies, or the phase itself."""
    phases: set[str] = set()
    if ctx.classes[node] == _c(IRG.TrialPhase):
        phases.add(node)
    phases.update(study_phase.get(node, []))
    for _, study, data in ctx.full.out_edges(node, data=True):
        if data["relation"] == _c(IRG.fromStudy):
            phases.update(study_phase.get(study, []))
    return sorted(phases)


def _line_record(line: EvidenceLine) -> dict:
    cited = [c.source for c in line.sources]
    return {
        "item": line.item, "label": line.item_label, "kind": line.item_kind,
        "studies": [study.to_text(cited) for study in line.studies],
        "estimate": line.estimate.to_text() if line.estimate is not None else "",
        "strength": line.strength, "basis": line.basis, "rationale": line.rationale,
        "sources": cited, "sections": line.sections,
    }


def ledger_record(entry: ClaimEntry) -> dict:
    """What a node's details show of its claim ledger entry, and the badge on the node."""
    certainty = entry.certainty
    level = certainty.level if certainty is not None else ""
    return {
        "status": entry.status,
        "badge": entry.status + (f" \u00b7 certainty: {level}" if level else ""),
        "certainty": {"level": level, "downgraded": certainty.downgraded_for, "rationale": certainty.rationale,
                      "sources": [] if certainty.rests_on else [c.source for c in certainty.sources]}
        if certainty is not None else None,
        "counts": [entry.supporting, entry.contradicting, entry.qualifying],
        "design": entry.strongest_design,
        "lines": {d: [_line_record(line) for line in entry.lines_in(d)] for d in ("supports", "contradicts", "qualifies")},
        "own": [_line_record(line) for line in entry.lines if not line.later],
        "forest": "",
    }


def _ledger_sources(records: dict[str, dict]) -> set[str]:
    """Every source a ledger record names (its lines', and where the curators looked)."""
    found: set[str] = set()
    for record in records.values():
        for line in [*record["own"], *(x for lines in record["lines"].values() for x in lines)]:
            found.update(line["sources"])
        if record["certainty"]:
            found.update(record["certainty"]["sources"])
    return found


def _node_records(ctx: _Context, network: nx.MultiDiGraph, link_facts, verdicts, positions, column_of,
                  ledgers: dict[str, dict]) -> list[dict]:
    """One record per drawn node: what the details panel shows (with its claim ledger), and where the node sits."""
    study_phase: dict[str, list[str]] = {}
    for u, v, data in ctx.full.edges(data=True):
        if data["relation"] == _c(IRG.phase):
            study_phase.setdefault(u, []).append(v)
    entities = set(ctx.full.nodes)
    records = []
    for node in sorted(network.nodes):
        attrs = ctx.full.nodes[node]
        facts = []
        for key in sorted(k for k in attrs if k not in _OWN_PLACE and k != "class"):
            for value in _as_list(attrs[key]):
                facts.append([ctx.labels.get(key, key), _text(value)])
        facts += sorted(link_facts.get(node, []))
        x, y = positions[node]
        records.append(
            {
                "id": node,
                "compact": compact(node),
                "label": str(attrs.get("label", compact(node))),
                "class": ctx.classes[node],
                "column": column_of[node],
                "x": x,
                "y": y,
                "synonyms": sorted(str(v) for v in _as_list(attrs.get(_ALT_LABEL))),
                "definition": [str(v) for v in _as_list(attrs.get(_DEFINITION))],
                "facts": facts,
                "sections": sorted(str(v) for v in _as_list(attrs.get(_SECTION))),
                "sources": sorted(v for _, v, d in ctx.full.out_edges(node, data=True) if d["relation"] == _DERIVED_FROM),
                "ids": _identifier_links(attrs),
                "external": _external_links(ctx.graph, node, entities, ctx.labels),
                "phases": _phases_of(ctx, node, study_phase),
                "verdict": min(verdicts[node]) if len(verdicts.get(node, ())) == 1 else "",
                "ledger": ledgers.get(node),
            }
        )
    return records


def _class_rows(ctx: _Context, nodes: list[dict], off: set[str]) -> list[dict]:
    """The legend and class filter: each drawn class with its look, count and whether it starts on."""
    counts: dict[str, int] = {}
    for n in nodes:
        counts[n["class"]] = counts.get(n["class"], 0) + 1
    order = {cls: i for i, cls in enumerate(CLASS_ORDER)}
    rows = []
    for cls in sorted(counts, key=lambda c: (order.get(c, len(order)), c)):
        colour, shape = CLASS_STYLE.get(cls, DEFAULT_STYLE)
        rows.append(
            {"id": cls, "label": ctx.class_labels.get(cls, cls), "color": colour, "shape": shape,
             "font": FONT_SIZE.get(cls, 12), "count": counts[cls], "on": cls not in off}
        )
    return rows


def _approach_tree(ctx: _Context) -> tuple[list[tuple[str, int]], dict[str, list[str]], dict[str, list[str]]]:
    """Approaches listed depth first (narrower under broader, by name) with their level; the narrower
    approaches of each, and the interventions that use each."""
    approach_ids = sorted(n for n in ctx.full.nodes if ctx.classes[n] == _c(IRG.Approach))
    narrower: dict[str, list[str]] = {a: [] for a in approach_ids}
    broader: dict[str, list[str]] = {a: [] for a in approach_ids}
    using: dict[str, list[str]] = {a: [] for a in approach_ids}
    for u, v, d in sorted(ctx.full.edges(data=True), key=lambda e: (e[0], e[1])):
        if d["relation"] == _c(SKOS.broader) and u in narrower and v in narrower:
            narrower[v].append(u)
            broader[u].append(v)
        elif d["relation"] == _c(IRG.hasApproach) and v in using:
            using[v].append(u)

    def by_name(approach: str) -> tuple[str, str]:
        return (ctx.name(approach).lower(), approach)

    listed: list[tuple[str, int]] = []
    seen: set[str] = set()
    roots = sorted((a for a in approach_ids if not broader[a]), key=by_name)
    for root in roots + sorted(approach_ids, key=by_name):  # roots first; then whatever a cycle left out
        stack = [(root, 0)]
        while stack:
            node, level = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            listed.append((node, level))
            stack.extend((child, level + 1) for child in sorted(narrower[node], key=by_name, reverse=True))
    return listed, narrower, using


def _approach_rows(ctx: _Context, trail_of: dict[str, list[str]], in_page: set[str]) -> list[dict]:
    """Each approach with the nodes its filter shows: itself, narrower approaches, and their interventions' trails."""
    listed, narrower, using = _approach_tree(ctx)
    rows = []
    for approach, level in listed:
        subtree, stack = {approach}, [approach]
        while stack:
            for child in narrower[stack.pop()]:
                if child not in subtree:
                    subtree.add(child)
                    stack.append(child)
        members = set(subtree)
        for member in subtree:
            for intervention in using[member]:
                members.update(trail_of.get(intervention, [intervention]))
        rows.append({"id": approach, "label": ctx.name(approach), "level": level, "nodes": sorted(members & in_page)})
    return rows


def _phase_rows(ctx: _Context, nodes: list[dict]) -> list[dict]:
    """The trial phases in order (by notation), each with how many drawn studies reached it."""

    def phase_key(phase: str):
        notation = str(ctx.full.nodes[phase].get(_c(SKOS.notation), ""))
        try:
            number = float(notation)
        except ValueError:
            number = math.inf
        return (number <= 0, number, str(ctx.full.nodes[phase].get("label", phase)))

    phase_ids = sorted(n for n in ctx.full.nodes if ctx.classes[n] == _c(IRG.TrialPhase))
    rows = []
    for phase in sorted(phase_ids, key=phase_key):
        studies = sum(1 for n in nodes if phase in n["phases"] and n["class"] == _c(IRG.ClinicalStudy))
        rows.append({"id": phase, "label": ctx.name(phase), "studies": studies})
    return rows


class _Views:
    """Column headings and the layouts of a part of the page (the trail and approach filters)."""

    def __init__(self, ctx: _Context, network: nx.MultiDiGraph, node_labels: dict[str, str], positions) -> None:
        self.ctx = ctx
        self.network = network
        self.node_labels = node_labels
        self.positions = positions

    def headings(self, rows: list[dict]) -> list[dict]:
        return [
            {"column": h["column"], "x": h["x"], "y": h["y"], "band": h["band"],
             "label": COLUMN_NAMES.get(h["column"]) or " \u00b7 ".join(self.ctx.class_labels.get(c, c) for c in h["classes"])}
            for h in rows
        ]

    def filters(self, trails: dict[str, list[str]], approaches: list[dict], in_page: set[str]) -> dict:
        """The trail and approach filters redraw their nodes in columns of their own (not for large graphs)."""
        if len(in_page) > LARGE_GRAPH:
            return {}
        views = {key: self.of(members) for key, members in sorted(trails.items())}
        views.update((approach["id"], self.of(approach["nodes"])) for approach in approaches)
        return views

    def of(self, members: Iterable[str]) -> dict:
        """A layout of just these nodes, for a filter that shows only them (small graphs)."""
        part = self.network.subgraph(sorted(members))
        placed, rows, _ = layout(part, self.ctx.classes, self.node_labels, set(part.nodes),
                                 {n: self.positions[n][1] for n in part})
        return {"positions": {n: list(placed[n]) for n in sorted(placed)}, "columns": self.headings(rows)}


def _verdict_rows(ctx: _Context, nodes: list[dict]) -> list[dict]:
    """The legend of a finding's border: each verdict some drawn node has, with its colour."""
    return [
        {"id": key, "label": str(ctx.full.nodes[expand(key)].get("label", key)), "color": colour}
        for key, colour in VERDICT_COLOURS.items()
        if any(n["verdict"] == key for n in nodes)
    ]


def _context(graph: Graph) -> _Context:
    full = to_networkx(graph)
    classes = {node: data.get("class", "") for node, data in full.nodes(data=True)}
    return _Context(graph, full, _labels_of_properties(graph), _class_labels(graph), classes,
                    _class_ancestors(graph, set(classes.values())))


def explorer_data(graph: Graph, **options) -> dict:
    """What the page draws, as plain data (the JSON embedded in the page).

    ``options`` are those of :func:`projection`: ``focus``, ``depth``,
    ``include_classes``, ``exclude_classes`` and ``ledger``.

    Keys: ``nodes`` (id, label, class, position, synonyms, definition, facts,
    sections, sources, identifiers, external links, phases, and for a claim
    its ``ledger``: :func:`ledger_record` of its entry in ``ledger``, the
    claim ledger of ``graph`` unless given), ``edges``
    (from, to, relation, label), ``classes`` (legend and class filter),
    ``sources`` (provenance records by IRI), ``approaches``, ``phases`` and
    ``trails`` (the filters' node sets), ``focus``, ``readable`` (the canvas scale at which the main labels are
    readable, which the page never fits below). Raises
    :class:`~irgraph.errors.UsageError` for an unknown focus term or class.

    >>> from irgraph import load_graph
    >>> data = explorer_data(load_graph(), focus="IL-2", depth=1)
    >>> "https://w3id.org/irgraph/id/il-2" in {n["id"] for n in data["nodes"]}
    True
    >>> sorted({e["label"] for e in data["edges"] if e["relation"] in ("irg:evaluatedIn", "prov:wasDerivedFrom")})
    ['derived from', 'evaluated in']

    A focused page of a graph on Oxigraph reads only the neighbourhood it
    draws (:mod:`irgraph.explorer_neighbourhood`), whatever the store's size.
    """
    return projection(graph, **options).data


@dataclass(frozen=True)
class Projection:
    """What the page draws (:func:`explorer_data`'s dict) and the claim ledger its claims' records came from."""

    data: dict
    ledger: Ledger


def projection(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    include_classes: Iterable[str] = (),
    exclude_classes: Iterable[str] = (),
    ledger: Ledger | None = None,
    whole_graph: bool = False,
) -> Projection:
    """:func:`explorer_data` with the ledger it used.

    A focused page of a graph on Oxigraph is drawn from the small graph of
    :func:`irgraph.explorer_neighbourhood.neighbourhood_graph`, unless
    ``whole_graph`` (the reference the neighbourhood reading is tested
    against); any other page from the projection of the whole graph.
    """
    if depth < 0:
        raise UsageError(f"--depth {depth}: the depth must be 0 or more")
    include, exclude = tuple(include_classes), tuple(exclude_classes)
    if focus is not None and not whole_graph and oxigraph_store(graph) is not None:
        present = present_classes(graph) if include or exclude else {}
        included, excluded = _chosen_classes(set(present), present, include, exclude)
        node = resolve(graph, focus)
        if isinstance(node, URIRef):
            rules = Rules(lambda cls, ancestors: _is_drawn(cls, ancestors, included, excluded),
                          HIDDEN_RELATIONS, NOT_EXPANDED, frozenset(_STATEMENT_CLASSES), frozenset(_TRAIL_CLASSES))
            hood = neighbourhood_graph(graph, str(node), depth, rules, ledger=ledger)
            ctx = _context(hood.graph)
            drawn = {cls for cls in set(ctx.classes.values()) if _is_drawn(cls, ctx.ancestors[cls], included, excluded)}
            return Projection(_draw(ctx, drawn, bool(included), focus, str(node), depth, hood.ledger), hood.ledger)
    ctx = _context(graph)
    drawn, chosen = _selected_classes(set(ctx.classes.values()), ctx.ancestors, include, exclude)
    focus_iri = None if focus is None else str(resolve(graph, focus))
    ledger = claim_ledger(graph) if ledger is None else ledger
    return Projection(_draw(ctx, drawn, chosen, focus, focus_iri, depth, ledger), ledger)


def _draw(ctx: _Context, drawn_classes: set[str], chosen: bool, focus: str | None, focus_iri: str | None, depth: int,
          ledger: Ledger) -> dict:
    """The page's data from the projection ``ctx``: its drawn classes, whether the user chose them, and its focus
    (as the user named it, and its IRI)."""
    network, link_facts, verdicts = _drawn_network(ctx, drawn_classes)
    network = _focused(ctx, network, focus, focus_iri, depth)

    whole = focus_iri is None and not chosen
    off = {cls for cls in drawn_classes if cls in HIDDEN_BY_DEFAULT} if whole else set()
    core = {n for n in network.nodes if ctx.classes[n] not in off}
    ledgers = {e.iri: ledger_record(e) for e in ledger.entries if e.iri in network}
    node_labels = {n: ctx.name(n) + (f"\n{ledgers[n]['badge']}" if n in ledgers else "") for n in network}
    positions, headings, column_of = layout(network, ctx.classes, node_labels, core)
    views = _Views(ctx, network, node_labels, positions)

    nodes = _node_records(ctx, network, link_facts, verdicts, positions, column_of, ledgers)
    edges = [
        {"id": index, "from": u, "to": v, "relation": data["relation"], "label": data["label"],
         "curved": column_of[u] == column_of[v]}
        for index, (u, v, data) in enumerate(sorted(network.edges(data=True), key=lambda e: (e[0], e[2]["relation"], e[1])))
    ]
    used_sources = sorted({s for n in nodes for s in n["sources"]} | {n["id"] for n in nodes if n["class"] == _c(IRG.Source)}
                          | _ledger_sources(ledgers))
    entities = set(ctx.full.nodes)
    sources = {s: _source_record(ctx.graph, ctx.full, s, entities, ctx.labels) for s in used_sources}

    # evidence trails, and approaches (narrower under broader) with the trails of their interventions
    in_page = set(network.nodes)
    interventions = sorted(n for n in ctx.full.nodes if _c(IRG.Intervention) in ctx.ancestors.get(ctx.classes[n], set()))
    trail_of = {node: _trail(ctx.full, node, ctx.classes) for node in interventions}
    trails = {node: [n for n in trail_of[node] if n in in_page] for node in interventions if node in in_page}
    approaches = _approach_rows(ctx, trail_of, in_page)

    filter_views = views.filters(trails, approaches, in_page)

    return {
        "nodes": nodes,
        "edges": edges,
        "classes": _class_rows(ctx, nodes, off),
        "sources": sources,
        "approaches": [a for a in approaches if len(a["nodes"]) > 0],
        "phases": _phase_rows(ctx, nodes),
        "trails": trails,
        "focus": focus_iri,
        "columns": views.headings(headings),
        "views": filter_views,
        "verdicts": _verdict_rows(ctx, nodes),
        "large": len(nodes) > LARGE_GRAPH,
        "readable": round(readable_scale({ctx.classes[n] for n in core}), 4),
        "not_expanded": sorted(NOT_EXPANDED),
    }
