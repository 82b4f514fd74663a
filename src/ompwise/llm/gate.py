"""Which loops an LLM may be asked about, and the analysis' veto on its answer.

A loop goes to the LLM only when the analysis could not settle it: every reason that blocks
it is a "don't know" (a call whose body is not visible, a subscript that is not affine, a write
through an index array, pointers that may overlap, a macro with effects, a dependence found
only under a guard the test cannot follow), and, when the learned model gave a probability,
the model is unsure too. Any proven reason (an exact dependence, a carried scalar, I/O, a write
to a global, an early exit, ...) wins over any answer, and the answer's clauses must give every
scalar what the analysis says it needs.
"""
from __future__ import annotations

from ..advise import FileAdvice, LoopAdvice
from ..frontend.pragma import Clauses
from ..reasons import unsettled as _unsettled  # (one rule for the model and the LLM)

UNSURE_BAND = (0.2, 0.8)  # model probabilities outside it are confident enough to leave alone
_EQUIVALENT_OPS = {"-": "+"}  # (OpenMP's '-' reduction combines partial results with '+')


def decisive(a: LoopAdvice):
    """The first proven reason against the loop, or None."""
    lg = a.legality
    if lg is None:
        return None
    return next((r for r in lg.blockers if not _unsettled(r)), None)


def candidates(fa: FileAdvice) -> list[LoopAdvice]:
    """The loops to ask the LLM about, outermost first."""
    with_pragma = {a.loop.id for a in fa.loops if a.pragma or a.loop.pragma is not None}
    out = []
    for a in fa.loops:
        lp, lg = a.loop, a.legality
        if a.pragma or a.parallelizable or lg is None or lp.canonical is None or lp.pragma is not None:
            continue
        if lp.in_region or (a.reasons and a.reasons[0].code in ("NESTED-INSIDE-PARALLEL", "OMP-EXISTING")):
            continue
        if not lg.blockers or decisive(a) is not None:
            continue
        if _descendants(fa, lp.id) & with_pragma:
            continue  # the analysis already parallelizes inside it: an outer pragma would nest
        prob = a.probability
        if prob is not None and not UNSURE_BAND[0] <= prob <= UNSURE_BAND[1]:
            continue
        out.append(a)
    return out


def _descendants(fa: FileAdvice, loop_id: int) -> set[int]:
    loops = fa.tu.loops
    out, stack = set(), list(loops[loop_id].children)
    while stack:
        c = stack.pop()
        out.add(c)
        stack.extend(loops[c].children)
    return out


def check(fa: FileAdvice, a: LoopAdvice, cl: Clauses) -> str | None:
    """Why the analysis rejects these clauses on this loop (None: no objection)."""
    proven = decisive(a)
    if proven is not None:
        return f"the analysis proved it unsafe: {proven.message.replace('not parallelized: ', '')} [{proven.code}]"
    lp, lg = a.loop, a.legality
    facts = {s.name: s for s in lg.scalars}
    red = {v: _EQUIVALENT_OPS.get(r.op, r.op) for r in cl.reduction for v in r.vars}
    private = set(cl.private) | set(cl.firstprivate)
    last, linear = set(cl.lastprivate), {v for v, _ in cl.linear}
    named = [*cl.private, *cl.firstprivate, *cl.lastprivate, *red, *linear]
    for v in named:
        if v not in facts and v != lp.var:
            return f"'{v}' is not a variable the loop writes or reads outside its body (known: " \
                   f"{', '.join(sorted(facts)) or 'none'})"
        if named.count(v) > 1:
            return f"'{v}' is named in more than one clause"
    for s in lg.scalars:
        need = s.kind
        if need in ("carried", "liveout-conditional"):
            return f"the analysis proved '{s.name}' carries a value between iterations (line {s.line})"
        if need == "shared" and s.name in set(cl.private) | last | set(red):
            return f"'{s.name}' is only read in the loop: a private copy would start undefined (line {s.line})"
        if need == "private" and s.name not in private | last:
            return f"'{s.name}' is written in every iteration and must be private (line {s.line})"
        if need == "lastprivate" and s.name not in last:
            return f"'{s.name}' is used after the loop and needs lastprivate (line {s.line})"
        if need == "reduction" and red.get(s.name) != _EQUIVALENT_OPS.get(s.op, s.op):
            return f"'{s.name}' is updated with {s.op} in every iteration and needs reduction({s.op}:{s.name}) (line {s.line})"
        if need == "linear" and s.name not in linear:
            return f"'{s.name}' advances once per iteration and needs linear({s.name}) (line {s.line})"
    for v, op in red.items():
        s = facts.get(v)
        if s is not None and s.kind != "reduction":
            return f"'{v}' is not a reduction variable: the analysis found it {s.kind} (line {s.line})"
    if cl.collapse:
        depth, cur = 1, lg
        while depth < cl.collapse and cur is not None and cur.perfect_child is not None:
            child = next((x for x in fa.loops if x.loop.id == cur.perfect_child), None)
            if child is None or decisive(child) is not None:
                break
            depth, cur = depth + 1, child.legality
        if depth < cl.collapse:
            return f"collapse({cl.collapse}) needs {cl.collapse} perfectly nested loops that may run in parallel"
    return None
