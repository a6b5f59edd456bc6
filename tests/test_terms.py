"""Naming an entity by IRI, compact name, label or synonym."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irgraph.errors import UsageError
from irgraph.namespaces import IR, compact, prefixes
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


def _compact_by_scanning(iri: str) -> str:
    """``compact`` as it was written first: every prefix tried, the longest namespace wins."""
    best, best_prefix = "", ""
    for prefix, namespace in prefixes().items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    local = iri[len(best):]
    if best and local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
        return f"{best_prefix}:{local}"
    return iri


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([*prefixes().values(), "", "http://example.org/"]), st.text(max_size=8))
def test_compact_names_as_a_scan_of_every_prefix_does(namespace, local):
    assert compact(namespace + local) == _compact_by_scanning(namespace + local)
