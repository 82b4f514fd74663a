"""The elements a library call reaches from a pointer argument, as accesses.

'memcpy(b + i*n, a + i*n, n*sizeof *b)' writes b[i*n + k] and reads a[i*n + k] for
0 <= k < n: each is recorded as an access inside an extra inner loop over k (an *extent*),
so the dependence tests see what they see for the loop a programmer would have written.
Every step that cannot be shown (the pointee's type against the sizeof, the two ends of a
range on one object) leaves the call to the conservative treatment of callargs.py."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import base_name, names
from .accesses import _direct_dims
from .facts import WILD, _reason
from .stdlib import BY_NAME, Reach

_VOID_PTR = re.compile(r"\s*(const\s+)?(volatile\s+)?void\s*\*\s*(const\s*)?")
_CONTAINER = re.compile(r"(?:std::)?(?:vector|array|valarray)\s*<(.*)>")
_QUALIFIERS = re.compile(r"\b(const|volatile|struct|union|enum|restrict|__restrict|__restrict__)\b|\s+")
_BYTE = {"char", "signedchar", "unsignedchar", "int8_t", "uint8_t", "std::int8_t", "std::uint8_t", "std::byte"}
_START = {"begin", "cbegin", "data"}
_END = {"end", "cend"}


def _norm_type(t: str) -> str:
    return _QUALIFIERS.sub("", t)


def _first_arg(t: str) -> str:
    """'double, 4' -> 'double' (the first template argument, commas inside '<>' kept)."""
    depth = 0
    for k, ch in enumerate(t):
        depth += (ch == "<") - (ch == ">")
        if ch == "," and depth == 0:
            return t[:k]
    return t


def _factors(e: ir.Expr) -> list[ir.Expr]:
    if type(e) is ir.Binary and e.op == "*":
        return _factors(e.left) + _factors(e.right)
    return [e]


def _product(xs: list[ir.Expr], loc: ir.Loc) -> ir.Expr:
    if not xs:
        return ir.Num(loc, "1", 1)
    out = xs[0]
    for x in xs[1:]:
        out = ir.Binary(loc, f"({out.text}) * ({x.text})", "*", out, x)
    return out


def _plus(a: ir.Expr, op: str, b: ir.Expr) -> ir.Expr:
    if op == "+" and type(a) is ir.Num and a.value == 0:
        return b
    return ir.Binary(a.loc, f"({a.text}) {op} ({b.text})", op, a, b)


class ReachMixin:
    """Pointer arguments of library calls as ranges of elements."""

    def _storage(self, name: str) -> tuple[int, str, bool] | None:
        """(subscripts to an element, the element's type, whether rows are pointers) of a
        variable whose elements a pointer argument can point to."""
        d = self.scope.decl(name)
        if d is None:
            return None
        t = d.type
        if _CONTAINER.fullmatch(t.strip()) and not d.pointer:
            depth = 0
            while (m := _CONTAINER.fullmatch(t.strip())) is not None:
                t, depth = _first_arg(m.group(1)), depth + 1
            return depth, _norm_type(t), False  # (nested containers own their rows)
        if "<" in t or d.reference and not d.pointer:
            return None
        if d.pointer_to_array:
            return d.dims + 1, _norm_type(t), False
        depth = (d.dims if d.array else 0) + (d.pointers if d.pointer else 0)
        return (depth, _norm_type(t), depth > _direct_dims(d)) if depth else None

    def _address(self, x: ir.Expr) -> tuple[str, list[ir.Expr], str, bool] | None:
        """The element a pointer expression points to: (variable, subscripts, element type,
        rows are pointers): 'b + i*n' -> b[i*n], '&a[i][0]', 'z[i] + j' -> z[i][j],
        'v.data() + k', 'w[i].begin()' -> w[i][0]. None when not of such a form."""
        t = type(x)
        if t is ir.Cast:
            return self._address(x.expr) if _VOID_PTR.fullmatch(x.type) else None  # (another type: other elements)
        if t is ir.Binary and x.op in ("+", "-"):
            a = self._address(x.left)
            if a is not None:
                return a[0], a[1][:-1] + [_plus(a[1][-1], x.op, x.right)], a[2], a[3]
            a = self._address(x.right) if x.op == "+" else None
            return (a[0], a[1][:-1] + [_plus(a[1][-1], "+", x.left)], a[2], a[3]) if a is not None else None
        if t is ir.Unary and x.op == "&":
            base, subs = _index_chain(x.operand)
            full = True
        elif t is ir.Name or t is ir.Index:
            base, subs = _index_chain(x)
            full = False  # (the array's or row's name: its first element)
        elif t is ir.Call and isinstance(x.func, ir.Member) and x.name in _START and not x.args:
            base, subs = _index_chain(x.func.base)
            full = False
        else:
            return None
        if type(base) is not ir.Name or base.id in self.local and base.id in self.local_arrays:
            return None
        st = self._storage(base.id)
        if st is None:
            return None
        subs = list(subs) if full else list(subs) + [ir.Num(x.loc, "0", 0)]
        return (base.id, subs, st[1], st[2]) if len(subs) == st[0] else None

    def _sizeof(self, e: ir.Expr, elem: str) -> bool:
        """Is ``e`` 'sizeof(T)', 'sizeof *p' or 'sizeof p[0]' with T, or p's elements, of type ``elem``?"""
        if type(e) is not ir.Num or e.value is not None or not e.text.startswith("sizeof"):
            return False
        inner = e.text[6:].strip()
        if inner.startswith("(") and inner.endswith(")"):
            inner = inner[1:-1].strip()
        m = re.fullmatch(r"\*\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*\[[^\[\]]*\]", inner)
        if m is None:
            return _norm_type(inner) == elem
        st = self._storage(m.group(1) or m.group(2))
        return st is not None and st[0] == 1 and st[1] == elem

    def _count(self, call: ir.Call, r: Reach, start: tuple, elem: str) -> ir.Expr | None:
        """How many elements from ``start`` the call reaches; None when not shown."""
        args, loc = call.args, call.loc
        if max(r.size, r.elem or 0) >= len(args):
            return None
        if r.how == "bytes":
            fs = _factors(args[r.size])
            hit = next((k for k, f in enumerate(fs) if self._sizeof(f, elem)), None)
            if hit is not None:
                return _product(fs[:hit] + fs[hit + 1:], loc)
            return args[r.size] if elem in _BYTE else None  # (a byte count of bytes)
        if r.how == "one":
            return ir.Num(loc, "1", 1)
        if r.how == "count":
            return args[r.size] if r.elem is None or self._sizeof(args[r.elem], elem) else None
        # a range between two iterators into the same row of the same object
        lo = start if r.how == "upto" else self._address(args[r.elem])
        hi = self._address(args[r.size])
        if lo is None or hi is None or lo[0] != hi[0] or \
                [s.text for s in lo[1][:-1]] != [s.text for s in hi[1][:-1]]:
            return None
        return _plus(hi[1][-1], "-", lo[1][-1])

    def _whole_row(self, call: ir.Call, i: int, r: Reach) -> tuple[str, list[ir.Expr]] | None:
        """'std::sort(w[i].begin(), w[i].end())': every element of one row of a container."""
        if r.how != "upto" or r.size >= len(call.args):
            return None
        a, b = call.args[i], call.args[r.size]
        if not (type(a) is ir.Call and type(b) is ir.Call and isinstance(a.func, ir.Member) and isinstance(b.func, ir.Member)
                and a.name in _START - {"data"} and b.name in _END and a.func.base.text == b.func.base.text):
            return None
        start = self._address(a)
        if start is None or len(start[1]) < 2:
            return None  # (the whole object: as any write through the call, callargs.py)
        return start[0], start[1][:-1] + [WILD]

    def _reach_access(self, call: ir.Call, i: int, write: bool, read: bool, nest, record) -> bool:
        """Record what a library call reaches from argument ``i`` when its extent is known."""
        r = next((r for k, r in BY_NAME[call.name].writes + BY_NAME[call.name].reads if k == i and r), None) \
            if call.name in BY_NAME else None
        if r is None or not (write or read):
            return False
        text = f"{call.name}(...{call.args[i].text}...)"
        row = self._whole_row(call, i, r)
        if row is not None:
            record(row[0], text, tuple(row[1]), write, read, call.loc, nest, f"call {call.name}")
            return True
        start = self._address(call.args[i])
        if start is None:
            return False
        count = self._count(call, r, start, start[2])
        if count is None:
            return False
        name, subs, _, rows = start
        if rows and write:
            d = self.scope.decl(name)
            if self._rows_shared(name, d):
                return False  # (two rows into one object: the conservative way)
            self._rows_assumed.setdefault(name, call.loc)
        extents = getattr(self, "_extents", None)
        if extents is None:
            extents = self._extents = {}
        lid = -1 - len(extents)  # (the ids of real loops are >= 0)
        k = f"__ext{-lid}"
        zero = ir.Num(call.loc, "0", 0)
        extents[lid] = ir.Canonical(k, True, zero, zero, count, 1, tuple(sorted(names(count))))
        last = _plus(subs[-1], "+", ir.Name(call.loc, k, k))
        record(name, text, tuple(subs[:-1]) + (last,), write, read, call.loc, nest + (lid,), f"call {call.name}")
        return True

    def _callback(self, call: ir.Call, cb: ir.Expr) -> None:
        """A function the library calls back (qsort's comparator): its effects are the call's."""
        from .effects import pure_functor
        name = call.name
        s = self.az.summary(cb.id.rsplit("::", 1)[-1]) if type(cb) is ir.Name else None
        if s is None:
            if not pure_functor(cb):
                self.blockers.append(_reason("CALL-UNKNOWN", f"not parallelized: '{name}' calls '{cb.text}', whose "
                                             "effects are not analyzed", call.loc, call=cb.text))
            return
        what = f"'{name}' calls '{cb.text}', which"
        if s.io:
            self.blockers.append(_reason("IO", f"not parallelized: {what} performs I/O ({s.io})", call.loc, call=cb.text))
        elif s.rng or s.alloc or s.exits or s.unknown:
            self.blockers.append(_reason("CALL-UNKNOWN", f"not parallelized: {what} calls "
                                         f"'{s.rng or s.alloc or s.exits or s.unknown}'", call.loc, call=cb.text))
        elif s.writes_globals:
            g = sorted(s.writes_globals)[0]
            self.blockers.append(_reason("GLOBAL-WRITE", f"not parallelized: {what} writes '{g}'", call.loc,
                                         call=cb.text, variable=g.rpartition("::")[2]))
        elif s.writes_params or s.writes_this:
            self.blockers.append(_reason("CALL-SIDE-EFFECT", f"not parallelized: {what} writes through its "
                                         "arguments", call.loc, call=cb.text))
        else:
            hit = sorted(g for g in s.reads_globals & (self.written | {self.var}) - self.local
                         if self.scope.kind(g) == "global")
            if hit:
                self.blockers.append(_reason("CALL-SIDE-EFFECT", f"not parallelized: {what} reads global '{hit[0]}', "
                                             "which the loop writes", call.loc, call=cb.text, variable=hit[0]))

    def _object_write(self, call: ir.Call, nest, record) -> None:
        """'z.real(v)', 'arr.fill(0)', 'c[i].imag(v)': a library method setting its object."""
        base, subs = _index_chain(call.func.base)
        root = base_name(call.func.base)
        if root is None:
            self.blockers.append(_reason("CALL-SIDE-EFFECT", f"not parallelized: '{call.func.text}()' modifies "
                                         f"'{call.func.base.text}', which is not analyzed", call.loc, call=call.name))
            return
        if type(base) is ir.Name and subs:
            record(root, f"{call.func.text}(...)", tuple(subs), True, False, call.loc, nest, f"call {call.name}")
        elif root not in self.local:
            self.blockers.append(_reason("SHARED-WRITE", f"not parallelized: '{call.func.text}()' modifies shared "
                                         f"'{call.func.base.text}'", call.loc, variable=call.func.base.text))


def _index_chain(x: ir.Expr) -> tuple[ir.Expr, list[ir.Expr]]:
    subs: list[ir.Expr] = []
    while type(x) is ir.Index:
        subs.insert(0, x.index)
        x = x.base
    return x, subs
