"""The one place where a decision is made: legality (+ later model and LLM) -> advice."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .analysis.halo import halo_width
from .analysis.legality import Analyzer, Legality
from .analysis.scope import reset_caches as reset_scope
from .frontend import ir
from .frontend.pragma import Clauses, Reduction, render_pragma
from .frontend.walk import all_exprs, all_stmts, enclosing_loops, exprs, names, reset_caches as reset_walk, stmt_exprs, substmts
from .reasons import Reason, unsettled

SMALL_TRIP = 16  # below this many iterations, starting threads costs more than it gains
COLLAPSE_BELOW = 64  # collapse while the collapsed loops have fewer iterations than this
SERIAL_DEPTH = 2  # inside this many serial loops (one slicing the work), a region per entry costs more than it gains
FULL_NEST = 3  # a nest this deep does enough work per region even when an outer loop slices the data (MG's levels)


@dataclass(frozen=True)
class LoopAdvice:
    loop: ir.Loop
    legality: Legality | None
    parallelizable: bool
    pragma: str | None
    clauses: Clauses
    confidence: float
    source: str
    reasons: tuple[Reason, ...]
    probability: float | None = None  # the model's calibrated probability that a developer parallelizes it

    @property
    def code(self) -> str:
        return self.reasons[0].code if self.reasons else "OMP-PARALLEL"


@dataclass
class FileAdvice:
    path: str
    language: str
    errors: list[ir.SourceError]
    loops: list[LoopAdvice] = field(default_factory=list)
    tu: ir.TranslationUnit | None = None

    @property
    def notes(self) -> list[str]:
        """File-level notes: the loops the analyzed configuration leaves out."""
        tu = self.tu
        if tu is None or not tu.inactive_loops:
            return []
        n = tu.inactive_loops
        which = ", ".join(tu.activating[:6]) + (", ..." if len(tu.activating) > 6 else "")
        hint = f" (they depend on {which}; define with -D, or analyze every branch with --all-configs)" if which else \
            " (analyze every branch with --all-configs)"
        return [f"{n} loop{'s' if n != 1 else ''} in #if branches not analyzed: the configuration analyzed leaves "
                f"{'them' if n != 1 else 'it'} out{hint}"]


def advise(tu: ir.TranslationUnit, analyzer: Analyzer | None = None, model=None) -> list[LoopAdvice]:
    """Every loop's advice. With a ``model`` (model/predict.py), the analysis' advice is the
    model's input, and the model's probability then decides where the analysis leaves room
    (model/gate.py); a loop the analysis proves illegal never gets a pragma."""
    reset_walk()
    reset_scope()
    try:
        az = analyzer or Analyzer(tu)
        legal = {l.id: az.analyze(l) for l in tu.loops}
        base = _advise(tu, az, legal)
        if model is None or not base:
            return base
        from .model.gate import Gate
        gate = Gate.of(model, tu, base)
        return gate.attach(_advise(tu, az, legal, gate))
    finally:
        reset_walk()
        reset_scope()


def _advise(tu: ir.TranslationUnit, az: Analyzer, legal: dict[int, Legality], gate=None) -> list[LoopAdvice]:
    out: dict[int, LoopAdvice] = {}
    covered: dict[int, str] = {}  # loop id -> why it is covered by an outer decision

    def cover_descendants(loop: ir.Loop, why: str):
        stack = list(loop.children)
        while stack:
            c = stack.pop()
            covered[c] = why
            stack.extend(tu.loops[c].children)

    defined = _defined(tu, az, legal)
    call_depth = _call_depths(tu, legal, az.program, defined)
    for loop in tu.loops:  # preorder: outer loops are decided first
        lg = legal[loop.id]
        if loop.pragma is not None and _is_loop_directive(loop.pragma.directive):
            out[loop.id] = LoopAdvice(loop, lg, lg.parallel, None, Clauses(), 1.0, "analysis", (
                Reason("OMP-EXISTING", f"already parallel: '#pragma {loop.pragma.text}'", loop.loc.line, loop.loc.column),))
            cover_descendants(loop, f"inside the loop at {loop.loc} that already has '#pragma omp {loop.pragma.directive}'")
            continue
        if loop.pragma is not None and loop.id not in covered:
            # '#pragma omp parallel' (or critical, single, task, ...) whose block is this loop:
            # a pragma put between them would change what the directive applies to
            d = loop.pragma.directive
            why = (f"inside the '#pragma omp {d}' region whose block is this loop" if (d.split() or [""])[0] in ("parallel", "teams", "target")
                   else f"the loop is the block of '#pragma omp {d}'")
            covered[loop.id] = why
            cover_descendants(loop, why)
        if loop.id in covered or loop.in_region:
            why = covered.get(loop.id, "inside an existing '#pragma omp parallel' region")
            reasons = (Reason("NESTED-INSIDE-PARALLEL", f"not parallelized: {why}", loop.loc.line, loop.loc.column),)
            out[loop.id] = LoopAdvice(loop, lg, lg.parallel, None, lg.clauses if lg.parallel else Clauses(),
                                      0.9, "analysis", reasons + (lg.blockers if not lg.parallel else ()))
            continue
        if not lg.parallel:
            guess = gate.undecided(loop, lg) if gate is not None else None
            if guess is not None:
                out[loop.id] = guess
                cover_descendants(loop, f"the enclosing loop at {loop.loc} gets the model's pragma")
                continue
            out[loop.id] = LoopAdvice(loop, lg, False, None, Clauses(), _confidence_not(lg), "analysis", _dedupe(lg.blockers))
            continue
        if _repeats_work(tu, loop):
            out[loop.id] = LoopAdvice(loop, lg, True, None, lg.clauses, 0.9, "analysis", (
                Reason("REPEATED-WORK", f"not parallelized: '{loop.var}' is not used in the loop's body, so every "
                       "iteration repeats the same work (a benchmark's repetition loop): the loops inside get the "
                       "pragma instead", loop.loc.line, loop.loc.column),))
            continue
        serial = enclosing_loops(tu, loop)
        out_slicing, outside, site = call_depth.get(loop.function, (0, 0, None))
        slicing = sum(1 for l in serial if _slices_work(l, defined)) if len(serial) + outside >= SERIAL_DEPTH else 0
        if _too_deep(slicing + out_slicing, len(serial) + outside) and _height(tu, legal, loop) < FULL_NEST:
            parts = []
            if serial:
                where = ", ".join(str(l.loc) for l in serial)
                parts.append(f"nested in {len(serial)} serial loop{'s' if len(serial) > 1 else ''} (at {where})")
            if outside:
                parts.append(f"'{loop.function}' is called inside {outside} serial loop{'s' if outside > 1 else ''} ({site})")
            what = "; ".join(parts)
            if gate is None or not gate.overrules(loop):
                out[loop.id] = LoopAdvice(loop, lg, True, None, lg.clauses, 0.9, "analysis", (
                    Reason("NESTED-IN-SERIAL", f"not parallelized: {what}; "
                           "a parallel region would start once per iteration of them", loop.loc.line, loop.loc.column),))
                continue
        clauses, collapse, work = _collapse(tu, legal, lg)
        if work is not None and work < SMALL_TRIP and (gate is None or not gate.overrules(loop)):
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("TRIP-SMALL", f"not parallelized: only {work} iteration{'s' if work != 1 else ''}", loop.loc.line, loop.loc.column),))
            continue
        if work is None and lg.trip_bound is not None and lg.trip_bound < SMALL_TRIP and \
                (gate is None or not gate.overrules(loop)):
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("TRIP-SMALL", f"not parallelized: at most {lg.trip_bound} iteration"
                       f"{'s' if lg.trip_bound != 1 else ''}, since each one indexes {lg.bound_by}",
                       loop.loc.line, loop.loc.column),))
            continue
        halo = halo_width(tu, loop, az.constants, SMALL_TRIP) if work is None and collapse == 1 else None
        if halo is not None and all(legal[c].parallel for c in loop.children) and (gate is None or not gate.overrules(loop)):
            # (only where the loops inside can take the pragma: else the outer loop keeps it)
            width, inner = halo
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("TRIP-SMALL", f"not parallelized: its trip count '{width}' is the width of a halo that pads "
                       f"the range of the loop at {inner.loc} on both sides, so it is small next to that range: "
                       "the loop inside gets the pragma", loop.loc.line, loop.loc.column),))
            continue
        if collapse > 1:
            clauses = replace(clauses, collapse=collapse)
        if lg.irregular:
            # data-dependent bounds (CSR rows): mostly short iterations, where dynamic's
            # one-iteration chunks cost more than the imbalance they fix
            clauses = replace(clauses, schedule="guided")
        elif lg.triangular:
            # iterations of steadily varying size; with lastprivate, clang-14's libomp sometimes
            # skips the copy-out under schedule(dynamic) (20-50 % of runs, measured), never under guided
            clauses = replace(clauses, schedule="guided" if clauses.lastprivate else "dynamic")
        nested = _closely_nested(loop.body)
        if nested is not None:
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("PLACEMENT", f"not parallelized: the body holds '#pragma omp {nested[1]}' (at {nested[0]}), "
                       "which may not be nested in a work-sharing loop", loop.loc.line, loop.loc.column),))
            continue
        guarded = _directive_left_out(tu, loop)
        if guarded is not None:
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("PLACEMENT", f"not parallelized: '#pragma {guarded[1]}' at line {guarded[0]}, in an #if branch "
                       "this configuration leaves out, is this loop's in another build (a second would not "
                       "compile there)", loop.loc.line, loop.loc.column),))
            continue
        fn = az.loop_function.get(loop.id)
        named = {*clauses.private, *clauses.lastprivate, *(v for r in clauses.reduction for v in r.vars),
                 *(v for v, _ in clauses.linear)}
        bad = sorted(n for n in named if fn is not None and n.split("[")[0] in fn.unnameable)
        if bad:
            out[loop.id] = LoopAdvice(loop, lg, True, None, clauses, 0.9, "analysis", (
                Reason("PLACEMENT", f"not parallelized: the clause would name '{bad[0]}', which is declared under "
                       "#if/#ifdef or is a structured binding (the pragma might not compile)", loop.loc.line, loop.loc.column),))
            continue
        if gate is not None and not gate.likely(loop):
            out[loop.id] = gate.unlikely(loop, lg, clauses)
            continue
        pragma = render_pragma("parallel for", clauses)
        conf = 0.7 if lg.assumptions else 0.99
        assumption = ""
        if lg.assumptions:
            assumption = " (" + lg.assumptions[0].message + ")"
        reasons = (Reason("OMP-PARALLEL", f"parallelizable{assumption}: {pragma}", loop.loc.line, loop.loc.column),) + lg.assumptions
        out[loop.id] = LoopAdvice(loop, lg, True, pragma, clauses, conf, "analysis", reasons)
        cover_descendants(loop, f"the enclosing loop at {loop.loc} is parallelized")
    only = _parallel_only_functions(tu, out)
    for loop in tu.loops if only else ():  # (one pass over the loops, not one per function)
        fname = loop.function
        if fname in only:
            where = only[fname]
            a = out[loop.id]
            if a.pragma is not None:
                why = f"'{fname}' is only called from parallel code ({where})"
                out[loop.id] = replace(a, pragma=None, confidence=0.9, reasons=(
                    Reason("NESTED-INSIDE-PARALLEL", f"not parallelized: {why}", loop.loc.line, loop.loc.column),))
    return [out[l.id] for l in tu.loops]


@dataclass(frozen=True)
class _Known:
    functions: frozenset[str]  # the functions whose bodies the program shows
    work_units: frozenset[str]  # members holding arrays of objects ('chunk.tiles')
    bodies: dict = field(default_factory=dict, compare=False, hash=False)  # name -> ir.Function
    few: Callable[[ir.Loop], bool] = field(default=lambda loop: False, compare=False, hash=False)  # _few_trips

    def param_use(self, callee: str, k: int) -> str:
        """How ``callee`` uses its parameter ``k``: 'unit' (only to pick one of a list of work
        units), 'flag' (only tested: 'if (pre)'), 'value' (a floating-point number), 'none' (not
        at all), 'data' (anything else: a subscript, an address 'u + k*nx', a loop's bound), or
        'unknown' (no body). Only 'data' and 'unknown' make the work of a call a slice."""
        f = self.bodies.get(callee)
        if f is None or k >= len(f.params):
            return "unknown"
        prm = f.params[k]
        if not prm.pointer and not prm.array and re.search(r"\b(double|float)\b", prm.type):
            return "value"  # (a floating-point value indexes nothing)
        p = prm.name
        uses = [e for e in all_exprs(f.body) if type(e) is ir.Name and e.id == p]
        if not uses:
            return "none"
        units = {id(x) for e in all_exprs(f.body) if type(e) is ir.Index and type(e.base) is ir.Member
                 and e.base.field in self.work_units for x in exprs(e.index)}
        if all(id(u) in units for u in uses):
            return "unit"
        tests = {id(x) for st in all_stmts(f.body) if type(st) is ir.If for x in exprs(st.cond)} | \
            {id(x) for e in all_exprs(f.body) if type(e) is ir.Cond for x in exprs(e.cond)}
        return "flag" if all(id(u) in tests for u in uses) else "data"


def _defined(tu: ir.TranslationUnit, az: Analyzer, legal: dict[int, Legality]) -> _Known:
    program = az.program
    functions = frozenset(f.name for u in (tu, program) if u is not None for f in u.functions)
    units = frozenset(n for n, v in tu.fields.items() if (v.array or v.pointer or "<" in v.type)
                      and any(w in tu.records for w in re.findall(r"[A-Za-z_]\w*", v.type)))
    bodies = {f.name: f for u in (program, tu) if u is not None for f in u.functions}
    elsewhere = program.__dict__.get("_few_trips", ()) if program is not None else ()
    mine: dict[int, bool] = {}

    def few(loop: ir.Loop) -> bool:  # (asked of the serial loops that decide NESTED-IN-SERIAL only)
        if loop.id < len(tu.loops) and tu.loops[loop.id] is loop:
            if loop.id not in mine:
                mine[loop.id] = _runs_few(az, loop, legal.get(loop.id))
            return mine[loop.id]
        return _loop_key(loop) in elsewhere
    return _Known(functions, units, bodies, few)


def _runs_few(az: Analyzer, loop: ir.Loop, lg: Legality | None = None) -> bool:
    """Does the loop run fewer than SMALL_TRIP times, by its bounds or the arrays it indexes?"""
    n = lg.trip_count if lg is not None and lg.trip_count is not None else az.at_most(loop)
    return n is not None and n < SMALL_TRIP


def _loop_key(loop: ir.Loop) -> tuple[str, int, int]:
    return loop.function, loop.loc.line, loop.loc.column


def _few_trips(tu: ir.TranslationUnit, az: Analyzer, functions: frozenset[str]) -> set[tuple[str, int, int]]:
    """The loops around calls of the program's functions that run fewer than SMALL_TRIP times
    (a tensor's modes, 'for (m = 0; m < nmodes; m++)' with 'dims[m]' of 'dims[MAX_NMODES]'): so
    few slices leave each region inside a large share of the data."""
    return {_loop_key(loop) for loop in tu.loops if loop.canonical is not None
            and any(type(e) is ir.Call and e.name in functions for e in all_exprs(loop.body)) and _runs_few(az, loop)}


def note_few_trips(program: ir.TranslationUnit, tu: ir.TranslationUnit, az: Analyzer) -> None:
    """Before the program's files are advised: the loops of ``tu`` that run only a few times
    (_few_trips), which the loops called inside them in other files are judged by."""
    functions = frozenset(f.name for f in program.functions)
    program.__dict__.setdefault("_few_trips", set()).update(_few_trips(tu, az, functions))


def _repeats_work(tu: ir.TranslationUnit, loop: ir.Loop) -> bool:
    """A loop around other loops whose variable its body never names: each iteration does
    the same work again ('for (r = 0; r < repeat; r++) { sum = 0; for (i ...) sum += a[i]; }')."""
    if not loop.children or loop.var is None:
        return False
    return all(loop.var not in names(e) for st in loop.body for e in _stmt_tree_exprs(st))


def _stmt_tree_exprs(st: ir.Stmt):
    for e in stmt_exprs(st):
        yield e
    for s in substmts(st):
        yield from _stmt_tree_exprs(s)


def _height(tu: ir.TranslationUnit, legal: dict[int, Legality], loop: ir.Loop) -> int:
    """Dimensions of the work of ``loop``: loops in the deepest chain from it down, itself
    included, not counting those with a small constant trip count (SP's 'for (m...5)')."""
    t = legal[loop.id].trip_count
    own = 0 if t is not None and t < SMALL_TRIP else 1
    return own + max((_height(tu, legal, tu.loops[c]) for c in loop.children), default=0)


def _too_deep(slicing: int, serial: int) -> bool:
    """Would a region per entry cost more than it gains? Inside SERIAL_DEPTH serial loops
    of which at least one slices the work, each region gets a slice of the data and they
    are started (time steps x slices) times (LU's per-plane loops); loops that only repeat
    the whole computation (CG's solver iterations) leave each region all of the work."""
    return slicing > 0 and serial >= SERIAL_DEPTH


def _slices_work(loop: ir.Loop, defined: _Known) -> bool:
    """Does each iteration of this serial loop work on a slice of the data (its variable
    reaches a subscript, or an argument of one of the program's functions: LU's plane loop
    'for (k...) jacld(k)'), rather than repeat the whole computation (a time-step or
    solver-iteration loop: CG's 'for (cgit...)')? Only slicing loops make the work of each
    parallel region inside them smaller; a region per time step is ordinary OpenMP practice.
    A loop that changes no variable is taken to slice; one of a few iterations (_few_trips) is not."""
    if defined.few(loop):
        return False
    c = loop.canonical
    # (a counter with a compound condition, HPCG's 'k <= max_iter && normr > tol', is a counter still)
    counters = {c.var} if c is not None else _changed(loop.body) | _changed(
        (ir.ExprStmt(loop.loc, loop.update),) if loop.update is not None else ())
    return _reaches_work(counters, loop.body, defined) if counters else True


def _while_slices(st: ir.While, defined: _Known) -> bool:
    """A 'while' loop slices the work when a variable it changes reaches a subscript or an
    argument of the program's functions (a pointer walk, a queue of blocks); a time loop
    ('while (t < t_end)') that repeats the whole computation does not."""
    return _reaches_work(_changed(st.body), st.body, defined)


def _reaches_work(counters: set[str], body: tuple[ir.Stmt, ...], defined: _Known) -> bool:
    """Do the loop's ``counters`` reach a subscript, or an argument that one of the program's
    functions uses for its data (param_use)? Not a flag ('cg(A, x, k == 1)' with 'bool pre')."""
    for e in all_exprs(body):
        t = type(e)
        if t is ir.Index and names(e.index) & counters:
            if type(e.base) is ir.Member and e.base.field in defined.work_units:
                continue  # one object of a list of work units (CloverLeaf's tiles): how many is not known
            return True
        if t is ir.Call and e.name in defined.functions and any(
                names(a) & counters and defined.param_use(e.name, k) in ("data", "unknown") for k, a in enumerate(e.args)):
            return True
    return False


def _changed(stmts) -> set[str]:
    """The variables these statements assign or step ('k++', 'p = p->next'), not in inner loops."""
    changed = set()
    todo = list(stmts)
    while todo:
        s = todo.pop()
        if isinstance(s, (ir.ForStmt, ir.While)):
            continue
        for e in stmt_exprs(s):
            for x in exprs(e):
                if (type(x) is ir.Assign or type(x) is ir.IncDec) and type(x.target) is ir.Name:
                    changed.add(x.target.id)
        todo.extend(substmts(s))
    return changed


def _calls_in_loops(stmts, defined: _Known, slicing: int = 0, depth: int = 0):
    """(call, loops around it that slice the work, all loops around it) for every call."""
    for st in stmts:
        inner_s, inner = slicing, depth
        if isinstance(st, (ir.ForStmt, ir.While)):
            inner += 1
            inner_s += _while_slices(st, defined) if isinstance(st, ir.While) else _slices_work(st.loop, defined)
        for e in stmt_exprs(st):
            for x in exprs(e):
                if type(x) is ir.Call and x.name:
                    yield x, slicing, depth  # (a loop's own header is counted outside it)
        yield from _calls_in_loops(substmts(st), defined, inner_s, inner)


def _program_calls(program: ir.TranslationUnit, defined: _Known) -> list[tuple[str, str, int, int, ir.Loc]]:
    """(caller, callee, slicing loops, loops, where) of every call in the program's functions,
    found once per program (every file of a large project asks for them)."""
    cached = program.__dict__.get("_calls_in_loops")
    if cached is None:
        cached = [(f.name, call.name, ns, n, call.loc) for f in program.functions
                  for call, ns, n in _calls_in_loops(f.body, defined)]
        program.__dict__["_calls_in_loops"] = cached
    return cached


def _program_sites(program: ir.TranslationUnit, defined: _Known) -> dict[str, list[tuple[str, int, int, str]]]:
    """callee -> (caller, slicing loops, loops, where) of the program's calls, once per program."""
    cached = program.__dict__.get("_sites_by_callee")
    if cached is None:
        cached = {}
        for caller, callee, ns, n, loc in _program_calls(program, defined):
            if callee != caller:
                where = f"{os.path.basename(program.origins.get(caller, '?'))}:{loc}"
                cached.setdefault(callee, []).append((caller, ns, n, where))
        program.__dict__["_sites_by_callee"] = cached
    return cached


def _call_depths(tu: ir.TranslationUnit, legal: dict[int, Legality],
                 program: ir.TranslationUnit | None = None,
                 defined: _Known = _Known(frozenset(), frozenset())) -> dict[str, tuple[int, int, str]]:
    """For each function of the file called only from inside serial loops: how many serial
    loops surround its cheapest call (counting the callers' own call depths, through the
    program's other files too), how many of them slice the work (_slices_work), and where.

    A loop in 'jacld', called once per iteration of the time-step and plane loops of
    'ssor', would open a parallel region per call; what counts is the loops around the
    call as much as those in its own function. Functions never called here are entry
    points (depth 0)."""
    if len(tu.functions) < 2 and program is None:
        return {}
    loops_of: dict[str, list[ir.Loop]] = {}
    for l in tu.loops:
        loops_of.setdefault(l.function, []).append(l)
    local = {f.name for f in tu.functions}
    elsewhere = {f.name for f in program.functions} - local if program is not None else set()
    sites: dict[str, list[tuple[str, int, int, object]]] = {}  # callee -> [(caller, slicing, all, where)]
    for f in tu.functions:
        for e in all_exprs(f.body):
            if type(e) is ir.Call and (e.name in local or e.name in elsewhere) and e.name != f.name:
                around = [l for l in loops_of.get(f.name, ()) if l.contains(e.loc)]
                if any(legal[l.id].parallel or l.in_region or l.pragma is not None for l in around):
                    around = []  # runs in parallel code (see _parallel_only_functions): no regions here
                ns = sum(1 for l in around if _slices_work(l, defined))
                sites.setdefault(e.name, []).append((f.name, ns, len(around), e.loc))
    if program is not None:
        # calls among the program's other files and into this one, so that chains such as
        # main's time-step loop -> adi() -> x_solve() count: every loop around them counts
        # (one that runs in parallel would make a region here nested, which is no better).
        # Only the callers this file's functions are reached from matter: walked back from them.
        by_callee = _program_sites(program, defined)
        reachable = {f.name for f in tu.functions if not f.static} | elsewhere
        todo, seen = list(local), set()
        while todo:
            callee = todo.pop()
            if callee in seen:
                continue
            seen.add(callee)
            theirs = [x for x in by_callee.get(callee, ()) if x[0] not in local] if callee in reachable else []
            if theirs:  # (a static function here of the same name is not the one defined there)
                sites.setdefault(callee, []).extend(theirs)
            todo.extend(x[0] for x in theirs)
            todo.extend(x[0] for x in sites.get(callee, ()) if x[0] not in seen)

    def cost(d):  # the hotter call: one that makes its loops too deep, then more loops
        return (_too_deep(d[0], d[1]), d[1], d[0])

    depth: dict[str, tuple[int, int, str]] = {}
    for _ in range(len(local) + len(elsewhere) + 1):  # longest call chain without cycles
        changed = False
        for callee, calls in sites.items():
            best = None
            for caller, ns, n, loc in calls:
                if caller in sites and caller not in depth:
                    best = None  # the caller's own depth is not known yet
                    break
                cs, c, _ = depth.get(caller, (0, 0, ""))
                d = (ns + cs, n + c, f"at {loc} in '{caller}'")
                if best is None or cost(d) > cost(best):
                    best = d
            # (a depth of 0 is final: it marks the callee as resolved for its own callees)
            if best is not None and depth.get(callee) != best and (best[1] > 0 or callee not in depth):
                depth[callee] = best
                changed = True
        if not changed:
            break
    return {f: d for f, d in depth.items() if d[1] > 0 and f in local}


def _parallel_only_functions(tu: ir.TranslationUnit, out: dict[int, LoopAdvice]) -> dict[str, str]:
    """Functions of this file whose every call runs inside parallel code: a loop that gets
    or has a pragma, an OpenMP parallel region, or another such function. A pragma inside
    them would nest parallel regions (or open one per call from a hot loop)."""
    if len(tu.functions) < 2:
        return {}  # a function only called from itself is never called from elsewhere
    sites: dict[str, list[tuple[str, str | None]]] = {}  # callee -> [(caller, parallel context)]
    loops_of: dict[str, list[ir.Loop]] = {}
    for l in tu.loops:
        loops_of.setdefault(l.function, []).append(l)

    def context(fn: str, loc: ir.Loc, in_region: bool) -> str | None:
        if in_region:
            return f"a parallel region in '{fn}'"
        for l in loops_of.get(fn, ()):
            a = out[l.id]
            if (a.pragma is not None or a.code == "OMP-EXISTING") and l.contains(loc):
                return f"the loop at {l.loc}"
        return None

    def visit(fn: str, stmts, in_region: bool):
        for st in stmts:
            inner = in_region or isinstance(st, ir.Region)
            for e in stmt_exprs(st):
                for x in exprs(e):
                    if isinstance(x, ir.Call) and x.name:
                        sites.setdefault(x.name, []).append((fn, context(fn, x.loc, inner)))
            visit(fn, substmts(st), inner)

    for f in tu.functions:
        visit(f.name, f.body, False)
    visit = None  # type: ignore[assignment]  # the recursive closure is a cycle: free it now
    defined = {f.name for f in tu.functions}
    found: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for callee, calls in sites.items():
            if callee in found or callee not in defined or callee == "main":
                continue
            if all(ctx is not None or caller in found for caller, ctx in calls if caller != callee) and \
                    any(caller != callee for caller, _ in calls):
                via = next(c for c, _ in calls if c != callee)
                found[callee] = next((ctx for _, ctx in calls if ctx), None) or \
                    f"through '{via}', {found[via]}"
                changed = True
    return found


def _collapse(tu: ir.TranslationUnit, legal: dict[int, Legality], lg: Legality) -> tuple[Clauses, int, int | None]:
    """Collapse a perfect rectangular nest while the iterations collapsed so far are few.

    Returns (clauses, collapse depth, iterations of the collapsed space or None if unknown).
    """
    clauses, depth, work = lg.clauses, 1, lg.trip_count
    ivs = {tu.loops[lg.loop_id].canonical.var}
    cur = lg
    while work is not None and work < COLLAPSE_BELOW and cur.perfect_child is not None:
        child = legal[cur.perfect_child]
        cl = tu.loops[child.loop_id]
        bounds = set()
        for e in (cl.canonical.lower, cl.canonical.upper):
            if e is not None:
                bounds |= names(e)
        live = set(clauses.lastprivate) | set(child.clauses.lastprivate)
        if not child.parallel or cl.pragma is not None or bounds & ivs or child.trip_count == 0 \
                or (ivs | {cl.canonical.var}) & live:
            break  # (a loop variable used after the nest keeps its lastprivate: no collapse)
        ivs.add(cl.canonical.var)
        clauses = _merge(clauses, child.clauses, drop=ivs)
        depth += 1
        work = work * child.trip_count if child.trip_count is not None else None
        cur = child
        if work is None:
            break
    if depth > 1:
        clauses = _merge(clauses, Clauses(), drop=ivs)
    return clauses, depth, work


_NOT_IN_WORKSHARING = frozenset(("barrier", "single", "master", "masked", "ordered"))


def _closely_nested(stmts) -> tuple[ir.Loc, str] | None:
    """A directive in these statements that may not be closely nested in a work-sharing loop (a
    barrier, single, master, ordered, or another work-sharing construct), outside parallel regions
    nested in them: where, and which."""
    for st in stmts:
        t = type(st)
        if t is ir.Sync and st.kind in _NOT_IN_WORKSHARING:
            return st.loc, st.kind
        if t is ir.Region and not st.directive.startswith("parallel"):
            return st.loc, st.directive  # ('sections')
        if t is ir.ForStmt and st.loop.pragma is not None:
            d = st.loop.pragma.directive
            if (d.split() or [""])[0] in ("for", "sections", "workshare", "single"):
                return st.loop.loc, d
        if t is not ir.Region:
            found = _closely_nested(substmts(st))
            if found is not None:
                return found
    return None


_DIRECTIVE_LINE = re.compile(r"^\s*#\s*(pragma\s+(omp\b.*)|\w+.*)$")


def _directive_left_out(tu: ir.TranslationUnit, loop: ir.Loop) -> tuple[int, str] | None:
    """A '#pragma omp' in the lines right above the loop (only directives, blank lines and comments
    between), where the configuration analyzed left it out: '#ifdef USE_OMP' around a loop's pragma."""
    inactive = getattr(tu, "inactive_lines", ())
    if not inactive:
        return None
    lines = tu.__dict__.get("_lines")
    if lines is None:  # (split once per file, not once per loop)
        lines = tu.__dict__["_lines"] = tu.source.split(b"\n")
    n = loop.loc.line - 2
    while n >= 0 and loop.loc.line - n < 40:
        text = lines[n].decode("utf-8", "replace").strip()
        if text and not text.startswith(("//", "/*", "*")):
            m = _DIRECTIVE_LINE.match(text)
            if m is None:
                return None
            if m.group(2) and any(a <= n + 1 <= b for a, b in inactive):
                return n + 1, m.group(2).strip()
        n -= 1
    return None


def _is_loop_directive(directive: str) -> bool:
    words = directive.split()
    return any(w in words for w in ("for", "simd", "loop", "distribute", "taskloop"))


def _merge(a: Clauses, b: Clauses, drop: set[str]) -> Clauses:
    def u(x, y):
        return tuple(dict.fromkeys([v for v in x + y if v not in drop]))
    reds = {}
    for r in a.reduction + b.reduction:
        reds.setdefault(r.op, []).extend(v for v in r.vars if v not in reds.get(r.op, []))
    return replace(a, private=u(a.private, b.private), lastprivate=u(a.lastprivate, b.lastprivate),
                   reduction=tuple(Reduction(op, tuple(vs)) for op, vs in reds.items()))


def _dedupe(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    seen = set()
    out = []
    for r in reasons:
        if r.message not in seen:
            seen.add(r.message)
            out.append(r)
    return tuple(out)


def _confidence_not(lg: Legality) -> float:
    proven = {"DEP-CARRIED", "SCALAR-CARRIED", "IO", "EXIT-EARLY", "NONCANONICAL", "IV-MODIFIED"}
    if any(r.code in proven and not unsettled(r) for r in lg.blockers):
        return 0.95
    return 0.6
