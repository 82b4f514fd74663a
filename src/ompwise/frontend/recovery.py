"""Error recovery of the parse: syntax errors of a tree, and functions swallowed by a top-level ERROR node."""
from __future__ import annotations

import re

import tree_sitter as ts

from . import ir
from .nodes import _parser, _text


def _collect_errors(root: ts.Node, limit: int = 20, recovered: frozenset[int] | set[int] = frozenset()) -> list[ir.SourceError]:
    errors: list[ir.SourceError] = []
    if not root.has_error:
        return errors
    stack = [root]
    while stack and len(errors) < limit:
        n = stack.pop()
        if n.type == "expression_statement" and n.start_byte in recovered:
            continue
        if n.type == "ERROR" or n.is_missing:
            what = f"expected '{n.type}'" if n.is_missing else "unexpected '" + _text(n)[:30].split("\n")[0] + "'"
            errors.append(ir.SourceError(n.start_point[0] + 1, n.start_point[1] + 1, f"syntax error: {what}"))
            continue
        if n.has_error:
            stack.extend(reversed(n.children))
    errors.sort(key=lambda e: (e.line, e.column))
    return errors


_HEAD = re.compile(rb"^[A-Za-z_][^\n;{}]*\)[ \t]*(?:\n[ \t]*)?\{", re.M)


def _recover_functions(source: bytes, tree: ts.Tree, lang: str) -> list[ts.Node]:
    """Functions swallowed by a top-level ERROR node: re-parse from each column-0 function head.

    Everything outside the re-parsed segment is blanked (newlines kept), so byte
    offsets and line numbers stay those of the original file.
    """
    found: list[ts.Node] = []
    for err in tree.root_node.children:
        if err.type != "ERROR":
            continue
        heads = [m.start() for m in _HEAD.finditer(source, err.start_byte, err.end_byte)]
        heads = [h for h in heads if h > err.start_byte]  # the head that broke is the error itself
        for i, h in enumerate(heads):
            end = heads[i + 1] if i + 1 < len(heads) else err.end_byte
            masked = _blank(source[:h]) + source[h:end] + _blank(source[end:])
            t2 = _parser(lang).parse(masked)
            for c in t2.root_node.children:
                if c.type == "function_definition" and not c.has_error:
                    found.append(c)
    return found


def _blank(b: bytes) -> bytes:
    return re.sub(rb"[^\n]", b" ", b)
