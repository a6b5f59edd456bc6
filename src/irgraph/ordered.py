"""The triples of an Oxigraph store in irgraph's one order, subject by subject, without holding the graph.

Every export writes triples sorted by :func:`irgraph.vocab.triple_key`
(subject, ``rdf:type`` first, predicate, object), blank nodes relabelled by
:mod:`irgraph.canonical`. Sorting a list of every triple of a million-triple
store took a gigabyte and 2.6 times as long as Oxigraph's own ``dump``
(``benchmarks/run.py`` measures both), so the writers here sort *subjects*
instead, in two passes:

1. one scan of the store (``quads_for_pattern``, the engine's own index
   order, in which the triples of one subject come together on disk); each
   subject's triples are sorted (a handful each), rendered by the caller
   (N-Triples, Turtle, a JSON-LD node object) and appended to a temporary
   file, and the subject's sort key, offset and length are kept;
2. the offsets are sorted by subject and the rendered pieces copied out in
   that order.

Memory is the list of subjects and offsets, not the graph; the result is
byte for byte what sorting the whole list gives, since subjects sort apart
and each subject's triples are sorted among themselves.

Two cases take a second look, by subject: a subject whose triples did not
come together in the scan (Oxigraph's in-memory store keeps no subject
order) is read again with a lookup; and blank nodes, whose canonical labels
depend on the triples around them, are collected with every triple that
touches one, relabelled together as :func:`irgraph.canonical.canonical_statements`
does for the whole graph (a label depends only on its own group of blank
nodes), and sorted in with their canonical labels.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from .canonical import canonical_statements
from .vocab import RDF_TYPE

#: renders one subject's sorted triples as bytes
Render = Callable[[list], bytes]
_DEFAULT = ox.DefaultGraph()
_LITERAL, _IRI, _BLANK = ox.Literal, ox.NamedNode, ox.BlankNode
_SUBJECT, _SUBJECT_VALUE, _FIRST = operator.attrgetter("subject"), operator.attrgetter("subject.value"), operator.itemgetter(0)


def _statement_key(statement) -> tuple:
    """:func:`irgraph.vocab.predicate_object_key` of a statement, written out (it runs once per triple).

    >>> from irgraph.vocab import RDF_TYPE_NODE, predicate_object_key
    >>> objects = [ox.NamedNode("http://e/o"), ox.BlankNode("b"), ox.Literal("1"), ox.Literal("x", language="en")]
    >>> all(_statement_key(ox.Triple(RDF_TYPE_NODE, RDF_TYPE_NODE, o)) == predicate_object_key(RDF_TYPE_NODE, o) for o in objects)
    True
    """
    predicate = statement.predicate.value
    obj = statement.object
    if type(obj) is _LITERAL:
        return (predicate != RDF_TYPE, predicate, (2, obj.value, obj.datatype.value, obj.language or ""))
    return (predicate != RDF_TYPE, predicate, (0 if type(obj) is _IRI else 1, obj.value, "", ""))


def _subject_key(subject) -> tuple:
    return (0 if isinstance(subject, ox.NamedNode) else 1, subject.value)


class _Spool:
    """Rendered pieces in a temporary file, with each one's subject key, offset and length."""

    def __init__(self, handle, render: Render) -> None:
        self.handle = handle
        self.render = render
        self.index: list[tuple[tuple, int, int]] = []
        self.offset = 0

    def put(self, key: tuple, statements: list) -> None:
        statements.sort(key=_statement_key)
        data = self.render(statements)
        self.handle.write(data)
        self.index.append((key, self.offset, len(data)))
        self.offset += len(data)

    def drop(self, iris: set[str]) -> None:
        self.index = [entry for entry in self.index if entry[0][0] != 0 or entry[0][1] not in iris]

    def pieces(self) -> Iterator[bytes]:
        self.index.sort()
        self.handle.flush()
        descriptor = self.handle.fileno()
        for _key, start, length in self.index:
            yield os.pread(descriptor, length, start)


def _scan(store: ox.Store, spool: _Spool) -> tuple[set[str], list]:
    """Spool each subject's run of triples in the scan; returns the IRIs to read again and the
    statements with a blank subject."""
    seen: set[str] = set()
    again: set[str] = set()  # split in the scan, or with a blank object
    blank_subjects: list = []
    for subject, run in itertools.groupby(store.quads_for_pattern(None, None, None, _DEFAULT), key=operator.attrgetter("subject")):
        if type(subject) is _BLANK:
            blank_subjects.extend(run)
            continue
        iri = subject.value
        statements = list(run)
        if iri in seen or any(type(s.object) is _BLANK for s in statements):
            again.add(iri)
        seen.add(iri)
        if iri not in again:
            spool.put((0, iri), statements)
    return again, blank_subjects


def rendered_by_subject(store: ox.Store, render: Render) -> Iterator[bytes]:
    """``render(triples)`` of each subject of ``store``'s default graph, in subject order; each subject's
    triples sorted by :func:`irgraph.vocab.predicate_object_key`, blank nodes canonical.

    The pieces wait in a temporary file (see the module's docstring); the
    iterator holds it open until it is exhausted or closed.

    >>> store = ox.Store()
    >>> ex = "http://example.org/"
    >>> store.extend([ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.Literal(s)) for s in ("b", "a")])
    >>> [piece.decode().split()[0] for piece in rendered_by_subject(store, lambda ts: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES))]
    ['<http://example.org/a>', '<http://example.org/b>']
    """
    with tempfile.TemporaryFile(prefix="irgraph-export-") as handle:
        spool = _Spool(handle, render)
        again, touching_blank = _scan(store, spool)
        spool.drop(again)
        later: dict[tuple, list] = defaultdict(list)
        for iri in again:
            for statement in store.quads_for_pattern(ox.NamedNode(iri), None, None, _DEFAULT):
                if type(statement.object) is _BLANK:
                    touching_blank.append(statement)
                else:
                    later[(0, iri)].append(statement)
        if touching_blank:
            for s, p, o, _ in canonical_statements((q.subject, q.predicate, q.object, None) for q in touching_blank):
                later[_subject_key(s)].append(ox.Triple(s, p, o))
        for key, statements in later.items():
            spool.put(key, statements)
        yield from spool.pieces()


def rendered_from_triples(triples: list, render: Render, *, graph: ox.NamedNode | None = None) -> Iterator[bytes]:
    """What :func:`rendered_by_subject` gives for a store of ``triples`` (each once), without the store.

    For triples parsed from a file (N-Quads are written file by file): an
    Oxigraph store would write ``"1.00"^^xsd:decimal`` as ``"1"``, while
    the file's triples keep their lexical forms. ``graph`` names the graph
    they will be written in: blank-node labels depend on it, as
    :func:`irgraph.canonical.canonical_statements` labels a statement of
    that graph. Sorting the subjects is one C sort by IRI; the pieces are
    rendered and given out in order, so the rendered text is never whole.

    >>> ex = "http://example.org/"
    >>> triples = [ox.Triple(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.Literal("1.00", datatype=ox.NamedNode(ex + "d"))) for s in "ba"]
    >>> [piece.decode().split()[0] for piece in rendered_from_triples(triples, lambda ts: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES))]
    ['<http://example.org/a>', '<http://example.org/b>']
    """
    triples = list(dict.fromkeys(triples))
    touching = [t for t in triples if type(t.subject) is _BLANK or type(t.object) is _BLANK]
    plain = [t for t in triples if not (type(t.subject) is _BLANK or type(t.object) is _BLANK)] if touching else triples
    plain.sort(key=_SUBJECT_VALUE)
    later: dict[tuple, list] = defaultdict(list)
    for s, p, o, _ in canonical_statements((t.subject, t.predicate, t.object, graph) for t in touching):
        later[_subject_key(s)].append(ox.Triple(s, p, o))
    runs = (((0, subject.value), list(run)) for subject, run in itertools.groupby(plain, key=_SUBJECT))
    merged = heapq.merge(runs, sorted(later.items()), key=_FIRST)
    for _key, parts in itertools.groupby(merged, key=_FIRST):
        statements = [statement for _, some in parts for statement in some]
        statements.sort(key=_statement_key)
        yield render(statements)
