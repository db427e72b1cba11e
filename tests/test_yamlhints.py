"""YAML syntax errors in words: the common causes named, at the line at fault."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from newsrecord._yamlhints import explain
from records import record

_TAB = "a tab indents this line: YAML indents with spaces only"
_MORE = (
    "this line is indented more than the line above it, so it reads as part of "
    "that line's value: line up the keys of one mapping"
)
_DOUBLE = (
    "the double quote that opens this value is not closed on its line "
    '(a quote inside the value is written \\")'
)
_SINGLE = (
    "the single quote that opens this value is not closed on its line "
    "(a quote inside the value is written '')"
)
_NO_SPACE = "no space after this colon: a key is followed by ': ', a colon and a space"
_COLON = "': ' inside a value that is not quoted: put the value in double quotes"

#: A broken line or two in the test record, and the problem: line, column, message.
_CASES = {
    "tab-indenting-a-key": (
        {"provider": "provider:\n\tname: X\n  domain: x.com"},
        (15, 1, _TAB),
    ),
    "tab-indenting-a-list-item": ({"topics": "topics:\n\t- A"}, (19, 1, _TAB)),
    "tab-after-spaces": (
        {"provider": "provider:\n  \tname: X\n  domain: x.com"},
        (15, 3, _TAB),
    ),
    "over-indented-key": ({"heat": "heat: 7\n  published: true"}, (12, 3, _MORE)),
    "over-indented-by-one": ({"heat": "heat: 7\n published: true"}, (12, 2, _MORE)),
    "over-indented-nested-key": (
        {"provider": "provider:\n  name: X\n    domain: x.com"},
        (16, 5, _MORE),
    ),
    "over-indented-after-quoted": (
        {"title": 'title: "Night"\n  excerpt: "x"'},
        (
            4,
            3,
            (
                "this line is indented by 2 spaces, which lines up with no key or list "
                "item above it"
            ),
        ),
    ),
    "under-indented-key": (
        {"provider": "provider:\n    name: X\n  domain: x.com"},
        (
            16,
            3,
            (
                "this line is indented by 2 spaces, which lines up with no key or list "
                "item above it"
            ),
        ),
    ),
    "key-among-list-items": (
        {"topics": "topics:\n  - A\n  secured: x"},
        (
            20,
            3,
            (
                "this line is not a list item ('- '), but is indented as the items of "
                "the list above it (2 spaces)"
            ),
        ),
    ),
    "unclosed-double-quote": ({"title": 'title: "Night trains'}, (3, 8, _DOUBLE)),
    "unclosed-single-quote": ({"title": "title: 'Night trains"}, (3, 8, _SINGLE)),
    "unclosed-quote-in-a-list": (
        {"topics": 'topics:\n  - "A\n  - B'},
        (19, 5, _DOUBLE),
    ),
    "unclosed-last-quote": (
        {"secured": 'secured: "abc'},
        (21, 10, _DOUBLE),
    ),
    "unclosed-flow-list": (
        {"topics": "topics: [A, B"},
        (18, 9, "the '[' that opens this value is not closed with ']' on its line"),
    ),
    "unclosed-flow-mapping": (
        {"provider": "provider: {name: X, domain: x.com"},
        (14, 11, "the '{' that opens this value is not closed with '}' on its line"),
    ),
    "colon-in-a-plain-value": ({"title": "title: Night: trains"}, (3, 13, _COLON)),
    "colon-in-a-plain-list-item": (
        {"topics": "topics:\n  - Rail: night: x"},
        (19, 16, _COLON),
    ),
    "text-after-the-closing-quote": (
        {"title": 'title: "Night" trains'},
        (
            3,
            16,
            (
                "text after the closing quote: quote the whole value (a quote inside "
                'it is written \\")'
            ),
        ),
    ),
    "no-space-after-a-key": ({"heat": "heat:7"}, (11, 5, _NO_SPACE)),
    "no-space-after-the-last-key": ({"secured": "secured:x"}, (21, 8, _NO_SPACE)),
    "no-space-after-a-nested-key": (
        {"provider": "provider:\n  name:X\n  domain: x.com"},
        (15, 7, _NO_SPACE),
    ),
    "no-colon-after-a-key": (
        {"heat": "heat 7"},
        (
            11,
            1,
            "this line has no ': ' after its key: write a key, ': ' and its value",
        ),
    ),
    "at-sign-starting-a-value": (
        {"title": "title: @night"},
        (
            3,
            8,
            (
                "a value cannot start with '@' unless it is quoted: put the value in "
                "double quotes"
            ),
        ),
    ),
    "percent-starting-a-value": (
        {"title": "title: %night"},
        (
            3,
            8,
            (
                "a value cannot start with '%' unless it is quoted: put the value in "
                "double quotes"
            ),
        ),
    ),
    "backtick-starting-a-value": (
        {"title": "title: `night`"},
        (
            3,
            8,
            (
                "a value cannot start with '`' unless it is quoted: put the value in "
                "double quotes"
            ),
        ),
    ),
}


@pytest.mark.usefixtures("yaml_loader")
class TestCommonCauses:
    @pytest.mark.parametrize(("lines", "expected"), _CASES.values(), ids=list(_CASES))
    def test_named_at_the_line_at_fault(
        self, lines: dict[str, str], expected: tuple[int, int, str]
    ) -> None:
        """Each common cause gets its own words, at the line that has it."""
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(record(lines))
        error = caught.value
        assert error.code == "yaml-syntax"
        assert (error.line, error.column, error.message) == (
            *expected[:2],
            f"invalid YAML: {expected[2]}",
        )
        assert error.__cause__ is not None

    @pytest.mark.parametrize(
        "lines",
        [
            {"excerpt": 'excerpt: "Tides \\q"'},
            {"heat": "heat: &a 1\nquality: *b"},
        ],
        ids=["unknown-escape", "undefined-alias"],
    )
    def test_other_errors_keep_the_readers_words(self, lines: dict[str, str]) -> None:
        """An error with no known cause is told in the YAML reader's words."""
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(record(lines))
        assert caught.value.message.startswith("invalid YAML: found ")

    def test_crlf_lines_are_read_alike(self) -> None:
        """A CRLF file's problem is named at the same line and column."""
        text = record({"title": 'title: "Night trains'}).replace("\n", "\r\n")
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.loads(text)
        error = caught.value
        assert (error.line, error.column, error.message) == (
            3,
            8,
            f"invalid YAML: {_DOUBLE}",
        )


_WORDS = st.sampled_from(
    [
        "",
        "found character that cannot start any token",
        "mapping values are not allowed here",
        "did not find expected key",
        "did not find expected ',' or ']'",
        "expected ',' or '}', but got ':'",
        "found unexpected end of stream",
        "while parsing a block mapping",
        "while parsing a block collection",
        "while scanning a quoted scalar",
    ]
)
_BLOCKS = st.text(alphabet=st.sampled_from(" \t\n\r-:#\"'[]{}@`\\ax"), max_size=40)


class TestAnyInput:
    @given(_WORDS, _WORDS, _BLOCKS, st.data())
    def test_answers_within_the_block(
        self, problem: str, context: str, block: str, data: st.DataObject
    ) -> None:
        """Whatever the reader said, the answer is None or a place in the block."""
        at = data.draw(st.integers(0, len(block)))
        context_at = data.draw(st.none() | st.integers(0, at))
        answer = explain(problem, context, block, at, context_at)
        if answer is not None:
            message, where = answer
            assert message
            assert 0 <= where <= len(block)

    @pytest.mark.parametrize(("block", "context_at"), [("", None), ("", 0), ("a", 0)])
    def test_an_end_of_stream_with_no_quote_is_not_explained(
        self, block: str, context_at: int | None
    ) -> None:
        """A quoted scalar's end of stream where no quote stands is left as it is."""
        problem = "found unexpected end of stream"
        context = "while scanning a quoted scalar"
        assert explain(problem, context, block, len(block), context_at) is None
