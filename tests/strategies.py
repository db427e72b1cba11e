"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import strategies as st

from records import record

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
