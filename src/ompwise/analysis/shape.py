"""The shape of a loop nest: constant trip count, triangular or irregular inner loops,
a perfectly nested child."""
from __future__ import annotations

from ..frontend import ir
from ..frontend.walk import all_stmts, exprs, names
from . import affine as A
from .tripbound import trip_bound


class ShapeMixin:
    """Trip count and nest shape, for the schedule and collapse choices."""

    def _trip_count(self, loop: ir.Loop) -> int | None:
        c = loop.canonical
        b = A.AffineBuilder(lambda n: False, lambda n: False, constants=self.az.constants)
        lo = b(c.lower) if c.lower is not None else None
        hi = b(c.upper) if c.upper is not None else None
        if (lo is None or hi is None or not A.is_const(lo) or not A.is_const(hi)) and c.lower is not None \
                and c.upper is not None and (names(c.lower) | names(c.upper)) & self.az.enum_constants().keys():
            # 'ii < numberOfTimers', the last constant of its enum
            b = A.AffineBuilder(lambda n: False, lambda n: False, constants=self._with_enums())
            lo, hi = b(c.lower), b(c.upper)
        if lo is None or hi is None or not A.is_const(lo) or not A.is_const(hi):
            return None
        n = A.const_value(hi) - A.const_value(lo)
        step = c.step
        if step is None:  # symbolic: known only when it folds to a constant
            s = b(c.step_expr) if c.step_expr is not None else None
            if s is None or not A.is_const(s) or A.const_value(s) <= 0:
                return None
            step = A.const_value(s)
        step = abs(step)
        return max(0, (n + step - 1) // step)

    def _in_method(self) -> bool:
        """Is the loop in a member function, where a member hides a global or enum of its name?"""
        return self.fn is not None and (self.fn.class_name is not None or "::" in self.fn.name)

    def _with_enums(self, sizes: bool = False) -> dict[str, int]:
        """The constants, and the enumeration constants no declaration of the function hides (with
        ``sizes``, also the macros whose value is only one between an array's brackets)."""
        decl, fields = self.scope.decl, self.scope.fields
        method = self._in_method()
        return {**{k: v for k, v in self.az.enum_constants().items()
                   if decl(k) is None and not (method and k in fields)},  # (a member hides it in a method)
                **(self.az.extent_constants() if sizes else self.az.constants)}

    def _trip_bound(self) -> tuple[int, str] | None:
        """At most how many iterations the arrays indexed in every iteration allow (tripbound.py)."""
        scope, fields, written, loop = self.scope, self.scope.fields, self.written, self.loop
        method = self._in_method()

        records = self.az.tu.record_members
        this = self.fn.class_name or (self.fn.name.rsplit("::", 1)[0].rsplit("::", 1)[-1]
                                      if self.fn is not None and "::" in self.fn.name else None) if method else None

        def record_of(e: ir.Expr) -> dict[str, ir.VarDecl] | None:
            """The members of the record ``e`` is (or points to), where its declared type says."""
            t = type(e)
            if t is ir.Index:
                return record_of(e.base)  # ('tiles[t].dims': an element of an array of records)
            if t is ir.Name:
                d = None if e.id == "this" else scope.decl(e.id)
                name = this if e.id == "this" else _record_name(d.type) if d is not None else None
            elif t is ir.Member:
                outer = record_of(e.base)
                d = outer.get(e.field) if outer is not None else None
                name = _record_name(d.type) if d is not None else None
            else:
                return None
            return records.get(name) if name else None

        def decl_of(base: ir.Expr) -> ir.VarDecl | None:
            if type(base) is not ir.Name:
                # a member of a record whose definition is in view: one ompwise does not see (a
                # system header's, one defined in a function) may have a member of the same name
                rec = record_of(base.base)
                return rec.get(base.field) if rec is not None else None
            n = base.id
            # names are told apart by name only: a name declared twice, or also a member of the
            # method's class, may be another object than the one declared with a size
            if n in scope.redeclared or (method and n in fields) or \
                    (n in scope.locals and (n in scope.params or n in scope.globals
                                            or scope.locals[n].loc.line >= loop.loc.line)):
                return None
            return scope.decl(n)
        if not any(d.extent is not None for d in scope.locals.values()) and not self.az.has_sizes():
            return None  # (no array of a declared size in view: a snippet's, most of the time)
        return trip_bound(loop, decl_of, lambda n: n not in written, self._with_enums(),
                          self.fn.labels if self.fn is not None else (), self.az.tu.fmacros, self._with_enums(True))

    def _shape(self) -> tuple[bool, bool]:
        # the work of an iteration varies when an inner loop's bounds follow this loop's
        # variable, directly or through an inner variable that does ('k < j' under 'j < i'); a
        # tile loop's 'j < min(jt + T, n)' under 'jt += T' does the same work in every iteration
        varying = {self.var}
        tri = irregular = False
        for l in self.nest_loops.values():  # (outer loops first)
            if l is self.loop:
                continue
            if l.canonical is None:
                irregular = True
                continue
            for bexpr in (l.canonical.lower, l.canonical.upper):
                if bexpr is None:
                    continue
                ns = names(bexpr)
                if ns & varying:
                    tri = True
                    varying.add(l.canonical.var)
                if any(isinstance(x, (ir.Index, ir.Call)) for x in exprs(bexpr)):
                    irregular = True
        if any(isinstance(s, ir.While) for s in all_stmts(self.loop.body)):
            irregular = True
        return tri, irregular

    def _perfect_child(self) -> tuple[int | None, bool]:
        body = self.loop.body
        while len(body) == 1 and isinstance(body[0], ir.Block):
            body = body[0].body
        if len(body) == 1 and isinstance(body[0], ir.ForStmt) and body[0].loop.canonical is not None:
            child = body[0].loop
            c = child.canonical
            dep = set()
            for e in (c.lower, c.upper):
                if e is not None:
                    dep |= names(e)
            return child.id, self.var not in dep and not (dep & self.written)
        return None, False


_QUALIFIERS = frozenset(("const", "volatile", "struct", "class", "union", "restrict", "__restrict", "static"))


def _record_name(type_text: str) -> str | None:
    """'const struct tensor' -> 'tensor'; 'ns::grid' -> 'grid'; templates and builtins: None."""
    if "<" in type_text:
        return None
    words = [w for w in type_text.replace("*", " ").replace("&", " ").split() if w not in _QUALIFIERS]
    return words[0].rsplit("::", 1)[-1] if len(words) == 1 else None
