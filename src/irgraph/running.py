"""Running one query's work within its limits: a killable child or a waiting thread, the clock, the row and size caps.

Shared by every path that runs a query (:mod:`irgraph.query` on any store,
:mod:`irgraph.direct_query` on a persistent store without rdflib), so that
each applies the same time limit, the same caps and the same messages. The
work itself runs without network sockets (:mod:`irgraph.sandbox`).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox

from . import sandbox
from .errors import IrgraphError, QueryError, QueryTimeout, UsageError
from .guard import QueryLimits
from .prefixes import prefixes
from .processes import ChildTimeout, can_fork, in_child

#: how often (in rows) a long conversion looks at the clock
_CLOCK_EVERY = 1024


def term_size(term) -> int:
    """What a term counts against the size limit: its text (an IRI, a literal's lexical form, a blank node's id)."""
    value = getattr(term, "value", None)
    return len(value) if isinstance(value, str) else len(str(term))


class Collector:
    """Takes an engine's answer row by row, within the row and size limits and the deadline."""

    def __init__(self, limits: QueryLimits, timeout: float | None) -> None:
        self.limits = limits
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout else None
        self.size = 0
        self.truncated: str | None = None

    def take(self, items: Iterable, size: Callable[[Any], int]) -> list:
        kept: list = []
        for item in items:
            if len(kept) >= self.limits.max_rows:
                self.truncated = (f"the answer was cut at {self.limits.max_rows:,} rows (the row limit); "
                                  "add LIMIT, or raise the limit (--max-result-rows)")
                break
            kept.append(item)
            self.size += size(item)
            if self.size > self.limits.max_bytes:
                self.truncated = (f"the answer was cut at {len(kept):,} rows, about {self.limits.max_bytes:,} bytes "
                                  "(the size limit); add LIMIT, or raise the limit (--max-result-bytes)")
                break
            if self.deadline is not None and len(kept) % _CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
                raise timed_out(self.timeout)
        return kept


def timed_out(timeout: float | None, why_not_stopped: str | None = None) -> QueryTimeout:
    what = (f"irgraph stopped waiting, but it ends in the background: {why_not_stopped}" if why_not_stopped
            else "it was stopped")
    limit = f"{timeout:g} s" if timeout else "its time limit"
    return QueryTimeout(
        f"the query ran longer than {limit}; {what}. Narrow it (LIMIT, more specific patterns) "
        "or give it more time",
        abandoned=why_not_stopped is not None,
        seconds=timeout,
    )


def failed(error: BaseException) -> IrgraphError:
    """An exception from the query's thread or child, as irgraph reports it."""
    if isinstance(error, IrgraphError):
        return error
    return QueryError(f"the query failed: {type(error).__name__}: {' '.join(str(error).split())[:300]}")


#: seconds after which a query's child lowers its priority (first to nice 10, then to 19): long queries give way
GIVE_WAY_AFTER = (1.0, 5.0)


def give_way() -> None:
    """In a query's child: lower this process's priority as the query runs on, so short queries elsewhere go first."""
    time.sleep(GIVE_WAY_AFTER[0])
    os.nice(10)
    time.sleep(GIVE_WAY_AFTER[1] - GIVE_WAY_AFTER[0])
    os.nice(9)


def _child_work(work: Callable[[], Any], network: bool):
    threading.Thread(target=give_way, name="irgraph-give-way", daemon=True).start()
    # on a thread of its own: without network sockets, and with the large stack the engine's parser may need
    # (the child's main thread has the stack of whatever thread forked it)
    return sandbox.run_sandboxed(work, network=network)


def within(work: Callable[[], Any], *, timeout: float | None, isolate: bool, on_oxigraph: bool, network: bool):
    """Run ``work`` within ``timeout`` seconds, in a killable child process or on a waiting thread.

    A child (``isolate``, and every store but Oxigraph, whose evaluation
    holds no lock the child could inherit) is killed at the limit: a hard
    stop, at the price of the child copying every memory page the query
    touches (about 0.2-0.4 s at a million triples). Otherwise a thread
    runs it and the caller stops waiting at the limit; Oxigraph cannot
    cancel a running evaluation (oxigraph/oxigraph#1336), but an answer that
    streams stops at its next row once the limit has passed. Where no child
    can be started (no fork, a daemonic process such as a Pool worker), the
    thread is used and the error says why the query could not be stopped.
    """
    wants_child = bool(timeout) and (isolate or not on_oxigraph)
    if wants_child and can_fork(threads_allowed=True):
        try:
            value, _ = in_child(_child_work, work, network, timeout=timeout)
            return value
        except ChildTimeout:
            raise timed_out(timeout) from None
        except ChildProcessError:
            # not the user's mistake: the engine crashed (the limits exist so that no query can make it)
            raise RuntimeError("the query process ended without an answer (it crashed); "
                               "this is a bug: please report the query") from None
        except IrgraphError:
            raise
        except Exception as error:
            raise failed(error) from None
    why = None
    if timeout:
        why = ("no child process can be started here (no fork, or a daemonic process such as a Pool worker)"
               if wants_child else "Oxigraph cannot cancel a running query (isolate=True runs it where it can be stopped)")
    try:
        return sandbox.run_sandboxed(work, timeout=timeout or None, network=network)
    except sandbox.Abandoned:
        raise timed_out(timeout, why) from None
    except IrgraphError:
        raise
    except Exception as error:
        raise failed(error) from None


# --- the engine's errors, as irgraph states them ------------------------------------------

def syntax_error(text: str, line: int, column: int, message: str) -> QueryError:
    lines = text.splitlines() or [""]
    offending = lines[line - 1] if 0 < line <= len(lines) else ""
    if len(offending) > 200:  # show the neighbourhood of the fault, not a whole long line
        start = max(column - 100, 0)
        offending, column = offending[start:start + 200], column - start
    pointer = " " * max(column - 1, 0) + "^"
    return QueryError(
        f"SPARQL syntax error at line {line}, column {column}: {message}\n  {offending}\n  {pointer}"
    )


def oxigraph_syntax_error(text: str, error: SyntaxError) -> QueryError:
    """Oxigraph's syntax error as irgraph states one (line, column, the offending text)."""
    match = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.S)
    if not match:
        return QueryError(f"SPARQL syntax error: {' '.join(str(error).split())[:300]}")
    message = " ".join(match.group(3).split())
    if "Prefix not found" in message:  # listed among the tokens Oxigraph would have accepted
        message = "unknown prefix: declare it with PREFIX or use one of the predeclared ones (irgraph query --help)"
    elif len(message) > 160:  # Oxigraph lists every token it would accept; keep the first few
        message = message[:157].rsplit(",", 1)[0] + ", …"
    return syntax_error(text, int(match.group(1)), int(match.group(2)), message)


def no_triple_terms(error: TypeError) -> QueryError:
    return QueryError(
        f"the answer holds an RDF 1.2 triple term, which rdflib (and so irgraph) cannot represent ({error}); "
        "leave that variable out of the answer"
    )


def engine_failed(error: Exception) -> IrgraphError:
    """An error Oxigraph raised while evaluating, as irgraph reports it."""
    message = str(error)
    if "does not contains variable" in message or "does not contain variable" in message:
        name = re.search(r"\?(\w+)", message)
        shown = f"?{name.group(1)}" if name else "a parameter"
        return UsageError(f"parameter {shown} must be a variable the query selects (list it after SELECT, or use SELECT *)")
    if isinstance(error, PermissionError):
        return QueryError("the query tried to open a network connection, which irgraph does not allow")
    return QueryError(f"the query failed: {' '.join(message.split())[:300]}")


# --- Oxigraph's answer ----------------------------------------------------------------------

def oxigraph_answer(store: ox.Store, text: str, substitutions: dict[ox.Variable, Any] | None = None):
    """Oxigraph's answer to ``text``: the project's prefixes predeclared, the dataset given.

    The dataset is the store's default graph and its named graphs, given to
    the engine explicitly, so ``FROM`` / ``FROM NAMED`` in the text cannot
    change it. Run it inside :func:`oxigraph_errors`.
    """
    return store.query(text, prefixes=prefixes(), substitutions=substitutions or None,
                       default_graph=ox.DefaultGraph(), named_graphs=list(store.named_graphs()))


def take_solutions(answer: ox.QuerySolutions, collector: Collector) -> tuple[list[str], list[ox.QuerySolution]]:
    """The variables of a SELECT answer and its solutions, taken within the collector's limits."""
    variables = [v.value for v in answer.variables]
    return variables, collector.take(answer, lambda s: sum(term_size(t) for t in s if t is not None))


@contextmanager
def oxigraph_errors(text: str) -> Iterator[None]:
    """Oxigraph's errors while parsing, evaluating or reading the answer to ``text``, as irgraph states them."""
    try:
        yield
    except SyntaxError as error:
        raise oxigraph_syntax_error(text, error) from None
    except TypeError as error:  # an RDF 1.2 triple term, which rdflib (and so irgraph's answers) cannot hold
        raise no_triple_terms(error) from None
    except (OSError, RuntimeError, ValueError) as error:
        raise engine_failed(error) from None
