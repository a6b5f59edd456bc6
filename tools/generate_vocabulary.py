"""Write ``src/irgraph/_irg.py``: the ontology's terms as a closed rdflib ``DefinedNamespace``.

Run after any change to ``ontology/irgraph.ttl`` (``tests/test_vocabulary.py``
fails until the committed file matches the ontology)::

    python tools/generate_vocabulary.py

``--check`` only compares and exits 1 when the committed file is out of date.
The class lists every class and property the ontology declares, grouped by
kind and sorted, each with its English label as a comment, so that editors
complete the names and a misspelt term raises ``AttributeError``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology" / "irgraph.ttl"
TARGET = REPO / "src" / "irgraph" / "_irg.py"
IRG_URI = "https://w3id.org/irgraph/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL = "http://www.w3.org/2002/07/owl#"
#: the kinds of declaration, in the order the class lists them
KINDS = (
    ("Class", "classes"),
    ("ObjectProperty", "object properties"),
    ("DatatypeProperty", "datatype properties"),
    ("AnnotationProperty", "annotation properties"),
)

HEADER = '''"""The terms of the irgraph ontology (``irg:``) as a closed namespace.

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
    """Classes and properties of {title}."""

    _NS = Namespace("{namespace}")
    _fail = True
'''


def declarations(path: Path = ONTOLOGY) -> dict[str, list[tuple[str, str]]]:
    """Kind (``Class``, ``ObjectProperty``…) -> sorted (local name, English label) of the ``irg:`` terms."""
    kinds: dict[str, set[str]] = {kind: set() for kind, _ in KINDS}
    labels: dict[str, str] = {}
    title = ""
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode):
            continue
        if subject.value.startswith(IRG_URI):
            local = subject.value[len(IRG_URI):]
            if predicate == _RDF_TYPE and isinstance(obj, ox.NamedNode) and obj.value.startswith(_OWL):
                kind = obj.value[len(_OWL):]
                if kind in kinds:
                    kinds[kind].add(local)
            elif predicate == _RDFS_LABEL and isinstance(obj, ox.Literal) and obj.language in ("en", None, ""):
                labels[local] = obj.value
        elif predicate == "http://purl.org/dc/terms/title" and isinstance(obj, ox.Literal):
            title = obj.value
    found = {kind: [(name, labels.get(name, "")) for name in sorted(names)] for kind, names in kinds.items()}
    found["_title"] = [(title, "")]
    return found


def render(path: Path = ONTOLOGY) -> str:
    """The text of ``_irg.py`` for the ontology at ``path``."""
    found = declarations(path)
    title = found.pop("_title")[0][0] or "the irgraph ontology"
    lines = [HEADER.format(title=title.replace('"', "'").rstrip('.'), namespace=IRG_URI)]
    for kind, heading in KINDS:
        if not found[kind]:
            continue
        lines.append(f"    # {heading}")
        for name, label in found[kind]:
            if not name.isidentifier():
                raise SystemExit(f"irg:{name} is not a Python identifier; it cannot be a DefinedNamespace attribute")
            lines.append(f"    {name}: URIRef" + (f"  # {label}" if label else ""))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{TARGET} is out of date: run python tools/generate_vocabulary.py\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET.relative_to(REPO)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
