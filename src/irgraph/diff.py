"""What changed between two versions of a graph: triples added and removed, by subject.

Each side is a file or a folder of RDF files in any format irgraph reads
(Turtle, N-Triples, N-Quads, TriG, JSON-LD; graph names are ignored). Blank
nodes are compared as RDF says they should be: each side's blank nodes get
canonical labels first, so two graphs that differ only in blank-node labels
are equal, and a blank node that did not change is not reported. Triples are grouped by subject and each subject is labelled
(``rdfs:label`` from the new side, else the old one) and classed (its most
specific ``irg:`` type) so that a summary per class can be written: "2
findings added, 1 clinical study's phase changed".

The result renders as text for people, JSON for machines, or Turtle using the
changeset vocabulary (``cs:``, one ``cs:ChangeSet`` per changed subject, each
removed or added triple a reified ``rdf:Statement``), which other RDF tools
can load.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Namespace

from .canonical import canonical_triples
from .errors import UsageError
from .load import data_files, parse_file
from .namespaces import bind_prefixes, compact, prefixes
from .resources import ontology_file
from .store import to_rdflib
from .vocab import (
    RDF_TYPE,
    RDFS_SUBCLASS_OF,
    XSD_STRING,
    file_scoped,
    labels_from,
    most_specific_class,
    predicate_object_key,
    term_key,
)

DIFF_FORMATS = ("text", "turtle", "json")


def read_triples(path: str | Path) -> list[ox.Triple]:
    """The triples of a file, or of every RDF file in a folder, blank nodes kept apart per file.

    Raises :class:`~irgraph.errors.LoadError` naming the file, line and column
    when a file does not parse.

    >>> from irgraph.resources import data_dir
    >>> len(read_triples(data_dir() / "organizations.ttl")) > 10
    True
    """
    triples: list[ox.Triple] = []
    for index, file in enumerate(data_files(Path(path))):
        triples.extend(ox.Triple(*statement) for statement in file_scoped(parse_file(file), index))
    return triples


def _canonical_set(triples: list[ox.Triple]) -> set[ox.Triple]:
    """The triples with blank nodes relabelled by their structure (:mod:`irgraph.canonical`).

    Labels are hashes of each blank node's own group of blank nodes, so a
    blank node that did not change keeps its label when others are added or
    removed elsewhere (a numbering such as ``c14n0, c14n1…`` would shift and
    make unchanged blank nodes look changed).
    """
    return set(canonical_triples(triples))


@cache
def _ontology() -> tuple[dict[str, str], dict[str, set[str]]]:
    """Labels and superclasses of the ontology's terms (for names in the summary)."""
    triples = parse_file(ontology_file())
    return labels_from(triples), _superclasses(triples)


def _superclasses(triples) -> dict[str, set[str]]:
    """Class -> its direct superclasses (``rdfs:subClassOf``)."""
    found: dict[str, set[str]] = defaultdict(set)
    for triple in triples:
        if triple.predicate.value == RDFS_SUBCLASS_OF and isinstance(triple.object, ox.NamedNode):
            found[triple.subject.value].add(triple.object.value)
    return dict(found)


def _name(iri: str) -> str:
    """A compact name, or the IRI in angle brackets when no prefix fits."""
    name = compact(iri)
    return f"<{iri}>" if name == iri else name


def _blank(node: ox.BlankNode) -> str:
    """A canonical blank-node label, shortened for people (the JSON keeps it whole)."""
    return "_:" + node.value[:12]


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class SubjectChange:
    """The triples of one subject that were removed and added.

    ``status`` is ``added`` (the subject is new), ``removed`` (it is gone) or
    ``changed``; ``removed`` and ``added`` hold ``(predicate, object)`` pairs
    of pyoxigraph terms.
    """

    subject: ox.NamedNode | ox.BlankNode
    label: str
    cls: str
    class_label: str
    status: str
    removed: list = field(default_factory=list)
    added: list = field(default_factory=list)

    @property
    def properties(self) -> list[str]:
        """Compact names of the properties whose values changed, sorted."""
        return sorted({compact(p.value) for p, _ in self.removed + self.added})


@dataclass
class GraphDiff:
    """The difference between two graphs, by subject; ``equal`` when there is none."""

    old_triples: int
    new_triples: int
    changes: list[SubjectChange] = field(default_factory=list)
    labels: dict = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        """True when both graphs hold the same triples (blank nodes compared canonically)."""
        return not self.changes

    @property
    def removed(self) -> int:
        """How many triples were removed."""
        return sum(len(c.removed) for c in self.changes)

    @property
    def added(self) -> int:
        """How many triples were added."""
        return sum(len(c.added) for c in self.changes)

    def summary(self) -> list[str]:
        """One phrase per class and kind of change: "2 findings added", "1 clinical study's phase changed"."""
        groups: dict[tuple[str, str], list[SubjectChange]] = defaultdict(list)
        for change in self.changes:
            groups[(change.class_label, change.status)].append(change)
        order = {"added": 0, "removed": 1, "changed": 2}
        phrases = []
        for (noun, status), changes in sorted(groups.items(), key=lambda g: (order[g[0][1]], g[0][0])):
            count = len(changes)
            if status != "changed":
                phrases.append(f"{count} {_plural(noun, count)} {status}")
                continue
            names = sorted({self.property_label(p) for c in changes for p, _ in c.removed + c.added})
            if count == 1:
                phrases.append(f"1 {noun}'s {_and(names)} changed")
            else:
                phrases.append(f"{count} {_plural(noun, count)} changed ({', '.join(names)})")
        return phrases

    def property_label(self, predicate: ox.NamedNode) -> str:
        """The property's label from the ontology (``phase``), else its compact name."""
        return self.labels.get(predicate.value) or _name(predicate.value)

    def describe(self, term) -> str:
        """A term for people: ``Phase III (ir:phase-3)``, ``"text"@en``, ``"0.94"^^xsd:decimal``."""
        if isinstance(term, ox.Literal):
            text = json.dumps(term.value, ensure_ascii=False)
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype.value != XSD_STRING:
                return f"{text}^^{_name(term.datatype.value)}"
            return text
        name = _blank(term) if isinstance(term, ox.BlankNode) else _name(term.value)
        label = self.labels.get(term.value) if isinstance(term, ox.NamedNode) else None
        return f"{label} ({name})" if label else name

    def _counts(self) -> str:
        return f"{self.removed} {_plural('triple', self.removed)} removed, {self.added} added"

    def to_text(self) -> str:
        """Summary line, then each changed subject with ``-`` removed and ``+`` added triples.

        Empty when the graphs are equal.
        """
        if self.equal:
            return ""
        lines = [", ".join(self.summary()), self._counts(), ""]
        for change in self.changes:
            name = _blank(change.subject) if isinstance(change.subject, ox.BlankNode) else _name(change.subject.value)
            heading = f"{change.label} ({name})" if change.label else name
            lines.append(f"{heading}, {change.class_label}: {change.status}")
            for sign, pairs in (("-", change.removed), ("+", change.added)):
                for predicate, obj in pairs:
                    lines.append(f"  {sign} {self.property_label(predicate)}: {self.describe(obj)}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The diff as JSON: ``equal``, counts, ``summary`` and ``subjects`` with exact terms."""

        def term(value) -> dict:
            out = {"term": str(value)}
            if not isinstance(value, ox.Literal) and not isinstance(value, ox.BlankNode):
                out["id"] = compact(value.value)
                if value.value in self.labels:
                    out["label"] = self.labels[value.value]
            return out

        document = {
            "equal": self.equal,
            "old_triples": self.old_triples,
            "new_triples": self.new_triples,
            "removed": self.removed,
            "added": self.added,
            "summary": self.summary(),
            "subjects": [
                {
                    "subject": term(c.subject),
                    "label": c.label,
                    "class": c.cls,
                    "class_label": c.class_label,
                    "status": c.status,
                    "properties": c.properties,
                    "removed": [{"predicate": term(p), "object": term(o)} for p, o in c.removed],
                    "added": [{"predicate": term(p), "object": term(o)} for p, o in c.added],
                }
                for c in self.changes
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """The changes as Turtle in the changeset vocabulary; empty when the graphs are equal.

        One ``cs:ChangeSet`` per subject (``cs:subjectOfChange``), its triples
        as ``rdf:Statement``s under ``cs:removal`` and ``cs:addition``, the
        summary as a comment. Blank nodes of the data appear as fresh blank
        nodes: a reified statement cannot point at a blank node of another
        document.
        """
        if self.equal:
            return ""
        cs = Namespace(prefixes()["cs"])
        graph = Graph()
        bind_prefixes(graph)
        for index, change in enumerate(self.changes):
            node = BNode(f"change{index:05d}")
            graph.add((node, RDF.type, cs.ChangeSet))
            graph.add((node, cs.subjectOfChange, to_rdflib(change.subject)))
            reason = change.status if change.status != "changed" else "changed: " + ", ".join(change.properties)
            graph.add((node, cs.changeReason, Literal(reason)))
            for kind, pairs in ((cs.removal, change.removed), (cs.addition, change.added)):
                for number, (predicate, obj) in enumerate(pairs):
                    statement = BNode(f"change{index:05d}{kind.rsplit('#', 1)[-1]}{number:05d}")
                    graph.add((node, kind, statement))
                    graph.add((statement, RDF.type, RDF.Statement))
                    graph.add((statement, RDF.subject, to_rdflib(change.subject)))
                    graph.add((statement, RDF.predicate, to_rdflib(predicate)))
                    graph.add((statement, RDF.object, to_rdflib(obj)))
        header = f"# irgraph diff: {', '.join(self.summary())}\n# {self._counts()}\n"
        return header + graph.serialize(format="turtle")

    def render(self, fmt: str = "text") -> str:
        """The diff in ``text``, ``turtle`` or ``json``."""
        if fmt == "text":
            return self.to_text()
        if fmt == "turtle":
            return self.to_turtle()
        if fmt == "json":
            return self.to_json()
        raise UsageError(f"unknown diff format {fmt!r}; choose one of: {', '.join(DIFF_FORMATS)}")


def diff_triples(old: list[ox.Triple], new: list[ox.Triple]) -> GraphDiff:
    """Compare two lists of triples (blank nodes canonicalised on each side).

    >>> import pyoxigraph as ox
    >>> s, p = ox.NamedNode("https://w3id.org/irgraph/id/x"), ox.NamedNode("https://w3id.org/irgraph/ontology#phase")
    >>> old = [ox.Triple(s, p, ox.NamedNode("https://w3id.org/irgraph/id/phase-2"))]
    >>> new = [ox.Triple(s, p, ox.NamedNode("https://w3id.org/irgraph/id/phase-3"))]
    >>> print(diff_triples(old, new).to_text())
    1 untyped node's phase changed
    1 triple removed, 1 added
    <BLANKLINE>
    ir:x, untyped node: changed
      - phase: Phase II (ir:phase-2)
      + phase: Phase III (ir:phase-3)
    <BLANKLINE>
    """
    old_set, new_set = _canonical_set(old), _canonical_set(new)
    removed, added = old_set - new_set, new_set - old_set
    onto_labels, onto_superclasses = _ontology()
    labels = dict(onto_labels)
    superclasses = {key: set(value) for key, value in onto_superclasses.items()}
    types: dict[str, set[str]] = defaultdict(set)
    data_labels: dict[str, str] = {}
    for triples in (old_set, new_set):  # new wins
        for triple in triples:
            if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                types[triple.subject.value].add(triple.object.value)  # type: ignore[union-attr]  # no triple terms
        for cls, parents in _superclasses(triples).items():
            superclasses.setdefault(cls, set()).update(parents)
        data_labels.update(labels_from(triples))
    labels.update(data_labels)
    old_subjects = {t.subject for t in old_set}
    new_subjects = {t.subject for t in new_set}
    by_subject: dict = defaultdict(lambda: ([], []))
    for triple in removed:
        by_subject[triple.subject][0].append((triple.predicate, triple.object))
    for triple in added:
        by_subject[triple.subject][1].append((triple.predicate, triple.object))
    changes = []
    for subject in sorted(by_subject, key=term_key):
        gone, new_pairs = by_subject[subject]
        status = "added" if subject not in old_subjects else "removed" if subject not in new_subjects else "changed"
        cls = most_specific_class(types.get(subject.value, set()), superclasses)
        changes.append(
            SubjectChange(
                subject=subject,
                label=data_labels.get(subject.value, ""),
                cls=compact(cls) if cls else "",
                class_label=labels.get(cls, compact(cls)) if cls else "untyped node",
                status=status,
                removed=sorted(gone, key=lambda pair: predicate_object_key(*pair)),
                added=sorted(new_pairs, key=lambda pair: predicate_object_key(*pair)),
            )
        )
    return GraphDiff(len(old_set), len(new_set), changes, labels)


def diff_graphs(old: str | Path, new: str | Path) -> GraphDiff:
    """Compare two files or folders of RDF (any format irgraph reads).

    Raises :class:`~irgraph.errors.LoadError` when a file is missing or does
    not parse (nothing is compared then).

    >>> from irgraph.resources import data_dir
    >>> diff_graphs(data_dir(), data_dir()).equal
    True
    """
    return diff_triples(read_triples(old), read_triples(new))
