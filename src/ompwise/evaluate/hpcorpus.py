"""HPCorpus-OMP (../shared/data/eval/hpcorpus_omp): clause prediction on 2,593 loops that all
carry a developer's pragma, scored the same way for ompwise, MonoCoder and GPT-3.5.

Every system is reduced to pragma text and scored by one function, ``score``, the rule of
``monocoder_results/derived_clause_metrics.json`` (which it reproduces exactly):

- clause presence: ``\\bprivate\\b`` / ``\\breduction\\b`` (and simd, collapse, schedule) found in
  the label and in the prediction, giving tp/fp/fn/tn, precision, recall, F1, accuracy; the word
  boundary keeps ``firstprivate``/``lastprivate`` out of ``private``;
- variable sets, lower-cased (the labels are): the union over every ``clause(...)`` of the text of
  the tokens split on blanks and commas, for ``reduction`` those after the last ``:``, so the
  operator is left out (``..._vars_exact_given_both``, the file's figure, counted on the loops
  where label and prediction both have the clause). Beside it, ``exact_of_label``: the same
  match over every loop whose label has the clause, and for reduction ``op_vars_exact``:
  (operator, variable) pairs, the operator being the text before the first ``:``.

The predictions: MonoCoder's ``comp_bpe.log`` (the model on this BPE test split; its labels are
the test pragmas re-tokenized, 2,588 rows) and GPT-3.5's ``gpt_response.log`` (the pragma line of
each answer in ``gpt35_original.jsonl``, 2,584 rows); each is scored against its own labels, as
the derived file is. ``comp_replaced_bpe.log`` and ``comp_tokom.log`` are runs on other splits
(anonymized names, Tokompiler) and are not used.

ompwise: each record's ``code`` is plain source (the "BPE" split names the tokenizer the split
was made for; the text is not tokenized), with comments stripped and no declarations. It is
wrapped in a function as ``ompify.unit`` does and analyzed as C, or as C++ when the C parse
leaves the top loop unparsed (``static_cast``, ``->*``, templates: about a fifth of the loops).
Rule: every record's label says its loop runs in parallel, so the question is which clauses it
then needs, and the prediction is ``parallel for`` plus the clauses the analysis gives the top
loop: those of the recommended pragma when ``advise`` gives one (whatever its ``source``), else
the clauses it classified for the loop's scalars whatever blocks the loop (an unknown callee, a
dependence, a cost guess): what the loop needs if it is parallelized. Each loop is also counted
by what the analysis says of it: legal (proven, recommended or left serial for cost),
undecided (only reasons the snippet cannot settle, ``reasons.unsettled``), illegal (a proven
obstacle), or unparsed (a syntax error in it, or no loop: no prediction). ``predict`` replaces
the rule, e.g. to score a model outside ``advise``.
Labels are what developers wrote: a loop variable they list in ``private`` is implicitly
private in OpenMP and ompwise does not name it, which counts as a mismatch here.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Callable, Iterable

from ..frontend.source import InputError
# reasons that say the snippet does not show enough to decide (a callee's body, where a
# subscript lands, what a macro expands to): the one rule advise, the model and the LLM use
from ..reasons import unsettled
from .ompify import unit

CLAUSES = ("private", "reduction", "simd", "collapse", "schedule")
TEST = os.path.join("cpu_test", "test_source_BPE.jsonl")
MONOCODER = os.path.join("monocoder_results", "comp_bpe.log")
GPT35 = os.path.join("monocoder_results", "gpt_response.log")



# -- the scorer: pragma text against pragma text ------------------------------------------------

def present(text: str, clause: str) -> bool:
    return re.search(rf"\b{clause}\b", text) is not None


def _bodies(text: str, clause: str) -> list[str]:
    # the closing parenthesis is optional: truncated labels ('reduction(+:') and answers still count
    return [m.group(1) for m in re.finditer(rf"\b{clause}\s*\(([^)]*)\)?", text.lower())]


def _names(text: str) -> set[str]:
    return {t for t in re.split(r"[\s,]+", text) if t}


def var_set(text: str, clause: str) -> frozenset[str]:
    out: set[str] = set()
    for b in _bodies(text, clause):
        out |= _names(b.split(":")[-1] if clause == "reduction" else b)
    return frozenset(out)


def reduction_pairs(text: str) -> frozenset[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for b in _bodies(text, "reduction"):
        op = re.sub(r"\s+", "", b.split(":")[0]) if ":" in b else ""
        out |= {(op, v) for v in _names(b.split(":")[-1])}
    return frozenset(out)


def _prf(c: dict) -> dict:
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return dict(c, P=round(p, 3), R=round(r, 3), F1=round(2 * p * r / (p + r), 3) if p + r else 0.0,
                acc=round((tp + tn) / max(tp + fp + fn + tn, 1), 3))


def score(pairs: Iterable[tuple[str, str]]) -> dict:
    """Scores of (label, prediction) pragma texts; see the module's docstring."""
    pairs = list(pairs)
    out: dict = {"n": len(pairs)}
    for clause in CLAUSES:
        c = Counter(tp=0, fp=0, fn=0, tn=0)
        exact = op_exact = 0
        for label, pred in pairs:
            a, b = present(label, clause), present(pred, clause)
            c["tp" if a and b else "fp" if b else "fn" if a else "tn"] += 1
            if a and b and clause in ("private", "reduction"):
                exact += var_set(label, clause) == var_set(pred, clause)
                op_exact += clause == "reduction" and reduction_pairs(label) == reduction_pairs(pred)
        out[clause] = _prf(dict(c))
        if clause in ("private", "reduction"):
            out[clause]["vars_exact_given_both"] = f"{exact}/{c['tp']}"
            out[clause]["vars_exact_of_label"] = round(exact / max(c["tp"] + c["fn"], 1), 3)
            if clause == "reduction":
                out[clause]["op_vars_exact_given_both"] = f"{op_exact}/{c['tp']}"
    return out


# -- the published systems' logs ----------------------------------------------------------------

def monocoder_pairs(path: str) -> list[tuple[str, str]]:
    """(label, prediction) rows of MonoCoder's ASCII table ('+---+---+' borders, '| a | b |' rows).
    The cells are cut at the border's column positions, not at '|', which a '||' reduction
    operator would contain."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    border = next((l for l in lines if l.startswith("+")), None)
    if border is None:
        raise InputError(f"{path}: error: not a MonoCoder result table")
    a, b, c = [i for i, ch in enumerate(border) if ch == "+"][:3]
    rows = [(l[a + 1:b].strip(), l[b + 1:c].strip()) for l in lines if l.startswith("|")]
    return rows[1:]  # (the first row is the header: Label, Pred)


def gpt_pairs(path: str) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return [(d["label"], d["prediction"]) for d in map(json.loads, filter(str.strip, fh))]


# -- ompwise ------------------------------------------------------------------------------------

def _top(fa):
    return next((a for a in fa.loops if a.loop.parent is None), None)


def top_clauses(fa):
    """The rule of the module's docstring: the clauses the top loop needs in parallel, or None
    when there is no top loop to give clauses to."""
    top = _top(fa)
    if top is None or top.code == "PARSE-ERROR" or top.legality is None:
        return None
    if top.pragma is not None or top.parallelizable:
        return top.clauses
    return top.legality.clauses


def analyze(code: str, model: str | None = None):
    """FileAdvice of one record's loop: C first, C++ when C leaves the top loop unparsed."""
    from ..api import Options, analyze_source
    fa = None
    for lang, name in (("c", "loop.c"), ("cpp", "loop.cpp")):
        fa = analyze_source(unit(code), name, lang, Options(read_headers=False, model=model, snippet=True))
        top = _top(fa)
        if top is not None and top.code != "PARSE-ERROR":
            break
    return fa


def ompwise_prediction(fa, predict: Callable = top_clauses) -> tuple[str, str]:
    """(pragma text, status): status is 'legal', 'undecided', 'illegal' or 'unparsed'."""
    clauses = predict(fa)
    pred = f"parallel for {clauses.render()}".strip() if clauses is not None else ""
    top = _top(fa)
    if top is None or top.code == "PARSE-ERROR":
        return pred, "unparsed"
    if top.parallelizable:
        return pred, "legal"
    return pred, "undecided" if any(unsettled(r) for r in top.reasons) else "illegal"


def _path(data: str, name: str, what: str) -> str:
    p = os.path.join(data, name)
    if not os.path.isfile(p):
        raise InputError(f"{data}: error: no {name} ({what}; the folder is e.g. ../shared/data/eval/hpcorpus_omp)")
    return p


def evaluate(data: str, predict: Callable = top_clauses, limit: int | None = None,
             published: bool = True, model: str | None = None) -> dict:
    """Scores of ompwise (``predict`` turns a FileAdvice into Clauses or None) on the first
    ``limit`` loops (all by default), and of the published systems' logs when ``published``."""
    with open(_path(data, TEST, "the test split"), encoding="utf-8") as fh:
        records = [json.loads(l) for l in fh if l.strip()][:limit]
    pairs, status, first, legal = [], Counter(), Counter(), []
    for r in records:
        fa = analyze(r["code"], model)
        pred, st = ompwise_prediction(fa, predict)
        status[st] += 1
        if st in ("undecided", "illegal"):
            first[_top(fa).code] += 1
        pairs.append((r["pragma"], pred))
        if st == "legal":
            legal.append(pairs[-1])
    out = {"suite": "hpcorpus", "loops": len(records),
           "ompwise": dict(score(pairs), **{k: status[k] for k in ("legal", "undecided", "illegal", "unparsed")},
                           first_reasons=dict(first.most_common(8))),
           "ompwise_on_legal": score(legal)}
    if published:
        out["monocoder"] = score(monocoder_pairs(_path(data, MONOCODER, "MonoCoder's log")))
        out["gpt35"] = score(gpt_pairs(_path(data, GPT35, "GPT-3.5's answers")))
    return out


def format_text(r: dict) -> str:
    rows = [("ompwise", r["ompwise"]), ("ompwise, loops proven legal", r["ompwise_on_legal"])]
    rows += [(name, r[key]) for key, name in (("monocoder", "MonoCoder"), ("gpt35", "GPT-3.5")) if key in r]
    lines = [f"{'system':30s} {'n':>5s} {'priv P':>6s} {'R':>6s} {'F1':>6s} {'vars=':>9s} "
             f"{'red P':>6s} {'R':>6s} {'F1':>6s} {'vars=':>9s} {'op+vars=':>9s}"]
    for name, s in rows:
        p, q = s["private"], s["reduction"]
        lines.append(f"{name:30s} {s['n']:5d} {p['P']:6.3f} {p['R']:6.3f} {p['F1']:6.3f} "
                     f"{p['vars_exact_given_both']:>9s} {q['P']:6.3f} {q['R']:6.3f} {q['F1']:6.3f} "
                     f"{q['vars_exact_given_both']:>9s} {q['op_vars_exact_given_both']:>9s}")
    o = r["ompwise"]
    lines.append(f"ompwise: {o['legal']} loops legal, {o['undecided']} undecided, "
                 f"{o['illegal']} illegal, {o['unparsed']} unparsed (no clauses); first reasons: "
                 + ", ".join(f"{k} {v}" for k, v in o["first_reasons"].items()))
    lines.append("vars=: exact variable sets where label and prediction both have the clause")
    return "\n".join(lines)
