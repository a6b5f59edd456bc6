"""The project's prefix map, read from the bundled JSON-LD context: the one source of every prefix.

Kept apart from :mod:`irgraph.namespaces` (which adds rdflib's namespace
objects and the compaction of IRIs) so that a command that needs only the
prefixes, such as a query on a persistent store, does not import rdflib.
"""

from __future__ import annotations

import json
from functools import cache

from .resources import context_file


@cache
def _context_text() -> str:
    return context_file().read_text(encoding="utf-8")


def bundled_context() -> dict:
    """The project's JSON-LD context (the ``@context`` object of ``ontology/context.jsonld``), a fresh copy.

    >>> bundled_context()["ir"]
    'https://w3id.org/irgraph/id/'
    """
    return json.loads(_context_text())["@context"]


@cache
def prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI, in the order the JSON-LD context lists them.

    >>> prefixes()["irg"]
    'https://w3id.org/irgraph/ontology#'
    """
    return {
        key: value
        for key, value in bundled_context().items()
        if isinstance(value, str) and not key.startswith("@") and value.endswith(("/", "#"))
    }
