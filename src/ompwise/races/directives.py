"""'#pragma omp' lines recovered from the source text and attached to statements."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..frontend import ir
from ..frontend.pragma import parse_clauses, split_directive
from ..frontend.walk import all_stmts


# The IR keeps one pragma per statement (the innermost of a stack such as 'parallel' + 'single') and drops
# 'task', 'taskgroup' and 'teams'; the checks below read the pragma lines themselves and attach them to the
# statement that follows.

_STANDALONE = {"barrier", "taskwait", "taskyield", "flush", "cancel", "cancellation", "threadprivate",
               "declare", "requires", "depobj", "scan", "end", "allocate", "update", "enter", "exit"}


@dataclass(frozen=True)
class Dir:
    line: int
    words: tuple[str, ...]
    clauses: str
    name: str = ""  # critical(name)

    def args(self, clause: str) -> list[str]:
        return [a for n, a in parse_clauses(self.clauses) if n == clause]

    def names(self, *clauses: str) -> set[str]:
        return {n for c in clauses for a in self.args(c) for n in list_roots(a.split(":")[-1] if c in (
            "reduction", "in_reduction", "task_reduction", "lastprivate") else a)}


def list_roots(arg: str) -> list[str]:
    """'x, a[i], *p, b[0:n]' -> ['x', 'a', 'p', 'b']"""
    out, depth, cur = [], 0, ""
    for ch in arg + ",":
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            m = re.match(r"\s*[*&(\s]*([A-Za-z_]\w*)", cur)
            if m:
                out.append(m.group(1))
            cur = ""
        else:
            cur += ch
    return out


def code_lines(text: str) -> list[str]:
    """Source lines with comments removed (numbering unchanged)."""
    out, in_comment = [], False
    for raw in text.split("\n"):
        buf, i, quote = [], 0, None
        while i < len(raw):
            ch = raw[i]
            if in_comment:
                if raw.startswith("*/", i):
                    in_comment = False
                    i += 1
            elif quote:
                buf.append(ch)
                if ch == "\\" and i + 1 < len(raw):
                    buf.append(raw[i + 1])
                    i += 1
                elif ch == quote:
                    quote = None
            elif raw.startswith("/*", i):
                in_comment = True
                buf.append(" ")
                i += 1
            elif raw.startswith("//", i):
                break
            else:
                if ch in "\"'":
                    quote = ch
                buf.append(ch)
            i += 1
        out.append("".join(buf))
    return out


class Directives:
    """'#pragma omp' lines of a file: by line, and the stack attached to each statement."""

    def __init__(self, tu: ir.TranslationUnit):
        lines = code_lines(tu.source.decode("utf-8", "replace"))
        self.at: dict[int, Dir] = {}
        attach: dict[int, tuple[int, list[Dir]]] = {}
        pending: list[Dir] = []
        i = 0
        while i < len(lines):
            s, ln = lines[i].strip(), i + 1
            if s.startswith("#"):
                s, i = joined(lines, i)
                m = re.match(r"#\s*pragma\s+omp\s+(.*)", s)
                if m:
                    d = _parse_dir(ln, m.group(1))
                    self.at[ln] = d
                    pending = [] if (not d.words or d.words[0] in _STANDALONE) else pending + [d]
            elif s and pending:
                attach[ln] = (len(lines[i]) - len(lines[i].lstrip()) + 1, pending)
                pending = []
            i += 1
        self._of: dict[int, list[Dir]] = {}
        taken: set[int] = set()
        for fn in tu.functions:
            for st in all_stmts(fn.body):
                a = attach.get(st.loc.line)
                if a and a[0] == st.loc.column and st.loc.line not in taken:
                    taken.add(st.loc.line)
                    self._of[id(st)] = a[1]

    def of(self, st: ir.Stmt) -> list[Dir]:
        return self._of.get(id(st), [])

    def words(self, st: ir.Stmt) -> set[str]:
        return {w for d in self.of(st) for w in d.words}

    def attached(self):
        return (d for ds in self._of.values() for d in ds)


def _parse_dir(line: int, text: str) -> Dir:
    directive, clauses = split_directive("omp " + text)
    if not directive and re.match(r"\s*flush\b", text):  # 'flush(x)' reads as a clause to split_directive
        directive, clauses = "flush", text.strip()[5:]
    m = re.match(r"\s*critical\s*\(\s*(\w+)\s*\)", text)
    return Dir(line, tuple(directive.split()), clauses, m.group(1) if m else "")


def joined(lines: list[str], i: int) -> tuple[str, int]:
    """Line ``i``, stripped, with its backslash continuations joined; and the last line's index."""
    s = lines[i].strip()
    while s.endswith("\\") and i + 1 < len(lines):
        i += 1
        s = s[:-1] + " " + lines[i].strip()
    return s, i
