"""Fresh rendering: records and values as the lines of a file, in a style.

A record built from scratch is written in the style of the reference record: the
format's key order (the field table's, `newsrecord._spec`), one blank line before
each later top-level block, two-space indentation, `secured` last. The lines an
edit adds to a file are rendered here too, in that file's style.

Strings are written plain only where they read back as the same text in any YAML
reader; otherwise double-quoted with JSON-like escapes, non-ASCII raw, never folded.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import re
from collections import abc
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ._scalars import float_text, is_text
from ._spec import KINDS, TABLES, Quoting, Rule, Table
from ._syntax import INDICATORS, ON_ONE_LINE

if TYPE_CHECKING:
    from . import _spec as spec


class Shape(enum.Enum):
    """How the value of a field is written."""

    QUOTED = enum.auto()  #: text, double-quoted in the reference style
    PLAIN = enum.auto()  #: text, plain where it can be
    URL = enum.auto()  #: text, plain or double-quoted by the file's era
    INT = enum.auto()
    NUMBER = enum.auto()  #: an int, or a decimal number
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
    form: Shape
    model: type[Any] | None = None


#: Where a record's unknown keys (its ``extra``) are written among the others.
EXTRA: Final = Field("", "extra", Shape.EXTRA)

_FORMS: Final = {
    Rule.LINK: Shape.URL,
    Rule.IMAGE_LINK: Shape.URL,
    Rule.INT32: Shape.INT,
    Rule.SIZE: Shape.INT,
    Rule.NUMBER: Shape.NUMBER,
    Rule.BOOL: Shape.BOOL,
    Rule.TIMESTAMP: Shape.TIME,
    Rule.TOKEN: Shape.TOKEN,
    Rule.TEXTS: Shape.STRINGS,
    Rule.RECORD: Shape.RECORD,
    Rule.RECORDS: Shape.RECORDS,
}


def _form(field: spec.Field) -> Shape:
    """How a field of the table is written: its rule, and for text its quoting."""
    if field.rule is Rule.LINK and field.quoting is Quoting.DOUBLE:
        return Shape.QUOTED
    if field.rule in _FORMS:
        return _FORMS[field.rule]
    return Shape.QUOTED if field.quoting is Quoting.DOUBLE else Shape.PLAIN


def _fields(table: Table) -> tuple[Field, ...]:
    fields = [
        Field(field.key, field.attribute, _form(field), field.model)
        for field in table.fields
    ]
    fields.insert(table.extra_at, EXTRA)
    return tuple(fields)


#: Every key of every record, in the order the format writes them.
FIELDS: Final[dict[type[Any], tuple[Field, ...]]] = {
    model: _fields(table) for model, table in TABLES.items()
}

#: The top-level keys of each kind of record that open a block of their own, after
#: one blank line.
GROUPS: Final[dict[type[Any], frozenset[str]]] = {
    table.model: frozenset(field.key for field in table.fields if field.group)
    for table in KINDS
}


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
_NOT_RAW: Final = re.compile(f"[^{ON_ONE_LINE}]")
_NOT_PLAIN: Final = re.compile(": |:$| #")
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
    if text[0] in INDICATORS and not (
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


def styled(text: str, style: str) -> str:
    """Text in a style ("plain", "single" or "double"), double-quoted if it must."""
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


def any_scalar(value: object) -> str:  # noqa: PLR0911 (one case per type)
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
        return styled(value, "plain")
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


def absent(value: object) -> bool:
    """Whether a field's value means its key is not written (``None``, ``()``)."""
    return value is None or value == ()


class Style(NamedTuple):
    """How a file writes what an edit adds to it (the reference style by default)."""

    newline: str = "\n"
    indent: int = 2  #: how far a nested mapping's keys stand right of its key
    dash: int = 2  #: how far a list's dashes stand right of its key
    url: str = "plain"  #: how URLs are written: "plain" or "double"
    gap: str = "\n"  #: the blank line(s) before a top-level block


class Renderer:
    """Renders records and values as lines, in a style."""

    def __init__(self, style: Style) -> None:
        self.style = style

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
            if absent(value):
                continue
            if root and lines and field.key in GROUPS[model]:
                lines.extend(self._gap_lines())
            lines.extend(self.entry_lines(field, value, column))
        return lines

    def _gap_lines(self) -> list[str]:
        return self.style.gap.split(self.style.newline)[:-1]

    def entry_lines(
        self, field: Field, value: Any, column: int, style: str | None = None
    ) -> list[str]:
        head = " " * column + field.key + ":"
        if field.form is Shape.RECORD:
            assert field.model is not None  # noqa: S101 (narrowing for mypy)
            inner = column + self.style.indent
            lines = self.record_lines(value, field.model, inner)
            if not lines:  # a record with no key: an empty mapping, not null
                return [f"{head} {{}}"]
            return [head, *lines]
        if field.form is Shape.RECORDS or field.form is Shape.STRINGS:
            dash = column + self.style.dash
            lines = [head]
            for item in value:
                lines.extend(self.item_lines(field, item, dash, style))
            return lines
        return [f"{head} {self.scalar(field.form, value, style)}"]

    def item_lines(
        self, field: Field, item: Any, dash: int, style: str | None = None
    ) -> list[str]:
        if field.form is Shape.STRINGS:
            return [" " * dash + "- " + self.scalar(Shape.PLAIN, item, style)]
        assert field.model is not None  # noqa: S101 (narrowing for mypy)
        lines = self.record_lines(item, field.model, dash + 2)
        if not lines:  # a record with no key: an empty mapping, not null
            return [" " * dash + "- {}"]
        return dashed(lines, dash)

    def scalar(self, form: Shape, value: Any, style: str | None) -> str:
        """A scalar field's value, in ``style`` (the source's) or the field's own."""
        if form is Shape.INT:
            return str(value)
        if form is Shape.NUMBER:
            return float_text(value) if isinstance(value, float) else str(value)
        if form is Shape.BOOL:
            return "true" if value else "false"
        if form is Shape.TIME:
            text = timestamp_text(value)
            return text if style in {None, "plain"} else double_quoted(text)
        if form is Shape.TOKEN:
            return styled(str(value), style or "double")
        if style is None:
            if form is Shape.QUOTED:
                style = "double"
            elif form is Shape.URL:
                style = self.style.url
            else:
                style = "plain"
        return styled(value, style)

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
            lines.append(f"{head} {any_scalar(value)}")
        return lines

    def _any_item_lines(self, item: Any, dash: int) -> list[str]:
        if isinstance(item, abc.Mapping) and item:
            lines = []
            for key, value in item.items():
                lines.extend(self.any_lines(key, value, dash + 2))
            return dashed(lines, dash)
        if isinstance(item, (tuple, list)) and item:
            lines = []
            for inner in item:
                lines.extend(self._any_item_lines(inner, dash + 2))
            return dashed(lines, dash)
        return [" " * dash + "- " + any_scalar(item)]


def dashed(lines: list[str], dash: int) -> list[str]:
    """Lines of a list item rendered at ``dash + 2``, with ``- `` on the first."""
    return [" " * dash + "- " + lines[0][dash + 2 :], *lines[1:]]
