"""One unit of work, start to finish: read its files, mine each in a child, write its part.

``run_unit`` is the task that local worker threads and Dask workers run alike: everything it
needs travels with its arguments (picklable), and what it produces is the unit's part file and
a summary. It is idempotent: a unit whose part exists is not mined again (Dask may run a task
twice when a worker is lost after the task finished)."""
from __future__ import annotations

import time
from typing import Callable

from . import parts
from .sources import FileError, SourceError, Unit, read_unit
from .workers import Settings, thread_worker

OnFile = Callable[[int, int], None]  # (loops, errors) of one file, as it is done


def _error(unit: Unit, path: str, reason: str) -> dict:
    return {"unit": unit.id, "repo": unit.repo, "path": path, "reason": reason}


def run_unit(unit: Unit, parts_dir: str, settings: Settings, on_file: OnFile | None = None) -> dict:
    """Mine the unit and write its part; its summary: id, files, loops, errors, seconds, done.

    ``done`` is False when the unit could not be read (e.g. git failed): nothing is written
    then, so that the next run tries it again, and the error is in the summary."""
    done = parts.summary_of(parts_dir, unit.slug)
    if done is not None:
        return {**done, "skipped": True}
    start = time.monotonic()
    worker = thread_worker(settings)
    rows: list[dict] = []
    errors: list[dict] = []
    files = 0
    for problem in unit.problems:  # of the unit's input, not of a file (a truncated shard)
        errors.append(_error(unit, problem.path, problem.reason))
    try:
        for item in read_unit(unit, settings.max_bytes):
            files += 1
            if isinstance(item, FileError):  # binary, too large, not text
                errors.append(_error(unit, item.path, item.reason))
                if on_file:
                    on_file(0, 1)
                continue
            got = worker.mine(item.text, item.lang, item.prov) if item.has_loop_word else []
            if isinstance(got, str):
                errors.append(_error(unit, item.path, got))
            else:
                rows.extend(got)
            if on_file:
                on_file(0 if isinstance(got, str) else len(got), int(isinstance(got, str)))
    except (SourceError, OSError) as e:
        return {"unit": unit.id, "slug": unit.slug, "files": files, "loops": 0, "errors": 1,
                "seconds": time.monotonic() - start, "done": False,
                "failure": _error(unit, "", f"unit not read: {e}")}
    summary = {"unit": unit.id, "slug": unit.slug, "repo": unit.repo, "files": files, "loops": len(rows),
               "errors": len(errors), "seconds": round(time.monotonic() - start, 3), "done": True}
    parts.write_part(parts_dir, unit.slug, rows, errors, summary)
    return summary
