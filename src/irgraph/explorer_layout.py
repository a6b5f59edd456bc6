"""Where the explorer draws each node: columns by class, ordered so that linked nodes sit at similar heights.

The layout is computed before the page opens, and the page has physics off,
so nothing moves. Columns hold the classes of :data:`COLUMNS` (approaches,
mechanisms, interventions, studies, findings, claims, ...), left to right.
Each column's first order comes from a networkx spring layout with a fixed
seed and is refined by barycentre sweeps over the links; tall columns fill
several sub-columns, row by row, chosen so that the first view is drawn as
large as possible, in one band of columns or, when that draws it much
larger, two. A graph too large to be read whole in the page's first view
(its smallest main label under 11 CSS pixels) is laid out to fill the width
of the view at :func:`readable_scale` instead, and is read by scrolling
down; the shorter columns then spread evenly over the height of the
tallest, in their order. Deterministic: sorted inputs,
a fixed seed, rounded output.

This module also holds the look of each class (colour, shape, label size),
which the layout needs to know how large each node is drawn.
"""

from __future__ import annotations

import math

import networkx as nx

from .namespaces import compact
from .vocab import IRG


def _c(term) -> str:
    return compact(str(term))


#: the seeded spring layout that gives the first order of each column runs up to this many nodes
LAYOUT_CORE = 400
#: up to this many nodes, a graph too large to read whole is laid out tall (see the module docstring)
TALL_LIMIT = 1000
LAYOUT_SEED = 7
#: the graph area of the page at first sight at 1600x1000, in CSS pixels (the layout aims to fill it)
VIEW = (1060.0, 890.0)
COLUMN_GAP = 30.0
GROUP_GAP = 60.0
BAND_GAP = 120.0
#: the smallest label the page draws on screen at first sight, in CSS pixels
READABLE_PX = 11.25
#: a second band of columns is used only when one band would be drawn smaller than this scale
#: and a second band draws it this much larger
CROWDED_SCALE = 0.75
BANDS_WORTH_IT = 1.5

_CONTROLLED = ("#aec7e8", "dot")
#: colour and shape per class (compact name); anything else is grey
CLASS_STYLE = {
    _c(IRG.Intervention): ("#1f77b4", "box"),
    _c(IRG.CombinationIntervention): ("#4a90c8", "box"),
    _c(IRG.Approach): ("#9467bd", "ellipse"),
    _c(IRG.Mechanism): ("#c49c94", "ellipse"),
    _c(IRG.BiologicalEntity): ("#2ca02c", "dot"),
    _c(IRG.ClinicalStudy): ("#ff7f0e", "diamond"),
    _c(IRG.TrialPhase): ("#ffbb78", "triangle"),
    _c(IRG.Finding): ("#17becf", "square"),
    _c(IRG.Claim): ("#d62728", "star"),
    _c(IRG.BiologicalFact): ("#98df8a", "square"),
    _c(IRG.ClinicalThreshold): ("#98df8a", "triangleDown"),
    _c(IRG.Source): ("#7f7f7f", "dot"),
    _c(IRG.Organization): ("#e377c2", "hexagon"),
    _c(IRG.Endpoint): ("#bcbd22", "dot"),
    _c(IRG.Effect): _CONTROLLED,
    _c(IRG.Verdict): _CONTROLLED,
    _c(IRG.Certainty): _CONTROLLED,
    _c(IRG.EndpointKind): _CONTROLLED,
    _c(IRG.DonorType): _CONTROLLED,
    _c(IRG.Route): _CONTROLLED,
    _c(IRG.EvidenceLine): ("#ad494a", "diamond"),
}
DEFAULT_STYLE = ("#c7c7c7", "dot")
#: the layout's columns, left to right (other classes go last)
COLUMNS = {
    _c(IRG.Approach): 0,
    _c(IRG.Mechanism): 1,
    _c(IRG.Intervention): 2,
    _c(IRG.CombinationIntervention): 2,
    _c(IRG.ClinicalStudy): 3,
    _c(IRG.Finding): 4,
    _c(IRG.Claim): 5,
    _c(IRG.BiologicalFact): 6,
    _c(IRG.ClinicalThreshold): 6,
    _c(IRG.Endpoint): 7,
    _c(IRG.TrialPhase): 8,
    _c(IRG.BiologicalEntity): 9,
    _c(IRG.Organization): 10,
    _c(IRG.Source): 11,
    _c(IRG.EvidenceLine): 12,
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
    _c(IRG.Intervention): 22,
    _c(IRG.CombinationIntervention): 20,
    _c(IRG.Approach): 17,
    _c(IRG.Claim): 15,
    _c(IRG.BiologicalEntity): 15,
    _c(IRG.ClinicalStudy): 15,
    _c(IRG.Finding): 13,
    _c(IRG.Mechanism): 13,
}
#: the order of classes in the legend (others follow, sorted)
CLASS_ORDER = tuple(
    _c(term)
    for term in (
        IRG.Intervention, IRG.CombinationIntervention, IRG.Approach, IRG.Mechanism, IRG.BiologicalEntity,
        IRG.ClinicalStudy, IRG.Finding, IRG.Claim, IRG.BiologicalFact, IRG.ClinicalThreshold, IRG.Organization,
        IRG.Source, IRG.Endpoint, IRG.TrialPhase,
    )
)


def _label_width(cls: str) -> float:
    """The widest a node's label is drawn (the page wraps labels at this width)."""
    return 170.0 if _inside(cls) else 150.0


#: the main columns (approaches to claims): their labels must be readable at first sight
MAIN_COLUMNS = 5


def readable_scale(classes) -> float:
    """The canvas scale at which the smallest label of the main columns' ``classes`` is :data:`READABLE_PX` on screen.

    Classes outside the main columns count only when none is in them.

    >>> round(readable_scale(["irg:Finding", "irg:Intervention", "irg:Source"]), 3)
    0.865
    """
    classes = set(classes)
    main = {c for c in classes if COLUMNS.get(c, MAIN_COLUMNS + 1) <= MAIN_COLUMNS} or classes
    return READABLE_PX / min((FONT_SIZE.get(c, 12) for c in main), default=12)


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


def _class_rank(cls: str) -> tuple:
    return (cls not in CLASS_ORDER, CLASS_ORDER.index(cls) if cls in CLASS_ORDER else 0, cls)


class _Columns:
    """The state of one layout: the columns, their sizes and each node's height and place."""

    def __init__(self, network: nx.MultiDiGraph, classes: dict[str, str], labels: dict[str, str],
                 core: set[str]) -> None:
        self.classes = classes
        self.core = core
        self.simple = nx.Graph()
        self.simple.add_nodes_from(sorted(network.nodes))
        self.simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
        last = max(COLUMNS.values()) + 1
        self.column_of = {n: COLUMNS.get(classes[n], last) for n in self.simple.nodes}
        self.columns: dict[int, list[str]] = {}
        for node in sorted(self.simple.nodes):
            self.columns.setdefault(self.column_of[node], []).append(node)
        self.order = sorted(self.columns)
        self.height = {n: _label_height(labels[n], classes[n]) for n in self.simple.nodes}
        self.width = {c: max(_label_width(classes[n]) for n in self.columns[c]) for c in self.order}
        self.shown_columns = [c for c in self.order if self.split(c)[0]]
        self.y_of: dict[str, float] = {}
        self.place: dict[str, int] = {}
        self.subcolumns: dict[int, int] = {}
        shown_classes = {classes[n] for c in self.shown_columns for n in self.split(c)[0]}
        self.readable = readable_scale(shown_classes)
        self.tall = False

    def split(self, column: int) -> tuple[list[str], list[str]]:
        """The column's core nodes (shown first on a whole-graph page), then the others."""
        nodes = self.columns[column]
        return [n for n in nodes if n in self.core], [n for n in nodes if n not in self.core]

    def bands_of(self, cut: int) -> list[list[int]]:
        shown = self.shown_columns
        return [shown[:cut], shown[cut:]] if 0 < cut < len(shown) else [shown]

    def drawn_size(self, per: int, cut: int) -> float:
        """How large the first view can be drawn with at most ``per`` rows a column, in one or two bands."""
        total_width, total_height = self.extent(per, cut)
        return min(VIEW[0] / max(total_width, 1.0), VIEW[1] / max(total_height, 1.0))

    def extent(self, per: int, cut: int) -> tuple[float, float]:
        """The width and height of the first view with at most ``per`` rows a column, in canvas units."""
        total_width = total_height = 0.0
        for band in self.bands_of(cut):
            band_width, band_height = -GROUP_GAP, 0.0
            for column in band:
                shown, _ = self.split(column)
                count = math.ceil(len(shown) / per)
                band_width += count * (self.width[column] + COLUMN_GAP) + GROUP_GAP
                band_height = max(band_height, sum(self.height[n] for n in shown) / count)
            total_width = max(total_width, band_width)
            total_height += band_height + BAND_GAP
        return total_width, total_height - BAND_GAP

    def choose_rows(self) -> int:
        """Set how many sub-columns each column fills; return where the first band ends."""
        tallest = max((len(self.split(c)[0]) or len(self.columns[c]) for c in self.order), default=1)
        cut = len(self.shown_columns)
        size = self.drawn_size
        one = (1, cut)
        if len(self.simple) <= TALL_LIMIT:
            one = max(((k, cut) for k in range(1, tallest + 1)), key=lambda kc: (round(size(*kc), 3), kc[0]))
            # too large to read whole: as wide as the view at the readable scale, as short as that allows
            wide = [k for k in range(1, tallest + 1) if self.extent(k, cut)[0] * self.readable <= VIEW[0]]
            self.tall = size(*one) < self.readable and bool(wide)
        if self.tall:
            rows = min(wide, key=lambda k: (self.extent(k, cut)[1], -k))
        elif len(self.simple) <= LAYOUT_CORE:
            # one band reads left to right; two bands only when that draws the picture much larger
            two = max(((k, c) for k in range(1, tallest + 1) for c in range(1, len(self.shown_columns))),
                      key=lambda kc: (round(size(*kc), 3), kc[1], kc[0]), default=one)
            crowded = size(*one) < CROWDED_SCALE
            rows, cut = two if crowded and size(*two) > BANDS_WORTH_IT * size(*one) else one
        else:  # large graphs: about 3:2 overall
            rows = max(30, int(math.sqrt(len(self.simple) * 6)))
        self.subcolumns = {c: max(1, math.ceil((len(self.split(c)[0]) or len(self.columns[c])) / rows))
                           for c in self.order}
        return cut

    def stack(self, column: int) -> None:
        """Fill the column's sub-columns row by row: core nodes centred, the others below."""
        shown, rest = self.split(column)
        count = self.subcolumns[column]
        core_rows = _rows(shown, count)
        y = -sum(max(self.height[n] for n in row) for row in core_rows) / 2
        for row in core_rows + _rows(rest, count):
            tall = max(self.height[n] for n in row)
            for index, node in enumerate(row):
                # a box holds its label; other shapes carry it below, so the shape sits at the top
                self.y_of[node] = y + (self.height[node] / 2 if _inside(self.classes[node]) else 16)
                self.place[node] = index
            y += tall

    def sweep(self, column: int, graph: nx.Graph, part: int) -> None:
        """Order one part of a column (0: core, 1: the rest) by the mean height of each node's neighbours."""
        parts = list(self.split(column))
        keyed = []
        for node in parts[part]:
            around = ([self.y_of[m] for m in graph.neighbors(node) if self.column_of[m] != column]
                      if node in graph else [])
            keyed.append((sum(around) / len(around) if around else self.y_of[node], self.y_of[node], node))
        parts[part] = [node for _, _, node in sorted(keyed)]
        self.columns[column] = parts[0] + parts[1]
        self.stack(column)

    def order_columns(self, start: dict[str, float] | None) -> None:
        """First heights (``start``, else a seeded spring layout of the core), then barycentre sweeps."""
        # built node by node in sorted order: a networkx subgraph view may iterate its nodes in set
        # order, which would make the seeded spring layout depend on the hash seed
        core_graph = nx.Graph()
        core_graph.add_nodes_from(sorted(n for n in self.simple.nodes if n in self.core))
        core_graph.add_edges_from(sorted((u, v) for u, v in self.simple.edges() if u in self.core and v in self.core))
        if start is None and 0 < len(core_graph) <= LAYOUT_CORE:  # small graphs only: it costs N^2
            raw = nx.spring_layout(core_graph, seed=LAYOUT_SEED, iterations=100)
            start = {n: float(y) for n, (_, y) in raw.items()}
        first = start or {}
        for column in self.order:
            shown, rest = self.split(column)
            self.columns[column] = sorted(shown, key=lambda n: (first.get(n, 0.0), n)) + rest
            self.stack(column)
        for turn in range(8):
            for column in self.order if turn % 2 == 0 else list(reversed(self.order)):
                self.sweep(column, core_graph, 0)
        for _ in range(2):  # the nodes shown later follow their neighbours
            for column in self.order:
                self.sweep(column, self.simple, 1)

    def spread(self) -> None:
        """In a tall layout, spread each shorter column's rows (in their order) evenly over the tallest one's height.

        The tallest column stays packed; the others run from its top to its
        bottom instead of sitting as a short block in its middle, so the top
        of the page shows the top of every column.
        """
        heights = {c: self.core_height(c) for c in self.order}
        half = max(heights.values(), default=0.0) / 2
        for column in self.order:
            shown, rest = self.split(column)
            rows = _rows(shown, self.subcolumns[column])
            if not rows or heights[column] >= 2 * half:
                continue
            sizes = [max(self.height[n] for n in row) for row in rows]
            gap = (2 * half - sum(sizes)) / (len(rows) - 1) if len(rows) > 1 else 0.0
            top = -half
            for row, size in zip(rows, sizes, strict=True):
                for node in row:
                    self.y_of[node] = top + (self.height[node] / 2 if _inside(self.classes[node]) else 16)
                top += size + gap
            y = half
            for row in _rows(rest, self.subcolumns[column]):  # the nodes shown later stay below
                for node in row:
                    self.y_of[node] = y + (self.height[node] / 2 if _inside(self.classes[node]) else 16)
                y += max(self.height[n] for n in row)

    def core_height(self, column: int) -> float:
        return sum(max(self.height[n] for n in row) for row in _rows(self.split(column)[0], self.subcolumns[column]))

    def positions(self, cut: int) -> tuple[dict[str, tuple[float, float]], list[dict]]:
        """Each node's position and each column's heading, band by band."""
        positions: dict[str, tuple[float, float]] = {}
        headings = []
        bands = self.bands_of(cut)
        hidden_columns = [c for c in self.order if c not in self.shown_columns]
        bands[-1] = bands[-1] + hidden_columns  # hidden columns after the shown ones: they leave no gaps
        shift = 0.0
        for number, band in enumerate(bands):
            core_heights = [sum(max(self.height[n] for n in row) for row in _rows(self.split(c)[0], self.subcolumns[c]))
                            for c in band]
            band_height = max(core_heights, default=0.0)
            if number:
                shift += band_height / 2
            x = 0.0
            for column in band:
                step = self.width[column] + COLUMN_GAP
                for node in self.columns[column]:
                    positions[node] = (x + self.place[node] * step, self.y_of[node] + shift)
                kinds = sorted({self.classes[n] for n in self.columns[column]}, key=_class_rank)
                headings.append({"column": column, "x": round(x + (self.subcolumns[column] - 1) * step / 2, 1),
                                 "classes": kinds, "band": number, "y": round(shift - band_height / 2 - 30, 1)})
                x += self.subcolumns[column] * step + GROUP_GAP
            shift += band_height / 2 + BAND_GAP
        rounded = {node: (round(px, 1), round(py, 1)) for node, (px, py) in positions.items()}
        return rounded, headings


def layout(
    network: nx.MultiDiGraph,
    classes: dict[str, str],
    labels: dict[str, str],
    core: set[str],
    start: dict[str, float] | None = None,
) -> tuple[dict[str, tuple[float, float]], list[dict], dict[str, int]]:
    """Positions in columns by class (see the module docstring).

    ``core`` are the nodes a whole-graph page shows first: they set the
    order, and the other nodes follow their neighbours, below them.
    Returns the positions, the column headings (column, x, band) and each
    node's column. ``start`` gives first heights instead of the spring
    layout (a part of a laid-out graph keeps its order).
    """
    columns = _Columns(network, classes, labels, core)
    cut = columns.choose_rows()
    columns.order_columns(start)
    if columns.tall:
        columns.spread()
    positions, headings = columns.positions(cut)
    return positions, headings, columns.column_of
