"""The explorer: one self-contained HTML page of the graph that works offline.

The page embeds vis-network (the copy shipped inside the pyvis package) and
the graph data as JSON; nothing is loaded from the network. Every string from
the data is escaped for the place it lands: the data travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped, and the page's script only ever sets ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph

from .errors import IrgraphError
from .network import to_networkx

VIS_NETWORK_VERSION = "9.1.2"
DISCLAIMER = (
    "For research and education only. This is not medical advice: "
    "talk to a health care provider about any treatment decision."
)

#: colour and shape per class (compact name); anything else is grey
CLASS_STYLE = {
    "irg:Intervention": ("#1f77b4", "box"),
    "irg:CombinationIntervention": ("#1f77b4", "box"),
    "irg:Approach": ("#9467bd", "ellipse"),
    "irg:Mechanism": ("#8c564b", "ellipse"),
    "irg:BiologicalEntity": ("#2ca02c", "dot"),
    "irg:ClinicalStudy": ("#ff7f0e", "diamond"),
    "irg:TrialPhase": ("#ffbb78", "triangle"),
    "irg:Finding": ("#17becf", "square"),
    "irg:Claim": ("#d62728", "star"),
    "irg:BiologicalFact": ("#98df8a", "square"),
    "irg:ClinicalThreshold": ("#98df8a", "triangleDown"),
    "irg:Source": ("#7f7f7f", "dot"),
    "irg:Organization": ("#e377c2", "hexagon"),
    "irg:Endpoint": ("#bcbd22", "dot"),
}
_DEFAULT_STYLE = ("#c7c7c7", "dot")
#: edges drawn specially
EDGE_STYLE = {
    "irg:contradicts": {"color": "#d62728", "dashes": True, "width": 2},
    "irg:supports": {"color": "#2ca02c", "dashes": False, "width": 2},
}
#: structural links that would only clutter the picture
HIDDEN_RELATIONS = {"skos:inScheme", "skos:topConceptOf", "skos:hasTopConcept"}
HIDDEN_CLASSES = {"skos:ConceptScheme"}


@cache
def _vis_assets() -> tuple[str, str]:
    lib = Path(str(files("pyvis"))) / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    style = (lib / "vis-network.css").read_text(encoding="utf-8")
    # the library text must not be able to close its own <script>/<style> element
    if re.search(r"</script", script, re.IGNORECASE) or re.search(r"</style", style, re.IGNORECASE):
        raise IrgraphError("the bundled vis-network files contain a closing tag and cannot be inlined")
    return script, style


def _json_for_html(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _layout(network: nx.MultiDiGraph) -> dict:
    simple = nx.Graph(network.to_undirected())
    positions = nx.spring_layout(simple, seed=7, iterations=100, k=None) if len(simple) else {}
    scale = 120 * max(len(simple), 1) ** 0.5
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in positions.items()}


def graph_data(graph: Graph) -> dict:
    """Nodes and edges ready for vis-network, sorted so the page is deterministic."""
    network = to_networkx(graph)
    network.remove_nodes_from([n for n, d in list(network.nodes(data=True)) if d.get("class") in HIDDEN_CLASSES])
    for u, v, key, data in list(network.edges(keys=True, data=True)):
        if data["relation"] in HIDDEN_RELATIONS:
            network.remove_edge(u, v, key)
    positions = _layout(network)
    nodes = []
    for node, data in sorted(network.nodes(data=True)):
        colour, shape = CLASS_STYLE.get(data.get("class", ""), _DEFAULT_STYLE)
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": node,
                "label": str(data.get("label", node)),
                "title": f"{data.get('label', node)}\n{data.get('class', '')}\n{node}",
                "group": data.get("class", ""),
                "color": colour,
                "shape": shape,
                "x": x,
                "y": y,
            }
        )
    edges = []
    for index, (u, v, data) in enumerate(sorted(network.edges(data=True), key=lambda e: (e[0], e[2]["predicate"], e[1]))):
        edge = {"id": index, "from": u, "to": v, "label": data["label"], "relation": data["relation"], "arrows": "to"}
        edge.update(EDGE_STYLE.get(data["relation"], {}))
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def to_html(graph: Graph, *, title: str = "irgraph: HIV immune restoration") -> str:
    """The explorer page for ``graph`` as one HTML string (no external resources)."""
    script, style = _vis_assets()
    data = graph_data(graph)
    legend = sorted({(n["group"], n["color"]) for n in data["nodes"]})
    return _environment().get_template("explorer.html").render(
        title=title,
        disclaimer=DISCLAIMER,
        legend=legend,
        graph_json=_json_for_html(data),
        vis_script=script,
        vis_style=style,
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        escape=html.escape,
    )
