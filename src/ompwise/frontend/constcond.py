"""The value of an `if` condition the preprocessor already decides: `if (DEBUG)` with
`#define DEBUG 0`, `if (VERBOSE > 1)`, `if (0)`. The branch it rules out never runs in the
build analyzed (the same configuration as `#if`), so its code is no fact about the loop around
it (a debug `printf` does not make a loop do I/O)."""
from __future__ import annotations

import re

from . import ir
from .nodes import _number

_INT = re.compile(r"^\(*\s*([+-]?(?:0[xX][0-9a-fA-F]+|\d+))([lL]*)\s*\)*$")  # (no 'u': C's unsigned conversions)
_NAME = re.compile(r"^\(*\s*([A-Za-z_]\w*)\s*\)*$")
_LIMIT = 1 << 31  # values an int holds: beyond, C's conversions and overflow are not modelled


def condition_value(e: ir.Expr, macros: dict[str, str], defines: dict[str, str], depth: int = 0,
                    trusted: frozenset[str] | None = None) -> int | None:
    """The integer value of ``e`` when it is built from integer literals and object-like macros
    whose bodies are such literals (or name another one); None otherwise. With ``trusted``, a
    file macro outside it (through any chain of names) decides nothing; ``defines`` (-D) do."""
    if depth > 8:
        return None
    t = type(e)
    if t is ir.Num:
        if not isinstance(e.value, int) or "u" in e.text.lower().lstrip("0x") or abs(e.value) >= _LIMIT:
            return None  # (an unsigned literal converts the other operand: '-1 > 0u' is true)
        return e.value
    if t is ir.Name:
        return _macro(e.id, macros, defines, depth, trusted)
    if t is ir.Unary and e.op in ("!", "-", "+"):
        v = condition_value(e.operand, macros, defines, depth + 1, trusted)
        if v is None:
            return None
        return int(not v) if e.op == "!" else -v if e.op == "-" else v  # (|v| < 2^31 already)
    if t is ir.Binary:
        a = condition_value(e.left, macros, defines, depth + 1, trusted)
        if e.op in ("&&", "||") and a is not None and (a == 0) == (e.op == "&&"):
            return int(e.op == "||")  # (short-circuit: the other side is not needed)
        b = condition_value(e.right, macros, defines, depth + 1, trusted)
        if a is None or b is None:
            return None
        v = _binary(e.op, a, b)
        return v if v is not None and abs(v) < _LIMIT else None
    return None


def _macro(name: str, macros: dict[str, str], defines: dict[str, str], depth: int,
           trusted: frozenset[str] | None = None) -> int | None:
    if trusted is not None and name not in trusted and name not in defines:
        return None
    body = macros.get(name, defines.get(name))
    if not isinstance(body, str) or type(body) is not str:  # (None, or a function-like macro's body)
        return None
    m = _INT.match(body.strip())
    if m:
        v = _number(m.group(1))  # (C's bases: '010' is 8)
        return v if isinstance(v, int) and abs(v) < _LIMIT else None
    m = _NAME.match(body.strip())
    if m and m.group(1) != name:
        return _macro(m.group(1), macros, defines, depth + 1, trusted) if depth < 8 else None
    return None


def _binary(op: str, a: int, b: int) -> int | None:
    ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
           "<": lambda: int(a < b), ">": lambda: int(a > b), "<=": lambda: int(a <= b), ">=": lambda: int(a >= b),
           "==": lambda: int(a == b), "!=": lambda: int(a != b), "&&": lambda: int(bool(a) and bool(b)),
           "||": lambda: int(bool(a) or bool(b)), "&": lambda: a & b, "|": lambda: a | b}
    f = ops.get(op)
    return f() if f is not None else None


_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|define|undef)\b[ \t]*([A-Za-z_]\w*)?", re.M)


def trusted_macros(source: bytes) -> frozenset[str]:
    """The macros whose value the file alone fixes: defined exactly once, outside every
    #if/#ifdef (whose choice may rest on a header read without its includer's configuration, or
    keep both branches), and never #undef'd."""
    if b"#" not in source:
        return frozenset()  # (no directive: every match starts at a '#')
    depth = 0
    count: dict[str, int] = {}
    bad: set[str] = set()
    for m in _DIRECTIVE.finditer(source):
        d, name = m.group(1), m.group(2)
        if d in (b"if", b"ifdef", b"ifndef"):
            depth += 1
        elif d == b"endif":
            depth = max(0, depth - 1)
        elif d in (b"define", b"undef") and name:
            n = name.decode("latin-1")
            count[n] = count.get(n, 0) + 1
            if depth or d == b"undef":
                bad.add(n)
    return frozenset(n for n, c in count.items() if c == 1 and n not in bad)