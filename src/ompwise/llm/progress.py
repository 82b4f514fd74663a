"""The progress line of LLM requests (loops answered, rate), on a terminal only."""
from __future__ import annotations

from ..report.progress import Progress


class LoopProgress(Progress):
    def __call__(self, done: int, total: int, loops: int = 0) -> None:  # (complete_all's (done, total))
        now = self.clock()
        elapsed = now - self.start
        if elapsed < self.delay or now - self.last < self.interval:
            return
        self.last = now
        line = f"[LLM {done}/{total} loops] {done / elapsed:.2f} loops/s"
        self._write("\r" + line.ljust(self.shown))
        self.shown = len(line)
