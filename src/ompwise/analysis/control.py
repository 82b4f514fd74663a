"""Control flow and exits of a loop body, and the loop header's variables: what makes
running iterations out of order wrong before any memory access is looked at."""
from __future__ import annotations

import re

from ..frontend import buildtypes, ir
from ..frontend.threadprivate import threadprivate_names
from ..frontend.walk import all_exprs, all_stmts, base_name, declared_names, exprs, exprs_by_type, names, stmt_exprs, substmts
from .accesses import _array_key
from .effects import CONST_METHODS, READS_ARGS, WRITES_ARGS, classify_callee
from .facts import _reason
from .scope import written_names


def _outer_uses(stmts, inner: frozenset, names_: set[str], found: dict[str, ir.Loc]) -> None:
    """Uses of ``names_`` in ``stmts`` outside the scope of their declarations in there
    (``inner``: the names declared in an enclosing block of the loop body so far)."""
    here = set(inner)

    def check(e):
        for x in exprs(e):
            if type(x) is ir.Name and x.id in names_ and x.id not in here:
                found.setdefault(x.id, x.loc)
    for st in stmts:
        t = type(st)
        if t is ir.Decl:
            for v in st.vars:
                if v.init is not None:
                    check(v.init)
                here.add(v.name)
        elif t is ir.ForStmt:
            lp = st.loop
            saved = set(here)
            _outer_uses(lp.init, frozenset(here), names_, found)
            here.update(declared_names(lp.init))
            for e in (lp.cond, lp.update):
                if e is not None:
                    check(e)
            _outer_uses(lp.body, frozenset(here), names_, found)
            here = saved
        else:
            for e in stmt_exprs(st):
                check(e)
            _outer_uses(substmts(st), frozenset(here), names_, found)


def _first_write_loc(body, n: str) -> ir.Loc | None:
    for e in all_exprs(body):
        if isinstance(e, (ir.Assign, ir.IncDec)) and isinstance(e.target, ir.Name) and e.target.id == n:
            return e.loc
    return None


class ControlMixin:
    """Blockers found from the loop's statements alone: early exits, statements not understood,
    a changed loop variable or bound, static locals, shadowed names."""

    def _shadowing(self) -> None:
        """Scopes are told apart by name only: a name declared in the loop body that also
        names an outer variable the body uses outside that declaration's block
        ('{ int x = ...; } x = x + 1;') would be taken for the inner one. Such loops are
        not analyzed further."""
        outer_decls = {v.name for st in all_stmts(self.fn.body) if type(st) is ir.Decl
                       and not self.loop.contains(st.loc) for v in st.vars} if self.fn is not None else set()
        ambiguous = {n for n in self.local
                     if n in outer_decls or n in self.scope.params or n in self.scope.globals}
        if not ambiguous:
            return
        found: dict[str, ir.Loc] = {}
        c = self.loop.canonical
        for e in (c.lower, c.upper, c.start):  # the loop's own header is outside every block of its body
            for x in (exprs(e) if e is not None else ()):
                if type(x) is ir.Name and x.id in ambiguous:
                    found.setdefault(x.id, x.loc)
        _outer_uses(self.loop.body, frozenset(), ambiguous, found)
        for n, loc in sorted(found.items()):
            self.blockers.append(_reason(
                "SCALAR-CARRIED", f"not parallelized: '{n}' is declared inside the loop and also names an outer "
                f"variable that the loop uses (at {loc}); the two are not told apart", loc, variable=n))

    def _pointer_references(self) -> None:
        """'double *&slot = A[i]; slot = p;' writes A[i] itself: a reference to a pointer is not
        lowered as what it names, so assigning it is a write the analysis does not follow."""
        for st in all_stmts(self.loop.body):
            if type(st) is ir.Decl:
                for v in st.vars:
                    if v.reference and v.pointer and v.name in self.written:
                        self.blockers.append(_reason(
                            "ALIAS-UNKNOWN", f"not parallelized: '{v.name}' is a reference to a pointer and is assigned: "
                            "the write reaches the pointer it refers to", v.loc, variable=v.name))
                        return

    def _static_locals(self) -> None:
        """A 'static' declared in the body is one object shared by all iterations."""
        statics = {v.name: v for st in all_stmts(self.loop.body) if type(st) is ir.Decl for v in st.vars if v.static}
        if not statics:
            return
        # assigned after its declaration (its initializer runs once, before the loop)
        assigned = {base_name(e.target) for e in all_exprs(self.loop.body) if isinstance(e, (ir.Assign, ir.IncDec))}
        for v in statics.values():
            if v.name in assigned:
                self.blockers.append(_reason(
                    "SHARED-WRITE", f"not parallelized: '{v.name}' is declared static in the body, so all iterations write one shared copy",
                    v.loc, variable=v.name))

    def _control_flow(self) -> None:
        def visit(stmts, in_breakable: bool):
            for s in stmts:
                if isinstance(s, ir.Jump):
                    if s.kind in ("return", "goto", "throw") or (s.kind == "break" and not in_breakable):
                        self.blockers.append(_reason("EXIT-EARLY", f"not parallelized: '{s.kind}' leaves the loop early", s.loc))
                elif isinstance(s, ir.OpaqueStmt):
                    code = "PARSE-ERROR" if s.reason == "syntax-error" else "OPAQUE"
                    self.blockers.append(_reason(code, f"not parallelized: statement not understood ({s.reason}): '{s.text.splitlines()[0][:40]}'", s.loc))
                elif isinstance(s, ir.ForStmt):
                    visit(s.loop.body, True)
                elif isinstance(s, (ir.While, ir.Switch)):
                    visit(s.body, True)
                elif isinstance(s, ir.If):
                    visit(s.then, in_breakable)
                    visit(s.orelse, in_breakable)
                elif isinstance(s, ir.Block):
                    visit(s.body, in_breakable)
        visit(self.loop.body, False)
        visit = None  # break the closure's cycle
        if self.fn is not None and self.fn.constexpr:
            self.blockers.append(_reason("PLACEMENT", "not parallelized: OpenMP directives may not appear in a "
                                         "constexpr function", self.loop.loc))
        if self.fn is not None and self.fn.labels:
            inside = [l for l in self.fn.labels if self.loop.contains(l)]
            if inside and any(type(st) is ir.Jump and st.kind == "goto" for st in all_stmts(self.fn.body)):
                self.blockers.append(_reason("EXIT-EARLY", "not parallelized: a 'goto' may enter the loop at the "
                                             f"label at {inside[0]}", inside[0]))
        if not self.loop.body:
            self.blockers.append(_reason("EMPTY-BODY", "not parallelized: the loop body is empty", self.loop.loc))
        if b"threadprivate" in self.tu.source:  # (a scan only where the file names the directive)
            for n in sorted(written_names(self.loop.body) & threadprivate_names(self.tu)):
                self.blockers.append(_reason(
                    "SHARED-WRITE", f"not parallelized: '{n}' is threadprivate: each thread would update its own "
                    "copy, and no clause may name it", self.loop.loc, variable=n))

    def _iv_modified(self) -> None:
        c = self.loop.canonical
        if c.step_expr is not None:
            self._step_checks(c)
        self._bound_aliases(c)
        if self.var in self.written:
            loc = _first_write_loc(self.loop.body, self.var) or self.loop.loc
            self.blockers.append(_reason("IV-MODIFIED", f"not parallelized: loop variable '{self.var}' is assigned in the body at {loc}", loc, variable=self.var))
        for b in c.bound_names:
            if b in self.written and b not in self.local:
                loc = _first_write_loc(self.loop.body, b) or self.loop.loc
                self.blockers.append(_reason("IV-MODIFIED", f"not parallelized: loop bound '{b}' is assigned in the body at {loc}", loc, variable=b))
        # a bound that reads memory ('i < strlen(s)', 'i < a[0]') is evaluated once by OpenMP,
        # every iteration by the serial loop: the body must not change what it reads
        if c.upper is not None and any(type(x) in (ir.Call, ir.Index) or (type(x) is ir.Unary and x.op == "*")
                                       for x in exprs(c.upper)):
            typed = exprs_by_type(self.loop.body)
            roots = {_array_key(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())} - {None}
            roots |= {base_name(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())
                      if type(e.target) is ir.Name}
            for e in typed.get(ir.Call, ()):
                s = self.az.summary(e.name)
                if s is not None or e.name in WRITES_ARGS:
                    roots |= {base_name(a) for a in e.args} - {None}
            copies = self.scope.pointer_copies()  # ('int *pw = w; pw[1] = 20': w is written too)
            roots |= {q for r in list(roots) for q in copies.get(r, ())}
            skip: set[int] = set()
            for x in exprs(c.upper):
                if type(x) is ir.Call and isinstance(x.func, ir.Member) and self.az.summary(x.name) is None \
                        and (x.name in CONST_METHODS or base_name(x.func.base) not in roots):
                    # v.size(), m.getSize() on an object the body leaves alone (element writes do not
                    # resize it, and resizing is a SHARED-WRITE anyway)
                    skip.update(id(y) for y in exprs(x))
                    continue
                if id(x) in skip:
                    continue
                if type(x) is ir.Call and (x.name or "").startswith("omp_get_"):
                    continue  # omp_get_max_threads(): a query
                if type(x) is ir.Call:
                    s = self.az.summary(x.name)
                    kind = classify_callee(x.name, self.tu) if s is None else "defined"
                    hit = sorted(({base_name(a) for a in x.args} | (s.reads_globals if s else set())) & roots)
                    if hit or (s is None and kind != "pure" and x.name not in READS_ARGS
                               and x.name not in self.az.minmax_calls()):  # (MIN/MAX from an unread header)
                        # (a callee the analysis cannot see is a "don't know", not a proof)
                        code, what = ("IV-MODIFIED", f"the body writes '{hit[0]}'") if hit else \
                            ("CALL-UNKNOWN", "its effects are unknown")
                        self.blockers.append(_reason(code, f"not parallelized: the loop bound calls "
                                                     f"'{x.name}' and {what}: it may change", x.loc, variable=x.name))
                        return
            read = {_array_key(x) for x in exprs(c.upper) if id(x) not in skip
                    and (type(x) is ir.Index or (type(x) is ir.Unary and x.op == "*"))}
            read |= {base_name(x) for x in list(read) if x} & roots  # (a pointer read whole)
            hit = sorted(read & roots - self.local)
            if hit:
                self.blockers.append(_reason("IV-MODIFIED", f"not parallelized: the loop bound reads '{hit[0]}', which "
                                             "the body writes", self.loop.loc, variable=hit[0]))

    def _step_checks(self, c: ir.Canonical) -> None:
        """'i += bs': OpenMP takes any loop-invariant integer step (the bound-names check
        sees direct writes to it). Its sign is the program's only where nothing can wrap: a
        signed variable of at least int's width stepped by signed integers no wider than it (a
        step away from the bound then never ends or overflows, undefined). Anything else (an
        unsigned or narrow variable or step, an unsigned literal, a type the analysis cannot
        resolve) is a stated condition; a step of a known non-integer type is no canonical loop."""
        defs = self.az.type_defs
        step_types = []
        for n in sorted(names(c.step_expr)):
            d = self.scope.decl(n)
            if d is None:
                step_types.append(None)
                continue
            t = None if d.pointer or d.array else buildtypes.integer_type(d.type, defs)
            # (an arithmetic typedef that is no integer type is a floating one: 'typedef double real')
            if t is None and (d.pointer or d.array or any(w in d.type.split() for w in ("float", "double"))
                              or d.type.strip() in self.tu.arith_typedefs or d.type.strip() in self.tu.records):
                self.blockers.append(_reason("NONCANONICAL", f"not in OpenMP canonical form: the loop step '{n}' "
                                             "is not an integer", self.loop.loc, variable=n))
                return
            step_types.append(t)
        unsigned_literal = any(type(x) is ir.Num and x.text.rstrip("lL").lower().endswith("u") for x in exprs(c.step_expr))
        d = self.scope.decl(c.var)
        if d is None and c.declared_in_header and self.loop.init and type(self.loop.init[0]) is ir.Decl:
            d = self.loop.init[0].vars[0]
        iv = buildtypes.integer_type(d.type, defs) if d is not None else None
        exact = (iv is not None and iv[1] and iv[0] >= 32 and not unsigned_literal
                 and all(t is not None and t[1] and t[0] <= iv[0] for t in step_types))
        if not exact:
            toward = "subtracted" if c.descending else "added"
            self.assumptions.append(_reason(
                "STEP-ASSUMED", f"assuming the step '{c.step_expr.text}' {toward} to '{c.var}' is a positive integer and "
                f"that neither it nor '{c.var}' wraps around (OpenMP computes the trip count once, from the step's sign)",
                self.loop.loc, variable=c.var, condition=f"{c.step_expr.text} > 0 without wrap-around"))

    def _bound_aliases(self, c: ir.Canonical) -> None:
        """A bound or step the body may change without naming it: a reference to an integer (bound
        to whatever the caller passed) or a global whose address the file takes, when the body
        writes memory or calls a function. Stated, as the other assumptions about overlap are."""
        suspects = []
        for b in c.bound_names:
            if b in self.local or b in self.written:
                continue
            d = self.scope.decl(b)
            if d is None:
                continue
            if d.reference and not d.pointer and buildtypes.integer_type(d.type, self.az.type_defs) is not None:
                # (an object's reference reaches its members, which writes to its arrays' elements
                # do not change: only a reference to an integer itself is in question)
                suspects.append((b, "a reference"))
            elif self.scope.kind(b) == "global" and re.search(rb"&\s*" + re.escape(b.encode()) + rb"\b", self.tu.source):
                suspects.append((b, "a global whose address the file takes"))
        if not suspects or not self._writes_memory():
            return
        for b, what in suspects:
            self.assumptions.append(_reason(
                "ALIAS-ASSUMED", f"assuming the loop's writes do not change '{b}' ({what}), which its bounds read",
                self.loop.loc, rows=[b]))

    def _writes_memory(self) -> bool:
        """Does the body write anything but its own locals, or call a function?"""
        typed = exprs_by_type(self.loop.body)
        if typed.get(ir.Call):
            return True
        return any(not (type(e.target) is ir.Name and e.target.id in self.local)
                   for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ()))

