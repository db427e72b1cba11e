"""The fast reader: the same tree as the general reader, or ``None``, never a guess.

Differential tests: on generated front matter and on every corpus file, whatever
the fast reader reads must equal the general reader's tree (keys, values, types,
spans), and its values must equal what PyYAML's C loader makes of the block; read
without spans, the same values.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import pytest
import yaml
from hypothesis import event, given

from conftest import CORPUS, needs_corpus
from newsrecord import FrontMatterError
from newsrecord._fastyaml import MAX_DEPTH, MAX_LINES, read_fast
from newsrecord._frontmatter import read_yaml, split
from newsrecord._limits import DEFAULT_LIMITS
from newsrecord._scalars import resolve
from newsrecord._tree import ListNode, MapNode, Plain
from strategies import front_matter

GENERAL_MAX_DEPTH = DEFAULT_LIMITS.max_depth
MAX_NODES = DEFAULT_LIMITS.max_values

if TYPE_CHECKING:
    from pathlib import Path

CORPUS_FILES = sorted([CORPUS / "reference.md", *CORPUS.glob("real/*/*.md")])


def framed(front: str) -> tuple[str, int, int]:
    """A file with ``front`` as its front matter, and where the front matter is."""
    newline = "\r\n" if front.endswith("\r\n") else "\n"
    text = f"---{newline}{front}---{newline}body{newline}"
    start, end, _ = split(text, None)
    return text, start, end


def fast(front: str) -> MapNode | None:
    """The fast reader's tree of ``front``, or ``None``."""
    return read_fast(*framed(front))


def shape(value: object) -> object:
    """Everything the tree says, types and positions included, as plain data."""
    if isinstance(value, MapNode):
        return (
            "mapping",
            value.start,
            value.end,
            [(key, value.spans[key], shape(item)) for key, item in value.items()],
        )
    if isinstance(value, ListNode):
        return (
            "list",
            value.start,
            value.end,
            [
                (span, shape(item))
                for span, item in zip(value.spans, value, strict=True)
            ],
        )
    return (type(value).__name__, value)


def content(value: object) -> object:
    """What the tree holds, types included, without where anything stands."""
    if isinstance(value, MapNode):
        return ("mapping", [(key, content(item)) for key, item in value.items()])
    if isinstance(value, ListNode):
        return ("list", [content(item) for item in value])
    return (type(value).__name__, value)


def spans(value: object) -> int:
    """How many spans the tree holds."""
    if isinstance(value, MapNode):
        return len(value.spans) + sum(map(spans, value.values()))
    if isinstance(value, ListNode):
        return len(value.spans) + sum(map(spans, value))
    return 0


def check_unlocated(text: str, start: int, end: int, tree: MapNode | None) -> None:
    """Read without spans, the block gives ``tree``'s values (or ``None``), no span."""
    unlocated = read_fast(text, start, end, locate=False)
    if tree is None:
        assert unlocated is None
        return
    assert unlocated is not None
    assert content(unlocated) == content(tree)
    assert spans(unlocated) == 0
    assert spans(tree) > 0


def python(value: object) -> object:
    """The Python value PyYAML's safe loader makes of a tree value."""
    if isinstance(value, Plain):
        return resolve(value)
    if isinstance(value, MapNode):
        return {key: python(item) for key, item in value.items()}
    if isinstance(value, ListNode):
        return [python(item) for item in value]
    return value


def same(left: object, right: object) -> bool:
    """Equal, of the same types all the way down (NaN equals NaN, keys in order)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(
            same(left[key], right[key]) for key in left
        )
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        return left == right and left.utcoffset() == right.utcoffset()
    return left == right


def c_loader(block: str) -> object:
    """What ``yaml.load(block, Loader=yaml.CSafeLoader)`` gives, or the error."""
    try:
        return yaml.load(block, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError) as exc:
        return exc


def python_or_error(tree: MapNode) -> object:
    """The tree's Python value, or the error resolving a scalar raises."""
    try:
        return python(tree)
    except ValueError as exc:
        return exc


def _written_as(text: str, start: int, key: str) -> bool:
    """Whether ``text`` at ``start`` is ``key``, or folds to it (a plain scalar over
    lines, as in a complex key, reads its line breaks and indentation as spaces)."""
    if text.startswith(key, start):
        return True
    return " ".join(text[start:].split()).startswith(" ".join(key.split()))


def check_spans(text: str, value: object) -> None:
    """Every span of a tree bounds its value's text, as `newsrecord._tree` says."""
    if isinstance(value, MapNode):
        pairs = [(value.spans[key][1:], item) for key, item in value.items()]
        complex_keys = False
        for key, (key_start, _, _) in value.spans.items():
            # A key is written as itself (a complex one maybe folded over lines), or
            # quoted, complex, anchored or tagged.
            assert _written_as(text, key_start, key) or text[key_start] in "\"'?&!"
            complex_keys |= "?" in text[text.rfind("\n", 0, key_start) : key_start + 1]
    elif isinstance(value, ListNode):
        pairs = list(zip(value.spans, value, strict=True))
        complex_keys = False
    else:
        return
    for (start, end), item in pairs:
        written = text[start:end]
        if isinstance(item, (MapNode, ListNode)):
            assert (start, end) == (item.start, item.end)
            check_spans(text, item)
        elif isinstance(item, Plain) and "\n" not in written and "\r" not in written:
            assert written == item or written.startswith(("&", "!"))
        elif isinstance(item, str) and written.startswith('"'):
            assert written.endswith('"')
            assert yaml.safe_load(written) == item
        if not written:
            # Just after the colon or dash (a complex key may have neither).
            assert text[start - 1] in ":-" or complex_keys
        else:
            assert written[-1] not in " \t\r\n"  # YAML's white space only
    if pairs and text[value.start] not in "[{":  # a block collection
        # It ends with its last value: the last written, if some are merged in.
        assert value.end == max(end for (_, end), _ in pairs)


class TestDifferential:
    @given(front_matter())
    def test_reads_the_subset(self, front: str) -> None:
        """Front matter inside the subset is read by the fast reader itself."""
        assert fast(front) is not None

    @given(front_matter())
    def test_subset_agrees_with_general_reader_and_c_loader(self, front: str) -> None:
        """Inside the subset, the tree and its values are the other readers'."""
        self.check(front)

    @given(front_matter(edges=True))
    def test_edges_agree_or_decline(self, front: str) -> None:
        """Around the subset, what the fast reader reads is what the others read."""
        self.check(front)

    @staticmethod
    def check(front: str) -> None:
        text, start, end = framed(front)
        tree = read_fast(text, start, end)
        event("read" if tree is not None else "declined")
        check_unlocated(text, start, end, tree)
        try:
            general = read_yaml(text, start, end, None)
        except FrontMatterError:
            assert tree is None
            return
        check_spans(text, general)
        if tree is None:
            return
        assert shape(tree) == shape(general)
        expected = c_loader(text[start:end])
        got = python_or_error(tree)
        if isinstance(expected, Exception):
            assert isinstance(got, ValueError)
        else:
            assert same(got, expected)


@needs_corpus
class TestCorpus:
    @pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
    @pytest.mark.parametrize(
        "path", CORPUS_FILES, ids=lambda path: str(path.relative_to(CORPUS))
    )
    def test_file_agrees(self, path: Path, newline: str) -> None:
        """Each corpus file (LF or CRLF) is read fast, exactly as by the others."""
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        text = text.replace("\n", newline)
        start, end, _ = split(text, None)
        tree = read_fast(text, start, end)
        assert tree is not None
        assert shape(tree) == shape(read_yaml(text, start, end, None))
        check_spans(text, tree)
        assert same(python(tree), c_loader(text[start:end]))
        check_unlocated(text, start, end, tree)


class TestSpans:
    def test_scalars_and_empty_values(self) -> None:
        """Values span their text; an empty one stands just after its colon."""
        text, start, end = framed('a: x  # note\nb: "q"\nc: \nd:\n')
        tree = read_fast(text, start, end)
        assert tree is not None
        spans = {key: text[begin:stop] for key, (_, begin, stop) in tree.spans.items()}
        assert spans == {"a": "x", "b": '"q"', "c": "", "d": ""}
        assert text[tree.spans["c"][1] - 1] == ":"
        assert (tree.start, tree.end) == (start, tree.spans["d"][2])

    def test_collections_end_at_their_last_value(self) -> None:
        """A collection ends where its last value's text ends, not lines later."""
        front = "p:\n  l:\n    - 1\n    - x: y\n\n  # note\n\nq: 2\n"
        text, start, end = framed(front)
        tree = read_fast(text, start, end)
        assert tree is not None
        provider = tree["p"]
        assert isinstance(provider, MapNode)
        listed = provider["l"]
        assert isinstance(listed, ListNode)
        assert text[provider.start : provider.end] == "l:\n    - 1\n    - x: y"
        assert text[listed.start : listed.end] == "- 1\n    - x: y"
        assert tree.spans["p"][1:] == (provider.start, provider.end)
        assert shape(tree) == shape(read_yaml(text, start, end, None))

    def test_crlf_offsets(self) -> None:
        """With CRLF line endings, offsets still point at the values."""
        text, start, end = framed('a: 1\r\nb:\r\n  - "x"\r\n')
        tree = read_fast(text, start, end)
        assert tree is not None
        assert text[tree.spans["a"][1] : tree.spans["a"][2]] == "1"
        assert text[tree.end - 3 : tree.end] == '"x"'
        assert shape(tree) == shape(read_yaml(text, start, end, None))


class TestValues:
    def test_escapes(self) -> None:
        """Double-quoted escapes are YAML's, exact-length hex ones included."""
        tree = fast('a: "\\u00e9ab \\x41\\U0001F600 \\"q\\" \\\\ \\/ \\t \\N"\n')
        assert tree == {"a": 'éab A😀 "q" \\ / \t \x85'}

    def test_plain_and_quoted_types(self) -> None:
        """Plain scalars are `Plain`, quoted ones `str`, as the general reader has."""
        tree = fast('a: NO\nb: "NO"\nc:\n')
        assert tree is not None
        assert [type(value) for value in tree.values()] == [Plain, str, Plain]

    def test_comments_and_blank_lines_anywhere(self) -> None:
        """Comment lines at any column and whitespace-only lines are skipped."""
        tree = fast("# top\na:\n# left\n      # right\n  b: 1\n   \n\n  c: 2\n")
        assert tree == {"a": {"b": "1", "c": "2"}}


class TestDeclines:
    @pytest.mark.parametrize(
        "front",
        [
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: 'single'\n",
            "a: one\n  two\n",
            'a: "one\n  two"\n',
            "a:\n  one\n",
            "a:\tb\n",
            "a: b\t\n",
            "a:\n  b: 1\n c: 2\n",
            "a:\n  b: 1\n   c: 2\n",
            "a:\n- 1\n",
            "? a\n: 1\n",
            '"a": 1\n',
            "a b: 1\n",
            "a: 1\na: 2\n",
            "yes: 1\n",
            "null: 1\n",
            "1: a\n",
            "%YAML 1.1\na: 1\n",
            "a: 1\n...\n",
            "a: 1\x00\n",
            "a: 1\x7f\n",
            "a: 1\x85b\n",
            "a: 1\u2028b\n",
            "a: \ufeff1\n",
            "a: 1\rb: 2\n",
            "a: 1\r\nb: 2\n",
            "",
            "# only a comment\n",
            "- a\n",
            "text\n",
            "  a: 1\n",
            "a: b: c\n",
            "a: b:\n",
            "a: - b\n",
            "a: -\n",
            "a: ?b\n",
            "a: #b\n  c\n",
            'a: "\\q"\n',
            'a: "\\ud800"\n',
            'a: "x" y\n',
            'a: "x"#y\n',
            "a:b\n",
            "a :b\n",
        ],
    )
    def test_declines(self, front: str) -> None:
        """Anything the fast reader is not sure of goes to the general reader."""
        assert fast(front) is None

    def test_declines_a_long_unclosed_quote_with_escapes(self) -> None:
        """An unclosed quoted scalar with escapes is declined, not backtracked on.

        The pattern of quoted scalars once took exponential time on this line; the
        test would not finish then.
        """
        assert fast('title: "' + "a\\n" * 30 + "b" * 10_000 + "\n") is None

    @pytest.mark.parametrize("opened", ['"\\"', '"a\\"b', '"\\u00e9'])
    def test_declines_a_quote_that_never_closes_however_long(self, opened: str) -> None:
        """An unclosed quoted scalar with escapes is declined, not searched forever."""
        assert fast(f"a: {opened}{'x' * 10_000}\n") is None

    def test_declines_what_is_too_deep(self) -> None:
        """Nesting past its limit (well within the general reader's) is declined."""
        assert MAX_DEPTH < GENERAL_MAX_DEPTH
        deep = "".join(f"{' ' * level}k:\n" for level in range(MAX_DEPTH + 2))
        assert fast(deep + " " * (MAX_DEPTH + 2) + "k: 1\n") is None
        shallow = "".join(f"{' ' * level}k:\n" for level in range(MAX_DEPTH - 2))
        assert fast(shallow + " " * (MAX_DEPTH - 2) + "k: 1\n") is not None

    def test_declines_what_is_too_long(self) -> None:
        """More lines than it may read stay below the general reader's node limit."""
        assert 2 * MAX_LINES < MAX_NODES
        assert fast("".join(f"k{line}: 1\n" for line in range(MAX_LINES))) is None
        assert fast("".join(f"k{line}: 1\n" for line in range(MAX_LINES - 1)))
