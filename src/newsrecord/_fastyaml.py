"""The fast reader: the YAML subset the format uses, in one pass over the lines.

News records use a small part of YAML: block mappings and block lists, indented
with spaces, holding plain scalars and one-line double-quoted scalars. `read_fast`
reads exactly that, line by line, and builds the same tree (values and spans) as
the general reader, `newsrecord._frontmatter.read_yaml`, without building YAML
events and nodes first.

It never guesses. Whenever a line is not certainly inside the subset, it returns
``None`` and the general reader reads the block (and reports any error). Declined,
among others: flow collections, anchors, aliases, tags, block scalars, single
quotes, scalars over several lines, tabs, indentation that is not a column already
open, lists written at their key's column, keys that are quoted, complex, not
made of ASCII letters, digits, ``_`` and ``-``, or that YAML reads as a bool or null,
duplicate keys, directives, document markers, characters YAML forbids (and the
byte-order mark and the YAML 1.1 line breaks NEL, LS and PS), lone carriage returns,
mixed line endings, and blocks too deep or too long for the general reader's limits.
"""

from __future__ import annotations

import re
from typing import Final, TypeAlias

from ._syntax import BOOL_WORDS, INDICATORS, NULL_WORDS, ON_ONE_LINE
from ._tree import ListNode, MapNode, Plain

#: Deeper than this, the general reader takes over (it refuses beyond 100 levels).
MAX_DEPTH: Final = 50
#: Longer than this, the general reader takes over. A line holds at most two
#: values (``- key: value``), so this stays below the general reader's node limit.
MAX_LINES: Final = 40_000

# Printable ASCII plus the line breaks. A block made of these alone needs no other
# check; anything else is looked at character by character with _REFUSED.
_ASCII_OK: Final = bytes(range(0x20, 0x7F)) + b"\n\r"
# What YAML forbids in a stream, plus what this reader leaves to the general one:
# tabs, the YAML 1.1 line breaks NEL, LS and PS, and the byte-order mark.
_REFUSED: Final = re.compile(f"[^\n\r{ON_ONE_LINE}]")

# A plain key the reader is sure YAML reads as that very string: ASCII letters, digits,
# `_` and `-`, starting with a letter or `_` (so never a number or a timestamp).
# YAML's simple keys are limited to 1024 characters; this one stops well before.
_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,127}")
# Keys of that shape that YAML 1.1 reads as a bool or a null, not as a string.
_NOT_TEXT_KEYS: Final = frozenset(
    word for word in (*BOOL_WORDS, *NULL_WORDS) if _KEY.fullmatch(word)
)
# First characters a plain scalar may not start with, or that start something else
# (a flow collection, an anchor, a tag, a block scalar, a single-quoted scalar, a
# reserved indicator). `-` is allowed when another character follows it.
_INDICATORS: Final = INDICATORS - {"-"}
# First characters of a value that need a closer look than the common case:
# indicators, a dash, and the spaces or comment of an empty value.
_CAREFUL: Final = _INDICATORS | {"-", " "}
# A double-quoted scalar on one line, with YAML's escapes (a tab is refused earlier).
# Possessive: a long scalar that is never closed fails in linear time.
_QUOTED: Final = re.compile(
    r'"((?:[^"\\]++|\\(?:[0abtnvfre "/\\N_LP]|x[0-9A-Fa-f]{2}'
    r"|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*+)\""
)
_ESCAPE: Final = re.compile(
    r"\\(?:([^xuU])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))"
)
_ESCAPES: Final = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


class _Decline(Exception):  # noqa: N818 (a signal: the general reader takes over)
    """The text is not certainly inside the subset."""


def _unescape(match: re.Match[str]) -> str:
    simple, *codes = match.groups()
    if simple is not None:
        return _ESCAPES[simple]
    point = int(next(code for code in codes if code is not None), 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        raise _Decline
    return chr(point)


# Keys already found to be read as text (see _text_key), so that the keys of the
# format are checked once per process, not once per line. Bounded: a cache only.
_TEXT_KEYS: Final[set[str]] = set()
_TEXT_KEYS_BOUND: Final = 4096


def _text_key(key: str) -> bool:
    """Whether YAML reads the plain scalar ``key`` as that very string."""
    if _KEY.fullmatch(key) is None or key in _NOT_TEXT_KEYS:
        return False
    if len(_TEXT_KEYS) < _TEXT_KEYS_BOUND:
        _TEXT_KEYS.add(key)
    return True


def _starts_mapping(content: str) -> bool:
    """Whether a line's content (after the indentation) is a key and its colon."""
    key, colon, _ = content.partition(": ")
    if not colon:
        if content[-1] != ":":
            return False
        key = content[:-1]
    return key in _TEXT_KEYS or _text_key(key)


def _scalar(text: str) -> tuple[str, int] | None:  # noqa: PLR0911 (one way out per refusal)
    """The scalar that is the rest of a line: its value and its length in the line.

    ``text`` starts with the scalar and ends with the line; it holds no line break.
    ``None`` when the scalar is not certainly one this reader knows: a quoted
    scalar not closed on this line or with an escape YAML refuses, anything but
    spaces and a comment after a quoted scalar, a plain scalar starting with an
    indicator or holding ``": "``, or ending with ``":"``.
    """
    if text[0] == '"':
        if "\\" in text:
            match = _QUOTED.match(text)
            if match is None:
                return None
            try:
                value = _ESCAPE.sub(_unescape, match.group(1))
            except _Decline:
                return None
            length = match.end()
        else:
            length = text.find('"', 1) + 1
            if not length:
                return None
            value = text[1 : length - 1]
        if length < len(text):
            tail = text[length:].lstrip(" ")
            # After the closing quote: only spaces, then maybe a comment.
            if tail and (tail[0] != "#" or len(tail) == len(text) - length):
                return None
        return value, length
    if text[0] in _INDICATORS or (text[0] == "-" and text[1:2] in {"", " "}):
        return None
    comment = text.find(" #")
    plain = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in plain or plain[-1] == ":":
        return None
    return Plain(plain), len(plain)


# An open collection: its column, itself, and where it is in its parent: its key
# and where that starts (unused in a list), and where the collection starts.
_Open: TypeAlias = tuple[int, MapNode | ListNode, str, int, int]


def read_fast(  # noqa: C901, PLR0911, PLR0912, PLR0913, PLR0915 (one loop, on purpose)
    text: str,
    start: int,
    end: int,
    *,
    max_depth: int = MAX_DEPTH,
    max_lines: int = MAX_LINES,
    locate: bool = True,
    encoded: bytes | None = None,
) -> MapNode | None:
    """Read ``text[start:end]`` into the tree, or ``None`` if not certain of it.

    A block of more than ``max_lines`` lines or nesting deeper than ``max_depth``
    is left to the general reader (which enforces the caller's limits).

    The result equals what `newsrecord._frontmatter.read_yaml` gives for the same
    block: keys in order, `Plain` and `str` scalars, nested `MapNode` and
    `ListNode`, and the same spans (see `newsrecord._tree`). ``None`` means the
    general reader must read the block; it is also the answer for an empty block
    and for any YAML error, which the general reader then reports.

    Without ``locate``, the tree holds the values alone: its spans are left
    empty, and the root's ``start`` is ``start``: a record that is only built
    from its values has no use for them, and making them is a good part of the
    work.

    ``encoded`` is the block in UTF-8, if the caller has it (as the file's own
    bytes): encoding text that is not ASCII again costs about as much as reading
    the block.
    """
    # One function, one loop over the lines, and the common line (a key and a
    # simple scalar, in the mapping already open) on the shortest path: calls per
    # line would cost more than the work they do.
    block = text[start:end]
    if encoded is None:
        encoded = block.encode("utf-8", "surrogatepass")
    leftover = encoded.translate(None, _ASCII_OK)
    if leftover and _REFUSED.search(leftover.decode("utf-8", "surrogatepass")):
        return None
    if "\r" in block:
        crlf = block.count("\r\n")
        if crlf != block.count("\r") or crlf != block.count("\n"):
            return None
        lines = block.split("\r\n")
        step = 2
    else:
        lines = block.split("\n")
        step = 1
    if len(lines) > max_lines:
        return None

    text_keys = _TEXT_KEYS
    careful = _CAREFUL
    plain = Plain
    root = MapNode(start)
    # The open collections, innermost last (see _Open). The innermost is `mapping`
    # (with its `spans`) or `sequence`, as `in_list` says, at `column`.
    stack: list[_Open] = [(0, root, "", 0, 0)]
    column = 0
    mapping = root
    spans = root.spans
    sequence = ListNode(start)
    in_list = False
    # A key or a dash with nothing after it: its value is a collection if the next
    # content line is indented deeper, else the empty plain scalar.
    pending = False
    pending_key = ""
    pending_column = pending_key_start = pending_at = 0
    # Whether a line needs more than the common path: after a pending key, in a list.
    careful_line = False
    # Where the last value read ends: where the collections closed next end too.
    last_end = start

    position = start
    for line in lines:
        line_start = position
        position += len(line) + step
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)

        if careful_line or indent != column:
            dash = content[0] == "-" and content[1:2] in {"", " "}
            if pending:
                pending = False
                if indent > pending_column:
                    # The pending value is a collection that starts on this line.
                    at = line_start + indent
                    child: MapNode | ListNode
                    if dash:
                        child = ListNode(at)
                    elif _starts_mapping(content):
                        child = MapNode(at)
                    else:
                        return None  # a scalar on the next line
                    if len(stack) > max_depth:
                        return None
                    if in_list:
                        sequence.append(child)
                        stack.append((indent, child, "", at, at))
                    else:
                        mapping[pending_key] = child
                        stack.append(
                            (indent, child, pending_key, pending_key_start, at)
                        )
                    column = indent
                    if isinstance(child, ListNode):
                        sequence = child
                        in_list = True
                    else:
                        mapping = child
                        spans = child.spans
                        in_list = False
                elif in_list:
                    sequence.append(plain())
                    if locate:
                        sequence.spans.append((pending_at, pending_at))
                    last_end = pending_at
                else:
                    if dash and indent == pending_column:
                        return None  # a list at its key's column
                    mapping[pending_key] = plain()
                    if locate:
                        spans[pending_key] = (pending_key_start, pending_at, pending_at)
                    last_end = pending_at

            if indent != column:
                if indent > column:
                    return None  # deeper than the open collection
                column, parent = _close(stack, indent, last_end, locate)
                if indent != column:
                    return None  # between two open columns
                if isinstance(parent, ListNode):
                    sequence = parent
                    in_list = True
                else:
                    mapping = parent
                    spans = parent.spans
                    in_list = False
            careful_line = in_list

            if in_list:
                if not dash:
                    return None
                item = content[1:].lstrip(" ")
                if not item or item[0] == "#":
                    pending = careful_line = True
                    pending_column = indent
                    pending_at = line_start + indent + 1
                    continue
                item_column = len(line) - len(item)
                at = line_start + item_column
                key, colon, rest = item.partition(": ")
                if not colon and item[-1] == ":":
                    key, colon = item[:-1], ":"
                if not colon or (key not in text_keys and not _text_key(key)):
                    # A scalar item.
                    first = item[0]
                    if first == '"' or (
                        first in careful
                        or " #" in item
                        or ": " in item
                        or item[-1] in {":", " "}
                    ):
                        scalar = _scalar(item)
                        if scalar is None:
                            return None
                        sequence.append(scalar[0])
                        last_end = at + scalar[1]
                    else:
                        sequence.append(plain(item))
                        last_end = at + len(item)
                    if locate:
                        sequence.spans.append((at, last_end))
                    continue
                # A mapping starts on the dash's line.
                if len(stack) > max_depth:
                    return None
                mapping = MapNode(at)
                spans = mapping.spans
                sequence.append(mapping)
                stack.append((item_column, mapping, "", at, at))
                column = indent = item_column
                in_list = careful_line = False
            elif dash:
                return None  # a list item where a key belongs
            else:
                key, colon, rest = content.partition(": ")
        else:
            key, colon, rest = content.partition(": ")

        # A key in the mapping open at this column.
        if not colon:
            if content[-1] != ":":
                return None
            key = content[:-1]
        if (key not in text_keys and not _text_key(key)) or key in mapping:
            return None  # the general reader reads, or reports, these keys
        key_start = line_start + indent
        rest_at = key_start + len(key) + 2
        if rest:
            first = rest[0]
            if first == '"':
                length = rest.find('"', 1) + 1
                if length == len(rest) and "\\" not in rest:
                    mapping[key] = rest[1:-1]
                    last_end = rest_at + length
                    if locate:
                        spans[key] = (key_start, rest_at, last_end)
                    continue
            elif not (
                first in careful
                or " #" in rest
                or ": " in rest
                or rest[-1] in {":", " "}
            ):
                mapping[key] = plain(rest)
                last_end = rest_at + len(rest)
                if locate:
                    spans[key] = (key_start, rest_at, last_end)
                continue
            value_text = rest.lstrip(" ")
            rest_at += len(rest) - len(value_text)
        else:
            value_text = rest
        if not value_text or value_text[0] == "#":
            pending = careful_line = True
            pending_key = key
            pending_column = indent
            pending_key_start = key_start
            pending_at = key_start + len(key) + 1
            continue
        scalar = _scalar(value_text)
        if scalar is None:
            return None
        mapping[key] = scalar[0]
        last_end = rest_at + scalar[1]
        if locate:
            spans[key] = (key_start, rest_at, last_end)

    if pending:
        if in_list:
            sequence.append(Plain())
            if locate:
                sequence.spans.append((pending_at, pending_at))
        else:
            mapping[pending_key] = Plain()
            if locate:
                spans[pending_key] = (pending_key_start, pending_at, pending_at)
        last_end = pending_at
    if not root:
        return None
    _close(stack, 0, last_end, locate)
    if locate:
        root.start = next(iter(root.spans.values()))[0]
    root.end = last_end
    return root


def _close(
    stack: list[_Open],
    column: int,
    end: int,
    locate: bool,  # noqa: FBT001 (private, positional)
) -> tuple[int, MapNode | ListNode]:
    """Close the collections open deeper than ``column``; the innermost left open.

    They all end at ``end``, where the last value read ends, and so do their spans
    in their parents, which are written now if the tree is to ``locate`` them.
    """
    while stack[-1][0] > column:
        _, closed, key, key_start, value_start = stack.pop()
        closed.end = end
        parent = stack[-1][1]
        if not locate:
            continue
        if isinstance(parent, MapNode):
            parent.spans[key] = (key_start, value_start, end)
        else:
            parent.spans.append((value_start, end))
    return stack[-1][0], stack[-1][1]
