"""The one error hierarchy of irgraph.

Library code raises these; the CLI turns each into a readable message and the
exit code documented in the README (``exit_code``). Nothing here prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .report import Report


class IrgraphError(Exception):
    """Base class of every error irgraph raises on purpose.

    ``exit_code`` is what the command line exits with; 2 means a usage or
    load problem (see README, "Exit codes").
    """

    exit_code = 2


class UsageError(IrgraphError):
    """A request that cannot be carried out as asked (bad option, unknown term)."""


class LoadError(IrgraphError):
    """Input files could not be read or parsed; nothing was loaded.

    ``report`` holds one finding per problem (file, line, column, message).
    """

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report

    def __reduce__(self):  # crosses a pipe from a child process whole
        return type(self), (str(self), self.report)


class ValidationFailed(IrgraphError):
    """The data loaded but does not meet the contract (SHACL, vocabulary, checks)."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        errors = len(report.errors)
        super().__init__(f"the data is not valid: {errors} problem{'s' if errors != 1 else ''} found")
        self.report = report

    def __reduce__(self):  # crosses a pipe from a child process whole
        return type(self), (self.report,)


class QueryError(IrgraphError):
    """A SPARQL query that cannot be run: syntax error, refused feature, bad parameter."""


class UpdateRefused(QueryError):
    """A query that asks to change the graph (INSERT, DELETE, LOAD …): irgraph is read-only."""


class QueryTimeout(IrgraphError):
    """A query ran longer than its time limit.

    ``abandoned`` is True when the evaluation could not be stopped and ends
    in the background of this process (Oxigraph without ``isolate``, or
    where no child process can be started).
    """

    exit_code = 3

    def __init__(self, message: str, *, abandoned: bool = False, seconds: float | None = None) -> None:
        super().__init__(message)
        self.abandoned = abandoned
        #: the time limit, for a limit irgraph enforced (None: a remote server's own)
        self.seconds = seconds

    def __reduce__(self):
        return _rebuild_timeout, (str(self), self.abandoned, self.seconds)


class WriteError(IrgraphError):
    """An output cannot be written where asked (not a regular file or folder, no such folder, no space); nothing was changed."""


class RemoteError(IrgraphError):
    """A remote store could not be reached, or refused a request (its answer is in the message)."""


def _rebuild_timeout(message: str, abandoned: bool, seconds: float | None) -> QueryTimeout:
    return QueryTimeout(message, abandoned=abandoned, seconds=seconds)
