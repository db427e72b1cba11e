"""The general YAML reader: the frame found with python-frontmatter, the YAML read
through PyYAML's node graph into the tree, with positions in file coordinates.

Every test runs with PyYAML's libyaml loader and with its pure-Python one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from newsrecord import FrontMatterError, Limits
from newsrecord._frontmatter import _BOUNDARY, read_yaml, split, split_by_pattern
from newsrecord._limits import DEFAULT_LIMITS
from newsrecord._scalars import resolve
from newsrecord._tree import ListNode, MapNode, Plain

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_DEPTH = DEFAULT_LIMITS.max_depth

pytestmark = pytest.mark.usefixtures("yaml_loader")


def tree(front_matter: str) -> MapNode:
    """The tree of a file whose front matter is ``front_matter``."""
    text = f"---\n{front_matter}---\n"
    start, end, _ = split(text, None)
    return read_yaml(text, start, end, None)


def as_python(value: object) -> object:
    """The Python value PyYAML's safe loader gives for a tree value."""
    if isinstance(value, Plain):
        return resolve(value)
    if isinstance(value, MapNode):
        return {key: as_python(item) for key, item in value.items()}
    if isinstance(value, ListNode):
        return [as_python(item) for item in value]
    return value


class TestSplitLineEndings:
    def test_lone_cr_line_endings_are_named(self) -> None:
        """Lines ending with a lone CR are named as the problem."""
        with pytest.raises(FrontMatterError) as caught:
            split("---\rtitle: x\r---\r", "old.md")
        assert str(caught.value) == (
            "old.md:1:1: no front matter: the lines end with a lone CR; a record's "
            "lines end with LF or CRLF"
        )
        assert caught.value.code == "no-front-matter"


def split_or_error(
    function: Callable[[str, None], tuple[int, int, int]], text: str
) -> object:
    """Where ``function`` splits ``text``, or the code of its error."""
    try:
        return function(text, None)
    except FrontMatterError as exc:
        return exc.code


#: Lines around a frame: delimiters, near misses and content, and line ends.
_FRAME_LINES = st.sampled_from(
    ["---", "----", "--- ", "---  \t", "---x", " ---", "--", "a: b", "", "..."]
)
_LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r", ""])


class TestSplitFastPath:
    @given(st.lists(st.tuples(_FRAME_LINES, _LINE_ENDS), max_size=8))
    def test_same_as_the_boundary_pattern(self, lines: list[tuple[str, str]]) -> None:
        """The common frame found without the pattern is where the pattern finds it."""
        text = "".join(line + end for line, end in lines)
        assert split_or_error(split, text) == split_or_error(split_by_pattern, text)


class TestScalars:
    @pytest.mark.parametrize(
        "written", ["NO", "yes", "null", "~", "1.10", "027", "0x1B", "2019-12-23", "x"]
    )
    def test_plain_scalars_stay_text(self, written: str) -> None:
        """A plain scalar is kept as its text, whatever YAML 1.1 would make of it."""
        value = tree(f"key: {written}\n")["key"]
        assert type(value) is Plain
        assert value == written

    def test_empty_value_is_empty_plain_text(self) -> None:
        """A key with nothing after it holds the empty plain scalar."""
        value = tree("key:\n")["key"]
        assert type(value) is Plain
        assert value == ""

    @pytest.mark.parametrize("written", ["'NO'", '"NO"', "!!str NO"])
    def test_quoted_and_str_tagged_scalars_are_str(self, written: str) -> None:
        """A quoted or ``!!str`` scalar is a plain `str`, not a `Plain`."""
        value = tree(f"key: {written}\n")["key"]
        assert type(value) is str
        assert value == "NO"

    @pytest.mark.parametrize(
        ("written", "expected"),
        [('!!int "27"', 27), ('!!bool "true"', True), ("!!float '1.5'", 1.5)],
    )
    def test_tagged_scalars_are_constructed(
        self, written: str, expected: object
    ) -> None:
        """A scalar with a standard tag is built by PyYAML's safe constructor."""
        value = tree(f"key: {written}\n")["key"]
        assert type(value) is type(expected)
        assert value == expected


# Characters that YAML counts differently from the file: multi-byte text, line
# breaks that only YAML knows (NEL, LS, PS), a lone CR, and U+FEFF that YAML skips.
_AWKWARD = ["é", "\u00a0", "\x85", "\u2028", "\u2029", "\ufeff", "\r", "\r\n", "😀"]


class TestPositions:
    @pytest.mark.parametrize("char", _AWKWARD)
    def test_spans_point_at_the_text(self, char: str) -> None:
        """Key and value spans are offsets into the file, whatever came before."""
        text = f'---\nfirst: "a{char}b"\nkey: value\n---\n'
        start, end, _ = split(text, None)
        root = read_yaml(text, start, end, None)
        key_start, value_start, value_end = root.spans["key"]
        assert text[key_start : key_start + 4] == "key:"
        assert text[value_start:value_end] == "value"

    @pytest.mark.parametrize("char", _AWKWARD)
    def test_errors_are_placed_in_file_coordinates(self, char: str) -> None:
        """An error's line and column count the file's lines and characters."""
        text = f'---\nfirst: {{k: "a{char}b", k: 2}}\n---\n'
        start, end, _ = split(text, None)
        with pytest.raises(FrontMatterError) as caught:
            read_yaml(text, start, end, None)
        assert caught.value.code == "duplicate-key"
        second = text.rindex("k:")
        lines = text[:second].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert (caught.value.line, caught.value.column) == (
            len(lines),
            len(lines[-1]) + 1,
        )

    @pytest.mark.parametrize(
        "flow", ["{a: }", "{a:  , b: 1}", "{a:   }", "[a: ]", "{b: 1, a: }"]
    )
    def test_empty_flow_value_is_placed_after_its_colon(self, flow: str) -> None:
        """A value with nothing written starts and ends right after its colon."""
        text = f"---\nx: {flow}\n---\n"
        start, end, _ = split(text, None)
        value = read_yaml(text, start, end, None)["x"]
        mapping = value[0] if isinstance(value, ListNode) else value
        assert isinstance(mapping, MapNode)
        _, value_start, value_end = mapping.spans["a"]
        assert value_start == value_end == text.index("a:", 8) + 2


class TestTags:
    @pytest.mark.parametrize(
        "written",
        [
            '!!int "abc"',
            '!!int ""',
            '!!float ""',
            '!!bool "maybe"',
            '!!bool ""',
            '!!timestamp "someday"',
            '!!timestamp "2019-13-45"',
            "!unknown value",
        ],
    )
    def test_unreadable_tagged_scalar_is_our_error(self, written: str) -> None:
        """A tagged scalar PyYAML cannot build is a `yaml-unsupported` error at it."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"title: x\nkey: {written}\n")
        assert caught.value.code == "yaml-unsupported"
        assert (caught.value.line, caught.value.column) == (3, 6)
        assert caught.value.__cause__ is not None

    @pytest.mark.parametrize(
        "written",
        [
            "!!set {a, b}",
            "!!omap [a: 1]",
            "!!pairs [a: 1]",
            "!!python/object:os.system {}",
            "!custom [1]",
        ],
    )
    def test_tagged_collection_is_our_error(self, written: str) -> None:
        """A list or mapping with a tag of its own is refused, not read as plain."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"title: x\nkey: {written}\n")
        assert caught.value.code == "yaml-unsupported"
        assert (caught.value.line, caught.value.column) == (3, 6)

    def test_tagged_root_is_our_error(self) -> None:
        """The front matter itself may not carry a tag of its own either."""
        with pytest.raises(FrontMatterError) as caught:
            tree("!!set\na: null\n")
        assert caught.value.code == "yaml-unsupported"

    def test_standard_collection_tags_are_read(self) -> None:
        """``!!map`` and ``!!seq`` name what a block would be anyway, and are read."""
        root = tree("a: !!map {b: c}\nd: !!seq [e]\n")
        assert root == {"a": {"b": "c"}, "d": ["e"]}


class TestMergeKeys:
    """YAML 1.1 merge keys (``<<``) give what PyYAML's safe loader gives."""

    @pytest.mark.parametrize(
        "front_matter",
        [
            "base: &b\n  name: P\n  domain: d\nprovider:\n  <<: *b\n  name: Q\n",
            "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
            "b: &b {x: 1}\nm: &m\n  <<: *b\n  x: 2\nuse: *m\nagain: *m\no: {<<: *m}\n",
            "b: &b {x: 1}\nm: &m {<<: *b, y: 2}\nout: {<<: *m, x: 3}\nlater: *m\n",
            "=: 1\n",
        ],
    )
    def test_same_values_as_pyyaml(self, front_matter: str) -> None:
        """Merged keys come first, explicit keys override them, nothing else moves."""
        expected = yaml.safe_load(front_matter)
        assert as_python(tree(front_matter)) == expected
        assert list(tree(front_matter)) == list(expected)

    def test_explicit_key_is_placed_where_written(self) -> None:
        """A key that overrides a merged one has the span of the explicit key."""
        text = "---\nbase: &b {name: P}\nprovider:\n  <<: *b\n  name: Q\n---\n"
        start, end, _ = split(text, None)
        provider = read_yaml(text, start, end, None)["provider"]
        assert isinstance(provider, MapNode)
        key_start, value_start, _ = provider.spans["name"]
        assert text[key_start:value_start] == "name: "

    def test_a_key_written_twice_alike_is_read_once(self) -> None:
        """Written twice with the same value, a key is read once, at its first place."""
        text = "---\na: 1\nb:\n  - x\nb:\n  - x\nc: {k: v}\nc: {k: v}\n---\n"
        start, end, _ = split(text, None)
        root = read_yaml(text, start, end, None)
        assert list(root) == ["a", "b", "c"]
        assert root["b"] == ["x"]
        assert root.spans["b"][0] == text.index("b:")
        assert root.spans["c"][0] == text.index("c:")

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("5", '"5"'),  # a number's text and quoted text are not the same
            ("1", "true"),
            ("[x]", "[x, y]"),
            ("{k: v}", "{k: w}"),
            ("{k: v, j: w}", "{j: w, k: v}"),
            ("[x]", "x"),
        ],
    )
    def test_a_key_written_twice_differently_is_refused(
        self, first: str, second: str
    ) -> None:
        """Two different values: which one is meant cannot be told."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"title: t\nkey: {first}\nkey: {second}\n")
        assert caught.value.code == "duplicate-key"
        assert caught.value.message == (
            "duplicate key 'key', with another value than on line 3"
        )
        assert (caught.value.line, caught.value.column) == (4, 1)

    def test_duplicate_explicit_keys_are_refused(self) -> None:
        """Merging does not excuse a key written twice."""
        with pytest.raises(FrontMatterError) as caught:
            tree("b: &b {x: 1}\nc:\n  <<: *b\n  y: 1\n  y: 2\n")
        assert caught.value.code == "duplicate-key"
        assert (caught.value.line, caught.value.column) == (6, 3)

    @pytest.mark.parametrize(
        ("merged", "column"),
        [
            ("!!python/object:os.stat_result {a: 1}", 7),
            ("!custom {a: 1}", 7),
            ("[{a: 1}, !custom {b: 1}]", 16),
            ("!custom [{a: 1}]", 7),
            ("{<<: !custom {a: 1}}", 12),
        ],
    )
    def test_merging_a_tagged_collection_is_refused(
        self, merged: str, column: int
    ) -> None:
        """A tagged mapping or list is refused when merged too, not read untagged."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"c:\n  <<: {merged}\n")
        assert caught.value.code == "yaml-unsupported"
        assert caught.value.message.startswith("cannot read the ")
        assert (caught.value.line, caught.value.column) == (3, column)

    @pytest.mark.parametrize("merged", ["3", "[3]", "[{a: 1}, x]"])
    def test_merging_a_non_mapping_is_refused(self, merged: str) -> None:
        """Only mappings, or lists of mappings, can be merged."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"c:\n  <<: {merged}\n")
        assert caught.value.code == "yaml-unsupported"
        assert caught.value.__cause__ is not None


class TestSyntaxErrors:
    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe"])
    def test_unacceptable_character_is_placed_at_it(self, char: str) -> None:
        """A character YAML does not accept is reported where it stands in the file."""
        text = f'---\ntitle: "ok"\nexcerpt: "a{char}b"\n---\n'
        start, end, _ = split(text, None)
        with pytest.raises(FrontMatterError) as caught:
            read_yaml(text, start, end, None)
        assert caught.value.code == "yaml-syntax"
        assert (caught.value.line, caught.value.column) == (3, 12)
        assert caught.value.message == (
            f"invalid YAML: the character U+{ord(char):04X} is not allowed in YAML"
        )
        assert caught.value.__cause__ is not None


def spans_of(front_matter: str) -> tuple[str, MapNode]:
    """A file with ``front_matter``, and its tree."""
    text = f"---\n{front_matter}---\n"
    start, end, _ = split(text, None)
    return text, read_yaml(text, start, end, None)


def written(text: str, node: MapNode | ListNode, step: str | int) -> str:
    """The text of the value at ``step`` of ``node``, by its span."""
    if isinstance(node, MapNode) and isinstance(step, str):
        _, start, end = node.spans[step]
    else:
        assert isinstance(node, ListNode)
        assert isinstance(step, int)
        start, end = node.spans[step]
    return text[start:end]


class TestSpans:
    """Spans bound each value's text exactly, as `newsrecord._tree` defines them."""

    def test_block_collections_end_at_their_last_value(self) -> None:
        """Not where the next key starts: blank lines and comments stay outside."""
        text, root = spans_of("a:\n  b:\n    - 1\n    - x: y\n\n# c\n\nz: 2\n")
        a = root["a"]
        assert isinstance(a, MapNode)
        assert written(text, root, "a") == "b:\n    - 1\n    - x: y"
        assert written(text, a, "b") == "- 1\n    - x: y"
        assert text[a.start : a.end] == written(text, root, "a")
        b = a["b"]
        assert isinstance(b, ListNode)
        assert text[b.start : b.end] == written(text, a, "b")
        assert written(text, b, 1) == "x: y"
        assert text[root.start : root.end] == text[4:-5]

    def test_list_at_its_keys_column_ends_at_its_last_item(self) -> None:
        """A list written at its key's column spans its dashes and items only."""
        text, root = spans_of("a:\n- 1\n- 2\n\nb: 3\n")
        assert written(text, root, "a") == "- 1\n- 2"

    @pytest.mark.parametrize("written_value", ["", " ", " # note", "  # note  "])
    def test_empty_value_stands_after_the_colon(self, written_value: str) -> None:
        """An empty value has empty text, just after its colon or dash."""
        text, root = spans_of(f"a:{written_value}\nb:\n  -{written_value}\n  - x\n")
        _, start, end = root.spans["a"]
        assert (start, end) == (text.index("a:") + 2,) * 2
        b = root["b"]
        assert isinstance(b, ListNode)
        dash = text.index("  -") + 2
        assert b.spans[0] == (dash + 1, dash + 1)

    @pytest.mark.parametrize(
        "front_matter",
        ["l:\n  - ? k\n\nz: 1\n", "l:\n  - ? k\n# a: b\nz: 1\n", "l:\n  - {k}\nz: 1\n"],
    )
    def test_empty_value_of_a_key_without_colon_stands_after_it(
        self, front_matter: str
    ) -> None:
        """A key written without a colon has its empty value just after it."""
        text, root = spans_of(front_matter)
        listed = root["l"]
        assert isinstance(listed, ListNode)
        item = listed[0]
        assert isinstance(item, MapNode)
        _, start, end = item.spans["k"]
        assert (start, end) == (text.index("k") + 1,) * 2
        assert text[listed.start : listed.end].rstrip("}") == text[listed.start : end]

    @pytest.mark.parametrize(
        ("front_matter", "value"),
        [
            ("a: |\n  one\n  two  \n\n\nb: 1\n", "|\n  one\n  two  "),
            ("a: >-\n  one\n# note\nb: 1\n", ">-\n  one"),
            ("a: |+\n  one\n\n", "|+\n  one"),
            ("a: |\n\nb: 1\n", "|"),
            ("a: | \n", "|"),
            ("a: >- # note\nb: 1\n", ">-"),
            ("a: !!str |2 # a|b\n\n", "!!str |2"),
        ],
    )
    def test_block_scalar_ends_at_its_last_line(
        self, front_matter: str, value: str
    ) -> None:
        """A block scalar's text ends with its last line that is not blank."""
        text, root = spans_of(front_matter)
        assert written(text, root, "a") == value

    @pytest.mark.parametrize(
        ("written_value"),
        ["[1, [2]]", "{x: 1}", "[]", "{}", "'it''s'", '"q"', "plain text", "&x 1"],
    )
    def test_flow_and_quoted_values_span_their_brackets_and_quotes(
        self, written_value: str
    ) -> None:
        """A flow collection or a quoted scalar spans its brackets or quotes."""
        text, root = spans_of(f"a: {written_value}  # note\nb: 1\n")
        assert written(text, root, "a") == written_value

    def test_multi_line_scalars_span_all_their_lines(self) -> None:
        """A plain or quoted scalar over several lines spans them all."""
        text, root = spans_of('a: one\n  two\nb: "three\n  four"\nc: 1\n')
        assert written(text, root, "a") == "one\n  two"
        assert written(text, root, "b") == '"three\n  four"'


_BOUNDARY_LINES = [
    "---", "--- ", "---\t", "----", "---\r", "--- x", "-- -", "x---", " ---", "--",
    "key: value", "", "---\x0c", "---\x85",
]  # fmt: skip


class TestSplit:
    @given(
        st.lists(st.sampled_from(_BOUNDARY_LINES), max_size=8),
        st.sampled_from(["\n", "\r\n"]),
    )
    def test_closing_line_as_python_frontmatter_finds_it(
        self, lines: list[str], newline: str
    ) -> None:
        """The closing delimiter is the first line python-frontmatter would take."""
        text = "---" + newline + newline.join(lines)
        yaml_start = text.index("\n") + 1
        expected = _BOUNDARY.search(text, yaml_start)
        if expected is None:
            with pytest.raises(FrontMatterError):
                split(text, None)
        else:
            assert split(text, None)[1] == expected.start()


class TestKeys:
    @pytest.mark.parametrize(
        ("front_matter", "message"),
        [
            ("2024: x\n", "keys must be strings; '2024' is read as int"),
            ("yes: x\n", "keys must be strings; 'yes' is read as bool"),
            ("? [a, b]\n: x\n", "keys must be strings, not a list"),
            ("? {a: b}\n: x\n", "keys must be strings, not a mapping"),
            (
                "!!python/name:os.system : x\n",
                "keys must be strings, not a scalar tagged '!!python/name:os.system'",
            ),
            ("!!int '7': x\n", "keys must be strings, not a scalar tagged '!!int'"),
        ],
    )
    def test_key_that_is_not_a_string(self, front_matter: str, message: str) -> None:
        """A key YAML reads as anything but a string is refused, saying as what."""
        with pytest.raises(FrontMatterError) as caught:
            tree(front_matter)
        assert caught.value.code == "key-not-a-string"
        assert caught.value.message == message
        assert (caught.value.line, caught.value.column) == (
            2,
            1 + 2 * ("?" in front_matter),
        )

    def test_template_braces_are_named(self) -> None:
        """`{{ page.title }}` is a mapping whose key is one: the message says so."""
        with pytest.raises(FrontMatterError) as caught:
            tree("title: {{ page.title }}\n")
        assert caught.value.code == "key-not-a-string"
        assert caught.value.message == (
            "a value that starts with '{{' is a mapping in YAML, not a template: "
            "put the value in double quotes"
        )
        assert (caught.value.line, caught.value.column) == (2, 9)

    def test_quoted_number_is_a_string_key(self) -> None:
        """A quoted key is a string, whatever its text."""
        assert list(tree('"2024": x\n')) == ["2024"]

    def test_byte_order_mark_opening_the_block(self) -> None:
        """A U+FEFF opening the YAML block (YAML skips it) is counted all the same."""
        text = "---\n\ufeffkey: value\nother: [x, y\n---\n"
        start, end, _ = split(text, None)
        with pytest.raises(FrontMatterError) as caught:
            read_yaml(text, start, end, None)
        assert (caught.value.line, caught.value.column) == (3, 8)
        text = "---\n\ufeffkey: value\nother: x\n---\n"
        start, end, _ = split(text, None)
        root = read_yaml(text, start, end, None)
        key_start, value_start, _ = root.spans["other"]
        assert text[key_start:value_start] == "other: "

    @pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\x85", "\u2028"])
    @pytest.mark.parametrize("line", ["other: x", "", "  - y", "# a comment"])
    def test_byte_order_mark_starting_a_later_line(
        self, yaml_loader: str, line_break: str, line: str
    ) -> None:
        """A U+FEFF that starts any other line is refused, with either loader.

        libyaml skips it and PyYAML's own reader reads it as text: ``\\ufeffother``
        would be a key nested under ``key``, or a key of its own.
        """
        assert yaml_loader in {"libyaml", "python"}
        text = f"---\nkey:\n  - x{line_break}\ufeff{line}\nlast: 1\n---\n"
        start, end, _ = split(text, None)
        with pytest.raises(FrontMatterError) as caught:
            read_yaml(text, start, end, None)
        error = caught.value
        # At the mark, counted in the file's lines (NEL and LS break YAML's only).
        before = text[: text.index("\ufeff")]
        lines = before.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        line_number, column = len(lines), len(lines[-1]) + 1
        assert (error.code, error.line, error.column) == (
            "yaml-syntax",
            line_number,
            column,
        )
        assert str(error) == (
            f"<string>:{line_number}:{column}: invalid YAML: a byte-order mark "
            "(U+FEFF) starts this line; YAML allows one only at the start of the "
            "file: remove it"
        )

    def test_byte_order_mark_inside_a_line_is_text(self, yaml_loader: str) -> None:
        """A U+FEFF after a line's first character is text, as both loaders read it."""
        assert yaml_loader in {"libyaml", "python"}
        text = '---\nkey: a\ufeffb\nquoted: "\ufeffc"\nblock: |\n  \ufeffd\n---\n'
        start, end, _ = split(text, None)
        root = read_yaml(text, start, end, None)
        assert [root["key"], root["quoted"], root["block"]] == [
            "a\ufeffb",
            "\ufeffc",
            "\ufeffd\n",
        ]


class TestLimits:
    @pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 700])
    def test_deep_nesting_is_refused(self, depth: int) -> None:
        """Lists nested past the limit are refused, even past Python's recursion."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"key: {'[' * depth}x{']' * depth}\n")
        assert caught.value.code == "too-deep"
        assert caught.value.line == 2

    @pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 700, 10_000])
    def test_deep_flow_nesting_is_placed_at_the_first_value_too_deep(
        self, depth: int
    ) -> None:
        """Past either YAML library's own limit, the same value is reported."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"first: [[x]]\nkey: {'[' * depth}x{']' * depth}\n")
        assert caught.value.code == "too-deep"
        # The list inside MAX_DEPTH + 1 others opens after `key: ` and those.
        assert (caught.value.line, caught.value.column) == (3, 6 + MAX_DEPTH + 1)

    def test_syntax_error_before_deep_nesting_is_reported(self) -> None:
        """A syntax error that comes before nesting too deep is the one reported."""
        with pytest.raises(FrontMatterError) as caught:
            tree(f"key: {'[' * 50}'a' 'b'{'[' * 2000}\n")
        assert caught.value.code == "yaml-syntax"
        assert (caught.value.line, caught.value.column) == (2, 6 + 50 + 4)

    @pytest.mark.parametrize("depth", [MAX_DEPTH + 3, 700, 10_000])
    def test_deep_block_nesting_is_placed_at_the_first_value_too_deep(
        self, depth: int
    ) -> None:
        """Block mappings nested past any limit: the first one too deep is named."""
        front_matter = "".join(" " * level + "a:\n" for level in range(depth))
        with pytest.raises(FrontMatterError) as caught:
            tree(front_matter)
        assert caught.value.code == "too-deep"
        # Line 2 holds the root's key; the value on line n + 2 is inside n
        # collections and starts at column n + 1.
        inside = MAX_DEPTH + 2
        assert (caught.value.line, caught.value.column) == (inside + 2, inside + 1)
        assert caught.value.message == (
            f"the front matter nests deeper than {MAX_DEPTH} levels"
        )

    @pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 900])
    def test_deep_value_merged_in_is_refused(self, depth: int) -> None:
        """A merge key (`<<`) bringing in a deep value is refused, not a crash."""
        deep = "[" * depth + "]" * depth
        with pytest.raises(FrontMatterError) as caught:
            tree(f"x: 1\ny: {{<<: {{a: {deep}}}}}\n")
        assert caught.value.code == "too-deep"
        assert caught.value.line == 3

    def test_text_repeated_by_aliases_is_bounded(self) -> None:
        """Aliases repeating a long value past the front matter's size are refused."""
        value = "x" * 1000
        front_matter = f'a: &a "{value}"\nb: [{", ".join(["*a"] * 20)}]\n'
        text = f"---\n{front_matter}---\n"
        start, end, _ = split(text, None)
        limits = Limits(max_front_matter_size=len(front_matter))
        with pytest.raises(FrontMatterError) as caught:
            read_yaml(text, start, end, None, limits)
        assert caught.value.code == "too-large"
        assert (caught.value.line, caught.value.column) == (2, 4)
        assert caught.value.message == (
            f"the front matter's values hold more than {len(front_matter)} "
            "characters (after expanding aliases)"
        )

    @pytest.mark.parametrize(
        "front_matter",
        [
            'a: "' + "x" * 200 + '"\n',
            "a: |\n" + "  " + "x" * 200 + "\n",
            'a: "' + "\\u0041" * 40 + '"\n',
            "a: >\n" + "  x\n" * 50,
        ],
    )
    def test_values_as_long_as_their_text_are_read(self, front_matter: str) -> None:
        """Without aliases no value is longer than its text: none is refused."""
        text = f"---\n{front_matter}---\n"
        start, end, _ = split(text, None)
        limits = Limits(max_front_matter_size=len(front_matter))
        assert read_yaml(text, start, end, None, limits)["a"]

    def test_nesting_up_to_the_limit_is_read(self) -> None:
        """Nesting as deep as the limit allows is read."""
        depth = MAX_DEPTH
        value: object = tree(f"key: {'[' * depth}x{']' * depth}\n")["key"]
        for _ in range(depth):
            assert isinstance(value, ListNode)
            (value,) = value
        assert value == "x"

    def test_alias_bomb_is_refused(self) -> None:
        """Aliases that expand past the limit on values are refused."""
        levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for name, previous in zip("bcde", "abcd", strict=True):
            levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
        with pytest.raises(FrontMatterError) as caught:
            tree("\n".join(levels) + "\n")
        assert caught.value.code == "too-many-nodes"
