"""The general YAML reader: how scalars enter the front-matter tree."""

from __future__ import annotations

import pytest

from newsrecord._frontmatter import read_yaml
from newsrecord._tree import Plain


def _read(block: str) -> dict[str, object]:
    text = f"---\n{block}---\n"
    return dict(read_yaml(text, 4, len(text) - 4, None))


class TestPlainScalars:
    def test_plain_text_stays_plain(self) -> None:
        """A plain scalar that YAML reads as a string is kept as `Plain` text."""
        value = _read("name: high\n")["name"]
        assert type(value) is Plain
        assert value == "high"

    @pytest.mark.parametrize("text", ["12", "true", "2024-02-30T07:30:00Z", "~"])
    def test_plain_non_strings_stay_unresolved(self, text: str) -> None:
        """A plain number, bool, timestamp or null is kept as written, unresolved."""
        value = _read(f"key: {text}\n")["key"]
        assert type(value) is Plain
        assert value == text

    def test_quoted_text_is_a_str(self) -> None:
        """A double-quoted scalar is a plain `str`, unescaped, not `Plain`."""
        value = _read('title: "a \\"b\\""\n')["title"]
        assert type(value) is str
        assert value == 'a "b"'
