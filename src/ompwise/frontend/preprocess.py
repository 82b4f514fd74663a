"""Blank out inactive #if/#ifdef branches (keeping every byte offset) for a cleaner parse.

Only conditions that can be decided from the file itself (#define/#undef seen so
far, -D options, literal #if 0/1) are evaluated; anything else keeps both branches.
"""
from __future__ import annotations

import re

_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|define|undef)\b(.*)$")


def _blank(line: bytes) -> bytes:
    return re.sub(rb"[^\r\n]", b" ", line)


def mask_inactive(source: bytes, defines: set[str]) -> bytes:
    defined = set(defines)
    lines = source.split(b"\n")
    out = []
    # stack of (active_now, any_branch_taken, decidable)
    stack: list[list[bool]] = []

    def active() -> bool:
        return all(f[0] for f in stack)

    cont = False
    for line in lines:
        m = None if cont else _DIRECTIVE.match(line)
        cont = line.rstrip(b"\r").endswith(b"\\")
        if m is None:
            out.append(line if active() else _blank(line))
            continue
        kind, rest = m.group(1), m.group(2).strip()
        name = re.match(rb"[A-Za-z_]\w*", rest)
        if kind in (b"ifdef", b"ifndef"):
            val = None if name is None else ((name.group(0).decode() in defined) == (kind == b"ifdef"))
            stack.append([val is not False, val is True, val is not None])
        elif kind == b"if":
            val = _eval(rest, defined)
            stack.append([val is not False, val is True, val is not None])
        elif kind == b"elif" and stack:
            top = stack[-1]
            val = _eval(rest, defined) if top[2] else None
            if top[1]:
                top[0] = False
            elif val is None:
                top[0], top[2] = True, False
            else:
                top[0], top[1] = val, val
        elif kind == b"else" and stack:
            top = stack[-1]
            top[0] = not top[1] if top[2] else True
        elif kind == b"endif" and stack:
            stack.pop()
        elif kind == b"define" and active() and name is not None:
            defined.add(name.group(0).decode())
        elif kind == b"undef" and active() and name is not None:
            defined.discard(name.group(0).decode())
        out.append(line if (active() or kind in (b"if", b"ifdef", b"ifndef", b"elif", b"else", b"endif")) else _blank(line))
    return b"\n".join(out)


def _eval(expr: bytes, defined: set[str]) -> bool | None:
    e = expr.split(b"//")[0].split(b"/*")[0].strip()
    if re.fullmatch(rb"\d+", e):
        return int(e) != 0
    m = re.fullmatch(rb"(!)?\s*defined\s*\(?\s*([A-Za-z_]\w*)\s*\)?", e)
    if m:
        v = m.group(2).decode() in defined
        return not v if m.group(1) else v
    return None
