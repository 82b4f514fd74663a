"""Scalars of one loop as OpenMP clauses: which are private, lastprivate, reductions or
linear, which carry a value from one iteration to the next, and which are live after the loop."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.pragma import Clauses, Reduction
from ..frontend.walk import all_exprs, all_stmts, enclosing_loops, exprs_by_type, names
from ..frontend.buildtypes import integer_type
from ..reasons import Reason
from . import affine as A
from .commute import number_kind
from .facts import ScalarFact, _reason
from .scalars import Flow, flow, linear_step, reduction_op


def _arithmetic(d: ir.VarDecl, tu: ir.TranslationUnit) -> bool:
    """A scalar of a built-in arithmetic type (or a typedef of one), as OpenMP reductions need."""
    if d.pointer or d.array or d.reference:
        return False
    t = d.type
    if "std::" in t or "<" in t or re.search(r"\b(struct|class|union|string|complex|_Atomic|atomic_\w+)\b", t):
        return False  # (an _Atomic variable is not a valid reduction list item either)
    words = [w for w in re.findall(r"[A-Za-z_]\w*", t) if w not in _QUALIFIERS]
    if any(w in tu.macros for w in words):  # '#define float_sw4 double' (a type chosen at build time)
        words = [x for w in words for x in (re.findall(r"[A-Za-z_]\w*", tu.macros[w]) if w in tu.macros else [w])
                 if x not in _QUALIFIERS]
    if any(w in tu.records for w in words):
        return False
    if tu.language != "c":  # templates, 'auto' and aliases may stand for classes (g++ then rejects the clause)
        return bool(words) and all(w in _ARITH or w.endswith("_t") or w in tu.arith_typedefs for w in words)
    return True


_QUALIFIERS = {"const", "volatile", "static", "register", "extern", "inline", "constexpr", "mutable"}


_ARITH = {"char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool", "size_t"}


class ScalarsMixin:
    """Each scalar the loop writes: private, lastprivate, reduction, linear, or carried."""

    def _runs_once(self) -> bool | None:
        """True: the loop surely runs (constant bounds); False: its trip count depends on an
        enclosing loop's variable (a triangular nest: likely zero somewhere); None: unknown."""
        c = self.loop.canonical
        outer, p = set(), self.loop.parent
        while p is not None:
            lp = self.tu.loops[p]
            if lp.canonical is not None:
                outer.add(lp.canonical.var)
            p = lp.parent
        b = A.AffineBuilder(lambda n: n in outer, lambda n: n not in outer, constants=self._constants)
        lo = b(c.lower) if c.lower is not None else None
        hi = b(c.upper) if c.upper is not None else None
        if lo is None or hi is None:
            # not affine, but an enclosing loop's variable in it ('j < i % 4 + 1'): the trip
            # count changes with it, and is likely zero somewhere
            return False if set(c.bound_names) & outer else None
        span = A.add(hi, lo, -1)  # (lower <= var < upper, whatever the direction)
        if A.is_const(span):
            return A.const_value(span) > 0
        return False if any(k in outer for k in span) else None

    def _body_flow(self) -> Flow:
        if self._flow is None:
            self._flow = flow(self.loop.body, self._is_scalar)
        return self._flow

    def _address_taken(self) -> dict[str, ir.Loc]:
        """Scalars whose address the function takes outside this loop ('int *px = &x;'):
        name -> first place. (Inside the loop, '&x' is the private copy's address, and
        what a callee does with it is the effects analysis' business.)"""
        if self._taken is None:
            self._taken = {}
            if self.fn is not None:
                # an address taken after the loop, outside any loop around it, cannot reach the
                # loop's private copies ('MPI_Allreduce(&local_result, ...)' after a reduction)
                outer = enclosing_loops(self.tu, self.loop)
                end = (self.loop.end.line, self.loop.end.column)
                for e in exprs_by_type(self.fn.body).get(ir.Unary, ()):
                    if e.op == "&" and type(e.operand) is ir.Name and not self.loop.contains(e.loc):
                        after = (e.loc.line, e.loc.column) > end and not self.fn.labels
                        if after and not any(l.contains(e.loc) for l in outer):
                            continue
                        self._taken.setdefault(e.operand.id, e.loc)
                # an address taken in a macro's body ('#define ADDR (&x)') is not in the IR
                for body in (*self.tu.macros.values(), *self.tu.fmacros.values()):
                    if "&" in str(body):
                        for m in re.finditer(r"&\s*\(?\s*([A-Za-z_]\w*)", str(body)):
                            self._taken.setdefault(m.group(1), self.loop.loc)
        return self._taken

    def _linear_vars(self) -> dict[str, tuple[ir.Stmt, int, ir.Expr, ir.Expr]]:
        """Scalars advanced by a constant once per iteration: name -> (stmt, step, value before, after).
        OpenMP's linear step counts logical iterations, whatever the loop's own step."""
        c = self.loop.canonical
        body = self.loop.body
        while len(body) == 1 and isinstance(body[0], ir.Block):
            body = body[0].body
        if not c.step:  # (a symbolic step: which iteration a value is of is not known)
            return {}
        out = {}
        loc = self.loop.loc
        for st in body:
            if not isinstance(st, ir.ExprStmt):
                continue
            e = st.expr
            t = e.target if isinstance(e, (ir.IncDec, ir.Assign)) else None
            if not isinstance(t, ir.Name) or t.id in self.local or t.id == self.var:
                continue
            d = self.scope.decl(t.id)
            # (an integer of its own: not a reference, which may alias what the loop writes, nor a
            # typedef of '_Bool' or 'double')
            if d is None or d.pointer or d.array or d.reference or "float" in d.type or "double" in d.type \
                    or A.narrow_int(d.type) or number_kind(d.type, self.tu, self.az.type_defs) != "int":
                continue
            found = linear_step(t.id, body)
            if found is None or body[found[0]] is not st:
                continue
            step = found[1]
            iv = ir.Name(loc, self.var, self.var)
            k = ir.Binary(loc, "k", "-", iv, c.start) if c.step == 1 else ir.Binary(loc, "k", "-", c.start, iv)
            if not isinstance(step, int):
                # 'ix += incx' (reference BLAS). The stride is a local or parameter (a global may be
                # written through a pointer, or be threadprivate) of the variable's own signed integer
                # type: the clause evaluates '-incx' in the stride's type, and the subscripts take
                # 'ix@0 + incx*k' as exact, which signed overflow (undefined) allows and unsigned or
                # narrowing wraparound does not.
                n = step.operand.id if type(step) is ir.Unary else step.id
                ds = self.scope.decl(n)
                if c.step not in (1, -1) or n in self.written or n in self.local or n == self.var or ds is None \
                        or self.scope.kind(n) not in ("local", "param") or ds.pointer or ds.array or ds.reference \
                        or (kind := self._signed_int(ds.type)) is None or kind != self._signed_int(d.type) \
                        or self._address_known(n):
                    continue
                base = ir.Binary(loc, f"{t.id}@0+k", "+", ir.Name(loc, t.id + "@0", t.id + "@0"), ir.Binary(loc, "ck", "*", step, k))
                out[t.id] = (st, step.text, base, ir.Binary(loc, f"{t.id}@0+k+1", "+", base, step))
                continue
            if c.step in (1, -1):
                per = step
            elif step % c.step == 0:
                # 'iy += 2' in 'i += 2': the k-th iteration's value is iy@0 + (2/2)*(i - start)
                k, per = ir.Binary(loc, "i-start", "-", iv, c.start), step // c.step
            else:
                # 'iy += 1' in 'i += 2': iy@0 + (i - start)/2, which no subscript test reads as
                # affine (an integer quotient of the loop's variable)
                k, per = ir.Binary(loc, "(i-start)/s", "/", ir.Binary(loc, "i-start", "-", iv, c.start),
                                   ir.Num(loc, str(c.step), c.step)), step
            base = ir.Binary(loc, f"{t.id}@0+k", "+", ir.Name(loc, t.id + "@0", t.id + "@0"),
                             ir.Binary(loc, "ck", "*", ir.Num(loc, str(per), per), k))
            after = ir.Binary(loc, f"{t.id}@0+k+1", "+", base, ir.Num(loc, str(step), step))
            out[t.id] = (st, step, base, after)
        return out

    def _address_known(self, n: str) -> bool:
        """Does the function take the address of ``n`` ('&incx') or bind a reference to it? A copy of
        that pointer, or a callee given it, may then change it in the loop."""
        if self.fn is None:
            return True
        if any(type(e) is ir.Unary and e.op == "&" and type(e.operand) is ir.Name and e.operand.id == n
               for e in all_exprs(self.fn.body)):
            return True
        return any(type(st) is ir.Decl and any(v.reference and v.init is not None and n in names(v.init) for v in st.vars)
                   for st in all_stmts(self.fn.body))

    def _signed_int(self, t: str) -> int | None:
        """The width of a signed integer type (through the program's macros and typedefs), or None."""
        for _ in range(4):  # ('#define INT long', a macro for a type)
            w = [x for x in re.findall(r"[A-Za-z_]\w*", t) if x not in ("const", "volatile", "register")]
            if len(w) != 1 or w[0] not in self.tu.macros or w[0] in self.tu.fmacros:
                break
            t = self.tu.macros[w[0]]
        if number_kind(t, self.tu, self.az.type_defs) != "int":
            return None
        it = integer_type(" ".join(x for x in t.split() if x not in ("const", "volatile", "register")), self.az.type_defs)
        return it[0] if it is not None and it[1] else None

    def _atomic_scalar(self, n: str) -> bool:
        """Is every use of ``n`` in the loop in an update the author synchronized, all with one
        lock and operator ('#pragma omp atomic' over 'sum += a[i];', a critical section's
        'sum = sum + a[i];')? Then it is race-free, in any order of the iterations, with no clause."""
        updates = getattr(self, "_sync_updates", None)
        if updates is None:  # (once per loop: most bodies have no synchronized statement)
            updates = self._sync_updates = [u for st in all_stmts(self.loop.body) if type(st) is ir.Sync
                                             and (u := self._sync_update(st)) is not None and type(u[0]) is ir.Name]
        keys, targets = set(), 0
        for u in updates:
            if u[0].id == n:
                keys.add(u[1])
                targets += u[2]
                if not self._adds_exactly(n, u[3]):
                    return False
        if len(keys) != 1 or not self._commutes(n):
            return False
        return sum(1 for e in all_exprs(self.loop.body) if type(e) is ir.Name and e.id == n) == targets

    def _is_scalar(self, n: str) -> bool:
        # a variable may shadow a function of the same name ('double add;' next to 'void add(void)')
        return n not in self.local and n != self.var and (
            n not in self.az.function_names or self.scope.decl(n) is not None)

    def _scalars(self) -> tuple[list[ScalarFact], Clauses]:
        fl = self._body_flow()
        # headers of inner loops: their variables are written before being read
        facts: list[ScalarFact] = []
        private: list[str] = []
        lastprivate: list[str] = []
        reductions: dict[str, list[str]] = {}
        carried_first: list[Reason] = []
        linear: list[tuple[str, int]] = []
        for n in sorted(fl.writes, key=lambda k: (fl.writes[k][0].line, fl.writes[k][0].column)):
            d = self.scope.decl(n)
            wloc = fl.writes[n][0]
            if d is not None and (d.array and not d.pointer):
                continue
            taken = self._address_taken().get(n) if n not in self.local else None
            if taken is not None:
                # a pointer may read or write the shared variable behind a private copy
                carried_first.append(_reason(
                    "SCALAR-CARRIED", f"not parallelized: '{n}' is written in the loop and its address is taken "
                    f"(at {taken}): a pointer would not see a private copy", wloc, variable=n))
                continue
            if self._atomic_scalar(n):
                facts.append(ScalarFact(n, "synchronized", None, wloc.line, wloc.column,
                                        "updated only by synchronized updates with one operator ('omp atomic' or one critical section)"))
                continue
            if n in self.linear:
                linear.append((n, self.linear[n][1]))
                facts.append(ScalarFact(n, "linear", None, wloc.line, wloc.column, f"advanced by {self.linear[n][1]} once per iteration"))
                continue
            if n in fl.exposed:
                op = reduction_op(n, self.loop.body, self.az.minmax_calls())
                if op is not None and d is not None and not _arithmetic(d, self.tu):
                    op = None  # a string or class: '+=' need not add, private copies start unset
                if op in ("+", "*") and d is not None and not self._reduces_exactly(n):
                    op = None  # ('_Bool b += x' sets or toggles; 'int s += 0.5' truncates each sum)
                if op is not None:
                    if d is not None and d.reference and self.scope.kind(n) == "local":
                        pass
                    reductions.setdefault(op, []).append(n)
                    facts.append(ScalarFact(n, "reduction", op, wloc.line, wloc.column, f"every update is '{n} {op}= ...'"))
                    continue
                rloc = fl.exposed[n]
                facts.append(ScalarFact(n, "carried", None, rloc.line, rloc.column, f"read at {rloc} before written at {wloc}"))
                carried_first.append(_reason(
                    "SCALAR-CARRIED",
                    f"not parallelized: scalar '{n}' is carried between iterations (read at {rloc} before it is written at {wloc})",
                    rloc, variable=n, read=str(rloc), write=str(wloc)))
                continue
            kind = "induction" if n in self.inner_ivs else "private"
            if self._live_out(n):
                if n in fl.definite_end:
                    lastprivate.append(n)
                    facts.append(ScalarFact(n, "lastprivate", None, wloc.line, wloc.column, "written in every iteration and used after the loop"))
                else:
                    facts.append(ScalarFact(n, "liveout-conditional", None, wloc.line, wloc.column, "not written in every iteration, used after the loop"))
                    self.blockers.append(_reason(
                        "SCALAR-LIVEOUT",
                        f"not parallelized: '{n}' is assigned only in some iterations (at {wloc}) and used after the loop",
                        wloc, variable=n))
            else:
                private.append(n)
                facts.append(ScalarFact(n, kind, None, wloc.line, wloc.column,
                                        "loop variable of an inner loop" if kind == "induction" else "written before read in every iteration"))
        for n in sorted(set(fl.reads) - set(fl.writes)):
            d = self.scope.decl(n)
            if not self._is_scalar(n) or (d is not None and (d.array or d.pointer)):
                continue  # (an array's or pointer's name, read as the base of its elements)
            loc = fl.reads[n][0]
            facts.append(ScalarFact(n, "shared", None, loc.line, loc.column, "only read"))
        if not self.loop.canonical.declared_in_header and self._live_out(self.var):
            # serial C leaves the variable at its initial value when the loop does not run;
            # lastprivate copies nothing back then, so the variable keeps its older value
            runs = self._runs_once()
            if runs is False:
                self.blockers.append(_reason(
                    "SCALAR-LIVEOUT", f"not parallelized: loop variable '{self.var}' is used after the loop, which can "
                    "run zero times (its bounds are constant, or depend on an enclosing loop's variable); serial code "
                    "then leaves it at its initial value, lastprivate would not", self.loop.loc, variable=self.var))
            else:
                if runs is None:
                    self.assumptions.append(_reason(
                        "TRIP-ASSUMED", f"assuming the loop runs at least once ('{self.var}' is used after it)",
                        self.loop.loc, variable=self.var))
                lastprivate.insert(0, self.var)
                facts.append(ScalarFact(self.var, "lastprivate", None, self.loop.loc.line, self.loop.loc.column, "loop variable used after the loop"))
        self.blockers[:0] = carried_first
        reds = tuple(Reduction(op, tuple(vs)) for op, vs in sorted(reductions.items()))
        return facts, Clauses(private=tuple(private), lastprivate=tuple(lastprivate), reduction=reds, linear=tuple(linear))

    def _live_out(self, n: str) -> bool:
        d = self.scope.decl(n)
        kind = self.scope.kind(n)
        if kind == "global" and n in self.az.scratch_globals():
            pass  # a scratch global: liveness is decided inside this function
        elif kind == "global" or (kind == "unknown" and not self.tu.snippet) or (d is not None and (d.static or d.reference)):
            return True
        if self.fn is None:
            return True
        if kind == "local" and n in self.scope.globals:
            return True  # (a global of the same name: scopes are told apart by name only)
        if self.fn.labels and any(type(st) is ir.Jump and st.kind == "goto" and (st.loc.line, st.loc.column) >
                                  (self.loop.end.line, self.loop.end.column) for st in all_stmts(self.fn.body)) \
                and any((lb.line, lb.column) < (self.loop.loc.line, self.loop.loc.column) for lb in self.fn.labels):
            return True  # a 'goto' after the loop to a label before it may run the uses before it again
        loop = self.loop
        outer = loop
        while outer.parent is not None:
            outer = self.tu.loops[outer.parent]
        events, loop_ctx = self.az.name_events(self.fn)
        here = loop_ctx.get(loop.id, frozenset())
        by_loc: dict[tuple[int, int], tuple[str, frozenset]] = {}
        for loc, k, ctx in events.get(n, ()):
            key = (loc.line, loc.column)
            if k == "kill" or key not in by_loc:
                by_loc[key] = (k, ctx)
        start, end = (loop.loc.line, loop.loc.column), (loop.end.line, loop.end.column)
        ostart, oend = (outer.loc.line, outer.loc.column), (outer.end.line, outer.end.column)
        after_in_outer = sorted(k for k in by_loc if end < k <= oend)
        before_in_outer = sorted(k for k in by_loc if ostart <= k < start)
        after_outer = sorted(k for k in by_loc if k > oend)
        order = after_in_outer + (before_in_outer if outer is not loop else []) + after_outer
        killed_in: list[frozenset] = []  # constructs in which an assignment already ran
        for key in order:
            k, ctx = by_loc[key]
            if k == "kill":
                if ctx <= here:
                    return False  # runs whenever control gets past the loop: dead
                killed_in.append(ctx)  # an assignment that may not run kills only what follows it inside
            elif not any(c <= ctx for c in killed_in):
                return True
        return False
