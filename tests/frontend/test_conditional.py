"""The active configuration: #if/#ifdef/#elif evaluated as the compiler would."""
from ompwise import analyze_source
from ompwise.api import Options
from ompwise.frontend.conditional import active_configuration


def active(text: str, defines=None, language="c") -> str:
    cfg = active_configuration(text.encode(), defines or {}, language)
    assert len(cfg.source) == len(text.encode())  # byte offsets are kept
    return cfg.source.decode()


def test_undefined_macro_is_false_and_else_branch_is_active():
    out = active("#ifdef MPI\nint a;\n#else\nint b;\n#endif\n")
    assert "int a" not in out and "int b" in out and "#ifdef" not in out and "#else" not in out


def test_defines_from_the_user_and_the_file():
    assert "int a" in active("#ifdef MPI\nint a;\n#endif\n", {"MPI": "1"})
    assert "int a" in active("#define V 3\n#if V >= 2 && !defined(X)\nint a;\n#endif\n")
    assert "int a" not in active("#define V 1\n#if V >= 2\nint a;\n#endif\n")
    assert "int a" not in active("#define V 3\n#undef V\n#if V\nint a;\n#endif\n")


def test_elif_chain_takes_the_first_true_branch():
    text = "#if N == 1\nint a;\n#elif N == 2\nint b;\n#elif N >= 2\nint c;\n#else\nint d;\n#endif\n"
    out = active(text, {"N": "2"})
    assert "int b" in out and "int a" not in out and "int c" not in out and "int d" not in out
    out = active(text, {"N": "0"})
    assert "int d" in out and "int b" not in out


def test_nested_conditions_and_continued_directives():
    text = "#if defined(A) || \\\n    defined(B)\n#ifdef C\nint c;\n#else\nint nc;\n#endif\n#endif\n"
    assert "int nc" in active(text, {"B": "1"}) and "int c;" not in active(text, {"B": "1"})
    assert "int nc" not in active(text)


def test_arithmetic_division_and_ternary_as_in_c():
    assert "int a" in active("#if (-7 / 2) == -3 && (7 % -2) == 1 && (1 ? 2 : 3) == 2\nint a;\n#endif\n")
    assert "int a" in active("#if 0x10 == 16 && 010 == 8 && 1UL << 3 == 8\nint a;\n#endif\n")


def test_undecidable_condition_keeps_every_branch():
    text = "#if __has_include(<mpi.h>)\nint a;\n#else\nint b;\n#endif\n"
    out = active(text)
    assert "int a" in out and "int b" in out and "#if __has_include" in out


def test_cplusplus_is_defined_only_for_cpp():
    text = "#ifdef __cplusplus\nint a;\n#endif\n"
    assert "int a" in active(text, language="cpp") and "int a" not in active(text)


SPLIT_SIGNATURE = """#ifdef USE_MPI
void step(double *a, int n, MPI_Comm comm) {
#else
void step(double *a, int n) {
#endif
  for (int i = 0; i < n; i++) a[i] *= 2;
#ifdef DEBUG
  for (int i = 0; i < n; i++) printf("%f\\n", a[i]);
#endif
}
"""


def test_signature_split_by_ifdef_parses_and_inactive_loops_are_counted():
    fa = analyze_source(SPLIT_SIGNATURE.encode(), "s.c", "c")
    assert not fa.errors
    assert [l.loop.loc.line for l in fa.loops] == [6]
    assert fa.loops[0].pragma == "#pragma omp parallel for"
    assert fa.tu.inactive_loops == 1 and fa.tu.activating == ("DEBUG",)
    assert "1 loop in #if branches not analyzed" in fa.notes[0] and "DEBUG" in fa.notes[0]


def test_code_in_an_inactive_branch_never_blocks_a_loop():
    text = ("#include <stdio.h>\nvoid f(double *restrict a, int n) {\n  for (int i = 0; i < n; i++) {\n"
            "    a[i] *= 2;\n#ifdef VERBOSE\n    printf(\"%f\\n\", a[i]);\n#endif\n  }\n}\n")
    assert analyze_source(text.encode(), "v.c", "c").loops[0].pragma == "#pragma omp parallel for"
    verbose = analyze_source(text.encode(), "v.c", "c", Options(defines=("VERBOSE",)))
    assert verbose.loops[0].pragma is None and verbose.loops[0].code == "IO"
    every = analyze_source(text.encode(), "v.c", "c", Options(all_configs=True))
    assert every.loops[0].pragma is None and every.loops[0].code == "IO"


def test_headers_macros_select_the_configuration(tmp_path):
    (tmp_path / "config.h").write_text("#define USE_FAST 1\n")
    src = tmp_path / "k.c"
    src.write_text('#include "config.h"\n#include <stdio.h>\nvoid f(double *restrict a, int n) {\n'
                   "  for (int i = 0; i < n; i++) {\n#if USE_FAST\n    a[i] *= 2;\n#else\n"
                   '    printf("%f", a[i]);\n#endif\n  }\n}\n')
    from ompwise.api import analyze_file
    assert analyze_file(str(src)).loops[0].pragma == "#pragma omp parallel for"


def test_statement_macro_without_semicolon_parses_as_gcc_reads_it():
    text = ("#define ZERO(a, n) { for (int z_ = 0; z_ < (n); z_++) (a)[z_] = 0; }\n"
            "void f(double *restrict a, double *restrict b, int n) {\n  ZERO(a, n)\n"
            "  for (int i = 0; i < n; i++) b[i] = 2 * i;\n}\n")
    fa = analyze_source(text.encode(), "z.c", "c")
    assert not fa.errors and fa.loops[-1].pragma == "#pragma omp parallel for"
    # an expression macro is not a statement: without ';' it stays the syntax error gcc reports
    bad = text.replace("{ for (int z_ = 0; z_ < (n); z_++) (a)[z_] = 0; }", "((a)[0] = (n))")
    assert analyze_source(bad.encode(), "z.c", "c").errors


def test_compiler_loop_hints_between_header_and_body_parse():
    text = ("void f(double *restrict u, int n, int m) {\n  for (int k = 0; k < n; k++)\n#pragma ivdep\n"
            "#pragma simd\n    for (int i = 0; i < m; i++)\n      u[k * m + i] = 0;\n}\n")
    fa = analyze_source(text.encode(), "h.c", "c")
    assert not fa.errors and len(fa.loops) == 2 and fa.loops[0].parallelizable
