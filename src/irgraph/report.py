"""Validation findings as data: one type, whatever produced them.

A parser error, a SHACL violation, an undeclared term and a row of a
``*-violation.rq`` query all become a :class:`Problem`. A :class:`Report`
renders them as text for people or JSON for machines; only the CLI prints.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input.

    ``kind`` says what found it: ``parse``, ``shacl``, ``literal``, ``undeclared-term``,
    ``undefined-node`` or ``check`` (a violation query). ``focus`` is the IRI
    of the node concerned (empty for parse errors), ``label`` its English
    label, ``path`` the property, ``files`` the data files the node comes from,
    ``shape`` the SHACL shape (compact name) or check that found it.
    """

    severity: str
    kind: str
    message: str
    focus: str = ""
    label: str = ""
    path: str = ""
    value: str = ""
    files: tuple[str, ...] = ()
    line: int | None = None
    column: int | None = None
    hint: str = ""
    shape: str = ""

    def to_text(self) -> str:
        """One readable block: where, what, how to fix."""
        where = []
        if self.files:
            location = ", ".join(self.files)
            if self.line is not None:
                location += f":{self.line}"
                if self.column is not None:
                    location += f":{self.column}"
            where.append(location)
        if self.focus:
            node = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
            where.append(node)
        if self.path:
            where.append(f"property {self.path}")
        head = f"{self.severity.upper()} [{self.kind}]"
        lines = [f"{head} {' | '.join(where)}" if where else head, f"  {self.message}"]
        if self.value:
            lines.append(f"  value: {self.value}")
        if self.hint:
            lines.append(f"  fix: {self.hint}")
        return "\n".join(lines)


@dataclass
class Report:
    """Every problem found, errors and warnings, in a stable order."""

    problems: list[Problem] = field(default_factory=list)
    checked_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def conforms(self) -> bool:
        """True when there is no error (warnings do not fail validation)."""
        return not self.errors

    def extend(self, problems) -> None:
        self.problems.extend(problems)
        # a total order: the same problems give the same report whatever order their checker found them in
        self.problems.sort(key=lambda p: (p.severity != ERROR, p.files, p.focus, p.kind, p.path, p.message, p.value, p.shape, p.hint))

    def to_text(self) -> str:
        blocks = [p.to_text() for p in self.problems]
        verdict = "valid" if self.conforms else "NOT valid"
        summary = (
            f"{len(self.checked_files)} file{'s' if len(self.checked_files) != 1 else ''} checked: "
            f"{verdict}, {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}, "
            f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}"
        )
        return "\n\n".join([*blocks, summary]) if blocks else summary

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "files": self.checked_files,
                "problems": [asdict(p) for p in self.problems],
            },
            indent=2,
            ensure_ascii=False,
        )
