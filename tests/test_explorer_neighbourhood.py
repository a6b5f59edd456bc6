"""A focused explorer page drawn from its neighbourhood (lookups in the store) is the page drawn from the whole graph.

:func:`irgraph.explorer_projection.projection` reads, for a focused page of
a graph on Oxigraph, only the small graph that
:mod:`irgraph.explorer_neighbourhood` fetches; the reference is the same
projection of the whole graph (``whole_graph=True``). Compared on the
bundled data and on a generated store: foci of every class (claims with
their ledger, interventions, sources that a neighbourhood does not spread
through, controlled values that are refused), depths 0 to 2, chosen
classes, and names that are refused.
"""

from __future__ import annotations

import pytest

import irgraph
from irgraph.claims import claim_ledger
from irgraph.errors import UsageError
from irgraph.explorer_projection import projection


def outcome(graph, focus, *, whole, ledger=None, **options):
    """The page's data and the ledger entries of its claims, or the refusal."""
    try:
        drawn = projection(graph, focus=focus, whole_graph=whole, ledger=ledger, **options)
    except UsageError as error:
        return f"refused: {error}"
    ids = {node["id"] for node in drawn.data["nodes"]}
    return drawn.data, [entry for entry in drawn.ledger.entries if entry.iri in ids]


def assert_same(graph, foci, **options):
    whole_ledger = claim_ledger(graph)
    for focus in foci:
        expected = outcome(graph, focus, whole=True, ledger=whole_ledger, **options)
        assert outcome(graph, focus, whole=False, **options) == expected, (focus, options)


def sample_entities(graph, per_class=2):
    """A few entities of each class of the projection, chosen by IRI (no counts of the bundled data)."""
    by_class: dict = {}
    for node, data in sorted(irgraph.to_networkx(graph).nodes(data=True)):
        by_class.setdefault(data.get("class"), []).append(node)
    return [node for nodes in by_class.values() for node in nodes[:per_class]]


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_focused_pages_of_the_bundled_data_are_those_of_the_whole_graph(graph, depth):
    foci = sample_entities(graph, per_class=1 if depth == 2 else 2)
    assert len(foci) > 20
    assert_same(graph, foci, depth=depth)


def test_pages_with_a_ledger_and_forest_plots_are_the_same(graph):
    claims = [entry.iri for entry in claim_ledger(graph).entries if entry.lines][:6]
    assert claims
    assert_same(graph, [*claims, "IL-2", "ir:he2000"], depth=2)


def test_chosen_classes_and_refusals_are_the_same(graph):
    claim = next(entry.iri for entry in claim_ledger(graph).entries if entry.lines)
    assert_same(graph, [claim], depth=2, include_classes=["irg:Finding,irg:Claim"])
    assert_same(graph, [claim], depth=2, include_classes=["irg:Statement"], exclude_classes=["irg:Source"])
    assert_same(graph, ["IL-2"], depth=2, exclude_classes=["irg:Source,irg:Approach"])
    assert_same(graph, ["IL-2"], depth=1, exclude_classes=["Intervention"])  # the focus itself is not drawn
    assert_same(graph, ["IL-2"], depth=1, include_classes=["irg:NoSuchClass"])
    assert_same(graph, ["no such entity", "irg:Intervention", "ir:verdict-favourable"], depth=1)


def test_the_page_of_a_focus_says_what_it_draws(graph):
    # the page from the neighbourhood is the one explorer_page renders
    page = irgraph.explorer_page(graph, focus="IL-2", depth=1)
    assert page.node_count == len(projection(graph, focus="IL-2", depth=1, whole_graph=True).data["nodes"])


@pytest.fixture(scope="module")
def generated(generated_store):
    return generated_store


def test_focused_pages_of_a_generated_store_are_those_of_the_whole_graph(generated):
    # synthetic nodes link to the real approaches, entities and claims: hubs whose trails reach far
    foci = ["ir:syn-intervention-0", "ir:syn-intervention-1", "ir:syn-claim-0", "ir:syn-study-1-0", "ir:syn-source-2-1"]
    assert_same(generated, foci, depth=1)
    assert_same(generated, foci[:2], depth=2)
