"""Adversarial review of symbolic loop steps (test_symbolic_step.py). Each program below was
confirmed by 'ompwise parallelize' then 'ompwise verify --threads 2,4' at the time of the review
(output mismatch against the serial build, or a pragma that does not compile). The sound answer
is no pragma on the loop, or a pragma on a stated condition that the program breaks."""
import pytest

from tests.conftest import loops_of

BREAKS = [
    # unsigned arithmetic in the step wraps: 2u*s + 3u is 1, not 4294967297 (mismatch)
    ("unsigned-step-wraps", "c", """
double a[100001];
void f(void) {
  const unsigned s = 2147483647u;
  for (long i = 0; i < 100000; i += 2u * s + 3u)
    a[i + 1] = a[i] * 0.5 + 1.0;
}
""", 0, "STEP-ASSUMED"),
    # a short variable wraps on 'i += s' (implementation-defined, no UB): 18 iterations vs 2
    ("short-variable-wraps", "c", """
long f(int n, int s) {
  long count = 0, isum = 0;
  for (short i = 0; i < n; i += s) { count += 1; isum += i; }
  return count + isum;
}
""", 0, "STEP-ASSUMED"),
    # an int variable stepped by a long: the conversion back wraps, three iterations serially
    ("long-step-int-variable", "c", """
long f(int n, long s) {
  long count = 0, isum = 0;
  for (int i = 0; i < n; i += s) { count += 1; isum += i / 1024; }
  return count + isum;
}
""", 0, "STEP-ASSUMED"),
    # a floating step behind a typedef: not canonical (clang and g++ reject the pragma)
    ("typedef-double-step", "cpp", """
typedef double real;
double a[100004];
void sweep(int n, real h) {
  for (int ii = 0; ii < n; ii += h)
    for (int i = ii; i < ii + h; i++)
      a[i] = a[i] * 0.5 + i;
}
""", 0, "NONCANONICAL"),
    # the same, truncated by a cast: tiles of 2 read 3 elements (mismatch at 4 threads)
    ("cast-double-step", "cpp", """
typedef double real;
double a[100004];
void sweep(int n, real h) {
  for (int ii = 0; ii < n; ii += (int)h)
    for (int i = ii; i < ii + h; i++)
      a[i] = a[i] * 0.5 + i;
}
""", 0, "NONCANONICAL"),
    # the step is a reference to a global the body writes (mismatch)
    ("reference-step-written", "cpp", """
int gs = 2;
double a[1000];
void fill(int n, const int &s) {
  for (int i = 0; i < n; i += s) { a[i] = i + 1; gs = 1; }
}
""", 0, "ALIAS-ASSUMED"),
    # the same for a bound (older than symbolic steps)
    ("reference-bound-written", "cpp", """
int gs = 20;
double a[1000];
void fill(const int &n) {
  for (int i = 0; i < n; i++) { a[i] = i + 1; gs = 10; }
}
""", 0, "ALIAS-ASSUMED"),
    # the step is a reference into the array the body writes
    ("reference-step-into-array", "cpp", """
void mark(int n, const int &s, int *out) {
  for (int i = 0; i < n; i += s)
    out[i] += 1;
}
""", 0, "ALIAS-ASSUMED"),
    # a global step written through a pointer to it (mismatch)
    ("global-step-through-pointer", "c", """
int gs = 2;
double a[1000];
void fill(int n, int *p) {
  for (int i = 0; i < n; i += gs) {
    a[i] = i + 1;
    if (i == 0) p[0] = 1;
  }
}
int main(void) { fill(1000, &gs); return 0; }
""", 0, "ALIAS-ASSUMED"),
]


@pytest.mark.parametrize("name,lang,code,index,code_id", BREAKS, ids=[b[0] for b in BREAKS])
def test_break_is_blocked_or_its_condition_stated(name, lang, code, index, code_id):
    a = loops_of(code, lang)[index]
    codes = [r.code for r in a.reasons] + [r.code for r in (a.legality.assumptions if a.legality else ())]
    if a.pragma is None:
        assert code_id in codes or not a.parallelizable, (name, codes)
    else:
        assert code_id in codes, (name, a.pragma, codes)
        assert a.confidence < 0.9


def test_signed_int_step_states_nothing():
    a = loops_of("""
void f(int n, int s, double *restrict a) {
  for (int i = 0; i < n; i += s) a[i] = 0;
}
""")[0]
    assert a.pragma is not None and a.confidence > 0.9


def test_reference_to_an_object_is_not_suspect():
    # writes to elements of an object's arrays do not change its integer members
    a = loops_of("""
struct Atom { int nlocal; double *x; };
void f(Atom &atom) {
  for (int i = 0; i < atom.nlocal; i++) atom.x[i] = 0;
}
""", "cpp")[0]
    assert a.pragma is not None and "ALIAS-ASSUMED" not in [r.code for r in a.reasons]
