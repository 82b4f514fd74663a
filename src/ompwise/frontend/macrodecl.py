"""Parameters declared through function-like macros, resolved once the macros are known.

PolyBench declares every kernel's arrays as ``DATA_TYPE POLYBENCH_2D(A, N, M, n, m)``,
with ``POLYBENCH_2D(var, ...)`` defined in ``polybench.h`` as ``var[...][...]``. The
parser sees a parameter of function type there (the macro is in a header it has not
read), so it records the macro and its arguments (``ir.Function.macro_params``); once
the headers' macros are merged into the translation unit, this puts the array the
macro declares in its place among the parameters. A macro whose definition is unknown,
or is not of the form ``param[...]...``, leaves the parameter out, as before.
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import ir

_HEAD = re.compile(r"\s*(?:([A-Za-z_]\w*)|\(\s*([A-Za-z_]\w*)\s*\))\s*")  # 'var' or '(var)'
_NAME = re.compile(r"[A-Za-z_]\w*")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def declared(macro_body: str, macro_params: tuple[str, ...], args: tuple[str, ...],
             type_text: str, loc: ir.Loc) -> ir.VarDecl | None:
    """The variable that ``MACRO(args)`` declares, for ``MACRO(params)`` defined as
    ``name`` or ``name[..][..]`` where ``name`` is one of its parameters."""
    body = _COMMENT.sub(" ", macro_body.replace("\\\n", " "))
    m = _HEAD.match(body)
    head = m and (m.group(1) or m.group(2))
    if not head or head not in macro_params or len(args) != len(macro_params):
        return None
    name = args[macro_params.index(head)]
    if not _NAME.fullmatch(name):
        return None
    rest = body[m.end():]
    dims, depth, restrict = 0, 0, False
    for k, c in enumerate(rest):
        if c == "[":
            if depth == 0:
                dims += 1
                restrict = restrict or (dims == 1 and re.match(r"\s*(__)?restrict\b", rest[k + 1:]) is not None)
            depth += 1
        elif c == "]":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and not c.isspace():
            return None  # 'name[..] + 1', '*name': not a plain declarator
    if depth != 0:
        return None
    # an array parameter is a pointer to its first element (restrict when its first
    # brackets say so: 'double a[restrict n]')
    return ir.VarDecl(name=name, loc=loc, type=type_text, array=dims > 0, dims=dims, restrict=restrict)


def resolve(tu: ir.TranslationUnit, fmacros: dict[str, str], fparams: dict[str, tuple[str, ...]]) -> None:
    """Put the arrays declared through macros among the parameters of ``tu``'s functions.

    A macro that cannot be read still declares a parameter there: leaving it out would
    bind later call arguments to the wrong parameters. It becomes a plain pointer
    parameter (no claim about its shape, so it may alias the others), named after the
    argument the body subscripts ('ARRP(A, N)' with 'A[i]' in the body)."""
    for k, f in enumerate(tu.functions):
        if not f.macro_params:
            continue
        params = list(f.params)
        for pos, macro, type_text, args, loc in reversed(f.macro_params):
            body, names = fmacros.get(macro), fparams.get(macro)
            v = declared(body, names, args, type_text, loc) if body is not None and names is not None else None
            params.insert(pos, v if v is not None else _unknown_param(f, args, type_text, loc, pos))
        tu.functions[k] = replace(f, params=tuple(params), macro_params=())


def _unknown_param(f: ir.Function, args: tuple[str, ...], type_text: str, loc: ir.Loc, pos: int) -> ir.VarDecl:
    from .walk import all_exprs
    subscripted = {x.base.id for x in all_exprs(f.body) if type(x) is ir.Index and type(x.base) is ir.Name}
    name = next((a for a in args if a in subscripted), None) or f"<parameter {pos + 1}>"
    return ir.VarDecl(name=name, loc=loc, type=type_text, pointer=True, pointers=1)
