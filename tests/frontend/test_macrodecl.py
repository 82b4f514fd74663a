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
    assert [p.name for p in kernel.params] == ["m", "n"]  # the macros are unknown: left out
