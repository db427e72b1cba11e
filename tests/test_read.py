"""Reading: decoding, the byte-order mark, the line endings and the frame."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from newsrecord import FrontMatterError
from newsrecord._read import read
from newsrecord._syntax import BOM
from newsrecord._tree import ListNode, MapNode
from strategies import front_matter

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


def outcome(data: str | bytes) -> tuple[object, ...]:
    """What reading ``data`` gives: the document's parts, or the error's place."""
    try:
        document = read(data, None)
    except FrontMatterError as exc:
        return (exc.code, exc.line, exc.column)
    return (
        document.text,
        document.bom,
        document.newline,
        (document.yaml_start, document.yaml_end, document.body_start),
        tree(document.root),
    )


def tree(value: object) -> object:
    """A tree's values with their types, and where each stands."""
    if isinstance(value, MapNode):
        pairs = [(key, tree(item)) for key, item in value.items()]
        return ("mapping", value.start, value.end, value.spans, pairs)
    if isinstance(value, ListNode):
        items = [tree(item) for item in value]
        return ("list", value.start, value.end, value.spans, items)
    return (type(value).__name__, value)


class TestBytes:
    @given(
        front=front_matter(edges=True),
        body=st.text(st.characters(codec="utf-8"), max_size=20),
        bom=st.booleans(),
    )
    def test_bytes_read_as_their_text(
        self, front: str, body: str, *, bom: bool
    ) -> None:
        """A file's bytes read as its text does, and give the bytes up to its body.

        Non-ASCII text anywhere, before the front matter, in it and in the body,
        and the characters the fast reader leaves to the general one (which it
        finds in the block's bytes when it has them).
        """
        newline = "\r\n" if front.endswith("\r\n") else "\n"
        text = f"{BOM * bom}---{newline}{front}---{newline}{body}"
        assume(all(not "\ud800" <= char <= "\udfff" for char in text))
        data = text.encode("utf-8")
        expected = outcome(text)
        assert outcome(data) == expected
        if len(expected) == 5:  # read, not refused
            document = read(data, None)
            head = document.text[: document.body_start]
            assert document.head == (BOM * bom + head).encode("utf-8")
            assert read(text, None).head is None
