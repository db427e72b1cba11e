"""Peak memory while loading records one after another, in a fresh interpreter.

``python bench/rss.py DIRECTORY TOTAL`` loads ``TOTAL`` records with
`newsrecord.load`, cycling over the ``*.md`` files of ``DIRECTORY``, and prints one
JSON line per checkpoint (after the import, after one record, then at a tenth, a
half and all of ``TOTAL``) with the process's peak resident set size so far and,
where the system tells (Linux), its current one.
Nothing is kept between loads, so the peak must not grow with the count.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import newsrecord


def peak_kib() -> int:
    """The peak resident set size of this process so far, in KiB.

    Linux's ``VmHWM`` counts from this program's start; ``ru_maxrss`` (elsewhere)
    may still hold the peak of the parent that started it.
    """
    status = _status()
    if "VmHWM" in status:
        return status["VmHWM"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def current_kib() -> int | None:
    """The resident set size of this process now, in KiB, where Linux tells it."""
    return _status().get("VmRSS")


def _status() -> dict[str, int]:
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        return {}
    sizes = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if value.endswith(" kB"):
            sizes[key] = int(value.split()[0])
    return sizes


def report(records: int) -> None:
    """Print one checkpoint."""
    point = {"records": records, "peak_kib": peak_kib(), "current_kib": current_kib()}
    print(json.dumps(point), flush=True)


def main() -> None:
    """Load the records and print the checkpoints."""
    directory, total = Path(sys.argv[1]), int(sys.argv[2])
    paths = sorted(directory.glob("*.md"))
    checkpoints = {1, max(1, total // 10), max(1, total // 2), total}
    report(0)
    for count in range(1, total + 1):
        newsrecord.load(paths[(count - 1) % len(paths)])
        if count in checkpoints:
            report(count)


if __name__ == "__main__":
    main()
