"""When may updates of one element run in any order? For the synchronized updates of the author
(atomic, critical) and the one-element array-section reductions: a number type ('_Bool' adds by
setting or toggling, a class's '+=' need not commute, a pointer is no sum), and, for an integer,
an added value that is an integer too ('x += 0.5' truncates the sum, so its order shows)."""
from __future__ import annotations

import re

from ..frontend import buildtypes, ir
from ..frontend.walk import all_exprs

_QUALIFIERS = {"const", "volatile", "static", "register", "extern", "inline", "constexpr", "mutable", "signed"}
_FLOATS = {"float", "double", "long"}
_BUILTIN = {"char", "short", "int", "long", "float", "double", "unsigned", "size_t"}  # (never a typedef's name)
_FLOAT_LITERAL = re.compile(r"^(\d+\.\d*|\.\d+|\d+[eE][-+]?\d+|\d+\.\d*[eE][-+]?\d+)[fFlL]?$")


def number_kind(t: str, tu: ir.TranslationUnit, defs, _seen: frozenset = frozenset()) -> str | None:
    """'int', 'float', or None (bool, a class, a pointer, a type not known) for a type's text,
    through macros and typedefs ('#define real double', 'typedef _Bool flag_t;')."""
    words = [w for w in re.findall(r"[A-Za-z_][\w:]*|\*", t) if w not in _QUALIFIERS]
    if not words or "*" in words or any(w in ("bool", "_Bool") for w in words):
        return None
    if len(words) == 1 and words[0] not in _seen and words[0] not in _BUILTIN:
        w = words[0].removeprefix("std::")
        if w in tu.macros and w not in tu.fmacros:
            return number_kind(tu.macros[w], tu, defs, _seen | {w})
        if defs and w in defs:
            kinds = {number_kind(" ".join(ws), tu, defs, _seen | {w}) if ws else None for ws in defs[w] if ws != ()}
            return kinds.pop() if len(kinds) == 1 else None
    if all(w in _FLOATS for w in words) and any(w in ("float", "double") for w in words):
        return "float"
    return "int" if buildtypes.integer_type(" ".join(words), defs) is not None else None


def _maybe_bool(t: str, tu: ir.TranslationUnit, defs, _seen: frozenset = frozenset()) -> bool:
    """Does the type's text name '_Bool' through its macros or typedefs?"""
    for w in re.findall(r"[A-Za-z_]\w*", t):
        if w in ("bool", "_Bool"):
            return True
        if w in _seen:
            continue
        if w in tu.macros and _maybe_bool(tu.macros[w], tu, defs, _seen | {w}):
            return True
        if defs and w in defs and any(ws and _maybe_bool(" ".join(ws), tu, defs, _seen | {w}) for ws in defs[w]):
            return True
    return False


def exprs_of_assigns(body, n: str):
    """The values the loop adds to the scalar ``n``: of 'n op= e', 'n++' (1) and 'n = n op e'."""
    for e in all_exprs(body):
        t = type(e)
        if t is ir.IncDec and type(e.target) is ir.Name and e.target.id == n:
            yield ir.Num(e.loc, "1", 1)
        elif t is ir.Assign and type(e.target) is ir.Name and e.target.id == n:
            v = e.value
            if e.op != "=":
                yield v
            elif type(v) is ir.Binary and v.left.text == n:
                yield v.right
            elif type(v) is ir.Binary and v.right.text == n:
                yield v.left
            else:
                yield v


_INT_RESULT = frozenset(("==", "!=", "<", ">", "<=", ">=", "&&", "||", "%", "<<", ">>", "&", "|", "^"))


class CommuteMixin:
    """Facts about the loop's synchronized updates and the types they add to."""

    def _kind_of(self, n: str) -> str | None:
        """The number kind of what ``n`` holds, or of its elements for a one-level pointer or array."""
        d = self.scope.decl(n)
        if d is None or d.reference or d.pointers + d.dims > 1:
            return None
        return number_kind(d.type, self.tu, self.az.type_defs)

    def _number_like(self, n: str) -> bool:
        """Does ``n`` (or its elements) hold a number, or a type only the build knows ('real' from
        a header not read, 'val_t' defined under #if both ways) that is not a bool, a class, a
        record or a pointer? As reductions do, such a type is taken for the number it names."""
        d = self.scope.decl(n)
        if d is None or self._kind_of(n) is not None:
            return True
        if d.reference or d.pointers + d.dims > 1 or "std::" in d.type or "<" in d.type \
                or _maybe_bool(d.type, self.tu, self.az.type_defs):
            return False
        words = re.findall(r"[A-Za-z_]\w*", d.type)
        defs = self.az.type_defs or {}
        for w in words:
            if w in _BUILTIN:
                continue
            if w in self.tu.records:
                return False
            cands = defs.get(w, ())
            # (None: a definition that is no type's words, 'typedef int *ip;'; a name with no other
            # definition is no number we know of)
            if cands and all(ws is None for ws in cands):
                return False
            if any(ws and ("*" in ws or any(x in self.tu.records for x in ws)) for ws in cands):
                return False
        return True

    def _commutes(self, n: str) -> bool:
        """May updates of ``n`` (an array or scalar the function names) by one operator run in any
        order? Only on a number type, not through a name the loop declares (a pointer or reference
        to what else it names), nor through a member path ('s.h[k]', which may hold an array the
        loop also names plainly). An undeclared name (a snippet's) is typed by its updates alone, as
        its reductions are."""
        if n in self.local or "." in n or "->" in n:
            return False
        return self._number_like(n)

    def _adds_exactly(self, n: str, value: ir.Expr | None) -> bool:
        """Is adding ``value`` to ``n`` exact in any order: a float (as a reduction is), or an
        integer plus an integer value (_integral)?"""
        if self.scope.decl(n) is None or self._kind_of(n) != "int":
            return True
        return value is not None and self._integral(value)

    def _integral(self, e: ir.Expr) -> bool:
        """Is ``e`` an integer value: integer literals, integer variables and elements, casts to an
        integer type, arithmetic of those? Names the loop does not declare count as integers (a
        snippet's), calls never do."""
        t = type(e)
        if t is ir.Num:
            return not _FLOAT_LITERAL.match(e.text)
        if t is ir.Name:
            return self.scope.decl(e.id) is None or self._kind_of(e.id) == "int"
        if t is ir.Index:
            b, n = e.base, 1
            while type(b) is ir.Index:
                b, n = b.base, n + 1
            if type(b) is ir.Name:  # ('h2[i][j]' of 'unsigned h2[72][72]': an element of the declared type)
                d = self.scope.decl(b.id)
                if d is not None and not d.reference and d.pointers + d.dims == n:
                    return number_kind(d.type, self.tu, self.az.type_defs) == "int"
            return self._integral(b) if type(b) in (ir.Name, ir.Member) else False
        if t is ir.Member:  # ('m->iia[i]': the field's type, where the program declares it)
            fd = self.tu.fields.get(e.field)
            return fd is None or number_kind(fd.type, self.tu, self.az.type_defs) == "int"
        if t is ir.Cast:
            return number_kind(e.type, self.tu, self.az.type_defs) == "int"
        if t is ir.Binary:
            # a comparison or logical operator gives an int, and '%', shifts and bitwise operators
            # take only integers ('d += x != 0')
            return e.op in _INT_RESULT or (self._integral(e.left) and self._integral(e.right))
        if t is ir.Unary:
            return e.op == "!" or self._integral(e.operand)
        if t is ir.Cond:
            return self._integral(e.then) and self._integral(e.other)
        if t is ir.Call:  # (a function of the program that returns an integer by value: 'pure2(i, 5u)')
            fs = [f for f in self.az.functions if f.name.rsplit("::", 1)[-1] == e.name]
            return bool(fs) and all(f.returns and number_kind(f.returns, self.tu, self.az.type_defs) == "int"
                                    for f in fs)
        return False

    def _reduces_exactly(self, n: str) -> bool:
        """May a '+' or '*' reduction of the declared scalar ``n`` reorder its updates? Not on a
        '_Bool' nor on a type that is not known to be a number, and on an integer only when every
        value added is an integer ('s += a[i]', 's = s + k')."""
        kind = self._kind_of(n)
        if kind is None:
            # (a type only the build knows, 'real' from an unread header, reduces as it did: unless bool)
            return not _maybe_bool(self.scope.decl(n).type, self.tu, self.az.type_defs)
        if kind == "float":
            return True
        for st in exprs_of_assigns(self.loop.body, n):
            if not self._adds_exactly(n, st):
                return False
        return True

    def _sync_update(self, st: ir.Sync):
        """atomic_update's (target, key, uses, value), or None where the lock's name is a macro
        (two sections may spell one lock differently, or one spelling may name two)."""
        from .scalars import atomic_update
        u = atomic_update(st)
        if u is None or (st.kind == "critical" and st.name in self.tu.macros):
            return None
        return u
