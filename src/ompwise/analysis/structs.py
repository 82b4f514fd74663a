"""A local struct written field by field before it is read in every iteration ('struct cplx r;
... r.re = a[i]; r.im = 2 * r.re; b[i] = r.re + r.im;'): private, as a scalar would be. Only in
C (a C++ class's private copies are constructed), for a struct declared in the function outside
the loop, whose address is never taken, used in the loop only through its fields, and dead after
the loop."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import CHILDREN_OF, all_exprs, base_name, exprs as walk_exprs, stmt_exprs, subtree_exprs
from .facts import _reason


class StructsMixin:
    def _struct_candidate(self, name: str) -> bool:
        """May the writes 'name.f = ...' be those of a private copy (decided after the walk)?
        Not when anything could reach the struct but its name: an address of it or of a field
        anywhere in the function ('&r.x', an array field 'r.v' that decays), a macro naming
        it, a global of the same name (scopes are told apart by name), a label (a backward
        'goto' escapes the liveness test), or the loop's header reading it."""
        hit = self._struct_memo.get(name) if hasattr(self, "_struct_memo") else None
        if hit is not None:
            return hit
        if not hasattr(self, "_struct_memo"):
            self._struct_memo = {}
        self._struct_memo[name] = ok = self._struct_candidate_uncached(name)
        return ok

    def _struct_candidate_uncached(self, name: str) -> bool:
        if self.tu.language != "c" or name in self.local or self.scope.kind(name) != "local" or self.fn is None:
            return False
        d = self.scope.decl(name)
        if d is None or d.pointer or d.array or d.reference or d.static or name in self.scope.globals:
            return False
        if self.fn.labels or name in self._address_taken():
            return False
        for body in (self.tu.macros.values(), self.tu.fmacros.values()):
            if any(re.search(r"\b" + re.escape(name) + r"\b", str(b)) for b in body):
                return False
        for e in all_exprs(self.fn.body):
            if type(e) is ir.Unary and e.op == "&" and base_name(e.operand) == name:
                return False
            if type(e) is ir.Member and type(e.base) is ir.Name and e.base.id == name:
                fd = self.tu.fields.get(e.field)
                if fd is None or fd.array or fd.pointer:
                    return False  # (an array field decays to a pointer; an unknown one may be one)
        header = [x for x in (self.loop.cond, self.loop.update) if x is not None]
        header += [e for st in self.loop.init for e in stmt_exprs(st)]
        return not any(type(x) is ir.Name and x.id == name for h in header for x in walk_exprs(h))

    def _private_structs(self) -> dict[str, ir.Loc]:
        """Of the candidates written in the loop (accesses.py), those private: the rest are
        shared writes (SHARED-WRITE, as before)."""
        out = {}
        for name, loc in sorted(self._struct_writes.items()):
            if self._fields_defined_first(name) and not self._live_out(name):
                out[name] = loc
            else:
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

        def uses(e: ir.Expr, out: list, cond: bool = False) -> None:
            # the fields read in ``e`` ('r.f' not being assigned), any use of r whole, and the
            # fields written for sure (a write that may not run, in '?:' or after '&&', is a read)
            t = type(e)
            if t is ir.Member and not e.arrow and type(e.base) is ir.Name and e.base.id == name:
                out.append(("field", e.field))
                return
            if t is ir.Name and e.id == name:
                out.append(("whole", None))
                return
            if t is ir.Assign and type(e.target) is ir.Member and not e.target.arrow \
                    and type(e.target.base) is ir.Name and e.target.base.id == name:
                uses(e.value, out, cond)
                if e.op != "=" or cond:
                    out.append(("field", e.target.field))
                out.append(("write", e.target.field))
                return
            if t is ir.IncDec and type(e.target) is ir.Member and type(e.target.base) is ir.Name \
                    and e.target.base.id == name:
                out.append(("field", e.target.field))
                return
            if t is ir.Cond:
                uses(e.cond, out, cond)
                uses(e.then, out, True)
                uses(e.other, out, True)
                return
            if t is ir.Binary and e.op in ("&&", "||"):
                uses(e.left, out, cond)
                uses(e.right, out, True)
                return
            g = CHILDREN_OF.get(t)
            for c in (g(e) if g is not None else ()):
                uses(c, out, cond)

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
