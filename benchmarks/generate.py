"""Generate a synthetic graph shaped like irgraph's, of any size, as N-Triples.

The output holds synthetic interventions with their mechanisms, targets,
studies, findings, claims, sources and organisations, in the bundled data's
proportions (per
intervention: about 2.3 studies, 3.3 findings each with its graded evidence
line, 0.5 claims each with a certainty assessment, 3.5 sources, 0.7
biological entities, 0.5 organisations; about 200 triples). Synthetic
nodes point at the real controlled values (phases, effects, verdicts,
endpoints, approaches, biological entities), so every catalog query finds
work to do at every size. ``irgraph.load`` adds the ontology and the bundled
data, so the file holds ``size`` minus their triples: loaded, the graph has
about ``size`` triples. The same size and seed always give the same bytes.

Usage::

    python benchmarks/generate.py 100k out.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rdflib import RDF, URIRef

import irgraph
from irgraph.namespaces import IR_URI, IRG_URI

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = str(RDF.type)
SYN = IR_URI + "syn-"


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1m`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}; write e.g. 10k, 100k, 1m") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return value


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str | None = "en") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _instances(graph, cls: str) -> list[str]:
    return sorted(str(s) for s in graph.subjects(RDF.type, URIRef(IRG_URI + cls)) if isinstance(s, URIRef))


class _Writer:
    def __init__(self, out):
        self.out = out
        self.count = 0

    def triple(self, s: str, p: str, o: str) -> None:
        self.out.write(f"<{s}> <{p}> {o} .\n")
        self.count += 1


def generate(size: int, out, *, seed: int = 1) -> int:
    """Write synthetic N-Triples to the text stream ``out`` until, with the bundled graph, there are ``size`` triples.

    Returns the total: the bundled graph's triples plus the lines written.

    >>> import io
    >>> buffer = io.StringIO()
    >>> total = generate(5000, buffer)
    >>> total >= 5000 and total - buffer.getvalue().count("\\n") == len(irgraph.load_graph())
    True
    """
    graph = irgraph.load_graph()
    writer = _Writer(out)
    writer.count = len(graph)
    rng = random.Random(seed)
    phases = _instances(graph, "TrialPhase")
    effects = _instances(graph, "Effect")
    verdicts = _instances(graph, "Verdict")
    endpoints = _instances(graph, "Endpoint")
    approaches = _instances(graph, "Approach")
    entities = _instances(graph, "BiologicalEntity")
    claims_real = _instances(graph, "Claim")
    designs = _instances(graph, "StudyDesign")
    strengths = _instances(graph, "EvidenceStrength")
    levels = [level for level in _instances(graph, "CertaintyLevel") if not level.endswith("no-later-evidence")]
    curators = IR_URI + "irgraph-curators"
    t = writer.triple
    i = 0
    while writer.count < size:
        node = f"{SYN}intervention-{i}"
        mechanism = f"{SYN}mechanism-{i}"
        org = f"{SYN}organization-{i // 2}"
        sources = [f"{SYN}source-{i}-{k}" for k in range(4 if i % 2 == 0 else 3)]
        studies = [f"{SYN}study-{i}-{k}" for k in range(3 if i % 3 == 0 else 2)]
        findings = [f"{SYN}finding-{i}-{k}" for k in range(4 if i % 3 == 0 else 3)]
        # about 0.7 new biological entities per intervention, nested under the real ones
        if i % 10 < 7:
            entity = f"{SYN}entity-{i}"
            t(entity, RDF_TYPE, _iri(IRG_URI + "BiologicalEntity"))
            t(entity, RDFS + "label", _text(f"synthetic cell type {i}"))
            t(entity, SKOS + "broader", _iri(rng.choice(entities)))
            t(entity, SKOS + "definition", _text(f"A synthetic cell type, number {i}."))
            t(entity, PROV + "wasDerivedFrom", _iri(sources[0]))
            t(entity, IRG_URI + "sourceSection", _text("Background", None))
            target = entity
        else:
            target = rng.choice(entities)
        if i % 2 == 0:
            t(org, RDF_TYPE, _iri(IRG_URI + "Organization"))
            t(org, RDFS + "label", _text(f"Synthetic organisation {i // 2}"))
            t(org, SKOS + "definition", _text("A synthetic developer and sponsor."))
        t(node, RDF_TYPE, _iri(IRG_URI + "Intervention"))
        t(node, RDFS + "label", _text(f"synthetic intervention {i}"))
        t(node, SKOS + "altLabel", _text(f"SI-{i}"))
        t(node, SKOS + "definition", _text(f"A synthetic intervention, number {i}, for measuring irgraph at scale."))
        t(node, IRG_URI + "inFactSheet", _typed("false", "boolean"))
        t(node, IRG_URI + "hasApproach", _iri(rng.choice(approaches)))
        t(node, IRG_URI + "hasMechanism", _iri(mechanism))
        t(node, IRG_URI + "targets", _iri(target))
        t(node, IRG_URI + "targets", _iri(rng.choice([e for e in entities if e != target])))
        t(node, IRG_URI + "developedBy", _iri(org))
        t(node, PROV + "wasDerivedFrom", _iri(sources[0]))
        t(node, IRG_URI + "sourceSection", _text("Abstract", None))
        t(mechanism, RDF_TYPE, _iri(IRG_URI + "Mechanism"))
        t(mechanism, RDFS + "label", _text(f"synthetic mechanism {i}"))
        t(mechanism, SKOS + "definition", _text(f"How synthetic intervention {i} is meant to work."))
        for k, source in enumerate(sources):
            t(source, RDF_TYPE, _iri(IRG_URI + "Source"))
            t(source, RDFS + "label", _text(f"Synthetic article {i}-{k}"))
            t(source, DCT + "title", _text(f"A synthetic article {i}-{k}", None))
            t(source, DCT + "issued", _typed(1990 + (i + k) % 35, "gYear"))
            pmid = str(10_000_000 + i * 3 + k)
            t(source, IRG_URI + "pmid", _text(pmid, None))
            t(source, IRG_URI + "pmidIri", _iri(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))  # the twin the shapes ask for
        for k, study in enumerate(studies):
            t(study, RDF_TYPE, _iri(IRG_URI + "ClinicalStudy"))
            t(study, RDFS + "label", _text(f"Synthetic study {i}-{k}"))
            t(study, SKOS + "definition", _text(f"A synthetic trial of synthetic intervention {i}."))
            registry_id = f"NCT{90_000_000 + i * 2 + k:08d}"
            t(study, IRG_URI + "registryId", _text(registry_id, None))
            t(study, IRG_URI + "registryIri", _iri(f"https://www.clinicaltrials.gov/study/{registry_id}"))
            t(study, IRG_URI + "phase", _iri(rng.choice(phases)))
            t(study, IRG_URI + "studyDesign", _iri(rng.choice(designs)))
            t(study, IRG_URI + "participants", _typed(rng.randint(10, 5000), "integer"))
            t(study, IRG_URI + "sponsoredBy", _iri(org))
            t(study, PROV + "wasDerivedFrom", _iri(sources[k % len(sources)]))
            t(study, IRG_URI + "sourceSection", _text("Methods", None))
            t(node, IRG_URI + "evaluatedIn", _iri(study))
        claim = None
        if i % 2 == 0:
            claim = f"{SYN}claim-{i}"
            t(claim, RDF_TYPE, _iri(IRG_URI + "Claim"))
            t(claim, RDFS + "label", _text(f"Synthetic intervention {i} restores immunity"))
            t(claim, SKOS + "definition", _text(f"The claim that synthetic intervention {i} works."))
            t(claim, PROV + "wasDerivedFrom", _iri(sources[0]))
            t(claim, IRG_URI + "sourceSection", _text("Discussion", None))
            assessment = f"{SYN}assessment-{i}"
            t(claim, IRG_URI + "certaintyAssessment", _iri(assessment))
            t(assessment, RDF_TYPE, _iri(IRG_URI + "CertaintyAssessment"))
            t(assessment, RDFS + "label", _text(f"Certainty of the evidence on synthetic claim {i}"))
            t(assessment, IRG_URI + "certaintyLevel", _iri(rng.choice(levels)))
            t(assessment, IRG_URI + "rationale", _text("A synthetic judgement."))
            t(assessment, IRG_URI + "restsOn", _iri(f"{SYN}line-{i}-0"))
            t(assessment, PROV + "wasAttributedTo", _iri(curators))
        for k, finding in enumerate(findings):
            t(finding, RDF_TYPE, _iri(IRG_URI + "Finding"))
            t(finding, RDFS + "label", _text(f"Synthetic finding {i}-{k}"))
            t(finding, SKOS + "definition", _text(f"What synthetic study {i} found, result {k}."))
            t(finding, IRG_URI + "aboutIntervention", _iri(node))
            t(finding, IRG_URI + "fromStudy", _iri(studies[k % len(studies)]))
            t(finding, IRG_URI + "endpoint", _iri(rng.choice(endpoints)))
            t(finding, IRG_URI + "effect", _iri(rng.choice(effects)))
            t(finding, IRG_URI + "verdict", _iri(rng.choice(verdicts)))
            t(finding, IRG_URI + "numericValue", _typed(rng.randint(1, 400), "integer"))
            t(finding, IRG_URI + "unitText", _text("cells/mm³", None))
            target_claim = claim or rng.choice(claims_real)
            direction = "supports" if k % 2 == 0 else "contradicts"
            t(finding, IRG_URI + direction, _iri(target_claim))
            t(finding, PROV + "wasDerivedFrom", _iri(sources[(k + 1) % len(sources)]))
            t(finding, IRG_URI + "sourceSection", _text("Results", None))
            line = f"{SYN}line-{i}-{k}"
            t(line, RDF_TYPE, _iri(IRG_URI + "EvidenceLine"))
            t(line, RDFS + "label", _text(f"Synthetic finding {i}-{k} {direction} its claim"))
            t(line, IRG_URI + "evidenceItem", _iri(finding))
            t(line, IRG_URI + "bearsOn", _iri(target_claim))
            t(line, IRG_URI + "direction", _iri(IR_URI + "direction-" + direction))
            t(line, IRG_URI + "evidenceStrength", _iri(rng.choice(strengths)))
            t(line, IRG_URI + "linkBasis", _iri(IR_URI + "basis-curators-reading"))
            t(line, IRG_URI + "rationale", _text("A synthetic reading of a synthetic result."))
            t(line, PROV + "wasAttributedTo", _iri(curators))
            t(line, PROV + "wasDerivedFrom", _iri(sources[(k + 1) % len(sources)]))
            t(line, IRG_URI + "sourceSection", _text("Results", None))
        i += 1
    return writer.count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=parse_size, help="number of triples, e.g. 10k, 100k, 1m")
    parser.add_argument("out", type=Path, help="the N-Triples file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as handle:
        count = generate(args.size, handle, seed=args.seed)
    print(f"{args.out}: with the bundled graph, {count} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
