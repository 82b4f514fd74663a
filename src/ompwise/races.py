"""Races in OpenMP code developers already wrote: a static check of annotated loops, plus Archer.

The static check reuses the legality analysis on each loop that carries a
worksharing or simd pragma and compares what the loop needs (privatized
scalars, reductions, no carried dependence) with what the pragma says.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field

from .advise import FileAdvice, LoopAdvice
from .api import Options, analyze_file
from .frontend import ir
from .frontend.pragma import parse_loop_clauses
from .frontend.source import InputError
from .frontend.walk import all_exprs, all_stmts, declared_names, exprs, nest_vars, stmt_exprs, substmts
from .analysis.scope import direct_writes, written_names

STATIC_CODES = {
    "RACE-MISSING-PRIVATE": "a scalar written in every iteration is shared",
    "RACE-MISSING-REDUCTION": "a reduction variable is updated without a reduction clause",
    "RACE-SCALAR": "a shared scalar carries a value between iterations",
    "RACE-DEPENDENCE": "two iterations access the same array element, one of them writing",
    "RACE-SHARED-WRITE": "every iteration writes the same shared object",
    "RACE-NOWAIT": "a loop with nowait writes an array that is used before the next barrier",
    "RACE-SECTIONS": "two sections write (or one writes and one reads) the same shared variable",
    "RACE-MASTER": "a master block writes a shared variable that other threads read without a barrier",
    "RACE-ARCHER": "Archer (ThreadSanitizer) observed a data race",
}
_THREADPRIVATE = re.compile(r"#\s*pragma\s+omp\s+threadprivate\s*\(([^)]*)\)")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    line: int
    column: int
    variable: str
    check: str  # 'static' or 'archer'

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "line": self.line, "column": self.column,
                "variable": self.variable, "check": self.check}


@dataclass
class RaceReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    dynamic: str = "not run"  # 'clean', 'race', 'not run', 'no main', 'build failed: ...', 'timeout'
    errors: list[str] = field(default_factory=list)

    @property
    def race(self) -> bool:
        return bool(self.findings)

    def to_json(self) -> dict:
        return {"path": self.path, "race": self.race, "findings": [f.to_json() for f in self.findings],
                "dynamic": self.dynamic, "errors": self.errors}


def _worksharing(directive: str) -> bool:
    words = directive.split()
    return any(w in words for w in ("for", "simd", "distribute", "loop", "taskloop"))


def _unsynced_writes(body: tuple[ir.Stmt, ...], across_teams: bool = False) -> set[str]:
    """Scalars written outside critical/atomic/ordered/single/master statements.

    Across teams only 'atomic' synchronizes: a critical section excludes the threads of one team.
    """
    out: set[str] = set()
    for s in body:
        if isinstance(s, ir.Sync) and (not across_teams or s.kind == "atomic"):
            continue
        out |= direct_writes(s)
        out |= _unsynced_writes(substmts(s), across_teams)
    return out


def static_findings(fa: FileAdvice) -> list[Finding]:
    threadprivate = {v.strip() for m in _THREADPRIVATE.finditer(fa.tu.source.decode("utf-8", "replace"))
                     for v in m.group(1).split(",")}
    teams = _loops_across_teams(fa.tu)
    out: list[Finding] = []
    for a in fa.loops:
        lp = a.loop
        if lp.pragma is None or not _worksharing(lp.pragma.directive) or a.legality is None or lp.canonical is None:
            continue
        out.extend(_loop_findings(fa, a, threadprivate, lp.id in teams))
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


def region_findings(fa: FileAdvice) -> list[Finding]:
    """Races between the statements of a parallel region: nowait loops and sections."""
    out: list[Finding] = []
    for fn in fa.tu.functions:
        for st in all_stmts(fn.body):
            if isinstance(st, ir.Region):
                words = st.directive.split()
                body = _region_body(st)
                if "sections" in words:
                    out.extend(_sections(st, body))
                if "parallel" in words:
                    private = _names_of(parse_loop_clauses(st.clauses)) | declared_names(body)
                    out.extend(_nowait(body, private))
    return out


def _region_body(r: ir.Region) -> tuple[ir.Stmt, ...]:
    body = r.body
    while len(body) == 1 and type(body[0]) is ir.Block:
        body = body[0].body
    return body


def _names_of(cl) -> set[str]:
    return set(cl.private) | set(cl.firstprivate) | set(cl.lastprivate) | {v for r in cl.reduction for v in r.vars}


def _sections(r: ir.Region, body) -> list[Finding]:
    private = _names_of(parse_loop_clauses(r.clauses))
    sections = [s for s in body if isinstance(s, ir.Region) and s.directive == "section"]
    if any(isinstance(e, ir.Call) and e.name in ("omp_set_lock", "omp_set_nest_lock") for e in all_exprs(body)):
        return []  # lock-protected sections: left to the dynamic check
    stmts_ = list(all_stmts(body))
    if any(isinstance(x, ir.While) for x in stmts_) and any(isinstance(x, ir.Sync) and x.kind in ("atomic", "critical") for x in stmts_):
        return []  # a flag handshake through atomics or critical sections: ordering the static check cannot see
    writes = []
    for sec in sections:
        w = {n for n in _unsynced_writes(sec.body) if n not in declared_names(sec.body)} - private
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
                for n in _array_names(loop.body, writes_only=True):
                    pending[n] = loop.loc.line
            else:
                pending.clear()  # the implicit barrier at the end of the loop
        elif isinstance(st, ir.Sync) and st.kind == "single":
            pending.clear()
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
    unsynced = _unsynced_writes(lp.body, across_teams=across_teams)
    where = f"'#pragma {lp.pragma.text}' at line {lp.pragma.line}"
    out: list[Finding] = []
    for s in lg.scalars:
        if s.name in covered or s.name not in unsynced or s.kind == "shared":
            continue
        if s.kind == "reduction":
            out.append(Finding("RACE-MISSING-REDUCTION", f"'{s.name}' is updated in every iteration "
                               f"({s.op} reduction) but {where} has no reduction({s.op}:{s.name})",
                               s.line, s.column, s.name, "static"))
        elif s.kind in ("carried", "linear"):
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


_MAIN = re.compile(rb"\bint\s+main\s*\(")


def dynamic_check(paths: list[str], extra_sources: list[str] = (), include_dirs: list[str] = (),
                  threads: int = 4, timeout_s: float = 60.0, runs: int = 3) -> tuple[str, list[Finding]]:
    """Build with Archer and run once; ('clean'|'race'|..., findings mapped to the user's files)."""
    from .verify import sandbox
    from .verify.archer import ARCHER_LIB, parse_reports
    from .verify.program import UNLIMITED, VerifyOptions, _locate, _Workspace, _variants, archer_available
    if not archer_available():
        return "not run (clang-14 with libarcher not installed)", []
    o = VerifyOptions(timing=False, use_cache=False, timeout_s=timeout_s)
    with tempfile.TemporaryDirectory(prefix="ompwise-races-") as root:
        ws = _Workspace(list(paths) + list(extra_sources), None, o, root)
        v = _variants(o)["archer"]
        if include_dirs:
            v = type(v)(v.name, v.cc, v.cflags + " " + " ".join(f"-I{d}" for d in include_dirs), v.ldflags)
        cmd, err = ws.build(v)
        if cmd is None:
            return f"build failed: {err[:200]}", []
        env = {"OMP_TOOL_LIBRARIES": ARCHER_LIB,
               "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 exitcode=0 halt_on_error=0 report_signal_unsafe=0"}
        lim = sandbox.Limits(wall_s=timeout_s, cpu_s=int(timeout_s * threads) + 10, memory_bytes=UNLIMITED)
        for _ in range(max(1, runs)):  # races depend on the schedule: a few runs find more of them
            r, _ = ws.run(v, cmd, threads, env, lim)
            races = [_locate(x, ws) for x in parse_reports(r.stderr.decode(errors="replace"))]
            if races:
                return "race", [Finding("RACE-ARCHER", f"data race on '{x.variable or '?'}' ({x.access})"
                                        + (f", other access at line {x.other_line}" if x.other_line else ""),
                                        x.line, x.column, x.variable, "archer") for x in races]
            if r.timed_out:
                return "timeout", []
        return "clean", []


def check_races(path: str, dynamic: bool = True, options: Options = Options(), threads: int = 4,
                timeout_s: float = 60.0, extra_sources: list[str] = ()) -> RaceReport:
    rep = RaceReport(path)
    try:
        fa = analyze_file(path, options)
    except InputError as e:
        rep.errors.append(str(e))
        return rep
    rep.errors.extend(f"{path}:{e.line}:{e.column}: error: {e.message}" for e in fa.errors[:1])
    rep.findings = static_findings(fa) + region_findings(fa)
    if dynamic:
        if _MAIN.search(fa.tu.source):
            status, found = dynamic_check([path], extra_sources, list(options.include_dirs), threads, timeout_s)
            rep.dynamic = status
            rep.findings.extend(found)
        else:
            rep.dynamic = "no main"
    return rep
