"""Adversarial review of the block-scoped constants of d7887b0 (analysis/context.py
_scoped_constants, visible_decls) and of the linearized-stride splits.

Each program below declares 'd' in both branches of an 'if' (so the name is declared more than
once and _scoped_constants applies), and the first loop, 'a[i + d] = a[i] + 1', is independent
only if 'd' really is the value of the declaration the analysis takes (0, or a literal the type
cannot hold). In every case 'd' is 1 when the loop runs: 'ompwise verify' reported a data
race (Archer, 2 and 4 threads) on 'a' for the pragma that 'ompwise parallelize' inserted at the
time of the review. The sound answer is no pragma on that loop; analysis/census.py gives it. Most of these programs also break the older
single-declaration constants (Scope.constants): the same write/alias/declaration detection
serves both."""
import pytest

from tests.conftest import loops_of

LOOP1 = "for (int i = 0; i < 200; i++)\n      a[i + d] = a[i] + 1;"


def two_branches(first: str, second: str = "int d = 1;", pre: str = "", loop: str = LOOP1) -> str:
    """'first' is the branch's text before its loop; the other branch declares 'd' again."""
    return (pre + "void f(double *a, int c)\n{\n  if (c) {\n    " + first + "\n    " + loop + "\n"
            "  } else {\n    " + second + "\n    for (int i = 0; i < 200; i++)\n      a[i + d] = a[i] + 2;\n  }\n}\n")


def shadowed(inner: str, lang: str = "cpp") -> str:
    """'int d = 0;' in scope (declared twice in the function), shadowed at the loop by a
    declaration of d = 1 the scope walk does not see; 'inner' holds the loop at '@'."""
    return ("void f(double *a, int c)\n{\n  int d = 0;\n  if (c) {\n    " + inner.replace("@", LOOP1) + "\n"
            "  } else {\n    int d = 0;\n    for (int i = 0; i < 200; i++)\n      a[i + d] = a[i] + 2;\n  }\n}\n")


CASES = [
    # --- the declaration's literal is not the value the type holds (d is 1) ---
    ("uchar-257", "c", two_branches("unsigned char d = 257;", "unsigned char d = 0;")),
    ("short-65537", "c", two_branches("short d = 65537;", "short d = 0;")),
    ("int-4294967297", "c", two_branches("int d = 4294967297;", "int d = 0;")),
    # --- a write the occurrence scan does not see (d set to 1 before the loop) ---
    ("asm-output", "c", two_branches('int d = 0;\n    __asm__ volatile("" : "=r"(d) : "0"(1));')),
    ("vla-size", "c", two_branches("int d = 0;\n    double tmp[(d = 1) + 1]; (void)tmp;")),
    ("vla-size-inc", "c", two_branches("int d = 0;\n    double tmp[d++ + 1]; (void)tmp;")),
    ("vla-typedef", "c", two_branches("int d = 0;\n    typedef double T[(d = 1) + 1]; T *pp = 0; (void)pp;")),
    ("sizeof-vla-type", "c", two_branches("int d = 0;\n    int m = 2; (void)sizeof(double[d = 1][m]);")),
    ("cxx-new-size", "cpp", two_branches("int d = 0;\n    double *pp = new double[d = 1]; delete[] pp;")),
    # --- C++: d bound to a reference or pointer through an expression, then written through it ---
    ("cxx-ref-ternary", "cpp", two_branches("int d = 0;\n    int e = 5; int &r = c ? d : e; r = 1;")),
    ("cxx-ref-ternary-paren", "cpp", two_branches("int d = 0;\n    int e = 0; int &r = (c ? d : e); r = 1;")),
    ("cxx-ref-comma", "cpp", two_branches("int d = 0;\n    int &r = (0, d); r = 1;")),
    ("cxx-decltype-paren-ref", "cpp", two_branches("int d = 0;\n    decltype((d)) r = d; r = 1;")),
    ("cxx-addr-of-ternary", "cpp", two_branches("int d = 0;\n    int e = 0; int *p = &(c ? d : e); *p = 1;")),
    ("cxx-ternary-lvalue", "cpp", two_branches("int d = 0;\n    int e = 0; (c ? d : e) = 1;")),
    ("cxx-comma-lvalue", "cpp", two_branches("int d = 0;\n    (0, d) = 1;")),
    ("cxx-operator-ref-param", "cpp", two_branches(
        "int d = 0;\n    S s; s >> d;", pre="struct S {};\nS &operator>>(S &s, int &x) { x = 1; return s; }\n")),
    ("cxx-aggregate-ref-member", "cpp", two_branches("int d = 0;\n    R rr{d}; rr.x = 1;", pre="struct R { int &x; };\n")),
    ("cxx-aggregate-ref-member-eq", "cpp", two_branches("int d = 0;\n    R rr = {d}; rr.x = 1;", pre="struct R { int &x; };\n")),
    ("cxx-ctor-ref-member", "cpp", two_branches(
        "int d = 0;\n    R rr(d); rr.x = 1;", pre="struct R { int &x; R(int &y) : x(y) {} };\n")),
    ("cxx-pair-of-ref", "cpp", two_branches(
        "int d = 0;\n    std::pair<int &, int> pr(d, 0); pr.first = 1;", pre="#include <utility>\n")),
    ("cxx-reference-wrapper-array", "cpp", two_branches(
        "int d = 0;\n    std::reference_wrapper<int> w[] = { d }; w[0].get() = 1;", pre="#include <functional>\n")),
    # --- a declaration of d = 1 shadows at the loop, but the scope walk takes the outer 'int d = 0' ---
    ("enum-constant", "c", shadowed("{\n      enum { d = 1 };\n      @\n    }", "c")),
    ("enum-constant-implicit", "c", shadowed("{\n      enum E { X, d };\n      @\n    }", "c")),
    ("cxx-if-init", "cpp", shadowed("if (int d = 1; c) {\n      @\n    }")),
    ("cxx-if-condition-decl", "cpp", shadowed("if (int d = 1) {\n      @\n    }")),
    ("cxx-switch-init", "cpp", shadowed("switch (int d = 1; c) {\n    default:\n      @\n    }")),
    ("cxx-switch-condition-decl", "cpp", shadowed("switch (int d = 1) {\n    default:\n      @\n    }")),
    ("cxx-while-condition-decl", "cpp", shadowed("while (int d = 1) {\n      @\n      break;\n    }")),
    ("cxx-catch-parameter", "cpp", shadowed("try { throw 1; } catch (int d) {\n      @\n    }")),
    ("cxx-range-for-init", "cpp", shadowed("int one[1] = {0};\n    for (int d = 1; int z : one) {\n      (void)z;\n      @\n    }")),
    ("cxx-labeled-decl", "cpp", shadowed("{\n    lab: int d = 1;\n      @\n    }")),
]


@pytest.mark.parametrize("name,lang,code", CASES, ids=[c[0] for c in CASES])
def test_racy_loop_with_redeclared_name_gets_no_pragma(name, lang, code):
    loops = loops_of(code, lang)
    racy = next(l for l in loops if l.loop.loc.line == _first_loop_line(code))
    assert not racy.parallelizable


def _first_loop_line(code: str) -> int:
    return next(n for n, line in enumerate(code.splitlines(), 1) if "a[i + d] = a[i] + 1" in line) - 1


# what held: writes the scan sees, and declarations the scope walk sees (regressions, not xfail)
HELD = [
    ("inc", "c", two_branches("int d = 0;\n    d++;")),
    ("macro-assign", "c", two_branches("int d = 0;\n    SETD;", pre="#define SETD d = 1\n")),
    ("macro-arg", "c", two_branches("int d = 0;\n    ASSIGN(d);", pre="#define ASSIGN(v) v = 1\n")),
    ("init-assign", "c", two_branches("int d = 0;\n    int e = (d = 1); (void)e;")),
    ("if-cond-assign", "c", two_branches("int d = 0;\n    if ((d = 1)) { }")),
    ("for-update", "c", two_branches("int d = 0;\n    for (int t = 0; t < 1; t++, d = 1) { }")),
    ("compound-literal", "c", two_branches("int d = 0;\n    (void)(int[]){ d = 1 };")),
    ("ptr-alias", "c", two_branches("int d = 0;\n    int *p = &d + 0; *p = 1;")),
    ("ptr-ternary-c", "c", two_branches("int d = 0;\n    int e = 0; int *p = c ? &d : &e; *p = 1;")),
    ("cxx-ref", "cpp", two_branches("int d = 0;\n    int &r = d; r = 1;")),
    ("cxx-auto-rvalue-ref", "cpp", two_branches("int d = 0;\n    auto &&r = d; r = 1;")),
    ("cxx-const-cast", "cpp", two_branches("int d = 0;\n    const_cast<int&>(d) = 1;")),
    ("cxx-swap", "cpp", two_branches("int d = 0;\n    int e = 1; std::swap(d, e);", pre="#include <utility>\n")),
    ("cxx-tie", "cpp", two_branches("int d = 0;\n    std::tie(d) = std::make_tuple(1);", pre="#include <tuple>\n")),
    ("cxx-returns-ref", "cpp", two_branches("int d = 0;\n    id(d) = 1;", pre="static int &id(int &x) { return x; }\n")),
    ("octal", "c", two_branches("int d = 010;", "int d = 0;", loop=LOOP1.replace("200", "9"))),
    ("hex", "c", two_branches("int d = 0x8;", "int d = 0;", loop=LOOP1.replace("200", "9"))),
    ("const-shadow", "c", shadowed("{\n      const int d = 1;\n      @\n    }", "c")),
    ("case-decl", "cpp", shadowed("switch (c) {\n    case 1: int d = 1;\n      @\n    }")),
    ("omp-single-block", "c", shadowed("#pragma omp single\n    {\n      int d = 1;\n      @\n    }", "c")),
]


@pytest.mark.parametrize("name,lang,code", HELD, ids=[c[0] for c in HELD])
def test_redeclared_name_written_or_shadowed_is_seen(name, lang, code):
    loops = loops_of(code, lang)
    racy = next(l for l in loops if l.loop.loc.line == _first_loop_line(code))
    assert not racy.parallelizable


def test_four_values_per_cell_in_a_three_value_layout_states_a_false_condition():
    # 'u[3*ind + c]' with c in 0..3: c = 3 is the next cell's c = 0, and (i, j) = (ni-1, nj-1)
    # reaches the next plane: a race between k and k+1 (verify: output mismatch at 2 threads).
    # The pragma carries a condition, and the condition is false for this program ('values of
    # c + 3*i differ by less than 3*ni' fails at c = 3): a misleading, not an unsound, answer.
    code = """
void f(double *u, int ni, int nj, int nk)
{
  const int nij = ni * nj;
  for (int k = 0; k < nk; k++)
    for (int j = 0; j < nj; j++)
      for (int i = 0; i < ni; i++) {
        int ind = i + ni * j + nij * k;
        for (int c = 0; c < 4; c++)
          u[3 * ind + c] = u[3 * ind + c] * 0.5 + c;
      }
}
"""
    k = loops_of(code)[0]
    if k.parallelizable:
        msg = " ".join(r.message for r in k.reasons if r.code == "BOUNDS-ASSUMED")
        assert "c + 3*i differ by less than 3*ni" in msg


def test_row_overrun_by_one_states_a_false_condition():
    # 'u[ind - nij + 1]': at (i, j) = (ni-1, nj-1) the write reaches plane k, element 0, which
    # iteration j = 0 reads (verify: Archer race at 4 threads). The j loop gets a pragma whose
    # condition includes '0 <= 1 + i < ni', false at i = ni-1: misleading, not unsound.
    code = """
void h(double *u, int ni, int nj, int nk)
{
  const int nij = ni * nj;
  for (int k = 1; k < nk; k++)
    for (int j = 0; j < nj; j++)
      for (int i = 0; i < ni; i++) {
        int ind = i + ni * j + nij * k;
        u[ind - nij + 1] = u[ind + ni] + u[ind];
      }
}
"""
    j = loops_of(code)[1]
    if j.parallelizable:
        msg = " ".join(r.message for r in j.reasons if r.code == "BOUNDS-ASSUMED")
        assert "0 <= 1 + i < ni" in msg
