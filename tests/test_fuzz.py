"""Property-based robustness: random and mutated C never crash check or parallelize."""
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ompwise import analyze_source, insert_pragmas
from ompwise.cli import main
from ompwise.rewrite import remove_lines

SEEDS = [
    "double a[100], b[100];\nvoid f(int n) {\n  for (int i = 0; i < n; i++)\n    a[i] = b[i] + 1;\n}\n",
    "int g(int n, int *x) {\n  int s = 0, i;\n  for (i = 0; i < n; i++) { if (x[i] > s) s = x[i]; }\n  return s;\n}\n",
    "#define N 64\nstatic double m[N][N];\nvoid h(void) {\n  int i, j;\n  for (i = 1; i < N; i++)\n    for (j = 0; j < N; j++)\n      m[i][j] = m[i-1][j] * 0.5;\n}\n",
    "#include <stdio.h>\nint main(void) {\n#pragma omp parallel for\n  for (int i = 0; i < 10; i++) printf(\"%d\\n\", i);\n  return 0;\n}\n",
    "#define BUMP cnt++\n#define MAX(a,b) ((a)>(b)?(a):(b))\nint cnt, b[64];\nint k(int *a, int n) {\n  int m = 0;\n"
    "  for (int i = 0; i < n; i++) {\n    switch (a[i]) { case 0: m = MAX(m, a[i]); break; default: BUMP; }\n"
    "    int *p = &b[i % 64];\n    *p += a[i];\n  }\n  return m;\n}\n",
]

TOKENS = ["for", "(", ")", "{", "}", ";", "int", "i", "=", "0", "<", "n", "++", "a", "[", "]", "+", "-", "*",
          "/", "if", "else", "return", "#pragma omp parallel for\n", "#ifdef X\n", "#endif\n", "\n", " ", "\\\n",
          "double", "s", "+=", "while", "break", "->", ".", "&", "\"", "'", "/*", "*/", "//", ",", "?", ":",
          "switch", "case 1:", "default:", "#define M x++\n", "(unsigned char)", "*p", "goto L;", "L:"]


@st.composite
def mutated(draw):
    base = bytearray(draw(st.sampled_from(SEEDS)).encode())
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        pos = draw(st.integers(0, len(base)))
        if op == "insert":
            base[pos:pos] = draw(st.sampled_from(TOKENS)).encode()
        elif op == "delete" and base:
            base[pos:pos + draw(st.integers(1, 8))] = b""
        elif base:
            base[pos:pos + 1] = bytes([draw(st.integers(1, 255))])
    return bytes(base)


token_soup = st.lists(st.sampled_from(TOKENS), max_size=60).map(lambda ts: " ".join(ts).encode())


def check_library(data: bytes, name: str = "fuzz.c", language: str = "c") -> None:
    fa = analyze_source(data, name, language)
    rw = insert_pragmas(fa.tu.raw(), fa.loops)
    assert remove_lines(rw.text, rw.inserted_lines) == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), token_soup))
def test_library_never_raises_and_round_trips(data):
    check_library(data)


CPP_SEEDS = [
    "#include <vector>\nstruct P { double x, v; void add(double d) { x += d; } };\n"
    "void f(std::vector<P>& ps, std::vector<double>& w, int n) {\n  double s = 0; double &r = s;\n"
    "  for (int i = 0; i < n; i++) { P &p = ps[i]; p.x += p.v; w.at(i) = r; ps[0].add(w[i]); }\n}\n",
    "template <class T> T sq(T x) { return x * x; }\nvoid g(double* __restrict a, int n) {\n"
    "  auto h = [&](int i) { return a[i] + 1; };\n  for (int i = 0; i < n; i++) a[i] = sq(h(i));\n}\n",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CPP_SEEDS), st.lists(st.tuples(st.integers(0, 400), st.sampled_from(TOKENS + ["&", "::", "<", ">"])), max_size=5))
def test_cpp_library_never_raises_and_round_trips(seed, edits):
    data = bytearray(seed.encode())
    for pos, tok in edits:
        data[pos:pos] = tok.encode()
    check_library(bytes(data), "fuzz.cpp", "cpp")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(mutated(), token_soup, st.binary(max_size=200)))
@example(data=b"\x01\r")  # (a lone CR: the output keeps it)
@example(data=b"void f(double *a, int n) {\r  for (int i = 0; i < n; i++)\r    a[i] = 0;\r}\r")
def test_cli_exit_codes(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("fuzz")
    path = os.path.join(d, "f.c")
    with open(path, "wb") as fh:
        fh.write(data)
    for argv in (["check", path], ["check", "--format", "json", path], ["parallelize", path, "-o", os.path.join(d, "o.c")]):
        rc = main(argv)
        assert rc in (0, 2), (argv, rc)
    out = os.path.join(d, "o.c")
    if os.path.exists(out):
        fa = analyze_source(data, path, "c")
        rw = insert_pragmas(data, fa.loops)  # (the file's own bytes: a lone CR stays a CR)
        assert open(out, "rb").read() == rw.text
