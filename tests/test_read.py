"""Reading: decoding, the byte-order mark, the line endings and the frame."""

from __future__ import annotations

import pytest

from newsrecord import FrontMatterError
from newsrecord._read import read

FRONT = "---\nkey: value\n---\n"


class TestDecode:
    def test_bytes_are_utf8(self) -> None:
        """Bytes are decoded as UTF-8, non-ASCII included."""
        document = read("---\nkey: café\n---\n".encode(), None)
        assert document.root == {"key": "café"}

    @pytest.mark.parametrize(
        ("data", "line", "column"),
        [
            (b"\xff---\n", 1, 1),
            (b"---\nkey: caf\xc3\n---\n", 2, 9),
            (b"---\r\nkey: \xc3\xa9\xe9\r\n---\r\n", 2, 7),
        ],
    )
    def test_invalid_utf8_is_placed(self, data: bytes, line: int, column: int) -> None:
        """Bytes that are not UTF-8 are an `encoding` error at the first bad byte."""
        with pytest.raises(FrontMatterError) as caught:
            read(data, "f.md")
        assert (caught.value.code, caught.value.path) == ("encoding", "f.md")
        assert (caught.value.line, caught.value.column) == (line, column)
        assert isinstance(caught.value.__cause__, UnicodeDecodeError)

    @pytest.mark.parametrize(
        "text",
        ["---\nkey: a\ud800b\n---\n", "---\nkey: ab\n---\nbody \udfff\n"],
        ids=["front-matter", "body"],
    )
    def test_lone_surrogate_is_an_encoding_error(self, text: str) -> None:
        """Text with a lone surrogate cannot be a file: an `encoding` error at it."""
        with pytest.raises(FrontMatterError) as caught:
            read(text, None)
        assert caught.value.code == "encoding"
        at = next(i for i, char in enumerate(text) if "\ud800" <= char <= "\udfff")
        lines = text[:at].split("\n")
        assert (caught.value.line, caught.value.column) == (
            len(lines),
            len(lines[-1]) + 1,
        )
        assert isinstance(caught.value.__cause__, UnicodeEncodeError)
