"""`explain` without an LLM: for every reason code, a sentence from the analysis that names
the variables and the lines involved."""
from dataclasses import replace

import pytest

from ompwise.api import analyze_source
from ompwise.reasons import CODES, Reason
from ompwise.report.explain import explain, sentences

# code -> (source, loop index in preorder, variables the sentence must name, a line it must name)
CASES = {
    "OMP-PARALLEL": ("void f(int n, double *restrict a, double *restrict b) {\n  for (int i = 0; i < n; i++)\n    a[i] = b[i];\n}", 0, ["i"], 2),
    "OMP-EXISTING": ("void f(int n, double *a) {\n#pragma omp parallel for\n  for (int i = 0; i < n; i++)\n    a[i] = 0;\n}", 0, ["i"], 3),
    "NESTED-INSIDE-PARALLEL": ("void f(int n, double a[][64]) {\n  for (int i = 0; i < n; i++)\n    for (int j = 0; j < 64; j++)\n      a[i][j] = 0;\n}", 1, ["j"], 2),
    "DEP-CARRIED": ("double a[100];\nvoid f(int n) {\n  for (int i = 1; i < n; i++)\n    a[i] = a[i - 1] + 1;\n}", 0, ["a", "i"], 4),
    "DEP-UNKNOWN": ("void f(int n, double a[][100]) {\n  for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n      a[i][j - 1] = 0;\n}", 0, ["a"], 4),
    "INDIRECT-WRITE": ("void f(int n, int *restrict idx, double *restrict a) {\n  for (int i = 0; i < n; i++)\n    a[idx[i]] += 1;\n}", 0, ["a", "idx", "i"], 3),
    "SCALAR-CARRIED": ("double f(int n, double *restrict a) {\n  double x = 1;\n  for (int i = 0; i < n; i++) {\n    a[i] = x;\n    x = a[i] * 2;\n  }\n  return x;\n}", 0, ["x"], 4),
    "SCALAR-LIVEOUT": ("double f(int n, double *restrict a) {\n  double t = 0;\n  for (int i = 0; i < n; i++)\n    if (a[i] > 0)\n      t = a[i];\n  return t;\n}", 0, ["t"], 5),
    "SHARED-WRITE": ("void f(int n, double *restrict a) {\n  for (int i = 0; i < n; i++) {\n    static double t;\n    t = a[i];\n    a[i] = t * 2;\n  }\n}", 0, ["t"], 3),
    "CALL-UNKNOWN": ("void g(double *);\nvoid f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    g(&a[i]);\n}", 0, ["g", "i"], 4),
    "CALL-SIDE-EFFECT": ("static void z(double *p) { p[0] = 0; }\nvoid f(int n, double *restrict a) {\n  for (int i = 0; i < n; i++)\n    z(a);\n}", 0, ["a", "z"], 4),
    "GLOBAL-WRITE": ("int counter;\nvoid bump(void) { counter++; }\nvoid f(int n) {\n  for (int i = 0; i < n; i++)\n    bump();\n}", 0, ["bump", "counter"], 5),
    "MACRO-EFFECT": ("double a[2000];\nint off;\n#define AT(i) a[(i) + off]\nvoid f(int n) {\n  for (int j = 0; j < n; j++) {\n    AT(j) = j;\n    off = 1;\n  }\n}", 0, ["off", "j"], 6),
    "THREAD-LOCAL": ("#include <errno.h>\nvoid f(int n, double *restrict a) {\n  for (int i = 0; i < n; i++) {\n    errno = 0;\n    a[i] = 1;\n  }\n}", 0, ["errno"], 4),
    "IO": ("#include <stdio.h>\nvoid f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    printf(\"%f\\n\", a[i]);\n}", 0, ["printf"], 4),
    "CALL-RNG": ("#include <stdlib.h>\nvoid f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    a[i] = rand();\n}", 0, ["rand", "i"], 4),
    "ALLOC": ("#include <stdlib.h>\nvoid f(int n, double **a) {\n  for (int i = 0; i < n; i++)\n    free(a[0]);\n}", 0, ["free"], 4),
    "EXIT-EARLY": ("void f(int n, double *a) {\n  for (int i = 0; i < n; i++) {\n    if (a[i] < 0)\n      break;\n    a[i] = 1;\n  }\n}", 0, ["i"], 4),
    "NONCANONICAL": ("void f(int n, double *a) {\n  int i = 0;\n  while (i < n) {\n    a[i] = 0;\n    i++;\n  }\n}", 0, ["i", "n"], 3),
    "IV-MODIFIED": ("void f(int n, double *a) {\n  for (int i = 0; i < n; i++) {\n    a[i] = 0;\n    i += a[0] > 0;\n  }\n}", 0, ["i"], 4),
    "ALIAS-ASSUMED": ("void f(int n, double *a, double *b) {\n  for (int i = 0; i < n; i++)\n    a[i] = b[i];\n}", 0, ["a", "b"], 2),
    "BOUNDS-ASSUMED": ("void f(int n, int m, int ld, double *restrict a, const double *restrict b) {\n  for (int j = 0; j < m; j++)\n    for (int i = 0; i < n; i++)\n      a[i + j * ld] = b[i + j * ld];\n}", 0, ["a", "j"], 4),
    "MONOTONIC-ASSUMED": ("void f(int n, int *restrict P, double *restrict a) {\n  for (int j = 0; j < n; j++)\n    for (int k = P[j]; k < P[j + 1]; k++)\n      a[k] = 0;\n}", 0, ["P"], 4),
    "STEP-ASSUMED": ("void f(unsigned n, unsigned s, double *restrict a) {\n  for (unsigned i = 0; i < n; i += s)\n    a[i] = 0;\n}", 0, ["i"], 2),
    "TRIP-ASSUMED": ("int g(int n, double *restrict a) {\n  int i;\n  for (i = 0; i < n; i++)\n    a[i] = 0;\n  return i;\n}", 0, ["i"], 3),
    "ALIAS-UNKNOWN": ("struct G { int arr[1001]; } gs;\nvoid f(void) {\n  struct G *p = &gs;\n  for (int i = 0; i < 1000; i++)\n    p->arr[i] = gs.arr[i + 1] * 2;\n}", 0, ["gs", "p"], 3),
    "REPEATED-WORK": ("double f(const double *restrict a, int n, int repeat) {\n  double s = 0;\n  for (int r = 0; r < repeat; r++) {\n    s = 0;\n    for (int i = 0; i < n; i++)\n      s += a[i];\n  }\n  return s;\n}", 0, ["r"], 3),
    "TRIP-SMALL": ("double a[8];\nvoid f(void) {\n  for (int i = 0; i < 4; i++)\n    a[i] = 0;\n}", 0, ["i"], 3),
    "NESTED-IN-SERIAL": ("double a[100][100][100];\nvoid f(int n, int m) {\n  for (int t = 0; t < m; t++)\n    for (int k = 1; k < n; k++)\n      for (int j = 0; j < n; j++)\n        a[t % 2][k][j] = a[t % 2][k - 1][j];\n}", 2, ["j"], 5),
    "PARSE-ERROR": ("void f(int n, double *a) {\n  for (int i = 0; i < n; i++) {\n    a[i] = ;\n  }\n}", 0, ["i"], 2),
    "OPAQUE": ("void f(int n, int *a) {\n  for (int i = 0; i < n; i++)\n    __asm__(\"\" : \"=r\"(a[i]));\n}", 0, ["a", "i"], 3),
    "EMPTY-BODY": ("void f(int n) {\n  for (int i = 0; i < n; i++) {\n  }\n}", 0, ["i"], 2),
}
# codes that only later stages attach to a loop: the reasons as those stages write them
LATER = {
    "PLACEMENT": "not inserted: the loop shares line 2 with other code",
    "VERIFY-MISMATCH": "not parallelized: the pragma failed verification (output-mismatch: 'a' differs at line 3)",
    "VERIFY-RACE": "not parallelized: the pragma failed verification (race: data race on 'a' at line 3)",
    "VERIFY-SLOWER": "not parallelized: the program ran slower with this pragma (speedup 0.80x)",
    "PRAGMA-INVALID": "'#pragma omp parallel for private()' at line 2: empty clause 'private()'",
    # the learned model's codes (model/gate.py): their messages carry the probability and the pragma
    "MODEL-UNLIKELY": "legal, not parallelized: the model gives 0.12 that a developer would parallelize this "
                      "loop (threshold 0.30); the pragma would be '#pragma omp parallel for'",
    "MODEL-PARALLEL": "suggested by the model (0.91 that a developer would parallelize it), not proven: it holds "
                      "only if the call the analysis cannot see writes nothing another iteration reads or writes "
                      "(line 3: call to 'ext' with unknown effects on 'a'); prove it with --verify",
}


def test_every_code_is_covered():
    assert set(CASES) | set(LATER) == set(CODES)


def _sentence(a, code):
    hits = [t for origin, t in sentences(a) if f"[{code}]" in t and origin == "analysis"]
    assert hits, f"no sentence for {code}: {sentences(a)}"
    return hits[0]


@pytest.mark.parametrize("code", sorted(CASES))
def test_sentence_names_variables_and_lines(code):
    src, k, names, line = CASES[code]
    f = analyze_source(src.encode(), "x.c")
    a = f.loops[k]
    assert code in [r.code for r in a.reasons], [r.code for r in a.reasons]
    s = _sentence(a, code)
    involved = s[s.index("Involved:"):]
    for n in names:
        assert f"'{n}'" in involved, (code, s)
    assert str(line) in involved.split(" at line")[1], (code, s)
    assert f"[analysis] {s}" in explain(f, a)


@pytest.mark.parametrize("code", sorted(LATER))
def test_later_stages_reasons(code):
    f = analyze_source(b"void f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    a[i] = 0;\n}", "x.c")
    a = replace(f.loops[0], reasons=(Reason(code, LATER[code], 2, 3),))
    s = _sentence(a, code)
    involved = s[s.index("Involved:"):]
    assert "'i'" in involved and "2" in involved
    if "'a'" in LATER[code]:
        assert "'a'" in involved and "3" in involved


def test_model_sentences_are_marked():
    from dataclasses import replace
    f = analyze_source(b"void f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    a[i] = 0;\n}", "x.c")
    marked = sentences(replace(f.loops[0], probability=0.42))
    assert ("model", "The learned model gives 0.42 that a developer parallelizes this loop "
                     "(the analysis decides legality).") in marked
