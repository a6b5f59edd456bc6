"""A read-only SPARQL 1.1 Protocol endpoint for the graph, safe by default.

Built on the standard library's threading HTTP server so that every request
goes through the same checks as ``irgraph query`` (:func:`irgraph.query.run_query`):
no updates, no ``SERVICE``, no ``FROM``/``FROM NAMED``, a time limit per
query. Requests are limited in size; no CORS header is sent unless an origin
is allowed explicitly; the server binds to loopback unless told otherwise.

Endpoints: ``/sparql`` (GET ``?query=``, POST form-encoded or
``application/sparql-query``; without a query it returns the service
description) and ``/`` (a small query page whose script is served inline).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from .errors import IrgraphError, QueryError, QueryTimeout, UsageError
from .export import to_turtle
from .query import ASK, DEFAULT_TIMEOUT, GRAPH, check_query, run_query
from .results import MEDIA_TYPES, render

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DEFAULT_PORT = 7878
DEFAULT_MAX_REQUEST_BYTES = 100_000
_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
}


def negotiate(accept: str, kind: str) -> str:
    """The result format for an ``Accept`` header: the first acceptable type by quality, else the default."""
    table = _GRAPH_TYPES if kind == GRAPH else _SELECT_TYPES
    default = "turtle" if kind == GRAPH else "json"
    choices = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        quality = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, media))
    for _, _, media in sorted(choices):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def service_description(endpoint: str) -> Graph:
    """A SPARQL service description of the endpoint (read-only, SPARQL 1.1 Query)."""
    graph = Graph()
    graph.bind("sd", SD)
    service = BNode("service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media in sorted(set(MEDIA_TYPES.values())):
        graph.add((service, SD.resultFormat, Literal(media)))
    graph.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal("irgraph: HIV immune restoration knowledge graph. Read-only; SERVICE, FROM and updates are refused. Not medical advice.", lang="en")))
    return graph


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>irgraph SPARQL endpoint</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'unsafe-inline'">
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:60em}}textarea{{width:100%;height:14em;font-family:monospace}}</style>
</head><body>
<h1>irgraph SPARQL endpoint</h1>
<p><strong>A research and education tool, not medical advice.</strong></p>
<p>Read-only SPARQL 1.1 endpoint at <code>{endpoint}</code>. The project's prefixes (<code>irg:</code>, <code>ir:</code>,
<code>rdfs:</code>, <code>skos:</code>, <code>prov:</code> …) are predeclared.</p>
<form method="post" action="/sparql">
<textarea name="query">{example}</textarea>
<p><label>Results as <select name="format"><option value="json">JSON</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="xml">XML</option></select></label> <button type="submit">Run</button></p>
</form></body></html>
"""
_EXAMPLE = "SELECT ?intervention ?label WHERE {\n  ?intervention a irg:Intervention ; rdfs:label ?label .\n} ORDER BY ?label"


class SparqlHandler(BaseHTTPRequestHandler):
    """Handles one request; configuration lives on the server object."""

    server: "SparqlServer"
    server_version = "irgraph"
    sys_version = ""

    # --- plumbing -------------------------------------------------------
    def _send(self, status: int, body: str | bytes, media: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self._cors_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _cors_headers(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin in self.server.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if not self.server.quiet:
            super().log_message(format, *args)

    # --- methods --------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        origin = self.headers.get("Origin")
        self.send_response(HTTPStatus.NO_CONTENT)
        if origin and origin in self.server.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if len(url.query) > self.server.max_request_bytes:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, "the query string is too long\n")
            return
        if url.path == "/":
            page = _PAGE.format(endpoint=html.escape(self.server.endpoint_url), example=html.escape(_EXAMPLE))
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
            return
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "not found: use /sparql\n")
            return
        self._answer(parse_qs(url.query, keep_blank_values=True))

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "not found: use /sparql\n")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            self._send(HTTPStatus.BAD_REQUEST, "invalid Content-Length\n")
            return
        if length > self.server.max_request_bytes:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {self.server.max_request_bytes} bytes\n")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            self._send(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only\n")
            return
        if media == "application/sparql-query":
            params["query"] = [body]
        elif media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            self._send(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                       "send application/sparql-query or application/x-www-form-urlencoded\n")
            return
        self._answer(params)

    def _refuse_write(self) -> None:
        self._send(HTTPStatus.FORBIDDEN, "this endpoint is read-only\n")

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    # --- the protocol ---------------------------------------------------
    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._send(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this endpoint is read-only\n")
            return
        if "default-graph-uri" in params or "named-graph-uri" in params:
            self._send(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are refused: no dataset is fetched\n")
            return
        queries = params.get("query", [])
        if not queries:
            description = service_description(self.server.endpoint_url)
            fmt = negotiate(self.headers.get("Accept", "text/turtle"), GRAPH)
            body = to_turtle(description) if fmt == "turtle" else description.serialize(format="json-ld" if fmt == "jsonld" else "nt")
            self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt])
            return
        if len(queries) > 1:
            self._send(HTTPStatus.BAD_REQUEST, "give exactly one query\n")
            return
        text = queries[0]
        try:
            kind = check_query(text)
            fmt = params.get("format", [None])[0] or negotiate(self.headers.get("Accept", "*/*"), kind)
            if kind != GRAPH and fmt not in ("json", "xml", "csv", "tsv"):
                fmt = "json"
            if kind == ASK and fmt in ("csv", "tsv"):
                fmt = "json"
            result = run_query(self.server.graph, text, timeout=self.server.timeout, isolate=True)
            body = render(result, fmt)
        except QueryTimeout as error:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{error}\n")
            return
        except QueryError as error:
            status = HTTPStatus.FORBIDDEN if "updates" in str(error) else HTTPStatus.BAD_REQUEST
            self._send(status, f"{error}\n")
            return
        except (UsageError, IrgraphError) as error:
            self._send(HTTPStatus.BAD_REQUEST, f"{error}\n")
            return
        except Exception as error:  # noqa: BLE001 - every request gets an answer; the cause is logged and sent
            self.log_error("query failed: %s: %s", type(error).__name__, error)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {type(error).__name__}: {error}\n")
            return
        self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""))


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, holding the graph and the endpoint's settings."""

    daemon_threads = True

    def __init__(self, address, graph: Graph, *, timeout: float, cors_origins: Iterable[str],
                 max_request_bytes: int, quiet: bool) -> None:
        super().__init__(address, SparqlHandler)
        self.graph = graph
        self.timeout = timeout
        self.cors_origins = frozenset(cors_origins)
        self.max_request_bytes = max_request_bytes
        self.quiet = quiet
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        self.endpoint_url = f"http://{shown}:{port}/sparql"


def make_server(graph: Graph, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, cors_origins: Iterable[str] = (),
                max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, quiet: bool = False) -> SparqlServer:
    """A ready, not yet running, read-only SPARQL endpoint for ``graph`` (port 0 picks a free port).

    >>> from irgraph import load_graph
    >>> server = make_server(load_graph(), port=0, quiet=True)
    >>> server.endpoint_url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    for origin in cors_origins:
        if origin == "*" or not origin.startswith(("http://", "https://")):
            raise UsageError(f"--cors-origin takes an origin such as https://example.org, not {origin!r}")
    try:
        return SparqlServer((host, port), graph, timeout=timeout, cors_origins=cors_origins,
                            max_request_bytes=max_request_bytes, quiet=quiet)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    """Run ``server`` in a background thread (for tests and notebooks); stop it with ``server.shutdown()``."""
    thread = threading.Thread(target=server.serve_forever, name="irgraph-sparql", daemon=True)
    thread.start()
    return thread
