"""Loops stepped by a loop-invariant amount ('ii += bs', 'i += s'): OpenMP's canonical form takes
them. The dependence test takes every value in the bounds as an iteration (a superset, sound for
independence) with two iterations at least a step apart, which proves tiles apart; it proves no
dependence and no coverage over such a superset."""
from tests.conftest import loops_of


def _codes(loop):
    return [r.code for r in loop.reasons]


def _first(code, lang="c"):
    return loops_of(code, lang)[0]


def test_tiles_of_a_symbolic_size_are_apart():
    a = _first("""
void mm(int N, int Nb, float *restrict A, float *restrict B, float *restrict C) {
  for (int ii = 0; ii < N; ii += Nb)
    for (int i = ii; i < (ii + Nb < N ? ii + Nb : N); i++)
      for (int j = 0; j < N; j++)
        C[i*N+j] += A[i*N+j] * B[j];
}
""")
    assert a.pragma is not None, a.reasons
    assert a.loop.canonical.step is None and a.loop.canonical.step_expr.text == "Nb"


def test_a_constant_step_held_in_a_const_local_is_that_constant():
    a = _first("""
void g(int n, double *a) {
  const int s = 4;
  for (int i = 0; i < n; i += s)
    a[i + 2] = a[i];
}
""")
    # 4 apart: a[i+2] never meets a[i'] for i, i' multiples of 4
    assert a.parallelizable, a.reasons


def test_a_dependence_that_depends_on_the_step_is_not_a_proof():
    a = _first("""
void f(int n, int s, double *a) {
  for (int i = 0; i < n; i += s)
    a[i + 1] = a[i];
}
""")
    assert not a.parallelizable
    dep = next(r for r in a.reasons if r.code == "DEP-CARRIED")
    assert dep.evidence.get("definite") is False
    assert "s >= 2" in dep.message


def test_a_dependence_on_one_element_stays_a_proof():
    a = _first("""
void f(int n, int s, double *a, double *b) {
  for (int i = 0; i < n; i += s) {
    b[i] = a[0];
    a[0] = b[i] * 2;
  }
}
""")
    assert not a.parallelizable
    dep = next(r for r in a.reasons if r.code == "DEP-CARRIED")
    assert dep.evidence.get("definite") is not False


def test_writes_under_a_symbolic_step_do_not_cover_the_reads():
    # with s = 2, tmp[1] keeps the previous iteration's value: tmp is not private
    a = _first("""
void k(int n, int s, double *a) {
  double tmp[10];
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < 10; j += s) tmp[j] = i;
    for (int j = 0; j < 10; j++) a[i*10+j] = tmp[j];
  }
}
""")
    assert not a.parallelizable
    assert "tmp" not in a.legality.clauses.private


def test_descending_symbolic_step():
    a = _first("""
void h(int n, int s, double *a) {
  for (int i = n - 1; i >= 0; i -= s)
    a[i] = 0;
}
""")
    assert a.pragma is not None, a.reasons
    assert a.loop.canonical.descending


def test_unsigned_variable_states_the_step_condition():
    a = _first("""
#include <stddef.h>
void g(size_t n, size_t s, double *a) {
  for (size_t i = 0; i < n; i += s)
    a[i] = 0;
}
""")
    assert a.pragma is not None
    step = next(r for r in a.reasons if r.code == "STEP-ASSUMED")
    assert step.evidence["condition"] == "s > 0 without wrap-around"
    assert a.confidence < 0.9


def test_signed_variable_needs_no_condition():
    a = _first("""
void g(int n, int s, double *a) {
  for (int i = 0; i < n; i += s)
    a[i] = 0;
}
""")
    assert a.pragma is not None and "STEP-ASSUMED" not in _codes(a)


def test_step_written_in_the_body():
    a = _first("""
void q(int n, int s, double *a) {
  for (int i = 0; i < n; i += s) { a[i] = 0; s++; }
}
""")
    assert not a.parallelizable and "IV-MODIFIED" in _codes(a)


def test_floating_step_is_not_canonical():
    a = _first("""
void m(int n, double h, double *a) {
  for (int i = 0; i < n; i += h) a[i] = 0;
}
""")
    assert not a.parallelizable and "NONCANONICAL" in _codes(a)


def test_step_that_reads_memory_or_calls_is_not_canonical():
    for header in ("i += p[0]", "i += step()", "i += s++"):
        a = _first(f"""
int step(void);
void m(int n, int s, int *p, double *a) {{
  for (int i = 0; i < n; {header}) a[i] = 0;
}}
""")
        assert a.loop.canonical is None, header


def test_step_away_from_the_bound_is_not_canonical():
    a = _first("""
void m(int n, int s, double *a) {
  for (int i = n; i > 0; i += s) a[i] = 0;
}
""")
    assert a.loop.canonical is None
