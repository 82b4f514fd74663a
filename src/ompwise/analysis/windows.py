"""Copies between planes of a linearized grid over a window the code reads from a table:
sw4lite's periodic boundaries (ew-cfromfort.C:389) copy plane k + nz into ghost plane k for k
in [wind[4+6*s], wind[5+6*s]]. The iterations are independent when the window spans fewer
than nz planes, which the layout intends (ghost layers narrower than the period) but the code
does not show: stated as a BOUNDS-ASSUMED condition, never taken silently. Only this shape
qualifies; a shift over bounds the code shows ('a[i + k] = a[i]', i < n) stays a dependence."""
from __future__ import annotations

from . import affine as A
from . import dependence as D
from .csr import _index_plus_const


class WindowsMixin:
    """The window condition of a plane-shifted pair, when the pair has that shape."""

    def _window_table(self) -> str | None:
        """The array the parallel loop's bounds are both read from ('k = W[a]; k <= W[b]'),
        not written in the loop; None otherwise."""
        c = self.loop.canonical
        if c is None or c.step != 1 or c.lower is None or c.upper is None:
            return None
        lo, hi = _index_plus_const(c.lower), _index_plus_const(c.upper)
        if lo is None or hi is None or lo[1] != 0:
            return None
        w = lo[0].base.id
        if w != hi[0].base.id or w in self.written or w in self.local or w in self.scope.unplain() \
                or self.scope.pointer_copies().get(w):
            return None  # (written in the loop, also through 'int *pw = w' or a C++ reference)
        return w

    def _window_condition(self, split, wsp: D.Space, xsp: D.Space) -> str | None:
        """For subscripts split by their strides that differ in one part alone (the plane:
        'k - kb' against 'k - kb + nz'), by one parameter P, that part holding the parallel
        loop's variable with coefficient 1 and no other part holding it, and the loop's
        bounds from a window table: the condition (isl's, on the window and P) under which
        no two iterations meet. None for any other shape."""
        if split is None or self._window_table() is None:
            return None
        s1, s2 = split
        if len(s1) < 2 or len(s1) != len(s2):
            return None
        apart = [t for t, (a, b) in enumerate(zip(s1, s2)) if a != b]
        if len(apart) != 1:
            return None
        t = apart[0]
        h1, h2 = s1[t], s2[t]
        diff = A.add(h2, h1, -1)
        if len(diff) != 1:
            return None
        (p, coef), = diff.items()
        if not isinstance(p, str) or p.startswith("@") or abs(coef) != 1 or p in wsp.ivs or p in xsp.ivs \
                or p in self.written or p in self.scope.unplain():
            return None  # (the shift must be the one value the condition names: '(c ? nz : e) = 1' is not)
        ivs = {self.var} | self.inner_ivs
        for h in (h1, h2):
            if h.get(self.var) != 1 or any(k != self.var and (k in ivs or isinstance(k, tuple)) for k in h):
                return None
        if any(self.var in A.ivs_of(part, ivs) for u in (s1, s2) for n, part in enumerate(u) if n != t):
            return None
        definite, when = D.definite(s1, wsp, s2, xsp)
        return when if not definite and when else None
