"""Records on Dask: a bag and a data frame, computed on a cluster of two processes.

The records come from the benchmark's generator (a small set: the test must run
on a 2-core machine); the bag must hold what `newsrecord.load` gives for each
file, and the data frame the Arrow schema of the Parquet export.
"""

from __future__ import annotations

import copyreg
import importlib
import os
import pickle
import re
import shutil
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import fsspec
import pyarrow as pa
import pytest

import newsrecord
from newsrecord._model import source_of

# Dask and distributed change how every exception class known at their import
# pickles (tblib's copyreg reducers), and some cannot then be rebuilt: the tests
# of other modules pickle errors, so the rules are put back, here and after each
# test of this module.
_PICKLING = dict(copyreg.dispatch_table)
from distributed import Client, LocalCluster  # noqa: E402

import newsrecord.dask  # noqa: E402
from newsrecord import _api, _arrow, _file, _folder  # noqa: E402
from newsrecord._folder import load_files  # noqa: E402
from newsrecord._limits import Limits  # noqa: E402
from records import record  # noqa: E402


def _restore_pickling() -> None:
    copyreg.dispatch_table.clear()
    copyreg.dispatch_table.update(_PICKLING)


_restore_pickling()

if TYPE_CHECKING:
    from collections.abc import Iterator

BENCH = Path(__file__).resolve().parents[1] / "bench"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"
KINDS_DATA = Path(__file__).resolve().parent / "data" / "kinds"
RECORDS = 120
COURSE = """\
---
title: "A course"
type: course
---
"""


@pytest.fixture(autouse=True)
def _pickling_as_it_was() -> Iterator[None]:
    """Put back the pickling rules a test of the cluster may have changed."""
    yield
    _restore_pickling()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated news records, in a folder of their own, in file order."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))
        generate = importlib.import_module("generate")
    sys.modules.pop("generate", None)
    folder = tmp_path_factory.mktemp("generated")
    return sorted(generate.generate(folder, RECORDS))


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's valid records of every kind, a folder per kind."""
    folder = tmp_path_factory.mktemp("kinds")
    for path in sorted(KINDS_DATA.glob("*/valid-*.md")):
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return folder


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A local cluster of two worker processes with one thread each."""
    with (
        LocalCluster(
            processes=True,
            n_workers=2,
            threads_per_worker=1,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


class TestBag:
    def test_the_records_load_gives(
        self, generated: list[Path], client: Client
    ) -> None:
        """On two worker processes, the bag holds each file's record, in file order."""
        bag = newsrecord.dask.read_records(
            str(generated[0].parent / "*.md"), files_per_partition=16
        )
        assert bag.npartitions == -(-RECORDS // 16)
        records = client.compute(bag).result()
        assert records == [newsrecord.load(path) for path in generated]
        assert len(client.scheduler_info()["workers"]) == 2

    def test_results_pair_paths_with_records_or_errors(
        self, generated: list[Path], tmp_path: Path, client: Client
    ) -> None:
        """Files that do not load give their error as a value, beside their path."""
        for path in generated[:5]:
            shutil.copyfile(path, tmp_path / path.name)
        broken = sorted(INVALID.glob("*.md"))[:3]
        for path in broken:
            shutil.copyfile(path, tmp_path / path.name)
        (tmp_path / "course.md").write_text(COURSE, encoding="utf-8")
        wrong = record({"quality": 'quality: "high"', "heat": "heat: warm"})
        (tmp_path / "fields.md").write_text(wrong, encoding="utf-8")
        bag = newsrecord.dask.read_results(
            str(tmp_path / "*.md"), files_per_partition=2
        )
        results = dict(client.compute(bag).result())
        assert sorted(results) == sorted(str(path) for path in tmp_path.glob("*.md"))
        for path, result in results.items():
            if isinstance(result, newsrecord.Article):
                assert result == newsrecord.load(path)
                continue
            with pytest.raises(type(result)) as raised:
                newsrecord.load(path)
            assert str(raised.value) == str(result)
        assert isinstance(results[str(tmp_path / "course.md")], newsrecord.KindError)
        fields = results[str(tmp_path / "fields.md")]
        assert isinstance(fields, newsrecord.ValidationError)
        assert [error.key_path for error in fields.errors] == ["quality", "heat"]

    def test_local_files_are_read_ahead(
        self, generated: list[Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A partition's local files are read as `load_dir` reads them, once each."""
        expected = [newsrecord.load(path) for path in generated]
        read: list[str] = []

        def counted(path: str, budget: int) -> bytes:
            read.append(path)
            return _file.read_file(path, budget)

        def not_again(path: str, _: int) -> bytes:
            raise AssertionError(f"{path} read again")

        monkeypatch.setattr(_folder, "read_file", counted)
        monkeypatch.setattr(_api, "read_file", not_again)
        bag = newsrecord.dask.read_records(
            str(generated[0].parent / "*.md"), files_per_partition=16
        )
        assert bag.compute(scheduler="sync") == expected
        assert sorted(read) == sorted(str(path) for path in generated)

    def test_files_of_any_fsspec_file_system(self, generated: list[Path]) -> None:
        """Files on another fsspec file system read as `loads` reads their bytes."""
        memory = fsspec.filesystem("memory")
        folder = f"/records-{uuid.uuid4().hex}"
        for path in generated[:6]:
            memory.pipe(f"{folder}/{path.name}", path.read_bytes())
        memory.pipe(f"{folder}/course.md", COURSE.encode("utf-8"))
        try:
            bag = newsrecord.dask.read_results(f"memory://{folder}/*.md")
            results = bag.compute(scheduler="sync")
        finally:
            memory.rm(folder, recursive=True)
        names = sorted([*(path.name for path in generated[:6]), "course.md"])
        assert [path for path, _ in results] == [
            f"memory://{folder}/{name}" for name in names
        ]
        records = [record for _, record in results[:-1]]
        assert records == [newsrecord.load(path) for path in generated[:6]]
        error = results[-1][1]
        assert isinstance(error, newsrecord.KindError)
        assert error.path == f"memory://{folder}/course.md"

    def test_a_directory_stands_for_its_record_files(
        self, generated: list[Path], tmp_path: Path
    ) -> None:
        """A directory gives the *.md files below it, each file once, in path order."""
        (tmp_path / "sub").mkdir()
        shutil.copyfile(generated[0], tmp_path / "b.md")
        shutil.copyfile(generated[1], tmp_path / "sub" / "a.md")
        (tmp_path / "notes.txt").write_text("not a record", encoding="utf-8")
        paths = [str(tmp_path), str(tmp_path / "b.md")]
        results = newsrecord.dask.read_results(paths).compute(scheduler="sync")
        assert [path for path, _ in results] == [
            str(tmp_path / "b.md"),
            str(tmp_path / "sub" / "a.md"),
        ]
        assert [record for _, record in results] == [
            newsrecord.load(generated[0]),
            newsrecord.load(generated[1]),
        ]

    @pytest.mark.parametrize("pattern", [None, "**/*.md", "*.md"])
    def test_a_folder_named_like_a_record_is_looked_in(
        self, generated: list[Path], tmp_path: Path, pattern: str | None
    ) -> None:
        """A folder named ``*.md`` holds records, as validate finds them: no error."""
        (tmp_path / "notes.md").mkdir()
        (tmp_path / "empty.md").mkdir()
        shutil.copyfile(generated[0], tmp_path / "notes.md" / "a.md")
        shutil.copyfile(generated[1], tmp_path / "b.md")
        urlpath = str(tmp_path if pattern is None else tmp_path / pattern)
        results = newsrecord.dask.read_results(urlpath).compute(scheduler="sync")
        expected = [result.path for result in newsrecord.load_dir(tmp_path)]
        assert [path for path, _ in results] == expected
        assert expected == [str(tmp_path / "b.md"), str(tmp_path / "notes.md" / "a.md")]
        assert [record for _, record in results] == [
            newsrecord.load(generated[1]),
            newsrecord.load(generated[0]),
        ]

    def test_local_paths_are_found_as_fsspec_finds_them(
        self, generated: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Local paths, read without fsspec resolving each, name the same files."""
        (tmp_path / "sub").mkdir()
        for index, path in enumerate(generated[:3]):
            shutil.copyfile(path, tmp_path / "sub" / f"{index}.md")
        monkeypatch.chdir(tmp_path)
        paths = [
            str(tmp_path / "sub" / "0.md"),  # absolute
            "sub/1.md",  # relative
            "./sub/2.md",
            "sub",  # a directory: its record files
            str(tmp_path / "sub" / "*.md"),  # a glob
            "sub/0.md",  # again
        ]
        file_system, found = newsrecord.dask._files(paths, {})
        monkeypatch.setattr(newsrecord.dask, "_local", lambda _: False)
        assert newsrecord.dask._files(paths, {}) == (file_system, found)
        assert found == [str(tmp_path / "sub" / f"{index}.md") for index in range(3)]

    @pytest.mark.skipif(os.sep != "/", reason="folders are listed on POSIX only")
    def test_many_paths_of_a_folder_are_found_as_fsspec_finds_them(
        self, generated: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A folder holding many of the paths is listed: the same files are found."""
        folder = tmp_path / "many"
        folder.mkdir()
        for index in range(40):
            shutil.copyfile(generated[index % 3], folder / f"{index:02d}.md")
        (folder / "sub.md").mkdir()  # a folder named like a record: looked in
        shutil.copyfile(generated[0], folder / "sub.md" / "in.md")
        (folder / "to-sub").symlink_to(folder / "sub.md")  # followed, as isdir does
        (folder / "to-file.md").symlink_to(folder / "00.md")
        (folder / "broken.md").symlink_to(folder / "missing")
        names = [f"{index:02d}.md" for index in range(40)]
        names += ["sub.md", "to-sub", "to-file.md", "broken.md", "absent.md", ".."]
        paths = [str(folder / name) for name in names]
        paths.insert(3, f"{folder}//01.md")  # written otherwise: the same file
        paths.insert(5, f"{folder}/05.md/")  # fsspec drops the slash
        file_system, found = newsrecord.dask._files(paths, {})
        monkeypatch.setattr(newsrecord.dask, "_local", lambda _: False)
        assert newsrecord.dask._files(paths, {}) == (file_system, found)
        assert str(folder / "sub.md" / "in.md") in found
        assert str(folder / "to-sub" / "in.md") in found
        assert str(folder / "absent.md") in found  # no file: its error comes later

    @pytest.mark.skipif(os.sep != "/", reason="folders are listed on POSIX only")
    @pytest.mark.parametrize("asked", [16, 20, 400])
    def test_directories_as_isdir_tells_in_a_large_folder(
        self, tmp_path: Path, asked: int
    ) -> None:
        """Few paths of a large folder: the listing stops, the rest asked one by one."""
        for index in range(1200):
            (tmp_path / f"{index:04d}").touch()
        for index in range(0, 1200, 7):
            (tmp_path / f"{index:04d}").unlink()
            (tmp_path / f"{index:04d}").mkdir()
        paths = [str(tmp_path / f"{index:04d}") for index in range(1199, -1, -3)]
        paths = paths[:asked]
        directories = newsrecord.dask._directories(paths)
        assert directories == {path for path in paths if Path(path).is_dir()}
        assert directories  # some of each

    @pytest.mark.parametrize(
        "path", ["file:///tmp/a.md", "memory://a.md", "simplecache::/tmp/a.md"]
    )
    def test_paths_with_a_protocol_are_not_taken_for_local_ones(
        self, path: str
    ) -> None:
        """A protocol or a chain leaves a path to fsspec, local or not."""
        assert not newsrecord.dask._local(path)

    @pytest.mark.parametrize(
        "urlpath", ["missing/*.md", ["missing/a.md/*.md", "missing/**/*.md"]]
    )
    def test_nothing_matched_is_an_error(
        self, urlpath: str | list[str], tmp_path: Path
    ) -> None:
        """Paths that match no file raise FileNotFoundError at once, naming them."""
        paths = [urlpath] if isinstance(urlpath, str) else urlpath
        urlpaths = [str(tmp_path / path) for path in paths]
        with pytest.raises(FileNotFoundError) as raised:
            newsrecord.dask.read_records(urlpaths)
        assert str(raised.value) == (
            f"[Errno 2] no file matches: '{', '.join(urlpaths)}'"
        )

    def test_read_records_raises_the_first_error(
        self, generated: list[Path], tmp_path: Path
    ) -> None:
        """Computing the records of a folder with a broken file raises its error."""
        shutil.copyfile(generated[0], tmp_path / "a.md")
        (tmp_path / "b.md").write_text(COURSE, encoding="utf-8")
        bag = newsrecord.dask.read_records(str(tmp_path / "*.md"))
        with pytest.raises(newsrecord.KindError, match=r"b\.md"):
            bag.compute(scheduler="sync")

    def test_records_pickle_compactly(self, generated: list[Path]) -> None:
        """A record of the bag pickles to little more than its file, and back equal.

        It holds no file's text: unpickled, it is not read again.
        """
        bag = newsrecord.dask.read_records(str(generated[0]))
        [record] = bag.compute(scheduler="sync")
        data = pickle.dumps(record)
        assert pickle.loads(data) == newsrecord.load(generated[0])  # noqa: S301 (our own)
        assert len(data) < 1.5 * generated[0].stat().st_size
        assert source_of(record) is None

    @pytest.mark.parametrize(
        ("size", "error", "message"),
        [
            (0, ValueError, "files_per_partition must be 1 or more, not 0"),
            (-3, ValueError, "files_per_partition must be 1 or more, not -3"),
            ("16", TypeError, "files_per_partition must be an int, not str"),
            (True, TypeError, "files_per_partition must be an int, not bool"),
        ],
    )
    def test_a_partition_size_that_is_no_size(
        self, size: object, error: type[Exception], message: str
    ) -> None:
        """A partition size that is not a positive int is refused at once."""
        with pytest.raises(error, match=f"^{message}$"):
            newsrecord.dask.read_results("*.md", files_per_partition=size)  # type: ignore[arg-type]

    def test_strict_of_another_type(self) -> None:
        """``strict`` is checked at the call, not in each task."""
        with pytest.raises(TypeError, match=r"^read_results\(\) takes strict as a"):
            newsrecord.dask.read_results("*.md", strict="yes")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("urlpath", "given"),
        [(None, "NoneType"), (5, "int"), (b"*.md", "bytes"), (["*.md", 5], "int")],
    )
    def test_a_urlpath_that_is_no_path(self, urlpath: object, given: str) -> None:
        """Paths and globs are text (or os.PathLike): anything else, our TypeError."""
        message = (
            "urlpath must be a path or a glob, or a list of them (str or "
            f"os.PathLike), not {given}"
        )
        for read in (newsrecord.dask.read_results, newsrecord.dask.read_records):
            with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
                read(urlpath)  # type: ignore[arg-type]

    def test_no_urlpath_at_all(self) -> None:
        """An empty list of paths says so, rather than that '' matches nothing."""
        with pytest.raises(ValueError, match=r"^urlpath holds no path or glob$"):
            newsrecord.dask.read_results([])

    def test_a_path_object(self, generated: list[Path]) -> None:
        """An os.PathLike is read as its text, alone or in a list."""
        for urlpath in (generated[0], [generated[0]]):
            [record] = newsrecord.dask.read_records(urlpath).compute(scheduler="sync")  # type: ignore[arg-type]
            assert record == newsrecord.load(generated[0])


class TestDataFrame:
    @pytest.mark.parametrize("results", [None, [("a.md", None)]])
    def test_of_something_else_than_a_bag(self, results: object) -> None:
        """A data frame is made of a bag: anything else is our TypeError."""
        message = f"^results must be a dask bag, not {type(results).__name__}$"
        with pytest.raises(TypeError, match=message):
            newsrecord.dask.to_dataframe(results)  # type: ignore[arg-type]

    def test_a_path_that_is_not_text_is_an_error(
        self, generated: list[Path], tmp_path: Path
    ) -> None:
        """A file name with bytes that are not UTF-8 fits no column: it is an error."""
        name = os.fsdecode(b"caf\xe9.md")  # Latin-1, not UTF-8
        try:
            shutil.copyfile(generated[0], tmp_path / name)
        except (OSError, UnicodeEncodeError):  # a file system of UTF-8 names only
            pytest.skip("this file system takes UTF-8 file names only")
        results = newsrecord.dask.read_results(str(tmp_path))
        [(path, record)] = results.compute(scheduler="sync")
        assert record == newsrecord.load(generated[0])
        frame = newsrecord.dask.to_dataframe(results)
        with pytest.raises(newsrecord.ValidationError) as raised:
            frame.compute(scheduler="sync")
        assert str(raised.value) == (
            f"{path}: the file's path is not UTF-8 text (it holds the byte 0xe9): "
            "an exported row holds the path as text; rename the file"
        )

    def test_the_schema_of_the_parquet_export(
        self, generated: list[Path], client: Client
    ) -> None:
        """The data frame has the export's Arrow types, and a row per record."""
        results = newsrecord.dask.read_results(
            str(generated[0].parent / "*.md"), files_per_partition=32
        )
        frame = newsrecord.dask.to_dataframe(results)
        computed = client.compute(frame).result()
        schema = _arrow.schema()
        assert list(computed.columns) == schema.names
        assert [dtype.pyarrow_dtype for dtype in computed.dtypes] == schema.types
        assert [dtype.pyarrow_dtype for dtype in frame.dtypes] == schema.types
        assert computed["path"].tolist() == [str(path) for path in generated]
        table = pa.Table.from_pandas(computed, preserve_index=False)
        expected = _arrow.table(
            [_arrow.row(str(path), newsrecord.load(path)) for path in generated]
        )
        assert table.cast(schema).equals(expected)

    def test_the_token_only_when_revealed(self, generated: list[Path]) -> None:
        """The `secured` column is there only with reveal_secured."""
        results = newsrecord.dask.read_results(str(generated[0]))
        hidden = newsrecord.dask.to_dataframe(results)
        shown = newsrecord.dask.to_dataframe(results, reveal_secured=True)
        assert "secured" not in hidden.columns
        [token] = shown["secured"].compute(scheduler="sync").tolist()
        assert token == str(newsrecord.load(generated[0]).secured)


class TestKinds:
    def test_every_kind_as_load_record_reads_it(
        self, kinds: Path, client: Client
    ) -> None:
        """With no kind named, the bag holds each file's record of whatever kind."""
        bag = newsrecord.dask.read_records(str(kinds), kind=None, files_per_partition=4)
        records = client.compute(bag).result()
        files = sorted(kinds.rglob("*.md"))
        assert records == [newsrecord.load_record(path) for path in files]
        assert {type(record) for record in records} == set(newsrecord.KINDS.values())

    @pytest.mark.parametrize("kind", sorted(newsrecord.KINDS))
    def test_one_kind_and_the_others_as_errors(self, kind: str, kinds: Path) -> None:
        """A kind named gives the records that read as it; the others, their errors.

        As `load` reads news: a file of another kind is a `KindError`.
        """
        results = newsrecord.dask.read_results(str(kinds), kind=kind).compute(
            scheduler="sync"
        )
        model = newsrecord.KINDS[kind]
        assert [path for path, _ in results] == [
            str(path) for path in sorted(kinds.rglob("*.md"))
        ]
        for path, result in results:
            (loaded,) = load_files([path], strict=False, limits=Limits(), model=model)
            if loaded.error is None:
                assert result == loaded.record
                assert isinstance(result, model)
            else:
                assert (type(result), str(result)) == (
                    type(loaded.error),
                    str(loaded.error),
                )
        assert any(isinstance(result, newsrecord.KindError) for _, result in results)

    @pytest.mark.parametrize("kind", sorted(newsrecord.KINDS))
    def test_a_data_frame_of_each_kind(self, kind: str, kinds: Path) -> None:
        """A kind's data frame has the columns and values of its Parquet export."""
        results = newsrecord.dask.read_results(str(kinds), kind=kind).filter(
            lambda result: isinstance(result[1], newsrecord.Record)
        )
        frame = newsrecord.dask.to_dataframe(results, kind=kind)
        computed = frame.compute(scheduler="sync")
        model: type = newsrecord.KINDS[kind]
        schema = _arrow.schema(model)
        assert [dtype.pyarrow_dtype for dtype in computed.dtypes] == schema.types
        paths = sorted(kinds.rglob("*.md"))
        loaded = load_files(
            [str(path) for path in paths], strict=False, limits=Limits(), model=model
        )
        expected = _arrow.table(
            [
                _arrow.row(result.path, result.record)
                for result in loaded
                if result.record is not None
            ],
            model,
        )
        assert expected.num_rows > 0
        table = pa.Table.from_pandas(computed, preserve_index=False)
        assert table.cast(schema).equals(expected)

    def test_a_data_frame_of_another_kind_is_an_error(self, kinds: Path) -> None:
        """A record of another kind in a data frame raises a KindError naming it."""
        results = newsrecord.dask.read_results(str(kinds / "course"), kind=None)
        frame = newsrecord.dask.to_dataframe(results, kind="news")
        with pytest.raises(
            newsrecord.KindError, match="its kind is `course`"
        ) as raised:
            frame.compute(scheduler="sync")
        assert raised.value.kind == "course"

    @pytest.mark.parametrize("kind", ["podcast", None])
    def test_a_data_frame_needs_a_kind(self, kind: str | None, kinds: Path) -> None:
        """A data frame is of one kind: no kind, or an unknown one, is refused."""
        results = newsrecord.dask.read_results(str(kinds), kind=None)
        with pytest.raises(ValueError, match="kind"):
            newsrecord.dask.to_dataframe(results, kind=kind)  # type: ignore[arg-type]

    def test_an_unknown_kind_is_refused(self, kinds: Path) -> None:
        """A name that is no kind's is refused at once, naming the kinds."""
        with pytest.raises(ValueError, match=r"^unknown kind 'podcast': one of news, "):
            newsrecord.dask.read_results(str(kinds), kind="podcast")


class TestOptional:
    def test_without_dask_the_extra_is_named(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without Dask, importing newsrecord.dask says which extra to install."""
        monkeypatch.delitem(sys.modules, "newsrecord.dask")
        for name in list(sys.modules):
            if name == "dask" or name.startswith("dask."):
                monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, "dask", None)
        message = (
            "newsrecord.dask needs dask; "
            "install it with: pip install 'newsrecord[dask]'"
        )
        with pytest.raises(
            ModuleNotFoundError, match=f"^{message}$".replace("[", r"\[")
        ):
            importlib.import_module("newsrecord.dask")
