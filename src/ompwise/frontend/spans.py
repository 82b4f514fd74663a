"""Spans of a source file: where each line starts, and a function's text."""
from __future__ import annotations

from . import ir


def line_starts(data: bytes) -> list[int]:
    starts = [0]
    i = data.find(b"\n")
    while i >= 0:
        starts.append(i + 1)
        i = data.find(b"\n", i + 1)
    return starts


def function_text(data: bytes, starts: list[int], fn: ir.Function) -> str:
    """The function from its name's line to its matching closing brace (comments, strings and
    character literals skipped while matching)."""
    begin = starts[min(fn.loc.line, len(starts)) - 1]
    i = data.find(b"{", begin)
    if i < 0:
        return ""
    depth, n = 0, len(data)
    while i < n:
        ch = data[i]
        if ch == 0x7B:  # {
            depth += 1
        elif ch == 0x7D:  # }
            depth -= 1
            if depth == 0:
                return data[begin:i + 1].decode("utf-8", "replace")
        elif ch == 0x2F and i + 1 < n and data[i + 1] == 0x2F:  # //
            j = data.find(b"\n", i)
            i = n if j < 0 else j
            continue
        elif ch == 0x2F and i + 1 < n and data[i + 1] == 0x2A:  # /*
            j = data.find(b"*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        elif ch in (0x22, 0x27):  # " or '
            j = i + 1
            while j < n and data[j] != ch and data[j] != 0x0A:
                j += 2 if data[j] == 0x5C else 1
            i = j + 1
            continue
        i += 1
    return data[begin:].decode("utf-8", "replace")
