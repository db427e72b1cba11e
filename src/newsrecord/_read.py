"""Reading: bytes or text to a `Document` (the frame plus the front-matter tree).

Data flows one way: decode, split the frame, then read the YAML block with the
fast line reader, or with the general reader when the fast one declines.
"""

from __future__ import annotations

from ._errors import FrontMatterError, scrub
from ._fastyaml import MAX_DEPTH, MAX_LINES, read_fast
from ._frontmatter import read_yaml, split
from ._limits import DEFAULT_LIMITS, Limits
from ._syntax import BOM, position
from ._tree import Document


def read(
    data: str | bytes,
    path: str | None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    locate: bool = True,
) -> Document:
    """Read a record file's text (or its bytes, UTF-8) into a `Document`.

    Without ``locate``, the tree may hold its values alone, not where they
    stand (see `Document.located`): enough to build a valid record, and less
    work; `located` reads the spans when they are wanted after all.

    Raises `FrontMatterError`, whose chained causes hold none of the file's text
    (see `scrub`).
    """
    try:
        return _read(data, path, limits, locate=locate)
    except FrontMatterError as exc:
        scrub(exc)
        raise


def located(document: Document) -> Document:
    """``document``, with the spans of its tree (read again if it has none)."""
    if document.located:
        return document
    text = BOM + document.text if document.bom else document.text
    return read(text, document.path, document.limits)


def check_size(data: str | bytes, path: str | None, limits: Limits) -> None:
    """`FrontMatterError` if ``data`` is larger than a file ``limits`` allows."""
    if len(data) > limits.max_file_size:
        unit = "bytes" if isinstance(data, bytes) else "characters"
        message = f"the file is larger than {limits.max_file_size} {unit}"
        raise FrontMatterError(message, code="too-large", path=path, line=1, column=1)


def _read(
    data: str | bytes, path: str | None, limits: Limits, *, locate: bool
) -> Document:
    check_size(data, path, limits)
    text = _decode(data, path) if isinstance(data, bytes) else _check(data, path)
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    yaml_start, yaml_end, body_start = split(text, path)
    if yaml_end - yaml_start > limits.max_front_matter_size:
        message = (
            f"the front matter is larger than {limits.max_front_matter_size} characters"
        )
        raise FrontMatterError(message, code="too-large", path=path, line=2, column=1)
    head = block = None
    if isinstance(data, bytes):
        # Where the body and the block stand in the file's bytes, found from the
        # end: what follows the block (a delimiter line and the body) is short.
        body_at = len(data) - _utf8_size(text[body_start:])
        end_at = body_at - _utf8_size(text[yaml_end:body_start])
        start_at = _utf8_size(BOM * bom + text[:yaml_start])
        head = data[:body_at]
        block = data[start_at:end_at]
    root = read_fast(
        text,
        yaml_start,
        yaml_end,
        max_depth=min(MAX_DEPTH, limits.max_depth - 1),
        max_lines=min(MAX_LINES, limits.max_values // 2),
        locate=locate,
        encoded=block,
    )
    if root is None:
        root = read_yaml(text, yaml_start, yaml_end, path, limits)
        locate = True  # the general reader always does
    newline = "\r\n" if text[yaml_start - 2 : yaml_start] == "\r\n" else "\n"
    return Document(
        text=text,
        path=path,
        bom=bom,
        newline=newline,
        yaml_start=yaml_start,
        yaml_end=yaml_end,
        body_start=body_start,
        root=root,
        limits=limits,
        located=locate,
        head=head,
    )


def _utf8_size(text: str) -> int:
    """The size of ``text`` in UTF-8 (in O(1) for ASCII)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _decode(data: bytes, path: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        line, column = position(good, len(good))
        message = f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        error = FrontMatterError(
            message, code="encoding", path=path, line=line, column=column
        )
        raise _caused(error, exc)


def _check(text: str, path: str | None) -> str:
    """``text``, if it could be a file: no lone surrogates, which UTF-8 cannot hold."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            line, column = position(text, exc.start)
            message = (
                f"not Unicode text: lone surrogate U+{ord(text[exc.start]):04X} "
                f"at offset {exc.start}"
            )
            error = FrontMatterError(
                message, code="encoding", path=path, line=line, column=column
            )
            raise _caused(error, exc)
    return text


def _caused(error: FrontMatterError, cause: BaseException) -> FrontMatterError:
    """``error``, caused by ``cause`` (compiled, ``raise ... from`` is left out)."""
    error.__cause__ = cause
    return error
