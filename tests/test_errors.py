"""The errors: data that prints well, pickles, chains its causes, keeps secrets."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import traceback
from typing import TYPE_CHECKING

import pytest

import newsrecord
from newsrecord import (
    FieldError,
    FrontMatterError,
    KindError,
    NewsRecordError,
    ValidationError,
)
from newsrecord._errors import QUOTE_LIMIT, chain, detached, quoted, scrub
from records import CIPHERTEXT, TOKEN, record

if TYPE_CHECKING:
    from collections.abc import Callable


def raised(
    text: str, *, path: str | None = None, strict: bool = False
) -> NewsRecordError:
    """The error `loads` raises for ``text``."""
    with pytest.raises(NewsRecordError) as caught:
        newsrecord.loads(text, path=path, strict=strict)
    return caught.value


def _errors() -> list[NewsRecordError]:
    """One error of each class, as `loads` raises them, and built by hand."""
    return [
        raised("---\ntitle: [\n---\n", path="a.md"),
        raised("no front matter\n"),
        raised(record({"quality": "quality: x", "heat": "heat: y"}), path="b.md"),
        raised(record({"category": "", "type": "type: course"}), path="c.md"),
        FrontMatterError("broken", code="yaml-syntax"),
        ValidationError([FieldError("title", "wrong", "type", None, None)]),
        ValidationError([FieldError("title", "wrong", "type", 2, 1)], more=7),
        KindError([FieldError("type", "a course", "kind", 3, 1)], kind="course"),
    ]


def _state(error: NewsRecordError) -> dict[str, object]:
    """What an error says about the record: its class, text and fields."""
    return {
        "class": type(error),
        "str": str(error),
        "args": error.args,
        **{
            name: getattr(error, name, None)
            for name in (
                "code",
                "path",
                "line",
                "column",
                "message",
                "errors",
                "kind",
                "more",
            )
        },
    }


class TestPickle:
    @pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
    def test_round_trip_keeps_everything(self, error: NewsRecordError) -> None:
        """An error comes back from pickle with its class, message and fields."""
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            copied = pickle.loads(pickle.dumps(error, protocol))  # noqa: S301 (our own)
            assert _state(copied) == _state(error)

    @pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
    def test_detached_keeps_what_it_says(self, error: NewsRecordError) -> None:
        """A detached error says all it said, with no cause, context or frames."""
        before = _state(error)
        detached(error)
        assert (error.__cause__, error.__context__, error.__traceback__) == (
            None,
            None,
            None,
        )
        assert _state(error) == before
        assert _state(pickle.loads(pickle.dumps(error))) == before  # noqa: S301

    @pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
    def test_copy_keeps_everything(self, error: NewsRecordError) -> None:
        """`copy` and `deepcopy` keep an error's class, message and fields."""
        assert _state(copy.copy(error)) == _state(error)
        assert _state(copy.deepcopy(error)) == _state(error)


class TestClasses:
    def test_hierarchy(self) -> None:
        """Every error is a NewsRecordError, which is a ValueError."""
        assert issubclass(NewsRecordError, ValueError)
        assert issubclass(FrontMatterError, NewsRecordError)
        assert issubclass(ValidationError, NewsRecordError)
        assert issubclass(KindError, ValidationError)

    def test_validation_error_needs_a_field_error(self) -> None:
        """A ValidationError without any FieldError is refused."""
        with pytest.raises(ValueError, match="at least one FieldError"):
            ValidationError([])

    def test_validation_error_is_placed_at_its_first_problem(self) -> None:
        """A ValidationError's line and column are those of its first FieldError."""
        error = ValidationError(
            [FieldError("a", "m", "type", 4, 2), FieldError("b", "n", "type", 9, 1)]
        )
        assert (error.line, error.column, error.code) == (4, 2, "validation")

    def test_kind_error_names_the_kind(self) -> None:
        """A KindError carries the kind and the code `kind`."""
        error = KindError([FieldError("type", "m", "kind", 1, 1)], kind="book")
        assert (error.kind, error.code, error.path) == ("book", "kind", None)


class TestStr:
    @pytest.mark.parametrize(
        ("path", "line", "column", "expected"),
        [
            ("a.md", 3, 7, "a.md:3:7: broken"),
            (None, 3, 7, "<string>:3:7: broken"),
            ("a.md", 3, None, "a.md:3: broken"),
            ("a.md", None, None, "a.md: broken"),
            ("a.md", None, 7, "a.md: broken"),
        ],
    )
    def test_front_matter_error(
        self, path: str | None, line: int | None, column: int | None, expected: str
    ) -> None:
        """A FrontMatterError prints as ``path:line:column: message``."""
        error = FrontMatterError(
            "broken", code="yaml-syntax", path=path, line=line, column=column
        )
        assert str(error) == expected
        assert error.message == "broken"
        assert error.args == ("broken",)

    def test_one_problem(self) -> None:
        """A ValidationError with one problem prints as that problem's line."""
        error = ValidationError(
            [FieldError("heat", "expected an integer", "type", 2, 7)], path="a.md"
        )
        assert str(error) == "a.md:2:7: heat: expected an integer"

    def test_several_problems(self) -> None:
        """With several problems, a count comes first, then one line each."""
        error = ValidationError(
            [
                FieldError("heat", "expected an integer", "type", 2, 7),
                FieldError("", "a news record needs a link", "missing", 2, 1),
            ]
        )
        assert str(error) == (
            "<string>: 2 problems\n"
            "<string>:2:7: heat: expected an integer\n"
            "<string>:2:1: a news record needs a link"
        )

    @pytest.mark.parametrize("count", [1, 2])
    def test_problems_past_the_limit(self, count: int) -> None:
        """Problems not listed are counted in the first line and said in the last."""
        error = ValidationError(
            [FieldError("heat", "expected an integer", "type", 2, 7)] * count,
            path="a.md",
            more=40,
        )
        assert error.more == 40
        assert str(error) == "\n".join(
            [
                f"a.md: {count} problems listed, and at least 40 more",
                *["a.md:2:7: heat: expected an integer"] * count,
                "a.md: and at least 40 more problems",
            ]
        )


class TestFieldErrorFormat:
    @pytest.mark.parametrize(
        ("error", "path", "expected"),
        [
            (FieldError("a[0].b", "m", "type", 3, 5), "f.md", "f.md:3:5: a[0].b: m"),
            (FieldError("a", "m", "type", 3, 5), None, "<string>:3:5: a: m"),
            (FieldError("", "m", "missing", 2, 1), "f.md", "f.md:2:1: m"),
            (FieldError("a", "m", "type", None, None), "f.md", "f.md: a: m"),
            (FieldError("a", "m", "type", 3, None), "f.md", "f.md:3: a: m"),
        ],
    )
    def test_format(self, error: FieldError, path: str | None, expected: str) -> None:
        """``path:line:column: key.path: message``, leaving out what is unknown."""
        assert error.format(path) == expected

    def test_is_frozen_data(self) -> None:
        """A FieldError is a frozen, comparable, hashable value."""
        error = FieldError("a", "m", "type", 1, 2)
        assert error == FieldError("a", "m", "type", 1, 2)
        assert hash(error) == hash(FieldError("a", "m", "type", 1, 2))
        with pytest.raises(AttributeError):
            error.line = 3  # type: ignore[misc]


class TestCauses:
    @pytest.mark.parametrize(
        ("text", "cause"),
        [
            (b"---\ntitle: \xff\n---\n", UnicodeDecodeError),
            ("---\ntitle: [\n---\n", Exception),
            ("---\nkey: !!int abc\n---\n", Exception),
            (record({"quality": "quality: x"}), Exception),
        ],
        ids=["encoding", "yaml-syntax", "yaml-unsupported", "validation"],
    )
    def test_cause_is_chained(self, text: str | bytes, cause: type[Exception]) -> None:
        """Errors that come from a dependency's exception keep it as their cause."""
        with pytest.raises(NewsRecordError) as caught:
            newsrecord.loads(text)
        assert isinstance(caught.value.__cause__, cause)

    def test_field_errors_keep_the_dependency_exception(self) -> None:
        """A field error that came from a dependency keeps it in the chain."""
        error = raised(record({"secured": 'secured: "abc;def"'}))
        causes = chain(error, contexts=False)
        assert any(type(link).__module__ == "binascii" for link in causes)


#: Ways to break the token; each keeps a long run of the real token's text.
_BROKEN_TOKENS = [
    f'secured: "{TOKEN[:-2]}"',  # the IV's padding cut off
    f'secured: "{TOKEN.replace(";", "")}"',  # one part
    f'secured: "{TOKEN};{TOKEN}"',  # four parts
    f'secured: "{TOKEN[:40]}!{TOKEN[41:]}"',  # a character outside base64
    f'secured: "{TOKEN.replace("=", "")}"',  # no padding
    f'secured: "{TOKEN[4:]}"',  # the ciphertext not a multiple of 16 bytes
    f"secured: {TOKEN}",  # plain, valid: the error is elsewhere
]


def _secret_runs(text: str) -> list[str]:
    """Runs of the token's text long enough to matter if they were shown."""
    token_text = text.split("secured: ", 1)[1].strip('"')
    return [token_text[i : i + 12] for i in range(0, len(token_text) - 12, 6)]


class TestSecrets:
    @pytest.mark.usefixtures("yaml_loader")
    @pytest.mark.parametrize("line", _BROKEN_TOKENS)
    def test_no_message_or_repr_shows_the_token(self, line: str) -> None:
        """No message, repr or traceback of the error chain shows the token's text."""
        text = record({"secured": line, "quality": "quality: x"})
        error = raised(text, strict=True)
        shown = "".join(traceback.format_exception(error))
        shown += "".join(f"{link}{link!r}" for link in chain(error))
        for field_error in getattr(error, "errors", ()):
            shown += f"{field_error}{field_error!r}"
        for run in _secret_runs(line):
            assert run not in shown

    @pytest.mark.usefixtures("yaml_loader")
    @pytest.mark.parametrize(
        "line",
        [
            f'secured: "{TOKEN}',
            f'secured: "{TOKEN}" x',
            f"secured: {TOKEN}: x",
            f'secured: !custom "{TOKEN}"',
            f'secured: {{<<: [{{a: b}}, "{TOKEN}"]}}',
        ],
    )
    def test_yaml_errors_do_not_quote_the_token(self, line: str) -> None:
        """A YAML error on the token's line does not quote the line anywhere."""
        error = raised(record({"secured": line}))
        assert isinstance(error, FrontMatterError)
        shown = "".join(traceback.format_exception(error))
        for run in _secret_runs(line):
            assert run not in shown

    def test_token_repr_shows_lengths_only(self) -> None:
        """The token's repr, and the record's, show its lengths, not its text."""
        article = newsrecord.loads(record())
        assert article.secured is not None
        assert repr(article.secured) == (
            f"SecuredToken(<{len(CIPHERTEXT)} bytes of ciphertext>, <16 bytes of IV>)"
        )
        for run in _secret_runs(f"secured: {TOKEN}"):
            assert run not in repr(article)


class TestQuoted:
    @pytest.mark.parametrize(
        ("text", "backticks", "expected"),
        [
            ("title", False, "'title'"),
            ("title", True, "`title`"),
            ("x" * QUOTE_LIMIT, True, f"`{'x' * QUOTE_LIMIT}`"),
            ("x" * (QUOTE_LIMIT + 1), False, f"<{QUOTE_LIMIT + 1} characters>"),
            (TOKEN, True, f"<{len(TOKEN)} characters>"),
        ],
    )
    def test_quoted_whole_or_counted(
        self, text: str, *, backticks: bool, expected: str
    ) -> None:
        """Text from a file is quoted whole up to the limit, and counted past it."""
        assert quoted(text, backticks=backticks) == expected

    def test_no_token_fits(self) -> None:
        """The shortest token the format allows is longer than the limit."""
        shortest = newsrecord.SecuredToken(bytes(16), bytes(16))
        assert len(str(shortest)) > QUOTE_LIMIT

    def test_long_key_in_a_key_path_is_counted(self) -> None:
        """An unknown key too long to quote shows as its size in its key path too."""
        key = "k" * (QUOTE_LIMIT + 1)
        error = raised(record(add=f"{key}: 1"), strict=True)
        assert isinstance(error, ValidationError)
        assert error.errors[0].key_path == f"<{QUOTE_LIMIT + 1} characters>"
        assert error.errors[0].message == (
            f"unknown key <{QUOTE_LIMIT + 1} characters> in the record"
        )


class TestMessagesShowTheValue:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("quality: high", "expected an integer, got 'high' (text)"),
            ('quality: "64"', "expected an integer, got '64' (a string)"),
            ("quality: !!str 64", "expected an integer, got '64' (a string)"),
            ("quality: 1.5", "expected an integer, got '1.5' (a decimal number)"),
            ("quality: [1]", "expected an integer, got a list"),
            ("published: maybe", "expected true or false, got 'maybe' (text)"),
            ('published: "yes"', "expected true or false, got 'yes' (a string)"),
            ('title: !!int "12"', "expected text, got 12 (an integer)"),
            ("title: {a: b}", "expected text, got a mapping"),
            ("topics: Energy", "expected a list, got 'Energy' (text)"),
            ("provider: Example", "expected a mapping, got 'Example' (text)"),
            (
                "publishedDateTime: yesterday",
                (
                    "expected a timestamp such as 2024-03-18T07:30:00Z, "
                    "got 'yesterday' (text)"
                ),
            ),
            (
                "publishedDateTime: 1700000000",
                (
                    "expected a timestamp such as 2024-03-18T07:30:00Z, "
                    "got '1700000000' (an integer)"
                ),
            ),
            (
                'publishedDateTime: "18 March 2024"',
                (
                    "expected an ISO 8601 timestamp such as 2024-03-18T07:30:00Z, "
                    "got '18 March 2024' (a string)"
                ),
            ),
            (
                "publishedDateTime: 2024-02-30T07:30:00Z",
                (
                    "not a real date and time: '2024-02-30T07:30:00Z' "
                    "(day is out of range for month)"
                ),
            ),
            (
                'publishedDateTime: "2024-03-18"',
                (
                    "'2024-03-18' is a date without a time: expected a date and time "
                    "with a timezone, such as 2024-03-18T07:30:00Z"
                ),
            ),
            (
                "publishedDateTime: 2024-03-18 07:30:00",
                (
                    "'2024-03-18 07:30:00' has no timezone: add Z or an offset "
                    "such as +00:00"
                ),
            ),
            (
                "sourceUrl: www.example.com/a",
                (
                    "expected an absolute http(s) URL (https://...), "
                    "got 'www.example.com/a'"
                ),
            ),
            (
                "sourceUrl: ftp://example.com/a",
                (
                    "expected an absolute http(s) URL (https://...), "
                    "got 'ftp://example.com/a'"
                ),
            ),
            (
                "sourceUrl:",
                "expected an absolute http(s) URL (https://...), got nothing (null)",
            ),
            (
                "sourceUrl: ~",
                "expected an absolute http(s) URL (https://...), got nothing (null)",
            ),
            (
                'sourceUrl: ""',
                "expected an absolute http(s) URL (https://...), got ''",
            ),
            (
                "images:\n  - url:\n    width: 1\n    height: 1",
                (
                    "expected an absolute http(s) URL (https://...) or a path starting "
                    "with / (/assets/...), got nothing (null)"
                ),
            ),
            (
                "images:\n  - url: images/a.jpg\n    width: 1\n    height: 1",
                (
                    "expected an absolute http(s) URL (https://...) or a path starting "
                    "with / (/assets/...), got 'images/a.jpg'"
                ),
            ),
            ("type: story", "must be `article` or `video`, not `story`"),
            (
                "heat: 3000000000",
                "3000000000 is outside the 32-bit range [-2147483648, 2147483647]",
            ),
        ],
    )
    def test_the_value_and_the_form_expected(self, line: str, expected: str) -> None:
        """Each rule's message shows the value as written and the form expected."""
        key = line.split(":", 1)[0]
        error = raised(record({key: line}) if key in _KEYS else record(add=line))
        assert isinstance(error, ValidationError)
        assert [field.message for field in error.errors] == [expected]

    @pytest.mark.parametrize(
        "line",
        [
            "sourceUrl: www.example.com/energy/2024/03/harbour-city-tidal-power",
            f"sourceUrl: {TOKEN}",
            f'quality: "{TOKEN}"',
            f"publishedDateTime: {TOKEN}",
            f"title: !!binary {CIPHERTEXT.hex()}",
        ],
    )
    def test_long_values_are_counted(self, line: str) -> None:
        """A value longer than the quoting limit shows as its size, never its text."""
        key = line.split(":", 1)[0]
        error = raised(record({key: line}))
        assert isinstance(error, ValidationError)
        (problem,) = error.errors
        value = line.split(": ", 1)[1]
        assert value.strip('"') not in problem.message
        assert value[: QUOTE_LIMIT // 2] not in problem.message
        assert "characters>" in problem.message or "binary data" in problem.message


_KEYS = frozenset(
    key.split(":", 1)[0] for key in record().splitlines() if key[:1].isalpha()
)


def _raised(make: Callable[[], object]) -> BaseException:
    try:
        make()
    except Exception as exc:  # noqa: BLE001 (the test looks at whatever it is)
        return exc
    raise AssertionError  # pragma: no cover (every maker raises)


class TestScrub:
    @pytest.mark.parametrize(
        "make",
        [
            lambda: int(TOKEN),
            lambda: int(TOKEN * 3),
            lambda: float(TOKEN),
            lambda: dict.fromkeys("abc")[TOKEN.lower()],
            lambda: dt.datetime.fromisoformat(TOKEN),
            lambda: (TOKEN + "\xff").encode("ascii"),
            lambda: (TOKEN.encode() + b"\xff").decode("utf-8"),
        ],
        ids=["int", "int-cut-off", "float", "key", "isoformat", "encode", "decode"],
    )
    def test_the_value_is_gone_from_the_chain(self, make: Callable[[], object]) -> None:
        """A dependency's exception that quotes a value, anywhere in the chain of
        an error of ours, keeps its type and a message that counts the value."""
        foreign = _raised(make)
        ours = FrontMatterError("broken", code="yaml-syntax")
        ours.__cause__ = ExceptionGroup("group", [ValueError("x")])
        ours.__cause__.__context__ = foreign
        kind = type(foreign)
        scrub(ours)
        for text in (str(foreign), repr(foreign), repr(foreign.args)):
            assert TOKEN[:20].lower() not in text.lower()
        assert type(foreign) is kind
        assert str(ours) == "<string>: broken"

    def test_short_values_are_kept(self) -> None:
        """What a message quotes up to `QUOTE_LIMIT` characters stays as it was."""
        foreign = _raised(lambda: int("twelve"))
        scrub(foreign)
        assert str(foreign) == "invalid literal for int() with base 10: 'twelve'"

    def test_a_unicode_error_keeps_the_characters_it_is_about(self) -> None:
        """A Unicode error keeps its reason and the bytes it could not decode."""
        foreign = _raised(lambda: (TOKEN.encode() + b"\xff").decode("utf-8"))
        assert isinstance(foreign, UnicodeDecodeError)
        scrub(foreign)
        assert (foreign.object, foreign.start, foreign.end) == (b"\xff", 0, 1)
        assert foreign.args[1] == b"\xff"
        assert foreign.reason == "invalid start byte"
