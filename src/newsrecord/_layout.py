"""The layout of a record file: where each entry and list item stands in its text.

The writer edits a file's text where its values stand; this module finds those
places in the front-matter tree read again from the text (`newsrecord._tree`),
and the style the file writes in (line endings, indentation, quoting of links,
the blank lines before a block).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ._render import Style
from ._spec import TABLES, Rule
from ._tree import ListNode, MapNode

if TYPE_CHECKING:
    from ._tree import Document


class Span(NamedTuple):
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


class Layout(NamedTuple):
    """Where the entries of one block mapping, or the items of one list, stand."""

    node: MapNode | ListNode
    model: type[Any] | None  #: the record a mapping holds
    entries: dict[str, Span]  #: a mapping's, by key in file order
    items: list[Span]  #: a list's
    column: int  #: the column of the keys, or of the dashes
    in_item: bool  #: a mapping that is a list item: its first key follows ``- ``


_DASH: Final = re.compile(r"( *)- +")
# The header of a keep-chomped block scalar: `|+`, `>+`, `|2+`, `>+2`.
_KEEP: Final = re.compile(r"[|>](?:[1-9]?\+|\+[1-9])")


def start_of_line(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def end_of_line(text: str, offset: int) -> int:
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1


class TextLayout:
    """Finds where the entries of a file's text stand."""

    def __init__(self, text: str) -> None:
        self.text = text

    def sound(self, value: object, low: int, high: int) -> bool:
        """Whether every position in ``value`` is in order and within its parent.

        An alias or a merge key (``*name``, ``<<``) shows the text of an earlier
        node again; a tree with one is not edited in place.
        """
        if isinstance(value, MapNode):
            previous = low
            for key, (key_start, value_start, value_end) in value.spans.items():
                if not previous <= key_start <= value_start <= value_end <= high:
                    return False
                if not self.sound(value[key], value_start, value_end):
                    return False
                previous = value_end
        elif isinstance(value, ListNode):
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

    def _last(self, value: object, start: int, end: int) -> tuple[int, int] | None:
        """Where the last scalar of a block value stands (``None``: a flow one)."""
        while isinstance(value, (MapNode, ListNode)) and value:
            if self._flow(start):
                return None
            if isinstance(value, MapNode):
                key = next(reversed(value.spans))
                _, start, end = value.spans[key]
                value = value[key]
            else:
                start, end = value.spans[-1]
                value = value[-1]
        return start, end

    def kept(self, value: object, start: int, end: int) -> bool:
        """Whether a value ends with a keep-chomped block scalar (``|+``, ``>+``).

        The blank lines after such a scalar are part of its value: nothing that
        follows may start with one.
        """
        last = self._last(value, start, end)
        return last is not None and _KEEP.match(self.text, last[0]) is not None

    def _content_end(self, value: object, start: int, end: int) -> int:
        """Where the text of a value ends: for a block collection, its last item's.

        A keep-chomped block scalar ends with the blank lines after it.
        """
        last = self._last(value, start, end)
        if last is None:
            return end
        start, end = last
        if _KEEP.match(self.text, start) is None:
            return end
        text = self.text
        while end < len(text):  # past the blank lines, to the last one's line break
            line_end = end_of_line(text, end + 1)
            if text[end + 1 : line_end].strip(" \t\r\n"):
                break
            end = line_end - 1
        return end

    def mapping_layout(
        self, node: object, model: type[Any] | None, *, in_item: bool = False
    ) -> Layout | None:
        """Where each entry of a block mapping stands, or None if it is unusual."""
        if not isinstance(node, MapNode) or not node or self._flow(node.start):
            return None
        text = self.text
        entries: dict[str, Span] = {}
        previous = -1
        column = -1
        for key, (key_start, value_start, value_end) in node.spans.items():
            line_start = start_of_line(text, key_start)
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
            end = end_of_line(text, content_end)
            gap = start if first else previous
            entries[key] = Span(gap, start, value_start, content_end, end)
            previous = end
        return Layout(node, model, entries, [], column, in_item)

    def sequence_layout(self, node: object) -> Layout | None:
        """Where each item of a block list stands, or None if it is unusual."""
        if not isinstance(node, ListNode) or not node or self._flow(node.start):
            return None
        text = self.text
        items: list[Span] = []
        previous = -1
        column = -1
        for index, (item_start, item_end) in enumerate(node.spans):
            line_start = start_of_line(text, item_start)
            dash = _DASH.fullmatch(text, line_start, item_start)
            if dash is None or line_start < previous:
                return None
            if column not in {-1, len(dash.group(1))}:  # pragma: no cover
                return None  # YAML puts the dashes of a block list in one column
            column = len(dash.group(1))
            content_end = self._content_end(node[index], item_start, item_end)
            end = end_of_line(text, content_end)
            gap = line_start if previous == -1 else previous
            items.append(Span(gap, line_start, item_start, content_end, end))
            previous = end
        return Layout(node, None, {}, items, column, in_item=False)


def file_style(document: Document, layout: Layout | None, model: type[Any]) -> Style:
    """The style of a source file, for the lines an edit adds to it."""
    text, root, newline = document.text, document.root, document.newline
    url = _url_style(document, model)
    if layout is None:
        return Style(newline, url=url, gap=newline)
    indent = dash = gap = None
    for key, span in layout.entries.items():
        value = root[key]
        if indent is None and isinstance(value, MapNode) and value.spans:
            first = next(iter(value.spans.values()))[0]
            line_start = start_of_line(text, first)
            if line_start > span.start and not text[line_start:first].strip(" "):
                indent = max(1, first - line_start - layout.column)
        if dash is None and isinstance(value, ListNode) and value.spans:
            first = value.spans[0][0]
            match = _DASH.fullmatch(text, start_of_line(text, first), first)
            if match is not None:
                dash = max(0, len(match.group(1)) - layout.column)
        if gap is None and span.gap < span.start:
            between = text[span.gap : span.start]
            gap = None if between.strip() else between
    return Style(newline, indent or 2, 2 if dash is None else dash, url, gap or newline)


def _url_style(document: Document, model: type[Any]) -> str:
    """How the file writes URLs, judged by its first top-level link."""
    for field in TABLES[model].fields:
        key = field.key
        if field.rule is Rule.LINK and key in document.root.spans:
            value_start = document.root.spans[key][1]
            quoted = document.text.startswith(('"', "'"), value_start)
            return "double" if quoted else "plain"
    return "plain"  # the format's own style, for a record without links
