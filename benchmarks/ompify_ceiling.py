"""How far "a proof always wins" caps a learned model on an OMPify split: the loops the analysis
proves legal, leaves unsettled or proves illegal, with the developers' positives in each, and the
accuracy no model can exceed when proven-illegal loops never get a pragma.

    .venv/bin/python benchmarks/ompify_ceiling.py [--split test] [--model DIR]
"""
import argparse
import json
import os

from ompwise.api import Options, analyze_source
from ompwise.evaluate.ompify import unit
from ompwise.model import shipped_model
from ompwise.reasons import all_unsettled

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "eval", "ompify")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    model = args.model or shipped_model()
    counts = {k: [0, 0] for k in ("legal", "unsettled", "illegal", "no loop")}
    with open(os.path.join(DATA, f"{args.split}.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            fa = analyze_source(unit(r["code"]), "loop.c", "c", Options(read_headers=False, snippet=True, model=model))
            top = next((a for a in fa.loops if a.loop.parent is None), None)
            lg = top.legality if top is not None else None
            kind = ("no loop" if lg is None else "legal" if lg.parallel else
                    "unsettled" if all_unsettled(lg.blockers) and top.loop.canonical is not None else "illegal")
            counts[kind][0] += 1
            counts[kind][1] += bool(r["exist"])
    n = sum(c[0] for c in counts.values())
    capped = counts["illegal"][1] + counts["no loop"][1]
    for k, (loops, pos) in counts.items():
        print(f"{k:10} {loops:6} loops, {pos:6} with a developer's pragma")
    print(f"accuracy ceiling: {1 - capped / n:.3f} ({capped} positives can never get a pragma)")


if __name__ == "__main__":
    main()
