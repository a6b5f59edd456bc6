"""The explorer: one self-contained HTML page of the graph that works offline.

The page embeds vis-network (the copy shipped inside the pyvis package), its
stylesheet, the page's own script and the graph as JSON; nothing is loaded
from the network. Every string from the data is escaped for the place it
lands: the data travels as JSON inside a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, the title goes through Jinja's
HTML autoescaping, and the page's script only ever sets ``textContent`` and
builds links with DOM APIs (http and https addresses only). A
Content-Security-Policy allows the two inline scripts by their hashes and
nothing else. A claim's forest plot is SVG drawn when the page is built
(:func:`irgraph.forest.explorer_svg`: matplotlib escapes its text, and an
allow-list keeps only drawing elements and attributes), in a ``<template>``
that the script clones into the details panel.

Three modules make the explorer: :mod:`irgraph.explorer_projection` (what
is drawn: :func:`explorer_data`), :mod:`irgraph.explorer_layout` (where:
columns by class, a fixed seed, nothing moves) and this one (the page, and
writing it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph

from .claims import Ledger
from .defaults import DEFAULT_TITLE
from .errors import IrgraphError, UsageError
from .explorer_layout import CLASS_STYLE, COLUMNS, FONT_SIZE
from .explorer_projection import (
    ATTRIBUTE_CLASSES,
    DEFAULT_DEPTH,
    HIDDEN_BY_DEFAULT,
    HIDDEN_CLASSES,
    HIDDEN_RELATIONS,
    LARGE_GRAPH,
    VERDICT_COLOURS,
    explorer_data,
    projection,
    web_link,
)
from .forest import explorer_svg
from .house import NOTICE, STANDALONE, TEMPLATE_GLOBALS, Navigation, stylesheet
from .load import load_data
from .store import DEFAULT_STORE
from .vocab import IR_URI
from .writes import checked_output_file, write_atomic

__all__ = [
    "ATTRIBUTE_CLASSES", "CLASS_STYLE", "COLUMNS", "DEFAULT_DEPTH", "DEFAULT_TITLE", "DISCLAIMER", "FONT_SIZE",
    "HIDDEN_BY_DEFAULT", "HIDDEN_CLASSES", "HIDDEN_RELATIONS", "LARGE_GRAPH", "VERDICT_COLOURS", "ExplorerPage",
    "explorer_data", "explorer_page", "save_explorer", "to_html", "web_link", "write_explorer",
]

VIS_NETWORK_VERSION = "9.1.2"
#: the notice every irgraph page carries (the house header's)
DISCLAIMER = NOTICE


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


def _forest_plots(graph: Graph, ledger: Ledger, data: dict) -> list[dict]:
    """The forest plot of each claim in the page that has findings to draw, as sanitized inline SVG.

    Each goes in a ``<template>`` whose id (``forest-N``, made here, never
    from the data) the claim's ledger record names; its ids are prefixed
    with it, so two plots in one page never share one.
    """
    entries = {entry.iri: entry for entry in ledger.entries}
    plots: list[dict] = []
    for node in data["nodes"]:
        record = node.get("ledger")
        if record is None or node["id"] not in entries:
            continue
        template = f"forest-{len(plots)}"
        svg = explorer_svg(graph, entries[node["id"]], prefix=f"{template}-")
        if svg is not None:
            record["forest"] = template
            plots.append({"id": template, "svg": svg})
    return plots


def checked_entity_pages(pattern: str | None) -> str | None:
    """``pattern`` (an address of entity pages with ``{slug}``) when the page may link to it; else a UsageError.

    Relative addresses (``id/{slug}.html``) and ``http``/``https`` ones are
    allowed; the page fills in the slug of each ``https://w3id.org/irgraph/id/``
    entity only when it is plain letters, digits and ``._~-``.

    >>> checked_entity_pages("id/{slug}.html")
    'id/{slug}.html'
    >>> checked_entity_pages("javascript:alert({slug})")
    Traceback (most recent call last):
    ...
    irgraph.errors.UsageError: --entity-pages 'javascript:alert({slug})': an address must be relative or http(s)
    """
    if pattern is None or pattern == "":
        return None
    if "{slug}" not in pattern:
        raise UsageError(f"--entity-pages {pattern!r}: the address needs {{slug}} where the entity's name goes")
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", pattern)
    if (scheme and scheme.group(1).lower() not in ("http", "https")) or pattern.startswith("//") \
            or any(c in pattern for c in "\\\"<>` \t\r\n"):
        raise UsageError(f"--entity-pages {pattern!r}: an address must be relative or http(s)")
    return pattern


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    environment.globals.update(TEMPLATE_GLOBALS)
    return environment


def explorer_page(
    graph: Graph,
    *,
    title: str = DEFAULT_TITLE,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    include_classes: Iterable[str] = (),
    exclude_classes: Iterable[str] = (),
    entity_pages: str | None = None,
    navigation: Navigation | None = None,
) -> ExplorerPage:
    """Render the explorer for ``graph``: the HTML with counts and warnings (see :func:`explorer_data`).

    ``entity_pages`` is an address pattern with ``{slug}`` (see
    :func:`checked_entity_pages`): when given, each entity's details link to
    its own page (``irgraph serve`` answers ``/id/<slug>``, a static site has
    ``id/<slug>.html``); without it the page links nowhere new.
    ``navigation`` (an :class:`irgraph.house.Navigation`) is where the page
    sits among irgraph's other pages (``irgraph serve``, ``irgraph site``):
    the header links to them and each entity's details to its page (this
    takes the place of ``entity_pages``). Without it the page stands alone.

    >>> from irgraph import load_graph
    >>> page = explorer_page(load_graph(), focus="ir:he2000", depth=1, title="HE2000 <draft>")
    >>> "HE2000 &lt;draft&gt;" in page.html and "<draft>" not in page.html
    True
    >>> page.warnings
    ()
    """
    entity_pages = checked_entity_pages(entity_pages)
    vis_script, vis_style = _vis_assets()
    script = _page_script()
    drawn = projection(graph, focus=focus, depth=depth, include_classes=include_classes, exclude_classes=exclude_classes)
    data = drawn.data
    plots = _forest_plots(graph, drawn.ledger, data)
    nav = navigation or STANDALONE
    data["entity_pages"] = None if nav.has_entity_pages else entity_pages
    if nav.has_entity_pages:
        for node in data["nodes"]:
            if node["id"].startswith(IR_URI):
                node["page"] = nav.entity(node["id"], "")
    warnings = []
    if data["large"]:
        warnings.append(
            f"the explorer draws {len(data['nodes'])} nodes (more than {LARGE_GRAPH}); the page stays still "
            "(precomputed layout, no physics) but is hard to read: try --focus TERM --depth 2 "
            "or --include-classes to draw a part of the graph"
        )
    html = _environment().get_template("explorer.html").render(
        title=title,
        nav=nav,
        house_css=stylesheet(),
        graph_json=_json_for_html(data),
        forest_plots=plots,
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
    ``depth``, ``include_classes``, ``exclude_classes``, ``entity_pages``).

    >>> from irgraph import load_graph
    >>> html = to_html(load_graph(), focus="IL-2", depth=1)
    >>> html.startswith("<!DOCTYPE html>") and "not medical advice" in html
    True
    """
    return explorer_page(graph, **options).html


def save_explorer(graph: Graph, out: str | Path = "irgraph.html", *, follow_symlinks: bool = False,
                  **options) -> ExplorerPage:
    """Write the explorer page of ``graph`` to ``out`` atomically; ``options`` are those of :func:`explorer_page`.

    Raises :class:`~irgraph.errors.UsageError` for an unknown focus term or
    class and :class:`~irgraph.errors.WriteError` when ``out`` cannot be
    written (not a regular file, no such folder; a symbolic link unless
    ``follow_symlinks``), checked before the work; in every case nothing is
    written.
    """
    checked_output_file(out, follow_symlinks=follow_symlinks)
    page = explorer_page(graph, **options)
    path = write_atomic(out, page.html, follow_symlinks=follow_symlinks)
    return replace(page, path=path)


def write_explorer(
    out: str | Path = "irgraph.html",
    extra_data: Iterable[str | Path] = (),
    *,
    store: str = DEFAULT_STORE,
    follow_symlinks: bool = False,
    **options,
) -> ExplorerPage:
    """Load the bundled data (plus ``extra_data``) and :func:`save_explorer` the page to ``out``.

    The data is drawn as it is, valid or not (``irgraph validate`` checks
    it). ``out`` is checked before anything is read. Raises
    :class:`~irgraph.errors.LoadError` when a file does not parse, and the
    errors of :func:`save_explorer`; in every case nothing is written.
    """
    checked_output_file(out, follow_symlinks=follow_symlinks)
    return save_explorer(load_data(extra_data, store=store).graph, out, follow_symlinks=follow_symlinks, **options)
