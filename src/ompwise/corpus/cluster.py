"""Running the units on Dask: an existing scheduler (``tcp://HOST:PORT``) or a Slurm allocation
started with dask-jobqueue's ``SLURMCluster``. Dask is an optional extra (``ompwise[cluster]``):
it is imported only here, and its absence is a one-line error.

Each Dask worker process runs one unit at a time per thread, and each such thread keeps one
child process that mines files (see workers.py): a Slurm job of C cores is C worker processes
of one thread each, so that the cores are used by the children, not by idle supervisors."""
from __future__ import annotations

from dataclasses import dataclass


class ClusterError(Exception):
    pass


@dataclass(frozen=True)
class SlurmOptions:
    queue: str | None = None
    account: str | None = None
    cores: int = 8
    memory: str = "16GB"
    walltime: str = "01:00:00"
    jobs: int = 1
    job_extra: tuple[str, ...] = ()  # further '#SBATCH' options, e.g. '--qos=normal'

    def cluster_kwargs(self) -> dict:
        kw = {"cores": self.cores, "processes": self.cores, "memory": self.memory,
              "walltime": self.walltime, "job_extra_directives": list(self.job_extra)}
        if self.queue:
            kw["queue"] = self.queue
        if self.account:
            kw["account"] = self.account
        return kw


def _dask():
    try:
        import distributed
    except ImportError:
        raise ClusterError("--scheduler and --cluster need Dask: pip install 'ompwise[cluster]'") from None
    return distributed


def slurm_cluster(opts: SlurmOptions):
    """A SLURMCluster with these options, not yet scaled (no job is submitted here)."""
    _dask()
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise ClusterError("--cluster slurm needs dask-jobqueue: pip install 'ompwise[cluster]'") from None
    import shutil
    if shutil.which("sbatch") is None:
        raise ClusterError("--cluster slurm: no 'sbatch' on PATH (run it where Slurm jobs can be submitted)")
    return SLURMCluster(**opts.cluster_kwargs())


class DaskSession:
    """A client on the given scheduler, or on a Slurm cluster started (and stopped) here."""

    def __init__(self, scheduler: str | None = None, slurm: SlurmOptions | None = None):
        self.scheduler, self.slurm = scheduler, slurm
        self.cluster = self.client = None

    def __enter__(self):
        distributed = _dask()
        try:
            if self.slurm is not None:
                self.cluster = slurm_cluster(self.slurm)
                self.cluster.scale(jobs=self.slurm.jobs)
                self.client = distributed.Client(self.cluster)
            else:
                self.client = distributed.Client(self.scheduler, timeout="10s")
        except ClusterError:
            self.__exit__(None, None, None)
            raise
        except Exception as e:  # noqa: BLE001 - Dask's many ways of not connecting: one line
            self.__exit__(None, None, None)
            where = self.scheduler or "the Slurm cluster"
            raise ClusterError(f"cannot reach {where}: {e}") from None
        return self

    def slots(self) -> int:
        """Threads of the workers connected now (at least 1: Slurm jobs may still be queued)."""
        return max(1, sum(self.client.nthreads().values()))

    def __exit__(self, *exc):
        if self.client is not None:
            try:
                from .workers import close_all
                self.client.run(close_all)  # the mining children on every worker
            except Exception:  # noqa: BLE001 - a worker already gone has no children left
                pass
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False
