"""The typed news record: frozen, slotted attrs classes.

Attribute names are the snake_case of the file's keys, by one rule with no
exceptions (`file_key` gives the key back): ``publishedDateTime`` is
``published_date_time``, ``cdnAmpUrl`` is ``cdn_amp_url``, ``isCached`` is
``is_cached``. A key a record lacks is ``None``, or ``()`` for lists. Keys the model
does not know are kept in ``extra``, in file order, so nothing is ever dropped.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt  # noqa: TC003 (attrs and cattrs read the annotations at runtime)
from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from ._tree import Document  # noqa: TC001 (cattrs resolves the annotations)


class ReadOnlyMapping(Mapping[str, Any]):
    """A mapping that cannot be changed, and that pickles and deep-copies.

    ``extra`` holds one (so do the mappings inside it); `types.MappingProxyType`
    would do, but a record holding one could not be pickled, so could not be sent
    to or from another process.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._items: dict[str, Any] = dict(items or {})

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        """Its items, with what a ``secured`` key holds hidden (see `masked`)."""
        return f"{type(self).__name__}({masked(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._items,))


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


def file_key(attribute: str) -> str:
    """The file's key for an attribute name: ``cdn_amp_url`` -> ``cdnAmpUrl``."""
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _extra() -> Any:
    return attrs.field(default=EMPTY, hash=False, kw_only=True, repr=_extra_repr)


def _link() -> Any:
    return attrs.field(default=None, metadata={FORMAT: "url"})


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
        16 bytes, the ciphertext non-empty and a multiple of 16 bytes.
        """
        halves = text.split(";")
        if len(halves) != 2:
            msg = (
                f"must be two base64 parts joined by ';' "
                f"(found {len(halves)} part(s) in {len(text)} characters)"
            )
            raise ValueError(msg)
        ciphertext = _decode_base64(halves[0], "ciphertext")
        iv = _decode_base64(halves[1], "IV")
        if len(iv) != _IV_SIZE:
            msg = f"the IV must be {_IV_SIZE} bytes, not {len(iv)}"
            raise ValueError(msg)
        if not ciphertext or len(ciphertext) % _BLOCK_SIZE:
            msg = (
                f"the ciphertext must be a non-empty multiple of {_BLOCK_SIZE} "
                f"bytes, not {len(ciphertext)}"
            )
            raise ValueError(msg)
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


_IV_SIZE: Final = 16
_BLOCK_SIZE: Final = 16


def _decode_base64(text: str, what: str) -> bytes:
    # binascii itself, as base64.b64decode(text, validate=True) calls it.
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as exc:  # their messages show no data
        msg = f"the {what} ({len(text)} characters) is not standard base64"
        raise ValueError(msg) from exc
    if binascii.b2a_base64(data, newline=False) != text.encode("ascii"):
        msg = f"the {what} ({len(text)} characters) is not canonically padded base64"
        raise ValueError(msg)
    return data


@attrs.frozen
class Image:
    """An image: ``url`` is an absolute http(s) URL or a root-relative path."""

    url: str = attrs.field(metadata={FORMAT: "image-url"})
    width: int = attrs.field(metadata={FORMAT: "size"})
    height: int = attrs.field(metadata={FORMAT: "size"})
    is_cached: bool | None = None
    title: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Author:
    """An author named by a provider."""

    name: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Publisher:
    """A publisher named by a provider."""

    name: str
    domain: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Provider:
    """Who published the article: a name and a domain, maybe logos and people."""

    name: str
    domain: str
    images: tuple[Image, ...] = ()
    authors: tuple[Author, ...] = ()
    publishers: tuple[Publisher, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class RelatedArticle:
    """An article listed under ``related``: the same links, less detail."""

    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: str
    provider: Provider
    source_url: str | None = _link()
    amp_url: str | None = _link()
    cdn_amp_url: str | None = _link()
    original_url: str | None = _link()
    web_url: str | None = _link()
    amp_web_url: str | None = _link()
    cdn_amp_web_url: str | None = _link()
    quality: int | None = None
    images: tuple[Image, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Article:
    """One news record: its front matter as typed fields, and its body.

    ``body`` is the text after the closing ``---`` line, exactly as in the file.
    """

    category: Literal["news"]
    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: Literal["article", "video"]
    provider: Provider
    source_url: str | None = _link()
    amp_url: str | None = _link()
    cdn_amp_url: str | None = _link()
    original_url: str | None = _link()
    web_url: str | None = _link()
    amp_web_url: str | None = _link()
    cdn_amp_web_url: str | None = _link()
    quality: int | None = None
    heat: int | None = None
    published: bool | None = None
    featured_content: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[RelatedArticle, ...] = ()
    secured: SecuredToken | None = None
    body: str = attrs.field(default="", kw_only=True)
    extra: Mapping[str, Any] = _extra()
    # The text the record was read from, for writing it back exactly; not part of
    # the record's value.
    _source: Document | None = attrs.field(
        default=None, eq=False, hash=False, repr=False, kw_only=True, alias="_source"
    )

    def __attrs_post_init__(self) -> None:
        if (  # _links() == (), without building the tuple: this runs for every load
            self.web_url is None
            and self.source_url is None
            and self.original_url is None
            and self.amp_web_url is None
            and self.amp_url is None
            and self.cdn_amp_web_url is None
            and self.cdn_amp_url is None
        ):
            msg = f"an Article needs at least one link ({', '.join(LINK_KEYS)})"
            raise ValueError(msg)

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
        one without links raises `ValueError`.
        """
        return self._links()[0]


#: The model classes, each read from a mapping of the front matter.
MODELS: Final = (Image, Author, Publisher, Provider, RelatedArticle, Article)
#: The attributes that do not come from a key of the front matter.
NOT_FROM_FRONT_MATTER: Final = frozenset({"extra", "body", "_source"})


def complete(record: object, **values: object) -> None:
    """Set attributes of a record made a moment ago, before anyone has seen it.

    Finishing a frozen record in place is what attrs itself does in its
    ``__init__``; the readers use it for what the constructor does not take.
    """
    for name, value in values.items():
        object.__setattr__(record, name, value)


#: The link attributes, in the order the format writes them; a news record needs one.
LINK_ATTRIBUTES: Final = (
    "source_url",
    "amp_url",
    "cdn_amp_url",
    "original_url",
    "web_url",
    "amp_web_url",
    "cdn_amp_web_url",
)
#: Their keys in a file: ``sourceUrl``, ``ampUrl``, ...
LINK_KEYS: Final = tuple(file_key(attribute) for attribute in LINK_ATTRIBUTES)

#: Values of ``type`` that mark the other kinds of record of the same family.
OTHER_KINDS: Final = frozenset(
    {
        "download",
        "course",
        "collection",
        "book",
        "answer",
        "conference",
        "forum",
        "profile",
    }
)
