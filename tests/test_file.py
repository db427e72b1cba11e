"""Files: reading within a budget, and writing atomically (`dump` and beneath it)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import newsrecord
from newsrecord._file import read_file
from records import unchecked
from test_write import SIMPLE

if TYPE_CHECKING:
    from collections.abc import Iterator

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="permission bits are POSIX"
)


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "record.md"
    path.write_bytes(SIMPLE.encode("utf-8"))
    return path


def leftovers(directory: Path) -> list[str]:
    """Files in ``directory`` other than the record itself."""
    return sorted(path.name for path in directory.iterdir() if path.name != "record.md")


class TestReadFile:
    def test_whole_file(self, tmp_path: Path) -> None:
        path = tmp_path / "data"
        data = bytes(range(256)) * 1000
        path.write_bytes(data)
        assert read_file(str(path), len(data) + 1) == data

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "data"
        path.write_bytes(b"")
        assert read_file(str(path), 10) == b""

    def test_stops_at_the_budget(self, tmp_path: Path) -> None:
        path = tmp_path / "data"
        path.write_bytes(b"x" * 1000)
        assert read_file(str(path), 10) == b"x" * 10

    def test_a_file_is_read_in_one_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A read that gives the size the file told ends it: no read to meet the end."""
        path = tmp_path / "data"
        path.write_bytes(b"x" * 1000)
        asked: list[int] = []
        real_read = os.read

        def counted(descriptor: int, size: int) -> bytes:
            asked.append(size)
            return real_read(descriptor, size)

        monkeypatch.setattr(os, "read", counted)
        assert read_file(str(path), 1 << 20) == b"x" * 1000
        assert asked == [1001]

    @pytest.mark.parametrize("change", [b"y" * 5000, b""], ids=["grew", "emptied"])
    def test_a_file_changed_after_its_size_was_told_is_read_to_its_end(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: bytes
    ) -> None:
        path = tmp_path / "data"
        path.write_bytes(b"x" * 1000)
        real_fstat = os.fstat

        def then_changed(descriptor: int) -> os.stat_result:
            status = real_fstat(descriptor)
            with path.open("ab" if change else "wb") as file:
                file.write(change)
            return status

        monkeypatch.setattr(os, "fstat", then_changed)
        expected = b"x" * 1000 + change if change else b""
        assert read_file(str(path), 1 << 20) == expected

    def test_a_file_that_says_it_is_empty_is_read(self) -> None:
        """A file that says it is empty (as /proc's do) is read to its end in parts."""
        status = Path("/proc/self/status")
        if not status.is_file():
            pytest.skip("no /proc on this system")
        assert status.stat().st_size == 0
        assert read_file(str(status), 1 << 20).startswith(b"Name:")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    @pytest.mark.parametrize("writer", [False, True], ids=["no-writer", "a-writer"])
    def test_a_named_pipe_is_refused_at_once(
        self, tmp_path: Path, *, writer: bool
    ) -> None:
        """A named pipe is refused without waiting for a writer, or reading one."""
        path = tmp_path / "pipe.md"
        os.mkfifo(path)
        pipe = os.open(path, os.O_RDWR) if writer else None  # a writer, if any
        try:
            with pytest.raises(
                OSError, match="not a regular file: a named pipe"
            ) as caught:
                read_file(str(path), 10)
        finally:
            if pipe is not None:
                os.close(pipe)
        assert caught.value.filename == str(path)

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
    def test_a_device_is_refused(self, device: str) -> None:
        """A device is refused before a byte is read: /dev/zero never fills memory."""
        if not os.path.exists(device):  # noqa: PTH110 (a path string)
            pytest.skip(f"no {device} on this system")
        with pytest.raises(OSError, match="not a regular file: a device") as caught:
            read_file(device, 1 << 30)
        assert caught.value.filename == device

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_load_refuses_a_named_pipe(self, tmp_path: Path) -> None:
        """`newsrecord.load` of a named pipe no one writes to fails, never waits."""
        path = tmp_path / "pipe.md"
        os.mkfifo(path)
        with pytest.raises(OSError, match="not a regular file") as caught:
            newsrecord.load(path)
        assert caught.value.filename == str(path)

    def test_directory_error_names_the_path(self, tmp_path: Path) -> None:
        """A directory opens on some systems and fails at the read: same error."""
        # Is a directory (POSIX) or permission denied (Windows)
        with pytest.raises((IsADirectoryError, PermissionError)) as caught:
            read_file(str(tmp_path), 10)
        assert caught.value.filename == str(tmp_path)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError) as caught:
            read_file(str(tmp_path / "missing.md"), 10)
        assert caught.value.filename == str(tmp_path / "missing.md")


class TestDump:
    def test_unchanged_record_is_rewritten_exactly(self, record: Path) -> None:
        """Dumping a loaded record writes its file's bytes back."""
        newsrecord.dump(newsrecord.load(record), record)
        assert record.read_bytes() == SIMPLE.encode("utf-8")
        assert leftovers(record.parent) == []

    def test_changed_record(self, record: Path) -> None:
        """A changed record is written, and loads back as changed."""
        article = attrs.evolve(newsrecord.load(record), title="Changed")
        newsrecord.dump(article, record)
        assert newsrecord.load(record) == article

    def test_byte_order_mark_and_crlf(self, tmp_path: Path) -> None:
        """A file with a BOM and CRLF lines keeps both through a change."""
        path = tmp_path / "bom.md"
        path.write_bytes(b"\xef\xbb\xbf" + SIMPLE.replace("\n", "\r\n").encode())
        newsrecord.dump(attrs.evolve(newsrecord.load(path), heat=3), path)
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf---\r\n")
        assert b"quality: 48\r\nheat: 3\r\n" in data

    def test_new_file(self, tmp_path: Path) -> None:
        """Dumping to a path that does not exist creates the file."""
        path = tmp_path / "new.md"
        newsrecord.dump(newsrecord.loads(SIMPLE), path)
        assert path.read_text(encoding="utf-8") == SIMPLE

    def test_unencodable_text(self, tmp_path: Path) -> None:
        """Text UTF-8 cannot hold (a lone surrogate) is our error, nothing written."""
        with unchecked():
            article = attrs.evolve(newsrecord.loads(SIMPLE), body="\ud800")
        path = tmp_path / "x.md"
        with pytest.raises(newsrecord.ValidationError, match="lone surrogate"):
            newsrecord.dump(article, path)
        assert not path.exists()

    def test_through_a_symbolic_link(self, record: Path) -> None:
        """Dumping through a symbolic link replaces its target and keeps the link."""
        link = record.parent / "link.md"
        link.symlink_to(record)
        newsrecord.dump(attrs.evolve(newsrecord.load(link), quality=1), link)
        assert link.is_symlink()
        assert newsrecord.load(record).quality == 1

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_a_named_pipe_is_not_replaced(self, tmp_path: Path) -> None:
        """A named pipe at the path (or behind a link) is refused, and stays one."""
        pipe = tmp_path / "pipe.md"
        os.mkfifo(pipe)
        link = tmp_path / "link.md"
        link.symlink_to(pipe)
        article = newsrecord.loads(SIMPLE)
        for path in (pipe, link):
            with pytest.raises(OSError, match="not a regular file: a named pipe"):
                newsrecord.dump(article, path)
        assert stat.S_ISFIFO(pipe.stat().st_mode)
        assert link.is_symlink()
        assert leftovers(tmp_path) == ["link.md", "pipe.md"]

    def test_a_directory_is_not_replaced(self, tmp_path: Path) -> None:
        """A directory at the path is an IsADirectoryError naming it; nothing else."""
        folder = tmp_path / "folder.md"
        folder.mkdir()
        with pytest.raises(IsADirectoryError) as caught:
            newsrecord.dump(newsrecord.loads(SIMPLE), folder)
        assert caught.value.filename == str(folder)
        assert folder.is_dir()
        assert leftovers(tmp_path) == ["folder.md"]


class TestAtomic:
    @posix_only
    def test_permissions_kept(self, record: Path) -> None:
        """The replaced file keeps the permission bits of the old one."""
        record.chmod(0o640)
        newsrecord.dump(attrs.evolve(newsrecord.load(record), quality=1), record)
        assert stat.S_IMODE(record.stat().st_mode) == 0o640

    @posix_only
    def test_new_file_respects_umask(self, tmp_path: Path) -> None:
        """A new file gets the mode the umask leaves, not the temporary file's."""
        old = os.umask(0o027)
        try:
            newsrecord.dump(newsrecord.loads(SIMPLE), tmp_path / "new.md")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640

    def test_failure_midway_leaves_the_old_file(
        self, record: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that fails halfway leaves the old file whole and no temp file."""
        real_write = os.write
        calls = []

        def write_half_then_fail(descriptor: int, data: bytes | memoryview) -> int:
            calls.append(len(data))
            if len(calls) > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(descriptor, bytes(data)[: len(data) // 2])

        monkeypatch.setattr("newsrecord._file.os.write", write_half_then_fail)
        article = attrs.evolve(newsrecord.load(record), title="Changed")
        with pytest.raises(OSError, match="No space left"):
            newsrecord.dump(article, record)
        assert len(calls) == 2
        assert record.read_bytes() == SIMPLE.encode("utf-8")
        assert leftovers(record.parent) == []

    @pytest.mark.parametrize("step", ["fsync", "replace"])
    def test_failure_at_the_end_leaves_the_old_file(
        self, record: Path, monkeypatch: pytest.MonkeyPatch, step: str
    ) -> None:
        """A failing fsync or rename leaves the old file whole and no temp file."""

        def fail(*_: object) -> None:
            raise OSError(errno.EIO, f"{step} failed")

        if step == "fsync":
            monkeypatch.setattr("newsrecord._file.os.fsync", fail)
        else:
            monkeypatch.setattr("newsrecord._file.Path.replace", fail)
        with pytest.raises(OSError, match=f"{step} failed"):
            newsrecord.dump(attrs.evolve(newsrecord.load(record), quality=1), record)
        assert record.read_bytes() == SIMPLE.encode("utf-8")
        assert leftovers(record.parent) == []

    def test_interrupt_leaves_the_old_file(
        self, record: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Even a KeyboardInterrupt while writing cleans up after itself."""

        def interrupt(*_: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr("newsrecord._file.os.fsync", interrupt)
        with pytest.raises(KeyboardInterrupt):
            newsrecord.dump(attrs.evolve(newsrecord.load(record), quality=1), record)
        assert record.read_bytes() == SIMPLE.encode("utf-8")
        assert leftovers(record.parent) == []


def _names(size: int) -> list[str]:
    """File names of ``size`` bytes in UTF-8: ASCII, and two- and three-byte ones."""
    names = ["r" * (size - 3) + ".md"]
    if (size - 3) % 2 == 0:
        names.append("é" * ((size - 3) // 2) + ".md")
    if (size - 3) % 3 == 0:
        names.append("€" * ((size - 3) // 3) + ".md")
    return names


class TestLongNames:
    @pytest.mark.parametrize(
        "name",
        [name for size in (200, 233, 234, 242, 248, 254, 255) for name in _names(size)],
        ids=lambda name: f"{len(name.encode())}-bytes-{name[0]}",
    )
    @pytest.mark.parametrize("exists", [False, True], ids=["new", "existing"])
    def test_names_up_to_the_limit(
        self, tmp_path: Path, name: str, *, exists: bool
    ) -> None:
        """A file name up to 255 bytes is written: the temporary name fits too."""
        path = tmp_path / name
        if exists:
            path.write_text("old", encoding="utf-8")
        article = newsrecord.loads(SIMPLE)
        newsrecord.dump(article, path)
        assert path.read_text(encoding="utf-8") == SIMPLE
        assert [entry.name for entry in tmp_path.iterdir()] == [name]


class TestInterrupted:
    @pytest.mark.parametrize("when", ["before", "after"])
    @pytest.mark.parametrize("exists", [False, True], ids=["new", "existing"])
    def test_interrupt_at_the_creation_leaves_nothing(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        when: str,
        *,
        exists: bool,
    ) -> None:
        """^C just before or just after the temporary file is made leaves none."""
        path = tmp_path / "record.md"
        if exists:
            path.write_bytes(SIMPLE.encode("utf-8"))
        real_open = os.open
        opened: list[int] = []

        def interrupted(*args: Any, **kwargs: Any) -> int:
            if when == "after":
                opened.append(real_open(*args, **kwargs))
            raise KeyboardInterrupt

        monkeypatch.setattr("newsrecord._file.os.open", interrupted)
        article = attrs.evolve(newsrecord.loads(SIMPLE), quality=1)
        with pytest.raises(KeyboardInterrupt):
            newsrecord.dump(article, path)
        for descriptor in opened:
            os.close(descriptor)
        assert leftovers(tmp_path) == []
        assert path.exists() is exists


#: Each call `replacing` makes, by the function and the how-manieth call to it.
STEPS = [
    ("os.open", 0),  # the temporary file
    ("os.write", 0),
    ("os.fsync", 0),
    ("os.fchown", 0),
    ("os.close", 0),  # the temporary file
    ("Path.chmod", 0),
    ("Path.replace", 0),
    ("os.open", 1),  # the directory, to sync the rename
    ("os.fsync", 1),
    ("os.close", 1),
]


def _signal_after(
    monkeypatch: pytest.MonkeyPatch, name: str, call: int, opened: list[int]
) -> None:
    """Send SIGINT right after the ``call``-th call of ``name`` returns.

    Every descriptor `os.open` gives is put in ``opened``.
    """
    real_open = os.open

    def recorded(*args: Any, **kwargs: Any) -> int:
        descriptor = real_open(*args, **kwargs)
        opened.append(descriptor)
        return descriptor

    monkeypatch.setattr(os, "open", recorded)
    owner, attribute = name.split(".")
    target = os if owner == "os" else Path
    real = getattr(target, attribute)
    calls = [0]

    def signalled(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == call + 1:
            signal.raise_signal(signal.SIGINT)
        return result

    monkeypatch.setattr(target, attribute, signalled)


@pytest.fixture
def interruptible() -> Iterator[None]:
    """SIGINT raises `KeyboardInterrupt`, as in a program that sets no handler."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _closed(descriptor: int) -> bool:
    try:
        os.fstat(descriptor)
    except OSError:
        return True
    return False


@pytest.mark.skipif(
    not hasattr(signal, "pthread_sigmask"),
    reason="signals wait while a descriptor is made only where they can be held",
)
@pytest.mark.usefixtures("interruptible")
class TestSignalled:
    @pytest.mark.parametrize(
        ("name", "call"), STEPS, ids=[f"{n}-{c}" for n, c in STEPS]
    )
    def test_sigint_after_any_step_leaves_no_descriptor_or_file(
        self, record: Path, monkeypatch: pytest.MonkeyPatch, name: str, call: int
    ) -> None:
        """SIGINT right after any call of a write leaves no open descriptor, no
        temporary file, and the old file or the new one whole."""
        article = attrs.evolve(newsrecord.load(record), quality=1)
        new = newsrecord.dumps(article).encode("utf-8")
        opened: list[int] = []
        _signal_after(monkeypatch, name, call, opened)
        with pytest.raises(KeyboardInterrupt):
            newsrecord.dump(article, record)
        monkeypatch.undo()
        assert opened
        assert all(_closed(descriptor) for descriptor in opened)
        assert leftovers(record.parent) == []
        assert record.read_bytes() in {SIMPLE.encode("utf-8"), new}


class TestOwner:
    @posix_only
    def test_owner_and_group_kept(self, record: Path) -> None:
        """The replaced file keeps the old one's owner and group.

        As root, any: the file is given to another user and group first; as
        anyone else, the owner's own and one of their groups.
        """
        if os.geteuid() == 0:
            owner, group = 4242, 4243
        else:
            owner, group = os.geteuid(), os.getgroups()[-1]
        os.chown(record, owner, group)
        newsrecord.dump(attrs.evolve(newsrecord.load(record), quality=1), record)
        status = record.stat()
        assert (status.st_uid, status.st_gid) == (owner, group)

    @posix_only
    def test_a_refused_owner_change_still_writes(
        self, record: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where giving the file away is not allowed, it is written all the same."""
        calls: list[tuple[int, int]] = []

        def refuse(_: int, owner: int, group: int) -> None:
            calls.append((owner, group))
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr("newsrecord._file.os.fchown", refuse)
        article = attrs.evolve(newsrecord.load(record), quality=1)
        newsrecord.dump(article, record)
        assert newsrecord.load(record) == article
        status = record.stat()
        assert calls == [(status.st_uid, status.st_gid)]
        assert leftovers(record.parent) == []
