"""Long-form reasoning for one loop (`ompwise explain FILE:LINE`)."""
from __future__ import annotations

from ..advise import FileAdvice, LoopAdvice
from ..reasons import CODES


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
        out.append(f"  form: canonical; '{c.var}' in [{lo}, {hi}) step {c.step}")
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
    return "\n".join(out)
