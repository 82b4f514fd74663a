"""An upper bound on a loop's trip count from the arrays it indexes.

An iteration that always evaluates ``tt->dims[m]``, where ``dims`` is declared with ``MAX_NMODES``
(8) elements, can run at most 8 times in a correct program: one more would index past the end.
GCC bounds loops the same way (``infer_loop_bounds_from_array``). The bound is a cost fact: it says
when a loop is too short to share out among threads; no legality fact depends on it, so a wrong
one could only leave a loop serial.

Only what every iteration evaluates counts: the body's statements up to the first one that may
leave the iteration early (``continue``, ``break``, ``return``, ``goto``), and of those, the parts
evaluated unconditionally (not the right side of ``&&``/``||``, nor a branch of ``?:``, nor an
``if``'s branches, nor a nested loop's body: its header runs once, its body may not run).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..frontend import ir
from . import affine as A
from .affine import const

_BLOCKS = (ir.Block, ir.Sync)
_JUMPS = re.compile(r"\b(continue|break|return|goto|throw|longjmp)\b")


def trip_bound(loop: ir.Loop, decl_of: Callable[[ir.Expr], ir.VarDecl | None],
               invariant: Callable[[str], bool], constants: dict[str, int],
               labels: tuple[ir.Loc, ...] = (), macros: dict[str, str] | None = None,
               sizes: dict[str, int] | None = None) -> tuple[int, str] | None:
    """(bound, why) for the smallest bound an always-evaluated subscript gives, or None."""
    c = loop.canonical
    if c is None or any(loop.contains(at) for at in labels):  # (a goto may enter mid-body)
        return None
    b = A.AffineBuilder(lambda n: n == c.var, invariant, constants=constants)
    step = c.step
    if step is None:
        s = b.aff(c.step_expr) if c.step_expr is not None else None
        if s is None or not A.is_const(s) or A.const_value(s) == 0:
            return None
        step = A.const_value(s)
    best: tuple[int, str] | None = None
    macros = macros or {}
    sizes = sizes if sizes is not None else constants
    bsize = A.AffineBuilder(lambda n: False, lambda n: False, constants=sizes)
    for e in _always(loop.body):
        if any(type(x) is ir.Call and _JUMPS.search(macros.get(x.name, "")) for x in _evaluated(e, macros)):
            break  # ('SKIP_IF(c);' whose body says 'continue')
        for x in _evaluated(e, macros):
            if type(x) is not ir.Index or type(x.base) not in (ir.Name, ir.Member):
                continue
            d = decl_of(x.base)
            if d is None or d.extent is None or d.pointer_to_array or d.reference or not d.array:
                continue
            ext = d.extent  # ('d[NM]' with '#define NM 2*NB': one value between the brackets)
            size = const(sizes[ext.text]) if type(ext) in (ir.Name, ir.Opaque) and ext.text in sizes \
                else bsize.aff(ext)
            if size is None or not A.is_const(size) or A.const_value(size) < 2:
                continue
            sub = b.aff(x.index)
            coef = sub.get(c.var, 0) if sub is not None else 0
            if coef == 0 or any(k != A.ONE and k != c.var and type(k) is not str for k in sub):
                continue  # (a bilinear term: the stride is not known)
            # the subscripts of n iterations are n distinct values |coef * step| apart in [0, size)
            n = (A.const_value(size) - 1) // abs(coef * step) + 1
            if best is None or n < best[0]:
                what = f"'{x.text}', and '{x.base.text}' is declared with {d.extent.text}"
                if d.extent.text != str(A.const_value(size)):
                    what += f" (= {A.const_value(size)})"
                best = (n, what + " elements")
    return best


def _always(stmts: tuple[ir.Stmt, ...], out: list[ir.Expr] | None = None) -> list[ir.Expr]:
    """The expressions every iteration evaluates, in the order of the statements."""
    out = [] if out is None else out
    _read(stmts, out)
    return out


def _read(stmts: tuple[ir.Stmt, ...], out: list[ir.Expr]) -> bool:
    """Appends what ``stmts`` always evaluate; False where it had to stop early."""
    for st in stmts:
        t = type(st)
        if t is ir.ExprStmt:
            out.append(st.expr)
        elif t is ir.Decl:  # (a static local's initializer runs once)
            out.extend(v.init for v in st.vars if v.init is not None and not v.static)
        elif t in _BLOCKS:
            if t is ir.Block and len(st.body) > 1 and all(type(b) is ir.Block for b in st.body):
                return False  # a try and its handlers: a throw skips the rest of the try
            if not _read(st.body, out):
                return False
        elif t is ir.If or t is ir.Switch:
            out.append(st.cond)
        elif t is ir.While:
            if not st.do:  # (a do-while's condition comes after its body)
                out.append(st.cond)
        elif t is ir.ForStmt:
            _read(tuple(s for s in st.loop.init if type(s) in (ir.ExprStmt, ir.Decl)), out)
            if st.loop.cond is not None:
                out.append(st.loop.cond)
        else:
            return False  # a jump, an opaque statement, a parallel region: stop here
        if _may_leave(st):
            return False
    return True


def _may_leave(st: ir.Stmt, in_loop: bool = False, in_switch: bool = False) -> bool:
    """May ``st`` end the iteration before the statements after it run?"""
    t = type(st)
    if t is ir.Jump:
        return not ((st.kind == "break" and (in_loop or in_switch)) or (st.kind == "continue" and in_loop))
    if t is ir.OpaqueStmt:
        return True
    if t is ir.If:
        return any(_may_leave(s, in_loop, in_switch) for s in st.then + st.orelse)
    if t is ir.While:
        return any(_may_leave(s, True) for s in st.body)
    if t is ir.ForStmt:
        return any(_may_leave(s, True) for s in st.loop.body)
    if t is ir.Switch:
        return any(_may_leave(s, in_loop, True) for s in st.body)
    if isinstance(st, ir.Block):
        return any(_may_leave(s, in_loop, in_switch) for s in st.body)
    return False


def _evaluated(e: ir.Expr, macros: dict[str, str]) -> Iterator[ir.Expr]:
    """``e`` and its subexpressions that are evaluated whenever ``e`` is (not the arguments of a
    function-like macro, which may not evaluate them, nor of a compiler builtin)."""
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        t = type(x)
        if t is ir.Binary:
            stack.append(x.left)
            if x.op not in ("&&", "||"):
                stack.append(x.right)
        elif t is ir.Index:
            stack += (x.base, x.index)
        elif t is ir.Member or t is ir.Cast:
            stack.append(x.base if t is ir.Member else x.expr)
        elif t is ir.Unary:
            if x.op not in ("&", "sizeof", "alignof", "_Alignof"):  # ('&a[n]' may point one past the end)
                stack.append(x.operand)
        elif t is ir.Assign:
            stack += (x.target, x.value)
        elif t is ir.IncDec:
            stack.append(x.target)
        elif t is ir.Call:
            if x.name not in macros and not x.name.startswith("__builtin"):
                stack.extend(x.args)
        elif t is ir.Cond:
            stack.append(x.cond)
        elif t is ir.Comma:
            stack.extend(x.exprs)
        # (Opaque: sizeof, lambdas, initializer lists: not evaluated, or not known to be)
