"""``ompwise corpus build|stats|query``: arguments and output only; the work is in the library."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

EXIT_OK, EXIT_ERROR = 0, 2


def _positive(kind):
    def parse(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
        if v <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got '{text}'")
        return v
    return parse


def _fraction(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in [0, 1), got '{text}'")
    return v


def add_parser(sub, size_type) -> None:
    corpus = sub.add_parser("corpus", help="mine OpenMP code into a loop dataset; its statistics; SQL queries")
    csub = corpus.add_subparsers(dest="corpus_command", metavar="COMMAND", required=True)

    b = csub.add_parser("build", help="mine directories, git repositories and files-*.jsonl.gz shards into DATASET_DIR")
    b.add_argument("srcs", nargs="+", metavar="SRC", help="directory of sources, git repository (HEAD), shard or directory of shards")
    b.add_argument("-o", "--output", required=True, metavar="DATASET_DIR")
    b.add_argument("--jobs", "-j", type=_positive(int), default=max(1, os.cpu_count() or 1),
                   help="local worker processes (default: the number of CPUs)")
    b.add_argument("--time-limit", type=_positive(float), default=10.0, metavar="S", help="per file (default 10)")
    b.add_argument("--memory-limit", type=_positive(int), default=4096, metavar="MB", help="address space of the process mining a file (default 4096)")
    b.add_argument("--max-file-size", type=size_type, default=1 << 20, metavar="SIZE", help="larger files are errors (default 1M)")
    b.add_argument("--eval-data", metavar="DIR", help="directory with eval/ and bench/ whose loops are dropped (default: ../shared/data when it exists)")
    b.add_argument("--no-leakage-filter", action="store_true", help="build without evaluation data (the card says so)")
    b.add_argument("--valid-fraction", type=_fraction, default=0.1, metavar="F", help="fraction of repositories in the validation split (default 0.1)")
    b.add_argument("--seed", type=int, default=13, help="seed of the split's hash (default 13)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    d = b.add_argument_group("Dask (pip install 'ompwise[cluster]')")
    d.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the units on this running Dask scheduler")
    d.add_argument("--cluster", choices=["slurm"], help="start a Dask cluster on Slurm (dask-jobqueue) for this build")
    d.add_argument("--queue", help="Slurm partition")
    d.add_argument("--account", help="Slurm account")
    d.add_argument("--cores", type=_positive(int), default=8, help="cores per Slurm job (default 8)")
    d.add_argument("--memory", default="16GB", help="memory per Slurm job (default 16GB)")
    d.add_argument("--walltime", default="01:00:00", help="walltime per Slurm job (default 01:00:00)")
    d.add_argument("--slurm-jobs", type=_positive(int), default=1, metavar="N", help="Slurm jobs to start (default 1)")
    d.add_argument("--slurm-option", action="append", default=[], metavar="OPT", help="extra '#SBATCH' option, e.g. --qos=debug (repeatable)")

    s = csub.add_parser("stats", help="loops, positives, clauses, languages, repositories, leakage of a built dataset")
    s.add_argument("dataset", metavar="DATASET_DIR")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--top", type=_positive(int), default=20, help="repositories listed (default 20)")

    q = csub.add_parser("query", help="run SQL on DuckDB over a built dataset (views: loops, train, valid, removed, mined, errors)")
    q.add_argument("dataset", metavar="DATASET_DIR")
    q.add_argument("sql", metavar="SQL")
    q.add_argument("--format", choices=["table", "json", "csv"], default="table")


def _default_eval_data() -> str | None:
    here = os.path.dirname(os.path.abspath(__file__))
    for base in (os.getcwd(), os.path.join(here, "..", "..", "..")):
        d = os.path.normpath(os.path.join(base, "..", "shared", "data"))
        if os.path.isdir(os.path.join(d, "eval")):
            return d
    return None


def _build(args) -> int:
    from .cluster import SlurmOptions
    from .runner import BuildOptions, build
    from .workers import Settings
    if args.scheduler and args.cluster:
        raise _Usage("give --scheduler or --cluster, not both")
    eval_data = None
    if not args.no_leakage_filter:
        eval_data = args.eval_data or _default_eval_data()
        if not eval_data or not os.path.isdir(eval_data):
            raise _Usage(f"no evaluation data at {args.eval_data or '../shared/data'}: give --eval-data DIR or --no-leakage-filter")
    slurm = None
    if args.cluster == "slurm":
        slurm = SlurmOptions(queue=args.queue, account=args.account, cores=args.cores, memory=args.memory,
                             walltime=args.walltime, jobs=args.slurm_jobs, job_extra=tuple(args.slurm_option))
    opts = BuildOptions(jobs=args.jobs, scheduler=args.scheduler, slurm=slurm, progress=not args.no_progress,
                        settings=Settings(time_limit=args.time_limit, memory_mb=args.memory_limit, max_bytes=args.max_file_size),
                        eval_data=eval_data, valid_fraction=args.valid_fraction, seed=args.seed,
                        command=shlex.join(["ompwise", *sys.argv[1:]]))
    info = build(args.srcs, args.output, opts)
    c, r = info["counts"], info["run"]
    print(f"{args.output}: {c['loops']:,} loops ({c['train']:,} train, {c['valid']:,} valid) from {c['files']:,} files; "
          f"{c['duplicates_dropped']:,} duplicates and {c['leaked_dropped']:,} evaluation-set loops dropped; "
          f"{c['errors']:,} errors (errors.jsonl); units: {r['units_run']:,} run, {r['units_skipped']:,} already done, "
          f"{r['units_failed']:,} failed")
    return EXIT_OK if not r["units_failed"] else EXIT_ERROR


class _Usage(Exception):
    pass


def run(args) -> int:
    from .cluster import ClusterError
    from .runner import BuildError
    from .sources import SourceError
    from .store import DatasetError, query, render, render_stats, stats
    try:
        if args.corpus_command == "build":
            return _build(args)
        if args.corpus_command == "stats":
            s = stats(args.dataset, top=args.top)
            print(json.dumps(s, indent=1, default=str) if args.format == "json" else render_stats(s))
            return EXIT_OK
        cols, rows = query(args.dataset, args.sql)
        print(render(cols, rows, args.format))
        return EXIT_OK
    except (_Usage, SourceError, BuildError, ClusterError, DatasetError) as e:
        print(f"ompwise corpus {args.corpus_command}: error: {e}", file=sys.stderr)
        return EXIT_ERROR
