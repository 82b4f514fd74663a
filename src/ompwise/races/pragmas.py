"""Malformed or impossible '#pragma omp' lines (PRAGMA-INVALID), read after macro expansion."""
from __future__ import annotations

import re

from ..advise import FileAdvice
from ..frontend import ir
from ..frontend.pragma import DIRECTIVE_WORDS, split_directive
from ..frontend.pragma_check import clause_problems
from .directives import code_lines, joined
from .findings import Finding

# directives whose text after the name is not a clause list (or not one this check knows)
_NOT_CLAUSES = {"declare", "begin", "end", "metadirective", "requires", "assumes", "assume", "threadprivate",
                "allocate", "depobj", "error", "interop", "dispatch", "nothing", "flush"}
_OTHER_DIRECTIVES = {"begin", "assumes", "assume", "allocate", "depobj", "error", "interop", "dispatch", "nothing",
                     "taskyield", "cancellation", "critical"}
_COLLAPSE = re.compile(r"\bcollapse\s*\(\s*([^)]*?)\s*\)")


def _pragma_lines(source: bytes):
    """(line, column where the clauses start, text after 'omp', clause text) of each '#pragma omp' line."""
    lines = code_lines(source.decode("utf-8", "replace"))
    i = 0
    while i < len(lines):
        first = lines[i]
        s = first.strip()
        ln = i + 1
        if s.startswith("#"):
            s, i = joined(lines, i)
            m = re.match(r"#\s*pragma\s+omp\b(.*)", s)
            if m:
                _, clauses = split_directive("omp " + m.group(1))
                at = first.find(clauses) if clauses else -1
                yield ln, at, m.group(1).strip(), clauses
        i += 1


def pragma_findings(fa: FileAdvice, declared: set[str] = frozenset()) -> list[Finding]:
    """Pragmas a compiler rejects or reads otherwise than written: unbalanced parentheses, unknown
    directives and clauses, empty clause lists, unknown reduction operators, collapse(n) deeper
    than the perfectly nested loops."""
    out: list[Finding] = []
    for line, at, text, clauses in _pragma_lines(fa.tu.source):
        directive, _ = split_directive("omp " + text)
        first = (re.match(r"[A-Za-z_]\w*", text) or [""])[0]
        where = f"'#pragma omp {text}'"
        if not directive:
            if not first:
                out.append(Finding("PRAGMA-INVALID", f"{where} names no directive", line, 1, "", "static"))
            elif first not in DIRECTIVE_WORDS and first not in _OTHER_DIRECTIVES:
                out.append(Finding("PRAGMA-INVALID", f"unknown directive '{first}' in {where}: neither an OpenMP "
                                   "directive nor a macro defined in the file, its local headers or -D",
                                   line, 1, first, "static"))
            continue
        if directive.split()[0] in _NOT_CLAUSES:
            continue
        for p in clause_problems(clauses, declared):
            col = at + p.offset + 1 if at >= 0 else 1
            out.append(Finding("PRAGMA-INVALID", f"{p.message} in {where}", line, col, p.name, "static"))
    out.extend(_collapse(fa.tu))
    return out


def _depth(lp: ir.Loop, perfect: bool) -> int:
    """Loops nested in ``lp``, ``lp`` included: with nothing but braces between them (perfect), or with
    other statements beside the inner loop (what clang accepts from OpenMP 5.0 on)."""
    body = lp.body
    while len(body) == 1 and type(body[0]) is ir.Block:
        body = body[0].body
    inner = [s.loop for s in body if isinstance(s, ir.ForStmt)]
    if perfect:
        return 1 + _depth(inner[0], True) if len(body) == 1 and inner else 1
    return 1 + max((_depth(x, False) for x in inner), default=0)


def _collapse(tu: ir.TranslationUnit) -> list[Finding]:
    out = []
    for lp in tu.loops:
        m = _COLLAPSE.search(lp.pragma.clauses) if lp.pragma is not None else None
        if m is None or not re.fullmatch(r"\d+", m.group(1)):
            continue  # (a constant expression the check cannot evaluate: left to the compiler)
        n, depth = int(m.group(1)), _depth(lp, True)
        where = f"'#pragma {lp.pragma.text}' at line {lp.pragma.line}"
        if n < 1:
            msg = f"collapse({n}) in {where}: the argument must be a positive constant"
        elif n > depth:
            msg = (f"collapse({n}) in {where} but only {depth} loop{'s are' if depth > 1 else ' is'} perfectly "
                   f"nested at line {lp.loc.line}")
            if n <= _depth(lp, False):
                msg += " (gcc and OpenMP 4.5 reject the statements between the loops; clang accepts them from OpenMP 5.0)"
        else:
            continue
        out.append(Finding("PRAGMA-INVALID", msg, lp.pragma.line, 1, "collapse", "static"))
    return out
