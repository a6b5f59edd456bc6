"""The explorer page without a browser: what it draws, filters, escapes, and that it is stable."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Namespace, URIRef
from rdflib.namespace import SKOS

import irgraph
from irgraph import house
from irgraph.pages import served_navigation
from irgraph.store import memory_copy
from irgraph.visualize import DISCLAIMER, LARGE_GRAPH, _json_for_html, explorer_data, explorer_page, to_html

from .conftest import FIXTURES

IRG = Namespace("https://w3id.org/irgraph/ontology#")
IR = Namespace("https://w3id.org/irgraph/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
IL2 = str(IR["il-2"])
HE2000 = str(IR["he2000"])
#: what the explorer draws as nodes: every class of the data except controlled values and concept schemes
DRAWN = {
    IRG[name]
    for name in (
        "Intervention", "CombinationIntervention", "Approach", "Mechanism", "BiologicalEntity", "ClinicalStudy",
        "TrialPhase", "Finding", "Claim", "BiologicalFact", "ClinicalThreshold", "Source", "Organization", "Endpoint",
        "EvidenceLine",
    )
}
#: shown first on a whole-graph page
SHOWN_FIRST = {IRG[name] for name in ("Intervention", "CombinationIntervention", "Approach", "ClinicalStudy", "Finding", "Claim")}
#: bookkeeping links the explorer leaves out
LEFT_OUT = {RDF.type, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept}


def page_data(html: str) -> dict:
    """The JSON the page embeds (what its script draws)."""
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match, "the page has no graph data"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def plain(graph):
    """The bundled graph in rdflib's own store, for independent counting."""
    return memory_copy(graph)


@pytest.fixture(scope="module")
def whole(graph):
    return explorer_data(graph)


def entities(plain, classes):
    return {str(s) for s, cls in plain.subject_objects(RDF.type) if cls in classes}


def links_between(plain, nodes):
    return {(str(s), str(p), str(o)) for s, p, o in plain if p not in LEFT_OUT and str(s) in nodes and str(o) in nodes}


def test_nodes_are_the_entities_of_the_drawn_classes(plain, whole):
    assert {n["id"] for n in whole["nodes"]} == entities(plain, DRAWN)
    effects = entities(plain, {IRG.Effect, IRG.Verdict, IRG.Certainty, IRG.EndpointKind})
    assert effects and not effects & {n["id"] for n in whole["nodes"]}


def test_edges_are_the_links_between_drawn_nodes_labelled_from_the_ontology(plain, whole):
    nodes = entities(plain, DRAWN)
    drawn = {(e["from"], irgraph.expand(e["relation"]), e["to"]) for e in whole["edges"]}
    assert drawn == links_between(plain, nodes)
    assert len(whole["edges"]) == len(drawn)
    for edge in whole["edges"]:
        prop = URIRef(irgraph.expand(edge["relation"]))
        if (prop, RDF.type, OWL.ObjectProperty) in plain:
            assert edge["label"] == str(plain.value(prop, RDFS.label)), edge
        assert not edge["label"].startswith(("http", "irg:")), edge


def test_controlled_values_become_facts_of_the_nodes_that_use_them(plain, whole):
    by_id = {n["id"]: n for n in whole["nodes"]}
    checked = 0
    for finding, verdict in plain.subject_objects(IRG.verdict):
        assert ["verdict", str(plain.value(verdict, RDFS.label))] in by_id[str(finding)]["facts"]
        checked += 1
    assert checked >= 20


def test_a_whole_graph_page_shows_the_main_classes_first(whole):
    shown = {c["id"] for c in whole["classes"] if c["on"]}
    assert shown == {irgraph.compact(str(c)) for c in SHOWN_FIRST}
    counts = {c["id"]: c["count"] for c in whole["classes"]}
    assert sum(counts.values()) == len(whole["nodes"])


def test_a_focus_page_shows_everything_it_draws(graph):
    data = explorer_data(graph, focus="IL-2", depth=1)
    assert all(c["on"] for c in data["classes"])
    assert data["focus"] == IL2


def test_provenance_of_il2_names_its_sources_with_identifiers_and_links(plain, whole):
    il2 = next(n for n in whole["nodes"] if n["id"] == IL2)
    assert set(il2["sources"]) == {str(s) for s in plain.objects(URIRef(IL2), PROV.wasDerivedFrom)}
    assert il2["sections"] == sorted(str(s) for s in plain.objects(URIRef(IL2), IRG.sourceSection))
    with_doi = [s for s in il2["sources"] if plain.value(URIRef(s), IRG.doi)]
    assert with_doi
    for source in with_doi:
        doi = str(plain.value(URIRef(source), IRG.doi))
        assert ["DOI", doi, f"https://doi.org/{doi}"] in whole["sources"][source]["ids"]
    study = next(n for n in whole["nodes"] if n["id"] == str(IR["study-esprit"]))
    nct = str(plain.value(IR["study-esprit"], IRG.registryId))
    assert ["ClinicalTrials.gov", nct, f"https://clinicaltrials.gov/study/{nct}"] in study["ids"]


def test_the_evidence_trail_of_il2(plain, whole):
    trail = set(whole["trails"][IL2])
    il2 = URIRef(IL2)
    studies = set(plain.objects(il2, IRG.evaluatedIn))
    findings = set(plain.subjects(IRG.aboutIntervention, il2))
    claims = {c for f in findings for p in (IRG.supports, IRG.contradicts) for c in plain.objects(f, p)}
    expected = {il2} | studies | findings | claims
    sources = {s for node in expected for s in plain.objects(node, PROV.wasDerivedFrom)}
    assert studies and findings and claims and sources
    assert {str(n) for n in expected | sources} <= trail
    assert str(IR["remune"]) not in trail


def test_the_approach_filter_keeps_its_interventions_and_their_trails(plain, whole):
    cytokine = next(a for a in whole["approaches"] if a["id"] == str(IR["approach-cytokine-therapy"]))
    users = {str(i) for i in plain.subjects(IRG.hasApproach, IR["approach-cytokine-therapy"])}
    assert IL2 in users and users <= set(cytokine["nodes"])
    assert set(whole["trails"][IL2]) <= set(cytokine["nodes"])
    assert str(IR["remune"]) not in cytokine["nodes"]
    # narrower approaches are listed under their broader one, one level down
    levels = {a["id"]: a["level"] for a in whole["approaches"]}
    for narrow, broad in plain.subject_objects(SKOS.broader):
        if str(narrow) in levels:
            assert levels[str(narrow)] == levels[str(broad)] + 1


def test_trails_and_approaches_have_their_own_layouts(whole):
    keys = set(whole["trails"]) | {a["id"] for a in whole["approaches"]}
    assert set(whole["views"]) == keys
    for key in keys:
        members = whole["trails"].get(key) or next(a["nodes"] for a in whole["approaches"] if a["id"] == key)
        positions = whole["views"][key]["positions"]
        assert set(positions) == set(members)
        assert len({tuple(p) for p in positions.values()}) == len(positions)  # no two nodes on one spot


def test_no_two_nodes_share_a_spot(whole):
    spots = [(n["x"], n["y"]) for n in whole["nodes"]]
    assert len(set(spots)) == len(spots)


def test_trial_phases_of_studies_and_of_their_findings(plain, whole):
    by_id = {n["id"]: n for n in whole["nodes"]}
    for study, phase in plain.subject_objects(IRG.phase):
        assert by_id[str(study)]["phases"] == [str(phase)]
    for finding, study in plain.subject_objects(IRG.fromStudy):
        assert set(by_id[str(finding)]["phases"]) == {str(p) for p in plain.objects(study, IRG.phase)}
    assert next(p["label"] for p in whole["phases"]) == "Phase I"


def test_focus_depth_1_is_il2_and_its_neighbours_and_nothing_else(invoke, tmp_path, plain):
    out = tmp_path / "il-2.html"
    result = invoke("viz", "--focus", "IL-2", "--depth", "1", "-o", out)
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    nodes = entities(plain, DRAWN)
    il2 = URIRef(IL2)
    neighbours = {str(o) for o in plain.objects(il2)} | {str(s) for s in plain.subjects(None, il2)}
    assert {n["id"] for n in data["nodes"]} == {IL2} | (neighbours & nodes)
    assert {(e["from"], irgraph.expand(e["relation"]), e["to"]) for e in data["edges"]} == links_between(
        plain, {IL2} | (neighbours & nodes)
    )


def test_focus_neighbourhood_does_not_spread_through_sources(graph, plain):
    data = explorer_data(graph, focus="IL-2", depth=2)
    nodes = entities(plain, DRAWN)
    hubs = entities(plain, {IRG.Source, IRG.Endpoint, IRG.TrialPhase})

    def around(node):
        return ({str(o) for o in plain.objects(URIRef(node))} | {str(s) for s in plain.subjects(None, URIRef(node))}) & nodes

    first = around(IL2)
    second = {m for n in first - hubs for m in around(n)}
    assert {n["id"] for n in data["nodes"]} == {IL2} | first | second
    assert len(data["nodes"]) < len(nodes) / 2


def test_include_and_exclude_classes(graph):
    statements = explorer_data(graph, include_classes=["irg:Statement"])
    assert {n["class"] for n in statements["nodes"]} == {"irg:Finding", "irg:Claim", "irg:BiologicalFact", "irg:ClinicalThreshold"}
    assert all(c["on"] for c in statements["classes"])
    no_sources = explorer_data(graph, exclude_classes=["irg:Source,irg:Endpoint"])
    assert not {"irg:Source", "irg:Endpoint"} & {n["class"] for n in no_sources["nodes"]}
    both = explorer_data(graph, include_classes=["irg:Intervention", "irg:ClinicalStudy"], exclude_classes=["irg:CombinationIntervention"])
    assert {n["class"] for n in both["nodes"]} == {"irg:Intervention", "irg:ClinicalStudy"}


def test_unknown_class_is_a_usage_error_that_lists_the_classes(invoke, tmp_path):
    out = tmp_path / "page.html"
    result = invoke("viz", "--include-classes", "irg:Findings", "-o", out)
    assert result.exit_code == 2
    assert "irg:Findings" in result.output and "irg:Finding," in result.output and "irg:ClinicalStudy" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_unknown_focus_suggests_close_matches(invoke, tmp_path):
    out = tmp_path / "page.html"
    result = invoke("viz", "--focus", "Imunitin", "-o", out)
    assert result.exit_code == 2
    assert "ir:he2000" in result.output and not out.exists()


def test_depth_without_focus_is_a_usage_error(invoke, tmp_path):
    result = invoke("viz", "--depth", "2", "-o", tmp_path / "page.html")
    assert result.exit_code == 2 and "--focus" in result.output


def test_a_failed_viz_leaves_the_previous_page(invoke, tmp_path):
    out = tmp_path / "page.html"
    assert invoke("viz", "-o", out).exit_code == 0
    before = out.read_bytes()
    assert invoke("viz", "--focus", "no such thing at all", "-o", out).exit_code == 2
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_viz_writes_the_page_and_says_what_it_drew(invoke, tmp_path, whole, no_network):
    out = tmp_path / "sub" / "page.html"
    result = invoke("viz", "-o", out, "--title", "My <title>")
    assert result.exit_code == 0, result.output
    assert no_network == []
    assert f"{len(whole['nodes'])} nodes, {len(whole['edges'])} links" in result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>My &lt;title&gt;</title>" in html and "My <title>" not in html


def test_large_graphs_warn_and_suggest_focus(invoke, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    lines = ["@prefix irg: <https://w3id.org/irgraph/ontology#> .", "@prefix ir: <https://w3id.org/irgraph/id/> ."]
    lines += [f'ir:many-{i} a irg:Finding ; <http://www.w3.org/2000/01/rdf-schema#label> "finding {i}" .' for i in range(LARGE_GRAPH)]
    (folder / "many.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "many.html"
    result = invoke("viz", "--data", folder, "-o", out)
    assert result.exit_code == 0
    assert "warning" in result.stderr and "--focus" in result.stderr and "--focus" not in result.stdout
    assert page_data(out.read_text(encoding="utf-8"))["large"] is True
    small = invoke("viz", "-o", tmp_path / "small.html")
    assert "warning" not in small.stderr


def test_build_writes_the_same_explorer(tmp_path, graph):
    irgraph.run_build(tmp_path)
    assert (tmp_path / "irgraph.html").read_text(encoding="utf-8") == to_html(graph)


def test_same_graph_and_options_give_the_same_bytes(graph, tmp_path):
    assert to_html(graph) == to_html(graph)
    options = {"focus": "IL-2", "depth": 2, "title": "IL-2"}
    assert to_html(graph, **options) == to_html(graph, **options)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "irgraph", "viz", "-o", str(out)], check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].decode("utf-8") == to_html(graph)


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []
        self._attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            if attrs.get(name):
                self.urls.append((tag, name, attrs[name]))
        if tag in ("script", "style"):
            self._in, self._text, self._attrs = tag, [], attrs

    def handle_data(self, data):
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append({**self._attrs, "text": text})
            else:
                self.styles.append(text)
            self._in = None


def resources(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


def test_nothing_is_loaded_from_the_network(graph):
    html = to_html(graph)
    found = resources(html)
    assert not [u for u in found.urls if re.match(r"\s*(https?:)?//", u[2], re.I)]
    assert not [s for s in found.scripts if s.get("src")]
    for style in found.styles:
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", style, re.I)
        assert "@import" not in style and "@font-face" not in style
    assert "<link" not in html.lower()
    assert len(found.scripts) == 3


def test_the_content_security_policy_allows_exactly_the_page_scripts(graph):
    html = to_html(graph)
    policy = unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1))
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'none'"
    allowed = set(directives["script-src"].split())
    runnable = [s["text"] for s in resources(html).scripts if s.get("type") != "application/json"]
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() + "'" for t in runnable}
    assert allowed == hashes and len(hashes) == 2


def test_hostile_strings_are_escaped_where_they_land(tmp_path):
    graph = irgraph.load_graph([FIXTURES / "hostile"])
    title = 'Title </title><script>alert("t")</script> & \\'
    html = to_html(graph, title=title)
    head = html.split('<script type="application/json"', 1)[0]
    assert "<img" not in head and "<iframe" not in head and "onerror" not in head
    assert "<title>Title &lt;/title&gt;&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; \\</title>" in html
    found = resources(html)
    assert len(found.scripts) == 3  # nothing closed the data block early
    data = page_data(html)
    evil = next(n for n in data["nodes"] if n["id"] == str(IR["hostile-intervention"]))
    assert evil["label"] == str(graph.value(IR["hostile-intervention"], RDFS.label))
    assert "\u2028" in evil["definition"][0]
    block = re.search(r'id="graph-data">(.*?)</script>', html, re.S).group(1)
    assert not set("<>&") & set(block) and "\u2028" not in block
    source = data["sources"][str(IR["hostile-source"])]
    assert ["URL", "javascript:alert(12)", ""] in source["web"]
    assert all(row[2].startswith("https://") for row in source["ids"] if row[2])


def test_the_page_carries_the_disclaimer_in_the_house_header(graph):
    page = to_html(graph)
    notice = re.search(r'<p class="house-notice" role="note" id="disclaimer">(.*?)</p>', page, re.S)
    assert notice and re.sub(r"<[^>]+>", "", notice.group(1)) == DISCLAIMER and "not medical advice" in DISCLAIMER
    assert page.index('<header class="house">') < page.index('<main>')  # the header comes first, as on every page
    assert house.stylesheet() in page  # the one look, carried inside the page (no file beside it to link)


def test_the_explorer_links_to_the_other_pages_only_where_it_has_them(graph):
    alone = to_html(graph, focus="IL-2", depth=1)
    assert 'class="house-nav"' not in alone and '"page":' not in alone
    served = to_html(graph, focus="IL-2", depth=1, navigation=served_navigation())
    nav = re.search(r'<nav class="house-nav".*?</nav>', served, re.S).group(0)
    assert 'href="/id/"' in nav and 'href="/explorer" aria-current="page"' in nav
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', served, re.S).group(1))
    pages_of = {node["id"]: node.get("page") for node in data["nodes"]}
    assert pages_of[str(IR["il-2"])] == "/id/il-2"
    assert all(page is None for iri, page in pages_of.items() if not iri.startswith(str(IR)))


@given(st.text())
def test_json_for_html_cannot_close_the_script_and_round_trips(text):
    encoded = _json_for_html({"value": text})
    assert not set("<>&") & set(encoded)
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"value": text}


def test_explorer_page_reports_counts(graph, whole):
    page = explorer_page(graph)
    assert (page.node_count, page.edge_count) == (len(whole["nodes"]), len(whole["edges"]))
    assert page.warnings == ()


def test_nodes_without_labels_or_types_outside_irg_still_draw():
    graph = irgraph.load_graph()
    extra = URIRef("https://example.org/thing")
    graph.add((extra, RDF.type, URIRef("https://example.org/Widget")))
    graph.add((extra, IRG.targets, IR["cd4-t-cell"]))
    data = explorer_data(graph, include_classes=["https://example.org/Widget", "irg:BiologicalEntity"])
    thing = next(n for n in data["nodes"] if n["id"] == str(extra))
    assert thing["label"] == "https://example.org/thing" and thing["class"] == "https://example.org/Widget"
    assert any(e["from"] == str(extra) for e in data["edges"])


# --- the claim ledger and the forest plots in the page ------------------------------

def templates(html: str) -> dict[str, str]:
    """The page's forest plots: template id -> its SVG."""
    return dict(re.findall(r'<template id="(forest-\d+)">(.*?)</template>', html, re.S))


_DRAWING = {"svg", "g", "path", "defs", "clipPath", "use", "text", "tspan", "title", "rect", "line", "polyline", "polygon",
            "circle", "ellipse"}


def assert_only_drawing(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert {e.tag.split("}")[1] for e in root.iter()} <= _DRAWING
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            if name.endswith("href"):
                assert value.startswith("#"), value
            assert "javascript:" not in value and "url(http" not in value.replace(" ", ""), value
    return root


def test_every_claim_carries_its_ledger_and_a_badge(graph, whole):
    from irgraph.claims import STATUSES

    claims = {n["id"]: n for n in whole["nodes"] if n["class"] == "irg:Claim"}
    assert claims
    for node in claims.values():
        ledger = node["ledger"]
        assert ledger["status"] in STATUSES and ledger["badge"].startswith(ledger["status"])
        assert ledger["certainty"]["level"] in ledger["badge"]
        assert sum(ledger["counts"]) == sum(len(lines) for lines in ledger["lines"].values())
        for line in (x for lines in ledger["lines"].values() for x in lines):
            assert line["sources"] and all(s in whole["sources"] for s in line["sources"])
    il2 = claims[str(IR["claim-il2-cd4-gains-restore-immunity"])]["ledger"]
    assert il2["status"] == "contradicted by randomised evidence"
    assert not [n for n in whole["nodes"] if n["ledger"] and n["class"] in ("irg:Intervention", "irg:ClinicalStudy")]


def test_claims_with_estimates_have_their_forest_plot_inline(graph):
    html = to_html(graph)
    data, plots = page_data(html), templates(html)
    with_plot = {n["ledger"]["forest"]: n for n in data["nodes"] if n["ledger"] and n["ledger"]["forest"]}
    assert with_plot and set(with_plot) == set(plots)
    for template in with_plot:
        root = assert_only_drawing(plots[template])
        ids = {e.get("id") for e in root.iter() if e.get("id")}
        assert f"{template}-null-line-0" in ids and all(i.startswith(f"{template}-") for i in ids)
        assert "width" not in root.attrib and root.get("viewBox")
    il2 = next(n for n in data["nodes"] if n["id"] == str(IR["claim-il2-cd4-gains-restore-immunity"]))
    shown = " ".join(e.text or "" for e in ET.fromstring(plots[il2["ledger"]["forest"]]).iter("{http://www.w3.org/2000/svg}text"))
    assert "ESPRIT" in shown and "HR 5.84" in shown and "(0.59 to 43.57)" in shown


def test_hostile_ledger_and_plot_strings_stay_text(tmp_path):
    graph = irgraph.load_graph([FIXTURES / "hostile"])
    html = to_html(graph)
    data = page_data(html)
    claim = next(n for n in data["nodes"] if n["id"] == "https://w3id.org/irgraph/id/claim'onmouseover='alert(14)'")
    (line,) = claim["ledger"]["lines"]["contradicts"]
    assert line["label"] == str(graph.value(IR["hostile-finding"], RDFS.label))
    assert line["rationale"].startswith("Because <iframe src=javascript:alert(20)>")
    assert claim["ledger"]["certainty"]["rationale"] == "<img src=x onerror=alert(21)> rated down"
    svg = templates(html)[claim["ledger"]["forest"]]
    root = assert_only_drawing(svg)
    titles = [e.text or "" for e in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(str(graph.value(IR["hostile-finding"], RDFS.label)) in t for t in titles)
    assert "<script" not in svg and "&lt;script&gt;alert(16)" in svg
    assert len(resources(html).scripts) == 3  # nothing in a plot opened or closed a script


def test_entity_page_links_are_off_unless_asked_and_only_relative_or_http(invoke, tmp_path):
    small = irgraph.load_data([FIXTURES / "explorer"], bundled=False).graph
    assert page_data(to_html(small))["entity_pages"] is None
    out = tmp_path / "page.html"
    assert invoke("viz", "--data", FIXTURES / "explorer", "--entity-pages", "id/{slug}.html", "-o", out).exit_code == 0
    assert page_data(out.read_text(encoding="utf-8"))["entity_pages"] == "id/{slug}.html"
    assert page_data(to_html(small, entity_pages="https://example.org/id/{slug}"))["entity_pages"] == "https://example.org/id/{slug}"
    for bad in ("javascript:alert({slug})", "data:text/html,{slug}", "//evil.example/{slug}", "id/no-slug.html",
                'id/{slug}.html"><script>'):
        result = invoke("viz", "--entity-pages", bad, "-o", tmp_path / "bad.html")
        assert result.exit_code == 2 and "--entity-pages" in result.output, bad
        assert not (tmp_path / "bad.html").exists()


def test_a_graph_too_large_to_read_whole_is_laid_out_as_wide_as_the_view_at_a_readable_scale(whole):
    from irgraph.explorer_layout import VIEW, readable_scale

    main = [n for n in whole["nodes"] if n["column"] <= 5 and any(c["on"] and c["id"] == n["class"] for c in whole["classes"])]
    fonts = {c["id"]: c["font"] for c in whole["classes"]}
    assert whole["readable"] == round(readable_scale({n["class"] for n in main}), 4)
    assert min(fonts[n["class"]] for n in main) * whole["readable"] >= 11
    xs = [n["x"] for n in main]
    assert (max(xs) - min(xs) + 170) * whole["readable"] <= VIEW[0]  # every main column in the width
    # the shorter columns reach the top and the bottom of the tallest
    by_column: dict[int, list[float]] = {}
    for n in main:
        by_column.setdefault(n["column"], []).append(n["y"])
    top = min(min(ys) for ys in by_column.values())
    bottom = max(max(ys) for ys in by_column.values())
    for ys in by_column.values():
        if len(ys) > 1:
            assert min(ys) - top < 0.05 * (bottom - top) and bottom - max(ys) < 0.05 * (bottom - top)
