"""The public functions: `load` and `loads`, `dump` and `dumps`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any, Final

from ._compare import same
from ._errors import (
    FieldError,
    FrontMatterError,
    NewsRecordError,
    ValidationError,
    quoted,
    scrub,
)
from ._file import read_file, replace_file
from ._kinds import Unknown, kind_of
from ._limits import BEYOND_CODES, DEFAULT_LIMITS, Limits, covers
from ._mapping import checked, record_given
from ._model import Article, Record, read_with
from ._read import check_size, read
from ._structure import source_document, structure, unchanged_file
from ._write import source_text, write

if TYPE_CHECKING:
    from collections.abc import Callable


def loads(
    text: str | bytes | bytearray | memoryview,
    /,
    *,
    path: str | None = None,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """Read a news record from its text, or its UTF-8 bytes.

    ``text`` is a `str`, or `bytes`, `bytearray` or `memoryview` holding UTF-8;
    anything else (a path or a file object included: `load` reads those) is a
    `TypeError`. ``path`` only names the source in errors. With ``strict``, keys
    the model does not know are errors instead of being kept in ``extra``.
    ``limits`` bounds the size and shape of what is read, and the number of
    problems an error lists (see `Limits`).

    Raises `FrontMatterError` when the file's frame or YAML is broken, `KindError`
    for a record of another kind (`loads_record` reads those), and
    `ValidationError` (listing every problem) when fields are wrong.
    """
    check_options(strict, limits, "loads")
    article: Article = read_text(text, path, strict, limits, Article)
    return article


def loads_record(
    text: str | bytes | bytearray | memoryview,
    /,
    *,
    path: str | None = None,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Record:
    """Read a record of any kind from its text, or its UTF-8 bytes; see `loads`.

    The record's class is its kind's (`Article` for news, `Course`, `Profile`,
    ...), decided from its front matter alone: its ``category``, ``type`` or
    ``taxonomy``, and the keys it has. Raises `KindError` when no kind fits,
    naming the kinds that came closest.
    """
    check_options(strict, limits, "loads_record")
    record: Record = read_text(text, path, strict, limits, None)
    return record


def read_text(  # noqa: PLR0913 (private, as the readers call it)
    text: object,
    path: str | None,
    strict: bool,  # noqa: FBT001 (private, positional)
    limits: Limits,
    model: type[Any] | None,
    *,
    keep_text: bool = True,
    as_told: bool = False,
) -> Any:
    """What `loads` and `loads_record` do: read ``text`` as ``model`` asks.

    Without ``keep_text``, the record holds no text to be written back exactly
    from; with ``as_told``, a record of ``model`` must be of its kind as its
    front matter tells it, as a filter by kind asks (see
    `newsrecord._structure.structure`). ``strict`` and ``limits`` are checked
    by the callers (see `check_options`).
    """
    if isinstance(text, (bytearray, memoryview)):
        text = bytes(text)
    elif not isinstance(text, (str, bytes)):
        raise TypeError(_not_text(text, model))
    try:
        document = read(text, path, limits, locate=False)
    except FrontMatterError as exc:
        if exc.code == "no-front-matter" and _looks_like_a_path(text):
            message = (
                f"{exc.message}; {quoted(_line(text))} looks like a path: "
                f"{_READS_TEXT[model]}() reads a record's text, "
                f"{_READS_FILES[model]}() reads a file"
            )
            raise FrontMatterError(
                message, code=exc.code, path=path, line=exc.line, column=exc.column
            ) from exc
        raise
    return structure(
        document,
        strict=strict,
        max_problems=limits.max_problems,
        model=model,
        source=keep_text,
        as_told=as_told,
    )


def load(
    source: str | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """Read the news record in a file; see `loads`.

    ``source`` is the file's path (a `str` or an ``os.PathLike``), or a file object
    open for reading, in binary mode or in text mode; anything else (a record's
    text as `bytes` included: `loads` reads that) is a `TypeError`. A file
    object is read from where it stands, and is left open. Text mode gives the
    text as the file object decoded it: open the file in binary mode (or with
    ``newline=""``) to keep its line endings, and so write it back byte for byte.

    Errors name the file as ``source`` was given (a file object by its ``name``).
    A file larger than ``limits.max_file_size`` is refused without being read
    whole. Reading the file may also raise `OSError` (a missing file, say), as
    `open` does.
    """
    article: Article = read_record(source, strict, limits, Article)
    return article


def load_record(
    source: str | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Record:
    """Read the record of any kind in a file; see `load` and `loads_record`."""
    record: Record = read_record(source, strict, limits, None)
    return record


#: The functions that read files, and those that read text, by the model asked for.
_READS_FILES: Final = {Article: "load", None: "load_record"}
_READS_TEXT: Final = {Article: "loads", None: "loads_record"}


def read_record(  # noqa: PLR0913 (private, as the readers call it)
    source: object,
    strict: bool,  # noqa: FBT001 (positional, as the engine calls it)
    limits: Limits,
    model: type[Any] | None,
    *,
    keep_text: bool = True,
    as_told: bool = False,
) -> Any:
    """What `load` and `load_record` do: read ``source``, as ``model`` asks.

    ``model`` is the class asked for (`KindError` for a record of another
    kind), or ``None`` for the class of whatever kind the file holds.
    ``keep_text`` and ``as_told`` are as for `read_text`.
    """
    check_options(strict, limits, _READS_FILES.get(model, "load_record"))
    # One byte (or character) more than the limit tells a file too large.
    budget = limits.max_file_size + 1
    name: str | None
    data: object
    if isinstance(source, (str, os.PathLike)):
        given: object = os.fspath(source)
        if not isinstance(given, str):  # an os.PathLike of bytes
            raise TypeError(_not_a_source(given, model))
        name = given
        if name.lstrip(_BOM).startswith("---") and "\n" in name:
            message = (
                f"{_READS_FILES[model]}() takes a path or a file object, not a "
                f"record's text; {_READS_TEXT[model]}() reads a record's text"
            )
            raise TypeError(message)
        data = read_file(name, budget)
    elif callable(getattr(source, "read", None)):
        # Typed loosely on purpose: a file-like object may give anything.
        reader: Callable[[int], object] = source.read  # type: ignore[attr-defined]
        data = reader(budget)
        if not isinstance(data, (str, bytes)):
            message = (
                f"{_READS_FILES[model]}() takes a file object whose read() gives "
                f"str or bytes, not {type(data).__name__}"
            )
            raise TypeError(message)
        given = getattr(source, "name", None)
        name = given if isinstance(given, str) else None  # a descriptor's is an int
    else:
        raise TypeError(_not_a_source(source, model))
    return read_text(
        data, name, strict, limits, model, keep_text=keep_text, as_told=as_told
    )


_BOM: Final = "\ufeff"


def check_options(strict: object, limits: object, function: str) -> None:
    """`TypeError` unless ``strict`` is a bool and ``limits`` are `Limits`."""
    if strict is not True and strict is not False:
        message = f"{function}() takes strict as a bool, not {type(strict).__name__}"
        raise TypeError(message)
    check_limits(limits, function)


def path_given(value: object, function: str, what: str = "a path") -> str:
    """``value``, a path argument of ``function``, as text; else `TypeError`.

    ``what`` names the argument in the message (``"output as a path"``, say).
    """
    if isinstance(value, str | os.PathLike):
        name = os.fspath(value)
        if isinstance(name, str):
            return name
    message = (
        f"{function}() takes {what} (str or os.PathLike), not {type(value).__name__}"
    )
    raise TypeError(message)


def globs_given(value: object, function: str) -> tuple[str, ...]:
    """``value``, the ``exclude`` argument of ``function``: globs, or `TypeError`."""
    if isinstance(value, Iterable) and not isinstance(value, str):
        globs = tuple(value)
        if all(isinstance(glob, str) for glob in globs):
            return globs
    message = (
        f"{function}() takes exclude as a sequence of glob strings, "
        f"not {type(value).__name__}"
    )
    raise TypeError(message)


def check_limits(limits: object, function: str) -> None:
    """`TypeError` unless ``limits`` are `Limits`."""
    if not isinstance(limits, Limits):
        message = (
            f"{function}() takes limits as a newsrecord.Limits, "
            f"not {type(limits).__name__}"
        )
        raise TypeError(message)


def _not_text(value: object, model: type[Any] | None) -> str:
    """The message of `loads` given ``value``, which is not a record's text."""
    kind = type(value).__name__
    function = _READS_TEXT[model]
    if isinstance(value, os.PathLike) or callable(getattr(value, "read", None)):
        what = "a path" if isinstance(value, os.PathLike) else "a file object"
        return (
            f"{function}() takes a record's text, not {what} ({kind}); "
            f"{_READS_FILES[model]}() reads a file"
        )
    return (
        f"{function}() takes a record's text as str, or as UTF-8 in bytes, "
        f"bytearray or memoryview; not {kind}"
    )


def _not_a_source(value: object, model: type[Any] | None) -> str:
    """The message of `load` given ``value``, which is neither path nor file."""
    message = (
        f"{_READS_FILES[model]}() takes a path (str or os.PathLike) or a file "
        f"object open for reading, not {type(value).__name__}"
    )
    if isinstance(value, (bytes, bytearray, memoryview)):
        message += f"; {_READS_TEXT[model]}() reads a record's text"
    return message


def _line(text: str | bytes) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _looks_like_a_path(text: str | bytes) -> bool:
    """Whether text that is no record is one short line that names a file."""
    line = _line(text)
    return (
        0 < len(line) <= 4096
        and not any(character in line for character in "\r\n")
        and (line.endswith((".md", ".markdown")) or "/" in line or os.sep in line)
    )


def dumps(article: Record, /, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a record file holding ``article``, a record of any kind.

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
    ``limits``, and `TypeError` for anything that is not a record.
    """
    article = record_given(article, "dumps")
    check_limits(limits, "dumps")
    data = unchanged_file(article)
    if data is not None:  # its front matter as read, with its own body
        _check_kept(data, article, limits)
        return data.decode("utf-8")
    document = source_document(article)
    original = None
    if document is not None:
        # Compared and spliced by its values: it need not hold the text again.
        original = structure(document, strict=False, model=type(article), source=False)
        if same(article, original):
            text = source_text(document)
            _check_kept(text.encode("utf-8"), article, limits)
            return text
    record = checked(article)
    text = write(record, document, original)
    try:
        if _reads_back(text, record, limits):
            return text
    except ValidationError as exc:
        if document is None or any(e.code in BEYOND_CODES for e in exc.errors):
            # Beyond a bound of ``limits``, the edited text is refused as it is:
            # a rewrite would be another text than the one given within looser
            # limits, and would be refused for another bound, or not at all.
            raise
        # The edited text does not load: a key the file writes twice (with the
        # same value, read once) was edited in one place only, say. Rewritten,
        # the front matter holds it once; what else fails, fails again below.
    if document is not None:  # an edit changed a value beside it: rewrite
        text = write(record, document, original, splice=False)
        if _reads_back(text, record, limits):
            return text
    message = "the record cannot be written so that it reads back the same"
    raise ValidationError([FieldError("", message, "value", None, None)])


def _check_kept(data: bytes, article: Record, limits: Limits) -> None:
    """Check the file ``article`` was read from, with its body, against ``limits``.

    Only its size, when the text was read within limits no tighter than
    ``limits`` (its front matter loads within them as it did then); else the
    whole text is read again within them. `ValidationError` if it does not load.
    """
    kept = read_with(article)
    try:
        if kept is not None and covers(limits, kept):
            check_size(data, None, limits)
        else:
            read(data, None, limits)
    except FrontMatterError as exc:
        raise _would_not_load(exc) from exc


def _reads_back(text: str, record: Record, limits: Limits) -> bool:
    """Whether ``text`` loads within ``limits`` as ``record``.

    `ValidationError` if it does not load at all: the record is too large for
    ``limits``, say.
    """
    try:
        # As `load` reads the file: its size in bytes, not in characters.
        data = text.encode("utf-8", "surrogatepass")
        document = read(data, None, limits, locate=False)
        again = structure(document, strict=False, model=type(record), source=False)
    except NewsRecordError as exc:
        raise _would_not_load(exc) from exc
    found = kind_of(document.root)
    if isinstance(found, Unknown):  # its kind told by keys it has too few of
        message = (
            f"written, the record would be of no kind: {load_record.__name__}() "
            f"would find {found.seen}; give it more of the keys of its kind"
        )
        raise ValidationError([FieldError("", message, "kind", None, None)])
    if found.model is not type(record):
        # Told another kind by its keys (a challenge with a title alone is as
        # much a form): that is how load_record() reads it, so it must load so.
        try:
            structure(document, strict=False, model=found.model, source=False)
        except NewsRecordError as exc:
            message = (
                f"written, {load_record.__name__}() would read the record as a "
                f"{found.kind} by its keys, and refuse it: {exc}; give it more "
                "of the keys of its kind"
            )
            error = FieldError("", message, "kind", None, None)
            raise ValidationError([error]) from exc
    return same(again, record, as_written=True) and again.body == record.body


def _would_not_load(exc: NewsRecordError) -> ValidationError:
    """The error of `dumps` for text whose loading raised ``exc``."""
    problem = exc.message if isinstance(exc, FrontMatterError) else str(exc)
    message = f"written, the record would not load back: {problem}"
    return ValidationError([FieldError("", message, exc.code, None, None)])


def dump(
    article: Record,
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
    article = record_given(article, "dump")
    check_limits(limits, "dump")
    target = path_given(path, "dump")
    text = dumps(article, limits=limits)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        message = f"the record's text cannot be written as UTF-8: {exc.reason}"
        error = FieldError("", message, "value", None, None)
        scrub(exc)  # it holds the whole text, token included
        raise ValidationError([error], path=target) from exc
    replace_file(target, data)
