"""Structuring: the front-matter tree to typed records, with every error at once."""

from __future__ import annotations

import newsrecord
from records import record


class TestExtra:
    def test_unknown_values_are_what_yaml_gives(self) -> None:
        """Unknown keys hold YAML's values: exact `str`, ints, bools, nested values."""
        article = newsrecord.loads(
            record(add="note: hello\ncount: 0x10\nflag: NO\nnested: [a, {b: ~}]\n")
        )
        assert dict(article.extra) == {
            "note": "hello",
            "count": 16,
            "flag": False,
            "nested": ("a", {"b": None}),
        }
        assert type(article.extra["note"]) is str
        assert type(article.extra["nested"][0]) is str
