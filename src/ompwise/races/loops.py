"""Annotated loops: what the re-analysed loop needs (privatized scalars, reductions, no carried
dependence) against what its pragma and context provide."""
from __future__ import annotations

import re

from ..advise import FileAdvice, LoopAdvice
from ..frontend import ir
from ..frontend.pragma import parse_loop_clauses
from ..frontend.walk import all_exprs, all_stmts, declared_names, nest_vars, substmts
from .context import names_of, region_body, threadprivate_names, unsynced_writes
from .findings import Finding


def _worksharing(directive: str) -> bool:
    words = directive.split()
    return any(w in words for w in ("for", "simd", "distribute", "loop", "taskloop"))


def static_findings(fa: FileAdvice) -> list[Finding]:
    threadprivate = threadprivate_names(fa.tu)
    teams = _loops_across_teams(fa.tu)
    private_in = _private_by_context(fa.tu)
    out: list[Finding] = []
    for a in fa.loops:
        lp = a.loop
        if lp.pragma is None or not _worksharing(lp.pragma.directive) or a.legality is None or lp.canonical is None:
            continue
        out.extend(_loop_findings(fa, a, threadprivate | private_in.get(lp.id, set()), lp.id in teams))
    return out


def _automatic_names(stmts) -> set[str]:
    """Names declared in the statements without 'static' (a static local is one shared object)."""
    return {v.name for x in all_stmts(stmts) if type(x) is ir.Decl for v in x.vars if not v.static}


def _private_by_context(tu: ir.TranslationUnit) -> dict[int, set[str]]:
    """Per worksharing loop, the variables its context makes private to each thread: the
    private, firstprivate, reduction and copyin lists of the enclosing parallel regions,
    the names declared inside those regions, and, for an orphaned 'omp for' (no region in
    its function: the region, if any, is in a caller), every non-static local and parameter
    of its function (each thread runs the function on its own stack)."""
    out: dict[int, set[str]] = {}
    for fn in tu.functions:
        def walk(stmts, ctx: set[str], in_region: bool):
            for st in stmts:
                if isinstance(st, ir.Region) and "parallel" in st.directive.split():
                    cl = parse_loop_clauses(st.clauses)
                    names_ = names_of(cl) | {v.strip() for v in re.findall(r"copyin\s*\(([^)]*)\)", st.clauses)
                                              for v in v.split(",")} | _automatic_names(region_body(st))
                    walk(substmts(st), ctx | names_, True)
                    continue
                if isinstance(st, ir.ForStmt):
                    lp = st.loop
                    extra = set(ctx)
                    words = lp.pragma.directive.split() if lp.pragma is not None else []
                    if not in_region and "for" in words and "parallel" not in words and "simd" not in words:
                        # (simd lanes share the function's locals: only threads have stacks of their own)
                        extra |= _automatic_names(fn.body) | {p.name for p in fn.params
                                                              if not (p.pointer or p.array or p.reference)}
                    out[lp.id] = extra
                walk(substmts(st), ctx, in_region)
        walk(fn.body, set(), False)
    return out


def _several_teams(directive: str, clauses: str) -> bool:
    return "teams" in directive.split() and not re.search(r"num_teams\s*\(\s*1\s*\)", clauses)


def _loops_across_teams(tu: ir.TranslationUnit) -> set[int]:
    """Loops whose iterations may run in different teams (a combined or an enclosing 'teams' construct)."""
    out: set[int] = set()

    def walk(stmts, inside: bool):
        for st in stmts:
            here = inside or (isinstance(st, ir.Region) and _several_teams(st.directive, st.clauses))
            if isinstance(st, ir.ForStmt):
                lp = st.loop
                if here or (lp.pragma is not None and _several_teams(lp.pragma.directive, lp.pragma.clauses)):
                    out.add(lp.id)
            walk(substmts(st), here)

    for fn in tu.functions:
        walk(fn.body, False)
    return out


def _loop_findings(fa: FileAdvice, a: LoopAdvice, threadprivate: set[str], across_teams: bool = False) -> list[Finding]:
    lp, lg = a.loop, a.legality
    locked = any(isinstance(e, ir.Call) and e.name in ("omp_set_lock", "omp_set_nest_lock") for e in all_exprs(lp.body))
    if locked and not across_teams:
        return []  # lock-protected updates: left to the dynamic check (a lock does not span teams)
    cl = parse_loop_clauses(lp.pragma.clauses)
    red = {v: r.op for r in cl.reduction for v in r.vars}
    covered = set(cl.private) | set(cl.firstprivate) | set(cl.lastprivate) | {v for v, _ in cl.linear} | set(red)
    m = re.search(r"\bordered\s*\(\s*(\d+)\s*\)", lp.pragma.clauses)
    depth = max(cl.collapse or 1, int(m.group(1)) if m else 1)  # ordered(n) associates n loops too
    covered |= nest_vars(fa.tu.loops, lp, depth) | threadprivate | declared_names(lp.body)
    unsynced = unsynced_writes(lp.body, across_teams=across_teams)
    where = f"'#pragma {lp.pragma.text}' at line {lp.pragma.line}"
    out: list[Finding] = []
    for s in lg.scalars:
        if s.name in covered or s.name not in unsynced or s.kind == "shared":
            continue
        if s.kind == "reduction":
            out.append(Finding("RACE-MISSING-REDUCTION", f"'{s.name}' is updated in every iteration "
                               f"({s.op} reduction) but {where} has no reduction({s.op}:{s.name})",
                               s.line, s.column, s.name, "static"))
        elif s.kind in ("carried", "linear", "synchronized"):
            # (synchronized: by a critical section, which does not exclude another team's threads)
            out.append(Finding("RACE-SCALAR", f"shared '{s.name}' is read and written by different iterations under {where}",
                               s.line, s.column, s.name, "static"))
        else:
            out.append(Finding("RACE-MISSING-PRIVATE", f"'{s.name}' is written in every iteration but is shared under {where}; "
                               f"it needs private({s.name})" + (" or lastprivate" if s.kind != "induction" else ""),
                               s.line, s.column, s.name, "static"))
    for r in lg.blockers:
        ev = r.evidence
        if r.code == "DEP-CARRIED" and not ev.get("synchronized") and ev.get("exact"):
            var = ev.get("array", "")
            if var in covered:
                continue
            dist = ev.get("distance")
            safelen = _safelen(lp.pragma.clauses)
            if "for" not in lp.pragma.directive.split() and safelen is not None and (dist is None or dist >= safelen):
                continue  # simd with a safelen the dependence distance may respect
            out.append(Finding("RACE-DEPENDENCE", f"{r.message.replace('not parallelized: ', '')} under {where}",
                               r.line, r.column, var, "static"))
        elif r.code == "SHARED-WRITE" and ev.get("variable", "").split("->")[0].split(".")[0] not in covered:
            out.append(Finding("RACE-SHARED-WRITE", f"{r.message.replace('not parallelized: ', '')} under {where}",
                               r.line, r.column, ev.get("variable", ""), "static"))
    return out


def _safelen(clauses: str) -> int | None:
    m = re.search(r"safelen\s*\(\s*(\d+)\s*\)", clauses)
    return int(m.group(1)) if m else None
