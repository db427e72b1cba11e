"""The public functions: `load` and `loads`, `dump` and `dumps`."""

from __future__ import annotations

import os

from ._compare import same
from ._errors import FieldError, FrontMatterError, NewsRecordError, ValidationError
from ._file import read_file, replace_file
from ._limits import DEFAULT_LIMITS, Limits
from ._mapping import checked
from ._model import Article
from ._read import read
from ._structure import source_document, structure, unchanged_text
from ._write import source_text, write


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
    size and shape of what is read (see `Limits`).

    Raises `FrontMatterError` when the file's frame or YAML is broken, `KindError`
    for a record of another kind, and `ValidationError` (listing every problem)
    when fields are wrong.
    """
    return structure(read(text, path, limits), strict=strict)


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


def dumps(article: Article, /, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a news record file holding ``article``.

    A record read from a file gives that file's text back exactly (byte-order
    mark included) when unchanged; a changed one gives the file's text with only
    the lines of the changed values edited. A record built from scratch is
    written in the style of the format's reference record.

    Written text is read back before it is given: it must load within
    ``limits`` (see `Limits`), as `loads` would read it, and give the record
    back. Edits that would change a value beside them (a comment that would fall
    into a block scalar, say) rewrite the front matter in the file's style.

    Raises `ValidationError` (listing every problem) for a record that would not
    load back, such as one built with a wrong value or one too large for
    ``limits``, and `TypeError` for anything that is not an `Article`.
    """
    article = _article(article, "dumps")
    text = unchanged_text(article)
    if text is not None:
        return text
    document = source_document(article)
    original = None
    if document is not None:
        original = structure(document, strict=False)
        if same(article, original):
            return source_text(document)
    record = checked(article)
    text = write(record, document, original)
    if _reads_back(text, record, limits):
        return text
    if document is not None:  # an edit changed a value beside it: rewrite
        text = write(record, document, original, splice=False)
        if _reads_back(text, record, limits):
            return text
    message = "the record cannot be written so that it reads back the same"
    raise ValidationError([FieldError("", message, "value", None, None)])


def _reads_back(text: str, record: Article, limits: Limits) -> bool:
    """Whether ``text`` loads within ``limits`` as ``record``.

    `ValidationError` if it does not load at all: the record is too large for
    ``limits``, say.
    """
    try:
        again = structure(read(text, None, limits), strict=False)
    except NewsRecordError as exc:
        problem = exc.message if isinstance(exc, FrontMatterError) else str(exc)
        message = f"written, the record would not load back: {problem}"
        error = FieldError("", message, exc.code, None, None)
        raise ValidationError([error]) from exc
    return same(again, record, as_written=True) and again.body == record.body


def dump(
    article: Article,
    path: str | os.PathLike[str],
    /,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Write ``article`` to the file at ``path`` (UTF-8), atomically; see `dumps`.

    Nothing is written when `dumps` refuses the record (with ``limits``).

    The text goes to a new file beside the target, is flushed to disk, and then
    replaces the target in one step, keeping its permissions: a failure at any
    point leaves the old file as it was. Writing may raise `OSError`, as `open`
    does.
    """
    text = dumps(article, limits=limits)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        message = f"the record's text cannot be written as UTF-8: {exc.reason}"
        error = FieldError("", message, "value", None, None)
        raise ValidationError([error], path=os.fspath(path)) from exc
    replace_file(os.fspath(path), data)


def _article(value: object, function: str) -> Article:
    """``value`` if it is an `Article`; `TypeError` for callers that pass another."""
    if isinstance(value, Article):
        return value
    message = f"{function}() takes an Article, not {type(value).__name__}"
    raise TypeError(message)
