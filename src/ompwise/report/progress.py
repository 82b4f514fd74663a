"""A one-line progress display on a terminal for long runs (files, loops, rate)."""
from __future__ import annotations

import time
from typing import TextIO

DELAY_S = 1.0  # short runs finish before a line would be worth reading: they show nothing
INTERVAL_S = 0.1  # redrawing more often costs time and only flickers


class Progress:
    """The ``progress(files_done, files_total, loops)`` callback of ``analyze_paths``.

    Redraws one line in place with '\\r'; ``close`` erases it, so that what is printed
    afterwards starts on a clean line."""

    def __init__(self, stream: TextIO, clock=time.monotonic, delay: float | None = None,
                 interval: float | None = None):
        self.stream = stream
        self.clock = clock
        self.start = clock()
        # (read at call time, not bound as defaults, so that a test can shorten the delay)
        self.delay = DELAY_S if delay is None else delay
        self.interval = INTERVAL_S if interval is None else interval
        self.shown = 0  # width of the line on screen: 0 when none is
        self.last = float("-inf")

    def __call__(self, done: int, total: int, loops: int) -> None:
        now = self.clock()
        elapsed = now - self.start
        if elapsed < self.delay or now - self.last < self.interval:
            return
        self.last = now
        width = len(str(total))
        line = f"[{done:>{width}}/{total} files] {loops:,} loops, {loops / elapsed:,.0f} loops/s"
        # (padded: a shorter line must cover the tail of the longer one it replaces)
        self._write("\r" + line.ljust(self.shown))
        self.shown = len(line)

    def close(self) -> None:
        if self.shown:
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a display that cannot be drawn must not stop the analysis


def progress_for(stream: TextIO, enabled: bool = True) -> Progress | None:
    """A display on ``stream`` when it is a terminal; None on a pipe or a file, where
    '\\r' lines would only clutter a log."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return Progress(stream) if enabled and tty else None
