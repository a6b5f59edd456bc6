"""irgraph: a research-intervention knowledge graph for HIV immune restoration.

The public API, usable from Python and notebooks::

    >>> import irgraph
    >>> graph = irgraph.load_graph()
    >>> report = irgraph.validate_graph(irgraph.load_data())
    >>> report.conforms
    True

The submodules keep their names (``irgraph.query`` is the module); calling
one of the five that used to be functions still works for one release, with
a DeprecationWarning (see :mod:`irgraph.deprecation`).

A research and education tool, not medical advice.
"""

# the submodules that used to be hidden by functions of their names (see irgraph.deprecation)
from . import build as build
from . import describe as describe
from . import load as load
from . import query as query
from . import validate as validate
from .build import BuildResult, run_build
from .describe import Description, describe_entity
from .describe_dataset import dataset_description, to_void
from .diff import GraphDiff, diff_graphs
from .errors import (
    IrgraphError,
    LoadError,
    QueryError,
    QueryTimeout,
    RemoteError,
    UpdateRefused,
    UsageError,
    ValidationFailed,
    WriteError,
)
from .export import export_graph, frame_jsonld, to_graphml, to_jsonld, to_nquads, to_ntriples, to_rdfxml, to_turtle
from .guard import QueryLimits
from .load import FillResult, LoadedGraph, fill_store, load_data, load_graph, open_graph
from .namespaces import IR, IRG, compact, expand, prefixes
from .network import ExplanationPath, Stats, explain_paths, graph_stats, to_networkx
from .query import QueryResult, check_query, query_graph, run_query, run_saved_query
from .report import Problem, Report
from .resources import package_version
from .serve import make_server
from .site import write_site
from .store import DEFAULT_GRAPH_IRI, StoreSpec, parse_store
from .terms import resolve as resolve_term
from .validate import validate_graph
from .visualize import ExplorerPage, explorer_data, explorer_page, to_html, write_explorer
from .writes import write_atomic

__all__ = [
    "DEFAULT_GRAPH_IRI",
    "IR",
    "IRG",
    "BuildResult",
    "Description",
    "ExplanationPath",
    "ExplorerPage",
    "FillResult",
    "GraphDiff",
    "IrgraphError",
    "LoadError",
    "LoadedGraph",
    "Problem",
    "PushResult",
    "QueryError",
    "QueryLimits",
    "QueryResult",
    "QueryTimeout",
    "RemoteError",
    "Report",
    "Stats",
    "StoreSpec",
    "UpdateRefused",
    "UsageError",
    "ValidationFailed",
    "WriteError",
    "__version__",
    "check_query",
    "compact",
    "dataset_description",
    "describe_entity",
    "diff_graphs",
    "expand",
    "explain_paths",
    "explorer_data",
    "explorer_page",
    "export_graph",
    "fill_store",
    "frame_jsonld",
    "graph_stats",
    "load_data",
    "load_graph",
    "make_server",
    "open_graph",
    "package_version",
    "parse_store",
    "prefixes",
    "push",
    "query_graph",
    "remote_graph",
    "resolve_term",
    "run_build",
    "run_query",
    "run_saved_query",
    "to_graphml",
    "to_html",
    "to_jsonld",
    "to_networkx",
    "to_nquads",
    "to_ntriples",
    "to_rdfxml",
    "to_turtle",
    "to_void",
    "validate_graph",
    "write_atomic",
    "write_explorer",
    "write_site",
]

#: Imported on first use: only remote stores need the HTTP client, and the
#: command line starts faster without it.
_REMOTE = ("PushResult", "push", "remote_graph")


def __getattr__(name: str):
    if name == "__version__":
        return package_version()
    if name in _REMOTE:
        from . import remote

        return getattr(remote, name)
    raise AttributeError(f"module 'irgraph' has no attribute {name!r}")
