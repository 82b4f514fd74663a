"""The JSON document of `ompwise check --format json` (see README for the schema)."""
from __future__ import annotations

from ..advise import FileAdvice, LoopAdvice

VERSION = 1


def loop_json(a: LoopAdvice, shown) -> dict:
    lp = a.loop
    return {
        "line": lp.loc.line, "column": lp.loc.column, "function": lp.function, "depth": lp.depth,
        "parallelizable": a.parallelizable, "pragma": a.pragma, "clauses": a.clauses.to_json(),
        "confidence": round(a.confidence, 3), "source": a.source,
        "probability": None if a.probability is None else round(a.probability, 3),
        "reasons": [dict(r.to_json(), suppressed=r not in shown) for r in a.reasons],
    }


def document(files: list[FileAdvice], input_errors: list[str], visible) -> dict:
    return {
        "version": VERSION,
        "files": [{
            "path": f.path, "language": f.language,
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in f.errors],
            "notes": f.notes,
            "inactive_loops": f.tu.inactive_loops if f.tu is not None else 0,
            "loops": [loop_json(a, visible(f, a)) for a in f.loops],
        } for f in files],
        "errors": input_errors,
    }
