"""The tree's positions: 1-based lines and columns of offsets into the file."""

from __future__ import annotations

import pytest

from newsrecord._read import read
from newsrecord._syntax import Lines, position


class TestPosition:
    @pytest.mark.parametrize(
        ("text", "offset", "expected"),
        [
            ("ab\ncd", 0, (1, 1)),
            ("ab\ncd", 2, (1, 3)),
            ("ab\ncd", 3, (2, 1)),
            ("ab\ncd", 5, (2, 3)),
            ("ab\r\ncd", 2, (1, 3)),
            ("ab\r\ncd", 3, (1, 4)),
            ("ab\r\ncd", 4, (2, 1)),
            ("ab\rcd", 3, (2, 1)),
            ("ab\r\r\ncd", 3, (2, 1)),
            ("ab\r\r\ncd", 4, (2, 2)),
            ("ab\r\r\ncd", 5, (3, 1)),
            ("é😀\nx", 2, (1, 3)),
            ("ab", 99, (1, 3)),
            ("ab", -5, (1, 1)),
            ("", 0, (1, 1)),
        ],
    )
    def test_lines_and_columns(
        self, text: str, offset: int, expected: tuple[int, int]
    ) -> None:
        """LF, CRLF and a lone CR end lines; columns count characters from 1."""
        assert position(text, offset) == expected
        assert Lines(text).position(offset) == expected

    def test_every_offset_has_a_column(self) -> None:
        """No offset, not even one inside a CRLF, is placed at column 0."""
        text = "---\r\na: 1\r\n\r\nb: [\r\n---\r\n"
        for offset in range(len(text) + 1):
            line, column = position(text, offset)
            assert column >= 1
            assert 1 <= line <= text.count("\n") + 1


class TestDocument:
    def test_frame_and_positions(self) -> None:
        """A document knows its front matter, its body and where its text stands."""
        text = "---\r\nkey: value\r\n---\r\nbody\r\n"
        document = read(text, "a.md")
        assert text[document.yaml_start : document.yaml_end] == "key: value\r\n"
        assert document.body == "body\r\n"
        assert document.newline == "\r\n"
        key_start, value_start, _ = document.root.spans["key"]
        assert document.position(key_start) == (2, 1)
        assert document.position(value_start) == (2, 6)
