"""``corpus build``: plan the units, run the unfinished ones (local threads or Dask), finalize.

The driver reads the sources twice: once to plan (unit ids, files to do, for the progress bar
and the order of the dataset), once to hand out the units (shard records travel with their
unit). At most a few units per worker are in flight, so the driver's memory stays that of a
few repositories whatever the corpus' size. A unit that fails in an unexpected way is reported
and left unfinished: the run goes on, and the next run tries it again."""
from __future__ import annotations

import fcntl
import os
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from . import parts
from .cluster import DaskSession, SlurmOptions
from .progress import BuildProgress
from .sources import Unit, discover, plan_units
from .units import run_unit
from .workers import Settings, WorkerFatal, close_all


class BuildError(Exception):
    """Why the build cannot go on (one line for the CLI)."""


@dataclass
class BuildOptions:
    jobs: int = max(1, os.cpu_count() or 1)
    settings: Settings = field(default_factory=Settings)
    scheduler: str | None = None  # tcp://HOST:PORT of a running Dask scheduler
    slurm: SlurmOptions | None = None
    progress: bool = True
    eval_data: str | None = None  # the directory holding eval/ and bench/; None: no leakage filter
    valid_fraction: float = 0.1
    seed: int = 13
    command: str = ""
    finalize: bool = True


class _Lock:
    """One driver per dataset directory (a second one would race on the same units)."""

    def __init__(self, out: str):
        self.path = os.path.join(out, ".lock")

    def __enter__(self):
        self.f = open(self.path, "w")
        try:
            fcntl.flock(self.f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.f.close()
            raise BuildError(f"{os.path.dirname(self.path)}: another build is writing this dataset") from None
        return self

    def __exit__(self, *exc):
        self.f.close()
        return False


def _failure(unit: Unit, e: BaseException) -> dict:
    return {"unit": unit.id, "slug": unit.slug, "done": False, "files": 0, "loops": 0, "errors": 1,
            "failure": {"unit": unit.id, "repo": unit.repo, "path": "", "reason": f"internal error: {type(e).__name__}: {e}"}}


def _run_local(todo, parts_dir: str, opts: BuildOptions, bar: BuildProgress) -> dict:
    results: dict[str, dict] = {}
    with ThreadPoolExecutor(opts.jobs, thread_name_prefix="unit") as pool:
        inflight = {}

        def collect(done_set):
            for fut in done_set:
                unit = inflight.pop(fut)
                try:
                    results[unit.id] = fut.result()
                except WorkerFatal as e:
                    raise BuildError(f"cannot start a mining worker: {e}") from None
                except Exception as e:  # noqa: BLE001 - one unit's bug must not stop the others
                    results[unit.id] = _failure(unit, e)

        try:
            for unit in todo:
                while len(inflight) >= 2 * opts.jobs:
                    collect(wait(inflight, return_when=FIRST_COMPLETED).done)
                inflight[pool.submit(run_unit, unit, parts_dir, opts.settings, bar.file_done)] = unit
            while inflight:
                collect(wait(inflight, return_when=FIRST_COMPLETED).done)
        except BaseException:
            for fut in inflight:
                fut.cancel()
            close_all()  # kills the children: the threads' current files end at once
            raise
    return results


def _run_dask(todo, parts_dir: str, opts: BuildOptions, bar: BuildProgress) -> dict:
    from .cluster import _dask
    distributed = _dask()
    results: dict[str, dict] = {}
    with DaskSession(opts.scheduler, opts.slurm) as session:
        client = session.client
        ac = distributed.as_completed()
        inflight = {}

        def collect_one():
            fut = next(ac)
            unit = inflight.pop(fut.key)
            try:
                r = fut.result()
            except WorkerFatal as e:
                raise BuildError(f"cannot start a mining worker: {e}") from None
            except Exception as e:  # noqa: BLE001 - e.g. KilledWorker: the unit stays unfinished
                r = _failure(unit, e)
            results[unit.id] = r
            if not r.get("skipped"):
                bar.file_done(r.get("loops", 0), r.get("errors", 0), files=r.get("files", 0))

        for unit in todo:
            while len(inflight) >= max(4, 2 * session.slots()):
                collect_one()
            fut = client.submit(run_unit, unit, parts_dir, opts.settings, key=f"ompwise-unit-{unit.slug}",
                                pure=False, retries=1)
            inflight[fut.key] = unit
            ac.add(fut)
        while inflight:
            collect_one()
    return results


def build(srcs: list[str], out: str, opts: BuildOptions) -> dict:
    """Mine ``srcs`` into ``out``; the dataset's description (dataset.json) when finalized."""
    plan = list(plan_units(srcs))
    if not plan:
        raise BuildError("no units to mine in " + " ".join(srcs))
    parts_dir = os.path.join(out, parts.PARTS)
    os.makedirs(parts_dir, exist_ok=True)
    with _Lock(out):
        parts.remove_temporaries(parts_dir)
        finished = {u.slug for u in plan if os.path.exists(parts.part_path(parts_dir, u.slug))}
        total = sum(u.files for u in plan if u.slug not in finished)
        bar = BuildProgress(total, enabled=opts.progress)
        todo = (u for u in discover(srcs) if u.slug not in finished)
        try:
            run = _run_dask if (opts.scheduler or opts.slurm) else _run_local
            results = run(todo, parts_dir, opts, bar)
        finally:
            bar.close()
            if not (opts.scheduler or opts.slurm):
                close_all()
        failures = [r["failure"] for r in results.values() if not r.get("done")]
        run_info = {"units": len(plan), "units_skipped": len(finished), "units_run": len(results),
                    "units_failed": len(failures), "files_run": bar.files, "loops_run": bar.loops,
                    "errors_run": bar.errors, "failures": failures}
        if not opts.finalize:
            return {"run": run_info}
        from .finalize import finalize
        return finalize(out, plan, srcs, opts, run_info)

