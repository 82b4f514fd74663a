"""OpenMP pragma text: parse (directive + clauses) and print."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fastinit import fast_init

DIRECTIVE_WORDS = {
    "parallel", "for", "do", "simd", "target", "teams", "distribute", "loop",
    "taskloop", "sections", "section", "single", "master", "masked", "critical",
    "atomic", "barrier", "task", "taskwait", "taskgroup", "ordered", "declare",
    "end", "data", "enter", "exit", "update", "flush", "threadprivate", "scan",
    "workshare", "cancel", "requires", "metadirective", "tile", "unroll",
}
_CLAUSE_RE = re.compile(r"([A-Za-z_]\w*)\s*(\((?:[^()]|\([^()]*\))*\))?")


def split_directive(text: str) -> tuple[str, str]:
    """``'omp parallel for private(x)'`` -> ``('parallel for', 'private(x)')``."""
    body = text.strip()
    if body.startswith("omp"):
        body = body[3:]
    words: list[str] = []
    rest = body.strip()
    while rest:
        m = re.match(r"([A-Za-z_]\w*)", rest)
        if not m or m.group(1) not in DIRECTIVE_WORDS:
            break
        after = rest[m.end():].lstrip()
        if after.startswith("(") and m.group(1) not in ("critical",):
            break  # e.g. 'ordered(2)' is a clause on a loop directive
        words.append(m.group(1))
        rest = rest[m.end():].lstrip().lstrip(",").lstrip()
        if m.group(1) == "critical" and rest.startswith("("):
            close = rest.find(")")
            rest = rest[close + 1:].lstrip()
    return " ".join(words), rest.strip()


def parse_clauses(clauses: str) -> list[tuple[str, str]]:
    """``'private(x, y) nowait'`` -> ``[('private', 'x, y'), ('nowait', '')]``."""
    out = []
    for m in _CLAUSE_RE.finditer(clauses):
        arg = m.group(2)
        out.append((m.group(1), arg[1:-1].strip() if arg else ""))
    return out


@fast_init
@dataclass(frozen=True)
class Reduction:
    op: str
    vars: tuple[str, ...]


@fast_init
@dataclass(frozen=True)
class Clauses:
    """Clauses of a recommended loop pragma, in the order they are printed."""
    private: tuple[str, ...] = ()
    firstprivate: tuple[str, ...] = ()
    lastprivate: tuple[str, ...] = ()
    reduction: tuple[Reduction, ...] = ()
    collapse: int | None = None
    schedule: str | None = None
    linear: tuple[tuple[str, int | str], ...] = ()  # (variable, step: a number, or an invariant's name)
    extra: tuple[str, ...] = field(default=())

    def render(self) -> str:
        parts = []
        if self.collapse:
            parts.append(f"collapse({self.collapse})")
        if self.private:
            parts.append(f"private({', '.join(self.private)})")
        if self.firstprivate:
            parts.append(f"firstprivate({', '.join(self.firstprivate)})")
        if self.lastprivate:
            parts.append(f"lastprivate({', '.join(self.lastprivate)})")
        for r in self.reduction:
            parts.append(f"reduction({r.op}:{', '.join(r.vars)})")
        for v, step in self.linear:
            # (OpenMP 5.2 reads 'linear(x: val)', 'ref' and 'uval' as modifiers: a step of that name is bracketed)
            parts.append(f"linear({v})" if step == 1 else f"linear({v}:({step}))" if step in ("val", "ref", "uval")
                         else f"linear({v}:{step})")
        if self.schedule:
            parts.append(f"schedule({self.schedule})")
        parts.extend(self.extra)
        return " ".join(parts)

    def to_json(self) -> dict:
        return {
            "private": list(self.private),
            "firstprivate": list(self.firstprivate),
            "lastprivate": list(self.lastprivate),
            "reduction": [{"op": r.op, "vars": list(r.vars)} for r in self.reduction],
            "collapse": self.collapse,
            "schedule": self.schedule,
            "linear": [{"var": v, "step": k} for v, k in self.linear],
        }


def render_pragma(directive: str, clauses: Clauses) -> str:
    c = clauses.render()
    return f"#pragma omp {directive}" + (f" {c}" if c else "")


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets ('a[0:n], b' -> ['a[0:n]', ' b'])."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[(" and 1 or (ch in "])" and -1 or 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def parse_loop_clauses(clauses: str) -> Clauses:
    """Read the data-sharing clauses of an existing pragma into ``Clauses``."""
    priv: list[str] = []
    fpriv: list[str] = []
    lpriv: list[str] = []
    red: list[Reduction] = []
    collapse = None
    schedule = None
    linear: list[tuple[str, int | str]] = []
    for name, arg in parse_clauses(clauses):
        names = tuple(v.strip() for v in arg.split(",") if v.strip())
        if name == "private":
            priv.extend(names)
        elif name == "firstprivate":
            fpriv.extend(names)
        elif name == "lastprivate":
            lpriv.extend(v.split(":")[-1].strip() for v in names)
        elif name == "reduction" and ":" in arg:
            cut = arg.index(":") if "[" not in arg.split(":")[0] else arg.rindex(":")
            op, vs = arg[:cut], arg[cut + 1:]
            # an array section ('sum[0:5]') names its array: the data-sharing is the array's
            red.append(Reduction(op.split(",")[-1].strip(), tuple(v.split("[")[0].strip() for v in _split_top(vs) if v.strip())))
        elif name == "collapse":
            try:
                collapse = int(arg)
            except ValueError:
                collapse = None
        elif name == "schedule":
            schedule = arg
        elif name == "linear":
            vs, _, step = arg.partition(":")
            for v in vs.split(","):
                if v.strip():
                    try:
                        linear.append((v.strip(), int(step) if step.strip() else 1))
                    except ValueError:
                        linear.append((v.strip(), step.strip()))  # ('linear(ix:incx)')
    return Clauses(tuple(priv), tuple(fpriv), tuple(lpriv), tuple(red), collapse, schedule, tuple(linear))
