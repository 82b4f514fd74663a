"""Line endings: LF, CRLF and CR alone (classic Mac OS) all end a line, as compilers
count them. The analyses see LF only; rewriting keeps the file's own bytes."""
from __future__ import annotations

import re

_LONE_CR = re.compile(rb"\r(?!\n)")


def as_lf(data: bytes) -> bytes:
    """``data`` with each lone CR made an LF: the same length, so every byte offset
    (and tree-sitter's line numbers) stays valid for the original bytes."""
    return _LONE_CR.sub(b"\n", data) if b"\r" in data else data


def eol_of(data: bytes) -> bytes:
    """The file's own line ending (the most common one; LF when there is none)."""
    crlf = data.count(b"\r\n")
    cr = data.count(b"\r") - crlf
    lf = data.count(b"\n") - crlf
    best = max((lf, b"\n"), (crlf, b"\r\n"), (cr, b"\r"), key=lambda t: t[0])
    return best[1] if best[0] else b"\n"
