"""The command line's progress line: a count, a bar, the rate and the time left.

It is drawn on standard error, on a terminal only (the command line decides when),
redrawn at most ten times a second, and cut to the terminal's width so that it
never wraps. Lines printed while it shows go above it: it is cleared, the line
is written, and it is drawn again.
"""

from __future__ import annotations

import shutil
import time
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

#: Seconds between two drawings.
_EVERY: Final = 0.1
_BAR: Final = 24
_CLEAR: Final = "\r\x1b[K"


class Progress:
    """A progress line on ``stream`` for ``total`` things, ``noun`` (a plural)."""

    def __init__(self, total: int, noun: str, stream: TextIO) -> None:
        self.total = total
        self.noun = noun
        self.stream = stream
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more things done; redraw if it is time."""
        self.done += count
        now = time.monotonic()
        if now - self.drawn_at >= _EVERY:
            self.drawn_at = now
            self.draw(now)

    def above(self, write: Callable[[], object]) -> None:
        """Run ``write`` (which prints a line) with the progress line out of its way."""
        self.stream.write(_CLEAR)
        self.stream.flush()
        write()
        self.draw(time.monotonic())

    def close(self) -> None:
        """Draw the end once, then clear the line for what follows."""
        self.draw(time.monotonic())
        self.stream.write(_CLEAR)
        self.stream.flush()

    def draw(self, now: float) -> None:
        """Draw the line as it stands at ``now``."""
        width = shutil.get_terminal_size().columns - 1
        self.stream.write(_CLEAR + self.line(now - self.started)[:width])
        self.stream.flush()

    def line(self, seconds: float) -> str:
        """The text of the line after ``seconds``."""
        done, total = self.done, max(self.total, self.done)
        share = done / total if total else 1.0
        filled = round(share * _BAR)
        bar = "#" * filled + "-" * (_BAR - filled)
        text = f"{done:,}/{total:,} {self.noun} [{bar}] {share:4.0%}"
        if done and seconds > 0:
            rate = done / seconds
            text += f"  {rate:,.0f}/s  {_duration((total - done) / rate)} left"
        return text


def _duration(seconds: float) -> str:
    """``seconds`` as ``m:ss``, or ``h:mm:ss`` from an hour on."""
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02}:{second:02}" if hours else f"{minute}:{second:02}"
