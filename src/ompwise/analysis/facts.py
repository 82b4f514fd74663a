"""What the legality analysis finds about one loop: the facts it hands to ``advise`` and
the memory accesses it collects on the way."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fastinit import fast_init
from ..frontend import ir
from ..frontend.pragma import Clauses
from ..reasons import Reason


WILD = ir.Opaque(ir.Loc(0, 0), "*")  # "any element along this dimension"


@fast_init  # built in bulk: a faster frozen __init__
@dataclass(frozen=True)
class ScalarFact:
    name: str
    kind: str  # shared, private, lastprivate, reduction, carried, liveout-conditional, induction, synchronized (only the author's atomic or critical updates)
    op: str | None
    line: int
    column: int
    note: str = ""


@fast_init
@dataclass(frozen=True)
class DepFact:
    array: str
    first: str
    first_at: ir.Loc
    second: str
    second_at: ir.Loc
    dependent: bool
    distance: int | None
    test: str


@fast_init
@dataclass(frozen=True)
class Legality:
    """Typed facts about one loop; ``advise`` turns them into a recommendation."""
    loop_id: int
    parallel: bool
    clauses: Clauses
    blockers: tuple[Reason, ...]
    assumptions: tuple[Reason, ...] = ()
    scalars: tuple[ScalarFact, ...] = ()
    dependences: tuple[DepFact, ...] = ()
    trip_count: int | None = None
    triangular: bool = False
    irregular: bool = False
    rectangular_child: bool = False  # the single inner loop's bounds do not depend on this loop
    perfect_child: int | None = None  # id of the inner loop when perfectly nested
    # at most this many iterations, where the trip count is not known: every iteration indexes an
    # array of a declared size (tripbound.py); and what says so
    trip_bound: int | None = None
    bound_by: str = ""


@fast_init
@dataclass(frozen=True)
class Access:
    array: str
    text: str
    subs: tuple[ir.Expr, ...] | None  # None: some element, unknown which
    write: bool
    read: bool
    loc: ir.Loc
    nest: tuple[int, ...]  # loops of the analysed nest enclosing the access, outermost first
    via: str = ""  # 'call f' when produced by a call's effects
    sync: bool = False  # inside an OpenMP critical/atomic/ordered/single/master statement
    # the operator of the atomic update whose target this is ('#pragma omp atomic' over 'x += e',
    # '__sync_fetch_and_add(&x, e);'), its value unused: such updates of one element commute
    atomic: str = ""
    guarded: bool = False  # under a guard that is not an affine condition: it may narrow the domain
    conds: tuple = ()  # enclosing if-conditions inside the loop: (condition, taken branch is 'then')
    env: dict = field(default_factory=dict, compare=False, hash=False)  # straight-line definitions reaching it


def _reason(code: str, message: str, loc: ir.Loc, **evidence) -> Reason:
    return Reason(code, message, loc.line, loc.column, evidence)
