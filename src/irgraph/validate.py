"""Validate the loaded graph against the contract and report every problem.

Four checks, all reported together as one :class:`~irgraph.report.Report`:

1. SHACL with ``ontology/shapes.ttl``, by pyshacl-turbo (a Rust engine with
   pySHACL's report; pySHACL itself where pyshacl-turbo is not installed,
   and in the tests as the reference: the two reports are the same);
2. vocabulary: every ``irg:`` term used must be declared by the ontology, and
   every ``ir:`` node that is pointed at must be defined somewhere;
3. literals: the text of each ``xsd:`` literal must be a value of its
   datatype (``"four thousand"^^xsd:integer`` is not);
4. the ``*-violation.rq`` queries, which must return no rows.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib.util import find_spec

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from .catalog import violation_checks
from .console import quiet_ill_typed_literals
from .deprecation import callable_module
from .errors import UsageError
from .load import LoadedGraph, parse_file
from .namespaces import IR_URI, IRG_URI, compact, declared_terms
from .query import WHOLE_ANSWER, run_query, run_saved_query
from .report import ERROR, WARNING, Problem, Report
from .resources import shapes_file
from .store import memory_copy, new_graph, oxigraph_store, rdflib_converter
from .vocab import label_of

#: The SHACL engines that give the same report: pyshacl-turbo (the default; a wheel for Python 3.11 and
#: later), and pySHACL (the reference the tests compare it with, and the engine on Python 3.10).
SHACL_ENGINES = ("pyshacl-turbo", "pyshacl")
DEFAULT_SHACL_ENGINE = "pyshacl-turbo" if find_spec("pyshacl_turbo") else "pyshacl"
_SEVERITY = {SH.Violation: ERROR, SH.Warning: WARNING, SH.Info: WARNING}
_TYPED_LITERALS = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o
  FILTER(isLiteral(?o) && STRSTARTS(STR(DATATYPE(?o)), "http://www.w3.org/2001/XMLSchema#")
         && DATATYPE(?o) != <http://www.w3.org/2001/XMLSchema#string>)
}
"""


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes, parsed once (by Oxigraph: rdflib's Turtle parser takes ten times longer)."""
    graph = new_graph("memory")
    convert = rdflib_converter()
    graph.addN((convert(q.subject), convert(q.predicate), convert(q.object), graph) for q in parse_file(shapes_file()))
    return graph


def _files(loaded: LoadedGraph, node) -> tuple[str, ...]:
    files = loaded.origins.get(node)
    if files:
        return tuple(sorted(files))
    # A node that is only pointed at: name the files that point at it.
    return tuple(sorted({f for s in loaded.graph.subjects(None, node) for f in loaded.origins.get(s, ())}))


def _using_files(loaded: LoadedGraph, term, subject) -> tuple[str, ...]:
    """The files that use ``term`` and describe ``subject``: where the faulty triple is."""
    using = loaded.term_origins.get(str(term), set())
    both = using & set(loaded.origins.get(subject, ()))
    return tuple(sorted(both or using)) or _files(loaded, subject)


def _term(node) -> str:
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


@cache
def _compiled_shapes():
    """The shapes compiled once by pyshacl-turbo (its blank nodes are those of :func:`shapes_graph`)."""
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(shapes_graph(), advanced=True)


def _results_graph(loaded: LoadedGraph, engine: str) -> Graph:
    """The SHACL validation report, as a graph, from ``engine``."""
    if engine == "pyshacl-turbo":
        # It reads an Oxigraph store as it is (one N-Quads dump, blank-node labels kept) and
        # any other graph through rdflib; a remote graph is copied here first.
        store = oxigraph_store(loaded.graph)
        data = store if store is not None else memory_copy(loaded.graph)
        _conforms, results, _text = _compiled_shapes().validate(data, inference="none", abort_on_first=False,
                                                                allow_warnings=True)
        return results
    if engine != "pyshacl":
        raise UsageError(f"unknown SHACL engine {engine!r}; one of {', '.join(SHACL_ENGINES)}")
    import pyshacl

    # pySHACL would copy the graph into rdflib's memory store itself; the copy
    # read straight from Oxigraph is faster and, being ours, is validated in
    # place. A graph already in rdflib's memory store is the caller's: pySHACL copies it.
    data = memory_copy(loaded.graph)
    _conforms, results, _text = pyshacl.validate(
        data,
        inplace=data is not loaded.graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
    )
    return results


def shacl_problems(loaded: LoadedGraph, *, engine: str = DEFAULT_SHACL_ENGINE) -> list[Problem]:
    """Run SHACL with ``engine`` (one of :data:`SHACL_ENGINES`) and turn each validation result into a :class:`Problem`."""
    results = _results_graph(loaded, engine)
    # only top-level results: nested sh:detail results repeat what their parent says
    top_level = [r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)]
    return [_shacl_problem(loaded, results, result) for result in top_level]


def _shacl_problem(loaded: LoadedGraph, results: Graph, result) -> Problem:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    shape = results.value(result, SH.sourceShape)
    shape_name = _term(shape) if isinstance(shape, URIRef) else ""
    if not shape_name:  # an inline property shape: name the node shape that holds it
        parent = next(shapes_graph().subjects(SH.property, shape), None)
        shape_name = _term(parent) if isinstance(parent, URIRef) else ""
    return Problem(
        severity=_SEVERITY.get(severity, ERROR),
        kind="shacl",
        message=str(message) if message is not None else "does not conform to the shapes",
        focus=str(focus),
        label=label_of(loaded.graph, focus),
        path=_term(path) if path is not None else "",
        value=_term(value) if value is not None else "",
        files=_files(loaded, focus),
        hint=f"see shape {shape_name} in ontology/shapes.ttl" if shape_name else "",
        shape=shape_name,
    )


def _per_subject(loaded: LoadedGraph, term, subjects, kind: str, message: str, value: str, hint: str) -> list[Problem]:
    """One problem with ``term`` for each subject whose statements use it."""
    return [
        Problem(severity=ERROR, kind=kind, message=message, focus=str(subject), label=label_of(loaded.graph, subject),
                value=value, files=_using_files(loaded, term, subject), hint=hint)
        for subject in sorted(subjects, key=str)
    ]


def vocabulary_problems(loaded: LoadedGraph, *, timeout: float | None = None) -> list[Problem]:
    """Undeclared ``irg:`` terms and ``ir:`` nodes that are pointed at but never defined.

    Asked of the engine (``vocabulary-*.rq``): the distinct IRIs of the graph,
    and those pointed at with no ``rdf:type``; only a term at fault is looked
    up again, for the subjects that use it.
    """
    declared = declared_terms()
    graph = loaded.graph

    def column(name: str, params: dict | None = None, variable: str = "subject") -> list:
        rows = run_saved_query(graph, name, params, timeout=timeout, limits=WHOLE_ANSWER).rows
        return [row[variable] for row in rows if variable in row]

    problems: list[Problem] = []
    undeclared = sorted(term for term in column("vocabulary-terms", variable="term")
                        if isinstance(term, URIRef) and str(term).startswith(IRG_URI) and str(term)[len(IRG_URI):] not in declared)
    for term in undeclared:
        local = str(term)[len(IRG_URI):]
        close = difflib.get_close_matches(local, declared, n=3)
        hint = (f"did you mean {', '.join('irg:' + c for c in close)}?" if close else
                "use a term from ontology/irgraph.ttl, or declare the new term there")
        users = column("vocabulary-term-users", {"term": term})
        if next(iter(graph.triples((term, None, None))), None) is not None:
            users.append(term)  # the term is itself a subject
        problems += _per_subject(loaded, term, set(users), "undeclared-term",
                                 f"irg:{local} is not declared in the ontology", f"irg:{local}", hint)
    undefined = sorted(node for node in column("vocabulary-untyped-objects", variable="node") if str(node).startswith(IR_URI))
    if undefined:
        ir_nodes = sorted(str(s) for s in set(graph.subjects(RDF.type, None)) if str(s).startswith(IR_URI))
        for node in undefined:
            close = difflib.get_close_matches(str(node), ir_nodes, n=3)
            hint = (f"did you mean {', '.join(compact(c) for c in close)}?" if close else
                    "define the node with an rdf:type and an rdfs:label, or fix the name")
            problems += _per_subject(loaded, node, column("vocabulary-pointing-subjects", {"node": node}), "undefined-node",
                                     f"{compact(str(node))} is pointed at but never defined (it has no rdf:type)",
                                     compact(str(node)), hint)
    return problems


def literal_problems(loaded: LoadedGraph, *, timeout: float | None = None) -> list[Problem]:
    """Literals of an ``xsd:`` datatype whose text is not a value of it (``"2001-13-45"^^xsd:date``)."""
    problems = []
    for row in run_query(loaded.graph, _TYPED_LITERALS, timeout=timeout, limits=WHOLE_ANSWER).rows:
        subject, predicate, literal = row["s"], row["p"], row["o"]
        if not literal.ill_typed:
            continue
        datatype = compact(str(literal.datatype))
        problems.append(
            Problem(
                severity=ERROR,
                kind="literal",
                message=f"{str(literal)!r} is not a valid {datatype}",
                focus=str(subject),
                label=label_of(loaded.graph, subject),
                path=_term(predicate),
                value=str(literal),
                files=_using_files(loaded, predicate, subject),
                hint=f"write a value of type {datatype} (such as 4000 for xsd:integer, 2001-12-31 for xsd:date), "
                "or change the datatype",
            )
        )
    return problems


def check_problems(loaded: LoadedGraph, *, timeout: float | None = None) -> list[Problem]:
    """Rows returned by the ``*-violation.rq`` checks; each row is one problem.

    A check selects ``?node`` (the node at fault) and may select ``?property``
    and ``?value``. Each check has ``timeout`` seconds (None: no limit).
    """
    problems = []
    for check in violation_checks():
        for fields in run_saved_query(loaded.graph, check, timeout=timeout, limits=WHOLE_ANSWER).rows:
            node = fields.get("node")
            problems.append(
                Problem(
                    severity=ERROR,
                    kind="check",
                    message=check.title,
                    focus=str(node) if node is not None else "",
                    label=label_of(loaded.graph, node) if node is not None else "",
                    path=_term(fields["property"]) if "property" in fields else "",
                    value=_term(fields["value"]) if "value" in fields else "",
                    files=_files(loaded, node) if node is not None else (),
                    hint=f"{check.description} (check {check.name}.rq)",
                    shape=check.name,
                )
            )
    return problems


def validate_graph(loaded: LoadedGraph | Graph, *, timeout: float | None = None) -> Report:
    """Every problem with the loaded graph (what :func:`irgraph.load_data` returns, or a plain graph), errors and warnings.

    ``timeout`` bounds each of the checking queries (None: none; the
    command line gives none, as a cut-off check would be a wrong answer).
    A plain rdflib graph is validated too, without the files each problem
    comes from.

    >>> from irgraph import load_data
    >>> validate_graph(load_data()).conforms
    True
    """
    if isinstance(loaded, Graph):
        loaded = LoadedGraph(graph=loaded)
    report = Report(checked_files=list(loaded.files))
    with quiet_ill_typed_literals():
        shacl = shacl_problems(loaded)
        report.extend(shacl)
        report.extend(vocabulary_problems(loaded, timeout=timeout))
        # a value SHACL already found wrong needs no second message
        shacl_values = {(p.focus, p.path, p.value) for p in shacl if p.severity == ERROR}
        report.extend(p for p in literal_problems(loaded, timeout=timeout) if (p.focus, p.path, p.value) not in shacl_values)
        # The checks also run against remote stores where SHACL cannot; here a node
        # that SHACL already flagged needs no second, vaguer message.
        flagged = {p.focus for p in shacl if p.severity == ERROR}
        report.extend(p for p in check_problems(loaded, timeout=timeout) if p.focus not in flagged)
    return report


#: the name before 0.2 (``irgraph.validate(...)``, deprecated there, still works; this one does not warn)
validate = validate_graph
callable_module(__name__, "validate_graph")
