"""``irgraph site``: the entity pages as static files, ready for any static host and for ``file://``.

One folder, written whole and in one step (as ``irgraph build`` writes its
outputs; see :func:`irgraph.export.write_folder`): ``index.html`` (every
entity by class), ``search.html`` with ``search.js`` (every entity by its
names, filtered as one types), ``ontology.html`` (every class and property,
each term's hash IRI an anchor) with the ontology's RDF beside it
(``ontology.ttl`` …), one ``<slug>.html`` per entity with its RDF beside it
(``<slug>.ttl``, ``.jsonld``, ``.nt``, ``.rdf``), the whole graph
(``irgraph.ttl``, ``.jsonld``, ``.nt``, ``.rdf``), ``house.css`` (the one
look) and ``explorer.html`` (the whole graph, drawn). Nothing in it is
fetched from anywhere: every link is relative; the only scripts are the
search's and the explorer's, both in the folder.

The same pages as ``irgraph serve``'s ``/id/<slug>`` (:mod:`irgraph.pages`),
with links to files instead of server paths. See docs/workbench.md for the
w3id redirect rules that make the IRIs resolve to such a folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import formats, pages
from .export import write_folder
from .house import STATIC, stylesheet
from .writes import checked_output_folder

#: the site's own files (an entity's files take a ``~`` where a slug would meet one, see :func:`irgraph.pages.file_stem`)
OWN_FILES = ("index.html", "search.html", "search.js", "ontology.html", "house.css", "explorer.html")
#: the whole graph, in each graph format, as ``irgraph.<suffix>``
DUMP_STEM = "irgraph"


@dataclass
class SiteResult:
    """What :func:`write_site` wrote."""

    folder: Path
    entities: int
    files: list[Path]

    def summary(self) -> str:
        return f"wrote {self.folder}: {self.entities} entity pages, {len(self.files)} files (open {self.folder / 'index.html'})"


def site_files(graph: Graph, *, explorer: bool = True, timeout: float | None = 30) -> dict[str, str]:
    """File name -> text of the whole site for ``graph`` (see the module docstring).

    >>> from rdflib import Graph, Literal, RDFS, URIRef
    >>> graph = Graph()
    >>> _ = graph.add((URIRef("https://w3id.org/irgraph/id/x"), RDFS.label, Literal("X")))
    >>> sorted(site_files(graph, explorer=False))
    ['house.css', 'index.html', 'irgraph.jsonld', 'irgraph.nt', 'irgraph.rdf', 'irgraph.ttl', 'ontology.html', 'ontology.jsonld', 'ontology.nt', 'ontology.rdf', 'ontology.ttl', 'search.html', 'search.js', 'x.html', 'x.jsonld', 'x.nt', 'x.rdf', 'x.ttl']
    """
    nav = pages.site_navigation(explorer=explorer)
    known = pages.entity_iris(graph)
    known_set = set(known)
    files: dict[str, str] = {
        "index.html": pages.index_page(graph, nav, known=known),
        "search.html": pages.search_page(graph, nav, known=known),
        "search.js": (STATIC / "search.js").read_text(encoding="utf-8"),
        "ontology.html": pages.ontology_page(graph, nav, known=known_set),
        "house.css": stylesheet(),
    }
    if explorer:
        from .visualize import to_html

        files["explorer.html"] = to_html(graph, navigation=nav)
    for entry in pages.rdf_formats():
        files[f"ontology{entry.suffix}"] = pages.ontology_rdf(graph, entry.name)
        files[f"{DUMP_STEM}{entry.suffix}"] = formats.for_kind(formats.CONSTRUCT, entry.name).write(graph)
    for iri in known:
        stem = pages.file_stem(pages.slug_of(iri) or "")
        files[f"{stem}.html"] = pages.entity_page(graph, iri, nav, known=known_set, timeout=timeout)
        for entry in pages.rdf_formats():
            files[f"{stem}{entry.suffix}"] = pages.entity_rdf(graph, iri, entry.name)
    return files


def write_site(graph: Graph, folder: str | Path, *, explorer: bool = True, follow_symlinks: bool = False,
               timeout: float | None = 30) -> SiteResult:
    """Write the site for ``graph`` as ``folder``, which takes the old folder's place in one step.

    The folder may be new, empty or an earlier site; anything else in it is
    refused (:class:`~irgraph.errors.WriteError`) before anything is written.
    """
    files = site_files(graph, explorer=explorer, timeout=timeout)
    checked_output_folder(folder, files, follow_symlinks=follow_symlinks)
    written = write_folder(folder, files, follow_symlinks=follow_symlinks)
    return SiteResult(Path(folder), len(pages.entity_iris(graph)), written)
