"""Folders: finding record files, the engine that maps over them, and `load_dir`."""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import newsrecord
from newsrecord import _api, _file, _folder, _model
from newsrecord._folder import (
    available_cpus,
    find_files,
    load_files,
    map_files,
    worker_count,
)
from test_cli import COURSE, EXAMPLE, RECORDS, VALID

if TYPE_CHECKING:
    from collections.abc import Callable

INVALID = sorted((RECORDS / "invalid").glob("*.md"))  # broken YAML too


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of every kind of file: valid, invalid, another kind, nested."""
    files = {
        "example.md": EXAMPLE,
        "courses/course.md": COURSE,
        **{f"news/valid/{path.name}": path for path in VALID},
        **{f"news/invalid/{path.name}": path for path in INVALID},
    }
    for target, source in files.items():
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / target)
    (tmp_path / "news" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    return tmp_path


def many(folder: Path, count: int) -> Path:
    """``count`` records in subfolders of ``folder``: every tenth one invalid."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for index in range(count):
        sub = folder / f"part-{index % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        record = text.replace("opens its first", f"opens its {index}th")
        if index % 10 == 3:
            record = record.replace("heat: 12", "heat: hot")
        (sub / f"{index:05}.md").write_text(record, encoding="utf-8")
    return folder


def described(result: newsrecord.LoadResult) -> tuple[str, object, str, str]:
    """A result in comparable terms: path, record, error class and message."""
    error = result.error
    return (
        result.path,
        result.record,
        "" if error is None else type(error).__name__,
        "" if error is None else str(error),
    )


def expected(paths: list[str]) -> list[tuple[str, object, str, str]]:
    """What `load_record` gives for each path, in the terms of `described`."""
    results: list[tuple[str, object, str, str]] = []
    for path in paths:
        try:
            results.append((path, newsrecord.load_record(path), "", ""))
        except (newsrecord.NewsRecordError, OSError) as exc:
            results.append((path, None, type(exc).__name__, str(exc)))
    return results


def no_workers_left() -> bool:
    """Whether this process has no child process still running."""
    return multiprocessing.active_children() == []


class TestFindFiles:
    def test_order_and_names(self, tree: Path) -> None:
        """A directory's *.md files come first, then its subdirectories, sorted."""
        found = list(find_files([str(tree)], (), []))
        names = [os.path.relpath(path, tree) for path in found]
        assert names == [
            "example.md",
            "courses/course.md",
            *(f"news/invalid/{path.name}" for path in INVALID),
            *(f"news/valid/{path.name}" for path in VALID),
        ]

    def test_each_file_once(self, tree: Path) -> None:
        """Paths given twice, or a folder and a file in it, give each file once."""
        example = str(tree / "example.md")
        found = list(find_files([example, str(tree), example, str(tree)], (), []))
        assert len(found) == len(set(found)) == 2 + len(VALID) + len(INVALID)
        assert found[0] == example

    def test_each_file_once_however_its_path_is_written(
        self, tree: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A folder given as `news`, `./news` and by its absolute path: once."""
        monkeypatch.chdir(tree)
        paths = ["news", f"{os.curdir}{os.sep}news", str(tree / "news")]
        found = list(find_files(paths, (), []))
        assert len(found) == len(INVALID) + len(VALID)
        assert all(path.startswith("news") for path in found)  # as first given

    @pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
    def test_a_linked_directory_is_searched_only_when_given(self, tree: Path) -> None:
        """A link to a file is followed, one to a directory only when given."""
        (tree / "loop").symlink_to(tree, target_is_directory=True)
        (tree / "linked.md").symlink_to(tree / "example.md")
        found = list(find_files([str(tree)], (), []))
        assert str(tree / "linked.md") in found
        assert not [path for path in found if "loop" in path]
        given = list(find_files([str(tree / "loop")], (), []))
        assert str(tree / "loop" / "example.md") in given

    def test_a_file_named_on_its_own_is_taken(self, tree: Path) -> None:
        """A file given by name is taken whatever its name; one inside is not."""
        notes = str(tree / "news" / "notes.txt")
        assert list(find_files([notes], (), [])) == [notes]
        assert notes not in list(find_files([str(tree)], (), []))

    @pytest.mark.skipif(os.geteuid() == 0, reason="root lists any directory")
    def test_unreadable_directories_are_told(self, tree: Path) -> None:
        """A directory that cannot be listed goes to ``unreadable``, and the rest on."""
        locked = tree / "news" / "invalid"
        locked.chmod(0)
        unreadable: list[OSError] = []
        try:
            found = list(find_files([str(tree)], (), unreadable))
        finally:
            locked.chmod(0o755)
        assert [error.filename for error in unreadable] == [str(locked)]
        assert len(found) == 2 + len(VALID)


class TestWorkers:
    @pytest.mark.parametrize("requested", [5, 64, 1000, 10**9])
    def test_a_cap_of_a_few_per_cpu(self, requested: int) -> None:
        """However many workers are asked for, at most four per CPU start."""
        assert worker_count(requested) == min(requested, 4 * available_cpus())

    def test_the_default_is_one_per_cpu(self) -> None:
        """No number asked for: one per CPU this process may run on."""
        assert worker_count(None) == available_cpus()

    @pytest.mark.parametrize("files", [1, 40, 63])
    def test_few_files_are_done_here(self, tmp_path: Path, files: int) -> None:
        """Below 32 files a worker, all is done in this process, whatever asked."""
        folder = many(tmp_path, files)
        found = find_files([str(folder)], (), [])
        pids = {pid for _, pid in map_files(found, _pid, workers=worker_count(64))}
        assert pids == {os.getpid()}

    def test_workers_do_part_of_the_work(self, tmp_path: Path) -> None:
        """With enough files, worker processes do some, no more than asked for."""
        folder = many(tmp_path, 600)
        found = find_files([str(folder)], (), [])
        pids = {pid for _, pid in map_files(found, _pid, workers=3)}
        assert os.getpid() in pids
        assert 1 < len(pids) <= 3
        assert no_workers_left()

    def test_work_ahead_is_bounded(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """However slowly results are taken, few chunks are worked on ahead."""
        calls: list[str] = []
        monkeypatch.setattr(
            concurrent.futures, "ProcessPoolExecutor", _ThreadPool, raising=True
        )
        folder = many(tmp_path, 3000)
        found = find_files([str(folder)], (), [])
        results = map_files(found, functools.partial(_count, calls), workers=3)
        ahead = []
        for taken, _ in enumerate(results, start=1):
            ahead.append(len(calls) - taken)
        # 2 workers: 4 chunks in the pool, and up to 4 done here while waiting.
        assert max(ahead) <= 8 * 256
        assert len(calls) == 3000

    @pytest.mark.parametrize(
        ("result_bytes", "largest"),
        [(10, 256), (4_000, 256), (11_000, 95), (100_000, 16), (10**8, 16)],
    )
    def test_chunks_fit_the_size_of_results(
        self, result_bytes: int, largest: int
    ) -> None:
        """Chunks grow from 16 files to 256, or fewer when results are large."""
        chunks = _folder._Chunks(iter([f"{index}.md" for index in range(10_000)]))
        sizes = [len(chunks.take()) for _ in range(3)]
        chunks.learn(sum(sizes), sum(sizes) * result_bytes)
        sizes += [len(chunks.take()) for _ in range(6)]
        assert sizes[:3] == [16, 32, 64]
        assert max(sizes[3:]) == sizes[-1] == largest

    def test_results_come_back_in_files_removed_after(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Workers give results in files of the run's own directory, then gone."""
        temporary = tmp_path / "temporary"
        temporary.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(temporary))
        sent: list[bytes | str] = []
        received = _folder._received

        def spy(given: bytes | str) -> bytes:
            sent.append(given)
            return received(given)

        monkeypatch.setattr(_folder, "_received", spy)
        folder = many(tmp_path / "records", 600)
        found = list(find_files([str(folder)], (), []))
        results = list(map_files(found, _pid, workers=2))
        assert [path for path, _ in results] == found
        assert sent
        files = [Path(given) for given in sent if isinstance(given, str)]
        assert len(files) == len(sent)
        assert {file.parent.parent for file in files} == {temporary}
        # The directory was the run's own, and is gone with what it held.
        assert list(temporary.iterdir()) == []
        for _ in map_files(found, _pid, workers=2):
            break
        assert list(temporary.iterdir()) == []
        assert no_workers_left()

    def test_results_without_a_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No temporary directory can be made: results come through the pipe."""

        def refuse(**_: object) -> str:
            raise PermissionError(13, "Permission denied", "temporary")

        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
        folder = many(tmp_path, 600)
        paths = list(find_files([str(folder)], (), []))
        results = list(newsrecord.load_dir(folder, workers=2))
        assert [described(result) for result in results] == expected(paths)
        assert no_workers_left()

    def test_a_worker_that_cannot_write_sends_through_the_pipe(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that cannot be made, or written (a full disk), is not made."""
        paths = [str(EXAMPLE), str(COURSE)]
        step = functools.partial(load_files, strict=False, limits=newsrecord.Limits())
        whole = _folder._each_pickled(step, paths)
        missing = str(tmp_path / "gone")
        assert _folder._each_sent(step, missing, paths) == whole
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full to fill")
        made: list[str] = []

        def full(dir: str) -> tuple[int, str]:  # noqa: A002 (mkstemp's name)
            name = str(Path(dir) / "results")
            Path(name).touch()
            made.append(name)
            return os.open("/dev/full", os.O_WRONLY), name

        monkeypatch.setattr(tempfile, "mkstemp", full)
        assert _folder._each_sent(step, str(tmp_path), paths) == whole
        assert made == [str(tmp_path / "results")]
        assert list(tmp_path.iterdir()) == []


def _pid(_: str) -> int:
    return os.getpid()


def _count(calls: list[str], path: str) -> str:
    calls.append(path)
    return path


class _ThreadPool(concurrent.futures.ThreadPoolExecutor):
    """A stand-in for the process pool, in this process: its calls can be counted."""

    def __init__(self, workers: int, _context: object, **_: Any) -> None:
        super().__init__(workers)


class TestLoadDir:
    @pytest.mark.parametrize("workers", [1, 2, 3])
    def test_a_result_per_file_as_load_gives(
        self, tmp_path: Path, workers: int
    ) -> None:
        """Each file gives what `load` gives (its record or error), in order."""
        folder = many(tmp_path, 300)
        shutil.copy(COURSE, folder / "part-3" / "course.md")
        results = newsrecord.load_dir(folder, workers=workers)
        paths = list(find_files([str(folder)], (), []))
        assert [described(result) for result in results] == expected(paths)
        assert no_workers_left()

    def test_every_kind_of_file(self, tree: Path) -> None:
        """Valid, invalid, broken and of other kinds: the errors are values."""
        results = list(newsrecord.load_dir(tree, workers=1))
        assert [described(result) for result in results] == expected(
            list(find_files([str(tree)], (), []))
        )
        errors = {type(result.error) for result in results}
        assert errors == {
            type(None),
            newsrecord.ValidationError,
            newsrecord.FrontMatterError,
        }
        kinds = {type(result.record) for result in results if result.record}
        assert kinds == {newsrecord.Article, newsrecord.Course}
        for result in results:
            assert (result.record is None) != (result.error is None)

    def test_records_write_back_exactly(self, tree: Path) -> None:
        """A record from load_dir is written back byte for byte, as from `load`."""
        loaded = [r for r in newsrecord.load_dir(tree, workers=2) if r.record]
        assert loaded
        for result in loaded:
            assert result.record is not None
            text = Path(result.path).read_bytes().decode("utf-8")
            assert newsrecord.dumps(result.record) == text.removeprefix("\ufeff")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_files_that_cannot_be_read(self, tree: Path) -> None:
        """A dangling link and a named pipe are `OSError` values; nothing waits."""
        (tree / "news" / "gone.md").symlink_to(tree / "nowhere.md")
        os.mkfifo(tree / "news" / "pipe.md")
        results = {
            Path(result.path).name: result.error for result in newsrecord.load_dir(tree)
        }
        assert isinstance(results["gone.md"], FileNotFoundError)
        assert isinstance(results["pipe.md"], OSError)
        assert "not a regular file" in str(results["pipe.md"])

    def test_len_counts_the_results(self, tree: Path) -> None:
        """`len()` is the number of results an iteration gives, for progress bars."""
        results = newsrecord.load_dir(tree, exclude=["invalid"])
        assert len(results) == len(list(results)) == 2 + len(VALID)

    @pytest.mark.parametrize(
        "exclude",
        [["invalid"], ["*/news/*"], ["course.md", "example.md"], ["news", "*.md"]],
    )
    def test_exclude_as_validate(self, tree: Path, exclude: list[str]) -> None:
        """``exclude`` leaves out what `validate --exclude` leaves out."""
        paths = [r.path for r in newsrecord.load_dir(tree, exclude=exclude)]
        assert paths == list(find_files([str(tree)], exclude, []))
        assert len(paths) < len(list(find_files([str(tree)], (), [])))

    def test_strict_and_limits_are_passed_on(self, tree: Path) -> None:
        """``strict`` and ``limits`` apply to each file, as `load` applies them."""
        oddities = str(tree / "news" / "valid" / "oddities.md")
        strict = {r.path: r for r in newsrecord.load_dir(tree, strict=True)}
        assert isinstance(strict[oddities].error, newsrecord.ValidationError)
        small = newsrecord.Limits(max_file_size=10)
        for result in newsrecord.load_dir(tree, limits=small, workers=2):
            assert isinstance(result.error, newsrecord.FrontMatterError)
            assert result.error.code == "too-large"

    def test_a_file_path_loads_that_file(self) -> None:
        """A path that is a file gives that file's one result."""
        (result,) = newsrecord.load_dir(EXAMPLE)
        assert result.record == newsrecord.load(EXAMPLE)

    def test_leaving_the_loop_stops_the_workers(self, tmp_path: Path) -> None:
        """A loop left early, or ^C in it, leaves no worker process behind."""
        folder = many(tmp_path, 2000)
        for result in newsrecord.load_dir(folder, workers=2):
            assert result.path
            break
        assert no_workers_left()
        with pytest.raises(KeyboardInterrupt):  # noqa: PT012 (^C inside the loop)
            for index, _ in enumerate(newsrecord.load_dir(folder, workers=2)):
                if index == 300:
                    raise KeyboardInterrupt
        assert no_workers_left()

    def test_with_threads_running(self, tmp_path: Path) -> None:
        """With another thread running, workers start safely, with the same results."""
        folder = many(tmp_path, 400)
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            results = list(newsrecord.load_dir(folder, workers=2))
        finally:
            stop.set()
            thread.join()
        paths = list(find_files([str(folder)], (), []))
        assert [described(result) for result in results] == expected(paths)

    def test_results_pickle(self, tree: Path) -> None:
        """Results pickle (records and errors both) and come back equal."""
        for result in newsrecord.load_dir(tree, workers=1):
            copy = pickle.loads(pickle.dumps(result))  # noqa: S301 (our own bytes)
            assert described(copy) == described(result)

    def test_records_travel_without_being_read_again(
        self, tree: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Records from a worker are rebuilt from their attributes, and write back."""
        paths = [str(path) for path in sorted(tree.rglob("*.md"))]
        step = functools.partial(load_files, strict=False, limits=newsrecord.Limits())
        sent = _folder._each_pickled(step, paths)

        def read_again(_: bytes) -> object:
            raise AssertionError("a record from a worker was read again")

        monkeypatch.setattr(_model, "_from_file", read_again)
        received = pickle.loads(sent)  # noqa: S301 (our own bytes)
        loaded = [result for result in received if result.record is not None]
        assert loaded
        for result in loaded:
            assert result.record == newsrecord.load_record(result.path)
            written = newsrecord.dumps(result.record).encode("utf-8")
            assert written == Path(result.path).read_bytes()

    def test_load_file_holds_no_frames(self) -> None:
        """An error value holds no traceback (nor the file text in its frames)."""
        limits = newsrecord.Limits()
        (result,) = load_files([str(INVALID[0])], strict=False, limits=limits)
        assert result.error is not None
        assert result.error.__traceback__ is None


class TestReadAhead:
    def test_each_file_with_its_bytes_or_its_error(self, tree: Path) -> None:
        """In order: a file's bytes as `load` reads them, or the `OSError` raised."""
        paths = [str(tree / "example.md"), str(tree / "missing.md"), str(tree / "news")]
        given = list(_folder.read_ahead(paths, newsrecord.Limits()))
        assert [path for path, _ in given] == paths
        assert given[0][1] == (tree / "example.md").read_bytes()
        assert isinstance(given[1][1], FileNotFoundError)
        assert isinstance(given[2][1], IsADirectoryError)
        assert given[1][1].filename == paths[1]

    def test_a_file_too_large_is_read_one_byte_past_the_limit(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "large.md"
        path.write_bytes(b"x" * 100)
        ((_, data),) = _folder.read_ahead(
            [str(path)], newsrecord.Limits(max_file_size=10)
        )
        assert data == b"x" * 11

    @pytest.mark.parametrize(
        ("size", "ahead"), [(100, _folder._AHEAD_FILES), (100_000, 3)]
    )
    def test_files_are_read_a_few_ahead(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, ahead: int
    ) -> None:
        """Files are read before the first is given: 16, or fewer holding 256 KiB."""
        paths = []
        for index in range(40):
            path = tmp_path / f"{index:02}.md"
            path.write_bytes(b"x" * size)
            paths.append(str(path))
        read = reads_counted(monkeypatch)
        given = _folder.read_ahead(paths, newsrecord.Limits())
        next(given)
        assert read == paths[:ahead]
        assert [path for path, _ in given] == paths[1:]
        assert read == paths

    def test_load_dir_loads_what_it_read_ahead(
        self, tree: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The records come from the bytes read ahead: no file is read twice."""
        expected = described_all(tree)
        read = reads_counted(monkeypatch)
        monkeypatch.setattr(_api, "read_file", _not_again)
        assert described_all(tree) == expected
        assert sorted(read) == sorted(str(path) for path in tree.rglob("*.md"))


def reads_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the folder engine reads from now on, in order."""
    read: list[str] = []

    def counted(path: str, budget: int) -> bytes:
        read.append(path)
        return _file.read_file(path, budget)

    monkeypatch.setattr(_folder, "read_file", counted)
    return read


def described_all(tree: Path) -> list[tuple[str, object, str, str]]:
    return [described(result) for result in newsrecord.load_dir(tree, workers=1)]


def _not_again(path: str, _: int) -> bytes:
    raise AssertionError(f"{path} read again")


class TestLoadDirArguments:
    @pytest.mark.parametrize("path", [42, b"content", None, ["content"]])
    def test_a_path_of_another_type(self, path: Any) -> None:
        """Anything but a str or os.PathLike path is our TypeError."""
        with pytest.raises(TypeError, match=r"^load_dir\(\) takes a path"):
            newsrecord.load_dir(path)

    @pytest.mark.parametrize("workers", ["2", 2.0, True])
    def test_workers_of_another_type(self, workers: Any) -> None:
        """``workers`` must be an int (not a bool) or None."""
        with pytest.raises(TypeError, match=r"^workers must be an int or None, not "):
            newsrecord.load_dir(EXAMPLE, workers=workers)

    @pytest.mark.parametrize("workers", [0, -1])
    def test_workers_below_one(self, workers: int) -> None:
        """``workers`` below 1 is a ValueError."""
        with pytest.raises(
            ValueError, match=f"^workers must be 1 or more, not {workers}$"
        ):
            newsrecord.load_dir(EXAMPLE, workers=workers)

    @pytest.mark.parametrize("exclude", ["drafts", [1], [None], None, 5])
    def test_exclude_of_another_type(self, exclude: Any) -> None:
        """``exclude`` is a sequence of globs; a bare string would be its letters."""
        calls: dict[str, Callable[[], object]] = {
            "load_dir": lambda: newsrecord.load_dir(EXAMPLE, exclude=exclude),
            "export": lambda: newsrecord.export(EXAMPLE, "out.jsonl", exclude=exclude),
        }
        for function, call in calls.items():
            message = rf"^{function}\(\) takes exclude as a sequence of glob strings"
            with pytest.raises(TypeError, match=message):
                call()

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"strict": "yes"}, "takes strict as a bool, not str"),
            ({"limits": {"max_problems": 1}}, "takes limits as a newsrecord.Limits"),
        ],
    )
    def test_options_of_another_type(
        self, options: dict[str, Any], message: str
    ) -> None:
        """``strict`` and ``limits`` are checked at the call, not in each worker."""
        with pytest.raises(TypeError, match=rf"^load_dir\(\) {message}"):
            newsrecord.load_dir(EXAMPLE, **options)
        if "strict" in options:
            with pytest.raises(TypeError, match=rf"^export\(\) {message}"):
                newsrecord.export(EXAMPLE, "out.jsonl", **options)

    def test_a_missing_path(self, tmp_path: Path) -> None:
        """A folder that does not exist fails at the call, naming it."""
        missing = tmp_path / "missing"
        with pytest.raises(FileNotFoundError) as caught:
            newsrecord.load_dir(missing)
        assert caught.value.filename == str(missing)
