"""Function-like macros: lowered to functions for the effect summaries, and the words
of a macro body that are not the caller's variables."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..frontend import ir


def _several_statements(body: str) -> bool:
    """A macro body with a ';' outside any parentheses or braces ('a[k] = 0; b[k] = 1'),
    not the 'do { ... } while (0)' idiom."""
    depth = 0
    for ch in body.rstrip().rstrip(";"):
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        elif ch == ";" and depth == 0:
            return True
    return False


_C_WORDS = {"if", "else", "for", "while", "do", "switch", "case", "default", "return", "break", "continue", "goto",
            "sizeof", "int", "long", "short", "char", "float", "double", "unsigned", "signed", "void", "const",
            "volatile", "static", "struct", "union", "enum", "typedef", "register", "extern", "auto", "inline"}


def _macro_functions(tu: ir.TranslationUnit) -> list[ir.Function]:
    """Function-like macros that assign, as functions for effect summaries.

    A macro works on its arguments by name, so each parameter is taken as a reference:
    'crmul(c, a, b)' assigning 'c.real' writes its first argument itself."""
    out = []
    for name, body in tu.fmacros.items():
        params = tu.fmacro_params.get(name)
        if params is None or not body or not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue  # (pure ones too: their reads through the arguments count)
        f = _macro_function(name, params, body, tu.language)
        if f is not None:
            out.append(f)
    return out


@lru_cache(maxsize=1024)
def _macro_function(name: str, params: tuple[str, ...], body: str, language: str) -> ir.Function | None:
    """One macro lowered (memoised: a header's macros come back with every file including it)."""
    from ..frontend.parse import parse_source
    text = body.replace("\\\n", " ")
    if params:
        # '(i)+ni*(j)' reads as a cast of '+ni' to type 'i' when nothing says 'i' is a variable:
        # '((i))' cannot be a cast
        text = re.sub(r"\(\s*(" + "|".join(map(re.escape, params)) + r")\s*\)", r"((\1))", text)
    code = f"void {name}({', '.join(f'int {p}' for p in params)}) {{ {text}; }}\n"
    try:
        mt = parse_source(code.encode(), f"<macro {name}>", language)
    except Exception:  # a body that is not a statement: leave the call unknown
        return None
    if mt.errors or len(mt.functions) != 1:
        return None
    f = mt.functions[0]
    return replace(f, params=tuple(replace(p, reference=True) for p in f.params))
