"""What is wrong with the clause text of an OpenMP pragma: unbalanced parentheses, unknown
clause names, empty clause lists, reduction operators no compiler accepts.

The text is read as the compiler reads it, after macro expansion (frontend/pragma_macros.py):
a name still unknown then is neither a clause nor a macro.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# OpenMP 5.2 clause names (and the words some directives take as clauses: 'atomic read', 'ordered threads')
CLAUSES = frozenset("""
absent acq_rel acquire adjust_args affinity align aligned allocate allocator append_args at
atomic_default_mem_order bind capture collapse combiner compare contains copyin copyprivate default
defaultmap depend destroy detach device device_type dist_schedule doacross dynamic_allocators enter
exclusive fail filter final firstprivate from full grainsize has_device_addr hint holds if in_reduction
inbranch inclusive indirect init initializer interop is_device_ptr lastprivate linear link local map match
mergeable message nocontext nogroup no_openmp no_openmp_routines no_parallelism nontemporal notinbranch
novariants nowait num_tasks num_teams num_threads order ordered otherwise partial priority private
proc_bind read reduction relaxed release reverse_offload safelen schedule severity seq_cst shared simd simdlen sizes
task_reduction thread_limit threads to unified_address unified_shared_memory uniform untied update use
use_device_addr use_device_ptr uses_allocators weak when write
""".split())
REDUCTION_OPS = frozenset(["+", "-", "*", "&", "|", "^", "&&", "||", "max", "min"])
_REDUCTIONS = ("reduction", "in_reduction", "task_reduction")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_DECLARED_OP = re.compile(r"#\s*pragma\s+omp\s+declare\s+reduction\s*\(\s*([^\s:(]+?)\s*:")


@dataclass(frozen=True)
class Problem:
    offset: int  # where in the clause text it starts
    name: str  # the clause (or the token) at fault
    message: str


def declared_reductions(text: str) -> set[str]:
    """User-defined reduction identifiers ('#pragma omp declare reduction(merge : ...)')."""
    return set(_DECLARED_OP.findall(text))


def _matching(text: str, i: int) -> int | None:
    """Index of the ')' closing the '(' at ``i``."""
    depth = 0
    for k in range(i, len(text)):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return None


def clause_problems(clauses: str, declared: set[str] = frozenset()) -> list[Problem]:
    """Problems of a clause list such as ``'private(t) reduction(+:s)'``; stops at the first
    parenthesis that does not balance (what follows it cannot be read as clauses)."""
    out: list[Problem] = []
    i, n = 0, len(clauses)
    while i < n:
        ch = clauses[i]
        if ch.isspace() or ch == ",":
            i += 1
            continue
        m = _IDENT.match(clauses, i)
        if m is None:
            what = "unbalanced parentheses: ')' closes nothing" if ch == ")" else f"unexpected '{ch}' in the clause list"
            out.append(Problem(i, ch, what))
            return out
        name, j = m.group(0), m.end()
        while j < n and clauses[j] in " \t":
            j += 1
        arg = None
        if j < n and clauses[j] == "(":
            close = _matching(clauses, j)
            if close is None:
                out.append(Problem(i, name, f"unbalanced parentheses: '{clauses[i:].strip()}' is not closed"))
                return out
            arg, j = clauses[j + 1:close], close + 1
        if name not in CLAUSES and not name.startswith("ompx_"):
            out.append(Problem(i, name, f"unknown clause '{name}': neither an OpenMP clause nor a macro "
                                        "defined in the file, its local headers or -D"))
        elif arg is not None and not arg.strip():
            out.append(Problem(i, name, f"empty clause '{name}()'"))
        elif name in _REDUCTIONS and arg is not None:
            out.extend(_reduction(i, name, arg, declared))
        i = j
    return out


def _reduction(at: int, name: str, arg: str, declared: set[str]) -> list[Problem]:
    cut = _operator_colon(arg)
    if cut is None:
        return [Problem(at, name, f"'{name}({arg.strip()})' names no operator ('{name}(op: list)')")]
    op = arg[:cut].split(",")[-1].strip()  # after modifiers: 'reduction(inscan, +: x)'
    if not arg[cut + 1:].strip():
        return [Problem(at, name, f"empty list in '{name}({arg.strip()})'")]
    if op in REDUCTION_OPS or op in declared or op.split("::")[-1] in declared:
        return []
    return [Problem(at, name, f"unknown reduction operator '{op}' in '{name}({arg.strip()})' (not one of "
                              f"{' '.join(sorted(REDUCTION_OPS))}, nor declared with 'declare reduction')")]


def _operator_colon(arg: str) -> int | None:
    """The ':' between the operator and the list: outside brackets, not part of C++ '::'."""
    depth = 0
    for k, ch in enumerate(arg):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == ":" and depth == 0 and arg[k + 1:k + 2] != ":" and arg[k - 1:k] != ":":
            return k
    return None
