"""Strict reading of an LLM's answer: one '#pragma omp parallel for' line, read with the
OpenMP pragma grammar, or NONE. Anything else is rejected, and what is kept is re-rendered
from the parsed clauses, so no byte of the model's own text can reach a file."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..frontend.pragma import Clauses, Reduction, parse_clauses, render_pragma, split_directive
from ..frontend.pragma_check import REDUCTION_OPS, clause_problems

ALLOWED = {"private", "firstprivate", "lastprivate", "reduction", "schedule", "collapse", "linear", "shared"}
SCHEDULES = {"static", "dynamic", "guided", "auto", "runtime"}
_IDENT = re.compile(r"[A-Za-z_]\w*")
_PRAGMA_LINE = re.compile(r"^\s*#\s*pragma\s+omp\b(.*)$")
_NONE = re.compile(r"^\W*(none|no pragma|not parallel\w*)\W*$", re.I)


@dataclass(frozen=True)
class Parsed:
    clauses: Clauses | None  # None: the model declined (NONE) or the answer was rejected
    pragma: str | None  # rendered by ompwise from the clauses, never the model's text
    problem: str = ""  # why the answer was rejected ('' when accepted or declined)

    @property
    def declined(self) -> bool:
        return self.clauses is None and not self.problem


def parse_answer(text: str, truncated: bool = False) -> Parsed:
    lines = [ln.strip().strip("`").strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return Parsed(None, None, "empty answer")
    pragmas = [(k, ln) for k, ln in enumerate(lines) if _PRAGMA_LINE.match(ln)]
    if not pragmas:
        if any(_NONE.match(ln) for ln in lines[:3]):
            return Parsed(None, None)
        return Parsed(None, None, f"no '#pragma omp' line in the answer ({_show(lines[0])})")
    if len({ln for _, ln in pragmas}) > 1:
        return Parsed(None, None, f"{len(pragmas)} different pragma lines in the answer")
    k, line = pragmas[0]
    if truncated and k == len(lines) - 1:
        # cut at max_tokens: a pragma whose end was cut off could lack a clause and still parse
        return Parsed(None, None, "the answer was cut off at the token limit on its pragma line")
    if "\\" in line or ";" in line or "/*" in line or "//" in line:
        return Parsed(None, None, f"text after the pragma ({_show(line)})")
    return _clauses(_PRAGMA_LINE.match(line).group(1))


def _show(s: str, width: int = 60) -> str:
    s = "".join(ch if ch.isprintable() else "?" for ch in s)  # (no terminal escapes reach the user's screen)
    return repr(s[:width] + ("..." if len(s) > width else ""))


def _clauses(body: str) -> Parsed:
    directive, rest = split_directive(body)
    if directive != "parallel for":
        return Parsed(None, None, f"directive '{directive or body.strip()[:30]}' is not 'parallel for'")
    problems = clause_problems(rest)
    if problems:
        return Parsed(None, None, problems[0].message)
    private, first, last, lin = [], [], [], []
    red: list[Reduction] = []
    collapse = schedule = None
    for name, arg in parse_clauses(rest):
        if name not in ALLOWED:
            return Parsed(None, None, f"clause '{name}' is not one ompwise writes")
        if name == "reduction":
            op, _, vs = arg.partition(":")
            op = op.strip()
            if op not in REDUCTION_OPS:
                return Parsed(None, None, f"reduction operator '{op}' (modifiers are not accepted)")
            names = _names(vs)
            if names is None:
                return Parsed(None, None, f"'reduction({_show(arg, 30)[1:-1]})' does not list plain variable names")
            red.append(Reduction(op, names))
        elif name == "schedule":
            kind, _, chunk = (p.strip() for p in arg.partition(","))
            if kind not in SCHEDULES or (chunk and not chunk.isdigit()):
                return Parsed(None, None, f"schedule({_show(arg, 30)[1:-1]}) is not a schedule")
            schedule = kind + (f", {int(chunk)}" if chunk else "")
        elif name == "collapse":
            if not arg.isdigit() or not 1 <= int(arg) <= 3:
                return Parsed(None, None, f"collapse({_show(arg, 10)[1:-1]}) is not 1 to 3")
            collapse = int(arg) if int(arg) > 1 else None
        elif name == "linear":
            v, _, step = (p.strip() for p in arg.partition(":"))
            if not _IDENT.fullmatch(v) or (step and not re.fullmatch(r"-?\d+", step)):
                return Parsed(None, None, f"linear({_show(arg, 30)[1:-1]}) is not 'linear(var[:step])'")
            lin.append((v, int(step) if step else 1))
        else:
            names = _names(arg)
            if names is None:
                return Parsed(None, None, f"'{name}({_show(arg, 30)[1:-1]})' does not list plain variable names")
            if name != "shared":  # (shared is what variables are by default: dropped)
                {"private": private, "firstprivate": first, "lastprivate": last}[name].extend(names)
    cl = Clauses(tuple(dict.fromkeys(private)), tuple(dict.fromkeys(first)), tuple(dict.fromkeys(last)),
                 tuple(red), collapse, schedule, tuple(lin))
    return Parsed(cl, render_pragma("parallel for", cl))


def _names(text: str) -> tuple[str, ...] | None:
    parts = [p.strip() for p in text.split(",")]
    if not parts or not all(_IDENT.fullmatch(p) for p in parts):
        return None
    return tuple(parts)
