"""irgraph: a research-intervention knowledge graph for HIV immune restoration.

The public API, usable from Python and notebooks::

    >>> import irgraph
    >>> graph = irgraph.load_graph()
    >>> report = irgraph.validate(irgraph.load())
    >>> report.conforms
    True

A research and education tool, not medical advice.
"""

from .build import BuildResult, build
from .describe_dataset import dataset_description, to_void
from .diff import GraphDiff, diff_graphs
from .errors import (
    IrgraphError, LoadError, QueryError, QueryTimeout, RemoteError, UpdateRefused, UsageError, ValidationFailed,
    WriteError,
)
from .export import export_graph, frame_jsonld, to_jsonld, to_nquads, to_ntriples, to_turtle
from .load import FillResult, LoadedGraph, fill_store, load, load_graph
from .namespaces import IR, IRG, compact, expand, prefixes
from .describe import Description, describe
from .guard import QueryLimits
from .query import QueryResult, check_query, query, run_query
from .network import ExplanationPath, Stats, explain_paths, graph_stats, to_graphml, to_networkx
from .report import Problem, Report
from .serve import make_server
from .store import DEFAULT_GRAPH_IRI, StoreSpec, open_graph, parse_store
from .terms import resolve as resolve_term
from .validate import validate
from .visualize import ExplorerPage, explorer_data, explorer_page, to_html, write_explorer
from .writes import write_atomic

__all__ = [
    "package_version",
    "IR",
    "IRG",
    "BuildResult",
    "ExplorerPage",
    "DEFAULT_GRAPH_IRI",
    "FillResult",
    "PushResult",
    "RemoteError",
    "StoreSpec",
    "fill_store",
    "open_graph",
    "parse_store",
    "push",
    "remote_graph",
    "IrgraphError",
    "LoadError",
    "LoadedGraph",
    "Description",
    "Problem",
    "QueryLimits",
    "QueryResult",
    "UpdateRefused",
    "QueryError",
    "QueryTimeout",
    "Report",
    "UsageError",
    "ValidationFailed",
    "WriteError",
    "__version__",
    "build",
    "check_query",
    "compact",
    "describe",
    "expand",
    "explorer_data",
    "explorer_page",
    "load",
    "load_graph",
    "make_server",
    "prefixes",
    "query",
    "resolve_term",
    "run_query",
    "to_html",
    "to_jsonld",
    "to_networkx",
    "to_ntriples",
    "to_turtle",
    "validate",
    "write_atomic",
    "write_explorer",
    "ExplanationPath",
    "Stats",
    "explain_paths",
    "graph_stats",
    "to_graphml",
    "export_graph",
    "frame_jsonld",
    "to_nquads",
    "GraphDiff",
    "diff_graphs",
    "dataset_description",
    "to_void",
]

#: Imported on first use: only remote stores need the HTTP client, and the
#: command line starts faster without it.
_REMOTE = ("PushResult", "push", "remote_graph")


def package_version() -> str:
    """The installed version of irgraph ("0+unknown" in a source tree that is not installed)."""
    # importlib.metadata is read only when asked: importing it costs more than the rest of the start-up checks
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("irgraph")
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        return package_version()
    if name in _REMOTE:
        from . import remote

        return getattr(remote, name)
    raise AttributeError(f"module 'irgraph' has no attribute {name!r}")
