"""The context of a loop in its function: the one definition before the loop of a variable
its bounds read (a strip-mined loop's 'b_end'), and how each name is used in the function."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..frontend import ir
from .census import fits
from ..frontend.walk import all_exprs, all_stmts, enclosing_loops, exprs, names, stmt_exprs, substmts


_CONTEXT_NODES = frozenset({ir.Name, ir.Num, ir.Binary, ir.Cond, ir.Unary, ir.Cast})


_PLAIN_INT = re.compile(r"(const\s+)?(signed\s+)?(int|long|long\s+int|long\s+long|long\s+long\s+int)(\s+const)?")


def _plain_int(t: str) -> bool:
    """A signed integer type no narrower than int: arithmetic on it does not wrap."""
    return bool(_PLAIN_INT.fullmatch(t.strip()))


@dataclass
class _NameUses:
    defs: list = field(default_factory=list)  # (statement, value) of plain definitions
    writes: int = 0  # assignments and increments, definitions by assignment included
    write_ids: list = field(default_factory=list)
    addr: int = 0  # '&name'
    args: int = 0  # a call's argument


@dataclass
class _Occurrences:
    names: dict = field(default_factory=dict)
    lambdas: bool = False

    def at(self, n: str) -> _NameUses:
        o = self.names.get(n)
        if o is None:
            o = self.names[n] = _NameUses()
        return o


class ContextMixin:
    """Definitions before the loop that its bounds may be read through."""

    def _bound_names(self) -> frozenset[str]:
        """Names in the bounds of this loop and of the loops nested in it: the only ones
        followed to a definition before the loop (_context_def)."""
        if self._bnames is None:
            out: set[str] = set()
            for l in self.nest_loops.values():
                c = l.canonical
                if c is not None:
                    for e in (c.lower, c.upper):
                        if e is not None:
                            out |= names(e)
            locals_ = self.scope.locals
            self._bnames = frozenset(n for n in out if n in locals_ and n not in self.written and n not in self.local)
        return self._bnames

    def _context_value(self, n: str) -> ir.Expr | None:
        if n not in self._bound_names():
            return None
        hit = self._context_def(n)
        return hit[0] if hit else None

    def _context_def(self, n: str) -> tuple[ir.Expr, tuple[ir.Loop, ...]] | None:
        """The value of a scalar the loop only reads, when its one definition in the function
        runs before the loop on every path to it and nothing it reads can change in between:
        the bounds of a strip-mined loop ('int b_start = blk*8, b_end = ... ? n : ...;' in the
        body of the loop over blocks). (value, the enclosing loops whose variables it reads);
        None otherwise. Deliberately narrow: a signed, non-narrow int local, defined once,
        whose address is never taken and which is never a call's argument (a C++ reference
        or a macro could write it there), in a function without lambdas, named by no macro;
        its value built from such parameters, constants and the variables of enclosing
        canonical loops, with arithmetic and comparisons only."""
        cache = self._ctx_cache
        if n in cache:
            return cache[n]
        cache[n] = None
        fn = self.fn
        d = self.scope.locals.get(n) if fn is not None else None
        if d is None or d.pointer or d.array or d.reference or d.static or fn.labels \
                or n in self.scope.params or n in self.scope.globals or not _plain_int(d.type):
            return None
        occ = self._occurrences()
        if occ.lambdas or self._macro_names(n):
            return None
        o = occ.names.get(n)
        if o is None or len(o.defs) != 1 or o.addr or o.args or o.writes != (0 if type(o.defs[0][0]) is ir.Decl else 1):
            return None
        stmt, value = o.defs[0]
        if not all(type(x) in _CONTEXT_NODES and (type(x) is not ir.Unary or x.op == "-")
                   and (type(x) is not ir.Cast or _plain_int(x.type)) and (type(x) is not ir.Num or isinstance(x.value, int))
                   for x in exprs(value)):
            return None
        path = self._path_to_loop()
        if not any(any(x is stmt for x in lst[:k]) for lst, k in path):
            return None  # not a statement that runs before the loop in a block around it
        enclosing = [l for l in enclosing_loops(self.tu, self.loop) if any(x is stmt for x in all_stmts(l.body))]
        used: list[ir.Loop] = []
        for m in names(value):
            if m in self._constants:
                continue
            around = next((l for l in enclosing if l.canonical is not None and l.canonical.var == m), None)
            if around is not None and self._only_header_writes(m, around):
                used.append(around)
            elif not self._unchanging(m):
                return None
        cache[n] = (value, tuple(used))
        return cache[n]

    def _scoped_constants(self) -> dict[str, int]:
        """Locals declared more than once in the function ('int k=1, kl=1;' in one branch,
        'int k=nz, kl=-1;' in the other), each declaration's initializer the only write of
        the name anywhere in it: at this loop the name is the declaration in scope there, and
        its value that declaration's integer literal. (Scope.constants takes only names
        declared once.) Not for a name whose address is taken, that is a call's argument (a
        C++ reference), that a macro or a lambda could write, or that the loop declares."""
        fn = self.fn
        if fn is None or not self.scope.redeclared:
            return {}  # (no name declared twice: spares the function's census of names)
        occ = self._occurrences()
        if occ.lambdas:
            return {}
        cands = {n for n, o in occ.names.items()
                 if len(o.defs) > 1 and not o.writes and not o.addr and not o.args and n not in self.local
                 and n in self.scope.locals and all(type(st) is ir.Decl for st, _ in o.defs)}
        if not cands:
            return {}
        decls = visible_decls(fn.body, self.loop.id) or []
        seen: dict[str, ir.VarDecl] = {}
        for st in decls:
            for v in st.vars:
                if v.name in cands:
                    seen[v.name] = v
        out: dict[str, int] = {}
        for n, v in seen.items():
            if v.pointer or v.array or v.reference or v.static or self._macro_names(n) or n in self.scope.unplain():
                continue
            x, sign = v.init, 1
            if isinstance(x, ir.Unary) and x.op == "-":
                x, sign = x.operand, -1
            if isinstance(x, ir.Num) and isinstance(x.value, int) and fits(v.type, sign * x.value):
                out[n] = sign * x.value
        return out

    def _int_uses(self, m: str) -> tuple[bool, "_NameUses | None"]:
        """Is 'm' a signed int scalar (not global, not redeclared in the loop, named by no
        macro) whose address the function never takes and that it passes to no call? With
        its uses in the function."""
        if m in self.local or m in self.scope.globals or self._macro_names(m):
            return False, None
        d = self.scope.decl(m)
        o = self._occurrences().names.get(m)
        ok = d is not None and _plain_int(d.type) and not d.pointer and not d.reference and \
            (o is None or (not o.addr and not o.args)) and m not in self.scope.unplain()
        return ok, o

    def _unchanging(self, m: str) -> bool:
        """A signed int parameter the function never writes (see _int_uses)."""
        ok, o = self._int_uses(m)
        return ok and m in self.scope.params and (o is None or (not o.defs and not o.writes))

    def _only_header_writes(self, m: str, loop: ir.Loop) -> bool:
        """Is 'm', the variable of an enclosing canonical loop, a signed int (see _int_uses)
        written only by that loop's header?"""
        ok, o = self._int_uses(m)
        if not ok or o is None:
            return False
        header = {id(x) for st in loop.init for e in stmt_exprs(st) for x in exprs(e)}
        if loop.update is not None:
            header |= {id(x) for x in exprs(loop.update)}
        return all(w in header for w in o.write_ids) and all(any(st is x for x in loop.init) for st, _ in o.defs)

    def _macro_names(self, n: str) -> bool:
        """Does a macro of the file name 'n' (it could write it where the code shows no name)?"""
        pat = re.compile(r"\b" + re.escape(n) + r"\b")
        return any(pat.search(b or "") for b in self.tu.macros.values()) or \
            any(pat.search(b or "") for b in self.tu.fmacros.values())

    def _occurrences(self) -> "_Occurrences":
        """How each name is used in the function (once per function: the analyzer keeps it)."""
        if self._occ is None:
            hit = self.az._fn_occurrences.get(id(self.fn))
            if hit is not None and hit[0] is self.fn:
                self._occ = hit[1]
                return self._occ
            occ = _Occurrences()
            for st in all_stmts(self.fn.body):
                if type(st) is ir.Decl:
                    for v in st.vars:
                        if v.init is not None:
                            occ.at(v.name).defs.append((st, v.init))
                elif type(st) is ir.ExprStmt and type(st.expr) is ir.Assign and st.expr.op == "=" \
                        and type(st.expr.target) is ir.Name:
                    occ.at(st.expr.target.id).defs.append((st, st.expr.value))
            for e in all_exprs(self.fn.body):
                t = type(e)
                if (t is ir.Assign or t is ir.IncDec) and type(e.target) is ir.Name:
                    o = occ.at(e.target.id)
                    o.writes += 1
                    o.write_ids.append(id(e))
                elif t is ir.Unary and e.op == "&" and type(e.operand) is ir.Name:
                    occ.at(e.operand.id).addr += 1
                elif t is ir.Call:
                    for a in e.args:
                        if type(a) is ir.Name:
                            occ.at(a.id).args += 1
                elif t is ir.Opaque and e.text == "<lambda>":
                    occ.lambdas = True
            self._occ = occ
            self.az._fn_occurrences[id(self.fn)] = (self.fn, occ)
        return self._occ

    def _path_to_loop(self) -> list[tuple[tuple[ir.Stmt, ...], int]]:
        """The statement lists from the function's body down to this loop, each with the
        position of the statement that holds the loop."""
        if self._path is None:
            target = self.loop.id

            def holds(st) -> bool:
                return (type(st) is ir.ForStmt and st.loop.id == target) or any(holds(c) for c in substmts(st))

            path: list = []
            lst = self.fn.body
            while lst:
                k = next((i for i, st in enumerate(lst) if holds(st)), None)
                if k is None:
                    break
                path.append((lst, k))
                st = lst[k]
                if type(st) is ir.ForStmt and st.loop.id == target:
                    break
                lst = st.body if type(st) is ir.Block else (st.loop.body if type(st) is ir.ForStmt else ())
            self._path = path
        return self._path


def _stmt_lists(st: ir.Stmt) -> tuple[tuple[ir.Stmt, ...], ...]:
    """The statement lists nested directly in a statement, in order: a declaration in one
    is visible to the statements after it in the same list (a loop's header to its body)."""
    t = type(st)
    if t is ir.If:
        return st.then, st.orelse
    if t is ir.ForStmt:
        return st.loop.init, st.loop.body
    if t in (ir.While, ir.Switch, ir.Block, ir.Sync, ir.Region):
        return (st.body,)
    return ()


def visible_decls(body: tuple[ir.Stmt, ...], loop_id: int) -> list[ir.Decl] | None:
    """The declaration statements whose names are in scope at the loop ``loop_id``,
    outermost first (a later one shadows an earlier one of the same name); None if the loop
    is not in ``body``. A loop header's declarations count for the loop's body."""
    def holds(st) -> bool:
        return (type(st) is ir.ForStmt and st.loop.id == loop_id) or any(holds(c) for c in substmts(st))

    out: list[ir.Decl] = []
    lst = body
    while True:
        k = next((i for i, st in enumerate(lst) if holds(st)), None)
        if k is None:
            return None
        out.extend(x for x in lst[:k] if type(x) is ir.Decl)
        st = lst[k]
        if type(st) is ir.ForStmt and st.loop.id == loop_id:
            return out
        subs = _stmt_lists(st)
        j = next(j for j, sub in enumerate(subs) if any(holds(x) for x in sub))
        if type(st) is ir.ForStmt and j == 1:
            out.extend(x for x in subs[0] if type(x) is ir.Decl)
        lst = subs[j]
