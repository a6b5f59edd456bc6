"""The terms of the irgraph ontology (``irg:``) as a closed namespace.

Generated from ontology/irgraph.ttl by tools/generate_vocabulary.py: do not
edit; run ``python tools/generate_vocabulary.py`` after changing the ontology.
A term the ontology does not declare raises ``AttributeError``:

>>> IRG.Intervention
rdflib.term.URIRef('https://w3id.org/irgraph/ontology#Intervention')
>>> getattr(IRG, "Intervnetion")  # a misspelt term
Traceback (most recent call last):
...
AttributeError: term 'Intervnetion' not in namespace 'https://w3id.org/irgraph/ontology#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class IRG(DefinedNamespace):
    """Classes and properties of irgraph: HIV immune restoration research-intervention ontology."""

    _NS = Namespace("https://w3id.org/irgraph/ontology#")
    _fail = True

    # classes
    Approach: URIRef  # approach
    BiologicalEntity: URIRef  # biological entity
    BiologicalFact: URIRef  # biological fact
    Certainty: URIRef  # certainty
    Claim: URIRef  # claim
    ClinicalStudy: URIRef  # clinical study
    ClinicalThreshold: URIRef  # clinical threshold
    CombinationIntervention: URIRef  # combination intervention
    DonorType: URIRef  # donor type
    Effect: URIRef  # effect
    Endpoint: URIRef  # endpoint
    EndpointKind: URIRef  # endpoint kind
    Finding: URIRef  # finding
    Intervention: URIRef  # intervention
    Mechanism: URIRef  # mechanism
    Organization: URIRef  # organization
    Route: URIRef  # route
    Source: URIRef  # source
    Statement: URIRef  # statement
    TrialPhase: URIRef  # trial phase
    Verdict: URIRef  # verdict

    # object properties
    aboutEntity: URIRef  # about entity
    aboutIntervention: URIRef  # about intervention
    certainty: URIRef  # certainty
    collaborator: URIRef  # collaborator
    contradicts: URIRef  # contradicts
    developedBy: URIRef  # developed by
    donorSource: URIRef  # donor source
    effect: URIRef  # effect
    endpoint: URIRef  # endpoint
    endpointKind: URIRef  # endpoint kind
    evaluatedIn: URIRef  # evaluated in
    fromStudy: URIRef  # from study
    hasApproach: URIRef  # has approach
    hasComponent: URIRef  # has component
    hasInput: URIRef  # has input
    hasMechanism: URIRef  # has mechanism
    hasOutput: URIRef  # has output
    phase: URIRef  # phase
    route: URIRef  # route
    sponsoredBy: URIRef  # sponsored by
    supports: URIRef  # supports
    targets: URIRef  # targets
    url: URIRef  # URL
    verdict: URIRef  # verdict

    # datatype properties
    action: URIRef  # action
    baselineValue: URIRef  # baseline value
    ciLower: URIRef  # confidence interval lower bound
    ciUpper: URIRef  # confidence interval upper bound
    comparator: URIRef  # comparator
    condition: URIRef  # condition
    dateNote: URIRef  # date note
    doi: URIRef  # DOI
    endYear: URIRef  # end year
    followUpValue: URIRef  # follow-up value
    hazardRatio: URIRef  # hazard ratio
    lifeStage: URIRef  # life stage
    maxValue: URIRef  # maximum value
    minValue: URIRef  # minimum value
    numericValue: URIRef  # numeric value
    pValue: URIRef  # p-value
    participants: URIRef  # participants
    pmid: URIRef  # PubMed identifier
    registryId: URIRef  # registry identifier
    relativeRisk: URIRef  # relative risk
    sourceSection: URIRef  # source section
    startYear: URIRef  # start year
    timeFrame: URIRef  # time frame
    unitCode: URIRef  # unit code
    unitText: URIRef  # unit text
