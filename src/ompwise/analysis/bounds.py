"""Iteration spaces of a loop nest: the affine builder with the loop's substitutions, loop
bounds (min/max bounds split into their operands, strip-mined bounds read through their
definitions) and if-conditions as constraints."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import all_stmts, exprs, exprs_by_type, names
from . import affine as A
from . import dependence as D
from .accesses import _hidden_writes
from .context import _CONTEXT_NODES


_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _guard_constraints(conds, b: A.AffineBuilder) -> tuple[tuple, bool]:
    """Affine if-conditions as (None, op, aff) constraints 'aff op 0'; exact when all could be expressed."""
    out = []
    exact = True
    for cond, taken in conds:
        parts = _conjuncts(cond) if taken else [cond]
        for c in parts:
            op = c.op if isinstance(c, ir.Binary) else None
            if op not in _NEGATE:
                exact = False
                continue
            if any(type(x) is ir.Num and "u" in x.text.lower().lstrip("0x") for x in exprs(c)):
                exact = False  # an unsigned literal converts the other side ('-1 > 0u' holds)
                continue
            if not taken:
                op = _NEGATE[op]
            l, r = b(c.left), b(c.right)
            if op == "!=" or l is None or r is None or any(
                    isinstance(k, tuple) or (isinstance(k, str) and k.startswith("@")) for k in list(l) + list(r)):
                exact = False  # opaque sub-expressions lose how the guard relates to the bounds
                continue
            out.append((None, op, A.add(l, r, -1)))
    return tuple(out), exact


def _conjuncts(e: ir.Expr) -> list[ir.Expr]:
    if isinstance(e, ir.Binary) and e.op == "&&":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _opaque_minmax(e: ir.Expr, a: A.Aff, kind: str, b: A.AffineBuilder) -> bool:
    """Is ``a`` (the affine form of bound ``e``) an opaque parameter standing for a min/max
    whose operands are affine?"""
    t = type(e)
    if t is not ir.Cond and t is not ir.Call and t is not ir.Cast and t is not ir.Binary:
        return False  # (a name or number: the common case, decided without a look at ``a``)
    return any(isinstance(k, str) and k.startswith("@") for k in a) and bool(_minmax_affs(e, kind, b))


def _minmax_parts(e: ir.Expr, kind: str) -> list[ir.Expr] | None:
    """Operands of ``min(...)``/``max(...)`` written as ternaries or calls; None if ``e`` is neither."""
    while isinstance(e, ir.Cast):
        e = e.expr
    if isinstance(e, ir.Cond) and isinstance(e.cond, ir.Binary) and e.cond.op in ("<", "<=", ">", ">="):
        l, r = e.cond.left.text.replace(" ", ""), e.cond.right.text.replace(" ", "")
        t, o = e.then.text.replace(" ", ""), e.other.text.replace(" ", "")
        smaller_first = e.cond.op in ("<", "<=")
        if (t, o) == (l, r):
            k = "min" if smaller_first else "max"
        elif (t, o) == (r, l):
            k = "max" if smaller_first else "min"
        else:
            return None
        if k != kind:
            return None
        return (_minmax_parts(e.then, kind) or [e.then]) + (_minmax_parts(e.other, kind) or [e.other])
    if isinstance(e, ir.Call) and e.name.lower() in (kind, kind + "i", "f" + kind) and len(e.args) == 2:
        return (_minmax_parts(e.args[0], kind) or [e.args[0]]) + (_minmax_parts(e.args[1], kind) or [e.args[1]])
    return None


def _minmax_affs(e: ir.Expr, kind: str, b: A.AffineBuilder) -> list[A.Aff]:
    """Affine operands of a min (upper bound) or max (lower bound), ``+ k`` distributed over them."""
    k = 0
    while isinstance(e, ir.Binary) and e.op in ("+", "-") and isinstance(e.right, ir.Num) and isinstance(e.right.value, int):
        k += e.right.value if e.op == "+" else -e.right.value
        e = e.left
    parts = _minmax_parts(e, kind)
    out = []
    for p in parts or []:
        a = b(p)
        if a is None or any(isinstance(x, tuple) for x in a):
            return []  # a bound we cannot express: leave the variable unbounded on that side
        out.append(A.add(a, A.const(k)))
    return out


class BoundsMixin:
    """Affine forms of subscripts and the iteration spaces they are tested over."""

    def _builder(self, ivs: set[str], env: dict | None = None) -> A.AffineBuilder:
        subst = self._substitutions()
        env = env or {}
        return A.AffineBuilder(
            is_iv=lambda n: n in ivs,
            is_invariant=lambda n: n not in self.written and n not in self.local and n != self.var and n not in self.inner_ivs,
            substitute=lambda n: env[n] if n in env else subst.get(n),
            constants=self._constants,
            context=self._context_value, context_names=self._bound_names(), modulo=self._tile_offset)

    def _steady(self, e: ir.Expr) -> bool:
        """An enclosing loop's bound built only from constants and unchanging parameters."""
        return all(type(x) in _CONTEXT_NODES for x in exprs(e)) and \
            all(m in self._constants or self._unchanging(m) for m in names(e))

    def _mixed_sign(self, e: ir.Expr) -> bool:
        """Does a min/max compare signed with unsigned variables (the comparison is then
        unsigned, and '-3 < 100u' is false)? Unknown types count as mixed."""
        kinds = set()
        for m in names(e):
            if m in self._constants:
                continue
            d = self.scope.decl(m)
            if d is None:
                return True
            kinds.add(bool(re.search(r"\bunsigned\b|size_t|\buint", d.type)))
        return len(kinds) > 1

    def _substitutions(self) -> dict[str, ir.Expr]:
        if hasattr(self, "_subst"):
            return self._subst
        counts: dict[str, int] = {}
        values: dict[str, ir.Expr] = {}
        for s in all_stmts(self.loop.body):
            if isinstance(s, ir.Decl):
                for v in s.vars:
                    counts[v.name] = counts.get(v.name, 0) + 1
                    if v.init is not None:
                        values[v.name] = v.init
        # assignments, then increments: the counts do not depend on the order, and only
        # assignments give values (in preorder, as before)
        typed = exprs_by_type(self.loop.body)
        for e in (*typed.get(ir.Assign, ()), *typed.get(ir.IncDec, ())):
            if type(e.target) is ir.Name:
                n = e.target.id
                counts[n] = counts.get(n, 0) + 1
                if type(e) is ir.Assign and e.op == "=":
                    values[n] = e.value
        hidden = _hidden_writes((*typed.get(ir.Unary, ()), *typed.get(ir.Call, ())), self.tu)
        self._subst = {n: self._typed(n, v) for n, v in values.items()
                       if counts.get(n) == 1 and n != self.var and n not in hidden}
        return self._subst

    def _typed(self, n: str, value: ir.Expr) -> ir.Expr:
        """The value a variable holds once stored: a narrow integer type wraps it
        ('unsigned char k = i;' is i mod 256), so it is no longer the expression itself."""
        d = self.scope.decl(n)
        if d is not None and not d.pointer and A.narrow_int(d.type):
            return ir.Cast(value.loc, value.text, d.type, value)
        return value

    def _space(self, nest: tuple[int, ...], env: dict | None = None) -> tuple[D.Space, A.AffineBuilder]:
        key = (nest, id(env))
        hit = self._spaces.get(key)
        if hit is not None:
            return hit
        res = self._space_uncached(nest, env)
        self._spaces[key] = res
        return res

    def _space_uncached(self, nest: tuple[int, ...], env: dict | None) -> tuple[D.Space, A.AffineBuilder]:
        # (negative ids: the extents of library calls, reach.py)
        canon = [self.nest_loops[i].canonical if i >= 0 else self._extents[i] for i in nest]
        ivs = [c.var for c in canon]
        b = self._builder(set(ivs), env)
        bounds = []
        extra: list[tuple[str, str, A.Aff]] = []
        for c in canon:
            lower, upper = self._bound_expr(c.lower, "max"), self._bound_expr(c.upper, "min")
            lo = b(lower) if lower is not None else None
            hi = b(upper) if upper is not None else None
            # a max (lower) or min (upper) of affine operands bounds the variable by each of
            # them, which says more than the whole as one opaque parameter
            if lo is not None and (any(isinstance(k, tuple) for k in lo) or
                                   (_opaque_minmax(lower, lo, "max", b) and not self._mixed_sign(lower))):
                lo = None
            if hi is not None and (any(isinstance(k, tuple) for k in hi) or
                                   (_opaque_minmax(upper, hi, "min", b) and not self._mixed_sign(upper))):
                hi = None
            if lo is None and lower is not None and not self._mixed_sign(lower):
                extra += [(c.var, ">=", x) for x in _minmax_affs(lower, "max", b)]
            if hi is None and upper is not None and not self._mixed_sign(upper):
                extra += [(c.var, "<", x) for x in _minmax_affs(upper, "min", b)]
            bounds.append((lo, hi, c.step if c.step is not None else self._symbolic_step(c, b, ivs)))
        extra += self._context_guards(b)
        return D.Space(tuple(ivs), tuple(bounds), tuple(extra)), b

    @staticmethod
    def _symbolic_step(c: ir.Canonical, b: A.AffineBuilder, ivs: list[str]) -> int | A.Aff | None:
        """A symbolic step in the iteration space: its value when the names fold to a constant
        ('const int bs = 16'), else its magnitude (the amount added, or subtracted when the loop
        descends) as an affine form of loop-invariant names (the
        dependence test keeps two iterations at least that far apart), else magnitude 1. Either
        way the iterations are taken as every value in the bounds: a superset, sound for
        independence, but no proof of coverage (array privatization) or of a dependence."""
        if c.step_expr is None:
            return None
        if any(type(x) is ir.Cast for x in exprs(c.step_expr)):
            return A.const(1)  # (the builder reads through casts; a truncated step is not its operand)
        s = b(c.step_expr)
        if s is None or any(isinstance(k, tuple) for k in s) or A.ivs_of(s, set(ivs)):
            return A.const(1)
        if A.is_const(s):
            v = A.const_value(s)
            return (-v if c.descending else v) if v > 0 else A.const(1)  # (a step away from the bound: UB or no end)
        return s

    def _bound_expr(self, e: ir.Expr | None, kind: str) -> ir.Expr | None:
        """A loop bound held in a variable defined as a min (upper) or max (lower): that
        definition, whose operands each bound the loop ('i < b_end' with 'b_end = (blk+1)*8 >
        n ? n : (blk+1)*8'); the bound itself otherwise."""
        if type(e) is not ir.Name:
            return e
        if e.id in self.written:
            value = self._substitutions().get(e.id)
        else:
            value = self._context_value(e.id)
        return value if value is not None and _minmax_parts(value, kind) else e

    def _context_guards(self, b: A.AffineBuilder) -> list[tuple[None, str, A.Aff]]:
        """Where the values of _context_def read the variables of enclosing loops, those
        variables' ranges ('0 <= blk < n/8'): guards 'aff >= 0' over the parameters."""
        if self._guards is None:
            self._guards = []
            loops: dict[int, ir.Loop] = {}
            if self.fn is not None:
                for n in self._bound_names():
                    hit = self._context_def(n)
                    for l in (hit[1] if hit else ()):
                        loops[l.id] = l
            for l in loops.values():
                c = l.canonical
                # (a bound that may change while the loop runs, or that the loop redeclares,
                # is no fact: without it the variable is just unbounded on that side)
                lo = b(c.lower) if c.lower is not None and self._steady(c.lower) else None
                hi = b(c.upper) if c.upper is not None and self._steady(c.upper) else None
                v = {c.var: 1}
                if lo is not None and not any(isinstance(k, tuple) for k in lo):
                    self._guards.append((None, ">=", A.add(v, lo, -1)))
                if hi is not None and not any(isinstance(k, tuple) for k in hi):
                    self._guards.append((None, ">", A.add(hi, v, -1)))
        return self._guards
