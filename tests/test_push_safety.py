"""Talking to remote stores safely: credentials stay with the store's host, server text is made printable.

Two loopback servers run in threads of the test: ``A`` is the store, ``B``
another host (another port is another origin). Each records every request
it receives with its headers.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import irgraph
from irgraph.errors import QueryError, RemoteError
from irgraph.remote import server_text

SECRET = "s3cret-do-not-print"
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mdisk full\x1b[0m\x9b\x07\x00 please retry"


class _Recorder(BaseHTTPRequestHandler):
    """Answers with ``server.answer(handler)``; records (method, path, headers) first."""

    def log_message(self, *args):
        pass

    def _handle(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        status, headers, body = self.server.answer(self)
        self.send_response(status, headers.pop("reason", None))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _handle


def _serve(answer):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen, server.answer = [], answer
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server, thread


@pytest.fixture
def servers():
    """Start loopback servers with a given answer; all are stopped and their threads joined afterwards."""
    started = []

    def start(answer):
        server, thread = _serve(answer)
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("IRGRAPH_SPARQL_USER", "curator")
    monkeypatch.setenv("IRGRAPH_SPARQL_PASSWORD", SECRET)


def _challenge(_handler):
    """B asks for credentials both ways, as the attacker's host did."""
    return 401, {"WWW-Authenticate": 'Digest realm="b", nonce="abc123", qop="auth", algorithm=MD5'}, b""


def test_push_refuses_a_redirect_to_another_host_and_sends_it_nothing(servers, credentials, invoke):
    other = servers(_challenge)
    store = servers(lambda handler: (307, {"Location": f"{other.url}/gsp{handler.path[4:]}"}, b""))
    for challenge in ('Digest realm="b", nonce="abc123", qop="auth"', 'Basic realm="b"'):
        other.answer = lambda _handler, challenge=challenge: (401, {"WWW-Authenticate": challenge}, b"")
        result = invoke("push", "--store", f"sparql:{store.url}/sparql,{store.url}/gsp")
        assert result.exit_code == 2, result.output
        assert "redirected the request to another host" in result.stderr and other.url in result.stderr
        assert "replaced" not in result.stdout and SECRET not in result.output
        assert other.seen == []  # nothing at all reached the other host, so no Authorization header either
    assert store.seen and all(method == "PUT" for method, _path, _headers in store.seen)


def test_a_redirect_within_the_store_host_is_followed_with_credentials(servers, credentials, graph):
    def answer(handler):
        if handler.path.startswith("/old"):
            return 307, {"Location": "/gsp" + handler.path[4:]}, b""
        if "Authorization" not in handler.headers:
            return 401, {"WWW-Authenticate": 'Basic realm="a"'}, b""
        return 204, {}, b""

    store = servers(answer)
    result = irgraph.push(graph, f"sparql:{store.url}/sparql,{store.url}/old", batch_size=10_000_000)
    assert result.batches == 1
    paths = [path for _method, path, _headers in store.seen]
    assert paths[0].startswith("/old?graph=") and paths[-1].startswith("/gsp?graph=")
    assert "Authorization" in store.seen[-1][2]


def test_control_characters_from_a_refusing_server_are_not_printed(servers, credentials, invoke):
    store = servers(lambda _handler: (500, {"reason": "Oops\x1b[5m", "Content-Type": "text/html; charset=utf-8"},
                                      f"<html><body>{HOSTILE}</body></html>".encode()))
    result = invoke("push", "--store", f"sparql:{store.url}/sparql,{store.url}/gsp")
    assert result.exit_code == 2
    assert "disk full please retry" in result.stderr and "HTTP 500 Oops" in result.stderr
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in result.output)


def test_control_characters_in_a_remote_query_error_are_not_printed(servers):
    store = servers(lambda _handler: (400, {"Content-Type": "text/plain; charset=utf-8"}, HOSTILE.encode("utf-8")))
    graph = irgraph.remote_graph(f"sparql:{store.url}/sparql")
    with pytest.raises(QueryError) as refused:
        graph.query("ASK { ?s ?p ?o }")
    message = str(refused.value)
    assert "disk full please retry" in message and "\x1b" not in message and "\x9b" not in message


def test_an_unreadable_answer_names_its_content_type_without_control_characters(servers):
    store = servers(lambda _handler: (200, {"Content-Type": "application/x-\x1b[31mevil"}, b"\x1b[2Jgarbage"))
    with pytest.raises(QueryError) as unreadable:
        irgraph.remote_graph(f"sparql:{store.url}/sparql").query("ASK { ?s ?p ?o }")
    assert "\x1b" not in str(unreadable.value) and "application/x-evil" in str(unreadable.value)


def test_server_text_keeps_newlines_and_tabs_only():
    assert server_text(HOSTILE) == "disk full please retry"
    assert server_text("line one\n\tline two\r") == "line one\n\tline two"


def test_too_many_redirects_within_the_host_are_an_error(servers, credentials, graph):
    store = servers(lambda handler: (307, {"Location": handler.path}, b""))
    with pytest.raises(RemoteError, match="more than 5 times"):
        irgraph.push(graph, f"sparql:{store.url}/sparql,{store.url}/gsp")
