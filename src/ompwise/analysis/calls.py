"""Effects of the calls in a loop body beyond memory accesses: I/O, random numbers,
allocation, exits, unknown callees, global writes, thread-locals, macros that name the
caller's variables, and C++ objects whose implicit members have effects."""
from __future__ import annotations

import re

from ..frontend import ir
from .objects import accessor_access, class_of, macro_access
from ..frontend.walk import all_exprs, all_stmts, base_name, exprs, exprs_by_type
from .cxx import MUTATING_METHODS
from .effects import CONST_METHODS, FRESH_ALLOCATORS, RELEASERS, classify_callee, fresh_pointers, pure_macro, released, stream_io
from .facts import Access, _reason

_CAST = re.compile(r"(?:std::)?static_cast\s*<(.+)>")
_WORDS = re.compile(r"[A-Za-z_]\w*")
from .macros import _C_WORDS, _several_statements


class CallsMixin:
    """Blockers from what the loop's calls, macros and implicitly called C++ members do."""

    def _macro_free_names(self, call: ir.Call, once) -> None:
        """A function-like macro names the caller's variables directly ('#define ACC(i) acc +=
        a[i]'): its lowered summary cannot see them, so such a use of the loop variable, of a
        variable the loop writes, or a write to any of the caller's variables blocks."""
        name = call.name
        body = self.tu.fmacros[name]
        params = set(self.tu.fmacro_params.get(name, ()))
        called = set(re.findall(r"([A-Za-z_]\w*)\s*\(", body))
        free = {n for n in re.findall(r"[A-Za-z_]\w*", body)} - params - called - _C_WORDS
        free = {n for n in free if n not in self.tu.macros and n not in self.tu.fmacros}
        typed = exprs_by_type(self.loop.body)
        roots = {base_name(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())} | self.written
        assigns = not pure_macro(body, self.tu)
        for n in sorted(free):
            kind = self.scope.kind(n)
            if n == self.var or n in self.inner_ivs or n in roots or (assigns and kind in ("local", "param")):
                once("MACRO-EFFECT", f"not parallelized: macro '{name}' uses '{n}' of this function directly, "
                     "which is not analyzed through the macro", call.loc, variable=n)
                return

    def _macro_element_reads(self, call: ir.Call, once) -> None:
        """An element macro ('#define AT(i) a[i + off]') reads the caller's 'off' where the loop's
        own statements do not show it: a variable the loop writes (not one of its loop variables
        or its own locals) may then be read before this iteration writes it, or privatized."""
        params = set(self.tu.fmacro_params.get(call.name, ()))
        free = set(re.findall(r"[A-Za-z_]\w*", self.tu.fmacros[call.name])) - params
        typed = exprs_by_type(self.loop.body)
        roots = {base_name(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())} | self.written
        for n in sorted(free & roots - {self.var} - set(self.inner_ivs) - set(self.local)):
            once("MACRO-EFFECT", f"not parallelized: macro '{call.name}' reads '{n}', which the loop writes, "
                 "where the loop's statements do not show it", call.loc, variable=n)
            return

    def _calls(self, accesses: list[Access]) -> None:
        seen: set[tuple[str, str]] = set()

        def once(code, msg, loc, **ev):
            if (code, msg) not in seen:
                seen.add((code, msg))
                self.blockers.append(_reason(code, msg, loc, **ev))

        classes = self.az.effectful_classes() if self.tu.language != "c" else {}
        if classes:
            self._object_lifetimes(classes, once)
        tls = self.az.thread_locals()
        if tls:
            for x in exprs_by_type(self.loop.body).get(ir.Name, ()):
                if x.id in tls and x.id not in self.local:
                    once("THREAD-LOCAL", f"not parallelized: '{x.id}' is thread-local: the other threads would use "
                         "their own copies", x.loc, variable=x.id)
        for e in exprs_by_type(self.loop.body).get(ir.Call, ()):
            if e.name in self.tu.fmacros and macro_access(e, self.tu) is None:
                self._macro_free_names(e, once)
            elif e.name in self.tu.fmacros:
                self._macro_element_reads(e, once)
        typed = exprs_by_type(self.loop.body)
        for e in (*typed.get(ir.Assign, ()), *typed.get(ir.IncDec, ())):
            t = e.target
            if type(t) is ir.Call and t.name in self.tu.fmacros and macro_access(t, self.tu) is None:
                # 'AT(a, i) = v': a write the macro hides (unless it is a plain element, 'a[...]')
                once("MACRO-EFFECT", f"not parallelized: the loop writes through macro '{t.text}', whose expansion "
                     "is not analyzed", e.loc, variable=t.name)
        body = self.loop.body
        if not self.loop.braced and len(body) == 1 and type(body[0]) is ir.ExprStmt:
            e = body[0].expr
            name = e.name if type(e) is ir.Call else e.id if type(e) is ir.Name else None
            text = self.tu.fmacros.get(name) if type(e) is ir.Call else self.tu.macros.get(name)
            if text and _several_statements(text):
                once("MACRO-EFFECT", f"not parallelized: the loop's body is macro '{name}', which expands to "
                     "several statements: only the first is in the loop", e.loc, variable=name)
        macros = self.tu.macros
        if macros:
            typed = exprs_by_type(self.loop.body)
            targets = {id(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())}
            roots = {base_name(e.target) for t in (ir.Assign, ir.IncDec) for e in typed.get(t, ())}
            for x in typed.get(ir.Name, ()):
                body = macros.get(x.id)
                if body is None or x.id in self.tu.fmacros or self.scope.decl(x.id) is not None:
                    continue
                short = " ".join(body.split())[:60]
                if id(x) in targets:
                    once("MACRO-EFFECT", f"not parallelized: the loop writes to macro '{x.id}' ('{short}'), "
                         "whose expansion is not analyzed", x.loc, variable=x.id)
                elif not pure_macro(body, self.tu):
                    once("MACRO-EFFECT", f"not parallelized: macro '{x.id}' expands to '{short}', which assigns "
                         "or calls a function not known to be pure", x.loc, variable=x.id)
                else:
                    hit = sorted(n for n in set(re.findall(r"[A-Za-z_]\w*", body)) & roots
                                 if self.scope.decl(n) is not None)
                    if hit:
                        once("MACRO-EFFECT", f"not parallelized: macro '{x.id}' expands to '{short}', which reads "
                             f"'{hit[0]}', written in the loop", x.loc, variable=x.id)
        for st in all_stmts(self.loop.body):
            stream = stream_io(st)
            if stream:
                op = "<<" if st.expr.op == "<<" else ">>"
                once("IO", f"not parallelized: stream I/O '{stream} {op}'", st.loc, call=stream)
        for e in exprs_by_type(self.loop.body).get(ir.Call, ()):
            if self.tu.accessor_exprs and accessor_access(e, self.tu, self.scope.decl) is not None:
                continue  # an element of a member array (see the access walk)
            if e.name in self.tu.fmacros and macro_access(e, self.tu) is not None:
                continue  # an element of an array, through a macro
            name = e.name
            s = self.az.summary(name)
            if isinstance(e.func, ir.Member):
                root = base_name(e.func.base)
                if (name in self.tu.accessors and len(e.args) == 1) or (s is None and name in CONST_METHODS):
                    continue  # (a class of the program's own is asked about its method instead)
                if (s is None and name in MUTATING_METHODS) or (s is not None and s.writes_this):
                    if root not in self.local:
                        once("SHARED-WRITE", f"not parallelized: '{e.func.text}()' modifies shared '{e.func.base.text}'", e.loc, variable=e.func.base.text)
                    if s is None:
                        continue
            elif s is not None and s.writes_this and self.fn is not None and (self.fn.class_name or "::" in self.fn.name):
                once("SHARED-WRITE", f"not parallelized: '{name}()' modifies this object's members", e.loc, variable="this")
            if s is not None:
                if s.io:
                    once("IO", f"not parallelized: call to '{name}' performs I/O ({s.io})", e.loc, call=name)
                if s.rng:
                    once("CALL-RNG", f"not parallelized: call to '{name}' uses the random number generator ({s.rng})", e.loc, call=name)
                if s.alloc:
                    once("ALLOC", f"not parallelized: call to '{name}' releases memory it did not allocate, or manages "
                         f"memory in a way not analyzed ({s.alloc})", e.loc, call=name)
                if s.exits:
                    once("EXIT-EARLY", f"not parallelized: call to '{name}' may exit the program ({s.exits})", e.loc, call=name)
                if s.unknown:
                    once("CALL-UNKNOWN", f"not parallelized: call to '{name}' calls '{s.unknown}', whose effects are unknown", e.loc, call=name)
                for g in sorted(s.writes_globals):
                    owner, _, var = g.rpartition("::")
                    what = f"static variable '{var}' of '{owner}'" if owner else f"global '{g}'"
                    once("GLOBAL-WRITE", f"not parallelized: call to '{name}' writes {what}", e.loc, call=name, variable=var)
                for g in sorted(s.reads_globals & (self.written | {self.var}) - self.local - s.writes_globals):
                    if self.scope.kind(g) == "global":  # (not a local or parameter of the same name)
                        once("CALL-SIDE-EFFECT", f"not parallelized: call to '{name}' reads global '{g}', which the loop "
                             "writes: the call would not see another iteration's (or a private) value", e.loc, call=name, variable=g)
                continue
            kind = classify_callee(name, self.tu)
            if kind == "pure" or kind == "writes-args":
                continue
            if kind == "io":
                once("IO", f"not parallelized: I/O call '{name}'", e.loc, call=name)
            elif kind == "rng":
                once("CALL-RNG", f"not parallelized: '{name}' keeps hidden global state", e.loc, call=name)
            elif kind == "alloc":
                why = self._unsafe_memory_call(e, classes)
                if why:
                    once("ALLOC", f"not parallelized: {why}", e.loc, call=name)
            elif kind == "exit":
                once("EXIT-EARLY", f"not parallelized: '{name}' may end the program", e.loc, call=name)
            else:
                label = name or e.func.text
                once("CALL-UNKNOWN", f"not parallelized: call to '{label}' whose definition is not visible", e.loc, call=label)

    def _unsafe_memory_call(self, e: ir.Call, classes) -> str | None:
        """Why a memory management call in the body may race or change results, or None.
        Allocating is thread-safe, and where the pointer goes is checked as any write ('p = ...'
        of a shared scalar, 'a[i] = ...' an element); releasing is safe for memory this iteration
        allocated (a pointer every value of which in the body is fresh memory) and for the
        loop's own element 'a[i]', which no other iteration names."""
        name = e.name
        if name in FRESH_ALLOCATORS:
            hit = class_of(e.text[3:], classes) if name == "new" and classes else None
            if hit and classes[hit][0]:
                return f"'new' of a '{hit}', whose {classes[hit][0]}"
            return None
        if name not in RELEASERS:
            return f"memory management call '{name}'"
        p = released(e)
        if type(p) is ir.Name and p.id in self._fresh_pointers():
            return None
        if type(p) is ir.Index and self._own_element(p):
            d = self.scope.decl(base_name(p))
            hit = class_of(d.type, classes) if name == "delete" and classes and d is not None else None
            if hit and classes[hit][0]:
                return f"'delete' of a '{hit}', whose {classes[hit][0]}"
            return None
        what = p.text if p is not None else "?"
        return f"'{name}' releases '{what}', memory not allocated in this iteration (another may use it)"

    def _fresh_pointers(self) -> set[str]:
        """Pointers whose every value set in the body is memory allocated there (the body's own
        locals, or scalars it assigns: one read before it is set is a carried scalar)."""
        if getattr(self, "_fresh_cache", None) is None:
            assigned = {e.target.id for e in exprs_by_type(self.loop.body).get(ir.Assign, ())
                        if type(e.target) is ir.Name}
            self._fresh_cache = fresh_pointers(self.loop.body, set(self.local) | assigned)
        return self._fresh_cache

    def _own_element(self, p: ir.Index) -> bool:
        """'a[i]' with i the loop's variable, and 'a' named nowhere else in the body but as 'a[i]'."""
        if not (type(p.index) is ir.Name and p.index.id == self.var):
            return False
        base = p.base
        if any(type(x) is ir.Call or type(x) is ir.Name and x.id == self.var for x in exprs(base)):
            return False
        ok = {id(x.base) for x in exprs_by_type(self.loop.body).get(ir.Index, ())
              if type(x.index) is ir.Name and x.index.id == self.var and x.base.text == base.text}
        return all(id(x) in ok for x in all_exprs(self.loop.body) if type(x) is type(base) and x.text == base.text)

    def _object_lifetimes(self, classes: dict[str, tuple[str | None, str | None]], once) -> None:
        """A constructor and a destructor run for the objects the loop creates: a by-value
        declaration in its body, or a copy passed by value to a call. An object that exists
        before the loop, named or reached through a reference or a pointer, constructs nothing;
        only its class's operators ('=', '[]', a conversion) may run on it."""
        typed = exprs_by_type(self.loop.body)
        for st in all_stmts(self.loop.body):
            if type(st) is not ir.Decl:
                continue
            for v in st.vars:
                hit = class_of(v.type, classes) or self._auto_copy_class(v, classes)
                if hit and not v.pointer and not v.reference:
                    effect = classes[hit][0] or classes[hit][1]
                    if effect:
                        once("CALL-SIDE-EFFECT", f"not parallelized: '{v.name}' is a '{hit}', whose implicitly called "
                             f"{effect}", v.loc, variable=v.name)
                        return
        for c in typed.get(ir.Call, ()):
            # 'static_cast<U>(x)' of a class makes a temporary U: its constructor and destructor run
            m = _CAST.fullmatch(c.func.text) if type(c.func) is ir.Name else None
            hit = class_of(m.group(1), classes) if m and not any(ch in m.group(1) for ch in "*&") else None
            if hit and (classes[hit][0] or classes[hit][1]):
                once("CALL-SIDE-EFFECT", f"not parallelized: '{c.text}' makes a temporary '{hit}', whose implicitly "
                     f"called {classes[hit][0] or classes[hit][1]}", c.loc, variable=hit)
                return
        names = {x.id for x in typed.get(ir.Name, ())}
        by_value = self._copied_to_calls(typed)
        for n in sorted(names):
            d = self.scope.decl(n)
            if d is None or self.scope.kind(n) == "local" and n in self.local:
                continue
            hit = class_of(d.type, classes)
            if not hit:
                continue
            lifetime, operator = classes[hit]
            # elements reached through 'p[i]' or '*p': '=' or a conversion runs on them, and an
            # element passed by value is a copy ('g(p[i])')
            element = d.pointer or d.array
            if n in by_value and lifetime:
                what = f"an element of '{n}' is" if element else f"'{n}' is"
                once("CALL-SIDE-EFFECT", f"not parallelized: {what} passed by value, a copy of a '{hit}', whose "
                     f"implicitly called {lifetime}", self.loop.loc, variable=n)
                return
            if operator:
                what = f"elements of '{n}' are '{hit}'" if element else f"'{n}' is a '{hit}'"
                once("CALL-SIDE-EFFECT", f"not parallelized: {what}, whose implicitly called {operator}",
                     self.loop.loc, variable=n)
                return

    def _auto_copy_class(self, v: ir.VarDecl, classes) -> str | None:
        """The class an 'auto' declaration copies: 'auto c = b[i]' with 'U *b' copies a U."""
        if v.init is None or v.pointer or v.reference or _WORDS.findall(v.type) not in (["auto"], ["const", "auto"]):
            return None
        x, element = v.init, False
        while type(x) is ir.Index or type(x) is ir.Unary and x.op == "*":
            x, element = (x.base if type(x) is ir.Index else x.operand), True
        if type(x) is ir.Member:  # 'auto c = s.u': the field's class
            fd = self.tu.fields.get(x.field)
            return class_of(fd.type, classes) if fd is not None and not fd.pointer else None
        if type(x) is not ir.Name:
            return None
        d = self.scope.decl(x.id)
        if d is None or (d.pointer or d.array) and not element:
            return None  # ('auto q = p' copies a pointer; 'auto c = b[i]' an element, counted as a U
        return class_of(d.type, classes)  # even where b is a U**: blocking more is safe)

    def _copied_to_calls(self, typed) -> set[str]:
        """Names passed as a whole object to a parameter that is not a reference or a pointer
        (or to a function whose parameters are not known)."""
        out = set()
        for c in typed.get(ir.Call, ()):
            args = [(k, a.id if type(a) is ir.Name else base_name(a)) for k, a in enumerate(c.args)
                    if type(a) is ir.Name or type(a) is ir.Index or type(a) is ir.Unary and a.op == "*"]
            args = [(k, n) for k, n in args if n]
            if not args:
                continue
            fn = self.az.function_named(c.name)
            for k, n in args:
                p = fn.params[k] if fn is not None and k < len(fn.params) else None
                if p is None or not (p.reference or p.pointer or p.array):
                    out.add(n)
        return out
