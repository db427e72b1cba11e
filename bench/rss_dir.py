"""Peak memory while `newsrecord.load_dir` loads a folder, in a fresh interpreter.

``python bench/rss_dir.py FOLDER WORKERS`` loads every record under ``FOLDER``
with ``load_dir(FOLDER, workers=WORKERS)``, using each record, and prints one
JSON line per checkpoint (after the import, after one record, then at a tenth, a
half and all of them) with this process's peak and current resident set size,
as ``rss.py`` does. Results stream: the peak must not grow with the count.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rss import report

import newsrecord


def main() -> None:
    """Load the folder and print the checkpoints."""
    folder, workers = Path(sys.argv[1]), int(sys.argv[2])
    results = newsrecord.load_dir(folder, workers=workers)
    total = len(results)
    checkpoints = {1, max(1, total // 10), max(1, total // 2), total}
    report(0)
    for count, result in enumerate(results, start=1):
        if result.record is None:
            msg = f"{result.path} does not load: {result.error}"
            raise SystemExit(msg)
        if count in checkpoints:
            report(count)


if __name__ == "__main__":
    main()
