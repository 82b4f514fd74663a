"""Compiler-style diagnostics, one line per loop: file:line:col: severity: message [CODE]."""
from __future__ import annotations

from ..advise import FileAdvice, LoopAdvice
from ..reasons import CODES, Reason


def loop_line(path: str, a: LoopAdvice, shown: tuple[Reason, ...]) -> str:
    primary = shown[0]
    sev = CODES[primary.code].severity if primary.code in CODES else "note"
    msg = primary.message
    return f"{path}:{a.loop.loc.line}:{a.loop.loc.column}: {sev}: {msg} [{primary.code}]"


def render(files: list[FileAdvice], visible) -> str:
    """``visible(file, loop) -> tuple[Reason, ...]`` applies the user's suppressions."""
    out = []
    for f in files:
        for e in f.errors:
            out.append(f"{f.path}:{e.line}:{e.column}: error: {e.message}")
        for note in f.notes:
            out.append(f"{f.path}: note: {note}")
        for a in f.loops:
            shown = visible(f, a)
            if shown:
                out.append(loop_line(f.path, a, shown))
    return "\n".join(out)
