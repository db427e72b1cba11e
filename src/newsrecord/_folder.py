"""Folders of records: finding their record files, and loading them in worker processes.

Finding (`find_files`): a directory is searched recursively for ``*.md`` files, its
own files first, then its subdirectories, each sorted by name; a file named on its
own is taken whatever its name; a symbolic link to a file is taken, one to a
directory is not searched (unless it is given: a link pointing back up would
make the search endless). A file or directory is left out when its name or
its path (as found, normalized) matches an ``exclude`` glob. Paths stay strings as
given, so that reports name files as the user did. Finding is lazy: it holds the
names of the directories it is in, never the folder's (given several paths, it
remembers the files found, to give each once, however its path was written).

The engine (`map_chunks`) runs a step on chunks of the files found, in this process
or in worker processes, and yields each file's result in the order of the files,
as they come; `map_files` runs a function on each file of a chunk. Workers get
chunks of paths and read the files themselves; they give a chunk's results back
in a file of the run's own temporary directory, removed when the run ends. A
bounded number of chunks is in flight at a time, so memory (and that directory)
does not grow with the folder however slowly the results are used. A run stopped
early (the loop left, ^C) cancels what has not started and waits for the workers
to end: none is left behind.

`load_dir` is the engine with `load_files`, the one step that loads a chunk's
files; the command line's ``validate`` checks them with it, ``fmt`` runs a step
of its own on the same engine, and an export a step that makes a chunk's rows.
A chunk's files are read a few at a time before any of them is read as a record
(`read_ahead`): the system calls that read a file leave the processor's caches
cold for the work that follows them, and in a row they cost that once.
"""

from __future__ import annotations

import collections
import contextlib
import fnmatch
import functools
import itertools
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from ._api import check_options, globs_given, path_given, read_text
from ._errors import NewsRecordError, detached
from ._file import read_file
from ._limits import DEFAULT_LIMITS, Limits
from ._transport import dumps

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from ._model import Record


T = TypeVar("T")

#: Below this many files a worker costs more to start than it saves.
_FILES_PER_WORKER: Final = 32
#: Workers started at most, per CPU (more only wait for each other).
_WORKERS_PER_CPU: Final = 4
#: Chunks in flight per worker: one being worked on, one waiting.
_CHUNKS_PER_WORKER: Final = 2
#: Files in a chunk: at first, and at most (see `_Chunks`).
_CHUNK_MIN: Final = 16
_CHUNK_MAX: Final = 256
#: The pickled results of a chunk, at about most: 256 checks of `validate`, or
#: about a hundred records.
_CHUNK_BYTES: Final = 1 << 20
#: Files read ahead of their reading as records (see `read_ahead`): at most this
#: many, and no more once they hold this many bytes.
_AHEAD_FILES: Final = 16
_AHEAD_BYTES: Final = 1 << 18


# --- finding files ---------------------------------------------------------------


def find_files(
    paths: Iterable[str], exclude: Sequence[str], unreadable: list[OSError]
) -> Iterator[str]:
    """The record files under ``paths``, in order, each once (see the module).

    Directories that cannot be listed are appended to ``unreadable`` as they are
    met, as the `OSError` that listing them raised.
    """
    paths = list(paths)
    found = _inside(paths, exclude, unreadable)
    if len(paths) == 1:  # no file can be found twice
        yield from found
        return
    # A file is the same file however it is reached: `content/a.md` and
    # `./content/a.md`, or a relative path and the absolute one.
    seen: set[str] = set()
    for path in found:
        where = os.path.abspath(path)  # noqa: PTH100 (strings in, strings out)
        if where not in seen:
            seen.add(where)
            yield path


def _inside(
    paths: Iterable[str], exclude: Sequence[str], unreadable: list[OSError]
) -> Iterator[str]:
    for path in paths:
        if excluded(path, exclude):
            continue
        if not os.path.isdir(path):  # noqa: PTH112 (strings in, strings out)
            yield path
            continue
        for root, directories, names in os.walk(path, onerror=unreadable.append):
            # os.path.join(root, name), for names that are names: faster by far on
            # the tens of thousands of files of a content repository.
            prefix = os.path.join(root, "")  # noqa: PTH118 (strings in, strings out)
            directories[:] = sorted(
                name for name in directories if not excluded(prefix + name, exclude)
            )
            for name in sorted(names):
                if name.endswith(".md") and not excluded(prefix + name, exclude):
                    yield prefix + name


def excluded(path: str, exclude: Sequence[str]) -> bool:
    """Whether the name or the normalized path of ``path`` matches a glob."""
    if not exclude:
        return False
    normal = os.path.normpath(path).replace(os.sep, "/")
    name = normal.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(normal, glob)
        for glob in exclude
    )


# --- the engine ----------------------------------------------------------------


def map_files(
    paths: Iterable[str], function: Callable[[str], T], *, workers: int
) -> Iterator[tuple[str, T]]:
    """``(path, function(path))`` for each of ``paths``, in order, as they come.

    `map_chunks` with a step that runs ``function`` on each file of a chunk.
    """
    return map_chunks(paths, functools.partial(each, function), workers=workers)


def map_chunks(
    paths: Iterable[str], step: Callable[[list[str]], list[T]], *, workers: int
) -> Iterator[tuple[str, T]]:
    """``(path, result)`` for each of ``paths``, in order, as they come.

    ``step`` takes a chunk of paths and gives their results, one a path, in
    order: what a file's result is may depend on the others of its chunk (an
    export makes one table of a chunk's rows). It runs in ``workers`` processes:
    this one, and worker processes for the others (it must pickle: a module's
    function, or a `functools.partial` of one). One worker, or few files, and
    all is done here. The first file is always done here, alone, so that the
    workers inherit whatever that set up.
    """
    files = iter(paths)
    for first in itertools.islice(files, 1):
        yield from _results([first], step)
    ahead = list(itertools.islice(files, workers * _FILES_PER_WORKER))
    workers = min(workers, len(ahead) // _FILES_PER_WORKER)
    chunks = _Chunks(itertools.chain(ahead, files))
    if workers <= 1:
        while chunk := chunks.take():
            yield from _results(chunk, step)
        return
    yield from _in_workers(chunks, step, workers - 1)


def each(function: Callable[[str], T], chunk: list[str]) -> list[T]:
    """The step of `map_files`: ``function`` of each file of ``chunk``."""
    return [function(path) for path in chunk]


def _results(
    chunk: list[str], step: Callable[[list[str]], list[T]]
) -> Iterator[tuple[str, T]]:
    """Each file of ``chunk`` with its result, made here."""
    return zip(chunk, step(chunk), strict=True)


class _Chunks:
    """The files, in chunks for the workers.

    Small chunks first, for the workers to start at once, then doubling up to as
    many files as give about `_CHUNK_BYTES` of results: few round trips, and
    bounded memory however large the results.
    """

    def __init__(self, files: Iterator[str]) -> None:
        self.files = files
        self.size = _CHUNK_MIN
        self.largest = _CHUNK_MAX

    def take(self) -> list[str]:
        """The next chunk (empty at the end)."""
        chunk = list(itertools.islice(self.files, self.size))
        self.size = min(2 * self.size, self.largest)
        return chunk

    def learn(self, files: int, size: int) -> None:
        """Size the chunks by ``files`` that gave ``size`` bytes of results."""
        fit = _CHUNK_BYTES * files // max(1, size)
        self.largest = max(_CHUNK_MIN, min(_CHUNK_MAX, fit))
        self.size = min(self.size, self.largest)


def _each_pickled(step: Callable[[list[str]], list[T]], chunk: list[str]) -> bytes:
    """A chunk's results, pickled as records travel.

    See `newsrecord._transport`: each record as its attributes, not its file.
    """
    return dumps(step(chunk))


def _each_sent(
    step: Callable[[list[str]], list[T]], directory: str | None, chunk: list[str]
) -> bytes | str:
    """What a worker does with a chunk: its pickled results, or the file holding them.

    The results go in a file of ``directory`` (this run's own, which only this
    user may read), and only the file's path through the pool's pipe. A pipe
    holds little (64 KiB on Linux): a worker sending a megabyte through it would
    wait for this process to take each piece, and this process takes one only
    between two of its own steps (it holds the interpreter's lock while it loads
    files). Without a directory, or when the file cannot be written (a full
    disk), the results go through the pipe.
    """
    data = _each_pickled(step, chunk)
    if directory is None:
        return data
    try:
        descriptor, name = tempfile.mkstemp(dir=directory)
    except OSError:
        return data
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError:
        _remove(name)
        return data
    return name


def _received(sent: bytes | str) -> bytes:
    """The pickled results a worker sent: given, or taken from their file."""
    if isinstance(sent, bytes):
        return sent
    try:
        return Path(sent).read_bytes()
    finally:
        _remove(sent)


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        Path(name).unlink()


def _results_directory() -> str | None:
    """A new directory for the workers' results, or `None` if none can be made."""
    try:
        return tempfile.mkdtemp(prefix="newsrecord-")
    except OSError:
        return None


def _in_workers(
    chunks: _Chunks, step: Callable[[list[str]], list[T]], others: int
) -> Iterator[tuple[str, T]]:
    """`map_chunks` with ``others`` worker processes, and this one.

    This process works on chunks of its own whenever the next results are not
    ready: on a machine with as many CPUs as workers, that is the CPU time which
    sending results between processes takes, given back to the work.
    """
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 (workers only)

    pool = ProcessPoolExecutor(others, _context(), initializer=_ignore_interrupts)
    directory = _results_directory()
    work = functools.partial(_each_sent, step, directory)
    # Chunks in order, each with its future (a worker's) or its results (this
    # process's): a bounded number of each.
    pending: collections.deque[tuple[list[str], Future[bytes | str] | list[T]]] = (
        collections.deque()
    )
    window = others * _CHUNKS_PER_WORKER

    def submit() -> None:
        if chunk := chunks.take():
            pending.append((chunk, pool.submit(work, chunk)))

    try:
        for _ in range(window):
            submit()
        while pending:
            chunk, job = pending[0]
            if isinstance(job, list):
                pending.popleft()
                yield from zip(chunk, job, strict=True)
                continue
            # Work here while waiting, if there is work left.
            if (
                not job.done()
                and len(pending) < 2 * window
                and (spare := chunks.take())
            ):
                pending.append((spare, step(spare)))
                continue
            pending.popleft()
            data = _received(job.result())
            chunks.learn(len(chunk), len(data))
            submit()
            yield from zip(chunk, pickle.loads(data), strict=True)  # noqa: S301 (ours)
    finally:
        # Left early (^C, an error, a loop that stopped): drop what has not
        # started, and wait for the workers to end; then the results not taken.
        pool.shutdown(wait=True, cancel_futures=True)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


def _context() -> BaseContext | None:
    """How to start workers: by forking where that is safe, else the default.

    Forking copies this process, modules and all, in milliseconds; on Linux it is
    safe as long as this process runs no other thread. With threads, the
    workers start from a fork server; elsewhere, the platform's default is safe.
    """
    import multiprocessing  # noqa: PLC0415 (only needed with workers)

    if sys.platform != "linux":  # pragma: no cover (tested on Linux)
        return None
    method = "fork" if threading.active_count() == 1 else "forkserver"
    return multiprocessing.get_context(method)


def _ignore_interrupts() -> None:
    # Workers leave ^C to the main process, which stops them; a worker that took
    # it would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def available_cpus() -> int:
    """The number of CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover (platforms without affinity)


def worker_count(requested: int | None) -> int:
    """The workers to start for ``requested`` (`None`: one per CPU), capped.

    More than a few per CPU would only wait for each other; `map_files` starts
    fewer still for few files.
    """
    cpus = available_cpus()
    if requested is None:
        return cpus
    return max(1, min(requested, _WORKERS_PER_CPU * cpus))


# --- loading a folder ------------------------------------------------------------


@attrs.frozen
class LoadResult:
    """What `load_dir` found in one file: its record, or why it has none.

    Exactly one of `record` and `error` is `None`. ``error`` is what `load`
    would raise for the file: a `NewsRecordError` (`FrontMatterError`,
    `ValidationError`, `KindError`), or an `OSError` for a file, or a directory,
    that could not be read.
    """

    #: The file's path: the folder's path as given, joined with the file's
    #: path in it (the directory's, for a directory that could not be read).
    path: str
    #: The record, when the file holds a valid one: of its kind's class.
    record: Record | None = None
    #: The reason the file gives no record.
    error: NewsRecordError | OSError | None = None


def read_ahead(
    paths: Iterable[str], limits: Limits
) -> Iterator[tuple[str, bytes | OSError]]:
    """Each of ``paths`` with its bytes, or the `OSError` reading it raised.

    Files are read as `load` reads them (one byte more than ``limits`` allow
    tells a file too large), a few at a time (`_AHEAD_FILES`, or fewer holding
    `_AHEAD_BYTES`) before the first of them is given: where system calls
    leave the caches cold, loading records read that way is faster than
    reading each file just before loading it (see the performance page).
    """
    budget = limits.max_file_size + 1
    files = iter(paths)
    while True:
        ahead: list[tuple[str, bytes | OSError]] = []
        size = 0
        for path in files:
            data: bytes | OSError
            try:
                data = read_file(path, budget)
            except OSError as exc:
                data = exc
            else:
                size += len(data)
            ahead.append((path, data))
            if len(ahead) == _AHEAD_FILES or size >= _AHEAD_BYTES:
                break
        if not ahead:
            return
        yield from ahead


def load_files(
    paths: Iterable[str],
    *,
    strict: bool,
    limits: Limits,
    model: type[Any] | None = None,
    keep_text: bool = True,
) -> list[LoadResult]:
    """The step `load_dir` runs for each chunk: `load_file` of each file, read ahead."""
    return [
        load_file(
            path, data, strict=strict, limits=limits, model=model, keep_text=keep_text
        )
        for path, data in read_ahead(paths, limits)
    ]


def load_file(  # noqa: PLR0913 (keyword-only options, as `load_record` has)
    path: str,
    data: bytes | OSError,
    *,
    strict: bool,
    limits: Limits,
    model: type[Any] | None = None,
    keep_text: bool = True,
) -> LoadResult:
    """`load_record` of a file's bytes, errors as values.

    ``data`` is the file's bytes, or the error reading it raised, as
    `read_ahead` gives them. With a ``model``, a record of another kind is a
    `KindError`, as `load` makes one for news; the kind is the one its front
    matter tells, as ``validate`` counts it (a record told to be a challenge by
    its keys is no form, although a form could have them). Without
    ``keep_text``, the record holds no text to be written back exactly from.
    """
    try:
        if isinstance(data, OSError):
            raise data
        record = read_text(
            data, path, strict, limits, model, keep_text=keep_text, as_told=True
        )
        return LoadResult(path, record)
    except (NewsRecordError, OSError) as exc:
        # As after a trip through a worker: no frames (and no file text) held.
        return LoadResult(path, error=detached(exc))


class LoadResults:
    """The results of `load_dir`: iterate over it for them; ``len()`` counts them.

    Each iteration runs the loading again, from the folder as it then is.
    """

    __slots__ = ("_count", "_exclude", "_limits", "_path", "_strict", "_workers")

    def __init__(
        self,
        path: str,
        *,
        workers: int,
        exclude: tuple[str, ...],
        strict: bool,
        limits: Limits,
    ) -> None:
        self._path = path
        self._workers = workers
        self._exclude = exclude
        self._strict = strict
        self._limits = limits
        self._count: int | None = None

    def __iter__(self) -> Iterator[LoadResult]:
        """A `LoadResult` per file, in a stable order, as they come.

        A directory's files come first, then its subdirectories, each sorted by
        name; then a result for each directory that could not be read. Leaving
        the loop early stops the workers.
        """
        unreadable: list[OSError] = []
        files = find_files([self._path], self._exclude, unreadable)
        step = functools.partial(load_files, strict=self._strict, limits=self._limits)
        for _, result in map_chunks(files, step, workers=self._workers):
            yield result
        for error in unreadable:
            yield LoadResult(os.fsdecode(error.filename), error=error)

    def __len__(self) -> int:
        """The number of results an iteration yields (as the folder is now).

        Counting walks the folder once, reading no file; the count is kept.
        """
        if self._count is None:
            unreadable: list[OSError] = []
            files = find_files([self._path], self._exclude, unreadable)
            self._count = sum(1 for _ in files) + len(unreadable)
        return self._count

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._path!r}>"


def load_dir(
    path: str | os.PathLike[str],
    *,
    workers: int | None = None,
    exclude: Sequence[str] = (),
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadResults:
    """Load every record file under the folder ``path``, in worker processes.

    Files are found as ``newsrecord validate`` finds them: ``*.md`` files,
    recursively, a directory's own files first, then its subdirectories, each
    sorted by name, following symbolic links to files but not to directories;
    ``exclude`` globs leave out files and directories whose name or path
    matches (a ``path`` that is a file is loaded whatever its name).
    ``workers`` is the number of processes that load files, this one included
    (default: one per CPU; at most four per CPU, and one per 32 files): a few
    dozen files, or ``workers=1``, are loaded in this process alone. ``strict``
    and ``limits`` are passed to `load`.

    Returns a `LoadResults`, which yields a `LoadResult` per file, in that order
    whatever the number of workers, as the files are loaded, a chunk of 16 to
    256 files at a time: errors are values there, not exceptions. Memory does
    not grow with the folder. ``len()`` of it
    gives the number of files, for a progress bar. Leaving the loop early (or
    ^C) stops the workers. Workers hand their records over in files of a
    directory of their own in the temporary folder (``tempfile.gettempdir()``,
    ``TMPDIR``), which only this user may read and which is removed when the
    loop ends; where none can be made, they hand them over through a pipe.

    Raises `FileNotFoundError` when ``path`` does not exist, `TypeError` for
    arguments of the wrong type and `ValueError` for a ``workers`` below 1.
    """
    name = path_given(path, "load_dir")
    count = workers_given(workers)
    check_options(strict, limits, "load_dir")
    globs = globs_given(exclude, "load_dir")
    # FileNotFoundError (with its path) at once, not at the loop.
    os.stat(name)  # noqa: PTH116 (strings in, strings out)
    return LoadResults(
        name,
        workers=count,
        exclude=globs,
        strict=strict,
        limits=limits,
    )


def workers_given(workers: int | None) -> int:
    """The `worker_count` of a ``workers`` argument, checked.

    `TypeError` for anything but an int or `None`, `ValueError` below 1.
    """
    if workers is not None and (type(workers) is not int or workers < 1):
        _refuse_workers(workers)
    return worker_count(workers)


def _refuse_workers(workers: object) -> None:
    if type(workers) is not int:
        message = f"workers must be an int or None, not {type(workers).__name__}"
        raise TypeError(message)
    message = f"workers must be 1 or more, not {workers}"
    raise ValueError(message)
