"""Ordinary code an audit of OMPify's validation loops (those proven illegal although a
developer parallelized them) found misread."""
from tests.conftest import loops_of


def test_long_form_step_of_a_second_counter_is_linear():
    a = loops_of("""
void f(double *restrict a, double *restrict b, int n) {
  int k = 0;
  for (int i = 0; i < n; i++) { b[i] = a[k]; k = k + 2; }
}
""")[0]
    assert a.pragma is not None and "linear(k:2)" in a.pragma, a.reasons


def test_long_form_step_skipped_by_a_jump_is_not_linear():
    a = loops_of("""
void f(double *restrict a, double *restrict b, int n) {
  int k = 0;
  for (int i = 0; i < n; i++) { if (a[i] < 0) continue; b[i] = a[k]; k = k + 2; }
}
""")[0]
    assert a.pragma is None


def test_if_zero_print_is_dead_code():
    a = loops_of("""
#include <stdio.h>
void f(int *restrict w, int n) {
  for (int i = 0; i < n; i++) { w[i] = 0; if (0 > 0) printf("x"); }
}
""")[0]
    assert a.pragma is not None


STRUCTS = """struct cplx { double re, im; };
void a(double *restrict x, double *restrict y, int n) {
  struct cplx r;
  for (int i = 0; i < n; i++) { r.re = x[i]; r.im = 2 * r.re; y[i] = r.re + r.im; }
}
void b(double *restrict x, double *restrict y, int n) {
  struct cplx r; r.im = 0;
  for (int i = 0; i < n; i++) { r.re = x[i]; y[i] = r.re + r.im; }
}
double c(double *restrict x, double *restrict y, int n) {
  struct cplx r;
  for (int i = 0; i < n; i++) { r.re = x[i]; r.im = 1; y[i] = r.re; }
  return r.re;
}
void d(double *restrict x, double *restrict y, int n) {
  struct cplx r, s;
  for (int i = 0; i < n; i++) { r.re = x[i]; r.im = 0; s = r; y[i] = s.re; }
}
void e(double *restrict x, double *restrict y, int n) {
  struct cplx r;
  for (int i = 0; i < n; i++) { if (x[i] > 0) r.re = x[i]; y[i] = r.re; }
}
void f(double *restrict x, double *restrict y, int n) {
  struct cplx r;
  for (int i = 0; i < n; i++) { r.re += x[i]; y[i] = r.re; }
}
"""


def test_local_struct_written_field_by_field_is_private():
    loops = loops_of(STRUCTS)
    assert loops[0].pragma is not None and "private(r)" in loops[0].pragma, loops[0].reasons
    # a field read before written (b), used after the loop (c), copied whole (d), written only
    # under a condition (e), updated (f): shared
    for k in range(1, 6):
        assert loops[k].pragma is None, (k, loops[k].reasons)


def test_local_struct_in_cpp_is_not_privatized():
    a = loops_of(STRUCTS.replace("restrict", "__restrict"), "cpp")[0]
    assert a.pragma is None
