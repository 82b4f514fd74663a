"""Races in OpenMP code developers already wrote: a static check of annotated loops, plus Archer.

The static check reuses the legality analysis on each loop that carries a
worksharing or simd pragma and compares what the loop needs (privatized
scalars, reductions, no carried dependence) with what the pragma says.
Parallel regions are walked for nowait loops, sections, master blocks,
critical names, lock discipline, atomic/plain mixes and flag handshakes;
tasks are followed statement by statement against their siblings (depend
clauses) and their generating task (taskwait, taskgroup, barriers).
Archer reports on the runtime's own task storage are dropped.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field, replace

from .advise import FileAdvice, LoopAdvice
from .api import Options, analyze_file
from .frontend import ir
from .frontend.pragma import parse_clauses, parse_loop_clauses, split_directive
from .frontend.source import InputError
from .frontend.walk import all_exprs, all_stmts, children, declared_names, exprs, nest_vars, stmt_exprs, substmts
from .analysis.scope import direct_writes, written_names

from .reasons import RACE_CODES as STATIC_CODES  # noqa: E402 (the race checks' reason codes)
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
    threadprivate = _threadprivate(fa.tu)
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
                    names_ = _names_of(cl) | {v.strip() for v in re.findall(r"copyin\s*\(([^)]*)\)", st.clauses)
                                              for v in v.split(",")} | _automatic_names(_region_body(st))
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
                    private = _names_of(parse_loop_clauses(st.clauses)) | declared_names(body) | _threadprivate(fa.tu)
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
                for n in _array_names(loop.body, writes_only=True) - private:
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


# ---------------------------------------------------------------- directives recovered from the source text
# The IR keeps one pragma per statement (the innermost of a stack such as 'parallel' + 'single') and drops
# 'task', 'taskgroup' and 'teams'; the checks below read the pragma lines themselves and attach them to the
# statement that follows.

_STANDALONE = {"barrier", "taskwait", "taskyield", "flush", "cancel", "cancellation", "threadprivate",
               "declare", "requires", "depobj", "scan", "end", "allocate", "update", "enter", "exit"}


@dataclass(frozen=True)
class _Dir:
    line: int
    words: tuple[str, ...]
    clauses: str
    name: str = ""  # critical(name)

    def args(self, clause: str) -> list[str]:
        return [a for n, a in parse_clauses(self.clauses) if n == clause]

    def names(self, *clauses: str) -> set[str]:
        return {n for c in clauses for a in self.args(c) for n in _list_roots(a.split(":")[-1] if c in (
            "reduction", "in_reduction", "task_reduction", "lastprivate") else a)}


def _list_roots(arg: str) -> list[str]:
    """'x, a[i], *p, b[0:n]' -> ['x', 'a', 'p', 'b']"""
    out, depth, cur = [], 0, ""
    for ch in arg + ",":
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            m = re.match(r"\s*[*&(\s]*([A-Za-z_]\w*)", cur)
            if m:
                out.append(m.group(1))
            cur = ""
        else:
            cur += ch
    return out


def _code_lines(text: str) -> list[str]:
    """Source lines with comments removed (numbering unchanged)."""
    out, in_comment = [], False
    for raw in text.split("\n"):
        buf, i, quote = [], 0, None
        while i < len(raw):
            ch = raw[i]
            if in_comment:
                if raw.startswith("*/", i):
                    in_comment = False
                    i += 1
            elif quote:
                buf.append(ch)
                if ch == "\\" and i + 1 < len(raw):
                    buf.append(raw[i + 1])
                    i += 1
                elif ch == quote:
                    quote = None
            elif raw.startswith("/*", i):
                in_comment = True
                buf.append(" ")
                i += 1
            elif raw.startswith("//", i):
                break
            else:
                if ch in "\"'":
                    quote = ch
                buf.append(ch)
            i += 1
        out.append("".join(buf))
    return out


class _Directives:
    """'#pragma omp' lines of a file: by line, and the stack attached to each statement."""

    def __init__(self, tu: ir.TranslationUnit):
        lines = _code_lines(tu.source.decode("utf-8", "replace"))
        self.at: dict[int, _Dir] = {}
        attach: dict[int, tuple[int, list[_Dir]]] = {}
        pending: list[_Dir] = []
        i = 0
        while i < len(lines):
            s, ln = lines[i].strip(), i + 1
            if s.startswith("#"):
                while s.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    s = s[:-1] + " " + lines[i].strip()
                m = re.match(r"#\s*pragma\s+omp\s+(.*)", s)
                if m:
                    d = _parse_dir(ln, m.group(1))
                    self.at[ln] = d
                    pending = [] if (not d.words or d.words[0] in _STANDALONE) else pending + [d]
            elif s and pending:
                attach[ln] = (len(lines[i]) - len(lines[i].lstrip()) + 1, pending)
                pending = []
            i += 1
        self._of: dict[int, list[_Dir]] = {}
        taken: set[int] = set()
        for fn in tu.functions:
            for st in all_stmts(fn.body):
                a = attach.get(st.loc.line)
                if a and a[0] == st.loc.column and st.loc.line not in taken:
                    taken.add(st.loc.line)
                    self._of[id(st)] = a[1]

    def of(self, st: ir.Stmt) -> list[_Dir]:
        return self._of.get(id(st), [])

    def words(self, st: ir.Stmt) -> set[str]:
        return {w for d in self.of(st) for w in d.words}

    def attached(self):
        return (d for ds in self._of.values() for d in ds)


def _parse_dir(line: int, text: str) -> _Dir:
    directive, clauses = split_directive("omp " + text)
    if not directive and re.match(r"\s*flush\b", text):  # 'flush(x)' reads as a clause to split_directive
        directive, clauses = "flush", text.strip()[5:]
    m = re.match(r"\s*critical\s*\(\s*(\w+)\s*\)", text)
    return _Dir(line, tuple(directive.split()), clauses, m.group(1) if m else "")


# ---------------------------------------------------------------- variables and accesses

class _Env:
    """Variables visible in one function: its parameters and declarations, and the file's globals."""

    def __init__(self, tu: ir.TranslationUnit, fn: ir.Function, threadprivate: set[str]):
        self.globals = tu.globals
        self.threadprivate = threadprivate
        self.locals: dict[str, ir.VarDecl] = {p.name: p for p in fn.params}
        for st in all_stmts(fn.body):
            if isinstance(st, ir.Decl):
                for v in st.vars:
                    self.locals.setdefault(v.name, v)

    def decl(self, n: str) -> ir.VarDecl | None:
        return self.locals.get(n) or self.globals.get(n)

    def is_var(self, n: str) -> bool:
        d = self.decl(n)
        return d is not None and not _is_lock(d)

    def global_shared(self, n: str) -> bool:
        """Shared by every thread wherever it is used: a global or static variable, not threadprivate."""
        if n in self.threadprivate:
            return False
        if n in self.locals:
            return self.locals[n].static
        return n in self.globals and not _is_lock(self.globals[n])


def _is_lock(d: ir.VarDecl) -> bool:
    return "lock_t" in d.type


@dataclass(frozen=True)
class _Acc:
    name: str
    key: object  # None: the whole variable; a tuple: constant subscripts; '?': some element
    write: bool
    line: int
    column: int
    sync: bool = False  # inside atomic or critical


def _same_object(a: _Acc, b: _Acc) -> bool:
    """The two accesses may touch the same memory (constant subscripts compared; two unknown elements are not)."""
    if a.name != b.name:
        return False
    if a.key is None or b.key is None:
        return True
    return a.key != "?" and b.key != "?" and a.key == b.key


def _overlap(a: _Acc, b: _Acc) -> bool:
    """A conflict: the same object, one access writing, not both inside atomic/critical constructs."""
    return (a.write or b.write) and not (a.sync and b.sync) and _same_object(a, b)


def _object(t: ir.Expr, env: _Env) -> tuple[str | None, object, list[ir.Expr]]:
    """(root variable, key, sub-expressions read to locate it) of an lvalue-like expression."""
    subs: list[ir.Expr] = []
    consts: list[int] | None = []
    deref = False
    while True:
        if isinstance(t, ir.Index):
            subs.append(t.index)
            if consts is not None and isinstance(t.index, ir.Num) and isinstance(t.index.value, int):
                consts.insert(0, t.index.value)
            else:
                consts = None
            t = t.base
        elif isinstance(t, ir.Member):
            if t.arrow:
                deref = True
            t = t.base
        elif isinstance(t, ir.Unary) and t.op == "*":
            deref = True
            if not isinstance(t.operand, ir.Name):
                subs.append(t.operand)
                return None, None, subs
            t = t.operand
        elif isinstance(t, ir.Cast):
            t = t.expr
        else:
            break
    if not isinstance(t, ir.Name):
        subs.append(t)
        return None, None, subs
    d = env.decl(t.id)
    if subs and not deref:
        key = tuple(consts) if consts is not None else "?"
    elif deref or (d is not None and (d.array or d.pointer or d.dims)):
        key = "?"
    else:
        key = None
    return t.id, key, subs


def _accesses(e: ir.Expr, env: _Env, sync: bool) -> list[_Acc]:
    out: list[_Acc] = []

    def obj(t: ir.Expr, write: bool, read: bool) -> None:
        root, key, subs = _object(t, env)
        if root is not None and env.is_var(root):
            if write:
                out.append(_Acc(root, key, True, t.loc.line, t.loc.column, sync))
            if read:
                out.append(_Acc(root, key, False, t.loc.line, t.loc.column, sync))
        for s in subs:
            visit(s)

    def visit(x: ir.Expr) -> None:
        if isinstance(x, ir.Assign):
            obj(x.target, True, x.op != "=")
            visit(x.value)
        elif isinstance(x, ir.IncDec):
            obj(x.target, True, True)
        elif isinstance(x, (ir.Name, ir.Index, ir.Member)) or (isinstance(x, ir.Unary) and x.op == "*"):
            obj(x, False, True)
        elif isinstance(x, ir.Call):
            for a in x.args:
                visit(a)
        else:
            for c in children(x):
                visit(c)

    visit(e)
    return out


def _stmt_accesses(stmts, env: _Env) -> list[_Acc]:
    """Accesses of whole statements, marking those inside atomic/critical constructs."""
    out: list[_Acc] = []

    def walk(ss, sync):
        for s in ss:
            here = sync or (isinstance(s, ir.Sync) and s.kind in ("atomic", "critical"))
            for e in stmt_exprs(s):
                out.extend(_accesses(e, env, here))
            if isinstance(s, ir.ForStmt):
                for e in (s.loop.cond, s.loop.update):
                    if e is not None:
                        out.extend(_accesses(e, env, here))
            walk(substmts(s), here)

    walk(stmts, False)
    return out


# ---------------------------------------------------------------- tasks

@dataclass(eq=False)
class _Task:
    line: int
    column: int
    deps: tuple[tuple[str, str], ...]  # (dependence type, variable)
    acc: tuple[_Acc, ...]  # its own accesses to variables it shares with the generating task
    escaped: tuple[_Acc, ...]  # accesses of descendant tasks nothing inside it waits for
    preds: frozenset = frozenset()  # ids of the sibling tasks it is ordered after


@dataclass
class _TState:
    pending: list  # child tasks not known to be complete
    orphans: list  # accesses of descendants of completed children (taskwait waits only for children)
    dead: bool = False

    def fork(self) -> "_TState":
        return _TState(list(self.pending), list(self.orphans), self.dead)

    @staticmethod
    def merge(a: "_TState", b: "_TState") -> "_TState":
        if a.dead:
            return b
        if b.dead:
            return a
        return _TState(a.pending + [t for t in b.pending if all(t is not u for u in a.pending)],
                       a.orphans + [o for o in b.orphans if o not in a.orphans])


@dataclass(frozen=True)
class _Cx:
    env: _Env
    shared: object  # name -> bool: the generating task's variable is the one its children would share
    team_shared: object  # name -> bool: one variable for every thread of the team
    team: bool  # other threads may run the tasks (inside a parallel region)
    replicated: bool  # every thread of the team executes this code
    sync: bool = False
    sink: list | None = None  # collects the accesses of a task body


def _deps(d: _Dir) -> tuple[tuple[str, str], ...]:
    out = []
    for a in d.args("depend"):
        a = re.sub(r"^\s*iterator\s*\([^)]*\)\s*,", "", a)
        kind, sep, items = a.partition(":")
        if sep:
            out.extend((kind.strip(), v) for v in _list_roots(items))
    return tuple(out)


def _ordered(before, after) -> bool:
    """A dependence between two sibling tasks' depend clauses (in/in and mutexinoutset pairs do not order)."""
    for kb, vb in before:
        for ka, va in after:
            if vb == va and not (kb == ka and kb in ("in", "mutexinoutset", "inoutset")):
                return True
    return False


def _exclusive(a, b) -> bool:
    return any(ka == kb == "mutexinoutset" and va == vb for ka, va in a for kb, vb in b)


def _undeferred(d: _Dir) -> bool:
    return any(re.fullmatch(r"\s*(?:task\s*:)?\s*(?:0|false)\s*", a) for a in d.args("if"))


class _TaskCheck:
    """Tasks against their siblings and their generating task, one statement at a time.

    A child task is pending from its creation until a taskwait, the end of an enclosing taskgroup or a
    barrier; a 'taskwait depend(...)' or an undeferred task with depend clauses waits only for the tasks
    its dependences name. A taskwait does not wait for grandchildren. Sibling tasks are ordered only by
    dependences on the same variable; depend clauses do not order tasks of different parents.
    """

    def __init__(self, dirs: _Directives, threadprivate: set[str]):
        self.dirs, self.threadprivate = dirs, threadprivate
        self.out: list[Finding] = []
        self._seen: set = set()

    def report(self, code: str, msg: str, a: _Acc) -> None:
        k = (code, a.name, a.line)
        if k not in self._seen:
            self._seen.add(k)
            self.out.append(Finding(code, msg, a.line, a.column, a.name, "static"))

    # -- statements
    def run(self, stmts, st: _TState, cx: _Cx) -> _TState:
        for s in stmts:
            if st.dead:
                break
            st = self.construct(s, list(self._components(s)), st, cx)
        return st

    def _components(self, s: ir.Stmt):
        for d in self.dirs.of(s):
            if d.words and d.words[0] in ("task", "taskgroup", "taskloop", "critical"):
                yield d
            else:
                for w in d.words:
                    yield _Dir(d.line, (w,), d.clauses, d.name)

    def construct(self, s: ir.Stmt, ds: list[_Dir], st: _TState, cx: _Cx) -> _TState:
        if not ds:
            return self.plain(s, st, cx)
        d, rest = ds[0], ds[1:]
        w = d.words[0]
        if w == "task":
            return self.task(s, d, rest, st, cx)
        if w == "parallel":
            self.region(s, d, rest, cx)
            return st
        if w in ("target", "teams", "distribute", "taskloop"):
            return st  # device code and taskloop iterations: not modelled
        if w == "taskgroup":
            before, orphans_before = list(st.pending), list(st.orphans)
            st = self.construct(s, rest, st, cx)
            st.pending = [t for t in st.pending if any(t is u for u in before)]
            st.orphans = [o for o in st.orphans if o in orphans_before]
            return st
        if w in ("single", "master", "masked", "sections", "section"):
            st = self.construct(s, rest, st, replace(cx, replicated=False))
            if w in ("single", "sections") and "nowait" not in d.clauses:
                return _TState([], [], st.dead)
            return st
        if w in ("for", "do", "loop"):
            st = self.construct(s, rest, st, cx)
            return st if "nowait" in d.clauses else _TState([], [], st.dead)
        if w in ("critical", "atomic", "ordered"):
            return self.construct(s, rest, st, replace(cx, sync=True))
        return self.construct(s, rest, st, cx)

    def plain(self, s: ir.Stmt, st: _TState, cx: _Cx) -> _TState:
        if isinstance(s, ir.Region) and "parallel" in s.directive.split() and not self.dirs.of(s):  # pragma not recovered
            self.region(s, _Dir(s.loc.line, tuple(s.directive.split()), s.clauses), [], cx)
            return st
        if isinstance(s, ir.Sync) and not s.body and s.kind in ("barrier", "taskwait"):
            if s.kind == "barrier":
                return _TState([], [], st.dead)
            d = self.dirs.at.get(s.loc.line)
            deps = _deps(d) if d is not None else ()
            self.wait(st, [t for t in st.pending if not deps or _ordered(t.deps, deps)])
            return st
        if isinstance(s, (ir.ExprStmt, ir.Decl, ir.Jump)):
            for e in stmt_exprs(s):
                self.access(e, st, cx)
            if isinstance(s, ir.Jump) and s.kind in ("return", "throw"):
                st.dead = True
            return st
        if isinstance(s, ir.If):
            self.access(s.cond, st, cx)
            a = self.run(s.then, st.fork(), cx)
            b = self.run(s.orelse, st.fork(), cx)
            return _TState.merge(a, b)
        if isinstance(s, (ir.While, ir.ForStmt)):
            if isinstance(s, ir.ForStmt):
                st = self.run(s.loop.init, st, cx)
                heads = [e for e in (s.loop.cond, s.loop.update) if e is not None]
                body = s.loop.body
            else:
                heads, body = [s.cond], s.body
            for e in heads:
                self.access(e, st, cx)
            creates = any("task" in self.dirs.words(x) for x in all_stmts(body))
            one = self.run(body, st.fork(), cx)
            if creates and not one.dead:  # a second iteration meets the tasks of the first
                for e in heads:
                    self.access(e, one, cx)
                one = _TState.merge(one, self.run(body, one.fork(), cx))
            one.dead = False
            return _TState.merge(st, one)
        if isinstance(s, ir.Switch):
            self.access(s.cond, st, cx)
            st = self.run(s.body, st, cx)
            st.dead = False
            return st
        if isinstance(s, ir.Block):
            if isinstance(s, ir.Sync) and s.kind in ("critical", "atomic", "ordered"):
                cx = replace(cx, sync=True)
            elif isinstance(s, ir.Sync) and s.kind in ("single", "master", "masked", "thread-guard"):
                cx = replace(cx, replicated=False)
            return self.run(s.body, st, cx)
        return st

    def access(self, e: ir.Expr, st: _TState, cx: _Cx) -> None:
        accs = _accesses(e, cx.env, cx.sync)
        if cx.sink is not None:
            cx.sink.extend(a for a in accs if cx.shared(a.name))
        if not cx.team:
            return
        for a in accs:
            for t in st.pending:
                for b in t.acc + t.escaped:
                    if _overlap(a, b):
                        self.report("RACE-TASK", f"'{a.name}' is {'written' if a.write else 'read'} here while the task "
                                    f"at line {t.line}, which {'writes' if b.write else 'reads'} it, may still run "
                                    "(no taskwait, taskgroup, barrier or dependence waits for it)", a)
            for b in st.orphans:
                if _overlap(a, b):
                    self.report("RACE-TASK", f"'{a.name}' is {'written' if a.write else 'read'} here while a task "
                                f"created inside another task ({'writing' if b.write else 'reading'} it at line "
                                f"{b.line}) may still run: taskwait waits for child tasks only", a)

    def wait(self, st: _TState, done: list[_Task]) -> None:
        ids = {id(t) for t in done} | {p for t in done for p in t.preds}
        for t in st.pending:
            if id(t) in ids:
                st.orphans.extend(o for o in t.escaped if o not in st.orphans)
        st.pending = [t for t in st.pending if id(t) not in ids]

    def task(self, s: ir.Stmt, d: _Dir, rest: list[_Dir], st: _TState, cx: _Cx) -> _TState:
        env = cx.env
        inside = declared_names((s,))
        shared, private = d.names("shared"), d.names("private", "firstprivate", "in_reduction")
        default = (d.args("default") or [""])[0].strip()

        def mine(n: str) -> bool:  # the task's 'n' is the generating task's 'n'
            if n in inside or n in private:
                return False
            if n in shared or default == "shared":
                return True
            return default == "" and cx.team_shared(n)

        if re.search(r"\bmergeable\b", d.clauses):
            for a in _stmt_accesses((s,), env):
                if a.write and not mine(a.name) and a.name not in inside and a.name not in self.threadprivate \
                        and a.name not in d.names("private") and not env.global_shared(a.name):
                    self.report("RACE-MERGEABLE", f"'{a.name}' is firstprivate in the mergeable task at line {d.line}: "
                                "when the task is merged the write goes to the generating task's variable", a)
        sink: list[_Acc] = []
        inner = self.construct(s, rest, _TState([], []),
                               replace(cx, shared=mine, replicated=False, sync=False, sink=sink))
        escaped = [b for t in inner.pending for b in t.acc + t.escaped if mine(b.name)]
        escaped += [o for o in inner.orphans if mine(o.name)]
        deps = _deps(d)
        t = _Task(d.line, 1, deps, tuple(sink), tuple(escaped))
        preds: set[int] = set()
        for p in st.pending:
            if _ordered(p.deps, deps):
                preds |= {id(p)} | set(p.preds)
        t.preds = frozenset(preds)
        if cx.team:
            mine_all = t.acc + t.escaped
            for p in st.pending:
                pairs = [] if id(p) in preds or _exclusive(p.deps, deps) else [(a, b) for a in p.acc for b in mine_all]
                pairs += [(a, b) for a in p.escaped for b in mine_all]
                for a, b in pairs:
                    if _overlap(a, b):
                        self.report("RACE-TASK-DEPEND", f"'{b.name}' is {'written' if b.write else 'read'} by the task at "
                                    f"line {d.line} and {'written' if a.write else 'read'} by the task at line {p.line} "
                                    "(or one it created); no dependence orders them", b)
                        break
            for a in st.orphans:
                for b in mine_all:
                    if _overlap(a, b):
                        self.report("RACE-TASK-DEPEND", f"'{b.name}' is used by the task at line {d.line} while a task "
                                    f"created inside an earlier task (line {a.line}) may still run", b)
            if cx.replicated:
                for b in mine_all:
                    if b.write and not b.sync and cx.team_shared(b.name):
                        self.report("RACE-TASK", f"every thread of the team creates the task at line {d.line}, which "
                                    f"writes shared '{b.name}'; depend clauses order only sibling tasks", b)
        if _undeferred(d):  # runs now, after the sibling tasks its dependences name
            self.wait(st, [p for p in st.pending if id(p) in preds])
            st.orphans.extend(o for o in escaped if o not in st.orphans)
        else:
            st.pending.append(t)
        return st

    def region(self, s: ir.Stmt, d: _Dir, rest: list[_Dir], cx: _Cx) -> None:
        env = cx.env
        private = d.names("private", "firstprivate", "lastprivate", "reduction", "copyin", "linear")
        inside = declared_names((s,))
        default = (d.args("default") or [""])[0].strip()

        def team_shared(n: str) -> bool:
            if n in private or n in inside or n in self.threadprivate:
                return False
            if env.global_shared(n):
                return True
            return n in env.locals and default in ("", "shared")

        tcx = _Cx(env, team_shared, team_shared, True, True)
        if rest or not isinstance(s, ir.Region):
            self.construct(s, rest, _TState([], []), tcx)
        else:
            self.run(s.body, _TState([], []), tcx)


def task_findings(fa: FileAdvice) -> list[Finding]:
    """Races between tasks, and between tasks and the code that creates them."""
    tu = fa.tu
    dirs = _Directives(tu)
    if not any(d.words[0] == "task" for d in dirs.attached()):
        return []
    threadprivate = _threadprivate(tu)
    in_team = _functions_in_parallel(tu, dirs)
    chk = _TaskCheck(dirs, threadprivate)
    for fn in tu.functions:
        if not any(d.words and d.words[0] == "task" for st in all_stmts(fn.body) for d in dirs.of(st)):
            continue
        env = _Env(tu, fn, threadprivate)
        cx = _Cx(env, env.global_shared, env.global_shared, fn.name in in_team, False)
        chk.run(fn.body, _TState([], []), cx)
    return chk.out


def _threadprivate(tu: ir.TranslationUnit) -> set[str]:
    """Names declared threadprivate in the file or in the local headers it includes."""
    hit = _TP_CACHE.get(id(tu))
    if hit is not None and hit[0] is tu:
        return hit[1]
    texts = [tu.source.decode("utf-8", "replace")]
    base = os.path.dirname(os.path.abspath(tu.path)) if tu.path and tu.path != "<input>" else None
    seen: set[str] = set()
    todo = [texts[0]]
    while todo and base is not None:
        for inc in re.findall(r'#\s*include\s*"([^"]+)"', todo.pop()):
            p = os.path.normpath(os.path.join(base, inc))
            if p in seen or not os.path.isfile(p) or len(seen) > 64:
                continue
            seen.add(p)
            try:
                with open(p, encoding="utf-8", errors="replace") as fh:
                    t = fh.read(1 << 20)
            except OSError:
                continue
            texts.append(t)
            todo.append(t)
    out = {v.strip() for t in texts for m in _THREADPRIVATE.finditer(re.sub(r"\\\s*\n", " ", t))
           for v in m.group(1).split(",")}
    _TP_CACHE.clear()
    _TP_CACHE[id(tu)] = (tu, out)
    return out


_TP_CACHE: dict[int, tuple[ir.TranslationUnit, set[str]]] = {}


def _functions_in_parallel(tu: ir.TranslationUnit, dirs: _Directives) -> set[str]:
    """Functions called, directly or not, from inside a parallel construct."""
    calls = {fn.name: {e.name for e in all_exprs(fn.body) if isinstance(e, ir.Call)} for fn in tu.functions}
    todo = set()
    for fn in tu.functions:
        for st in all_stmts(fn.body):
            if "parallel" in dirs.words(st) or (isinstance(st, ir.Region) and "parallel" in st.directive.split()):
                todo |= {e.name for e in all_exprs((st,)) if isinstance(e, ir.Call)}
    out: set[str] = set()
    while todo:
        f = todo.pop()
        if f not in out:
            out.add(f)
            todo |= calls.get(f, set())
    return out


# ---------------------------------------------------------------- synchronization inside a parallel region

_LOCK_SET = ("omp_set_lock", "omp_set_nest_lock")
_LOCK_UNSET = ("omp_unset_lock", "omp_unset_nest_lock")
_LOCK_TEST = ("omp_test_lock", "omp_test_nest_lock")
_RELEASE = re.compile(r"\b(seq_cst|release|acq_rel)\b")
_ACQUIRE = re.compile(r"\b(seq_cst|acquire|acq_rel)\b")


@dataclass(frozen=True)
class _Ev:
    """An access to a team-shared variable, as a walk of a parallel region meets it."""
    acc: _Acc
    seq: int
    phase: int  # barriers passed since the region began
    unit: tuple  # who runs it: () every thread, ('tid', k), ('not', k), ('section', line), ('single', line)
    held: frozenset  # locks surely held
    uncertain: bool  # some lock is held on some paths only
    crit: frozenset  # names of the enclosing critical constructs
    atomic: bool


def _concurrent(a: _Ev, b: _Ev) -> bool:
    if a.phase != b.phase:
        return False
    return not (a.unit == b.unit and a.unit and a.unit[0] in ("tid", "section", "single"))


@dataclass(frozen=True)
class _Locks:
    must: frozenset = frozenset()  # held on every path
    may: frozenset = frozenset()  # held on some path

    def add(self, k: str) -> "_Locks":
        return _Locks(self.must | {k}, self.may | {k})

    def remove(self, k: str) -> "_Locks":
        return _Locks(self.must - {k}, self.may - {k})

    def __and__(self, o: "_Locks") -> "_Locks":  # paths joining
        return _Locks(self.must & o.must, self.may | o.may)


class _RegionWalk:
    """One pass over a parallel region in program order: accesses with the locks, critical names, thread
    guards and barrier phase under which they run; flag writes and spin-waits on flags."""

    def __init__(self, dirs: _Directives, env: _Env, team_shared, lock_functions: set[str]):
        self.dirs, self.env, self.team_shared, self.lock_functions = dirs, env, team_shared, lock_functions
        self.events: list[_Ev] = []
        self.flag_writes: list[tuple] = []  # (flag, seq, phase, unit, release, line)
        self.spins: list[tuple] = []  # (flag, seq after the loop, phase, unit, acquire, line of the atomic read)
        self.flushes = sorted(ln for ln, d in dirs.at.items() if d.words == ("flush",))
        self.seq = 0
        self.phase = 0
        self.unknown_locks = False
        self.tids: set[str] = set()

    def components(self, s: ir.Stmt) -> list[_Dir]:
        out = []
        for d in self.dirs.of(s):
            if d.words and d.words[0] in ("task", "taskgroup", "taskloop", "critical", "atomic"):
                out.append(d)
            else:
                out.extend(_Dir(d.line, (w,), d.clauses, d.name) for w in d.words)
        return out

    def run(self, stmts, held: _Locks, unit: tuple, crit: frozenset, atomic: str | None) -> _Locks:
        for s in stmts:
            held = self.construct(s, self.components(s), held, unit, crit, atomic)
        return held

    def construct(self, s, ds, held, unit, crit, atomic):
        if not ds:
            return self.plain(s, held, unit, crit, atomic)
        d, rest = ds[0], ds[1:]
        w = d.words[0]
        if w in ("parallel", "task", "taskloop", "target", "teams"):
            return held  # another team, or tasks: not this walk's business
        if w == "critical":
            return self.construct(s, rest, held, unit, crit | {d.name}, atomic)
        if w == "atomic":
            return self.construct(s, rest, held, unit, crit, d.clauses or " ")
        if w in ("single", "master", "masked", "section", "sections"):  # one thread runs it (a section, at a time)
            u = ("tid", 0) if w in ("master", "masked") else ("single" if w == "single" else "section", d.line)
            held = self.construct(s, rest, held, u, crit, atomic)
        else:
            held = self.construct(s, rest, held, unit, crit, atomic)
        if w in ("single", "sections", "for", "do", "loop") and "nowait" not in d.clauses:
            self.phase += 1
        return held

    def plain(self, s, held, unit, crit, atomic):
        if isinstance(s, ir.Sync) and not s.body:
            if s.kind == "barrier":
                self.phase += 1
            return held
        if isinstance(s, ir.Sync):
            if s.kind == "critical":
                crit = crit | {""} if not crit else crit
            elif s.kind == "atomic" and atomic is None:
                atomic = " "
            elif s.kind in ("master", "masked") and not unit:
                unit = ("tid", 0)
            elif s.kind == "single" and not unit:
                unit = ("single", s.loc.line)
            return self.run(s.body, held, unit, crit, atomic)
        if isinstance(s, ir.Region) and "parallel" in s.directive.split() and not self.dirs.of(s):
            return held
        if isinstance(s, (ir.ExprStmt, ir.Decl, ir.Jump)):
            for e in stmt_exprs(s):
                held = self.expr(e, held, unit, crit, atomic)
            if isinstance(s, ir.Decl):
                for v in s.vars:
                    if v.init is not None and _is_tid(v.init):
                        self.tids.add(v.name)
            return held
        if isinstance(s, ir.If):
            held = self.expr(s.cond, held, unit, crit, atomic)
            then_unit, else_unit = unit, unit
            k = self._guard(s.cond)
            if k is not None:
                then_unit, else_unit = ("tid", k), (unit or ("not", k))
            body = s.then
            if len(body) == 1 and isinstance(body[0], ir.Sync) and body[0].kind == "thread-guard":
                body = body[0].body
            a = self.run(body, held, then_unit, crit, atomic)
            b = self.run(s.orelse, held, else_unit, crit, atomic)
            return a & b
        if isinstance(s, (ir.While, ir.ForStmt)):
            if isinstance(s, ir.ForStmt):
                held = self.run(s.loop.init, held, unit, crit, atomic)
                heads, body = [e for e in (s.loop.cond, s.loop.update) if e is not None], s.loop.body
            else:
                heads, body = [s.cond], s.body
            for e in heads:
                held = self.expr(e, held, unit, crit, atomic)
            after = self.run(body, held, unit, crit, atomic)
            if isinstance(s, ir.While):
                self._spin(body, unit)
            return held & after
        if isinstance(s, (ir.Block, ir.Switch)):
            return self.run(s.body, held, unit, crit, atomic)
        return held

    def _guard(self, cond: ir.Expr) -> int | None:
        """k when the condition is 'tid == k' for a variable holding omp_get_thread_num()."""
        if isinstance(cond, ir.Binary) and cond.op == "==":
            for a, b in ((cond.left, cond.right), (cond.right, cond.left)):
                if ((isinstance(a, ir.Name) and a.id in self.tids) or _is_tid(a)) and isinstance(b, ir.Num) \
                        and isinstance(b.value, int):
                    return b.value
        return None

    def _spin(self, body, unit) -> None:
        """A loop that waits on a flag read atomically in its body."""
        for st in all_stmts(body):
            ds = [d for d in self.dirs.of(st) if d.words and d.words[0] == "atomic"]
            if ds and re.search(r"\bread\b", ds[0].clauses):
                inner = st.body if isinstance(st, ir.Sync) else (st,)
                for e in (x for y in inner for x in stmt_exprs(y)):
                    if isinstance(e, ir.Assign) and isinstance(e.value, ir.Name):
                        self.spins.append((e.value.id, self.seq, self.phase, unit,
                                           bool(_ACQUIRE.search(ds[0].clauses)), e.loc.line))

    def expr(self, e: ir.Expr, held, unit, crit, atomic):
        for c in exprs(e):
            if isinstance(c, ir.Call):
                if c.name in _LOCK_SET and c.args:
                    held = held.add(_lock_key(c.args[0]))
                elif c.name in _LOCK_UNSET and c.args:
                    held = held.remove(_lock_key(c.args[0]))
                elif c.name in _LOCK_TEST or c.name in self.lock_functions:
                    self.unknown_locks = True  # which locks are held then depends on values or on other functions
            elif isinstance(c, ir.Assign) and _is_tid(c.value) and isinstance(c.target, ir.Name):
                self.tids.add(c.target.id)
        self.seq += 1
        for a in _accesses(e, self.env, atomic is not None or bool(crit)):
            if self.team_shared(a.name):
                self.events.append(_Ev(a, self.seq, self.phase, unit, held.must, bool(held.may - held.must), crit,
                                       atomic is not None))
        if atomic is not None and re.search(r"\bwrite\b", atomic) and isinstance(e, ir.Assign) \
                and isinstance(e.target, ir.Name):
            self.flag_writes.append((e.target.id, self.seq, self.phase, unit, bool(_RELEASE.search(atomic)), e.loc.line))
        return held


def _is_tid(e: ir.Expr) -> bool:
    return isinstance(e, ir.Call) and e.name == "omp_get_thread_num"


def _lock_key(e: ir.Expr) -> str:
    """The lock an argument names; the elements of an array of locks are one key (which element is unknown)."""
    return re.sub(r"\[.*?\]", "[]", re.sub(r"\s+", "", e.text).lstrip("&"))


def _lock_functions(tu: ir.TranslationUnit) -> set[str]:
    """Functions of the file that set or unset a lock, directly or through calls."""
    calls = {fn.name: {e.name for e in all_exprs(fn.body) if isinstance(e, ir.Call)} for fn in tu.functions}
    out = {f for f, cs in calls.items() if cs & set(_LOCK_SET + _LOCK_UNSET + _LOCK_TEST)}
    changed = True
    while changed:
        changed = False
        for f, cs in calls.items():
            if f not in out and cs & out:
                out.add(f)
                changed = True
    return out


def sync_findings(fa: FileAdvice) -> list[Finding]:
    """Parallel regions: critical sections under different names, lock discipline, atomics mixed with plain
    accesses, flag handshakes without release/acquire ordering; teams: distribute loops without a barrier."""
    tu = fa.tu
    dirs = _Directives(tu)
    threadprivate = _threadprivate(tu)
    locks = _lock_functions(tu)
    out: list[Finding] = []
    seen: set = set()

    def report(code, msg, a: _Acc):
        if (code, a.name, a.line) not in seen:
            seen.add((code, a.name, a.line))
            out.append(Finding(code, msg, a.line, a.column, a.name, "static"))

    for fn in tu.functions:
        env = None
        for s in all_stmts(fn.body):
            ds = dirs.of(s)
            words = {w for d in ds for w in d.words}
            if "teams" in words:
                env = env or _Env(tu, fn, threadprivate)
                _distribute(s, ds, dirs, env, report)
            pd = next((d for d in ds if "parallel" in d.words), None)
            if pd is None:
                continue
            env = env or _Env(tu, fn, threadprivate)
            private = pd.names("private", "firstprivate", "lastprivate", "reduction", "copyin", "linear")
            inside = declared_names((s,))
            default = (pd.args("default") or [""])[0].strip()

            def team_shared(n, private=private, inside=inside, default=default, env=env):
                if n in private or n in inside or n in threadprivate:
                    return False
                return env.global_shared(n) or (n in env.locals and default in ("", "shared"))

            w = _RegionWalk(dirs, env, team_shared, locks)
            comps = w.components(s)
            i = next(k for k, c in enumerate(comps) if c.words[0] == "parallel")
            w.construct(s, comps[i + 1:], _Locks(), (), frozenset(), None)
            _region_rules(w, report)
    return out


def _crit_names(e: _Ev) -> str:
    return ", ".join(sorted(n or "<unnamed>" for n in e.crit))


def _region_rules(w: _RegionWalk, report) -> None:
    by_var: dict[str, list[_Ev]] = {}
    for e in w.events:
        by_var.setdefault(e.acc.name, []).append(e)
    for v, evs in by_var.items():
        if not any(e.crit or e.held or e.atomic for e in evs):
            continue
        for i, a in enumerate(evs):
            for b in evs[i:]:
                if not (a.acc.write or b.acc.write) or not _concurrent(a, b) or not _same_object(a.acc, b.acc):
                    continue
                if a is b and (a.unit and a.unit[0] in ("tid", "section", "single")):
                    continue
                first, second = (a, b) if a.seq <= b.seq else (b, a)
                if a.crit and b.crit and not (a.crit & b.crit):
                    report("RACE-CRITICAL-NAME", f"'{v}' is used under critical({_crit_names(first)}) at line "
                           f"{first.acc.line} and under critical({_crit_names(second)}) here: critical sections with "
                           "different names do not exclude each other", second.acc)
                if not w.unknown_locks and (a.held or b.held) and not (a.held & b.held) \
                        and not (a.uncertain or b.uncertain or a.crit or b.crit or a.atomic or b.atomic):
                    plain, locked = (a, b) if not a.held else (b, a)
                    report("RACE-LOCK", f"'{v}' is accessed holding lock '{', '.join(sorted(locked.held))}' at line "
                           f"{locked.acc.line} but {'without it' if not plain.held else 'with another lock'} here", plain.acc)
                if a.atomic != b.atomic and not (a.crit or b.crit):
                    at, pl = (a, b) if a.atomic else (b, a)
                    report("RACE-ATOMIC", f"'{v}' is accessed atomically at line {at.acc.line} and without "
                           "atomic here, by another thread, with no barrier between", pl.acc)
    # flag handshakes: data written before a flag, read after waiting on it
    def flushed(lo: int, hi: int) -> bool:
        return any(lo < f < hi for f in w.flushes)

    for flag, ws, phase, wunit, release, wline in w.flag_writes:
        for sflag, ss, sphase, sunit, acquire, sline in w.spins:
            if sflag != flag or sphase != phase or (sunit == wunit and sunit and sunit[0] != "not"):
                continue
            for d in w.events:
                if d.unit != wunit or not d.acc.write or d.seq >= ws or d.phase != phase or d.acc.name == flag:
                    continue
                for r in w.events:
                    if r.unit != sunit or r.seq <= ss or r.phase != phase or r.acc.name != d.acc.name:
                        continue
                    rel = release or flushed(d.acc.line, wline)
                    acq = acquire or flushed(sline, r.acc.line)
                    if not (rel and acq):
                        side = "write" if not rel else "read"
                        report("RACE-FLAG", f"'{d.acc.name}' is written at line {d.acc.line} before flag '{flag}' is set "
                               f"and used here after waiting on the flag, but the flag's atomic {side} has no "
                               f"{'release' if side == 'write' else 'acquire'} ordering (and no flush): the wait does "
                               "not order the accesses", r.acc)


def _distribute(s: ir.Stmt, ds: list[_Dir], dirs: _Directives, env: _Env, report) -> None:
    """Distribute loops of one teams region that share an array: no barrier synchronizes teams."""
    td = next(d for d in ds if "teams" in d.words)
    if "distribute" in td.words or re.search(r"num_teams\s*\(\s*1\s*\)", td.clauses):
        return
    inside = declared_names((s,))
    loops = [x for x in all_stmts((s,)) if isinstance(x, ir.ForStmt) and x is not s
             and "distribute" in dirs.words(x)]
    info = []
    for x in loops:
        lp = x.loop
        var = lp.var or ""
        d = next(d for d in dirs.of(x) if "distribute" in d.words)
        priv = d.names("private", "firstprivate", "lastprivate", "reduction")
        head = (_iteration_space(lp), tuple(d.args("dist_schedule")))
        arrays: dict[str, tuple[bool, set[str]]] = {}
        for a in _stmt_accesses(lp.body, env):
            if a.name in inside or a.name in priv or a.name == var or a.key is None:
                continue
            w, subs = arrays.get(a.name, (False, set()))
            arrays[a.name] = (w or a.write, subs | {(a.line, a.column)})
        texts = {n: {_rename(_subscript_text(x, n, l, c), var) for l, c in locs} for n, (_, locs) in arrays.items()}
        info.append((x, head, arrays, texts))
    for i, (x1, h1, a1, t1) in enumerate(info):
        for x2, h2, a2, t2 in info[i + 1:]:
            for n in sorted(set(a1) & set(a2)):
                if not (a1[n][0] or a2[n][0]):
                    continue
                if h1 == h2 and t1[n] == t2[n] and len(t1[n]) == 1:
                    continue  # the same iterations touch the same elements: the same team
                w1 = "written" if a1[n][0] else "read"
                line, col = min(a2[n][1])
                report("RACE-DISTRIBUTE", f"'{n}' is {w1} by the distribute loop at line {x1.loc.line} and "
                       f"{'written' if a2[n][0] else 'read'} by the one at line {x2.loc.line} with another "
                       "iteration-to-team mapping; distribute has no barrier and teams cannot synchronize",
                       _Acc(n, "?", a2[n][0], line, col))


def _iteration_space(lp: ir.Loop) -> tuple:
    c = lp.canonical
    if c is None:
        return (lp.header_text,)
    return tuple(_rename(x.text, c.var) if x is not None else None for x in (c.start, c.lower, c.upper)) + (c.step,)


def _rename(text: str, var: str) -> str:
    return re.sub(rf"\b{re.escape(var)}\b", "@", re.sub(r"\s+", "", text)) if var else re.sub(r"\s+", "", text)


def _subscript_text(x: ir.ForStmt, name: str, line: int, col: int) -> str:
    for e in all_exprs(x.loop.body):
        if isinstance(e, ir.Index) and e.loc.line == line and e.loc.column == col:
            return e.text
    return f"{name}@{line}:{col}"


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
            races = [x for x in (_locate(x, ws) for x in parse_reports(r.stderr.decode(errors="replace")))
                     if not _task_data_artifact(x)]
            if races:
                return "race", [Finding("RACE-ARCHER", f"data race on '{x.variable or '?'}' ({x.access})"
                                        + (f", other access at line {x.other_line}" if x.other_line else ""),
                                        x.line, x.column, x.variable, "archer") for x in races]
            if r.timed_out:
                return "timeout", []
        return "clean", []


_TASK_LINE = re.compile(r"#\s*pragma\s+omp\s+(?:[a-z_]+\s+)*?(?:task|taskloop)\b")


def _task_data_artifact(race) -> bool:
    """A report on the runtime's own task storage: one access is the task construct itself (copying the task's
    firstprivate values into its data block) and the memory is a heap block libomp allocated. libomp recycles
    task blocks through its own allocator, which ThreadSanitizer does not see, so the previous task's reads of
    its private copies look like they race with the next task's creation."""
    if not race.runtime_block:
        return False
    try:
        with open(race.file, encoding="utf-8", errors="replace") as fh:
            lines = _code_lines(fh.read())
    except OSError:
        return False
    return any(ln and 0 < ln <= len(lines) and _TASK_LINE.search(lines[ln - 1]) for ln in (race.line, race.other_line))


def check_races(path: str, dynamic: bool = True, options: Options = Options(), threads: int = 4,
                timeout_s: float = 60.0, extra_sources: list[str] = ()) -> RaceReport:
    rep = RaceReport(path)
    try:
        fa = analyze_file(path, options)
    except InputError as e:
        rep.errors.append(str(e))
        return rep
    rep.errors.extend(f"{path}:{e.line}:{e.column}: error: {e.message}" for e in fa.errors[:1])
    rep.findings = static_findings(fa) + region_findings(fa) + task_findings(fa) + sync_findings(fa)
    if dynamic:
        if _MAIN.search(fa.tu.source):
            status, found = dynamic_check([path], extra_sources, list(options.include_dirs), threads, timeout_s)
            rep.dynamic = status
            rep.findings.extend(found)
        else:
            rep.dynamic = "no main"
    return rep
