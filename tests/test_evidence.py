"""Graded evidence: the claim ledger on a fixture with a known answer, the checks that keep
evidence lines honest, and a copy of the data grown by one intervention that still holds."""

from __future__ import annotations

import shutil

import pytest

import irgraph
from irgraph.catalog import catalog
from irgraph.namespaces import compact
from irgraph.query import query
from irgraph.resources import data_dir as bundled_data_dir
from irgraph.store import memory_copy
from irgraph.vocab import IR

from . import data_properties
from .conftest import FIXTURES

#: the claim ledger of tests/fixtures/ledger: supporting, contradicting, qualifying, strongest design, certainty, status
LEDGER = {
    "ir:ledger-untested": (0, 0, 0, None, "no later evidence found", "untested"),
    "ir:ledger-own-argument": (0, 0, 0, None, None, "untested"),
    "ir:ledger-sheet-reason": (0, 0, 0, None, None, "untested"),
    "ir:ledger-rct-contradicted": (1, 1, 0, "randomised controlled trial, blinded", "high",
                                   "contradicted by randomised evidence"),
    "ir:ledger-contested": (1, 1, 0, "randomised controlled trial, blinded", None, "contested"),
    "ir:ledger-contradicted": (0, 1, 0, "cohort", None, "contradicted"),
    "ir:ledger-supported": (1, 0, 1, "cohort", None, "supported"),
    "ir:ledger-qualified": (0, 0, 1, "single-arm, uncontrolled", None, "qualified"),
    # a study given the grouping concept ir:design-randomised (no rank, so no strongest design) is randomised too
    "ir:ledger-grouping-contradicted": (0, 1, 0, None, None, "contradicted by randomised evidence"),
}


def text(value):
    return None if value is None else str(value)


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_claim_ledger_on_a_fixture_with_a_known_answer(store):
    graph = irgraph.load_data([FIXTURES / "ledger"], bundled=False, store=store).graph
    rows = {compact(str(r["claim"])): r for r in query(graph, "claim-ledger").rows}
    got = {claim: (int(r["supporting"]), int(r["contradicting"]), int(r["qualifying"]), text(r.get("designLabel")),
                   text(r.get("certaintyLabel")), str(r["status"]))
           for claim, r in rows.items()}
    assert got == LEDGER


def test_contradicted_claims_on_the_fixture():
    graph = irgraph.load_data([FIXTURES / "ledger"], bundled=False).graph
    pairs = {(compact(str(r["claim"])), compact(str(r["contradiction"]))) for r in query(graph, "contradicted-claims").rows}
    assert pairs == {("ir:ledger-rct-contradicted", "ir:ledger-f-blinded-no"), ("ir:ledger-contested", "ir:ledger-f-blinded-no"),
                     ("ir:ledger-contradicted", "ir:ledger-f-cohort-no"),
                     ("ir:ledger-grouping-contradicted", "ir:ledger-f-grouping-no")}


# --- the checks that keep evidence lines and their neighbours honest ---------------

def check_names(folder) -> set[tuple[str, str]]:
    report = irgraph.validate_graph(irgraph.load_data([folder]))
    return {(p.shape, compact(p.focus)) for p in report.problems if p.kind == "check"}


LINE = (' a irg:EvidenceLine ; rdfs:label "x"@en ; irg:evidenceStrength ir:strength-weak ;'
        ' irg:linkBasis ir:basis-curators-reading ; irg:rationale "A line written only for this test."@en ;'
        ' prov:wasAttributedTo ir:irgraph-curators ; irg:sourceSection "Abstract" ;')
FINDING = (' a irg:Finding ; rdfs:label "x"@en ; skos:definition "A finding written only for this test."@en ;'
           ' irg:aboutIntervention ir:il-2 ; irg:endpoint ir:endpoint-cd4-count ; irg:effect ir:effect-increase ;'
           ' irg:verdict ir:verdict-favourable ; prov:wasDerivedFrom ir:source-jama-2000-remune ; irg:sourceSection "Abstract" .\n')


@pytest.mark.parametrize(
    "body, check, focus",
    [
        # a shortcut without its line
        ("ir:finding-twins-safe irg:supports ir:claim-cell-numbers-can-be-raised .\n",
         "evidence-line-shortcut-violation", "ir:finding-twins-safe"),
        # a line without its shortcut
        ("ir:x-line" + LINE + " irg:evidenceItem ir:finding-twins-safe ; irg:bearsOn ir:claim-cell-numbers-can-be-raised ;"
         " irg:direction ir:direction-supports ; prov:wasDerivedFrom ir:source-br-j-haematol-2007-twins .\n",
         "evidence-line-shortcut-violation", "ir:x-line"),
        # a line derived from a source its evidence item does not name
        ("ir:finding-twins-safe irg:qualifies ir:claim-cell-numbers-can-be-raised .\n"
         "ir:x-line" + LINE + " irg:evidenceItem ir:finding-twins-safe ; irg:bearsOn ir:claim-cell-numbers-can-be-raised ;"
         " irg:direction ir:direction-qualifies ; prov:wasDerivedFrom ir:source-jama-2000-remune .\n",
         "evidence-line-source-violation", "ir:x-line"),
        # an intervention from later evidence marked as being in the fact sheet
        ('ir:x-intervention a irg:Intervention ; rdfs:label "x"@en ; skos:definition "An intervention for this test."@en ;'
         " irg:inFactSheet true ; irg:hasApproach ir:approach-cytokine-therapy ; irg:hasMechanism ir:mechanism-cytokine-signalling ;"
         ' irg:targets ir:cd4-t-cell ; prov:wasDerivedFrom ir:source-jama-2000-remune ; irg:sourceSection "Abstract" .\n',
         "in-fact-sheet-violation", "ir:x-intervention"),
        # a finding that bears on nothing and does not say why
        ("ir:x-finding" + FINDING, "finding-without-evidence-line-violation", "ir:x-finding"),
        # a claim with no later evidence and no sourced statement that none was found
        ('ir:x-claim a irg:Claim ; rdfs:label "x"@en ; skos:definition "A claim for this test."@en ;'
         " irg:certaintyAssessment ir:x-assessment ; prov:wasDerivedFrom ir:source-fact-sheet-immune-restoration-overview ;"
         ' irg:sourceSection "What is immune restoration?" .\n'
         'ir:x-assessment a irg:CertaintyAssessment ; rdfs:label "x"@en ; irg:certaintyLevel ir:grade-low ;'
         ' irg:rationale "An assessment for this test."@en ; irg:restsOn ir:evidence-esprit-cd4-higher-il2-cd4 ;'
         " prov:wasAttributedTo ir:irgraph-curators .\n",
         "claim-without-later-evidence-violation", "ir:x-claim"),
        # a node with two sources, one of them not paired with its section
        ("ir:study-gihu004 prov:wasDerivedFrom ir:source-jaids-2013-dermavir .\n",
         "source-section-pairing-violation", "ir:study-gihu004"),
    ],
    ids=["shortcut-without-line", "line-without-shortcut", "line-source", "in-fact-sheet", "finding-without-line",
         "claim-without-evidence", "section-pairing"],
)
def test_each_evidence_check_catches_its_problem(data_dir, body, check, focus):
    assert (check, focus) in check_names(data_dir("bad.ttl", body))


def test_a_claim_assessed_as_untested_may_not_have_later_lines(data_dir):
    folder = data_dir("bad.ttl", "ir:assessment-cd4-measure irg:certaintyLevel ir:grade-no-later-evidence .\n")
    assert ("claim-without-later-evidence-violation", "ir:claim-cd4-count-measures-immune-function") in check_names(folder)


# --- the graph grows: one more intervention, and everything still holds ------------

@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the bundled data with one more valid intervention (study, finding, evidence line, source)."""
    folder = tmp_path_factory.mktemp("grown") / "data"
    shutil.copytree(bundled_data_dir(), folder, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(FIXTURES / "valid" / "new-intervention.ttl", folder / "zz-new-intervention.ttl")
    return irgraph.load_data([folder], bundled=False)


def test_grown_data_validates_cleanly(grown):
    report = irgraph.validate_graph(grown)
    assert report.conforms and report.problems == [], report.to_text()


@pytest.mark.parametrize("check", data_properties.ALL, ids=lambda f: f.__name__)
def test_grown_data_keeps_every_property(grown, check):
    check(memory_copy(grown.graph))


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_catalog_query_runs_on_the_grown_data(grown, name):
    samples = {"intervention": "Fixture intervention", "entity": "thymus", "node": "FX-1", "term": "irg:Intervention"}
    result = query(grown.graph, name, {p: samples[p] for p, _ in catalog()[name].params})
    if name.endswith("-violation"):
        assert len(result) == 0, name
    else:
        assert len(result) > 0, name


def test_the_new_finding_shows_in_irgraph_claims(grown):
    from irgraph.claims import claim_ledger

    entry = claim_ledger(grown.graph, "ir:claim-cell-numbers-can-be-raised").entries[0]
    (line,) = [x for x in entry.lines_in("supports") if x.item == str(IR["fixture-finding"])]
    assert line.studies[0].to_text([c.source for c in line.sources]) == "Fixture study (randomised controlled trial, blinded; N = 42 randomised)"
    assert line.estimate.to_text() == "MD 50 (95% CI 20 to 80) cells/mm³, fixture intervention minus placebo"


def test_the_new_evidence_line_counts_in_the_ledger(grown):
    bundled = {compact(str(r["claim"])): r for r in query(irgraph.load_graph(), "claim-ledger").rows}
    rows = {compact(str(r["claim"])): r for r in query(grown.graph, "claim-ledger").rows}
    claim = "ir:claim-cell-numbers-can-be-raised"
    assert int(rows[claim]["supporting"]) == int(bundled[claim]["supporting"]) + 1
    assert set(rows) == set(bundled)
    furthest = {compact(str(r["intervention"])): r for r in query(grown.graph, "furthest-phase").rows}
    assert compact(str(furthest["ir:fixture-intervention"]["furthestPhase"])) == "ir:phase-2"
