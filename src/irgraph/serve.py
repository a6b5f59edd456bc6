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

import html
import io
import ipaddress
import os
import threading
import time
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from . import formats
from .defaults import DEFAULT_MAX_REQUEST_BYTES, DEFAULT_PORT, SERVE_MAX_RESPONSE_BYTES, SERVE_MAX_ROWS
from .errors import IrgraphError, QueryError, QueryTimeout, UpdateRefused, UsageError
from .export import to_turtle
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
#: media type -> format, from the registry: what a client may ask for by ``Accept``
_SELECT_TYPES = formats.media_types(formats.SELECT)
_GRAPH_TYPES = formats.media_types(formats.CONSTRUCT)
#: formats served for SELECT and for ASK (others asked by ``?format=`` fall back to JSON)
_SELECT_SERVED = frozenset(_SELECT_TYPES.values())
_ASK_SERVED = frozenset(formats.media_types(formats.ASK).values())


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
        for name, value in (extra or {}).items():
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
                self.headers.get("Origin") not in self.server.cors_origins:
            # a page of another site (an <img>, a form) asked the browser for this: refused, as for CORS
            self._send(HTTPStatus.FORBIDDEN, "requests from pages of other sites are refused "
                       "(irgraph serve --cors-origin ORIGIN allows one)\n")
            return False
        return True

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
        if url.path == "/":
            page = _PAGE.format(endpoint=html.escape(self.server.endpoint_url), example=html.escape(_EXAMPLE))
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
            return
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "not found: use /sparql\n")
            return
        try:
            params = parse_qs(url.query, keep_blank_values=True, errors="strict", max_num_fields=100)
        except (UnicodeDecodeError, ValueError):
            self._send(HTTPStatus.BAD_REQUEST, "the query string is not valid UTF-8 form encoding\n")
            return
        self._answer(params)

    do_HEAD = do_GET

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
    def _send_description(self) -> None:
        description = service_description(self.server.endpoint_url)
        fmt = negotiate(self.headers.get("Accept", "text/turtle"), GRAPH)
        body = to_turtle(description) if fmt == "turtle" else description.serialize(format="json-ld" if fmt == "jsonld" else "nt")
        self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt])

    def _format(self, params: dict[str, list[str]], kind: str) -> str:
        """The answer's format: ``?format=``, else the ``Accept`` header; JSON where the one asked for does not fit."""
        fmt = params.get("format", [None])[0] or negotiate(self.headers.get("Accept", "*/*"), kind)
        if kind != GRAPH and fmt not in _SELECT_SERVED:
            fmt = "json"
        if kind == ASK and fmt not in _ASK_SERVED:
            fmt = "json"
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
            self._send_description()
            return
        if len(queries) > 1:
            self._send(HTTPStatus.BAD_REQUEST, "give exactly one query\n")
            return
        server = self.server
        try:
            fmt = self._format(params, inspect_query(queries[0], server.limits))
            body, truncated = server.run(queries[0], fmt, started)
        except QueryTimeout as error:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{error}\n")
            return
        except UpdateRefused as error:
            self._send(HTTPStatus.FORBIDDEN, f"{error}\n")
            return
        except (QueryError, UsageError) as error:
            self._send(HTTPStatus.BAD_REQUEST, f"{error}\n")
            return
        except _Busy as error:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{error}\n", extra={"Retry-After": "1"})
            return
        except IrgraphError as error:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{error}\n")
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
            self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), extra)
        finally:
            server.admission.release_answer(len(body))


class _Busy(Exception):
    """Every query slot stayed taken until the request's time limit."""


def _rendered(fmt: str):
    def render_bytes(result) -> tuple[bytes, str | None]:
        return render(result, fmt).encode("utf-8"), result.truncated

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
