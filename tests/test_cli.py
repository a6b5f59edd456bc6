"""The command line: documented, runnable as `irgraph` and `python -m irgraph`."""

from __future__ import annotations

import subprocess
import sys

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
