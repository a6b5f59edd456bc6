"""The claim ledger: the fact sheet re-read against the later evidence, claim by claim.

Nothing here is typed by hand. The catalog query ``claim-ledger`` computes,
from the evidence lines, each statement's counts of supporting, contradicting
and qualifying later findings, the strongest study design among them and a
status; ``claim-ledger-lines`` lists the lines themselves. The only judgement
read as it stands is the curators' GRADE-style certainty assessment. The
status is the first rule that applies:

1. *untested*: no later line bears on it (the sheet's arguments with itself
   do not count);
2. *contradicted by randomised evidence*: a later finding from a randomised
   trial contradicts it and none from a randomised trial supports it;
3. *contested*: later findings both support and contradict it;
4. *contradicted*: later findings only contradict it (none randomised);
5. *supported*: later findings support it and none contradicts it;
6. *qualified*: later findings only qualify it.

:func:`claim_ledger` returns a :class:`Ledger` of :class:`ClaimEntry`
records (every claim, and every other statement an evidence line bears on),
grouped by the section of their source and ordered by label within it; the
writers :func:`to_text`, :func:`to_json` and :func:`to_csv` are the ledger
formats of :mod:`irgraph.formats`. Every fact carries its source: each
statement its own sources and sections, each line its source and section,
each sample size its source.

A research and education tool, not medical advice.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef

from .errors import UsageError
from .namespaces import compact
from .query import DEFAULT_TIMEOUT, WHOLE_ANSWER, run_saved_query
from .resources import package_version
from .terms import resolve
from .vocab import DCTERMS, IR, IRG, PROV, RDF, SKOS, label_of

__all__ = [
    "DIRECTIONS", "DISCLAIMER", "STATUSES", "Certainty", "Citation", "ClaimEntry", "Estimate", "EvidenceLine", "Ledger",
    "SampleCount", "Study", "claim_ledger", "estimate_of", "ledger_entry", "ledger_of", "studies_of", "to_csv", "to_json", "to_text",
]

DISCLAIMER = ("irgraph is a research and education tool, not medical advice: "
              "talk to a health care provider about any treatment decision.")
#: the statuses, in the order their rules are tried
STATUSES = ("untested", "contradicted by randomised evidence", "contested", "contradicted", "supported", "qualified")
#: direction key (the concept's IRI ends in ``direction-KEY``) -> heading of its group
DIRECTIONS = {"supports": "Supporting", "contradicts": "Contradicting", "qualifies": "Qualifying"}
#: the effect estimates a finding may carry: property, abbreviation, scale (ratios go on a log axis, null 1)
MEASURES = (
    (IRG.hazardRatio, "HR", "ratio"),
    (IRG.relativeRisk, "RR", "ratio"),
    (IRG.oddsRatio, "OR", "ratio"),
    (IRG.riskDifference, "RD", "difference"),
    (IRG.meanDifference, "MD", "difference"),
)
#: which count of a study's people to show as its N, most telling first
_COUNT_PREFERENCE = ("randomised", "enrolled", "analysed", "evaluable", "treated", "completed", "screened", "target")
_STATEMENT_CLASSES = (IRG.Claim, IRG.Finding, IRG.BiologicalFact, IRG.ClinicalThreshold)
_RANDOMISED = IR["design-randomised"]
_WIDTH = 100


def _texts(graph: Graph, node, prop) -> list[str]:
    return sorted(str(o) for o in graph.objects(node, prop))


def _first(graph: Graph, node, prop) -> str:
    values = _texts(graph, node, prop)
    return values[0] if values else ""


@dataclass(frozen=True)
class Citation:
    """One source: its short citation (the label), identifiers and full citation (``describe`` shows these too)."""

    source: str
    label: str
    doi: str = ""
    pmid: str = ""
    url: str = ""
    pmcid: str = ""
    citation: str = ""

    @classmethod
    def of(cls, graph: Graph, source) -> Citation:
        return cls(str(source), label_of(graph, source, compact(str(source))), _first(graph, source, IRG.doi),
                   _first(graph, source, IRG.pmid), _first(graph, source, IRG.url), _first(graph, source, IRG.pmcid),
                   _first(graph, source, DCTERMS.bibliographicCitation))

    def to_text(self) -> str:
        ids = [f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else "", self.pmcid, self.url]
        shown = ", ".join(x for x in ids if x)
        return self.label + (f" [{shown}]" if shown else "")


def _citations(graph: Graph, node) -> list[Citation]:
    return sorted((Citation.of(graph, s) for s in graph.objects(node, PROV.wasDerivedFrom)), key=lambda c: (c.label, c.source))


@dataclass(frozen=True)
class SampleCount:
    """One count of a study's people, with what it counts and its own source."""

    count: int
    kind: str
    group: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class Study:
    """A study an evidence item comes from: design (and its rank), headline participants, sample sizes."""

    iri: str
    label: str
    design: str
    design_iri: str
    design_rank: int | None
    randomised: bool
    participants: int | None
    sample_sizes: tuple[SampleCount, ...] = ()

    def size(self, cited: Iterable[str] = ()) -> tuple[int, str, Citation | None] | None:
        """The N to show: a whole-study count (from a ``cited`` source first, by kind), else the headline number."""
        cited = set(cited)
        whole = [s for s in self.sample_sizes if not s.group]

        def rank(sample: SampleCount):
            from_cited = any(c.source in cited for c in sample.sources)
            kind = _COUNT_PREFERENCE.index(sample.kind) if sample.kind in _COUNT_PREFERENCE else len(_COUNT_PREFERENCE)
            return (not from_cited, kind, -sample.count)

        if whole:
            best = min(whole, key=rank)
            source = next((c for c in best.sources if c.source in cited), best.sources[0] if best.sources else None)
            return best.count, best.kind, source
        return None if self.participants is None else (self.participants, "", None)

    def to_text(self, cited: Iterable[str] = ()) -> str:
        """``ESPRIT (randomised, open-label; N = 4,111 randomised)``, naming a count's source when it is not ``cited``."""
        cited = set(cited)
        parts = [self.design] if self.design else []
        size = self.size(cited)
        if size is not None:
            count, kind, source = size
            shown = f"N = {count:,}" + (f" {kind}" if kind else "")
            if source is not None and source.source not in cited:
                shown += f", per {source.label}"
            parts.append(shown)
        return self.label + (f" ({'; '.join(parts)})" if parts else "")


def _sample_count(graph: Graph, sample) -> SampleCount | None:
    count = graph.value(sample, IRG.sampleCount)
    if not isinstance(count, Literal):
        return None
    kind = graph.value(sample, IRG.countKind)
    return SampleCount(int(count.toPython()), label_of(graph, kind) if kind is not None else "",
                       _first(graph, sample, IRG.countedGroup), tuple(_citations(graph, sample)))


def studies_of(graph: Graph, item) -> list[Study]:
    """The studies ``item`` (a finding) comes from, with their designs and sizes, sorted by label."""
    studies = []
    for study in graph.objects(item, IRG.fromStudy):
        design = graph.value(study, IRG.studyDesign)
        rank = graph.value(design, IRG.rank) if design is not None else None
        # the grouping concept itself or any design under it, as claim-ledger.rq counts it
        randomised = design is not None and _RANDOMISED in graph.transitive_objects(design, SKOS.broader)
        participants = graph.value(study, IRG.participants)
        samples = [_sample_count(graph, s) for s in graph.objects(study, IRG.sampleSize)]
        studies.append(Study(
            str(study), label_of(graph, study, compact(str(study))), label_of(graph, design) if design is not None else "",
            str(design or ""), int(rank.toPython()) if isinstance(rank, Literal) else None, randomised,
            int(participants.toPython()) if isinstance(participants, Literal) else None,
            tuple(sorted((s for s in samples if s is not None), key=lambda s: (s.kind, s.group, -s.count))),
        ))
    return sorted(studies, key=lambda s: (s.label, s.iri))


def _number(text: str) -> str:
    return text.replace("-", "\u2212") if text.startswith("-") else text


@dataclass(frozen=True)
class Estimate:
    """The one effect estimate of a finding, with its interval and comparison, as its source prints them.

    ``value``, ``ci_lower`` and ``ci_upper`` are the decimals in the graph;
    ``ci_level`` is a proportion (0.95) or None when the source does not say.
    """

    measure: str
    label: str
    abbreviation: str
    scale: str
    value: Decimal
    comparison: str = ""
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    ci_level: Decimal | None = None
    unit: str = ""

    @property
    def has_interval(self) -> bool:
        return self.ci_lower is not None and self.ci_upper is not None

    def level_text(self) -> str:
        """``95% CI``, ``99% CI``, or ``CI`` when the source does not state the level."""
        return "CI" if self.ci_level is None else f"{(self.ci_level * 100).normalize():f}% CI"

    def interval_text(self) -> str:
        """``0.94 (95% CI 0.75 to 1.16)``: the numbers as the graph holds them, never rounded or mended.

        >>> Estimate("irg:hazardRatio", "hazard ratio", "HR", "ratio", Decimal("5.84"), "",
        ...          Decimal("0.59"), Decimal("43.57")).interval_text()
        '5.84 (CI 0.59 to 43.57, level not stated)'
        """
        text = _number(str(self.value))
        if self.has_interval:
            text += f" ({self.level_text()} {_number(str(self.ci_lower))} to {_number(str(self.ci_upper))}"
            text += ", level not stated)" if self.ci_level is None else ")"
        return text + self._unit()

    def value_text(self) -> str:
        """``HR 0.94``, ``MD 50 cells/mm³``: the estimate without its interval."""
        return f"{self.abbreviation} {_number(str(self.value))}{self._unit()}"

    def _unit(self) -> str:
        return f" {self.unit}" if self.unit and self.scale == "difference" else ""

    def to_text(self) -> str:
        return f"{self.abbreviation} {self.interval_text()}" + (f", {self.comparison}" if self.comparison else "")

    def to_dict(self) -> dict[str, Any]:
        def number(value):
            return None if value is None else float(value)

        return {"measure": self.label, "property": self.measure, "abbreviation": self.abbreviation, "scale": self.scale,
                "value": number(self.value), "ci_lower": number(self.ci_lower), "ci_upper": number(self.ci_upper),
                "ci_level": number(self.ci_level), "comparison": self.comparison, "unit": self.unit}


def _decimal(value) -> Decimal | None:
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:  # an ill-typed literal (validation reports it): no number to show
        return None


def estimate_of(graph: Graph, finding) -> Estimate | None:
    """The effect estimate ``finding`` reports (hazard ratio, relative risk, odds ratio, risk or mean difference), or None."""
    for prop, abbreviation, scale in MEASURES:
        value = _decimal(graph.value(finding, prop))
        if value is None:
            continue
        return Estimate(compact(str(prop)), label_of(graph, prop, compact(str(prop))), abbreviation, scale, value,
                        _first(graph, finding, IRG.comparison), _decimal(graph.value(finding, IRG.ciLower)),
                        _decimal(graph.value(finding, IRG.ciUpper)), _decimal(graph.value(finding, IRG.ciLevel)),
                        _first(graph, finding, IRG.unitText))
    return None


def kind_of(graph: Graph, node) -> str:
    """What a statement is, by its class's label: ``claim``, ``finding``, ``biological fact`` … (``statement`` else)."""
    types = set(graph.objects(node, RDF.type))
    return next((label_of(graph, cls, "statement") for cls in _STATEMENT_CLASSES if cls in types), "statement")


@dataclass
class EvidenceLine:
    """One graded link from an evidence item to the statement: direction, strength, rationale, source.

    ``later`` is True when the line counts in the ledger (its source is not
    one of the statement's own).
    """

    iri: str
    direction: str
    item: str
    item_label: str
    item_kind: str
    later: bool
    strength: str = ""
    strength_rank: int = 0
    basis: str = ""
    rationale: str = ""
    sources: list[Citation] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    studies: list[Study] = field(default_factory=list)
    estimate: Estimate | None = None

    def design_rank(self) -> int:
        return max((s.design_rank or 0 for s in self.studies), default=0)

    def to_text(self, indent: str = "    ") -> list[str]:
        cited = [c.source for c in self.sources]
        more = indent + "  "
        lines = [f"{indent}- {self.item_label} ({compact(self.item)}, {self.item_kind})"]
        lines += [f"{more}study: {study.to_text(cited)}" for study in self.studies]
        if self.estimate is not None:
            lines.append(f"{more}estimate: {self.estimate.to_text()}")
        judged = "; ".join(x for x in (self.strength and f"{self.strength} evidence", self.basis) if x)
        if judged:
            lines.append(f"{more}{judged}")
        if self.rationale:
            lines += textwrap.wrap(f"why: {self.rationale}", _WIDTH, initial_indent=more, subsequent_indent=more + "     ")
        sections = "; ".join(f'"{s}"' for s in self.sections)
        for citation in self.sources:
            lines.append(f"{more}source: {citation.to_text()}" + (f", {sections}" if sections else ""))
        return lines

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["estimate"] = None if self.estimate is None else self.estimate.to_dict()
        return record


@dataclass
class Certainty:
    """The curators' GRADE-style certainty assessment of the later evidence on a statement."""

    iri: str
    level: str
    level_iri: str
    downgraded_for: list[str] = field(default_factory=list)
    rationale: str = ""
    rests_on: list[str] = field(default_factory=list)
    sources: list[Citation] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, graph: Graph, node) -> Certainty | None:
        assessment = graph.value(node, IRG.certaintyAssessment)
        if assessment is None:
            return None
        level = graph.value(assessment, IRG.certaintyLevel)
        return cls(str(assessment), label_of(graph, level) if level is not None else "", str(level or ""),
                   sorted(label_of(graph, d, compact(str(d))) for d in graph.objects(assessment, IRG.downgradedFor)),
                   _first(graph, assessment, IRG.rationale), sorted(str(x) for x in graph.objects(assessment, IRG.restsOn)),
                   _citations(graph, assessment), _texts(graph, assessment, IRG.sourceSection))

    def to_text(self) -> str:
        """``moderate (rated down for indirectness, inconsistency)``."""
        down = f" (rated down for {', '.join(self.downgraded_for)})" if self.downgraded_for else ""
        return (self.level or "not assessed") + down


@dataclass
class ClaimEntry:
    """One row of the ledger: a statement, what the later evidence says of it, and the lines that say so."""

    iri: str
    label: str
    kind: str
    text: str
    sections: list[str]
    sources: list[Citation]
    status: str
    supporting: int
    contradicting: int
    qualifying: int
    strongest_design: str = ""
    strongest_design_iri: str = ""
    certainty: Certainty | None = None
    lines: list[EvidenceLine] = field(default_factory=list)

    @property
    def section(self) -> str:
        """The section it is listed under (the first of its sections by name; "" when it has none)."""
        return self.sections[0] if self.sections else ""

    def lines_in(self, direction: str, *, later: bool = True) -> list[EvidenceLine]:
        """The lines of ``direction`` (``supports``, ``contradicts``, ``qualifies``), later evidence or the statement's own."""
        return [line for line in self.lines if line.direction == direction and line.later == later]

    def counts_text(self) -> str:
        counts = f"{self.supporting} supporting, {self.contradicting} contradicting, {self.qualifying} qualifying"
        return counts + (f"; strongest design: {self.strongest_design}" if self.strongest_design else "")

    def to_text(self) -> str:
        """The entry for people: text and sources, then :meth:`ledger_lines`."""
        out = [f"{self.label}  ({self.kind}, {compact(self.iri)})"]
        out += textwrap.wrap(self.text, _WIDTH, initial_indent="  ", subsequent_indent="  ")
        sections = "; ".join(f'"{s}"' for s in self.sections)
        out += [f"  source: {c.to_text()}" + (f", {sections}" if sections else "") for c in self.sources]
        return "\n".join(out + self.ledger_lines()) + "\n"

    def ledger_lines(self) -> list[str]:
        """Status, certainty with its reasons, counts, then the lines by direction (indented two spaces)."""
        out = [f"  status: {self.status}"]
        if self.certainty is not None:
            out.append(f"  certainty: {self.certainty.to_text()}")
            out += textwrap.wrap(self.certainty.rationale, _WIDTH, initial_indent="    ", subsequent_indent="    ")
            if not self.certainty.rests_on:
                out += [f"    looked in: {c.to_text()}" for c in self.certainty.sources]
        out.append(f"  later findings: {self.counts_text()}")
        for direction, heading in DIRECTIONS.items():
            group = self.lines_in(direction)
            if group:
                out.append(f"  {heading} ({len(group)})")
                for line in group:
                    out += line.to_text()
        own = [line for line in self.lines if not line.later]
        if own:
            out.append(f"  The source's own reasons (not later evidence, not counted) ({len(own)})")
            for line in own:
                out += line.to_text()
        return out

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of one entry (see docs/claims.md)."""
        return {
            "iri": self.iri, "compact": compact(self.iri), "label": self.label, "kind": self.kind, "text": self.text,
            "sections": self.sections, "sources": [asdict(c) for c in self.sources], "status": self.status,
            "counts": {"supporting": self.supporting, "contradicting": self.contradicting, "qualifying": self.qualifying},
            "strongest_design": {"iri": self.strongest_design_iri, "label": self.strongest_design} if self.strongest_design else None,
            "certainty": None if self.certainty is None else asdict(self.certainty),
            "evidence": {d: [line.to_dict() for line in self.lines_in(d)] for d in DIRECTIONS},
            "own_reasons": [line.to_dict() for line in self.lines if not line.later],
        }


@dataclass
class Ledger:
    """The claim ledger: one :class:`ClaimEntry` per statement, by section, then label."""

    entries: list[ClaimEntry]
    version: str = ""

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, term: str) -> ClaimEntry:
        """The entry of an IRI or compact name."""
        for entry in self.entries:
            if term in (entry.iri, compact(entry.iri)):
                return entry
        raise KeyError(term)

    def to_text(self) -> str:
        return to_text(self)

    def to_json(self) -> str:
        return to_json(self)

    def to_csv(self) -> str:
        return to_csv(self)


def _lines(graph: Graph, statements: set[str], timeout: float | None, params: dict | None = None) -> dict[str, list[EvidenceLine]]:
    """The evidence lines bearing on each of ``statements``, one per line (later when any of its sources is);
    ``params`` binds the query's ``?statement`` when there is one statement."""
    found: dict[tuple[str, str], EvidenceLine] = {}
    for row in run_saved_query(graph, "claim-ledger-lines", params, timeout=timeout, limits=WHOLE_ANSWER):
        statement = str(row["statement"])
        if statement not in statements:
            continue
        key = (statement, str(row["line"]))
        line = found.get(key)
        if line is None:
            item = row["item"]
            rank = row.get("strengthRank")
            line = found[key] = EvidenceLine(
                str(row["line"]), str(row["direction"]).rsplit("direction-", 1)[-1], str(item),
                str(row.get("itemLabel", compact(str(item)))), kind_of(graph, item), False, str(row.get("strengthLabel", "")),
                int(rank.toPython()) if isinstance(rank, Literal) else 0, str(row.get("basisLabel", "")),
                str(row.get("rationale", "")), sections=[s for s in str(row.get("sections", "")).split(" | ") if s],
                studies=studies_of(graph, item), estimate=estimate_of(graph, item))
        line.later = line.later or bool(row["later"].toPython())
        line.sources.append(Citation.of(graph, row["source"]))
    by_statement: dict[str, list[EvidenceLine]] = {}
    for (statement, _), line in found.items():
        by_statement.setdefault(statement, []).append(line)
    for lines in by_statement.values():
        lines.sort(key=lambda x: (-x.strength_rank, -x.design_rank(), x.item_label.lower(), x.iri))
    return by_statement


def _entry(graph: Graph, row: dict, lines: list[EvidenceLine]) -> ClaimEntry:
    node = row["claim"]
    return ClaimEntry(
        str(node), str(row["label"]), kind_of(graph, node), _first(graph, node, SKOS.definition),
        _texts(graph, node, IRG.sourceSection), _citations(graph, node), str(row["status"]),
        int(row["supporting"].toPython()), int(row["contradicting"].toPython()), int(row["qualifying"].toPython()),
        str(row.get("designLabel", "")), str(row.get("strongestDesign", "")), Certainty.of(graph, node), lines,
    )


def claim_ledger(graph: Graph, claim: str | None = None, *, timeout: float | None = DEFAULT_TIMEOUT) -> Ledger:
    """The claim ledger of ``graph``: every claim, and every other statement an evidence line bears on.

    ``claim`` narrows it to one (an IRI, compact name, label or synonym);
    :class:`~irgraph.errors.UsageError` when nothing is called that or it
    is not in the ledger. Each of the two queries has ``timeout`` seconds.

    >>> from irgraph import load_graph
    >>> ledger = claim_ledger(load_graph(), "IL-2's large CD4 increases make the immune system stronger")
    >>> entry = ledger.entries[0]
    >>> entry.status, entry.certainty.level, entry.supporting
    ('contradicted by randomised evidence', 'high', 0)
    >>> entry.contradicting == len(entry.lines_in("contradicts")) > 0
    True
    """
    wanted = None if claim is None else str(resolve(graph, claim))
    rows = [r for r in run_saved_query(graph, "claim-ledger", timeout=timeout, limits=WHOLE_ANSWER)
            if wanted is None or str(r["claim"]) == wanted]
    if wanted is not None and not rows:
        raise UsageError(f"--claim {claim}: {compact(wanted)} is not a claim, nor a statement that an evidence line bears on; "
                         "'irgraph claims' lists them")
    lines = _lines(graph, {str(r["claim"]) for r in rows}, timeout)
    entries = [_entry(graph, row, lines.get(str(row["claim"]), [])) for row in rows]
    return _ledger(entries)


def _ledger(entries: list[ClaimEntry]) -> Ledger:
    entries.sort(key=lambda e: (e.section == "", e.section.lower(), e.label.lower(), e.iri))
    return Ledger(entries, package_version())


def _in_ledger(graph: Graph, node) -> bool:
    """Whether ``node`` can be in the ledger: what ``claim-ledger.rq`` selects (``?claim a irg:Claim`` or ``?line irg:bearsOn ?claim``)."""
    return (node, RDF.type, IRG.Claim) in graph or next(iter(graph.subjects(IRG.bearsOn, node)), None) is not None


def ledger_of(graph: Graph, nodes: Iterable[str], *, timeout: float | None = DEFAULT_TIMEOUT) -> Ledger:
    """The entries of the claim ledger of ``graph`` for ``nodes`` (IRIs) only, as :func:`claim_ledger` gives them.

    Each node is two lookups, and the ledger's two queries bound to it when
    it is a claim or something bears on it, so that a page of a few claims
    of a big store does not compute the whole ledger.

    >>> from irgraph import load_graph
    >>> [e.status for e in ledger_of(load_graph(), ["https://w3id.org/irgraph/id/il-2"])]
    []
    """
    entries: list[ClaimEntry] = []
    for node in nodes:
        term = URIRef(node)
        if not _in_ledger(graph, term):
            continue
        rows = run_saved_query(graph, "claim-ledger", {"claim": term}, timeout=timeout, limits=WHOLE_ANSWER).rows
        if rows:
            lines = _lines(graph, {node}, timeout, {"statement": term}).get(node, [])
            entries.extend(_entry(graph, row, lines) for row in rows)
    return _ledger(entries)


def ledger_entry(graph: Graph, node, *, timeout: float | None = DEFAULT_TIMEOUT) -> ClaimEntry | None:
    """The ledger entry of ``node`` (an IRI), or None when it is not in the ledger (not a claim, nothing bears on it).

    Whether it is in the ledger is two lookups (what ``claim-ledger.rq`` selects: ``?claim a irg:Claim``
    or ``?line irg:bearsOn ?claim``), so that describing an intervention or a study of a big store
    does not compute the whole ledger.
    """
    if not _in_ledger(graph, node):
        return None
    rows = [r for r in run_saved_query(graph, "claim-ledger", timeout=timeout, limits=WHOLE_ANSWER) if str(r["claim"]) == str(node)]
    if not rows:
        return None
    return _entry(graph, rows[0], _lines(graph, {str(node)}, timeout).get(str(node), []))


# --- the ledger formats of irgraph.formats ------------------------------------------

def to_text(ledger: Ledger) -> str:
    """The ledger for people: the disclaimer, then each statement under its section heading."""
    out = [f"The claim ledger: the fact sheet re-read against the later evidence (irgraph {ledger.version})".rstrip(),
           DISCLAIMER,
           "Status, counts and strongest design are computed from the evidence lines; the certainty is the curators'",
           "GRADE-style judgement of the later evidence. Each line names its source and section.", ""]
    section = None
    for entry in ledger.entries:
        if entry.section != section:
            section = entry.section
            out += [f"== {section or 'no section'} ==", ""]
        out.append(entry.to_text())
    if not ledger.entries:
        out.append("No claims, and no statement that an evidence line bears on.\n")
    return "\n".join(out)


def to_json(ledger: Ledger) -> str:
    """The ledger for machines: ``{"disclaimer", "irgraph", "statuses", "claims": [entry, …]}`` (docs/claims.md)."""
    document = {"disclaimer": DISCLAIMER, "irgraph": ledger.version, "statuses": list(STATUSES),
                "claims": [entry.to_dict() for entry in ledger.entries]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


#: the columns of the CSV ledger, one row per statement
CSV_COLUMNS = ("iri", "label", "kind", "section", "status", "certainty", "downgraded_for", "supporting", "contradicting",
               "qualifying", "strongest_design", "sources")


def to_csv(ledger: Ledger) -> str:
    """One row per statement (:data:`CSV_COLUMNS`); lists are joined with `` | ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in ledger.entries:
        certainty = e.certainty
        writer.writerow([e.iri, e.label, e.kind, e.section, e.status, certainty.level if certainty else "",
                         " | ".join(certainty.downgraded_for) if certainty else "", e.supporting, e.contradicting,
                         e.qualifying, e.strongest_design, " | ".join(c.label for c in e.sources)])
    return buffer.getvalue()
