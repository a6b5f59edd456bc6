"""Every mapping of the graph as an SSSOM table: the Biolink alignment, the OBO, NCIT, DrugBank and Wikidata matches.

SSSOM (Simple Standard for Sharing Ontological Mappings) is how ontologists
exchange mappings. :func:`to_sssom` writes one row per ``skos:exactMatch``,
``skos:closeMatch``, ``skos:broadMatch``, ``skos:narrowMatch``,
``skos:relatedMatch`` and ``schema:sameAs`` from an ``irg:`` term or an
``ir:`` node to another resource, with the YAML metadata block SSSOM puts
at the top of the TSV (``curie_map``, ``mapping_set_id``, ``license``,
version and title). Every row is ``semapv:ManualMappingCuration`` by
``ir:irgraph-curators``. ``object_label`` is the Biolink element's name for
Biolink terms; for other resources it is left empty, because the graph does
not record their labels (the identifiers were checked against their labels,
see ``shared/sources``, but the labels are not data here).
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from .identifiers import curie, curie_map
from .namespaces import IR_URI, IRG_URI, ONTOLOGY_IRI, SCHEMA

#: where the mapping set is published (the build names its file after it)
MAPPING_SET_ID = "https://w3id.org/irgraph/mappings.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURATORS = IR_URI + "irgraph-curators"
BIOLINK = "https://w3id.org/biolink/vocab/"
MAPPING_PROPERTIES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, SCHEMA.sameAs)
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "author_id", "comment")


def _biolink_label(iri: str) -> str:
    """Biolink's element name: ``ClinicalTrial`` -> ``clinical trial``, ``clinical_trial_phase`` -> ``clinical trial phase``."""
    local = iri[len(BIOLINK):]
    if local.endswith("Enum"):
        return local
    return re.sub(r"(?<=[a-z])([A-Z])", r" \1", local).replace("_", " ").lower()


def _label(graph: Graph, node) -> str:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda lit: (getattr(lit, "language", None) != "en", str(lit)))
    return " ".join(str(labels[0]).split()) if labels else ""


def _comment(graph: Graph, subject, obj) -> str:
    """The note that explains a Biolink mapping, when the term has one."""
    if not str(obj).startswith(BIOLINK):
        return ""
    notes = [str(n) for n in graph.objects(subject, SKOS.editorialNote) if str(n).startswith("Biolink:")]
    return " ".join(notes[0].split()) if notes else ""


def mapping_rows(graph: Graph) -> list[dict[str, str]]:
    """One dict per mapping (the SSSOM columns), sorted.

    >>> from irgraph import load_graph
    >>> rows = mapping_rows(load_graph())
    >>> next(r for r in rows if r["subject_id"] == "ir:thymus" and r["object_id"] == "UBERON:0002370")["predicate_id"]
    'skos:exactMatch'
    """
    rows = []
    for prop in MAPPING_PROPERTIES:
        for subject, obj in graph.subject_objects(prop):
            if not (isinstance(subject, URIRef) and isinstance(obj, URIRef) and str(subject).startswith((IR_URI, IRG_URI))):
                continue
            if str(obj).startswith((IR_URI, IRG_URI)):
                continue
            rows.append({
                "subject_id": curie(str(subject)),
                "subject_label": _label(graph, subject),
                "predicate_id": curie(str(prop)),
                "object_id": curie(str(obj)),
                "object_label": _biolink_label(str(obj)) if str(obj).startswith(BIOLINK) else "",
                "mapping_justification": "semapv:ManualMappingCuration",
                "author_id": curie(CURATORS),
                "comment": _comment(graph, subject, obj),
            })
    return sorted(rows, key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"]))


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_sssom(graph: Graph) -> str:
    """The mappings as SSSOM TSV: the ``#``-prefixed YAML metadata block, then one row per mapping; deterministic.

    >>> from irgraph import load_graph
    >>> text = to_sssom(load_graph())
    >>> text.splitlines()[0], "semapv:ManualMappingCuration" in text
    ('#curie_map:', True)
    """
    rows = mapping_rows(graph)
    used = {r[k] for r in rows for k in ("subject_id", "predicate_id", "object_id", "author_id")}
    prefixes = curie_map(used | {"semapv:ManualMappingCuration", "skos:exactMatch"})
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    header = ["curie_map:", *(f"  {prefix}: {_yaml_string(iri)}" for prefix, iri in prefixes.items()),
              f"mapping_set_id: {_yaml_string(MAPPING_SET_ID)}",
              f"mapping_set_title: {_yaml_string('irgraph: every mapping of the HIV immune restoration knowledge graph')}",
              f"license: {_yaml_string(LICENSE)}"]
    if version is not None:
        header.append(f"mapping_set_version: {_yaml_string(str(version))}")
    lines = ["#" + line for line in header]
    lines.append("\t".join(COLUMNS))
    for row in rows:
        lines.append("\t".join(" ".join(row[c].split()) for c in COLUMNS))
    return "\n".join(lines) + "\n"
