"""Where the ontology, shapes, JSON-LD context, bundled data and queries live.

An installed wheel carries ``ontology/`` and ``data/`` inside the package
(``irgraph/ontology``, ``irgraph/data``); a source checkout keeps them at the
top of the repository. Both layouts are found here and nowhere else, and so
is the installed version (outputs that say which irgraph made them read it).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from .errors import IrgraphError

_PACKAGE_DIR = Path(str(files("irgraph")))


@cache
def _top_level_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise IrgraphError(
        f"irgraph's bundled '{name}' folder is missing from {_PACKAGE_DIR}; "
        "reinstall the package with 'pip install .'"
    )


def ontology_dir() -> Path:
    """The folder holding ``irgraph.ttl``, ``shapes.ttl`` and ``context.jsonld``."""
    return _top_level_dir("ontology")


def ontology_file() -> Path:
    """The OWL ontology in Turtle."""
    return ontology_dir() / "irgraph.ttl"


def shapes_file() -> Path:
    """The SHACL shapes that encode the data contract."""
    return ontology_dir() / "shapes.ttl"


def context_file() -> Path:
    """The JSON-LD context: the single prefix map of the project."""
    return ontology_dir() / "context.jsonld"


def data_dir() -> Path:
    """The bundled, curated data."""
    return _top_level_dir("data")


def queries_dir() -> Path:
    """The SPARQL query files (catalog, violation checks, reports)."""
    return _PACKAGE_DIR / "queries"


def package_version() -> str:
    """The installed version of irgraph ("0+unknown" in a source tree that is not installed)."""
    # importlib.metadata is read only when asked: importing it costs more than the rest of the start-up checks
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("irgraph")
    except PackageNotFoundError:
        return "0+unknown"
