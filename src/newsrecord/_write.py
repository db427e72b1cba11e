"""Writing: an `Article` back to the text of a record file, by editing that text.

A record read from a file is written by editing the file's text: what did not
change is copied byte for byte (byte-order mark, line endings, quoting, comments,
blank and whitespace-only lines, unknown keys, key order, the body). A changed
scalar is rewritten in place, in the style of the text it replaces; a changed
nested record or list is compared item by item, so one changed image width
rewrites one line; a removed key takes its lines with it (and its group's blank
line when the whole group is gone); an added key goes where the format's key
order puts it, in the style of its neighbours.

The jobs around it have modules of their own: fresh rendering (`newsrecord._render`),
the layout of a file's text (`newsrecord._layout`) and comparing records
(`newsrecord._compare`).
"""

from __future__ import annotations

from collections import abc
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from ._compare import same
from ._layout import Layout, Span, TextLayout, end_of_line, file_style, start_of_line
from ._render import (
    EXTRA,
    FIELDS,
    GROUPS,
    Field,
    Renderer,
    Shape,
    Style,
    absent,
    any_scalar,
    styled,
)
from ._syntax import BOM
from ._tree import ListNode, MapNode

if TYPE_CHECKING:
    from ._model import Record
    from ._tree import Document


class _Writer(Renderer):
    """Writes one record as edits to its source text."""

    def __init__(self, text: str, style: Style) -> None:
        super().__init__(style)
        self.text = text
        self.layout = TextLayout(text)
        self.edits: list[tuple[int, int, str]] = []

    def splice_record(self, new: Any, old: Any, layout: Layout) -> bool:
        """Edit a record's text from ``old`` to ``new``; False if it cannot be.

        On False nothing is recorded, and the caller rewrites the whole record.
        """
        mark = len(self.edits)
        entries = layout.entries
        removed: set[str] = set()
        added: list[tuple[Field | None, str, Any]] = []
        assert layout.model is not None  # noqa: S101 (a record's layout)
        for field in FIELDS[layout.model]:
            if field is EXTRA:
                self._diff_extra(new.extra, old.extra, layout, removed, added)
                continue
            value = getattr(new, field.attr)
            if same(value, getattr(old, field.attr)):
                continue
            if field.key not in entries:
                if not absent(value):
                    added.append((field, field.key, value))
            elif absent(value):
                removed.add(field.key)
            else:
                self._change(field, value, getattr(old, field.attr), layout)
        first = next(iter(entries))
        kept = [key for key in entries if key not in removed]
        if (layout.in_item and first in removed) or not self._insert(
            layout, kept, added
        ):
            del self.edits[mark:]
            return False
        self._cut(list(entries.values()), [key in removed for key in entries])
        return True

    def _diff_extra(
        self,
        new: abc.Mapping[str, Any],
        old: abc.Mapping[str, Any],
        layout: Layout,
        removed: set[str],
        added: list[tuple[Field | None, str, Any]],
    ) -> None:
        """Compare a record's unknown keys: changed, removed and added ones."""
        for key, value in new.items():
            if key not in old:
                added.append((None, key, value))
            elif not same(value, old[key]):
                self._change_any(key, value, layout)
        removed.update(key for key in old if key not in new)

    def _change(self, field: Field, value: Any, old: Any, layout: Layout) -> None:
        """Rewrite a changed value: a scalar in place, a record or list item by item.

        A record or list laid out in a way the editor does not follow (flow style,
        say) is rewritten whole, in the reference style.
        """
        span = layout.entries[field.key]
        node = layout.node[field.key]  # type: ignore[call-overload]
        form = field.form
        if form is Shape.RECORD:
            inner = self.layout.mapping_layout(node, field.model)
            if inner is None or not self.splice_record(value, old, inner):
                self._rewrite(
                    span, self.entry_lines(field, value, layout.column), layout
                )
        elif form is Shape.RECORDS or form is Shape.STRINGS:
            inner = self.layout.sequence_layout(node)
            if inner is None or not self.splice_list(field, value, old, inner):
                self._rewrite(
                    span, self.entry_lines(field, value, layout.column), layout
                )
        else:
            style = self._style_at(span)
            self._replace_scalar(span, self.scalar(form, value, style))

    def _change_any(self, key: str, value: Any, layout: Layout) -> None:
        """Rewrite a changed unknown key: a scalar in place, a collection whole."""
        span = layout.entries[key]
        node = layout.node[key]  # type: ignore[call-overload]
        collection = isinstance(value, (abc.Mapping, tuple, list)) and value
        if collection or isinstance(node, (MapNode, ListNode)):
            self._rewrite(span, self.any_lines(key, value, layout.column), layout)
        elif isinstance(value, str):
            self._replace_scalar(span, styled(value, self._style_at(span)))
        else:
            self._replace_scalar(span, any_scalar(value))

    def _style_at(self, span: Span) -> str:
        """How the value at ``span`` is quoted: "plain", "double" or "single"."""
        if span.value_start == span.value_end:
            return "plain"
        first = self.text[span.value_start]
        return {'"': "double", "'": "single"}.get(first, "plain")

    def _replace_scalar(self, span: Span, rendered: str) -> None:
        start, end = span.value_start, span.value_end
        if start != end:
            self.edits.append((start, end, rendered))
            return
        # Nothing was written after the colon: add a space, drop trailing blanks.
        content_end = len(self.text[: end_of_line(self.text, end)].rstrip("\r\n"))
        if self.text[end:content_end].strip(" \t"):  # a comment follows
            content_end = end
        self.edits.append((end, content_end, " " + rendered))

    def _rewrite(self, span: Span, lines: list[str], layout: Layout) -> None:
        """Replace an entry (or list item) whole with ``lines``."""
        if span.start != start_of_line(self.text, span.start):  # it follows a dash
            lines = [lines[0][layout.column :], *lines[1:]]
        newline = self.style.newline
        self.edits.append((span.start, span.end, newline.join(lines) + newline))

    def _cut(self, spans: list[Span], removed: list[bool]) -> None:
        """Cut removed entries, and a group's blank lines once the group is gone."""
        for index, span in enumerate(spans):
            if not removed[index]:
                continue
            keep_gap = False
            if span.gap < span.start:  # it opens a group: is anything of it kept?
                for later, later_span in enumerate(spans[index + 1 :], index + 1):
                    if later_span.gap < later_span.start:
                        break
                    if not removed[later]:
                        keep_gap = True
                        break
            self.edits.append((span.start if keep_gap else span.gap, span.end, ""))

    def _insert(
        self,
        layout: Layout,
        kept: list[str],
        added: list[tuple[Field | None, str, Any]],
    ) -> bool:
        """Insert new keys where the key order puts them; False if it cannot."""
        if not added:
            return True
        if not kept:  # pragma: no cover (a record's required keys always stay)
            return False
        assert layout.model is not None  # noqa: S101 (a record's layout)
        fields = FIELDS[layout.model]
        rank = {field.key: index for index, field in enumerate(fields)}
        extra_rank = fields.index(EXTRA)
        entries = layout.entries
        newline = self.style.newline
        blank = layout.model in GROUPS and any(
            span.gap < span.start for span in entries.values()
        )
        for field, key, value in added:
            own = extra_rank if field is None else rank[key]
            anchor, anchor_rank = None, -1
            for candidate in kept:  # the last of the keys that come before it
                other = rank.get(candidate, extra_rank)
                before = other < own or (field is None and other == own)
                if before and other >= anchor_rank:
                    anchor, anchor_rank = candidate, other
            if field is None:
                lines = self.any_lines(key, value, layout.column)
            else:
                lines = self.entry_lines(field, value, layout.column)
            text = newline.join(lines) + newline
            if anchor is None:  # pragma: no cover (first keys are required ones)
                return False  # before every key: the caller rewrites the record
            span = entries[anchor]
            at = span.end
            # A blank line opens a group, unless it would fall into a keep-chomped
            # block scalar before it.
            node = layout.node[anchor]  # type: ignore[call-overload]
            keeps = self.layout.kept(node, span.value_start, span.value_end)
            groups = GROUPS.get(layout.model, frozenset())
            if blank and (field is None or key in groups) and not keeps:
                text = self.style.gap + text
            self.edits.append((at, at, text))
        return True

    def splice_list(
        self, field: Field, new: tuple[Any, ...], old: tuple[Any, ...], layout: Layout
    ) -> bool:
        """Edit a list's text from ``old`` to ``new`` item by item."""
        spans = layout.items
        # Checked records hold only hashable items (tuples, frozen records, text).
        opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        removed = [False] * len(old)
        inserts: list[tuple[int, tuple[Any, ...]]] = []
        for _, old_start, old_end, new_start, new_end in opcodes:
            paired = min(old_end - old_start, new_end - new_start)
            for offset in range(paired):
                index = old_start + offset
                item = new[new_start + offset]
                if not same(item, old[index]):
                    self._change_item(field, index, item, old[index], layout)
            for index in range(old_start + paired, old_end):
                removed[index] = True
            if new_start + paired < new_end:
                after = old_start + paired - 1
                inserts.append((after, new[new_start + paired : new_end]))
        self._cut(spans, removed)
        style = self._style_at(spans[0]) if field.form is Shape.STRINGS else None
        newline = self.style.newline
        for after, items in inserts:
            lines = []
            for item in items:
                lines.extend(self.item_lines(field, item, layout.column, style))
            at = spans[0].start if after < 0 else spans[after].end
            self.edits.append((at, at, newline.join(lines) + newline))
        return True

    def _change_item(
        self, field: Field, index: int, item: Any, old: Any, layout: Layout
    ) -> None:
        span = layout.items[index]
        if field.form is Shape.STRINGS:
            style = self._style_at(span)
            self._replace_scalar(span, self.scalar(Shape.PLAIN, item, style))
            return
        node = layout.node[index]  # type: ignore[index]
        inner = self.layout.mapping_layout(node, field.model, in_item=True)
        if inner is None or not self.splice_record(item, old, inner):
            lines = self.item_lines(field, item, layout.column)
            newline = self.style.newline
            self.edits.append((span.start, span.end, newline.join(lines) + newline))

    def apply(self) -> str:
        """The source text with every recorded edit made."""
        text = self.text
        self.edits.sort(key=lambda edit: edit[0])
        pieces = []
        position = 0
        for start, end, replacement in self.edits:
            if start > position:
                pieces.append(text[position:start])
            pieces.append(replacement)
            position = max(position, end)
        pieces.append(text[position:])
        return "".join(pieces)


# --- the whole file --------------------------------------------------------------


def source_text(document: Document) -> str:
    """The exact text a document was read from, byte-order mark included."""
    return BOM + document.text if document.bom else document.text


def write(
    article: Record,
    document: Document | None,
    original: Record | None,
    *,
    splice: bool = True,
) -> str:
    """The text of a checked ``article``.

    ``document`` is the file it was read from, with ``article``'s body, and
    ``original`` the record that file holds (both ``None`` for a record built
    from scratch): the text is then that document's, edited where they differ;
    without ``splice``, its front matter is written afresh in the file's style.
    """
    if original is None or document is None:
        writer = _Writer("", Style())
        lines = writer.record_lines(article, type(article), 0, root=True)
        return "---\n" + "\n".join(lines) + "\n---\n" + article.body
    text = document.text
    writer = _Writer(text, Style(newline=document.newline))
    root = document.root
    layout = None
    # An alias (`*name`) or a merge (`<<: *name`) repeats an earlier node's text:
    # a file with one is only edited in place when its positions are in order.
    if "*" not in text[document.yaml_start : document.yaml_end] or writer.layout.sound(
        root, document.yaml_start, document.yaml_end
    ):
        layout = writer.layout.mapping_layout(root, type(article))
    writer.style = file_style(document, layout, type(article))
    if (
        layout is None
        or not splice
        or not writer.splice_record(article, original, layout)
    ):
        writer.edits.clear()
        newline = writer.style.newline
        lines = writer.record_lines(article, type(article), 0, root=True)
        text = newline.join(lines) + newline
        writer.edits.append((document.yaml_start, document.yaml_end, text))
    return (BOM if document.bom else "") + writer.apply()
