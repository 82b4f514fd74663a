"""Rows an iteration allocates itself: 'a[i] = new T(); ... a[i][k] ... (*a[i])[k]'. What
a[i] points to then is memory no other iteration can name, so accesses through it are
private; only the slot a[i] itself is shared (and tested as any element)."""
from __future__ import annotations

from dataclasses import replace

from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, exprs
from .effects import fresh_value
from .facts import Access


def _top(stmts) -> tuple:
    while len(stmts) == 1 and type(stmts[0]) is ir.Block:
        stmts = stmts[0].body
    return tuple(stmts)


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
            if ok and not any(type(x) is ir.Name and x.id == name for x in exprs(e.value)):
                self._own[name] = body[n + 1].loc
        return self._own

    def _private_rows(self, accesses: list[Access]) -> list[Access]:
        """Accesses through an own row, after its allocation, become reads of the slot."""
        own = self._own_rows()
        if not own:
            return accesses
        out = []
        for a in accesses:
            start = own.get(a.array)
            if start is not None and not a.via and not _after(start, a.loc) and (a.subs is None or len(a.subs) >= 2):
                slot = ir.Name(a.loc, self.var, self.var)
                a = replace(a, text=f"{a.array}[{self.var}]", subs=(slot,), write=False, read=True)
            out.append(a)
        return out
