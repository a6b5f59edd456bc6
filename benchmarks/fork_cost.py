"""What one query's child costs `irgraph serve`: a fork of the server process, by the process's size.

Every request's query runs in a forked child (docs/safety.md), and a fork
copies the process's memory map: it costs more the more the server holds.
Each case runs in a process of its own: the bundled graph on either store,
then that graph beside N generated triples in Oxigraph's memory, then
beside N pairs of Python objects (as an rdflib memory store holds them).

    python benchmarks/fork_cost.py [--triples 3m] [--objects 10m] [--rounds 10]

Prints each process's peak RSS and the median time of a child that returns
at once. Timing belongs here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from generate import parse_size

CASE = """
import json, resource, sys, time
import irgraph
from irgraph.processes import in_child
store, triples, objects, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
graph = irgraph.load_graph(store=store)
held = None
if triples:
    import pyoxigraph as ox
    held = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    held.bulk_extend(ox.Quad(ox.NamedNode(f"http://example.org/{i}"), p, ox.Literal(str(i))) for i in range(triples))
if objects:
    held = [(i, str(i)) for i in range(objects)]
in_child(int, timeout=60)
times = []
for _ in range(rounds):
    started = time.perf_counter()
    in_child(int, timeout=60)
    times.append(time.perf_counter() - started)
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "times": times}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, default=3_000_000)
    parser.add_argument("--objects", type=parse_size, default=10_000_000)
    parser.add_argument("--rounds", type=parse_size, default=10)
    options = parser.parse_args()
    cases = [("bundled graph, oxigraph", "oxigraph", 0, 0), ("bundled graph, memory", "memory", 0, 0),
             (f"+ {options.triples:,} triples in Oxigraph's memory", "oxigraph", options.triples, 0),
             (f"+ {options.objects:,} pairs of Python objects", "oxigraph", 0, options.objects)]
    print("| server process | peak RSS | one child (median) |\n|---|---:|---:|")
    for label, store, triples, objects in cases:
        run = subprocess.run([sys.executable, "-c", CASE, store, str(triples), str(objects), str(options.rounds)],
                             check=True, capture_output=True, text=True)
        measured = json.loads(run.stdout)
        print(f"| {label} | {measured['rss_mb']:,} MB | {statistics.median(measured['times']) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
