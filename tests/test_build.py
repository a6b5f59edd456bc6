"""`irgraph build`: valid outputs, a truthful summary, deterministic bytes, atomic writes."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import irgraph
from irgraph.store import memory_copy

from .conftest import FIXTURES

BAD = 'ir:x rdfs:label "unterminated .\n'


def test_build_writes_four_files_and_a_truthful_summary(invoke, tmp_path, graph):
    out = tmp_path / "out"
    result = invoke("build", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["irgraph.html", "irgraph.jsonld", "irgraph.ttl", "void.ttl"]
    # count independently, with rdflib's own engine on a plain copy
    plain = memory_copy(graph)
    def count(cls):
        return len(set(plain.query(
            f"SELECT DISTINCT ?n WHERE {{ ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/irgraph/ontology#{cls}> . ?n a ?t }}")))
    expected = (f"{len(plain)} triples: {count('Intervention')} interventions, {count('ClinicalStudy')} studies, "
                f"{count('Finding')} findings, {count('Claim')} claims, {count('Source')} sources")
    assert expected in result.output
    assert count("Intervention") >= 12 and count("Finding") >= 20


def test_outputs_are_the_graph(tmp_path, graph):
    irgraph.run_build(tmp_path)
    plain = memory_copy(graph)
    assert isomorphic(Graph().parse(tmp_path / "irgraph.ttl", format="turtle"), plain)
    assert isomorphic(Graph().parse(tmp_path / "irgraph.jsonld", format="json-ld"), plain)
    html = (tmp_path / "irgraph.html").read_text(encoding="utf-8")
    assert "not medical advice" in html and "vis.Network" in html


def test_build_twice_gives_identical_bytes(tmp_path):
    irgraph.run_build(tmp_path / "a")
    irgraph.run_build(tmp_path / "b")
    for name in ("irgraph.ttl", "irgraph.jsonld", "irgraph.html", "void.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_turtle_is_identical_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "irgraph", "build", "--out", str(out)], check=True, env=env, capture_output=True)
        outputs.append((out / "irgraph.ttl").read_bytes())
    assert outputs[0] == outputs[1]


def test_failed_build_leaves_previous_outputs_intact(invoke, tmp_path, data_dir):
    out = tmp_path / "out"
    assert invoke("build", "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    folder = data_dir("broken.ttl", BAD)
    result = invoke("build", "--out", out, "--data", folder)
    assert result.exit_code == 2
    assert "broken.ttl:8" in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_invalid_data_writes_nothing_and_exits_1(invoke, tmp_path, data_dir):
    out = tmp_path / "out"
    folder = data_dir("unsourced.ttl", 'ir:lonely a irg:Claim ; rdfs:label "Lonely claim"@en .\n')
    result = invoke("build", "--out", out, "--data", folder)
    assert result.exit_code == 1
    assert "Lonely claim" in result.output
    assert not out.exists()


def test_interrupted_write_leaves_old_files_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "out"
    irgraph.run_build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    import irgraph.writes as writes

    real_fsync = os.fsync
    calls = {"n": 0}

    def crash_on_third(fd):
        calls["n"] += 1
        if calls["n"] == 3:  # the HTML file: Turtle and JSON-LD went through
            raise KeyboardInterrupt("interrupted")
        return real_fsync(fd)

    monkeypatch.setattr(writes.os, "fsync", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        irgraph.run_build(out, [FIXTURES / "valid"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.fixture
def another_thread():
    """A second thread in this process: build must then validate without forking."""
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    yield
    release.set()
    thread.join()


def _report_of_failed_build(tmp_path, data):
    with pytest.raises(irgraph.ValidationFailed) as failed:
        irgraph.run_build(tmp_path / "out", [data])
    assert not (tmp_path / "out").exists()
    return [(p.kind, p.focus, p.message) for p in failed.value.report.problems]


FORKED_AND_ALONE = """
import importlib, json, sys
import irgraph
build_module = importlib.import_module("irgraph.build")
calls, real_in_child = [], build_module.in_child
build_module.in_child = lambda *args, **kwargs: calls.append(1) or real_in_child(*args, **kwargs)
problems = lambda report: [[p.kind, p.focus, p.message] for p in report.problems]
try:
    irgraph.run_build(sys.argv[2], [sys.argv[1]])
except irgraph.ValidationFailed as failed:
    forked = problems(failed.report)
alone = problems(irgraph.validate_graph(irgraph.load_data([sys.argv[1]])))
print(json.dumps({"forked": forked, "alone": alone, "in_child": len(calls)}))
"""


def test_validation_beside_rendering_reports_what_validation_alone_does(tmp_path, data_dir):
    """The report from the forked validation equals the one validate() gives in this process.

    In a process of its own: threads that other tests leave (a query that
    ends in the background) would make build validate in turn instead.
    """
    import json

    folder = data_dir("unsourced.ttl", 'ir:lonely a irg:Claim ; rdfs:label "Lonely claim"@en .\n')
    run = subprocess.run([sys.executable, "-c", FORKED_AND_ALONE, str(folder), str(tmp_path / "out")],
                         capture_output=True, text=True, check=True)
    answer = json.loads(run.stdout)
    assert answer["in_child"] == 1, "the fork path was not taken"
    assert answer["forked"] == answer["alone"] and answer["forked"]
    assert not (tmp_path / "out").exists()


def test_a_threaded_process_validates_in_turn(tmp_path, data_dir, another_thread):
    folder = data_dir("unsourced.ttl", 'ir:lonely a irg:Claim ; rdfs:label "Lonely claim"@en .\n')
    assert _report_of_failed_build(tmp_path, folder)
    assert len(irgraph.run_build(tmp_path / "ok").files) == 4


def test_a_failure_inside_the_forked_validation_is_raised_here(tmp_path, monkeypatch):

    def broken(_loaded):
        raise irgraph.IrgraphError("the shapes file is unreadable")

    monkeypatch.setattr(importlib.import_module("irgraph.build"), "validate_graph", broken)
    with pytest.raises(irgraph.IrgraphError, match="the shapes file is unreadable"):
        irgraph.run_build(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_invalid_data_is_reported_even_when_rendering_fails(tmp_path, data_dir, monkeypatch):

    def broken(_graph):
        raise irgraph.IrgraphError("the explorer could not be drawn")

    monkeypatch.setattr(importlib.import_module("irgraph.visualize"), "to_html", broken)
    folder = data_dir("unsourced.ttl", 'ir:lonely a irg:Claim ; rdfs:label "Lonely claim"@en .\n')
    with pytest.raises(irgraph.ValidationFailed):
        irgraph.run_build(tmp_path / "out", [folder])
    with pytest.raises(irgraph.IrgraphError, match="could not be drawn"):
        irgraph.run_build(tmp_path / "out")
    assert not (tmp_path / "out").exists()
