"""Exporting folders of records: JSON Lines and Apache Parquet, streamed.

Files are found as ``newsrecord validate`` finds them and made rows on the folder
engine (`newsrecord._folder.map_chunks`), in worker processes: the step a worker
runs (`rows_of`) reads each file of a chunk once, builds its record and makes its
row (`row_of`: a JSON line as bytes, with the timestamps as the file spells
them, or a row of `newsrecord._arrow.row`), so that only rows with their kind's
name (or errors, detached) travel between processes, never records. A chunk's
Parquet rows travel as one Arrow table, in Arrow's own format, which this
process reads without converting a value. This process writes the rows as they
come, in the order of the files, so memory does not grow with the number of
records: a JSON Lines file a line at a time, a Parquet file a row group
(`ROW_GROUP` rows) at a time. An output file appears whole or not at all: it
is written beside the target and replaces it at the end (see
`newsrecord._file.replacing`). An output stream (standard output, a socket, a
buffer) is written as the rows come.

An export holds the records of one kind (news unless another is named), or, in
JSON Lines, of every kind: a Parquet file's columns are one kind's fields. A file
that does not load as a record of the kind asked for is left out and handed,
with its error, to the caller, which reports it: the command line as
``validate`` does.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import stat
from collections.abc import Iterable
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    TypeAlias,
    TypeGuard,
    cast,
)

import attrs

from ._api import check_options, globs_given, path_given
from ._arrow import (
    PATH,
    PURPOSE,
    SECURED,
    bytes_table,
    pyarrow,
    row,
    schema,
    table,
    table_bytes,
)
from ._errors import FieldError, NewsRecordError, ValidationError, detached
from ._file import replacing
from ._folder import (
    excluded,
    find_files,
    load_file,
    map_chunks,
    read_ahead,
    workers_given,
)
from ._kinds import kind_name, model_named
from ._limits import DEFAULT_LIMITS
from ._mapping import loaded_dict
from ._model import Record, masked
from ._optional import require
from ._read import read
from ._structure import structure

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator, Sequence
    from types import ModuleType

    from ._tree import MapNode

Format: TypeAlias = Literal["jsonl", "parquet"]
#: Why a file was left out: its record's problems, or why it could not be read.
Failure: TypeAlias = NewsRecordError | OSError
#: A record as its output holds it: a JSON line (bytes, with its line end), or
#: a row of `newsrecord._arrow.schema` (plain values by column name).
Row: TypeAlias = bytes | dict[str, Any]
#: A row, with the name of its record's kind.
Kinded: TypeAlias = tuple[str, Row]
#: What a file gives the writer: its kind and its JSON line; for Parquet, the rows
#: of its chunk's records as one pyarrow table (`newsrecord._arrow.table_bytes`)
#: with the first of them, `None` with the others (see `rows_of`).
Sent: TypeAlias = tuple[str, bytes | None]
#: What one file gives: its path, and its row or why it has none.
Made: TypeAlias = tuple[str, Sent | Failure]
#: Where an export goes: a file's path, or a binary stream written as rows come.
Output: TypeAlias = str | IO[bytes]

#: The formats, by the output file's suffix.
SUFFIXES: Final[dict[str, Format]] = {".jsonl": "jsonl", ".parquet": "parquet"}
#: Records in a Parquet row group: what is held in memory at a time.
ROW_GROUP: Final = 1_000
#: The keys a JSON Lines row adds to the record's front matter: its kind, its body.
KIND: Final = "kind"
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
    output: str | os.PathLike[str] | IO[bytes],
    /,
    *,
    format: Literal["jsonl", "parquet"] | None = None,  # noqa: A002 (the usual word)
    kind: str | None = "news",
    exclude: Sequence[str] = (),
    strict: bool = False,
    reveal_secured: bool = False,
    workers: int | None = None,
) -> Exported:
    """Write the records of ``kind`` under ``paths`` to ``output``, in one file.

    ``paths`` are files and directories (searched for ``*.md``, as ``newsrecord
    validate`` does; ``exclude`` globs leave out files and directories by name or
    path). The format is ``format``, else the output's suffix: ``.jsonl`` (JSON
    Lines: a line per record, its `to_dict` mapping with ``path``, ``kind`` and
    ``body``) or ``.parquet`` (Apache Parquet, which needs the ``parquet``
    extra). ``kind`` names the kind of record exported (``news``, ``course``,
    ...: see `newsrecord.KINDS`); ``None`` exports every kind, to JSON Lines only
    (a Parquet file's columns are one kind's). The ``secured`` token is left out
    unless ``reveal_secured``. With ``strict``, records with keys the model does
    not know are left out, as invalid. ``workers`` is the number of processes
    that read the files, as for `load_dir` (default: one per CPU); the output is
    the same whatever their number.

    Files that do not load as records of ``kind`` are left out and listed in the
    result (a `KindError` for a record of another kind). An output file is
    written atomically: whole, or not at all. ``output`` may also be an open
    binary stream (``sys.stdout.buffer``, a socket's file, ``io.BytesIO``), which
    needs ``format``: it is written as the rows come, and left open. Raises
    `ValueError` for an unknown format or kind, for every kind to Parquet, for
    a stream without ``format``, for an output that is one of the files to
    export (a file given, or a ``*.md`` file in a directory given), or for a
    ``workers`` below 1,
    `TypeError` for a ``workers`` that is not an int or a text stream as
    ``output``, `ModuleNotFoundError` naming the extra when pyarrow is missing,
    and `OSError` when the output cannot be written.
    """
    target = output_given(output)
    chosen = format_of(target, format)
    model = model_of(kind, chosen)
    processes = workers_given(workers)
    given = _paths_given(paths)
    globs = globs_given(exclude, "export")
    if isinstance(target, str):
        check_output(given, target, globs)
    check_options(strict, DEFAULT_LIMITS, "export")
    left_out: list[tuple[str, Failure]] = []
    made = make_rows(
        given,
        format=chosen,
        model=model,
        exclude=globs,
        strict=strict,
        reveal_secured=reveal_secured,
        workers=processes,
    )
    with contextlib.closing(made):
        count = write(
            made,
            target,
            format=chosen,
            model=model,
            reveal_secured=reveal_secured,
            leave_out=lambda path, error: left_out.append((path, error)),
        )
    return Exported(count, tuple(left_out))


def output_given(output: object) -> Output:
    """The ``output`` argument of `export`: a path as text, or a binary stream."""
    if isinstance(output, io.TextIOBase):
        message = (
            "export() writes bytes: give a binary stream as output "
            "(sys.stdout.buffer, not sys.stdout)"
        )
        raise TypeError(message)
    if isinstance(output, str | os.PathLike):
        return path_given(output, "export", "output as a path")
    if callable(getattr(output, "write", None)):
        return cast("IO[bytes]", output)
    message = (
        "export() takes output as a path (str or os.PathLike) or a binary "
        f"stream, not {type(output).__name__}"
    )
    raise TypeError(message)


def _paths_given(paths: object) -> list[str]:
    """The ``paths`` argument of `export` as texts: one path, or several."""
    if isinstance(paths, str | os.PathLike):
        return [path_given(paths, "export")]
    if not isinstance(paths, Iterable):
        message = (
            "export() takes a path or an iterable of paths (str or os.PathLike), "
            f"not {type(paths).__name__}"
        )
        raise TypeError(message)
    return [path_given(path, "export", "paths") for path in paths]


def check_output(paths: Sequence[str], output: str, exclude: Sequence[str]) -> None:
    """`ValueError` if ``output`` is one of the record files under ``paths``.

    Written whole at the end, it would replace a file that was just read. A file
    is the same file however its path is spelled (links followed): files are
    compared by device and inode, one `os.stat` a path given, which keeps the
    check cheap for tens of thousands of files given one by one.
    """
    if excluded(output, exclude):
        return
    target = _identity(output)
    # The folders a new ``*.md`` output would be found in: its own and those above.
    holding = _folders_holding(output) if output.endswith(".md") else frozenset()
    for path in paths:
        status = _status(path)
        if status is None:
            continue
        identity = (status.st_dev, status.st_ino)
        if identity == target:
            given = "given"
        elif identity in holding and stat.S_ISDIR(status.st_mode):
            given = f"found in {path!r}"
        else:
            continue
        message = (
            f"the output {output!r} is one of the files to export ({given}): "
            "name a file outside them"
        )
        raise ValueError(message)


def _status(path: str) -> os.stat_result | None:
    """What `os.stat` says of ``path``; `None` if it names no file."""
    try:
        return os.stat(path)  # noqa: PTH116 (strings in, strings out)
    except (OSError, ValueError):  # missing, unreadable, or no path at all
        return None


def _identity(path: str) -> tuple[int, int] | None:
    """The device and inode of the file ``path`` names; `None` if there is none."""
    status = _status(path)
    return None if status is None else (status.st_dev, status.st_ino)


def _folders_holding(output: str) -> frozenset[tuple[int, int]]:
    """The identities of the folder ``output`` is in and of every one above it."""
    folder = os.path.dirname(os.path.realpath(output))  # noqa: PTH120 (strings)
    found: set[tuple[int, int]] = set()
    while True:
        identity = _identity(folder)
        if identity is not None:
            found.add(identity)
        above = os.path.dirname(folder)  # noqa: PTH120 (strings in, strings out)
        if above == folder:
            return frozenset(found)
        folder = above


def format_of(output: str | os.PathLike[str] | IO[bytes], chosen: str | None) -> Format:
    """``chosen`` if it is a format, else the one of the output's suffix."""
    if chosen is None:
        if not isinstance(output, str | os.PathLike):
            message = (
                f"name a format ({' or '.join(SUFFIXES.values())}) for an output "
                "stream: it has no suffix to tell it"
            )
            raise ValueError(message)
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


def model_of(kind: str | None, format: Format) -> type[Record] | None:  # noqa: A002
    """The class of the records of ``kind`` an export in ``format`` holds.

    ``None`` for every kind, which only JSON Lines can hold. `ValueError` for
    a name that is no kind's, or for every kind to Parquet.
    """
    model: type[Record] | None = model_named(kind)
    if model is None and format == "parquet":
        message = (
            "a Parquet file holds the records of one kind (its columns are the "
            "kind's fields): name the kind, or export every kind to JSON Lines"
        )
        raise ValueError(message)
    return model


def make_rows(  # noqa: PLR0913 (keyword-only options, as `export` has)
    paths: Sequence[str],
    *,
    format: Format,  # noqa: A002 (as `export` names it)
    model: type[Record] | None,
    exclude: Sequence[str],
    strict: bool,
    reveal_secured: bool,
    workers: int,
) -> Generator[Made]:
    """Each record file under ``paths``, in order, with its row or its error.

    Files are found as ``newsrecord validate`` finds them, and made rows by
    `rows_of` in ``workers`` processes; a directory that cannot be read comes
    last, with its `OSError`. This is the one place where exporting finds and
    reads files. Closing the iterator early stops the workers.
    """
    unreadable: list[OSError] = []
    files = find_files(paths, exclude, unreadable)
    step = functools.partial(
        rows_of,
        format=format,
        model=model,
        strict=strict,
        reveal_secured=reveal_secured,
    )
    yield from map_chunks(files, step, workers=workers)
    for error in unreadable:
        yield os.fsdecode(error.filename), error


def rows_of(
    paths: list[str],
    *,
    format: Format,  # noqa: A002 (as `export` names it)
    model: type[Record] | None,
    strict: bool,
    reveal_secured: bool,
) -> list[Sent | Failure]:
    """The step a worker runs: what each file of a chunk gives the writer.

    A file's row with its kind (`row_of`), or why it has none. A Parquet
    export's rows of the chunk are made one pyarrow table, sent with the first
    of them (`None` with the others): rows as dictionaries would cost the
    process that writes them more to take than all the rest of writing.
    """
    made = [
        row_of(
            path,
            data,
            format=format,
            model=model,
            strict=strict,
            reveal_secured=reveal_secured,
        )
        for path, data in read_ahead(paths, DEFAULT_LIMITS)
    ]
    if format == "jsonl":  # each row a line, as bytes
        return cast("list[Sent | Failure]", made)
    # A Parquet export's rows are those of `newsrecord._arrow.row`, of one kind.
    rows = [cast("dict[str, Any]", item[1]) for item in made if isinstance(item, tuple)]
    if not rows:  # failures alone
        return cast("list[Sent | Failure]", made)
    of_kind = cast("type[Record]", model)
    carried: bytes | None = table_bytes(
        table(rows, of_kind, reveal_secured=reveal_secured)
    )
    sent: list[Sent | Failure] = []
    for item in made:
        if isinstance(item, tuple):
            sent.append((item[0], carried))
            carried = None
        else:
            sent.append(item)
    return sent


def row_of(  # noqa: PLR0913 (keyword-only options, as `export` has)
    path: str,
    data: bytes | OSError,
    *,
    format: Format,  # noqa: A002 (as `export` names it)
    model: type[Record] | None,
    strict: bool,
    reveal_secured: bool,
) -> Kinded | Failure:
    """A file's row with its kind, or why it has none.

    ``data`` is the file's bytes, or the error reading it raised (see
    `newsrecord._folder.read_ahead`). The record is of ``model`` (``None``: of
    any kind); errors come detached.
    """
    unwritten = path_error(path)
    if unwritten is not None:
        return unwritten
    read_once = _read_once(path, data, model=model, strict=strict)
    if not isinstance(read_once, tuple):
        return read_once
    record, root = read_once
    made: Row
    try:
        if format == "jsonl":
            made = jsonl_line(path, record, root, reveal_secured=reveal_secured)
        else:
            made = row(path, record, reveal_secured=reveal_secured)
    except ValidationError as exc:
        return detached(exc)
    return kind_name(record), made


def path_error(path: str) -> ValidationError | None:
    """Why a row cannot hold ``path``: a file name that is not UTF-8 text.

    A row holds the file's path as text (JSON, Arrow strings); a name with
    bytes that are not UTF-8 (which Python's file names carry as lone
    surrogates) has none, and no row of it is written rather than a path
    changed.
    """
    if path.isascii():
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError as exc:
        found = os.fsencode(path[exc.start : exc.end])
        message = (
            f"the file's path is not UTF-8 text (it holds the byte {found[0]:#04x}): "
            "an exported row holds the path as text; rename the file"
        )
        error = FieldError(
            key_path="", message=message, code="value", line=None, column=None
        )
        return ValidationError([error], path=path)
    return None


def _read_once(
    path: str, data: bytes | OSError, *, model: type[Record] | None, strict: bool
) -> tuple[Record, MapNode] | Failure:
    """The file's record and the tree it was built from, or why it has none.

    The file's bytes are read once, as `load_record` reads them (`load` for
    news): the tree gives a JSON line the timestamps as the file spells them. A
    file that does not load is loaded again from the same bytes by `load_file`,
    for its error exactly as `load` gives it (detached).
    """
    try:
        if isinstance(data, OSError):
            raise data
        document = read(data, path, locate=False)
        # Rows are made of its values: it need not hold its text.
        record = structure(
            document, strict=strict, model=model, source=False, as_told=True
        )
    except (NewsRecordError, OSError) as exc:
        error = load_file(
            path, data, strict=strict, limits=DEFAULT_LIMITS, model=model
        ).error
        # None only if the two readings disagree: the first error stands.
        return detached(exc) if error is None else error
    return record, document.root


def write(  # noqa: PLR0913 (keyword-only options, as `export` has)
    items: Iterable[Made],
    output: Output,
    *,
    format: Format,  # noqa: A002 (as `export` names it)
    model: type[Record] | None,
    reveal_secured: bool,
    leave_out: Callable[[str, Failure], object],
) -> int:
    """Write the rows of ``items`` (as `rows_of` gives them) to ``output``.

    Return how many. A Parquet file's rows are of ``model``. Each file without
    a row is passed to ``leave_out`` as it comes. A file replaces ``output`` at
    the end; a stream is written as the rows come, flushed, and left open.
    """
    # A missing extra is told before anything is read.
    parquet = None if format == "jsonl" else parquet_module()
    rows = _rows(items, leave_out)
    # A Parquet export is of one kind (see `model_of`).
    written = (
        functools.partial(_jsonl, rows)
        if parquet is None
        else functools.partial(
            _parquet,
            parquet,
            rows,
            model=cast("type[Record]", model),
            reveal_secured=reveal_secured,
        )
    )
    if not isinstance(output, str):
        count = written(output)
        output.flush()
        return count
    with (
        replacing(output) as descriptor,
        open(descriptor, "wb", closefd=False) as stream,
    ):
        return written(stream)


def parquet_module() -> ModuleType:
    """``pyarrow.parquet``; `ModuleNotFoundError` naming the ``parquet`` extra."""
    return require("pyarrow.parquet", extra="parquet", purpose=PURPOSE)


def failed(item: object) -> TypeGuard[Failure]:
    """Whether what a file gave is why it has no row."""
    return isinstance(item, (NewsRecordError, OSError))


def _rows(
    items: Iterable[Made], leave_out: Callable[[str, Failure], object]
) -> Iterator[Any]:
    """What each file with a row gives the writer (see `Sent`), in order."""
    for path, item in items:
        if failed(item):
            leave_out(path, item)
        else:
            yield cast("Sent", item)[1]  # what is not a failure is a row


def _jsonl(lines: Iterable[Row], stream: Any) -> int:
    count = 0
    for line in lines:
        stream.write(line)
        count += 1
    return count


def jsonl_line(
    path: str, record: Record, root: MapNode, *, reveal_secured: bool
) -> bytes:
    """A record's line of JSON Lines, in UTF-8 with its line end (see `jsonl_row`).

    A ``secured`` key nested anywhere (among the keys a model does not know) is
    a token too: unless ``reveal_secured``, its value is hidden (see
    `newsrecord._model.masked`). JSON spells such a key ``"secured"`` whatever
    the file's escapes, so only a line that holds that text is looked at again.
    """
    row = jsonl_row(path, record, root, reveal_secured=reveal_secured)
    text = json.dumps(row, ensure_ascii=False)
    if not reveal_secured and f'"{SECURED}"' in text:
        text = json.dumps(masked(row), ensure_ascii=False)
    return text.encode("utf-8") + b"\n"


def jsonl_row(
    path: str, record: Record, root: MapNode, *, reveal_secured: bool
) -> dict[str, Any]:
    """A JSON Lines row: ``path``, ``kind``, the record's `to_dict` mapping, ``body``.

    ``root`` is the tree ``record`` was read from (see `loaded_dict`).

    `ValidationError` for a record with an unknown key named ``path``, ``kind``
    or ``body``, which the row could not hold beside the file's path, the
    record's kind and its body.
    """
    front_matter = loaded_dict(record, root)
    added = {PATH: "file's path", KIND: "record's kind", BODY: "file's body"}
    clashes = [key for key in added if key in front_matter]
    if clashes:
        errors = [
            FieldError(
                key_path=key,
                message=f"a key named `{key}` cannot be exported to JSON Lines: "
                f"the row's `{key}` holds the {added[key]}",
                code="value",
                line=None,
                column=None,
            )
            for key in clashes
        ]
        raise ValidationError(errors, path=path)
    if not reveal_secured:
        front_matter.pop(SECURED, None)
    return {PATH: path, KIND: kind_name(record), **front_matter, BODY: record.body}


def _parquet(
    parquet: ModuleType,
    sent: Iterable[Any],
    stream: Any,
    *,
    model: type,
    reveal_secured: bool,
) -> int:
    """Write the tables of ``sent``, a row group of `ROW_GROUP` rows at a time.

    ``sent`` holds one item a record: the rows of a chunk as a table (as
    `table_bytes` gives it) with its first record, `None` with the others.
    Return the number of records.
    """
    concat_tables = pyarrow().concat_tables
    count = 0
    held: list[Any] = []  # tables of fewer than `ROW_GROUP` rows in all
    rows = 0
    # Without dictionary encoding: a record's values are mostly its own (titles,
    # links, tokens), and snappy compresses the few repeated ones about as well
    # (a file 1% larger, written in two thirds of the time).
    with parquet.ParquetWriter(
        stream, schema(model, reveal_secured=reveal_secured), use_dictionary=False
    ) as writer:
        for made in sent:
            count += 1
            if made is None:
                continue
            chunk = bytes_table(made)
            held.append(chunk)
            rows += chunk.num_rows
            if rows >= ROW_GROUP:
                # Whole row groups now; what is left over waits for more rows.
                whole = concat_tables(held)
                rest = rows % ROW_GROUP
                writer.write_table(whole.slice(0, rows - rest), ROW_GROUP)
                held = [whole.slice(rows - rest)] if rest else []
                rows = rest
        if rows:
            writer.write_table(concat_tables(held), ROW_GROUP)
    return count
