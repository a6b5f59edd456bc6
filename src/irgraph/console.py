"""What reaches a person at a terminal: text made safe to show, and log noise left out.

Light on purpose (the standard library only): the command line uses both
around every command, before it knows which heavy modules the command needs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` with control and bidirectional-override characters shown as escapes, for a terminal.

    Data from files must not steer the terminal (escape sequences, a
    changed window title, text that runs right to left).

    >>> printable("IL-2\x1b]0;pwned\x07")
    'IL-2\\x1b]0;pwned\\x07'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


#: how rdflib's log message for an ill-typed literal begins
ILL_TYPED_LOG = "Failed to convert Literal lexical form to value"


def _not_ill_typed_log(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(ILL_TYPED_LOG)


@contextmanager
def quiet_ill_typed_literals() -> Iterator[None]:
    """Leave out rdflib's log message and traceback for each ill-typed literal while the block runs.

    :func:`irgraph.validate.validate_graph` reports every such literal as a
    problem of its own (kind ``literal``), with the node, the property and
    how to fix it; the command line uses this around every command.
    """
    logger = logging.getLogger("rdflib.term")
    logger.addFilter(_not_ill_typed_log)
    try:
        yield
    finally:
        logger.removeFilter(_not_ill_typed_log)
