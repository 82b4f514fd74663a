"""Tasks followed statement by statement against their siblings (depend clauses) and their
generating task (taskwait, taskgroup, barriers)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..advise import FileAdvice
from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, declared_names, stmt_exprs
from .accesses import Acc, Env, accesses, overlap, stmt_accesses
from .context import threadprivate_names
from .directives import Dir, Directives, list_roots
from .findings import Finding


@dataclass(eq=False)
class _Task:
    line: int
    column: int
    deps: tuple[tuple[str, str], ...]  # (dependence type, variable)
    acc: tuple[Acc, ...]  # its own accesses to variables it shares with the generating task
    escaped: tuple[Acc, ...]  # accesses of descendant tasks nothing inside it waits for
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
    env: Env
    shared: object  # name -> bool: the generating task's variable is the one its children would share
    team_shared: object  # name -> bool: one variable for every thread of the team
    team: bool  # other threads may run the tasks (inside a parallel region)
    replicated: bool  # every thread of the team executes this code
    sync: bool = False
    sink: list | None = None  # collects the accesses of a task body


def _deps(d: Dir) -> tuple[tuple[str, str], ...]:
    out = []
    for a in d.args("depend"):
        a = re.sub(r"^\s*iterator\s*\([^)]*\)\s*,", "", a)
        kind, sep, items = a.partition(":")
        if sep:
            out.extend((kind.strip(), v) for v in list_roots(items))
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


def _undeferred(d: Dir) -> bool:
    return any(re.fullmatch(r"\s*(?:task\s*:)?\s*(?:0|false)\s*", a) for a in d.args("if"))


class _TaskCheck:
    """Tasks against their siblings and their generating task, one statement at a time.

    A child task is pending from its creation until a taskwait, the end of an enclosing taskgroup or a
    barrier; a 'taskwait depend(...)' or an undeferred task with depend clauses waits only for the tasks
    its dependences name. A taskwait does not wait for grandchildren. Sibling tasks are ordered only by
    dependences on the same variable; depend clauses do not order tasks of different parents.
    """

    def __init__(self, dirs: Directives, threadprivate: set[str]):
        self.dirs, self.threadprivate = dirs, threadprivate
        self.out: list[Finding] = []
        self._seen: set = set()

    def report(self, code: str, msg: str, a: Acc) -> None:
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
                    yield Dir(d.line, (w,), d.clauses, d.name)

    def construct(self, s: ir.Stmt, ds: list[Dir], st: _TState, cx: _Cx) -> _TState:
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
            self.region(s, Dir(s.loc.line, tuple(s.directive.split()), s.clauses), [], cx)
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
        accs = accesses(e, cx.env, cx.sync)
        if cx.sink is not None:
            cx.sink.extend(a for a in accs if cx.shared(a.name))
        if not cx.team:
            return
        for a in accs:
            for t in st.pending:
                for b in t.acc + t.escaped:
                    if overlap(a, b):
                        self.report("RACE-TASK", f"'{a.name}' is {'written' if a.write else 'read'} here while the task "
                                    f"at line {t.line}, which {'writes' if b.write else 'reads'} it, may still run "
                                    "(no taskwait, taskgroup, barrier or dependence waits for it)", a)
            for b in st.orphans:
                if overlap(a, b):
                    self.report("RACE-TASK", f"'{a.name}' is {'written' if a.write else 'read'} here while a task "
                                f"created inside another task ({'writing' if b.write else 'reading'} it at line "
                                f"{b.line}) may still run: taskwait waits for child tasks only", a)

    def wait(self, st: _TState, done: list[_Task]) -> None:
        ids = {id(t) for t in done} | {p for t in done for p in t.preds}
        for t in st.pending:
            if id(t) in ids:
                st.orphans.extend(o for o in t.escaped if o not in st.orphans)
        st.pending = [t for t in st.pending if id(t) not in ids]

    def task(self, s: ir.Stmt, d: Dir, rest: list[Dir], st: _TState, cx: _Cx) -> _TState:
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
            for a in stmt_accesses((s,), env):
                if a.write and not mine(a.name) and a.name not in inside and a.name not in self.threadprivate \
                        and a.name not in d.names("private") and not env.global_shared(a.name):
                    self.report("RACE-MERGEABLE", f"'{a.name}' is firstprivate in the mergeable task at line {d.line}: "
                                "when the task is merged the write goes to the generating task's variable", a)
        sink: list[Acc] = []
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
                    if overlap(a, b):
                        self.report("RACE-TASK-DEPEND", f"'{b.name}' is {'written' if b.write else 'read'} by the task at "
                                    f"line {d.line} and {'written' if a.write else 'read'} by the task at line {p.line} "
                                    "(or one it created); no dependence orders them", b)
                        break
            for a in st.orphans:
                for b in mine_all:
                    if overlap(a, b):
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

    def region(self, s: ir.Stmt, d: Dir, rest: list[Dir], cx: _Cx) -> None:
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
    dirs = Directives(tu)
    if not any(d.words[0] == "task" for d in dirs.attached()):
        return []
    threadprivate = threadprivate_names(tu)
    in_team = _functions_in_parallel(tu, dirs)
    chk = _TaskCheck(dirs, threadprivate)
    for fn in tu.functions:
        if not any(d.words and d.words[0] == "task" for st in all_stmts(fn.body) for d in dirs.of(st)):
            continue
        env = Env(tu, fn, threadprivate)
        cx = _Cx(env, env.global_shared, env.global_shared, fn.name in in_team, False)
        chk.run(fn.body, _TState([], []), cx)
    return chk.out


def _functions_in_parallel(tu: ir.TranslationUnit, dirs: Directives) -> set[str]:
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
