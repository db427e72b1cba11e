"""The front matter as a tree that remembers where everything stands in the file.

Both readers (the fast line reader and the PyYAML fallback) produce this tree; the
structuring layer turns it into typed records, and the writer uses its offsets to
copy unchanged text back byte for byte.

A value in the tree is one of:

- `Plain`: a plain (unquoted) scalar, kept as the text written in the file. What
  YAML 1.1 would make of it (a bool, number, null or timestamp) is decided only
  where a non-string is wanted (see `newsrecord._scalars`), so a provider named
  ``NO`` stays the string ``"NO"``.
- `str`: a quoted scalar, already unescaped.
- `MapNode` and `ListNode`: collections (block ones; flow ones only from the
  fallback reader).
- any other Python value (`int`, `bytes`, ...): a scalar with an explicit YAML tag,
  constructed by the fallback reader's safe constructor.

Spans
-----

Offsets are character offsets into the whole decoded file text (not into the YAML
block), so errors and the writer need no translation. Each value has a *text*,
``text[start:end]``, which is exactly the value as written and nothing else:

- A scalar's text runs from its first character to just past its last one: the
  quotes of a quoted scalar included; a plain scalar without the spaces or the
  comment after it; a block scalar (``|``, ``>``) up to the end of its last line
  that is not blank. A tag or an anchor before a value is part of its text.
- An empty value (``domain:``, or ``domain:`` with only spaces or a comment after
  it) is the empty plain scalar; its text is empty and stands just after the
  colon (for a list item, just after the dash; for a key written without a colon,
  ``? key``, just after the key).
- A block collection's text runs from its first key (a mapping) or its first dash
  (a list) to the end of its last value's text: the line break, blank lines and
  comments after it are not part of it. A flow collection's runs from its opening
  bracket to just past its closing one.

``MapNode.start`` and ``MapNode.end`` (and the same for `ListNode`) bound the
collection's own text, so a collection's span in its parent is its ``(start,
end)``, and its ``end`` is the end of its last value. A value reached through an
alias or a merge key (``*name``, ``<<``) carries the positions of the text it
repeats; the fast reader never produces one.

A tree read only to build a record from its values (the `Document` is not
``located``) has no spans at all: the record holds the file's text, and what
needs a position reads the text again with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ._syntax import position

if TYPE_CHECKING:
    from ._limits import Limits


class Plain(str):
    """A plain scalar's text, exactly as written (trailing spaces removed)."""

    __slots__ = ()


class MapNode(dict[str, object]):
    """A mapping: keys (strings) to values, in file order.

    ``spans[key]`` is ``(key_start, value_start, value_end)``: where the key's text
    starts, and where its value's text starts and ends (see Spans above).
    """

    __slots__ = ("end", "spans", "start")

    def __init__(self, start: int) -> None:
        # dict.__init__ with nothing to add would only cost time.
        self.start = start
        self.end = start
        self.spans: dict[str, tuple[int, int, int]] = {}


class ListNode(list[object]):
    """A list; ``spans[i]`` is ``(item_start, item_end)``, the text of item ``i``.

    The text of an item is its value's (after the dash and its spaces, for a list
    written in block style; see Spans above).
    """

    __slots__ = ("end", "spans", "start")

    def __init__(self, start: int) -> None:
        # list.__init__ with nothing to add would only cost time.
        self.start = start
        self.end = start
        self.spans: list[tuple[int, int]] = []


def same_value(one: object, other: object) -> bool:
    """Whether two values of the tree are the same, as written and as read.

    Stricter than ``==``: a `Plain` scalar (``5``, read by its field's rule) is
    not the quoted text ``"5"``, nor ``1`` the same as ``True``; mappings have
    the same keys in the same order.
    """
    if type(one) is not type(other):
        return False
    if isinstance(one, MapNode):
        assert isinstance(other, MapNode)  # noqa: S101 (the same type)
        return list(one) == list(other) and all(
            same_value(value, other[key]) for key, value in one.items()
        )
    if isinstance(one, ListNode):
        assert isinstance(other, ListNode)  # noqa: S101 (the same type)
        return len(one) == len(other) and all(map(same_value, one, other))
    return one == other


def _characters(text: str) -> str:
    return f"<{len(text)} characters>"


def _keys(root: MapNode) -> str:
    return f"<{len(root)} keys>"


@attrs.frozen
class Document:
    """A whole record file, split into its frame and its front-matter tree.

    ``text`` is the decoded file without its byte-order mark; ``front_matter`` is
    ``text[yaml_start:yaml_end]``; the body is ``text[body_start:]``. Its repr
    gives the sizes of the text and the tree, not their content: the file holds
    a ``secured`` token.
    """

    text: str = attrs.field(repr=_characters)
    path: str | None
    bom: bool
    newline: str
    yaml_start: int
    yaml_end: int
    body_start: int
    root: MapNode = attrs.field(repr=_keys)
    #: The bounds ``text`` was read within.
    limits: Limits = attrs.field(repr=False)
    #: Whether the tree holds where each value stands (its spans): a document
    #: read only to build its record has its values alone.
    located: bool = True
    #: The file's bytes up to its body (its byte-order mark included), when it
    #: was read from bytes: what a record keeps of its file, not encoded again.
    head: bytes | None = attrs.field(default=None, repr=False)

    @property
    def body(self) -> str:
        """The text after the closing delimiter line, exactly as in the file."""
        return self.text[self.body_start :]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column (in characters) of ``offset``."""
        return position(self.text, offset)
