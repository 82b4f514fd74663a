"""Updates the author already made atomic ('#pragma omp atomic' over 'x += e', GCC's
'__sync_fetch_and_add(&x, e);'): updates of one element by one operator, whose values are unused,
commute, so they carry no dependence; anything else that touches the element still does."""
import pytest

from tests.conftest import loops_of


def _first(code):
    a = loops_of(code)[0]
    return a.reasons[0].code, a.pragma


def test_a_histogram_of_atomic_builtins_is_parallel():
    code, pragma = _first("""
void hist(int n, const int *restrict idx, const int *restrict w, long *restrict h) {
  for (int i = 0; i < n; i++)
    __sync_fetch_and_add(&h[idx[i]], w[i]);
}""")
    assert code == "OMP-PARALLEL" and pragma == "#pragma omp parallel for"


def test_a_histogram_under_omp_atomic_is_parallel():
    code, pragma = _first("""
void hist(int n, const int *restrict idx, double *restrict h) {
  for (int i = 0; i < n; i++) {
    #pragma omp atomic
    h[idx[i]] += 1.0;
  }
}""")
    assert code == "OMP-PARALLEL" and pragma == "#pragma omp parallel for"


def test_a_scalar_updated_only_atomically_needs_no_clause():
    code, pragma = _first("""
double s(int n, const double *restrict a) {
  double sum = 0;
  for (int i = 0; i < n; i++) {
    #pragma omp atomic
    sum += a[i];
  }
  return sum;
}""")
    assert code == "OMP-PARALLEL" and pragma == "#pragma omp parallel for"


def test_a_shared_counter_of_an_atomic_builtin_is_parallel():
    code, _ = _first("""
void count(int n, const int *restrict a, long *cnt) {
  long c = 0;
  for (int i = 0; i < n; i++)
    if (a[i] > 0) __sync_fetch_and_add(&c, 1);
  *cnt = c;
}""")
    assert code == "OMP-PARALLEL"


@pytest.mark.parametrize("body", [
    "__sync_fetch_and_add(&h[idx[i]], 1); h[i] = 0;",                     # a plain write too
    "o[i] = __sync_fetch_and_add(&h[idx[i]], 1);",                          # the value is used: a slot
    "__sync_fetch_and_add(&h[idx[i]], 1); __sync_fetch_and_or(&h[idx[i]], 2);",  # two operators
    "__sync_fetch_and_add(&h[idx[i]], h[i]);",                              # a plain read of h
    "__sync_bool_compare_and_swap(&h[idx[i]], 0, 1);",                      # not an update by an operator
])
def test_anything_else_on_the_element_still_depends(body):
    code, pragma = _first(f"""
void f(int n, const int *restrict idx, long *restrict h, long *restrict o) {{
  for (int i = 0; i < n; i++) {{
    {body}
  }}
}}""")
    assert pragma is None, code


@pytest.mark.parametrize("body", [
    "x[i] = c; __sync_fetch_and_add(&c, 1);",      # the counter read as well
    "__sync_fetch_and_add(&c, 1); __sync_fetch_and_sub(&c, x[i]); c = 0;",
])
def test_a_counter_read_or_written_plainly_still_blocks(body):
    code, pragma = _first(f"""
void f(int n, long *restrict x, long *cnt) {{
  long c = 0;
  for (int i = 0; i < n; i++) {{
    {body}
  }}
  *cnt = c;
}}""")
    assert pragma is None, code


@pytest.mark.parametrize("stmt", ["h[idx[i]] *= 2;", "v = h[idx[i]]++;"])
def test_omp_atomic_mixing_operators_or_capturing_still_depends(stmt):
    code, pragma = _first(f"""
void f(int n, const int *restrict idx, long *restrict h, long *restrict o) {{
  long v;
  for (int i = 0; i < n; i++) {{
    #pragma omp atomic
    h[idx[i]]++;
    #pragma omp atomic
    {stmt}
    o[i] = v;
  }}
}}""")
    assert pragma is None, code


def test_a_scalar_read_outside_the_atomic_is_no_shared_counter():
    code, pragma = _first("""
void f(int n, const double *restrict a, double *restrict b) {
  double sum = 0;
  for (int i = 0; i < n; i++) {
    #pragma omp atomic
    sum += a[i];
    b[i] = sum;
  }
}""")
    assert pragma is None, code


def test_a_sum_in_a_critical_section_needs_no_clause():
    code, pragma = _first("""
double pi(int n, double h) {
  double x, total = 0;
  for (int i = 1; i < n + 1; i = i + 1) {
    x = h * (i + 0.5);
    #pragma omp critical
    total = total + 4.0 / (1.0 + x * x);
  }
  return total;
}""")
    assert code == "OMP-PARALLEL" and pragma == "#pragma omp parallel for private(x)"


@pytest.mark.parametrize("first, second", [
    ("critical(a)", "critical(b)"),   # critical sections of other names
    ("atomic", "critical"),           # an atomic and a critical update
])
def test_updates_under_locks_that_do_not_exclude_each_other_still_depend(first, second):
    code, pragma = _first(f"""
void f(int n, const int *restrict idx, long *restrict h) {{
  for (int i = 0; i < n; i++) {{
    #pragma omp {first}
    h[idx[i]] += 1;
    #pragma omp {second}
    h[idx[i] + 1] += 2;
  }}
}}""")
    assert pragma is None, code


def test_one_critical_histogram_is_parallel():
    code, pragma = _first("""
void f(int n, const int *restrict idx, long *restrict h) {
  for (int i = 0; i < n; i++) {
    #pragma omp critical(hist)
    { h[idx[i]] = h[idx[i]] + 1; }
    #pragma omp critical(hist)
    h[idx[i] + 1] -= 2;
  }
}""")
    assert code == "OMP-PARALLEL", code


@pytest.mark.parametrize("decl, body", [
    # (review breaks) '_Bool' does not add: '+= -1' toggles it
    ("_Bool flag[16];", "#pragma omp atomic\n    flag[idx[i]] += d[i];"),
    ("_Bool on = 0;", "#pragma omp atomic\n    on += d[i];"),
    # a pointer or reference the loop declares reaches what it also reads plainly
    ("int c = 0;", "int *p = &c; __sync_fetch_and_add(p, 1); out[i] = c;"),
    ("int c = 0;", "int *p = &c;\n    #pragma omp atomic\n    *p += 1;\n    out[i] = c;"),
    # a member path may hold the array the loop reads plainly
    ("int hist[64]; struct { int *h; } s = { hist };", "#pragma omp atomic\n    s.h[idx[i]] += 1;\n    out[i] = hist[(i * 3) % 64];"),
])
def test_updates_that_do_not_commute_or_may_alias_still_depend(decl, body):
    code, pragma = _first(f"""
void f(int n, const int *restrict idx, const int *restrict d, int *restrict out) {{
  {decl}
  for (int i = 0; i < n; i++) {{
    {body}
  }}
}}""")
    assert pragma is None or "reduction" in pragma, (code, pragma)


@pytest.mark.parametrize("lang, decl, body", [
    # (second review) a class's '+=' need not commute
    ("cpp", "std::string s;", "std::string piece(1, (char)('a' + i));\n#pragma omp critical\n    s += piece;"),
    # a typedef of _Bool
    ("c", "typedef _Bool flag_t; flag_t f = 0;", "#pragma omp critical\n    f += d[i];"),
    # an integer summing what it truncates
    ("c", "int x = -200;", "#pragma omp critical\n    x += d[i];"),
    ("c", "int h[4] = {0};", "#pragma omp atomic\n    h[i % 4] += d[i];"),
])
def test_critical_updates_that_do_not_add_exactly_still_depend(lang, decl, body):
    src = f"""{'#include <string>' if lang == 'cpp' else ''}
void f(int n, const double *d, double *out) {{
  {decl}
  for (int i = 0; i < n; i++) {{
    {body}
  }}
}}"""
    a = loops_of(src, lang)[0]
    assert a.pragma is None, [r.message for r in a.reasons]


def test_a_lock_named_by_a_macro_is_no_lock_to_trust():
    a = loops_of("""
#define LOCK lockA
void f(int n, const long *restrict d, long *restrict h, const int *restrict idx) {
  for (int i = 0; i < n; i++) {
    #pragma omp critical(LOCK)
    h[idx[i]] += d[i];
  }
}""")[0]
    assert a.pragma is None, [r.message for r in a.reasons]


@pytest.mark.parametrize("decl, update", [
    ("_Bool s = 0;", "s -= 1;"),                 # (pre-existing for scalar reductions)
    ("int s = 0;", "s += x[i];"),                # int += double: each sum truncated
])
def test_scalar_reductions_that_do_not_add_exactly_are_refused(decl, update):
    a = loops_of(f"""
int f(int n, const double *restrict x) {{
  {decl}
  for (int i = 0; i < n; i++) {update}
  return s;
}}""")[0]
    assert a.pragma is None, [r.message for r in a.reasons]


@pytest.mark.parametrize("update", ["x += (long)a[i];", "#pragma omp critical\n    x += (long)a[i];"])
def test_a_threadprivate_variable_written_in_the_loop_blocks_it(update):
    # (review) each thread would update its own copy; reduction(+:x) may not name it
    a = loops_of(f"""
double a[100];
long x;
#pragma omp threadprivate(x)
void f(int n) {{
  for (int i = 0; i < n; i++) {{
    {update}
  }}
}}""")[0]
    assert a.pragma is None and any(r.code == "SHARED-WRITE" and "threadprivate" in r.message for r in a.reasons)


def test_an_integer_counts_comparisons_exactly():
    # a comparison or '!' gives an int: 'd += out[i] != 0' is a '+' reduction; a double is not
    got = [a.pragma for a in loops_of("""
int f(int n, double *out, double x) {
  int d = 0, e = 0, g = 0;
  for (int i = 0; i < n; i++) d += out[i] != 0;
  for (int i = 0; i < n; i++) e += out[i] * 0.5;
  for (int i = 0; i < n; i++) g += !(out[i] > x);
  return d + e + g;
}""")]
    assert got == ["#pragma omp parallel for reduction(+:d)", None, "#pragma omp parallel for reduction(+:g)"]


def test_an_element_of_a_multidimensional_integer_array_is_an_integer():
    # 'h2[i][j]' of 'unsigned h2[72][72]' adds exactly to an unsigned sum (a reduction), as 'a[i]' does
    (a, _) = loops_of("""
static unsigned h2[72][72];
unsigned f(int n) {
  unsigned t0 = 3u; int i, j;
  for (i = 1; i < 64; i++)
    for (j = 0; j < 64; j++) t0 += h2[i][j];
  return t0;
}""")
    assert "reduction(+:t0)" in a.pragma


def test_a_call_returning_an_integer_adds_exactly():
    # 's0 += pure2(i, 5u)' under atomic, or as a reduction, where pure2 returns an unsigned by value;
    # one returning a double, or a pointer, does not
    got = [a.pragma for a in loops_of("""
static unsigned pure2(unsigned x, unsigned y) { return x * 3u + y; }
static double half(unsigned x) { return x * 0.5; }
unsigned f(int n) {
  unsigned s0 = 0, s1 = 0;
  for (int i = 0; i < n; i++) {
    #pragma omp atomic
    s0 += pure2((unsigned)i, 5u);
  }
  for (int i = 0; i < n; i++) s1 += pure2((unsigned)i, 1u);
  for (int i = 0; i < n; i++) s1 += half((unsigned)i);
  return s0 + s1;
}""")]
    assert got == ["#pragma omp parallel for", "#pragma omp parallel for reduction(+:s1)", None]
