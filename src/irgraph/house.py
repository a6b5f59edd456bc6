"""irgraph's one look: the navigation, the stylesheet and the header every page shares.

The editor, the entity pages, the ontology page, the site and the explorer
all start with the same header (``templates/house/house.html``: the title,
the not-medical-advice notice, the links between the pages) and use the same
stylesheet (``static/house.css``). Pages served by ``irgraph serve`` and the
static site link the stylesheet; the explorer, one self-contained file,
inlines it (:func:`stylesheet`).

A :class:`Navigation` says where a page's links go, seen from that page;
:mod:`irgraph.pages` makes the two homes' (``irgraph serve`` and
``irgraph site``). This module knows nothing of the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["NOTICE", "NOTICE_LEAD", "NOTICE_REST", "STANDALONE", "STATIC", "TEMPLATE_GLOBALS", "NavItem", "Navigation",
           "stylesheet"]

#: the package's files for pages (the stylesheet, the editor's scripts, YASGUI)
STATIC = Path(__file__).parent / "static"

#: the notice every page carries, in two parts (the first is set in bold)
NOTICE_LEAD = "A research and education tool, not medical advice."
NOTICE_REST = "Nothing here says whether to start or stop a treatment: talk to a health care provider."
NOTICE = f"{NOTICE_LEAD} {NOTICE_REST}"
#: what the header template reads (each Jinja environment that renders it adds these to its globals)
TEMPLATE_GLOBALS = {"notice_lead": NOTICE_LEAD, "notice_rest": NOTICE_REST}


@dataclass(frozen=True)
class NavItem:
    """One link of the header: ``key`` names the page (``editor``, ``entities``, ``ontology``, ``explorer`` …)."""

    key: str
    label: str
    href: str


def _no_page(iri: str, suffix: str = "") -> str:  # noqa: ARG001 (the signature of Navigation.entity)
    return ""


@dataclass(frozen=True)
class Navigation:
    """Where a page's links go: the stylesheet, the other pages, an entity's page and RDF, the explorer and editor.

    ``entity(iri, suffix)`` is the address of an entity's page (``suffix``
    ``""``) or RDF file (``.ttl`` …); ``term(iri)`` that of an ontology term
    (None where it has none) and ``ontology(suffix)`` that of the ontology's
    page (``""``) or RDF document; ``explorer_for`` and ``query_for`` (None where
    there is none) give an entity's view in the explorer and the editor
    pre-filled with a query about it; ``scripts`` is where the package's
    scripts are (``/static/`` served, ``""`` beside the page in a site).
    ``home`` None: the page stands alone (``irgraph viz -o``), its title
    links nowhere and ``has_entity_pages`` is false.
    """

    stylesheet: str
    home: str | None
    items: tuple[NavItem, ...]
    entity: Callable[[str, str], str] = _no_page
    explorer_for: Callable[[str], str] | None = None
    query_for: Callable[[str], str] | None = None
    term: Callable[[str], str | None] | None = None
    ontology: Callable[[str], str] | None = None
    scripts: str = ""
    has_entity_pages: bool = True


#: a page that stands alone: the header's title and notice, no links to other pages
STANDALONE = Navigation(stylesheet="", home=None, items=(), has_entity_pages=False)


@cache
def stylesheet() -> str:
    """The text of ``house.css``, for a page that carries its styles inside itself."""
    return (STATIC / "house.css").read_text(encoding="utf-8")
