"""What a SPARQL query may do, decided on its text before any parser reads it.

irgraph never lets a query reach outside the graph (``SERVICE``, ``FROM`` /
``FROM NAMED``) or change it (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …).
Deciding that with one SPARQL parser and running the query with another is
unsafe: where the two read the text differently (a ``#`` comment that one ends
at ``\\r`` and the other at ``\\n``, a ``<`` that one takes for the start of an
IRI and the other for "less than"), a keyword hidden from the checker reaches
the engine. So the check here reads the text *every way a parser might*, and
refuses when a refused keyword stands in code in any of those readings:

- the standard reading, by the SPARQL grammar: comments end at ``\\n`` or
  ``\\r``, short strings hold any character but a line feed or carriage
  return, names have the grammar's characters and escapes;
- a comment that ends at any other character some parser or editor takes
  for a line break (vertical tab, form feed, ``\\x1c``–``\\x1e``, NEL, U+2028,
  U+2029), or that runs on past a ``\\r`` to the ``\\n``;
- a ``<`` inside parentheses after a term, read both as "less than" and as
  the start of an IRI;
- a string ended early at an escaped quote (``\\"``), as by a parser that does
  not know escapes.

A reading that comes back to a place another reading has already been (in
the same state) is not followed again, so the work stays close to linear; a
text so ambiguous that its readings take many times the work of the standard
one is refused. Codepoint escapes (``\\u0053``, ``\\U00000053``), which the
SPARQL spec applies *before* parsing and parsers treat differently, are
refused outside strings, and inside a string when they stand for a quote, a
backslash or a line break. A refused keyword is found in any case, glued to
its neighbours (``}SERVICE<…>``, ``1SERVICE``), as the prefix of a name
(``service:x``) and in every dot- or escape-separated part of a name.

The price is a rare false refusal (a prefix named ``service:``, an IRI with a
``/from/`` path right after a term in a collection); the message says where
and how to write it instead. On Oxigraph the engine is also given the dataset
explicitly (so ``FROM`` cannot change it) and runs where it cannot open a
network socket (:mod:`irgraph.sandbox`), whatever the text says.

Limits are checked here too, before anything parses: the length of the text,
the number of its tokens (the engine's parser and planner slow down faster
than linearly on long flat lists, and recurse on them) and its nesting depth
(brackets and chains of prefix operators; Oxigraph's parser crashes the
process at a few thousand levels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .defaults import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS
from .errors import QueryError, UpdateRefused

SELECT, ASK, GRAPH = "select", "ask", "graph"
_FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}
_PROLOGUE = {"BASE", "PREFIX", "VERSION"}
_REACHING_OUT = ("SERVICE",)
_DATASET = ("FROM",)
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING")
_KEYWORDS = _REACHING_OUT + _DATASET + _UPDATES

#: Defaults, documented in docs/safety.md.
DEFAULT_MAX_LENGTH = 1_000_000
DEFAULT_MAX_TOKENS = 20_000
DEFAULT_MAX_DEPTH = 64


@dataclass(frozen=True)
class QueryLimits:
    """How much a query may ask for.

    ``max_length``: characters of query text; ``max_tokens``: its words,
    terms and signs; ``max_depth``: nesting of brackets and prefix
    operators; ``max_rows``: solutions (or triples) in an answer, beyond
    which the answer is cut; ``max_bytes``: roughly the size of the answer's
    terms, beyond which it is cut.
    """

    max_length: int = DEFAULT_MAX_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_tokens: int = DEFAULT_MAX_TOKENS


#: what the grammar takes for line breaks (EOL), and what other readers take for one too
_EOL = "\n\r"
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"
_STRINGS = (
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""',
    r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''",
    r'"(?:[^"\\\n\r]|\\[^\n\r])*"',
    r"'(?:[^'\\\n\r]|\\[^\n\r])*'",
)
#: one token of the standard reading; the lexer decides what a ``<`` starts
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<space>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            "(?P<string>" + "|".join(_STRINGS) + ")",
            r"(?P<less><)",
            f"(?P<variable>[?$][{_VARNAME_CHARS}]*)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
            f"(?P<name>[{_PN_CHARS_BASE}_:](?:[{_PN_CHARS}.:%]|\\\\[^\\s])*)",
            r"(?P<escape>\\[uU])",
            r"(?P<open>[{(\[])",
            r"(?P<close>[})\]])",
            r"(?P<prefix_op>[!^+\-])",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
#: tokens after which a ``<`` inside parentheses may mean "less than"
_OPERANDS = frozenset({"variable", "number", "string", "langtag", "iri", "name", "close"})
#: where a name may be split into parts a parser could read apart
_NAME_PARTS = re.compile(r"\\.|%[0-9A-Fa-f]{2}|\.")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)", re.DOTALL)
_UNSAFE_IN_STRING = set("\"'\\") | set(_EOL)
#: the other readings may read this many times the characters of the text (plus a little)
_AMBIGUITY_BUDGET = 8
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _line_end(text: str, offset: int) -> int:
    ends = [at for at in (text.find("\n", offset), text.find("\r", offset)) if at >= 0]
    return min(ends) if ends else len(text)


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


def _decoded(match: re.Match) -> str:
    """A codepoint escape as the character it stands for (other escapes unchanged)."""
    digits = match.group(1) or match.group(2)
    if digits is None:
        return match.group(0)
    codepoint = int(digits, 16)
    return chr(codepoint) if codepoint <= 0x10FFFF and not 0xD800 <= codepoint <= 0xDFFF else "\ufffd"


def _keyword_in(name: str) -> str | None:
    """The refused keyword this name token could be read as, if any.

    Checked: the prefix part of a prefixed name (``SERVICE:x``) and every
    part of the name split at dots, escapes and ``%``-escapes (``a.SERVICE``,
    ``ex:a\\#SERVICE``) except the local name itself (``ex:service`` is a
    name), each also when glued to what follows (``SERVICEx``).
    """
    prefix, colon, local = name.partition(":")
    parts = _NAME_PARTS.split(prefix)
    if colon:
        parts += _NAME_PARTS.split(local)[1:]
    for part in parts:
        upper = part.upper()
        for keyword in _KEYWORDS:
            if upper.startswith(keyword):
                return keyword
    return None


def _refuse_keyword(text: str, offset: int, token: str, keyword: str) -> None:
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


@dataclass
class _Reading:
    """One way of reading the text from ``offset`` on: how deep in parentheses, and what came last."""

    offset: int
    parens: int = 0
    after_operand: bool = False

    def key(self) -> tuple[int, int, bool]:
        return self.offset, min(self.parens, 3), self.after_operand


@dataclass
class _Lexer:
    """Reads the text the standard way, and every other way that may show more code (see the module notes)."""

    text: str
    limits: QueryLimits
    allow_dataset: bool
    seen: set = field(default_factory=set)
    pending: list = field(default_factory=list)
    work: int = 0
    # what the standard reading finds
    tokens: int = 0
    kind: str | None = None
    depth: int = 0
    chain: int = 0

    def read(self, reading: _Reading, standard: bool) -> None:
        """Follow one reading to the end of the text, or to a place already read in the same state."""
        text, at = self.text, reading.offset
        while at < len(text):
            reading.offset = at
            if not standard and reading.key() in self.seen:
                return
            self.seen.add(reading.key())
            group, end = self._token(reading, standard)
            if not standard:
                self.work += end - at
            if group not in ("space", "comment", "end"):
                reading.after_operand = group in _OPERANDS
                if standard:
                    self._standard(group, at, end)
            at = end

    def _token(self, reading: _Reading, standard: bool) -> tuple[str, int]:
        """The group and end of the token at ``reading.offset``; registers the other readings it allows."""
        text, at = self.text, reading.offset
        if text[at] == "<":
            return self._less(reading)
        match = _TOKEN.match(text, at)
        assert match is not None and match.lastgroup is not None  # the last alternative takes any character
        group, token = match.lastgroup, match.group()
        if group == "other" and token in "'\"":
            return self._unclosed(reading, standard)
        if group == "comment":
            self._comment_ends(reading, token)
        elif group == "string":
            self._early_string_ends(reading, token)
            if standard:
                _check_string(text, token, at)
        elif group == "name":
            self._name(token, at, standard)
        elif group == "escape" and standard:
            raise _refused(text, at, "codepoint escapes (\\u…, \\U…) are refused outside strings: write the character itself")
        elif group == "open" and token == "(":
            reading.parens += 1
        elif group == "close" and token == ")":
            reading.parens = max(reading.parens - 1, 0)
        return group, match.end()

    def _unclosed(self, reading: _Reading, standard: bool) -> tuple[str, int]:
        """A quote that opens no string the grammar allows: a syntax error in the standard reading.

        Every SPARQL parser rejects the text there, so the standard reading
        refuses it at once (going on one character at a time would try a
        string again at every later quote: quadratic). Another reading ends
        here, its failed attempt counted as work.
        """
        if standard:
            raise _refused(self.text, reading.offset, "a string is not closed: end it with the quote it starts with "
                           "(a one-line string cannot run over a line break: use three quotes for that)")
        quote = self.text[reading.offset]
        long_string = self.text.startswith(quote * 3, reading.offset)
        stop = len(self.text) if long_string else _line_end(self.text, reading.offset)
        self.work += stop - reading.offset
        return "end", len(self.text)

    def _less(self, reading: _Reading) -> tuple[str, int]:
        iri = _IRIREF.match(self.text, reading.offset)
        if iri is None:
            return "less", reading.offset + 1
        if reading.parens and reading.after_operand:  # "less than" here; an IRI in another reading
            self._also(reading, iri.end(), after_operand=True)
            return "less", reading.offset + 1
        return "iri", iri.end()

    def _comment_ends(self, reading: _Reading, token: str) -> None:
        line_end = self.text.find("\n", reading.offset)
        line_end = len(self.text) if line_end < 0 else line_end
        for at in range(reading.offset + 1, line_end):
            if self.text[at] in _OTHER_BREAKS or self.text[at] == "\r":
                self._also(reading, at + 1)
        if reading.offset + len(token) < line_end:  # ended at a \r: some readers run on to the \n
            self._also(reading, line_end + 1)

    def _early_string_ends(self, reading: _Reading, token: str) -> None:
        quote = token[0]
        for match in re.finditer(r"\\(.)", token, re.DOTALL):
            if match.group(1) == quote:
                self._also(reading, reading.offset + match.end(), after_operand=True)

    def _also(self, reading: _Reading, offset: int, *, after_operand: bool | None = None) -> None:
        operand = reading.after_operand if after_operand is None else after_operand
        self.pending.append(_Reading(offset, reading.parens, operand))

    def _name(self, token: str, at: int, standard: bool) -> None:
        decoded = _CODEPOINT.sub(_decoded, token)
        if standard and decoded != token:
            raise _refused(self.text, at, "codepoint escapes (\\u…, \\U…) are refused outside strings: write the character itself")
        keyword = _keyword_in(token) or _keyword_in(decoded)
        if keyword is not None and not (keyword in _DATASET and self.allow_dataset):
            _refuse_keyword(self.text, at, token, keyword)

    def _standard(self, group: str, at: int, end: int) -> None:
        """Count and measure the standard reading's tokens: its kind, its number, how deep it nests."""
        self.tokens += 1
        if self.tokens > self.limits.max_tokens:
            raise _refused(self.text, at, f"the query has more than {self.limits.max_tokens:,} tokens "
                           "(words, terms and signs: very long lists slow the engine down and can crash it); "
                           "split it into several queries")
        self.chain = self.chain + 1 if group == "prefix_op" else 0
        if group == "open":
            self.depth += 1
        elif group == "close":
            self.depth = max(self.depth - 1, 0)
        if self.depth + self.chain > self.limits.max_depth:
            raise _refused(self.text, at,
                           f"the query nests deeper than {self.limits.max_depth} levels (brackets and prefix operators)")
        if group == "name" and self.kind is None:
            word = self.text[at:end]
            if ":" not in word and word.upper() not in _PROLOGUE:
                self.kind = _FORMS.get(word.upper(), "")

    def read_all(self) -> str | None:
        """Read the standard way, then every other reading it allows; the query's kind."""
        self.read(_Reading(0), standard=True)
        budget = _AMBIGUITY_BUDGET * len(self.text) + 10_000  # characters the other readings may read
        while self.pending:
            self.read(self.pending.pop(), standard=False)
            if self.work > budget:
                raise QueryError("the query can be read in too many ways to check it safely "
                                 "(long runs of escaped quotes or comments with unusual line breaks); simplify it")
        return self.kind


def inspect_query(text: str, limits: QueryLimits = QueryLimits(), *, allow_dataset: bool = False) -> str:
    """Check ``text`` within ``limits`` and return its kind: ``select``, ``ask`` or ``graph``.

    Raises :class:`~irgraph.errors.QueryError` for a refused keyword in any
    reading of the text (where it stands), an empty, over-long or
    over-nested text, a codepoint escape outside a string, or a text that is
    not a query; :class:`~irgraph.errors.UpdateRefused` for an update.

    >>> inspect_query("SELECT ?s WHERE { ?s a irg:Intervention }")
    'select'
    >>> inspect_query("SELECT * WHERE { ?s ?p ?o # x\\r SERVICE <http://127.0.0.1/> { ?a ?b ?c }\\n }")
    Traceback (most recent call last):
    ...
    irgraph.errors.QueryError: SERVICE is refused: irgraph does not let a query reach other endpoints (line 2, column 2)
    """
    _check_size(text, limits)
    kind = _Lexer(text, limits, allow_dataset).read_all()
    if not kind:
        raise QueryError("not a query: irgraph runs SELECT, ASK, CONSTRUCT and DESCRIBE (after PREFIX and BASE)")
    return kind
