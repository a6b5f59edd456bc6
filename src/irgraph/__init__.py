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

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:  # what the names below are, for type checkers and editors; imported on first use
    from . import build as build
    from . import describe as describe
    from . import load as load
    from . import query as query
    from . import validate as validate
    from .build import BuildResult, run_build
    from .describe import Description, describe_entity
    from .describe_dataset import dataset_description, to_void
    from .diff import GraphDiff, diff_graphs
    from .export import export_graph, frame_jsonld, to_graphml, to_jsonld, to_nquads, to_ntriples, to_rdfxml, to_turtle
    from .guard import QueryLimits
    from .load import FillResult, LoadedGraph, fill_store, load_data, load_graph, open_graph
    from .namespaces import IR, IRG, compact, expand, prefixes
    from .network import ExplanationPath, Stats, explain_paths, graph_stats, to_networkx
    from .query import QueryResult, check_query, query_graph, run_query, run_saved_query
    from .remote import PushResult, push, remote_graph
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

#: Where each public name lives (``name: module`` or ``name: module:attribute``). Each is
#: imported on first use, so that ``import irgraph`` (and the command line, which starts with
#: it) costs nothing until a function is called: rdflib, pyoxigraph, networkx and pySHACL
#: together take most of a second to import.
_PUBLIC = {
    "BuildResult": "build", "run_build": "build",
    "Description": "describe", "describe_entity": "describe",
    "dataset_description": "describe_dataset", "to_void": "describe_dataset",
    "GraphDiff": "diff", "diff_graphs": "diff",
    "export_graph": "export", "frame_jsonld": "export", "to_graphml": "export", "to_jsonld": "export",
    "to_nquads": "export", "to_ntriples": "export", "to_rdfxml": "export", "to_turtle": "export",
    "QueryLimits": "guard",
    "FillResult": "load", "LoadedGraph": "load", "fill_store": "load", "load_data": "load", "load_graph": "load",
    "open_graph": "load",
    "IR": "namespaces", "IRG": "namespaces", "compact": "namespaces", "expand": "namespaces", "prefixes": "namespaces",
    "ExplanationPath": "network", "Stats": "network", "explain_paths": "network", "graph_stats": "network",
    "to_networkx": "network",
    "QueryResult": "query", "check_query": "query", "query_graph": "query", "run_query": "query",
    "run_saved_query": "query",
    "PushResult": "remote", "push": "remote", "remote_graph": "remote",
    "Problem": "report", "Report": "report",
    "package_version": "resources",
    "make_server": "serve",
    "write_site": "site",
    "DEFAULT_GRAPH_IRI": "store", "StoreSpec": "store", "parse_store": "store",
    "resolve_term": "terms:resolve",
    "validate_graph": "validate",
    "ExplorerPage": "visualize", "explorer_data": "visualize", "explorer_page": "visualize", "to_html": "visualize",
    "write_explorer": "visualize",
    "write_atomic": "writes",
}
#: the submodules that used to be hidden by functions of their names (see irgraph.deprecation)
_CALLABLE_SUBMODULES = ("build", "describe", "load", "query", "validate")


def __getattr__(name: str):
    import importlib

    if name == "__version__":
        from .resources import package_version

        return package_version()
    if name in _CALLABLE_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    where = _PUBLIC.get(name)
    if where is None:
        # any submodule, as when the package imported them all (irgraph.store, irgraph.network …)
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
        raise AttributeError(f"module 'irgraph' has no attribute {name!r}") from None
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(f".{module}", __name__), attribute or name)
    globals()[name] = value  # the next access is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
