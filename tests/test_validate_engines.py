"""pyshacl-turbo, the default SHACL engine, gives pySHACL's report: the same results and the same problems.

pySHACL is the reference here. Every shape fixture and a graph that misuses every
irg: property are validated together by both engines, and compared result by
result (focus, path, constraint component, source shape, value, severity,
message) and problem by problem (what ``irgraph validate`` prints).
"""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Literal
from rdflib.namespace import SH, XSD

import irgraph
from irgraph.errors import UsageError
from irgraph.validate import SHACL_ENGINES, _results_graph, shacl_problems

from .conftest import FIXTURES
from .test_shapes import misuse_graph


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The bundled data with every shape fixture and every misused property: each shape fails at least once."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "misuse.ttl").write_text(misuse_graph()[0], encoding="utf-8")
    return irgraph.load_data([FIXTURES / "shapes", folder])


def _plain(term):
    """``"a"^^xsd:string`` as ``"a"`` (one literal in RDF 1.1; rdflib keeps the two apart)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _results(loaded, engine: str) -> list[tuple]:
    report = _results_graph(loaded, engine)
    fields = (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.sourceShape, SH.value, SH.resultSeverity,
              SH.resultMessage)
    rows = []
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            row = tuple(_plain(report.value(result, field)) for field in fields)
            path = row[1]
            if isinstance(path, BNode):  # a path expression: compared by what it says
                path = ("inverse", report.value(path, SH.inversePath))
            rows.append((*row[:1], path, *row[2:]))
    return sorted(rows, key=repr)


def test_both_engines_are_known():
    assert SHACL_ENGINES == ("pyshacl-turbo", "pyshacl")


def test_the_results_are_pyshacls(broken):
    turbo, reference = _results(broken, "pyshacl-turbo"), _results(broken, "pyshacl")
    assert len(reference) > 100
    assert {row[3] for row in turbo} == {row[3] for row in reference}  # the same source shapes, blank nodes included
    assert turbo == reference


def test_the_problems_are_pyshacls(broken):
    turbo, reference = shacl_problems(broken), shacl_problems(broken, engine="pyshacl")
    shapes = {problem.shape for problem in reference}
    assert len(shapes) > 80
    assert sorted(turbo) == sorted(reference)


def test_the_valid_extension_conforms_on_both():
    loaded = irgraph.load_data([FIXTURES / "valid"])
    assert shacl_problems(loaded) == shacl_problems(loaded, engine="pyshacl") == []


def test_a_graph_in_rdflibs_memory_store_is_validated_too():
    loaded = irgraph.load_data([FIXTURES / "shapes" / "claim-no-text.ttl"], store="memory")
    problems = shacl_problems(loaded)
    assert {p.focus.rsplit("/", 1)[1] for p in problems if p.shape == "irgs:ClaimShape"} == {"fixture-claim-no-text"}
    assert sorted(problems) == sorted(shacl_problems(loaded, engine="pyshacl"))


def test_an_unknown_engine_is_a_usage_error(broken):
    with pytest.raises(UsageError, match="pyshacl-turbo"):
        shacl_problems(broken, engine="jena")
