"""The ``irgraph`` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints.
Library errors (:class:`~irgraph.errors.IrgraphError`) become a message on
stderr and the documented exit code; there is no traceback for a user mistake.
"""

from __future__ import annotations

import functools
import sys

import click

from . import __version__
from .build import build as build_graph
from .errors import IrgraphError, LoadError, UsageError, ValidationFailed
from .load import load
from .store import DEFAULT_STORE, STORE_FORMS, parse_store
from .validate import validate as validate_graph


def _fail(error: IrgraphError) -> None:
    click.echo(f"irgraph: error: {error}", err=True)
    sys.exit(error.exit_code)


def handle_errors(command):
    """Turn library errors into a message and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationFailed as error:
            click.echo(error.report.to_text(), err=True)
            _fail(error)
        except IrgraphError as error:
            _fail(error)

    return wrapper


def _store_value(ctx, param, value):
    """Check a ``--store`` value with :func:`irgraph.store.parse_store`; a bad one is a usage error (exit 2)."""
    if value is None:
        return value
    try:
        parse_store(value)
    except IrgraphError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    return value


STORE_HELP = "Where the graph is held: " + "; ".join(f"{form} = {meaning}" for form, meaning in STORE_FORMS) + "."


def data_options(command):
    """``--data`` (repeatable) and ``--store``, shared by every command that reads the graph."""
    command = click.option(
        "--store",
        callback=_store_value,
        default=DEFAULT_STORE,
        show_default=True,
        metavar="STORE",
        help=STORE_HELP,
    )(command)
    command = click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=str),
        metavar="DIR",
        help="A folder (or file) of your own RDF data to add to the bundled data; repeatable.",
    )(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="irgraph")
def main() -> None:
    """irgraph: a knowledge graph of attempts to restore the immune system in HIV.

    A research and education tool, not medical advice.

    \b
    Example:
      irgraph build            # validate and write build/irgraph.{ttl,jsonld,html}
    """


@main.command()
@data_options
@click.option(
    "--out",
    "out_dir",
    default="build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write irgraph.ttl, irgraph.jsonld and irgraph.html into.",
)
@handle_errors
def build(data: tuple[str, ...], store: str, out_dir: str) -> None:
    """Load, validate and write the graph as Turtle, JSON-LD and an HTML explorer.

    Outputs are written only when the data is valid, each file atomically.

    \b
    Example:
      irgraph build --out build --data my-data/
    """
    result = build_graph(out_dir, data, store=store)
    click.echo(result.summary())


@main.command()
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
def validate(data: tuple[str, ...], store: str, fmt: str) -> None:
    """Check the data against the ontology, the SHACL shapes and the quality checks.

    Reports every problem at once. Exit code 0: valid; 1: invalid data;
    2: a file could not be read or parsed.

    \b
    Example:
      irgraph validate --data my-data/ --format json
    """
    try:
        report = validate_graph(load(data, store=store))
    except LoadError as error:
        if fmt == "json" and error.report is not None:
            click.echo(error.report.to_json())
            sys.exit(error.exit_code)
        _fail(error)
    except IrgraphError as error:
        _fail(error)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(0 if report.conforms else 1)


# --- stores: irgraph load, irgraph push -------------------------------------


class _Progress:
    """A click progress bar on stderr, opened at the first report (when the total is known)."""

    def __init__(self, label: str, show) -> None:
        self.label = label
        self.show = show
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int, item=None) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr,
                                         item_show_func=self.show, show_pos=False)
            self.bar.__enter__()
        self.bar.update(max(done - self.done, 0), current_item=item)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command(name="load")
@click.option("--store", "store", required=True, callback=_store_value, metavar="oxigraph:PATH",
              help="The folder of the persistent Oxigraph store to fill (created, or replaced when it holds an irgraph store).")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=str), metavar="DIR",
              help="A folder or file of RDF (.ttl, .nt, .nq, .trig, .jsonld) to load with the bundled data; repeatable.")
@handle_errors
def load_command(store: str, data: tuple[str, ...]) -> None:
    """Fill a persistent store on disk once, so later commands open it instead of parsing.

    Loads the ontology, the bundled data and every --data file in one bulk
    load, with a progress bar (triples per second). Atomic: the new store is
    built next to the old one and replaces it only when every file loaded; a
    bad line is reported with its file and line and the store stays as it
    was.

    \b
    Example:
      irgraph load --store oxigraph:irgraph-store --data trials/ --data ontologies/
      irgraph query interventions --store oxigraph:irgraph-store
    """
    from .load import fill_store
    from .store import PERSISTENT

    spec = parse_store(store)
    if spec.kind != PERSISTENT:
        raise UsageError(f"irgraph load fills a store on disk: give --store oxigraph:PATH, not {spec} "
                         "(to upload to a server, use irgraph push)")
    progress = _Progress("loading", lambda p: f"{p.triples:,} triples, {p.triples_per_second:,.0f}/s" if p else "")
    try:
        result = fill_store(spec.path, data, progress=lambda p: progress(p.bytes_done, p.bytes_total, p))
    finally:
        progress.close()
    click.echo(result.summary())


@main.command()
@click.option("--store", "store", required=True, callback=_store_value, metavar="sparql:QUERY_URL,GSP_URL",
              help="The remote store: its SPARQL query URL and its Graph Store Protocol URL.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=str), metavar="DIR",
              help="A folder (or file) of your own RDF data to push with the bundled data; repeatable.")
@click.option("--from", "source", default=DEFAULT_STORE, show_default=True, callback=_store_value, metavar="STORE",
              help="Where the graph to push is read: oxigraph (parse the files), or oxigraph:PATH (a filled store).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None,
              help="The named graph to write [default: the store's graph, https://w3id.org/irgraph/graph].")
@click.option("--replace/--add", "replace", default=True, show_default=True,
              help="--replace: the named graph holds exactly this graph afterwards (HTTP PUT); --add: add to it (POST).")
@click.option("--batch-size", type=click.IntRange(min=1), default=50_000, show_default=True, metavar="TRIPLES",
              help="Triples per request.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for the server to answer each request.")
@handle_errors
def push(store: str, data: tuple[str, ...], source: str, graph_iri: str | None, replace: bool,
         batch_size: int, timeout: float) -> None:
    """Upload the graph into a named graph of a SPARQL server (Graph Store Protocol).

    Credentials are read from the environment variables IRGRAPH_SPARQL_USER
    and IRGRAPH_SPARQL_PASSWORD (HTTP digest or basic authentication, as
    the server asks), never from the command line. Exit code 2 when the
    server cannot be reached or refuses the upload.

    \b
    Example:
      export IRGRAPH_SPARQL_USER=dba IRGRAPH_SPARQL_PASSWORD=…
      irgraph push --store sparql:http://localhost:8890/sparql,http://localhost:8890/sparql-graph-crud-auth
      irgraph query interventions --store sparql:http://localhost:8890/sparql
    """
    from .remote import push as push_graph

    graph = load(data, store=source).graph
    progress = _Progress("pushing", None)
    try:
        result = push_graph(graph, store, graph_iri=graph_iri, mode="replace" if replace else "add",
                            batch_size=batch_size, timeout=timeout, progress=progress)
    finally:
        progress.close()
    click.echo(result.summary())
