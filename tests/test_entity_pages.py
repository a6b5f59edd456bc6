"""A page for every entity: `irgraph serve`'s /id/<slug> by content negotiation, and `irgraph site`'s files.

Served from the ledger and hostile fixtures (with the ontology only), so
every entity, every statement and every payload is known.
"""

from __future__ import annotations

import html.parser
import re
import sys
import urllib.parse

import pytest
from rdflib import RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import irgraph
import irgraph.pages
from irgraph import formats
from irgraph.catalog import catalog, is_internal
from irgraph.errors import UsageError, WriteError
from irgraph.pages import entity_graph, entity_iris, file_stem, ready_query, served_navigation, site_navigation, slug_of
from irgraph.query import run_saved_query
from irgraph.serve import make_server, serve_in_thread
from irgraph.site import site_files, write_site

from .conftest import FIXTURES, REPO
from .test_serve import request

RDF_FORMATS = [f for f in formats.formats_for(formats.CONSTRUCT) if f.media_type and f.suffix]
PARSE_AS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def graph():
    return irgraph.load_data([FIXTURES / "ledger", FIXTURES / "hostile"], bundled=False).graph


@pytest.fixture(scope="module")
def server(graph):
    started = make_server(graph, port=0, timeout=20, quiet=True)
    serve_in_thread(started)
    yield started
    started.shutdown()
    started.server_close()


def base(server) -> str:
    return server.endpoint_url.rsplit("/", 1)[0]


def same(found: Graph, expected: Graph) -> bool:
    """Isomorphic, with RDF 1.1's equal forms of a string (``"x"`` and ``"x"^^xsd:string``) taken as one."""
    def plain(graph: Graph) -> Graph:
        out = Graph()
        for s, p, o in graph:
            out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
        return out

    return isomorphic(plain(found), plain(expected))


def own_triples(graph: Graph, iri: str) -> Graph:
    """The entity's triples, found here independently: its statements and those of the blank nodes they reach."""
    out, todo, seen = Graph(), [URIRef(iri)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            out.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return out


def test_every_entity_answers_in_html_and_every_rdf_format(server, graph):
    entities = entity_iris(graph)
    assert URIRef("https://w3id.org/irgraph/id/hostile-intervention") in {URIRef(i) for i in entities}
    nav = served_navigation()
    for iri in entities:
        path = base(server) + nav.entity(iri, "")
        status, headers, body = request(path, headers={"Accept": "text/html"})
        assert status == 200 and headers["Content-Type"].startswith("text/html"), iri
        assert headers["Vary"] == "Accept" and "script-src" not in headers["Content-Security-Policy"]
        assert "not medical advice" in body
        expected = own_triples(graph, iri)
        for entry in RDF_FORMATS:
            for url, accept in ((path, entry.media_type), (base(server) + nav.entity(iri, entry.suffix), "*/*")):
                status, headers, body = request(url, headers={"Accept": accept})
                assert status == 200 and headers["Content-Type"].split(";")[0] == entry.media_type, (iri, url)
                assert same(Graph().parse(data=body, format=PARSE_AS[entry.name]), expected), (iri, entry.name)


def test_the_entity_graph_is_its_own_triples(graph):
    for iri in entity_iris(graph):
        assert isomorphic(entity_graph(graph, iri), own_triples(graph, iri))


def test_negotiation_406_and_not_found(server):
    path = base(server) + "/id/ledger-contested"
    status, headers, body = request(path, headers={"Accept": "image/png"})
    assert status == 406 and "text/turtle" in body and headers["Vary"] == "Accept"
    status, headers, _ = request(path, headers={"Accept": "text/html;q=0.5, application/rdf+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    assert headers["Content-Location"] == "/id/ledger-contested.rdf"
    assert request(base(server) + "/id/no-such-entity")[0] == 404
    assert request(base(server) + "/id/no-such-entity.ttl")[0] == 404
    assert request(base(server) + "/id/%ff")[0] == 404
    assert request(base(server) + "/static/../pages.py")[0] == 404
    assert request(base(server) + "/nowhere")[0] == 404


def test_the_index_lists_every_entity_by_class(server, graph):
    status, _headers, body = request(base(server) + "/id/")
    assert status == 200 and "not medical advice" in body
    links = set()

    class Links(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                links.add(dict(attrs).get("href"))

    Links().feed(body)
    assert {served_navigation().entity(iri, "") for iri in entity_iris(graph)} <= links
    assert '<h2 id="class-' in body and ">claim<" in body.lower()


def test_a_claim_page_shows_its_ledger_and_sources(server):
    _, _, body = request(base(server) + "/id/ledger-contested", headers={"Accept": "text/html"})
    assert "The claim ledger" in body and "contested" in body
    assert "Where it comes from" in body and "Ledger sheet" in body
    assert 'href="/explorer?focus=' in body and 'href="/#query=DESCRIBE' in body


class Markup(html.parser.HTMLParser):
    """Collects what a page would run or fetch: elements, event attributes, link targets."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.events: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.events += [name for name, _ in attrs if name.startswith("on")]
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src")]


def test_hostile_payloads_are_inert_on_every_page(server, graph):
    nav = served_navigation()
    for iri in entity_iris(graph):
        _, _headers, body = request(base(server) + nav.entity(iri, ""), headers={"Accept": "text/html"})
        seen = Markup()
        seen.feed(body)
        assert not {"script", "img", "iframe", "svg", "b", "template"} & set(seen.tags), iri
        assert seen.events == [], iri
        assert not any(h.strip().lower().startswith(("javascript:", "data:")) for h in seen.hrefs), iri
    _, _, body = request(base(server) + "/id/hostile-intervention", headers={"Accept": "text/html"})
    assert "Evil &lt;img src=x onerror=alert(1)&gt;" in body
    quoted = urllib.parse.quote("claim'onmouseover='alert(14)'", safe="")
    status, _, body = request(base(server) + "/id/" + quoted, headers={"Accept": "text/html"})
    assert status == 200 and "A claim whose IRI carries quotes" in body


# --- the ontology's terms and the search page ----------------------------------------

ONTOLOGY = "https://w3id.org/irgraph/ontology"


def ontology_triples(graph: Graph) -> Graph:
    """The ontology's triples, found here independently: those of the ontology and of each ``…/ontology#`` term."""
    out = Graph()
    for subject in {s for s in graph.subjects() if isinstance(s, URIRef) and
                    (str(s) == ONTOLOGY or str(s).startswith(ONTOLOGY + "#"))}:
        out += own_triples(graph, str(subject))
    return out


class Anchors(html.parser.HTMLParser):
    """The ids of a page's elements and the targets of its links."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"] or "")
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")


def anchors(body: str) -> Anchors:
    found = Anchors()
    found.feed(body)
    return found


def test_the_ontology_answers_for_its_hash_iris_by_negotiation_and_suffix(server, graph):
    terms = {str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY + "#")}
    assert terms  # the fixture graph carries the ontology
    status, headers, body = request(base(server) + "/ontology", headers={"Accept": "text/html"})
    assert status == 200 and headers["Vary"] == "Accept" and "not medical advice" in body
    ids = anchors(body).ids
    assert {iri.split("#", 1)[1] for iri in terms} <= ids  # every term's hash IRI lands on its own section
    expected = ontology_triples(graph)
    for entry in RDF_FORMATS:
        for url, accept in ((base(server) + "/ontology", entry.media_type), (base(server) + "/ontology" + entry.suffix, "*/*")):
            status, headers, body = request(url, headers={"Accept": accept})
            assert status == 200 and headers["Content-Type"].split(";")[0] == entry.media_type, url
            assert same(Graph().parse(data=body, format=PARSE_AS[entry.name]), expected), (url, entry.name)
    status, headers, _ = request(base(server) + "/ontology", headers={"Accept": "application/rdf+xml"})
    assert headers["Content-Location"] == "/ontology.rdf"
    assert request(base(server) + "/ontology", headers={"Accept": "image/png"})[0] == 406
    assert request(base(server) + "/ontology.html")[0] == 200
    assert request(base(server) + "/ontology.xyz")[0] == 404


def test_entity_pages_link_their_classes_and_properties_to_the_ontology(server, graph):
    _, _, ontology = request(base(server) + "/ontology", headers={"Accept": "text/html"})
    sections = anchors(ontology).ids
    _, _, body = request(base(server) + "/id/ledger-contested", headers={"Accept": "text/html"})
    term_links = [href for href in anchors(body).hrefs if href.startswith("/ontology#")]
    assert "/ontology#Claim" in term_links  # its class
    assert len(set(term_links)) > 2  # and the properties of its statements
    assert all(href.split("#", 1)[1] in sections for href in term_links)
    # the ontology's own links: each term's super- and subclasses, domains and ranges land on a section of the page
    inside = [href for href in anchors(ontology).hrefs if href.startswith("/ontology#") or href.startswith("#")]
    assert inside and all(href.split("#", 1)[1] in sections for href in inside)


def test_the_search_page_lists_every_entity_by_its_names(server, graph):
    status, headers, body = request(base(server) + "/search")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    nav = served_navigation()
    links = set(anchors(body).hrefs)
    assert {nav.entity(iri, "") for iri in entity_iris(graph)} <= links
    seen = Markup()
    seen.feed(body)
    assert seen.tags.count("script") == 1 and "/static/search.js" in seen.hrefs  # its own script, from the package
    assert seen.events == [] and not {"img", "iframe", "svg", "template"} & set(seen.tags)
    assert request(base(server) + "/static/search.js")[0] == 200


# --- ready queries -----------------------------------------------------------------

def test_every_research_question_with_parameters_binds_like_the_cli(loaded):
    graph = loaded.graph
    examples = {"intervention": "IL-2", "entity": "thymus"}
    for saved in catalog().values():
        if is_internal(saved) or not saved.params:
            continue
        params = {name: examples[name] for name, _ in saved.params}
        _, text = ready_query(graph, saved.name, params)
        bound = irgraph.query_graph(graph, text)
        direct = run_saved_query(graph, saved, params, timeout=30)
        assert bound.variables == direct.variables and bound.rows == direct.rows, saved.name
    with pytest.raises(UsageError):
        ready_query(graph, "count-instances-per-class", {})


# --- irgraph site --------------------------------------------------------------------

def test_site_files_hold_the_ontology_the_search_and_the_whole_graph(graph):
    files = site_files(graph, explorer=False)
    assert same(Graph().parse(data=files["ontology.ttl"], format="turtle"), ontology_triples(graph))
    for entry in RDF_FORMATS:
        assert same(Graph().parse(data=files["irgraph" + entry.suffix], format=PARSE_AS[entry.name]), graph), entry.name
    sections = anchors(files["ontology.html"]).ids
    page = files[file_stem("ledger-contested") + ".html"]
    assert "ontology.html#Claim" in anchors(page).hrefs
    assert all(h.split("#", 1)[1] in sections for h in anchors(page).hrefs if h.startswith("ontology.html#"))
    search = files["search.html"]
    assert 'src="search.js"' in search and files["search.js"].startswith("// irgraph's search page")
    assert {site_navigation().entity(iri, "") for iri in entity_iris(graph)} <= set(anchors(search).hrefs)


def test_site_files_hold_every_entity_page_and_its_rdf(graph):
    files = site_files(graph, explorer=False)
    for iri in entity_iris(graph):
        stem = file_stem(slug_of(iri))
        assert f"{stem}.html" in files
        for entry in RDF_FORMATS:
            assert same(Graph().parse(data=files[f"{stem}{entry.suffix}"], format=PARSE_AS[entry.name]),
                        own_triples(graph, iri))
    assert all("http://127.0.0.1" not in text and 'href="/' not in text for name, text in files.items() if name.endswith(".html"))


def test_site_pages_open_the_explorer_on_their_entity(graph):
    import html as html_module
    import json
    import re
    from urllib.parse import parse_qs

    from irgraph.namespaces import compact

    files = site_files(graph)
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', files["explorer.html"], re.S).group(1))
    in_explorer = {node["compact"] for node in data["nodes"]}
    # and back: each entity the explorer draws links to its page in the folder
    drawn = [node for node in data["nodes"] if slug_of(node["id"])]
    assert drawn and all(node["page"] == site_navigation().entity(node["id"], "") and urllib.parse.unquote(node["page"]) in files
                         for node in drawn)
    checked = 0
    for iri in entity_iris(graph):
        page = files[f"{file_stem(slug_of(iri))}.html"]
        links = [html_module.unescape(h) for h in re.findall(r'href="(explorer\.html#[^"]*)"', page)]
        assert links, iri
        view = parse_qs(links[0].split("#", 1)[1])
        assert view == {"select": [compact(iri)], "focus": [compact(iri)]}
        checked += compact(iri) in in_explorer
    assert checked  # the entities the explorer draws are found by the name in the link


def test_site_is_written_whole_and_refuses_a_foreign_folder(tmp_path, graph, invoke):
    folder = tmp_path / "public"
    result = write_site(graph, folder, explorer=False)
    assert (folder / "index.html").is_file() and result.entities == len(entity_iris(graph))
    write_site(graph, folder, explorer=False)  # again: an earlier site is replaced
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(WriteError):
        write_site(graph, folder, explorer=False)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    out = tmp_path / "cli"
    done = invoke("site", "--data", FIXTURES / "ledger", "--no-explorer", out)
    assert done.exit_code == 0 and "entity pages" in done.output and (out / "ledger-contested.ttl").is_file()


def test_file_stems_cannot_leave_the_folder_or_collide():
    assert file_stem("../x") == "%2E.%2Fx"
    assert file_stem(".hidden") == "%2Ehidden"
    assert file_stem("index") == "index~" and file_stem("house") == "house~"
    assert {file_stem(name) for name in ("ontology", "search", "irgraph", "explorer")} == {
        "ontology~", "search~", "irgraph~", "explorer~"}
    assert len(file_stem("x" * 500)) < 200


def test_the_vendored_bundle_passes_its_check():
    sys.path.insert(0, str(REPO / "tools"))
    import vendor_yasgui

    assert vendor_yasgui.main(["--check"]) == 0


def test_numbers_are_shown_with_the_unit_their_node_names():
    from rdflib import Namespace

    irg, ir = Namespace("https://w3id.org/irgraph/ontology#"), Namespace("https://w3id.org/irgraph/id/")
    small = Graph()
    small.add((ir["rise"], RDFS.label, Literal("A rise")))
    small.add((ir["rise"], irg.value, Literal(70)))
    small.add((ir["rise"], irg.unitText, Literal("cells per cubic millimetre")))
    small.add((ir["count"], RDFS.label, Literal("A count")))
    small.add((ir["count"], irg.value, Literal(12)))
    nav = served_navigation()
    rows = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", irgraph.pages.entity_page(small, str(ir["rise"]), nav))
    assert any(value == "70 cells per cubic millimetre" for _, value in rows)
    assert not any(value == "cells per cubic millimetre 70" for _, value in rows)
    rows = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", irgraph.pages.entity_page(small, str(ir["count"]), nav))
    assert any(value == "12" for _, value in rows)
