"""Adversarial reviews (two rounds) of three rules: members through an element ('(p + i)->m', 'a[i]->m'),
rows of a pointer array held in a local ('double *row = A[i]'), and `if` conditions the
configuration decides (frontend/constcond.py). Each program's loop was recommended a pragma that
`ompwise verify --threads 2,4` refuted (output mismatch or an Archer race) without breaking any
condition ompwise stated. The sound answer is no pragma."""
import pytest

from ompwise.api import Options, analyze_source
from tests.conftest import loops_of

BREAKS = [
    # the row's subscript is the loop's own variable, reassigned by the loop: always A[argc]
    ("row-subscript-reassigned-by-the-loop", "c", """
void f(double **A, int n, int argc) {
  int i = argc;
  double *row = A[i];
  for (i = 0; i < n; i++) row[0] = row[0] * 0.5 + i;
}
""", 0),
    ("row-subscript-changed-after-the-row", "c", """
void f(double **A, int n) {
  for (int i = 0; i < n; i++) { int k = 0; double *row = A[k]; k = i; row[0] = row[0] * 0.5 + k; }
}
""", 0),
    ("pointer-offset-reassigned-by-the-loop", "c", """
void f(double *a, int n, int argc) {
  int i = argc;
  double *p = a + i;
  for (i = 0; i < n; i++) p[0] = p[0] * 0.5 + i;
}
""", 0),
    # a slot written through an alias, '*(A + i)', 'A + i' or '&A[i]'
    ("slot-through-an-alias", "c", """
void f(double **A, int n) {
  double **B = A;
  for (int i = 0; i < n; i++) { double *row = A[i + 1]; B[i] = row; }
}
""", 0),
    ("slot-through-pointer-arithmetic", "c", """
void f(double **A, int n) {
  for (int i = 0; i < n; i++) { double *row = A[i + 1]; *(A + i) = row; }
}
""", 0),
    ("slot-through-its-address", "c", """
void f(double **A, int n) {
  for (int i = 0; i < n; i++) { double *row = A[i + 1]; double **slot = &A[i]; slot[0] = row; }
}
""", 0),
    ("slot-through-a-reference", "cpp", """
void f(double **A, int n) {
  for (int i = 0; i < n; i++) { double *&slot = A[i]; slot = A[i + 1]; }
}
""", 0),
    # a pointer set in each iteration from what was not followed: 'a + N - 1 - i' is a[N-1] + 0
    ("pointer-from-a-minus-chain", "c", """
double a[1000];
void f(void) {
  for (int i = 0; i < 1000; i++) { double *p = a + 1000 - 1 - i; p[i] = p[i] * 0.5 + i; }
}
""", 0),
    ("member-through-a-minus-chain", "c", """
struct S { double m; };
void f(struct S *base, int n) {
  for (int i = 0; i < n; i++) { struct S *p = base + n - 1 - i; (p + i)->m = (p + i)->m * 0.5 + i; }
}
""", 0),
    # the integer first: 'k + p' is not an array named k
    ("integer-first-in-pointer-sum", "c", """
struct S { double m; };
void f(struct S *p, long n) {
  for (long i = 0; i < n - 1; i++) { long k = i; (k + p)->m = (k + 1 + p)->m * 0.5 + i; }
}
""", 0),
    # conditions the configuration does not decide as the analysis thought
    ("undef-makes-it-a-variable", "c", """
#define DEBUG 0
#undef DEBUG
int DEBUG = 1;
double carry;
void f(double *restrict a, double *restrict b, int n) {
  for (int i = 0; i < n; i++) { b[i] = a[i]; if (DEBUG) carry = carry * 0.5 + a[i]; }
}
""", 0),
    ("unsigned-conversion", "c", """
double carry;
void f(double *restrict a, double *restrict b, int n) {
  for (int i = 0; i < n; i++) { b[i] = a[i]; if (-1 > 0u) carry = carry * 0.5 + a[i]; }
}
""", 0),
    ("unsigned-conversion-guarding-an-array", "c", """
double a[1001], b[1000];
void f(void) {
  for (int i = 0; i < 1000; i++) { b[i] = a[i] * 0.5; if (-1 > 0u) a[i + 1] = a[i + 1] * 0.25 + b[i]; }
}
""", 0),
    ("octal-macro", "c", """
#define V 010
double carry;
void f(double *restrict a, double *restrict b, int n) {
  for (int i = 0; i < n; i++) { b[i] = a[i]; if (V == 8) carry = carry * 0.5 + a[i]; }
}
""", 0),
    # third review: a macro defined in both branches of an #if kept whole, or defined twice
    ("macro-of-an-undecided-if", "c", """
#define F(x) x
#if F(1)
#define SERIAL 1
#else
#define SERIAL 0
#endif
double a[1001];
void f(void) {
  for (int i = 0; i < 1000; i++) { a[i] = a[i] * 0.5 + 1.0; if (SERIAL) { a[i + 1] += a[i] * 0.25; } }
}
""", 0),
    ("macro-redefined-after-a-lambda", "cpp", """
#define SERIAL 1
double a[1001];
void g() {
  auto run = [&]() { for (int i = 0; i < 1000; i++) { a[i] = a[i] * 0.5 + 1.0; if (SERIAL) { a[i + 1] += a[i] * 0.25; } } };
#define SERIAL 0
  run();
}
""", 0),
    # a pointer the loop sets through its address
    ("pointer-set-through-its-address", "c", """
#include <string.h>
double a[2000];
void f(void) {
  for (int i = 0; i < 1000; i++) { double *p; double *t = a + (1000 - i); memcpy(&p, &t, sizeof p); p[i] = p[i] * 0.5 + 1.0; }
}
""", 0),
    ("case-label-inside-if-zero", "c", """
double carry;
void f(double *restrict a, double *restrict b, int n) {
  for (int i = 0; i < n; i++) {
    switch (a[i] > 5) { case 0: break; if (0) { case 1: carry = carry * 0.5 + a[i]; } }
    b[i] = a[i] * 0.5 + carry;
  }
}
""", 0),
]


@pytest.mark.parametrize("name,lang,code,index", BREAKS, ids=[b[0] for b in BREAKS])
def test_break_gets_no_pragma(name, lang, code, index):
    a = loops_of(code, lang)[index]
    assert a.pragma is None, (name, a.pragma, [r.message for r in a.reasons])


def test_a_headers_macro_does_not_decide_a_condition(tmp_path):
    # the header's value depends on the includer's '#define SLOW', which reading it alone misses
    (tmp_path / "cfg.h").write_text("#ifdef SLOW\n#define CHECK 1\n#else\n#define CHECK 0\n#endif\n")
    src = tmp_path / "t.c"
    src.write_text('#define SLOW\n#include "cfg.h"\ndouble carry;\n'
                   "void f(double *restrict a, double *restrict b, int n) {\n"
                   "  for (int i = 0; i < n; i++) { b[i] = a[i]; if (CHECK) carry = carry * 0.5 + a[i]; }\n}\n")
    fa = analyze_source(src.read_bytes(), str(src), "c", Options(model=None))
    assert fa.loops[0].pragma is None


def test_a_headers_macro_does_not_decide_the_files_own_if(tmp_path):
    (tmp_path / "cfg.h").write_text("#ifdef FAST\n#define USE_X 1\n#else\n#define USE_X 0\n#endif\n")
    src = tmp_path / "t.c"
    src.write_text('#define FAST\n#include "cfg.h"\n#if USE_X\n#define SERIAL 1\n#else\n#define SERIAL 0\n#endif\n'
                   "double a[1001];\nvoid f(void) {\n"
                   "  for (int i = 0; i < 1000; i++) { a[i] = a[i] * 0.5 + 1.0; if (SERIAL) { a[i + 1] += a[i] * 0.25; } }\n}\n")
    fa = analyze_source(src.read_bytes(), str(src), "c", Options(model=None))
    assert fa.loops[0].pragma is None


def test_pointer_set_from_an_inner_variable_states_its_assumption():
    a = loops_of("""
struct T { double *scratch; };
void f(struct T *thds, double *restrict m, int n, int nt) {
  for (int i = 0; i < n; i++)
    for (int t = 0; t < nt; t++) {
      double *const tm = thds[t].scratch;
      m[i] += tm[i];
      tm[i] = 0.;
    }
}
""")[0]
    assert a.pragma is not None
    assert any("'tm' points to the same or to separate memory" in r.message for r in a.reasons)
