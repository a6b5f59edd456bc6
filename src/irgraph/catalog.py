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


def catalog_listing() -> str:
    """The catalog as text: name, title and description of every saved query."""
    lines = []
    for saved in catalog().values():
        params = f"  (params: {', '.join(name for name, _ in saved.params)})" if saved.params else ""
        lines.append(f"{saved.name}{params}\n    {saved.title}\n    {saved.description}")
    return "\n".join(lines)
