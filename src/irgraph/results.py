"""Query results as text: aligned tables and Markdown for people, W3C formats for machines.

SELECT results: ``table`` and ``md`` show compact names (``ir:il-2``);
``json`` (SPARQL 1.1 Query Results JSON), ``xml``, ``csv`` and ``tsv`` (the
W3C CSV/TSV formats) keep full IRIs and are written by rdflib's serialisers.
Graph results (CONSTRUCT, DESCRIBE): the graph formats of
:mod:`irgraph.formats` that can write them (``turtle``, ``jsonld``, ``nt``).
Which format writes what is the registry's to say; this module holds the
result writers it names.
"""

from __future__ import annotations

import sys

from . import formats
from .console import printable
from .errors import UsageError
from .query import ASK, GRAPH, SELECT, QueryResult, display

SELECT_FORMATS = formats.names(formats.SELECT)
GRAPH_FORMATS = formats.names(formats.CONSTRUCT)
ALL_FORMATS = formats.names(formats.SELECT, formats.CONSTRUCT)
#: HTTP media types of each machine format (used by the SPARQL endpoint too)
MEDIA_TYPES = {
    f.name: f.media_type for f in formats.formats_for(formats.SELECT, formats.ASK, formats.CONSTRUCT) if f.media_type
}


def _cell(text: str, width: int = 60) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(result: QueryResult, *, markdown: bool = False, width: int = 60) -> str:
    """An aligned plain-text (or Markdown) table with compact names; long cells are shortened in plain text."""
    header = result.variables
    rows = [[display(row.get(v)) for v in header] for row in result.rows]
    if markdown:
        def escape(text: str) -> str:
            return printable(" ".join(text.replace("|", "\\|").split()))

        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    rows = [[_cell(c, width) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line, rule, *body, count]) + "\n"


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
    """The ``table`` format: :func:`to_table`, long cells shortened to fit the terminal's width."""
    return to_table(result, width=cell_width(len(result.variables)))


def cell_width(columns: int, terminal: int | None = None) -> int:
    """How wide a cell may be for ``columns`` columns to fit the terminal (``COLUMNS``), at least 12 and at most 60.

    >>> cell_width(2, terminal=80), cell_width(10, terminal=80), cell_width(1, terminal=300)
    (39, 12, 60)
    """
    import shutil

    total = terminal or shutil.get_terminal_size((120, 24)).columns
    return max(12, min(60, (total - 2 * max(columns - 1, 0)) // max(columns, 1)))


def to_wide_table(result: QueryResult) -> str:
    """The table with nothing shortened (``irgraph query --wide``)."""
    return to_table(result, width=sys.maxsize)


def to_markdown(result: QueryResult) -> str:
    """The ``md`` format: a Markdown table."""
    return to_table(result, markdown=True)


def _w3c(result: QueryResult, fmt: str) -> str:
    data = result.to_rdflib().serialize(format=fmt)
    text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
    if result.kind == ASK:
        return text.rstrip("\n") + "\n"
    return text if text.endswith("\n") else text + "\n"


def to_sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT and ASK), by rdflib's serialiser."""
    return _w3c(result, "json")


def to_sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML (SELECT and ASK), by rdflib's serialiser."""
    return _w3c(result, "xml")


def to_csv(result: QueryResult) -> str:
    """W3C SPARQL CSV (SELECT), by rdflib's serialiser."""
    return _w3c(result, "csv")


def render(result: QueryResult, fmt: str) -> str:
    """The result in format ``fmt``; a format that does not fit the query kind is a :class:`UsageError`.

    An ASK result is ``true`` or ``false`` in any format that does not write ASK results (``table``…).
    """
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
