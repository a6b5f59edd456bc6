"""`irgraph describe`: everything about one entity."""

from __future__ import annotations

import json

from irgraph.describe import describe


def test_describe_an_intervention(graph):
    d = describe(graph, "IL-2")
    assert d.types == ["irg:Intervention"] and d.label == "IL-2"
    assert set(d.synonyms) == {"interleukin-2", "aldesleukin"}
    out = {(link.property, link.value) for link in d.outgoing}
    assert ("irg:evaluatedIn", "ir:study-esprit") in out and ("irg:hasApproach", "ir:approach-cytokine-therapy") in out
    assert any(link.property_label == "evaluated in" and link.value_label == "ESPRIT" for link in d.outgoing)
    incoming = {(link.value, link.property) for link in d.incoming}
    assert ("ir:finding-esprit-no-clinical-benefit", "irg:aboutIntervention") in incoming
    assert ("ir:vaccine-il2-combination", "irg:hasComponent") in incoming
    refs = {ref.statement.rsplit("/", 1)[1]: ref for ref in d.sources}
    esprit = refs["finding-esprit-no-clinical-benefit"]
    assert esprit.sections == ["Abstract"] and esprit.sources[0].doi == "10.1056/NEJMoa0903175"
    assert "il-2" in refs  # the intervention's own sources


def test_describe_cli_text_and_json(invoke):
    text = invoke("describe", "Immunitin")
    assert text.exit_code == 0
    assert "HE2000  <https://w3id.org/irgraph/id/he2000>" in text.output
    assert "developed by: Hollis-Eden Pharmaceuticals" in text.output
    assert "aidsmap" in text.output
    data = json.loads(invoke("describe", "ir:dermavir", "--format", "json").output)
    assert data["label"] == "DermaVir" and data["iri"] == "https://w3id.org/irgraph/id/dermavir"
    cited = {ref["statement"].rsplit("/", 1)[1]: {s["label"] for s in ref["sources"]} for ref in data["sources"]}
    assert cited["finding-gieu006-safe"] == {"ClinicalTrials.gov record NCT00711230 (DermaVir GIEU006)"}
    assert "Rodriguez B et al., J Acquir Immune Defic Syndr 2013 (DermaVir in ACTG A5176)" in cited["dermavir"]  # its own sources
    assert any(link["property"] == "irg:route" and link["value"] == "ir:route-topical" for link in data["outgoing"])


def test_describe_unknown_term_exits_2(invoke):
    result = invoke("describe", "Dermavirr")
    assert result.exit_code == 2 and "did you mean" in result.output and "Traceback" not in result.output


def test_a_claims_description_starts_with_its_ledger(invoke):
    claim = "ir:claim-il2-cd4-gains-restore-immunity"
    text = invoke("describe", claim).output
    assert text.index("The claim ledger") < text.index("What it says") < text.index("Sources")
    ledger = text.split("The claim ledger", 1)[1].split("What it says", 1)[0]
    assert "status: contradicted by randomised evidence" in ledger and "certainty: high" in ledger
    assert "Contradicting (" in ledger and "source: " in ledger
    data = json.loads(invoke("describe", claim, "--format", "json").output)
    assert list(data)[:6] == ["iri", "label", "types", "synonyms", "definition", "ledger"]
    assert data["ledger"]["status"] == "contradicted by randomised evidence"
    assert data["ledger"]["counts"]["contradicting"] == len(data["ledger"]["evidence"]["contradicts"]) > 0


def test_an_entity_outside_the_ledger_has_none(graph):
    d = describe(graph, "IL-2")
    assert d.ledger is None and "The claim ledger" not in d.to_text()
    assert json.loads(d.to_json())["ledger"] is None
