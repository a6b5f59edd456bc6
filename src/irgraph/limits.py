"""Limits on what one data file may hold: how deep structures nest, how long one term is.

* **Nesting**: Turtle and TriG ``[ … ]`` and ``( … )``, JSON ``{ … }`` and
  ``[ … ]``, at most :data:`DEFAULT_MAX_NESTING` levels deep unless the
  environment variable ``IRGRAPH_MAX_NESTING`` says otherwise. Readers and
  writers further on (Python's JSON reader, recursive tools) break on deep
  structures, and no data of this project needs more than a few levels.
  N-Triples and N-Quads have no nesting.
* **Term length**: one literal or IRI of at most :data:`MAX_TERM_BYTES`
  (16 MiB), the buffer of Oxigraph's parsers; a longer term is reported
  with its line instead of the parser's ``MemoryError``.

Both are checked when a file is read (``irgraph.load``), and a file over a
limit is refused naming the file and line (:class:`~irgraph.errors.LoadError`).
Only files with more opening brackets than the limit are scanned for depth,
so ordinary files cost one pass of ``bytes.count``.
"""

from __future__ import annotations

import mmap
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

DEFAULT_MAX_NESTING = 256
NESTING_VARIABLE = "IRGRAPH_MAX_NESTING"
MAX_TERM_BYTES = 16 * 1024 * 1024

_TURTLE = re.compile(
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
    rb"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'"
    rb"|<[^<>\s]*>|#[^\n\r]*|[\[\]()]",
    re.DOTALL,
)
_JSON = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_SYNTAX = {"turtle": (_TURTLE, b"[(", b"])"), "json": (_JSON, b"[{", b"]}")}


@dataclass(frozen=True)
class Excess:
    """Where a file goes over a limit: line and column (from 1), what and how to fix it."""

    line: int
    column: int
    message: str
    hint: str


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


def _position(data, offset: int) -> tuple[int, int]:
    before = bytes(data[:offset])
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _count(path: Path, characters: bytes) -> int:
    total = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            total += sum(chunk.count(bytes([c])) for c in characters)
    return total


def _mapped(path: Path):
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def too_deep(path: Path, syntax: str, limit: int | None = None) -> Excess | None:
    """Where the file ``path`` (``syntax`` ``turtle`` or ``json``) first nests deeper than ``limit``, or None."""
    limit = max_nesting() if limit is None else limit
    pattern, openers, closers = _SYNTAX[syntax]
    if _count(path, openers) <= limit:
        return None  # cannot nest deeper than it has brackets
    data = _mapped(path)
    try:
        depth = 0
        for match in pattern.finditer(data):
            first = data[match.start()]
            if first in openers:
                depth += 1
                if depth > limit:
                    line, column = _position(data, match.start())
                    return Excess(
                        line, column,
                        f"structures nest more than {limit} levels deep here",
                        "give the inner nodes IRIs instead of nesting them, or raise the limit with "
                        f"{NESTING_VARIABLE}=N; nothing was loaded",
                    )
            elif first in closers:
                depth -= 1
        return None
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def too_long(path: Path, syntax: str) -> Excess | None:
    """The first literal or IRI of ``path`` longer than :data:`MAX_TERM_BYTES`, or None."""
    pattern = _SYNTAX[syntax][0]
    data = _mapped(path)
    try:
        for match in pattern.finditer(data):
            if match.end() - match.start() > MAX_TERM_BYTES:
                line, column = _position(data, match.start())
                size = (match.end() - match.start()) / (1024 * 1024)
                return Excess(
                    line, column,
                    f"a term of {size:.1f} MiB starts here; one literal or IRI may be at most "
                    f"{MAX_TERM_BYTES // (1024 * 1024)} MiB",
                    "keep long text in a file of its own and link to it, or split it; nothing was loaded",
                )
        return None
    finally:
        if isinstance(data, mmap.mmap):
            data.close()
