r"""The text checks of data files (``irgraph.limits``) read the text as Oxigraph and Python's JSON reader do.

The checks run before any parser, so a file they misread reaches the parser
unchecked: an escaped ``\#`` or ``\'`` in a prefixed name once made the
scanner take the rest of the line for a comment or a string, and 100,000
nested lists or a 20 MB literal got through. Each test here puts a nested
structure or a triple term after text that can throw a scanner out of step,
asks Oxigraph (or ``json.loads``) that the text before it is valid, and
asserts that the scanner finds the structure at its exact line and column,
and nothing where there is nothing. None measures time; a scanner that is
not linear would hang on the last tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irgraph import limits
from irgraph.limits import check_text, too_deep, too_long

EX = "@prefix ex: <http://example.org/> .\n@prefix : <http://example.org/empty/> .\n"

#: statements after which a scanner could lose its place; each is valid Turtle with no structure that nests
LEADS = {
    "escaped hash in a name": "ex:s ex:p ex:a\\# .",
    "escaped quote in a name": "ex:s ex:p ex:a\\' .",
    "escaped closing parentheses in a name": "ex:s ex:p ex:a\\)\\)\\)\\) .",
    "escaped opening parenthesis and tilde": "ex:s ex:p ex:a\\(\\~ .",
    "an escape in a name of the empty prefix": "ex:s ex:p :\\' .",
    "U+00B7 before an escape": "ex:s ex:p ex:a\u00b7\\# .",
    "a combining accent U+0301 before an escape": "ex:s ex:p ex:a\u0301\\' .",
    "U+203F before an escape": "ex:s ex:p ex:a\u203f\\# .",
    "%XX before an escape": "ex:s ex:p ex:a%41\\' .",
    "an escaped quote in a string": 'ex:s ex:p "a\\"b" .',
    "an escaped backslash that ends a string": 'ex:s ex:p "a\\\\" .',
    "an escaped quote in a single-quoted string": "ex:s ex:p 'it\\'s' .",
    "a long string with quotes and escaped quotes": 'ex:s ex:p """a "b" ""c"" \\""" ((( d""" .',
    "a long string ending in an escaped quote": 'ex:s ex:p """a\\"""" .',
    "a long single-quoted string over lines": "ex:s ex:p '''it's\n(((\n''' .",
    "a hash in an IRI": "ex:s ex:p <http://example.org/a#b> .",
    "parentheses and a quote in an IRI": "ex:s ex:p <http://example.org/it's(a)((> .",
    "a tilde in an IRI": "ex:s ex:p <http://example.org/~a> .",
    "triple-term marks in a string": "ex:s ex:p \"<<( ex:a {| ~ |} )>>\" .",
    "a comment with quotes and brackets": "ex:s ex:p ex:o . # it's \"(((\n",
    "a comment ended by a carriage return": "ex:s ex:p ex:o . # it's (((\r",
    "@prefix of an IRI with a hash": "@prefix h: <http://example.org/h#> .\nex:s ex:p h:x .",
    "PREFIX without a dot": "PREFIX q: <http://example.org/q#>\nex:s ex:p q:x .",
    "a datatype IRI with a hash": 'ex:s ex:p "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    "a language tag": 'ex:s ex:p "a"@en-GB .',
    "blank-node labels": "_:b1 ex:p _:b2 .",
    "numbers": "ex:s ex:p 1.5e3, -2, +3.0 .",
}


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of ``text[index]``."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def parses(text: str, fmt=ox.RdfFormat.TURTLE) -> bool:
    try:
        list(ox.parse(text.encode("utf-8"), format=fmt, base_iri="http://example.org/base"))
    except SyntaxError:
        return False
    return True


def lists(depth: int) -> str:
    # the subject holds a ~ (in an IRI), so the text is always scanned, deep or not
    return "<http://example.org/~s> ex:q " + "(" * depth + "1" + ")" * depth + " .\n"


@pytest.mark.parametrize("lead", list(LEADS.values()), ids=list(LEADS))
def test_nesting_after_each_lead_is_found_where_it_is(tmp_path, lead):
    assert parses(EX + lead + "\n" + lists(3))
    assert check_text(write(tmp_path, "ok.ttl", EX + lead + "\n" + lists(3)), "turtle", limit=3) is None
    text = EX + lead + "\n" + lists(4)
    excess = check_text(write(tmp_path, "deep.ttl", text), "turtle", limit=3)
    assert excess is not None and excess.kind == "nesting", excess
    assert (excess.line, excess.column) == position(text, text.rindex("(" * 4) + 3)


@pytest.mark.parametrize("lead", list(LEADS.values()), ids=list(LEADS))
def test_a_triple_term_after_each_lead_is_found_where_it_is(tmp_path, lead):
    text = EX + lead + "\nex:s ex:q <<( ex:a ex:b ex:c )>> .\n"
    assert parses(text)
    excess = check_text(write(tmp_path, "term.ttl", text), "turtle")
    assert excess is not None and excess.kind == "triple-term", excess
    assert (excess.line, excess.column) == position(text, text.rindex("<<("))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(sorted(LEADS.values())), max_size=6), st.integers(min_value=1, max_value=8))
def test_any_mix_of_leads_and_a_nesting_depth_is_read_exactly(tmp_path_factory, leads, depth):
    text = EX + "\n".join(leads) + "\n" + lists(depth)
    assert parses(text)
    path = write(tmp_path_factory.mktemp("mix"), "mix.ttl", text)
    assert check_text(path, "turtle", limit=depth) is None
    excess = too_deep(path, "turtle", limit=depth - 1) if depth > 1 else None
    assert depth == 1 or (excess is not None and excess.kind == "nesting")


@pytest.mark.parametrize("text", [
    'ex:s ex:p "no end .\n',
    "ex:s ex:p 'no end .\n",
    'ex:s ex:p """no end .\n',
    "ex:s ex:p '''no end .\n",
    'ex:s ex:p "a\\" .\n',  # the quote is escaped: the string goes on
], ids=["double", "single", "long double", "long single", "escaped last quote"])
def test_a_string_that_does_not_close_is_refused_where_it_starts(tmp_path, text):
    """After an unclosed quote no reading can be trusted: the file is refused there, not skipped."""
    full = EX + text + lists(300)
    assert not parses(full)
    excess = check_text(write(tmp_path, "open.ttl", full), "turtle")
    assert excess is not None and excess.kind == "unclosed-string", excess
    quote = min(i for i, c in enumerate(text) if c in "\"'")
    assert (excess.line, excess.column) == position(full, full.index(text) + quote)


def test_a_stray_closer_does_not_hide_later_openers(tmp_path):
    text = EX + "ex:s ex:p ex:o ))))))))) .\n" + lists(4)
    excess = check_text(write(tmp_path, "stray.ttl", text), "turtle", limit=3)
    assert excess is not None and excess.kind == "nesting"


@pytest.mark.parametrize("fmt, suffix, text, mark", [
    (ox.RdfFormat.N_TRIPLES, "nt", '<http://e/s> <http://e/p> "a\\"b<<( #" .\n'
     '<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n', "<<("),
    (ox.RdfFormat.N_QUADS, "nq", '<http://e/s> <http://e/p> <http://e/o#~> <http://e/g> .\n'
     '<http://e/s> <http://e/p> <<(<http://e/a> <http://e/b> <http://e/c>)>> <http://e/g> .\n', "<<("),
    (ox.RdfFormat.TRIG, "trig", '@prefix ex: <http://e/> .\nex:g { ex:s ex:p "}{<<" . ex:s ex:p ex:o {| ex:q ex:r |} . }\n', "{|"),
    (ox.RdfFormat.TURTLE, "ttl", '@prefix ex: <http://e/> .\nex:s ex:p "~" . ex:s ex:p ex:o~ex:r .\n', "~"),
], ids=["n-triples", "n-quads", "trig annotation", "turtle reifier"])
def test_triple_terms_are_found_in_every_format_that_has_them(tmp_path, fmt, suffix, text, mark):
    assert parses(text, fmt)
    excess = check_text(write(tmp_path, f"t.{suffix}", text), "ntriples" if suffix in ("nt", "nq") else "turtle")
    assert excess is not None and excess.kind == "triple-term"
    assert (excess.line, excess.column) == position(text, text.rindex(mark))


#: JSON strings that could throw a scanner out of step; the brackets in them are not structure
JSON_LEADS = ['"a\\"b"', '"a\\\\"', '"\\\\\\"[{"', '"]]]}}}"', '"\\u0022[["', '"\\"\\"\\"}"']


def json_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((json_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((json_depth(v) for v in value), default=0)
    return 0


@pytest.mark.parametrize("lead", JSON_LEADS)
@pytest.mark.parametrize("depth", [1, 5])
def test_json_ld_nesting_is_read_exactly_after_strings_with_escapes(tmp_path, lead, depth):
    text = '{"@id": "http://e/s", "http://e/p": [' + lead + ", " + '{"http://e/p": ' * depth + '"x"' + "}" * depth + "]}"
    expected = json_depth(json.loads(text))
    path = write(tmp_path, "d.jsonld", text)
    assert check_text(path, "json", limit=expected) is None
    excess = check_text(path, "json", limit=expected - 1)
    assert excess is not None and excess.kind == "nesting"
    assert (excess.line, excess.column) == position(text, text.rindex('{"http://e/p": '))  # the innermost object


def test_a_long_term_after_an_escaped_quote_in_a_name_is_found(tmp_path, monkeypatch):
    """The 20 MB literal of the attack, in small: the length check reads past ``ex:a\\'`` too."""
    text = EX + "ex:s ex:p ex:a\\', \"" + "A" * 100 + "'" + "B" * 100 + '" .\n'
    assert parses(text)
    monkeypatch.setattr(limits, "MAX_TERM_BYTES", 150)
    excess = too_long(write(tmp_path, "long.ttl", text), "turtle")
    assert excess is not None and excess.kind == "length"
    assert (excess.line, excess.column) == position(text, text.index('"A'))


# --- linear cost: inputs that make a scanner that looks back run for hours -------------------------


def test_an_unclosed_string_before_two_million_quotes_is_refused_at_once(tmp_path):
    text = EX + 'ex:s ex:p "' + "'" * 2_000_000 + "\n" + "(" * 300
    excess = check_text(write(tmp_path, "quotes.ttl", text), "turtle")
    assert excess is not None and excess.kind == "unclosed-string" and (excess.line, excess.column) == (3, 11)


def test_an_unclosed_long_string_before_a_million_strings_is_refused_at_once(tmp_path):
    text = EX + 'ex:s ex:p """' + '"a" ' * 1_000_000 + "(" * 300
    excess = check_text(write(tmp_path, "long.ttl", text), "turtle")
    assert excess is not None and excess.kind == "unclosed-string" and (excess.line, excess.column) == (3, 11)


def test_an_unclosed_json_string_before_a_million_escaped_quotes_is_refused_at_once(tmp_path):
    text = '{"a": "' + '\\"' * 1_000_000 + "[" * 300
    excess = check_text(write(tmp_path, "quotes.jsonld", text), "json")
    assert excess is not None and excess.kind == "unclosed-string" and (excess.line, excess.column) == (1, 7)


def test_many_lone_angle_brackets_are_read_once(tmp_path):
    text = EX + "ex:s ex:p " + "<a " * 500_000 + "\n" + lists(300)
    excess = check_text(write(tmp_path, "angles.ttl", text), "turtle")
    assert excess is not None and excess.kind == "nesting"
