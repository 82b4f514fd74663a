"""'goto' to the end of a loop's body is 'continue'.

C code written before (or against) 'continue' jumps to a label on the body's last, empty statement:
``for (...) { if (skip) goto next; ...; next: ; }``. Such a jump ends the iteration and nothing
else, exactly as 'continue' does (in a 'do' loop too: both go on to the condition), so the loop
stays one the analysis can parallelize. Only when every 'goto' to the label sits in that body
outside any loop nested in it (there 'continue' would go on with the inner loop): a 'goto' from
elsewhere would enter the loop, which stays a reason not to parallelize it.
"""
from __future__ import annotations

import tree_sitter as ts

_LOOPS = frozenset({"for_statement", "for_range_loop", "while_statement", "do_statement"})


def _label(n: ts.Node) -> bytes | None:
    c = next((c for c in n.children if c.type == "statement_identifier"), None)
    return c.text if c is not None else None


def _empty(n: ts.Node) -> bool:
    """Is ``n`` (a labeled statement's statement) nothing but ';'?"""
    return n.type == "expression_statement" and n.named_child_count == 0


def continues(body: ts.Node) -> tuple[frozenset[int], frozenset[int]]:
    """(start bytes of the 'goto's that are a 'continue', start bytes of their labels) in a
    function's ``body``."""
    if b"goto" not in body.text:
        return frozenset(), frozenset()  # (most functions: no walk)
    gotos: dict[bytes, list[ts.Node]] = {}
    labels: dict[bytes, list[ts.Node]] = {}
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "goto_statement":
            gotos.setdefault(_label(n), []).append(n)
        elif n.type == "labeled_statement":
            labels.setdefault(_label(n), []).append(n)
        stack.extend(n.children)
    if any(name not in labels for name in gotos):
        return frozenset(), frozenset()  # (a label spelled by a macro: 'goto resume' may be 'goto next')
    jumps: set[int] = set()
    ends: set[int] = set()
    for name, at in labels.items():
        if name is None or len(at) != 1 or not gotos.get(name):
            continue
        lab = at[0]
        block, loop = lab.parent, lab.parent.parent if lab.parent is not None else None
        if block is None or block.type != "compound_statement" or loop is None or loop.type not in _LOOPS \
                or loop.child_by_field_name("body") != block:
            continue
        stmt = [c for c in lab.named_children if c.type not in ("statement_identifier", "comment")]
        after = [c for c in block.named_children if c.start_byte > lab.start_byte and c.type != "comment"]
        if any(not _empty(c) for c in stmt + after):
            continue  # (the label is not on the body's last, empty statement)
        if all(_inside_only(g, block) for g in gotos[name]):
            jumps.update(g.start_byte for g in gotos[name])
            ends.add(lab.start_byte)
    return frozenset(jumps), frozenset(ends)


def _inside_only(g: ts.Node, block: ts.Node) -> bool:
    """Is ``g`` in ``block`` with no loop between them?"""
    p = g.parent
    while p is not None and p != block:
        if p.type in _LOOPS:
            return False
        p = p.parent
    return p is not None
