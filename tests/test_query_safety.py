"""Attacks on the query path: every refused construct, hidden every way we know, must stay refused.

The check runs on the text (irgraph.guard); the engine also runs without
network sockets (irgraph.sandbox) and with its dataset given. These tests
hold the check against three independent readers of the same text —
Oxigraph (which executes), rdflib (which checked before) and Rasqal's
``roqet`` — and prove with a real listener that no path makes a connection.
"""

from __future__ import annotations

import importlib
import itertools
import re
import shutil
import subprocess
import threading

import pyoxigraph as ox
import pytest

import irgraph
from irgraph import processes, sandbox
from irgraph.errors import QueryError, UsageError
from irgraph.guard import QueryLimits, inspect_query
from irgraph.query import query, run_query

from .listener import Listener

# --- the variants ------------------------------------------------------------

#: characters some parser or editor takes as the end of a line
LINE_ENDS = ["\r", "\r\n", "\n", "\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
SPELLINGS = ["SERVICE", "service", "Service", "sErViCe"]
ESCAPED = [r"\u0053ERVICE", r"\U00000053ERVICE", r"SERV\u0049CE", r"serv\u0069ce"]


def service_clause(url: str, spelling: str = "SERVICE") -> str:
    return f"{spelling} <{url}> {{ ?a ?b ?c }}"


def attack_variants(url: str) -> list[str]:
    """Queries whose text holds a SERVICE clause that some reading takes as code."""
    clause = service_clause(url)
    variants = []
    # a comment that ends at some line break, then the clause
    for end, spelling in itertools.product(LINE_ENDS, SPELLINGS):
        variants.append(f"SELECT * WHERE {{ ?s ?p ?o # x{end} {service_clause(url, spelling)}\n }}")
    # the clause glued to what comes before or after it
    variants += [
        f"SELECT * WHERE {{ ?s ?p ?o .{clause} }}",
        f"SELECT * WHERE {{ {{}}{clause} }}",
        f"SELECT * WHERE {{ ?s ?p ?o }}{clause.replace(' ', '')}",
        f"SELECT * WHERE {{ ?s ?p 1 {clause} }}",
        f"SELECT * WHERE {{ ?s ?p 1{clause} }}",
        f'SELECT * WHERE {{ ?s ?p "x"{clause} }}',
        f"SELECT * WHERE {{ ?s ?p <urn:x>{clause} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{\tSERVICE\t<{url}>\t{{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE\u00a0<{url}> {{ ?a ?b ?c }} }}",
    ]
    # nested where a check might not look
    for wrap in ("OPTIONAL {{ {} }}", "{{ ?x ?y ?z }} UNION {{ {} }}", "MINUS {{ {} }}", "GRAPH ?g {{ {} }}",
                 "{{ SELECT * WHERE {{ {} }} }}", "FILTER EXISTS {{ {} }}", "FILTER NOT EXISTS {{ {} }}",
                 "{{ {{ {{ {} }} }} }}", "BIND(1 AS ?one) {}"):
        variants.append("SELECT * WHERE { ?s ?p ?o . " + wrap.format(clause) + " }")
    # codepoint escapes of the keyword, and of quotes that would end a string early under the spec's reading
    for escaped in ESCAPED:
        variants.append(f"SELECT * WHERE {{ {escaped} <{url}> {{ ?a ?b ?c }} }}")
    variants += [
        f'SELECT * WHERE {{ ?s ?p "a\\u0022 . {clause} # " }}',
        f"SELECT * WHERE {{ ?s ?p 'a\\u0027 . {clause} # ' }}",
        f'SELECT * WHERE {{ ?s ?p "a\\u005C" . {clause} # " }}',
        # long strings with quotes inside, then the clause
        f'SELECT * WHERE {{ ?s ?p """a""b""" . {clause} }}',
        f"SELECT * WHERE {{ ?s ?p '''a''b''' . {clause} }}",
        f"SELECT * WHERE {{ ?s ?p \"\"\"a\"\"\"\" . {clause} }}",
        # prefixed-name tricks: an escaped # in a local name, a prefix named like the keyword
        f"PREFIX ex: <urn:ex:> SELECT * WHERE {{ ?s ex:a\\#b ?o . {clause} }}",
        f"PREFIX ex: <urn:ex:> SELECT * WHERE {{ ?s ex:a\\# {clause} }}",
        f"PREFIX service: <urn:ex:> SELECT * WHERE {{ ?s service:p ?o . {clause} }}",
    ]
    # the second outside attack: readings where the checker saw a string or a comment and the parsers code
    variants += [
        f"SELECT * WHERE {{ FILTER(1<'>') {clause} #'\n}}",  # <'> is an IRI only where a term may stand
        f"SELECT (1<'>' AS ?x) WHERE {{ {clause} }} #'",
        f"PREFIX ir: <urn:ir:> SELECT * WHERE {{ BIND(ir:a\u00b7\\' AS ?x) {clause} }} #'",  # · is a name character
        f"PREFIX ir: <urn:ir:> SELECT * WHERE {{ BIND(ir:a\u00b7\\# AS ?x) {clause} }}",
        f"PREFIX ir: <urn:ir:> SELECT * WHERE {{ BIND(ir:a\u0301\\' AS ?x) {clause} }} #'",
    ]
    for other in ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]:
        variants.append(f"SELECT * WHERE {{ BIND(1 AS ?x) # a{other}" + "'''" + f"\n  {clause}\n# " + "'''" + "\n}")
        variants.append(f"SELECT * WHERE {{ BIND('{other}' AS ?x) {clause} }} #'")
        variants.append(f'SELECT * WHERE {{ BIND("{other}" AS ?x) {clause} }} #"')
    variants += [
        # in a CONSTRUCT, an ASK and a DESCRIBE
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ # \r{clause}\n }}",
        f"ASK {{ # \r{clause}\n }}",
        f"DESCRIBE ?a WHERE {{ # \r{clause}\n }}",
    ]
    return variants


def harmless_variants(url: str) -> list[str]:
    """The keyword where no reader takes it as code: these must run."""
    clause = service_clause(url)
    return [
        f"SELECT * WHERE {{ ?s ?p ?o # {clause}\n }}",
        f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "{clause}") }}',
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '''{clause}''') }}",
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:service ?o }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT ?from WHERE { ?from ?p ?o } LIMIT 1",
    ]


# --- the readers -------------------------------------------------------------

def _one_triple_store() -> ox.Store:
    # a pattern joined with SERVICE on an empty store never calls the service: give it something to join
    store = ox.Store()
    for subject, predicate, obj in [("urn:s", "urn:p", "urn:o"), ("urn:ex:s", "urn:ex:a#b", "urn:o")]:
        store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(obj)))
    return store


def oxigraph_connects(text: str, listener: Listener) -> bool:
    """Does bare Oxigraph (no irgraph check, no sandbox) open a connection for ``text``?"""
    listener.reset()
    outcome = {}
    store = _one_triple_store()

    def run():
        try:
            list(store.query(text))
        except (SyntaxError, OSError, RuntimeError, ValueError) as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    return bool(listener.connections)


def rdflib_sees_service(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(text)
    except Exception:
        return False

    def walk(node):
        if isinstance(node, CompValue):
            yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            for item in node:
                yield from walk(item)

    return any(node.name == "ServiceGraphPattern" for node in walk(parsed))


ROQET = shutil.which("roqet")


def rasqal_sees_service(text: str) -> bool:
    if ROQET is None:
        return False
    run = subprocess.run([ROQET, "-n", "-d", "structure", "-i", "sparql11", "-e", text],
                         check=False, capture_output=True, timeout=30)
    return b"Service graph pattern" in run.stdout


def refused(text: str) -> bool:
    try:
        inspect_query(text)
    except QueryError:
        return True
    return False


# --- the tests ---------------------------------------------------------------

def test_every_variant_is_refused_wherever_any_reader_sees_service():
    with Listener() as listener:
        attacks, harmless = attack_variants(listener.url), harmless_variants(listener.url)
        seen_by_engine_only = []
        for text in attacks:
            oxigraph, rdflib_, rasqal = oxigraph_connects(text, listener), rdflib_sees_service(text), rasqal_sees_service(text)
            assert refused(text), f"not refused: {text!r} (Oxigraph {oxigraph}, rdflib {rdflib_}, Rasqal {rasqal})"
            if oxigraph and not rdflib_:
                seen_by_engine_only.append(text)
        for text in harmless:
            assert not oxigraph_connects(text, listener), text
            assert not rdflib_sees_service(text) and not rasqal_sees_service(text), text
            assert not refused(text), f"refused although no reader sees SERVICE: {text!r}"
    # the test would have caught the old check: the engine reads SERVICE where rdflib did not
    assert any("# x\r " in text for text in seen_by_engine_only)


@pytest.mark.skipif(ROQET is None, reason="roqet (Debian rasqal-utils) is not installed")
def test_an_update_hidden_after_an_unusual_line_break_is_refused():
    """It wrote into a remote store: the checker saw a SELECT and a string, every parser an INSERT."""
    from irgraph.errors import UpdateRefused

    for other in ("\f", "\v", "\u2028"):
        text = f"# {other}SELECT " + "'''" + "\nINSERT DATA { <urn:a> <urn:b> <urn:c> }\n# " + "'''" + "\n"
        with pytest.raises(UpdateRefused, match="INSERT"):
            inspect_query(text)


@pytest.mark.parametrize("text", [
    "ASK {} '" + "\\'" * 49_990,
    'ASK {} """' + '\\"' * 49_990,
    "ASK { ?s ?p '" + "a\\'" * 30_000 + "' }",
    "ASK { ?s ?p ?o } # " + "\f#" * 40_000,
    "ASK { FILTER(" + "1<" * 30_000 + "1) }",
    "ASK { ?s ?p (" + "<urn:a>" * 15_000 + ") }",
], ids=["unclosed-single", "unclosed-triple", "escaped-quotes", "form-feeds", "less-than", "iris"])
def test_the_check_reads_pathological_texts_in_about_linear_work(text):
    """The first check was quadratic on these (32 KB took 10 s); each must be decided, not hang."""
    outcome = {}

    def check():
        try:
            outcome["kind"] = inspect_query(text)
        except QueryError as error:
            outcome["error"] = str(error)

    thread = threading.Thread(target=check)
    thread.start()
    thread.join(60)  # generous: linear work takes well under a second
    assert not thread.is_alive(), "the check did not finish"
    assert outcome


def test_rasqal_agrees_that_the_comment_attack_is_real():
    text = "SELECT * WHERE { ?s ?p ?o # x\r SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c }\n }"
    assert rasqal_sees_service(text) and not rdflib_sees_service(text)


@pytest.fixture(scope="module")
def listener():
    with Listener() as running:
        yield running


def test_no_way_of_running_a_variant_connects(graph, listener, invoke, tmp_path):
    """Python API (thread and child), CLI from a file and from the argument: zero connections."""
    query_file = tmp_path / "attack.rq"
    for text in attack_variants(listener.url):
        for how in ({"timeout": None}, {"timeout": 5}, {"timeout": 5, "isolate": True}):
            with pytest.raises(QueryError):
                run_query(graph, text, **how)
        query_file.write_bytes(text.encode("utf-8"))
        result = invoke("query", "-f", query_file)
        assert result.exit_code == 2 and "Traceback" not in result.output, text
        if "\x00" not in text:
            assert invoke("query", text).exit_code == 2
    assert listener.connections == []


@pytest.mark.skipif(not sandbox.available(), reason="seccomp is not available here")
@pytest.mark.parametrize("how", [{"timeout": None}, {"timeout": 5}, {"timeout": 5, "isolate": True}],
                         ids=["direct", "thread", "child"])
def test_the_engine_cannot_connect_even_when_the_check_is_bypassed(graph, listener, monkeypatch, how):
    """The second wall: with the text check switched off, SERVICE fails inside the engine."""
    query_module = importlib.import_module("irgraph.query")  # irgraph.query the attribute is the function

    monkeypatch.setattr(query_module, "inspect_query", lambda text, limits: "select")
    listener.reset()
    with pytest.raises(QueryError, match="network connection"):
        run_query(graph, f"SELECT * WHERE {{ {service_clause(listener.url)} }}", **how)
    assert listener.connections == []
    # the same query through bare Oxigraph would have connected
    assert oxigraph_connects(f"SELECT * WHERE {{ {service_clause(listener.url)} }}", listener)


def test_a_hidden_from_is_refused_and_cannot_change_the_dataset(graph, monkeypatch):
    hidden = "SELECT ?s WHERE { # x\r FROM <urn:irgraph:empty>\n ?s a irg:Intervention }"
    for text in (hidden, hidden.replace("FROM", "from"), "SELECT ?s FROM NAMED <urn:g> WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="FROM and FROM NAMED are refused"):
            query(graph, text)
    # bare Oxigraph reads the FROM and answers from an empty graph
    query_module = importlib.import_module("irgraph.query")  # irgraph.query the attribute is the function
    from irgraph.namespaces import prefixes
    from irgraph.store import oxigraph_store

    plain = "SELECT ?s FROM <urn:irgraph:empty> WHERE { ?s a irg:Intervention }"
    assert list(oxigraph_store(graph).query(plain, prefixes=prefixes())) == []
    # with the check bypassed, irgraph gives the engine the dataset: FROM changes nothing
    monkeypatch.setattr(query_module, "inspect_query", lambda text, limits: "select")
    expected = query(graph, "SELECT ?s WHERE { ?s a irg:Intervention }").rows
    assert expected and query(graph, plain).rows == expected


# --- limits before anything parses --------------------------------------------

DEEP_NOT = "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }"
DEEP_PARENS = "SELECT * WHERE { FILTER(" + "(" * 5_000 + "true" + ")" * 5_000 + ") }"
DEEP_GROUPS = "SELECT * WHERE " + "{" * 3_000 + "}" * 3_000


@pytest.mark.parametrize("text", [DEEP_NOT, DEEP_PARENS, DEEP_GROUPS, DEEP_NOT.replace("!", "-").replace("true", "1=1")],
                         ids=["not", "parentheses", "groups", "minus"])
def test_deeply_nested_queries_are_refused_before_they_parse(invoke, tmp_path, text):
    """These crashed the process (exit 139) in the engine's parser."""
    path = tmp_path / "deep.rq"
    path.write_text(text, encoding="utf-8")
    for store in ("oxigraph", "memory"):
        result = invoke("query", "--store", store, "-f", path)
        assert result.exit_code == 2
        assert "nests deeper than 64 levels" in result.output and "Traceback" not in result.output


def test_nesting_within_the_limit_runs_on_both_engines(graph):
    text = "ASK { FILTER(" + "(" * 30 + "true" + ")" * 30 + ") }"
    assert query(graph, text).boolean is True
    memory = irgraph.load_data(store="memory").graph
    assert query(memory, "ASK { FILTER(" + "(" * 10 + "true" + ")" * 10 + ") }").boolean is True
    # rdflib's own parser gives up earlier than the limit: a clear error, not a RecursionError
    with pytest.raises(QueryError, match="nests too deeply for rdflib's parser"):
        query(memory, text)


def test_the_nesting_limit_can_be_raised_and_deep_queries_then_run_on_a_large_stack(graph):
    deep = "ASK { FILTER(" + "!" * 9_999 + "!true) }"
    with pytest.raises(QueryError, match="nests deeper"):
        query(graph, deep)
    assert query(graph, deep, limits=QueryLimits(max_depth=20_000)).boolean is True  # an even number of negations


def test_an_over_long_query_is_refused_before_it_parses(graph):
    text = "SELECT * WHERE { " + "?s ?p ?o . " * 200 + "}"
    with pytest.raises(QueryError, match="characters long; the limit is 1,000"):
        query(graph, text, limits=QueryLimits(max_length=1000))


@pytest.mark.parametrize("text, message", [
    ('SELECT * WHERE { FILTER("\\U00110000") }', "not a Unicode code point"),
    ('SELECT * WHERE { FILTER("\\uD800") }', "not a Unicode code point"),
    ("SELECT * WHERE { ?s ?p ?o } \\u0023", "codepoint escapes"),
    ("", "the query is empty"),
    ("   \n  # only a comment\n", "the query is empty|not a query"),
    ("PREFIX ex: <urn:x>", "not a query"),
])
def test_texts_that_broke_the_check_are_clear_errors(invoke, text, message):
    result = invoke("query", text)
    assert result.exit_code == 2
    assert re.search(message, result.output) and "Traceback" not in result.output


def test_a_query_file_that_is_not_utf8_is_a_clear_error(invoke, tmp_path):
    path = tmp_path / "latin1.rq"
    path.write_bytes("SELECT * WHERE { ?s rdfs:label \"Lévy\" }".encode("latin-1"))
    result = invoke("query", "-f", path)
    assert result.exit_code == 2
    assert "not UTF-8" in result.output and "line 1" in result.output and "Traceback" not in result.output


# --- the whole life under the limit --------------------------------------------

#: the attack: a VERSION "1.2" query with eight VALUES clauses that ran 42 s under --timeout 2
EIGHT_VALUES = 'VERSION "1.2" SELECT * WHERE { ' + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(40))} }}" for i in range(8)) + " }"


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_the_slow_values_query_stops_at_the_limit(invoke, store):
    text = EIGHT_VALUES if store == "oxigraph" else EIGHT_VALUES.replace('VERSION "1.2" ', "")  # rdflib knows no VERSION
    result = invoke("query", "--store", store, "--timeout", "1", "--format", "csv", text)
    assert result.exit_code == 3
    assert "ran longer than 1 s" in result.output


def test_large_answers_are_cut_with_a_clear_message(invoke, graph):
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    result = invoke("query", "--max-result-rows", "7", "--format", "csv", cross)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 8  # header + 7 rows
    assert "cut at 7 rows" in result.stderr and "--max-result-rows" in result.stderr
    cut = query(graph, cross, limits=QueryLimits(max_bytes=2000))
    assert cut.truncated and "size limit" in cut.truncated and 0 < len(cut.rows) < 100
    whole = query(graph, "interventions")
    assert whole.truncated is None
    triples = query(graph, "CONSTRUCT WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=3))
    assert len(triples.triples) == 3 and "cut at 3 rows" in triples.truncated


# --- parameters in their own namespace ------------------------------------------

@pytest.mark.parametrize("name", ["timeout", "isolate", "graph", "limits", "params", "then"])
def test_parameters_named_like_options_are_parameters(graph, invoke, name):
    text = f"SELECT ?{name} ?label WHERE {{ ?{name} rdfs:label ?label }}"
    result = query(graph, text, {name: "ir:he2000"})
    assert result.values("label") == ["HE2000"]
    cli = invoke("query", "--param", f"{name}=ir:he2000", "--format", "csv", text)
    assert cli.exit_code == 0 and cli.stdout.splitlines()[1:] == ["https://w3id.org/irgraph/id/he2000,HE2000"]


def test_keyword_parameters_still_work_with_a_warning(graph):
    with pytest.warns(DeprecationWarning, match="params="):
        result = query(graph, "findings-for-intervention", intervention="IL-2")
    assert result.rows == query(graph, "findings-for-intervention", {"intervention": "IL-2"}).rows


def test_a_parameter_the_query_does_not_select_is_a_usage_error(graph):
    with pytest.raises(UsageError, match=r"\?x must be a variable the query selects"):
        query(graph, "SELECT ?l WHERE { ?x rdfs:label ?l }", {"x": "ir:il-2"})


# --- shared parser state -----------------------------------------------------------

FIRST_USES = """
import sys, threading
import irgraph
from irgraph.query import query
graph = irgraph.load_data(store=sys.argv[1]).graph
errors = []
def run(i):
    try:
        query(graph, "SELECT (GROUP_CONCAT(DISTINCT ?l; SEPARATOR=', ') AS ?all) (COUNT(?x) AS ?n)"
                     " WHERE { ?x rdfs:label ?l FILTER(STRSTARTS(STR(?x), STR(ir:))) } GROUP BY ?x"
                     " HAVING (COUNT(?x) > 0) ORDER BY DESC(?n) LIMIT 3", timeout=60)
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
threads = [threading.Thread(target=run, args=(i,)) for i in range(32)]
for t in threads: t.start()
for t in threads: t.join()
print(len(errors)); print("\\n".join(errors[:3]))
"""


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_thirty_two_concurrent_first_uses_of_a_construct_all_succeed(store):
    """pyparsing (rdflib's SPARQL parser) is not thread-safe; a fresh process makes these first uses."""
    import sys

    run = subprocess.run([sys.executable, "-c", FIRST_USES, store], check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "0", run.stdout



def test_control_characters_in_data_do_not_reach_the_terminal(invoke, data_dir):
    folder = data_dir("hostile.ttl", 'ir:x rdfs:label "IL-2\\u001b]0;owned\\u0007\\u202e"@en .\n')
    result = invoke("query", "--data", folder, "SELECT ?l WHERE { ir:x rdfs:label ?l }")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b]0;owned\\x07\\u202e" in result.stdout


HOSTILE_LABEL = (
    'ir:evil a irg:Mechanism ; rdfs:label "EVIL\\u001b]0;PWNED\\u0007\\u001b[31mRED\\u001b[0m"@en ;\n'
    '  skos:definition "def \\u001b[2J cleared"@en ;\n'
    '  prov:wasDerivedFrom ir:source-fact-sheet-immune-restoration-overview ; irg:sourceSection "s" .\n'
    "ir:il-2 irg:hasMechanism ir:evil .\n"
)


@pytest.mark.parametrize("command", [
    ["describe", "ir:evil"], ["validate"], ["path", "ir:evil", "ir:il-2"], ["stats", "--top", "200"],
    ["query", "SELECT ?l WHERE { ir:evil rdfs:label ?l }"],
], ids=lambda c: c[0])
def test_escape_sequences_in_data_reach_no_terminal_through_any_command(invoke, data_dir, command):
    folder = data_dir("evil.ttl", HOSTILE_LABEL)
    result = invoke(*command, "--data", folder)
    printed = result.stdout + result.stderr
    assert "\x1b" not in printed and "\x07" not in printed, command
    if command[0] not in ("stats", "validate"):  # the valid data's report names no label
        assert "\\x1b]0;PWNED" in printed


def test_escape_sequences_reach_no_terminal_through_diff_or_an_ill_typed_literal(invoke, tmp_path, data_dir):
    folder = data_dir("evil.ttl", HOSTILE_LABEL)
    old = tmp_path / "old.ttl"
    old.write_text("@prefix ir: <https://w3id.org/irgraph/id/> .\nir:a ir:b ir:c .\n", encoding="utf-8")
    result = invoke("diff", old, folder / "evil.ttl")
    assert result.exit_code == 1 and "\x1b" not in result.stdout and "\\x1b" in result.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bad.nt").write_bytes(b'<http://a> <http://b> "\x1b]0;PWNED\x07"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    result = invoke("validate", "--data", bad)
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr


@pytest.mark.parametrize("text", [
    "ASK { ?s ?p (" + " 1" * 40_000 + " ) }",
    "ASK { ?s ?p " + ",".join(["1"] * 80_000) + " }",
    "ASK { FILTER(" + "+".join(["1"] * 90_000) + " > 0) }",
    "ASK { " + " UNION ".join(["{}"] * 53_000) + " }",
    "ASK{" + "".join(f"BIND(1 AS ?v{i})" for i in range(20_000)) + "}",
], ids=["collection", "objects", "plus", "union", "binds"])
def test_flat_lists_over_the_token_limit_are_refused(invoke, tmp_path, text):
    """These crashed the process (exit 139) or held the engine for a minute, under the nesting limit."""
    path = tmp_path / "flat.rq"
    path.write_text(text, encoding="utf-8")
    result = invoke("query", "-f", path)
    assert result.exit_code == 2
    assert "more than 20,000 tokens" in result.output and "Traceback" not in result.output


def test_the_cli_stops_a_query_at_its_limit_even_while_the_engine_parses(invoke):
    """A query under the token limit that the engine's planner takes minutes over: killed at 1 s."""
    text = "ASK { ?s ?p (" + " 1" * 3_000 + " ) }"
    result = invoke("query", "--timeout", "1", text)
    assert result.exit_code == 3 and "ran longer than 1 s" in result.output


@pytest.mark.parametrize("lock", ["_STACK_LOCK", "_CHECK_LOCK"])
def test_a_child_forked_while_another_thread_holds_a_sandbox_lock_still_starts_its_query(lock):
    """A query's child is forked from a server with many threads: a lock one of them held must not be held in it."""
    def in_the_child():
        sandbox._CHECKED.clear()  # the child's own check runs under _CHECK_LOCK
        return sandbox.available(), sandbox.run_sandboxed(lambda: 42)

    with getattr(sandbox, lock):  # as if another thread were starting its query thread at the moment of the fork
        (_, value), _ = processes.in_child(in_the_child, timeout=20)
    assert value == 42
