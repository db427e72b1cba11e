"""Exporting records to JSON Lines and Parquet, from Python and the command line.

The files written are read back by other readers (json, pyarrow, DuckDB) and must
hold the values `to_dict` gives for each record.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import multiprocessing
import os
import pickle
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

import newsrecord
from newsrecord import _arrow, _export, _folder
from newsrecord._cli import run
from newsrecord._limits import Limits
from newsrecord._model import Article, file_key
from records import record
from strategies import articles

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

VALID = Path(__file__).resolve().parent / "data" / "valid"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"
#: The project's records of every kind, a folder per kind (see test_kinds.py).
KINDS_DATA = Path(__file__).resolve().parent / "data" / "kinds"
#: The corpus's real records of every kind, when it is there.
REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
#: A course: a record of another kind, which export leaves out.
COURSE = """\
---
title: "A course"
type: course
---
"""


#: Files in `large`: enough for `workers=3` to start two worker processes.
LARGE: Final = 4 * _folder._FILES_PER_WORKER


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A folder with the project's valid records (no other files)."""
    folder = tmp_path / "content"
    folder.mkdir()
    for path in sorted(VALID.glob("*.md")):
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with the project's valid records of every kind, a folder each."""
    folder = tmp_path / "mixed"
    for path in sorted(KINDS_DATA.glob("*/valid-*.md")):
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return folder


@pytest.fixture
def large(tmp_path: Path) -> Path:
    """A folder of `LARGE` files in subfolders; every ninth one does not export.

    Those are broken records, records of another kind and records with an unknown
    key the JSON Lines row needs.
    """
    folder = tmp_path / "large"
    valid, invalid = sorted(VALID.glob("*.md")), sorted(INVALID.glob("*.md"))
    for index in range(LARGE):
        target = folder / f"part-{index % 5}" / f"{index:04}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        if index % 9 == 4:
            shutil.copyfile(invalid[index % len(invalid)], target)
        elif index % 27 == 13:
            target.write_text(COURSE, encoding="utf-8")
        elif index % 27 == 22:
            target.write_text(record(add="path: mine"), encoding="utf-8")
        else:
            shutil.copyfile(valid[index % len(valid)], target)
    return folder


def in_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of worker processes of each run on them, from now on."""
    runs: list[int] = []
    run = _folder._in_workers

    def counted(chunks: Any, function: Any, others: int) -> Iterator[Any]:
        runs.append(others)
        return run(chunks, function, others)

    monkeypatch.setattr(_folder, "_in_workers", counted)
    return runs


def interrupt_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C, from now on, as an export writes the row of the middle file of `large`.

    Rows are written in Parquet row groups of 3, so that some are written by then.
    """
    rows = _export._rows

    def interrupted(items: Iterable[Any], leave_out: Callable[..., Any]) -> Any:
        for count, made in enumerate(rows(items, leave_out)):
            if count == LARGE // 2:
                raise KeyboardInterrupt
            yield made

    monkeypatch.setattr(_export, "_rows", interrupted)
    monkeypatch.setattr(_export, "ROW_GROUP", 3)


def described(exported: newsrecord.Exported) -> list[tuple[str, str, str]]:
    """The files an export left out, in comparable terms: path, error, message."""
    return [
        (path, type(error).__name__, str(error)) for path, error in exported.left_out
    ]


def assert_same_output(actual: Path, expected: Path) -> None:
    """Two exports wrote the same: JSON Lines byte for byte, or equal tables."""
    if actual.suffix == ".jsonl":
        assert actual.read_bytes() == expected.read_bytes()
    else:
        assert pq.read_table(actual) == pq.read_table(expected)


def record_files(folder: Path) -> list[str]:
    """The record files of ``folder``, in the order export takes them."""
    return sorted(str(path) for path in folder.rglob("*.md"))


def read_ahead(path: str) -> bytes | OSError:
    """The file's bytes, or the error reading them, as an export's step reads them."""
    ((_, data),) = _folder.read_ahead([path], Limits())
    return data


def kind_of(record: newsrecord.Record) -> str:
    """The name of a record's kind, as `newsrecord.KINDS` names its class."""
    [name] = [name for name, model in newsrecord.KINDS.items() if type(record) is model]
    return name


def read_as(path: str, kind: str | None) -> newsrecord.Record | None:
    """The record at ``path`` read as ``kind`` (any, for ``None``), if it reads so.

    A record told by its keys alone may read as another kind it fits too.
    """
    model = None if kind is None else newsrecord.KINDS[kind]
    (loaded,) = _folder.load_files([path], strict=False, limits=Limits(), model=model)
    return loaded.record


def expected_row(
    path: str, *, reveal_secured: bool = False, kind: str | None = None
) -> dict[str, Any]:
    """What a JSON Lines row holds for the record at ``path``: its `to_dict`, etc."""
    record = read_as(path, kind)
    assert record is not None
    front_matter = newsrecord.to_dict(record)
    if not reveal_secured:
        front_matter.pop("secured", None)
    return {"path": path, "kind": kind_of(record), **front_matter, "body": record.body}


def arrow_row(
    path: str, *, reveal_secured: bool = False, kind: str | None = None
) -> dict[str, Any]:
    """What a Parquet row holds for the record at ``path``: a JSON line but its kind."""
    row = expected_row(path, reveal_secured=reveal_secured, kind=kind)
    del row["kind"]  # a Parquet file holds one kind
    return row


def tokens(folder: Path) -> set[str]:
    """The text of every `secured` token of the records in ``folder``."""
    loaded = (newsrecord.load(path) for path in record_files(folder))
    return {str(article.secured) for article in loaded if article.secured}


def jsonl_rows(output: Path) -> list[dict[str, Any]]:
    """The rows of a JSON Lines file, read with the standard library."""
    lines = output.read_text(encoding="utf-8").split("\n")[:-1]
    return [json.loads(line) for line in lines]


def assert_same(actual: Any, expected: Any, where: str = "") -> None:
    """An Arrow row's value holds what `to_dict` gives, absent values aside.

    Timestamps are compared as instants (Arrow keeps them in UTC), ``extra`` as
    the keys it holds, and a null or an empty list stands for a key `to_dict`
    leaves out.
    """
    if isinstance(actual, dt.datetime):
        assert isinstance(expected, str), where
        assert actual == dt.datetime.fromisoformat(expected), where
        assert actual.utcoffset() == dt.timedelta(0), where
        return
    if isinstance(actual, dict):
        assert isinstance(expected, dict), where
        extra = actual.get("extra")
        unknown = json.loads(extra) if extra is not None else {}
        present = {
            key: value
            for key, value in actual.items()
            if key != "extra" and value is not None and value != []
        }
        assert set(present) | set(unknown) == set(expected), where
        for key, value in present.items():
            assert_same(value, expected[key], f"{where}.{key}")
        for key, value in unknown.items():
            assert value == expected[key], f"{where}.{key}"
        return
    if isinstance(actual, list):
        assert isinstance(expected, list), where
        assert len(actual) == len(expected), where
        for index, (item, wanted) in enumerate(zip(actual, expected, strict=True)):
            assert_same(item, wanted, f"{where}[{index}]")
        return
    assert actual == expected, where


class TestJsonLines:
    def test_a_row_per_record_with_its_to_dict(
        self, content: Path, tmp_path: Path
    ) -> None:
        """Each line is the record's `to_dict` with its path and body, in file order."""
        output = tmp_path / "records.jsonl"
        exported = newsrecord.export(content, output)
        files = record_files(content)
        assert exported == newsrecord.Exported(len(files), ())
        assert jsonl_rows(output) == [expected_row(path) for path in files]

    def test_the_token_only_when_revealed(self, content: Path, tmp_path: Path) -> None:
        """The `secured` token is left out of rows unless revealed, then it is there."""
        hidden, shown = tmp_path / "hidden.jsonl", tmp_path / "shown.jsonl"
        newsrecord.export(content, hidden)
        newsrecord.export(content, shown, reveal_secured=True)
        assert tokens(content)
        text = hidden.read_text(encoding="utf-8")
        assert not any(token in text for token in tokens(content))
        files = record_files(content)
        assert jsonl_rows(shown) == [
            expected_row(path, reveal_secured=True) for path in files
        ]
        assert any("secured" in row for row in jsonl_rows(shown))

    @pytest.mark.parametrize("key", ["path", "kind", "body"])
    def test_an_unknown_key_the_row_needs_is_left_out(
        self, key: str, tmp_path: Path
    ) -> None:
        """A record with an unknown key named like a row's own is reported, not lost."""
        source = tmp_path / "record.md"
        source.write_text(record(add=f"{key}: mine"), encoding="utf-8")
        output = tmp_path / "records.jsonl"
        exported = newsrecord.export(source, output)
        assert exported.records == 0
        [(path, error)] = exported.left_out
        assert path == str(source)
        assert isinstance(error, newsrecord.ValidationError)
        assert [field.key_path for field in error.errors] == [key]
        assert output.read_bytes() == b""

    @settings(
        max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(article=articles())
    def test_generated_records_export_as_to_dict(
        self, article: Article, tmp_path: Path
    ) -> None:
        """Any record written to a file exports to the row its `to_dict` gives."""
        source = tmp_path / "record.md"
        newsrecord.dump(article, source)
        output = tmp_path / "record.jsonl"
        exported = newsrecord.export(source, output, reveal_secured=True)
        if {"path", "kind", "body"} & set(article.extra):
            assert exported.records == 0
            return
        assert jsonl_rows(output) == [expected_row(str(source), reveal_secured=True)]


class TestParquet:
    def test_pyarrow_reads_the_values_of_to_dict(
        self, content: Path, tmp_path: Path
    ) -> None:
        """pyarrow reads back, row by row, the values `to_dict` gives each record."""
        output = tmp_path / "records.parquet"
        exported = newsrecord.export(content, output, reveal_secured=True)
        files = record_files(content)
        assert exported == newsrecord.Exported(len(files), ())
        rows = pq.read_table(output).to_pylist()
        assert [row["path"] for row in rows] == files
        for row, path in zip(rows, files, strict=True):
            assert_same(row, arrow_row(path, reveal_secured=True), path)

    def test_duckdb_reads_the_values_of_to_dict(
        self, content: Path, tmp_path: Path
    ) -> None:
        """DuckDB reads back, row by row, the values `to_dict` gives each record."""
        output = tmp_path / "records.parquet"
        newsrecord.export(content, output)
        relation = duckdb.sql(f"SELECT * FROM '{output}' ORDER BY path")  # noqa: S608 (our file)
        assert relation is not None
        rows = [
            dict(zip(relation.columns, values, strict=True))
            for values in relation.fetchall()
        ]
        files = record_files(content)
        assert [row["path"] for row in rows] == files
        for row, path in zip(rows, files, strict=True):
            assert_same(row, arrow_row(path), path)

    @settings(
        max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(article=articles())
    def test_generated_records_read_back_as_to_dict(
        self, article: Article, tmp_path: Path
    ) -> None:
        """Any record written to a file reads back from Parquet as its `to_dict`."""
        source = tmp_path / "record.md"
        newsrecord.dump(article, source)
        output = tmp_path / "record.parquet"
        assert newsrecord.export(source, output, reveal_secured=True).records == 1
        [row] = pq.read_table(output).to_pylist()
        assert_same(row, arrow_row(str(source), reveal_secured=True))

    def test_the_schema_follows_the_model(self) -> None:
        """Columns are the path and the model's keys, typed as the format says."""
        shown = _arrow.schema(reveal_secured=True)
        keys = [
            file_key(field.name)
            for field in Article.__attrs_attrs__
            if not field.name.startswith("_")
        ]
        assert shown.names == ["path", *keys]
        assert shown.field("publishedDateTime").type == pa.timestamp("us", tz="UTC")
        assert shown.field("heat").type == pa.int32()
        assert shown.field("published").type == pa.bool_()
        assert shown.field("topics").type.value_type == pa.string()
        provider = shown.field("provider").type
        image = provider.field("images").type.value_type
        assert image.field("width").type == pa.int32()
        assert image.field("isCached").type == pa.bool_()
        related = shown.field("related").type.value_type
        assert related.field("provider").type == provider
        assert _arrow.schema().names == [
            name for name in shown.names if name != "secured"
        ]

    def test_rows_come_in_row_groups(
        self, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Records are written a row group at a time, the last one holding the rest."""
        monkeypatch.setattr(_export, "ROW_GROUP", 5)
        output = tmp_path / "records.parquet"
        newsrecord.export(content, output)
        files = record_files(content)
        metadata = pq.ParquetFile(output).metadata
        sizes = [
            metadata.row_group(index).num_rows
            for index in range(metadata.num_row_groups)
        ]
        assert sizes == [5] * (len(files) // 5) + [len(files) % 5] * (
            len(files) % 5 > 0
        )

    def test_no_records_gives_an_empty_table(self, tmp_path: Path) -> None:
        """A folder without records gives a Parquet file with the schema, no rows."""
        (tmp_path / "empty").mkdir()
        output = tmp_path / "records.parquet"
        assert newsrecord.export(tmp_path / "empty", output).records == 0
        table = pq.read_table(output)
        assert table.num_rows == 0
        assert table.schema == _arrow.schema()


class TestKinds:
    def test_json_lines_of_every_kind(self, mixed: Path, tmp_path: Path) -> None:
        """With no kind named, every record is a line, with its kind and `to_dict`."""
        output = tmp_path / "records.jsonl"
        exported = newsrecord.export(mixed, output, kind=None, reveal_secured=True)
        files = record_files(mixed)
        assert exported == newsrecord.Exported(len(files), ())
        rows = jsonl_rows(output)
        assert rows == [expected_row(path, reveal_secured=True) for path in files]
        assert {row["kind"] for row in rows} == set(newsrecord.KINDS)

    @pytest.mark.parametrize("kind", sorted(newsrecord.KINDS))
    def test_one_kind_and_the_others_left_out(
        self, kind: str, mixed: Path, tmp_path: Path
    ) -> None:
        """A kind named is exported; each record of another kind is left out, named."""
        output = tmp_path / "records.jsonl"
        exported = newsrecord.export(mixed, output, kind=kind)
        files = record_files(mixed)
        ours = [path for path in files if read_as(path, kind) is not None]
        assert ours
        assert jsonl_rows(output) == [expected_row(path, kind=kind) for path in ours]
        assert exported.records == len(ours)
        assert [path for path, _ in exported.left_out] == [
            path for path in files if path not in ours
        ]
        model = newsrecord.KINDS[kind]
        for path, error in exported.left_out:
            # As reading it as that kind fails: a record told by its keys alone
            # that may be of that kind is checked as one.
            (loaded,) = _folder.load_files(
                [path], strict=False, limits=Limits(), model=model
            )
            expected = loaded.error
            assert (type(error), str(error)) == (type(expected), str(expected))
        assert any(
            isinstance(error, newsrecord.KindError) for _, error in exported.left_out
        )

    @pytest.mark.parametrize("kind", sorted(newsrecord.KINDS))
    def test_parquet_of_each_kind_holds_its_to_dict(
        self, kind: str, mixed: Path, tmp_path: Path
    ) -> None:
        """A kind's Parquet file has its columns; pyarrow reads back its `to_dict`."""
        output = tmp_path / "records.parquet"
        exported = newsrecord.export(mixed, output, kind=kind, reveal_secured=True)
        table = pq.read_table(output)
        model: type = newsrecord.KINDS[kind]
        assert table.schema == _arrow.schema(model, reveal_secured=True)
        rows = table.to_pylist()
        assert len(rows) == exported.records > 0
        for row in rows:
            expected = arrow_row(row["path"], reveal_secured=True, kind=kind)
            assert_same(row, expected, row["path"])

    def test_duckdb_reads_every_kind(self, mixed: Path, tmp_path: Path) -> None:
        """DuckDB reads back the `to_dict` values of each kind's Parquet file."""
        for kind in newsrecord.KINDS:
            output = tmp_path / f"{kind}.parquet"
            newsrecord.export(mixed, output, kind=kind)
            relation = duckdb.sql(f"SELECT * FROM '{output}' ORDER BY path")  # noqa: S608 (our file)
            assert relation is not None
            rows = [
                dict(zip(relation.columns, values, strict=True))
                for values in relation.fetchall()
            ]
            assert rows, kind
            for row in rows:
                assert_same(row, arrow_row(row["path"], kind=kind), row["path"])

    @pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus is absent")
    def test_the_corpus_exports_whole(self, tmp_path: Path) -> None:
        """Every real record of every kind is a line, and a row of its kind's table."""
        files = record_files(REAL)
        output = tmp_path / "corpus.jsonl"
        exported = newsrecord.export(REAL, output, kind=None, reveal_secured=True)
        assert exported == newsrecord.Exported(len(files), ())
        assert jsonl_rows(output) == [
            expected_row(path, reveal_secured=True) for path in files
        ]
        kinds = {row["kind"] for row in jsonl_rows(output)}
        for kind in sorted(kinds):
            table = tmp_path / f"{kind}.parquet"
            done = newsrecord.export(REAL, table, kind=kind, reveal_secured=True)
            rows = pq.read_table(table).to_pylist()
            assert len(rows) == done.records > 0
            for row in rows:
                expected = arrow_row(row["path"], reveal_secured=True, kind=kind)
                assert_same(row, expected, row["path"])

    def test_every_kind_is_refused_for_parquet(
        self, mixed: Path, tmp_path: Path
    ) -> None:
        """A Parquet file's columns are one kind's: every kind at once is refused."""
        output = tmp_path / "records.parquet"
        with pytest.raises(
            ValueError, match="a Parquet file holds the records of one kind"
        ):
            newsrecord.export(mixed, output, kind=None)
        assert not output.exists()

    def test_an_unknown_kind_is_refused(self, mixed: Path, tmp_path: Path) -> None:
        """A name that is no kind's is refused, naming the kinds."""
        output = tmp_path / "records.jsonl"
        with pytest.raises(ValueError, match=r"unknown kind 'podcast': one of news, "):
            newsrecord.export(mixed, output, kind="podcast")
        assert not output.exists()

    def test_the_command_line_counts_by_kind(
        self, mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`export --kind any` writes every kind, and says how many of each."""
        output, expected = tmp_path / "cli.jsonl", tmp_path / "python.jsonl"
        assert run(["export", str(mixed), "-o", str(output), "--kind", "any"]) == 0
        newsrecord.export(mixed, expected, kind=None)
        assert_same_output(output, expected)
        counts = collections.Counter(row["kind"] for row in jsonl_rows(output))
        by_kind = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
        assert f"; by kind: {by_kind}" in capsys.readouterr().err

    def test_the_command_line_exports_news_unless_told(
        self, mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --kind, news: the others are counted as of other kinds."""
        output = tmp_path / "cli.jsonl"
        assert run(["export", str(mixed), "-o", str(output)]) == 0
        rows = jsonl_rows(output)
        assert rows
        assert {row["kind"] for row in rows} == {"news"}
        others = len(record_files(mixed)) - len(rows)
        assert f", {others} of other kinds (not checked)" in capsys.readouterr().err

    def test_the_command_line_refuses_every_kind_to_parquet(
        self, mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--kind any` to Parquet is a usage error, before anything is read."""
        output = tmp_path / "cli.parquet"
        assert run(["export", str(mixed), "-o", str(output), "--kind", "any"]) == 2
        assert "a Parquet file holds the records of one kind" in capsys.readouterr().err
        assert not output.exists()


class TestLeftOut:
    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_records_that_do_not_load_are_left_out(
        self, content: Path, tmp_path: Path, suffix: str
    ) -> None:
        """Broken records and other kinds are listed with their errors, not written."""
        for path in sorted(INVALID.glob("*.md"))[:4]:
            shutil.copyfile(path, content / f"zz-{path.name}")
        (content / "zz-course.md").write_text(COURSE, encoding="utf-8")
        output = tmp_path / f"records{suffix}"
        exported = newsrecord.export(content, output)
        left_out = dict(exported.left_out)
        assert sorted(left_out) == sorted(str(path) for path in content.glob("zz-*"))
        assert isinstance(left_out[str(content / "zz-course.md")], newsrecord.KindError)
        assert all(
            isinstance(error, newsrecord.NewsRecordError) for error in left_out.values()
        )
        valid = [path for path in record_files(content) if path not in left_out]
        assert exported.records == len(valid)
        if suffix == ".jsonl":
            assert [row["path"] for row in jsonl_rows(output)] == valid
        else:
            assert pq.read_table(output).column("path").to_pylist() == valid

    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_a_path_that_is_not_text_is_left_out(
        self, content: Path, tmp_path: Path, suffix: str
    ) -> None:
        """A file name with bytes that are not UTF-8 has no row: it is reported."""
        name = os.fsdecode(b"zz-caf\xe9.md")  # Latin-1, not UTF-8
        try:
            shutil.copyfile(VALID / "minimal.md", content / name)
        except (OSError, UnicodeEncodeError):  # a file system of UTF-8 names only
            pytest.skip("this file system takes UTF-8 file names only")
        output = tmp_path / f"records{suffix}"
        exported = newsrecord.export(content, output)
        [(path, error)] = exported.left_out
        assert path == str(content / name)
        assert isinstance(error, newsrecord.ValidationError)
        assert str(error) == (
            f"{path}: the file's path is not UTF-8 text (it holds the byte 0xe9): "
            "an exported row holds the path as text; rename the file"
        )
        others = [file for file in record_files(content) if file != path]
        assert exported.records == len(others)
        if suffix == ".jsonl":
            assert [row["path"] for row in jsonl_rows(output)] == others
        else:
            assert pq.read_table(output).column("path").to_pylist() == others

    @pytest.mark.parametrize(
        "name",
        [
            *(path.name for path in sorted(INVALID.glob("*.md"))[::3]),
            "course.md",
            "path.md",
            "folder.md",
            "missing.md",
        ],
    )
    def test_the_error_of_a_file_is_the_one_load_raises(
        self, name: str, tmp_path: Path
    ) -> None:
        """A file left out comes with the very error (type and message) of `load`."""
        target = tmp_path / name
        if name == "course.md":
            target.write_text(COURSE, encoding="utf-8")
        elif name == "path.md":  # a file holding a path: `load` says so
            target.write_text("content/news/a-record.md", encoding="utf-8")
        elif name == "folder.md":
            target.mkdir()
        elif name != "missing.md":
            shutil.copyfile(INVALID / name, target)
        with pytest.raises((newsrecord.NewsRecordError, OSError)) as raised:
            newsrecord.load(target)
        for suffix in (".jsonl", ".parquet"):
            chosen = _export.format_of(f"out{suffix}", None)
            made = _export.row_of(
                str(target),
                read_ahead(str(target)),
                format=chosen,
                model=Article,
                strict=False,
                reveal_secured=False,
            )
            assert (type(made), str(made)) == (type(raised.value), str(raised.value))

    def test_a_file_mended_while_read_keeps_its_first_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that loads when read again for its error keeps the first error."""
        target = tmp_path / "mended.md"
        target.write_text(COURSE, encoding="utf-8")

        def mended(path: str, *_: object, **__: object) -> _folder.LoadResult:
            return _folder.LoadResult(path, newsrecord.loads(record()))

        monkeypatch.setattr(_export, "load_file", mended)
        made = _export.row_of(
            str(target),
            read_ahead(str(target)),
            format="jsonl",
            model=Article,
            strict=False,
            reveal_secured=False,
        )
        assert isinstance(made, newsrecord.KindError)
        assert made.__traceback__ is None

    @pytest.mark.parametrize("workers", [1, 3])
    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_an_interruption_midway_leaves_the_old_output(
        self,
        large: Path,
        tmp_path: Path,
        suffix: str,
        workers: int,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Ctrl-C halfway leaves the old output whole, no other file and no worker."""
        output = tmp_path / f"records{suffix}"
        output.write_bytes(b"the old output")
        interrupt_midway(monkeypatch)
        runs = in_workers(monkeypatch)
        with pytest.raises(KeyboardInterrupt) as interrupt:
            newsrecord.export(large, output, workers=workers)
        # The workers end with the export, not when its frames are let go.
        assert interrupt.tb is not None
        assert multiprocessing.active_children() == []
        assert runs == ([workers - 1] if workers > 1 else [])
        assert output.read_bytes() == b"the old output"
        assert sorted(tmp_path.iterdir()) == [large, output]


class TestWorkers:
    def test_json_lines_are_the_same_whatever_the_workers(
        self, large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Three workers write the bytes one writes, and leave out the same files."""
        one, three = tmp_path / "one.jsonl", tmp_path / "three.jsonl"
        alone = newsrecord.export(large, one, workers=1)
        runs = in_workers(monkeypatch)
        shared = newsrecord.export(large, three, workers=3)
        assert runs == [2]
        assert_same_output(three, one)
        assert shared.records == alone.records == len(jsonl_rows(one))
        assert described(shared) == described(alone)
        assert len(alone.left_out) >= LARGE // 9

    def test_parquet_is_the_same_whatever_the_workers(
        self, large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Three workers write the table one writes, and leave out the same files."""
        one, three = tmp_path / "one.parquet", tmp_path / "three.parquet"
        alone = newsrecord.export(large, one, workers=1, reveal_secured=True)
        runs = in_workers(monkeypatch)
        shared = newsrecord.export(large, three, workers=3, reveal_secured=True)
        assert runs == [2]
        assert_same_output(three, one)
        assert pq.read_table(one).num_rows == alone.records == shared.records
        assert described(shared) == described(alone)

    @pytest.mark.parametrize("jobs", ["2", "3"])
    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_the_command_line_is_the_same_whatever_the_jobs(
        self, large: Path, capsys: pytest.CaptureFixture[str], suffix: str, jobs: str
    ) -> None:
        """`-j 2` or `-j 3` writes the output and report lines that `-j 1` writes."""
        one, three = large.parent / f"one{suffix}", large.parent / f"three{suffix}"
        assert run(["export", "-j", "1", str(large), "-o", str(one)]) == 1
        alone = capsys.readouterr()
        assert run(["export", "-j", jobs, str(large), "-o", str(three)]) == 1
        shared = capsys.readouterr()
        assert_same_output(three, one)
        assert shared.out == alone.out != ""
        # The same summary and last line, but for the time taken and the output.
        untimed = [
            re.sub(r" \([\d.]+ s\)\n", "\n", err.replace("three", "one"))
            for err in (shared.err, alone.err)
        ]
        assert untimed[0] == untimed[1]

    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_a_worker_sends_a_row_or_a_detached_error(
        self, large: Path, suffix: str
    ) -> None:
        """What a worker sends back for a file is a row or an error, never a record."""
        chosen = _export.format_of(f"out{suffix}", None)
        for path in record_files(large):
            made = _export.row_of(
                path,
                read_ahead(path),
                format=chosen,
                model=Article,
                strict=False,
                reveal_secured=False,
            )
            if isinstance(made, (newsrecord.NewsRecordError, OSError)):
                assert made.__traceback__ is None
                assert made.__cause__ is None
                assert made.__context__ is None
                copy = pickle.loads(pickle.dumps(made))  # noqa: S301 (our own)
                assert (type(copy), str(copy)) == (type(made), str(made))
            elif chosen == "jsonl":
                line = json.dumps(expected_row(path), ensure_ascii=False) + "\n"
                assert made == ("news", line.encode("utf-8"))
            else:
                assert made == ("news", _arrow.row(path, newsrecord.load(path)))

    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_a_chunk_sends_a_row_or_an_error_per_file(
        self, large: Path, suffix: str
    ) -> None:
        """A chunk's Parquet rows travel as one table, with its first record.

        JSON lines travel each with its record; errors with their files, always.
        """
        chosen = _export.format_of(f"out{suffix}", None)
        options: dict[str, Any] = {
            "format": chosen,
            "model": Article,
            "strict": False,
            "reveal_secured": False,
        }
        paths = record_files(large)[3:40]  # some of them do not export
        sent = _export.rows_of(paths, **options)
        alone = [_export.row_of(path, read_ahead(path), **options) for path in paths]
        assert len(sent) == len(alone) == len(paths)
        failures = [index for index, made in enumerate(alone) if _export.failed(made)]
        assert 0 < len(failures) < len(paths)
        for index in failures:
            made, error = sent[index], alone[index]
            assert (type(made), str(made)) == (type(error), str(error))
        indexes = [index for index in range(len(paths)) if index not in failures]
        rows = [cast("tuple[str, Any]", alone[index]) for index in indexes]
        carried = [cast("tuple[str, Any]", sent[index]) for index in indexes]
        kinds = [kind for kind, _ in carried]
        assert kinds == [kind for kind, _ in rows] == ["news"] * len(rows)
        if chosen == "jsonl":
            assert carried == rows
            return
        whole = carried[0][1]
        assert [table for _, table in carried[1:]] == [None] * (len(rows) - 1)
        sent_rows = _arrow.bytes_table(whole)
        assert sent_rows.equals(_arrow.table([row for _, row in rows], Article))

    @pytest.mark.parametrize(
        ("workers", "error", "message"),
        [
            ("2", TypeError, "workers must be an int or None, not str"),
            (True, TypeError, "workers must be an int or None, not bool"),
            (0, ValueError, "workers must be 1 or more, not 0"),
            (-2, ValueError, "workers must be 1 or more, not -2"),
        ],
    )
    def test_workers_are_checked_as_load_dir_checks_them(
        self, workers: Any, error: type[Exception], message: str, tmp_path: Path
    ) -> None:
        """A ``workers`` that is not an int of 1 or more is refused, nothing written."""
        with pytest.raises(error, match=f"^{message}$"):
            newsrecord.export(VALID, tmp_path / "out.jsonl", workers=workers)
        assert list(tmp_path.iterdir()) == []

    def test_an_interrupted_command_leaves_the_old_output(
        self,
        large: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Ctrl-C during `export -j 3`: exit status 130, the old output, no worker."""
        output = tmp_path / "records.parquet"
        output.write_bytes(b"the old output")
        interrupt_midway(monkeypatch)
        runs = in_workers(monkeypatch)
        assert run(["export", "-j", "3", str(large), "-o", str(output)]) == 130
        assert capsys.readouterr().err.endswith("newsrecord: interrupted\n")
        assert runs == [2]
        assert multiprocessing.active_children() == []
        assert output.read_bytes() == b"the old output"
        assert sorted(tmp_path.iterdir()) == [large, output]

    def test_the_command_line_refuses_no_jobs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`-j 0` is a usage error: exit status 2, nothing written."""
        assert run(["export", "-j", "0", str(VALID), "-o", str(tmp_path / "o.jsonl")])
        assert "Invalid value for '-j' / '--jobs'" in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []


class TestArguments:
    @pytest.mark.parametrize(
        ("paths", "message"),
        [
            (None, "a path or an iterable of paths (str or os.PathLike), not NoneType"),
            (5, "a path or an iterable of paths (str or os.PathLike), not int"),
            ([VALID, 5], "paths (str or os.PathLike), not int"),
            ([b"a.md"], "paths (str or os.PathLike), not bytes"),
        ],
    )
    def test_paths_of_another_type(
        self, paths: Any, message: str, tmp_path: Path
    ) -> None:
        """Paths that are no paths are our TypeError, and nothing is written."""
        with pytest.raises(TypeError, match=re.escape(f"export() takes {message}")):
            newsrecord.export(paths, tmp_path / "out.jsonl")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("output", [None, 5, b"out.jsonl"])
    def test_an_output_of_another_type(self, output: Any) -> None:
        """An output that is no path is our TypeError, naming the argument."""
        message = (
            "export() takes output as a path (str or os.PathLike) or a binary "
            f"stream, not {type(output).__name__}"
        )
        with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
            newsrecord.export(VALID, output)


class TestFormat:
    @pytest.mark.parametrize(
        ("name", "chosen", "expected"),
        [
            ("out.jsonl", None, "jsonl"),
            ("out.JSONL", None, "jsonl"),
            ("out.parquet", None, "parquet"),
            ("out.json", "jsonl", "jsonl"),
            ("out.jsonl", "parquet", "parquet"),
        ],
    )
    def test_the_format_comes_from_the_suffix_unless_named(
        self, name: str, chosen: Any, expected: str
    ) -> None:
        """The output's suffix chooses the format; a format given wins over it."""
        assert _export.format_of(name, chosen) == expected

    @pytest.mark.parametrize(
        ("name", "chosen", "message"),
        [
            (
                "out.csv",
                None,
                (
                    "cannot tell the format from the output's suffix '.csv': name "
                    "a format, or end the output's name in .jsonl or .parquet"
                ),
            ),
            ("out", None, "cannot tell the format from the output's suffix ''"),
            ("out.jsonl", "csv", "unknown format 'csv': jsonl or parquet"),
        ],
    )
    def test_an_unknown_format_is_refused(
        self, name: str, chosen: Any, message: str, tmp_path: Path
    ) -> None:
        """An output without a known suffix, or an unknown format, is a ValueError."""
        with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
            newsrecord.export(VALID, tmp_path / name, format=chosen)
        assert list(tmp_path.iterdir()) == []


class TestOptional:
    @pytest.fixture
    def without_pyarrow(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """pyarrow as if it were not installed."""
        for name in list(sys.modules):
            if name == "pyarrow" or name.startswith("pyarrow."):
                monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        _arrow._columns.cache_clear()
        _arrow.schema.cache_clear()
        yield
        _arrow._columns.cache_clear()
        _arrow.schema.cache_clear()

    @pytest.mark.usefixtures("without_pyarrow")
    def test_parquet_without_pyarrow_names_the_extra(self, tmp_path: Path) -> None:
        """Without pyarrow, Parquet export says which extra to install."""
        message = (
            "Parquet export needs pyarrow; install it with: "
            "pip install 'newsrecord[parquet]'"
        )
        with pytest.raises(
            ModuleNotFoundError, match=f"^{message}$".replace("[", r"\[")
        ):
            newsrecord.export(VALID, tmp_path / "out.parquet")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.usefixtures("without_pyarrow")
    def test_json_lines_without_pyarrow(self, content: Path, tmp_path: Path) -> None:
        """JSON Lines needs no extra: it exports without pyarrow."""
        exported = newsrecord.export(content, tmp_path / "out.jsonl")
        assert exported.records == len(record_files(content))

    @pytest.mark.usefixtures("without_pyarrow")
    def test_the_command_line_names_the_extra(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without pyarrow, `export` to Parquet is a usage error naming the extra."""
        status = run(["export", str(VALID), "-o", str(tmp_path / "out.parquet")])
        assert status == 2
        assert (
            "Error: Parquet export needs pyarrow; install it with: "
            "pip install 'newsrecord[parquet]'"
        ) in capsys.readouterr().err

    def test_exports_without_click(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Export from Python needs no command line: it runs without click."""
        monkeypatch.delitem(sys.modules, "newsrecord._cli", raising=False)
        monkeypatch.setitem(sys.modules, "click", None)
        exported = newsrecord.export(VALID, tmp_path / "out.jsonl")
        assert exported.records == len(jsonl_rows(tmp_path / "out.jsonl"))
        assert exported.records > 0

    def test_importing_newsrecord_imports_no_extra(self) -> None:
        """`import newsrecord` loads neither pyarrow nor Dask."""
        code = (
            "import sys, newsrecord\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pyarrow', 'dask', 'distributed', 'fsspec', 'pandas'}))"
        )
        import subprocess  # noqa: PLC0415 (this test only)

        done = subprocess.run(  # noqa: S603 (this interpreter)
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout == "[]\n"


class TestCommand:
    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_writes_every_record(
        self,
        content: Path,
        tmp_path: Path,
        suffix: str,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """`export` writes what `newsrecord.export` writes, and exits 0."""
        output, expected = tmp_path / f"cli{suffix}", tmp_path / f"python{suffix}"
        assert run(["export", str(content), "--output", str(output)]) == 0
        newsrecord.export(content, expected)
        assert_same_output(output, expected)
        captured = capsys.readouterr()
        assert captured.out == ""
        count = len(record_files(content))
        assert f"wrote {count} records to {output}" in captured.err

    def test_reports_as_validate_does(
        self, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Records that do not load are reported as `validate` reports them: exit 1."""
        for path in sorted(INVALID.glob("*.md"))[:6]:
            shutil.copyfile(path, content / path.name)
        (content / "course.md").write_text(COURSE, encoding="utf-8")
        # Export writes news records: as validate checks news only.
        validated = run(["validate", "--kind", "news", "-j", "1", str(content)])
        validate = capsys.readouterr()
        output = tmp_path / "out.parquet"
        assert (
            run(["export", str(content), "-o", str(output), "--format", "parquet"])
            == validated
            == 1
        )
        export = capsys.readouterr()
        assert export.out == validate.out
        summary = validate.err.splitlines()[-1].rsplit(" (", 1)[0]
        assert export.err.splitlines()[0].startswith(summary)

    def test_exclude_leaves_out_files_and_folders(
        self, content: Path, tmp_path: Path
    ) -> None:
        """`--exclude` leaves out what it names, by file or folder name, as validate."""
        drafts = content / "drafts"
        drafts.mkdir()
        files = record_files(content)
        shutil.copyfile(files[0], drafts / "draft.md")
        output = tmp_path / "out.jsonl"
        arguments = ["--exclude", "drafts", "--exclude", Path(files[1]).name]
        assert run(["export", str(content), "-o", str(output), *arguments]) == 0
        assert [row["path"] for row in jsonl_rows(output)] == [files[0], *files[2:]]

    def test_an_output_that_cannot_be_written(
        self, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An output in a missing folder is reported in one line, with exit status 2."""
        output = tmp_path / "missing" / "out.jsonl"
        assert run(["export", str(content), "-o", str(output)]) == 2
        assert capsys.readouterr().err == (
            f"Error: Could not open file '{output}': No such file or directory\n"
        )

    def test_the_token_only_with_reveal_secured(
        self, content: Path, tmp_path: Path
    ) -> None:
        """`--reveal-secured` exports the token; without it no line holds it."""
        hidden, shown = tmp_path / "hidden.jsonl", tmp_path / "shown.jsonl"
        assert run(["export", str(content), "-o", str(hidden)]) == 0
        assert run(["export", "--reveal-secured", str(content), "-o", str(shown)]) == 0
        hidden_text = hidden.read_text(encoding="utf-8")
        shown_text = shown.read_text(encoding="utf-8")
        assert tokens(content)
        for token in tokens(content):
            assert token not in hidden_text
            assert token in shown_text

    @pytest.mark.parametrize("given", ["file", "folder"])
    def test_an_output_among_the_files_is_refused(
        self,
        content: Path,
        capsys: pytest.CaptureFixture[str],
        given: str,
    ) -> None:
        """An output that is one of the files to export is refused; it stays as it was.

        Given itself, or a record file found in a folder given: written whole at
        the end, it would replace a record just read.
        """
        target = Path(record_files(content)[0])
        before = target.read_bytes()
        source = target if given == "file" else content
        with pytest.raises(ValueError, match="is one of the files to export"):
            newsrecord.export(source, target, format="jsonl")
        command = ["export", str(source), "-o", str(target), "--format", "jsonl"]
        assert run(command) == 2
        assert "is one of the files to export" in capsys.readouterr().err
        assert target.read_bytes() == before

    def test_an_output_is_known_however_it_is_spelled(
        self, content: Path, tmp_path: Path
    ) -> None:
        """A record file named through a link, or a new record file in a subfolder.

        The output is refused when it names a file to export by another path (a
        symbolic link, ``..``), and when it is a new ``*.md`` file that a folder
        given holds, however deep, which the next export would read.
        """
        target = Path(record_files(content)[0])
        before = target.read_bytes()
        link = tmp_path / "link.md"
        link.symlink_to(target)
        roundabout = content / ".." / content.name / target.relative_to(content)
        for output in (link, roundabout):
            with pytest.raises(ValueError, match=r"\(given\)"):
                newsrecord.export(target, output, format="jsonl")
        deep = target.parent / "new" / "records.md"
        deep.parent.mkdir()
        with pytest.raises(ValueError, match="found in"):
            newsrecord.export(content, deep, format="jsonl")
        assert not deep.exists()
        assert target.read_bytes() == before
        # Beside the folder, or a record file not among those given: written.
        beside = tmp_path / "records.md"
        exported = newsrecord.export(target, beside, format="jsonl")
        assert exported.records == 1
        other = Path(record_files(content)[1])
        assert newsrecord.export(target, other, format="jsonl").records == 1
        assert jsonl_rows(other) == jsonl_rows(beside)

    def test_quiet_prints_only_the_problems(
        self, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--quiet: no summary and no note of what was written, as for validate."""
        output = tmp_path / "out.jsonl"
        assert run(["export", "--quiet", str(content), "-o", str(output)]) == 0
        assert capsys.readouterr() == ("", "")
        assert len(jsonl_rows(output)) == len(record_files(content))


class TestStreams:
    """An export to an open binary stream, and ``--output -`` (standard output)."""

    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_a_stream_gets_the_bytes_a_file_gets(
        self, content: Path, tmp_path: Path, suffix: str
    ) -> None:
        """The same bytes as the file export, and the stream is left open."""
        output = tmp_path / f"out{suffix}"
        stream = io.BytesIO()
        chosen = _export.SUFFIXES[suffix]
        to_file = newsrecord.export(content, output, workers=1)
        to_stream = newsrecord.export(content, stream, format=chosen, workers=1)
        assert to_stream == to_file
        assert not stream.closed
        assert stream.getvalue() == output.read_bytes()

    def test_rows_are_written_as_they_come(self, large: Path) -> None:
        """A stream sees rows before the export ends: it is not written at the end."""
        seen: list[int] = []

        class Watched(io.BytesIO):
            def write(self, data: Any) -> int:
                seen.append(len(self.getvalue()))
                return super().write(data)

        stream = Watched()
        exported = newsrecord.export(large, stream, format="jsonl", workers=2)
        assert len(seen) == exported.records
        assert seen == sorted(seen)
        assert seen[-1] > 0

    @pytest.mark.parametrize(
        ("output", "chosen", "error", "message"),
        [
            (
                io.StringIO(),
                "jsonl",
                TypeError,
                (
                    "export() writes bytes: give a binary stream as output "
                    "(sys.stdout.buffer, not sys.stdout)"
                ),
            ),
            (
                io.BytesIO(),
                None,
                ValueError,
                (
                    "name a format (jsonl or parquet) for an output stream: it has "
                    "no suffix to tell it"
                ),
            ),
        ],
    )
    def test_a_stream_that_cannot_take_the_export(
        self, content: Path, output: Any, chosen: Any, error: type, message: str
    ) -> None:
        """A text stream, or a stream without a format, is refused before reading."""
        with pytest.raises(error, match=f"^{re.escape(message)}$"):
            newsrecord.export(content, output, format=chosen)
        assert output.getvalue() == type(output)().getvalue()

    def test_the_command_line_writes_rows_to_standard_output(
        self,
        content: Path,
        tmp_path: Path,
        capsysbinary: pytest.CaptureFixture[bytes],
    ) -> None:
        """`-o -`: rows on standard output; problems and summary on standard error."""
        shutil.copyfile(min(INVALID.glob("*.md")), content / "invalid.md")
        output = tmp_path / "out.jsonl"
        assert run(["export", "-j", "1", str(content), "-o", str(output)]) == 1
        to_file = capsysbinary.readouterr()
        arguments = ["export", "-j", "1", str(content), "-o", "-", "--format", "jsonl"]
        assert run(arguments) == 1
        to_stdout = capsysbinary.readouterr()
        assert to_stdout.out == output.read_bytes()
        # The problem lines that went to standard output go to standard error.
        problems = to_file.out.decode()
        assert problems.startswith(f"{content / 'invalid.md'}:")
        assert to_stdout.err.decode().startswith(problems)
        valid = len(record_files(content)) - 1
        wrote = f"wrote {valid} records to standard output\n"
        assert to_stdout.err.decode().endswith(wrote)

    def test_the_command_line_needs_a_format_for_standard_output(
        self, content: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """`-o -` without `--format` is a usage error; nothing is read or written."""
        assert run(["export", str(content), "-o", "-"]) == 2
        captured = capsysbinary.readouterr()
        assert captured.out == b""
        assert captured.err.decode().endswith(
            "Error: --output - (standard output) needs --format jsonl or parquet\n"
        )

    def test_parquet_is_not_written_to_a_terminal(
        self,
        content: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes],
    ) -> None:
        """Binary rows on a terminal would be garbage: refused, as zstd refuses."""
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        arguments = ["export", str(content), "-o", "-", "--format", "parquet"]
        assert run(arguments) == 2
        captured = capsysbinary.readouterr()
        assert captured.out == b""
        assert "will not write Parquet, a binary format, to a terminal" in (
            captured.err.decode()
        )
