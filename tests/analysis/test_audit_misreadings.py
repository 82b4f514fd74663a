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
