"""How fast `irgraph serve` answers a small query while large ones run.

Starts the endpoint on loopback with the bundled data, measures `ASK {}`
alone, then again while ten concurrent 99 KB queries (a long VALUES list in
front of a cross join that streams until the time limit) are evaluated.

    python benchmarks/serve_latency.py [--rounds 20] [--timeout 10]

Prints the median and the slowest `ASK {}` in both situations. Timing
belongs here, never in the tests (the test suite checks only that the small
query is answered while the large ones still run).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import urllib.parse
import urllib.request

import irgraph
from irgraph.serve import make_server, serve_in_thread


def big_query() -> str:
    values = " ".join(f'"{n:08d}"' for n in range(9_000))
    return f"SELECT * WHERE {{ VALUES ?pad {{ {values} }} ?a ?b ?c . ?d ?e ?f }}"


def ask(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def post(url: str, text: str) -> None:
    request = urllib.request.Request(url, data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError:
        pass  # 503 at the time limit, as intended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    server = make_server(irgraph.load_graph(), port=0, quiet=True, timeout=args.timeout,
                         max_rows=10**9, max_response_bytes=10**12)
    serve_in_thread(server)
    url = server.endpoint_url
    alone = [ask(url) for _ in range(args.rounds)]
    text = big_query()
    threads = [threading.Thread(target=post, args=(url, text)) for _ in range(10)]
    for thread in threads:
        thread.start()
    while server.running_queries() < 10:
        time.sleep(0.01)
    loaded = [ask(url) for _ in range(args.rounds)]
    still_running = server.running_queries()
    for thread in threads:
        thread.join()
    server.shutdown()
    print(f"query size: {len(text.encode()):,} bytes; {still_running} large queries still running after the last ASK")
    print("| ASK {} | median (ms) | slowest (ms) |\n|---|---|---|")
    for name, times in (("alone", alone), ("beside 10 × 99 KB queries", loaded)):
        print(f"| {name} | {statistics.median(times) * 1000:.1f} | {max(times) * 1000:.1f} |")


if __name__ == "__main__":
    main()
