"""How long the explorer takes to open and answer a click in headless Chromium.

A benchmark, not a test: nothing here asserts a time. Run from a checkout
(after ``pip install '.[test]'``; it drives Debian's Chromium at
``/usr/bin/chromium`` and never downloads a browser)::

    python benchmarks/explorer.py            # 500 and 5,000 nodes
    python benchmarks/explorer.py 200 2000   # other sizes

``time_to_interactive(node_count)`` is the function other benchmark scripts
import: it builds a synthetic graph shaped like irgraph's, writes the
explorer page for it with every class shown (the worst case: all nodes
drawn), opens it from ``file://`` with the network blocked, and measures from
navigation until the network has drawn (vis-network's ``afterDrawing``) and
a click on a node has filled the details panel.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, for tools/

from irgraph.load import load_graph  # noqa: E402 - after the path above
from irgraph.network import to_networkx  # noqa: E402
from irgraph.resources import ontology_file  # noqa: E402
from irgraph.visualize import ATTRIBUTE_CLASSES, HIDDEN_CLASSES, explorer_page  # noqa: E402
from tools.screenshot import offline_page, using, wait_until_drawn  # noqa: E402

IRG = Namespace("https://w3id.org/irgraph/ontology#")
IR = Namespace("https://w3id.org/irgraph/id/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
#: the ontology's controlled values the synthetic data links to
PHASES = ["phase-1", "phase-1-2", "phase-2", "phase-2-3", "phase-3", "phase-not-reported"]
EFFECTS = ["effect-increase", "effect-decrease", "effect-no-difference", "effect-mixed"]
VERDICTS = ["verdict-favourable", "verdict-unfavourable", "verdict-mixed", "verdict-inconclusive"]
CERTAINTY = ["certainty-stated", "certainty-probable", "certainty-possible"]


def class_ratios() -> dict[str, float]:
    """Share of each drawn class among the bundled data's nodes (e.g. findings ~ 0.18)."""
    network = to_networkx(load_graph())
    counts: dict[str, int] = {}
    for _, data in network.nodes(data=True):
        cls = data.get("class", "")
        if cls.startswith("irg:") and cls not in ATTRIBUTE_CLASSES | HIDDEN_CLASSES | {"irg:TrialPhase"}:
            counts[cls] = counts.get(cls, 0) + 1
    total = sum(counts.values())
    return {cls: counts[cls] / total for cls in sorted(counts)}


def synthetic_graph(node_count: int, seed: int = 1) -> Graph:
    """The ontology plus ``node_count`` entities at the bundled data's class ratios, linked as curators link them.

    Interventions have an approach, a mechanism, targets, a developer,
    studies and a source; studies a phase and a sponsor; findings an
    intervention, a study, an endpoint, an effect, a verdict and sometimes
    supports or contradicts a claim; claims and background facts are about a
    biological entity. Deterministic for a given ``seed``.
    """
    rng = random.Random(seed)
    ratios = class_ratios()
    names = sorted(ratios)
    counts = {cls: max(1, int(ratios[cls] * node_count)) for cls in names}
    # fill up to exactly node_count, adding findings (the commonest class)
    counts["irg:Finding"] = counts.get("irg:Finding", 0) + node_count - sum(counts.values())
    graph = Graph()
    graph.parse(ontology_file(), format="turtle")
    members: dict[str, list[URIRef]] = {}
    for cls in names:
        local = cls.split(":", 1)[1]
        members[cls] = [IR[f"synthetic-{local.lower()}-{i}"] for i in range(counts[cls])]
        for index, node in enumerate(members[cls]):
            graph.add((node, RDF.type, IRG[local]))
            graph.add((node, RDFS.label, Literal(f"{local} {index} of a synthetic graph", lang="en")))

    def some(cls: str) -> URIRef | None:
        pool = members.get(cls) or []
        return pool[rng.randrange(len(pool))] if pool else None

    def link(subject, prop, cls):
        target = some(cls)
        if target is not None and target != subject:
            graph.add((subject, prop, target))

    for cls in names:
        for node in members[cls]:
            link(node, PROV.wasDerivedFrom, "irg:Source")
            graph.add((node, IRG.sourceSection, Literal(f"Section {rng.randrange(12)}")))
    for node in members.get("irg:Intervention", []):
        link(node, IRG.hasApproach, "irg:Approach")
        link(node, IRG.hasMechanism, "irg:Mechanism")
        for _ in range(2):
            link(node, IRG.targets, "irg:BiologicalEntity")
            link(node, IRG.evaluatedIn, "irg:ClinicalStudy")
        if rng.random() < 0.3:
            link(node, IRG.developedBy, "irg:Organization")
    for node in members.get("irg:Approach", [])[1:]:
        if rng.random() < 0.6:
            link(node, SKOS.broader, "irg:Approach")
    for node in members.get("irg:ClinicalStudy", []):
        graph.add((node, IRG.phase, IR[rng.choice(PHASES)]))
        if rng.random() < 0.3:
            link(node, IRG.sponsoredBy, "irg:Organization")
    for node in members.get("irg:Finding", []):
        link(node, IRG.aboutIntervention, "irg:Intervention")
        link(node, IRG.fromStudy, "irg:ClinicalStudy")
        link(node, IRG.endpoint, "irg:Endpoint")
        graph.add((node, IRG.effect, IR[rng.choice(EFFECTS)]))
        graph.add((node, IRG.verdict, IR[rng.choice(VERDICTS)]))
        roll = rng.random()
        if roll < 0.25:
            link(node, IRG.supports, "irg:Claim")
        elif roll < 0.45:
            link(node, IRG.contradicts, "irg:Claim")
    for cls in ("irg:Claim", "irg:BiologicalFact", "irg:ClinicalThreshold"):
        for node in members.get(cls, []):
            link(node, IRG.aboutEntity, "irg:BiologicalEntity")
            graph.add((node, IRG.certainty, IR[rng.choice(CERTAINTY)]))
    for node in members.get("irg:Source", []):
        graph.add((node, DCTERMS.title, Literal(f"A synthetic article {rng.randrange(10**6)}")))
        graph.add((node, DCTERMS.issued, Literal(str(1990 + rng.randrange(30)), datatype=XSD.gYear)))
    return graph


def _every_class(graph: Graph) -> list[str]:
    network = to_networkx(graph)
    classes = {data.get("class", "") for _, data in network.nodes(data=True)}
    return sorted(c for c in classes if c and c not in ATTRIBUTE_CLASSES | HIDDEN_CLASSES)


def write_page(node_count: int, folder: Path) -> tuple[Path, int]:
    """Write the explorer page of a synthetic graph into ``folder``; returns its path and drawn node count."""
    graph = synthetic_graph(node_count)
    page = explorer_page(graph, include_classes=_every_class(graph), title=f"{node_count} synthetic nodes")
    path = folder / f"explorer-{node_count}.html"
    path.write_text(page.html, encoding="utf-8")
    return path, page.node_count


def time_to_interactive(node_count: int, *, browser=None) -> float:
    """Seconds from opening the explorer of a ``node_count``-node synthetic graph until it answers a click.

    Measured in headless Chromium from ``file://`` with every other request
    blocked: navigation, parsing, the first drawing (``afterDrawing``), then a
    real mouse click on a node and the details panel showing that node.
    ``browser`` is a running playwright browser to use (else Chromium is
    started, and its start-up is not counted). Raises
    :class:`~irgraph.errors.IrgraphError` when Chromium or playwright is missing.
    """
    with tempfile.TemporaryDirectory() as folder:
        path, _ = write_page(node_count, Path(folder))
        with using(browser) as running:
            page = offline_page(running)
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), timeout=600_000)
            wait_until_drawn(page, timeout_ms=600_000)
            # a node near the middle of the picture, where the click lands
            target = page.evaluate(
                """() => {
                  const net = window.irgraphExplorer.network;
                  const box = document.getElementById('graph').getBoundingClientRect();
                  const view = net.getViewPosition();
                  let best = null, bestDistance = Infinity;
                  const positions = net.getPositions();
                  for (const id in positions) {
                    const p = positions[id];
                    const d = (p.x - view.x) ** 2 + (p.y - view.y) ** 2;
                    if (d < bestDistance) { best = id; bestDistance = d; }
                  }
                  const dom = net.canvasToDOM(positions[best]);
                  return {x: box.left + dom.x, y: box.top + dom.y};
                }"""
            )
            page.mouse.click(target["x"], target["y"])
            page.wait_for_selector("#details h3", timeout=600_000)
            elapsed = time.perf_counter() - start
            page.context.close()
    return elapsed


def main(sizes: list[int]) -> None:
    """Print, for each size, the time to write the page and the time to interactive."""
    print(f"{'nodes':>7} {'drawn':>7} {'write page (s)':>15} {'time to interactive (s)':>24}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            _, drawn = write_page(size, Path(folder))
            written = time.perf_counter() - start
        interactive = time_to_interactive(size)
        print(f"{size:>7} {drawn:>7} {written:>15.2f} {interactive:>24.2f}")


if __name__ == "__main__":
    main([int(arg.replace(",", "").replace("_", "")) for arg in sys.argv[1:]] or [500, 5000])
