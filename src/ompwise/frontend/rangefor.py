"""A range-based 'for' as the canonical loop OpenMP 5 shares out.

'for (T &x : v) body' over an array or a random-access container runs 'body' with x bound to
v[0], v[1], ... v[n-1]; it is lowered as the loop the compiler shares out:

    for (long __rf_x = 0; __rf_x < size(v); ++__rf_x) { T &x = v[__rf_x]; body }

(x by reference becomes a pointer to the element, as every local reference does, so writes
through it reach the element; by value it is a copy declared in the body, private to the
iteration). The analyses then see an ordinary canonical loop and the element it touches.

Only ranges known to be random access qualify: a C array, 'std::vector' (not '<bool>', whose
elements share words), 'std::array'. gcc 12 and clang-14 both accept '#pragma omp parallel for'
(and collapse) before such a loop, '-std=c++11' and later; both reject it over 'std::list',
'std::map' or 'std::set' (their iterators have no 'operator-': the trip count cannot be computed),
which stay NONCANONICAL with that reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter as ts

from . import ir
from .nodes import _loc, _text

_RANDOM_ACCESS = re.compile(r"^(?:const\s+)?(?:std::)?(?:vector|array)\s*<")
_VECTOR_BOOL = re.compile(r"vector\s*<\s*bool\b")
# elements that refer to other storage: two elements may name one object, so iterations that
# write through them ('for (auto p : ps) *p += 1', 'for (double &x : refs)' over reference_wrapper)
# may write the same place
_REFERRING = re.compile(r"\*|&|\breference_wrapper\b|_ptr\s*<|\bspan\s*<|\bstring_view\b|\biterator\b")
_SEQUENTIAL = re.compile(r"\b(?:list|forward_list|map|multimap|set|multiset|unordered_\w+)\s*<")
REJECTED = ("gcc 12 and clang-14 reject '#pragma omp for' on a range-based for over {what} (its "
            "iterators are not random access: the trip count cannot be computed)")


@dataclass(frozen=True)
class RangeFor:
    init: tuple[ir.Stmt, ...]
    cond: ir.Expr
    update: ir.Expr
    canonical: ir.Canonical
    element: ir.Decl  # 'T &x = v[__rf_x]', the body's first statement
    reference: str | None  # the variable bound by reference (a local reference of the body)
    name: str  # the element variable as the source names it (its id in ``element`` may differ)


def range_for(low, node: ts.Node) -> RangeFor | str:
    """The canonical form of a range-based for, or why it has none (a NONCANONICAL reason).
    ``low`` is the lowerer: its declarations in scope (``_decls``, ``globals``, ``fields``)."""
    d = node.child_by_field_name("declarator")
    r = node.child_by_field_name("right")
    ty = node.child_by_field_name("type")
    if d is None or r is None or ty is None or node.child_by_field_name("initializer") is not None:
        return "range-based for loop"
    by_ref = d.type == "reference_declarator"
    name_node = d.named_children[-1] if by_ref and d.named_children else d
    if name_node.type != "identifier":
        return "range-based for loop with a structured binding or pointer declarator"
    decl = _range_decl(low, r)
    what = f"'{_text(r)}'"
    if decl is None:
        return f"range-based for over {what}, whose declaration is not in view"
    t = decl.type
    if _SEQUENTIAL.search(t):
        return REJECTED.format(what=f"{what} ('{t}')")
    container = bool(_RANDOM_ACCESS.match(t)) and not _VECTOR_BOOL.search(t) and not decl.pointer
    c_array = decl.array and decl.dims >= 1 and not decl.pointer and not container and "<" not in t
    if not (container or c_array):
        return f"range-based for over {what} ('{t}'), which is not known to be an array, std::vector or std::array"
    if (container and _REFERRING.search(t[t.index("<"):])) or (c_array and (decl.pointers or _REFERRING.search(t))):
        return (f"range-based for over {what} ('{t}'), whose elements refer to other storage (two of them "
                "may refer to one object)")
    x = _text(name_node)
    var = f"__rf_{x}"
    loc, xloc = _loc(node), _loc(name_node)
    # the analyses know a function's variables by name: an element variable whose name the function
    # declared before ('for (auto &x : a) ...; for (auto &x : b) ...') gets an id of its own, so
    # that neither declaration is taken for the other
    xid = f"{x}__{xloc.line}_{xloc.column}" if x in low._decls or x in low._locals else x
    rng = low.expr(r)
    # the trip count, as a call of the const method 'size' (of the array's type, for a C array: the
    # analyses know it has no effect and read it as an invariant of the loop)
    text = f"{rng.text}.size()" if container else f"std::size({rng.text})"
    size = ir.Call(loc, text, ir.Member(loc, f"{rng.text}.size", rng, "size", False), ())
    dim = low.dim0.get((decl.name, decl.loc)) if c_array else None
    if dim is not None:
        # the array's declared extent ('int fields[NUM_FIELDS]'): a known trip count says when
        # the loop is too short to share out; only it depends on this bound (no subscript of
        # the body can name the hidden index), so a wrong one could not hide a dependence
        size = low.expr(dim)
    iv = ir.Name(xloc, var, var)
    element = ir.Index(xloc, f"{rng.text}[{var}]", rng, iv)
    etype = _text(ty)
    if by_ref:
        v = ir.VarDecl(xid, xloc, etype, ir.Unary(xloc, "&" + element.text, "&", element), pointer=True, pointers=1)
    else:
        v = ir.VarDecl(xid, xloc, etype, element)
    zero = ir.Num(loc, "0", 0)
    init = (ir.Decl(loc, (ir.VarDecl(var, xloc, "long", zero),)),)
    cond = ir.Binary(loc, f"{var} < {size.text}", "<", iv, size)
    update = ir.IncDec(loc, f"++{var}", "++", iv)
    names = tuple(sorted(n.id for n in _names(rng)))
    canonical = ir.Canonical(var, True, zero, zero, size, 1, names)
    return RangeFor(init, cond, update, canonical, ir.Decl(xloc, (v,)), x if by_ref else None, x)


def range_for_fallback(low, node: ts.Node) -> RangeFor | None:
    """The element variable of a range-based for that is not a canonical loop: bound to some
    element of the range the analyses cannot name ('m[0][__rf_x]', '__rf_x' declared nowhere, so
    a symbolic value), by reference an alias of it, so that an enclosing loop sees the body's
    writes through it as writes to that range (not to a variable of its own)."""
    d = node.child_by_field_name("declarator")
    r = node.child_by_field_name("right")
    ty = node.child_by_field_name("type")
    if d is None or r is None or ty is None:
        return None
    by_ref = d.type == "reference_declarator"
    name_node = d.named_children[-1] if by_ref and d.named_children else d
    if name_node.type != "identifier":
        return None
    x = _text(name_node)
    xloc = _loc(name_node)
    xid = f"{x}__{xloc.line}_{xloc.column}" if x in low._decls or x in low._locals else x
    rng = low.expr(r)
    var = f"__rf_{x}"
    element = ir.Index(xloc, f"{rng.text}[{var}]", rng, ir.Name(xloc, var, var))
    if by_ref:
        v = ir.VarDecl(xid, xloc, _text(ty), ir.Unary(xloc, "&" + element.text, "&", element), pointer=True, pointers=1)
    else:
        v = ir.VarDecl(xid, xloc, _text(ty), element)
    none = ir.Num(xloc, "0", 0)
    return RangeFor((), none, none, None, ir.Decl(xloc, (v,)), x if by_ref else None, x)


def lower_body(low, rf: RangeFor, body_node: ts.Node | None) -> tuple[ir.Stmt, ...]:
    """The loop's body, its element variable's declaration first: a reference is an alias of
    the element there, and an element variable with an id of its own is called by it."""
    v = rf.element.vars[0]
    x, xid = rf.name, v.name
    was_ref, was_id = x in low._refs, low._rename.get(x)
    (low._refs.add if rf.reference else low._refs.discard)(x)
    low._locals.add(x)
    low._decls[x] = v
    if xid != x:
        low._rename[x] = xid
        low._unnameable.add(xid)  # (a clause could not name it)
    try:
        return (rf.element,) + (low.block(body_node) if body_node is not None else ())
    finally:
        (low._refs.add if was_ref else low._refs.discard)(x)
        if was_id is None:
            low._rename.pop(x, None)
        else:
            low._rename[x] = was_id


def _range_decl(low, r: ts.Node) -> ir.VarDecl | None:
    if r.type == "identifier":
        n = _text(r)
        return low._decls.get(n) or low.globals.get(n) or low.fields.get(n)
    if r.type == "field_expression":
        f = r.child_by_field_name("field")
        return low.fields.get(_text(f)) if f is not None else None
    return None


def _names(e: ir.Expr):
    stack = [e]
    while stack:
        x = stack.pop()
        if type(x) is ir.Name:
            yield x
        elif type(x) is ir.Member:
            stack.append(x.base)
        elif type(x) is ir.Unary:
            stack.append(x.operand)
