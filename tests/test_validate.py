"""Validation reports every problem with node, property, file and a fix; the CLI maps it to exit codes."""

from __future__ import annotations

import json

import pytest

import irgraph

from .conftest import FIXTURES

NO_LABEL_NO_SOURCE = """
ir:unlabelled a irg:Intervention ;
    irg:hasApproach ir:approach-cytokine-therapy ;
    irg:hasMechanism ir:mechanism-cytokine-signalling ;
    irg:targets ir:cd4-t-cell .
"""


def test_node_without_label_or_source_exits_1_naming_the_node(invoke, data_dir):
    folder = data_dir("unlabelled.ttl", NO_LABEL_NO_SOURCE)
    result = invoke("validate", "--data", folder)
    assert result.exit_code == 1
    assert "https://w3id.org/irgraph/id/unlabelled" in result.output
    assert "needs exactly one rdfs:label" in result.output
    assert "has no source" in result.output
    assert "unlabelled.ttl" in result.output
    assert "Traceback" not in result.output


def test_undeclared_term_is_reported_with_a_suggestion(data_dir):
    folder = data_dir(
        "typo.ttl",
        'ir:il-2 irg:hasAproach ir:approach-cytokine-therapy .\n',
    )
    report = irgraph.validate_graph(irgraph.load_data([folder]))
    typos = [p for p in report.problems if p.kind == "undeclared-term"]
    assert len(typos) == 1
    assert typos[0].value == "irg:hasAproach"
    assert "irg:hasApproach" in typos[0].hint
    assert len(typos[0].files) == 1 and typos[0].files[0].endswith("my-data/typo.ttl")
    assert not report.conforms


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_undeclared_terms_in_every_position_name_each_subject(data_dir, store):
    folder = data_dir(
        "typos.ttl",
        'ir:x a irg:Intervntion ; rdfs:label "x" .\n'
        'ir:y irg:hasAproach ir:approach-cytokine-therapy .\n'
        'ir:z irg:hasAproach ir:approach-cytokine-therapy .\n'
        'irg:madeUp rdfs:label "made up" .\n'
        'ir:w irg:targets ir:nowhere-1 , ir:nowhere-2 .\n',
    )
    report = irgraph.validate_graph(irgraph.load_data([folder], store=store))
    typos = sorted((p.value, p.focus) for p in report.problems if p.kind == "undeclared-term")
    assert typos == [("irg:Intervntion", str(irgraph.expand("ir:x"))),
                     ("irg:hasAproach", str(irgraph.expand("ir:y"))), ("irg:hasAproach", str(irgraph.expand("ir:z"))),
                     ("irg:madeUp", str(irgraph.expand("irg:madeUp")))]
    dangling = sorted((p.value, p.focus) for p in report.problems if p.kind == "undefined-node")
    assert dangling == [("ir:nowhere-1", str(irgraph.expand("ir:w"))), ("ir:nowhere-2", str(irgraph.expand("ir:w")))]


def test_undefined_individual_is_reported(data_dir):
    folder = data_dir("dangling.ttl", "ir:il-2 irg:targets ir:thymos .\n")
    report = irgraph.validate_graph(irgraph.load_data([folder]))
    dangling = [p for p in report.problems if p.kind == "undefined-node"]
    assert [p.value for p in dangling] == ["ir:thymos"]
    assert "ir:thymus" in dangling[0].hint
    assert len(dangling[0].files) == 1 and dangling[0].files[0].endswith("dangling.ttl")


def test_violation_checks_return_nothing_on_bundled_data(graph):
    from irgraph.catalog import violation_checks

    checks = violation_checks()
    assert len(checks) >= 4
    for check in checks:
        assert list(graph.query(check.text)) == [], check.name


def test_violation_checks_catch_what_shacl_cannot(data_dir):
    folder = data_dir(
        "contradictory.ttl",
        "ir:finding-esprit-cd4-higher irg:contradicts ir:finding-il2-large-cd4-increases .\n"
        "ir:finding-twins-safe irg:fromStudy ir:study-esprit .\n",
    )
    report = irgraph.validate_graph(irgraph.load_data([folder]))
    checks = {(p.shape, p.focus.rsplit("/", 1)[1]) for p in report.problems if p.kind == "check"}
    assert ("supports-and-contradicts-violation", "finding-esprit-cd4-higher") in checks
    assert ("finding-study-mismatch-violation", "finding-twins-safe") in checks


def test_json_report_for_machines(invoke, data_dir):
    folder = data_dir("unlabelled.ttl", NO_LABEL_NO_SOURCE)
    result = invoke("validate", "--data", folder, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["errors"] == len([p for p in report["problems"] if p["severity"] == "error"])
    problem = next(p for p in report["problems"] if p["path"] == "rdfs:label")
    assert problem["focus"] == "https://w3id.org/irgraph/id/unlabelled"
    assert problem["files"][0].endswith("unlabelled.ttl")
    assert problem["shape"] == "irgs:LabelShape"


def test_valid_data_exits_0(invoke):
    result = invoke("validate", "--data", FIXTURES / "valid")
    assert result.exit_code == 0, result.output
    assert "valid, 0 errors" in result.output


def test_parse_error_exits_2_without_traceback(invoke, data_dir):
    folder = data_dir("broken.ttl", 'ir:x rdfs:label "open .\n')
    for args in (("validate",), ("build",)):
        result = invoke(*args, "--data", folder)
        assert result.exit_code == 2, args
        assert "broken.ttl:8" in result.output
        assert "Traceback" not in result.output
    assert invoke("validate", "--format", "json", "--data", folder).exit_code == 2
    data = json.loads(invoke("validate", "--data", folder, "--format", "json").stdout)
    assert data["problems"][0]["kind"] == "parse" and data["problems"][0]["line"] == 8


def test_validating_a_memory_store_graph_leaves_it_as_it_was():
    loaded = irgraph.load_data(store="memory")
    before = set(loaded.graph)
    namespaces = set(loaded.graph.namespaces())
    assert irgraph.validate_graph(loaded).conforms
    assert set(loaded.graph) == before and set(loaded.graph.namespaces()) == namespaces
