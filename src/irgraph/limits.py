r"""Limits on what one data file may hold, checked on its text before any parser reads it.

* **Nesting**: Turtle, TriG, N-Triples and N-Quads ``[ … ]``, ``( … )``,
  ``{ … }`` and RDF 1.2's ``<< … >>``; JSON ``{ … }`` and ``[ … ]``: at most
  :data:`DEFAULT_MAX_NESTING` levels deep unless the environment variable
  ``IRGRAPH_MAX_NESTING`` says otherwise. Parsers and the tools after them
  (Python's JSON reader, recursive code) break on deep structures, and no
  data of this project needs more than a few levels.
* **RDF 1.2 triple terms** (``<<( … )>>``, ``<< … >>``, an annotation
  ``{| … |}``, a reifier ``~``): refused. Oxigraph's parsers read them, but
  rdflib, and so irgraph, cannot hold them.
* **Term length**: one literal, IRI, name or comment of at most
  :data:`MAX_TERM_BYTES` (16 MiB), the buffer of Oxigraph's parsers; a
  longer one is reported with its line instead of the parser's
  ``MemoryError`` (:func:`too_long`).

A file over a limit is refused naming the file and line
(:class:`~irgraph.errors.LoadError`, raised by :mod:`irgraph.load`).

The scanner reads the text as the parsers lex it: strings (short and long,
with their escapes), IRIs, comments, and the escapes of prefixed names
(``ex:a\'`` and ``ex:a\#`` are names, not the start of a string or a
comment). Where a parser stops with an error, what it would have made of
the rest no longer matters, since nothing after that point is parsed; so
the scanner has to agree with the parsers on valid text, and where it
cannot tell (a string that does not close) it refuses rather than skip.
It reads the text once, never going back more than to the start of an IRI.
Only files that could break a limit are scanned: those with more opening
brackets than the limit, or with ``<<``, ``{|`` or ``~`` anywhere; the
others cost one pass of ``bytes.count``.
"""

from __future__ import annotations

import mmap
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

DEFAULT_MAX_NESTING = 256
NESTING_VARIABLE = "IRGRAPH_MAX_NESTING"
MAX_TERM_BYTES = 16 * 1024 * 1024

# The pieces of Turtle (TriG, N-Triples and N-Quads too) the scanner reads, as Oxigraph lexes them.
_LONG_STRING = rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""' + rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
#: a short string never starts at three quotes: an unclosed long string must not be read as an empty one
_SHORT_STRING = rb'"(?!"")[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"' + rb"|'(?!'')[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'"
_IRI = rb"<[^<>\s]*>"
#: Oxigraph ends a comment at a line feed or a carriage return
_COMMENT = rb"#[^\n\r]*"
#: a backslash outside strings and IRIs is the escape of a prefixed name (PN_LOCAL_ESC: ``ex:a\'``, ``ex:a\#``),
#: and the character after it belongs to the name; anywhere else the parser stops at it with an error
_ESCAPE = rb"\\."
#: prefixed names, blank-node labels, numbers and keywords by the grammar's characters (PN_CHARS, ``:``, ``.``,
#: ``%XX``, PN_LOCAL_ESC); every non-ASCII byte counts, so U+00B7, U+0300-U+036F and the rest do too
_NAME = rb"(?:[A-Za-z0-9_\-+.:%@]|[\x80-\xff]|\\.)+"
_UNCLOSED = rb"(?P<unclosed_long>\"\"\"|''')|(?P<unclosed>[\"'])"
#: what ends a stretch of text the scanner reads past: a triple term, a bracket, a quote whose string does not close
_TURTLE_MARKS = rb"(?P<triple><<|\{\||~)|(?P<open>[\[({])|(?P<close>>>|[\])}])|" + _UNCLOSED
_JSON_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_MARKS = rb'(?P<open>[\[{])|(?P<close>[\]}])|(?P<unclosed>")'
#: text with no structure in it: anything but those marks, whole strings, IRIs, comments, escapes, a lone < or >
_TURTLE_QUIET = (rb"[^\"'<#\\\[\](){}~>]+", _LONG_STRING, _SHORT_STRING, _IRI, rb"<(?!<)|>(?!>)", _COMMENT, _ESCAPE)
_JSON_QUIET = (rb'[^"\[\]{}]+', _JSON_STRING)


def _structure(quiet: tuple[bytes, ...], marks: bytes) -> re.Pattern[bytes]:
    """One match a mark: the quiet text before it (read by the regex engine, not a Python step a token), then the mark.

    Every character is quiet text or starts a mark, so nothing is passed
    over. The quiet part is cut every 4,096 pieces (an empty ``pause``) to
    keep the regex engine's memory small on long stretches; ``end`` is the
    end of the text (after a lone backslash, possibly).
    """
    return re.compile(b"(?:" + b"|".join(quiet) + b"){0,4096}(?:" + marks + rb"|(?P<end>\\?\Z)|(?P<pause>))", re.DOTALL)


#: what the structure checks read: nesting, triple terms, strings that do not close (N-Triples is read as Turtle)
_STRUCTURE = {"turtle": _structure(_TURTLE_QUIET, _TURTLE_MARKS), "json": _structure(_JSON_QUIET, _JSON_MARKS)}
_STRUCTURE["ntriples"] = _STRUCTURE["turtle"]
#: what the length check reads: one token a match (a term or a comment, or a string that does not close)
_TERMS = {
    "turtle": re.compile(b"(?P<term>" + b"|".join((_LONG_STRING, _SHORT_STRING, _IRI, _COMMENT, _NAME)) + b")|" + _UNCLOSED,
                         re.DOTALL),
    "json": re.compile(b"(?P<term>" + _JSON_STRING + rb')|(?P<unclosed>")', re.DOTALL),
}
_TERMS["ntriples"] = _TERMS["turtle"]
#: bytes whose count bounds the depth, and text whose presence may mean a triple term (in N-Triples and N-Quads
#: only triple terms nest: brackets there are in literals, and need no scan)
_OPENERS = {"turtle": (b"[", b"(", b"{", b"<<"), "ntriples": (b"<<",), "json": (b"[", b"{")}
_TRIPLE_MARKS = {"turtle": (b"<<", b"{|", b"~"), "ntriples": (b"<<",), "json": ()}
_TRIPLE_NAMES = {b"<<": "'<<'", b"{|": "an annotation '{|'", b"~": "a reifier '~'"}
NO_TRIPLE_TERMS = "RDF 1.2 triple terms are not supported: irgraph's graphs are RDF 1.1 (rdflib cannot hold a triple term)"
TRIPLE_TERM_HINT = (
    "say what you want to say about a statement with a node of its own (or with RDF 1.1 reification: "
    "rdf:Statement, rdf:subject, rdf:predicate, rdf:object); nothing was loaded"
)


@dataclass(frozen=True)
class Excess:
    """Where a file goes over a limit: line and column (from 1), what and how to fix it.

    ``kind`` is ``nesting``, ``triple-term``, ``unclosed-string`` or ``length``.
    """

    line: int
    column: int
    message: str
    hint: str
    kind: str = ""


def max_nesting() -> int:
    """The nesting limit: ``IRGRAPH_MAX_NESTING`` when set, else :data:`DEFAULT_MAX_NESTING`."""
    text = os.environ.get(NESTING_VARIABLE)
    if text is None:
        return DEFAULT_MAX_NESTING
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(f"{NESTING_VARIABLE}={text!r}: give a whole number of levels, at least 1")
    return value


def _excess(data, offset: int, kind: str, message: str, hint: str) -> Excess:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = bytes(data[:line_start]).count(b"\n") + 1
    column = len(bytes(data[line_start:offset]).decode("utf-8", "replace")) + 1  # in characters, as the parsers count
    return Excess(line, column, message, hint, kind)


def _survey(path: Path, syntax: str) -> tuple[int, bool]:
    """How many opening brackets ``path`` has, and whether text that may make a triple term is in it (one pass)."""
    openers, marks = _OPENERS[syntax], _TRIPLE_MARKS[syntax]
    count, marked, tail = 0, False, b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            joined = tail + chunk  # a two-byte mark may straddle two chunks
            count += sum(chunk.count(opener) for opener in openers if len(opener) == 1)
            count += sum(joined.count(opener) for opener in openers if len(opener) == 2)
            marked = marked or any(mark in joined for mark in marks)
            tail = chunk[-1:]
    return count, marked


@contextmanager
def _mapped(path: Path) -> Iterator[bytes | mmap.mmap]:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            yield b""
            return
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            yield data
        finally:
            data.close()


def _unclosed(data, syntax: str, match: re.Match) -> Excess:
    kind = match.lastgroup or ""
    where = "its line ends" if syntax != "json" and kind == "unclosed" else "the file ends"
    return _excess(
        data, match.start(kind), "unclosed-string",
        f"a string starts here ({match.group(kind).decode()}) and {where} before it is closed",
        "close the string (inside a string, write its quote as \\\" or \\'); nothing was loaded",
    )


def _scan(data, syntax: str, limit: int, *, triple_terms: bool) -> Excess | None:
    """The first problem in ``data``: a triple term (when ``triple_terms``), nesting past ``limit``, an unclosed string."""
    depth = 0
    for match in _STRUCTURE[syntax].finditer(data):
        kind = match.lastgroup
        if kind == "end":
            break
        if kind == "triple":
            mark = match.group(kind)
            if triple_terms:
                return _excess(data, match.start(kind), "triple-term",
                               f"{_TRIPLE_NAMES[mark]} here starts an RDF 1.2 triple term. {NO_TRIPLE_TERMS}",
                               TRIPLE_TERM_HINT)
            kind = "pause" if mark == b"~" else "open"  # << … >> and {| … |} nest
        if kind == "open":
            depth += 1
            if depth > limit:
                return _excess(
                    data, match.start(kind), "nesting", f"structures nest more than {limit} levels deep here",
                    f"give the inner nodes IRIs instead of nesting them, or raise the limit with {NESTING_VARIABLE}=N; "
                    "nothing was loaded",
                )
        elif kind == "close":
            depth = max(depth - 1, 0)  # a stray closer is the parser's error; it must not hide later openers
        elif kind in ("unclosed", "unclosed_long"):
            return _unclosed(data, syntax, match)
    return None


def check_text(path: Path, syntax: str, limit: int | None = None) -> Excess | None:
    """The first thing in ``path`` no parser may be given, or None.

    ``syntax`` is ``turtle`` (Turtle, TriG), ``ntriples`` (N-Triples,
    N-Quads) or ``json`` (JSON-LD). Found: an RDF 1.2 triple term, nesting deeper than ``limit``
    (:func:`max_nesting` by default) and, in a file scanned for those, a
    string that does not close.
    """
    limit = max_nesting() if limit is None else limit
    openers, marked = _survey(path, syntax)
    if openers <= limit and not marked:
        return None  # cannot nest deeper than it has brackets, and holds no triple term
    with _mapped(path) as data:
        return _scan(data, syntax, limit, triple_terms=True)


def too_deep(path: Path, syntax: str, limit: int | None = None) -> Excess | None:
    """Where ``path`` first nests deeper than ``limit`` (``<< … >>`` is a level too), or None."""
    limit = max_nesting() if limit is None else limit
    if _survey(path, syntax)[0] <= limit:
        return None
    with _mapped(path) as data:
        return _scan(data, syntax, limit, triple_terms=False)


def triple_term(path: Path, syntax: str) -> Excess | None:
    """Where ``path`` first writes an RDF 1.2 triple term, or None (the whole text is read)."""
    with _mapped(path) as data:
        excess = _scan(data, syntax, sys.maxsize, triple_terms=True)
    return excess if excess is not None and excess.kind == "triple-term" else None


def too_long(path: Path, syntax: str) -> Excess | None:
    """The first term or comment of ``path`` longer than :data:`MAX_TERM_BYTES` (or an unclosed string), or None."""
    with _mapped(path) as data:
        for match in _TERMS[syntax].finditer(data):
            if match.lastgroup != "term":
                return _unclosed(data, syntax, match)  # a parser looking for its end fills its buffer too
            if match.end() - match.start() > MAX_TERM_BYTES:
                size = (match.end() - match.start()) / (1024 * 1024)
                return _excess(
                    data, match.start(), "length",
                    f"a term of {size:.1f} MiB starts here; one literal, IRI, name or comment may be at most "
                    f"{MAX_TERM_BYTES // (1024 * 1024)} MiB",
                    "keep long text in a file of its own and link to it, or split it; nothing was loaded",
                )
    return None
