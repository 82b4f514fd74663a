"""A loop that indexes an array of a declared size in every iteration runs at most that many
times: 'for (m = 0; m < tt->nmodes; ++m) ... tt->dims[m]' with 'dims[MAX_NMODES]' is too short to
share out (TRIP-SMALL), as GCC bounds loops from the arrays they index."""
import os

from ompwise.api import Options, analyze_paths
from tests.conftest import loops_of

HEAD = """
#define MAX_NMODES ((unsigned long) 8)
typedef struct { int nmodes; unsigned long dims[MAX_NMODES]; double *vals; } tensor;
"""


def _advice(code, lang="c"):
    return [(a.loop.loc.line, a.reasons[0].code, a.pragma) for a in loops_of(HEAD + code, lang)]


def _codes(code, lang="c"):
    return [c for _, c, _ in _advice(code, lang) if c != "NESTED-INSIDE-PARALLEL"]


def test_a_member_array_of_declared_size_bounds_the_loop():
    a = loops_of(HEAD + """
void f(tensor *tt, double *restrict out) {
  for (int m = 0; m < tt->nmodes; ++m)
    out[m] = tt->dims[m] * 2.0;
}""")[0]
    assert a.reasons[0].code == "TRIP-SMALL" and a.pragma is None
    assert a.legality.trip_bound == 8 and a.legality.parallel
    msg = a.reasons[0].message
    assert "at most 8 iterations" in msg and "'tt->dims[m]'" in msg and "MAX_NMODES (= 8)" in msg


def test_local_arrays_and_arrays_of_pointers_bound_it_too():
    assert _codes("""
void f(int n, double *restrict out) {
  double loc[4];
  for (int i = 0; i < n; i++) { loc[i] = 0; out[i] = 1; }
  double *rows[MAX_NMODES + 1];
  for (int i = 0; i < n; i++) rows[i] = out;
}""") == ["TRIP-SMALL", "TRIP-SMALL"]


def test_the_stride_of_the_subscript_divides_the_bound():
    # a[2*i] over 10 elements: at most 5 iterations; a[i / 2]-like subscripts give none
    a = loops_of("""
void f(int n) {
  double a[10];
  for (int i = 0; i < n; i++) a[2 * i] = 0;
}""")[0]
    assert a.legality.trip_bound == 5


def test_a_large_array_leaves_the_loop_parallel():
    assert _codes("""
void f(int n, double *restrict out) {
  double big[4096];
  for (int i = 0; i < n; i++) { big[i] = 1; out[i] = big[i]; }
}""") == ["OMP-PARALLEL"]


def test_only_what_every_iteration_evaluates_counts():
    # a continue before the access, the right side of '&&', an if's branch, a nested loop's body,
    # '&a[i]' (one past the end is a valid address) and sizeof give no bound
    assert _codes("""
void f(tensor *tt, double *restrict out, int n) {
  for (int m = 0; m < n; ++m) {
    if (m > 3) continue;
    out[m] = tt->dims[m];
  }
  for (int m = 0; m < n; ++m)
    if (out[m] > 0 && tt->dims[m] > 0) out[m] = 2;
  for (int m = 0; m < n; ++m)
    if (out[m] > 0) out[m] = tt->dims[m];
  for (int m = 0; m < n; ++m)
    for (int j = 0; j < n; j++) out[m] += tt->dims[m];
  for (int m = 0; m < n; ++m)
    out[m] = (double) (long) &tt->dims[m] + sizeof(tt->dims[m]);
}""") + _codes("""
void g(tensor *tt, double *restrict out, int n) {
  for (int m = 0; m < n; ++m)
    out[m] = sizeof(tt->dims[m]);
}""") == ["OMP-PARALLEL"] * 6


def test_an_inner_loops_header_runs_in_every_iteration():
    got = _advice("""
void f(tensor *tt, double **restrict out) {
  for (int m = 0; m < tt->nmodes; ++m)
    for (unsigned long x = 0; x < tt->dims[m]; x++)
      out[m][x] = 1;
}""")
    assert got[0][1] == "TRIP-SMALL" and got[1][1] == "OMP-PARALLEL"


def test_parameters_trailing_members_and_conflicting_records_give_no_size():
    # 'double a[8]' as a parameter is a pointer; a struct's last member 'data[1]' or 'data[4]' may be
    # a variable-length record's; a record defined twice differently gives none
    assert _codes("""
typedef struct { int n; double data[4]; } rec;
struct two { double vals[4]; int k; };
struct two { double vals[64]; int k; };
void f(double a[8], rec *r, struct two *s, int n, double *restrict out) {
  for (int i = 0; i < n; i++) out[i] = a[i];
  for (int i = 0; i < n; i++) out[i] = r->data[i];
  for (int i = 0; i < n; i++) out[i] = s->vals[i];
}""") == ["OMP-PARALLEL"] * 3


def test_members_are_sized_by_the_record_the_base_is_declared_as():
    # 'small' and 'tensor' both have a member 'vals': each access reads its own record's; a record
    # ompwise does not see (a system header's, one defined in a function) gives no size
    got = loops_of(HEAD + """
typedef struct { double vals[4]; int k; } small;
typedef struct { small parts[2]; int m; } outer;
void f(small *s, tensor *t, outer *o, int n, double *restrict out) {
  for (int i = 0; i < n; i++) out[i] = t->vals[i];
  for (int i = 0; i < n; i++) out[i] = s->vals[i];
  for (int i = 0; i < n; i++) out[i] = o->parts[0].vals[i];
  struct big { double vals[100]; int k; } b;
  for (int i = 0; i < n; i++) out[i] = b.vals[i];
  struct utsname u;
  for (int i = 0; i < n; i++) out[i] = u.vals[i];
}""")
    assert [a.legality.trip_bound for a in got] == [None, 4, 4, None, None]


def test_a_goto_into_the_body_gives_no_bound():
    assert _codes("""
void f(int n, double *restrict out, int k) {
  double loc[4];
  if (k) goto inside;
  for (int i = 0; i < n; i++) {
    loc[i] = 0;
  inside:
    out[i] = 1;
  }
}""")[0] != "TRIP-SMALL"


def test_the_size_is_found_through_a_chain_of_headers(tmp_path):
    # src/f.c -> a.h -> b.h -> ../include/c.h -> d.h, where the size is defined: four levels down
    (tmp_path / "src").mkdir()
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "d.h").write_text("#define MAXM ((unsigned long) 6)\n")
    (tmp_path / "include" / "c.h").write_text('#include "d.h"\n')
    (tmp_path / "src" / "b.h").write_text('#include "../include/c.h"\n#define NM MAXM\n')
    (tmp_path / "src" / "a.h").write_text('#include "b.h"\n')
    f = tmp_path / "src" / "f.c"
    f.write_text('#include "a.h"\nvoid f(int n, double *restrict o) {\n  int d[NM];\n'
                 '  for (int i = 0; i < n; i++) { d[i] = 1; o[i] = d[i]; }\n}\n')
    results, errors = analyze_paths([os.fspath(f)], Options(model=None))
    (la,) = results[0].loops
    assert la.reasons[0].code == "TRIP-SMALL" and "NM (= 6)" in la.reasons[0].message


def test_an_enumerations_last_constant_is_a_known_trip_count():
    got = _advice("""
enum timers { total, b = 5, c, numberOfTimers };
typedef enum { X, Y, NUM_FIELDS } field_t;
void f(double *restrict o) {
  for (int i = 0; i < numberOfTimers; i++) o[i] = 0;
  for (int i = 0; i < NUM_FIELDS; i++) o[i] = 1;
}""")
    assert [(c, m) for _, c, m in got] == [("TRIP-SMALL", None), ("TRIP-SMALL", None)]
    a = loops_of("enum { A, B = 40 + 2, C };\nvoid f(double *restrict o) {\n"
                 "  for (int i = 0; i < C; i++) o[i] = 0;\n}\n")[0]
    assert a.legality.trip_count == 43 and a.reasons[0].code == "OMP-PARALLEL"


def test_a_name_the_function_declares_hides_the_enumeration_constant():
    # a parameter or local of the same name, 'enum class' constants (they need 'E::'), and two
    # enumerations giving one name different values leave the trip count unknown
    assert _codes("""
enum sizes { N = 4 };
enum class E { M = 2 };
enum one { K = 3 };
enum two { K2 = 1, K = 9 };
void f(double *restrict o, int N) {
  for (int i = 0; i < N; i++) o[i] = 0;
  int M = 100;
  for (int i = 0; i < M; i++) o[i] = 0;
  for (int i = 0; i < K; i++) o[i] = 0;
}""", "cpp") == ["OMP-PARALLEL"] * 3


def test_breaks_found_by_review_give_no_bound():
    # (adversarial review of the rule) a later local of the same name, a global hidden by a class
    # member, 'continue' inside a macro, a try whose handler is not always run, a truncating cast
    assert _codes("""
double out[100];
#define SKIP_IF(c) if (c) continue
#define SZ ((unsigned char) 300)
void f(int n, double *restrict o) {
  for (int i = 0; i < n; i++) out[i] = 1.0;
  { double out[4] = {0}; o[0] = out[3]; }
  double small[4];
  for (int i = 0; i < n; i++) { SKIP_IF(i > 2); small[i] = 0; o[i] = small[i]; }
  int cut[SZ];
  for (int i = 0; i < n; i++) { cut[i] = 0; o[i] = cut[i]; }
}""")[:3] == ["OMP-PARALLEL"] * 3
    assert [c for c in _codes("""
static int data[4];
struct K { double *data; int n; void run(double *restrict o); };
void K::run(double *restrict o) {
  for (int i = 0; i < n; i++) o[i] = data[i];
}
void g(int n, double *restrict o) {
  double s[4];
  for (int i = 0; i < n; i++) {
    try { o[i] = 1; } catch (...) { s[i] = 0; }
  }
}""", "cpp")] == ["OMP-PARALLEL", "OMP-PARALLEL"]


def test_macros_expand_as_text():
    # '#define NM 2*NB' with 'NB 10-6' is 2*10-6 = 14 elements, not 2*4
    a = loops_of("#define NB 10-6\n#define NM 2*NB\nvoid f(int n, double *restrict o) {\n"
                 "  double d[NM];\n  for (int i = 0; i < n; i++) { d[i] = 1; o[i] = d[i]; }\n}\n")[0]
    assert a.legality.trip_bound == 14


def test_a_method_declared_after_the_trailing_array_does_not_hide_it():
    assert _codes("""
struct R { int n; double data[4]; double get(int i); };
void f(R *r, int n, double *restrict o) {
  for (int i = 0; i < n; i++) o[i] = r->data[i];
}""", "cpp") == ["OMP-PARALLEL"]


def test_a_macro_given_two_values_gives_no_size():
    # '#undef N' then '#define N 4': one value per name would size 'buf[N]' (100) by the last
    got = loops_of("#define N 100\ndouble buf[N];\n#undef N\n#define N 4\ndouble small[N];\n"
                   "void f(int n) {\n  for (int i = 0; i < n; i++) buf[i] = 1.0;\n"
                   "  for (int i = 0; i < N; i++) small[i] = 1.0;\n}\n")
    assert got[0].legality.trip_bound is None and got[0].reasons[0].code == "OMP-PARALLEL"
    assert got[1].legality.trip_count is None


def test_a_macro_is_a_constant_only_where_its_text_is_one_operand():
    # (review) 'a[i * OFF]' with '#define OFF 1+1' is a[i*1+1], i.e. a[i + 1]: not a[2*i]
    from ompwise.analysis.evaluator import _numeric_macros
    assert _numeric_macros({"OFF": "1+1", "P": "(1+1)", "N": "8", "M": "N", "Q": "(N)*2"}) == {"P": 2, "N": 8, "M": 8}
    (a,) = loops_of("#define OFF 1+1\nvoid f(int n, double *a) {\n"
                    "  for (int i = 0; i < n; i++) a[i * OFF] = a[i * OFF - 1];\n}\n")
    assert a.pragma is None


def test_an_enumeration_constant_hidden_by_a_member_or_a_blocks_enum_gives_no_trip_count():
    # (review) 'N' a member in a method; 'LEN' redefined by an enum of the function's block
    assert _codes("""
enum { N = 8 };
struct Grid { int N; double *v; void fill(); };
void Grid::fill() { for (int i = 0; i < N; i++) v[i] = i * 0.5; }
""", "cpp") == ["OMP-PARALLEL"]
    assert _codes("""
enum { LEN = 4 };
static double big[1 << 20];
void fill(void) {
  enum { LEN = 1 << 20 };
  for (int i = 0; i < LEN; i++) big[i] = i * 0.5;
}""") == ["OMP-PARALLEL"]
