"""Forest plots: every finding with an effect estimate and its interval, labelled from the graph.

A row per finding: the finding, its study (design and N), the comparison
(which group over, or minus, which), the estimate and interval as the
source prints them (STALWART's hazard ratio 5.84, CI 0.59 to 43.57, is
drawn as printed), the interval's level when it is not 95%, and the source's
short citation. Ratios (hazard ratio, relative risk, odds ratio) share a
panel on a log axis with the null line at 1; risk differences and mean
differences (one panel per unit) have panels of their own with the null
line at 0, so scales are never mixed. For a claim, each row is marked by the
direction of its evidence line (supports, contradicts, qualifies). The
footnote says that irgraph is a research and education tool, not medical
advice, and which irgraph drew it.

matplotlib draws it with its Agg (PNG) and SVG backends, never a GUI, and
is imported only when a plot is drawn. SVG output is deterministic (a fixed
``svg.hashsalt``, no date in the metadata), keeps text as text
(``svg.fonttype`` none, escaped by matplotlib's writer), reads ``$`` as a
dollar sign rather than mathematics, and gives each row a ``<title>`` with
its full text (a tooltip; wrapped labels stay searchable). :func:`sanitize_svg`
makes the copy the explorer inlines: an allow-list of SVG elements and
attributes, ids prefixed, no script, style sheet, metadata or link out of
the picture.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef

from . import formats
from .claims import ClaimEntry, Estimate, claim_ledger, estimate_of, studies_of
from .errors import UsageError
from .namespaces import compact
from .query import DEFAULT_TIMEOUT, WHOLE_ANSWER, run_saved_query
from .resources import package_version
from .terms import resolve
from .vocab import IRG, PROV, RDF, label_of
from .writes import checked_output_file, write_atomic

__all__ = ["DEFAULT_WIDTH", "DrawnPlot", "ForestPlot", "ForestRow", "explorer_svg", "forest_figure", "forest_plot",
           "forest_rows", "plot_of_entry", "sanitize_svg", "save_forest_plot", "to_png", "to_svg"]

DEFAULT_WIDTH = 1600
MIN_WIDTH = 800
#: pixels per inch: sizes are given in pixels, and a PNG is drawn at this resolution
DPI = 100
#: matplotlib settings for every plot: text stays text, "$" is a dollar sign, SVG ids do not change between runs;
#: DejaVu Sans ships with matplotlib, so every machine measures and draws the same glyphs
RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "irgraph-forest",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
    "axes.unicode_minus": True,
}
#: direction of an evidence line -> colour and marker (the shape tells them apart without colour)
DIRECTION_STYLE = {"supports": ("#2e7d32", "o"), "contradicts": ("#c62828", "s"), "qualifies": ("#a35f00", "D")}
NEUTRAL_STYLE = ("#1f4e79", "o")
_INK, _GREY, _RULE, _BAND, _WARN = "#1b1b1b", "#4d4d4d", "#444444", "#eef1f5", "#8a1c1c"
#: font sizes (points) of the plot's parts, and the line height as a multiple of the size
_TITLE, _SUBTITLE, _HEAD, _LABEL, _DETAIL, _NOTE = 17.0, 12.0, 12.5, 11.5, 10.0, 9.5
_LEADING = 1.3
_MARGIN, _PAD, _PANEL_GAP = 24.0, 9.0, 26.0
_USUAL_LEVEL = Decimal("0.95")
_RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)


@dataclass(frozen=True)
class ForestRow:
    """One finding drawn: its labels (all from the graph), estimate, source and, for a claim, direction."""

    finding: str
    label: str
    study: str
    estimate: Estimate
    source: str
    intervention: str = ""
    direction: str = ""
    strength: str = ""

    @property
    def panel(self) -> tuple[str, str]:
        """Its panel: ``("ratio", "ratio")``, or ``("difference", "risk difference")``, ``("difference", "mean difference (UNIT)")``."""
        if self.estimate.scale == "ratio":
            return ("ratio", "ratio")
        return ("difference", self.estimate.label + (f" ({self.estimate.unit})" if self.estimate.unit else ""))

    def summary(self) -> str:
        """The row in one line (its tooltip in the SVG)."""
        direction = f"{self.direction} ({self.strength}): " if self.direction else ""
        return f"{direction}{self.label} — {self.study} — {self.estimate.to_text()} — {self.source}"


@dataclass
class ForestPlot:
    """What a forest plot shows: title, rows and notes; :func:`forest_figure` draws it."""

    title: str
    subtitle: str
    rows: list[ForestRow]
    #: findings of the selection with an estimate that cannot be drawn (no interval printed), named in the footnote
    not_drawn: list[str] = field(default_factory=list)
    by_direction: bool = False
    version: str = ""

    def panels(self) -> list[tuple[tuple[str, str], list[ForestRow]]]:
        """The rows by panel: ratios first, then each kind of difference by name."""
        found: dict[tuple[str, str], list[ForestRow]] = {}
        for row in self.rows:
            found.setdefault(row.panel, []).append(row)
        return sorted(found.items(), key=lambda item: (item[0][0] != "ratio", item[0][1]))


# --- what to draw ---------------------------------------------------------------------

def _narrower_interventions(graph: Graph, intervention) -> set[str]:
    """The intervention and every intervention under it by irg:broaderIntervention."""
    found, stack = {str(intervention)}, [intervention]
    while stack:
        for narrower in graph.subjects(IRG.broaderIntervention, stack.pop()):
            if str(narrower) not in found:
                found.add(str(narrower))
                stack.append(narrower)
    return found


def _selected_intervention(graph: Graph, term: str) -> tuple[set[str], str]:
    node = resolve(graph, term)
    if not {IRG.Intervention, IRG.CombinationIntervention} & set(graph.objects(node, RDF.type)):
        raise UsageError(f"--intervention {term}: {compact(str(node))} is not an intervention")
    return _narrower_interventions(graph, node), label_of(graph, node, compact(str(node)))


def _candidates(graph: Graph, entry: ClaimEntry | None, timeout: float | None) -> list[tuple[Any, str, str, str]]:
    """(finding, source label, direction, strength) for every finding with an estimate the selection starts from."""
    if entry is not None:
        return [(URIRef(line.item), line.sources[0].label if line.sources else "", line.direction, line.strength)
                for line in entry.lines if line.later and line.estimate is not None]
    seen: dict[str, tuple[Any, str, str, str]] = {}
    for row in run_saved_query(graph, "effect-estimates", timeout=timeout, limits=WHOLE_ANSWER):
        seen.setdefault(str(row["finding"]), (row["finding"], str(row.get("sourceLabel", "")), "", ""))
    return list(seen.values())


def _row(graph: Graph, finding, estimate: Estimate, source: str, direction: str, strength: str) -> ForestRow:
    own = [str(s) for s in graph.objects(finding, PROV.wasDerivedFrom)]
    study = "; ".join(s.to_text(own) for s in studies_of(graph, finding)) or "study not recorded"
    about = sorted(label_of(graph, i, compact(str(i))) for i in graph.objects(finding, IRG.aboutIntervention))
    return ForestRow(str(finding), label_of(graph, finding, compact(str(finding))), study, estimate, source,
                     ", ".join(about), direction, strength)


def _titles(entry: ClaimEntry | None, intervention: str) -> tuple[str, str]:
    only = f" About {intervention} (and narrower interventions) only." if intervention else ""
    if entry is not None:
        certainty = f"; certainty {entry.certainty.to_text()}" if entry.certainty else ""
        return f"Later findings on: {entry.label}", f"Claim ledger: {entry.status}{certainty}.{only}"
    if intervention:
        return f"Findings about {intervention}", f"Every finding with an effect estimate and an interval.{only}"
    return "Every finding with an effect estimate", "Each estimate and interval as its source prints it."


def plot_of_entry(graph: Graph, entry: ClaimEntry | None, *, intervention: str | None = None, title: str | None = None,
                  timeout: float | None = DEFAULT_TIMEOUT) -> ForestPlot | None:
    """The rows for a ledger entry (``None``: every finding), narrowed to ``intervention``; None when nothing can be drawn."""
    wanted, intervention_label = _selected_intervention(graph, intervention) if intervention is not None else (None, "")
    rows, not_drawn = [], set()
    for finding, source, direction, strength in _candidates(graph, entry, timeout):
        if wanted is not None and not {str(i) for i in graph.objects(finding, IRG.aboutIntervention)} & wanted:
            continue
        estimate = estimate_of(graph, finding)
        if estimate is None:
            continue
        positive = estimate.scale != "ratio" or (estimate.ci_lower is not None and min(estimate.value, estimate.ci_lower) > 0)
        if estimate.has_interval and positive:
            rows.append(_row(graph, finding, estimate, source, direction, strength))
        else:
            not_drawn.add(label_of(graph, finding, compact(str(finding))))
    if not rows:
        return None
    order = {d: i for i, d in enumerate(DIRECTION_STYLE)}
    rows.sort(key=lambda r: (order.get(r.direction, 0), r.intervention.lower(), r.study.lower(), r.label.lower(), r.finding))
    heading, subtitle = _titles(entry, intervention_label)
    return ForestPlot(title or heading, subtitle, rows, sorted(not_drawn), entry is not None, package_version())


def forest_rows(graph: Graph, *, claim: str | None = None, intervention: str | None = None, title: str | None = None,
                timeout: float | None = DEFAULT_TIMEOUT) -> ForestPlot:
    """What to draw: every finding with an estimate and interval; with ``claim``, the findings whose evidence lines
    bear on it (by direction); with ``intervention``, those about it or an intervention under it; or both.

    Terms are labels, synonyms, compact names or IRIs. Raises
    :class:`~irgraph.errors.UsageError` for an unknown claim or intervention
    and for a selection with no estimate and interval to draw.

    >>> from irgraph import load_graph
    >>> plot = forest_rows(load_graph(), claim="ir:claim-il2-cd4-gains-restore-immunity")
    >>> sorted({row.direction for row in plot.rows}), plot.rows[0].estimate.abbreviation
    (['contradicts'], 'HR')
    """
    entry = claim_ledger(graph, claim, timeout=timeout).entries[0] if claim is not None else None
    plot = plot_of_entry(graph, entry, intervention=intervention, title=title, timeout=timeout)
    if plot is None:
        asked = " and ".join(x for x in (claim and f"--claim {claim}", intervention and f"--intervention {intervention}") if x)
        raise UsageError(f"nothing to draw: no finding {'for ' + asked + ' ' if asked else ''}has an effect estimate with an "
                         "interval ('irgraph claims' lists the findings on each claim; "
                         "'irgraph query --name effect-estimates' every estimate)")
    return plot


# --- drawing ----------------------------------------------------------------------------

def _px(points: float) -> float:
    return points * DPI / 72


@contextmanager
def _settings() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(cast(Any, RC)):  # matplotlib types its keys as literals
        yield


class _Measure:
    """Text widths in pixels as matplotlib draws them, and greedy word wrapping by width.

    Each word is measured once (matplotlib's text layout costs about half a
    millisecond a call); a line is its words and the spaces between them.
    """

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        self.renderer = RendererAgg(16, 16, DPI)
        self._props: dict[tuple[float, str], Any] = {}
        self._words: dict[tuple[str, float, str], float] = {}

    def _word(self, word: str, size: float, weight: str) -> float:
        key = (word, size, weight)
        if key not in self._words:
            from matplotlib.font_manager import FontProperties

            prop = self._props.setdefault((size, weight), FontProperties(family="sans-serif", size=size, weight=weight))
            self._words[key] = float(self.renderer.get_text_width_height_descent(word, prop, ismath=False)[0])
        return self._words[key]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        words = text.split(" ")
        return sum(self._word(w, size, weight) for w in words if w) + (len(words) - 1) * self._word("x x", size, weight) \
            - (len(words) - 1) * 2 * self._word("x", size, weight)

    def wrap(self, text: str, size: float, width: float, weight: str = "normal") -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            while self.width(word, size, weight) > width:  # a word wider than the column is broken where it must be
                cut = max(1, next((n for n in range(len(word), 0, -1) if self.width(word[:n], size, weight) <= width), 1))
                if current:
                    lines.append(current)
                    current = ""
                lines.append(word[:cut])
                word = word[cut:]
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, size, weight) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current] if current else lines or [""]


@cache
def _measure() -> _Measure:
    return _Measure()


@dataclass
class _Block:
    """Lines of one size, weight and colour, drawn one under the other."""

    lines: list[str]
    size: float
    weight: str = "normal"
    colour: str = _INK
    style: str = "normal"

    @property
    def height(self) -> float:
        return len(self.lines) * _px(self.size) * _LEADING


def _stack_height(blocks: list[_Block]) -> float:
    return sum(b.height for b in blocks)


@dataclass
class _Columns:
    """Where each column of a row starts and how wide it is, in pixels."""

    width: float

    def __post_init__(self) -> None:
        w = self.width
        self.text = (_MARGIN, 0.385 * w)
        self.plot = (_MARGIN + 0.40 * w, 0.245 * w)
        self.estimate = (self.plot[0] + self.plot[1] + 0.02 * w, 0.125 * w)
        start = self.estimate[0] + self.estimate[1] + 0.012 * w
        self.source = (start, w - _MARGIN - start)


def _cells(plot: ForestPlot, row: ForestRow, cols: _Columns, m: _Measure) -> tuple[list[_Block], list[_Block], list[_Block]]:
    """The text of a row's three text columns: finding, study and comparison; estimate; source."""
    est = row.estimate
    comparison = f"{est.abbreviation}: {est.comparison}" if est.comparison else est.label
    text = [_Block(m.wrap(row.label, _LABEL, cols.text[1], "bold"), _LABEL, "bold"),
            _Block(m.wrap(row.study, _DETAIL, cols.text[1]), _DETAIL, colour=_GREY),
            _Block(m.wrap(comparison, _DETAIL, cols.text[1]), _DETAIL, colour=_GREY, style="italic")]
    bounds = f"{_minus(est.ci_lower)} to {_minus(est.ci_upper)}"
    estimate = [_Block(m.wrap(est.value_text(), _LABEL, cols.estimate[1], "bold"), _LABEL, "bold"),
                _Block(m.wrap(f"({bounds})", _DETAIL, cols.estimate[1]), _DETAIL, colour=_INK)]
    if est.ci_level != _USUAL_LEVEL:
        note = "CI level not stated" if est.ci_level is None else est.level_text()
        estimate.append(_Block(m.wrap(note, _DETAIL, cols.estimate[1], "bold"), _DETAIL, "bold", _WARN))
    if plot.by_direction and row.direction:
        colour = DIRECTION_STYLE.get(row.direction, NEUTRAL_STYLE)[0]
        said = row.direction + (f" ({row.strength})" if row.strength else "")
        estimate.append(_Block(m.wrap(said, _DETAIL, cols.estimate[1], "bold"), _DETAIL, "bold", colour))
    source = [_Block(m.wrap(row.source, _DETAIL, cols.source[1]), _DETAIL, colour=_GREY)]
    return text, estimate, source


def _minus(value) -> str:
    text = str(value)
    return "\u2212" + text[1:] if text.startswith("-") else text


class _Canvas:
    """A figure addressed in pixels from the top left, and the row tooltips for the SVG."""

    def __init__(self, width: float, height: float) -> None:
        from matplotlib.figure import Figure

        self.width, self.height = width, height
        self.figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.titles: dict[str, str] = {}

    def x(self, px: float) -> float:
        return px / self.width

    def y(self, px: float) -> float:
        return 1 - px / self.height

    def blocks(self, x: float, top: float, blocks: list[_Block]) -> None:
        for block in blocks:
            step = _px(block.size) * _LEADING
            for line in block.lines:
                self.figure.text(self.x(x), self.y(top + step / 2), line, fontsize=block.size, fontweight=block.weight,
                                 fontstyle=block.style, color=block.colour, va="center", ha="left")
                top += step

    def band(self, top: float, height: float) -> None:
        from matplotlib.patches import Rectangle

        self.figure.add_artist(Rectangle((self.x(_MARGIN / 2), self.y(top + height)), self.x(self.width - _MARGIN),
                                         height / self.height, transform=self.figure.transFigure, facecolor=_BAND,
                                         edgecolor="none", zorder=-2))


def _limits(panel_kind: str, rows: list[ForestRow]) -> tuple[float, float]:
    values = [float(v) for r in rows for v in (r.estimate.ci_lower, r.estimate.ci_upper, r.estimate.value) if v is not None]
    if panel_kind == "ratio":
        low, high = min([*values, 1.0]), max([*values, 1.0])
        return low / 1.35, high * 1.35
    low, high = min([*values, 0.0]), max([*values, 0.0])
    pad = (high - low) * 0.08 or 1.0
    return low - pad, high + pad


def _draw_axis(canvas: _Canvas, cols: _Columns, panel: _Panel, centres: list[tuple[ForestRow, float]], plot: ForestPlot) -> None:
    """The panel's axis over its rows: the null line, each interval and estimate, ticks and the wrapped label."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

    top, bottom = panel.rows_top, panel.rows_top + sum(panel.heights)
    ax = canvas.figure.add_axes((canvas.x(cols.plot[0]), canvas.y(bottom), canvas.x(cols.plot[1]), (bottom - top) / canvas.height))
    ax.set_facecolor("none")
    ax.set_ylim(bottom - top, 0)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ratio = panel.key[0] == "ratio"
    low, high = _limits(panel.key[0], [r for r, _ in centres])
    if ratio:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([t for t in _RATIO_TICKS if low <= t <= high]))
        ax.xaxis.set_minor_locator(NullLocator())
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}".replace("-", "\u2212")))
    ax.set_xlim(low, high)
    ax.tick_params(axis="x", labelsize=_DETAIL, colors=_GREY)
    ax.axvline(1.0 if ratio else 0.0, color=_RULE, linewidth=1.2, linestyle=(0, (4, 3)), zorder=1, gid=f"null-line-{panel.index}")
    ax.set_xlabel("\n".join(panel.axis_label), fontsize=_DETAIL, color=_GREY, labelpad=6, linespacing=_LEADING)
    for number, (row, centre) in enumerate(centres):
        colour, marker = DIRECTION_STYLE.get(row.direction, NEUTRAL_STYLE) if plot.by_direction else NEUTRAL_STYLE
        gid = f"row-{panel.index}-{number}"
        est = row.estimate
        ax.plot([float(est.ci_lower or 0), float(est.ci_upper or 0)], [centre - top, centre - top], color=colour, linewidth=2.2,
                solid_capstyle="butt", zorder=3, gid=gid)
        ax.plot([float(est.value)], [centre - top], marker=marker, markersize=8.5, color=colour, markeredgecolor="white",
                markeredgewidth=0.8, zorder=4, gid=f"{gid}-estimate")
        canvas.titles[gid] = row.summary()


def _panel_heading(key: tuple[str, str], rows: list[ForestRow]) -> str:
    if key[0] == "ratio":
        measures = sorted({r.estimate.label for r in rows})
        return "Ratios: " + ", ".join(measures) + " (log scale, null line at 1)"
    return key[1][0].upper() + key[1][1:] + " (null line at 0)"


def _footnote(plot: ForestPlot) -> list[str]:
    notes = [f"irgraph is a research and education tool, not medical advice; source: irgraph {plot.version}.",
             "Each estimate and interval as its source prints it, never mended; intervals are 95% unless the row says "
             "otherwise. The findings are not pooled: this is not a meta-analysis."]
    if plot.not_drawn:
        notes.append("Not drawn, no interval printed: " + "; ".join(plot.not_drawn) + ".")
    return notes


@dataclass
class DrawnPlot:
    """A drawn forest plot: the matplotlib figure, its title, and each row's one-line text (for the SVG's tooltips)."""

    figure: Any
    title: str
    titles: dict[str, str]
    version: str


@dataclass
class _Panel:
    """One panel laid out: its rows' cells and heights, the axis label's lines, and (once placed) where its rows start."""

    index: int
    key: tuple[str, str]
    cells: list[tuple[ForestRow, tuple[list[_Block], list[_Block], list[_Block]]]]
    heights: list[float]
    axis_label: list[str]
    rows_top: float = 0.0

    @property
    def axis_space(self) -> float:
        """Below the rows: tick labels, then the axis label."""
        return 30.0 + len(self.axis_label) * _px(_DETAIL) * _LEADING

    @property
    def height(self) -> float:
        return _px(_HEAD) * _LEADING + _px(_DETAIL) * _LEADING + sum(self.heights) + self.axis_space + _PANEL_GAP


def _layout(plot: ForestPlot, width: float, m: _Measure) -> tuple[list[_Block], list[_Panel], list[_Block], float]:
    """The header, each panel laid out, the footnote, and the height all of it needs."""
    cols = _Columns(width)
    full = width - 2 * _MARGIN
    header = [_Block(m.wrap(plot.title, _TITLE, full, "bold"), _TITLE, "bold"),
              _Block(m.wrap(plot.subtitle, _SUBTITLE, full), _SUBTITLE, colour=_GREY)]
    panels = []
    for index, (key, rows) in enumerate(plot.panels()):
        cells = [(row, _cells(plot, row, cols, m)) for row in rows]
        heights = [max(_stack_height(c) for c in blocks) + 2 * _PAD for _, blocks in cells]
        what = "ratio (log scale)" if key[0] == "ratio" else key[1]
        label = [*m.wrap(f"{what}; null line at {1 if key[0] == 'ratio' else 0}", _DETAIL, cols.plot[1]),
                 *m.wrap("\u2190 lower in the first group of the comparison · higher \u2192", _DETAIL, cols.plot[1])]
        panels.append(_Panel(index, key, cells, heights, label))
    footnote = [_Block(m.wrap(note, _NOTE, full), _NOTE, colour=_GREY) for note in _footnote(plot)]
    height = _MARGIN + _stack_height(header) + _legend_space(plot) + sum(p.height for p in panels)
    return header, panels, footnote, height + _stack_height(footnote) + _MARGIN


def _legend_space(plot: ForestPlot) -> float:
    return 40.0 if plot.by_direction else 10.0


def _legend(canvas: _Canvas, plot: ForestPlot, top: float) -> None:
    from matplotlib.lines import Line2D

    present = [d for d in DIRECTION_STYLE if any(r.direction == d for r in plot.rows)]
    handles = [Line2D([], [], color=DIRECTION_STYLE[d][0], marker=DIRECTION_STYLE[d][1], linewidth=2.2, markersize=8)
               for d in present]
    canvas.figure.legend(handles, [f"{d} the claim" for d in present], loc="upper left", ncol=len(present) or 1,
                         bbox_to_anchor=(canvas.x(_MARGIN - 8), canvas.y(top)), frameon=False, fontsize=_DETAIL)


def _draw_panel(canvas: _Canvas, cols: _Columns, panel: _Panel, top: float, plot: ForestPlot) -> float:
    """Draw one panel from ``top``; returns where the next one starts."""
    canvas.blocks(_MARGIN, top, [_Block([_panel_heading(panel.key, [r for r, _ in panel.cells])], _HEAD, "bold")])
    top += _px(_HEAD) * _LEADING
    for x, text in ((cols.text[0], "Finding · study (design, N) · comparison"), (cols.estimate[0], "Estimate"),
                    (cols.source[0], "Source")):
        canvas.blocks(x, top, [_Block([text], _DETAIL, colour=_GREY)])
    top += _px(_DETAIL) * _LEADING
    panel.rows_top = top
    centres = []
    for number, ((row, blocks), row_height) in enumerate(zip(panel.cells, panel.heights, strict=True)):
        if number % 2 == 0:
            canvas.band(top, row_height)
        centre = top + row_height / 2
        for x, stack in zip((cols.text[0], cols.estimate[0], cols.source[0]), blocks, strict=True):
            canvas.blocks(x, centre - _stack_height(stack) / 2, stack)
        centres.append((row, centre))
        top += row_height
    _draw_axis(canvas, cols, panel, centres, plot)
    return top + panel.axis_space + _PANEL_GAP


def forest_figure(plot: ForestPlot, *, width: int = DEFAULT_WIDTH, height: int | None = None) -> DrawnPlot:
    """Draw ``plot`` ``width`` pixels wide; ``height`` defaults to what the rows need (a smaller one is a UsageError).

    Every label is wrapped to its column as matplotlib measures it, so none is clipped.
    """
    if width < MIN_WIDTH:
        raise UsageError(f"--width {width}: a forest plot needs at least {MIN_WIDTH} pixels to show its labels")
    with _settings():
        header, panels, footnote, needed = _layout(plot, float(width), _measure())
        if height is not None and height < math.ceil(needed):
            raise UsageError(f"--height {height}: this plot needs at least {math.ceil(needed)} pixels "
                             "(leave --height out to fit the rows)")
        canvas = _Canvas(float(width), float(height or math.ceil(needed)))
        cols = _Columns(float(width))
        canvas.blocks(_MARGIN, _MARGIN, header)
        top = _MARGIN + _stack_height(header)
        if plot.by_direction:
            _legend(canvas, plot, top + 4)
        top += _legend_space(plot)
        for panel in panels:
            top = _draw_panel(canvas, cols, panel, top, plot)
        canvas.blocks(_MARGIN, canvas.height - _MARGIN - _stack_height(footnote), footnote)
    return DrawnPlot(canvas.figure, plot.title, canvas.titles, plot.version)


# --- writing: the figure formats of irgraph.formats -----------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
for _prefix, _uri in (("", _SVG_NS), ("xlink", _XLINK_NS), ("dc", "http://purl.org/dc/elements/1.1/"),
                      ("cc", "http://creativecommons.org/ns#"), ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")):
    ET.register_namespace(_prefix, _uri)


def _with_titles(svg: bytes, titles: dict[str, str]) -> bytes:
    """matplotlib's SVG with a ``<title>`` (the row's whole text) first in each row's group."""
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{_SVG_NS}}}g"):
        text = titles.get(group.get("id", ""))
        if text is not None:
            title = ET.Element(f"{{{_SVG_NS}}}title")
            title.text = text
            group.insert(0, title)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def to_svg(drawn: DrawnPlot) -> bytes:
    """The plot as SVG: text as text, each row titled, and the same bytes for the same plot."""
    buffer = io.BytesIO()
    with _settings():
        drawn.figure.savefig(buffer, format="svg", dpi=DPI,
                             metadata={"Title": drawn.title, "Creator": f"irgraph {drawn.version}", "Date": None})
    return _with_titles(buffer.getvalue(), drawn.titles)


def to_png(drawn: DrawnPlot) -> bytes:
    """The plot as PNG, exactly the requested pixels (drawn at :data:`DPI`)."""
    buffer = io.BytesIO()
    with _settings():
        drawn.figure.savefig(buffer, format="png", dpi=DPI, metadata={"Title": drawn.title,
                                                                      "Software": f"irgraph {drawn.version}"})
    return buffer.getvalue()


def forest_plot(graph: Graph, *, claim: str | None = None, intervention: str | None = None, fmt: str = "svg",
                width: int = DEFAULT_WIDTH, height: int | None = None, title: str | None = None,
                timeout: float | None = DEFAULT_TIMEOUT) -> bytes:
    """The forest plot of ``graph`` (see :func:`forest_rows` for ``claim`` and ``intervention``) as SVG or PNG bytes.

    >>> from irgraph import load_graph
    >>> svg = forest_plot(load_graph(), intervention="IL-2")
    >>> b"STALWART" in svg and b"null-line-0" in svg and b"not medical advice" in svg
    True
    """
    writer = formats.for_kind(formats.FIGURE, fmt)
    plot = forest_rows(graph, claim=claim, intervention=intervention, title=title, timeout=timeout)
    return cast(bytes, writer.write(forest_figure(plot, width=width, height=height)))  # a figure writer gives bytes


def format_of(path: str | Path, fmt: str | None) -> str:
    """The figure format asked for, or the one ``path``'s suffix names (svg when it names none)."""
    if fmt is not None:
        return formats.for_kind(formats.FIGURE, fmt).name
    suffix = Path(path).suffix.lower()
    return next((f.name for f in formats.formats_for(formats.FIGURE) if f.suffix == suffix), "svg")


def save_forest_plot(graph: Graph, out: str | Path, *, fmt: str | None = None, follow_symlinks: bool = False,
                     **options) -> Path:
    """Write :func:`forest_plot` to ``out`` atomically (``fmt`` from the suffix when not given); ``options`` are
    those of :func:`forest_plot`. The path is checked before the work; on any error nothing is written."""
    checked_output_file(out, follow_symlinks=follow_symlinks)
    data = forest_plot(graph, fmt=format_of(out, fmt), **options)
    return write_atomic(out, data, follow_symlinks=follow_symlinks)


# --- the explorer's inline copy ---------------------------------------------------------

_ELEMENTS = {"svg", "g", "path", "defs", "clipPath", "use", "text", "tspan", "rect", "line", "polyline", "polygon",
             "circle", "ellipse", "title"}
_ATTRIBUTES = {"id", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "viewBox",
               "transform", "style", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
               "stroke-dasharray", "clip-path", "points", "opacity", "fill-opacity", "stroke-opacity", "version",
               "preserveAspectRatio", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
               f"{{{_XLINK_NS}}}href", "href"}
_LOCAL_URL = re.compile(r"url\(\s*#([A-Za-z0-9_.:-]+)\s*\)")
_UNSAFE_STYLE = re.compile(r"url\(|expression|javascript:|@import|\\|<|>", re.I)
_ID = re.compile(r"[A-Za-z0-9_.:-]+")


def _clean_attribute(name: str, value: str, prefix: str) -> str | None:
    """The attribute's value with ids prefixed, or None to drop it."""
    if name == "id":
        return prefix + value if _ID.fullmatch(value) else None
    if name in ("href", f"{{{_XLINK_NS}}}href"):
        return "#" + prefix + value[1:] if value.startswith("#") and _ID.fullmatch(value[1:]) else None
    value = _LOCAL_URL.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
    return None if _UNSAFE_STYLE.search(_LOCAL_URL.sub("", value)) else value


def _clean(element: ET.Element, prefix: str) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or child.tag.split("}")[-1] not in _ELEMENTS or not child.tag.startswith(f"{{{_SVG_NS}}}"):
            element.remove(child)
            continue
        _clean(child, prefix)
    for name, value in list(element.attrib.items()):
        cleaned = _clean_attribute(name, value, prefix) if name in _ATTRIBUTES else None
        if cleaned is None:
            del element.attrib[name]
        else:
            element.set(name, cleaned)


def sanitize_svg(svg: bytes | str, *, prefix: str = "forest-") -> str:
    """An SVG safe to put inside a page: only drawing elements and presentation attributes, every id prefixed
    with ``prefix`` (and the references to them), no size (the page sets it), and no script, style sheet,
    metadata, foreign content, comment or link to anything outside the picture.

    >>> sanitize_svg('<svg xmlns="http://www.w3.org/2000/svg" width="9" onload="x()"><script>x()</script>'
    ...              '<a href="https://example.org"><text>hi</text></a><text fill="url(https://e.org/x)">ok</text></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg"><text>ok</text></svg>'
    """
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise ValueError("not an SVG document")
    _clean(root, prefix)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    return ET.tostring(root, encoding="unicode")


def explorer_svg(graph: Graph, entry: ClaimEntry, *, prefix: str = "forest-", width: int = 1100) -> str | None:
    """The forest plot of a ledger entry as sanitized inline SVG for the explorer, or None when nothing can be drawn."""
    plot = plot_of_entry(graph, entry)
    if plot is None:
        return None
    return sanitize_svg(to_svg(forest_figure(plot, width=width)), prefix=prefix)
