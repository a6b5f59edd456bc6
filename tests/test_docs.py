"""Documentation that runs: docstring examples and the README's data example."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import irgraph

from .conftest import REPO

MODULES = sorted(m.name for m in pkgutil.iter_modules(irgraph.__path__, "irgraph.") if m.name != "irgraph.__main__")


@pytest.mark.parametrize("name", ["irgraph", *MODULES])
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
    report = irgraph.validate(irgraph.load([tmp_path]))
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
    real = irgraph.build(tmp_path).summary().splitlines()[0]
    assert re.sub(r"\d+", "N", shown) == re.sub(r"\d+", "N", real), (shown, real)
    for claimed, actual in zip(re.findall(r"\d+", shown), re.findall(r"\d+", real), strict=True):
        assert 0 < int(claimed) <= int(actual), (shown, real)
