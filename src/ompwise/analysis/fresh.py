"""Rows an iteration allocates itself: 'a[i] = new T(); ... a[i][k] ... (*a[i])[k]'. What
a[i] points to then is memory no other iteration can name, so accesses through it are
private; only the slot a[i] itself is shared (and tested as any element)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, exprs
from .effects import fresh_value
from .facts import Access


def _top(stmts) -> tuple:
    while len(stmts) == 1 and type(stmts[0]) is ir.Block:
        stmts = stmts[0].body
    return tuple(stmts)


def _allocator(e: ir.Expr) -> str | None:
    """The allocating call's name in '(T *) malloc(n)', 'new T'."""
    while type(e) is ir.Cast:
        e = e.expr
    return e.name if type(e) is ir.Call and e.name else None


def _row_deep(subs, levels: int) -> bool:
    """'a[i][k]' (into the row), or deeper only where a is no deeper a pointer array
    ('map<K,V> **a': a[i][0][k] is the map's operator[]); in 'double ***a', a[i][0][0] goes
    through a pointer the row holds, which may be shared memory."""
    return len(subs) == 2 or (len(subs) > 2 and levels <= 2)


def _one_level(text: str, array: str, var: str) -> bool:
    """'*(a[i])', '(*a[i])[k]': the object the row points to, or one element of it (a map's
    operator[]), not memory a pointer inside it leads to."""
    slot = re.escape(f"{array}[{var}]")
    return re.fullmatch(rf"\(?\*\(?{slot}\)?\)?(\[[^\[\]]*\])?", re.sub(r"\s+", "", text)) is not None


def _after(a: ir.Loc, b: ir.Loc) -> bool:
    return (a.line, a.column) > (b.line, b.column)


class FreshRowsMixin:
    """Pointer arrays whose row of this iteration is memory the iteration allocated."""

    def _own_rows(self) -> dict[str, ir.Loc]:
        """Arrays 'a' (of pointers) with a statement 'a[i] = <fresh memory>' at the top of
        the body (i the loop's variable, so no other iteration names the slot), where 'a' is
        named nowhere in the body but as 'a[i]', never before that statement, never in its
        value, nowhere assigned again and its slot's address never taken. Maps 'a' to the
        location of the statement after the allocation (from there on, a[i] is fresh)."""
        hit = getattr(self, "_own", None)
        if hit is not None:
            return hit
        self._own = {}
        body = _top(self.loop.body)
        if any(type(st) is ir.Jump and st.kind == "goto" for st in all_stmts(body)):
            return self._own  # (a jump back could reach a use before the allocation)
        typed = list(all_exprs(body))
        for n, st in enumerate(body[:-1]):
            e = st.expr if type(st) is ir.ExprStmt else None
            if not (type(e) is ir.Assign and e.op == "=" and type(e.target) is ir.Index and type(e.target.base) is ir.Name
                    and type(e.target.index) is ir.Name and e.target.index.id == self.var and fresh_value(e.value)):
                continue
            name = e.target.base.id
            d = self.scope.decl(name)
            if d is None or name in self.local or d.dims + (d.pointers if d.pointer else 0) < 2 or \
                    name == self.var or e.value.text == "0" or type(e.value) is ir.Name:
                continue  # (a null pointer is not memory of its own)
            callee = _allocator(e.value)
            if callee is None or self.az.summary(callee) is not None or self.scope.pointer_copies().get(name):
                continue  # (the program's own 'memalign' may return anything; 'alias = a' writes slots unseen)
            slots = {id(x.base) for x in typed if type(x) is ir.Index and type(x.base) is ir.Name and x.base.id == name
                     and type(x.index) is ir.Name and x.index.id == self.var}
            ok = True
            for x in typed:
                if type(x) is ir.Name and x.id == name and (id(x) not in slots or _after(e.loc, x.loc)):
                    ok = False  # named otherwise, or before the allocation
                elif type(x) is ir.Assign and x is not e and type(x.target) is ir.Index and id(x.target.base) in slots:
                    ok = False  # the slot assigned again
                elif type(x) is ir.IncDec and type(x.target) is ir.Index and id(x.target.base) in slots:
                    ok = False
                elif type(x) is ir.Unary and x.op == "&" and type(x.operand) is ir.Index and id(x.operand.base) in slots:
                    ok = False  # its address may let a callee change it
            for st in all_stmts(body):  # 'double *&r = a[i]; r = pool;': a reference rebinds the slot
                if type(st) is ir.Decl and any((v.reference or v.pointer) and v.init is not None
                                               and any(id(y) in slots for y in exprs(v.init) if type(y) is ir.Name)
                                               and type(v.init) is ir.Index for v in st.vars):
                    ok = False
            if ok and not any(type(x) is ir.Name and x.id == name for x in exprs(e.value)):
                self._own[name] = body[n + 1].loc
        return self._own

    def _private_rows(self, accesses: list[Access]) -> list[Access]:
        """Accesses through an own row, after its allocation, become reads of the slot."""
        own = self._own_rows()
        if not own:
            return accesses
        out = []
        levels = {n: (d.dims + (d.pointers if d.pointer else 0)) if d is not None else 99
                  for n in own for d in (self.scope.decl(n),)}
        for a in accesses:
            start = own.get(a.array)
            # (one level below the slot only: 'a[i][0][0]' goes through a pointer the row holds,
            # which may be shared memory)
            if start is not None and not a.via and not _after(start, a.loc) and \
                    (_row_deep(a.subs, levels.get(a.array, 99)) if a.subs is not None
                     else _one_level(a.text, a.array, self.var)):
                slot = ir.Name(a.loc, self.var, self.var)
                a = replace(a, text=f"{a.array}[{self.var}]", subs=(slot,), write=False, read=True)
            out.append(a)
        return out
