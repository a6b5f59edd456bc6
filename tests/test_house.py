"""The structure the code keeps: one format registry, a generated closed vocabulary, layers, old names that warn."""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import DCAT

import irgraph
from irgraph import formats, serve
from irgraph.cli import main
from irgraph.describe_dataset import DATASET_IRI, dataset_description
from irgraph.namespaces import declared_terms
from irgraph.vocab import IRG

from .conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import generate_vocabulary


def _choices(command: str, option: str = "--format") -> list[str]:
    params = {p.opts[0]: p for p in main.commands[command].params if getattr(p, "opts", None)}
    return list(params[option].type.choices)


# --- the format registry --------------------------------------------------------

def test_every_graph_format_is_an_export_choice_and_writes():
    assert _choices("export") == [f.name for f in formats.FORMATS if f.can(formats.GRAPH)]
    help_text = CliRunner().invoke(main, ["export", "--help"]).output
    for entry in formats.formats_for(formats.GRAPH):
        assert entry.name in help_text


def test_every_result_format_is_a_query_choice():
    expected = [f.name for f in formats.FORMATS if f.can(formats.SELECT) or f.can(formats.CONSTRUCT)]
    assert _choices("query") == expected


def test_every_result_media_type_is_negotiated_and_described():
    for entry in formats.formats_for(formats.SELECT, formats.ASK, formats.CONSTRUCT):
        if entry.media_type is None:
            continue
        kind = "graph" if entry.can(formats.CONSTRUCT) else "select"
        assert serve.negotiate(entry.media_type, kind) == entry.name
        for other in entry.also_accepted:
            assert serve.negotiate(other, kind) == entry.name
    description = serve.service_description("http://127.0.0.1:7878/sparql")
    described = {str(o) for o in description.objects(None, serve.SD.resultFormat)}
    assert described == {f.w3c for f in formats.formats_for(formats.SELECT, formats.ASK, formats.CONSTRUCT)
                         if f.media_type}
    assert all(iri.startswith("http://www.w3.org/ns/formats/") for iri in described)


def test_every_file_format_is_a_void_distribution_with_its_media_type(graph):
    files = [f"irgraph{f.suffix}" for f in formats.FORMATS if f.suffix and f.media_type]
    described = dataset_description(graph, files)
    media = {str(m).rsplit("media-types/", 1)[1] for d in described.objects(DATASET_IRI, DCAT.distribution)
             for m in described.objects(d, DCAT.mediaType)}
    assert media == {f.media_type for f in formats.FORMATS if f.suffix and f.media_type}


def test_every_writer_named_in_the_registry_exists():
    for entry in formats.FORMATS:
        for path in (entry.writer, entry.result_writer):
            if path:
                module, _, function = path.partition(":")
                writer = getattr(importlib.import_module(module), function)
                assert callable(writer) and writer.__doc__, path
        assert entry.writer or entry.result_writer, entry.name


def test_an_unknown_format_is_a_usage_error():
    with pytest.raises(irgraph.UsageError, match="choose one of"):
        formats.get("trix")


# --- the vocabulary -------------------------------------------------------------

def test_the_committed_vocabulary_is_what_the_ontology_generates():
    committed = (REPO / "src" / "irgraph" / "_irg.py").read_text(encoding="utf-8")
    assert committed == generate_vocabulary.render(), "run: python tools/generate_vocabulary.py"


def test_the_vocabulary_declares_every_ontology_term_and_no_other():
    assert set(IRG.__annotations__) == set(declared_terms())


def test_a_misspelt_term_raises():
    assert str(IRG.hasApproach) == "https://w3id.org/irgraph/ontology#hasApproach"
    with pytest.raises(AttributeError):
        _ = IRG.hasAproach


def test_code_writes_no_rdf_type_iri_and_no_irg_string():
    for path in sorted((REPO / "src" / "irgraph").glob("*.py")):
        if path.name in ("_irg.py", "vocab.py"):
            continue
        code = ast.parse(path.read_text(encoding="utf-8"))
        strings = [node.value for node in ast.walk(code) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        docstrings = {ast.get_docstring(n, clean=False) for n in ast.walk(code)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
        literal = [s for s in strings if s not in docstrings and (re.fullmatch(r"irg:\w+", s) or s.endswith("22-rdf-syntax-ns#type"))]
        assert literal == [], f"{path.name}: write the terms of irgraph.vocab, not {literal}"


# --- layers and size -------------------------------------------------------------

@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter is not installed (pip install '.[test]')")
def test_the_layers_hold():
    run = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=REPO, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in sorted((REPO / "src" / "irgraph").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                long.append(f"{path.name}:{node.name}")
    assert long == []


# --- the old names ------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    ("build", "run_build"), ("load", "load_data"), ("validate", "validate_graph"), ("query", "query_graph"),
    ("describe", "describe_entity"),
])
def test_the_submodules_keep_their_names(old, new):
    module = importlib.import_module(f"irgraph.{old}")
    assert getattr(irgraph, old) is module
    assert getattr(irgraph, new) is getattr(module, new)


def test_old_function_names_warn_and_still_work(tmp_path):
    with pytest.warns(DeprecationWarning, match=r"irgraph\.load\(\.\.\.\) is deprecated; call irgraph\.load_data"):
        loaded = irgraph.load()
    with pytest.warns(DeprecationWarning, match="irgraph.validate_graph"):
        assert irgraph.validate(loaded).conforms
    with pytest.warns(DeprecationWarning, match="irgraph.query_graph"):
        assert irgraph.query(loaded.graph, "ASK { ir:he2000 skos:altLabel 'Immunitin'@en }").boolean
    with pytest.warns(DeprecationWarning, match="irgraph.describe_entity"):
        assert irgraph.describe(loaded.graph, "Immunitin").label == "HE2000"
    with pytest.warns(DeprecationWarning, match="irgraph.run_build"):
        assert len(irgraph.build(tmp_path / "out").files) == 4


def test_new_names_do_not_warn(graph):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert irgraph.query_graph(graph, "ASK { ?s ?p ?o }").boolean
        assert irgraph.describe_entity(graph, "IL-2").label == "IL-2"
