"""Resolvable identifiers: every DOI, PMID, PMCID and NCT id has its IRI twin, as Bioregistry resolves it."""

from __future__ import annotations

import re

from irgraph.identifiers import IDENTIFIER_PREFIXES, IRI_TWINS, identifier_iri
from irgraph.resources import shapes_file
from irgraph.vocab import IRG


def test_every_identifier_literal_has_its_iri_twin(graph):
    for local, prefix in IDENTIFIER_PREFIXES.items():
        values = list(graph.subject_objects(IRG[local]))
        assert values, local
        for node, value in values:
            expected = identifier_iri(prefix, str(value))
            assert expected in {str(iri) for iri in graph.objects(node, IRG[IRI_TWINS[local]])}, (node, local, expected)


def test_the_shape_writes_the_iris_bioregistry_writes():
    text = shapes_file().read_text(encoding="utf-8")
    for local, prefix in IDENTIFIER_PREFIXES.items():
        block = re.search(r"ontology#" + local + r"> \?literal .*?CONCAT\((.*?)\) AS \?expected", text, re.S)
        assert block, local
        parts = re.findall(r'"([^"]*)"', block.group(1))
        base, end = parts[0], (parts[1] if len(parts) > 1 else "")
        assert identifier_iri(prefix, "X") == f"{base}X{end}", (local, base, end)
