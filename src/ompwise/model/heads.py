"""The clause heads: for a loop a developer parallelizes, which clauses the pragma has. Each head
is a yes/no question answered from the label columns of the dataset."""
from __future__ import annotations

import numpy as np

CLAUSE_HEADS = ("private", "lastprivate", "reduction", "schedule-dynamic", "collapse", "simd")


def has_clause(row: dict, head: str) -> bool:
    if head == "private":
        return bool(row["l_private"])
    if head == "lastprivate":
        return bool(row["l_lastprivate"])
    if head == "reduction":
        return bool(row["l_reduction"])
    if head == "schedule-dynamic":
        return row["l_schedule"] in ("dynamic", "guided")
    if head == "collapse":
        return (row["l_collapse"] or 0) > 1
    if head == "simd":
        return "simd" in row["l_directive"].split()
    raise KeyError(head)


def clause_targets(rows: list[dict], head: str) -> np.ndarray:
    return np.array([has_clause(r, head) for r in rows], dtype=np.int32)
