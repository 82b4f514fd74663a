"""tree-sitter C/C++ -> IR (``TranslationUnit``).

Robust by construction: tree-sitter recovers from errors, so every function
that parses is lowered; regions with syntax errors become ``OpaqueStmt`` and
are reported in ``TranslationUnit.errors``.
"""
from __future__ import annotations

import re
from dataclasses import replace

import tree_sitter as ts

from . import ir
from .canonical import _LOOP_KINDS, _canonical
from .constcond import condition_value, trusted_macros
from .gotos import continues
from .walk import exprs as walk_exprs
from .expressions import _WS, ExpressionsMixin
from .declarators import DeclaratorsMixin, _descendants, _macro_declarator, _macro_head, merge_field as _merge_field, no_extent as _no_extent, same_members as _same_members
from .lambdas import LambdasMixin
from .ir import Loc
from .newlines import as_lf
from .nodes import _field_ids, _loc, _number, _parser, _text  # noqa: F401  (_number: re-exported, benchmarks/speed.py)
from .pragma import split_directive
from .pragma_lines import pragma_lines
from .readable import open_macros, readable
from .rangefor import lower_body, range_for as range_for_form, range_for_fallback
from .recovery import _blank, _collect_errors, _recover_functions  # noqa: F401  (_blank: re-exported)

C_SUFFIXES = {".c", ".h"}
CPP_SUFFIXES = {".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".C", ".H", ".cu", ".inl", ".ipp", ".tpp"}


def language_for(path: str) -> str | None:
    import os
    ext = os.path.splitext(path)[1]
    if ext in C_SUFFIXES:
        return "c"
    if ext in CPP_SUFFIXES or ext.lower() in CPP_SUFFIXES:
        return "cpp"
    return None


_PASS_THROUGH = {"parenthesized_expression", "condition_clause"}


class _Lowerer(ExpressionsMixin, DeclaratorsMixin, LambdasMixin):
    """Lowers one tree into IR; collects loops in preorder."""

    def __init__(self, source: bytes, language: str, defines: dict[str, str] | None = None):
        self.src = source
        self.language = language
        self.defines = defines or {}  # -D given by the user (constcond.py)
        self.open_macros: frozenset[str] = frozenset()  # (set by parse_source: readable.open_macros)
        self.cond_unsure: set[str] = set()  # macros #undef'd in the file: no condition is decided by them
        self.trusted: frozenset[str] = frozenset()  # (set by parse_source from the text as given)
        self.loops: list[ir.Loop] = []
        self.functions: list[ir.Function] = []
        self.globals: dict[str, ir.VarDecl] = {}
        self.fields: dict[str, ir.VarDecl] = {}
        self.enums: list[tuple[tuple[str, str | None], ...]] = []
        self.record_members: dict[str, dict[str, ir.VarDecl] | None] = {}
        self.undefined: set[str] = set()  # macros '#undef'd somewhere
        self._returns = ""  # the type the function being lowered returns by value ('unsigned')
        self.macro_pragmas: dict[int, str] = {}  # line -> a pragma written as _Pragma or a macro (pragma_lines.py)
        self.macro_redefined: set[str] = set()  # object-like macros defined twice, differently
        self.records: set[str] = set()
        self.union_fields: set[str] = set()
        self.arith_typedefs: set[str] = set()
        self.function_names: set[str] = set()  # declared or defined so far: 'R(i)' calls R, whatever typedef R elsewhere
        self.accessors: dict[str, str] = {}
        self.non_accessors: set[str] = set()  # methods with a definition that is not such an accessor
        self.accessor_exprs: dict[tuple[str, str], tuple[str, tuple[str, ...], ir.Expr]] = {}
        self.type_params: set[str] = set()  # template type parameters: 'T(0)' converts
        self.macros: dict[str, str] = {}
        self.fmacros: dict[str, str] = {}
        self.fmacro_params: dict[str, tuple[str, ...]] = {}
        self.fmacro_redefined: set[str] = set()
        self.fmacro_defs: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        self._function = ""
        self._loop_stack: list[int] = []
        self._in_region = 0
        self._in_macro = False  # the function being lowered sits inside a macro definition or lambda
        self._kids: dict[int, list[int]] = {}
        try:
            self._ascii: str | None = source.decode("ascii")  # byte offsets are char offsets
        except UnicodeDecodeError:
            self._ascii = None
        self.region_loops: set[int] = set()
        self.kr_headers: set[int] = set()  # start bytes of recovered implicit-int K&R heads
        self._locs: dict[int, Loc] = {}  # start byte -> Loc, shared by the nodes starting there
        self._fields = _field_ids(language)
        self._refs: set[str] = set()  # local references of the function being lowered
        self._locals: set[str] = set()  # its parameters and the locals declared so far
        # the declarations of those (a lambda's captures) and which are parameters
        self._decls: dict[str, ir.VarDecl] = {}
        self._params: frozenset[str] = frozenset()
        self._rename: dict[str, str] = {}  # source name -> id, for the body of a range-based for
        self.dim0: dict[tuple[str, Loc], ts.Node] = {}  # an array's first dimension, by its declarator
        self._labels: list[Loc] = []  # labeled statements of the function being lowered
        self._continues: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())  # gotos.py
        self._constexpr = False
        self._unnameable: set[str] = set()
        self._pp_depth = 0
        self.deep_errors: list[ir.SourceError] = []
        # lambda expressions met and not yet lowered, by start byte: (node, enclosing locals, references)
        self._lambdas: dict[int, tuple[ts.Node, frozenset[str], frozenset[str]]] = {}

    # ------------------------------------------------------------ top level
    def top(self, node: ts.Node, class_name: str | None = None) -> None:
        if node.type == "template_declaration":
            params = node.child_by_field_name("parameters")
            for p in params.named_children if params is not None else ():
                if p.type in ("type_parameter_declaration", "optional_type_parameter_declaration"):
                    self.type_params.update(_text(c) for c in p.named_children if c.type == "type_identifier")
        kids = node.named_children
        skip_to = 0
        for k, child in enumerate(kids):
            if k < skip_to:
                continue  # the parameter declarations and body of a K&R function
            t = child.type
            ty = child if t == "enum_specifier" else child.child_by_field_name("type") \
                if t in ("declaration", "type_definition", "field_declaration") else None
            if ty is not None and ty.type == "enum_specifier":
                self._enum(ty)
            if t == "expression_statement":
                skip_to = self._implicit_int_function(kids, k)
                if skip_to:
                    continue
            if t == "function_definition":
                self.function(child, class_name)
            elif t == "declaration":
                for v in self.decl_vars(child):  # (namespaces' globals are known by name only)
                    self.globals[v.name] = _merge_field(self.globals.get(v.name), v)
                d = child.child_by_field_name("declarator")
                if d is not None and d.type == "function_declarator":  # 'int R(int);'
                    fname = d.child_by_field_name("declarator")
                    if fname is not None:
                        self.function_names.add(_text(fname).rsplit("::", 1)[-1])
                ty = child.child_by_field_name("type")  # 'struct G { ... } gs;': its fields too
                if ty is not None and ty.type in ("struct_specifier", "class_specifier", "union_specifier"):
                    self._record(ty, class_name)
            elif t in ("field_declaration",):
                for v in self.decl_vars(child):
                    self.fields[v.name] = _merge_field(self.fields.get(v.name), v)
            elif t in ("preproc_function_def", "preproc_def"):
                self._macro_def(child)
            elif t == "preproc_call":
                self._undef(child)
            elif t in ("template_declaration", "linkage_specification", "namespace_definition",
                       "declaration_list", "preproc_ifdef", "preproc_if", "preproc_else",
                       "preproc_elif", "preproc_elifdef", "field_declaration_list",
                       "access_specifier", "export_declaration"):
                self.top(child, class_name)
            elif t in ("class_specifier", "struct_specifier", "union_specifier"):
                self._record(child, class_name)
            elif t in ("type_definition",) or t == "alias_declaration":
                ty = child.child_by_field_name("type")
                if ty is not None and ty.type == "type_descriptor":
                    ty = ty.child_by_field_name("type")
                if ty is not None and ty.type in ("primitive_type", "sized_type_specifier"):
                    for c in child.named_children:  # typedef double Real_t; using R = float;
                        if c.type == "type_identifier" and c is not ty:
                            self.arith_typedefs.add(_text(c))
                for c in child.named_children:
                    if c.type in ("struct_specifier", "class_specifier", "union_specifier"):
                        members = self._record(c, class_name)
                        d = child.child_by_field_name("declarator")
                        if d is not None and d.type == "type_identifier":
                            self.records.add(_text(d))
                            if members is not None:  # 'typedef struct { ... } tensor;'
                                self._put_record(_text(d), members)
            elif t == "expression_statement" or t.endswith("_statement"):
                pass  # top-level statements only appear in broken code

    def _undef(self, node: ts.Node) -> None:
        """'#undef X': X is no macro from here on, and no 'if (X)' is decided by its value."""
        directive = node.child_by_field_name("directive")
        arg = node.child_by_field_name("argument")
        if directive is not None and _text(directive) == "#undef" and arg is not None:
            name = _text(arg).strip()
            self.macros.pop(name, None)
            self.cond_unsure.add(name)
            self.undefined.add(name)

    def _decided(self, c: ir.Expr, cons: ts.Node | None, alt: ts.Node | None) -> int | None:
        """The value of an if's condition when the configuration decides it (constcond.py), unless
        a name in it is also a variable or was #undef'd, or the branch it would drop holds a label
        ('case 1:' inside 'if (0) {...}' is reached by the switch)."""
        known = condition_value(c, self.macros, self.defines, trusted=self.trusted)
        if known is None:
            return None  # (a macro defined under #if, twice, or #undef'd: the file alone does not fix it)
        branch = alt if known else cons
        ns = {x.id for x in walk_exprs(c) if type(x) is ir.Name}
        if ns & (self.cond_unsure | set(self.globals) | set(getattr(self, "_locals", ()) or ())):
            return None
        stack = [branch] if branch is not None else []
        while stack:
            n = stack.pop()
            if n.type in ("case_statement", "labeled_statement"):
                return None
            stack.extend(n.children)
        return known

    def _macro_def(self, node: ts.Node) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None:
            return
        body = _text(value).strip() if value is not None else ""
        if node.type == "preproc_def":
            if self.macros.get(_text(name), body) != body or _text(name) in self.undefined:
                self.macro_redefined.add(_text(name))  # (one value per name: not this one's)
            self.macros[_text(name)] = body
            return
        if self.fmacros.get(_text(name), body) != body:
            self.fmacro_redefined.add(_text(name))
        self.fmacros[_text(name)] = body
        ps = node.child_by_field_name("parameters")
        self.fmacro_params[_text(name)] = tuple(
            _text(x) for x in (ps.named_children if ps is not None else ()) if x.type == "identifier")
        # every definition with its line: a use expands to the last one above it
        self.fmacro_defs.setdefault(_text(name), []).append(
            (node.start_point[0] + 1, body, self.fmacro_params[_text(name)]))

    def function(self, node: ts.Node, class_name: str | None) -> None:
        decl = node.child_by_field_name("declarator")
        body = node.child_by_field_name("body")
        if decl is None or body is None:
            return
        returns_ref = False
        if decl.type == "operator_cast":  # 'operator int() const { ... }': a conversion, called implicitly
            if class_name is not None:
                self._define("operator_cast", _loc(node), [], body, class_name, False)
            return
        fdecl = decl
        by_value = True
        while fdecl is not None and fdecl.type != "function_declarator":
            if fdecl.type == "reference_declarator":
                returns_ref = True
            by_value = by_value and fdecl.type not in ("pointer_declarator", "reference_declarator")
            fdecl = fdecl.child_by_field_name("declarator") or (fdecl.named_children[-1] if fdecl.named_children else None)
        if fdecl is None:
            head = _macro_head(node, decl)
            if head is not None:  # 'CTEST_SETUP(api) { ... }': a function whose head a macro writes
                self._define(head, _loc(node), [], body, class_name, False)
            return
        name_node = fdecl.child_by_field_name("declarator")
        name = _text(name_node) if name_node is not None else "?"
        rtype = node.child_by_field_name("type")
        self._returns = _text(rtype) if rtype is not None and by_value else ""
        params: list[ir.VarDecl] = []
        macro_params: list[tuple[int, str, str, tuple[str, ...], Loc]] = []
        plist = fdecl.child_by_field_name("parameters")
        if plist is not None:
            kr: dict[str, ir.VarDecl] | None = None
            for p in plist.named_children:
                if p.type in ("parameter_declaration", "optional_parameter_declaration"):
                    found = _no_extent(self.decl_vars(p))  # ('double a[100]' is a pointer)
                    if not found:
                        m = _macro_declarator(p)
                        if m is not None:
                            macro_params.append((len(params), *m, _loc(p)))
                    params.extend(found)
                elif p.type == "identifier":
                    # K&R definition, 'double randlc(X, A) double *X; double *A; {': the
                    # types come from the declarations between the header and the body
                    if kr is None:
                        kr = {v.name: v for c in node.named_children if c.type == "declaration"
                              for v in _no_extent(self.decl_vars(c))}
                    pname = _text(p)
                    params.append(kr.get(pname) or ir.VarDecl(pname, _loc(p), "int"))
        static = any(c.type == "storage_class_specifier" and _text(c) == "static" for c in node.children)
        self._constexpr = any(_text(c) in ("constexpr", "consteval") for c in node.children if c is not body)
        n_loops, n_functions = len(self.loops), len(self.functions)
        try:
            self._define(name, _loc(node), params, body, class_name, returns_ref, static, tuple(macro_params))
            self.lambdas(name)
        except RecursionError:  # an expression or statement nested too deeply: skip this function only
            del self.loops[n_loops:]
            del self.functions[n_functions:]
            self.region_loops = {i for i in self.region_loops if i < n_loops}
            p = node.start_point
            self.deep_errors.append(ir.SourceError(p[0] + 1, p[1] + 1, f"function '{name}' is nested too deeply "
                                                   "to analyze (its loops are skipped)"))

    def _record(self, node: ts.Node, class_name: str | None) -> dict[str, ir.VarDecl] | None:
        """A struct, class or union definition: its name, and its members (a union's share storage)."""
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name is not None:
            self.records.add(_text(name))
        if body is None:
            return
        before = set(self.fields)
        self.top(body, _text(name) if name is not None else class_name)
        own = [self.decl_vars(c) for c in body.named_children if c.type == "field_declaration"]
        own = [vs for vs in own if vs]  # (a method's declaration declares no member)
        for v in own[-1] if own else ():
            f = self.fields.get(v.name)  # a trailing 'data[1]' may be a variable-length record's
            if f is not None and f.extent is not None:
                self.fields[v.name] = replace(f, extent=None)
        if node.type == "union_specifier":
            self.union_fields |= set(self.fields) - before
        members = {v.name: replace(v, extent=None) if own and v in own[-1] else v for vs in own for v in vs}
        if name is not None:
            self._put_record(_text(name), members)
        return members

    def _put_record(self, name: str, members: dict[str, ir.VarDecl]) -> None:
        """A record's members by its tag or typedef name; two different definitions: neither."""
        prev = self.record_members.get(name, members)
        self.record_members[name] = members if prev is members or _same_members(prev, members) else None

    def _enum(self, node: ts.Node) -> None:
        """An unscoped enumeration's constants, in order: (name, value's text or None for 'one
        more than the last')."""
        body = node.child_by_field_name("body")
        if body is None or any(c.type in ("class", "struct") for c in node.children):
            return  # (a declaration, or a scoped 'enum class' whose names need 'E::')
        out = []
        for e in body.named_children:
            if e.type == "enumerator":
                name, value = e.child_by_field_name("name"), e.child_by_field_name("value")
                if name is not None:
                    out.append((_text(name), _text(value) if value is not None else None))
        if out:
            self.enums.append(tuple(out))

    def _implicit_int_function(self, kids: list[ts.Node], k: int) -> int:
        """K&R 'main(argc, argv) int argc; char **argv; { ... }' with no return type, which
        tree-sitter reads as a call statement, declarations and a block: put it back together.
        Returns the index of the first node after the function, or 0 when this is not one."""
        call = kids[k].named_children[0] if kids[k].named_children else None
        if call is None or call.type != "call_expression":
            return 0
        fname = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if fname is None or fname.type != "identifier" or args is None or \
                any(a.type != "identifier" for a in args.named_children):
            return 0
        j = k + 1
        while j < len(kids) and kids[j].type == "declaration":
            j += 1
        if j >= len(kids) or kids[j].type != "compound_statement":
            return 0
        self.kr_headers.add(kids[k].start_byte)  # its missing ';' is not an error
        types = {v.name: v for d in kids[k + 1:j] for v in self.decl_vars(d)}
        params = [types.get(_text(a)) or ir.VarDecl(_text(a), _loc(a), "int") for a in args.named_children]
        self._define(_text(fname), _loc(call), params, kids[j], None, False)
        return j + 1

    def _define(self, name: str, loc: Loc, params: list[ir.VarDecl], body: ts.Node,
                class_name: str | None, returns_ref: bool, static: bool = False,
                macro_params: tuple = (), captured: tuple | None = None, init_captures=()) -> None:
        self._function = name.rsplit("::", 1)[-1]
        self.function_names.add(self._function)
        # asked once per function, not per loop: node.parent walks down from the root
        p = body.parent
        if captured is not None:
            p = p.parent  # a lambda's own body: in a macro only if the lambda is
        while p is not None and p.type not in ("preproc_def", "preproc_function_def", "lambda_expression"):
            p = p.parent
        self._in_macro = p is not None
        outer, outer_refs, outer_decls, outer_params = captured or (frozenset(), frozenset(), {}, frozenset())
        pnames = {p.name for p in params}
        # what a lambda may capture: the enclosing function's variables its own parameters do not hide
        captures = tuple((v, v.name in outer_params) for n, v in outer_decls.items() if n not in pnames)
        saved_refs, self._refs = self._refs, set(outer_refs - pnames)
        saved_labels, self._labels = self._labels, []
        saved_continues, self._continues = self._continues, continues(body)
        saved_unnameable, self._unnameable = self._unnameable, set()
        saved_locals, self._locals = self._locals, set(outer) | pnames
        saved_decls, self._decls = self._decls, {**{v.name: v for v, _ in captures}, **{p.name: p for p in params}}
        saved_params, self._params = self._params, frozenset(outer_params - pnames) | pnames
        # '[p = b + 1]': a local of the lambda initialized where it is made, so 'p' has its origin
        prelude = tuple(self._init_capture(c) for c in init_captures)
        stmts = prelude + self.block(body)
        labels, unnameable = tuple(self._labels), tuple(sorted(self._unnameable))
        self._refs, self._labels, self._unnameable = saved_refs, saved_labels, saved_unnameable
        self._continues = saved_continues
        self._locals, self._decls, self._params = saved_locals, saved_decls, saved_params
        fn = ir.Function(name=name, loc=loc, params=tuple(params), body=stmts,
                         returns_reference=returns_ref, class_name=class_name, static=static,
                         macro_params=macro_params, labels=labels, constexpr=self._constexpr,
                         unnameable=unnameable, captures=captures, returns=self._returns)
        self._constexpr = False
        self._returns = ""
        self.functions.append(fn)
        # C++ accessor returning a reference to an element: Real_t& x(Index_t i) { return m_x[i]; }
        plain, conflict = True, False
        if returns_ref and len(params) == 1 and len(stmts) == 1 and isinstance(stmts[0], ir.Jump):
            v = stmts[0].value
            if (isinstance(v, ir.Index) and isinstance(v.base, ir.Name)
                    and isinstance(v.index, ir.Name) and v.index.id == params[0].name):
                conflict = self.accessors.setdefault(self._function, v.base.id) != v.base.id
                plain = False
        # any accessor, 'T &operator()(size_t i, size_t j) const { return data[i + j * sizeX]; }':
        # a call is an access of the member array at the substituted subscript
        if returns_ref and len(stmts) == 1 and type(stmts[0]) is ir.Jump and stmts[0].kind == "return":
            v = stmts[0].value
            pnames = tuple(p.name for p in params)
            cls = class_name or (name.rsplit("::", 1)[0].rsplit("::", 1)[-1] if "::" in name else None)
            if type(v) is ir.Index and type(v.base) is ir.Name and v.base.id not in pnames and cls:
                key = (cls, name.rsplit("::", 1)[-1])
                self.accessor_exprs[key] = (v.base.id, pnames, v.index)
                plain = False
        if (plain or conflict) and (class_name or "::" in name):
            # another class's (or overload's) 'x' that does something else: a call 'o.x(...)'
            # whose class is not known is not taken for an element
            self.non_accessors.add(self._function)

    # ------------------------------------------------------------ statements
    def block(self, node: ts.Node) -> tuple[ir.Stmt, ...]:
        if node.type in ("compound_statement", "declaration_list", "preproc_ifdef", "preproc_if",
                         "preproc_else", "preproc_elif", "case_statement", "translation_unit"):
            return self.stmts(node.named_children)
        s = self.stmt(node)
        return (s,) if s is not None else ()

    def stmts(self, children, pending: tuple[ts.Node, str] | None = None) -> tuple[ir.Stmt, ...]:
        """``pending``: a directive right above the #if these are a branch of (--all-configs): each
        branch's first statement is the one it applies to in that branch's build."""
        out: list[ir.Stmt] = []
        branch = pending
        after = -1  # the last row read: a pragma of a macro line between it and a statement is that statement's
        for c in children:
            t = c.type
            if self.macro_pragmas:  # (1-based lines, as the table's; after a '#pragma', as a second one)
                if after < 0:
                    after = c.parent.start_point[0] + 1 if c.parent is not None else 0
                # (from the statement's own line: '_Pragma("omp for") for (...)' leaves it there)
                line = next((n for n in range(c.start_point[0] + 1, after, -1) if n in self.macro_pragmas), None)
                if line is not None:
                    a = self.macro_pragmas[line]
                    d0 = split_directive(a)[0]
                    if d0 in ("barrier", "taskwait", "flush"):  # a standalone directive is a statement
                        out.append(ir.Sync(Loc(line, 1), (), d0))
                    else:
                        pending = (_At((line - 1, 0)), a)
            after = c.end_point[0] + (c.end_point[1] > 0)  # (a directive's node ends at the next line's start)
            if t == "comment":
                continue
            if t == "preproc_call":
                directive = c.child_by_field_name("directive")
                arg = c.child_by_field_name("argument")
                if directive is not None and _text(directive) == "#pragma" and arg is not None:
                    a = re.sub(r"\\[ \t]*\r?\n", " ", _text(arg)).strip()  # clauses continued over lines
                    if re.match(r"omp\b", a):
                        d0 = split_directive(a)[0]
                        if d0 in ("barrier", "taskwait", "flush"):
                            out.append(ir.Sync(_loc(c), (), d0))  # a standalone directive is a statement
                            pending = None
                            continue
                        pending = (c, a)
                        continue
                self._undef(c)
                pending = None
                continue
            if t in ("preproc_ifdef", "preproc_if", "preproc_else", "preproc_elif", "preproc_elifdef"):
                self._pp_depth += 1
                # (an #else or #elif is a child of the #if: it starts with the directive above that)
                cond = c.child_by_field_name("condition")  # ('#if VARIANT == 2': no statement of the branch)
                kids = [k for k in c.named_children if cond is None or k.start_byte != cond.start_byte or k.type != cond.type]
                out.extend(self.stmts(kids, branch if t in ("preproc_else", "preproc_elif", "preproc_elifdef") else pending))
                self._pp_depth -= 1
                if pending is None or t not in ("preproc_ifdef", "preproc_if") or _every_branch_has_a_statement(c):
                    pending = None  # (else, in a build where a branch is empty, it is the next statement's)
                continue
            if t in ("preproc_def", "preproc_function_def"):
                self._macro_def(c)  # (a macro defined inside a function is the file's from there on)
                continue
            if t.startswith("preproc_") or t in ("identifier", "preproc_arg"):
                continue
            s = self.stmt(c, pending)
            pending = None
            if s is not None:
                out.append(s)
        if self.macro_pragmas and after >= 0 and c.parent is not None:  # a barrier closing the block
            for line in range(after + 1, c.parent.end_point[0] + 1):
                a = self.macro_pragmas.get(line)
                if a is not None and split_directive(a)[0] in ("barrier", "taskwait", "flush"):
                    out.append(ir.Sync(Loc(line, 1), (), split_directive(a)[0]))
        return tuple(out)

    def stmt(self, node: ts.Node, pragma: tuple[ts.Node, str] | None = None) -> ir.Stmt | None:
        t = node.type
        loc = _loc(node)
        if t == "for_statement" or t == "for_range_loop":
            return ir.ForStmt(loc, self.loop(node, pragma))
        if pragma is not None:
            directive, _ = split_directive(pragma[1])
            first = directive.split()[0] if directive else ""
            if first in ("critical", "atomic", "ordered", "single", "master", "masked"):
                inner = self.stmt(node)
                named = re.match(r"\s*critical\s*\(\s*(\w+)\s*\)", pragma[1].strip().removeprefix("omp")) \
                    if first == "critical" else None
                return ir.Sync(loc, (inner,) if inner is not None else (), first, named.group(1) if named else "")
            words = directive.split()
            if "parallel" in words or directive.startswith("target") or "sections" in words or words == ["section"]:
                _, clauses = split_directive(pragma[1])
                self._in_region += 1
                try:
                    inner = self.stmt(node)
                finally:
                    self._in_region -= 1
                return ir.Region(loc, (inner,) if inner is not None else (), directive, clauses)
        if t == "compound_statement":
            return ir.Block(loc, self.block(node))
        if t == "expression_statement":
            e = node.named_children[0] if node.named_children else None
            if e is not None and e.type == "gnu_asm_expression":
                return ir.OpaqueStmt(loc, _text(node)[:80], "asm")  # its operands may be written
            if e is not None and e.type == "parenthesized_expression" and e.named_child_count == 1 \
                    and e.named_children[0].type == "compound_statement":
                # a GNU statement expression used as a statement, '({ int t; ... });': a block
                return ir.Block(loc, self.block(e.named_children[0]))
            if e is not None and e.type in ("assignment_expression", "subscript_expression") \
                    and b"(*" in self.src[e.start_byte:e.end_byte]:  # (cheap test first: most are plain stores)
                v = self._typedef_pointer_decl(e)
                if v is not None:
                    return ir.Decl(loc, (v,))
            return ir.ExprStmt(loc, self.expr(e)) if e is not None else None
        if t == "declaration":
            vs = self._local_refs(self.decl_vars(node, local=True))
            self._locals.update(v.name for v in vs)
            self._decls.update((v.name, v) for v in vs)
            for i in range(node.child_count if b"(*" in self.src[node.start_byte:node.end_byte] else 0):
                # function pointers: 'double (*sq)(double) = noisy;'
                if node.field_name_for_child(i) == "declarator":
                    for ptr in _descendants(node.children[i], "pointer_declarator"):
                        self._locals.update(_text(x) for x in _descendants(ptr, "identifier")
                                            if x.parent is not None and x.parent.type.endswith("_declarator"))
            sb = list(_descendants(node, "structured_binding_declarator")) if b"[" in self.src[node.start_byte:node.end_byte] else []
            if sb:  # 'auto [lo, hi] = p;': bindings, which OpenMP clauses may not name (no '[', no walk)
                names_ = [_text(i) for b in sb for i in b.named_children if i.type == "identifier"]
                known = {v.name for v in vs}
                vs += [ir.VarDecl(n, loc, "auto") for n in names_ if n not in known]
                self._unnameable.update(names_)
            if self._pp_depth:
                self._unnameable.update(v.name for v in vs)  # may not exist in the build
            return ir.Decl(loc, tuple(vs))
        if t == "if_statement":
            cond = node.child_by_field_name("condition")
            cons = node.child_by_field_name("consequence")
            alt = node.child_by_field_name("alternative")
            if alt is not None and alt.type == "else_clause":
                # ('else // comment' puts the comment first: the branch is the statement after it)
                alt = next((c for c in alt.named_children if c.type != "comment"), None)
            c = self.expr(cond) if cond is not None else ir.Opaque(loc, "")
            then = self.block(cons) if cons is not None else ()
            if isinstance(c, ir.Binary) and c.op == "==" and "omp_get_thread_num" in c.text:
                then = (ir.Sync(loc, then, "thread-guard"),)  # only one thread runs it
            other = self.block(alt) if alt is not None else ()
            # a branch the configuration rules out ('if (DEBUG)' with DEBUG 0) never runs: its loops
            # are still reported (lowered above), but it is no code of the statement's
            known = self._decided(c, cons, alt)
            if known is not None:
                then, other = (then, ()) if known else ((), other)
            return ir.If(loc, c, then, other)
        if t in ("while_statement", "do_statement"):
            # recorded as a loop of its own (every loop gets a verdict, and loops nested in
            # it are not outermost) but kept as a While statement for the enclosing analyses
            wl = self.loop(node, None)
            return ir.While(loc, wl.cond if wl.cond is not None else ir.Opaque(loc, ""), wl.body,
                            t == "do_statement")
        if t == "switch_statement":
            cond = node.child_by_field_name("condition")
            body = node.child_by_field_name("body")
            stmts: list[ir.Stmt] = []
            if body is not None:
                for c in body.named_children:
                    if c.type == "case_statement":
                        # one block per case: control may enter at any of them
                        p = c.start_point
                        stmts.append(ir.Block(Loc(p[0] + 1, p[1] + 1), self.stmts(
                            [x for x in c.named_children if x.type.endswith("statement") or x.type == "declaration"
                             or x.type.startswith("preproc")])))
                    elif c.type == "comment":
                        continue
                    else:
                        s = self.stmt(c)
                        if s is not None:
                            stmts.append(s)
            return ir.Switch(loc, self.expr(cond) if cond is not None else ir.Opaque(loc, ""), tuple(stmts))
        if t in ("break_statement", "continue_statement", "goto_statement"):
            return ir.Jump(loc, "continue" if node.start_byte in self._continues[0] else t.split("_")[0])
        if t in ("return_statement", "throw_statement"):
            v = next((c for c in node.named_children if c.type != "comment"), None)
            return ir.Jump(loc, t.split("_")[0], self.expr(v) if v is not None else None)
        if t == "labeled_statement":
            if node.start_byte not in self._continues[1]:  # (the end of a loop's body: no way in)
                self._labels.append(loc)
            inner = self.stmts([c for c in node.named_children if c.type not in ("statement_identifier",)])
            if len(inner) == 1 and type(inner[0]) is ir.Decl:
                return inner[0]  # 'lab: int d = 1;' declares d in the enclosing block, not in a block of its own
            return ir.Block(loc, inner)
        if t == "attributed_statement":
            return ir.Block(loc, self.stmts([c for c in node.named_children if c.type != "attribute_declaration"]))
        if t == "try_statement":
            parts: list[ir.Stmt] = []
            for c in node.named_children:
                if c.type == "compound_statement":
                    parts.append(ir.Block(_loc(c), self.block(c)))
                elif c.type == "catch_clause":
                    b = c.child_by_field_name("body")
                    if b is not None:
                        parts.append(ir.Block(_loc(b), self.block(b)))
            return ir.Block(loc, tuple(parts))
        if t in ("ERROR",):
            return ir.OpaqueStmt(loc, _text(node)[:80], "syntax-error")
        if t in ("type_definition", "struct_specifier", "enum_specifier", "class_specifier",
                 "union_specifier", "alias_declaration", "using_declaration", "static_assert_declaration",
                 "namespace_alias_definition", "function_definition", "template_declaration"):
            ty = node if t == "enum_specifier" else node.child_by_field_name("type")
            if ty is not None and ty.type == "enum_specifier":
                self._enum(ty)  # (a block's enum hides the file's of the same name: both are seen, and neither counts)
            return None
        if t in ("gnu_asm_expression", "asm_statement"):
            return ir.OpaqueStmt(loc, _text(node)[:80], "asm")
        return ir.OpaqueStmt(loc, _text(node)[:80], t)

    # ------------------------------------------------------------ loops
    def loop(self, node: ts.Node, pragma: tuple[ts.Node, str] | None) -> ir.Loop:
        loop_id = len(self.loops)
        self.loops.append(None)  # type: ignore[arg-type]  # reserve preorder slot
        parent = self._loop_stack[-1] if self._loop_stack else None
        if parent is not None:
            self._kids.setdefault(parent, []).append(loop_id)
        self._loop_stack.append(loop_id)
        try:
            range_for = node.type == "for_range_loop"
            kind = _LOOP_KINDS.get(node.type, "for")
            body_node = node.child_by_field_name("body")
            init: tuple[ir.Stmt, ...] = ()
            cond = update = None
            if kind in ("while", "do"):
                c = node.child_by_field_name("condition")
                cond = self.expr(c) if c is not None else None
            elif not range_for:
                init_node = node.child_by_field_name("initializer")
                if init_node is not None:
                    if init_node.type == "declaration":
                        init = (ir.Decl(_loc(init_node), tuple(self.decl_vars(init_node))),)
                        self._decls.update((v.name, v) for v in init[0].vars)  # (for a lambda in the body)
                    else:
                        init = (ir.ExprStmt(_loc(init_node), self.expr(init_node)),)
                c = node.child_by_field_name("condition")
                cond = self.expr(c) if c is not None else None
                u = node.child_by_field_name("update")
                update = self.expr(u) if u is not None else None
            else:
                rf = range_for_form(self, node)
                if isinstance(rf, str):
                    fallback = range_for_fallback(self, node)
                else:
                    init, cond, update = rf.init, rf.cond, rf.update
            fallback = fallback if range_for and isinstance(rf, str) else None
            if range_for and not isinstance(rf, str):
                body = lower_body(self, rf, body_node)
            elif range_for and fallback is not None:
                body = lower_body(self, fallback, body_node)
            else:
                body = self.block(body_node) if body_node is not None else ()
            if kind in ("while", "do"):
                canonical, why = None, f"a '{kind}' loop (its trip count is not known on entry)"
            elif range_for:
                canonical, why = (None, rf) if isinstance(rf, str) else (rf.canonical, None)
            else:
                canonical, why = _canonical(init, cond, update)
            # header text: 'for (...)' up to the body
            hdr_end = body_node.start_byte if body_node is not None else node.end_byte
            header = self.src[node.start_byte:hdr_end].decode("utf-8", "replace").strip()
            line_start = self.src.rfind(b"\n", 0, node.start_byte) + 1
            prefix = self.src[line_start:node.start_byte]
            first = prefix.strip() == b""
            indent = prefix.decode("utf-8", "replace") if first else _INDENT.match(prefix).group(0).decode()
            in_macro = self._in_macro  # (lambda bodies are not lowered: no loop is reached inside one)
            omp = None
            if pragma is not None:
                directive, clauses = split_directive(pragma[1])
                omp = ir.OmpPragma(pragma[1], pragma[0].start_point[0] + 1, directive, clauses)
            loop = ir.Loop(
                id=loop_id, loc=_loc(node), function=self._function, depth=len(self._loop_stack) - 1,
                header_text=_WS.sub(" ", header), canonical=canonical, noncanonical=why,
                init=init, cond=cond, update=update, body=body, pragma=omp,
                start_byte=node.start_byte, end=Loc(node.end_point[0] + 1, node.end_point[1]), line_start_byte=line_start, indent=indent,
                first_on_line=first, in_macro=in_macro, has_error=node.has_error,
                range_for=range_for, parent=parent, children=self._kids.get(loop_id, []), kind=kind,
                braced=body_node is None or body_node.type == "compound_statement",
            )
            self.loops[loop_id] = loop
            if self._in_region:
                self.region_loops.add(loop_id)
            return loop
        finally:
            self._loop_stack.pop()


_INDENT = re.compile(rb"[ \t]*")


# ---------------------------------------------------------------- entry point
def parse_source(source: bytes, path: str = "<input>", language: str | None = None,
                 defines: frozenset[str] | dict[str, str] = frozenset(), all_configs: bool = False,
                 user_defines: dict[str, str] | None = None) -> ir.TranslationUnit:
    """Lower one file. By default the active configuration is analyzed (frontend/conditional.py:
    ``defines`` maps the macros known before the file to their values); ``all_configs`` keeps every
    branch of every #if. ``user_defines`` (-D) and the file's own macros decide `if` conditions
    (constcond.py); a header's macros do not, as the header is read without its includer's
    configuration."""
    lang = language or language_for(path) or "c"
    given, source = source, as_lf(source)  # (tree-sitter counts LF only: CR-only files would be one line)
    text, config = source, None
    if not all_configs and b"#" in source:
        from .conditional import active_configuration
        values = defines if isinstance(defines, dict) else {d: "1" for d in defines}
        config = active_configuration(source, values, lang)
        text = config.source
    known = defines if isinstance(defines, dict) else None
    text, macro_pragmas = pragma_lines(text, known)
    text = readable(text, lang, known)
    tree = _parser(lang).parse(text)
    if tree.root_node.has_error and b"#if" in text:
        # unbalanced braces across #ifdef branches: parse the active branches only
        from .preprocess import mask_inactive
        masked = mask_inactive(text, set(defines))
        if masked != text:
            t2 = _parser(lang).parse(masked)
            if len(_collect_errors(t2.root_node)) < len(_collect_errors(tree.root_node)):
                tree, text = t2, masked
    low = _Lowerer(text, lang, {} if all_configs else dict(user_defines or {}))
    low.trusted = trusted_macros(source)  # (the file as written, not the active branches only)
    low.macro_pragmas = macro_pragmas
    low.open_macros = open_macros(text, known)
    low.top(tree.root_node)
    low.lambdas("")  # those of global initializers
    if tree.root_node.has_error:
        for node in _recover_functions(text, tree, lang):
            low.function(node, None)
    # statements at file level inside error-recovery nodes may hide functions
    loops = low.loops
    if low.region_loops:
        loops = [_mark_region(l) if l.id in low.region_loops else l for l in loops]
    tu = ir.TranslationUnit(path=path, language=lang, source=source, original=None if given is source or given == source else given,
                            functions=low.functions,
                            globals=low.globals, loops=loops,
                            errors=sorted(_collect_errors(tree.root_node, recovered=low.kr_headers) + low.deep_errors,
                                          key=lambda e: (e.line, e.column)),
                            fields=low.fields, enums=low.enums, record_members=low.record_members, macro_redefined=low.macro_redefined, accessors=low.accessors, non_accessors=low.non_accessors, accessor_exprs=low.accessor_exprs, macros=low.macros,
                            records=low.records, union_fields=low.union_fields, arith_typedefs=low.arith_typedefs,
                            fmacros=low.fmacros, fmacro_params=low.fmacro_params,
                            fmacro_redefined=low.fmacro_redefined, fmacro_defs=low.fmacro_defs)
    if config is not None:
        tu.inactive_loops, tu.activating = config.inactive_loops, config.activating
        tu.inactive_lines = config.inactive_lines
    return tu


_NO_STATEMENT = {"comment", "identifier", "preproc_def", "preproc_function_def", "preproc_call",
                 "preproc_else", "preproc_elif", "preproc_elifdef", "preproc_include"}


def _every_branch_has_a_statement(node: ts.Node) -> bool:
    """Does each branch of this '#if' chain, '#else' included, hold a statement of its own?"""
    while node is not None:
        cond = node.child_by_field_name("condition")
        if not any(k.type not in _NO_STATEMENT and (cond is None or k.start_byte != cond.start_byte)
                   for k in node.named_children):
            return False
        alt = node.child_by_field_name("alternative")
        if alt is None:
            return node.type == "preproc_else"
        node = alt
    return False


class _At:
    """Where a pragma written through a macro stands, in place of its directive's node."""
    __slots__ = ("start_point",)

    def __init__(self, point: tuple[int, int]):
        self.start_point = point


def _mark_region(loop: ir.Loop) -> ir.Loop:
    object.__setattr__(loop, "in_region", True)
    return loop
