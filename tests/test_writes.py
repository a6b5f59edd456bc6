"""Writes: all-or-nothing builds, exports and loads; no leftovers; output paths that are refused.

The kill tests stop a writer at a chosen step (a profile hook, or a wrapped
function, that says where it is and then waits on a pipe), kill it there and
look at what a reader would see. Nothing waits on the clock.
"""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import irgraph
import irgraph.writes as writes
from irgraph.build import OUTPUT_NAMES, write_outputs
from irgraph.errors import WriteError

from .conftest import FIXTURES

# the write code: irgraph.writes, irgraph.build (the module, shadowed on the package by the function) and shutil
WATCHED = {writes.__file__, importlib.import_module("irgraph.build").__file__, shutil.__file__}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def beside(out: Path) -> list[str]:
    """Everything in the folder of ``out`` except ``out`` itself (leftovers would show here)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The four outputs of two different builds, as bytes: the bundled data, and with more data."""
    root = tmp_path_factory.mktemp("builds")
    irgraph.run_build(root / "old")
    irgraph.run_build(root / "new", [FIXTURES / "valid"])
    old, new = snapshot(root / "old"), snapshot(root / "new")
    assert sorted(old) == sorted(new) == sorted(OUTPUT_NAMES)
    assert all(old[name] != new[name] for name in OUTPUT_NAMES)
    return old, new


def _lay(out: Path, files: dict[str, bytes]) -> None:
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)


def _write_and_stop_at(step: int, out: Path, outputs: dict[str, str], told, wait) -> None:
    """In a forked child: write the outputs, stopping at the ``step``-th call made by the write code."""
    seen = [0]

    def hook(frame, event, _arg):
        if event in ("call", "c_call") and frame.f_code.co_filename in WATCHED:
            seen[0] += 1
            if seen[0] == step:
                os.write(told, b"!")
                os.read(wait, 1)  # never answered: the parent kills this process here

    try:
        sys.setprofile(hook)
        write_outputs(out, outputs)
    finally:
        sys.setprofile(None)
        os._exit(0)


def test_a_build_killed_at_any_step_of_writing_leaves_the_old_set_or_the_new_one(tmp_path, two_builds):
    old, new = two_builds
    outputs = {name: new[name].decode("utf-8") for name in OUTPUT_NAMES}
    outcomes = []
    step = 0
    while True:
        step += 1
        out = tmp_path / str(step) / "out"
        out.parent.mkdir()
        _lay(out, old)
        told_read, told = os.pipe()
        wait, wait_write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            _write_and_stop_at(step, out, outputs, told, wait)
        os.close(told)
        stopped = os.read(told_read, 1) == b"!"  # b"" when the child finished without reaching the step
        if stopped:
            os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        for descriptor in (told_read, wait, wait_write):
            os.close(descriptor)
        seen = snapshot(out)
        assert seen in (old, new), f"killed at step {step}: a mixed or incomplete set {sorted(seen)}"
        outcomes.append(seen == new)
        if not stopped:
            assert seen == new and beside(out) == []
            break
        # the next build removes what the killed one left, and writes its own set
        write_outputs(out, outputs)
        assert snapshot(out) == new and beside(out) == []
    assert step > 20, "the write phase was not stepped through"
    assert outcomes[0] is False and outcomes[-1] is True  # killed early: the old set; late: the new one


WRAPPER = """
import importlib, os, sys
import irgraph.writes as writes
build_module, load_module = importlib.import_module("irgraph.build"), importlib.import_module("irgraph.load")
point = sys.argv[1]

def pause():
    print("paused", flush=True)
    os.read(0, 1)  # the test never answers: it sends a signal instead

if point == "third-file":
    real_write, calls = writes.write_file, []
    def write_file(path, data):
        calls.append(path)
        if len(calls) == 3:
            pause()
        return real_write(path, data)
    build_module.write_file = write_file
elif point == "after-swap":
    real_exchange = writes._exchange
    def exchange(first, second):
        done = real_exchange(first, second)
        pause()
        return done
    writes._exchange = exchange
elif point == "loading":
    real_stream = load_module._stream
    def stream(path, on_read):
        pause()
        yield from real_stream(path, on_read)
    load_module._stream = stream
from irgraph.cli import main
main(sys.argv[2:])
"""


def _stopped_then(signal_number: int, point: str, *args) -> subprocess.Popen:
    """Run ``irgraph ARGS`` in a child process, pause it at ``point``, send it ``signal_number``; the ended process."""
    process = subprocess.Popen([sys.executable, "-c", WRAPPER, point, *map(str, args)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line == "paused\n", process.communicate()[1]
    process.send_signal(signal_number)
    process.communicate()
    return process


def test_irgraph_build_killed_after_the_swap_leaves_the_new_set_and_the_next_build_cleans_up(tmp_path, two_builds):
    old, new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    process = _stopped_then(signal.SIGKILL, "after-swap", "build", "--out", out, "--data", FIXTURES / "valid")
    assert snapshot(out) == new
    [leftover] = beside(out)  # the old set, swapped out but not removed, waits for the next build
    assert leftover.startswith(f".out.new-{process.pid}-")
    subprocess.run([sys.executable, "-m", "irgraph", "build", "--out", str(out)], check=True, capture_output=True)
    assert snapshot(out) == old and beside(out) == []


def test_sigterm_during_a_build_leaves_the_old_set_and_no_temporary(tmp_path, two_builds):
    old, _new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    process = _stopped_then(signal.SIGTERM, "third-file", "build", "--out", out, "--data", FIXTURES / "valid")
    assert process.returncode == 128 + signal.SIGTERM
    assert snapshot(out) == old and beside(out) == []


def test_a_load_stopped_by_sigterm_or_killed_leaves_the_store_and_the_next_load_cleans_up(tmp_path):
    store = tmp_path / "store"
    irgraph.fill_store(store)
    manifest = (store / "irgraph-store.json").read_bytes()
    args = ("loading", "load", "--store", f"oxigraph:{store}", "--data", FIXTURES / "valid")
    process = _stopped_then(signal.SIGTERM, *args)
    assert process.returncode == 128 + signal.SIGTERM
    assert beside(store) == [] and (store / "irgraph-store.json").read_bytes() == manifest
    process = _stopped_then(signal.SIGKILL, *args)
    [leftover] = beside(store)
    assert leftover.startswith(f".store.loading-{process.pid}-")
    irgraph.fill_store(store, [FIXTURES / "valid"])
    assert beside(store) == []
    assert (store / "irgraph-store.json").read_bytes() != manifest


def test_leftovers_of_a_running_process_are_left_alone(tmp_path):
    target = tmp_path / "out"
    mine = tmp_path / f".out.new-{os.getpid()}-abc"
    mine.mkdir()
    temporary = tmp_path / f".out.{os.getpid()}.xyz.tmp"
    temporary.write_text("")
    assert writes.remove_leftovers(target) == []
    assert mine.exists() and temporary.exists()


def test_a_swap_cut_short_without_atomic_exchange_is_undone_by_the_next_write(tmp_path, monkeypatch):
    """Where the system cannot exchange two folders, a kill between the two renames leaves .old-PID: it is put back."""
    out = tmp_path / "out"
    _lay(out, {"irgraph.ttl": b"old"})
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()
    os.rename(out, tmp_path / f".out.old-{dead.pid}-abc")
    writes.remove_leftovers(out)
    assert snapshot(out) == {"irgraph.ttl": b"old"} and beside(out) == []
    monkeypatch.setattr(writes, "_exchange", lambda first, second: False)
    write_outputs(out, {"irgraph.ttl": "new"})
    assert snapshot(out) == {"irgraph.ttl": b"new"} and beside(out) == []


def test_build_refuses_a_folder_with_files_it_did_not_write(invoke, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = invoke("build", "--out", out)
    assert result.exit_code == 2
    assert "holds files irgraph did not write (notes.txt)" in result.output and "Traceback" not in result.output
    assert snapshot(out) == {"notes.txt": b"mine"} and beside(out) == []


def test_build_keeps_the_folder_mode(tmp_path, two_builds):
    out = tmp_path / "out"
    _lay(out, two_builds[0])
    out.chmod(0o750)
    write_outputs(out, {"irgraph.ttl": "new"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


# --- -o / --out paths that are not regular files (or folders, for build) -----------------------


@pytest.fixture
def no_write(monkeypatch):
    """Fail the test if anything is written: refusals must come before any write."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("something was written")

    monkeypatch.setattr(writes.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(writes.tempfile, "mkdtemp", refuse)
    monkeypatch.setattr(writes.os, "replace", refuse)
    monkeypatch.setattr(writes.os, "rename", refuse)


def _refused(invoke, *args) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.startswith("irgraph: error: ")
    return result.output


def test_a_fifo_a_socket_and_a_folder_are_refused(invoke, tmp_path, no_write):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        for command in (("export", "-o"), ("viz", "-o")):
            assert "is a named pipe (FIFO), not a regular file" in _refused(invoke, *command, fifo)
            assert "is a socket, not a regular file" in _refused(invoke, *command, tmp_path / "sock")
        result = invoke("export", "-o", tmp_path)  # a folder, for a format that writes one file
        assert result.exit_code == 2 and "is a folder; give the path of a file to write" in result.output
        assert "not a folder" in _refused(invoke, "build", "--out", fifo)
    finally:
        server.close()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_refused_and_never_written(invoke, no_write):
    before = os.lstat("/dev/null")
    assert "/dev/null is a device, not a regular file" in _refused(invoke, "export", "-o", "/dev/null")
    assert "is a device, not a folder" in _refused(invoke, "build", "--out", "/dev/null")
    assert os.lstat("/dev/null").st_rdev == before.st_rdev and stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_symlink_is_written_through_only_when_asked(invoke, tmp_path):
    target = tmp_path / "real.nt"
    target.write_text("before\n")
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    message = _refused(invoke, "export", "--format", "nt", "-o", link)
    assert "is a symbolic link" in message and "--follow-symlinks" in message
    assert target.read_text() == "before\n" and link.is_symlink()
    result = invoke("export", "--format", "nt", "--follow-symlinks", "-o", link)
    assert result.exit_code == 0 and link.is_symlink() and target.read_text() == irgraph.export_graph("nt")
    folder = tmp_path / "site"
    folder.mkdir()
    (tmp_path / "site-link").symlink_to(folder)
    assert "--follow-symlinks" in _refused(invoke, "build", "--out", tmp_path / "site-link")


def test_an_output_in_a_folder_that_cannot_exist_is_a_clear_error(invoke, tmp_path):
    assert "/proc/nope" in _refused(invoke, "export", "--format", "nt", "-o", "/proc/nope/x.nt")
    (tmp_path / "file").write_text("")
    assert "Not a directory" in _refused(invoke, "export", "-o", tmp_path / "file" / "x.nt")


def test_the_library_raises_write_error(tmp_path):
    with pytest.raises(WriteError, match="is a folder"):
        irgraph.write_atomic(tmp_path, "text")
    with pytest.raises(WriteError, match="is a device"):
        irgraph.run_build("/dev/null")


# --- a file put into the output folder while build writes: kept, and the build refused ------------

build_module = importlib.import_module("irgraph.build")


def _adding_while_writing(monkeypatch, out: Path, name: str = "notes.txt") -> None:
    """Put ``name`` into ``out`` while the build writes its staging folder (after its last check), as in the attack."""
    real_write = build_module.write_file

    def write_file(path, data):
        real_write(path, data)
        if path.name == "irgraph.html":
            (out / name).write_text("my notes\n")

    monkeypatch.setattr(build_module, "write_file", write_file)


@pytest.mark.parametrize("exchange", ["atomic exchange", "two renames"])
def test_a_file_added_while_build_writes_is_kept_and_the_build_refused(invoke, tmp_path, two_builds, monkeypatch, exchange):
    old, _new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    if exchange == "two renames":
        monkeypatch.setattr(writes, "_exchange", lambda first, second: False)
    _adding_while_writing(monkeypatch, out)
    result = invoke("build", "--out", out, "--data", FIXTURES / "valid")
    assert result.exit_code == 2, result.output
    assert "holds files irgraph did not write (notes.txt, added while irgraph was writing)" in result.output
    assert "nothing was written" in result.output and "Traceback" not in result.output
    assert snapshot(out) == {**old, "notes.txt": b"my notes\n"} and beside(out) == []


def test_files_added_before_and_after_the_swap_are_both_kept(tmp_path, two_builds, monkeypatch):
    """One file lands in the old folder (swapped out), one in the new (swapped in): both end up in the folder."""
    old, new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    real_exchange, swaps = writes._exchange, []

    def exchange(first, second):
        if not swaps:
            (out / "before.txt").write_text("before")
        done = real_exchange(first, second)
        if not swaps:
            (out / "after.txt").write_text("after")
        swaps.append(second)
        return done

    monkeypatch.setattr(writes, "_exchange", exchange)
    with pytest.raises(WriteError, match=r"\(before.txt, added while irgraph was writing\)"):
        write_outputs(out, {name: new[name].decode("utf-8") for name in OUTPUT_NAMES})
    assert len(swaps) == 2  # there and back: a reader saw the complete old set, then the new one, then the old one
    assert snapshot(out) == {**old, "before.txt": b"before", "after.txt": b"after"} and beside(out) == []


def test_a_file_added_to_the_old_folder_while_it_is_removed_is_moved_back(tmp_path, two_builds, monkeypatch):
    """Someone whose shell stands in the old folder writes a file there after the last check: it is not deleted."""
    old, new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    real_discard = writes.discard_folder

    def discard(folder, owned, *, keep_in):
        if folder.exists() and (folder / "irgraph.ttl").read_bytes() == old["irgraph.ttl"]:
            (folder / "late.txt").write_text("late")
        return real_discard(folder, owned, keep_in=keep_in)

    monkeypatch.setattr(writes, "discard_folder", discard)
    with pytest.raises(WriteError, match=r"the new outputs were written; late\.txt moved back beside them"):
        write_outputs(out, {name: new[name].decode("utf-8") for name in OUTPUT_NAMES})
    assert snapshot(out) == {**new, "late.txt": b"late"} and beside(out) == []


def test_what_a_killed_build_swapped_out_with_someones_file_comes_back(tmp_path, two_builds):
    """A build killed right after the swap leaves the old set, with the file added meanwhile: the next build keeps it."""
    old, new = two_builds
    out = tmp_path / "out"
    _lay(out, new)
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()
    leftover = tmp_path / f".out.new-{dead.pid}-abc"
    _lay(leftover, {**old, "notes.txt": b"my notes\n"})
    with pytest.raises(WriteError, match=r"holds files irgraph did not write \(notes.txt\)"):
        write_outputs(out, {name: new[name].decode("utf-8") for name in OUTPUT_NAMES})
    assert snapshot(out) == {**new, "notes.txt": b"my notes\n"} and beside(out) == []


# --- a full disk: exit 2 naming the file, the old set kept, nothing left behind ------------------


def test_a_full_disk_during_build_is_exit_2_naming_the_file(invoke, tmp_path, two_builds, monkeypatch):
    """``write(2)`` failing with ENOSPC part-way through an output, as on a full file system."""
    old, _new = two_builds
    out = tmp_path / "out"
    _lay(out, old)
    real_write = os.write

    def write(descriptor, data):
        if ".out.new-" in os.readlink(f"/proc/self/fd/{descriptor}") and len(data) > 4096:
            real_write(descriptor, bytes(data[:4096]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", write)
    result = invoke("build", "--out", out, "--data", FIXTURES / "valid")
    assert result.exit_code == 2, result.output
    assert f"{out}/irgraph.ttl: cannot be written: No space left on device; {out} was left as it was" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert snapshot(out) == old and beside(out) == []


@pytest.fixture
def tmpfs(tmp_path):
    """A function mounting a small file system of ``size`` at a new folder (root only); unmounted afterwards."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a small file system needs root")
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"mount does not work here: {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


def test_build_on_a_real_full_file_system_is_exit_2_and_leaves_nothing(invoke, tmpfs, two_builds):
    """The attack: a 200 KB tmpfs (the outputs need 2.7 MB); then one with room for the old set and half another."""
    tiny = tmpfs("tiny", "200k")
    result = invoke("build", "--out", tiny / "b")
    assert result.exit_code == 2, result.output
    assert f"{tiny}/b/irgraph." in result.output and "No space left on device" in result.output
    assert "internal error" not in result.output and os.listdir(tiny) == []
    old, _new = two_builds
    half = tmpfs("half", str(sum(map(len, old.values())) * 3 // 2))
    _lay(half / "out", old)
    result = invoke("build", "--out", half / "out", "--data", FIXTURES / "valid")
    assert result.exit_code == 2 and "No space left on device" in result.output, result.output
    assert snapshot(half / "out") == old and beside(half / "out") == []


def test_load_on_a_real_full_file_system_is_a_write_error(invoke, tmpfs):
    tiny = tmpfs("tiny", "800k")
    result = invoke("load", "--store", f"oxigraph:{tiny / 'store'}")
    assert result.exit_code == 2, result.output
    assert f"{tiny / 'store'}: the new store cannot be written" in result.output and "No space left on device" in result.output
    assert "cannot read the file" not in result.output and "internal error" not in result.output
    assert os.listdir(tiny) == []


# --- a symbolic link that leads round in a loop ----------------------------------------------------


def test_a_link_loop_with_follow_symlinks_says_it_is_a_loop(invoke, tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    for args in (("export", "--format", "nt", "-o", tmp_path / "loop"), ("export", "-o", tmp_path / "a"),
                 ("viz", "-o", tmp_path / "b"), ("build", "--out", tmp_path / "loop")):
        message = _refused(invoke, *args, "--follow-symlinks")
        assert "leads round in a loop" in message and "pass --follow-symlinks" not in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "loop"]
