"""The model: frozen, slotted attrs records, the key naming rule, the token."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import pickle
import re
from types import MappingProxyType
from typing import Any

import attrs
import pytest

import newsrecord
from newsrecord import (
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    RelatedArticle,
    SecuredToken,
)
from newsrecord import _tree as tree
from newsrecord._model import ReadOnlyMapping, file_key, source_of
from newsrecord._spec import LINK_KEYS
from newsrecord._tree import Document
from records import CIPHERTEXT, IV, TOKEN, as_data, record

MODELS = (Article, RelatedArticle, Provider, Image, Author, Publisher)


def b64(size: int) -> str:
    """Canonical base64 of ``size`` bytes."""
    return base64.b64encode(bytes(i % 251 for i in range(size))).decode("ascii")


def article(**changes: Any) -> Article:
    """A valid Article built in code, with ``changes``."""
    values: dict[str, Any] = {
        "category": "news",
        "title": "T",
        "excerpt": "",
        "published_date_time": dt.datetime(2024, 2, 5, tzinfo=dt.UTC),
        "type": "article",
        "provider": Provider(name="P", domain="p.example.com"),
        "source_url": "https://p.example.com/a",
    }
    values.update(changes)
    return Article(**values)


_PARTS = "must be two base64 parts joined by ';' (found {} part(s) in {} characters)"
_NOT_BASE64 = "the {} ({} characters) is not standard base64"
_NOT_CANONICAL = "the {} ({} characters) is not canonically padded base64"
_BLOCKS = "the ciphertext must be a non-empty multiple of 16 bytes, not {}"


class TestSecuredToken:
    def test_parse_gives_the_bytes(self) -> None:
        """Both halves are decoded: the ciphertext and the 16-byte IV."""
        token = SecuredToken.parse(TOKEN)
        assert (token.ciphertext, token.iv) == (CIPHERTEXT, IV)

    @pytest.mark.parametrize("size", [16, 224, 400, 1024])
    def test_str_is_the_exact_text(self, size: int) -> None:
        """`str(token)` gives back exactly the text it was parsed from."""
        text = f"{b64(size)};{b64(16)}"
        assert str(SecuredToken.parse(text)) == text

    def test_repr_shows_lengths_only(self) -> None:
        """The repr names the lengths of the halves, nothing of their value."""
        token = SecuredToken.parse(TOKEN)
        assert repr(token) == (
            "SecuredToken(<224 bytes of ciphertext>, <16 bytes of IV>)"
        )

    def test_is_a_frozen_hashable_value(self) -> None:
        """Tokens compare and hash by their bytes, and cannot be changed."""
        token = SecuredToken.parse(TOKEN)
        assert token == SecuredToken(CIPHERTEXT, IV)
        assert hash(token) == hash(SecuredToken(CIPHERTEXT, IV))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            token.iv = b""  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", _PARTS.format(1, 0)),
            (b64(224), _PARTS.format(1, 300)),
            (f"{b64(32)};{b64(16)};", _PARTS.format(3, 70)),
            (f"{b64(32)[:-1]}!;{b64(16)}", _NOT_BASE64.format("ciphertext", 44)),
            (f"{b64(32)};{b64(16)[:-2]}", _NOT_BASE64.format("IV", 22)),
            (f"{b64(32)};{b64(16)[:-3]}B==", _NOT_CANONICAL.format("IV", 24)),
            (
                f"{b64(32)[:20]} {b64(32)[20:]};{b64(16)}",
                _NOT_BASE64.format("ciphertext", 45),
            ),
            (f"{b64(32)[:-1]}é;{b64(16)}", _NOT_BASE64.format("ciphertext", 44)),
            (f"{b64(16)}\n;{b64(16)}", _NOT_BASE64.format("ciphertext", 25)),
            (f"{b64(32)};{b64(15)}", "the IV must be 16 bytes, not 15"),
            (f"{b64(32)};{b64(17)}", "the IV must be 16 bytes, not 17"),
            (f";{b64(16)}", _BLOCKS.format(0)),
            (f"{b64(33)};{b64(16)}", _BLOCKS.format(33)),
        ],
    )
    def test_parse_refuses_with_lengths_only(self, text: str, message: str) -> None:
        """A malformed token is refused with a message that shows lengths only."""
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$") as caught:
            SecuredToken.parse(text)
        for half in text.split(";"):
            assert len(half) < 4 or half[:4] not in str(caught.value)

    @pytest.mark.parametrize("value", [None, 5, b"x;y"])
    def test_parse_takes_text(self, value: Any) -> None:
        """Anything but text is our TypeError, naming what was given."""
        message = f"SecuredToken.parse() takes text, not {type(value).__name__}"
        with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
            SecuredToken.parse(value)


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda match: "_" + match[1].lower(), key)


class TestFileKey:
    @pytest.mark.parametrize(
        ("attribute", "key"),
        [
            ("published_date_time", "publishedDateTime"),
            ("cdn_amp_url", "cdnAmpUrl"),
            ("cdn_amp_web_url", "cdnAmpWebUrl"),
            ("is_cached", "isCached"),
            ("featured_content", "featuredContent"),
            ("type", "type"),
        ],
    )
    def test_rule(self, attribute: str, key: str) -> None:
        """An attribute is the snake_case of its key, and `file_key` undoes it."""
        assert file_key(attribute) == key
        assert _snake(key) == attribute

    @pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
    def test_every_attribute_follows_the_rule(self, model: type) -> None:
        """No attribute of any record breaks the rule (no exceptions to it)."""
        for field in attrs.fields(model):
            if field.name not in {"extra", "body"}:
                assert _snake(file_key(field.name)) == field.name
                assert re.fullmatch("[a-z]+(_[a-z]+)*", field.name)

    def test_link_keys_are_attributes(self) -> None:
        """Every link key of the format is a typed field of Article and of related."""
        for model in (Article, RelatedArticle):
            names = {field.name for field in attrs.fields(model)}
            assert {_snake(key) for key in LINK_KEYS} <= names


class TestArticle:
    @pytest.mark.parametrize(
        "attribute",
        [
            "web_url",
            "source_url",
            "original_url",
            "amp_web_url",
            "amp_url",
            "cdn_amp_web_url",
            "cdn_amp_url",
        ],
    )
    def test_url_prefers_the_web_page_then_the_source_then_amp(
        self, attribute: str
    ) -> None:
        """`url` is the first link present in the documented order of preference."""
        order = [
            "web_url",
            "source_url",
            "original_url",
            "amp_web_url",
            "amp_url",
            "cdn_amp_web_url",
            "cdn_amp_url",
        ]
        present = order[order.index(attribute) :]
        links: dict[str, str | None] = {"source_url": None}
        links.update({name: f"https://example.com/{name}" for name in present})
        assert article(**links).url == f"https://example.com/{attribute}"

    def test_without_links_is_refused(self) -> None:
        """An Article cannot be built without any link."""
        with pytest.raises(newsrecord.ValidationError, match="needs a link"):
            article(source_url=None)

    def test_absent_keys_are_none_or_empty(self) -> None:
        """A key the record lacks is None, or an empty tuple for lists."""
        built = article()
        assert built.web_url is None
        assert (built.quality, built.heat, built.published) == (None, None, None)
        assert (built.featured_content, built.secured) == (None, None)
        assert (built.topics, built.images, built.related) == ((), (), ())
        assert (built.provider.images, built.provider.authors) == ((), ())
        assert built.body == ""
        assert dict(built.extra) == {}

    def test_records_are_frozen_and_slotted(self) -> None:
        """No record can be changed or given new attributes."""
        built = article()
        for model in MODELS:
            assert "__slots__" in vars(model)
        assert not hasattr(built, "__dict__")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            built.title = "other"  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            built.provider.name = "other"  # type: ignore[misc]

    def test_records_are_hashable_values(self) -> None:
        """Equal records are equal and hash alike; loaded or built makes no odds."""
        loaded = newsrecord.loads(record())
        again = newsrecord.loads(record().replace("type: article", 'type: "article"'))
        assert loaded == again
        assert hash(loaded) == hash(again)
        assert loaded != newsrecord.loads(record({"heat": "heat: 8"}))
        assert len({loaded, again}) == 1

    def test_extra_is_read_only(self) -> None:
        """`extra`, and every mapping and list inside it, cannot be changed."""
        loaded = newsrecord.loads(record(add="note: {tags: [a, b]}\n"))
        with pytest.raises(TypeError):
            loaded.extra["note"] = 1  # type: ignore[index]
        note = loaded.extra["note"]
        with pytest.raises(TypeError):
            note["tags"] = ()
        assert note["tags"] == ("a", "b")
        assert not hasattr(loaded.extra, "__setitem__")
        assert not hasattr(note, "pop")

    # Protocols 0 and 1 cannot pickle slotted classes without __getstate__; every
    # protocol since 2 (the default is 4 or 5) can.
    @pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
    def test_records_pickle(self, protocol: int) -> None:
        """A record, unknown keys and all, survives pickle, as multiprocessing needs."""
        loaded = newsrecord.loads(
            record(add="note: {tags: [a, b], when: 2024-01-01}\nimages: []\n")
        )
        copied = pickle.loads(pickle.dumps(loaded, protocol))  # noqa: S301 (our own)
        assert copied == loaded
        assert as_data(copied) == as_data(loaded)
        assert copied.extra["note"]["tags"] == ("a", "b")

    def test_records_deep_copy(self) -> None:
        """`copy.deepcopy` of a record gives an equal record."""
        loaded = newsrecord.loads(record(add="note: {tags: [a, b]}\n"))
        assert copy.deepcopy(loaded) == loaded
        assert copy.deepcopy(loaded).extra == {"note": {"tags": ("a", "b")}}

    def test_extra_takes_part_in_equality(self) -> None:
        """Two records differing only in an unknown key are not equal."""
        assert newsrecord.loads(record(add="x: 1\n")) != newsrecord.loads(
            record(add="x: 2\n")
        )

    def test_public_classes_are_exported(self) -> None:
        """Every record class is importable from `newsrecord`."""
        for model in (*MODELS, SecuredToken):
            assert getattr(newsrecord, model.__name__) is model


def _values(value: object) -> list[object]:
    """Every value a record holds, nested records, lists and mappings walked."""
    found = [value]
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            found.extend(_values(getattr(value, field.name)))
    elif isinstance(value, tuple):
        for item in value:
            found.extend(_values(item))
    elif isinstance(value, ReadOnlyMapping):
        for item in value.values():
            found.extend(_values(item))
    return found


LIGHT_TEXTS = [
    pytest.param(record(), id="plain"),
    pytest.param(record(add="note: {tags: [a, b]}\n"), id="unknown-keys"),
    pytest.param("\ufeff" + record().replace("\n", "\r\n"), id="bom-crlf"),
    pytest.param(record().replace("heat: 7", "heat: 7  # c"), id="comment"),
]


class TestLightRecords:
    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_no_tree_is_kept(self, text: str) -> None:
        """A loaded record holds its file's text and no position tree."""
        loaded = newsrecord.loads(text)
        assert source_of(loaded) == text.encode()
        for value in _values(loaded):
            assert not isinstance(value, (Document, tree.MapNode, tree.ListNode))

    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_asdict_and_astuple_hold_no_private_state(self, text: str) -> None:
        """`attrs.asdict` has the public attributes only, and neither shows the text."""
        loaded = newsrecord.loads(text)
        names = {field.name for field in attrs.fields(Article)}
        assert set(attrs.asdict(loaded)) == names
        assert not any(name.startswith("_") for name in names)
        assert text not in repr(attrs.asdict(loaded))
        assert text not in repr(attrs.astuple(loaded))

    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_pickled_record_writes_back_exactly(self, text: str) -> None:
        """An unpickled record still gives its file's text back byte for byte."""
        loaded = newsrecord.loads(text)
        copied = pickle.loads(pickle.dumps(loaded))  # noqa: S301 (our own)
        assert copied == loaded
        assert newsrecord.dumps(copied) == text

    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_unchanged_record_pickles_as_its_file(self, text: str) -> None:
        """A record holding the values read pickles to about its file's size."""
        loaded = newsrecord.loads(text)
        size = len(text.encode())
        assert len(pickle.dumps(loaded)) < size + 200
        changed = attrs.evolve(loaded, heat=1)
        copied = pickle.loads(pickle.dumps(changed))  # noqa: S301 (our own)
        assert copied == changed
        assert newsrecord.dumps(copied) == newsrecord.dumps(changed)

    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_evolve_keeps_the_text(self, text: str) -> None:
        """A record changed with `attrs.evolve` keeps its file's text to edit."""
        loaded = newsrecord.loads(text)
        changed = attrs.evolve(loaded, quality=49)
        assert source_of(changed) == text.encode()
        written = newsrecord.dumps(changed)
        assert written == text.replace("quality: 48", "quality: 49")

    @pytest.mark.parametrize("text", LIGHT_TEXTS)
    def test_equal_new_values_write_back_exactly(self, text: str) -> None:
        """Values equal to those read, but new objects, still write back exactly."""
        loaded = newsrecord.loads(text)
        again = attrs.evolve(
            loaded,
            title="".join(list(loaded.title)),
            provider=attrs.evolve(loaded.provider),
            topics=(*loaded.topics,),
        )
        assert again.title is not loaded.title
        assert newsrecord.dumps(again) == text

    def test_a_new_extra_is_written_afresh(self) -> None:
        """A record given another `extra` mapping holds no text: written afresh."""
        loaded = newsrecord.loads(record().replace("heat: 7", "heat: 7  # c"))
        changed = attrs.evolve(loaded, extra={"note": "x"})
        assert source_of(changed) is None
        assert "# c" not in newsrecord.dumps(changed)

    @pytest.mark.parametrize("given", [dict, MappingProxyType])
    @pytest.mark.parametrize(
        "make",
        [
            lambda loaded: loaded,
            lambda loaded: loaded.provider,
            lambda _: Image("/a.png", 1, 1),
            lambda _: Author("A. Writer"),
            lambda _: Publisher("Example Press", "press.example.com"),
        ],
        ids=["article", "provider", "image", "author", "publisher"],
    )
    def test_a_given_extra_is_held_read_only(self, make: Any, given: type[Any]) -> None:
        """A given `extra` is held as a read-only copy, as a loaded one: it pickles."""
        loaded = newsrecord.loads(record(add="note: 1\n"))
        instance = make(loaded)
        mine = {"note": given({"tags": ["a", "b"], "more": given({"x": 1})})}
        made = attrs.evolve(instance, extra=given(mine))
        assert isinstance(made.extra, ReadOnlyMapping)
        assert made.extra == {"note": {"tags": ("a", "b"), "more": {"x": 1}}}
        mine["note"] = "changed"
        assert made.extra["note"]["tags"] == ("a", "b")
        with pytest.raises(TypeError):
            made.extra["note"]["more"]["x"] = 2
        assert pickle.loads(pickle.dumps(made)) == made  # noqa: S301 (our own)
        # The read-only `extra` a record has is kept as it is (a loaded one's
        # holds the text it is written back from).
        assert attrs.evolve(instance).extra is instance.extra


BAD_VALUES = [
    pytest.param({"heat": "hot"}, [("heat", "type")], id="text-for-int"),
    pytest.param({"source_url": "not a url"}, [("sourceUrl", "url")], id="url"),
    pytest.param({"title": None}, [("title", "missing")], id="required-none"),
    pytest.param({"quality": 2**40}, [("quality", "range")], id="int32"),
    pytest.param({"published": 1}, [("published", "type")], id="int-for-bool"),
    pytest.param(
        {"published_date_time": dt.datetime(2020, 1, 1)},  # noqa: DTZ001 (the point)
        [("publishedDateTime", "timezone")],
        id="naive-time",
    ),
    pytest.param({"topics": ("a", 3)}, [("topics[1]", "type")], id="list-item"),
    pytest.param({"type": "blog"}, [("type", "value")], id="literal"),
    # No items stand for "absent" in a list only; None in a scalar field only.
    pytest.param({"heat": ()}, [("heat", "type")], id="empty-tuple-for-int"),
    pytest.param({"secured": ()}, [("secured", "type")], id="empty-tuple-for-token"),
    pytest.param({"provider": ()}, [("provider", "type")], id="empty-tuple-for-map"),
    pytest.param({"topics": None}, [("topics", "type")], id="none-for-list"),
    pytest.param({"related": None}, [("related", "type")], id="none-for-records"),
    pytest.param(
        {"heat": "hot", "title": 5, "topics": "AI"},
        [("title", "type"), ("heat", "type"), ("topics", "type")],
        id="several",
    ),
]


class TestValidatedConstruction:
    @pytest.mark.parametrize("base", [newsrecord.Article, Provider, Image])
    def test_a_subclass_is_refused_by_name(self, base: type[Any]) -> None:
        """A record of a subclass is a `TypeError` naming both classes.

        Its fields would be read, checked and written by a table it has none
        of: refused when it is made, not later inside a lookup.
        """
        loaded = newsrecord.loads(record())
        example: Any = {
            newsrecord.Article: loaded,
            Provider: loaded.provider,
            Image: Image("/a.png", 1, 1),
        }[base]
        values = {
            field.alias: getattr(example, field.name)
            for field in attrs.fields(base)
            if field.init
        }
        attrs.evolve(example, **values)  # the values are valid as they are
        subclass = attrs.frozen(type("Mine", (base,), {}))
        message = rf"^Mine subclasses newsrecord\.{base.__name__}, which cannot be"
        with pytest.raises(TypeError, match=message):
            subclass(**values)

    @pytest.mark.parametrize(("changes", "expected"), BAD_VALUES)
    def test_evolve_checks_every_field(
        self, changes: dict[str, Any], expected: list[tuple[str, str]]
    ) -> None:
        """`attrs.evolve` refuses wrong values, listing each by its key path."""
        loaded = newsrecord.loads(record())
        with pytest.raises(newsrecord.ValidationError) as caught:
            attrs.evolve(loaded, **changes)
        assert [(e.key_path, e.code) for e in caught.value.errors] == expected

    @pytest.mark.parametrize(("changes", "expected"), BAD_VALUES)
    def test_constructor_checks_every_field(
        self, changes: dict[str, Any], expected: list[tuple[str, str]]
    ) -> None:
        """`Article(...)` refuses what `attrs.evolve` refuses, by the same rules."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            article(**changes)
        assert [(e.key_path, e.code) for e in caught.value.errors] == expected

    @pytest.mark.parametrize(
        ("model", "values", "expected"),
        [
            (Image, ("x", 1, 1), [("url", "url")]),
            (Image, ("/a.png", -1, 1), [("width", "range")]),
            (Provider, ("N", 5), [("domain", "type")]),
            (Author, (None,), [("name", "missing")]),
            (Publisher, ("N", 3), [("domain", "type")]),
        ],
    )
    def test_nested_models_check_their_fields(
        self, model: type[Any], values: tuple[Any, ...], expected: list[Any]
    ) -> None:
        """Each nested model checks its own fields when it is made."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            model(*values)
        assert [(e.key_path, e.code) for e in caught.value.errors] == expected

    def test_a_list_given_is_held_as_a_tuple(self) -> None:
        """Lists given for lists are held as the tuples a loaded record holds.

        The annotations say tuples; code that is not type-checked may give lists.
        """
        loaded = newsrecord.loads(record())
        image = Image("/a.png", 1, 1)
        images: Any = [image]
        provider = Provider(loaded.provider.name, loaded.provider.domain, images)
        assert provider.images == (image,)
        lists: dict[str, Any] = {"topics": ["a", "b"], "related": list(loaded.related)}
        edited = attrs.evolve(loaded, provider=provider, **lists)
        assert type(edited.topics) is tuple
        assert edited.topics == ("a", "b")
        assert type(edited.related) is tuple
        assert edited.related == loaded.related
        hash(edited)  # a record holding lists would not hash
        assert newsrecord.loads(newsrecord.dumps(edited)) == edited

    def test_text_given_for_a_time_or_token_is_held_as_read(self) -> None:
        """A timestamp or token given as text is held as a loaded record holds it."""
        loaded = newsrecord.loads(record())
        assert loaded.secured is not None
        texts: dict[str, Any] = {
            "published_date_time": "2024-03-18T09:30:00+02:00",
            "secured": str(loaded.secured),
        }
        edited = attrs.evolve(loaded, **texts)
        zone = dt.timezone(dt.timedelta(hours=2))
        moment = dt.datetime(2024, 3, 18, 9, 30, tzinfo=zone)
        assert type(edited.published_date_time) is dt.datetime
        assert edited.published_date_time == moment
        assert edited.secured == loaded.secured
        assert edited == attrs.evolve(loaded, published_date_time=moment)

    def test_loading_checks_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Loading (valid or not) never runs the constructors' checks again."""

        def refuse(record: object) -> None:
            raise AssertionError(type(record).__name__)

        monkeypatch.setattr("newsrecord._mapping.check", refuse)
        assert newsrecord.loads(record()).heat == 7
        with pytest.raises(newsrecord.ValidationError):
            newsrecord.loads(record({"heat": "heat: hot", "quality": "quality: x"}))
