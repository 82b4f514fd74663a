"""DataRaceBench as an advice test: strip the `parallel for` pragmas, ask ompwise again.

On a `-yes` file the loop whose pragma was racy must get no recommendation
(an unsafe recommendation is the failure that matters). On a `-no` file the
loop should get a pragma again, with clauses equivalent to the original's.
"""
from __future__ import annotations

import os
import re

from ..api import Options, analyze_source
from ..frontend.pragma import parse_loop_clauses, split_directive
from ..frontend.source import InputError
from ..frontend.walk import declared_names, nest_vars
from .data import extracted, find_dir, listed_file

_PRAGMA = re.compile(rb"^[ \t]*#[ \t]*pragma[ \t]+omp[ \t]+parallel[ \t]+for\b(.*)$", re.M)


def strip_pragmas(source: bytes) -> tuple[bytes, list[tuple[int, str]]]:
    """Blank every `#pragma omp parallel for` line (line numbers stay); return (text, [(line, pragma)])."""
    found = []
    out = source.split(b"\n")
    for i, line in enumerate(out):
        m = _PRAGMA.match(line)
        if m:
            text = line.strip().decode("utf-8", "replace")
            while out[i].rstrip().endswith(b"\\"):  # continued pragma
                out[i] = b""
                i += 1
                text += " " + out[i].strip().decode("utf-8", "replace")
            out[i] = b""
            found.append((i + 1, text))
    return b"\n".join(out), found


def _equivalent(original: str, advice, tu) -> tuple[bool, str]:
    """Do our clauses give the original's data-sharing? (reductions and privatisation)."""
    _, clauses = split_directive(original.split("pragma", 1)[1])
    want = parse_loop_clauses(clauses)
    have = advice.clauses
    private_like = set(have.private) | set(have.lastprivate) | set(declared_names(advice.loop.body))
    private_like |= nest_vars(tu.loops, advice.loop, advice.clauses.collapse or 1)
    read_only = {s.name for s in advice.legality.scalars if s.kind == "shared"} if advice.legality else set()
    if advice.loop.canonical is not None:
        read_only |= set(advice.loop.canonical.bound_names)
    ours_red = {v.split("[")[0]: r.op for r in have.reduction for v in r.vars}
    for r in want.reduction:
        for v in r.vars:
            op = ours_red.get(v)
            if op is None or not (op == r.op or {op, r.op} <= {"+", "-"}):
                return False, f"reduction({r.op}:{v}) missing"
    for v in want.private + want.lastprivate:
        if v not in private_like and v not in ours_red:
            return False, f"'{v}' not privatized"
    for v in want.firstprivate:  # a read-only firstprivate is the same as shared
        if v not in private_like and v not in read_only:
            return False, f"'{v}' not firstprivate"
    return True, ""


def _covering(fa, advice):
    """The enclosing loop whose recommendation covers this loop, if any."""
    p = advice.loop.parent
    while p is not None:
        a = fa.loops[p]
        if a.pragma:
            return a
        p = a.loop.parent
    return None


def _same_clauses(original: str, advice) -> bool:
    """Our pragma's data-sharing equals the racy original's (so it would race the same way)."""
    _, clauses = split_directive(original.split("pragma", 1)[1])
    want = parse_loop_clauses(clauses)
    have = advice.clauses
    return (set(want.reduction) == set(have.reduction) and set(want.lastprivate) == set(have.lastprivate)
            and not have.linear
            and set(want.private) - {advice.loop.var} == set(have.private) - {advice.loop.var})




def evaluate(data: str, model: str | None = None) -> dict:
    listing = listed_file(data, "drb_c_files_parallel_for_only.txt", "list of parallel-for-only files")
    base = os.path.dirname(listing)
    names = [n.strip() for n in open(listing, encoding="utf-8").read().split() if n.strip()]
    micro = find_dir(extracted(base), "micro-benchmarks")
    rows = []
    for name in names:
        path = os.path.join(micro, name)
        try:
            src = open(path, "rb").read()
        except OSError as e:
            raise InputError(f"{path}: error: {e.strerror}") from None
        stripped, pragmas = strip_pragmas(src)
        fa = analyze_source(stripped, path, "c", Options(model=model))
        label = "yes" if name.endswith("-yes.c") else "no"
        for line, text in pragmas:
            loop = next((a for a in fa.loops if a.loop.loc.line > line), None)
            if loop is None:
                continue
            row = {"file": name, "label": label, "line": loop.loop.loc.line, "original": text,
                   "ours": loop.pragma, "reason": loop.reasons[0].code if loop.reasons else "",
                   "parallelizable": loop.parallelizable, "confidence": loop.confidence, "source": loop.source}
            covering = _covering(fa, loop)
            if label == "yes":
                # the race was in the original pragma; ours is unsafe when it keeps the racy
                # data-sharing, 'fixed' when it changes it (e.g. adds the missing reduction)
                if loop.pragma is None and covering is None:
                    row["outcome"] = "safe"
                else:
                    a = loop if loop.pragma else covering
                    row.update(confidence=a.confidence, source=a.source)
                    same, _ = _equivalent(text, a, fa.tu)
                    row["outcome"] = "unsafe" if same and _same_clauses(text, a) else "fixed"
                    row["ours"] = a.pragma
            else:
                if loop.pragma:
                    ok, why = _equivalent(text, loop, fa.tu)
                    row["outcome"] = "recovered" if ok else "clauses-differ"
                elif covering is not None:
                    ok, why = (True, f"an enclosing loop at line {covering.loop.loc.line} is parallelized instead")
                    row["outcome"] = "outer"
                else:
                    ok, why = False, "no pragma"
                    row["outcome"] = "missed"
                row["why"] = why
            rows.append(row)
    # one verdict per file: a -yes file is unsafe if any racy loop got a pragma
    files: dict[str, str] = {}
    for r in rows:
        prev = files.get(r["file"])
        bad = {"unsafe": 3, "missed": 2, "clauses-differ": 2, "outer": 1, "fixed": 1, "safe": 0, "recovered": 0}
        if prev is None or bad[r["outcome"]] > bad[prev]:
            files[r["file"]] = r["outcome"]
    yes = [f for f in files if f.endswith("-yes.c")]
    no = [f for f in files if f.endswith("-no.c")]
    return {
        "suite": "drb-advice",
        "yes_files": len(yes), "unsafe": sum(files[f] == "unsafe" for f in yes),
        "fixed": sum(files[f] == "fixed" for f in yes),
        "outer": sum(files[f] == "outer" for f in no),
        "no_files": len(no), "recovered": sum(files[f] == "recovered" for f in no),
        "recovered_share": round(sum(files[f] == "recovered" for f in no) / len(no), 4) if no else 0.0,
        "loops": rows,
    }
