"""The bundled data conforms; every shape catches its own violation with a readable message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

import irgraph
from irgraph.namespaces import IRG_URI, compact, expand
from irgraph.resources import ontology_file, shapes_file

from .conftest import FIXTURES, PREFIXES

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))


def header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s*(\w+):\s*(.*)$", line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    return fields


def test_bundled_data_conforms(loaded):
    report = irgraph.validate_graph(loaded)
    assert report.conforms, report.to_text()
    assert report.problems == [], report.to_text()


def test_valid_extension_conforms():
    report = irgraph.validate_graph(irgraph.load_data([FIXTURES / "valid"]))
    assert report.conforms, report.to_text()
    assert report.warnings == []


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_each_shape_catches_its_violation(fixture):
    expected = header(fixture)
    report = irgraph.validate_graph(irgraph.load_data([fixture]))
    focus = expand(expected["focus"])
    matches = [p for p in report.problems if p.shape == expected["shape"] and p.focus == focus]
    assert matches, f"{expected['shape']} did not flag {expected['focus']}:\n{report.to_text()}"
    problem = matches[0]
    if expected.get("path"):
        assert any(p.path == expected["path"] for p in matches), [p.path for p in matches]
    assert problem.severity == expected.get("severity", "error")
    assert problem.files == (f"tests/fixtures/shapes/{fixture.name}",) or fixture.name in problem.files[0]
    assert len(problem.message) > 20 and "Node" not in problem.message[:5]
    text = report.to_text()
    assert expected["focus"].split(":")[1] in text and problem.message in text
    if problem.severity == "error":
        assert not report.conforms


def test_every_hand_written_shape_has_a_failing_fixture():
    shapes = Graph().parse(shapes_file())
    named = {compact(str(s)) for s in shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape"))
             if isinstance(s, URIRef) and "#range-" not in str(s)}
    covered = {header(f)["shape"] for f in SHAPE_FIXTURES}
    assert named - covered == set()


def misuse_graph() -> tuple[str, dict[str, str]]:
    """Turtle that misuses every irg: property twice (bad value, and where a domain is set bad subject),
    with the range shape each misuse must be caught by."""
    ontology = Graph().parse(ontology_file())
    lines = [PREFIXES]
    expected = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(ontology.subjects(RDF.type, kind)):
            local = str(prop)[len(IRG_URI):]
            domain = ontology.value(prop, RDFS.domain)
            subject_type = compact(str(domain)) if domain != RDFS.Resource else "irg:Claim"
            if subject_type == "irg:Statement":
                subject_type = "irg:Claim"
            wrong_value = '"not a node"' if kind == OWL.ObjectProperty else "ir:il-2"
            lines.append(f'ir:fixture-value-{local} a {subject_type} ; rdfs:label "v {local}"@en ; irg:{local} {wrong_value} .')
            expected[f"ir:fixture-value-{local}"] = f"irgs:range-{local}"
            if domain != RDFS.Resource:
                good_value = "ir:il-2" if kind == OWL.ObjectProperty else '"x"'
                lines.append(f'ir:fixture-subject-{local} a irg:Mechanism ; rdfs:label "s {local}"@en ; irg:{local} {good_value} .')
                expected[f"ir:fixture-subject-{local}"] = f"irgs:range-{local}"
    return "\n".join(lines), expected


def test_every_range_shape_catches_a_wrong_value_and_a_wrong_subject(tmp_path):
    """One graph that misuses every irg: property twice: bad value, and (where a domain is set) bad subject."""
    text, expected = misuse_graph()
    assert len(expected) > 60
    path = tmp_path / "misuse.ttl"
    path.write_text(text, encoding="utf-8")
    report = irgraph.validate_graph(irgraph.load_data([path]))
    found = {(compact(p.focus), p.shape) for p in report.problems}
    missing = [(focus, shape) for focus, shape in expected.items() if (focus, shape) not in found]
    assert missing == []
