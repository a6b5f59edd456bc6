"""``irgraph query`` on a persistent store, answered in SPARQL JSON from Oxigraph's own terms, without rdflib.

Importing rdflib (with the SPARQL parser that ``oxrdflib`` loads) takes about
a quarter of a second, more than many queries on a persistent store take to
run. For the case programs use most, a SELECT or ASK query written as
SPARQL JSON (``--format json``) on ``--store oxigraph:PATH``, this module
does the whole job with pyoxigraph alone and the same parts as the full
path of :mod:`irgraph.query`:

- the same text check (:func:`irgraph.guard.inspect_query`: no ``SERVICE``,
  ``FROM``, update; length and nesting), on the text that runs;
- the same run (:func:`irgraph.running.within`): in a child process killed at
  the time limit, on a thread without network sockets, with the same
  dataset given to the engine;
- the same row and size caps (:class:`irgraph.running.Collector`) and the
  same messages;
- the same JSON writer (:mod:`irgraph.sparql_json`), given Oxigraph's terms.
  A literal is written as the full path writes it: Oxigraph's lexical form
  where rdflib's reading of it is the same text (simple and language-tagged
  literals, canonical integers and booleans); any other typed literal is
  read by rdflib in the query's child, as the full path does.

Anything else (other formats, parameters, ``--data``, a store that is not
irgraph's or is of an older version, or a CONSTRUCT or
DESCRIBE query) is not handled here: :func:`direct_answer` returns
``None`` and the caller takes the full path, which gives the answer or the
error. ``tests/test_direct_query.py`` holds both paths to the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .catalog import saved_or_text
from .errors import IrgraphError
from .guard import ASK, SELECT, QueryLimits, inspect_query
from .running import Collector, oxigraph_answer, oxigraph_errors, take_solutions, within
from .sparql_json import ask_json, bnode_json, iri_json, literal_json, select_json
from .store_spec import PERSISTENT, filled_by_this_version, parse_store, read_manifest

#: the formats this path writes
DIRECT_FORMATS = ("json",)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
#: lexical forms that rdflib reads back as the same text (its normal form of the value)
_SAME_IN_RDFLIB = {
    _XSD + "integer": re.compile(r"-?(0|[1-9][0-9]*)"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _current_store(store: str) -> Path | None:
    """The folder of ``--store oxigraph:PATH`` when it holds a store filled by this version of ``irgraph load``.

    None for any other store, or a folder that is not such a store (the full path then says what is wrong).
    """
    try:
        spec = parse_store(store)
    except IrgraphError:
        return None
    if spec.kind != PERSISTENT or spec.path is None:
        return None
    manifest = read_manifest(spec.path)
    return spec.path if manifest is not None and filled_by_this_version(manifest) else None


def _term_json(term: Any) -> str:
    """One Oxigraph term as SPARQL JSON, as the full path writes the rdflib term it converts it to."""
    if isinstance(term, ox.NamedNode):
        return iri_json(term.value)
    if isinstance(term, ox.BlankNode):
        return bnode_json(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return literal_json(term.value, term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return literal_json(term.value)
        same = _SAME_IN_RDFLIB.get(datatype)
        if same is not None and same.fullmatch(term.value):
            return literal_json(term.value, datatype=datatype)
    # any other typed literal: rdflib's normal form of it, as the full path gives (rdflib is imported here only);
    # a triple term raises the full path's TypeError
    from .store import to_rdflib

    converted = to_rdflib(term)
    return literal_json(str(converted), datatype=str(converted.datatype))


def _answer(store: ox.Store, text: str, limits: QueryLimits,
            collector: Collector) -> tuple[str, bool | None, str | None, str] | None:
    """In the query's child: the engine's answer, written as SPARQL JSON; the full path's errors.

    The text is checked here, within the time limit, as on the full path: a
    text that takes long to check is stopped at the limit, and one the check
    refuses is refused with the full path's message. None for a CONSTRUCT or
    DESCRIBE, whose answer is never JSON (the full path says which formats it takes).
    """
    if inspect_query(text, limits) not in (SELECT, ASK):
        return None
    with oxigraph_errors(text):
        answer = oxigraph_answer(store, text)
        if isinstance(answer, ox.QueryBoolean):
            return ASK, bool(answer), None, ask_json(bool(answer))
        assert isinstance(answer, ox.QuerySolutions)  # the text check said SELECT or ASK
        variables, solutions = take_solutions(answer, collector)
        rows = [{name: term for name, term in zip(variables, solution, strict=True) if term is not None}
                for solution in solutions]
        return SELECT, None, collector.truncated, select_json(variables, rows, _term_json)


def direct_answer(store: str, name_or_text: str, fmt: str | None, *, data: tuple = (), params: tuple = (),
                  timeout: float | None, limits: QueryLimits) -> tuple[str, bool | None, str | None, str] | None:
    """``(kind, boolean, truncated, text)`` of the query on a persistent store, or None when the full path must answer.

    Raises what the full path raises for the same query: a
    :class:`~irgraph.errors.QueryError` (refused by the text check, a syntax
    error, the engine's failure) or :class:`~irgraph.errors.QueryTimeout`
    (killed at ``timeout``, which covers the check, the run and the writing).
    When it returns None after running (a CONSTRUCT or DESCRIBE), the time
    it took counts against the full path's limit (the caller gives it what is left).
    """
    if fmt not in DIRECT_FORMATS or data or params:
        return None
    path = _current_store(store)
    if path is None:
        return None
    text, _ = saved_or_text(name_or_text)  # a name not in the catalog: the UsageError listing the names
    try:
        opened = ox.Store.read_only(str(path))
    except OSError:
        return None  # not openable: the full path gives its own message
    collector = Collector(limits, timeout)  # the clock starts now, as on the full path
    return within(lambda: _answer(opened, text, limits, collector), timeout=timeout, isolate=True, on_oxigraph=True,
                  network=False)
