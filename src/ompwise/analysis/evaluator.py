"""Integer constants: numeric macros, and subscripts evaluated iteration by iteration over
constant tables (the exact test of last resort)."""
from __future__ import annotations

import ast
import re

from ..frontend import ir
from ..frontend.nodes import _number
from . import affine as A
from .scope import Scope


def _numeric_macros(macros: dict[str, str], closed_only: bool = True) -> dict[str, int]:
    """Object-like macros with an integer value: literals, and integer expressions over
    literals and other such macros ('#define NVAR (VAR_DENSITY_ENERGY+1)')."""
    out = {}
    texts = {}  # the expansion of each macro valued so far, as the preprocessor pastes it
    for k, v in macros.items():
        m = re.fullmatch(r"\(?\s*(-?\d+)[lL]*\s*\)?", v.strip())  # (unsigned ones convert: not modelled)
        if m:
            out[k] = _number(m.group(1))  # (C's bases: '010' is 8)
            texts[k] = f"({out[k]})" if v.strip().startswith("(") else str(out[k])
    for _ in range(4):  # macros defined through others: a few rounds reach them
        grew = False
        for k, v in macros.items():
            if k in out or not re.fullmatch(r"[\w\s()+\-*/%]+", v) or re.search(r"\d[lL]*[uU]", v):
                continue  # (unsigned arithmetic wraps: not Python's)
            # text for text ('#define NM 2*NB' with 'NB 10-6' is 2*10-6, 14, not 2*4)
            expr = re.sub(r"[A-Za-z_]\w*", lambda w: texts[w.group(0)] if w.group(0) in out else "?", v)
            expr = re.sub(r"(\d+)[uUlL]+", r"\1", expr)
            if "?" in expr or not re.fullmatch(r"[\d\s()+\-*/%]+", expr) or len(expr) > 200:
                continue
            try:
                val = _int_eval(ast.parse(expr, mode="eval").body)
            except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
                continue
            if val is not None:
                out[k] = val
                texts[k] = expr
                grew = True
        if not grew:
            break
    # a value stands for its macro only where the text is one operand whatever surrounds it: a
    # literal or a parenthesized expression ('i*OFF' with '#define OFF 1+1' is i*1+1, not 2i)
    return {k: v for k, v in out.items() if _closed(texts[k])} if closed_only else out


def _closed(text: str) -> bool:
    t = text.strip()
    if re.fullmatch(r"-?\d+", t):
        return True
    if not t.startswith("("):
        return False
    depth = 0
    for i, ch in enumerate(t):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i == len(t) - 1
    return False


def int_value(text: str, known: dict[str, int]) -> int | None:
    """The value of an integer constant expression over known names ('SIZE * 2 + 1'), or None."""
    if not re.fullmatch(r"[\w\s()+\-*/%]+", text) or re.search(r"\d[lL]*[uU]", text):
        return None  # (unsigned arithmetic wraps: not Python's)
    expr = re.sub(r"[A-Za-z_]\w*", lambda w: str(known[w.group(0)]) if w.group(0) in known else "?", text)
    expr = re.sub(r"(\d+)[uUlL]+", r"\1", expr)
    if "?" in expr or len(expr) > 200:
        return None
    try:
        return _int_eval(ast.parse(expr.strip(), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None


def _int_eval(n) -> int | None:
    """An integer constant expression with C's truncating division."""
    if isinstance(n, ast.Constant) and isinstance(n.value, int):
        return n.value
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        v = _int_eval(n.operand)
        return None if v is None else (-v if isinstance(n.op, ast.USub) else v)
    if isinstance(n, ast.BinOp):
        a, b = _int_eval(n.left), _int_eval(n.right)
        if a is None or b is None:
            return None
        if isinstance(n.op, ast.Add):
            return a + b
        if isinstance(n.op, ast.Sub):
            return a - b
        if isinstance(n.op, ast.Mult):
            return a * b
        if isinstance(n.op, (ast.Div, ast.FloorDiv, ast.Mod)) and b != 0:
            q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            return q if not isinstance(n.op, ast.Mod) else a - q * b
    return None


class _Const:
    """A value that does not depend on the iteration: folded once, when compiled."""
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __call__(self, it):
        return self.v


_unknown = _Const(None)


def _iteration(it):
    return it


def _c_div(a: int, b: int, op: str) -> int | None:
    """C's '/' and '%' (truncating toward zero); None for a division by zero."""
    if b == 0:
        return None
    q = abs(a) // abs(b) * (1 if (a >= 0) == (b > 0) else -1)
    return q if op == "/" else a - q * b


class _Evaluator:
    """Integer evaluation of subscripts for one iteration (constants and read-only tables)."""

    def __init__(self, constants: dict[str, int], scope: Scope, written: set[str]):
        self.constants, self.scope, self.written = constants, scope, written

    def table(self, name: str) -> list[int] | None:
        d = self.scope.decl(name)
        if d is None or not d.array or name in self.written or not isinstance(d.init, ir.Opaque):
            return None
        if self.scope.assign_count.get(name, 0) > 1:
            return None
        vals = []
        for x in d.init.children:
            if not (isinstance(x, ir.Num) and isinstance(x.value, int)):
                return None
            vals.append(x.value)
        return vals

    def compile(self, e: ir.Expr, var: str | None, defs: dict | None = None, depth: int = 0):
        """The value of ``e`` as a function of the loop variable ``var`` (None: an expression
        without it), None where it is not a known integer. Constants, definitions and tables
        are looked up here, once, not in each of the up to ENUMERATE_LIMIT iterations."""
        if depth > 20:
            return _unknown
        if isinstance(e, ir.Num):
            return _Const(e.value if isinstance(e.value, int) else None)
        if isinstance(e, ir.Cast):
            if A.narrow_int(e.type):
                return _unknown  # wraps
            return self.compile(e.expr, var, defs, depth + 1)
        if isinstance(e, ir.Name):
            if e.id == var:
                return _iteration
            d = self.scope.decl(e.id)
            if d is not None and not d.pointer and A.narrow_int(d.type):
                return _unknown  # a value stored in it may have wrapped
            if e.id in self.constants:
                return _Const(self.constants[e.id])
            if defs and e.id in defs:
                return self.compile(defs[e.id], var, defs, depth + 1)
            d = self.scope.decl(e.id)
            if d is not None and e.id not in self.written and d.init is not None and self.scope.assign_count.get(e.id, 0) <= 1 \
                    and not d.pointer and not d.array:
                return self.compile(d.init, var, None, depth + 1)
            return _unknown
        if isinstance(e, ir.Unary) and e.op in ("-", "+"):
            f = self.compile(e.operand, var, defs, depth + 1)
            if e.op == "+":
                return f
            if type(f) is _Const:
                return _Const(None if f.v is None else -f.v)

            def neg(it):
                v = f(it)
                return None if v is None else -v
            return neg
        if isinstance(e, ir.Binary) and e.op in ("+", "-", "*", "/", "%"):
            fa = self.compile(e.left, var, defs, depth + 1)
            fb = self.compile(e.right, var, defs, depth + 1)
            op = e.op

            def binary(it):
                a, b = fa(it), fb(it)
                if a is None or b is None:
                    return None
                if op == "/" or op == "%":
                    return _c_div(a, b, op)
                return a + b if op == "+" else a - b if op == "-" else a * b
            if type(fa) is _Const and (type(fb) is _Const or fa.v is None) or type(fb) is _Const and fb.v is None:
                return _Const(binary(None))
            return binary
        if isinstance(e, ir.Index) and isinstance(e.base, ir.Name):
            t = self.table(e.base.id)
            if t is None:
                return _unknown
            fi = self.compile(e.index, var, defs, depth + 1)
            if type(fi) is _Const:
                return _Const(None if fi.v is None or not 0 <= fi.v < len(t) else t[fi.v])

            def element(it):
                i = fi(it)
                return None if i is None or not 0 <= i < len(t) else t[i]
            return element
        return _unknown
