"""C++ objects in loops: accessor calls as the array accesses they are, and which objects a loop
creates (only those run a constructor and a destructor in it)."""
from __future__ import annotations

import re

from ..frontend import ir

_WORD = re.compile(r"[A-Za-z_]\w*")


def class_of(type_text: str, classes) -> str | None:
    """The first word of a declared type that names one of ``classes`` ('clover::Buffer2D<double> &')."""
    return next((w for w in _WORD.findall(type_text) if w in classes), None)


def accessor_access(call: ir.Call, tu: ir.TranslationUnit, decl) -> tuple[str, ir.Expr, ir.Expr] | None:
    """``obj.x(i)`` or ``obj(i, j)`` where the method returns a reference to ``member[subscript]``:
    (array key 'obj.member', the subscript with the call's arguments and obj's members in it,
    the object expression). None for other calls. ``decl(name)`` finds a variable's declaration."""
    table = tu.accessor_exprs
    if not table:
        return None
    f = call.func
    if type(f) is ir.Member:
        base, method = f.base, f.field
        if type(base) is ir.Unary and base.op == "*" and type(base.operand) is ir.Name:
            base = base.operand  # (a reference 'r.x(i)')
    elif type(f) is ir.Unary and f.op == "*" and type(f.operand) is ir.Name:
        base, method = f.operand, "operator()"  # a local functor: 'density(i, j)'
    elif type(f) is ir.Name and "::" not in f.id:
        base, method = f, "operator()"
    else:
        return None
    entry = None
    if type(f) is ir.Member and method in tu.fields and not any(m == method for _, m in table):
        # 'field.density0(i, j)': the member is an object whose operator() is the accessor
        cls = class_of(tu.fields[method].type, {c for c, _ in table})
        entry = table.get((cls, "operator()")) if cls else None
        if entry is not None:
            base = f
    elif type(base) is ir.Name:
        d = decl(base.id)
        if d is None or d.pointer or d.array:
            return None
        cls = class_of(d.type, {c for c, _ in table})
        entry = table.get((cls, method)) if cls else None
    elif method != "operator()" and method not in tu.non_accessors:
        found = {v for (c, m), v in table.items() if m == method}
        entry = found.pop() if len(found) == 1 else None  # one class with that accessor: no doubt
    if entry is None:
        return None
    member, params, sub = entry
    if len(params) != len(call.args):
        return None
    args = dict(zip(params, call.args))
    return member_key(base.text, member, tu), substitute(sub, args, base), base


def member_key(obj_text: str, member: str, tu: ir.TranslationUnit) -> str:
    """The array an accessor of ``obj`` returns an element of: 'obj.m_x' for a member; the
    global or static member itself ('g') when it is not a member of each object, which every
    object (and the loop's own 'g[i]') shares."""
    d = tu.fields.get(member)
    if d is None or d.static:
        return member
    return f"{_strip(obj_text)}.{member}"


def _strip(text: str) -> str:
    return "".join(text.split())


def macro_access(call: ir.Call, tu: ir.TranslationUnit) -> tuple[str, ir.Expr] | None:
    """``rho(i, j, k)`` with '#define rho(i,j,k) a_rho[(i-ifirst)+ni*(j-jfirst)+nij*(k-kfirst)]':
    (the array, the subscript with the arguments in it); None for other calls."""
    name = call.name
    if type(call.func) is not ir.Name or name not in tu.fmacros:
        return None
    params = tu.fmacro_params.get(name)
    body = tu.fmacros[name]
    if name in tu.fmacro_redefined:
        # redefined (sw4lite's '#define rho(i,j,k) ...' in every kernel): the use expands to
        # the last definition above it; none above (a header's?) is not decided
        above = [d for d in tu.fmacro_defs.get(name, ()) if d[0] < call.loc.line]
        if not above:
            return None
        _, body, params = above[-1]
    if params is None or len(params) != len(call.args) or "[" not in body:
        return None
    from .macros import _macro_function
    f = _macro_function(name, tuple(params), body, tu.language)
    if f is None or len(f.body) != 1 or type(f.body[0]) is not ir.ExprStmt:
        return None
    x = f.body[0].expr
    if type(x) is not ir.Index or type(x.base) is not ir.Name or x.base.id in params:
        return None
    # (a macro's parameters were lowered as references: '*i' stands for the argument 'i')
    args = dict(zip(params, call.args))
    return x.base.id, substitute(_unref(x.index, set(params)), args, None)


def _unref(e: ir.Expr, params: set[str]) -> ir.Expr:
    if type(e) is ir.Unary and e.op == "*" and type(e.operand) is ir.Name and e.operand.id in params:
        return e.operand
    t = type(e)
    if t is ir.Binary:
        return ir.Binary(e.loc, e.text, e.op, _unref(e.left, params), _unref(e.right, params))
    if t is ir.Unary:
        return ir.Unary(e.loc, e.text, e.op, _unref(e.operand, params))
    if t is ir.Cast:
        return ir.Cast(e.loc, e.text, e.type, _unref(e.expr, params))
    if t is ir.Index:
        return ir.Index(e.loc, e.text, _unref(e.base, params), _unref(e.index, params))
    return e


def substitute(e: ir.Expr, args: dict[str, ir.Expr], obj: ir.Expr | None) -> ir.Expr:
    """``e`` with parameters replaced by the call's arguments and other names by obj's members
    (kept as they are without an object: a macro's words are the caller's). Texts are rebuilt
    (parenthesized) so equal subscripts get equal texts."""
    t = type(e)
    if t is ir.Name:
        if e.id in args:
            return args[e.id]
        if obj is None:
            return e
        return ir.Member(e.loc, f"{obj.text}.{e.id}", obj, e.id, False)
    if t is ir.Num:
        return e
    if t is ir.Binary:
        l, r = substitute(e.left, args, obj), substitute(e.right, args, obj)
        return ir.Binary(e.loc, f"({l.text} {e.op} {r.text})", e.op, l, r)
    if t is ir.Unary:
        o = substitute(e.operand, args, obj)
        return ir.Unary(e.loc, f"{e.op}({o.text})", e.op, o)
    if t is ir.Cast:
        o = substitute(e.expr, args, obj)
        return ir.Cast(e.loc, f"({e.type})({o.text})", e.type, o)
    if t is ir.Index:
        b, i = substitute(e.base, args, obj), substitute(e.index, args, obj)
        return ir.Index(e.loc, f"{b.text}[{i.text}]", b, i)
    if t is ir.Member:
        b = substitute(e.base, args, obj)
        return ir.Member(e.loc, f"{b.text}{'->' if e.arrow else '.'}{e.field}", b, e.field, e.arrow)
    if t is ir.Cond:
        c, a, b = (substitute(x, args, obj) for x in (e.cond, e.then, e.other))
        return ir.Cond(e.loc, f"({c.text} ? {a.text} : {b.text})", c, a, b)
    return ir.Opaque(e.loc, e.text, ())  # (a call in a subscript: not analyzable)
