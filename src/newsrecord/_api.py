"""The public functions: `load` and `loads`, `dump` and `dumps`."""

from __future__ import annotations

import os

from ._errors import FieldError, ValidationError, scrub
from ._file import read_file, replace_file
from ._limits import DEFAULT_LIMITS, Limits
from ._mapping import checked
from ._model import Article
from ._read import read
from ._structure import structure
from ._write import same, source_text, write


def loads(
    text: str | bytes,
    /,
    *,
    path: str | None = None,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """Read a news record from its text (or its UTF-8 bytes).

    ``path`` only names the source in errors. With ``strict``, keys the model does
    not know are errors instead of being kept in ``extra``. ``limits`` bounds the
    size and shape of what is read, and the number of problems an error lists
    (see `Limits`).

    Raises `FrontMatterError` when the file's frame or YAML is broken, `KindError`
    for a record of another kind, and `ValidationError` (listing every problem)
    when fields are wrong.
    """
    document = read(text, path, limits)
    return structure(document, strict=strict, max_problems=limits.max_problems)


def load(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """Read the news record in the file at ``path``; see `loads`.

    Errors name the file as ``path`` was given. A file larger than
    ``limits.max_file_size`` is refused without being read whole. Reading the
    file may also raise `OSError` (a missing file, say), as `open` does.
    """
    name = os.fspath(path)
    # One byte more than the limit tells a file too large.
    data = read_file(name, limits.max_file_size + 1)
    return loads(data, path=name, strict=strict, limits=limits)


def dumps(article: Article, /) -> str:
    """The text of a news record file holding ``article``.

    A record read from a file gives that file's text back exactly (byte-order
    mark included) when unchanged; a changed one gives the file's text with only
    the lines of the changed values edited. A record built from scratch is
    written in the style of the format's reference record.

    Raises `ValidationError` (listing every problem) for a record that would not
    load back, such as one built with a wrong value, and `TypeError` for
    anything that is not an `Article`.
    """
    article = _article(article, "dumps")
    document = article._source  # noqa: SLF001 (the package's own record state)
    original = None
    if document is not None:
        original = structure(document, strict=False)
        if same(article, original):
            return source_text(document)
    return write(checked(article), original)


def dump(article: Article, path: str | os.PathLike[str], /) -> None:
    """Write ``article`` to the file at ``path`` (UTF-8), atomically; see `dumps`.

    The text goes to a new file beside the target, is flushed to disk, and then
    replaces the target in one step, keeping its permissions: a failure at any
    point leaves the old file as it was. Writing may raise `OSError`, as `open`
    does.
    """
    text = dumps(article)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        message = f"the record's text cannot be written as UTF-8: {exc.reason}"
        error = FieldError("", message, "value", None, None)
        scrub(exc)  # it holds the whole text, token included
        raise ValidationError([error], path=os.fspath(path)) from exc
    replace_file(os.fspath(path), data)


def _article(value: object, function: str) -> Article:
    """``value`` if it is an `Article`; `TypeError` for callers that pass another."""
    if isinstance(value, Article):
        return value
    message = f"{function}() takes an Article, not {type(value).__name__}"
    raise TypeError(message)
