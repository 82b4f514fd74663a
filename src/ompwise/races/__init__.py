"""Races in OpenMP code developers already wrote: a static check of annotated loops, plus Archer.

The static check reuses the legality analysis on each loop that carries a
worksharing or simd pragma and compares what the loop needs (privatized
scalars, reductions, no carried dependence) with what the pragma says
(loops.py). Parallel regions are walked for nowait loops, sections and master
blocks (regions.py), and for critical names, lock discipline, atomic/plain
mixes, flag handshakes and distribute loops (sync.py); tasks are followed
statement by statement against their siblings (depend clauses) and their
generating task (taskwait, taskgroup, barriers) (tasks.py). Archer reports on
the runtime's own task storage are dropped (dynamic.py).
"""
from ..reasons import RACE_CODES as STATIC_CODES
from .driver import check_races
from .dynamic import dynamic_check
from .findings import Finding, RaceReport
from .loops import static_findings
from .regions import region_findings
from .sync import sync_findings
from .tasks import task_findings

__all__ = ["STATIC_CODES", "Finding", "RaceReport", "check_races", "dynamic_check", "region_findings",
           "static_findings", "sync_findings", "task_findings"]
