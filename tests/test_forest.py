"""`irgraph plot forest`: what is drawn, how it is labelled, that SVG is deterministic and PNG the size asked for,
that hostile labels stay text, and the errors; on tests/fixtures/forest (known answers) and the bundled data."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import irgraph
from irgraph.forest import forest_figure, forest_plot, forest_rows, sanitize_svg, to_svg

from .conftest import FIXTURES

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "Hostile </text><script>alert(1)</script> & $x^2$ <svg onload=alert(2)> finding"


@pytest.fixture(scope="module")
def forest_graph():
    return irgraph.load_data([FIXTURES / "forest"], bundled=False).graph


@pytest.fixture(scope="module")
def whole_svg(forest_graph):
    return forest_plot(forest_graph)


def texts(svg: bytes) -> list[str]:
    """The text the picture shows (each <text>), in document order."""
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def titles(svg: bytes) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}title")]


def test_the_rows_panels_and_notes_of_the_fixture(forest_graph):
    plot = forest_rows(forest_graph)
    assert {r.label for r in plot.rows} == {"Forest trial: fewer events", "Forest cohort: more infections",
                                            "Forest trial: CD4 counts higher", HOSTILE}
    assert plot.not_drawn == ["Forest trial: more harms"]
    panels = {key: {r.estimate.abbreviation for r in rows} for key, rows in plot.panels()}
    assert panels == {("ratio", "ratio"): {"HR", "RR", "OR"}, ("difference", "mean difference (cells/mm³)"): {"MD"}}
    assert next(key for key, _ in plot.panels()) == ("ratio", "ratio")  # ratios first


def test_the_svg_parses_and_shows_each_label_escaped_and_the_null_lines(whole_svg):
    root = ET.fromstring(whole_svg)
    shown = " ".join(texts(whole_svg))
    for label in ("Forest trial: fewer events", "Forest cohort: more infections", "Forest trial: CD4 counts higher"):
        assert label in shown and any(t.startswith(label) for t in titles(whole_svg))
    assert any(t.startswith(HOSTILE) for t in titles(whole_svg))  # the whole label, as text
    assert b"&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; $x^2$" in whole_svg
    assert not [e for e in root.iter() if e.tag.split("}")[1] in ("script", "foreignObject", "a", "image")]
    assert not [name for e in root.iter() for name in e.attrib if name.lower().startswith("on")]
    assert {"$x^2$"} <= set(" ".join(texts(whole_svg)).split())  # a dollar sign, not mathematics
    ids = {element.get("id") for element in root.iter()}
    assert {"null-line-0", "null-line-1"} <= ids  # one null line per panel: ratios at 1, differences at 0


def test_each_row_names_its_study_design_n_estimate_comparison_and_source(whole_svg):
    shown = " ".join(texts(whole_svg))
    assert "Forest trial (randomised controlled trial, blinded; N = 380 randomised)" in shown
    assert "HR 0.62" in shown and "(0.45 to 0.85)" in shown and "HR: forest drug vs placebo" in shown
    assert "MD 48 cells/mm³" in shown and "MD: forest drug minus placebo" in shown
    assert "Forest paper, J Tests 2020" in shown
    assert "99% CI" in shown and shown.count("99% CI") == 1  # the level is noted only where it is not 95%
    assert "Ratios: hazard ratio, odds ratio, relative risk (log scale, null line at 1)" in shown
    assert "Mean difference (cells/mm³) (null line at 0)" in shown
    assert f"irgraph is a research and education tool, not medical advice; source: irgraph {irgraph.package_version()}." in shown
    assert "Not drawn, no interval printed: Forest trial: more harms." in shown


def test_a_claims_plot_marks_each_finding_by_direction(forest_graph):
    plot = forest_rows(forest_graph, claim="Forest claim")
    assert {r.label: r.direction for r in plot.rows} == {
        "Forest trial: fewer events": "supports", "Forest cohort: more infections": "contradicts", HOSTILE: "qualifies"}
    shown = " ".join(texts(to_svg(forest_figure(plot))))
    for said in ("supports (strong)", "contradicts (moderate)", "qualifies (weak)", "supports the claim",
                 "contradicts the claim", "qualifies the claim", "Later findings on: Forest claim", "Claim ledger: contested"):
        assert said in shown, said
    assert "Forest trial: CD4 counts higher" not in shown  # it bears on nothing


def test_an_intervention_plot_includes_narrower_interventions(forest_graph):
    labels = {r.label for r in forest_rows(forest_graph, intervention="Forest drug").rows}
    assert labels == {"Forest trial: fewer events", "Forest cohort: more infections", "Forest trial: CD4 counts higher"}
    both = forest_rows(forest_graph, claim="ir:forest-claim", intervention="ir:forest-other")
    assert [r.label for r in both.rows] == [HOSTILE]


def test_two_runs_give_the_same_bytes(forest_graph, whole_svg, tmp_path):
    assert forest_plot(forest_graph) == whole_svg
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.svg"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "irgraph", "plot", "forest", "--intervention", "IL-2", "-o", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_png_is_a_png_of_the_requested_size(forest_graph, invoke, tmp_path):
    data = forest_plot(forest_graph, fmt="png", width=1234, height=1111)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1234, 1111)
    out = tmp_path / "forest.png"
    result = invoke("plot", "forest", "--data", FIXTURES / "forest", "--claim", "Forest claim", "--width", "1000", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", out.read_bytes()[16:24])[0] == 1000


def test_the_format_follows_the_suffix_unless_given(invoke, tmp_path):
    svg, named = tmp_path / "a.svg", tmp_path / "b.img"
    assert invoke("plot", "forest", "--intervention", "IL-2", "-o", svg).exit_code == 0
    assert invoke("plot", "forest", "--intervention", "IL-2", "--format", "png", "-o", named).exit_code == 0
    assert svg.read_bytes().startswith(b"<?xml") and named.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, message", [
    (("--claim", "no such claim at all"), "nothing in the graph is called"),
    (("--intervention", "no such drug"), "nothing in the graph is called"),
    (("--intervention", "ir:cd4-t-cell"), "is not an intervention"),
    (("--claim", "IL-2"), "is not a claim"),
    (("--claim", "ir:claim-thymus-stops-by-20"), "nothing to draw"),
    (("--height", "50"), "this plot needs at least"),
    (("--width", "300"), "needs at least"),
])
def test_bad_selections_exit_2_and_write_nothing(invoke, tmp_path, args, message):
    out = tmp_path / "plot.svg"
    result = invoke("plot", "forest", *args, "-o", out)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_claim_with_evidence_but_no_estimate_is_refused(forest_graph):
    with pytest.raises(irgraph.UsageError, match="no finding for --claim Claim without estimates has an effect estimate"):
        forest_rows(forest_graph, claim="Claim without estimates")


def test_stalwarts_interval_is_drawn_as_printed(graph):
    svg = forest_plot(graph, intervention="IL-2")
    shown = " ".join(texts(svg))
    assert "HR 5.84" in shown and "(0.59 to 43.57)" in shown and "CI level not stated" in shown
    row = next(t for t in titles(svg) if t.startswith("STALWART: more opportunistic events"))
    assert "HR 5.84 (CI 0.59 to 43.57, level not stated)" in row


def test_the_plot_of_every_finding_in_the_bundled_data(graph):
    plot = forest_rows(graph)
    assert plot.rows and all(r.estimate.has_interval and r.source and r.study for r in plot.rows)
    assert all(r.estimate.comparison for r in plot.rows)


# --- the explorer's inline copy ---------------------------------------------------------

def test_sanitize_keeps_the_drawing_and_drops_everything_that_could_run_or_load():
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"'
        ' onload="alert(1)" viewBox="0 0 10 10"><script>alert(2)</script><style>@import url(https://e.org/x.css)</style>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        '<defs><clipPath id="c1"><rect width="5" height="5"/></clipPath><path id="m1" d="M 0 0"/></defs>'
        '<g id="row-0" clip-path="url(#c1)" onclick="alert(3)"><title>a &lt;b&gt;</title>'
        '<use xlink:href="#m1"/><use xlink:href="https://e.org/s.svg#x"/><image href="https://e.org/i.png"/>'
        '<a href="javascript:alert(4)"><text>link</text></a>'
        '<text style="fill: url(https://e.org/p)">bad style</text><text style="fill: #123456">kept</text></g></svg>')
    clean = sanitize_svg(hostile, prefix="p-")
    root = ET.fromstring(clean)
    tags = {element.tag.split("}")[1] for element in root.iter()}
    assert tags == {"svg", "defs", "clipPath", "rect", "path", "g", "title", "use", "text"}
    assert "width" not in root.attrib and root.get("viewBox") == "0 0 10 10"
    for bad in ("alert", "https://", "javascript", "@import", "onload", "onclick", ">link<"):
        assert bad not in clean, bad
    group = root.find(f"{SVG}g")
    assert group.get("id") == "p-row-0" and group.get("clip-path") == "url(#p-c1)"
    uses = root.findall(f".//{SVG}use")
    assert [u.get("{http://www.w3.org/1999/xlink}href") for u in uses] == ["#p-m1", None]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["bad style", "kept"]
    assert root.find(f".//{SVG}title").text == "a <b>"


def test_the_inline_copy_of_a_plot_keeps_its_text_and_null_line(forest_graph):
    from irgraph.claims import claim_ledger
    from irgraph.forest import explorer_svg

    entry = claim_ledger(forest_graph, "Forest claim").entries[0]
    svg = explorer_svg(forest_graph, entry, prefix="forest-7-")
    root = ET.fromstring(svg)
    assert "forest-7-null-line-0" in {element.get("id") for element in root.iter()}
    assert any(HOSTILE in t for t in (e.text or "" for e in root.iter(f"{SVG}title")))
    assert "<script" not in svg and "metadata" not in svg and "<style" not in svg
    bare = claim_ledger(forest_graph, "Claim without estimates").entries[0]
    assert explorer_svg(forest_graph, bare) is None
