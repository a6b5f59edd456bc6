"""The command line: documented, runnable as `irgraph` and `python -m irgraph`."""

from __future__ import annotations

import subprocess
import sys

import pytest

import irgraph
from irgraph.cli import main


def test_every_command_has_help_with_an_example(invoke):
    assert main.commands, "no commands registered"
    for name in main.commands:
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, f"'irgraph {name} --help' has no example"


def test_commands_are_documented_in_the_readme():
    from .conftest import REPO

    readme = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"irgraph {name}" in readme, f"README does not document 'irgraph {name}'"


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "irgraph", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: irgraph" in result.stdout and "not medical advice" in result.stdout


def test_usage_error_exits_2_without_traceback(invoke):
    result = invoke("validate", "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unknown_store_is_a_usage_error(invoke):
    result = invoke("build", "--store", "nowhere")
    assert result.exit_code == 2


def test_version_is_the_installed_package_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"irgraph, version {irgraph.package_version()}"
    assert irgraph.__version__ == irgraph.package_version()


# --- the command line for people: the catalog's headings, wide tables, close names ----------------

def test_list_shows_research_questions_before_internal_queries(invoke):
    out = invoke("query", "--list").output
    research, internal = out.index("Research questions"), out.index("Internal queries")
    assert research < out.index("claim-ledger") < internal < out.index("count-instances-per-class")
    assert internal < out.index("study-without-phase-violation") and internal < out.index("construct-void-dataset")


def test_tables_wrap_long_text_to_the_terminal_and_wide_tables_keep_rows_on_one_line(invoke, monkeypatch):
    sparql = "SELECT ?s ?d WHERE { VALUES ?s { ir:il-2 } ?s skos:definition ?d }"
    definition = " ".join(invoke("query", sparql, "--format", "csv").output.splitlines()[1].split(",", 1)[1].strip('"').split())
    assert len(definition) > 100
    for columns in (40, 72, 100):
        monkeypatch.setenv("COLUMNS", str(columns))
        lines = invoke("query", sparql).output.splitlines()
        assert all(len(line) <= columns for line in lines), (columns, lines)
        body = lines[2:-1]
        assert body[0].startswith("ir:il-2 ") and len(body) > 1
        indent = lines[1].index(" -") + 1  # where the second column starts
        assert all(line[:indent].strip() == "" for line in body[1:])
        assert " ".join(line[indent:].strip() for line in body) == definition  # nothing cut, nothing lost
        assert lines[-1] == "(1 row)"
    monkeypatch.setenv("COLUMNS", "40")
    wide = invoke("query", sparql, "--wide").output.splitlines()
    assert len(wide) == 4 and wide[2].endswith(definition)


@pytest.mark.parametrize("text, expected", [("CD4", "ir:cd4-t-cell"), ("Hollis Eden", "ir:hollis-eden-pharmaceuticals"),
                                            ("hollis-eden", "ir:hollis-eden-pharmaceuticals")])
def test_describe_and_path_suggest_names_by_substring_and_words(invoke, text, expected):
    for args in (("describe", text), ("path", text, "thymus")):
        result = invoke(*args)
        assert result.exit_code == 2 and expected in result.output and "did you mean" in result.output


def test_help_imports_only_the_command_line():
    """``irgraph --help`` imports click and the light modules, not the engines (the import is most of its time)."""
    script = (
        "import sys\n"
        "from irgraph.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    imported = set(done.stdout.split("\n")[-2].split())
    for heavy in ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "pyshacl", "pyshacl_turbo", "jinja2", "matplotlib", "pyld", "requests",
                  "irgraph.store", "irgraph.query", "irgraph.load"):
        assert heavy not in imported, heavy
    assert "click" in imported
