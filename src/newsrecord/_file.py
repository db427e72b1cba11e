"""Files: reading one within a size budget, and replacing one atomically.

`read_file` asks the file for its size and reads that much (and one byte more, to
see the end), with no buffered file object between: for a file of a few
kilobytes, that object would cost as much as reading it.

`replace_file` (and `replacing`, for a file written a piece at a time) puts the
new text whole on disk before it is seen. The bytes go to a
new file in the target's directory (so the rename stays on one file system), are
flushed and synced, get the target's permission bits (or, for a new file, the
default ones the umask leaves), and then replace the target with `os.replace`. A
failure at any point removes the new file and leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

_ATTEMPTS: Final = 100
# What is asked for at a time of a file that gives no size (a pipe, say).
_CHUNK: Final = 1 << 16


def read_file(path: str, budget: int) -> bytes:
    """The bytes of the file at ``path``, but no more than ``budget`` of them.

    Raises `OSError` (with ``path`` in it) as `open` would.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size
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
            wanted = _CHUNK  # it grew since, or gives no size: read on
    except OSError as exc:  # a directory fails here, not at the open
        raise OSError(exc.errno, exc.strerror, path) from None
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


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
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    descriptor, temporary = _create(target)
    try:
        try:
            yield descriptor
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_directory(target.parent)


def _create(target: Path) -> tuple[int, Path]:
    """A new, empty file beside ``target``, with the mode the umask leaves."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:  # pragma: no cover (a clash of random names)
            continue
    message = f"could not create a temporary file beside {target}"  # pragma: no cover
    raise FileExistsError(message)  # pragma: no cover


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable, where the system allows it (POSIX)."""
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover (Windows)
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # pragma: no cover (a directory we may not open)
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover (file systems that refuse it)
        pass
    finally:
        os.close(descriptor)
