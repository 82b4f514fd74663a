"""A position inside one tile: 'for (i = s*T; i < min((s+1)*T, n); i++) ... x[i % T]'. Over
[s*T, (s+1)*T) the remainder i % T is i - s*T (for i >= 0), an affine subscript (splatt's
mttkrp.c:1582, 'localrow = i % TILE_SIZES[0]')."""
from __future__ import annotations

import re

from ..frontend import ir
from ..frontend.walk import all_stmts, exprs, names
from . import affine as A
from .bounds import _minmax_parts

def _uncast(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.expr
    return e


def _tile_start(lower: ir.Expr, t: ir.Expr) -> ir.Expr | None:
    """S when 'lower' is 'S*T' or 'T*S' (T as written in the remainder)."""
    lower = _uncast(lower)
    if type(lower) is not ir.Binary or lower.op != "*":
        return None
    tt = A._norm(t.text)
    if A._norm(lower.right.text) == tt:
        return lower.left
    if A._norm(lower.left.text) == tt:
        return lower.right
    return None


class TilesMixin:
    """'i % T' as 'i - s*T' where the loop's bounds keep i inside tile s."""

    def _tile_offset(self, e: ir.Binary) -> ir.Expr | None:
        """'i - lower' for 'i % T' with i this loop's variable, T invariant and free of calls,
        the loop's lower bound 'S*T' and its upper bound '(S+1)*T' or a min with it, both
        written in the header or as const locals declared in the statements right before
        the loop (nothing runs in between, so S and T are the values the bounds saw). For a
        variable of any type, S*T >= 0 without overflow is a stated assumption (BOUNDS-ASSUMED):
        the remainder of a negative or wrapped number is not its offset."""
        if e.op != "%" or self.fn is None:
            return None
        left, t = e.left, e.right  # (a cast of i, '(unsigned short)i % T', repeats within the tile)
        c = self.loop.canonical
        if type(left) is not ir.Name or left.id != self.var or c.step != 1 or c.lower is None or c.upper is None:
            return None
        ivs = {self.var} | self.inner_ivs
        unplain = self.scope.unplain()  # (written where the IR does not show it: '(c ? T : e) = 1')
        if any(type(x) in (ir.Call, ir.Assign, ir.IncDec) for x in exprs(t)) or \
                any(n in ivs or n in self.written or n in self.local or n in unplain for n in names(t)):
            return None
        defs = self._header_consts()
        if defs is None:
            return None
        shown = c.lower
        lower, upper = _uncast(c.lower), _uncast(c.upper)
        lower = defs.get(lower.id, lower) if type(lower) is ir.Name else lower
        upper = defs.get(upper.id, upper) if type(upper) is ir.Name else upper
        s = _tile_start(lower, t)
        if s is None or any(n in unplain for x in (lower, upper) for n in names(x)):
            return None
        b = self._builder(set())
        want, parts = b(s), self._min_parts(upper)
        if want is None:
            return None
        want = A.add(want, A.const(1))
        if not any(p is not None and (q := _tile_start(p, t)) is not None and b(q) == want for p in parts):
            return None
        # (stated for unsigned variables too: S*T may wrap)
        self._tiles_assumed.setdefault(self.var, (shown, e))
        return ir.Binary(e.loc, f"{self.var} - ({lower.text})", "-", left, lower)

    def _min_parts(self, e: ir.Expr) -> list[ir.Expr]:
        """The operands of a min ('SS_MIN(a, b)' too, when its macro is visibly a min), or [e]."""
        parts = _minmax_parts(e, "min")
        if parts is None and type(e) is ir.Call and len(e.args) == 2:
            body = re.sub(r"\s+", "", self.tu.fmacros.get(e.name, "") or "")
            m = re.fullmatch(r"\(*\((\w+)\)<\((\w+)\)\?\((\w+)\):\((\w+)\)\)*", body)
            if m and m.group(1) == m.group(3) and m.group(2) == m.group(4) and m.group(1) != m.group(2):
                parts = list(e.args)
        return parts or [e]

    def _header_consts(self) -> dict[str, ir.Expr] | None:
        """Const scalars declared (with their values) in the statements immediately before
        the loop, in the block that holds it; {} when the loop starts its block."""
        hit = getattr(self, "_hconsts", False)
        if hit is not False:
            return hit
        self._hconsts = None
        lists = [self.fn.body]
        for st in all_stmts(self.fn.body):
            t = type(st)
            if t is ir.If:
                lists += [st.then, st.orelse]
            elif t is ir.ForStmt:
                lists.append(st.loop.body)
            elif isinstance(st, (ir.Block, ir.While, ir.Switch)):
                lists.append(st.body)
        for body in lists:
            k = next((n for n, x in enumerate(body) if type(x) is ir.ForStmt and x.loop is self.loop), None)
            if k is None:
                continue
            out: dict[str, ir.Expr] = {}
            while k > 0 and type(body[k - 1]) is ir.Decl:
                k -= 1
                if any(type(x) in (ir.Assign, ir.IncDec) or type(x) is ir.Call and x.name not in self.tu.fmacros
                       for v in body[k].vars if v.init is not None for x in exprs(v.init)):
                    break  # (a declaration that changes something: the ones above saw other values)
                for v in body[k].vars:
                    if v.const and v.init is not None and not (v.pointer or v.array or v.reference or v.static):
                        out.setdefault(v.name, v.init)
            self._hconsts = out
            break
        return self._hconsts
