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
from .frontend.walk import all_exprs, all_stmts, declared_names, substmts
from .analysis.scope import written_names

STATIC_CODES = {
    "RACE-MISSING-PRIVATE": "a scalar written in every iteration is shared",
    "RACE-MISSING-REDUCTION": "a reduction variable is updated without a reduction clause",
    "RACE-SCALAR": "a shared scalar carries a value between iterations",
    "RACE-DEPENDENCE": "two iterations access the same array element, one of them writing",
    "RACE-SHARED-WRITE": "every iteration writes the same shared object",
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


def _unsynced_writes(body: tuple[ir.Stmt, ...]) -> set[str]:
    """Scalars written outside critical/atomic/ordered/single/master statements."""
    out: set[str] = set()
    for s in body:
        if isinstance(s, ir.Sync):
            continue
        if substmts(s):
            out |= written_names(s) - written_names(tuple(x for x in all_stmts(substmts(s)) if isinstance(x, ir.Sync)))
            out |= _unsynced_writes(substmts(s))
        else:
            out |= written_names(s)
    return out


def static_findings(fa: FileAdvice) -> list[Finding]:
    threadprivate = {v.strip() for m in _THREADPRIVATE.finditer(fa.tu.source.decode("utf-8", "replace"))
                     for v in m.group(1).split(",")}
    out: list[Finding] = []
    for a in fa.loops:
        lp = a.loop
        if lp.pragma is None or not _worksharing(lp.pragma.directive) or a.legality is None or lp.canonical is None:
            continue
        out.extend(_loop_findings(fa, a, threadprivate))
    return out


def _collapsed_ivs(fa: FileAdvice, lp: ir.Loop, n: int) -> set[str]:
    ivs = set()
    for _ in range(max(n, 1)):
        if lp.canonical is not None:
            ivs.add(lp.canonical.var)
        if not lp.children:
            break
        lp = fa.tu.loops[lp.children[0]]
    return ivs


def _loop_findings(fa: FileAdvice, a: LoopAdvice, threadprivate: set[str]) -> list[Finding]:
    lp, lg = a.loop, a.legality
    if any(isinstance(e, ir.Call) and e.name in ("omp_set_lock", "omp_set_nest_lock") for e in all_exprs(lp.body)):
        return []  # lock-protected updates: left to the dynamic check
    cl = parse_loop_clauses(lp.pragma.clauses)
    red = {v: r.op for r in cl.reduction for v in r.vars}
    covered = set(cl.private) | set(cl.firstprivate) | set(cl.lastprivate) | {v for v, _ in cl.linear} | set(red)
    m = re.search(r"\bordered\s*\(\s*(\d+)\s*\)", lp.pragma.clauses)
    depth = max(cl.collapse or 1, int(m.group(1)) if m else 1)  # ordered(n) associates n loops too
    covered |= _collapsed_ivs(fa, lp, depth) | threadprivate | declared_names(lp.body)
    unsynced = _unsynced_writes(lp.body)
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
    rep.findings = static_findings(fa)
    if dynamic:
        if _MAIN.search(fa.tu.source):
            status, found = dynamic_check([path], extra_sources, list(options.include_dirs), threads, timeout_s)
            rep.dynamic = status
            rep.findings.extend(found)
        else:
            rep.dynamic = "no main"
    return rep
