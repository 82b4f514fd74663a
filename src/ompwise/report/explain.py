"""Long-form reasoning for one loop (`ompwise explain FILE:LINE`)."""
from __future__ import annotations

import re

from ..advise import FileAdvice, LoopAdvice
from ..frontend.walk import names as walk_names
from ..reasons import CODES, Reason


def find_loop(f: FileAdvice, line: int, column: int | None = None) -> LoopAdvice | None:
    exact = [a for a in f.loops if a.loop.loc.line == line]
    if exact:  # (two loops on one line: the column tells them apart)
        return next((a for a in exact if a.loop.loc.column == column), exact[0])
    inside = [a for a in f.loops if a.loop.loc.line <= line <= a.loop.end.line]
    return max(inside, key=lambda a: a.loop.depth) if inside else None


def explain(f: FileAdvice, a: LoopAdvice) -> str:
    lp = a.loop
    lg = a.legality
    out = [f"{f.path}:{lp.loc.line}:{lp.loc.column}: loop '{lp.header_text}' in function '{lp.function}' (depth {lp.depth})"]
    c = lp.canonical
    if c is not None:
        lo = c.lower.text if c.lower is not None else "?"
        hi = c.upper.text if c.upper is not None else "?"
        step = c.step if c.step is not None else ("-" if c.descending else "") + f"({c.step_expr.text})"
        out.append(f"  form: canonical; '{c.var}' in [{lo}, {hi}) step {step}")
    else:
        out.append(f"  form: not canonical ({lp.noncanonical})")
    verdict = "parallelizable" if a.parallelizable else "not parallelizable"
    out.append(f"  legality: {verdict}")
    out.append(f"  recommendation: {a.pragma or 'none'}")
    out.append(f"  confidence: {a.confidence:.2f} (decided by {a.source})")
    if lg is not None:
        if lg.trip_count is not None:
            out.append(f"  trip count: {lg.trip_count}")
        if lg.triangular or lg.irregular:
            out.append(f"  work per iteration varies ({'triangular' if lg.triangular else 'irregular'}): schedule(dynamic)")
        if lg.scalars:
            out.append("  scalars:")
            for s in lg.scalars:
                kind = f"reduction({s.op})" if s.kind == "reduction" else s.kind
                out.append(f"    {s.name:<12} {kind:<20} {s.note} (at {s.line}:{s.column})")
        if lg.dependences:
            out.append("  array dependence tests:")
            for d in lg.dependences:
                res = "dependent" if d.dependent else "independent"
                dist = f", distance {d.distance}" if d.distance is not None else ""
                out.append(f"    {d.array}: {d.first} at {d.first_at} vs {d.second} at {d.second_at}: {res}{dist} ({d.test} test)")
    out.append("  reasons:")
    for r in a.reasons:
        title = CODES[r.code].title if r.code in CODES else ""
        out.append(f"    [{r.code}] {r.message} (at {r.line}:{r.column}) - {title}")
    out.append("  why (each sentence says where it comes from):")
    out.extend(f"    [{origin}] {text}" for origin, text in sentences(a))
    return "\n".join(out)


_QUOTED = re.compile(r"'([A-Za-z_][\w.>-]*)(?:\[[^']*\])?'")
_ACCESS = re.compile(r"\b([A-Za-z_]\w*)\s*\[")
_AT = re.compile(r"\b(?:at |line )(\d+)(?::\d+)?|\b(\d+):\d+\b")
_NOT_NAMES = {"pragma", "omp", "parallel", "for", "private", "reduction", "lastprivate", "if", "else", "while",
              "do", "goto", "break", "return", "continue", "throw", "exit", "switch", "case", "sizeof"}
_NOT_EVIDENCE = {"test", "code", "exact", "synchronized"}  # (evidence keys that hold no variable)


def involved(r: Reason, a: LoopAdvice) -> tuple[list[str], list[int]]:
    """The variables and lines a reason is about: from its evidence and message, the loop
    variable and the reason's own line."""
    names: list[str] = []
    for k, v in r.evidence.items():
        if k in _NOT_EVIDENCE:
            continue
        for item in (v if isinstance(v, (list, tuple)) else [v]):
            if isinstance(item, str) and re.fullmatch(r"[A-Za-z_]\w*", item):
                names.append(item)
            elif isinstance(item, str):
                names += _ACCESS.findall(item)
    names += [m.split("->")[0].split(".")[0] for m in _QUOTED.findall(r.message)]
    names += _ACCESS.findall(r.message)
    if a.loop.var:
        names.append(a.loop.var)
    elif a.loop.cond is not None:  # (a loop that is not canonical: the variables of its condition)
        names += sorted(walk_names(a.loop.cond))
    names = [n for n in dict.fromkeys(names) if n not in _NOT_NAMES]
    lines = {r.line}
    for text in [r.message] + [str(v) for v in r.evidence.values()]:
        for m in _AT.finditer(text):
            lines.add(int(m.group(1) or m.group(2)))
    return names, sorted(x for x in lines if x > 0)


def sentences(a: LoopAdvice) -> list[tuple[str, str]]:
    """The explanation as (origin, sentence): 'analysis' for what the analysis proved or
    assumed, 'model' for the learned model's estimate (when there is one)."""
    lp = a.loop
    out = []
    verdict = (f"The loop at line {lp.loc.line} can run in parallel with '{a.pragma}'." if a.pragma else
               f"The loop at line {lp.loc.line} is legal to run in parallel but gets no pragma." if a.parallelizable else
               f"The loop at line {lp.loc.line} is not parallelized.")
    out.append(("analysis", verdict))
    for r in a.reasons:
        code = CODES.get(r.code)
        names, lines = involved(r, a)
        what = r.message.replace("not parallelized: ", "")
        text = (f"{code.title[:1].upper() + code.title[1:] if code else r.code} [{r.code}]: {what}. "
                + (code.explanation + " " if code else "")
                + f"Involved: {', '.join(repr(n) for n in names) or 'no variable'} at line{'s' if len(lines) > 1 else ''} "
                + ", ".join(map(str, lines)) + ".")
        out.append(("analysis", text))
    prob = a.probability
    if prob is not None:
        out.append(("model", f"The learned model gives {prob:.2f} that a developer parallelizes this loop"
                             + (" (it agrees with the analysis)." if (prob >= 0.5) == bool(a.pragma) else
                                " (the analysis decides legality).")))
    return out
