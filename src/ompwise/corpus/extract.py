"""One source file -> its loop rows: the analysis' facts about each loop of the file with every
OpenMP pragma blanked (what ompwise sees when a user runs it on serial code), and the labels the
file's authors wrote (their pragma on the loop, read by the same front end as ``check``)."""
from __future__ import annotations

from ..frontend.strip import strip_pragmas
from ..frontend import ir
from ..frontend.pragma import parse_clauses, parse_loop_clauses, split_directive
from ..frontend.spans import function_text as _function_text, line_starts as _line_starts
from ..frontend.walk import exprs, exprs_by_type, reset_caches
from .schema import NAMES

# what makes a directive work-sharing for a loop (the label 'a developer parallelized it')
_WORKSHARING = ("for", "simd", "loop", "distribute", "taskloop")


def file_rows(text: str, lang: str, prov: dict) -> list[dict]:
    """Rows of every loop of one C or C++ file. ``prov``: repo, commit, path, sha256.

    Raises what the front end raises on input it cannot read (the caller records it)."""
    from ..api import Options, analyze_source
    from ..frontend.parse import parse_source
    stripped, _ = strip_pragmas(text)
    data = stripped.encode("utf-8", "surrogateescape")
    language = "cpp" if lang == "cpp" else "c"
    fa = analyze_source(data, prov.get("path") or "<input>", language, Options(read_headers=False))
    tu = fa.tu
    labels: dict[tuple[int, int], ir.Loop] = {}
    if "omp" in text:
        original = parse_source(text.encode("utf-8", "surrogateescape"), prov.get("path") or "<input>", language)
        labels = {(l.loc.line, l.loc.column): l for l in original.loops}
    rows = fact_rows(fa.loops, tu, data)
    for row, a in zip(rows, fa.loops):
        lp = a.loop
        orig = labels.get((lp.loc.line, lp.loc.column))
        row.update({"repo": prov.get("repo", ""), "commit": prov.get("commit", ""), "path": prov.get("path", ""),
                    "lang": language, "file_sha256": prov.get("sha256", ""),
                    "f_in_region": bool(orig and orig.in_region)})
        row.update(pragma_labels(orig.pragma if orig else None))
    assert all(len(r) == len(NAMES) for r in rows[:1]), "row columns differ from schema.COLUMNS"
    return rows


def fact_rows(advice: list, tu: ir.TranslationUnit, data: bytes, function_code: bool = True,
              keep_walks: bool = False) -> list[dict]:
    """The location, text and analysis facts of each loop (the row without provenance and labels):
    what the dataset stores and what the model reads at inference, built by one function.

    The walks' memos are cleared when it returns, unless ``keep_walks``: ``advise`` (the model's
    gate) still needs them for its second pass, and clears them itself when it returns."""
    starts = _line_starts(data)
    functions = {f.name: f for f in tu.functions}
    heights = _heights(tu.loops)
    positions = _positions(tu.loops)
    rows = []
    try:
        for a in advice:
            lp, lg = a.loop, a.legality
            end = starts[min(lp.end.line, len(starts)) - 1] + lp.end.column
            code = data[lp.start_byte:end].decode("utf-8", "replace")
            fn = functions.get(lp.function)
            row = {
                "line": lp.loc.line, "column": lp.loc.column, "end_line": lp.end.line, "function": lp.function,
                "code": code,
                # (the dataset stores it; the model does not read it, so inference skips it)
                "function_code": (_function_text(data, starts, fn) if fn else code) if function_code else "",
                "f_kind": lp.kind, "f_canonical": lp.canonical is not None,
                "f_parallel": bool(lg and lg.parallel),
                "f_first_reason": "" if (lg and lg.parallel) else (lg.blockers[0].code if lg and lg.blockers else a.code),
                "f_reasons": list(dict.fromkeys(r.code for r in a.reasons)),
                "f_advice": a.pragma or "", "f_advice_code": a.code,
                "f_dependences": sum(1 for d in (lg.dependences if lg else ()) if d.dependent),
                "f_trip_count": lg.trip_count if lg else None,
                "f_triangular": bool(lg and lg.triangular), "f_irregular": bool(lg and lg.irregular),
                "f_depth": lp.depth, "f_children": len(lp.children), "f_height": heights[lp.id],
                "f_perfect": bool(lg and lg.perfect_child is not None), "f_position": positions[lp.id],
                "f_lines": lp.end.line - lp.loc.line + 1, "f_calls": _calls(lp),
                "f_in_region": lp.in_region,
            }
            row.update(_fact_clauses(lg))
            if tu.snippet:
                row["snippet"] = True  # (a model input, not a dataset column: the dataset holds whole files)
            rows.append(row)
    finally:
        if not keep_walks:
            reset_caches()
    return rows


def _fact_clauses(lg) -> dict:
    c = lg.clauses if lg is not None and lg.parallel else None
    if c is None:
        return {"f_private": [], "f_firstprivate": [], "f_lastprivate": [], "f_reduction": [], "f_collapse": 0}
    return {"f_private": list(c.private), "f_firstprivate": list(c.firstprivate), "f_lastprivate": list(c.lastprivate),
            "f_reduction": [f"{r.op}:{v}" for r in c.reduction for v in r.vars], "f_collapse": c.collapse or 0}


def is_worksharing(directive: str) -> bool:
    words = directive.split()
    return any(w in words for w in _WORKSHARING)


def pragma_labels(pragma: ir.OmpPragma | None) -> dict:
    """The label columns from the authors' pragma on a loop (None: no pragma)."""
    out = {"l_omp": False, "l_pragma": "", "l_directive": "", "l_private": [], "l_firstprivate": [],
           "l_lastprivate": [], "l_shared": [], "l_reduction": [], "l_schedule": "", "l_chunk": "",
           "l_collapse": 0, "l_nowait": False, "l_num_threads": ""}
    if pragma is None:
        return out
    directive, rest = split_directive(pragma.text)
    out["l_pragma"] = "#pragma " + pragma.text.strip()
    out["l_directive"] = directive
    if not is_worksharing(directive):
        return out  # 'parallel' or 'critical' whose block is the loop: not a work-sharing label
    out["l_omp"] = True
    c = parse_loop_clauses(rest)
    out["l_private"] = list(c.private)
    out["l_firstprivate"] = list(c.firstprivate)
    out["l_lastprivate"] = list(c.lastprivate)
    out["l_reduction"] = [f"{r.op}:{v}" for r in c.reduction for v in r.vars]
    out["l_collapse"] = c.collapse or 0
    for name, arg in parse_clauses(rest):
        if name == "shared":
            out["l_shared"] = [v.strip() for v in arg.split(",") if v.strip()]
        elif name == "schedule":
            kind, _, chunk = arg.partition(",")
            out["l_schedule"] = kind.split(":")[-1].strip()
            out["l_chunk"] = chunk.strip()
        elif name == "nowait":
            out["l_nowait"] = True
        elif name == "num_threads":
            out["l_num_threads"] = arg
    return out


def _calls(lp: ir.Loop) -> list[str]:
    found: dict[str, None] = {}
    heads = tuple(e for e in (lp.cond, lp.update) if e is not None)
    # (the body's calls in preorder: the group the analysis' own scans of the body already built)
    for e in [*exprs_by_type(lp.body).get(ir.Call, ()), *(x for h in heads for x in exprs(h) if type(x) is ir.Call)]:
        found[e.qualified or e.name or "<indirect>"] = None
    return list(found)


def _heights(loops: list[ir.Loop]) -> dict[int, int]:
    out: dict[int, int] = {}
    for lp in reversed(loops):  # preorder reversed: children first
        out[lp.id] = 1 + max((out[c] for c in lp.children), default=0)
    return out


def _positions(loops: list[ir.Loop]) -> dict[int, int]:
    out: dict[int, int] = {}
    top: dict[str, int] = {}
    for lp in loops:
        if lp.parent is None:
            out[lp.id] = top.get(lp.function, 0)
            top[lp.function] = out[lp.id] + 1
        for k, c in enumerate(lp.children):
            out[c] = k
    return out


