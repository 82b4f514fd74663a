"""A local struct written field by field before it is read in every iteration ('struct cplx r;
... r.re = a[i]; r.im = 2 * r.re; b[i] = r.re + r.im;'): private, as a scalar would be. Only in
C (a C++ class's private copies are constructed), for a struct declared in the function outside
the loop, whose address is never taken, used in the loop only through its fields, and dead after
the loop."""
from __future__ import annotations

from ..frontend import ir
from ..frontend.walk import CHILDREN_OF, subtree_exprs


class StructsMixin:
    def _struct_candidate(self, name: str) -> bool:
        """May the writes 'name.f = ...' be those of a private copy (decided after the walk)?"""
        if self.tu.language != "c" or name in self.local or self.scope.kind(name) != "local":
            return False
        d = self.scope.decl(name)
        return (d is not None and not (d.pointer or d.array or d.reference or d.static)
                and name not in self._address_taken())

    def _private_structs(self) -> dict[str, ir.Loc]:
        """Of the candidates written in the loop (accesses.py), those private: the rest are
        shared writes (SHARED-WRITE, as before)."""
        out = {}
        for name, loc in sorted(self._struct_writes.items()):
            if self._fields_defined_first(name) and not self._live_out(name):
                out[name] = loc
            else:
                from .facts import _reason
                self.blockers.append(_reason("SHARED-WRITE", f"not parallelized: every iteration writes '{name}' "
                                             f"(at {loc}), which is shared", loc, variable=name))
        return out

    def _fields_defined_first(self, name: str) -> bool:
        """Is every field of ``name`` the loop reads written before, on every path of the
        iteration (writes count only at the body's top level), and ``name`` never used whole?"""
        defined: set[str] = set()

        def reads_ok(exprs) -> bool:
            for x in exprs:
                if type(x) is ir.Name and x.id == name:
                    return False  # (whole: a copy, an argument, an address)
            return True

        def uses(e: ir.Expr, out: list, skip_target: bool = False) -> None:
            # the fields read in ``e`` ('r.f' not being assigned), and any use of r whole
            t = type(e)
            if t is ir.Member and not e.arrow and type(e.base) is ir.Name and e.base.id == name:
                out.append(("field", e.field))
                return
            if t is ir.Name and e.id == name:
                out.append(("whole", None))
                return
            if t is ir.Assign and type(e.target) is ir.Member and not e.target.arrow \
                    and type(e.target.base) is ir.Name and e.target.base.id == name:
                uses(e.value, out)
                if e.op != "=":
                    out.append(("field", e.target.field))
                out.append(("write", e.target.field))
                return
            if t is ir.IncDec and type(e.target) is ir.Member and type(e.target.base) is ir.Name \
                    and e.target.base.id == name:
                out.append(("field", e.target.field))
                return
            g = CHILDREN_OF.get(t)
            for c in (g(e) if g is not None else ()):
                uses(c, out)

        def check(st: ir.Stmt, top: bool) -> bool:
            if type(st) is ir.ExprStmt:
                found: list = []
                uses(st.expr, found)
                for kind, f in found:
                    if kind == "whole" or (kind == "field" and f not in defined):
                        return False
                    if kind == "write" and top:
                        defined.add(f)
                return True
            if type(st) is ir.Decl:
                for v in st.vars:
                    if v.init is not None:
                        found = []
                        uses(v.init, found)
                        if any(k == "whole" or (k == "field" and f not in defined) for k, f in found):
                            return False
                return True
            if type(st) is ir.Block:
                return all(check(s, top) for s in st.body)
            # any other statement: every field it touches must be defined already; its writes
            # do not count (they may not run)
            found = []
            for e in subtree_exprs(st):
                uses(e, found)
            return all(k != "whole" and (k != "field" or f in defined) for k, f in found)

        body = self.loop.body
        while len(body) == 1 and type(body[0]) is ir.Block:
            body = body[0].body
        return all(check(st, True) for st in body)
