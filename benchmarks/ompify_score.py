"""The OMPify test split scored with whatever ompwise is on the path: for comparing versions.

    .venv/bin/python benchmarks/ompify_score.py                     # this checkout
    git worktree add ../old df8e825 && PYTHONPATH=../old/src .venv/bin/python benchmarks/ompify_score.py

The same wrapping and scoring as `ompwise evaluate ompify` (which older versions lack): each
loop in a function of its own, the outermost loop's recommendation against `exist`.
"""
import json
import os
import sys

from ompwise.api import Options, analyze_source

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "eval", "ompify", "test.jsonl")


def main() -> int:
    counts = {"recommendation": dict(tp=0, fp=0, tn=0, fn=0), "legality": dict(tp=0, fp=0, tn=0, fn=0)}
    with open(sys.argv[1] if len(sys.argv) > 1 else DATA, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            label = bool(r.get("exist"))
            fa = analyze_source(f"void ompify_loop(void) {{\n{r['code']}\n}}\n".encode(), "loop.c", "c",
                                Options(read_headers=False))
            top = next((a for a in fa.loops if a.loop.parent is None), None)
            for kind, guess in (("recommendation", top is not None and top.pragma is not None),
                                ("legality", top is not None and top.parallelizable)):
                c = counts[kind]
                c["tp" if guess and label else "fp" if guess else "fn" if label else "tn"] += 1
    for kind, c in counts.items():
        p, r = c["tp"] / max(c["tp"] + c["fp"], 1), c["tp"] / max(c["tp"] + c["fn"], 1)
        acc = (c["tp"] + c["tn"]) / max(sum(c.values()), 1)
        print(f"{kind}: accuracy {acc:.4f} precision {p:.4f} recall {r:.4f} F1 {2 * p * r / max(p + r, 1e-9):.4f} {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
