"""Compare program outputs: numbers with a relative tolerance, everything else exactly."""
from __future__ import annotations

import math
import re

_TOKEN = re.compile(rb"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf|\S+", re.I)


def tokens(data: bytes) -> list[bytes]:
    return _TOKEN.findall(data)


def _num(t: bytes) -> float | None:
    try:
        return float(t)
    except ValueError:
        return None


def compare(a: bytes, b: bytes, rtol: float = 1e-9, atol: float = 0.0, normwise: bool = True) -> tuple[bool, str]:
    """(equal, description of the first difference).

    Numbers match when ``|x - y| <= rtol * max(|x|, |y|)``; with ``normwise`` also when the
    difference is within ``rtol`` of the largest magnitude in the reference output, so that
    round-off around zero in a matrix of O(1) values is not a mismatch.
    """
    ta, tb = tokens(a), tokens(b)
    if normwise:
        mags = [abs(v) for v in (_num(t) for t in ta) if v is not None and math.isfinite(v)]
        if mags:
            atol = max(atol, rtol * max(mags))
    for i, (x, y) in enumerate(zip(ta, tb)):
        if x == y:
            continue
        fx, fy = _num(x), _num(y)
        if fx is not None and fy is not None:
            if math.isnan(fx) and math.isnan(fy):
                continue
            if math.isclose(fx, fy, rel_tol=rtol, abs_tol=atol):
                continue
            return False, f"token {i + 1}: {x.decode(errors='replace')} vs {y.decode(errors='replace')} (rtol {rtol:g})"
        return False, f"token {i + 1}: '{x.decode(errors='replace')[:40]}' vs '{y.decode(errors='replace')[:40]}'"
    if len(ta) != len(tb):
        return False, f"{len(ta)} tokens vs {len(tb)}"
    return True, ""
