"""Benchmark irgraph's stores against rdflib's memory store, measured in the same run.

    python benchmarks/run.py --sizes 10k,100k,1m

For each size a synthetic graph shaped like irgraph's is generated
(``benchmarks/generate.py``), then each store is measured in its own
subprocess (so that its peak memory is its own): load time and triples/s,
peak RSS after loading, every catalog query's median time (every ``.rq`` in
``src/irgraph/queries/``; a declared parameter gets the first example its
description gives, resolved in the bundled data, else ``ir:il-2``),
export to N-Triples and JSON-LD, and ``to_networkx``. The persistent store
is filled with ``irgraph load``'s function and reopened and queried in a
fresh process. Once per run: ``irgraph build`` of the bundled data (wall
time, interpreter start included) and, when ``benchmarks/explorer.py`` is
there, the explorer's time to become interactive in headless Chromium.

rdflib's engine can take minutes on one join: every measured operation runs
in a forked child that is stopped at ``--cap`` seconds and reported as
"> cap", never waited for. Ratios are baseline time ÷ Oxigraph time.

Writes ``latest.md`` (a Markdown table) and ``latest.json`` into ``--out``
(default ``benchmarks/results``). A benchmark, not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from rdflib import URIRef  # noqa: E402

import irgraph  # noqa: E402
from generate import generate, parse_size  # noqa: E402
from irgraph.catalog import catalog  # noqa: E402
from irgraph.errors import IrgraphError  # noqa: E402
from irgraph.load import input_files  # noqa: E402
from irgraph.network import BETWEENNESS_SAMPLES  # noqa: E402
from irgraph.processes import ChildTimeout, in_child  # noqa: E402
from irgraph.resources import shapes_file  # noqa: E402

BASELINE, DEFAULT = "memory", "oxigraph"
STORE_NAMES = {BASELINE: "rdflib memory", DEFAULT: "Oxigraph (default)"}
TARGETS = {
    "query_speedup": 10.0,  # geometric mean over the catalog, at 1M triples
    "load_speedup": 5.0,
    "query_seconds": 1.0,  # every catalog query's median on the default store
    "rss_ratio": 0.5,  # default store's peak RSS / baseline's
    "reopen_seconds": 0.5,
    "build_seconds": 2.0,
    "query_seconds_10m": 3.0,  # every catalog question's median on the persistent store at 10M triples
    "load_rss_mb_10m": 2048.0,  # peak RSS of filling the persistent store (irgraph load's function) at 10M triples
}


# --- running one query: the one place the benchmark calls a SPARQL engine -------------


def run_query(graph, text: str, params: dict) -> int:
    """Run ``text`` on ``graph`` with ``params`` bound, through irgraph's own query path; returns the row count."""
    from irgraph.query import run_query as checked_run_query

    # no timeout of irgraph's own: the forked child's cap (capped) stops a query that runs too long
    result = checked_run_query(graph, text, {name: URIRef(value) for name, value in params.items()}, timeout=None)
    return len(result)


#: The entity a parameter gets when its description gives no example: the
#: best-documented intervention of the bundled data, which every generated graph holds.
FALLBACK_SAMPLE = "ir:il-2"


def sample_params(saved, bundled) -> dict[str, str]:
    """A value for each declared parameter: the first example in its description
    (resolved in the bundled data), else :data:`FALLBACK_SAMPLE`."""
    params = {}
    for name, meaning in saved.params:
        match = re.search(r"e\.g\.\s*(\"[^\"]+\"|[^,]+)", meaning)
        candidates = [match.group(1).strip().strip('"')] if match else []
        for candidate in [*candidates, FALLBACK_SAMPLE]:
            try:
                params[name] = str(irgraph.resolve_term(bundled, candidate))
                break
            except IrgraphError:
                continue
    return params


# --- capped measurements in a forked child ---------------------------------------------


def capped(function, cap: float) -> dict:
    """Run ``function`` in a forked child; stop it after ``cap`` seconds.

    Returns ``{"status": "ok", "value": …}``, ``{"status": "cap"}`` or
    ``{"status": "error", "error": …}``.
    """
    try:
        value, _ = in_child(function, timeout=cap)
    except ChildTimeout:
        return {"status": "cap"}
    except Exception as error:
        return {"status": "error", "error": f"{type(error).__name__}: {error}"}
    return {"status": "ok", "value": value}


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# --- the workers (each in its own process) ----------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure_each(run, queries: dict, cap: float, repeat: int) -> dict:
    """Every catalog query's median time through ``run(text, params) -> rows`` (each capped), with its row count."""
    measured = {}
    for name, params in queries.items():
        text = catalog()[name].text

        def measure(text=text, params=params):
            times, rows, begun = [], 0, time.perf_counter()
            for _ in range(repeat):
                run_started = time.perf_counter()
                rows = run(text, params)
                times.append(time.perf_counter() - run_started)
                if time.perf_counter() - begun > cap / 2:
                    break
            return {"median": statistics.median(times), "runs": len(times), "rows": rows}

        measured[name] = capped(measure, cap)
    return measured


def measure_catalog(graph, queries: dict, cap: float, repeat: int) -> dict:
    """Every catalog query's median time on ``graph`` through irgraph's query path (each capped)."""
    return measure_each(lambda text, params: run_query(graph, text, params), queries, cap, repeat)


def worker_store(job: dict) -> dict:
    """Load the data on one store and measure everything on it."""
    store, data, cap, repeat = job["store"], job["data"], job["cap"], job["repeat"]
    started = time.perf_counter()
    loaded = irgraph.load_data([data], store=store)
    load_seconds = time.perf_counter() - started
    rss = _peak_rss_mb()
    graph = loaded.graph
    triples = len(graph)
    out = {"store": store, "triples": triples, "load_seconds": load_seconds,
           "triples_per_second": triples / load_seconds, "peak_rss_mb": rss,
           "queries": measure_catalog(graph, job["queries"], cap, repeat)}
    out["export_ntriples"] = capped(lambda: _timed(lambda: irgraph.to_ntriples(graph)), cap)
    out["export_jsonld"] = capped(lambda: _timed(lambda: irgraph.to_jsonld(graph)), cap)
    out["to_networkx"] = capped(lambda: _timed(lambda: irgraph.to_networkx(graph)), cap)
    return out


def worker_fill(job: dict) -> dict:
    """Fill a persistent store from the data."""
    result = irgraph.fill_store(job["path"], [job["data"]])
    return {"triples": result.triples, "seconds": result.seconds, "triples_per_second": result.triples / result.seconds,
            "peak_rss_mb": _peak_rss_mb()}


def worker_reopen(job: dict) -> dict:
    """Open the persistent store and answer one catalog query, as a later command would."""
    started = time.perf_counter()
    graph = irgraph.load_graph(store=f"oxigraph:{job['path']}")
    rows = run_query(graph, catalog()[job["query"]].text, {})
    return {"seconds": time.perf_counter() - started, "rows": rows}


def engine_query(store, text: str, params: dict) -> int:
    """The limit for one catalog query: the same text on the same store through pyoxigraph alone (the same
    dataset and bindings as irgraph gives it, every row read), with no checks and no conversion; the row count."""
    import pyoxigraph as ox

    from irgraph.namespaces import prefixes

    answer = store.query(text, prefixes=prefixes(), default_graph=ox.DefaultGraph(),
                         substitutions={ox.Variable(k): ox.NamedNode(v) for k, v in params.items()} or None)
    if isinstance(answer, bool):
        return 1
    return sum(1 for _ in answer)


def measure_engine(store, queries: dict, cap: float, repeat: int) -> dict:
    """Every catalog query's median time on the bare engine (:func:`engine_query`), each capped."""
    return measure_each(lambda text, params: engine_query(store, text, params), queries, cap, repeat)


def worker_persistent_queries(job: dict) -> dict:
    """Every catalog query on the persistent store, opened as a command opens it, and the same text on the
    bare engine (the limit), measured in the same process one after the other."""
    from irgraph.store import oxigraph_store

    graph = irgraph.load_graph(store=f"oxigraph:{job['path']}")
    out = {"queries": measure_catalog(graph, job["queries"], job["cap"], job["repeat"]), "peak_rss_mb": _peak_rss_mb()}
    out["engine"] = measure_engine(oxigraph_store(graph), job["queries"], job["cap"], job["repeat"])
    return out


WORKERS = {"store": worker_store, "fill": worker_fill, "reopen": worker_reopen, "persistent_queries": worker_persistent_queries}


def in_subprocess(kind: str, job: dict, timeout: float) -> dict:
    """Run one worker in a fresh Python process; returns its result (or the error) and the wall time."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--worker", kind, json.dumps(job)],
            check=False, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"status": "cap", "wall_seconds": time.perf_counter() - started}
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return {"status": "error", "error": done.stderr.strip()[-2000:], "wall_seconds": wall}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(status="ok", wall_seconds=wall)
    return result


# --- whole commands, and the engine's limit: the same work done by a bare pyoxigraph script ---

#: Minimal pyoxigraph scripts, one per kind of work, each run in a fresh process like the command
#: it is set against: what the engine itself takes, start of Python included. ``sys.argv[1]`` is
#: the persistent store (or the folder to fill), the rest as each says.
LIMIT_SCRIPTS = {
    "import": "import pyoxigraph",
    "load": (
        "import sys, pyoxigraph as ox\n"
        "store = ox.Store(sys.argv[1])\n"
        "for path in sys.argv[2:]:\n"
        "    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit('.', 1)[1]), to_graph=ox.DefaultGraph())\n"
        "store.flush()\n"
    ),
    "dump": (
        "import sys, pyoxigraph as ox\n"
        "ox.Store.read_only(sys.argv[1]).dump(sys.argv[2], format=ox.RdfFormat.from_extension(sys.argv[3]), from_graph=ox.DefaultGraph())\n"
    ),
    "nquads": (  # N-Quads from the files: each file parsed and written in the graph of its name
        "import sys, pyoxigraph as ox\n"
        "with open(sys.argv[2], 'wb') as out:\n"
        "    for path in sys.argv[3:]:\n"
        "        name = ox.NamedNode('file://' + path)\n"
        "        quads = (ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(path=path, format=ox.RdfFormat.from_extension(path.rsplit('.', 1)[1])))\n"
        "        ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)\n"
    ),
    "query": (
        "import sys, pyoxigraph as ox\n"
        "result = ox.Store.read_only(sys.argv[1]).query(open(sys.argv[2], encoding='utf-8').read())\n"
        "result.serialize(sys.stdout.buffer, format=ox.QueryResultsFormat.JSON)\n"
    ),
    "rows": (  # the floor of a query whose answer is cut at a row or size limit: each row read into Python, then written
        "import sys, json, pyoxigraph as ox\n"
        "result = ox.Store.read_only(sys.argv[1]).query(open(sys.argv[2], encoding='utf-8').read())\n"
        "names = [v.value for v in result.variables]\n"
        "rows = [{n: {'value': t.value} for n, t in zip(names, s) if t is not None} for s in result]\n"
        "sys.stdout.write(json.dumps({'head': {'vars': names}, 'results': {'bindings': rows}}))\n"
    ),
    "neighbourhood": (  # the triples of every node within two links of the focus, either direction
        "import sys, pyoxigraph as ox\n"
        "store, focus, depth = ox.Store.read_only(sys.argv[1]), ox.NamedNode(sys.argv[2]), int(sys.argv[3])\n"
        "seen, frontier = {focus}, [focus]\n"
        "for _ in range(depth):\n"
        "    found = []\n"
        "    for node in frontier:\n"
        "        for q in store.quads_for_pattern(node, None, None):\n"
        "            if not isinstance(q.object, ox.Literal) and q.object not in seen: seen.add(q.object); found.append(q.object)\n"
        "        for q in store.quads_for_pattern(None, None, node):\n"
        "            if q.subject not in seen: seen.add(q.subject); found.append(q.subject)\n"
        "    frontier = found\n"
        "print(sum(1 for node in seen for _ in store.quads_for_pattern(node, None, None)))\n"
    ),
    "path": (  # breadth first from one node until the other is reached, links in either direction
        "import sys, pyoxigraph as ox\n"
        "store, start, end = ox.Store.read_only(sys.argv[1]), ox.NamedNode(sys.argv[2]), ox.NamedNode(sys.argv[3])\n"
        "before, frontier = {start: None}, [start]\n"
        "while frontier and end not in before:\n"
        "    found = []\n"
        "    for node in frontier:\n"
        "        near = [q.object for q in store.quads_for_pattern(node, None, None) if not isinstance(q.object, ox.Literal)]\n"
        "        near += [q.subject for q in store.quads_for_pattern(None, None, node)]\n"
        "        for other in near:\n"
        "            if other not in before: before[other] = node; found.append(other)\n"
        "    frontier = found\n"
        "print(end in before)\n"
    ),
    "shacl": (  # SHACL with the fastest engine that gives pySHACL's report: the files bulk-loaded, then validated
        "import sys, pyoxigraph as ox, pyshacl_turbo\n"
        "store = ox.Store()\n"
        "for path in sys.argv[2:]:\n"
        "    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit('.', 1)[1]), to_graph=ox.DefaultGraph())\n"
        "print(pyshacl_turbo.validate(store, shacl_graph=sys.argv[1], inference='none', allow_warnings=True, advanced=True)[0])\n"
    ),
    "counts": (  # what `irgraph stats` does: instances per class, triples per property, sampled betweenness
        "import sys, pyoxigraph as ox, networkx as nx\n"
        "store = ox.Store.read_only(sys.argv[1])\n"
        "for text in ('SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c', 'SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p'):\n"
        "    print(len(list(store.query(text))))\n"
        "kind = ox.NamedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')\n"
        "view = nx.Graph((q.subject.value, q.object.value) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())\n"
        "                if not isinstance(q.object, ox.Literal) and q.predicate != kind and q.subject != q.object)\n"
        "print(len(nx.betweenness_centrality(view, k=min(int(sys.argv[2]), len(view)), normalized=True, seed=0)))\n"
    ),
    "scan": (  # the floor of every export that sorts and streams: each triple of the store read into Python objects
        "import sys, pyoxigraph as ox\n"
        "print(sum(1 for _ in ox.Store.read_only(sys.argv[1]).quads_for_pattern(None, None, None, ox.DefaultGraph())))\n"
    ),
    "networkx": (  # what to_networkx does: every link an edge keyed by its property, every literal a node attribute
        "import sys, pyoxigraph as ox, networkx as nx\n"
        "network, attributes = nx.MultiDiGraph(), {}\n"
        "for q in ox.Store.read_only(sys.argv[1]).quads_for_pattern(None, None, None, ox.DefaultGraph()):\n"
        "    if isinstance(q.object, ox.Literal): attributes.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value\n"
        "    else: network.add_edge(q.subject.value, q.object.value, key=q.predicate.value)\n"
        "network.add_nodes_from(attributes.items())\n"
        "print(network.number_of_edges())\n"
    ),
}

#: the library call the ``to_networkx`` row measures, in a fresh process like the commands
TO_NETWORKX = ("import sys, irgraph\n"
               "print(irgraph.to_networkx(irgraph.load_graph(store='oxigraph:' + sys.argv[1])).number_of_edges())\n")

#: the entities the whole-command rows are about, in every generated graph: an intervention, whose two-link
#: neighbourhood grows with the graph (every intervention of its approach), a study, whose does not, and the
#: other end of a path
FOCUS, SMALL_FOCUS, OTHER_END = "ir:syn-intervention-0", "ir:syn-study-0-1", "ir:il-2"
QUERY_3HOP = HERE / "queries" / "3hop.rq"


#: GNU time, which reports the peak RSS of the command it runs: the rusage that wait4 gives for a
#: child of this process would count the pages it had when forked from the benchmark (the man page
#: of getrusage: usage is preserved across execve)
GNU_TIME = Path("/usr/bin/time").exists()


def run_process(argv: list[str], timeout: float, ok: tuple[int, ...] = (0,), *, said: bool = False) -> dict:
    """Run ``argv`` in a fresh process (its own session); wall time and the peak RSS of that process,
    or ``{"status": "cap"}`` when it is stopped at ``timeout`` seconds (with every process it started).
    With ``said``, what it printed goes into a file (else nowhere) and its end is in ``"said"``."""
    with tempfile.TemporaryDirectory() as scratch:
        errors_path, rss_path, said_path = Path(scratch) / "stderr", Path(scratch) / "rss", Path(scratch) / "stdout"
        command = ["/usr/bin/time", "-f", "%M", "-o", str(rss_path), *argv] if GNU_TIME else argv
        with errors_path.open("wb") as errors, (said_path.open("wb") if said else open(os.devnull, "wb")) as printed:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=printed, stderr=errors, start_new_session=True)
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - started > timeout:
                    os.killpg(process.pid, signal.SIGKILL)
                    os.wait4(process.pid, 0)
                    return {"status": "cap", "wall_seconds": time.perf_counter() - started}
                time.sleep(0.005)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
        if code not in ok:
            return {"status": "error", "error": errors_path.read_bytes().decode("utf-8", "replace").strip()[-2000:], "wall_seconds": wall}
        try:
            peak_kb = float(rss_path.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            peak_kb = usage.ru_maxrss  # an upper bound: it counts the pages forked from this process
        printed_text = said_path.read_bytes().decode("utf-8", "replace")[-500:] if said else ""
    return {"status": "ok", "seconds": wall, "peak_rss_mb": peak_kb / 1024, "said": printed_text}


def _limit(name: str, *args: str) -> list[str]:
    return [sys.executable, "-c", LIMIT_SCRIPTS[name], *args]


def _irgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "irgraph", *args]


#: rows whose work takes long at a million triples: stopped at ``--long-cap``, not ``--cap``, so that their figure shows
LONG_ROWS = ("`irgraph load`", "`irgraph stats`", "`to_networkx`", "`irgraph validate")


def command_rows(path: Path, data: Path, files: list[str], folder: Path, cap: float, long_cap: float) -> list[dict]:
    """Each whole command on the persistent store at ``path`` beside the bare script doing the same work."""
    store = f"oxigraph:{path}"
    focus, other = (str(irgraph.expand(name)) for name in (FOCUS, OTHER_END))
    out = folder / "out"
    out.mkdir(exist_ok=True)
    catalog_file = str(catalog()["summary-counts"].path) if "summary-counts" in catalog() else None
    rows = [
        ("`irgraph --help`", _irgraph("--help"), _limit("import"), "`import pyoxigraph`"),
        ("`irgraph load`", _irgraph("load", "--store", f"oxigraph:{folder / 'load-irgraph'}", "--data", str(data)),
         _limit("load", str(folder / "load-limit"), *files), "`Store.bulk_load` of the same files"),
        ("`irgraph export --format nt`", _irgraph("export", "--store", store, "--format", "nt", "-o", str(out / "a.nt")),
         _limit("dump", str(path), str(out / "b.nt"), "nt"), "`Store.dump` N-Triples"),
        ("`irgraph export --format turtle`", _irgraph("export", "--store", store, "--format", "turtle", "-o", str(out / "a.ttl")),
         _limit("dump", str(path), str(out / "b.ttl"), "ttl"), "`Store.dump` Turtle"),
        ("`irgraph export --format jsonld`", _irgraph("export", "--store", store, "--format", "jsonld", "-o", str(out / "a.jsonld")),
         _limit("dump", str(path), str(out / "c.nt"), "nt"), "`Store.dump` N-Triples"),
        ("(the floor of a sorted, streamed export: no irgraph command)", None, _limit("scan", str(path)),
         "every triple read into Python objects (`quads_for_pattern`)"),
        ("`irgraph export --format nq` (from the files)", _irgraph("export", "--data", str(data), "--format", "nq", "-o", str(out / "a.nq")),
         _limit("nquads", "", str(out / "b.nq"), *files), "parse each file, write N-Quads"),
        ("`irgraph query -f 3hop.rq --format json`", _irgraph("query", "-f", str(QUERY_3HOP), "--format", "json", "--store", store,
                                                           "--max-result-rows", "100000000"),
         _limit("query", str(path), str(QUERY_3HOP)), "open, query, write JSON"),
        ("(the floor of a query whose answer is read row by row, as a row or size limit must: no irgraph command)", None,
         _limit("rows", str(path), str(QUERY_3HOP)), "open, query 3hop.rq, each row into Python, `json.dumps`"),
        (f"`irgraph viz --focus {FOCUS} --depth 2`", _irgraph("viz", "--focus", FOCUS, "--depth", "2", "--store", store, "-o", str(out / "a.html")),
         _limit("neighbourhood", str(path), focus, "2"), "the triples within two links"),
        (f"`irgraph viz --focus {SMALL_FOCUS} --depth 2`",
         _irgraph("viz", "--focus", SMALL_FOCUS, "--depth", "2", "--store", store, "-o", str(out / "b.html")),
         _limit("neighbourhood", str(path), str(irgraph.expand(SMALL_FOCUS)), "2"), "the triples within two links"),
        (f"`irgraph describe {FOCUS}`", _irgraph("describe", FOCUS, "--store", store),
         _limit("neighbourhood", str(path), focus, "1"), "the triples within one link"),
        (f"`irgraph path {FOCUS} {OTHER_END}`", _irgraph("path", FOCUS, OTHER_END, "--store", store),
         _limit("path", str(path), focus, other), "breadth-first search by lookups"),
        ("`irgraph stats`", _irgraph("stats", "--store", store), _limit("counts", str(path), str(BETWEENNESS_SAMPLES)),
         f"the two counting queries, betweenness from {BETWEENNESS_SAMPLES} sources on the links"),
        ("`to_networkx` (the library, from the persistent store)", [sys.executable, "-c", TO_NETWORKX, str(path)],
         _limit("networkx", str(path)), "one scan into a networkx MultiDiGraph"),
        ("`irgraph validate --data`", _irgraph("validate", "--data", str(data)),
         _limit("shacl", str(shapes_file()), *files), "bulk load, pyshacl-turbo"),
        ("imports: `irgraph.store` (rdflib, oxrdflib)", [sys.executable, "-c", "import irgraph.store"],
         _limit("import"), "`import pyoxigraph`"),
        ("imports: `irgraph.network` (and networkx)", [sys.executable, "-c", "import irgraph.network"],
         _limit("import"), "`import pyoxigraph`"),
    ]
    if catalog_file:
        after_3hop = next(i for i, row in enumerate(rows) if row[0].startswith("`irgraph query -f")) + 1
        rows.insert(after_3hop, ("`irgraph query --name summary-counts`", _irgraph("query", "--name", "summary-counts", "--format", "json", "--store", store),
                        _limit("query", str(path), catalog_file), "open, query, write JSON"))
    results = []
    for label, command, limit, limit_label in rows:
        row_cap = long_cap if label.startswith(LONG_ROWS) else cap
        measured = {"label": label, "limit_label": limit_label, "cap": row_cap,
                    "irgraph": (run_process(command, row_cap, ok=(0, 1), said=label.startswith("`irgraph viz"))
                                if command is not None else {"status": "none"}),
                    "limit": run_process(limit, row_cap)}
        page = re.search(r"([\d,]+) nodes", measured["irgraph"].get("said", ""))
        if page:
            measured["label"] = f"{label} ({page.group(1)}-node page)"
        for leftover in ("load-irgraph", "load-limit"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        for written in out.iterdir():
            written.unlink()
        results.append(measured)
    return results


# --- once per run ------------------------------------------------------------------------


def measure_build(runs: int) -> dict:
    """``irgraph build`` of the bundled data, wall time of the whole command (median of ``runs``)."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "irgraph", "build", "--out", folder],
                                  check=False, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                return {"status": "error", "error": done.stderr.strip()[-2000:]}
    return {"status": "ok", "median": statistics.median(times), "runs": runs}


def measure_explorer(node_counts: list[int]) -> dict:
    """The explorer's time to interactive, from ``benchmarks/explorer.py`` when it is there."""
    if not (HERE / "explorer.py").is_file():
        return {"status": "absent", "note": "benchmarks/explorer.py is absent: row skipped"}
    try:
        from explorer import time_to_interactive
    except Exception as error:
        return {"status": "absent", "note": f"benchmarks/explorer.py could not be imported ({type(error).__name__}: {error})"}
    results = {}
    for count in node_counts:
        try:
            results[str(count)] = {"status": "ok", "seconds": time_to_interactive(count)}
        except Exception as error:
            results[str(count)] = {"status": "error", "error": f"{type(error).__name__}: {error}"}
    return {"status": "ok", "nodes": results}


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "cpu": cpu or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"),
        "rdflib": version("rdflib"),
        "irgraph": irgraph.__version__,
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# --- the run -------------------------------------------------------------------------------


def benchmark_size(size: int, folder: Path, args, queries: dict) -> dict:
    data = folder / f"data-{size}"
    data.mkdir()
    with (data / "synthetic.nt").open("w", encoding="utf-8") as handle:
        generated = generate(size, handle)
    job = {"data": str(data), "cap": args.cap, "repeat": args.repeat, "queries": queries}
    # each store in its own process; a generous overall limit, since every step inside is capped
    overall = args.cap * (len(queries) + 4) + 600
    stores = {}
    for store, largest in ((BASELINE, args.baseline_max), (DEFAULT, args.memory_max)):
        stores[store] = (in_subprocess("store", dict(job, store=store), overall) if size <= largest
                         else {"status": "skipped", "error": f"above --{'baseline' if store == BASELINE else 'memory'}-max"})
    path = folder / f"store-{size}"
    fill = in_subprocess("fill", {"path": str(path), "data": str(data)}, overall)
    reopen = in_subprocess("reopen", {"path": str(path), "query": "summary-counts" if "summary-counts" in queries else next(iter(queries))}, overall)
    # two passes over the catalog in this one (irgraph's query path, then the bare engine), each query capped
    on_disk = in_subprocess("persistent_queries", dict(job, path=str(path)), overall + args.cap * len(queries))
    print(f"size {size:,}: whole commands …", file=sys.stderr, flush=True)
    commands = command_rows(path, data, [str(f) for f in input_files([data])], folder, args.cap, args.long_cap)
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    return {"size": size, "generated_triples": generated, "stores": stores,
            "persistent": {"fill": fill, "reopen": reopen, "queries": on_disk}, "commands": commands}


def _seconds(result: dict, key: str = "value") -> float | None:
    if result.get("status") != "ok":
        return None
    value = result.get(key)
    return value["median"] if isinstance(value, dict) else value


def summarise(size_result: dict, cap: float) -> dict:
    """Ratios and target checks for one size."""
    base, fast = size_result["stores"][BASELINE], size_result["stores"][DEFAULT]
    summary: dict = {}
    if base.get("status") == "ok" and fast.get("status") == "ok":
        summary["load_speedup"] = base["load_seconds"] / fast["load_seconds"]
        summary["rss_ratio"] = fast["peak_rss_mb"] / base["peak_rss_mb"]
        logs, lower_bound, slowest = [], False, 0.0
        for name, fast_result in fast["queries"].items():
            fast_s = _seconds(fast_result)
            if fast_s is None:
                slowest = math.inf
                continue
            slowest = max(slowest, fast_s)
            base_result = base["queries"].get(name, {})
            base_s = _seconds(base_result)
            if base_s is None and base_result.get("status") == "cap":
                base_s, lower_bound = cap, True
            if base_s is not None:
                logs.append(math.log(base_s / max(fast_s, 1e-6)))
        if logs:
            summary["query_speedup"] = math.exp(sum(logs) / len(logs))
            summary["query_speedup_is_lower_bound"] = lower_bound
        summary["slowest_query_seconds"] = slowest
    reopen = size_result["persistent"]["reopen"]
    if reopen.get("status") == "ok":
        summary["reopen_seconds"] = reopen["seconds"]
    return summary


def _fmt_seconds(result: dict | None, cap: float, key: str = "value") -> str:
    if not result:
        return "–"
    if result.get("status") == "cap":
        return f"> {cap:g} s"
    if result.get("status") != "ok":
        return "error"
    seconds = _seconds(result, key)
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _ratio(base: dict, fast: dict, cap: float) -> str:
    fast_s = _seconds(fast) if fast and fast.get("status") == "ok" else None
    if fast_s is None:
        return "–"
    if base.get("status") == "cap":
        return f"≥ {cap / max(fast_s, 1e-6):.0f}×"
    base_s = _seconds(base)
    return f"{base_s / max(fast_s, 1e-6):.1f}×" if base_s is not None else "–"


#: The targets are set for this size and above; smaller sizes show them without a verdict.
TARGET_SIZE = 1_000_000


def _check(value: float | None, target: float, lower_is_better: bool, judged: bool = True, at: str = "1M") -> str:
    if value is None or not judged:
        return f"(at {at})" if value is not None else "–"
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**not met**"


#: targets of the whole-command rows (issue 14), by the start of the row's label: what is compared, and the bound
COMMAND_TARGETS = {
    "`irgraph --help`": ("seconds", 0.15),
    "`irgraph export --format nt`": ("ratio", 1.5),
    "`irgraph export --format turtle`": ("ratio", 1.5),
    "`irgraph export --format jsonld`": ("ratio", 3.0),
    "`irgraph query -f 3hop.rq": ("ratio", 1.3),
    "`irgraph viz": ("seconds", 1.0),
    "`irgraph describe": ("seconds", 1.0),
    "`irgraph path": ("seconds", 1.0),
    "`irgraph stats`": ("seconds", 10.0),
    "`to_networkx`": ("seconds", 5.0),
    "`irgraph validate": ("seconds", 20.0),
}
#: and of peak memory, irgraph ÷ the bare script
COMMAND_RSS_TARGETS = {"`irgraph export --format nt`": 2.0, "`irgraph export --format turtle`": 2.0}


def _target_of(label: str, table: dict):
    return next((value for start, value in table.items() if label.startswith(start)), None)


def _run_cell(result: dict, cap: float) -> str:
    if result.get("status") == "none":
        return "–"
    if result.get("status") == "cap":
        return f"> {cap:g} s"
    if result.get("status") != "ok":
        return "error: " + str(result.get("error", ""))[-120:].replace("|", "/").replace("\n", " ")
    return f"{result['seconds']:.2f} s, {result['peak_rss_mb']:,.0f} MB"


def command_ratio(row: dict) -> tuple[float | None, float | None]:
    """irgraph ÷ the bare script, in time and in peak RSS (None when either did not finish)."""
    mine, limit = row["irgraph"], row["limit"]
    if mine.get("status") != "ok" or limit.get("status") != "ok":
        return None, None
    return mine["seconds"] / max(limit["seconds"], 1e-6), mine["peak_rss_mb"] / max(limit["peak_rss_mb"], 1e-6)


def _rdflib_seconds(size_result: dict, label: str, cap: float) -> tuple[float | None, bool]:
    """rdflib's time for the same work, where the benchmark measures it (and whether it is a lower bound)."""
    base = size_result["stores"].get(BASELINE, {})
    if base.get("status") != "ok":
        return None, False
    if label.startswith("`irgraph load`"):
        return base["load_seconds"], False
    for start, key in (("`irgraph export --format nt`", "export_ntriples"), ("`irgraph export --format jsonld`", "export_jsonld")):
        if label.startswith(start):
            result = base.get(key, {})
            if result.get("status") == "cap":
                return base["load_seconds"] + cap, True
            return (base["load_seconds"] + result["value"], False) if result.get("status") == "ok" else (None, False)
    if label.startswith("`irgraph query --name summary-counts`"):
        result = base["queries"].get("summary-counts", {})
        if result.get("status") == "cap":
            return base["load_seconds"] + cap, True
        return (base["load_seconds"] + result["value"]["median"], False) if result.get("status") == "ok" else (None, False)
    return None, False


def _command_lines(size_result: dict, cap: float, judged: bool) -> list[str]:
    rows = size_result.get("commands") or []
    if not rows:
        return []
    lines = [
        "Whole commands on the persistent store, each in a fresh process (Python's start included), beside a bare "
        "pyoxigraph script doing the same work (`LIMIT_SCRIPTS` in `benchmarks/run.py`); rdflib: its memory store's "
        "parse plus the same work, in the benchmark's process:",
        "",
        "| Work | irgraph | bare pyoxigraph | irgraph ÷ limit (time, memory) | rdflib ÷ irgraph | Target |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        label = row["label"]
        time_ratio, rss_ratio = command_ratio(row)
        ratio = f"{time_ratio:.2f}×, {rss_ratio:.2f}×" if time_ratio is not None else "–"
        rdflib_s, bound = _rdflib_seconds(size_result, label, cap)
        mine = row["irgraph"]
        versus = "–"
        if rdflib_s is not None and mine.get("status") == "ok":
            versus = f"{'≥ ' if bound else ''}{rdflib_s / max(mine['seconds'], 1e-6):.1f}×"
        target = _target_of(label, COMMAND_TARGETS)
        verdict = ""
        if target:
            kind, bound_value = target
            value = (mine.get("seconds") if mine.get("status") == "ok" else None) if kind == "seconds" else time_ratio
            verdict = f"≤ {bound_value:g} {'s' if kind == 'seconds' else '× the limit'}: "
            if value is None and mine.get("status") == "cap" and kind == "seconds":
                verdict += "**not met**" if judged else "(at 1M)"
            else:
                verdict += _check(value, bound_value, True, judged)
            rss_bound = _target_of(label, COMMAND_RSS_TARGETS)
            if rss_bound:
                verdict += f"; memory ≤ {rss_bound:g}×: {_check(rss_ratio, rss_bound, True, judged)}"
        row_cap = row.get("cap", cap)
        lines.append(f"| {label} | {_run_cell(mine, row_cap)} | {row['limit_label']}: {_run_cell(row['limit'], row_cap)} | {ratio} | {versus} | {verdict} |")
    return [*lines, ""]


def _persistent_lines(size_result: dict, cap: float, judged: bool) -> list[str]:
    measured = size_result["persistent"].get("queries", {})
    if measured.get("status") != "ok":
        return [f"Catalog on the persistent store: {measured.get('status')} {str(measured.get('error', ''))[-300:]}", ""]
    base = size_result["stores"].get(BASELINE, {})
    engine = measured.get("engine", {})
    lines = ["Every catalog query on the persistent store (opened read-only, as a command opens it), beside the same "
             "text run by pyoxigraph alone on the same store (the engine's limit: no checks, no conversion of the "
             "answer); where a query misses its target by about the engine's own time, the engine bounds it:", "",
             "| query (median) | rdflib memory | Oxigraph on disk | bare pyoxigraph | irgraph ÷ engine | rdflib ÷ irgraph | Target |",
             "|---|---|---|---|---|---|---|"]
    for name, result in measured["queries"].items():
        b = base.get("queries", {}).get(name, {}) if base.get("status") == "ok" else {}
        e = engine.get(name, {})
        over = _ratio(result, e, cap) if e else "–"
        target = TARGETS["query_seconds"] if size_result["size"] <= TARGET_SIZE else TARGETS["query_seconds_10m"]
        lines.append(f"| `{name}` | {_fmt_seconds(b, cap)} | {_fmt_seconds(result, cap)} | {_fmt_seconds(e, cap) if e else '–'} | "
                     f"{over} | {_ratio(b, result, cap) if b else '–'} | ≤ {target:g} s: {_check(_seconds(result), target, True, judged)} |")
    return [*lines, ""]


def headline(results: dict) -> list[str]:
    """One short table: per work, irgraph ÷ the engine's limit and rdflib ÷ irgraph, at the largest size measured."""
    if not results["sizes"]:
        return []
    size_result = results["sizes"][-1]
    cap = results["cap"]
    triples = size_result["stores"].get(DEFAULT, {}).get("triples") or size_result["generated_triples"]
    lines = [f"## Headline, {triples:,} triples", "",
             "| Work | irgraph | irgraph ÷ bare pyoxigraph (time, memory) | rdflib ÷ irgraph |", "|---|---|---|---|"]
    summary = size_result.get("summary", {})
    if "query_speedup" in summary:
        bound = "≥ " if summary.get("query_speedup_is_lower_bound") else ""
        lines.append(f"| catalog, geometric mean of the medians | slowest {summary['slowest_query_seconds']:.2f} s | | {bound}{summary['query_speedup']:.1f}× |")
    for row in size_result.get("commands") or []:
        if row["irgraph"].get("status") == "none":  # a floor: the bare work alone
            lines.append(f"| {row['label']} | – | the floor, {row['limit_label']}: {_run_cell(row['limit'], row.get('cap', cap))} | – |")
            continue
        time_ratio, rss_ratio = command_ratio(row)
        rdflib_s, bound = _rdflib_seconds(size_result, row["label"], cap)
        mine = row["irgraph"]
        versus = f"{'≥ ' if bound else ''}{rdflib_s / max(mine['seconds'], 1e-6):.1f}×" if rdflib_s is not None and mine.get("status") == "ok" else "–"
        ratio = f"{time_ratio:.2f}×, {rss_ratio:.2f}×" if time_ratio is not None else "–"
        lines.append(f"| {row['label']} | {_run_cell(mine, row.get('cap', cap))} | {ratio} | {versus} |")
    return [*lines, ""]


def markdown(results: dict) -> str:
    cap = results["cap"]
    info = results["machine"]
    lines = [
        "# irgraph benchmark",
        "",
        f"Measured {results['date']} on {info['cpu']}, {info['cores']} cores, {info['memory']}, {info['system']}; "
        f"Python {info['python']}, pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}"
        + (f"; load average {info['load_average_at_start']:.1f} at the start (a shared machine)" if info.get("load_average_at_start") is not None else "")
        + ".",
        "",
        f"Ratios are rdflib memory's time ÷ the default store's (higher is better). Every measured step is stopped at "
        f"{cap:g} s (\"> {cap:g} s\"; the whole load, stats, to_networkx and validate at {results.get('long_cap', cap):g} s); "
        f"a ratio against a stopped baseline is a lower bound (≥). Command: "
        f"`python benchmarks/run.py --sizes {results['sizes_arg']}`.",
        "",
        *headline(results),
    ]
    for size_result in results["sizes"]:
        base, fast = size_result["stores"][BASELINE], size_result["stores"][DEFAULT]
        summary = size_result["summary"]
        triples = fast.get("triples") or size_result["generated_triples"]
        judged = size_result["size"] >= TARGET_SIZE

        def check(value, target, lower_is_better, judged=judged):
            return _check(value, target, lower_is_better, judged)

        lines += [f"## {triples:,} triples", ""]
        lines += ["| Measure | rdflib memory | Oxigraph (default) | Ratio | Target |", "|---|---|---|---|---|"]
        if base.get("status") != "ok" or fast.get("status") != "ok":
            for store, result in ((BASELINE, base), (DEFAULT, fast)):
                if result.get("status") != "ok":
                    lines.append(f"| {STORE_NAMES[store]} failed | {result.get('status')} | {str(result.get('error', ''))[:200]} | | |")
        else:
            lines.append(
                f"| Load | {base['load_seconds']:.2f} s ({base['triples_per_second']:,.0f} triples/s) | "
                f"{fast['load_seconds']:.2f} s ({fast['triples_per_second']:,.0f} triples/s) | "
                f"{summary['load_speedup']:.1f}× | ≥ {TARGETS['load_speedup']:g}×: {check(summary['load_speedup'], TARGETS['load_speedup'], False)} |"
            )
            lines.append(
                f"| Peak RSS after loading | {base['peak_rss_mb']:,.0f} MB | {fast['peak_rss_mb']:,.0f} MB | "
                f"{summary['rss_ratio']:.2f} of the baseline | ≤ {TARGETS['rss_ratio']:g}: {check(summary['rss_ratio'], TARGETS['rss_ratio'], True)} |"
            )
            for name in fast["queries"]:
                b, f = base["queries"].get(name, {}), fast["queries"][name]
                fast_s = _seconds(f)
                target = f"≤ {TARGETS['query_seconds']:g} s: {check(fast_s, TARGETS['query_seconds'], True)}"
                lines.append(f"| query `{name}` (median) | {_fmt_seconds(b, cap)} | {_fmt_seconds(f, cap)} | {_ratio(b, f, cap)} | {target} |")
            if "query_speedup" in summary:
                bound = "≥ " if summary.get("query_speedup_is_lower_bound") else ""
                lines.append(
                    f"| **catalog, geometric mean** | | | **{bound}{summary['query_speedup']:.1f}×** | "
                    f"≥ {TARGETS['query_speedup']:g}×: {check(summary['query_speedup'], TARGETS['query_speedup'], False)} |"
                )
            for key, label in (("export_ntriples", "export N-Triples"), ("export_jsonld", "export JSON-LD"), ("to_networkx", "`to_networkx`")):
                lines.append(f"| {label} | {_fmt_seconds(base[key], cap)} | {_fmt_seconds(fast[key], cap)} | {_ratio(base[key], fast[key], cap)} | |")
        fill, reopen = size_result["persistent"]["fill"], size_result["persistent"]["reopen"]
        first = []
        if fill.get("status") == "ok":
            rss = fill.get("peak_rss_mb")
            rss_text = f", peak RSS {rss:,.0f} MB" if rss is not None else ""
            rss_target = (f"≤ {TARGETS['load_rss_mb_10m']:,.0f} MB: "
                          f"{_check(rss, TARGETS['load_rss_mb_10m'], True, size_result['size'] >= 10 * TARGET_SIZE, at='10M')}") if rss is not None else ""
            first.append(f"| persistent store: `irgraph load` | | {fill['seconds']:.2f} s ({fill['triples_per_second']:,.0f} triples/s){rss_text} | | {rss_target} |")
        if reopen.get("status") == "ok":
            first.append(
                f"| persistent store: reopen + `summary-counts` | | {reopen['seconds']:.3f} s "
                f"({reopen['wall_seconds']:.2f} s with Python's start) | | ≤ {TARGETS['reopen_seconds']:g} s: "
                f"{check(reopen['seconds'], TARGETS['reopen_seconds'], True)} |"
            )
        lines += [*first, ""]
        lines += _persistent_lines(size_result, cap, judged)
        lines += _command_lines(size_result, cap, judged)
    build = results["build"]
    lines += ["## Whole commands", "", "| Measure | Time | Target |", "|---|---|---|"]
    if build.get("status") == "ok":
        lines.append(f"| `irgraph build` of the bundled data (wall, median of {build['runs']}) | {build['median']:.2f} s | "
                     f"≤ {TARGETS['build_seconds']:g} s: {_check(build['median'], TARGETS['build_seconds'], True)} |")
    else:
        lines.append(f"| `irgraph build` | error: {build.get('error', '')[:200]} | |")
    explorer = results["explorer"]
    if explorer.get("status") == "ok":
        for count, result in explorer["nodes"].items():
            shown = f"{result['seconds']:.2f} s" if result.get("status") == "ok" else f"error: {result.get('error', '')[:150]}"
            lines.append(f"| explorer time to interactive, {int(count):,} nodes (headless Chromium) | {shown} | |")
    else:
        lines.append(f"| explorer time to interactive | skipped: {explorer.get('note', '')} | |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated sizes in triples, e.g. 10k,100k,1m")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for latest.md and latest.json")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds after which a measured step is stopped")
    parser.add_argument("--long-cap", type=float, default=180.0,
                        help="the same for the whole commands that take long (load, stats, to_networkx, validate)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (the median is reported)")
    parser.add_argument("--build-runs", type=int, default=3, help="runs of irgraph build")
    parser.add_argument("--explorer-nodes", default="500,5000", help="node counts for the explorer's time to interactive")
    parser.add_argument("--baseline-max", type=parse_size, default="2m",
                        help="largest size at which rdflib's memory store is measured (it needs about 2 GB a million triples)")
    parser.add_argument("--memory-max", type=parse_size, default="2m",
                        help="largest size at which Oxigraph in memory is measured; above, the persistent store only")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, job = args.worker
        print(json.dumps(WORKERS[kind](json.loads(job))))
        return 0
    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
        nodes = [int(parse_size(n)) for n in args.explorer_nodes.split(",") if n.strip()]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    bundled = irgraph.load_graph()
    queries = {name: sample_params(saved, bundled) for name, saved in catalog().items()}
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "cap": args.cap,
        "long_cap": args.long_cap,
        "repeat": args.repeat,
        "sizes_arg": args.sizes,
        "targets": TARGETS,
        "query_params": queries,
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="irgraph-benchmark-") as folder:
        for size in sizes:
            print(f"size {size:,}: generating and measuring …", file=sys.stderr, flush=True)
            size_result = benchmark_size(size, Path(folder), args, queries)
            size_result["summary"] = summarise(size_result, args.cap)
            results["sizes"].append(size_result)
    print("irgraph build …", file=sys.stderr, flush=True)
    results["build"] = measure_build(args.build_runs)
    print("explorer …", file=sys.stderr, flush=True)
    results["explorer"] = measure_explorer(nodes)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    (args.out / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
