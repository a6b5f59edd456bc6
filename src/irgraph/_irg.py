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
    CertaintyAssessment: URIRef  # certainty assessment
    CertaintyDomain: URIRef  # certainty domain
    CertaintyLevel: URIRef  # certainty level
    Claim: URIRef  # claim
    ClinicalStudy: URIRef  # clinical study
    ClinicalThreshold: URIRef  # clinical threshold
    CombinationIntervention: URIRef  # combination intervention
    CountKind: URIRef  # count kind
    CuratorJudgement: URIRef  # curators' judgement
    DonorType: URIRef  # donor type
    Effect: URIRef  # effect
    Endpoint: URIRef  # endpoint
    EndpointKind: URIRef  # endpoint kind
    EvidenceDirection: URIRef  # evidence direction
    EvidenceLine: URIRef  # evidence line
    EvidenceStrength: URIRef  # evidence strength
    Finding: URIRef  # finding
    Intervention: URIRef  # intervention
    LinkBasis: URIRef  # link basis
    Mechanism: URIRef  # mechanism
    Organization: URIRef  # organization
    Route: URIRef  # route
    SampleSize: URIRef  # sample size
    Source: URIRef  # source
    Statement: URIRef  # statement
    StudyDesign: URIRef  # study design
    TrialPhase: URIRef  # trial phase
    Verdict: URIRef  # verdict

    # object properties
    aboutEntity: URIRef  # about entity
    aboutIntervention: URIRef  # about intervention
    bearsOn: URIRef  # bears on
    biolinkCategory: URIRef  # Biolink category
    broaderIntervention: URIRef  # broader intervention
    certainty: URIRef  # certainty
    certaintyAssessment: URIRef  # certainty assessment
    certaintyLevel: URIRef  # certainty level
    collaborator: URIRef  # collaborator
    contradicts: URIRef  # contradicts
    countKind: URIRef  # count kind
    developedBy: URIRef  # developed by
    direction: URIRef  # direction
    doiIri: URIRef  # DOI IRI
    donorSource: URIRef  # donor source
    downgradedFor: URIRef  # downgraded for
    effect: URIRef  # effect
    endpoint: URIRef  # endpoint
    endpointKind: URIRef  # endpoint kind
    evaluatedIn: URIRef  # evaluated in
    evidenceItem: URIRef  # evidence item
    evidenceStrength: URIRef  # evidence strength
    fromStudy: URIRef  # from study
    hasApproach: URIRef  # has approach
    hasComponent: URIRef  # has component
    hasInput: URIRef  # has input
    hasMechanism: URIRef  # has mechanism
    hasOutput: URIRef  # has output
    linkBasis: URIRef  # link basis
    phase: URIRef  # phase
    pmcidIri: URIRef  # PubMed Central IRI
    pmidIri: URIRef  # PubMed IRI
    qualifies: URIRef  # qualifies
    registryIri: URIRef  # registry record IRI
    restsOn: URIRef  # rests on
    route: URIRef  # route
    sampleSize: URIRef  # sample size
    sponsoredBy: URIRef  # sponsored by
    studyDesign: URIRef  # study design
    supports: URIRef  # supports
    targets: URIRef  # targets
    url: URIRef  # URL
    verdict: URIRef  # verdict

    # datatype properties
    action: URIRef  # action
    baselineValue: URIRef  # baseline value
    blinding: URIRef  # blinding
    ciLevel: URIRef  # confidence level
    ciLower: URIRef  # confidence interval lower bound
    ciUpper: URIRef  # confidence interval upper bound
    comparator: URIRef  # comparator
    comparatorArm: URIRef  # comparator arm
    comparatorEvents: URIRef  # events in the comparator group
    comparison: URIRef  # comparison
    condition: URIRef  # condition
    countedGroup: URIRef  # counted group
    dateNote: URIRef  # date note
    doi: URIRef  # DOI
    eligibility: URIRef  # eligibility
    endYear: URIRef  # end year
    followUpValue: URIRef  # follow-up value
    hazardRatio: URIRef  # hazard ratio
    inFactSheet: URIRef  # in the fact sheet
    interventionEvents: URIRef  # events in the intervention group
    lifeStage: URIRef  # life stage
    maxValue: URIRef  # maximum value
    meanDifference: URIRef  # mean difference
    minValue: URIRef  # minimum value
    noBearingReason: URIRef  # reason it bears on nothing
    numericValue: URIRef  # numeric value
    oddsRatio: URIRef  # odds ratio
    pValue: URIRef  # p-value
    participants: URIRef  # participants
    pmcid: URIRef  # PubMed Central identifier
    pmid: URIRef  # PubMed identifier
    rank: URIRef  # rank
    rationale: URIRef  # rationale
    registryId: URIRef  # registry identifier
    relativeRisk: URIRef  # relative risk
    riskDifference: URIRef  # risk difference
    sampleCount: URIRef  # sample count
    sourceSection: URIRef  # source section
    startYear: URIRef  # start year
    studyArm: URIRef  # study arm
    timeFrame: URIRef  # time frame
    unitCode: URIRef  # unit code
    unitText: URIRef  # unit text
