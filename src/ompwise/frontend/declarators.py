"""Declarations lowered to ``ir.VarDecl``: declarators (pointers, arrays and their first
extent, references), the typedef'd pointer-to-row casts tree-sitter misreads, and local
references as the aliases they are. A mixin of ``parse._Lowerer``."""
from __future__ import annotations

from dataclasses import replace

import tree_sitter as ts

from . import ir
from .nodes import _loc, _text


class DeclaratorsMixin:
    def decl_vars(self, node: ts.Node, local: bool = False) -> list[ir.VarDecl]:
        tnode = node.child_by_field_name("type")
        type_text = _text(tnode) if tnode is not None else ""
        static = any(c.type == "storage_class_specifier" and _text(c) == "static" for c in node.children)
        const = any(c.type == "type_qualifier" and _text(c) == "const" for c in node.children)
        if any(c.type == "type_qualifier" and _text(c) == "_Atomic" for c in node.children):
            type_text = "_Atomic " + type_text  # (not a valid reduction item, and every access is atomic)
        out = []
        for i in range(node.child_count):
            if node.field_name_for_child(i) != "declarator":
                continue
            d = node.children[i]
            init = None
            if d.type == "init_declarator":
                v = d.child_by_field_name("value")
                if v is not None:
                    init = self.expr(v)
                d = d.child_by_field_name("declarator")
            pointer = array = restrict = reference = False
            dims = pointers = 0
            size0 = None
            ptr_to_array = False
            while d is not None and d.type not in ("identifier", "field_identifier"):
                if d.type == "pointer_declarator":
                    pointer = True
                    pointers += 1
                    ptr_to_array = ptr_to_array or array  # an array declarator outside the '*'

                    if any(c.type in ("type_qualifier", "ms_pointer_modifier") and "restrict" in _text(c)
                           for c in d.children):  # restrict, __restrict, __restrict__
                        restrict = True
                elif d.type == "array_declarator":
                    array = True
                    dims += 1
                    size0 = d.child_by_field_name("size")  # (the last one met: the first dimension)
                elif d.type == "reference_declarator":
                    reference = True
                elif d.type == "function_declarator" and not (local and self.language != "c"):
                    d = None
                    break
                # (in a C++ function body, 'std::vector<bool> vb(n);' is a variable built from n)
                nxt = d.child_by_field_name("declarator")
                if nxt is None:
                    nxt = next((c for c in d.named_children if c.type.endswith("declarator") or c.type in ("identifier", "field_identifier")), None)
                d = nxt
            if d is None:
                continue
            if "vector" in type_text or "array<" in type_text or "valarray" in type_text:
                array = True
            if size0 is not None and not pointer:
                self.dim0[(_text(d), _loc(d))] = size0  # a range-based for's trip count
            extent = self.expr(size0) if size0 is not None and not ptr_to_array else None
            out.append(ir.VarDecl(name=_text(d), loc=_loc(d), type=type_text, init=init, pointer=pointer,
                                  array=array, restrict=restrict, reference=reference, static=static, const=const,
                                  dims=dims, pointers=pointers, pointer_to_array=ptr_to_array, extent=extent))
        return out

    def _typedef_pointer_decl(self, e: ts.Node) -> ir.VarDecl | None:
        """'dcomplex (*x)[n] = (dcomplex (*)[n])ox;' with a typedef'd element type: the
        grammar cannot know 'dcomplex' is a type and reads a call 'dcomplex(*x)' indexed and
        assigned to. Lowered as the declaration it is (NPB FT's pointer-to-row casts)."""
        init = None
        if e.type == "assignment_expression":
            left = e.child_by_field_name("left")
            if left is None or left.type != "subscript_expression" or _text(e.child_by_field_name("operator") or e) != "=":
                return None
            init, e = e.child_by_field_name("right"), left
        elif e.type != "subscript_expression":
            return None
        dims = 0
        while e is not None and e.type == "subscript_expression":
            dims += 1
            e = e.child_by_field_name("argument")
        if e is None or e.type != "call_expression":
            return None
        fn, args = e.child_by_field_name("function"), e.child_by_field_name("arguments")
        if fn is None or fn.type != "identifier" or args is None or len(args.named_children) != 1:
            return None
        ty = _text(fn)
        cast = init.child_by_field_name("type") if init is not None and init.type == "cast_expression" else None
        cast_ty = cast.child_by_field_name("type") if cast is not None else None
        if ty not in self.records and ty not in self.arith_typedefs and \
                not (cast_ty is not None and _text(cast_ty) == ty):  # (a typedef of a header: cast to it)
            return None
        star = args.named_children[0]
        if star.type != "pointer_expression" or _text(star.child_by_field_name("operator") or star)[:1] != "*":
            return None
        name = star.child_by_field_name("argument")
        if name is None or name.type != "identifier":
            return None
        return ir.VarDecl(name=_text(name), loc=_loc(name), type=ty, init=self.expr(init) if init is not None else None,
                          pointer=True, array=dims > 0, dims=dims, pointers=1, pointer_to_array=dims > 0)

    def _local_refs(self, vs: list[ir.VarDecl]) -> list[ir.VarDecl]:
        """A local reference is an alias: 'int &r = b[k];' is lowered as 'int *r = &b[k];'
        and every later 'r' as '*r', so writes through it reach what it names (the
        analyses know pointers; a reference taken for a private copy would not be one)."""
        out = []
        for v in vs:
            if v.reference and v.init is not None and not v.array and not v.pointer:
                self._refs.add(v.name)
                init = ir.Unary(v.init.loc, "&" + v.init.text, "&", v.init)
                v = ir.VarDecl(v.name, v.loc, v.type, init, pointer=True, static=v.static, const=v.const, pointers=1)
            else:
                self._refs.discard(v.name)  # a plain variable of the same name from here on
            out.append(v)
        return out


def no_extent(vs: list[ir.VarDecl]) -> list[ir.VarDecl]:
    return [replace(v, extent=None) if v.extent is not None else v for v in vs]


def merge_field(prev: ir.VarDecl | None, v: ir.VarDecl) -> ir.VarDecl:
    """Members are known by name only: two records' 'dims' of different sizes give no size."""
    if prev is None or v.extent is None or (prev.extent is not None and prev.extent.text == v.extent.text
                                            and prev.pointer == v.pointer):
        return v
    return replace(v, extent=None)


def merge_fields(into: dict[str, ir.VarDecl], other: dict[str, ir.VarDecl]) -> None:
    """Add another unit's members; the first declaration of a name stays, without a size when
    the other unit's record declares it differently."""
    for k, v in other.items():
        prev = into.setdefault(k, v)
        if prev is not v and prev.extent is not None and merge_field(prev, v).extent is None:
            into[k] = replace(prev, extent=None)


def same_members(a: dict[str, ir.VarDecl] | None, b: dict[str, ir.VarDecl] | None) -> bool:
    """Do two definitions of a record (a header read twice, two #if branches) agree on its members?"""
    if a is None or b is None or a.keys() != b.keys():
        return False
    return all((x.type, x.pointer, x.extent.text if x.extent is not None else None)
               == (y.type, y.pointer, y.extent.text if y.extent is not None else None)
               for x, y in ((a[k], b[k]) for k in a))


def merge_records(into: dict, other: dict) -> None:
    """Add another unit's records by name; two different definitions of one name: neither."""
    for k, v in other.items():
        prev = into.setdefault(k, v)
        if prev is not v and not same_members(prev, v):
            into[k] = None


def _macro_head(node: ts.Node, decl: ts.Node) -> str | None:
    """'CTEST_SETUP(api) { ... }' (a test framework's macro that expands to a function head) reads
    as a function of type 'CTEST_SETUP' whose declarator is '(api)': its name, 'CTEST_SETUP(api)',
    or None when the definition is not of that shape. Its parameters are the macro's secret: the
    body's names it does not declare are taken as unknown globals."""
    ty = node.child_by_field_name("type")
    if decl.type != "parenthesized_declarator" or ty is None or ty.type != "type_identifier" or \
            [c.type for c in decl.named_children] != ["identifier"]:
        return None
    return f"{_text(ty)}({_text(decl.named_children[0])})"


def _macro_declarator(p: ts.Node) -> tuple[str, str, tuple[str, ...]] | None:
    """A parameter that tree-sitter reads as one of function type: PolyBench's
    'DATA_TYPE POLYBENCH_2D(A, N, M, n, m)' (a macro, resolved later) or a real
    'int cmp(const void *, const void *)'. (name, type, argument texts); None for others.
    Either way it is a parameter, and its position must be kept."""
    d = p.child_by_field_name("declarator")
    t = p.child_by_field_name("type")
    if d is None or d.type != "function_declarator":
        return None
    name, args = d.child_by_field_name("declarator"), d.child_by_field_name("parameters")
    if name is None or name.type != "identifier" or args is None:
        return None
    words = tuple(_text(a).strip() for a in args.named_children if a.type != "comment")
    return _text(name), _text(t) if t is not None else "", words


def _descendants(node: ts.Node, kind: str):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == kind:
            yield n
        else:
            stack.extend(n.children)
