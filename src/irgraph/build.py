"""The main job: load, validate, and write the graph as Turtle, JSON-LD and HTML, with a VoID description.

Everything is rendered in memory first and written only when all of it
succeeded. The four files are written into a new folder beside the output
folder, which then takes the old one's place in one step (see
:func:`irgraph.writes.replace_folder`): a reader sees the complete old set
or the complete new set, and a failed or interrupted build leaves the
previous files as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import formats
from .deprecation import callable_module
from .describe_dataset import to_void
from .errors import IrgraphError, ValidationFailed, WriteError
from .load import LoadedGraph, load_data
from .processes import can_fork, in_child
from .query import WHOLE_ANSWER, run_saved_query
from .report import Report
from .store import DEFAULT_STORE
from .validate import validate_graph
from .writes import (
    checked_output_folder,
    cleanup_on_signals,
    discard_folder,
    remove_leftovers,
    replace_folder,
    staging_folder,
    write_file,
)

#: the formats a build writes, as ``irgraph`` + suffix, before ``void.ttl``, which lists them
BUILT_FORMATS = ("turtle", "jsonld", "html")
OUTPUT_NAMES = ("irgraph.ttl", "irgraph.jsonld", "irgraph.html", "void.ttl")


@dataclass
class BuildResult:
    """What a build wrote and counted."""

    out_dir: Path
    files: list[Path]
    triples: int
    counts: dict[str, int]
    report: Report = field(default_factory=Report)

    def summary(self) -> str:
        counts = ", ".join(f"{self.counts.get(k, 0)} {k}" for k in ("interventions", "studies", "findings", "claims", "sources"))
        written = "\n".join(f"  {path}" for path in self.files)
        warnings = len(self.report.warnings)
        note = f"\n{warnings} warning{'s' if warnings != 1 else ''} (run 'irgraph validate' to see them)" if warnings else ""
        return f"{self.triples} triples: {counts}\nwrote:\n{written}{note}"


def count_entities(graph, *, timeout: float | None = None) -> dict[str, int]:
    """Interventions, studies, findings, claims and sources in ``graph``."""
    result = run_saved_query(graph, "summary-counts", timeout=timeout, limits=WHOLE_ANSWER)
    kind, count = result.variables[:2]
    return {str(row[kind]): int(row[count]) for row in result.rows}


def _validate_while(loaded, render: Callable[[], dict[str, str]]) -> tuple[Report, dict[str, str]]:
    """Validate ``loaded`` while ``render`` runs, and return both results.

    Validation (pySHACL, pure Python) and rendering take about the same
    time, so on a machine with two cores the validation runs in a forked
    child alongside. Only a process with no other threads forks (forking
    a threaded process can leave the child waiting on a lock no thread
    will release); otherwise, and wherever no child can be started, the
    two run one after the other. Nothing is written here either way.
    """
    if not can_fork():
        report = validate_graph(loaded)
        return report, (render() if report.conforms else {})
    rendered: dict[str, Any] = {}

    def render_or_keep_error() -> None:
        # a rendering error must not hide the report: invalid data is reported as such, as when run in turn
        try:
            rendered["outputs"] = render()
        except Exception as error:
            rendered["error"] = error

    try:
        report, _ = in_child(validate_graph, loaded, meanwhile=render_or_keep_error)
    except ChildProcessError:
        raise IrgraphError("validation ended without a report; run 'irgraph validate' to see why") from None
    if not report.conforms:
        return report, {}
    if "error" in rendered:
        raise rendered["error"]
    return report, rendered["outputs"]


def write_outputs(out: Path, outputs: dict[str, str]) -> list[Path]:
    """Write ``outputs`` (file name to text) as the folder ``out``, replacing the old folder in one step.

    The files go into ``.OUT.new-PID-XXXX`` beside ``out``, are flushed to disk,
    and that folder is exchanged with ``out``; the old one is removed
    afterwards, or, when someone put a file into ``out`` meanwhile, swapped
    back (:func:`irgraph.writes.replace_folder`): irgraph never deletes a
    file it did not write. On an error (a full disk too), SIGTERM or Ctrl-C
    the new folder is removed and ``out`` stays as it was
    (:class:`~irgraph.errors.WriteError` says why); what a process killed
    outright leaves is removed by the next build
    (:func:`irgraph.writes.remove_leftovers`).
    """
    owned = {*OUTPUT_NAMES, *outputs}
    remove_leftovers(out, owned)  # first: what a killed build left may hold someone's file, which goes back into out
    out = checked_output_folder(out, owned)  # again: the folder may have changed while rendering
    with cleanup_on_signals():
        staging = staging_folder(out)
        try:
            for name, text in outputs.items():
                try:
                    write_file(staging / name, text.encode("utf-8"))
                except OSError as error:
                    kept = f"{out} was left as it was" if os.path.isdir(out) else "nothing was left behind"
                    raise WriteError(f"{out / name}: cannot be written: {error.strerror}; {kept}") from None
            replace_folder(staging, out, owned)
        finally:  # after an interrupted swap the staging folder holds the old outputs, and maybe someone's file
            discard_folder(staging, owned, keep_in=out)
    return [out / name for name in outputs]


def write_build(loaded: LoadedGraph, out_dir: str | Path = "build", *, follow_symlinks: bool = False) -> BuildResult:
    """Validate a loaded graph, then write ``irgraph.ttl``, ``irgraph.jsonld``, ``irgraph.html``
    and ``void.ttl`` (the VoID/DCAT description of the dataset) as the folder ``out_dir``.

    The files are the build formats of :mod:`irgraph.formats` (:data:`BUILT_FORMATS`),
    each named ``irgraph`` plus its suffix. The folder is replaced whole, in
    one step (:func:`write_outputs`), so it may hold only these four files:
    a folder with anything else in it is refused
    (:class:`~irgraph.errors.WriteError`), as are a file, a device and,
    unless ``follow_symlinks``, a symbolic link. Raises
    :class:`~irgraph.errors.ValidationFailed` when the data breaks the
    contract; in every case of error no output file is touched.
    """
    out = checked_output_folder(out_dir, OUTPUT_NAMES, follow_symlinks=follow_symlinks)
    graph = loaded.graph

    def render() -> dict[str, str]:
        rendered = {f"irgraph{formats.get(name).suffix}": formats.get(name).write(graph) for name in BUILT_FORMATS}
        rendered["void.ttl"] = to_void(graph, distributions=tuple(rendered))
        return rendered

    report, outputs = _validate_while(loaded, render)
    if not report.conforms:
        raise ValidationFailed(report)
    write_outputs(out, {name: outputs[name] for name in OUTPUT_NAMES})
    shown = Path(out_dir)  # as the caller named it (a followed link still leads to the files)
    return BuildResult(shown, [shown / name for name in OUTPUT_NAMES], len(graph), count_entities(graph), report)


def run_build(
    out_dir: str | Path = "build",
    extra_data: Iterable[str | Path] = (),
    *,
    store: str = DEFAULT_STORE,
    follow_symlinks: bool = False,
) -> BuildResult:
    """Load the ontology, the bundled data and ``extra_data`` from ``store``, then :func:`write_build`.

    The output folder is checked before anything is read. Raises
    :class:`~irgraph.errors.LoadError` (a file did not parse) or
    :class:`~irgraph.errors.ValidationFailed` (the data breaks the
    contract); in every case no output file is touched.
    """
    checked_output_folder(out_dir, OUTPUT_NAMES, follow_symlinks=follow_symlinks)
    return write_build(load_data(extra_data, store=store), out_dir, follow_symlinks=follow_symlinks)


#: the name before 0.2 (``irgraph.build(...)``, deprecated there, still works; this one does not warn)
build = run_build
callable_module(__name__, "run_build")
