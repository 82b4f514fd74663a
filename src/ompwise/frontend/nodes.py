"""tree-sitter helpers shared by the frontend's lowering modules (parse, expressions, recovery)."""
from __future__ import annotations

import re
from functools import lru_cache

import tree_sitter as ts

from .ir import Loc


@lru_cache(maxsize=None)
def _parser(language: str) -> ts.Parser:
    if language == "cpp":
        import tree_sitter_cpp as grammar
    else:
        import tree_sitter_c as grammar
    return ts.Parser(ts.Language(grammar.language()))


def _loc(node: ts.Node) -> Loc:
    p = node.start_point
    return Loc(p[0] + 1, p[1] + 1)


class _FieldIds:
    """Grammar field ids of the fields the expression handlers read (0: not in this grammar)."""
    NAMES = ("argument", "index", "indices", "field", "operator", "left", "right", "function", "arguments",
             "condition", "consequence", "alternative", "type", "value", "name")

    def __init__(self, language: ts.Language):
        for n in self.NAMES:
            setattr(self, n, language.field_id_for_name(n) or 0)


@lru_cache(maxsize=None)
def _field_ids(language: str) -> _FieldIds:
    return _FieldIds(_parser(language).language)


def _text(node: ts.Node) -> str:
    return node.text.decode("utf-8", "replace")


_INT_RE = re.compile(r"^(0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9']+)[uUlLzZ]*$")
_OCTAL_RE = re.compile(r"^0[0-7]+$")


@lru_cache(maxsize=4096)
def _number(text: str) -> int | float | None:
    t = text.replace("'", "").strip()
    if t[:1] in "-+" and len(t) > 1:
        v = _number(t[1:])
        return -v if (v is not None and t[0] == "-") else v
    m = _INT_RE.match(t)
    if m:
        try:
            return int(m.group(1).replace("'", ""), 0) if not _OCTAL_RE.match(m.group(1)) else int(m.group(1), 8)
        except ValueError:
            return None
    try:
        return float(t.rstrip("fFlL"))
    except ValueError:
        return None
