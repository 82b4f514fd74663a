"""Lambdas as the functions they are: a loop in a lambda's body is reported like any other, and
an init-capture is a local of the lambda with its origin. A mixin of ``parse._Lowerer``."""
from __future__ import annotations

import tree_sitter as ts

from . import ir
from .nodes import _loc, _text
from .walk import base_name


class LambdasMixin:
    def lambdas(self, enclosing: str) -> None:
        """Lower the lambdas met so far (and those nested in them) as functions named
        'f::<lambda@line:col>', so that a loop in a lambda's body is reported like any other.
        What a body captures is, to it, a name declared elsewhere (as a global is): shared, and
        nameable in a clause (gcc 12 and clang-14 both accept 'private(t)' of a captured 't')."""
        done: set[int] = set()
        while self._lambdas:
            start, (node, outer, refs, decls, pnames) = self._lambdas.popitem()
            if start in done:
                continue
            done.add(start)
            body = node.child_by_field_name("body")
            if body is None or body.type != "compound_statement":
                continue
            params: list[ir.VarDecl] = []
            decl = node.child_by_field_name("declarator")
            plist = decl.child_by_field_name("parameters") if decl is not None else None
            for p in plist.named_children if plist is not None else ():
                if p.type in ("parameter_declaration", "optional_parameter_declaration"):
                    params.extend(self.decl_vars(p))
            loc = _loc(node)
            caps = node.child_by_field_name("captures")
            inits = [c for c in (caps.named_children if caps is not None else ())
                     if c.type == "lambda_capture_initializer" and len(c.named_children) >= 2]
            try:
                self._define(f"{enclosing}::<lambda@{loc.line}:{loc.column}>", loc, params, body, None, False,
                             captured=(outer, refs, decls, pnames), init_captures=inits)
            except RecursionError:
                continue

    def _init_capture(self, node: ts.Node) -> ir.Decl:
        name, value = node.named_children[0], node.named_children[-1]
        init = self.expr(value)
        root = base_name(init)
        d = (self._decls.get(root) or self.globals.get(root)) if root is not None else None
        # a pointer when it copies a pointer or an array's address ('b + 1', '&x', 'v' of 'double *v')
        pointer = type(init) is ir.Unary and init.op == "&" or \
            d is not None and (d.pointer or d.array) and type(init) is not ir.Index
        v = ir.VarDecl(_text(name), _loc(name), "auto", init, pointer=pointer, pointers=int(pointer))
        self._locals.add(v.name)
        self._decls[v.name] = v
        return ir.Decl(_loc(node), (v,))
