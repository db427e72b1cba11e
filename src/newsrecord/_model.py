"""The typed news record: frozen, slotted attrs classes.

Attribute names are the snake_case of the file's keys, by one rule with no
exceptions (`file_key` gives the key back): ``publishedDateTime`` is
``published_date_time``, ``cdnAmpUrl`` is ``cdn_amp_url``, ``isCached`` is
``is_cached``. A key a record lacks is ``None``, or ``()`` for lists. Keys the model
does not know are kept in ``extra``, in file order, so nothing is ever dropped.

The classes give each attribute's type and default; the field table
(`newsrecord._spec`) gives each key's rule, order and style of writing.
"""

from __future__ import annotations

import base64
import datetime as dt  # noqa: TC003 (attrs and cattrs read the annotations at runtime)
import operator
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeVar

import attrs

from ._token import token_parts

if TYPE_CHECKING:
    from ._limits import Limits


class ReadOnlyMapping(Mapping[str, Any]):
    """The keys of a record that its model does not know: its ``extra``, read-only.

    It cannot be changed, and it pickles and deep-copies (a
    ``types.MappingProxyType`` would not pickle). The ``extra`` of a record read
    from a file also holds that file's text, to write the record back exactly,
    and the `Limits` it was read within: they are no part of the mapping's
    value, and they travel with the record through ``attrs.evolve`` and
    pickling. ``extra | {"key": value}`` and ``extra.without("key")`` give the
    mapping edited, holding them still: a record given it (``attrs.evolve(record,
    extra=...)``) is written back with only those keys' lines changed. A record
    given another mapping as its ``extra`` (a ``dict``) is written afresh. With
    the text, the mapping holds the values read from it (the very objects), so
    that an unchanged record is told from a changed one at once.
    """

    __slots__ = ("_as_read", "_items", "_read_with", "_source")

    def __init__(
        self,
        items: Mapping[str, Any] | None = None,
        *,
        source: bytes | None = None,
        as_read: tuple[object, ...] | None = None,
        read_with: Limits | None = None,
    ) -> None:
        # Never changed: one empty dict serves every mapping without items.
        self._items: dict[str, Any] = dict(items) if items else _NO_ITEMS
        self._source = source
        self._as_read = as_read
        self._read_with = read_with

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        """Its items, with what a ``secured`` key holds hidden (see `masked`)."""
        return f"{type(self).__name__}({masked(self._items)!r})"

    def __or__(self, other: object) -> ReadOnlyMapping:
        """This mapping with the items of ``other`` added, or replacing its own.

        It holds the file's text this one holds (see above).
        """
        if not isinstance(other, Mapping):
            return NotImplemented
        return carried(self, {**self._items, **other})

    def __ror__(self, other: object) -> dict[str, Any]:
        """A `dict` of ``other``'s items and this mapping's, as a dict's ``|`` gives."""
        if not isinstance(other, Mapping):
            return NotImplemented
        return {**other, **self._items}

    def without(self, *keys: str) -> ReadOnlyMapping:
        """This mapping without ``keys`` (those it has), holding its file's text."""
        return carried(
            self, {key: value for key, value in self._items.items() if key not in keys}
        )

    def __reduce__(self) -> tuple[Any, ...]:
        if self._source is None:
            return (type(self), (self._items,))
        # Pickled with the record, the values read stay the record's own objects.
        return (
            type(self),
            (self._items,),
            (self._source, self._as_read, self._read_with),
        )

    def __setstate__(
        self, state: tuple[bytes, tuple[object, ...] | None, Limits | None]
    ) -> None:
        self._source, self._as_read, self._read_with = state


def carried(extra: ReadOnlyMapping, items: Mapping[str, Any]) -> ReadOnlyMapping:
    """``items``, holding the file's text and limits that ``extra`` holds.

    Not the values read from it: a record given the mapping is compared with
    its file when it is written.
    """
    source, read_with = extra._source, extra._read_with  # noqa: SLF001 (its module)
    return ReadOnlyMapping(items, source=source, read_with=read_with)


def edited(extra: ReadOnlyMapping) -> bool:
    """Whether ``extra`` holds a file's text but not the values read from it."""
    return extra._source is not None and extra._as_read is None  # noqa: SLF001


_NO_ITEMS: Final[dict[str, Any]] = {}
EMPTY: Final[Mapping[str, Any]] = ReadOnlyMapping()

#: The key of the token; a key of that name anywhere holds one, as far as anyone
#: looking at a record is concerned.
SECURED: Final = "secured"


class _Hidden(str):
    """A value kept from sight, as text; its repr is that text, unquoted."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def hidden(value: object) -> str:
    """What shows of a value under a ``secured`` key: its size, or its type."""
    if isinstance(value, str):
        return _Hidden(f"<hidden: {len(value)} characters>")
    return _Hidden(f"<hidden: {type(value).__name__}>")


def masked(value: Any) -> Any:
    """``value`` with every value under a ``secured`` key hidden, at any depth.

    Mappings become dicts and lists stay lists (tuples tuples), ready for a repr
    or for JSON; a hidden value is text (see `hidden`).
    """
    if isinstance(value, Mapping):
        return {
            key: hidden(item) if key == SECURED else masked(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(masked(item) for item in value)
    return value


def _extra_repr(extra: object) -> str:
    """The repr of an ``extra``, of whatever mapping it was given as, masked."""
    if isinstance(extra, Mapping):
        return repr(ReadOnlyMapping(extra))
    return repr(extra)


#: How a string field's text is checked (read by the structuring layer).
FORMAT: Final = "newsrecord.format"


#: Set while a reader builds records whose values it has checked already.
READING: Final[ContextVar[bool]] = ContextVar("newsrecord_reading", default=False)


def _check(record: object) -> None:
    """Check a record made in Python by the rules of loading: `ValidationError`.

    Every model calls it after its constructor (and so after `attrs.evolve`);
    the readers build records without it (see `READING`), having checked every
    value as they read it.
    """
    if READING.get():
        return
    from ._mapping import check  # noqa: PLC0415 (the checks read the model)

    check(record)


def file_key(attribute: str) -> str:
    """The file's key for an attribute name: ``cdn_amp_url`` -> ``cdnAmpUrl``."""
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _extra() -> Any:
    return attrs.field(default=EMPTY, hash=False, kw_only=True, repr=_extra_repr)


def _body() -> Any:
    """A record's body: the text after the front matter, empty by default."""
    return attrs.field(default="", kw_only=True)


@attrs.frozen(repr=False)
class SecuredToken:
    """The opaque ``secured`` token: ``<base64 ciphertext>;<base64 iv>``.

    Nothing here decrypts it. ``str(token)`` is its exact text; its repr and every
    error about it show lengths only, never the value.
    """

    ciphertext: bytes
    iv: bytes

    @classmethod
    def parse(cls, text: str) -> SecuredToken:
        """Read a token, checking its shape; `ValueError` if it is malformed.

        Both halves must be standard base64 with canonical padding, the IV exactly
        16 bytes, the ciphertext non-empty and a multiple of 16 bytes. `TypeError`
        for anything but text.
        """
        given: object = text
        if not isinstance(given, str):
            msg = f"SecuredToken.parse() takes text, not {type(given).__name__}"
            raise TypeError(msg)
        ciphertext, iv = token_parts(text)
        return cls(ciphertext, iv)

    def __str__(self) -> str:
        return (
            base64.b64encode(self.ciphertext).decode("ascii")
            + ";"
            + base64.b64encode(self.iv).decode("ascii")
        )

    def __repr__(self) -> str:
        return (
            f"SecuredToken(<{len(self.ciphertext)} bytes of ciphertext>, "
            f"<{len(self.iv)} bytes of IV>)"
        )


class _Checked:
    """A model class whose constructor checks every field (see `_check`)."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        _check(self)


class Record(_Checked):
    """What every kind of record is: a file's front matter as fields, and a body.

    ``body`` is the text after the closing ``---`` line, exactly as in the file;
    ``extra`` holds the keys its kind does not know, in file order. `Article`
    (news) and the classes of the other kinds (`newsrecord.Course`, ...) are
    records; `newsrecord.load_record` gives the one a file holds.
    """

    __slots__ = ()

    #: Its class's attrs fields: a record is an attrs instance, for type checkers.
    __attrs_attrs__: ClassVar[Any]
    body: str
    extra: Mapping[str, Any]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its file, when it holds the very values read from it.

        A pickle is then about the size of the file; any other record pickles its
        attributes (and the file's text it holds, if any).
        """
        from ._structure import unchanged_file  # noqa: PLC0415 (reading reads the model)

        data = unchanged_file(self)
        if data is not None:
            return (_from_file, (type(self), data, read_with(self)))
        return (restore, (type(self), self.__getstate__()))  # type: ignore[attr-defined,unused-ignore]


R = TypeVar("R", bound=Record)


@attrs.frozen
class Image(_Checked):
    """An image: ``url`` is an absolute http(s) URL or a root-relative path."""

    url: str
    width: int
    height: int
    is_cached: bool | None = None
    title: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Author(_Checked):
    """An author named by a provider."""

    name: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Publisher(_Checked):
    """A publisher named by a provider."""

    name: str
    domain: str | None = None
    images: tuple[Image, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Provider(_Checked):
    """Who published the article: a name and a domain, maybe logos and people."""

    name: str
    domain: str
    images: tuple[Image, ...] = ()
    authors: tuple[Author, ...] = ()
    publishers: tuple[Publisher, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class RelatedArticle(_Checked):
    """An article listed under ``related``: the same links, less detail."""

    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: str
    provider: Provider
    source_url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    quality: int | None = None
    images: tuple[Image, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Article(Record):
    """One news record: its front matter as typed fields, and its body.

    ``body`` is the text after the closing ``---`` line, exactly as in the file.
    """

    category: Literal["news"]
    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: Literal["article", "video"]
    provider: Provider
    source_url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    quality: int | None = None
    heat: int | None = None
    published: bool | None = None
    featured_content: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[RelatedArticle, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()

    def _links(self) -> tuple[str, ...]:
        links = (
            self.web_url,
            self.source_url,
            self.original_url,
            self.amp_web_url,
            self.amp_url,
            self.cdn_amp_web_url,
            self.cdn_amp_url,
        )
        return tuple(link for link in links if link is not None)

    @property
    def url(self) -> str:
        """The best link the record has: its web page, else its source, else AMP.

        Every Article has one: loading reports a record without links, and building
        one without links raises `ValidationError`.
        """
        return self._links()[0]


#: The attributes that do not come from a key of the front matter.
NOT_FROM_FRONT_MATTER: Final = frozenset({"extra", "body"})


def complete(record: object, **values: object) -> None:
    """Set attributes of a record made a moment ago, before anyone has seen it.

    Finishing a frozen record in place is what attrs itself does in its
    ``__init__``; the readers use it for what the constructor does not take.
    """
    for name, value in values.items():
        object.__setattr__(record, name, value)


def front_matter(model: type[Any]) -> tuple[str, ...]:
    """The attributes of a model that come from keys of the front matter."""
    names = _FRONT_MATTER.get(model)
    if names is None:
        names = tuple(
            field.name
            for field in attrs.fields(model)
            if field.name not in NOT_FROM_FRONT_MATTER
        )
        _FRONT_MATTER[model] = names
        _VALUES[model] = operator.attrgetter(*names)
    return names


def _values(record: Any) -> tuple[object, ...]:
    """A record's values of its `front_matter` attributes, taken in one call."""
    model = type(record)
    if model not in _VALUES:
        front_matter(model)
    values: tuple[object, ...] = _VALUES[model](record)
    return values


_FRONT_MATTER: Final[dict[type[Any], tuple[str, ...]]] = {}
#: An `operator.attrgetter` of each model's `front_matter` (two at least).
_VALUES: Final[dict[type[Any], Any]] = {}


def _from_file(model: type[Any], data: bytes, limits: Limits | None = None) -> Any:
    """The record of a file's UTF-8 text, as an unpickled record is made again.

    ``limits`` are those the text was read within, if known.
    """
    from ._structure import record_of_file  # noqa: PLC0415 (reading reads the model)

    return record_of_file(data, model, limits)


def restore(model: type[Any], state: Any) -> Any:
    """A record made from its pickled state, as attrs' own pickling does."""
    record = object.__new__(model)
    record.__setstate__(state)
    return record


def source_of(article: Record) -> bytes | None:
    """The file ``article`` was read from, up to its body, in UTF-8 (or ``None``).

    Byte-order mark included; UTF-8 takes less memory than the decoded text, and
    the body is the record's own ``body``. A record made from another with
    `attrs.evolve` keeps it, unless its ``extra`` was replaced.
    """
    extra = article.extra
    if isinstance(extra, ReadOnlyMapping):
        return extra._source  # noqa: SLF001 (its own module)
    return None


def read_with(article: Record) -> Limits | None:
    """The `Limits` the file ``article`` holds was read within (see `source_of`)."""
    extra = article.extra
    if isinstance(extra, ReadOnlyMapping):
        return extra._read_with  # noqa: SLF001 (its own module)
    return None


def with_source(article: Record, data: bytes, limits: Limits) -> None:
    """Make a record just read hold its file (in UTF-8), read within ``limits``.

    It holds the values read too (see `unchanged`).
    """
    values = _values(article)
    extra = ReadOnlyMapping(
        article.extra, source=data, as_read=values, read_with=limits
    )
    complete(article, extra=extra)


def unchanged(article: Record) -> bool:
    """Whether ``article`` holds the very values read from its file.

    Its body aside: that is not in the text it holds.
    """
    extra = article.extra
    if not isinstance(extra, ReadOnlyMapping):
        return False
    values = extra._as_read  # noqa: SLF001 (its own module)
    if values is None:
        return False
    return all(map(_same, _values(article), values))


def _same(value: object, read: object) -> bool:
    """Whether ``value`` is the value ``read``: that very object, or an equal int.

    Identity, since equal values may mean different text (a timestamp in another
    zone); but equal ints are the same number, and a pickle makes each int anew
    (a record sent to another process keeps its other values' identity).
    """
    return value is read or (type(value) is int and type(read) is int and value == read)


def without_source(article: R) -> R:
    """The same record, holding no file's text: written afresh, pickled smaller.

    Not checked again: its values are those of a record made already.
    """
    record: R = restore(type(article), article.__getstate__())
    complete(record, extra=ReadOnlyMapping(article.extra))
    return record
