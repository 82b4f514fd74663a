"""Statements of one parallel region against each other: nowait loops, sections, master blocks."""
from __future__ import annotations

from ..advise import FileAdvice
from ..analysis.scope import written_names
from ..frontend import ir
from ..frontend.pragma import parse_loop_clauses
from ..frontend.walk import all_exprs, all_stmts, declared_names, exprs, stmt_exprs, substmts
from .context import names_of, region_body, threadprivate_names, unsynced_writes
from .findings import Finding


def region_findings(fa: FileAdvice) -> list[Finding]:
    """Races between the statements of a parallel region: nowait loops and sections."""
    out: list[Finding] = []
    for fn in fa.tu.functions:
        for st in all_stmts(fn.body):
            if isinstance(st, ir.Region):
                words = st.directive.split()
                body = region_body(st)
                if "sections" in words:
                    out.extend(_sections(st, body))
                if "parallel" in words:
                    private = names_of(parse_loop_clauses(st.clauses)) | declared_names(body) | threadprivate_names(fa.tu)
                    out.extend(_nowait(body, private))
    return out


def _sections(r: ir.Region, body) -> list[Finding]:
    private = names_of(parse_loop_clauses(r.clauses))
    sections = [s for s in body if isinstance(s, ir.Region) and s.directive == "section"]
    if any(isinstance(e, ir.Call) and e.name in ("omp_set_lock", "omp_set_nest_lock") for e in all_exprs(body)):
        return []  # lock-protected sections: left to the dynamic check
    stmts_ = list(all_stmts(body))
    if any(isinstance(x, ir.While) for x in stmts_) and any(isinstance(x, ir.Sync) and x.kind in ("atomic", "critical") for x in stmts_):
        return []  # a flag handshake through atomics or critical sections: ordering the static check cannot see
    writes = []
    for sec in sections:
        w = {n for n in unsynced_writes(sec.body) if n not in declared_names(sec.body)} - private
        unsynced = [x for x in all_stmts(sec.body) if not isinstance(x, ir.Sync)]
        inside = {id(y) for x in all_stmts(sec.body) if isinstance(x, ir.Sync) for y in all_stmts(x.body)}
        reads = {e.id for x in unsynced if id(x) not in inside for e0 in stmt_exprs(x) for e in exprs(e0)
                 if isinstance(e, ir.Name)} - private
        writes.append((sec, w, reads))
    out = []
    for i, (sa, wa, _) in enumerate(writes):
        for sb, wb, rb in writes[i + 1:]:
            for n in sorted(wa & (wb | rb)):
                out.append(Finding("RACE-SECTIONS", f"'{n}' is written in the section at line {sa.loc.line} and used in the "
                                   f"section at line {sb.loc.line} of '#pragma omp {r.directive}'", sb.loc.line, sb.loc.column, n, "static"))
    return out


def _array_names(stmts, writes_only: bool) -> set[str]:
    out = set()
    for e in all_exprs(stmts):
        if isinstance(e, ir.Assign) or isinstance(e, ir.IncDec):
            t = e.target
            while isinstance(t, ir.Index):
                t = t.base
            if isinstance(t, ir.Name) and t is not e.target:
                out.add(t.id)
        elif not writes_only and isinstance(e, ir.Index):
            b = e.base
            while isinstance(b, ir.Index):
                b = b.base
            if isinstance(b, ir.Name):
                out.add(b.id)
    return out


def _nowait(body, private: set[str] = frozenset()) -> list[Finding]:
    out = []
    pending: dict[str, int] = {}  # array -> line of the nowait loop that writes it
    master: dict[str, int] = {}  # shared scalar -> line of the master block that writes it
    for st in body:
        if isinstance(st, ir.Sync) and st.kind == "barrier":
            pending.clear()
            master.clear()
            continue
        if master and not isinstance(st, ir.Sync):
            used = {e.id for e0 in stmt_exprs(st) for e in exprs(e0) if isinstance(e, ir.Name)}
            used |= {e.id for e in all_exprs(substmts(st)) if isinstance(e, ir.Name)}
            for n in sorted(used & set(master)):
                out.append(Finding("RACE-MASTER", f"'{n}' is written in the 'master' block at line {master[n]} and used by "
                                   "the other threads here without a barrier", st.loc.line, st.loc.column, n, "static"))
            master.clear()
        if isinstance(st, ir.Sync) and st.kind in ("master", "masked"):
            for n in written_names(st.body) - private:
                master[n] = st.loc.line
            continue
        loop = st.loop if isinstance(st, ir.ForStmt) else None
        worksharing = loop is not None and loop.pragma is not None and "for" in loop.pragma.directive.split()
        used = _array_names((st,), writes_only=False)
        if pending and not worksharing:
            for n in sorted(used & set(pending)):
                out.append(Finding("RACE-NOWAIT", f"'{n}' is written by the 'nowait' loop at line {pending[n]} and used here "
                                   "before any barrier", st.loc.line, st.loc.column, n, "static"))
        if worksharing:
            if "nowait" in loop.pragma.clauses:
                for n in _array_names(loop.body, writes_only=True) - private:
                    pending[n] = loop.loc.line
            else:
                pending.clear()  # the implicit barrier at the end of the loop
        elif isinstance(st, ir.Sync) and st.kind == "single":
            pending.clear()
    return out
