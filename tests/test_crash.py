"""Crash-safe writing: a writer killed at any point leaves whole files behind.

A child process writes records with `newsrecord.dump`, over and over, to a few
files, each time the other of two versions of different sizes (a truncated or
mixed file would show); the test kills it with SIGKILL after a random delay, many
times, and after each kill finds every file exactly as one of its two versions,
loading as that version. A kill during a write leaves the temporary file behind:
those are hidden, end in ``.tmp`` and are never taken for records.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import newsrecord
from newsrecord._folder import find_files
from records import record

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL and fork are POSIX"
)

KILLS = 60
#: The delay before each kill, in seconds: up to a few writes of every file.
DELAYS = (0.0005, 0.02)
#: A writer left alone stops by itself after this long (it is always killed first).
WRITER_LIFETIME = 10.0
TARGETS = ("first.md", "second.md", "third.md")


def _versions(index: int) -> tuple[str, str]:
    """Two texts of one record: a short body, and a body of a few hundred KB."""
    heat = f"heat: {index}"
    short = record({"heat": heat}) + "<p>Short.</p>\n"
    long = record({"heat": heat}) + "<p>Long enough to take a while.</p>\n" * 8_000
    return short, long


def _write_forever(directory: Path, versions: list[tuple[str, str]]) -> None:
    """The child's work: dump each record's versions in turn, until killed."""
    articles = [tuple(newsrecord.loads(text) for text in pair) for pair in versions]
    stop = time.monotonic() + WRITER_LIFETIME
    turn = 0
    while time.monotonic() < stop:
        turn += 1
        for name, pair in zip(TARGETS, articles, strict=True):
            newsrecord.dump(pair[turn % 2], directory / name)


def _start_writer(directory: Path, versions: list[tuple[str, str]]) -> int:
    """Fork a child that writes the records; its process id."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child, which never returns)
        status = 0
        try:
            _write_forever(directory, versions)
        except BaseException:  # noqa: BLE001 (reported by the exit status)
            status = 1
        os._exit(status)
    return pid


_TEMPORARY = re.compile(r"\.(?P<target>.+)\.[0-9a-f]{16}\.tmp")


class TestKilledWriter:
    def test_every_file_is_always_old_or_new(
        self, tmp_path: Path, record_property: Callable[[str, object], None]
    ) -> None:
        """Killed at random points, `dump` leaves each file one version or the other."""
        versions = [_versions(index) for index in range(len(TARGETS))]
        for name, (short, _) in zip(TARGETS, versions, strict=True):
            (tmp_path / name).write_text(short, encoding="utf-8")
        seed = random.randrange(2**32)  # noqa: S311 (timing, not security)
        chance = random.Random(seed)  # noqa: S311
        for kill in range(KILLS):
            pid = _start_writer(tmp_path, versions)
            time.sleep(chance.uniform(*DELAYS))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status), f"the writer stopped by itself ({status})"
            assert os.WTERMSIG(status) == signal.SIGKILL
            for name, pair in zip(TARGETS, versions, strict=True):
                data = (tmp_path / name).read_bytes()
                where = f"{name} after kill {kill} (seed {seed})"
                assert data in {text.encode("utf-8") for text in pair}, where
                article = newsrecord.load(tmp_path / name)
                assert article == newsrecord.loads(data), where
        # Each kill between creating the temporary file and renaming it leaves it.
        mid_write = len({path.name for path in tmp_path.iterdir()} - set(TARGETS))
        assert mid_write, "no kill came during a write: nothing was shown"
        record_property(
            "summary",
            f"crash-safe writes: {KILLS} kills of a writer of {len(TARGETS)} files, "
            f"{mid_write} of them during a write (a temporary file left behind)",
        )
        self.check_leftovers(tmp_path)

    @staticmethod
    def check_leftovers(directory: Path) -> None:
        """Temporary files left by kills are never taken for records."""
        for path in directory.iterdir():
            if path.name in TARGETS:
                continue
            temporary = _TEMPORARY.fullmatch(path.name)
            assert temporary is not None, path.name
            assert temporary["target"] in TARGETS
        assert sorted(path.name for path in directory.glob("*.md")) == sorted(TARGETS)
        found = list(find_files([str(directory)], [], []))
        assert sorted(Path(path).name for path in found) == sorted(TARGETS)
