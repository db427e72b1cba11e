"""Structuring: the front-matter tree to an `Article`, every problem reported."""

from __future__ import annotations

import pytest

import newsrecord

_NO_LINKS = """\
---
category: news
title: "A record without links"
excerpt: ""
publishedDateTime: 2024-03-18T07:30:00Z
type: article

provider:
  name: Example Energy News
  domain: example.com
---
"""


class TestLinks:
    def test_a_record_without_links_is_a_validation_error(self) -> None:
        """A record with no link key at all gets one `missing` error, no crash."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(_NO_LINKS)
        (error,) = caught.value.errors
        assert (error.code, error.key_path, error.line) == ("missing", "", 2)

    def test_missing_links_are_reported_with_other_problems(self) -> None:
        """The missing link is reported beside the record's other problems."""
        text = _NO_LINKS.replace("type: article", "type: story")
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text)
        codes = [(error.code, error.key_path) for error in caught.value.errors]
        assert codes == [("missing", ""), ("value", "type")]
