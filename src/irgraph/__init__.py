"""irgraph: a research-intervention knowledge graph for HIV immune restoration.

The public API, usable from Python and notebooks::

    >>> import irgraph
    >>> graph = irgraph.load_graph()
    >>> report = irgraph.validate(irgraph.load())
    >>> report.conforms
    True

A research and education tool, not medical advice.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("irgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .build import BuildResult, build
from .describe_dataset import dataset_description, to_void
from .diff import GraphDiff, diff_graphs
from .errors import IrgraphError, LoadError, QueryError, QueryTimeout, UsageError, ValidationFailed
from .export import export_graph, frame_jsonld, to_jsonld, to_nquads, to_ntriples, to_turtle, write_atomic
from .load import LoadedGraph, load, load_graph
from .namespaces import IR, IRG, compact, expand, prefixes
from .network import ExplanationPath, Stats, explain_paths, graph_stats, to_graphml, to_networkx
from .report import Problem, Report
from .terms import resolve as resolve_term
from .validate import validate
from .visualize import to_html

__all__ = [
    "IR",
    "IRG",
    "BuildResult",
    "IrgraphError",
    "LoadError",
    "LoadedGraph",
    "Problem",
    "QueryError",
    "QueryTimeout",
    "Report",
    "UsageError",
    "ValidationFailed",
    "__version__",
    "build",
    "compact",
    "expand",
    "load",
    "load_graph",
    "prefixes",
    "resolve_term",
    "to_html",
    "to_jsonld",
    "to_networkx",
    "to_ntriples",
    "to_turtle",
    "validate",
    "write_atomic",
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
