"""Pragmas written as operators or through macros, alone on their line:

    _Pragma("omp parallel for")            // C99's operator
    OMP_FOR                                // #define OMP_FOR _Pragma("omp for")
    PRAGMA(omp parallel for)               // #define PRAGMA(x) _Pragma(#x)

tree-sitter reads none of them as a directive, and the statement after one is misread (the loop
lost to a syntax error, or taken for a loop without a directive that then gets a second one).
Each such line is blanked, keeping every byte offset, and its pragma remembered by line: the
lowering gives it to the next statement as it gives a '#pragma' line's. The operator may also
stand before its statement on the same line ('_Pragma("omp parallel for") for (...)'), or have
its parentheses over more than one line.
"""
from __future__ import annotations

import re

_LINE = re.compile(rb"^[ \t]*([A-Za-z_]\w*)[ \t]*(?:\((.*)\))?[ \t]*(;?)[ \t]*(?://.*|/\*.*\*/)?[ \t]*$")
_OPERATOR = re.compile(r'^\s*_Pragma\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)\s*$')
_DIRECTIVE = re.compile(r"^\s*#\s*pragma\s+(.*)$")
_STRINGIZE = re.compile(r"^\s*_Pragma\s*\(\s*#\s*([A-Za-z_]\w*)\s*\)\s*$")
_DEFINES = re.compile(rb"^[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)(\([^)]*\))?(.*)$", re.M)
_LEADING = re.compile(rb'[ \t]*_Pragma[ \t]*\([ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*\)(?=[ \t]*[A-Za-z_{])')
STANDALONE = frozenset(("barrier", "taskwait", "flush", "taskyield"))  # directives that are statements


def pragma_lines(text: bytes, macros: dict[str, str] | None = None) -> tuple[bytes, dict[int, str]]:
    """(the text with such lines blanked, {1-based line: pragma text after '#pragma'}).

    A macro counts only where it has one definition in view: one '#undef'd, or defined twice
    differently (in two #if branches this configuration keeps, or by the file over its header's),
    may not be the pragma where it is used, and the line is left as written. A line that ends in
    ';' gives its construct the empty statement: it is blanked, and only a standalone directive
    (a barrier) is kept."""
    known = {k: v for k, v in (macros or {}).items() if v is not None and ("_Pragma" in v or "pragma" in v)}
    if not known and b"_Pragma" not in text and b"pragma" not in text:
        return text, {}
    ambiguous: set[str] = set()
    for m in _DEFINES.finditer(text):  # the file's own (a header's are in ``macros``)
        name = m.group(2).decode()
        if m.group(1) == b"undef":
            ambiguous.add(name)
            continue
        body = m.group(4).decode("utf-8", "replace").strip()
        prev = known.get(name, (macros or {}).get(name))
        if prev is not None and (prev if isinstance(prev, tuple) else (str(prev), None))[0] != body:
            ambiguous.add(name)
        if "pragma" in body or "_Pragma" in body or (m.group(3) and body.startswith("#")):
            # (and '#define STR(x) #x', which '_Pragma(STR(x))' goes through)
            params = m.group(3).decode("utf-8", "replace")[1:-1].split(",") if m.group(3) else None
            known[name] = (body, [p.strip() for p in params] if params is not None else None)
    for name in ambiguous:
        known.pop(name, None)
    if not known and b"_Pragma" not in text:
        return text, {}
    lines = text.split(b"\n")
    found: dict[int, str] = {}
    changed = False
    for i, line in enumerate(lines):
        if i and lines[i - 1].rstrip(b"\r").endswith(b"\\"):
            continue  # (the rest of a '#define X \\' or another continued line)
        last = i
        if line.lstrip().startswith(b"_Pragma") and _open_parens(line) > 0:
            # '_Pragma(\n  "omp parallel for")': the operator's parentheses over lines (counted
            # outside strings and comments: '_Pragma("omp critical") // over (0, i]' is one line)
            while last < min(i + 3, len(lines) - 1) and _open_parens(b"\n".join(lines[i:last + 1])) > 0:
                last += 1
            if _open_parens(b"\n".join(lines[i:last + 1])) != 0 or any(_CODE.sub(b"", x).count(b"//") for x in lines[i:last]):
                last = i  # (not closed, or closed behind a line's comment: left as written)
            else:
                line = b" ".join(x.rstrip(b"\r") for x in lines[i:last + 1])
        m = _LINE.match(line.rstrip(b"\r"))
        if m is not None and m.group(1) == b"_Pragma" and last == i and _pragma_of("_Pragma", m.group(2).decode(
                "utf-8", "replace").strip() if m.group(2) is not None else None, known) is None:
            m = None  # ('_Pragma("omp atomic") x += g(a[i]);': a statement after it, ending in ')')
        if m is None:
            # '_Pragma("omp parallel for") for (...)': the statement is on the operator's line (after
            # two operators, the second is its directive, as of two '#pragma' lines)
            end, prag = 0, None
            while last == i and (lead := _LEADING.match(line, end)) is not None:
                p = _pragma_of("_Pragma", lead.group(0).split(b"(", 1)[1].rsplit(b")", 1)[0].decode("utf-8", "replace"), known)
                if p is None:
                    break
                end, prag = lead.end(), p
            if prag is not None:
                lines[i] = b" " * end + line[end:]
                changed = True
                if re.match(r"omp\s+\w+", prag):
                    found[i + 1] = prag
            continue
        name = m.group(1).decode()
        arg = m.group(2).decode("utf-8", "replace").strip() if m.group(2) is not None else None
        prag = _pragma_of(name, arg, known)
        if prag is None:
            continue
        for k in range(i, last + 1):
            lines[k] = re.sub(rb"[^\r]", b" ", lines[k])
        changed = True
        omp = re.match(r"omp\s+(\w+)", prag)
        if omp and (not m.group(3) or omp.group(1) in STANDALONE):
            found[last + 1] = prag
    return (b"\n".join(lines), found) if changed else (text, {})


_CODE = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/', re.S)  # literals, block comments


def _open_parens(text: bytes) -> int:
    """'(' minus ')' outside strings, character literals and comments."""
    code = b"\n".join(line.split(b"//", 1)[0] for line in _CODE.sub(b"", text).split(b"\n"))
    return code.count(b"(") - code.count(b")")


def _pragma_of(name: str, arg: str | None, known: dict, depth: int = 0) -> str | None:
    """The pragma text a line 'NAME' or 'NAME(arg)' stands for, or None."""
    if name == "_Pragma":
        m = _OPERATOR.match(f"_Pragma({arg})") if arg is not None else None
        return re.sub(r"\\(.)", r"\1", m.group(1)).strip() if m else None
    entry = known.get(name)
    if entry is None or depth > 4:
        return None
    body, params = entry if isinstance(entry, tuple) else (str(entry), getattr(entry, "params", None))
    if (arg is None and params is None and not _is_function_like(entry)) or (arg == "" and params == [""]):
        # (an object-like macro, or one of no parameters called with none: 'PARFOR()')
        m = _OPERATOR.match(body)
        if m:
            return re.sub(r"\\(.)", r"\1", m.group(1)).strip()
        m = _DIRECTIVE.match(body)
        if m:
            return m.group(1).strip()
        inner = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*", body)  # another such macro
        return _pragma_of(inner.group(1), inner.group(2), known, depth + 1) if inner else None
    if arg is not None and (params is None or len(params) == 1):
        m = _STRINGIZE.match(body)  # (a header's function-like macro comes without its parameters)
        if m and (params is None or m.group(1) == params[0]):
            return re.sub(r"\s+", " ", arg).strip()
        # '_Pragma(STR(x))' with '#define STR(x) #x': the GCC manual's idiom, and 'OMP(x)' as
        # '_Pragma(STR(omp x))'
        m = _THROUGH.match(body)
        if m and params is not None and _stringizes(m.group(1), known):
            inner = m.group(2).strip()
            if params[0] and re.search(r"\b%s\b" % re.escape(params[0]), inner):
                return re.sub(r"\s+", " ", re.sub(r"\b%s\b" % re.escape(params[0]), arg, inner)).strip()
    return None


_THROUGH = re.compile(r"^\s*_Pragma\s*\(\s*([A-Za-z_]\w*)\s*\((.*)\)\s*\)\s*$")


def _stringizes(name: str, known: dict) -> bool:
    """Is ``name`` a one-parameter macro whose body is '#x' ('#define STR(x) #x')?"""
    entry = known.get(name)
    if not isinstance(entry, tuple) or entry[1] is None or len(entry[1]) != 1:
        return False
    return re.fullmatch(r"\s*#\s*%s\s*" % re.escape(entry[1][0]), entry[0]) is not None


def _is_function_like(entry) -> bool:
    from .conditional import FunctionMacro
    return isinstance(entry, FunctionMacro)
