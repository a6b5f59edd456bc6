"""Paths found around the two ends (lookups in the store) are those found on the whole graph.

:func:`irgraph.explain_paths` reads only the nodes closer to the start than
the end is (see ``irgraph.network._path_ball``); the reference is the
same function on the projection of the whole graph. Compared on the bundled
data and on a generated graph, for pairs of every kind: linked, far apart,
through hubs, with ``all_links``, unconnected, and ends that are refused.
"""

from __future__ import annotations

import itertools

import pytest

import irgraph
from irgraph.errors import UsageError
from irgraph.network import _paths_on


def whole_graph_paths(graph, start, end, *, limit=5, all_links=False):
    source, target = (str(irgraph.resolve_term(graph, text)) for text in (start, end))
    return _paths_on(graph, start, end, source, target, limit=limit, all_links=all_links)


def outcome(function, *args, **kwargs):
    try:
        return [path.to_dict() for path in function(*args, **kwargs)]
    except UsageError as error:
        return f"refused: {error}"


def assert_same(graph, pairs, **options):
    for start, end in pairs:
        assert outcome(irgraph.explain_paths, graph, start, end, **options) == outcome(whole_graph_paths, graph, start, end, **options), (start, end)


def sample_entities(graph, per_class=3):
    """A few entities of each class of the projection, chosen by IRI (no counts of the bundled data)."""
    network = irgraph.to_networkx(graph)
    by_class: dict = {}
    for node, data in sorted(network.nodes(data=True)):
        by_class.setdefault(data.get("class"), []).append(node)
    return [node for nodes in by_class.values() for node in nodes[:per_class]]


def test_paths_on_the_bundled_data_are_those_of_the_whole_graph(graph):
    nodes = sample_entities(graph, per_class=2)
    pairs = list(itertools.combinations(nodes[::3], 2))[:150]
    assert_same(graph, pairs)
    assert_same(graph, pairs[:40], all_links=True)
    assert_same(graph, pairs[:40], limit=1)


def test_refused_ends_are_refused_alike(graph):
    # a class, a source (left out without --all-links) and a controlled value
    assert_same(graph, [("irg:Intervention", "ir:il-2"), ("ir:il-2", "irg:Finding")])
    sources = [n for n, d in irgraph.to_networkx(graph).nodes(data=True) if d.get("class") == "irg:Source"][:1]
    assert_same(graph, [(sources[0], "ir:il-2"), ("ir:il-2", sources[0])])
    assert_same(graph, [(sources[0], "ir:il-2")], all_links=True)


@pytest.fixture(scope="module")
def generated(generated_store):
    return generated_store


def test_paths_on_a_generated_store_are_those_of_the_whole_graph(generated):
    synthetic = [f"ir:syn-{kind}-{i}" for kind in ("intervention", "study-{}", "finding-{}") for i in (0, 1, 7)]
    synthetic = [name.format(0) if "{}" in name else name for name in synthetic]
    ends = [*synthetic, "ir:il-2", "ir:dermavir"]
    pairs = list(itertools.combinations(ends, 2))
    assert_same(generated, pairs)
    assert_same(generated, pairs[:10], all_links=True)
