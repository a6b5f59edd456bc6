"""Naming an entity by IRI, compact name, label or synonym."""

from __future__ import annotations

import pytest

from irgraph.errors import UsageError
from irgraph.namespaces import IR
from irgraph.terms import resolve


@pytest.mark.parametrize(
    "text, slug",
    [("IL-2", "il-2"), ("interleukin-2", "il-2"), ("ALDESLEUKIN", "il-2"), ("ir:il-2", "il-2"),
     ("https://w3id.org/irgraph/id/dermavir", "dermavir"), ("<https://w3id.org/irgraph/id/dermavir>", "dermavir"),
     ("Immunitin", "he2000"), ("  thymus  ", "thymus")],
)
def test_resolves_by_any_name(graph, text, slug):
    assert resolve(graph, text) == IR[slug]


def test_unknown_name_suggests_close_matches(graph):
    with pytest.raises(UsageError, match=r"did you mean: 'dermavir' = ir:dermavir"):
        resolve(graph, "DermaVr")


def test_unknown_compact_name_is_refused(graph):
    with pytest.raises(UsageError, match="ir:nothing-here is not in the graph"):
        resolve(graph, "ir:nothing-here")


def test_ambiguous_name_lists_the_candidates(graph):
    # "mixed" is the label of both an effect and a verdict
    with pytest.raises(UsageError, match=r"names 2 entities: ir:effect-mixed .*ir:verdict-mixed"):
        resolve(graph, "mixed")


def test_empty_name_is_refused(graph):
    with pytest.raises(UsageError, match="empty term"):
        resolve(graph, "  ")
