"""Generic traversals of the IR."""
from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from . import ir


_FIELDS: dict[type, tuple[str, ...]] = {
    ir.Index: ("base", "index"), ir.Member: ("base",), ir.Unary: ("operand",),
    ir.Binary: ("left", "right"), ir.Assign: ("target", "value"), ir.IncDec: ("target",),
    ir.Cond: ("cond", "then", "other"), ir.Cast: ("expr",),
}

# type -> a function giving the node's children as a tuple, in order (leaf types are absent)
CHILDREN_OF: dict[type, Callable] = {t: attrgetter(*f) for t, f in _FIELDS.items() if len(f) > 1}
# type -> the children in reverse order, for the preorder stack
_RKIDS: dict[type, Callable] = {t: attrgetter(*reversed(f)) for t, f in _FIELDS.items() if len(f) > 1}
for _t, _f in _FIELDS.items():
    if len(_f) == 1:
        CHILDREN_OF[_t] = _RKIDS[_t] = (lambda g: lambda x: (g(x),))(attrgetter(_f[0]))
CHILDREN_OF[ir.Call] = lambda x: (x.func, *x.args)
_RKIDS[ir.Call] = lambda x: (*x.args[::-1], x.func)
CHILDREN_OF[ir.Comma] = attrgetter("exprs")
_RKIDS[ir.Comma] = lambda x: x.exprs[::-1]
CHILDREN_OF[ir.Opaque] = attrgetter("children")
_RKIDS[ir.Opaque] = lambda x: x.children[::-1]
del _t, _f


def children(e: ir.Expr) -> tuple[ir.Expr, ...]:
    g = CHILDREN_OF.get(type(e))
    return g(e) if g is not None else ()


# Per-translation-unit memos of whole-subtree walks (the IR is immutable); cleared by reset_caches().
# Keys are ids; each entry keeps its node alive so that an id is never reused while cached.
_EXPRS_CACHE: dict[int, tuple[object, list]] = {}
_STMT_EXPRS: dict[int, tuple[object, list]] = {}
_EXPR_LISTS: dict[int, list] = {}
_STMTS_CACHE: dict[int, tuple[object, list]] = {}
_STMT_STMTS: dict[int, list] = {}
_CACHE_MAX = 200_000  # entries; walks outside advise() are never reset, so the memos stay bounded


_BY_TYPE: dict[int, tuple[object, dict]] = {}
_NAMES: dict[int, tuple[object, frozenset]] = {}


def reset_caches() -> None:
    _BY_TYPE.clear()
    _NAMES.clear()
    _EXPRS_CACHE.clear()
    _STMT_EXPRS.clear()
    _EXPR_LISTS.clear()
    _STMTS_CACHE.clear()
    _STMT_STMTS.clear()


def exprs(e: ir.Expr) -> list[ir.Expr]:
    """Preorder over an expression tree (memoised; the list must not be modified)."""
    hit = _EXPR_LISTS.get(id(e))
    if hit is not None and hit[0] is e:
        return hit
    out = []
    stack = [e]
    pop, push, add, get = stack.pop, stack.extend, out.append, _RKIDS.get
    while stack:
        x = pop()
        add(x)
        g = get(type(x))
        if g is not None:
            push(g(x))
    if len(_EXPR_LISTS) >= _CACHE_MAX:
        _EXPR_LISTS.clear()  # walks outside advise() are never reset: stay bounded
    _EXPR_LISTS[id(e)] = out  # out[0] is e, which keeps the id from being reused
    return out


def names(e: ir.Expr) -> frozenset[str]:
    """The variable names in an expression (memoised: the analyses ask again per nested loop)."""
    hit = _NAMES.get(id(e))
    if hit is not None and hit[0] is e:
        return hit[1]
    Name = ir.Name
    out = frozenset([x.id for x in exprs(e) if type(x) is Name])
    if len(_NAMES) >= _CACHE_MAX:
        _NAMES.clear()
    _NAMES[id(e)] = (e, out)  # keeps e alive, so its id is not reused while cached
    return out


def _se_expr(s):
    return (s.expr,)


def _se_decl(s):
    return tuple(v.init for v in s.vars if v.init is not None)


def _se_cond(s):
    return (s.cond,)


def _se_jump(s):
    return (s.value,) if s.value is not None else ()


_STMT_EXPR_OF = {ir.ExprStmt: _se_expr, ir.Decl: _se_decl, ir.If: _se_cond, ir.While: _se_cond,
                 ir.Switch: _se_cond, ir.Jump: _se_jump}


def stmt_exprs(s: ir.Stmt) -> tuple[ir.Expr, ...]:
    """Top-level expressions of a statement, not descending into nested statements."""
    g = _STMT_EXPR_OF.get(type(s))
    return g(s) if g is not None else ()


def _sub_if(s):
    return s.then + s.orelse


def _sub_body(s):
    return s.body


def _sub_for(s):
    lp = s.loop
    return lp.init + lp.body


_SUBSTMTS = {ir.If: _sub_if, ir.While: _sub_body, ir.Switch: _sub_body, ir.Block: _sub_body,
             ir.Sync: _sub_body, ir.Region: _sub_body, ir.ForStmt: _sub_for}


def substmts(s: ir.Stmt) -> tuple[ir.Stmt, ...]:
    g = _SUBSTMTS.get(type(s))
    return g(s) if g is not None else ()


def all_stmts(stmts: tuple[ir.Stmt, ...]) -> list[ir.Stmt]:
    """Preorder over statements and the statements nested in them (memoised; do not modify the list)."""
    key = id(stmts)
    hit = _STMTS_CACHE.get(key)
    if hit is not None and hit[0] is stmts:
        return hit[1]
    if len(_STMT_STMTS) >= _CACHE_MAX:
        reset_caches()
    out: list[ir.Stmt] = []
    get = _SUBSTMTS.get
    for s in stmts:
        if get(type(s)) is None:
            out.append(s)  # a simple statement: nothing nested, nothing to memoise
        else:
            out += _stmt_all_stmts(s)
    if type(stmts) is tuple:  # a list could change under the memo
        _STMTS_CACHE[key] = (stmts, out)
    return out


def _stmt_all_stmts(s: ir.Stmt) -> list[ir.Stmt]:
    hit = _STMT_STMTS.get(id(s))
    if hit is not None and hit[0] is s:
        return hit
    out = [s]
    get = _SUBSTMTS.get
    g = get(type(s))
    if g is not None:
        for sub in g(s):
            if get(type(sub)) is None:
                out.append(sub)
            else:
                out += _stmt_all_stmts(sub)
    _STMT_STMTS[id(s)] = out  # out[0] is s, which keeps the id from being reused
    return out


def all_exprs(stmts: tuple[ir.Stmt, ...]) -> list[ir.Expr]:
    """Every expression in the statements, loop headers of nested loops included (memoised; do not modify)."""
    hit = _EXPRS_CACHE.get(id(stmts))
    if hit is not None and hit[0] is stmts:
        return hit[1]
    if len(_STMT_EXPRS) >= _CACHE_MAX:
        reset_caches()
    out: list[ir.Expr] = []
    for s in stmts:
        out += _stmt_all_exprs(s)
    if type(stmts) is tuple:  # a list could change under the memo
        _EXPRS_CACHE[id(stmts)] = (stmts, out)
    return out


def exprs_by_type(stmts: tuple[ir.Stmt, ...]) -> dict[type, list[ir.Expr]]:
    """``all_exprs(stmts)`` grouped by node type, each group in preorder (memoised; do not modify).

    The per-loop scans each want one or two node types (calls, assignments): one grouping
    pass spares each of them a walk over every expression."""
    hit = _BY_TYPE.get(id(stmts))
    if hit is not None and hit[0] is stmts:
        return hit[1]
    out: dict[type, list[ir.Expr]] = {}
    get = out.get
    for e in all_exprs(stmts):
        group = get(type(e))
        if group is None:
            out[type(e)] = [e]
        else:
            group.append(e)
    if type(stmts) is tuple:  # a list could change under the memo
        if len(_BY_TYPE) >= _CACHE_MAX:
            _BY_TYPE.clear()
        _BY_TYPE[id(stmts)] = (stmts, out)
    return out


def subtree_exprs(s: ir.Stmt) -> list[ir.Expr]:
    """The expressions of one statement and of everything nested in it: ``all_exprs((s,))`` (memoised)."""
    return _stmt_all_exprs(s)


def _stmt_all_exprs(s: ir.Stmt) -> list[ir.Expr]:
    """The expressions of one statement and of everything nested in it, in preorder (memoised)."""
    t = type(s)
    if t is ir.ExprStmt:
        return exprs(s.expr)  # memoised there
    hit = _STMT_EXPRS.get(id(s))
    if hit is not None and hit[0] is s:
        return hit[1]
    out: list[ir.Expr] = []
    g = _STMT_EXPR_OF.get(t)
    if g is not None:
        for e in g(s):
            out += exprs(e)
    elif t is ir.ForStmt:
        lp = s.loop
        if lp.cond is not None:
            out += exprs(lp.cond)
        if lp.update is not None:
            out += exprs(lp.update)
    g = _SUBSTMTS.get(t)
    if g is not None:
        for sub in g(s):
            out += _stmt_all_exprs(sub)
    _STMT_EXPRS[id(s)] = (s, out)
    return out


def declared_names(stmts: tuple[ir.Stmt, ...]) -> set[str]:
    out: set[str] = set()
    Decl = ir.Decl
    for s in all_stmts(stmts):
        if type(s) is Decl:
            out.update(v.name for v in s.vars)
    return out


def base_name(e: ir.Expr) -> str | None:
    """The variable an lvalue is rooted in: a[i][j] -> a, p->x[i] -> p, *p -> p."""
    while True:
        t = type(e)
        if t is ir.Name:
            return e.id
        if t is ir.Index or t is ir.Member:
            e = e.base
        elif t is ir.Unary and e.op in ("*", "&"):
            e = e.operand
        elif t is ir.Cast:
            e = e.expr
        elif t is ir.Binary and e.op in ("+", "-"):
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


def enclosing_loops(tu: ir.TranslationUnit, loop: ir.Loop) -> list[ir.Loop]:
    """The loops around ``loop`` in its function, innermost first."""
    out = []
    while loop.parent is not None:
        loop = tu.loops[loop.parent]
        out.append(loop)
    return out
