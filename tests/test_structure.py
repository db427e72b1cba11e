"""Structuring: the front-matter tree to typed records, with every error at once."""

from __future__ import annotations

import datetime as dt

import pytest
from cattrs.errors import ClassValidationError
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from newsrecord import Article, FieldError
from newsrecord._read import read
from newsrecord._structure import _field_errors, _leaves, _placed, structure
from newsrecord._syntax import position
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


class TestOptionalScalars:
    @pytest.mark.parametrize("key", ["quality", "heat", "published"])
    @pytest.mark.parametrize("written", ["", "~", "null", "Null"])
    def test_null_is_none(self, key: str, written: str) -> None:
        """An optional int or bool written as YAML's null is `None`."""
        article = newsrecord.loads(record({key: f"{key}: {written}"}))
        assert getattr(article, key) is None

    @pytest.mark.parametrize("key", ["quality", "heat", "published"])
    @pytest.mark.parametrize("written", ["=", "<<", "0b_", "0x_", "'null'"])
    def test_text_yaml_cannot_read_is_a_type_error(
        self, key: str, written: str
    ) -> None:
        """A value that is no int, bool or null is a `type` error at the value."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record({key: f"{key}: {written}"}))
        (error,) = caught.value.errors
        assert (error.key_path, error.code) == (key, "type")
        assert error.column == len(key) + 3


_LINKS = ("sourceUrl", "ampUrl", "cdnAmpUrl")


class TestLinks:
    def test_record_without_links_is_one_error(self) -> None:
        """A record with no link at all gets one `missing` error for the record."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record(drop=_LINKS))
        (error,) = caught.value.errors
        assert (error.key_path, error.code, error.line, error.column) == (
            "",
            "missing",
            2,
            1,
        )

    @pytest.mark.parametrize("strict", [False, True])
    def test_missing_links_come_with_the_other_problems(self, *, strict: bool) -> None:
        """The missing link is reported along with every other problem."""
        text = record({"quality": "quality: x"}, drop=_LINKS, add="qualty: 1\n")
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, strict=strict)
        found = [(error.key_path, error.code) for error in caught.value.errors]
        expected = [("", "missing"), ("quality", "type")]
        assert found == [*expected, ("qualty", "unknown-key")] if strict else expected


class TestTimestamps:
    @pytest.mark.parametrize(
        "written",
        [
            "2024-02-05T06:15:00Z",
            '"2024-02-05T06:15:00Z"',
            "2024-02-05 07:15:00 +01:00",
            '"2024-02-05T07:15:00+01:00"',
            "2024-02-05t06:15:00.000Z",
            '!!timestamp "2024-02-05T06:15:00Z"',
        ],
    )
    def test_aware_timestamps_are_read(self, written: str) -> None:
        """Plain YAML timestamps and quoted ISO 8601 text with a zone both read."""
        article = newsrecord.loads(
            record({"publishedDateTime": f"publishedDateTime: {written}"})
        )
        assert article.published_date_time == dt.datetime(
            2024, 2, 5, 6, 15, tzinfo=dt.UTC
        )
        assert article.published_date_time.utcoffset() is not None

    @pytest.mark.parametrize(
        ("written", "code"),
        [
            ("2024-02-05", "timestamp"),
            ('"2024-02-05"', "timestamp"),
            ('"20240205"', "timestamp"),
            ("2024-02-05T06:15:00", "timezone"),
            ('"2024-02-05T06:15:00"', "timezone"),
            ("2024-02-30T06:15:00Z", "timestamp"),
            ('"2024-02-30T06:15:00Z"', "timestamp"),
            ("soon", "timestamp"),
            ('!!timestamp "2024-02-05"', "timestamp"),
        ],
    )
    def test_dates_and_naive_times_are_refused(self, written: str, code: str) -> None:
        """A date alone, a time without a zone or an impossible date is an error."""
        text = record({"publishedDateTime": f"publishedDateTime: {written}"})
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text)
        (error,) = caught.value.errors
        assert (error.key_path, error.code) == ("publishedDateTime", code)


class TestUnknownKeys:
    @pytest.mark.parametrize(
        ("add", "key_path", "message"),
        [
            ("qualty: 1\n", "qualty", "unknown key `qualty` in the record"),
            (
                "images:\n  - {url: /a.png, width: 1, height: 1, iscached: 1}",
                "images[0].iscached",
                "unknown key `iscached` in an image",
            ),
        ],
    )
    def test_strict_names_the_place(
        self, add: str, key_path: str, message: str
    ) -> None:
        """Under `strict`, an unknown key is named with where it stands."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record(add=add), strict=True)
        (error,) = caught.value.errors
        assert (error.key_path, error.code) == (key_path, "unknown-key")
        assert error.message.startswith(message + ";")


class TestUnreadableExtra:
    def test_unknown_value_yaml_cannot_read_is_an_error(self) -> None:
        """An unknown key whose plain value PyYAML cannot read is a `value` error."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record(add="note: 0x_\n"))
        (error,) = caught.value.errors
        assert (error.key_path, error.code, error.line, error.column) == (
            "note",
            "value",
            22,
            7,
        )


class TestInternals:
    def test_unexpected_exception_is_not_hidden(self) -> None:
        """An exception that is no problem of the record is raised, not reported."""
        document = read(record(), None)
        with pytest.raises(RuntimeError, match="a bug"):
            list(_field_errors(document.root, RuntimeError("a bug"), Article))

    def test_foreign_notes_do_not_change_the_key_path(self) -> None:
        """Notes other than cattrs' and ours leave the key path as it is."""
        leaf = ValueError("leaf")
        leaf.add_note("a note from elsewhere")
        group = ClassValidationError("While structuring Article", [leaf], Article)
        assert list(_leaves(group, ["provider"], None)) == [(["provider"], leaf)]


class TestHugeInts:
    @pytest.mark.parametrize(
        "written",
        [
            "1" * 5000,
            "-" + "1" * 4301,
            "0x" + "f" * 5000,
            '!!int "0x' + "f" * 5000 + '"',
        ],
        ids=["digits", "negative", "hex", "tagged"],
    )
    def test_too_long_to_print_is_a_range_error(self, written: str) -> None:
        """An int too long for Python to convert or print is a `range` error."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(record({"quality": f"quality: {written}"}))
        (error,) = caught.value.errors
        assert (error.key_path, error.code) == ("quality", "range")
        assert len(error.message) < 80


class TestPlacing:
    @given(
        st.text(st.sampled_from("ab\r\n"), max_size=20),
        st.lists(st.integers(-2, 22), max_size=8),
    )
    def test_same_places_as_position(self, text: str, offsets: list[int]) -> None:
        """Errors placed together get the line and column `position` gives each."""
        errors = [
            (offset, FieldError("k", "m", "type", None, None)) for offset in offsets
        ]
        placed = _placed(text, errors)
        expected = sorted(offsets)
        assert [(e.line, e.column) for e in placed] == [
            position(text, offset) for offset in expected
        ]

    def test_thousands_of_errors_are_all_placed(self) -> None:
        """Every one of thousands of errors in a record is reported, at its line,
        when the limit on problems allows them all."""
        text = record({"topics": "topics:\n" + "  - [x]\n" * 5_000})
        limits = newsrecord.Limits(max_problems=5_000)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, limits=limits)
        lines = [error.line for error in caught.value.errors]
        assert lines == list(range(19, 19 + 5_000))
        assert caught.value.more == 0


class TestUnlocated:
    """A tree read without its spans builds the same record, or the same error."""

    def test_valid_record_is_built_from_values_alone(self) -> None:
        text = record()
        document = read(text, None, locate=False)
        assert not document.located
        assert not document.root.spans
        built = structure(document, strict=False)
        assert built == structure(read(text, None), strict=False)
        assert newsrecord.dumps(built) == text

    @pytest.mark.parametrize(
        "text",
        [
            record({"heat": "heat: hot", "sourceUrl": "sourceUrl: not a link"}),
            record(
                add="images:\n  - url: https://img.example.com/a.png\n    width: wide\n"
            ),
            record({"category": "category: course"}),
            record(drop=_LINKS),
        ],
        ids=["fields", "nested", "kind", "no-link"],
    )
    @pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
    def test_errors_are_placed_as_from_a_located_tree(
        self, text: str, *, strict: bool
    ) -> None:
        text = text.replace("\n---\n", "\ncolour: blue\n---\n")  # unknown, too
        with pytest.raises(newsrecord.NewsRecordError) as located:
            structure(read(text, "a.md"), strict=strict)
        document = read(text, "a.md", locate=False)
        assert not document.located  # the fast reader's, without spans
        with pytest.raises(newsrecord.NewsRecordError) as unlocated:
            structure(document, strict=strict)
        assert str(unlocated.value) == str(located.value)
        assert type(unlocated.value) is type(located.value)
        errors = getattr(located.value, "errors", [located.value])
        assert all(error.line is not None and error.line > 1 for error in errors)
