"""Corpus mining throughput: files/s and loops/s with 1 and 2 local workers and a 2-worker Dask
LocalCluster, on a sample of the shared corpus (the first N records of its first shard).

    .venv/bin/python benchmarks/corpus_throughput.py [--records 400] [--no-dask] [--json]

Mining only (the units' parts), no finalize: what the worker count changes. Every run starts from an
empty dataset directory; the runs use the same sample, so their rows must agree (checked)."""
from __future__ import annotations

import argparse
import glob
import gzip
import itertools
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

from ompwise.corpus.runner import BuildOptions, build  # noqa: E402
from ompwise.corpus.workers import Settings  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "corpus"))


def sample(records: int, out_dir: str) -> str:
    shards = sorted(glob.glob(os.path.join(CORPUS, "files-*.jsonl.gz")))
    if not shards:
        sys.exit(f"no shards in {CORPUS}")
    path = os.path.join(out_dir, "files-000.jsonl.gz")
    with gzip.open(shards[0], "rb") as src, gzip.open(path, "wb") as dst:
        for line in itertools.islice(src, records):
            dst.write(line)
    return out_dir


def mined_rows(ds: str) -> int:
    import pyarrow.parquet as pq
    return sum(pq.read_metadata(p).num_rows for p in glob.glob(os.path.join(ds, "parts", "*.parquet")))


def run(name: str, src: str, tmp: str, settings: Settings, **kw) -> dict:
    ds = os.path.join(tmp, name.replace(" ", "-"))
    opts = BuildOptions(settings=settings, progress=False, finalize=False, **kw)
    start = time.perf_counter()
    build([src], ds, opts)
    secs = time.perf_counter() - start
    files, loops = _files(ds), mined_rows(ds)
    return {"run": name, "files": files, "loops": loops, "errors": _errors(ds),
            "seconds": round(secs, 1), "files_per_s": round(files / secs, 1), "loops_per_s": round(loops / secs, 1)}


def _summaries(ds: str):
    from ompwise.corpus.parts import summary_of
    for p in glob.glob(os.path.join(ds, "parts", "*.parquet")):
        yield summary_of(os.path.dirname(p), os.path.basename(p)[:-len(".parquet")])


def _files(ds: str) -> int:
    return sum(s["files"] for s in _summaries(ds))


def _errors(ds: str) -> int:
    return sum(s["errors"] for s in _summaries(ds))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=400, help="records of the first shard in the sample (default 400)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keyer", default=Settings().keyer, help="the loop key function, module:name")
    args = ap.parse_args()
    settings = Settings(keyer=args.keyer)
    results = []
    with tempfile.TemporaryDirectory(prefix="ompwise-corpus-bench-") as tmp:
        os.makedirs(os.path.join(tmp, "sample"))
        src = sample(args.records, os.path.join(tmp, "sample"))
        results.append(run("local, 1 worker", src, tmp, settings, jobs=1))
        results.append(run("local, 2 workers", src, tmp, settings, jobs=2))
        if not args.no_dask:
            import distributed
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=None, silence_logs=50) as cluster:
                results.append(run("Dask LocalCluster, 2 workers", src, tmp, settings,
                                   scheduler=cluster.scheduler_address))
    if len({r["loops"] for r in results}) != 1:
        print("warning: the runs disagree on the number of loops", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"sample: first {args.records} records of {CORPUS}/files-000.jsonl.gz, {os.cpu_count()} CPUs")
        print("| run | files | loops | errors | seconds | files/s | loops/s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            print(f"| {r['run']} | {r['files']:,} | {r['loops']:,} | {r['errors']} | {r['seconds']} | "
                  f"{r['files_per_s']} | {r['loops_per_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
