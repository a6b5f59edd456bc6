"""Query results as text: aligned tables and Markdown for people, W3C formats for machines.

SELECT results: ``table`` and ``md`` show compact names (``ir:il-2``);
``json`` (SPARQL 1.1 Query Results JSON), ``xml``, ``csv`` and ``tsv`` (the
W3C CSV/TSV formats) keep full IRIs and are written by rdflib's serialisers.
Graph results (CONSTRUCT, DESCRIBE): ``turtle``, ``jsonld``, ``nt``.
"""

from __future__ import annotations

import re

from .errors import UsageError
from .export import to_jsonld, to_ntriples, to_turtle
from .query import ASK, GRAPH, SELECT, QueryResult, display

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "jsonld", "nt")
ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS
#: HTTP media types of each machine format (used by the SPARQL endpoint too)
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` with control and bidirectional-override characters shown as escapes, for a terminal.

    Data from files must not steer the terminal (escape sequences, a
    changed window title, text that runs right to left).

    >>> printable("IL-2\x1b]0;pwned\x07")
    'IL-2\\x1b]0;pwned\\x07'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


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
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
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


def render(result: QueryResult, fmt: str) -> str:
    """The result in format ``fmt``; a format that does not fit the query kind is a :class:`UsageError`."""
    if result.kind == ASK:
        if fmt in ("json", "xml"):
            return result.to_rdflib().serialize(format=fmt).decode("utf-8").rstrip("\n") + "\n"
        return "true\n" if result.boolean else "false\n"
    if result.kind == GRAPH:
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE result can be written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
        graph = result.graph()
        return {"turtle": to_turtle, "nt": to_ntriples, "jsonld": to_jsonld}[fmt](graph)
    assert result.kind == SELECT
    if fmt == "table":
        return to_table(result)
    if fmt == "md":
        return to_table(result, markdown=True)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt in ("json", "xml", "csv"):
        data = result.to_rdflib().serialize(format=fmt)
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return text if text.endswith("\n") else text + "\n"
    raise UsageError(f"a SELECT result can be written as {', '.join(SELECT_FORMATS)}, not {fmt!r}")
