"""Front end: loops, locations, canonical forms, pragmas, C++ and preprocessor robustness."""
import json
import os

from ompwise import analyze_file, Options
from ompwise.frontend.parse import parse_source
from ompwise.frontend.pragma import parse_loop_clauses, split_directive


def tu(code, lang="c"):
    return parse_source(code.encode(), f"t.{lang}", lang)


def test_locations_functions_depth():
    t = tu("void f(int n) {\n  for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++) {}\n}\nint g(void){ for(;;) break; return 0; }\n")
    locs = [(l.loc.line, l.loc.column, l.function, l.depth) for l in t.loops]
    assert locs == [(2, 3, "f", 0), (3, 5, "f", 1), (5, 14, "g", 0)]
    assert t.loops[0].children == [1] and t.loops[1].parent == 0


def test_canonical_forms():
    t = tu("void f(int n){int i;\nfor(i=n-1;i>=0;i--){}\nfor(i=0;i<=n;i+=2){}\nfor(i=0;i<n;i=i+4){}\nfor(i=0;n>i;++i){}\nfor(i=0;i*i<n;i++){}\nfor(double x=0;x<1;x+=.1){}}")
    c = [l.canonical for l in t.loops]
    assert c[0].step == -1 and c[0].var == "i"
    assert c[1].step == 2 and c[2].step == 4 and c[3].step == 1
    assert c[4] is None and "comparison" in t.loops[4].noncanonical
    assert c[5] is None and "integer" in t.loops[5].noncanonical


def test_pragma_attached_through_comments_and_braceless():
    t = tu("void f(int n,double*a){\n#pragma omp parallel for private(j) \\\n  reduction(+:s)\n// note\n/* more */\nfor(int i=0;i<n;i++) a[i]=0;\n}")
    p = t.loops[0].pragma
    assert p is not None and p.directive == "parallel for"
    cl = parse_loop_clauses(p.clauses)
    assert cl.private == ("j",) and cl.reduction[0].op == "+"


def test_split_directive():
    assert split_directive("omp target teams distribute parallel for simd collapse(2)") == (
        "target teams distribute parallel for simd", "collapse(2)")
    assert split_directive("omp critical (name)")[0] == "critical"


def test_cpp_constructs_do_not_choke():
    code = """
#include <vector>
template <typename T> struct Box { std::vector<T> v; T& at(size_t i) { return v[i]; } };
namespace ns {
void g(std::vector<double>& v, Box<double>& b) {
  auto add = [&](int k) { return v[k] + 1; };
  for (size_t i = 0; i < v.size(); ++i) v[i] = add(i);
  for (auto& x : v) x *= 2;
  for (auto it = v.begin(); it != v.end(); ++it) *it += 1;
}
}
"""
    t = tu(code, "cpp")
    assert not t.errors
    # a range-based for over a std::vector is canonical (OpenMP 5): its hidden index runs over v.size()
    assert [l.canonical is not None for l in t.loops] == [True, True, False]
    assert t.loops[0].function == "g"
    assert t.loops[1].range_for and t.loops[1].canonical.upper.text == "v.size()"
    assert t.loops[2].noncanonical == "iterator loop"


def test_unbalanced_braces_across_ifdef():
    code = "#define OPEN\nvoid f(int n, double *a) {\n#ifdef OMP_OFFLOAD\n{\n#endif\nfor (int i = 0; i < n; i++) a[i] = 0;\n#ifdef OMP_OFFLOAD\n}\n#endif\n}\n"
    t = tu(code)
    assert not t.errors and len(t.loops) == 1


def test_syntax_error_keeps_other_functions():
    t = tu("void ok(int n,double*a){for(int i=0;i<n;i++) a[i]=0;}\nvoid bad( { for (;;\n}\nvoid ok2(int n,double*a){for(int i=0;i<n;i++) a[i]=1;}\n")
    assert t.errors and t.errors[0].line >= 2
    assert {l.function for l in t.loops} >= {"ok", "ok2"}


def test_headers_via_include_dir_and_compile_commands(tmp_path):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "util.h").write_text("static inline double sq(double x) { return x * x; }\n"
                                "static inline void bump(double *p) { p[0] += 1; }\n")
    src = tmp_path / "main.c"
    src.write_text('#include "util.h"\nvoid f(int n, double *restrict a) {\n'
                   '  for (int i = 0; i < n; i++) a[i] = sq(a[i]);\n'
                   '  for (int i = 0; i < n; i++) bump(a);\n}\n')
    without = analyze_file(str(src), Options(read_headers=False))
    assert without.loops[0].reasons[0].code == "CALL-UNKNOWN"
    with_inc = analyze_file(str(src), Options(include_dirs=(str(inc),)))
    assert with_inc.loops[0].pragma == "#pragma omp parallel for"
    assert with_inc.loops[1].reasons[0].code == "CALL-SIDE-EFFECT"
    build = tmp_path / "build"
    build.mkdir()
    (build / "compile_commands.json").write_text(json.dumps([{
        "directory": str(tmp_path), "file": "main.c", "command": f"cc -I{inc} -DN=10 -c main.c"}]))
    via_db = analyze_file(str(src), Options(compile_db=str(build)))
    assert via_db.loops[0].pragma == "#pragma omp parallel for"


def test_cpp_accessor_in_header(tmp_path):
    (tmp_path / "domain.h").write_text(
        "typedef double Real_t; typedef int Index_t;\n"
        "class Domain { public: Real_t& x(Index_t i) { return m_x[i]; } private: Real_t* m_x; };\n")
    src = tmp_path / "lulesh.cc"
    src.write_text('#include "domain.h"\nvoid f(Domain& d, Index_t n) {\n'
                   '  for (Index_t i = 0; i < n; ++i) d.x(i) = d.x(i) * 2;\n'
                   '  for (Index_t i = 1; i < n; ++i) d.x(i) = d.x(i - 1);\n}\n')
    fa = analyze_file(str(src))
    assert fa.loops[0].pragma == "#pragma omp parallel for"
    assert fa.loops[1].reasons[0].code == "DEP-CARRIED"


def test_kr_definitions():
    # typed K&R parameters, and an implicit-int K&R 'main' that tree-sitter splits apart
    t = tu("double randlc(X, A)\ndouble *X;\ndouble *A;\n{ return *X * *A; }\n"
           "main( argc, argv )\n    int argc;\n    char **argv;\n{\n  int i, a[10];\n  for (i = 0; i < 10; i++) a[i] = i;\n}\n")
    assert not t.errors
    fns = {f.name: f for f in t.functions}
    assert [(p.name, p.pointer) for p in fns["randlc"].params] == [("X", True), ("A", True)]
    assert [p.name for p in fns["main"].params] == ["argc", "argv"]
    assert "argc" not in t.globals
    assert [(l.function, l.loc.line) for l in t.loops] == [("main", 10)]


def test_typedef_pointer_to_rows_is_a_declaration():
    # 'dcomplex (*x)[n] = ...' reads as a call 'dcomplex(*x)' to the grammar (NPB FT)
    from ompwise.frontend import ir
    src = (b"typedef struct { double re, im; } dcomplex;\n"
           b"void f(int n, void *ox) { dcomplex (*x)[n] = (dcomplex (*)[n])ox; x[0][0].re = 1; }\n"
           b"void g(int n, void *ox) { cplx (*y)[n] = (cplx (*)[n])ox; y[0][0].re = 1; }\n"  # typedef of a header
           b"double (*h(int *p))[2];\nvoid k(int *p) { h(p)[0][1] = 3; w(*p)[1] = 2; }\n")
    tu = parse_source(src, "t.c")
    f, g, k = (next(fn for fn in tu.functions if fn.name == n) for n in "fgk")
    for fn, name in ((f, "x"), (g, "y")):
        d = fn.body[0]
        assert type(d) is ir.Decl and d.vars[0].name == name and d.vars[0].pointer_to_array and d.vars[0].init is not None
    assert all(type(s) is ir.ExprStmt for s in k.body)  # calls of functions stay calls


def test_typedef_pointer_to_rows_callee_is_analysed(tmp_path):
    p = tmp_path / "t.c"
    p.write_text("typedef struct { double re, im; } dcomplex;\n"
                 "static void g(int n, void *ox) { dcomplex (*x)[n] = (dcomplex (*)[n])ox; x[0][0].re = 1; }\n"
                 "void f(int m, dcomplex (*a)[64]) { for (int i = 0; i < m; i++) g(64, a[i]); }\n")
    a = analyze_file(str(p), Options()).loops[0]
    assert a.code != "CALL-UNKNOWN" and "returns" not in a.reasons[0].message


def test_local_function_pointer_is_not_the_function_of_that_name(tmp_path):
    p = tmp_path / "t.c"
    p.write_text("double out[100]; int counter;\n"
                 "static double sq(double x) { return x * x; }\n"
                 "static double noisy(double x) { counter++; return x * x; }\n"
                 "void f(int n, const double *restrict a) {\n"
                 "  double (*sq)(double) = noisy;\n"
                 "  for (int i = 0; i < n; i++) out[i] = sq(a[i]);\n}\n"
                 "void g(int n, const double *restrict a) { for (int i = 0; i < n; i++) out[i] = sq(a[i]); }\n")
    f, g = analyze_file(str(p), Options()).loops
    assert f.pragma is None and f.code == "CALL-UNKNOWN"
    assert g.pragma == "#pragma omp parallel for"


def test_a_step_of_constant_arithmetic_is_folded():
    # 'i += 1 - 1' never moves the variable: no canonical loop (a zero step), 'i += 2 * 2' steps by 4
    tu = parse_source(b"void f(int n, double *a) {\n  for (int i = 0; i < n; i += 1 - 1) a[i] = 0;\n"
                      b"  for (int i = 0; i < n; i += 2 * 2) a[i] = 0;\n}\n", "t.c")
    assert tu.loops[0].canonical is None and "zero loop step" in tu.loops[0].noncanonical
    assert tu.loops[1].canonical.step == 4
