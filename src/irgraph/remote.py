"""Remote triplestores: query over the SPARQL 1.1 Protocol, upload with the Graph Store Protocol.

A remote store is named ``sparql:QUERY_URL[,GSP_URL]`` (see
:func:`irgraph.store.parse_store`). Queries and triple-pattern lookups go to
``QUERY_URL`` through rdflib's :class:`~rdflib.plugins.stores.sparqlstore.SPARQLStore`
(so every rdflib call and ``graph.query`` work unchanged), with the named
graph sent as the protocol's ``default-graph-uri``. :func:`push` uploads a
graph into that named graph at ``GSP_URL``: ``PUT`` to replace it, ``POST``
to add to it, in batches of N-Triples.

HTTP goes through ``requests``: it does both digest and basic
authentication and re-uses a digest challenge for the following batches.
Credentials come only from the environment variables
``IRGRAPH_SPARQL_USER`` and ``IRGRAPH_SPARQL_PASSWORD``; they are never
accepted in a URL or an option and never appear in a message. They are sent
only to the host of the store URL: a redirect to the same scheme, host and
port is followed (with the same method and body), a redirect anywhere else
is refused (:class:`~irgraph.errors.RemoteError`) before anything is sent
there. Text from a server (an error page, a reason phrase, a content type,
a redirect's address) reaches a message only through :func:`server_text`,
which removes terminal control sequences.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
import requests
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from .errors import QueryError, QueryTimeout, RemoteError, UsageError
from .namespaces import bind_prefixes
from .store import DEFAULT_GRAPH_IRI, SPARQL, StoreSpec, parse_store, redacted, sorted_triples

USER_VARIABLE = "IRGRAPH_SPARQL_USER"
PASSWORD_VARIABLE = "IRGRAPH_SPARQL_PASSWORD"
#: Seconds to wait for a remote query or one uploaded batch.
DEFAULT_TIMEOUT = 60.0
#: Triples per uploaded batch (about 10 MB of N-Triples for typical data).
DEFAULT_BATCH = 50_000
#: Redirects followed within the store's own host before giving up.
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Terminal control: escape sequences (CSI, OSC, two-byte), other C0 controls but tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[ -~]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)


def credentials() -> tuple[str, str] | None:
    """``(user, password)`` from ``IRGRAPH_SPARQL_USER`` / ``IRGRAPH_SPARQL_PASSWORD``, or None.

    Raises :class:`UsageError` when only one of the two is set.
    """
    user = os.environ.get(USER_VARIABLE)
    password = os.environ.get(PASSWORD_VARIABLE)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise UsageError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE} (or neither)")
    return user, password


class _Client:
    """One HTTP session to a server: authenticates with whichever scheme the server asks for.

    The first request goes out with digest authentication ready (requests
    answers a digest challenge and then re-uses it); when the server
    challenges for basic authentication instead, the session switches to it
    and repeats the request once.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.session = requests.Session()
        self.timeout = timeout
        self.credentials = credentials()
        # Without our variables, send no credentials at all (an auth that adds
        # nothing also keeps requests from reading them from ~/.netrc).
        self.session.auth = HTTPDigestAuth(*self.credentials) if self.credentials else _no_auth

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """Send one request to ``url``, following redirects only within its scheme, host and port."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs["allow_redirects"] = False  # followed below, where the target's host can be checked first
        origin = _origin(url)
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                response = self._authenticated(method, url, **kwargs)
                if not response.is_redirect:
                    return response
                target = urljoin(url, response.headers["Location"])
                if _origin(target) != origin:
                    raise RemoteError(
                        f"{redacted(url)} redirected the request to another host, {server_text(redacted(target))}: "
                        "irgraph sends requests (and credentials) only to the host in the store URL; "
                        "if you trust that host, give its URL in --store instead"
                    )
                url = target
                kwargs.pop("params", None)  # the redirect's address has its own query
            raise RemoteError(f"{redacted(url)} redirected the request more than {MAX_REDIRECTS} times")
        except requests.Timeout:
            raise QueryTimeout(f"{url} did not answer within {kwargs['timeout']:g} s") from None
        except requests.RequestException as error:
            raise RemoteError(f"cannot reach {url}: {_reason(error)}; check the URL and that the server is running") from None

    def _authenticated(self, method: str, url: str, **kwargs) -> requests.Response:
        response = self.session.request(method, url, **kwargs)
        if response.status_code == 401 and self.credentials and isinstance(self.session.auth, HTTPDigestAuth):
            challenge = response.headers.get("WWW-Authenticate", "")
            if challenge.lower().startswith("basic"):
                self.session.auth = HTTPBasicAuth(*self.credentials)
                response = self.session.request(method, url, **kwargs)
        return response


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of ``url`` (default ports filled in): where credentials may go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def server_text(text: str) -> str:
    """Text sent by a server, safe to print on a terminal: escape sequences and control characters removed.

    >>> server_text("refused\x1b]0;owned\x07 \x1b[31mred\x1b[0m\x9b")
    'refused red'
    """
    return _CONTROL.sub("", text)


def _no_auth(request):
    return request


def _reason(error: Exception) -> str:
    """The short cause of a connection error, without the exception chain's noise."""
    text = str(error)
    for pattern in (r"\[Errno -?\d+\] ([^'\")]+)", r"(Connection refused)", r"(Name or service not known)"):
        match = re.search(pattern, text)
        if match:
            return match.group(1).strip()
    return type(error).__name__


def _server_message(response: requests.Response) -> str:
    """A short, readable excerpt of a server's error page."""
    text = re.sub(r"<[^>]+>", " ", server_text(response.text or ""))
    text = re.sub(r"\s+", " ", text).strip()
    return (text[:300] + "…") if len(text) > 300 else text


def _refusal(response: requests.Response, url: str, what: str) -> str:
    status = f"HTTP {response.status_code} {server_text(response.reason or '')}".strip()
    if response.status_code == 401:
        if credentials() is None:
            hint = f"the server asks for credentials: set {USER_VARIABLE} and {PASSWORD_VARIABLE}"
        else:
            hint = f"the server refused the credentials in {USER_VARIABLE} / {PASSWORD_VARIABLE}"
    elif response.status_code == 403:
        hint = ("this endpoint does not accept writes; use the server's authenticated Graph Store endpoint "
                "(Virtuoso: /sparql-graph-crud-auth) and set the credentials")
    elif response.status_code in (404, 405):
        hint = "is this the right URL for the server's " + ("Graph Store endpoint?" if what == "upload" else "SPARQL endpoint?")
    else:
        hint = _server_message(response)
    return f"{url} refused the {what} ({status}): {hint}"


_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def _accept_for(query: str) -> str:
    """Ask for a graph format for CONSTRUCT and DESCRIBE (some servers otherwise answer with s/p/o bindings)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        kind = parseQuery(query)[1].name
    except ParseBaseException:
        return _ACCEPT
    return _GRAPH_ACCEPT if kind in ("ConstructQuery", "DescribeQuery") else _ACCEPT


class RemoteStore(SPARQLStore):
    """rdflib's SPARQLStore speaking through :class:`_Client`: errors become irgraph errors.

    Read-only, like SPARQLStore. ``timeout`` (seconds) bounds each request.
    """

    def __init__(self, query_url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(query_url, returnFormat="json")
        self.client = _Client(timeout)

    @property
    def timeout(self) -> float:
        return self.client.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self.client.timeout = seconds

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:  # noqa: ARG002 - SPARQLStore's signature
        self._queries += 1
        form = {"query": query}
        if default_graph is not None and str(default_graph) != str(DATASET_DEFAULT_GRAPH_ID):
            form["default-graph-uri"] = str(default_graph)
        assert self.query_endpoint is not None  # set by __init__
        response = self.client.request("POST", self.query_endpoint, data=form, headers={"Accept": _accept_for(query)})
        if response.status_code >= 400:
            raise QueryError(_refusal(response, self.query_endpoint, "query"))
        content_type = response.headers.get("Content-Type", "application/sparql-results+xml").split(";")[0].strip()
        try:
            return Result.parse(BytesIO(response.content), content_type=content_type)
        except Exception as error:
            raise QueryError(f"{self.query_endpoint} sent an answer irgraph cannot read "
                             f"({server_text(content_type)}): {server_text(str(error))}") from None


def remote_graph(store: str | StoreSpec, *, timeout: float = DEFAULT_TIMEOUT) -> Graph:
    """A read-only rdflib graph whose every access is a query to the remote endpoint.

    The graph is the store's named graph (sent as ``default-graph-uri``), so
    it does not matter whether the server's default graph is the union of
    its named graphs (Virtuoso, GraphDB) or not (Fuseki, Oxigraph server);
    with ``default-graph-uri=`` left empty in the URL it is the endpoint's
    own default graph. Nothing is contacted until the graph is used.

    >>> g = remote_graph("sparql:http://127.0.0.1:9/sparql")
    >>> str(g.identifier)
    'https://w3id.org/irgraph/graph'
    """
    spec = parse_store(store)
    if spec.kind != SPARQL:
        raise UsageError(f"{spec} is not a remote store; give sparql:QUERY_URL[,GSP_URL]")
    assert spec.query_url is not None  # parse_store sets it for every remote store
    identifier = URIRef(spec.graph) if spec.graph else DATASET_DEFAULT_GRAPH_ID
    graph = Graph(store=RemoteStore(spec.query_url, timeout), identifier=identifier)
    bind_prefixes(graph)
    return graph


@dataclass
class PushResult:
    """What :func:`push` uploaded: where, how, how many triples in how many requests."""

    url: str
    graph: str | None
    mode: str
    triples: int
    batches: int

    def summary(self) -> str:
        verb = "replaced" if self.mode == "replace" else "added to"
        name = f"<{self.graph}>" if self.graph else "the default graph"
        return (f"{verb} {name} at {self.url}: {self.triples} triples "
                f"in {self.batches} request{'s' if self.batches != 1 else ''}")


def batches(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Cut ``triples`` into batches of at most ``size``, keeping every blank node in the first.

    A server gives the blank nodes of each request new identities, so all
    triples that mention a blank node travel together in the first batch
    (which may then be larger than ``size``).

    >>> a, b = ox.NamedNode("http://example.org/a"), ox.BlankNode("x")
    >>> triples = [ox.Triple(a, a, ox.Literal(str(i))) for i in range(5)] + [ox.Triple(a, a, b)]
    >>> [len(batch) for batch in batches(triples, 2)]
    [2, 2, 2]
    """
    if size < 1:
        raise UsageError("the batch size must be at least 1 triple")
    with_blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    rest = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    first = with_blank + rest[: max(size - len(with_blank), 0)]
    rest = rest[len(first) - len(with_blank):]
    out = [first] if first else [[]]
    out += [rest[i:i + size] for i in range(0, len(rest), size)]
    return out


def push(
    graph: Graph,
    store: str | StoreSpec,
    *,
    graph_iri: str | None = None,
    mode: str = "replace",
    batch_size: int = DEFAULT_BATCH,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Upload ``graph`` into a named graph of a remote store with the SPARQL 1.1 Graph Store Protocol.

    ``mode`` is ``replace`` (the first batch is sent with ``PUT``, which
    replaces the named graph, the rest with ``POST``) or ``add`` (every
    batch with ``POST``, adding to what the graph holds). ``graph_iri``
    defaults to the store's graph (:data:`~irgraph.store.DEFAULT_GRAPH_IRI`
    unless the query URL names one; the server's default graph when the URL
    has an empty ``default-graph-uri=``). ``progress(triples_sent, total)``
    is called after each batch.

    Raises :class:`~irgraph.errors.UsageError` (no Graph Store URL, bad
    mode) or :class:`~irgraph.errors.RemoteError` (unreachable, refused);
    the message then says how many batches the server had accepted.
    """
    spec = parse_store(store)
    if spec.kind != SPARQL or not spec.update_url:
        raise UsageError(
            "push needs a remote store with its Graph Store endpoint: --store sparql:QUERY_URL,GSP_URL "
            "(e.g. sparql:http://localhost:8890/sparql,http://localhost:8890/sparql-graph-crud-auth)"
        )
    if mode not in ("replace", "add"):
        raise UsageError(f"unknown push mode {mode!r}; use replace or add")
    target = graph_iri or spec.graph
    if target is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", target):
        raise UsageError(f"the graph name {target!r} is not an absolute IRI; give one such as {DEFAULT_GRAPH_IRI}")
    # the Graph Store Protocol names a graph with ?graph=IRI, the default graph with ?default
    url = spec.update_url if target else spec.update_url + ("&" if "?" in spec.update_url else "?") + "default"
    params = {"graph": target} if target else None
    triples = sorted_triples(graph)
    parts = batches(triples, batch_size)
    client = _Client(timeout)
    sent = 0
    for number, batch in enumerate(parts, start=1):
        method = "PUT" if mode == "replace" and number == 1 else "POST"
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) if batch else b""
        done = "" if number == 1 else (
            f"; the server had accepted {number - 1} of {len(parts)} batches ({sent} triples), "
            "so the graph holds part of the upload: run the push again with --replace"
        )
        try:
            response = client.request(
                method,
                url,
                params=params,
                data=body,
                headers={"Content-Type": "application/n-triples"},
            )
        except (RemoteError, QueryTimeout) as error:
            raise RemoteError(f"{error}{done}") from None
        if response.status_code >= 300:
            raise RemoteError(_refusal(response, spec.update_url, "upload") + done)
        sent += len(batch)
        if progress is not None:
            progress(sent, len(triples))
    return PushResult(url=spec.update_url, graph=target, mode=mode, triples=len(triples), batches=len(parts))
