"""Array dependences of one loop: accesses resolved to affine subscripts over their
iteration spaces, each write tested against the other accesses to its array (isl, CSR row
offsets, or evaluation over constant tables)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, exprs, names
from . import affine as A
from . import dependence as D
from .bounds import _guard_constraints
from .csr import RowOffsetsMixin
from .windows import WindowsMixin
from .evaluator import _Evaluator
from .accesses import _is_field_sub
from .facts import WILD, Access, DepFact, _reason


def _atoms(a: A.Aff) -> set:
    out = set()
    for k in a:
        if isinstance(k, tuple):
            out.update(k)
        else:
            out.add(k)
    return out


def _side(a: Access) -> str:
    """One access as a dependence message shows it ('write a[i] at 3:5'); built only for
    the pairs that block (most pairs tested are independent)."""
    return f"{'write' if a.write else 'read'} {a.text} at {a.loc}"


class DependenceMixin(RowOffsetsMixin, WindowsMixin):
    """Loop-carried dependences between the accesses to each array."""

    def _resolved_subs(self, acc: Access, b: A.AffineBuilder):
        """Subscripts as affine forms, following pointer origins (p = a + k; p[i] -> a[k + i])."""
        name, origin = self.scope.resolve(acc.array)
        if acc.subs is None or not self._origin_usable(acc, name, origin):
            return name, None
        subs = list(acc.subs)
        if origin is not None and origin.prefix:
            d = self.scope.decl(name)
            if d is not None and d.pointer and not d.array:
                # 'row = A[i]' with 'double **A': rows apart only on the stated assumption (as
                # 'A[i][j]' written directly), and never when two visibly share an object
                if self._rows_shared(name, d):
                    return name, None
                if acc.write and name not in self._own_rows():
                    self._rows_assumed.setdefault(name, acc.loc)
        if origin is not None:
            if origin.offset is not None:
                subs[0] = ir.Binary(subs[0].loc, f"{origin.offset.text} + {subs[0].text}", "+", origin.offset, subs[0])
            subs = list(origin.prefix) + subs
        affs = []
        opaque = False
        for s in subs:
            if s is WILD:
                affs.append(None)
                continue
            a = b(s)
            if a is None:
                if len(subs) < 2 or acc.via:
                    return name, None
                opaque = True  # (decided below)
            affs.append(a)
        if opaque:
            # 'x->val[i][ll]' with a counter 'll': a subscript that is not affine is any element
            # of its row (as a call's reach is), when another subscript is affine in this loop's
            # variable and may keep the iterations apart; stated as an assumption (the subscript
            # stays inside its row), as for subscripts that may be negative
            if not any(a is not None and a.get(self.var) for a in affs):
                return name, None
            self._opaque_subs.setdefault(name, acc)
        return name, affs

    def _origin_usable(self, acc: Access, name: str, origin) -> bool:
        """Can the access through ``acc.array`` be read as one of ``name`` at the origin's
        subscripts? They are read where the pointer is used, so they must still name the values
        they had where it was set ('i' reassigned by the loop, 'k' changed after 'row = A[k]');
        and a pointer the loop sets each iteration from what cannot be followed is no array."""
        if origin is not None:
            used = set()
            for x in (*origin.prefix, origin.offset):
                if x is not None:
                    used |= names(x)
            changing = self.written | self.inner_ivs | ({self.var} if acc.array not in self.local else set())
            return not (used & changing)
        if acc.array in self.local and name == acc.array:
            d = self.scope.decl(acc.array)
            if d is not None and d.pointer and not d.array:
                return self._same_pointer(acc)
        return True

    def _same_pointer(self, acc: Access) -> bool:
        """A pointer the loop sets from what cannot be followed ('threadm = thds[t].scratch'):
        one array for the whole loop only if every value it gets reads nothing the loop changes
        ('a + N - 1 - i' does); values that follow an inner loop's variable are taken as the same
        or separate memory, a stated assumption."""
        p = acc.array
        values = [v.init for st in all_stmts(self.loop.body) if type(st) is ir.Decl
                  for v in st.vars if v.name == p and v.init is not None]
        for e in all_exprs(self.loop.body):
            if type(e) is ir.IncDec and type(e.target) is ir.Name and e.target.id == p:
                return False
            if type(e) is ir.Unary and e.op == "&" and type(e.operand) is ir.Name and e.operand.id == p:
                return False  # ('memcpy(&p, ...)', 'pick(&p, i)': set where the analysis does not look)
            if type(e) is ir.Assign and type(e.target) is ir.Name and e.target.id == p:
                if e.op != "=":
                    return False
                values.append(e.value)
        if not values:
            return False
        used = set()
        for v in values:
            used |= names(v)
        if used & ((self.written - {p}) - self.inner_ivs | {self.var}):
            return False
        inner = sorted(used & self.inner_ivs)
        if inner and acc.write and not any(r.code == "ALIAS-ASSUMED" and r.evidence.get("rows") == [p] for r in self.assumptions):
            self.assumptions.append(_reason(
                "ALIAS-ASSUMED", f"assuming '{p}' points to the same or to separate memory for each value of "
                f"'{inner[0]}' (it is set in the loop from '{inner[0]}')", acc.loc, rows=[p]))
        return True

    def _resolve(self, accesses: list[Access]) -> list[tuple]:
        """(access, array it resolves to, affine subscripts or None, iteration space) per distinct access."""
        uniq: dict[tuple, Access] = {}
        for a in accesses:
            uniq.setdefault((a.array, a.text, a.write, a.read, a.nest, a.via, a.atomic), a)
        resolved = []
        for a in uniq.values():
            sp, b = self._space(a.nest, a.env)
            if a.conds:
                extra, exact = _guard_constraints(a.conds, b)
                sp = D.Space(sp.ivs, sp.bounds, sp.extra + extra)
                if not exact:
                    a = replace(a, guarded=True)
            name, affs = self._resolved_subs(a, b)
            resolved.append((a, name, affs, sp))
        return resolved

    def _dependences(self, accesses: list[Access]) -> list[DepFact]:
        facts: list[DepFact] = []
        resolved = self._resolve(accesses)
        self._resolved_all, self._strides_cache = resolved, {}
        bounds_assumed: set[str] = set()
        for i, (a, name, affs, sp) in enumerate(resolved):
            d = self.scope.decl(name)
            if affs is None or d is None or d.dims < 2 or a.via:
                continue
            for k, aff in enumerate(affs[1:len(affs)], start=1):
                neg = D.may_be_negative(aff, sp) if aff is not None else None
                if neg == "always":
                    self.blockers.append(_reason(
                        "DEP-UNKNOWN",
                        f"not parallelized: subscript {k + 1} of '{a.text}' can be negative, so it reaches into another row of '{name}'",
                        a.loc, array=name, access=a.text))
                    resolved[i] = (a, name, None, sp)
                    break
                if neg == "some" and name not in bounds_assumed:
                    # negative only for some values of the symbolic bounds: out of its row
                    # is undefined behaviour in C, so compilers and developers assume it away
                    bounds_assumed.add(name)
                    self.assumptions.append(_reason(
                        "BOUNDS-ASSUMED",
                        f"assuming subscript {k + 1} of '{a.text}' stays inside its row (it is negative only for some values of the loop bounds)",
                        a.loc, array=name, access=a.text))
        self.private_arrays = self._private_arrays(resolved)
        if self.private_arrays:
            resolved = [r for r in resolved if r[1] not in self.private_arrays]
        by_array: dict[str, list] = {}
        for r in resolved:
            if r[1] not in self.array_reductions:  # (still checked for aliasing below)
                by_array.setdefault(r[1], []).append(r)
        reported: set[str] = set()
        order = {id(r): i for i, r in enumerate(resolved)}
        # the subscript lists with no bilinear term, by id: each is tested against many others, so
        # this is known once per access, not once per pair (the lists stay alive in ``resolved``
        # through the pairs below, so no other list can take one of these ids meanwhile)
        self._flat_subs = {id(affs) for _a, _n, affs, _sp in resolved if affs is not None
                           and not any(type(k) is tuple for x in affs if x is not None for k in x)}
        for name, group in by_array.items():
            writes = [r for r in group if r[0].write]
            for w in writes:
                for x in group:
                    if name in reported:
                        break
                    if x[0].write and order[id(x)] < order[id(w)]:
                        continue  # write/write pairs once
                    if not (x[0].read or x[0].write):
                        continue  # '&a[i]': an address taken, no memory touched
                    self._test_pair(name, w, x, facts, reported)
        for name, acc in self._opaque_subs.items():
            if name not in reported:
                self.assumptions.append(_reason(
                    "BOUNDS-ASSUMED", f"assuming the subscripts of '{acc.text}' that are not affine stay inside "
                    f"their row of '{name}' (out of it is undefined behaviour)", acc.loc, array=name, access=acc.text))
        for name, row in self._rows_condition.items():
            if name in reported:
                continue  # (another pair depends anyway)
            # ('iy@0', a linear variable's value when the loop starts, as users read it)
            cond, wa = re.sub(r"\b(\w+)@0\b", r"(\1 on entry)", " and ".join(row["conds"])), row["at"]
            self.assumptions.append(_reason(
                "BOUNDS-ASSUMED", f"assuming {cond} in '{wa.text}' (the linearized subscript of '{name}' "
                "keeps each part below its stride; --verify checks it)", wa.loc, array=name,
                access=wa.text, condition=cond))
        for name, (wa, xa, cond) in self._windows.items():
            if name in reported:
                continue
            self.assumptions.append(_reason(
                "BOUNDS-ASSUMED", f"assuming {cond} (the window of '{self.var}', read from "
                f"'{self._window_table()}', spans fewer planes than '{wa.text}' and '{xa.text}' are apart; "
                "--verify checks it)", wa.loc, array=name, access=wa.text, condition=cond))
        self._aliasing(resolved)
        return facts

    def _test_pair(self, name, w, x, facts, reported) -> None:
        wa, _, waff, wsp = w
        xa, _, xaff, xsp = x
        if wa.atomic and wa.atomic == xa.atomic and all(
                self._commutes(n) for n in (name, wa.array, xa.array)) and not any(
                _is_field_sub(s) for a in (wa, xa) for s in a.subs or ()):  # (no member path: 's.h[k]')
            # atomic updates by one operator ('+=' or '__sync_fetch_and_add'), values unused:
            # in whatever order the iterations run them, each element ends with the same value
            facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, False, None, "atomic"))
            return
        arr = self._csr_disjoint(wa, waff, xa, xaff)
        if arr is not None:
            facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, False, None, "row-offsets"))
            self._monotone.setdefault(arr, wa.loc)
            return
        if waff is not None and xaff is not None and len(waff) != len(xaff) and (wa.via or xa.via):
            n = max(len(waff), len(xaff))
            waff, xaff = waff + [None] * (n - len(waff)), xaff + [None] * (n - len(xaff))
        if (waff is None or xaff is None) and not (wa.via or xa.via):
            r = self._enumerate(wa, xa)
            if r is not None:
                facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, r.dependent, r.distance, r.test))
                if not r.dependent:
                    return
                dist = f", distance {r.distance}" if r.distance is not None else ""
                self.blockers.append(_reason(
                    "DEP-CARRIED", f"not parallelized: loop-carried dependence on '{name}' ({_side(wa)}, {_side(xa)}{dist}; found by evaluating the subscripts)",
                    wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc),
                    distance=r.distance, test=r.test, synchronized=wa.sync and xa.sync,
                    exact=not (wa.guarded or xa.guarded)))
                reported.add(name)
                return
        if waff is None or xaff is None or len(waff) != len(xaff):
            indirect = any(isinstance(s, ir.Index) or any(isinstance(y, ir.Index) for y in exprs(s))
                           for s in (wa.subs or ()))
            via = wa.via or xa.via
            if via:
                callee = via.removeprefix("call ")
                if wa.via:
                    what = f"writes '{name}' through a pointer argument ({_side(wa)})"
                else:
                    what = f"reads '{name}', which the loop writes ({_side(wa)})"
                code, msg = "CALL-SIDE-EFFECT", f"not parallelized: call to '{callee}' {what}"
            elif indirect and wa.subs is not None:
                code, msg = "INDIRECT-WRITE", f"not parallelized: '{name}' is written through an indirect subscript ({_side(wa)}); iterations may write the same element"
            elif name in self._rows_overlap:
                code, msg = "DEP-UNKNOWN", f"not parallelized: dependence on '{name}' cannot be excluded ({_side(wa)}, {_side(xa)}; rows of '{name}' point into the same object)"
            else:
                code, msg = "DEP-UNKNOWN", f"not parallelized: dependence on '{name}' cannot be excluded ({_side(wa)}, {_side(xa)}; subscript not affine)"
            facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, True, None, "unknown"))
            self.blockers.append(_reason(code, msg, wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc)))
            reported.add(name)
            return
        flat = self._flat_subs
        r = D.test(waff, wsp, xaff, xsp, id(waff) in flat and id(xaff) in flat)
        # (not for what a call reaches: a library call's extent is what it is, memcpy of 2n
        # elements does reach the next row)
        if r.dependent and not (wa.via or xa.via) and any(type(k) is tuple for a in (*waff, *xaff) if a is not None for k in a):
            # a linearized layout ('a[i + j*ld]', an array of cells) whose strides the bounds do
            # not bound: independent if every part stays below its stride, as the layout intends
            assumed: list = []
            depth = {l.canonical.var: l.depth for l in self.nest_loops.values() if l.canonical is not None}
            split = D.split_rows_assumed(waff, xaff, assumed, lambda v: depth.get(v, 1 << 20),
                                         self._array_strides(name, depth), self._larger_stride)
            r2 = D.test(split[0], wsp, split[1], xsp) if split is not None else None
            # (a copy between planes over a window table: independent if the window is
            # narrower than the shift, a condition stated as the rows' are; windows.py)
            window = self._window_condition(split, wsp, xsp) if r2 is not None and r2.dependent else None
            if r2 is not None and (not r2.dependent or window) and assumed \
                    and not any(_span_exceeds(l, f, g, sp) for l1, l2, f, g in assumed for l, sp in ((l1, wsp), (l2, xsp))):
                facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, False, None,
                                     r2.test + (" (rows and window assumed)" if window else " (rows assumed)")))
                conds = self._rows_condition.setdefault(name, {"at": wa, "conds": {}})["conds"]
                for l1, l2, f, g in assumed:
                    conds.setdefault(_row_condition(l1, l2, f, g, {self.var} | self.inner_ivs))
                if window:
                    self._windows.setdefault(name, (wa, xa, window))
                return
        facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, r.dependent, r.distance, r.test))
        if r.dependent:
            dist = f", distance {r.distance}" if r.distance is not None else ""
            definite, when = (True, None) if r.distance is not None or r.test == "ziv" else \
                D.definite(waff, wsp, xaff, xsp) if r.test == "isl" else (False, None)
            ivs = {self.var} | self.inner_ivs
            same = " (the same element in every iteration)" if waff == xaff and all(
                a is not None and not (_atoms(a) & ivs) for a in waff) else ""
            self.blockers.append(_reason(
                "DEP-CARRIED",
                f"not parallelized: loop-carried dependence on '{name}' ({_side(wa)}, {_side(xa)}{dist}){same}"
                + (f"; none if {when}" if when else ""),
                wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc),
                distance=r.distance, test=r.test, synchronized=wa.sync and xa.sync,
                exact=all(wsp.bounded(v) for v in wsp.ivs) and all(xsp.bounded(v) for v in xsp.ivs)
                and not wa.guarded and not xa.guarded and None not in waff and None not in xaff,
                definite=definite, **({"independent_if": when} if when else {})))
            reported.add(name)

    def _array_strides(self, name: str, depth: dict) -> dict:
        """The strides the accesses to ``name`` in this nest multiply a loop variable by (the
        depth of the outermost such loop), and the parameters they name that their definitions
        before the loop show to be multiples of one of those ('npts = nij*nk' beside 'nij*w'):
        a pair is split by these even where its own subscripts name a stride without a loop
        variable ('u[ind - nij]' with the plane fixed). Which strides to split by is only a
        choice of the assumed layout: each split's condition is stated either way."""
        cache = self.__dict__.setdefault("_strides_cache", {})
        if name in cache:
            return cache[name]
        out: dict = {}
        plain: set = set()
        for a, n, affs, _sp in self._resolved_all:
            if n != name or affs is None or a.via:
                continue
            for aff in affs:
                for k in aff or ():
                    if type(k) is tuple:
                        out[k[1]] = min(out.get(k[1], 1 << 20), depth.get(k[0], 1 << 20))
                    elif k != A.ONE:
                        plain.update(A.factors(k))
        for p in plain:
            if p not in out and any(self._larger_stride(p, q) for q in list(out)):
                out[p] = -1  # a multiple of a stride, the loop's variables not multiplied by it: outermost
        cache[name] = out
        return out

    def _larger_stride(self, f, g) -> bool:
        """Is stride ``f`` known to be a multiple of ``g``: the factors of ``g`` (each
        parameter's definition in the function followed, 'nij = ni*(je-jb+1)') are a strict
        part of ``f``'s? Only orders the assumed split (see _array_strides)."""
        ff, gf = _stride_factors(f, self.scope), _stride_factors(g, self.scope)
        if len(gf) >= len(ff):
            return False
        rest = list(ff)
        for x in gf:
            if x not in rest:
                return False
            rest.remove(x)
        return True

    ENUMERATE_LIMIT = 100_000

    def _enumerate(self, wa: Access, xa: Access) -> D.DepResult | None:
        """Exact test by evaluation: constant bounds and subscripts that read constant tables."""
        if wa.nest != (self.loop.id,) or xa.nest != (self.loop.id,) or wa.subs is None or xa.subs is None:
            return None
        c = self.loop.canonical
        ev = _Evaluator(self.az.constants, self.scope, self.written)
        lo, hi = ev.compile(c.lower, None)(None), ev.compile(c.upper, None)(None)
        if lo is None or hi is None or not c.step or (hi - lo) // abs(c.step) > self.ENUMERATE_LIMIT:
            return None
        iters = range(lo, hi) if c.step > 0 else range(hi - 1, lo - 1, c.step)
        if c.step > 0 and c.step != 1:
            iters = range(lo, hi, c.step)
        compiled = []
        for acc in (wa, xa):
            name, origin = self.scope.resolve(acc.array)
            if not self._origin_usable(acc, name, origin):
                return None
            subs = list(acc.subs)
            if origin is not None:
                if origin.offset is not None:
                    subs[0] = ir.Binary(subs[0].loc, "", "+", origin.offset, subs[0])
                subs = list(origin.prefix) + subs
            compiled.append([ev.compile(sub, self.var, acc.env) for sub in subs])
        if iters and any(f(iters[0]) is None for fs in compiled for f in fs):
            return None  # most subscripts cannot be evaluated at all: known before enumerating
        for fs, tag in zip(compiled, (0, 1)):
            table: dict[tuple, set[int]] = {}
            for it in iters:
                key = tuple([f(it) for f in fs])
                if None in key:
                    return None
                table.setdefault(key, set()).add(it)
            if tag == 0:
                first = table
            else:
                for key, its in table.items():
                    other = first.get(key)
                    if other and (len(other | its) > 1):
                        d = min((abs(a - b) for a in other for b in its if a != b), default=None)
                        return D.DepResult(True, d // abs(c.step) if d else None, "enumeration")
        return D.DepResult(False, None, "enumeration")


def _stride_factors(p, scope, depth: int = 0) -> list[str]:
    """The factors of a stride parameter as texts, a local or parameter defined once by a
    product ('const size_t nij = ni*(je-jb+1);') replaced by its factors, recursively."""
    out: list[str] = []
    for f in A.factors(p):
        f = str(f)
        d = scope.decl(f) if f.isidentifier() else None
        if d is not None and d.init is not None and depth < 6 and scope.assign_count.get(f, 0) <= 1 \
                and not d.pointer and not d.array:
            out += _expr_factors(d.init, scope, depth + 1)
        else:
            out.append(f)
    return out


def _expr_factors(e: ir.Expr, scope, depth: int) -> list[str]:
    while True:  # casts, 'static_cast<size_t>(x)', functional 'size_t(x)': the value's factors
        if type(e) is ir.Cast:
            e = e.expr
        elif type(e) is ir.Call and len(e.args) == 1 and re.match(
                r"\s*(static_cast\s*<.*>|size_t|long|int|unsigned)\s*$", e.func.text or ""):
            e = e.args[0]
        else:
            break
    if type(e) is ir.Binary and e.op == "*":
        return _expr_factors(e.left, scope, depth) + _expr_factors(e.right, scope, depth)
    if type(e) is ir.Name:
        return _stride_factors(e.id, scope, depth)
    t = "".join(e.text.split())
    while t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    return [t]


def _row_condition(l1: A.Aff, l2: A.Aff, stride, mult: int, ivs: set[str]) -> str:
    """The condition of one assumed split, as a reader checks it: the part below the stride
    spans fewer values than the stride (only its loop-dependent terms vary)."""
    var1 = {k: v for k, v in l1.items() if k != A.ONE and (_atoms({k: v}) & ivs)}
    var2 = {k: v for k, v in l2.items() if k != A.ONE and (_atoms({k: v}) & ivs)}
    f = str(stride).lstrip("@")
    if mult > 1:
        f = f"{mult}*({f})" if " " in f else f"{mult}*{f}"
    rest1 = {k: v for k, v in l1.items() if k not in var1}
    rest2 = {k: v for k, v in l2.items() if k not in var2}
    if var1 == var2 and var1 and rest1 == rest2:  # (the same offset on both sides cancels)
        return f"the values of {A.show(var1)} differ by less than {f}"
    both = dict.fromkeys((A.show(l1), A.show(l2)))
    return " and ".join(f"0 <= {x} < {f}" for x in both)


def _span_exceeds(part: A.Aff, stride, mult: int, sp: D.Space) -> bool:
    """Do the bounds show the assumed condition false: a loop variable of ``part`` whose range
    is at least the stride whenever it runs ('for (k = 0; k < 2*n; k++) a[i*n + k]')?"""
    for k, c in part.items():
        if type(k) is not str or k not in sp.ivs:
            continue
        lo, hi, _ = sp.bounds[sp.ivs.index(k)]
        if lo is None or hi is None:
            continue
        # the largest difference of two values of c*k is |c|*(hi - 1 - lo)
        span = A.scale(A.add(A.add(hi, lo, -1), A.const(-1)), abs(c))
        rest = A.add(span, {stride: mult}, -1)  # span - stride: >= 0 means the condition fails
        terms = {a: v for a, v in rest.items() if a != A.ONE}
        if any(type(a) is not str for a in terms) or any(v < 0 for v in terms.values()):
            continue
        if sum(terms.values()) + rest.get(A.ONE, 0) >= 0:
            return True  # (at its least with every symbol 1: a stride and a loop that runs are positive)
    return False
