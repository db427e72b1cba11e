"""The field table: every key of every record, with its rule and how it is written.

One entry per key, in the order records write them: the key as written, the rule
its value is checked by (a hook of `newsrecord._hooks`), how it is quoted, and
whether a blank line comes before it (a top-level block of its own). The model
class gives the rest: the attribute (the key in snake case, `file_key`), its
type, and whether it is required (it has no default). What the records of a
model need at least one of (an Article's links) and where its unknown keys are
written are stated here too.

Everything that reads a record's keys reads this table: the builder
(`newsrecord._direct`), the converter (`newsrecord._structure`), the writer's key
order and reference style (`newsrecord._write`), `to_dict` (`newsrecord._mapping`),
the JSON Schema (`newsrecord._schema`) and the tests of the tables of
``docs/format.md``. A new record kind is one more `Table`.
"""

from __future__ import annotations

import enum
from typing import Any, Final

import attrs

from ._model import (
    NOT_FROM_FRONT_MATTER,
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    RelatedArticle,
    file_key,
)


class Rule(enum.Enum):
    """How a value is checked and what it becomes."""

    TEXT = "text"  #: a string; a plain scalar is kept as written
    CHOICE = "choice"  #: text that is one of the values of the field's Literal
    LINK = "link"  #: an absolute http(s) URL
    IMAGE_LINK = "image link"  #: an absolute http(s) URL or a path from the root
    INT32 = "integer"  #: an integer in the 32-bit range
    SIZE = "size"  #: an integer in the 32-bit range, not negative
    BOOL = "bool"
    TIMESTAMP = "timestamp"  #: a date and time with a timezone
    #: the opaque `SecuredToken`
    TOKEN = "token"  # noqa: S105 (the name of a rule, not a secret)
    TEXTS = "list of text"
    RECORD = "record"  #: a nested record of the field's model
    RECORDS = "list of records"  #: a list of records of the field's model


#: The rules by which YAML's null (``null``, ``~``, nothing) in a field that is not
#: required means the key is absent; text-like rules keep a plain null's text.
NULL_IS_ABSENT: Final = frozenset({Rule.INT32, Rule.SIZE, Rule.BOOL})


class Quoting(enum.Enum):
    """How a text value is written in the reference style."""

    PLAIN = "plain"  #: plain where it reads back as the same text
    DOUBLE = "double"  #: always double-quoted
    ERA = "era"  #: as the file writes its links: plain, or double-quoted


@attrs.frozen
class Field:
    """One key of a model: the table's entry and what its model class says."""

    key: str
    attribute: str
    rule: Rule
    required: bool
    quoting: Quoting
    group: bool  #: a top-level block: one blank line before it
    model: type[Any] | None  #: the nested record's class (`RECORD`, `RECORDS`)
    type: Any  #: the attribute's annotation


@attrs.frozen
class Table:
    """The keys of one model, in the order they are written."""

    model: type[Any]
    fields: tuple[Field, ...]
    #: Where its unknown keys (``extra``) are written: before ``fields[extra_at]``.
    extra_at: int
    #: The keys of which a record needs one at least.
    needs_one_of: tuple[str, ...]
    #: What a message calls it: "the record", "an image".
    place: str

    def field(self, key: str) -> Field:
        """The entry of ``key``; `StopIteration` if the model has no such key."""
        return next(field for field in self.fields if field.key == key)

    @property
    def keys(self) -> frozenset[str]:
        """The keys the model knows."""
        return frozenset(field.key for field in self.fields)


#: Stands for the place of the unknown keys in a table's list of entries.
EXTRA: Final = object()

_Entry = tuple[str, Rule] | tuple[str, Rule, Quoting] | object


def _table(
    model: type[Any],
    place: str,
    *entries: _Entry,
    groups: frozenset[str] = frozenset(),
    needs_one_of: tuple[str, ...] = (),
) -> Table:
    """The table of ``model`` from its entries, checked against the class."""
    attributes = {
        field.name: field
        for field in attrs.fields(attrs.resolve_types(model))
        if field.name not in NOT_FROM_FRONT_MATTER
    }
    fields: list[Field] = []
    extra_at = -1
    for entry in entries:
        if entry is EXTRA:
            extra_at = len(fields)
            continue
        assert isinstance(entry, tuple)  # noqa: S101 (narrowing for mypy)
        key, rule, *quoting = entry
        name = _attribute(key, attributes)
        attribute = attributes.pop(name)
        nested = model_of(attribute.type) if rule in _NESTED else None
        fields.append(
            Field(
                key=key,
                attribute=name,
                rule=rule,
                required=attribute.default is attrs.NOTHING,
                quoting=quoting[0] if quoting else _QUOTING.get(rule, Quoting.PLAIN),
                group=key in groups,
                model=nested,
                type=attribute.type,
            )
        )
    if attributes or extra_at == -1:
        message = f"the table of {model.__name__} misses {sorted(attributes)} or extra"
        raise TypeError(message)
    return Table(model, tuple(fields), extra_at, needs_one_of, place)


def _attribute(key: str, attributes: dict[str, Any]) -> str:
    for name in attributes:
        if file_key(name) == key:
            return name
    message = f"no attribute for the key {key!r}"
    raise TypeError(message)


_NESTED: Final = frozenset({Rule.RECORD, Rule.RECORDS})
_QUOTING: Final = {Rule.LINK: Quoting.ERA, Rule.IMAGE_LINK: Quoting.ERA}


def model_of(type_: Any) -> type[Any]:
    """The record class in ``Provider`` or ``tuple[Image, ...]``."""
    args = getattr(type_, "__args__", None)
    return args[0] if args else type_  # type: ignore[no-any-return]


#: The links, in the order records write them; a news record needs one of them.
_LINKS: Final = (
    ("sourceUrl", Rule.LINK),
    ("ampUrl", Rule.LINK),
    ("cdnAmpUrl", Rule.LINK),
    ("originalUrl", Rule.LINK),
    ("webUrl", Rule.LINK),
    ("ampWebUrl", Rule.LINK),
    ("cdnAmpWebUrl", Rule.LINK),
)

#: What an article and a related article begin with: a headline, a time, links.
_SUMMARY: Final = (
    ("title", Rule.TEXT, Quoting.DOUBLE),
    ("excerpt", Rule.TEXT, Quoting.DOUBLE),
    ("publishedDateTime", Rule.TIMESTAMP),
    *_LINKS,
)

IMAGE: Final = _table(
    Image,
    "an image",
    ("url", Rule.IMAGE_LINK),
    ("width", Rule.SIZE),
    ("height", Rule.SIZE),
    ("isCached", Rule.BOOL),
    ("title", Rule.TEXT, Quoting.DOUBLE),
    EXTRA,
)
AUTHOR: Final = _table(Author, "an author", ("name", Rule.TEXT), EXTRA)
PUBLISHER: Final = _table(
    Publisher, "a publisher", ("name", Rule.TEXT), ("domain", Rule.TEXT), EXTRA
)
PROVIDER: Final = _table(
    Provider,
    "a provider",
    ("name", Rule.TEXT),
    ("domain", Rule.TEXT),
    ("images", Rule.RECORDS),
    ("authors", Rule.RECORDS),
    ("publishers", Rule.RECORDS),
    EXTRA,
)
RELATED_ARTICLE: Final = _table(
    RelatedArticle,
    "a related article",
    *_SUMMARY,
    ("type", Rule.TEXT),
    ("provider", Rule.RECORD),
    ("quality", Rule.INT32),
    ("images", Rule.RECORDS),
    EXTRA,
)
ARTICLE: Final = _table(
    Article,
    "the record",
    ("category", Rule.CHOICE),
    *_SUMMARY,
    ("type", Rule.CHOICE),
    ("quality", Rule.INT32),
    ("heat", Rule.INT32),
    ("published", Rule.BOOL),
    ("featuredContent", Rule.TEXT, Quoting.DOUBLE),
    ("provider", Rule.RECORD),
    ("topics", Rule.TEXTS),
    ("images", Rule.RECORDS),
    ("related", Rule.RECORDS),
    EXTRA,
    ("secured", Rule.TOKEN, Quoting.DOUBLE),
    groups=frozenset(
        {"featuredContent", "provider", "topics", "images", "related", "secured"}
    ),
    needs_one_of=tuple(key for key, _ in _LINKS),
)

#: The keys of the links, in the order records write them: a news record needs one.
LINK_KEYS: Final = ARTICLE.needs_one_of
#: Their attributes.
LINK_ATTRIBUTES: Final = tuple(ARTICLE.field(key).attribute for key in LINK_KEYS)

#: Every model's table, by model class.
TABLES: Final[dict[type[Any], Table]] = {
    table.model: table
    for table in (IMAGE, AUTHOR, PUBLISHER, PROVIDER, RELATED_ARTICLE, ARTICLE)
}
