"""Files: reading one within a size budget, and replacing one atomically.

`read_file` reads regular files only: a named pipe, a device or a socket is
refused before anything is read from it (its opening does not wait for a writer),
so that `/dev/zero` or a pipe no one writes to cannot hold a reader up or fill its
memory. It asks the file for its size and reads that much (and one byte more, to
see a file that grew since), with no buffered file object between: for a file of
a few kilobytes, that object would cost as much as reading it. A read that gives
the size the file told is the whole file: no second read is made to meet its
end.

`replace_file` (and `replacing`, for a file written a piece at a time) puts the
new text whole on disk before it is seen, in place of a regular file or of
none: a directory, a device or a named pipe is refused as `read_file` refuses
it, not replaced by a file. The bytes go to a new file in the
target's directory (so the rename stays on one file system), are flushed and
synced, get the target's owner and group (where allowed) and its permission bits
(or, for a new file, the default ones the umask leaves), and then replace the
target with `os.replace`. A failure at any point, an interrupt included, removes
the new file, closes every descriptor opened, and leaves the target as it was
(or, past the rename, the new file whole).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

# What is asked for at a time of a file that says it is empty (as those of /proc
# do), or that grew since it was asked.
_CHUNK: Final = 1 << 16
_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)
_NOCTTY: Final = getattr(os, "O_NOCTTY", 0)


def read_file(path: str, budget: int) -> bytes:
    """The bytes of the regular file at ``path``, but no more than ``budget`` of them.

    Raises `OSError` (with ``path`` in it) as `open` would, and for anything that
    is not a regular file: `IsADirectoryError` for a directory, an `OSError`
    saying what it is for a named pipe, a device or a socket.
    """
    # Opening a named pipe without O_NONBLOCK waits for a writer; O_NOCTTY keeps a
    # terminal from becoming this process's. Neither changes how a regular file
    # is read.
    flags = os.O_RDONLY | _NONBLOCK | _NOCTTY | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(status.st_mode, path)
        size = status.st_size
        parts: list[bytes] = []
        total = 0
        # One byte more than the size, to meet the end of the file at once.
        wanted = size + 1 if size else _CHUNK
        while total < budget:
            part = os.read(descriptor, min(wanted, budget - total))
            if not part:
                break
            parts.append(part)
            total += len(part)
            if total == size:
                break  # the size the file told: the whole of it
            wanted = _CHUNK  # it grew or shrank since: read on to its end
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, path) from None
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _not_regular(mode: int, path: str) -> OSError:
    """The error for a file at ``path`` of ``mode`` that is not a regular file."""
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):  # pragma: no cover (a socket does not open as a file)
        what = "a socket"
    else:  # pragma: no cover (the other kinds of files, on some systems)
        what = "of another kind"
    return OSError(errno.EINVAL, f"not a regular file: {what}", path)


def replace_file(path: str, data: bytes) -> None:
    """Put ``data`` in the file at ``path`` in one step; `OSError` on failure."""
    with replacing(path) as descriptor:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]


@contextlib.contextmanager
def replacing(path: str) -> Iterator[int]:
    """A new file to write, by its descriptor, that replaces ``path`` when done.

    What is written goes to a temporary file beside the target; when the block
    ends, it is synced and moved over the target in one step. If the block
    raises, the temporary file is removed and the target left as it was.
    """
    target = Path(os.path.realpath(path))  # through a symbolic link, which stays
    try:
        old: os.stat_result | None = target.stat()
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        # A device, a named pipe or a directory would be replaced by a file.
        raise _not_regular(old.st_mode, str(target))
    temporary = _temporary(target)
    descriptor: int | None = None
    try:
        with _held():  # the descriptor is kept the moment it is made
            descriptor = _create(temporary)
        yield descriptor
        os.fsync(descriptor)
        if old is not None:
            _keep_owner(descriptor, old)
        with _held():  # and forgotten the moment it is closed
            os.close(descriptor)
            descriptor = None
        if old is not None:
            temporary.chmod(stat.S_IMODE(old.st_mode))
        temporary.replace(target)
    except _Taken as exc:  # another's file: not to be removed
        raise FileExistsError(_TAKEN.format(target)) from exc
    except BaseException:
        if descriptor is not None:
            with contextlib.suppress(OSError):
                os.close(descriptor)
        # Also for an interrupt (^C) that lands after the file was made: the name
        # is new and random, so it is ours.
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_directory(target.parent)


#: The signals whose handlers may raise (^C's SIGINT first), where they can be held.
_HELD: Final = frozenset(
    getattr(signal, name)
    for name in (
        "SIGINT",
        "SIGTERM",
        "SIGHUP",
        "SIGQUIT",
        "SIGALRM",
        "SIGUSR1",
        "SIGUSR2",
    )
    if hasattr(signal, name)
)


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """Signals that arrive in the block are handled as it ends (on POSIX).

    Python runs a signal's handler between two steps of the program: a handler
    that raises (^C's `KeyboardInterrupt`) right after `os.open` returns would
    lose the descriptor before any name holds it, and one right after `os.close`
    would leave a closed descriptor to be closed again. Held, the handler runs
    once the block has kept (or forgotten) it. Windows cannot hold signals.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover (Windows)
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class _Taken(Exception):  # noqa: N818 (a signal: every name tried was taken)
    """Every temporary name tried already names a file: none of them is ours."""


_TAKEN: Final = "could not create a temporary file beside {}"


def _temporary(target: Path) -> Path:
    """A new name beside ``target``: ``.<name>.<random>.tmp``, as long as allowed.

    A name near the file system's limit (255 bytes, usually) is shortened in the
    middle of the temporary name, never past the limit.
    """
    suffix = f".{os.urandom(8).hex()}.tmp"
    name = target.name
    room = _name_max(target.parent) - len(os.fsencode("." + suffix))
    while len(os.fsencode(name)) > room and name:
        name = name[:-1]
    return target.with_name(f".{name}{suffix}")


def _name_max(directory: Path) -> int:
    """The longest file name ``directory`` takes, in bytes (255 if it does not say)."""
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # Windows; or not known
        return _NAME_MAX


_NAME_MAX: Final = 255


def _create(temporary: Path) -> int:
    """A new, empty file named ``temporary`` or another fresh name; its descriptor.

    The file gets the mode the umask leaves.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        return os.open(temporary, flags, 0o666)
    except FileExistsError:  # pragma: no cover (a clash of 64-bit random names)
        raise _Taken from None


def _keep_owner(descriptor: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group, where that is allowed.

    Only root may give a file away; others may keep their own files' groups. A
    refusal leaves the new file as it is, owned by whoever writes it.
    """
    if not hasattr(os, "fchown"):  # pragma: no cover (Windows)
        return
    with contextlib.suppress(PermissionError):
        os.fchown(descriptor, old.st_uid, old.st_gid)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable, where the system allows it (POSIX)."""
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover (Windows)
        return
    descriptor: int | None = None
    try:
        with _held():  # see `replacing`
            descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        os.fsync(descriptor)
    except OSError:  # pragma: no cover (a directory we may not open or sync)
        pass
    finally:
        if descriptor is not None:
            with _held():
                os.close(descriptor)
