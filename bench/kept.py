"""Records kept in one list, as a service keeps them: one row, in a fresh interpreter.

``python bench/kept.py ROW DIRECTORY REPEATS [MEMORY]`` reads every ``*.md`` file
of ``DIRECTORY`` with the row's loader (a name of ``run.LOADERS``) and prints one
JSON line:

- ``kept``: records per second when every record is kept in one list, the
  garbage collector on, as a program that loads a content repository runs, in
  each of ``REPEATS`` passes (the list dropped between them);
- ``dropped``: records per second when each record is dropped at once, the
  collector on too, in as many passes;
- ``bytes``: bytes still allocated per record once all are kept (tracemalloc, in
  a pass of its own: tracing slows loading down), over what a pass that keeps
  nothing leaves allocated;
- ``objects``: objects the collector tracks per kept record (``gc.get_objects``
  before and after);
- ``error``: instead of the figures, why the row cannot read these records.

``bytes`` and ``objects`` only with ``MEMORY`` (``1``, the default): ``run.py``
starts each row several times, taking turns between the rows, and measures the
memory once.

A fresh interpreter per row: what one row keeps must not slow another one down.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

from run import LOADERS

if TYPE_CHECKING:
    from collections.abc import Callable


def _rates(run: Callable[[], object], count: int, repeats: int) -> list[float]:
    rates = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = run()
        rates.append(count / (time.perf_counter() - start))
        del result
    return rates


def measure(
    row: str, paths: list[Path], repeats: int, *, memory: bool = True
) -> dict[str, object]:
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
        "kept": _rates(kept, count, repeats),
        "dropped": _rates(dropped, count, repeats),
    }
    if not memory:
        return figures
    gc.collect()
    before = len(gc.get_objects())
    records = kept()
    gc.collect()
    figures["objects"] = (len(gc.get_objects()) - before - 1) / count
    del records
    gc.collect()
    tracemalloc.start()
    # A pass that keeps nothing first: what it leaves traced (the interpreter's
    # free lists of tuples, dicts, ..., filled as any pass fills them) is no
    # record's, and would otherwise count for more or less by chance.
    dropped()
    gc.collect()
    baseline = tracemalloc.get_traced_memory()[0]
    records = kept()
    gc.collect()
    figures["bytes"] = (tracemalloc.get_traced_memory()[0] - baseline) / count
    tracemalloc.stop()
    del records
    return figures


def main() -> None:
    """Measure the row named on the command line and print its figures."""
    row, directory, repeats = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    memory = sys.argv[4:5] != ["0"]
    paths = sorted(directory.glob("*.md"))
    print(json.dumps(measure(row, paths, repeats, memory=memory)))


if __name__ == "__main__":
    main()
