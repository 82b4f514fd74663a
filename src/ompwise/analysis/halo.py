"""Loops that count the layers of a halo: a cost fact for ``advise``.

Stencil codes copy or pack ghost cells with ``for (k = 0; k < depth; k++) for (j = x_min - depth;
j <= x_max + depth; j++) ...``: the outer loop's trip count is the width of the padding the inner
range gets on *both* sides of a range of its own. A halo is one or two cells wide and the range a
whole row, so a team started on the outer loop gets one or two iterations to share: the work is in
the inner loop (CloverLeaf, TeaLeaf and the other halo-exchange kernels parallelize that one).
Padding on one side only ('j < n + m' under 'i < n') says nothing about sizes and is not this.
"""
from __future__ import annotations

from ..frontend import ir
from . import affine as A


def _forms(loop: ir.Loop, ivs: set[str], constants: dict[str, int]):
    c = loop.canonical
    if c is None or c.lower is None or c.upper is None:
        return None
    b = A.AffineBuilder(lambda n: n in ivs, lambda n: n not in ivs, constants=constants)
    lo, hi = b(c.lower), b(c.upper)
    if lo is None or hi is None:
        return None
    return lo, hi


def halo_width(tu: ir.TranslationUnit, loop: ir.Loop, constants: dict[str, int], small: int) -> tuple[str, ir.Loop] | None:
    """(the width's text, an inner loop it pads) when ``loop`` runs from a constant c0 up to a
    width W (positive coefficients) plus a constant c1, |c1 - c0| < ``small``, and every loop
    directly inside it ranges over [A - W, B + W) (constants aside), with B - A not a constant below ``small`` and
    neither bound naming ``loop``'s variable; else None. Only ascending unit-stride outer loops:
    the width must be the trip count."""
    if loop.canonical is None or loop.canonical.step != 1 or not loop.children:
        return None
    ivs = {loop.var}
    own = _forms(loop, ivs, constants)
    if own is None or not A.is_const(own[0]):
        return None
    width = {k: v for k, v in own[1].items() if k != A.ONE}
    if not width or any(type(k) is not str or v <= 0 for k, v in width.items()):
        return None  # (a negative width shrinks the inner range: 'k < 10 - w' around 'lo + w ... hi - w')
    if abs(A.const_value(own[1]) - A.const_value(own[0])) >= small:
        return None  # ('i < NX + ng': the constant part, not the width, is the trip count)
    inner = None
    for cid in loop.children:
        child = tu.loops[cid]
        forms = _forms(child, ivs | {child.var}, constants)
        if forms is None:
            return None
        lo, hi = forms
        if A.ivs_of(lo, ivs) or A.ivs_of(hi, ivs):
            return None  # (bounds that follow the outer variable: a triangle, not padding)
        base_lo, base_hi = A.add(lo, width), A.add(hi, width, -1)
        if any(k in base_lo for k in width) or any(k in base_hi for k in width):
            return None  # (the width must leave both bounds entirely)
        extent = A.add(base_hi, base_lo, -1)
        if A.is_const(extent) and A.const_value(extent) < small:
            return None  # (nothing but padding, or little more: [-W, W) is no larger a range than W's)
        inner = inner or child
    return A.show(width).replace("@", ""), inner
