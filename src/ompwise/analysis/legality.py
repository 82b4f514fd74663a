"""Legality of running one loop's iterations in parallel, with the clauses that make it so."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..frontend import ir, macrodecl
from ..frontend.pragma import Clauses, Reduction
from ..frontend.walk import (all_exprs, all_stmts, exprs_by_type, base_name, children, declared_names, enclosing_loops,
                             exprs, names, stmt_exprs, substmts)
from ..reasons import Reason
from . import affine as A
from . import dependence as D
from .accesses import AccessesMixin, _hidden_writes, _norm
from .bounds import BoundsMixin, _guard_constraints
from .callargs import CallArgsMixin
from .calls import CallsMixin
from .context import ContextMixin, _Occurrences
from .control import ControlMixin
from .cxx import MUTATING_METHODS
from .evaluator import _Evaluator, _numeric_macros
from .facts import WILD, Access, DepFact, Legality, ScalarFact, _reason
from .macros import _C_WORDS, _macro_function, _macro_functions, _several_statements
from .effects import CONST_METHODS, READS_ARGS, WRITES_ARGS, Summary, classify_callee, pure_macro, stream_io, summarize
from .privatize import ScalarsMixin
from .scalars import MINMAX_CALLS, Flow, defined_minmax, flow, linear_step, reduction_op
from .shape import ShapeMixin
from .scope import ITERATORS, Scope, written_names


_TLS_DECL = re.compile(r"\b(?:__thread|_Thread_local|thread_local)\b[^;=(){}]*?\b([A-Za-z_]\w*)\s*(?=[;=\[,])")


class Analyzer:
    """Analyses the loops of one translation unit (plus functions from its local headers)."""

    def __init__(self, tu: ir.TranslationUnit, headers: list[ir.TranslationUnit] = (),
                 program: ir.TranslationUnit | None = None):
        self.tu = tu
        self.program = program  # the external functions of the program's other files
        self.dead_query = False  # inside a _dead_outside question (no nested ones)
        self.globals: dict[str, ir.VarDecl] = {}
        others = list(headers) + ([program] if program is not None else [])
        for h in others:
            self.globals.update(h.globals)
            for k, v in h.accessors.items():
                tu.accessors.setdefault(k, v)
            for k, v in h.macros.items():
                tu.macros.setdefault(k, v)
            for k, v in h.fmacros.items():
                tu.fmacros.setdefault(k, v)
            for k, v in h.fmacro_params.items():
                tu.fmacro_params.setdefault(k, v)
            for k, v in h.fields.items():  # struct definitions of the headers
                tu.fields.setdefault(k, v)
            tu.records |= h.records
            tu.union_fields |= h.union_fields
        self.functions = []
        for u in [tu] + others:  # parameters declared through macros, now that all are known
            macrodecl.resolve(u, tu.fmacros, tu.fmacro_params)
            self.functions.extend(u.functions)
        self.globals.update(tu.globals)
        self.functions.extend(_macro_functions(tu))
        self._summaries: dict[str, Summary] | None = None
        self.function_names = {f.name.rsplit("::", 1)[-1] for f in self.functions}
        self.loop_function: dict[int, ir.Function] = {}
        for f in tu.functions:
            for s in all_stmts(f.body):
                if isinstance(s, ir.ForStmt):
                    self.loop_function[s.loop.id] = f
        self._scopes: dict[int, Scope] = {}
        self._events: dict[int, dict[str, list[tuple[ir.Loc, str]]]] = {}
        self.constants = _numeric_macros(tu.macros)
        self._scratch: set[str] | None = None
        self._minmax: dict[str, str] | None = None
        self._tls: set[str] | None = None
        self._classes: dict[str, str] | None = None
        self._ptr_targets: dict[int, dict[str, tuple[str, ir.Loc]]] = {}
        self._fn_occurrences: dict[int, tuple[ir.Function, _Occurrences]] = {}

    def scratch_globals(self) -> set[str]:
        """Global scalars that every function writes before reading: dead between calls.
        Every function in view is asked (the file's, its headers', the program's other
        files'); a global whose address a global initializer takes is not one, and one with
        external linkage only when the whole program is in view (a 'main' is among the
        files), since another file could read it."""
        if self._scratch is None:
            whole = any(f.name == "main" for f in self.functions)
            scalars = {n for n, d in self.globals.items() if not d.array and not d.pointer and not d.reference
                       and (whole or d.static)}
            exposed: set[str] = set()
            for d in self.globals.values():
                if d.init is not None:
                    exposed |= names(d.init)  # 'int *pl = &last;'
            for f in self.functions:
                params = {p.name for p in f.params}
                fl = flow(f.body, lambda n: n in scalars and n not in params)
                exposed |= set(fl.exposed) | set(fl.address_taken)
            self._scratch = scalars - exposed
        return self._scratch

    def scalar_pointer_targets(self, fn: ir.Function | None) -> dict[str, tuple[str, ir.Loc]]:
        """Pointers set to the address of a scalar: 'px = &x' in this function, or a global
        pointer so set anywhere in the file (or in a global initializer): px -> (x, where)."""
        key = id(fn)
        if key not in self._ptr_targets:
            out: dict[str, tuple[str, ir.Loc]] = {}

            def take(p: str, value: ir.Expr, loc: ir.Loc, local_ok: bool) -> None:
                v = value
                while type(v) is ir.Cast:
                    v = v.expr
                if type(v) is ir.Unary and v.op == "&" and type(v.operand) is ir.Name:
                    if local_ok or p in self.globals:
                        out.setdefault(p, (v.operand.id, loc))

            for n, d in self.globals.items():
                if d.init is not None:
                    take(n, d.init, d.loc, False)
            for f in self.tu.functions:
                here = f is fn
                for e in exprs_by_type(f.body).get(ir.Assign, ()):
                    if e.op == "=" and type(e.target) is ir.Name:
                        take(e.target.id, e.value, e.loc, here)
                for st in all_stmts(f.body):
                    if type(st) is ir.Decl:
                        for v in st.vars:
                            if v.init is not None and here:
                                take(v.name, v.init, v.loc, True)
            self._ptr_targets[key] = out
        return self._ptr_targets[key]

    def effectful_classes(self) -> dict[str, str]:
        """Classes whose constructor, destructor or operators (called implicitly: a declaration,
        the end of a scope, '=', '[]', a conversion) have effects: class -> what they do."""
        if self._classes is None:
            self._classes = {}
            for f in self.functions:
                c = f.class_name or (f.name.rsplit("::", 2)[-2] if f.name.count("::") else None)
                short = f.name.rsplit("::", 1)[-1]
                if c is None or not (short in (c, "~" + c) or short.startswith("operator")):
                    continue
                s = self.summary(short)
                if s is None:
                    continue
                what = (f"writes global '{sorted(s.writes_globals)[0].rpartition('::')[2]}'" if s.writes_globals else
                        f"performs I/O ({s.io})" if s.io else f"uses the random number generator ({s.rng})" if s.rng else
                        f"allocates memory ({s.alloc})" if s.alloc else f"may exit ({s.exits})" if s.exits else
                        f"calls '{s.unknown}'" if s.unknown else None)
                if what and c not in self._classes:
                    self._classes[c] = f"'{c}::{short}' {what}"
        return self._classes

    def thread_locals(self) -> set[str]:
        """errno and the variables declared __thread, _Thread_local or thread_local (read from
        the source: C's grammar may not know the keyword)."""
        if self._tls is None:
            self._tls = {"errno"}
            src = self.tu.source or b""
            if b"thread" in src.lower():
                self._tls.update(m.group(1) for m in _TLS_DECL.finditer(src.decode("utf-8", "replace")))
        return self._tls

    def minmax_calls(self) -> dict[str, str]:
        """Calls that are a max or min reduction: the library's, unless the program defines
        a function or macro of that name, which counts only when its body is one."""
        if self._minmax is None:
            out = dict(MINMAX_CALLS)
            defined: dict[str, set] = {}
            for f in self.functions:
                n = f.name.rsplit("::", 1)[-1]
                if n in MINMAX_CALLS:
                    defined.setdefault(n, set()).add(defined_minmax(f))
            for n, body in self.tu.fmacros.items():
                params = self.tu.fmacro_params.get(n)
                if n in MINMAX_CALLS and params is not None:
                    f = _macro_function(n, params, body, self.tu.language)
                    defined.setdefault(n, set()).add(defined_minmax(f) if f is not None else None)
            for n, body in self.tu.macros.items():
                if n in MINMAX_CALLS and n not in self.tu.fmacros:  # '#define max fmax'
                    defined.setdefault(n, set()).add(MINMAX_CALLS.get(body.strip()))
            for n, kinds in defined.items():
                if len(kinds) == 1 and None not in kinds:
                    out[n] = kinds.pop()
                else:
                    out.pop(n, None)
            self._minmax = out
        return self._minmax

    @property
    def summaries(self) -> dict[str, Summary]:
        """Effect summaries of the functions, computed on first use (most loops call none)."""
        if self._summaries is None:
            self._summaries = summarize(self.functions, self.tu, set(self.globals))
        return self._summaries

    def summary(self, name: str) -> Summary | None:
        return self.summaries.get(name) if name in self.function_names else None

    def name_events(self, f: ir.Function) -> tuple[dict[str, list[tuple[ir.Loc, str, frozenset]]], dict[int, frozenset]]:
        """name -> its uses and kills (plain assignments not reading it, initialized
        declarations) in the function, for liveness after a loop, each with the statements
        that make it conditional (ids of the enclosing 'if', 'switch' and loops); and each
        loop's own such statements. An assignment under '?:', '&&' or '||' is no kill.
        One walk per function: a loop asks about each of its scalars."""
        key = id(f)
        if key not in self._events:
            out: dict[str, list[tuple[ir.Loc, str, frozenset]]] = {}
            loop_ctx: dict[int, frozenset] = {}
            kills: list[tuple[str, ir.Loc, frozenset]] = []  # in walk order, for if/else below

            def kill(name, loc, ctx):
                out.setdefault(name, []).append((loc, "kill", ctx))
                kills.append((name, loc, ctx))

            def scan(e, ctx):
                maybe = set()  # nodes that may not be evaluated
                for x in exprs(e):
                    t = type(x)
                    if t is ir.Cond:
                        maybe.update(id(y) for b in (x.then, x.other) for y in exprs(b))
                    elif t is ir.Binary and (x.op == "&&" or x.op == "||"):
                        maybe.update(id(y) for y in exprs(x.right))
                for x in exprs(e):
                    if type(x) is ir.Assign and type(x.target) is ir.Name and x.op == "=" \
                            and id(x) not in maybe and x.target.id not in names(x.value):
                        kill(x.target.id, x.target.loc, ctx)
                    elif type(x) is ir.Name:
                        out.setdefault(x.id, []).append((x.loc, "use", ctx))

            def walk(stmts, ctx):
                for st in stmts:
                    t = type(st)
                    if t is ir.Decl:
                        for v in st.vars:
                            if v.init is not None:
                                scan(v.init, ctx)
                                kill(v.name, v.loc, ctx)
                    elif t is ir.ForStmt:
                        lp = st.loop
                        loop_ctx[lp.id] = ctx
                        walk(lp.init, ctx)
                        inner = ctx | {id(st)}
                        for e in (lp.cond, lp.update):
                            if e is not None:
                                scan(e, inner)
                        walk(lp.body, inner)
                    elif t is ir.If:  # each branch a construct of its own
                        scan(st.cond, ctx)
                        then_ctx, else_ctx = ctx | {(id(st), 0)}, ctx | {(id(st), 1)}
                        k0 = len(kills)
                        walk(st.then, then_ctx)
                        k1 = len(kills)
                        walk(st.orelse, else_ctx)
                        # assigned in both branches, neither under a further condition: the
                        # 'if' as a whole kills, from the else branch's assignment on
                        both = {n for n, _, c in kills[k0:k1] if c == then_ctx}
                        first_else: dict[str, ir.Loc] = {}
                        for n, loc, c in kills[k1:]:
                            if c == else_ctx and n in both:
                                first_else.setdefault(n, loc)
                        for n, loc in first_else.items():
                            kill(n, loc, ctx)
                    elif t is ir.Switch:  # each statement of the body (cases): no order assumed
                        scan(st.cond, ctx)
                        for k, sub in enumerate(st.body):
                            walk((sub,), ctx | {(id(st), k)})
                    else:
                        for e in stmt_exprs(st):
                            scan(e, ctx)
                        walk(substmts(st), ctx | {id(st)} if t is ir.While else ctx)
            walk(f.body, frozenset())
            self._events[key] = (out, loop_ctx)
        return self._events[key]

    def scope(self, f: ir.Function | None) -> Scope:
        key = id(f)
        if key not in self._scopes:
            self._scopes[key] = Scope.of(f, self.tu, self.globals)
        return self._scopes[key]

    # ------------------------------------------------------------------ entry
    def analyze(self, loop: ir.Loop) -> Legality:
        fn = self.loop_function.get(loop.id)
        scope = self.scope(fn)
        if loop.has_error:
            return Legality(loop.id, False, Clauses(), (_reason("PARSE-ERROR", "not analyzed: syntax error inside the loop", loop.loc),))
        if loop.canonical is None:
            return Legality(loop.id, False, Clauses(), (_reason("NONCANONICAL", f"not in OpenMP canonical form: {loop.noncanonical}", loop.loc),))
        try:
            return _LoopAnalysis(self, loop, fn, scope).run()
        except RecursionError:
            return Legality(loop.id, False, Clauses(), (_reason("OPAQUE", "not analyzed: an expression in the loop is nested too deeply", loop.loc),))


class _LoopAnalysis(ControlMixin, AccessesMixin, CallsMixin, CallArgsMixin, ScalarsMixin, BoundsMixin, ContextMixin,
                    ShapeMixin):
    def __init__(self, az: Analyzer, loop: ir.Loop, fn: ir.Function | None, scope: Scope):
        self.az, self.loop, self.fn, self.scope = az, loop, fn, scope
        self.tu = az.tu
        self.blockers: list[Reason] = []
        self.assumptions: list[Reason] = []
        self._rows_assumed: dict[str, ir.Loc] = {}  # pointer arrays written through their rows
        self._elements_assumed: dict[str, ir.Loc] = {}  # elements passed by value to writing callees
        self._csr: dict[int, str] | None = None
        self._monotone: dict[str, ir.Loc] = {}  # offset arrays assumed non-decreasing
        self._rows_overlap: set[str] = set()  # pointer arrays with two rows into one object
        self.private_arrays: dict[str, ir.Loc] = {}  # local arrays privatized per iteration
        self._taken: dict[str, ir.Loc] | None = None
        self._flow: Flow | None = None
        self._ctx_cache: dict[str, tuple | None] = {}
        self._occ: _Occurrences | None = None
        self._path: list | None = None
        self._guards: list | None = None
        self._bnames: frozenset[str] | None = None
        self.var = loop.canonical.var
        self.nest_loops: dict[int, ir.Loop] = {loop.id: loop}
        for s in all_stmts(loop.body):
            if isinstance(s, ir.ForStmt):
                self.nest_loops[s.loop.id] = s.loop
        inner_headers = tuple(d for l in self.nest_loops.values() if l is not loop for d in l.init)
        self.local = declared_names(loop.body) | declared_names(inner_headers)
        self.written = written_names(loop.body)
        for l in self.nest_loops.values():
            if l is not loop:
                for e in (l.update,):
                    if e is not None:
                        self.written |= {x.target.id for x in exprs(e) if isinstance(x, (ir.Assign, ir.IncDec)) and isinstance(x.target, ir.Name)}
        self.inner_ivs = {l.canonical.var for l in self.nest_loops.values() if l is not loop and l.canonical}
        self.local_arrays = {n for n in self.local if self._local_is_storage(n)}
        self.linear = self._linear_vars()
        self._spaces: dict = {}
        local_consts = {k: v for k, v in scope.constants().items() if k not in self.written}
        self._constants = {**az.constants, **local_consts} if local_consts else az.constants

    def _call_site_overlap(self, a: str, b: str, resolved) -> str | None:
        """A call in the file that passes one object for both pointer parameters 'a' and 'b'
        ('kern(x, x + 1, n)'): the no-overlap assumption is visibly false. The same pointer
        passed for both ('resid(u, r, r)') is harmless when every access to either uses one
        subscript (each iteration then touches its own element of the one object)."""
        fn = self.fn
        if fn is None:
            return None
        pos = {p.name: i for i, p in enumerate(fn.params)}
        if a not in pos or b not in pos:
            return None
        short = fn.name.rsplit("::", 1)[-1]

        def root(x: ir.Expr) -> str | None:
            while type(x) in (ir.Cast, ir.Unary, ir.Binary):  # x, &x[k], x + k: into x; r[k]: a row
                x = x.expr if type(x) is ir.Cast else x.operand if type(x) is ir.Unary else x.left
                if type(x) is ir.Index:
                    x = x.base
            return x.id if type(x) is ir.Name else _norm(x.text) if type(x) is ir.Index else None

        subs = {_norm(acc.text.split("[", 1)[1]) if "[" in acc.text else acc.text
                for acc, name, *_ in resolved if name in (a, b)}
        for f in self.az.functions:
            for e in exprs_by_type(f.body).get(ir.Call, ()):
                if e.name == short and len(e.args) > max(pos[a], pos[b]):
                    xa, xb = e.args[pos[a]], e.args[pos[b]]
                    ra, rb = root(xa), root(xb)
                    if ra is None or ra != rb:
                        continue
                    if _norm(xa.text) == _norm(xb.text) and len(subs) <= 1:
                        continue  # one object, one element per iteration
                    return (f"the call at {e.loc} passes '{ra}' for both '{a}' and '{b}', so they may "
                            "overlap")
        return None

    def _scalar_pointers(self, accesses: list[Access]) -> None:
        """An access through a pointer to a scalar ('px = &x; ... *px = 7') touches the scalar
        itself: a conflict when the loop also uses it by name (the loop variable, a bound, a
        scalar it writes, or one it reads while writing through the pointer)."""
        targets = self.az.scalar_pointer_targets(self.fn)
        if not targets:
            return
        used = {x.id for x in exprs_by_type(self.loop.body).get(ir.Name, ())}
        bound = set(self.loop.canonical.bound_names)
        for a in accesses:
            t = targets.get(a.array)
            if t is None or a.array in self.local:
                continue
            s, loc = t
            if s == self.var or s in bound or s in self.written or (a.write and s in used):
                self.blockers.append(_reason(
                    "ALIAS-UNKNOWN", f"not parallelized: '{a.text}' is '{s}' ('{a.array}' = &{s} at {loc}), which the "
                    "loop also uses by name", a.loc, pair=[a.array, s]))
                return

    def _rows_shared(self, name: str, d: ir.VarDecl) -> bool:
        """Do two rows of the pointer array 'name' visibly point into the same object?

        Rows come from the declaration's initializer ({&b[0], &b[n]}) and from element
        assignments (u[1] = b + n) in the enclosing function."""
        rows: list[ir.Expr] = []
        if isinstance(d.init, ir.Opaque):
            rows.extend(d.init.children)
        body = self.fn.body if self.fn is not None else self.loop.body
        for x in all_exprs(body):
            if isinstance(x, ir.Assign) and isinstance(x.target, ir.Index) and \
                    isinstance(x.target.base, ir.Name) and x.target.base.id == name:
                rows.append(x.value)
        bases = []
        for r in rows:
            while isinstance(r, (ir.Cast, ir.Binary)):
                r = r.expr if isinstance(r, ir.Cast) else r.left
            b = base_name(r)
            if b is not None and b != name:
                bases.append(b)
        return len(bases) != len(set(bases))

    # ------------------------------------------------------------------ driver
    def run(self) -> Legality:
        loop = self.loop
        self._static_locals()
        self._shadowing()
        self._control_flow()
        self._iv_modified()
        accesses = self._accesses()
        self._scalar_pointers(accesses)
        self._calls(accesses)
        scalars, clauses = self._scalars()
        self.array_reductions = self._array_reductions()
        deps = self._dependences(accesses)
        if self.array_reductions:
            by_op: dict[str, list[str]] = {r.op: list(r.vars) for r in clauses.reduction}
            for name, (op, section, loc) in sorted(self.array_reductions.items()):
                by_op.setdefault(op, []).append(section)
                scalars = list(scalars) + [ScalarFact(name, "reduction", op, loc.line, loc.column,
                                                      f"every access updates an element: '{section}' reduced with '{op}'")]
            clauses = replace(clauses, reduction=tuple(Reduction(op, tuple(vs)) for op, vs in sorted(by_op.items())))
        if self.private_arrays:
            clauses = replace(clauses, private=clauses.private + tuple(sorted(self.private_arrays)))
            scalars = list(scalars) + [
                ScalarFact(n, "private", None, loc.line, loc.column, "array written before read in every iteration")
                for n, loc in sorted(self.private_arrays.items())]
        trip = self._trip_count(loop)
        tri, irregular = self._shape()
        perfect, rect = self._perfect_child()
        parallel = not self.blockers
        if self._rows_assumed:
            names_ = sorted(self._rows_assumed)
            desc = ", ".join(f"'{n}'" for n in names_)
            self.assumptions.append(_reason(
                "ALIAS-ASSUMED", f"assuming the rows of {desc} do not overlap (arrays of pointers)",
                self._rows_assumed[names_[0]], rows=names_))
        for arr, loc in sorted(self._monotone.items()):
            self.assumptions.append(_reason(
                "MONOTONIC-ASSUMED", f"assuming '{arr}' is non-decreasing (row offsets, as in CSR), "
                "so the inner loop's ranges do not overlap", loc, array=arr))
        if self._elements_assumed:
            names_ = sorted(self._elements_assumed)
            desc = ", ".join(f"'{n}'" for n in names_)
            self.assumptions.append(_reason(
                "ALIAS-ASSUMED", f"assuming different elements of {desc} point to different memory "
                "(elements passed by value to a callee that writes through them)",
                self._elements_assumed[names_[0]], rows=names_))
        self._spaces = None  # its builders' lambdas refer back to self: break the cycle
        return Legality(loop.id, parallel, clauses, tuple(self.blockers), tuple(self.assumptions),
                        tuple(scalars), tuple(deps), trip, tri, irregular, rect, perfect)

    def _resolved_subs(self, acc: Access, b: A.AffineBuilder):
        """Subscripts as affine forms, following pointer origins (p = a + k; p[i] -> a[k + i])."""
        name, origin = self.scope.resolve(acc.array)
        if acc.subs is None:
            return name, None
        subs = list(acc.subs)
        if origin is not None:
            if origin.offset is not None:
                subs[0] = ir.Binary(subs[0].loc, f"{origin.offset.text} + {subs[0].text}", "+", origin.offset, subs[0])
            subs = list(origin.prefix) + subs
        affs = []
        for s in subs:
            if s is WILD:
                affs.append(None)
                continue
            a = b(s)
            if a is None:
                return name, None
            affs.append(a)
        return name, affs

    def _resolve(self, accesses: list[Access]) -> list[tuple]:
        """(access, array it resolves to, affine subscripts or None, iteration space) per distinct access."""
        uniq: dict[tuple, Access] = {}
        for a in accesses:
            uniq.setdefault((a.array, a.text, a.write, a.read, a.nest, a.via), a)
        resolved = []
        for a in uniq.values():
            sp, b = self._space(a.nest, a.env)
            if a.conds:
                extra, exact = _guard_constraints(a.conds, b)
                sp = D.Space(sp.ivs, sp.bounds, sp.extra + extra)
                if not exact:
                    a = replace(a, guarded=True)
            name, affs = self._resolved_subs(a, b)
            resolved.append((a, name, affs, sp))
        return resolved

    def _dependences(self, accesses: list[Access]) -> list[DepFact]:
        facts: list[DepFact] = []
        resolved = self._resolve(accesses)
        bounds_assumed: set[str] = set()
        for i, (a, name, affs, sp) in enumerate(resolved):
            d = self.scope.decl(name)
            if affs is None or d is None or d.dims < 2 or a.via:
                continue
            for k, aff in enumerate(affs[1:len(affs)], start=1):
                neg = D.may_be_negative(aff, sp) if aff is not None else None
                if neg == "always":
                    self.blockers.append(_reason(
                        "DEP-UNKNOWN",
                        f"not parallelized: subscript {k + 1} of '{a.text}' can be negative, so it reaches into another row of '{name}'",
                        a.loc, array=name, access=a.text))
                    resolved[i] = (a, name, None, sp)
                    break
                if neg == "some" and name not in bounds_assumed:
                    # negative only for some values of the symbolic bounds: out of its row
                    # is undefined behaviour in C, so compilers and developers assume it away
                    bounds_assumed.add(name)
                    self.assumptions.append(_reason(
                        "BOUNDS-ASSUMED",
                        f"assuming subscript {k + 1} of '{a.text}' stays inside its row (it is negative only for some values of the loop bounds)",
                        a.loc, array=name, access=a.text))
        self.private_arrays = self._private_arrays(resolved)
        if self.private_arrays:
            resolved = [r for r in resolved if r[1] not in self.private_arrays]
        by_array: dict[str, list] = {}
        for r in resolved:
            if r[1] not in self.array_reductions:  # (still checked for aliasing below)
                by_array.setdefault(r[1], []).append(r)
        reported: set[str] = set()
        order = {id(r): i for i, r in enumerate(resolved)}
        for name, group in by_array.items():
            writes = [r for r in group if r[0].write]
            for w in writes:
                for x in group:
                    if name in reported:
                        break
                    if x[0].write and order[id(x)] < order[id(w)]:
                        continue  # write/write pairs once
                    if not (x[0].read or x[0].write):
                        continue  # '&a[i]': an address taken, no memory touched
                    self._test_pair(name, w, x, facts, reported)
        self._aliasing(resolved)
        return facts

    _UPDATE_OPS = {"+=": "+", "-=": "+", "*=": "*", "&=": "&", "|=": "|", "^=": "^"}

    def _array_reductions(self) -> dict[str, tuple[str, str, ir.Loc]]:
        """1-D arrays outside the loop that are only updated, 'sum[m] += e' or
        'sum[m] = sum[m] + e', at elements that do not depend on this loop's variable:
        iterations combine into the same elements, an OpenMP array-section reduction
        ('reduction(+:sum[0:5])', l2norm in NPB LU). Name -> (op, section, location)."""
        found: dict[str, list] = {}
        parts: set[int] = set()  # ids of the Name nodes that the updates account for
        Assign, Index, Name = ir.Assign, ir.Index, ir.Name
        for e in exprs_by_type(self.loop.body).get(Assign, ()):
            t = e.target
            if type(t) is not Index or type(t.base) is not Name:
                continue
            name = t.base.id
            op = self._UPDATE_OPS.get(e.op)
            other = e.value
            if e.op == "=" and type(e.value) is ir.Binary and e.value.op in ("+", "*", "&", "|", "^", "-"):
                v = e.value
                if _norm(v.left.text) == _norm(t.text):
                    op, other = ("+" if v.op == "-" else v.op), v.right
                    if type(v.left) is ir.Index:
                        parts.add(id(v.left.base))
                elif v.op != "-" and _norm(v.right.text) == _norm(t.text):
                    op, other = v.op, v.left
                    if type(v.right) is ir.Index:
                        parts.add(id(v.right.base))
            if op is None or name in names(other):
                continue
            parts.add(id(t.base))
            found.setdefault(name, []).append((op, t, e.loc))
        out: dict[str, tuple[str, str, ir.Loc]] = {}
        if not found:
            return out
        uses: dict[str, int] = {}
        for x in exprs_by_type(self.loop.body).get(ir.Name, ()):
            if x.id in found and id(x) not in parts:
                uses[x.id] = uses.get(x.id, 0) + 1  # read or written some other way
        for name, ups in found.items():
            d = self.scope.decl(name)
            one_dim = d is not None and (d.dims == 1 and not d.pointer or d.pointer and d.pointers == 1 and not d.dims)
            if uses.get(name) or name in self.local or not one_dim or len({op for op, _, _ in ups}) != 1:
                continue
            idx = {_norm(t.index.text) for _, t, _ in ups}
            if len(idx) != 1:
                continue
            sub = ups[0][1].index
            section = self._section(sub, [loc for _, _, loc in ups])
            if section is not None:
                # a declared array is reduced whole (elements not updated add nothing):
                # clang-14 miscompiles some reductions over sections of global arrays
                # (NPB LU's error(): wrong sums at 2 threads, right with gcc or the
                # whole array); a pointer needs its section
                pointer = d.pointer or self.scope.kind(name) == "param"  # (an array parameter is one)
                out[name] = (ups[0][0], f"{name}[{section}]" if pointer else name, ups[0][2])
        return out

    def _section(self, sub: ir.Expr, where: list[ir.Loc]) -> str | None:
        """'lo:length' covering subscript ``m + c`` over an inner loop with invariant bounds,
        when every update (at ``where``) is inside that loop ('s[m]' after it reads m's final
        value, outside the section)."""
        b = self._builder({self.var} | self.inner_ivs)
        a = b(sub)
        if a is None or a.get(self.var) or any(isinstance(k, tuple) for k in a):
            return None
        ivs = [k for k in a if isinstance(k, str) and k in self.inner_ivs]
        if len(ivs) != 1 or a[ivs[0]] != 1:
            return None
        # (several inner loops may share the variable: the one holding every update)
        inner = next((l for l in self.nest_loops.values() if l is not self.loop and l.canonical
                      and l.canonical.var == ivs[0] and all(l.contains(loc) for loc in where)), None)
        if inner is None or inner.canonical.lower is None or inner.canonical.upper is None:
            return None
        inv = self._builder({self.var})
        lo, hi = inv(inner.canonical.lower), inv(inner.canonical.upper)
        if lo is None or hi is None or any(k in self.inner_ivs or isinstance(k, tuple) for k in (*lo, *hi)):
            return None
        c = A.const_value({k: v for k, v in a.items() if k == A.ONE})
        rest = {k: v for k, v in a.items() if k != ivs[0] and k != A.ONE}
        if rest:
            return None
        start, length = A.add(lo, A.const(c)), A.add(hi, lo, -1)
        return f"{A.show(start)}:{A.show(length)}"

    def _private_arrays(self, resolved) -> dict[str, ir.Loc]:
        """Local arrays that every iteration writes before it reads them: private copies.

        Sound conditions: a non-static local array of the function, named only inside this
        loop (so nothing before or after the loop sees it, and its address is not kept in
        another pointer); every access affine; at the innermost loop of the nest that holds
        all its accesses, the statements that write it come before those that read it; and,
        with that loop's iteration fixed, the elements read are a subset of those written
        unconditionally (isl)."""
        groups: dict[str, list] = {}
        for r in resolved:
            groups.setdefault(r[1], []).append(r)
        out: dict[str, ir.Loc] = {}
        for name, group in groups.items():
            d = self.scope.locals.get(name)
            if d is None or not d.array or d.pointer or d.static or name in self.local:
                continue
            if name in self.scope.globals or name in self.scope.params:
                continue  # the name means another object elsewhere in the function (scopes are by name)
            if not any(r[0].write for r in group):
                continue  # (written and never read here: dead after it, see below)
            if any(r[2] is None or r[0].via or r[0].array != name for r in group):
                continue
            if not self._covered(group, self.loop.body, 1):
                continue
            if self._escapes(name):
                continue
            if self._named_only_inside(name) or self._dead_outside(name):
                out[name] = min((r[0].loc for r in group), key=lambda l: (l.line, l.column))
        return out

    def _escapes(self, name: str) -> bool:
        """Can a pointer into the array outlive the expression that takes it? Its bare name
        or an element's address ('t', '&t[0]', 't + 1') anywhere in the function, except as
        a direct argument of a call to a function whose summary keeps no pointer (it writes
        no global and calls nothing unknown: exact_solution(xi, eta, zeta, dtemp) fills
        'dtemp' and is done with it)."""
        body = self.fn.body if self.fn is not None else self.loop.body
        parent = self._parents()
        uses = [e for e in all_exprs(body) if type(e) is ir.Name and e.id == name]
        for x in uses:
            top: ir.Expr = x
            while type(parent.get(id(top))) is ir.Index and parent[id(top)].base is top:
                top = parent[id(top)]
            up = parent.get(id(top))
            if top is not x and not (type(up) is ir.Unary and up.op == "&"):
                continue  # an element read or written in place
            arg = up if top is not x else x  # '&t[i]', or the bare name
            if self._kept_by_call(arg, parent):
                return True
        return False

    def _covers_array(self, name: str) -> bool:
        """Does every iteration of this loop write each element of 'name' it reads first?"""
        group = [r for r in self._resolve(self._accesses()) if r[1] == name]
        if any(r[2] is None or r[0].via or r[0].array != name for r in group):
            return False
        return self._covered(group, self.loop.body, 1)

    def _dead_outside(self, name: str) -> bool:
        """Is the local array dead when this loop ends, although other loops use it too
        (exact_rhs's dtemp, filled and read in three loops)? Yes when every use outside this
        loop sits in another loop, not around this one, that writes each element it reads
        earlier in the same iteration: no value crosses from one loop to the next."""
        if self.fn is None or self.az.dead_query or any(o.base == name for o in self.scope.origins.values()):
            return False

        loops = [l for l in self.tu.loops if l.function == self.loop.function]
        others: dict[int, ir.Loop] = {}
        for x in all_exprs(self.fn.body):
            if type(x) is not ir.Name or x.id != name or self.loop.contains(x.loc):
                continue
            # (a use in a loop's own header runs outside its iterations: none of them covers it)
            around = [l for l in loops if l.contains(x.loc) and not l.contains(self.loop.loc)
                      and not _in_header_of(l, x)]
            if not around:
                return False  # used outside any other loop (or in a loop around this one)
            outer = min(around, key=lambda l: (l.loc.line, l.loc.column))
            if outer.canonical is None:
                return False
            others[outer.id] = outer
        self.az.dead_query = True  # no deeper questions: the other loops only need to cover
        try:
            return all(_LoopAnalysis(self.az, l, self.fn, self.scope)._covers_array(name) for l in others.values())
        finally:
            self.az.dead_query = False

    def _covered(self, group, body, depth: int) -> bool:
        """Does every read in ``group`` see only elements written earlier in the same
        iteration of the first ``depth`` loops? ``body`` runs once per such iteration.

        At this level the accesses fall into statements in order: a read is covered by the
        unconditional writes of earlier statements (isl), or, when its own statement is an
        inner loop that also writes the array, by that loop's writes one level down."""
        while len(body) == 1 and isinstance(body[0], ir.Block):
            body = body[0].body
        starts = [(s.loc.line, s.loc.column) for s in body]

        def index(loc):
            k = 0
            while k + 1 < len(starts) and starts[k + 1] <= (loc.line, loc.column):
                k += 1
            return k
        where = [index(r[0].loc) for r in group]

        def inner(k):
            st = body[k]
            if isinstance(st, ir.ForStmt) and st.loop.canonical is not None and \
                    all(r[0].nest[depth:depth + 1] == (st.loop.id,) for w, r in zip(where, group) if w == k):
                return st
            return None
        for k in sorted(set(where)):
            here = [r for w, r in zip(where, group) if w == k]
            reads = [(r[2], r[3]) for r in here if r[0].read]
            if not reads:
                continue
            if any(r[0].write for r in here):
                st = inner(k)  # reads and writes in one statement: only an inner loop orders them
                if st is None or not self._covered(here, st.loop.body, depth + 1):
                    return False
                continue
            writes = [(r[2], r[3]) for w, r in zip(where, group) if w < k and r[0].write and not r[0].read
                      and not r[0].guarded and not r[0].conds]
            if not D.covers(reads, writes, depth):
                return False
        return True

    def _named_only_inside(self, name: str) -> bool:
        if self.fn is None or any(o.base == name for o in self.scope.origins.values()):
            return False
        return all(self.loop.contains(x.loc) for x in all_exprs(self.fn.body)
                   if type(x) is ir.Name and x.id == name)

    def _csr_rows(self) -> dict[int, str]:
        """Inner loops over one row of a CSR-like offset array: 'for (k = P[j]; k < P[j+1]; k++)'
        with the index affine in this loop's variable alone (coefficient 1) and P not written.
        If P is non-decreasing, different iterations of this loop give such a loop disjoint
        ranges of k. Maps the inner loop's id to P."""
        if self._csr is not None:
            return self._csr
        self._csr = {}
        b = None
        for l in self.nest_loops.values():
            c = l.canonical
            if l is self.loop or c is None or c.step != 1 or c.lower is None or c.upper is None:
                continue
            lo, hi = _index_plus_const(c.lower), _index_plus_const(c.upper)
            if lo is None or hi is None or lo[0].base.id != hi[0].base.id or lo[1] != 0 or hi[1] != 0:
                continue
            arr = lo[0].base.id
            if arr in self.written or arr in self.local:
                continue
            b = b or self._builder({self.var})
            ilo, ihi = b(lo[0].index), b(hi[0].index)
            if ilo is None or ihi is None or A.add(ihi, ilo, -1) != A.const(1) or ilo.get(self.var) != 1 \
                    or any(isinstance(k, tuple) for k in ilo):
                continue
            self._csr[l.id] = arr
        return self._csr

    def _csr_disjoint(self, wa: Access, waff, xa: Access, xaff) -> str | None:
        """The offset array when two accesses inside one CSR row loop can only meet in the
        same iteration of this loop: some subscript is the same affine form of the row loop's
        variable and loop-invariant terms on both sides."""
        if waff is None or xaff is None or len(waff) != len(xaff):
            return None
        rows = self._csr_rows()
        for lid, arr in rows.items():
            if lid not in wa.nest or lid not in xa.nest:
                continue
            k = self.nest_loops[lid].canonical.var
            ivs = {self.var} | self.inner_ivs
            for fw, fx in zip(waff, xaff):
                if fw is not None and fw == fx and fw.get(k) and \
                        all(key == k or (key not in ivs and not isinstance(key, tuple)) for key in fw):
                    return arr
        return None

    def _test_pair(self, name, w, x, facts, reported) -> None:
        wa, _, waff, wsp = w
        xa, _, xaff, xsp = x
        arr = self._csr_disjoint(wa, waff, xa, xaff)
        if arr is not None:
            facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, False, None, "row-offsets"))
            self._monotone.setdefault(arr, wa.loc)
            return
        if waff is not None and xaff is not None and len(waff) != len(xaff) and (wa.via or xa.via):
            n = max(len(waff), len(xaff))
            waff, xaff = waff + [None] * (n - len(waff)), xaff + [None] * (n - len(xaff))
        if (waff is None or xaff is None) and not (wa.via or xa.via):
            r = self._enumerate(wa, xa)
            if r is not None:
                facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, r.dependent, r.distance, r.test))
                if not r.dependent:
                    return
                dist = f", distance {r.distance}" if r.distance is not None else ""
                self.blockers.append(_reason(
                    "DEP-CARRIED", f"not parallelized: loop-carried dependence on '{name}' ({_side(wa)}, {_side(xa)}{dist}; found by evaluating the subscripts)",
                    wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc),
                    distance=r.distance, test=r.test, synchronized=wa.sync and xa.sync,
                    exact=not (wa.guarded or xa.guarded)))
                reported.add(name)
                return
        if waff is None or xaff is None or len(waff) != len(xaff):
            indirect = any(isinstance(s, ir.Index) or any(isinstance(y, ir.Index) for y in exprs(s))
                           for s in (wa.subs or ()))
            via = wa.via or xa.via
            if via:
                callee = via.removeprefix("call ")
                if wa.via:
                    what = f"writes '{name}' through a pointer argument ({_side(wa)})"
                else:
                    what = f"reads '{name}', which the loop writes ({_side(wa)})"
                code, msg = "CALL-SIDE-EFFECT", f"not parallelized: call to '{callee}' {what}"
            elif indirect and wa.subs is not None:
                code, msg = "INDIRECT-WRITE", f"not parallelized: '{name}' is written through an indirect subscript ({_side(wa)}); iterations may write the same element"
            elif name in self._rows_overlap:
                code, msg = "DEP-UNKNOWN", f"not parallelized: dependence on '{name}' cannot be excluded ({_side(wa)}, {_side(xa)}; rows of '{name}' point into the same object)"
            else:
                code, msg = "DEP-UNKNOWN", f"not parallelized: dependence on '{name}' cannot be excluded ({_side(wa)}, {_side(xa)}; subscript not affine)"
            facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, True, None, "unknown"))
            self.blockers.append(_reason(code, msg, wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc)))
            reported.add(name)
            return
        r = D.test(waff, wsp, xaff, xsp)
        facts.append(DepFact(name, wa.text, wa.loc, xa.text, xa.loc, r.dependent, r.distance, r.test))
        if r.dependent:
            dist = f", distance {r.distance}" if r.distance is not None else ""
            ivs = {self.var} | self.inner_ivs
            same = " (the same element in every iteration)" if waff == xaff and all(
                a is not None and not (_atoms(a) & ivs) for a in waff) else ""
            self.blockers.append(_reason(
                "DEP-CARRIED",
                f"not parallelized: loop-carried dependence on '{name}' ({_side(wa)}, {_side(xa)}{dist}){same}",
                wa.loc, array=name, write=wa.text, write_at=str(wa.loc), other=xa.text, other_at=str(xa.loc),
                distance=r.distance, test=r.test, synchronized=wa.sync and xa.sync,
                exact=all(wsp.bounded(v) for v in wsp.ivs) and all(xsp.bounded(v) for v in xsp.ivs)
                and not wa.guarded and not xa.guarded and None not in waff and None not in xaff))
            reported.add(name)

    ENUMERATE_LIMIT = 100_000

    def _enumerate(self, wa: Access, xa: Access) -> D.DepResult | None:
        """Exact test by evaluation: constant bounds and subscripts that read constant tables."""
        if wa.nest != (self.loop.id,) or xa.nest != (self.loop.id,) or wa.subs is None or xa.subs is None:
            return None
        c = self.loop.canonical
        ev = _Evaluator(self.az.constants, self.scope, self.written)
        lo, hi = ev.compile(c.lower, None)(None), ev.compile(c.upper, None)(None)
        if lo is None or hi is None or not c.step or (hi - lo) // abs(c.step) > self.ENUMERATE_LIMIT:
            return None
        iters = range(lo, hi) if c.step > 0 else range(hi - 1, lo - 1, c.step)
        if c.step > 0 and c.step != 1:
            iters = range(lo, hi, c.step)
        compiled = []
        for acc in (wa, xa):
            name, origin = self.scope.resolve(acc.array)
            subs = list(acc.subs)
            if origin is not None:
                if origin.offset is not None:
                    subs[0] = ir.Binary(subs[0].loc, "", "+", origin.offset, subs[0])
                subs = list(origin.prefix) + subs
            compiled.append([ev.compile(sub, self.var, acc.env) for sub in subs])
        if iters and any(f(iters[0]) is None for fs in compiled for f in fs):
            return None  # most subscripts cannot be evaluated at all: known before enumerating
        for fs, tag in zip(compiled, (0, 1)):
            table: dict[tuple, set[int]] = {}
            for it in iters:
                key = tuple([f(it) for f in fs])
                if None in key:
                    return None
                table.setdefault(key, set()).add(it)
            if tag == 0:
                first = table
            else:
                for key, its in table.items():
                    other = first.get(key)
                    if other and (len(other | its) > 1):
                        d = min((abs(a - b) for a in other for b in its if a != b), default=None)
                        return D.DepResult(True, d // abs(c.step) if d else None, "enumeration")
        return D.DepResult(False, None, "enumeration")

    def _aliasing(self, resolved) -> None:
        names_ = {r[1] for r in resolved}
        written = {r[1] for r in resolved if r[0].write}
        pairs = []
        copies = self.scope.pointer_copies()
        def base(n):  # 'p->arr' -> 'p', 'gs.ptr' -> 'gs.ptr' (a pointer field is a pointer of its own)
            return n.split("->")[0] if "->" in n else n

        macros = self.tu.macros

        def macro_alias(a: str, b: str) -> bool:  # '#define ARR a' (or '(a + 1)') names a's storage
            body = macros.get(a) if a not in self.tu.fmacros and self.scope.decl(a) is None else None
            return body is not None and b in re.findall(r"[A-Za-z_]\w*", body)

        for w in sorted(written):
            for o in sorted(names_ - {w}):
                if macro_alias(w, o) or macro_alias(o, w):
                    self.blockers.append(_reason(
                        "ALIAS-UNKNOWN", f"not parallelized: macro '{w if macro_alias(w, o) else o}' names the storage "
                        f"of '{o if macro_alias(w, o) else w}'", self.loop.loc, pair=[w, o]))
                    return
                hit = next(((a, b) for a, b in ((w, o), (base(w), base(o)), (base(w), o), (w, base(o)))
                            if a != b and (b in copies.get(a, ()) or a in copies.get(b, ()))), None)
                if hit is not None:
                    a, b = hit
                    loc = copies.get(a, {}).get(b) or copies.get(b, {}).get(a)
                    self.blockers.append(_reason(
                        "ALIAS-UNKNOWN", f"not parallelized: '{w}' and '{o}' may point to the same storage (pointer assigned at {loc})",
                        loc or self.loop.loc, pair=[w, o]))
                    return
                if self.scope.is_distinct_object(w) and self.scope.is_distinct_object(o):
                    continue
                if self.scope.is_local_storage(w) or self.scope.is_local_storage(o):
                    continue
                members = ("." in w or "->" in w) + ("." in o or "->" in o)
                if members == 2 and w.split(".")[0].split("->")[0] == o.split(".")[0].split("->")[0]:
                    continue  # two fields of one object: 'p->u' and 'p->v' are separate storage
                if members == 0 and self.scope.decl(w) is None and self.scope.decl(o) is None:
                    continue
                if o in written and o < w:
                    continue  # both written: the pair is already there, the other way round
                pairs.append((w, o))
        for a, b in pairs:
            clash = self._call_site_overlap(a, b, resolved)
            if clash:
                self.blockers.append(_reason("ALIAS-UNKNOWN", f"not parallelized: {clash}", self.loop.loc, pair=[a, b]))
                return
        if pairs:
            desc = ", ".join(f"'{a}' and '{b}'" for a, b in pairs[:3])
            self.assumptions.append(_reason("ALIAS-ASSUMED", f"assuming {desc} do not overlap (pointers without restrict)",
                                            self.loop.loc, pairs=[list(p) for p in pairs]))


def _index_plus_const(e: ir.Expr) -> tuple[ir.Index, int] | None:
    """'P[e]', 'P[e] - 1 + 1' and the like: the indexed load and the constant added to it."""
    c = 0
    while True:
        if isinstance(e, ir.Index) and isinstance(e.base, ir.Name):
            return e, c
        if isinstance(e, ir.Binary) and e.op in "+-" and isinstance(e.right, ir.Num) and isinstance(e.right.value, int):
            c += e.right.value if e.op == "+" else -e.right.value
            e = e.left
            continue
        return None


def _atoms(a: A.Aff) -> set:
    out = set()
    for k in a:
        if isinstance(k, tuple):
            out.update(k)
        else:
            out.add(k)
    return out


def _side(a: Access) -> str:
    """One access as a dependence message shows it ('write a[i] at 3:5'); built only for
    the pairs that block (most pairs tested are independent)."""
    return f"{'write' if a.write else 'read'} {a.text} at {a.loc}"


def _in_header_of(loop: ir.Loop, x: ir.Expr) -> bool:
    """Is the node ``x`` part of the loop's own header (init, condition, update)?"""
    heads = [e for e in (loop.cond, loop.update) if e is not None]
    return any(n is x for e in heads for n in exprs(e)) or \
        any(n is x for n in all_exprs(loop.init))


