"""Dask: a 2-worker LocalCluster writes the same rows as the local run; Slurm options reach the job script."""
import os

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


def test_slurm_options_reach_the_job_script(tmp_path, monkeypatch):
    pytest.importorskip("dask_jobqueue")
    sbatch = tmp_path / "sbatch"  # (only looked for: nothing is submitted)
    sbatch.write_text("#!/bin/sh\nexit 1\n")
    sbatch.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
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


def test_slurm_without_sbatch_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    pytest.importorskip("dask_jobqueue")
    from ompwise.cli import main
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "a.c").write_text("int x;\n")
    assert main(["corpus", "build", str(tmp_path), "-o", str(tmp_path / "ds"), "--cluster", "slurm",
                 "--no-leakage-filter", "--no-progress"]) == 2
    assert capsys.readouterr().err.strip() == ("ompwise corpus build: error: --cluster slurm: no 'sbatch' on PATH "
                                                "(run it where Slurm jobs can be submitted)")


def test_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys):
    from ompwise.cli import main
    (tmp_path / "a.c").write_text("int x;\n")
    assert main(["corpus", "build", str(tmp_path), "-o", str(tmp_path / "ds"), "--scheduler", "tcp://127.0.0.1:9",
                 "--no-leakage-filter", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ompwise corpus build: error: cannot reach tcp://127.0.0.1:9") and "\n" not in err
