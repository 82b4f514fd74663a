"""Generic traversals of the IR."""
from __future__ import annotations

from collections.abc import Iterator

from . import ir


_FIELDS: dict[type, tuple[str, ...]] = {
    ir.Index: ("base", "index"), ir.Member: ("base",), ir.Unary: ("operand",),
    ir.Binary: ("left", "right"), ir.Assign: ("target", "value"), ir.IncDec: ("target",),
    ir.Cond: ("cond", "then", "other"), ir.Cast: ("expr",),
}


def children(e: ir.Expr) -> tuple[ir.Expr, ...]:
    t = type(e)
    f = _FIELDS.get(t)
    if f is not None:
        return tuple(getattr(e, n) for n in f)
    if t is ir.Call:
        return (e.func, *e.args)
    if t is ir.Comma:
        return e.exprs
    if t is ir.Opaque:
        return e.children
    return ()


# Per-translation-unit memo of whole-subtree walks (the IR is immutable); cleared by reset_caches().
_EXPRS_CACHE: dict[int, tuple[object, list]] = {}


def reset_caches() -> None:
    _EXPRS_CACHE.clear()


def exprs(e: ir.Expr) -> list[ir.Expr]:
    """Preorder over an expression tree."""
    out = []
    stack = [e]
    pop, push, get = stack.pop, stack.extend, _FIELDS.get
    while stack:
        x = pop()
        out.append(x)
        t = type(x)
        f = get(t)
        if f is not None:
            push([getattr(x, n) for n in reversed(f)])
        elif t is ir.Call:
            push(reversed((x.func, *x.args)))
        elif t is ir.Comma:
            push(reversed(x.exprs))
        elif t is ir.Opaque:
            push(reversed(x.children))
    return out


def names(e: ir.Expr) -> set[str]:
    return {x.id for x in exprs(e) if type(x) is ir.Name}


def stmt_exprs(s: ir.Stmt) -> Iterator[ir.Expr]:
    """Top-level expressions of a statement, not descending into nested statements."""
    if isinstance(s, ir.ExprStmt):
        yield s.expr
    elif isinstance(s, ir.Decl):
        for v in s.vars:
            if v.init is not None:
                yield v.init
    elif isinstance(s, (ir.If, ir.While, ir.Switch)):
        yield s.cond
    elif isinstance(s, ir.Jump) and s.value is not None:
        yield s.value


def substmts(s: ir.Stmt) -> tuple[ir.Stmt, ...]:
    if isinstance(s, ir.If):
        return s.then + s.orelse
    if isinstance(s, (ir.While, ir.Switch, ir.Block)):
        return s.body
    if isinstance(s, ir.ForStmt):
        return s.loop.init + s.loop.body
    return ()


def all_stmts(stmts: tuple[ir.Stmt, ...]) -> Iterator[ir.Stmt]:
    stack = list(reversed(stmts))
    while stack:
        s = stack.pop()
        yield s
        stack.extend(reversed(substmts(s)))


def all_exprs(stmts: tuple[ir.Stmt, ...]) -> list[ir.Expr]:
    """Every expression in the statements, loop headers of nested loops included (memoised)."""
    hit = _EXPRS_CACHE.get(id(stmts))
    if hit is not None and hit[0] is stmts:
        return hit[1]
    out = list(_all_exprs(stmts))
    _EXPRS_CACHE[id(stmts)] = (stmts, out)
    return out


def _all_exprs(stmts: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    for s in all_stmts(stmts):
        yield from (x for e in stmt_exprs(s) for x in exprs(e))
        if isinstance(s, ir.ForStmt):
            for e in (s.loop.cond, s.loop.update):
                if e is not None:
                    yield from exprs(e)


def declared_names(stmts: tuple[ir.Stmt, ...]) -> set[str]:
    out: set[str] = set()
    for s in all_stmts(stmts):
        if isinstance(s, ir.Decl):
            out.update(v.name for v in s.vars)
    return out


def base_name(e: ir.Expr) -> str | None:
    """The variable an lvalue is rooted in: a[i][j] -> a, p->x[i] -> p, *p -> p."""
    while True:
        if isinstance(e, ir.Name):
            return e.id
        if isinstance(e, ir.Index):
            e = e.base
        elif isinstance(e, ir.Member):
            e = e.base
        elif isinstance(e, ir.Unary) and e.op in ("*", "&"):
            e = e.operand
        elif isinstance(e, ir.Cast):
            e = e.expr
        elif isinstance(e, ir.Binary) and e.op in ("+", "-"):
            e = e.left
        else:
            return None


def nest_vars(loops: list, loop, depth: int) -> set[str]:
    """Loop variables of ``loop`` and the ``depth - 1`` loops nested first inside it (collapse, ordered(n))."""
    out: set[str] = set()
    for _ in range(max(depth, 1)):
        if loop.canonical is not None:
            out.add(loop.canonical.var)
        if not loop.children:
            break
        loop = loops[loop.children[0]]
    return out
