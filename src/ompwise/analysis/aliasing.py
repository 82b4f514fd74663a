"""Aliasing between the names a loop accesses: pointers to scalars, rows of pointer arrays
that point into one object, pointer copies, macros naming another array's storage, and
calls that pass one object for two pointer parameters."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import all_exprs, base_name, exprs_by_type
from .accesses import _norm
from .facts import Access, _reason


class AliasingMixin:
    """Names that may stand for one object: pointers, rows of pointer arrays, macros."""

    def _call_site_overlap(self, a: str, b: str, resolved) -> str | None:
        """A call in the file that passes one object for both pointer parameters 'a' and 'b'
        ('kern(x, x + 1, n)'): the no-overlap assumption is visibly false. The same pointer
        passed for both ('resid(u, r, r)') is harmless when every access to either uses one
        subscript (each iteration then touches its own element of the one object)."""
        fn = self.fn
        if fn is None:
            return None
        pos = {p.name: i for i, p in enumerate(fn.params)}
        if a not in pos or b not in pos:
            return None
        short = fn.name.rsplit("::", 1)[-1]

        def root(x: ir.Expr) -> str | None:
            while type(x) in (ir.Cast, ir.Unary, ir.Binary):  # x, &x[k], x + k: into x; r[k]: a row
                x = x.expr if type(x) is ir.Cast else x.operand if type(x) is ir.Unary else x.left
                if type(x) is ir.Index:
                    x = x.base
            return x.id if type(x) is ir.Name else _norm(x.text) if type(x) is ir.Index else None

        subs = {_norm(acc.text.split("[", 1)[1]) if "[" in acc.text else acc.text
                for acc, name, *_ in resolved if name in (a, b)}
        for e in self.az.calls_of(short):
            if len(e.args) > max(pos[a], pos[b]):
                xa, xb = e.args[pos[a]], e.args[pos[b]]
                ra, rb = root(xa), root(xb)
                if ra is None or ra != rb:
                    continue
                if _norm(xa.text) == _norm(xb.text) and len(subs) <= 1:
                    continue  # one object, one element per iteration
                return (f"the call at {e.loc} passes '{ra}' for both '{a}' and '{b}', so they may "
                        "overlap")
        return None

    def _scalar_pointers(self, accesses: list[Access]) -> None:
        """An access through a pointer to a scalar ('px = &x; ... *px = 7') touches the scalar
        itself: a conflict when the loop also uses it by name (the loop variable, a bound, a
        scalar it writes, or one it reads while writing through the pointer)."""
        targets = self.az.scalar_pointer_targets(self.fn)
        if not targets:
            return
        used = {x.id for x in exprs_by_type(self.loop.body).get(ir.Name, ())}
        bound = set(self.loop.canonical.bound_names)
        for a in accesses:
            t = targets.get(a.array)
            if t is None or a.array in self.local:
                continue
            s, loc = t
            if s == self.var or s in bound or s in self.written or (a.write and s in used):
                self.blockers.append(_reason(
                    "ALIAS-UNKNOWN", f"not parallelized: '{a.text}' is '{s}' ('{a.array}' = &{s} at {loc}), which the "
                    "loop also uses by name", a.loc, pair=[a.array, s]))
                return

    def _rows_shared(self, name: str, d: ir.VarDecl) -> bool:
        """Do two rows of the pointer array 'name' visibly point into the same object?

        Rows come from the declaration's initializer ({&b[0], &b[n]}) and from element
        assignments (u[1] = b + n) in the enclosing function."""
        rows: list[ir.Expr] = []
        if isinstance(d.init, ir.Opaque):
            rows.extend(d.init.children)
        body = self.fn.body if self.fn is not None else self.loop.body
        for x in all_exprs(body):
            if isinstance(x, ir.Assign) and isinstance(x.target, ir.Index) and \
                    isinstance(x.target.base, ir.Name) and x.target.base.id == name:
                rows.append(x.value)
        bases = []
        for r in rows:
            while isinstance(r, (ir.Cast, ir.Binary)):
                r = r.expr if isinstance(r, ir.Cast) else r.left
            b = base_name(r)
            if b is not None and b != name:
                bases.append(b)
        return len(bases) != len(set(bases))

    def _aliasing(self, resolved) -> None:
        # ('A[*]', the slots of a pointer array read for its rows, is A's storage)
        names_ = {r[1][:-3] if r[1].endswith("[*]") else r[1] for r in resolved}
        written = {r[1] for r in resolved if r[0].write}
        pairs = []
        copies = self.scope.pointer_copies()
        def base(n):  # 'p->arr' -> 'p', 'gs.ptr' -> 'gs.ptr' (a pointer field is a pointer of its own)
            return n.split("->")[0] if "->" in n else n

        macros = self.tu.macros

        def macro_alias(a: str, b: str) -> bool:  # '#define ARR a' (or '(a + 1)') names a's storage
            body = macros.get(a) if a not in self.tu.fmacros and self.scope.decl(a) is None else None
            return body is not None and b in re.findall(r"[A-Za-z_]\w*", body)

        for w in sorted(written):
            for o in sorted(names_ - {w}):
                if macro_alias(w, o) or macro_alias(o, w):
                    self.blockers.append(_reason(
                        "ALIAS-UNKNOWN", f"not parallelized: macro '{w if macro_alias(w, o) else o}' names the storage "
                        f"of '{o if macro_alias(w, o) else w}'", self.loop.loc, pair=[w, o]))
                    return
                hit = next(((a, b) for a, b in ((w, o), (base(w), base(o)), (base(w), o), (w, base(o)))
                            if a != b and (b in copies.get(a, ()) or a in copies.get(b, ()))), None)
                if hit is not None:
                    a, b = hit
                    loc = copies.get(a, {}).get(b) or copies.get(b, {}).get(a)
                    self.blockers.append(_reason(
                        "ALIAS-UNKNOWN", f"not parallelized: '{w}' and '{o}' may point to the same storage (pointer assigned at {loc})",
                        loc or self.loop.loc, pair=[w, o]))
                    return
                if self.scope.is_distinct_object(w) and self.scope.is_distinct_object(o):
                    continue
                if self.scope.is_local_storage(w) or self.scope.is_local_storage(o):
                    continue
                members = ("." in w or "->" in w) + ("." in o or "->" in o)
                if members == 2 and w.split(".")[0].split("->")[0] == o.split(".")[0].split("->")[0]:
                    continue  # two fields of one object: 'p->u' and 'p->v' are separate storage
                if members == 0 and self.scope.decl(w) is None and self.scope.decl(o) is None:
                    continue
                if o in written and o < w:
                    continue  # both written: the pair is already there, the other way round
                pairs.append((w, o))
        for a, b in pairs:
            clash = self._call_site_overlap(a, b, resolved)
            if clash:
                self.blockers.append(_reason("ALIAS-UNKNOWN", f"not parallelized: {clash}", self.loop.loc, pair=[a, b]))
                return
        if pairs:
            desc = ", ".join(f"'{a}' and '{b}'" for a, b in pairs[:3])
            self.assumptions.append(_reason("ALIAS-ASSUMED", f"assuming {desc} do not overlap (pointers without restrict)",
                                            self.loop.loc, pairs=[list(p) for p in pairs]))
