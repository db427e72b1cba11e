"""Writing: an `Article` back to the text of a record file.

A record read from a file carries its `Document`. It is written by editing that
file's text: what did not change is copied byte for byte (byte-order mark, line
endings, quoting, comments, blank and whitespace-only lines, unknown keys, key
order, the body). A changed scalar is rewritten in place, in the style of the text
it replaces; a changed nested record or list is compared item by item, so one
changed image width rewrites one line; a removed key takes its lines with it (and
its group's blank line when the whole group is gone); an added key goes where the
format's key order puts it, in the style of its neighbours.

A record built from scratch is written in the style of the reference record: the
format's key order, one blank line before each later top-level block, two-space
indentation, `secured` last.

Strings are written plain only where they read back as the same text in any YAML
reader; otherwise double-quoted with JSON-like escapes, non-ASCII raw, never folded.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import math
import re
from collections import abc
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from ._model import (
    LINK_KEYS,
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    RelatedArticle,
    file_key,
)
from ._scalars import float_text, is_text
from ._tree import Mapping, Sequence

if TYPE_CHECKING:
    from ._tree import Document


class Kind(enum.Enum):
    """How the value of a field is written."""

    QUOTED = enum.auto()  #: text, double-quoted in the reference style
    PLAIN = enum.auto()  #: text, plain where it can be
    URL = enum.auto()  #: text, plain or double-quoted by the file's era
    INT = enum.auto()
    BOOL = enum.auto()
    TIME = enum.auto()
    TOKEN = enum.auto()  #: the `secured` token, double-quoted
    RECORD = enum.auto()  #: a nested record (``provider``)
    RECORDS = enum.auto()  #: a list of records (``images``, ``related``)
    STRINGS = enum.auto()  #: a list of plain strings (``topics``)
    EXTRA = enum.auto()  #: where the keys the model does not know go


class Field(NamedTuple):
    """A key of a record as the writer sees it."""

    key: str
    attr: str
    kind: Kind
    model: type[Any] | None = None


#: Where a record's unknown keys (its ``extra``) are written among the others.
EXTRA: Final = Field("", "extra", Kind.EXTRA)

_Spec = tuple[str, Kind] | tuple[str, Kind, type[Any]] | Field


def _fields(model: type[Any], *spec: _Spec) -> tuple[Field, ...]:
    names = {file_key(field.name): field.name for field in attrs.fields(model)}
    result = []
    for item in spec:
        if isinstance(item, Field):
            result.append(item)
            continue
        key, kind, *sub = item
        result.append(Field(key, names[key], kind, sub[0] if sub else None))
    return tuple(result)


_LINKS: Final = tuple((key, Kind.URL) for key in LINK_KEYS)

#: Every key of every record, in the order the format writes them.
FIELDS: Final[dict[type[Any], tuple[Field, ...]]] = {
    Image: _fields(
        Image,
        ("url", Kind.URL),
        ("width", Kind.INT),
        ("height", Kind.INT),
        ("isCached", Kind.BOOL),
        ("title", Kind.QUOTED),
        EXTRA,
    ),
    Author: _fields(Author, ("name", Kind.PLAIN), EXTRA),
    Publisher: _fields(Publisher, ("name", Kind.PLAIN), ("domain", Kind.PLAIN), EXTRA),
    Provider: _fields(
        Provider,
        ("name", Kind.PLAIN),
        ("domain", Kind.PLAIN),
        ("images", Kind.RECORDS, Image),
        ("authors", Kind.RECORDS, Author),
        ("publishers", Kind.RECORDS, Publisher),
        EXTRA,
    ),
    RelatedArticle: _fields(
        RelatedArticle,
        ("title", Kind.QUOTED),
        ("excerpt", Kind.QUOTED),
        ("publishedDateTime", Kind.TIME),
        *_LINKS,
        ("type", Kind.PLAIN),
        ("provider", Kind.RECORD, Provider),
        ("quality", Kind.INT),
        ("images", Kind.RECORDS, Image),
        EXTRA,
    ),
    Article: _fields(
        Article,
        ("category", Kind.PLAIN),
        ("title", Kind.QUOTED),
        ("excerpt", Kind.QUOTED),
        ("publishedDateTime", Kind.TIME),
        *_LINKS,
        ("type", Kind.PLAIN),
        ("quality", Kind.INT),
        ("heat", Kind.INT),
        ("published", Kind.BOOL),
        ("featuredContent", Kind.QUOTED),
        ("provider", Kind.RECORD, Provider),
        ("topics", Kind.STRINGS),
        ("images", Kind.RECORDS, Image),
        ("related", Kind.RECORDS, RelatedArticle),
        EXTRA,
        ("secured", Kind.TOKEN),
    ),
}

#: Top-level keys that open a block of their own, after one blank line.
_GROUPS: Final = frozenset(
    {"featuredContent", "provider", "topics", "images", "related", "secured"}
)


# --- scalars ---------------------------------------------------------------------

# Characters written as escapes inside double quotes: the quote and the backslash,
# control characters, and what YAML does not allow raw or reads as a line break.
_ESCAPED: Final = re.compile(
    '["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]'
)
_NAMED_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# Characters a plain or single-quoted scalar cannot hold as they are.
_NOT_RAW: Final = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
_NOT_PLAIN: Final = re.compile(": |:$| #")
_INDICATORS: Final = frozenset("-?:,[]{}#&*!|>'\"%@`")
# A simple key longer than this (in UTF-8 bytes) is written as an explicit key:
# YAML readers give up on simple keys after 1024 characters.
_LONG_KEY: Final = 1000


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def double_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line."""
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def plain_ok(text: str) -> bool:
    """Whether ``text`` can be written plain and read back as the same text.

    Plain means valid plain YAML in a block (no leading indicator or document
    marker, no ``: `` or `` #``, no leading or trailing space, one line of
    printable characters) that YAML 1.1 reads as a string, not as a bool,
    number, null or timestamp.
    """
    if not text or text[0] == " " or text[-1] == " ":
        return False
    if text.startswith(("---", "...")):  # a document marker, as a key at column 0
        return False
    if text[0] in _INDICATORS and not (
        text[0] == "-" and len(text) > 1 and text[1] != " "
    ):
        return False
    if _NOT_RAW.search(text) or _NOT_PLAIN.search(text):
        return False
    return is_text(text)


def _single_quoted(text: str) -> str | None:
    if _NOT_RAW.search(text.replace("\t", " ")):
        return None
    return "'" + text.replace("'", "''") + "'"


def _string(text: str, style: str) -> str:
    if style == "plain" and plain_ok(text):
        return text
    if style == "single":
        quoted = _single_quoted(text)
        if quoted is not None:
            return quoted
    return double_quoted(text)


_MINUTE: Final = dt.timedelta(minutes=1)


def timestamp_text(moment: dt.datetime) -> str:
    """A timestamp as the format writes it: ``2019-12-23T00:00:00Z``.

    UTC is ``Z``, other offsets ``+05:30``; fractional seconds only when there are
    some. An offset YAML cannot write (seconds in it) is written in UTC instead,
    the same moment.
    """
    offset = moment.utcoffset()
    if offset is not None and offset % _MINUTE:
        moment = moment.astimezone(dt.UTC)
        offset = dt.timedelta(0)
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    if offset is None:
        return text
    if not offset:
        return text + "Z"
    minutes = abs(offset) // _MINUTE
    sign = "-" if offset < dt.timedelta(0) else "+"
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _any_scalar(value: object) -> str:  # noqa: PLR0911 (one case per type)
    """A value of an unknown key as YAML reads it back (bool before int)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, str):
        return _string(value, "plain")
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return '!!binary "' + base64.b64encode(value).decode("ascii") + '"'
    if isinstance(value, abc.Mapping):
        return "{}"
    return "[]"  # an empty list: the only other value the checks let through


def _key_text(key: str) -> tuple[str, bool]:
    """A key as written, and whether it is too long for a simple key."""
    text = key if plain_ok(key) else double_quoted(key)
    return text, len(text.encode("utf-8", "surrogatepass")) > _LONG_KEY


# --- comparing records -----------------------------------------------------------

_EQ_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def same(left: object, right: object) -> bool:  # noqa: C901, PLR0911 (one case per type)
    """Whether two values would be written the same way.

    Stricter than ``==``: timestamps must also have the same offset, types must
    match (``True`` is not ``1``), key order counts, and NaN is NaN.
    """
    if left is right:
        return True
    if isinstance(left, str) and isinstance(right, str):
        return str.__eq__(left, right)
    kind = type(left)
    if kind is not type(right):
        both_maps = isinstance(left, abc.Mapping) and isinstance(right, abc.Mapping)
        both_lists = isinstance(left, (tuple, list)) and isinstance(
            right, (tuple, list)
        )
        if not (both_maps or both_lists):
            return False
    names = _EQ_FIELDS.get(kind)
    if names is None and attrs.has(kind):
        names = tuple(field.name for field in attrs.fields(kind) if field.eq)
        _EQ_FIELDS[kind] = names
    if names is not None:
        return all(same(getattr(left, name), getattr(right, name)) for name in names)
    if isinstance(left, abc.Mapping):
        assert isinstance(right, abc.Mapping)  # noqa: S101 (narrowing for mypy)
        return list(left) == list(right) and all(
            same(left[key], right[key]) for key in left
        )
    if isinstance(left, (tuple, list)):
        assert isinstance(right, (tuple, list))  # noqa: S101 (narrowing for mypy)
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, dt.datetime):
        assert isinstance(right, dt.datetime)  # noqa: S101 (narrowing for mypy)
        return left == right and left.utcoffset() == right.utcoffset()
    if isinstance(left, float) and math.isnan(left):
        return isinstance(right, float) and math.isnan(right)
    return bool(left == right)


def _absent(value: object) -> bool:
    return value is None or value == ()


# --- text layout -----------------------------------------------------------------


class _Span(NamedTuple):
    """Where one entry (a key and its value, or a list item) stands in the text.

    ``gap`` starts the blank lines and comments before it (``gap == start`` when
    there are none, and always for the first entry); ``start`` is where its own
    text starts (the line start, or just after ``- `` for the first key of a list
    item); ``end`` is just past its last line.
    """

    gap: int
    start: int
    value_start: int
    value_end: int
    end: int


class _Layout(NamedTuple):
    """Where the entries of one block mapping, or the items of one list, stand."""

    node: Mapping | Sequence
    model: type[Any] | None  #: the record a mapping holds
    entries: dict[str, _Span]  #: a mapping's, by key in file order
    items: list[_Span]  #: a list's
    column: int  #: the column of the keys, or of the dashes
    in_item: bool  #: a mapping that is a list item: its first key follows ``- ``


_DASH: Final = re.compile(r"( *)- +")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1


class _Style(NamedTuple):
    newline: str = "\n"
    indent: int = 2  #: how far a nested mapping's keys stand right of its key
    dash: int = 2  #: how far a list's dashes stand right of its key
    url: str = "plain"  #: how URLs are written: "plain" or "double"
    gap: str = "\n"  #: the blank line(s) before a top-level block


class _Writer:
    """Writes one record: fresh lines, or edits to its source text."""

    def __init__(self, text: str, style: _Style) -> None:
        self.text = text
        self.style = style
        self.edits: list[tuple[int, int, str]] = []

    # --- fresh text, in the reference style -------------------------------------

    def record_lines(
        self, record: Any, model: type[Any], column: int, *, root: bool = False
    ) -> list[str]:
        lines: list[str] = []
        for field in FIELDS[model]:
            if field is EXTRA:
                for key, value in record.extra.items():
                    if root and lines:
                        lines.extend(self._gap_lines())
                    lines.extend(self.any_lines(key, value, column))
                continue
            value = getattr(record, field.attr)
            if _absent(value):
                continue
            if root and lines and field.key in _GROUPS:
                lines.extend(self._gap_lines())
            lines.extend(self.entry_lines(field, value, column))
        return lines

    def _gap_lines(self) -> list[str]:
        return self.style.gap.split(self.style.newline)[:-1]

    def entry_lines(
        self, field: Field, value: Any, column: int, style: str | None = None
    ) -> list[str]:
        head = " " * column + field.key + ":"
        if field.kind is Kind.RECORD:
            assert field.model is not None  # noqa: S101 (narrowing for mypy)
            inner = column + self.style.indent
            return [head, *self.record_lines(value, field.model, inner)]
        if field.kind is Kind.RECORDS or field.kind is Kind.STRINGS:
            dash = column + self.style.dash
            lines = [head]
            for item in value:
                lines.extend(self.item_lines(field, item, dash, style))
            return lines
        return [f"{head} {self.scalar(field.kind, value, style)}"]

    def item_lines(
        self, field: Field, item: Any, dash: int, style: str | None = None
    ) -> list[str]:
        if field.kind is Kind.STRINGS:
            return [" " * dash + "- " + self.scalar(Kind.PLAIN, item, style)]
        assert field.model is not None  # noqa: S101 (narrowing for mypy)
        return _dashed(self.record_lines(item, field.model, dash + 2), dash)

    def scalar(self, kind: Kind, value: Any, style: str | None) -> str:
        """A scalar field's value, in ``style`` (the source's) or the field's own."""
        if kind is Kind.INT:
            return str(value)
        if kind is Kind.BOOL:
            return "true" if value else "false"
        if kind is Kind.TIME:
            text = timestamp_text(value)
            return text if style in {None, "plain"} else double_quoted(text)
        if kind is Kind.TOKEN:
            return _string(str(value), style or "double")
        if style is None:
            if kind is Kind.QUOTED:
                style = "double"
            elif kind is Kind.URL:
                style = self.style.url
            else:
                style = "plain"
        return _string(value, style)

    def any_lines(self, key: str, value: Any, column: int) -> list[str]:
        """An unknown key and its value, which can be any YAML value."""
        pad = " " * column
        text, explicit = _key_text(key)
        lines = [pad + "? " + text] if explicit else []
        head = pad + ":" if explicit else pad + text + ":"
        if isinstance(value, abc.Mapping) and value:
            inner = column + self.style.indent
            lines.append(head)
            for child_key, child in value.items():
                lines.extend(self.any_lines(child_key, child, inner))
        elif isinstance(value, (tuple, list)) and value:
            lines.append(head)
            for item in value:
                lines.extend(self._any_item_lines(item, column + self.style.dash))
        else:
            lines.append(f"{head} {_any_scalar(value)}")
        return lines

    def _any_item_lines(self, item: Any, dash: int) -> list[str]:
        if isinstance(item, abc.Mapping) and item:
            lines = []
            for key, value in item.items():
                lines.extend(self.any_lines(key, value, dash + 2))
            return _dashed(lines, dash)
        if isinstance(item, (tuple, list)) and item:
            lines = []
            for inner in item:
                lines.extend(self._any_item_lines(inner, dash + 2))
            return _dashed(lines, dash)
        return [" " * dash + "- " + _any_scalar(item)]

    # --- editing the source text ------------------------------------------------

    def sound(self, value: object, low: int, high: int) -> bool:
        """Whether every position in ``value`` is in order and within its parent.

        An alias or a merge key (``*name``, ``<<``) shows the text of an earlier
        node again; a tree with one is not edited in place.
        """
        if isinstance(value, Mapping):
            previous = low
            for key, (key_start, value_start, value_end) in value.spans.items():
                if not previous <= key_start <= value_start <= value_end <= high:
                    return False
                if not self.sound(value[key], value_start, value_end):
                    return False
                previous = value_end
        elif isinstance(value, Sequence):
            previous = low
            for item, (item_start, item_end) in zip(value, value.spans, strict=True):
                if not previous <= item_start <= item_end <= high:
                    return False
                if not self.sound(item, item_start, item_end):
                    return False
                previous = item_end
        return True

    def _flow(self, offset: int) -> bool:
        """Whether the collection whose value starts at ``offset`` is a flow one."""
        text = self.text
        while offset < len(text) and text[offset] in "&!":  # anchors and tags
            while offset < len(text) and text[offset] not in " \t\r\n":
                offset += 1
            while offset < len(text) and text[offset] in " \t\r\n":
                offset += 1
        return offset < len(text) and text[offset] in "[{"

    def _content_end(self, value: object, start: int, end: int) -> int:
        """Where the text of a value ends: for a block collection, its last item's."""
        while isinstance(value, (Mapping, Sequence)) and value:
            if self._flow(start):
                return end
            if isinstance(value, Mapping):
                key = next(reversed(value.spans))
                _, start, end = value.spans[key]
                value = value[key]
            else:
                start, end = value.spans[-1]
                value = value[-1]
        return end

    def mapping_layout(
        self, node: object, model: type[Any] | None, *, in_item: bool = False
    ) -> _Layout | None:
        """Where each entry of a block mapping stands, or None if it is unusual."""
        if not isinstance(node, Mapping) or not node or self._flow(node.start):
            return None
        text = self.text
        entries: dict[str, _Span] = {}
        previous = -1
        column = -1
        for key, (key_start, value_start, value_end) in node.spans.items():
            line_start = _line_start(text, key_start)
            first = previous == -1
            if first and in_item:
                start = key_start
            elif text[line_start:key_start].strip(" "):
                return None  # something else before the key on its line
            else:
                start = line_start
            if start < previous:  # pragma: no cover (only flow mappings, refused)
                return None
            if column not in {-1, key_start - line_start}:  # pragma: no cover
                return None  # YAML puts the keys of a block mapping in one column
            column = key_start - line_start
            content_end = self._content_end(node[key], value_start, value_end)
            end = _line_end(text, content_end)
            gap = start if first else previous
            entries[key] = _Span(gap, start, value_start, content_end, end)
            previous = end
        return _Layout(node, model, entries, [], column, in_item)

    def sequence_layout(self, node: object) -> _Layout | None:
        """Where each item of a block list stands, or None if it is unusual."""
        if not isinstance(node, Sequence) or not node or self._flow(node.start):
            return None
        text = self.text
        items: list[_Span] = []
        previous = -1
        column = -1
        for index, (item_start, item_end) in enumerate(node.spans):
            line_start = _line_start(text, item_start)
            dash = _DASH.fullmatch(text, line_start, item_start)
            if dash is None or line_start < previous:
                return None
            if column not in {-1, len(dash.group(1))}:  # pragma: no cover
                return None  # YAML puts the dashes of a block list in one column
            column = len(dash.group(1))
            content_end = self._content_end(node[index], item_start, item_end)
            end = _line_end(text, content_end)
            gap = line_start if previous == -1 else previous
            items.append(_Span(gap, line_start, item_start, content_end, end))
            previous = end
        return _Layout(node, None, {}, items, column, in_item=False)

    def splice_record(self, new: Any, old: Any, layout: _Layout) -> bool:
        """Edit a record's text from ``old`` to ``new``; False if it cannot be.

        On False nothing is recorded, and the caller rewrites the whole record.
        """
        mark = len(self.edits)
        entries = layout.entries
        removed: set[str] = set()
        added: list[tuple[Field | None, str, Any]] = []
        assert layout.model is not None  # noqa: S101 (a record's layout)
        for field in FIELDS[layout.model]:
            if field is EXTRA:
                self._diff_extra(new.extra, old.extra, layout, removed, added)
                continue
            value = getattr(new, field.attr)
            if same(value, getattr(old, field.attr)):
                continue
            if field.key not in entries:
                if not _absent(value):
                    added.append((field, field.key, value))
            elif _absent(value):
                removed.add(field.key)
            else:
                self._change(field, value, getattr(old, field.attr), layout)
        first = next(iter(entries))
        kept = [key for key in entries if key not in removed]
        if (layout.in_item and first in removed) or not self._insert(
            layout, kept, added
        ):
            del self.edits[mark:]
            return False
        self._cut(list(entries.values()), [key in removed for key in entries])
        return True

    def _diff_extra(
        self,
        new: abc.Mapping[str, Any],
        old: abc.Mapping[str, Any],
        layout: _Layout,
        removed: set[str],
        added: list[tuple[Field | None, str, Any]],
    ) -> None:
        """Compare a record's unknown keys: changed, removed and added ones."""
        for key, value in new.items():
            if key not in old:
                added.append((None, key, value))
            elif not same(value, old[key]):
                self._change_any(key, value, layout)
        removed.update(key for key in old if key not in new)

    def _change(self, field: Field, value: Any, old: Any, layout: _Layout) -> None:
        """Rewrite a changed value: a scalar in place, a record or list item by item.

        A record or list laid out in a way the editor does not follow (flow style,
        say) is rewritten whole, in the reference style.
        """
        span = layout.entries[field.key]
        node = layout.node[field.key]  # type: ignore[call-overload]
        kind = field.kind
        if kind is Kind.RECORD:
            inner = self.mapping_layout(node, field.model)
            if inner is None or not self.splice_record(value, old, inner):
                self._rewrite(
                    span, self.entry_lines(field, value, layout.column), layout
                )
        elif kind is Kind.RECORDS or kind is Kind.STRINGS:
            inner = self.sequence_layout(node)
            if inner is None or not self.splice_list(field, value, old, inner):
                self._rewrite(
                    span, self.entry_lines(field, value, layout.column), layout
                )
        else:
            style = self._style_at(span)
            self._replace_scalar(span, self.scalar(kind, value, style))

    def _change_any(self, key: str, value: Any, layout: _Layout) -> None:
        """Rewrite a changed unknown key: a scalar in place, a collection whole."""
        span = layout.entries[key]
        node = layout.node[key]  # type: ignore[call-overload]
        collection = isinstance(value, (abc.Mapping, tuple, list)) and value
        if collection or isinstance(node, (Mapping, Sequence)):
            self._rewrite(span, self.any_lines(key, value, layout.column), layout)
        elif isinstance(value, str):
            self._replace_scalar(span, _string(value, self._style_at(span)))
        else:
            self._replace_scalar(span, _any_scalar(value))

    def _style_at(self, span: _Span) -> str:
        """How the value at ``span`` is quoted: "plain", "double" or "single"."""
        if span.value_start == span.value_end:
            return "plain"
        first = self.text[span.value_start]
        return {'"': "double", "'": "single"}.get(first, "plain")

    def _replace_scalar(self, span: _Span, rendered: str) -> None:
        start, end = span.value_start, span.value_end
        if start != end:
            self.edits.append((start, end, rendered))
            return
        # Nothing was written after the colon: add a space, drop trailing blanks.
        content_end = len(self.text[: _line_end(self.text, end)].rstrip("\r\n"))
        if self.text[end:content_end].strip(" \t"):  # a comment follows
            content_end = end
        self.edits.append((end, content_end, " " + rendered))

    def _rewrite(self, span: _Span, lines: list[str], layout: _Layout) -> None:
        """Replace an entry (or list item) whole with ``lines``."""
        if span.start != _line_start(self.text, span.start):  # it follows a dash
            lines = [lines[0][layout.column :], *lines[1:]]
        newline = self.style.newline
        self.edits.append((span.start, span.end, newline.join(lines) + newline))

    def _cut(self, spans: list[_Span], removed: list[bool]) -> None:
        """Cut removed entries, and a group's blank lines once the group is gone."""
        for index, span in enumerate(spans):
            if not removed[index]:
                continue
            keep_gap = False
            if span.gap < span.start:  # it opens a group: is anything of it kept?
                for later, later_span in enumerate(spans[index + 1 :], index + 1):
                    if later_span.gap < later_span.start:
                        break
                    if not removed[later]:
                        keep_gap = True
                        break
            self.edits.append((span.start if keep_gap else span.gap, span.end, ""))

    def _insert(
        self,
        layout: _Layout,
        kept: list[str],
        added: list[tuple[Field | None, str, Any]],
    ) -> bool:
        """Insert new keys where the key order puts them; False if it cannot."""
        if not added:
            return True
        if not kept:  # pragma: no cover (a record's required keys always stay)
            return False
        assert layout.model is not None  # noqa: S101 (a record's layout)
        fields = FIELDS[layout.model]
        rank = {field.key: index for index, field in enumerate(fields)}
        extra_rank = fields.index(EXTRA)
        entries = layout.entries
        newline = self.style.newline
        blank = layout.model is Article and any(
            span.gap < span.start for span in entries.values()
        )
        for field, key, value in added:
            own = extra_rank if field is None else rank[key]
            anchor, anchor_rank = None, -1
            for candidate in kept:  # the last of the keys that come before it
                other = rank.get(candidate, extra_rank)
                before = other < own or (field is None and other == own)
                if before and other >= anchor_rank:
                    anchor, anchor_rank = candidate, other
            if field is None:
                lines = self.any_lines(key, value, layout.column)
            else:
                lines = self.entry_lines(field, value, layout.column)
            text = newline.join(lines) + newline
            if anchor is None:  # pragma: no cover (first keys are required ones)
                return False  # before every key: the caller rewrites the record
            if blank and (field is None or key in _GROUPS):
                text = self.style.gap + text
            at = entries[anchor].end
            self.edits.append((at, at, text))
        return True

    def splice_list(
        self, field: Field, new: tuple[Any, ...], old: tuple[Any, ...], layout: _Layout
    ) -> bool:
        """Edit a list's text from ``old`` to ``new`` item by item."""
        spans = layout.items
        # Checked records hold only hashable items (tuples, frozen records, text).
        opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        removed = [False] * len(old)
        inserts: list[tuple[int, tuple[Any, ...]]] = []
        for _, old_start, old_end, new_start, new_end in opcodes:
            paired = min(old_end - old_start, new_end - new_start)
            for offset in range(paired):
                index = old_start + offset
                item = new[new_start + offset]
                if not same(item, old[index]):
                    self._change_item(field, index, item, old[index], layout)
            for index in range(old_start + paired, old_end):
                removed[index] = True
            if new_start + paired < new_end:
                after = old_start + paired - 1
                inserts.append((after, new[new_start + paired : new_end]))
        self._cut(spans, removed)
        style = self._style_at(spans[0]) if field.kind is Kind.STRINGS else None
        newline = self.style.newline
        for after, items in inserts:
            lines = []
            for item in items:
                lines.extend(self.item_lines(field, item, layout.column, style))
            at = spans[0].start if after < 0 else spans[after].end
            self.edits.append((at, at, newline.join(lines) + newline))
        return True

    def _change_item(
        self, field: Field, index: int, item: Any, old: Any, layout: _Layout
    ) -> None:
        span = layout.items[index]
        if field.kind is Kind.STRINGS:
            style = self._style_at(span)
            self._replace_scalar(span, self.scalar(Kind.PLAIN, item, style))
            return
        node = layout.node[index]  # type: ignore[index]
        inner = self.mapping_layout(node, field.model, in_item=True)
        if inner is None or not self.splice_record(item, old, inner):
            lines = self.item_lines(field, item, layout.column)
            newline = self.style.newline
            self.edits.append((span.start, span.end, newline.join(lines) + newline))

    def apply(self) -> str:
        """The source text with every recorded edit made."""
        text = self.text
        self.edits.sort(key=lambda edit: edit[0])
        pieces = []
        position = 0
        for start, end, replacement in self.edits:
            if start > position:
                pieces.append(text[position:start])
            pieces.append(replacement)
            position = max(position, end)
        pieces.append(text[position:])
        return "".join(pieces)


def _dashed(lines: list[str], dash: int) -> list[str]:
    """Lines of a list item rendered at ``dash + 2``, with ``- `` on the first."""
    return [" " * dash + "- " + lines[0][dash + 2 :], *lines[1:]]


# --- the whole file --------------------------------------------------------------


def source_text(document: Document) -> str:
    """The exact text a document was read from, byte-order mark included."""
    return "\ufeff" + document.text if document.bom else document.text


def write(article: Article, original: Article | None) -> str:
    """The text of a checked ``article``.

    ``original`` is the record its source document holds (``None`` for a record
    built from scratch): the text is then that document's, edited where they
    differ.
    """
    document = None if original is None else original._source  # noqa: SLF001
    if original is None or document is None:
        writer = _Writer("", _Style())
        lines = writer.record_lines(article, Article, 0, root=True)
        return "---\n" + "\n".join(lines) + "\n---\n" + article.body
    text = document.text
    writer = _Writer(text, _Style(newline=document.newline))
    root = document.root
    layout = None
    # An alias (`*name`) or a merge (`<<: *name`) repeats an earlier node's text:
    # a file with one is only edited in place when its positions are in order.
    if "*" not in text[document.yaml_start : document.yaml_end] or writer.sound(
        root, document.yaml_start, document.yaml_end
    ):
        layout = writer.mapping_layout(root, Article)
    writer.style = _style(document, layout)
    if layout is None or not writer.splice_record(article, original, layout):
        writer.edits.clear()
        newline = writer.style.newline
        lines = writer.record_lines(article, Article, 0, root=True)
        text = newline.join(lines) + newline
        writer.edits.append((document.yaml_start, document.yaml_end, text))
    if article.body != original.body:
        text, body = document.text, article.body
        if body and document.body_start == len(text) and not text.endswith("\n"):
            body = document.newline + body  # the closing line had no line ending
        writer.edits.append((document.body_start, len(text), body))
    return ("\ufeff" if document.bom else "") + writer.apply()


def _style(document: Document, layout: _Layout | None) -> _Style:
    """The style of a source file, for the lines an edit adds to it."""
    text, root, newline = document.text, document.root, document.newline
    url = _url_style(document)
    if layout is None:
        return _Style(newline, url=url, gap=newline)
    indent = dash = gap = None
    for key, span in layout.entries.items():
        value = root[key]
        if indent is None and isinstance(value, Mapping) and value.spans:
            first = next(iter(value.spans.values()))[0]
            line_start = _line_start(text, first)
            if line_start > span.start and not text[line_start:first].strip(" "):
                indent = max(1, first - line_start - layout.column)
        if dash is None and isinstance(value, Sequence) and value.spans:
            first = value.spans[0][0]
            match = _DASH.fullmatch(text, _line_start(text, first), first)
            if match is not None:
                dash = max(0, len(match.group(1)) - layout.column)
        if gap is None and span.gap < span.start:
            between = text[span.gap : span.start]
            gap = None if between.strip() else between
    return _Style(
        newline, indent or 2, 2 if dash is None else dash, url, gap or newline
    )


def _url_style(document: Document) -> str:
    """How the file writes URLs, judged by its first top-level link."""
    for key in LINK_KEYS:
        if key in document.root.spans:
            value_start = document.root.spans[key][1]
            quoted = document.text.startswith(('"', "'"), value_start)
            return "double" if quoted else "plain"
    return "plain"  # pragma: no cover (a record always has a link)
