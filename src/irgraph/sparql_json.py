"""SPARQL 1.1 Query Results JSON, written out: the one writer of every path that answers a query in JSON.

:func:`irgraph.results.to_sparql_json` gives it rdflib terms;
:mod:`irgraph.direct_query` gives it Oxigraph's terms, without importing
rdflib. Both describe each term by the same three functions, so the two
write the same bytes for the same answer (``tests/test_direct_query.py``
compares them on every catalog query).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from json.encoder import encode_basestring as _json_string  # what json.dumps(..., ensure_ascii=False) writes a string with
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def iri_json(iri: str) -> str:
    """An IRI as SPARQL JSON.

    >>> iri_json("http://example.org/a")
    '{"type": "uri", "value": "http://example.org/a"}'
    """
    return f'{{"type": "uri", "value": {_json_string(iri)}}}'


def bnode_json(name: str) -> str:
    """A blank node (its id) as SPARQL JSON."""
    return f'{{"type": "bnode", "value": {_json_string(name)}}}'


def literal_json(lexical: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal as SPARQL JSON: language-tagged, typed, or simple (``datatype`` None).

    >>> literal_json("CD4", language="en")
    '{"type": "literal", "value": "CD4", "xml:lang": "en"}'
    >>> literal_json("3", datatype="http://www.w3.org/2001/XMLSchema#integer")
    '{"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}'
    """
    value = _json_string(lexical)
    if language:
        return f'{{"type": "literal", "value": {value}, "xml:lang": {_json_string(language)}}}'
    if datatype is not None:
        return f'{{"type": "literal", "value": {value}, "datatype": {_json_string(datatype)}}}'
    return f'{{"type": "literal", "value": {value}}}'


def ask_json(boolean: bool) -> str:
    """An ASK answer: ``head`` and ``boolean``."""
    return json.dumps({"head": {}, "boolean": bool(boolean)}) + "\n"


def select_json(variables: list[str], rows: Iterable[Mapping[str, T]], term_json: Callable[[T], str]) -> str:
    """A SELECT answer: ``head`` (the variables), then ``results`` (one binding object per row, unbound left out).

    ``term_json`` writes one term; each distinct term is written once (an
    answer repeats the same terms), the rows joined as text: the same JSON
    as ``json.dumps`` of the dicts, at a fraction of its cost.

    >>> print(select_json(["x"], [{"x": "http://example.org/a"}], iri_json), end="")
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "http://example.org/a"}}]}}
    """
    encoded: dict = {}

    def term(value: T) -> str:
        text = encoded.get(value)
        if text is None:
            text = encoded[value] = term_json(value)
        return text

    names = {variable: json.dumps(variable, ensure_ascii=False) for variable in variables}
    lines = ["{" + ", ".join(f"{names[variable]}: {term(row[variable])}" for variable in variables if variable in row) + "}"
             for row in rows]
    return (f'{{"head": {{"vars": {json.dumps(variables, ensure_ascii=False)}}}, '
            f'"results": {{"bindings": [{", ".join(lines)}]}}}}\n')
