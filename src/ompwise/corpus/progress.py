"""The build's progress bar on standard error: files, loops, errors, rate and ETA (rich).

Counts come from worker threads (per file) or from finished Dask tasks (per unit), so the
counters are behind a lock; rich redraws from its own thread a few times a second."""
from __future__ import annotations

import sys
import threading


class BuildProgress:
    def __init__(self, total_files: int, enabled: bool = True, stream=None):
        self.lock = threading.Lock()
        self.files = self.loops = self.errors = 0
        self.total = total_files
        self._bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn,
                                       TextColumn, TimeElapsedColumn, TimeRemainingColumn)
            console = Console(file=stream or sys.stderr)
            self._bar = Progress(
                TextColumn("files"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[loops]:,} loops  {task.fields[errors]:,} errors  {task.fields[rate]}"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=console, transient=False, refresh_per_second=4)
            self._task = self._bar.add_task("mine", total=total_files or None, loops=0, errors=0, rate="")
            self._bar.start()

    def file_done(self, loops: int, errors: int, files: int = 1) -> None:
        with self.lock:
            self.files += files
            self.loops += loops
            self.errors += errors
            if self._bar is not None:
                task = self._bar.tasks[0]
                speed = task.speed  # rich's own windowed rate of 'completed'
                rate = f"{speed:,.1f} files/s" if speed else ""
                self._bar.update(self._task, advance=files, loops=self.loops, errors=self.errors, rate=rate)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
