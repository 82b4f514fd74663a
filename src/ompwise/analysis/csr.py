"""CSR-like row loops: an inner loop over one row of an offset array P (a loop over
'[P[j], P[j+1])', or a count from a row start: 'start = j > 0 ? P[j-1] : 0; for (k = 0; k <
P[j] - start; k++) ... a[start + k]'). If P is non-decreasing (stated: MONOTONIC-ASSUMED),
different iterations of the analysed loop see disjoint rows."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from ..frontend import ir
from . import affine as A
from .census import wide_int
from .facts import Access

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _index_plus_const(e: ir.Expr) -> tuple[ir.Index, int] | None:
    """'P[e]', 'P[e] - 1 + 1' and the like: the indexed load and the constant added to it."""
    c = 0
    while True:
        if isinstance(e, ir.Index) and isinstance(e.base, ir.Name):
            return e, c
        if isinstance(e, ir.Binary) and e.op in "+-" and isinstance(e.right, ir.Num) and isinstance(e.right.value, int):
            c += e.right.value if e.op == "+" else -e.right.value
            e = e.left
            continue
        return None


def _uncast(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.expr
    return e


@dataclass(frozen=True)
class Row:
    """A row loop: its offset array, and the local that holds the row's start when the loop
    counts from 0 ('a[start + k]'), None when the loop variable is the position itself."""
    offsets: str
    start: str | None = None


class RowOffsetsMixin:
    """Row loops of CSR-like offset arrays, and the pairs of accesses they keep apart."""

    def _csr_rows(self) -> dict[int, Row]:
        """Inner loops over one row of an offset array P, with P not written and the row's
        index affine in this loop's variable alone (coefficient 1). Maps the loop's id to it."""
        if self._csr is not None:
            return self._csr
        self._csr = {}
        b = None
        for l in self.nest_loops.values():
            c = l.canonical
            if l is self.loop or c is None or c.step != 1 or c.lower is None or c.upper is None:
                continue
            b = b or self._builder({self.var})
            row = self._offsets_row(c, b) or self._counted_row(l, b)
            if row is not None:
                self._csr[l.id] = row
        return self._csr

    def _row_pair(self, lo: ir.Index, hi: ir.Index, b) -> str | None:
        """P when 'lo' is P[e] and 'hi' is P[e+1], e affine in this loop's variable with
        coefficient 1, and P neither written nor local."""
        arr = lo.base.id
        if arr != hi.base.id or arr in self.written or arr in self.local:
            return None
        ilo, ihi = b(lo.index), b(hi.index)
        if ilo is None or ihi is None or A.add(ihi, ilo, -1) != A.const(1) or ilo.get(self.var) != 1 \
                or any(isinstance(k, tuple) for k in ilo):
            return None
        return arr

    def _offsets_row(self, c: ir.Canonical, b) -> Row | None:
        """'for (k = P[j]; k < P[j+1]; k++)'."""
        lo, hi = _index_plus_const(c.lower), _index_plus_const(c.upper)
        if lo is None or hi is None or lo[1] != 0 or hi[1] != 0:
            return None
        arr = self._row_pair(lo[0], hi[0], b)
        return Row(arr) if arr is not None else None

    def _counted_row(self, l: ir.Loop, b) -> Row | None:
        """'for (k = 0; k < P[j] - start; k++)' (the count maybe held in a local), 'start' a
        local assigned once in the body: 'P[j-1]', or 'j > 0 ? P[j-1] : C' where j > 0 fails
        only for the first row (j >= 0 over the loop); that row is then [C, P[0]), below
        every other row whatever C is. The positions are 'start + k'."""
        c = l.canonical
        low = b(c.lower)
        if low is None or low != A.const(0):
            return None
        subst = self._substitutions()
        up = _uncast(c.upper)
        if type(up) is ir.Name and up.id in subst:
            up = _uncast(subst[up.id])
        if not (type(up) is ir.Binary and up.op == "-" and type(up.right) is ir.Name and up.right.id in subst):
            return None
        hi = _index_plus_const(up.left)
        if hi is None or hi[1] != 0:
            return None
        start = up.right.id
        d = self.scope.decl(start)
        if start not in self.local or d is None or d.pointer or d.array or not wide_int(d.type) \
                or start in self.scope.unplain():
            return None  # (a byte, maybe behind a typedef, wraps; '(c ? start : e) = 0' writes it unseen)
        value = _uncast(subst[start])
        if (value.loc.line, value.loc.column) >= (l.loc.line, l.loc.column):
            return None  # (its one assignment must come before the row loop, not inside it)
        if type(value) is ir.Cond:
            value = self._first_row_choice(value, hi[0], b)
            if value is None:
                return None
        lo = _index_plus_const(value)
        if lo is None or lo[1] != 0:
            return None
        arr = self._row_pair(lo[0], hi[0], b)
        return Row(arr, start) if arr is not None else None

    def _first_row_choice(self, e: ir.Cond, hi: ir.Index, b) -> ir.Expr | None:
        """The branch of 'cond ? x : y' taken on every row but the first: the condition must
        be 'j > 0' (or 'j != 0', 'j >= 1', 'j == 0' with the branches swapped...) for the
        row's index j = P's index in the upper bound, with j >= 0 everywhere in the loop."""
        cond = e.cond
        if type(cond) is not ir.Binary or cond.op not in _NEGATE:
            return None
        l, r, ihi = b(cond.left), b(cond.right), b(hi.index)
        if l is None or r is None or ihi is None:
            return None
        # j = var + c0, the loop's lower bound a constant L0 with L0 + c0 >= 0
        lower = b(self.loop.canonical.lower) if self.loop.canonical.lower is not None else None
        if lower is None or not A.is_const(lower) or set(ihi) - {self.var, A.ONE} or ihi.get(self.var) != 1 \
                or A.const_value(lower) + A.const_value(ihi) < 0:
            return None
        for op, branch in ((cond.op, e.then), (_NEGATE[cond.op], e.other)):
            # 'op' holds on the rows where 'branch' is taken: it must exclude only j == 0
            if op in (">", ">="):
                h = A.add(l, r, -1)
            elif op in ("<", "<="):
                h = A.add(r, l, -1)
            elif op == "!=":
                h = A.add(l, r, -1)
                if A.scale(h, -1) == ihi:
                    h = ihi
            else:
                continue
            if op in (">=", "<="):
                h = A.add(h, A.const(1))  # h >= 0 is h + 1 > 0
            if h == ihi:  # 'j > 0' (or 'j != 0'): false only at j == 0
                return branch
        return None

    def _row_builder(self, acc: Access, start: str):
        """The access's builder with the row start as a parameter of its own, so that
        'new_i = start + k' gives 'start + k' (its value, a load of P, is not affine)."""
        _, b = self._space(acc.nest, acc.env)
        b2 = copy.copy(b)
        inv, sub = b.is_invariant, b.substitute
        b2.is_invariant = lambda n: n == start or inv(n)
        b2.substitute = lambda n: None if n == start else sub(n)
        b2.context_names = b.context_names - {start}
        return b2

    def _csr_disjoint(self, wa: Access, waff, xa: Access, xaff) -> str | None:
        """The offset array when two accesses inside one row loop can only meet in the same
        iteration of this loop: some subscript is 'a*p + C' on both sides, p the row's
        position (k, or start + k), a a nonzero constant, the rest loop-invariant terms
        equal on both sides but for a constant d with |d| < |a| (so a*p + d = a*p' forces
        p = p', one row's position: 'x[3*p]', 'x[3*p + 1]')."""
        rows = self._csr_rows()
        for lid, row in rows.items():
            if lid not in wa.nest or lid not in xa.nest:
                continue
            if row.start is not None:
                _, waff = self._resolved_subs(wa, self._row_builder(wa, row.start))
                _, xaff = self._resolved_subs(xa, self._row_builder(xa, row.start))
            if waff is None or xaff is None or len(waff) != len(xaff):
                continue
            k = self.nest_loops[lid].canonical.var
            for fw, fx in zip(waff, xaff):
                if fw is not None and fx is not None and self._same_row(fw, fx, k, row.start):
                    return row.offsets
        return None

    def _same_row(self, fw: A.Aff, fx: A.Aff, k: str, start: str | None) -> bool:
        a = fw.get(k)
        if not a or fx.get(k) != a:
            return False
        if start is not None and not (fw.get(start) == a and fx.get(start) == a):
            return False
        ivs = {self.var} | self.inner_ivs
        for f in (fw, fx):
            if any(key not in (k, start, A.ONE) and (key in ivs or isinstance(key, tuple)) for key in f):
                return False
        diff = A.add(fw, fx, -1)
        return A.is_const(diff) and abs(A.const_value(diff)) < abs(a)
