"""Adversarial review of the four legality rules of 6fece4e: rows counted from a start
(analysis/csr.py), rows an iteration allocates itself (analysis/fresh.py), plane copies over a
window table (analysis/windows.py) and positions inside one tile (analysis/tiles.py).

BREAKS holds programs whose first loop really carries a dependence although every condition
ompwise states for it holds in the program; each was confirmed at the time of the review by
'ompwise parallelize' (pragma inserted) followed by 'ompwise verify --threads 2,4' on a full
program with a main (output mismatch against the serial build, or an Archer race report), as
noted per case. The sound answer is no pragma on that loop; they were xfail until the analysis
gives it. HELD holds the attempts the rules resisted: they must stay unparallelized."""
import pytest

from tests.conftest import loops_of

BREAKS = [
    # --- tiles: 'i % T' taken as 'i - s*T' ---
    # The cast of the dividend is dropped: (unsigned short)i % T repeats every 65536 values of i
    # in a tile of 262144 (verify: output mismatch at 2 threads; s*T = 0 >= 0 holds).
    ("tile-cast-dividend", "c", """
#define T 262144
void f(double *x, double *y, int s, int n) {
  for (int i = s*T; i < ((s+1)*T < n ? (s+1)*T : n); i++)
    x[(unsigned short)i % T] += y[i];
}
""", "x[(unsigned short)i % T] repeats within the tile"),
    ("tile-cast-dividend-char", "c", """
void f(double *x, double *y, int s, int n, long T) {
  for (int i = s*T; i < (s+1)*T; i++)
    x[(char)i % T] += y[i];
}
""", "(char)i % T repeats every 256 values of i"),
    # T written in the loop (C++ conditional lvalue, not seen as a write): from the second
    # iteration on the tile is 1024 wide inside a range of 2^20 (verify: output mismatch at 2
    # threads; lo = 0 >= 0 holds).
    ("tile-T-written-by-conditional-lvalue", "cpp", """
void t(double *x, const double *y, int s) {
  int T = 1 << 20;
  int e = 0;
  const int lo = s * T;
  const int hi = (s + 1) * T;
  for (int i = lo; i < hi; i++) {
    x[i % T] += y[i];
    (i == lo ? T : e) = 1024;
  }
}
""", "T is written in the loop through a conditional lvalue"),
    # --- rows counted from a start ---
    # 'start' reset to 0 through a conditional lvalue: every row is [0, P[b]) (P non-decreasing,
    # as stated; verify: output mismatch at 2 threads).
    ("csr-start-written-by-conditional-lvalue", "cpp", """
void r2(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    int e = 0; (b >= 0 ? start : e) = 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = x[start + k] * 0.5 + b;
  }
}
""", "start is written through a conditional lvalue"),
    # 'start' kept in a byte through a typedef (A.narrow_int sees only the spelled type): P[b-1]
    # mod 256 starts row b inside row b-1 (P = 300*(b+1), non-decreasing; verify: output
    # mismatch at 2 threads)
    ("csr-start-in-typedef-byte", "c", """
typedef unsigned char u8;
void rows(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    u8 start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = x[start + k] * 0.5 + b;
  }
}
""", "start wraps modulo 256"),
    # --- own rows ---
    # placement new into one static buffer is not memory of the iteration (verify: Archer race on
    # 'pool', 4 threads).
    ("fresh-placement-new", "cpp", """
#include <new>
static double pool[16];
void pn(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = new (pool) double[4];
        a[i][0] = i; a[i][1] = a[i][0] * 0.5 + 1;
    }
}
""", "placement new returns the shared buffer"),
    # the slot a[i] overwritten through a local alias of 'a' (verify: output mismatch, 4 threads)
    ("fresh-slot-written-through-alias-cpp", "cpp", """
static double pool[16];
void al(long n, double **a) {
    double **alias = a;
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        alias[i] = pool;
        a[i][0] = i; a[i][1] = a[i][0] * 0.5 + 1;
    }
}
""", "alias[i] = pool replaces the fresh row"),
    # the same in C (verify: Archer race on 'pool', 4 threads)
    ("fresh-slot-written-through-alias-c", "c", """
#include <stdlib.h>
static double pool[16];
void al(long n, double **a) {
    double **alias = a;
    for (long i=0; i<n; i++) {
        a[i] = malloc(4 * sizeof(double));
        alias[i] = pool;
        a[i][0] = i; a[i][1] = a[i][0] * 0.5 + 1;
    }
}
""", "alias[i] = pool replaces the fresh row"),
    # a function of the program named like an allocator (memalign is not ISO C) that hands out
    # one buffer; stated 'a and pool do not overlap' holds (verify: output mismatch, 2 threads)
    ("fresh-user-function-named-memalign", "c", """
#include <stddef.h>
static double pool[16];
static void *memalign(size_t al, size_t n) { (void)al; (void)n; return pool; }
void v(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = memalign(64, 4 * sizeof(double));
        a[i][0] = i; a[i][1] = a[i][0] * 0.5 + 1;
    }
}
""", "a defined function named memalign is taken for the allocator"),
    # the slot rebound through a C++ reference (not '&a[i]'): the row is the shared buffer
    # (verify: Archer race on 'pool', 4 threads)
    ("fresh-slot-written-through-reference", "cpp", """
static double pool[16];
void r1(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        double *&r = a[i]; r = pool;
        a[i][0] = i; a[i][1] = a[i][0] * 0.5 + 1;
    }
}
""", "r is the slot a[i]; the row becomes pool"),
    # the own row is fresh, but what it points to is not: a[i][0][k] is pool[k] in every
    # iteration (verify: output mismatch at 2 threads)
    ("fresh-row-holds-shared-pointer", "c", """
#include <stdlib.h>
static double pool[16];
void m(long n, double ***a) {
    for (long i=0; i<n; i++) {
        a[i] = malloc(2 * sizeof(double *));
        a[i][0] = pool;
        a[i][0][0] = i; a[i][0][1] = a[i][0][0] * 0.5 + 1;
    }
}
""", "a[i][0] points to shared memory; only a[i]'s own level is fresh"),
    ("fresh-row-holds-shared-pointer-global", "c", """
#include <stdlib.h>
double *shared[4];
void m2(long n, double ***a) {
    for (long i=0; i<n; i++) {
        a[i] = malloc(2 * sizeof(double *));
        a[i][0] = shared[0];
        a[i][0][0] = i;
    }
}
""", "a[i][0] is shared[0] in every iteration (stated: a and shared do not overlap, true; verify: output mismatch at 2 threads)"),
    # --- plane windows ---
    # the window table written in the loop through a local alias: the serial loop then runs
    # planes 0..6 with nz = 3 (window 0..1 at entry: the stated condition nz > wind[5]-wind[4]
    # holds; strides 4 and 16 hold; verify: output mismatch at 2 threads)
    ("window-table-written-through-alias", "c", """
void d(double *u, int ni, int nij, int nz) {
  int wind[6] = {0, 3, 0, 3, 0, 1};
  int *pw = wind;
  for (int k = wind[4]; k <= wind[5]; k++) {
    for (int j = wind[2]; j <= wind[3]; j++)
      for (int i = wind[0]; i <= wind[1]; i++)
        u[i + ni*j + nij*k] = u[i + ni*j + nij*(k + nz)] * 0.5 + k;
    if (k == 0) pw[5] = 6;
  }
}
""", "the table is written through pw"),
    # nz written in the loop through a conditional lvalue: the shift becomes one plane (nz = 20
    # over planes 0..19 at entry; verify: output mismatch at 2 threads)
    ("window-nz-written-by-conditional-lvalue", "cpp", """
void d(double *u, int ni, int nij, int nz, const int *wind) {
  for (int k = wind[4]; k <= wind[5]; k++) {
    int e = 0;
    (k == wind[4] ? nz : e) = 1;
    for (int j = wind[2]; j <= wind[3]; j++)
      for (int i = wind[0]; i <= wind[1]; i++)
        u[i + ni*j + nij*k] = u[i + ni*j + nij*(k + nz)] * 0.5 + k;
  }
}
""", "nz is written through a conditional lvalue"),
    # --- outside the four rules: the same alias write of a bound, on a plain loop ---
    ("bound-table-written-through-alias", "c", """
void g(double *u, int n) {
  int w[2] = {0, 10};
  int *pw = w;
  for (int i = w[0]; i < w[1]; i++) {
    u[i] = i;
    if (i == 0) pw[1] = 20;
  }
}
""", "the loop bound w[1] is written through pw (the OpenMP loop runs 10 iterations, the serial 20; verify: output mismatch at 2 threads)"),
]


@pytest.mark.parametrize("name,lang,code,why", BREAKS, ids=[b[0] for b in BREAKS])
def test_racy_loop_gets_no_pragma(name, lang, code, why):
    loop = loops_of(code, lang)[0]
    assert not loop.parallelizable, why


def test_unsigned_tile_start_states_that_it_must_not_wrap():
    # s*T wraps modulo 2^32 for s = 42950, T = 100000 (verify: output mismatch at 2 threads), so
    # the pragma holds only on the stated condition, which now says so
    code = "void f(double *x, unsigned s, unsigned T) {\n  for (unsigned i = s*T; i < (s+1)*T; i++)\n" \
           "    x[i % T] = x[i - s*T] * 0.5 + 1.0;\n}\n"
    loop = loops_of(code, "c")[0]
    cond = [r for r in loop.reasons if r.code == "BOUNDS-ASSUMED"]
    assert not loop.parallelizable or (cond and "overflow" in cond[0].message)


HELD = [
    # rows counted from a start
    ("csr-start-through-pointer", "c", """
void a(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    int *ps = &start; *ps -= 1;
    for (int k = 0; k < P[b] - start; k++)
      x[(start + k)*4 + 1] = b;
  }
}
"""),
    ("csr-offsets-written-by-callee", "c", """
int *GP;
void touch(int b) { GP[b] = 0; }
void bb(double *x, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? GP[b-1] : 0;
    for (int k = 0; k < GP[b] - start; k++)
      x[(start + k)*4 + 1] = b;
    touch(b);
  }
}
"""),
    ("csr-offsets-written-through-alias", "c", """
void rows(double *x, int *P, int nb) {
  int *q = P;
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = x[start + k] * 0.5 + b;
    q[b] = P[b] + 3;
  }
}
"""),
    ("csr-start-shadowed-in-block", "c", """
void c(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    {
      int start = 0;
      for (int k = 0; k < P[b] - start; k++)
        x[(start + k)*4 + 1] = b;
    }
  }
}
"""),
    ("csr-start-shadowed-in-row-loop", "cpp", """
void a(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++) {
      int start = 0;
      x[start + k] = b;
    }
  }
}
"""),
    ("csr-start-through-reference", "cpp", """
void r(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    int &rs = start; rs = 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-start-through-lambda", "cpp", """
void r3(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    auto z = [&]() { start = 0; };
    z();
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-element-beyond-pad", "c", """
void d(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[(start + k)*4 + 5] = x[(start+k)*4] + b;
  }
}
"""),
    ("csr-start-in-bool", "c", """
#include <stdbool.h>
void a(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    bool start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-static-start", "c", """
void a(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    static int start;
    start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-static-count", "c", """
void a2(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    static int count;
    count = P[b] - start;
    for (int k = 0; k < count; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-two-offset-arrays", "c", """
void e(double *x, const int *P, const int *Q, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? Q[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
  }
}
"""),
    ("csr-start-incremented-in-row", "c", """
void ff(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start++ + k] = b;
  }
}
"""),
    ("csr-next-row-shifted", "c", """
void r4(double *x, const int *P, int nb) {
  for (int b = 0; b < nb; b++) {
    int start = b > 0 ? P[b-1] : 0;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k] = b;
    for (int k = 0; k < P[b] - start; k++)
      x[start + k + 1] += b;
  }
}
"""),
    # own rows
    ("fresh-realloc-of-shared", "c", """
#include <stdlib.h>
double *shared_row;
void r(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = realloc(shared_row, 4 * sizeof(double));
        a[i][0] = i;
    }
}
"""),
    ("fresh-freed-and-reassigned", "c", """
#include <stdlib.h>
static double pool[16];
void fr(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = malloc(4 * sizeof(double));
        free(a[i]);
        a[i] = pool;
        a[i][0] = i;
    }
}
"""),
    ("fresh-slot-overwritten-by-memcpy", "c", """
#include <stdlib.h>
#include <string.h>
static double pool[16];
void mc(long n, double **a) {
    double *p = pool;
    for (long i=0; i<n; i++) {
        a[i] = malloc(4 * sizeof(double));
        memcpy(&a[i], &p, sizeof p);
        a[i][0] = i;
    }
}
"""),
    ("fresh-row-used-before-allocation", "c", """
#include <stdlib.h>
void pre(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i][1] = i;
        a[i] = malloc(4 * sizeof(double));
        a[i][0] = i;
    }
}
"""),
    ("fresh-other-row", "c", """
#include <stdlib.h>
void other(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = malloc(4 * sizeof(double));
        a[i][0] = i;
        a[(i+1)%n][1] = i;
    }
}
"""),
    ("fresh-class-operator-new-pool", "cpp", """
#include <cstddef>
static double pool[16];
struct Cell { double v[4]; static void *operator new(std::size_t) { return pool; } };
void co(long n, Cell **a) {
    for (long i=0; i<n; i++) {
        a[i] = new Cell;
        a[i]->v[0] = i; a[i]->v[1] = a[i]->v[0] + 1;
    }
}
"""),
    ("fresh-slot-swapped", "cpp", """
#include <utility>
static double pool[16];
void r2(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        double *p = pool;
        std::swap(a[i], p);
        a[i][0] = i; a[i][1] = a[i][0] + 1;
    }
}
"""),
    ("fresh-slot-by-reference-parameter", "cpp", """
static double pool[16];
static void reset(double *&q) { q = pool; }
void r3(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        reset(a[i]);
        a[i][0] = i; a[i][1] = a[i][0] + 1;
    }
}
"""),
    ("fresh-slot-conditional-lvalue", "cpp", """
static double pool[16];
void r4(long n, double **a) {
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        (i >= 0 ? a[i] : a[0]) = pool;
        a[i][0] = i; a[i][1] = a[i][0] + 1;
    }
}
"""),
    # plane windows
    ("window-table-written-by-callee", "c", """
int gw[36];
void setw(int k) { gw[5] = k; }
void a(double *u, int ib, int ie, int jb, int je, int kb, int nz) {
  const int ni = ie-ib+1;
  const int nij = ni*(je-jb+1);
  for (int k = gw[4]; k <= gw[5]; k++) {
    for (int j = gw[2]; j <= gw[3]; j++)
      for (int i = gw[0]; i <= gw[1]; i++) {
        int ind = i-ib+ni*(j-jb)+nij*(k-kb);
        u[ind] = u[ind+nij*nz];
      }
    setw(k);
  }
}
"""),
    ("window-shift-written-by-callee", "c", """
int gnz;
void setnz(int k) { gnz = k; }
void b(double *u, int ib, int ie, int jb, int je, int kb, int *wind) {
  const int ni = ie-ib+1;
  const int nij = ni*(je-jb+1);
  for (int k = wind[4]; k <= wind[5]; k++) {
    for (int j = wind[2]; j <= wind[3]; j++)
      for (int i = wind[0]; i <= wind[1]; i++) {
        int ind = i-ib+ni*(j-jb)+nij*(k-kb);
        u[ind] = u[ind+nij*gnz];
      }
    setnz(k);
  }
}
"""),
    # tiles
    ("tile-inclusive-upper", "c", """
#define T 64
void f(double *x, double *y, int s, int n) {
  for (int i = s*T; i <= (s+1)*T; i++)
    x[i % T] += y[i];
}
"""),
    ("tile-min-macro-redefined-as-max", "c", """
#define MN(a,b) ((a) < (b) ? (a) : (b))
#undef MN
#define MN(a,b) ((a) > (b) ? (a) : (b))
void f(double *x, double *y, int s, int n, int T) {
  for (int i = s*T; i < MN((s+1)*T, n); i++)
    x[i % T] += y[i];
}
"""),
    ("tile-other-divisor-text", "c", """
void f(double *x, double *y, int s, int n, int T) {
  for (int i = s*T; i < (s+1)*T; i++)
    x[i % (T+0*s)] += y[i];
}
"""),
    ("tile-offset-and-quotient", "c", """
void h(double *x, double *y, int s, int n, int T) {
  for (int i = s*T; i < (s+1)*T; i++)
    x[i % T + i/T] += y[i];
}
"""),
    ("tile-size-written-by-callee", "c", """
int TT;
void bump(void) { TT = 2; }
void k(double *x, double *y, int s, int n) {
  for (int i = s*TT; i < (s+1)*TT; i++) {
    x[i % TT] += y[i];
    bump();
  }
}
"""),
    ("tile-shifted-dividend", "c", """
void m(double *x, double *y, int s, int n, int T) {
  for (int i = s*T; i < (s+1)*T; i++)
    x[(i+T) % T] += y[i];
}
"""),
]


@pytest.mark.parametrize("name,lang,code", HELD, ids=[h[0] for h in HELD])
def test_attempt_that_held(name, lang, code):
    assert not loops_of(code, lang)[0].parallelizable
