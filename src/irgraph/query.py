"""Run SPARQL queries safely on the graph: saved catalog queries by name, or any query text.

Queries run on Oxigraph when the graph is held there (the default), on
rdflib's engine for the ``memory`` store, and over the SPARQL protocol for a
remote store. Before anything runs, the query is parsed and refused if it
asks to reach outside the graph (``SERVICE``, ``FROM``/``FROM NAMED``,
``LOAD``) or to change it (any update). Parameters are bound as RDF terms in a
``VALUES`` clause, never pasted into the query text, and a time limit ends
the wait for a runaway query (see :func:`run_query` for how it is stopped).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from .catalog import SavedQuery, catalog
from .errors import IrgraphError, QueryError, QueryTimeout, UsageError
from .namespaces import compact, expand, prefixes
from .processes import ChildTimeout, can_fork, in_child
from .store import many_objects, oxigraph_store, rdflib_converter, to_ox
from .terms import resolve

DEFAULT_TIMEOUT = 30.0
SELECT, ASK, GRAPH = "select", "ask", "graph"
_KINDS = {"SelectQuery": SELECT, "AskQuery": ASK, "ConstructQuery": GRAPH, "DescribeQuery": GRAPH}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class QueryResult:
    """What a query returned.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE).
    For SELECT, ``variables`` and ``rows`` (one dict per solution, variable
    name -> rdflib term, unbound variables left out); for ASK, ``boolean``;
    for graphs, ``triples``.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == SELECT else len(self.triples)

    def values(self, variable: str) -> list[str]:
        """The values of one variable as strings, in row order (unbound as '')."""
        return [str(row[variable]) if variable in row else "" for row in self.rows]

    def as_dicts(self) -> list[dict[str, str | int | float | bool | None]]:
        """Rows with plain Python values: IRIs as strings, literals as numbers, booleans or text."""
        return [{var: _python(row.get(var)) for var in self.variables} for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of the rows (pandas is optional: install it to use this)."""
        try:
            import pandas
        except ImportError:  # pragma: no cover - depends on the environment
            raise UsageError("to_dataframe() needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.as_dicts(), columns=self.variables)

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
        return value if isinstance(value, (bool, int, float, str)) else str(term)
    return str(term)


def _unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes, which take effect before parsing."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _syntax_error(text: str, line: int, column: int, message: str) -> QueryError:
    lines = text.splitlines() or [""]
    offending = lines[line - 1] if 0 < line <= len(lines) else ""
    pointer = " " * max(column - 1, 0) + "^"
    return QueryError(
        f"SPARQL syntax error at line {line}, column {column}: {message}\n  {offending}\n  {pointer}"
    )


def _walk(node) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def check_query(text: str) -> str:
    """Parse ``text`` and refuse what irgraph never runs; returns the query kind.

    Refused: updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …),
    ``SERVICE`` (federation would make the machine call out), and
    ``FROM`` / ``FROM NAMED`` (irgraph queries the loaded graph; no dataset is
    fetched). A syntax error names the line and column.

    >>> check_query("SELECT ?s WHERE { ?s a irg:Intervention }")
    'select'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    irgraph.errors.QueryError: SERVICE is refused: irgraph does not let a query reach other endpoints
    """
    try:
        parsed = parseQuery(text)
    except ParseBaseException as error:
        try:
            parseUpdate(text)
        except ParseBaseException:
            raise _precise_syntax_error(text, error) from None
        raise QueryError("SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused: the graph is read-only") from None
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE is refused: irgraph does not let a query reach other endpoints")
        if node.name == "DatasetClause":
            raise QueryError("FROM and FROM NAMED are refused: queries run on the loaded graph and no dataset is fetched")
    return _KINDS[parsed[1].name]


def _precise_syntax_error(text: str, error: ParseBaseException) -> QueryError:
    """Oxigraph's parser gives the more precise position; ask it when that is safe."""
    if not re.search(r"\b(service|load)\b", _unescape(text), re.IGNORECASE):
        try:
            ox.Store().query(text, prefixes=prefixes())
        except SyntaxError as ox_error:
            precise = _oxigraph_syntax_error(text, ox_error)
            if precise is not None:
                return precise
        except (OSError, RuntimeError, ValueError):
            pass
    return _syntax_error(text, error.lineno, error.col, str(error.msg))


def _oxigraph_syntax_error(text: str, error: SyntaxError) -> QueryError | None:
    """Oxigraph's syntax error as irgraph states one (line, column, the offending text), or None."""
    match = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.S)
    if not match:
        return None
    message = " ".join(match.group(3).split())
    if "Prefix not found" in message:  # listed among the tokens Oxigraph would have accepted
        message = "unknown prefix: declare it with PREFIX or use one of the predeclared ones (irgraph query --help)"
    elif len(message) > 160:  # Oxigraph lists every token it would accept; keep the first few
        message = message[:157].rsplit(",", 1)[0] + ", …"
    return _syntax_error(text, int(match.group(1)), int(match.group(2)), message)


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


def _execute(graph: Graph, text: str, kind: str, bindings: Mapping[str, Any]) -> QueryResult:
    """Run a checked query; parameters are bound the way each engine does it natively.

    Oxigraph substitutes the (projected) variables before evaluation
    (SEP-0007); rdflib binds them as initial solutions; a remote store gets
    them as a VALUES clause from rdflib's SPARQLStore.
    """
    store = oxigraph_store(graph)
    if store is not None:
        results = _ask_oxigraph(store, text, bindings)
        if isinstance(results, ox.QueryBoolean):
            return QueryResult(ASK, boolean=bool(results))
        if isinstance(results, ox.QueryTriples):
            return _graph_result(results)
        return _select_result(results)
    result = graph.query(text, initNs=prefixes(), initBindings={Variable(k): v for k, v in bindings.items()})
    if result.type == "ASK":
        return QueryResult(ASK, boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(GRAPH, triples=[tuple(_plain(t) for t in triple) for triple in result])
    variables = [str(v) for v in result.vars]
    rows = [{str(k): _plain(v) for k, v in solution.asdict().items()} for solution in result]
    return QueryResult(SELECT, variables=variables, rows=rows)


def _ask_oxigraph(store: ox.Store, text: str, bindings: Mapping[str, Any]):
    substitutions = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
    try:
        return store.query(text, prefixes=prefixes(), substitutions=substitutions or None)
    except SyntaxError as error:  # what rdflib's parser lets through, such as an undeclared prefix
        raise _oxigraph_syntax_error(text, error) or QueryError(f"SPARQL syntax error: {error}") from None


def _no_triple_terms(error: TypeError) -> QueryError:
    return QueryError(
        f"the answer holds an RDF 1.2 triple term, which rdflib (and so irgraph) cannot represent ({error}); "
        "leave that variable out of the answer"
    )


def _graph_result(triples) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer from Oxigraph's triples (or quads read back)."""
    triples = list(triples)  # evaluates the query (Oxigraph is lazy) before the collector is paused
    convert = rdflib_converter()
    try:
        with many_objects():
            return QueryResult(GRAPH, triples=[(convert(t.subject), convert(t.predicate), convert(t.object)) for t in triples])
    except TypeError as error:
        raise _no_triple_terms(error) from None


def _select_result(solutions) -> QueryResult:
    """A SELECT answer from Oxigraph's solutions; unbound variables are left out of a row."""
    variables = [v.value for v in solutions.variables]
    solutions = list(solutions)  # evaluates the query (Oxigraph is lazy) before the collector is paused
    convert = rdflib_converter()
    try:
        with many_objects():
            rows = [{name: convert(term) for name, term in zip(variables, solution) if term is not None} for solution in solutions]
    except TypeError as error:
        raise _no_triple_terms(error) from None
    return QueryResult(SELECT, variables=variables, rows=rows)


def _answer(graph: Graph, text: str, kind: str, bindings: Mapping[str, Any]):
    """What the query process sends back: Oxigraph's own serialisation of its answer, or the :class:`QueryResult`.

    Oxigraph writes and reads SPARQL JSON results and N-Triples far faster
    than Python pickles rdflib terms, so a large answer crosses the pipe as bytes.
    """
    store = oxigraph_store(graph)
    if store is None:
        return _execute(graph, text, kind, bindings)
    results = _ask_oxigraph(store, text, bindings)
    if isinstance(results, ox.QueryBoolean):
        return QueryResult(ASK, boolean=bool(results))
    if isinstance(results, ox.QueryTriples):
        return GRAPH, results.serialize(format=ox.RdfFormat.N_TRIPLES)
    return SELECT, results.serialize(format=ox.QueryResultsFormat.JSON)


def _received(answer) -> QueryResult:
    """The :class:`QueryResult` from what :func:`_answer` sent."""
    if isinstance(answer, QueryResult):
        return answer
    kind, data = answer
    if kind == GRAPH:
        return _graph_result(ox.parse(data, ox.RdfFormat.N_TRIPLES))
    return _select_result(ox.parse_query_results(data, ox.QueryResultsFormat.JSON))


def _projected(text: str) -> list[str]:
    """The variables a SELECT query projects (``SELECT *`` projects every in-scope variable)."""
    from rdflib.plugins.sparql.algebra import translateQuery

    algebra = translateQuery(parseQuery(text), initNs=prefixes()).algebra
    return [str(v) for v in algebra.get("PV", [])]


def _plain(term):
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).endswith("#string") and not term.language:
        return Literal(str(term))
    return term


def _run_with_timeout(graph: Graph, text: str, kind: str, bindings, timeout: float | None, isolate: bool = False) -> QueryResult:
    """Run a checked query within ``timeout`` seconds (None or 0: no limit).

    On Oxigraph the query runs in a thread of this process and the caller
    stops waiting when the limit passes; Oxigraph cannot cancel a running
    query (oxigraph/oxigraph#1336), so the abandoned evaluation finishes in
    the background. ``isolate`` (and any other store) runs it in a forked
    child that is killed at the limit instead: a hard stop, at the price of
    the child copying every memory page the query touches (about 0.2-0.4 s
    at a million triples). Where no child can be started (no fork, or a
    daemonic process such as a Pool worker), the thread is used.
    """
    if not timeout:
        return _execute(graph, text, kind, bindings)
    on_oxigraph = oxigraph_store(graph) is not None
    if on_oxigraph and not isolate:
        return _run_in_thread(graph, text, kind, bindings, timeout,
                              "Oxigraph cannot cancel a running query (isolate=True runs it where it can be stopped)")
    if not can_fork(threads_allowed=True):
        return _run_in_thread(graph, text, kind, bindings, timeout,
                              "no child process can be started here (no fork, or a daemonic process such as a Pool worker)")
    return _run_in_child(graph, text, kind, bindings, timeout)


def _timed_out(timeout: float, why_not_stopped: str | None = None) -> QueryTimeout:
    what = (f"irgraph stopped waiting, but it ends in the background: {why_not_stopped}" if why_not_stopped
            else "it was stopped")
    return QueryTimeout(
        f"the query ran longer than {timeout:g} s; {what}. Narrow it (LIMIT, more specific patterns) "
        "or give it more time",
        abandoned=why_not_stopped is not None,
        seconds=timeout,
    )


def _failed(error: Exception) -> IrgraphError:
    """An exception from the query's thread or child, as irgraph reports it."""
    if isinstance(error, IrgraphError):
        return error
    # rdflib raises bare Exception (e.g. an unknown prefix in its own engine)
    return QueryError(f"the query failed: {type(error).__name__}: {error}")


def _run_in_thread(graph: Graph, text: str, kind: str, bindings, timeout: float, why_not_stopped: str) -> QueryResult:
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = _execute(graph, text, kind, bindings)
        except Exception as error:  # noqa: BLE001 - handed to the waiting caller, which raises it
            # without its tracebacks: their frames hold pyoxigraph objects that must be freed in this thread
            error.__traceback__ = error.__context__ = error.__cause__ = None
            outcome["error"] = error

    # pyoxigraph releases the GIL while it evaluates, so this thread only waits
    worker = threading.Thread(target=work, name="irgraph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _timed_out(timeout, why_not_stopped)
    if "error" in outcome:
        raise _failed(outcome["error"]) from None
    return outcome["result"]


def _run_in_child(graph: Graph, text: str, kind: str, bindings, timeout: float) -> QueryResult:
    """The query in a forked child, killed at ``timeout``; its answer is converted here (outside the limit)."""
    try:
        answer, _ = in_child(_answer, graph, text, kind, bindings, timeout=timeout)
        return _received(answer)
    except ChildTimeout:
        raise _timed_out(timeout) from None
    except ChildProcessError:
        raise QueryError("the query process ended without an answer") from None
    except Exception as error:  # noqa: BLE001 - every failure becomes a clear QueryError
        raise _failed(error) from None


def _saved_or_text(name_or_text: str) -> tuple[str, SavedQuery | None]:
    saved = catalog().get(name_or_text)
    if saved is not None:
        return saved.text, saved
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name_or_text.strip()):
        raise UsageError(f"no query named {name_or_text!r}; the catalog has: {', '.join(catalog())}")
    return name_or_text, None


def bind_params(graph: Graph, saved: SavedQuery | None, params: Mapping[str, object]) -> dict:
    """Turn user parameters into RDF terms.

    For a catalog query each parameter must be one it declares; an entity
    parameter is resolved by IRI, compact name, label or synonym. For any
    other query, ``<iri>`` and compact names are IRIs and the rest strings.
    """
    bound = {}
    declared = dict(saved.params) if saved else None
    for name, value in params.items():
        if isinstance(value, (URIRef, Literal)):
            bound[name] = value
            continue
        text = str(value)
        if declared is not None:
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
              timeout: float | None = DEFAULT_TIMEOUT, isolate: bool = False) -> QueryResult:
    """Check, bind and run one query text on ``graph``.

    ``params`` maps variable names (without ``?``) to RDF terms or strings
    (see :func:`parse_param`). ``timeout`` is the time limit in seconds (None:
    none); on Oxigraph a query past it is abandoned and ends in the
    background, unless ``isolate`` runs it in a child process that is killed
    (what ``irgraph serve`` does). Raises :class:`QueryError` (refused or
    broken query) or :class:`QueryTimeout`.
    """
    kind = check_query(text)
    bound = {k: v if isinstance(v, (URIRef, Literal, BNode)) else parse_param(str(v)) for k, v in (params or {}).items()}
    for name in bound:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"parameter name {name!r} is not a SPARQL variable name")
    if bound and kind != SELECT:
        raise QueryError("parameters can be bound in SELECT queries only")
    if bound:
        missing = sorted(set(bound) - set(_projected(text)))
        if missing:
            raise UsageError(
                f"parameter{'s' if len(missing) > 1 else ''} {', '.join('?' + m for m in missing)} "
                "must be a variable the query selects (list it after SELECT, or use SELECT *)"
            )
    return _run_with_timeout(graph, text, kind, bound, timeout, isolate)


def query(graph: Graph, name_or_text: str, *, timeout: float | None = DEFAULT_TIMEOUT, isolate: bool = False,
          **params) -> QueryResult:
    """Run a catalog query by name, or any SPARQL text, with the project's prefixes predeclared.

    Catalog parameters can be given by IRI, compact name, label or synonym;
    ``timeout`` and ``isolate`` are as for :func:`run_query`.

    >>> from irgraph import load_graph
    >>> g = load_graph()
    >>> result = query(g, "findings-for-intervention", intervention="IL-2")
    >>> "ESPRIT" in result.values("studyLabel")
    True
    >>> query(g, "ASK { ir:he2000 skos:altLabel 'Immunitin'@en }").boolean
    True
    """
    text, saved = _saved_or_text(name_or_text)
    return run_query(graph, text, bind_params(graph, saved, params), timeout=timeout, isolate=isolate)


def display(term, *, short: bool = True) -> str:
    """A term for people: compact IRIs, literal text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term)) if short else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
