"""When work may run in a forked child process.

Forking gives a hard time limit (a child can be killed) and a second core
(a child runs beside its parent). It is not always possible or safe:
platforms without ``fork``, processes that are themselves daemonic
(``multiprocessing`` does not let them have children: a worker of a
``multiprocessing.Pool``, for instance), and processes with other threads
running, whose locks a child could inherit held.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def can_fork(*, threads_allowed: bool = False) -> bool:
    """True when this process can start a forked child through :mod:`multiprocessing`.

    ``threads_allowed`` accepts a process with other threads (for a child that
    only runs native code and sends bytes back).

    >>> can_fork(threads_allowed=True)
    True
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon:
        return False
    return threads_allowed or threading.active_count() == 1


class ChildTimeout(Exception):
    """The child did not answer within its time limit (it has been killed)."""


def _reply(connection, function: Callable[..., Any], args: tuple) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and kills this child
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        connection.send(("ok", function(*args)))
    except Exception as error:
        try:
            connection.send(("error", error))
        except (pickle.PicklingError, TypeError, AttributeError):  # an exception that cannot be pickled goes as text
            connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        connection.close()


def in_child(function: Callable[..., T], *args, timeout: float | None = None,
             meanwhile: Callable[[], Any] | None = None) -> tuple[T, Any]:
    """Run ``function(*args)`` in a forked child and return its value with ``meanwhile()``'s.

    ``meanwhile`` runs here while the child works. The child is killed when
    ``timeout`` seconds pass without its answer (:class:`ChildTimeout`) and
    whenever this call ends early. An exception raised in the child is
    raised here (as text in a ``RuntimeError`` when it cannot be pickled);
    a child that dies without answering raises ``ChildProcessError``.
    Check :func:`can_fork` first.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_reply, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()
    try:
        alongside = meanwhile() if meanwhile is not None else None
        if not receiver.poll(timeout):
            child.kill()
            raise ChildTimeout(f"no answer within {timeout:g} s")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise ChildProcessError("the child process ended without an answer") from None
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()
    if status == "error":
        raise payload
    return payload, alongside
