"""The explorer in a real browser: Debian's Chromium, offline, driven by playwright.

One browser serves every test here; each test opens a fresh page from
``file://`` with every request other than ``file:`` and ``data:`` aborted.
"""

from __future__ import annotations

import importlib.util
import struct

import pytest
from rdflib import RDF, RDFS, Namespace, URIRef
from tools.screenshot import browser_missing, offline_page, screenshot, wait_until_drawn

import irgraph
from irgraph.store import memory_copy

from .conftest import FIXTURES, REPO
from .test_visualize import DRAWN, SHOWN_FIRST, entities, links_between

pytestmark = pytest.mark.browser

MISSING = browser_missing()
if MISSING:
    pytest.skip(f"no browser to drive: {MISSING}", allow_module_level=True)

IRG = Namespace("https://w3id.org/irgraph/ontology#")
IR = Namespace("https://w3id.org/irgraph/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
IL2 = str(IR["il-2"])


@pytest.fixture(scope="module")
def browser():
    # one browser for every test here; module scope so that it is closed before other
    # modules run (playwright cannot start a second driver while this one is open)
    from tools.screenshot import chromium

    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def plain(graph):
    return memory_copy(graph)


@pytest.fixture(scope="module")
def pages(tmp_path_factory, graph):
    """Page files: the bundled graph, the hostile fixture, a focus view."""
    folder = tmp_path_factory.mktemp("pages")
    files = {
        "whole": irgraph.to_html(graph),
        "focus": irgraph.to_html(graph, focus="IL-2", depth=1),
        "hostile": irgraph.to_html(
            irgraph.load_graph([FIXTURES / "hostile"]),
            title='Title <img src=x onerror=alert("title")> </script><script>alert(0)</script>',
        ),
    }
    paths = {}
    for name, html in files.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


class Opened:
    """A loaded page with what it logged, the dialogs it tried, and the requests it tried."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def shown_nodes(self) -> set[str]:
        return set(self.js("() => Object.keys(window.irgraphExplorer.network.getPositions())"))

    def shown_edges(self) -> int:
        return self.js(
            """() => { const net = window.irgraphExplorer.network; const ids = new Set();
                       for (const n of Object.keys(net.getPositions())) net.getConnectedEdges(n).forEach(e => ids.add(e));
                       return ids.size; }"""
        )

    def details_text(self) -> str:
        return self.page.inner_text("#details")

    def click_node(self, node_id: str) -> None:
        """Bring the node to the middle of the picture and click it with the mouse."""
        point = self.js(
            """(id) => { const net = window.irgraphExplorer.network;
                         net.focus(id, {scale: 1.2, animation: false});
                         const dom = net.canvasToDOM(net.getPosition(id));
                         const box = document.getElementById('graph').getBoundingClientRect();
                         return {x: box.left + dom.x, y: box.top + dom.y}; }""",
            node_id,
        )
        self.page.mouse.click(point["x"], point["y"])


@pytest.fixture
def open_page(browser):
    opened_pages = []

    def open_(path) -> Opened:
        page = offline_page(browser)
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def on_dialog(dialog):
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri())
        wait_until_drawn(page)
        opened_pages.append(page)
        return opened

    yield open_
    for page in opened_pages:
        page.context.close()


def test_loads_offline_without_errors_and_draws_the_graph(open_page, pages, plain):
    opened = open_page(pages["whole"])
    assert opened.errors == [] and opened.page.blocked == []
    everything = entities(plain, DRAWN)
    first = entities(plain, SHOWN_FIRST)
    assert opened.js("() => window.irgraphExplorer.nodes.length") == len(everything)
    assert opened.js("() => window.irgraphExplorer.edges.length") == len(links_between(plain, everything))
    assert opened.shown_nodes() == first
    assert opened.shown_edges() == len(links_between(plain, first))
    assert "not medical advice" in opened.page.inner_text("header")
    # every class on: every node and link drawn
    for box in opened.page.query_selector_all("#class-filter input:not(:checked)"):
        box.check()
    assert opened.shown_nodes() == everything
    assert opened.shown_edges() == len(links_between(plain, everything))
    # and "show the whole graph" goes back to the first view
    opened.page.click("#reset")
    assert opened.shown_nodes() == first
    assert opened.errors == []


def test_supports_and_contradicts_look_different(open_page, pages):
    opened = open_page(pages["whole"])
    styles = opened.js(
        """() => { const out = {};
                   for (const e of window.irgraphExplorer.data.edges) {
                     const drawn = window.irgraphExplorer.edges.get(e.id);
                     out[e.relation] = {color: drawn.color.color, dashes: !!drawn.dashes}; }
                   return out; }"""
    )
    assert styles["irg:contradicts"]["dashes"] and not styles["irg:supports"]["dashes"]
    colours = {styles[r]["color"] for r in ("irg:contradicts", "irg:supports", "irg:evaluatedIn")}
    assert len(colours) == 3


def test_clicking_il2_shows_its_details_and_sources(open_page, pages, plain):
    opened = open_page(pages["whole"])
    opened.click_node(IL2)
    assert opened.js("() => window.irgraphExplorer.network.getSelectedNodes()") == [IL2]
    assert opened.page.inner_text("#details h3") == "IL-2"
    text = opened.details_text()
    il2 = URIRef(IL2)
    for synonym in plain.objects(il2, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")):
        assert str(synonym) in text
    for section in plain.objects(il2, IRG.sourceSection):
        assert str(section) in text
    shown_sources = 0
    for source in plain.objects(il2, PROV.wasDerivedFrom):
        names = [str(v) for p in (DCTERMS.title, DCTERMS.bibliographicCitation) for v in plain.objects(source, p)]
        assert any(name in text for name in names), names
        shown_sources += 1
    assert shown_sources >= 1
    study = str(plain.value(URIRef(str(IR["study-esprit"])), RDFS.label))
    assert study in text  # a link out: evaluated in ESPRIT
    hrefs = opened.js("() => Array.from(document.querySelectorAll('#details a')).map(a => a.href)")
    web = {str(u) for s in plain.objects(il2, PROV.wasDerivedFrom) for u in plain.objects(s, IRG.url)}
    assert web and web <= set(hrefs)
    assert all(h.startswith(("https://", "http://")) for h in hrefs)
    assert opened.errors == []


def test_search_finds_immunitin_and_selects_he2000(open_page, pages, graph):
    opened = open_page(pages["whole"])
    he2000 = str(irgraph.resolve_term(graph, "HE2000"))
    opened.page.fill("#search", "Immunitin")
    assert "HE2000" in opened.page.inner_text("#search-results")
    opened.page.press("#search", "Enter")
    assert opened.js("() => window.irgraphExplorer.network.getSelectedNodes()") == [he2000]
    assert opened.page.inner_text("#details h3") == "HE2000"
    # centred: the node sits in the middle of the picture
    offset = opened.js(
        """(id) => { const net = window.irgraphExplorer.network;
                     const dom = net.canvasToDOM(net.getPosition(id));
                     const box = document.getElementById('graph').getBoundingClientRect();
                     return [dom.x - box.width / 2, dom.y - box.height / 2]; }""",
        he2000,
    )
    assert abs(offset[0]) < 5 and abs(offset[1]) < 5


def test_search_reveals_a_node_the_filters_hide(open_page, pages, plain):
    opened = open_page(pages["whole"])
    source = IR["source-nejm-2009-esprit-silcaat"]
    assert str(source) not in opened.shown_nodes()
    opened.page.fill("#search", str(plain.value(source, RDFS.label)))
    opened.page.press("#search", "Enter")
    assert str(source) in opened.shown_nodes()
    assert opened.js("() => window.irgraphExplorer.network.getSelectedNodes()") == [str(source)]


def test_the_phase_filter_hides_studies_of_that_phase_and_their_findings(open_page, pages, plain):
    opened = open_page(pages["whole"])
    before = opened.shown_nodes()
    phase3 = IR["phase-3"]
    studies = {s for s in plain.subjects(IRG.phase, phase3)}
    findings = {
        f for f in plain.subjects(RDF.type, IRG.Finding)
        if set(plain.objects(f, IRG.fromStudy)) and all(s in studies for s in plain.objects(f, IRG.fromStudy))
    }
    expected_hidden = {str(n) for n in studies | findings}
    assert studies and findings
    opened.page.uncheck(f'#phase-filter input[data-phase="{phase3}"]')
    after = opened.shown_nodes()
    assert before - after == expected_hidden
    assert after < before
    opened.page.check(f'#phase-filter input[data-phase="{phase3}"]')
    assert opened.shown_nodes() == before


def test_the_evidence_trail_and_the_approach_filter(open_page, pages, plain):
    opened = open_page(pages["whole"])
    trail = set(opened.js("(id) => window.irgraphExplorer.data.trails[id]", IL2))
    home = opened.js("(id) => window.irgraphExplorer.network.getPosition(id)", IL2)
    opened.page.select_option("#trail-filter", IL2)
    shown = opened.shown_nodes()
    assert shown == trail
    # the trail is drawn in its own columns, then everything goes back
    moved = opened.js("(id) => window.irgraphExplorer.network.getPosition(id)", IL2)
    planned = opened.js("(id) => window.irgraphExplorer.data.views[id].positions[id]", IL2)
    assert abs(moved["x"] - planned[0]) < 1 and abs(moved["y"] - planned[1]) < 1 and moved != home
    il2 = URIRef(IL2)
    assert {str(s) for s in plain.objects(il2, IRG.evaluatedIn)} <= shown
    assert {str(s) for s in plain.objects(il2, PROV.wasDerivedFrom)} <= shown  # sources come with the trail
    opened.page.click("#reset")
    assert opened.js("(id) => window.irgraphExplorer.network.getPosition(id)", IL2) == home
    opened.page.select_option("#approach-filter", str(IR["approach-cytokine-therapy"]))
    shown = opened.shown_nodes()
    assert IL2 in shown and str(IR["remune"]) not in shown
    assert opened.errors == []


def test_hostile_data_shows_as_text_and_nothing_runs(open_page, pages):
    opened = open_page(pages["hostile"])
    evil = str(IR["hostile-intervention"])
    graph = irgraph.load_graph([FIXTURES / "hostile"])
    label = str(graph.value(URIRef(evil), RDFS.label))
    assert opened.page.title().startswith("Title <img src=x")
    assert opened.page.inner_text("h1").startswith("Title <img src=x")
    opened.page.fill("#search", "onerror")
    opened.page.press("#search", "Enter")
    assert opened.page.inner_text("#details h3") == label
    details = opened.details_text()
    assert "<svg onload=alert(5)>section</svg>" in details
    assert '"><script>alert(9)</script>' in details
    assert "javascript:alert(12)" in details
    opened.click_node(str(IR["hostile-study"]))
    assert opened.page.inner_text("#details h3") == str(graph.value(IR["hostile-study"], RDFS.label))
    claim = "https://w3id.org/irgraph/id/claim'onmouseover='alert(14)'"
    opened.js("(id) => window.irgraphExplorer.select(id)", claim)
    opened.page.hover("#details h3")
    injected = opened.js(
        """() => document.querySelectorAll('img, iframe, svg[onload], b, [onerror], [onload], [onmouseover]').length"""
    )
    assert injected == 0
    assert opened.js("() => document.scripts.length") == 3
    hrefs = opened.js("() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert opened.dialogs == [] and opened.errors == []
    assert opened.js("() => window.irgraphExplorer.ready") is True


def test_a_claims_details_show_its_badge_ledger_and_forest_plot(open_page, pages, plain):
    opened = open_page(pages["whole"])
    claim = str(IR["claim-il2-cd4-gains-restore-immunity"])
    opened.click_node(claim)
    assert opened.page.inner_text("#details h3") == str(plain.value(URIRef(claim), RDFS.label))
    badges = opened.js("() => Array.from(document.querySelectorAll('#details .badge')).map(b => b.textContent)")
    assert badges[0] == "contradicted by randomised evidence" and badges[1].startswith("certainty: ")
    drawn_label = opened.js("(id) => window.irgraphExplorer.nodes.get(id).label", claim)
    assert drawn_label.endswith("[contradicted by randomised evidence \u00b7 " + badges[1] + "]")
    text = opened.details_text()
    assert "claim ledger" in text.lower() and "contradicting (" in text.lower()  # headings are styled in capitals
    assert "Source: " in text and "Why: " in text and "Estimate: HR 0.94 (95% CI 0.75 to 1.16)" in text
    plot = opened.js(
        """() => { const svg = document.querySelector('#details .forest svg');
                   if (!svg) return null;
                   const box = svg.getBoundingClientRect();
                   return {texts: Array.from(svg.querySelectorAll('text')).map(t => t.textContent).join(' '),
                           ids: Array.from(svg.querySelectorAll('[id]')).map(e => e.id), width: box.width, height: box.height}; }""")
    assert plot is not None and plot["width"] > 100 and plot["height"] > 50
    assert "ESPRIT" in plot["texts"] and "HR 5.84" in plot["texts"] and "not medical advice" in plot["texts"]
    assert any(i.endswith("-null-line-0") for i in plot["ids"])
    # the plot opens larger, and Escape closes it
    opened.page.click("#details .forest")
    assert opened.js("() => !document.getElementById('plot-overlay').hidden")
    assert opened.js("() => document.querySelector('#plot-overlay svg').getBoundingClientRect().width") > plot["width"]
    opened.page.keyboard.press("Escape")
    assert opened.js("() => document.getElementById('plot-overlay').hidden")
    assert opened.errors == [] and opened.page.blocked == []


def test_hostile_ledger_and_plot_show_as_text_and_nothing_runs(open_page, pages):
    opened = open_page(pages["hostile"])
    graph = irgraph.load_graph([FIXTURES / "hostile"])
    claim = "https://w3id.org/irgraph/id/claim'onmouseover='alert(14)'"
    opened.js("(id) => window.irgraphExplorer.select(id)", claim)
    text = opened.details_text()
    assert str(graph.value(IR["hostile-finding"], RDFS.label)) in text
    assert "Why: Because <iframe src=javascript:alert(20)></iframe>" in text
    assert "<img src=x onerror=alert(21)> rated down" in text
    assert 'Results <b onmouseover=alert(19)>' in text
    assert opened.js("() => document.querySelectorAll('#details .forest svg').length") == 1
    opened.page.click("#details .forest")
    opened.page.hover("#plot-overlay svg")
    injected = opened.js(
        """() => document.querySelectorAll('img, iframe, svg[onload], b, [onerror], [onload],'
                                          + ' [onmouseover], foreignObject, a[href^="javascript"]').length"""
    )
    assert injected == 0
    assert opened.js("() => document.scripts.length") == 3
    hrefs = opened.js("() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert opened.dialogs == [] and opened.errors == [] and opened.page.blocked == []


def test_the_focus_page_draws_il2_and_its_neighbours(open_page, pages, plain):
    opened = open_page(pages["focus"])
    il2 = URIRef(IL2)
    nodes = entities(plain, DRAWN)
    neighbours = ({str(o) for o in plain.objects(il2)} | {str(s) for s in plain.subjects(None, il2)}) & nodes
    assert opened.shown_nodes() == {IL2} | neighbours
    assert opened.page.inner_text("#details h3") == "IL-2"  # the focus is selected at first
    assert opened.errors == []


def test_screenshot_writes_a_png_of_the_page(tmp_path, pages, browser):
    out = screenshot(tmp_path / "explorer.png", pages["whole"], browser=browser)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1600, 1000)


def test_the_benchmark_measures_time_to_interactive(browser):
    spec = importlib.util.spec_from_file_location("explorer_benchmark", REPO / "benchmarks" / "explorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph = module.synthetic_graph(120)
    classes = {c for _, c in graph.subject_objects(RDF.type) if str(c).startswith(str(IRG))}
    assert {IRG.Intervention, IRG.ClinicalStudy, IRG.Finding, IRG.Source} <= classes
    seconds = module.time_to_interactive(120, browser=browser)
    assert isinstance(seconds, float) and seconds > 0
