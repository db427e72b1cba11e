"""Every kind of record: told from its front matter, checked, and written back.

The fixtures under ``tests/data/kinds/<kind>/`` are the project's own records of
each kind, in the styles of the eras real files are written in; the folder a
fixture sits in names its kind (the ground truth the library is checked
against: it never looks at a file's name or folder).
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from newsrecord._folder import load_files
from newsrecord._hooks import choices
from newsrecord._kinds import Unknown, evidence, kind_name, kind_of
from newsrecord._model import without_source
from newsrecord._read import read
from newsrecord._schema import json_schema
from newsrecord._spec import TABLES, Field, Rule, Table
from strategies import records_of
from test_schema import YAML11Loader, front_matter

KINDS_DATA = Path(__file__).resolve().parent / "data" / "kinds"
#: The kind each folder of fixtures holds.
FOLDERS = {
    "answer": "answer",
    "article": "reading",
    "book": "book",
    "challenge": "challenge",
    "collection": "collection",
    "conference": "conference",
    "course": "course",
    "download": "download",
    "form": "form",
    "forum": "forum",
    "function": "function",
    "news": "news",
    "organization": "organization",
    "profile": "profile",
    "sponsorship": "sponsorship",
    "stats": "stats",
    "video": "video",
}


def _fixtures(*, valid: bool) -> list[Path]:
    return sorted(
        path
        for path in KINDS_DATA.glob("*/*.md")
        if path.name.startswith("invalid-") != valid
    )


VALID = _fixtures(valid=True)
INVALID = _fixtures(valid=False)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _kind(path: Path) -> str:
    return FOLDERS[path.parent.name]


class TestValid:
    def test_every_kind_has_fixtures(self) -> None:
        """Each kind has valid fixtures of its own, and invalid ones."""
        assert {_kind(path) for path in VALID} == set(newsrecord.KINDS)
        assert {_kind(path) for path in INVALID} == set(newsrecord.KINDS)

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_loads_as_its_kind_strictly(self, path: Path) -> None:
        """Each valid fixture is a record of its folder's kind, with no unknown key."""
        record = newsrecord.load_record(path, strict=True)
        assert kind_name(record) == _kind(path)
        assert type(record) is newsrecord.KINDS[_kind(path)]

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_writes_back_byte_for_byte(self, path: Path) -> None:
        """Loaded and written back, each fixture is the same bytes; pickled too."""
        data = path.read_bytes()
        record = newsrecord.load_record(path)
        assert newsrecord.dumps(record).encode("utf-8") == data
        again = pickle.loads(pickle.dumps(record))  # noqa: S301 (our own bytes)
        assert again == record
        assert newsrecord.dumps(again).encode("utf-8") == data

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_written_afresh_reads_back(self, path: Path) -> None:
        """Written in its kind's style from scratch, a record reads back the same."""
        record = newsrecord.load_record(path)
        text = newsrecord.dumps(without_source(record))
        again = newsrecord.loads_record(text)
        assert type(again) is type(record)
        assert newsrecord.to_dict(again) == newsrecord.to_dict(record)
        assert again.body == record.body

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_mapping_round_trip(self, path: Path) -> None:
        """`from_dict` of `to_dict` makes the record again, told or named its kind."""
        record = newsrecord.load_record(path)
        mapping = newsrecord.to_dict(record)
        told = newsrecord.from_dict(mapping, body=record.body, kind=None)
        named = newsrecord.from_dict(mapping, body=record.body, kind=type(record))
        assert told == named == record

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_an_edit_rewrites_its_line_only(self, path: Path) -> None:
        """Adding to a list of text adds its line; no other line of the file changes.

        The list is the kind's first: topics, an organization's other names, or
        a sponsorship's days.
        """
        record = newsrecord.load_record(path)
        name = next(
            field.attribute
            for field in TABLES[type(record)].fields
            if field.rule is Rule.TEXTS
        )
        items = (*getattr(record, name), "Tide tables")
        edited = attrs.evolve(record, **{name: items})  # type: ignore[misc]
        before = path.read_bytes().decode("utf-8").splitlines()
        written = newsrecord.dumps(edited)
        after = written.splitlines()
        added = [line for line in after if line not in before]
        # The item is written as the list's others are: plain, or quoted (days).
        assert added[-1] in {"  - Tide tables", '  - "Tide tables"'}
        assert [line for line in before if line not in after] == []
        assert newsrecord.loads_record(written) == edited

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_the_kinds_schema_takes_it(self, path: Path) -> None:
        """Its kind's JSON Schema, and the schema of any kind, take its front matter."""
        data = front_matter(path, YAML11Loader)
        for kind in (_kind(path), None):
            jsonschema.validate(data, json_schema(kind=kind))

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_load_refuses_other_kinds(self, path: Path) -> None:
        """`load` reads news only; any other kind is a KindError naming it."""
        if _kind(path) == "news":
            assert isinstance(newsrecord.load(path), newsrecord.Article)
            return
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.load(path)
        assert caught.value.kind == _kind(path)
        assert "load_record" in str(caught.value)

    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_a_filter_by_kind_takes_it_for_its_kind_only(self, path: Path) -> None:
        """Filtered by kind (``validate --kind``), it is its own kind and no other.

        A kind told by keys alone (an untyped challenge's are a form's too) is
        the kind the filter finds, as ``validate`` counts it without one.
        """
        for name, model in newsrecord.KINDS.items():
            (result,) = load_files(
                [str(path)], strict=False, limits=newsrecord.Limits(), model=model
            )
            if name == _kind(path):
                assert isinstance(result.record, model)
            else:
                assert isinstance(result.error, newsrecord.KindError), name
                assert result.error.kind == _kind(path)


class TestInvalid:
    @pytest.mark.parametrize("path", INVALID, ids=_id)
    def test_fails_with_an_error_of_ours(self, path: Path) -> None:
        """Each invalid fixture fails with an error of newsrecord's, placed."""
        with pytest.raises(newsrecord.NewsRecordError) as caught:
            newsrecord.load_record(path)
        error = caught.value
        assert error.path == str(path)
        assert error.line is not None
        if isinstance(error, newsrecord.KindError):
            assert error.kind is None  # no kind: the closest ones are named
            assert error.close
        else:
            assert isinstance(error, newsrecord.ValidationError)
            assert error.kind == _kind(path)


#: Deciding values that are no text: YAML's flow and block lists and mappings.
NOT_TEXT = {
    "flow list": "[news]",
    "block list": "\n  - news",
    "flow mapping": "{news: 1}",
    "block mapping": "\n  news: 1",
    "empty list": "[]",
}


class TestDecidingValuesThatAreNotText:
    """A ``category``, ``type`` or ``taxonomy`` holding a list or a mapping."""

    @pytest.mark.parametrize("form", NOT_TEXT.values(), ids=NOT_TEXT)
    @pytest.mark.parametrize("key", ["category", "type", "taxonomy"])
    @pytest.mark.parametrize("other", ["", "type: download\n", "taxonomy: x\n"])
    def test_no_kind_is_told_by_it(self, key: str, form: str, other: str) -> None:
        """It is a KindError naming the key, alone or beside another deciding key."""
        if other.startswith(key):
            other = ""
        text = f"---\n{other}{key}: {form}\ntitle: A title\n---\n"
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.loads_record(text)
        assert caught.value.kind is None
        assert f"`{key}: " in str(caught.value)

    @pytest.mark.parametrize("form", NOT_TEXT.values(), ids=NOT_TEXT)
    def test_beside_category_news_it_is_a_wrong_type(self, form: str) -> None:
        """``category: news`` says news: the ``type`` is that record's error."""
        text = f"---\ncategory: news\ntype: {form}\ntitle: A title\n---\n"
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads_record(text)
        assert caught.value.kind == "news"
        assert [error for error in caught.value.errors if error.key_path == "type"]

    @pytest.mark.parametrize("value", [["news"], {"news": 1}, []])
    @pytest.mark.parametrize("key", ["category", "type", "taxonomy"])
    def test_nor_in_a_mapping(self, key: str, value: object) -> None:
        """`from_dict` with no kind asked for says the same."""
        mapping = {"type": "download", key: value, "title": "A title"}
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.from_dict(mapping, kind=None)
        assert caught.value.kind is None


class TestTheTables:
    def test_every_kind_has_a_table(self) -> None:
        """Every class of `KINDS` has a field table naming it by its kind."""
        for name, model in newsrecord.KINDS.items():
            assert TABLES[model].kind == name

    @pytest.mark.parametrize("name", sorted(newsrecord.KINDS))
    def test_built_in_python_and_written(self, name: str) -> None:
        """A record built in Python with its required keys writes and reads back."""
        model = newsrecord.KINDS[name]
        table = TABLES[model]
        values: dict[str, object] = {}
        for field in table.fields:
            if field.required:
                values[field.attribute] = _a_value(field)
        values.update(_TELLING.get(name, {}))
        record = model(**values)
        text = newsrecord.dumps(record)
        assert newsrecord.loads_record(text) == record

    def test_a_shared_deciding_value_does_not_decide(self) -> None:
        """`type: article` is a reading's, a form's, ...: the keys told it a reading.

        So it may be read as a form when a form is asked for, and a message says
        it was told by its keys.
        """
        mapping = {"title": "Tide tables", "type": "article", "price": "Free"}
        assert type(newsrecord.from_dict(mapping, kind=None)) is newsrecord.Reading
        form = newsrecord.from_dict(mapping, kind=newsrecord.Form)
        assert type(form) is newsrecord.Form
        assert dict(form.extra) == {"price": "Free"}
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.from_dict(mapping)
        assert "(from `type: article` and its keys)" in str(caught.value)

    def test_a_record_told_by_keys_reads_back_as_asked(self) -> None:
        """A challenge with a title alone is written; read as a challenge, it is one.

        Its front matter is as much a form's: with no kind asked for, the record
        with fewest keys of its own that explains it is read, a form.
        """
        text = newsrecord.dumps(newsrecord.Challenge(title="Two sum"))
        assert type(newsrecord.loads_record(text)) is newsrecord.Form
        mapping = newsrecord.to_dict(newsrecord.loads_record(text))
        again = newsrecord.from_dict(mapping, kind=newsrecord.Challenge)
        assert again == newsrecord.Challenge(title="Two sum")

    def test_a_record_told_another_kind_must_be_valid_as_that_kind(self) -> None:
        """What `load_record` would read as another kind, and refuse, is not written.

        A form given a challenge's keys (its unknown keys) reads back as a
        challenge; with a ``heat`` no challenge takes, it would not load at all.
        """
        form = newsrecord.from_dict(
            {"title": "Two sum", "type": "article", "levels": ["Beginner"], "heat": []},
            kind=newsrecord.Form,
        )
        assert set(form.extra) == {"levels", "heat"}
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(form)
        assert str(caught.value) == (
            "<string>: written, load_record() would read the record as a challenge "
            "by its keys, and refuse it: <string>:8:7: heat: expected an integer, "
            "got a list; give it more of the keys of its kind"
        )
        assert isinstance(form.extra, newsrecord.ReadOnlyMapping)
        valid = attrs.evolve(form, extra=form.extra.without("heat"))
        written = newsrecord.dumps(valid)
        assert type(newsrecord.loads_record(written)) is newsrecord.Challenge


#: What a record built in Python needs beyond its required keys to be valid and
#: told as its kind when read back: news needs a link, a collection a title or a
#: name; readings and challenges share ``type: article`` with forms, and are
#: told by keys a form does not have.
_TELLING: dict[str, dict[str, object]] = {
    "news": {"web_url": "https://example.org/a"},
    "collection": {"name": "Tide tables"},
    "reading": {"price": "Free"},
    "challenge": {"levels": ("Beginner",)},
}


def _a_value(field: Field) -> object:
    """A valid value for a required field of a record built in Python."""
    rule = field.rule
    if rule is Rule.CHOICE:
        return choices(field.type)[0]
    if rule is Rule.TIMESTAMP:
        return dt.datetime(2024, 3, 18, 7, 30, tzinfo=dt.UTC)
    if rule is Rule.RECORD:  # the part with its required keys
        assert field.model is not None
        required = (part for part in TABLES[field.model].fields if part.required)
        return field.model(**{part.attribute: _a_value(part) for part in required})
    return "Tide tables"


def _of_no_kind(record: newsrecord.Record) -> bool:
    """Whether the front matter of ``record`` is of no kind, as its keys stand."""
    return isinstance(kind_of(newsrecord.to_dict(record)), Unknown)


class TestGenerated:
    @given(data=st.data(), name=st.sampled_from(sorted(newsrecord.KINDS)))
    def test_written_and_read_back(self, data: st.DataObject, name: str) -> None:
        """A generated record of any kind is written, and reads back with its values.

        Its kind comes back too, unless it was told by its keys alone, the
        generated keys fitting another kind as well: then the values all do.
        """
        record = data.draw(records_of(newsrecord.KINDS[name]))
        if _of_no_kind(record):
            # Too few keys to tell its kind: it is not written. Only kinds whose
            # required keys do not tell them can be left so: no `type` required,
            # or the `type: article` of a reading or a function, which forms share.
            kinds = {"challenge", "form", "forum", "function", "reading", "sponsorship"}
            assert name in kinds
            with pytest.raises(newsrecord.ValidationError, match="of no kind"):
                newsrecord.dumps(record)
            return
        text = newsrecord.dumps(record)
        again = newsrecord.loads_record(text)
        mapping = newsrecord.to_dict(record)
        assert newsrecord.to_dict(again) == mapping
        assert again.body == record.body
        if type(again) is not type(record):
            root = read(text, None).root
            found = kind_of(root)
            assert isinstance(found, Table)
            assert not evidence(found, root)[1]  # told by its keys alone
            named = newsrecord.from_dict(mapping, body=record.body, kind=type(record))
            assert newsrecord.to_dict(named) == mapping


class TestStrict:
    @pytest.mark.parametrize("path", VALID, ids=_id)
    def test_a_misspelled_key_is_named_with_the_one_meant(self, path: Path) -> None:
        """With strict, a misspelled key of any kind is an error naming the key meant.

        The file's first key is doubled, misspelled, after the opening line.
        """
        text = path.read_bytes().decode("utf-8")
        opening, rest = text.split("\n", 1)
        key = rest.split(":", 1)[0]
        if key in {"category", "taxonomy", "type"}:  # they decide the kind
            key = rest.split("\n", 2)[1].split(":", 1)[0]
        typo = key[:-1] + key[-1].upper() if key[-1].islower() else key + "s"
        edited = f"{opening}\n{typo}: x\n{rest}"
        record = newsrecord.loads_record(edited)
        assert record.extra == {typo: "x"}
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads_record(edited, strict=True)
        (error,) = caught.value.errors
        assert (error.code, error.key_path, error.line) == ("unknown-key", typo, 2)
        assert error.message.endswith(f"did you mean `{key}`?")


class TestNumbers:
    @pytest.mark.parametrize(
        ("written", "value"),
        [
            ("4.5", 4.5),
            ("5", 5),
            ("4.5114007", 4.5114007),
            ("-0.5", -0.5),
            ("1.5e+3", 1.5e3),
        ],
    )
    def test_an_average_is_an_int_or_a_decimal(
        self, written: str, value: float
    ) -> None:
        """A rating's average is kept as the number written, and written back."""
        text = _course(f"  average: {written}\n")
        record = newsrecord.loads_record(text)
        assert record.ratings.average == value  # type: ignore[attr-defined]
        assert type(record.ratings.average) is type(value)  # type: ignore[attr-defined]
        assert newsrecord.dumps(record) == text

    @pytest.mark.parametrize(
        ("written", "code"),
        [
            ('"4.5"', "type"),
            ("high", "type"),
            ("true", "type"),
            (".nan", "value"),
            (".inf", "value"),
            ("4294967296", "range"),
        ],
    )
    def test_anything_else_is_an_error(self, written: str, code: str) -> None:
        """Quoted text, words, booleans, NaN, infinities and huge integers are not."""
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads_record(_course(f"  average: {written}\n"))
        (error,) = caught.value.errors
        assert (error.key_path, error.code, error.line) == ("ratings.average", code, 7)


def _course(ratings: str) -> str:
    return (
        "---\n"
        'title: "Tide tables"\n'
        "webUrl: https://learn.example.org/tides\n"
        "type: course\n"
        "ratings:\n"
        "  count: 12\n"
        f"{ratings}"
        "---\n"
    )
