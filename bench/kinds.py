"""The record family in the benchmark: `load_record` on a folder of every kind.

A content repository holds a dozen kinds of record beside news. The corpus's real
files of every kind (``../shared/corpus/real/*/``) are repeated to a few thousand
files, and ``newsrecord.load_record`` reads them all, each record kept in a list,
as a service loading a repository does; the corpus's real news records, repeated
the same way, are read with ``newsrecord.load`` and with ``load_record``. Speeds
are in bytes of file per second: the kinds' files are not the size of news
records. Passes take turns between the rows; the figure of a row is the median
of its passes, with the garbage collector run before each pass and on during it
(records are kept, as users keep them).
"""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

import newsrecord

if TYPE_CHECKING:
    from collections.abc import Callable

REAL: Final = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

MIXED: Final = "newsrecord.load_record, every kind"
NEWS_LOAD: Final = "newsrecord.load, news"
NEWS_RECORD: Final = "newsrecord.load_record, news"


def copies(directory: Path, pattern: str, total: int) -> list[Path]:
    """``total`` files in ``directory``: copies of the corpus files of ``pattern``."""
    sources = sorted(REAL.glob(pattern)) if REAL.is_dir() else []
    if not sources:
        return []
    directory.mkdir(parents=True)
    paths = []
    for index in range(total):
        path = directory / f"{index:06d}.md"
        path.write_bytes(sources[index % len(sources)].read_bytes())
        paths.append(path)
    return paths


def time_kinds(directory: Path, total: int, repeats: int) -> dict[str, float] | None:
    """Bytes per second of each row, or ``None`` without the corpus."""
    mixed = copies(directory / "mixed", "*/*.md", total)
    news = copies(directory / "news", "news/*.md", total)
    if not mixed or not news:
        return None
    rows: dict[str, tuple[Callable[[Path], object], list[Path]]] = {
        MIXED: (newsrecord.load_record, mixed),
        NEWS_LOAD: (newsrecord.load, news),
        NEWS_RECORD: (newsrecord.load_record, news),
    }
    sizes = {
        name: sum(p.stat().st_size for p in paths) for name, (_, paths) in rows.items()
    }
    passes: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(repeats):
        for name, (load, paths) in rows.items():
            gc.collect()
            started = time.perf_counter()
            kept = [load(path) for path in paths]
            passes[name].append(sizes[name] / (time.perf_counter() - started))
            del kept
    return {name: statistics.median(rates) for name, rates in passes.items()}


def print_table(rates: dict[str, float] | None, total: int) -> None:
    """The rows in MB/s, and the target: every kind no slower per byte than news."""
    print(f"## Every kind of record ({total:,} files, records kept)\n")
    if rates is None:
        print(f"not available: no corpus at {REAL}\n")
        return
    print("| pipeline | MB of files per second |")
    print("| --- | ---: |")
    for name, rate in rates.items():
        print(f"| {name} | {rate / 1e6:.2f} |")
    print()


def print_targets(rates: dict[str, float] | None) -> None:
    """Whether `load_record` on every kind reads bytes as fast as `load` on news."""
    if rates is None:
        print(f"- NOT MET: load_record on every kind: no corpus at {REAL}")
        return
    ratio = rates[MIXED] / rates[NEWS_LOAD]
    met = "met" if ratio >= 1.0 else "NOT MET"
    print(
        f"- {met}: load_record per byte on every kind vs load on news "
        f"(>= 1.0x): {ratio:.2f}x"
    )
