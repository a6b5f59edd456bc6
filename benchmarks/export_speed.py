"""How fast the exports are, as ratios against rdflib's writers measured in the same run.

Not a test: timings depend on the machine. Run it after changing a writer:

    python benchmarks/export_speed.py            # about 100,000 triples
    python benchmarks/export_speed.py 20000      # a smaller graph

The graph is the bundled data copied under fresh IRIs until it reaches the
size asked for. Each writer runs once per repeat; the best time is kept.
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox

import irgraph
from irgraph.export import bundled_context
from irgraph.store import memory_copy, new_graph, ox_triples, oxigraph_store

IR = "https://w3id.org/irgraph/id/"


def big_graph(size: int):
    base = ox_triples(irgraph.load_graph())
    graph = new_graph()
    store = oxigraph_store(graph)
    copy = 0

    def renamed(term):
        return ox.NamedNode(f"{term.value}-{copy}") if isinstance(term, ox.NamedNode) and term.value.startswith(IR) else term

    while len(graph) < size:
        store.extend(ox.Quad(renamed(t.subject), t.predicate, renamed(t.object)) for t in base)
        copy += 1
    return graph


def best(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(size: int) -> None:
    graph = big_graph(size)
    plain = memory_copy(graph)  # rdflib's writers on its own store: the copy is not timed here
    context = bundled_context()
    rows = [
        # what rdflib's compaction costs from the default (Oxigraph) store: a copy, then the writer
        (
            "JSON-LD, store",
            lambda: memory_copy(graph).serialize(format="json-ld", context=context, auto_compact=True),
            lambda: irgraph.to_jsonld(graph),
        ),
        ("compact JSON-LD", lambda: plain.serialize(format="json-ld", context=context, auto_compact=True), lambda: irgraph.to_jsonld(graph)),
        ("Turtle", lambda: plain.serialize(format="turtle"), lambda: irgraph.to_turtle(graph)),
        ("N-Triples", lambda: plain.serialize(format="nt"), lambda: irgraph.to_ntriples(graph)),
    ]
    print(f"{len(graph)} triples; best of 3 runs")
    print(f"{'format':<16} {'rdflib s':>9} {'irgraph s':>10} {'speed-up':>9}")
    for name, baseline, ours in rows:
        slow, fast = best(baseline), best(ours)
        print(f"{name:<16} {slow:>9.2f} {fast:>10.2f} {slow / fast:>8.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
