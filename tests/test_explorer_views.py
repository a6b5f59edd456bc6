"""The explorer read and shared in a real browser: label size on screen, the view in the address,
saving the view as PNG and SVG, the keyboard and the list view, dark mode, a phone, the tooltip.

Debian's Chromium, offline, driven by playwright; most tests use the tiny graph of
``tests/fixtures/explorer`` (everything in it fits the first view). Every test also checks
that no request left ``file://``. Waits are for conditions in the page, never for time.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from rdflib import URIRef
from tools.screenshot import browser_missing, offline_page, wait_until_drawn

import irgraph

from .conftest import FIXTURES

pytestmark = pytest.mark.browser

MISSING = browser_missing()
if MISSING:
    pytest.skip(f"no browser to drive: {MISSING}", allow_module_level=True)

IR = "https://w3id.org/irgraph/id/"
IL2 = IR + "view-il-2"
SVG = "{http://www.w3.org/2000/svg}"
#: the main columns of the first view, whose labels must be readable
MAIN = ("irg:Approach", "irg:Intervention", "irg:CombinationIntervention", "irg:ClinicalStudy", "irg:Finding", "irg:Claim")


@pytest.fixture(scope="module")
def browser():
    from tools.screenshot import chromium

    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def small():
    return irgraph.load_data([FIXTURES / "explorer"], bundled=False).graph


@pytest.fixture(scope="module")
def pages(tmp_path_factory, small, graph):
    folder = tmp_path_factory.mktemp("views")
    files = {
        "small": irgraph.to_html(small),
        "linked": irgraph.to_html(small, entity_pages="id/{slug}.html"),
        "whole": irgraph.to_html(graph),
        "hostile": irgraph.to_html(irgraph.load_graph([FIXTURES / "hostile"]), entity_pages="id/{slug}.html"),
    }
    paths = {}
    for name, html in files.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


@pytest.fixture
def open_page(browser):
    opened = []

    def open_(path, hash_: str = "", **options):
        page = offline_page(browser, **options)
        page.errors = []
        page.dialogs = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri() + hash_)
        wait_until_drawn(page)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        assert page.outside == [] and page.blocked == [], "a request left file://"
        assert page.errors == [] and page.dialogs == []
        page.context.close()


def shown(page) -> set[str]:
    return set(page.evaluate("() => window.irgraphExplorer.nodeView.getIds()"))


def view_state(page) -> dict:
    return page.evaluate(
        """() => { const x = window.irgraphExplorer, s = x.state;
                   return {shown: x.nodeView.getIds().sort(), selected: x.network.getSelectedNodes(),
                           classes: Array.from(s.classes).sort(), phasesOff: Array.from(s.phasesOff).sort(),
                           trail: s.trail, approach: s.approach, focus: s.focus,
                           details: (document.querySelector('#details h3') || {}).textContent || '',
                           boxes: Array.from(document.querySelectorAll('#controls input[type=checkbox]')).map(b => b.checked),
                           trailSelect: document.getElementById('trail-filter').value}; }"""
    )


def on_screen_label_sizes(page) -> dict[str, float]:
    """The smallest label of each class among the nodes drawn inside the picture: font size x network scale."""
    return page.evaluate(
        """() => { const x = window.irgraphExplorer, net = x.network, scale = net.getScale();
                   const box = document.getElementById('graph').getBoundingClientRect(), out = {};
                   for (const id of x.nodeView.getIds()) {
                     const at = net.canvasToDOM(net.getPosition(id));
                     if (at.x < 0 || at.y < 0 || at.x > box.width || at.y > box.height) continue;
                     const cls = x.data.nodes.find(n => n.id === id)['class'];
                     const px = x.nodes.get(id).font.size * scale;
                     out[cls] = Math.min(out[cls] || Infinity, px); }
                   return out; }"""
    )


def test_the_first_view_of_the_bundled_graph_has_readable_labels_and_fills_the_picture(open_page, pages):
    page = open_page(pages["whole"])
    sizes = on_screen_label_sizes(page)
    main = {cls: px for cls, px in sizes.items() if cls in MAIN}
    assert {"irg:Intervention", "irg:ClinicalStudy", "irg:Finding", "irg:Claim"} <= set(main), sizes
    assert min(main.values()) >= 11, main
    # the drawn nodes reach across the picture rather than sitting as an island in its middle
    spread = page.evaluate(
        """() => { const x = window.irgraphExplorer, net = x.network;
                   const box = document.getElementById('graph').getBoundingClientRect();
                   const xs = [], ys = [];
                   for (const id of x.nodeView.getIds()) {
                     const b = net.getBoundingBox(id), a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
                     if (z.x < 0 || z.y < 0 || a.x > box.width || a.y > box.height) continue;
                     xs.push(a.x, z.x); ys.push(a.y, z.y); }
                   return {width: (Math.min(box.width, Math.max(...xs)) - Math.max(0, Math.min(...xs))) / box.width,
                           height: (Math.min(box.height, Math.max(...ys)) - Math.max(0, Math.min(...ys))) / box.height}; }"""
    )
    assert spread["width"] > 0.8 and spread["height"] > 0.8, spread


def test_filters_trails_and_focus_fit_the_view_and_the_fit_button_shows_everything(open_page, pages):
    page = open_page(pages["small"])

    def all_in_view() -> bool:
        return page.evaluate(
            """() => { const x = window.irgraphExplorer, net = x.network;
                       const box = document.getElementById('graph').getBoundingClientRect();
                       return x.nodeView.getIds().every(id => { const b = net.getBoundingBox(id);
                         const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
                         return a.x >= -1 && a.y >= -1 && z.x <= box.width + 1 && z.y <= box.height + 1; }); }"""
        )

    assert all_in_view()
    assert min(on_screen_label_sizes(page).values()) >= 11
    page.evaluate("() => window.irgraphExplorer.network.moveTo({position: {x: 5000, y: 5000}, scale: 0.2})")
    assert not all_in_view()
    page.select_option("#trail-filter", IL2)
    assert all_in_view()
    page.evaluate("() => window.irgraphExplorer.network.moveTo({position: {x: 5000, y: 5000}, scale: 0.2})")
    page.uncheck('#class-filter input[data-class="irg:Claim"]')
    assert all_in_view()
    page.evaluate("() => window.irgraphExplorer.network.moveTo({position: {x: -900, y: 900}, scale: 3})")
    page.click("#fit")
    assert all_in_view()
    page.click("#reset")
    page.evaluate("(id) => window.irgraphExplorer.select(id)", IL2)
    page.click('#details button[data-action="focus"]')
    assert all_in_view() and IL2 in shown(page) and IR + "view-finding-c" not in shown(page)


def test_the_view_lives_in_the_address_and_reopens_the_same(open_page, pages):
    page = open_page(pages["small"])
    page.select_option("#trail-filter", IL2)
    page.uncheck('#phase-filter input[data-phase="https://w3id.org/irgraph/id/phase-3"]')
    page.fill("#search", "View trial B")
    page.press("#search", "Enter")
    before = view_state(page)
    assert before["selected"] == [IR + "view-trial-b"] and before["trail"] == IL2
    assert IR + "view-trial-a" not in before["shown"]  # hidden by its phase
    url = page.url
    assert "#" in url and "select=" in url and "trail=" in url and "phase-off=" in url
    again = open_page(pages["small"], "#" + url.split("#", 1)[1])
    assert view_state(again) == before


def test_back_and_forward_step_through_views(open_page, pages):
    page = open_page(pages["small"])
    first = view_state(page)
    page.select_option("#approach-filter", IR + "view-cytokines")
    second = view_state(page)
    page.evaluate("(id) => window.irgraphExplorer.select(id)", IL2)
    third = view_state(page)
    assert first["shown"] != second["shown"] and third["selected"] == [IL2]
    page.evaluate("() => history.back()")
    page.wait_for_function("() => window.irgraphExplorer.network.getSelectedNodes().length === 0")
    assert view_state(page) == second
    page.evaluate("() => history.back()")
    page.wait_for_function("() => window.irgraphExplorer.state.approach === ''")
    assert view_state(page) == first
    page.evaluate("() => history.forward()")
    page.wait_for_function("() => window.irgraphExplorer.state.approach !== ''")
    assert view_state(page) == second
    page.evaluate("() => history.forward()")
    page.wait_for_function("() => window.irgraphExplorer.network.getSelectedNodes().length === 1")
    assert view_state(page) == third


def test_a_focus_in_the_address_shows_the_neighbourhood(open_page, pages, small):
    page = open_page(pages["small"], "#focus=ir:view-il-2")
    neighbours = {str(o) for o in small.objects(URIRef(IL2))} | {str(s) for s in small.subjects(None, URIRef(IL2))}
    drawn = {n["id"] for n in page.evaluate("() => window.irgraphExplorer.data.nodes")}
    assert shown(page) == ({IL2} | neighbours) & drawn


def download(page, button: str):
    with page.expect_download() as info:
        page.click(button)
    return info.value


def test_svg_export_draws_the_visible_labels_and_no_hidden_ones(open_page, pages, tmp_path):
    page = open_page(pages["small"])
    page.uncheck('#class-filter input[data-class="irg:Claim"]')
    saved = download(page, "#export-svg")
    assert saved.suggested_filename.endswith(".svg")
    path = tmp_path / "view.svg"
    saved.save_as(path)
    root = ET.parse(path).getroot()
    texts = {" ".join(t.text or "" for t in text.iter(SVG + "tspan")) for text in root.iter(SVG + "text")}
    labels = page.evaluate(
        """() => { const x = window.irgraphExplorer; const out = {shown: [], hidden: []};
                   for (const n of x.data.nodes) (x.isVisible(n.id) ? out.shown : out.hidden).push(n.label);
                   return out; }"""
    )
    flat = " | ".join(texts)
    assert labels["shown"] and labels["hidden"]
    for label in labels["shown"]:
        assert " ".join(label.split()) in {" ".join(t.split()) for t in texts}, label
    for label in labels["hidden"]:
        assert label not in flat, label
    size = page.evaluate("() => { const b = document.getElementById('graph').getBoundingClientRect(); return [b.width, b.height]; }")
    assert [float(root.get("width")), float(root.get("height"))] == [round(size[0]), round(size[1])]
    lines = list(root.iter(SVG + "line")) + list(root.iter(SVG + "path"))
    assert len(lines) == page.evaluate("() => window.irgraphExplorer.edgeView.length")


def test_png_export_is_the_canvas_picture(open_page, pages, tmp_path):
    page = open_page(pages["small"])
    saved = download(page, "#export-png")
    path = tmp_path / "view.png"
    saved.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    canvas = page.evaluate("() => { const c = document.querySelector('#graph canvas'); return [c.width, c.height]; }")
    assert [width, height] == canvas
    assert len(data) > 5000  # a drawing, not an empty picture


def test_a_keyboard_walk_from_il2_reaches_a_finding(open_page, pages):
    page = open_page(pages["small"], "#select=ir:view-il-2")
    for _ in range(40):  # Tab through the controls into the picture
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "graph":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "graph"
    label = page.evaluate("() => document.getElementById('graph').getAttribute('aria-label')")
    assert "nodes" in label and "links" in label and "Arrow keys" in label
    assert page.evaluate("() => window.irgraphExplorer.cursor()") == IL2  # the walk starts at the selected node
    classes = []
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        cursor = page.evaluate("() => window.irgraphExplorer.cursor()")
        classes.append(page.evaluate("(id) => window.irgraphExplorer.data.nodes.find(n => n.id === id)['class']", cursor))
        if classes[-1] == "irg:Finding":
            break
    assert classes[-1] == "irg:Finding" and "irg:ClinicalStudy" in classes, classes
    assert "Enter" in page.inner_text("#graph-announce")
    page.keyboard.press("Enter")
    finding = page.evaluate("() => window.irgraphExplorer.cursor()")
    name = page.evaluate("(id) => window.irgraphExplorer.data.nodes.find(n => n.id === id).label", finding)
    assert page.inner_text("#details h3") == name
    page.keyboard.press("Escape")
    assert page.evaluate("() => window.irgraphExplorer.network.getSelectedNodes()") == []
    assert page.query_selector("#details h3") is None


def test_the_list_view_is_a_table_of_what_the_picture_shows(open_page, pages):
    page = open_page(pages["small"])
    page.uncheck('#class-filter input[data-class="irg:Approach"]')
    page.click("#list-toggle")
    assert page.get_attribute("#list-toggle", "aria-pressed") == "true"
    rows = page.evaluate("() => Array.from(document.querySelectorAll('#list-view table:first-of-type tbody tr')).map(r => r.dataset.id)")
    assert set(rows) == shown(page)
    links = page.evaluate("() => document.querySelectorAll('#list-view table:nth-of-type(2) tbody tr').length")
    assert links == page.evaluate("() => window.irgraphExplorer.edgeView.length")
    assert page.evaluate("() => document.querySelectorAll('#list-view caption, #list-view th[scope=col]').length") >= 8
    page.click(f'#list-view button[data-id="{IL2}"]')
    assert page.inner_text("#details h3") == "IL-2"
    page.check('#class-filter input[data-class="irg:Approach"]')  # the list follows the filters
    rows = page.evaluate("() => Array.from(document.querySelectorAll('#list-view table:first-of-type tbody tr')).map(r => r.dataset.id)")
    assert set(rows) == shown(page) and IR + "view-cytokines" in rows


CONTRAST = """(selector) => {
  function rgb(text) { const m = text.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const v = m[1].split(',').map(Number); return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1}; }
  function lum(c) { return [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
  function background(node) { for (; node; node = node.parentElement) { const c = rgb(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; }
  return Array.from(document.querySelectorAll(selector)).filter(e => e.textContent.trim()).map(e => {
    const f = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
    return [e.textContent.trim().slice(0, 40), (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05)]; });
}"""
NON_TEXT = """() => {
  function lum(hex) { return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
  const m = getComputedStyle(document.getElementById('controls')).backgroundColor.match(/\\d+/g).map(Number);
  const bg = '#' + m.slice(0, 3).map(v => v.toString(16).padStart(2, '0')).join('');
  const colours = Array.from(document.querySelectorAll('#edge-legend svg [stroke]')).map(e => e.getAttribute('stroke'))
    .filter(c => /^#[0-9a-f]{6}$/i.test(c) && c.toLowerCase() !== '#555555' && c.toLowerCase() !== '#555');
  const [b] = [lum(bg)];
  return colours.map(c => { const f = lum(c); return [c, (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05)]; });
}"""
TEXTS = ("#class-filter label span, #edge-legend span, #edge-legend div, #controls h2, .house-notice, .house-title, .house-nav a, .house-heading, #status, "
         "#details .badge, #details .rel, #details .muted, #details button.node-link, #column-headings span, #toolbar button")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_legend_and_verdict_texts_keep_their_contrast(open_page, pages, scheme):
    page = open_page(pages["whole"], color_scheme=scheme)
    page.evaluate("(id) => window.irgraphExplorer.select(id)", "https://w3id.org/irgraph/id/claim-il2-cd4-gains-restore-immunity")
    ratios = page.evaluate(CONTRAST, TEXTS)
    assert len(ratios) > 30
    low = [(text, round(ratio, 2)) for text, ratio in ratios if ratio < 4.5]
    assert low == [], low
    # the verdict borders and the supports / contradicts / qualifies lines: 3:1 (AA for non-text) on the legend
    marks = page.evaluate(NON_TEXT)
    assert len(marks) >= 8
    faint = [(colour, round(ratio, 2)) for colour, ratio in marks if ratio < 3]
    assert faint == [], faint


def test_dark_mode_draws_a_dark_page(open_page, pages):
    light = open_page(pages["small"], color_scheme="light")
    dark = open_page(pages["small"], color_scheme="dark")
    assert light.screenshot() != dark.screenshot()
    backgrounds = [p.evaluate("() => getComputedStyle(document.getElementById('graph')).backgroundColor") for p in (light, dark)]
    assert backgrounds[0] == "rgb(255, 255, 255)" and backgrounds[1] != backgrounds[0]
    label = dark.evaluate("(id) => window.irgraphExplorer.nodes.get(id).font.color", IR + "view-trial-a")
    assert label.lower() in ("#e6e6e6",)  # labels under the shapes are light on the dark picture


def test_a_phone_folds_the_panels_away_and_has_no_sideways_scroll(open_page, pages):
    page = open_page(pages["whole"], viewport={"width": 390, "height": 844})

    def no_sideways_scroll():
        return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth")

    assert no_sideways_scroll()
    assert not page.is_visible("#controls") and not page.is_visible("#details")
    canvas = page.evaluate("() => { const b = document.querySelector('#graph canvas').getBoundingClientRect(); return [b.width, b.height]; }")
    assert canvas[0] >= 380 and canvas[1] >= 500
    page.click("#show-controls")
    assert page.is_visible("#controls") and no_sideways_scroll()
    page.fill("#search", "IL-2")
    page.press("#search", "Enter")
    assert page.is_visible("#details") and page.inner_text("#details h3") == "IL-2" and no_sideways_scroll()
    page.click('#details button.close-panel')
    assert not page.is_visible("#details")
    assert min(on_screen_label_sizes(page).values()) > 0


def test_no_tooltip_stays_after_the_pointer_leaves(open_page, pages):
    page = open_page(pages["small"])
    point = page.evaluate(
        """(id) => { const net = window.irgraphExplorer.network; const dom = net.canvasToDOM(net.getPosition(id));
                     const box = document.getElementById('graph').getBoundingClientRect();
                     return {x: box.left + dom.x, y: box.top + dom.y}; }""",
        IL2,
    )
    page.mouse.move(point["x"] - 30, point["y"])
    page.mouse.move(point["x"], point["y"], steps=4)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.vis-tooltip')).some(t => getComputedStyle(t).visibility === 'visible')"
    )
    page.mouse.move(point["x"], 5, steps=4)  # up over the header, out of the picture
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.vis-tooltip')).every(t => getComputedStyle(t).visibility !== 'visible')"
    )


def test_entity_page_links_only_when_asked_and_only_for_plain_slugs(open_page, pages):
    plain = open_page(pages["small"], "#select=ir:view-il-2")
    assert plain.query_selector("#details .entity-page a") is None
    linked = open_page(pages["linked"], "#select=ir:view-il-2")
    href = linked.get_attribute("#details .entity-page a", "href")
    assert href == pages["linked"].parent.joinpath("id", "view-il-2.html").as_uri()
    hostile = open_page(pages["hostile"])
    hostile.evaluate("(id) => window.irgraphExplorer.select(id)", "https://w3id.org/irgraph/id/claim'onmouseover='alert(14)'")
    assert hostile.query_selector("#details .entity-page a") is None
    hostile.fill("#search", "onerror")
    hostile.press("#search", "Enter")
    hostile.hover("#details h3")
    assert hostile.evaluate("() => document.querySelectorAll('img, iframe, b, [onerror], [onload], [onmouseover]').length") == 0


def test_hostile_data_in_the_address_and_the_exports_stays_text(open_page, pages, tmp_path):
    page = open_page(pages["hostile"], "#select=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&class=%3Cb%3E&trail=javascript:alert(2)")
    assert page.evaluate("() => window.irgraphExplorer.network.getSelectedNodes()") == []
    page.fill("#search", "onerror")
    page.press("#search", "Enter")
    saved = download(page, "#export-svg")
    path = tmp_path / "hostile.svg"
    saved.save_as(path)
    root = ET.parse(path).getroot()  # well-formed: the labels went in as text
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject", "image", "a")]
    assert not [k for e in root.iter() for k in e.attrib if k.startswith("on")]
    page.click("#list-toggle")
    assert page.evaluate("() => document.querySelectorAll('img, iframe, b, [onerror], [onload], [onmouseover]').length") == 0
    assert page.evaluate("() => document.scripts.length") == 3
