"""The workbench in a real browser (Debian's Chromium, driven by playwright): the SPARQL editor served by
`irgraph serve`, and the static pages of `irgraph site`, both on fixture graphs.

Every request the pages make is routed and counted: only the test server's
own address (or ``file:`` for the site) is let through, and each test checks
that nothing else was asked for, that no script failed and that the page's
Content-Security-Policy refused nothing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Graph
from tools.screenshot import browser_missing

import irgraph
from irgraph.query import run_saved_query
from irgraph.serve import make_server, serve_in_thread
from irgraph.site import write_site

from .conftest import FIXTURES

pytestmark = pytest.mark.browser

MISSING = browser_missing()
if MISSING:
    pytest.skip(f"no browser to drive: {MISSING}", allow_module_level=True)

#: the ledger fixture's claims that later evidence contradicts (tests/fixtures/README.md)
CONTRADICTED = {"C contradicted by a trial", "D contested", "E contradicted by a cohort",
                "I contradicted by a trial of the grouping design"}
WATCH = """
document.addEventListener('securitypolicyviolation', e => {
  (window.__refused = window.__refused || []).push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser():
    from tools.screenshot import chromium

    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def ledger_graph():
    return irgraph.load_data([FIXTURES / "ledger"], bundled=False).graph


@pytest.fixture(scope="module")
def server(ledger_graph):
    started = make_server(ledger_graph, port=0, timeout=20, quiet=True)
    serve_in_thread(started)
    yield started
    started.shutdown()
    started.server_close()


class Watched:
    """A page whose every request is routed: its own origin (or ``file:``) passes, the rest is aborted and kept."""

    def __init__(self, browser, allowed: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.page.add_init_script(WATCH)

        def route(request_route) -> None:
            url = request_route.request.url
            self.requests.append(url)
            if url.startswith(allowed) or url.startswith("data:"):
                request_route.continue_()
            else:
                self.outside.append(url)
                request_route.abort()

        self.page.route("**/*", route)

    def refused(self) -> list[str]:
        return self.page.evaluate("() => window.__refused || []")

    def check_clean(self) -> None:
        assert self.outside == [], self.outside
        assert self.errors == [], self.errors
        assert self.refused() == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def editor(browser, server):
    base = server.endpoint_url.rsplit("/", 1)[0]
    watched = Watched(browser, base + "/")
    watched.base = base
    watched.page.goto(base + "/")
    watched.page.wait_for_function("() => window.irgraphEditor && window.irgraphEditor.ready === true")
    yield watched
    watched.close()


def set_query(editor, text: str) -> None:
    editor.page.evaluate("text => window.irgraphEditor.yasgui.getTab().getYasqe().setValue(text)", text)


def query_text(editor) -> str:
    return editor.page.evaluate("() => window.irgraphEditor.yasgui.getTab().getYasqe().getValue()")


def run(editor) -> None:
    """Run the current tab's query and wait until its answer is drawn (YASR's table or error)."""
    editor.page.evaluate("""() => {
      const tab = window.irgraphEditor.yasgui.getTab();
      window.__answered = false;
      tab.getYasr().once('drawn', () => { window.__answered = true; });
      tab.getYasqe().query().catch(() => {});
    }""")
    editor.page.wait_for_function("() => window.__answered === true")


def table_column(editor, column: int) -> list[str]:
    return editor.page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr", f"rows => rows.map(r => r.cells[{column}] ? r.cells[{column}].innerText.trim() : '')")


# --- the editor ---------------------------------------------------------------------------

def test_editor_loads_with_nothing_from_outside(editor):
    assert editor.page.locator(".yasqe .CodeMirror").count() == 1
    assert "not medical advice" in editor.page.inner_text("header.house")
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in editor.requests)
    editor.check_clean()


def test_a_syntax_error_is_marked_inline_and_the_query_kept(editor):
    broken = "SELECT ?x WHERE { ?x ?y }}"
    set_query(editor, broken)
    editor.page.wait_for_selector(".yasqe .parseErrorIcon")
    assert query_text(editor) == broken
    # a query the server refuses: its message shown in the results area, the query still there
    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    set_query(editor, refused)
    run(editor)
    assert "SERVICE" in editor.page.inner_text(".yasr")
    assert query_text(editor) == refused
    editor.check_clean()


def test_a_research_question_runs_and_shows_the_known_rows(editor, ledger_graph):
    expected = {str(row["claimLabel"]) for row in run_saved_query(ledger_graph, "contradicted-claims", timeout=20)}
    assert expected == CONTRADICTED
    item = editor.page.locator("li.ready-query[data-name='contradicted-claims']")
    item.locator("summary").click()
    item.locator("button[type=submit]").click()
    editor.page.wait_for_function("() => window.irgraphEditor.yasgui.getTab().getName() === 'Claims that later evidence contradicts'")
    assert query_text(editor) == irgraph.catalog.saved_query("contradicted-claims").text
    run(editor)
    headers = editor.page.eval_on_selector_all(".yasr table.dataTable thead th", "cells => cells.map(c => c.innerText.trim())")
    column = headers.index("claimLabel")
    assert {cell.split('"')[1] if '"' in cell else cell for cell in table_column(editor, column)} == CONTRADICTED
    # IRIs are shown by compact name and lead to the entity's page on this server
    links = editor.page.eval_on_selector_all(".yasr table.dataTable tbody a", "links => links.map(a => [a.innerText, a.href])")
    claims = [(text, href) for text, href in links if "ledger-contested" in href]
    assert claims and claims[0][0].startswith("ir:") and claims[0][1] == editor.base + "/id/ledger-contested"
    editor.check_clean()


def test_result_iris_of_the_ontology_lead_to_their_section(editor):
    set_query(editor, "PREFIX ir: <https://w3id.org/irgraph/id/>\nSELECT ?type WHERE { ir:ledger-contested a ?type }")
    run(editor)
    links = editor.page.eval_on_selector_all(".yasr table.dataTable tbody a", "links => links.map(a => [a.innerText, a.href])")
    assert [editor.base + "/ontology#Claim"] == [href for text, href in links if text == "irg:Claim"]
    editor.page.goto(editor.base + "/ontology#Claim")
    assert editor.page.evaluate("() => document.getElementById('Claim').getBoundingClientRect().top") < 100  # scrolled to it
    editor.check_clean()


def test_a_parameter_is_bound_and_a_wrong_one_explained(editor):
    item = editor.page.locator("li.ready-query[data-name='findings-for-intervention']")
    item.locator("summary").click()
    item.locator("input[name=intervention]").fill("no such thing")
    item.locator("button[type=submit]").click()
    editor.page.wait_for_selector("li.ready-query[data-name='findings-for-intervention'] .ready-error")
    assert "no such thing" in item.locator(".ready-error").inner_text()
    editor.check_clean()


def test_construct_shows_its_triples_as_a_table(editor, ledger_graph):
    set_query(editor, "PREFIX irg: <https://w3id.org/irgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                      "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a irg:Claim ; rdfs:label ?l }")
    run(editor)
    headers = editor.page.eval_on_selector_all(".yasr table.dataTable thead th", "cells => cells.map(c => c.innerText.trim())")
    assert [h for h in headers if h] == ["subject", "predicate", "object"]
    claims = {str(row["l"]) for row in irgraph.query_graph(
        ledger_graph, "SELECT ?l WHERE { ?c a irg:Claim ; rdfs:label ?l }").rows}
    shown = {cell.split('"')[1] for cell in table_column(editor, headers.index("object")) if '"' in cell}
    assert shown == claims
    # the raw response is the Turtle the server sent, and downloads as such
    editor.page.click(".yasr .select_response")
    with editor.page.expect_download() as downloaded:
        editor.page.click(".yasr .yasr_downloadIcon")
    turtle = Path(downloaded.value.path()).read_text(encoding="utf-8")
    triples = Graph().parse(data=turtle, format="turtle")
    assert {str(o) for o in triples.objects()} == claims and len(triples) == len(claims)
    editor.check_clean()


def test_the_share_link_reopens_the_query(editor, browser):
    text = "PREFIX ir: <https://w3id.org/irgraph/id/>\nASK { ir:ledger-supported ?p ?o }"
    set_query(editor, text)
    editor.page.click(".yasqe_share")
    link = editor.page.input_value(".yasqe_sharePopup input")
    assert link.startswith(editor.base + "/")
    other = Watched(browser, editor.base + "/")
    try:
        other.page.goto(link)
        other.page.wait_for_function("() => window.irgraphEditor && window.irgraphEditor.ready === true")
        assert other.page.evaluate("() => window.irgraphEditor.yasgui.getTab().getYasqe().getValue()") == text
        other.check_clean()
    finally:
        other.close()
    editor.check_clean()


def test_query_about_this_opens_the_editor_on_the_entity(browser, server):
    base = server.endpoint_url.rsplit("/", 1)[0]
    watched = Watched(browser, base + "/")
    try:
        watched.page.goto(base + "/id/ledger-contested")
        watched.page.click("text=Query about this")
        watched.page.wait_for_function("() => window.irgraphEditor && window.irgraphEditor.ready === true")
        value = watched.page.evaluate("() => window.irgraphEditor.yasgui.getTab().getYasqe().getValue()")
        assert value == "DESCRIBE <https://w3id.org/irgraph/id/ledger-contested>"
        watched.check_clean()
    finally:
        watched.close()


# --- the static site -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    graph = irgraph.load_data([FIXTURES / "ledger", FIXTURES / "hostile"], bundled=False).graph
    folder = tmp_path_factory.mktemp("site") / "public"
    write_site(graph, folder, explorer=False)
    return folder, graph


def test_a_crawl_of_the_site_reaches_every_entity_with_no_broken_link(browser, site):
    from irgraph.pages import entity_iris, file_stem, slug_of

    folder, graph = site
    root = folder.resolve().as_uri()
    watched = Watched(browser, "file:")
    try:
        todo, seen, broken = [root + "/index.html"], set(), []
        ids_of: dict[str, set[str]] = {}
        fragments: list[tuple[str, str, str]] = []
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            if not url.endswith(".html"):  # the RDF beside the page: a browser would download it
                if not Path(unquote(urlsplit(url).path)).is_file():
                    broken.append(url)
                continue
            try:
                response = watched.page.goto(url)
            except Exception:  # playwright's Error: the file is not there
                response = None
            if response is None or not response.ok:
                broken.append(url)
                continue
            assert "not medical advice" in watched.page.inner_text("header.house")
            ids = set(watched.page.eval_on_selector_all("[id]", "elements => elements.map(e => e.id)"))
            ids_of[url] = ids
            for href in watched.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                address, _, fragment = href.partition("#")
                if fragment:
                    fragments.append((url, address, unquote(fragment)))
                if address.startswith("file:") and address not in seen:
                    todo.append(address)
        assert broken == []
        pages = {unquote(url.rsplit("/", 1)[1]) for url in seen if url.endswith(".html")}
        expected = {file_stem(slug_of(iri)) + ".html" for iri in entity_iris(graph)}
        assert expected | {"index.html", "search.html", "ontology.html"} <= pages
        # every link into a page lands on an element of it (an ontology term's section, a class of the index)
        missing = [(page, target) for page, address, target in fragments if address in ids_of and target not in ids_of[address]]
        assert missing == []
        assert any(address.endswith("/ontology.html") for _, address, _ in fragments)
        watched.check_clean()
    finally:
        watched.close()


def test_hostile_text_stays_text_on_every_page(browser, site):
    folder, _ = site
    watched = Watched(browser, "file:")
    try:
        for page_file in sorted(folder.glob("*.html")):
            watched.page.goto(page_file.resolve().as_uri())
            # no element the data could have made: the one script is the search page's own, from the folder
            assert watched.page.evaluate("() => document.querySelectorAll('script:not([src=\"search.js\"]), iframe, img, svg, b, "
                                         "[onerror], [onload]').length") == 0
            assert watched.page.evaluate("() => document.scripts.length") == (page_file.name == "search.html")
            assert watched.page.evaluate("() => [...document.querySelectorAll('a[href]')].every(a => !a.href.startsWith('javascript:') && !a.href.startsWith('data:'))")
        watched.page.goto((folder / "hostile-intervention.html").resolve().as_uri())
        assert "<img src=x onerror=alert(1)>" in watched.page.inner_text("h1")
        watched.check_clean()
    finally:
        watched.close()


def test_the_site_search_filters_as_one_types_and_keeps_the_words_in_the_address(browser, site):
    folder, graph = site
    watched = Watched(browser, "file:")
    try:
        page = watched.page
        page.goto((folder / "search.html").resolve().as_uri())
        total = len(entity_iris_of(graph))

        def shown() -> list[str]:
            return page.eval_on_selector_all("#search-list li:not([hidden]) a", "links => links.map(a => a.textContent)")

        assert len(shown()) == total
        page.fill("#search", "CONTESTED clAim")
        listed = shown()
        assert listed and len(listed) < total
        assert all("contested" in text.lower() for text in listed)
        assert "#q=" in page.url
        again = watched.context.new_page()
        again.goto(page.url)
        again.wait_for_function("() => document.getElementById('search').value !== ''")
        assert again.eval_on_selector_all("#search-list li:not([hidden]) a", "links => links.map(a => a.textContent)") == listed
        again.close()
        page.fill("#search", "no entity is called this")
        assert shown() == [] and "0 of" in page.inner_text("#search-status")
        watched.check_clean()
    finally:
        watched.close()


def entity_iris_of(graph) -> list[str]:
    from irgraph.pages import entity_iris

    return entity_iris(graph)


def test_the_served_explorer_wears_the_house_header_and_opens_entity_pages(browser, server):
    base = server.endpoint_url.rsplit("/", 1)[0]
    watched = Watched(browser, base + "/")
    try:
        page = watched.page
        page.goto(base + "/explorer#select=ir:ledger-contested")
        page.wait_for_selector("body[data-ready=true]")
        header = page.query_selector("header.house")
        assert header is not None and "not medical advice" in header.inner_text()
        nav = page.eval_on_selector_all("header.house nav a", "links => links.map(a => [a.textContent, a.getAttribute('href')])")
        assert ["Explorer", "/explorer"] in nav and ["Entities", "/id/"] in nav and ["Ontology", "/ontology"] in nav
        assert page.get_attribute("header.house nav a[aria-current=page]", "href") == "/explorer"
        # the same stylesheet as the other pages: the header looks the same here as on an entity page
        look = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderBottomColor, s.fontFamily]; }"
        here = page.eval_on_selector("header.house", look)
        page.click("#details .entity-page a")
        page.wait_for_url(base + "/id/ledger-contested")
        assert page.inner_text("h1") and page.eval_on_selector("header.house", look) == here
        watched.check_clean()
    finally:
        watched.close()


def test_a_link_from_another_site_opens_an_entity_page_but_its_requests_are_refused(browser, server, tmp_path):
    import functools
    import http.server
    import threading

    base = server.endpoint_url.rsplit("/", 1)[0]
    target = base + "/id/ledger-contested"
    (tmp_path / "notes.html").write_text(f'<!DOCTYPE html><a id="go" href="{target}">the claim</a><img id="pic" src="{target}">',
                                         encoding="utf-8")
    # another site: "localhost" is not the site 127.0.0.1 (the browser says Sec-Fetch-Site: cross-site)
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler,
                                                                                 directory=str(tmp_path)))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        seen: list[tuple[str, str, int]] = []
        page.on("response", lambda response: seen.append((response.request.resource_type, response.url, response.status)))
        page.goto(f"http://localhost:{other.server_address[1]}/notes.html")
        page.wait_for_load_state("load")
        # the other page's own request for the page (an image): refused
        assert [status for kind, url, status in seen if url == target] in ([], [403])
        page.click("#go")
        page.wait_for_url(target)
        assert ("document", target, 200) in seen, seen  # a person following its link: the page
        assert "not medical advice" in page.inner_text("header.house")
    finally:
        context.close()
        other.shutdown()
        other.server_close()
