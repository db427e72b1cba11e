"""The public functions `load` and `loads`, and the public surface."""

from __future__ import annotations

import importlib.resources
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import newsrecord
from newsrecord._model import source_of
from newsrecord._structure import source_document
from records import record
from strategies import any_text, framed_text, mutated_records

if TYPE_CHECKING:
    from collections.abc import Callable


class _Where:
    """An os.PathLike that is neither a str nor a pathlib.Path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A valid record on disk."""
    path = tmp_path / "good.md"
    path.write_text(record(), encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """An invalid record on disk."""
    path = tmp_path / "bad.md"
    path.write_text(record({"heat": "heat: hot"}), encoding="utf-8")
    return path


class TestLoad:
    def test_accepts_str_and_pathlike(self, good: Path) -> None:
        """`load` takes a str, a Path or any os.PathLike, and reads the same."""
        expected = newsrecord.loads(record())
        assert newsrecord.load(str(good)) == expected
        assert newsrecord.load(good) == expected
        assert newsrecord.load(_Where(good)) == expected

    @pytest.mark.parametrize("kind", [str, Path, _Where])
    def test_errors_name_the_path(self, bad: Path, kind: type) -> None:
        """An error names the file as the path was given."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.load(kind(bad))
        assert caught.value.path == str(bad)
        message = "heat: expected an integer, got 'hot' (text)"
        assert str(caught.value) == f"{bad}:11:7: {message}"

    def test_relative_path_is_named_as_given(
        self, bad: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A relative path is not made absolute in errors."""
        monkeypatch.chdir(bad.parent)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.load("bad.md")
        assert caught.value.path == "bad.md"

    def test_missing_file_is_an_os_error(self, tmp_path: Path) -> None:
        """A file that is not there raises FileNotFoundError, as `open` does."""
        with pytest.raises(FileNotFoundError):
            newsrecord.load(tmp_path / "absent.md")

    def test_bytes_are_read_as_they_are(self, tmp_path: Path) -> None:
        """`load` reads bytes: CRLF and a BOM are kept, not translated."""
        path = tmp_path / "crlf.md"
        path.write_bytes(b"\xef\xbb\xbf" + record().replace("\n", "\r\n").encode())
        article = newsrecord.load(path)
        assert source_of(article) == path.read_bytes()
        document = source_document(article)
        assert document is not None
        assert (document.bom, document.newline) == (True, "\r\n")

    def test_strict_is_keyword_only(self, good: Path) -> None:
        """`strict` can only be given by name."""
        with pytest.raises(TypeError):
            newsrecord.load(good, True)  # type: ignore[call-arg]  # noqa: FBT003 (the point)


class TestLoads:
    def test_text_and_bytes_read_the_same(self) -> None:
        """`loads` takes the text or its UTF-8 bytes."""
        assert newsrecord.loads(record()) == newsrecord.loads(record().encode())

    def test_byte_order_mark_is_accepted_in_text_and_bytes(self) -> None:
        """A BOM before the first delimiter is accepted, as text or as bytes."""
        expected = newsrecord.loads(record())
        assert newsrecord.loads("\ufeff" + record()) == expected
        assert newsrecord.loads(b"\xef\xbb\xbf" + record().encode()) == expected

    def test_path_only_names_the_source(self) -> None:
        """``path`` names the source in errors; without it, errors say <string>."""
        text = record({"heat": "heat: hot"})
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, path="feed/item-7.md")
        assert str(caught.value).startswith("feed/item-7.md:11:7: heat:")
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text)
        assert str(caught.value).startswith("<string>:11:7: heat:")

    def test_text_is_positional_only_and_options_keyword_only(self) -> None:
        """`loads(text, /, *, path, strict)`: like `json.loads`."""
        with pytest.raises(TypeError):
            newsrecord.loads(text=record())  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            newsrecord.loads(record(), "a.md")  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("data", "line", "column"),
        [
            (b"---\ntitle: caf\xe9\n---\n", 2, 11),
            (b"\xff\xfe-\x00-\x00-\x00", 1, 1),
            (record().encode()[:40] + b"\xc3\x28" + record().encode()[40:], 3, 22),
        ],
    )
    def test_invalid_utf8_is_an_encoding_error(
        self, data: bytes, line: int, column: int
    ) -> None:
        """Bytes that are not UTF-8 fail with code `encoding` at the bad byte."""
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(data, path="x.md")
        error = caught.value
        assert (error.code, error.line, error.column) == ("encoding", line, column)
        assert str(error).startswith(f"x.md:{line}:{column}: not UTF-8: byte 0x")
        assert isinstance(error.__cause__, UnicodeDecodeError)


class TestWhatLoadsTakes:
    @pytest.mark.parametrize(
        "kind", [str, bytes, bytearray, memoryview], ids=lambda kind: kind.__name__
    )
    def test_text_and_bytes_like_objects_read_the_same(self, kind: type) -> None:
        """`loads` reads a str, and UTF-8 in bytes, bytearray or memoryview, alike."""
        text = record()
        given = text if kind is str else kind(text.encode("utf-8"))
        assert newsrecord.loads(given) == newsrecord.loads(text)

    @given(st.binary().map(lambda data: b"---\n" + data + b"\n---\n"))
    def test_bytearray_fails_as_bytes_do(self, data: bytes) -> None:
        """A bytearray or memoryview gives what the same bytes give, error or not."""
        expected = _result(data)
        assert _result(bytearray(data)) == expected
        assert _result(memoryview(data)) == expected

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (
                42,
                (
                    "loads() takes a record's text as str, or as UTF-8 in bytes, "
                    "bytearray or memoryview; not int"
                ),
            ),
            (
                None,
                (
                    "loads() takes a record's text as str, or as UTF-8 in bytes, "
                    "bytearray or memoryview; not NoneType"
                ),
            ),
            (
                ["---", "---"],
                (
                    "loads() takes a record's text as str, or as UTF-8 in bytes, "
                    "bytearray or memoryview; not list"
                ),
            ),
            (
                Path("content/a.md"),
                (
                    "loads() takes a record's text, not a path (PosixPath); "
                    "load() reads a file"
                ),
            ),
            (
                io.StringIO(record()),
                (
                    "loads() takes a record's text, not a file object (StringIO); "
                    "load() reads a file"
                ),
            ),
            (
                io.BytesIO(record().encode()),
                (
                    "loads() takes a record's text, not a file object (BytesIO); "
                    "load() reads a file"
                ),
            ),
        ],
        ids=["int", "None", "list", "Path", "StringIO", "BytesIO"],
    )
    def test_anything_else_is_our_type_error(self, value: object, message: str) -> None:
        """Another type is a TypeError of ours that says what `loads` takes."""
        if isinstance(value, Path):
            message = message.replace("PosixPath", type(value).__name__)
        with pytest.raises(TypeError) as caught:
            newsrecord.loads(value)  # type: ignore[arg-type]
        assert str(caught.value) == message

    @pytest.mark.parametrize(
        "text",
        ["content/news/2024-03-18-tidal.md", "record.md", b"examples/record.md"],
    )
    def test_a_path_is_pointed_to_load(self, text: str | bytes) -> None:
        """Text that is no record but looks like a path says that `load` reads files."""
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(text, path="given.md")
        error = caught.value
        shown = text.decode() if isinstance(text, bytes) else text
        assert (error.code, error.path, error.line) == (
            "no-front-matter",
            "given.md",
            1,
        )
        assert error.message == (
            "no front matter: a record starts with a '---' line; "
            f"{shown!r} looks like a path: loads() reads a record's text, "
            "load() reads a file"
        )
        assert isinstance(error.__cause__, newsrecord.FrontMatterError)

    @pytest.mark.parametrize(
        "text", ["# Harbour city\n", "Harbour city", "a/b\nc", "", "x/" + "y" * 5000]
    )
    def test_other_text_gets_no_hint(self, text: str) -> None:
        """Text that is no record and no single short line is not called a path."""
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(text)
        assert "load()" not in caught.value.message


class TestWhatLoadTakes:
    def test_binary_and_text_file_objects(self, good: Path) -> None:
        """`load` reads a file object open in binary or text mode, named by it."""
        expected = newsrecord.load(good)
        with good.open("rb") as binary, good.open(encoding="utf-8") as text:
            assert newsrecord.load(binary) == expected
            assert newsrecord.load(text) == expected

    def test_file_objects_name_the_file_in_errors(self, bad: Path) -> None:
        """An error names the file by the file object's name, or not at all."""
        with (
            bad.open("rb") as stream,
            pytest.raises(newsrecord.ValidationError) as caught,
        ):
            newsrecord.load(stream)
        assert caught.value.path == str(bad)
        unnamed = io.BytesIO(bad.read_bytes())
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.load(unnamed)
        assert caught.value.path is None

    def test_binary_mode_keeps_the_bytes(self, tmp_path: Path) -> None:
        """Read in binary mode, or with newline="", CRLF records write back exactly."""
        path = tmp_path / "crlf.md"
        data = record().replace("\n", "\r\n").encode()
        path.write_bytes(data)
        with path.open("rb") as binary:
            assert newsrecord.dumps(newsrecord.load(binary)).encode() == data
        with path.open(encoding="utf-8", newline="") as text:
            assert newsrecord.dumps(newsrecord.load(text)).encode() == data

    @pytest.mark.parametrize("kind", [io.BytesIO, io.StringIO])
    def test_file_objects_are_read_within_the_limit(self, kind: type) -> None:
        """A file object larger than the limit is refused, and not read whole."""
        text = record()
        stream = kind(text.encode() if kind is io.BytesIO else text)
        limits = newsrecord.Limits(max_file_size=100)
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.load(stream, limits=limits)
        assert caught.value.code == "too-large"
        assert stream.tell() == 101

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (
                42,
                (
                    "load() takes a path (str or os.PathLike) or a file object "
                    "open for reading, not int"
                ),
            ),
            (
                b"content/a.md",
                (
                    "load() takes a path (str or os.PathLike) or a file object "
                    "open for reading, not bytes; loads() reads a record's text"
                ),
            ),
            (
                bytearray(b"---\n---\n"),
                (
                    "load() takes a path (str or os.PathLike) or a file object "
                    "open for reading, not bytearray; loads() reads a record's text"
                ),
            ),
            (
                record(),
                (
                    "load() takes a path or a file object, not a record's text; "
                    "loads() reads a record's text"
                ),
            ),
            (
                "\ufeff" + record(),
                (
                    "load() takes a path or a file object, not a record's text; "
                    "loads() reads a record's text"
                ),
            ),
        ],
        ids=["int", "bytes", "bytearray", "text", "text-with-bom"],
    )
    def test_anything_else_is_our_type_error(self, value: object, message: str) -> None:
        """Another type, or a record's text, is a TypeError that says what it takes."""
        with pytest.raises(TypeError) as caught:
            newsrecord.load(value)  # type: ignore[arg-type]
        assert str(caught.value) == message

    def test_a_reader_of_something_else_is_our_type_error(self) -> None:
        """A file-like object whose read() gives neither str nor bytes is refused."""

        class Numbers:
            def read(self, size: int = -1) -> list[int]:
                return [size]

        with pytest.raises(TypeError) as caught:
            newsrecord.load(Numbers())  # type: ignore[arg-type]
        assert str(caught.value) == (
            "load() takes a file object whose read() gives str or bytes, not list"
        )

    def test_a_path_like_of_bytes_is_our_type_error(self) -> None:
        """An os.PathLike that gives bytes is refused as bytes are."""

        class BytesPath:
            def __fspath__(self) -> bytes:
                return b"content/a.md"

        with pytest.raises(TypeError, match="not bytes"):
            newsrecord.load(BytesPath())  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"strict": "yes"}, "takes strict as a bool, not str"),
            ({"strict": 1}, "takes strict as a bool, not int"),
            ({"limits": {"max_problems": 1}}, "takes limits as a newsrecord.Limits"),
            ({"limits": None}, "takes limits as a newsrecord.Limits, not NoneType"),
        ],
    )
    def test_options_of_another_type_are_our_type_error(
        self, tmp_path: Path, options: dict[str, Any], message: str
    ) -> None:
        """``strict`` and ``limits`` of another type: a TypeError, from every reader."""
        path = tmp_path / "a.md"
        path.write_text(record(), encoding="utf-8")
        readers: dict[str, Callable[[], object]] = {
            "load": lambda: newsrecord.load(path, **options),
            "load_record": lambda: newsrecord.load_record(path, **options),
            "loads": lambda: newsrecord.loads(record(), **options),
            "loads_record": lambda: newsrecord.loads_record(record(), **options),
        }
        for name, read in readers.items():
            with pytest.raises(TypeError, match=re.escape(f"{name}() {message}")):
                read()

    @pytest.mark.parametrize("limits", [None, {"max_problems": 1}, 5])
    def test_writers_take_limits_as_limits(self, tmp_path: Path, limits: Any) -> None:
        """`dumps` and `dump` refuse ``limits`` of another type, naming themselves."""
        article = newsrecord.loads(record())
        message = "() takes limits as a newsrecord.Limits, not "
        with pytest.raises(TypeError, match=re.escape(f"dumps{message}")):
            newsrecord.dumps(article, limits=limits)
        with pytest.raises(TypeError, match=re.escape(f"dump{message}")):
            newsrecord.dump(article, tmp_path / "a.md", limits=limits)
        assert not list(tmp_path.iterdir())

    @pytest.mark.parametrize("target", [None, 5, b"a.md"])
    def test_dump_takes_a_path(self, target: Any) -> None:
        """`dump` to anything but a path is our TypeError, before any writing."""
        article = newsrecord.loads(record())
        given = type(target).__name__
        message = f"dump() takes a path (str or os.PathLike), not {given}"
        with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
            newsrecord.dump(article, target)
        with pytest.raises(TypeError, match=r"^dump\(\) takes a record, not NoneType$"):
            newsrecord.dump(None, "a.md")  # type: ignore[arg-type]

    def test_to_dict_of_something_else_is_our_type_error(self) -> None:
        """`to_dict` of anything but a record says what it takes, as `dumps` does."""
        for function in (newsrecord.to_dict, newsrecord.dumps):
            with pytest.raises(TypeError) as caught:
                function({})  # type: ignore[arg-type]
            assert (
                str(caught.value) == f"{function.__name__}() takes a record, not dict"
            )


def _result(data: bytes | bytearray | memoryview) -> object:
    """What `loads` gives for ``data``: the record, or the error's text and code."""
    try:
        return newsrecord.loads(data)
    except newsrecord.NewsRecordError as exc:
        return (type(exc), str(exc), exc.code)


class TestStrict:
    def test_unknown_keys_are_kept_by_default(self) -> None:
        """Without `strict`, unknown keys are kept in `extra`, in file order."""
        article = newsrecord.loads(record(add="zeta: 1\nalpha: 2\n"))
        assert list(article.extra) == ["zeta", "alpha"]

    def test_strict_refuses_unknown_keys(self) -> None:
        """With `strict`, each unknown key is an error."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record(add="zeta: 1\nalpha: 2\n"), strict=True)
        assert [error.key_path for error in caught.value.errors] == ["zeta", "alpha"]

    def test_strict_reads_a_clean_record_the_same(self) -> None:
        """A record without unknown keys reads the same either way."""
        assert newsrecord.loads(record(), strict=True) == newsrecord.loads(record())


class TestPublicSurface:
    def test_typed(self) -> None:
        """The package ships its `py.typed` marker."""
        assert importlib.resources.files("newsrecord").joinpath("py.typed").is_file()


def _outcome(data: str | bytes) -> newsrecord.Article | newsrecord.NewsRecordError:
    """What `loads` gives: an Article, or the NewsRecordError it raised."""
    try:
        return newsrecord.loads(data)
    except newsrecord.NewsRecordError as error:
        return error


def _loads_or_our_error(data: str | bytes) -> None:
    """`loads` gives an Article or raises a NewsRecordError placed in the file.

    An Article is written back as the very text it was read from, and reads back
    as the same record.
    """
    outcome = _outcome(data)
    if isinstance(outcome, newsrecord.Article):
        assert outcome.url
        written = newsrecord.dumps(outcome)
        assert written == (data if isinstance(data, str) else data.decode("utf-8"))
        assert newsrecord.loads(written) == outcome
        return
    assert isinstance(outcome, ValueError)
    assert str(outcome)
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    lines = text.count("\n") + text.count("\r") + 1
    places = [(outcome.line, outcome.column)]
    places += [(error.line, error.column) for error in getattr(outcome, "errors", ())]
    for line, column in places:
        assert line is None or 1 <= line <= lines
        assert column is None or column >= 1


@pytest.mark.usefixtures("yaml_loader")
class TestArbitraryInput:
    """Whatever it is given, `loads` returns an Article or raises one of our errors.

    With each PyYAML loader: the fixture patches the module once per test, the same
    for every example.
    """

    @given(mutated_records())
    @example(record())
    def test_mutated_records(self, text: str) -> None:
        """A valid record with lines deleted, repeated, swapped or added to."""
        _loads_or_our_error(text)

    @given(mutated_records())
    def test_mutated_records_as_bytes(self, text: str) -> None:
        """The same, as UTF-8 bytes (lone surrogates become invalid UTF-8)."""
        _loads_or_our_error(text.encode("utf-8", "surrogatepass"))

    @given(st.one_of(any_text(), framed_text()))
    def test_any_text(self, text: str) -> None:
        """Any text, bare or between delimiters."""
        _loads_or_our_error(text)

    @given(st.binary().map(lambda data: b"---\n" + data + b"\n---\n") | st.binary())
    def test_any_bytes(self, data: bytes) -> None:
        """Any bytes, bare or between delimiters."""
        _loads_or_our_error(data)
