"""Calls in a loop body as memory accesses: the arguments a callee writes or reads (from
its summary or the library's known effects), and pointers a callee may keep."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, base_name, children, exprs
from .accesses import _norm
from .effects import READS_ARGS, WRITES_ARGS
from .facts import WILD, _reason
from .privatize import _arithmetic
from .reach import ReachMixin
from .scope import ITERATORS
from .stdlib import BY_NAME, arity, entry, method_writes


_RETURNS_DEST = {n for n, x in BY_NAME.items() if x.returns is not None}  # memcpy returns its destination


def _returns_pointer(f: ir.Function) -> bool:
    """Does some 'return' of ``f`` hand back a pointer variable (a parameter or local declared
    a pointer or array, named other than through '*p' or 'p[k]')?"""
    ptrs = {p.name for p in f.params if p.pointer or p.array or p.reference}
    ptrs |= {v.name for st in all_stmts(f.body) if type(st) is ir.Decl for v in st.vars if v.pointer or v.array}
    for st in all_stmts(f.body):
        if type(st) is not ir.Jump or st.kind != "return" or st.value is None:
            continue
        under: set[int] = set()  # names read through a dereference
        for e in exprs(st.value):
            if type(e) is ir.Unary and e.op == "*" and type(e.operand) is ir.Name:
                under.add(id(e.operand))
            elif type(e) is ir.Index and type(e.base) is ir.Name:
                under.add(id(e.base))
        for e in exprs(st.value):
            if type(e) is ir.Name and e.id in ptrs and id(e) not in under:
                return True
    return False


def _index_chain(x: ir.Expr) -> tuple[ir.Expr, list[ir.Expr]]:
    """``a[i][j]`` -> (``a``, [i, j]): the indexed expression and its subscripts, outermost first."""
    subs: list[ir.Expr] = []
    while isinstance(x, ir.Index):
        subs.insert(0, x.index)
        x = x.base
    return x, subs


def _resolve_root(x: ir.Expr, root: str) -> str:
    if isinstance(x, ir.Member) or (isinstance(x, ir.Unary) and isinstance(x.operand, ir.Member)):
        m = x if isinstance(x, ir.Member) else x.operand
        return _norm(m.text)
    return root


class CallArgsMixin(ReachMixin):
    """What a call reaches through its arguments, and whether it may keep a pointer it is given."""

    def _parents(self) -> dict[int, ir.Expr]:
        """Expression id -> the expression that contains it, over the function's body."""
        parent: dict[int, ir.Expr] = {}
        for e in all_exprs(self.fn.body if self.fn is not None else self.loop.body):
            for c in children(e):
                parent[id(c)] = e
        return parent

    def _kept_by_call(self, arg: ir.Expr, parent: dict[int, ir.Expr]) -> bool:
        """May a pointer ('&x', an array's name) outlive the expression that takes it? Not
        when it is a direct argument of a call that keeps no pointer (_keeps_pointer)."""
        call = parent.get(id(arg))
        direct = type(call) is ir.Call and call.name and any(a is arg for a in call.args)
        return not direct or self._keeps_pointer(call)

    def _keeps_pointer(self, call: ir.Call) -> bool:
        """May the callee keep a pointer it is given? Not when it is a function of the program
        that writes no global and no member of its object, calls nothing unknown, has only
        parameters that are arithmetic values or pointers to arithmetic data (nowhere to
        store a pointer), and returns no pointer variable ('exact_solution(xi, eta, zeta,
        dtemp)' fills 'dtemp' and is done with it; 'randlc(&t1, a)' returns a value)."""
        s = self.az.summary(call.name)
        if s is None:
            # library functions that write through an argument and return no pointer to it
            return call.name not in WRITES_ARGS or call.name in _RETURNS_DEST
        if s.writes_globals or s.unknown or s.writes_this:
            return True
        base = call.name.rsplit("::", 1)[-1]
        fns = [f for f in self.az.functions if f.name.rsplit("::", 1)[-1] == base]
        if not fns:
            return True
        for f in fns:
            for p in f.params:
                if p.reference or (p.pointer and p.pointers != 1) or (p.array and p.pointers) or \
                        ((p.pointer or p.array) and not _arithmetic(replace(p, pointer=False, array=False, pointers=0, dims=0), self.tu)) or \
                        (not p.pointer and not p.array and not _arithmetic(p, self.tu)) or \
                        re.search(r"\bvoid\b|\bchar\b", p.type):  # (void* and char* hold any address)
                    return True
            if _returns_pointer(f):
                return True
        return False

    def _call_accesses(self, call: ir.Call, nest, record) -> None:
        """Memory touched by a call through its arguments, bound from the callee's summary."""
        name = call.name
        summary = self.az.summary(name)
        writes: set[int] = set()
        reads: set[int] = set()
        member = isinstance(call.func, ir.Member)
        atomic = ""  # (the operator of an atomic builtin whose value is thrown away)
        if summary is not None:
            writes, reads = summary.writes_params, summary.reads_params
        elif member:
            # a method of a library class is no free function of the same name ('arr.fill(0)'
            # is not std::fill): it reaches its object, not its arguments
            if method_writes(name, len(call.args)):
                self._object_write(call, nest, record)
            return
        elif (lib := entry(name, self.tu.language)) is not None:
            if len(call.args) < arity(lib):
                self.blockers.append(_reason("CALL-UNKNOWN", f"not parallelized: call to '{name}' with {len(call.args)} "
                                             "arguments, not the library's function, whose definition is not visible",
                                             call.loc, call=name))
                return
            if lib.returns is not None and id(call) not in self._discarded_calls():
                # 'auto e = std::copy(a, a + n, b); *e = 0': a write through e is one into b
                # that the accesses do not follow (e would pass for a local of its own)
                self.blockers.append(_reason("CALL-SIDE-EFFECT", f"not parallelized: the pointer '{name}' returns into "
                                             f"'{call.args[lib.returns].text}' is used, which is not analyzed",
                                             call.loc, call=name))
            writes = set(WRITES_ARGS.get(name, ()))
            reads = set(READS_ARGS.get(name, ()))
            if lib.atomic and id(call) in self._discarded_calls():
                atomic = f"atomic:{lib.atomic}"
            if lib.calls is not None and lib.calls < len(call.args):
                self._callback(call, call.args[lib.calls])
        for i, a in enumerate(call.args):
            x = a
            while isinstance(x, ir.Cast):
                x = x.expr
            # (a callee of unknown effects is a reason of its own: CALL-UNKNOWN, IO)
            addr = isinstance(x, ir.Unary) and x.op == "&" and isinstance(x.operand, ir.Name) \
                and (summary is not None or name in WRITES_ARGS)
            if i not in writes and i not in reads and not addr:
                continue  # (an address is checked even when the callee only passes it on: 'q = id(&t)')
            if addr:
                n = x.operand.id
                if n in self.local or (i == 0 and atomic and self._only_atomic(n, name)):
                    continue  # (a shared counter every iteration only updates atomically: no race)
                fl = self._body_flow()
                if not self._is_scalar(n) or n not in fl.writes:
                    if i in writes:
                        self.blockers.append(_reason("SCALAR-CARRIED", f"not parallelized: call to '{name}' writes '{n}' through a pointer, and '{n}' is shared", call.loc, variable=n))
                    continue
                # the loop writes 'n' by name, so it gets a private copy, and the callee is
                # handed that copy's address: it must find this iteration's value there
                # ('t1 = S; randlc(&t1, a)', a random-number seed) and keep no pointer to it
                if n in fl.exposed or n in fl.address_undefined:
                    self.blockers.append(_reason("SCALAR-CARRIED", f"not parallelized: call to '{name}' "
                                                 f"{'writes' if i in writes else 'reads'} '{n}' through a pointer "
                                                 "before the iteration writes it", call.loc, variable=n))
                elif self._keeps_pointer(call):
                    self.blockers.append(_reason("SCALAR-CARRIED", f"not parallelized: '{name}' is given the address of "
                                                 f"'{n}' and may keep it, while each thread has its own '{n}'", call.loc, variable=n))
                continue
            rec = partial(record, atomic=atomic) if i == 0 and atomic else record
            if summary is None and self._reach_access(call, i, i in writes, i in reads, nest, rec):
                continue  # (memset(b + i*n, 0, n*sizeof *b): the elements b[i*n + k], 0 <= k < n)
            root = base_name(x)
            it = x
            while type(it) is ir.Binary and it.op in ("+", "-"):
                it = it.left  # v.begin() + i
            if root is None and type(it) is ir.Call and isinstance(it.func, ir.Member) and it.name in ITERATORS:
                root = base_name(it.func.base)  # std::fill(v.begin(), v.end(), 0): the container
                if root is not None and root not in self.local_arrays:
                    record(root, f"{name}(...{a.text}...)", None, i in writes, i in reads, call.loc, nest, f"call {name}")
                continue
            if root is None and i in writes:
                self.blockers.append(_reason("CALL-SIDE-EFFECT", f"not parallelized: call to '{name}' writes through "
                                             f"'{a.text}', which is not analyzed", call.loc, call=name))
                continue
            if root is None or root in self.local_arrays:
                continue
            exact = summary.exact_writes.get(i) if summary is not None else None
            if exact and type(x) is ir.Unary and x.op == "&":
                # '&a[k]' to a callee that writes exactly p[c...]: the elements a[k + c]
                base, subs = _index_chain(x.operand)
                d = self.scope.decl(base.id) if type(base) is ir.Name else None
                if d is not None and subs and d.array and not d.pointer and len(subs) == d.dims:
                    for c in sorted(exact):
                        last = subs[-1] if c == 0 else ir.Binary(call.loc, f"{subs[-1].text} + {c}", "+", subs[-1],
                                                                   ir.Num(call.loc, str(c), c))
                        record(base.id, f"{name}(...{a.text}...)[{c}]", (*subs[:-1], last), True, False, call.loc, nest)
                    continue
            if exact and isinstance(x, ir.Name):
                d = self.scope.decl(x.id)
                if d is not None and d.array and not d.pointer and d.dims == 1:
                    # the callee writes exactly these elements on every call
                    # (exact_solution(xi, eta, zeta, dtemp) sets dtemp[0..4])
                    for c in sorted(exact):
                        record(x.id, f"{name}(...{a.text}...)[{c}]", (ir.Num(call.loc, str(c), c),), True, False, call.loc, nest)
                    continue
            subs = self._element_by_value(x, i in writes and name not in self.tu.fmacros)
            if subs is None:
                subs = self._row(x)
            text = f"{name}(...{a.text}...)"
            if i in writes:
                record(_resolve_root(x, root) if subs is None else root, text, subs, True, i in reads, call.loc, nest, f"call {name}")
            elif i in reads:
                record(_resolve_root(x, root) if subs is None else root, text, subs, False, True, call.loc, nest, f"call {name}")
        if summary is not None:
            # globals the callee reads: which elements is unknown, so any write to the
            # same array in the loop is tested against every element
            for g in sorted(summary.reads_globals - summary.writes_globals - self.local):
                d = self.scope.decl(g)
                if self.scope.kind(g) == "global" and d is not None and (d.array or d.pointer):
                    record(g, f"{name}(...) reads '{g}'", None, False, True, call.loc, nest, f"call {name}")

    def _only_atomic(self, n: str, builtin: str) -> bool:
        """Does the loop name ``n`` only as '&n' given to atomic builtins of ``builtin``'s operator
        whose values it throws away ('__sync_fetch_and_add(&count, 1);')? Then iterations update
        it in any order to the same sum, and no plain access races with them."""
        op = BY_NAME[builtin].atomic
        uses = atomic_uses = 0
        for e in all_exprs(self.loop.body):
            if type(e) is ir.Name and e.id == n:
                uses += 1
            elif type(e) is ir.Call and e.args and (lib := entry(e.name, self.tu.language)) is not None \
                    and lib.atomic == op and id(e) in self._discarded_calls():
                a = e.args[0]
                while isinstance(a, ir.Cast):
                    a = a.expr
                atomic_uses += type(a) is ir.Unary and a.op == "&" and type(a.operand) is ir.Name and a.operand.id == n
        return uses == atomic_uses and n != self.loop.var and self._commutes(n)

    def _discarded_calls(self) -> set[int]:
        """Ids of the calls of the loop body whose value is thrown away ('memcpy(d, s, n);')."""
        hit = getattr(self, "_discarded", None)
        if hit is None:
            hit = self._discarded = set()
            for st in all_stmts(self.loop.body):
                if type(st) is ir.ExprStmt:
                    e = st.expr
                    while type(e) is ir.Cast and re.fullmatch(r"\s*void\s*", e.type):
                        e = e.expr
                    if type(e) is ir.Call:
                        hit.add(id(e))
        return hit

    def _element_by_value(self, x: ir.Expr, write: bool) -> tuple[ir.Expr, ...] | None:
        """``p[i]`` (no '&') naming a whole element: the callee gets a copy (a struct holding
        pointers, say) and reaches only what that element points to; tested as the element
        itself, on the stated assumption that different elements point to different memory."""
        root, subs = _index_chain(x)
        if not subs or not isinstance(root, ir.Name):
            return None
        d = self.scope.decl(root.id)
        if d is None or not (d.array or d.pointer) or len(subs) < d.dims + (d.pointers if d.pointer else 0):
            return None
        if write:
            self._elements_assumed.setdefault(root.id, x.loc)
        return tuple(subs)

    def _row(self, x: ir.Expr) -> tuple[ir.Expr, ...] | None:
        """``&a[i][j]``, ``a[i]`` or ``a + k`` passed to a callee: a[i][j][*...], a[i][*...], a[k + *]."""
        if isinstance(x, ir.Unary) and x.op == "&":
            x = x.operand
        x, subs = _index_chain(x)
        if not isinstance(x, ir.Name):
            return None
        d = self.scope.decl(x.id)
        if d is None or not d.array or d.dims == 0:
            return None
        if not subs:
            return None
        # the callee may walk from the given element to the end of the innermost dimension
        if len(subs) >= d.dims:
            subs[-1] = WILD
        return tuple(subs) + (WILD,) * (d.dims - len(subs))
