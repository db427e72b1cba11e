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

import copy
import re
from typing import TYPE_CHECKING, Any, Final, cast

import yaml
from frontmatter.default_handlers import YAMLHandler

from ._errors import FrontMatterError, quoted, short_quotes
from ._limits import DEFAULT_LIMITS, Limits
from ._syntax import BOM, LINE_BREAKS, PRINTABLE, position
from ._tree import ListNode, MapNode, Plain, same_value
from ._yamlhints import explain

if TYPE_CHECKING:
    from collections.abc import Callable

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover (PyYAML built without libyaml)
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_HANDLER: Final = YAMLHandler()
_BOUNDARY: Final = _HANDLER.FM_BOUNDARY
#: The delimiter lines of nearly every record, which the boundary pattern matches.
_PLAIN_DELIMITERS: Final = ("---\n", "---\r\n")
_PLAIN_CLOSINGS: Final = frozenset({*_PLAIN_DELIMITERS, "---"})  # "---": at the end


#: What YAML refuses to read, anywhere (PyYAML's reader and libyaml agree).
_NON_PRINTABLE: Final = re.compile(f"[^{PRINTABLE}]")
#: A byte-order mark after a line break (see `read_yaml`).
_BOM_OPENING_A_LINE: Final = re.compile(f"[{LINE_BREAKS}]{BOM}")

_STR_TAG: Final = "tag:yaml.org,2002:str"
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_VALUE_TAG: Final = "tag:yaml.org,2002:value"
_MAP_TAG: Final = "tag:yaml.org,2002:map"
_SEQ_TAG: Final = "tag:yaml.org,2002:seq"
# YAML's line breaks, and its white space with them.
_LINE_BREAK: Final = re.compile(f"[{LINE_BREAKS}]")
_WHITE: Final = " \t" + LINE_BREAKS
# A comment, between two tokens (where `#` can start nothing else).
_COMMENT: Final = re.compile(f"#[^{LINE_BREAKS}]*")
# A comment after a token on its line.
_COMMENT_AFTER: Final = re.compile(r"[ \t]#")


class _NodeLoader(_BaseLoader):
    """A safe loader whose result is the composed node graph, not Python objects."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


def split(text: str, path: str | None) -> tuple[int, int, int]:
    """Where the front matter starts and ends and where the body starts.

    ``text`` has no byte-order mark. Raises `FrontMatterError` when the file does
    not open with a ``---`` line or never closes it.
    """
    # The common frame first: ``---`` lines alone, ended by LF or CRLF. Whatever
    # else is found (or is not), the boundary pattern decides.
    if text.startswith(_PLAIN_DELIMITERS):
        yaml_start = text.index("\n") + 1
        index = text.find("\n---", yaml_start - 1) + 1
        if index:
            body_start = text.find("\n", index) + 1 or len(text)
            if text[index:body_start] in _PLAIN_CLOSINGS:
                return yaml_start, index, body_start
    return split_by_pattern(text, path)


def split_by_pattern(text: str, path: str | None) -> tuple[int, int, int]:
    """`split`, by python-frontmatter's boundary pattern alone."""
    if not _HANDLER.detect(text):
        code = "no-front-matter"
        if not text:
            message = "the file is empty: a record starts with a '---' line"
        elif text.startswith("---\r") and not text.startswith("---\r\n"):
            message = (
                "no front matter: the lines end with a lone CR; "
                "a record's lines end with LF or CRLF"
            )
        elif _BOUNDARY.search(text) is None:
            message = "no front matter: a record starts with a '---' line"
        else:
            message = "text before the opening '---' line"
            code = "text-before-front-matter"
        raise FrontMatterError(message, code=code, path=path, line=1, column=1)
    yaml_start = _line_end(text, 0)
    closing = _closing_line(text, yaml_start)
    if closing is None:
        raise FrontMatterError(
            "the front matter opened on line 1 is never closed with a '---' line",
            code="unclosed-front-matter",
            path=path,
            line=1,
            column=1,
        )
    return yaml_start, closing.start(), _line_end(text, closing.start())


def _closing_line(text: str, start: int) -> re.Match[str] | None:
    """The first delimiter line at or after ``start``, which starts a line.

    The same match as ``_BOUNDARY.search(text, start)``, found faster: only the
    lines that start with ``---`` are tried, not every position of the body.
    """
    index = text.find("\n---", start - 1)
    while index != -1:
        closing = _BOUNDARY.match(text, index + 1)
        if closing is not None:
            return closing
        index = text.find("\n---", index + 1)
    return None


def _line_end(text: str, offset: int) -> int:
    """The offset just past the end of the line that holds ``offset``."""
    newline = text.find("\n", offset)
    if newline == -1:
        return len(text)
    return newline + 1


def read_yaml(
    text: str,
    start: int,
    end: int,
    path: str | None,
    limits: Limits = DEFAULT_LIMITS,
) -> MapNode:
    """Read ``text[start:end]`` as YAML into the tree, or raise `FrontMatterError`.

    Nesting deeper than ``limits.max_depth`` and more than ``limits.max_values``
    values (aliases expanded) are refused.
    """
    # YAML skips a U+FEFF that opens the stream; libyaml's marks then do not count
    # it, PyYAML's do. Skip it here, so that both count from the same place.
    if text.startswith(BOM, start, end):
        start += 1
    block = text[start:end]

    def offset(mark: Any) -> int:
        # A mark's index counts the block's characters, as the file does; its line
        # and column do not: YAML also breaks lines at a lone CR, NEL, LS and PS,
        # and does not count U+FEFF.
        index: int = mark.index
        return start + index

    def fail(message: str, code: str, at: int) -> FrontMatterError:
        line, column = position(text, at)
        return FrontMatterError(message, code=code, path=path, line=line, column=column)

    # Anywhere else, libyaml skips one that starts a line and PyYAML's own
    # reader takes it for text (`\ufeffkey:` nests under the key before, or is
    # a key of its own): no reading is the file's, so none is made.
    if BOM in block and (misplaced := _BOM_OPENING_A_LINE.search(block)):
        message = (
            "invalid YAML: a byte-order mark (U+FEFF) starts this line; YAML "
            "allows one only at the start of the file: remove it"
        )
        raise fail(message, "yaml-syntax", start + misplaced.end() - 1)
    root = _compose(block, start, offset, fail, limits)
    if root is None:
        raise fail("the front matter is empty", "not-a-mapping", start)
    if not isinstance(root, yaml.MappingNode):
        raise fail(
            f"the front matter must be a mapping of keys to values, "
            f"not a {_node_kind(root)}",
            "not-a-mapping",
            offset(root.start_mark),
        )
    builder = _TreeBuilder(text, offset, fail, limits)
    return builder.mapping(root, 0)


def _compose(
    block: str,
    start: int,
    offset: Callable[[Any], int],
    fail: Callable[[str, str, int], FrontMatterError],
    limits: Limits,
) -> Any:
    """PyYAML's node graph of ``block`` (``None`` if empty), or `FrontMatterError`.

    ``block`` starts at ``start`` in the file.
    """
    too_deep = f"the front matter nests deeper than {limits.max_depth} levels"
    try:
        return _HANDLER.load(block, Loader=_NodeLoader)
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.MarkedYAMLError):
            _unquote(exc)
        error = exc
        if _is_nesting_error(exc):  # libyaml refuses to parse 1,000 levels
            try:
                deep = _too_deep(block, limits.max_depth)
            except yaml.YAMLError as earlier:  # libyaml read past it
                error = earlier
            else:
                if deep is not None:
                    raise fail(too_deep, "too-deep", start + deep) from exc
        message, at = _syntax_error(error, block, start, offset)
        raise fail(message, "yaml-syntax", at) from error
    except RecursionError as exc:  # PyYAML's pure-Python composer recurses
        try:
            deep = _too_deep(block, limits.max_depth)
        # The composer read the same events without error, this deep and more.
        except yaml.YAMLError:  # pragma: no cover
            deep = None
        raise fail(too_deep, "too-deep", start + (deep or 0)) from exc


def _is_nesting_error(exc: yaml.YAMLError) -> bool:
    return isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem)


def _too_deep(block: str, max_depth: int) -> int | None:
    """Where in ``block`` the first value nested deeper than ``max_depth`` starts.

    The tree builder refuses the same value, but only once the whole node graph is
    composed, which takes Python's recursion or libyaml's own depth limit. Parser
    events come one at a time, without either: this finds the value all the same.
    `None` if there is none; raises the parser's `yaml.YAMLError` if it stops at
    a syntax error first. PyYAML's pure-Python parser reads ahead less than libyaml,
    which refuses ``[[[[...`` at its own limit before giving a single event, even
    past a syntax error: the same parser for any loader gives the same answer.
    """
    # Per open collection: None for a list; for a mapping, whether a key is next.
    keys: list[bool | None] = []
    for event in yaml.parse(block, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            keys.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = bool(keys) and keys[-1] is True
        if keys and keys[-1] is not None:
            keys[-1] = not keys[-1]
        # The builder's depth of a value is one less than the collections
        # around it; keys are not counted.
        if not is_key and len(keys) - 1 > max_depth:
            # The parser marks every event it gives.
            return int(cast("yaml.Mark", event.start_mark).index)
        if isinstance(event, yaml.MappingStartEvent):
            keys.append(True)
        elif isinstance(event, yaml.SequenceStartEvent):
            keys.append(None)
    # Only asked about front matter that one parser or the other found too deep.
    return None  # pragma: no cover


def _syntax_error(
    exc: yaml.YAMLError, block: str, start: int, offset: Callable[[Any], int]
) -> tuple[str, int]:
    """The message and the file offset of an error PyYAML raised on ``block``.

    ``block`` starts at ``start`` in the file.
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        _unquote(exc)
        mark = exc.problem_mark or exc.context_mark
        at = start if mark is None else offset(mark)
        context_at = None if exc.context_mark is None else offset(exc.context_mark)
        explained = explain(
            exc.problem or "",
            exc.context or "",
            block,
            at - start,
            None if context_at is None else context_at - start,
        )
        if explained is not None:
            message, where = explained
            return f"invalid YAML: {message}", start + where
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return f"invalid YAML: {problem}", at
    # A reader error's position counts bytes with libyaml and characters without
    # it, and is relative to the block: find the character again.
    found = _NON_PRINTABLE.search(block)
    if found is None:  # pragma: no cover (PyYAML marks every other error)
        return f"invalid YAML: {exc}", start
    message = (
        f"invalid YAML: the character U+{ord(found.group()):04X} is not allowed in YAML"
    )
    return message, start + found.start()


def _unquote(exc: yaml.MarkedYAMLError) -> None:
    """Keep PyYAML's error, chained as a cause, from quoting the file's text.

    The pure-Python loader's marks print the line they point at, which may hold a
    ``secured`` token; libyaml's marks carry no text. Names from the file that
    PyYAML quotes (a tag, an alias) are counted when long, as in our messages
    (`scrub` does the same to the whole chain of an error, later).
    """
    for mark in (exc.context_mark, exc.problem_mark):
        if isinstance(mark, yaml.Mark):
            mark.buffer = None
    if exc.problem:
        exc.problem = short_quotes(exc.problem)
    if exc.context:
        exc.context = short_quotes(exc.context)


def _tag(tag: str) -> str:
    """A tag as a message quotes it: YAML's own ones as written, ``!!binary``."""
    if tag.startswith(_STANDARD_TAG):
        tag = "!!" + tag.removeprefix(_STANDARD_TAG)
    return quoted(tag)


_STANDARD_TAG: Final = "tag:yaml.org,2002:"


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
        text: str,
        offset: Callable[[Any], int],
        fail: Callable[[str, str, int], FrontMatterError],
        limits: Limits,
    ) -> None:
        self.text = text
        self.limits = limits
        self.offset = offset
        self.fail = fail
        self.nodes = 0
        # Characters of the scalars built, aliases expanded: the front matter's own
        # text bounds them, unless aliases repeat a long one (see `value`).
        self.characters = 0
        self.constructor = _BaseLoader("")
        # Merged pairs by mapping node; the nodes live as long as the builder.
        self.flattened: dict[int, tuple[list[tuple[Any, Any]], int]] = {}
        # The copies of the nodes that merging rewrites, one per node (see `pairs`),
        # and the mappings whose merged ones were checked for tags.
        self.copies: dict[int, Any] = {}
        self.checked: set[int] = set()

    def value(self, node: yaml.Node, depth: int) -> tuple[object, int]:
        """The tree of ``node``, and where its text ends."""
        self.nodes += 1
        if self.nodes > self.limits.max_values:
            raise self.fail(
                f"the front matter has more than {self.limits.max_values} values "
                "(after expanding aliases)",
                "too-many-nodes",
                self.offset(node.start_mark),
            )
        if depth > self.limits.max_depth:
            raise self.fail(
                f"the front matter nests deeper than {self.limits.max_depth} levels",
                "too-deep",
                self.offset(node.start_mark),
            )
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
            if self.characters > self.limits.max_front_matter_size:
                # No value holds more text than its source, so without aliases
                # this never happens; with them, a few lines could stand for
                # gigabytes of text, to build here and to print downstream.
                raise self.fail(
                    "the front matter's values hold more than "
                    f"{self.limits.max_front_matter_size} characters "
                    "(after expanding aliases)",
                    "too-large",
                    self.offset(node.start_mark),
                )
        if isinstance(node, yaml.MappingNode):
            mapping = self.mapping(node, depth + 1)
            return mapping, mapping.end
        if isinstance(node, yaml.SequenceNode):
            sequence = self.sequence(node, depth + 1)
            return sequence, sequence.end
        scalar = cast("yaml.ScalarNode", node)
        return self.scalar(scalar), self.scalar_end(scalar)

    def scalar_end(self, node: yaml.ScalarNode) -> int:
        """Where a scalar's text ends: after its last character."""
        end = self.offset(node.end_mark)
        if node.style in {"|", ">"}:
            # A block scalar's end mark lies past its trailing line breaks and blank
            # lines, at the start of the line after them: its text ends at the first
            # line break after its last character that is not white space.
            start = self.offset(node.start_mark)
            written = self.text[start:end]
            last = len(written.rstrip(_WHITE))
            after = _LINE_BREAK.search(written, last)
            if after is not None:
                end = start + after.start()
            if _LINE_BREAK.search(written, 0, end - start) is None:
                # No line of content: the text is the header, without the spaces
                # and the comment after it (tags and anchors hold no spaces).
                header = _COMMENT_AFTER.split(written[: end - start], maxsplit=1)[0]
                end = start + len(header.rstrip(" \t"))
        return end

    def explicit(self, node: yaml.ScalarNode) -> bool:
        """Whether the scalar has a tag written in the file, or is quoted."""
        implicit = self.constructor.resolve(  # type: ignore[no-untyped-call]
            yaml.ScalarNode, node.value, (True, False)
        )
        # A plain scalar's style is None from the pure-Python loader, "" from libyaml.
        return bool(node.style) or node.tag != implicit

    def scalar(self, node: yaml.ScalarNode) -> object:
        if not self.explicit(node):
            return Plain(node.value)
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        # Not only YAMLError and ValueError: on text they cannot read, PyYAML's
        # constructors also raise KeyError, IndexError and AttributeError.
        except Exception as exc:
            if isinstance(exc, yaml.MarkedYAMLError):
                _unquote(exc)
            raise self.fail(
                f"cannot read the scalar tagged {_tag(node.tag)}: only plain and "
                "quoted scalars and YAML's standard tags are supported",
                "yaml-unsupported",
                self.offset(node.start_mark),
            ) from exc

    def untagged(self, node: yaml.Node, tag: str) -> None:
        """Refuse a collection with a tag of its own (``!!set``, ``!!omap``, ...)."""
        if node.tag != tag:
            raise self.fail(
                f"cannot read the {_node_kind(node)} tagged {_tag(node.tag)}: only "
                "plain mappings and lists are supported",
                "yaml-unsupported",
                self.offset(node.start_mark),
            )

    def mapping(self, node: yaml.MappingNode, depth: int) -> MapNode:
        self.untagged(node, _MAP_TAG)
        result = MapNode(self.offset(node.start_mark))
        pairs, merged_count = self.pairs(node)
        written: set[str] = set()
        for index, (key_node, value_node) in enumerate(pairs):
            key_at = self.offset(key_node.start_mark)
            key = self.key(key_node, key_at)
            if index >= merged_count and key in written:  # a key written twice
                again, _ = self.value(value_node, depth)
                if same_value(again, result[key]):
                    continue  # read once: the first is the one edits change
                line, _ = position(self.text, result.spans[key][0])
                raise self.fail(
                    f"duplicate key {quoted(key)}, with another value than on "
                    f"line {line}",
                    "duplicate-key",
                    key_at,
                )
            if index >= merged_count:  # a key written here, not merged in
                written.add(key)
            result[key], value_end = self.value(value_node, depth)
            value_at = self.offset(value_node.start_mark)
            key_end = self.offset(key_node.end_mark)
            if value_at == value_end and ":" not in _COMMENT.sub(
                "", self.text[key_end:value_at]
            ):
                # A key written without a colon (`? key`, `{key}`): its empty value
                # stands just after it, not where the next token starts.
                value_at = value_end = key_end
            elif value_at == value_end:  # nothing written: right after the colon
                value_at = value_end = self.after_colon(value_at)
            result.spans[key] = (key_at, value_at, value_end)
        result.end = self.end(node, [span[2] for span in result.spans.values()])
        return result

    def after_colon(self, at: int) -> int:
        """Where a value with nothing written starts: right after its colon.

        PyYAML's pure-Python loader places it there; libyaml, in a flow mapping
        (``{a: }``), places it at the next token, past the spaces.
        """
        before = at
        while before and self.text[before - 1] in " \t":
            before -= 1
        return before if self.text.startswith(":", before - 1) else at

    def pairs(self, node: yaml.MappingNode) -> tuple[list[tuple[Any, Any]], int]:
        """The key-value pairs of a mapping after merging (``<<``), as PyYAML does.

        Merged pairs come first, then the ones written in the mapping; the second
        item is how many were merged. PyYAML merges by rewriting the nodes, shared
        ones (anchors) included, so it works on a copy of the graph, made once per
        node: merging a copy again changes nothing, so mappings that merge the
        same ones share their copies, and the work stays linear in the nodes
        (copying each mapping's nodes anew took time quadratic in the chain of
        merges: seconds for a few kilobytes).
        """
        if not any(key.tag == _MERGE_TAG for key, _ in node.value):
            return node.value, 0
        if id(node) not in self.flattened:
            written = sum(1 for key, _ in node.value if key.tag != _MERGE_TAG)
            try:
                self.merged_untagged(node, self.checked)
                flat = copy.deepcopy(node, self.copies)
                self.constructor.flatten_mapping(flat)
            except RecursionError as exc:  # all recurse, as deep as the nodes go
                depth = self.limits.max_depth
                raise self.fail(
                    f"the front matter nests deeper than {depth} levels",
                    "too-deep",
                    self.offset(node.start_mark),
                ) from exc
            except yaml.MarkedYAMLError as exc:
                _unquote(exc)
                raise self.fail(
                    "invalid merge key ('<<'): it merges mappings, or lists of them",
                    "yaml-unsupported",
                    self.offset(node.start_mark),
                ) from exc
            self.flattened[id(node)] = (flat.value, len(flat.value) - written)
        return self.flattened[id(node)]

    def merged_untagged(self, node: yaml.MappingNode, seen: set[int]) -> None:
        """Refuse a tagged mapping or list that a merge key brings in.

        PyYAML merges their pairs and drops the tag; anywhere else they are
        refused (see `untagged`), so here too. ``seen`` holds the mappings checked.
        """
        for key, value in node.value:
            if key.tag != _MERGE_TAG:
                continue
            items = [value]
            if isinstance(value, yaml.SequenceNode):
                self.untagged(value, _SEQ_TAG)
                items = value.value
            for item in items:
                if isinstance(item, yaml.MappingNode) and id(item) not in seen:
                    seen.add(id(item))
                    self.untagged(item, _MAP_TAG)
                    self.merged_untagged(item, seen)

    def key(self, node: yaml.Node, at: int) -> str:
        # PyYAML reads the key `=` (tagged `value`) as the string "=".
        if isinstance(node, yaml.ScalarNode) and node.tag in {_STR_TAG, _VALUE_TAG}:
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and not self.explicit(node):
            kind = node.tag.rsplit(":", 1)[-1]
            message = f"keys must be strings; {quoted(node.value)} is read as {kind}"
        elif isinstance(node, yaml.ScalarNode):
            message = f"keys must be strings, not a scalar tagged {_tag(node.tag)}"
        elif self.text[at - 1 : at + 1] == "{{":
            # `{{ page.title }}`: a template's braces read as mappings, nested.
            message = (
                "a value that starts with '{{' is a mapping in YAML, not a "
                "template: put the value in double quotes"
            )
        else:
            message = f"keys must be strings, not a {_node_kind(node)}"
        raise self.fail(message, "key-not-a-string", at)

    def sequence(self, node: yaml.SequenceNode, depth: int) -> ListNode:
        self.untagged(node, _SEQ_TAG)
        result = ListNode(self.offset(node.start_mark))
        for item in node.value:
            value, item_end = self.value(item, depth)
            result.append(value)
            result.spans.append((self.offset(item.start_mark), item_end))
        result.end = self.end(node, [span[1] for span in result.spans])
        return result

    def end(self, node: yaml.CollectionNode, value_ends: list[int]) -> int:
        """Where a collection's text ends: at its closing bracket, or its last value.

        PyYAML's end mark of a block collection is where the next token starts,
        possibly lines later. Values merged in (``<<``) or repeated through an
        alias keep the positions of the text they come from, so the latest end
        is taken, and never one before the collection's start.
        """
        if node.flow_style:
            return self.offset(node.end_mark)
        return max(value_ends, default=self.offset(node.start_mark))
