"""Run engine work where it cannot open a network connection, whatever the query says.

The query text is checked before it runs (:mod:`irgraph.guard`), but a check
on text is only as good as its reading of the text. So on Linux the thread
(or child process) that evaluates a query also drops the right to create
network sockets: a seccomp filter makes ``socket()`` fail with ``EACCES`` for
every address family except Unix sockets, and refuses ``io_uring_setup``
(which could open sockets on the thread's behalf). A ``SERVICE`` call that got
past every check fails inside the engine instead of connecting anywhere.

The filter applies to the calling thread only, and to threads it starts;
the rest of the process (``irgraph serve``'s listening socket, a remote
store's HTTP client) is not affected. It cannot be lifted: run it only on a
thread that is discarded afterwards (:func:`run_sandboxed` starts one).

Where seccomp is not available (another OS, another CPU architecture, a
kernel without it), :func:`available` is False and only the text check
stands; the README says so.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SYSCALLS = {  # socket, io_uring_setup
    "x86_64": (41, 425),
    "aarch64": (198, 425),
}
_X32_BIT = 0x40000000
_AF_UNIX = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
#: thread stack for engine work: room for the recursion the nesting limit allows, and more
STACK_BYTES = 256 * 1024 * 1024


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def _program(arch: str) -> list[tuple[int, int, int, int]]:
    socket_nr, io_uring_nr = _SYSCALLS[arch]
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_W_ABS, 0, 0, _ARCH),                    # 0
        (_JEQ_K, 1, 0, _AUDIT_ARCH[arch]),           # 1: our architecture? go on at 3
        (_RET_K, 0, 0, deny),                        # 2: a foreign calling convention: refuse
        (_LD_W_ABS, 0, 0, _NR),                      # 3
        (_JGE_K, 5, 0, _X32_BIT),                    # 4: x32 numbers: refuse (at 10)
        (_JEQ_K, 4, 0, io_uring_nr),                 # 5: io_uring_setup: refuse (at 10)
        (_JEQ_K, 1, 0, socket_nr),                   # 6: socket: check its family at 8
        (_RET_K, 0, 0, _RET_ALLOW),                  # 7
        (_LD_W_ABS, 0, 0, _ARG0),                    # 8: the address family
        (_JEQ_K, 1, 0, _AF_UNIX),                    # 9: Unix sockets are local: allow (at 11)
        (_RET_K, 0, 0, deny),                        # 10
        (_RET_K, 0, 0, _RET_ALLOW),                  # 11
    ]


def _libc():
    if not sys.platform.startswith("linux") or platform.machine() not in _SYSCALLS:
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to call
        return None


_LIBC = _libc()
_CHECKED: dict[str, bool] = {}
_CHECK_LOCK = threading.Lock()
_STACK_LOCK = threading.Lock()


def _new_locks() -> None:
    # a query's child is forked from a process with many threads: a lock that one of them held at the moment
    # of the fork would stay held in the child forever, and its query would wait for it until killed
    global _CHECK_LOCK, _STACK_LOCK
    _CHECK_LOCK, _STACK_LOCK = threading.Lock(), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_locks)


def drop_network() -> bool:
    """Forbid this thread (and the threads it starts) to open network sockets; True when done.

    Irreversible for the thread. False where seccomp is not available.
    """
    if _LIBC is None:
        return False
    code = _program(platform.machine())
    instructions = (_Instruction * len(code))(*[_Instruction(*i) for i in code])
    program = _Program(len(code), instructions)
    if _LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return _LIBC.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0


def available() -> bool:
    """True when queries here run where they cannot open network sockets (checked once, on a throwaway thread)."""
    with _CHECK_LOCK:
        if "ok" not in _CHECKED:
            outcome: dict[str, bool] = {}

            def probe() -> None:
                import socket

                if not drop_network():
                    outcome["ok"] = False
                    return
                try:
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
                    outcome["ok"] = False
                except PermissionError:
                    outcome["ok"] = True

            thread = threading.Thread(target=probe, name="irgraph-sandbox-probe", daemon=True)
            thread.start()
            thread.join()
            _CHECKED["ok"] = outcome.get("ok", False)
        return _CHECKED["ok"]


class Abandoned(Exception):
    """The work did not finish within its time limit; it goes on in its thread until it ends."""


def run_sandboxed(work: Callable[[], T], *, timeout: float | None = None, network: bool = False,
                  name: str = "irgraph-query") -> T:
    """Run ``work()`` on a new thread without network access and return its value (or raise its exception).

    ``timeout`` (seconds, None for none): stop waiting after it and raise
    :class:`Abandoned`; the thread cannot be stopped and ends on its own.
    ``network=True`` keeps network access (for work whose job is to reach a
    remote store). The thread has a large stack (:data:`STACK_BYTES`) for
    parsers that recurse.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            if not network:
                drop_network()
            outcome["value"] = work()
        except BaseException as error:
            # without tracebacks: their frames may hold engine objects that must be freed in this thread
            error.__traceback__ = error.__context__ = error.__cause__ = None
            outcome["error"] = error

    thread = threading.Thread(target=target, name=name, daemon=True)
    with _STACK_LOCK:  # the stack size is process-wide and read when a thread starts
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join(timeout)
    if thread.is_alive():
        raise Abandoned(name)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
