"""`irgraph claims`: the claim ledger as a library, text, JSON and CSV, on a fixture with a known answer and on the
bundled data (properties, never counts)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import RDF

import irgraph
from irgraph.claims import CSV_COLUMNS, DIRECTIONS, DISCLAIMER, STATUSES, claim_ledger
from irgraph.namespaces import compact
from irgraph.vocab import IR, IRG

from .conftest import FIXTURES
from .test_evidence import LEDGER


@pytest.fixture(scope="module")
def fixture_graph():
    return irgraph.load_data([FIXTURES / "ledger"], bundled=False).graph


@pytest.fixture(scope="module")
def fixture_ledger(fixture_graph):
    return claim_ledger(fixture_graph)


@pytest.fixture(scope="module")
def bundled(graph):
    return claim_ledger(graph)


def test_the_ledger_rows_of_the_fixture(fixture_ledger):
    got = {compact(e.iri): (e.supporting, e.contradicting, e.qualifying, e.strongest_design or None,
                            e.certainty.level if e.certainty else None, e.status) for e in fixture_ledger}
    assert got == LEDGER


def test_the_lines_are_grouped_by_direction_and_agree_with_the_counts(fixture_ledger):
    for entry in fixture_ledger:
        counts = {"supports": entry.supporting, "contradicts": entry.contradicting, "qualifies": entry.qualifying}
        assert {d: len({line.item for line in entry.lines_in(d)}) for d in DIRECTIONS} == counts, entry.iri
    contested = fixture_ledger["ir:ledger-contested"]
    assert [line.item_label for line in contested.lines_in("contradicts")] == ["blinded trial: no"]
    assert [line.item_label for line in contested.lines_in("supports")] == ["open trial: yes"]
    # the finding from two studies counts once, with both studies shown
    (two,) = fixture_ledger["ir:ledger-supported"].lines_in("qualifies")
    assert {s.label for s in two.studies} == {"Pilot", "Cohort"}
    # the sheet's own argument is shown apart and not counted
    own = fixture_ledger["ir:ledger-own-argument"]
    assert own.status == "untested" and [line.later for line in own.lines] == [False]


def test_the_json_shape(fixture_ledger):
    document = json.loads(fixture_ledger.to_json())
    assert document["disclaimer"] == DISCLAIMER and "not medical advice" in document["disclaimer"]
    assert document["statuses"] == list(STATUSES) and document["irgraph"] == irgraph.package_version()
    by_claim = {c["compact"]: c for c in document["claims"]}
    assert set(by_claim) == set(LEDGER)
    entry = by_claim["ir:ledger-rct-contradicted"]
    assert set(entry) == {"iri", "compact", "label", "kind", "text", "sections", "sources", "status", "counts",
                          "strongest_design", "certainty", "evidence", "own_reasons"}
    assert entry["counts"] == {"supporting": 1, "contradicting": 1, "qualifying": 0}
    assert entry["strongest_design"] == {"iri": str(IR["design-rct-blinded"]), "label": "randomised controlled trial, blinded"}
    assert entry["certainty"]["level"] == "high" and entry["certainty"]["level_iri"] == str(IR["grade-high"])
    assert set(entry["evidence"]) == set(DIRECTIONS)
    (line,) = entry["evidence"]["contradicts"]
    assert line["item"] == str(IR["ledger-f-blinded-no"]) and line["later"] is True
    assert line["sources"][0]["label"] == "Ledger paper" and line["sections"] == ["Results"]
    assert line["studies"][0]["design"] == "randomised controlled trial, blinded" and line["studies"][0]["randomised"]
    assert by_claim["ir:ledger-untested"]["strongest_design"] is None
    assert [r["item"] for r in by_claim["ir:ledger-own-argument"]["own_reasons"]] == [str(IR["ledger-sheet-reason"])]


def test_the_csv_has_one_row_per_claim(fixture_ledger):
    rows = list(csv.DictReader(io.StringIO(fixture_ledger.to_csv())))
    assert tuple(rows[0]) == CSV_COLUMNS
    got = {compact(r["iri"]): (int(r["supporting"]), int(r["contradicting"]), int(r["qualifying"]),
                               r["strongest_design"] or None, r["certainty"] or None, r["status"]) for r in rows}
    assert got == LEDGER


def test_the_text_names_each_claim_its_status_and_the_disclaimer(fixture_ledger):
    text = fixture_ledger.to_text()
    assert text.splitlines()[1] == DISCLAIMER
    for entry in fixture_ledger:
        block = text.split(f"{entry.label}  (", 1)[1].split("\n\n", 1)[0]
        assert f"status: {entry.status}" in block
    assert "Contradicting (1)" in text and "blinded trial: no" in text and "source: Ledger paper" in text
    assert "The source's own reasons (not later evidence, not counted) (1)" in text


def test_the_ledger_is_ordered_by_section_then_label(bundled):
    keys = [(e.section.lower(), e.label.lower()) for e in bundled]
    assert keys == sorted(keys)


# --- the command ------------------------------------------------------------------

def test_claims_prints_text_json_and_csv_and_exits_0(invoke, bundled):
    text = invoke("claims")
    assert text.exit_code == 0 and text.output.splitlines()[1] == DISCLAIMER
    assert all(entry.label in text.output for entry in bundled)
    as_json = invoke("claims", "--format", "json")
    assert as_json.exit_code == 0
    assert [c["iri"] for c in json.loads(as_json.output)["claims"]] == [e.iri for e in bundled]
    as_csv = invoke("claims", "--format", "csv")
    assert as_csv.exit_code == 0
    assert [r["iri"] for r in csv.DictReader(io.StringIO(as_csv.output))] == [e.iri for e in bundled]


def test_claims_narrows_to_one_claim_by_any_name(invoke):
    result = invoke("claims", "--claim", "ir:claim-il2-cd4-gains-restore-immunity", "--format", "json")
    assert result.exit_code == 0
    assert [c["compact"] for c in json.loads(result.output)["claims"]] == ["ir:claim-il2-cd4-gains-restore-immunity"]
    by_label = invoke("claims", "--claim", "IL-2's large CD4 increases make the immune system stronger")
    assert by_label.exit_code == 0 and "contradicted by randomised evidence" in by_label.output


@pytest.mark.parametrize("term, message", [("no such claim at all", "nothing in the graph is called"),
                                           ("IL-2", "is not a claim")])
def test_an_unknown_claim_or_an_entity_outside_the_ledger_exits_2(invoke, term, message):
    result = invoke("claims", "--claim", term)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_the_text_cannot_steer_a_terminal(invoke, data_dir):
    folder = data_dir("steer.ttl", 'ir:claim-thymus-stops-by-20 skos:altLabel "x" .\n'
                      'ir:claim-thymus-stops-by-20 skos:definition "Escape \\u001b]0;owned\\u0007 here"@en .\n')
    result = invoke("claims", "--data", folder, "--claim", "ir:claim-thymus-stops-by-20")
    assert result.exit_code == 0 and "\x1b" not in result.output and "\\x1b]0;owned\\x07" in result.output


# --- the bundled data: properties, not counts -------------------------------------

def test_every_claim_appears_with_a_status_and_a_certainty(graph, bundled, invoke):
    claims = {str(c) for c in graph.subjects(RDF.type, IRG.Claim)}
    entries = {e.iri: e for e in bundled}
    assert claims and claims <= set(entries)
    for claim in claims:
        assert entries[claim].status in STATUSES and entries[claim].certainty is not None
    text = invoke("claims").output
    for claim in claims:
        assert f"({entries[claim].kind}, {compact(claim)})" in text


def test_the_il2_claim_is_contradicted_by_randomised_evidence(graph, bundled):
    # the claims about IL-2 alone (one about several ways of raising cell numbers is supported by the others)
    il2_claims = {str(c) for c in graph.subjects(RDF.type, IRG.Claim) if set(graph.objects(c, IRG.aboutIntervention)) == {IR["il-2"]}}
    assert il2_claims
    for entry in bundled:
        if entry.iri in il2_claims:
            assert entry.status == "contradicted by randomised evidence"
            assert any(s.randomised for line in entry.lines_in("contradicts") for s in line.studies)
            assert not any(s.randomised for line in entry.lines_in("supports") for s in line.studies)


def test_counts_match_the_lines_listed_and_every_line_has_its_source(bundled):
    for entry in bundled:
        counts = (entry.supporting, entry.contradicting, entry.qualifying)
        assert tuple(len({line.item for line in entry.lines_in(d)}) for d in DIRECTIONS) == counts, entry.iri
        assert (entry.status == "untested") == (sum(counts) == 0)
        for line in entry.lines:
            assert line.sources and line.sections and line.rationale and line.strength, line.iri


def test_a_statement_rated_down_shows_its_grade_reasons(bundled):
    rated_down = [e for e in bundled if e.certainty and e.certainty.downgraded_for]
    assert rated_down
    for entry in rated_down:
        assert f"certainty: {entry.certainty.level} (rated down for {', '.join(entry.certainty.downgraded_for)})" in entry.to_text()


def test_estimates_are_shown_as_the_source_prints_them(bundled):
    stalwart = next(line for e in bundled for line in e.lines if line.item == str(IR["finding-stalwart-more-events"]))
    assert stalwart.estimate.to_text().startswith("HR 5.84 (CI 0.59 to 43.57, level not stated)")
