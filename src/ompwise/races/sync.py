"""Synchronization inside parallel and teams regions: critical names, lock discipline, atomics mixed
with plain accesses, flag handshakes, distribute loops."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..advise import FileAdvice
from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, declared_names, exprs, stmt_exprs
from .accesses import Acc, Env, accesses, same_object, stmt_accesses
from .context import threadprivate_names
from .directives import Dir, Directives
from .findings import Finding


_LOCK_SET = ("omp_set_lock", "omp_set_nest_lock")
_LOCK_UNSET = ("omp_unset_lock", "omp_unset_nest_lock")
_LOCK_TEST = ("omp_test_lock", "omp_test_nest_lock")
_RELEASE = re.compile(r"\b(seq_cst|release|acq_rel)\b")
_ACQUIRE = re.compile(r"\b(seq_cst|acquire|acq_rel)\b")


@dataclass(frozen=True)
class _Ev:
    """An access to a team-shared variable, as a walk of a parallel region meets it."""
    acc: Acc
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

    def __init__(self, dirs: Directives, env: Env, team_shared, lock_functions: set[str]):
        self.dirs, self.env, self.team_shared, self.lock_functions = dirs, env, team_shared, lock_functions
        self.events: list[_Ev] = []
        self.flag_writes: list[tuple] = []  # (flag, seq, phase, unit, release, line)
        self.spins: list[tuple] = []  # (flag, seq after the loop, phase, unit, acquire, line of the atomic read)
        self.flushes = sorted(ln for ln, d in dirs.at.items() if d.words == ("flush",))
        self.seq = 0
        self.phase = 0
        self.unknown_locks = False
        self.tids: set[str] = set()

    def components(self, s: ir.Stmt) -> list[Dir]:
        out = []
        for d in self.dirs.of(s):
            if d.words and d.words[0] in ("task", "taskgroup", "taskloop", "critical", "atomic"):
                out.append(d)
            else:
                out.extend(Dir(d.line, (w,), d.clauses, d.name) for w in d.words)
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
        for a in accesses(e, self.env, atomic is not None or bool(crit)):
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
    dirs = Directives(tu)
    threadprivate = threadprivate_names(tu)
    locks = _lock_functions(tu)
    out: list[Finding] = []
    seen: set = set()

    def report(code, msg, a: Acc):
        if (code, a.name, a.line) not in seen:
            seen.add((code, a.name, a.line))
            out.append(Finding(code, msg, a.line, a.column, a.name, "static"))

    for fn in tu.functions:
        env = None
        for s in all_stmts(fn.body):
            ds = dirs.of(s)
            words = {w for d in ds for w in d.words}
            if "teams" in words:
                env = env or Env(tu, fn, threadprivate)
                _distribute(s, ds, dirs, env, report)
            pd = next((d for d in ds if "parallel" in d.words), None)
            if pd is None:
                continue
            env = env or Env(tu, fn, threadprivate)
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
                if not (a.acc.write or b.acc.write) or not _concurrent(a, b) or not same_object(a.acc, b.acc):
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


def _distribute(s: ir.Stmt, ds: list[Dir], dirs: Directives, env: Env, report) -> None:
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
        for a in stmt_accesses(lp.body, env):
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
                       Acc(n, "?", a2[n][0], line, col))


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
