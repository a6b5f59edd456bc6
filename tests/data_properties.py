"""Properties every irgraph data set must have, whatever its size.

Each function takes an rdflib graph (the ontology and the data) and fails an
``assert`` with the node at fault. ``test_data.py`` runs them on the bundled
data and ``test_evidence.py`` on a copy grown by one intervention, so none of
them counts nodes: adding valid data must never break one.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from irgraph.namespaces import IR, IRG, PROV

FACT_SHEET = IR["source-fact-sheet-immune-restoration-overview"]
DIRECTIONS = {"supports": IR["direction-supports"], "contradicts": IR["direction-contradicts"],
              "qualifies": IR["direction-qualifies"]}


def instances(g, cls) -> set:
    """Nodes typed ``cls`` or one of its subclasses."""
    classes = set(g.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in g.subjects(RDF.type, c)}


def in_scheme(g, value, scheme: str) -> bool:
    return (value, SKOS.inScheme, IR[scheme]) in g


def later_lines(g, statement) -> set:
    """Evidence lines bearing on ``statement`` from a source other than its own."""
    own = set(g.objects(statement, PROV.wasDerivedFrom))
    return {line for line in g.subjects(IRG.bearsOn, statement)
            if set(g.objects(line, PROV.wasDerivedFrom)) - own}


def every_claim_has_later_evidence_or_a_sourced_none(g):
    for claim in instances(g, IRG.Claim):
        assessments = list(g.objects(claim, IRG.certaintyAssessment))
        assert len(assessments) == 1, f"{claim}: needs exactly one certainty assessment"
        level = g.value(assessments[0], IRG.certaintyLevel)
        if level == IR["grade-no-later-evidence"]:
            assert not later_lines(g, claim), f"{claim}: assessed as having no later evidence, but lines bear on it"
            assert list(g.objects(assessments[0], PROV.wasDerivedFrom)), f"{claim}: 'none found' names no source searched"
            assert list(g.objects(assessments[0], IRG.rationale)), claim
        else:
            assert later_lines(g, claim), f"{claim}: no later evidence line and no sourced 'none found'"


def every_evidence_line_is_complete(g):
    for line in instances(g, IRG.EvidenceLine):
        item, target = g.value(line, IRG.evidenceItem), g.value(line, IRG.bearsOn)
        assert item is not None and target is not None, line
        assert in_scheme(g, g.value(line, IRG.direction), "evidence-direction-scheme"), line
        assert in_scheme(g, g.value(line, IRG.evidenceStrength), "evidence-strength-scheme"), line
        assert in_scheme(g, g.value(line, IRG.linkBasis), "link-basis-scheme"), line
        rationale = list(g.objects(line, IRG.rationale))
        assert rationale and all(isinstance(r, Literal) and r.language == "en" and len(str(r)) > 20 for r in rationale), line
        sources = set(g.objects(line, PROV.wasDerivedFrom))
        assert sources and all((s, RDF.type, IRG.Source) in g for s in sources), line
        assert sources <= set(g.objects(item, PROV.wasDerivedFrom)), f"{line}: not derived from its evidence item's source"
        assert list(g.objects(line, IRG.sourceSection)), line
        assert list(g.objects(line, PROV.wasAttributedTo)), f"{line}: whose judgement is it?"


def shortcuts_and_lines_agree(g):
    for name, direction in DIRECTIONS.items():
        for item, target in g.subject_objects(IRG[name]):
            assert any(g.value(line, IRG.direction) == direction for line in g.subjects(IRG.evidenceItem, item)
                       if g.value(line, IRG.bearsOn) == target), f"{item} {name} {target} has no evidence line"
    for line in instances(g, IRG.EvidenceLine):
        name = next(n for n, d in DIRECTIONS.items() if g.value(line, IRG.direction) == d)
        assert (g.value(line, IRG.evidenceItem), IRG[name], g.value(line, IRG.bearsOn)) in g, f"{line} has no shortcut"


def every_finding_bears_on_something_or_says_why(g):
    for finding in instances(g, IRG.Finding):
        linked = any(g.subjects(IRG.evidenceItem, finding)) or any(g.subjects(IRG.bearsOn, finding))
        assert linked or list(g.objects(finding, IRG.noBearingReason)), f"{finding} bears on nothing and does not say why"


def every_study_has_one_design_and_sourced_sample_sizes(g):
    for study in instances(g, IRG.ClinicalStudy):
        designs = list(g.objects(study, IRG.studyDesign))
        assert len(designs) == 1 and in_scheme(g, designs[0], "study-design-scheme"), study
        for sample in g.objects(study, IRG.sampleSize):
            count = g.value(sample, IRG.sampleCount)
            assert count is not None and count.datatype == XSD.integer and int(count) >= 1, sample
            assert in_scheme(g, g.value(sample, IRG.countKind), "count-kind-scheme"), sample
            assert list(g.objects(sample, PROV.wasDerivedFrom)) and list(g.objects(sample, IRG.sourceSection)), sample


def every_intervention_says_whether_the_fact_sheet_describes_it(g):
    for intervention in instances(g, IRG.Intervention):
        flags = list(g.objects(intervention, IRG.inFactSheet))
        assert len(flags) == 1 and flags[0].datatype == XSD.boolean, intervention
        derived = (intervention, PROV.wasDerivedFrom, FACT_SHEET) in g
        assert flags[0].toPython() is derived, f"{intervention}: irg:inFactSheet disagrees with its sources"


ESTIMATES = ("hazardRatio", "relativeRisk", "oddsRatio", "riskDifference", "meanDifference")


def every_effect_estimate_says_its_comparison_and_sits_in_its_interval(g):
    for finding in instances(g, IRG.Finding):
        estimates = [g.value(finding, IRG[name]) for name in ESTIMATES if g.value(finding, IRG[name]) is not None]
        low, high = g.value(finding, IRG.ciLower), g.value(finding, IRG.ciUpper)
        if estimates:
            assert g.value(finding, IRG.comparison) is not None, f"{finding}: which arm over which?"
        if low is not None or high is not None:
            assert len(estimates) == 1, f"{finding}: an interval needs exactly one estimate"
            assert float(low) <= float(estimates[0]) <= float(high), finding
        level = g.value(finding, IRG.ciLevel)
        if level is not None:
            assert 0 < float(level) < 1, finding


def every_node_with_several_sources_pairs_each_with_its_section(g):
    for node in set(g.subjects(PROV.wasDerivedFrom, None)):
        sources = set(g.objects(node, PROV.wasDerivedFrom))
        if len(sources) < 2:
            continue
        pairings = list(g.objects(node, PROV.qualifiedDerivation))
        paired = {g.value(p, PROV.entity) for p in pairings if list(g.objects(p, IRG.sourceSection))}
        assert paired == sources, f"{node}: sources {sources - paired} are not paired with a section"
        sections = {s for p in pairings for s in g.objects(p, IRG.sourceSection)}
        assert sections <= set(g.objects(node, IRG.sourceSection)), node


def randomised(g, finding) -> bool:
    return any((design, SKOS.broader, IR["design-randomised"]) in g
               for study in g.objects(finding, IRG.fromStudy) for design in g.objects(study, IRG.studyDesign))


def the_il2_story_holds(g):
    """ESPRIT, SILCAAT and STALWART raised CD4 counts, yet their clinical results contradict the CD4-measure claim."""
    claim = IR["claim-cd4-count-measures-immune-function"]
    for trial in ("esprit", "silcaat", "stalwart"):
        study = IR[f"study-{trial}"]
        findings = set(g.subjects(IRG.fromStudy, study))
        assert any((f, IRG.endpoint, IR["endpoint-cd4-count"]) in g and (f, IRG.effect, IR["effect-increase"]) in g
                   for f in findings), f"{trial}: no CD4 rise"
        clinical = [f for f in findings if (f, IRG.contradicts, claim) in g]
        assert clinical, f"{trial}: nothing contradicts the CD4-measure claim"
        for finding in clinical:
            assert g.value(g.value(finding, IRG.endpoint), IRG.endpointKind) == IR["clinical-endpoint"], finding
            assert randomised(g, finding), finding
            lines = [line for line in g.subjects(IRG.evidenceItem, finding) if g.value(line, IRG.bearsOn) == claim]
            assert lines and all(g.value(line, IRG.evidenceStrength) in (IR["strength-strong"], IR["strength-moderate"])
                                 for line in lines), finding


ALL = (
    every_claim_has_later_evidence_or_a_sourced_none,
    every_evidence_line_is_complete,
    shortcuts_and_lines_agree,
    every_finding_bears_on_something_or_says_why,
    every_study_has_one_design_and_sourced_sample_sizes,
    every_intervention_says_whether_the_fact_sheet_describes_it,
    every_effect_estimate_says_its_comparison_and_sits_in_its_interval,
    every_node_with_several_sources_pairs_each_with_its_section,
    the_il2_story_holds,
)


def label(g, node: URIRef) -> str:
    return str(g.value(node, RDFS.label))
