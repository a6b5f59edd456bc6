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
from irgraph.processes import ChildTimeout, in_child  # noqa: E402

BASELINE, DEFAULT = "memory", "oxigraph"
STORE_NAMES = {BASELINE: "rdflib memory", DEFAULT: "Oxigraph (default)"}
TARGETS = {
    "query_speedup": 10.0,  # geometric mean over the catalog, at 1M triples
    "load_speedup": 5.0,
    "query_seconds": 1.0,  # every catalog query's median on the default store
    "rss_ratio": 0.5,  # default store's peak RSS / baseline's
    "reopen_seconds": 0.5,
    "build_seconds": 2.0,
}


# --- running one query: the one place the benchmark calls a SPARQL engine -------------


def run_query(graph, text: str, params: dict) -> int:
    """Run ``text`` on ``graph`` with ``params`` bound, through irgraph's own query path; returns the row count."""
    from irgraph.query import run_query as checked_run_query

    result = checked_run_query(graph, text, {name: URIRef(value) for name, value in params.items()})
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
           "triples_per_second": triples / load_seconds, "peak_rss_mb": rss, "queries": {}}
    for name, params in job["queries"].items():
        text = catalog()[name].text

        def measure(text=text, params=params):
            times, rows, begun = [], 0, time.perf_counter()
            for _ in range(repeat):
                run_started = time.perf_counter()
                rows = run_query(graph, text, params)
                times.append(time.perf_counter() - run_started)
                if time.perf_counter() - begun > cap / 2:
                    break
            return {"median": statistics.median(times), "runs": len(times), "rows": rows}

        out["queries"][name] = capped(measure, cap)
    out["export_ntriples"] = capped(lambda: _timed(lambda: irgraph.to_ntriples(graph)), cap)
    out["export_jsonld"] = capped(lambda: _timed(lambda: irgraph.to_jsonld(graph)), cap)
    out["to_networkx"] = capped(lambda: _timed(lambda: irgraph.to_networkx(graph)), cap)
    return out


def worker_fill(job: dict) -> dict:
    """Fill a persistent store from the data."""
    result = irgraph.fill_store(job["path"], [job["data"]])
    return {"triples": result.triples, "seconds": result.seconds, "triples_per_second": result.triples / result.seconds}


def worker_reopen(job: dict) -> dict:
    """Open the persistent store and answer one catalog query, as a later command would."""
    started = time.perf_counter()
    graph = irgraph.load_graph(store=f"oxigraph:{job['path']}")
    rows = run_query(graph, catalog()[job["query"]].text, {})
    return {"seconds": time.perf_counter() - started, "rows": rows}


WORKERS = {"store": worker_store, "fill": worker_fill, "reopen": worker_reopen}


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
    stores = {store: in_subprocess("store", dict(job, store=store), overall) for store in (BASELINE, DEFAULT)}
    path = folder / f"store-{size}"
    fill = in_subprocess("fill", {"path": str(path), "data": str(data)}, overall)
    reopen = in_subprocess("reopen", {"path": str(path), "query": "summary-counts" if "summary-counts" in queries else next(iter(queries))}, overall)
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    return {"size": size, "generated_triples": generated, "stores": stores, "persistent": {"fill": fill, "reopen": reopen}}


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


def _check(value: float | None, target: float, lower_is_better: bool, judged: bool = True) -> str:
    if value is None or not judged:
        return "(at 1M)" if value is not None else "–"
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**not met**"


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
        f"{cap:g} s (\"> {cap:g} s\"); a ratio against a stopped baseline is a lower bound (≥). Command: "
        f"`python benchmarks/run.py --sizes {results['sizes_arg']}`.",
        "",
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
        if fill.get("status") == "ok":
            lines.append(f"| persistent store: `irgraph load` | | {fill['seconds']:.2f} s ({fill['triples_per_second']:,.0f} triples/s) | | |")
        if reopen.get("status") == "ok":
            lines.append(
                f"| persistent store: reopen + `summary-counts` | | {reopen['seconds']:.3f} s "
                f"({reopen['wall_seconds']:.2f} s with Python's start) | | ≤ {TARGETS['reopen_seconds']:g} s: "
                f"{check(reopen['seconds'], TARGETS['reopen_seconds'], True)} |"
            )
        lines.append("")
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
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (the median is reported)")
    parser.add_argument("--build-runs", type=int, default=3, help="runs of irgraph build")
    parser.add_argument("--explorer-nodes", default="500,5000", help="node counts for the explorer's time to interactive")
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
