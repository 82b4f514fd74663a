"""45 loops with known answers for the LLM benchmark (benchmarks/llm_eval.py), each written as
a small runnable program: the loop is the first one in 'kernel'. ``answer`` is the known
answer: a pragma whose clauses a suggestion must give (it may add firstprivate, schedule or
shared), or None when no 'parallel for' pragma keeps the results (racy or output-changing).
Written for this benchmark; the racy ones cover dependences, carried scalars, I/O, random
numbers, early exits, indirect writes with collisions, aliasing and calls with effects."""
from __future__ import annotations

import os

N = 4000
PF = "#pragma omp parallel for"

HARNESS = """#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#define N {n}
double a[N], b[N], c[N], a2[64][64], b2[64][64];
int idx[N], perm[N], dup[N], nxt[N];
double g_s, g_t, g_m; int g_k, g_cnt;
{extra}
static void kernel(void) {{
  double s = 0, t = 0, m = -1e30, p = 1; int j = 0, k = 0, cnt = 0; double *q = b; (void)q;
{body}
  g_s = s + p; g_t = t; g_m = m; g_k = j + k; g_cnt = cnt;
}}
int main(void) {{
  int i, r;
  for (i = 0; i < N; i++) {{ a[i] = ((i * 37) % 101) / 101.0; b[i] = ((i * 11) % 53) / 53.0; c[i] = 0;
    idx[i] = (i * 13) % 257; perm[i] = (i * 7) % N; dup[i] = (i * 3) % 97; nxt[i] = (i + 1) % N; }}
  for (i = 0; i < 64; i++) for (r = 0; r < 64; r++) {{ a2[i][r] = (i * r % 17) / 17.0; b2[i][r] = 0; }}
  kernel();
  double h = 0;
  for (i = 0; i < N; i++) h += a[i] * (i % 7 + 1) + b[i] * (i % 5 + 1) + c[i] * (i % 3 + 1);
  for (i = 0; i < 64; i++) for (r = 0; r < 64; r++) h += (a2[i][r] + b2[i][r]) * ((i + r) % 5 + 1);
  printf("%.9e %.9e %.9e %.9e %d %d\\n", h, g_s, g_t, g_m, g_k, g_cnt);
  return 0;
}}
"""

# (name, body of kernel (its first loop is the one asked about), known answer, extra globals/functions)
LOOPS = [
    ("copy", "  for (int i = 0; i < N; i++) c[i] = a[i];", PF, ""),
    ("saxpy", "  for (int i = 0; i < N; i++) c[i] = 2.5 * a[i] + b[i];", PF, ""),
    ("sum", "  for (int i = 0; i < N; i++) s += a[i];", PF + " reduction(+:s)", ""),
    ("max-if", "  for (int i = 0; i < N; i++) if (a[i] > m) m = a[i];", PF + " reduction(max:m)", ""),
    ("min-ternary", "  for (int i = 0; i < N; i++) m = -a[i] > m ? -a[i] : m;", PF + " reduction(max:m)", ""),
    ("private-temp", "  for (int i = 0; i < N; i++) { t = a[i] * 2; c[i] = t * t; }\n  t = 0;", PF + " private(t)", ""),
    ("lastprivate-temp", "  for (int i = 0; i < N; i++) { t = a[i] + b[i]; c[i] = t; }", PF + " lastprivate(t)", ""),
    ("stencil-out-of-place", "  for (int i = 1; i < N - 1; i++) c[i] = a[i - 1] + a[i + 1];", PF, ""),
    ("transpose-2d", "  for (int i = 0; i < 64; i++) for (int r = 0; r < 64; r++) b2[i][r] = a2[r][i];", PF, ""),
    ("permutation-write", "  for (int i = 0; i < N; i++) c[perm[i]] = a[i];", PF, ""),
    ("indirect-read", "  for (int i = 0; i < N; i++) c[i] = b[idx[i]];", PF, ""),
    ("even-odd", "  for (int i = 0; i < N / 2; i++) a[2 * i] = a[2 * i + 1];", PF, ""),
    ("half-offset", "  for (int i = 0; i < N / 2; i++) a[i] = a[i + N / 2];", PF, ""),
    ("product", "  for (int i = 0; i < N; i++) p *= 1.0 + a[i] * 1e-4;", PF + " reduction(*:p)", ""),
    ("count-if", "  for (int i = 0; i < N; i++) if (a[i] > 0.5) cnt++;", PF + " reduction(+:cnt)", ""),
    ("function-pointer-pure", "  for (int i = 0; i < N; i++) c[i] = fp(a[i]);", PF,
     "static double half(double x) { return x * 0.5; }\ndouble (*fp)(double) = half;"),
    ("modulo-permutation", "  for (int i = 0; i < N; i++) c[(i * 7) % N] = a[i];", PF, ""),
    ("scalar-index", "  for (int i = 0; i < N; i++) { k = 2 * i; c[k / 2] = a[i]; }\n  k = 0;", PF + " private(k)", ""),
    ("two-reductions", "  for (int i = 0; i < N; i++) { s += a[i]; p += a[i] * a[i]; }", PF + " reduction(+:s, p)", ""),
    ("matvec-rows", "  for (int i = 0; i < 64; i++) { t = 0; for (int r = 0; r < 64; r++) t += a2[i][r] * b[r]; c[i] = t; }\n  t = 0;",
     PF + " private(t)", ""),
    ("bitwise-or", "  for (int i = 0; i < N; i++) cnt |= idx[i];", PF + " reduction(|:cnt)", ""),
    ("select", "  for (int i = 0; i < N; i++) c[i] = a[i] > 0.5 ? a[i] : 0;", PF, ""),
    ("alias-distinct", "  for (int i = 0; i < N; i++) q[i] = a[i] * 3;", PF, ""),
    ("inner-independent", "  for (int i = 1; i < 64; i++) for (int r = 0; r < 64; r++) a2[i][r] = a2[i - 1][r] + 1;", None, ""),
    ("prefix-sum", "  for (int i = 1; i < N; i++) a[i] = a[i - 1] + b[i];", None, ""),
    ("histogram", "  for (int i = 0; i < N; i++) idx[dup[i] % 16]++;", None, ""),
    ("anti-dependence", "  for (int i = 0; i < N - 1; i++) a[i] = a[i + 1] * 0.5;", None, ""),
    ("carried-scalar", "  for (int i = 0; i < N; i++) { t = t * 0.5 + a[i]; c[i] = t; }", None, ""),
    ("rand", "  srand(1);\n  for (int i = 0; i < N; i++) c[i] = rand() % 10;", None, ""),
    ("printf", "  for (int i = 0; i < 20; i++) printf(\"%d %f\\n\", i, a[i]);", None, ""),
    ("early-exit", "  for (int i = 0; i < N; i++) { if (a[i] > 0.99) break; c[i] = a[i]; }", None, ""),
    ("wrap-around", "  for (int i = 0; i < N; i++) a[(i + 1) % N] = a[i] * 0.5 + 1;", None, ""),
    ("indirect-collisions", "  for (int i = 0; i < N; i++) c[dup[i]] += a[i];", None, ""),
    ("global-counter-call", "  for (int i = 0; i < N; i++) c[i] = bump() * a[i];", None,
     "static int counter;\nstatic int bump(void) { return ++counter; }"),
    ("pointer-chase", "  for (int i = 0; i < N; i++) { c[j] = i; j = nxt[j]; }", None, ""),
    ("stride-2-dependence", "  for (int i = 2; i < N; i++) a[i] = a[i - 2] * 0.5 + 1;", None, ""),
    ("wavefront", "  for (int i = 1; i < 64; i++) for (int r = 1; r < 64; r++) a2[i][r] = a2[i - 1][r] + a2[i][r - 1];", None, ""),
    ("last-match", "  for (int i = 0; i < N; i++) if (a[i] > 0.5) k = i;", None, ""),
    ("accumulate-through-call", "  for (int i = 0; i < N; i++) acc(&s, a[i]);", None,
     "static void acc(double *p, double v) { *p += v; }"),
    ("function-pointer-effect", "  for (int i = 0; i < N; i++) c[i] = fq(a[i]);", None,
     "static double total;\nstatic double add(double x) { total += x; return total; }\ndouble (*fq)(double) = add;"),
    ("square-collisions", "  for (int i = 0; i < N; i++) c[(i * i) % 64] += a[i];", None, ""),
    ("alias-overlap", "  double *o = a + 1;\n  for (int i = 0; i < N - 1; i++) o[i] = a[i] * 0.5;", None, ""),
    ("macro-counter", "  for (int i = 0; i < N; i++) c[i] = NEXT() * a[i];", None, "static int cnt_m;\n#define NEXT() (++cnt_m)"),
    ("recurrence-2d-rows", "  for (int i = 0; i < 64; i++) for (int r = 1; r < 64; r++) a2[r][i] = a2[r - 1][i] * 0.5 + a2[r][i];", PF, ""),
    ("reverse-swap", "  for (int i = 0; i < N / 2; i++) { t = a[i]; a[i] = a[N - 1 - i]; a[N - 1 - i] = t; }\n  t = 0;",
     PF + " private(t)", ""),
]


def materialize(directory: str) -> list[tuple[str, str | None]]:
    """Write every loop's program into ``directory``; [(path, answer)]."""
    os.makedirs(directory, exist_ok=True)
    out = []
    for name, body, answer, extra in LOOPS:
        path = os.path.join(directory, f"{name}.c")
        with open(path, "w") as fh:
            fh.write(HARNESS.format(n=N, body=body, extra=extra))
        out.append((path, answer))
    return out
