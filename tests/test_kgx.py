"""KGX export: valid Biolink by an independent checker (bmt, on the schema biolink-model ships), a
hand-checked fixture, a round trip back to the graph's links, and the command line."""

from __future__ import annotations

import csv
import json
from importlib.resources import files

import pytest
from rdflib import OWL, RDF, URIRef
from rdflib.namespace import SKOS

import irgraph
from irgraph.export import export_files
from irgraph.identifiers import expand
from irgraph.kgx import BIOLINK, BIOLINK_VERSION, NOT_NODES, PHASES, edges_as_triples, kgx_graph, to_kgx_jsonl, to_kgx_tsv
from irgraph.namespaces import IRG_URI
from irgraph.network import BOOKKEEPING_RELATIONS, PROVENANCE_RELATIONS, to_networkx

from .conftest import FIXTURES

bmt = pytest.importorskip("bmt", reason="bmt (Biolink Model Toolkit) is a test dependency")


@pytest.fixture(scope="module")
def toolkit():
    """bmt on the schema the biolink-model package ships: nothing is fetched (the predicate map is given empty)."""
    schema = files("biolink_model") / "schema" / "biolink_model.yaml"
    return bmt.Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})


@pytest.fixture(scope="module")
def kgx(graph):
    return kgx_graph(graph)


def _name(curie: str) -> str:
    return curie.split(":", 1)[1]


def test_the_toolkit_reads_the_packaged_model_of_the_version_we_checked(toolkit):
    assert toolkit.get_model_version() == BIOLINK_VERSION


def test_every_category_and_predicate_is_a_biolink_element(toolkit, kgx):
    nodes, edges = kgx
    for category in {c for n in nodes for c in n["category"]}:
        assert toolkit.is_category(_name(category)), category
    for predicate in {e["predicate"] for e in edges}:
        assert toolkit.is_predicate(_name(predicate)), predicate
    for slot in {k for n in nodes for k in n} | {k for e in edges for k in e}:
        assert slot.startswith("irg_") or toolkit.get_element(slot) is not None, slot


def test_every_edge_fits_its_predicates_domain_and_range(toolkit, kgx):
    nodes, edges = kgx
    ancestors = {}
    for node in nodes:
        ancestors[node["id"]] = {a for c in node["category"] for a in toolkit.get_ancestors(_name(c), mixin=True, formatted=True)}
    for edge in edges:
        element = toolkit.get_element(_name(edge["predicate"]))
        for end, expected in (("subject", element.domain), ("object", element.range)):
            if expected:
                wanted = "biolink:" + "".join(w[:1].upper() + w[1:] for w in expected.split())
                assert wanted in ancestors[edge[end]], (edge["original_predicate"], edge[end], wanted)


def test_enumerated_and_fixed_values_are_biolink_values(toolkit, kgx):
    nodes, edges = kgx
    phases = set(toolkit.view.get_enum("ResearchPhaseEnum").permissible_values)
    assert {n["clinical_trial_phase"] for n in nodes if "clinical_trial_phase" in n} <= phases
    assert set(PHASES.values()) | {"not_provided"} <= phases
    assert {e["knowledge_level"] for e in edges} <= set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    assert {e["agent_type"] for e in edges} <= set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)


def test_every_biolink_name_in_the_ontology_is_in_the_model(toolkit, graph):
    for subject, _, obj in graph:
        if isinstance(obj, URIRef) and str(obj).startswith(BIOLINK) and str(subject).startswith(IRG_URI):
            name = str(obj)[len(BIOLINK):]
            assert toolkit.get_element(name) is not None or toolkit.view.get_enum(name) is not None, name


def test_every_irg_term_is_aligned_or_says_why_not(graph):
    matches = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if not str(term).startswith(IRG_URI):
                continue
            aligned = any(str(o).startswith(BIOLINK) for m in matches for o in graph.objects(term, m))
            noted = any(str(n).startswith("Biolink:") for n in graph.objects(term, SKOS.editorialNote))
            assert aligned or noted, f"{term} has no Biolink mapping and no note saying why none fits"


def _rows(text: str) -> set[tuple]:
    return {tuple(sorted(row.items())) for row in csv.DictReader(text.splitlines(), delimiter="\t")}


def test_the_export_of_a_fixture_equals_the_hand_checked_files():
    graph = irgraph.load_data([FIXTURES / "kgx"], bundled=False).graph
    written = to_kgx_tsv(graph)
    for name in ("nodes", "edges"):
        expected = (FIXTURES / "kgx" / f"expected-{name}.tsv").read_text(encoding="utf-8")
        assert _rows(written[f"{name}.tsv"]) == _rows(expected), name


def test_the_edges_mapped_back_are_the_graphs_links(graph, kgx):
    nodes, edges = kgx
    members = {expand(n["id"]) for n in nodes}
    network = to_networkx(graph)
    links = {(u, d["predicate"], v) for u, v, d in network.edges(data=True)
             if u in members and v in members and d["relation"] not in PROVENANCE_RELATIONS | BOOKKEEPING_RELATIONS}
    assert edges_as_triples(edges) == links
    classes = {network.nodes[n]["class"] for n in members}
    assert not classes & NOT_NODES and "irg:Source" not in classes


def test_edges_carry_their_knowledge_source_publications_and_evidence(kgx):
    _, edges = kgx
    assert {e["primary_knowledge_source"] for e in edges} == {"infores:irgraph"}
    esprit = [e for e in edges if e["subject"] == "ir:finding-esprit-no-clinical-benefit" and e["original_predicate"] == "irg:contradicts"]
    assert esprit and "pubmed:19828532" in esprit[0]["publications"] and "doi:10.1056/NEJMoa0903175" in esprit[0]["publications"]
    assert esprit[0]["irg_direction"] == "contradicts" and esprit[0]["irg_evidence_strength"] == "strong"
    assert "ir:study-esprit" in esprit[0]["has_supporting_studies"] and "infores:pubmed" in esprit[0]["supporting_data_source"]


def test_nodes_carry_categories_xrefs_and_trial_properties(kgx):
    nodes, _ = kgx
    by_id = {n["id"]: n for n in nodes}
    assert by_id["ir:thymus"]["category"] == ["biolink:GrossAnatomicalStructure"]
    assert "UBERON:0002370" in by_id["ir:thymus"]["xref"] and "wikidata:Q163987" in by_id["ir:thymus"]["xref"]
    assert by_id["ir:thymus-transplant"]["category"] == ["biolink:Procedure"]
    esprit = by_id["ir:study-esprit"]
    assert esprit["category"] == ["biolink:ClinicalTrial"] and esprit["clinical_trial_phase"] == "clinical_trial_phase_3"
    assert esprit["clinical_trial_enrollment"] == 4111 and "clinicaltrials:NCT00004978" in esprit["xref"]


def test_json_lines_hold_the_same_rows(graph):
    jsonl = to_kgx_jsonl(graph)
    nodes = [json.loads(line) for line in jsonl["nodes.jsonl"].splitlines()]
    assert len(nodes) == len(to_kgx_tsv(graph)["nodes.tsv"].splitlines()) - 1
    assert all(isinstance(n["category"], list) for n in nodes)
    metadata = json.loads(jsonl["metadata.json"])
    assert "provisional" in metadata["infores_note"] and metadata["curie_map"]["ir"] == "https://w3id.org/irgraph/id/"


def test_cli_writes_the_folder_and_refuses_standard_output(invoke, tmp_path, loaded):
    out = tmp_path / "kgx"
    result = invoke("export", "--format", "kgx", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.tsv", "metadata.json", "nodes.tsv"]
    assert (out / "nodes.tsv").read_text(encoding="utf-8") == export_files(loaded, "kgx")["nodes.tsv"]
    refused = invoke("export", "--format", "kgx")
    assert refused.exit_code == 2 and "-o FOLDER" in refused.output and "Traceback" not in refused.output
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mine.txt").write_text("keep", encoding="utf-8")
    assert invoke("export", "--format", "kgx-jsonl", "-o", tmp_path / "other").exit_code == 2
    assert (tmp_path / "other" / "mine.txt").read_text(encoding="utf-8") == "keep"
