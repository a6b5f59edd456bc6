"""The property-graph projection, GraphML, statistics and explanation paths."""

from __future__ import annotations

import io
import json
import sys

import networkx as nx
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import SKOS

import irgraph
from irgraph.namespaces import compact
from irgraph.network import BOOKKEEPING_CLASSES, BOOKKEEPING_RELATIONS, explain_paths, explanation_view, graph_stats
from irgraph.store import memory_copy

from .conftest import REPO

IR = "https://w3id.org/irgraph/id/"
IRG = "https://w3id.org/irgraph/ontology#"


@pytest.fixture(scope="module")
def plain(graph):
    return memory_copy(graph)


@pytest.fixture(scope="module")
def network(graph):
    return irgraph.to_networkx(graph)


def test_projection_keeps_entities_and_links_and_drops_vocabulary(plain, network):
    vocabulary = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology) for s in plain.subjects(RDF.type, t)}
    typed = set(plain.subjects(RDF.type, None))
    assert set(network) == {str(s) for s in typed - vocabulary}
    for u, v, data in network.edges(data=True):
        assert (URIRef(u), URIRef(data["predicate"]), URIRef(v)) in plain
        assert data["predicate"] != str(RDF.type)
    # every link between two entities is an edge
    links = {(str(s), str(p), str(o)) for s, p, o in plain if p != RDF.type and str(s) in network and str(o) in network}
    assert links == {(u, d["predicate"], v) for u, v, d in network.edges(data=True)}
    assert not any(isinstance(node, Literal) for node in network)


def test_node_attributes_carry_label_class_and_literals(plain, network):
    esprit = network.nodes[IR + "study-esprit"]
    assert esprit["label"] == str(plain.value(URIRef(IR + "study-esprit"), RDFS.label))
    assert esprit["class"] == "irg:ClinicalStudy"
    assert esprit["irg:participants"] == int(plain.value(URIRef(IR + "study-esprit"), URIRef(IRG + "participants")))
    assert network.nodes[IR + "vaccine-il2-combination"]["class"] == "irg:CombinationIntervention"


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(graph, network, plain):
    text = irgraph.to_graphml(graph)
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    by_iri = {data["iri"]: node for node, data in back.nodes(data=True)}
    assert set(by_iri) == set(network)
    for _, data in back.nodes(data=True):
        assert data["label"] == network.nodes[data["iri"]]["label"]
        assert data["class"] == network.nodes[data["iri"]]["class"]
        for value in data.values():
            assert isinstance(value, str | int | float | bool)  # no list-valued attribute survives
    # approach: the labels of the node's approaches, joined when there are several
    for intervention in plain.subjects(URIRef(IRG + "hasApproach"), None):
        labels = sorted(str(plain.value(a, RDFS.label)) for a in plain.objects(intervention, URIRef(IRG + "hasApproach")))
        assert back.nodes[by_iri[str(intervention)]]["approach"] == "; ".join(labels)
    targets = [d for u, v, d in back.edges(data=True) if d["predicate"] == IRG + "targets"]
    assert targets and all(d["label"] == "targets" and d["relation"] == "irg:targets" for d in targets)
    edge_ids = [line for line in text.splitlines() if line.startswith("<edge ")]
    assert len({line.split('id="')[1] for line in edge_ids}) == len(edge_ids)  # unique edge ids


def test_graphml_command_writes_a_file_gephi_and_cytoscape_can_open(invoke, tmp_path):
    out = tmp_path / "irgraph.graphml"
    assert invoke("export", "--format", "graphml", "-o", out).exit_code == 0
    back = nx.read_graphml(out)
    assert back.is_directed() and back.number_of_nodes() > 100
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and 'edgedefault="directed"' in text


# --- statistics ------------------------------------------------------------------------


def test_stats_counts_match_sparql(graph, plain):
    stats = graph_stats(graph, top=5)
    # counted again with rdflib's own SPARQL engine, on a plain copy
    expected_classes = {
        compact(str(row[0])): int(row[1])
        for row in plain.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    }
    assert {r["class"]: r["count"] for r in stats.classes} == expected_classes
    expected_properties = {
        compact(str(row[0])): int(row[1]) for row in plain.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    }
    assert {r["property"]: r["count"] for r in stats.properties} == expected_properties
    assert stats.triples == len(plain)


def test_stats_interventions_by_approach_and_furthest_phase(graph, plain):
    stats = graph_stats(graph)
    interventions = {s for t in (URIRef(IRG + "Intervention"), URIRef(IRG + "CombinationIntervention")) for s in plain.subjects(RDF.type, t)}
    by_approach: dict[str, int] = {}
    for intervention in interventions:
        for approach in plain.objects(intervention, URIRef(IRG + "hasApproach")):
            by_approach[compact(str(approach))] = by_approach.get(compact(str(approach)), 0) + 1
    assert {r["id"]: r["interventions"] for r in stats.interventions_by_approach} == by_approach
    for row in stats.interventions_by_approach:
        assert row["strategy"]  # every approach falls under one of the fact sheet's strategies
    # phases without a notation (not reported, not applicable) count below every phase
    ranks = {p: float(plain.value(p, SKOS.notation, default=-1)) for p in plain.subjects(RDF.type, URIRef(IRG + "TrialPhase"))}
    furthest = {row["id"]: row for row in stats.furthest_phase}
    assert set(furthest) == {compact(str(i)) for i in interventions}
    for intervention in interventions:
        phases = [plain.value(study, URIRef(IRG + "phase")) for study in plain.objects(intervention, URIRef(IRG + "evaluatedIn"))]
        row = furthest[compact(str(intervention))]
        assert row["studies"] == len(phases)
        if phases:
            best = max(phases, key=lambda p: ranks[p])
            assert row["phase"] == str(plain.value(best, RDFS.label))
        else:
            assert row["phase"] is None


def test_stats_centrality_leaves_out_bookkeeping_unless_asked(graph):
    stats = graph_stats(graph, top=5)
    assert len(stats.degree) == len(stats.betweenness) == 5
    assert [r["degree"] for r in stats.degree] == sorted((r["degree"] for r in stats.degree), reverse=True)
    assert not {r["class"] for r in stats.degree + stats.betweenness} & BOOKKEEPING_CLASSES
    everything = graph_stats(graph, top=1, all_links=True)
    # with provenance links a provenance node is the hub: the fact sheet, the source of nearly
    # everything, or the curators, to whom every evidence line and certainty assessment is attributed
    assert everything.degree[0]["id"] in {"ir:source-fact-sheet-immune-restoration-overview", "ir:irgraph-curators"}
    assert sum(everything.components["sizes"]) > sum(stats.components["sizes"])


def test_stats_command_table_and_json(invoke):
    table = invoke("stats", "--top", "3")
    assert table.exit_code == 0
    for heading in ("Instances per class", "Triples per property", "Degree, top 3", "Betweenness centrality",
                    "Connected components", "Interventions by approach", "Furthest trial phase"):
        assert heading in table.output
    data = json.loads(invoke("stats", "--format", "json", "--top", "2").output)
    assert len(data["degree"]) == 2 and data["triples"] > 1000
    assert invoke("stats", "--top", "0").exit_code == 2


# --- paths -----------------------------------------------------------------------------------


def test_path_finds_a_known_link(graph):
    paths = explain_paths(graph, "DermaVir", "HIV-specific T cell")
    assert len(paths) == 1 and len(paths[0].steps) == 1
    step = paths[0].steps[0]
    assert step.node == IR + "hiv-specific-t-cell"
    assert ("targets", "irg:targets", True) in step.relations


def test_paths_are_shortest_and_every_step_is_a_triple_in_the_direction_shown(graph, plain, network):
    paths = explain_paths(graph, "DermaVir", "CD4-positive T cell", limit=10)
    view = explanation_view(network)
    length = nx.shortest_path_length(view, IR + "dermavir", IR + "cd4-t-cell")
    assert paths and all(len(p.steps) == length for p in paths)
    assert paths[-1].steps[-1].node == IR + "cd4-t-cell"
    for path in paths:
        previous = path.start
        for step in path.steps:
            assert step.relations
            for _, relation, forward in step.relations:
                subject, obj = (previous, step.node) if forward else (step.node, previous)
                assert any(compact(str(p)) == relation for p in plain.predicates(URIRef(subject), URIRef(obj)))
                assert relation not in BOOKKEEPING_RELATIONS
            previous = step.node
    assert len({tuple(s.node for s in p.steps) for p in paths}) == len(paths)


def test_path_command_prints_labels_and_directions(invoke):
    result = invoke("path", "DermaVir", "CD4-positive T cell")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "DermaVir (ir:dermavir)"
    assert any("--targets-->" in line for line in lines)
    assert any(line.startswith("  <--") for line in lines)  # a link followed against its direction
    assert "CD4 T cell (ir:cd4-t-cell)" in result.output


def test_path_between_unconnected_entities_exits_1(invoke, data_dir):
    folder = data_dir("island.ttl", 'ir:island-org a irg:Organization ; rdfs:label "Island organisation"@en .\n')
    result = invoke("path", "--data", folder, "DermaVir", "Island organisation")
    assert result.exit_code == 1 and "no path" in result.output


def test_path_to_a_source_needs_all_links(invoke, graph):
    refused = invoke("path", "IL-2", "ir:source-nejm-2009-esprit-silcaat")
    assert refused.exit_code == 2 and "--all-links" in refused.output
    found = explain_paths(graph, "IL-2", "ir:source-nejm-2009-esprit-silcaat", all_links=True)
    assert found and any(r[1] == "prov:wasDerivedFrom" for step in found[0].steps for r in step.relations)


def test_path_with_unknown_or_non_entity_terms_is_a_usage_error(invoke):
    unknown = invoke("path", "DermaVirr", "IL-2")
    assert unknown.exit_code == 2 and "did you mean" in unknown.output and "Traceback" not in unknown.output
    cls = invoke("path", "irg:Intervention", "IL-2")
    assert cls.exit_code == 2 and "not an entity of the network" in cls.output


def test_projection_handles_blank_nodes():
    from irgraph.store import new_graph

    small = new_graph("memory")
    node = BNode("b1")
    small.add((node, RDF.type, URIRef(IRG + "Claim")))
    small.add((URIRef(IR + "x"), RDF.type, URIRef(IRG + "Finding")))
    small.add((URIRef(IR + "x"), URIRef(IRG + "supports"), node))
    network = irgraph.to_networkx(small)
    assert set(network) == {IR + "x", "b1"}
    assert network.number_of_edges() == 1 and network.nodes["b1"]["class"] == "irg:Claim"


# --- the projection without provenance ---------------------------------------------------------

def test_without_provenance_there_is_no_source_and_no_provenance_link(graph):
    network = irgraph.to_networkx(graph, provenance=False)
    assert network.number_of_nodes() > 100
    assert not [n for n, d in network.nodes(data=True) if d["class"] in ("irg:Source", "prov:Derivation")]
    assert not [d for _, _, d in network.edges(data=True) if d["provenance"]]
    assert "https://w3id.org/irgraph/id/irgraph-curators" not in network  # only attributions linked it


def test_the_dermavir_thymus_path_no_longer_runs_through_a_source(graph):
    ends = ("https://w3id.org/irgraph/id/dermavir", "https://w3id.org/irgraph/id/thymus")
    with_sources = irgraph.to_networkx(graph).to_undirected()
    through = nx.shortest_path(with_sources, *ends)
    assert any(with_sources.nodes[n]["class"] == "irg:Source" for n in through)  # the problem this option solves
    network = irgraph.to_networkx(graph, provenance=False).to_undirected()
    path = nx.shortest_path(network, *ends)
    assert not [n for n in path if network.nodes[n]["class"] == "irg:Source"]
    betweenness = nx.betweenness_centrality(nx.Graph(network))
    top = sorted(betweenness, key=lambda n: (-betweenness[n], n))[:3]
    assert not [n for n in top if network.nodes[n]["class"] == "irg:Source"]


def test_graphml_marks_provenance_edges_and_can_leave_them_out(graph):
    back = nx.read_graphml(io.BytesIO(irgraph.to_graphml(graph).encode("utf-8")))
    marks = {d["provenance"] for _, _, d in back.edges(data=True)}
    assert marks == {True, False}
    derived = [d for _, _, d in back.edges(data=True) if d["relation"] == "prov:wasDerivedFrom"]
    assert derived and all(d["provenance"] for d in derived)
    lean = nx.read_graphml(io.BytesIO(irgraph.to_graphml(graph, provenance=False).encode("utf-8")))
    assert not [d for _, _, d in lean.edges(data=True) if d["provenance"]]
    assert not [d for _, d in lean.nodes(data=True) if d["class"] == "irg:Source"]


def test_export_no_provenance_applies_to_graphml_only(invoke, tmp_path):
    out = tmp_path / "lean.graphml"
    assert invoke("export", "--format", "graphml", "--no-provenance", "-o", out).exit_code == 0
    assert "prov:wasDerivedFrom" not in out.read_text(encoding="utf-8")
    refused = invoke("export", "--format", "turtle", "--no-provenance")
    assert refused.exit_code == 2 and "--no-provenance applies to --format graphml" in refused.output


def _as_data(network) -> str:
    return repr((sorted(network.nodes(data=True)), list(network.edges(keys=True, data=True))))


def test_the_projection_read_from_a_store_is_the_one_read_triple_by_triple(tmp_path, plain, network):
    # on Oxigraph to_networkx reads by index lookups and one scan; on rdflib's store triple by triple
    assert _as_data(network) == _as_data(irgraph.to_networkx(plain))
    data = tmp_path / "data"
    data.mkdir()
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    with (data / "synthetic.nt").open("w", encoding="utf-8") as handle:
        generate(20_000, handle)
    irgraph.fill_store(tmp_path / "store", [data])
    persistent = irgraph.load_graph(store=f"oxigraph:{tmp_path / 'store'}")
    assert _as_data(irgraph.to_networkx(persistent)) == _as_data(irgraph.to_networkx(memory_copy(persistent)))
    assert graph_stats(persistent).triples == len(memory_copy(persistent))
