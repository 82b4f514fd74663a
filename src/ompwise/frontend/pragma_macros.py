"""Macros expanded in '#pragma omp' lines, as compilers expand them before reading the clauses.

``#define PRIV private(t)`` followed by ``#pragma omp parallel for PRIV`` is the loop with
``private(t)``. Object-like and function-like macros are expanded (no '#' or '##'
operators: a macro using them is left as written); each name is expanded once per chain,
as the preprocessor does, so self-referencing macros stop.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .preprocess import mask_inactive

_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\(([^)]*)\))?[ \t]*(.*)$", re.M)
_TOKEN = re.compile(r"[A-Za-z_]\w*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\d\w*|\s+|.", re.S)
_PRAGMA = re.compile(rb"^[ \t]*#[ \t]*pragma[ \t]+omp\b")
_MAX_DEPTH = 32
_MAX_LEN = 4096


@dataclass
class Macros:
    objects: dict[str, str] = field(default_factory=dict)
    functions: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # name -> (params, body)

    def defined(self, name: str) -> bool:
        return name in self.objects or name in self.functions


def _logical(text: str) -> str:
    """Continuation lines joined, comments dropped (a '//' after a macro body is not part of it)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"\\[ \t]*\r?\n", " ", text)
    return re.sub(r"//[^\n]*", "", text)


def collect(texts: list[bytes], defines: tuple[str, ...] = ()) -> Macros:
    """The macros of some sources, in order (a later definition wins), after -D options (NAME or NAME=VALUE).
    Definitions in branches of #if/#ifdef decided false are skipped."""
    out = Macros()
    for d in defines:
        name, _, value = d.partition("=")
        out.objects[name.strip()] = value if value else "1"
    names = {d.partition("=")[0].strip() for d in defines}
    for raw in texts:
        text = _logical(mask_inactive(raw, names).decode("utf-8", "replace"))
        for m in _DEFINE.finditer(text):
            name, params, body = m.group(1), m.group(3), m.group(4).strip()
            if m.group(2) is not None:
                out.functions[name] = (tuple(p.strip() for p in params.split(",") if p.strip()), body)
                out.objects.pop(name, None)
            else:
                out.objects[name] = body
                out.functions.pop(name, None)
            names.add(name)
    return out


def expand(text: str, macros: Macros) -> str:
    """``text`` with its macros expanded (identifiers only; string literals are left alone)."""
    out = _expand(text, macros, frozenset(), 0)
    return out if len(out) <= _MAX_LEN else text


def _expand(text: str, macros: Macros, hide: frozenset, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return text
    toks = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in hide or not (t[0].isalpha() or t[0] == "_"):
            out.append(t)
        elif t in macros.objects:
            out.append(_expand(macros.objects[t], macros, hide | {t}, depth + 1))
        elif t in macros.functions:
            call = _arguments(toks, i + 1)
            params, body = macros.functions[t]
            if call is None or "#" in body or "..." in params:
                out.append(t)
            else:
                args, after = call
                if len(args) == 1 and not args[0].strip() and not params:
                    args = []
                if len(args) != len(params):  # the compiler rejects the call: left as written
                    out.append(t)
                    i += 1
                    continue
                expanded = [_expand(a, macros, hide, depth + 1).strip() for a in args]
                sub = dict(zip(params, expanded))
                body2 = "".join(sub.get(x, x) for x in _TOKEN.findall(body))
                out.append(_expand(body2, macros, hide | {t}, depth + 1))
                i = after
                continue
        else:
            out.append(t)
        i += 1
    return "".join(out)


def _arguments(toks: list[str], i: int) -> tuple[list[str], int] | None:
    """The arguments of a call whose '(' is the next non-blank token at ``i``; (args, index after ')')."""
    while i < len(toks) and toks[i].isspace():
        i += 1
    if i >= len(toks) or toks[i] != "(":
        return None
    args, cur, depth = [], "", 0
    for k in range(i + 1, len(toks)):
        t = toks[k]
        if t == "(":
            depth += 1
        elif t == ")":
            if depth == 0:
                args.append(cur)
                return args, k + 1
            depth -= 1
        elif t == "," and depth == 0:
            args.append(cur)
            cur = ""
            continue
        cur += t
    return None


def expand_pragmas(source: bytes, macros: Macros) -> bytes:
    """``source`` with macros expanded in its '#pragma omp' lines; line numbers are kept (a pragma
    continued over several lines is put on its first one, the others left empty). The same bytes
    when there is nothing to expand."""
    if not (macros.objects or macros.functions) or b"pragma" not in source:
        return source
    lines = source.split(b"\n")
    i, changed = 0, False
    while i < len(lines):
        if not _PRAGMA.match(lines[i]):
            i += 1
            continue
        j = i
        while lines[j].rstrip(b"\r").endswith(b"\\") and j + 1 < len(lines):
            j += 1
        phys = lines[i:j + 1]
        cr = b"\r" if phys[-1].endswith(b"\r") else b""
        text = " ".join(re.sub(r"\\[ \t]*\r?$", "", p.decode("utf-8", "replace").rstrip("\r")) for p in phys)
        head = re.match(r"\s*#\s*pragma\s+omp\b", text)
        code, comment = _split_comment(text[head.end():])
        new = expand(code, macros)
        if new != code:
            lines[i] = (text[:head.end()] + new + comment).encode("utf-8") + cr
            for k in range(i + 1, j + 1):
                lines[k] = cr
            changed = True
        i = j + 1
    return b"\n".join(lines) if changed else source


def _split_comment(text: str) -> tuple[str, str]:
    m = re.search(r"//|/\*", text)
    return (text, "") if m is None else (text[:m.start()], text[m.start():])
