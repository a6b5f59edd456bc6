"""`irgraph diff`: triples added and removed by subject, summaries per class, blank nodes compared canonically."""

from __future__ import annotations

import json
import shutil

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

import irgraph
from irgraph.resources import data_dir as bundled_data_dir

CS = Namespace("http://purl.org/vocab/changeset/schema#")
IR = "https://w3id.org/irgraph/id/"
ESPRIT_PHASE = "    irg:phase ir:phase-3 ;\n    irg:participants 4111 ;"

NEW_FINDINGS = """
ir:finding-new-one a irg:Finding ;
    rdfs:label "A new finding"@en ;
    irg:aboutIntervention ir:il-2 .

ir:finding-new-two a irg:Finding ;
    rdfs:label "Another new finding"@en ;
    irg:aboutIntervention ir:il-2 .
"""


@pytest.fixture
def versions(tmp_path):
    """Two copies of the bundled data: ``old`` and ``new`` (to be edited by the test)."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(bundled_data_dir(), old, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(bundled_data_dir(), new, ignore=shutil.ignore_patterns("*.md"))
    return old, new


def change_esprit_phase(folder):
    studies = folder / "studies.ttl"
    text = studies.read_text(encoding="utf-8")
    assert ESPRIT_PHASE in text
    studies.write_text(text.replace(ESPRIT_PHASE, ESPRIT_PHASE.replace("phase-3", "phase-2")), encoding="utf-8")


def test_identical_graphs_exit_0_with_no_output(invoke, versions):
    old, new = versions
    result = invoke("diff", old, new)
    assert result.exit_code == 0
    assert result.output.splitlines() == []
    assert invoke("diff", "--format", "turtle", old, new).output == ""
    assert json.loads(invoke("diff", "--format", "json", old, new).output)["equal"] is True


def test_a_changed_phase_is_one_removal_and_one_addition_under_the_study(invoke, versions):
    old, new = versions
    change_esprit_phase(new)
    result = invoke("diff", old, new)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "1 clinical study's phase changed"
    block = lines[lines.index("ESPRIT (ir:study-esprit), clinical study: changed"):]
    assert block[1:] == ["  - phase: Phase III (ir:phase-3)", "  + phase: Phase II (ir:phase-2)"]
    data = json.loads(invoke("diff", "--format", "json", old, new).output)
    assert (data["removed"], data["added"]) == (1, 1)
    [subject] = data["subjects"]
    assert subject["label"] == "ESPRIT" and subject["properties"] == ["irg:phase"]
    assert subject["removed"][0]["object"]["id"] == "ir:phase-3" and subject["added"][0]["object"]["id"] == "ir:phase-2"


def test_summary_counts_subjects_per_class(versions):
    old, new = versions
    change_esprit_phase(new)
    findings = new / "findings-later-evidence.ttl"
    findings.write_text(findings.read_text(encoding="utf-8") + NEW_FINDINGS, encoding="utf-8")
    result = irgraph.diff_graphs(old, new)
    assert result.summary() == ["2 findings added", "1 clinical study's phase changed"]
    assert [c.status for c in result.changes] == ["added", "added", "changed"]
    assert result.added == 7 and result.removed == 1


def test_removed_subjects_are_reported_as_removed(versions):
    old, new = versions
    findings = old / "findings-later-evidence.ttl"
    findings.write_text(findings.read_text(encoding="utf-8") + NEW_FINDINGS, encoding="utf-8")
    result = irgraph.diff_graphs(old, new)
    assert result.summary() == ["2 findings removed"]


BLANK_A = """@prefix ex: <http://example.org/> .
ex:s ex:p _:x1 . _:x1 ex:q "one" ; ex:r _:x2 . _:x2 ex:q "two" .
ex:t ex:p [ ex:q "three" ] .
ex:u ex:v 1 .
"""


def test_graphs_differing_only_in_blank_node_labels_are_equal(invoke, tmp_path):
    (tmp_path / "a.ttl").write_text(BLANK_A)
    (tmp_path / "b.ttl").write_text(BLANK_A.replace("_:x1", "_:other").replace("_:x2", "_:more"))
    result = invoke("diff", tmp_path / "a.ttl", tmp_path / "b.ttl")
    assert result.exit_code == 0 and result.output == ""


def test_unchanged_blank_nodes_are_not_reported_when_others_change(tmp_path):
    (tmp_path / "a.ttl").write_text(BLANK_A)
    (tmp_path / "c.ttl").write_text(
        BLANK_A.replace("_:x1", "_:y").replace("ex:u ex:v 1", "ex:u ex:v 2") + 'ex:w ex:v [ ex:q "four" ] .\n'
    )
    result = irgraph.diff_graphs(tmp_path / "a.ttl", tmp_path / "c.ttl")
    assert result.removed == 1 and result.added == 3
    changed_objects = {str(o) for c in result.changes for _, o in c.removed + c.added}
    assert not {'"one"', '"two"', '"three"'} & changed_objects


def test_the_same_graph_in_other_formats_is_equal(invoke, tmp_path, graph):
    (tmp_path / "graph.nt").write_text(irgraph.to_ntriples(graph), encoding="utf-8")
    (tmp_path / "graph.jsonld").write_text(irgraph.to_jsonld(graph), encoding="utf-8")
    result = invoke("diff", tmp_path / "graph.nt", tmp_path / "graph.jsonld")
    assert result.exit_code == 0 and result.output == ""


def test_turtle_diff_is_a_changeset_other_tools_can_load(invoke, versions):
    old, new = versions
    change_esprit_phase(new)
    text = invoke("diff", "--format", "turtle", old, new).output
    changes = Graph().parse(data=text, format="turtle")
    [changeset] = list(changes.subjects(RDF.type, CS.ChangeSet))
    assert changes.value(changeset, CS.subjectOfChange) == URIRef(IR + "study-esprit")
    removal = changes.value(changeset, CS.removal)
    addition = changes.value(changeset, CS.addition)
    assert changes.value(removal, RDF.object) == URIRef(IR + "phase-3")
    assert changes.value(addition, RDF.object) == URIRef(IR + "phase-2")
    assert changes.value(addition, RDF.predicate) == URIRef("https://w3id.org/irgraph/ontology#phase")


def test_missing_or_broken_input_is_an_error_without_traceback(invoke, tmp_path, versions):
    old, _ = versions
    missing = invoke("diff", old, tmp_path / "nowhere")
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ir: <https://w3id.org/irgraph/id/> .\nir:x ir:y "open .\n')
    result = invoke("diff", old, broken)
    assert result.exit_code == 2 and "broken.ttl:2" in result.output and "Traceback" not in result.output
