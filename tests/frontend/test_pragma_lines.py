"""Pragmas written as C99's _Pragma operator or through a macro, alone on their line, are the
directives they expand to (frontend/pragma_lines.py)."""
from ompwise.api import Options, analyze_source
from ompwise.frontend.pragma_lines import pragma_lines
from tests.conftest import loops_of

SRC = """
#define OMP_FOR _Pragma("omp parallel for")
#define IVDEP _Pragma("GCC ivdep")
#define PRAGMA(x) _Pragma(#x)
void f(int n, double *restrict a, const double *restrict b) {
  OMP_FOR
  for (int i = 0; i < n; i++) a[i] = b[i];
  IVDEP
  for (int i = 0; i < n; i++) a[i] += b[i];
  PRAGMA(omp parallel for simd)
  for (int i = 0; i < n; i++) a[i] *= b[i];
  _Pragma("omp parallel for")
  for (int i = 0; i < n; i++) a[i] -= b[i];
}
"""


def test_each_form_is_read_as_its_directive_and_the_loop_is_not_lost():
    got = [(a.loop.loc.line, a.reasons[0].code, a.pragma) for a in loops_of(SRC)]
    assert got == [(7, "OMP-EXISTING", None), (9, "OMP-PARALLEL", "#pragma omp parallel for"),
                   (11, "OMP-EXISTING", None), (13, "OMP-EXISTING", None)]
    assert loops_of(SRC)[2].loop.pragma.text == "omp parallel for simd"


def test_lines_are_blanked_in_place_and_a_header_macro_counts():
    text = b"void f(int n, double *a) {\n  OMPFOR\n  for (int i = 0; i < n; i++) a[i] = 0;\n}\n"
    out, found = pragma_lines(text, {"OMPFOR": "#pragma omp for schedule(static)"})
    assert len(out) == len(text) and out.count(b"\n") == text.count(b"\n") and b"OMPFOR" not in out
    assert found == {2: "omp for schedule(static)"}
    # a call of another macro, or a macro used inside an expression, is left alone
    same = b"void f(void) {\n  OTHER(x)\n  y = OMPFOR;\n}\n"
    assert pragma_lines(same, {"OMPFOR": "#pragma omp for", "OTHER": "g(x);"}) == (same, {})


def test_a_trailing_semicolon_gives_the_construct_the_empty_statement():
    # (review) '_Pragma("omp critical");' protects ';', not the update after it: 'sum' needs a reduction
    (a,) = loops_of("""
double f(int n, const double *a) {
  double sum = 0;
  for (int i = 0; i < n; i++) {
    _Pragma("omp critical");
    sum += a[i];
  }
  return sum;
}""")
    assert a.pragma == "#pragma omp parallel for reduction(+:sum)"


def test_a_macro_undefined_or_defined_twice_is_not_taken_for_its_pragma():
    # (review) '#undef ATOM' then '#define ATOM': the update is not synchronized; nor where a file
    # redefines its header's macro, or two #if branches kept by the configuration disagree
    (a,) = loops_of("""
#define ATOM _Pragma("omp atomic")
#undef ATOM
#define ATOM
double f(int n, const double *a) {
  double s = 0;
  for (int i = 0; i < n; i++) {
    ATOM
    s += a[i];
  }
  return s;
}""")
    assert a.pragma is None
    text = b"void f(void) {\n  OMPX\n  g();\n}\n"
    assert pragma_lines(text, {"OMPX": '_Pragma("omp atomic")'}) [1] == {2: "omp atomic"}
    assert pragma_lines(b"#define OMPX\n" + text, {"OMPX": '_Pragma("omp atomic")'})[1] == {}


def test_a_barrier_is_a_statement_and_keeps_a_loop_serial():
    # (review) a barrier through a macro is no construct around the next statement; a work-sharing
    # loop may not hold one (gcc and clang reject it)
    got = loops_of("""
#define BARRIER _Pragma("omp barrier")
void f(int n, double *restrict a, double *restrict b) {
  for (int i = 0; i < n; i++) {
    a[i] = 1;
    BARRIER;
    b[i] = 2;
  }
  for (int i = 0; i < n; i++) {
    a[i] = 1;
#pragma omp barrier
    b[i] = 2;
  }
}""")
    assert [(x.reasons[0].code, x.pragma) for x in got] == [("PLACEMENT", None)] * 2


def test_a_macro_of_no_parameters_and_a_continued_define():
    # 'PARFOR()' is its pragma; the second line of a continued '#define' is the macro's, no statement's
    assert pragma_lines(b"#define PARFOR() _Pragma(\"omp parallel for\")\nvoid f(void) {\n  PARFOR()\n}\n")[1] == \
        {3: "omp parallel for"}
    text = b"void f(void) {\n#define CRIT \\\n  _Pragma(\"omp critical\")\n  g();\n}\n"
    assert pragma_lines(text)[1] == {}


def test_a_barrier_closing_the_body_is_kept():
    (a,) = loops_of("""
#define OMP_BARRIER _Pragma("omp barrier")
void f(int n, double *restrict a) {
  for (int i = 0; i < n; i++) {
    a[i] = 1;
    OMP_BARRIER
  }
}""")
    assert a.reasons[0].code == "PLACEMENT" and "barrier" in a.reasons[0].message


def test_a_directive_the_configuration_leaves_out_is_the_loops_in_another_build():
    # (review) '#ifdef USE_OMP' around the loop's pragma: a second pragma would not compile with
    # -DUSE_OMP; '#if _OPENMP >= 201811' is clang-14's OpenMP and holds
    got = loops_of("""
void f(int n, double *restrict a, const double *restrict b) {
#ifdef USE_OMP
#pragma omp parallel for
#endif
  for (int i = 0; i < n; i++) a[i] += b[i];
#if _OPENMP >= 201811
#pragma omp parallel for
#endif
  for (int i = 0; i < n; i++) a[i] += b[i];
  for (int i = 0; i < n; i++) a[i] *= b[i];
}""")
    assert [x.reasons[0].code for x in got] == ["PLACEMENT", "OMP-EXISTING", "OMP-PARALLEL"]
    assert "line 4" in got[0].reasons[0].message


def test_constructs_that_may_not_nest_in_a_work_sharing_loop_keep_it_serial():
    got = loops_of("""
void f(int n, double *restrict a, double *restrict b) {
  for (int i = 0; i < n; i++) {
#pragma omp single
    a[i] = 1;
  }
  for (int j = 0; j < n; j++) {
#pragma omp for
    for (int i = 0; i < n; i++) b[j * n + i] = a[i];
  }
  for (int j = 0; j < n; j++) {
#pragma omp parallel for
    for (int i = 0; i < n; i++) b[j * n + i] = a[i];
  }
}""")
    assert [(x.loop.loc.line, x.reasons[0].code) for x in got] == [
        (3, "PLACEMENT"), (7, "PLACEMENT"), (9, "OMP-EXISTING"), (11, "OMP-PARALLEL"), (13, "OMP-EXISTING")]


def test_pragmas_through_a_stringizing_macro():
    # (review) the GCC manual's '_Pragma(STR(x))' and 'OMP(x)' as '_Pragma(STR(omp x))'
    got = loops_of("""
#define STR(x) #x
#define PRAGMA(x) _Pragma(STR(x))
#define OMP(x) _Pragma(STR(omp x))
void f(int n, double *restrict a) {
  PRAGMA(omp parallel for)
  for (int i = 0; i < n; i++) a[i] = 0;
  OMP(parallel for simd)
  for (int i = 0; i < n; i++) a[i] = 1;
  for (int i = 0; i < n; i++) a[i] = 2;
}""")
    assert [(x.reasons[0].code, x.loop.pragma.text if x.loop.pragma else None) for x in got] == [
        ("OMP-EXISTING", "omp parallel for"), ("OMP-EXISTING", "omp parallel for simd"), ("OMP-PARALLEL", None)]


def test_the_operator_before_its_statement_or_over_two_lines():
    # (review) both had been misread: the loop on the operator's line as one without a directive
    # (then given a second), the split operator as a syntax error that lost the loop
    src = ('void f(int n, double *restrict a, double *restrict b) {\n'
           '  _Pragma("omp parallel for") for (int i = 0; i < n; i++) a[i] = b[i];\n'
           '  _Pragma(\n    "omp parallel for")\n  for (int i = 0; i < n; i++) b[i] = 2 * a[i];\n'
           '  for (int i = 0; i < n; i++) a[i] += 1;\n}\n')
    got = [(a.loop.loc.line, a.reasons[0].code) for a in loops_of(src)]
    assert got == [(2, "OMP-EXISTING"), (5, "OMP-EXISTING"), (6, "OMP-PARALLEL")]
    out, found = pragma_lines(src.encode())
    assert len(out) == len(src) and found == {2: "omp parallel for", 4: "omp parallel for"}
    assert out.split(b"\n")[1].lstrip().startswith(b"for (int i")


def test_a_directive_above_an_if_applies_to_each_branch_under_all_configs():
    # (review) each branch's loop got a second pragma: the rewrite then did not compile

    src = ("void f(int n, double *restrict a, double *restrict b) {\n#pragma omp parallel for\n#ifdef FAST\n"
           "  for (int i = 0; i < n; i++) a[i] = b[i];\n#else\n  for (int i = 0; i < n; i++) a[i] = 2 * b[i];\n"
           "#endif\n  for (int i = 0; i < n; i++) a[i] += 1;\n}\n")
    got = [(a.loop.loc.line, a.reasons[0].code) for a in analyze_source(src.encode(), "t.c", "c", Options(all_configs=True)).loops]
    assert got == [(4, "OMP-EXISTING"), (6, "OMP-EXISTING"), (8, "OMP-PARALLEL")]


def test_review_parentheses_in_a_comment_join_no_lines_and_a_statement_may_end_in_a_call():
    # (review, unsafe) '(' in the comment after '_Pragma("omp critical")' joined the next lines
    # to it and blanked them: the loop lost its carried 'sum' and got a racy pragma
    src = ("double a[100], b[100], d[100];\nvoid f(void) {\n  double sum = 0;\n  for (int i = 0; i < 100; i++) {\n"
           '    _Pragma("omp critical") // prefix sum over (0, i]\n    sum += a[i];\n    b[i] = sum;\n\n'
           "    d[i] = a[i] + 1.0;\n  }\n}\n")
    (a,) = loops_of(src)
    assert a.reasons[0].code == "SCALAR-CARRIED" and a.pragma is None
    # a statement after the operator on its line may end in ')' or ');'
    src = ("double g(double);\ndouble a[100], b[100];\ndouble f(void) {\n  double t = 0;\n"
           '  for (int i = 0; i < 100; i++) {\n    _Pragma("omp critical") t = t * 0.5 + g(a[i]);\n    b[i] = 2 * a[i];\n  }\n'
           '  _Pragma("omp parallel for") for (int i = 0; i < 100; i++)\n    a[i] = 2 * b[i];\n  return t;\n}\n')
    fa = analyze_source(src.encode(), "t.c", "c")
    assert fa.errors == [] and [a.reasons[0].code for a in fa.loops] == ["SCALAR-CARRIED", "OMP-EXISTING"]


def test_review_an_operator_after_a_directive_line_is_a_second_directive():
    src = ("double a[100], b[100];\nvoid f(void) {\n#pragma omp parallel\n"
           '  _Pragma("omp for") for (int i = 0; i < 100; i++) a[i] = 2 * b[i];\n}\n')
    (a,) = loops_of(src)
    assert a.reasons[0].code == "OMP-EXISTING" and a.loop.pragma.text == "omp for"


def test_review_the_condition_of_an_if_is_no_statement_of_its_branch():
    src = ("void f(int n, double *restrict a, double *restrict b) {\n#pragma omp parallel for\n#if VARIANT == 2\n"
           "  for (int i = 0; i < n; i++) a[i] = b[i];\n#elif LEVEL >= 2\n  for (int i = 0; i < n; i++) a[i] = 3 * b[i];\n"
           "#else\n  for (int i = 0; i < n; i++) a[i] = 2 * b[i];\n#endif\n}\n")
    fa = analyze_source(src.encode(), "t.c", "c", Options(all_configs=True))
    assert [a.reasons[0].code for a in fa.loops] == ["OMP-EXISTING"] * 3


def test_review_two_operators_and_an_empty_branch():
    # two operators before the loop: the second is its directive, as of two '#pragma' lines
    src = ('double a[100], b[100];\nvoid f(void) {\n  _Pragma("omp parallel") _Pragma("omp for") for (int i = 0; i < 100; i++)'
           ' a[i] = b[i];\n}\n')
    fa = analyze_source(src.encode(), "t.c", "c")
    assert fa.errors == [] and [(a.reasons[0].code, a.loop.pragma.text) for a in fa.loops] == [("OMP-EXISTING", "omp for")]
    # (review) under --all-configs, a branch with no statement leaves the directive to the statement
    # after '#endif' in that build: that loop must not get a second pragma
    src = ("void f(int n, double *restrict a, double *restrict b) {\n#pragma omp parallel for\n#ifdef USE_INIT\n"
           "  for (int i = 0; i < n; i++) a[i] = 0;\n#endif\n  for (int i = 0; i < n; i++) a[i] = b[i] + 1;\n}\n")
    fa = analyze_source(src.encode(), "t.c", "c", Options(all_configs=True))
    assert [a.reasons[0].code for a in fa.loops] == ["OMP-EXISTING", "OMP-EXISTING"]
