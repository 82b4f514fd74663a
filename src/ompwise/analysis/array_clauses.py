"""Arrays that need not block a loop: arrays only updated at elements independent of the loop
(an array-section reduction) and local arrays written before read in every iteration
(private copies)."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import all_exprs, exprs, exprs_by_type, names
from . import affine as A
from . import dependence as D
from .accesses import _norm
from .facts import _reason
from .scalars import BINARY_OPS, UPDATE_OPS

_IDENT = re.compile(r"[A-Za-z_]\w*")


def _in_header_of(loop: ir.Loop, x: ir.Expr) -> bool:
    """Is the node ``x`` part of the loop's own header (init, condition, update)?"""
    heads = [e for e in (loop.cond, loop.update) if e is not None]
    return any(n is x for e in heads for n in exprs(e)) or \
        any(n is x for n in all_exprs(loop.init))


class ArrayClausesMixin:
    """Arrays that a clause makes safe: array-section reductions and private local arrays."""

    def _array_reductions(self) -> dict[str, tuple[str, str, ir.Loc]]:
        """1-D arrays outside the loop that are only updated, 'sum[m] += e' or
        'sum[m] = sum[m] + e', at elements that do not depend on this loop's variable:
        iterations combine into the same elements, an OpenMP array-section reduction
        ('reduction(+:sum[0:5])', l2norm in NPB LU). Name -> (op, section, location)."""
        found: dict[str, list] = {}
        parts: set[int] = set()  # ids of the Name nodes that the updates account for
        Assign, Index, Name = ir.Assign, ir.Index, ir.Name
        for e in exprs_by_type(self.loop.body).get(Assign, ()):
            t = e.target
            if type(t) is not Index or type(t.base) is not Name:
                continue
            name = t.base.id
            op = UPDATE_OPS.get(e.op)
            other = e.value
            if e.op == "=" and type(e.value) is ir.Binary and e.value.op in BINARY_OPS:
                v = e.value
                if _norm(v.left.text) == _norm(t.text):
                    op, other = BINARY_OPS[v.op], v.right
                    if type(v.left) is ir.Index:
                        parts.add(id(v.left.base))
                elif v.op != "-" and _norm(v.right.text) == _norm(t.text):
                    op, other = v.op, v.left
                    if type(v.right) is ir.Index:
                        parts.add(id(v.right.base))
            if e.op == "=" and op is None:
                mm = self._minmax_update(t, e.value)  # 'g[2] = g[2] > x ? g[2] : x', 'g[2] = max(g[2], x)'
                if mm is not None:
                    op, other, same = mm
                    parts.update(id(x.base) for x in same)
            if op is None or name in names(other):
                continue
            parts.add(id(t.base))
            found.setdefault(name, []).append((op, t, e.loc, other))
        out: dict[str, tuple[str, str, ir.Loc]] = {}
        if not found:
            return out
        uses: dict[str, int] = {}
        for x in exprs_by_type(self.loop.body).get(ir.Name, ()):
            if x.id in found and id(x) not in parts:
                uses[x.id] = uses.get(x.id, 0) + 1  # read or written some other way
        copies = self.scope.pointer_copies()
        loop_names = {x.id for x in exprs_by_type(self.loop.body).get(ir.Name, ())}
        for name, ups in found.items():
            d = self.scope.decl(name)
            one_dim = d is not None and (d.dims == 1 and not d.pointer or d.pointer and d.pointers == 1 and not d.dims)
            if uses.get(name) or name in self.local or not one_dim or len({u[0] for u in ups}) != 1:
                continue
            if (set(copies.get(name, ())) | {k for k, v in copies.items() if name in v}) & loop_names:
                continue  # ('double *d = c;' and d used here: the elements are reached through another name too)
            if not self._number_like(name) or not all(self._adds_exactly(name, u[3]) for u in ups):
                continue  # (no number, or an integer summing what it truncates: order shows)
            idx = {_norm(u[1].index.text) for u in ups}
            if len(idx) != 1:
                continue
            sub = ups[0][1].index
            section = self._section(sub, [u[2] for u in ups])
            if section is not None:
                # a declared array is reduced whole (elements not updated add nothing):
                # clang-14 miscompiles some reductions over sections of global arrays
                # (NPB LU's error(): wrong sums at 2 threads, right with gcc or the
                # whole array); a pointer needs its section
                pointer = d.pointer or self.scope.kind(name) == "param"  # (an array parameter is one)
                start = section.rsplit(":", 1)[0]
                moving = section.endswith(":1") and not re.fullmatch(r"\d+", start)
                if moving and not pointer:
                    continue  # (one element of a declared array would be reduced as the whole array)
                out[name] = (ups[0][0], f"{name}[{section}]" if pointer else name, ups[0][2])
                if pointer and not re.fullmatch(r"\d+", start):
                    # (an element a pointer reaches may sit before it; a section may not)
                    self.assumptions.append(_reason(
                        "BOUNDS-ASSUMED", f"assuming {start} >= 0 in '{ups[0][1].text}' (reduced as the array "
                        f"section {name}[{section}], which starts at a non-negative index)", ups[0][2],
                        array=name, access=ups[0][1].text))
        return out

    def _minmax_update(self, t: ir.Index, v: ir.Expr):
        """(op, the other operand, the target's own occurrences) of a max or min update of
        element ``t``; None otherwise."""
        key = _norm(t.text)
        if type(v) is ir.Call and len(v.args) == 2 and v.name in self.az.minmax_calls():
            a, b = v.args
            if _norm(a.text) == key and type(a) is ir.Index:
                return self.az.minmax_calls()[v.name], b, [a]
            if _norm(b.text) == key and type(b) is ir.Index:
                return self.az.minmax_calls()[v.name], a, [b]
            return None
        if type(v) is ir.Cond and type(v.cond) is ir.Binary and v.cond.op in ("<", "<=", ">", ">="):
            l, r = v.cond.left, v.cond.right
            for own, other, big in ((l, r, v.cond.op in (">", ">=")), (r, l, v.cond.op in ("<", "<="))):
                if _norm(own.text) == key and type(own) is ir.Index and _norm(other.text) != key:
                    # own > other ? own : other is max; own > other ? other : own is min
                    if _norm(v.then.text) == key and _norm(v.other.text) == _norm(other.text) and type(v.then) is ir.Index:
                        return ("max" if big else "min"), other, [own, v.then]
                    if _norm(v.other.text) == key and _norm(v.then.text) == _norm(other.text) and type(v.other) is ir.Index:
                        return ("min" if big else "max"), other, [own, v.other]
        return None

    def _section(self, sub: ir.Expr, where: list[ir.Loc]) -> str | None:
        """'lo:length' covering subscript ``m + c`` over an inner loop with invariant bounds,
        when every update (at ``where``) is inside that loop ('s[m]' after it reads m's final
        value, outside the section)."""
        b = self._builder({self.var} | self.inner_ivs)
        a = b(sub)
        if a is None or a.get(self.var) or any(isinstance(k, tuple) for k in a):
            return None
        if A.is_const(a):  # one fixed element, 'count[0] += ...': a section of length 1
            return f"{A.const_value(a)}:1" if A.const_value(a) >= 0 else None
        ivs = [k for k in a if isinstance(k, str) and k in self.inner_ivs]
        if not ivs and all(k == A.ONE or (type(k) is str and _IDENT.fullmatch(k) and self.scope.decl(k) is not None)
                           for k in a):
            # one element the loop does not move, 'c[k] += t[l]' with k unchanged: length 1
            return f"{A.show(a)}:1"
        if len(ivs) != 1 or a[ivs[0]] != 1:
            return None
        # (several inner loops may share the variable: the one holding every update)
        inner = next((l for l in self.nest_loops.values() if l is not self.loop and l.canonical
                      and l.canonical.var == ivs[0] and all(l.contains(loc) for loc in where)), None)
        if inner is None or inner.canonical.lower is None or inner.canonical.upper is None:
            return None
        inv = self._builder({self.var})
        lo, hi = inv(inner.canonical.lower), inv(inner.canonical.upper)
        if lo is None or hi is None or any(k in self.inner_ivs or isinstance(k, tuple) for k in (*lo, *hi)):
            return None
        c = A.const_value({k: v for k, v in a.items() if k == A.ONE})
        rest = {k: v for k, v in a.items() if k != ivs[0] and k != A.ONE}
        if rest:
            return None
        start, length = A.add(lo, A.const(c)), A.add(hi, lo, -1)
        return f"{A.show(start)}:{A.show(length)}"

    def _private_arrays(self, resolved) -> dict[str, ir.Loc]:
        """Local arrays that every iteration writes before it reads them: private copies.

        Sound conditions: a non-static local array of the function, named only inside this
        loop (so nothing before or after the loop sees it, and its address is not kept in
        another pointer); every access affine; at the innermost loop of the nest that holds
        all its accesses, the statements that write it come before those that read it; and,
        with that loop's iteration fixed, the elements read are a subset of those written
        unconditionally (isl)."""
        groups: dict[str, list] = {}
        for r in resolved:
            groups.setdefault(r[1], []).append(r)
        out: dict[str, ir.Loc] = {}
        for name, group in groups.items():
            d = self.scope.locals.get(name)
            if d is None or not d.array or d.pointer or d.static or name in self.local:
                continue
            if name in self.scope.globals or name in self.scope.params:
                continue  # the name means another object elsewhere in the function (scopes are by name)
            if not any(r[0].write for r in group):
                continue  # (written and never read here: dead after it, see below)
            if any(r[2] is None or r[0].via or r[0].array != name for r in group):
                continue
            if not self._covered(group, self.loop.body, 1):
                continue
            if self._escapes(name):
                continue
            if self._named_only_inside(name) or self._dead_outside(name):
                out[name] = min((r[0].loc for r in group), key=lambda l: (l.line, l.column))
        return out

    def _escapes(self, name: str) -> bool:
        """Can a pointer into the array outlive the expression that takes it? Its bare name
        or an element's address ('t', '&t[0]', 't + 1') anywhere in the function, except as
        a direct argument of a call to a function whose summary keeps no pointer (it writes
        no global and calls nothing unknown: exact_solution(xi, eta, zeta, dtemp) fills
        'dtemp' and is done with it)."""
        body = self.fn.body if self.fn is not None else self.loop.body
        parent = self._parents()
        uses = [e for e in all_exprs(body) if type(e) is ir.Name and e.id == name]
        for x in uses:
            top: ir.Expr = x
            while type(parent.get(id(top))) is ir.Index and parent[id(top)].base is top:
                top = parent[id(top)]
            up = parent.get(id(top))
            if top is not x and not (type(up) is ir.Unary and up.op == "&"):
                continue  # an element read or written in place
            arg = up if top is not x else x  # '&t[i]', or the bare name
            if self._kept_by_call(arg, parent):
                return True
        return False

    def _covers_array(self, name: str) -> bool:
        """Does every iteration of this loop write each element of 'name' it reads first?"""
        group = [r for r in self._resolve(self._accesses()) if r[1] == name]
        if any(r[2] is None or r[0].via or r[0].array != name for r in group):
            return False
        return self._covered(group, self.loop.body, 1)

    def _dead_outside(self, name: str) -> bool:
        """Is the local array dead when this loop ends, although other loops use it too
        (exact_rhs's dtemp, filled and read in three loops)? Yes when every use outside this
        loop sits in another loop, not around this one, that writes each element it reads
        earlier in the same iteration: no value crosses from one loop to the next."""
        if self.fn is None or self.az.dead_query or any(o.base == name for o in self.scope.origins.values()):
            return False

        loops = [l for l in self.tu.loops if l.function == self.loop.function]
        others: dict[int, ir.Loop] = {}
        for x in all_exprs(self.fn.body):
            if type(x) is not ir.Name or x.id != name or self.loop.contains(x.loc):
                continue
            # (a use in a loop's own header runs outside its iterations: none of them covers it)
            around = [l for l in loops if l.contains(x.loc) and not l.contains(self.loop.loc)
                      and not _in_header_of(l, x)]
            if not around:
                return False  # used outside any other loop (or in a loop around this one)
            outer = min(around, key=lambda l: (l.loc.line, l.loc.column))
            if outer.canonical is None:
                return False
            others[outer.id] = outer
        self.az.dead_query = True  # no deeper questions: the other loops only need to cover
        try:
            # (type(self): the whole analysis, of which this is one part)
            return all(type(self)(self.az, l, self.fn, self.scope)._covers_array(name) for l in others.values())
        finally:
            self.az.dead_query = False

    def _covered(self, group, body, depth: int) -> bool:
        """Does every read in ``group`` see only elements written earlier in the same
        iteration of the first ``depth`` loops? ``body`` runs once per such iteration.

        At this level the accesses fall into statements in order: a read is covered by the
        unconditional writes of earlier statements (isl), or, when its own statement is an
        inner loop that also writes the array, by that loop's writes one level down."""
        while len(body) == 1 and isinstance(body[0], ir.Block):
            body = body[0].body
        starts = [(s.loc.line, s.loc.column) for s in body]

        def index(loc):
            k = 0
            while k + 1 < len(starts) and starts[k + 1] <= (loc.line, loc.column):
                k += 1
            return k
        where = [index(r[0].loc) for r in group]

        def inner(k):
            st = body[k]
            if isinstance(st, ir.ForStmt) and st.loop.canonical is not None and \
                    all(r[0].nest[depth:depth + 1] == (st.loop.id,) for w, r in zip(where, group) if w == k):
                return st
            return None
        for k in sorted(set(where)):
            here = [r for w, r in zip(where, group) if w == k]
            reads = [(r[2], r[3]) for r in here if r[0].read]
            if not reads:
                continue
            if any(r[0].write for r in here):
                st = inner(k)  # reads and writes in one statement: only an inner loop orders them
                if st is None or not self._covered(here, st.loop.body, depth + 1):
                    return False
                continue
            writes = [(r[2], r[3]) for w, r in zip(where, group) if w < k and r[0].write and not r[0].read
                      and not r[0].guarded and not r[0].conds]
            if not D.covers(reads, writes, depth):
                return False
        return True

    def _named_only_inside(self, name: str) -> bool:
        if self.fn is None or any(o.base == name for o in self.scope.origins.values()):
            return False
        return all(self.loop.contains(x.loc) for x in all_exprs(self.fn.body)
                   if type(x) is ir.Name and x.id == name)
