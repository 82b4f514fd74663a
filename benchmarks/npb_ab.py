"""A/B timing of ompwise's pragmas on NPB 3.3 SER-C benchmarks, one version of ompwise at a time.

    .venv/bin/python benchmarks/npb_ab.py --tag new --bench SP,MG,LU [--src DIR] [--class W] [--repeat 5]

Parallelizes a fresh copy of the named benchmarks with the ompwise whose 'src' folder is
--src (default: this checkout; for an older version, 'git worktree add /tmp/old COMMIT'
and pass /tmp/old/src), builds class --class with NPB's Makefiles (clang-14 -O2, and
-fopenmp for the parallel build), then runs serial and 2-thread builds alternately
--repeat times (so machine drift hits both alike) and prints the median of NPB's own
"Time in seconds", the speedup and whether NPB's verification passed in every run.
Work trees live in /tmp/ompwise-npb-ab/.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--tag", required=True)
ap.add_argument("--bench", required=True, help="comma-separated, e.g. SP,MG")
ap.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
ap.add_argument("--class", dest="klass", default="W")
ap.add_argument("--repeat", type=int, default=5)
ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "bench", "npb"))
args = ap.parse_args()
sys.path.insert(0, os.path.abspath(args.src))
from ompwise.evaluate import npb as N  # noqa: E402
from ompwise.evaluate.data import extracted, find_dir  # noqa: E402

benches = args.bench.split(",")
src = find_dir(extracted(args.data), "NPB3.3-SER-C")
top = "/tmp/ompwise-npb-ab"
ser, par = os.path.join(top, "serial"), os.path.join(top, args.tag)
for tree in (ser, par):
    if tree == par or not os.path.exists(ser):
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(src, tree)
        subprocess.run(["make", "-s", "-C", "sys", "setparams"], cwd=tree, check=True)
N.BENCHMARKS = tuple(b for b in N.BENCHMARKS if b in benches)
print("pragmas", N._parallelize_tree(par))
for b in benches:
    se, err_s = N._make(ser, b, args.klass, "-O2")
    pe, err_p = N._make(par, b, args.klass, "-O2 -fopenmp")
    if se is None or pe is None:
        print(args.tag, b, "build failed:", err_s or err_p)
        continue
    ts, tp, ok = [], [], True
    for _ in range(args.repeat):
        o1, t = N._run(se, 1, 600)
        ts.append(t)
        o2, t = N._run(pe, 2, 600)
        tp.append(t)
        ok &= o1 and o2
    s, p = statistics.median(ts), statistics.median(tp)
    print(f"{args.tag} {b} {args.klass} {'verified' if ok else 'FAILED'} serial {s:.3f} s, 2 threads {p:.3f} s, "
          f"speedup {s / p:.2f}")
