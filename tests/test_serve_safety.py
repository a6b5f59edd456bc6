"""Attacks on `irgraph serve`: each one that broke the endpoint, as a regression test with its input."""

from __future__ import annotations

import importlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

import irgraph
from irgraph.serve import make_server, serve_in_thread

from .listener import Listener
from .test_query_safety import attack_variants, service_clause


@pytest.fixture(scope="module")
def graph():
    return irgraph.load_graph()


@pytest.fixture(scope="module")
def endpoint(graph):
    server = make_server(graph, port=0, timeout=5, quiet=True, max_rows=1000, header_deadline=1.5, body_deadline=1.5)
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


def raw(server, data: bytes, *, wait: float = 20) -> tuple[int | None, dict, bytes]:
    """Send ``data`` as it is and read the whole answer (until the server closes)."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=wait) as connection:
        connection.sendall(data)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.\d (\d{3})", lines[0]) if lines and lines[0] else None
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return (int(match.group(1)) if match else None), headers, body


def http(server, method: str, target: str, body: bytes = b"", headers: dict | None = None, host: str | None = None):
    port = server.server_address[1]
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if method == "POST" and not any(k.lower() in ("content-length", "transfer-encoding") for k in (headers or {})):
        lines.append(f"Content-Length: {len(body)}")
    return raw(server, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def raw_get(server, text: str, *, wait: float) -> int | None:
    port = server.server_address[1]
    target = "/sparql?" + urllib.parse.urlencode({"query": text})
    return raw(server, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode(), wait=wait)[0]


def get(server, text: str, **kwargs):
    return http(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": text}), **kwargs)


def post_query(server, text: str, **kwargs):
    return http(server, "POST", "/sparql", text.encode("utf-8"), {"Content-Type": "application/sparql-query"}, **kwargs)


def alive(server) -> bool:
    status, _, body = get(server, "ASK {}")
    return status == 200 and json.loads(body)["boolean"] is True


# --- SERVICE and FROM ------------------------------------------------------------

def test_no_variant_reaches_the_network_through_the_endpoint(endpoint):
    with Listener() as listener:
        for text in attack_variants(listener.url):
            for status, _, body in (get(endpoint, text), post_query(endpoint, text)):
                assert status == 400, (text, body)
        assert listener.connections == []


def test_with_the_text_check_bypassed_the_query_child_still_cannot_connect(endpoint, monkeypatch):
    for module in ("irgraph.query", "irgraph.serve"):
        monkeypatch.setattr(sys.modules[module], "inspect_query", lambda text, limits: "select")
    with Listener() as listener:
        status, _, body = get(endpoint, f"SELECT * WHERE {{ {service_clause(listener.url)} }}")
        assert status == 400 and b"network connection" in body
        assert listener.connections == []


# --- inputs that crashed or froze the server -----------------------------------------

@pytest.mark.parametrize("text", [
    "SELECT * WHERE { FILTER(" + "!" * 20_000 + "true) }",
    "SELECT * WHERE { FILTER(" + "(" * 5_000 + "true" + ")" * 5_000 + ") }",
    'SELECT * WHERE { FILTER("\\U00110000") }',
    "",
], ids=["20000-not", "5000-parentheses", "bad-codepoint", "empty"])
def test_inputs_that_crashed_the_server_are_400_and_it_stays_up(endpoint, text):
    status, _, body = post_query(endpoint, text)
    assert status == 400, body
    status, _, body = get(endpoint, text)
    assert status == 400, body
    assert alive(endpoint)


def test_a_crashing_query_child_does_not_take_the_server_down(endpoint, monkeypatch):
    import faulthandler
    import os
    import signal

    def crash(*args):
        faulthandler.disable()  # a crash on purpose: no "Fatal Python error" in the suite's output
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(importlib.import_module("irgraph.query"), "_oxigraph_result", crash)
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 500 and b"crashed" in body
    monkeypatch.undo()
    assert alive(endpoint)


def test_bodies_that_are_not_utf8_or_not_forms_are_400(endpoint):
    assert http(endpoint, "POST", "/sparql", b"SELECT \xff", {"Content-Type": "application/sparql-query"})[0] == 400
    assert http(endpoint, "GET", "/sparql?query=%FF%FE")[0] == 400
    assert http(endpoint, "POST", "/sparql", b"query=%FF", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400


# --- the body: lengths, chunks, limits ----------------------------------------------------

@pytest.mark.parametrize("length, status", [("-1", 400), ("abc", 400), ("+5", 400), (" 5 ", 400), ("1e3", 400),
                                            ("100001", 413), ("99999999999999999999", 413)])
def test_bad_content_lengths_are_refused_before_reading(endpoint, length, status):
    answer = http(endpoint, "POST", "/sparql", b"ASK {}",
                  {"Content-Type": "application/sparql-query", "Content-Length": length})
    assert answer[0] == status, answer
    assert alive(endpoint)


def test_a_post_without_length_is_411_and_two_lengths_are_400(endpoint):
    head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n" % endpoint.server_address[1]
    assert raw(endpoint, head + b"\r\nASK {}")[0] == 411
    assert raw(endpoint, head + b"Content-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}")[0] == 400
    assert raw(endpoint, head + b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n")[0] == 400


def _chunked(body: bytes, size: int) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def test_a_chunked_body_is_read_within_the_limit(endpoint):
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    status, _, body = http(endpoint, "POST", "/sparql", _chunked(b"ASK { ?s ?p ?o }", 5), headers)
    assert status == 200 and json.loads(body)["boolean"] is True
    big = b"ASK {} #" + b"x" * 200_000
    assert http(endpoint, "POST", "/sparql", _chunked(big, 50_000), headers)[0] == 413
    assert http(endpoint, "POST", "/sparql", b"zz\r\nASK {}\r\n0\r\n\r\n", headers)[0] == 400
    assert http(endpoint, "POST", "/sparql", b"", {"Content-Type": "application/sparql-query",
                                                     "Transfer-Encoding": "gzip", "Content-Length": "0"})[0] == 400


def test_an_empty_query_is_400_not_an_update(endpoint):
    for answer in (http(endpoint, "GET", "/sparql?query="),
                   http(endpoint, "POST", "/sparql", b"query=", {"Content-Type": "application/x-www-form-urlencoded"}),
                   post_query(endpoint, "   ")):
        assert answer[0] == 400 and b"empty" in answer[2]


# --- deadlines (slowloris) -------------------------------------------------------------------

def _closed_by_server(connection: socket.socket, trickle: bytes) -> bool:
    """Send ``trickle`` a byte at a time, paced like a slowloris client, until the server hangs up."""
    for byte in trickle:
        try:
            connection.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return True
        connection.settimeout(0.25)  # the attack's pace: one byte a quarter of a second
        try:
            if connection.recv(1024) == b"":
                return True
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True
        return True  # the server answered (an error status) instead of waiting
    return False


def test_a_client_that_trickles_its_headers_is_cut_off(endpoint):
    host, port = endpoint.server_address[:2]
    with socket.create_connection((host, port)) as connection:
        # 200 bytes at this pace would take 50 s: the 1.5 s header deadline ends it long before
        assert _closed_by_server(connection, b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nX-Slow: " + b"a" * 200)
    assert alive(endpoint)


def test_a_client_that_trickles_its_body_is_cut_off(endpoint):
    host, port = endpoint.server_address[:2]
    with socket.create_connection((host, port)) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 1000\r\n\r\n" % port)
        assert _closed_by_server(connection, b"ASK {} #" + b"x" * 200)
    assert alive(endpoint)


# --- Host (DNS rebinding) -------------------------------------------------------------------------

def test_the_host_header_must_name_this_server(endpoint):
    port = endpoint.server_address[1]
    assert get(endpoint, "ASK {}", host="evil.example")[0] == 421
    assert get(endpoint, "ASK {}", host=f"evil.example:{port}")[0] == 421
    assert get(endpoint, "ASK {}", host=f"127.0.0.1:{port + 1}")[0] == 421
    assert http(endpoint, "GET", "/", host="evil.example")[0] == 421
    for name in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "127.0.0.1"):
        assert get(endpoint, "ASK {}", host=name)[0] == 200, name


def test_allowed_hosts_can_be_added(graph):
    server = make_server(graph, port=0, timeout=5, quiet=True, allowed_hosts=["irgraph.lab.example"])
    serve_in_thread(server)
    try:
        assert get(server, "ASK {}", host="irgraph.lab.example")[0] == 200
        assert get(server, "ASK {}", host="other.example")[0] == 421
    finally:
        server.shutdown()
        server.server_close()


# --- big answers and many queries ------------------------------------------------------------------

def test_a_huge_answer_is_cut_and_says_so(endpoint):
    status, headers, body = get(endpoint, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000000")
    assert status == 200
    assert "cut at 1,000 rows" in headers["Irgraph-Truncated"]
    assert len(json.loads(body)["results"]["bindings"]) == 1000


def _big_slow_query() -> str:
    """About 99 KB: a long VALUES list in front of a cross join, counted: no answer before the time limit.

    A count gives no row until the end, so no row or size cap can end the query early on a fast machine.
    """
    values = " ".join(f'"{n:08d}"' for n in range(9_000))
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?pad {{ {values} }} ?a ?b ?c . ?d ?e ?f }}"


def test_small_queries_are_answered_while_ten_large_ones_run(graph):
    server = make_server(graph, port=0, timeout=8, quiet=True)
    serve_in_thread(server)
    big = _big_slow_query()
    assert 95_000 < len(big.encode()) < 100_000
    finished = []
    try:
        threads = [threading.Thread(target=lambda: finished.append(post_query(server, big)[0])) for _ in range(10)]
        for thread in threads:
            thread.start()
        while server.running_queries() < 10:  # wait until all ten are being evaluated
            assert not finished, "a large query ended before all ten were running"
            time.sleep(0.01)
        assert alive(server)
        assert not finished, "the small query was answered only after the large ones"
        for thread in threads:
            thread.join(60)
        assert finished == [503] * 10  # each stopped at its limit
    finally:
        server.shutdown()
        server.server_close()


FIRST_USES = """
import sys, threading, urllib.request, urllib.parse, json
import irgraph
from irgraph.serve import make_server, serve_in_thread
server = make_server(irgraph.load_graph(store=sys.argv[1]), port=0, quiet=True, timeout=60)
serve_in_thread(server)
text = ("SELECT (GROUP_CONCAT(DISTINCT ?l; SEPARATOR=', ') AS ?all) (COUNT(?x) AS ?n)"
        " WHERE { ?x rdfs:label ?l FILTER(STRSTARTS(STR(?x), STR(ir:))) } GROUP BY ?x HAVING (COUNT(?x) > 0) LIMIT 3")
statuses = []
def run():
    data = urllib.parse.urlencode({"query": text}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(server.endpoint_url, data=data), timeout=120) as r:
            statuses.append(r.status)
    except Exception as error:
        statuses.append(repr(error))
threads = [threading.Thread(target=run) for _ in range(32)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps(statuses))
"""


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_thirty_two_concurrent_first_uses_on_a_fresh_server(store):
    run = subprocess.run([sys.executable, "-c", FIRST_USES, store], check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [200] * 32


# --- the second outside attack ---------------------------------------------------------------------

def test_two_host_headers_are_400_and_an_absolute_target_must_name_this_server(endpoint):
    port = endpoint.server_address[1]
    ours = f"127.0.0.1:{port}"
    two = (f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {ours}\r\nHost: evil.example\r\n\r\n").encode()
    assert raw(endpoint, two)[0] == 400
    absolute = f"GET http://evil.example/sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {ours}\r\n\r\n".encode()
    assert raw(endpoint, absolute)[0] == 421
    own = f"GET http://{ours}/sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {ours}\r\n\r\n".encode()
    assert raw(endpoint, own)[0] == 200


def test_a_page_of_another_site_cannot_make_the_browser_query(graph):
    server = make_server(graph, port=0, timeout=5, quiet=True, cors_origins=["https://allowed.example"])
    serve_in_thread(server)
    try:
        assert get(server, "ASK {}", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
        allowed = {"Sec-Fetch-Site": "cross-site", "Origin": "https://allowed.example"}
        assert get(server, "ASK {}", headers=allowed)[0] == 200
        for site in ("same-origin", "same-site", "none"):
            assert get(server, "ASK {}", headers={"Sec-Fetch-Site": site})[0] == 200
        # a person following a link from another site to a page for people is let through; nothing else is
        link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
        for path in ("/id/", "/ontology", "/search", "/"):
            assert http(server, "GET", path, headers=link)[0] == 200, path
        query = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        refused = [(query, link), ("/editor/ready?name=interventions", link),
                   ("/id/", {**link, "Sec-Fetch-Dest": "iframe"}), ("/id/", {**link, "Sec-Fetch-Mode": "no-cors"}),
                   ("/id/", {**link, "Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors"})]
        for path, headers in refused:
            assert http(server, "GET", path, headers=headers)[0] == 403, (path, headers)
        assert http(server, "POST", "/sparql", b"ASK {}", {"Content-Type": "application/sparql-query", **link})[0] == 403
    finally:
        server.shutdown()
        server.server_close()


def test_answers_waiting_for_slow_readers_are_held_only_up_to_a_bound():
    from irgraph.serve import _Admission

    admission = _Admission(2, 8, answer_bytes=150)
    assert admission.hold_answer(100)
    assert not admission.hold_answer(100)  # 200 would wait in memory: refused (503)
    admission.release_answer(100)
    assert admission.hold_answer(100)
    admission.release_answer(100)
    assert admission.hold_answer(10_000)  # one answer alone is always allowed (it is within max_result_bytes)


HEAVY_BURST = """
import json, sys, threading, time
import irgraph
from irgraph.serve import make_server, serve_in_thread
from tests.test_serve_safety import alive, raw_get
server = make_server(irgraph.load_graph(), port=0, timeout=12, quiet=True, max_concurrent=16)
serve_in_thread(server)
# counts billions of rows: no answer before its time limit, so no row or size cap can end it early
# (a query that streams rows reached the 100,000-row cap within its limit on a faster machine: 200)
heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
finished = []
def run_heavy():
    try:
        finished.append(raw_get(server, heavy, wait=60))
    except OSError as error:
        finished.append(repr(error))
threads = [threading.Thread(target=run_heavy) for _ in range(32)]
for thread in threads:
    thread.start()
while server.running_queries() < 32 and not finished:  # half take a slot freed by the first half
    time.sleep(0.01)
report = {"all_running_before_any_ended": not finished}
report["small_answered"] = alive(server)
report["heavy_ended_before_the_small_one"] = list(finished)
for thread in threads:
    thread.join(120)
report["heavy"] = finished
server.shutdown()
server.server_close()
print(json.dumps(report))
"""


def test_small_queries_are_answered_while_thirty_two_heavy_ones_run():
    """All foreground slots filled by heavy queries: they move to the background after a second.

    The server runs in a process of its own, as ``irgraph serve`` does: each
    query forks it, and a fork costs more the larger the process (this test
    process grows with the suite).
    """
    run = subprocess.run([sys.executable, "-c", HEAVY_BURST], check=False, capture_output=True, text=True,
                         timeout=600, cwd=Path(__file__).parent.parent)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["all_running_before_any_ended"], report
    assert report["small_answered"], report
    assert report["heavy_ended_before_the_small_one"] == [], "the small query was answered only after heavy ones"
    assert report["heavy"] == [503] * 32, report  # each ran to its time limit
