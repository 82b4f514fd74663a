"""Which of a function's names are plain values: named in its text only where its IR shows them,
and only where nothing can write them or bind a reference to them. A local is taken for a constant
(``int kl = 1;`` read as 1 in a subscript) or for an unchanging bound only if it is plain.

The census compares the function's tokens with its IR: a name the text shows more often than the IR
is used where the lowering does not look (an inline ``asm`` operand, a VLA size or ``sizeof`` type
that assigns, a declaration in an ``if``/``switch``/``while`` condition, a ``catch`` parameter, an
enumerator, ``decltype``), so nothing is known of it. Each occurrence the IR does show must be a
read whose value is used: an operand of arithmetic or a comparison (in C++ only beside built-in
values: an overloaded operator may take a reference), a subscript, a condition, the value of an
assignment or of a non-reference declaration. A branch of ``?:`` or the right side of ``,`` is an
lvalue in C++, and an initializer list may bind a reference member: neither is plain."""
from __future__ import annotations

import re
from functools import lru_cache

from ..frontend import ir
from ..frontend.spans import function_text, line_starts
from ..frontend.walk import all_stmts, base_name, children, stmt_exprs

_TOKEN = re.compile(r"(\.|->|::)?\s*\b([A-Za-z_]\w*)\b")
_SKIP = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)
_VALUE_OPS = frozenset({"-", "+", "!", "~"})
# types whose every value a 32-bit int literal keeps (narrower ones wrap: 'unsigned char d = 257')
_WIDE_INT = frozenset({"int", "long", "signed", "unsigned", "const", "register", "size_t", "ssize_t", "ptrdiff_t",
                       "intptr_t", "uintptr_t", "int32_t", "int64_t", "uint32_t", "uint64_t", "intmax_t",
                       "uintmax_t", "std"})
_SCALAR_WORDS = _WIDE_INT | {"char", "short", "float", "double", "bool", "_Bool", "int8_t", "int16_t", "uint8_t",
                             "uint16_t", "volatile", "static"}


def wide_int(type_text: str) -> bool:
    """An integer type of 32 bits or more, as written ('u8', a typedef, may be a byte: no)."""
    words = re.findall(r"[A-Za-z_]\w*", type_text)
    return bool(words) and all(w in _WIDE_INT for w in words)


def fits(type_text: str, value: int) -> bool:
    """Does a variable of this declared type hold the integer literal unchanged?"""
    return wide_int(type_text) and -(1 << 31) <= value < (1 << 31)


def unplain(fn: ir.Function, tu: ir.TranslationUnit) -> frozenset[str]:
    """The names of ``fn`` that are not plain values (see the module's docstring)."""
    text = _function_text(tu.source, fn)
    raw: dict[str, int] = {}
    for m in _TOKEN.finditer(_SKIP.sub(" ", text)):
        if m.group(1) is None:  # (a member or a qualified name is not this variable)
            raw[m.group(2)] = raw.get(m.group(2), 0) + 1
    if "asm" in raw or "__asm__" in raw or "__asm" in raw:
        return frozenset(raw)
    seen: dict[str, int] = {}
    bad: set[str] = set()
    decls = {p.name: p for p in fn.params}
    for p in fn.params:
        seen[p.name] = seen.get(p.name, 0) + 1
    roots: list[tuple[ir.Expr, object]] = []
    for st in all_stmts(fn.body):
        if type(st) is ir.Decl:
            for v in st.vars:
                seen[v.name] = seen.get(v.name, 0) + 1
                decls.setdefault(v.name, v)
                if v.init is not None:
                    roots.append((v.init, v))
        elif type(st) is ir.ForStmt:  # (its init statements come on their own: all_stmts)
            roots.extend((x, st) for x in (st.loop.cond, st.loop.update) if x is not None)
        if type(st) is not ir.Decl:
            roots.extend((e, st) for e in stmt_exprs(st))
    cxx = tu.language == "cpp"

    def scalar(e: ir.Expr) -> bool:  # a built-in value: no overloaded operator can take it
        t = type(e)
        if t is ir.Num or t is ir.Binary or t is ir.Unary or t is ir.Cast or t is ir.Cond:
            return True
        if t is ir.Name or t is ir.Index:
            n = base_name(e) or ""
            d = decls.get(n) or tu.globals.get(n) or tu.fields.get(n)  # (a member array: 'binpos[b] - start')
            return d is not None and all(w in _SCALAR_WORDS for w in re.findall(r"[A-Za-z_]\w*", d.type))
        return False

    functions: dict[str, list[ir.Function]] = {}
    for f in tu.functions:
        functions.setdefault(f.name.rsplit("::", 1)[-1], []).append(f)

    def by_value(call: ir.Call, arg: ir.Expr) -> bool:  # C++: a reference parameter may write it
        fs = functions.get(call.name, ()) if call.name else ()
        k = next((i for i, a in enumerate(call.args) if a is arg), None)
        return bool(fs) and k is not None and all(  # (every overload of that name)
            k < len(f.params) and not (f.params[k].reference or f.params[k].pointer) for f in fs)

    def visit(e: ir.Expr, parent: object) -> None:
        t = type(e)
        if t is ir.Name:
            seen[e.id] = seen.get(e.id, 0) + 1
            if not _plain_use(e, parent, cxx, scalar, by_value):
                bad.add(e.id)
            return
        for c in children(e):
            visit(c, e)

    for e, parent in roots:
        visit(e, parent)
    bad.update(n for n, k in raw.items() if k > seen.get(n, 0))
    return frozenset(bad)


def _plain_use(e: ir.Name, parent: object, cxx: bool, scalar, by_value) -> bool:
    """Is this occurrence one the analysis' own counts see (a write, an address, a call's
    argument: scope.py and context.py count those), or a read of the value?"""
    t = type(parent)
    if t is ir.Binary:
        if parent.op == ",":
            return not cxx or parent.left is e  # ('(0, d)' is d itself, an lvalue, in C++)
        other = parent.right if parent.left is e else parent.left
        return not cxx or scalar(other)
    if t is ir.Index or t is ir.Assign or t is ir.IncDec or t is ir.Member:
        return True
    if t is ir.Unary:
        return parent.op in _VALUE_OPS or parent.op in ("&", "*")
    if t is ir.Cast:
        return "&" not in parent.type
    if t is ir.Cond:
        return parent.cond is e or not cxx
    if t is ir.Call:  # (the callee's own name binds nothing)
        return parent.func is e or not cxx or by_value(parent, e)
    if t is ir.VarDecl:
        return not (parent.reference or parent.pointer)
    return isinstance(parent, ir.Stmt)  # a statement's own expression: a condition, 'return d;'


def _function_text(data: bytes, fn: ir.Function) -> str:
    """The function's text from its head's line to its matching closing brace."""
    return function_text(data, _starts(data), fn)


@lru_cache(maxsize=4)
def _starts(data: bytes) -> list[int]:  # (once per file, not once per function)
    return line_starts(data)
