"""The defaults and choices the command line shows, in a module that imports nothing.

``irgraph --help`` (and the options of every command) need these values
before any work starts; the modules that use them (:mod:`irgraph.store`,
:mod:`irgraph.query`, :mod:`irgraph.serve`, :mod:`irgraph.export`,
:mod:`irgraph.explorer_projection`, :mod:`irgraph.visualize`) take them from
here, so that the command line can show them without importing rdflib,
pyoxigraph or networkx (see :mod:`irgraph.cli`).
"""

from __future__ import annotations

#: The in-memory stores, by name.
STORES = ("oxigraph", "memory")
DEFAULT_STORE = "oxigraph"
#: Every form ``--store`` accepts, with what it means (shown in errors and help).
STORE_FORMS = (
    ("oxigraph", "Oxigraph in memory (the default)"),
    ("memory", "rdflib's in-memory store and engine"),
    ("oxigraph:PATH", "a persistent Oxigraph store on disk, filled by 'irgraph load'"),
    ("sparql:QUERY_URL[,GSP_URL]", "a remote SPARQL 1.1 endpoint (GSP_URL: its Graph Store endpoint, for 'irgraph push')"),
)
#: The file in a persistent store's folder that marks it as irgraph's and lists what it holds.
MANIFEST_NAME = "irgraph-store.json"
#: The version in that file (``"irgraph-store": 2``): 2 says the store was filled by an irgraph that refuses
#: RDF 1.2 triple terms, so none is in it; a store of version 1 is searched for them when opened.
STORE_VERSION = 2

#: seconds a query may run, from reading it to the finished answer
DEFAULT_TIMEOUT = 30.0
#: the answer is cut after this many rows (or triples), with a warning
DEFAULT_MAX_ROWS = 1_000_000
#: … or when its terms add up to about this many bytes
DEFAULT_MAX_BYTES = 256 * 1024 * 1024

#: ``irgraph serve``
DEFAULT_PORT = 7878
DEFAULT_MAX_REQUEST_BYTES = 100_000
SERVE_MAX_ROWS = 100_000
SERVE_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

#: JSON-LD export: where the context goes, and the frames there are
CONTEXT_MODES = ("embed", "file", "none")
FRAMES = ("interventions",)

#: the explorer: above this many nodes the command warns and suggests ``--focus``
LARGE_GRAPH = 1000
DEFAULT_DEPTH = 2
DEFAULT_TITLE = "irgraph: HIV immune restoration"
