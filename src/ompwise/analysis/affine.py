"""Subscripts and bounds as affine forms over loop variables and invariant parameters.

An ``Aff`` maps atoms to integer coefficients; the constant term has key ``1``.
Atoms are loop variables (``'i'``), loop-invariant parameters (``'n'``, or the
normalised text of an invariant non-affine subexpression such as ``'n/2'``),
and bilinear terms ``('i', 'n')`` (loop variable times parameter) kept so that
linearised subscripts ``A[i*n + j]`` can be delinearised later.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..frontend import ir
from ..frontend.walk import exprs

Atom = str | tuple[str, str] | int
Aff = dict[Atom, int]

ONE: Atom = 1


def const(k: int) -> Aff:
    return {ONE: k} if k else {}


def add(a: Aff, b: Aff, scale: int = 1) -> Aff:
    out = dict(a)
    get = out.get
    for k, v in b.items():
        n = get(k, 0) + scale * v
        if n == 0:
            out.pop(k, None)
        else:
            out[k] = n
    return out


def scale(a: Aff, k: int) -> Aff:
    return {key: v * k for key, v in a.items()} if k else {}


def is_const(a: Aff) -> bool:
    return not a or (len(a) == 1 and ONE in a)  # every key is the constant term


def const_value(a: Aff) -> int:
    return a.get(ONE, 0)


def ivs_of(a: Aff, ivs: set[str]) -> set[str]:
    out = set()
    for k in a:
        t = type(k)
        if t is str:
            if k in ivs:
                out.add(k)
        elif t is tuple:
            out.add(k[0])
    return out


def factors(p: Atom) -> list[Atom]:
    """The parameters multiplied in a product parameter ('@nx * ny' -> ['nx', 'ny'])."""
    if isinstance(p, str) and p.startswith("@") and " * " in p:
        return p[1:].split(" * ")
    return [p]


def product(fs: list[Atom]) -> Atom:
    """One parameter for a product of parameters, the same whatever the order ('nx*ny', 'ny*nx').
    Normalised expression text has no spaces, so ' * ' cannot occur in another atom."""
    fs = sorted(fs, key=str)
    return fs[0] if len(fs) == 1 else "@" + " * ".join(str(f) for f in fs)


def _mono(a: Atom, b: Atom, is_iv) -> Atom | None:
    """Product of two atoms: iv*param is bilinear (iv*param*param too), param*param a new parameter."""
    if a == ONE:
        return b
    if b == ONE:
        return a
    if isinstance(b, tuple):
        a, b = b, a
    if isinstance(a, tuple):
        if isinstance(b, tuple) or is_iv(b):
            return None
        return (a[0], product(factors(a[1]) + factors(b)))
    if is_iv(b):
        a, b = b, a
    if is_iv(a):
        return None if is_iv(b) else (a, b)
    return product(factors(a) + factors(b))


_BLANKS = re.compile(r"\s+")  # (compiled once: asked for every member and opaque atom)


def _norm(text: str) -> str:
    return _BLANKS.sub("", text)


class AffineBuilder:
    """Converts expressions; ``is_iv(name)`` and ``is_invariant(name)`` classify names.

    ``substitute(name)`` may return an expression that defines a privatised
    scalar (``int idx = i*n + j;``), which is forward-substituted.
    """

    def __init__(self, is_iv: Callable[[str], bool], is_invariant: Callable[[str], bool],
                 substitute: Callable[[str], ir.Expr | None] | None = None,
                 constants: dict[str, int] | None = None,
                 context: Callable[[str], ir.Expr | None] | None = None,
                 context_names: frozenset[str] = frozenset(),
                 modulo: Callable[[ir.Binary], ir.Expr | None] | None = None):
        self.is_iv = is_iv
        self.is_invariant = is_invariant
        self.substitute = substitute or (lambda name: None)
        self.constants = constants or {}
        # the value an invariant name was given before the loop ('int b_end = ...' in the
        # enclosing loop's body): used in its place when it is affine
        self.context = context or (lambda name: None)
        self.context_names = context_names  # the only names ``context`` is asked about
        # 'i % T' as an equivalent affine expression where the loop's bounds keep i in one
        # tile ('i - s*T'; tiles.py), or None
        self.modulo = modulo
        self._depth = 0

    def aff(self, e: ir.Expr) -> Aff | None:
        t = type(e)
        if t is ir.Name:
            if e.id in self.constants:
                return const(self.constants[e.id])
            if self.is_iv(e.id):
                return {e.id: 1}
            if self.is_invariant(e.id):
                ctx = self.context(e.id) if e.id in self.context_names and self._depth < 8 else None
                if ctx is not None:
                    self._depth += 1
                    try:
                        a = self.aff(ctx)
                    finally:
                        self._depth -= 1
                    if a is not None and not any(isinstance(k, tuple) or str(k).startswith("@") for k in a):
                        return a
                return {e.id: 1}
            sub = self.substitute(e.id)
            if sub is not None and self._depth < 8:
                self._depth += 1
                try:
                    return self.aff(sub)
                finally:
                    self._depth -= 1
            return None
        if t is ir.Num:
            return const(e.value) if isinstance(e.value, int) else None
        if t is ir.Binary:
            if e.op in ("+", "-"):
                l, r = self.aff(e.left), self.aff(e.right)
                if l is None or r is None:
                    return self._invariant_atom(e)
                return add(l, r, 1 if e.op == "+" else -1)
            if e.op == "*":
                l, r = self.aff(e.left), self.aff(e.right)
                if l is None or r is None:
                    return self._invariant_atom(e)
                m = self._mul(l, r)  # ({} is zero: 'VAR_DENSITY*nelr' with VAR_DENSITY 0)
                return m if m is not None else self._invariant_atom(e)
            if e.op == "%" and self.modulo is not None and self._depth < 8:
                m = self.modulo(e)
                if m is not None:
                    self._depth += 1
                    try:
                        return self.aff(m)
                    finally:
                        self._depth -= 1
            if e.op == "<<":
                l, r = self.aff(e.left), self.aff(e.right)
                if l is not None and r is not None and is_const(r) and 0 <= const_value(r) < 31:
                    return scale(l, 1 << const_value(r))
            return self._invariant_atom(e)
        if t is ir.Cast:
            return self.aff(e.expr) if _integral_cast(e.type) else None
        if t is ir.Unary:
            if e.op == "-":
                a = self.aff(e.operand)
                return scale(a, -1) if a is not None else None
            if e.op == "+":
                return self.aff(e.operand)
            return self._invariant_atom(e)
        return self._invariant_atom(e)

    __call__ = aff

    def _mul(self, l: Aff, r: Aff) -> Aff | None:
        if is_const(l):
            return scale(r, const_value(l))
        if is_const(r):
            return scale(l, const_value(r))
        has_iv = lambda a: any(isinstance(k, tuple) or (isinstance(k, str) and self.is_iv(k)) for k in a)
        if has_iv(l) and has_iv(r):
            return None
        if len(l) * len(r) > 16:
            return None
        out: Aff = {}
        for ka, va in l.items():
            for kb, vb in r.items():
                key = _mono(ka, kb, self.is_iv)
                if key is None:
                    return None
                out = add(out, {key: va * vb})
        return out

    def _invariant_atom(self, e: ir.Expr) -> Aff | None:
        """An invariant non-affine subexpression becomes a parameter of its own."""
        for x in exprs(e):
            t = type(x)
            if t is ir.Name:
                if x.id in self.constants:
                    continue
                if self.is_iv(x.id) or not self.is_invariant(x.id):
                    return None
            elif t is ir.Assign or t is ir.IncDec:
                return None
            elif t is ir.Call and x.name not in _PURE_IN_BOUNDS:
                return None
        return {"@" + _norm(e.text): 1}


_PURE_IN_BOUNDS = {"size", "length", "sqrt", "abs", "min", "max", "fmin", "fmax", "floor", "ceil", "log", "log2", "pow", "exp", "int"}


_NARROW = re.compile(r"\b(char|short|bool|_Bool|u?int(8|16)_t|int_(least|fast)(8|16)_t)\b")


def narrow_int(t: str) -> bool:
    """An integer type narrower than int: storing a subscript in it wraps (unsigned char k = i)."""
    return _NARROW.search(t) is not None


def _integral_cast(t: str) -> bool:
    """A cast that keeps an integer subscript's value (narrow types wrap, so they do not)."""
    if narrow_int(t):
        return False
    t = t.replace("unsigned", "").replace("const", "").strip()
    return t in ("int", "long", "long long", "short", "size_t", "ssize_t", "ptrdiff_t", "int64_t",
                 "int32_t", "uint64_t", "uint32_t", "Index_t", "Int_t", "") or t.endswith("_t") and "real" not in t.lower()


def to_isl(a: Aff, rename: Callable[[Atom], str]) -> str:
    parts = []
    for k, v in a.items():
        if k == ONE:
            parts.append(str(v))
        else:
            parts.append(f"{v}*{rename(k)}")
    return " + ".join(parts) if parts else "0"


def show(a: Aff) -> str:
    parts = []
    for k, v in sorted(a.items(), key=lambda kv: str(kv[0])):
        name = "" if k == ONE else (f"{k[0]}*{str(k[1]).lstrip('@')}" if isinstance(k, tuple) else str(k).lstrip("@"))
        parts.append(f"{v}" if not name else (name if v == 1 else f"{v}*{name}"))
    return " + ".join(parts) or "0"
