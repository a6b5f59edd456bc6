"""Exit codes that mean one thing each (README, "Exit codes"): 0, 1, 2, 3, 70 for a bug, 130 for Ctrl-C."""

from __future__ import annotations

import importlib

import pytest

from irgraph.cli import EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, main

from .conftest import REPO


@pytest.fixture
def broken_stats(monkeypatch):
    """A bug: the library function behind 'irgraph stats' raises an unexpected exception."""

    def bug(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero in the centrality")

    monkeypatch.setattr(importlib.import_module("irgraph.network"), "graph_stats", bug)


def test_an_internal_error_is_one_line_naming_the_bug_and_exit_70(runner, broken_stats):
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == EXIT_INTERNAL_ERROR == 70
    assert "Traceback" not in result.output
    first, second = result.output.splitlines()
    assert first == "irgraph: internal error (a bug in irgraph): ZeroDivisionError: division by zero in the centrality"
    assert "report it to the irgraph issue tracker" in second and "--debug" in second


def test_debug_shows_the_traceback_of_an_internal_error(runner, broken_stats):
    result = runner.invoke(main, ["--debug", "stats"])
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.output and "in bug" in result.output
    assert "ZeroDivisionError: division by zero in the centrality" in result.output


def test_ctrl_c_is_one_line_and_exit_130(runner, monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module("irgraph.network"), "graph_stats", interrupted)
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == EXIT_INTERRUPTED == 130
    assert result.output == "irgraph: interrupted\n"


def test_usage_errors_stay_exit_2(invoke, tmp_path):
    for args in (("stats", "--top", "0"), ("no-such-command",), ("diff", tmp_path / "missing", tmp_path)):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output and "internal error" not in result.output


def test_negative_answers_exit_1(invoke, tmp_path, data_dir):
    (tmp_path / "a.ttl").write_text("<http://example.org/s> <http://example.org/p> 1 .\n")
    (tmp_path / "b.ttl").write_text("<http://example.org/s> <http://example.org/p> 2 .\n")
    assert invoke("diff", tmp_path / "a.ttl", tmp_path / "b.ttl").exit_code == 1
    # 'irgraph path' between unconnected entities: tests/test_network.py
    folder = data_dir("unsourced.ttl", 'ir:lonely a irg:Claim ; rdfs:label "Lonely claim"@en .\n')
    assert invoke("validate", "--data", folder).exit_code == 1


def test_validate_reports_a_load_error_like_every_command(invoke, data_dir):
    folder = data_dir("broken.ttl", 'ir:x rdfs:label "unterminated .\n')
    text = invoke("validate", "--data", folder)
    assert text.exit_code == 2 and text.output.startswith("irgraph: error: ") and "broken.ttl:8" in text.output
    as_json = invoke("validate", "--data", folder, "--format", "json")
    assert as_json.exit_code == 2 and '"kind": "parse"' in as_json.stdout


def test_the_readme_has_one_exit_code_table_with_every_code():
    readme = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    assert readme.count("## Exit codes") == 1
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert codes == ["0", "1", "2", "3", "70", "130"]
