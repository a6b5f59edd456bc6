"""KGX, the Biolink Model's exchange format: a folder of ``nodes.tsv`` and ``edges.tsv`` (or JSON Lines).

KG-Hub, Monarch, ROBOKOP and the NCATS Translator publish and merge graphs as
KGX node and edge files. This writer reads the Biolink alignment declared in
``ontology/irgraph.ttl`` (its "Biolink Model alignment" section says how) and
projects the graph onto it:

* **Nodes** are the research entities: interventions, approaches,
  mechanisms, biological entities, organisations, studies, endpoints,
  findings, claims, facts and thresholds. Each has ``id`` (a CURIE: ``ir:il-2``),
  ``category`` (its ``irg:biolinkCategory``, else for a study its design's,
  else its class's Biolink match), ``name``, ``description``, ``xref`` (its
  CL, UBERON, NCIT, MONDO, NCBITaxon, DrugBank and Wikidata matches and its
  ClinicalTrials.gov record, as Bioregistry CURIEs), ``synonym`` and
  ``provided_by``. Controlled values (phase, effect, verdict, design …)
  become node properties (``clinical_trial_phase`` for the phase, else
  ``irg_`` plus the term's name in snake case, with the value's label), and
  so do literal values (``study_size`` and ``clinical_trial_enrollment`` for
  ``irg:participants``, ``p_value``, ``irg_hazard_ratio``, ``irg_ci_lower`` …).
* **Edges** are the links between those nodes, each with the Biolink
  predicate of its property, ``original_predicate`` (the ``irg:`` property,
  so nothing is lost), ``primary_knowledge_source`` (irgraph's provisional
  infores id), ``supporting_data_source`` (PubMed, PubMed Central,
  ClinicalTrials.gov where the source is one of theirs), ``knowledge_level``
  ``knowledge_assertion`` and ``agent_type`` ``manual_agent`` (manual
  curation), and ``publications`` (the DOIs, PMIDs and PMCIDs of the sources
  of its subject). An edge from a finding to the claim it bears on carries
  its evidence line: ``irg_direction``, ``irg_evidence_strength``,
  ``irg_link_basis``, ``irg_rationale`` and ``has_supporting_studies``.
* **Provenance** (sources, their sections, derivations, attributions) is no
  edge here: it is in those edge properties. Evidence lines, certainty
  assessments and sample sizes are not nodes either: their content is on the
  edges and nodes they describe.

``metadata.json`` beside the two files gives the ``curie_map`` of every
prefix used, the Biolink version the alignment was checked against and
the note that ``infores:irgraph`` is provisional.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .identifiers import IDENTIFIER_PREFIXES, IRGRAPH_INFORES, UPSTREAM_INFORES, curie, curie_map, identifier_curie
from .namespaces import IRG_URI, SCHEMA, compact
from .network import BOOKKEEPING_CLASSES, BOOKKEEPING_RELATIONS, PROVENANCE_RELATIONS, to_networkx
from .vocab import IRG, PROV

BIOLINK = "https://w3id.org/biolink/vocab/"
#: the Biolink Model release the alignment was checked against (tests/test_kgx.py reads the package's own)
BIOLINK_VERSION = "4.4.6"
#: the mappings that name a KGX category (for a class) or predicate (for a property)
CATEGORY_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
#: nodes that are not KGX nodes: their content goes on the nodes and edges they describe
NOT_NODES = BOOKKEEPING_CLASSES | {compact(str(t)) for t in (IRG.EvidenceLine, IRG.CertaintyAssessment, IRG.SampleSize,
                                                              SKOS.ConceptScheme, IRG.Source, PROV.Derivation)}
#: predicates of links that are not irg: properties
OTHER_PREDICATES = {str(SKOS.broader): "biolink:related_to_at_concept_level"}
#: literal values that have a Biolink slot of their own (the ontology's closeMatch); all others are ``irg_…``
LITERAL_SLOTS = {str(IRG.participants): ("study_size",), str(IRG.pValue): ("p_value",)}
#: ResearchPhaseEnum values of the trial phases (their notation); phases without one are not_provided
PHASES = {"1": "clinical_trial_phase_1", "1.5": "clinical_trial_phase_1_to_2", "2": "clinical_trial_phase_2",
          "2.5": "clinical_trial_phase_2_to_3", "3": "clinical_trial_phase_3", "4": "clinical_trial_phase_4"}
NODE_COLUMNS = ("id", "category", "name", "description", "xref", "synonym", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate", "primary_knowledge_source",
                "supporting_data_source", "knowledge_level", "agent_type", "publications")
#: columns whose values are lists (joined with "|" in TSV, as KGX does)
MULTIVALUED = frozenset({"category", "xref", "synonym", "provided_by", "supporting_data_source", "publications",
                         "has_supporting_studies"})
_XREF_PROPERTIES = (SKOS.exactMatch, SKOS.closeMatch, SCHEMA.sameAs, IRG.registryIri)
_SHORTCUTS = {str(IRG.supports), str(IRG.contradicts), str(IRG.qualifies)}


def snake(name: str) -> str:
    """``hazardRatio`` -> ``hazard_ratio``.

    >>> snake("ciLower"), snake("inFactSheet")
    ('ci_lower', 'in_fact_sheet')
    """
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _property_name(iri: str) -> str:
    local = iri[len(IRG_URI):] if iri.startswith(IRG_URI) else re.split(r"[#/]", iri)[-1]
    return "irg_" + snake(local)


@dataclass(frozen=True)
class Alignment:
    """What the ontology says of Biolink: the category of each class, the predicate of each property."""

    categories: dict[str, str]
    predicates: dict[str, str]

    @classmethod
    def of(cls, graph: Graph) -> Alignment:
        categories: dict[str, str] = {}
        predicates: dict[str, str] = {}
        for match in CATEGORY_MATCHES:
            for term, target in graph.subject_objects(match):
                if not (str(term).startswith(IRG_URI) and str(target).startswith(BIOLINK)):
                    continue
                name = "biolink:" + str(target)[len(BIOLINK):]
                if (term, RDF.type, OWL.Class) in graph:
                    categories.setdefault(str(term), name)
                elif (term, RDF.type, OWL.ObjectProperty) in graph:
                    predicates.setdefault(str(term), name)
        return cls(categories, predicates)


def _sources(graph: Graph, node: URIRef) -> set[URIRef]:
    found = {s for s in graph.objects(node, PROV.wasDerivedFrom) if isinstance(s, URIRef)}
    for derivation in graph.objects(node, PROV.qualifiedDerivation):
        found |= {s for s in graph.objects(derivation, PROV.entity) if isinstance(s, URIRef)}
    return found


def _publications(graph: Graph, sources: Iterable[URIRef]) -> tuple[list[str], list[str]]:
    """The identifier CURIEs of ``sources`` and the infores ids of the registries they come from."""
    publications, upstream = set(), set()
    for source in sources:
        for local, prefix in IDENTIFIER_PREFIXES.items():
            for value in graph.objects(source, IRG[local]):
                publications.add(identifier_curie(prefix, str(value)))
                if prefix in UPSTREAM_INFORES:
                    upstream.add(UPSTREAM_INFORES[prefix])
        if any("clinicaltrials.gov" in str(url) for url in graph.objects(source, IRG.url)):
            upstream.add(UPSTREAM_INFORES["clinicaltrials"])
    return sorted(publications), sorted(upstream)


def _category(graph: Graph, alignment: Alignment, node: URIRef, cls: str) -> str:
    own = graph.value(node, IRG.biolinkCategory)
    if own is None:
        design = graph.value(node, IRG.studyDesign)
        own = graph.value(design, IRG.biolinkCategory) if design is not None else None
    if own is not None:
        return curie(str(own))
    return alignment.categories.get(cls, "biolink:NamedThing")


def _add(properties: dict, key: str, value) -> None:
    properties.setdefault(key, [])
    if value not in properties[key]:
        properties[key].append(value)


def _literal_properties(graph: Graph, node: URIRef, properties: dict) -> None:
    skipped = {str(RDFS.label), str(SKOS.definition), str(SKOS.altLabel), str(IRG.sourceSection), str(SKOS.editorialNote),
               str(SKOS.note), str(SKOS.scopeNote)}
    for predicate, value in sorted(graph.predicate_objects(node)):
        if not isinstance(value, Literal) or str(predicate) in skipped or not str(predicate).startswith(IRG_URI):
            continue
        python = value.toPython()
        plain = float(python) if type(python).__name__ == "Decimal" else python
        if not isinstance(plain, bool | int | float | str):
            plain = str(value)
        for key in LITERAL_SLOTS.get(str(predicate), (_property_name(str(predicate)),)):
            _add(properties, key, plain)


def _value_properties(graph: Graph, network, node: str, properties: dict) -> None:
    """Controlled values linked from ``node`` (phase, effect, verdict, design …) as labelled properties."""
    for _, value, data in network.out_edges(node, data=True):
        if network.nodes[value].get("class") not in BOOKKEEPING_CLASSES or data["relation"] in BOOKKEEPING_RELATIONS:
            continue
        if data["predicate"] == str(IRG.phase):
            notation = graph.value(URIRef(value), SKOS.notation)
            _add(properties, "clinical_trial_phase", PHASES.get(str(notation), "not_provided"))
        _add(properties, _property_name(data["predicate"]), str(network.nodes[value]["label"]))


def _node(graph: Graph, network, alignment: Alignment, node: str) -> dict:
    data = network.nodes[node]
    ref = URIRef(node)
    category = _category(graph, alignment, ref, _expand_class(data.get("class", "")))
    row: dict = {"id": curie(node), "category": [category], "name": str(data["label"])}
    definition = graph.value(ref, SKOS.definition)
    if definition is not None:
        row["description"] = " ".join(str(definition).split())
    row["xref"] = sorted({curie(str(x)) for p in _XREF_PROPERTIES for x in graph.objects(ref, p) if isinstance(x, URIRef)})
    row["synonym"] = sorted(str(s) for s in graph.objects(ref, SKOS.altLabel))
    row["provided_by"] = [IRGRAPH_INFORES]
    properties: dict = {}
    _literal_properties(graph, ref, properties)
    _value_properties(graph, network, node, properties)
    if category == "biolink:ClinicalTrial" and "study_size" in properties:
        properties["clinical_trial_enrollment"] = properties["study_size"]
    for key, values in properties.items():
        row[key] = sorted(values, key=str) if key in MULTIVALUED or len(values) > 1 else values[0]
    return row


def _expand_class(name: str) -> str:
    return IRG_URI + name[4:] if name.startswith("irg:") else name


def _evidence(graph: Graph, subject: URIRef, obj: URIRef, predicate: str) -> dict:
    """The edge properties of the evidence line behind a supports / contradicts / qualifies shortcut."""
    direction = {str(IRG.supports): "supports", str(IRG.contradicts): "contradicts", str(IRG.qualifies): "qualifies"}[predicate]
    extra: dict = {"irg_direction": direction}
    for line in sorted(graph.subjects(IRG.evidenceItem, subject), key=str):
        if (line, IRG.bearsOn, obj) not in graph:
            continue
        if str(graph.value(graph.value(line, IRG.direction), RDFS.label) or "") != direction:
            continue
        extra["irg_evidence_line"] = curie(str(line))
        for key, prop in (("irg_evidence_strength", IRG.evidenceStrength), ("irg_link_basis", IRG.linkBasis)):
            label = graph.value(graph.value(line, prop), RDFS.label)
            if label is not None:
                extra[key] = str(label)
        rationale = graph.value(line, IRG.rationale)
        if rationale is not None:
            extra["irg_rationale"] = " ".join(str(rationale).split())
        break
    studies = sorted(curie(str(s)) for s in graph.objects(subject, IRG.fromStudy))
    if studies:
        extra["has_supporting_studies"] = studies
    return extra


def _edge(graph: Graph, alignment: Alignment, subject: str, obj: str, predicate: str) -> dict:
    s, o = URIRef(subject), URIRef(obj)
    publications, upstream = _publications(graph, _sources(graph, s))
    name = alignment.predicates.get(predicate) or OTHER_PREDICATES.get(predicate, "biolink:related_to")
    row = {
        "id": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subject} {predicate} {obj}")),
        "subject": curie(subject), "predicate": name, "object": curie(obj), "original_predicate": curie(predicate),
        "primary_knowledge_source": IRGRAPH_INFORES, "supporting_data_source": upstream,
        "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent", "publications": publications,
    }
    if predicate in _SHORTCUTS:
        row.update(_evidence(graph, s, o, predicate))
    return row


def kgx_graph(graph: Graph) -> tuple[list[dict], list[dict]]:
    """The KGX nodes and edges of ``graph`` as dicts (lists for multivalued fields), sorted by id and triple.

    >>> from irgraph import load_graph
    >>> nodes, edges = kgx_graph(load_graph())
    >>> next(n for n in nodes if n["id"] == "ir:il-2")["category"]
    ['biolink:Drug']
    """
    network = to_networkx(graph, provenance=False)
    alignment = Alignment.of(graph)
    kept = sorted(n for n, data in network.nodes(data=True) if data.get("class") not in NOT_NODES)
    nodes = [_node(graph, network, alignment, n) for n in kept]
    members = set(kept)
    links = sorted({(u, data["predicate"], v) for u, v, data in network.edges(data=True)
                    if u in members and v in members and data["relation"] not in PROVENANCE_RELATIONS | BOOKKEEPING_RELATIONS})
    edges = [_edge(graph, alignment, u, v, p) for u, p, v in links]
    return nodes, edges


def _cell(value) -> str:
    if isinstance(value, list):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).replace("|", "/").split())


def _tsv(rows: list[dict], first: tuple[str, ...]) -> str:
    extra = sorted({key for row in rows for key in row} - set(first))
    columns = [*first, *extra]
    lines = ["\t".join(columns)]
    lines += ["\t".join(_cell(row.get(c, "")) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps({k: v for k, v in row.items() if v not in ([], "")}, ensure_ascii=False, sort_keys=True) + "\n"
                   for row in rows)


def kgx_metadata(nodes: list[dict], edges: list[dict]) -> str:
    """``metadata.json``: the curie_map of every prefix used, the knowledge source, the Biolink version, the licence."""
    used = {n["id"] for n in nodes} | {x for n in nodes for x in n.get("xref", [])} | {c for n in nodes for c in n["category"]}
    used |= {e[k] for e in edges for k in ("predicate", "original_predicate")} | {p for e in edges for p in e["publications"]}
    used |= {IRGRAPH_INFORES} | {s for e in edges for s in e["supporting_data_source"]}
    document = {
        "name": "irgraph: HIV immune restoration knowledge graph",
        "provided_by": IRGRAPH_INFORES,
        "infores_note": "infores:irgraph is provisional: it is not registered with the Biolink information-resource "
                        "registry. infores:pubmed, infores:pubmed-central and infores:clinicaltrials are registered ids.",
        "biolink_version": BIOLINK_VERSION,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "curie_map": curie_map(used),
        "node_count": len(nodes),
        "edge_count": len(edges),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def to_kgx_tsv(graph: Graph) -> dict[str, str]:
    """KGX TSV: ``nodes.tsv``, ``edges.tsv`` and ``metadata.json`` (file name -> text); deterministic.

    Multivalued fields are joined with ``|``, as KGX writes them; tabs,
    newlines and runs of white space in text become one space.

    >>> from irgraph import load_graph
    >>> files = to_kgx_tsv(load_graph())
    >>> files["nodes.tsv"].split("\\n")[0].split("\\t")[:4]
    ['id', 'category', 'name', 'description']
    """
    nodes, edges = kgx_graph(graph)
    return {"nodes.tsv": _tsv(nodes, NODE_COLUMNS), "edges.tsv": _tsv(edges, EDGE_COLUMNS),
            "metadata.json": kgx_metadata(nodes, edges)}


def to_kgx_jsonl(graph: Graph) -> dict[str, str]:
    """KGX JSON Lines: ``nodes.jsonl``, ``edges.jsonl`` (one JSON object a line) and ``metadata.json``.

    >>> from irgraph import load_graph
    >>> import json
    >>> files = to_kgx_jsonl(load_graph())
    >>> sorted(json.loads(files["nodes.jsonl"].splitlines()[0]))[:3]
    ['category', 'description', 'id']
    """
    nodes, edges = kgx_graph(graph)
    return {"nodes.jsonl": _jsonl(nodes), "edges.jsonl": _jsonl(edges), "metadata.json": kgx_metadata(nodes, edges)}


def edges_as_triples(edges: Iterable[dict]) -> set[tuple[str, str, str]]:
    """The (subject, original predicate, object) IRIs of KGX edges: the graph links they came from."""
    from .identifiers import expand

    return {(expand(e["subject"]), expand(e["original_predicate"]), expand(e["object"])) for e in edges}

