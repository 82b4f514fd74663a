"""Canonical loop form: the loop variable, bounds and step (constant or loop-invariant) of a 'for' header (OpenMP's canonical loop)."""
from __future__ import annotations

from . import ir
from .walk import names

_FLOAT_TYPES = ("float", "double")
_LOOP_KINDS = {"for_statement": "for", "for_range_loop": "range-for", "while_statement": "while",
               "do_statement": "do"}


def _names_in(e: ir.Expr | None) -> frozenset[str]:
    return names(e) if e is not None else frozenset()


def _canonical(init, cond, update) -> tuple[ir.Canonical | None, str | None]:
    var = start = None
    declared = False
    if len(init) == 1 and isinstance(init[0], ir.Decl) and len(init[0].vars) == 1:
        v = init[0].vars[0]
        if v.init is not None:
            var, start, declared = v.name, v.init, True
            if any(w in v.type.split() for w in _FLOAT_TYPES) or v.pointer:
                return None, f"loop variable '{v.name}' is not an integer"
            if v.type in ("auto",) and isinstance(v.init, ir.Call):
                return None, "iterator loop"
    elif len(init) == 1 and isinstance(init[0], ir.ExprStmt) and isinstance(init[0].expr, ir.Assign):
        a = init[0].expr
        if a.op == "=" and isinstance(a.target, ir.Name):
            var, start = a.target.id, a.value
    if var is None:
        return None, "no single loop variable initialised in the header"
    step: int | None = None
    sym: ir.Expr | None = None  # a symbolic step's magnitude
    u = update
    if isinstance(u, ir.IncDec) and isinstance(u.target, ir.Name) and u.target.id == var:
        step = 1 if u.op == "++" else -1
    elif isinstance(u, ir.Assign) and isinstance(u.target, ir.Name) and u.target.id == var:
        amount, sign = None, 1
        if u.op in ("+=", "-=") and var not in _names_in(u.value):
            amount, sign = u.value, (-1 if u.op == "-=" else 1)
        elif u.op == "=" and isinstance(u.value, ir.Binary) and u.value.op in ("+", "-"):
            b = u.value
            if isinstance(b.left, ir.Name) and b.left.id == var and var not in _names_in(b.right):
                amount, sign = b.right, (-1 if b.op == "-" else 1)
            elif b.op == "+" and isinstance(b.right, ir.Name) and b.right.id == var and var not in _names_in(b.left):
                amount = b.left
        if amount is None:
            return None, f"update of '{var}' is not an increment by a loop-invariant amount"
        step = _const(amount)
        if step is not None:
            step *= sign
        elif _invariant_shape(amount):
            sym, step = amount, None
        else:
            return None, f"update of '{var}' is not an increment by a loop-invariant amount"
    else:
        return None, f"loop update is not an increment of '{var}'"
    if step == 0:
        return None, "zero loop step"
    if not isinstance(cond, ir.Binary) or cond.op not in ("<", "<=", ">", ">=", "!="):
        return None, "loop condition is not a comparison of the loop variable"
    op, lhs, rhs = cond.op, cond.left, cond.right
    if isinstance(rhs, ir.Name) and rhs.id == var and not (isinstance(lhs, ir.Name) and lhs.id == var):
        lhs, rhs = rhs, lhs
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}[op]
    if not (isinstance(lhs, ir.Name) and lhs.id == var) or var in _names_in(rhs):
        return None, "loop condition is not a comparison of the loop variable"
    bound = rhs

    def plus(e: ir.Expr, k: int) -> ir.Expr:
        return ir.Binary(e.loc, f"({e.text}) + {k}", "+", e, ir.Num(e.loc, str(k), k))

    if sym is not None:
        # OpenMP's canonical form takes 'var += incr' with any loop-invariant incr; the loop runs
        # when incr moves the variable towards the bound (the analysis states that condition)
        increasing = sign > 0
        if increasing and op == "<":
            lower, upper = start, bound
        elif increasing and op == "<=":
            lower, upper = start, plus(bound, 1)
        elif not increasing and op == ">":
            lower, upper = plus(bound, 1), plus(start, 1)
        elif not increasing and op == ">=":
            lower, upper = bound, plus(start, 1)
        else:
            return None, f"loop condition '{cond.text}' does not bound a loop with a symbolic step"
        bn = tuple(sorted((_names_in(start) | _names_in(bound) | _names_in(sym)) - {var}))
        return ir.Canonical(var, declared, start, lower, upper, None, bn, sym, not increasing), None
    if step > 0:
        if op == "<":
            lower, upper = start, bound
        elif op == "<=":
            lower, upper = start, plus(bound, 1)
        elif op == "!=" and step == 1:
            lower, upper = start, bound
        else:
            return None, f"loop condition '{cond.text}' does not bound an increasing loop"
    else:
        if op == ">":
            lower, upper = plus(bound, 1), plus(start, 1)
        elif op == ">=":
            lower, upper = bound, plus(start, 1)
        elif op == "!=" and step == -1:
            lower, upper = plus(bound, 1), plus(start, 1)
        else:
            return None, f"loop condition '{cond.text}' does not bound a decreasing loop"
    bn = tuple(sorted((_names_in(start) | _names_in(bound)) - {var}))
    return ir.Canonical(var, declared, start, lower, upper, step, bn), None


_ARITH = frozenset({"+", "-", "*", "/", "%", "<<", ">>"})


def _invariant_shape(e: ir.Expr) -> bool:
    """An amount the loop's body cannot change behind the analysis' back: names, numbers and
    arithmetic (no call, no memory read, no assignment); whether the body writes one of its
    names is the analysis' question (its bound names)."""
    t = type(e)
    if t is ir.Name or t is ir.Num:
        return True
    if t is ir.Binary:
        return e.op in _ARITH and _invariant_shape(e.left) and _invariant_shape(e.right)
    if t is ir.Unary:
        return e.op in ("-", "+") and _invariant_shape(e.operand)
    if t is ir.Cast:
        return _invariant_shape(e.expr)
    return False


def _const(e: ir.Expr) -> int | None:
    if isinstance(e, ir.Num) and isinstance(e.value, int):
        return e.value
    if isinstance(e, ir.Unary) and e.op in ("-", "+"):
        v = _const(e.operand)
        return (-v if e.op == "-" else v) if v is not None else None
    if isinstance(e, ir.Binary) and e.op in ("+", "-", "*"):  # ('i += 1 - 1' is a zero step)
        a, b = _const(e.left), _const(e.right)
        if a is not None and b is not None:
            return a + b if e.op == "+" else a - b if e.op == "-" else a * b
    return None
