"""Records kept in one list, as a service keeps them: one row, in a fresh interpreter.

``python bench/kept.py ROW DIRECTORY REPEATS`` reads every ``*.md`` file of
``DIRECTORY`` with the row's loader (a name of ``run.LOADERS``) and prints one JSON
line:

- ``kept``: records per second when every record is kept in one list, the
  garbage collector on, as a program that loads a content repository runs (the
  median of ``REPEATS`` passes, the list dropped between them);
- ``dropped``: records per second when each record is dropped at once, the
  collector on too (the same median);
- ``bytes``: bytes still allocated per record once all are kept (tracemalloc, in
  a pass of its own: tracing slows loading down);
- ``objects``: objects the collector tracks per kept record (``gc.get_objects``
  before and after);
- ``error``: instead of the figures, why the row cannot read these records.

A fresh interpreter per row: what one row keeps must not slow another one down.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

from run import LOADERS

if TYPE_CHECKING:
    from collections.abc import Callable


def _rate(run: Callable[[], object], count: int, repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = run()
        rates.append(count / (time.perf_counter() - start))
        del result
    return statistics.median(rates)


def measure(row: str, paths: list[Path], repeats: int) -> dict[str, object]:
    """The figures of one row over ``paths`` (see the module's docstring)."""
    load = LOADERS[row]
    try:
        for path in paths:
            load(path)
    except Exception as exc:  # noqa: BLE001 (a peer that cannot read these records)
        return {"error": f"{type(exc).__name__} on {path.name}"}

    def kept() -> list[object]:
        return [load(path) for path in paths]

    def dropped() -> None:
        for path in paths:
            load(path)

    count = len(paths)
    figures: dict[str, object] = {
        "kept": _rate(kept, count, repeats),
        "dropped": _rate(dropped, count, repeats),
    }
    gc.collect()
    before = len(gc.get_objects())
    records = kept()
    gc.collect()
    figures["objects"] = (len(gc.get_objects()) - before - 1) / count
    del records
    gc.collect()
    tracemalloc.start()
    records = kept()
    gc.collect()
    figures["bytes"] = tracemalloc.get_traced_memory()[0] / count
    tracemalloc.stop()
    del records
    return figures


def main() -> None:
    """Measure the row named on the command line and print its figures."""
    row, directory, repeats = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    paths = sorted(directory.glob("*.md"))
    print(json.dumps(measure(row, paths, repeats)))


if __name__ == "__main__":
    main()
