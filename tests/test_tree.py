"""The tree's positions: 1-based lines and columns of offsets into the file."""

from __future__ import annotations

import pytest

from newsrecord._tree import position


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

    def test_every_offset_has_a_column(self) -> None:
        """No offset, not even one inside a CRLF, is placed at column 0."""
        text = "---\r\na: 1\r\n\r\nb: [\r\n---\r\n"
        for offset in range(len(text) + 1):
            line, column = position(text, offset)
            assert column >= 1
            assert 1 <= line <= text.count("\n") + 1
