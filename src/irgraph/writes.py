"""Writing outputs so that a reader never sees half of them, and nothing is left behind.

* :func:`write_atomic` writes one file: a temporary file in the same folder,
  flushed to disk, then renamed over the target.
* :func:`replace_folder` puts a whole new folder in place of another in one
  step: on Linux the two are exchanged with ``renameat2(RENAME_EXCHANGE)``,
  so at every instant the target path is either the complete old folder or
  the complete new one (``irgraph build``, ``irgraph load``). Of a build's
  old folder only the files irgraph wrote are deleted: a file someone put
  there meanwhile makes the swap go back (:class:`~irgraph.errors.WriteError`),
  and is never removed (:func:`discard_folder`).
* Every output path is checked first (:func:`checked_output_file`,
  :func:`checked_output_folder`): devices, named pipes, sockets and folders
  are refused, a symbolic link is written through only when asked
  (``follow_symlinks=True``), and a parent folder that cannot be made or
  written is an error (missing folders are made). All of them raise :class:`~irgraph.errors.WriteError` before
  anything is written.
* Temporary files and folders carry the process id in their names
  (``.NAME.PID.XXXX.tmp``, ``.NAME.new-PID-XXXX``, ``.NAME.old-PID-XXXX``,
  ``.NAME.loading-PID-XXXX``). They are removed on any error, on SIGTERM, SIGHUP
  and Ctrl-C (:func:`cleanup_on_signals`), and a process killed outright
  (``kill -9``) leaves them for the next write to the same path, which
  removes those whose process is gone (:func:`remove_leftovers`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import WriteError

_KINDS = ("new", "old", "loading")
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _what(mode: int) -> str | None:
    """What a file that is not a regular file or a folder is, for messages."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteError(f"{path}: cannot be written: {error.strerror}") from None


def _followed(path: Path, follow_symlinks: bool, option: str) -> Path:
    """Where the link ``path`` leads when following links was asked for (a path that is not a link)."""
    if not follow_symlinks:
        raise WriteError(
            f"{path} is a symbolic link (to {os.readlink(path)}); irgraph does not write through links "
            f"unless asked: pass {option}, or give the link's target"
        )
    target = Path(os.path.realpath(path))
    if os.path.islink(target):  # realpath stops where links lead round in a loop
        raise WriteError(
            f"{path} is a symbolic link that leads round in a loop (through {target}), so it leads to no file "
            "to write even with " + option + "; give the path of a file, or mend the link"
        )
    return target


def _check_parent(path: Path) -> None:
    """The folder of ``path``, or the nearest existing folder above it (where the rest is made), must be writable."""
    existing = path.parent
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise WriteError(f"{path}: {existing} is not a folder; give a path inside a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise WriteError(f"{path}: the folder {existing} is not writable")


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"{path}: the folder {path.parent} cannot be made: {error.strerror}") from None


def checked_output_file(path: str | Path, *, follow_symlinks: bool = False) -> Path:
    """The file to write for ``path``, or :class:`WriteError` when it must not be written.

    A regular file or a new name in an existing, writable folder is fine; a
    folder, a device, a named pipe or a socket is refused (writing
    atomically would replace it). A symbolic link is refused unless
    ``follow_symlinks``, when its target is checked and returned.

    >>> checked_output_file("/dev/null")
    Traceback (most recent call last):
    ...
    irgraph.errors.WriteError: /dev/null is a device, not a regular file; give the path of a file to write
    """
    path = Path(os.path.abspath(path))
    info = _lstat(path)
    if info is not None and stat.S_ISLNK(info.st_mode):
        return checked_output_file(_followed(path, follow_symlinks, "--follow-symlinks"))
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise WriteError(f"{path} is a folder; give the path of a file to write")
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(f"{path} is {_what(info.st_mode) or 'not a regular file'}, not a regular file; "
                             "give the path of a file to write")
    _check_parent(path)
    return path


def checked_output_folder(path: str | Path, owned: Iterable[str], *, follow_symlinks: bool = False) -> Path:
    """The folder to replace for ``path``, or :class:`WriteError`.

    The folder may be missing, empty, or hold only files named in ``owned``
    (and irgraph's own temporary files for them): anything else in it is
    someone else's and the folder is refused rather than replaced. A file,
    device, pipe or socket is refused; a symbolic link is followed only when
    ``follow_symlinks``.
    """
    path = Path(os.path.abspath(path))
    info = _lstat(path)
    if info is not None and stat.S_ISLNK(info.st_mode):
        return checked_output_folder(_followed(path, follow_symlinks, "--follow-symlinks"), owned)
    if info is None:
        _check_parent(path)
        return path
    if not stat.S_ISDIR(info.st_mode):
        kind = _what(info.st_mode) or "a file"
        raise WriteError(f"{path} is {kind}, not a folder; give a folder to write the outputs into")
    foreign = _foreign(path, owned)
    if foreign:
        raise _foreign_error(path, foreign, "nothing was written")
    _check_parent(path)
    return path


def _owns(owned: Iterable[str]) -> Callable[[os.DirEntry], bool]:
    """Whether an entry of an output folder is irgraph's: one of the ``owned`` files, or a temporary file for one."""
    names = set(owned)
    temporary = re.compile(r"^\.(" + "|".join(re.escape(n) for n in names) + r")\.[^/]*\.tmp$") if names else None
    return lambda entry: ((entry.name in names and entry.is_file(follow_symlinks=False))
                          or bool(temporary and temporary.match(entry.name)))


def _foreign(folder: Path, owned: Iterable[str]) -> list[str]:
    """The names in ``folder`` that are not irgraph's (see :func:`_owns`), sorted."""
    mine = _owns(owned)
    return sorted(entry.name for entry in os.scandir(folder) if not mine(entry))


def _foreign_error(path: Path, foreign: list[str], outcome: str, when: str = "") -> WriteError:
    shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
    return WriteError(
        f"{path} holds files irgraph did not write ({shown}{when}); the folder is replaced whole, so give a new "
        f"or empty folder, or one that holds only irgraph's outputs ({outcome})"
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_leftovers(target: str | Path, owned: Iterable[str] | None = None) -> list[Path]:
    """Remove what irgraph processes that are gone left beside ``target``; return what was removed.

    Temporary files (``.NAME.PID.XXXX.tmp``) and folders (``.NAME.new-PID-XXXX``,
    ``.NAME.loading-PID-XXXX``, ``.NAME.old-PID-XXXX``) of a process that is still
    running are left alone. When ``target`` itself is missing and an
    ``.old-PID`` folder holds the previous version (a swap without atomic
    exchange was cut short), it is put back instead of removed. With
    ``owned`` (the names of the files irgraph writes there), only those
    files are deleted from a leftover folder: anything else in it is moved
    back into ``target`` (see :func:`discard_folder`).
    """
    target = Path(os.path.abspath(target))
    name = re.escape(target.name)
    pattern = re.compile(rf"^\.{name}\.(?:(?P<pid>\d+)\.[^/]*\.tmp|(?P<kind>{'|'.join(_KINDS)})-(?P<owner>\d+)-[^/.]+)$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in sorted(entries, key=lambda e: e.name):
        match = pattern.match(entry.name)
        if not match or _alive(int(match["pid"] or match["owner"])):
            continue
        leftover = Path(entry.path)
        if match["kind"] == "old" and not os.path.lexists(target):
            os.rename(leftover, target)
            continue
        if entry.is_dir(follow_symlinks=False):
            discard_folder(leftover, owned, keep_in=target)
        else:
            leftover.unlink(missing_ok=True)
        if not os.path.lexists(leftover):
            removed.append(leftover)
    return removed


@contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``SystemExit(128 + signal)`` while the block runs.

    The default reaction to those signals ends the process at once, past
    every ``finally``; raised as an exception instead, they let the block
    remove its temporary files. Only the main thread can install handlers,
    and only default handlers are replaced (a program's own stay). Ctrl-C
    already raises ``KeyboardInterrupt``. A second signal during the
    clean-up is ignored so that the clean-up finishes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def stop(signum, _frame):
        if not fired:
            fired.append(signum)
            raise SystemExit(128 + signum)

    previous = {}
    for number in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(number) == signal.SIG_DFL:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def staging_folder(target: Path, kind: str = "new") -> Path:
    """A new empty folder beside ``target`` for this process (``.NAME.KIND-PID-XXXX``), with the usual mode."""
    _make_parent(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-{os.getpid()}-", dir=target.parent))
        if os.path.isdir(target):  # the new folder keeps the old one's permissions
            mode = stat.S_IMODE(os.stat(target).st_mode)
        else:  # mkdtemp makes it readable by its owner only
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o777 & ~umask
        os.chmod(staging, mode)
    except OSError as error:
        raise WriteError(f"{target}: cannot write beside it: {error.strerror}") from None
    return staging


def _renameat2(first: Path, second: Path, flags: int) -> bool:
    """Linux ``renameat2(first, second, flags)``; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the system cannot."""
    return _renameat2(first, second, _RENAME_EXCHANGE)


def _move_without_replacing(source: Path, destination: Path) -> None:
    """Rename ``source`` to ``destination``, or raise ``FileExistsError`` when something is there already."""
    if not _renameat2(source, destination, _RENAME_NOREPLACE):
        if os.path.lexists(destination):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(destination))
        os.rename(source, destination)


def discard_folder(folder: Path, owned: Iterable[str] | None, *, keep_in: Path) -> list[str]:
    """Remove ``folder``, a set of outputs irgraph wrote, without deleting anything it did not write.

    With ``owned`` (the names of irgraph's files), only those (and
    irgraph's temporary files for them) are deleted; anything else found in
    the folder is someone's, and is moved into ``keep_in`` under its own
    name. Returns the names moved. What cannot be moved (its name is taken
    in ``keep_in``) stays, and so does the folder, for
    :func:`remove_leftovers` to try again. Without ``owned`` (a store's
    folder, whose files have no fixed names) the folder is removed whole. A
    folder that is not there is fine.
    """
    if owned is None:
        shutil.rmtree(folder, ignore_errors=True)
        return []
    mine = _owns(owned)
    moved: list[str] = []
    for _attempt in range(3):  # again if someone adds a file while this runs
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return moved
        stuck = False
        for entry in entries:
            try:
                if mine(entry):
                    os.unlink(entry.path)
                else:
                    _move_without_replacing(Path(entry.path), keep_in / entry.name)
                    moved.append(entry.name)
            except FileNotFoundError:
                continue
            except OSError:
                stuck = True
        try:
            os.rmdir(folder)
            return moved
        except OSError:
            if stuck:
                break
    return moved


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def replace_folder(new: Path, target: Path, owned: Iterable[str] | None = None) -> None:
    """Put the complete folder ``new`` at ``target``; the old folder there is removed afterwards.

    Where the system can exchange two paths atomically (Linux), a reader of
    ``target`` sees the complete old folder or the complete new one, never
    a mix and never nothing. Elsewhere the old folder is first renamed to
    ``.NAME.old-PID-XXXX`` and there is a moment with no folder at ``target``; a
    process killed in that moment leaves the old folder, which the next
    write puts back (:func:`remove_leftovers`).

    With ``owned`` (the names of the files irgraph writes there), a file
    that someone put into ``target`` after it was last checked, and so was
    swapped out with the old folder, is not removed with it: the two folders
    are swapped back (``target`` is again the old folder, with that file)
    and :class:`WriteError` says what happened. Afterwards only irgraph's
    files are deleted from the old folder (:func:`discard_folder`).
    """
    _fsync_folder(new)
    try:
        if not os.path.lexists(target):
            os.rename(new, target)
            _fsync_folder(target.parent)
            return
        if _exchange(new, target):
            old = new
        else:
            old = target.parent / f".{target.name}.old-{os.getpid()}-{new.name.rsplit('-', 1)[-1]}"
            os.rename(target, old)
            try:
                os.rename(new, target)
            except BaseException:
                os.rename(old, target)
                raise
        foreign = _foreign(old, owned) if owned is not None else []
        if foreign:
            _swap_back(old, new, target)
    except OSError as error:
        raise WriteError(f"{target}: the new version could not be put in place: {error.strerror}; "
                         "the old one was left as it was") from None
    if foreign:
        discard_folder(new, owned, keep_in=target)  # the new set, and whatever was added to it meanwhile
        _fsync_folder(target.parent)
        raise _foreign_error(target, foreign, "nothing was written: the folder is as it was, with those files in it",
                             ", added while irgraph was writing")
    moved = discard_folder(old, owned, keep_in=target)
    _fsync_folder(target.parent)
    if moved:  # added to the old folder after it was checked: kept, beside the new outputs
        raise _foreign_error(target, moved, f"the new outputs were written; {', '.join(moved)} moved back beside them",
                             ", added while irgraph removed the old outputs")


def _swap_back(old: Path, new: Path, target: Path) -> None:
    """Undo :func:`replace_folder`'s swap: the old folder (now at ``old``) at ``target`` again, the new one at ``new``."""
    if old == new:  # they were exchanged
        if not _exchange(old, target):  # pragma: no cover - it just worked
            raise OSError(errno.ENOTSUP, "the folders cannot be exchanged back", str(target))
        return
    os.rename(target, new)
    os.rename(old, target)


def _write_all(descriptor: int, data: bytes) -> None:
    """Write all of ``data`` to the open file ``descriptor`` and flush it to disk (errors as ``OSError``)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
    os.fsync(descriptor)


def write_file(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist), write ``data`` and flush it to disk; ``OSError`` when that fails."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def write_atomic(path: str | Path, content: str | bytes | Callable[[BinaryIO], None], *, follow_symlinks: bool = False) -> Path:
    """Write ``content`` to ``path`` so that readers see the old file or the new one, never half.

    ``content`` is text, bytes, or a function that writes into the binary
    file it is given (an export streaming from its store, never whole in memory).

    The path is checked first (:func:`checked_output_file`). The data goes
    to a temporary file in the same folder, is flushed to disk, then renamed
    over the target. On any error, SIGTERM or Ctrl-C the temporary file is
    removed and the old file stays as it was; the leftovers of a process
    killed outright are removed by the next write to the same path.
    Returns the path written (the link's target when a link was followed).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_atomic(pathlib.Path(folder) / "a.txt", "hello").read_text()
    'hello'
    """
    path = checked_output_file(path, follow_symlinks=follow_symlinks)
    _make_parent(path)
    remove_leftovers(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with cleanup_on_signals():
        try:
            descriptor, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise WriteError(f"{path}: cannot be written: {error.strerror}") from None
        try:
            # mkstemp creates the file readable by its owner only; give it the usual mode
            umask = os.umask(0)
            os.umask(umask)
            try:
                os.fchmod(descriptor, 0o666 & ~umask)
                if not isinstance(data, bytes):
                    with os.fdopen(descriptor, "wb", buffering=1 << 20, closefd=False) as handle:
                        data(handle)
                    os.fsync(descriptor)
                else:
                    _write_all(descriptor, data)
            finally:
                os.close(descriptor)
            checked_output_file(path)  # still a file or nothing: not swapped for a device meanwhile
            os.replace(tmp, path)
        except OSError as error:
            Path(tmp).unlink(missing_ok=True)
            raise WriteError(f"{path}: cannot be written: {error.strerror}; the old file was left as it was") from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path
