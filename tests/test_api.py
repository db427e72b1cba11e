"""The public functions `load` and `loads`, and the public surface."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import newsrecord
from newsrecord._model import source_of
from newsrecord._structure import source_document
from records import record
from strategies import any_text, framed_text, mutated_records


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
        assert str(caught.value) == f"{bad}:11:7: heat: expected an integer, got text"

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
