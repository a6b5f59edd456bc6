"""Documentation that runs: docstring examples and the README's data example."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import shlex
import shutil

import pytest

import irgraph

from .conftest import REPO

MODULES = sorted(m.name for m in pkgutil.iter_modules(irgraph.__path__, "irgraph.") if m.name != "irgraph.__main__")


@pytest.mark.parametrize("name", ["irgraph", *MODULES, "tools.screenshot", "tools.generate_vocabulary"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_functions_have_docstrings():
    for name in irgraph.__all__:
        obj = getattr(irgraph, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and len(obj.__doc__.strip()) > 20, f"irgraph.{name} lacks a docstring"


def test_data_readme_example_validates(tmp_path):
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    turtle = re.search(r"```turtle\n(.*?)```", text, re.S).group(1)
    (tmp_path / "example.ttl").write_text(turtle, encoding="utf-8")
    report = irgraph.validate_graph(irgraph.load_data([tmp_path]))
    assert report.conforms, report.to_text()


def test_readme_starts_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    assert "pip install . && .venv/bin/irgraph build" in blocks[0]
    assert "pip install '.[test]'" in blocks[1] and "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci, ".ci/run must call the README's test command"
    assert "not medical advice" in text


def test_readme_build_summary_is_the_real_one(tmp_path):
    """The README's sample summary has the real summary's form and never claims more than the bundled data holds.

    The numbers themselves may lag behind the data (the README says "such as"),
    so adding a node to data/ does not break this test.
    """
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^\d+ triples: .*$", text, re.M).group(0)
    real = irgraph.run_build(tmp_path).summary().splitlines()[0]
    assert re.sub(r"\d+", "N", shown) == re.sub(r"\d+", "N", real), (shown, real)
    for claimed, actual in zip(re.findall(r"\d+", shown), re.findall(r"\d+", real), strict=True):
        assert 0 < int(claimed) <= int(actual), (shown, real)


# --- every example in the README and docs/ runs ----------------------------------

DOC_PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: commands that need something this test does not start (a server, a remote store) or that run for long
_NOT_RUN_HERE = ("irgraph serve", "irgraph push", "sparql:", "curl ", "export IRGRAPH", "pip install", "python3 -m venv",
                 "python benchmarks", "python tools/screenshot.py", "apt-get")


def _blocks(language: str):
    for page in DOC_PAGES:
        for block in re.findall(rf"```{language}\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            yield page.name, block


def _command_lines():
    for page, block in _blocks("(?:sh|console)"):
        for line in block.splitlines():
            line = line.removeprefix("$ ").strip()
            if line.startswith("irgraph ") and not any(skip in line for skip in _NOT_RUN_HERE):
                yield page, line.split(" #", 1)[0].split(" | ", 1)[0].split(" > ", 1)[0].split("; ", 1)[0].strip()


@pytest.fixture
def doc_folder(tmp_path, monkeypatch):
    """A working folder where the examples' names exist: my-data/ (the data README's example), a query file."""
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    (tmp_path / "my-data").mkdir()
    (tmp_path / "my-data" / "example.ttl").write_text(re.search(r"```turtle\n(.*?)```", text, re.S).group(1), encoding="utf-8")
    for name in ("trials", "ontologies"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "example.ttl").write_text((tmp_path / "my-data" / "example.ttl").read_text(), encoding="utf-8")
    (tmp_path / "big-ontology.nt").write_text(
        '<https://w3id.org/irgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "a stand-in" .\n', encoding="utf-8")
    (tmp_path / "my-question.rq").write_text("SELECT ?i WHERE { ?i a irg:Intervention } LIMIT 3\n", encoding="utf-8")
    shutil.copytree(REPO / "data", tmp_path / "data")
    for release in ("release-0.1.0", "old-release"):
        shutil.copytree(REPO / "data", tmp_path / release / "data")
    for fmt, name in (("jsonld", "irgraph.jsonld"), ("turtle", "irgraph.ttl"), ("graphml", "irgraph.graphml")):
        (tmp_path / name).write_text(irgraph.export_graph(fmt), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_python_examples_in_the_docs_run(doc_folder):
    for page, block in _blocks("python"):
        if ">>>" in block or any(skip in block for skip in _NOT_RUN_HERE):
            continue  # doctests run below; a remote store needs a server (tests/test_stores.py runs one)
        exec(compile(block, f"{page} example", "exec"), {"__name__": "docs_example"})


def test_doctest_examples_in_the_docs(doc_folder):
    for page in DOC_PAGES:
        if ">>>" in page.read_text(encoding="utf-8"):
            result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            assert result.failed == 0, page.name


def test_command_examples_in_the_docs_run(doc_folder):
    from click.testing import CliRunner

    from irgraph.cli import main

    ran = []
    for page, line in _command_lines():
        result = CliRunner().invoke(main, shlex.split(line)[1:], catch_exceptions=False)
        assert result.exit_code in (0, 1), f"{page}: {line}\n{result.output}"
        ran.append(line)
    assert len(ran) > 20


def _console_samples():
    """(page, command, the lines the docs show it printing) for every `$ irgraph …` in a console block."""
    for page, block in _blocks("console"):
        command, shown = None, []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command and shown:
                    yield page, command, shown
                command = line[2:].split("  #", 1)[0].strip() if line.startswith("$ irgraph ") else None
                shown = []
            elif command:
                shown.append(line.rstrip())


def _comparable(line: str) -> str:
    # numbers drift as the data grows; what the docs promise is the shape and the names
    return re.sub(r"\d[\d,.]*", "N", line.strip())


def test_console_samples_in_the_docs_are_what_the_tool_prints(doc_folder):
    """Each line a sample shows (apart from the '…' that stands for the rest) is a line the command prints."""
    from click.testing import CliRunner

    from irgraph.cli import main

    checked = 0
    for page, command, shown in _console_samples():
        line, echo_status, _ = command.partition("; echo $?")
        result = CliRunner().invoke(main, shlex.split(line)[1:], catch_exceptions=False)
        printed = {_comparable(out) for out in result.output.splitlines()}
        expected = [s for s in shown if s.strip() and "…" not in s]
        if echo_status:  # the sample ends with the exit status `echo $?` printed
            assert expected.pop() == str(result.exit_code), f"{page}: {command}"
        missing = [s for s in expected if _comparable(s) not in printed]
        assert not missing, f"{page}: `{command}` does not print:\n" + "\n".join(missing)
        checked += 1
    assert checked >= 3


def test_the_catalog_table_gives_each_question_its_title():
    """The table in docs/querying.md names real catalog queries with their titles (once a row was cut off)."""
    from irgraph.catalog import catalog

    text = (REPO / "docs" / "querying.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)`(?: \(`\w+`\))? \| (.+?) \|$", text, re.M)
    assert len(rows) >= 8
    for name, question in rows:
        assert catalog()[name].title == question, name
