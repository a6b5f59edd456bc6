"""The explorer: one self-contained HTML page of the graph that works offline.

The page embeds vis-network (the copy shipped inside the pyvis package), its
stylesheet, the page's own script and the graph as JSON; nothing is loaded
from the network. Every string from the data is escaped for the place it
lands: the data travels as JSON inside a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, the title goes through Jinja's
HTML autoescaping, and the page's script only ever sets ``textContent`` and
builds links with DOM APIs (http and https addresses only). A
Content-Security-Policy allows the two inline scripts by their hashes and
nothing else.

What is drawn (the explorer's projection of the graph, built on
:func:`irgraph.network.to_networkx`):

* every entity of the data is a node, except concept schemes and the
  controlled values of :data:`ATTRIBUTE_CLASSES` (effects, verdicts,
  certainty, endpoint kinds, donor types, routes): a link to one of those
  becomes an attribute of the node, shown in its details ("verdict:
  unfavourable");
* every link between two drawn nodes is an edge labelled with the
  property's ontology label, except the concept-scheme bookkeeping of
  :data:`HIDDEN_RELATIONS`;
* the nodes of :data:`HIDDEN_BY_DEFAULT` (sources, endpoints, trial phases,
  mechanisms, biological entities, background facts, organisations) are in
  the page but switched off in the class filter of a whole-graph page, so
  that the first picture is readable; their content is one click away in
  the details panel.

The layout is computed here, before the page opens: columns by class
(approaches, interventions, studies, findings, claims, ...), each ordered
from a networkx spring layout with a fixed seed and refined so that linked
nodes sit at similar heights. The page has physics off: nothing moves.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import quote, urlsplit

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from .errors import IrgraphError, UsageError
from .export import write_atomic
from .load import load
from .namespaces import compact, expand
from .network import to_networkx
from .store import DEFAULT_STORE
from .terms import resolve

VIS_NETWORK_VERSION = "9.1.2"
DEFAULT_TITLE = "irgraph: HIV immune restoration"
DISCLAIMER = (
    "For research and education only. This is not medical advice: "
    "talk to a health care provider about any treatment decision."
)
#: above this many nodes the command warns and suggests ``--focus``
LARGE_GRAPH = 1000
#: the seeded spring layout that gives the first order of each column runs up to this many nodes
LAYOUT_CORE = 400
LAYOUT_SEED = 7
#: the graph area of the page at first sight, in CSS pixels (the layout aims to fill it)
VIEW = (1000.0, 900.0)
COLUMN_GAP = 40.0
GROUP_GAP = 110.0
BAND_GAP = 120.0
#: a second band of columns is used only when one band would be drawn smaller than this scale
#: and a second band draws it this much larger
READABLE_SCALE = 0.75
BANDS_WORTH_IT = 1.5
DEFAULT_DEPTH = 2

#: colour and shape per class (compact name); anything else is grey
CLASS_STYLE = {
    "irg:Intervention": ("#1f77b4", "box"),
    "irg:CombinationIntervention": ("#4a90c8", "box"),
    "irg:Approach": ("#9467bd", "ellipse"),
    "irg:Mechanism": ("#c49c94", "ellipse"),
    "irg:BiologicalEntity": ("#2ca02c", "dot"),
    "irg:ClinicalStudy": ("#ff7f0e", "diamond"),
    "irg:TrialPhase": ("#ffbb78", "triangle"),
    "irg:Finding": ("#17becf", "square"),
    "irg:Claim": ("#d62728", "star"),
    "irg:BiologicalFact": ("#98df8a", "square"),
    "irg:ClinicalThreshold": ("#98df8a", "triangleDown"),
    "irg:Source": ("#7f7f7f", "dot"),
    "irg:Organization": ("#e377c2", "hexagon"),
    "irg:Endpoint": ("#bcbd22", "dot"),
    "irg:Effect": ("#aec7e8", "dot"),
    "irg:Verdict": ("#aec7e8", "dot"),
    "irg:Certainty": ("#aec7e8", "dot"),
    "irg:EndpointKind": ("#aec7e8", "dot"),
    "irg:DonorType": ("#aec7e8", "dot"),
    "irg:Route": ("#aec7e8", "dot"),
    "irg:EvidenceLine": ("#ad494a", "diamond"),
}
DEFAULT_STYLE = ("#c7c7c7", "dot")
#: the layout's columns, left to right (other classes go last)
COLUMNS = {
    "irg:Approach": 0,
    "irg:Mechanism": 1,
    "irg:Intervention": 2,
    "irg:CombinationIntervention": 2,
    "irg:ClinicalStudy": 3,
    "irg:Finding": 4,
    "irg:Claim": 5,
    "irg:BiologicalFact": 6,
    "irg:ClinicalThreshold": 6,
    "irg:Endpoint": 7,
    "irg:TrialPhase": 8,
    "irg:BiologicalEntity": 9,
    "irg:Organization": 10,
    "irg:Source": 11,
    "irg:EvidenceLine": 12,
}
#: column headings (other columns are headed by their classes' labels)
COLUMN_NAMES = {
    0: "approaches",
    1: "mechanisms",
    2: "interventions",
    3: "studies",
    4: "findings",
    5: "claims",
    6: "background facts",
    7: "endpoints",
    8: "trial phases",
    9: "biological entities",
    10: "organisations",
    11: "sources",
    12: "evidence lines",
}
#: label sizes on the canvas (the page's script uses the same; others 12)
FONT_SIZE = {
    "irg:Intervention": 22,
    "irg:CombinationIntervention": 20,
    "irg:Approach": 17,
    "irg:Claim": 15,
    "irg:BiologicalEntity": 15,
    "irg:ClinicalStudy": 15,
    "irg:Finding": 13,
    "irg:Mechanism": 13,
}
#: the order of classes in the legend (others follow, sorted)
CLASS_ORDER = (
    "irg:Intervention",
    "irg:CombinationIntervention",
    "irg:Approach",
    "irg:Mechanism",
    "irg:BiologicalEntity",
    "irg:ClinicalStudy",
    "irg:Finding",
    "irg:Claim",
    "irg:BiologicalFact",
    "irg:ClinicalThreshold",
    "irg:Organization",
    "irg:Source",
    "irg:Endpoint",
    "irg:TrialPhase",
)
#: a finding's border says its verdict at a glance
VERDICT_COLOURS = {
    "ir:verdict-favourable": "#2e7d32",
    "ir:verdict-unfavourable": "#c62828",
    "ir:verdict-mixed": "#ef8f00",
    "ir:verdict-inconclusive": "#7e57c2",
    "ir:verdict-pending": "#9e9e9e",
}
#: controlled values: shown as attributes of the nodes that use them, not as nodes
ATTRIBUTE_CLASSES = frozenset(
    {"irg:Effect", "irg:Verdict", "irg:Certainty", "irg:EndpointKind", "irg:DonorType", "irg:Route",
     "irg:EvidenceDirection", "irg:EvidenceStrength", "irg:LinkBasis", "irg:StudyDesign", "irg:CertaintyLevel",
     "irg:CertaintyDomain", "irg:CountKind", "irg:SampleSize", "irg:CertaintyAssessment"}
)
#: drawn, but off in the class filter of a whole-graph page (they link to almost everything)
HIDDEN_BY_DEFAULT = frozenset(
    {
        "irg:Mechanism",
        "irg:BiologicalEntity",
        "irg:BiologicalFact",
        "irg:ClinicalThreshold",
        "irg:Organization",
        "irg:Source",
        "irg:Endpoint",
        "irg:TrialPhase",
        "irg:EvidenceLine",
    }
)
#: a focus neighbourhood includes these when adjacent but does not spread through them
NOT_EXPANDED = frozenset({"irg:Source", "irg:Endpoint", "irg:TrialPhase", "irg:EvidenceLine"})
#: never drawn
HIDDEN_CLASSES = frozenset({"skos:ConceptScheme", "prov:Derivation"})
HIDDEN_RELATIONS = frozenset({"skos:inScheme", "skos:topConceptOf", "skos:hasTopConcept"})
#: labels of the properties borrowed from other vocabularies (the ontology labels only its own)
BORROWED_LABELS = {
    "prov:wasDerivedFrom": "derived from",
    "skos:broader": "broader",
    "skos:narrower": "narrower",
    "skos:exactMatch": "exact match",
    "skos:closeMatch": "close match",
    "skos:relatedMatch": "related match",
    "skos:notation": "notation",
    "rdfs:seeAlso": "see also",
    "dcterms:publisher": "publisher",
    "dcterms:title": "title",
    "dcterms:issued": "issued",
    "dcterms:bibliographicCitation": "citation",
}
#: literal properties shown in their own place in the details panel, not among the facts
_OWN_PLACE = {"label", "skos:altLabel", "skos:definition", "irg:sourceSection"}
_STATEMENT_CLASSES = {"irg:ClinicalStudy", "irg:Finding", "irg:Claim", "irg:BiologicalFact", "irg:ClinicalThreshold"}
_TRAIL_CLASSES = _STATEMENT_CLASSES | {"irg:Intervention", "irg:CombinationIntervention", "irg:Source"}
_NCT = re.compile(r"^NCT\d{8}$")
_PMID = re.compile(r"^\d{1,9}$")


@dataclass(frozen=True)
class ExplorerPage:
    """A rendered explorer page: the HTML, what it draws, and warnings for the person who asked.

    ``warnings`` are sentences (e.g. the graph is large: use ``--focus``);
    ``path`` is set when the page was written to a file.
    """

    html: str
    node_count: int
    edge_count: int
    warnings: tuple[str, ...] = ()
    path: Path | None = None


def _pyvis_folder() -> Path:
    """Where the pyvis package is installed, found without importing it (its import pulls in IPython)."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise IrgraphError("the pyvis package is not installed; reinstall irgraph with 'pip install .' (it requires pyvis==0.3.2)")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _vis_assets() -> tuple[str, str]:
    lib = _pyvis_folder() / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    try:
        script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        style = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as error:
        raise IrgraphError(
            f"vis-network {VIS_NETWORK_VERSION} was not found in the pyvis package ({lib}): {error}; "
            "reinstall irgraph with 'pip install .' (it requires pyvis==0.3.2)"
        ) from error
    # the library text must not be able to close its own <script>/<style> element
    if re.search(r"</script", script, re.IGNORECASE) or re.search(r"</style", style, re.IGNORECASE):
        raise IrgraphError("the bundled vis-network files contain a closing tag and cannot be inlined")
    return script, style


@cache
def _page_script() -> str:
    return (Path(__file__).parent / "templates" / "explorer.js").read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _json_for_html(value) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive.

    >>> _json_for_html({"a": "</script><b>&"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def web_link(href: str) -> str | None:
    """``href`` if it is an http or https address with a host, else ``None``.

    Only these become links in the page (never ``javascript:`` or ``data:``).

    >>> web_link("https://doi.org/10.1000/x"), web_link("javascript:alert(1)"), web_link("http:///x")
    ('https://doi.org/10.1000/x', None, None)
    """
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc and not any(ch.isspace() for ch in href):
        return href
    return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _labels_of_properties(graph: Graph) -> dict[str, str]:
    """Compact property name -> English label: the ontology's, then the borrowed ones."""
    labels = dict(BORROWED_LABELS)
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    for kind in kinds:
        for prop in sorted(graph.subjects(RDF.type, kind), key=str):
            names = sorted(str(label) for label in graph.objects(prop, RDFS.label))
            if isinstance(prop, URIRef) and names:
                labels[compact(str(prop))] = names[0]
    return labels


def _class_labels(graph: Graph) -> dict[str, str]:
    labels = {}
    for cls in sorted(set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class)), key=str):
        names = sorted(str(label) for label in graph.objects(cls, RDFS.label))
        if isinstance(cls, URIRef) and names:
            labels[compact(str(cls))] = names[0]
    return labels


def _class_ancestors(graph: Graph, classes: Iterable[str]) -> dict[str, set[str]]:
    """Class (compact) -> itself and every superclass, so ``irg:Statement`` selects findings and claims."""
    ancestors = {}
    for cls in classes:
        node = URIRef(expand(cls))
        ancestors[cls] = {compact(str(c)) for c in graph.transitive_objects(node, RDFS.subClassOf)}
        ancestors[cls].add(cls)
    return ancestors


def _external_links(graph: Graph, node: str, entities, labels: dict[str, str]) -> list[list[str]]:
    """Links from ``node`` to IRIs that are not entities of the data (alignments, web pages)."""
    rows = []
    for prop, value in graph.predicate_objects(URIRef(node)):
        if prop == RDF.type or not isinstance(value, URIRef) or str(value) in entities:
            continue
        name = compact(str(prop))
        rows.append([labels.get(name, name), compact(str(value)), web_link(str(value)) or ""])
    return sorted(rows)


def _identifier_links(attrs: dict) -> list[list[str]]:
    """Identifiers as [kind, identifier, address]: DOI, PubMed and ClinicalTrials.gov numbers."""
    links = []
    for doi in _as_list(attrs.get("irg:doi")):
        text = str(doi).strip()
        links.append(["DOI", text, web_link("https://doi.org/" + quote(text, safe="/:;()._-")) or ""])
    for pmid in _as_list(attrs.get("irg:pmid")):
        text = _text(pmid).strip()
        address = f"https://pubmed.ncbi.nlm.nih.gov/{text}/" if _PMID.match(text) else ""
        links.append(["PMID", text, address])
    for registry in _as_list(attrs.get("irg:registryId")):
        text = str(registry).strip()
        address = f"https://clinicaltrials.gov/study/{text}" if _NCT.match(text) else ""
        links.append(["ClinicalTrials.gov" if address else "registry", text, address])
    return links


def _source_record(graph: Graph, network: nx.MultiDiGraph, source: str, entities, labels) -> dict:
    attrs = network.nodes[source] if source in network else {}
    publishers = sorted(
        str(network.nodes[v].get("label", compact(v)))
        for _, v, d in (network.out_edges(source, data=True) if source in network else [])
        if d["relation"] == "dcterms:publisher"
    )
    dates = [_text(v) for v in _as_list(attrs.get("dcterms:issued"))] or [
        _text(v) for v in _as_list(attrs.get("irg:dateNote"))
    ]
    web = _external_links(graph, source, entities, labels)
    return {
        "label": str(attrs.get("label", compact(source))),
        "title": [_text(v) for v in _as_list(attrs.get("dcterms:title"))],
        "citation": [_text(v) for v in _as_list(attrs.get("dcterms:bibliographicCitation"))],
        "date": dates,
        "publisher": publishers,
        "ids": _identifier_links(attrs),
        "web": web,
    }


def _selected_classes(
    present: set[str], ancestors: dict[str, set[str]], include: Iterable[str], exclude: Iterable[str]
) -> tuple[set[str], bool]:
    """The classes to draw, and whether the page shows them all (True when the user chose)."""

    def parse(names: Iterable[str], option: str) -> set[str]:
        chosen = set()
        known = set().union(*ancestors.values()) if ancestors else set()
        for raw in names:
            for name in (part.strip() for part in str(raw).split(",")):
                if not name:
                    continue
                candidate = compact(expand(name)) if ":" in name else f"irg:{name}"
                if candidate not in known:
                    listed = ", ".join(sorted(present - HIDDEN_CLASSES))
                    raise UsageError(
                        f"{option} {name}: no node of the graph has this class; "
                        f"use compact class names such as irg:Finding; the classes are: {listed}"
                    )
                chosen.add(candidate)
        return chosen

    included = parse(include, "--include-classes")
    excluded = parse(exclude, "--exclude-classes")
    drawable = present - HIDDEN_CLASSES
    if included:
        drawn = {cls for cls in drawable if ancestors[cls] & included}
    else:
        drawn = drawable - ATTRIBUTE_CLASSES
    drawn = {cls for cls in drawn if not ancestors[cls] & excluded}
    return drawn, bool(included)


def _neighbourhood(network: nx.MultiDiGraph, centre: str, depth: int, classes: dict[str, str]) -> set[str]:
    """Nodes within ``depth`` links of ``centre`` (either direction), not spreading through hubs."""
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        following = []
        for node in frontier:
            if node != centre and classes[node] in NOT_EXPANDED:
                continue
            for neighbour in sorted(set(network.successors(node)) | set(network.predecessors(node))):
                if neighbour not in seen:
                    seen.add(neighbour)
                    following.append(neighbour)
        frontier = following
    return seen


def _label_width(cls: str) -> float:
    """The widest a node's label is drawn (the page wraps labels at this width)."""
    return 190.0 if _inside(cls) else 170.0


def _label_height(label: str, cls: str) -> float:
    """Roughly how tall a node with its wrapped label is on the canvas (for spacing the columns)."""
    font = FONT_SIZE.get(cls, 12)
    per_line = max(8, int(_label_width(cls) / (font * 0.58)))
    lines, used = 1, 0
    for word in label.split():  # greedy word wrap, as the page does
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines * font * 1.22 + (22 if _inside(cls) else 40)


def _inside(cls: str) -> bool:
    return CLASS_STYLE.get(cls, DEFAULT_STYLE)[1] in ("box", "ellipse")


def _rows(nodes: list[str], count: int) -> list[list[str]]:
    return [nodes[i:i + count] for i in range(0, len(nodes), count)]


def _layout(
    network: nx.MultiDiGraph,
    classes: dict[str, str],
    labels: dict[str, str],
    core: set[str],
    start: dict[str, float] | None = None,
) -> tuple[dict[str, tuple[float, float]], list[dict], dict[str, int]]:
    """Positions in columns by class: approaches, interventions, studies, findings, claims, ...

    Each column is ordered so that linked nodes sit at similar heights: the
    order starts from a networkx spring layout (fixed seed) of the ``core``
    nodes (those a whole-graph page shows first) and is refined by barycentre
    sweeps over their links; the other nodes follow their neighbours, below
    the core ones. Tall columns fill several sub-columns, row by row, chosen
    so that the first view is drawn as large as possible. Deterministic:
    sorted inputs, a fixed seed, rounded output. Returns the positions, the
    column headings (column, x, band) and each node's column. ``start``
    gives first heights instead of the spring layout (a part of a laid-out
    graph keeps its order).
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
    last = max(COLUMNS.values()) + 1
    column_of = {n: COLUMNS.get(classes[n], last) for n in simple.nodes}
    columns: dict[int, list[str]] = {}
    for node in sorted(simple.nodes):
        columns.setdefault(column_of[node], []).append(node)
    order = sorted(columns)
    height = {n: _label_height(labels[n], classes[n]) for n in simple.nodes}
    width = {c: max(_label_width(classes[n]) for n in columns[c]) for c in order}

    def split(column: int) -> tuple[list[str], list[str]]:
        nodes = columns[column]
        return [n for n in nodes if n in core], [n for n in nodes if n not in core]

    shown_columns = [c for c in order if split(c)[0]]

    def bands_of(cut: int) -> list[list[int]]:
        return [shown_columns[:cut], shown_columns[cut:]] if 0 < cut < len(shown_columns) else [shown_columns]

    def drawn_size(per: int, cut: int) -> float:
        """How large the first view can be drawn with at most ``per`` rows a column, in one or two bands."""
        total_width = total_height = 0.0
        for band in bands_of(cut):
            band_width = band_height = 0.0
            for column in band:
                shown, _ = split(column)
                count = math.ceil(len(shown) / per)
                band_width += count * (width[column] + COLUMN_GAP) + GROUP_GAP
                band_height = max(band_height, sum(height[n] for n in shown) / count)
            total_width = max(total_width, band_width)
            total_height += band_height + BAND_GAP
        return min(VIEW[0] / max(total_width, 1.0), VIEW[1] / max(total_height, 1.0))

    tallest = max((len(split(c)[0]) or len(columns[c]) for c in order), default=1)
    cut = len(shown_columns)
    if len(simple) <= LAYOUT_CORE:
        # one band reads left to right; two bands only when that draws the picture much larger
        one = max(((k, cut) for k in range(1, tallest + 1)), key=lambda kc: (round(drawn_size(*kc), 3), kc[0]))
        two = max(((k, c) for k in range(1, tallest + 1) for c in range(1, len(shown_columns))),
                  key=lambda kc: (round(drawn_size(*kc), 3), kc[1], kc[0]), default=one)
        crowded = drawn_size(*one) < READABLE_SCALE
        rows, cut = two if crowded and drawn_size(*two) > BANDS_WORTH_IT * drawn_size(*one) else one
    else:  # large graphs: about 3:2 overall
        rows = max(30, int(math.sqrt(len(simple) * 6)))
    subcolumns = {c: max(1, math.ceil((len(split(c)[0]) or len(columns[c])) / rows)) for c in order}

    y_of: dict[str, float] = {}
    place: dict[str, int] = {}

    def stack(column: int) -> None:
        """Fill the column's sub-columns row by row: core nodes centred, the others below."""
        shown, rest = split(column)
        count = subcolumns[column]
        core_rows = _rows(shown, count)
        rest_rows = _rows(rest, count)
        y = -sum(max(height[n] for n in row) for row in core_rows) / 2
        for row in core_rows + rest_rows:
            tall = max(height[n] for n in row)
            for index, node in enumerate(row):
                # a box holds its label; other shapes carry it below, so the shape sits at the top
                y_of[node] = y + (height[node] / 2 if _inside(classes[node]) else 16)
                place[node] = index
            y += tall

    # first order: heights in a seeded spring layout of the core (small graphs only: it costs N^2)
    # built node by node in sorted order: a networkx subgraph view may iterate its nodes in set
    # order, which would make the seeded spring layout depend on the hash seed
    core_graph = nx.Graph()
    core_graph.add_nodes_from(sorted(n for n in simple.nodes if n in core))
    core_graph.add_edges_from(sorted((u, v) for u, v in simple.edges() if u in core and v in core))
    if start is None and 0 < len(core_graph) <= LAYOUT_CORE:
        raw = nx.spring_layout(core_graph, seed=LAYOUT_SEED, iterations=100)
        start = {n: float(y) for n, (_, y) in raw.items()}
    start = start or {}
    for column in order:
        shown, rest = split(column)
        columns[column] = sorted(shown, key=lambda n: (start.get(n, 0.0), n)) + rest
        stack(column)

    def sweep(column: int, graph: nx.Graph, part: int) -> None:
        parts = list(split(column))
        keyed = []
        for node in parts[part]:
            around = [y_of[m] for m in graph.neighbors(node) if column_of[m] != column] if node in graph else []
            keyed.append((sum(around) / len(around) if around else y_of[node], y_of[node], node))
        parts[part] = [node for _, _, node in sorted(keyed)]
        columns[column] = parts[0] + parts[1]
        stack(column)

    for turn in range(8):
        for column in order if turn % 2 == 0 else list(reversed(order)):
            sweep(column, core_graph, 0)
    for _ in range(2):  # the nodes shown later follow their neighbours
        for column in order:
            sweep(column, simple, 1)

    positions: dict[str, tuple[float, float]] = {}
    headings = []
    bands = bands_of(cut)
    hidden_columns = [c for c in order if c not in shown_columns]
    bands[-1] = bands[-1] + hidden_columns  # hidden columns after the shown ones: they leave no gaps
    shift = 0.0
    for number, band in enumerate(bands):
        core_heights = [sum(max(height[n] for n in row) for row in _rows(split(c)[0], subcolumns[c])) for c in band]
        band_height = max(core_heights, default=0.0)
        if number:
            shift += band_height / 2
        x = 0.0
        for column in band:
            step = width[column] + COLUMN_GAP
            for node in columns[column]:
                positions[node] = (x + place[node] * step, y_of[node] + shift)
            kinds = sorted({classes[n] for n in columns[column]}, key=lambda c: (c not in CLASS_ORDER, CLASS_ORDER.index(c) if c in CLASS_ORDER else 0, c))
            headings.append({"column": column, "x": round(x + (subcolumns[column] - 1) * step / 2, 1), "classes": kinds,
                             "band": number, "y": round(shift - band_height / 2 - 30, 1)})
            x += subcolumns[column] * step + GROUP_GAP
        shift += band_height / 2 + BAND_GAP
    rounded = {node: (round(px, 1), round(py, 1)) for node, (px, py) in positions.items()}
    return rounded, headings, column_of


def _trail(network: nx.MultiDiGraph, intervention: str, classes: dict[str, str]) -> list[str]:
    """An intervention's evidence trail: its studies, its findings, the claims they bear on, and their sources.

    Combinations that contain the intervention come too; what is linked
    beyond (mechanisms, targets, endpoints, phases) is left to the details
    panel, so the trail stays a short picture.
    """
    nodes = {intervention}
    first = set(network.successors(intervention)) | set(network.predecessors(intervention))
    nodes |= first
    for node in sorted(first):
        if classes.get(node) in _STATEMENT_CLASSES:
            nodes |= set(network.successors(node))
    nodes = {n for n in nodes if classes.get(n) in _TRAIL_CLASSES or n == intervention}
    for node in sorted(nodes):
        for _, source, data in network.out_edges(node, data=True):
            if data["relation"] == "prov:wasDerivedFrom":
                nodes.add(source)
    return sorted(nodes)


def explorer_data(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    include_classes: Iterable[str] = (),
    exclude_classes: Iterable[str] = (),
) -> dict:
    """What the page draws, as plain data (the JSON embedded in the page).

    Keys: ``nodes`` (id, label, class, position, synonyms, definition, facts,
    sections, sources, identifiers, external links, phases), ``edges``
    (from, to, relation, label), ``classes`` (legend and class filter),
    ``sources`` (provenance records by IRI), ``approaches``, ``phases`` and
    ``trails`` (the filters' node sets), ``focus``. Raises
    :class:`~irgraph.errors.UsageError` for an unknown focus term or class.

    >>> from irgraph import load_graph
    >>> data = explorer_data(load_graph(), focus="IL-2", depth=1)
    >>> "https://w3id.org/irgraph/id/il-2" in {n["id"] for n in data["nodes"]}
    True
    >>> sorted({e["label"] for e in data["edges"] if e["relation"] in ("irg:evaluatedIn", "prov:wasDerivedFrom")})
    ['derived from', 'evaluated in']
    """
    if depth < 0:
        raise UsageError(f"--depth {depth}: the depth must be 0 or more")
    full = to_networkx(graph)
    labels = _labels_of_properties(graph)
    class_labels = _class_labels(graph)
    classes = {node: data.get("class", "") for node, data in full.nodes(data=True)}
    entities = set(full.nodes)

    present = set(classes.values())
    ancestors = _class_ancestors(graph, present)
    drawn_classes, chosen = _selected_classes(present, ancestors, include_classes, exclude_classes)

    # facts from links to controlled values, before those nodes go
    link_facts: dict[str, list[list[str]]] = {}
    verdicts: dict[str, set[str]] = {}
    network = nx.MultiDiGraph()
    network.add_nodes_from(sorted(n for n in full.nodes if classes[n] in drawn_classes))
    for u, v, key, data in sorted(full.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        if data["relation"] in HIDDEN_RELATIONS:
            continue
        if u in network and v in network:
            network.add_edge(u, v, key=key, relation=data["relation"], label=labels.get(data["relation"], data["label"]))
        elif u in network and classes[v] in ATTRIBUTE_CLASSES:
            name = labels.get(data["relation"], data["label"])
            link_facts.setdefault(u, []).append([name, str(full.nodes[v].get("label", compact(v)))])
            if data["relation"] == "irg:verdict":
                verdicts.setdefault(u, set()).add(compact(v))

    focus_iri = None
    if focus is not None:
        focus_iri = str(resolve(graph, focus))
        if focus_iri not in network:
            why = f"its class {classes[focus_iri]} is not drawn" if focus_iri in classes else "it is not an entity of the data"
            raise UsageError(f"--focus {focus}: {compact(focus_iri)} cannot be the centre of the picture: {why}")
        keep = _neighbourhood(network, focus_iri, depth, classes)
        network = network.subgraph(sorted(keep)).copy()

    whole = focus_iri is None and not chosen
    off = {cls for cls in drawn_classes if cls in HIDDEN_BY_DEFAULT} if whole else set()
    core = {n for n in network.nodes if classes[n] not in off}
    node_labels = {n: str(full.nodes[n].get("label", compact(n))) for n in network}
    positions, headings, column_of = _layout(network, classes, node_labels, core)

    def headings_of(rows: list[dict]) -> list[dict]:
        return [
            {"column": h["column"], "x": h["x"], "y": h["y"], "band": h["band"],
             "label": COLUMN_NAMES.get(h["column"]) or " \u00b7 ".join(class_labels.get(c, c) for c in h["classes"])}
            for h in rows
        ]

    def view_of(members: Iterable[str]) -> dict:
        """A layout of just these nodes, for a filter that shows only them (small graphs)."""
        part = network.subgraph(sorted(members))
        placed, rows, _ = _layout(part, classes, node_labels, set(part.nodes), {n: positions[n][1] for n in part})
        return {"positions": {n: list(placed[n]) for n in sorted(placed)}, "columns": headings_of(rows)}

    # trial phases of studies, and of findings through their studies
    study_phase: dict[str, list[str]] = {}
    for u, v, data in full.edges(data=True):
        if data["relation"] == "irg:phase":
            study_phase.setdefault(u, []).append(v)
    nodes = []
    for node in sorted(network.nodes):
        attrs = full.nodes[node]
        cls = classes[node]
        facts = []
        for key in sorted(k for k in attrs if k not in _OWN_PLACE and k != "class"):
            for value in _as_list(attrs[key]):
                facts.append([labels.get(key, key), _text(value)])
        facts += sorted(link_facts.get(node, []))
        phases: set[str] = set()
        if cls == "irg:TrialPhase":
            phases.add(node)
        phases.update(study_phase.get(node, []))
        for _, study, data in full.out_edges(node, data=True):
            if data["relation"] == "irg:fromStudy":
                phases.update(study_phase.get(study, []))
        x, y = positions[node]
        nodes.append(
            {
                "id": node,
                "compact": compact(node),
                "label": str(attrs.get("label", compact(node))),
                "class": cls,
                "column": column_of[node],
                "x": x,
                "y": y,
                "synonyms": sorted(str(v) for v in _as_list(attrs.get("skos:altLabel"))),
                "definition": [str(v) for v in _as_list(attrs.get("skos:definition"))],
                "facts": facts,
                "sections": sorted(str(v) for v in _as_list(attrs.get("irg:sourceSection"))),
                "sources": sorted(
                    v for _, v, d in full.out_edges(node, data=True) if d["relation"] == "prov:wasDerivedFrom"
                ),
                "ids": _identifier_links(attrs),
                "external": _external_links(graph, node, entities, labels),
                "phases": sorted(phases),
                "verdict": min(verdicts[node]) if len(verdicts.get(node, ())) == 1 else "",
            }
        )
    edges = [
        {"id": index, "from": u, "to": v, "relation": data["relation"], "label": data["label"],
         "curved": column_of[u] == column_of[v]}
        for index, (u, v, data) in enumerate(
            sorted(network.edges(data=True), key=lambda e: (e[0], e[2]["relation"], e[1]))
        )
    ]
    used_sources = sorted({s for n in nodes for s in n["sources"]} | {n["id"] for n in nodes if n["class"] == "irg:Source"})
    sources = {s: _source_record(graph, full, s, entities, labels) for s in used_sources}

    counts: dict[str, int] = {}
    for n in nodes:
        counts[n["class"]] = counts.get(n["class"], 0) + 1
    order = {cls: i for i, cls in enumerate(CLASS_ORDER)}
    class_rows = []
    for cls in sorted(counts, key=lambda c: (order.get(c, len(order)), c)):
        colour, shape = CLASS_STYLE.get(cls, DEFAULT_STYLE)
        class_rows.append(
            {"id": cls, "label": class_labels.get(cls, cls), "color": colour, "shape": shape, "font": FONT_SIZE.get(cls, 12),
             "count": counts[cls], "on": cls not in off}
        )

    # evidence trails, and approaches (narrower under broader) with the trails of their interventions
    in_page = set(network.nodes)
    interventions = sorted(n for n in full.nodes if "irg:Intervention" in ancestors.get(classes[n], set()))
    trail_of = {node: _trail(full, node, classes) for node in interventions}
    trails = {node: [n for n in trail_of[node] if n in in_page] for node in interventions if node in in_page}
    approach_ids = sorted(n for n in full.nodes if classes[n] == "irg:Approach")
    narrower: dict[str, list[str]] = {a: [] for a in approach_ids}
    broader: dict[str, list[str]] = {a: [] for a in approach_ids}
    using: dict[str, list[str]] = {a: [] for a in approach_ids}
    for u, v, d in sorted(full.edges(data=True), key=lambda e: (e[0], e[1])):
        if d["relation"] == "skos:broader" and u in narrower and v in narrower:
            narrower[v].append(u)
            broader[u].append(v)
        elif d["relation"] == "irg:hasApproach" and v in using:
            using[v].append(u)

    def name(node: str) -> str:
        return str(full.nodes[node].get("label", compact(node)))

    listed: list[tuple[str, int]] = []
    seen: set[str] = set()
    roots = sorted((a for a in approach_ids if not broader[a]), key=lambda a: (name(a).lower(), a))
    rest = sorted(approach_ids, key=lambda a: (name(a).lower(), a))
    for root in roots + rest:  # roots first; then whatever a cycle left out
        stack = [(root, 0)]
        while stack:
            node, level = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            listed.append((node, level))
            children = sorted(narrower[node], key=lambda a: (name(a).lower(), a), reverse=True)
            stack.extend((child, level + 1) for child in children)
    approaches = []
    for approach, level in listed:
        subtree, stack = {approach}, [approach]
        while stack:
            for child in narrower[stack.pop()]:
                if child not in subtree:
                    subtree.add(child)
                    stack.append(child)
        members = set(subtree)
        for member in subtree:
            for intervention in using[member]:
                members.update(trail_of.get(intervention, [intervention]))
        approaches.append({"id": approach, "label": name(approach), "level": level, "nodes": sorted(members & in_page)})

    # the trail and approach filters redraw their nodes in their own columns (not for large graphs)
    views = {}
    if len(in_page) <= LARGE_GRAPH:
        for key, members in sorted(trails.items()):
            views[key] = view_of(members)
        for approach in approaches:
            views[approach["id"]] = view_of(approach["nodes"])

    phase_rows = []
    phase_ids = sorted(n for n in full.nodes if classes[n] == "irg:TrialPhase")

    def phase_key(p: str):
        notation = str(full.nodes[p].get("skos:notation", ""))
        try:
            number = float(notation)
        except ValueError:
            number = math.inf
        return (number <= 0, number, str(full.nodes[p].get("label", p)))

    for phase in sorted(phase_ids, key=phase_key):
        studies = sum(1 for n in nodes if phase in n["phases"] and n["class"] == "irg:ClinicalStudy")
        phase_rows.append({"id": phase, "label": str(full.nodes[phase].get("label", compact(phase))), "studies": studies})

    return {
        "nodes": nodes,
        "edges": edges,
        "classes": class_rows,
        "sources": sources,
        "approaches": [a for a in approaches if len(a["nodes"]) > 0],
        "phases": phase_rows,
        "trails": trails,
        "focus": focus_iri,
        "columns": headings_of(headings),
        "views": views,
        "verdicts": [
            {"id": key, "label": str(full.nodes[expand(key)].get("label", key)), "color": colour}
            for key, colour in VERDICT_COLOURS.items()
            if any(n["verdict"] == key for n in nodes)
        ],
        "large": len(nodes) > LARGE_GRAPH,
    }


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def explorer_page(
    graph: Graph,
    *,
    title: str = DEFAULT_TITLE,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    include_classes: Iterable[str] = (),
    exclude_classes: Iterable[str] = (),
) -> ExplorerPage:
    """Render the explorer for ``graph``: the HTML with counts and warnings (see :func:`explorer_data`).

    >>> from irgraph import load_graph
    >>> page = explorer_page(load_graph(), focus="ir:he2000", depth=1, title="HE2000 <draft>")
    >>> "HE2000 &lt;draft&gt;" in page.html and "<draft>" not in page.html
    True
    >>> page.warnings
    ()
    """
    vis_script, vis_style = _vis_assets()
    script = _page_script()
    data = explorer_data(
        graph, focus=focus, depth=depth, include_classes=include_classes, exclude_classes=exclude_classes
    )
    warnings = []
    if data["large"]:
        warnings.append(
            f"the explorer draws {len(data['nodes'])} nodes (more than {LARGE_GRAPH}); the page stays still "
            "(precomputed layout, no physics) but is hard to read: try --focus TERM --depth 2 "
            "or --include-classes to draw a part of the graph"
        )
    html = _environment().get_template("explorer.html").render(
        title=title,
        disclaimer=DISCLAIMER,
        graph_json=_json_for_html(data),
        vis_script=vis_script,
        vis_style=vis_style,
        page_script=script,
        script_hashes=" ".join([_csp_hash(vis_script), _csp_hash(script)]),
    )
    return ExplorerPage(
        html=html,
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        warnings=tuple(warnings),
    )


def to_html(graph: Graph, **options) -> str:
    """The explorer page for ``graph`` as one HTML string (no external resources).

    ``options`` are those of :func:`explorer_page` (``title``, ``focus``,
    ``depth``, ``include_classes``, ``exclude_classes``).

    >>> from irgraph import load_graph
    >>> html = to_html(load_graph(), focus="IL-2", depth=1)
    >>> html.startswith("<!DOCTYPE html>") and "not medical advice" in html
    True
    """
    return explorer_page(graph, **options).html


def write_explorer(
    out: str | Path = "irgraph.html",
    extra_data: Iterable[str | Path] = (),
    *,
    store: str = DEFAULT_STORE,
    **options,
) -> ExplorerPage:
    """Load the bundled data (plus ``extra_data``) and write the explorer page to ``out`` atomically.

    The data is drawn as it is, valid or not (``irgraph validate`` checks it).
    ``options`` are those of :func:`explorer_page`. Raises
    :class:`~irgraph.errors.LoadError` when a file does not parse and
    :class:`~irgraph.errors.UsageError` for an unknown focus term or class;
    in both cases nothing is written.
    """
    loaded = load(extra_data, store=store)
    page = explorer_page(loaded.graph, **options)
    path = write_atomic(out, page.html)
    return replace(page, path=path)
