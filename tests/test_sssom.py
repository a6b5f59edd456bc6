"""The SSSOM export: parsed and validated by the sssom package (offline); every mapping of the graph is a row."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from irgraph.identifiers import curie
from irgraph.mappings import mapping_rows, to_sssom

sssom = pytest.importorskip("sssom", reason="sssom is a test dependency")


@pytest.fixture(scope="module")
def table(graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("sssom") / "irgraph.sssom.tsv"
    path.write_text(to_sssom(graph), encoding="utf-8")
    return path


def test_the_sssom_package_parses_and_validates_it(table):
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    mapping_set = parse_sssom_table(table)
    reports = validate(mapping_set, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports
    assert mapping_set.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert set(mapping_set.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}


def test_every_exact_match_of_the_graph_is_a_row(graph):
    rows = {(r["subject_id"], r["predicate_id"], r["object_id"]) for r in mapping_rows(graph)}
    for subject, obj in graph.subject_objects(SKOS.exactMatch):
        if isinstance(subject, URIRef) and "irgraph" in str(subject):
            assert (curie(str(subject)), "skos:exactMatch", curie(str(obj))) in rows


def test_the_biolink_alignment_and_wikidata_ids_are_rows_with_labels(graph):
    rows = mapping_rows(graph)
    treatment = next(r for r in rows if r["subject_id"] == "irg:Intervention" and r["object_id"] == "biolink:Treatment")
    assert treatment["subject_label"] == "intervention" and treatment["object_label"] == "treatment"
    assert treatment["comment"].startswith("Biolink:")
    assert any(r["object_id"] == "wikidata:Q3519875" and r["predicate_id"] == "schema:sameAs" for r in rows)


def test_cli_writes_the_table(invoke, tmp_path):
    out = tmp_path / "irgraph.sssom.tsv"
    assert invoke("export", "--format", "sssom", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("#curie_map:")
