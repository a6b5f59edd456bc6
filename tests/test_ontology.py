"""The ontology, the shapes and the JSON-LD context agree with each other and with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS, XSD

import irgraph
from irgraph.namespaces import IRG_URI, declared_terms, prefixes
from irgraph.resources import context_file, data_dir, ontology_file, queries_dir, shapes_file

from .conftest import REPO, SHARED

IRGS = "https://w3id.org/irgraph/shapes#"
#: identifiers listed as checked in shared/sources/evidence.md, section 3
CHECKED_OBO = {
    "CL_0000624", "CL_0000625", "CL_0000084", "CL_0000037",
    "UBERON_0002370", "UBERON_0002371",
    "NCIT_C15600", "NCIT_C15693", "NCIT_C15601", "NCIT_C15694", "NCIT_C15602",
    "NCIT_C12433", "NCIT_C1498", "NCIT_C15347",
    "MONDO_0005109", "DOID_526",
    "RO_0000057", "RO_0002215", "RO_0002213", "RO_0002606", "RO_0002233", "RO_0002234",
}
#: identifiers not in the shared source lists, confirmed with the search tool, and where
CONFIRMED_BY_SEARCH = {
    # NCBI taxonomy id 11676 with the name "Human immunodeficiency virus 1": an NCBI sequence
    # record (taxname and taxon id) and ontology bindings pairing the OBO IRI with that label,
    # found in public code with the search tool
    "NCBITaxon_11676",
}
#: Wikidata items listed with their labels in shared/sources/later-evidence.md, part B11
CHECKED_WIKIDATA = {"Q15787", "Q163987", "Q193529", "Q583050", "Q3519875"}


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(shapes_file(), format="turtle")


def irg_terms(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(IRG_URI)})


def test_ontology_header_has_version(ontology):
    header = URIRef("https://w3id.org/irgraph/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    version = str(ontology.value(header, OWL.versionInfo))
    assert version == irgraph.__version__ or irgraph.__version__ == "0+unknown"
    assert str(ontology.value(header, OWL.versionIRI)).endswith("/" + version)


def test_every_term_has_english_label_and_definition(ontology):
    terms = irg_terms(ontology)
    assert len(terms) > 50
    for term in terms:
        labels = [label for label in ontology.objects(term, RDFS.label) if isinstance(label, Literal) and label.language == "en"]
        definitions = list(ontology.objects(term, SKOS.definition))
        assert len(labels) == 1, f"{term} needs exactly one English rdfs:label"
        assert definitions, f"{term} needs a skos:definition"


def test_every_property_has_domain_and_range(ontology):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
            assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_required_vocabulary_is_declared():
    required = {
        "Intervention", "CombinationIntervention", "Approach", "Mechanism", "BiologicalEntity",
        "Organization", "ClinicalStudy", "TrialPhase", "Endpoint", "Finding", "Claim", "Source",
        "hasApproach", "hasMechanism", "targets", "hasComponent", "developedBy", "evaluatedIn",
        "phase", "registryId", "aboutIntervention", "fromStudy", "endpoint", "endpointKind",
        "effect", "verdict", "supports", "contradicts", "sourceSection",
    }
    assert required <= declared_terms()


def test_closed_namespace_rejects_typos():
    assert irgraph.IRG.hasApproach == URIRef(IRG_URI + "hasApproach")
    with pytest.raises(AttributeError):
        irgraph.IRG.hasAproach  # noqa: B018


def _code_files():
    package = Path(irgraph.__file__).parent
    return [p for p in package.rglob("*") if p.suffix in {".py", ".rq", ".html"} and "__pycache__" not in p.parts]


def test_every_irg_term_used_in_code_is_declared():
    declared = declared_terms()
    used = set()
    for path in _code_files():
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\birg:([A-Za-z_][A-Za-z0-9_]*)", text))
        used |= set(re.findall(r"\bIRG\.([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used, "expected the code to use irg: terms"
    assert sorted(used - declared) == []


def test_every_irg_term_used_in_data_is_declared(graph):
    declared = declared_terms()
    used = {str(t)[len(IRG_URI):] for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(IRG_URI)}
    assert sorted(used - declared) == []


def test_context_is_the_prefix_map_of_code_and_files():
    context = json.loads(context_file().read_text(encoding="utf-8"))["@context"]
    assert prefixes()["irg"] == IRG_URI == context["irg"]
    assert prefixes()["ir"] == "https://w3id.org/irgraph/id/" == context["ir"]
    for required in ("irg", "ir", "rdfs", "skos", "prov", "dcterms", "schema", "obo"):
        assert required in prefixes()
    # every @prefix written in the ontology, shapes and data files agrees with the context
    files = [ontology_file(), shapes_file(), *sorted(data_dir().glob("*.ttl"))]
    for path in files:
        for prefix, iri in re.findall(r"@prefix\s+([\w-]*):\s*<([^>]+)>", path.read_text(encoding="utf-8")):
            if prefix in ("sh",):
                continue
            assert prefixes().get(prefix) == iri, f"{path.name}: prefix {prefix}: differs from ontology/context.jsonld"


def test_context_has_a_term_for_every_property(ontology):
    context = json.loads(context_file().read_text(encoding="utf-8"))["@context"]
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            local = str(prop)[len(IRG_URI):]
            term = context.get(local)
            assert isinstance(term, dict) and term["@id"] == f"irg:{local}", f"context lacks term {local}"
            if kind == OWL.ObjectProperty:
                assert term.get("@type") == "@id", f"context term {local} must have @type @id"


def test_range_shapes_match_the_ontology(ontology, shapes):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            local = str(prop)[len(IRG_URI):]
            shape = URIRef(IRGS + "range-" + local)
            assert (shape, SH.targetSubjectsOf, prop) in shapes, f"no range shape for irg:{local}"
            domain = ontology.value(prop, RDFS.domain)
            if domain != RDFS.Resource:
                assert (shape, SH["class"], domain) in shapes, f"range shape of irg:{local} does not check its domain"
            constraint = shapes.value(shape, SH.property)
            rng = ontology.value(prop, RDFS.range)
            if kind == OWL.ObjectProperty and rng != RDFS.Resource:
                assert (constraint, SH["class"], rng) in shapes
            elif rng == XSD.decimal:
                assert (constraint, SH["or"], None) in shapes
            elif kind == OWL.DatatypeProperty:
                assert (constraint, SH.datatype, rng) in shapes


def test_controlled_values_are_concepts_in_schemes(ontology):
    for cls in ("TrialPhase", "EndpointKind", "Effect", "Verdict", "DonorType", "Route", "Certainty"):
        members = list(ontology.subjects(RDF.type, URIRef(IRG_URI + cls)))
        assert members, cls
        assert (URIRef(IRG_URI + cls), RDFS.subClassOf, SKOS.Concept) in ontology
        for member in members:
            scheme = ontology.value(member, SKOS.inScheme)
            assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology, f"{member} is in no concept scheme"


def test_trial_phases_match_nci_thesaurus(ontology):
    expected = {"phase-1": "C15600", "phase-1-2": "C15693", "phase-2": "C15601", "phase-2-3": "C15694", "phase-3": "C15602"}
    for slug, code in expected.items():
        node = URIRef("https://w3id.org/irgraph/id/" + slug)
        assert (node, SKOS.exactMatch, URIRef(f"http://purl.obolibrary.org/obo/NCIT_{code}")) in ontology


def _used_identifiers(graph, namespace: str) -> set[str]:
    return {str(t).rsplit("/", 1)[1] for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(namespace)}


def _shared_source(name: str) -> str:
    path = SHARED / "sources" / name
    if not path.exists():
        pytest.skip(f"{path} is not present (it is beside the repository in CI)")
    return path.read_text(encoding="utf-8")


def test_only_checked_obo_identifiers_are_used(graph):
    used = _used_identifiers(graph, "http://purl.obolibrary.org/obo/")
    assert used, "expected alignments to OBO terms"
    assert sorted(used - CHECKED_OBO - CONFIRMED_BY_SEARCH) == []


def test_only_checked_wikidata_items_are_used(graph):
    used = _used_identifiers(graph, "http://www.wikidata.org/entity/")
    assert used, "expected alignments to Wikidata items"
    assert sorted(used - CHECKED_WIKIDATA) == []


def test_checked_wikidata_items_are_those_in_the_later_evidence_file():
    text = _shared_source("later-evidence.md")
    for item in CHECKED_WIKIDATA:
        assert item in text or item[1:] in text, item


def test_checked_identifiers_are_those_in_the_evidence_file():
    text = _shared_source("evidence.md")
    for identifier in CHECKED_OBO:
        assert identifier.replace("_", ":", 1) in text or identifier.replace("NCIT_", "") in text, identifier


def test_query_files_only_use_declared_terms():
    declared = declared_terms()
    for path in sorted(queries_dir().glob("*.rq")):
        used = set(re.findall(r"\birg:([A-Za-z_][A-Za-z0-9_]*)", path.read_text(encoding="utf-8")))
        assert used <= declared, f"{path.name} uses undeclared terms {sorted(used - declared)}"


def test_repository_layout_matches_installed_package():
    # a source checkout and an installed wheel find the same ontology and data
    assert ontology_file().name == "irgraph.ttl" and ontology_file().exists()
    assert (data_dir() / "interventions.ttl").exists()
    if (REPO / "ontology").exists() and Path(irgraph.__file__).parent.parent.name == "src":
        assert ontology_file().resolve() == (REPO / "ontology" / "irgraph.ttl").resolve()
