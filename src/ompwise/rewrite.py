"""Advice -> edited source. Only whole lines are inserted, so deleting them restores the input."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .advise import LoopAdvice
from .frontend.newlines import as_lf, eol_of


@dataclass(frozen=True)
class Rewrite:
    text: bytes
    inserted_lines: tuple[int, ...]  # 1-based line numbers in the output
    skipped: tuple[tuple[int, str], ...]  # (loop line, why)


def insert_pragmas(source: bytes, advice: list[LoopAdvice]) -> Rewrite:
    """``source`` as read (the analysis saw it with LF for lone CRs, at the same offsets):
    the output keeps its bytes, and the pragma lines end as its lines do."""
    eol = eol_of(source)
    lf = as_lf(source)
    inserts: list[tuple[int, bytes]] = []
    skipped = []
    for a in advice:
        if a.pragma is None:
            continue
        lp = a.loop
        if not lp.first_on_line or lp.in_macro:
            where = "inside a macro" if lp.in_macro else "on a line shared with other code"
            skipped.append((lp.loc.line, f"the loop is {where} [PLACEMENT]"))
            continue
        start, why = _insertion_point(lf, lp.line_start_byte)
        if why:
            skipped.append((lp.loc.line, why))
            continue
        inserts.append((start, lp.indent.encode() + a.pragma.encode() + eol))
    inserts.sort()
    out = bytearray()
    pos = 0
    lines = []
    for off, text in inserts:
        out += source[pos:off]
        lines.append(lf.count(b"\n", 0, off) + len(lines) + 1)
        out += text
        pos = off
    out += source[pos:]
    return Rewrite(bytes(out), tuple(lines), tuple(skipped))


def _line_before(source: bytes, start: int) -> tuple[int, bytes]:
    """(offset, text) of the line ending just before ``start`` (a line start)."""
    end = start - 1
    begin = source.rfind(b"\n", 0, max(end, 0)) + 1
    return begin, source[begin:max(end, 0)]


# pragmas that apply to the statement after them ('#pragma scop' and the like do not)
_LOOP_PRAGMAS = {b"omp", b"acc", b"unroll", b"nounroll", b"ivdep", b"simd", b"vector", b"novector", b"loop_count",
                 b"GCC ivdep", b"GCC unroll", b"GCC novector", b"clang loop", b"clang fp", b"nofusion",
                 b"distribute_point", b"prefetch", b"unroll_and_jam", b"nounroll_and_jam", b"loop"}
_KEYWORDS = {b"else", b"do", b"if", b"while", b"for", b"switch", b"return", b"case", b"default", b"try", b"catch"}


def _insertion_point(source: bytes, start: int) -> tuple[int, str]:
    """Where the pragma line goes (the start of the loop's line), or why it cannot: the line
    before continues into the loop, or holds an attribute, a pragma of its own for the loop
    ('#pragma GCC ivdep' must be followed by the loop, and so must an OpenMP pragma), or a
    lone macro that may expand to one ('IVDEP' for '_Pragma("GCC ivdep")')."""
    if start == 0:
        return start, ""
    _, line = _line_before(source, start)
    text = line.strip()
    if line.rstrip(b" \t\r\f\v").endswith(b"\\"):
        # (a backslash before trailing blanks continues the line too, as gcc and clang read it)
        return start, "previous line continues into the loop (backslash) [PLACEMENT]"
    if text.endswith(b"]]"):
        return start, "an attribute stands before the loop [PLACEMENT]"
    words = text[1:].replace(b"(", b" ").split() if text.startswith(b"#") else []
    spelled = words[1:3] if words[:1] == [b"pragma"] else []
    if text.startswith((b"_Pragma", b"__pragma")):
        spelled = text.split(b"(", 1)[-1].strip(b' ")').split()[:2]
    if spelled and (spelled[0] in _LOOP_PRAGMAS or b" ".join(spelled) in _LOOP_PRAGMAS):
        # (one that applies to the loop below it: neither order of the two lines compiles)
        return start, f"another pragma ('{text.decode('utf-8', 'replace')[:40]}') stands before the loop [PLACEMENT]"
    m = re.fullmatch(rb"([A-Za-z_]\w*)(\s*\([^;{}]*\))?", text)
    if m and m.group(1) not in _KEYWORDS:
        return start, f"a macro ('{text.decode('utf-8', 'replace')[:40]}') stands before the loop [PLACEMENT]"
    return start, ""


def remove_lines(text: bytes, lines: tuple[int, ...]) -> bytes:
    """Inverse of ``insert_pragmas`` (used by tests and the round-trip check)."""
    drop = set(lines)
    parts = re.split(rb"(\r\n|\r|\n)", text)  # lines and their ends, in turn
    return b"".join(p + e for i, (p, e) in enumerate(zip(parts[::2], parts[1::2] + [b""]), 1) if i not in drop)
