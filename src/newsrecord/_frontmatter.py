"""The one module that talks to python-frontmatter and PyYAML.

`split` finds the front matter with python-frontmatter's `YAMLHandler` (its
``detect`` and its boundary pattern), but keeps exact offsets: the handler's own
``split`` strips the whitespace around the delimiters, which would lose bytes and
positions. `read_yaml` is the general reader, for any YAML the fast line reader
leaves to it: it loads through ``YAMLHandler.load`` with a loader that stops at the
composed node graph, then builds the tree, resolving plain scalars later and
constructing explicitly tagged ones with PyYAML's *safe* constructor only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, cast

import yaml
from frontmatter.default_handlers import YAMLHandler

from ._errors import FrontMatterError
from ._tree import Mapping, Plain, Sequence, position

if TYPE_CHECKING:
    from collections.abc import Callable

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover (PyYAML built without libyaml)
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_HANDLER: Final = YAMLHandler()
_BOUNDARY: Final = _HANDLER.FM_BOUNDARY

#: Nesting deeper than this is refused; real records nest four levels.
MAX_DEPTH: Final = 100
#: Nodes (after alias expansion) beyond this are refused: no billion laughs.
MAX_NODES: Final = 100_000

_STR_TAG: Final = "tag:yaml.org,2002:str"
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"


class _NodeLoader(_BaseLoader):
    """A safe loader whose result is the composed node graph, not Python objects."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


def split(text: str, path: str | None) -> tuple[int, int, int]:
    """Where the front matter starts and ends and where the body starts.

    ``text`` has no byte-order mark. Raises `FrontMatterError` when the file does
    not open with a ``---`` line or never closes it.
    """
    if not _HANDLER.detect(text):
        first = _BOUNDARY.search(text)
        if not text:
            message, code = (
                "the file is empty: a record starts with a '---' line",
                ("no-front-matter"),
            )
        elif first is None:
            message, code = (
                "no front matter: a record starts with a '---' line",
                ("no-front-matter"),
            )
        else:
            message, code = (
                "text before the opening '---' line",
                ("text-before-front-matter"),
            )
        raise FrontMatterError(message, code=code, path=path, line=1, column=1)
    yaml_start = _line_end(text, 0)
    closing = _BOUNDARY.search(text, yaml_start)
    if closing is None:
        raise FrontMatterError(
            "the front matter opened on line 1 is never closed with a '---' line",
            code="unclosed-front-matter",
            path=path,
            line=1,
            column=1,
        )
    return yaml_start, closing.start(), _line_end(text, closing.start())


def _line_end(text: str, offset: int) -> int:
    """The offset just past the end of the line that holds ``offset``."""
    newline = text.find("\n", offset)
    if newline == -1:
        return len(text)
    return newline + 1


def read_yaml(text: str, start: int, end: int, path: str | None) -> Mapping:
    """Read ``text[start:end]`` as YAML into the tree, or raise `FrontMatterError`."""
    block = text[start:end]
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(block) if char == "\n")

    def offset(mark: Any) -> int:
        line: int = mark.line
        column: int = mark.column
        return start + line_starts[min(line, len(line_starts) - 1)] + column

    def fail(message: str, code: str, at: int) -> FrontMatterError:
        line, column = position(text, at)
        return FrontMatterError(message, code=code, path=path, line=line, column=column)

    try:
        root = _HANDLER.load(block, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        at = offset(mark) if mark is not None else start
        raise fail(f"invalid YAML: {problem}", "yaml-syntax", at) from exc
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}", "yaml-syntax", start) from exc
    except RecursionError as exc:
        raise fail(
            f"the front matter nests deeper than {MAX_DEPTH} levels", "too-deep", start
        ) from exc

    if root is None:
        raise fail("the front matter is empty", "not-a-mapping", start)
    if not isinstance(root, yaml.MappingNode):
        raise fail(
            f"the front matter must be a mapping of keys to values, "
            f"not a {_node_kind(root)}",
            "not-a-mapping",
            offset(root.start_mark),
        )
    builder = _TreeBuilder(offset, fail)
    return builder.mapping(root, 0)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return "scalar"


class _TreeBuilder:
    """Turns PyYAML's node graph into the tree, with limits and strict keys."""

    def __init__(
        self,
        offset: Callable[[Any], int],
        fail: Callable[[str, str, int], FrontMatterError],
    ) -> None:
        self.offset = offset
        self.fail = fail
        self.nodes = 0
        self.constructor = _BaseLoader("")

    def value(self, node: yaml.Node, depth: int) -> object:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(
                f"the front matter has more than {MAX_NODES} values "
                "(after expanding aliases)",
                "too-many-nodes",
                self.offset(node.start_mark),
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                f"the front matter nests deeper than {MAX_DEPTH} levels",
                "too-deep",
                self.offset(node.start_mark),
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth + 1)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, depth + 1)
        return self.scalar(cast("yaml.ScalarNode", node))

    def scalar(self, node: yaml.ScalarNode) -> object:
        implicit = self.constructor.resolve(  # type: ignore[no-untyped-call]
            yaml.ScalarNode, node.value, (True, False)
        )
        if not node.style and node.tag == implicit:  # libyaml: "", PyYAML: None
            return Plain(node.value)
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            raise self.fail(
                f"cannot read the scalar tagged {node.tag!r}: only plain and quoted "
                "scalars and YAML's standard tags are supported",
                "yaml-unsupported",
                self.offset(node.start_mark),
            ) from exc

    def mapping(self, node: yaml.MappingNode, depth: int) -> Mapping:
        result = Mapping(self.offset(node.start_mark))
        result.end = self.offset(node.end_mark)
        explicit = [pair for pair in node.value if pair[0].tag != _MERGE_TAG]
        merged_count = 0
        if len(explicit) != len(node.value):
            try:
                self.constructor.flatten_mapping(node)
            except yaml.YAMLError as exc:
                raise self.fail(
                    "invalid merge key ('<<')",
                    "yaml-unsupported",
                    self.offset(node.start_mark),
                ) from exc
            merged_count = len(node.value) - len(explicit)
        for index, (key_node, value_node) in enumerate(node.value):
            key_at = self.offset(key_node.start_mark)
            key = self.key(key_node, key_at)
            if key in result and index >= merged_count:
                raise self.fail(f"duplicate key {key!r}", "duplicate-key", key_at)
            result[key] = self.value(value_node, depth)
            result.spans[key] = (
                key_at,
                self.offset(value_node.start_mark),
                self.offset(value_node.end_mark),
            )
        return result

    def key(self, node: yaml.Node, at: int) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
            return str(node.value)
        shown = node.value if isinstance(node, yaml.ScalarNode) else _node_kind(node)
        raise self.fail(
            f"keys must be strings; {shown!r} is read as {node.tag.rsplit(':', 1)[-1]}",
            "key-not-a-string",
            at,
        )

    def sequence(self, node: yaml.SequenceNode, depth: int) -> Sequence:
        result = Sequence(self.offset(node.start_mark))
        result.end = self.offset(node.end_mark)
        for item in node.value:
            result.append(self.value(item, depth))
            result.spans.append(
                (self.offset(item.start_mark), self.offset(item.end_mark))
            )
        return result
