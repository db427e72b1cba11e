"""Records on a Dask cluster: a bag of records, or a data frame of one kind's.

Files are read through fsspec, so the same call reads a local glob, S3
(``s3://bucket/content/**/*.md``, with s3fs), Google Cloud Storage (gcsfs), HDFS
or any other file system fsspec knows. Each worker reads and checks its own
files; records travel between workers pickled, without the text they were read
from (a record in a bag writes back in the reference style, not byte for byte).

Needs the ``dask`` extra: ``pip install 'newsrecord[dask]'``.
"""

from __future__ import annotations

import errno
import glob
import os
from typing import TYPE_CHECKING, Any, Final, TypeAlias, cast

from ._optional import require

_PURPOSE: Final = "newsrecord.dask"
for _module in ("dask.bag", "dask.dataframe", "fsspec", "pyarrow"):
    require(_module, extra="dask", purpose=_PURPOSE)

import dask.bag  # noqa: E402 (after the check that it is there)
import dask.dataframe  # noqa: E402
import fsspec  # noqa: E402
from dask.delayed import delayed  # noqa: E402
from fsspec.implementations.local import LocalFileSystem  # noqa: E402

from . import _arrow  # noqa: E402
from ._api import check_options  # noqa: E402
from ._errors import FieldError, KindError, NewsRecordError  # noqa: E402
from ._export import path_error  # noqa: E402
from ._folder import LoadResult, load_file, load_files  # noqa: E402
from ._kinds import kind_name, model_named  # noqa: E402
from ._limits import DEFAULT_LIMITS  # noqa: E402
from ._model import Record  # noqa: E402
from ._spec import TABLES  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = ["read_records", "read_results", "to_dataframe"]

#: Files a partition reads, by default: about a tenth of a second of work in the
#: compiled build. Dask's scheduler spends around a millisecond on each task, and
#: Dask's own advice is tasks of 100 ms or more.
FILES_PER_PARTITION: Final = 1024

#: What one file gives: its path, and its record or why it has none.
Result: TypeAlias = tuple[str, "Record | NewsRecordError | OSError"]


def read_results(
    urlpath: str | Sequence[str],
    *,
    kind: str | None = "news",
    strict: bool = False,
    files_per_partition: int = FILES_PER_PARTITION,
    storage_options: dict[str, Any] | None = None,
) -> dask.bag.Bag:
    """A bag of ``(path, record or error)``, one per file of ``urlpath``.

    ``urlpath`` is a path, a glob (``content/**/*.md``) or a list of them, with
    or without a protocol (``s3://``, ``gcs://``, ...): a directory stands for
    the ``*.md`` files below it. ``storage_options`` go to the file system
    (credentials, say). Each file comes once, even when two paths match it;
    `FileNotFoundError` when no file matches.

    The records are of ``kind`` (``news``, ``course``, ...: see
    `newsrecord.KINDS`), or of every kind with ``None``, as
    `newsrecord.load_record` reads them. The error of a file that does not load
    is a value, not raised: a `newsrecord.NewsRecordError` (a
    `newsrecord.KindError` for a record of another kind) or an `OSError`,
    without the exceptions it was raised from. With ``strict``, keys the model
    does not know are errors. Files are read ``files_per_partition`` to a
    partition. `ValueError` for a name that is no kind's.
    """
    return _bag(
        _load_files,
        urlpath,
        kind=kind,
        strict=strict,
        files_per_partition=files_per_partition,
        storage_options=storage_options,
        function="read_results",
    )


def read_records(
    urlpath: str | Sequence[str],
    *,
    kind: str | None = "news",
    strict: bool = False,
    files_per_partition: int = FILES_PER_PARTITION,
    storage_options: dict[str, Any] | None = None,
) -> dask.bag.Bag:
    """A bag of the records of ``urlpath``, as `newsrecord.load` reads each file.

    Computing it raises the error of the first file that does not load, as
    `newsrecord.load` would (`newsrecord.load_record` with ``kind=None``);
    `read_results` gives such errors as values instead. The arguments are those
    of `read_results`.
    """
    return _bag(
        _load_records,
        urlpath,
        kind=kind,
        strict=strict,
        files_per_partition=files_per_partition,
        storage_options=storage_options,
        function="read_records",
    )


def _bag(  # noqa: PLR0913 (the options of the two readers)
    step: Callable[..., list[Any]],
    urlpath: object,
    *,
    kind: str | None,
    strict: bool,
    files_per_partition: int,
    storage_options: dict[str, Any] | None,
    function: str,
) -> dask.bag.Bag:
    """The bag of what ``step`` makes of each partition of ``urlpath``'s files.

    The arguments are checked here, where the bag is made, not in each task;
    ``function`` names the reader in their errors.
    """
    model = model_named(kind)
    check_options(strict, DEFAULT_LIMITS, function)
    if isinstance(files_per_partition, bool) or not isinstance(
        files_per_partition, int
    ):
        message = (
            "files_per_partition must be an int, not "
            f"{type(files_per_partition).__name__}"
        )
        raise TypeError(message)
    if files_per_partition < 1:
        message = f"files_per_partition must be 1 or more, not {files_per_partition}"
        raise ValueError(message)
    options = storage_options or {}
    paths = _paths(urlpath)
    file_system, found = _files(paths, options)
    if not found:
        message = "no file matches"
        raise FileNotFoundError(errno.ENOENT, message, ", ".join(map(str, paths)))
    # Paths as text: a task holds a few bytes per file, and the file system once.
    bag = dask.bag.from_sequence(found, partition_size=files_per_partition)
    loaded = bag.map_partitions(
        step, file_system=file_system, model=model, strict=strict
    )
    return cast("dask.bag.Bag", loaded)


def to_dataframe(
    results: dask.bag.Bag, *, kind: str = "news", reveal_secured: bool = False
) -> dask.dataframe.DataFrame:
    """A data frame of a bag of ``(path, record)`` pairs, such as `read_results` gives.

    The records are of ``kind``: its columns have the Arrow types of the Parquet
    files `newsrecord.export` writes of that kind (pandas ``ArrowDtype``
    columns): ``path``, then one per key. The ``secured`` token is a column only
    with ``reveal_secured``. Computing it raises the error of a pair that holds
    one, a `newsrecord.KindError` for a record of another kind, and a
    `newsrecord.ValidationError` for a file name that is not UTF-8 text (a
    column of text holds no other); filter them out of the bag first to leave
    them out::

        records = results.filter(lambda result: isinstance(result[1], Article))

    `ValueError` for a name that is no kind's.
    """
    given: object = results
    if not isinstance(given, dask.bag.Bag):
        message = f"results must be a dask bag, not {type(given).__name__}"
        raise TypeError(message)
    model = model_named(kind)
    if model is None:
        message = "a data frame holds the records of one kind: name it"
        raise ValueError(message)
    meta = _frame([], model, reveal_secured=reveal_secured)
    parts = [
        delayed(_frame)(part, model, reveal_secured=reveal_secured)
        for part in results.to_delayed()
    ]
    frame = dask.dataframe.from_delayed(parts, meta=meta, verify_meta=False)
    return cast("dask.dataframe.DataFrame", frame)


def _paths(urlpath: object) -> list[str]:
    """``urlpath`` as a list of paths or globs: `TypeError`, `ValueError` if none."""
    given = urlpath if isinstance(urlpath, list | tuple) else [urlpath]
    paths = [os.fspath(path) for path in given if isinstance(path, str | os.PathLike)]
    if len(paths) != len(given) or not all(isinstance(path, str) for path in paths):
        wrong = next(
            (path for path in given if not isinstance(path, str | os.PathLike)),
            urlpath,
        )
        message = (
            "urlpath must be a path or a glob, or a list of them (str or "
            f"os.PathLike), not {type(wrong).__name__}"
        )
        raise TypeError(message)
    if not paths:
        message = "urlpath holds no path or glob"
        raise ValueError(message)
    return cast("list[str]", paths)


def _files(paths: list[str], options: dict[str, Any]) -> tuple[Any, list[str]]:
    """The file system of ``paths``, and the files they match, each once, in order.

    A directory stands for the glob of its record files, as validate finds them.
    """
    isdir: Callable[[str], bool]
    if not options and all(map(_local, paths)):
        # As fsspec names local paths, without resolving each one's protocol and
        # file system: for a list of many files, that took longer than the rest.
        file_system = fsspec.filesystem("file")
        inner = [_local_name(file_system, path) for path in paths]
        isdir = _directories(inner).__contains__
    else:
        file_system, _, inner = fsspec.core.get_fs_token_paths(
            paths, storage_options=options, expand=False
        )
        isdir = file_system.isdir
    # Looked for in all the paths at once first: a list of many files has no glob.
    magic = glob.has_magic("".join(inner))
    found: list[str] = []
    for path in inner:
        if magic and glob.has_magic(path):
            found.extend(_matched(file_system, path))
        elif isdir(path):
            found.extend(_matched(file_system, _below(path)))
        else:
            found.append(path)
    return file_system, list(dict.fromkeys(found))


def _local_name(file_system: Any, path: str) -> str:
    """``path``, a local one, as fsspec names it: itself, if plainly absolute.

    fsspec gives an absolute POSIX path with no protocol and no trailing ``/``
    back as it is, and makes any other one absolute and plain.
    """
    if _POSIX and path[:1] == "/" and path[-1:] != "/" and ":" not in path:
        return path
    name: str = file_system._strip_protocol(path)  # noqa: SLF001
    return name


#: Whether local paths are POSIX paths, which fsspec leaves as they are.
_POSIX: Final = os.sep == "/"
#: A folder holding at least this many of the paths asked about is listed.
_LISTED: Final = 16


def _directories(paths: Iterable[str]) -> set[str]:
    """Those of ``paths`` (local, as fsspec names them) that `os.path.isdir` finds.

    Asked path by path, that is a system call each: for a list of many files,
    most of the time taken to make the bag. So the paths are taken by the
    folder they are in, and a folder that holds many of them is listed instead
    (see `_listed`). A path not met in the listing (``..``, a name the file
    system spells otherwise, a folder that cannot be listed) is asked about on
    its own.
    """
    folders: dict[str, set[str]] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        folders.setdefault(folder, set()).add(name)
    found: set[str] = set()
    for folder, names in folders.items():
        left = names
        if _POSIX and len(names) >= _LISTED:
            directories, left = _listed(folder, names)
            found.update(f"{folder}/{name}" for name in directories)
        found.update(
            path
            for path in (f"{folder}/{name}" for name in left)
            if os.path.isdir(path)  # noqa: PTH112 (strings in, strings out)
        )
    return found


def _listed(folder: str, names: set[str]) -> tuple[list[str], set[str]]:
    """The ``names`` that ``folder``'s listing holds as directories; those not met.

    An entry is a directory as `os.path.isdir` tells it, a symbolic link followed.
    The listing stops once every name is met, or when it has gone far past their
    number (a large folder of which few files are asked about). A folder that
    cannot be listed has met none of them.
    """
    directories: list[str] = []
    left = set(names)
    limit = 4 * len(names) + 1024
    try:
        with os.scandir(folder or "/") as entries:
            for seen, entry in enumerate(entries):
                name = entry.name
                if name in left:
                    left.remove(name)
                    try:
                        if entry.is_dir():
                            directories.append(name)
                    except OSError:
                        pass  # os.path.isdir says False
                    if not left:
                        break
                elif seen >= limit:
                    break
    except OSError:
        return [], names
    return directories, left


def _below(folder: str) -> str:
    """The glob of the record files below ``folder``."""
    return folder.rstrip("/") + "/**/*.md"


def _matched(file_system: Any, pattern: str) -> list[str]:
    """The files ``pattern`` matches, in path order.

    A folder it matches (``notes.md/``) stands for the record files below it, as
    validate finds them: it is no file to read.
    """
    found = []
    for name, info in file_system.glob(pattern, detail=True).items():
        if info.get("type") != "directory":
            found.append(name)
            continue
        found.extend(
            below
            for below, inside in file_system.glob(_below(name), detail=True).items()
            if inside.get("type") != "directory"
        )
    return found


def _local(path: object) -> bool:
    """Whether ``path`` is text that names a local path, with no protocol."""
    if not isinstance(path, str):
        return False
    # A protocol (``s3://``, ``file:``) or a chain (``::``) needs a colon.
    return ":" not in path or (
        "::" not in path and fsspec.core.split_protocol(path)[0] is None
    )


def _load_files(
    paths: Iterable[str],
    *,
    file_system: Any,
    model: type[Record] | None,
    strict: bool,
) -> list[Result]:
    """Read and check a partition's files, paths of ``file_system``.

    Local files are read as `load_dir` reads them, a few ahead of their loading
    (see `newsrecord._folder.read_ahead`). Records are built without the text
    they were read from: they are sent between workers far smaller, and no copy
    is made to leave it out.
    """
    if isinstance(file_system, LocalFileSystem):
        loaded = load_files(
            paths, strict=strict, limits=DEFAULT_LIMITS, model=model, keep_text=False
        )
        return [_result(result) for result in loaded]
    return [_load_file(file_system, path, model=model, strict=strict) for path in paths]


def _load_records(
    paths: Iterable[str],
    *,
    file_system: Any,
    model: type[Record] | None,
    strict: bool,
) -> list[Record]:
    """The records of a partition's files; the error of the first that has none.

    Made in the partition's own task: a second step over the bag, taking the
    records out of their results, made counting records on a cluster about 6%
    slower.
    """
    loaded = _load_files(paths, file_system=file_system, model=model, strict=strict)
    return [_record(result) for result in loaded]


def _load_file(
    file_system: Any, path: str, *, model: type[Record] | None, strict: bool
) -> Result:
    """Read and check a file of a file system that is not local."""
    path = file_system.unstrip_protocol(path)
    try:
        with file_system.open(path, "rb") as stream:
            # One byte more than the limit tells a file too large, as in `load`.
            data: bytes | OSError = stream.read(DEFAULT_LIMITS.max_file_size + 1)
    except OSError as exc:
        data = exc
    loaded = load_file(
        path, data, strict=strict, limits=DEFAULT_LIMITS, model=model, keep_text=False
    )
    return _result(loaded)


def _result(loaded: LoadResult) -> Result:
    """A `LoadResult` as the bag holds it: the path, with the record or the error."""
    if loaded.error is not None:
        return loaded.path, loaded.error
    return loaded.path, cast("Record", loaded.record)


def _record(result: Result) -> Record:
    _, record = result
    if isinstance(record, Record):
        return record
    raise record


def _of_kind(result: Result, model: type[Record]) -> Record:
    """The record of ``result``, if it is of ``model``; else its error."""
    path, _ = result
    found = _record(result)
    if isinstance(found, model):
        return found
    kind = kind_name(found)
    message = (
        f"not a {TABLES[model].kind} record: its kind is `{kind}`; a data frame "
        "holds the records of one kind"
    )
    error = FieldError(
        key_path="", message=message, code="kind", line=None, column=None
    )
    raise KindError([error], kind=kind, path=path)


def _frame(
    results: Iterable[Result], model: type[Record], *, reveal_secured: bool
) -> Any:
    """A pandas data frame of ``(path, record)`` pairs of ``model``.

    With Arrow columns, those of the kind's Parquet files.
    """
    import pandas as pd  # noqa: PLC0415 (Dask's own dependency, loaded by then)

    rows = []
    for path, record in results:
        of_kind = _of_kind((path, record), model)
        unwritten = path_error(path)
        if unwritten is not None:
            raise unwritten
        rows.append(_arrow.row(path, of_kind, reveal_secured=reveal_secured))
    table = _arrow.table(rows, model, reveal_secured=reveal_secured)
    return table.to_pandas(types_mapper=pd.ArrowDtype)
