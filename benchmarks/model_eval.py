"""Score the learned model on every suite, next to the analysis alone, and draw the reliability
diagram of its probabilities on the OMPify test split.

    .venv/bin/python benchmarks/model_eval.py [--model DIR] [--out benchmarks/results/model_eval.json]

(DIR defaults to the shipped model.) Writes a JSON of all figures and benchmarks/model_reliability.png,
and rewrites DIR/CARD.md with these figures (`--no-card`: leave it), so the card never disagrees
with what was measured."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def suites(model):
    from ompwise.evaluate import run_suite
    out = {}
    for split in ("test", "test_nas", "test_poly", "test_spec"):
        out[f"ompify/{split}"] = run_suite("ompify", os.path.join(DATA, "eval", "ompify"), split=split, model=model)
    out["hpcorpus"] = run_suite("hpcorpus", os.path.join(DATA, "eval", "hpcorpus_omp"), model=model)
    out["autoparbench"] = run_suite("autoparbench", os.path.join(DATA, "eval", "autoparbench"), model=model)
    out["realapps"] = run_suite("realapps", os.path.join(DATA, "bench", "realapps"), model=model)
    out["drb-advice"] = run_suite("drb-advice", os.path.join(DATA, "bench", "dataracebench"), model=model)
    return out


def reliability(model_dir: str, png: str) -> list[dict]:
    """Calibrated probability against the share of loops developers parallelized (OMPify test)."""
    import numpy as np
    from ompwise.api import Options, analyze_source
    from ompwise.evaluate.ompify import unit
    ps, ys = [], []
    with open(os.path.join(DATA, "eval", "ompify", "test.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            fa = analyze_source(unit(r["code"]), "loop.c", "c", Options(read_headers=False, snippet=True, model=model_dir))
            top = next((a for a in fa.loops if a.loop.parent is None), None)
            if top is not None and top.probability is not None:
                ps.append(top.probability)
                ys.append(int(bool(r["exist"])))
    p, y = np.array(ps), np.array(ys)
    bins = []
    for k in range(10):
        m = (p >= k / 10) & ((p < (k + 1) / 10) if k < 9 else (p <= 1))
        if m.any():
            bins.append({"bin": [k / 10, (k + 1) / 10], "loops": int(m.sum()), "predicted": round(float(p[m].mean()), 4),
                         "observed": round(float(y[m].mean()), 4)})
    curve = []
    for t in np.linspace(0.05, 0.95, 19):
        g = p >= t
        tp = int(np.sum(g & (y == 1)))
        curve.append({"threshold": round(float(t), 2), "precision": round(tp / max(int(g.sum()), 1), 4),
                      "recall": round(tp / max(int(y.sum()), 1), 4)})
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    meta = json.load(open(os.path.join(model_dir, "model.json")))
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9, 4.5))
    bx.plot([c["recall"] for c in curve], [c["precision"] for c in curve], "o-", ms=3)
    for c in curve[::3]:
        bx.annotate(f"{c['threshold']:.2f}", (c["recall"], c["precision"]), fontsize=7)
    bx.set_xlabel("recall")
    bx.set_ylabel("precision")
    bx.set_title("OMPify test: model probability alone")
    ax.plot([0, 1], [0, 1], "k:", lw=1, label="perfect calibration")
    ax.plot([b["predicted"] for b in meta["reliability"]], [b["observed"] for b in meta["reliability"]], "o-",
            label="corpus validation (by repository)")
    ax.plot([b["predicted"] for b in bins], [b["observed"] for b in bins], "s-", label="OMPify test")
    ax.set_xlabel("model probability (calibrated)")
    ax.set_ylabel("share of loops developers parallelized")
    ax.set_title("Reliability of the loop model")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(png), exist_ok=True)
    fig.savefig(png, dpi=110)
    return {"reliability": bins, "pr_curve": curve}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--out", default=os.path.join(HERE, "results", "model_eval.json"))
    ap.add_argument("--png", default=os.path.join(HERE, "model_reliability.png"))
    ap.add_argument("--no-card", action="store_true", help="do not rewrite the model's CARD.md")
    args = ap.parse_args()
    from ompwise.model import shipped_model
    model = os.path.abspath(args.model) if args.model else shipped_model()
    if model is None:
        print("no model: pass --model DIR", file=sys.stderr)
        return 2
    t = time.time()
    doc = {"model": model, "with_model": suites(model), "analysis_alone": suites(None)}
    doc["reliability_ompify_test"] = reliability(model, args.png)
    doc["seconds"] = round(time.time() - t, 1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(doc, fh, indent=1)
    print(args.out)
    if not args.no_card:
        from ompwise.model.card import write
        print(write(model, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
