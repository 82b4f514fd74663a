"""DataRaceBench (C/C++): `ompwise races` against the -yes/-no labels."""
from __future__ import annotations

import csv
import os
from concurrent.futures import ThreadPoolExecutor

from ..api import Options
from ..races import check_races
from .data import extracted, find_dir, listed_file


def _metrics(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(p and t for p, t in pairs)
    fp = sum(p and not t for p, t in pairs)
    fn = sum(t and not p for p, t in pairs)
    tn = sum(not p and not t for p, t in pairs)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "tn": tn, "fn": fn}


def evaluate(data: str, dynamic: bool = True, threads: int = 4, jobs: int = 2, limit: int = 0) -> dict:
    labels = listed_file(data, "drb_labels.csv", "DataRaceBench labels")
    base = os.path.dirname(labels)
    micro = find_dir(extracted(base), "micro-benchmarks")
    root = os.path.dirname(micro)
    util = os.path.join(micro, "utilities")
    rows = [r for r in csv.DictReader(open(labels, encoding="utf-8")) if r["lang"] in ("C", "C++")]
    if limit:
        rows = rows[:limit]

    def one(r):
        path = os.path.join(root, r["file"])
        text = open(path, "rb").read()
        extra = [os.path.join(util, "polybench.c")] if b"polybench.h" in text else []
        rep = check_races(path, dynamic, Options(include_dirs=(util,)), threads, 60.0, extra)
        return r, rep

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        results = list(ex.map(one, rows))
    pairs, static_pairs, archer_pairs, files = [], [], [], []
    for r, rep in results:
        truth = r["race"] == "yes"
        pairs.append((rep.race, truth))
        static_pairs.append((any(f.check == "static" for f in rep.findings), truth))
        archer_pairs.append((any(f.check == "archer" for f in rep.findings), truth))
        files.append({"file": r["file"], "label": r["race"], **rep.to_json()})
    out = {"suite": "drb", "files": len(rows), **_metrics(pairs),
           "static_only": _metrics(static_pairs), "per_file": files}
    if dynamic:
        out["archer_only"] = _metrics(archer_pairs)
    return out
