"""The SPARQL layer: catalog answers, safety, parameters, formats, errors, engines."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import threading
from decimal import Decimal

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser

import irgraph
from irgraph.catalog import catalog
from irgraph.errors import QueryError, QueryTimeout, UsageError
from irgraph.namespaces import compact
from irgraph.query import check_query, query


def names(result, variable):
    return {compact(str(row[variable])) for row in result.rows if variable in row}


# --- each research question, exact answers on the bundled data ---------------

def test_every_intervention_with_approach_mechanisms_targets(graph):
    result = query(graph, "interventions")
    assert names(result, "intervention") >= {
        "ir:early-art", "ir:art-immune-self-repair", "ir:thymus-transplant", "ir:thymic-hormones",
        "ir:cell-expansion", "ir:cell-transfer", "ir:il-2", "ir:gene-therapy", "ir:remune", "ir:dermavir",
        "ir:therapeutic-hiv-vaccine", "ir:vaccine-il2-combination", "ir:he2000",
    }
    rows = {compact(str(r["intervention"])): r for r in result.rows}
    assert str(rows["ir:il-2"]["approaches"]) == "cytokine therapy"
    assert str(rows["ir:il-2"]["strategies"]) == "restoring the number of immune cells"
    assert set(str(rows["ir:gene-therapy"]["targets"]).split(" | ")) == {"bone marrow", "bone-marrow precursor cell", "CD4 T cell"}
    assert all(str(r["mechanisms"]) for r in result.rows)


@pytest.mark.parametrize(
    "entity, expected",
    [
        ("thymus", {"ir:thymus-transplant", "ir:thymic-hormones", "ir:art-immune-self-repair"}),
        ("CD8 T cell", {"ir:cell-expansion", "ir:cell-transfer"}),
        ("bone marrow", {"ir:gene-therapy"}),
    ],
)
def test_interventions_acting_on_an_entity(graph, entity, expected):
    assert names(query(graph, "interventions-targeting", {"entity": entity}), "intervention") >= expected


def test_targeting_a_broader_entity_includes_narrower_targets(graph):
    result = query(graph, "interventions-targeting", {"entity": "T cell"})
    assert {"ir:remune", "ir:dermavir", "ir:il-2", "ir:cell-transfer"} <= names(result, "intervention")
    assert "ir:thymic-hormones" not in names(result, "intervention")


def test_interventions_using_another_persons_cells(graph):
    result = query(graph, "donor-cell-interventions")
    pairs = {(compact(str(r["intervention"])), compact(str(r["donor"]))) for r in result.rows}
    assert pairs >= {
        ("ir:cell-transfer", "ir:donor-twin"),
        ("ir:cell-transfer", "ir:donor-hiv-negative-relative"),
        ("ir:thymus-transplant", "ir:donor-human"),
    }


def test_studies_by_intervention(graph):
    result = query(graph, "studies-by-intervention", {"intervention": "DermaVir"})
    assert names(result, "study") == {
        "ir:study-gihu004", "ir:study-actg-a5176", "ir:study-gieu006", "ir:study-phpc-02",
        "ir:study-dermavir-fact-sheet-phase-1-2",
    }
    esprit = next(r for r in query(graph, "studies-by-intervention", {"intervention": "IL-2"}).rows
                  if compact(str(r["study"])) == "ir:study-esprit")
    assert (str(esprit["phaseLabel"]), str(esprit["registryId"]), int(esprit["participants"])) == ("Phase III", "NCT00004978", 4111)
    assert str(esprit["sponsorLabel"]) == "National Institute of Allergy and Infectious Diseases"
    all_rows = query(graph, "studies-by-intervention")
    assert len(names(all_rows, "study")) >= 22


def test_furthest_phase(graph):
    result = query(graph, "furthest-phase")
    phases = {compact(str(r["intervention"])): compact(str(r["furthestPhase"])) if "furthestPhase" in r else None for r in result.rows}
    assert phases["ir:il-2"] == "ir:phase-3"
    assert phases["ir:remune"] == "ir:phase-3"
    assert phases["ir:dermavir"] == "ir:phase-2"
    assert phases["ir:he2000"] == "ir:phase-2"
    assert phases["ir:thymopentin"] == "ir:phase-not-reported"
    assert phases["ir:cell-expansion"] is None
    assert len(phases) >= 13


def test_findings_for_one_intervention(graph):
    result = query(graph, "findings-for-intervention", {"intervention": "ir:il-2"})
    assert names(result, "finding") >= {
        "ir:finding-il2-large-cd4-increases", "ir:finding-esprit-cd4-higher", "ir:finding-silcaat-cd4-higher",
        "ir:finding-esprit-no-clinical-benefit", "ir:finding-silcaat-no-clinical-benefit",
        "ir:finding-esprit-more-grade-4-events", "ir:finding-stalwart-cd4-higher", "ir:finding-stalwart-more-events",
    }
    clinical = next(r for r in result.rows if compact(str(r["finding"])) == "ir:finding-esprit-no-clinical-benefit")
    assert str(clinical["endpointKind"]) == "clinical endpoint"
    assert (str(clinical["effect"]), str(clinical["verdict"])) == ("no difference", "unfavourable")
    assert str(clinical["studyLabel"]) == "ESPRIT" and str(clinical["sections"]) == "Abstract"
    assert compact(str(clinical["source"])) == "ir:source-nejm-2009-esprit-silcaat"


def test_cd4_rise_without_clinical_benefit(graph):
    result = query(graph, "cd4-rise-without-clinical-benefit")
    assert names(result, "intervention") >= {"ir:il-2", "ir:cell-transfer", "ir:he2000", "ir:art-immune-self-repair"}
    il2 = next(r for r in result.rows if compact(str(r["intervention"])) == "ir:il-2")
    assert int(il2["clinicalFindings"]) == 3


def test_contradicted_claims(graph):
    result = query(graph, "contradicted-claims")
    pairs = {(compact(str(r["claim"])), compact(str(r["contradiction"]))) for r in result.rows}
    assert ("ir:claim-il2-cd4-gains-restore-immunity", "ir:finding-esprit-no-clinical-benefit") in pairs
    assert ("ir:claim-il2-cd4-gains-restore-immunity", "ir:finding-silcaat-no-clinical-benefit") in pairs
    assert ("ir:claim-cd4-rise-means-restoration", "ir:finding-stalwart-more-events") in pairs
    # contradictions from the claim's own source are not "later evidence"
    assert ("ir:claim-cd4-rise-means-restoration", "ir:claim-new-cd4-cells-are-copies") not in pairs
    assert ("ir:claim-thymus-stops-by-20", "ir:fact-thymus-works-until-about-50") not in pairs
    assert names(result, "claim") >= {"ir:claim-il2-cd4-gains-restore-immunity", "ir:claim-cd4-rise-means-restoration",
                                      "ir:claim-cd4-count-measures-immune-function", "ir:finding-vaccine-il2-immune-control"}
    assert len(result.rows) >= 6


def test_therapeutic_vaccines(graph):
    assert names(query(graph, "therapeutic-vaccines"), "intervention") == {
        "ir:remune", "ir:dermavir", "ir:therapeutic-hiv-vaccine", "ir:vaccine-il2-combination"}


def test_claim_evidence(graph):
    rows = {compact(str(r["claim"])): r for r in query(graph, "claim-evidence").rows}
    debate = rows["ir:claim-cd4-rise-means-restoration"]
    assert int(debate["supporting"]) >= 2 and int(debate["contradicting"]) >= 4
    assert len(rows) >= 10


# --- the catalog itself ------------------------------------------------------

def test_every_query_file_parses_and_has_title_and_description():
    assert len(catalog()) >= 15
    for saved in catalog().values():
        assert saved.title and saved.description, saved.name
        check_query(saved.text)
        body = "\n".join(line for line in saved.text.splitlines() if not line.startswith("#"))
        body = re.sub(r"<[^>]*>|\"[^\"]*\"", "", body)
        used = set(re.findall(r"(?<![\w?$])([a-z][a-z0-9]*):[A-Za-z]", body)) - {"http", "https"}
        declared = set(re.findall(r"PREFIX\s+([a-z][a-z0-9]*):", saved.text))
        assert used <= declared, f"{saved.name} uses undeclared prefixes {sorted(used - declared)}"


def test_list_shows_every_query(invoke):
    result = invoke("query", "--list")
    assert result.exit_code == 0
    for saved in catalog().values():
        assert saved.name in result.output and saved.title in result.output


@pytest.mark.parametrize("name", sorted(n for n in catalog()))
def test_both_engines_give_the_same_answers(graph, name):
    memory = irgraph.load_graph(store="memory")
    saved = catalog()[name]
    samples = {"intervention": "IL-2", "entity": "thymus", "node": "DermaVir", "term": "irg:Intervention"}
    params = {p: samples[p] for p, _ in saved.params}
    fast = query(graph, name, params)
    reference = query(memory, name, params)
    assert fast.variables == reference.variables
    assert sorted(map(sorted_items, fast.rows)) == sorted(map(sorted_items, reference.rows))


def sorted_items(row):
    """A row in comparable form; GROUP_CONCAT lists compare as sets (SPARQL leaves their order open), and
    decimals by value (Oxigraph writes each in its shortest form, 0.1 for the 0.100 rdflib keeps)."""
    def norm(term):
        if isinstance(term, Literal) and term.datatype == XSD.decimal:
            return f"{Decimal(str(term)).normalize()}^^xsd:decimal"
        text = term.n3()
        return " | ".join(sorted(str(term).split(" | "))) if " | " in str(term) else text
    return tuple(sorted((k, norm(v)) for k, v in row.items()))


# --- safety ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM and FROM NAMED are refused"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "updates"),
        ("INSERT DATA { ir:a ir:b ir:c }", "updates"),
        ("DELETE WHERE { ?s ?p ?o }", "updates"),
        ("CLEAR ALL", "updates"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "codepoint escapes"),
    ],
)
def test_reaching_out_or_writing_is_refused(graph, no_network, text, message):
    before = len(graph)
    with pytest.raises(QueryError, match=message):
        query(graph, text)
    assert len(graph) == before
    assert no_network == []


def test_parameter_with_quotes_and_braces_is_a_literal(graph):
    attack = 'IL-2" } UNION { ?s ?p ?o } #'
    text = "SELECT ?name ?x WHERE { ?x rdfs:label ?l FILTER(STR(?l) = ?name) }"
    assert query(graph, text, {"name": attack}).rows == []
    assert [compact(str(r["x"])) for r in query(graph, text, {"name": "IL-2"}).rows] == ["ir:il-2"]
    with pytest.raises(UsageError, match="nothing in the graph is called"):
        query(graph, "findings-for-intervention", {"intervention": attack})


def test_parameter_by_label_synonym_or_iri(graph):
    by_label = query(graph, "findings-for-intervention", {"intervention": "HE2000"})
    by_synonym = query(graph, "findings-for-intervention", {"intervention": "Immunitin"})
    by_iri = query(graph, "findings-for-intervention", {"intervention": "https://w3id.org/irgraph/id/he2000"})
    assert by_label.rows == by_synonym.rows == by_iri.rows and len(by_label.rows) == 3


def test_unknown_parameter_is_refused(graph):
    with pytest.raises(UsageError, match="has no parameter 'drug'; its parameters: intervention"):
        query(graph, "findings-for-intervention", {"drug": "IL-2"})


def test_ambiguous_label_lists_candidates(invoke):
    result = invoke("query", "--name", "interventions-targeting", "--param", "entity=mixed")
    assert result.exit_code == 2
    assert "ir:effect-mixed" in result.output and "ir:verdict-mixed" in result.output


# --- output formats ----------------------------------------------------------

def test_json_is_w3c_results_and_parses_back(invoke):
    result = invoke("query", "--name", "therapeutic-vaccines", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"head", "results"} and data["head"]["vars"] == ["intervention", "label", "developerLabel", "routeLabel"]
    assert {b["intervention"]["type"] for b in data["results"]["bindings"]} == {"uri"}
    parsed = JSONResultParser().parse(io.StringIO(result.stdout))
    assert len(parsed.bindings) == 4
    assert URIRef("https://w3id.org/irgraph/id/dermavir") in {b[next(iter(b))] for b in parsed.bindings}


def test_csv_and_tsv_parse_with_the_csv_module(invoke):
    out = invoke("query", "--name", "therapeutic-vaccines", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["intervention"] for r in rows} >= {"https://w3id.org/irgraph/id/remune"}
    assert next(r for r in rows if r["label"] == "DermaVir")["routeLabel"] == "applied to the skin"
    out = invoke("query", "--name", "therapeutic-vaccines", "--format", "tsv").stdout
    rows = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?intervention", "?label", "?developerLabel", "?routeLabel"]
    assert ["<https://w3id.org/irgraph/id/dermavir>", '"DermaVir"@en', '"Genetic Immunity"@en', '"applied to the skin"@en'] in rows


def test_table_uses_compact_names(invoke):
    out = invoke("query", "--name", "therapeutic-vaccines").stdout
    assert "ir:dermavir" in out and "https://w3id.org" not in out and "(4 rows)" in out


def test_markdown_table(invoke):
    out = invoke("query", "--name", "therapeutic-vaccines", "--format", "md").stdout
    assert out.splitlines()[0] == "| intervention | label | developerLabel | routeLabel |"
    assert len(out.splitlines()) == 6


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_output_parses_as_rdf(invoke, fmt, parse_as):
    text = "CONSTRUCT { ?i rdfs:label ?l } WHERE { ?i a irg:Intervention ; rdfs:label ?l }"
    out = invoke("query", text, "--format", fmt).stdout
    graph = Graph().parse(data=out, format=parse_as)
    assert len(graph) >= 12
    assert (URIRef("https://w3id.org/irgraph/id/he2000"), None, Literal("HE2000", lang="en")) in graph


def test_ask_prints_and_exits(invoke):
    yes = invoke("query", "ASK { ir:he2000 skos:altLabel 'Immunitin'@en }")
    no = invoke("query", "ASK { ir:he2000 skos:altLabel 'Zidovudine'@en }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_query_from_file_and_stdin(invoke, runner, tmp_path):
    from irgraph.cli import main

    path = tmp_path / "q.rq"
    path.write_text("SELECT ?l WHERE { ir:dermavir rdfs:label ?l }")
    assert "DermaVir" in invoke("query", "-f", path).stdout
    result = runner.invoke(main, ["query", "-f", "-", "--format", "csv"], input="SELECT ?l WHERE { ir:he2000 rdfs:label ?l }")
    assert list(csv.reader(io.StringIO(result.stdout))) == [["l"], ["HE2000"]]


def test_own_prefixes_still_work(invoke):
    text = "PREFIX x: <https://w3id.org/irgraph/id/> SELECT ?l WHERE { x:il-2 rdfs:label ?l }"
    assert "IL-2" in invoke("query", text).stdout


# --- errors ------------------------------------------------------------------

def test_syntax_error_shows_line_column_and_text(invoke):
    result = invoke("query", "SELECT ?x WHERE {\n  ?x rdfs:label ?l .\n  ?x irg:targets\n}")
    assert result.exit_code == 2
    assert "line 4, column 1" in result.output
    assert "Traceback" not in result.output


def test_unknown_catalog_name_lists_the_names(invoke):
    result = invoke("query", "--name", "contradicted-claim")
    assert result.exit_code == 2
    assert "contradicted-claims" in result.output and "therapeutic-vaccines" in result.output


#: Never finishes on the bundled data (billions of rows), but streams: a waiting
#: thread stops at its next row once the limit has passed, so nothing lingers.
ENDLESS_STREAM = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Never finishes and gives no row before it does: only ever run where the query is killed.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_exits_3(invoke):
    result = invoke("query", "--timeout", "0.3", ENDLESS_STREAM)
    assert result.exit_code == 3
    assert "ran longer than 0.3 s and was stopped" in result.output and "raise --timeout" in result.output


def test_timeout_in_the_library_stops_waiting_and_the_abandoned_query_stops_at_its_next_row(graph):
    with pytest.raises(QueryTimeout, match="ends in the background") as timed_out:
        query(graph, ENDLESS_STREAM, timeout=0.3)
    assert timed_out.value.abandoned
    # the thread was left behind, but an answer that streams ends at its next row: it is gone soon after
    for thread in [t for t in threading.enumerate() if t.name == "irgraph-query"]:
        thread.join(60)
        assert not thread.is_alive()
    assert len(query(graph, "interventions", timeout=5).rows) > 0


def test_isolated_timeout_kills_the_query(graph):
    with pytest.raises(QueryTimeout, match="it was stopped") as timed_out:
        query(graph, ENDLESS, timeout=0.5, isolate=True)
    assert not timed_out.value.abandoned
    assert len(query(graph, "interventions", timeout=5, isolate=True).rows) > 0


@pytest.mark.parametrize("isolate", [False, True], ids=["thread", "child"])
def test_every_way_of_running_gives_the_same_answer(graph, isolate):
    """In-process, in a waiting thread and in a child process (answer sent back as bytes) agree."""
    for name in ("interventions", "construct-void-sources", "findings-for-intervention"):
        params = {"intervention": "IL-2"} if name == "findings-for-intervention" else {}
        direct = query(graph, name, params, timeout=None)
        limited = query(graph, name, params, timeout=10, isolate=isolate)
        assert direct.variables == limited.variables
        assert direct.rows == limited.rows
        assert sorted(direct.triples) == sorted(limited.triples)
        assert len(direct) > 0


def test_blank_nodes_and_typed_literals_survive_the_child(data_dir):
    folder = data_dir("x.ttl", (
        "<http://example.org/x> rdfs:label 'x'@en , 'plain' ; <http://example.org/p> [ rdfs:label 'b' ] ;\n"
        "  <http://example.org/rank> 3 ; <http://example.org/score> 0.5 ; <http://example.org/on> '2001-02-03'^^xsd:date .\n"
    ))
    graph = irgraph.load_data([folder], bundled=False).graph
    text = "SELECT ?o ?l WHERE { ?s ?p ?o OPTIONAL { ?o rdfs:label ?l } } ORDER BY STR(?o)"
    direct = query(graph, text, timeout=None).rows
    assert {"Literal", "BNode"} <= {type(row["o"]).__name__ for row in direct}
    assert {str(row["o"].datatype) for row in direct if isinstance(row["o"], Literal) and row["o"].datatype} >= {
        "http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#decimal"}
    assert query(graph, text, timeout=10, isolate=True).rows == direct


def test_a_failing_evaluation_is_reported_from_the_thread(graph, monkeypatch):

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importlib.import_module("irgraph.query"), "_oxigraph_result", broken)
    with pytest.raises(QueryError, match="the query failed: RuntimeError: disk on fire"):
        query(graph, "ASK {}", timeout=5)


def test_query_needs_exactly_one_source(invoke):
    assert invoke("query").exit_code == 2
    assert invoke("query", "ASK {}", "--name", "interventions").exit_code == 2


def test_results_as_dicts_and_dataframe(graph):
    result = query(graph, "studies-by-intervention", {"intervention": "IL-2"})
    rows = result.as_dicts()
    esprit = next(r for r in rows if r["studyLabel"] == "ESPRIT")
    assert esprit["participants"] == 4111 and esprit["registryId"] == "NCT00004978"
    pytest.importorskip("pandas", reason="pandas is optional")
    frame = result.to_dataframe()
    assert list(frame.columns) == result.variables and len(frame) == len(rows)


def _query_in(connection, graph, isolate):
    try:
        connection.send(len(query(graph, "interventions", timeout=10, isolate=isolate).rows))
    except BaseException as error:
        connection.send(f"{type(error).__name__}: {error}")


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_time_limits_work_inside_a_daemonic_process(store):
    """A Pool worker cannot have children: the time limit falls back to a waiting thread."""
    import multiprocessing

    graph = irgraph.load_data(store=store).graph
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_query_in, args=(sender, graph, True), daemon=True)
    worker.start()
    try:
        assert receiver.poll(60)
        assert receiver.recv() >= 13
    finally:
        worker.join(5)


@pytest.fixture
def triple_term_graph():
    """A graph holding a triple term: data files with one are refused, but a store filled by other means may hold one."""
    import pyoxigraph as ox

    from irgraph.store import new_graph, oxigraph_store

    graph = new_graph("oxigraph")
    ex = "http://example.org/"
    statement = ox.Triple(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "c"))
    oxigraph_store(graph).add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "says"), statement))
    return graph


@pytest.mark.parametrize("how", [{"timeout": None}, {"timeout": 5}, {"timeout": 5, "isolate": True}],
                         ids=["direct", "thread", "child"])
def test_a_triple_term_in_an_answer_is_one_clear_error_on_every_path(triple_term_graph, how):
    with pytest.raises(QueryError, match=r"RDF 1\.2 triple term"):
        query(triple_term_graph, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }", **how)
    with pytest.raises(QueryError, match=r"RDF 1\.2 triple term"):
        query(triple_term_graph, "CONSTRUCT WHERE { ?s ?p ?o }", **how)
    around = query(triple_term_graph, "SELECT ?s WHERE { ?s <http://example.org/says> ?o }", **how)
    assert around.values("s") == ["http://example.org/a"]


@pytest.mark.parametrize("how", [{"timeout": None}, {"timeout": 5}, {"timeout": 5, "isolate": True}],
                         ids=["direct", "thread", "child"])
def test_an_unknown_prefix_is_a_syntax_error_with_its_place(graph, how):
    with pytest.raises(QueryError, match=r"line 1, column 28: unknown prefix") as error:
        query(graph, "SELECT * WHERE { ?s foo:bar ?o }", **how)
    assert "foo:bar" in str(error.value) and len(str(error.value)) < 400


def test_the_cli_names_an_unknown_prefix(invoke):
    result = invoke("query", "SELECT * WHERE { ?s foo:bar ?o }")
    assert result.exit_code == 2
    assert "unknown prefix" in result.output and "Traceback" not in result.output


def test_a_memory_store_timeout_in_the_cli_says_how_to_give_more_time(invoke):
    result = invoke("query", "--store", "memory", "--timeout", "0.3", ENDLESS)
    assert result.exit_code == 3
    assert "ran longer than 0.3 s and was stopped" in result.output and "raise --timeout" in result.output


def _timeout_message_in(connection, graph):
    try:
        query(graph, ENDLESS_STREAM, timeout=0.3, isolate=True)
        connection.send("no timeout")
    except QueryTimeout as error:
        connection.send((str(error), error.abandoned))


def test_where_no_child_can_start_the_timeout_says_so(graph):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_timeout_message_in, args=(sender, graph), daemon=True)
    worker.start()
    try:
        assert receiver.poll(30)
        message, abandoned = receiver.recv()
    finally:
        worker.kill()
        worker.join()
    assert abandoned and "no child process can be started here" in message


def test_errors_cross_process_boundaries_whole():
    import pickle

    from irgraph.errors import LoadError, ValidationFailed
    from irgraph.report import Report

    report = Report(checked_files=["a.ttl"])
    for error in (QueryTimeout("slow", abandoned=True, seconds=2.0), LoadError("bad", report), ValidationFailed(report)):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert vars(copy) == vars(error)


def test_dataframe_types_numbers_dates_and_compact_iris(graph):
    pandas = pytest.importorskip("pandas", reason="pandas is optional")
    text = """SELECT ?finding ?hr ?lower ?upper ?participants ?issued ?inSheet WHERE {
        ?finding a irg:Finding ; prov:wasDerivedFrom ?source .
        OPTIONAL { ?finding irg:hazardRatio ?hr ; irg:ciLower ?lower ; irg:ciUpper ?upper }
        OPTIONAL { ?finding irg:fromStudy/irg:participants ?participants }
        OPTIONAL { ?source dcterms:issued ?issued }
        OPTIONAL { ?finding irg:aboutIntervention/irg:inFactSheet ?inSheet }
    }"""
    frame = query(graph, text).to_dataframe(compact_iris=True)
    assert str(frame["hr"].dtype) == "float64" and str(frame["lower"].dtype) == "float64"
    assert str(frame["participants"].dtype) == "Int64" and frame["participants"].isna().any()  # gaps stay integer
    assert str(frame["issued"].dtype).startswith("datetime64")  # years, months and a date: dates
    years = query(graph, "SELECT ?y WHERE { ?s irg:startYear ?y }").to_dataframe()
    assert str(years["y"].dtype) == "Int64"  # years alone: the year as a number
    assert str(frame["inSheet"].dtype) == "boolean"
    assert frame["finding"].str.startswith("ir:").all()
    esprit = frame[frame["finding"] == "ir:finding-esprit-no-clinical-benefit"].iloc[0]
    assert esprit["hr"] == pytest.approx(0.94) and esprit["participants"] == 4111
    dated = query(graph, 'SELECT ?d WHERE { VALUES ?d { "2009-10-15"^^xsd:date } }').to_dataframe()
    assert str(dated["d"].dtype).startswith("datetime64")
    assert pandas.isna(query(graph, "SELECT ?x WHERE { OPTIONAL { ?x irg:nothing ?y } }").to_dataframe()["x"][0])
