"""Functions defined in the program's other files get summaries (frontend/program.py)."""
from ompwise import Options, analyze_file, analyze_paths


INIT = ("extern double u[100][100];\n"
        "void lhsinit(int n, double *lhs) { for (int i = 0; i < n; i++) lhs[i] = 0.0; }\n"
        "void bump(void) { u[0][0] += 1; }\n"
        "static void helper(double *p) { p[0] = 1; }\n")
SOLVE = ("double u[100][100];\nvoid lhsinit(int n, double *lhs);\nvoid bump(void);\nvoid helper(double *p);\n"
         "void x_solve(int n) {\n"
         "  for (int j = 0; j < n; j++) {\n    double lhs[100];\n    lhsinit(100, lhs);\n"
         "    for (int i = 0; i < 100; i++) u[j][i] = lhs[i] + 1;\n  }\n"
         "  for (int j = 0; j < n; j++) bump();\n"
         "  for (int j = 0; j < n; j++) { double t[1]; helper(t); u[j][0] = t[0]; }\n"
         "}\n")


def _codes(fa):
    return {a.loop.loc.line: a.reasons[0].code for a in fa.loops}


def test_other_files_supply_summaries(tmp_path):
    (tmp_path / "init.c").write_text(INIT)
    (tmp_path / "solve.c").write_text(SOLVE)
    alone = _codes(analyze_file(str(tmp_path / "solve.c")))
    assert alone[6] == "CALL-UNKNOWN" and alone[11] == "CALL-UNKNOWN"
    files, errors = analyze_paths([str(tmp_path)])
    assert not errors
    together = _codes(next(f for f in files if f.path.endswith("solve.c")))
    assert together[6] == "OMP-PARALLEL"  # lhsinit writes only the private buffer
    assert together[11] == "GLOBAL-WRITE"  # bump writes the global u
    assert together[12] == "CALL-UNKNOWN"  # a static function of another file is not the one called


def test_ambiguous_definitions_stay_unknown(tmp_path):
    (tmp_path / "a.c").write_text("void f(double *p) { p[0] = 1; }\n")
    (tmp_path / "b.c").write_text("double g[4];\nvoid f(double *p) { g[0] = p[0]; }\n")
    main = tmp_path / "main.c"
    main.write_text("void f(double *p);\nvoid run(int n, double (*x)[1]) { for (int i = 0; i < n; i++) f(x[i]); }\n")
    fa = analyze_file(str(main), Options(program=(str(tmp_path / "a.c"), str(tmp_path / "b.c"), str(main))))
    assert fa.loops[0].reasons[0].code == "CALL-UNKNOWN"


def test_calls_from_other_files_count_as_loops_around(tmp_path):
    (tmp_path / "init.c").write_text(INIT)
    (tmp_path / "solve.c").write_text(SOLVE.replace("  for (int j = 0; j < n; j++) {\n    double lhs",
                                                    "  for (int k = 0; k < n; k++)\n  for (int j = 0; j < n; j++) {\n    double lhs"))
    files, _ = analyze_paths([str(tmp_path)])
    init = next(f for f in files if f.path.endswith("init.c"))
    a = init.loops[0]
    assert a.pragma is None and a.reasons[0].code == "NESTED-IN-SERIAL" and "solve.c:" in a.reasons[0].message


def test_call_chains_through_other_files_count(tmp_path):
    # main's time-step and plane loops call plane() in b.c, which calls sweep() in c.c:
    # sweep's loop would open a region per plane and time step
    (tmp_path / "main.c").write_text(
        "double u[64][64];\nvoid plane(int k);\n"
        "int main(void) { for (int it = 0; it < 100; it++) for (int k = 0; k < 64; k++) plane(k); return 0; }\n")
    (tmp_path / "b.c").write_text("void sweep(int k);\nvoid plane(int k) { sweep(k); }\n")
    (tmp_path / "c.c").write_text("extern double u[64][64];\n"
                                  "void sweep(int k) { for (int j = 0; j < 64; j++) u[k][j] *= 2; }\n")
    files, _ = analyze_paths([str(tmp_path)])
    sweep = next(f for f in files if f.path.endswith("c.c")).loops[0]
    assert sweep.pragma is None and sweep.reasons[0].code == "NESTED-IN-SERIAL"
    assert "main.c:" in sweep.reasons[0].message or "b.c:" in sweep.reasons[0].message
    # the same loop reached only through the time-step loop keeps its pragma
    (tmp_path / "main.c").write_text(
        "double u[64][64];\nvoid plane(int k);\n"
        "int main(void) { for (int it = 0; it < 100; it++) plane(3); return 0; }\n")
    files, _ = analyze_paths([str(tmp_path)])
    sweep = next(f for f in files if f.path.endswith("c.c")).loops[0]
    assert sweep.pragma == "#pragma omp parallel for"


def test_a_loop_over_a_few_slices_in_another_file_does_not_make_a_call_deep(tmp_path):
    # splatt: CPD's iterations times its loop over the tensor's modes, at most MAX_NMODES (8) as
    # 'dims[m]' says, call the per-mode kernels: eight slices leave each region a mode's whole matrix
    (tmp_path / "cpd.c").write_text(
        "#define MAX_NMODES 8\ntypedef struct { int nmodes; int dims[MAX_NMODES]; double *vals; } tensor_t;\n"
        "void normalize(double *a, int n, int m);\n"
        "void cpd(tensor_t *t, double **mats, int iters) {\n"
        "  for (int it = 0; it < iters; it++)\n"
        "    for (int m = 0; m < t->nmodes; m++) normalize(mats[m], t->dims[m], m);\n}\n")
    (tmp_path / "matrix.c").write_text(
        "void normalize(double *a, int n, int m) { for (int i = 0; i < n; i++) a[i] *= 0.5 + m; }\n")
    files, _ = analyze_paths([str(tmp_path)])
    loop = next(f for f in files if f.path.endswith("matrix.c")).loops[0]
    assert loop.pragma == "#pragma omp parallel for", [r.message for r in loop.reasons]
    # the same kernel under a loop over the rows of a matrix is too deep
    (tmp_path / "cpd.c").write_text(
        "void normalize(double *a, int n, int m);\n"
        "void cpd(double **rows, int nrows, int n, int iters) {\n"
        "  for (int it = 0; it < iters; it++)\n"
        "    for (int r = 0; r < nrows; r++) normalize(rows[r], n, r);\n}\n")
    files, _ = analyze_paths([str(tmp_path)])
    loop = next(f for f in files if f.path.endswith("matrix.c")).loops[0]
    assert loop.pragma is None and loop.reasons[0].code == "NESTED-IN-SERIAL"
