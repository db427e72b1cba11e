"""Whole folders: export and Dask, each against the plain loop a user writes today.

``run.py`` times these rows beside its own (records per second, the median of its
passes), on a content repository's worth of records (20,000 by default):

- the hand-written JSON Lines loop: for each file, `newsrecord.load`,
  `newsrecord.to_dict`, `json.dumps`, a line written;
- `newsrecord.export` of the same files to JSON Lines, and to Parquet (when
  pyarrow is installed), with its default workers (one per CPU);
- `newsrecord.load` in a loop counting the records by provider, the same count
  over `newsrecord.load_dir(workers=1)` of their folder, and of a
  `newsrecord.dask.read_records` bag on a `distributed.LocalCluster` of two
  worker processes with one thread each (when the ``dask`` extra is installed),
  once computed on the workers and once with every record sent back to this
  process. The cluster is started before the timing; its start-up is shown on
  its own.

Each row runs once untimed first: a first run imports what it needs (the command
line's finder, pyarrow; on the cluster, newsrecord in each worker).

``python bench/bulk.py DIRECTORY TOTAL FORMAT`` is the memory check of an export:
in a fresh interpreter, it exports ``TOTAL`` records to ``FORMAT`` (``jsonl`` or
``parquet``), cycling over the ``*.md`` files of ``DIRECTORY``, on the folder
engine with the default workers as `newsrecord.export` runs, and prints one JSON
line per checkpoint (after the import, at a tenth and at all of ``TOTAL``) with
the peak resident set size so far of this process (which holds the rows in
flight and writes them), as ``rss.py`` does for loading.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import importlib.util
import itertools
import json
import operator
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import rss

import newsrecord
from newsrecord import _export, _folder

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

HERE: Final = Path(__file__).resolve().parent

HAND_JSONL: Final = "load + to_dict + json.dumps, a line per record"
EXPORT_JSONL: Final = "newsrecord.export to JSON Lines (default workers)"
EXPORT_PARQUET: Final = "newsrecord.export to Parquet (default workers)"
LOAD_LOOP: Final = "newsrecord.load in a loop, counting records by provider"
LOAD_DIR_1: Final = "newsrecord.load_dir(workers=1) of their folder, the same count"
DASK: Final = "newsrecord.dask on a LocalCluster of 2 processes, the same count"
DASK_SENT: Final = "the same, every record also sent back to this process"
FORMATS: Final = ("jsonl", "parquet")


def available(module: str) -> bool:
    """Whether ``module`` can be imported here."""
    return importlib.util.find_spec(module) is not None


def export_rows(paths: list[Path], folder: Path) -> dict[str, Callable[[], None]]:
    """The export rows over ``paths``, writing into ``folder``."""
    folder.mkdir(exist_ok=True)
    names = [str(path) for path in paths]

    def hand_written() -> None:
        with (folder / "hand.jsonl").open("w", encoding="utf-8") as stream:
            for path in paths:
                row = newsrecord.to_dict(newsrecord.load(path))
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")

    def export(suffix: str) -> Callable[[], None]:
        def run() -> None:
            exported = newsrecord.export(names, folder / f"records{suffix}")
            if exported.records != len(names):
                msg = f"export to {suffix} left out {exported.left_out[:3]}"
                raise SystemExit(msg)

        return run

    rows = {HAND_JSONL: hand_written, EXPORT_JSONL: export(".jsonl")}
    if available("pyarrow"):
        rows[EXPORT_PARQUET] = export(".parquet")
    for run in rows.values():
        run()  # once untimed: what it imports the first time is not timed
    return rows


class DaskRows(NamedTuple):
    """The Dask rows to time, and the cluster's start-up in seconds."""

    rows: dict[str, Callable[[], None]]
    start_up: float


@contextlib.contextmanager
def dask_rows(folder: Path, paths: list[Path]) -> Iterator[DaskRows | None]:
    """A `load` loop, `load_dir` and Dask bags over ``paths``, on a local cluster.

    ``paths`` are the record files of ``folder``, all of them. Each row counts
    the records by provider; the last one also sends every record back to this
    process. `None` without the ``dask`` extra.
    """
    if not (available("distributed") and available("fsspec")):
        yield None
        return
    import distributed  # noqa: PLC0415 (optional)

    import newsrecord.dask  # noqa: PLC0415 (optional)

    names = [str(path) for path in paths]
    started = time.perf_counter()
    with (
        distributed.LocalCluster(
            processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        start_up = time.perf_counter() - started
        expected: dict[str, int] = {}
        # A function of the standard library: the workers import it by name.
        provider_name = operator.attrgetter("provider.name")

        def loop() -> None:
            counts = collections.Counter(
                newsrecord.load(path).provider.name for path in names
            )
            expected.update(counts)

        def check(counts: dict[str, int], by: str = "Dask") -> None:
            if counts != expected:
                msg = f"{by} counted the records by provider differently"
                raise SystemExit(msg)

        def one_worker() -> None:
            results = newsrecord.load_dir(folder, workers=1)
            counts = collections.Counter(
                provider_name(result.record) for result in results
            )
            check(counts, "load_dir")

        def on_dask() -> None:
            bag = newsrecord.dask.read_records(names).map(provider_name)
            check(dict(client.compute(bag.frequencies()).result()))

        def sent_back() -> None:
            records = client.compute(newsrecord.dask.read_records(names)).result()
            check(collections.Counter(provider_name(record) for record in records))

        rows = {
            LOAD_LOOP: loop,
            LOAD_DIR_1: one_worker,
            DASK: on_dask,
            DASK_SENT: sent_back,
        }
        for run in rows.values():
            run()  # once untimed: the workers import newsrecord the first time
        yield DaskRows(rows, start_up)


class Memory(NamedTuple):
    """Peak RSS (KiB) of an export at a tenth of its records and at all of them."""

    format: str
    tenth: int
    total: int
    tenth_kib: int
    total_kib: int


def export_memory(directory: Path, total: int) -> list[Memory]:
    """The memory check of each format, each in a fresh interpreter."""
    results = []
    for format_ in FORMATS:
        if format_ == "parquet" and not available("pyarrow"):
            continue
        done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
            [
                sys.executable,
                str(HERE / "bulk.py"),
                str(directory),
                str(total),
                format_,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        points = [json.loads(line) for line in done.stdout.splitlines()]
        tenth, last = points[-2], points[-1]
        results.append(
            Memory(
                format_,
                tenth["records"],
                last["records"],
                tenth["peak_kib"],
                last["peak_kib"],
            )
        )
    return results


def print_tables(
    table: Callable[[str, Any, float | None], None],
    exports: dict[str, float],
    dask: tuple[dict[str, float], float] | None,
    memory: list[Memory],
    count: int,
) -> None:
    """Print the rows with run.py's ``table``, and the memory of the exports.

    The exports and Dask read ``count`` records.
    """
    table(
        f"Exporting {count:,} records to one file",
        [
            (name, exports.get(name))
            for name in (HAND_JSONL, EXPORT_JSONL, EXPORT_PARQUET)
        ],
        exports[EXPORT_JSONL],
    )
    if dask is None:
        rows = [(name, None) for name in (LOAD_LOOP, LOAD_DIR_1, DASK, DASK_SENT)]
        table(f"Reading {count:,} records on a Dask cluster", rows, None)
    else:
        rates, start_up = dask
        table(
            f"Reading {count:,} records on a Dask cluster",
            rates.items(),
            rates[DASK],
        )
        print(f"Start-up of the cluster (not in the rows): {start_up:.1f} s.\n")
    print("## Memory while exporting records (fresh interpreter)\n")
    print("| format | records | peak RSS (MiB) | records | peak RSS (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for point in memory:
        print(
            f"| {point.format} | {point.tenth:,} | {point.tenth_kib / 1024:.1f} "
            f"| {point.total:,} | {point.total_kib / 1024:.1f} |"
        )
    print()


def targets(
    exports: dict[str, float],
    dask: tuple[dict[str, float], float] | None,
    memory: list[Memory],
    flat_mib: float,
) -> list[tuple[str, float | None, float | None, float | None]]:
    """Each target: what, the ratio (`None`: not measured), at least, at most."""
    hand, jsonl = exports[HAND_JSONL], exports[EXPORT_JSONL]
    parquet = exports.get(EXPORT_PARQUET)
    rates = None if dask is None else dask[0]
    found: list[tuple[str, float | None, float | None, float | None]] = [
        (f"{EXPORT_JSONL} >= 3x {HAND_JSONL}", jsonl / hand, 3.0, None),
        (
            f"{EXPORT_PARQUET} >= {EXPORT_JSONL}",
            None if parquet is None else parquet / jsonl,
            1.0,
            None,
        ),
        (
            f"{DASK} >= 1.5x {LOAD_DIR_1}",
            None if rates is None else rates[DASK] / rates[LOAD_DIR_1],
            1.5,
            None,
        ),
        (
            f"{DASK} >= 1.5x {LOAD_LOOP}",
            None if rates is None else rates[DASK] / rates[LOAD_LOOP],
            1.5,
            None,
        ),
    ]
    for point in memory:
        growth = (point.total_kib - point.tenth_kib) / 1024
        what = (
            f"peak RSS of an export to {point.format} flat from {point.tenth:,} "
            f"to {point.total:,} records (at most {flat_mib} MiB more)"
        )
        found.append((what, growth, None, flat_mib))
    return found


def _memory_check() -> None:
    directory, total, format_ = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    chosen: _export.Format = "parquet" if format_ == "parquet" else "jsonl"
    paths = [str(path) for path in sorted(directory.glob("*.md"))]
    checkpoints = {max(1, total // 10), total}
    rss.report(0)
    # The files over and over: `export` would find each only once.
    files = itertools.islice(itertools.cycle(paths), total)
    step = functools.partial(
        _export.rows_of,
        format=chosen,
        model=newsrecord.Article,
        strict=False,
        reveal_secured=False,
    )

    def items() -> Iterator[_export.Made]:
        made = _folder.map_chunks(files, step, workers=_folder.worker_count(None))
        for count, item in enumerate(made, 1):
            yield item
            if count in checkpoints:
                rss.report(count)

    output = directory.parent / f"memory-check.{format_}"
    _export.write(
        items(),
        str(output),
        format=chosen,
        model=newsrecord.Article,
        reveal_secured=False,
        leave_out=_left_out,
    )
    output.unlink()


def _left_out(path: str, error: object) -> None:
    msg = f"the memory check left out {path}: {error}"
    raise SystemExit(msg)


if __name__ == "__main__":
    _memory_check()
