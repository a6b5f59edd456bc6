"""Everything the graph says about one entity, gathered for a curator at a glance.

Type, labels and synonyms, definition, outgoing values and links, incoming
links, and the sources behind the entity and every statement about it. The
facts come from the ``describe-*.rq`` queries. For a claim (or any statement
an evidence line bears on), the first section is its entry in the claim
ledger (:mod:`irgraph.claims`): status, certainty, counts and the lines.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .claims import Citation, ClaimEntry, ledger_entry
from .deprecation import callable_module
from .query import DEFAULT_TIMEOUT, display, run_saved_query
from .terms import resolve
from .vocab import label_of


@dataclass
class Link:
    """One property of the entity, or one link to it."""

    property: str
    property_label: str
    value: str
    value_label: str = ""


@dataclass
class SourceRef:
    """The sources of the entity or of one statement about it, and the sections they are cited at.

    When a node has several sources its sections are listed together: the
    graph records where in its sources a node stands, not which section
    belongs to which source.
    """

    statement: str
    statement_label: str
    sources: list[Citation] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


@dataclass
class Description:
    """What :func:`describe` returns; ``to_text()`` for people, ``to_json()`` for machines."""

    iri: str
    label: str
    types: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""
    outgoing: list[Link] = field(default_factory=list)
    incoming: list[Link] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    #: its entry in the claim ledger, for a claim or a statement that evidence bears on (None otherwise)
    ledger: ClaimEntry | None = None

    def to_dict(self) -> dict:
        """The JSON shape: identity first, then ``ledger`` (the claim ledger's entry, or null), then links and sources."""
        record = asdict(self)
        del record["ledger"]
        identity = {key: record.pop(key) for key in ("iri", "label", "types", "synonyms", "definition")}
        return {**identity, "ledger": None if self.ledger is None else self.ledger.to_dict(), **record}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"{self.label}  <{self.iri}>", f"  type: {', '.join(self.types) or 'none'}"]
        if self.synonyms:
            lines.append(f"  also called: {', '.join(self.synonyms)}")
        if self.definition:
            lines.append(f"  definition: {self.definition}")
        if self.ledger is not None:
            lines.append("\nThe claim ledger (computed from the evidence lines; not medical advice)")
            lines += self.ledger.ledger_lines()
        if self.outgoing:
            lines.append("\nWhat it says")
            for link in self.outgoing:
                value = f"{link.value_label} ({link.value})" if link.value_label else link.value
                lines.append(f"  {link.property_label or link.property}: {value}")
        if self.incoming:
            lines.append("\nWhat points at it")
            for link in self.incoming:
                lines.append(f"  {link.value_label or link.value} ({link.value}) --{link.property_label or link.property}-->")
        if self.sources:
            lines.append("\nSources")
            for ref in self.sources:
                what = "itself" if ref.statement == self.iri else f"{ref.statement_label} ({display(URIRef(ref.statement))})"
                sections = "; ".join(f'"{s}"' for s in ref.sections)
                lines.append(f"  {what}" + (f" — section {sections}" if sections else ""))
                lines.extend(f"      {citation.to_text()}" for citation in ref.sources)
        return "\n".join(lines) + "\n"


_SHOWN_ABOVE = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.definition}


def describe_entity(graph: Graph, term: str, *, timeout: float | None = DEFAULT_TIMEOUT) -> Description:
    """Everything ``graph`` says about the entity ``term`` names (IRI, compact name, label or synonym).

    Each of the three ``describe-*`` queries has ``timeout`` seconds (None: no limit).

    >>> from irgraph import load_graph
    >>> d = describe_entity(load_graph(), "Immunitin")
    >>> d.label, d.types, "Immunitin" in d.synonyms
    ('HE2000', ['irg:Intervention'], True)
    """
    node = resolve(graph, term)
    label = label_of(graph, node, display(node))
    description = Description(
        iri=str(node),
        label=label,
        types=sorted(display(t) for t in graph.objects(node, RDF.type)),
        synonyms=sorted(str(o) for o in graph.objects(node, SKOS.altLabel)),
        definition=next((str(o) for o in graph.objects(node, SKOS.definition)), ""),
        ledger=ledger_entry(graph, node, timeout=timeout),
    )
    for row in run_saved_query(graph, "describe-outgoing", {"node": node}, timeout=timeout):
        if row["property"] in _SHOWN_ABOVE:
            continue
        value = row["value"]
        description.outgoing.append(
            Link(display(row["property"]), str(row.get("propertyLabel", "")),
                 str(value) if isinstance(value, Literal) else display(value), str(row.get("valueLabel", "")))
        )
    seen = set()
    for row in run_saved_query(graph, "describe-incoming", {"node": node}, timeout=timeout):
        key = (row["subject"], row["property"])
        if key in seen:  # one line per link, whatever the number of types of the linking node
            continue
        seen.add(key)
        description.incoming.append(
            Link(display(row["property"]), str(row.get("propertyLabel", "")), display(row["subject"]), str(row.get("subjectLabel", "")))
        )
    refs: dict[str, SourceRef] = {}
    for row in run_saved_query(graph, "describe-sources", {"node": node}, timeout=timeout):
        ref = refs.setdefault(str(row["statement"]), SourceRef(str(row["statement"]), str(row["statementLabel"])))
        citation = Citation(str(row["source"]), str(row["sourceLabel"]), str(row.get("doi", "")),
                            str(row.get("pmid", "")), str(row.get("url", "")))
        if citation not in ref.sources:
            ref.sources.append(citation)
        if "section" in row and str(row["section"]) not in ref.sections:
            ref.sections.append(str(row["section"]))
    description.sources = list(refs.values())
    return description


#: the name before 0.2 (``irgraph.describe(...)``, deprecated there, still works; this one does not warn)
describe = describe_entity
callable_module(__name__, "describe_entity")
