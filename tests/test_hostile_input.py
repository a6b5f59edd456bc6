"""Hostile data files: deep nesting, huge literals, many blank nodes, ill-typed literals.

Each test feeds the exact input of an attack and asserts the behaviour: a
clear error naming the file and line (exit 2), or the right answer. None
measures time; a regression to the old behaviour would hang or crash.
"""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

import irgraph
from irgraph.canonical import canonical_triples
from irgraph.limits import DEFAULT_MAX_NESTING, NESTING_VARIABLE

EX = "@prefix ex: <http://example.org/> .\n"


def nested_lists(depth: int) -> str:
    """The attack: a 2.4 KB (depth 1,000) Turtle file of lists inside lists."""
    return EX + "ex:s ex:p " + "( " * depth + "ex:o" + " )" * depth + " .\n"


@pytest.fixture
def data(tmp_path):
    def write(name: str, text: str):
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write


def _clear_load_error(result, where: str, what: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert where in result.output and what in result.output


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deeply_nested_lists_are_refused_with_file_and_line(invoke, data, depth):
    folder = data("deep.ttl", nested_lists(depth))
    for args in (("export", "--format", "nt"), ("export", "--format", "nq"), ("build", "--out", folder.parent / "out"),
                 ("validate",)):
        result = invoke(*args, "--data", folder)
        _clear_load_error(result, "deep.ttl:2:", f"structures nest more than {DEFAULT_MAX_NESTING} levels deep")
        assert NESTING_VARIABLE in result.output  # how to allow more
    assert not (folder.parent / "out").exists()


def test_nesting_within_a_raised_limit_is_built_correctly(invoke, data, monkeypatch):
    monkeypatch.setenv(NESTING_VARIABLE, "20000")
    folder = data("deep.ttl", nested_lists(10_000))
    out = folder.parent / "out"
    result = invoke("build", "--out", out, "--data", folder)
    assert result.exit_code == 0, result.output
    written = list(ox.parse(path=str(out / "irgraph.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(written) == len(irgraph.load_graph()) + 2 * 10_000 + 1


def test_nesting_is_checked_in_the_diff_too(invoke, data, tmp_path):
    folder = data("deep.ttl", nested_lists(1_000))
    _clear_load_error(invoke("diff", folder, folder), "deep.ttl:2:", "levels deep")


def test_a_bad_nesting_limit_is_a_usage_error(invoke, data, monkeypatch):
    monkeypatch.setenv(NESTING_VARIABLE, "deep")
    folder = data("deep.ttl", nested_lists(300))
    _clear_load_error(invoke("export", "--data", folder), NESTING_VARIABLE, "whole number")


def test_json_ld_nested_100k_deep_is_refused(invoke, data):
    depth = 100_000
    document = '{"@context": {"p": "http://example.org/p"}, "@id": "http://example.org/s", "p": ' + '{"p": ' * depth + '"x"' + "}" * depth + "}"
    folder = data("deep.jsonld", document)
    _clear_load_error(invoke("export", "--data", folder), "deep.jsonld:1:", "levels deep")


def test_brackets_inside_strings_and_iris_do_not_count(invoke, data, monkeypatch):
    monkeypatch.setenv(NESTING_VARIABLE, "3")
    text = EX + 'ex:s ex:label "((((([[[[" , """[[[[\n((((""" ; ex:see <http://example.org/a(b)> . # ((((\n'
    folder = data("brackets.ttl", text)
    assert invoke("export", "--format", "nt", "--data", folder).exit_code == 0


def test_a_20_mb_literal_is_refused_with_its_line(invoke, data):
    folder = data("big.ttl", EX + "\n" + 'ex:s ex:p "' + "a" * 20_000_000 + '" .\n')
    _clear_load_error(invoke("export", "--format", "nt", "--data", folder), "big.ttl:3:", "at most 16 MiB")
    _clear_load_error(invoke("load", "--store", f"oxigraph:{folder.parent / 'store'}", "--data", folder),
                      "big.ttl:3:", "the store was left as it was")
    document = {"@context": {"p": "http://example.org/p"}, "@id": "http://example.org/s", "p": "a" * 20_000_000}
    folder = data("big.jsonld", json.dumps(document))
    (folder / "big.ttl").unlink()
    _clear_load_error(invoke("export", "--format", "nt", "--data", folder), "big.jsonld:1:", "at most 16 MiB")


# --- blank nodes: canonical labels in about linear time ------------------------------------------


def blank_nodes(count: int, order, *, changed: int | None = None, seed: int = 0) -> str:
    """``count`` blank nodes under one subject, in the given order, with random labels."""
    generator = random.Random(seed)
    lines = []
    for index in order:
        label = f"_:n{generator.getrandbits(40)}"
        value = 99 if index == changed else index % 5  # many blank nodes look alike
        lines.append(f"<http://example.org/s> <http://example.org/p> {label} .")
        lines.append(f'{label} <http://example.org/q> "{value}" .')
    return "\n".join(lines) + "\n"


def test_3000_blank_nodes_in_another_order_are_equal_and_one_change_is_found(tmp_path):
    count = 3_000
    (tmp_path / "a.nt").write_text(blank_nodes(count, range(count)))
    (tmp_path / "b.nt").write_text(blank_nodes(count, reversed(range(count)), seed=1))
    (tmp_path / "c.nt").write_text(blank_nodes(count, range(count), changed=17, seed=2))
    assert irgraph.diff_graphs(tmp_path / "a.nt", tmp_path / "b.nt").equal
    changed = irgraph.diff_graphs(tmp_path / "a.nt", tmp_path / "c.nt")
    assert (changed.removed, changed.added) == (2, 2)  # the blank node with "2" went, one with "99" came
    objects = {str(o) for c in changed.changes for _, o in c.removed + c.added if isinstance(o, ox.Literal)}
    assert objects == {'"2"', '"99"'}


def test_equal_blank_node_structures_are_each_counted(tmp_path):
    """Two hundred alike ``[ ex:q "2" ]`` are two hundred nodes: one fewer is a difference."""
    (tmp_path / "a.nt").write_text(blank_nodes(200, range(200)))
    (tmp_path / "b.nt").write_text(blank_nodes(199, range(199)))
    diff = irgraph.diff_graphs(tmp_path / "a.nt", tmp_path / "b.nt")
    assert (diff.removed, diff.added) == (2, 0)


def test_deep_lists_are_compared_and_exported_canonically(tmp_path, monkeypatch):
    monkeypatch.setenv(NESTING_VARIABLE, "2000")
    (tmp_path / "a.ttl").write_text(nested_lists(1_000))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(tmp_path / "a.ttl"), format=ox.RdfFormat.TURTLE)]
    (tmp_path / "b.nt").write_text(ox.serialize(reversed(triples), format=ox.RdfFormat.N_TRIPLES).decode())
    assert irgraph.diff_graphs(tmp_path / "a.ttl", tmp_path / "b.nt").equal
    assert sorted(map(str, canonical_triples(triples))) == sorted(map(str, canonical_triples(reversed(triples))))


def test_canonical_labels_agree_for_isomorphic_graphs_of_every_shape():
    """Random small graphs (trees, shared nodes, cycles, alike copies), relabelled and shuffled."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from irgraph.store import to_rdflib

    predicates = [ox.NamedNode(f"http://example.org/p{i}") for i in range(3)]

    def as_rdflib(triples):
        graph = Graph()
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    for seed in range(300):
        generator = random.Random(seed)
        nodes = generator.randint(1, 10)
        triples = list({
            ox.Triple(
                ox.BlankNode(f"x{generator.randrange(nodes)}") if generator.random() < 0.8 else ox.NamedNode("http://example.org/s"),
                generator.choice(predicates),
                generator.choice([ox.BlankNode(f"x{generator.randrange(nodes)}"), ox.Literal(str(generator.randrange(3)))]),
            )
            for _ in range(generator.randint(1, 16))
        })
        renamed = {f"x{i}": ox.BlankNode(f"y{generator.getrandbits(32)}") for i in range(nodes)}
        other = [ox.Triple(renamed.get(t.subject.value, t.subject) if isinstance(t.subject, ox.BlankNode) else t.subject,
                           t.predicate,
                           renamed[t.object.value] if isinstance(t.object, ox.BlankNode) else t.object) for t in triples]
        generator.shuffle(other)
        first, second = canonical_triples(triples), canonical_triples(other)
        assert set(first) == set(second), seed
        assert len(set(first)) == len(triples) and isomorphic(as_rdflib(first), as_rdflib(triples)), seed


def test_export_of_many_blank_nodes_is_deterministic(data, invoke):
    folder = data("blank.nt", blank_nodes(3_000, range(3_000)))
    first = invoke("export", "--format", "nt", "--data", folder).output
    (folder / "blank.nt").write_text(blank_nodes(3_000, reversed(range(3_000)), seed=5))
    assert invoke("export", "--format", "nt", "--data", folder).output == first
    assert json.loads(invoke("export", "--data", folder).output)["@graph"]


# --- ill-typed literals and malformed store URLs: a clear report, no traceback -------------------

ILL_TYPED = """ir:study-esprit irg:participants "four thousand"^^xsd:integer .
ir:study-esprit rdfs:comment "2001-13-45"^^xsd:date .
"""


def test_ill_typed_literals_are_reported_once_each_without_rdflib_tracebacks(invoke, data_dir):
    folder = data_dir("typed.ttl", ILL_TYPED)
    result = invoke("validate", "--data", folder)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Failed to convert" not in result.output
    assert result.output.count("four thousand") == 2  # SHACL's two findings; no third one for the same value
    # a property that no shape types: only the literal check finds it
    [literal] = [line for line in result.output.splitlines() if line.startswith("ERROR [literal] ")]
    assert "typed.ttl" in literal and "property rdfs:comment" in literal
    assert "'2001-13-45' is not a valid xsd:date" in result.output
    built = invoke("build", "--out", folder.parent / "out", "--data", folder)
    assert built.exit_code == 1 and "Traceback" not in built.output and "Failed to convert" not in built.output


def test_rdflib_still_warns_outside_irgraph_validation(caplog):
    from rdflib import XSD, Literal

    from irgraph.validate import quiet_ill_typed_literals

    with quiet_ill_typed_literals():
        Literal("four thousand", datatype=XSD.integer)
    assert not caplog.records
    Literal("five thousand", datatype=XSD.integer)
    assert any("Failed to convert Literal" in r.getMessage() for r in caplog.records)


def test_a_malformed_store_url_is_a_usage_error_that_hides_the_password(invoke):
    for url in ("sparql:http://dba:s3cret@[::1/sparql", "sparql:http://dba:pa/s3cret@host:80/sparql"):
        result = invoke("export", "--store", url)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "s3cret" not in result.output
        assert "not a valid URL" in result.output


# --- export honours --store for every format -------------------------------------------------------

EXPORT_FORMATS = ("jsonld", "turtle", "nt", "nq", "graphml")


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_from_a_store_that_is_not_there_is_exit_2(invoke, tmp_path, fmt):
    result = invoke("export", "--format", fmt, "--store", f"oxigraph:{tmp_path / 'nonexistent'}")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no irgraph store there" in result.output and "Traceback" not in result.output


def test_export_reads_a_filled_store_in_every_format_but_nq(invoke, tmp_path, data_dir):
    folder = data_dir("extra.ttl", 'ir:only-in-the-store a irg:Organization ; rdfs:label "Only in the store"@en .\n')
    store = tmp_path / "store"
    irgraph.fill_store(store, [folder])
    for fmt in EXPORT_FORMATS:
        from_store = invoke("export", "--format", fmt, "--store", f"oxigraph:{store}")
        if fmt == "nq":
            assert from_store.exit_code == 2 and "--format nt or turtle" in from_store.output
            continue
        assert from_store.exit_code == 0, from_store.output
        assert "only-in-the-store" in from_store.stdout, fmt
        assert from_store.stdout == invoke("export", "--format", fmt, "--data", folder).stdout, fmt


# --- escaped quotes and hashes in prefixed names: the limit checks read past them -----------------


def test_100k_nested_lists_after_an_escaped_hash_in_a_name_are_refused(invoke, data):
    """The attack: ``ex:a\\#`` (a legal name) once made the check read the rest of the line as a comment."""
    depth = 100_000
    folder = data("deep.ttl", EX + "ex:s ex:p ex:a\\#, " + "(" * depth + "1" + ")" * depth + " .\n")
    for args in (("validate",), ("build", "--out", folder.parent / "out"), ("export", "--format", "nt")):
        _clear_load_error(invoke(*args, "--data", folder), "deep.ttl:2:275", f"more than {DEFAULT_MAX_NESTING} levels deep")
    _clear_load_error(invoke("diff", folder, folder), "deep.ttl:2:275", "levels deep")
    assert not (folder.parent / "out").exists()


def test_a_20_mb_literal_after_an_escaped_quote_in_a_name_is_refused_with_its_line(invoke, data):
    """The attack: after ``ex:a\\'`` the check took the literal's own ``'`` for the end of a string."""
    folder = data("big.ttl", EX + "ex:s ex:p ex:a\\', \"" + "A" * 10_000_000 + "'" + "B" * 10_000_000 + '" .\n')
    _clear_load_error(invoke("validate", "--data", folder), "big.ttl:2:19", "a term of 19.1 MiB starts here")


# --- RDF 1.2 triple terms: refused with file and line, in every format and on every path --------

def nested_triple_terms(depth: int) -> str:
    """The attack: triple terms inside triple terms, in N-Triples (20,000 deep: 680 KB)."""
    return "<http://e/s> <http://e/p> " + "<<( <http://e/a> <http://e/b> " * depth + "<http://e/c>" + " )>>" * depth + " .\n"


#: file name: (text, where the error must point); the attack's inputs first, then the other formats and forms
TRIPLE_TERMS = {
    "one.nt": ("<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n", "one.nt:1:27"),
    "one.ttl": (EX + "ex:s ex:p << ex:a ex:b ex:c >> .\n", "one.ttl:2:11"),
    "deep20k.nt": (nested_triple_terms(20_000), "deep20k.nt:1:27"),  # crashed validate, load and diff (exit 139)
    "deep10k.nt": (nested_triple_terms(10_000), "deep10k.nt:1:27"),  # loaded, then crashed stats on the store
    "one.nq": ("<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> <http://e/g> .\n", "one.nq:1:27"),
    "one.trig": (EX + "ex:g { ex:s ex:p << ex:a ex:b ex:c >> . }\n", "one.trig:2:18"),
    "annotation.ttl": (EX + "ex:s ex:p ex:o {| ex:q ex:r |} .\n", "annotation.ttl:2:16"),
    "reifier.ttl": (EX + "ex:s ex:p ex:o ~ ex:r .\n", "reifier.ttl:2:16"),
}


def _refused_triple_term(result, where: str) -> None:
    _clear_load_error(result, where, "RDF 1.2 triple terms are not supported")
    assert "nothing was loaded" in result.output


@pytest.mark.parametrize("name", list(TRIPLE_TERMS))
def test_triple_terms_are_refused_by_every_command_that_reads_data(invoke, data, tmp_path, name):
    folder = data(name, TRIPLE_TERMS[name][0])
    where = TRIPLE_TERMS[name][1]
    for args in (("validate",), ("build", "--out", tmp_path / "out"), ("export", "--format", "nt"),
                 ("export", "--format", "nq"), ("stats",), ("load", "--store", f"oxigraph:{tmp_path / 'store'}")):
        _refused_triple_term(invoke(*args, "--data", folder), where)
    _refused_triple_term(invoke("diff", folder, folder), where)
    assert not (tmp_path / "out").exists() and not (tmp_path / "store").exists()


def test_triple_terms_are_refused_on_rdflibs_store_and_by_the_library(data):
    folder = data("one.nt", TRIPLE_TERMS["one.nt"][0])
    for store in ("memory", "oxigraph"):
        with pytest.raises(irgraph.LoadError, match=r"RDF 1\.2 triple terms are not supported"):
            irgraph.load_data([folder], store=store)
    with pytest.raises(irgraph.LoadError, match=r"one\.nt"):
        irgraph.diff_graphs(folder, folder)


@pytest.mark.parametrize("name", ["one.nt", "one.ttl", "one.nq", "annotation.ttl"])
def test_a_triple_term_the_text_check_missed_is_still_refused_after_parsing(invoke, data, tmp_path, monkeypatch, name):
    """A second wall: what the parsers give is looked at too (the bulk load into memory, streams, lists)."""
    import irgraph.load as load_module

    monkeypatch.setattr(load_module, "check_text", lambda path, syntax: None)
    folder = data(name, TRIPLE_TERMS[name][0])
    where = TRIPLE_TERMS[name][1]
    for args in (("validate",), ("validate", "--store", "memory"), ("load", "--store", f"oxigraph:{tmp_path / 'store'}")):
        _refused_triple_term(invoke(*args, "--data", folder), where)
    _refused_triple_term(invoke("diff", folder, folder), where)
    assert not (tmp_path / "store").exists()


def _old_store(path, data_file) -> None:
    """A store filled before triple terms were refused: Oxigraph's own load, and a manifest of version 1.

    Made in a child process, as irgraph's old ``load`` made it, so that a crash would not take the tests along.
    """
    import subprocess
    import sys

    program = (
        "import json, sys, pyoxigraph as ox\n"
        "store = ox.Store(sys.argv[1])\n"
        "store.load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES)\n"
        "store.flush()\n"
        "del store\n"
        "manifest = {'irgraph-store': 1, 'triples': 1, 'files': [{'name': 'x.nt', 'triples': 1}]}\n"
        "open(sys.argv[1] + '/irgraph-store.json', 'w').write(json.dumps(manifest))\n"
    )
    subprocess.run([sys.executable, "-c", program, str(path), str(data_file)], check=True)


@pytest.mark.parametrize("name", ["one.nt", "deep10k.nt"])
def test_a_store_filled_with_triple_terms_before_they_were_refused_is_a_clear_error(invoke, data, tmp_path, name):
    """The attack: ``load`` took 10,000 nested triple terms, and ``stats`` on the store then crashed (exit 139)."""
    folder = data(name, TRIPLE_TERMS[name][0])
    store = tmp_path / "store"
    _old_store(store, folder / name)
    for args in (("stats",), ("validate",), ("export", "--format", "nt"), ("query", "ASK { ?s ?p ?o }")):
        result = invoke(*args, "--store", f"oxigraph:{store}")
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert "RDF 1.2 triple term" in result.output and f"irgraph load --store oxigraph:{store}" in result.output


def test_an_old_store_is_searched_on_a_thread_where_no_child_can_start(data, tmp_path, monkeypatch):
    import irgraph.store as store_module

    folder = data("one.nt", TRIPLE_TERMS["one.nt"][0])
    _old_store(tmp_path / "store", folder / "one.nt")
    monkeypatch.setattr(store_module, "can_fork", lambda **_options: False)
    with pytest.raises(irgraph.UsageError, match=r"holds RDF 1\.2 triple terms"):
        irgraph.load_data(store=f"oxigraph:{tmp_path / 'store'}")


def test_a_store_filled_now_is_not_searched_again_and_an_old_clean_one_opens(tmp_path, monkeypatch):
    import irgraph.store as store_module

    store = tmp_path / "store"
    irgraph.fill_store(store)
    manifest = json.loads((store / "irgraph-store.json").read_text())
    assert manifest["irgraph-store"] == store_module.STORE_VERSION
    searched = []
    real = store_module._refuse_triple_terms
    monkeypatch.setattr(store_module, "_refuse_triple_terms", lambda path: searched.append(path) or real(path))
    assert len(irgraph.load_graph(store=f"oxigraph:{store}")) == manifest["triples"] and searched == []
    (store / "irgraph-store.json").write_text(json.dumps({**manifest, "irgraph-store": 1}))
    assert len(irgraph.load_graph(store=f"oxigraph:{store}")) == manifest["triples"] and searched == [store]
