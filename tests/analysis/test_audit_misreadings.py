"""Ordinary code an audit of OMPify's validation loops (those proven illegal although a
developer parallelized them) found misread."""
import pytest

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


# adversarial review of the rule above: each was given private(r) and refuted by verify
STRUCT_BREAKS = [
    ("field-address-before-the-loop", """struct S { int x, y; };
long f(int *restrict a, int *restrict b) {
  struct S r; int *p = &r.x;
  for (int i = 0; i < 1000; i++) { r.x = a[i]; b[i] = r.x; }
  return *p;
}"""),
    ("array-field-decays", """union U { int x; int v[1]; };
void f(int *restrict a, int *restrict b) {
  union U r; int *p = r.v;
  for (int i = 0; i < 1000; i++) { r.x = a[i]; b[i] = p[0]; }
}"""),
    ("write-under-conditional-expression", """struct S { int x, y; };
void f(int *restrict a, int *restrict b) {
  struct S r; r.x = 5;
  for (int i = 0; i < 1000; i++) { a[i] > 0 ? (r.x = a[i]) : 0; b[i] = r.x; }
}"""),
    ("write-after-and", """struct S { int x, y; };
void f(int *restrict a, int *restrict b) {
  struct S r; r.x = 5;
  for (int i = 0; i < 1000; i++) { a[i] > 0 && (r.x = a[i]); b[i] = r.x; }
}"""),
    ("field-in-the-bound", """struct S { int x, y; };
void f(int *restrict a, int *restrict b) {
  struct S r; r.y = 1000;
  for (int i = 0; i < r.y; i++) { r.y = a[i] + 600; b[i] = r.y; }
}"""),
    ("backward-goto", """struct S { int x, y; };
long f(int *restrict a, int *restrict b) {
  struct S r; long s = 0; int t = 0;
  r.x = 0;
again:
  s += r.x;
  for (int i = 0; i < 1000; i++) { r.x = a[i] + t; b[i] = r.x; }
  if (t++ < 1) goto again;
  return s;
}"""),
    ("global-of-the-same-name", """struct S { int x, y; };
struct S r;
void f(int *restrict a, int *restrict b) {
  { struct S r; r.x = 1; b[0] = r.x; }
  for (int i = 0; i < 1000; i++) { r.x = a[i]; b[i] = r.x; }
}"""),
    ("address-in-a-macro", """struct S { int x, y; };
#define ADDR (&r)
long f(int *restrict a, int *restrict b) {
  struct S r; struct S *p = ADDR;
  for (int i = 0; i < 1000; i++) { r.x = a[i]; b[i] = r.x; }
  return p->x;
}"""),
]


@pytest.mark.parametrize("name,code", STRUCT_BREAKS, ids=[b[0] for b in STRUCT_BREAKS])
def test_struct_break_is_not_privatized(name, code):
    loop = next(a for a in loops_of(code) if "r.x = a[i]" in code.split("\n")[a.loop.loc.line - 1]
                or "r.y = a[i]" in code.split("\n")[a.loop.loc.line - 1])
    assert loop.pragma is None, (name, loop.pragma)


def test_scalar_read_again_through_a_backward_goto_is_live_out():
    a = next(l for l in loops_of("""
long f(int *restrict a, int *restrict b) {
  int rx = 0, t = 0; long s = 0;
again:
  s += rx;
  for (int i = 0; i < 1000; i++) { rx = a[i] + t; b[i] = rx; }
  if (t++ < 1) goto again;
  return s;
}""") if l.loop.loc.line == 6)
    assert a.pragma is None or "lastprivate(rx)" in a.pragma


def test_local_shadowing_a_global_is_live_out():
    a = loops_of("""
int rx;
void f(int *restrict a, int *restrict b) {
  { int rx = 1; b[0] = rx; }
  for (int i = 0; i < 1000; i++) { rx = a[i]; b[i] = rx; }
}""")[0]
    assert a.pragma is None or "lastprivate(rx)" in a.pragma


def test_address_taken_in_a_macro():
    a = loops_of("""
#define ADDR (&rx)
long f(int *restrict a, int *restrict b) {
  int rx = 0; int *p = ADDR;
  for (int i = 0; i < 1000; i++) { rx = a[i]; b[i] = rx; }
  return *p;
}""")[0]
    assert a.pragma is None
