"""Pages for people: one per entity, an index by class, and the SPARQL editor, in irgraph's one look.

Every entity of the graph (an IRI under ``https://w3id.org/irgraph/id/``)
gets a page, following the W3C note "Cool URIs for the Semantic Web": its
label, class, synonyms, definition, every statement with each linked entity
a link to its page, what points at it, where it comes from (full citations
and identifier links) and, for a claim, its claim ledger. The facts are
:func:`irgraph.describe.describe_entity`'s and the ledger
:mod:`irgraph.claims`'; this module only lays them out. For machines, the
entity's own triples (:func:`entity_graph`) in each graph format of the
registry (:mod:`irgraph.formats`).

The ontology's terms (``irg:Claim``, ``https://w3id.org/irgraph/ontology#Claim``)
are hash IRIs: they share one page, the ontology's (:func:`ontology_page`,
one section per term with the term's name as its anchor), and one RDF
document (:func:`ontology_rdf`). A search page (:func:`search_page`) lists
every entity with its names and filters the list as one types.

Pages are rendered for two homes, which differ only in their links
(:class:`~irgraph.house.Navigation`): ``irgraph serve`` (``/id/<slug>``,
``/ontology``, by content negotiation) and ``irgraph site`` (static files:
``<slug>.html`` beside ``<slug>.ttl`` …, readable from ``file://``).

The look (:mod:`irgraph.house`: ``static/house.css`` and the
``templates/house/house.html`` header) is shared by every page, the
editor's and the explorer's too; see docs/workbench.md.
All text from the data is escaped by Jinja's autoescape, and only ``http``
and ``https`` addresses from the data become links.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import XSD, BNode, Graph, Literal, URIRef

from . import formats
from .catalog import SavedQuery, catalog, is_internal, saved_query
from .claims import DIRECTIONS, Citation
from .describe import describe_entity
from .errors import UsageError
from .house import STATIC, TEMPLATE_GLOBALS, Navigation, NavItem
from .namespaces import ONTOLOGY_IRI, compact, expand, prefixes
from .query import bind_params
from .vocab import IR_URI, IRG, IRG_URI, OWL, RDF, RDFS, SKOS, label_of

__all__ = [
    "Navigation",
    "editor_page",
    "editor_settings",
    "entity_graph",
    "entity_iris",
    "entity_page",
    "entity_rdf",
    "file_stem",
    "index_page",
    "ontology_graph",
    "ontology_page",
    "ontology_rdf",
    "ontology_terms",
    "ready_query",
    "search_page",
    "served_navigation",
    "site_navigation",
    "slug_of",
    "static_file",
    "term_anchor",
]

_TEMPLATES = Path(__file__).parent / "templates" / "house"
#: file names of ``irgraph site`` that an entity's file may not take
_RESERVED_STEMS = frozenset({"index", "house", "explorer", "ontology", "search", "irgraph"})


# --- where things are -------------------------------------------------------------

def slug_of(iri: str) -> str | None:
    """The slug of an entity IRI (``il-2`` for ``https://w3id.org/irgraph/id/il-2``), or None for other IRIs."""
    return iri[len(IR_URI):] if iri.startswith(IR_URI) and len(iri) > len(IR_URI) else None


def file_stem(slug: str) -> str:
    """The file name (without suffix) of an entity's files in ``irgraph site``: the slug, made safe as one name.

    Characters other than letters, digits, ``-``, ``_`` and ``.`` are
    percent-encoded (so no slug can climb out of the folder or hide as a dot
    file); names the site uses itself take a ``~``, which no encoded slug
    contains; very long slugs are shortened with a hash.

    >>> file_stem("il-2"), file_stem("index"), file_stem("a/../b")
    ('il-2', 'index~', 'a%2F..%2Fb')
    """
    stem = quote(slug, safe="-_.")
    if stem.startswith("."):
        stem = "%2E" + stem[1:]
    if len(stem) > 150:
        stem = stem[:100] + "~" + hashlib.sha256(slug.encode("utf-8")).hexdigest()[:16]
    return stem + "~" if stem in _RESERVED_STEMS else stem


def _editor_link(iri: str) -> str:
    return "/#" + quote(f"query=DESCRIBE <{iri}>", safe="=")


def _served_entity(iri: str, suffix: str = "") -> str:
    return "/id/" + quote(slug_of(iri) or "", safe="") + suffix


def _served_explorer(iri: str) -> str:
    return "/explorer?focus=" + quote(iri, safe="")


def term_anchor(iri: str) -> str | None:
    """The anchor of an ontology term on the ontology's page (``Claim`` for ``irg:Claim``), or None for other IRIs.

    >>> term_anchor("https://w3id.org/irgraph/ontology#Claim"), term_anchor("https://w3id.org/irgraph/id/il-2")
    ('Claim', None)
    """
    if not iri.startswith(IRG_URI) or len(iri) == len(IRG_URI):
        return None
    return quote(iri[len(IRG_URI):], safe="-_.")


def _served_ontology(suffix: str = "") -> str:
    return "/ontology" + suffix


def _served_term(iri: str) -> str | None:
    anchor = term_anchor(iri)
    return None if anchor is None else _served_ontology() + "#" + anchor


def served_navigation() -> Navigation:
    """The links of pages served by ``irgraph serve``: entity pages at ``/id/<slug>``, the editor at ``/``."""
    items = (NavItem("editor", "SPARQL editor", "/"), NavItem("entities", "Entities", "/id/"),
             NavItem("search", "Search", "/search"), NavItem("ontology", "Ontology", "/ontology"),
             NavItem("explorer", "Explorer", "/explorer"), NavItem("endpoint", "Service description", "/sparql"))
    return Navigation("/static/house.css", "/", items, entity=_served_entity, explorer_for=_served_explorer,
                      query_for=_editor_link, term=_served_term, ontology=_served_ontology, scripts="/static/")


def _site_entity(iri: str, suffix: str = "") -> str:
    # the file is named by file_stem; the link to it is that name percent-encoded once more
    return quote(file_stem(slug_of(iri) or "")) + (suffix or ".html")


def _site_explorer(iri: str) -> str:
    # the explorer keeps its view in the address: this one shows the entity and what links to it, selected
    name = compact(iri)
    return "explorer.html#" + urlencode({"select": name, "focus": name})


def _site_ontology(suffix: str = "") -> str:
    return "ontology" + (suffix or ".html")


def _site_term(iri: str) -> str | None:
    anchor = term_anchor(iri)
    return None if anchor is None else _site_ontology() + "#" + anchor


def site_navigation(*, explorer: bool = True) -> Navigation:
    """The links of ``irgraph site``'s static files: every file in one folder, linked relatively
    (``explorer``: the site has ``explorer.html``, so the pages link to it)."""
    items: tuple[NavItem, ...] = (NavItem("entities", "Entities", "index.html"), NavItem("search", "Search", "search.html"),
                                  NavItem("ontology", "Ontology", "ontology.html"))
    if explorer:
        items += (NavItem("explorer", "Explorer", "explorer.html"),)
    return Navigation("house.css", "index.html", items, entity=_site_entity,
                      explorer_for=_site_explorer if explorer else None, term=_site_term, ontology=_site_ontology,
                      scripts="")


@cache
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(default=True),
                              trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    environment.globals.update(TEMPLATE_GLOBALS)
    return environment


def static_file(name: str) -> bytes | None:
    """A file of the package's ``static/`` folder by its path there (``yasgui/yasgui.min.js``), or None."""
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        return None
    return path.read_bytes()


# --- the entities -----------------------------------------------------------------

def entity_iris(graph: Graph) -> list[str]:
    """Every entity that has a page: each IRI under ``https://w3id.org/irgraph/id/`` that is a subject, sorted."""
    return sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and slug_of(str(s)) is not None})


def entity_graph(graph: Graph, iri: str) -> Graph:
    """The entity's own triples: every triple with it as subject, and those of the blank nodes they reach.

    (The concise bounded description, without reification.) This is what
    the entity's RDF files and content-negotiated answers hold.
    """
    out = Graph()
    todo: list = [URIRef(iri)]
    seen: set = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, obj in graph.predicate_objects(node):
            out.add((node, predicate, obj))
            if isinstance(obj, BNode):
                todo.append(obj)
    return out


def rdf_formats() -> tuple[formats.Format, ...]:
    """The registry's graph formats an entity's RDF is offered in (each with a media type and a suffix)."""
    return tuple(f for f in formats.formats_for(formats.CONSTRUCT) if f.media_type and f.suffix)


def format_name(entry: formats.Format) -> str:
    """A format's short name for a link, from its W3C format IRI (``RDF_XML`` -> ``RDF/XML``), else its name.

    >>> format_name(formats.get("rdfxml")), format_name(formats.get("jsonld"))
    ('RDF/XML', 'JSON-LD')
    """
    return entry.w3c.rsplit("/", 1)[1].replace("_", "/") if entry.w3c else entry.name


def entity_rdf(graph: Graph, iri: str, fmt: str) -> str:
    """The entity's triples (:func:`entity_graph`) in the graph format ``fmt`` (``turtle``, ``jsonld``, ``nt``, ``rdfxml``)."""
    return formats.for_kind(formats.CONSTRUCT, fmt).write(entity_graph(graph, iri))


@dataclass
class _Shown:
    text: str
    href: str | None = None
    property: str = ""
    property_href: str | None = None


@dataclass
class _Alternate:
    media_type: str
    href: str
    title: str


@dataclass
class _Page:
    iri: str
    label: str
    types: list[_Shown] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""
    outgoing: list[_Shown] = field(default_factory=list)
    incoming: list[_Shown] = field(default_factory=list)
    sources: list = field(default_factory=list)
    ledger: object = None
    alternates: list[_Alternate] = field(default_factory=list)


def _web_link(address: str) -> str | None:
    """``address`` when it is an http(s) URL a page may link to; None for ``javascript:``, ``data:`` and the rest."""
    try:
        parts = urlsplit(address.strip())
    except ValueError:
        return None
    return address.strip() if parts.scheme in ("http", "https") and parts.netloc else None


class _Linker:
    """Turns IRIs (full or compact) into links to pages that exist (an entity's page, an ontology term's
    section); others stay text."""

    def __init__(self, known: set[str], nav: Navigation, terms: Container[str] = frozenset()) -> None:
        self.known = known
        self.nav = nav
        self.terms = terms

    def __call__(self, value: str) -> str | None:
        iri = expand(value)
        if iri in self.known:
            return self.nav.entity(iri, "")
        if iri in self.terms and self.nav.term is not None:
            return self.nav.term(iri)
        return None

    def outside(self, value: str) -> str | None:
        """An identifier link out (``obo:NCIT_C1498``, a DrugBank address): http(s) only, never an entity of the graph."""
        iri = expand(value)
        return None if slug_of(iri) is not None else _web_link(iri)


def _cite(citation: Citation):
    from markupsafe import Markup, escape

    parts = [escape(citation.label)]
    if citation.citation and citation.citation != citation.label:
        parts.append(Markup(' <span class="muted">') + escape(citation.citation) + Markup("</span>"))
    ids = []
    if citation.doi:
        ids.append(Markup('<a href="https://doi.org/{0}">doi:{1}</a>').format(quote(citation.doi, safe="/:;()._-"), citation.doi))
    if citation.pmid:
        ids.append(Markup('<a href="https://pubmed.ncbi.nlm.nih.gov/{0}/">PMID {1}</a>').format(quote(citation.pmid, safe=""),
                                                                                             citation.pmid))
    if citation.pmcid:
        ids.append(escape(citation.pmcid))
    url = _web_link(citation.url) if citation.url else None
    if url:
        ids.append(Markup('<a href="{0}">{1}</a>').format(url, url))
    elif citation.url:
        ids.append(escape(citation.url))
    if ids:
        parts.append(Markup(" [") + Markup(", ").join(ids) + Markup("]"))
    return Markup("").join(parts)


_NUMERIC = {XSD.decimal, XSD.double, XSD.float, XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger,
            XSD.positiveInteger}


def _numbers_with_unit(graph: Graph, node: URIRef) -> dict[tuple[str, str], str]:
    """(property, value) -> the value with its unit, for each number on a node that names its unit
    (``irg:unitText``, else ``irg:unitCode``, on the same node: "2 years of age")."""
    unit = graph.value(node, IRG.unitText) or graph.value(node, IRG.unitCode)
    if unit is None:
        return {}
    return {(str(p), str(o)): f"{o} {unit}" for p, o in graph.predicate_objects(node)
            if isinstance(o, Literal) and o.datatype in _NUMERIC}


def entity_page(graph: Graph, iri: str, nav: Navigation, *, known: set[str] | None = None,
                timeout: float | None = 30) -> str:
    """The HTML page of the entity ``iri``: what :func:`irgraph.describe.describe_entity` finds, laid out and linked.

    ``known`` are the IRIs that have pages (default: :func:`entity_iris`),
    the only ones linked. ``timeout`` limits each describe query.

    >>> from irgraph import load_graph
    >>> "HE2000" in entity_page(load_graph(), "https://w3id.org/irgraph/id/he2000", served_navigation())
    True
    """
    known = set(entity_iris(graph)) if known is None else known
    if iri not in known:
        raise UsageError(f"no entity {iri!r} in the graph")
    link = _Linker(known, nav, _TermsOf(graph))
    described = describe_entity(graph, iri, timeout=timeout)
    page = _Page(iri=iri, label=described.label, synonyms=described.synonyms, definition=described.definition,
                 ledger=described.ledger, sources=described.sources)
    for type_name in described.types:
        page.types.append(_Shown(label_of(graph, URIRef(expand(type_name)), type_name), link(type_name)))
    measured = _numbers_with_unit(graph, URIRef(iri))
    for fact in described.outgoing:
        href = link(fact.value) or link.outside(fact.value)
        text = f"{fact.value_label} ({fact.value})" if fact.value_label else fact.value
        text = measured.get((expand(fact.property), fact.value), text)
        page.outgoing.append(_Shown(text, href, fact.property_label or fact.property, link(fact.property)))
    for fact in described.incoming:
        page.incoming.append(_Shown(fact.value_label or fact.value, link(fact.value), fact.property_label or fact.property,
                                    link(fact.property)))
    page.alternates = [_Alternate(f.media_type or "", nav.entity(iri, f.suffix or ""), format_name(f)) for f in rdf_formats()]
    template = _environment().get_template("entity.html")
    return template.render(page=page, nav=nav, link=link, cite=_cite, directions=DIRECTIONS)


def _class_label(graph: Graph, iri: str) -> str:
    return label_of(graph, URIRef(iri), compact(iri)) if iri else "Untyped"


def index_page(graph: Graph, nav: Navigation, *, known: list[str] | None = None) -> str:
    """The index of every entity, grouped by its classes (an entity of two classes is listed under each)."""
    known = entity_iris(graph) if known is None else known
    terms = _term_set(graph)
    groups: dict[str, list[tuple[str, str]]] = {}
    for iri in known:
        types = sorted(str(t) for t in graph.objects(URIRef(iri), RDF.type) if isinstance(t, URIRef)) or [""]
        for type_iri in types:
            groups.setdefault(type_iri, []).append((label_of(graph, URIRef(iri), compact(iri)).casefold(), iri))
    shown = []
    for number, (type_iri, members) in enumerate(sorted(groups.items(), key=lambda item: _class_label(graph, item[0]).casefold())):
        entries = [{"label": label_of(graph, URIRef(iri), compact(iri)), "href": nav.entity(iri, "")} for _, iri in sorted(members)]
        term = nav.term(type_iri) if nav.term and type_iri in terms else None
        shown.append({"label": _class_label(graph, type_iri), "anchor": f"class-{number}", "entries": entries, "term": term})
    template = _environment().get_template("index.html")
    return template.render(nav=nav, groups=shown, total=len(known), formats=[{"title": format_name(f)} for f in rdf_formats()])


# --- the ontology: one page for its hash-IRI terms ---------------------------------------

def ontology_terms(graph: Graph) -> list[str]:
    """Every term of irgraph's ontology (an IRI ``https://w3id.org/irgraph/ontology#…``) that is a subject, sorted."""
    return sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and term_anchor(str(s)) is not None})


def _term_set(graph: Graph) -> frozenset[str]:
    return frozenset(ontology_terms(graph))


class _TermsOf:
    """The ontology terms of ``graph`` as a container, by one lookup per IRI asked about (an entity's page
    links a few terms; listing them all would scan every subject of the graph for each page)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and term_anchor(iri) is not None and (URIRef(iri), None, None) in self.graph


def ontology_graph(graph: Graph) -> Graph:
    """The ontology's triples: those of the ontology itself and of every term, with the blank nodes they reach."""
    out = Graph()
    for iri in [str(ONTOLOGY_IRI), *ontology_terms(graph)]:
        out += entity_graph(graph, iri)
    return out


def ontology_rdf(graph: Graph, fmt: str) -> str:
    """The ontology's triples (:func:`ontology_graph`) in the graph format ``fmt``."""
    return formats.for_kind(formats.CONSTRUCT, fmt).write(ontology_graph(graph))


#: the sections of the ontology's page: (heading, the types a term of it has), in order; the rest go last
_TERM_KINDS = (
    ("Classes", (OWL.Class, RDFS.Class)),
    ("Object properties", (OWL.ObjectProperty,)),
    ("Datatype properties", (OWL.DatatypeProperty,)),
    ("Annotation properties", (OWL.AnnotationProperty, RDF.Property)),
)
_TERM_SHOWN_ABOVE = {RDF.type, RDFS.label, SKOS.definition}
#: statements from elsewhere that point at a term, listed on its section ("has subclass" …)
_TERM_INVERSES = {RDFS.subClassOf: "has subclass", RDFS.subPropertyOf: "has subproperty",
                  RDFS.domain: "is the domain of", RDFS.range: "is the range of"}


@dataclass
class _Term:
    iri: str
    anchor: str
    label: str
    name: str
    definition: str
    facts: list[_Shown] = field(default_factory=list)
    instances: int = 0


def _shown_value(graph: Graph, value, link: _Linker) -> _Shown:
    if isinstance(value, URIRef):
        iri = str(value)
        text = label_of(graph, value, "") or compact(iri)
        text = text if text == compact(iri) else f"{text} ({compact(iri)})"
        return _Shown(text, link(iri) or link.outside(iri))
    if isinstance(value, BNode):
        return _Shown("(an anonymous node)")
    return _Shown(str(value))


def ontology_page(graph: Graph, nav: Navigation, *, known: set[str] | None = None) -> str:
    """The ontology's page: one section per class and property (its anchor the term's name, as the hash IRI
    ``irg:Claim`` ends in ``#Claim``), with label, definition, every statement about it and what points at it.

    >>> from irgraph import load_graph
    >>> page = ontology_page(load_graph(), served_navigation())
    >>> 'id="Claim"' in page and "has subclass" in page
    True
    """
    known = set(entity_iris(graph)) if known is None else known
    terms = _term_set(graph)
    link = _Linker(known, nav, terms)
    sections: dict[str, list[_Term]] = {heading: [] for heading, _ in _TERM_KINDS}
    others: list[_Term] = []
    for iri in sorted(terms, key=lambda i: (label_of(graph, URIRef(i), compact(i)).casefold(), i)):
        node = URIRef(iri)
        term = _Term(iri=iri, anchor=term_anchor(iri) or "", label=label_of(graph, node, compact(iri)), name=compact(iri),
                     definition=" ".join(str(d) for d in graph.objects(node, SKOS.definition)))
        for predicate, value in sorted(graph.predicate_objects(node), key=lambda pair: (str(pair[0]), str(pair[1]))):
            if predicate in _TERM_SHOWN_ABOVE:
                continue
            shown = _shown_value(graph, value, link)
            shown.property, shown.property_href = label_of(graph, predicate, compact(str(predicate))), link(str(predicate))
            term.facts.append(shown)
        for predicate, relation in _TERM_INVERSES.items():
            for subject in sorted(graph.subjects(predicate, node), key=str):
                shown = _shown_value(graph, subject, link)
                shown.property = relation
                term.facts.append(shown)
        term.instances = sum(1 for _ in graph.subjects(RDF.type, node))
        types = set(graph.objects(node, RDF.type))
        for heading, kinds in _TERM_KINDS:
            if types & set(kinds):
                sections[heading].append(term)
                break
        else:
            others.append(term)
    shown_sections = [{"heading": heading, "anchor": f"section-{number}", "terms": members}
                      for number, (heading, members) in enumerate([*sections.items(), ("Other terms", others)]) if members]
    ontology = ONTOLOGY_IRI
    about = {"title": label_of(graph, ontology, "irgraph ontology"),
             "definition": " ".join(str(d) for d in graph.objects(ontology, SKOS.definition)),
             "version": " ".join(str(v) for v in graph.objects(ontology, OWL.versionInfo))}
    alternates = [_Alternate(f.media_type or "", nav.ontology(f.suffix or "") if nav.ontology else "", format_name(f)) for f in rdf_formats()]
    template = _environment().get_template("ontology.html")
    return template.render(nav=nav, about=about, iri=str(ONTOLOGY_IRI), sections=shown_sections, alternates=alternates)


# --- search: every entity by its names, filtered as one types ------------------------

def search_page(graph: Graph, nav: Navigation, *, known: list[str] | None = None) -> str:
    """A page listing every entity with its label, synonyms and classes; ``search.js`` filters it as one types
    (every word must be found; accents and case ignored). Without scripts the whole list shows."""
    known = entity_iris(graph) if known is None else known
    entries: list[dict] = []
    for iri in known:
        node = URIRef(iri)
        label = label_of(graph, node, compact(iri))
        synonyms = sorted(str(o) for o in graph.objects(node, SKOS.altLabel))
        classes = sorted({_class_label(graph, str(t)) for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)})
        entries.append({"label": label, "href": nav.entity(iri, ""), "synonyms": synonyms, "classes": classes,
                        "name": compact(iri), "key": " ".join([label, *synonyms, compact(iri), *classes])})
    entries.sort(key=lambda entry: (entry["label"].casefold(), entry["name"]))
    template = _environment().get_template("search.html")
    return template.render(nav=nav, entries=entries, script=nav.scripts + "search.js")


# --- the editor ---------------------------------------------------------------------

_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def research_questions() -> list[SavedQuery]:
    """The catalog's research questions (not irgraph's own checks, counts and helpers), by name."""
    return [q for q in catalog().values() if not is_internal(q)]


def editor_settings(graph: Graph, endpoint: str) -> dict:
    """What the editor's script is given: the endpoint, irgraph's prefixes, the ontology's classes and
    properties (full IRIs, for completion), an example query and where entity pages and ready queries are."""
    classes = sorted({str(c) for kind in _CLASS_TYPES for c in graph.subjects(RDF.type, kind)
                      if isinstance(c, URIRef) and str(c).startswith(IRG_URI)})
    used = {str(p) for p in graph.predicates() if isinstance(p, URIRef)}
    declared = {str(p) for kind in _PROPERTY_TYPES for p in graph.subjects(RDF.type, kind) if isinstance(p, URIRef)}
    return {
        "endpoint": endpoint,
        "prefixes": dict(sorted(prefixes().items())),
        "classes": classes,
        "properties": sorted(declared | used),
        "example": _EXAMPLE,
        "entityBase": IR_URI,
        "entityPages": "/id/",
        "termBase": IRG_URI,
        "termPage": "/ontology#",
        "ready": "/editor/ready",
    }


_EXAMPLE = """PREFIX irg: <https://w3id.org/irgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?intervention ?label WHERE {
  ?intervention a irg:Intervention ;
                rdfs:label ?label .
}
ORDER BY ?label
"""


def editor_page(graph: Graph, endpoint: str) -> str:
    """The SPARQL editor page (YASGUI, from the package's ``static/`` folder), served at ``/``."""
    questions = [{"name": q.name, "title": q.title or q.name, "description": q.description,
                  "params": [{"name": name, "meaning": meaning} for name, meaning in q.params]}
                 for q in research_questions()]
    template = _environment().get_template("editor.html")
    return template.render(nav=served_navigation(), static="/static", endpoint=endpoint, questions=questions,
                           settings=editor_settings(graph, endpoint))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def ready_query(graph: Graph, name: str, params: dict[str, str]) -> tuple[str, str]:
    """The title and text of the research question ``name``, with the ``params`` given bound: ``(title, text)``.

    Parameters are resolved as ``irgraph query --param`` resolves them
    (:func:`irgraph.query.bind_params`: an entity by IRI, compact name,
    label or synonym) and written as a ``VALUES`` block at the start of the
    query's outer ``WHERE`` group, each term in SPARQL syntax from its RDF
    term, so the query stays one a person can read, edit and share. Empty
    parameters are left unbound (every value). A research question only:
    irgraph's own queries are not offered.

    >>> from irgraph import load_graph
    >>> title, text = ready_query(load_graph(), "findings-for-intervention", {"intervention": "IL-2"})
    >>> "VALUES ?intervention { <https://w3id.org/irgraph/id/il-2> }" in text
    True
    """
    saved = saved_query(name)
    if is_internal(saved):
        raise UsageError(f"{name!r} is one of irgraph's own queries, not a research question")
    given = {key: value for key, value in params.items() if str(value).strip()}
    bound = bind_params(graph, saved, given)
    text = saved.text
    if bound:
        values = "".join(f"  VALUES ?{var} {{ {term.n3()} }}\n" for var, term in sorted(bound.items()))
        match = _WHERE.search(text)
        if match is None:
            raise UsageError(f"{name!r} has no WHERE group to bind its parameters in")
        text = text[:match.end()] + "\n" + values + text[match.end():].lstrip("\n")
    return saved.title or saved.name, text


def entity_from_path(path: str) -> str | None:
    """The entity IRI named by the path after ``/id/`` (percent-decoded), or None when it names none."""
    slug = unquote(path, errors="strict")
    return IR_URI + slug if slug and "\x00" not in slug else None
