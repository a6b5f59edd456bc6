"""A ``--store`` value, read: which store, where, and what a persistent store's manifest says.

Apart from :mod:`irgraph.store` (which opens and converts with rdflib and
oxrdflib) so that the command line can check a ``--store`` value, and a
query on a persistent store can find its folder, without importing rdflib.
:mod:`irgraph.store` re-exports every name here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .defaults import MANIFEST_NAME, STORE_FORMS, STORE_VERSION, STORES
from .errors import UsageError

#: The named graph irgraph pushes to and reads from on a remote store, unless told otherwise.
DEFAULT_GRAPH_IRI = "https://w3id.org/irgraph/graph"

MEMORY, OXIGRAPH, PERSISTENT, SPARQL = "memory", "oxigraph", "oxigraph-path", "sparql"


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value.

    ``kind`` is ``oxigraph``, ``memory``, ``oxigraph-path`` (``path`` set) or
    ``sparql`` (``query_url``, optional ``update_url`` and the named
    ``graph`` read and written there; None for the endpoint's own default graph).
    """

    kind: str
    path: Path | None = None
    query_url: str | None = None
    update_url: str | None = None
    graph: str | None = DEFAULT_GRAPH_IRI

    def __str__(self) -> str:
        if self.kind == PERSISTENT:
            return f"oxigraph:{self.path}"
        if self.kind == SPARQL:
            return "sparql:" + ",".join(u for u in (self.query_url, self.update_url) if u)
        return self.kind

    @property
    def in_memory(self) -> bool:
        """True for the stores that hold the graph in this process's memory."""
        return self.kind in (OXIGRAPH, MEMORY)


def _forms() -> str:
    return "; ".join(f"{form} = {meaning}" for form, meaning in STORE_FORMS)


def _bad(spec: str, why: str) -> UsageError:
    return UsageError(f"invalid store {spec!r}: {why}. Use one of: {_forms()}")


def redacted(url: str) -> str:
    """``url`` without any user name or password in it, safe to print (also when it does not parse).

    Everything between the scheme and the last ``@`` goes.

    >>> redacted("http://dba:secret@[::1/sparql")
    'http://***@[::1/sparql'
    """
    if "@" not in url:
        return url
    scheme, sep, _rest = url.partition("://")
    return (scheme + sep if sep else "") + "***@" + url.rsplit("@", 1)[1]


def _check_url(shown: str, url: str, what: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        # the parser's reason may quote part of the URL, and so of a password in it
        reason = "" if "@" in url else f" ({error})"
        raise _bad(shown, f"the {what} is not a valid URL{reason}") from None
    if "@" in parts.netloc:
        # never echo the URL as given: it holds a password
        raise UsageError(
            f"the {what} {redacted(url)} holds credentials; remove them from the URL and set "
            "IRGRAPH_SPARQL_USER and IRGRAPH_SPARQL_PASSWORD instead (credentials are never taken from the command line)"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad(shown, f"the {what} {url!r} must be an http:// or https:// URL with a host")
    return url


def parse_store(spec: str | StoreSpec) -> StoreSpec:
    """Parse a ``--store`` value, or raise :class:`UsageError` listing the forms.

    A remote query URL may name the graph to read with the SPARQL protocol's
    own ``default-graph-uri`` parameter; otherwise irgraph reads (and
    ``irgraph push`` writes) :data:`DEFAULT_GRAPH_IRI`. An empty
    ``default-graph-uri=`` means the endpoint's own default graph (for data
    that was not pushed by irgraph).

    >>> parse_store("oxigraph").kind
    'oxigraph'
    >>> parse_store("oxigraph:/tmp/irgraph-store").path
    PosixPath('/tmp/irgraph-store')
    >>> spec = parse_store("sparql:http://localhost:8890/sparql,http://localhost:8890/sparql-graph-crud-auth")
    >>> spec.query_url, spec.update_url, spec.graph
    ('http://localhost:8890/sparql', 'http://localhost:8890/sparql-graph-crud-auth', 'https://w3id.org/irgraph/graph')
    >>> parse_store("sparql:http://localhost:3030/ds/query?default-graph-uri=urn:x:g").graph
    'urn:x:g'
    >>> parse_store("sparql:http://localhost:7878/query?default-graph-uri=").graph is None
    True
    >>> parse_store("postgres")
    Traceback (most recent call last):
    ...
    irgraph.errors.UsageError: invalid store 'postgres': unknown kind of store. Use one of: ...
    """
    if isinstance(spec, StoreSpec):
        return spec
    text = str(spec).strip()
    if text in STORES:
        return StoreSpec(kind=text)
    kind, sep, rest = text.partition(":")
    if kind == "oxigraph" and sep:
        if not rest.strip():
            raise _bad(text, "give the folder of the store after 'oxigraph:'")
        return StoreSpec(kind=PERSISTENT, path=Path(rest).expanduser())
    if kind == "sparql" and sep:
        urls = [u.strip() for u in _split_urls(rest)]
        shown = "sparql:" + ",".join(redacted(u) for u in urls)
        if len(urls) > 2 or not all(urls):
            raise _bad(shown, "give one query URL and at most one Graph Store (or update) URL, separated by a comma")
        query_url = _check_url(shown, urls[0], "query URL")
        update_url = _check_url(shown, urls[1], "Graph Store URL") if len(urls) == 2 else None
        query_url, graph = _take_graph(query_url)
        return StoreSpec(kind=SPARQL, query_url=query_url, update_url=update_url, graph=graph)
    raise _bad(text, "unknown kind of store")


def _split_urls(text: str) -> list[str]:
    """Split ``URL1,URL2`` at each comma that starts another URL (a URL may itself hold commas)."""
    if not re.search(r",\s*https?://", text, re.IGNORECASE):
        return text.split(",")
    return re.split(r",(?=\s*https?://)", text, flags=re.IGNORECASE)


def _take_graph(url: str) -> tuple[str, str | None]:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    graphs = [value for key, value in pairs if key == "default-graph-uri"]
    if not graphs:
        return url, DEFAULT_GRAPH_IRI
    rest = [(key, value) for key, value in pairs if key != "default-graph-uri"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment)), graphs[-1] or None


def read_manifest(path: str | Path) -> dict | None:
    """What a persistent store at ``path`` holds (its manifest), or None when it is not one of irgraph's.

    A manifest that is not a JSON object is not one of irgraph's either.
    """
    manifest = Path(path) / MANIFEST_NAME
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def filled_by_this_version(manifest: dict) -> bool:
    """Whether a store's manifest says it was filled by an ``irgraph load`` that refuses RDF 1.2 triple terms.

    >>> filled_by_this_version({"irgraph-store": STORE_VERSION}), filled_by_this_version({"irgraph-store": 1})
    (True, False)
    >>> filled_by_this_version({"irgraph-store": "2"})
    False
    """
    version = manifest.get("irgraph-store")
    return isinstance(version, int) and version >= STORE_VERSION
