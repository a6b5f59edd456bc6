"""Exports that other tools accept: JSON-LD (compact, framed), Turtle, N-Triples, N-Quads.

Every export is read back by a parser other than the writer (rdflib, pyoxigraph,
pyld) and compared with the source graph as a graph, never as text.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import irgraph
from irgraph.errors import LoadError
from irgraph.export import (
    CONTEXT_IRI,
    GRAPH_BASE,
    bundled_context,
    export_graph,
    frame_jsonld,
    refuse_remote_documents,
    to_jsonld,
    to_nquads,
    to_ntriples,
    to_turtle,
)
from irgraph.load import input_files, parse_file
from irgraph.resources import data_dir
from irgraph.store import memory_copy, new_graph, oxigraph_store

from .conftest import REPO

IR = "https://w3id.org/irgraph/id/"
IRG = "https://w3id.org/irgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def ox_set(triples) -> set:
    """Triples as a set of pyoxigraph triples with canonical blank nodes: exact lexical forms kept."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in dataset}


def graph_triples(graph) -> list:
    from irgraph.store import ox_triples

    return ox_triples(graph)


def with_bundled_context(document: dict) -> dict:
    """What a consumer does with --context file: use ontology/context.jsonld for the context IRI."""
    document = dict(document)
    if document.get("@context") == CONTEXT_IRI:
        document["@context"] = json.loads((REPO / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    return document


def pyld_graph(document: dict) -> Graph:
    """The RDF that pyld, an independent JSON-LD processor, reads from ``document`` (no fetching)."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse_remote_documents})
    graph = Graph()
    graph.parse(data=nquads, format="nt")
    return graph


# --- JSON-LD ---------------------------------------------------------------------


@pytest.mark.parametrize("context", ["embed", "file", "none"])
def test_jsonld_round_trips_through_rdflib(graph, context):
    document = json.loads(to_jsonld(graph, context=context))
    parsed = Graph().parse(data=json.dumps(with_bundled_context(document)), format="json-ld")
    assert isomorphic(parsed, memory_copy(graph))


@pytest.mark.parametrize("context", ["embed", "file", "none"])
def test_pyld_reads_the_same_graph(graph, context, no_network):
    document = json.loads(to_jsonld(graph, context=context))
    assert isomorphic(pyld_graph(document), memory_copy(graph))
    assert no_network == []


def test_jsonld_is_compact_with_the_project_context(graph):
    document = json.loads(to_jsonld(graph))
    assert document["@context"] == bundled_context()
    context = bundled_context()
    terms = {k for k, v in context.items() if isinstance(v, dict)}
    nodes = {node["@id"]: node for node in document["@graph"]}
    # every individual is named by its compact ir: name
    ir_subjects = {str(s) for s in memory_copy(graph).subjects() if str(s).startswith(IR)}
    assert {"ir:" + s[len(IR):] for s in ir_subjects} <= set(nodes)
    # properties of the vocabulary are written as context terms, never as IRIs
    for node in document["@graph"]:
        for key in node:
            assert not key.startswith(("http://", "https://")), key
            assert key.startswith("@") or key in terms or ":" in key, key
    plain = memory_copy(graph)
    for subject, predicate, value in plain:
        if not isinstance(value, Literal) or not str(subject).startswith(IR):
            continue
        term = next((k for k in terms if context[k]["@id"] == "irg:" + str(predicate)[len(IRG):]), None)
        if term is None:
            continue
        written = nodes["ir:" + str(subject)[len(IR):]][term]
        written = written if isinstance(written, list) else [written]
        if value.datatype == URIRef(XSD + "integer"):
            assert int(value) in written and all(not isinstance(w, str) for w in written if w == int(value))
        if value.datatype == URIRef(XSD + "decimal") and context[term].get("@type") == "xsd:decimal":
            assert str(value) in written  # exact digits, as a string the context types


def test_jsonld_numbers_keep_their_exact_lexical_form():
    graph = new_graph()
    subject = ox.NamedNode(IR + "x")
    literals = {
        "participants": ox.Literal("4111", datatype=ox.NamedNode(XSD + "integer")),
        "maxValue": ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal")),
        "hazardRatio": ox.Literal("0.94", datatype=ox.NamedNode(XSD + "decimal")),
        "minValue": ox.Literal("12345678901234567890", datatype=ox.NamedNode(XSD + "integer")),
        "numericValue": ox.Literal("1.5E3", datatype=ox.NamedNode(XSD + "double")),
        "comparator": ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    }
    oxigraph_store(graph).extend(ox.Quad(subject, ox.NamedNode(IRG + k), v) for k, v in literals.items())
    stored = {t.predicate.value[len(IRG):]: t.object.value for t in graph_triples(graph)}
    node = json.loads(to_jsonld(graph))["@graph"][0]
    assert node["participants"] == 4111  # an integer is a JSON number
    assert node["comparator"] is True
    # a decimal keeps its digits: a string where the context types it, else a value object
    assert node["hazardRatio"] == stored["hazardRatio"]
    assert node["maxValue"] == {"@value": stored["maxValue"], "@type": "xsd:decimal"}
    # integers a JavaScript number cannot hold exactly, and doubles, stay strings
    assert node["minValue"] == {"@value": "12345678901234567890", "@type": "xsd:integer"}
    assert node["numericValue"] == {"@value": stored["numericValue"], "@type": "xsd:double"}
    back = ox.parse(to_jsonld(graph).encode(), format=ox.RdfFormat.JSON_LD)
    assert ox_set(back) == ox_set(graph_triples(graph))


def test_jsonld_names_no_context_to_fetch_unless_asked(graph):
    for mode in ("embed", "none"):
        text = to_jsonld(graph, context=mode)
        document = json.loads(text)
        assert not isinstance(document.get("@context"), str | list)
    assert json.loads(to_jsonld(graph, context="file"))["@context"] == CONTEXT_IRI


def test_jsonld_export_is_deterministic(graph):
    assert to_jsonld(graph) == to_jsonld(graph)
    assert to_jsonld(graph, frame="interventions") == to_jsonld(graph, frame="interventions")


# --- framing -----------------------------------------------------------------------


def test_frame_gives_one_object_per_intervention_with_studies_findings_sources(graph, no_network):
    framed = frame_jsonld(graph, "interventions")
    plain = memory_copy(graph)
    interventions = {
        str(s)
        for cls in (URIRef(IRG + "Intervention"), URIRef(IRG + "CombinationIntervention"))
        for s in plain.subjects(RDF.type, cls)
    }
    ids = [node["@id"] for node in framed["@graph"]]
    assert sorted(ids) == sorted("ir:" + i[len(IR):] for i in interventions)
    assert len(ids) == len(set(ids))

    def as_list(value):
        return value if isinstance(value, list) else [] if value is None else [value]

    for node in framed["@graph"]:
        iri = URIRef(IR + node["@id"][3:])
        studies = {IR + s["@id"][3:] for s in as_list(node.get("evaluatedIn"))}
        assert studies == {str(o) for o in plain.objects(iri, URIRef(IRG + "evaluatedIn"))}
        findings = {IR + f["@id"][3:] for f in as_list(node.get("findings"))}
        assert findings == {str(s) for s in plain.subjects(URIRef(IRG + "aboutIntervention"), iri)}
        for study in as_list(node.get("evaluatedIn")):
            assert study["label"] and "phase" in study and study["phase"]["label"]
        for source in as_list(node.get("wasDerivedFrom")):
            assert source["label"]  # embedded, not a bare reference
    assert no_network == []


def test_framed_document_states_only_true_triples(graph):
    framed = frame_jsonld(graph, "interventions")
    read = pyld_graph(framed)
    plain = memory_copy(graph)
    assert len(read) > 500
    missing = [t for t in read if t not in plain]
    assert missing == []


def test_frame_with_context_file_names_the_bundled_context(graph):
    framed = frame_jsonld(graph, "interventions", context="file")
    assert framed["@context"][0] == CONTEXT_IRI
    assert isinstance(framed["@context"][1], dict) and "findings" in framed["@context"][1]
    assert len(pyld_graph(framed)) > 500


def test_frame_needs_a_context(invoke):
    result = invoke("export", "--frame", "interventions", "--context", "none")
    assert result.exit_code == 2
    assert "framing needs the context" in result.output and "Traceback" not in result.output


# --- Turtle, N-Triples, N-Quads -----------------------------------------------------


def test_turtle_and_ntriples_round_trip(graph):
    plain = memory_copy(graph)
    assert isomorphic(Graph().parse(data=to_turtle(graph), format="turtle"), plain)
    assert isomorphic(Graph().parse(data=to_ntriples(graph), format="nt"), plain)


def test_ntriples_are_sorted_by_subject_and_deterministic(graph):
    lines = to_ntriples(graph).splitlines()
    subjects = [line.split(" ", 1)[0].strip("<>") for line in lines]  # all IRIs here: no blank nodes
    assert subjects == sorted(subjects)
    assert to_ntriples(graph) == to_ntriples(memory_copy(graph))


def test_nquads_put_each_triple_in_the_graph_of_its_file(graph, tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix ir: <https://w3id.org/irgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ir:study-esprit rdfs:label "ESPRIT"@en .\n'
    )
    text = to_nquads(input_files([mine]))
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    by_graph: dict[str, set] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name.value, set()).add(ox.Triple(quad.subject, quad.predicate, quad.object))
    studies = {ox.Triple(q.subject, q.predicate, q.object) for q in parse_file(data_dir() / "studies.ttl")}
    assert by_graph[GRAPH_BASE + "data/studies.ttl"] == studies
    assert GRAPH_BASE + "ontology/irgraph.ttl" in by_graph
    # a triple stated in two files is in both graphs
    label = ox.Triple(ox.NamedNode(IR + "study-esprit"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("ESPRIT", language="en"))
    assert label in by_graph[mine.resolve().as_uri()] and label in by_graph[GRAPH_BASE + "data/studies.ttl"]
    # the union of the graphs is every triple of every file, as written (0.70 stays 0.70)
    union = {t for triples in by_graph.values() for t in triples}
    files = input_files([mine])
    assert union == {ox.Triple(q.subject, q.predicate, q.object) for path in files for q in parse_file(path)}
    assert len(by_graph) == len(files)
    assert text == to_nquads(input_files([mine]))


# --- property-based round trip ---------------------------------------------------------

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-éßж中", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-") and not s.endswith("-")
)
_iris = st.one_of(
    _names.map(lambda s: ox.NamedNode(IR + s)),
    _names.map(lambda s: ox.NamedNode("http://example.org/" + s)),
    st.sampled_from([ox.NamedNode(IRG + "Finding"), ox.NamedNode(IR + "phase-3")]),
)
_blank_nodes = st.sampled_from([ox.BlankNode(f"b{i}") for i in range(4)])
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_literals = st.one_of(
    _text.map(ox.Literal),
    st.tuples(_text, st.sampled_from(["en", "fr", "de-ch", "zh-hant"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers(min_value=-(10**25), max_value=10**25).map(lambda i: ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))),
    st.sampled_from(["007", "+5", "-0"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "integer"))),
    st.sampled_from(["ten", "1e"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "integer"))),  # ill-typed
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))),
    st.sampled_from(["true", "false", "1"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "boolean"))),
    st.sampled_from(["1.5E3", "INF", "-0.0"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "double"))),
    st.sampled_from(["2000", "1999"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "gYear"))),
    _text.map(lambda v: ox.Literal(v, datatype=ox.NamedNode("http://example.org/datatype"))),
)
#: properties with and without coercion in the context, and outside it
_predicates = st.sampled_from(
    [
        ox.NamedNode(IRG + name)
        for name in ("phase", "hazardRatio", "participants", "numericValue", "sourceSection", "startYear", "targets")
    ]
    + [
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://example.org/p"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation"),
    ]
)
_triples = st.lists(
    st.tuples(st.one_of(_iris, _blank_nodes), _predicates, st.one_of(_iris, _blank_nodes, _literals)).map(
        lambda t: ox.Triple(*t)
    ),
    min_size=1,
    max_size=12,
)


def double_by_value(triple: ox.Triple) -> ox.Triple:
    obj = triple.object
    if isinstance(obj, ox.Literal) and obj.datatype.value == XSD + "double":
        with contextlib.suppress(ValueError):
            obj = ox.Literal(repr(float(obj.value.replace("INF", "inf"))), datatype=obj.datatype)
    return ox.Triple(triple.subject, triple.predicate, obj)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_triples)
def test_random_graphs_survive_every_export(triples):
    graph = new_graph()
    oxigraph_store(graph).extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    # what the store holds (Oxigraph writes numbers in canonical form: "007" is stored as "7")
    expected = ox_set(graph_triples(graph))
    exports = {
        "turtle": (to_turtle(graph), ox.RdfFormat.TURTLE),
        "nt": (to_ntriples(graph), ox.RdfFormat.N_TRIPLES),
        "jsonld": (to_jsonld(graph), ox.RdfFormat.JSON_LD),
        "jsonld-none": (to_jsonld(graph, context="none"), ox.RdfFormat.JSON_LD),
    }
    for name, (text, fmt) in exports.items():
        assert ox_set(ox.parse(text.encode("utf-8"), format=fmt)) == expected, name
    # pyld, independently, reads the compact JSON-LD as the same graph; it rewrites the lexical
    # form of every xsd:double, even one given as a string (the spec says only JSON numbers),
    # so doubles are compared by value there
    nquads = jsonld.to_rdf(json.loads(exports["jsonld"][0]), {"format": "application/n-quads", "documentLoader": refuse_remote_documents})
    read = ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    assert ox_set(map(double_by_value, read)) == ox_set(map(double_by_value, graph_triples(graph)))
    # and irgraph re-imports its own JSON-LD unchanged
    back = new_graph()
    oxigraph_store(back).extend(ox.parse(exports["jsonld"][0].encode("utf-8"), format=ox.RdfFormat.JSON_LD))
    assert to_jsonld(back) == exports["jsonld"][0]


# --- JSON-LD given to irgraph ------------------------------------------------------------


def write_jsonld(tmp_path, document) -> Path:
    path = tmp_path / "input.jsonld"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "context",
    [
        {"@import": "https://example.org/context.jsonld"},
        {"@import": "file:///etc/passwd"},
        {"term": {"@id": "http://example.org/term", "@context": "http://127.0.0.1:9/scoped.jsonld"}},
    ],
)
def test_imported_and_scoped_remote_contexts_are_refused(tmp_path, no_network, context):
    path = write_jsonld(tmp_path, {"@context": context, "@id": "http://example.org/x"})
    with pytest.raises(LoadError, match="refused JSON-LD context") as caught:
        irgraph.load_data([path])
    assert "input.jsonld" in str(caught.value)
    assert no_network == []


def test_importing_the_bundled_context_is_allowed(tmp_path, no_network):
    path = write_jsonld(
        tmp_path,
        {"@context": {"@import": CONTEXT_IRI}, "@id": "ir:from-import", "@type": "Mechanism", "label": "imported"},
    )
    graph = memory_copy(irgraph.load_graph([path]))
    assert (URIRef(IR + "from-import"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("imported", lang="en")) in graph
    assert no_network == []


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"@id": "ir:bad slug", "label": "x"}, "invalid IRI <https://w3id.org/irgraph/id/bad slug> in the @id of a node"),
        ({"@id": "ir:x", "targets": "ir:cd4 cell"}, "invalid IRI <https://w3id.org/irgraph/id/cd4 cell> in a value"),
        ({"@id": "ir:x", "lable": "typo"}, "unknown property 'lable'"),
        ({"@id": "ir:x", "@type": "Clam"}, "'Clam' in the @type of a node was read as a relative IRI"),
        ({"@id": "ir:x", "label": {"@value": "x", "@language": "e n"}}, "invalid language tag"),
    ],
)
def test_jsonld_that_would_lose_or_misread_statements_is_refused(tmp_path, invoke, node, expected):
    document = {"@context": CONTEXT_IRI, "@graph": [{"@id": "ir:fine", "label": "fine"}, node]}
    path = write_jsonld(tmp_path, document)
    with pytest.raises(LoadError) as caught:
        irgraph.load_data([path])
    message = str(caught.value)
    assert expected in message
    assert "input.jsonld:" in message  # the file and the line where it stands
    problem = caught.value.report.problems[0]
    text_lines = path.read_text().splitlines()
    assert problem.line is not None and any(key in text_lines[problem.line - 1] for key in ("bad slug", "cd4 cell", "lable", "Clam", "e n"))
    result = invoke("validate", "--data", path)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_jsonld_without_a_context_is_not_read_as_strange_iris(tmp_path):
    path = write_jsonld(tmp_path, {"@id": "ir:x", "http://www.w3.org/2000/01/rdf-schema#label": "x"})
    with pytest.raises(LoadError, match="does not define the prefix 'ir'"):
        irgraph.load_data([path])


# --- the export command -------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_to_stdout_and_to_file_agree(invoke, tmp_path, graph, fmt, parser):
    result = invoke("export", "--format", fmt)
    assert result.exit_code == 0
    out = tmp_path / f"graph.{fmt}"
    written = invoke("export", "--format", fmt, "-o", out)
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8") == result.stdout
    assert isomorphic(Graph().parse(data=result.stdout, format=parser), memory_copy(graph))


def test_export_with_data_includes_it(invoke, data_dir):
    folder = data_dir("extra.ttl", 'ir:extra-mechanism a irg:Mechanism ; rdfs:label "Extra mechanism"@en .\n')
    result = invoke("export", "--format", "nt", "--data", folder)
    assert "<https://w3id.org/irgraph/id/extra-mechanism>" in result.stdout


def test_export_options_that_do_not_apply_are_usage_errors(invoke):
    result = invoke("export", "--format", "turtle", "--frame", "interventions")
    assert result.exit_code == 2 and "apply to --format jsonld only" in result.output


def test_export_of_unparsable_data_writes_nothing(invoke, tmp_path, data_dir):
    out = tmp_path / "out.ttl"
    out.write_text("previous\n")
    folder = data_dir("broken.ttl", 'ir:x rdfs:label "unterminated .\n')
    result = invoke("export", "--format", "turtle", "-o", out, "--data", folder)
    assert result.exit_code == 2 and "broken.ttl:8" in result.output and "Traceback" not in result.output
    assert out.read_text() == "previous\n"


def test_interrupted_export_leaves_the_previous_file(invoke, tmp_path, monkeypatch):
    out = tmp_path / "graph.jsonld"
    assert invoke("export", "-o", out).exit_code == 0
    before = out.read_bytes()
    import irgraph.writes as writes

    def interrupted(fd):
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(writes.os, "fsync", interrupted)
    result = invoke("export", "--format", "turtle", "-o", out)
    assert result.exit_code == 130 and result.output == "irgraph: interrupted\n"
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["graph.jsonld"]


def test_export_killed_before_the_rename_leaves_the_previous_file(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("previous export\n")
    # the process dies (SIGKILL: no clean-up at all) with the new file written but not yet in place
    script = textwrap.dedent(
        f"""
        import os, signal
        import irgraph.writes as writes
        writes.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        from irgraph.cli import main
        main(["export", "--format", "turtle", "-o", {str(out)!r}])
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert process.wait() == -signal.SIGKILL
    assert out.read_text() == "previous export\n"
    leftovers = [p for p in tmp_path.iterdir() if p.name != "graph.ttl"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(f".graph.ttl.{process.pid}.")  # the unfinished temporary
    # the next export to the same file removes what the killed process left
    subprocess.run([sys.executable, "-m", "irgraph", "export", "--format", "nt", "-o", str(out)], check=True, capture_output=True)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_exports_are_identical_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        script = (
            "import hashlib, irgraph; g = irgraph.load_graph(); "
            "print(hashlib.sha256((irgraph.to_jsonld(g) + irgraph.to_jsonld(g, frame='interventions') + "
            "irgraph.to_graphml(g) + irgraph.to_void(g)).encode()).hexdigest())"
        )
        outputs.append(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout)
    assert outputs[0] == outputs[1]


def test_export_graph_covers_every_format():
    for fmt in ("jsonld", "turtle", "nt", "rdfxml", "nq", "graphml"):
        assert export_graph(fmt)
    with pytest.raises(irgraph.UsageError, match="unknown export format"):
        export_graph("trix")


# --- the dataset description (VoID / DCAT) ---------------------------------------------------


def test_void_description_counts_match_the_graph(graph):
    from rdflib import Namespace
    from rdflib.namespace import DCAT, DCTERMS, OWL

    from irgraph.describe_dataset import DATASET_IRI

    void = Namespace("http://rdfs.org/ns/void#")
    described = Graph().parse(data=irgraph.to_void(graph, ["irgraph.ttl"]), format="turtle")
    plain = memory_copy(graph)
    assert int(described.value(DATASET_IRI, void.triples)) == len(plain)
    entities = {s for s in plain.subjects() if str(s).startswith(IR)}
    assert int(described.value(DATASET_IRI, void.entities)) == len(entities)
    assert int(described.value(DATASET_IRI, void.classes)) == len(set(plain.objects(None, RDF.type)))
    ontology = URIRef("https://w3id.org/irgraph/ontology")
    assert described.value(DATASET_IRI, OWL.versionInfo) == plain.value(ontology, OWL.versionInfo)
    assert described.value(DATASET_IRI, DCTERMS.license) == plain.value(ontology, DCTERMS.license)
    sources = set(described.objects(DATASET_IRI, DCTERMS.source))
    assert sources == set(plain.subjects(RDF.type, URIRef(IRG + "Source")))
    partitions = {
        described.value(p, void["class"]): int(described.value(p, void.entities))
        for p in described.objects(DATASET_IRI, void.classPartition)
    }
    for cls, count in partitions.items():
        assert count == len(set(plain.subjects(RDF.type, cls)))
    vocabularies = {str(v) for v in described.objects(DATASET_IRI, void.vocabulary)}
    assert {IRG, "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    distribution = described.value(DATASET_IRI, DCAT.distribution)
    assert str(described.value(distribution, DCAT.mediaType)).endswith("text/turtle")


def test_build_writes_the_void_description(tmp_path):
    result = irgraph.run_build(tmp_path)
    assert tmp_path / "void.ttl" in result.files
    described = Graph().parse(tmp_path / "void.ttl", format="turtle")
    titles = {str(o) for o in described.objects(None, URIRef("http://purl.org/dc/terms/title"))}
    assert {"irgraph.ttl", "irgraph.jsonld", "irgraph.html"} <= titles


def test_changelog_names_the_current_release():
    version = str(memory_copy(irgraph.load_graph()).value(URIRef("https://w3id.org/irgraph/ontology"), URIRef("http://www.w3.org/2002/07/owl#versionInfo")))
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {version}" in changelog
    readme = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    section = readme.split("## Citing a release", 1)[1].split("\n## ", 1)[0]
    assert "owl:versionInfo" in section and "CHANGELOG.md" in section and "irgraph diff" in section

