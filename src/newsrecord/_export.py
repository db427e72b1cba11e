"""Exporting folders of records: JSON Lines and Apache Parquet, streamed.

Records are read one after another and written as they come, so memory does not
grow with the number of records: a JSON Lines file a line at a time, a Parquet
file a row group (`ROW_GROUP` records) at a time. The output appears whole or not
at all: it is written beside the target and replaces it at the end (see
`newsrecord._file.replacing`).

A file that does not load as a news record is left out and handed, with its
error, to the caller, which reports it: the command line as ``validate`` does.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

from ._arrow import PATH, PURPOSE, SECURED, row, schema, table
from ._errors import FieldError, NewsRecordError, ValidationError
from ._file import replacing
from ._folder import find_files, load_file
from ._limits import DEFAULT_LIMITS
from ._mapping import loaded_dict
from ._model import Article
from ._optional import require

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from types import ModuleType

Format: TypeAlias = Literal["jsonl", "parquet"]
#: Why a file was left out: its record's problems, or why it could not be read.
Failure: TypeAlias = NewsRecordError | OSError
#: What one file gives: its path, and its record or why it has none.
Loaded: TypeAlias = tuple[str, Article | Failure]

#: The formats, by the output file's suffix.
SUFFIXES: Final[dict[str, Format]] = {".jsonl": "jsonl", ".parquet": "parquet"}
#: Records in a Parquet row group: what is held in memory at a time.
ROW_GROUP: Final = 1_000
#: The keys a JSON Lines row adds to the record's front matter.
BODY: Final = "body"


@attrs.frozen
class Exported:
    """What `export` wrote: the number of records, and the files left out.

    ``left_out`` pairs each file that was not exported with the reason, in the
    order of the files: a `NewsRecordError` (a `KindError` for a record of
    another kind), or an `OSError` for a file or directory that cannot be read.
    """

    records: int
    left_out: tuple[tuple[str, NewsRecordError | OSError], ...]


def export(  # noqa: PLR0913 (keyword-only options, as the command line has)
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    /,
    *,
    format: Literal["jsonl", "parquet"] | None = None,  # noqa: A002 (the usual word)
    exclude: Sequence[str] = (),
    strict: bool = False,
    reveal_secured: bool = False,
) -> Exported:
    """Write the news records under ``paths`` to ``output``, in one file.

    ``paths`` are files and directories (searched for ``*.md``, as ``newsrecord
    validate`` does; ``exclude`` globs leave out files and directories by name or
    path). The format is ``format``, else the output's suffix: ``.jsonl`` (JSON
    Lines: a line per record, its `to_dict` mapping with ``path`` and ``body``)
    or ``.parquet`` (Apache Parquet, which needs the ``parquet`` extra). The
    ``secured`` token is left out unless ``reveal_secured``. With ``strict``,
    records with keys the model does not know are left out, as invalid.

    Files that do not load as news records are left out and listed in the
    result. The output is written atomically: whole, or not at all. Raises
    `ValueError` for an unknown format, `ModuleNotFoundError` naming the extra
    when pyarrow is missing, and `OSError` when the output cannot be written.
    """
    chosen = format_of(output, format)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    left_out: list[tuple[str, Failure]] = []
    count = write(
        load_paths([os.fspath(path) for path in paths], exclude=exclude, strict=strict),
        os.fspath(output),
        format=chosen,
        reveal_secured=reveal_secured,
        leave_out=lambda path, error: left_out.append((path, error)),
    )
    return Exported(count, tuple(left_out))


def format_of(output: str | os.PathLike[str], chosen: str | None) -> Format:
    """``chosen`` if it is a format, else the one of the output's suffix."""
    if chosen is None:
        suffix = os.path.splitext(os.fspath(output))[1].lower()  # noqa: PTH122
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        message = (
            f"cannot tell the format from the output's suffix {suffix!r}: name a "
            f"format, or end the output's name in {' or '.join(SUFFIXES)}"
        )
        raise ValueError(message)
    for format_ in SUFFIXES.values():
        if chosen == format_:
            return format_
    message = f"unknown format {chosen!r}: {' or '.join(SUFFIXES.values())}"
    raise ValueError(message)


def load_paths(
    paths: Sequence[str], *, exclude: Sequence[str], strict: bool
) -> Iterator[Loaded]:
    """Each record file under ``paths``, in order, with its record or its error.

    Files are found as ``newsrecord validate`` finds them; a directory that
    cannot be read comes last, with its `OSError`. This is the one place where
    exporting finds and reads files.
    """
    unreadable: list[OSError] = []
    for path in find_files(paths, exclude, unreadable):
        result = load_file(path, strict=strict, limits=DEFAULT_LIMITS)
        if result.error is not None:
            yield path, result.error
        elif result.record is not None:
            yield path, result.record
    for error in unreadable:
        yield os.fsdecode(error.filename), error


def write(
    items: Iterable[Loaded],
    output: str,
    *,
    format: Format,  # noqa: A002 (as `export` names it)
    reveal_secured: bool,
    leave_out: Callable[[str, Failure], object],
) -> int:
    """Write the records of ``items`` to ``output``; return how many.

    Each file without a record is passed to ``leave_out`` as it comes.
    """
    # A missing extra is told before anything is read.
    parquet = None if format == "jsonl" else parquet_module()
    records = _records(items, leave_out)
    with (
        replacing(output) as descriptor,
        open(descriptor, "wb", closefd=False) as stream,
    ):
        if parquet is None:
            return _jsonl(
                records, stream, reveal_secured=reveal_secured, leave_out=leave_out
            )
        return _parquet(parquet, records, stream, reveal_secured=reveal_secured)


def parquet_module() -> ModuleType:
    """``pyarrow.parquet``; `ModuleNotFoundError` naming the ``parquet`` extra."""
    return require("pyarrow.parquet", extra="parquet", purpose=PURPOSE)


def _records(
    items: Iterable[Loaded], leave_out: Callable[[str, Failure], object]
) -> Iterator[tuple[str, Article]]:
    for path, item in items:
        if isinstance(item, Article):
            yield path, item
        else:
            leave_out(path, item)


def _jsonl(
    records: Iterable[tuple[str, Article]],
    stream: Any,
    *,
    reveal_secured: bool,
    leave_out: Callable[[str, Failure], object],
) -> int:
    count = 0
    for path, article in records:
        try:
            row = jsonl_row(path, article, reveal_secured=reveal_secured)
        except ValidationError as exc:
            leave_out(path, exc)
            continue
        stream.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def jsonl_row(path: str, article: Article, *, reveal_secured: bool) -> dict[str, Any]:
    """A JSON Lines row: ``path``, the record's `to_dict` mapping, ``body``.

    `ValidationError` for a record with an unknown key named ``path`` or ``body``,
    which the row could not hold beside the file's path and body.
    """
    front_matter = loaded_dict(article)
    clashes = [key for key in (PATH, BODY) if key in front_matter]
    if clashes:
        errors = [
            FieldError(
                key_path=key,
                message=f"a key named `{key}` cannot be exported to JSON Lines: "
                f"the row's `{key}` holds the file's {key}",
                code="value",
                line=None,
                column=None,
            )
            for key in clashes
        ]
        raise ValidationError(errors, path=path)
    if not reveal_secured:
        front_matter.pop(SECURED, None)
    return {PATH: path, **front_matter, BODY: article.body}


def _parquet(
    parquet: ModuleType,
    records: Iterable[tuple[str, Article]],
    stream: Any,
    *,
    reveal_secured: bool,
) -> int:
    count = 0
    # Rows, not records, wait for their row group: they hold far less.
    rows: list[dict[str, Any]] = []
    with parquet.ParquetWriter(stream, schema(reveal_secured=reveal_secured)) as writer:
        for path, article in records:
            rows.append(row(path, article, reveal_secured=reveal_secured))
            if len(rows) == ROW_GROUP:
                writer.write_table(table(rows, reveal_secured=reveal_secured))
                count += len(rows)
                rows.clear()
        if rows:
            writer.write_table(table(rows, reveal_secured=reveal_secured))
            count += len(rows)
    return count
