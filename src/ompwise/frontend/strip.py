"""OpenMP pragma lines blanked out of a source text, line numbers kept: the serial code a user
would give ompwise, from a file whose authors parallelized it (the corpus, the real applications)."""
from __future__ import annotations

import re

_PRAGMA = re.compile(r"\s*#\s*pragma\s+omp\b")


def strip_pragmas(text: str) -> tuple[str, dict[int, str]]:
    """Blank every OpenMP pragma line (continuations too, so line numbers are kept) and map each
    1-based line of code to the pragma pending just before it."""
    lines = text.split("\n")
    out: list[str] = []
    labels: dict[int, str] = {}
    pending: str | None = None
    i = 0
    while i < len(lines):
        if _PRAGMA.match(lines[i]):
            prag = lines[i]
            while prag.rstrip().endswith("\\") and i + 1 < len(lines):
                out.append("")
                i += 1
                prag = prag.rstrip()[:-1] + " " + lines[i].strip()
            pending = prag.strip()
            out.append("")
            i += 1
            continue
        out.append(lines[i])
        s = lines[i].strip()
        if s:
            if pending:
                labels[i + 1] = pending
            if not s.startswith(("//", "#")):
                pending = None
        i += 1
    return "\n".join(out), labels
