"""AutoParBench (ICS 2020): per-loop scoring against reference_cpu_threading, the paper's way.

Loops are matched on (file, function, loop id), the loop id being the 1-based
preorder number of the loop in its function. A reference loop is TP when both
say parallel and the tool has at least the reference's private/firstprivate/
lastprivate/linear variables (its own loop variable counts as private) and its
reductions; DP (different parallelization) when both say parallel but clauses
differ; DP is left out of precision and recall, as in the paper's checker.
Weighted F1 = F1 x (reference loops the tool handled / all reference loops).
"""
from __future__ import annotations

import collections
import glob
import json
import os
import re

from ..api import Options, analyze_file
from ..analysis.scope import written_names
from ..frontend import ir
from ..frontend.walk import all_exprs, declared_names, names
from ..frontend.source import InputError
from .data import extracted, find_dir

TOOLS = ("Autopar", "Cetus", "ICC_Full", "ICC_Cost")


def load_json(path: str) -> dict[tuple[str, int], dict]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            d = json.load(fh)
    except (OSError, ValueError):
        return {}
    # Loops are numbered by their order in the function (object ids are preorder). The
    # shipped 'loop id' agrees everywhere except in the reference for LU's read_input,
    # which gives the second loop on a line id 0; the other tools number all 18 loops.
    entries = []
    for k, v in d.items():
        m = re.search(r"(\d+)\s*$", k)
        if k.startswith("loop - object id") and isinstance(v, dict) and m:
            entries.append((int(m.group(1)), v))
    entries.sort(key=lambda e: e[0])
    out = {}
    count: collections.Counter = collections.Counter()
    for _, v in entries:
        fn = v.get("function", "")
        count[fn] += 1
        out[(fn, count[fn])] = v
    return out


def _lst(v: dict, key: str) -> list[str]:
    return [str(x) for x in (v.get(key) or [])]


def _reductions(v: dict) -> dict[str, str]:
    out = {}
    for c in _lst(v, "reduction"):
        if "[" in c:  # an array section, 'op:sum[0:5]': its array
            c = c[:c.index("[")]
        op, _, var = c.rpartition(":")
        out[var.strip()] = op.strip() or "none"
    return out


def classify(ref: dict, tool: dict, unwritten: frozenset[str] = frozenset(),
             unused: frozenset[str] = frozenset()) -> str:
    """``unwritten``: variables of the loop's nest that the loop itself never writes; for
    them firstprivate and shared are the same thing, whatever a tool lists. ``unused``:
    variables of the nest the loop never names; private or firstprivate on them is a no-op."""
    rp, tp = ref.get("pragma type", "NULL"), tool.get("pragma type", "NULL")
    if rp == "NULL":
        return "TN" if tp == "NULL" or tool.get("multiversioned") == "true" else "FP"
    if tp == "NULL":
        return "FN"
    if ref.get("ordered", "false") != tool.get("ordered", "false"):
        return "DP"
    tpriv = _lst(tool, "private")
    iv = tool.get("induction variable")
    if iv:
        tpriv.append(iv)
    # a variable the tool privatizes is written before it is read in every iteration,
    # so the reference's firstprivate (private plus an initial value) is equivalent
    # lastprivate is private plus a copy-out, so it satisfies the reference's private
    for key, have in (("private", tpriv + _lst(tool, "lastprivate") + list(unused)),
                      ("firstprivate", _lst(tool, "firstprivate") + tpriv + list(unwritten) + list(unused)),
                      ("lastprivate", _lst(tool, "lastprivate")), ("linear", _lst(tool, "linear"))):
        if not set(_lst(ref, key)) <= set(have):
            return "DP"
    tred = _reductions(tool)
    for var, op in _reductions(ref).items():
        if var not in tred:
            return "DP"
        top = tred[var]
        if not (op == "none" or top == "none" or op == top or {op, top} == {"+", "-"}):  # '-' combines as '+'
            return "DP"
    return "TP"


def ompwise_loops(path: str, include_dirs: tuple[str, ...], model: str | None = None) -> tuple[dict[tuple[str, int], dict],
                                                                     dict[tuple[str, int], tuple[frozenset[str], frozenset[str]]]]:
    """ompwise's advice for one file in the AutoParBench JSON vocabulary, and per loop the
    variables of its nest that it does not write and those it does not name (syntactic
    facts used for every tool)."""
    fa = analyze_file(path, Options(include_dirs=include_dirs, strict_utf8=False, model=model))
    out: dict[tuple[str, int], dict] = {}
    unwritten_of: dict[tuple[str, int], tuple[frozenset[str], frozenset[str]]] = {}
    counter: collections.Counter = collections.Counter()
    for a in fa.loops:
        counter[a.loop.function] += 1
        key = (a.loop.function, counter[a.loop.function])
        outer = a.loop
        while outer.parent is not None:
            outer = fa.tu.loops[outer.parent]
        used = {n for e in all_exprs((ir.ForStmt(outer.loc, outer),)) for n in names(e)}
        here = {n for e in all_exprs((ir.ForStmt(a.loop.loc, a.loop),)) for n in names(e)}
        unwritten_of[key] = (frozenset(used - written_names(a.loop.body) - declared_names(a.loop.body)
                                       - {a.loop.var or ""}), frozenset(used - here))
        # The reference labels every loop that may run in parallel, inner loops of
        # a parallel nest included, so legality (not the placement choice) is scored.
        legal = a.parallelizable and a.legality is not None
        entry = {"pragma type": "parallel for" if legal else "NULL", "ordered": "false"}
        if legal:
            lg = a.legality
            c = lg.clauses
            # data-sharing attributes, not pragma text: variables declared in the body
            # are private and read-only scalars are equivalently firstprivate
            local = sorted(declared_names(a.loop.body))
            entry["private"] = list(dict.fromkeys(list(c.private) + local))
            entry["lastprivate"] = list(c.lastprivate)
            entry["firstprivate"] = [s.name for s in lg.scalars if s.kind == "shared"]
            entry["reduction"] = [f"{r.op}:{v}" for r in c.reduction for v in r.vars]
            entry["linear"] = [v for v, _ in c.linear]
            if a.loop.canonical is not None:
                entry["induction variable"] = a.loop.canonical.var
        out[key] = entry
    return out, unwritten_of


def metrics(counts: collections.Counter, total: int) -> dict:
    tp, fp, fn = counts["TP"], counts["FP"], counts["FN"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    handled = sum(counts.values()) - counts["N/A"]
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "weighted_f1": round(f1 * handled / total, 4) if total else 0.0,
            "handled": handled, "total": total,
            "counts": {k: counts[k] for k in ("TP", "TN", "FP", "FN", "DP", "N/A")}}


def evaluate(data: str, tools: tuple[str, ...] = TOOLS, model: str | None = None) -> dict:
    root = find_dir(extracted(data), "benchmarks")
    ref_dir = os.path.join(root, "reference_cpu_threading")
    seq_dir = os.path.join(root, "sequential")
    if not os.path.isdir(ref_dir) or not os.path.isdir(seq_dir):
        raise InputError(f"{root}: error: not an AutoParBench 'benchmarks' folder")
    refs = sorted(glob.glob(os.path.join(ref_dir, "**", "*.json"), recursive=True))
    total = 0
    ours: collections.Counter = collections.Counter()
    theirs = {t: collections.Counter() for t in tools}
    per_file = []
    errors = []
    for rf in refs:
        rel = os.path.relpath(rf, ref_dir)[:-len(".json")]
        ref = load_json(rf)
        total += len(ref)
        src = os.path.join(seq_dir, rel)
        pred: dict = {}
        unwritten: dict = {}
        if os.path.exists(src):
            incs = (os.path.dirname(src), os.path.join(os.path.dirname(os.path.dirname(src)), "common"))
            try:
                pred, unwritten = ompwise_loops(src, incs, model)
            except InputError as e:
                errors.append(str(e))
        fc: collections.Counter = collections.Counter()
        for key, r in ref.items():
            fc["N/A" if key not in pred else classify(r, pred[key], *unwritten.get(key, (frozenset(), frozenset())))] += 1
        ours += fc
        per_file.append({"file": rel, **{k: fc[k] for k in ("TP", "TN", "FP", "FN", "DP", "N/A")}})
        for t in tools:
            tf = os.path.join(root, t, rel + ".json")
            if os.path.exists(tf):
                tl = load_json(tf)
                for key, r in ref.items():
                    theirs[t]["N/A" if key not in tl else classify(r, tl[key], *unwritten.get(key, (frozenset(), frozenset())))] += 1
    result = {"suite": "autoparbench", **metrics(ours, total), "files": len(refs)}
    result["tools"] = {t: metrics(c, total) for t, c in theirs.items()}
    result["per_file"] = per_file
    result["input_errors"] = errors
    return result
