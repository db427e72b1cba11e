"""The direct builder: the same record as the cattrs converter, or none at all.

`newsrecord._direct.build_as` makes the records of valid files; the converter only
runs when it answers ``None``, to report the problems. So the two must agree:
on every valid tree the builder gives a record equal to the converter's, value
for value and type for type (a `str`, never the tree's `Plain`), and on every
tree the converter refuses, the builder gives nothing.
"""

from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
from cattrs.errors import ClassValidationError
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from conftest import REFERENCE, corpus_files, needs_corpus, valid_files
from newsrecord._direct import _MOST_SHARED, _plan, build_as
from newsrecord._errors import NewsRecordError
from newsrecord._hooks import _MOST_TEXTS, _TEXTS, SHARED_TEXT, Invalid, structure_str
from newsrecord._kinds import kind_of
from newsrecord._model import Article, ReadOnlyMapping
from newsrecord._read import read
from newsrecord._spec import Table
from newsrecord._structure import _converter
from newsrecord._tree import Plain
from records import record
from strategies import (
    Style,
    articles,
    mutated_records,
    plain_scalars,
    styled_text,
    styles,
)

if typing.TYPE_CHECKING:
    from newsrecord._tree import MapNode

DATA = Path(__file__).resolve().parent / "data"


def _converted(root: MapNode, model: type[Any], *, strict: bool) -> Any:
    try:
        return _converter(strict=strict).structure(root, model)
    except (ClassValidationError, Invalid):
        return None


def build(root: MapNode, *, strict: bool) -> Article | None:
    record: Article | None = build_as(root, Article, strict=strict)
    return record


def _shape(value: object) -> object:
    """``value`` as nested tuples of types and values, to compare types too."""
    if attrs.has(type(value)):
        return (
            type(value),
            tuple(
                (field.name, _shape(getattr(value, field.name)))
                for field in attrs.fields(type(value))  # type: ignore[arg-type]
            ),
        )
    if isinstance(value, tuple):
        return (tuple, tuple(_shape(item) for item in value))
    if isinstance(value, ReadOnlyMapping):
        return (dict, tuple((key, _shape(item)) for key, item in value.items()))
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), value)


def _agree(text: str, *, strict: bool) -> Any:
    """Read ``text`` and check that builder and converter agree; the record.

    The record of the kind the text holds; a text of no kind is checked as news.
    """
    try:
        root = read(text, None).root
    except NewsRecordError:
        return None  # not a tree: neither of them is asked
    found = kind_of(root)
    model = found.model if isinstance(found, Table) else Article
    direct = build_as(root, model, strict=strict)
    converted = _converted(root, model, strict=strict)
    if converted is None:
        assert direct is None
    else:
        assert direct is not None
        assert _shape(direct) == _shape(converted)
    return direct


def _files() -> list[Path]:
    files = valid_files()
    if REFERENCE.is_file():
        files += [REFERENCE, *corpus_files("news")]
    return files


def _invalid_texts() -> list[Path]:
    """The invalid fixtures that are text (the others never make a tree)."""
    paths = []
    for path in sorted((DATA / "invalid").glob("*.md")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        paths.append(path)
    return paths


class TestAgreement:
    @pytest.mark.parametrize("path", _files(), ids=lambda path: path.name)
    @pytest.mark.parametrize("strict", [False, True])
    def test_valid_files(self, path: Path, *, strict: bool) -> None:
        """Every valid file: the builder makes the converter's record."""
        text = path.read_bytes().decode("utf-8")
        article = _agree(text, strict=strict)
        has_unknown_keys = bool(newsrecord.loads(text).extra)
        assert (article is None) == (strict and has_unknown_keys)

    @pytest.mark.parametrize("path", _invalid_texts(), ids=lambda path: path.name)
    def test_invalid_files(self, path: Path) -> None:
        """Every invalid file: the builder makes nothing (and the converter reports)."""
        text = path.read_text(encoding="utf-8")
        record = _agree(text, strict=False)
        if path.name.startswith("kind-"):  # a valid record of another kind
            assert not isinstance(record, Article)
        else:
            assert record is None

    @needs_corpus
    def test_reference(self) -> None:
        text = REFERENCE.read_text(encoding="utf-8")
        assert _agree(text, strict=False) is not None

    @given(article=articles(), style=styles(), strict=st.booleans())
    def test_generated_records(
        self, article: Article, style: Style, *, strict: bool
    ) -> None:
        """Generated valid records, written in many styles."""
        text = styled_text(article, style)
        built = _agree(text, strict=strict)
        assert built is not None or strict  # strict: extra keys anywhere refuse it

    @given(text=mutated_records(), strict=st.booleans())
    def test_mutated_records(self, text: str, *, strict: bool) -> None:
        """Valid records with lines deleted, repeated, swapped or added to."""
        _agree(text, strict=strict)

    @given(
        key=st.sampled_from(["quality", "heat", "published", "publishedDateTime",
                         "title", "type", "category", "sourceUrl", "topics",
                         "provider", "secured"]),
        scalar=plain_scalars(),
        quoted=st.booleans(),
    )  # fmt: skip
    def test_any_scalar_in_any_field(
        self, key: str, scalar: str, *, quoted: bool
    ) -> None:
        """A plain or quoted scalar of any YAML 1.1 type, in fields of every type."""
        value = '"' + scalar.replace('"', '\\"') + '"' if quoted else scalar
        _agree(record({key: f"{key}: {value}"}), strict=False)

    def test_unknown_keys_in_strict_mode_make_nothing(self) -> None:
        text = record(add="note: hello\n")
        root = read(text, None).root
        assert build(root, strict=True) is None
        assert _agree(text, strict=False) is not None


#: Providers as written under ``provider:``, each with whether records share it.
PROVIDERS = {
    "name-and-domain": ("  name: Desk\n  domain: desk.example.com\n", True),
    "quoted": ("  name: \"Desk\"\n  domain: 'desk.example.com'\n", True),
    "authors": (
        "  name: Desk\n  domain: d.example.com\n  authors:\n    - name: Ann\n",
        False,
    ),
    "logo": (
        (
            "  name: Desk\n  domain: d.example.com\n  images:\n"
            "    - url: /logo.png\n      width: 50\n      height: 50\n"
        ),
        False,
    ),
    "unknown-key": ("  name: Desk\n  domain: d.example.com\n  rank: 1\n", False),
}


class TestShared:
    @pytest.mark.parametrize("name", sorted(PROVIDERS))
    def test_equal_providers_of_plain_values_are_one_object(self, name: str) -> None:
        """Two files with equal providers of plain values share one frozen
        provider, equal to the one the converter makes; any other is their own."""
        lines, shared = PROVIDERS[name]
        text = record({"provider": "provider:\n" + lines})
        first, second = newsrecord.loads(text), newsrecord.loads(text + "Body.\n")
        assert (first.provider is second.provider) is shared
        converted = _converted(read(text, None).root, Article, strict=False)
        assert converted is not None
        assert _shape(first.provider) == _shape(converted.provider)

    def test_a_shared_provider_is_written_as_each_file_has_it(self) -> None:
        """Files that spell one provider two ways each write back their own."""
        plain = record({"provider": "provider:\n  name: Desk\n  domain: d.example"})
        quoted = plain.replace("name: Desk", 'name: "Desk"')
        first, second = newsrecord.loads(plain), newsrecord.loads(quoted)
        assert first.provider is second.provider
        assert newsrecord.dumps(first) == plain
        assert newsrecord.dumps(attrs.evolve(second, quality=1)) == quoted.replace(
            "quality: 48", "quality: 1"
        )

    def test_sizes_are_shared(self) -> None:
        """Image sizes read from two files are one int object each."""
        image = "images:\n  - url: /a.png\n    width: 1200\n    height: 675\n"
        first = newsrecord.loads(record(add=image)).images[0]
        second = newsrecord.loads(record(add=image.replace("/a", "/b"))).images[0]
        assert first.width is second.width
        assert first.height is second.height

    def test_short_plain_texts_are_shared(self) -> None:
        """A short plain text read from two files is one `str`; a long one, or a
        quoted one, each file's own."""
        long = "Tidal " * (SHARED_TEXT // 6 + 1)
        topics = f'topics:\n  - Tidal power\n  - {long}\n  - "Quoted"\n'
        first = newsrecord.loads(record({"topics": topics})).topics
        second = newsrecord.loads(record({"topics": topics}) + "Body.\n").topics
        assert first == second == ("Tidal power", long.rstrip(" "), "Quoted")
        assert first[0] is second[0]
        assert type(first[0]) is str
        assert first[1] is not second[1]
        assert first[2] is not second[2]

    def test_the_shared_texts_are_few(self) -> None:
        """However many texts are read, at most `_MOST_TEXTS` are kept, and
        texts read again are shared still."""
        for index in range(_MOST_TEXTS + 10):
            structure_str(Plain(f"topic {index}"), str)
            assert 0 < len(_TEXTS) <= _MOST_TEXTS
        again = structure_str(Plain("topic 1"), str)
        assert structure_str(Plain("topic 1"), str) is again

    def test_the_shared_records_are_few(self) -> None:
        """However many providers are read, at most `_MOST_SHARED` are kept."""
        plan = _plan(newsrecord.Provider, strict=False)
        for index in range(_MOST_SHARED + 10):
            lines = f"provider:\n  name: Desk {index}\n  domain: d.example"
            newsrecord.loads(record({"provider": lines}))
            assert plan.shared is not None
            assert 0 < len(plan.shared) <= _MOST_SHARED
