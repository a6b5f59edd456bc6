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


# --- exports, network analysis and diffs ---------------------------------------


@main.command()
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonld", "turtle", "nt", "nq", "graphml"]),
    default="jsonld",
    show_default=True,
    help="jsonld (compact, with the project's context), turtle, nt (N-Triples, sorted), "
    "nq (N-Quads, one graph per input file) or graphml (Gephi, Cytoscape).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=str),
    help="File to write (atomically); standard output when left out.",
)
@click.option(
    "--context",
    type=click.Choice(["embed", "file", "none"]),
    default="embed",
    show_default=True,
    help="JSON-LD: embed the context, refer to it by its IRI (file), or none (full IRIs).",
)
@click.option(
    "--frame",
    type=click.Choice(["interventions"]),
    help="JSON-LD: one nested object per intervention with its studies, findings and sources.",
)
@handle_errors
def export(data: tuple[str, ...], store: str, fmt: str, output: str | None, context: str, frame: str | None) -> None:
    """Write the graph in a format other tools read.

    Nothing is validated here (run 'irgraph validate' or 'irgraph build');
    the file is written only when the whole export succeeded.

    \b
    Example:
      irgraph export --format jsonld --frame interventions -o interventions.jsonld
      irgraph export --format graphml -o irgraph.graphml
      irgraph export --format nt | sort | head
    """
    from .export import export_graph, write_atomic

    text = export_graph(fmt, data, store=store, context=context, frame=frame)
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for machines.",
)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many entities to rank.")
@click.option(
    "--all-links",
    is_flag=True,
    help="Count sources, concept schemes and controlled values (left out by default) in the network measures.",
)
@handle_errors
def stats(data: tuple[str, ...], store: str, fmt: str, top: int, all_links: bool) -> None:
    """Counts per class and property, most central entities, components, interventions by approach and phase.

    \b
    Example:
      irgraph stats --top 5
      irgraph stats --format json > stats.json
    """
    from .network import graph_stats

    result = graph_stats(load(data, store=store).graph, top=top, all_links=all_links)
    click.echo(result.to_json() if fmt == "json" else result.to_text(), nl=False)


@main.command()
@data_options
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="How many shortest paths to show.")
@click.option("--all-links", is_flag=True, help="Also follow provenance, scheme and controlled-value links.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
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

    paths = explain_paths(load(data, store=store).graph, start, end, limit=limit, all_links=all_links)
    if fmt == "json":
        click.echo(json.dumps([p.to_dict() for p in paths], indent=2, ensure_ascii=False))
    elif paths:
        click.echo("\n\n".join(p.to_text() for p in paths))
    else:
        click.echo(f"no path between {start!r} and {end!r}", err=True)
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
@handle_errors
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
    click.echo(result.render(fmt), nl=False)
    sys.exit(0 if result.equal else 1)
