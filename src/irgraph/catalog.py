"""SPARQL query files: read, with their header, from the package's queries/ folder.

Each ``.rq`` file starts with comment lines ``# title: …``, ``# description: …``
and optionally ``# param: name — meaning`` lines, then declares its own
prefixes. Files named ``*-violation.rq`` are quality checks that must return
no rows on valid data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import UsageError
from .resources import queries_dir

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class SavedQuery:
    """A query file: its name (file stem), header fields and SPARQL text."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    params: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_violation_check(self) -> bool:
        return self.name.endswith("-violation")


def read_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "param":
            name, _, meaning = value.partition(" ")
            params.append((name.strip(), meaning.strip(" -—–:")))
        else:
            fields[key] = value
    return SavedQuery(
        name=path.stem,
        title=fields.get("title", ""),
        description=fields.get("description", ""),
        text=text,
        path=path,
        params=tuple(params),
    )


@cache
def catalog() -> dict[str, SavedQuery]:
    """Every saved query, by name, sorted."""
    return {q.name: q for q in (read_query(p) for p in sorted(queries_dir().glob("*.rq")))}


def violation_checks() -> list[SavedQuery]:
    """The ``*-violation.rq`` quality checks."""
    return [q for q in catalog().values() if q.is_violation_check]


def saved_query(name: str) -> SavedQuery:
    """The saved query called ``name``, or a :class:`UsageError` listing the names."""
    try:
        return catalog()[name]
    except KeyError:
        names = ", ".join(catalog())
        raise UsageError(f"no query named {name!r}; the catalog has: {names}") from None


def saved_or_text(name_or_text: str) -> tuple[str, SavedQuery | None]:
    """The text to run for a catalog name or a query text, and the saved query when it is one.

    A name that is not in the catalog (a word like ``claim-ledgr``) is a
    :class:`UsageError` listing the names, not a query text.

    >>> saved_or_text("summary-counts")[1].name
    'summary-counts'
    >>> saved_or_text("ASK {}")
    ('ASK {}', None)
    """
    saved = catalog().get(name_or_text)
    if saved is not None:
        return saved.text, saved
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name_or_text.strip()):
        raise UsageError(f"no query named {name_or_text!r}; the catalog has: {', '.join(catalog())}")
    return name_or_text, None


#: name patterns of the queries irgraph runs for itself: checks, counts, the dataset description, describe's and validate's helpers
INTERNAL = re.compile(r"(-violation$|^construct-void-|^count-|^describe-|^summary-counts$|^vocabulary-)")


def is_internal(saved: SavedQuery) -> bool:
    """Whether a saved query is one irgraph runs for itself (a check, a count, VoID, a describe helper).

    >>> is_internal(saved_query("claim-ledger")), is_internal(saved_query("count-instances-per-class"))
    (False, True)
    """
    return bool(INTERNAL.search(saved.name))


def catalog_listing(*, internal: bool = True) -> str:
    """The catalog as text: the research questions first, then (unless ``internal=False``) irgraph's own queries."""
    def entry(saved: SavedQuery) -> str:
        params = f"  (params: {', '.join(name for name, _ in saved.params)})" if saved.params else ""
        return f"{saved.name}{params}\n    {saved.title}\n    {saved.description}"

    questions = [entry(q) for q in catalog().values() if not is_internal(q)]
    parts = ["Research questions\n==================", *questions]
    if internal:
        own = [entry(q) for q in catalog().values() if is_internal(q)]
        parts += ["", "Internal queries (quality checks, counts, dataset description, describe helpers)",
                  "=" * 80, *own]
    return "\n".join(parts)
