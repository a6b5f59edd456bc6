"""A read-only SPARQL 1.1 Protocol endpoint for the graph, safe by default.

Built on the standard library's threading HTTP server. Every request goes
through the same checks and limits as ``irgraph query``
(:func:`irgraph.query.run_query`): no updates, no ``SERVICE``, no
``FROM``/``FROM NAMED``, a time limit that covers the query's whole life,
answers cut at a row and size limit. Each query runs in a child process
that cannot open network sockets and is killed at the limit, so a runaway
or crashing query never takes the server with it; at most
``max_concurrent`` such children run at once.

HTTP is checked before any query is looked at: request line and headers
must arrive within a deadline, and the body within another; a body must
have a valid ``Content-Length`` (or be chunked) and stay under the size
limit; the ``Host`` header must name this server (DNS rebinding: a page
from another site cannot reach the endpoint through a name that resolves
to loopback); no CORS header is sent unless an origin is allowed
explicitly; the server binds to loopback unless told otherwise.

Endpoints: ``/sparql`` (GET ``?query=``, POST form-encoded or
``application/sparql-query``; without a query it returns the service
description) and ``/`` (a small query page whose script is served inline).
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from . import formats, pages
from .defaults import DEFAULT_MAX_REQUEST_BYTES, DEFAULT_PORT, SERVE_MAX_RESPONSE_BYTES, SERVE_MAX_ROWS
from .errors import IrgraphError, QueryError, QueryTimeout, UpdateRefused, UsageError
from .guard import ASK, GRAPH, QueryLimits, inspect_query
from .query import DEFAULT_TIMEOUT, run_query
from .results import MEDIA_TYPES, render

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DEFAULT_MAX_ROWS = SERVE_MAX_ROWS
DEFAULT_MAX_RESPONSE_BYTES = SERVE_MAX_RESPONSE_BYTES
#: seconds a client has to send the request line and headers, and then the body
HEADER_DEADLINE = 10.0
BODY_DEADLINE = 20.0
#: seconds a client has to take each part of the response
SEND_TIMEOUT = 30.0
#: seconds after which a running query gives its foreground slot to the next one (see _Admission)
BACKGROUND_AFTER = 1.0
#: answer text held at most, in all, while clients read it
ANSWER_BYTES = 256 * 1024 * 1024
#: the kinds of answer, each with the formats that write it (from the registry), its default first
_KINDS = {GRAPH: formats.CONSTRUCT, ASK: formats.ASK}
_DEFAULTS = {formats.CONSTRUCT: "turtle", formats.SELECT: "json", formats.ASK: "json"}


def _by_suffix(name: str, known) -> tuple[str, str | None]:
    """``name`` without a form's suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) when what is
    left is ``known``, with the form's name; else ``(name, None)``."""
    for entry in pages.rdf_formats():
        if entry.suffix and name.endswith(entry.suffix) and name[: -len(entry.suffix)] in known:
            return name[: -len(entry.suffix)], entry.name
    if name.endswith(".html") and name[:-5] in known:
        return name[:-5], "html"
    return name, None


class NotAcceptable(Exception):
    """Nothing the client accepts can be written for this answer; ``offered`` are the media types that can."""

    def __init__(self, offered: list[str]) -> None:
        super().__init__("none of the formats asked for can be written for this answer; this one offers: " + ", ".join(offered))
        self.offered = offered


def offered(kind: str, *, graph_tables: bool = True) -> list[formats.Format]:
    """The formats the endpoint serves for ``kind`` (``graph``, ``select``, ``ask``, or a registry kind), default first.

    A graph answer is offered in the graph formats, then, for clients that
    accept only SPARQL results (``roqet -p`` asks for results XML whatever
    the query), in the SELECT formats as a table of its triples.
    """
    registry_kind = _KINDS.get(kind, kind if kind in _DEFAULTS else formats.SELECT)
    served = sorted((f for f in formats.formats_for(registry_kind) if f.media_type),
                    key=lambda f: f.name != _DEFAULTS[registry_kind])
    if registry_kind == formats.CONSTRUCT and graph_tables:
        served += offered(formats.SELECT)
    return served


def _ranges(accept: str) -> list[tuple[str, str, float, int]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        main, _, sub = fields[0].lower().partition("/")
        if not main:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((main, sub or "*", quality, position))
    return ranges


def negotiate(accept: str, kind: str, *, graph_tables: bool = True) -> str | None:
    """The result format for an ``Accept`` header, by RFC 9110: None when nothing acceptable can be written.

    Each served media type takes the quality of the most specific range that
    matches it (``q=0`` refuses it); the best quality wins, then the range the
    client listed first, then the endpoint's default. An empty header accepts anything.

    >>> negotiate("application/rdf+xml", "graph"), negotiate("text/*;q=0.5, application/ld+json", "graph")
    ('rdfxml', 'jsonld')
    >>> negotiate("*/*", "select"), negotiate("image/png", "graph") is None
    ('json', True)
    """
    return best_match(accept, [(f.name, (f.media_type, *f.also_accepted)) for f in offered(kind, graph_tables=graph_tables)])


def best_match(accept: str, candidates: list[tuple[str, tuple]]) -> str | None:
    """The name of the candidate ``(name, media types)`` an ``Accept`` header prefers (see :func:`negotiate`), or None."""
    ranges = _ranges(accept) if accept.strip() else [("*", "*", 1.0, 0)]
    best: tuple | None = None
    for order, (name, media_types) in enumerate(candidates):
        for media in media_types:
            if not media:
                continue
            main, _, sub = media.partition("/")
            matching = [(2 if (m, s) == (main, sub) else 1 if (m == main and s == "*") else 0, q, position)
                        for m, s, q, position in ranges if (m, s) in ((main, sub), (main, "*"), ("*", "*"))]
            if not matching:
                continue
            _, quality, position = max(matching)
            if quality <= 0:
                continue
            key = (-quality, position, order)
            if best is None or key < best[0]:
                best = (key, name)
    return None if best is None else best[1]


def service_description(endpoint: str) -> Graph:
    """A SPARQL service description of the endpoint (read-only, SPARQL 1.1 Query)."""
    graph = Graph()
    graph.bind("sd", SD)
    service = BNode("service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for entry in formats.formats_for(formats.SELECT, formats.ASK, formats.CONSTRUCT):
        if entry.w3c and entry.media_type:
            graph.add((service, SD.resultFormat, URIRef(entry.w3c)))
    graph.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal("irgraph: HIV immune restoration knowledge graph. Read-only; SERVICE, FROM and updates are refused. Not medical advice.", lang="en")))
    return graph


#: Content-Security-Policy of each kind of answer. The editor runs YASGUI from this server and talks to
#: it only (connect-src 'self'); no 'unsafe-eval' and no 'unsafe-inline'. YASGUI and CodeMirror set
#: element styles from script (CSSOM), which style-src does not govern; the one style sheet YASGUI
#: writes into the page, the fixed rules of its table's column resizer, is allowed by its hash (the
#: browser tests fail on any refused style or script, so a refreshed bundle that changes it is caught).
#: The tooltip of YASQE's syntax-error marker underlines the expected tokens with a style attribute:
#: refused, so they show without the underline. Entity pages, the index and the ontology run no script at all.
YASGUI_STYLE_HASH = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
CSP_EDITOR = (f"default-src 'none'; script-src 'self'; style-src 'self' {YASGUI_STYLE_HASH}; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
CSP_PAGE = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
#: the explorer page carries its own policy (script hashes) in a meta element; the header adds what a meta cannot
#: the search page runs one script of the package's own (static/search.js)
CSP_SEARCH = CSP_PAGE.replace("default-src 'none';", "default-src 'none'; script-src 'self';")
CSP_EXPLORER = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
CSP_DATA = "default-src 'none'; frame-ancestors 'none'; sandbox"
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".md": "text/markdown; charset=utf-8"}
_HTML = "text/html; charset=utf-8"


class _BadRequest(Exception):
    """An HTTP request irgraph will not serve: its status and the reason sent back."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class _DeadlineReader(io.RawIOBase):
    """The connection's input, readable only until the handler's current deadline."""

    def __init__(self, handler: SparqlHandler) -> None:
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        remaining = self.handler.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the client did not send the request in time")
        self.handler.connection.settimeout(remaining)
        return self.handler.connection.recv_into(buffer)


class SparqlHandler(BaseHTTPRequestHandler):
    """Handles one connection; configuration lives on the server object."""

    server: SparqlServer
    server_version = "irgraph"
    sys_version = ""
    deadline = 0.0

    def setup(self) -> None:
        super().setup()
        # every read of the request runs against a deadline: a client that trickles bytes is cut off
        self.rfile = io.BufferedReader(_DeadlineReader(self))

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + self.server.header_deadline
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    # --- plumbing -------------------------------------------------------
    def _send(self, status: int, body: str | bytes, media: str = "text/plain; charset=utf-8",
              extra: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.connection.settimeout(SEND_TIMEOUT)
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        extra = dict(extra or {})
        self.send_header("Content-Security-Policy", extra.pop("Content-Security-Policy", CSP_DATA))
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in extra.items():
            self.send_header(name, value)
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self._cors_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _cors_headers(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin in self.server.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _checked(self) -> bool:
        """Answer and return False when the request may not be served at all (its Host, a page of another site)."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            self._send(HTTPStatus.BAD_REQUEST, "give one Host header\n")
            return False
        target = urlsplit(self.path)
        authority = target.netloc if target.scheme in ("http", "https") else None  # an absolute-form target
        if not all(self.server.host_allowed(name) for name in [hosts[0] if hosts else "", *filter(None, [authority])]):
            self._send(HTTPStatus.MISDIRECTED_REQUEST,
                       "this server does not answer for that Host: name it by the address it listens on "
                       "(irgraph serve --allowed-host NAME adds a name)\n")
            return False
        if self.headers.get("Sec-Fetch-Site", "").lower() == "cross-site" and \
                self.headers.get("Origin") not in self.server.cors_origins and not self._followed_link(target.path):
            # a page of another site (an <img>, a script, a fetch, a form's POST) asked the browser for this:
            # refused, as for CORS
            self._send(HTTPStatus.FORBIDDEN, "requests from pages of other sites are refused "
                       "(irgraph serve --cors-origin ORIGIN allows one)\n")
            return False
        return True

    def _followed_link(self, path: str) -> bool:
        """A person followed a link from another site to one of the pages for people (an entity's page,
        the ontology, the search, the explorer, the editor): a top-level GET navigation, allowed as the
        Fetch Metadata resource isolation policy allows it. Not the endpoint (``/sparql``), not a frame."""
        return (self.command in ("GET", "HEAD") and self.headers.get("Sec-Fetch-Mode", "").lower() == "navigate"
                and self.headers.get("Sec-Fetch-Dest", "").lower() == "document"
                and not path.startswith("/sparql") and not path.startswith("/editor/"))

    # --- methods --------------------------------------------------------
    def do_OPTIONS(self) -> None:
        if not self._checked():
            return
        origin = self.headers.get("Origin")
        self.send_response(HTTPStatus.NO_CONTENT)
        if origin and origin in self.server.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if not self._checked():
            return
        url = urlsplit(self.path)
        if len(url.query) > self.server.max_request_bytes:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, "the query string is too long\n")
            return
        if url.path != "/sparql":
            self._page(url.path, url.query)
            return
        try:
            params = parse_qs(url.query, keep_blank_values=True, errors="strict", max_num_fields=100)
        except (UnicodeDecodeError, ValueError):
            self._send(HTTPStatus.BAD_REQUEST, "the query string is not valid UTF-8 form encoding\n")
            return
        self._answer(params)

    do_HEAD = do_GET

    # --- pages for people, and the entities' RDF --------------------------
    def _page(self, path: str, query: str) -> None:
        """``/`` the editor, ``/static/…`` its files, ``/editor/ready`` a research question, ``/id/…`` the
        entities, ``/search`` their search, ``/ontology`` the ontology's terms, ``/explorer`` the explorer;
        anything else 404."""
        try:
            params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True, errors="strict", max_num_fields=20).items()}
        except (UnicodeDecodeError, ValueError):
            self._send(HTTPStatus.BAD_REQUEST, "the query string is not valid UTF-8 form encoding\n")
            return
        server = self.server
        if path == "/":
            page = pages.editor_page(server.graph, server.endpoint_url)
            self._send(HTTPStatus.OK, page, _HTML, {"Content-Security-Policy": CSP_EDITOR})
        elif path.startswith("/static/"):
            self._static(path[len("/static/"):])
        elif path == "/editor/ready":
            self._ready(params)
        elif path == "/id/" or path == "/id":
            page = pages.index_page(server.graph, pages.served_navigation(), known=server.entities())
            self._send(HTTPStatus.OK, page, _HTML, {"Content-Security-Policy": CSP_PAGE})
        elif path.startswith("/id/"):
            self._entity(path[len("/id/"):])
        elif path == "/explorer":
            self._explorer(params.get("focus", ""))
        elif path == "/search":
            page = pages.search_page(server.graph, pages.served_navigation(), known=server.entities())
            self._send(HTTPStatus.OK, page, _HTML, {"Content-Security-Policy": CSP_SEARCH})
        elif path == "/ontology" or path.startswith("/ontology."):
            self._ontology(path)
        else:
            self._send(HTTPStatus.NOT_FOUND, "not found: the editor is at /, the endpoint at /sparql, the entities at /id/\n")

    def _static(self, name: str) -> None:
        suffix = name[name.rfind("."):] if "." in name else ""
        data = pages.static_file(name) if suffix in _STATIC_TYPES else None
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, "no such file\n")
            return
        self._send(HTTPStatus.OK, data, _STATIC_TYPES[suffix], {"Cache-Control": "no-cache"})

    def _ready(self, params: dict[str, str]) -> None:
        name = params.pop("name", "")
        try:
            title, text = pages.ready_query(self.server.graph, name, params)
            answer = {"title": title, "query": text}
        except IrgraphError as error:
            answer = {"error": str(error)}
        self._send(HTTPStatus.OK if "query" in answer else HTTPStatus.BAD_REQUEST,
                   json.dumps(answer, ensure_ascii=False), "application/json")

    def _entity(self, rest: str) -> None:
        """An entity by content negotiation (HTML or RDF, ``Vary: Accept``), or one of its forms by suffix."""
        try:
            iri = pages.entity_from_path(rest)
        except UnicodeDecodeError:
            iri = None
        known = self.server.entities()
        chosen: str | None = None
        if iri is not None and iri not in known:
            iri, chosen = _by_suffix(iri, known)
        if iri is None or iri not in known:
            self._send(HTTPStatus.NOT_FOUND, "no such entity: the index is at /id/\n")
            return
        graph, nav = self.server.graph, pages.served_navigation()
        self._negotiated(
            chosen,
            lambda: pages.entity_page(graph, iri, nav, known=set(known), timeout=self.server.query_timeout),
            lambda fmt: pages.entity_rdf(graph, iri, fmt),
            lambda suffix: nav.entity(iri, suffix))

    def _ontology(self, path: str) -> None:
        """The ontology's page (its terms are hash IRIs ``…/ontology#Claim``) or RDF, by negotiation or suffix."""
        iri, chosen = _by_suffix(path, {"/ontology"})
        if iri != "/ontology":
            self._send(HTTPStatus.NOT_FOUND, "not found: the ontology is at /ontology\n")
            return
        graph, nav = self.server.graph, pages.served_navigation()
        ontology = nav.ontology
        assert ontology is not None  # the served pages have one
        self._negotiated(chosen, lambda: pages.ontology_page(graph, nav, known=set(self.server.entities())),
                         lambda fmt: pages.ontology_rdf(graph, fmt), ontology)

    def _negotiated(self, chosen: str | None, page: Callable[[], str], rdf: Callable[[str], str],
                    location: Callable[[str], str]) -> None:
        """Answer with ``page()`` (HTML) or ``rdf(format)``: the form ``chosen`` by suffix, else the one
        ``Accept`` prefers (``Vary: Accept``; 406 with what is offered when it names none)."""
        vary = {}
        if chosen is None:
            vary = {"Vary": "Accept"}
            candidates = [("html", ("text/html", "application/xhtml+xml"))] + \
                [(f.name, (f.media_type, *f.also_accepted)) for f in pages.rdf_formats()]
            chosen = best_match(self.headers.get("Accept", ""), candidates)
            if chosen is None:
                offered_types = ["text/html", *(f.media_type or "" for f in pages.rdf_formats())]
                self._not_acceptable(NotAcceptable(offered_types))
                return
        if chosen == "html":
            self._send(HTTPStatus.OK, page(), _HTML, {"Content-Security-Policy": CSP_PAGE, **vary})
            return
        entry = formats.get(chosen)
        self._send(HTTPStatus.OK, rdf(chosen), f"{entry.media_type}; charset=utf-8",
                   {"Content-Location": location(entry.suffix or ""), **vary})

    def _explorer(self, focus: str) -> None:
        from .visualize import to_html

        try:
            nav = pages.served_navigation()
            page = to_html(self.server.graph, focus=focus, depth=1, navigation=nav) if focus \
                else to_html(self.server.graph, navigation=nav)
        except UsageError as error:
            self._send(HTTPStatus.NOT_FOUND, f"{error}\n")
            return
        self._send(HTTPStatus.OK, page, _HTML, {"Content-Security-Policy": CSP_EXPLORER})

    def do_POST(self) -> None:
        if not self._checked():
            return
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "not found: use /sparql\n")
            return
        try:
            body = self._body().decode("utf-8")
        except _BadRequest as refusal:
            self._send(refusal.status, f"{refusal}\n")
            return
        except UnicodeDecodeError:
            self._send(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8\n")
            return
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            params = parse_qs(url.query, keep_blank_values=True, errors="strict", max_num_fields=100)
            if media == "application/sparql-update":
                self._send(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only\n")
                return
            if media == "application/sparql-query":
                params["query"] = [body]
            elif media == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body, keep_blank_values=True, errors="strict", max_num_fields=100).items():
                    params.setdefault(key, []).extend(values)
            else:
                self._send(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "send application/sparql-query or application/x-www-form-urlencoded\n")
                return
        except (UnicodeDecodeError, ValueError):
            self._send(HTTPStatus.BAD_REQUEST, "the form is not valid UTF-8 form encoding\n")
            return
        self._answer(params)

    def _refuse_write(self) -> None:
        if self._checked():
            self._send(HTTPStatus.FORBIDDEN, "this endpoint is read-only\n")

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _body(self) -> bytes:
        """The request body, within the size limit and the body deadline."""
        self.deadline = time.monotonic() + self.server.body_deadline
        limit = self.server.max_request_bytes
        encoding = self.headers.get("Transfer-Encoding", "").strip().lower()
        length_header = self.headers.get_all("Content-Length") or []
        if encoding:
            if length_header:
                raise _BadRequest(HTTPStatus.BAD_REQUEST, "send Content-Length or Transfer-Encoding, not both")
            if encoding != "chunked":
                raise _BadRequest(HTTPStatus.NOT_IMPLEMENTED, f"Transfer-Encoding {encoding!r} is not supported")
            return self._chunked(limit)
        if not length_header:
            raise _BadRequest(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
        if len(set(length_header)) != 1 or not length_header[0].strip().isdigit() or not length_header[0].strip().isascii():
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "invalid Content-Length: give the body's size in bytes")
        length = int(length_header[0])
        if length > limit:
            raise _BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit} bytes")
        body = self.rfile.read(length)
        if len(body) != length:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "the body is shorter than its Content-Length")
        return body

    def _chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(100)
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not size_text or any(c not in b"0123456789abcdefABCDEF" for c in size_text):
                raise _BadRequest(HTTPStatus.BAD_REQUEST, "invalid chunked encoding")
            size = int(size_text, 16)
            if len(body) + size > limit:
                raise _BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit} bytes")
            if size == 0:
                while self.rfile.readline(1000) not in (b"\r\n", b"\n", b""):  # trailers
                    pass
                return bytes(body)
            chunk = self.rfile.read(size)
            if len(chunk) != size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _BadRequest(HTTPStatus.BAD_REQUEST, "invalid chunked encoding")
            body += chunk

    # --- the protocol ---------------------------------------------------
    def _send_description(self, params: dict[str, list[str]]) -> None:
        description = service_description(self.server.endpoint_url)
        try:
            fmt = self._format(params, GRAPH, graph_tables=False)
        except NotAcceptable as refusal:
            self._not_acceptable(refusal)
            return
        self._send(HTTPStatus.OK, formats.get(fmt).write(description), MEDIA_TYPES[fmt], {"Vary": "Accept"})

    def _not_acceptable(self, refusal: NotAcceptable) -> None:
        self._send(HTTPStatus.NOT_ACCEPTABLE, f"{refusal}\n", extra={"Vary": "Accept"})

    def _format(self, params: dict[str, list[str]], kind: str, *, graph_tables: bool = True) -> str:
        """The answer's format: the first ``format=`` / ``output=`` / ``results=`` value that names one of
        this kind, else the ``Accept`` header; :class:`NotAcceptable` when neither names one it can write.

        A ``format=`` value that names no format of this kind is passed over rather than refused:
        clients such as SPARQLWrapper send their own name of a format there and the media types in ``Accept``.
        """
        registry_kind = _KINDS.get(kind, formats.SELECT)
        for name in ("format", "output", "results"):
            for value in params.get(name, []):
                entry = formats.requested(registry_kind, value)
                if entry is not None and entry.media_type:
                    return entry.name
        fmt = negotiate(self.headers.get("Accept", ""), kind, graph_tables=graph_tables)
        if fmt is None:
            raise NotAcceptable([f.media_type for f in offered(kind, graph_tables=graph_tables) if f.media_type])
        return fmt

    def _answer(self, params: dict[str, list[str]]) -> None:
        started = time.monotonic()
        if "update" in params:
            self._send(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only\n")
            return
        if "default-graph-uri" in params or "named-graph-uri" in params:
            self._send(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are refused: no dataset is fetched\n")
            return
        queries = params.get("query", [])
        if not queries:
            self._send_description(params)
            return
        if len(queries) > 1:
            self._send(HTTPStatus.BAD_REQUEST, "give exactly one query\n")
            return
        server = self.server
        try:
            fmt = self._format(params, inspect_query(queries[0], server.limits))
            body, truncated = server.run(queries[0], fmt, started)
        except NotAcceptable as refusal:
            self._not_acceptable(refusal)
            return
        except _Busy as error:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{error}\n", extra={"Retry-After": "1"})
            return
        except IrgraphError as error:
            self._send(_status_of(error), f"{error}\n")
            return
        except Exception as error:
            self.log_error("query failed: %s: %s", type(error).__name__, error)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {type(error).__name__}: {error}\n")
            return
        extra = {"Irgraph-Truncated": truncated} if truncated else None
        if not server.admission.hold_answer(len(body)):
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "the server holds too many unsent answers; try again\n",
                       extra={"Retry-After": "1"})
            return
        try:
            self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""),
                       {"Vary": "Accept", **(extra or {})})
        finally:
            server.admission.release_answer(len(body))


def _status_of(error: IrgraphError) -> int:
    """The HTTP status of a query's failure: a time-out 503, a refused update 403, a bad query or parameter 400."""
    for kind, status in ((QueryTimeout, HTTPStatus.SERVICE_UNAVAILABLE), (UpdateRefused, HTTPStatus.FORBIDDEN),
                         ((QueryError, UsageError), HTTPStatus.BAD_REQUEST)):
        if isinstance(error, kind):
            return status
    return HTTPStatus.INTERNAL_SERVER_ERROR


class _Busy(Exception):
    """Every query slot stayed taken until the request's time limit."""


def _rendered(fmt: str):
    def render_bytes(result) -> tuple[bytes, str | None]:
        return render(result, fmt, graph_as_table=True).encode("utf-8"), result.truncated

    return render_bytes


class _Admission:
    """Which queries may run now, and how much answer text may wait to be sent.

    A query starts in one of the ``foreground`` slots; after
    :data:`BACKGROUND_AFTER` seconds it moves to one of the ``background``
    slots (and its process lowers its own priority), freeing its foreground
    slot for the next query. So a burst of heavy queries fills the
    background, and a small query still finds a foreground slot and a CPU.
    Answers waiting for slow readers are held up to ``answer_bytes`` in all.
    """

    def __init__(self, foreground: int, background: int, answer_bytes: int) -> None:
        self.foreground = threading.BoundedSemaphore(foreground)
        self.background = threading.BoundedSemaphore(background)
        self.answer_bytes = answer_bytes
        self.held = 0
        self.running = 0
        self.lock = threading.Lock()

    def run(self, work, wait: float):
        """Run ``work()`` in a slot, waiting at most ``wait`` seconds for one; :class:`_Busy` when none came."""
        if wait <= 0 or not self.foreground.acquire(timeout=wait):
            raise _Busy("the server is busy with other queries; try again")
        slot = {"held": self.foreground}

        def to_background() -> None:
            with self.lock:
                if slot["held"] is self.foreground and self.background.acquire(blocking=False):
                    self.foreground.release()
                    slot["held"] = self.background

        timer = threading.Timer(BACKGROUND_AFTER, to_background)
        timer.daemon = True
        with self.lock:
            self.running += 1
        timer.start()
        try:
            return work()
        finally:
            timer.cancel()
            with self.lock:
                self.running -= 1
                slot["held"].release()

    def hold_answer(self, size: int) -> bool:
        with self.lock:
            if self.held and self.held + size > self.answer_bytes:
                return False
            self.held += size
            return True

    def release_answer(self, size: int) -> None:
        with self.lock:
            self.held -= size


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, holding the graph and the endpoint's settings."""

    daemon_threads = True
    #: connections the kernel queues while the server accepts (socketserver's default, 5, drops bursts)
    request_queue_size = 128

    def __init__(self, address, graph: Graph, *, timeout: float, cors_origins: Iterable[str],
                 max_request_bytes: int, quiet: bool, limits: QueryLimits, allowed_hosts: Iterable[str],
                 max_concurrent: int, header_deadline: float = HEADER_DEADLINE,
                 body_deadline: float = BODY_DEADLINE) -> None:
        super().__init__(address, SparqlHandler)
        self.graph = graph
        self.query_timeout = timeout
        self.cors_origins = frozenset(cors_origins)
        self.max_request_bytes = max_request_bytes
        self.quiet = quiet
        self.limits = limits
        self.header_deadline = header_deadline
        self.body_deadline = body_deadline
        self.admission = _Admission(max_concurrent, 4 * max_concurrent, ANSWER_BYTES)
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        self.endpoint_url = f"http://{shown}:{port}/sparql"
        self.allowed_hosts = _allowed_names(host, allowed_hosts)
        self._entities: list[str] | None = None
        self._entities_lock = threading.Lock()

    def host_allowed(self, header: str) -> bool:
        """True when a request's ``Host`` header names this server (by an allowed name or an address of it)."""
        name = header.strip().lower()
        if name.startswith("["):
            name, _, port = name[1:].partition("]")
            port = port.lstrip(":")
        else:
            name, _, port = name.rpartition(":") if name.count(":") == 1 else (name, "", "")
        if port and port != str(self.server_address[1]):
            return False
        if name in self.allowed_hosts:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        # an address cannot be rebound by DNS: any address of this machine will do on a wildcard bind
        return self.allowed_hosts.wildcard or str(address) in self.allowed_hosts

    def entities(self) -> list[str]:
        """The entities that have a page (:func:`irgraph.pages.entity_iris`), found once."""
        with self._entities_lock:
            if self._entities is None:
                self._entities = pages.entity_iris(self.graph)
            return self._entities

    def running_queries(self) -> int:
        """How many queries are being evaluated now."""
        return self.admission.running

    def run(self, text: str, fmt: str, started: float) -> tuple[bytes, str | None]:
        """Run one query within the time left of its request, in a child that is killed at the limit."""

        def evaluate():
            remaining = max(self.query_timeout - (time.monotonic() - started), 0.001)
            return run_query(self.graph, text, timeout=remaining, isolate=True, limits=self.limits,
                             then=_rendered(fmt))

        return self.admission.run(evaluate, self.query_timeout - (time.monotonic() - started))


class _Names(frozenset):
    wildcard = False


def _allowed_names(host: str, extra: Iterable[str]) -> _Names:
    names = {host.lower().strip("[]")} | {name.lower().strip().strip("[]") for name in extra}
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None and address.is_loopback:
        names |= {"localhost", "127.0.0.1", "::1"}
    allowed = _Names(names)
    allowed.wildcard = address is not None and address.is_unspecified
    return allowed


def make_server(graph: Graph, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, cors_origins: Iterable[str] = (),
                max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, quiet: bool = False,
                max_rows: int = DEFAULT_MAX_ROWS, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                allowed_hosts: Iterable[str] = (), max_concurrent: int | None = None,
                header_deadline: float = HEADER_DEADLINE, body_deadline: float = BODY_DEADLINE) -> SparqlServer:
    """A ready, not yet running, read-only SPARQL endpoint for ``graph`` (port 0 picks a free port).

    ``timeout`` covers each request's whole query (waiting for a free slot
    included); ``max_rows`` and ``max_response_bytes`` cut large answers
    (the ``Irgraph-Truncated`` response header says so); ``allowed_hosts``
    adds names the ``Host`` header may give besides the bound address (and
    ``localhost`` on loopback); ``max_concurrent`` query processes run at
    once (default: eight per CPU; more wait for a slot within their time limit).
    A client must send the request line and headers within
    ``header_deadline`` seconds and the body within ``body_deadline``.

    >>> from irgraph import load_graph
    >>> server = make_server(load_graph(), port=0, quiet=True)
    >>> server.endpoint_url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    for origin in cors_origins:
        if origin == "*" or not origin.startswith(("http://", "https://")):
            raise UsageError(f"--cors-origin takes an origin such as https://example.org, not {origin!r}")
    limits = QueryLimits(max_length=max_request_bytes, max_rows=max_rows, max_bytes=max_response_bytes)
    concurrent = max_concurrent or 8 * (os.cpu_count() or 1)
    try:
        return SparqlServer((host, port), graph, timeout=timeout, cors_origins=cors_origins,
                            max_request_bytes=max_request_bytes, quiet=quiet, limits=limits,
                            allowed_hosts=allowed_hosts, max_concurrent=concurrent,
                            header_deadline=header_deadline, body_deadline=body_deadline)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    """Run ``server`` in a background thread (for tests and notebooks); stop it with ``server.shutdown()``."""
    thread = threading.Thread(target=server.serve_forever, name="irgraph-sparql", daemon=True)
    thread.start()
    return thread
