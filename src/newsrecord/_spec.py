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

from ._family import (
    Account,
    Action,
    Answer,
    Book,
    Challenge,
    Collection,
    Conference,
    Course,
    Download,
    Form,
    Forum,
    Function,
    Funding,
    Message,
    Organization,
    Profile,
    Ratings,
    Reading,
    Sponsor,
    Sponsorship,
    Stats,
    Video,
    VideoLink,
)
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
    NUMBER = "number"  #: an integer or a finite decimal number
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
NULL_IS_ABSENT: Final = frozenset({Rule.INT32, Rule.NUMBER, Rule.SIZE, Rule.BOOL})


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
    #: The name of the kind of record it is (``news``, ``course``), or ``None``
    #: for the parts of a record (a provider, an image).
    kind: str | None = None
    #: What a message calls what ``needs_one_of`` gives: "a link", "a title".
    needs: str = ""

    def field(self, key: str) -> Field:
        """The entry of ``key``; `StopIteration` if the model has no such key."""
        return next(field for field in self.fields if field.key == key)

    def by_attribute(self, name: str) -> Field | None:
        """The entry of the attribute ``name``, if the model has one."""
        return next((field for field in self.fields if field.attribute == name), None)

    @property
    def keys(self) -> frozenset[str]:
        """The keys the model knows."""
        return frozenset(field.key for field in self.fields)


#: Stands for the place of the unknown keys in a table's list of entries.
EXTRA: Final = object()

_Entry = (
    tuple[str, Rule]
    | tuple[str, Rule, Quoting]
    | tuple[str, Rule, Quoting, str]
    | object
)


def _table(  # noqa: PLR0913 (keyword-only facts of a table)
    model: type[Any],
    place: str,
    *entries: _Entry,
    groups: frozenset[str] = frozenset(),
    needs_one_of: tuple[str, ...] = (),
    needs: str = "",
    kind: str | None = None,
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
        key, rule, *quoting_and_name = entry
        quoting = quoting_and_name[:1]
        # The attribute, when it is not the key in snake case (``_id``: ``id``).
        name = quoting_and_name[1] if len(quoting_and_name) > 1 else None
        name = name or _attribute(key, attributes)
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
    return Table(model, tuple(fields), extra_at, needs_one_of, place, kind, needs)


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
    Publisher,
    "a publisher",
    ("name", Rule.TEXT),
    ("domain", Rule.TEXT),
    ("images", Rule.RECORDS),
    EXTRA,
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
    needs="a link",
    kind="news",
)

# --- the other kinds of record, and their parts ------------------------------------

RATINGS: Final = _table(
    Ratings, "the ratings", ("count", Rule.SIZE), ("average", Rule.NUMBER), EXTRA
)
ACTION: Final = _table(
    Action,
    "an action",
    ("url", Rule.LINK, Quoting.DOUBLE),
    ("type", Rule.TEXT, Quoting.DOUBLE),
    ("title", Rule.TEXT, Quoting.DOUBLE),
    ("attribution", Rule.TEXT, Quoting.DOUBLE),
    EXTRA,
)
ACCOUNT: Final = _table(
    Account,
    "an account",
    ("username", Rule.TEXT),
    ("url", Rule.LINK),
    ("followers", Rule.SIZE),
    ("citations", Rule.SIZE),
    EXTRA,
)
FUNDING: Final = _table(Funding, "the funding", ("status", Rule.TEXT), EXTRA)
VIDEO_LINK: Final = _table(VideoLink, "a video", ("url", Rule.LINK), EXTRA)
SPONSOR: Final = _table(
    Sponsor,
    "the sponsor",
    ("name", Rule.TEXT),
    ("url", Rule.LINK),
    ("logoForLightTheme", Rule.IMAGE_LINK),
    ("logoForDarkTheme", Rule.IMAGE_LINK),
    EXTRA,
)
MESSAGE: Final = _table(
    Message,
    "a message",
    ("title", Rule.TEXT),
    ("description", Rule.TEXT, Quoting.DOUBLE),
    ("url", Rule.LINK),
    ("image", Rule.IMAGE_LINK),
    EXTRA,
)

#: The entries that several kinds share, each stated once: the key, its rule and
#: how it is quoted.
_TITLE: Final = ("title", Rule.TEXT, Quoting.DOUBLE)
_EXCERPT: Final = ("excerpt", Rule.TEXT, Quoting.DOUBLE)
_NAME: Final = ("name", Rule.TEXT, Quoting.DOUBLE)
_ORIGINAL_URL: Final = ("originalUrl", Rule.LINK)
_WEB_URL: Final = ("webUrl", Rule.LINK)
_WEBSITE: Final = ("website", Rule.LINK)
_TYPE: Final = ("type", Rule.CHOICE)
_PRICE: Final = ("price", Rule.TEXT)
_LENGTH: Final = ("length", Rule.TEXT)
_LOCATION: Final = ("location", Rule.TEXT)
_PUBLISHED_AT: Final = ("publishedDateTime", Rule.TIMESTAMP)
_HEAT: Final = ("heat", Rule.INT32)
_REMOVED: Final = ("removed", Rule.BOOL)
_PUBLISHED: Final = ("published", Rule.BOOL)
_RATINGS: Final = ("ratings", Rule.RECORD)
_PROVIDER: Final = ("provider", Rule.RECORD)
_LEVELS: Final = ("levels", Rule.TEXTS)
_TOPICS: Final = ("topics", Rule.TEXTS)
_TAGS: Final = ("tags", Rule.TEXTS)
_IMAGES: Final = ("images", Rule.RECORDS)
_SECURED: Final = ("secured", Rule.TOKEN, Quoting.DOUBLE)

#: Blocks most kinds write after a blank line.
_BLOCKS: Final = frozenset(
    {"featuredContent", "provider", "actions", "levels", "items", "topics", "tags"}
    | {"images", "related", "secured"}
)

VIDEO: Final = _table(
    Video,
    "the record",
    _TITLE,
    _EXCERPT,
    _ORIGINAL_URL,
    _WEB_URL,
    _TYPE,
    _PRICE,
    _LENGTH,
    _PUBLISHED_AT,
    _HEAT,
    _REMOVED,
    _PUBLISHED,
    ("featuredContent", Rule.TEXT, Quoting.DOUBLE),
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="video",
)
COURSE: Final = _table(
    Course,
    "the record",
    _TITLE,
    _EXCERPT,
    _WEB_URL,
    _TYPE,
    _PRICE,
    _LENGTH,
    _RATINGS,
    _HEAT,
    _PROVIDER,
    _LEVELS,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="course",
)
COLLECTION: Final = _table(
    Collection,
    "the record",
    _TITLE,
    _NAME,
    _EXCERPT,
    _TYPE,
    _PRICE,
    _LENGTH,
    _HEAT,
    _PROVIDER,
    _LEVELS,
    ("items", Rule.TEXTS),
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    needs_one_of=("title", "name"),
    needs="a title",
    kind="collection",
)
BOOK: Final = _table(
    Book,
    "the record",
    _TITLE,
    _EXCERPT,
    _WEB_URL,
    _TYPE,
    _PRICE,
    _LENGTH,
    _RATINGS,
    _HEAT,
    _PROVIDER,
    _LEVELS,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="book",
)
DOWNLOAD: Final = _table(
    Download,
    "the record",
    _TITLE,
    _EXCERPT,
    _ORIGINAL_URL,
    _TYPE,
    _PUBLISHED_AT,
    _HEAT,
    ("actions", Rule.RECORDS),
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="download",
)
ANSWER: Final = _table(
    Answer,
    "the record",
    _TITLE,
    _EXCERPT,
    _WEB_URL,
    _TYPE,
    _HEAT,
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="answer",
)
READING: Final = _table(
    Reading,
    "the record",
    _TITLE,
    _EXCERPT,
    _ORIGINAL_URL,
    _WEB_URL,
    _TYPE,
    _PRICE,
    _LENGTH,
    _PUBLISHED_AT,
    _HEAT,
    _PROVIDER,
    _LEVELS,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="reading",
)
CONFERENCE: Final = _table(
    Conference,
    "the record",
    _NAME,
    _EXCERPT,
    _ORIGINAL_URL,
    _TYPE,
    ("startDateTime", Rule.TIMESTAMP),
    ("endDateTime", Rule.TIMESTAMP),
    _LOCATION,
    _PRICE,
    _WEBSITE,
    _HEAT,
    _REMOVED,
    _PUBLISHED,
    _PROVIDER,
    _TOPICS,
    _TAGS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS | {"website"},
    kind="conference",
)
FORUM: Final = _table(
    Forum,
    "the record",
    _NAME,
    _EXCERPT,
    _ORIGINAL_URL,
    _WEB_URL,
    _TYPE,
    ("members", Rule.SIZE),
    _HEAT,
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="forum",
)
FUNCTION: Final = _table(
    Function,
    "the record",
    _NAME,
    _EXCERPT,
    _ORIGINAL_URL,
    _WEB_URL,
    _TYPE,
    _HEAT,
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="function",
)
STATS: Final = _table(
    Stats,
    "the record",
    ("category", Rule.CHOICE),
    _TITLE,
    _EXCERPT,
    _PUBLISHED_AT,
    ("updatedDateTime", Rule.TIMESTAMP),
    _WEB_URL,
    _TYPE,
    _HEAT,
    _PROVIDER,
    _TOPICS,
    _IMAGES,
    EXTRA,
    _SECURED,
    groups=_BLOCKS,
    kind="stats",
)
PROFILE: Final = _table(
    Profile,
    "the record",
    _NAME,
    ("bio", Rule.TEXT, Quoting.DOUBLE),
    ("overview", Rule.TEXT, Quoting.DOUBLE),
    _LOCATION,
    ("type", Rule.CHOICE, Quoting.DOUBLE),
    _HEAT,
    ("affiliation", Rule.RECORD),
    _WEBSITE,
    ("twitter", Rule.RECORD),
    ("linkedin", Rule.RECORD),
    ("googleScholar", Rule.RECORD),
    ("wikipedia", Rule.RECORD),
    ("crunchbase", Rule.RECORD),
    ("size", Rule.TEXT),
    ("yearFounded", Rule.INT32),
    ("locations", Rule.TEXTS),
    ("funding", Rule.RECORD),
    _TOPICS,
    _TAGS,
    _IMAGES,
    ("videos", Rule.RECORDS),
    EXTRA,
    _SECURED,
    groups=_BLOCKS
    | {"affiliation", "website", "twitter", "linkedin", "crunchbase", "size"}
    | {"googleScholar", "wikipedia", "funding", "videos"},
    kind="profile",
)
CHALLENGE: Final = _table(
    Challenge,
    "the record",
    _TITLE,
    _EXCERPT,
    _ORIGINAL_URL,
    _TYPE,
    _HEAT,
    _PROVIDER,
    _LEVELS,
    _TOPICS,
    ("related", Rule.TEXTS),
    EXTRA,
    groups=_BLOCKS,
    kind="challenge",
)
FORM: Final = _table(
    Form,
    "the record",
    _TITLE,
    _EXCERPT,
    _WEB_URL,
    _TYPE,
    _TOPICS,
    _IMAGES,
    EXTRA,
    groups=_BLOCKS,
    kind="form",
)
ORGANIZATION: Final = _table(
    Organization,
    "the record",
    ("taxonomy", Rule.CHOICE),
    ("_id", Rule.TEXT, Quoting.PLAIN, "id"),
    ("name", Rule.TEXT),
    ("otherNames", Rule.TEXTS),
    ("domain", Rule.TEXT),
    ("description", Rule.TEXT),
    _IMAGES,
    EXTRA,
    kind="organization",
)
SPONSORSHIP: Final = _table(
    Sponsorship,
    "the record",
    ("sponsor", Rule.RECORD),
    ("messages", Rule.RECORDS),
    ("schedules", Rule.TEXTS),
    ("placements", Rule.TEXTS),
    EXTRA,
    groups=frozenset({"messages", "schedules", "placements"}),
    kind="sponsorship",
)

#: The keys of the links, in the order records write them: a news record needs one.
LINK_KEYS: Final = ARTICLE.needs_one_of
#: Their attributes.
LINK_ATTRIBUTES: Final = tuple(ARTICLE.field(key).attribute for key in LINK_KEYS)

#: The table of every kind of record, news first.
KINDS: Final = (
    ARTICLE,
    VIDEO,
    COURSE,
    COLLECTION,
    BOOK,
    DOWNLOAD,
    ANSWER,
    READING,
    CONFERENCE,
    FORUM,
    FUNCTION,
    STATS,
    PROFILE,
    CHALLENGE,
    FORM,
    ORGANIZATION,
    SPONSORSHIP,
)

#: Every model's table, by model class: the parts of records before the records.
TABLES: Final[dict[type[Any], Table]] = {
    table.model: table
    for table in (
        IMAGE,
        AUTHOR,
        PUBLISHER,
        PROVIDER,
        RELATED_ARTICLE,
        RATINGS,
        ACTION,
        ACCOUNT,
        FUNDING,
        VIDEO_LINK,
        SPONSOR,
        MESSAGE,
        *KINDS,
    )
}

#: The table of each kind of record, by the kind's name.
BY_KIND: Final[dict[str, Table]] = {
    table.kind: table for table in KINDS if table.kind is not None
}
