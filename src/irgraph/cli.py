"""The ``irgraph`` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints.
Library errors (:class:`~irgraph.errors.IrgraphError`) become a message on
stderr and the documented exit code; there is no traceback for a user mistake.
"""

from __future__ import annotations

import sys
import time
import traceback
from typing import Any

import click

from . import formats
from .console import printable, quiet_ill_typed_literals
from .defaults import (
    CONTEXT_MODES,
    DEFAULT_DEPTH,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REQUEST_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_PORT,
    DEFAULT_STORE,
    DEFAULT_TIMEOUT,
    DEFAULT_TITLE,
    FRAMES,
    LARGE_GRAPH,
    SERVE_MAX_RESPONSE_BYTES,
    SERVE_MAX_ROWS,
    STORE_FORMS,
)
from .errors import IrgraphError, LoadError, QueryTimeout, UsageError, ValidationFailed

# Each command imports what it needs when it runs: rdflib, pyoxigraph, networkx,
# pySHACL and jinja2 take most of a second to import, which every command
# (and `irgraph --help`) paid before any work started. tests/test_cli.py
# checks which modules `irgraph --help` imports.

#: SELECT and ASK results, CONSTRUCT and DESCRIBE graphs: the query command's --format choices
ALL_FORMATS = formats.names(formats.SELECT, formats.CONSTRUCT)
SERVE_MAX_BYTES = SERVE_MAX_RESPONSE_BYTES


def load_data(data, store):
    """:func:`irgraph.load.load_data`, imported when a command first needs the graph."""
    from .load import load_data as load

    return load(data, store=store)


#: Exit code of an internal error (a bug in irgraph): EX_SOFTWARE of sysexits.h.
EXIT_INTERNAL_ERROR = 70
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
REPORT_TO = "the irgraph issue tracker"


def echo(message: str, *, err: bool = False, nl: bool = True, machine: bool = False) -> None:
    """Print ``message``; text for people, and anything bound for a terminal, shows control characters as escapes.

    Labels, literals and server messages come from files and servers: an
    escape sequence in them must not set the terminal's title or clear its
    screen. Machine formats written to a pipe or file stay byte for byte.
    """
    stream = sys.stderr if err else sys.stdout
    if not machine or stream.isatty():
        message = printable(message)
    click.echo(message, err=err, nl=nl)


def _fail(error: IrgraphError) -> None:
    echo(f"irgraph: error: {error}", err=True)
    sys.exit(error.exit_code)


class IrgraphGroup(click.Group):
    """The command group: every command's errors become one message and the documented exit code.

    :class:`~irgraph.errors.IrgraphError`: its message, and its exit code
    (the validation report first for invalid data); Ctrl-C: one line, exit
    130; any other exception is a bug in irgraph: one line naming it and
    where to report it, exit :data:`EXIT_INTERNAL_ERROR`, and the traceback
    only with ``irgraph --debug``. click's own usage errors keep exit 2.
    """

    def invoke(self, ctx: click.Context):
        try:
            with quiet_ill_typed_literals():  # validate and build report each one; elsewhere it is noise
                return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ValidationFailed as error:
            echo(error.report.to_text(), err=True)
            _fail(error)
        except IrgraphError as error:
            _fail(error)
        except KeyboardInterrupt:
            echo("irgraph: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as error:
            if ctx.params.get("debug"):
                traceback.print_exc()
            echo(
                f"irgraph: internal error (a bug in irgraph): {type(error).__name__}: {error}\n"
                f"Please report it to {REPORT_TO} with the command you ran"
                + ("." if ctx.params.get("debug") else "; 'irgraph --debug COMMAND …' shows the traceback."),
                err=True,
            )
            sys.exit(EXIT_INTERNAL_ERROR)


def _store_value(ctx, param, value):
    """Check a ``--store`` value with :func:`irgraph.store_spec.parse_store`; a bad one is a usage error (exit 2)."""
    if value is None:
        return value
    from .store_spec import parse_store

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


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    # the version is looked up only when asked for (reading package metadata slows every start)
    if value and not ctx.resilient_parsing:
        from .resources import package_version

        echo(f"irgraph, version {package_version()}")
        ctx.exit()


FOLLOW_SYMLINKS = click.option(
    "--follow-symlinks", is_flag=True,
    help="When the output path is a symbolic link, write to what it points at (refused otherwise).",
)


@click.group(cls=IrgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error (a bug in irgraph).")
def main(debug: bool) -> None:
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
    help="Folder to write irgraph.ttl, irgraph.jsonld, irgraph.html and void.ttl into (replaced whole).",
)
@FOLLOW_SYMLINKS
def build(data: tuple[str, ...], store: str, out_dir: str, follow_symlinks: bool) -> None:
    """Load, validate and write the graph as Turtle, JSON-LD and an HTML explorer.

    Outputs are written only when the data is valid, into a new folder that
    takes the old one's place in one step. A folder holding other files is
    refused.

    \b
    Example:
      irgraph build --out build --data my-data/
    """
    from .build import OUTPUT_NAMES, write_build
    from .writes import checked_output_folder

    checked_output_folder(out_dir, OUTPUT_NAMES, follow_symlinks=follow_symlinks)  # refused before the work
    result = write_build(load_data(data, store=store), out_dir, follow_symlinks=follow_symlinks)
    echo(result.summary())


def _report_format(*choices: str):
    """``--format``: the first choice for people, the second for machines."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help=f"{choices[0]} for people, {choices[1]} for machines.")


@main.command()
@data_options
@_report_format("text", "json")
def validate(data: tuple[str, ...], store: str, fmt: str) -> None:
    """Check the data against the ontology, the SHACL shapes and the quality checks.

    Reports every problem at once. Exit code 0: valid; 1: invalid data;
    2: a file could not be read or parsed.

    \b
    Example:
      irgraph validate --data my-data/ --format json
    """
    from .validate import validate_graph

    try:
        report = validate_graph(load_data(data, store=store))
    except LoadError as error:
        if fmt != "json" or error.report is None:
            raise
        echo(error.report.to_json(), machine=True)  # machines get the parse problems as JSON too
        sys.exit(error.exit_code)
    echo(report.to_json() if fmt == "json" else report.to_text(), machine=fmt == "json")
    sys.exit(0 if report.conforms else 1)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param takes NAME=VALUE, not {pair!r}")
        params[name.strip().lstrip("?")] = value
    return params


def _read_query_file(handle) -> str:
    """The text of ``-f FILE`` (or stdin), which must be UTF-8."""
    data = handle.read()
    name = getattr(handle, "name", "the query file")
    try:
        return data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UsageError(f"{name}: line {line}: not UTF-8 (byte {data[error.start]:#04x} at offset {error.start}); "
                         "save the query as UTF-8") from None


@main.command()
@data_options
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("rb"), help="Read the query from a file ('-' for stdin), in UTF-8.")
@click.option("--name", "name", help="Run a catalog query by name (see --list).")
@click.option("--list", "list_catalog", is_flag=True,
              help="List the catalog: the research questions, then irgraph's own queries (checks, counts); name, title, description.")
@click.option("--wide", is_flag=True, help="Table output: keep each row on one line (long text is otherwise wrapped to the terminal width).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter; for catalog queries an entity by IRI, compact name, label or synonym. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(ALL_FORMATS), default=None,
              help=f"SELECT and ASK: {', '.join(formats.names(formats.SELECT))} (default table); "
                   f"CONSTRUCT and DESCRIBE: {', '.join(formats.names(formats.CONSTRUCT))} (default turtle).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop the query after this many seconds, from reading it to printing the answer (exit code 3).")
@click.option("--max-result-rows", "max_rows", type=click.IntRange(min=1), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Cut the answer after this many rows (or triples), with a warning.")
@click.option("--max-result-bytes", "max_bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Cut the answer when its terms add up to about this many bytes, with a warning.")
def query(data, store, sparql, query_file, name, list_catalog, wide, params, fmt, timeout, max_rows, max_bytes) -> None:
    """Run a SPARQL query: inline, from a file, from stdin, or from the catalog by name.

    The project's prefixes (irg, ir, rdfs, skos, prov, dcterms, schema, obo …)
    are predeclared. SERVICE, FROM and updates are refused. ASK prints
    true/false and exits 0/1.

    \b
    Examples:
      irgraph query --list
      irgraph query --name findings-for-intervention --param intervention=IL-2
      irgraph query 'SELECT ?i ?label WHERE { ?i a irg:Intervention ; rdfs:label ?label }'
      irgraph query -f my-question.rq --format csv
    """
    from .catalog import catalog, catalog_listing, saved_query
    from .direct_query import direct_answer
    from .guard import ASK, QueryLimits

    if list_catalog:
        echo(catalog_listing())
        return
    sources = [s for s in (sparql, query_file, name) if s is not None]
    if len(sources) != 1:
        raise UsageError("give exactly one query: inline text, -f FILE (or -f - for stdin), or --name NAME; --list shows the catalog")
    text = name if name is not None else (_read_query_file(query_file) if query_file else sparql)
    if name and name not in catalog():
        saved_query(name)  # raises with the list of names
    limits = QueryLimits(max_rows=max_rows, max_bytes=max_bytes)
    try:
        # JSON from a persistent store: written from Oxigraph's terms, without importing rdflib (the same answer)
        started = time.monotonic()
        answer = direct_answer(store, text, fmt, data=data, params=params, timeout=timeout, limits=limits)
        if answer is None:  # the full path answers, within what is left of the limit
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                raise QueryTimeout("the time limit was spent", seconds=timeout)
            answer = _full_query(data, store, text, params, fmt, wide, left, limits)
        kind, boolean, truncated, output = answer
    except QueryTimeout as error:
        if error.seconds is None:  # a remote server's own limit: its message says more
            raise
        # a query that could not be cancelled ends with this process, which exits now
        raise QueryTimeout(
            f"the query ran longer than {timeout:g} s and was stopped; "
            "narrow it (LIMIT, more specific patterns) or raise --timeout"
        ) from None
    echo(output, nl=False, machine=fmt not in (None, "table", "md"))
    if truncated:
        echo(f"irgraph: warning: {truncated}", err=True)
    if kind == ASK:
        sys.exit(0 if boolean else 1)


def _full_query(data, store, text, params, fmt, wide, timeout, limits) -> tuple:
    """``irgraph query`` on any store: the graph loaded or opened, the answer rendered in the query's child."""
    from .guard import ASK, GRAPH
    from .query import query_graph
    from .results import render, to_wide_table

    graph = load_data(data, store=store).graph

    def rendered(result):  # in the query's child: only what is printed comes back
        chosen = fmt or ("turtle" if result.kind == GRAPH else "table")
        text = to_wide_table(result) if wide and chosen == "table" and result.kind != ASK else render(result, chosen)
        return result.kind, result.boolean, result.truncated, text

    # isolated: a child killed at the limit is a hard stop, even while the engine parses (which holds the GIL)
    return query_graph(graph, text, _parse_params(params), timeout=timeout, isolate=True, limits=limits, then=rendered)


@main.command()
@data_options
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def describe(data, store, term, fmt) -> None:
    """Everything the graph says about one entity: type, names, definition, links in and out, sources.

    TERM is an IRI, a compact name (ir:il-2), a label or a synonym.

    \b
    Examples:
      irgraph describe IL-2
      irgraph describe Immunitin --format json
    """
    from .describe import describe_entity

    description = describe_entity(load_data(data, store=store).graph, term)
    echo(description.to_json() if fmt == "json" else description.to_text(), nl=fmt == "json", machine=fmt == "json")


@main.command()
@data_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless you say otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="Port (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Per-query time limit in seconds, from receiving the query to the finished answer.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from this origin (e.g. https://example.org) to query; repeatable. None by default.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (besides the address listened on, and localhost "
                   "on loopback); repeatable.")
@click.option("--max-request-bytes", type=click.IntRange(min=1000), default=DEFAULT_MAX_REQUEST_BYTES, show_default=True,
              help="Largest query or request body accepted.")
@click.option("--max-result-rows", "max_rows", type=click.IntRange(min=1), default=SERVE_MAX_ROWS, show_default=True,
              help="Cut answers after this many rows or triples (the Irgraph-Truncated header says so).")
@click.option("--max-result-bytes", "max_bytes", type=click.IntRange(min=1000), default=SERVE_MAX_BYTES,
              show_default=True, help="Cut answers whose terms add up to about this many bytes.")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=None,
              help="Queries running at once; more wait for a free slot within their time limit [default: 8 per CPU].")
def serve(data, store, host, port, timeout, cors_origins, allowed_hosts, max_request_bytes, max_rows, max_bytes,
          max_concurrent) -> None:
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql.

    Updates, LOAD, SERVICE and FROM are refused; each query runs in a
    child process without network access, killed at the time limit.
    In a browser: a SPARQL editor at http://HOST:PORT/ and a page for every
    entity at /id/ (RDF too, by Accept or .ttl/.jsonld/.nt/.rdf), all
    working with no internet. Stop with Ctrl-C.

    \b
    Example:
      irgraph serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a irg:Intervention }' http://127.0.0.1:7878/sparql
    """
    from .serve import make_server

    graph = load_data(data, store=store).graph
    server = make_server(graph, host, port, timeout=timeout, cors_origins=cors_origins, max_request_bytes=max_request_bytes,
                         max_rows=max_rows, max_response_bytes=max_bytes, allowed_hosts=allowed_hosts,
                         max_concurrent=max_concurrent)
    echo(f"irgraph SPARQL endpoint: {server.endpoint_url} (read-only; Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# ---- irgraph site: the entity pages as static files -------------------------

@main.command()
@data_options
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option("--no-explorer", is_flag=True, help="Leave out explorer.html (the whole graph's explorer).")
@FOLLOW_SYMLINKS
def site(data, store, folder, no_explorer, follow_symlinks) -> None:
    """Write a page for every entity, with its RDF, as static files in FOLDER (written whole, in one step).

    FOLDER/index.html lists every entity by class; each entity has
    SLUG.html beside SLUG.ttl, SLUG.jsonld, SLUG.nt and SLUG.rdf. The
    pages need no server and no connection (open index.html from disk) and
    work on any static host; docs/workbench.md shows the w3id redirects
    that make the IRIs resolve there. A FOLDER holding other files is refused.

    \b
    Example:
      irgraph site public/
      irgraph site --data my-data/ --no-explorer public/
    """
    from .site import write_site

    result = write_site(load_data(data, store=store).graph, folder, explorer=not no_explorer,
                        follow_symlinks=follow_symlinks)
    echo(result.summary())


# ---- irgraph claims: the claim ledger ----------------------------------------

@main.command()
@data_options
@click.option("--format", "fmt", type=click.Choice(formats.names(formats.LEDGER)), default="text", show_default=True,
              help=formats.help_text(formats.LEDGER) + ".")
@click.option("--claim", "claim", metavar="TERM",
              help="Only this claim (or statement): a label, synonym, compact name (ir:claim-…) or IRI.")
def claims(data: tuple[str, ...], store: str, fmt: str, claim: str | None) -> None:
    """The fact sheet re-read against the later evidence: the claim ledger, claim by claim.

    For each claim (and each other statement an evidence line bears on):
    its text and sources, its status and the curators' certainty with the
    GRADE reasons for rating it down, the counts of later findings that
    support, contradict and qualify it, and those evidence lines by
    direction, each with its study (design, N), strength, rationale and
    source. Computed from the evidence lines, never typed by hand. A
    research and education tool, not medical advice.

    \b
    Examples:
      irgraph claims
      irgraph claims --claim "IL-2's large CD4 increases make the immune system stronger"
      irgraph claims --format csv > ledger.csv
    """
    from .claims import claim_ledger

    ledger = claim_ledger(load_data(data, store=store).graph, claim)
    output = formats.for_kind(formats.LEDGER, fmt).write(ledger)
    click.echo(printable(output) if fmt == "text" else output, nl=False)  # data must not steer a terminal


# ---- irgraph plot: figures for slides and papers ------------------------------

@main.group()
def plot() -> None:
    """Figures drawn from the graph, for slides and papers (SVG or PNG).

    \b
    Example:
      irgraph plot forest --claim "The CD4 count is a good gauge of immune function" -o cd4.svg
    """


@plot.command()
@data_options
@click.option("--claim", metavar="TERM", help="Only the findings whose evidence lines bear on this claim, marked by direction.")
@click.option("--intervention", metavar="TERM", help="Only the findings about this intervention (or one narrower).")
@click.option("--format", "fmt", type=click.Choice(formats.names(formats.FIGURE)), default=None,
              help=formats.help_text(formats.FIGURE) + " [default: from the suffix of -o, else svg].")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The file to write (atomically), e.g. forest.svg or forest.png.")
@click.option("--width", type=click.IntRange(min=1), default=1600, show_default=True, help="Width in pixels.")
@click.option("--height", type=click.IntRange(min=1), default=None,
              help="Height in pixels [default: what the rows need; a smaller one is refused].")
@click.option("--title", default=None, help="The title [default: says what is drawn].")
@FOLLOW_SYMLINKS
def forest(data: tuple[str, ...], store: str, claim: str | None, intervention: str | None, fmt: str | None, output: str,
           width: int, height: int | None, title: str | None, follow_symlinks: bool) -> None:
    """A forest plot of every finding with an effect estimate and interval.

    A row per finding (study, design and N, comparison, estimate and
    interval as the source prints them, source); ratios on a log axis with
    the null line at 1, differences in panels of their own with the null
    line at 0. --claim marks each row by the direction of its evidence
    line. Exit code 2 for an unknown claim or intervention, or when nothing
    selected has an estimate with an interval.

    \b
    Examples:
      irgraph plot forest -o forest.svg
      irgraph plot forest --claim ir:claim-cd4-count-measures-immune-function -o cd4.png
      irgraph plot forest --intervention IL-2 --width 1200 -o il-2.svg
    """
    from .forest import save_forest_plot
    from .writes import checked_output_file

    checked_output_file(output, follow_symlinks=follow_symlinks)  # refused before the work
    written = save_forest_plot(load_data(data, store=store).graph, output, fmt=fmt, follow_symlinks=follow_symlinks,
                               claim=claim, intervention=intervention, width=width, height=height, title=title)
    click.echo(f"wrote {written}", err=True)


# ---- irgraph viz: the interactive explorer ----------------------------------



@main.command()
@data_options
@click.option(
    "-o",
    "--out",
    "out",
    default="irgraph.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="The HTML file to write (atomically).",
)
@click.option(
    "--focus",
    metavar="TERM",
    help="Draw only the neighbourhood of this entity: a label, synonym, compact name (ir:il-2) or IRI.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help=f"With --focus: how many links away from it to draw [default: {DEFAULT_DEPTH}].",
)
@click.option(
    "--include-classes",
    "include_classes",
    multiple=True,
    metavar="CLASS[,CLASS...]",
    help="Draw only nodes of these classes (compact names such as irg:Finding; subclasses count); repeatable.",
)
@click.option(
    "--exclude-classes",
    "exclude_classes",
    multiple=True,
    metavar="CLASS[,CLASS...]",
    help="Do not draw nodes of these classes; repeatable.",
)
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="The page's title.")
@click.option(
    "--entity-pages",
    metavar="PATTERN",
    default=None,
    help="Link each entity's details to its own page: an address with {slug}, relative "
    "(id/{slug}.html, for 'irgraph site') or http(s) (https://example.org/id/{slug}). Off by default.",
)
@FOLLOW_SYMLINKS
def viz(
    data: tuple[str, ...],
    store: str,
    out: str,
    focus: str | None,
    depth: int | None,
    include_classes: tuple[str, ...],
    exclude_classes: tuple[str, ...],
    title: str,
    entity_pages: str | None,
    follow_symlinks: bool,
) -> None:
    """Write the interactive explorer: one HTML file that works offline.

    Click a node for its details and sources; search names and synonyms;
    filter by class, approach and trial phase; show an intervention's
    evidence trail. The data is drawn as it is (check it with 'irgraph
    validate'). Above {large} nodes a warning suggests --focus.

    \b
    Example:
      irgraph viz -o irgraph.html
      irgraph viz --focus IL-2 --depth 2 -o il-2.html
      irgraph viz --include-classes irg:Intervention,irg:ClinicalStudy --title "Studies"
      irgraph viz --entity-pages 'id/{slug}.html' -o site/explorer.html
    """
    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus TERM (the entity to draw the neighbourhood of)")
    from .visualize import save_explorer
    from .writes import checked_output_file

    checked_output_file(out, follow_symlinks=follow_symlinks)  # refused before the work
    page = save_explorer(
        load_data(data, store=store).graph,
        out,
        follow_symlinks=follow_symlinks,
        title=title,
        focus=focus,
        depth=DEFAULT_DEPTH if depth is None else depth,
        include_classes=include_classes,
        exclude_classes=exclude_classes,
        entity_pages=entity_pages,
    )
    for warning in page.warnings:
        echo(f"irgraph: warning: {warning}", err=True)
    echo(f"wrote {page.path}: {page.node_count} nodes, {page.edge_count} links")


viz.help = (viz.help or "").replace("{large}", f"{LARGE_GRAPH:,}")


# ---- export, stats, path, diff ---------------------------------------------

@main.command()
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats.names(formats.GRAPH)),
    default="jsonld",
    show_default=True,
    help=formats.help_text(formats.GRAPH) + ".",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=str),
    help="File to write (atomically); standard output when left out. For kgx and kgx-jsonl: the folder to write "
         "(replaced whole, in one step).",
)
@click.option(
    "--context",
    type=click.Choice(CONTEXT_MODES),
    default="embed",
    show_default=True,
    help="JSON-LD: embed the context, refer to it by its IRI (file), or none (full IRIs).",
)
@click.option(
    "--frame",
    type=click.Choice(FRAMES),
    help="JSON-LD: one nested object per intervention with its studies, findings and sources.",
)
@click.option("--no-provenance", "provenance", is_flag=True, flag_value=False, default=True,
              help="GraphML: leave out the sources and the links that say where statements come from.")
@FOLLOW_SYMLINKS
def export(data: tuple[str, ...], store: str, fmt: str, output: str | None, context: str, frame: str | None,
           provenance: bool, follow_symlinks: bool) -> None:
    """Write the graph in a format other tools read.

    Nothing is validated here (run 'irgraph validate' or 'irgraph build');
    the file is written only when the whole export succeeded.

    \b
    Example:
      irgraph export --format jsonld --frame interventions -o interventions.jsonld
      irgraph export --format graphml --no-provenance -o irgraph.graphml
      irgraph export --format kgx -o kgx/          # nodes.tsv, edges.tsv (Biolink)
      irgraph export --format sssom -o irgraph.sssom.tsv
      irgraph export --format nt | sort | head
    """
    from .export import export_format, export_loaded, export_to
    from .writes import checked_output_file, write_atomic

    entry = export_format(fmt, context, frame, provenance=provenance)  # wrong options and paths refused before the work
    if entry.writes == "folder":
        _export_folder(data, store, entry, output, follow_symlinks)
        return
    if output:
        checked_output_file(output, follow_symlinks=follow_symlinks)
    loaded = load_data(data, store=store)

    def stream_to(out) -> None:
        export_to(loaded, out, fmt, context=context, frame=frame, provenance=provenance)

    if output:  # streamed into the new file: a big store is never whole in memory
        written = write_atomic(output, stream_to, follow_symlinks=follow_symlinks)
        echo(f"wrote {written}", err=True)
    elif not sys.stdout.isatty():  # a pipe or a file: the bytes as they are, as they come
        sys.stdout.flush()
        stream_to(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:  # a terminal: shown with control characters escaped (see echo)
        echo(export_loaded(loaded, fmt, context=context, frame=frame, provenance=provenance), nl=False, machine=True)


def _export_folder(data, store, entry, output: str | None, follow_symlinks: bool) -> None:
    """``export`` of a format that writes a folder (KGX): the folder is checked first, then replaced whole."""
    from .export import export_files, write_folder
    from .writes import checked_output_folder

    if not output:
        raise UsageError(f"--format {entry.name} writes a folder ({', '.join(entry.files)}): give -o FOLDER")
    checked_output_folder(output, entry.files, follow_symlinks=follow_symlinks)
    written = write_folder(output, export_files(load_data(data, store=store), entry.name), follow_symlinks=follow_symlinks)
    click.echo("wrote " + ", ".join(str(path) for path in written), err=True)


@main.command()
@data_options
@_report_format("table", "json")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many entities to rank.")
@click.option(
    "--all-links",
    is_flag=True,
    help="Count sources, concept schemes and controlled values (left out by default) in the network measures.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop each counting query after this many seconds (exit code 3).")
def stats(data: tuple[str, ...], store: str, fmt: str, top: int, all_links: bool, timeout: float) -> None:
    """Counts per class and property, most central entities, components, interventions by approach and phase.

    \b
    Example:
      irgraph stats --top 5
      irgraph stats --format json > stats.json
    """
    from .network import graph_stats

    result = graph_stats(load_data(data, store=store).graph, top=top, all_links=all_links, timeout=timeout)
    echo(result.to_json() if fmt == "json" else result.to_text(), nl=False, machine=fmt == "json")


@main.command()
@data_options
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="How many shortest paths to show.")
@click.option("--all-links", is_flag=True, help="Also follow provenance, scheme and controlled-value links.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def path(data: tuple[str, ...], store: str, start: str, end: str, limit: int, all_links: bool, fmt: str) -> None:
    """The shortest explanation paths between two entities, with each link's label and direction.

    FROM and TO are labels, synonyms, compact names (ir:il-2) or IRIs. Exit
    code 0 when a path was found, 1 when the two are not connected.

    \b
    Example:
      irgraph path DermaVir "CD4-positive T cell"
    """
    import json

    from .network import explain_paths

    paths = explain_paths(load_data(data, store=store).graph, start, end, limit=limit, all_links=all_links)
    if fmt == "json":
        echo(json.dumps([p.to_dict() for p in paths], indent=2, ensure_ascii=False), machine=True)
    elif paths:
        echo("\n\n".join(p.to_text() for p in paths))
    else:
        echo(f"no path between {start!r} and {end!r}", err=True)
    sys.exit(0 if paths else 1)


@main.command()
@click.argument("old", type=click.Path(path_type=str))
@click.argument("new", type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="text for people, turtle (changeset vocabulary) or json for machines.",
)
def diff(old: str, new: str, fmt: str) -> None:
    """What changed between two versions: triples removed and added, by subject, with a summary per class.

    OLD and NEW are files or folders of RDF (.ttl, .nt, .nq, .trig, .jsonld).
    Blank nodes are compared canonically. Exit code 0 when the graphs are
    equal (and nothing is printed in text and turtle), 1 when they differ.

    \b
    Example:
      irgraph diff release-0.1.0/data data/
    """
    from .diff import diff_graphs

    result = diff_graphs(old, new)
    echo(result.render(fmt), nl=False, machine=fmt != "text")
    sys.exit(0 if result.equal else 1)


# --- stores: irgraph load, irgraph push -------------------------------------


class _Progress:
    """A click progress bar on stderr, opened at the first report (when the total is known)."""

    def __init__(self, label: str, show) -> None:
        self.label = label
        self.show = show
        self.bar: Any = None
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
    from .store import PERSISTENT, parse_store

    spec = parse_store(store)
    if spec.kind != PERSISTENT:
        raise UsageError(f"irgraph load fills a store on disk: give --store oxigraph:PATH, not {spec} "
                         "(to upload to a server, use irgraph push)")
    assert spec.path is not None  # a persistent store has one
    progress = _Progress("loading", lambda p: f"{p.triples:,} triples, {p.triples_per_second:,.0f}/s" if p else "")
    try:
        result = fill_store(spec.path, data, progress=lambda p: progress(p.bytes_done, p.bytes_total, p))
    finally:
        progress.close()
    echo(result.summary())


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

    graph = load_data(data, store=source).graph
    progress = _Progress("pushing", None)
    try:
        result = push_graph(graph, store, graph_iri=graph_iri, mode="replace" if replace else "add",
                            batch_size=batch_size, timeout=timeout, progress=progress)
    finally:
        progress.close()
    echo(result.summary())
