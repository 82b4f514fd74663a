"""What the context of a construct makes private or leaves unsynchronized."""
from __future__ import annotations

from ..analysis.scope import direct_writes
from ..frontend import ir
from ..frontend.threadprivate import threadprivate_names  # noqa: F401  (the races' import point)
from ..frontend.walk import substmts


def region_body(r: ir.Region) -> tuple[ir.Stmt, ...]:
    body = r.body
    while len(body) == 1 and type(body[0]) is ir.Block:
        body = body[0].body
    return body


def names_of(cl) -> set[str]:
    return set(cl.private) | set(cl.firstprivate) | set(cl.lastprivate) | {v for r in cl.reduction for v in r.vars}


def unsynced_writes(body: tuple[ir.Stmt, ...], across_teams: bool = False) -> set[str]:
    """Scalars written outside critical/atomic/ordered/single/master statements.

    Across teams only 'atomic' synchronizes: a critical section excludes the threads of one team.
    """
    out: set[str] = set()
    for s in body:
        if isinstance(s, ir.Sync) and (not across_teams or s.kind == "atomic"):
            continue
        out |= direct_writes(s)
        out |= unsynced_writes(substmts(s), across_teams)
    return out
