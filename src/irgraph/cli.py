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
from .errors import IrgraphError, LoadError, ValidationFailed
from .load import load
from .store import DEFAULT_STORE, STORES
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


def data_options(command):
    """``--data`` (repeatable) and ``--store``, shared by every command that reads the graph."""
    command = click.option(
        "--store",
        type=click.Choice(STORES),
        default=DEFAULT_STORE,
        show_default=True,
        help="Where the graph is held: Oxigraph in memory (fast SPARQL) or rdflib's memory store.",
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


# ---- irgraph viz: the interactive explorer ----------------------------------

from .visualize import DEFAULT_DEPTH, DEFAULT_TITLE, LARGE_GRAPH, write_explorer  # noqa: E402


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
@handle_errors
def viz(
    data: tuple[str, ...],
    store: str,
    out: str,
    focus: str | None,
    depth: int | None,
    include_classes: tuple[str, ...],
    exclude_classes: tuple[str, ...],
    title: str,
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
    """
    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus TERM (the entity to draw the neighbourhood of)")
    page = write_explorer(
        out,
        data,
        store=store,
        title=title,
        focus=focus,
        depth=DEFAULT_DEPTH if depth is None else depth,
        include_classes=include_classes,
        exclude_classes=exclude_classes,
    )
    for warning in page.warnings:
        click.echo(f"irgraph: warning: {warning}", err=True)
    click.echo(f"wrote {page.path}: {page.node_count} nodes, {page.edge_count} links")


viz.help = viz.help.replace("{large}", f"{LARGE_GRAPH:,}")
