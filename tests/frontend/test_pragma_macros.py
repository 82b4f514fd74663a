"""Macros expanded in '#pragma omp' lines (frontend/pragma_macros.py)."""
from ompwise.frontend.pragma_macros import collect, expand, expand_pragmas


def test_object_and_function_like_macros():
    m = collect([b"#define PRIV private(t)\n#define RED(op, v) reduction(op: v)\n#define TWO 2\n"
                 b"#define OUTER PRIV collapse(TWO)\n"])
    assert expand("parallel for PRIV RED(+, s)", m) == "parallel for private(t) reduction(+: s)"
    assert expand("for OUTER", m) == "for private(t) collapse(2)"
    assert expand("for RED(+)", m) == "for RED(+)"  # wrong argument count: left as written
    assert expand("for RED", m) == "for RED"  # not a call


def test_self_reference_stops_and_strings_stay():
    m = collect([b"#define A B\n#define B A x\n#define S private(s)\n"])
    assert expand("A", m) == "A x"
    assert expand('"S" S', m) == '"S" private(s)'


def test_defines_headers_and_inactive_branches():
    m = collect([b"#define H shared(h)\n", b"#if 0\n#define DEAD private(d)\n#endif\n#define LATE private(\\\n l)\n"],
                ("DOPT=private(o)", "FLAG"))
    assert m.objects["H"] == "shared(h)" and m.objects["DOPT"] == "private(o)" and m.objects["FLAG"] == "1"
    assert "DEAD" not in m.objects and m.objects["LATE"] == "private(  l)"
    redefined = collect([b"#define X 1\n", b"#define X(a) a\n"])
    assert "X" not in redefined.objects and redefined.functions["X"] == (("a",), "a")


def test_expand_pragmas_keeps_lines():
    src = (b"#define PRIV private(t)\nint f(void) {\n#pragma omp parallel for \\\n  PRIV // why\n"
           b"  for (;;) {}\n#pragma GCC PRIV\n  return 0;\n}\n")
    out = expand_pragmas(src, collect([src]))
    assert out.count(b"\n") == src.count(b"\n")
    lines = out.split(b"\n")
    assert lines[2] == b"#pragma omp parallel for    private(t) // why" and lines[3] == b""
    assert lines[5] == b"#pragma GCC PRIV"  # only OpenMP pragmas are expanded
    plain = b"#define N 4\n#pragma omp parallel for\nint x;\n"
    assert expand_pragmas(plain, collect([plain])) is plain
