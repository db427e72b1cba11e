"""Syntax errors in words: what a YAML reader's error usually means, and where.

The readers' own messages (``found character that cannot start any token``,
``did not find expected key``) name the symptom, often past the line at fault.
`explain` knows the common causes in front matter (a tab in the indentation, a
line indented more or less than its neighbours, a quote or a bracket left
open, a ``: `` or a ``@`` in a value that is not quoted) and says what to do,
at the line at fault. It reads only the text and the positions the reader gave,
so that it answers the same for libyaml and for PyYAML's pure-Python reader.
"""

from __future__ import annotations

import re
from typing import Final

import attrs

#: A line whose value (of a key, or a list item) opens with a quote.
_QUOTED_VALUE: Final = re.compile(
    r"[ ]*(?:-[ ]+)*(?:[^\s\"'#\[{][^\"'#]*?:[ ]+|-[ ]+)?([\"'])(.*)"
)
#: A double-quoted scalar's text up to its closing quote, escapes skipped.
_DOUBLE_CLOSED: Final = re.compile(r'(?:[^"\\]|\\.)*"')
#: A single-quoted scalar's text up to its closing quote ('' is a quote).
_SINGLE_CLOSED: Final = re.compile(r"(?:[^']|'')*'(?!')")


@attrs.frozen
class _Stop:
    """Where and why the reader stopped (offsets in ``block``)."""

    problem: str
    context: str
    block: str
    at: int
    context_at: int | None


def explain(
    problem: str, context: str, block: str, at: int, context_at: int | None
) -> tuple[str, int] | None:
    """What a syntax error in ``block`` means, and where, or `None` if unsure.

    ``problem`` and ``context`` are the reader's words, ``at`` where it stopped
    and ``context_at`` where what it was reading started (offsets in ``block``).
    The answer is a message and an offset in ``block``.
    """
    stop = _Stop(problem, context, block, at, context_at)
    for rule in (_character, _quote, _bracket, _key, _colon, _indentation):
        answer = rule(stop)
        if answer is not None:
            return answer
    return None


def _character(stop: _Stop) -> tuple[str, int] | None:
    """A tab, or a character that cannot start a plain value (@, %, a backtick)."""
    block, at = stop.block, stop.at
    character = block[at : at + 1]
    if "cannot start any token" not in stop.problem:
        return None
    if character == "\t" and not block[_line_start(block, at) : at].strip(" \t"):
        return "a tab indents this line: YAML indents with spaces only", at
    if character in {"@", "`", "%"}:
        message = (
            f"a value cannot start with {character!r} unless it is quoted: "
            "put the value in double quotes"
        )
        return message, at
    return None


def _quote(stop: _Stop) -> tuple[str, int] | None:
    """A quoted value left open: the reader ran on to the end, or into the next key."""
    quote = _first_unclosed_quote(stop.block, stop.at)
    if quote is not None:
        return _unclosed_quote(stop.block, quote)
    opened = stop.context_at
    if (
        "end of stream" in stop.problem
        and opened is not None
        and stop.block[opened : opened + 1] in {'"', "'"}
    ):
        return _unclosed_quote(stop.block, opened)
    return None


def _bracket(stop: _Stop) -> tuple[str, int] | None:
    """A flow list or mapping not closed on the line that opens it."""
    block, at, context_at = stop.block, stop.at, stop.context_at
    if context_at is None or _line_start(block, context_at) == _line_start(block, at):
        return None
    for opening, closing in (("[", "]"), ("{", "}")):
        if f"',' or '{closing}'" in stop.problem:
            message = (
                f"the {opening!r} that opens this value is not closed with "
                f"{closing!r} on its line"
            )
            return message, context_at
    return None


def _unclosed_quote(block: str, at: int) -> tuple[str, int]:
    quote = block[at]
    escape = '\\"' if quote == '"' else "''"
    name = "double" if quote == '"' else "single"
    message = (
        f"the {name} quote that opens this value is not closed on its line "
        f"(a quote inside the value is written {escape})"
    )
    return message, at


def _first_unclosed_quote(block: str, at: int) -> int | None:
    """Where the first quoted value left open on its line starts, up to ``at``.

    Front matter never folds a quoted value over lines: one that runs on is, in
    a file that does not read, almost always a quote left open.
    """
    start = 0
    end = _line_end(block, at)
    while start < end:
        line_end = _line_end(block, start)
        line = block[start:line_end].rstrip("\r\n")
        found = _QUOTED_VALUE.fullmatch(line)
        if found is not None:
            closed = _DOUBLE_CLOSED if found[1] == '"' else _SINGLE_CLOSED
            if closed.match(found[2]) is None:
                return start + found.start(1)
        start = line_end
    return None


def _key(stop: _Stop) -> tuple[str, int] | None:
    """A line meant as ``key: value`` without the space after the colon, or the colon.

    The reader reads on into the next line, and stops there.
    """
    if "expected ':'" not in stop.problem or stop.context_at is None:
        return None
    return _missing_space(stop.block, _line_start(stop.block, stop.context_at))


def _missing_space(block: str, start: int) -> tuple[str, int] | None:
    """What the line at ``start``, meant as ``key: value``, lacks; `None` if unsure."""
    indent = _indent(block, start)
    text = _text(block, start)[indent:]
    key = _KEY_NO_SPACE.match(text)
    if key is not None:
        return _NO_SPACE, start + indent + key.end()
    if ":" not in text and not text.startswith(("-", "#")):
        message = "this line has no ': ' after its key: write a key, ': ' and its value"
        return message, start + indent
    return None


#: A key and its colon with no space after it (``heat:7``, not ``https://``).
_KEY_NO_SPACE: Final = re.compile(r"[A-Za-z_][\w.-]*(?=:[^\s/])")
_NO_SPACE: Final = (
    "no space after this colon: a key is followed by ': ', a colon and a space"
)


def _colon(stop: _Stop) -> tuple[str, int] | None:
    """A refused ``:``: in a value not quoted, or on a line indented too far."""
    if "mapping values are not allowed" not in stop.problem:
        return None
    block, at = stop.block, stop.at
    start = _line_start(block, at)
    before = block[start:at]
    if re.search(r":(?:[ \t]|$)", before):
        message = (
            "': ' inside a value that is not quoted: put the value in double quotes"
        )
        return message, at
    indent = _indent(block, start)
    above = _line_above(block, start)
    if above is not None and _indent(block, above) < indent:
        message = (
            "this line is indented more than the line above it, so it reads as "
            "part of that line's value: line up the keys of one mapping"
        )
        return message, start + indent
    if above is not None and not re.search(r":(?:[ \t]|$)", _text(block, above)):
        return _missing_space(block, above)
    return None


def _text(block: str, start: int) -> str:
    """The line that starts at ``start``, without its line break."""
    return block[start : _line_end(block, start)].rstrip("\r\n")


def _indentation(stop: _Stop) -> tuple[str, int] | None:
    """A line that does not line up with the mapping or list it is in."""
    if "block" not in stop.context or stop.context_at is None:
        return None
    block, at, context_at = stop.block, stop.at, stop.context_at
    in_list = "collection" in stop.context
    start = _line_start(block, at)
    indent = _indent(block, start)
    if start + indent != at:  # the reader stopped inside the line
        before = block[start:at].rstrip(" \t")
        if before.endswith(('"', "'")):
            message = (
                "text after the closing quote: quote the whole value (a quote "
                'inside it is written \\")'
            )
            return message, at
        return None
    expected = context_at - _line_start(block, context_at)
    if indent == expected and in_list:
        message = (
            f"this line is not a list item ('- '), but is indented as the items "
            f"of the list above it ({expected} spaces)"
        )
        return message, at
    if indent == expected:
        return None
    spaces = "1 space" if indent == 1 else f"{indent} spaces"
    message = (
        f"this line is indented by {spaces}, which lines up with no key or list "
        "item above it"
    )
    return message, at


def _line_start(block: str, at: int) -> int:
    return block.rfind("\n", 0, at) + 1


def _line_end(block: str, at: int) -> int:
    end = block.find("\n", at)
    return len(block) if end == -1 else end + 1


def _indent(block: str, start: int) -> int:
    """How many spaces indent the line that starts at ``start``."""
    end = _line_end(block, start)
    line = block[start:end]
    return len(line) - len(line.lstrip(" "))


def _line_above(block: str, start: int) -> int | None:
    """Where the nearest line above, neither blank nor a comment, starts."""
    while start > 0:
        start = _line_start(block, start - 1)
        text = block[start : _line_end(block, start)].strip()
        if text and not text.startswith("#"):
            return start
    return None
