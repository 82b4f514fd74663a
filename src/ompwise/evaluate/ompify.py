"""OMPify's splits of Open-OMP (../shared/data/eval/ompify): does ompwise recommend a pragma for
the loops developers parallelized? Each record's loop is wrapped in a function, as the published
models see it (no headers, no callers); the prediction is the outermost loop's recommendation, and
legality alone is scored beside it. Labels are developers' choices, not ground truth of legality."""
from __future__ import annotations

import json
import os

from ..frontend.source import InputError

SPLITS = ("test", "test_nas", "test_poly", "test_spec")


def unit(code: str) -> bytes:
    return f"void ompify_loop(void) {{\n{code}\n}}\n".encode()


def _scores(tp: int, fp: int, tn: int, fn: int) -> dict:
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"accuracy": round((tp + tn) / max(tp + fp + tn + fn, 1), 4), "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4), "tp": tp, "fp": fp, "tn": tn, "fn": fn}


def evaluate(data: str, split: str = "test", model: str | None = None) -> dict:
    from ..api import Options, analyze_source
    path = os.path.join(data, f"{split}.jsonl")
    if not os.path.isfile(path):
        raise InputError(f"{data}: error: no {split}.jsonl (the OMPify splits' folder, e.g. ../shared/data/eval/ompify)")
    rec = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    legal = dict(rec)
    n = errors = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            label = bool(r.get("exist"))
            fa = analyze_source(unit(r["code"]), "loop.c", "c", Options(read_headers=False, model=model, snippet=True))
            top = next((a for a in fa.loops if a.loop.parent is None), None)
            errors += top is None
            for counts, guess in ((rec, top is not None and top.pragma is not None),
                                  (legal, top is not None and top.parallelizable)):
                counts["tp" if guess and label else "fp" if guess else "fn" if label else "tn"] += 1
            n += 1
    return {"suite": "ompify", "split": split, "loops": n, "no_loop_found": errors,
            "always_no_accuracy": round((rec["tn"] + rec["fp"]) / max(n, 1), 4),
            "recommendation": _scores(**rec), "legality": _scores(**legal)}
