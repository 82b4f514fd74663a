"""The registry of reason codes: stable ids users can rely on and silence."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from .fastinit import fast_init


@dataclass(frozen=True)
class Code:
    id: str
    severity: str  # 'remark' (opportunity), 'note' (why not), 'warning' (assumption)
    title: str
    explanation: str


CODES: dict[str, Code] = {c.id: c for c in [
    Code("OMP-PARALLEL", "remark", "parallelizable",
         "Iterations are independent with the clauses given; the pragma is recommended."),
    Code("OMP-EXISTING", "note", "already has an OpenMP pragma",
         "The loop carries a pragma written by the developer; `ompwise races` checks it."),
    Code("NESTED-INSIDE-PARALLEL", "note", "inside a parallel loop",
         "An enclosing loop or region already runs in parallel; nested parallelism is not recommended."),
    Code("DEP-CARRIED", "note", "loop-carried dependence",
         "Two different iterations access the same array element and at least one writes it."),
    Code("DEP-UNKNOWN", "note", "dependence cannot be excluded",
         "A subscript is not affine in the loop variables, so the element accessed cannot be compared."),
    Code("INDIRECT-WRITE", "note", "write through an indirect subscript",
         "An element selected by another array (a[idx[i]]) is written; two iterations may hit the same element."),
    Code("SCALAR-CARRIED", "note", "scalar carried between iterations",
         "A scalar is read before it is written in an iteration, so it carries a value from the previous one."),
    Code("SCALAR-LIVEOUT", "note", "conditionally assigned scalar used after the loop",
         "lastprivate would give the value of the last iteration, which may not assign it."),
    Code("SHARED-WRITE", "note", "write to a shared member or object",
         "A struct member or object outside the loop is written in every iteration."),
    Code("CALL-UNKNOWN", "note", "call with unknown effects",
         "The callee's definition is not visible, so it may write shared memory."),
    Code("CALL-SIDE-EFFECT", "note", "call writes shared memory",
         "A function defined in this translation unit writes memory shared between iterations."),
    Code("GLOBAL-WRITE", "note", "write to a global variable",
         "A called function writes a global variable."),
    Code("MACRO-EFFECT", "note", "macro with effects",
         "An object-like macro used in the loop assigns, calls a function that is not known to be pure, "
         "or is written to; what it expands to is not analyzed."),
    Code("THREAD-LOCAL", "note", "thread-local variable used",
         "errno or a __thread/_Thread_local/thread_local variable is used in the loop: each thread would see "
         "its own copy, not the one the serial code uses."),
    Code("IO", "note", "input/output in the loop", "I/O order would change under parallel execution."),
    Code("CALL-RNG", "note", "random number generator with hidden state",
         "rand() and friends keep global state; results change and the calls race."),
    Code("ALLOC", "note", "memory allocation in the loop", "Allocation in the loop body is not parallelized."),
    Code("EXIT-EARLY", "note", "control leaves the loop early",
         "break, return, goto, throw or exit() in the body: OpenMP loops must run all iterations."),
    Code("NONCANONICAL", "note", "not in OpenMP canonical form",
         "The loop header is not `for (i = lb; i < ub; i += step)` with an integer variable."),
    Code("IV-MODIFIED", "note", "loop variable or bound changed in the body",
         "The trip count is not known when the loop starts."),
    Code("ALIAS-ASSUMED", "warning", "assumes pointers do not overlap",
         "The advice holds only if the named pointers do not point into the same storage."),
    Code("BOUNDS-ASSUMED", "warning", "assumes subscripts stay inside their rows",
         "A subscript of a multi-dimensional array is negative for some values of the loop bounds; "
         "the advice holds if it is not (reaching into another row is undefined behaviour in C)."),
    Code("MONOTONIC-ASSUMED", "warning", "assumes row offsets are non-decreasing",
         "Inner loops run from P[j] to P[j+1] (compressed sparse rows); the advice holds if P never "
         "decreases, so that different rows cover different ranges."),
    Code("STEP-ASSUMED", "warning", "assumes a symbolic step moves towards the bound",
         "The loop steps by a loop-invariant amount ('i += bs') and its variable is unsigned (or of a type "
         "not known to be signed): the advice holds if the step is positive and the variable does not wrap "
         "around, as OpenMP computes the trip count once from the step's sign."),
    Code("TRIP-ASSUMED", "warning", "assumes the loop runs at least once",
         "The loop variable is used after the loop and gets lastprivate: if the loop ran zero times, serial code "
         "would leave it at its initial value and OpenMP at its older one."),
    Code("ALIAS-UNKNOWN", "note", "pointers may overlap",
         "Two pointers used in the loop are assigned from one another, so they may name the same storage."),
    Code("REPEATED-WORK", "note", "the loop repeats the same work: its variable is unused in its body",
         "Parallelizing a repetition loop ('for (r = 0; r < repeat; r++)' around a kernel) is legal but "
         "pointless: every thread would do all the work. The pragma goes on the loops inside."),
    Code("TRIP-SMALL", "note", "small trip count",
         "Too few iterations to pay for starting threads: a small constant, or the width of a halo "
         "('k < depth' around 'j = x_min - depth ... x_max + depth'), which the loop inside spans many times over."),
    Code("NESTED-IN-SERIAL", "note", "deep inside serial loops",
         "The loop is legal, spans fewer than three loops of work, and is nested in two or more serial "
         "loops (in its function, or around the hottest call of its function in the program): a parallel region "
         "would be started once per iteration of them, which costs more than it gains; parallelize an "
         "outer loop (after restructuring) instead."),
    Code("PLACEMENT", "note", "pragma cannot be inserted cleanly",
         "The loop shares its line with other code or sits in a macro; a pragma line would change the code."),
    Code("VERIFY-MISMATCH", "note", "failed verification",
         "With this pragma the program's output differed from the serial run (or it crashed or hung)."),
    Code("VERIFY-RACE", "note", "race found by Archer", "With this pragma Archer (ThreadSanitizer) reported a data race."),
    Code("VERIFY-SLOWER", "note", "slower in parallel", "With this pragma the program ran slower than serial."),
    Code("MODEL-UNLIKELY", "note", "legal, but developers would not parallelize it",
         "The analysis proves the loop legal, but the learned model gives a low probability that a developer "
         "would parallelize it (setup, I/O-bound or tiny loops); the probability and the pragma are shown."),
    Code("MODEL-PARALLEL", "warning", "suggested by the learned model, not proven",
         "The analysis could not settle the loop (an unknown call, possible aliasing, an indirect subscript) and "
         "the learned model says a developer would parallelize it. The pragma holds only under the stated "
         "condition; `parallelize` writes it only after `--verify` proves it."),
    Code("PARSE-ERROR", "note", "syntax error inside the loop", "The loop is not analyzed."),
    Code("OPAQUE", "note", "statement not understood", "The body holds code (inline assembly, ...) that is not modelled."),
    Code("EMPTY-BODY", "note", "empty loop body", "Nothing to run in parallel."),
    Code("PRAGMA-INVALID", "warning", "malformed or impossible OpenMP pragma",
         "Reported by `ompwise races`: a '#pragma omp' line, read after macro expansion, has unbalanced "
         "parentheses, an unknown directive or clause (neither OpenMP nor a macro defined in the file, its local "
         "headers or -D), an empty clause list such as private(), an unknown reduction operator, or collapse(n) "
         "with fewer than n perfectly nested loops; compilers reject it or ignore part of it."),
]}


@fast_init
@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    line: int
    column: int
    evidence: dict = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict:
        d = {"code": self.code, "message": self.message, "line": self.line, "column": self.column}
        if self.evidence:
            d["evidence"] = self.evidence
        return d


# blockers the analysis reports when it could not decide (an effect or a subscript it cannot see
# through), rather than when it found a dependence: only loops blocked by these alone are left to
# the learned model and to an LLM, and their suggestions are written only once verified
UNSETTLED_CODES = frozenset({"CALL-UNKNOWN", "ALIAS-UNKNOWN", "DEP-UNKNOWN", "INDIRECT-WRITE", "MACRO-EFFECT", "OPAQUE"})


def unsettled(r: Reason) -> bool:
    """Is this blocker a "don't know" rather than a proof? Besides the codes above, a dependence
    the tests found only under a guard they cannot follow, with a loop variable left unbounded
    (``exact``), or only for some values of the names it involves (``definite``: ``a[i+k]`` with k
    unknown, or a product of names taken as unrelated values)."""
    if r.code == "DEP-CARRIED":
        return r.evidence.get("exact") is False or r.evidence.get("definite") is False
    return r.code in UNSETTLED_CODES


def all_unsettled(blockers) -> bool:
    """Blocked, and only by what the analysis could not settle: the loops the model and an LLM
    may decide (their pragmas are written only once verified)."""
    return bool(blockers) and all(unsettled(r) for r in blockers)

# the codes of 'ompwise races' findings (severity warning)
RACE_CODES = {
    "RACE-MISSING-PRIVATE": "a scalar written in every iteration is shared",
    "RACE-MISSING-REDUCTION": "a reduction variable is updated without a reduction clause",
    "RACE-SCALAR": "a shared scalar carries a value between iterations",
    "RACE-DEPENDENCE": "two iterations access the same array element, one of them writing",
    "RACE-SHARED-WRITE": "every iteration writes the same shared object",
    "RACE-NOWAIT": "a loop with nowait writes an array that is used before the next barrier",
    "RACE-SECTIONS": "two sections write (or one writes and one reads) the same shared variable",
    "RACE-MASTER": "a master block writes a shared variable that other threads read without a barrier",
    "RACE-TASK": "a task's access conflicts with its generating task's before a taskwait/taskgroup/barrier waits for it",
    "RACE-TASK-DEPEND": "two tasks access the same variable, one writing, and no task dependence orders them",
    "RACE-MERGEABLE": "a mergeable task writes a firstprivate variable (the generating task's when merged)",
    "RACE-CRITICAL-NAME": "a shared variable is used under critical sections with different names",
    "RACE-LOCK": "a shared variable is accessed with a lock in one place and without it in another",
    "RACE-ATOMIC": "a shared variable is accessed atomically and non-atomically by different threads",
    "RACE-FLAG": "data published through a flag whose atomic write/read lacks release/acquire ordering",
    "RACE-DISTRIBUTE": "distribute loops of one teams region share an array with different iteration-to-team maps",
    "RACE-ARCHER": "Archer (ThreadSanitizer) observed a data race",
}


def matches(code: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(code, p.strip()) for p in patterns if p.strip())


def unknown_patterns(patterns) -> list[str]:
    """The ids or globs that match no reason code (a typo would silence or gate nothing)."""
    known = list(CODES) + list(RACE_CODES)
    return [p.strip() for p in patterns if p.strip() and not any(fnmatch.fnmatchcase(k, p.strip()) for k in known)]
