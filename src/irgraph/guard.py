"""What a SPARQL query may do, decided on its text before any parser reads it.

irgraph never lets a query reach outside the graph (``SERVICE``, ``FROM`` /
``FROM NAMED``) or change it (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …).
Deciding that with one SPARQL parser and running the query with another is
unsafe: where the two read the text differently (a ``#`` comment that one ends
at ``\\r`` and the other at ``\\n``, a codepoint escape one applies and the other
does not), a keyword hidden from the checker reaches the engine. So the check
here is a *conservative lexer*: it reads every part of the text that any
reasonable parser might take as code, and refuses when a refused keyword stands
there.

- A comment ends at the first character any parser might take as a line break
  (``\\n``, ``\\r``, vertical tab, form feed, ``\\x1c``–``\\x1e``, NEL, the Unicode
  line and paragraph separators), so the rest of the line counts as code.
- Strings and IRIs are read by the SPARQL grammar; a codepoint escape
  (``\\u0053``, ``\\U00000053``) is accepted only inside a string and only when
  it stands for an ordinary character (not a quote, a backslash or a line
  break), because the SPARQL spec applies such escapes *before* parsing and
  parsers differ in whether they do. Anywhere else it is refused.
- A refused keyword is found in any case, glued to what precedes or follows
  it (``}SERVICE<…>``, ``1SERVICE``, ``SERVICE:x``), and in every
  dot-separated part of a bare name.

The price is a rare false refusal (a prefix named ``service:``, the word
``from`` after a form feed inside a comment); the message says how to write
the query instead. On Oxigraph the engine is additionally given the dataset
explicitly (so ``FROM`` cannot change it) and runs where it cannot open a
network socket (:mod:`irgraph.sandbox`), whatever the text says.

Limits are checked here too, before anything parses: the length of the text
and its nesting depth (brackets and chains of prefix operators, which
recursive parsers descend into; Oxigraph's parser crashes the process at a few
thousand levels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError, UpdateRefused

SELECT, ASK, GRAPH = "select", "ask", "graph"
_FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}
_PROLOGUE = {"BASE", "PREFIX", "VERSION"}
_REACHING_OUT = ("SERVICE",)
_DATASET = ("FROM",)
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING")

#: Defaults, documented in the README ("Safety and limits").
DEFAULT_MAX_LENGTH = 1_000_000
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class QueryLimits:
    """How much a query may ask for.

    ``max_length``: characters of query text; ``max_depth``: nesting of
    brackets and prefix operators; ``max_rows``: solutions (or triples) in
    an answer, beyond which the answer is cut; ``max_bytes``: roughly the
    size of the answer's terms, beyond which it is cut.
    """

    max_length: int = DEFAULT_MAX_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES


_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LOCAL_ESCAPES = re.escape("_~.-!$&'()*+,;=/?#@%")
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^{_LINE_BREAKS}]*)
  | (?P<string>
        \"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\[^{_LINE_BREAKS}]))*\"\"\"
      | '''(?:(?:'|'')?(?:[^'\\]|\\[^{_LINE_BREAKS}]))*'''
      | \"(?:[^\"\\{_LINE_BREAKS}]|\\[^{_LINE_BREAKS}])*\"
      | '(?:[^'\\{_LINE_BREAKS}]|\\[^{_LINE_BREAKS}])*'
    )
  | (?P<iri><[^<>\"{{}}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][^\W]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>(?:[^\W\d]|[_:])(?:[\w.\-:%]|\\[{_LOCAL_ESCAPES}])*)
  | (?P<escape>\\[uU])
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<prefix_op>[!^+\-])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)", re.DOTALL)
_UNSAFE_IN_STRING = set("\"'\\") | set(_LINE_BREAKS)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _position(text: str, offset: int) -> str:
    """Line and column of ``offset``, counting \\n, \\r and \\r\\n as line breaks (as editors do)."""
    line, start = 1, 0
    for match in _NEWLINE.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return f"line {line}, column {offset - start + 1}"


def _refused(text: str, offset: int, message: str, kind: type[QueryError] = QueryError) -> QueryError:
    return kind(f"{message} ({_position(text, offset)})")


def _check_string(text: str, token: str, offset: int) -> None:
    for match in _CODEPOINT.finditer(token):
        digits = match.group(1) or match.group(2)
        if digits is None:
            continue
        codepoint = int(digits, 16)
        if codepoint > 0x10FFFF or 0xD800 <= codepoint <= 0xDFFF:
            raise _refused(text, offset + match.start(),
                           f"{match.group(0)} is not a Unicode code point: write a character that exists")
        if chr(codepoint) in _UNSAFE_IN_STRING:
            raise _refused(
                text, offset + match.start(),
                f"the codepoint escape {match.group(0)} stands for a quote, backslash or line break, which SPARQL "
                "parsers read differently; write it as \\\", \\', \\\\ or \\n instead",
            )


def _keyword_in(name: str) -> str | None:
    """The refused keyword this bare-name token could be read as, if any.

    Checked: the prefix part of a prefixed name (``SERVICE:x``), every
    dot-separated part of it (``a.SERVICE``) and of the local part after the
    first one (``ex:a.SERVICE``), each also when glued to what follows
    (``SERVICEx``).
    """
    prefix, colon, local = name.partition(":")
    parts = prefix.split(".")
    if colon:
        parts += local.split(".")[1:]
    for part in parts:
        upper = part.upper()
        for keyword in _REACHING_OUT + _DATASET + _UPDATES:
            if upper.startswith(keyword):
                return keyword
    return None


def _refuse_keyword(text: str, offset: int, token: str, keyword: str, allow_dataset: bool) -> None:
    if keyword in _DATASET and allow_dataset:
        return
    kind: type[QueryError] = QueryError
    if keyword in _REACHING_OUT:
        message = "SERVICE is refused: irgraph does not let a query reach other endpoints"
    elif keyword in _DATASET:
        message = "FROM and FROM NAMED are refused: queries run on the loaded graph and no dataset is fetched"
    else:
        message = f"{keyword}: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused: the graph is read-only"
        kind = UpdateRefused
    if token.upper() != keyword:
        message += (f"; {token!r} could be read as {keyword} by some parser, so it is refused too "
                    "(rename the prefix or the name)")
    raise _refused(text, offset, message, kind)


def _check_size(text: str, limits: QueryLimits) -> None:
    if len(text) > limits.max_length:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is {limits.max_length:,}")
    if not text.strip():
        raise QueryError("the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def _checked_name(text: str, offset: int, token: str, kind: str | None, allow_dataset: bool) -> str | None:
    """Refuse a name that is (or may be read as) a refused keyword; the query's kind once its form is named."""
    keyword = _keyword_in(token)
    if keyword is not None:
        _refuse_keyword(text, offset, token, keyword, allow_dataset)
    upper = token.upper()
    if kind is None and ":" not in token and upper not in _PROLOGUE:
        return _FORMS.get(upper, "")
    return kind


def inspect_query(text: str, limits: QueryLimits = QueryLimits(), *, allow_dataset: bool = False) -> str:
    """Check ``text`` within ``limits`` and return its kind: ``select``, ``ask`` or ``graph``.

    Raises :class:`~irgraph.errors.QueryError` for a refused keyword (where
    it stands), an empty or over-long text, nesting deeper than allowed, a
    codepoint escape outside a string, or a text that is not a query.
    A refused keyword that only *looks* like code to this lexer (see the
    module notes) is refused too; the message says where.

    >>> inspect_query("SELECT ?s WHERE { ?s a irg:Intervention }")
    'select'
    >>> inspect_query("SELECT * WHERE { ?s ?p ?o # x\\r SERVICE <http://127.0.0.1/> { ?a ?b ?c }\\n }")
    Traceback (most recent call last):
    ...
    irgraph.errors.QueryError: SERVICE is refused: irgraph does not let a query reach other endpoints (line 2, column 2)
    """
    _check_size(text, limits)
    kind = None
    depth = run = deepest = 0
    for match in _TOKEN.finditer(text):
        group, token, offset = match.lastgroup, match.group(), match.start()
        if group in ("space", "comment"):
            continue
        if group == "prefix_op":
            run += 1
            deepest = max(deepest, depth + run)
        else:
            run = 0
        if group == "string":
            _check_string(text, token, offset)
        elif group == "escape":
            raise _refused(text, offset, "codepoint escapes (\\u…, \\U…) are refused outside strings: write the character itself")
        elif group == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif group == "close":
            depth = max(depth - 1, 0)
        elif group == "name":
            kind = _checked_name(text, offset, token, kind, allow_dataset)
        if deepest > limits.max_depth:
            raise _refused(text, offset,
                           f"the query nests deeper than {limits.max_depth} levels (brackets and prefix operators)")
    if not kind:
        raise QueryError("not a query: irgraph runs SELECT, ASK, CONSTRUCT and DESCRIBE (after PREFIX and BASE)")
    return kind
