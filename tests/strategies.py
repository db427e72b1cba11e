"""Hypothesis strategies for the property tests."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import string
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs
from hypothesis import strategies as st

import newsrecord
from newsrecord._spec import LINK_ATTRIBUTES
from records import record

if TYPE_CHECKING:
    from collections.abc import Callable

# --- Articles: every field of every class, odd strings included -------------------
#
# `articles()` builds records from scratch, for `loads(dumps(a)) == a`;
# `styled_texts()` writes them as files in the styles real files have, for
# byte-exact round trips and for edits that must touch only their own lines.

#: Texts YAML would read as something else, or that need quoting to survive.
TRICKY_TEXTS = (
    "",
    " ",
    "true",
    "False",
    "yes",
    "NO",
    "on",
    "null",
    "Null",
    "~",
    "0",
    "-1",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1:30",
    "1e3",
    "1.5e+3",
    ".5",
    ".inf",
    "-.INF",
    ".nan",
    "2019-12-23",
    "2019-12-23T00:00:00Z",
    "2019-13-45",
    "=",
    "<<",
    "-",
    "- item",
    "-x",
    "?",
    "? key",
    ":",
    ":x",
    "a: b",
    "a:",
    "a #b",
    "a#b",
    "#comment",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%YAML",
    "@at",
    "`tick",
    "[a, b]",
    "{a: b}",
    "'single'",
    '"double"',
    'say "hi"',
    "back\\slash",
    "C:\\path\\",
    "tab\there",
    "line\nbreak",
    "cr\rlf",
    "\x00\x01\x1b\x7f",
    "\x85nel\u2028ls\u2029ps",
    "\ufeffbom",
    " leading",
    "trailing ",
    "  both  ",
    "Dave's Tech Tips",
    "Broken Arrow, OK",
    "Zürich – café ☕ 東京 🎉",  # noqa: RUF001 (the dash is the point)
    "---",
    "--- x",
    "...",
    "... x",
)


@functools.cache
def odd_texts() -> st.SearchStrategy[str]:
    """Any text, leaning towards what is hard to write back exactly."""
    return st.one_of(
        st.sampled_from(TRICKY_TEXTS),
        st.text(max_size=40),
        st.builds(
            "".join,
            st.lists(st.sampled_from(TRICKY_TEXTS) | st.text(max_size=5), max_size=4),
        ),
        st.integers(1000, 9000).map(_long_text),
    )


def _long_text(size: int) -> str:
    """A text longer than any line YAML writers would fold."""
    return ("long text: " * (size // 11 + 1))[:size]


_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
_URL_CHARS = st.characters(
    blacklist_characters=" \t\n\r\f\v", blacklist_categories=_SURROGATES
)


@functools.cache
def urls() -> st.SearchStrategy[str]:
    """Absolute http(s) URLs, with odd but valid characters in the path."""
    hosts = st.text(
        alphabet=st.characters(
            blacklist_characters=" \t\n\r\f\v/?#", blacklist_categories=_SURROGATES
        ),
        min_size=1,
        max_size=20,
    )
    tails = st.one_of(
        st.just(""),
        st.builds(
            "".join, st.tuples(st.sampled_from("/?#"), st.text(_URL_CHARS, max_size=40))
        ),
        st.sampled_from(["/a:b", "/a#b", "/a:", "/#", '/"q"', "/\\x", "/%20", "/é"]),
        st.integers(500, 3000).map(lambda size: "/" + "p" * size),
    )
    return st.builds(
        "{}://{}{}".format, st.sampled_from(["http", "https"]), hosts, tails
    )


@functools.cache
def image_urls() -> st.SearchStrategy[str]:
    """Image URLs: absolute, or a path from the site's root (``//`` inside allowed)."""
    paths = st.builds(
        "/{}".format,
        st.text(_URL_CHARS, max_size=40).filter(lambda text: not text.startswith("/")),
    )
    return urls() | paths | st.just("/assets/images//organizations/x-50x50.jpg")


_INT32 = st.integers(-(2**31), 2**31 - 1)
_SIZES = st.integers(0, 2**31 - 1)


@functools.cache
def timestamps() -> st.SearchStrategy[dt.datetime]:
    """Aware datetimes: UTC or any whole-minute offset, with or without fractions."""
    offsets = st.one_of(
        st.just(dt.UTC),
        st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
            lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
        ),
    )
    return st.datetimes(
        min_value=dt.datetime(1000, 1, 2),  # noqa: DTZ001 (bounds are naive)
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=offsets,
    )


@functools.cache
def tokens() -> st.SearchStrategy[newsrecord.SecuredToken]:
    """Well-formed ``secured`` tokens of the sizes real files have, and others."""
    return st.builds(
        newsrecord.SecuredToken,
        st.integers(1, 30).flatmap(
            lambda n: st.binary(min_size=16 * n, max_size=16 * n)
        ),
        st.binary(min_size=16, max_size=16),
    )


@functools.cache
def _extra_scalars() -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        odd_texts(),
        st.dates(min_value=dt.date(1000, 1, 1)),
        st.datetimes(min_value=dt.datetime(1000, 1, 2)),  # noqa: DTZ001 (naive ones too)
        timestamps(),
        st.binary(max_size=20),
    )


@functools.cache
def _extra_values() -> st.SearchStrategy[object]:
    return st.recursive(
        _extra_scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(odd_texts(), children, max_size=3).map(MappingProxyType),
        ),
        max_leaves=6,
    )


def extras(model: type[Any]) -> st.SearchStrategy[MappingProxyType[str, object]]:
    """Unknown keys for a record of ``model``: any key it does not know, any value."""
    strategy = _EXTRAS.get(model)
    if strategy is None:
        known = {_file_key(field.name) for field in attrs.fields(model)}
        keys = odd_texts().filter(lambda key: key not in known)
        strategy = st.dictionaries(keys, _extra_values(), max_size=2).map(
            MappingProxyType
        )
        _EXTRAS[model] = strategy
    return strategy


_EXTRAS: dict[type[Any], st.SearchStrategy[MappingProxyType[str, object]]] = {}


def _file_key(attribute: str) -> str:
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _tuples(strategy: st.SearchStrategy[Any], size: int) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=size).map(tuple)


@functools.cache
def images(*, with_extra: bool = True) -> st.SearchStrategy[newsrecord.Image]:
    """Images with every optional field, sometimes."""
    return st.builds(
        newsrecord.Image,
        url=image_urls(),
        width=_SIZES,
        height=_SIZES,
        is_cached=_maybe(st.booleans()),
        title=_maybe(odd_texts()),
        extra=extras(newsrecord.Image) if with_extra else st.just(MappingProxyType({})),
    )


@functools.cache
def providers(*, with_extra: bool = True) -> st.SearchStrategy[newsrecord.Provider]:
    """Providers with logos, authors and publishers, sometimes."""

    def extra(model: type[Any]) -> st.SearchStrategy[Any]:
        return extras(model) if with_extra else st.just(MappingProxyType({}))

    return st.builds(
        newsrecord.Provider,
        name=odd_texts(),
        domain=odd_texts(),
        images=_tuples(images(with_extra=with_extra), 2),
        authors=_tuples(
            st.builds(
                newsrecord.Author, name=odd_texts(), extra=extra(newsrecord.Author)
            ),
            2,
        ),
        publishers=_tuples(
            st.builds(
                newsrecord.Publisher,
                name=odd_texts(),
                domain=_maybe(odd_texts()),
                extra=extra(newsrecord.Publisher),
            ),
            2,
        ),
        extra=extra(newsrecord.Provider),
    )


@st.composite
def _links(draw: st.DrawFn, *, required: bool) -> dict[str, Any]:
    chosen = draw(_link_sets(required=required))
    return {name: draw(urls()) if name in chosen else None for name in LINK_ATTRIBUTES}


@functools.cache
def _link_sets(*, required: bool) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(
        st.sampled_from(LINK_ATTRIBUTES), min_size=1 if required else 0, max_size=7
    )


@st.composite
def related_articles(
    draw: st.DrawFn, *, with_extra: bool = True
) -> newsrecord.RelatedArticle:
    """Related articles with any of the links."""
    return newsrecord.RelatedArticle(
        title=draw(odd_texts()),
        excerpt=draw(odd_texts()),
        published_date_time=draw(timestamps()),
        type=draw(odd_texts()),
        provider=draw(providers(with_extra=with_extra)),
        quality=draw(_maybe(_INT32)),
        images=draw(_tuples(images(with_extra=with_extra), 2)),
        extra=draw(
            extras(newsrecord.RelatedArticle)
            if with_extra
            else st.just(MappingProxyType({}))
        ),
        **draw(_links(required=False)),
    )


@st.composite
def articles(draw: st.DrawFn, *, with_extra: bool = True) -> newsrecord.Article:
    """News records built from scratch, reaching every field of every class."""
    return newsrecord.Article(
        category="news",
        title=draw(odd_texts()),
        excerpt=draw(odd_texts()),
        published_date_time=draw(timestamps()),
        type=draw(st.sampled_from(["article", "video"])),
        provider=draw(providers(with_extra=with_extra)),
        quality=draw(_maybe(_INT32)),
        heat=draw(_maybe(_INT32)),
        published=draw(_maybe(st.booleans())),
        featured_content=draw(_maybe(odd_texts())),
        topics=draw(_tuples(odd_texts(), 3)),
        images=draw(_tuples(images(with_extra=with_extra), 2)),
        related=draw(_tuples(related_articles(with_extra=with_extra), 2)),
        secured=draw(_maybe(tokens())),
        body=draw(st.one_of(st.just(""), st.just("\n"), st.text(max_size=60))),
        extra=draw(
            extras(newsrecord.Article) if with_extra else st.just(MappingProxyType({}))
        ),
        **draw(_links(required=True)),
    )


# --- Files in the styles real records have ----------------------------------------

_URL_LINE = re.compile(
    r"^( *(?:- )?(?:sourceUrl|ampUrl|cdnAmpUrl|originalUrl|webUrl|ampWebUrl"
    r"|cdnAmpWebUrl|url): )([^\"].*)$"
)


@attrs.frozen
class Style:
    """How a generated file is laid out; `styled_text` applies it."""

    crlf: bool = False
    bom: bool = False
    quoted_urls: bool = False
    no_final_newline: bool = False
    #: (line index in the front matter, text of the inserted line)
    insertions: tuple[tuple[int, str], ...] = ()
    #: indexes of front-matter lines that get a trailing comment
    comments: tuple[int, ...] = ()


def styled_text(article: newsrecord.Article, style: Style) -> str:
    """``article`` written by `newsrecord.dumps`, then laid out in ``style``."""
    text = newsrecord.dumps(article)
    head, _, rest = text[4:].partition("\n---\n")
    lines = head.split("\n")
    if style.quoted_urls:
        lines = [_quote_url(line) for line in lines]
    for index in style.comments:
        if index < len(lines) and not lines[index].endswith(" "):
            lines[index] += "  # note"
    for index, inserted in sorted(style.insertions, reverse=True):
        lines.insert(min(index, len(lines)), inserted)
    text = "---\n" + "\n".join(lines) + "\n---\n" + rest
    if style.no_final_newline and not rest:
        text = text[:-1]
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return "\ufeff" + text if style.bom else text


def _quote_url(line: str) -> str:
    match = _URL_LINE.match(line)
    if match is None:
        return line
    return match.group(1) + json.dumps(match.group(2), ensure_ascii=False)


_INSERTED_LINES = st.sampled_from(
    ["", "  ", "    ", "# a comment", "#", "  # indented"]
)


def styles() -> st.SearchStrategy[Style]:
    """Layouts real files have: CRLF, BOM, quoted URLs, comments, odd blank lines."""
    return st.builds(
        Style,
        crlf=st.booleans(),
        bom=st.booleans(),
        quoted_urls=st.booleans(),
        no_final_newline=st.booleans(),
        insertions=_tuples(st.tuples(st.integers(1, 80), _INSERTED_LINES), 4),
        comments=_tuples(st.integers(0, 80), 3),
    )


def styled_texts(
    records: st.SearchStrategy[newsrecord.Article] | None = None,
) -> st.SearchStrategy[str]:
    """Record files in the format's styles, from generated records."""
    source = articles(with_extra=False) if records is None else records
    return st.builds(styled_text, source, styles())


def edits(
    article: newsrecord.Article,
) -> st.SearchStrategy[tuple[str, Callable[[newsrecord.Article], newsrecord.Article]]]:
    """One edit of a record: its name and the function that makes it."""
    del article
    return st.sampled_from(sorted(EDITS.items()))


def _evolve(**changes: Any) -> Callable[[newsrecord.Article], newsrecord.Article]:
    return lambda article: attrs.evolve(article, **changes)


EDITS: dict[str, Callable[[newsrecord.Article], newsrecord.Article]] = {
    "title": _evolve(title='A new title: with "quotes" and a # sign'),
    "excerpt": _evolve(excerpt=""),
    "quality": _evolve(quality=7),
    "no heat": _evolve(heat=None),
    "no published": _evolve(published=None),
    "featured content": _evolve(featured_content='<iframe src="x"></iframe>'),
    "no featured content": _evolve(featured_content=None),
    "no topics": _evolve(topics=()),
    "one topic": _evolve(topics=("Only",)),
    "no secured": _evolve(secured=None),
    "no images": _evolve(images=()),
    "no related": _evolve(related=()),
    "web url": _evolve(web_url="https://example.com/new"),
    "body": _evolve(body="<p>new body</p>\n"),
}


# --- the core: plain scalars -------------------------------------------------------

#: Characters that make up YAML 1.1's ints, floats, bools, nulls and timestamps.
_SCALAR_ALPHABET = "0123456789+-._: xXbBoOeEtTzZnNyYaAfFlLsSuU~=<٢²"

#: Spellings that YAML 1.1 gives a meaning to, to mix with random text.
_SCALAR_SEEDS = (
    "yes", "No", "ON", "off", "true", "False", "null", "~", "NULL",
    "0", "-0", "+12", "0b101", "0x1F", "017", "1_000", "190:20:30", "0b_", "0x_",
    "1.5", "-.5", ".inf", "-.INF", ".NaN", "1e5", "1.0e+5", "6.8523015e+5",
    "2019-12-23", "2019-12-23T00:00:00Z", "2019-1-2 3:04:05.678 -5",
    "2019-12-23t00:00:00.1+01:00", "2019-02-30", "2019-12-23T00:00:00+25:00",
    "=", "<<", "١٢", "²",
)  # fmt: skip


def plain_scalars() -> st.SearchStrategy[str]:
    """Text that may be a plain scalar YAML 1.1 reads as something else than text."""
    return st.one_of(
        st.sampled_from(_SCALAR_SEEDS),
        st.text(st.sampled_from(_SCALAR_ALPHABET), min_size=1, max_size=12),
        st.builds(
            str.__add__,
            st.sampled_from(_SCALAR_SEEDS),
            st.text(st.sampled_from(_SCALAR_ALPHABET), max_size=3),
        ),
    )


#: YAML 1.1's number forms, as templates of one size ``{n}``: base 60, exponents,
#: the other bases, underscores, infinities; each spelled as PyYAML's resolver
#: takes it, to be made small or huge.
NUMBER_FORMS: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("base-60-float", lambda n: "1" + ":0" * n + ".0"),
    ("base-60-float-negative", lambda n: "-59" + ":59" * n + ".5"),
    ("base-60-int", lambda n: "1" + ":00" * n),
    ("base-60-int-long-first-part", lambda n: "9" * n + ":00:00"),
    ("exponent", lambda n: "1.0e+" + "9" * n),
    ("exponent-negative", lambda n: "-1.5e-" + "9" * n),
    ("fraction", lambda n: "0." + "1" * n),
    ("decimal", lambda n: "9" * n),
    ("decimal-negative", lambda n: "-" + "1" * n),
    ("hexadecimal", lambda n: "0x" + "f" * n),
    ("binary", lambda n: "-0b" + "1" * n),
    ("octal", lambda n: "0" + "7" * n),
    ("underscores", lambda n: "1" + "_" * n + "0"),
    ("underscores-hexadecimal", lambda n: "0x" + "_" * n + "1"),
    ("infinity", lambda n: ("-.inf", ".Inf", "+.INF")[n % 3]),
    ("not-a-number", lambda n: (".nan", ".NaN", ".NAN")[n % 3]),
)


@st.composite
def number_forms(draw: st.DrawFn, *, max_size: int = 20_000) -> str:
    """A YAML 1.1 number form (see `NUMBER_FORMS`), from tiny to ``max_size``."""
    _, form = draw(st.sampled_from(NUMBER_FORMS))
    size = draw(st.one_of(st.integers(1, 400), st.integers(1, max_size)))
    return form(size)


# --- the core: text to fuzz the reader with -----------------------------------------

_VALID = Path(__file__).parent / "data" / "valid"

#: Valid records to mutate: the small record of the tests and every valid fixture.
SEEDS: tuple[str, ...] = (
    record(),
    *(path.read_bytes().decode("utf-8") for path in sorted(_VALID.glob("*.md"))),
)

#: What a mutation inserts: YAML's structural characters, line breaks of all kinds,
#: characters YAML refuses, a BOM, a lone surrogate, and some plain text.
_INSERTED = (
    *":-[]{}#&*!|>'\"%@`,?= \t\n\r",
    "\r\n", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ud800", "é", "😀",
    "---", "---\n", "  ", "- ", ": ", "<<: ", "!!int ", "!x ", "&a ", "*a", "~",
    "0x", "1_", "2019-13-45", "true", "null", "\\", "\\u", '"\\q"',
)  # fmt: skip


@st.composite
def mutated_records(draw: st.DrawFn) -> str:
    """A valid record with a few lines deleted, repeated, swapped or added to."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "insert"]))
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            at = draw(st.integers(0, len(lines[index])))
            added = "".join(
                draw(st.lists(st.sampled_from(_INSERTED), min_size=1, max_size=3))
            )
            lines[index] = lines[index][:at] + added + lines[index][at:]
    return "".join(lines)


def any_text() -> st.SearchStrategy[str]:
    """Any text at all, lone surrogates and control characters included."""
    return st.text(st.characters(codec=None, exclude_categories=()))


def framed_text() -> st.SearchStrategy[str]:
    """Any text, as front matter between two delimiter lines."""
    return any_text().map(lambda text: f"---\n{text}\n---\n")


# --- the fast reader: front-matter documents inside and at the edges of its subset -
#
# `front_matter(edges=False)` writes YAML the fast reader must read itself: block
# mappings and lists indented by two spaces (or any other fixed step), plain and
# one-line double-quoted scalars of every kind, empty values, comments, blank and
# whitespace-only lines, LF or CRLF. `front_matter(edges=True)` also writes what it
# must leave to the general reader (or get exactly right if it reads it): odd keys
# and values, other YAML, odd indentation, and text-level damage.

_KEY_FIRST = string.ascii_letters + "_"
_KEY_REST = string.ascii_letters + string.digits + "_-"
#: Keys YAML 1.1 reads as something else than text, or that are not plain words.
_ODD_KEYS = (
    "yes", "No", "ON", "off", "true", "null", "Null", "~", "1", "-1", "0x1F", "1.5",
    ".inf", "2019-12-23", "<<", "=", "a b", "a:b", "a#b", "-a", "é", "日本",
    '"quoted"', "'single'", "? a", "[a]", "{a: 1}", "&a key", "*a", "!!str key",
    "k" * 129, "%YAML", "...", "a\tb", "key ",
)  # fmt: skip

#: Characters for plain scalars: words, URL and date punctuation, non-ASCII text.
_PLAIN_ALPHABET = (
    string.ascii_letters + string.digits + " .,;/?=&%+-_~$()!'\"@*|<>[]{}:#`"
    + "éüßñçÅ日本語한국어Ωπ€£\u201c\u201d\u2018\u2019…\u2014\u2013😀\xa0"
)  # fmt: skip
_PLAIN_SEEDS = (
    "https://www.example.com/news/2019/12/23/a-b-c?x=1&y=2#top",
    "http://example.org/a//b/c.JPG?w=600",
    "/assets/images/organizations/example.com-50x50.jpg",
    "Dave's Tech Tips", "Broken Arrow, OK", "Santa Rosa Press Democrat", "AI",
    "a#b", "a:b", "x: y", "x:", "a #b", "-x", "-", "- x", "?x", ":x", "...", "---",
    "$61.03", "Free+", "PT13M34S", "@user", "%x", "`x`", "|", ">", "&a x", "*a",
    "!tag x", "'single'", "[a, b]", "{a: 1}", "2019-12-23T00:00:00Z",
    "2019-12-22T12:55:00Z", "2019-12-08T08:00:00-08:00", "-2147483648", "27",
)  # fmt: skip
#: Characters for double-quoted scalars (escaped when written, where needed).
_QUOTED_ALPHABET = _PLAIN_ALPHABET + '\\"\t\n\r\x00\x07\x1b\x7f\x85\u2028\ufeff'
#: Escapes YAML knows, with the characters they stand for.
_ESCAPES = {
    "\\\\": "\\", '\\"': '"', "\\/": "/", "\\n": "\n", "\\r": "\r", "\\t": "\t",
    "\\0": "\0", "\\a": "\a", "\\b": "\b", "\\v": "\v", "\\f": "\f", "\\e": "\x1b",
    "\\ ": " ", "\\N": "\x85", "\\_": "\xa0", "\\L": "\u2028", "\\P": "\u2029",
    "\\x41": "A", "\\u00e9": "é", "\\U0001F600": "😀",
}  # fmt: skip
#: Escapes YAML refuses, and other ways to break a double-quoted scalar.
_BAD_QUOTED = (
    '"\\q"', '"\\ud800"', '"\\U00110000"', '"\\x4"', '"open', '"a" b', '"a"b',
    '"a"#c', '"a" #c', '"a"  # c', '"\\"', '"a\\',
)  # fmt: skip
#: Other YAML for a value: what the format never uses.
_OTHER_VALUES = (
    "'it''s'", "''", "[a, b]", "[]", "{a: 1, b: [2]}", "{}", "&anchor value",
    "*anchor", "!!str 27", "!!int 27", "!!binary aGVsbG8=", "! x", "!!float 1",
    "|", "|-", ">", ">+", "? x",
)  # fmt: skip
#: Single characters that make trouble anywhere in a line.
_DAMAGE = "\t\r\x00\x7f\x85\u2028\u2029\ufeff\xa0#:-\"' {}[]&*!|>%@`?,"


def plain_texts(*, edges: bool) -> st.SearchStrategy[str]:
    """Plain scalars: words, URLs, dates and YAML 1.1's other spellings."""
    texts = st.one_of(
        plain_scalars(),
        st.sampled_from(_PLAIN_SEEDS),
        st.text(st.sampled_from(_PLAIN_ALPHABET), min_size=1, max_size=30),
    )
    inside = texts.filter(_in_subset)
    if edges:
        return st.one_of(inside, texts)
    return inside


def _in_subset(text: str) -> bool:
    """Whether a plain scalar is one the fast reader reads on one line."""
    return bool(
        text
        and text[0] not in "?:,[]{}#&*!|>'\"%@` "
        and not (text[0] == "-" and text[1:2] in {"", " "})
        and ": " not in text
        and " #" not in text
        and text[-1] not in ": "
    )


def quoted_texts(*, edges: bool) -> st.SearchStrategy[str]:
    """Double-quoted scalars, escaped as the format does or in any way YAML allows."""
    alphabet = _QUOTED_ALPHABET if edges else _QUOTED_ALPHABET.replace("\t", "")
    pieces = st.lists(
        st.one_of(
            st.text(st.sampled_from(alphabet), min_size=1, max_size=8).map(_escaped),
            st.sampled_from(sorted(_ESCAPES)),
        ),
        max_size=6,
    )
    quoted = pieces.map(lambda parts: '"' + "".join(parts) + '"')
    if edges:
        return st.one_of(quoted, quoted, quoted, st.sampled_from(_BAD_QUOTED))
    return quoted


def _escaped(text: str) -> str:
    """``text`` as the inside of a double-quoted scalar on one line."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\n\r\t\0":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}[char])
        elif not char.isprintable() and char != "\xa0":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def scalars(*, edges: bool) -> st.SearchStrategy[str]:
    """A scalar value as written after ``key: `` or ``- ``."""
    choices = [plain_texts(edges=edges), quoted_texts(edges=edges)]
    if edges:
        choices.extend(choices)
        choices.append(st.sampled_from(_OTHER_VALUES))
    return st.one_of(*choices)


def keys(*, edges: bool) -> st.SearchStrategy[str]:
    """Mapping keys: words of letters, digits, ``_`` and ``-``, and odd ones."""
    words = st.builds(
        str.__add__,
        st.sampled_from(_KEY_FIRST),
        st.text(st.sampled_from(_KEY_REST), max_size=12),
    ).filter(lambda key: key not in _NOT_TEXT)
    if edges:
        return st.one_of(words, words, words, words, words, st.sampled_from(_ODD_KEYS))
    return words


_NOT_TEXT = frozenset(
    ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
     "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"]
)  # fmt: skip


#: How deep collections nest: real records nest four levels, counting the root.
_DEPTH = 3


class _Writer:
    """Writes a random front matter line by line, drawing every choice."""

    def __init__(self, draw: st.DrawFn, *, edges: bool) -> None:
        self.draw = draw
        # How often, in a hundred choices, to step out of the subset.
        self.rate = draw(st.integers(0, 30)) if edges else 0
        self.step = draw(st.sampled_from([2, 2, 2, 1, 3, 4]))
        self.lines: list[str] = []

    @property
    def edges(self) -> bool:
        """Whether to step out of the subset this time."""
        return self.choose(self.rate)

    def choose(self, percent: int) -> bool:
        """Yes, ``percent`` times in a hundred (no, when shrunk)."""
        return self.draw(st.integers(0, 99)) >= 100 - percent

    def line(self, text: str) -> None:
        """Add a line, maybe after blank, whitespace-only or comment lines."""
        while self.choose(15):
            spaces = " " * self.draw(st.integers(0, 6))
            self.lines.append(
                self.draw(st.sampled_from([spaces, spaces + "# a comment: - x"]))
            )
        if self.choose(5):
            text += " " * self.draw(st.integers(1, 3))
        self.lines.append(text)

    def after(self) -> str:
        """What may follow a key's colon or a dash when the value comes below."""
        return self.draw(st.sampled_from(["", "", "", " ", " # comment"]))

    def mapping(self, column: int, depth: int, first_prefix: str | None) -> None:
        """A block mapping at ``column``; its first line may start with a dash."""
        names = self.draw(
            st.lists(keys(edges=self.edges), min_size=1, max_size=4, unique=True)
        )
        if self.edges and self.choose(5):
            names.append(names[0])  # a duplicate key
        for index, name in enumerate(names):
            prefix = first_prefix if index == 0 and first_prefix else " " * column
            self.entry(prefix + name + ":", column, depth)

    def entry(self, head: str, column: int, depth: int) -> None:
        """A value after ``head`` (``key:`` or ``-``), inline or in the lines below."""
        kind = self.draw(
            st.sampled_from(["scalar"] * 5 + ["empty", "mapping", "list"])
            if depth < _DEPTH
            else st.sampled_from(["scalar", "empty"])
        )
        if kind == "scalar":
            space = " " * (self.draw(st.integers(1, 3)) if self.edges else 1)
            comment = " # note" if self.choose(10) else ""
            self.line(head + space + self.draw(scalars(edges=self.edges)) + comment)
            if self.edges and self.choose(3):  # a second line for the scalar
                self.line(" " * (column + self.step) + "more")
        elif kind == "empty":
            self.line(head + self.after())
        elif kind == "mapping":
            self.line(head + self.after())
            self.mapping(column + self.step, depth + 1, None)
        else:
            self.line(head + self.after())
            at_key = head.lstrip(" ")[0] != "-" and self.edges and self.choose(20)
            self.sequence(column if at_key else column + self.step, depth + 1)

    def sequence(self, column: int, depth: int) -> None:
        """A block list at ``column``: scalars, mappings, lists or nothing."""
        for _ in range(self.draw(st.integers(1, 3))):
            dash = " " * column + "-"
            kind = self.draw(st.sampled_from(["entry", "entry", "mapping"]))
            if kind == "mapping" and depth < _DEPTH:
                gap = self.draw(st.integers(1, 3)) if self.edges else 1
                prefix = dash + " " * gap
                self.mapping(len(prefix), depth + 1, prefix)
            else:
                self.entry(dash, column, depth)

    def damage(self, text: str) -> str:
        """``text`` (ending with a line break) with one character or line changed."""
        how = self.draw(st.sampled_from(["char", "indent", "line", "ending"]))
        lines = text[:-1].split("\n")
        at = self.draw(st.integers(0, len(lines) - 1))
        if how == "char":
            line = lines[at]
            place = self.draw(st.integers(0, len(line)))
            char = self.draw(st.sampled_from(_DAMAGE))
            lines[at] = line[:place] + char + line[place:]
        elif how == "indent":
            lines[at] = " " * self.draw(st.integers(1, 3)) + lines[at]
        elif how == "line":
            lines.insert(at, self.draw(st.sampled_from(_ODD_LINES)))
        else:
            return text.replace("\n", "\r\n", 1)
        return "\n".join(lines) + "\n"


_ODD_LINES = (
    "...", "%YAML 1.1", "--- x", "? complex", ": value", "- item", "key: value",
    "  key: value", "\tkey: value", "key:\tvalue", "# comment", "", "   ", "&a x: 1",
)  # fmt: skip


@st.composite
def front_matter(draw: st.DrawFn, *, edges: bool = False) -> str:
    """The YAML between a record's delimiters, with its final line break.

    With ``edges``, also the YAML around the fast reader's subset (see above).
    """
    writer = _Writer(draw, edges=edges)
    writer.mapping(0, 0, None)
    text = "\n".join(writer.lines) + "\n"
    if writer.choose(writer.rate):
        text = writer.damage(text)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


# --- records of every kind, from the field tables ------------------------------------


def _rule_values(field: Any) -> st.SearchStrategy[Any]:
    """Valid values of one entry of a field table, by its rule."""
    from newsrecord._hooks import choices  # noqa: PLC0415 (the tables, in one place)
    from newsrecord._spec import Rule  # noqa: PLC0415

    rule = field.rule
    if rule is Rule.RECORD:
        return records_of(field.model)
    if rule is Rule.RECORDS:
        return _tuples(records_of(field.model), 2)
    if rule is Rule.CHOICE:
        return st.sampled_from(choices(field.type))
    simple: dict[Any, st.SearchStrategy[Any]] = {
        Rule.TEXT: odd_texts(),
        Rule.LINK: urls(),
        Rule.IMAGE_LINK: image_urls(),
        Rule.INT32: _INT32,
        Rule.SIZE: _SIZES,
        Rule.NUMBER: _INT32 | st.floats(allow_nan=False, allow_infinity=False),
        Rule.BOOL: st.booleans(),
        Rule.TIMESTAMP: timestamps(),
        Rule.TOKEN: tokens(),
        Rule.TEXTS: _tuples(odd_texts(), 3),
    }
    return simple[rule]


def records_of(model: type[Any]) -> st.SearchStrategy[Any]:
    """Valid records of ``model`` (a kind or a part), every field from its table.

    Required fields always; the others sometimes; unknown keys sometimes.
    """
    strategy = _RECORDS.get(model)
    if strategy is None:
        strategy = st.deferred(lambda: _records_of(model))
        _RECORDS[model] = strategy
    return strategy


_RECORDS: dict[type[Any], st.SearchStrategy[Any]] = {}


@st.composite
def _records_of(draw: st.DrawFn, model: type[Any]) -> Any:
    from newsrecord._spec import TABLES  # noqa: PLC0415

    table = TABLES[model]
    values: dict[str, Any] = {}
    for field in table.fields:
        if field.required or draw(st.booleans()):
            values[field.attribute] = draw(_rule_values(field))
    if table.needs_one_of and not any(
        table.field(key).attribute in values for key in table.needs_one_of
    ):
        link = table.field(draw(st.sampled_from(table.needs_one_of)))
        values[link.attribute] = draw(urls())
    values["extra"] = draw(extras(model))
    if "body" in attrs.fields_dict(model):
        values["body"] = draw(st.text(max_size=30))
    return model(**values)


# --- Records of some size and shape, and limits around them -----------------------


@st.composite
def shaped_texts(draw: st.DrawFn) -> str:
    """A valid record's text of some size, depth and number of values."""
    depth = draw(st.integers(0, 6))
    items = draw(st.integers(1, 40))
    nested = "".join(f"{'  ' * level}level{level}:\n" for level in range(depth))
    add = f"{nested}{'  ' * depth}leaf: x\nmany:\n" + "  - x\n" * items
    title = "Title " + "t" * draw(st.integers(0, 400))
    body = "Body.\n" * draw(st.integers(0, 100))
    return record({"title": f"title: {title}"}, add=add) + body


@st.composite
def limits_around(draw: st.DrawFn, text: str) -> newsrecord.Limits:
    """`Limits` that ``text`` may be within or beyond, bound by bound."""
    size = len(text.encode("utf-8"))
    front_matter = text.index("\n---", 3) - 4
    return newsrecord.Limits(
        max_file_size=draw(st.integers(max(1, size - 300), size + 300)),
        max_front_matter_size=draw(
            st.integers(max(1, front_matter - 300), front_matter + 300)
        ),
        max_depth=draw(st.integers(2, 12)),
        max_values=draw(st.integers(20, 120)),
    )
