"""Clause lists a compiler rejects (frontend/pragma_check.py)."""
import pytest

from ompwise.frontend.pragma_check import clause_problems, declared_reductions


def problems(clauses, declared=frozenset()):
    return [(p.offset, p.name, p.message) for p in clause_problems(clauses, declared)]


@pytest.mark.parametrize("clauses", [
    "", "private(t) reduction(+:s) nowait", "private(a), shared(b)", "schedule(static, 4) collapse(2)",
    "depend(in: a[0:n]) if(task: f(n) > 2)", "reduction(inscan, +: x)", "reduction(max: m) reduction(&&: ok)",
    "map(tofrom: a[0:n]) num_teams(g(4))", "ompx_bare", "reduction(+: sum[0:5])",
])
def test_valid_clause_lists(clauses):
    assert problems(clauses) == []


def test_unbalanced_parentheses():
    assert problems("private(") == [(0, "private", "unbalanced parentheses: 'private(' is not closed")]
    assert problems("private(t))")[0][:2] == (10, ")")
    assert "closes nothing" in problems("private(t))")[0][2]
    assert problems("shared(a) private((t)")[0][:2] == (10, "private")


def test_unknown_reduction_operator():
    (p,) = problems("reduction(**:t)")
    assert p[1] == "reduction" and "unknown reduction operator '**'" in p[2]
    assert "unknown reduction operator 'merge'" in problems("reduction(merge: v)")[0][2]
    assert problems("reduction(merge: v)", {"merge"}) == []
    assert problems("in_reduction(::ns::merge: v)", {"merge"}) == []
    assert "names no operator" in problems("reduction(t)")[0][2]


def test_empty_clause_lists():
    assert problems("private()") == [(0, "private", "empty clause 'private()'")]
    assert problems("nowait firstprivate( )")[0][:2] == (7, "firstprivate")
    assert "empty list" in problems("reduction(+: )")[0][2]


def test_unknown_clause_names():
    (p,) = problems("private(t) PRIV")
    assert p[:2] == (11, "PRIV") and "neither an OpenMP clause nor a macro" in p[2]
    assert [x[1] for x in problems("privat(t) shared(a) sheduled")] == ["privat", "sheduled"]


def test_declared_reductions():
    text = "#pragma omp declare reduction(merge : std::vector<int> : omp_out.insert(omp_in))\n" \
           "#  pragma  omp declare reduction (maxloc: struct P : omp_out = f(omp_out, omp_in))\n"
    assert declared_reductions(text) == {"merge", "maxloc"}
