"""Expression lowering of the tree-sitter -> IR lowerer (``parse._Lowerer``): one handler per node type.

``ExpressionsMixin`` reads the lowerer's state (``src``, ``_ascii``, ``_locs``, ``_fields``, ``_refs``,
``_locals``, ``arith_typedefs``, ``type_params``, ``fmacros``); ``_Lowerer`` inherits it.
"""
from __future__ import annotations

import re

import tree_sitter as ts

from . import ir
from .ir import Loc
from .nodes import _loc, _number, _text


# scalar type names a functional cast may use (besides the keywords tree-sitter calls primitive_type)
_STD_SCALARS = frozenset({"unsigned", "signed", "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t",
                          "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
                          "intmax_t", "uintmax_t"})
_WS = re.compile(r"\s+")


class ExpressionsMixin:
    """The expression half of ``parse._Lowerer``."""

    def text_of(self, node: ts.Node, limit: int = 400) -> str:
        a, b = node.start_byte, node.end_byte
        if self._ascii is not None:
            return self._ascii[a:min(b, a + limit)]
        return self.src[a:min(b, a + limit)].decode("utf-8", "replace")

    def expr(self, node: ts.Node) -> ir.Expr:
        t = node.type
        a, b = node.start_byte, node.end_byte
        loc = self._locs.get(a)
        if loc is None:
            p = node.start_point
            loc = self._locs[a] = Loc(p[0] + 1, p[1] + 1)
        if b - a > 400:
            b = a + 400
        text = self._ascii[a:b] if self._ascii is not None else self.src[a:b].decode("utf-8", "replace")
        if t == "identifier" or t == "field_identifier":
            # (a range-based for's element variable may have an id of its own: frontend/rangefor.py)
            nid = self._rename.get(text, text) if self._rename and t == "identifier" else text
            if t == "identifier" and text in self._refs:
                return ir.Unary(loc, text, "*", ir.Name(loc, text, nid))
            return ir.Name(loc, text, nid)
        h = _EXPR_HANDLERS.get(t)
        if h is None:
            return self._opaque(node)
        return h(self, node, t, loc, text)

    def _token(self, node: ts.Node) -> str:
        """The text of a small node such as an operator (same as ``_text``)."""
        if self._ascii is not None:
            return self._ascii[node.start_byte:node.end_byte]
        return _text(node)

    # one handler per node type, called by ``expr`` with the node's location and text
    def _e_number(self, node, t, loc, text):
        return ir.Num(loc, text, _number(text))

    def _e_pass(self, node, t, loc, text):
        if node.named_child_count == 1:  # the usual '(e)': no list of children to build
            c = node.named_child(0)
            if c.type != "comment":
                return self.expr(c)
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1:
            return self.expr(inner[0])
        return ir.Opaque(loc, text, tuple(self.expr(c) for c in inner))

    def _e_name(self, node, t, loc, text):
        return ir.Name(loc, text, _WS.sub("", text))

    def _e_template_function(self, node, t, loc, text):
        n = node.child_by_field_id(self._fields.name)
        return ir.Name(loc, text, _text(n) if n is not None else text)

    def _e_bool(self, node, t, loc, text):
        return ir.Num(loc, text, 1 if t == "true" else 0)

    def _e_literal(self, node, t, loc, text):
        return ir.Num(loc, text, None)

    def _e_subscript(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        base = f(F.argument)
        idx = f(F.index)
        if idx is None:
            lst = f(F.indices)
            if lst is not None:
                items = [c for c in lst.named_children if c.type != "comment"]
                idx = items[0] if len(items) == 1 else None
        if base is None or idx is None:
            return self._opaque(node)
        return ir.Index(loc, text, self.expr(base), self.expr(idx))

    def _e_field(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        base = f(F.argument)
        fld = f(F.field)
        op = f(F.operator)
        if base is None or fld is None:
            return self._opaque(node)
        b = self.expr(base)
        arrow = op is not None and op.type == "->"
        if not arrow and type(b) is ir.Unary and b.op == "*" and type(b.operand) is ir.Name and b.text == b.operand.text:
            return ir.Member(loc, text, b.operand, _text(fld), True)  # 'r.x' of a reference r: 'r->x'
        return ir.Member(loc, text, b, _text(fld), arrow)

    def _e_pointer(self, node, t, loc, text):
        return self._unary(node, loc, text, "*")

    def _e_unary(self, node, t, loc, text):
        return self._unary(node, loc, text, "?")

    def _unary(self, node, loc, text, default_op: str):
        f, F = node.child_by_field_id, self._fields
        op = f(F.operator)
        arg = f(F.argument)
        if arg is None:
            return self._opaque(node)
        operand = self.expr(arg)
        if self.open_macros and _is_open(operand, self.open_macros):
            return ir.Opaque(loc, text, (operand,))  # ('-OFF' is '-1+1')
        return ir.Unary(loc, text, self._token(op) if op is not None else default_op, operand)

    def _e_binary(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        l, r, op = f(F.left), f(F.right), f(F.operator)
        if l is None or r is None or op is None:
            return self._opaque(node)
        src = self._ascii  # (_token inlined: operators are the most common tokens)
        left, right = self.expr(l), self.expr(r)
        if self.open_macros and (_is_open(left, self.open_macros) or _is_open(right, self.open_macros)):
            # 'i * OFF' with '#define OFF 1+1' is 'i*1+1': no product; nothing is known of its shape
            return ir.Opaque(loc, text, (left, right))
        return ir.Binary(loc, text, src[op.start_byte:op.end_byte] if src is not None else _text(op),
                         left, right)

    def _e_assignment(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        l, r, op = f(F.left), f(F.right), f(F.operator)
        if l is None or r is None or op is None:
            return self._opaque(node)
        src = self._ascii  # (_token inlined)
        return ir.Assign(loc, text, src[op.start_byte:op.end_byte] if src is not None else _text(op),
                         self.expr(l), self.expr(r))

    def _e_update(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        arg, op = f(F.argument), f(F.operator)
        if arg is None or op is None:
            return self._opaque(node)
        return ir.IncDec(loc, text, self._token(op), self.expr(arg))

    def _e_call(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        fn, args = f(F.function), f(F.arguments)
        if fn is None:
            return self._opaque(node)
        a = tuple(self.expr(c) for c in args.named_children if c.type != "comment") if args is not None else ()
        if len(a) <= 1 and self._is_type(fn):
            # a functional cast, 'float(2)', 'Real_t(0.5)', 'T(0)': a conversion, not a call
            ty = self.text_of(fn)
            return ir.Cast(loc, text, ty, a[0]) if a else ir.Num(loc, text, 0)
        callee = self.expr(fn)
        if type(callee) is ir.Name and callee.id in self._locals:
            # a function pointer, lambda or functor of the function ('void (*touch)(double *) =
            # evil; touch(p)'): not the function of that name, whose summary would be trusted
            callee = ir.Unary(callee.loc, "*" + callee.text, "*", callee)
        return ir.Call(loc, text, callee, a)

    def _is_type(self, fn: ts.Node) -> bool:
        if fn.type in ("primitive_type", "sized_type_specifier"):
            return True
        if fn.type == "qualified_identifier":
            name = fn.child_by_field_name("name")
            return name is not None and _text(name) in _STD_SCALARS and _text(fn).startswith("std::")
        if fn.type != "identifier":
            return False
        name = self.text_of(fn)
        return (name in _STD_SCALARS or name in self.arith_typedefs or name in self.type_params) \
            and name not in self._locals and name not in self.fmacros and name not in self.function_names

    def _e_conditional(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        c, a, b = f(F.condition), f(F.consequence), f(F.alternative)
        if c is None or a is None or b is None:
            return self._opaque(node)
        return ir.Cond(loc, text, self.expr(c), self.expr(a), self.expr(b))

    def _e_cast(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        ty, v = f(F.type), f(F.value)
        if v is None:
            return self._opaque(node)
        return ir.Cast(loc, text, _text(ty) if ty is not None else "", self.expr(v))

    def _e_comma(self, node, t, loc, text):
        f, F = node.child_by_field_id, self._fields
        l, r = f(F.left), f(F.right)
        items = []
        for c in (l, r):
            if c is None:
                continue
            e = self.expr(c)
            items.extend(e.exprs if isinstance(e, ir.Comma) else (e,))
        return ir.Comma(loc, text, tuple(items))

    def _e_new_delete(self, node, t, loc, text):
        return ir.Call(loc, text, ir.Name(loc, t[:-11], t[:-11] if t.startswith("new") else "delete"),
                       tuple(self.expr(c) for c in node.named_children if c.type.endswith("expression") or c.type == "identifier"))

    def _e_lambda(self, node, t, loc, text):
        # its body is lowered as a function of its own once the enclosing one is done
        # (frontend/parse.py, _Lowerer.lambdas): its loops are the program's loops too
        # (with the enclosing names in scope: a captured lambda called there is not a global function,
        # a captured reference still an alias)
        self._lambdas.setdefault(node.start_byte, (node, frozenset(self._locals), frozenset(self._refs),
                                                   dict(self._decls), self._params))
        return ir.Opaque(loc, "<lambda>", ())

    def _opaque(self, node: ts.Node) -> ir.Opaque:
        kids = tuple(self.expr(c) for c in node.named_children
                     if c.type not in ("comment", "type_descriptor", "primitive_type", "argument_list")
                     and not c.type.startswith("preproc"))
        return ir.Opaque(_loc(node), _text(node)[:200], kids)


_EXPR_HANDLERS = {
    "number_literal": ExpressionsMixin._e_number,
    "parenthesized_expression": ExpressionsMixin._e_pass, "condition_clause": ExpressionsMixin._e_pass,
    "qualified_identifier": ExpressionsMixin._e_name, "this": ExpressionsMixin._e_name,
    "namespace_identifier": ExpressionsMixin._e_name, "type_identifier": ExpressionsMixin._e_name,
    "template_function": ExpressionsMixin._e_template_function,
    "true": ExpressionsMixin._e_bool, "false": ExpressionsMixin._e_bool, "null": ExpressionsMixin._e_bool, "nullptr": ExpressionsMixin._e_bool,
    **dict.fromkeys(("char_literal", "string_literal", "concatenated_string", "raw_string_literal",
                     "user_defined_literal", "sizeof_expression", "alignof_expression", "offsetof_expression"),
                    ExpressionsMixin._e_literal),
    "subscript_expression": ExpressionsMixin._e_subscript,
    "field_expression": ExpressionsMixin._e_field,
    "pointer_expression": ExpressionsMixin._e_pointer,
    "unary_expression": ExpressionsMixin._e_unary,
    "binary_expression": ExpressionsMixin._e_binary,
    "assignment_expression": ExpressionsMixin._e_assignment,
    "update_expression": ExpressionsMixin._e_update,
    "call_expression": ExpressionsMixin._e_call,
    "conditional_expression": ExpressionsMixin._e_conditional,
    "cast_expression": ExpressionsMixin._e_cast,
    "comma_expression": ExpressionsMixin._e_comma,
    "new_expression": ExpressionsMixin._e_new_delete, "delete_expression": ExpressionsMixin._e_new_delete,
    "lambda_expression": ExpressionsMixin._e_lambda,
}


def _is_open(e: ir.Expr, names: frozenset[str]) -> bool:
    """A macro whose text is no single operand ('#define OFF 1+1', readable.open_macros)."""
    return type(e) is ir.Name and e.id in names
