"""Legality of running one loop's iterations in parallel, with the clauses that make it so."""
from __future__ import annotations

import re
from dataclasses import replace

from .commute import CommuteMixin
from ..frontend import buildtypes, ir, macrodecl
from ..frontend.declarators import merge_fields, merge_records
from ..frontend.pragma import Clauses, Reduction
from ..frontend.threadprivate import threadprivate_names
from ..frontend.walk import all_stmts, declared_names, exprs, exprs_by_type, names, stmt_exprs, substmts
from ..reasons import Reason
from .accesses import AccessesMixin
from .aliasing import AliasingMixin
from .array_clauses import ArrayClausesMixin
from .arrays import DependenceMixin
from .bounds import BoundsMixin
from .tiles import TilesMixin
from .callargs import CallArgsMixin
from .calls import CallsMixin
from .context import ContextMixin, _Occurrences
from .control import ControlMixin
from .effects import Summary, call_targets, summarize
from .evaluator import _numeric_macros, int_value
from .facts import Access, DepFact, Legality, ScalarFact, _reason
from .macros import _macro_function, _macro_functions
from .privatize import ScalarsMixin
from .scalars import MINMAX_CALLS, Flow, defined_minmax, flow
from .scope import Scope, written_names
from .shape import ShapeMixin
from .structs import StructsMixin

# the facts are defined in .facts; importers of this module see them here too
__all__ = ["Access", "Analyzer", "DepFact", "Legality", "ScalarFact"]


_TLS_DECL = re.compile(r"\b(?:__thread|_Thread_local|thread_local)\b[^;=(){}]*?\b([A-Za-z_]\w*)\s*(?=[;=\[,])")


class Analyzer:
    """Analyses the loops of one translation unit (plus functions from its local headers)."""

    def __init__(self, tu: ir.TranslationUnit, headers: list[ir.TranslationUnit] = (),
                 program: ir.TranslationUnit | None = None):
        self.tu = tu
        self.program = program  # the external functions of the program's other files
        self.headers = tuple(headers)
        self.dead_query = False  # inside a _dead_outside question (no nested ones)
        self.globals: dict[str, ir.VarDecl] = {}
        others = list(headers) + ([program] if program is not None else [])
        for h in others:
            self.globals.update(h.globals)
            for k, v in h.accessors.items():
                tu.accessors.setdefault(k, v)
            for k, v in h.accessor_exprs.items():
                tu.accessor_exprs.setdefault(k, v)
            for k, v in h.macros.items():
                if tu.macros.setdefault(k, v) != v:
                    tu.macro_redefined.add(k)
            for k, v in h.fmacros.items():
                tu.fmacros.setdefault(k, v)
            for k, v in h.fmacro_params.items():
                tu.fmacro_params.setdefault(k, v)
            merge_fields(tu.fields, h.fields)  # struct definitions of the headers
            merge_records(tu.record_members, h.record_members)
            tu.macro_redefined |= h.macro_redefined
            tu.records |= h.records
            tu.union_fields |= h.union_fields
            tu.non_accessors |= h.non_accessors
        for k in tu.non_accessors:
            tu.accessors.pop(k, None)
        # a type the build chooses ('#define float_sw4 double' in a header only -I reaches):
        # arithmetic when every definition of it in view is
        defs = [buildtypes.candidates(u.source) for u in [tu, *headers]]
        if program is not None:
            defs.append(program.type_defs)
        self.type_defs = buildtypes.merge(defs)  # (integer types of loop steps: control.py)
        tu.arith_typedefs |= buildtypes.arithmetic_names(self.type_defs)
        self.functions = []
        for u in [tu] + others:  # parameters declared through macros, now that all are known
            macrodecl.resolve(u, tu.fmacros, tu.fmacro_params)
            self.functions.extend(u.functions)
        self.globals.update(tu.globals)
        self.functions.extend(_macro_functions(tu))
        self._summaries: dict[str, Summary] | None = None
        self._by_name: dict[str, list[ir.Function]] | None = None
        self._gnames: set[str] | None = None
        self._calls_index: tuple[dict[str, list[ir.Call]], dict[str, list[ir.Call]]] | None = None
        self.function_names = {f.name.rsplit("::", 1)[-1] for f in self.functions}
        self.loop_function: dict[int, ir.Function] = {}
        for f in tu.functions:
            for s in all_stmts(f.body):
                if isinstance(s, ir.ForStmt):
                    self.loop_function[s.loop.id] = f
        self._scopes: dict[int, Scope] = {}
        self._events: dict[int, dict[str, list[tuple[ir.Loc, str]]]] = {}
        # a macro given two values (#undef and #define again, or both #if branches read) has
        # no one value: it is a name the code does not change, as a parameter is
        self.constants = _numeric_macros({k: v for k, v in tu.macros.items() if k not in tu.macro_redefined}
                                         if tu.macro_redefined else tu.macros)
        self._extents: dict[str, int] | None = None
        self._enum_values: dict[str, int] | None = None
        self._has_sizes: bool | None = None
        self._scratch: set[str] | None = None
        self._minmax: dict[str, str] | None = None
        self._tls: set[str] | None = None
        self._classes: dict[str, str] | None = None
        self._ptr_targets: dict[int, dict[str, tuple[str, ir.Loc]]] = {}
        self._global_ptr_targets: dict[str, tuple[str, ir.Loc]] | None = None
        self._fn_occurrences: dict[int, tuple[ir.Function, _Occurrences]] = {}
        self._at_most: dict[int, int | None] = {}


    def extent_constants(self) -> dict[str, int]:
        """The integer macros, with casts of literals read through ('#define MAX_NMODES ((idx_t) 8)'):
        an array's declared size is an integer constant expression, so its casts are integral; and
        those whose text is no single operand ('2*NB'): between an array's brackets it is one."""
        if self._extents is None:
            self._extents = {**_numeric_macros({k: _LITERAL_CAST.sub("", v) for k, v in self.tu.macros.items()
                                                if k not in self.tu.macro_redefined}, closed_only=False),
                             **self.constants}
        return self._extents

    def has_sizes(self) -> bool:
        """Is an array of a declared size among the globals, members or records in view?"""
        if self._has_sizes is None:
            tu = self.tu
            self._has_sizes = any(d.extent is not None for d in (*self.globals.values(), *tu.fields.values())) or \
                any(d.extent is not None for r in tu.record_members.values() if r for d in r.values())
        return self._has_sizes

    def enum_constants(self) -> dict[str, int]:
        """The values of the unscoped enumeration constants in view ('numberOfTimers', the last
        of its enum). A local or parameter of the same name hides one: users look them up by name
        only where the scope declares no such name (cost facts: trip counts and bounds)."""
        if self._enum_values is None:
            known = dict(self.extent_constants())
            out: dict[str, int | None] = {}
            for u in (self.tu, *self.headers, *([self.program] if self.program is not None else [])):
                for enum in u.enums:
                    nxt: int | None = 0
                    for name, text in enum:
                        if text is not None:
                            nxt = int_value(_LITERAL_CAST.sub("", text), known)
                        if name in self.tu.macros or (name in out and out[name] != nxt):
                            out[name] = None  # (enumerations that differ, or a macro, of one name)
                        elif name not in out:
                            out[name] = nxt
                            if nxt is not None:
                                known[name] = nxt
                        nxt = nxt + 1 if nxt is not None else None
            self._enum_values = {k: v for k, v in out.items() if v is not None}
        return self._enum_values
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
            # the global pointers once for the file, then this function's own (a file of
            # thousands of functions must not walk them all for every loop)
            if self._global_ptr_targets is None:
                self._global_ptr_targets = {}
                for n, d in self.globals.items():
                    if d.init is not None:
                        _pointer_target(self._global_ptr_targets, n, d.init, d.loc)
                for f in self.tu.functions:
                    for e in exprs_by_type(f.body).get(ir.Assign, ()):
                        if e.op == "=" and type(e.target) is ir.Name and e.target.id in self.globals:
                            _pointer_target(self._global_ptr_targets, e.target.id, e.value, e.loc)
            out = dict(self._global_ptr_targets)
            if fn is not None:
                for e in exprs_by_type(fn.body).get(ir.Assign, ()):
                    if e.op == "=" and type(e.target) is ir.Name:
                        _pointer_target(out, e.target.id, e.value, e.loc)
                for st in all_stmts(fn.body):
                    if type(st) is ir.Decl:
                        for v in st.vars:
                            if v.init is not None:
                                _pointer_target(out, v.name, v.init, v.loc)
            self._ptr_targets[key] = out
        return self._ptr_targets[key]

    def effectful_classes(self) -> dict[str, tuple[str | None, str | None]]:
        """Classes whose constructor or destructor (run for an object created: a declaration,
        the end of its scope, a copy) or operators called implicitly ('=', '[]', a conversion)
        have effects: class -> (what its constructor or destructor does, what its operators do)."""
        if self._classes is None:
            found: dict[str, list] = {}
            # only classes this file or its headers name can be declared or copied in its loops
            # (summarizing every class of a large program in every file made 'check DIR' quadratic)
            named = self._named_words()
            for f in self.functions:
                c = f.class_name or (f.name.rsplit("::", 2)[-2] if f.name.count("::") else None)
                if c is not None and c not in named:
                    continue
                short = f.name.rsplit("::", 1)[-1]
                lifetime = c is not None and short in (c, "~" + c)
                if c is None or not (lifetime or (short.startswith("operator") and short != "operator()")):
                    continue  # (operator() is called by name: its effects come with the call)
                s = self.summary(short)
                if s is None:
                    continue
                what = (f"writes global '{sorted(s.writes_globals)[0].rpartition('::')[2]}'" if s.writes_globals else
                        f"performs I/O ({s.io})" if s.io else f"uses the random number generator ({s.rng})" if s.rng else
                        f"allocates memory ({s.alloc})" if s.alloc else f"may exit ({s.exits})" if s.exits else
                        f"calls '{s.unknown}'" if s.unknown else None)
                slot = found.setdefault(c, [None, None])
                if what and slot[0 if lifetime else 1] is None:
                    slot[0 if lifetime else 1] = f"'{c}::{short}' {what}"
            self._classes = {c: (a, b) for c, (a, b) in found.items() if a or b}
        return self._classes

    def calls_of(self, name: str) -> list[ir.Call]:
        """The calls of a (short) name in every function in view, indexed once per file
        (a file of thousands of functions must not walk them all for every loop)."""
        if self._calls_index is None:
            program = self.program
            shared = program.__dict__.get("_calls_index") if program is not None else None
            if program is not None and shared is None:  # the program's part: once per program
                shared = _calls_index(program.functions)
                program.__dict__["_calls_index"] = shared
            mine = [f for f in self.functions if program is None or not _in(f, program)]
            self._calls_index = (_calls_index(mine), shared or {})
        local, shared = self._calls_index
        return local.get(name, []) + shared.get(name, [])

    def function_named(self, name: str) -> ir.Function | None:
        """The one function of that (short) name, if there is exactly one."""
        if self._by_name is None:
            self.summary(name)  # (builds the index)
        fs = (self._by_name or {}).get(name, ())
        return fs[0] if len(fs) == 1 else None

    def _named_words(self) -> set[str]:
        words: set[str] = set()
        for u in (self.tu, *self.headers):
            words.update(re.findall(r"[A-Za-z_]\w*", (u.source or b"").decode("utf-8", "replace")))
        return words

    def thread_locals(self) -> set[str]:
        """errno and the variables declared __thread, _Thread_local or thread_local, or named by
        '#pragma omp threadprivate' (read from the source: C's grammar may not know the keyword)."""
        if self._tls is None:
            self._tls = {"errno"}
            src = self.tu.source or b""
            if b"thread" in src.lower():
                self._tls.update(m.group(1) for m in _TLS_DECL.finditer(src.decode("utf-8", "replace")))
            self._tls.update(threadprivate_names(self.tu))  # (also a header's: frontend/threadprivate.py)
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

    def summary(self, name: str) -> Summary | None:
        """The effect summary of a function, computed on first use with those of the functions it
        reaches (not the whole program's: a file of a large project calls a few of them)."""
        if self._by_name is None:
            self._by_name = {}
            for f in self.functions:
                self._by_name.setdefault(f.name.rsplit("::", 1)[-1], []).append(f)
        if name not in self.function_names:
            return None
        if self._summaries is None:
            self._summaries = {}
        if name not in self._summaries:
            self._summarize_from(name)
        return self._summaries.get(name)

    def _summarize_from(self, root: str) -> None:
        done = self._summaries
        need: list[ir.Function] = []
        seen: set[str] = set()
        todo = [root]
        while todo:
            n = todo.pop()
            if n in seen or n in done or n not in self._by_name:
                continue
            seen.add(n)
            for f in self._by_name[n]:
                need.append(f)
                todo.extend(n for c in exprs_by_type(f.body).get(ir.Call, ()) for n in call_targets(c))
        if need:
            done.update(summarize(need, self.tu, self._global_names(), known=done))

    def _global_names(self) -> set[str]:
        if self._gnames is None:
            self._gnames = set(self.globals)
        return self._gnames

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

    def at_most(self, loop: ir.Loop) -> int | None:
        """How many times the loop runs at most, where its constant bounds or the arrays it indexes
        say (tripbound.py): a cost fact, found without the legality run, for serial loops."""
        if loop.has_error or loop.canonical is None:
            return None
        if loop.id in self._at_most:
            return self._at_most[loop.id]
        try:
            a = _LoopAnalysis(self, loop, self.loop_function.get(loop.id), self.scope(self.loop_function.get(loop.id)))
            trip = a._trip_count(loop)
            bound = a._trip_bound() if trip is None else None
        except RecursionError:
            return None
        finally:
            a = None  # (its builders refer back to it)
        n = self._at_most[loop.id] = trip if trip is not None else bound[0] if bound else None
        return n

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


class _LoopAnalysis(ControlMixin, AccessesMixin, CallsMixin, CallArgsMixin, ScalarsMixin, BoundsMixin, TilesMixin, ContextMixin,
                    DependenceMixin, ArrayClausesMixin, AliasingMixin, ShapeMixin, StructsMixin, CommuteMixin):
    """One loop's analysis: the state every concern shares (the loop, its nest, the names it
    declares and writes), the concerns' checks run in order, and the facts assembled into a
    ``Legality``. Each concern is a mixin in a module of its own."""

    def __init__(self, az: Analyzer, loop: ir.Loop, fn: ir.Function | None, scope: Scope):
        self.az, self.loop, self.fn, self.scope = az, loop, fn, scope
        self.tu = az.tu
        self.blockers: list[Reason] = []
        self.assumptions: list[Reason] = []
        self._rows_assumed: dict[str, ir.Loc] = {}  # pointer arrays written through their rows
        self._elements_assumed: dict[str, ir.Loc] = {}  # elements passed by value to writing callees
        self._csr: dict | None = None  # row loops of CSR-like offset arrays (csr.py)
        self._monotone: dict[str, ir.Loc] = {}  # offset arrays assumed non-decreasing
        self._tiles_assumed: dict[str, tuple] = {}  # loop variables assumed >= 0 in 'i % T' (tiles.py)
        self._rows_overlap: set[str] = set()  # pointer arrays with two rows into one object
        self._windows: dict[str, tuple] = {}  # arrays copied between planes over a window table (windows.py)
        self._rows_condition: dict[str, dict] = {}  # arrays whose linearized rows are assumed apart: first access, conditions
        self._opaque_subs: dict[str, object] = {}  # arrays with a subscript not affine, taken as any element of its row
        self.private_arrays: dict[str, ir.Loc] = {}  # local arrays privatized per iteration
        self._struct_writes: dict[str, ir.Loc] = {}  # local structs written field by field (structs.py)
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
        scoped = self._scoped_constants()
        if scoped:
            local_consts.update(scoped)
        self._constants = {**az.constants, **local_consts} if local_consts else az.constants

    # ------------------------------------------------------------------ driver
    def run(self) -> Legality:
        loop = self.loop
        self._static_locals()
        self._pointer_references()
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
        if self._struct_writes:
            structs = self._private_structs()
            if structs:
                clauses = replace(clauses, private=clauses.private + tuple(sorted(structs)))
                scalars = list(scalars) + [ScalarFact(n, "private", None, loc.line, loc.column,
                                                      "struct whose fields are written before read in every iteration")
                                           for n, loc in sorted(structs.items())]
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
        for var, (lower, e) in sorted(self._tiles_assumed.items()):
            self.assumptions.append(_reason(
                "BOUNDS-ASSUMED", f"assuming {lower.text} >= 0 and that it does not overflow, so that '{e.text}' is "
                f"the offset of '{var}' in its tile ('{var} - {lower.text}'; the remainder of a negative or wrapped "
                "number is not)", e.loc, condition=f"{lower.text} >= 0 without overflow"))
        if self._elements_assumed:
            names_ = sorted(self._elements_assumed)
            desc = ", ".join(f"'{n}'" for n in names_)
            self.assumptions.append(_reason(
                "ALIAS-ASSUMED", f"assuming different elements of {desc} point to different memory "
                "(elements passed by value to a callee that writes through them)",
                self._elements_assumed[names_[0]], rows=names_))
        self._spaces = None  # its builders' lambdas refer back to self: break the cycle
        bound = self._trip_bound() if trip is None and parallel else None
        return Legality(loop.id, parallel, clauses, tuple(self.blockers), tuple(self.assumptions),
                        tuple(scalars), tuple(deps), trip, tri, irregular, rect, perfect,
                        *(bound or (None, "")))


# '(idx_t) 8': a cast of a literal that every integer type holds (not '(uint32_t) 0x100000004')
_LITERAL_CAST = re.compile(r"\(\s*[A-Za-z_][\w\s]*\)\s*(?=(?:[0-9]|[1-9][0-9]|1[01][0-9]|12[0-7])(?![\w.]))")


def _pointer_target(out: dict[str, tuple[str, ir.Loc]], p: str, value: ir.Expr, loc: ir.Loc) -> None:
    """Record 'p = &x' (through casts, and offsets: '&x + 0') as p -> (x, where), and 'q = p' of a
    pointer already recorded as q -> p's target, keeping the first."""
    v = value
    while type(v) is ir.Cast or (type(v) is ir.Binary and v.op in ("+", "-")):
        v = v.expr if type(v) is ir.Cast else v.left
    if type(v) is ir.Unary and v.op == "&" and type(v.operand) is ir.Name:
        out.setdefault(p, (v.operand.id, loc))
    elif type(v) is ir.Name and v.id in out and v.id != p:
        out.setdefault(p, out[v.id])


def _calls_index(functions) -> dict[str, list[ir.Call]]:
    out: dict[str, list[ir.Call]] = {}
    for f in functions:
        for e in exprs_by_type(f.body).get(ir.Call, ()):
            out.setdefault(e.name, []).append(e)
    return out


def _in(f: ir.Function, program: ir.TranslationUnit) -> bool:
    ids = program.__dict__.get("_function_ids")
    if ids is None:
        ids = program.__dict__["_function_ids"] = {id(g) for g in program.functions}
    return id(f) in ids
