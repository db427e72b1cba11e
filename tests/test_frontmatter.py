"""The general YAML reader: the frame found with python-frontmatter, the YAML read
through PyYAML's node graph into the tree, with positions in file coordinates.

Every test runs with PyYAML's libyaml loader and with its pure-Python one: the
package uses whichever PyYAML was built with, and both must give the same tree.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from newsrecord import FrontMatterError, _frontmatter
from newsrecord._frontmatter import read_yaml, split
from newsrecord._tree import Mapping, Plain


class _PythonNodeLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, stopping at the node graph."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


@pytest.fixture(params=["libyaml", "python"], autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once per PyYAML loader."""
    if request.param == "python":
        monkeypatch.setattr(_frontmatter, "_BaseLoader", yaml.SafeLoader)
        monkeypatch.setattr(_frontmatter, "_NodeLoader", _PythonNodeLoader)
    elif not yaml.__with_libyaml__:  # pragma: no cover (depends on the PyYAML build)
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


def tree(front_matter: str) -> Mapping:
    """The tree of a file whose front matter is ``front_matter``."""
    text = f"---\n{front_matter}---\n"
    start, end, _ = split(text, None)
    return read_yaml(text, start, end, None)


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
