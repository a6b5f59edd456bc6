"""``irgraph query --format json`` on a persistent store, answered without rdflib: the same bytes as the full path.

Each test runs the command twice, once as it runs (the direct path, checked
to have been taken) and once with the direct path switched off (the full
path of irgraph.query and irgraph.results), and compares what the user
sees: standard output, standard error, exit code.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import irgraph
from irgraph import cli, direct_query, sandbox
from irgraph.catalog import catalog
from irgraph.guard import ASK, SELECT, QueryLimits, inspect_query

from .listener import Listener
from .test_query_safety import attack_variants, service_clause

XSD = "http://www.w3.org/2001/XMLSchema#"

#: literals of every shape the two paths could write differently: rdflib reads typed literals into its normal form
LITERALS = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s ex:plain "plain", "typed string"^^xsd:string, "quote \\" and \\\\ and tab\\t and newline\\n", "ünïcödé ✓ 𝄞", "" ;
     ex:lang "CD4"@en, "Zelle"@DE-at, "T-cell"@en-GB ;
     ex:int 0, 7, -12, "+5"^^xsd:integer, "007"^^xsd:integer, "-0"^^xsd:integer, "12345678901234567890"^^xsd:integer ;
     ex:bool true, false, "1"^^xsd:boolean, "0"^^xsd:boolean ;
     ex:dec 1.5, "1.50"^^xsd:decimal, "2"^^xsd:decimal, -0.0 ;
     ex:dbl 1.0E20, "1.5E0"^^xsd:double, "NaN"^^xsd:double, "-INF"^^xsd:double ;
     ex:when "2020-01-01"^^xsd:date, "2020-01-01Z"^^xsd:date, "2020-01-01T10:00:00+02:00"^^xsd:dateTime,
             "1996"^^xsd:gYear, "1996-07"^^xsd:gYearMonth, "P1Y2M"^^xsd:duration ;
     ex:odd "abc"^^xsd:integer, "maybe"^^xsd:boolean, "x"^^ex:customType ;
     ex:node [ ex:label "a blank node" ], ex:other .
"""


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    """A persistent store of the bundled data."""
    folder = tmp_path_factory.mktemp("direct") / "store"
    irgraph.fill_store(folder)
    return f"oxigraph:{folder}"


@pytest.fixture(scope="module")
def literal_store(tmp_path_factory):
    """A persistent store of the bundled data and :data:`LITERALS`."""
    root = tmp_path_factory.mktemp("literals")
    (root / "data").mkdir()
    (root / "data" / "literals.ttl").write_text(LITERALS, encoding="utf-8")
    irgraph.fill_store(root / "store", [root / "data"])
    return f"oxigraph:{root / 'store'}"


@pytest.fixture
def both(invoke, monkeypatch):
    """Run ``irgraph query ARGS``: ``(direct, full)``, each ``(exit code, stdout, stderr)``."""

    def run(*args):
        taken = []
        real = direct_query.direct_answer

        def spied(*a, **k):
            try:
                answer = real(*a, **k)
            except Exception:
                taken.append(True)  # it ran the query, which failed: its error is the answer
                raise
            taken.append(answer is not None)
            return answer

        def no_full_path(*a, **k):
            raise AssertionError("the full path was taken")

        with monkeypatch.context() as patch:
            patch.setattr(direct_query, "direct_answer", spied)
            patch.setattr(cli, "_full_query", no_full_path)
            direct = invoke("query", *args)
        assert taken == [True], "the direct path was not taken"
        with monkeypatch.context() as patch:
            patch.setattr(direct_query, "direct_answer", lambda *a, **k: None)
            full = invoke("query", *args)
        return ((direct.exit_code, direct.stdout, direct.stderr), (full.exit_code, full.stdout, full.stderr))

    return run


@pytest.mark.parametrize("name", sorted(n for n, q in catalog().items() if inspect_query(q.text, QueryLimits()) in (SELECT, ASK)))
def test_every_catalog_query_gives_the_same_bytes(both, bundled_store, name):
    """Parameters are not bound on either path: a query with parameters answers for every value."""
    direct, full = both("--name", name, "--format", "json", "--store", bundled_store)
    assert direct == full
    assert direct[0] in (0, 1) and direct[1].startswith('{"head": ')


@pytest.mark.parametrize("pattern", ["?s ?p ?o", "ex:s ?p ?o OPTIONAL { ?o ex:label ?label }"])
def test_literals_of_every_shape_are_written_as_the_full_path_writes_them(both, literal_store, pattern):
    text = f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ {pattern} }} ORDER BY ?s ?p ?o"
    direct, full = both(text, "--format", "json", "--store", literal_store)
    assert direct == full
    assert direct[0] == 0
    for shape in ('"datatype": "' + XSD + 'decimal"', '"xml:lang": "de-at"', '"type": "bnode"', "ünïcödé"):
        assert shape in direct[1], shape
    assert ('"label"' in direct[1]) == ("?label" in pattern)


def test_an_answer_that_needs_rdflib_only_for_its_odd_literals_still_matches(both, literal_store):
    """Decimals, doubles, dates: read by rdflib in the query's child, as the full path reads them."""
    text = "PREFIX ex: <http://example.org/> SELECT ?o WHERE { ex:s ex:dec|ex:dbl|ex:when|ex:odd ?o } ORDER BY ?o"
    direct, full = both(text, "--format", "json", "--store", literal_store)
    assert direct == full and '"datatype": "' + XSD + 'double"' in direct[1]


@pytest.mark.parametrize("limit", [["--max-result-rows", "7"], ["--max-result-bytes", "2000"], ["--max-result-rows", "1"]])
def test_a_cut_answer_is_cut_in_the_same_place_with_the_same_warning(both, bundled_store, limit):
    direct, full = both("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--format", "json", "--store", bundled_store, *limit)
    assert direct == full
    assert "warning: the answer was cut" in direct[2]


@pytest.mark.parametrize(("text", "code"), [("ASK { ir:il-2 rdfs:label 'IL-2'@en }", 0), ("ASK { ir:il-2 rdfs:label 'no' }", 1)])
def test_ask_answers_and_their_exit_codes(both, bundled_store, text, code):
    direct, full = both(text, "--format", "json", "--store", bundled_store)
    assert direct == full and direct[0] == code


@pytest.mark.parametrize("text", ["SELECT ?x WHERE { ?x ?y }", "SELECT ?x WHERE { ?x nope:p ?y }", "claim-ledgr",
                                  "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
                                  "SELECT (1/0 AS ?x) (STRDT('a', xsd:integer) + 1 AS ?y) WHERE {}",
                                  "SELECT * WHERE { BIND(<<( ir:a ir:b ir:c )>> AS ?t) }"])
def test_errors_are_the_full_paths_errors(both, bundled_store, text):
    direct, full = both(text, "--format", "json", "--store", bundled_store)
    assert direct == full


def test_a_query_past_its_limit_is_stopped_on_the_direct_path(both, bundled_store):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    direct, full = both(endless, "--format", "json", "--store", bundled_store, "--timeout", "0.5")
    assert direct == full
    assert direct[0] == 3 and "ran longer than 0.5 s and was stopped" in direct[2]


def test_no_attack_variant_connects_on_the_direct_path(invoke, bundled_store):
    with Listener() as listener:
        for text in attack_variants(listener.url):
            result = invoke("query", text, "--format", "json", "--store", bundled_store)
            assert result.exit_code == 2 and "Traceback" not in result.output, text
        assert listener.connections == []


@pytest.mark.skipif(not sandbox.available(), reason="seccomp is not available here")
def test_with_the_text_check_bypassed_the_direct_path_still_cannot_connect(invoke, bundled_store, monkeypatch):
    monkeypatch.setattr(direct_query, "inspect_query", lambda text, limits: "select")
    monkeypatch.setattr(cli, "_full_query", lambda *a, **k: pytest.fail("the full path was taken"))
    with Listener() as listener:
        result = invoke("query", f"SELECT * WHERE {{ {service_clause(listener.url)} }}", "--format", "json",
                        "--store", bundled_store)
        assert result.exit_code == 2 and "network connection" in result.output
        assert listener.connections == []


def test_the_command_imports_no_rdflib(bundled_store):
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "irgraph", "query", "--name", "summary-counts",
                          "--format", "json", "--store", bundled_store], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")]
    assert "pyoxigraph" in imported and "irgraph.direct_query" in imported
    assert not [name for name in imported if name.split(".")[0] in ("rdflib", "oxrdflib")]
    assert '"kind"' in run.stdout


@pytest.mark.parametrize("case", ["table", "turtle", "param", "data", "graph-query", "old-store",
                                  "not-a-store", "memory"])
def test_what_the_direct_path_does_not_take_goes_to_the_full_path(bundled_store, tmp_path, case):
    store, text, fmt, params, data = bundled_store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "json", (), ()
    if case in ("table", "turtle"):
        fmt = case
    elif case == "param":
        params = ("x=ir:il-2",)
    elif case == "data":
        data = (str(tmp_path),)
    elif case == "graph-query":
        text = "CONSTRUCT WHERE { ?s ?p ?o }"
    elif case == "old-store":
        old = tmp_path / "old"
        irgraph.fill_store(old)
        manifest = old / "irgraph-store.json"
        manifest.write_text(manifest.read_text().replace('"irgraph-store": 2', '"irgraph-store": 1'))
        store = f"oxigraph:{old}"
    elif case == "not-a-store":
        store = f"oxigraph:{tmp_path}"
    else:
        store = "oxigraph"
    assert direct_query.direct_answer(store, text, fmt, data=data, params=params, timeout=5, limits=QueryLimits()) is None


def test_the_full_path_still_answers_what_the_direct_path_passes_on(invoke, bundled_store):
    """A CONSTRUCT asked for in JSON, a missing name, an older store: the full path's own answers and errors."""
    construct = invoke("query", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--format", "json", "--store", bundled_store)
    assert construct.exit_code == 2 and "CONSTRUCT or DESCRIBE" in construct.output
    missing = invoke("query", "no-such-query", "--format", "json", "--store", bundled_store)
    assert missing.exit_code == 2 and "summary-counts" in missing.output


def _slow_check(seconds: float, kind: str | None = None):
    """A text check that takes ``seconds`` (as a long, intricate text can), then answers as the real one or with ``kind``."""
    import time

    def check(text, limits):
        time.sleep(seconds)  # the check's own work, made long: not a wait for an event
        return kind or inspect_query(text, limits)

    return check


def test_the_time_limit_covers_the_text_check(invoke, bundled_store, monkeypatch):
    """A text whose check outlasts --timeout is stopped there, on the direct path, as on the full path."""
    monkeypatch.setattr(direct_query, "inspect_query", _slow_check(30))
    monkeypatch.setattr(cli, "_full_query", lambda *a, **k: pytest.fail("the full path was taken"))
    result = invoke("query", "SELECT ?x WHERE { BIND(1 AS ?x) }", "--format", "json", "--store", bundled_store,
                    "--timeout", "0.5")
    assert result.exit_code == 3 and "ran longer than 0.5 s and was stopped" in result.stderr
    assert result.stdout == ""


def test_a_graph_query_goes_to_the_full_path_with_what_is_left_of_the_limit(invoke, bundled_store, monkeypatch):
    monkeypatch.setattr(direct_query, "inspect_query", _slow_check(0.5, "graph"))
    given = []

    def full_query(data, store, text, params, fmt, wide, timeout, limits):
        given.append(timeout)
        return "select", None, None, "{}\n"

    monkeypatch.setattr(cli, "_full_query", full_query)
    assert invoke("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "json", "--store", bundled_store,
                  "--timeout", "20").exit_code == 0
    assert len(given) == 1 and given[0] <= 19.5


def test_a_refused_text_is_checked_once(bundled_store, monkeypatch):
    """The direct path refuses with the check's own error: no second check on the full path."""
    calls = []
    real = direct_query.inspect_query
    monkeypatch.setattr(direct_query, "inspect_query", lambda text, limits: calls.append(1) or real(text, limits))
    monkeypatch.setattr(cli, "_full_query", lambda *a, **k: pytest.fail("the full path was taken"))
    from irgraph.errors import QueryError

    with pytest.raises(QueryError, match="SERVICE is refused"):
        direct_query.direct_answer(bundled_store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
                                   "json", timeout=None, limits=QueryLimits())
    assert calls == [1]


@pytest.mark.parametrize("manifest", ["[]", '"irgraph"', "2", "{not json"])
def test_a_store_whose_manifest_is_not_an_object_is_no_irgraph_store_on_either_path(invoke, tmp_path, manifest):
    folder = tmp_path / "store"
    irgraph.fill_store(folder)
    (folder / "irgraph-store.json").write_text(manifest, encoding="utf-8")
    for fmt in ("json", "table"):
        result = invoke("query", "ASK {}", "--format", fmt, "--store", f"oxigraph:{folder}")
        assert result.exit_code == 2 and "no irgraph store there" in result.stderr, result.output
