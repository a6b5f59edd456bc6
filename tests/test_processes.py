"""Work in a forked child: answers, errors, time limits, and when forking is allowed."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from irgraph.errors import UsageError
from irgraph.processes import ChildTimeout, can_fork, in_child


def test_the_child_answers_while_the_parent_works():
    value, alongside = in_child(os.getpid, meanwhile=os.getpid)
    assert value != alongside == os.getpid()


def test_an_error_in_the_child_is_raised_here():
    def fail():
        raise UsageError("bad input in the child")

    with pytest.raises(UsageError, match="bad input in the child"):
        in_child(fail)


def test_an_error_that_cannot_be_pickled_arrives_as_text():
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail():
        raise Local("only the text survives")

    with pytest.raises(RuntimeError, match="Local: only the text survives"):
        in_child(fail)


def test_a_child_past_its_limit_is_killed():
    reader, writer = os.pipe()

    def wait_forever():
        os.write(writer, str(os.getpid()).encode())
        threading.Event().wait()  # never set: only a kill ends this

    started = []  # the child's pid, read while it waits (the time limit counts from then)
    with pytest.raises(ChildTimeout):
        in_child(wait_forever, timeout=0.3, meanwhile=lambda: started.append(int(os.read(reader, 32))))
    os.close(reader)
    os.close(writer)
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left waiting
        os.kill(started[0], 0)


def test_a_child_that_dies_silently_is_reported():
    with pytest.raises(ChildProcessError):
        in_child(os._exit, 3)


def test_no_fork_beside_other_threads_unless_allowed():
    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    try:
        assert not can_fork()
        assert can_fork(threads_allowed=True)
    finally:
        release.set()
        thread.join()


def _interrupted():
    os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C does to the whole process group
    return "finished"


def test_ctrl_c_is_left_to_the_parent():
    assert in_child(_interrupted)[0] == "finished"
