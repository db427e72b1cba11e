"""Records as JSON-ready mappings: `to_dict` and `from_dict`."""

from __future__ import annotations

import datetime as dt
import json
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given

import newsrecord
from conftest import REFERENCE, needs_corpus
from newsrecord._model import without_source
from records import unchecked
from strategies import articles
from test_write import SIMPLE, evolve


class TestToDict:
    def test_file_keys_and_json(self) -> None:
        """Keys are spelled as in the file, in its order, and JSON can hold all."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        assert list(mapping) == [
            "category",
            "title",
            "excerpt",
            "publishedDateTime",
            "sourceUrl",
            "type",
            "quality",
            "published",
            "provider",
            "topics",
            "related",
            "secured",
        ]
        assert mapping["publishedDateTime"] == "2023-05-04T09:15:00Z"
        assert mapping["related"][1]["images"] == [
            {"url": "https://b.example.net/2.jpg", "width": 30, "height": 40}
        ]
        assert mapping["secured"].endswith(";AAECAwQFBgcICQoLDA0ODw==")
        assert json.loads(json.dumps(mapping)) == mapping

    def test_timestamp_text_of_the_file(self) -> None:
        """A timestamp keeps the file's own text while its value is unchanged."""
        text = SIMPLE.replace("2023-05-04T09:15:00Z", "2023-05-04 09:15:00 +00:00")
        article = newsrecord.loads(text)
        assert newsrecord.to_dict(article)["publishedDateTime"] == (
            "2023-05-04 09:15:00 +00:00"
        )
        moved = evolve(
            article,
            published_date_time=dt.datetime(2023, 5, 4, 9, 16, tzinfo=dt.UTC),
        )
        assert newsrecord.to_dict(moved)["publishedDateTime"] == "2023-05-04T09:16:00Z"

    def test_timestamp_text_from_scratch(self) -> None:
        """A record built in Python gets the format's timestamp text."""
        article = without_source(newsrecord.loads(SIMPLE))
        minus_eight = dt.timezone(-dt.timedelta(hours=8))
        moment = dt.datetime(2019, 12, 8, 9, 0, 0, 250000, tzinfo=minus_eight)
        mapping = newsrecord.to_dict(evolve(article, published_date_time=moment))
        assert mapping["publishedDateTime"] == "2019-12-08T09:00:00.25-08:00"

    def test_unknown_keys_become_json(self) -> None:
        """Unknown keys keep their names; values JSON lacks become text."""
        article = evolve(
            newsrecord.loads(SIMPLE),
            extra=MappingProxyType(
                {
                    "when": dt.date(2020, 1, 2),
                    "at": dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
                    "raw": b"\x00\x01",
                    "levels": ("A", {"n": 1}),
                }
            ),
        )
        mapping = newsrecord.to_dict(article)
        assert list(mapping)[-5:] == ["when", "at", "raw", "levels", "secured"]
        assert mapping["when"] == "2020-01-02"
        assert mapping["at"] == "2020-01-02T03:04:05Z"
        assert mapping["raw"] == "AAE="
        assert mapping["levels"] == ["A", {"n": 1}]

    def test_invalid_record(self) -> None:
        """A record that would not load is refused with every problem."""
        with unchecked():
            article = evolve(newsrecord.loads(SIMPLE), quality="48", topics="AI")
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.to_dict(article)
        assert [(e.key_path, e.code) for e in caught.value.errors] == [
            ("quality", "type"),
            ("topics", "type"),
        ]


class TestFromDict:
    def test_round_trip(self) -> None:
        """A record's mapping and body build the same record again."""
        article = newsrecord.loads(SIMPLE)
        back = newsrecord.from_dict(newsrecord.to_dict(article), body=article.body)
        assert back == article

    @needs_corpus
    def test_reference_round_trip(self) -> None:
        """The reference record goes through JSON and back unchanged."""
        article = newsrecord.load(REFERENCE)
        mapping = json.loads(json.dumps(newsrecord.to_dict(article)))
        assert newsrecord.from_dict(mapping, body=article.body) == article

    @given(articles(with_extra=False))
    def test_any_record_round_trips(self, article: newsrecord.Article) -> None:
        """Any record survives to_dict, JSON and from_dict."""
        mapping = json.loads(json.dumps(newsrecord.to_dict(article)))
        assert newsrecord.from_dict(mapping, body=article.body) == article

    def test_errors_have_key_paths(self) -> None:
        """Every problem is reported at once, by key path, in the model's order."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["heat"] = True
        mapping["related"][1]["images"][0]["width"] = -1
        mapping["provider"] = {"name": "P"}
        mapping["publishedDateTime"] = "yesterday"
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping)
        assert str(caught.value).splitlines() == [
            "<string>: 4 problems",
            (
                "<string>: publishedDateTime: expected an ISO 8601 timestamp such as "
                "2024-03-18T07:30:00Z, got 'yesterday' (a string)"
            ),
            "<string>: provider.domain: missing required key `domain`",
            "<string>: heat: expected an integer, got True (true or false)",
            "<string>: related[1].images[0].width: a size cannot be negative (-1)",
        ]
        assert {error.line for error in caught.value.errors} == {None}

    def test_keys_must_be_text(self) -> None:
        """A key that is not text is reported with the path of its mapping."""
        mapping: dict[Any, Any] = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["provider"][1] = "x"
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping)
        assert [(e.key_path, e.message) for e in caught.value.errors] == [
            ("provider", "keys must be text, not int (1)")
        ]

    def test_not_a_mapping(self) -> None:
        """Something other than a mapping is refused as ours, not a TypeError."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict([1, 2])  # type: ignore[call-overload]
        assert caught.value.errors[0].message == (
            "expected a mapping of keys to values, got a list"
        )

    def test_body_must_be_text(self) -> None:
        """A body that is not text is reported."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        with pytest.raises(newsrecord.ValidationError, match="the body must be text"):
            newsrecord.from_dict(mapping, body=None)  # type: ignore[call-overload]

    def test_strict_unknown_keys(self) -> None:
        """Unknown keys go to extra, or with strict are errors naming a close key."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["titel"] = "x"
        assert newsrecord.from_dict(mapping).extra == {"titel": "x"}
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping, strict=True)
        assert caught.value.errors[0].message == (
            "unknown key `titel` in the record; did you mean `title`?"
        )

    def test_other_kind(self) -> None:
        """A mapping of another kind of record is a KindError."""
        mapping = {"title": "x", "type": "course", "webUrl": "https://e.example/"}
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.from_dict(mapping)
        assert caught.value.kind == "course"

    def test_too_deep(self) -> None:
        """A mapping nested beyond reason is refused, not a RecursionError."""
        deep: dict[str, Any] = {}
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["deep"] = deep
        for _ in range(200):
            deep["d"] = {}
            deep = deep["d"]
        with pytest.raises(newsrecord.ValidationError, match="deeper than 100"):
            newsrecord.from_dict(mapping)


class TestChecksOfPythonValues:
    def test_wrong_shapes(self) -> None:
        """Records, lists and extras of the wrong shape are reported by key path."""
        article = newsrecord.loads(SIMPLE)
        with unchecked():
            broken = evolve(
                article,
                provider="x",
                related=(evolve(article.related[0], extra=["not", "a", "mapping"]),),
            )
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.to_dict(broken)
        assert [(e.key_path, e.message) for e in caught.value.errors] == [
            ("related[0]", "`extra` must be a mapping, not list"),
            ("provider", "expected a mapping, got 'x' (a string)"),
        ]

    def test_unknown_values_that_cannot_be_written(self) -> None:
        """Unknown keys' values are checked all the way down."""
        deep: list[Any] = []
        inner = deep
        for _ in range(120):
            inner.append([])
            inner = inner[0]
        with unchecked():
            article = evolve(
                newsrecord.loads(SIMPLE),
                extra={
                    "list": [1, object()],
                    "map": {"k": {2: "v"}},
                    "text": "\udc80",
                    "huge": 10**5000,
                    "deep": deep,
                },
            )
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(article)
        assert [(e.key_path, e.message) for e in caught.value.errors] == [
            ("list[1]", "cannot be written as YAML: a value of type object"),
            ("map.k", "keys must be text, not int (2)"),
            ("text", "holds a lone surrogate, which UTF-8 cannot encode"),
            ("huge", "an integer with too many digits to write"),
            ("deep" + "[0]" * 101, "nests deeper than 100 levels"),
        ]

    def test_from_dict_refuses_unknown_values_that_cannot_be_written(self) -> None:
        """`from_dict` checks unknown keys' values as the constructor does."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["set"] = {1, 2}
        mapping["provider"] = {**mapping["provider"], "deep": {"list": [1, 1j]}}
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping)
        assert sorted((e.key_path, e.message) for e in caught.value.errors) == [
            (
                "provider.deep.list[1]",
                "cannot be written as YAML: a value of type complex",
            ),
            ("set", "cannot be written as YAML: a value of type set"),
        ]

    def test_token_that_cannot_be_text(self) -> None:
        """A token built from the wrong types is reported, not a TypeError."""
        token = newsrecord.SecuredToken("not bytes", "either")  # type: ignore[arg-type]
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.to_dict(evolve(newsrecord.loads(SIMPLE), secured=token))
        assert caught.value.errors[0].key_path == "secured"

    def test_keys_inside_lists_and_deep_lists(self) -> None:
        """from_dict reports bad keys inside list items and lists nested too deep."""
        mapping = newsrecord.to_dict(newsrecord.loads(SIMPLE))
        mapping["related"][0][5] = "x"
        deep: list[Any] = []
        inner = deep
        for _ in range(120):
            inner.append([])
            inner = inner[0]
        mapping["deep"] = deep
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping)
        assert [e.key_path for e in caught.value.errors] == [
            "related[0]",
            "deep" + "[0]" * 100,
        ]

    def test_timestamp_text_python_cannot_read(self) -> None:
        """A file's timestamp text Python's ISO reader refuses is given normalized."""
        text = SIMPLE.replace("2023-05-04T09:15:00Z", "2023-5-4T09:15:00Z")
        mapping = newsrecord.to_dict(newsrecord.loads(text))
        assert mapping["publishedDateTime"] == "2023-05-04T09:15:00Z"
