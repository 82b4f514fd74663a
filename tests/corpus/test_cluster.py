"""Dask: a 2-worker LocalCluster writes the same rows as the local run; Slurm options reach the job script."""
import pyarrow.parquet as pq
import pytest

from ompwise.corpus.cluster import SlurmOptions, slurm_cluster
from tests.corpus.conftest import REAL, build_with

distributed = pytest.importorskip("distributed", reason="the [cluster] extra (dask[distributed]) is not installed")


@pytest.fixture(scope="module")
def local_cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)
    yield cluster
    cluster.close()


def _rows(ds, name):
    rows = pq.read_table(ds / f"{name}.parquet").to_pylist()
    return sorted(rows, key=lambda r: (r["repo"], r["path"], r["line"], r.get("column", 0)))


def test_dask_run_writes_the_same_rows_as_the_local_run(tmp_path, shards, local_cluster):
    local = build_with([shards], tmp_path / "local", settings=REAL, jobs=2)
    dask = build_with([shards], tmp_path / "dask", settings=REAL, scheduler=local_cluster.scheduler_address)
    assert local["counts"] == dask["counts"] and local["counts"]["loops"] >= 4
    for name in ("train", "valid", "removed"):
        assert _rows(tmp_path / "dask", name) == _rows(tmp_path / "local", name)
    again = build_with([shards], tmp_path / "dask", settings=REAL, scheduler=local_cluster.scheduler_address)
    assert again["run"]["units_skipped"] == again["counts"]["units"]


def test_slurm_options_reach_the_job_script():
    pytest.importorskip("dask_jobqueue")
    opts = SlurmOptions(queue="short", account="proj42", cores=4, memory="8GB", walltime="00:30:00",
                        jobs=3, job_extra=("--qos=debug",))
    cluster = slurm_cluster(opts)  # nothing is submitted until it is scaled
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    for line in ("#SBATCH -p short", "#SBATCH -A proj42", "#SBATCH -n 1", "#SBATCH --cpus-per-task=4",
                 "#SBATCH -t 00:30:00", "#SBATCH --qos=debug"):
        assert line in script
    assert "--nworkers 4" in script and "--nthreads 1" in script
