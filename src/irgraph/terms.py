"""Find the entity a person means: by IRI, compact name (``ir:il-2``), label or synonym.

Used wherever a command takes a term (``describe``, ``--focus``, query
parameters, ``path``). Matching on labels ignores case; when nothing or more
than one entity matches, the error lists the closest names.
"""

from __future__ import annotations

import difflib
import re

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .errors import UsageError
from .namespaces import compact, expand

_NAME_PROPERTIES = (RDFS.label, SKOS.altLabel)


def names(graph: Graph) -> dict[str, set[URIRef]]:
    """Lower-cased label or synonym -> the typed entities that carry it."""
    found: dict[str, set[URIRef]] = {}
    for prop in _NAME_PROPERTIES:
        for subject, name in graph.subject_objects(prop):
            if isinstance(subject, URIRef):
                found.setdefault(str(name).strip().lower(), set()).add(subject)
    return found


def resolve(graph: Graph, text: str) -> URIRef:
    """The one entity ``text`` names, or :class:`UsageError` with close matches.

    >>> from irgraph import load_graph
    >>> g = load_graph()
    >>> compact(resolve(g, "Immunitin")), compact(resolve(g, "ir:il-2"))
    ('ir:he2000', 'ir:il-2')
    """
    text = text.strip()
    if not text:
        raise UsageError("an empty term was given; name an entity by label, synonym, compact name or IRI")
    iri = expand(text)
    if iri != text or text.startswith(("http://", "https://", "urn:", "<")):
        node = URIRef(iri)
        if (node, None, None) in graph or (None, None, node) in graph:
            return node
        raise UsageError(f"{text} is not in the graph{_suggest(graph, text.rsplit(':', 1)[-1].rsplit('/', 1)[-1])}")
    by_name = names(graph)
    matches = by_name.get(text.lower(), set())
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        typed = sorted(matches, key=str)
        listed = "; ".join(f"{compact(str(m))} ({_type(graph, m)})" for m in typed)
        raise UsageError(f"{text!r} names {len(typed)} entities: {listed}; give the compact name instead")
    raise UsageError(f"nothing in the graph is called {text!r}{_suggest(graph, text)}")


def _type(graph: Graph, node) -> str:
    types = sorted(compact(str(t)) for t in graph.objects(node, RDF.type))
    return ", ".join(types) or "untyped"


def _words(text: str) -> list[str]:
    """The words of a name, lower-cased: ``Hollis-Eden`` -> ``['hollis', 'eden']``."""
    return re.findall(r"[^\W_]+", text.lower())


def close_names(graph: Graph, text: str, limit: int = 8) -> list[str]:
    """Names in the graph close to ``text``: containing it, containing all its words, or spelt alike.

    >>> from irgraph import load_graph
    >>> "hollis-eden pharmaceuticals" in close_names(load_graph(), "Hollis Eden")
    True
    """
    by_name = names(graph)
    wanted = text.strip().lower()
    words = _words(text)
    shortest = sorted(by_name, key=lambda name: (len(name), name))  # entities' names before findings' sentences
    found = [name for name in shortest if wanted and wanted in name]
    found += [name for name in shortest if words and set(words) <= set(_words(name)) and name not in found]
    found += [name for name in difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.6) if name not in found]
    return found[:limit]


def _suggest(graph: Graph, text: str) -> str:
    by_name = names(graph)
    close = close_names(graph, text)
    if not close:
        return "; try a label, a synonym or a compact name such as ir:il-2"
    shown = []
    for name in close:
        for node in sorted(by_name[name], key=str):
            shown.append(f"{name!r} = {compact(str(node))}")
    return "; did you mean: " + ", ".join(shown[:8]) + "?"
