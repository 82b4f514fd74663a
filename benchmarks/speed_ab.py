"""Speed of two checkouts, compared pass by pass: loops per second on the OMPify test split.

    git worktree add /tmp/base <commit>
    .venv/bin/python benchmarks/speed_ab.py [--core 0] [--rounds 8] [--model default] /tmp/base .

The machine's speed drifts by 10-30 % between runs a minute apart, more than most changes move
it; two long-lived workers (one per checkout, its own ``src`` on the path, both pinned to one
core) take turns on full passes over the 5,296 units, the order flipped every round, and the
median of the per-round ratios is printed with each side's median rate (CPU time, memos cleared
before each pass as benchmarks/speed.py does).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def worker(model: str | None, data: str) -> None:
    """One side: a pass over the units per line on stdin, its loops/s on stdout."""
    sys.path.insert(0, os.path.join(os.getcwd(), "benchmarks"))
    from speed import _forget
    from ompwise import analyze_source
    from ompwise.api import Options
    from ompwise.evaluate.ompify import unit
    if model == "default":
        from ompwise.model import shipped_model
        model = shipped_model()
    with open(os.path.join(data, "eval", "ompify", "test.jsonl"), encoding="utf-8") as fh:
        units = [unit(json.loads(line)["code"]) for line in fh if line.strip()]
    for _ in sys.stdin:
        _forget()
        c0, loops = time.process_time(), 0
        for u in units:
            loops += len(analyze_source(u, "loop.c", "c", Options(read_headers=False, model=model)).loops)
        print(loops / (time.process_time() - c0), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("a", help="a checkout (the baseline)")
    ap.add_argument("b", help="another checkout")
    ap.add_argument("--core", default="0")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--model", default=None, help="'default': each checkout's shipped model; none: the analysis alone")
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.model, args.data)
        return 0
    sides = [os.path.abspath(args.a), os.path.abspath(args.b)]
    cmd = ["taskset", "-c", args.core, sys.executable, os.path.abspath(__file__), "a", "b", "--worker",
           "--data", os.path.abspath(args.data)] + (["--model", args.model] if args.model else [])
    procs = [subprocess.Popen(cmd, cwd=s, env=dict(os.environ, PYTHONPATH=os.path.join(s, "src")),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for s in sides]

    def one(p) -> float:
        p.stdin.write("go\n")
        p.stdin.flush()
        return float(p.stdout.readline())

    for p in procs:
        one(p)  # (warm-up: imports, the model's predictor)
    rates: list[list[float]] = [[], []]
    for r in range(args.rounds):
        for k in ((0, 1) if r % 2 == 0 else (1, 0)):
            rates[k].append(one(procs[k]))
    for p in procs:
        p.stdin.close()
        p.wait()
    ratios = [b / a for a, b in zip(*rates)]
    for s, rs in zip(sides, rates):
        print(f"{s}: median {statistics.median(rs):,.0f} loops/s (passes {min(rs):,.0f} to {max(rs):,.0f})")
    print(f"b / a: median ratio {statistics.median(ratios):.3f} (rounds {min(ratios):.3f} to {max(ratios):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
