"""Variables visible in a function, and the accesses of expressions and statements to them."""
from __future__ import annotations

from dataclasses import dataclass

from ..frontend import ir
from ..frontend.walk import all_stmts, children, stmt_exprs, substmts


class Env:
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
class Acc:
    name: str
    key: object  # None: the whole variable; a tuple: constant subscripts; '?': some element
    write: bool
    line: int
    column: int
    sync: bool = False  # inside atomic or critical


def same_object(a: Acc, b: Acc) -> bool:
    """The two accesses may touch the same memory (constant subscripts compared; two unknown elements are not)."""
    if a.name != b.name:
        return False
    if a.key is None or b.key is None:
        return True
    return a.key != "?" and b.key != "?" and a.key == b.key


def overlap(a: Acc, b: Acc) -> bool:
    """A conflict: the same object, one access writing, not both inside atomic/critical constructs."""
    return (a.write or b.write) and not (a.sync and b.sync) and same_object(a, b)


def _object(t: ir.Expr, env: Env) -> tuple[str | None, object, list[ir.Expr]]:
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


def accesses(e: ir.Expr, env: Env, sync: bool) -> list[Acc]:
    out: list[Acc] = []

    def obj(t: ir.Expr, write: bool, read: bool) -> None:
        root, key, subs = _object(t, env)
        if root is not None and env.is_var(root):
            if write:
                out.append(Acc(root, key, True, t.loc.line, t.loc.column, sync))
            if read:
                out.append(Acc(root, key, False, t.loc.line, t.loc.column, sync))
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


def stmt_accesses(stmts, env: Env) -> list[Acc]:
    """Accesses of whole statements, marking those inside atomic/critical constructs."""
    out: list[Acc] = []

    def walk(ss, sync):
        for s in ss:
            here = sync or (isinstance(s, ir.Sync) and s.kind in ("atomic", "critical"))
            for e in stmt_exprs(s):
                out.extend(accesses(e, env, here))
            if isinstance(s, ir.ForStmt):
                for e in (s.loop.cond, s.loop.update):
                    if e is not None:
                        out.extend(accesses(e, env, here))
            walk(substmts(s), here)

    walk(stmts, False)
    return out
