"""Parameters declared through function-like macros (frontend/macrodecl.py), and
angle-bracket includes found in the user's include directories (frontend/headers.py)."""
from ompwise import Options, analyze_file
from ompwise.frontend import ir
from ompwise.frontend.macrodecl import declared

HEADER = ("#ifndef BENCH_H\n#define BENCH_H\n"
          "# define ARR_1D(var, dim1, ddim1) var[dim1 + 0]\n"
          "# define ARR_2D(var, dim1, dim2, ddim1, ddim2) var[dim1 + 0][dim2 + 0]\n"
          "#endif\n")
KERNEL = ("#include <bench.h>\n"
          "void kernel(int m, int n, double ARR_2D(A, N, M, n, m), double ARR_1D(s, M, m),\n"
          "            double ARR_1D(r, N, n)) {\n"
          "  int i, j;\n"
          "  for (i = 0; i < m; i++)\n    s[i] = 0;\n"
          "  for (i = 0; i < n; i++)\n"
          "    for (j = 0; j < m; j++)\n"
          "      s[j] = s[j] + r[i] * A[i][j];\n"
          "}\n")
LOC = ir.Loc(1, 1)


def test_declared_reads_the_macro_body():
    v = declared("var[dim1 + 0][dim2 + 0]", ("var", "dim1", "dim2"), ("A", "N", "M"), "double", LOC)
    assert (v.name, v.array, v.dims, v.restrict) == ("A", True, 2, False)
    r = declared("var[restrict dim1]", ("var", "dim1"), ("x", "N"), "float", LOC)
    assert (r.name, r.dims, r.restrict) == ("x", 1, True)
    assert declared("var", ("var",), ("x",), "int", LOC).dims == 0
    # not a plain declarator, or the wrong number of arguments: left out
    assert declared("*var", ("var",), ("x",), "int", LOC) is None
    assert declared("var[n] + 1", ("var", "n"), ("x", "N"), "int", LOC) is None
    assert declared("var[n]", ("var", "n"), ("x",), "int", LOC) is None
    assert declared("other[n]", ("var", "n"), ("x", "N"), "int", LOC) is None


def test_polybench_style_parameters_become_arrays(tmp_path):
    inc = tmp_path / "utilities"
    inc.mkdir()
    (inc / "bench.h").write_text(HEADER)
    src = tmp_path / "bicg.c"
    src.write_text(KERNEL)
    fa = analyze_file(str(src), Options(include_dirs=(str(inc),)))
    kernel = next(f for f in fa.tu.functions if f.name == "kernel")
    assert [(p.name, p.dims) for p in kernel.params] == [("m", 0), ("n", 0), ("A", 2), ("s", 1), ("r", 1)]
    loops = {a.loop.loc.line: a for a in fa.loops}
    # 's' is an array parameter now: the accumulation over i is an array-section reduction
    # (a pointer needs its section), conditional on the parameters not overlapping
    assert loops[7].pragma == "#pragma omp parallel for private(j) reduction(+:s[0:m])"
    assumed = [r for r in loops[7].reasons if r.code == "ALIAS-ASSUMED"]
    assert assumed and "'s' and" in assumed[0].message


def test_angle_include_is_read_only_from_include_dirs(tmp_path):
    (tmp_path / "bench.h").write_text(HEADER)  # next to the file: '<...>' does not look here
    src = tmp_path / "bicg.c"
    src.write_text(KERNEL)
    fa = analyze_file(str(src))
    kernel = next(f for f in fa.tu.functions if f.name == "kernel")
    # the macros are unknown: plain pointer parameters, named after the subscripted argument
    assert [(p.name, p.pointer, p.dims) for p in kernel.params] == [
        ("m", False, 0), ("n", False, 0), ("A", True, 0), ("s", True, 0), ("r", True, 0)]
    loops = {a.loop.loc.line: a for a in fa.loops}
    # a 1-D pointer parameter: the accumulation is still a section reduction, and conditional
    assert loops[7].pragma == "#pragma omp parallel for private(j) reduction(+:s[0:m])"
    assert any(r.code == "ALIAS-ASSUMED" for r in loops[7].reasons)


def test_parenthesized_macro_body_and_comments():
    v = declared("(var) /* the array */ [n]", ("var", "n"), ("a", "N"), "double", LOC)
    assert (v.name, v.dims) == ("a", 1)
    assert declared("var[n]", ("var", "n"), ("a + 1", "N"), "double", LOC) is None  # not a name


def test_unreadable_parameters_keep_their_positions(tmp_path):
    # 'WEIRD' has no definition in view: the parameter must still be there, or 'y[0]'
    # would bind to 'a' (read only) instead of 'b' (written) and the caller's loop would race
    src = tmp_path / "k.c"
    src.write_text("#define ARR1(v, n) v[n]\ndouble x[100][8], y[100][8];\n"
                   "void k(int n, double WEIRD(a, n), double ARR1(b, n)) {\n"
                   "  for (int i = 0; i < n; i++) b[i] = a[i] + b[i];\n}\n"
                   "void run(void) {\n  for (int j = 0; j < 100; j++) k(8, x[j], y[0]);\n}\n"
                   "void sortall(int n, int cmp(const void *, const void *), double *out) {\n"
                   "  for (int i = 0; i < n; i++) out[i] = 0;\n}\n"
                   "void zero(double (*z)[8]) {\n  for (int j = 0; j < 100; j++) sortall(8, 0, z[0]);\n}\n")
    fa = analyze_file(str(src))
    fns = {f.name: f for f in fa.tu.functions}
    assert [p.name for p in fns["k"].params] == ["n", "a", "b"]
    assert [p.name for p in fns["sortall"].params] == ["n", "<parameter 2>", "out"]
    loops = {a.loop.loc.line: a for a in fa.loops}
    assert loops[4].pragma is not None and any(r.code == "ALIAS-ASSUMED" for r in loops[4].reasons)
    assert loops[7].pragma is None and loops[7].reasons[0].code == "DEP-CARRIED"  # y[0] written every iteration
    assert loops[13].pragma is None  # z[0] written through 'out' every iteration
