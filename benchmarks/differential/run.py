"""Differential soundness test: generate random programs, let ompwise parallelize them, and
prove the result with `ompwise verify` (serial vs OpenMP output at 2 and 4 threads, Archer).

    .venv/bin/python benchmarks/differential/run.py [--start 0] [--count 100] [--out /tmp/ompwise-diff]

Every status other than 'verified' (or no pragma inserted) is a finding: the seed, the
status and the evidence are printed, and the programs are kept under --out, with every
seed's status in --out/results.json.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
OMPWISE = [sys.executable, "-m", "ompwise"]
ENV = dict(os.environ, PYTHONPATH=os.path.join(HERE, "..", "..", "src"))


def one(seed: int, out: str) -> dict:
    d = os.path.join(out, f"s{seed}")
    os.makedirs(d, exist_ok=True)
    src, par = os.path.join(d, "prog.c"), os.path.join(d, "par.c")
    with open(src, "w") as fh:
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(seed)], stdout=fh, check=True)
    r = subprocess.run(OMPWISE + ["parallelize", src, "-o", par], capture_output=True, text=True, env=ENV)
    if r.returncode != 0 or not os.path.exists(par):
        return {"seed": seed, "status": "parallelize-failed", "evidence": r.stderr[-300:]}
    main = open(par).read().split("int main", 1)[-1].splitlines()
    pragmas = [l for k, l in enumerate(main) if "#pragma omp" in l
               and not (k + 1 < len(main) and "for (k = 0;" in main[k + 1])]  # (the set-up loops)
    if not pragmas:
        return {"seed": seed, "status": "no-pragma"}
    r = subprocess.run(OMPWISE + ["verify", par, "--threads", "2,4", "--no-cache", "--no-timing", "--format", "json"],
                       capture_output=True, text=True, timeout=600, env=ENV)
    try:
        j = json.loads(r.stdout)
    except ValueError:
        return {"seed": seed, "status": "verify-crash", "evidence": (r.stdout + r.stderr)[-300:]}
    return {"seed": seed, "status": j["status"], "evidence": j.get("evidence", "")[:300], "pragmas": pragmas}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--out", default="/tmp/ompwise-diff")
    args = ap.parse_args()
    counts: collections.Counter = collections.Counter()
    results = []
    with ThreadPoolExecutor(2) as ex:
        for res in ex.map(lambda s: one(s, args.out), range(args.start, args.start + args.count)):
            results.append(res)
            counts[res["status"]] += 1
            if res["status"] not in ("verified", "no-pragma"):
                print(f"seed {res['seed']}: {res['status']}: {res['evidence']}", flush=True)
    with open(os.path.join(args.out, "results.json"), "w") as fh:  # (benchmarks/confidence_reliability.py)
        json.dump(results, fh, indent=1)
    print(f"{args.count} programs: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0 if set(counts) <= {"verified", "no-pragma"} else 1


if __name__ == "__main__":
    sys.exit(main())
