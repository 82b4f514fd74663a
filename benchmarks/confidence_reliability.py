"""Is each advice's `confidence` the share of such advice that is right? Source by source.

    .venv/bin/python benchmarks/confidence_reliability.py --differential DIR [--out benchmarks/results/confidence.json]
                                                          [--png benchmarks/confidence_reliability.png]

- The analysis' verdicts on legality, against outcomes that were run or labelled:
  * DataRaceBench (`evaluate drb-advice`: the loops that carried the benchmark's `parallel for`,
    pragmas stripped): a pragma is right on a race-free (`-no`) program, or on a racy one when its
    clauses fix the race; "not parallelizable" is right on a racy (`-yes`) program.
  * The differential programs (`benchmarks/differential/run.py --out DIR`, which writes
    DIR/results.json): every pragma ompwise wrote into a program that `verify` proved (serial vs
    OpenMP output at 2 and 4 threads, Archer) is right; each pragma of a program that failed is
    counted wrong.
  Notes on profitability (legal but not worth it: NESTED-*, TRIP-SMALL, REPEATED-WORK) state no
  verdict on legality and are left out.
- The model's probability, against what developers did: the OMPify test split's loops
  (`benchmarks/model_eval.py` measures it; read from its results).
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def drb_points() -> list[tuple[str, float, bool, str]]:
    from ompwise.evaluate import run_suite
    rows = run_suite("drb-advice", os.path.join(DATA, "bench", "dataracebench"), model=None)["loops"]
    out = []
    for r in rows:
        if r["ours"]:
            right = r["outcome"] in ("recovered", "fixed", "outer")
            out.append(("analysis: pragma", r["confidence"], right, "DataRaceBench"))
        elif not r["parallelizable"]:
            out.append(("analysis: not parallelizable", r["confidence"], r["label"] == "yes", "DataRaceBench"))
    return out


def differential_points(d: str) -> list[tuple[str, float, bool, str]]:
    from ompwise.api import Options, analyze_paths
    with open(os.path.join(d, "results.json"), encoding="utf-8") as fh:
        status = {r["seed"]: r["status"] for r in json.load(fh)}
    out = []
    for seed, st in sorted(status.items()):
        if st == "no-pragma":
            continue
        prog = os.path.join(d, f"s{seed}", "prog.c")
        results, _ = analyze_paths([prog], Options(model=None))
        for fa in results:
            for la in fa.loops:
                # (the programs' set-up loops over k, which run.py leaves out, are not the test)
                if la.pragma and la.loop.function == "main" and not la.loop.header_text.startswith("for (k = 0;"):
                    out.append(("analysis: pragma", la.confidence, st == "verified", "differential"))
    return out


def table(points) -> list[dict]:
    groups: dict = collections.defaultdict(list)
    for kind, conf, right, suite in points:
        groups[(kind, round(conf, 2))].append((right, suite))
    rows = []
    for (kind, conf), xs in sorted(groups.items()):
        by = collections.Counter(s for _, s in xs)
        rows.append({"verdict": kind, "confidence": conf, "n": len(xs), "right": sum(r for r, _ in xs),
                     "observed": round(sum(r for r, _ in xs) / len(xs), 3), "suites": dict(by)})
    return rows


def plot(rows, model_bins, png: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], "k:", lw=1, label="perfect calibration")
    for kind, marker in (("analysis: pragma", "o"), ("analysis: not parallelizable", "s")):
        rs = [r for r in rows if r["verdict"] == kind]
        ax.scatter([r["confidence"] for r in rs], [r["observed"] for r in rs], s=[20 + 2 * min(r["n"], 200) for r in rs],
                   marker=marker, alpha=0.7, label=f"{kind} (size: loops)")
        for r in rs:
            ax.annotate(str(r["n"]), (r["confidence"], r["observed"]), fontsize=7, xytext=(4, -10), textcoords="offset points")
    if model_bins:
        ax.plot([b["predicted"] for b in model_bins], [b["observed"] for b in model_bins], "^-", ms=4,
                label="model: probability vs developers (OMPify test)")
    ax.set_xlabel("confidence given")
    ax.set_ylabel("share right (analysis) / parallelized (model)")
    ax.set_title("Reliability of `confidence`, per source")
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    os.makedirs(os.path.dirname(png) or ".", exist_ok=True)
    fig.savefig(png, dpi=110)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--differential", required=True, help="a benchmarks/differential/run.py --out directory")
    ap.add_argument("--model-eval", default=os.path.join(HERE, "results", "model_eval.json"))
    ap.add_argument("--out", default=os.path.join(HERE, "results", "confidence.json"))
    ap.add_argument("--png", default=os.path.join(HERE, "confidence_reliability.png"))
    args = ap.parse_args()
    if not glob.glob(os.path.join(args.differential, "results.json")):
        print(f"{args.differential}: no results.json (run benchmarks/differential/run.py --out there)", file=sys.stderr)
        return 2
    points = drb_points() + differential_points(args.differential)
    rows = table(points)
    model_bins = None
    if os.path.isfile(args.model_eval):
        with open(args.model_eval, encoding="utf-8") as fh:
            model_bins = json.load(fh).get("reliability_ompify_test", {}).get("reliability")
    plot(rows, model_bins, args.png)
    doc = {"analysis": rows, "model_ompify_test": model_bins}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
    for r in rows:
        print(f"{r['verdict']:30} confidence {r['confidence']:.2f}: {r['right']:4} of {r['n']:4} right "
              f"({r['observed']:.3f})  {r['suites']}")
    print(args.out, args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
