"""CURIEs and resolvable IRIs, named the way Bioregistry names them; infores ids for knowledge sources.

Prefixes and resolvers come from the ``bioregistry`` package, which ships its
registry and answers without the network: a CURIE's prefix is Bioregistry's
preferred prefix (``CL``, ``UBERON``, ``NCIT``, ``MONDO``, ``NCBITaxon``) or,
where it has none, its normalised prefix (``doi``, ``pubmed``, ``pmc``,
``clinicaltrials``, ``wikidata``, ``drugbank``, ``infores``, ``biolink``);
an identifier's IRI is Bioregistry's default resolver
(``https://doi.org/…``, ``https://pubmed.ncbi.nlm.nih.gov/…/``,
``https://www.clinicaltrials.gov/study/…``). irgraph's own IRIs keep the
project's prefixes (``ir:``, ``irg:``), which Bioregistry does not list (no
clash). ``bioregistry`` is imported only when a CURIE or IRI is asked for.

infores ids (the Biolink information-resource registry): irgraph's own,
:data:`IRGRAPH_INFORES`, is **provisional**: no ``infores:irgraph`` is
registered, and a KGX export says so in its metadata. The upstream ones are
registered: ``infores:pubmed`` (PubMed), ``infores:pubmed-central`` (PubMed
Central) and ``infores:clinicaltrials`` (ClinicalTrials.gov), as listed in
``infores_catalog.yaml`` of the biolink/information-resource-registry
repository, checked with the search tool.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .namespaces import prefixes

#: irgraph's knowledge-source id: provisional, not registered with the Biolink information-resource registry
IRGRAPH_INFORES = "infores:irgraph"
#: the registered infores ids of the upstream sources (biolink/information-resource-registry, infores_catalog.yaml)
UPSTREAM_INFORES = {
    "pubmed": "infores:pubmed",
    "pmc": "infores:pubmed-central",
    "clinicaltrials": "infores:clinicaltrials",
}
#: the identifier properties of the vocabulary (local name) -> their Bioregistry prefix
IDENTIFIER_PREFIXES = {"doi": "doi", "pmid": "pubmed", "pmcid": "pmc", "registryId": "clinicaltrials"}
#: the IRI twin of each identifier property (``irg:doi`` -> ``irg:doiIri``)
IRI_TWINS = {"doi": "doiIri", "pmid": "pmidIri", "pmcid": "pmcidIri", "registryId": "registryIri"}
#: irgraph's own prefixes (and Biolink's, as its model names itself), which CURIEs of its nodes and terms use
OWN_PREFIXES = ("ir", "irg", "biolink")


def _bioregistry() -> Any:
    import bioregistry  # a large registry: loaded only for the exports that name things by CURIE

    return bioregistry


def preferred_prefix(prefix: str) -> str:
    """Bioregistry's preferred prefix for ``prefix`` (``cl`` -> ``CL``), else its normalised prefix.

    >>> preferred_prefix("ncbitaxon"), preferred_prefix("PMID")
    ('NCBITaxon', 'pubmed')
    """
    registry = _bioregistry()
    normalised = registry.normalize_prefix(prefix) or prefix
    return registry.get_preferred_prefix(normalised) or normalised


def identifier_curie(prefix: str, identifier: str) -> str:
    """The CURIE of an identifier under a Bioregistry prefix: ``pubmed:19828532``, ``clinicaltrials:NCT00004978``.

    >>> identifier_curie("doi", "10.1056/NEJMoa0903175")
    'doi:10.1056/NEJMoa0903175'
    """
    return f"{preferred_prefix(prefix)}:{identifier}"


def identifier_iri(prefix: str, identifier: str) -> str:
    """The resolvable IRI of an identifier by Bioregistry's default resolver.

    >>> identifier_iri("clinicaltrials", "NCT00004978")
    'https://www.clinicaltrials.gov/study/NCT00004978'
    """
    iri = _bioregistry().get_iri(prefix, identifier, use_bioregistry_io=False)
    if not iri:  # pragma: no cover - every prefix irgraph uses has a resolver
        raise ValueError(f"Bioregistry has no resolver for {prefix}:{identifier}")
    return str(iri)


@cache
def converter() -> Any:
    """A ``curies.Converter``: irgraph's prefixes first, then Bioregistry's, with preferred prefixes."""
    import curies

    own = curies.Converter.from_prefix_map({name: prefixes()[name] for name in OWN_PREFIXES})
    registry = _bioregistry().get_converter(prefix_priority=["preferred", "default"])
    return curies.chain([own, registry])


def curie(iri: str) -> str:
    """The CURIE of an IRI (``ir:il-2``, ``CL:0000624``, ``wikidata:Q15787``, ``biolink:Drug``), or the IRI itself.

    >>> curie("http://purl.obolibrary.org/obo/UBERON_0002370"), curie("https://w3id.org/irgraph/id/il-2")
    ('UBERON:0002370', 'ir:il-2')
    """
    return converter().compress(iri) or iri


def expand(text: str) -> str:
    """The IRI of a CURIE this module writes (the inverse of :func:`curie`), or the text itself.

    >>> expand("CL:0000624")
    'http://purl.obolibrary.org/obo/CL_0000624'
    """
    return converter().expand(text) or text


def curie_map(curies_used: set[str]) -> dict[str, str]:
    """Prefix -> namespace for the prefixes of ``curies_used``, for a file's metadata (``curie_map``).

    >>> curie_map({"CL:0000624", "ir:il-2"})
    {'CL': 'http://purl.obolibrary.org/obo/CL_', 'ir': 'https://w3id.org/irgraph/id/'}
    """
    wanted = {c.split(":", 1)[0] for c in curies_used if ":" in c and not c.startswith(("http:", "https:", "urn:"))}
    table = converter().prefix_map
    return {prefix: table[prefix] for prefix in sorted(wanted) if prefix in table}
