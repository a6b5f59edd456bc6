"""Run SPARQL queries safely on the graph: saved catalog queries by name, or any query text.

Queries run on Oxigraph when the graph is held there (the default), on
rdflib's engine for the ``memory`` store, and over the SPARQL protocol for a
remote store. Every query's whole life counts against its time limit:
the check of its text (:mod:`irgraph.guard`: no ``SERVICE``, ``FROM``,
``LOAD`` or update, length and nesting within limits), the binding of its
parameters, parsing and evaluation by the engine, the conversion of the
answer and, when asked, its rendering (``then``). Answers larger than
:class:`~irgraph.guard.QueryLimits` allows are cut, with a note in
:attr:`QueryResult.truncated`. Parameters are bound as RDF terms, never
pasted into the query text.

On Oxigraph the engine is also given the dataset explicitly (``FROM``
cannot change it) and runs on a thread, or in a child process, that cannot
open network sockets (:mod:`irgraph.sandbox`).
"""

from __future__ import annotations

import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from .catalog import SavedQuery, saved_or_text, saved_query
from .defaults import DEFAULT_TIMEOUT
from .deprecation import callable_module
from .errors import IrgraphError, QueryError, UsageError
from .guard import ASK, GRAPH, SELECT, QueryLimits, inspect_query
from .namespaces import compact, expand, prefixes
from .running import Collector as _Collector
from .running import oxigraph_answer, oxigraph_errors, take_solutions
from .running import syntax_error as _syntax_error
from .running import term_size as _term_size
from .running import within as _within
from .store import is_remote, many_objects, oxigraph_store, rdflib_converter, to_ox
from .terms import resolve

#: Limits that never cut an answer: for irgraph's own queries (validation, counts, the VoID
#: description), whose every row matters; the text checks still apply.
WHOLE_ANSWER = QueryLimits(max_rows=sys.maxsize, max_bytes=sys.maxsize)
__all__ = ["ASK", "DEFAULT_TIMEOUT", "GRAPH", "SELECT", "WHOLE_ANSWER", "QueryLimits", "QueryResult", "check_query",
           "query", "query_graph", "run_query", "run_saved_query"]

#: rdflib's SPARQL parser (pyparsing) keeps state between calls and is not
#: thread-safe: concurrent first uses of a grammar construct corrupt it
_RDFLIB_PARSER = threading.Lock()


@dataclass
class QueryResult:
    """What a query returned.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE).
    For SELECT, ``variables`` and ``rows`` (one dict per solution, variable
    name -> rdflib term, unbound variables left out); for ASK, ``boolean``;
    for graphs, ``triples``. ``truncated`` says why an answer was cut short.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)
    #: why the answer was cut (a limit of :class:`~irgraph.guard.QueryLimits`), or None when it is whole
    truncated: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == SELECT else len(self.triples)

    def values(self, variable: str) -> list[str]:
        """The values of one variable as strings, in row order (unbound as '')."""
        return [str(row[variable]) if variable in row else "" for row in self.rows]

    def as_dicts(self) -> list[dict[str, str | int | float | bool | None]]:
        """Rows with plain Python values: IRIs as strings, literals as numbers (decimals as floats), booleans or text."""
        return [{var: _python(row.get(var)) for var in self.variables} for row in self.rows]

    def to_dataframe(self, *, compact_iris: bool = False):
        """A pandas DataFrame of the rows, each column typed from its RDF datatypes (pandas is optional).

        Integers are ``Int64`` (gaps stay ``<NA>``), decimals and doubles
        ``float64``, dates ``datetime64``, years (``xsd:gYear``) ``Int64``;
        ``compact_iris=True`` gives IRIs as compact names (``ir:il-2``). See
        :mod:`irgraph.dataframes`.
        """
        from .dataframes import to_dataframe

        return to_dataframe(self.variables, self.rows, compact_iris=compact_iris)

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib graph."""
        result = Graph()
        for triple in self.triples:
            result.add(triple)
        return result

    def to_rdflib(self) -> Result:
        """The result as an rdflib ``Result``, for rdflib's W3C serialisers."""
        if self.kind == SELECT:
            result = Result("SELECT")
            result.vars = [Variable(v) for v in self.variables]
            result.bindings = [{Variable(k): v for k, v in row.items()} for row in self.rows]
        elif self.kind == ASK:
            result = Result("ASK")
            result.askAnswer = bool(self.boolean)
        else:
            result = Result("CONSTRUCT")
            result.graph = self.graph()
        return result


def _python(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):  # for analysis; the RDF exports keep the exact digits
            return float(value)
        return value if isinstance(value, (bool, int, float, str)) else str(term)
    return str(term)


def check_query(text: str, limits: QueryLimits | None = None) -> str:
    """Refuse what irgraph never runs and return the query's kind (``select``, ``ask`` or ``graph``).

    Refused: updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …),
    ``SERVICE``, ``FROM`` / ``FROM NAMED``, texts over the length or nesting
    limits; see :func:`irgraph.guard.inspect_query`, which decides on the
    text itself, so no difference between parsers can let one through.

    >>> check_query("SELECT ?s WHERE { ?s a irg:Intervention }")
    'select'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    irgraph.errors.QueryError: SERVICE is refused: irgraph does not let a query reach other endpoints (line 1, column 18)
    """
    return inspect_query(text, limits or QueryLimits())


def parse_param(value: str) -> URIRef | Literal:
    """An ad-hoc parameter value: ``<iri>`` or a known compact name is an IRI, anything else a string.

    >>> parse_param("ir:il-2")
    rdflib.term.URIRef('https://w3id.org/irgraph/id/il-2')
    >>> parse_param('IL-2" } ?s ?p ?o {')
    rdflib.term.Literal('IL-2" } ?s ?p ?o {')
    """
    if value.startswith("<") and value.endswith(">") and " " not in value:
        return URIRef(value[1:-1])
    expanded = expand(value)
    if expanded != value and " " not in value:
        return URIRef(expanded)
    return Literal(value)


# --- answers, converted within the limits ------------------------------------

def _oxigraph_result(store: ox.Store, text: str, bindings: Mapping[str, Any], collector: _Collector) -> QueryResult:
    substitutions = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
    convert = rdflib_converter()
    with oxigraph_errors(text):
        answer = oxigraph_answer(store, text, substitutions)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(ASK, boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            triples = collector.take(answer, lambda t: _term_size(t.subject) + _term_size(t.predicate) + _term_size(t.object))
            with many_objects():
                converted = [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in triples]
            return QueryResult(GRAPH, triples=converted, truncated=collector.truncated)
        variables, solutions = take_solutions(answer, collector)
        with many_objects():
            rows = [{name: convert(term) for name, term in zip(variables, solution, strict=True) if term is not None}
                    for solution in solutions]
        return QueryResult(SELECT, variables=variables, rows=rows, truncated=collector.truncated)


def _parsed_by_rdflib(text: str):
    """rdflib's algebra of ``text``, parsed under the lock its parser needs; errors as irgraph states them."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    with _RDFLIB_PARSER:
        try:
            return translateQuery(parseQuery(text), initNs=prefixes())
        except ParseBaseException as error:
            raise _syntax_error(text, error.lineno, error.col, str(error.msg)) from None
        except RecursionError:
            raise QueryError("the query nests too deeply for rdflib's parser (the memory store); "
                             "use the default store, or nest less") from None
        except Exception as error:
            raise QueryError(f"SPARQL error: {error}") from None


def _projected(algebra) -> list[str]:
    return [str(v) for v in algebra.algebra.get("PV", [])]


def _rdflib_result(graph: Graph, text: str, bindings: Mapping[str, Any], collector: _Collector) -> QueryResult:
    """The answer of rdflib's engine (memory store) or of a remote server (through rdflib's SPARQLStore)."""
    remote = is_remote(graph)
    prepared = None if remote and not bindings else _parsed_by_rdflib(text)
    if bindings:
        missing = sorted(set(bindings) - set(_projected(prepared)))
        if missing:
            raise UsageError(
                f"parameter{'s' if len(missing) > 1 else ''} {', '.join('?' + m for m in missing)} "
                "must be a variable the query selects (list it after SELECT, or use SELECT *)"
            )
    initial: dict[Any, Any] = {Variable(k): v for k, v in bindings.items()}
    try:
        if remote:
            result = graph.query(text, initNs=prefixes(), initBindings=initial)
        else:
            assert prepared is not None  # parsed above for every store but a remote one without bindings
            result = graph.query(prepared, initBindings=initial)
        if result.type == "ASK":
            return QueryResult(ASK, boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = collector.take(result, lambda t: sum(len(str(x)) for x in t))
            return QueryResult(GRAPH, triples=[tuple(_plain(x) for x in t) for t in triples], truncated=collector.truncated)
        variables = [str(v) for v in result.vars or []]
        solutions = collector.take(result, lambda s: sum(len(str(x)) for x in s if x is not None))
        rows = [{str(k): _plain(v) for k, v in solution.asdict().items()} for solution in solutions]
        return QueryResult(SELECT, variables=variables, rows=rows, truncated=collector.truncated)
    except IrgraphError:
        raise
    except Exception as error:
        raise QueryError(f"the query failed: {type(error).__name__}: {' '.join(str(error).split())[:300]}") from None


def _plain(term):
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).endswith("#string") and not term.language:
        return Literal(str(term))
    return term


def bind_params(graph: Graph, saved: SavedQuery | None, params: Mapping[str, object]) -> dict:
    """Turn user parameters into RDF terms.

    For a catalog query each parameter must be one it declares; an entity
    parameter is resolved by IRI, compact name, label or synonym. For any
    other query, ``<iri>`` and compact names are IRIs and the rest strings.
    """
    bound = {}
    declared = dict(saved.params) if saved else None
    for name, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
            raise UsageError(f"parameter name {name!r} is not a SPARQL variable name")
        if isinstance(value, (URIRef, Literal, BNode)):
            bound[name] = value
            continue
        text = str(value)
        if declared is not None:
            assert saved is not None  # declared comes from it
            if name not in declared:
                raise UsageError(
                    f"query {saved.name!r} has no parameter {name!r}; "
                    + (f"its parameters: {', '.join(declared)}" if declared else "it takes none")
                )
            bound[name] = resolve(graph, text)
        else:
            bound[name] = parse_param(text)
    return bound


def run_query(graph: Graph, text: str, params: Mapping[str, object] | None = None, *,
              timeout: float | None = DEFAULT_TIMEOUT, isolate: bool = False,
              limits: QueryLimits | None = None, then: Callable[[QueryResult], Any] | None = None,
              saved: SavedQuery | None = None):
    """Check, bind and run one query text on ``graph``, all of it within ``timeout`` seconds.

    ``params`` maps variable names (without ``?``) to RDF terms or strings
    (see :func:`parse_param`; for a ``saved`` catalog query, to anything
    :func:`irgraph.terms.resolve` understands). ``timeout`` is the time limit
    in seconds (None: none); on Oxigraph a query past it is abandoned, unless
    ``isolate`` runs it in a child process that is killed (what ``irgraph
    serve`` does). ``limits`` caps the text and the answer (rows and size:
    an answer over them is cut and says so). ``then``, when given, is applied
    to the result within the same limit (and in the same child), and its
    value is returned instead: ``irgraph serve`` renders the response body
    that way. Raises :class:`QueryError` (refused or broken query),
    :class:`UsageError` (bad parameter) or :class:`QueryTimeout`.
    """
    limits = limits or QueryLimits()
    collector = _Collector(limits, timeout)  # the clock starts now
    store = oxigraph_store(graph)
    remote = store is None and is_remote(graph)

    def work():
        kind = inspect_query(text, limits)
        bound = bind_params(graph, saved, params or {})
        if bound and kind != SELECT:
            raise QueryError("parameters can be bound in SELECT queries only")
        if store is not None:
            result = _oxigraph_result(store, text, bound, collector)
        else:
            result = _rdflib_result(graph, text, bound, collector)
        return then(result) if then is not None else result

    return _within(work, timeout=timeout, isolate=isolate, on_oxigraph=store is not None, network=remote)


def run_saved_query(graph: Graph, name: str | SavedQuery, params: Mapping[str, object] | None = None, *,
                    timeout: float | None, limits: QueryLimits | None = None, isolate: bool = False) -> QueryResult:
    """Run a saved query (a ``.rq`` file of the catalog, by name) with :func:`run_query`'s checks and limits.

    The one way irgraph's modules run their ``.rq`` files. ``timeout`` has no
    default: each caller says how long its query may take (None: no limit,
    which only irgraph's own work uses, where a cut-off answer would be
    wrong rather than late: ``irgraph build`` and ``validate`` over the
    user's own data, which is as large as they chose). ``limits`` default to
    :class:`~irgraph.guard.QueryLimits` (answers cut at a million rows); pass
    :data:`WHOLE_ANSWER` where every row counts.

    >>> from irgraph import load_graph
    >>> result = run_saved_query(load_graph(), "summary-counts", timeout=10)
    >>> result.variables
    ['kind', 'count']
    """
    saved = name if isinstance(name, SavedQuery) else saved_query(name)
    return run_query(graph, saved.text, params, timeout=timeout, isolate=isolate, limits=limits, saved=saved)


def query_graph(graph: Graph, name_or_text: str, params: Mapping[str, object] | None = None, *,
          timeout: float | None = DEFAULT_TIMEOUT, isolate: bool = False, limits: QueryLimits | None = None,
          then: Callable[[QueryResult], Any] | None = None, **legacy_params):
    """Run a catalog query by name, or any SPARQL text, with the project's prefixes predeclared.

    SPARQL parameters go in ``params`` (a dict), apart from the options, so a
    parameter may be called anything (``timeout``, ``graph`` …). Catalog
    parameters can be given by IRI, compact name, label or synonym;
    ``timeout``, ``isolate``, ``limits`` and ``then`` are as for
    :func:`run_query`. Parameters given as keywords
    (``query(g, name, intervention="IL-2")``) still work for one release,
    with a DeprecationWarning.

    >>> from irgraph import load_graph
    >>> g = load_graph()
    >>> result = query_graph(g, "findings-for-intervention", {"intervention": "IL-2"})
    >>> "ESPRIT" in result.values("studyLabel")
    True
    >>> query_graph(g, "ASK { ir:he2000 skos:altLabel 'Immunitin'@en }").boolean
    True
    """
    if legacy_params:
        warnings.warn("give SPARQL parameters as query(graph, name, params={...}); "
                      "keyword parameters are deprecated", DeprecationWarning, stacklevel=2)
        params = {**legacy_params, **(params or {})}
    text, saved = saved_or_text(name_or_text)
    return run_query(graph, text, params, timeout=timeout, isolate=isolate, limits=limits, then=then, saved=saved)


#: the name before 0.2 (``irgraph.query(...)``, deprecated there, still works; this one does not warn)
query = query_graph


def display(term, *, short: bool = True) -> str:
    """A term for people: compact IRIs, literal text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term)) if short else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
callable_module(__name__, "query_graph")
