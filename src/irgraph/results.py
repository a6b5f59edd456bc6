"""Query results as text: aligned tables and Markdown for people, W3C formats for machines.

SELECT results: ``table`` and ``md`` show compact names (``ir:il-2``);
``json`` (SPARQL 1.1 Query Results JSON), ``xml``, ``csv`` and ``tsv`` (the
W3C CSV/TSV formats) keep full IRIs; JSON and TSV are written here, XML and
CSV by rdflib's serialisers.
Graph results (CONSTRUCT, DESCRIBE): the graph formats of
:mod:`irgraph.formats` that can write them (``turtle``, ``jsonld``, ``nt``).
Which format writes what is the registry's to say; this module holds the
result writers it names.
"""

from __future__ import annotations

from rdflib import BNode, Literal

from . import formats
from .console import printable
from .errors import UsageError
from .query import ASK, GRAPH, SELECT, QueryResult, display
from .sparql_json import ask_json, bnode_json, iri_json, literal_json, select_json

SELECT_FORMATS = formats.names(formats.SELECT)
GRAPH_FORMATS = formats.names(formats.CONSTRUCT)
ALL_FORMATS = formats.names(formats.SELECT, formats.CONSTRUCT)
#: HTTP media types of each machine format (used by the SPARQL endpoint too)
MEDIA_TYPES = {
    f.name: f.media_type for f in formats.formats_for(formats.SELECT, formats.ASK, formats.CONSTRUCT) if f.media_type
}


def _cell(text: str) -> str:
    return printable(" ".join(text.split()))


def to_table(result: QueryResult, *, markdown: bool = False, wrap: int | None = None) -> str:
    """An aligned plain-text (or Markdown) table with compact names.

    ``wrap`` is the width to fit: long cells are wrapped onto more lines
    (never cut), and rows that take more than one line are set apart by a
    blank line. ``None`` keeps every row on one line.
    """
    header = result.variables
    rows = [[display(row.get(v)) for v in header] for row in result.rows]
    if markdown:
        def escape(text: str) -> str:
            return printable(" ".join(text.replace("|", "\\|").split()))

        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    rows = [[_cell(c) for c in row] for row in rows]
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = natural if wrap is None else fit_widths(natural, [len(h) for h in header], wrap)
    wrapped = [[_wrap(c, w) for c, w in zip(row, widths, strict=True)] for row in rows]
    widths = [max([len(h)] + [len(part) for r in wrapped for part in r[i]]) for i, h in enumerate(header)]

    def joined(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    tall = any(len(cell) > 1 for row in wrapped for cell in row)
    body: list[str] = []
    for row in wrapped:
        if tall and body:
            body.append("")
        height = max((len(cell) for cell in row), default=1)
        body += [joined([cell[i] if i < len(cell) else "" for cell in row]) for i in range(height)]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([joined(header), "  ".join("-" * w for w in widths), *body, count]) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width) or [""]


def fit_widths(natural: list[int], least: list[int], total: int) -> list[int]:
    """Column widths that fit ``total`` characters (two spaces between columns), narrowing the widest first.

    No column is made narrower than its header or 8 characters (a table
    that cannot fit then runs past ``total``).

    >>> fit_widths([10, 80], [5, 5], 60)
    [10, 48]
    >>> fit_widths([70, 70], [5, 5], 60)
    [29, 29]
    >>> fit_widths([4, 6], [4, 6], 60)
    [4, 6]
    """
    room = total - 2 * max(len(natural) - 1, 0)
    floor = [min(n, max(h, 8)) for n, h in zip(natural, least, strict=True)]
    if sum(natural) <= room or sum(floor) >= room:
        return natural if sum(natural) <= room else floor
    cap = max(natural)
    while cap > 0 and sum(max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)) > room:
        cap -= 1
    return [max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)]


def to_tsv(result: QueryResult) -> str:
    """W3C SPARQL TSV: ``?var`` headers, terms in Turtle syntax, tabs and newlines escaped."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        cells = []
        for var in result.variables:
            term = row.get(var)
            cells.append("" if term is None else term.n3().replace("\t", "\\t").replace("\n", "\\n"))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def to_text_table(result: QueryResult) -> str:
    """The ``table`` format: :func:`to_table` wrapped to the terminal's width (``COLUMNS``)."""
    import shutil

    return to_table(result, wrap=shutil.get_terminal_size((120, 24)).columns)


def to_wide_table(result: QueryResult) -> str:
    """The table with every row on one line (``irgraph query --wide``)."""
    return to_table(result)


def to_markdown(result: QueryResult) -> str:
    """The ``md`` format: a Markdown table."""
    return to_table(result, markdown=True)


def _w3c(result: QueryResult, fmt: str) -> str:
    data = result.to_rdflib().serialize(format=fmt)
    text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
    if result.kind == ASK:
        return text.rstrip("\n") + "\n"
    return text if text.endswith("\n") else text + "\n"


def _json_term(term) -> str:
    """One rdflib term as SPARQL JSON."""
    if isinstance(term, Literal):
        return literal_json(str(term), term.language, None if term.datatype is None else str(term.datatype))
    return bnode_json(str(term)) if isinstance(term, BNode) else iri_json(str(term))


def to_sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT and ASK): ``head``, then ``results`` or ``boolean``.

    Written by :mod:`irgraph.sparql_json` rather than by rdflib's serialiser,
    which takes about twice as long on a large answer. The same JSON as
    rdflib writes, term for term (``tests/test_results.py`` parses both).

    >>> from rdflib import URIRef
    >>> print(to_sparql_json(QueryResult(SELECT, variables=["x"], rows=[{"x": URIRef("http://example.org/a")}])), end="")
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "http://example.org/a"}}]}}
    """
    if result.kind == ASK:
        return ask_json(bool(result.boolean))
    return select_json(result.variables, result.rows, _json_term)


def to_sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML (SELECT and ASK), by rdflib's serialiser."""
    return _w3c(result, "xml")


def to_csv(result: QueryResult) -> str:
    """W3C SPARQL CSV (SELECT), by rdflib's serialiser."""
    return _w3c(result, "csv")


#: the columns of a graph answer written as a table (:func:`triples_table`)
TRIPLE_COLUMNS = ["subject", "predicate", "object"]


def triples_table(result: QueryResult) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer as a SELECT answer with one row per triple (``subject``, ``predicate``, ``object``).

    What a client that accepts only SPARQL results (Rasqal's ``roqet -p``) is
    sent for a graph: the same triples, each a row, in the one sort order.
    """
    rows = [dict(zip(TRIPLE_COLUMNS, triple, strict=True)) for triple in sorted(result.triples, key=lambda t: tuple(x.n3() for x in t))]
    return QueryResult(SELECT, variables=list(TRIPLE_COLUMNS), rows=rows, truncated=result.truncated)


def render(result: QueryResult, fmt: str, *, graph_as_table: bool = False) -> str:
    """The result in format ``fmt``; a format that does not fit the query kind is a :class:`UsageError`.

    An ASK result is ``true`` or ``false`` in any format that does not write ASK results (``table``…).
    With ``graph_as_table``, a graph answer asked for in a SELECT format is
    written as its :func:`triples_table` (the SPARQL endpoint does so when
    the client accepts only results formats).
    """
    if result.kind == GRAPH and graph_as_table and fmt in SELECT_FORMATS:
        result = triples_table(result)
    if result.kind == ASK:
        if fmt in formats.names(formats.ASK):
            return formats.get(fmt).write_result(result)
        return "true\n" if result.boolean else "false\n"
    if result.kind == GRAPH:
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE result can be written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
        return formats.get(fmt).write(result.graph())
    assert result.kind == SELECT
    if fmt not in SELECT_FORMATS:
        raise UsageError(f"a SELECT result can be written as {', '.join(SELECT_FORMATS)}, not {fmt!r}")
    return formats.get(fmt).write_result(result)
