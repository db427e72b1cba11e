"""The JSON Schema: derived from the model, and in agreement with the loader."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

import newsrecord
from conftest import REFERENCE, corpus_files, other_kind_files
from newsrecord._frontmatter import split
from newsrecord._hooks import ROOT_PATH, URL
from newsrecord._model import (
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    RelatedArticle,
    file_key,
)
from newsrecord._scalars import resolve
from newsrecord._schema import (
    _RULES,
    DIALECT,
    TIMESTAMP_PATTERN,
    TOKEN_PATTERN,
    ecma_pattern,
    json_schema,
)
from newsrecord._spec import LINK_KEYS, TABLES, Rule
from records import record
from strategies import NUMBER_FORMS

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
MODELS = (Article, Author, Image, Provider, Publisher, RelatedArticle)
NOT_IN_FILE = {"body", "extra"}


# --- what an editor sees ---------------------------------------------------------


class YAML11Loader(yaml.SafeLoader):
    """newsrecord's own reading (YAML 1.1), but a timestamp stays the text it is.

    JSON has no timestamps: a schema can only see them as strings.
    """


YAML11Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


class YAML12Loader(yaml.SafeLoader):
    """The YAML 1.2 core schema, as the VS Code YAML extension reads front matter.

    No timestamps, and booleans, nulls, integers and floats by 1.2's narrower
    rules: ``yes`` and ``1_000`` are text, ``017`` is seventeen.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML fills it)


def _int_1_2(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.lstrip("+-").startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        (
            r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        ),
        "-+0123456789.",
    ),
):
    YAML12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )
YAML12Loader.add_constructor("tag:yaml.org,2002:int", _int_1_2)


def front_matter(path: Path, loader: type[yaml.SafeLoader]) -> Any:
    """The front matter of the file at ``path`` as JSON values, read by ``loader``."""
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    start, end, _ = split(text, str(path))
    return yaml.load(text[start:end], Loader=loader)  # noqa: S506 (safe loaders)


def validator(*, strict: bool) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(strict=strict))


# --- the records -----------------------------------------------------------------


@functools.cache
def _outcome(path: Path, *, strict: bool) -> str:
    try:
        newsrecord.load(path, strict=strict)
    except newsrecord.KindError:
        return "other-kind"
    except newsrecord.ValidationError:
        return "invalid"
    except newsrecord.FrontMatterError:
        return "unreadable"
    return "valid"


def _records() -> list[Path]:
    fixtures = sorted(DATA.rglob("*.md")) if DATA.is_dir() else []
    corpus = [REFERENCE] if REFERENCE.is_file() else []
    return [
        ROOT / "examples" / "record.md",
        *fixtures,
        *corpus,
        *corpus_files("news"),
        *other_kind_files(),
    ]


def _cases(outcome: str) -> list[Any]:
    return [
        pytest.param(path, strict, id=f"{path.relative_to(path.parents[1])}-{mode}")
        for path in _records()
        for strict, mode in ((False, "lax"), (True, "strict"))
        if _outcome(path, strict=strict) == outcome
    ]


def _value_at(data: Any, key_path: str) -> Any:
    for step in re.findall(r"[^.\[\]]+|\[\d+\]", key_path):
        data = data[int(step[1:-1])] if step.startswith("[") else data[step]
    return data


def _beyond_a_schema(error: newsrecord.FieldError, data: Any) -> bool:
    """Whether no JSON Schema could see this problem in what an editor shows."""
    if error.code not in {"timestamp", "type"}:
        return False
    value = _value_at(data, error.key_path)
    if error.code == "timestamp":  # a date the pattern takes, but not the calendar
        return (
            isinstance(value, str) and re.search(TIMESTAMP_PATTERN, value) is not None
        )
    if error.code == "type":  # 1.0 is an integer to JSON; "yes" is a 1.2 boolean
        return (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, str) and value in {
            "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"
        })  # fmt: skip
    return False


class TestTheDocument:
    @pytest.mark.parametrize("strict", [False, True])
    def test_is_a_valid_draft_2020_12_schema(self, *, strict: bool) -> None:
        """The schema declares draft 2020-12 and passes that draft's metaschema."""
        schema = json_schema(strict=strict)
        assert schema["$schema"] == DIALECT
        jsonschema.Draft202012Validator.check_schema(schema)

    @pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
    def test_keys_are_the_models_fields(self, model: type[Any]) -> None:
        """A model's properties are its fields' keys in the order records write them.

        Required when the attribute has no default.
        """
        schema = json_schema()
        part = schema if model is Article else schema["$defs"][model.__name__]
        fields = {
            file_key(field.name): field
            for field in attrs.fields(model)
            if field.name not in NOT_IN_FILE
        }
        assert list(part["properties"]) == [field.key for field in TABLES[model].fields]
        assert sorted(part["properties"]) == sorted(fields)
        assert sorted(part["required"]) == sorted(
            key for key, field in fields.items() if field.default is attrs.NOTHING
        )

    def test_a_record_needs_a_link(self) -> None:
        """The root asks for one of the link keys, as the loader does."""
        assert json_schema()["anyOf"] == [{"required": [key]} for key in LINK_KEYS]

    @pytest.mark.parametrize("strict", [False, True])
    def test_unknown_keys_follow_the_mode(self, *, strict: bool) -> None:
        """Every object allows unknown keys, except with strict, where none does."""
        schema = json_schema(strict=strict)
        objects = [schema, *schema["$defs"].values()]
        assert len(objects) == len(MODELS)
        assert {part["additionalProperties"] for part in objects} == {not strict}

    def test_every_rule_has_a_schema(self) -> None:
        """Each rule of the field table has a schema: by itself, or by its shape."""
        shapes = {Rule.RECORD, Rule.RECORDS, Rule.TEXTS, Rule.CHOICE}
        assert set(_RULES) | shapes == set(Rule)
        assert not set(_RULES) & shapes


_URL_TEXT = st.tuples(
    st.sampled_from(["http://", "https://", "ftp://", "http:/", "", "/", "//"]),
    st.text(alphabet="ab.:/?#% \t\n\u00a0\u2028\u3000=", max_size=12),
).map("".join)


class TestPatterns:
    @given(_URL_TEXT)
    @example("https://example.com/a\u00a0b")
    @example("https://example.com\n")
    def test_url_pattern_agrees_with_the_loader(self, text: str) -> None:
        """The URL pattern takes exactly the text the loader takes, spaces and all."""
        pattern = json_schema()["properties"]["sourceUrl"]["pattern"]
        assert (re.fullmatch(pattern, text) is not None) == (
            URL.fullmatch(text) is not None
        )

    @given(_URL_TEXT)
    @example("/assets/images/a.jpg")
    @example("//cdn.example.com/a.jpg")
    def test_image_url_pattern_agrees_with_the_loader(self, text: str) -> None:
        """Image URLs may also be root paths, as the loader allows, never '//'."""
        schema = json_schema()["$defs"]["Image"]["properties"]["url"]
        expected = URL.fullmatch(text) or ROOT_PATH.fullmatch(text)
        assert (re.fullmatch(schema["pattern"], text) is not None) == bool(expected)

    def test_untranslatable_classes_are_refused(self) -> None:
        r"""A Python class shorthand with another ECMA meaning (\w) is refused."""
        with pytest.raises(ValueError, match=r"no ECMA-262 translation for '\\\\w'"):
            ecma_pattern(r"\w+")

    @given(
        st.binary(max_size=100),
        st.binary(min_size=14, max_size=18),
        st.integers(min_value=0, max_value=63),
    )
    @example(b"x" * 16, b"y" * 16, 0)
    @example(b"", b"y" * 16, 0)
    def test_token_pattern_agrees_with_the_loader(
        self, ciphertext: bytes, iv: bytes, twist: int
    ) -> None:
        """The token pattern takes exactly the tokens SecuredToken.parse takes."""
        text = (
            f"{base64.b64encode(ciphertext).decode()};{base64.b64encode(iv).decode()}"
        )
        if twist:  # a non-canonical variant: change the character before the padding
            head = text.rstrip("=")
            alphabet = (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            )
            text = head[:-1] + alphabet[twist] + text[len(head) :]
        try:
            newsrecord.SecuredToken.parse(text)
        except ValueError:
            accepted = False
        else:
            accepted = True
        assert (re.fullmatch(TOKEN_PATTERN, text) is not None) == accepted

    @given(
        st.datetimes(
            min_value=dt.datetime(1000, 1, 1),  # noqa: DTZ001 (bounds of naive values)
            max_value=dt.datetime(9999, 12, 31),  # noqa: DTZ001
            timezones=st.sampled_from(
                [
                    dt.UTC,
                    dt.timezone(dt.timedelta(hours=-8)),
                    dt.timezone(dt.timedelta(hours=5, minutes=30)),
                ]
            ),
        ),
        st.sampled_from(["yaml", "yaml-spaced", "iso", "iso-space", "iso-basic"]),
    )
    def test_timestamp_pattern_takes_what_the_loader_takes(
        self, moment: dt.datetime, form: str
    ) -> None:
        """Timestamps written as YAML or ISO 8601 match the pattern and load."""
        offset = moment.strftime("%z")
        offset = f"{offset[:3]}:{offset[3:]}"
        text = {
            "yaml": moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            if moment.utcoffset() == dt.timedelta(0)
            else moment.strftime(f"%Y-%m-%dT%H:%M:%S{offset}"),
            "yaml-spaced": moment.strftime(f"%Y-%m-%d %H:%M:%S.%f {offset}"),
            "iso": moment.isoformat(),
            "iso-space": moment.isoformat(sep=" ", timespec="minutes"),
            "iso-basic": moment.strftime("%Y%m%dT%H%M%S%z"),
        }[form]
        assert re.search(TIMESTAMP_PATTERN, text) is not None
        quoted = form.startswith("iso")
        record = _record_with(f'"{text}"' if quoted else text)
        expected = {
            "yaml-spaced": moment,
            "iso": moment,
            "iso-space": moment.replace(second=0, microsecond=0),
        }.get(form, moment.replace(microsecond=0))
        assert newsrecord.loads(record).published_date_time == expected

    @pytest.mark.parametrize(
        "text",
        [
            "2019-12-23",
            "2019-12-23T00:00:00",
            "2019-12-23 00:00",
            "23/12/2019 00:00Z",
            "now",
        ],
    )
    def test_timestamp_pattern_wants_a_time_and_a_zone(self, text: str) -> None:
        """Dates alone, times without a zone and other text fail, as when loading."""
        assert re.search(TIMESTAMP_PATTERN, text) is None
        with pytest.raises(newsrecord.ValidationError):
            newsrecord.loads(_record_with(f'"{text}"'))


def _record_with(published: str) -> str:
    return (
        "---\ncategory: news\ntitle: t\nexcerpt: e\n"
        f"publishedDateTime: {published}\n"
        "sourceUrl: https://example.com/a\ntype: article\n"
        "provider:\n  name: n\n  domain: example.com\n---\n"
    )


class TestRecords:
    @pytest.mark.parametrize(("path", "strict"), _cases("valid"))
    def test_valid_records_pass(self, path: Path, *, strict: bool) -> None:
        """Every record that loads passes the schema, read as newsrecord reads it."""
        validator(strict=strict).validate(front_matter(path, YAML11Loader))

    @pytest.mark.parametrize(("path", "strict"), _cases("valid"))
    def test_valid_records_pass_in_an_editor(self, path: Path, *, strict: bool) -> None:
        """An editor (YAML 1.2) flags a valid record only for YAML 1.1 spellings.

        Merge keys are YAML 1.1 too: an editor sees ``<<`` as a key of its own.
        """
        data = front_matter(path, YAML12Loader)
        for error in validator(strict=strict).iter_errors(data):
            if isinstance(error.instance, dict) and "<<" in error.instance:
                continue
            assert isinstance(error.instance, str)
            assert not isinstance(resolve(error.instance), str)

    @pytest.mark.parametrize(("path", "strict"), _cases("invalid"))
    def test_invalid_records_fail(self, path: Path, *, strict: bool) -> None:
        """A record that does not load fails the schema, unless no schema could tell.

        The exceptions are exactly the documented blind spots: a record whose only
        problems are of that sort passes, any other fails.
        """
        data = front_matter(path, YAML11Loader)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.load(path, strict=strict)
        blind = all(_beyond_a_schema(error, data) for error in caught.value.errors)
        assert validator(strict=strict).is_valid(data) == blind

    @pytest.mark.parametrize(("path", "strict"), _cases("other-kind"))
    def test_other_kinds_fail(self, path: Path, *, strict: bool) -> None:
        """A record of another kind is not a news record to the schema either."""
        assert not validator(strict=strict).is_valid(front_matter(path, YAML11Loader))

    def test_there_are_cases_of_each_outcome(self) -> None:
        """The fixtures hold records of each outcome for the tests above."""
        for outcome in ("valid", "invalid", "other-kind"):
            assert len(_cases(outcome)) >= 2, outcome


def _outcome_of(text: str) -> str:
    try:
        newsrecord.loads(text)
    except newsrecord.ValidationError:
        return "invalid"
    return "valid"


class TestNumberForms:
    @pytest.mark.parametrize("size", [1, 3, 400])
    @pytest.mark.parametrize(("name", "form"), NUMBER_FORMS)
    @pytest.mark.parametrize("key", ["quality", "heat"])
    def test_an_int_field_refused_by_newsrecord_is_refused_by_the_schema(
        self, key: str, name: str, form: Callable[[int], str], size: int
    ) -> None:
        """A YAML 1.1 number form in an int field: where newsrecord refuses it, an
        editor checking the schema does too, but for a float with an integer value
        (``1.0``, the documented blind spot)."""
        text = record({key: f"{key}: {form(size)}"})
        start, end, _ = split(text, None)
        seen = yaml.load(text[start:end], Loader=YAML12Loader)  # noqa: S506 (safe)
        passes = validator(strict=False).is_valid(seen)
        if _outcome_of(text) == "invalid":
            value = seen[key]
            blind = isinstance(value, float) and value.is_integer()
            assert passes == blind, (name, value)
